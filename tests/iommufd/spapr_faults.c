// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommufd-faults-test CDEV (POWER, kernel-patch/, an L1 with fail_nth): the powerpc
 * domains under failed allocations and huge requests, on edu.
 * - fail_nth sweeps, each call failed at its 1st, 2nd, ... allocation until it succeeds:
 *   a replace of the HWPT (the 64-bit window added) after which the old windows must
 *   still take edu's DMA; an IOAS_MAP into a 64-bit window with a multi-level table
 *   (the level allocated as the TCEs are written); a nested HWPT allocation; a nested
 *   invalidation, after which a clean one must bring the TCE back. No oops, no warning.
 * - bounded work: a nested HWPT whose 64-bit window has a million TCEs (its table one 64K
 *   page mapped over and over in the parent) and the invalidation of it all: a signal
 *   ends either within a fixed time, with EINTR.
 * TAP.
 */
#include <errno.h>
#include <endian.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "edu.h"
#include "iommufd.h"
#include "tap.h"
#include "vfio_cdev.h"

#define SWEEP_MAX	4000
#define KILL_NPAGES	(1ULL << 20)	/* TCEs in the bounded-work window, at most */
#define SIGNAL_MS	30
#define BOUND_MS	500

static int fd, fail_fd;
static uint32_t dev_id, ioas, parent, nested, paging;
static uint64_t iova, start64;
static struct iommu_hw_info_spapr_tce t;
static uint8_t *src, *dst, *dst64;
static uint64_t *tab64;
static const uint64_t tabiova = 0x8000000;	/* the nested tables, in the parent */

static int write_file(const char *path, const char *v)
{
	int f = open(path, O_WRONLY), r;

	if (f < 0)
		return -1;
	r = write(f, v, strlen(v)) == (ssize_t)strlen(v) ? 0 : -1;
	close(f);
	return r;
}

/* failslab and fail_page_alloc for every allocation the task's fail-nth picks */
static int fault_injection_setup(void)
{
	static const char *const knobs[][2] = {
		{ "failslab/ignore-gfp-wait", "N" },
		{ "fail_page_alloc/ignore-gfp-wait", "N" },
		{ "fail_page_alloc/ignore-gfp-highmem", "N" },
		{ "fail_page_alloc/min-order", "0" },
		{ "failslab/verbose", "0" },
		{ "fail_page_alloc/verbose", "0" },
	};
	char path[128];
	unsigned int i;

	mkdir("/sys/kernel/debug", 0755);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++) {
		snprintf(path, sizeof(path), "/sys/kernel/debug/%s", knobs[i][0]);
		if (write_file(path, knobs[i][1]))
			return -1;
	}
	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	return fail_fd < 0 ? -1 : 0;
}

static void fail_nth(int nth)
{
	char v[16];

	snprintf(v, sizeof(v), "%d", nth);
	if (pwrite(fail_fd, v, strlen(v), 0) < 0)
		perror("fail-nth");
}

/* Whether the failure fail_nth() armed was injected */
static int fail_nth_hit(void)
{
	char v[16] = "";

	if (pread(fail_fd, v, sizeof(v) - 1, 0) <= 0)
		return 0;
	return atoi(v) == 0;
}

struct sweep {
	const char *name;
	void (*prep)(void);	/* before each call, not failed */
	int (*op)(void);	/* 0 or -errno */
	void (*undo)(void);	/* after it succeeded */
	int (*check)(void);	/* after it failed: 0 when all is as before */
};

/*
 * Fail the op at its 1st, 2nd, ... allocation until it succeeds with none failed: every
 * failed call must leave things as they were, so that the next try can succeed. The
 * calls failed; -1 if the op never succeeded or failed with nothing injected.
 */
static int sweep(const struct sweep *s, int *bad)
{
	int nth, r, hit, failures = 0;

	*bad = 0;
	for (nth = 1; nth < SWEEP_MAX; nth++) {
		if (s->prep)
			s->prep();
		fail_nth(nth);
		r = s->op();
		hit = fail_nth_hit();
		fail_nth(0);
		if (!r) {
			s->undo();
			if (!hit)
				return failures;
			continue;
		}
		if (!hit) {
			/* it fails with nothing failed for it: an earlier failure stuck */
			printf("# %s: fails on its own after %d failures (%s)\n", s->name,
			       failures, strerror(-r));
			return -1;
		}
		failures++;
		if (s->check()) {
			printf("# %s: state changed after a failure at allocation %d (%s)\n",
			       s->name, nth, strerror(-r));
			(*bad)++;
		}
	}
	return -1;
}

