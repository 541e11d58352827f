# shellcheck shell=bash
# Shared by the image scripts (sourced): where things are, and which lock
# entries to use. Callers set -euo pipefail themselves.
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
CACHE=$TOP/.cache # as in images.mk
LOCK=${L0_LOCK:-$TOP/tests/setup/packages.lock}
UNPACKED=$CACHE/unpacked
umask 022 # modes of what the scripts create go into the images

die() { echo "images: $*" >&2; exit 1; }

# The one lock entry whose name matches the shell pattern $1.
lock_name() {
	local names
	names=$(awk '!/^#/ && NF { print $1 }' "$LOCK" | while read -r n; do
		# shellcheck disable=SC2053  # $1 is a pattern on purpose
		[[ $n == $1 ]] && echo "$n"; done)
	[ "$(echo "$names" | grep -c .)" = 1 ] ||
		die "want exactly one package matching '$1' in $LOCK, have: ${names:-none}; see 'make lock'"
	echo "$names"
}

# Entries that lock-refresh.py pinned as shared libraries of package $1.
lock_libs_of() {
	awk -v why="# shared library of $1" 'index($0, why) { print $1 }' "$LOCK"
}

# The kernel release (uname -r) that an unpacked kernel tree carries.
kernel_release() {
	local d
	for d in "$1"/usr/lib/modules/*/; do basename "$d"; done | head -n 1
}

# A fresh usr-merged root at $1 with busybox; /init installs the applet links
# at boot (the host cannot run a riscv64 busybox to list them).
stage_base() {
	local root=$1 d
	rm -rf "$root"
	mkdir -p "$root"/usr/bin "$root"/usr/sbin "$root"/usr/lib
	for d in bin sbin lib; do ln -s usr/$d "$root/$d"; done
	mkdir -p "$root"/dev "$root"/proc "$root"/sys "$root"/tmp "$root"/mnt \
		"$root"/etc "$root"/root
	chmod 1777 "$root"/tmp
	[ -f "$UNPACKED/busybox/.done" ] || die "busybox not unpacked (make images)"
	cp "$UNPACKED/busybox/usr/bin/busybox" "$root/usr/bin/busybox"
}
