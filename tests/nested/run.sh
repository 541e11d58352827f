#!/usr/bin/env bash
# run.sh MODE [PAYLOAD...]  Boot each nested test payload
# (build/nested/NAME.bin) under a hard timeout with the console logged to
# build/logs/nested-MODE-NAME.log, then turn the payload's lines into cases
# (tests/lib/payload.sh says how). The payloads run in HS-mode as a small L1 hypervisor and test the H
# extension; boot_MODE says where that HS-mode is:
# MODE reference: QEMU's own H extension (-cpu rv64,h=true) + OpenSBI.
# MODE l0: a nested-enabled guest under L0 (configs/nested-payload.dts).
# MODE recursive: the same guest under an L0 that is itself the nested-
# enabled guest of L0 (configs/recursive-payload.dts): two layers of H
# emulation below the payload.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
MODE=${1:-}
shift || true
LOGS=${L0_LOGS:-$TOP/build/logs}
PAYLOAD_DIR=${NESTED_PAYLOAD_DIR:-$TOP/build/nested}
# Two layers of emulation below the payload: hostile-mmu takes about 40 s.
TIMEOUT=${NESTED_TIMEOUT:-$([ "$MODE" = recursive ] && echo 150 || echo 30)}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}

PAYLOADS=(h-csr h-hip h-vcsr h-trap h-virt h-hlv h-mem h-irq h-fence h-rfence h-wfi hostile-l1 hostile-mmu h-nacl h-nacl-off)
# Payloads that may report SKIP in a mode: MODE|payload|why.
SKIPPABLE=(
	"reference|h-nacl|OpenSBI 1.5 has no SBI nested acceleration (NACL): firmware on a hart with the H extension does not offer it, as the SBI spec says"
)

# Where QEMU departs from the spec, the case still checks the spec; in
# reference mode its FAIL is counted as a pass that names the deviation.
# MODES|payload: case|why
# (Under L0, recursive or not, L2 runs on QEMU's own H: its deviations stay.)
KNOWN=(
	"reference|h-csr: hstatus-reserved-zero|QEMU 10.0 keeps every bit written to hstatus (write_hstatus masks nothing but VSXL), where the spec's reserved (WPRI) bits are read-only zero"
	"reference|h-csr: hstatus-vgein|QEMU 10.0 keeps any VGEIN written to hstatus, where VGEIN is WARL with legal values 0..GEILEN (GEILEN is 0 on this machine)"
	"reference|h-csr: hgatp-ppn-low-zero|QEMU 10.0 keeps PPN[1:0] written to hgatp in Sv39x4 mode, where the spec says the two low bits of PPN always read as zeros (16 KiB root table)"
	"reference|h-vcsr: vsstatus-reserved-zero|QEMU 10.0 keeps every bit written to vsstatus (write_vsstatus masks nothing but UXL), where the spec's WPRI bits are read-only zero"
	"reference|h-vcsr: vsepc-align|QEMU 10.0 keeps vsepc[0] = 1 when written from HS-mode, where the spec says the low bit of sepc (vsepc) is always zero"
	"reference|h-virt: vu-sstatus|QEMU 10.0 raises an illegal instruction (2) for a supervisor CSR accessed from VU-mode, where the spec says a virtual instruction (22) when HS-mode could access it"
	"reference|h-virt: vu-sret|QEMU 10.0 raises an illegal instruction (2) for SRET in VU-mode, where the spec says a virtual instruction (22)"
	"reference|h-hlv: hlv-past-ram|QEMU 10.0 leaves hstatus.GVA = 0 on an access fault of HLV, whose address (in stval) is a guest virtual address, for which the spec sets GVA = 1"
	"reference|h-hlv: hsv-past-ram|QEMU 10.0 leaves hstatus.GVA = 0 on an access fault of HSV, whose address (in stval) is a guest virtual address, for which the spec sets GVA = 1"
	"reference|h-hlv: gs-hlvx-noexec|QEMU 10.0 raises an instruction page fault (12) for HLVX on a G-stage page without X, where the spec says HLVX raises the exceptions of a load (load guest-page fault, 21)"
	"reference|h-irq: priority|QEMU 10.0 (without AIA, hviprio all zero) delivers the lowest-numbered pending VS interrupt first (SSI), where the spec's supervisor order is SEI, SSI, STI"
	"l0 recursive|h-virt: vu-sstatus|L2 runs on QEMU 10.0's own H extension, which raises an illegal instruction (2) for a supervisor CSR accessed from VU-mode (see the reference entry)"
	"l0 recursive|h-virt: vu-sret|L2 runs on QEMU 10.0's own H extension, which raises an illegal instruction (2) for SRET in VU-mode (see the reference entry)"
	"l0 recursive|h-irq: priority|L2 takes its VS interrupts from QEMU 10.0's own H extension, which delivers SSI first (see the reference entry)"
	"reference|hostile-mmu: pt-past-ram|QEMU 10.0 raises a guest-page fault (htval = the GPA >> 2) when a G-stage PTE read reaches no memory, where the spec says an access fault of the original access type (the implicit access fails a PMA check)"
	"reference|hostile-mmu: pt1-past-ram|QEMU 10.0 raises a guest-page fault when a level-1 G-stage PTE read reaches no memory, where the spec says an access fault of the original access type"
	"reference|hostile-mmu: root-past-ram|QEMU 10.0 raises an instruction guest-page fault (20) when the root G-stage PTE read reaches no memory, where the spec says an instruction access fault (1)"
	"reference|hostile-mmu: hgatp-rsvd|QEMU 10.0 keeps hgatp bits 59:58 written as ones, where the spec says they read as zero"
	"reference|hostile-mmu: hgatp-ppn-low|QEMU 10.0 keeps hgatp.PPN[1:0] (as h-csr: hgatp-ppn-low-zero) and walks from that unaligned root, where the spec says PPN[1:0] read as zero (16 KiB root)"
	"reference|h-rfence: invalid-bit|OpenSBI 1.5 drops harts of hart_mask that do not exist and returns 0 instead of SBI_ERR_INVALID_PARAM (fixed upstream after 1.5; as sbi-rfence: fence-i-invalid-bit in tests/guest/run.sh)"
	"reference|h-rfence: range-wraps|OpenSBI 1.5 checks no remote fence range: start_addr + size past 2^64 is fenced and returns 0, where the SBI spec's RFENCE chapter gives SBI_ERR_INVALID_ADDRESS for a start_addr or size that is not valid"
	"reference|h-vcsr: vsstatus-uxl|QEMU 10.0's hart keeps UXL = 3 (UXLEN 128 > SXLEN) written to vsstatus, which the spec's WARL UXL excludes (the same bug as sstatus.UXL in tests/guest/run.sh)"
)

