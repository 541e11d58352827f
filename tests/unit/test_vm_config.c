// SPDX-License-Identifier: MIT
/*
 * core/vm_config.c on the guests-*.dts trees from tests/unit/dts (compiled by
 * dtc into UNIT_DTB_DIR) and on copies of guests-good edited here with the
 * host libfdt. Every blob is parsed from a heap buffer of exactly its size.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <l0/vm_config.h>

#include "stubs.h"

#define MIB (1024ULL * 1024)
#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static struct vm_config cfg[VM_MAX + 1]; /* + 1: test_max_guests */
static char err[256];

static void *load_dtb(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	void *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s.dtb", UNIT_DTB_DIR, name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s (run `make unit-test`)", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	if (size)
		*size = (size_t)len;
	return buf;
}

/* Parse a copy of `fdt` of exactly its totalsize into cfg (room: `max`). */
static int parse_max(const void *fdt, size_t max)
{
	size_t size = fdt_totalsize(fdt);
	void *copy = malloc(size);
	int rc;

	assert_non_null(copy);
	memcpy(copy, fdt, size);
	memset(cfg, 0x5a, sizeof(cfg));
	memset(err, 0, sizeof(err));
	rc = vm_config_parse(copy, cfg, max, err, sizeof(err));
	free(copy);
	return rc;
}

static int parse_dtb(const char *name, size_t max)
{
	void *fdt = load_dtb(name, NULL);
	int rc = parse_max(fdt, max);

	free(fdt);
	return rc;
}

static void expect_dtb_error(const char *name, const char *msg)
{
	assert_int_equal(parse_dtb(name, VM_MAX), -1);
	assert_string_equal(err, msg);
}

/* A writable copy of guests-good with room for edits. */
static void *editable(void)
{
	size_t size;
	void *dtb = load_dtb("guests-good", &size);
	void *buf = malloc(size + 4096);

	assert_non_null(buf);
	assert_int_equal(fdt_open_into(dtb, buf, (int)size + 4096), 0);
	free(dtb);
	return buf;
}

static int node(const void *fdt, const char *path)
{
	int off = fdt_path_offset(fdt, path);

	if (off < 0)
		fail_msg("no %s in the test tree", path);
	return off;
}

static void setprop(void *fdt, const char *path, const char *prop,
		    const void *val, size_t len)
{
	assert_int_equal(fdt_setprop(fdt, node(fdt, path), prop, val, (int)len),
			 0);
}

static void delprop(void *fdt, const char *path, const char *prop)
{
	assert_int_equal(fdt_delprop(fdt, node(fdt, path), prop), 0);
}

/* guests-good with linux0's `prop` set to `len` bytes of `val`. */
static int parse_with(const char *prop, const void *val, size_t len)
{
	void *fdt = editable();
	int rc;

	setprop(fdt, "/guests/linux0", prop, val, len);
	rc = parse_max(fdt, VM_MAX);
	free(fdt);
	return rc;
}

static int parse_with_u32(const char *prop, uint32_t v)
{
	fdt32_t be = cpu_to_fdt32(v);

	return parse_with(prop, &be, sizeof(be));
}

static int parse_with_u64(const char *prop, uint64_t v)
{
	fdt64_t be = cpu_to_fdt64(v);

	return parse_with(prop, &be, sizeof(be));
}

static int parse_with_str(const char *prop, const char *s)
{
	return parse_with(prop, s, strlen(s) + 1);
}

static int parse_without(const char *prop)
{
	void *fdt = editable();
	int rc;

	delprop(fdt, "/guests/linux0", prop);
	rc = parse_max(fdt, VM_MAX);
	free(fdt);
	return rc;
}

static void expect_error(int rc, const char *msg)
{
	assert_int_equal(rc, -1);
	assert_string_equal(err, msg);
}

static void expect_ok(int rc, int n)
{
	if (rc != n)
		fail_msg("got %d, not %d: %s", rc, n, err);
}

