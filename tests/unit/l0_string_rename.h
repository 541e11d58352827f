/* SPDX-License-Identifier: MIT */
/*
 * Force-included into core/string.c for the unit tests: its libc functions
 * get l0_ names so that they neither clash with nor replace the host's.
 */
#ifndef L0_UNIT_STRING_RENAME_H
#define L0_UNIT_STRING_RENAME_H

#define memcpy l0_memcpy
#define memmove l0_memmove
#define memset l0_memset
#define memcmp l0_memcmp
#define memchr l0_memchr
#define strlen l0_strlen
#define strnlen l0_strnlen
#define strcmp l0_strcmp
#define strncmp l0_strncmp
#define strchr l0_strchr
#define strrchr l0_strrchr
#define strtoul l0_strtoul
#define __stack_chk_fail l0___stack_chk_fail
#define __stack_chk_guard l0___stack_chk_guard

#include "l0_string.h"

#endif
