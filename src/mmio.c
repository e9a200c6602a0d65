// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>

#include "mmio.h"
#include "vm.h"

int mmio_register(struct vm *vm, uint64_t base, uint64_t len, mmio_fn fn, void *opaque)
{
	struct mmio_region *r;

	if (!len || base + len < base)
		return -1;
	for (r = vm->mmio; r; r = r->next)
		if (base < r->base + r->len && r->base < base + len)
			return -1; /* overlap */
	r = calloc(1, sizeof(*r));
	if (!r)
		return -1;
	*r = (struct mmio_region){ base, len, fn, opaque, vm->mmio };
	vm->mmio = r;
	return 0;
}

int mmio_access(struct vm *vm, uint64_t addr, unsigned int len, uint64_t *val, bool is_write)
{
	for (struct mmio_region *r = vm->mmio; r; r = r->next)
		if (addr >= r->base && addr - r->base < r->len && len <= r->len - (addr - r->base))
			return r->fn(r->opaque, addr - r->base, len, val, is_write);
	return -1;
}

void mmio_unregister(struct vm *vm, void *opaque)
{
	for (struct mmio_region **pp = &vm->mmio; *pp;) {
		struct mmio_region *r = *pp;

		if (r->opaque == opaque) {
			*pp = r->next;
			free(r);
		} else {
			pp = &r->next;
		}
	}
}

void mmio_free_all(struct vm *vm)
{
	while (vm->mmio) {
		struct mmio_region *r = vm->mmio;

		vm->mmio = r->next;
		free(r);
	}
}