/* edu's DMA through the 32-bit window, both ways */
static int dma32_works(void)
{
	memset(dst, 0, EDU_BUFSZ);
	return edu_dma(iova, 0) || edu_dma(iova + EDU_BUFSZ, 1) || memcmp(src, dst, EDU_LEN);
}

/* A replace by a HWPT with a 64-bit window too */
static int replace_op(void)
{
	return vfio_cdev_attach(edu_fd, paging);
}

static void replace_undo(void)
{
	vfio_cdev_attach(edu_fd, ioas);
}

/* An IOAS_MAP into the 64-bit window of a multi-level table */
static int map64_op(void)
{
	return iommufd_ioas_map(fd, ioas, start64, (uintptr_t)dst64, EDU_BUFSZ,
				MAP_PROT_READ | MAP_PROT_WRITE);
}

static void map64_undo(void)
{
	uint64_t unmapped;

	iommufd_ioas_unmap(fd, ioas, start64, EDU_BUFSZ, &unmapped);
}

static int map64_check(void)
{
	uint64_t unmapped = 0;

	/* nothing of it mapped */
	return iommufd_ioas_unmap(fd, ioas, start64, EDU_BUFSZ, &unmapped) != -ENOENT;
}

static struct iommu_hwpt_spapr_tce_nested nested_windows(uint64_t size64, uint32_t shift64)
{
	return (struct iommu_hwpt_spapr_tce_nested){
		.dma32 = { .start = t.dma32_start, .size = 1ULL << 24, .page_shift = 12,
			   .levels = 1, .table = tabiova },
		.dma64 = { .start = start64, .size = size64, .page_shift = shift64,
			   .levels = 1, .table = tabiova + EDU_BUFSZ },
	};
}

static int nested_op(void)
{
	struct iommu_hwpt_spapr_tce_nested w = nested_windows(1ULL << 28, 16);

	return iommufd_hwpt_alloc(fd, dev_id, parent, 0, IOMMU_HWPT_DATA_SPAPR_TCE_NESTED, &w,
				  sizeof(w), &nested);
}

static void nested_undo(void)
{
	iommufd_destroy(fd, nested);
}

static int nothing_check(void)
{
	return 0;
}

static int tce_inval(uint64_t addr, uint64_t npages)
{
	struct iommu_hwpt_spapr_tce_invalidate inv = { .addr = addr, .npages = npages };
	uint32_t done = 0;

	return iommufd_hwpt_invalidate(fd, nested, IOMMU_HWPT_INVALIDATE_DATA_SPAPR_TCE, &inv,
				       sizeof(inv), 1, &done);
}

#define TCE1	(start64 + EDU_BUFSZ)

/* TCE 1 of the nested 64-bit window cleared (not shadowed), then set in its table */
static void inval_prep(void)
{
	tab64[1] = 0;
	tce_inval(TCE1, 1);
	tab64[1] = htobe64(0x4000000 | 3);
}

/* TCE 1 of the nested 64-bit window changed in its table: invalidated */
static int inval_op(void)
{
	return tce_inval(TCE1, 1);
}

static void nothing(void)
{
}

static int inval_check(void)
{
	/* a clean invalidation brings the TCE back: DMA lands through it */
	memset(dst64, 0, EDU_BUFSZ);
	return tce_inval(TCE1, 1) || edu_dma(iova, 0) ||
	       edu_dma(TCE1, 1) || memcmp(src, dst64, EDU_LEN);
}

/* The kernel's log (a static buffer), its length in *@len (-1 if unreadable) */
static const char *klog(int *len)
{
	static char log[1 << 16];

	*len = klogctl(3, log, sizeof(log) - 1);	/* SYSLOG_ACTION_READ_ALL */
	log[*len > 0 ? *len : 0] = 0;
	return log;
}

/* Whether the kernel's log holds @what */
static int log_has(const char *what)
{
	int len;
	const char *log = klog(&len);

	return len > 0 && strstr(log, what);
}

static void on_alarm(int sig)
{
	(void)sig;
}

static long ms_since(const struct timespec *a)
{
	struct timespec b;

	clock_gettime(CLOCK_MONOTONIC, &b);
	return (b.tv_sec - a->tv_sec) * 1000 + (b.tv_nsec - a->tv_nsec) / 1000000;
}

