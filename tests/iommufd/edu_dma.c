// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommufd-edu-test CDEV: QEMU's edu device, bound to vfio-pci, driven through iommufd:
 * its DMA engine copies through an IOAS mapping both ways; a read-only IOVA, an unmapped
 * IOVA and a detached device (the BLOCKED domain) must not let DMA reach memory; the
 * mappings survive detach and re-attach; nothing maps outside the IOAS's IOVA ranges.
 * On POWER also a 64-bit DMA window: a HWPT allocated with IOMMU_HWPT_DATA_SPAPR_TCE
 * (both windows, 64K TCEs in the 64-bit one) replaces the default one under the device.
 * TAP. Runs in the iommufd lab (intel-iommu) and in the POWER lab on our patched L1
 * kernel (the powerpc paging and blocking domains of kernel-patch/).
 */
#include <errno.h>
#include <linux/iommufd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "edu.h"
#include "iommufd.h"
#include "vfio_cdev.h"
#include "tap.h"

static uint8_t pasid_log2;	/* GET_HW_INFO's out_max_pasid_log2 */

/* HWPT_ALLOC with sPAPR TCE windows @d; 0 or -errno */
static int spapr_hwpt(int fd, uint32_t dev_id, uint32_t ioas, const void *d, uint32_t len,
		      uint32_t *hwpt)
{
	return iommufd_hwpt_alloc(fd, dev_id, ioas, 0, IOMMU_HWPT_DATA_SPAPR_TCE, d, len, hwpt);
}

/*
 * The 64-bit window (kernel-patch/ 0018): bad windows are refused; one HWPT with both
 * windows replaces the default one under the attached device and keeps its mappings
 * (@iova maps @src in the 32-bit window); edu DMAs through 64K TCEs up at 2^59.
 */
