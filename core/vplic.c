// SPDX-License-Identifier: MIT
/*
 * The emulated PLIC: register decoding, level-triggered gateways, claim and
 * complete. See include/l0/vplic.h for the register map and the rules for
 * odd accesses.
 *
 * Invariant, kept by every entry point under the lock: a source is pending
 * exactly when its line is high and it is not claimed, i.e.
 * pending == level & ~claimed. Lowering the line thus withdraws a request
 * that no context has claimed yet (as QEMU does), sparing the guest a claim
 * that finds nothing to do.
 */
#include <l0/bits.h>
#include <l0/panic.h>
#include <l0/vplic.h>

#define PRIORITY_BASE 0x0UL
#define PENDING_BASE 0x1000UL
#define ENABLE_BASE 0x2000UL
#define ENABLE_STRIDE 0x80UL
#define CONTEXT_BASE 0x200000UL
#define CONTEXT_STRIDE 0x1000UL
#define CONTEXT_THRESHOLD 0x0UL
#define CONTEXT_CLAIM 0x4UL
#define PRIORITY_MASK 0x7U /* WARL: 3 bits of priority, as on virt */

enum vplic_reg_kind {
	REG_NONE,
	REG_PRIORITY,
	REG_PENDING,
	REG_ENABLE,
	REG_THRESHOLD,
	REG_CLAIM,
};

/* A decoded register: its kind, source or word index, and context. */
struct vplic_reg {
	enum vplic_reg_kind kind;
	unsigned int index;
	unsigned int ctx;
};

/* The sources that exist: 1..nsources-1. */
static uint64_t valid_mask(const struct vplic *p)
{
	uint64_t all = p->nsources >= 64 ? ~0ULL : (1ULL << p->nsources) - 1;

	return all & ~1ULL;
}

/* 32-bit words in the pending and in each enable bitmap. */
static unsigned int bitmap_words(const struct vplic *p)
{
	return (p->nsources + 31) / 32;
}

static uint32_t bitmap_word(uint64_t bits, unsigned int word)
{
	return (uint32_t)(bits >> (32 * word));
}

/*
 * Which register the aligned word at `off` is, for this configuration;
 * REG_NONE: a reserved word, which reads 0 and ignores writes.
 */
static struct vplic_reg decode(const struct vplic *p, uint64_t off)
{
	struct vplic_reg r = { REG_NONE, 0, 0 };
	uint64_t words = bitmap_words(p);

	if (off < PRIORITY_BASE + 4ULL * p->nsources) {
		r.kind = REG_PRIORITY;
		r.index = (unsigned int)(off / 4);
	} else if (off >= PENDING_BASE && off < PENDING_BASE + 4 * words) {
		r.kind = REG_PENDING;
		r.index = (unsigned int)((off - PENDING_BASE) / 4);
	} else if (off >= ENABLE_BASE &&
		   off < ENABLE_BASE + ENABLE_STRIDE * p->ncontexts) {
		uint64_t rel = off - ENABLE_BASE;

		if (rel % ENABLE_STRIDE < 4 * words) {
			r.kind = REG_ENABLE;
			r.ctx = (unsigned int)(rel / ENABLE_STRIDE);
			r.index = (unsigned int)(rel % ENABLE_STRIDE / 4);
		}
	} else if (off >= CONTEXT_BASE &&
		   off < CONTEXT_BASE + CONTEXT_STRIDE * p->ncontexts) {
		uint64_t rel = off - CONTEXT_BASE;

		r.ctx = (unsigned int)(rel / CONTEXT_STRIDE);
		if (rel % CONTEXT_STRIDE == CONTEXT_THRESHOLD)
			r.kind = REG_THRESHOLD;
		else if (rel % CONTEXT_STRIDE == CONTEXT_CLAIM)
			r.kind = REG_CLAIM;
	}
	return r;
}

/* Re-derive the pending bits from the lines and the claims. */
static void update_pending(struct vplic *p)
{
	p->pending = p->level & ~p->claimed & valid_mask(p);
}

/*
 * The source context `ctx` would claim now: the enabled pending source of
 * highest priority above the threshold, the lowest id among equals; 0 when
 * there is none.
 */
