# SPDX-License-Identifier: MIT
# Bare-metal guest test payloads: small S-mode programs, one per area, each
# printing 'PASS/FAIL: <payload>: <case>' lines (tests/guest/run.sh).
#   make guest-payloads          build/guest/<name>.bin (and .elf)
#   make test-guest-reference    run them on QEMU + OpenSBI directly
#   make test-guest-l0           run them as guests under L0
# Included by the top-level Makefile, which defines BUILD, CC, OBJCOPY,
# ARCH_FLAGS, the LIBFDT_* variables and `deps`.

GUEST_DIR := tests/guest
GUEST_OUT := $(BUILD)/guest
GUEST_NAMES := $(sort $(patsubst $(GUEST_DIR)/%.c,%,$(wildcard $(GUEST_DIR)/*.c)))
GUEST_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-pie -fno-pic -fno-common -fno-builtin \
	-fno-tree-loop-distribute-patterns -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(shell $(CC) -print-file-name=include-fixed) \
	-Iinclude -Iinclude/libc -I$(GUEST_DIR)/lib \
	-isystem $(LIBFDT_ROOT)/usr/include -MMD -MP
GUEST_LDFLAGS := $(ARCH_FLAGS) -nostdlib -static -no-pie \
	-T $(GUEST_DIR)/guest.lds -Wl,--no-warn-rwx-segments

# The runtime: its own files, plus L0's printf and string functions.
GUEST_LIB_SRCS := $(sort $(wildcard $(GUEST_DIR)/lib/*.S $(GUEST_DIR)/lib/*.c)) \
	core/printf.c core/string.c
GUEST_LIB_OBJS := $(patsubst %,$(GUEST_OUT)/obj/%.o,$(basename $(GUEST_LIB_SRCS)))
GUEST_BINS := $(addprefix $(GUEST_OUT)/,$(addsuffix .bin,$(GUEST_NAMES)))

$(GUEST_OUT)/obj/%.o: %.c | $(LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(GUEST_CFLAGS) -c $< -o $@

$(GUEST_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(GUEST_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(GUEST_OUT)/%.elf: $(GUEST_OUT)/obj/$(GUEST_DIR)/%.o $(GUEST_LIB_OBJS) \
		$(LIBFDT_A) $(GUEST_DIR)/guest.lds
	@echo "  LD      $@"
	@$(CC) $(GUEST_LDFLAGS) $< $(GUEST_LIB_OBJS) $(LIBFDT_A) -lgcc -o $@

$(GUEST_OUT)/%.bin: $(GUEST_OUT)/%.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

.PHONY: guest-payloads test-guest-reference test-guest-l0
guest-payloads: $(GUEST_BINS)

test-guest-reference: deps guest-payloads
	@$(GUEST_DIR)/run.sh reference

test-guest-l0: deps guest-payloads l0
	@L0_BIN=$(L0_BIN) $(GUEST_DIR)/run.sh l0

.SECONDARY: $(GUEST_BINS:.bin=.elf) $(GUEST_LIB_OBJS) \
	$(patsubst %,$(GUEST_OUT)/obj/$(GUEST_DIR)/%.o,$(GUEST_NAMES))

-include $(GUEST_LIB_OBJS:.o=.d) \
	$(patsubst %,$(GUEST_OUT)/obj/$(GUEST_DIR)/%.d,$(GUEST_NAMES))
