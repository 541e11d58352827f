#!/usr/bin/env python3
"""console.py [--send REGEX TEXT]... [--until REGEX] LOG CMD...

Run CMD (a QEMU run, under `timeout`) and write each line it prints to LOG
prefixed by the host's elapsed seconds since the start, e.g.
'  2.417 | L1: init ...'. The last line gives CMD's exit status and the whole
run's wall time. Exits with CMD's status.

--send REGEX TEXT  once a line matches REGEX, type TEXT on CMD's standard
                   input (escapes like \\n are decoded); in order, each once.
--until REGEX      once a line matches REGEX, end CMD (SIGTERM) and exit 0:
                   for runs that are done before the machine powers off.
Without --send, CMD's standard input is empty.

Host-side stamps, not guest uptimes, so the same numbers can be taken from a
guest running under L0, whose clock L0 provides.
"""
import os
import re
import subprocess
import sys
import time


def parse(argv):
    sends, until, i = [], None, 1
    while i < len(argv) and argv[i].startswith("--"):
        if argv[i] == "--send" and i + 2 < len(argv):
            text = argv[i + 2].encode().decode("unicode_escape")
            sends.append((re.compile(argv[i + 1]), text.encode()))
            i += 3
        elif argv[i] == "--until" and i + 1 < len(argv):
            until = re.compile(argv[i + 1])
            i += 2
        else:
            sys.exit(__doc__)
    if len(argv) - i < 2:
        sys.exit(__doc__)
    return sends, until, argv[i], argv[i + 1:]


def main(argv):
    sends, until, log_path, cmd = parse(argv)
    os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
    start = time.monotonic()
    stopped = False
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"  0.000 | [console] {' '.join(cmd)}\n")
        proc = subprocess.Popen(
            cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            stdin=subprocess.PIPE if sends else subprocess.DEVNULL)
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
            log.write(f"{time.monotonic() - start:7.3f} | {line}\n")
            log.flush()
            if sends and sends[0][0].search(line):
                proc.stdin.write(sends.pop(0)[1])
                proc.stdin.flush()
            if until and until.search(line) and not stopped:
                stopped = True
                proc.terminate()
        rc = proc.wait()
        if stopped:
            rc = 0
        log.write(f"{time.monotonic() - start:7.3f} | [console] exit status {rc}\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
