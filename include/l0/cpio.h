/* SPDX-License-Identifier: MIT */
/*
 * Files in a "newc" cpio archive (the format of Linux initramfs and of
 * `cpio -H newc`): how the guest images reach L0 as its initrd.
 */
#ifndef L0_CPIO_H
#define L0_CPIO_H

#include <stddef.h>

struct cpio_file {
	const char *name; /* into the archive, NUL-terminated, no "./" */
	const void *data;
	size_t size;
};

/*
 * Find the regular file `name` ("guests/linux.bin"; a leading "./" here or in
 * the archive is ignored) in the archive of `size` bytes. The whole archive is
 * walked up to its "TRAILER!!!" entry; of two files of the same name the
 * later wins. Returns 0, -1 when absent, -2 when the archive is malformed
 * (bad magic or hex, a header, name or file running past the end, no
 * trailer, a "070702" checksum that does not match the file found).
 */
int cpio_find(const void *archive, size_t size, const char *name,
	      struct cpio_file *out);

#endif
