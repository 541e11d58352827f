#!/usr/bin/env python3
"""Pinned Debian packages: fetch by exact archive path, verify, unpack.

The lock file (tests/setup/packages.lock, or the one L0_LOCK names, such as
packages-host.lock) names every .deb the project uses from Debian's archive
outside apt: riscv64 ones, and host ones of another version than the build
machine's, with its archive path, size and SHA256.
Nothing here consults apt's indexes: the mirror's riscv64 indexes may not
match their Release file, so the lock is the only source of truth.

  debpin.py fetch NAME...      download (once) and verify
  debpin.py unpack NAME DIR    fetch, then unpack the .deb into DIR (once)
  debpin.py path NAME          print the verified .deb's path
"""
import hashlib
import os
import subprocess
import sys
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
LOCK = os.environ.get("L0_LOCK", os.path.join(HERE, "packages.lock"))
CACHE = os.environ.get("L0_CACHE", os.path.join(TOP, ".cache"))
REFRESH_HINT = "make lock"


def die(msg):
    sys.stderr.write("debpin: " + msg + "\n")
    sys.exit(1)


def read_lock(path=LOCK):
    """Return {name: entry}; an entry is a dict of the lock's columns."""
    entries = {}
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            line = line.split("#", 1)[0].strip()
            if not line:
                continue
            cols = line.split()
            if len(cols) != 6:
                die(f"{path}:{lineno}: want 6 columns "
                    "(name version arch path size sha256)")
            name, version, arch, apath, size, sha = cols
            entries[name] = dict(name=name, version=version, arch=arch,
                                 path=apath, size=int(size), sha256=sha)
    return entries


def mirror():
    out = subprocess.run([os.path.join(HERE, "debian-mirror.sh")],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def deb_path(entry):
    return os.path.join(CACHE, "debs", os.path.basename(entry["path"]))


def is_verified(entry, path):
    return (os.path.exists(path) and os.path.getsize(path) == entry["size"]
            and sha256_of(path) == entry["sha256"])


def download(entry, dest):
    url = mirror() + "/" + entry["path"]
    tmp = dest + ".part"
    try:
        with urllib.request.urlopen(url, timeout=120) as r, open(tmp, "wb") as f:
            while True:
                block = r.read(1 << 20)
                if not block:
                    break
                f.write(block)
    except urllib.error.HTTPError as e:
        die(f"{entry['name']} {entry['version']}: {entry['path']} is gone "
            f"from the archive (HTTP {e.code}); refresh the lock with "
            f"'{REFRESH_HINT}' and commit it")
    except OSError as e:
        die(f"{entry['name']}: download of {url} failed: {e}")
    os.replace(tmp, dest)


def fetch(entry):
    path = deb_path(entry)
    if is_verified(entry, path):
        return path
    os.makedirs(os.path.dirname(path), exist_ok=True)
    print(f"debpin: fetching {entry['name']} {entry['version']} "
          f"({entry['size'] // 1024} KiB)", file=sys.stderr)
    download(entry, path)
    if not is_verified(entry, path):
        got = sha256_of(path)
        os.rename(path, path + ".bad")
        die(f"{entry['name']}: SHA256 {got} does not match the lock's "
            f"{entry['sha256']}; refusing it (kept as {path}.bad). If the "
            f"archive really changed, refresh with '{REFRESH_HINT}'")
    return path


def unpack(entry, dest):
    path = fetch(entry)
    stamp = os.path.join(dest, ".debpin-" + entry["name"])
    if os.path.exists(stamp):
        with open(stamp, encoding="utf-8") as f:
            if f.read().strip() == entry["sha256"]:
                return
    os.makedirs(dest, exist_ok=True)
    subprocess.run(["dpkg-deb", "-x", path, dest], check=True)
    with open(stamp, "w", encoding="utf-8") as f:
        f.write(entry["sha256"] + "\n")


def lookup(entries, name):
    if name not in entries:
        die(f"{name} is not in {LOCK}; add it to the wanted list and run "
            f"'{REFRESH_HINT}'")
    return entries[name]


def main(argv):
    if len(argv) < 2:
        die(__doc__)
    cmd, args = argv[1], argv[2:]
    entries = read_lock()
    if cmd == "fetch":
        for name in args or sorted(entries):
            fetch(lookup(entries, name))
    elif cmd == "unpack" and len(args) == 2:
        unpack(lookup(entries, args[0]), args[1])
    elif cmd == "path" and len(args) == 1:
        print(fetch(lookup(entries, args[0])))
    else:
        die(__doc__)


if __name__ == "__main__":
    main(sys.argv)
