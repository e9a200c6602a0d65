// SPDX-License-Identifier: GPL-2.0-only
/*
 * DMA backend "legacy": the VFIO sPAPR TCE v2 container. The device's group joins a
 * container, guest RAM is pre-registered (pinned once, so every MAP_DMA is a table update
 * with no page walk), each guest window is a VFIO_IOMMU_SPAPR_TCE_CREATE'd host window,
 * and TCE updates are MAP_DMA/UNMAP_DMA calls.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vfio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "arch.h"
#include "dma_backend.h"
#include "log.h"
#include "vm.h"

struct dma_legacy {
	struct dma_backend b;
	int container, group;
	bool ram_registered;
	struct vfio_iommu_spapr_tce_info tce_info;
};

static struct dma_legacy *to_legacy(void *ctx)
{
	return container_of(ctx, struct dma_legacy, b);
}

static int container_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct vfio_iommu_type1_dma_map m = {
		.argsz = sizeof(m),
		.flags = (prot & MAP_PROT_READ ? VFIO_DMA_MAP_FLAG_READ : 0) |
			 (prot & MAP_PROT_WRITE ? VFIO_DMA_MAP_FLAG_WRITE : 0),
		.vaddr = hva,
		.iova = iova,
		.size = len,
	};

	return ioctl(to_legacy(ctx)->container, VFIO_IOMMU_MAP_DMA, &m) ? -errno : 0;
}

static int container_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct vfio_iommu_type1_dma_unmap u = { .argsz = sizeof(u), .iova = iova, .size = len };

	return ioctl(to_legacy(ctx)->container, VFIO_IOMMU_UNMAP_DMA, &u) ? -errno : 0;
}

static int legacy_window_create(void *ctx, unsigned int page_shift, uint64_t size, uint64_t *bus)
{
	struct dma_legacy *l = to_legacy(ctx);
	int err = 0;

	/* One level where the host allows it (pseries L1s want exactly that), else more. */
	for (uint32_t levels = 1; levels <= MAX(1u, l->tce_info.ddw.levels); levels++) {
		struct vfio_iommu_spapr_tce_create c = {
			.argsz = sizeof(c),
			.page_shift = page_shift,
			.window_size = size,
			.levels = levels,
		};

		if (!ioctl(l->container, VFIO_IOMMU_SPAPR_TCE_CREATE, &c)) {
			*bus = c.start_addr;
			return 0;
		}
		err = errno;
		if (err != EINVAL && err != ENOMEM)
			break;
	}
	pr_warn("vfio %s: VFIO_IOMMU_SPAPR_TCE_CREATE(2^%u pages, %llu MiB): %s", l->b.bdf,
		page_shift, (unsigned long long)(size >> 20), strerror(err));
	return -err;
}

static int legacy_window_remove(void *ctx, uint64_t bus)
{
	struct vfio_iommu_spapr_tce_remove r = { .argsz = sizeof(r), .start_addr = bus };

	return ioctl(to_legacy(ctx)->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &r) ? -errno : 0;
}

/* Tier 0: KVM serves the window's TCE hcalls and programs it through the group. */
static int legacy_window_link(void *ctx, int tablefd)
{
	struct dma_legacy *l = to_legacy(ctx);

	return arch_tce_link_group(l->b.vm, tablefd, l->group);
}

/* All of guest RAM, as pre-registered with the container (and unregistered at the end) */
static struct vfio_iommu_spapr_register_memory ram_region(const struct vm *vm)
{
	return (struct vfio_iommu_spapr_register_memory){
		.argsz = sizeof(struct vfio_iommu_spapr_register_memory),
		.vaddr = (uint64_t)(uintptr_t)vm->mem.hva,
		.size = vm->mem.size,
	};
}

static void legacy_close(struct dma_backend *b)
{
	struct dma_legacy *l = to_legacy(b);

	/* closing resets the device (vfio-pci, last close): nothing the guest did survives */
	if (b->devfd >= 0)
		close(b->devfd);
	if (l->ram_registered) {
		struct vfio_iommu_spapr_register_memory reg = ram_region(b->vm);

		ioctl(l->container, VFIO_IOMMU_SPAPR_UNREGISTER_MEMORY, &reg);
	}
	if (l->group >= 0)
		close(l->group);
	if (l->container >= 0)
		close(l->container);
	free(l);
}

static const struct dma_backend_ops legacy_ops = {
	.name = "legacy",
	.windows = { .window_create = legacy_window_create,
		     .window_remove = legacy_window_remove,
		     .window_link = legacy_window_link },
	.close = legacy_close,
};

static int sysfs_group(const char *bdf, char *err, size_t errlen)
{
	char path[PATH_MAX], link[PATH_MAX];
	ssize_t n;

	snprintf(path, sizeof(path), "/sys/bus/pci/devices/%s/iommu_group", bdf);
	n = readlink(path, link, sizeof(link) - 1);
	if (n < 0)
		return errorf(err, errlen, "%s: no IOMMU group (%s)", bdf, strerror(errno));
	link[n] = 0;
	return atoi(basename(link));
}

