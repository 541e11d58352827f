# SPDX-License-Identifier: MIT
# Host unit tests of L0's plain logic: cmocka, ASan+UBSan, and libfdt of the
# version L0 links (Debian's amd64 libfdt-dev, pinned in
# tests/setup/packages-host.lock; not the build machine's own).
#   make unit-test   build build/unit/test_* and the sample DTBs, run them
# Included by the top-level Makefile, which defines BUILD, CACHE and `deps`.

UNIT_DIR := tests/unit
UNIT_OUT := $(BUILD)/unit
UNIT_CC := cc
HOST_LIBFDT_LOCK := tests/setup/packages-host.lock
HOST_LIBFDT_ROOT := $(CACHE)/root/libfdt-host
HOST_LIBFDT_A := $(HOST_LIBFDT_ROOT)/usr/lib/x86_64-linux-gnu/libfdt.a
HOST_LIBFDT_H := $(HOST_LIBFDT_ROOT)/usr/include/libfdt.h
UNIT_CFLAGS := -std=gnu11 -Wall -Wextra -Werror -g -O1 \
	-fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer -Iinclude -I$(UNIT_DIR) \
	-isystem $(HOST_LIBFDT_ROOT)/usr/include \
	-DUNIT_DTB_DIR='"$(abspath $(UNIT_OUT)/dts)"' -MMD -MP
UNIT_LDLIBS := -lcmocka

UNIT_TESTS := $(sort $(patsubst $(UNIT_DIR)/test_%.c,%,$(wildcard $(UNIT_DIR)/test_*.c)))

# The L0 sources each test binary links, besides its test_*.c and stubs.c.
unit_srcs_bits :=
unit_srcs_cpio := core/cpio.c
unit_srcs_entropy := core/entropy.c core/sha256.c
unit_srcs_gstage := arch/riscv/gstage.c core/page_alloc.c
unit_srcs_gstage_unmap := $(unit_srcs_gstage)
# The platform parse picks the host UART's model (drivers/uart/).
unit_uart_models := drivers/uart/uart.c drivers/uart/ns16550.c \
	drivers/uart/dw_apb.c drivers/uart/xscale.c
unit_srcs_guest_fdt := core/guest_fdt.c core/platform.c core/isa.c core/memrange.c core/printf.c \
	$(unit_uart_models) drivers/uart/io.c
# test_irqchip.c is the register-level fake of the APLIC and the IMSIC file.
unit_srcs_irqchip := drivers/irq/irqchip.c drivers/irq/plic.c \
	drivers/irq/aplic.c drivers/irq/imsic.c
unit_srcs_isa := core/isa.c core/printf.c
unit_srcs_libfdt :=
unit_srcs_memrange := core/memrange.c
unit_srcs_mmio := core/mmio.c core/vuart.c core/vplic.c
unit_srcs_nested_csr := nested/csr.c
unit_srcs_nested_vscsr := nested/csr.c
unit_srcs_nested_nacl := nested/nacl.c nested/nacl_shmem.c nested/csr.c
unit_srcs_nested_rfence := nested/rfence.c
unit_srcs_nested_walk := nested/walk.c
unit_srcs_page_alloc := core/page_alloc.c
unit_srcs_passthrough := core/passthrough.c core/guest_fdt.c core/platform.c \
	core/isa.c core/memrange.c core/printf.c $(unit_uart_models) \
	drivers/uart/io.c
unit_srcs_platform := core/platform.c core/isa.c core/memrange.c core/printf.c \
	$(unit_uart_models) drivers/uart/io.c
# test_uart.c is the register-level fake of each model's bus accesses.
unit_srcs_uart := $(unit_uart_models)
unit_srcs_printf := core/printf.c
unit_srcs_sha256 := core/sha256.c
unit_srcs_string := core/string.c
unit_srcs_vm_config := core/vm_config.c core/printf.c
unit_srcs_vplic := core/vplic.c
unit_srcs_vuart := core/vuart.c
unit_srcs_vmid := arch/riscv/vmid.c

UNIT_BINS := $(addprefix $(UNIT_OUT)/test_,$(UNIT_TESTS))
UNIT_DTBS := $(patsubst $(UNIT_DIR)/dts/%.dts,$(UNIT_OUT)/dts/%.dtb,\
	$(wildcard $(UNIT_DIR)/dts/*.dts))
UNIT_STUBS := $(UNIT_OUT)/obj/$(UNIT_DIR)/stubs.o
UNIT_OBJS := $(UNIT_STUBS) \
	$(patsubst %.c,$(UNIT_OUT)/obj/%.o,$(sort \
	$(foreach t,$(UNIT_TESTS),$(UNIT_DIR)/test_$(t).c $(unit_srcs_$(t)))))

# core/string.c defines memcpy & co.: rename them so that the host libc
# stays in charge and the test can compare the two.
$(UNIT_OUT)/obj/core/string.o: UNIT_EXTRA := \
	-include $(UNIT_DIR)/l0_string_rename.h \
	-fno-builtin -fno-tree-loop-distribute-patterns

$(HOST_LIBFDT_A) $(HOST_LIBFDT_H): $(HOST_LIBFDT_LOCK) | deps
	@L0_LOCK=$(HOST_LIBFDT_LOCK) python3 tests/setup/debpin.py unpack \
		libfdt-dev $(HOST_LIBFDT_ROOT)
	@touch $(HOST_LIBFDT_A) $(HOST_LIBFDT_H)

$(UNIT_OUT)/obj/%.o: %.c | deps $(HOST_LIBFDT_H)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $<"
	@$(UNIT_CC) $(UNIT_CFLAGS) $(UNIT_EXTRA) -c $< -o $@

define unit_link_rule
$(UNIT_OUT)/test_$(1): $(UNIT_OUT)/obj/$(UNIT_DIR)/test_$(1).o $(UNIT_STUBS) \
		$(patsubst %.c,$(UNIT_OUT)/obj/%.o,$(unit_srcs_$(1))) \
		$(HOST_LIBFDT_A)
	@echo "  HOSTLD  $$@"
	@$(UNIT_CC) $(UNIT_CFLAGS) $$^ $(UNIT_LDLIBS) -o $$@
endef
$(foreach t,$(UNIT_TESTS),$(eval $(call unit_link_rule,$(t))))

$(UNIT_OUT)/dts/%.dtb: $(UNIT_DIR)/dts/%.dts \
		$(wildcard $(UNIT_DIR)/dts/*.dtsi) | deps
	@mkdir -p $(dir $@)
	@echo "  DTC     $<"
	@dtc -q -I dts -O dtb -o $@ $<

# It includes the example of configs/.
$(UNIT_OUT)/dts/guests-example.dtb: configs/guests-example.dts

.PHONY: unit-test
unit-test: deps $(UNIT_BINS) $(UNIT_DTBS)
	@$(UNIT_DIR)/run.sh $(UNIT_BINS)

-include $(UNIT_OBJS:.o=.d)
