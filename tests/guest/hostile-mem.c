// SPDX-License-Identifier: MIT
/*
 * A hostile guest's memory accesses: loads, stores and instruction fetches
 * where the platform has nothing must raise the access faults (causes 5, 7,
 * 1) with stval = the address; AMOs and LR/SC to the UART either work or
 * raise the access fault the spec gives a region without them; misaligned
 * RAM accesses work or raise the misaligned exceptions; SBI calls with
 * memory outside RAM get the SBI errors.
 */
#include <libfdt.h>

#include "guest.h"

#define EXC_INST_ACCESS 1
#define EXC_LOAD_MISALIGNED 4
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_MISALIGNED 6
#define EXC_STORE_ACCESS 7

#define HIGH_HOLE 0x1000000000UL /* 64 GiB: nothing on either machine */
#define WAIT_US 200000

const char payload_name[] = "hostile-mem";
PLAN("load-0x0", "store-0x0", "fetch-0x0", "load-0x1000", "load-0x40000000",
     "store-0x40000000", "load-ram-end", "store-ram-end", "fetch-ram-end",
     "load-high", "store-high", "fetch-high", "load-sizes", "amo-uart",
     "lr-uart", "sc-uart", "misaligned-load", "misaligned-store",
     "dbcn-write-ram-end", "dbcn-write-wrap", "hsm-start-high",
     "hsm-start-ram-end");

static unsigned long ram_end(void)
{
	return plat.mem_base + plat.mem_size;
}

