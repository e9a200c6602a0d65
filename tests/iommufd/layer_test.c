// SPDX-License-Identifier: GPL-2.0-only
/*
 * psvm's iommufd layer against a real /dev/iommu with the selftests' mock IOMMU
 * (CONFIG_IOMMUFD_TEST): every wrapper, its error paths, and that the coalesce engine's
 * mappings translate to the right pages. TAP. Runs inside the iommufd lab guest.
 */
#include <errno.h>
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "iommufd.h"
#include "map_iommufd.h"
#include "tap.h"

/* The mock domain's own view: does [iova, iova+len) translate to buf? */
static int check_map(int fd, uint32_t hwpt_id, uint64_t iova, uint64_t len, void *buf)
{
	struct iommu_test_cmd c = { .size = sizeof(c), .op = IOMMU_TEST_OP_MD_CHECK_MAP,
				    .id = hwpt_id,
				    .check_map = { .iova = iova, .length = len,
						   .uptr = (uintptr_t)buf } };

	return ioctl(fd, IOMMU_TEST_CMD, &c) ? -errno : 0;
}

int main(void)
{
	const uint64_t base = MOCK_APERTURE_START, ps = 4096;
	uint32_t ioas, ioas2, stdev, hwpt, idev, parent, nested, done;
	uint64_t ranges[4][2], got, val;
	struct iommufd_hw_info hw;
	struct iommu_hwpt_selftest sel = { .iotlb = IOMMU_TEST_IOTLB_DEFAULT };
	struct iommu_hwpt_invalidate_selftest inv[3] = { { 0, 0 }, { 0, 1 }, { 0, 2 } };
	struct iommu_test_hw_info info;
	struct map_op ops[512];
	struct map_backend be;
	struct map_engine e = { 0 };
	struct iommufd_ioas a;
	char err[256];
	uint8_t *buf;
	int fd, r, nr;

	setvbuf(stdout, NULL, _IONBF, 0);
	printf("1..27\n");
	fd = iommufd_open(err, sizeof(err));
	ok(fd >= 0, "open /dev/iommu %s", fd < 0 ? err : "");
	if (fd < 0)
		return 1;
	buf = mmap(NULL, 4 << 20, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE,
		   -1, 0);
	r = iommufd_ioas_alloc(fd, &ioas);
	ok(!r && ioas, "IOAS alloc (id %u)", ioas);
	ok(!iommufd_mock_domain(fd, ioas, &stdev, &hwpt, &idev), "mock device + domain on it");
	nr = iommufd_ioas_iova_ranges(fd, ioas, ranges, 4);
	ok(nr == 1 && ranges[0][0] == MOCK_APERTURE_START && ranges[0][1] == MOCK_APERTURE_LAST,
	   "IOVA ranges = the mock aperture (%d: %#llx-%#llx)", nr,
	   (unsigned long long)ranges[0][0], (unsigned long long)ranges[0][1]);

	r = iommufd_ioas_map(fd, ioas, base, (uintptr_t)buf, 4 * ps, MAP_PROT_READ | MAP_PROT_WRITE);
	ok(!r, "map 4 pages at the aperture start");
	ok(!check_map(fd, hwpt, base, 4 * ps, buf), "the domain translates them to our buffer");
	r = iommufd_ioas_map(fd, ioas, base + ps, (uintptr_t)buf, ps, MAP_PROT_READ);
	ok(r == -EEXIST, "overlapping map refused (%s)", strerror(-r));
	r = iommufd_ioas_map(fd, ioas, 0x1000, (uintptr_t)buf, ps, MAP_PROT_READ);
	ok(r != 0, "map outside the aperture refused (%s)", strerror(-r));
	r = iommufd_ioas_unmap(fd, ioas, base + ps, ps, &got);
	ok(r != 0 && !check_map(fd, hwpt, base, 4 * ps, buf),
	   "unmap of part of an area refused, mapping intact (%s)", strerror(-r));

	ok(!iommufd_ioas_alloc(fd, &ioas2), "second IOAS");
	r = iommufd_ioas_copy(fd, ioas2, ioas, 1ULL << 30, base, 4 * ps, MAP_PROT_READ);
	ok(!r, "IOAS_COPY of the 4 pages into it (%s)", strerror(-r));
	r = iommufd_ioas_unmap(fd, ioas2, 1ULL << 30, 4 * ps, &got);
	ok(!r && got == 4 * ps, "unmap the copy: %llu bytes", (unsigned long long)got);
	uint64_t allow[1][2] = { { 1ULL << 32, (1ULL << 32) + (1 << 20) - 1 } };
	ok(!iommufd_ioas_allow_iovas(fd, ioas2, allow, 1), "ALLOW_IOVAS 1 MiB at 4 GiB");
	/* (allowed IOVAs steer automatic allocation and device reserved regions only) */
	uint64_t inverted[1][2] = { { 1ULL << 33, 1ULL << 32 } };
	r = iommufd_ioas_allow_iovas(fd, ioas2, inverted, 1);
	ok(r == -EINVAL, "ALLOW_IOVAS with start > last refused (%s)", strerror(-r));
	r = iommufd_option(fd, IOMMU_OPTION_RLIMIT_MODE, 0, false, &val);
	ok(!r && val <= 1, "IOMMU_OPTION rlimit mode = %llu", (unsigned long long)val);

	r = iommufd_get_hw_info(fd, idev, &info, sizeof(info), &hw);
	ok(!r && hw.type == IOMMU_HW_INFO_TYPE_SELFTEST &&
		   info.test_reg == IOMMU_HW_INFO_SELFTEST_REGVAL,
	   "GET_HW_INFO: selftest type %u, reg %#x", hw.type, info.test_reg);
	r = iommufd_hwpt_alloc(fd, idev, ioas, 0, IOMMU_HWPT_DATA_NONE, NULL, 0, &parent);
	ok(!r && !iommufd_destroy(fd, parent), "paging HWPT over the IOAS, then destroyed (%s)",
	   strerror(-r));
	r = iommufd_hwpt_alloc(fd, idev, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, IOMMU_HWPT_DATA_NONE,
			       NULL, 0, &parent);
	ok(!r, "NEST_PARENT HWPT over the IOAS (%s)", strerror(-r));
	r = iommufd_hwpt_alloc(fd, idev, parent, 0, IOMMU_HWPT_DATA_SELFTEST, &sel, sizeof(sel),
			       &nested);
	ok(!r, "nested HWPT (selftest stage 1) over it (%s)", strerror(-r));
	r = iommufd_hwpt_invalidate(fd, nested, IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, inv,
				    sizeof(inv[0]), 3, &done);
	ok(!r && done == 3, "one HWPT_INVALIDATE for 3 entries: %u handled", done);
	inv[2].iotlb_id = MOCK_NESTED_DOMAIN_IOTLB_ID_MAX + 5;
	r = iommufd_hwpt_invalidate(fd, nested, IOMMU_HWPT_INVALIDATE_DATA_SELFTEST, inv,
				    sizeof(inv[0]), 3, &done);
	ok(r == -EINVAL && done == 2, "a bad third entry: %s after %u handled", strerror(-r), done);

	/* The coalesce engine through the IOAS: 512 scattered-free 4K TCEs, one call. */
	iommufd_ioas_unmap(fd, ioas, base, 4 * ps, NULL);
	a = (struct iommufd_ioas){ .fd = fd, .ioas_id = ioas };
	iommufd_ioas_backend(&a, &be);
	for (int i = 0; i < 512; i++)
		ops[i] = (struct map_op){ MAP_OP_MAP, MAP_PROT_READ | MAP_PROT_WRITE,
					  base + i * ps, (uintptr_t)buf + i * ps, ps };
	map_engine_init(&e, "coalesce", &be);
	r = map_submit(&e, ops, 512, &done);
	ok(!r && done == 512 && a.calls == 1 && !check_map(fd, hwpt, base, 512 * ps, buf),
	   "coalesce: 512 TCEs in %llu call, translated right", (unsigned long long)a.calls);
	for (int i = 0; i < 512; i++)
		ops[i] = (struct map_op){ MAP_OP_UNMAP, 0, base + i * ps, 0, ps };
	r = map_submit(&e, ops, 512, &done);
	ok(!r && done == 512 && check_map(fd, hwpt, base, ps, buf) != 0,
	   "coalesce unmap: gone from the domain");
	map_engine_destroy(&e);

	/*
	 * The uring engine (kernel-patch/'s io_uring commands on /dev/iommu): 64 TCEs on
	 * every other page, so no two coalesce: 64 linked commands, one io_uring_enter.
	 */
	r = iommufd_uring_cmd_supported(fd);
	ok(r > 0, "/dev/iommu takes io_uring commands (%d)", r);
	for (int i = 0; i < 64; i++)
		ops[i] = (struct map_op){ MAP_OP_MAP, MAP_PROT_READ, base + 2 * i * ps,
					  (uintptr_t)buf + 2 * i * ps, ps };
	r = map_engine_init(&e, "uring", &be);
	ok(!r && !e.fallback, "uring engine without fallback");
	r = map_submit(&e, ops, 64, &done);
	got = 0;
	for (int i = 0; i < 64; i++)
		got += !check_map(fd, hwpt, base + 2 * i * ps, ps, buf + 2 * i * ps);
	ok(!r && done == 64 && e.calls == 1 && got == 64,
	   "uring: 64 scattered TCEs in %llu io_uring_enter, %llu translated right",
	   (unsigned long long)e.calls, (unsigned long long)got);
	/* op 10 maps over op 9's page: the kernel stops there, 10 took effect */
	for (int i = 0; i < 64; i++)
		ops[i] = (struct map_op){ MAP_OP_UNMAP, 0, base + 2 * i * ps, 0, ps };
	map_submit(&e, ops, 64, &done);
	for (int i = 0; i < 20; i++)
		ops[i] = (struct map_op){ MAP_OP_MAP, MAP_PROT_READ, base + 2 * i * ps,
					  (uintptr_t)buf, ps };
	ops[10].iova = ops[9].iova;
	r = map_submit(&e, ops, 20, &done);
	ok(r == -EEXIST && done == 10 && !check_map(fd, hwpt, base + 18 * ps, ps, buf) &&
	   check_map(fd, hwpt, base + 22 * ps, ps, buf) != 0,
	   "uring: a failing command stops the batch: %s after %u, nothing after it",
	   strerror(-r), done);
	map_engine_destroy(&e);
	iommufd_ioas_backend_free(&a);
	close(fd);
	printf("# %d passed, %d failed\n", n - failed, failed);
	return failed ? 1 : 0;
}
