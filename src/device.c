// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "device.h"
#include "log.h"
#include "vm.h"

struct device *device_add(struct vm *vm, const struct device_ops *ops, void *priv)
{
	struct device *d = calloc(1, sizeof(*d)), **p;

	if (!d)
		return NULL;
	d->ops = ops;
	d->vm = vm;
	d->priv = priv;
	for (p = &vm->devices; *p; p = &(*p)->next)
		;
	*p = d; /* keep creation order: the device tree lists devices as given */
	return d;
}

int devices_realize(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->ops->realize && d->ops->realize(d)) {
			pr_err("device %s: realize failed", d->ops->name);
			return -1;
		}
	return 0;
}

int devices_fdt(struct vm *vm, void *fdt)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->ops->fdt && d->ops->fdt(d, fdt)) {
			pr_err("device %s: device tree node failed", d->ops->name);
			return -1;
		}
	return 0;
}

void devices_reset(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->ops->reset)
			d->ops->reset(d);
}

void devices_destroy(struct vm *vm)
{
	while (vm->devices) {
		struct device *d = vm->devices;

		vm->devices = d->next;
		if (d->ops->destroy)
			d->ops->destroy(d);
		free(d);
	}
}
