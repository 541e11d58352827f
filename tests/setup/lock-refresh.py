#!/usr/bin/env python3
"""Regenerate the locks from their wanted lists ('make lock').

  lock-refresh.py [SET...]   SET: target (packages.wanted -> packages.lock,
                             riscv64: what L0 and the guests use) or host
                             (packages-host.wanted -> packages-host.lock,
                             the build machine's: what host-side tests link);
                             default both. Two files, so that a new host pin
                             changes nothing the guest images depend on.

For each suite and architecture named in packages.wanted, fetch the suite's
InRelease (checking its signature with gpgv where Debian's keyring is here)
and the Packages.xz index, and compare the index's size and SHA256 with
InRelease. This mirror is known to serve riscv64 indexes that disagree with
InRelease, so a mismatch is reported LOUDLY but does not stop the refresh:
every .deb is still pinned by the SHA256 the index gives, and debpin.py checks
it on every download. Review the diff of the lock before committing it.

Then resolve each wanted pattern to its newest version, plus
  elf-libs      the packages shipping the shared libraries its binaries load
                (ELF NEEDED, recursively, and the dynamic loader): candidate
                packages are its 'Section: libs' dependencies, downloaded
                and searched; only those that really ship a needed file are
                pinned
  with-modules  linux-modules-<ABI> for a linux-binary-<ABI>
and write the lock, sorted by name; a library's line ends in a comment
naming the package that loads it (the image build selects them by it). Lines of the old lock that no wanted
pattern produces are dropped: the lock says exactly what packages.wanted asks.
"""
import fnmatch
import functools
import hashlib
import lzma
import os
import subprocess
import sys
import tempfile
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "images"))
import debpin  # noqa: E402  (fetch + verify + unpack of one lock entry)
import elfdeps  # noqa: E402  (ELF NEEDED closure)

# SET: (wanted list, lock, what the lock's first line says it pins)
SETS = {
    "target": ("packages.wanted", "packages.lock",
               "Pinned riscv64 packages from Debian's archive"),
    "host": ("packages-host.wanted", "packages-host.lock",
             "Pinned packages of the build machine's architecture "
             "(host-side tests) from Debian's archive"),
}
KEYRING = "/usr/share/keyrings/debian-archive-keyring.gpg"


def loud(lines):
    bar = "!" * 78
    sys.stderr.write("\n".join([bar] + ["!!! " + s for s in lines] + [bar, ""]))


def get(url):
    with urllib.request.urlopen(url, timeout=120) as r:
        return r.read()


def check_signature(suite, inrelease):
    if not os.path.exists(KEYRING):
        loud([f"{suite}: cannot check InRelease's signature: no {KEYRING}"])
        return
    with tempfile.NamedTemporaryFile() as f:
        f.write(inrelease)
        f.flush()
        r = subprocess.run(["gpgv", "--keyring", KEYRING, f.name],
                           capture_output=True, text=True)
    if r.returncode != 0:
        loud([f"{suite}: InRelease's signature does NOT verify:"]
             + r.stderr.strip().splitlines())


def release_sha256(inrelease, member):
    """(size, sha256) that InRelease's SHA256 section gives for member."""
    in_sha = False
    for line in inrelease.decode().splitlines():
        if not line.startswith(" "):
            in_sha = line.startswith("SHA256:")
        elif in_sha:
            sha, size, name = line.split()
            if name == member:
                return int(size), sha
    return None, None


def parse_packages(text):
    """Yield each stanza of a Packages file as a dict."""
    for block in text.split("\n\n"):
        stanza, key = {}, None
        for line in block.splitlines():
            if line.startswith((" ", "\t")) and key:
                stanza[key] += "\n" + line
            elif ":" in line:
                key, value = line.split(":", 1)
                stanza[key] = value.strip()
        if "Package" in stanza:
            yield stanza


def load_index(mirror, suite, arch):
    """Return {name: [stanzas]} for suite/arch, checked against InRelease."""
    inrelease = get(f"{mirror}/dists/{suite}/InRelease")
    check_signature(suite, inrelease)
    member = f"main/binary-{arch}/Packages.xz"
    data = get(f"{mirror}/dists/{suite}/{member}")
    want_size, want_sha = release_sha256(inrelease, member)
    got_sha = hashlib.sha256(data).hexdigest()
    if (len(data), got_sha) != (want_size, want_sha):
        loud([f"{suite} {member} DOES NOT MATCH {suite}/InRelease:",
              f"  InRelease says size {want_size} sha256 {want_sha}",
              f"  mirror served   size {len(data)} sha256 {got_sha}",
              "  (apt-get update would refuse it.) Going on with the served",
              "  index: every .deb is still pinned by its own SHA256, but",
              "  REVIEW THE LOCK'S DIFF before committing it."])
    else:
        print(f"lock: {suite} {member} matches InRelease", file=sys.stderr)
    index = {}
    for st in parse_packages(lzma.decompress(data).decode()):
        st["Suite"] = suite
        index.setdefault(st["Package"], []).append(st)
    return index


def vercmp(a, b):
    if a == b:
        return 0
    lt = subprocess.run(["dpkg", "--compare-versions", a, "lt", b]).returncode
    return -1 if lt == 0 else 1


