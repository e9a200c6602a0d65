# SPDX-License-Identifier: GPL-2.0-only
# tests/lab/power/lib.sh - what the POWER lab's scripts share: build psvm for ppc64le, fetch
# Debian's ppc64el packages (cached per version), assemble initramfs, machine arguments.
# Sourced by tests/lab/power/run and tests/bench/power-boot.

LAB_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)
LAB_HERE=$LAB_ROOT/tests/lab/power
CACHE=${PSVM_CACHE:-$HOME/.cache/psvm}
BUILD=$LAB_ROOT/build/lab/ppc64
ARCH=powerpc64le-linux-gnu
LAB_T0=$(date +%s%N)

lab_elapsed_ms() { echo $((($(date +%s%N) - LAB_T0) / 1000000)); }
note() { echo "# [$(printf '%6.1f' "$(echo "$(lab_elapsed_ms) / 1000" | bc -l)")s] $*"; }

# Build psvm (static) and the given extra targets for ppc64le.
lab_build() {
	local cross
	cross=$("$LAB_ROOT"/tests/setup.sh --print-cross) || return 1
	note "building psvm and guest payloads for ppc64le"
	if [ ! -f "$BUILD/build.ninja" ]; then
		meson setup "$BUILD" "$LAB_ROOT" --cross-file "$cross" -Dstatic=true -Dwerror=true \
			>/dev/null || return 1
	fi
	ninja -C "$BUILD" psvm "$@" >/dev/null
}

