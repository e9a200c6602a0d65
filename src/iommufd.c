// SPDX-License-Identifier: GPL-2.0-only
/* iommufd: IOAS, HWPT, HW info, invalidation, VFIO cdev binding. */
#include <errno.h>
#include <fcntl.h>
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>
#include <dirent.h>
#include <liburing.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "be.h"
#include "iommufd.h"

static int xioctl(int fd, unsigned long req, void *arg)
{
	return ioctl(fd, req, arg) ? -errno : 0;
}

int iommufd_open(char *err, size_t errlen)
{
	int fd = open("/dev/iommu", O_RDWR | O_CLOEXEC);

	if (fd < 0)
		snprintf(err, errlen, "/dev/iommu: %s (%s)", strerror(errno),
			 errno == ENOENT ? "the kernel has no CONFIG_IOMMUFD" : "cannot use iommufd");
	return fd < 0 ? -1 : fd;
}

int iommufd_ioas_alloc(int fd, uint32_t *ioas_id)
{
	struct iommu_ioas_alloc a = { .size = sizeof(a) };
	int r = xioctl(fd, IOMMU_IOAS_ALLOC, &a);

	if (!r)
		*ioas_id = a.out_ioas_id;
	return r;
}

int iommufd_destroy(int fd, uint32_t id)
{
	struct iommu_destroy d = { .size = sizeof(d), .id = id };

	return xioctl(fd, IOMMU_DESTROY, &d);
}

static uint32_t ioas_flags(uint8_t prot)
{
	return (prot & MAP_PROT_READ ? IOMMU_IOAS_MAP_READABLE : 0) |
	       (prot & MAP_PROT_WRITE ? IOMMU_IOAS_MAP_WRITEABLE : 0);
}

/* The IOMMU_IOAS_MAP / _UNMAP arguments of one op, for the ioctl and for io_uring alike */
static struct iommu_ioas_map map_cmd(uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
				     uint8_t prot)
{
	return (struct iommu_ioas_map){
		.size = sizeof(struct iommu_ioas_map),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | ioas_flags(prot),
		.ioas_id = ioas_id,
		.user_va = hva,
		.length = len,
		.iova = iova,
	};
}

static struct iommu_ioas_unmap unmap_cmd(uint32_t ioas_id, uint64_t iova, uint64_t len)
{
	return (struct iommu_ioas_unmap){ .size = sizeof(struct iommu_ioas_unmap),
					  .ioas_id = ioas_id, .iova = iova, .length = len };
}

int iommufd_ioas_map(int fd, uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
		     uint8_t prot)
{
	struct iommu_ioas_map m = map_cmd(ioas_id, iova, hva, len, prot);

	return xioctl(fd, IOMMU_IOAS_MAP, &m);
}

int iommufd_ioas_unmap(int fd, uint32_t ioas_id, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	struct iommu_ioas_unmap u = unmap_cmd(ioas_id, iova, len);
	int r = xioctl(fd, IOMMU_IOAS_UNMAP, &u);

	if (unmapped)
		*unmapped = r ? 0 : u.length;
	return r;
}

int iommufd_ioas_iova_ranges(int fd, uint32_t ioas_id, uint64_t (*ranges)[2], unsigned int max)
{
	struct iommu_iova_range *buf = calloc(max ? max : 1, sizeof(*buf));
	struct iommu_ioas_iova_ranges q = { .size = sizeof(q), .ioas_id = ioas_id,
					    .num_iovas = max, .allowed_iovas = (uintptr_t)buf };
	int r;

	if (!buf)
		return -ENOMEM;
	r = xioctl(fd, IOMMU_IOAS_IOVA_RANGES, &q);
	if (!r || r == -EMSGSIZE) {
		for (unsigned int i = 0; i < q.num_iovas && i < max; i++) {
			ranges[i][0] = buf[i].start;
			ranges[i][1] = buf[i].last;
		}
		r = (int)q.num_iovas;
	}
	free(buf);
	return r;
}