/* A string of `n` 'a's. */
static const char *str_of(size_t n)
{
	static char buf[1024];

	assert_true(n < sizeof(buf));
	memset(buf, 'a', n);
	buf[n] = '\0';
	return buf;
}

static void test_good_two_guests(void **state)
{
	struct vm_config *c = &cfg[0];

	(void)state;
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_string_equal(c->name, "linux0");
	assert_int_equal(c->vcpus, 2);
	assert_int_equal(c->memory, 256 * MIB);
	assert_int_equal(c->hart_mask, 1ULL << 0 | 1ULL << 1 | 1ULL << 63);
	assert_string_equal(c->kernel, "guests/Image");
	assert_string_equal(c->initrd, "guests/rootfs.cpio.gz");
	assert_string_equal(c->bootargs, "console=ttyS0 root=/dev/ram0");
	assert_true(c->nested);
}

/* linux1 sets only what is required: the rest are defaults. */
static void test_good_defaults(void **state)
{
	struct vm_config *c = &cfg[1];

	(void)state;
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_string_equal(c->name, "linux1");
	assert_int_equal(c->vcpus, VM_MAX_VCPUS);
	assert_int_equal(c->memory, 4096 * MIB);
	assert_int_equal(c->hart_mask, ~0ULL);
	assert_string_equal(c->kernel, "Image");
	assert_string_equal(c->initrd, "");
	assert_string_equal(c->bootargs, "");
	assert_false(c->nested);
}

/* configs/guests-example.dts, the documented example, parses as documented. */
static void test_example_config(void **state)
{
	(void)state;
	expect_ok(parse_dtb("guests-example", VM_MAX), 2);
	assert_string_equal(cfg[0].name, "linux0");
	assert_int_equal(cfg[0].vcpus, 2);
	assert_int_equal(cfg[0].memory, 2048 * MIB);
	assert_int_equal(cfg[0].hart_mask, 3);
	assert_string_equal(cfg[0].kernel, "Image-6.12");
	assert_string_equal(cfg[0].initrd, "l1.cpio.gz");
	assert_string_equal(cfg[0].bootargs, "console=ttyS0");
	assert_true(cfg[0].nested);
	assert_string_equal(cfg[1].name, "linux1");
	assert_int_equal(cfg[1].vcpus, 1);
	assert_int_equal(cfg[1].memory, 256 * MIB);
	assert_int_equal(cfg[1].hart_mask, ~0ULL);
	assert_string_equal(cfg[1].initrd, "l2.cpio.gz");
	assert_false(cfg[1].nested);
	assert_false(cfg[0].direct_map);
	assert_int_equal(cfg[0].npassthrough, 0);
	assert_true(cfg[1].direct_map);
	assert_int_equal(cfg[1].npassthrough, 1);
	assert_string_equal(cfg[1].passthrough[0], "/soc/virtio_mmio@10008000");
}

/* Exactly `max` guests fit; one more is an error naming the extra one. */
static void test_max_guests(void **state)
{
	(void)state;
	expect_ok(parse_dtb("guests-good", 2), 2);
	expect_error(parse_dtb("guests-good", 1),
		     "guests/linux1: more than 1 enabled guests");
	expect_error(parse_dtb("guests-good", 0),
		     "guests/linux0: more than 0 enabled guests");
	expect_error(parse_dtb("guests-too-many", VM_MAX),
		     "guests/g8: more than 8 enabled guests");
	expect_ok(parse_dtb("guests-too-many", VM_MAX + 1), VM_MAX + 1);
}

static void test_no_guests(void **state)
{
	(void)state;
	expect_ok(parse_dtb("guests-none", VM_MAX), 0);
	expect_ok(parse_dtb("guests-empty", VM_MAX), 0);
	expect_ok(parse_dtb("guests-none", 0), 0);
}