# Extract a Debian ppc64el package once per version; prints the extraction dir.
debdir() {
	local pkg=$1 ver dir
	ver=$(apt-cache policy "$pkg:ppc64el" | awk '/Candidate:/ {print $2}')
	if [ -z "$ver" ] || [ "$ver" = "(none)" ]; then
		echo "no $pkg:ppc64el in apt (run tests/setup.sh)" >&2
		return 1
	fi
	dir=$CACHE/debs/${pkg}_${ver//[:~+]/_}
	if [ ! -f "$dir/.done" ]; then
		rm -rf "$dir" && mkdir -p "$dir"
		(cd "$dir" && apt-get download "$pkg:ppc64el=$ver" >/dev/null 2>&1 &&
			dpkg-deb -x ./*.deb x && rm -f ./*.deb) ||
			{ echo "cannot download $pkg:ppc64el $ver" >&2; return 1; }
		touch "$dir/.done"
	fi
	echo "$dir/x"
}

# The L1/L2 kernel and busybox: sets KX KVER VMLINUX MODS BB.
lab_fetch() {
	local kpkg
	kpkg=${LAB_KPKG:-$(apt-cache pkgnames linux-image-6.12 |
		grep -E '^linux-image-6\.12\.[0-9]+\+deb12-powerpc64le$' | sort -V | tail -1)}
	[ -n "$kpkg" ] || { echo "Bail out! no Debian ppc64el 6.12 kernel package found"; return 1; }
	note "Debian packages: $kpkg, busybox-static"
	KX=$(debdir "$kpkg") || return 1
	BB=$(debdir busybox-static)/bin/busybox || return 1
	KVER=$(ls "$KX/lib/modules")
	VMLINUX=$KX/boot/vmlinux-$KVER
	MODS=$KX/lib/modules/$KVER/kernel
}

# A busybox root with the given /init.
mkroot() {
	rm -rf "$1" && mkdir -p "$1"/{bin,proc,sys,dev,tmp,lib/modules}
	cp "$BB" "$1/bin/busybox"
	for a in sh mount cat grep sed ls sleep cut insmod poweroff echo timeout tr awk head tail \
		readlink basename dirname dd md5sum yes ip ping usleep taskset nproc; do
		ln -s busybox "$1/bin/$a"
	done
	cp "$2" "$1/init" && chmod +x "$1/init"
}

cpio_gz() { (cd "$1" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$2"; }

# L1 root in $1 with init $2: KVM modules, psvm, payloads, the L2 kernel and initramfs.
lab_assemble() {
	local root=$1 init=$2 out
	out=$(dirname "$root")
	note "assembling initramfs (kernel $KVER)"
	mkroot "$out/l2root" "$LAB_HERE/l2-init"
	# the L2 binds edu to nvme: a driver that asks for 64-bit DMA, hence a DDW
	for m in drivers/nvme/common/nvme-auth drivers/nvme/host/nvme-core drivers/nvme/host/nvme \
		drivers/net/ethernet/intel/e1000e/e1000e; do
		xz -dc "$MODS/$m.ko.xz" >"$out/l2root/lib/modules/$(basename $m).ko"
	done
	mkroot "$root" "$init"
	for m in arch/powerpc/kvm/kvm arch/powerpc/kvm/kvm-hv drivers/vfio/vfio \
		drivers/vfio/vfio_iommu_spapr_tce drivers/vfio/pci/vfio-pci-core drivers/vfio/pci/vfio-pci; do
		xz -dc "$MODS/$m.ko.xz" >"$root/lib/modules/$(basename $m).ko"
	done
	$ARCH-strip -o "$root/bin/psvm" "$BUILD/psvm"
	for t in iommufd-edu-test kvm-tce-link-test iommufd-replace-test iommufd-faults-test \
		iommufd-pes-test; do
		[ ! -f "$BUILD/tests/iommufd/$t" ] || $ARCH-strip -o "$root/bin/$t" "$BUILD/tests/iommufd/$t"
	done
	mkdir -p "$root/guest" "$root/l2"
	cp "$BUILD"/tests/guest/guest-* "$BUILD"/tests/guest/bootrom.bin "$root/guest/" 2>/dev/null || true
	rm -rf "$root"/guest/*.p
	$ARCH-strip -o "$root/l2/vmlinux" "$VMLINUX"
	cpio_gz "$out/l2root" "$root/l2/initrd.gz"
}

# edu's DMA engine reaches the whole 64-bit bus (DDWs live at 2^59), not just 256 MiB
EDU_OPTS=dma_mask=0xffffffffffffffff

# Real PCIe devices Linux drives with its own drivers, each behind a PHB of its own, when
# LAB_NVME_IMG names the NVMe namespace's backing file: QEMU's NVMe controller and an
# e1000e NIC (MSI-X) on user networking, whose gateway 10.0.2.2 answers pings.
io_devices() { # pseries | powernv9
	[ -n "${LAB_NVME_IMG:-}" ] || return 0
	local nvme_bus=pcie.2 nic_bus=pcie.3
	if [ "$1" = pseries ]; then
		echo "-device spapr-pci-host-bridge,index=2,id=phb2 -device spapr-pci-host-bridge,index=3,id=phb3"
		nvme_bus=phb2.0 nic_bus=phb3.0
	fi
	echo "-drive file=$LAB_NVME_IMG,if=none,id=nvd,format=raw -device nvme,serial=psvm0,drive=nvd,bus=$nvme_bus,addr=0" \
		"-netdev user,id=n0 -device e1000e,netdev=n0,bus=$nic_bus,addr=0"
}

# A second edu behind a PHB of its own (another PE), when LAB_EDU2 is set: after the
# first in the L1's PCI order, so that edu stays the one every other test drives.
edu2() { # pseries | powernv9
	[ -n "${LAB_EDU2:-}" ] || return 0
	case $1 in
	pseries) echo "-device spapr-pci-host-bridge,index=4,id=phb4,pgsz=0x1211000" \
		"-device edu,bus=phb4.0,addr=0,$EDU_OPTS" ;;
	*) echo "-device edu,bus=pcie.4,addr=0,$EDU_OPTS" ;;
	esac
}

machine_args() {
	case $1 in
	pseries-p9 | pseries-p10)
		local cpu=POWER9
		[ "$1" = pseries-p10 ] && cpu=POWER10
		# edu on a PHB of its own (its own IOMMU group), DDW page sizes 4K 64K 2M 16M
		# 2 CPUs: under TCG's nested KVM-HV an L2 vCPU that spins (on a lock its other
		# vCPU holds, while that one waits for psvm) is not preempted for the L1, and a
		# 1-CPU L1 then never runs again; a partition has more than one CPU anyway
		echo "-M pseries,x-vof=on,cap-nested-hv=on,cap-cfpc=broken,cap-sbbc=broken,cap-ibs=broken,cap-ccf-assist=off -cpu $cpu -smp 2 -nodefaults -serial mon:stdio" \
			"-device spapr-pci-host-bridge,index=1,id=phb1,pgsz=0x1211000 -device edu,bus=phb1.0,addr=0,$EDU_OPTS" \
			"$(io_devices pseries) $(edu2 pseries)"
		;;
	powernv9) echo "-M powernv9 -cpu power9_v2.2 -smp 1 -device edu,bus=pcie.1,addr=0,$EDU_OPTS $(io_devices powernv9) $(edu2 powernv9)" ;;
	*) return 1 ;;
	esac
}

# Boot an L1: machine, initramfs, extra kernel arguments, log file, timeout (s).
lab_boot() {
	local args
	args=$(machine_args "$1") || { echo "Bail out! unknown machine $1"; return 1; }
	# shellcheck disable=SC2086
	# LAB_L1_KERNEL: our own L1 (kernel-patch/ applied, drivers built in); L2s stay Debian's
	timeout --foreground -k 5 "$5" qemu-system-ppc64 $args ${LAB_QEMU_ARGS:-} -m 2G -accel tcg \
		-nographic -no-reboot -kernel "${LAB_L1_KERNEL:-$VMLINUX}" -initrd "$2" \
		-append "console=hvc0 quiet loglevel=4 $3" </dev/null >"$4" 2>&1
}
