#!/usr/bin/env bash
# Print the Debian archive this machine's apt already uses (DEBIAN_MIRROR overrides),
# so that no script of ours names a mirror of its own.
set -euo pipefail
if [ -n "${DEBIAN_MIRROR:-}" ]; then
	echo "${DEBIAN_MIRROR%/}"
	exit 0
fi
{
	grep -hs '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list | awk '{ print $2 }'
	grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{ print $2 }'
} | grep -v -e security -e '^$' | grep -E '/debian/?$' | head -n 1 | sed 's:/*$::' | grep . ||
	{ echo "debian-mirror: no Debian archive in apt's sources; set DEBIAN_MIRROR" >&2; exit 1; }