/* Only "disabled" and other non-okay states skip a guest. */
static void test_status(void **state)
{
	void *fdt = editable();

	(void)state;
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/guests/linux0"),
					    "status", "fail"),
			 0);
	expect_ok(parse_max(fdt, VM_MAX), 1);
	assert_string_equal(cfg[0].name, "linux1");
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/guests/linux0"),
					    "status", "ok"),
			 0);
	expect_ok(parse_max(fdt, VM_MAX), 2);
	/* Enabling "off", which has no vcpus, now fails on it. */
	assert_int_equal(fdt_setprop_string(fdt, node(fdt, "/guests/off"),
					    "status", "okay"),
			 0);
	expect_error(parse_max(fdt, VM_MAX), "guests/off: vcpus: missing");
	free(fdt);
}

static void test_err_dtb_files(void **state)
{
	(void)state;
	expect_dtb_error("guests-bad-memory",
			 "guests/linux0: memory: must be a multiple of 2 MiB");
	expect_dtb_error("guests-bad-vcpus",
			 "guests/linux1: vcpus: must be 1 to 8, not 0");
}

static void test_vcpus(void **state)
{
	(void)state;
	expect_error(parse_without("vcpus"), "guests/linux0: vcpus: missing");
	expect_error(parse_with_u32("vcpus", 0),
		     "guests/linux0: vcpus: must be 1 to 8, not 0");
	expect_error(parse_with_u32("vcpus", VM_MAX_VCPUS + 1),
		     "guests/linux0: vcpus: must be 1 to 8, not 9");
	expect_error(parse_with_u32("vcpus", 0xffffffff),
		     "guests/linux0: vcpus: must be 1 to 8, not 4294967295");
	expect_error(parse_with_u64("vcpus", 1),
		     "guests/linux0: vcpus: must be one cell");
	expect_error(parse_with("vcpus", "", 0),
		     "guests/linux0: vcpus: must be one cell");
	expect_ok(parse_with_u32("vcpus", 1), 2);
	assert_int_equal(cfg[0].vcpus, 1);
}

static void test_memory(void **state)
{
	static const char align[] =
		"guests/linux0: memory: must be a multiple of 2 MiB";
	static const char small[] =
		"guests/linux0: memory: must be at least 16 MiB";

	(void)state;
	expect_error(parse_without("memory"), "guests/linux0: memory: missing");
	expect_error(parse_with_u32("memory", 0x10000000),
		     "guests/linux0: memory: must be two cells (64-bit bytes)");
	expect_error(parse_with("memory", "\0\0\0\0\0\0\0\0\0\0\0\0", 12),
		     "guests/linux0: memory: must be two cells (64-bit bytes)");
	expect_error(parse_with_u64("memory", 0), small);
	expect_error(parse_with_u64("memory", 14 * MIB), small);
	expect_error(parse_with_u64("memory", 16 * MIB - 1), small);
	expect_error(parse_with_u64("memory", 17 * MIB), align);
	expect_error(parse_with_u64("memory", 16 * MIB + 4096), align);
	expect_error(parse_with_u64("memory", ~0ULL), align);
	expect_ok(parse_with_u64("memory", 16 * MIB), 2);
	assert_int_equal(cfg[0].memory, 16 * MIB);
	expect_ok(parse_with_u64("memory", 0xffffffffffe00000ULL), 2);
	assert_int_equal(cfg[0].memory, 0xffffffffffe00000ULL);
	expect_ok(parse_with_u64("memory", 0x200000000ULL), 2);
	assert_int_equal(cfg[0].memory, 0x200000000ULL);
}

