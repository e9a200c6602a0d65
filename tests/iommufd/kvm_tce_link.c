// SPDX-License-Identifier: GPL-2.0-only
/*
 * kvm-tce-link-test CDEV: kernel-patch/ 0028-0029's uAPI, KVM's VFIO device linking KVM TCE
 * tables to the windows of an iommufd device's paging HWPT (tier 0 for iommufd), with a
 * device bound to vfio-pci (edu in the POWER lab). No vCPU: what the hcalls do through a
 * link is the lab's edu and tce-bench tests; this checks the rules of the attributes:
 * sizes and flags (argsz, a longer struct's tail), who may pin (the VM's mm), the bound
 * on one call, which file, iommufd and HWPT, which window, and that a linked window is
 * KVM's alone (the IOAS maps nothing there) until the table closes or the file leaves.
 * TAP; exits 77 where the kernel has no such attributes.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "iommufd.h"
#include "map.h"
#include "map_iommufd.h"
#include "tap.h"
#include "uapi_kpatch.h"
#include "vfio_cdev.h"

#define RAM	(4UL << 20)	/* the "guest RAM" registered */
#define WIN	(256ULL << 20)	/* each window, and the tables over them */

static int vdev;	/* KVM's VFIO device */

static int set_attr(uint32_t group, uint64_t attr, const void *arg)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)arg };

	return ioctl(vdev, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

static int file_attr(uint64_t attr, int fd)
{
	int32_t f = fd;

	return set_attr(KVM_DEV_VFIO_FILE, attr, &f);
}

/* A struct with room for a tail after it, as a newer userspace would pass */
struct memory_long {
	struct kvm_vfio_spapr_memory m;
	uint64_t tail;
};

static int memory(uint64_t attr, uint64_t vaddr, uint64_t size, uint32_t argsz,
		  uint32_t flags, uint64_t tail)
{
	struct memory_long l = { .m = { .argsz = argsz, .flags = flags, .vaddr = vaddr,
					 .size = size },
				 .tail = tail };

	return set_attr(KVM_DEV_VFIO_SPAPR_MEMORY, attr, &l);
}

static int reg(uint64_t vaddr, uint64_t size)
{
	return memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, vaddr, size,
		      sizeof(struct kvm_vfio_spapr_memory), 0, 0);
}

struct link_long {
	struct kvm_vfio_spapr_tce_iommufd l;
	uint64_t tail;
};

static struct kvm_vfio_spapr_tce_iommufd good;

static int link_with(struct kvm_vfio_spapr_tce_iommufd l, uint32_t argsz, uint64_t tail)
{
	struct link_long x = { .l = l, .tail = tail };

	x.l.argsz = argsz;
	return set_attr(KVM_DEV_VFIO_FILE, KVM_DEV_VFIO_FILE_SET_SPAPR_TCE_IOMMUFD, &x);
}

static int link_table(int tablefd)
{
	struct kvm_vfio_spapr_tce_iommufd l = good;

	l.tablefd = tablefd;
	return link_with(l, sizeof(l), 0);
}

static int table(int vm, uint32_t liobn, uint64_t bus)
{
	struct kvm_create_spapr_tce_64 c = { .liobn = liobn, .page_shift = 12,
					     .offset = bus >> 12, .size = WIN >> 12 };

	return ioctl(vm, KVM_CREATE_SPAPR_TCE_64, &c);
}

static int map_at(int fd, uint32_t ioas, uint64_t iova, void *buf)
{
	return iommufd_ioas_map(fd, ioas, iova, (uintptr_t)buf, 0x10000,
				MAP_PROT_READ | MAP_PROT_WRITE);
}

/*
 * Another process (a fork: another mm) may not pin for the VM: KVM refuses every device
 * ioctl from outside the VM's mm (EIO) before the attribute's own check (EPERM) is reached
 */
static int register_from_child(uint64_t vaddr)
{
	int st;
	pid_t p = fork();

	if (!p)
		_exit(-reg(vaddr, RAM) == EIO ? 0 : 1);
	return p > 0 && waitpid(p, &st, 0) == p && WIFEXITED(st) && !WEXITSTATUS(st);
}

