// SPDX-License-Identifier: GPL-2.0-only
/*
 * The map backend over an iommufd IOAS: one IOMMU_IOAS_MAP/UNMAP per call, or a batch as
 * linked io_uring commands on /dev/iommu (kernel-patch/ 0006), one io_uring_enter each.
 */
#include <errno.h>
#include <linux/iommufd.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>

#include "iommufd.h"
#include "map_iommufd.h"

/* Does [hva, hva + len) come from the pinned source? */
static bool from_source(const struct iommufd_ioas *a, uint64_t hva, uint64_t len)
{
	return a->src_ioas && hva >= a->src_hva && len <= a->src_len &&
	       hva - a->src_hva <= a->src_len - len;
}

static int ioas_be_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct iommufd_ioas *a = ctx;

	a->calls++;
	if (from_source(a, hva, len))
		return iommufd_ioas_copy(a->fd, a->ioas_id, a->src_ioas, iova,
					 IOMMUFD_SOURCE_IOVA + (hva - a->src_hva), len, prot);
	return iommufd_ioas_map(a->fd, a->ioas_id, iova, hva, len, prot);
}

int iommufd_ioas_source(struct iommufd_ioas *a, uint64_t hva, uint64_t len, uint32_t dev_id,
			bool mock)
{
	uint32_t src, obj, hwpt, idev;
	int r;

	r = iommufd_ioas_alloc(a->fd, &src);
	if (r)
		return r;
	r = iommufd_ioas_map(a->fd, src, IOMMUFD_SOURCE_IOVA, hva, len,
			     MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = mock ? iommufd_mock_domain(a->fd, src, &obj, &hwpt, &idev) :
			   iommufd_hwpt_alloc(a->fd, dev_id, src, 0, IOMMU_HWPT_DATA_NONE, NULL, 0,
					      &obj);
	if (r) {
		iommufd_destroy(a->fd, src);
		return r;
	}
	a->src_ioas = src;
	a->src_obj = obj;
	a->src_hva = hva;
	a->src_len = len;
	return 0;
}

void iommufd_ioas_source_free(struct iommufd_ioas *a)
{
	if (!a->src_ioas)
		return;
	iommufd_destroy(a->fd, a->src_obj);
	iommufd_destroy(a->fd, a->src_ioas);
	a->src_ioas = 0;
}

static int ioas_be_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct iommufd_ioas *a = ctx;
	uint64_t got = 0;
	int r;

	a->calls++;
	r = iommufd_ioas_unmap(a->fd, a->ioas_id, iova, len, &got);
	return r ? r : (got == len ? 0 : -ENOENT);
}

static int ioas_be_uring_supported(void *ctx)
{
	return iommufd_uring_cmd_supported(((struct iommufd_ioas *)ctx)->fd);
}

/* The most commands one io_uring_enter takes: H_PUT_TCE_INDIRECT's limit. */
#define URING_ENTRIES 512

struct iommufd_uring {
	struct io_uring ring;
	union {
		struct iommu_ioas_map map;
		struct iommu_ioas_unmap unmap;
	} cmd[URING_ENTRIES];
};

void iommufd_ioas_backend_free(struct iommufd_ioas *ioas)
{
	if (!ioas->uring)
		return;
	io_uring_queue_exit(&ioas->uring->ring);
	free(ioas->uring);
	ioas->uring = NULL;
}

/* Up to URING_ENTRIES ops, linked, in one io_uring_enter; *done = leading successes. */
static int uring_chunk(struct iommufd_ioas *a, const struct map_op *ops, unsigned int n,
		       unsigned int *done)
{
	struct iommufd_uring *u = a->uring;
	struct io_uring_cqe *cqe;
	unsigned int i, sub, first_bad = n;
	int r, err = 0;

	for (i = 0; i < n; i++) {
		const struct map_op *o = &ops[i];
		struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);
		struct iommu_uring_cmd c = { .ptr = (uintptr_t)&u->cmd[i] };

		if (o->type == MAP_OP_MAP)
			u->cmd[i].map = iommufd_map_cmd(a->ioas_id, o->iova, o->hva, o->len, o->prot);
		else
			u->cmd[i].unmap = iommufd_unmap_cmd(a->ioas_id, o->iova, o->len);
		io_uring_prep_rw(IORING_OP_URING_CMD, sqe, a->fd, NULL, 0, 0);
		sqe->cmd_op = o->type == MAP_OP_MAP ? IOMMU_IOAS_MAP : IOMMU_IOAS_UNMAP;
		memcpy(sqe->cmd, &c, sizeof(c));
		sqe->user_data = i;
		if (i + 1 < n)
			sqe->flags |= IOSQE_IO_LINK;
	}
	r = io_uring_submit_and_wait(&u->ring, n);
	if (r < 0) {
		/* nothing was submitted: the ring is as it was */
		*done = 0;
		return r;
	}
	sub = (unsigned int)r;
	if (sub < n) { /* the kernel took a prefix: only it completes */
		first_bad = sub;
		err = -EIO;
	}
	for (i = 0; i < sub; i++) {
		unsigned int k;

		r = io_uring_wait_cqe(&u->ring, &cqe);
		if (r)
			return r; /* cannot happen once all n were submitted and waited for */
		k = (unsigned int)cqe->user_data;
		r = cqe->res;
		io_uring_cqe_seen(&u->ring, cqe);
		if (!r && ops[k].type == MAP_OP_UNMAP && u->cmd[k].unmap.length != ops[k].len)
			r = -ENOENT; /* as the ioctl backend: a short unmap fails */
		if (r && k < first_bad) {
			first_bad = k;
			err = r;
		}
	}
	*done = first_bad;
	return first_bad < n ? (err == -ECANCELED ? -EIO : err) : 0;
}

static int ioas_be_uring(void *ctx, const struct map_op *ops, unsigned int n, unsigned int *done,
			 unsigned int *enters)
{
	struct iommufd_ioas *a = ctx;
	unsigned int d = 0, got;
	int r = 0;

	*enters = 0;
	if (a->src_ioas) { /* IOAS_COPY is no io_uring command (and would not be faster) */
		*done = 0;
		return -EOPNOTSUPP;
	}
	if (!a->uring) {
		a->uring = calloc(1, sizeof(*a->uring));
		if (!a->uring) {
			*done = 0;
			return -ENOMEM;
		}
		r = io_uring_queue_init(URING_ENTRIES, &a->uring->ring, 0);
		if (r) {
			free(a->uring);
			a->uring = NULL;
			*done = 0;
			return r;
		}
	}
	while (d < n && !r) {
		unsigned int chunk = MIN(n - d, URING_ENTRIES);

		got = 0;
		r = uring_chunk(a, ops + d, chunk, &got);
		(*enters)++;
		d += got;
	}
	*done = d;
	return r;
}

void iommufd_ioas_backend(struct iommufd_ioas *ioas, struct map_backend *be)
{
	*be = (struct map_backend){ .map = ioas_be_map, .unmap = ioas_be_unmap,
				    .uring_supported = ioas_be_uring_supported,
				    .uring = ioas_be_uring, .whole_unmaps = true, .ctx = ioas };
}