/* kernel and initrd: one non-empty string, shorter than VM_FILE_MAX. */
static void check_file_prop(const char *prop)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "guests/linux0: %s: must not be empty",
		 prop);
	expect_error(parse_with_str(prop, ""), msg);
	snprintf(msg, sizeof(msg),
		 "guests/linux0: %s: must be one NUL-terminated string", prop);
	expect_error(parse_with(prop, "Image", 5), msg);
	expect_error(parse_with(prop, "Image\0x", 8), msg);
	expect_error(parse_with(prop, "", 0), msg);
	snprintf(msg, sizeof(msg),
		 "guests/linux0: %s: longer than 63 characters", prop);
	expect_error(parse_with_str(prop, str_of(VM_FILE_MAX)), msg);
	expect_error(parse_with_str(prop, str_of(1000)), msg);
	expect_ok(parse_with_str(prop, str_of(VM_FILE_MAX - 1)), 2);
	assert_string_equal(!strcmp(prop, "kernel") ? cfg[0].kernel
						    : cfg[0].initrd,
			    str_of(VM_FILE_MAX - 1));
}

static void test_kernel(void **state)
{
	(void)state;
	expect_error(parse_without("kernel"), "guests/linux0: kernel: missing");
	check_file_prop("kernel");
}

static void test_initrd(void **state)
{
	(void)state;
	expect_ok(parse_without("initrd"), 2);
	assert_string_equal(cfg[0].initrd, "");
	check_file_prop("initrd");
}

static void test_bootargs(void **state)
{
	static const char unterminated[] =
		"guests/linux0: bootargs: must be one NUL-terminated string";

	(void)state;
	expect_ok(parse_without("bootargs"), 2);
	assert_string_equal(cfg[0].bootargs, "");
	expect_ok(parse_with_str("bootargs", ""), 2);
	assert_string_equal(cfg[0].bootargs, "");
	expect_ok(parse_with_str("bootargs", str_of(VM_BOOTARGS_MAX - 1)), 2);
	assert_string_equal(cfg[0].bootargs, str_of(VM_BOOTARGS_MAX - 1));
	expect_error(parse_with_str("bootargs", str_of(VM_BOOTARGS_MAX)),
		     "guests/linux0: bootargs: longer than 255 characters");
	expect_error(parse_with("bootargs", "quiet", 5), unterminated);
	expect_error(parse_with("bootargs", "a\0b", 4), unterminated);
}

static void test_harts(void **state)
{
	static const char list[] =
		"guests/linux0: harts: must be a non-empty list of cells";
	fdt32_t ids[3] = { cpu_to_fdt32(5), cpu_to_fdt32(5), cpu_to_fdt32(0) };

	(void)state;
	expect_ok(parse_without("harts"), 2);
	assert_int_equal(cfg[0].hart_mask, ~0ULL);
	expect_ok(parse_with("harts", ids, sizeof(ids)), 2);
	assert_int_equal(cfg[0].hart_mask, 1ULL << 5 | 1ULL);
	expect_ok(parse_with_u32("harts", 63), 2);
	assert_int_equal(cfg[0].hart_mask, 1ULL << 63);
	expect_error(parse_with_u32("harts", 64),
		     "guests/linux0: harts: hart id 64 is not below 64");
	expect_error(
		parse_with_u32("harts", 0xffffffff),
		"guests/linux0: harts: hart id 4294967295 is not below 64");
	expect_error(parse_with("harts", "", 0), list);
	expect_error(parse_with("harts", ids, 5), list);
}

static void test_nested(void **state)
{
	(void)state;
	expect_ok(parse_without("nested"), 2);
	assert_false(cfg[0].nested);
	assert_false(cfg[1].nested);
	expect_error(parse_with_u32("nested", 0),
		     "guests/linux0: nested: is a boolean: must have no value");
	expect_error(parse_with_str("nested", "yes"),
		     "guests/linux0: nested: is a boolean: must have no value");
}