static void dma64_window(int fd, uint32_t dev_id, uint32_t ioas,
			 const struct iommu_hw_info_spapr_tce *t, uint64_t iova,
			 const uint8_t *src)
{
	struct iommu_hwpt_spapr_tce w = {
		.dma32 = { .start = t->dma32_start, .size = 1ULL << 30, .page_shift = 12,
			   .levels = 1 },
		.dma64 = { .start = iommufd_spapr_dma64_start(t),
			   .size = 1ULL << 30, .page_shift = 16, .levels = 1 },
	}, bad;
	struct {
		struct iommu_hwpt_spapr_tce w;
		uint64_t more;
	} longer = { .w = w, .more = 1 };
	uint64_t ranges[8][2], win = w.dma64.start, unmapped = 0;
	int r[5], nr, i;
	uint32_t hwpt = 0, id;
	uint8_t *dst;

	while (w.dma32.size > t->dma32_size)
		w.dma32.size >>= 1;
	bad = w;
	bad.flags = 1;
	r[0] = spapr_hwpt(fd, dev_id, ioas, &bad, sizeof(bad), &id);
	bad = w;
	bad.dma64.page_shift = 13;
	r[1] = spapr_hwpt(fd, dev_id, ioas, &bad, sizeof(bad), &id);
	bad = w;
	bad.dma32.size = bad.dma64.size = 0;
	r[2] = spapr_hwpt(fd, dev_id, ioas, &bad, sizeof(bad), &id);
	bad = w;
	bad.dma32.start += 0x1000;
	r[3] = spapr_hwpt(fd, dev_id, ioas, &bad, sizeof(bad), &id);
	r[4] = spapr_hwpt(fd, dev_id, ioas, &longer, sizeof(longer), &id);
	ok(r[0] == -EOPNOTSUPP && r[1] == -EINVAL && r[2] == -EINVAL && r[3] == -EINVAL &&
		   r[4] == -E2BIG,
	   "HWPT_ALLOC refuses: flags (%d), 8K TCEs (%d), no window (%d), a misplaced 32-bit "
	   "window (%d), unknown trailing data (%d)", r[0], r[1], r[2], r[3], r[4]);
	/* a newer user's longer struct, all zero past what this kernel knows */
	longer.more = 0;
	r[0] = spapr_hwpt(fd, dev_id, ioas, &longer, sizeof(longer), &id);
	ok(!r[0] && !iommufd_destroy(fd, id), "HWPT_ALLOC takes a longer struct whose tail is "
	   "zero (%s)", r[0] ? strerror(-r[0]) : "ok");

	r[0] = spapr_hwpt(fd, dev_id, ioas, &w, sizeof(w), &hwpt);
	if (!r[0])
		r[0] = vfio_cdev_attach(edu_fd, hwpt); /* replaces the default HWPT */
	nr = iommufd_ioas_iova_ranges(fd, ioas, ranges, 8);
	for (i = 0; i < nr; i++)
		printf("# IOVA range %d: %#llx..%#llx\n", i, (unsigned long long)ranges[i][0],
		       (unsigned long long)ranges[i][1]);
	ok(!r[0] && nr == 2 && ranges[0][0] == w.dma32.start &&
		   ranges[0][1] == w.dma32.start + w.dma32.size - 1 && ranges[1][0] == win &&
		   ranges[1][1] == win + w.dma64.size - 1,
	   "a HWPT with a 64-bit window at %#llx (64K TCEs) replaces the default one: "
	   "the IOAS has 2 ranges (%d) (%s)", (unsigned long long)win, nr,
	   r[0] ? strerror(-r[0]) : "ok");
	if (r[0])
		return;

	dst = edu_buffer(0);
	r[0] = iommufd_ioas_map(fd, ioas, win, (uintptr_t)dst, EDU_BUFSZ,
				MAP_PROT_READ | MAP_PROT_WRITE);
	r[1] = edu_dma(iova, 0) || edu_dma(win, 1);
	ok(!r[0] && !r[1] && !memcmp(src, dst, EDU_LEN),
	   "edu DMA from the 32-bit window (kept across the replace) to the 64-bit one (%s)",
	   r[0] ? strerror(-r[0]) : "ok");

	/* a mapping smaller than the window's TCEs, and one between the windows */
	r[0] = iommufd_ioas_map(fd, ioas, win + 2 * EDU_BUFSZ + 0x1000, (uintptr_t)dst, 0x1000,
				MAP_PROT_READ);
	r[1] = iommufd_ioas_map(fd, ioas, w.dma32.start + w.dma32.size, (uintptr_t)dst, EDU_BUFSZ,
				MAP_PROT_READ);
	ok(r[0] < 0 && r[1] < 0, "no 4K mapping in the 64K window (%s), none between the "
	   "windows (%s)", strerror(-r[0]), strerror(-r[1]));

	memset(dst, 0, EDU_BUFSZ);
	r[0] = iommufd_ioas_unmap(fd, ioas, win, EDU_BUFSZ, &unmapped);
	ok(!r[0] && unmapped == EDU_BUFSZ && !edu_dma(win, 1) && edu_all(dst, 0, EDU_BUFSZ),
	   "unmapped from the 64-bit window: edu's DMA does not reach memory");
	/* back to the default HWPT, as the caller left it */
	r[0] = vfio_cdev_attach(edu_fd, ioas);
	ok(!r[0] && !iommufd_destroy(fd, hwpt), "back on the IOAS's default HWPT, the "
	   "windows' one destroyed (%s)", r[0] ? strerror(-r[0]) : "ok");
	munmap(dst, EDU_BUFSZ);
}

static int tce_inval(int fd, uint32_t hwpt, uint64_t addr, uint64_t npages, uint32_t *done)
{
	struct iommu_hwpt_spapr_tce_invalidate inv = { .addr = addr, .npages = npages };

	*done = 0;
	return iommufd_hwpt_invalidate(fd, hwpt, IOMMU_HWPT_INVALIDATE_DATA_SPAPR_TCE, &inv,
				       sizeof(inv), 1, done);
}

/*
 * Nested (kernel-patch/ 0019): a NEST_PARENT HWPT on the IOAS translates the IOVAs that
 * TCE tables hold (a VMM's guest physical addresses), and a nested HWPT's windows take
 * their TCEs from tables mapped there, shadowed at allocation and on HWPT_INVALIDATE.
 * @iova maps @src in the IOAS; the tables and a target page go above it.
 */