/* Run @call with SIGALRM at SIGNAL_MS (@signal) or none; its return, *ms its time */
static int timed(int (*call)(void), int signal, long *ms)
{
	struct itimerval it = { .it_value = { 0, SIGNAL_MS * 1000 } };
	struct timespec a;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &a);
	if (signal)
		setitimer(ITIMER_REAL, &it, NULL);
	r = call();
	*ms = ms_since(&a);
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	return r;
}

static uint64_t big_npages;

static int big_alloc(void)
{
	struct iommu_hwpt_spapr_tce_nested w = nested_windows(big_npages << 12, 12);

	return iommufd_hwpt_alloc(fd, dev_id, parent, 0, IOMMU_HWPT_DATA_SPAPR_TCE_NESTED, &w,
				  sizeof(w), &nested);
}

static int big_inval_all(void)
{
	return tce_inval(0, ~0ULL);
}

/* A nested window of big_npages 4K TCEs: allocating it, invalidating it all */
static void bounded_work(void)
{
	struct sigaction sa = { .sa_handler = on_alarm };	/* no SA_RESTART */
	uint64_t table = tabiova + EDU_BUFSZ, len = big_npages * 8, off, unmapped;
	long ms[4] = { 0 };
	int r[4], m = 0;

	sigaction(SIGALRM, &sa, NULL);
	/* the table: one zeroed 64K page, mapped over and over */
	memset(tab64, 0, EDU_BUFSZ);
	for (off = EDU_BUFSZ; off < len && !m; off += EDU_BUFSZ)
		m = iommufd_ioas_map(fd, ioas, table + off, (uintptr_t)tab64, EDU_BUFSZ,
				     MAP_PROT_READ);
	r[0] = m ? m : timed(big_alloc, 1, &ms[0]);
	if (!r[0])
		iommufd_destroy(fd, nested);
	ok(r[0] == -EINTR && ms[0] < SIGNAL_MS + BOUND_MS,
	   "a nested HWPT over a table of %llu TCEs: a signal at %d ms ends its allocation "
	   "at %ld ms with EINTR (%s)", (unsigned long long)big_npages, SIGNAL_MS, ms[0],
	   strerror(-r[0]));
	r[1] = m ? m : timed(big_alloc, 0, &ms[1]);
	r[2] = r[1] ? r[1] : timed(big_inval_all, 1, &ms[2]);
	r[3] = r[1] ? r[1] : timed(big_inval_all, 0, &ms[3]);
	ok(!r[1] && r[2] == -EINTR && ms[2] < SIGNAL_MS + BOUND_MS && !r[3],
	   "unsignalled it takes %ld ms; the invalidation of the whole window: a signal ends "
	   "it at %ld ms with EINTR (%s), unsignalled it takes %ld ms (%s)", ms[1], ms[2],
	   strerror(-r[2]), ms[3], strerror(-r[3]));
	if (!r[1])
		iommufd_destroy(fd, nested);
	iommufd_ioas_unmap(fd, ioas, table + EDU_BUFSZ, len - EDU_BUFSZ, &unmapped);
}