static void test_nested_nacl_off(void **state)
{
	void *fdt;

	(void)state;
	/* Absent: a nested guest has SBI nested acceleration. */
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_true(cfg[0].nested);
	assert_false(cfg[0].nested_nacl_off);
	assert_false(cfg[1].nested_nacl_off);
	expect_ok(parse_with("nested-nacl-off", "", 0), 2);
	assert_true(cfg[0].nested);
	assert_true(cfg[0].nested_nacl_off);
	assert_false(cfg[1].nested_nacl_off);
	expect_error(parse_with_u32("nested-nacl-off", 1),
		     "guests/linux0: nested-nacl-off: is a boolean: must have "
		     "no value");
	/* Only a nested guest has NACL to turn off. */
	fdt = editable();
	delprop(fdt, "/guests/linux0", "nested");
	setprop(fdt, "/guests/linux0", "nested-nacl-off", "", 0);
	expect_error(
		parse_max(fdt, VM_MAX),
		"guests/linux0: nested-nacl-off: needs the nested property");
	free(fdt);
}

static void test_nested_hgatp(void **state)
{
	const char *bad =
		"guests/linux0: nested-hgatp: must be \"sv39x4\" or \"sv48x4\"";

	void *fdt;
	int rc;

	(void)state;
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_int_equal(cfg[0].nested_hgatp_max, 9);
	expect_ok(parse_with_str("nested-hgatp", "sv39x4"), 2);
	assert_int_equal(cfg[0].nested_hgatp_max, 8);
	expect_ok(parse_with_str("nested-hgatp", "sv48x4"), 2);
	assert_int_equal(cfg[0].nested_hgatp_max, 9);
	expect_error(parse_with_str("nested-hgatp", "sv57x4"), bad);
	expect_error(parse_with_str("nested-hgatp", "SV39X4"), bad);
	expect_error(parse_with_str("nested-hgatp", ""),
		     "guests/linux0: nested-hgatp: must not be empty");
	expect_error(
		parse_with_u32("nested-hgatp", 8),
		"guests/linux0: nested-hgatp: must be one NUL-terminated string");
	/* linux1 is not nested: the property has nothing to choose for. */
	fdt = editable();
	setprop(fdt, "/guests/linux1", "nested-hgatp", "sv39x4", 7);
	rc = parse_max(fdt, VM_MAX);
	free(fdt);
	expect_error(rc,
		     "guests/linux1: nested-hgatp: needs the nested property");
}

static void test_names(void **state)
{
	char name[VM_NAME_MAX + 8], msg[128];
	void *fdt;

	(void)state;
	fdt = editable();
	snprintf(name, sizeof(name), "%s", str_of(VM_NAME_MAX - 1));
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/guests/linux1"), name),
			 0);
	expect_ok(parse_max(fdt, VM_MAX), 2);
	assert_string_equal(cfg[1].name, name);
	/* With a unit address, the name is the full node name. */
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/guests/linux0"), "vm@1"),
			 0);
	expect_ok(parse_max(fdt, VM_MAX), 2);
	assert_string_equal(cfg[0].name, "vm@1");
	snprintf(name, sizeof(name), "%s", str_of(VM_NAME_MAX));
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/guests/vm@1"), name), 0);
	snprintf(msg, sizeof(msg), "guests/%s: name: longer than 31 characters",
		 name);
	expect_error(parse_max(fdt, VM_MAX), msg);
	free(fdt);
	/* Two nodes of one name: only a hand-edited blob has them. */
	fdt = editable();
	assert_int_equal(
		fdt_set_name(fdt, node(fdt, "/guests/linux1"), "linux0"), 0);
	expect_error(parse_max(fdt, VM_MAX), "guests/linux0: name: not unique");
	free(fdt);
	/*
	 * A name with a line break or another control character (libfdt takes
	 * them) would split L0's one-line message and every later line that
	 * names the VM (found by fuzz_config): refused, and not printed.
	 */
	fdt = editable();
	assert_int_equal(fdt_set_name(fdt, node(fdt, "/guests/linux1"),
				      "x\nL0: VM linux0 stopped"),
			 0);
	expect_error(parse_max(fdt, VM_MAX),
		     "guests/?: name: a character that is not printable ASCII");
	expect_error(parse_max(fdt, 1), "guests/?: more than 1 enabled guests");
	assert_int_equal(
		fdt_set_name(fdt, node(fdt, "/guests/linux0"), "\x1b[2Jvm"), 0);
	expect_error(parse_max(fdt, VM_MAX),
		     "guests/?: name: a character that is not printable ASCII");
	free(fdt);
}