static void nested_windows(int fd, uint32_t dev_id, uint32_t ioas,
			   const struct iommu_hw_info_spapr_tce *t, uint64_t iova,
			   const uint8_t *src)
{
	const uint64_t t32 = iova + 0x100000, t64 = t32 + EDU_BUFSZ, d = t64 + EDU_BUFSZ;
	const uint64_t start64 = iommufd_spapr_dma64_start(t);
	uint64_t *tab32 = edu_buffer(0), *tab64 = edu_buffer(0), unmapped = 0;
	uint32_t parent = 0, nested = 0, done = 0;
	uint8_t *dst = edu_buffer(0);
	int r[4];
	struct iommu_hwpt_spapr_tce_nested w = {
		.dma32 = { .start = t->dma32_start, .size = 1ULL << 24, .page_shift = 12,
			   .levels = 1, .table = t32 },
		.dma64 = { .start = start64, .size = 1ULL << 28, .page_shift = 16, .levels = 1,
			   .table = t64 },
	};

	/* bus iova -> src (read), bus start64 -> dst (read-write) */
	tab32[(iova - t->dma32_start) >> 12] = htobe64(iova | 1);
	tab64[0] = htobe64(d | 3);
	r[0] = iommufd_hwpt_alloc(fd, dev_id, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0,
				  &parent);
	r[1] = iommufd_ioas_map(fd, ioas, t32, (uintptr_t)tab32, EDU_BUFSZ, MAP_PROT_READ);
	if (!r[1])
		r[1] = iommufd_ioas_map(fd, ioas, t64, (uintptr_t)tab64, EDU_BUFSZ, MAP_PROT_READ);
	if (!r[1])
		r[1] = iommufd_ioas_map(fd, ioas, d, (uintptr_t)dst, EDU_BUFSZ,
					MAP_PROT_READ | MAP_PROT_WRITE);
	r[2] = r[0] ? r[0] : iommufd_hwpt_alloc(fd, dev_id, parent, 0,
						IOMMU_HWPT_DATA_SPAPR_TCE_NESTED, &w, sizeof(w),
						&nested);
	r[3] = r[2] ? r[2] : vfio_cdev_attach(edu_fd, nested);
	ok(!r[0] && !r[1] && !r[2] && !r[3],
	   "nested: a NEST_PARENT HWPT (%s), tables mapped in it (%s), a nested HWPT with "
	   "both windows over them (%s), attached (%s)", strerror(-r[0]), strerror(-r[1]),
	   strerror(-r[2]), strerror(-r[3]));
	if (r[0] || r[1] || r[2] || r[3])
		goto out;

	r[0] = edu_dma(iova, 0) || edu_dma(start64, 1);
	ok(!r[0] && !memcmp(src, dst, EDU_LEN),
	   "nested: edu DMA through TCEs shadowed from the tables: 32-bit window -> 64-bit");

	/* TCE 0 of the 64-bit window cleared, TCE 1 set: only the new one takes DMA */
	memset(dst, 0, EDU_BUFSZ);
	tab64[0] = 0;
	tab64[1] = htobe64(d | 3);
	r[0] = tce_inval(fd, nested, start64, 2, &done);
	r[1] = edu_dma(start64, 1);
	r[2] = edu_all(dst, 0, EDU_BUFSZ);
	r[3] = edu_dma(start64 + EDU_BUFSZ, 1);
	ok(!r[0] && done == 1 && !r[1] && r[2] && !r[3] && !memcmp(src, dst, EDU_LEN),
	   "HWPT_INVALIDATE: a cleared TCE stops DMA, a new one carries it (%s)",
	   strerror(-r[0]));

	/* a write TCE to a page the parent maps read-only; a range outside the windows */
	tab64[2] = htobe64(t32 | 2);
	r[0] = tce_inval(fd, nested, start64 + 2 * EDU_BUFSZ, 1, &done);
	r[1] = tce_inval(fd, nested, start64 + (1ULL << 28), 1, &done);
	ok(r[0] == -EINVAL && r[1] == -EINVAL && !done,
	   "HWPT_INVALIDATE refuses a write TCE over a read-only page (%d) and a range "
	   "outside the windows (%d)", r[0], r[1]);
	tab64[2] = 0;

	/* no PASID on these PHBs: GET_HW_INFO says so, a PASID table is refused */
	{
		struct iommu_hwpt_pasid_table pt = { .argsz = sizeof(pt), .base = t32,
						     .pasid_bits = 8, .format = 1 };
		uint32_t id;

		r[0] = iommufd_hwpt_alloc(fd, dev_id, parent, 0, IOMMU_HWPT_DATA_PASID_TABLE, &pt,
					  sizeof(pt), &id);
		ok(pasid_log2 == 0 && r[0] == -EOPNOTSUPP,
		   "no PASID: GET_HW_INFO has 0 PASID bits (%u), a PASID table HWPT -> "
		   "EOPNOTSUPP (%d)", pasid_log2, r[0]);
	}

	/* the parent unmaps the page: its nested TCE goes too */
	memset(dst, 0, EDU_BUFSZ);
	r[0] = iommufd_ioas_unmap(fd, ioas, d, EDU_BUFSZ, &unmapped);
	ok(!r[0] && unmapped == EDU_BUFSZ && !edu_dma(start64 + EDU_BUFSZ, 1) && edu_all(dst, 0, EDU_BUFSZ),
	   "unmapped from the parent: the nested TCE to it no longer takes DMA");
out:
	r[0] = vfio_cdev_attach(edu_fd, ioas);
	r[1] = nested ? iommufd_destroy(fd, nested) : 0;
	r[2] = parent ? iommufd_destroy(fd, parent) : 0;
	iommufd_ioas_unmap(fd, ioas, t32, 2 * EDU_BUFSZ, &unmapped);
	ok(!r[0] && !r[1] && !r[2], "back on the IOAS's default HWPT, nested and parent HWPTs "
	   "destroyed");
	munmap(tab32, EDU_BUFSZ);
	munmap(tab64, EDU_BUFSZ);
	munmap(dst, EDU_BUFSZ);
}