static int setup(const char *path)
{
	struct iommu_hwpt_spapr_tce w = { 0 };
	uint64_t win32;
	int r, i;

	if (edu_spapr_setup(path, &fd, &dev_id, &ioas, &t, &win32, &iova))
		return -1;
	start64 = iommufd_spapr_dma64_start(&t);
	src = edu_buffer(0);
	dst = edu_buffer(0);
	dst64 = edu_buffer(0);
	tab64 = edu_buffer(0);
	for (i = 0; i < EDU_LEN; i++)
		src[i] = (uint8_t)(i * 5 + 1);
	r = iommufd_ioas_map(fd, ioas, iova, (uintptr_t)src, EDU_BUFSZ,
			     MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, iova + EDU_BUFSZ, (uintptr_t)dst, EDU_BUFSZ,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	/* the paging HWPT of the sweeps: the 64-bit window's table in as many levels as can be */
	w.dma32 = (struct iommu_hwpt_spapr_tce_window){ t.dma32_start, win32, 12, 1 };
	w.dma64 = (struct iommu_hwpt_spapr_tce_window){ start64, 1ULL << 32, 16,
							t.max_levels > 1 ? 2 : 1 };
	while (t.max_tces && (w.dma64.size >> 16) > t.max_tces)
		w.dma64.size >>= 1;
	if (!r)
		r = iommufd_hwpt_alloc(fd, dev_id, ioas, 0, IOMMU_HWPT_DATA_SPAPR_TCE, &w,
				       sizeof(w), &paging);
	ok(!r, "edu on an IOAS, a HWPT with a 64-bit window of %#llx bytes in %u-level "
	   "tables (%s)", (unsigned long long)w.dma64.size, w.dma64.levels, strerror(-r));
	big_npages = KILL_NPAGES;
	while (t.max_tces && big_npages > t.max_tces)
		big_npages >>= 1;
	return r ? -1 : 0;
}

int main(int argc, char **argv)
{
	static const struct sweep replace = { "replace", NULL, replace_op, replace_undo,
					      dma32_works };
	static const struct sweep map64 = { "map64", NULL, map64_op, map64_undo, map64_check };
	static const struct sweep alloc = { "nested", NULL, nested_op, nested_undo,
					    nothing_check };
	static const struct sweep inval = { "invalidate", inval_prep, inval_op, nothing,
					    inval_check };
	const char *log;
	int f, bad, r, r2, len, level;

	if (argc != 2) {
		fprintf(stderr, "usage: %s /dev/vfio/devices/vfioN (edu, bound to vfio-pci)\n",
			argv[0]);
		return 2;
	}
	if (fault_injection_setup()) {
		printf("Bail out! no fault injection in this kernel (fail-nth, debugfs)\n");
		return 1;
	}
	klogctl(5, NULL, 0);	/* SYSLOG_ACTION_CLEAR: this run's messages only */
	if (setup(argv[1]))
		return 1;

	f = sweep(&replace, &bad);
	ok(f > 0 && !bad && !dma32_works(), "replace to a HWPT with a 64-bit window: %d "
	   "allocations failed, each left the old windows taking DMA (%d did not)", f, bad);

	r = vfio_cdev_attach(edu_fd, paging);
	f = r ? -1 : sweep(&map64, &bad);
	/* a multi-level table (powernv): one of them was the level pnv_tce() allocates */
	level = log_has("Failed to allocate a TCE memory");
	ok(f > 0 && !bad && (t.max_levels < 2 || level),
	   "IOAS_MAP into the 64-bit window: %d allocations failed, each mapped nothing (%d "
	   "did)%s", f, bad, level ? ", a TCE table level among them" : "");

	/* nested: a parent on the IOAS, its tables in it, the 64-bit one's TCE 1 to dst64 */
	r = vfio_cdev_attach(edu_fd, ioas);
	if (!r)
		r = iommufd_hwpt_alloc(fd, dev_id, ioas, IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0,
				       &parent);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, tabiova, (uintptr_t)tab64, EDU_BUFSZ, MAP_PROT_READ);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, tabiova + EDU_BUFSZ, (uintptr_t)tab64, EDU_BUFSZ,
				     MAP_PROT_READ);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, 0x4000000, (uintptr_t)dst64, EDU_BUFSZ,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	f = r ? -1 : sweep(&alloc, &bad);
	ok(f > 0, "nested HWPT allocation: %d allocations failed (%s)", f, strerror(-r));

	tab64[(iova - t.dma32_start) >> 12] = htobe64(iova | 1);
	r = nested_op();
	if (!r)
		r = vfio_cdev_attach(edu_fd, nested);
	r2 = r;
	f = r2 ? -1 : sweep(&inval, &bad);
	ok(f > 0 && !bad, "nested invalidation: %d allocations failed, a clean one brought "
	   "the TCE back after each (%d did not) (%s)", f, bad, strerror(-r2));
	tab64[1] = 0;
	tab64[(iova - t.dma32_start) >> 12] = 0;

	r = vfio_cdev_attach(edu_fd, ioas);
	if (nested)
		iommufd_destroy(fd, nested);
	bounded_work();

	r2 = iommufd_destroy(fd, parent) || iommufd_destroy(fd, paging);
	ok(!r && !r2 && !dma32_works() && !vfio_cdev_detach(edu_fd),
	   "back on the IOAS: DMA works; parent and paging HWPTs destroyed, detached");
	log = klog(&len);
	ok(len >= 0 && !strstr(log, "WARNING:") && !strstr(log, "Oops") && !strstr(log, "BUG:") &&
		   !strstr(log, "Unable to handle"),
	   "the kernel logged no oops, BUG or warning (%d bytes of log)", len);
	printf("1..%d\n# %d failed\n", n, failed);
	return failed != 0;
}
