#!/usr/bin/env bash
# run.sh MODE [PAYLOAD...]  Boot each guest test payload (build/guest/NAME.bin)
# under a hard timeout with the console logged to
# build/logs/guest-MODE-NAME.log, then turn the payload's lines into cases
# (tests/lib/payload.sh says how).
# MODE reference: directly on QEMU + OpenSBI, the differential baseline.
# MODE l0: as a 2-vCPU guest under L0 (configs/payload.dts); L0 prefixes the
# guest's console lines with "[payload] ".
# Variants (tests/lib/payload.sh): NAME@4 runs on 4 harts (4 vCPUs under L0,
# two on each of QEMU's harts: configs/payload-4.dts); NAME@neighbour, under
# L0 only, runs beside another VM that keeps the same harts busy
# (configs/payload-neighbour.dts, tests/guest/neighbour.c); NAME@nested, L0
# only, in a nested-enabled VM (configs/nested-payload.dts): an L1
# hypervisor gets the same SBI.
set -uo pipefail
TOP=$(cd "$(dirname "$0")/../.." && pwd)
. "$TOP/tests/lib/runner.sh"
MODE=${1:-}
shift || true
LOGS=${L0_LOGS:-$TOP/build/logs}
PAYLOAD_DIR=${GUEST_DIR:-$TOP/build/guest}
TIMEOUT=${GUEST_TIMEOUT:-30}
OPENSBI=${OPENSBI_DIR:-/usr/lib/riscv64-linux-gnu/opensbi/generic}

PAYLOADS=(sbi-base sbi-time sbi-ipi sbi-hsm sbi-rfence sbi-srst sbi-dbcn
	mmio-uart mmio-plic hostile-csr hostile-mem hostile-sbi
	hostile-hsm hsm-states hsm-states@4 sbi-susp sbi-fwft
	sbi-sta sbi-sta@4 sbi-pmu sbi-sse sbi-sse@4)
[ "$MODE" = l0 ] && PAYLOADS+=(hsm-states@neighbour sbi-pmu@neighbour hsm-states@nested
	sbi-susp@nested sbi-fwft@nested sbi-sta@nested sbi-pmu@nested
	sbi-sse@nested)

# Where OpenSBI 1.5 departs from the SBI spec, the case still checks the
# spec; in reference mode its FAIL is counted as a pass that names the
# deviation (a PASS is fine too, e.g. with a newer OpenSBI).
# MODE|payload: case|why
KNOWN=(
	"reference|sbi-ipi: invalid-mask-bit|OpenSBI 1.5 drops harts of hart_mask that do not exist and returns 0 instead of SBI_ERR_INVALID_PARAM (fixed upstream after 1.5)"
	"reference|sbi-rfence: fence-i-invalid-bit|OpenSBI 1.5 drops harts of hart_mask that do not exist and returns 0 instead of SBI_ERR_INVALID_PARAM (fixed upstream after 1.5)"
	"reference|sbi-dbcn: write-above-64bit|OpenSBI 1.5 returns SBI_ERR_FAILED for base_addr_hi != 0, where SBI 2.0's DBCN chapter says SBI_ERR_INVALID_PARAM"
	"reference|sbi-dbcn: write-huge|OpenSBI 1.5 writes the whole buffer in one call, which the spec allows but at QEMU's speed takes minutes for all of RAM, so the case is not run; L0 writes a part and returns its count, as the spec lets it"
	"reference|hostile-sbi: ipi-base-huge|OpenSBI 1.5 drops harts of hart_mask that do not exist, also when hart_mask_base names none, and returns 0 instead of SBI_ERR_INVALID_PARAM"
	"reference|hostile-sbi: rfence-base-huge|OpenSBI 1.5 drops harts of hart_mask that do not exist, also when hart_mask_base names none, and returns 0 instead of SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: load-0x1000|QEMU virt has its boot ROM at 0x1000, which the reference's FDT does not describe; the guest under L0 has nothing there"
	"reference|hostile-mem: dbcn-write-ram-end|OpenSBI 1.5 checks a DBCN buffer against its PMP domain only (all but the firmware) and reads it in M-mode: past RAM the firmware faults and the machine hangs, so the case is not run; SBI 2.0 says SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: dbcn-write-wrap|OpenSBI 1.5 does not check that base + num_bytes wraps, and reads the buffer in M-mode until it faults, so the case is not run; SBI 2.0 says SBI_ERR_INVALID_PARAM"
	"reference|hostile-mem: hsm-start-high|OpenSBI 1.5 checks start_addr against its PMP domain only and starts the hart where nothing is, instead of SBI_ERR_INVALID_ADDRESS"
	"reference|hostile-mem: hsm-start-ram-end|OpenSBI 1.5 checks start_addr against its PMP domain only and starts the hart where nothing is, instead of SBI_ERR_INVALID_ADDRESS (or the hart is already started by hsm-start-high)"
	"reference|hostile-csr: sstatus-uxl|QEMU 10.0's hart keeps UXL = 3 (UXLEN 128 > SXLEN) written to sstatus, which the spec's WARL UXL excludes"
	"reference|sbi-fwft: locked-set|OpenSBI 1.5 implements FWFT from a draft of SBI v3.0: a locked feature is SBI_ERR_DENIED, where v3.0 says SBI_ERR_DENIED_LOCKED"
	"reference|sbi-fwft: lock-per-hart|the same draft's SBI_ERR_DENIED for a locked feature (the lock itself is per hart there too)"
	"reference|sbi-fwft: lock-reset-on-start|OpenSBI 1.5 keeps a hart's FWFT locks and values across HSM stop and start, which SBI v3.0 resets with the hart (KVM does)"
	"reference|sbi-fwft: ad-reset-on-start|OpenSBI 1.5 keeps a hart's FWFT values across HSM stop and start, which SBI v3.0 resets with the hart (KVM does)"
	"reference|sbi-fwft: other-features|OpenSBI 1.5 predates POINTER_MASKING_PMLEN (feature 5), which it reports as reserved (SBI_ERR_DENIED)"
	"reference|sbi-pmu: start|OpenSBI 1.5 leaves the fixed instret counter running from boot: its first counter_start is SBI_ERR_ALREADY_STARTED, though nothing started it"
	"l0|hostile-csr: sstatus-uxl|the same QEMU 10.0 hart bug, seen through vsstatus (QEMU's H extension keeps UXL = 3 too); not L0's doing"
)

