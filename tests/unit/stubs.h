/* SPDX-License-Identifier: MIT */
/*
 * Test doubles for the host unit tests: panic() and printk() record what L0
 * said, and panic() longjmps back into the test that expected it.
 */
#ifndef L0_UNIT_STUBS_H
#define L0_UNIT_STUBS_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#define STUB_MSG_LEN 512

/* Where panic() jumps to; NULL: a panic fails the test. */
extern jmp_buf *stub_panic_jmp;
extern char stub_panic_msg[STUB_MSG_LEN];
extern unsigned int stub_panic_count;
/* Everything printk() was given since the last stub_reset(). */
extern char stub_printk_log[4 * STUB_MSG_LEN];

void stub_reset(void);

/*
 * Run `stmt`, which must panic: afterwards stub_panic_msg holds the message.
 * Fails the test when it returns instead.
 */
#define EXPECT_PANIC(stmt)                                    \
	do {                                                  \
		jmp_buf _jb;                                  \
		stub_panic_msg[0] = '\0';                     \
		stub_panic_jmp = &_jb;                        \
		if (!setjmp(_jb)) {                           \
			stmt;                                 \
			stub_panic_jmp = NULL;                \
			fail_msg("no panic from: %s", #stmt); \
		}                                             \
		stub_panic_jmp = NULL;                        \
	} while (0)

/* Assert that `haystack` contains `needle`, printing both when it does not. */
#define assert_substr(haystack, needle) \
	stub_assert_substr(haystack, needle, __FILE__, __LINE__)
void stub_assert_substr(const char *haystack, const char *needle,
			const char *file, int line);

#endif
