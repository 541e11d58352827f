#!/usr/bin/env python3
"""console.py LOG CMD...  Run CMD (a QEMU run, under `timeout`) with no input,
and write each line it prints to LOG prefixed by the host's elapsed seconds
since the start, e.g. '  2.417 | L1: init ...'. The last line gives CMD's exit
status and the whole run's wall time. Exits with CMD's status.

Host-side stamps, not guest uptimes, so the same numbers can be taken from a
guest running under L0, whose clock L0 provides.
"""
import os
import subprocess
import sys
import time


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    log_path, cmd = argv[1], argv[2:]
    os.makedirs(os.path.dirname(os.path.abspath(log_path)), exist_ok=True)
    start = time.monotonic()
    with open(log_path, "w", encoding="utf-8") as log:
        log.write(f"  0.000 | [console] {' '.join(cmd)}\n")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for raw in iter(proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n").replace("\r", "")
            log.write(f"{time.monotonic() - start:7.3f} | {line}\n")
            log.flush()
        rc = proc.wait()
        log.write(f"{time.monotonic() - start:7.3f} | [console] exit status {rc}\n")
    return rc


if __name__ == "__main__":
    sys.exit(main(sys.argv))
