#!/usr/bin/env bash
# lint.sh  clang-format (check only), cppcheck and clang-tidy over L0's C
# sources and headers. One PASS/FAIL line per tool, then 'N passed, N failed'.
# The tools' findings are kept in build/logs/lint-TOOL.log.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/.." && pwd)
cd "$TOP"
. tests/lib/runner.sh
LOGS=build/logs
mkdir -p "$LOGS"
CROSS_CC=${CROSS_COMPILE:-riscv64-unknown-elf-}gcc
LIBFDT_INC=.cache/root/libfdt/usr/include

mapfile -t L0_C < <(git ls-files 'arch/*.c' 'core/*.c' 'drivers/*.c' 'nested/*.c')
mapfile -t ALL_C < <(git ls-files '*.c' '*.h')

# tool NAME CMD...: run one tool, PASS when it exits 0.
tool() {
	local name=$1 log=$LOGS/lint-$1.log
	shift
	if "$@" >"$log" 2>&1; then
		pass "$name"
	else
		fail "$name" "$(grep -cE 'warning|error' "$log") findings; see $log"
		head -n 20 "$log"
	fi
}

tool clang-format clang-format --dry-run --Werror "${ALL_C[@]}"
tool cppcheck cppcheck --quiet --error-exitcode=1 --inline-suppr \
	--enable=warning,performance,portability --std=c11 \
	--suppress=missingIncludeSystem -Iinclude -Iinclude/libc \
	-D__riscv -D__riscv_xlen=64 "${L0_C[@]}"
tool clang-tidy clang-tidy --quiet "${L0_C[@]}" -- \
	--target=riscv64-unknown-elf -march=rv64gc -mabi=lp64d -ffreestanding \
	-nostdinc -isystem "$("$CROSS_CC" -print-file-name=include)" \
	-isystem "$("$CROSS_CC" -print-file-name=include-fixed)" \
	-Iinclude -Iinclude/libc -isystem "$LIBFDT_INC" -std=gnu11
summary
