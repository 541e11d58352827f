# SPDX-License-Identifier: MIT
# What 'make bench' builds beyond L0 and the images: the SBI loop (a
# bare-metal L2 program, tests/bench/sbiloop) and the L1 images that run it
# instead of L2's Linux. Never built by 'make test' or 'make images'.
# Included by the top-level Makefile after tests/images/images.mk, whose
# variables it uses; CC, OBJCOPY and ARCH_FLAGS come from the top.

# Rounds of each timed comparison (tests/bench/lib.sh): 'make bench
# BENCH_RUNS=5' for a steadier median, BENCH_RUNS=1 for a quick try.
BENCH_RUNS ?= 3
export BENCH_RUNS

SBILOOP_DIR := tests/bench/sbiloop
SBILOOP_OUT := $(BUILD)/bench
SBILOOP_BIN := $(SBILOOP_OUT)/sbiloop.bin
# -fno-jump-tables: nothing absolute, so the code runs wherever QEMU loads it.
SBILOOP_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -Wall -Wextra -Werror \
	-ffreestanding -fno-pie -fno-pic -fno-builtin -fno-jump-tables \
	-nostdlib -static -no-pie -T $(SBILOOP_DIR)/sbiloop.lds \
	-Wl,--no-warn-rwx-segments

export L1_INITRD_SBILOOP := $(SBILOOP_OUT)/l1-sbiloop.cpio.gz
export L1_INITRD_SBILOOP_7_2 := $(SBILOOP_OUT)/l1-sbiloop-k7.2.cpio.gz

$(SBILOOP_OUT)/sbiloop.elf: $(SBILOOP_DIR)/start.S $(SBILOOP_DIR)/sbiloop.c \
		$(SBILOOP_DIR)/sbiloop.lds | deps
	@mkdir -p $(@D)
	@echo "  CCLD    $@"
	@$(CC) $(SBILOOP_CFLAGS) $(SBILOOP_DIR)/start.S $(SBILOOP_DIR)/sbiloop.c -o $@

$(SBILOOP_BIN): $(SBILOOP_OUT)/sbiloop.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

# L1 with the 6.12 kernel's kvm.ko (boot it with Image-6.12), and with the
# 7.2 kernel's (boot it with Image-7.2: the NACL bench's L1).
IMAGES_SBILOOP_DEPS := $(filter-out $(IMAGES_L2_FILES),$(IMAGES_L1_DEPS)) $(SBILOOP_BIN)
$(L1_INITRD_SBILOOP): $(IMAGES_SBILOOP_DEPS) $(IMAGES_UNP)/k6.12/.done
	$(IMAGES_BUILD_L1) $@ sbiloop 1 $(IMAGES_UNP)/k6.12 $(SBILOOP_BIN)
$(L1_INITRD_SBILOOP_7_2): $(IMAGES_SBILOOP_DEPS) $(IMAGES_UNP)/k7.2/.done
	$(IMAGES_BUILD_L1) $@ sbiloop 1 $(IMAGES_UNP)/k7.2 $(SBILOOP_BIN)

.PHONY: bench-payloads
bench-payloads: $(L1_INITRD_SBILOOP) $(L1_INITRD_SBILOOP_7_2)
