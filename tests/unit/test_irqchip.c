// SPDX-License-Identifier: MIT
/*
 * drivers/irq/ against register-level fakes of a PLIC (its gateway holds a
 * claimed source until its completion, PLIC spec "Interrupt Gateways"), an
 * APLIC S-level domain and an IMSIC S-level interrupt file, as the AIA
 * spec 1.0 has them behave:
 * the APLIC's sourcecfg reads 0 for a source its parent did not delegate
 * (4.5.2), domaincfg.DM is WARL (4.5.1); in direct mode a level source is
 * pending while its input is high, also right after a claim (4.7, 4.8.1.5);
 * in MSI mode the APLIC sends an MSI for a pending, enabled source and
 * clears its pending bit, sets it again on a rising edge or on a setipnum
 * write while the input is high (4.7, 4.9.2); the file's stopei claims its
 * lowest enabled pending identity (3.9). Each driver must keep a claimed
 * level source from interrupting again until it is completed.
 */
#include <string.h>

#include <drivers/aia.h>
#include <drivers/irqchip.h>

#include "stubs.h"

#define APLIC_BASE 0xd000000UL
#define PLIC_BASE 0xc000000UL
#define PLIC_NDEV 95
#define PLIC_CTX 3
#define NSRC 96
#define NHARTS 8
#define IDC_TOPI 0x18

static struct fake_aplic {
	bool msi_capable, direct_capable;
	uint32_t domaincfg;
	uint32_t sourcecfg[NSRC + 1], target[NSRC + 1];
	bool delegated[NSRC + 1], ie[NSRC + 1], ip[NSRC + 1], in[NSRC + 1];
	uint32_t idelivery[NHARTS], iforce[NHARTS], ithreshold[NHARTS];
	unsigned int msis, misdirected, bad;
} a;

static struct fake_imsic {
	unsigned int hart_index; /* what the APLIC's MSIs must name */
	uint64_t eidelivery, eithreshold, eie[4], eip[4];
	unsigned int bad;
} m;

static struct fake_plic {
	uint32_t priority[PLIC_NDEV + 1], threshold;
	uint32_t enable[(PLIC_NDEV + 32) / 32];
	bool in[PLIC_NDEV + 1], claimed[PLIC_NDEV + 1];
	unsigned int bad;
} pl;

/* The lowest source, of the highest priority above the threshold. */
static unsigned int plic_top(void)
{
	unsigned int best = 0;

	for (unsigned int i = 1; i <= PLIC_NDEV; i++)
		if (pl.in[i] && !pl.claimed[i] &&
		    pl.enable[i / 32] & BIT(i % 32) &&
		    pl.priority[i] > pl.threshold &&
		    (!best || pl.priority[i] > pl.priority[best]))
			best = i;
	return best;
}

/* Context PLIC_CTX's registers, and the priorities: nothing else. */
static uint32_t *plic_reg(uintptr_t off, bool *claim)
{
	*claim = false;
	if (off >= 4 && off <= 4 * PLIC_NDEV && !(off % 4))
		return &pl.priority[off / 4];
	if (off >= 0x2000 + 0x80 * PLIC_CTX &&
	    off < 0x2000 + 0x80 * PLIC_CTX + sizeof(pl.enable))
		return &pl.enable[(off - 0x2000 - 0x80 * PLIC_CTX) / 4];
	if (off == 0x200000 + 0x1000 * PLIC_CTX)
		return &pl.threshold;
	if (off == 0x200004 + 0x1000 * PLIC_CTX) {
		*claim = true;
		return NULL;
	}
	pl.bad++;
	return NULL;
}

static uint32_t plic_read(uintptr_t off)
{
	bool claim;
	uint32_t *r = plic_reg(off, &claim);
	unsigned int top;

	if (!claim)
		return r ? *r : 0;
	top = plic_top();
	if (top)
		pl.claimed[top] = true; /* the gateway holds it */
	return top;
}

static void plic_write(uintptr_t off, uint32_t v)
{
	bool claim;
	uint32_t *r = plic_reg(off, &claim);

	if (r)
		*r = v;
	else if (claim && v && v <= PLIC_NDEV)
		pl.claimed[v] = false;
}

static bool active(unsigned int i)
{
	return i && i <= NSRC && (a.sourcecfg[i] & SOURCECFG_SM) == SM_LEVEL1;
}

