#!/usr/bin/env python3
"""Shared-library closure of ELF binaries inside foreign (riscv64) root trees.

  elfdeps.py ROOT BINARY...   print, one a line, every path (relative to ROOT)
                              that the binaries need at run time: their ELF
                              NEEDED libraries, recursively, the dynamic loader
                              (PT_INTERP), and each symlink on the way.

Used by the image build (one merged root) and by tests/setup/lock-refresh.py
(one root per candidate package, to learn which package ships which library).
binutils' readelf reads any architecture's ELF, so no riscv64 tools are needed.
"""
import os
import subprocess
import sys

LIB_DIRS = ["usr/lib/riscv64-linux-gnu", "lib/riscv64-linux-gnu",
            "usr/lib", "lib"]


def readelf(path, flag):
    return subprocess.run(["readelf", flag, "-W", path], check=True,
                          capture_output=True, text=True).stdout


def needed(path):
    """The NEEDED sonames and the program interpreter of one ELF file."""
    sonames = [line.split("[", 1)[1].split("]", 1)[0]
               for line in readelf(path, "-d").splitlines()
               if "(NEEDED)" in line]
    interp = [line.split(":", 1)[1].strip().rstrip("]")
              for line in readelf(path, "-l").splitlines()
              if "Requesting program interpreter" in line]
    return sonames, interp


def resolve_in(root, rel):
    """Follow rel's symlinks inside root; return every path on the way."""
    chain = []
    for _ in range(16):
        full = os.path.join(root, rel)
        if not os.path.lexists(full):
            return None
        chain.append(rel)
        if not os.path.islink(full):
            return chain
        target = os.readlink(full)
        base = "" if target.startswith("/") else os.path.dirname(rel)
        rel = os.path.normpath(os.path.join(base, target.lstrip("/")))
    return None


def find(roots, name):
    """Locate a soname (or an absolute loader path) in the first root having it.

    A usr-merged package ships /usr/lib/x but is asked for /lib/x: try both.
    """
    if name.startswith("/"):
        rel = name.lstrip("/")
        candidates = [rel, "usr/" + rel]
    else:
        candidates = [os.path.join(d, name) for d in LIB_DIRS]
    for root in roots:
        for rel in candidates:
            chain = resolve_in(root, rel)
            if chain:
                return root, chain
    return None, None


def closure(roots, binaries):
    """Return ({root: set(paths)}, [missing names]) for binaries in roots[0]."""
    found, missing, seen = {}, [], set()
    todo = [(roots[0], b.lstrip("/")) for b in binaries]
    while todo:
        root, rel = todo.pop()
        sonames, interp = needed(os.path.join(root, rel))
        for name in sonames + interp:
            if name in seen:
                continue
            seen.add(name)
            where, chain = find(roots, name)
            if where is None:
                missing.append(name)
                continue
            found.setdefault(where, set()).update(chain)
            # The loader needs nothing; the libraries' own NEEDED do count.
            todo.append((where, chain[-1]))
    return found, missing


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    root = argv[1]
    found, missing = closure([root], argv[2:])
    if missing:
        sys.exit(f"elfdeps: not found under {root}: {' '.join(sorted(missing))}")
    for rel in sorted(found.get(root, ())):
        print(rel)


if __name__ == "__main__":
    main(sys.argv)
