// SPDX-License-Identifier: MIT
/*
 * Read the guest configuration (the /guests node of guests.dtb, see
 * docs/guests.md) into struct vm_config. The tree comes from L0's initrd, so
 * it is checked like any untrusted input: every property's length and
 * termination is validated, and each failure is one line naming the guest
 * node and the property at fault.
 */
#include <libfdt.h>
#include <string.h>

#include <l0/bits.h>
#include <l0/printf.h>
#include <l0/vm_config.h>

#define MIB (1024ULL * 1024)
#define VM_MIN_MEMORY (16 * MIB)
#define VM_MEMORY_ALIGN (2 * MIB)
#define VM_MAX_HARTID 64 /* hart ids index a 64-bit mask */

struct cfg_parser {
	const void *fdt;
	int node;
	const char *name; /* the node's, for messages */
	char *err;
	size_t errlen;
};

/* Report "guests/NODE: PROP: why" and evaluate to -1. */
#define FAIL(ps, prop, fmt, ...)                                            \
	({                                                                  \
		l0_snprintf((ps)->err, (ps)->errlen, "guests/%s: %s: " fmt, \
			    (ps)->name, prop, ##__VA_ARGS__);               \
		-1;                                                         \
	})

/*
 * Whether `s` is printable ASCII. A guest's name and its passthrough paths
 * go into L0's messages, which are one line each: a line break or an escape
 * sequence in them (libfdt allows any byte but '/' and NUL in a node name)
 * would forge or hide L0's lines.
 */
static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

/* The node's name for a message: "?" when it cannot be printed. */
static const char *shown_name(const void *fdt, int node)
{
	const char *name = fdt_get_name(fdt, node, NULL);

	return name && printable(name) ? name : "?";
}

static bool node_enabled(const void *fdt, int node)
{
	const char *status = fdt_getprop(fdt, node, "status", NULL);

	return !status || !strcmp(status, "okay") || !strcmp(status, "ok");
}

/*
 * The string property `prop`, into `buf` of `size` bytes. Absent: "" when
 * optional, an error when required. Present: a single NUL-terminated string,
 * non-empty unless `may_be_empty`, shorter than `size`.
 */
static int read_string(struct cfg_parser *ps, const char *prop, char *buf,
		       size_t size, bool required, bool may_be_empty)
{
	const char *v;
	int len;

	buf[0] = '\0';
	v = fdt_getprop(ps->fdt, ps->node, prop, &len);
	if (!v)
		return required ? FAIL(ps, prop, "missing") : 0;
	if (len <= 0 || strnlen(v, (size_t)len) != (size_t)len - 1)
		return FAIL(ps, prop, "must be one NUL-terminated string");
	if (len == 1 && !may_be_empty)
		return FAIL(ps, prop, "must not be empty");
	if ((size_t)len > size)
		return FAIL(ps, prop, "longer than %zu characters", size - 1);
	memcpy(buf, v, (size_t)len);
	return 0;
}

static int parse_vcpus(struct cfg_parser *ps, struct vm_config *c)
{
	const fdt32_t *v;
	int len;

	v = fdt_getprop(ps->fdt, ps->node, "vcpus", &len);
	if (!v)
		return FAIL(ps, "vcpus", "missing");
	if (len != (int)sizeof(*v))
		return FAIL(ps, "vcpus", "must be one cell");
	c->vcpus = fdt32_to_cpu(*v);
	if (c->vcpus < 1 || c->vcpus > VM_MAX_VCPUS)
		return FAIL(ps, "vcpus", "must be 1 to %d, not %u",
			    VM_MAX_VCPUS, c->vcpus);
	return 0;
}

static int parse_memory(struct cfg_parser *ps, struct vm_config *c)
{
	const fdt32_t *v;
	int len;

	v = fdt_getprop(ps->fdt, ps->node, "memory", &len);
	if (!v)
		return FAIL(ps, "memory", "missing");
	if (len != 2 * (int)sizeof(*v))
		return FAIL(ps, "memory", "must be two cells (64-bit bytes)");
	c->memory = (uint64_t)fdt32_to_cpu(v[0]) << 32 | fdt32_to_cpu(v[1]);
	if (c->memory < VM_MIN_MEMORY)
		return FAIL(ps, "memory", "must be at least 16 MiB");
	if (c->memory % VM_MEMORY_ALIGN)
		return FAIL(ps, "memory", "must be a multiple of 2 MiB");
	return 0;
}

/* Absent: every hart. Present: a non-empty list of hart ids below 64. */
static int parse_harts(struct cfg_parser *ps, struct vm_config *c)
{
	const fdt32_t *v;
	uint32_t id;
	int len;

	c->hart_mask = ~0ULL;
	v = fdt_getprop(ps->fdt, ps->node, "harts", &len);
	if (!v)
		return 0;
	if (len <= 0 || len % (int)sizeof(*v))
		return FAIL(ps, "harts", "must be a non-empty list of cells");
	c->hart_mask = 0;
	for (int i = 0; i < len / (int)sizeof(*v); i++) {
		id = fdt32_to_cpu(v[i]);
		if (id >= VM_MAX_HARTID)
			return FAIL(ps, "harts", "hart id %u is not below %d",
				    id, VM_MAX_HARTID);
		c->hart_mask |= 1ULL << id;
	}
	return 0;
}

/* A boolean property: present (with no value) or absent. */
static int read_bool(struct cfg_parser *ps, const char *prop, bool *out)
{
	int len;

	*out = fdt_getprop(ps->fdt, ps->node, prop, &len) != NULL;
	if (*out && len != 0)
		return FAIL(ps, prop, "is a boolean: must have no value");
	return 0;
}

static int parse_nested(struct cfg_parser *ps, struct vm_config *c)
{
	return read_bool(ps, "nested", &c->nested);
}

/* SBI nested acceleration off, for measuring: only a nested VM has it. */
static int parse_nacl_off(struct cfg_parser *ps, struct vm_config *c)
{
	if (read_bool(ps, "nested-nacl-off", &c->nested_nacl_off))
		return -1;
	if (c->nested_nacl_off && !c->nested)
		return FAIL(ps, "nested-nacl-off", "needs the nested property");
	return 0;
}

/* The largest hgatp MODE offered to a nested guest's KVM, by name. */
static const struct {
	const char *name;
	uint8_t mode;
} hgatp_modes[] = {
	{ "sv39x4", 8 },
	{ "sv48x4", 9 },
};

/* Absent: Sv48x4 (and so Sv39x4 too). Only for a nested guest. */
static int parse_nested_hgatp(struct cfg_parser *ps, struct vm_config *c)
{
	char buf[8];

	c->nested_hgatp_max = 9;
	if (read_string(ps, "nested-hgatp", buf, sizeof(buf), false, false))
		return -1;
	if (!buf[0])
		return 0;
	if (!c->nested)
		return FAIL(ps, "nested-hgatp", "needs the nested property");
	for (size_t i = 0; i < ARRAY_SIZE(hgatp_modes); i++) {
		if (!strcmp(buf, hgatp_modes[i].name)) {
			c->nested_hgatp_max = hgatp_modes[i].mode;
			return 0;
		}
	}
	return FAIL(ps, "nested-hgatp", "must be \"sv39x4\" or \"sv48x4\"");
}

/*
 * A list of absolute host device-tree paths, each NUL-terminated. Whether
 * the nodes exist and may be given away is the host's question, asked when
 * the guest is created (passthrough.c): a bad node refuses only its guest.
 */
static int parse_passthrough(struct cfg_parser *ps, struct vm_config *c)
{
	const char *v, *end;
	int len;

	if (read_bool(ps, "direct-map", &c->direct_map))
		return -1;
	v = fdt_getprop(ps->fdt, ps->node, "passthrough", &len);
	if (!v)
		return 0;
	if (len <= 0 || v[len - 1] != '\0')
		return FAIL(ps, "passthrough",
			    "must be a list of NUL-terminated strings");
	for (end = v + len; v < end; v += strlen(v) + 1) {
		size_t n = strlen(v);

		if (!printable(v))
			return FAIL(ps, "passthrough",
				    "a path has a character that is not "
				    "printable ASCII");
		if (v[0] != '/')
			return FAIL(ps, "passthrough",
				    "\"%s\" is not an absolute path", v);
		if (n >= VM_PATH_MAX)
			return FAIL(ps, "passthrough",
				    "a path is longer than %d characters",
				    VM_PATH_MAX - 1);
		if (c->npassthrough == VM_PASSTHROUGH_MAX)
			return FAIL(ps, "passthrough", "more than %d nodes",
				    VM_PASSTHROUGH_MAX);
		memcpy(c->passthrough[c->npassthrough++], v, n + 1);
	}
	return 0;
}

static int parse_name(struct cfg_parser *ps, struct vm_config *cfg, size_t n)
{
	struct vm_config *c = &cfg[n];
	int len;

	ps->name = fdt_get_name(ps->fdt, ps->node, &len);
	if (!ps->name || len <= 0) {
		ps->name = "?";
		return FAIL(ps, "name", "unreadable node name");
	}
	if (!printable(ps->name)) {
		ps->name = "?";
		return FAIL(ps, "name",
			    "a character that is not printable ASCII");
	}
	if (len >= VM_NAME_MAX)
		return FAIL(ps, "name", "longer than %d characters",
			    VM_NAME_MAX - 1);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(cfg[i].name, ps->name))
			return FAIL(ps, "name", "not unique");
	memcpy(c->name, ps->name, (size_t)len + 1);
	return 0;
}

