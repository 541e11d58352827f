// SPDX-License-Identifier: MIT
/*
 * The unit tests run L0's FDT code on the libfdt L0 links (1.7.2, pinned in
 * tests/setup/packages-host.lock as in packages.lock), not on whatever the
 * build machine has: Debian 12's 1.6.1 hangs and crashes in fdt_check_full()
 * on a guests.dtb that 1.7.2 handles. This checks the library's own
 * behaviour that L0 relies on, and an API that 1.6.1 lacks.
 */
#include <libfdt.h>
#include <string.h>

#include "stubs.h"

static char blob[1024] __attribute__((aligned(8)));

/* A tree with /soc/uart and a /__symbols__ entry for it. */
static void build(void)
{
	int soc, syms;

	assert_int_equal(fdt_create_empty_tree(blob, sizeof(blob)), 0);
	soc = fdt_add_subnode(blob, 0, "soc");
	assert_true(soc >= 0);
	assert_true(fdt_add_subnode(blob, soc, "uart@10000000") >= 0);
	syms = fdt_add_subnode(blob, 0, "__symbols__");
	assert_true(syms >= 0);
	assert_int_equal(
		fdt_setprop_string(blob, syms, "serial0", "/soc/uart@10000000"),
		0);
	assert_int_equal(fdt_pack(blob), 0);
}

/* fdt_get_symbol() appeared in 1.7.0. */
static void test_symbols(void **state)
{
	const char *path;

	(void)state;
	build();
	path = fdt_get_symbol(blob, "serial0");
	assert_non_null(path);
	assert_string_equal(path, "/soc/uart@10000000");
	assert_null(fdt_get_symbol(blob, "serial1"));
}

/* fdt_check_full() takes the whole tree and refuses it cut short. */
static void test_check_full(void **state)
{
	(void)state;
	build();
	assert_int_equal(fdt_check_full(blob, fdt_totalsize(blob)), 0);
	assert_true(fdt_check_full(blob, fdt_totalsize(blob) - 8) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_symbols),
		cmocka_unit_test(test_check_full),
	};

	return cmocka_run_group_tests_name("libfdt", tests, NULL, NULL);
}
