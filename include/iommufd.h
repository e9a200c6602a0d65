/* SPDX-License-Identifier: GPL-2.0-only */
/* psvm's iommufd layer: thin, checked wrappers over the /dev/iommu uAPI. */
#ifndef PSVM_IOMMUFD_H
#define PSVM_IOMMUFD_H

#include <linux/iommufd.h>

#include "map.h"
#include "uapi_kpatch.h"

/* Open /dev/iommu; on failure err names the missing kernel feature. */
int iommufd_open(char *err, size_t errlen);
int iommufd_ioas_alloc(int fd, uint32_t *ioas_id);
int iommufd_destroy(int fd, uint32_t id);
/* IOMMU_IOAS_MAP at a fixed IOVA; prot is MAP_PROT_*. 0 or -errno. */
int iommufd_ioas_map(int fd, uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
		     uint8_t prot);
/* IOMMU_IOAS_UNMAP; *unmapped (may be NULL) gets what the kernel really unmapped. */
int iommufd_ioas_unmap(int fd, uint32_t ioas_id, uint64_t iova, uint64_t len, uint64_t *unmapped);
/* IOMMU_IOAS_IOVA_RANGES: up to max ranges [start, last]; returns the count or -errno. */
int iommufd_ioas_iova_ranges(int fd, uint32_t ioas_id, uint64_t (*ranges)[2], unsigned int max);
int iommufd_ioas_allow_iovas(int fd, uint32_t ioas_id, const uint64_t (*ranges)[2], unsigned int n);
int iommufd_ioas_copy(int fd, uint32_t dst_ioas, uint32_t src_ioas, uint64_t dst_iova,
		      uint64_t src_iova, uint64_t len, uint8_t prot);
int iommufd_option(int fd, uint32_t option_id, uint32_t object_id, bool set, uint64_t *val);
/* IOMMU_HWPT_ALLOC; data may be NULL for a paging HWPT. */
int iommufd_hwpt_alloc(int fd, uint32_t dev_id, uint32_t pt_id, uint32_t flags,
		       uint32_t data_type, const void *data, uint32_t data_len, uint32_t *hwpt_id);
/* What IOMMU_GET_HW_INFO says besides its data */
struct iommufd_hw_info {
	uint32_t type;		/* out_data_type: IOMMU_HW_INFO_TYPE_* */
	uint64_t caps;		/* out_capabilities */
	uint8_t pasid_log2;	/* out_max_pasid_log2: 0, no PASID */
};

/* IOMMU_GET_HW_INFO: up to len bytes of data, and *out. 0 or -errno. */
int iommufd_get_hw_info(int fd, uint32_t dev_id, void *data, uint32_t len,
			struct iommufd_hw_info *out);
/*
 * IOMMU_HWPT_INVALIDATE with n entries of entry_len bytes: returns 0 or -errno, and
 * *done = how many entries the kernel handled (its entry_num), on error too.
 */
int iommufd_hwpt_invalidate(int fd, uint32_t hwpt_id, uint32_t data_type, const void *entries,
			    uint32_t entry_len, uint32_t n, uint32_t *done);

/* The IOMMU_IOAS_MAP / _UNMAP arguments of one op (prot MAP_PROT_*), for ioctl and io_uring */
struct iommu_ioas_map iommufd_map_cmd(uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
				      uint8_t prot);
struct iommu_ioas_unmap iommufd_unmap_cmd(uint32_t ioas_id, uint64_t iova, uint64_t len);

/* The mock IOMMU of CONFIG_IOMMUFD_TEST kernels: a device + paging domain on an IOAS. */
int iommufd_mock_domain(int fd, uint32_t ioas_id, uint32_t *stdev_id, uint32_t *hwpt_id,
			uint32_t *idev_id);

/* Does /dev/iommu take io_uring commands (kernel-patch/)? 1 yes, 0 no, -errno: no io_uring. */
int iommufd_uring_cmd_supported(int fd);

/* Where a PE's 64-bit window goes: where the platform fixes it, else 2^59 (QEMU, PowerVM). */
static inline uint64_t iommufd_spapr_dma64_start(const struct iommu_hw_info_spapr_tce *t)
{
	return t->flags & IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED ? t->dma64_start : 1ULL << 59;
}

/*
 * The device's sPAPR TCE windows (GET_HW_INFO, kernel-patch/ 0017) where it has a 32-bit
 * window at bus 0; *window32 = its size rounded down to a power of two, what a paging
 * domain gets. 0, -ENODEV for any other IOMMU, or the ioctl's -errno.
 */
int iommufd_spapr_hw_info(int fd, uint32_t dev_id, struct iommu_hw_info_spapr_tce *t,
			  uint64_t *window32);

#endif
