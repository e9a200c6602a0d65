// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested sPAPR TCE mode (kernel-patch/ 0019): the guest's windows are TCE tables in psvm's
 * memory that the kernel shadows into the PE's; a batch is written there as PAPR TCEs and
 * one IOMMU_HWPT_INVALIDATE has the kernel load it, contiguous ops merged into one entry.
 */
#include <errno.h>
#include <linux/iommufd.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "be.h"
#include "iommufd.h"
#include "map_iommufd.h"

static const struct iommufd_spapr_window *spapr_window(const struct iommufd_spapr_nested *n,
							uint64_t iova)
{
	for (unsigned int i = 0; i < IOMMUFD_SPAPR_WINDOWS; i++)
		if (n->win[i].size && iova >= n->win[i].start &&
		    iova - n->win[i].start < n->win[i].size)
			return &n->win[i];
	return NULL;
}

/* The op's pages as PAPR TCEs: the guest physical address, read/write in bits 0 and 1 */
static int spapr_nested_write(void *ctx, const struct map_op *op)
{
	struct iommufd_spapr_nested *n = ctx;
	const struct iommufd_spapr_window *w = spapr_window(n, op->iova);
	uint64_t page, first, count, gpa;

	if (!w)
		return -EINVAL;
	page = 1ULL << w->page_shift;
	if ((op->iova - w->start) % page || !op->len || op->len % page ||
	    op->len > w->size - (op->iova - w->start))
		return -EINVAL;
	first = (op->iova - w->start) >> w->page_shift;
	count = op->len >> w->page_shift;
	gpa = op->hva - (uint64_t)(uintptr_t)n->ram;
	if (op->type == MAP_OP_MAP &&
	    (op->hva < (uint64_t)(uintptr_t)n->ram || !range_within(gpa, op->len, n->ram_size)))
		return -EFAULT;
	for (uint64_t i = 0; i < count; i++)
		w->table[first + i] = op->type == MAP_OP_UNMAP ?
					      0 :
					      cpu_to_be64((gpa + i * page) |
							  (op->prot & (MAP_PROT_READ | MAP_PROT_WRITE)));
	return 0;
}

static int spapr_nested_invalidate(void *ctx, const struct map_op *ops, unsigned int cnt,
				   unsigned int *done)
{
	struct iommufd_spapr_nested *n = ctx;
	struct iommu_hwpt_spapr_tce_invalidate *inv = n->inv;
	unsigned int *per = n->inv_ops, e = 0;
	uint32_t handled = 0;
	int r;

	*done = 0;
	if (cnt > n->inv_cap) {
		inv = realloc(n->inv, cnt * sizeof(*inv));
		if (inv)
			n->inv = inv;
		per = realloc(n->inv_ops, cnt * sizeof(*per));
		if (per)
			n->inv_ops = per;
		if (!inv || !per)
			return -ENOMEM;
		n->inv_cap = cnt;
	}
	/* ops that follow each other in one window: one entry */
	for (unsigned int i = 0; i < cnt; i++) {
		const struct iommufd_spapr_window *w = spapr_window(n, ops[i].iova);
		uint64_t np = ops[i].len >> w->page_shift;

		if (e && spapr_window(n, inv[e - 1].addr) == w &&
		    inv[e - 1].addr + (inv[e - 1].npages << w->page_shift) == ops[i].iova) {
			inv[e - 1].npages += np;
			per[e - 1]++;
			continue;
		}
		inv[e] = (struct iommu_hwpt_spapr_tce_invalidate){ .addr = ops[i].iova,
								   .npages = np };
		per[e++] = 1;
	}
	r = iommufd_hwpt_invalidate(n->fd, n->hwpt_id, IOMMU_HWPT_INVALIDATE_DATA_SPAPR_TCE,
				    inv, sizeof(*inv), e, &handled);
	for (unsigned int i = 0; i < handled && i < e; i++)
		*done += per[i];
	return r;
}

void iommufd_spapr_nested_backend(struct iommufd_spapr_nested *n, struct map_backend *be)
{
	*be = (struct map_backend){ .stage1_write = spapr_nested_write,
				    .invalidate = spapr_nested_invalidate,
				    .ctx = n };
}

static uint64_t table_bytes(const struct iommufd_spapr_window *w)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);

	return ((w->size >> w->page_shift) * sizeof(uint64_t) + page - 1) & ~(page - 1);
}

