# SPDX-License-Identifier: MIT
# libFuzzer targets (Debian's clang-14 and libclang-rt-14-dev, ASan+UBSan):
# tests/fuzz/fuzz_NAME.c, each linked with the L0 sources it drives
# (fuzz_srcs_NAME) and tests/fuzz/stubs.c. fuzz_trap drives L0's trap path
# on the simulated harts (tests/sim/); the others drive one parser or
# decoder of L0's plain logic. What each checks: docs/design.md, "Fuzzing".
#   make fuzz        every target for FUZZ_S seconds (default 60)
#   make fuzz-test   every target for FUZZ_TEST_S seconds (in make test)
#   make bench-fuzz  executions per second of each (part of make bench)
# Included by the top-level Makefile after tests/sim/sim.mk, whose
# SIM_DIR, SIM_L0_SRCS and SIM_LDFLAGS it uses.

FUZZ_DIR := tests/fuzz
FUZZ_CC := clang-14
FUZZ_OUT := $(BUILD)/fuzz
FUZZ_S ?= 60
FUZZ_TEST_S ?= 4
FUZZ_BENCH_S ?= 10
# The sim's include/ first for every object: it replaces the hart's
# instructions (only the trap path's sources use them).
FUZZ_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I$(SIM_DIR)/include -Iinclude -I$(SIM_DIR) \
	-isystem $(HOST_LIBFDT_ROOT)/usr/include -MMD -MP

# The L0 sources of each target (besides fuzz_NAME.c and stubs.c).
fuzz_srcs_trap := $(SIM_L0_SRCS) $(SIM_HARNESS_SRCS)
fuzz_ldflags_trap := $(SIM_LDFLAGS)
fuzz_srcs_nacl := nested/nacl_shmem.c nested/csr.c
fuzz_srcs_csr := nested/csr.c
fuzz_srcs_walk := nested/walk.c
fuzz_srcs_mmio := core/mmio.c core/vplic.c core/vuart.c
fuzz_srcs_cpio := core/cpio.c
fuzz_srcs_config := core/vm_config.c core/guest_fdt.c core/printf.c

FUZZ_TARGETS := $(sort $(patsubst $(FUZZ_DIR)/fuzz_%.c,%,$(wildcard $(FUZZ_DIR)/fuzz_*.c)))
FUZZ_BINS := $(addprefix $(FUZZ_OUT)/fuzz_,$(FUZZ_TARGETS))
FUZZ_OBJS := $(sort $(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(FUZZ_DIR)/stubs.c \
	$(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/fuzz_$(t).c $(fuzz_srcs_$(t)))))

$(FUZZ_OUT)/obj/%.o: %.c | deps $(HOST_LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $<"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -c $< -o $@

define fuzz_link_rule
$(FUZZ_OUT)/fuzz_$(1): $(FUZZ_OUT)/obj/$(FUZZ_DIR)/fuzz_$(1).o \
		$(FUZZ_OUT)/obj/$(FUZZ_DIR)/stubs.o \
		$(patsubst %.c,$(FUZZ_OUT)/obj/%.o,$(fuzz_srcs_$(1))) \
		$(HOST_LIBFDT_A)
	@echo "  FUZZLD  $$@"
	@$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $(fuzz_ldflags_$(1)) \
		$$(filter %.o,$$^) $(HOST_LIBFDT_A) -o $$@
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_link_rule,$(t))))

.SECONDARY: $(FUZZ_OBJS)

.PHONY: fuzz fuzz-test bench-fuzz
fuzz: deps $(FUZZ_BINS)
	@FUZZ_S=$(FUZZ_S) $(FUZZ_DIR)/run.sh $(FUZZ_BINS)

fuzz-test: deps $(FUZZ_BINS)
	@FUZZ_S=$(FUZZ_TEST_S) $(FUZZ_DIR)/run.sh $(FUZZ_BINS)

bench-fuzz: deps $(FUZZ_BINS)
	@FUZZ_S=$(FUZZ_BENCH_S) tests/bench/fuzz.sh $(FUZZ_BINS)

-include $(FUZZ_OBJS:.o=.d)
