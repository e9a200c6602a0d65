/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Map backends over iommufd (what the map engines drive): an IOAS (ioctl or io_uring),
 * nested sPAPR TCE tables (kernel-patch/ 0019), and the selftests' mock nested domain.
 */
#ifndef PSVM_MAP_IOMMUFD_H
#define PSVM_MAP_IOMMUFD_H

#include "map.h"
#include "uapi_kpatch.h"

struct iommufd_uring;

struct iommufd_ioas {
	int fd;		/* /dev/iommu */
	uint32_t ioas_id;
	uint64_t calls;	/* ioctls issued on behalf of map/unmap */
	struct iommufd_uring *uring;	/* made by the first uring batch */
	/* the pinned source (iommufd_ioas_source), if there is one */
	uint32_t src_ioas, src_obj;
	uint64_t src_hva, src_len;
};

/*
 * Memory pinned once: [hva, hva + len) mapped at IOMMUFD_SOURCE_IOVA of an IOAS of its own
 * (16 MiB: inside the apertures of the mock domain and of a sPAPR 32-bit window), with a
 * domain there whose filling pins it (a paging HWPT for device dev_id, or with mock a
 * mock domain). The backend's maps from that memory are then IOMMU_IOAS_COPYs from it,
 * which take the pages the source holds: no pin, no page bookkeeping of their own (ioctls
 * only: its uring batches fail). Measured no faster than IOAS_MAP (docs/benchmarks.md).
 * 0 or -errno (nothing left made).
 */
#define IOMMUFD_SOURCE_IOVA (1ULL << 24)
int iommufd_ioas_source(struct iommufd_ioas *a, uint64_t hva, uint64_t len, uint32_t dev_id,
			bool mock);
void iommufd_ioas_source_free(struct iommufd_ioas *a);

/* Release what the backend made for the IOAS (its io_uring). */
void iommufd_ioas_backend_free(struct iommufd_ioas *ioas);
/* A map_backend over an IOAS (map engines drive it). */
void iommufd_ioas_backend(struct iommufd_ioas *ioas, struct map_backend *be);

/*
 * Nested mode on the selftests' mock IOMMU: a stage-1 table in TCE format (big-endian
 * RPN | permission bits) over a window, shadowed by one IOMMU_HWPT_INVALIDATE per batch.
 */
struct mock_nested {
	int fd;
	uint32_t hwpt_id;	/* the nested HWPT */
	uint64_t base, page;	/* window: table[i] describes base + i * page */
	uint64_t *table;
	unsigned int entries;
	void *inv;		/* invalidation entries, reused */
	unsigned int inv_cap;
	uint64_t calls;
};

int mock_nested_init(struct mock_nested *n, int fd, uint32_t hwpt_id, uint64_t base,
		     uint64_t page, unsigned int entries);
void mock_nested_free(struct mock_nested *n);
void mock_nested_backend(struct mock_nested *n, struct map_backend *be);

/*
 * Nested sPAPR TCE mode (kernel-patch/ 0019): the guest's windows are TCE tables in psvm's
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

#define IOMMUFD_SPAPR_WINDOWS 2	/* a PE's: 32-bit, 64-bit */

struct iommufd_spapr_nested {
	int fd;
	uint32_t hwpt_id;	/* the nested HWPT the device is on */
	uint8_t *ram;		/* guest RAM: hva - ram = guest physical address */
	uint64_t ram_size;
	const struct iommufd_spapr_window *win;	/* [IOMMUFD_SPAPR_WINDOWS], the owner's */
	struct iommu_hwpt_spapr_tce_invalidate *inv;
	unsigned int *inv_ops;	/* ops merged into each entry */
	unsigned int inv_cap;
};

void iommufd_spapr_nested_backend(struct iommufd_spapr_nested *n, struct map_backend *be);
void iommufd_spapr_nested_free(struct iommufd_spapr_nested *n);

/* Where an IOAS maps window n's table: far above guest RAM, inside the nest parent. */
#define IOMMUFD_SPAPR_TABLE_IOVA(n) ((1ULL << 44) + (uint64_t)(n) * (1ULL << 40))
/* w's table, zeroed (no TCE), mapped read-only at iova into IOAS ioas_id for the kernel. */
int iommufd_spapr_table_alloc(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w,
			      uint64_t iova);
/* Unmapped (if the IOAS is still there) and freed; w then has no window. */
void iommufd_spapr_table_free(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w);

/*
 * HWPTs for a PE's windows win[IOMMUFD_SPAPR_WINDOWS] (size 0: none), their table levels
 * tried from one to max_levels: a paging HWPT over an IOAS (kernel-patch/ 0018), or a
 * nested one over a nest parent whose tables are the windows' (0019; the kernel loads
 * every TCE they hold as it makes the HWPT). 0 or -errno.
 */
int iommufd_spapr_paging_alloc(int fd, uint32_t dev_id, uint32_t ioas_id,
			       const struct iommufd_spapr_window *win, uint32_t max_levels,
			       uint32_t *hwpt);
int iommufd_spapr_nested_alloc(int fd, uint32_t dev_id, uint32_t parent,
			       const struct iommufd_spapr_window *win, uint32_t max_levels,
			       uint32_t *hwpt);

#endif
