// SPDX-License-Identifier: MIT
/* ISA extension names, from the RISC-V unprivileged and privileged specs. */
#include <string.h>

#include <l0/bits.h>
#include <l0/isa.h>
#include <l0/printf.h>

static const char *const isa_names[ISA_EXT_COUNT] = {
	[ISA_I] = "i",
	[ISA_M] = "m",
	[ISA_A] = "a",
	[ISA_F] = "f",
	[ISA_D] = "d",
	[ISA_C] = "c",
	[ISA_V] = "v",
	[ISA_H] = "h",
	[ISA_ZICSR] = "zicsr",
	[ISA_ZIFENCEI] = "zifencei",
	[ISA_ZICNTR] = "zicntr",
	[ISA_ZIHPM] = "zihpm",
	[ISA_ZIHINTPAUSE] = "zihintpause",
	[ISA_ZICBOM] = "zicbom",
	[ISA_ZICBOZ] = "zicboz",
	[ISA_ZBA] = "zba",
	[ISA_ZBB] = "zbb",
	[ISA_ZBS] = "zbs",
	[ISA_SSTC] = "sstc",
	[ISA_SVINVAL] = "svinval",
	[ISA_SVADU] = "svadu",
	[ISA_SVNAPOT] = "svnapot",
	[ISA_SVPBMT] = "svpbmt",
	[ISA_SSCOFPMF] = "sscofpmf",
	[ISA_SMAIA] = "smaia",
	[ISA_SSAIA] = "ssaia",
	[ISA_ZAWRS] = "zawrs",
};

const char *isa_ext_name(enum isa_ext ext)
{
	return ext < ISA_EXT_COUNT ? isa_names[ext] : "?";
}

int isa_ext_lookup(const char *name, size_t len)
{
	for (int i = 0; i < ISA_EXT_COUNT; i++)
		if (strlen(isa_names[i]) == len &&
		    !strncmp(isa_names[i], name, len))
			return i;
	return -1;
}

static void add_ext(isa_bitmap_t *isa, const char *name, size_t len)
{
	int ext = isa_ext_lookup(name, len);

	if (ext >= 0)
		*isa |= ISA_BIT(ext);
}

/*
 * Single letters follow "rv64" up to the first '_' or the first multi-letter
 * extension (which starts with z, s or x); multi-letter ones are separated
 * by '_'. 'g' stands for imafd plus zicsr and zifencei.
 */
int isa_parse_string(const char *s, isa_bitmap_t *out)
{
	isa_bitmap_t isa = 0;

	if (strncmp(s, "rv64", 4) != 0)
		return -1;
	for (s += 4; *s && *s != '_' && *s != 'z' && *s != 's' && *s != 'x';
	     s++) {
		if (*s == 'g')
			isa |= ISA_BIT(ISA_I) | ISA_BIT(ISA_M) |
			       ISA_BIT(ISA_A) | ISA_BIT(ISA_F) |
			       ISA_BIT(ISA_D) | ISA_BIT(ISA_ZICSR) |
			       ISA_BIT(ISA_ZIFENCEI);
		else
			add_ext(&isa, s, 1);
	}
	while (*s) {
		size_t len;

		while (*s == '_')
			s++;
		for (len = 0; s[len] && s[len] != '_'; len++)
			;
		add_ext(&isa, s, len);
		s += len;
	}
	*out = isa;
	return 0;
}

void isa_format(isa_bitmap_t isa, char *buf, size_t size)
{
	size_t len = 0;

	if (size)
		buf[0] = '\0';
	for (int i = 0; i < ISA_EXT_COUNT; i++) {
		if (!isa_has(isa, i))
			continue;
		len += (size_t)l0_snprintf(buf + len,
					   len < size ? size - len : 0, "%s%s",
					   len ? " " : "", isa_names[i]);
		if (len >= size)
			return;
	}
}
