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

/* Bit `src` of a bitmap of VPLIC_WORDS 64-bit words. */
static bool test_bit(const uint64_t *map, unsigned int src)
{
	return map[src / 64] & BIT(src % 64);
}

/* Word `w` of the sources that exist: 1..nsources-1. */
static uint64_t valid_word(const struct vplic *p, unsigned int w)
{
	unsigned int lo = 64 * w;
	uint64_t all;

	if (p->nsources <= lo)
		return 0;
	all = p->nsources - lo >= 64 ? ~0ULL : BIT(p->nsources - lo) - 1;
	return w ? all : all & ~1ULL;
}

/* 32-bit words in the pending and in each enable bitmap. */
static unsigned int bitmap_words(const struct vplic *p)
{
	return (p->nsources + 31) / 32;
}

/* 32-bit word `word` of a bitmap of 64-bit words. */
static uint32_t bitmap_word(const uint64_t *bits, unsigned int word)
{
	return (uint32_t)(bits[word / 2] >> (32 * (word % 2)));
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
	for (unsigned int w = 0; w < VPLIC_WORDS; w++)
		p->pending[w] = p->level[w] & ~p->claimed[w] & valid_word(p, w);
}

/*
 * The source context `ctx` would claim now: the enabled pending source of
 * highest priority above the threshold, the lowest id among equals; 0 when
 * there is none.
 */
static unsigned int best_source(const struct vplic *p, unsigned int ctx)
{
	uint32_t best_prio = p->threshold[ctx];
	unsigned int best = 0;

	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		uint64_t cand = p->pending[w] & p->enable[ctx][w];

		while (cand) {
			unsigned int src = 64 * w + ctz64(cand);

			cand &= cand - 1;
			if (p->priority[src] > best_prio) {
				best_prio = p->priority[src];
				best = src;
			}
		}
	}
	return best;
}

static uint32_t claim(struct vplic *p, unsigned int ctx)
{
	unsigned int src = best_source(p, ctx);

	if (src) {
		p->claimed[src / 64] |= BIT(src % 64);
		update_pending(p);
		if (test_bit(p->hw, src))
			p->hw_events++;
	}
	return src;
}

static void complete(struct vplic *p, unsigned int ctx, uint32_t src)
{
	if (!src || src >= p->nsources)
		return;
	if (!test_bit(p->enable[ctx], src) || !test_bit(p->claimed, src))
		return;
	p->claimed[src / 64] &= ~BIT(src % 64);
	if (test_bit(p->hw, src)) {
		/*
		 * The host gateway holds the source until L0 completes it
		 * there: the line reads low until the host signals it again.
		 */
		p->level[src / 64] &= ~BIT(src % 64);
		p->hw_done[src / 64] |= BIT(src % 64);
		p->hw_events++;
	}
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
	unsigned int w = r.index / 2, shift = 32 * (r.index % 2);
	uint64_t mask = (uint64_t)0xffffffffU << shift;
	uint64_t bits = (uint64_t)value << shift;
	uint64_t *en = &p->enable[r.ctx][w];

	mask &= valid_word(p, w);
	*en = (*en & ~mask) | (bits & mask);
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
			p->level[irq / 64] |= BIT(irq % 64);
		else
			p->level[irq / 64] &= ~BIT(irq % 64);
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

void vplic_set_hw(struct vplic *p, unsigned int irq)
{
	spin_lock(&p->lock);
	if (irq && irq < p->nsources)
		p->hw[irq / 64] |= BIT(irq % 64);
	spin_unlock(&p->lock);
}

unsigned int vplic_take_hw_done(struct vplic *p, uint64_t *done)
{
	unsigned int events;

	spin_lock(&p->lock);
	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		done[w] = p->hw_done[w];
		p->hw_done[w] = 0;
	}
	events = p->hw_events;
	p->hw_events = 0;
	spin_unlock(&p->lock);
	return events;
}

void vplic_release_hw(struct vplic *p, uint64_t *held)
{
	spin_lock(&p->lock);
	for (unsigned int w = 0; w < VPLIC_WORDS; w++) {
		held[w] = p->hw[w] &
			  (p->level[w] | p->claimed[w] | p->hw_done[w]);
		p->level[w] &= ~p->hw[w];
		p->claimed[w] &= ~p->hw[w];
		p->hw_done[w] = 0;
	}
	p->hw_events = 0;
	update_pending(p);
	spin_unlock(&p->lock);
}
