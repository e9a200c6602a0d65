// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommufd-pes-test CDEV1 CDEV2 (POWER, kernel-patch/): one paging HWPT on two PEs, as the
 * sPAPR container shares its tables between groups. Two edus, each behind a PHB of its
 * own, attach to one HWPT with both windows: what the IOAS maps before the second attach
 * and what it maps after reach both devices, in either window; an unmap takes a page from
 * both; each PE's tables are charged; a PE that leaves takes nothing from the other, and
 * one that comes back gets every mapping. TAP.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "edu.h"
#include "iommufd.h"
#include "tap.h"
#include "vfio_cdev.h"

/*
 * Whether edu @e moves a fresh pattern from @src at @from into its buffer and out to @dst
 * at @to: 1 if it lands whole, 0 if none of it does, -1 otherwise (part, or edu stuck).
 */
static int round_trip(const struct edu_dev *e, uint8_t *src, uint64_t from, uint8_t *dst,
		      uint64_t to, int seed)
{
	int k;

	edu_use(e);
	for (k = 0; k < EDU_LEN; k++)
		src[k] = (uint8_t)(k * 13 + seed);
	memset(dst, 0, EDU_BUFSZ);
	if (edu_dma(from, 0) || edu_dma(to, 1))
		return -1;
	if (!memcmp(src, dst, EDU_LEN))
		return 1;
	return edu_all(dst, 0, EDU_LEN) ? 0 : -1;
}

/* Map EDU_BUFSZ bytes at @buf at @iova, read-write: 0 or -errno */
static int map(int fd, uint32_t ioas, uint64_t iova, void *buf)
{
	return iommufd_ioas_map(fd, ioas, iova, (uintptr_t)buf, EDU_BUFSZ,
				MAP_PROT_READ | MAP_PROT_WRITE);
}

static int open_edu(const char *path, int fd, struct edu_dev *e, uint32_t *dev_id)
{
	char err[256];

	if (edu_open(path, fd, dev_id, err, sizeof(err))) {
		printf("Bail out! %s\n", err);
		return -1;
	}
	edu_save(e);
	return 0;
}

