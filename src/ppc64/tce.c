// SPDX-License-Identifier: GPL-2.0-only
/*
 * In-kernel TCE tables (tier 0): KVM_CREATE_SPAPR_TCE_64 per DMA window, mmapped so psvm
 * sees what the guest wrote, and the VFIO group linked to it through KVM's VFIO device,
 * as QEMU does. KVM then serves the window's H_PUT_TCE and H_GET_TCE itself, and the bulk
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

int arch_tce_link_group(struct vm *vm, int tablefd, int groupfd)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_vfio_spapr_tce link = { .groupfd = groupfd, .tablefd = tablefd };
	struct kvm_device_attr set = { .group = KVM_DEV_VFIO_FILE,
				       .attr = KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE,
				       .addr = (uintptr_t)&link };
	int r;

	if (k->vfio_dev_fd < 0) {
		struct kvm_create_device cd = { .type = KVM_DEV_TYPE_VFIO };

		if (ioctl(k->vm_fd, KVM_CREATE_DEVICE, &cd))
			return -errno;
		k->vfio_dev_fd = (int)cd.fd;
	}
	/* A group joins KVM's VFIO device once; again is EEXIST, which is fine. */
	{
		int32_t g = groupfd;
		struct kvm_device_attr add = { .group = KVM_DEV_VFIO_FILE,
					       .attr = KVM_DEV_VFIO_FILE_ADD,
					       .addr = (uintptr_t)&g };

		if (ioctl(k->vfio_dev_fd, KVM_SET_DEVICE_ATTR, &add) && errno != EEXIST)
			return -errno;
	}
	r = ioctl(k->vfio_dev_fd, KVM_SET_DEVICE_ATTR, &set);
	return r ? -errno : 0;
}
