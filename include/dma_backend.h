/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of an assigned device's DMA, behind one interface (as libvfn's
 * iommu_ctx_ops): a backend per host IOMMU API, picked in one place (dma_backend_open).
 *  - legacy (devices/dma_legacy.c): the VFIO sPAPR TCE v2 container, what stock POWER
 *    kernels offer (VFIO cdev cannot be built with SPAPR_TCE_IOMMU in v6.12);
 *  - iommufd (devices/dma_iommufd.c): the device cdev bound to /dev/iommu on kernel-patch/'s
 *    powerpc domains, in emulated mode (guest TCEs become IOAS maps) or nested mode (the
 *    guest's windows are TCE tables the kernel shadows into the PE).
 * A backend opens the device (its VFIO device fd), owns every host DMA window of the PE
 * (window_create/remove, what ddw.c's pe_dma_ops drive) and gives the map engine the
 * map_backend its TCE updates go through. The VFIO device never knows which it has.
 */
#ifndef PSVM_DMA_BACKEND_H
#define PSVM_DMA_BACKEND_H

#include "ddw.h"
#include "map.h"

struct vm;
struct vfio_spec;

/* What the host offers the PE, for the guest's windows */
struct dma_caps {
	uint64_t window32;	  /* the host's 32-bit window at bus 0: the default window */
	unsigned int max_windows; /* at once, the default one included */
	uint64_t ddw_pgsizes;	  /* DDW TCE page sizes, a bitmap of sizes in bytes; 0: no DDW */
	/*
	 * A window linked to KVM's table is KVM's alone: psvm can make no host mapping in
	 * it (iommufd refuses while KVM owns it), so KVM serves every TCE hcall there.
	 */
	bool kvm_only;
};

struct dma_backend;

struct dma_backend_ops {
	const char *name;
	/* The PE's host windows: ctx is the backend */
	struct pe_dma_ops windows;
	/* Everything the backend holds, the device fd included (vfio-pci resets the device). */
	void (*close)(struct dma_backend *b);
};

struct dma_backend {
	const struct dma_backend_ops *ops;
	struct vm *vm;
	const char *bdf;	/* PCI address, for messages */
	int devfd;		/* the VFIO device */
	struct dma_caps caps;
	struct map_backend map;	/* where the map engine sends TCE updates */
	char desc[256];		/* how it is set up, for psvm's log ("legacy sPAPR TCE ...") */
};

/*
 * The backend spec asks for (backend=, engine=nested), opened for its device: auto takes
 * iommufd where it has every window the guest may ask for (DDW included), else the legacy
 * container, and says why in desc. NULL after logging the reason.
 */
struct dma_backend *dma_backend_open(struct vm *vm, const struct vfio_spec *spec);

static inline void dma_backend_close(struct dma_backend *b)
{
	if (b)
		b->ops->close(b);
}

/* The backends (one file each); NULL with err set when they cannot serve the device. */
struct dma_backend *dma_legacy_open(struct vm *vm, const char *bdf, const char *why,
				    char *err, size_t errlen);
/* link: set up for tier 0 (KVM's tables linked to the windows) where KVM offers it */
struct dma_backend *dma_iommufd_open(struct vm *vm, const char *bdf, bool nested, bool link,
				     char *err, size_t errlen);

#endif
