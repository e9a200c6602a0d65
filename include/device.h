/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device models: a struct with its ops in the VM's list, like kvmtool's device_header.
 * Devices register their own hcalls, RTAS calls and device-tree nodes.
 */
#ifndef PSVM_DEVICE_H
#define PSVM_DEVICE_H

#include "psvm.h"

struct vm;
struct device;

struct device_ops {
	const char *name;
	int (*realize)(struct device *dev);	/* register hcalls/RTAS, open host resources */
	int (*fdt)(struct device *dev, void *fdt); /* add nodes */
	void (*reset)(struct device *dev);
	void (*destroy)(struct device *dev);
};

struct device {
	const struct device_ops *ops;
	struct vm *vm;
	void *priv;
	struct device *next;
};

struct device *device_add(struct vm *vm, const struct device_ops *ops, void *priv);
int devices_realize(struct vm *vm);
int devices_fdt(struct vm *vm, void *fdt);
void devices_reset(struct vm *vm);
void devices_destroy(struct vm *vm);

#endif