static bool msi_mode(void)
{
	return a.domaincfg & DOMAINCFG_DM;
}

/* MSI mode: a pending, enabled source is sent, and no longer pending. */
static void forward_msis(void)
{
	if (!msi_mode() || !(a.domaincfg & DOMAINCFG_IE))
		return;
	for (unsigned int i = 1; i <= NSRC; i++) {
		uint32_t t = a.target[i];
		unsigned int id = (unsigned int)field_get(TARGET_EIID, t);

		if (!active(i) || !a.ie[i] || !a.ip[i])
			continue;
		a.ip[i] = false;
		a.msis++;
		if (field_get(TARGET_HART, t) != m.hart_index ||
		    field_get(TARGET_GUEST, t) || !id || id >= 256) {
			a.misdirected++;
			continue;
		}
		m.eip[id / 64] |= BIT(id % 64);
	}
}

/* The device drives source `i`'s wire. */
static void line(unsigned int i, bool level)
{
	bool rising = level && !a.in[i];

	a.in[i] = level;
	if (!active(i))
		return;
	if (!msi_mode())
		a.ip[i] = level; /* direct mode: pending while high */
	else if (rising)
		a.ip[i] = true;
	else if (!level)
		a.ip[i] = false;
	forward_msis();
}

/* Direct mode: the top source for IDC `h`, as topi/claimi give it. */
static uint32_t topi(unsigned int h)
{
	unsigned int best = 0, best_prio = 256;

	for (unsigned int i = 1; i <= NSRC; i++) {
		unsigned int prio = a.target[i] & TARGET_IPRIO;

		if (!active(i) || !a.ie[i] || !a.ip[i] ||
		    field_get(TARGET_HART, a.target[i]) != h)
			continue;
		if (a.ithreshold[h] && prio >= a.ithreshold[h])
			continue;
		if (prio < best_prio)
			best = i, best_prio = prio;
	}
	return best ? (uint32_t)(best << 16 | best_prio) : 0;
}

/* Whether the APLIC (direct) or the file (MSI) raises hart h's SEIP. */
static bool seip(unsigned int h)
{
	if (msi_mode()) {
		for (unsigned int k = 0; k < 4; k++)
			if (m.eidelivery && (m.eip[k] & m.eie[k]))
				return true;
		return false;
	}
	return (a.domaincfg & DOMAINCFG_IE) && a.idelivery[h] && topi(h);
}

uint32_t irqchip_read32(uintptr_t addr)
{
	uintptr_t off = addr - APLIC_BASE;

	if (addr >= PLIC_BASE && addr < APLIC_BASE)
		return plic_read(addr - PLIC_BASE);
	if (off == APLIC_DOMAINCFG)
		return 0x80000000u | a.domaincfg;
	if (off >= APLIC_SOURCECFG(1) && off <= APLIC_SOURCECFG(NSRC))
		return a.sourcecfg[(off - APLIC_SOURCECFG(1)) / 4 + 1];
	if (off >= APLIC_IDC(0) && off < APLIC_IDC(NHARTS)) {
		unsigned int h = (unsigned int)(off - APLIC_IDC(0)) / 32;
		uint32_t top = topi(h);

		switch ((off - APLIC_IDC(0)) % 32) {
		case IDC_CLAIMI:
			if (top) {
				unsigned int i = top >> 16;

				a.ip[i] = a.in[i]; /* level: pending again */
			}
			return top;
		case IDC_TOPI:
			return top;
		}
	}
	a.bad++;
	return 0;
}

