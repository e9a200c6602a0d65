// SPDX-License-Identifier: GPL-2.0-only
/* QEMU's edu device through its VFIO cdev, for the host-side iommufd test programs. */
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/pci_regs.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "edu.h"
#include "iommufd.h"
#include "vfio_cdev.h"

#define EDU_ID		0x00
#define EDU_DMA_SRC	0x80
#define EDU_DMA_DST	0x88
#define EDU_DMA_CNT	0x90
#define EDU_DMA_CMD	0x98
#define EDU_DMA_RUN	0x1
#define EDU_DMA_TO_RAM	0x2
#define EDU_OWN_BUF	0x40000	/* edu's own 4K buffer, in its DMA address space */

int edu_fd = -1;
static uint64_t bar0;
static int swap;	/* edu's registers are big-endian on qemu-system-ppc64 */

static uint32_t rd32(uint32_t off)
{
	uint32_t v = 0;

	if (pread(edu_fd, &v, 4, bar0 + off) != 4)
		return 0xffffffff;
	return swap ? __builtin_bswap32(v) : v;
}

static void wr32(uint32_t off, uint32_t v)
{
	v = swap ? __builtin_bswap32(v) : v;
	if (pwrite(edu_fd, &v, 4, bar0 + off) != 4)
		fprintf(stderr, "edu: write %#x: %s\n", off, strerror(errno));
}

/* edu's DMA address registers take the whole 64 bits in one access */
static void wr64(uint32_t off, uint64_t v)
{
	v = swap ? __builtin_bswap64(v) : v;
	if (pwrite(edu_fd, &v, 8, bar0 + off) != 8)
		fprintf(stderr, "edu: write %#x: %s\n", off, strerror(errno));
}

void edu_save(struct edu_dev *e)
{
	e->fd = edu_fd;
	e->bar0 = bar0;
	e->swap = swap;
}

void edu_use(const struct edu_dev *e)
{
	edu_fd = e->fd;
	bar0 = e->bar0;
	swap = e->swap;
}

int edu_open(const char *path, int iommufd, uint32_t *dev_id, char *err, size_t len)
{
	struct vfio_region_info reg = { .argsz = sizeof(reg), .index = VFIO_PCI_BAR0_REGION_INDEX };
	uint16_t cmd = 0;
	uint32_t id;
	int r;

	edu_fd = open(path, O_RDWR | O_CLOEXEC);
	if (edu_fd < 0) {
		snprintf(err, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	r = vfio_cdev_bind(edu_fd, iommufd, dev_id);
	if (r) {
		snprintf(err, len, "bind %s to iommufd: %s", path, strerror(-r));
		return -1;
	}
	if (ioctl(edu_fd, VFIO_DEVICE_GET_REGION_INFO, &reg)) {
		snprintf(err, len, "BAR0: %s", strerror(errno));
		return -1;
	}
	bar0 = reg.offset;
	/* vfio-pci leaves bus mastering to the user (the guest, under a VMM) */
	reg.index = VFIO_PCI_CONFIG_REGION_INDEX;
	if (ioctl(edu_fd, VFIO_DEVICE_GET_REGION_INFO, &reg) ||
	    pread(edu_fd, &cmd, 2, reg.offset + PCI_COMMAND) != 2) {
		snprintf(err, len, "config space: %s", strerror(errno));
		return -1;
	}
	cmd = htole16(le16toh(cmd) | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
	if (pwrite(edu_fd, &cmd, 2, reg.offset + PCI_COMMAND) != 2) {
		snprintf(err, len, "bus master: %s", strerror(errno));
		return -1;
	}
	swap = 0;	/* not what an edu opened before had */
	id = rd32(EDU_ID);
	swap = id == 0xed000001;
	if (id != 0x010000ed && !swap) {
		snprintf(err, len, "%s: ID %#x is not edu's", path, id);
		return -1;
	}
	return 0;
}

void edu_dma_start(uint64_t iova, int to_ram)
{
	wr64(EDU_DMA_SRC, to_ram ? EDU_OWN_BUF : iova);
	wr64(EDU_DMA_DST, to_ram ? iova : EDU_OWN_BUF);
	wr32(EDU_DMA_CNT, EDU_LEN);
	wr32(EDU_DMA_CMD, EDU_DMA_RUN | (to_ram ? EDU_DMA_TO_RAM : 0));
}

int edu_dma_busy(void)
{
	return rd32(EDU_DMA_CMD) & EDU_DMA_RUN;
}

int edu_dma(uint64_t iova, int to_ram)
{
	struct timespec t = { 0, 5 * 1000 * 1000 };
	int i;

	edu_dma_start(iova, to_ram);
	for (i = 0; i < 400; i++) { /* edu runs its DMA from a 100 ms timer */
		if (!edu_dma_busy())
			return 0;
		nanosleep(&t, NULL);
	}
	return -1;
}

int edu_spapr_setup(const char *path, int *fd, uint32_t *dev_id, uint32_t *ioas,
		    struct iommu_hw_info_spapr_tce *t, uint64_t *win32, uint64_t *iova)
{
	char err[256];
	int r;

	*fd = iommufd_open(err, sizeof(err));
	if (*fd < 0 || edu_open(path, *fd, dev_id, err, sizeof(err))) {
		printf("Bail out! %s\n", err);
		return -1;
	}
	r = iommufd_ioas_alloc(*fd, ioas);
	if (!r)
		r = vfio_cdev_attach(edu_fd, *ioas);
	if (!r)
		r = iommufd_spapr_hw_info(*fd, *dev_id, t, win32);
	if (r) {
		printf("Bail out! no sPAPR paging domain on an IOAS: %s\n", strerror(-r));
		return -1;
	}
	*iova = (t->dma32_start + 0xfffff) & ~0xfffffULL;
	if (*iova < 0x100000)
		*iova = 0x100000;
	return 0;
}

int edu_spapr_hwpt(int fd, uint32_t dev_id, uint32_t ioas, const struct iommu_hw_info_spapr_tce *t,
		   uint64_t size32, uint64_t size64, uint32_t *hwpt)
{
	struct iommu_hwpt_spapr_tce w = {
		.dma32 = { .start = t->dma32_start, .size = size32, .page_shift = 12,
			   .levels = 1 },
		.dma64 = { .start = iommufd_spapr_dma64_start(t), .size = size64,
			   .page_shift = 16, .levels = 1 },
	};

	return iommufd_hwpt_alloc(fd, dev_id, ioas, 0, IOMMU_HWPT_DATA_SPAPR_TCE, &w, sizeof(w),
				  hwpt);
}

void *edu_buffer(int c)
{
	void *p = mmap(NULL, EDU_BUFSZ, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		       -1, 0);

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	memset(p, c, EDU_BUFSZ);
	return p;
}

long edu_vm_locked(void)
{
	char line[128];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmLck: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int edu_all(const uint8_t *p, int c, size_t len)
{
	while (len--)
		if (*p++ != (uint8_t)c)
			return 0;
	return 1;
}