int main(int argc, char **argv)
{
	struct iommu_hw_info_spapr_tce t, t2;
	uint64_t win32 = 0, win32b = 0, iova, start64, size64, unmapped;
	uint32_t id[2] = {}, ioas = 0, ioas2 = 0, hwpt = 0;
	struct edu_dev e[2];
	uint8_t *a, *b, *c, *out;
	int fd, r, r2, x[2], y[2], z[2];
	long base, lck[3];

	if (argc != 3) {
		fprintf(stderr, "usage: %s CDEV1 CDEV2 (two edus behind PHBs of their own)\n",
			argv[0]);
		return 2;
	}
	base = edu_vm_locked();
	if (edu_spapr_setup(argv[1], &fd, &id[0], &ioas, &t, &win32, &iova))
		return 1;
	edu_save(&e[0]);
	if (open_edu(argv[2], fd, &e[1], &id[1]))
		return 1;
	r = iommufd_spapr_hw_info(fd, id[1], &t2, &win32b);
	if (r || t2.dma32_start != t.dma32_start || win32b != win32) {
		printf("Bail out! the second edu's PE has other windows (%s)\n", strerror(-r));
		return 1;
	}
	start64 = iommufd_spapr_dma64_start(&t);
	size64 = 1ULL << 30;
	while (t.max_tces && (size64 >> 16) > t.max_tces)
		size64 >>= 1;

	a = edu_buffer(0);
	b = edu_buffer(0);
	c = edu_buffer(0);
	out = edu_buffer(0);

	/* the rig: edu 2 alone, on an IOAS of its own, moves data */
	r = iommufd_ioas_alloc(fd, &ioas2);
	if (!r)
		r = map(fd, ioas2, iova, a);
	if (!r)
		r = map(fd, ioas2, iova + EDU_BUFSZ, b);
	if (!r)
		r = vfio_cdev_attach(e[1].fd, ioas2);
	x[1] = r ? -1 : round_trip(&e[1], a, iova, b, iova + EDU_BUFSZ, 11);
	r2 = r ? r : vfio_cdev_detach(e[1].fd);
	if (!r2)
		r2 = iommufd_destroy(fd, ioas2);
	ok(!r && x[1] == 1 && !r2, "edu 2 alone on an IOAS of its own: its DMA lands (%d) (%s, %s)",
	   x[1], strerror(-r), strerror(-r2));

	/* one HWPT with both windows, on the IOAS that has a, the source, mapped */
	r = map(fd, ioas, iova, a);
	if (!r)
		r = edu_spapr_hwpt(fd, id[0], ioas, &t, win32, size64, &hwpt);
	lck[0] = edu_vm_locked();
	if (!r)
		r = vfio_cdev_attach(e[0].fd, hwpt);
	lck[1] = edu_vm_locked();
	r2 = r ? r : vfio_cdev_attach(e[1].fd, hwpt);
	lck[2] = edu_vm_locked();
	ok(!r && !r2,
	   "a HWPT with a 64-bit window of %#llx bytes at %#llx: edu 1 attached (%s), "
	   "edu 2 on another PE attached to it too (%s)",
	   (unsigned long long)size64, (unsigned long long)start64, strerror(-r), strerror(-r2));
	if (r || r2)
		return 1;
	/* edu 1 keeps its 32-bit table through the replace; edu 2 gets both of its own */
	ok(lck[1] > lck[0] && lck[0] > base && lck[2] - lck[1] == lck[1] - base,
	   "each PE's tables are charged: VmLck %ld kB, %ld on the IOAS, %ld with the 64-bit "
	   "window, %ld with edu 2 on too",
	   base, lck[0], lck[1], lck[2]);

	/* b in the 32-bit window and c in the 64-bit one, mapped with both PEs on */
	r = map(fd, ioas, iova + EDU_BUFSZ, b);
	if (!r)
		r = map(fd, ioas, start64, c);
	if (!r)
		r = map(fd, ioas, start64 + EDU_BUFSZ, out);
	for (int i = 0; i < 2; i++) {
		x[i] = r ? -1 : round_trip(&e[i], a, iova, b, iova + EDU_BUFSZ, i);
		y[i] = r ? -1 : round_trip(&e[i], c, start64, out, start64 + EDU_BUFSZ, i + 2);
	}
	ok(!r && x[0] == 1 && x[1] == 1 && y[0] == 1 && y[1] == 1,
	   "maps from before and after the second attach reach both PEs: 32-bit window "
	   "%d/%d, 64-bit window %d/%d (1: lands) (%s)",
	   x[0], x[1], y[0], y[1], strerror(-r));

	/* an unmap takes the page from both */
	r = iommufd_ioas_unmap(fd, ioas, start64 + EDU_BUFSZ, EDU_BUFSZ, &unmapped);
	for (int i = 0; i < 2; i++)
		z[i] = r ? -1 : round_trip(&e[i], c, start64, out, start64 + EDU_BUFSZ, i + 4);
	ok(!r && z[0] == 0 && z[1] == 0,
	   "after an unmap neither edu's DMA lands there: %d/%d (0: nothing lands) (%s)", z[0],
	   z[1], strerror(-r));

	/* edu 2 leaves: edu 1 keeps its windows, edu 2 has none */
	r = vfio_cdev_detach(e[1].fd);
	x[0] = r ? -1 : round_trip(&e[0], a, iova, b, iova + EDU_BUFSZ, 6);
	x[1] = r ? -1 : round_trip(&e[1], a, iova, b, iova + EDU_BUFSZ, 7);
	ok(!r && x[0] == 1 && x[1] == 0 && edu_vm_locked() == lck[1],
	   "edu 2 detached (%s): edu 1's DMA still lands (%d), edu 2's does not (%d), its "
	   "tables uncharged (VmLck %ld kB)",
	   strerror(-r), x[0], x[1], edu_vm_locked());

	/* and comes back to every mapping the HWPT has now */
	r = vfio_cdev_attach(e[1].fd, hwpt);
	x[1] = r ? -1 : round_trip(&e[1], a, iova, b, iova + EDU_BUFSZ, 8);
	y[1] = r ? -1 : round_trip(&e[1], c, start64, a, iova, 9);
	ok(!r && x[1] == 1 && y[1] == 1,
	   "edu 2 attached again (%s): its DMA lands in both windows (%d, %d)", strerror(-r), x[1],
	   y[1]);

	/* (the IOAS's own domain has the 32-bit window alone: nothing mapped above it) */
	r = iommufd_ioas_unmap(fd, ioas, start64, EDU_BUFSZ, &unmapped);
	if (!r)
		r = vfio_cdev_attach(e[0].fd, ioas);
	r2 = r ? r : vfio_cdev_detach(e[1].fd);
	if (!r2)
		r2 = iommufd_destroy(fd, hwpt);
	lck[2] = edu_vm_locked();
	ok(!r && !r2 && lck[2] == lck[0] && !vfio_cdev_detach(e[0].fd) && edu_vm_locked() == base,
	   "edu 1 back on the IOAS (%s, VmLck %ld kB), edu 2 detached, the HWPT destroyed (%s), "
	   "edu 1 detached (VmLck %ld kB)",
	   strerror(-r), lck[2], strerror(-r2), edu_vm_locked());
	printf("1..%d\n# %d failed\n", n, failed);
	return failed != 0;
}