int main(int argc, char **argv)
{
	uint64_t ranges[8][2], iova = 0, unmapped = 0;
	uint32_t dev_id = 0, ioas = 0;
	struct iommu_hw_info_spapr_tce t = { 0 };
	uint8_t *src, *dst, *ro;
	int fd, r, nr, i, spapr = 0;
	char err[256];

	if (argc != 2) {
		fprintf(stderr, "usage: %s /dev/vfio/devices/vfioN (edu, bound to vfio-pci)\n", argv[0]);
		return 2;
	}

	fd = iommufd_open(err, sizeof(err));
	if (fd < 0) {
		printf("Bail out! /dev/iommu: %s\n", err);
		return 1;
	}
	r = edu_open(argv[1], fd, &dev_id, err, sizeof(err));
	ok(!r, "bind %s to iommufd, edu's ID through BAR0 (%s)", argv[1], r ? err : "ok");
	if (r) {
		printf("Bail out! %s\n", err);
		return 1;
	}

	r = iommufd_ioas_alloc(fd, &ioas);
	if (!r)
		r = vfio_cdev_attach(edu_fd, ioas);
	ok(!r, "attach to an IOAS: the IOMMU driver gives a paging domain (%s)",
	   r ? strerror(-r) : "ok");
	if (r) {
		printf("Bail out! no paging domain\n");
		return 1;
	}
	/* what the IOMMU driver says it is (kernel-patch/ on POWER: the PE's TCE windows) */
	{
		struct iommufd_hw_info hw = { 0 };

		r = iommufd_get_hw_info(fd, dev_id, &t, sizeof(t), &hw);
		spapr = !r && hw.type == IOMMU_HW_INFO_TYPE_SPAPR_TCE;
		pasid_log2 = hw.pasid_log2;
#ifdef __powerpc64__
		ok(!r && hw.type == IOMMU_HW_INFO_TYPE_SPAPR_TCE && t.windows >= 1 &&
			   (t.pgsizes & 0x1000) && t.dma32_size >= 0x10000000 && t.max_levels >= 1,
		   "GET_HW_INFO: spapr-tce, %u window(s), page sizes %#llx, 32-bit window "
		   "%#llx+%#llx, 64-bit at %#llx%s, %u levels (%s)",
		   t.windows, (unsigned long long)t.pgsizes, (unsigned long long)t.dma32_start,
		   (unsigned long long)t.dma32_size, (unsigned long long)t.dma64_start,
		   t.flags & IOMMU_HW_INFO_SPAPR_TCE_DMA64_FIXED ? " (fixed)" : "", t.max_levels,
		   r ? strerror(-r) : "ok");
#else
		ok(!r && hw.type != IOMMU_HW_INFO_TYPE_NONE, "GET_HW_INFO: type %u (%s)", hw.type,
		   r ? strerror(-r) : "ok");
#endif
	}
	nr = iommufd_ioas_iova_ranges(fd, ioas, ranges, 8);
	for (i = 0; i < nr; i++)
		printf("# IOVA range %d: %#llx..%#llx\n", i, (unsigned long long)ranges[i][0],
		       (unsigned long long)ranges[i][1]);
	/* a 1 MiB-aligned IOVA in the first usable range, under edu's 256 MiB DMA limit */
	for (i = 0; i < nr; i++) {
		iova = (ranges[i][0] + 0xfffff) & ~0xfffffULL;
		if (iova < 0x100000)
			iova = 0x100000;
		if (iova + 3 * EDU_BUFSZ - 1 <= ranges[i][1] && iova + 3 * EDU_BUFSZ <= EDU_DMA_LIMIT)
			break;
	}
	ok(nr > 0 && i < nr, "IOVA ranges: %d, using %#llx", nr, (unsigned long long)iova);
	if (nr <= 0 || i == nr)
		return 1;

	src = edu_buffer(0x5a);
	dst = edu_buffer(0);
	ro = edu_buffer(0x11);
	for (i = 0; i < EDU_LEN; i++)
		src[i] = (uint8_t)(i * 7 + 3);
	r = iommufd_ioas_map(fd, ioas, iova, (uintptr_t)src, EDU_BUFSZ, MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, iova + EDU_BUFSZ, (uintptr_t)dst, EDU_BUFSZ,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, iova + 2 * EDU_BUFSZ, (uintptr_t)ro, EDU_BUFSZ,
				     MAP_PROT_READ);
	ok(!r, "map 3 x 64K (two read-write, one read-only) (%s)", r ? strerror(-r) : "ok");

	r = edu_dma(iova, 0) || edu_dma(iova + EDU_BUFSZ, 1);
	ok(!r && !memcmp(src, dst, EDU_LEN), "edu DMA memory -> edu -> memory through the IOAS: %d bytes",
	   EDU_LEN);

	r = edu_dma(iova + 2 * EDU_BUFSZ, 1);
	ok(!r && edu_all(ro, 0x11, EDU_BUFSZ), "DMA write to a read-only IOVA does not land");

	/* detached: the BLOCKED domain */
	memset(dst, 0, EDU_BUFSZ);
	r = vfio_cdev_detach(edu_fd);
	ok(!r && !edu_dma(iova + EDU_BUFSZ, 1) && edu_all(dst, 0, EDU_BUFSZ),
	   "detached (blocked): edu's DMA does not reach memory (%s)", r ? strerror(-r) : "ok");

	/* back on the same IOAS: the same mappings work again */
	r = vfio_cdev_attach(edu_fd, ioas);
	ok(!r && !edu_dma(iova + EDU_BUFSZ, 1) && !memcmp(src, dst, EDU_LEN),
	   "re-attached: the IOAS's mappings work again (%s)", r ? strerror(-r) : "ok");

	memset(dst, 0, EDU_BUFSZ);
	r = iommufd_ioas_unmap(fd, ioas, iova + EDU_BUFSZ, EDU_BUFSZ, &unmapped);
	ok(!r && unmapped == EDU_BUFSZ && !edu_dma(iova + EDU_BUFSZ, 1) && edu_all(dst, 0, EDU_BUFSZ),
	   "unmapped: edu's DMA does not reach memory");

	/* past the last usable IOVA (the aperture's end on POWER) nothing maps */
	if (ranges[nr - 1][1] < ~0ULL - EDU_BUFSZ) {
		r = iommufd_ioas_map(fd, ioas, (ranges[nr - 1][1] + EDU_BUFSZ) & ~(EDU_BUFSZ - 1ULL),
				     (uintptr_t)dst, EDU_BUFSZ, MAP_PROT_READ);
		ok(r < 0, "no mapping past the IOVA ranges (%s)", r < 0 ? strerror(-r) : "mapped");
	} else {
		n++;
		printf("ok %d - no mapping past the IOVA ranges # SKIP they reach 2^64\n", n);
	}

	if (spapr) {
		dma64_window(fd, dev_id, ioas, &t, iova, src);
		nested_windows(fd, dev_id, ioas, &t, iova, src);
	}

	r = vfio_cdev_detach(edu_fd);
	ok(!r && !iommufd_destroy(fd, ioas), "detach, destroy the IOAS");
	close(edu_fd);
	close(fd);
	printf("1..%d\n# %d failed\n", n, failed);
	return failed != 0;
}