# Payloads whose SKIP lines a mode accepts: an extension the SBI below does
# not offer (tests/lib/payload.sh). MODES|payload|why
SKIPPABLE=(
	"reference|sbi-susp|OpenSBI 1.5 offers SUSP only with a platform suspend device, which QEMU virt has not"
	"reference|sbi-sta|STA is for a hypervisor's guests: OpenSBI 1.5 does not offer it"
	"reference|sbi-sse|OpenSBI 1.5 offers an early draft of SSE, not SBI v3.0's: its handler gets ENTRY_ARG in a6, HART_MASK and HART_UNMASK are NOT_SUPPORTED, events are not masked at boot, and a past-RAM attribute buffer would fault in its M-mode"
	"l0|sbi-sse@nested|L0 does not offer SSE to a nested-enabled VM, whose events could come while it runs its L2 (core/sbi/sse.c)"
)

# boot_reference BIN LOG [VARIANT]: QEMU + OpenSBI 1.5 with the payload as
# the kernel.
boot_reference() {
	local smp=2
	[ "${3:-}" = 4 ] && smp=4
	python3 "$TOP/tests/lib/console.py" "$2" timeout --kill-after=5 \
		"$TIMEOUT" "${QEMU:-qemu-system-riscv64}" -M virt -cpu rv64 \
		-smp $smp -m 256M -nographic -monitor none -serial stdio \
		-bios "$OPENSBI/fw_dynamic.bin" -kernel "$1"
}

# boot_l0 BIN LOG [VARIANT]: L0 on QEMU, with the payload as its guest.
boot_l0() {
	case ${3:-} in
	4) run_under_l0 "$TOP/configs/payload-4.dts" "$2" "payload.bin=$1" ;;
	nested)
		run_under_l0 "$TOP/configs/nested-payload.dts" "$2" "payload.bin=$1" ;;
	neighbour)
		run_under_l0 "$TOP/configs/payload-neighbour.dts" "$2" \
			"payload.bin=$1" "neighbour.bin=$PAYLOAD_DIR/neighbour.bin" ;;
	*) run_under_l0 "$TOP/configs/payload.dts" "$2" "payload.bin=$1" ;;
	esac
}

# log_checks_l0 NAME LOG: the payload's VM gave back all it held, and the
# neighbour VM of a @neighbour variant ran to its end beside it.
log_checks_l0() {
	memory_returned "$@"
	if [[ $1 == *@neighbour ]]; then
		if grep -q '\[neighbour\] PASS: neighbour: busy' "$2" &&
			grep -q '\[neighbour\] GUEST DONE neighbour' "$2"; then
			pass "$1: neighbour-ran"
		else
			fail "$1: neighbour-ran" "the other VM did not pass its busy case; see $2"
		fi
	fi
}

. "$TOP/tests/lib/payload.sh"
run_payloads guest guest-payloads "$@"