int main(int argc, char **argv)
{
	struct kvm_device_attr has_link = { .group = KVM_DEV_VFIO_FILE,
					    .attr = KVM_DEV_VFIO_FILE_SET_SPAPR_TCE_IOMMUFD };
	struct kvm_device_attr has_mem = { .group = KVM_DEV_VFIO_SPAPR_MEMORY,
					   .attr = KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER };
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };
	struct iommufd_spapr_window win[IOMMUFD_SPAPR_WINDOWS] = { 0 };
	struct iommu_hw_info_spapr_tce hw;
	uint32_t dev_id, ioas, hwpt;
	int kvm, vm, devfd, fd, fd2, t32, t32b, t64, tbad;
	uint64_t w32, bus64, v;
	char err[256];
	uint8_t *ram;
	struct kvm_vfio_spapr_tce_iommufd l;

	if (argc != 2) {
		fprintf(stderr, "usage: kvm-tce-link-test /dev/vfio/devices/vfioN\n");
		return 2;
	}
	kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	vm = kvm < 0 ? -1 : ioctl(kvm, KVM_CREATE_VM, KVM_VM_PPC_HV);
	if (vm < 0 || ioctl(vm, KVM_CREATE_DEVICE, &cd)) {
		printf("1..0 # SKIP no KVM VM with a VFIO device here\n");
		return 77;
	}
	vdev = (int)cd.fd;
	if (ioctl(vdev, KVM_HAS_DEVICE_ATTR, &has_link) ||
	    ioctl(vdev, KVM_HAS_DEVICE_ATTR, &has_mem)) {
		printf("1..0 # SKIP KVM links no TCE table to iommufd devices (kernel-patch/ 0029)\n");
		return 77;
	}
	printf("1..15\n");
	ok(1, "KVM's VFIO device has SET_SPAPR_TCE_IOMMUFD and SPAPR_MEMORY_REGISTER");

	/* pre-registration */
	ram = mmap(NULL, RAM, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return 1;
	memset(ram, 1, RAM);
	v = (uintptr_t)ram;
	ok(memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, v, RAM, 8, 0, 0) == -EINVAL &&
		   memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, v, RAM,
			  sizeof(struct kvm_vfio_spapr_memory), 1, 0) == -EINVAL &&
		   memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, v, RAM, sizeof(struct memory_long),
			  0, 1) == -E2BIG &&
		   memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER + 7, v, RAM,
			  sizeof(struct kvm_vfio_spapr_memory), 0, 0) == -ENXIO,
	   "register: short argsz, flags -> EINVAL; a longer struct's non-zero tail -> E2BIG; "
	   "an unknown attribute -> ENXIO");
	ok(reg(v + 1, RAM) == -EINVAL && reg(v, 0) == -EINVAL &&
		   reg(v, KVM_DEV_VFIO_SPAPR_MEMORY_MAX + 0x10000) == -E2BIG,
	   "register: unaligned or empty -> EINVAL; over KVM_DEV_VFIO_SPAPR_MEMORY_MAX -> E2BIG");
	ok(register_from_child(v), "register from another mm (a fork) -> EIO");
	ok(memory(KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, v, RAM, sizeof(struct memory_long), 0,
		  0) == 0 &&
		   reg(v, RAM) == -EBUSY &&
		   memory(KVM_DEV_VFIO_SPAPR_MEMORY_UNREGISTER, v, RAM / 2,
			  sizeof(struct kvm_vfio_spapr_memory), 0, 0) == -ENOENT,
	   "register (a longer struct, zero tail) -> 0; the same range again -> EBUSY; "
	   "unregister of a range not registered -> ENOENT");

	/* the device: added to KVM before it is bound, on one HWPT with both windows */
	devfd = open(argv[1], O_RDWR | O_CLOEXEC);
	fd = iommufd_open(err, sizeof(err));
	fd2 = iommufd_open(err, sizeof(err));
	if (devfd < 0 || fd < 0 || fd2 < 0 || file_attr(KVM_DEV_VFIO_FILE_ADD, devfd) ||
	    vfio_cdev_bind(devfd, fd, &dev_id) || iommufd_ioas_alloc(fd, &ioas) ||
	    iommufd_spapr_hw_info(fd, dev_id, &hw, &w32) || hw.windows < 2) {
		ok(0, "%s: add to KVM, bind, IOAS, two sPAPR windows: %s", argv[1], strerror(errno));
		return 1;
	}
	bus64 = iommufd_spapr_dma64_start(&hw);
	win[0] = (struct iommufd_spapr_window){ .start = 0, .size = w32, .page_shift = 12 };
	win[1] = (struct iommufd_spapr_window){ .start = bus64, .size = WIN, .page_shift = 12 };
	ok(!iommufd_spapr_paging_alloc(fd, dev_id, ioas, win, hw.max_levels, &hwpt) &&
		   !vfio_cdev_attach(devfd, hwpt),
	   "a paging HWPT with the 32-bit window and a 64-bit one at %#llx, attached",
	   (unsigned long long)bus64);
	t32 = table(vm, 0x1001, 0);
	t32b = table(vm, 0x1002, 0);
	t64 = table(vm, 0x1003, bus64);
	tbad = table(vm, 0x1004, 1 << 20);
	good = (struct kvm_vfio_spapr_tce_iommufd){ .devfd = devfd, .tablefd = t32,
						    .iommufd = fd, .pt_id = hwpt };

	/* the link's rules */
	l = good;
	l.flags = 1;
	ok(link_with(good, 8, 0) == -EINVAL && link_with(l, sizeof(l), 0) == -EINVAL &&
		   link_with(good, sizeof(struct link_long), 1) == -E2BIG,
	   "link: short argsz, flags -> EINVAL; a longer struct's non-zero tail -> E2BIG");
	l = good;
	l.pt_id = ioas;
	ok(link_with(l, sizeof(l), 0) == -ENOENT, "link to a HWPT the device is not on -> ENOENT");
	l = good;
	l.iommufd = fd2;
	ok(link_with(l, sizeof(l), 0) == -EINVAL, "link through another iommufd -> EINVAL");
	l = good;
	l.devfd = fd;
	ok(link_with(l, sizeof(l), 0) == -ENOENT && link_table(devfd) == -EINVAL &&
		   link_table(tbad) == -EINVAL,
	   "a file KVM was not given -> ENOENT; a table fd that is none, or fits no window "
	   "(at 1 MiB) -> EINVAL");

	/* a linked window is KVM's alone */
	ok(link_table(t32) == 0 && link_table(t32b) == -EBUSY &&
		   map_at(fd, ioas, 0x100000, ram) == -EBUSY,
	   "link the 32-bit window -> 0; a second table there -> EBUSY; IOAS_MAP into it -> "
	   "EBUSY");
	ok(map_at(fd, ioas, bus64, ram) == 0 && link_table(t64) == -EBUSY &&
		   !iommufd_ioas_unmap(fd, ioas, bus64, 0x10000, NULL) && link_table(t64) == 0,
	   "the 64-bit window: mapped by the IOAS, no link (EBUSY); unmapped, linked");
	close(t32);
	ok(map_at(fd, ioas, 0x100000, ram) == 0 &&
		   !iommufd_ioas_unmap(fd, ioas, 0x100000, 0x10000, NULL),
	   "the 32-bit table closed: the window is the IOAS's again");
	ok(file_attr(KVM_DEV_VFIO_FILE_DEL, devfd) == 0 && map_at(fd, ioas, bus64, ram) == 0 &&
		   !iommufd_ioas_unmap(fd, ioas, bus64, 0x10000, NULL) && link_table(t64) == -ENOENT,
	   "the device file leaves KVM: its links go (the 64-bit window maps again), no new one");
	ok(memory(KVM_DEV_VFIO_SPAPR_MEMORY_UNREGISTER, v, RAM,
		  sizeof(struct kvm_vfio_spapr_memory), 0, 0) == 0,
	   "unregister: nothing of it is mapped any more -> 0");
	close(t32b);
	close(t64);
	close(tbad);
	close(devfd);
	close(fd2);
	close(fd);
	close(vdev);
	close(vm);
	close(kvm);
	return failed ? 1 : 0;
}
