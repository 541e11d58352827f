/* SPDX-License-Identifier: MIT */
/* Per-hart timer: Sstc's stimecmp when the hart has it, else SBI TIME. */
#ifndef L0_TIMER_H
#define L0_TIMER_H

#include <stdbool.h>
#include <stdint.h>

void timer_init(uint64_t timebase_hz, bool sstc);
uint64_t timer_now(void);
uint64_t timer_us_to_ticks(uint64_t us);
uint64_t timer_ticks_to_ns(uint64_t ticks);
/* Fire the S-mode timer interrupt at `when` (in ticks of `time`). */
void timer_set(uint64_t when);
/* Stop the pending timer from firing. */
void timer_cancel(void);
const char *timer_kind(void);

#endif
