/* SPDX-License-Identifier: GPL-2.0-only */
/* VFIO PCI passthrough (devices/vfio.c). */
#ifndef PSVM_VFIO_DEV_H
#define PSVM_VFIO_DEV_H

#include "psvm.h"

struct vm;

/* Parse "vfio,host=BDF|path=/dev/vfio/devices/vfioN[,engine=...]" into a PCI address. */
int vfio_parse(const char *spec, char *bdf, size_t bdflen, const char **engine, char *err,
	       size_t errlen);
/* Add the device to the VM (host resources are opened at realize). */
int vfio_device_create(struct vm *vm, const char *spec);

#endif