def newest(stanzas):
    key = functools.cmp_to_key(vercmp)
    return max(stanzas, key=lambda s: key(s["Version"]))


def entry_of(st):
    return dict(name=st["Package"], version=st["Version"],
                arch=st["Architecture"], path=st["Filename"],
                size=int(st["Size"]), sha256=st["SHA256"],
                why=st.get("Why", ""))


def dep_names(st):
    """First alternative of each Depends/Pre-Depends, without versions."""
    names = []
    for field in ("Pre-Depends", "Depends"):
        for dep in st.get(field, "").split(","):
            name = dep.split("|")[0].split("(")[0].split(":")[0].strip()
            if name:
                names.append(name)
    return names


def lib_candidates(index, st):
    """Packages of Section libs reachable from st through Depends."""
    seen, todo = {}, dep_names(st)
    while todo:
        name = todo.pop()
        if name in seen or name not in index:
            continue
        cand = newest(index[name])
        if cand.get("Section") != "libs":
            continue
        seen[name] = cand
        todo += dep_names(cand)
    return list(seen.values())


def elf_libs(index, st, workdir):
    """Stanzas of the packages whose files st's binaries load."""
    root = os.path.join(workdir, st["Package"])
    debpin.unpack(entry_of(st), root)
    binaries = []
    for d in ("usr/bin", "usr/sbin"):
        for name in sorted(os.listdir(os.path.join(root, d))
                           if os.path.isdir(os.path.join(root, d)) else []):
            path = os.path.join(d, name)
            with open(os.path.join(root, path), "rb") as f:
                if f.read(4) == b"\x7fELF":
                    binaries.append(path)
    roots = {root: st}
    for cand in lib_candidates(index, st):
        croot = os.path.join(workdir, cand["Package"])
        debpin.unpack(entry_of(cand), croot)
        roots[croot] = cand
    found, missing = elfdeps.closure(list(roots), binaries)
    if missing:
        sys.exit(f"lock: {st['Package']}: no candidate package ships "
                 f"{' '.join(missing)}")
    used = sorted(roots[r]["Package"] for r in found if r != root)
    print(f"lock: {st['Package']} loads libraries from {' '.join(used)}",
          file=sys.stderr)
    return [roots[r] for r in found if r != root]


def read_wanted(wanted):
    rows = []
    with open(wanted, encoding="utf-8") as f:
        for line in f:
            cols = line.split("#", 1)[0].split()
            if cols:
                rows.append((cols[0], cols[1], cols[2], set(cols[3:])))
    return rows


def refresh(mirror, indexes, wanted_name, lock_name, title):
    entries = {}
    wanted = os.path.join(HERE, wanted_name)
    lock = os.path.join(HERE, lock_name)
    workdir = os.path.join(debpin.CACHE, "lock-work")
    for suite, arch, pattern, flags in read_wanted(wanted):
        if (suite, arch) not in indexes:
            indexes[suite, arch] = load_index(mirror, suite, arch)
        index = indexes[suite, arch]
        names = [n for n in index if fnmatch.fnmatchcase(n, pattern)]
        if not names:
            sys.exit(f"lock: nothing in {suite}/{arch} matches {pattern}")
        st = newest([newest(index[n]) for n in names])
        picked = [st]
        if "with-modules" in flags:
            mod = st["Package"].replace("linux-binary-", "linux-modules-", 1)
            if mod not in index:
                sys.exit(f"lock: {suite}/{arch} has no {mod} for {st['Package']}")
            picked.append(newest(index[mod]))
            if picked[1]["Version"] != st["Version"]:
                sys.exit(f"lock: {mod} {picked[1]['Version']} differs from "
                         f"{st['Package']} {st['Version']}")
        if "elf-libs" in flags:
            for lib in elf_libs(index, st, workdir):
                lib["Why"] = "shared library of " + st["Package"]
                picked.append(lib)
        for s in picked:
            entries[s["Package"]] = entry_of(s)
    text = (f"# {title}. Generated by "
            f"'make lock' from {wanted_name}; do not edit by hand.\n"
            "# name version arch archive-path size sha256\n")
    for e in sorted(entries.values(), key=lambda e: e["name"]):
        why = f"  # {e['why']}" if e["why"] else ""
        text += (f"{e['name']} {e['version']} {e['arch']} {e['path']} "
                 f"{e['size']} {e['sha256']}{why}\n")
    try:
        with open(lock, encoding="utf-8") as f:
            unchanged = f.read() == text
    except FileNotFoundError:
        unchanged = False
    if not unchanged:  # an untouched lock keeps its mtime: make rebuilds nothing
        with open(lock + ".new", "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(lock + ".new", lock)
    total = sum(e["size"] for e in entries.values())
    print(f"lock: {len(entries)} packages, {total / 1e6:.1f} MB in all; "
          f"{lock} {'unchanged' if unchanged else 'rewritten'}",
          file=sys.stderr)


def main(argv):
    names = argv[1:] or list(SETS)
    for name in names:
        if name not in SETS:
            sys.exit(f"lock: no set {name}; the sets are {' '.join(SETS)}")
    mirror = debpin.mirror()
    indexes = {}
    for name in names:
        refresh(mirror, indexes, *SETS[name])


if __name__ == "__main__":
    main(sys.argv)