void irqchip_write32(uintptr_t addr, uint32_t v)
{
	uintptr_t off = addr - APLIC_BASE;

	if (addr >= PLIC_BASE && addr < APLIC_BASE) {
		plic_write(addr - PLIC_BASE, v);
		return;
	}
	if (off == APLIC_DOMAINCFG) {
		/* DM is WARL: a mode the domain lacks is not taken. */
		uint32_t dm = v & DOMAINCFG_DM;

		if ((dm && !a.msi_capable) || (!dm && !a.direct_capable))
			dm = a.domaincfg & DOMAINCFG_DM;
		a.domaincfg = (v & DOMAINCFG_IE) | dm;
	} else if (off >= APLIC_SOURCECFG(1) && off <= APLIC_SOURCECFG(NSRC)) {
		unsigned int i =
			(unsigned int)(off - APLIC_SOURCECFG(1)) / 4 + 1;

		if (!a.delegated[i])
			return;
		a.sourcecfg[i] = v & (SOURCECFG_D | SOURCECFG_SM);
		a.ie[i] = a.ip[i] = false;
		if (active(i) && a.in[i] && !msi_mode())
			a.ip[i] = true;
	} else if (off >= APLIC_TARGET(1) && off <= APLIC_TARGET(NSRC)) {
		a.target[(off - APLIC_TARGET(1)) / 4 + 1] = v;
	} else if (off >= APLIC_CLRIE(0) && off <= APLIC_CLRIE(NSRC / 32)) {
		for (unsigned int b = 0; b < 32; b++) {
			unsigned int i =
				(unsigned int)(off - APLIC_CLRIE(0)) * 8 + b;

			if (i <= NSRC && v & BIT(b))
				a.ie[i] = false;
		}
	} else if (off == APLIC_SETIENUM || off == APLIC_CLRIENUM) {
		if (active(v))
			a.ie[v] = off == APLIC_SETIENUM;
		forward_msis();
	} else if (off == APLIC_SETIPNUM) {
		/* A level source: only while its input is high (4.7). */
		if (active(v) && a.in[v])
			a.ip[v] = true;
		forward_msis();
	} else if (off >= APLIC_IDC(0) && off < APLIC_IDC(NHARTS)) {
		unsigned int h = (unsigned int)(off - APLIC_IDC(0)) / 32;

		switch ((off - APLIC_IDC(0)) % 32) {
		case IDC_IDELIVERY:
			a.idelivery[h] = v & 1;
			break;
		case IDC_IFORCE:
			a.iforce[h] = v & 1;
			break;
		case IDC_ITHRESHOLD:
			a.ithreshold[h] = v & 0xff;
			break;
		default:
			a.bad++;
		}
	} else {
		a.bad++;
	}
}

/* The file's registers by siselect: RV64 has no odd eip/eie (3.8.4). */
static uint64_t *file_reg(unsigned int reg)
{
	if (reg == IMSIC_EIDELIVERY)
		return &m.eidelivery;
	if (reg == IMSIC_EITHRESHOLD)
		return &m.eithreshold;
	if (reg >= IMSIC_EIE0 && reg < IMSIC_EIE0 + 8 && !(reg & 1))
		return &m.eie[(reg - IMSIC_EIE0) / 2];
	m.bad++;
	return NULL;
}

uint64_t imsic_read(unsigned int reg)
{
	uint64_t *r = file_reg(reg);

	return r ? *r : 0;
}

void imsic_write(unsigned int reg, uint64_t v)
{
	uint64_t *r = file_reg(reg);

	if (r)
		*r = v;
}

uint64_t imsic_claim_top(void)
{
	for (unsigned int id = 1; id < 256; id++) {
		if (m.eithreshold && id >= m.eithreshold)
			break;
		if (m.eip[id / 64] & m.eie[id / 64] & BIT(id % 64)) {
			m.eip[id / 64] &= ~BIT(id % 64);
			return (uint64_t)id << 16 | id;
		}
	}
	return 0;
}

static struct platform plat;

/* Garbage where the firmware may have left some: init must clear it. */
static void fake_reset(void)
{
	memset(&a, 0, sizeof(a));
	memset(&m, 0, sizeof(m));
	memset(&pl, 0, sizeof(pl));
	memset(&plat, 0, sizeof(plat));
	a.msi_capable = a.direct_capable = true;
	for (unsigned int i = 1; i <= NSRC; i++) {
		a.delegated[i] = i != 11; /* the parent kept source 11 */
		a.sourcecfg[i] = a.delegated[i] ? SM_LEVEL1 : 0;
		a.ie[i] = a.delegated[i];
	}
	memset(m.eie, 0xff, sizeof(m.eie));
	m.eithreshold = 5;
	plat.aplic = (struct platform_mmio){ true, APLIC_BASE, 0x8000, NSRC };
	plat.ncpus = 1;
}

static void plic_host(void)
{
	fake_reset();
	plat.irqchip = IRQCHIP_PLIC;
	plat.plic =
		(struct platform_mmio){ true, PLIC_BASE, 0x4000000, PLIC_NDEV };
	plat.cpus[0].irq_target = PLIC_CTX;
	pl.threshold = 7;
	/* What firmware may leave on: init must turn it off. */
	memset(pl.enable, 0xff, sizeof(pl.enable));
}

