/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * QEMU's edu device, bound to vfio-pci and opened by its cdev, for the host-side iommufd
 * test programs: its DMA engine moves LEN bytes between an IOVA and its own buffer.
 */
#ifndef PSVM_TESTS_IOMMUFD_EDU_H
#define PSVM_TESTS_IOMMUFD_EDU_H

#include <stddef.h>
#include <stdint.h>

#define EDU_LEN		4096
#define EDU_BUFSZ	0x10000	/* one host page on every kernel psvm runs on */
#define EDU_DMA_LIMIT	0x10000000ULL	/* edu's default 28-bit DMA mask */

extern int edu_fd;

/* Several edus: edu_open() sets the one the calls drive; these save and switch it */
struct edu_dev {
	int fd;
	uint64_t bar0;
	int swap;
};

void edu_save(struct edu_dev *e);
void edu_use(const struct edu_dev *e);

/*
 * Open @path, bind it to @iommufd (its device ID in *@dev_id), turn on memory decode and
 * bus mastering and check edu's ID: 0, or -1 with a line in @err.
 */
int edu_open(const char *path, int iommufd, uint32_t *dev_id, char *err, size_t len);
/* Start one DMA between @iova and edu's buffer; edu runs it from a 100 ms timer */
void edu_dma_start(uint64_t iova, int to_ram);
/* Whether the DMA started last still runs */
int edu_dma_busy(void);
/* One DMA, waited for: 0 when it completed */
int edu_dma(uint64_t iova, int to_ram);

struct iommu_hw_info_spapr_tce;

/*
 * For the POWER programs: /dev/iommu opened (*@fd), edu at @path bound to it and attached
 * to a new IOAS (*@ioas) whose paging domain has sPAPR windows (*@t, the 32-bit one's size
 * in *@win32), and *@iova a 1 MiB-aligned bus address in it for the programs' buffers.
 * 0, or -1 after a "Bail out!" line.
 */
int edu_spapr_setup(const char *path, int *fd, uint32_t *dev_id, uint32_t *ioas,
		    struct iommu_hw_info_spapr_tce *t, uint64_t *win32, uint64_t *iova);

/*
 * A paging HWPT on @ioas with the PE's 32-bit window of @size32 bytes in 4K TCEs and a
 * 64-bit one of @size64 bytes in 64K TCEs where the PE has it (@t), both one-level: its
 * ID in *@hwpt, 0 or -errno.
 */
int edu_spapr_hwpt(int fd, uint32_t dev_id, uint32_t ioas, const struct iommu_hw_info_spapr_tce *t,
		   uint64_t size32, uint64_t size64, uint32_t *hwpt);

/* An anonymous EDU_BUFSZ buffer filled with @c (exits when there is no memory) */
void *edu_buffer(int c);
/* kB of the process's memory locked or charged as locked (VmLck), or -1 */
long edu_vm_locked(void);
/* Whether @len bytes at @p are all @c */
int edu_all(const uint8_t *p, int c, size_t len);

#endif
