// SPDX-License-Identifier: MIT
/*
 * core/cpio.c on archives written by the real `cpio -o -H newc` (built at
 * test time under build/unit/cpio) and on byte buffers broken by hand. Every
 * archive is searched from a heap buffer of exactly its size, so ASan sees
 * any overread.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <l0/cpio.h>

#include "stubs.h"

#define WORK_DIR UNIT_DTB_DIR "/../cpio"
#define HDR_LEN 110
#define S_REG 0100644
#define S_DIR 0040755
#define S_LNK 0120777

/* The archive under test, in a buffer of its exact size. */
static unsigned char *arch;
static size_t arch_len;

static void set_archive(const void *src, size_t len)
{
	free(arch);
	arch = malloc(len ? len : 1);
	assert_non_null(arch);
	memcpy(arch, src, len);
	arch_len = len;
}

static void *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf;
	long n;

	if (!f)
		fail_msg("cannot open %s", path);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	rewind(f);
	buf = malloc(n ? (size_t)n : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/*
 * In a fresh WORK_DIR/`dir`/src, run the shell `script`, then archive the
 * names that `list` prints with `cpio -o -H fmt`; that archive is under test.
 */
static void make_archive(const char *dir, const char *script, const char *list,
			 const char *fmt)
{
	char cmd[4096], path[512];
	size_t len;
	void *buf;

	snprintf(cmd, sizeof(cmd),
		 "set -e; d='%s/%s'; rm -rf \"$d\"; mkdir -p \"$d/src\";"
		 " cd \"$d/src\"; %s; %s | LC_ALL=C sort |"
		 " cpio -o -H %s --quiet > ../archive.cpio",
		 WORK_DIR, dir, script, list, fmt);
	if (system(cmd))
		fail_msg("could not build the archive: %s", cmd);
	snprintf(path, sizeof(path), "%s/%s/archive.cpio", WORK_DIR, dir);
	buf = read_whole(path, &len);
	set_archive(buf, len);
	free(buf);
}

/* cpio_find() on the archive; a found file must lie inside it. */
static int find(const char *name, struct cpio_file *f)
{
	const unsigned char *end = arch + arch_len;
	int rc;

	memset(f, 0, sizeof(*f));
	rc = cpio_find(arch, arch_len, name, f);
	if (rc)
		return rc;
	assert_true((const unsigned char *)f->name >= arch);
	assert_true((const unsigned char *)f->name < end);
	assert_int_equal(f->name[strlen(f->name)], '\0');
	assert_true((const unsigned char *)f->data >= arch);
	assert_true(f->size <= (size_t)(end - (const unsigned char *)f->data));
	return 0;
}

/* `name` is in the archive with the contents of WORK_DIR/`dir`/src/`file`. */
static void expect_file(const char *dir, const char *name, const char *file)
{
	struct cpio_file f;
	char path[512];
	size_t len;
	void *want;

	snprintf(path, sizeof(path), "%s/%s/src/%s", WORK_DIR, dir, file);
	want = read_whole(path, &len);
	if (find(name, &f))
		fail_msg("%s not found", name);
	assert_string_equal(f.name, file);
	assert_int_equal(f.size, len);
	if (len)
		assert_memory_equal(f.data, want, len);
	free(want);
}

#define GUEST_FILES                                                      \
	"mkdir -p guests/sub; head -c 4099 /dev/urandom > guests/Image;" \
	" printf 'dtb' > guests.dtb; : > guests/empty;"                  \
	" printf 'x' > guests/sub/one; ln -s Image guests/link;"         \
	" mkfifo guests/fifo"

/* `find .` stores "./guests/Image"; lookups are without the "./". */
static void test_real_dot_slash_names(void **state)
{
	struct cpio_file f;

	(void)state;
	make_archive("dot", GUEST_FILES, "find .", "newc");
	assert_int_equal(memcmp(arch + HDR_LEN, ".", 2), 0);
	expect_file("dot", "guests/Image", "guests/Image");
	expect_file("dot", "guests.dtb", "guests.dtb");
	expect_file("dot", "guests/sub/one", "guests/sub/one");
	expect_file("dot", "./guests/Image", "guests/Image");
	assert_int_equal(find("Image", &f), -1);
	assert_int_equal(find("guests/Imag", &f), -1);
	assert_int_equal(find("guests/Image2", &f), -1);
}

static void test_real_plain_names(void **state)
{
	(void)state;
	make_archive("plain", GUEST_FILES, "find guests.dtb guests", "newc");
	assert_int_equal(memcmp(arch + HDR_LEN, "guests", 6), 0);
	expect_file("plain", "guests/Image", "guests/Image");
	expect_file("plain", "./guests.dtb", "guests.dtb");
}

static void test_real_only_regular_files(void **state)
{
	struct cpio_file f;

	(void)state;
	make_archive("types", GUEST_FILES, "find .", "newc");
	assert_int_equal(find("guests", &f), -1);
	assert_int_equal(find("guests/sub", &f), -1);
	assert_int_equal(find("guests/link", &f), -1);
	assert_int_equal(find("guests/fifo", &f), -1);
	assert_int_equal(find(".", &f), -1);
	assert_int_equal(find("", &f), -1);
}

static void test_real_empty_file(void **state)
{
	struct cpio_file f;

	(void)state;
	make_archive("empty", GUEST_FILES, "find .", "newc");
	assert_int_equal(find("guests/empty", &f), 0);
	assert_int_equal(f.size, 0);
	assert_string_equal(f.name, "guests/empty");
}

/* Sizes 0..299 cover every padding of name and data. */
static void test_real_many_files(void **state)
{
	char name[64];

	(void)state;
	make_archive("many",
		     "mkdir d; for i in $(seq 0 299); do"
		     " head -c $i /dev/urandom > d/f$i; done",
		     "find .", "newc");
	for (int i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "d/f%d", i);
		expect_file("many", name, name);
	}
}

