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
READELF = $(CROSS_COMPILE)readelf
SIZE = $(CROSS_COMPILE)size

QEMU ?= qemu-system-riscv64
OPENSBI_DIR ?= /usr/lib/riscv64-linux-gnu/opensbi/generic
export QEMU OPENSBI_DIR

L0_VERSION := $(shell git describe --always --dirty 2>/dev/null || echo unknown)

LIBFDT_ROOT := $(CACHE)/root/libfdt
LIBFDT_A := $(LIBFDT_ROOT)/usr/lib/riscv64-linux-gnu/libfdt.a
LIBFDT_H := $(LIBFDT_ROOT)/usr/include/libfdt.h

L0_SRCS := $(sort $(wildcard arch/riscv/*.S arch/riscv/*.c core/*.c core/sbi/*.c drivers/*.c drivers/irq/*.c drivers/uart/*.c nested/*.c))
L0_OBJS := $(patsubst %,$(BUILD)/l0/%.o,$(basename $(L0_SRCS)))
L0_ELF := $(BUILD)/l0.elf
L0_BIN := $(BUILD)/l0.bin

# lp64d because Debian's libfdt.a is built for it; L0 itself uses no FP
# (sstatus.FS stays Off, so a stray FP instruction traps).
ARCH_FLAGS := -march=rv64gc -mabi=lp64d -mcmodel=medany
L0_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fpie -fno-common -fomit-frame-pointer \
	-fstack-protector-strong -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(shell $(CC) -print-file-name=include-fixed) \
	-Iinclude -Iinclude/libc -isystem $(LIBFDT_ROOT)/usr/include \
	-DL0_VERSION='"$(L0_VERSION)"' -MMD -MP
# L0 is position independent: linked at L0_LINK_BASE (include/arch/image.h),
# it relocates itself at entry to wherever it was loaded (arch/riscv/head.S).
# The bare-metal toolchain's ld cannot make a PIE: the Linux one links L0
# (binutils-riscv64-linux-gnu, installed by tests/setup/install-deps.sh).
L0_LINK_BASE := $(shell sed -n 's/^\#define L0_LINK_BASE //p' include/arch/image.h)
PIE_LD ?= riscv64-linux-gnu-ld
L0_LDFLAGS := -static -pie --no-dynamic-linker -z norelro \
	-T arch/riscv/l0.lds --defsym=L0_LINK_BASE=$(L0_LINK_BASE) \
	--no-warn-rwx-segments

.PHONY: all deps l0 run debug fit test boot-test vm-test gdb-test uboot-test soak soak-short lint \
	bench clean
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
	@$(PIE_LD) $(L0_LDFLAGS) $(L0_OBJS) $(LIBFDT_A) \
		$(shell $(CC) $(ARCH_FLAGS) -print-libgcc-file-name) -o $@.tmp
	@# head.S applies R_RISCV_RELATIVE only: anything else fails the build.
	@$(READELF) -rW $@.tmp | awk '/R_RISCV_/ && $$3 != "R_RISCV_RELATIVE" \
		{ print "l0.elf: relocation head.S cannot apply: " $$0; bad = 1 } \
		END { exit bad }'
	@mv $@.tmp $@
	@$(SIZE) $@

$(L0_BIN): $(L0_ELF)
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

include tests/unit/unit.mk
include tests/sim/sim.mk
include tests/fuzz/fuzz.mk
include tests/guest/guest.mk
include tests/nested/nested.mk
include tests/images/images.mk
include tests/bench/bench.mk

# The demo: the three levels. L0 runs a nested-enabled Debian Linux L1
# (configs/nested.dts) at its shell, where 'run-l2 --shell' starts an L2 Linux
# under L1's KVM and gives you its shell.
# 'make run L1_DISK=FILE' boots the disk image FILE as that L1 instead
# (configs/nested-disk.dts: root on /dev/vda, the disk and the network passed
# through), with the project's kernel unless L1_KERNEL= names another.
ifdef L1_DISK
RUN_INITRD := $(BUILD)/run/l0-initrd-disk.cpio
$(RUN_INITRD): configs/nested-disk.dts tests/vm/mkinitrd.sh $(L1_KERNEL) $(VDA_INITRD) FORCE
	tests/vm/mkinitrd.sh $@ configs/nested-disk.dts Image=$(L1_KERNEL) \
		rootfs.cpio.gz=$(VDA_INITRD)
RUN_QEMU := --mem 3G --disk $(L1_DISK) --net
else
RUN_INITRD := $(BUILD)/run/l0-initrd.cpio
$(RUN_INITRD): configs/nested.dts tests/vm/mkinitrd.sh $(L1_KERNEL) $(L1_INITRD_SHELL)
	tests/vm/mkinitrd.sh $@ configs/nested.dts Image=$(L1_KERNEL) \
		rootfs.cpio.gz=$(L1_INITRD_SHELL)
RUN_QEMU := --mem 2G
endif
.PHONY: FORCE

run: deps l0 $(RUN_INITRD)
	tests/boot/qemu.sh --interactive --smp 2 $(RUN_QEMU) --initrd $(RUN_INITRD) $(L0_BIN)

# tests/boot/jump.S for each address the boot runner loads L0 at.
BOOT_LOAD_ADDRS := 90200000 100200000
BOOT_JUMPS := $(patsubst %,$(BUILD)/boot/jump-%.bin,$(BOOT_LOAD_ADDRS))
$(BUILD)/boot/jump-%.bin: tests/boot/jump.S
	@mkdir -p $(dir $@)
	@$(CC) $(ARCH_FLAGS) -nostdlib -static -Wl,-Ttext=$(L0_LINK_BASE) \
		-DL0_AT=0x$* $< -o $(@:.bin=.elf)
	@$(OBJCOPY) -O binary $(@:.bin=.elf) $@

# The demo under gdb: QEMU's gdb stub halts the harts at reset until gdb
# attaches and continues (docs/debugging.md).
GDB_PORT ?= 1234
debug: deps l0 $(RUN_INITRD)
	@echo "make debug: QEMU waits for gdb on port $(GDB_PORT); in another shell:"
	@echo "  gdb-multiarch -x tests/gdb/l0.gdb $(L0_ELF) -ex 'target remote :$(GDB_PORT)'"
	tests/boot/qemu.sh --interactive --gdb $(GDB_PORT) --smp 2 --mem 2G \
		--initrd $(RUN_INITRD) $(L0_BIN)

# U-Boot's bootm: build/fit/l0.itb (L0, its guest archive, optionally an
# FDT) and build/fit/boot.scr, which loads and boots it (docs/boards.md).
FIT_INITRD ?= $(RUN_INITRD)
FIT_L0_ADDR ?= 0x90200000
FIT_FDT ?=
FIT_BOOTARGS ?=
fit: deps l0 $(FIT_INITRD)
	BOOTARGS="$(FIT_BOOTARGS)" tests/uboot/mkfit.sh $(BUILD)/fit $(L0_BIN) \
		$(FIT_INITRD) $(FIT_L0_ADDR) $(FIT_FDT)

uboot-test: deps l0 images
	tests/uboot/run.sh $(L0_BIN)

gdb-test: deps l0 $(GUEST_OUT)/sbi-base.bin
	tests/gdb/run.sh $(L0_ELF) $(L0_BIN)

boot-test: deps l0 $(BOOT_JUMPS) $(GUEST_OUT)/sbi-base.bin
	tests/boot/run.sh $(L0_BIN)

vm-test: deps l0 images
	tests/vm/run.sh $(L0_BIN)

# Not in 'make test': about a day at its default counts (SOAK_L2_RUNS=100,
# SOAK_REBOOTS=20). 'make soak-short' (5 L2 runs, 2 reboots) is in it.
soak: deps l0 images
	tests/vm/soak.sh $(L0_BIN)

soak-short: deps l0 images
	SOAK_L2_RUNS=5 SOAK_REBOOTS=2 tests/vm/soak.sh $(L0_BIN)

test: deps
	@tests/run-all.sh

lint: deps $(LIBFDT_H)
	@tests/lint.sh

# Each time ratio is the median of BENCH_RUNS interleaved rounds (reference,
# L0, reference, L0, ...; docs/bench.md). The table is printed even when a
# bench fails (it says which parts did). The fuzz targets' executions per
# second: tests/bench/fuzz.sh (alone: make bench-fuzz).
bench: deps l0 images nested-payloads bench-payloads guest-payloads $(FUZZ_BINS)
	@mkdir -p $(BUILD)/bench
	tests/bench/l0-guest.sh
	tests/bench/sbi.sh
	tests/bench/nested.sh
	@rc=0; tests/bench/nested-mmu.sh || rc=$$?; \
		tests/bench/nacl.sh || rc=$$?; \
		tests/bench/recursive.sh || rc=$$?; \
		tests/bench/disknet.sh || rc=$$?; \
		FUZZ_S=$(FUZZ_BENCH_S) tests/bench/fuzz.sh $(FUZZ_BINS) || rc=$$?; \
		python3 tests/bench/record.py table; exit $$rc

clean:
	rm -rf $(BUILD)

-include $(L0_OBJS:.o=.d)
