/* SPDX-License-Identifier: MIT */
/*
 * Files in a "newc" cpio archive (the format of Linux initramfs and of
 * `cpio -H newc`): how the guest images reach L0 as its initrd.
 */
#ifndef L0_CPIO_H
#define L0_CPIO_H

#include <stddef.h>

struct cpio_file {
	const char *name; /* points into the archive; not NUL-checked beyond namesize */
	const void *data;
	size_t size;
};

/*
 * Find the regular file `name` ("guests/linux.bin", no leading "./") in the
 * archive of `size` bytes. Returns 0, -1 when absent, -2 when the archive is
 * malformed (bad magic, a header or file running past the end).
 */
int cpio_find(const void *archive, size_t size, const char *name,
	      struct cpio_file *out);

#endif
