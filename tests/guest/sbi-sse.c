// SPDX-License-Identifier: MIT
/*
 * SBI SSE (supervisor software events, SBI spec v3.0): each function's
 * errors for reserved, platform and unsupported event IDs, wrong states,
 * attribute ranges, read-only attributes, bad values and memory that is
 * not RAM; the software-injected local event entering its handler with the
 * spec's register state (a6 = hart ID, a7 = ENTRY_ARG, sepc = the
 * interrupted pc, sstatus.SPP/SPIE/SIE as a trap sets them) and the
 * interrupted sepc, flags, a6 and a7 in its attributes; COMPLETE back in
 * the interrupted code with its registers, sepc and sstatus as they were
 * (or at a new sepc the handler wrote); masking holding an event until
 * HART_UNMASK; two pending events entered in priority order, a higher one
 * preempting a running handler and a lower one waiting for it; one-shot; the
 * global event sent to another hart by PREFERRED_HART, that hart asleep in
 * WFI, and its interrupted state writable there only; unregister; a hart's
 * events back at their reset after it stops and starts again.
 */
#include "guest.h"

#define SBI_EXT_SSE 0x535345
#define SBI_ERR_ALREADY_STARTED (-7)
#define SBI_ERR_ALREADY_STOPPED (-8)
#define SBI_ERR_INVALID_STATE (-10)
#define SBI_ERR_BAD_RANGE (-11)

enum {
	READ_ATTRS,
	WRITE_ATTRS,
	REGISTER,
	UNREGISTER,
	ENABLE,
	DISABLE,
	COMPLETE,
	INJECT,
	HART_UNMASK,
	HART_MASK
};
enum {
	STATUS,
	PRIORITY,
	CONFIG,
	PREFERRED_HART,
	ENTRY_PC,
	ENTRY_ARG,
	INT_SEPC,
	INT_FLAGS,
	INT_A6,
	INT_A7,
	NATTRS
};

#define LOCAL_SW 0xffff0000UL
#define GLOBAL_SW 0xffff8000UL
#define ST_UNUSED 0
#define ST_REGISTERED 1
#define ST_ENABLED 2
#define ST_RUNNING 3
#define ST_PENDING 4UL
#define ST_INJECTABLE 8UL
#define ONESHOT 1UL
#define FLAG_SPP 1UL
#define FLAG_SPIE 2UL
#define SSTATUS_SPIE (1UL << 5)
#define SSTATUS_SPP (1UL << 8)
#define ARG(ev) (0x5a5a000000000000UL | (ev))
#define WAIT_US 1000000

const char payload_name[] = "sbi-sse";
PLAN("probe", "reserved", "platform", "unsupported", "upper-ignored",
     "defaults", "count-zero", "bad-range", "misaligned", "not-ram",
     "above-64bit", "read-only", "bad-value", "write-not-ram", "not-running",
     "priority", "bad-pc", "twice", "states", "inject-disabled", "bad-hart",
     "complete-none", "masked", "mask-holds", "unmask", "unmask-twice", "entry",
     "interrupted", "complete", "new-sepc", "oneshot", "order", "tie",
     "preempt", "lower-waits", "global", "elsewhere", "unregister", "reset",
     "bad-fid");

static struct sbiret sse(unsigned long fid, unsigned long a0, unsigned long a1,
			 unsigned long a2, unsigned long a3, unsigned long a4)
{
	return sbi_call(SBI_EXT_SSE, fid, a0, a1, a2, a3, a4);
}

static long read_attrs(unsigned long ev, unsigned long base, unsigned long n,
		       unsigned long *out)
{
	return sse(READ_ATTRS, ev, base, n, (unsigned long)out, 0).error;
}

static long write_attr(unsigned long ev, unsigned long attr,
		       unsigned long value)
{
	static unsigned long in[MAX_HARTS] __attribute__((aligned(8)));

	in[this_hart()] = value;
	return sse(WRITE_ATTRS, ev, attr, 1, (unsigned long)&in[this_hart()], 0)
		.error;
}

