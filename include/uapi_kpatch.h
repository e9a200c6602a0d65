/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kernel-patch/'s uAPI additions to iommufd, not in Linux 6.12's headers (include/uapi is
 * 6.12's, unmodified). Kept apart so the day upstream numbers them, one file changes.
 * Until then the type numbers are 0x5350xxxx, out of the range upstream's enums use,
 * so no kernel gives one of them another meaning.
 */
#ifndef PSVM_UAPI_KPATCH_H
#define PSVM_UAPI_KPATCH_H

#include <stdint.h>

/* IOMMU_GET_HW_INFO type of the powerpc TCE IOMMU (patch 0017) */
#define IOMMU_HW_INFO_TYPE_SPAPR_TCE 0x53500001
#define IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED (1 << 0)

struct iommu_hw_info_spapr_tce {
	uint32_t flags;
	uint32_t windows;	/* at once, the 32-bit one included */
	uint64_t pgsizes;	/* TCE page sizes, bitmap of sizes in bytes */
	uint64_t dma32_start, dma32_size;
	uint64_t dma64_start;	/* where DMA64_FIXED */
	uint64_t max_tces;	/* 0: bounded by memory only */
	uint32_t max_levels;
	uint32_t __reserved;	/* PASIDs: iommu_hw_info's out_max_pasid_log2 */
};

/* IOMMU_HWPT_ALLOC data: the windows of a sPAPR TCE paging HWPT (patch 0018) */
#define IOMMU_HWPT_DATA_SPAPR_TCE 0x53500001

struct iommu_hwpt_spapr_tce_window {
	uint64_t start;		/* bus address, a multiple of the page size */
	uint64_t size;		/* a power of two; 0: no such window */
	uint32_t page_shift;
	uint32_t levels;	/* of its TCE table, 1..max_levels */
};

struct iommu_hwpt_spapr_tce {
	uint32_t flags;
	uint32_t __reserved;
	struct iommu_hwpt_spapr_tce_window dma32;	/* at dma32_start */
	struct iommu_hwpt_spapr_tce_window dma64;	/* above it */
};

/* A nested HWPT whose windows' TCE tables are in the parent's IOVA space (patch 0019) */
#define IOMMU_HWPT_DATA_SPAPR_TCE_NESTED 0x53500002
#define IOMMU_HWPT_INVALIDATE_DATA_SPAPR_TCE 0x53500001

struct iommu_hwpt_spapr_tce_nested_window {
	uint64_t start, size;
	uint32_t page_shift, levels;
	uint64_t table;		/* IOVA in the parent: a big-endian PAPR TCE per page */
};

struct iommu_hwpt_spapr_tce_nested {
	uint32_t flags;
	uint32_t __reserved;
	struct iommu_hwpt_spapr_tce_nested_window dma32, dma64;
};

struct iommu_hwpt_spapr_tce_invalidate {
	uint64_t addr;		/* bus address of the first changed TCE's page */
	uint64_t npages;	/* 0 and ~0: every window whole */
	uint32_t flags;
	uint32_t __reserved;
};

/* IOMMU_HWPT_ALLOC data: a PASID table as a nested HWPT's stage 1 (patch 0009) */
#define IOMMU_HWPT_DATA_PASID_TABLE 0x53500003

struct iommu_hwpt_pasid_table {
	uint32_t argsz;		/* sizeof as the user knows it = data_len */
	uint32_t flags;
	uint64_t base;		/* IOVA of the table in the parent */
	uint32_t pasid_bits;
	uint32_t format;
};

/* An io_uring command on /dev/iommu (patch 0006): cmd_op = the ioctl, this in the SQE */
struct iommu_uring_cmd {
	uint64_t ptr;	/* the ioctl's own structure */
	uint32_t flags;
	uint32_t __reserved;
};

/*
 * KVM's VFIO device: a TCE table linked to a device bound to iommufd (patches 0028, 0029;
 * tier 0 for iommufd), and the memory KVM may map TCEs to, pre-registered (pinned) through
 * it as the sPAPR container's VFIO_IOMMU_SPAPR_REGISTER_MEMORY does.
 */
#define KVM_DEV_VFIO_SPAPR_BASE 0x53500000
#define KVM_DEV_VFIO_FILE_SET_SPAPR_TCE_IOMMUFD (KVM_DEV_VFIO_SPAPR_BASE + 1) /* FILE group */
#define KVM_DEV_VFIO_SPAPR_MEMORY (KVM_DEV_VFIO_SPAPR_BASE + 2)		   /* a group */
#define KVM_DEV_VFIO_SPAPR_MEMORY_REGISTER 1
#define KVM_DEV_VFIO_SPAPR_MEMORY_UNREGISTER 2
#define KVM_DEV_VFIO_SPAPR_MEMORY_MAX (1ULL << 30) /* bytes per range */

struct kvm_vfio_spapr_tce_iommufd {
	uint32_t argsz;
	uint32_t flags;
	int32_t devfd;		/* added to the KVM VFIO device, bound to iommufd */
	int32_t tablefd;	/* KVM_CREATE_SPAPR_TCE_64, no TCE in it yet */
	int32_t iommufd;
	uint32_t pt_id;		/* the paging HWPT the device is attached to */
};

struct kvm_vfio_spapr_memory {
	uint32_t argsz;
	uint32_t flags;
	uint64_t vaddr;
	uint64_t size;
};

#endif