/* "070702": the same layout, with the sum of the data's bytes checked. */
static void test_real_crc_variant(void **state)
{
	struct cpio_file f;

	(void)state;
	make_archive("crc", GUEST_FILES, "find .", "crc");
	assert_int_equal(memcmp(arch, "070702", 6), 0);
	expect_file("crc", "guests/Image", "guests/Image");
	expect_file("crc", "guests/empty", "guests/empty");
	assert_int_equal(find("guests/link", &f), -1);
	/* A flipped data byte: that file is refused, the others still found. */
	assert_int_equal(find("guests.dtb", &f), 0);
	arch[(const unsigned char *)f.data - arch] ^= 1;
	assert_int_equal(find("guests.dtb", &f), -2);
	assert_int_equal(find("guests/sub/one", &f), 0);
}

/*
 * Every prefix that ends before the trailer's name is malformed; the padding
 * GNU cpio adds after it (to 512 bytes) may be cut.
 */
static void test_real_truncated(void **state)
{
	unsigned char *full;
	size_t full_len, trailer_end = 0;
	struct cpio_file f;
	int rc;

	(void)state;
	make_archive("trunc", GUEST_FILES, "find .", "newc");
	full = arch;
	full_len = arch_len;
	arch = NULL;
	for (size_t i = 0; i + 11 <= full_len; i++)
		if (!memcmp(full + i, "TRAILER!!!", 11))
			trailer_end = i + 11;
	assert_int_not_equal(trailer_end, 0);
	for (size_t len = 0; len < full_len; len++) {
		set_archive(full, len);
		rc = find("guests/sub/one", &f);
		if (len < trailer_end && rc != -2)
			fail_msg("prefix of %zu bytes: %d", len, rc);
		if (len >= trailer_end && rc != 0)
			fail_msg("prefix of %zu bytes: %d", len, rc);
	}
	free(full);
}

/* Hand-built archives: entries appended to a byte buffer. */
struct abuf {
	unsigned char p[16384];
	size_t len;
};

static void pad(struct abuf *b)
{
	while (b->len & 3)
		b->p[b->len++] = 0;
}