static unsigned long attr(unsigned long ev, unsigned long id)
{
	unsigned long v[MAX_HARTS];

	return read_attrs(ev, id, 1, &v[0]) ? ~0UL : v[0];
}

static long call1(unsigned long fid, unsigned long ev)
{
	return sse(fid, ev, 0, 0, 0, 0).error;
}

static void expect_err(const char *name, long err, long want)
{
	check(name, err == want, "error %ld, want %ld", err, want);
}

/* What the handler saw, per hart; what it does beyond recording. */
enum { RECORD, NEW_SEPC, HOLD, INJECT_GLOBAL };
struct seen {
	volatile unsigned long entered, count, a6, a7, sstatus, sepc, holding;
	volatile long read_err, inner_err;
	volatile unsigned long attrs[NATTRS], order[8], ran_inside;
};
static struct seen seen[MAX_HARTS];
static volatile unsigned long mode, new_sepc, release;

void sse_entry(void);
void sse_handler(unsigned long hartid, unsigned long arg);

/*
 * The handler's entry: on the interrupted stack, keep what C may clobber,
 * call sse_handler(a6, a7), put it back and COMPLETE, which restores a6
 * and a7 and leaves a0/a1 as they were.
 */
__asm__(".pushsection .text\n"
	".balign 4\n"
	".global sse_entry\n"
	"sse_entry:\n"
	"	addi sp, sp, -112\n"
	"	sd ra, 0(sp)\n	sd t0, 8(sp)\n	sd t1, 16(sp)\n"
	"	sd t2, 24(sp)\n	sd t3, 32(sp)\n	sd t4, 40(sp)\n"
	"	sd t5, 48(sp)\n	sd t6, 56(sp)\n	sd a0, 64(sp)\n"
	"	sd a1, 72(sp)\n	sd a2, 80(sp)\n	sd a3, 88(sp)\n"
	"	sd a4, 96(sp)\n	sd a5, 104(sp)\n"
	"	mv a0, a6\n"
	"	mv a1, a7\n"
	"	call sse_handler\n"
	"	ld ra, 0(sp)\n	ld t0, 8(sp)\n	ld t1, 16(sp)\n"
	"	ld t2, 24(sp)\n	ld t3, 32(sp)\n	ld t4, 40(sp)\n"
	"	ld t5, 48(sp)\n	ld t6, 56(sp)\n	ld a0, 64(sp)\n"
	"	ld a1, 72(sp)\n	ld a2, 80(sp)\n	ld a3, 88(sp)\n"
	"	ld a4, 96(sp)\n	ld a5, 104(sp)\n"
	"	addi sp, sp, 112\n"
	"	li a7, 0x535345\n"
	"	li a6, 6\n"
	"	ecall\n"
	"1:	j 1b\n"
	".popsection\n");

void sse_handler(unsigned long hartid, unsigned long arg)
{
	struct seen *s = &seen[this_hart()];
	unsigned long n = s->entered++, a[NATTRS], done;
	uint64_t end;

	s->a6 = hartid;
	s->a7 = arg;
	s->sstatus = csr_read(sstatus);
	s->sepc = csr_read(sepc);
	s->read_err = read_attrs((uint32_t)arg, 0, NATTRS, a);
	for (unsigned long i = 0; i < NATTRS; i++)
		s->attrs[i] = a[i];
	if (n < ARRAY_SIZE(s->order))
		s->order[n] = arg;
	if (mode == NEW_SEPC)
		write_attr((uint32_t)arg, INT_SEPC, new_sepc);
	/* From the local event's handler: does the global one run inside? */
	if (mode == INJECT_GLOBAL && arg == ARG(LOCAL_SW)) {
		done = s->count;
		s->inner_err = sse(INJECT, GLOBAL_SW, 0, 0, 0, 0).error;
		s->ran_inside = s->count != done;
	}
	if (mode == HOLD) {
		end = now() + us_to_ticks(WAIT_US);
		s->holding = 1;
		while (!release && now() < end)
			;
		s->holding = 0;
	}
	mb();
	s->count++;
}

