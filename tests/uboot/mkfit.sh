#!/usr/bin/env bash
# mkfit.sh OUT_DIR L0_BIN INITRD L0_ADDR [FDT]  What 'make fit' makes for
# U-Boot's bootm: OUT_DIR/l0.itb, a FIT image with L0 (loaded and entered at
# L0_ADDR, 2 MiB-aligned: L0 runs wherever it is put), its guest archive as
# the ramdisk (used where U-Boot places it) and optionally an FDT; and
# OUT_DIR/boot.scr, a boot script for U-Boot's distro boot that loads
# l0.itb from the partition it was found on and boots it with the board's
# own FDT (the firmware's, with its reserved memory) unless the FIT has one.
# BOOTARGS (environment): L0's command line, e.g. l0.poweroff.
set -euo pipefail
out=$1 l0=$2 initrd=$3 addr=$4 fdt=${5:-}
mkdir -p "$out"
its=$out/l0.its
{
	cat <<ITS
/dts-v1/;

/ {
	description = "L0 hypervisor and its guest archive";
	#address-cells = <1>;

	images {
		l0 {
			description = "L0";
			data = /incbin/("$(realpath "$l0")");
			type = "kernel";
			arch = "riscv";
			os = "linux";
			compression = "none";
			load = /bits/ 64 <$addr>;
			entry = /bits/ 64 <$addr>;
			hash { algo = "sha256"; };
		};
		guests {
			description = "L0's initrd: guests.dtb and the guests' files";
			data = /incbin/("$(realpath "$initrd")");
			type = "ramdisk";
			arch = "riscv";
			os = "linux";
			compression = "none";
			hash { algo = "sha256"; };
		};
ITS
	if [ -n "$fdt" ]; then
		cat <<ITS
		fdt {
			description = "the board's device tree";
			data = /incbin/("$(realpath "$fdt")");
			type = "flat_dt";
			arch = "riscv";
			compression = "none";
			hash { algo = "sha256"; };
		};
ITS
	fi
	cat <<ITS
	};

	configurations {
		default = "l0";
		l0 {
			description = "L0 with its guests";
			kernel = "l0";
			ramdisk = "guests";
			${fdt:+fdt = \"fdt\";}
		};
	};
};
ITS
} >"$its"
mkimage -q -f "$its" "$out/l0.itb"
# The second bootm argument names the FIT's ramdisk; the third the FDT:
# the FIT's own, else the one U-Boot runs with (the firmware's).
if [ -n "$fdt" ]; then
	fdt_arg='${kernel_addr_r}'
else
	fdt_arg='${fdtcontroladdr}'
fi
cat >"$out/boot.cmd" <<CMD
# L0's boot script (tests/uboot/mkfit.sh): load l0.itb, then bootm.
setenv bootargs "${BOOTARGS:-}"
load \${devtype} \${devnum}:\${distro_bootpart} \${kernel_addr_r} l0.itb
bootm \${kernel_addr_r} \${kernel_addr_r} $fdt_arg
CMD
mkimage -q -A riscv -O linux -T script -C none -n "L0 boot script" \
	-d "$out/boot.cmd" "$out/boot.scr" >/dev/null
