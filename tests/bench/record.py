#!/usr/bin/env python3
"""Bench results shared by every bench of the project, in one JSON object of
numbers (build/bench/results.json; BENCH_RESULTS overrides), one key a metric.

  record.py set KEY VALUE [KEY VALUE...]   merge numbers into the file
  record.py unset KEY...                   drop keys (a bench run that fails
                                           leaves no earlier run's figure)
  record.py get KEY                        print one number
  record.py keys PREFIX                    print the keys that start so
  record.py table                          print every key as a table

Keys end in their unit (_s for seconds). A key set again is overwritten; keys
of other benches are kept, so each bench adds its own.
"""
import json
import os
import sys

TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
RESULTS = os.environ.get("BENCH_RESULTS",
                         os.path.join(TOP, "build", "bench", "results.json"))


def load():
    try:
        with open(RESULTS, encoding="utf-8") as f:
            return json.load(f)
    except FileNotFoundError:
        return {}


def save(results):
    os.makedirs(os.path.dirname(RESULTS), exist_ok=True)
    tmp = RESULTS + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(results, f, indent=2, sort_keys=True)
        f.write("\n")
    os.replace(tmp, RESULTS)


def number(text):
    value = float(text)
    return int(value) if value.is_integer() and "." not in text else value


def main(argv):
    cmd, args = (argv[1], argv[2:]) if len(argv) > 1 else ("", [])
    if cmd == "set" and args and len(args) % 2 == 0:
        results = load()
        for key, value in zip(args[::2], args[1::2]):
            try:
                results[key] = number(value)
            except ValueError:
                sys.exit(f"record: {key}: '{value}' is not a number")
        save(results)
    elif cmd == "unset" and args:
        results = load()
        for key in args:
            results.pop(key, None)
        save(results)
    elif cmd == "get" and len(args) == 1:
        results = load()
        if args[0] not in results:
            sys.exit(f"record: no {args[0]} in {RESULTS}")
        print(results[args[0]])
    elif cmd == "keys" and len(args) == 1:
        for key in sorted(load()):
            if key.startswith(args[0]):
                print(key)
    elif cmd == "table" and not args:
        results = load()
        width = max([len(k) for k in results] + [6])
        print(f"{'metric':<{width}}  value")
        for key in sorted(results):
            print(f"{key:<{width}}  {results[key]}")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