/* After a call or inject: what the interrupted code found on its return. */
struct after {
	unsigned long a0, a2, a3, a4, a5, a6, a7, t3, t6, pc;
};

/*
 * SBI call fid(a0, a1) with known values in a2-a5, t3 and t6, as the
 * interrupted code: what those registers hold afterwards, and the address
 * after the ecall (the pc an event entered there interrupted).
 */
static struct after call_keeping(unsigned long fid, unsigned long a0_in,
				 unsigned long a1_in)
{
	register unsigned long a0 __asm__("a0") = a0_in;
	register unsigned long a1 __asm__("a1") = a1_in;
	register unsigned long a2 __asm__("a2") = 0x2222;
	register unsigned long a3 __asm__("a3") = 0x3333;
	register unsigned long a4 __asm__("a4") = 0x4444;
	register unsigned long a5 __asm__("a5") = 0x5555;
	register unsigned long a6 __asm__("a6") = fid;
	register unsigned long a7 __asm__("a7") = SBI_EXT_SSE;
	register unsigned long t3 __asm__("t3") = 0x7333;
	register unsigned long t6 __asm__("t6") = 0x7666;
	unsigned long pc;

	__asm__ volatile("ecall\n"
			 "1:	lla %[pc], 1b\n"
			 : "+r"(a0), "+r"(a1), "+r"(a2), "+r"(a3), "+r"(a4),
			   "+r"(a5), "+r"(a6), "+r"(a7), "+r"(t3),
			   "+r"(t6), [pc] "=&r"(pc)
			 :
			 : "memory");
	return (struct after){ a0, a2, a3, a4, a5, a6, a7, t3, t6, pc };
}

static bool kept(const struct after *r, unsigned long fid)
{
	return r->a2 == 0x2222 && r->a3 == 0x3333 && r->a4 == 0x4444 &&
	       r->a5 == 0x5555 && r->a6 == fid && r->a7 == SBI_EXT_SSE &&
	       r->t3 == 0x7333 && r->t6 == 0x7666;
}

static bool setup(unsigned long ev, unsigned long prio, unsigned long cfg)
{
	return !write_attr(ev, PRIORITY, prio) &&
	       !write_attr(ev, CONFIG, cfg) &&
	       !sse(REGISTER, ev, (unsigned long)sse_entry, ARG(ev), 0, 0)
			.error &&
	       !call1(ENABLE, ev);
}

static void teardown(unsigned long ev)
{
	call1(DISABLE, ev);
	call1(UNREGISTER, ev);
	write_attr(ev, PRIORITY, 0);
	write_attr(ev, CONFIG, 0);
}

static void id_cases(void)
{
	static const unsigned long reserved[] = {
		0x2, 0x3fff, 0x8001, 0x10001, 0xffff0001, 0xffff8001, 0x00020000
	};
	static const unsigned long platform[] = { 0x4000, 0xc000, 0xffff4000,
						  0xffffc000, 0xffffffff };
	static const unsigned long unsupported[] = {
		0x0, 0x1, 0x8000, 0x10000, 0x100000, 0x108000
	};
	static const unsigned long fids[] = { REGISTER, UNREGISTER, ENABLE,
					      DISABLE, INJECT };
	unsigned long out[NATTRS], bad = ~0UL, fid = 0;
	long e = 0;

	for (unsigned long i = 0; i < ARRAY_SIZE(reserved) && bad == ~0UL; i++)
		for (unsigned long f = 0; f < ARRAY_SIZE(fids); f++) {
			e = sse(fids[f], reserved[i], (unsigned long)sse_entry,
				0, 0, 0)
				    .error;
			if (e != SBI_ERR_INVALID_PARAM ||
			    read_attrs(reserved[i], 0, 1, out) !=
				    SBI_ERR_INVALID_PARAM) {
				bad = reserved[i];
				fid = fids[f];
				break;
			}
		}
	check("reserved", bad == ~0UL, "event 0x%lx fid %lu: error %ld", bad,
	      fid, e);
	for (unsigned long i = 0; i < ARRAY_SIZE(platform) && bad == ~0UL; i++)
		if ((e = call1(ENABLE, platform[i])) != SBI_ERR_INVALID_PARAM)
			bad = platform[i];
	check("platform", bad == ~0UL, "event 0x%lx: error %ld", bad, e);
	for (unsigned long i = 0; i < ARRAY_SIZE(unsupported); i++)
		if ((e = sse(REGISTER, unsupported[i], (unsigned long)sse_entry,
			     0, 0, 0)
				 .error) != SBI_ERR_NOT_SUPPORTED ||
		    (e = read_attrs(unsupported[i], 0, 1, out)) !=
			    SBI_ERR_NOT_SUPPORTED) {
			bad = unsupported[i];
			break;
		}
	check("unsupported", bad == ~0UL, "event 0x%lx: error %ld", bad, e);
	e = read_attrs(0xabcd000000000000UL | LOCAL_SW, STATUS, 1, out);
	check("upper-ignored", !e && out[0] == ST_INJECTABLE,
	      "error %ld status 0x%lx", e, out[0]);
}

