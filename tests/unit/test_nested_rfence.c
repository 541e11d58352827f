// SPDX-License-Identifier: MIT
/*
 * nested/rfence.c: SBI remote HFENCEs queued for a vCPU and applied on its
 * hart. The shadow fences it calls are logged here, so each test checks
 * which fences a request turns into: every page of a short range, the
 * whole space for the spec's "all" forms and for long or wrapping ranges,
 * VMIDs cut to 14 bits, and everything once the queue overflows.
 */
#include <stdbool.h>
#include <string.h>

#include <l0/bits.h>
#include <l0/nested.h>
#include <l0/page_alloc.h>

#include "../../nested/state.h"
#include "stubs.h"

struct fence_log {
	bool gvma; /* else vvma */
	bool all_vmids, all_gpas;
	unsigned long vmid;
	uint64_t gpa;
};

static struct fence_log log_[256];
static unsigned int nlog;

void nested_shadow_fence_gvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid, bool all_gpas, uint64_t gpa)
{
	(void)n;
	assert_true(nlog < ARRAY_SIZE(log_));
	log_[nlog++] =
		(struct fence_log){ true, all_vmids, all_gpas, vmid, gpa };
}

void nested_shadow_fence_vvma(struct nested_vcpu *n, bool all_vmids,
			      unsigned long vmid)
{
	(void)n;
	assert_true(nlog < ARRAY_SIZE(log_));
	log_[nlog++] = (struct fence_log){ false, all_vmids, false, vmid, 0 };
}

static struct nested_vcpu nv;
static struct vcpu vcpu = { .nested = &nv };

static int setup(void **state)
{
	(void)state;
	memset(&nv, 0, sizeof(nv));
	nlog = 0;
	return 0;
}

static void request(enum nested_rfence_kind kind, unsigned long id,
		    unsigned long start, unsigned long size)
{
	struct nested_rfence f = { kind, id, id, start, size };

	nested_remote_hfence(&vcpu, &f);
}

static void assert_gvma(unsigned int i, bool all_vmids, unsigned long vmid,
			bool all_gpas, uint64_t gpa)
{
	assert_true(i < nlog);
	assert_true(log_[i].gvma);
	assert_int_equal(log_[i].all_vmids, all_vmids);
	if (!all_vmids)
		assert_int_equal(log_[i].vmid, vmid);
	assert_int_equal(log_[i].all_gpas, all_gpas);
	if (!all_gpas)
		assert_int_equal(log_[i].gpa, gpa);
}

/* Nothing happens until the target's hart applies the queue. */
static void test_deferred_until_applied(void **state)
{
	(void)state;
	request(NESTED_RFENCE_GVMA_VMID, 5, 0x80000000, 0x1000);
	assert_int_equal(nlog, 0);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 1);
	assert_gvma(0, false, 5, false, 0x80000000);
	nested_apply_remote_hfences(&vcpu); /* applied once only */
	assert_int_equal(nlog, 1);
}

/* Every 4 KiB page the range touches, an unaligned start included. */
static void test_gvma_pages(void **state)
{
	(void)state;
	request(NESTED_RFENCE_GVMA_VMID, 3, 0x80000ff8, 0x10);
	request(NESTED_RFENCE_GVMA, 0, 0x90000000, 0x3000);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 5);
	assert_gvma(0, false, 3, false, 0x80000000);
	assert_gvma(1, false, 3, false, 0x80001000);
	assert_gvma(2, true, 0, false, 0x90000000);
	assert_gvma(3, true, 0, false, 0x90001000);
	assert_gvma(4, true, 0, false, 0x90002000);
}

/* The spec's whole-space forms, and ranges too long or wrapping. */
static void test_gvma_whole(void **state)
{
	static const struct {
		unsigned long start, size;
	} whole[] = {
		{ 0, 0 },	  { 0x1000, ~0UL },
		{ 0, ~0UL },	  { 0x80000000, 65 * PAGE_SIZE },
		{ 0, 1UL << 62 }, { ~0UL - 0xfff, 0x2000 },
	};

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(whole); i++)
		request(NESTED_RFENCE_GVMA_VMID, 7, whole[i].start,
			whole[i].size);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, ARRAY_SIZE(whole));
	for (unsigned int i = 0; i < nlog; i++)
		assert_gvma(i, false, 7, true, 0);
}

/* HFENCE ignores VMID bits above VMIDMAX (14 bits on RV64); so does this. */
static void test_vmid_cut(void **state)
{
	(void)state;
	request(NESTED_RFENCE_GVMA_VMID, ~0UL, 0, 0);
	request(NESTED_RFENCE_VVMA, (1UL << 14) | 9, 0x1000, 0x1000);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 2);
	assert_gvma(0, false, 0x3fff, true, 0);
	assert_false(log_[1].gvma);
	assert_false(log_[1].all_vmids);
	assert_int_equal(log_[1].vmid, 9);
}

/* VVMA, with or without an ASID: every VS-stage entry of the VMID. */
static void test_vvma(void **state)
{
	(void)state;
	request(NESTED_RFENCE_VVMA_ASID, 4, 0x40000000, 0x1000);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 1);
	assert_false(log_[0].gvma);
	assert_false(log_[0].all_vmids);
	assert_int_equal(log_[0].vmid, 4);
}

/* More requests than the queue holds: one fence of everything. */
static void test_overflow(void **state)
{
	(void)state;
	for (unsigned int i = 0; i < RFENCE_QUEUE + 3; i++)
		request(NESTED_RFENCE_GVMA_VMID, i, 0x80000000, 0x1000);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 2);
	assert_gvma(0, true, 0, true, 0);
	assert_false(log_[1].gvma);
	assert_true(log_[1].all_vmids);
	/* The queue is empty and usable again. */
	request(NESTED_RFENCE_GVMA_VMID, 1, 0x80000000, 0x1000);
	nested_apply_remote_hfences(&vcpu);
	assert_int_equal(nlog, 3);
	assert_gvma(2, false, 1, false, 0x80000000);
}

int main(void)
{
#define T(fn) cmocka_unit_test_setup(fn, setup)
	const struct CMUnitTest tests[] = {
		T(test_deferred_until_applied),
		T(test_gvma_pages),
		T(test_gvma_whole),
		T(test_vmid_cut),
		T(test_vvma),
		T(test_overflow),
	};

	return cmocka_run_group_tests_name("nested_rfence", tests, NULL, NULL);
}