static uint64_t cells(const fdt32_t *p, int n)
{
	uint64_t v = 0;

	while (n--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* Whether [base, base + size) of `n` (addr, size) entries holds addr. */
static bool in_entries(const fdt32_t *p, int len, int skip, int ac, int sc,
		       uint64_t addr)
{
	int stride = skip + ac + sc;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return false;
	for (int i = 0; (i + 1) * stride * 4 <= len; i++) {
		const fdt32_t *e = p + i * stride + skip;
		uint64_t base = cells(e, ac), size = cells(e + ac, sc);

		if (addr - base < size)
			return true;
	}
	return false;
}

/*
 * Whether the FDT describes something at physical `addr`: a node's reg, or
 * the parent side of a bus's ranges (the PCIe windows). Where it does, the
 * platform may answer the access; where it does not, S-mode has nothing
 * there.
 */
static bool fdt_describes(uint64_t addr)
{
	const void *fdt = plat.fdt;
	int node = 0, len, parent, ac, sc;
	const fdt32_t *p;

	while ((node = fdt_next_node(fdt, node, NULL)) >= 0) {
		parent = fdt_parent_offset(fdt, node);
		ac = fdt_address_cells(fdt, parent);
		sc = fdt_size_cells(fdt, parent);
		p = fdt_getprop(fdt, node, "reg", &len);
		if (p && in_entries(p, len, 0, ac, sc, addr))
			return true;
		p = fdt_getprop(fdt, node, "ranges", &len);
		if (p && len > 0 &&
		    in_entries(p, len, fdt_address_cells(fdt, node), ac,
			       fdt_size_cells(fdt, node), addr))
			return true;
	}
	return false;
}

static bool fault_is(struct trap_info ti, unsigned long cause,
		     unsigned long addr)
{
	return ti.taken && ti.scause == cause && ti.stval == addr;
}

/*
 * The accesses are asm: C would let the compiler turn an access to address
 * 0 into a trap instruction of its own.
 */
#define LOAD_INSN(insn, addr)                      \
	({                                         \
		unsigned long v_;                  \
		trap_expect(0);                    \
		__asm__ volatile(insn " %0, 0(%1)" \
				 : "=r"(v_)        \
				 : "r"(addr)       \
				 : "memory");      \
		(void)v_;                          \
		trap_result();                     \
	})

static struct trap_info load64(unsigned long addr)
{
	return LOAD_INSN("ld", addr);
}

static struct trap_info store64(unsigned long addr)
{
	trap_expect(0);
	__asm__ volatile("sd %0, 0(%1)" ::"r"(0x5a5a5a5a5a5a5a5aUL), "r"(addr)
			 : "memory");
	return trap_result();
}

/* Jump to addr; the fetch fault resumes at the label after the jump. */
static struct trap_info fetch(unsigned long addr)
{
	volatile unsigned long *resume = &traps[this_hart()].resume;

	trap_expect(0);
	__asm__ volatile("lla t0, 1f\n"
			 "sd t0, 0(%0)\n"
			 "fence rw, rw\n"
			 "jr %1\n"
			 "1:\n" ::"r"(resume),
			 "r"(addr)
			 : "t0", "ra", "memory");
	return trap_result();
}

static void access_case(const char *name, struct trap_info ti,
			unsigned long cause, unsigned long addr)
{
	check(name, fault_is(ti, cause, addr),
	      "taken %d scause 0x%lx stval 0x%lx sepc 0x%lx, want cause %lu at 0x%lx",
	      ti.taken, ti.scause, ti.stval, ti.sepc, cause, addr);
}

/* A hole in the guest's map, unless its FDT puts a device window there. */
static void window_case(const char *name, struct trap_info ti,
			unsigned long cause, unsigned long addr)
{
	if (!ti.taken && fdt_describes(addr))
		pass_note(name, "no fault: the FDT describes 0x%lx", addr);
	else
		access_case(name, ti, cause, addr);
}

static void fetch_case(const char *name, unsigned long addr)
{
	struct trap_info ti = fetch(addr);

	check(name, fault_is(ti, EXC_INST_ACCESS, addr) && ti.sepc == addr,
	      "taken %d scause 0x%lx stval 0x%lx sepc 0x%lx, want cause 1 at 0x%lx",
	      ti.taken, ti.scause, ti.stval, ti.sepc, addr);
}

static void hole_cases(void)
{
	unsigned long end = ram_end();
	struct trap_info ti;
	bool ok = true;

	access_case("load-0x0", load64(0), EXC_LOAD_ACCESS, 0);
	access_case("store-0x0", store64(0), EXC_STORE_ACCESS, 0);
	fetch_case("fetch-0x0", 0);
	access_case("load-0x1000", load64(0x1000), EXC_LOAD_ACCESS, 0x1000);
	window_case("load-0x40000000", load64(0x40000000), EXC_LOAD_ACCESS,
		    0x40000000);
	window_case("store-0x40000000", store64(0x40000000), EXC_STORE_ACCESS,
		    0x40000000);
	access_case("load-ram-end", load64(end), EXC_LOAD_ACCESS, end);
	access_case("store-ram-end", store64(end), EXC_STORE_ACCESS, end);
	fetch_case("fetch-ram-end", end);
	access_case("load-high", load64(HIGH_HOLE), EXC_LOAD_ACCESS, HIGH_HOLE);
	access_case("store-high", store64(HIGH_HOLE), EXC_STORE_ACCESS,
		    HIGH_HOLE);
	fetch_case("fetch-high", HIGH_HOLE);

	/* Every width, signed and unsigned, at an odd-free hole address. */
#define LOAD_W(insn)                                                         \
	do {                                                                 \
		ti = LOAD_INSN(insn, end + 8);                               \
		if (ok && !fault_is(ti, EXC_LOAD_ACCESS, end + 8)) {         \
			ok = false;                                          \
			check("load-sizes", false,                           \
			      "%s: taken %d scause 0x%lx stval 0x%lx", insn, \
			      ti.taken, ti.scause, ti.stval);                \
		}                                                            \
	} while (0)
	LOAD_W("lb");
	LOAD_W("lbu");
	LOAD_W("lh");
	LOAD_W("lhu");
	LOAD_W("lw");
	LOAD_W("lwu");
	LOAD_W("ld");
#undef LOAD_W
	if (ok)
		check("load-sizes", true, "-");
}

/*
 * AMO and LR/SC at the UART's MCR (register 4, a 4-aligned offset): a
 * region without AMOs or LR/SC raises the store/AMO access fault (LR: a
 * load or store/AMO access fault); a region with them just does it. The
 * AMO ORs in 0, the SC stores MCR's reset value 0: harmless either way.
 */
static void atomic_cases(void)
{
	unsigned long mcr = plat.uart_base + (4UL << plat.uart_shift);
	uint8_t saved = *(volatile uint8_t *)mcr;
	struct trap_info ti;
	unsigned long v = 0, sc = 0;

	trap_expect(0);
	__asm__ volatile("amoor.w %0, zero, (%1)"
			 : "=r"(v)
			 : "r"(mcr)
			 : "memory");
	ti = trap_result();
	check("amo-uart", !ti.taken || fault_is(ti, EXC_STORE_ACCESS, mcr),
	      "scause 0x%lx stval 0x%lx at 0x%lx", ti.scause, ti.stval, mcr);
	if (!ti.taken)
		gprintf("hostile-mem: amoor.w on the UART worked (0x%lx)\n", v);

	trap_expect(0);
	__asm__ volatile("lr.w %0, (%1)" : "=r"(v) : "r"(mcr) : "memory");
	ti = trap_result();
	check("lr-uart",
	      !ti.taken || fault_is(ti, EXC_LOAD_ACCESS, mcr) ||
		      fault_is(ti, EXC_STORE_ACCESS, mcr),
	      "scause 0x%lx stval 0x%lx at 0x%lx", ti.scause, ti.stval, mcr);

	trap_expect(0);
	__asm__ volatile("sc.w %0, zero, (%1)"
			 : "=&r"(sc)
			 : "r"(mcr)
			 : "memory");
	ti = trap_result();
	check("sc-uart", !ti.taken || fault_is(ti, EXC_STORE_ACCESS, mcr),
	      "scause 0x%lx stval 0x%lx at 0x%lx", ti.scause, ti.stval, mcr);
	*(volatile uint8_t *)mcr = saved;
}

static void misaligned_cases(void)
{
	static uint8_t buf[32] __attribute__((aligned(16)));
	unsigned long a32 = (unsigned long)buf + 1,
		      a64 = (unsigned long)buf + 3;
	uint32_t v32 = 0;
	uint64_t v64 = 0, want64 = 0;
	struct trap_info t1, t2;

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)(0x11 * i + 1);
	for (unsigned int i = 0; i < 8; i++)
		want64 |= (uint64_t)buf[3 + i] << (8 * i);
	mb();
	trap_expect(0);
	v32 = *(volatile uint32_t *)a32;
	t1 = trap_result();
	trap_expect(0);
	v64 = *(volatile uint64_t *)a64;
	t2 = trap_result();
	check("misaligned-load",
	      (t1.taken ? fault_is(t1, EXC_LOAD_MISALIGNED, a32)
			: v32 == (buf[1] | (uint32_t)buf[2] << 8 |
				  (uint32_t)buf[3] << 16 |
				  (uint32_t)buf[4] << 24)) &&
		      (t2.taken ? fault_is(t2, EXC_LOAD_MISALIGNED, a64)
				: v64 == want64),
	      "lw: taken %d cause 0x%lx value 0x%x; ld: taken %d cause 0x%lx value 0x%lx",
	      t1.taken, t1.scause, v32, t2.taken, t2.scause,
	      (unsigned long)v64);

	trap_expect(0);
	*(volatile uint32_t *)a32 = 0xdeadbeef;
	t1 = trap_result();
	mb();
	check("misaligned-store",
	      t1.taken ? fault_is(t1, EXC_STORE_MISALIGNED, a32)
		       : buf[1] == 0xef && buf[2] == 0xbe && buf[3] == 0xad &&
				 buf[4] == 0xde && buf[0] == 1 &&
				 buf[5] == (uint8_t)(0x11 * 5 + 1),
	      "taken %d cause 0x%lx bytes %x %x %x %x %x %x", t1.taken,
	      t1.scause, buf[0], buf[1], buf[2], buf[3], buf[4], buf[5]);
}

static long hsm_status(long hart)
{
	struct sbiret r = sbi_hart_status((unsigned long)hart);

	return r.error ? r.error : r.value;
}

/* hart_start at a physical address with nothing to execute. */
static void hsm_case(const char *name, long other, unsigned long addr)
{
	long err;

	if (other < 0) {
		check(name, false, "needs 2 harts");
		return;
	}
	err = sbi_hart_start((unsigned long)other, addr, 0);
	check(name, err == SBI_ERR_INVALID_ADDRESS,
	      "start at 0x%lx: error %ld, want -5; status %ld", addr, err,
	      hsm_status(other));
}

static void sbi_cases(void)
{
	long other = other_hart();
	unsigned long end = ram_end();
	struct sbiret r;

	/*
	 * OpenSBI up to 1.5 checks a DBCN buffer against its PMP domain
	 * only, then reads it in M-mode (see opensbi_upto_1_5()).
	 */
	if (opensbi_upto_1_5()) {
		check("dbcn-write-ram-end", false,
		      "not run: OpenSBI <= 1.5 would fault in M-mode");
		check("dbcn-write-wrap", false,
		      "not run: OpenSBI <= 1.5 would fault in M-mode");
		goto hsm;
	}
	/* A buffer that starts in RAM and runs past its end. */
	r = sbi_call(SBI_EXT_DBCN, 0, 16, end - 8, 0, 0, 0);
	check("dbcn-write-ram-end",
	      r.error == SBI_ERR_INVALID_PARAM ||
		      r.error == SBI_ERR_INVALID_ADDRESS,
	      "[0x%lx, +16): error %ld value %ld, want -3 or -5", end - 8,
	      r.error, r.value);
	/* A length that wraps the address space. */
	r = sbi_call(SBI_EXT_DBCN, 0, ~0UL - 0xfff, plat.mem_base + 0x200000, 0,
		     0, 0);
	check("dbcn-write-wrap",
	      r.error == SBI_ERR_INVALID_PARAM ||
		      r.error == SBI_ERR_INVALID_ADDRESS,
	      "error %ld value %ld, want -3 or -5", r.error, r.value);
hsm:
	hsm_case("hsm-start-high", other, HIGH_HOLE);
	hsm_case("hsm-start-ram-end", other, end);
}

void test_main(void)
{
	gprintf("hostile-mem: RAM ends at 0x%lx, UART 0x%lx\n", ram_end(),
		(unsigned long)plat.uart_base);
	hole_cases();
	atomic_cases();
	misaligned_cases();
	sbi_cases();
}