static void aplic_host(int idc)
{
	fake_reset();
	plat.irqchip = IRQCHIP_APLIC;
	plat.cpus[0].irq_target = idc;
}

static void imsic_host(unsigned int hart_index)
{
	fake_reset();
	plat.irqchip = IRQCHIP_IMSIC;
	plat.aplic_msi = true;
	plat.imsic_files.num_ids = 255;
	plat.cpus[0].irq_target = (int)hart_index;
	m.hart_index = hart_index;
}

/* The PLIC behind the same interface: its context, its gateway. */
static void test_plic(void **state)
{
	(void)state;
	plic_host();
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_string_equal(irqchip_name(), "PLIC");
	assert_int_equal(pl.threshold, 0);
	for (unsigned int w = 0; w < ARRAY_SIZE(pl.enable); w++)
		assert_int_equal(pl.enable[w], 0);
	assert_true(irqchip_enable(10));
	assert_true(irqchip_enable(40));
	assert_false(irqchip_enable(0));
	assert_false(irqchip_enable(PLIC_NDEV + 1));
	assert_int_equal(pl.priority[10], 1);
	assert_int_equal(pl.enable[0], BIT(10));
	assert_int_equal(pl.enable[1], BIT(40 - 32));
	pl.in[10] = pl.in[40] = true;
	assert_int_equal(irqchip_claim(), 10);
	assert_int_equal(irqchip_claim(), 40);
	assert_int_equal(irqchip_claim(), 0);
	irqchip_complete(10); /* still high: it comes again */
	assert_int_equal(irqchip_claim(), 10);
	pl.in[10] = false;
	irqchip_complete(10);
	assert_int_equal(irqchip_claim(), 0);
	irqchip_complete(40);
	irqchip_disable(40); /* routed no more: its line is not seen */
	assert_int_equal(pl.enable[1], 0);
	assert_int_equal(pl.enable[0], BIT(10));
	assert_int_equal(irqchip_claim(), 0);
	assert_int_equal(pl.bad + a.bad, 0);
}

static void test_aplic_direct_setup(void **state)
{
	(void)state;
	aplic_host(2);
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_string_equal(irqchip_name(), "APLIC (direct delivery)");
	assert_int_equal(a.domaincfg, DOMAINCFG_IE);
	assert_int_equal(a.idelivery[2], 1);
	assert_int_equal(a.ithreshold[2], 0);
	assert_int_equal(a.iforce[2], 0);
	for (unsigned int i = 1; i <= NSRC; i++)
		assert_false(a.ie[i]);
	assert_true(irqchip_enable(10));
	assert_int_equal(a.sourcecfg[10], SM_LEVEL1);
	assert_int_equal(a.target[10], field_prep(TARGET_HART, 2) | 1);
	assert_true(a.ie[10]);
	assert_int_equal(a.bad, 0);
}

/* Claimed, the source stays quiet until completed, however long it is high. */
static void test_aplic_direct_claim_holds(void **state)
{
	(void)state;
	aplic_host(2);
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_true(irqchip_enable(10));
	assert_true(irqchip_enable(20));
	assert_false(seip(2));
	line(10, true);
	assert_true(seip(2));
	assert_false(seip(0));
	assert_int_equal(irqchip_claim(), 10);
	assert_false(seip(2));
	assert_int_equal(irqchip_claim(), 0);
	line(20, true);
	assert_int_equal(irqchip_claim(), 20);
	irqchip_complete(10); /* still high: it comes again */
	assert_true(seip(2));
	assert_int_equal(irqchip_claim(), 10);
	line(10, false);
	irqchip_complete(10);
	line(20, false);
	irqchip_complete(20);
	assert_false(seip(2));
	assert_int_equal(irqchip_claim(), 0);
	irqchip_disable(20); /* routed no more: its line is not seen */
	line(20, true);
	assert_false(seip(2));
	assert_int_equal(irqchip_claim(), 0);
	assert_int_equal(a.bad, 0);
}