/* Append an entry; returns the offset of its header. */
static size_t put(struct abuf *b, const char *magic, unsigned int mode,
		  const char *name, const void *data, size_t size)
{
	size_t at = b->len, nsize = strlen(name) + 1;
	unsigned int sum = 0;
	char hdr[HDR_LEN + 64];

	for (size_t i = 0; i < size; i++)
		sum += ((const unsigned char *)data)[i];
	if (strcmp(magic, "070702"))
		sum = 0;
	assert_true(at + HDR_LEN + nsize + size + 8 <= sizeof(b->p));
	snprintf(hdr, sizeof(hdr),
		 "%.6s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 magic, 1u, mode, 0u, 0u, 1u, 0u, (unsigned int)size, 0u, 0u,
		 0u, 0u, (unsigned int)nsize, sum);
	memcpy(b->p + at, hdr, HDR_LEN);
	b->len += HDR_LEN;
	memcpy(b->p + b->len, name, nsize);
	b->len += nsize;
	pad(b);
	memcpy(b->p + b->len, data, size);
	b->len += size;
	pad(b);
	return at;
}

static void put_file(struct abuf *b, const char *name, const char *data)
{
	put(b, "070701", S_REG, name, data, strlen(data));
}

/* The trailer, without padding: the archive ends at its NUL. */
static size_t put_trailer(struct abuf *b)
{
	size_t at = put(b, "070701", 0, "TRAILER!!!", "", 0);

	b->len = at + HDR_LEN + sizeof("TRAILER!!!");
	return at;
}

/* Overwrite field `idx` (0: ino ... 12: check) of the header at `at`. */
static void set_field(struct abuf *b, size_t at, int idx, const char *hex8)
{
	memcpy(b->p + at + 6 + 8 * idx, hex8, 8);
}

#define F_FILESIZE 6
#define F_NAMESIZE 11

static int find_in(const struct abuf *b, const char *name, struct cpio_file *f)
{
	set_archive(b->p, b->len);
	return find(name, f);
}

static void test_hand_basic_and_prefix(void **state)
{
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	b.len = 0;
	put(&b, "070701", S_DIR, ".", "", 0);
	put_file(&b, "./a", "alpha");
	put_file(&b, "b", "bravo!");
	put_file(&b, "./", "root?");
	put_trailer(&b);
	assert_int_equal(b.len % 4, 1);
	assert_int_equal(find_in(&b, "a", &f), 0);
	assert_int_equal(f.size, 5);
	assert_memory_equal(f.data, "alpha", 5);
	assert_string_equal(f.name, "a");
	assert_int_equal(find_in(&b, "./b", &f), 0);
	assert_memory_equal(f.data, "bravo!", 6);
	assert_int_equal(find_in(&b, "c", &f), -1);
	assert_int_equal(find_in(&b, ".", &f), -1);
	assert_int_equal(find_in(&b, "/a", &f), -1);
}

static void test_hand_duplicate_last_wins(void **state)
{
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	b.len = 0;
	put_file(&b, "k", "old");
	put_file(&b, "./k", "newer");
	put(&b, "070701", S_DIR, "k", "", 0); /* not a file: ignored */
	put_trailer(&b);
	assert_int_equal(find_in(&b, "k", &f), 0);
	assert_memory_equal(f.data, "newer", 5);
}

static void test_hand_empty_and_null(void **state)
{
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	b.len = 0;
	assert_int_equal(find_in(&b, "a", &f), -2);
	assert_int_equal(cpio_find(NULL, 0, "a", &f), -2);
	put_trailer(&b);
	assert_int_equal(find_in(&b, "a", &f), -1);
	assert_int_equal(find_in(&b, "TRAILER!!!", &f), -1);
}

static void test_hand_bad_magic(void **state)
{
	static const char *const magics[] = {
		"070707", "070700", "070703", "171701", "07070 ", "\0\0\0\0\0\0"
	};
	static struct abuf b;
	struct cpio_file f;
	size_t at;

	(void)state;
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		b.len = 0;
		put_file(&b, "a", "alpha");
		at = put_trailer(&b);
		assert_int_equal(find_in(&b, "a", &f), 0);
		memcpy(b.p, magics[i], 6);
		assert_int_equal(find_in(&b, "a", &f), -2);
		/* The same, on the trailer. */
		memcpy(b.p, "070701", 6);
		memcpy(b.p + at, magics[i], 6);
		assert_int_equal(find_in(&b, "a", &f), -2);
	}
}