int iommufd_ioas_allow_iovas(int fd, uint32_t ioas_id, const uint64_t (*ranges)[2], unsigned int n)
{
	struct iommu_iova_range *buf = calloc(n ? n : 1, sizeof(*buf));
	struct iommu_ioas_allow_iovas a = { .size = sizeof(a), .ioas_id = ioas_id, .num_iovas = n,
					    .allowed_iovas = (uintptr_t)buf };
	int r;

	if (!buf)
		return -ENOMEM;
	for (unsigned int i = 0; i < n; i++) {
		buf[i].start = ranges[i][0];
		buf[i].last = ranges[i][1];
	}
	r = xioctl(fd, IOMMU_IOAS_ALLOW_IOVAS, &a);
	free(buf);
	return r;
}

int iommufd_ioas_copy(int fd, uint32_t dst_ioas, uint32_t src_ioas, uint64_t dst_iova,
		      uint64_t src_iova, uint64_t len, uint8_t prot)
{
	struct iommu_ioas_copy c = {
		.size = sizeof(c),
		.flags = IOMMU_IOAS_MAP_FIXED_IOVA | ioas_flags(prot),
		.dst_ioas_id = dst_ioas,
		.src_ioas_id = src_ioas,
		.length = len,
		.dst_iova = dst_iova,
		.src_iova = src_iova,
	};

	return xioctl(fd, IOMMU_IOAS_COPY, &c);
}

int iommufd_option(int fd, uint32_t option_id, uint32_t object_id, bool set, uint64_t *val)
{
	struct iommu_option o = { .size = sizeof(o), .option_id = option_id,
				  .op = set ? IOMMU_OPTION_OP_SET : IOMMU_OPTION_OP_GET,
				  .object_id = object_id, .val64 = set ? *val : 0 };
	int r = xioctl(fd, IOMMU_OPTION, &o);

	if (!r && !set)
		*val = o.val64;
	return r;
}

int iommufd_hwpt_alloc(int fd, uint32_t dev_id, uint32_t pt_id, uint32_t flags,
		       uint32_t data_type, const void *data, uint32_t data_len, uint32_t *hwpt_id)
{
	struct iommu_hwpt_alloc a = {
		.size = sizeof(a),
		.flags = flags,
		.dev_id = dev_id,
		.pt_id = pt_id,
		.data_type = data_type,
		.data_len = data_len,
		.data_uptr = (uintptr_t)data,
	};
	int r = xioctl(fd, IOMMU_HWPT_ALLOC, &a);

	if (!r)
		*hwpt_id = a.out_hwpt_id;
	return r;
}

int iommufd_get_hw_info(int fd, uint32_t dev_id, void *data, uint32_t len, uint32_t *type,
			uint64_t *caps)
{
	struct iommu_hw_info h = { .size = sizeof(h), .dev_id = dev_id, .data_len = len,
				   .data_uptr = (uintptr_t)data };
	int r = xioctl(fd, IOMMU_GET_HW_INFO, &h);

	if (!r) {
		*type = h.out_data_type;
		*caps = h.out_capabilities;
	}
	return r;
}

int iommufd_hwpt_invalidate(int fd, uint32_t hwpt_id, uint32_t data_type, const void *entries,
			    uint32_t entry_len, uint32_t n, uint32_t *done)
{
	struct iommu_hwpt_invalidate inv = {
		.size = sizeof(inv),
		.hwpt_id = hwpt_id,
		.data_uptr = (uintptr_t)entries,
		.data_type = data_type,
		.entry_len = entry_len,
		.entry_num = n,
	};
	int r = xioctl(fd, IOMMU_HWPT_INVALIDATE, &inv);

	*done = inv.entry_num; /* the kernel reports progress even when it fails */
	return r;
}