static void attr_cases(void)
{
	static unsigned long out[NATTRS + 1] __attribute__((aligned(8)));
	unsigned long self = this_hart(), end = plat.mem_base + plat.mem_size;
	long e = read_attrs(LOCAL_SW, 0, NATTRS, out);

	check("defaults",
	      !e && out[STATUS] == ST_INJECTABLE && !out[PRIORITY] &&
		      !out[CONFIG] && out[PREFERRED_HART] == self &&
		      !out[ENTRY_PC] && !out[ENTRY_ARG],
	      "error %ld status 0x%lx prio %lu config %lu hart %lu pc 0x%lx", e,
	      out[STATUS], out[PRIORITY], out[CONFIG], out[PREFERRED_HART],
	      out[ENTRY_PC]);
	expect_err("count-zero", read_attrs(LOCAL_SW, 0, 0, out),
		   SBI_ERR_INVALID_PARAM);
	e = read_attrs(LOCAL_SW, NATTRS - 1, 2, out);
	check("bad-range",
	      e == SBI_ERR_BAD_RANGE &&
		      read_attrs(LOCAL_SW, NATTRS, 1, out) ==
			      SBI_ERR_BAD_RANGE &&
		      read_attrs(LOCAL_SW, 0xffffffff, 2, out) ==
			      SBI_ERR_BAD_RANGE,
	      "base 9 count 2: error %ld", e);
	expect_err(
		"misaligned",
		read_attrs(LOCAL_SW, 0, 1, (unsigned long *)((char *)out + 4)),
		SBI_ERR_INVALID_ADDRESS);
	e = read_attrs(LOCAL_SW, 0, 2, (unsigned long *)(end - 8));
	check("not-ram",
	      e == SBI_ERR_INVALID_ADDRESS &&
		      read_attrs(LOCAL_SW, 0, 1,
				 (unsigned long *)plat.bad_addr) ==
			      SBI_ERR_INVALID_ADDRESS,
	      "across RAM's end: error %ld", e);
	expect_err("above-64bit",
		   sse(READ_ATTRS, LOCAL_SW, 0, 1, (unsigned long)out, 1).error,
		   SBI_ERR_INVALID_ADDRESS);

	e = write_attr(LOCAL_SW, STATUS, 0);
	check("read-only",
	      e == SBI_ERR_DENIED &&
		      write_attr(LOCAL_SW, ENTRY_PC, 0) == SBI_ERR_DENIED &&
		      write_attr(LOCAL_SW, ENTRY_ARG, 0) == SBI_ERR_DENIED &&
		      write_attr(LOCAL_SW, PREFERRED_HART, self) ==
			      SBI_ERR_DENIED,
	      "STATUS: error %ld", e);
	e = write_attr(LOCAL_SW, PRIORITY, 1UL << 32);
	check("bad-value",
	      e == SBI_ERR_INVALID_PARAM &&
		      write_attr(LOCAL_SW, CONFIG, 2) ==
			      SBI_ERR_INVALID_PARAM &&
		      write_attr(GLOBAL_SW, PREFERRED_HART, 1000) ==
			      SBI_ERR_INVALID_PARAM,
	      "priority 2^32: error %ld", e);
	expect_err("write-not-ram",
		   sse(WRITE_ATTRS, LOCAL_SW, PRIORITY, 2, end - 8, 0).error,
		   SBI_ERR_INVALID_ADDRESS);
	expect_err("not-running", write_attr(LOCAL_SW, INT_SEPC, 0x1234),
		   SBI_ERR_INVALID_STATE);
	e = write_attr(LOCAL_SW, PRIORITY, 0xffffffff);
	check("priority",
	      !e && attr(LOCAL_SW, PRIORITY) == 0xffffffff &&
		      !write_attr(LOCAL_SW, PRIORITY, 0),
	      "error %ld, read back 0x%lx", e, attr(LOCAL_SW, PRIORITY));
}

