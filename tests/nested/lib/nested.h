/* SPDX-License-Identifier: MIT */
/*
 * The nested test payloads' runtime (tests/nested/lib): tests/guest/lib's
 * S-mode runtime, run on a hart with the H extension as a small HS-mode
 * hypervisor (L1), plus what it needs to run L2 code and check the trap
 * CSRs. Constants from the RISC-V privileged spec, "Hypervisor Extension".
 */
#ifndef NESTED_H
#define NESTED_H

#include "guest.h"

/* Instructions of the H extension, for inline asm. */
#define HASM(s) ".option push\n.option arch, +h\n" s "\n.option pop\n"

/* sstatus */
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define SSTATUS_SUM (1UL << 18)
#define SSTATUS_MXR (1UL << 19)
#define SSTATUS_UXL (3UL << 32)

/* hstatus */
#define HSTATUS_VSBE (1UL << 5)
#define HSTATUS_GVA (1UL << 6)
#define HSTATUS_SPV (1UL << 7)
#define HSTATUS_SPVP (1UL << 8)
#define HSTATUS_HU (1UL << 9)
#define HSTATUS_VGEIN_SHIFT 12
#define HSTATUS_VGEIN (0x3fUL << HSTATUS_VGEIN_SHIFT)
#define HSTATUS_VTVM (1UL << 20)
#define HSTATUS_VTW (1UL << 21)
#define HSTATUS_VTSR (1UL << 22)
#define HSTATUS_VSXL_SHIFT 32
#define HSTATUS_VSXL (3UL << HSTATUS_VSXL_SHIFT)
#define HSTATUS_HUPMM (3UL << 48)

/* Exception causes. */
#define EXC_FETCH_ACCESS 1
#define EXC_ILLEGAL 2
#define EXC_BREAKPOINT 3
#define EXC_LOAD_ACCESS 5
#define EXC_STORE_ACCESS 7
#define EXC_ECALL_U 8
#define EXC_ECALL_S 9
#define EXC_ECALL_VS 10
#define EXC_LOAD_PF 13
#define EXC_STORE_PF 15
#define EXC_FETCH_GPF 20
#define EXC_LOAD_GPF 21
#define EXC_VIRTUAL 22
#define EXC_STORE_GPF 23

/* Interrupts: VS-level bits in hip/hie/hvip/hideleg. */
#define IRQ_VS_SOFT 2
#define IRQ_VS_TIMER 6
#define IRQ_VS_EXT 10
#define IRQ_S_GEXT 12
#define HIP_VSSIP (1UL << IRQ_VS_SOFT)
#define HIP_VSTIP (1UL << IRQ_VS_TIMER)
#define HIP_VSEIP (1UL << IRQ_VS_EXT)
#define HIP_VS_ALL (HIP_VSSIP | HIP_VSTIP | HIP_VSEIP)

/* Address translation. */
#define ATP_MODE_SHIFT 60
#define ATP_MODE_SV39 8UL
#define ATP_MODE_SV48 9UL
#define ATP_MODE_SV57 10UL
#define HGATP_VMID_SHIFT 44
#define HGATP_VMID_MASK 0x3fffUL
#define ATP_PPN_MASK ((1UL << 44) - 1)
#define SATP_ASID_SHIFT 44
#define PTE_V (1UL << 0)
#define PTE_R (1UL << 1)
#define PTE_W (1UL << 2)
#define PTE_X (1UL << 3)
#define PTE_U (1UL << 4)
#define PTE_A (1UL << 6)
#define PTE_D (1UL << 7)

/* What an L2 snippet reports in a7 (lib/l2code.S). */
#define L2_DONE 1
#define L2_SPUN 2
#define L2_VEC 3

/* L2's registers and, after l2_enter returns, the trap that ended the run. */
struct vctx {
	unsigned long x[32];
	unsigned long pc;
	unsigned long scause, stval, htval, htinst, hstatus, sstatus;
	unsigned long host_sp;
};

/* Registers by ABI name. */
#define R_SP 2
#define R_A0 10
#define R_A1 11
#define R_A2 12
#define R_A3 13
#define R_A7 17

