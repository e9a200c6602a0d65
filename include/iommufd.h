/* SPDX-License-Identifier: GPL-2.0-only */
/* psvm's iommufd layer: thin, checked wrappers over the /dev/iommu uAPI. */
#ifndef PSVM_IOMMUFD_H
#define PSVM_IOMMUFD_H

#include "map.h"

/*
 * kernel-patch/'s uAPI, not in Linux 6.12's headers (include/uapi is 6.12's, unmodified).
 */
/* IOMMU_GET_HW_INFO type of the powerpc TCE IOMMU (patch 0008) */
#define IOMMU_HW_INFO_TYPE_SPAPR_TCE 2
#define IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED (1 << 0)

struct iommu_hw_info_spapr_tce {
	uint32_t flags;
	uint32_t windows;	/* at once, the 32-bit one included */
	uint64_t pgsizes;	/* TCE page sizes, bitmap of sizes in bytes */
	uint64_t dma32_start, dma32_size;
	uint64_t dma64_start;	/* where DMA64_FIXED */
	uint64_t max_tces;	/* 0: bounded by memory only */
	uint32_t max_levels;
	uint32_t max_pasid_bits;	/* 0: no PASID (patch 0015) */
};

/* IOMMU_HWPT_ALLOC data: the windows of a sPAPR TCE paging HWPT (patch 0011) */
#define IOMMU_HWPT_DATA_SPAPR_TCE 2

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

/* A nested HWPT whose windows' TCE tables are in the parent's IOVA space (patch 0012) */
#define IOMMU_HWPT_DATA_SPAPR_TCE_NESTED 3
#define IOMMU_HWPT_INVALIDATE_DATA_SPAPR_TCE 1

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

/* IOMMU_HWPT_ALLOC data: a PASID table as a nested HWPT's stage 1 (patch 0013) */
#define IOMMU_HWPT_DATA_PASID_TABLE 4

struct iommu_hwpt_pasid_table {
	uint32_t argsz;		/* sizeof as the user knows it = data_len */
	uint32_t flags;
	uint64_t base;		/* IOVA of the table in the parent */
	uint32_t pasid_bits;
	uint32_t format;
};

/* An io_uring command on /dev/iommu (patch 0005): cmd_op = the ioctl, this in the SQE */
struct iommu_uring_cmd {
	uint64_t ptr;	/* the ioctl's own structure */
	uint32_t flags;
	uint32_t __reserved;
};

struct iommufd_uring;

struct iommufd_ioas {
	int fd;		/* /dev/iommu */
	uint32_t ioas_id;
	uint64_t calls;	/* ioctls issued on behalf of map/unmap */
	struct iommufd_uring *uring;	/* made by the first uring batch */
};

/* Release what the backend made for the IOAS (its io_uring). */
void iommufd_ioas_backend_free(struct iommufd_ioas *ioas);

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
/* IOMMU_GET_HW_INFO: *type and up to len bytes of data; *caps = out_capabilities. */
int iommufd_get_hw_info(int fd, uint32_t dev_id, void *data, uint32_t len, uint32_t *type,
			uint64_t *caps);
/*
 * IOMMU_HWPT_INVALIDATE with n entries of entry_len bytes: returns 0 or -errno, and
 * *done = how many entries the kernel handled (its entry_num), on error too.
 */
int iommufd_hwpt_invalidate(int fd, uint32_t hwpt_id, uint32_t data_type, const void *entries,
			    uint32_t entry_len, uint32_t n, uint32_t *done);

/* The mock IOMMU of CONFIG_IOMMUFD_TEST kernels: a device + paging domain on an IOAS. */
int iommufd_mock_domain(int fd, uint32_t ioas_id, uint32_t *stdev_id, uint32_t *hwpt_id,
			uint32_t *idev_id);

/* Does /dev/iommu take io_uring commands (kernel-patch/)? 1 yes, 0 no, -errno: no io_uring. */
int iommufd_uring_cmd_supported(int fd);

/* `psvm info`: iommufd, uring_cmd, VFIO devices and their IOMMU HW info. */
void iommufd_info(void);

