# SPDX-License-Identifier: MIT
# L0: a RISC-V hypervisor with nested virtualization.
#   make run    install what is missing, build, boot the demo on QEMU
#   make test   install what is missing, build, run every test
#   make lint   clang-format, cppcheck, clang-tidy
#   make bench  benchmarks into build/bench/results.json

BUILD := build
CACHE := .cache
export L0_CACHE := $(abspath $(CACHE))

# Deferred (=, ?=): on a fresh machine the compiler exists only once the
# `deps` prerequisite has installed it, after this file was read.
CROSS_COMPILE ?= $(if $(shell command -v riscv64-unknown-elf-gcc),riscv64-unknown-elf-,riscv64-linux-gnu-)
CC = $(CROSS_COMPILE)gcc
OBJCOPY = $(CROSS_COMPILE)objcopy
SIZE = $(CROSS_COMPILE)size

QEMU ?= qemu-system-riscv64
OPENSBI_DIR ?= /usr/lib/riscv64-linux-gnu/opensbi/generic
export QEMU OPENSBI_DIR

L0_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

LIBFDT_ROOT := $(CACHE)/root/libfdt
LIBFDT_A := $(LIBFDT_ROOT)/usr/lib/riscv64-linux-gnu/libfdt.a
LIBFDT_H := $(LIBFDT_ROOT)/usr/include/libfdt.h

L0_SRCS := $(sort $(wildcard arch/riscv/*.S arch/riscv/*.c core/*.c drivers/*.c nested/*.c))
L0_OBJS := $(patsubst %,$(BUILD)/l0/%.o,$(basename $(L0_SRCS)))
L0_ELF := $(BUILD)/l0.elf
L0_BIN := $(BUILD)/l0.bin

# lp64d because Debian's libfdt.a is built for it; L0 itself uses no FP
# (sstatus.FS stays Off, so a stray FP instruction traps).
ARCH_FLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany
L0_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-pie -fno-pic -fno-common -fno-omit-frame-pointer \
	-fstack-protector-strong -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(shell $(CC) -print-file-name=include-fixed) \
	-Iinclude -Iinclude/libc -isystem $(LIBFDT_ROOT)/usr/include \
	-DL0_VERSION='"$(L0_VERSION)"' -MMD -MP
L0_LDFLAGS := $(ARCH_FLAGS) -nostdlib -static -no-pie -T arch/riscv/l0.lds \
	-Wl,--no-warn-rwx-segments

.PHONY: all deps l0 run test boot-test vm-test soak lint bench clean
.DEFAULT_GOAL := all

all: l0

deps:
	@tests/setup/install-deps.sh

$(LIBFDT_A) $(LIBFDT_H): tests/setup/packages.lock | deps
	@python3 tests/setup/debpin.py unpack libfdt-dev $(LIBFDT_ROOT)
	@touch $(LIBFDT_A) $(LIBFDT_H)

l0: $(L0_BIN)

$(BUILD)/l0/%.o: %.c | $(LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(L0_CFLAGS) -c $< -o $@

$(BUILD)/l0/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(L0_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(L0_ELF): $(L0_OBJS) $(LIBFDT_A) arch/riscv/l0.lds
	@echo "  LD      $@"
	@$(CC) $(L0_LDFLAGS) $(L0_OBJS) $(LIBFDT_A) -lgcc -o $@
	@$(SIZE) $@

$(L0_BIN): $(L0_ELF)
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

include tests/unit/unit.mk
include tests/guest/guest.mk
include tests/nested/nested.mk
include tests/images/images.mk
include tests/bench/bench.mk

# The demo: the three levels. L0 runs a nested-enabled Debian Linux L1
# (configs/nested.dts) at its shell, where 'run-l2 --shell' starts an L2 Linux
# under L1's KVM and gives you its shell.
RUN_INITRD := $(BUILD)/run/l0-initrd.cpio
$(RUN_INITRD): configs/nested.dts tests/vm/mkinitrd.sh $(L1_KERNEL) $(L1_INITRD_SHELL)
	tests/vm/mkinitrd.sh $@ configs/nested.dts Image=$(L1_KERNEL) \
		rootfs.cpio.gz=$(L1_INITRD_SHELL)

run: deps l0 $(RUN_INITRD)
	tests/boot/qemu.sh --interactive --smp 2 --mem 2G --initrd $(RUN_INITRD) $(L0_BIN)

boot-test: deps l0
	tests/boot/run.sh $(L0_BIN)

vm-test: deps l0 images
	tests/vm/run.sh $(L0_BIN)

# Not in 'make test': hours at the issue's counts (SOAK_L2_RUNS=100,
# SOAK_REBOOTS=20); e.g. 'make soak SOAK_L2_RUNS=2 SOAK_REBOOTS=1' is short.
soak: deps l0 images
	tests/vm/soak.sh $(L0_BIN)

test: deps
	@tests/run-all.sh

lint: deps $(LIBFDT_H)
	@tests/lint.sh

# The reference runs first: nested-mmu.sh divides by its L2 boot time. The
# table is printed even when nested-mmu.sh fails (it says which parts did).
bench: deps l0 images nested-payloads bench-payloads
	@mkdir -p $(BUILD)/bench
	tests/bench/reference.sh
	tests/bench/l0-guest.sh
	tests/bench/nested.sh
	@rc=0; tests/bench/nested-mmu.sh || rc=$$?; \
		tests/bench/nacl.sh || rc=$$?; \
		python3 tests/bench/record.py table; exit $$rc

clean:
	rm -rf $(BUILD)

-include $(L0_OBJS:.o=.d)