enum l2_mode {
	MODE_VS, /* SPV=1, SPP=1 */
	MODE_VU, /* SPV=1, SPP=0 */
	MODE_U,	 /* SPV=0, SPP=0 */
	MODE_HS, /* SPV=0, SPP=1: sret stays in HS */
};

void l2_enter(struct vctx *c);
/*
 * l2_enter through SBI NACL's SYNC_SRET: c's x1..x31 go to the nested SRET
 * context at `sret`, L0 loads them and does the SRET (hstatus.SPV and
 * sstatus.SPP are the caller's). After an L2 run, as l2_enter; when the
 * call fails, its SBI error (and c is untouched).
 */
long l2_enter_nacl(struct vctx *c, void *sret);
/* Fresh registers for L2 code at pc, with a stack. */
void vctx_init(struct vctx *c, void (*pc)(void));
/* Set hstatus.SPV and sstatus.SPP (SPIE=0) for mode, then l2_enter. */
void l2_run(struct vctx *c, enum l2_mode mode);
/* Whether the run ended in an ecall from VS-mode (L2's l2_vec report). */
bool l2_reported(const struct vctx *c);

/* The L2 snippets (lib/l2code.S). */
void l2_ecall(void);
void l2_ebreak(void);
void l2_unimp(void);
void l2_rd_hstatus(void);
void l2_wr_hstatus(void);
void l2_rd_hgatp(void);
void l2_rd_hedeleg(void);
void l2_rd_hvip(void);
void l2_rd_vsstatus(void);
void l2_rd_vsatp(void);
void l2_hfence_vvma(void);
void l2_hfence_gvma(void);
void l2_hlv(void);
void l2_hlvx(void);
void l2_hsv(void);
void l2_wfi(void);
void l2_sret(void);
void l2_sfence(void);
void l2_rd_satp(void);
void l2_wr_satp(void);
void l2_rd_sstatus(void);
void l2_rd_mstatus(void);
void l2_rdtime(void);
void l2_load(void);
void l2_store(void);
void l2_jump(void);
void l2_wr_sscratch(void);
void l2_spin(void);
void l2_spin_wfi(void);
void l2_vec(void);
void l2_vec_clr(void);
void l2_hs_rd_hstatus(void);

#define ADDR(fn) ((unsigned long)(fn))
/* The 32-bit instruction at fn (what stval may hold). */
static inline uint32_t insn_at(void (*fn)(void))
{
	return *(volatile uint32_t *)fn;
}

/* An exception taken in HS-mode while expected (as trap_expect()). */
struct htrap_info {
	bool taken;
	unsigned long scause, stval, sepc, htval, htinst, hstatus;
};

void htrap_expect(unsigned long resume);
struct htrap_info htrap_result(void);

/* Whether stval is a legal value for an illegal/virtual instruction trap of
 * insn: zero or the instruction's bits. */
static inline bool stval_insn_ok(unsigned long stval, uint32_t insn)
{
	return stval == 0 || stval == insn;
}

/* Restore the H state the payloads start from between cases. */
void h_reset(void);

/* G-stage table (Sv39x4) with one level-1 and one level-0 table. */
void gstage_reset(void);
/* Map gpa (4 KiB) -> pa with flags (V, U, A, D added); gpa must be in the
 * first 2 MiB region mapped with gstage_map_4k (all in one region). */
void gstage_map_4k(uint64_t gpa, uint64_t pa, unsigned long flags);
void gstage_map_2m(uint64_t gpa, uint64_t pa, unsigned long flags);
unsigned long gstage_hgatp(unsigned long vmid);

/* VS-stage Sv39 table: 1 GiB identity pages and one 4 KiB table. */
void vstage_reset(void);
void vstage_map_1g(uint64_t va, uint64_t pa, unsigned long flags);
void vstage_map_4k(uint64_t va, uint64_t pa, unsigned long flags);
unsigned long vstage_root(void);
unsigned long vstage_satp(void);

bool has_sstc(void);

/* xorshift64: the hostile payloads' pseudo-random numbers (fixed seeds). */
static inline unsigned long xorshift64(uint64_t *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

#endif