/* Every strict prefix of an unpadded archive is malformed. */
static void test_hand_truncated(void **state)
{
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	b.len = 0;
	put_file(&b, "a", "alpha");
	put(&b, "070701", S_REG, "zero", "", 0);
	put_trailer(&b);
	for (size_t len = 0; len < b.len; len++) {
		set_archive(b.p, len);
		if (find("a", &f) != -2)
			fail_msg("prefix of %zu/%zu bytes accepted", len,
				 b.len);
	}
	assert_int_equal(find_in(&b, "zero", &f), 0);
}

static void test_hand_missing_trailer(void **state)
{
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	b.len = 0;
	put_file(&b, "a", "alpha");
	put_file(&b, "b", "bravo");
	assert_int_equal(find_in(&b, "a", &f), -2);
	/* Zeros where the trailer should be. */
	memset(b.p + b.len, 0, 512);
	b.len += 512;
	assert_int_equal(find_in(&b, "a", &f), -2);
	/* A trailer whose name lacks its NUL, or says more. */
	b.len = 0;
	put_file(&b, "a", "alpha");
	put(&b, "070701", 0, "TRAILER!!!!", "", 0);
	assert_int_equal(find_in(&b, "a", &f), -2);
}

static void test_hand_sizes_past_end(void **state)
{
	static const char *const sizes[] = { "00000010", "00000011", "00001000",
					     "7fffffff", "80000000", "fffffffc",
					     "ffffffff", "FFFFFFFF" };
	static struct abuf b;
	struct cpio_file f;
	size_t at;

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		b.len = 0;
		at = put(&b, "070701", S_REG, "a", "alpha", 5);
		put_trailer(&b);
		set_field(&b, at, F_FILESIZE, sizes[i]);
		assert_int_equal(find_in(&b, "a", &f), -2);
		assert_int_equal(find_in(&b, "x", &f), -2);
		b.len = 0;
		at = put(&b, "070701", S_REG, "a", "alpha", 5);
		put_trailer(&b);
		set_field(&b, at, F_NAMESIZE, sizes[i]);
		assert_int_equal(find_in(&b, "a", &f), -2);
	}
	/* The last entry's data one byte longer than what is left. */
	b.len = 0;
	at = put(&b, "070701", S_REG, "a", "alpha", 5);
	b.len -= 3; /* its padding */
	set_field(&b, at, F_FILESIZE, "00000006");
	assert_int_equal(find_in(&b, "a", &f), -2);
	set_field(&b, at, F_FILESIZE, "00000005");
	assert_int_equal(find_in(&b, "a", &f), -2); /* no trailer */
}

/* namesize 0, a NUL before namesize, none at namesize - 1. */
static void test_hand_bad_names(void **state)
{
	static const char *const nsizes[] = { "00000000", "00000001",
					      "00000002", "00000004",
					      "00000005" };
	static struct abuf b;
	struct cpio_file f;
	size_t at;

	(void)state;
	for (size_t i = 0; i < sizeof(nsizes) / sizeof(nsizes[0]); i++) {
		b.len = 0;
		at = put(&b, "070701", S_REG, "ab", "alpha", 5);
		put_trailer(&b);
		set_field(&b, at, F_NAMESIZE, nsizes[i]);
		assert_int_equal(find_in(&b, "ab", &f), -2);
	}
	/* A NUL inside the name. */
	b.len = 0;
	put(&b, "070701", S_REG, "ab", "alpha", 5);
	put_trailer(&b);
	assert_int_equal(find_in(&b, "ab", &f), 0);
	b.p[HDR_LEN] = '\0';
	assert_int_equal(find_in(&b, "ab", &f), -2);
	assert_int_equal(find_in(&b, "", &f), -2);
}

static void test_hand_bad_hex(void **state)
{
	static const char *const bad[] = { "0000000g", " 0000005", "+0000005",
					   "0x000005", "0000005\0" };
	static struct abuf b;
	struct cpio_file f;
	size_t at;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		for (int field = 0; field < 13; field++) {
			b.len = 0;
			at = put(&b, "070701", S_REG, "a", "alpha", 5);
			put_trailer(&b);
			set_field(&b, at, field, bad[i]);
			assert_int_equal(find_in(&b, "a", &f), -2);
		}
	}
	/* Upper and lower case hex both parse. */
	b.len = 0;
	at = put(&b, "070701", S_REG, "a", "alpha", 5);
	put_trailer(&b);
	set_field(&b, at, 1, "000081a4");
	assert_int_equal(find_in(&b, "a", &f), 0);
	set_field(&b, at, 1, "000081A4");
	assert_int_equal(find_in(&b, "a", &f), 0);
}

