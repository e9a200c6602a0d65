// SPDX-License-Identifier: GPL-2.0-only
/*
 * iommufd-replace-test CDEV (POWER, kernel-patch/): the HWPT under edu replaced while it
 * does DMA. The IOAS's default HWPT (the 32-bit window alone) and one with both windows
 * replace each other in a loop while edu's DMA goes through the 32-bit window both ways:
 * every transfer must land. A replace the caller cannot afford (a bigger 64-bit table
 * over its RLIMIT_MEMLOCK) fails and leaves the old windows taking DMA. Each window's TCE
 * table is charged to the process's locked memory (VmLck) while it is on the PE. TAP.
 */
#include <errno.h>
#include <linux/capability.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "edu.h"
#include "iommufd.h"
#include "tap.h"
#include "vfio_cdev.h"

#define ROUNDS	6

/* Give CAP_IPC_LOCK up: RLIMIT_MEMLOCK holds from now on */
static int drop_ipc_lock(void)
{
	struct __user_cap_header_struct hdr = { .version = _LINUX_CAPABILITY_VERSION_3 };
	struct __user_cap_data_struct data[2];

	if (syscall(SYS_capget, &hdr, data))
		return -1;
	data[0].effective &= ~(1U << CAP_IPC_LOCK);
	data[0].permitted &= ~(1U << CAP_IPC_LOCK);
	data[0].inheritable &= ~(1U << CAP_IPC_LOCK);
	return syscall(SYS_capset, &hdr, data) ? -1 : 0;
}

/*
 * Start a DMA and replace the HWPT back and forth (@pt[0], @pt[1]) until it is done:
 * the replaces made, or -1 if one failed.
 */
static int dma_under_replaces(uint64_t iova, int to_ram, const uint32_t *pt, int *cur)
{
	int replaces = 0;

	edu_dma_start(iova, to_ram);
	while (edu_dma_busy()) {
		*cur = !*cur;
		if (vfio_cdev_attach(edu_fd, pt[*cur]))
			return -1;
		replaces++;
	}
	return replaces;
}

/*
 * In a child without CAP_IPC_LOCK, locked memory limited to what the process has now
 * (the HWPTs charge the mm that allocated them: this one's): replace the HWPT by @pt,
 * whose 64-bit table is bigger. Its return.
 */
static int replace_over_limit(uint32_t pt)
{
	struct rlimit rl;
	int status, r;
	pid_t pid;

	rl.rlim_cur = rl.rlim_max = (rlim_t)edu_vm_locked() * 1024;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		if (drop_ipc_lock() || setrlimit(RLIMIT_MEMLOCK, &rl))
			_exit(255);
		r = vfio_cdev_attach(edu_fd, pt);
		_exit(r < 0 && r > -255 ? -r : r ? 254 : 0);
	}
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

