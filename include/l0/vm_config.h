/* SPDX-License-Identifier: MIT */
/*
 * Guest configuration, read from a device tree in the spirit of Xen's
 * dom0less bindings (configs/guests-example.dts, documented in
 * docs/guests.md):
 *
 *   / { guests {
 *         linux0 {
 *             compatible = "l0,guest";
 *             vcpus = <2>;
 *             memory = <0x0 0x10000000>;   // bytes, 64-bit
 *             harts = <0 1>;               // host harts it may run on
 *             kernel = "Image";            // file in L0's initrd archive
 *             initrd = "rootfs.cpio.gz";   // optional
 *             bootargs = "console=ttyS0";  // optional
 *             nested;                      // optional: give it the H extension
 *             nested-hgatp = "sv39x4";     // optional: its largest G-stage
 *             nested-nacl-off;             // optional: no SBI NACL for it
 *             direct-map;                  // optional: RAM at GPA = HPA
 *             passthrough = "/soc/virtio_mmio@10008000"; // host nodes it
 *                                          // owns (needs direct-map)
 *         };
 *   }; };
 */
#ifndef L0_VM_CONFIG_H
#define L0_VM_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VM_MAX 8
#define VM_NAME_MAX 32
#define VM_FILE_MAX 64
#define VM_BOOTARGS_MAX 256
#define VM_MAX_VCPUS 8
#define VM_PASSTHROUGH_MAX 8 /* host device-tree nodes one guest owns */
#define VM_PATH_MAX 128	     /* a host device-tree path, with its NUL */

struct vm_config {
	char name[VM_NAME_MAX];
	uint64_t memory;
	uint64_t hart_mask; /* host hart ids it may run on */
	char kernel[VM_FILE_MAX];
	char initrd[VM_FILE_MAX]; /* "" when none */
	char bootargs[VM_BOOTARGS_MAX];
	unsigned int vcpus;
	bool nested;
	uint8_t nested_hgatp_max; /* largest hgatp MODE L1 may use: 8 or 9 */
	bool nested_nacl_off;	  /* nested, without SBI nested acceleration */
	bool direct_map;	  /* RAM at guest-physical = host-physical */
	/* Host device-tree paths the guest owns (checked by passthrough.c). */
	char passthrough[VM_PASSTHROUGH_MAX][VM_PATH_MAX];
	unsigned int npassthrough;
};

/*
 * Parse every enabled child of /guests in `fdt` into `cfg` (room for `max`).
 * Returns the number of guests (0 without /guests), or -1 with a one-line
 * reason in `err` that names the node and property at fault, e.g.
 * "guests/linux0: memory: must be a multiple of 2 MiB". The blob is checked
 * (fdt_check_full) up to its fdt_totalsize(), which the caller must have
 * checked against the buffer it read the blob into.
 */
int vm_config_parse(const void *fdt, struct vm_config *cfg, size_t max,
		    char *err, size_t errlen);

#endif
