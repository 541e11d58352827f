// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: the guests' configuration, from guests.dtb in L0's
 * initrd (untrusted) to each guest's own device tree. The input is the
 * blob, in a heap buffer of exactly its size (ASan sees any read past it),
 * taken as core/main.c takes it (a header that libfdt accepts and a total
 * size within the buffer); core/vm_config.c parses it with the pinned
 * libfdt L0 links; for each guest parsed, core/guest_fdt.c writes its tree.
 *
 * Oracles: a refusal is one line of printable ASCII that names what is at
 * fault ("guests..."), NUL-terminated in its buffer; a success gives as
 * many guests as /guests has enabled "l0,guest" children, each with a
 * unique non-empty printable name, 1 to
 * VM_MAX_VCPUS vCPUs, at least 16 MiB of memory in 2 MiB steps, some hart,
 * a kernel, NUL-terminated strings, a legal nested-hgatp and only absolute
 * printable passthrough paths; and each guest's tree is written (it fits), passes
 * fdt_check_full(), and says what the configuration said: its name (in
 * "model"), its
 * vCPUs, its memory and its bootargs.
 */
#include <libfdt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <l0/guest_fdt.h>
#include <l0/vm_config.h>

#include "fuzz.h"

#define TREE_SIZE (64 * 1024)
#define MEM_BASE 0x80000000ULL

static bool terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* L0's messages are lines of printable ASCII. */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The enabled "l0,guest" children of /guests, as libfdt counts them. */
static int count_guests(const void *fdt)
{
	int guests = fdt_path_offset(fdt, "/guests"), node, n = 0;

	if (guests < 0)
		return 0;
	fdt_for_each_subnode (node, fdt, guests) {
		const char *st = fdt_getprop(fdt, node, "status", NULL);

		if (!fdt_node_check_compatible(fdt, node, "l0,guest") &&
		    (!st || !strcmp(st, "okay") || !strcmp(st, "ok")))
			n++;
	}
	return n;
}

static void check_config(const struct vm_config *cfg, int n)
{
	for (int i = 0; i < n; i++) {
		const struct vm_config *c = &cfg[i];

		CHECK(terminated(c->name, sizeof(c->name)) && c->name[0] &&
			      printable(c->name),
		      "guest %d: its name", i);
		for (int j = 0; j < i; j++)
			CHECK(strcmp(c->name, cfg[j].name), "%s: twice",
			      c->name);
		CHECK(c->vcpus >= 1 && c->vcpus <= VM_MAX_VCPUS, "%s: %u vcpus",
		      c->name, c->vcpus);
		CHECK(c->memory >= (16ULL << 20) && !(c->memory % (2ULL << 20)),
		      "%s: memory 0x%llx", c->name,
		      (unsigned long long)c->memory);
		CHECK(c->hart_mask, "%s: no hart", c->name);
		CHECK(terminated(c->kernel, sizeof(c->kernel)) && c->kernel[0],
		      "%s: kernel", c->name);
		CHECK(terminated(c->initrd, sizeof(c->initrd)) &&
			      terminated(c->bootargs, sizeof(c->bootargs)),
		      "%s: initrd or bootargs", c->name);
		CHECK(c->nested_hgatp_max == 8 || c->nested_hgatp_max == 9,
		      "%s: nested-hgatp %u", c->name, c->nested_hgatp_max);
		CHECK(!c->nested_nacl_off || c->nested,
		      "%s: nested-nacl-off without nested", c->name);
		CHECK(c->npassthrough <= VM_PASSTHROUGH_MAX, "%s: passthrough",
		      c->name);
		for (unsigned int p = 0; p < c->npassthrough; p++)
			CHECK(terminated(c->passthrough[p], VM_PATH_MAX) &&
				      c->passthrough[p][0] == '/' &&
				      printable(c->passthrough[p]),
			      "%s: passthrough %u", c->name, p);
	}
}

/* The guest's own tree, from its configuration. */
static void check_tree(const struct vm_config *c, const uint8_t *seed,
		       size_t seed_len, void *buf)
{
	static const char *const exts[] = { "i", "m", "a", "c", "h", NULL };
	struct guest_fdt_params p = {
		.name = c->name,
		.vcpus = c->vcpus,
		.isa = "rv64imach",
		.isa_extensions = exts,
		.timebase_hz = 10000000,
		.mem_base = MEM_BASE,
		.mem_size = c->memory,
		.plic_base = 0x0c000000,
		.plic_size = 0x4000000,
		.plic_ndev = 31,
		.uart_base = 0x10000000,
		.uart_irq = 10,
		.uart_clock_hz = 3686400,
		.bootargs = c->bootargs,
		.rng_seed = seed_len ? seed : NULL,
		.rng_seed_len = seed_len,
	};
	const char *s;
	const fdt64_t *reg;
	int rc, node, len, cpus = 0;

	rc = guest_fdt_build(buf, TREE_SIZE, &p);
	CHECK(!rc, "%s: its tree: %s", c->name, fdt_strerror(rc));
	CHECK(!fdt_check_full(buf, TREE_SIZE), "%s: a bad tree", c->name);
	s = fdt_getprop(buf, 0, "model", &len);
	CHECK(s && !strncmp(s, "L0 guest ", 9) && !strcmp(s + 9, c->name),
	      "%s: model", c->name);
	s = fdt_getprop(buf, fdt_path_offset(buf, "/chosen"), "bootargs", &len);
	CHECK(c->bootargs[0] ? s && !strcmp(s, c->bootargs) : !s,
	      "%s: bootargs", c->name);
	node = fdt_path_offset(buf, "/cpus");
	CHECK(node >= 0, "%s: no /cpus", c->name);
	fdt_for_each_subnode (rc, buf, node) {
		s = fdt_getprop(buf, rc, "device_type", NULL);
		cpus += s && !strcmp(s, "cpu");
	}
	CHECK(cpus == (int)c->vcpus, "%s: %d cpus", c->name, cpus);
	node = fdt_path_offset(buf, "/memory@80000000");
	reg = node >= 0 ? fdt_getprop(buf, node, "reg", &len) : NULL;
	CHECK(reg && len == 16 && fdt64_ld(&reg[0]) == MEM_BASE &&
		      fdt64_ld(&reg[1]) == c->memory,
	      "%s: memory", c->name);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct vm_config cfg[VM_MAX];
	static uint64_t tree[TREE_SIZE / 8];
	char err[160];
	void *dtb;
	int n;

	/* As core/main.c takes guests.dtb (guests_dtb()). */
	if (size < sizeof(struct fdt_header) || fdt_check_header(data) ||
	    fdt_totalsize(data) > size)
		return 0;
	dtb = malloc(size);
	if (!dtb)
		abort();
	memcpy(dtb, data, size);
	memset(err, 0x5a, sizeof(err));
	n = vm_config_parse(dtb, cfg, VM_MAX, err, sizeof(err));
	if (n < 0) {
		CHECK(n == -1 && terminated(err, sizeof(err)) &&
			      !strncmp(err, "guests", 6) && printable(err),
		      "a refusal: %.*s", (int)sizeof(err), err);
	} else {
		CHECK(n <= VM_MAX && n == count_guests(dtb),
		      "%d guests, libfdt counts %d", n, count_guests(dtb));
		check_config(cfg, n);
		for (int i = 0; i < n; i++)
			check_tree(&cfg[i], data, size % 64, tree);
	}
	free(dtb);
	return 0;
}
