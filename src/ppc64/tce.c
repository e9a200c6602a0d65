// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel TCE tables (tier 0): KVM_CREATE_SPAPR_TCE_64 per DMA window, mmapped so psvm
 * sees what the guest wrote, and the VFIO group linked to it through KVM's VFIO device, as
 * QEMU does; or, for a device bound to iommufd, linked to the window of its paging HWPT
 * (kernel-patch/ 0010, 0020, 0025, 0028, 0029), with guest RAM pre-registered through KVM's
 * VFIO device. KVM then serves the window's H_PUT_TCE and H_GET_TCE itself, and the bulk
 * calls devices/tce.c hands it; what it cannot (H_TOO_HARD) still reaches psvm.
 */
#include <errno.h>
#include <linux/kvm.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "kvm_ppc.h"
#include "uapi_kpatch.h"

bool arch_tce_offered(struct vm *vm)
{
	struct kvm_vm_ppc *k = kvm_of(vm);

	return k && ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_64) > 0 &&
	       ioctl(k->vm_fd, KVM_CHECK_EXTENSION, KVM_CAP_SPAPR_TCE_VFIO) > 0;
}

static size_t table_bytes(uint64_t entries)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);

	return (entries * sizeof(uint64_t) + page - 1) & ~(page - 1);
}

int arch_tce_hcall_in_kernel(struct vm *vm, uint64_t nr, bool on)
{
	struct kvm_enable_cap c = { .cap = KVM_CAP_PPC_ENABLE_HCALL, .args = { nr, on } };

	return ioctl(kvm_of(vm)->vm_fd, KVM_ENABLE_CAP, &c) ? -errno : 0;
}

int arch_tce_create(struct vm *vm, uint32_t liobn, unsigned int page_shift, uint64_t bus_offset,
		    uint64_t size, uint64_t **table)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_create_spapr_tce_64 c = {
		.liobn = liobn,
		.page_shift = page_shift,
		.offset = bus_offset >> page_shift,
		.size = size >> page_shift,
	};
	void *t;
	int fd, r;

	fd = ioctl(k->vm_fd, KVM_CREATE_SPAPR_TCE_64, &c);
	if (fd < 0)
		return -errno;
	t = mmap(NULL, table_bytes(c.size), PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (t == MAP_FAILED) {
		r = -errno;
		close(fd);
		return r;
	}
	*table = t;
	return fd;
}

void arch_tce_destroy(int fd, uint64_t *table, uint64_t entries)
{
	munmap(table, table_bytes(entries));
	close(fd);
}

/* KVM's VFIO device, made at the first link */
static int kvm_vfio_dev(struct kvm_vm_ppc *k)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

	if (k->vfio_dev_fd < 0) {
		if (ioctl(k->vm_fd, KVM_CREATE_DEVICE, &cd))
			return -errno;
		k->vfio_dev_fd = (int)cd.fd;
	}
	return k->vfio_dev_fd;
}

static int kvm_vfio_set(struct vm *vm, uint32_t group, uint64_t attr, const void *arg)
{
	struct kvm_device_attr a = { .group = group, .attr = attr, .addr = (uintptr_t)arg };
	int fd = kvm_vfio_dev(kvm_of(vm));

	if (fd < 0)
		return fd;
	return ioctl(fd, KVM_SET_DEVICE_ATTR, &a) ? -errno : 0;
}

int arch_tce_file(struct vm *vm, int fd, bool add)
{
	int32_t f = fd;
	int r = kvm_vfio_set(vm, KVM_DEV_VFIO_FILE, add ? KVM_DEV_VFIO_FILE_ADD :
							 KVM_DEV_VFIO_FILE_DEL, &f);

	/* A file joins KVM's VFIO device once; again is EEXIST, which is fine. */
	return r == -EEXIST && add ? 0 : r;
}

int arch_tce_link_group(struct vm *vm, int tablefd, int groupfd)
{
	struct kvm_vfio_spapr_tce link = { .groupfd = groupfd, .tablefd = tablefd };
	int r = arch_tce_file(vm, groupfd, true);

	return r ? r : kvm_vfio_set(vm, KVM_DEV_VFIO_FILE, KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE, &link);
}

bool kvm_vfio_links_iommufd(int vfio_dev_fd)
{
	struct kvm_device_attr link = { .group = KVM_DEV_VFIO_FILE,
					.attr = KVM_DEV_VFIO_FILE_SET_SPAPR_TCE_IOMMUFD },
			       mem = { .group = KVM_DEV_VFIO_SPAPR_MEMORY,
				       .attr = KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER };

	return !ioctl(vfio_dev_fd, KVM_HAS_DEVICE_ATTR, &link) &&
	       !ioctl(vfio_dev_fd, KVM_HAS_DEVICE_ATTR, &mem);
}

bool arch_tce_iommufd_offered(struct vm *vm)
{
	int fd;

	if (!arch_tce_offered(vm))
		return false;
	fd = kvm_vfio_dev(kvm_of(vm));
	return fd >= 0 && kvm_vfio_links_iommufd(fd);
}

/*
 * Guest RAM in ranges of at most KVM_DEV_VFIO_SPAPR_MEMORY_MAX from its start, so that no
 * TCE page (1 GiB at most) spans two: KVM looks a TCE's page up in one range. Ranges
 * [0, end) of it, stopping at the first failure (*failed_at: where).
 */
static int memory_ranges(struct vm *vm, uint64_t attr, uint64_t end, uint64_t *failed_at)
{
	for (uint64_t off = 0; off < end; off += KVM_DEV_VFIO_SPAPR_MEMORY_MAX) {
		struct kvm_vfio_spapr_memory m = {
			.argsz = sizeof(m),
			.vaddr = (uintptr_t)vm->mem.hva + off,
			.size = MIN(KVM_DEV_VFIO_SPAPR_MEMORY_MAX, vm->mem.size - off),
		};
		int r = kvm_vfio_set(vm, KVM_DEV_VFIO_SPAPR_MEMORY, attr, &m);

		if (r) {
			*failed_at = off;
			return r;
		}
	}
	return 0;
}

int arch_tce_register_memory(struct vm *vm, bool on)
{
	uint64_t at = 0;
	int r;

	if (!on)
		return memory_ranges(vm, KVM_DEV_VFIO_SPAPR_MEMORY_UNREGISTER, vm->mem.size, &at);
	r = memory_ranges(vm, KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER, vm->mem.size, &at);
	if (r) /* all or nothing */
		memory_ranges(vm, KVM_DEV_VFIO_SPAPR_MEMORY_UNREGISTER, at, &at);
	return r;
}

int arch_tce_link_iommufd(struct vm *vm, int tablefd, int devfd, int iommufd, uint32_t pt_id)
{
	struct kvm_vfio_spapr_tce_iommufd link = { .argsz = sizeof(link),
						   .devfd = devfd,
						   .tablefd = tablefd,
						   .iommufd = iommufd,
						   .pt_id = pt_id };

	return kvm_vfio_set(vm, KVM_DEV_VFIO_FILE, KVM_DEV_VFIO_FILE_SET_SPAPR_TCE_IOMMUFD, &link);
}