# boot_reference BIN LOG: QEMU with the H extension + OpenSBI 1.5, with the
# payload as the kernel (OpenSBI enters it in S-mode, which is HS-mode).
boot_reference() {
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64,h=true \
		-smp 2 -m 256M -nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$1"
}

# boot_l0 BIN LOG: L0 on QEMU, with the payload as its only guest, nested-
# enabled (configs/nested-payload.dts, or configs/nested-payload-NAME.dts
# when the payload NAME has its own): L0 emulates the H extension for it.
boot_l0() {
	local config=$TOP/configs/nested-payload-$(basename "$1" .bin).dts
	[ -f "$config" ] || config=$TOP/configs/nested-payload.dts
	run_under_l0 "$config" "$2" "payload.bin=$1"
}

# log_expect NAME LOG ERE WHAT: a case that L0's log has a line matching ERE.
log_expect() {
	if grep -Eq "$3" "$2"; then
		pass "$1 ($(grep -Eo "$3[0-9]*" "$2" | head -n 1))"
	else
		fail "$1" "$4: no line matching '$3' in $2"
	fi
}

# log_checks_l0 NAME LOG: what L0 printed when the payload's VM stopped, and
# that it gave back all the VM held.
# No payload may meet L0's own checks ("L0 bug: ..."); hostile-mmu's
# alias-flood maps more L2 regions than the shadow's table cap holds, and
# its cases fill the shadow with 2 MiB and 4 KiB pages.
log_checks_l0() {
	local name=$1 log=$2

	if grep -q 'L0 bug' "$log"; then
		fail "$name: no-l0-bug" "$(grep -m 1 -o 'L0 bug.*' "$log")"
	else
		pass "$name: no-l0-bug"
	fi
	memory_returned "$name" "$log"
	[ "$name" = hostile-mmu ] || return 0
	log_expect "$name: l0-reclaims" "$log" \
		'shadow reclaims at the cap [1-9]' \
		"alias-flood did not make L0 empty shadows at the cap"
	log_expect "$name: l0-huge-small" "$log" \
		'shadow faults: huge [1-9][0-9]*, small [1-9]' \
		"L0 did not fill both 2 MiB and 4 KiB shadow pages"
}

# boot_recursive BIN LOG: boot_l0's archive, as the initrd of an L0 that
# runs as L0's nested-enabled guest. The inner L0 prints the payload's lines
# with its "[payload] ", the outer one adds "[l0] " (console_lines drops
# both).
boot_recursive() {
	local name config inner
	name=$(basename "$1" .bin)
	config=$TOP/configs/nested-payload-$name.dts
	[ -f "$config" ] || config=$TOP/configs/nested-payload.dts
	inner=$PAYLOAD_DIR/l0-inner-$name.cpio
	"$TOP/tests/vm/mkinitrd.sh" "$inner" "$config" "payload.bin=$1" || return 1
	BOOT_MEM=1G run_under_l0 "$TOP/configs/recursive-payload.dts" "$2" \
		"l0.bin=${L0_BIN:-$TOP/build/l0.bin}" "inner.cpio=$inner"
}

# log_checks_recursive NAME LOG: the inner L0's checks (its lines carry
# the outer one's "[l0] "), and the outer L0 ran the payload's L2 in its
# shadow: the inner L0's nested switch into the payload's L2 is an SRET that
# the outer L0 emulates as a nested switch too.
log_checks_recursive() {
	log_checks_l0 "$@"
	log_expect "$1: outer-l0-switches" "$2" \
		'\| L0: VM l0: nested switches into L2 [1-9]' \
		"the outer L0 never ran the inner L0's guest"
	# The inner L0 fences every hart when its VM gives back its tables,
	# through L0's remote HFENCE (RFENCE FID 4), end to end.
	log_expect "$1: inner-l0-remote-hfence" "$2" \
		'\| L0: VM l0: SBI calls: [1-9][0-9]* RFENCE' \
		"the inner L0 never called L0's remote HFENCE"
}

. "$TOP/tests/lib/payload.sh"
run_payloads nested nested-payloads "$@"
