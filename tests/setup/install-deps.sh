#!/usr/bin/env bash
# Install the Debian packages this project builds and tests with, and nothing
# that is already there. A second run touches no network: it only asks dpkg.
#
# QEMU 10 and OpenSBI 1.5 come from bookworm-backports (bookworm has 7.2/1.1).
set -euo pipefail

BACKPORTS_LIST=/etc/apt/sources.list.d/l0-bookworm-backports.list

# package  minimum-version  suite (empty: the default suite)
WANTED=(
	"make               0         "
	"gcc                0         "
	"gcc-riscv64-unknown-elf 0    "
	"binutils-riscv64-linux-gnu 0 "
	"gdb-multiarch      0         "
	"u-boot-qemu        0         "
	"u-boot-tools       0         "
	"device-tree-compiler 0       "
	"libcmocka-dev      0         "
	"pkg-config         0         "
	"qemu-system-riscv  1:10      bookworm-backports"
	"opensbi            1.5       bookworm-backports"
	"curl               0         "
	"ca-certificates    0         "
	"xz-utils           0         "
	"zstd               0         "
	"cpio               0         "
	"e2fsprogs          0         "
	"python3            0         "
	"clang-format       0         "
	"clang-tidy         0         "
	"cppcheck           0         "
	"clang-14           0         "
	"libclang-rt-14-dev 0         "
)

installed_version() {
	dpkg-query -W -f='${db:Status-Abbrev} ${Version}' "$1" 2>/dev/null |
		awk '$1 == "ii" { print $2 }'
}

is_satisfied() {
	local have
	have=$(installed_version "$1")
	[ -n "$have" ] || return 1
	[ "$2" = 0 ] || dpkg --compare-versions "$have" ge "$2"
}

ensure_backports_source() {
	grep -rqs '^[^#]*bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/ && return
	echo "deps: adding bookworm-backports to $BACKPORTS_LIST"
	echo "deb $("$(dirname "$0")"/debian-mirror.sh) bookworm-backports main" >"$BACKPORTS_LIST"
}

main() {
	local plain=() bpo=() line pkg min suite
	for line in "${WANTED[@]}"; do
		read -r pkg min suite <<<"$line"
		is_satisfied "$pkg" "$min" && continue
		if [ -n "$suite" ]; then bpo+=("$pkg"); else plain+=("$pkg"); fi
	done
	if [ ${#plain[@]} -eq 0 ] && [ ${#bpo[@]} -eq 0 ]; then
		exit 0
	fi
	if [ "$(id -u)" != 0 ]; then
		echo "deps: missing packages ${plain[*]} ${bpo[*]}; run as root to install them" >&2
		exit 1
	fi
	[ ${#bpo[@]} -eq 0 ] || ensure_backports_source
	echo "deps: installing ${plain[*]} ${bpo[*]}"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -q || echo "deps: apt-get update reported errors; trying the install anyway" >&2
	[ ${#plain[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends "${plain[@]}"
	[ ${#bpo[@]} -eq 0 ] || apt-get install -y -q --no-install-recommends -t bookworm-backports "${bpo[@]}"
	for line in "${WANTED[@]}"; do
		read -r pkg min suite <<<"$line"
		is_satisfied "$pkg" "$min" || { echo "deps: $pkg >= $min still missing" >&2; exit 1; }
	done
}

main "$@"
