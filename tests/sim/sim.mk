# SPDX-License-Identifier: MIT
# The simulated hart: L0's trap path built for the host around fake harts
# with a TLB model and a fence log (tests/sim/sim.h), and scenario tests
# on it (cmocka, ASan+UBSan), counted by the unit runner.
#   make sim-test   build build/sim/test_* and run them
# Included by the top-level Makefile, which defines BUILD and `deps`.

SIM_DIR := tests/sim
SIM_OUT := $(BUILD)/sim
SIM_CC := cc
# The sim's arch/cpu.h and arch/tlb.h come first: they replace the hart's
# instructions; everything else is L0's own.
SIM_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -I$(SIM_DIR)/include -Iinclude \
	-I$(SIM_DIR) -Itests/unit -isystem $(HOST_LIBFDT_ROOT)/usr/include \
	-MMD -MP
SIM_LDFLAGS := -Wl,--wrap=page_free,--wrap=page_try_alloc,--wrap=page_alloc
# The libfdt version L0 links, as the unit tests (tests/unit/unit.mk).
SIM_LDLIBS := -lcmocka $(HOST_LIBFDT_A)

# L0's trap path and what it needs (of the drivers, the host interrupt
# controllers that passthrough routes through; no smp.c: host.c is the
# machine).
SIM_L0_SRCS := $(sort $(wildcard nested/*.c)) arch/riscv/gstage.c \
	arch/riscv/trap.c arch/riscv/vcpu_switch.c core/cpio.c \
	core/entropy.c core/guest_fdt.c core/hostirq.c core/isa.c core/mmio.c \
	core/passthrough.c core/memrange.c core/platform.c core/sha256.c \
	$(wildcard drivers/irq/*.c) \
	$(wildcard drivers/uart/*.c) \
	core/page_alloc.c core/printf.c $(sort $(wildcard core/sbi/*.c)) \
	core/sched.c \
	core/vcpu.c core/vm_console.c core/vm_ram.c core/vplic.c core/vuart.c
# core/vm.c comes in through vm_reset.c, which can empty its VM table.
# The simulated machine itself (tests/fuzz/fuzz.mk links it too).
SIM_HARNESS_SRCS := $(SIM_DIR)/sim.c $(SIM_DIR)/tlb.c $(SIM_DIR)/host.c \
	$(SIM_DIR)/vm_reset.c
SIM_LIB_OBJS := $(patsubst %.c,$(SIM_OUT)/obj/%.o,$(SIM_L0_SRCS) \
	$(SIM_HARNESS_SRCS))
SIM_TEST_OBJS := $(SIM_LIB_OBJS) $(SIM_OUT)/obj/tests/unit/stubs.o
SIM_TESTS := $(sort $(patsubst $(SIM_DIR)/test_%.c,%,$(wildcard $(SIM_DIR)/test_*.c)))
SIM_BINS := $(addprefix $(SIM_OUT)/test_,$(SIM_TESTS))

$(SIM_OUT)/obj/%.o: %.c | deps $(HOST_LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  SIMCC   $<"
	@$(SIM_CC) $(SIM_CFLAGS) -c $< -o $@

$(SIM_OUT)/test_%: $(SIM_OUT)/obj/$(SIM_DIR)/test_%.o $(SIM_TEST_OBJS) \
		$(HOST_LIBFDT_A)
	@echo "  SIMLD   $@"
	@$(SIM_CC) $(SIM_CFLAGS) $(SIM_LDFLAGS) $(filter %.o,$^) $(SIM_LDLIBS) -o $@

# Kept between runs (make would delete them as intermediates).
.SECONDARY: $(SIM_TEST_OBJS) $(patsubst %,$(SIM_OUT)/obj/$(SIM_DIR)/test_%.o,$(SIM_TESTS))

.PHONY: sim-test
sim-test: deps $(SIM_BINS)
	@tests/unit/run.sh $(SIM_BINS)

-include $(patsubst %.o,%.d,$(SIM_TEST_OBJS) \
	$(patsubst %,$(SIM_OUT)/obj/$(SIM_DIR)/test_%.o,$(SIM_TESTS)))