static void state_cases(void)
{
	long e = sse(REGISTER, LOCAL_SW, (unsigned long)sse_entry + 1, 0, 0, 0)
			 .error;

	check("bad-pc",
	      e == SBI_ERR_INVALID_PARAM &&
		      attr(LOCAL_SW, STATUS) == ST_INJECTABLE,
	      "error %ld", e);
	sse(REGISTER, LOCAL_SW, (unsigned long)sse_entry, ARG(LOCAL_SW), 0, 0);
	e = sse(REGISTER, LOCAL_SW, (unsigned long)sse_entry, 0, 0, 0).error;
	check("twice",
	      e == SBI_ERR_INVALID_STATE &&
		      attr(LOCAL_SW, ENTRY_PC) == (unsigned long)sse_entry &&
		      attr(LOCAL_SW, ENTRY_ARG) == ARG(LOCAL_SW),
	      "error %ld", e);
	/* REGISTERED: no disable; enabled: no priority, unregister, enable. */
	check("states",
	      call1(DISABLE, LOCAL_SW) == SBI_ERR_INVALID_STATE &&
		      !call1(ENABLE, LOCAL_SW) &&
		      attr(LOCAL_SW, STATUS) == (ST_INJECTABLE | ST_ENABLED) &&
		      write_attr(LOCAL_SW, PRIORITY, 1) ==
			      SBI_ERR_INVALID_STATE &&
		      call1(UNREGISTER, LOCAL_SW) == SBI_ERR_INVALID_STATE &&
		      call1(ENABLE, LOCAL_SW) == SBI_ERR_INVALID_STATE &&
		      !call1(DISABLE, LOCAL_SW),
	      "status 0x%lx", attr(LOCAL_SW, STATUS));
	e = sse(INJECT, LOCAL_SW, this_hart(), 0, 0, 0).error;
	check("inject-disabled",
	      e == SBI_ERR_INVALID_STATE &&
		      sse(INJECT, GLOBAL_SW, 0, 0, 0, 0).error ==
			      SBI_ERR_INVALID_STATE,
	      "error %ld", e);
	expect_err("bad-hart", sse(INJECT, LOCAL_SW, 1000, 0, 0, 0).error,
		   SBI_ERR_INVALID_PARAM);
	call1(UNREGISTER, LOCAL_SW);
	expect_err("complete-none", sse(COMPLETE, 0, 0, 0, 0, 0).error, 0);
}

