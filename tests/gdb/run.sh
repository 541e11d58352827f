#!/usr/bin/env bash
# run.sh L0_ELF L0_BIN  gdb on L0, in batch mode, as docs/debugging.md says:
# QEMU halted with its gdb stub on (tests/boot/qemu.sh --gdb), L0 running a
# payload guest (sbi-base). gdb-multiarch with tests/gdb/l0.gdb breaks in
# the vCPU trap handler at the guest's first SBI call, prints a backtrace,
# the guest's trap frame (l0-frame) and its vCPU (l0-vcpu), then continues:
# the guest must run to its end. Logs: build/logs/gdb.log (gdb),
# build/logs/gdb-qemu.log (the console). A hang is a FAIL.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
L0_ELF=$1 L0_BIN=$2
LOGS=${L0_LOGS:-$TOP/build/logs}
TIMEOUT=${GDB_TIMEOUT:-120}
GDB=${GDB:-gdb-multiarch}
mkdir -p "$LOGS"
glog=$LOGS/gdb.log qlog=$LOGS/gdb-qemu.log initrd=$LOGS/gdb.cpio

# gdb_has REGEX / qemu_has REGEX: a line of gdb's output / of the console.
gdb_has() { grep -qE "$1" "$glog"; }
qemu_has() { grep -qE "^ *[0-9.]+ \| $1" "$qlog"; }

# check NAME OK: one case.
check() {
	if [ "$2" = 1 ]; then pass "$1"; else fail "$1" "see $glog and $qlog"; fi
}

"$TOP/tests/vm/mkinitrd.sh" "$initrd" "$TOP/configs/payload.dts" \
	"payload.bin=$TOP/build/guest/sbi-base.bin"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 "$TOP/tests/lib/console.py" "$qlog" timeout --kill-after=5 "$TIMEOUT" \
	"$TOP/tests/boot/qemu.sh" --gdb "$port" --initrd "$initrd" \
	--append l0.poweroff "$L0_BIN" </dev/null >/dev/null 2>&1 &
qemu=$!
for _ in $(seq 50); do
	python3 -c "import socket; socket.create_connection(('127.0.0.1', $port)).close()" 2>/dev/null && break
	sleep 0.2
done

# SBI calls are scause 10, "environment call from VS-mode".
timeout --kill-after=5 "$TIMEOUT" "$GDB" --batch -nx \
	-ex 'set pagination off' -ex 'set confirm off' \
	-x "$TOP/tests/gdb/l0.gdb" \
	-ex "file $L0_ELF" -ex "target remote :$port" \
	-ex 'break vcpu_handle_trap if tf->scause == 10' \
	-ex continue -ex bt -ex 'l0-frame tf' -ex l0-vcpu \
	-ex 'printf "gdb: a7 = %016lx\n", tf->regs[17]' \
	-ex delete -ex continue >"$glog" 2>&1
grc=$?
wait "$qemu"
qrc=$?

check "gdb stops at the vCPU trap handler" \
	"$(gdb_has '^(Thread [0-9]+ .*hit )?Breakpoint 1, vcpu_handle_trap' && echo 1)"
check "backtrace: vcpu_handle_trap called from trap_handle" \
	"$(gdb_has '^#0 +vcpu_handle_trap' && gdb_has '^#1 .* trap_handle ' && echo 1)"
check "l0-frame names the cause" \
	"$(gdb_has 'exception 10: environment call from VS-mode \(scause 0xa\)' && echo 1)"
check "l0-frame: the trap came from the guest" \
	"$(gdb_has 'from a guest \(hstatus.SPV = 1\)' && echo 1)"
# The guest's a7 (its SBI extension) as l0-frame prints it, against gdb's
# own reading of the frame.
a7=$(sed -nE 's/^gdb: a7 = ([0-9a-f]{16})$/\1/p' "$glog")
check "l0-frame: the guest's registers" \
	"$([ -n "$a7" ] && [ "$a7" != 0000000000000000 ] &&
		gdb_has " a6 +[0-9a-f]{16} a7 +$a7 " && echo 1)"
# configs/payload.dts: 64 MiB of guest RAM at 0x80000000, no paging.
check "l0-frame: sepc in the guest's RAM" \
	"$(gdb_has '^ sepc +00000000(8[0-3])[0-9a-f]{6} ' && echo 1)"
check "l0-vcpu names the VM" \
	"$(gdb_has 'runs VM payload vCPU [01]$' && echo 1)"
check "after continue, the guest runs to its end" \
	"$(qemu_has '\[payload\] GUEST DONE sbi-base' && qemu_has 'L0: powering off' &&
		! qemu_has '\[payload\] FAIL' && echo 1)"
check "no hang: gdb and QEMU end in time" \
	"$([ "$grc" -ne 124 ] && [ "$grc" -ne 137 ] && [ "$qrc" -eq 0 ] && echo 1)"
summary
