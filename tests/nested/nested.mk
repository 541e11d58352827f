# SPDX-License-Identifier: MIT
# Nested regression payloads: bare-metal programs that run in HS-mode as a
# tiny L1 hypervisor and test the H extension (tests/nested/run.sh), each
# printing 'PASS/FAIL: <payload>: <case>' lines.
#   make nested-payloads          build/nested/<name>.bin (and .elf)
#   make test-nested-reference    run them on QEMU's own H extension
# Included by the top-level Makefile, which defines BUILD, CC, OBJCOPY,
# ARCH_FLAGS, the LIBFDT_* variables and `deps`. The runtime is
# tests/guest/lib's, with tests/nested/lib's entry, traps and L2 snippets.

NESTED_DIR := tests/nested
NESTED_OUT := $(BUILD)/nested
NESTED_NAMES := $(sort $(patsubst $(NESTED_DIR)/%.c,%,$(wildcard $(NESTED_DIR)/*.c)))
NESTED_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -g -Wall -Wextra -Werror \
	-ffreestanding -fno-pie -fno-pic -fno-common -fno-builtin \
	-fno-tree-loop-distribute-patterns -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-isystem $(shell $(CC) -print-file-name=include-fixed) \
	-Iinclude -Iinclude/libc -I$(NESTED_DIR)/lib -Itests/guest/lib \
	-isystem $(LIBFDT_ROOT)/usr/include -MMD -MP
NESTED_LDFLAGS := $(ARCH_FLAGS) -nostdlib -static -no-pie \
	-T tests/guest/guest.lds -Wl,--no-warn-rwx-segments

# tests/guest/lib without its crt0.S (lib/entry.S replaces it).
NESTED_LIB_SRCS := $(sort $(wildcard $(NESTED_DIR)/lib/*.S $(NESTED_DIR)/lib/*.c)) \
	$(filter-out %/crt0.S,$(sort $(wildcard tests/guest/lib/*.S tests/guest/lib/*.c))) \
	core/printf.c core/string.c
NESTED_LIB_OBJS := $(patsubst %,$(NESTED_OUT)/obj/%.o,$(basename $(NESTED_LIB_SRCS)))
NESTED_BINS := $(addprefix $(NESTED_OUT)/,$(addsuffix .bin,$(NESTED_NAMES)))

$(NESTED_OUT)/obj/%.o: %.c | $(LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(CC) $(NESTED_CFLAGS) -c $< -o $@

$(NESTED_OUT)/obj/%.o: %.S
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(CC) $(NESTED_CFLAGS) -D__ASSEMBLER__ -c $< -o $@

$(NESTED_OUT)/%.elf: $(NESTED_OUT)/obj/$(NESTED_DIR)/%.o $(NESTED_LIB_OBJS) \
		$(LIBFDT_A) tests/guest/guest.lds
	@echo "  LD      $@"
	@$(CC) $(NESTED_LDFLAGS) $< $(NESTED_LIB_OBJS) $(LIBFDT_A) -lgcc -o $@

$(NESTED_OUT)/%.bin: $(NESTED_OUT)/%.elf
	@echo "  OBJCOPY $@"
	@$(OBJCOPY) -O binary $< $@

.PHONY: nested-payloads test-nested-reference test-nested-l0 \
	test-nested-recursive
nested-payloads: $(NESTED_BINS)

test-nested-reference: deps nested-payloads
	@$(NESTED_DIR)/run.sh reference

.SECONDARY: $(NESTED_BINS:.bin=.elf) $(NESTED_LIB_OBJS) \
	$(patsubst %,$(NESTED_OUT)/obj/$(NESTED_DIR)/%.o,$(NESTED_NAMES))

-include $(NESTED_LIB_OBJS:.o=.d) \
	$(patsubst %,$(NESTED_OUT)/obj/$(NESTED_DIR)/%.d,$(NESTED_NAMES))

test-nested-l0: deps nested-payloads l0
	@L0_BIN=$(L0_BIN) $(NESTED_DIR)/run.sh l0

test-nested-recursive: deps nested-payloads l0
	@L0_BIN=$(L0_BIN) $(NESTED_DIR)/run.sh recursive