int iommufd_mock_domain(int fd, uint32_t ioas_id, uint32_t *stdev_id, uint32_t *hwpt_id,
			uint32_t *idev_id)
{
	struct iommu_test_cmd c = { .size = sizeof(c), .op = IOMMU_TEST_OP_MOCK_DOMAIN,
				    .id = ioas_id };
	int r = xioctl(fd, IOMMU_TEST_CMD, &c);

	if (!r) {
		*stdev_id = c.mock_domain.out_stdev_id;
		*hwpt_id = c.mock_domain.out_hwpt_id;
		*idev_id = c.mock_domain.out_idev_id;
	}
	return r;
}

static int ioas_be_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct iommufd_ioas *a = ctx;

	a->calls++;
	return iommufd_ioas_map(a->fd, a->ioas_id, iova, hva, len, prot);
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
			u->cmd[i].map = map_cmd(a->ioas_id, o->iova, o->hva, o->len, o->prot);
		else
			u->cmd[i].unmap = unmap_cmd(a->ioas_id, o->iova, o->len);
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
				    .uring = ioas_be_uring, .ctx = ioas };
}

int iommufd_nested_mock_init(struct iommufd_nested *n, int fd, uint32_t hwpt_id, uint64_t base,
			     uint64_t page, unsigned int entries)
{
	*n = (struct iommufd_nested){ .fd = fd, .hwpt_id = hwpt_id, .base = base, .page = page,
				      .entries = entries };
	n->table = calloc(entries, sizeof(*n->table));
	return n->table ? 0 : -ENOMEM;
}

void iommufd_nested_free(struct iommufd_nested *n)
{
	free(n->table);
	free(n->inv);
	n->table = NULL;
	n->inv = NULL;
}

static int nested_write(void *ctx, const struct map_op *op)
{
	struct iommufd_nested *n = ctx;
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

static int nested_invalidate(void *ctx, const struct map_op *ops, unsigned int cnt,
			     unsigned int *done)
{
	struct iommufd_nested *n = ctx;
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

void iommufd_nested_backend(struct iommufd_nested *n, struct map_backend *be)
{
	*be = (struct map_backend){ .stage1_write = nested_write, .invalidate = nested_invalidate,
				    .ctx = n };
}

static struct iommufd_spapr_window *spapr_window(struct iommufd_spapr_nested *n,
						  uint64_t iova)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(n->win); i++)
		if (n->win[i].size && iova >= n->win[i].start &&
		    iova - n->win[i].start < n->win[i].size)
			return &n->win[i];
	return NULL;
}