static void test_hand_file_types(void **state)
{
	static const unsigned int modes[] = { 0040755, 0120777, 0020644,
					      0060644, 0010644, 0140755,
					      0000644, 0170644 };
	static struct abuf b;
	struct cpio_file f;

	(void)state;
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		b.len = 0;
		put(&b, "070701", modes[i], "a", "alpha", 5);
		put_trailer(&b);
		assert_int_equal(find_in(&b, "a", &f), -1);
	}
	b.len = 0;
	put(&b, "070701", 0100000, "a", "alpha", 5);
	put_trailer(&b);
	assert_int_equal(find_in(&b, "a", &f), 0);
}

static void test_hand_crc(void **state)
{
	static struct abuf b;
	struct cpio_file f;
	size_t at;

	(void)state;
	b.len = 0;
	at = put(&b, "070702", S_REG, "a", "\xff\xff\x01", 3);
	put(&b, "070701", S_REG, "b", "bravo", 5); /* mixed magics */
	put_trailer(&b);
	assert_int_equal(find_in(&b, "a", &f), 0);
	assert_int_equal(find_in(&b, "b", &f), 0);
	set_field(&b, at, 12, "000001FE");
	assert_int_equal(find_in(&b, "a", &f), -2);
	assert_int_equal(find_in(&b, "b", &f), 0);
	/* The newc "check" field is not looked at. */
	b.len = 0;
	at = put(&b, "070701", S_REG, "a", "alpha", 5);
	put_trailer(&b);
	set_field(&b, at, 12, "12345678");
	assert_int_equal(find_in(&b, "a", &f), 0);
}

/* Random damage to a real archive: no crash, no overread, sane results. */
static void test_fuzz_no_crash(void **state)
{
	static const char hex[] = "0123456789abcdefFF";
	unsigned char *good, *bad;
	size_t len, seen[3] = { 0 };
	struct cpio_file f;
	int rc;

	(void)state;
	make_archive("fuzz", GUEST_FILES, "find .", "newc");
	good = arch;
	len = arch_len;
	arch = NULL;
	bad = malloc(len);
	assert_non_null(bad);
	srand(1);
	for (int i = 0; i < 20000; i++) {
		memcpy(bad, good, len);
		for (int n = 1 + rand() % 4; n; n--) {
			size_t at = (size_t)rand() % (len < 1024 ? len : 1024);

			if (rand() % 3)
				bad[at] = (unsigned char)hex[rand() % 18];
			else
				bad[at] = (unsigned char)rand();
		}
		set_archive(bad, rand() % 4 ? len : (size_t)rand() % len);
		rc = find(i % 2 ? "guests/Image" : "guests.dtb", &f);
		assert_true(rc >= -2 && rc <= 0);
		seen[-rc]++;
	}
	assert_int_not_equal(seen[0], 0);
	assert_int_not_equal(seen[2], 0);
	free(bad);
	free(good);
}

static int teardown(void **state)
{
	(void)state;
	free(arch);
	arch = NULL;
	arch_len = 0;
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_dot_slash_names),
		cmocka_unit_test(test_real_plain_names),
		cmocka_unit_test(test_real_only_regular_files),
		cmocka_unit_test(test_real_empty_file),
		cmocka_unit_test(test_real_many_files),
		cmocka_unit_test(test_real_crc_variant),
		cmocka_unit_test(test_real_truncated),
		cmocka_unit_test(test_hand_basic_and_prefix),
		cmocka_unit_test(test_hand_duplicate_last_wins),
		cmocka_unit_test(test_hand_empty_and_null),
		cmocka_unit_test(test_hand_bad_magic),
		cmocka_unit_test(test_hand_truncated),
		cmocka_unit_test(test_hand_missing_trailer),
		cmocka_unit_test(test_hand_sizes_past_end),
		cmocka_unit_test(test_hand_bad_names),
		cmocka_unit_test(test_hand_bad_hex),
		cmocka_unit_test(test_hand_file_types),
		cmocka_unit_test(test_hand_crc),
		cmocka_unit_test(test_fuzz_no_crash),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, teardown);
}