static int legacy_setup(struct dma_legacy *l, char *err, size_t errlen)
{
	struct vfio_group_status gs = { .argsz = sizeof(gs) };
	struct vfio_iommu_spapr_register_memory reg = ram_region(l->b.vm);
	struct vfio_iommu_spapr_tce_remove dflt = { .argsz = sizeof(dflt) };
	const char *bdf = l->b.bdf;
	char path[64];
	int group;

	group = sysfs_group(bdf, err, errlen);
	if (group < 0)
		return -1;
	l->container = open("/dev/vfio/vfio", O_RDWR | O_CLOEXEC);
	if (l->container < 0)
		return errorf(err, errlen, "/dev/vfio/vfio: %s (load vfio, vfio_iommu_spapr_tce)",
			      strerror(errno));
	if (ioctl(l->container, VFIO_GET_API_VERSION) != VFIO_API_VERSION ||
	    ioctl(l->container, VFIO_CHECK_EXTENSION, VFIO_SPAPR_TCE_v2_IOMMU) != 1)
		return errorf(
			err, errlen,
			"%s: the VFIO container offers no sPAPR TCE v2 IOMMU (not a POWER host?)",
			bdf);
	snprintf(path, sizeof(path), "/dev/vfio/%d", group);
	l->group = open(path, O_RDWR | O_CLOEXEC);
	if (l->group < 0)
		return errorf(err, errlen, "%s: %s (is %s bound to vfio-pci?)", path,
			      strerror(errno), bdf);
	if (ioctl(l->group, VFIO_GROUP_GET_STATUS, &gs) || !(gs.flags & VFIO_GROUP_FLAGS_VIABLE))
		return errorf(err, errlen,
			      "IOMMU group %d is not viable: bind all its devices to vfio-pci",
			      group);
	if (ioctl(l->group, VFIO_GROUP_SET_CONTAINER, &l->container) ||
	    ioctl(l->container, VFIO_SET_IOMMU, VFIO_SPAPR_TCE_v2_IOMMU))
		return errorf(err, errlen, "%s: cannot set up the sPAPR TCE v2 container: %s",
			      bdf, strerror(errno));
	l->tce_info.argsz = sizeof(l->tce_info);
	if (ioctl(l->container, VFIO_IOMMU_SPAPR_TCE_GET_INFO, &l->tce_info))
		return errorf(err, errlen, "VFIO_IOMMU_SPAPR_TCE_GET_INFO: %s", strerror(errno));
	/* Pin guest RAM once: every later MAP_DMA is then a table update, no page walk. */
	if (ioctl(l->container, VFIO_IOMMU_SPAPR_REGISTER_MEMORY, &reg))
		return errorf(err, errlen, "pre-registering %llu MiB of guest RAM: %s",
			      (unsigned long long)(l->b.vm->mem.size >> 20), strerror(errno));
	l->ram_registered = true;
	pr_info("vfio %s: %llu MiB of guest RAM pre-registered (pinned)", bdf,
		(unsigned long long)(l->b.vm->mem.size >> 20));
	/* The container made a default window of its own; ours replace it. */
	dflt.start_addr = l->tce_info.dma32_window_start;
	ioctl(l->container, VFIO_IOMMU_SPAPR_TCE_REMOVE, &dflt);
	l->b.devfd = ioctl(l->group, VFIO_GROUP_GET_DEVICE_FD, bdf);
	if (l->b.devfd < 0)
		return errorf(err, errlen, "%s: VFIO_GROUP_GET_DEVICE_FD: %s", bdf,
			      strerror(errno));
	return 0;
}

struct dma_backend *dma_legacy_open(struct vm *vm, const char *bdf, const char *why,
				    char *err, size_t errlen)
{
	struct dma_legacy *l = calloc(1, sizeof(*l));

	if (!l) {
		errorf(err, errlen, "out of memory");
		return NULL;
	}
	l->b = (struct dma_backend){ .ops = &legacy_ops, .vm = vm, .bdf = bdf, .devfd = -1 };
	l->container = l->group = -1;
	if (legacy_setup(l, err, errlen)) {
		legacy_close(&l->b);
		return NULL;
	}
	l->b.map = (struct map_backend){ .map = container_map, .unmap = container_unmap,
					 .ctx = &l->b };
	l->b.caps = (struct dma_caps){
		.window32 = l->tce_info.dma32_window_size,
		.max_windows = l->tce_info.ddw.max_dynamic_windows_supported,
		.ddw_pgsizes = l->tce_info.flags & VFIO_IOMMU_SPAPR_INFO_DDW ?
				       l->tce_info.ddw.pgsizes : 0,
	};
	snprintf(l->b.desc, sizeof(l->b.desc), "legacy sPAPR TCE v2 container (%s)", why);
	return &l->b;
}
