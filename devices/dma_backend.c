// SPDX-License-Identifier: GPL-2.0-only
/* Which DMA backend an assigned device gets: the one place that decides (dma_backend.h). */
#include <stdio.h>
#include <string.h>

#include "dma_backend.h"
#include "log.h"
#include "vfio_dev.h"

struct dma_backend *dma_backend_open(struct vm *vm, const struct vfio_spec *spec)
{
	/* engine=nested is iommufd's alone (vfio_parse refused backend=legacy) */
	bool nested = !strcmp(spec->engine, "nested");
	/* tier 0 where the engine asks for it or leaves it to psvm */
	bool link = !strcmp(spec->engine, VFIO_ENGINE_KVM) || !strcmp(spec->engine, VFIO_ENGINE_AUTO);
	char err[256], why[192] = "asked for";
	struct dma_backend *b;

	if (spec->backend == VFIO_BACKEND_IOMMUFD || nested) {
		b = dma_iommufd_open(vm, spec->bdf, nested, link, err, sizeof(err));
		if (!b)
			pr_err("vfio: backend=iommufd: %s", err);
		return b;
	}
	/* auto: iommufd where it has everything the guest may ask for, DDW included */
	if (spec->backend == VFIO_BACKEND_AUTO) {
		b = dma_iommufd_open(vm, spec->bdf, false, link, why, sizeof(why));
		if (b && b->caps.max_windows >= 2)
			return b;
		if (b) {
			snprintf(why, sizeof(why),
				 "iommufd has no 64-bit DMA windows for it (a kernel without "
				 "kernel-patch/ 0018)");
			dma_backend_close(b);
		}
	}
	b = dma_legacy_open(vm, spec->bdf, why, err, sizeof(err));
	if (!b)
		pr_err("vfio: %s", err);
	return b;
}
