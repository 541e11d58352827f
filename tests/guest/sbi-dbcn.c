// SPDX-License-Identifier: MIT
/*
 * SBI DBCN: write, write_byte, read, invalid memory, a write of all RAM;
 * legacy putchar.
 */
#include <string.h>

#include "guest.h"

enum { DBCN_WRITE, DBCN_READ, DBCN_WRITE_BYTE };

const char payload_name[] = "sbi-dbcn";
PLAN("write", "write-visible", "write-empty", "write-byte",
     "write-byte-visible", "read", "write-inaccessible", "read-inaccessible",
     "write-above-64bit", "read-huge", "write-huge", "unknown-fid",
     "legacy-putchar", "legacy-putchar-visible");

static struct sbiret dbcn(unsigned long fid, unsigned long a0, unsigned long a1,
			  unsigned long a2)
{
	return sbi_call(SBI_EXT_DBCN, fid, a0, a1, a2, 0, 0);
}

static void write_cases(void)
{
	static const char line[] = "ECHO: sbi-dbcn: write-visible\n";
	static const char bytes[] = "ECHO: sbi-dbcn: write-byte-visible\n";
	unsigned long len = strlen(line), done = 0;
	struct sbiret r = { 0 };
	int tries = 0;

	while (done < len && tries++ < 1000) {
		r = dbcn(DBCN_WRITE, len - done, (unsigned long)line + done, 0);
		if (r.error || (unsigned long)r.value > len - done)
			break;
		done += (unsigned long)r.value;
	}
	check("write", !r.error && done == len, "error %ld, %lu of %lu bytes",
	      r.error, done, len);
	r = dbcn(DBCN_WRITE, 0, (unsigned long)line, 0);
	check("write-empty", !r.error && r.value == 0, "error %ld value %ld",
	      r.error, r.value);
	for (const char *p = bytes; *p; p++) {
		r = dbcn(DBCN_WRITE_BYTE, (unsigned char)*p, 0, 0);
		if (r.error)
			break;
	}
	check("write-byte", !r.error, "error %ld", r.error);
}

static void read_cases(void)
{
	static char buf[64];
	struct sbiret r = dbcn(DBCN_READ, sizeof(buf), (unsigned long)buf, 0);

	check("read", !r.error && r.value >= 0 && r.value <= (long)sizeof(buf),
	      "error %ld value %ld", r.error, r.value);
}

/* Memory S-mode may not access: INVALID_PARAM (DBCN chapter), or
 * INVALID_ADDRESS (the newer shared memory rules). */
static bool bad_memory_error(long err)
{
	return err == SBI_ERR_INVALID_PARAM || err == SBI_ERR_INVALID_ADDRESS;
}

static void bad_memory_cases(void)
{
	struct sbiret r;

	gprintf("sbi-dbcn: inaccessible address 0x%lx\n",
		(unsigned long)plat.bad_addr);
	r = dbcn(DBCN_WRITE, 16, plat.bad_addr, 0);
	check("write-inaccessible", bad_memory_error(r.error),
	      "error %ld, want -3 or -5", r.error);
	r = dbcn(DBCN_READ, 16, plat.bad_addr, 0);
	check("read-inaccessible", bad_memory_error(r.error),
	      "error %ld, want -3 or -5", r.error);
	/* Beyond what the platform can address: base_addr_hi = 1. */
	r = dbcn(DBCN_WRITE, 16, 0x80200000, 1);
	check("write-above-64bit", bad_memory_error(r.error),
	      "error %ld, want -3 or -5", r.error);
}

/* The SBI implementation is OpenSBI (implementation ID 1). */
static bool opensbi(void)
{
	return sbi_call0(SBI_EXT_BASE, 1).value == 1;
}

/* The start of a buffer that runs to the end of RAM. */
static char huge_text[4096] __attribute__((aligned(4096)));

/*
 * A guest may hand one call all of its RAM. SBI 2.0's DBCN chapter lets a
 * write do part of it and return the count, and L0 must: one trap may not
 * keep the hart and the shared console for the minutes (hours on a real
 * UART) that the whole would take. A read of as much returns what is there.
 */
static void huge_cases(void)
{
	static const char first[] = "sbi-dbcn: write-huge: a line of a "
				    "buffer that runs to the end of RAM\n";
	unsigned long end = plat.mem_base + plat.mem_size;
	unsigned long base = (unsigned long)huge_text, len = end - base;
	struct sbiret r;

	r = dbcn(DBCN_READ, len, base, 0);
	check("read-huge",
	      !r.error && r.value >= 0 && (unsigned long)r.value < len,
	      "%lu bytes: error %ld, %ld read", len, r.error, r.value);
	if (opensbi()) {
		/* OpenSBI prints the whole buffer: minutes at QEMU's speed. */
		check("write-huge", false, "not run: OpenSBI writes it whole");
		return;
	}
	for (unsigned long i = 0; i < sizeof(huge_text); i++)
		huge_text[i] = first[i % (sizeof(first) - 1)];
	r = dbcn(DBCN_WRITE, len, base, 0);
	check("write-huge",
	      !r.error && r.value > 0 && (unsigned long)r.value < len,
	      "%lu bytes: error %ld, %ld written, want a part", len, r.error,
	      r.value);
}

void test_main(void)
{
	static const char legacy[] = "ECHO: sbi-dbcn: legacy-putchar-visible\n";
	struct sbiret r;
	long err = 0;

	write_cases();
	read_cases();
	bad_memory_cases();
	huge_cases();
	r = dbcn(3, 0, 0, 0);
	check("unknown-fid", r.error == SBI_ERR_NOT_SUPPORTED,
	      "error %ld, want -2", r.error);
	for (const char *p = legacy; *p && !err; p++)
		err = sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (unsigned char)*p, 0,
			       0, 0, 0)
			      .error;
	check("legacy-putchar", err == 0, "a0 = %ld, want 0", err);
}