int iommufd_spapr_table_alloc(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w,
			      uint64_t iova)
{
	void *t = mmap(NULL, table_bytes(w), PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int r;

	if (t == MAP_FAILED)
		return -errno;
	r = iommufd_ioas_map(fd, ioas_id, iova, (uintptr_t)t, table_bytes(w), MAP_PROT_READ);
	if (r) {
		munmap(t, table_bytes(w));
		return r;
	}
	w->table = t;
	w->table_iova = iova;
	return 0;
}

void iommufd_spapr_table_free(int fd, uint32_t ioas_id, struct iommufd_spapr_window *w)
{
	uint64_t unmapped;

	if (w->table) {
		if (fd >= 0)
			iommufd_ioas_unmap(fd, ioas_id, w->table_iova, table_bytes(w), &unmapped);
		munmap(w->table, table_bytes(w));
		w->table = NULL;
	}
	w->size = 0;
}

void iommufd_spapr_nested_free(struct iommufd_spapr_nested *n)
{
	free(n->inv);
	free(n->inv_ops);
	n->inv = NULL;
	n->inv_ops = NULL;
	n->inv_cap = 0;
}

/* Window w as HWPT data has it (size 0: none); levels are the caller's to try. */
static struct iommu_hwpt_spapr_tce_window hwpt_window(const struct iommufd_spapr_window *w)
{
	return (struct iommu_hwpt_spapr_tce_window){ .start = w->start, .size = w->size,
						     .page_shift = w->page_shift, .levels = 1 };
}

/*
 * IOMMU_HWPT_ALLOC with data whose windows take *lv32 and *lv64 levels: the 64-bit
 * window's tried from one up with the 32-bit one's at one, as the IOAS's own domain has
 * it (the kernel then keeps that window on the PE through a replace: no DMA gap), then
 * both together. pseries L1s want exactly one, big windows on powernv more.
 */
static int alloc_levels(int fd, uint32_t dev_id, uint32_t pt, uint32_t type, const void *data,
			uint32_t len, uint32_t max_levels, uint32_t *lv32, uint32_t *lv64,
			uint32_t *hwpt)
{
	uint32_t max = MAX(1u, max_levels);
	int r = -EINVAL;

	*lv32 = 1;
	for (uint32_t levels = 1; levels <= max && (r == -EINVAL || r == -ENOMEM); levels++) {
		*lv64 = levels;
		r = iommufd_hwpt_alloc(fd, dev_id, pt, 0, type, data, len, hwpt);
	}
	for (uint32_t levels = 2; levels <= max && (r == -EINVAL || r == -ENOMEM); levels++) {
		*lv32 = *lv64 = levels;
		r = iommufd_hwpt_alloc(fd, dev_id, pt, 0, type, data, len, hwpt);
	}
	return r;
}

int iommufd_spapr_paging_alloc(int fd, uint32_t dev_id, uint32_t ioas_id,
			       const struct iommufd_spapr_window *win, uint32_t max_levels,
			       uint32_t *hwpt)
{
	struct iommu_hwpt_spapr_tce d = { .dma32 = hwpt_window(&win[0]),
					  .dma64 = hwpt_window(&win[1]) };

	return alloc_levels(fd, dev_id, ioas_id, IOMMU_HWPT_DATA_SPAPR_TCE, &d, sizeof(d),
			    max_levels, &d.dma32.levels, &d.dma64.levels, hwpt);
}

int iommufd_spapr_nested_alloc(int fd, uint32_t dev_id, uint32_t parent,
			       const struct iommufd_spapr_window *win, uint32_t max_levels,
			       uint32_t *hwpt)
{
	struct iommu_hwpt_spapr_tce_nested d = { 0 };

	for (unsigned int i = 0; i < IOMMUFD_SPAPR_WINDOWS; i++) {
		struct iommu_hwpt_spapr_tce_window w = hwpt_window(&win[i]);

		if (w.size)
			*(i ? &d.dma64 : &d.dma32) = (struct iommu_hwpt_spapr_tce_nested_window){
				.start = w.start, .size = w.size, .page_shift = w.page_shift,
				.levels = w.levels, .table = win[i].table_iova
			};
	}
	return alloc_levels(fd, dev_id, parent, IOMMU_HWPT_DATA_SPAPR_TCE_NESTED, &d, sizeof(d),
			    max_levels, &d.dma32.levels, &d.dma64.levels, hwpt);
}