static void test_err_not_a_tree(void **state)
{
	void *fdt = load_dtb("guests-good", NULL);
	char junk[64];

	(void)state;
	memset(junk, 'x', sizeof(junk));
	memset(err, 0, sizeof(err));
	assert_int_equal(vm_config_parse(junk, cfg, VM_MAX, err, sizeof(err)),
			 -1);
	assert_substr(err, "not a valid device tree");
	/* A struct block that lies about its size. */
	fdt_set_size_dt_struct(fdt, fdt_size_dt_struct(fdt) + 4096);
	assert_int_equal(vm_config_parse(fdt, cfg, VM_MAX, err, sizeof(err)),
			 -1);
	assert_substr(err, "not a valid device tree");
	free(fdt);
}

/* The message is cut to the buffer, NUL-terminated; none at all is fine. */
static void test_error_buffer_small(void **state)
{
	void *fdt = load_dtb("guests-bad-memory", NULL);
	char small[9];

	(void)state;
	memset(small, 'x', sizeof(small));
	assert_int_equal(vm_config_parse(fdt, cfg, VM_MAX, small, 8), -1);
	assert_string_equal(small, "guests/");
	assert_int_equal(small[8], 'x');
	assert_int_equal(vm_config_parse(fdt, cfg, VM_MAX, NULL, 0), -1);
	free(fdt);
}

/* Random damage to guests-good: no crash, no overread, sane results. */
static void test_fuzz_no_crash(void **state)
{
	size_t size;
	void *good = load_dtb("guests-good", &size);
	unsigned char *buf = malloc(size);
	int rc, seen_ok = 0, seen_err = 0;

	(void)state;
	assert_non_null(buf);
	srand(2);
	for (int i = 0; i < 20000; i++) {
		memcpy(buf, good, size);
		for (int n = 1 + rand() % 3; n; n--)
			buf[(size_t)rand() % size] = (unsigned char)rand();
		if (fdt_check_header(buf) || fdt_totalsize(buf) > size)
			continue;
		rc = vm_config_parse(buf, cfg, VM_MAX, err, sizeof(err));
		assert_true(rc >= -1 && rc <= 4);
		if (rc < 0) {
			seen_err++;
			assert_true(strlen(err) > 0);
			continue;
		}
		seen_ok++;
		for (int g = 0; g < rc; g++) {
			assert_in_range(cfg[g].vcpus, 1, VM_MAX_VCPUS);
			assert_true(cfg[g].memory >= 16 * MIB);
			assert_true(strlen(cfg[g].name) < VM_NAME_MAX);
			assert_true(strlen(cfg[g].kernel) > 0);
			assert_true(strlen(cfg[g].kernel) < VM_FILE_MAX);
			assert_true(strlen(cfg[g].initrd) < VM_FILE_MAX);
			assert_true(strlen(cfg[g].bootargs) < VM_BOOTARGS_MAX);
		}
	}
	assert_int_not_equal(seen_ok, 0);
	assert_int_not_equal(seen_err, 0);
	free(buf);
	free(good);
}

static void test_direct_map(void **state)
{
	(void)state;
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_false(cfg[0].direct_map);
	expect_ok(parse_with("direct-map", "", 0), 2);
	assert_true(cfg[0].direct_map);
	assert_false(cfg[1].direct_map);
	expect_error(parse_with_u32("direct-map", 1),
		     "guests/linux0: direct-map: is a boolean: must have no "
		     "value");
}