static int parse_guest(struct cfg_parser *ps, struct vm_config *cfg, size_t n)
{
	struct vm_config *c = &cfg[n];

	memset(c, 0, sizeof(*c));
	if (parse_name(ps, cfg, n) || parse_vcpus(ps, c) ||
	    parse_memory(ps, c) || parse_harts(ps, c) ||
	    read_string(ps, "kernel", c->kernel, sizeof(c->kernel), true,
			false) ||
	    read_string(ps, "initrd", c->initrd, sizeof(c->initrd), false,
			false) ||
	    read_string(ps, "bootargs", c->bootargs, sizeof(c->bootargs), false,
			true) ||
	    parse_nested(ps, c) || parse_nested_hgatp(ps, c) ||
	    parse_nacl_off(ps, c) || parse_passthrough(ps, c))
		return -1;
	return 0;
}

int vm_config_parse(const void *fdt, struct vm_config *cfg, size_t max,
		    char *err, size_t errlen)
{
	struct cfg_parser ps = { fdt, -1, "", err, errlen };
	size_t n = 0;
	int guests, rc;

	rc = fdt_check_header(fdt);
	if (!rc)
		rc = fdt_check_full(fdt, fdt_totalsize(fdt));
	if (rc) {
		l0_snprintf(err, errlen, "guests: not a valid device tree: %s",
			    fdt_strerror(rc));
		return -1;
	}
	guests = fdt_path_offset(fdt, "/guests");
	if (guests == -FDT_ERR_NOTFOUND)
		return 0;
	if (guests < 0) {
		l0_snprintf(err, errlen, "guests: unreadable: %s",
			    fdt_strerror(guests));
		return -1;
	}
	fdt_for_each_subnode (ps.node, fdt, guests) {
		if (fdt_node_check_compatible(fdt, ps.node, "l0,guest") ||
		    !node_enabled(fdt, ps.node))
			continue;
		if (n == max) {
			l0_snprintf(err, errlen,
				    "guests/%s: more than %zu enabled guests",
				    shown_name(fdt, ps.node), max);
			return -1;
		}
		if (parse_guest(&ps, cfg, n))
			return -1;
		n++;
	}
	return (int)n;
}
