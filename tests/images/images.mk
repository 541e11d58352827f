# Guest images from Debian's riscv64 packages, and the reference run.
# Included by the top Makefile, which defines 'deps' (host packages).
# See docs/images.md.
#
# Everything lands in the git-ignored .cache/, so 'make clean' (build/) forces
# no download. Each output depends on the lock and on the scripts and files it
# is made from, so a second run rebuilds only what changed.

IMAGES_DIR := tests/images
IMAGES_OUT := .cache/images
IMAGES_UNP := .cache/unpacked
IMAGES_LOCK := tests/setup/packages.lock

export L1_KERNEL := $(IMAGES_OUT)/Image-6.12
export L1_INITRD := $(IMAGES_OUT)/l1.cpio.gz
export L1_INITRD_SMP := $(IMAGES_OUT)/l1-smp.cpio.gz
export L1_INITRD_SHELL := $(IMAGES_OUT)/l1-shell.cpio.gz
export L1_KERNEL_7_2 := $(IMAGES_OUT)/Image-7.2
export L1_INITRD_7_2 := $(IMAGES_OUT)/l1-k7.2.cpio.gz
export L2_KERNEL := $(IMAGES_OUT)/Image-6.12
export L2_INITRD := $(IMAGES_OUT)/l2.cpio.gz
export L2_INITRD_SHELL := $(IMAGES_OUT)/l2-shell.cpio.gz
export L2_INITRD_BLK := $(IMAGES_OUT)/l2-blk.cpio.gz
export L2_INITRD_PMU := $(IMAGES_OUT)/l2-pmu.cpio.gz
export VDA_INITRD := $(IMAGES_OUT)/vda.cpio.gz
export L1_DISK_IMAGE := $(IMAGES_OUT)/l1-disk.img
export L2_DISK_IMAGE := $(IMAGES_OUT)/l2-disk.img

IMAGE_FILES := $(L1_KERNEL) $(L1_KERNEL_7_2) $(L2_INITRD) $(L2_INITRD_SHELL) \
	$(L2_INITRD_BLK) $(L2_INITRD_PMU) \
	$(L1_INITRD) $(L1_INITRD_SMP) $(L1_INITRD_SHELL) $(L1_INITRD_7_2) \
	$(VDA_INITRD) $(L1_DISK_IMAGE)

.PHONY: images lock test-reference bench-reference
images: $(IMAGE_FILES)

# Unpacked packages, one tree per use. debpin.py fetches each .deb once into
# .cache/debs and refuses one whose SHA256 differs from the lock.
IMAGES_UNPACK := $(IMAGES_DIR)/unpack.sh
$(IMAGES_UNP)/busybox/.done: $(IMAGES_LOCK) $(IMAGES_UNPACK) | deps
	$(IMAGES_UNPACK) $(@D) busybox-static
$(IMAGES_UNP)/k6.12/.done: $(IMAGES_LOCK) $(IMAGES_UNPACK) | deps
	$(IMAGES_UNPACK) $(@D) 'linux-image-6.12.*'
$(IMAGES_UNP)/k7.2/.done: $(IMAGES_LOCK) $(IMAGES_UNPACK) | deps
	$(IMAGES_UNPACK) $(@D) 'linux-binary-7.2.*' 'linux-modules-7.2.*'
$(IMAGES_UNP)/vmm/.done: $(IMAGES_LOCK) $(IMAGES_UNPACK) | deps
	$(IMAGES_UNPACK) $(@D) qemu-system-riscv @libs:qemu-system-riscv

$(IMAGES_OUT)/Image-%: $(IMAGES_UNP)/k%/.done $(IMAGES_DIR)/kernel.sh
	@mkdir -p $(@D)
	$(IMAGES_DIR)/kernel.sh $(<D) $@

IMAGES_L2_DEPS := $(IMAGES_UNP)/busybox/.done \
	$(IMAGES_DIR)/build-l2.sh $(IMAGES_DIR)/l2/init \
	$(IMAGES_DIR)/lib.sh $(IMAGES_DIR)/mkcpio.sh
$(L2_INITRD): $(IMAGES_L2_DEPS)
	$(IMAGES_DIR)/build-l2.sh $@ run
$(L2_INITRD_SHELL): $(IMAGES_L2_DEPS)
	$(IMAGES_DIR)/build-l2.sh $@ shell
$(L2_INITRD_BLK): $(IMAGES_L2_DEPS) $(IMAGES_UNP)/k6.12/.done
	$(IMAGES_DIR)/build-l2.sh $@ blk $(IMAGES_UNP)/k6.12