/* A list of absolute paths; the host checks the nodes (passthrough.c). */
static void test_passthrough_list(void **state)
{
	static const char two[] = "/soc/virtio_mmio@10008000\0/soc/a@1";
	char big[VM_PATH_MAX + 1];
	char many[VM_PASSTHROUGH_MAX + 1][3]; /* "/N\0" each */

	(void)state;
	expect_ok(parse_dtb("guests-good", VM_MAX), 2);
	assert_int_equal(cfg[0].npassthrough, 0);
	expect_ok(parse_with("passthrough", two, sizeof(two)), 2);
	assert_int_equal(cfg[0].npassthrough, 2);
	assert_string_equal(cfg[0].passthrough[0], "/soc/virtio_mmio@10008000");
	assert_string_equal(cfg[0].passthrough[1], "/soc/a@1");
	assert_int_equal(cfg[1].npassthrough, 0);
	/* Without direct-map it still parses: the host refuses the guest. */
	assert_false(cfg[0].direct_map);
	expect_error(parse_with("passthrough", "/soc", 4),
		     "guests/linux0: passthrough: must be a list of "
		     "NUL-terminated strings");
	expect_error(parse_with("passthrough", "", 0),
		     "guests/linux0: passthrough: must be a list of "
		     "NUL-terminated strings");
	expect_error(parse_with_str("passthrough", "soc/uart"),
		     "guests/linux0: passthrough: \"soc/uart\" is not an "
		     "absolute path");
	expect_error(parse_with("passthrough", "/a\0\0", 4),
		     "guests/linux0: passthrough: \"\" is not an absolute "
		     "path");
	/* A path goes into L0's messages: one line, so printable only. */
	expect_error(parse_with_str("passthrough", "/soc\nL0: x"),
		     "guests/linux0: passthrough: a path has a character that "
		     "is not printable ASCII");
	big[0] = '/';
	memset(big + 1, 'a', VM_PATH_MAX - 1);
	big[VM_PATH_MAX] = '\0';
	expect_error(parse_with("passthrough", big, sizeof(big)),
		     "guests/linux0: passthrough: a path is longer than 127 "
		     "characters");
	big[VM_PATH_MAX - 1] = '\0'; /* 127 characters: the longest */
	expect_ok(parse_with("passthrough", big, VM_PATH_MAX), 2);
	for (size_t i = 0; i < ARRAY_LEN(many); i++)
		snprintf(many[i], sizeof(many[i]), "/%zu", i);
	expect_ok(parse_with("passthrough", many, sizeof(many) - 3), 2);
	assert_int_equal(cfg[0].npassthrough, VM_PASSTHROUGH_MAX);
	expect_error(parse_with("passthrough", many, sizeof(many)),
		     "guests/linux0: passthrough: more than 8 nodes");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_two_guests),
		cmocka_unit_test(test_good_defaults),
		cmocka_unit_test(test_example_config),
		cmocka_unit_test(test_max_guests),
		cmocka_unit_test(test_no_guests),
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_err_dtb_files),
		cmocka_unit_test(test_vcpus),
		cmocka_unit_test(test_memory),
		cmocka_unit_test(test_kernel),
		cmocka_unit_test(test_initrd),
		cmocka_unit_test(test_bootargs),
		cmocka_unit_test(test_harts),
		cmocka_unit_test(test_nested),
		cmocka_unit_test(test_nested_nacl_off),
		cmocka_unit_test(test_nested_hgatp),
		cmocka_unit_test(test_direct_map),
		cmocka_unit_test(test_passthrough_list),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_err_not_a_tree),
		cmocka_unit_test(test_error_buffer_small),
		cmocka_unit_test(test_fuzz_no_crash),
	};

	return cmocka_run_group_tests_name("vm_config", tests, NULL, NULL);
}
