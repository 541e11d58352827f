// SPDX-License-Identifier: MIT
/*
 * Look up files in a "newc" cpio archive (`cpio -o -H newc`), the format of
 * L0's initrd. The archive comes from the boot loader and is treated as
 * hostile: every length is checked against what is left before it is used,
 * and the whole archive must be well formed up to its trailer.
 *
 * An entry is a 110-byte header of ASCII hex fields, the name (with its NUL,
 * padded so that header + name is a multiple of 4) and the data (padded to
 * 4). Offsets are relative to the start of the archive.
 */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <l0/cpio.h>

#define CPIO_HDR_LEN 110
#define CPIO_TRAILER "TRAILER!!!"
#define CPIO_S_IFMT 0170000
#define CPIO_S_IFREG 0100000

/* The header: the magic, then 13 fields of 8 hex digits; some of them. */
enum {
	F_MODE = 1,
	F_FILESIZE = 6,
	F_NAMESIZE = 11,
	F_CHECK = 12,
	F_COUNT = 13,
};

struct cpio_entry {
	bool crc; /* "070702": `check` is the sum of the data's bytes */
	uint32_t mode;
	uint32_t check;
	const char *name; /* NUL-terminated, any "./" stripped */
	const unsigned char *data;
	size_t size;
};

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Every field of the header: exactly 8 hex digits, so at most 0xffffffff. */
static int hdr_fields(const char *hdr, uint32_t f[F_COUNT])
{
	const char *s = hdr + 6;

	for (int i = 0; i < F_COUNT; i++) {
		f[i] = 0;
		for (int j = 0; j < 8; j++) {
			int d = hex_digit(*s++);

			if (d < 0)
				return -1;
			f[i] = (f[i] << 4) | (uint32_t)d;
		}
	}
	return 0;
}

static size_t pad4(size_t off)
{
	return (4 - (off & 3)) & 3;
}

/* Skip `n` bytes of the `size`-byte archive at *off; -1 when they run past. */
static int advance(size_t *off, size_t size, size_t n)
{
	if (n > size - *off)
		return -1;
	*off += n;
	return 0;
}

static const char *strip_dot_slash(const char *name)
{
	return name[0] == '.' && name[1] == '/' ? name + 2 : name;
}

/*
 * Read the entry at *off and move past it. Returns 1 for the trailer, 0 for
 * any other entry, -1 when the archive is malformed.
 */
static int read_entry(const unsigned char *a, size_t size, size_t *off,
		      struct cpio_entry *e)
{
	const char *hdr = (const char *)a + *off;
	uint32_t f[F_COUNT];
	const char *name;

	if (size - *off < CPIO_HDR_LEN ||
	    (memcmp(hdr, "070701", 6) != 0 && memcmp(hdr, "070702", 6) != 0))
		return -1;
	if (hdr_fields(hdr, f))
		return -1;
	e->crc = hdr[5] == '2';
	e->mode = f[F_MODE];
	e->check = f[F_CHECK];
	*off += CPIO_HDR_LEN;
	/* The name ends in its only NUL, which namesize counts. */
	name = (const char *)a + *off;
	if (f[F_NAMESIZE] == 0 || advance(off, size, f[F_NAMESIZE]) ||
	    strnlen(name, f[F_NAMESIZE]) != f[F_NAMESIZE] - 1)
		return -1;
	if (!strcmp(name, CPIO_TRAILER))
		return 1; /* its padding may be cut off: nothing follows */
	e->name = strip_dot_slash(name);
	if (advance(off, size, pad4(*off)))
		return -1;
	e->data = a + *off;
	e->size = f[F_FILESIZE];
	if (advance(off, size, e->size) || advance(off, size, pad4(*off)))
		return -1;
	return 0;
}

/* "070702" entries carry the sum of their data's bytes; "070701" ones 0. */
static bool check_ok(const struct cpio_entry *e)
{
	uint32_t sum = 0;

	if (!e->crc)
		return true;
	for (size_t i = 0; i < e->size; i++)
		sum += e->data[i];
	return sum == e->check;
}

int cpio_find(const void *archive, size_t size, const char *name,
	      struct cpio_file *out)
{
	const unsigned char *a = archive;
	struct cpio_entry e, found = { 0 };
	size_t off = 0;
	int rc;

	if (!a)
		return -2;
	name = strip_dot_slash(name);
	while ((rc = read_entry(a, size, &off, &e)) == 0) {
		if ((e.mode & CPIO_S_IFMT) != CPIO_S_IFREG ||
		    strcmp(e.name, name) != 0)
			continue;
		/* A later entry of the same name replaces the earlier one. */
		found = e;
	}
	if (rc < 0)
		return -2;
	if (!found.name)
		return -1;
	if (!check_ok(&found))
		return -2;
	out->name = found.name;
	out->data = found.data;
	out->size = found.size;
	return 0;
}
