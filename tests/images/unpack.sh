#!/usr/bin/env bash
# unpack.sh DIR PATTERN...  Unpack the lock's packages matching each shell
# PATTERN into DIR (fetching and verifying them first); '@libs:NAME' stands for
# the shared-library packages pinned for NAME. Touches DIR/.done for make.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
dest=$1; shift
for pattern in "$@"; do
	case $pattern in
	@libs:*) names=$(lock_libs_of "${pattern#@libs:}") ;;
	*) names=$(lock_name "$pattern") ;;
	esac
	for name in $names; do
		python3 "$TOP/tests/setup/debpin.py" unpack "$name" "$dest"
	done
done
touch "$dest/.done"
