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

/* An anonymous EDU_BUFSZ buffer filled with @c (exits when there is no memory) */
void *edu_buffer(int c);
/* Whether @len bytes at @p are all @c */
int edu_all(const uint8_t *p, int c, size_t len);

#endif
