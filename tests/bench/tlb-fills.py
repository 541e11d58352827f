#!/usr/bin/env python3
"""TLB fills of L0 per trap, from QEMU's TLB log (tests/boot/qemu.sh
--trace-tlb, QEMU's -d mmu) of a run of one vCPU on one host hart.

  tlb-fills.py LOG L0_ELF

QEMU empties its TLB on every change of V (docs/images.md), so each trap
refills every page L0 touches: a page walk and a PMP check each, a cost the
instruction counts do not show. A trap begins where L0 fetches from its
trap vector's page: that fill comes first after each change of V. The fills
until the next trap are L0's in S-mode without V (QEMU's MMU index 1), the
guest's own in other indexes. Prints the most common count per trap (the
payload's CSR accesses are nearly all of its traps), then the pages of one
such trap, by symbol, on standard error.
"""
import bisect
import collections
import re
import subprocess
import sys

L0_MMU_IDX = "1"  # QEMU's MMUIdx_S: S-mode, V = 0, sstatus.SUM = 0
FETCH = "2"  # QEMU's MMU access type for an instruction fetch
FILL = re.compile(r"riscv_cpu_tlb_fill ad ([0-9a-f]+) rw (\d) mmu_idx (\d+)")


def symbols(elf):
    out = subprocess.run(["riscv64-linux-gnu-nm", "-n", elf], check=True,
                         capture_output=True, text=True).stdout
    syms = []
    for line in out.splitlines():
        f = line.split()
        if len(f) == 3:
            syms.append((int(f[0], 16), f[2]))
    return syms


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    syms = symbols(sys.argv[2])
    addrs = [a for a, _ in syms]
    vector = next(a for a, n in syms if n == "trap_vector") >> 12

    def name(addr):
        i = bisect.bisect_right(addrs, addr) - 1
        return syms[i][1] if 0 <= i and addr <= addrs[-1] else "(heap)"

    traps, cur = [], None
    with open(sys.argv[1]) as log:
        for line in log:
            m = FILL.match(line)
            if not m or m.group(3) != L0_MMU_IDX:
                continue
            addr = int(m.group(1), 16)
            if addr >> 12 == vector and m.group(2) == FETCH:
                if cur is not None:
                    traps.append(cur)
                cur = []
            if cur is not None:
                cur.append(addr)
    if not traps:
        sys.exit("tlb-fills.py: no trap in " + sys.argv[1])
    count = collections.Counter(len(t) for t in traps).most_common(1)[0][0]
    one = next(t for t in traps if len(t) == count)
    print(f"{count} fills, pages of one trap: " +
          ", ".join(f"{a >> 12:x} {name(a)}" for a in one), file=sys.stderr)
    print(count)


if __name__ == "__main__":
    main()