static void delivery_cases(void)
{
	struct seen *s = &seen[this_hart()];
	unsigned long self = this_hart(), ss;
	struct after r;

	expect_err("masked", call1(HART_MASK, 0), SBI_ERR_ALREADY_STOPPED);
	setup(LOCAL_SW, 0, 0);
	r = call_keeping(INJECT, LOCAL_SW, self);
	check("mask-holds",
	      !r.a0 && !s->count &&
		      attr(LOCAL_SW, STATUS) ==
			      (ST_INJECTABLE | ST_PENDING | ST_ENABLED),
	      "inject %ld, handler ran %lu, status 0x%lx", (long)r.a0, s->count,
	      attr(LOCAL_SW, STATUS));
	r = call_keeping(HART_UNMASK, 0, 0);
	check("unmask",
	      !r.a0 && s->count == 1 && s->attrs[INT_A6] == HART_UNMASK &&
		      kept(&r, HART_UNMASK) &&
		      attr(LOCAL_SW, STATUS) == (ST_INJECTABLE | ST_ENABLED),
	      "unmask %ld, handler ran %lu, interrupted a6 %lu", (long)r.a0,
	      s->count, s->attrs[INT_A6]);
	expect_err("unmask-twice", call1(HART_UNMASK, 0),
		   SBI_ERR_ALREADY_STARTED);

	/* Interrupted: sepc 0x1230, SPP 0, SPIE 1, SIE 1 (sie is 0). */
	csr_write(sepc, 0x1230);
	csr_clear(sstatus, SSTATUS_SPP);
	csr_set(sstatus, SSTATUS_SPIE | SSTATUS_SIE);
	r = call_keeping(INJECT, LOCAL_SW, self);
	ss = csr_read(sstatus);
	csr_clear(sstatus, SSTATUS_SIE);
	check("entry",
	      s->count == 2 && s->a6 == self && s->a7 == ARG(LOCAL_SW) &&
		      s->sepc == r.pc && (s->sstatus & SSTATUS_SPP) &&
		      (s->sstatus & SSTATUS_SPIE) &&
		      !(s->sstatus & SSTATUS_SIE),
	      "ran %lu, a6 %lu a7 0x%lx sepc 0x%lx (pc 0x%lx) sstatus 0x%lx",
	      s->count, s->a6, s->a7, s->sepc, r.pc, s->sstatus);
	check("interrupted",
	      !s->read_err &&
		      s->attrs[STATUS] == (ST_INJECTABLE | ST_RUNNING) &&
		      s->attrs[INT_SEPC] == 0x1230 &&
		      s->attrs[INT_FLAGS] == FLAG_SPIE &&
		      s->attrs[INT_A6] == INJECT &&
		      s->attrs[INT_A7] == SBI_EXT_SSE,
	      "read %ld status 0x%lx sepc 0x%lx flags 0x%lx a6 %lu a7 0x%lx",
	      s->read_err, s->attrs[STATUS], s->attrs[INT_SEPC],
	      s->attrs[INT_FLAGS], s->attrs[INT_A6], s->attrs[INT_A7]);
	check("complete",
	      !r.a0 && kept(&r, INJECT) && csr_read(sepc) == 0x1230 &&
		      !(ss & SSTATUS_SPP) && (ss & SSTATUS_SPIE) &&
		      (ss & SSTATUS_SIE),
	      "a0 %ld regs %s sepc 0x%lx sstatus 0x%lx", (long)r.a0,
	      kept(&r, INJECT) ? "kept" : "changed", csr_read(sepc), ss);

	mode = NEW_SEPC;
	new_sepc = 0x4560;
	r = call_keeping(INJECT, LOCAL_SW, self);
	mode = RECORD;
	check("new-sepc",
	      s->count == 3 && kept(&r, INJECT) && csr_read(sepc) == 0x4560,
	      "ran %lu, sepc 0x%lx", s->count, csr_read(sepc));
	teardown(LOCAL_SW);

	setup(LOCAL_SW, 0, ONESHOT);
	r = call_keeping(INJECT, LOCAL_SW, self);
	check("oneshot",
	      s->count == 4 && kept(&r, INJECT) &&
		      attr(LOCAL_SW, STATUS) == (ST_INJECTABLE | ST_REGISTERED),
	      "ran %lu, status after 0x%lx", s->count, attr(LOCAL_SW, STATUS));
	teardown(LOCAL_SW);
}

