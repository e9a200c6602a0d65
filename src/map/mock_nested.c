// SPDX-License-Identifier: GPL-2.0-only
/*
 * Nested mode on the selftests' mock IOMMU (CONFIG_IOMMUFD_TEST kernels), for `psvm bench
 * --backend mock`: a stage-1 table in TCE format (big-endian RPN | permission bits) over a
 * window, shadowed by one IOMMU_HWPT_INVALIDATE per batch.
 */
#include <errno.h>
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>
#include <stdlib.h>

#include "be.h"
#include "iommufd.h"
#include "map_iommufd.h"

int mock_nested_init(struct mock_nested *n, int fd, uint32_t hwpt_id, uint64_t base,
		     uint64_t page, unsigned int entries)
{
	*n = (struct mock_nested){ .fd = fd, .hwpt_id = hwpt_id, .base = base, .page = page,
				      .entries = entries };
	n->table = calloc(entries, sizeof(*n->table));
	return n->table ? 0 : -ENOMEM;
}

void mock_nested_free(struct mock_nested *n)
{
	free(n->table);
	free(n->inv);
	n->table = NULL;
	n->inv = NULL;
}

static int mock_write(void *ctx, const struct map_op *op)
{
	struct mock_nested *n = ctx;
	uint64_t first, count;

	if (op->iova < n->base || (op->iova - n->base) % n->page || op->len % n->page)
		return -EINVAL;
	first = (op->iova - n->base) / n->page;
	count = op->len / n->page;
	if (first >= n->entries || count > n->entries - first)
		return -ERANGE;
	for (uint64_t i = 0; i < count; i++)
		n->table[first + i] = op->type == MAP_OP_UNMAP ? 0 :
			cpu_to_be64(((op->hva + i * n->page) & ~0xfffULL) | op->prot);
	return 0;
}

static int mock_invalidate(void *ctx, const struct map_op *ops, unsigned int cnt,
			     unsigned int *done)
{
	struct mock_nested *n = ctx;
	struct iommu_hwpt_invalidate_selftest *inv = n->inv;
	uint32_t handled = 0;
	int r;

	if (cnt > n->inv_cap) {
		inv = realloc(n->inv, cnt * sizeof(*inv));
		if (!inv)
			return -ENOMEM;
		n->inv = inv;
		n->inv_cap = cnt;
	}
	/* The mock's stage 1 is a small IOTLB: one entry per changed TCE, by slot. */
	for (unsigned int i = 0; i < cnt; i++)
		inv[i] = (struct iommu_hwpt_invalidate_selftest){
			.iotlb_id = (uint32_t)(((ops[i].iova - n->base) / n->page) %
					       MOCK_NESTED_DOMAIN_IOTLB_NUM) };
	n->calls++;
	r = iommufd_hwpt_invalidate(n->fd, n->hwpt_id, IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, inv,
				    sizeof(*inv), cnt, &handled);
	*done = handled;
	return r;
}

void mock_nested_backend(struct mock_nested *n, struct map_backend *be)
{
	*be = (struct map_backend){ .stage1_write = mock_write, .invalidate = mock_invalidate,
				    .ctx = n };
}
