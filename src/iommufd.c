// SPDX-License-Identifier: GPL-2.0-only
/* iommufd: thin, checked wrappers over the /dev/iommu uAPI (IOAS, HWPT, HW info, invalidate). */
#include <errno.h>
#include <fcntl.h>
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>
#include <liburing.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
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

struct iommu_ioas_map iommufd_map_cmd(uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
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

struct iommu_ioas_unmap iommufd_unmap_cmd(uint32_t ioas_id, uint64_t iova, uint64_t len)
{
	return (struct iommu_ioas_unmap){ .size = sizeof(struct iommu_ioas_unmap),
					  .ioas_id = ioas_id, .iova = iova, .length = len };
}

int iommufd_ioas_map(int fd, uint32_t ioas_id, uint64_t iova, uint64_t hva, uint64_t len,
		     uint8_t prot)
{
	struct iommu_ioas_map m = iommufd_map_cmd(ioas_id, iova, hva, len, prot);

	return xioctl(fd, IOMMU_IOAS_MAP, &m);
}

int iommufd_ioas_unmap(int fd, uint32_t ioas_id, uint64_t iova, uint64_t len, uint64_t *unmapped)
{
	struct iommu_ioas_unmap u = iommufd_unmap_cmd(ioas_id, iova, len);
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

int iommufd_get_hw_info(int fd, uint32_t dev_id, void *data, uint32_t len,
			struct iommufd_hw_info *out)
{
	struct iommu_hw_info h = { .size = sizeof(h), .dev_id = dev_id, .data_len = len,
				   .data_uptr = (uintptr_t)data };
	int r = xioctl(fd, IOMMU_GET_HW_INFO, &h);

	if (!r)
		*out = (struct iommufd_hw_info){ .type = h.out_data_type,
						 .caps = h.out_capabilities,
						 .pasid_log2 = h.out_max_pasid_log2 };
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

int iommufd_spapr_hw_info(int fd, uint32_t dev_id, struct iommu_hw_info_spapr_tce *t,
			  uint64_t *window32)
{
	struct iommufd_hw_info hw;
	int r = iommufd_get_hw_info(fd, dev_id, t, sizeof(*t), &hw);

	if (r)
		return r;
	if (hw.type != IOMMU_HW_INFO_TYPE_SPAPR_TCE || t->dma32_start || !t->dma32_size)
		return -ENODEV;
	*window32 = 1ULL << (63 - __builtin_clzll(t->dma32_size));
	return 0;
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