/* Both events pending while masked; unmasked, which runs first? */
static bool run_two(unsigned long local_prio, unsigned long global_prio,
		    unsigned long *first, unsigned long *second)
{
	struct seen *s = &seen[this_hart()];
	unsigned long n = s->entered;
	bool ok;

	call1(HART_MASK, 0);
	ok = !write_attr(GLOBAL_SW, PREFERRED_HART, this_hart()) &&
	     setup(LOCAL_SW, local_prio, 0) &&
	     setup(GLOBAL_SW, global_prio, 0) &&
	     !sse(INJECT, LOCAL_SW, this_hart(), 0, 0, 0).error &&
	     !sse(INJECT, GLOBAL_SW, 0, 0, 0, 0).error && s->entered == n &&
	     !call1(HART_UNMASK, 0) && s->entered == n + 2;
	*first = s->order[n];
	*second = s->order[n + 1];
	teardown(LOCAL_SW);
	teardown(GLOBAL_SW);
	return ok;
}

/*
 * The local event's handler injects the global one (both on this hart):
 * whether the global one ran inside it, and the order they entered.
 */
static bool run_nested(unsigned long local_prio, unsigned long global_prio,
		       bool *inside, unsigned long *first,
		       unsigned long *second)
{
	struct seen *s = &seen[this_hart()];
	unsigned long n = s->entered;
	bool ok = !write_attr(GLOBAL_SW, PREFERRED_HART, this_hart()) &&
		  setup(LOCAL_SW, local_prio, 0) &&
		  setup(GLOBAL_SW, global_prio, 0);

	mode = INJECT_GLOBAL;
	ok = ok && !sse(INJECT, LOCAL_SW, this_hart(), 0, 0, 0).error &&
	     s->entered == n + 2 && !s->inner_err;
	mode = RECORD;
	*inside = s->ran_inside;
	*first = s->order[n];
	*second = s->order[n + 1];
	teardown(LOCAL_SW);
	teardown(GLOBAL_SW);
	return ok;
}

static void priority_cases(void)
{
	unsigned long a = 0, b = 0;
	bool ok, inside = false;

	/* order[] has room for this hart's first eight only: reset it. */
	seen[this_hart()].entered = 0;
	ok = run_two(5, 1, &a, &b);
	check("order", ok && a == ARG(GLOBAL_SW) && b == ARG(LOCAL_SW),
	      "ran %d: first 0x%lx then 0x%lx", ok, a, b);
	ok = run_two(3, 3, &a, &b);
	check("tie", ok && a == ARG(LOCAL_SW) && b == ARG(GLOBAL_SW),
	      "ran %d: first 0x%lx then 0x%lx", ok, a, b);
	ok = run_nested(5, 1, &inside, &a, &b);
	check("preempt",
	      ok && inside && a == ARG(LOCAL_SW) && b == ARG(GLOBAL_SW),
	      "ran %d, inside the running one %d: 0x%lx then 0x%lx", ok, inside,
	      a, b);
	ok = run_nested(1, 5, &inside, &a, &b);
	check("lower-waits",
	      ok && !inside && a == ARG(LOCAL_SW) && b == ARG(GLOBAL_SW),
	      "ran %d, inside the running one %d: 0x%lx then 0x%lx", ok, inside,
	      a, b);
}

/* The other hart: takes events, sleeps in WFI until told to stop. */
static volatile unsigned long other_ready, other_stop, other_status;
static volatile long other_mask_err;

static void other_sleeps(unsigned long hartid, unsigned long opaque)
{
	uint64_t end = now() + us_to_ticks(2 * WAIT_US);

	(void)hartid;
	(void)opaque;
	call1(HART_UNMASK, 0);
	/* An IPI ends the WFI (sstatus.SIE stays 0: no trap). */
	csr_set(sie, SIE_SSIE);
	other_ready = 1;
	while (!other_stop && now() < end)
		__asm__ volatile("wfi");
	irq_disable_all();
	csr_clear(sip, SIE_SSIE);
}

static void other_registers(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	setup(LOCAL_SW, 7, 0);
	call1(HART_UNMASK, 0);
	mb();
	other_ready = 1;
}

static void other_after_restart(unsigned long hartid, unsigned long opaque)
{
	(void)hartid;
	(void)opaque;
	other_status = attr(LOCAL_SW, STATUS);
	other_mask_err = call1(HART_MASK, 0);
	mb();
	other_ready = 1;
}

