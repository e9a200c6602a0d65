/* SPDX-License-Identifier: GPL-2.0-only */
/* Emulated MMIO regions, reached by KVM_EXIT_MMIO and by H_LOGICAL_CI_LOAD/STORE. */
#ifndef PSVM_MMIO_H
#define PSVM_MMIO_H

#include "psvm.h"

struct vm;

/* offset is relative to the region; len is 1, 2, 4 or 8; *val is host endian. */
typedef int (*mmio_fn)(void *opaque, uint64_t offset, unsigned int len, uint64_t *val,
		       bool is_write);

struct mmio_region {
	uint64_t base, len;
	mmio_fn fn;
	void *opaque;
	struct mmio_region *next;
};

int mmio_register(struct vm *vm, uint64_t base, uint64_t len, mmio_fn fn, void *opaque);
/*
 * A bus window (a PHB's MMIO ranges): where no device answers, an access inside one
 * is a master abort (reads all ones), not a machine check. Removed by mmio_unregister.
 */
int mmio_register_bus(struct vm *vm, uint64_t base, uint64_t len, void *opaque);
bool mmio_in_bus(struct vm *vm, uint64_t addr);
/* -1 when no device's region covers [addr, addr+len) */
int mmio_access(struct vm *vm, uint64_t addr, unsigned int len, uint64_t *val, bool is_write);
/* Remove the regions registered with this opaque. */
void mmio_unregister(struct vm *vm, void *opaque);
void mmio_free_all(struct vm *vm);

#endif