/* A map_backend over an IOAS (map engines drive it). */
void iommufd_ioas_backend(struct iommufd_ioas *ioas, struct map_backend *be);

/*
 * Nested mode on the selftests' mock IOMMU: a stage-1 table in TCE format (big-endian
 * RPN | permission bits) over a window, shadowed by one IOMMU_HWPT_INVALIDATE per batch.
 */
struct iommufd_nested {
	int fd;
	uint32_t hwpt_id;	/* the nested HWPT */
	uint64_t base, page;	/* window: table[i] describes base + i * page */
	uint64_t *table;
	unsigned int entries;
	void *inv;		/* invalidation entries, reused */
	unsigned int inv_cap;
	uint64_t calls;
};

int iommufd_nested_mock_init(struct iommufd_nested *n, int fd, uint32_t hwpt_id, uint64_t base,
			     uint64_t page, unsigned int entries);
void iommufd_nested_free(struct iommufd_nested *n);
void iommufd_nested_backend(struct iommufd_nested *n, struct map_backend *be);

/*
 * Nested sPAPR TCE mode (kernel-patch/ 0012): the guest's windows are TCE tables in psvm's
 * memory, mapped into the IOAS next to guest RAM (IOVA = guest physical address); the ops
 * are written there as PAPR TCEs, and one IOMMU_HWPT_INVALIDATE has the kernel shadow a
 * batch into the PE's tables, contiguous ops merged into one entry.
 */
struct iommufd_spapr_window {
	uint64_t start, size;	/* bus addresses; size 0: no window */
	unsigned int page_shift;
	uint64_t *table;	/* size >> page_shift big-endian TCEs */
	uint64_t table_iova;	/* where the IOAS maps it */
};

struct iommufd_spapr_nested {
	int fd;
	uint32_t hwpt_id;	/* the nested HWPT the device is on */
	uint8_t *ram;		/* guest RAM: hva - ram = guest physical address */
	uint64_t ram_size;
	struct iommufd_spapr_window win[2];	/* 32-bit, 64-bit */
	struct iommu_hwpt_spapr_tce_invalidate *inv;
	unsigned int *inv_ops;	/* ops merged into each entry */
	unsigned int inv_cap;
};

void iommufd_spapr_nested_backend(struct iommufd_spapr_nested *n, struct map_backend *be);
void iommufd_spapr_nested_free(struct iommufd_spapr_nested *n);

/* Where a PE's 64-bit window goes: where the platform fixes it, else 2^59 (QEMU, PowerVM). */
static inline uint64_t iommufd_spapr_dma64_start(const struct iommu_hw_info_spapr_tce *t)
{
	return t->flags & IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED ? t->dma64_start : 1ULL << 59;
}

/* Where an IOAS maps window n's table: far above guest RAM, inside the nest parent. */
#define IOMMUFD_SPAPR_TABLE_IOVA(n) ((1ULL << 44) + (uint64_t)(n) * (1ULL << 40))
/* w's table, zeroed (no TCE), mapped read-only at iova into IOAS ioas_id for the kernel. */
int iommufd_spapr_table_alloc(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w,
			      uint64_t iova);
/* Unmapped (if the IOAS is still there) and freed; w then has no window. */
void iommufd_spapr_table_free(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w);

/*
 * The device's sPAPR TCE windows (GET_HW_INFO, kernel-patch/ 0008) where it has a 32-bit
 * window at bus 0; *window32 = its size rounded down to a power of two, what a paging
 * domain gets. 0, -ENODEV for any other IOMMU, or the ioctl's -errno.
 */
int iommufd_spapr_hw_info(int fd, uint32_t dev_id, struct iommu_hw_info_spapr_tce *t,
			  uint64_t *window32);

/* VFIO cdev: bind the device to iommufd (dev_id out) and attach it to an IOAS/HWPT. */
int vfio_cdev_bind(int devfd, int iommufd, uint32_t *dev_id);
int vfio_cdev_attach(int devfd, uint32_t pt_id);
int vfio_cdev_detach(int devfd);

#endif
