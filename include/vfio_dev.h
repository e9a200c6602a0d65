/* SPDX-License-Identifier: GPL-2.0-only */
/* VFIO PCI passthrough (devices/vfio.c). */
#ifndef PSVM_VFIO_DEV_H
#define PSVM_VFIO_DEV_H

#include "psvm.h"

struct vm;

/* Where a device's DMA goes on the host. */
enum vfio_backend {
	VFIO_BACKEND_AUTO,	/* iommufd where it has every window the guest gets, else legacy */
	VFIO_BACKEND_LEGACY,	/* the VFIO sPAPR TCE v2 container */
	VFIO_BACKEND_IOMMUFD,	/* the device cdev on an IOAS (kernel-patch/) */
};

struct vfio_spec {
	char bdf[32];		/* PCI address */
	const char *engine;	/* map engine: ioctl, coalesce, uring */
	enum vfio_backend backend;
};

/*
 * Parse "vfio,host=BDF|path=/dev/vfio/devices/vfioN[,engine=E][,backend=B]".
 */
int vfio_parse(const char *spec, struct vfio_spec *out, char *err, size_t errlen);
/* Add the device to the VM (host resources are opened at realize). */
int vfio_device_create(struct vm *vm, const char *spec);

#endif
