/* SPDX-License-Identifier: MIT */
/* core/string.c under the names it gets in the unit tests (rename header). */
#ifndef L0_UNIT_STRING_H
#define L0_UNIT_STRING_H

#include <stddef.h>
#include <stdint.h>

void *l0_memcpy(void *dst, const void *src, size_t n);
void *l0_memmove(void *dst, const void *src, size_t n);
void *l0_memset(void *dst, int c, size_t n);
int l0_memcmp(const void *a, const void *b, size_t n);
void *l0_memchr(const void *s, int c, size_t n);
size_t l0_strlen(const char *s);
size_t l0_strnlen(const char *s, size_t max);
int l0_strcmp(const char *a, const char *b);
int l0_strncmp(const char *a, const char *b, size_t n);
char *l0_strchr(const char *s, int c);
char *l0_strrchr(const char *s, int c);
unsigned long l0_strtoul(const char *s, char **end, int base);
void l0___stack_chk_fail(void);
extern uintptr_t l0___stack_chk_guard;

#endif