int main(int argc, char **argv)
{
	struct iommu_hw_info_spapr_tce t;
	uint64_t win32 = 0, size64, iova, start64, unmapped;
	uint32_t dev_id = 0, ioas = 0, pt[2], big;
	int fd, r, r2, i, k, cur, lost = 0, failures = 0, replaces = 0;
	long lck[3];
	uint8_t *src, *dst, *dst64;

	if (argc != 2) {
		fprintf(stderr, "usage: %s /dev/vfio/devices/vfioN (edu, bound to vfio-pci)\n",
			argv[0]);
		return 2;
	}
	if (edu_spapr_setup(argv[1], &fd, &dev_id, &ioas, &t, &win32, &iova))
		return 1;
	/* the 64-bit windows: 2^16 and 2^17 64K TCEs, or what the PE can have */
	size64 = 1ULL << 32;
	while (t.max_tces && (size64 >> 15) > t.max_tces)
		size64 >>= 1;
	start64 = iommufd_spapr_dma64_start(&t);
	src = edu_buffer(0);
	dst = edu_buffer(0);
	dst64 = edu_buffer(0);
	r = iommufd_ioas_map(fd, ioas, iova, (uintptr_t)src, EDU_BUFSZ,
			     MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, iova + EDU_BUFSZ, (uintptr_t)dst, EDU_BUFSZ,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	pt[0] = ioas;
	pt[1] = big = 0;
	if (!r)
		r = edu_spapr_hwpt(fd, dev_id, ioas, &t, win32, size64, &pt[1]);
	if (!r)
		r = edu_spapr_hwpt(fd, dev_id, ioas, &t, win32, 2 * size64, &big);
	ok(!r, "IOAS with two 64K maps in the 32-bit window at %#llx; HWPTs with a 64-bit "
	   "window of %#llx and of %#llx bytes at %#llx (%s)", (unsigned long long)iova,
	   (unsigned long long)size64, (unsigned long long)(2 * size64),
	   (unsigned long long)start64, strerror(-r));
	if (r)
		return 1;

	/* the tables are charged while on the PE, and only then */
	lck[0] = edu_vm_locked();
	r = vfio_cdev_attach(edu_fd, pt[1]);
	lck[1] = edu_vm_locked();
	r2 = r ? r : vfio_cdev_attach(edu_fd, pt[0]);
	lck[2] = edu_vm_locked();
	ok(!r && !r2 && lck[1] > lck[0] && lck[2] == lck[0],
	   "VmLck %ld kB on the default HWPT, %ld kB with the 64-bit window's table, %ld kB "
	   "after it (%s)", lck[0], lck[1], lck[2], strerror(-(r ? r : r2)));

	/* edu's DMA both ways through the 32-bit window while the HWPT changes under it */
	cur = 0;
	for (i = 0; i < ROUNDS && !failures; i++) {
		int a, b;

		for (k = 0; k < EDU_LEN; k++)
			src[k] = (uint8_t)(k * 7 + i);
		memset(dst, 0, EDU_BUFSZ);
		a = dma_under_replaces(iova, 0, pt, &cur);
		b = a < 0 ? -1 : dma_under_replaces(iova + EDU_BUFSZ, 1, pt, &cur);
		if (a < 0 || b < 0)
			failures++;
		else
			replaces += a + b;
		lost += memcmp(src, dst, EDU_LEN) != 0;
	}
	ok(!failures && !lost && replaces >= 2 * ROUNDS,
	   "%d rounds of edu DMA through the 32-bit window, %d replaces of the HWPT during "
	   "them (64-bit window added and removed): %d transfers lost, %d replaces failed",
	   i, replaces, lost, failures);

	/* a replace over the caller's locked-memory limit fails; the old windows stay */
	r = vfio_cdev_attach(edu_fd, pt[1]);
	if (!r)
		r = iommufd_ioas_map(fd, ioas, start64, (uintptr_t)dst64, EDU_BUFSZ,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	r2 = r ? r : replace_over_limit(big);
	memset(dst64, 0, EDU_BUFSZ);
	ok(!r && r2 == -ENOMEM && !edu_dma(iova, 0) && !edu_dma(start64, 1) &&
		   !memcmp(src, dst64, EDU_LEN),
	   "a replace by a bigger 64-bit window over RLIMIT_MEMLOCK fails (%s); DMA from the "
	   "32-bit window to the 64-bit one still lands", strerror(-r2));

	/* (the default HWPT's domain has the 32-bit window alone: nothing mapped above it) */
	r = iommufd_ioas_unmap(fd, ioas, start64, EDU_BUFSZ, &unmapped);
	if (!r)
		r = vfio_cdev_attach(edu_fd, ioas);
	r2 = iommufd_destroy(fd, pt[1]);
	if (!r2)
		r2 = iommufd_destroy(fd, big);
	ok(!r && !r2 && !vfio_cdev_detach(edu_fd) && !iommufd_destroy(fd, ioas),
	   "back on the default HWPT (%s), the others destroyed (%s), detached",
	   strerror(-r), strerror(-r2));
	printf("1..%d\n# %d failed\n", n, failed);
	return failed != 0;
}
