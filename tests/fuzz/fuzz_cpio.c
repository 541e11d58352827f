// SPDX-License-Identifier: MIT
/*
 * libFuzzer target: core/cpio.c, L0's reader of its initrd (a newc cpio
 * archive from the boot loader, untrusted). The input's first byte picks
 * the name looked up, the rest is the archive, in a heap buffer of exactly
 * its size so that ASan sees any read past it.
 *
 * Oracles: no sanitizer report; cpio_find() returns 0, -1 or -2; a file
 * found has the name asked for (without "./"), NUL-terminated inside the
 * archive, and its data lies wholly inside the archive.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <l0/cpio.h>

#include "fuzz.h"

static const char *const names[] = {
	"guests.dtb", "./guests.dtb", "Image", "rootfs.cpio.gz", "a", "",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *name, *want;
	struct cpio_file f;
	const uint8_t *a, *end;
	uint8_t *arch;
	size_t len;
	int rc;

	if (!size)
		return 0;
	name = names[data[0] % (sizeof(names) / sizeof(names[0]))];
	len = size - 1;
	arch = malloc(len ? len : 1);
	if (!arch)
		abort();
	memcpy(arch, data + 1, len);
	rc = cpio_find(arch, len, name, &f);
	CHECK(rc == 0 || rc == -1 || rc == -2, "a return value not 0, -1, -2");
	if (rc == 0) {
		a = arch;
		end = arch + len;
		want = strncmp(name, "./", 2) ? name : name + 2;
		CHECK((const uint8_t *)f.name >= a &&
			      (const uint8_t *)f.name < end,
		      "the name is outside the archive");
		CHECK(memchr(f.name, '\0',
			     (size_t)(end - (const uint8_t *)f.name)) != NULL,
		      "the name is not NUL-terminated inside the archive");
		CHECK(!strcmp(f.name, want), "the file has another name");
		CHECK((const uint8_t *)f.data >= a &&
			      (const uint8_t *)f.data <= end &&
			      f.size <= (size_t)(end - (const uint8_t *)f.data),
		      "the data runs outside the archive");
	}
	free(arch);
	return 0;
}