# perf-count (l2/perf-count.c), L2's program for the SBI PMU: a static
# Linux executable without libc, made by the cross compiler at build time.
IMAGES_PERF_COUNT := $(IMAGES_OUT)/perf-count
IMAGES_PERF_CFLAGS = $(ARCH_FLAGS) -std=gnu11 -O2 -Wall -Wextra -Werror \
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns \
	-fno-stack-protector -fno-pie -no-pie -static -nostdlib -mno-relax
$(IMAGES_PERF_COUNT): $(IMAGES_DIR)/l2/perf-count.c | deps
	@mkdir -p $(@D)
	$(CC) $(IMAGES_PERF_CFLAGS) -o $@ $<
$(L2_INITRD_PMU): $(IMAGES_L2_DEPS) $(IMAGES_PERF_COUNT)
	$(IMAGES_DIR)/build-l2.sh $@ pmu $(IMAGES_PERF_COUNT)

# Root filesystems on /dev/vda: the initramfs that mounts them (the 6.12
# kernel's virtio and ext4 are modules), L2's disk, and L1's disk holding it.
$(VDA_INITRD): $(IMAGES_UNP)/busybox/.done $(IMAGES_UNP)/k6.12/.done \
	$(IMAGES_DIR)/build-vda.sh $(IMAGES_DIR)/vda/init $(IMAGES_DIR)/vda/modules \
	$(IMAGES_DIR)/lib.sh $(IMAGES_DIR)/mkcpio.sh
	$(IMAGES_DIR)/build-vda.sh $@ $(IMAGES_UNP)/k6.12
IMAGES_DISK_DEPS := $(IMAGES_DIR)/disknet $(IMAGES_DIR)/mkext4.sh
$(L2_DISK_IMAGE): $(IMAGES_L2_DEPS) $(IMAGES_DISK_DEPS)
	$(IMAGES_DIR)/build-l2.sh $@ disk

# build-l1.sh OUT MODE L2_SMP L1_KERNEL_TREE L2_KERNEL L2_INITRD L2_SHELL_INITRD
IMAGES_L2_FILES := $(L2_KERNEL) $(L2_INITRD) $(L2_INITRD_SHELL)
IMAGES_L1_DEPS := $(IMAGES_UNP)/busybox/.done $(IMAGES_UNP)/vmm/.done \
	$(IMAGES_L2_FILES) \
	$(IMAGES_DIR)/build-l1.sh $(IMAGES_DIR)/l1/init $(IMAGES_DIR)/l1/run-l2 \
	$(IMAGES_DIR)/elfdeps.py $(IMAGES_DIR)/lib.sh $(IMAGES_DIR)/mkcpio.sh
IMAGES_BUILD_L1 := $(IMAGES_DIR)/build-l1.sh
$(L1_INITRD): $(IMAGES_L1_DEPS) $(IMAGES_UNP)/k6.12/.done
	$(IMAGES_BUILD_L1) $@ run 1 $(IMAGES_UNP)/k6.12 $(IMAGES_L2_FILES)
$(L1_INITRD_SMP): $(IMAGES_L1_DEPS) $(IMAGES_UNP)/k6.12/.done
	$(IMAGES_BUILD_L1) $@ run 2 $(IMAGES_UNP)/k6.12 $(IMAGES_L2_FILES)
$(L1_INITRD_SHELL): $(IMAGES_L1_DEPS) $(IMAGES_UNP)/k6.12/.done
	$(IMAGES_BUILD_L1) $@ shell 1 $(IMAGES_UNP)/k6.12 $(IMAGES_L2_FILES)
$(L1_INITRD_7_2): $(IMAGES_L1_DEPS) $(IMAGES_UNP)/k7.2/.done
	$(IMAGES_BUILD_L1) $@ run 1 $(IMAGES_UNP)/k7.2 $(IMAGES_L2_FILES)
$(L1_DISK_IMAGE): $(IMAGES_L1_DEPS) $(IMAGES_UNP)/k6.12/.done $(IMAGES_DISK_DEPS) \
	$(VDA_INITRD) $(L2_DISK_IMAGE)
	$(IMAGES_BUILD_L1) $@ disk 1 $(IMAGES_UNP)/k6.12 $(L2_KERNEL) \
		$(VDA_INITRD) $(L2_DISK_IMAGE)

# Regenerate the lock from the archive's index. Never part of 'make test'.
lock: | deps
	python3 tests/setup/lock-refresh.py

test-reference: images | deps
	tests/reference/run.sh

bench-reference: images | deps
	tests/bench/reference.sh