static unsigned int best_source(const struct vplic *p, unsigned int ctx)
{
	uint64_t cand = p->pending & p->enable[ctx];
	uint32_t best_prio = p->threshold[ctx];
	unsigned int best = 0;

	while (cand) {
		unsigned int src = (unsigned int)__builtin_ctzll(cand);

		cand &= cand - 1;
		if (p->priority[src] > best_prio) {
			best_prio = p->priority[src];
			best = src;
		}
	}
	return best;
}

static uint32_t claim(struct vplic *p, unsigned int ctx)
{
	unsigned int src = best_source(p, ctx);

	if (src) {
		p->claimed |= BIT(src);
		update_pending(p);
	}
	return src;
}

static void complete(struct vplic *p, unsigned int ctx, uint32_t src)
{
	if (src >= p->nsources)
		return;
	if (!(p->enable[ctx] & p->claimed & valid_mask(p) & BIT(src)))
		return;
	p->claimed &= ~BIT(src);
	update_pending(p);
}

void vplic_init(struct vplic *p, unsigned int nsources, unsigned int ncontexts)
{
	BUG_ON(nsources < 1 || nsources > VPLIC_MAX_SOURCES);
	BUG_ON(ncontexts < 1 || ncontexts > VPLIC_MAX_CONTEXTS);
	*p = (struct vplic){ .nsources = nsources, .ncontexts = ncontexts };
}

static uint32_t read_reg(struct vplic *p, struct vplic_reg r)
{
	switch (r.kind) {
	case REG_PRIORITY:
		return p->priority[r.index];
	case REG_PENDING:
		return bitmap_word(p->pending, r.index);
	case REG_ENABLE:
		return bitmap_word(p->enable[r.ctx], r.index);
	case REG_THRESHOLD:
		return p->threshold[r.ctx];
	case REG_CLAIM:
		return claim(p, r.ctx);
	default: /* reserved: reads as zero */
		return 0;
	}
}

static void write_enable(struct vplic *p, struct vplic_reg r, uint32_t value)
{
	uint64_t mask = (uint64_t)0xffffffffU << (32 * r.index);
	uint64_t bits = (uint64_t)value << (32 * r.index);

	mask &= valid_mask(p);
	p->enable[r.ctx] = (p->enable[r.ctx] & ~mask) | (bits & mask);
}

static void write_reg(struct vplic *p, struct vplic_reg r, uint32_t value)
{
	switch (r.kind) {
	case REG_PRIORITY:
		if (r.index)
			p->priority[r.index] = value & PRIORITY_MASK;
		break;
	case REG_ENABLE:
		write_enable(p, r, value);
		break;
	case REG_THRESHOLD:
		p->threshold[r.ctx] = value & PRIORITY_MASK;
		break;
	case REG_CLAIM:
		complete(p, r.ctx, value);
		break;
	default: /* pending bits are read-only; reserved ignores writes */
		break;
	}
}

/*
 * Whether the access is one the PLIC defines: its registers are 32 bits
 * wide and naturally aligned (PLIC spec v1.0.0, "Memory Map"). Anything
 * else faults, as on QEMU's PLIC, whose memory ops only accept 4-byte
 * aligned accesses.
 */
static bool well_formed(uint64_t offset, unsigned int size)
{
	return offset < VPLIC_SIZE && size == 4 && IS_ALIGNED(offset, 4);
}

bool vplic_read(struct vplic *p, uint64_t offset, unsigned int size,
		uint32_t *value)
{
	*value = 0;
	if (!well_formed(offset, size))
		return false;
	spin_lock(&p->lock);
	*value = read_reg(p, decode(p, offset));
	spin_unlock(&p->lock);
	return true;
}

bool vplic_write(struct vplic *p, uint64_t offset, unsigned int size,
		 uint32_t value)
{
	if (!well_formed(offset, size))
		return false;
	spin_lock(&p->lock);
	write_reg(p, decode(p, offset), value);
	spin_unlock(&p->lock);
	return true;
}

void vplic_set_level(struct vplic *p, unsigned int irq, bool level)
{
	spin_lock(&p->lock);
	if (irq && irq < p->nsources) {
		if (level)
			p->level |= BIT(irq);
		else
			p->level &= ~BIT(irq);
		update_pending(p);
	}
	spin_unlock(&p->lock);
}

bool vplic_context_pending(struct vplic *p, unsigned int ctx)
{
	bool pending = false;

	spin_lock(&p->lock);
	if (ctx < p->ncontexts)
		pending = best_source(p, ctx) != 0;
	spin_unlock(&p->lock);
	return pending;
}
