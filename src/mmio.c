// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "mmio.h"
#include "vm.h"

/* A region with no handler is a bus window: devices' regions lie inside it. */
static int region_add(struct vm *vm, uint64_t base, uint64_t len, mmio_fn fn, void *opaque)
{
	struct mmio_region *r;
	int ret = 0;

	if (!len || base + len < base)
		return -1;
	pthread_rwlock_wrlock(&vm->mmio_lock);
	for (r = vm->mmio; r; r = r->next)
		if (!r->fn == !fn && base < r->base + r->len && r->base < base + len)
			ret = -1; /* overlap */
	r = ret ? NULL : calloc(1, sizeof(*r));
	if (r) {
		*r = (struct mmio_region){ base, len, fn, opaque, vm->mmio };
		vm->mmio = r;
	}
	pthread_rwlock_unlock(&vm->mmio_lock);
	return r ? 0 : -1;
}

int mmio_register(struct vm *vm, uint64_t base, uint64_t len, mmio_fn fn, void *opaque)
{
	return fn ? region_add(vm, base, len, fn, opaque) : -1;
}

int mmio_register_bus(struct vm *vm, uint64_t base, uint64_t len, void *opaque)
{
	return region_add(vm, base, len, NULL, opaque);
}

bool mmio_in_bus(struct vm *vm, uint64_t addr)
{
	bool in = false;

	pthread_rwlock_rdlock(&vm->mmio_lock);
	for (struct mmio_region *r = vm->mmio; r && !in; r = r->next)
		in = !r->fn && addr >= r->base && addr - r->base < r->len;
	pthread_rwlock_unlock(&vm->mmio_lock);
	return in;
}

/* The region stays while its handler runs: an unregister waits for it. */
int mmio_access(struct vm *vm, uint64_t addr, unsigned int len, uint64_t *val, bool is_write)
{
	int ret = -1;

	pthread_rwlock_rdlock(&vm->mmio_lock);
	for (struct mmio_region *r = vm->mmio; r; r = r->next)
		if (r->fn && addr >= r->base && addr - r->base < r->len &&
		    len <= r->len - (addr - r->base)) {
			ret = r->fn(r->opaque, addr - r->base, len, val, is_write);
			break;
		}
	pthread_rwlock_unlock(&vm->mmio_lock);
	return ret;
}

void mmio_unregister(struct vm *vm, void *opaque)
{
	pthread_rwlock_wrlock(&vm->mmio_lock);
	for (struct mmio_region **pp = &vm->mmio; *pp;) {
		struct mmio_region *r = *pp;

		if (r->opaque == opaque) {
			*pp = r->next;
			free(r);
		} else {
			pp = &r->next;
		}
	}
	pthread_rwlock_unlock(&vm->mmio_lock);
}

void mmio_free_all(struct vm *vm)
{
	while (vm->mmio) {
		struct mmio_region *r = vm->mmio;

		vm->mmio = r->next;
		free(r);
	}
}
