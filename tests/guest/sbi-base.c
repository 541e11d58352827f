// SPDX-License-Identifier: MIT
/* SBI base extension: versions, implementation, probing, unknown calls. */
#include "guest.h"

#define UNKNOWN_EXT 0x12345678UL
/* SBI nested acceleration: only for a guest with the H extension (L0 gives
 * it to nested-enabled guests alone; these payloads run without H). */
#define SBI_EXT_NACL 0x4e41434cUL

const char payload_name[] = "sbi-base";
PLAN("spec-version", "impl-id", "impl-version", "probe-base", "probe-time",
     "probe-ipi", "probe-rfence", "probe-hsm", "probe-srst", "probe-dbcn",
     "probe-unknown", "unknown-fid", "unknown-ext", "mvendorid", "marchid",
     "mimpid", "no-nacl", "probe-standard");

static const struct {
	const char *name;
	unsigned long ext;
} probes[] = {
	{ "probe-base", SBI_EXT_BASE }, { "probe-time", SBI_EXT_TIME },
	{ "probe-ipi", SBI_EXT_IPI },	{ "probe-rfence", SBI_EXT_RFENCE },
	{ "probe-hsm", SBI_EXT_HSM },	{ "probe-srst", SBI_EXT_SRST },
	{ "probe-dbcn", SBI_EXT_DBCN },
};

/* Every extension ID of SBI v3.0 (legacy ones aside), for probe-standard. */
static const struct {
	const char *name;
	unsigned long ext;
} standard[] = {
	{ "BASE", 0x10 },	{ "TIME", 0x54494d45 },
	{ "IPI", 0x735049 },	{ "RFENCE", 0x52464e43 },
	{ "HSM", 0x48534d },	{ "SRST", 0x53525354 },
	{ "PMU", 0x504d55 },	{ "DBCN", 0x4442434e },
	{ "SUSP", 0x53555350 }, { "CPPC", 0x43505043 },
	{ "NACL", 0x4e41434c }, { "STA", 0x535441 },
	{ "SSE", 0x535345 },	{ "FWFT", 0x46574654 },
	{ "DBTR", 0x44425452 }, { "MPXY", 0x4d505859 },
};

/*
 * Each probe answers 0 (absent) or nonzero, with no error; the note lists
 * those offered (make bench records their count: sbi_extensions_offered).
 */
static void probe_standard(void)
{
	char list[256];
	int len = 0;
	unsigned long n = 0, bad = ARRAY_SIZE(standard);
	struct sbiret r;

	list[0] = 0;
	for (unsigned long i = 0; i < ARRAY_SIZE(standard); i++) {
		r = sbi_call(SBI_EXT_BASE, 3, standard[i].ext, 0, 0, 0, 0);
		if (r.error)
			bad = i;
		if (r.error || !r.value)
			continue;
		n++;
		len += l0_snprintf(list + len,
				   sizeof(list) - (unsigned long)len, " %s",
				   standard[i].name);
	}
	if (bad < ARRAY_SIZE(standard))
		check("probe-standard", false, "%s: error %ld",
		      standard[bad].name, r.error);
	else
		pass_note("probe-standard", "offered %lu:%s", n, list);
}

static void base_call(const char *name, unsigned long fid)
{
	struct sbiret r = sbi_call0(SBI_EXT_BASE, fid);

	if (check(name, r.error == 0, "error %ld", r.error))
		gprintf("  %s = 0x%lx\n", name, r.value);
}

void test_main(void)
{
	struct sbiret r = sbi_call0(SBI_EXT_BASE, 0);
	long major = (r.value >> 24) & 0x7f, minor = r.value & 0xffffff;
	long v;

	check("spec-version", !r.error && major >= 2,
	      "error %ld, version %ld.%ld, want >= 2.0", r.error, major, minor);
	base_call("impl-id", 1);
	base_call("impl-version", 2);
	for (unsigned long i = 0; i < ARRAY_SIZE(probes); i++) {
		r = sbi_call(SBI_EXT_BASE, 3, probes[i].ext, 0, 0, 0, 0);
		check(probes[i].name, !r.error && r.value != 0,
		      "error %ld value %ld", r.error, r.value);
	}
	r = sbi_call(SBI_EXT_BASE, 3, UNKNOWN_EXT, 0, 0, 0, 0);
	check("probe-unknown", !r.error && r.value == 0, "error %ld value %ld",
	      r.error, r.value);
	v = sbi_call0(SBI_EXT_BASE, 0x100).error;
	check("unknown-fid", v == SBI_ERR_NOT_SUPPORTED, "error %ld, want -2",
	      v);
	v = sbi_call0(UNKNOWN_EXT, 0).error;
	check("unknown-ext", v == SBI_ERR_NOT_SUPPORTED, "error %ld, want -2",
	      v);
	base_call("mvendorid", 4);
	base_call("marchid", 5);
	base_call("mimpid", 6);
	r = sbi_call(SBI_EXT_BASE, 3, SBI_EXT_NACL, 0, 0, 0, 0);
	v = sbi_call(SBI_EXT_NACL, 1, (unsigned long)&r & ~0xfffUL, 0, 0, 0, 0)
		    .error;
	check("no-nacl", !r.error && r.value == 0 && v == SBI_ERR_NOT_SUPPORTED,
	      "probe error %ld value %ld, SET_SHMEM error %ld", r.error,
	      r.value, v);
	probe_standard();
}