/* The op's pages as PAPR TCEs: the guest physical address, read/write in bits 0 and 1 */
static int spapr_nested_write(void *ctx, const struct map_op *op)
{
	struct iommufd_spapr_nested *n = ctx;
	struct iommufd_spapr_window *w = spapr_window(n, op->iova);
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
		struct iommufd_spapr_window *w = spapr_window(n, ops[i].iova);
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

int iommufd_spapr_hw_info(int fd, uint32_t dev_id, struct iommu_hw_info_spapr_tce *t,
			  uint64_t *window32)
{
	uint32_t type = 0;
	uint64_t caps = 0;
	int r = iommufd_get_hw_info(fd, dev_id, t, sizeof(*t), &type, &caps);

	if (r)
		return r;
	if (type != IOMMU_HW_INFO_TYPE_SPAPR_TCE || t->dma32_start || !t->dma32_size)
		return -ENODEV;
	*window32 = 1ULL << (63 - __builtin_clzll(t->dma32_size));
	return 0;
}

void iommufd_spapr_nested_free(struct iommufd_spapr_nested *n)
{
	free(n->inv);
	free(n->inv_ops);
	n->inv = NULL;
	n->inv_ops = NULL;
	n->inv_cap = 0;
}

int vfio_cdev_bind(int devfd, int iommufd, uint32_t *dev_id)
{
	struct vfio_device_bind_iommufd b = { .argsz = sizeof(b), .iommufd = iommufd };
	int r = xioctl(devfd, VFIO_DEVICE_BIND_IOMMUFD, &b);

	if (!r)
		*dev_id = b.out_devid;
	return r;
}

int vfio_cdev_attach(int devfd, uint32_t pt_id)
{
	struct vfio_device_attach_iommufd_pt a = { .argsz = sizeof(a), .pt_id = pt_id };

	return xioctl(devfd, VFIO_DEVICE_ATTACH_IOMMUFD_PT, &a);
}

int vfio_cdev_detach(int devfd)
{
	struct vfio_device_detach_iommufd_pt d = { .argsz = sizeof(d) };

	return xioctl(devfd, VFIO_DEVICE_DETACH_IOMMUFD_PT, &d);
}

int iommufd_uring_cmd_supported(int fd)
{
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct io_uring_cqe *cqe;
	int r;

	r = io_uring_queue_init(2, &ring, 0);
	if (r)
		return r;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = 0; /* no such command: a file that takes uring_cmd says EINVAL/ENOTTY */
	r = io_uring_submit_and_wait(&ring, 1);
	if (r >= 0 && !(r = io_uring_wait_cqe(&ring, &cqe))) {
		r = cqe->res == -EOPNOTSUPP ? 0 : 1;
		io_uring_cqe_seen(&ring, cqe);
	}
	io_uring_queue_exit(&ring);
	return r;
}

static const char *hw_info_type_name(uint32_t t)
{
	switch (t) {
	case IOMMU_HW_INFO_TYPE_NONE: return "none";
	case IOMMU_HW_INFO_TYPE_INTEL_VTD: return "intel-vtd";
	case IOMMU_HW_INFO_TYPE_SPAPR_TCE: return "spapr-tce";
	case IOMMU_HW_INFO_TYPE_SELFTEST: return "selftest-mock";
	default: return "unknown";
	}
}

void iommufd_info(void)
{
	char err[256], path[300];
	struct dirent *de;
	uint8_t data[256];
	DIR *d;
	int fd = iommufd_open(err, sizeof(err)), r;

	if (fd < 0) {
		printf("iommufd: no: %s\n", err);
		return;
	}
	r = iommufd_uring_cmd_supported(fd);
	printf("iommufd: /dev/iommu; io_uring uring_cmd on it: %s\n",
	       r > 0 ? "yes" : r == 0 ? "no (needs kernel-patch/; psvm uses the coalesce engine)" :
	       "no io_uring");
	d = opendir("/dev/vfio/devices");
	if (!d) {
		printf("vfio cdev devices: none\n");
		close(fd);
		return;
	}
	while ((de = readdir(d))) {
		uint32_t dev_id, type = 0;
		uint64_t caps = 0;
		int dfd, ifd;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/dev/vfio/devices/%s", de->d_name);
		dfd = open(path, O_RDWR | O_CLOEXEC);
		ifd = iommufd_open(err, sizeof(err));
		if (dfd < 0 || ifd < 0) {
			printf("%s: cannot open: %s\n", path, strerror(errno));
		} else if ((r = vfio_cdev_bind(dfd, ifd, &dev_id)) ||
			   (r = iommufd_get_hw_info(ifd, dev_id, data, sizeof(data), &type, &caps))) {
			printf("%s: bind/hw info: %s\n", path, strerror(-r));
		} else {
			printf("%s: iommu hw info %s (type %u), capabilities %#llx\n", path,
			       hw_info_type_name(type), type, (unsigned long long)caps);
			if (type == IOMMU_HW_INFO_TYPE_SPAPR_TCE) {
				struct iommu_hw_info_spapr_tce t;

				memcpy(&t, data, sizeof(t));
				printf("%s: TCE windows: %u at once, page sizes %#llx, 32-bit %#llx+%#llx, "
				       "64-bit at %s%#llx, %u table levels, PASID bits %u\n",
				       path, t.windows, (unsigned long long)t.pgsizes,
				       (unsigned long long)t.dma32_start,
				       (unsigned long long)t.dma32_size,
				       t.flags & IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED ? "" :
				       "(made by the platform) ",
				       (unsigned long long)t.dma64_start, t.max_levels,
				       t.max_pasid_bits);
			}
		}
		if (dfd >= 0)
			close(dfd);
		if (ifd >= 0)
			close(ifd);
	}
	closedir(d);
	close(fd);
}