static void test_aplic_direct_refusals(void **state)
{
	(void)state;
	aplic_host(0);
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_false(irqchip_enable(11)); /* not delegated to L0's domain */
	assert_false(irqchip_enable(0));
	assert_false(irqchip_enable(NSRC + 1));
	/* A domain that only does MSIs is no direct-mode controller. */
	aplic_host(0);
	a.direct_capable = false;
	a.domaincfg = DOMAINCFG_DM;
	assert_false(irqchip_init(&plat, &plat.cpus[0]));
	/* A hart that is none of its targets. */
	aplic_host(-1);
	assert_false(irqchip_init(&plat, &plat.cpus[0]));
	plat.irqchip = IRQCHIP_NONE;
	plat.cpus[0].irq_target = 0;
	assert_false(irqchip_init(&plat, &plat.cpus[0]));
	assert_int_equal(a.bad, 0);
}

static void test_imsic_setup(void **state)
{
	(void)state;
	imsic_host(5);
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_string_equal(irqchip_name(),
			    "IMSIC (S-level file, APLIC in MSI mode)");
	assert_int_equal(a.domaincfg, DOMAINCFG_IE | DOMAINCFG_DM);
	assert_int_equal(m.eidelivery, EIDELIVERY_ON);
	assert_int_equal(m.eithreshold, 0);
	for (unsigned int k = 0; k < 4; k++)
		assert_int_equal(m.eie[k], 0);
	for (unsigned int i = 1; i <= NSRC; i++)
		assert_false(a.ie[i]);
	assert_true(irqchip_enable(10));
	assert_true(irqchip_enable(70)); /* eie2 on RV64 */
	assert_int_equal(a.target[10], field_prep(TARGET_HART, 5) |
					       field_prep(TARGET_EIID, 10));
	assert_int_equal(m.eie[0], BIT(10));
	assert_int_equal(m.eie[1], BIT(70 - 64));
	assert_int_equal(a.bad + m.bad, 0);
}

/* One MSI per assertion; completion re-sends while the line stays high. */
static void test_imsic_claim_holds(void **state)
{
	(void)state;
	imsic_host(5);
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_true(irqchip_enable(10));
	assert_true(irqchip_enable(70));
	line(10, true);
	line(70, true);
	assert_int_equal(a.msis, 2);
	assert_true(seip(0));
	assert_int_equal(irqchip_claim(), 10);
	assert_int_equal(irqchip_claim(), 70);
	assert_false(seip(0));
	assert_int_equal(irqchip_claim(), 0);
	irqchip_complete(10); /* still high */
	assert_int_equal(a.msis, 3);
	assert_int_equal(irqchip_claim(), 10);
	line(10, false);
	line(70, false);
	irqchip_complete(10);
	irqchip_complete(70);
	assert_int_equal(a.msis, 3);
	assert_false(seip(0));
	assert_int_equal(irqchip_claim(), 0);
	line(10, true); /* a new assertion is a new MSI */
	assert_int_equal(irqchip_claim(), 10);
	irqchip_disable(70); /* routed no more: no MSI for it */
	line(70, true);
	assert_int_equal(a.msis, 4);
	assert_int_equal(irqchip_claim(), 0);
	assert_int_equal(a.misdirected, 0);
	assert_int_equal(a.bad + m.bad, 0);
}

static void test_imsic_refusals(void **state)
{
	(void)state;
	imsic_host(0);
	plat.imsic_files.num_ids = 63;
	assert_true(irqchip_init(&plat, &plat.cpus[0]));
	assert_false(irqchip_enable(64)); /* beyond the file's identities */
	assert_false(irqchip_enable(11)); /* not delegated */
	assert_int_equal(m.eie[0], 0);
	/* No APLIC that feeds the file, or one without MSI mode. */
	imsic_host(0);
	plat.aplic_msi = false;
	assert_false(irqchip_init(&plat, &plat.cpus[0]));
	imsic_host(0);
	a.msi_capable = false;
	assert_false(irqchip_init(&plat, &plat.cpus[0]));
	assert_int_equal(a.bad + m.bad, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plic),
		cmocka_unit_test(test_aplic_direct_setup),
		cmocka_unit_test(test_aplic_direct_claim_holds),
		cmocka_unit_test(test_aplic_direct_refusals),
		cmocka_unit_test(test_imsic_setup),
		cmocka_unit_test(test_imsic_claim_holds),
		cmocka_unit_test(test_imsic_refusals),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
