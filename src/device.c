// SPDX-License-Identifier: GPL-2.0-only
/* The VM's device list: creation order is the order of realize, start and the device tree. */
#include <stdlib.h>

#include "device.h"
#include "log.h"
#include "vm.h"

struct device *device_add(struct vm *vm, const struct device_kind *kind, void *priv)
{
	struct device *d = calloc(1, sizeof(*d)), **p;

	if (!d)
		return NULL;
	d->kind = kind;
	d->vm = vm;
	d->priv = priv;
	for (p = &vm->devices; *p; p = &(*p)->next)
		;
	*p = d; /* keep creation order: the device tree lists devices as given */
	return d;
}

struct device *device_find(struct vm *vm, const struct device_kind *kind)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->kind == kind)
			return d;
	return NULL;
}

void *device_priv(struct vm *vm, const struct device_kind *kind)
{
	struct device *d = device_find(vm, kind);

	return d ? d->priv : NULL;
}

/* A kind's hcalls and RTAS calls, once per VM: with its first instance. */
static int kind_register(struct device *first)
{
	const struct device_kind *k = first->kind;

	if (device_find(first->vm, k) != first)
		return 0;
	return hcall_register_table(&first->vm->hcalls, k->hcalls, k->nr_hcalls) ||
	       rtas_register_table(&first->vm->rtas, k->rtas, k->nr_rtas);
}

int devices_realize(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (kind_register(d)) {
			pr_err("device %s: its hcalls or RTAS calls clash with others", d->kind->name);
			return -1;
		} else if (d->kind->realize && d->kind->realize(d)) {
			/* one line for the user: the kind's own, where it says why */
			if (!d->kind->realize_says_why)
				pr_err("device %s: realize failed", d->kind->name);
			return -1;
		}
	return 0;
}

int devices_start(struct vm *vm)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->kind->start && d->kind->start(d)) {
			pr_err("device %s: start failed", d->kind->name);
			return -1;
		}
	return 0;
}

int devices_fdt(struct vm *vm, struct devtree *dt)
{
	for (struct device *d = vm->devices; d; d = d->next)
		if (d->kind->fdt && d->kind->fdt(d, dt)) {
			pr_err("device %s: device tree node failed", d->kind->name);
			return -1;
		}
	return 0;
}

void devices_destroy(struct vm *vm)
{
	while (vm->devices) {
		struct device **last = &vm->devices;

		while ((*last)->next)
			last = &(*last)->next;
		/*
		 * Still listed while it goes: its destroy may look itself up. Only the tail
		 * changes, so a lookup of an earlier device (the console's watcher finding
		 * the interrupt controller) stays valid meanwhile.
		 */
		if ((*last)->kind->destroy)
			(*last)->kind->destroy(*last);
		free(*last);
		*last = NULL;
	}
}
