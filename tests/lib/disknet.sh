# shellcheck shell=bash
# Shared by the runners of the disk images (source it after runner.sh): the
# host's HTTP server, the guest's disk copy, QEMU's devices, and the checks
# of the disknet lines (tests/images/disknet). The caller defines
# check NAME WHAT REGEX, as the runners do.

# The bench's knobs: the size of the file the guests fetch (MiB), and more
# disknet.* words for L1's command line (disknet.read=256).
DISKNET_MIB=${DISKNET_MIB:-16}
DISKNET_ARGS=${DISKNET_ARGS:-}

# httpd_start DIR MIB: a file of MIB MiB of random bytes, DIR/blob, served by
# tests/lib/httpd.py on the host's loopback. Sets HTTP_ARG (the guest's
# disknet.http= parameter: the gateway of QEMU's user network, which is the
# host's loopback, and the port), HTTP_SHA (the file's SHA-256) and
# HTTP_PID. httpd_stop ends it; so does the caller's exit.
httpd_start() {
	local dir=$1 mib=$2 port= i
	mkdir -p "$dir"
	head -c "$((mib << 20))" /dev/urandom >"$dir/blob"
	HTTP_SHA=$(sha256sum "$dir/blob" | cut -d ' ' -f 1)
	python3 "$TOP/tests/lib/httpd.py" "$dir" >"$dir.port" &
	HTTP_PID=$!
	trap httpd_stop EXIT
	for i in $(seq 50); do
		port=$(head -n 1 "$dir.port")
		[ -n "$port" ] && break
		sleep 0.1
	done
	[ -n "$port" ] || { echo "disknet: the HTTP server did not start" >&2; return 1; }
	HTTP_ARG=disknet.http=10.0.2.2:$port/blob
}

httpd_stop() {
	[ -z "${HTTP_PID:-}" ] || kill "$HTTP_PID" 2>/dev/null
	HTTP_PID=
}

# disk_copy IMAGE COPY: a fresh copy for one run (the guests write to it;
# the cached image stays as built). Sparse, so it costs little.
disk_copy() {
	mkdir -p "$(dirname "$2")"
	cp --sparse=always "$1" "$2"
}

# disknet_devices FILE: QEMU's devices for a run on bare QEMU, into the
# array DISKNET_DEVICES: as tests/boot/qemu.sh --disk FILE --net adds them
# (the disk at virtio_mmio@10008000, the NIC at virtio_mmio@10007000).
disknet_devices() {
	DISKNET_DEVICES=(-drive "file=$1,format=raw,if=none,id=hd0"
		-device virtio-blk-device,drive=hd0,bus=virtio-mmio-bus.7
		-netdev user,id=net0 -device virtio-net-device,netdev=net0,bus=virtio-mmio-bus.6)
}

# check_disknet NAME PREFIX nested|plain: the disk images' lines, each after
# PREFIX (what L0 puts before its guest's lines, or nothing).
check_disknet() {
	local name=$1 p=$2 kind=$3 sha=$HTTP_SHA
	check "$name" "L1's initramfs mounts /dev/vda and starts its /sbin/init" \
		"${p}vda: root /dev/vda mounted, starting /sbin/init$GUEST_EOL"
	check "$name" "L1's root is /dev/vda, ext4, read-write" "${p}L1: root /dev/vda ext4 rw$GUEST_EOL"
	check "$name" "L1's virtio-net is up on the user network" "${p}L1: eth0 10.0.2.15/24 up$GUEST_EOL"
	check "$name" "L1 fetches the host's file over HTTP (SHA-256 matches)" \
		"${p}L1: http sha256=$sha seconds=[0-9.]+$GUEST_EOL"
	if [ "$kind" = plain ]; then
		check "$name" "L1 ends as a plain guest" "${p}L1: done, no L2 \(disknet.l2=0\)$GUEST_EOL"
	else
		check "$name" "L2 boots under L1's KVM" "${p}L2: start cpus=1$GUEST_EOL"
		check "$name" "L2's root is its disk image, ext4, read-write" "${p}L2: root /dev/vda ext4 rw$GUEST_EOL"
		check "$name" "L2's virtio-net is up on L1 QEMU's user network" "${p}L2: eth0 10.0.2.15/24 up$GUEST_EOL"
		check "$name" "L2 fetches the host's file through L1 (SHA-256 matches)" \
			"${p}L2: http sha256=$sha seconds=[0-9.]+$GUEST_EOL"
		check "$name" "L2 writes its file to its disk" \
			"${p}L2: wrote /disknet-file, read back sha256=[0-9a-f]{64}$GUEST_EOL"
		check "$name" "L2 exits with status 0" "${p}L1: L2 exit status 0$GUEST_EOL"
		check "$name" "L1 reads L2's file back from L2's disk image" \
			"${p}L1: L2's disk image holds its /disknet-file \(sha256=[0-9a-f]{64}\)$GUEST_EOL"
		local l2sum l1sum
		l2sum=$(grep -m1 -oE 'L2: wrote /disknet-file, read back sha256=[0-9a-f]{64}' "$log" | grep -oE '[0-9a-f]{64}$')
		l1sum=$(grep -m1 -oE "L1: L2's disk image holds its /disknet-file \(sha256=[0-9a-f]{64}" "$log" | grep -oE '[0-9a-f]{64}$')
		if [ -n "$l2sum" ] && [ "$l2sum" = "$l1sum" ]; then
			pass "$name: what L2 reads back from its disk is what L1 reads"
		else
			fail "$name: what L2 reads back from its disk is what L1 reads" "L2 ${l2sum:-none}, L1 ${l1sum:-none}"
		fi
	fi
	if grep -qE '(L1|L2|vda): FAIL' "$log"; then
		fail "$name: no guest reports a failure" "$(grep -m1 -oE '(L1|L2|vda): FAIL.*' "$log")"
	else
		pass "$name: no guest reports a failure"
	fi
}