static bool run_other(long other, secondary_fn fn)
{
	other_ready = 0;
	mb();
	return !start_hart((unsigned long)other, fn, 0) &&
	       wait_flag(&other_ready, WAIT_US);
}

static void global_cases(long other)
{
	struct seen *s;
	long e1 = 0, e2 = 0;
	bool held;

	if (other < 0) {
		check("global", false, "needs 2 harts");
		check("elsewhere", false, "needs 2 harts");
		return;
	}
	s = &seen[other];
	other_stop = 0;
	if (!run_other(other, other_sleeps)) {
		check("global", false, "the other hart did not start");
		check("elsewhere", false, "not run");
		return;
	}
	mode = HOLD;
	release = 0;
	write_attr(GLOBAL_SW, PREFERRED_HART, (unsigned long)other);
	setup(GLOBAL_SW, 0, 0);
	/* hart_id is ignored for a global event. */
	e1 = sse(INJECT, GLOBAL_SW, 12345, 0, 0, 0).error;
	held = wait_flag(&s->holding, WAIT_US);
	if (held) {
		e2 = write_attr(GLOBAL_SW, INT_A6, 1);
		check("elsewhere",
		      e2 == SBI_ERR_INVALID_STATE &&
			      attr(GLOBAL_SW, STATUS) ==
				      (ST_INJECTABLE | ST_RUNNING) &&
			      call1(DISABLE, GLOBAL_SW) ==
				      SBI_ERR_INVALID_STATE,
		      "write from here %ld, status 0x%lx", e2,
		      attr(GLOBAL_SW, STATUS));
	} else {
		check("elsewhere", false, "never ran there");
	}
	release = 1;
	mb();
	wait_flag(&s->count, WAIT_US);
	mode = RECORD;
	check("global",
	      !e1 && held && s->count == 1 && s->a6 == (unsigned long)other &&
		      s->a7 == ARG(GLOBAL_SW) &&
		      s->attrs[PREFERRED_HART] == (unsigned long)other,
	      "inject %ld, ran %lu times there, a6 %lu a7 0x%lx", e1, s->count,
	      s->a6, s->a7);
	other_stop = 1;
	mb();
	sbi_send_ipi(1, (unsigned long)other);
	wait_hart_status((unsigned long)other, HSM_STOPPED, WAIT_US);
	teardown(GLOBAL_SW);
}

static void end_cases(long other)
{
	long e;

	setup(LOCAL_SW, 0, 0);
	call1(DISABLE, LOCAL_SW);
	e = call1(UNREGISTER, LOCAL_SW);
	check("unregister",
	      !e && attr(LOCAL_SW, STATUS) == ST_INJECTABLE &&
		      sse(INJECT, LOCAL_SW, this_hart(), 0, 0, 0).error ==
			      SBI_ERR_INVALID_STATE,
	      "error %ld status 0x%lx", e, attr(LOCAL_SW, STATUS));
	if (other < 0) {
		check("reset", false, "needs 2 harts");
	} else {
		bool ran = run_other(other, other_registers) &&
			   wait_hart_status((unsigned long)other, HSM_STOPPED,
					    WAIT_US) &&
			   run_other(other, other_after_restart);

		check("reset",
		      ran && other_status == ST_INJECTABLE &&
			      other_mask_err == SBI_ERR_ALREADY_STOPPED,
		      "ran %d: status 0x%lx, mask %ld", ran, other_status,
		      other_mask_err);
		wait_hart_status((unsigned long)other, HSM_STOPPED, WAIT_US);
	}
	expect_err("bad-fid", sse(10, 0, 0, 0, 0, 0).error,
		   SBI_ERR_NOT_SUPPORTED);
}

void test_main(void)
{
	long other = other_hart();

	irq_disable_all();
	if (skip_unless_offered(SBI_EXT_SSE, "SSE"))
		return;
	if (opensbi_upto_1_5()) {
		skip_all("OpenSBI <= 1.5 offers an early draft of SSE");
		return;
	}
	pass_note("probe", "SSE offered");
	id_cases();
	attr_cases();
	state_cases();
	delivery_cases();
	priority_cases();
	global_cases(other);
	end_cases(other);
}
