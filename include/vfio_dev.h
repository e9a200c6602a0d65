/* SPDX-License-Identifier: GPL-2.0-only */
/* VFIO PCI passthrough (devices/vfio.c). */
#ifndef PSVM_VFIO_DEV_H
#define PSVM_VFIO_DEV_H

#include "device.h"
#include "psvm.h"

struct vm;

/* Where a device's DMA goes on the host. */
enum vfio_backend {
	VFIO_BACKEND_AUTO,	/* iommufd where it has every window the guest gets, else legacy */
	VFIO_BACKEND_LEGACY,	/* the VFIO sPAPR TCE v2 container */
	VFIO_BACKEND_IOMMUFD,	/* the device cdev on an IOAS (kernel-patch/) */
};

/*
 * How guest TCE updates reach the host IOMMU: "kvm" = in KVM (tier 0: KVM's TCE tables
 * linked to the host windows, no exit to psvm), a map engine's name (psvm serves the
 * hcalls: ioctl, coalesce, uring, nested), or "auto": kvm where the host can, else
 * coalesce, and the log says why.
 */
#define VFIO_ENGINE_AUTO "auto"
#define VFIO_ENGINE_KVM	 "kvm"

struct vfio_spec {
	char bdf[32];		/* PCI address */
	const char *engine;	/* VFIO_ENGINE_* or a map engine's name */
	enum vfio_backend backend;
};

/*
 * Parse "vfio,host=BDF|path=/dev/vfio/devices/vfioN[,engine=E][,backend=B]".
 */
int vfio_parse(const char *spec, struct vfio_spec *out, char *err, size_t errlen);
/* --device vfio,...: host resources are opened at realize. */
extern const struct device_kind vfio_kind;

#endif
