/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel (ELF or flat) and initrd loading into guest RAM. */
#ifndef PSVM_LOADER_H
#define PSVM_LOADER_H

#include "guest_mem.h"

/* Where QEMU's pseries loads a -kernel (its kernel-addr default), and psvm too. */
#define KERNEL_LOAD_ADDR 0x400000ULL

struct load_info {
	uint64_t entry;		/* guest real address to start at (big-endian, as QEMU) */
	uint64_t kernel_start, kernel_end;
	uint64_t kernel_size;	/* what QEMU calls it: the sum of the segments' sizes */
	uint64_t initrd_start, initrd_size;
	bool little_endian;	/* from the ELF header (/chosen says so); flat: false */
};

/*
 * Load an ELF64 ppc64 image (LE or BE) into m as QEMU's pseries does: each segment at
 * KERNEL_LOAD_ADDR + the low 28 bits of its p_paddr, entry at the lowest address
 * loaded. Returns 0 or -1 with err set.
 */
int load_elf(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	     char *err, size_t errlen);
/* Raw binary at KERNEL_LOAD_ADDR, entered there. */
int load_flat(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	      char *err, size_t errlen);
/* Put the initrd where QEMU does (64K-aligned, past the kernel's size), below limit. */
int load_initrd(struct guest_mem *m, const void *img, size_t size, uint64_t limit,
		struct load_info *li, char *err, size_t errlen);

/* Read a whole file (for kernel/initrd); caller frees. */
void *read_file(const char *path, size_t *size, char *err, size_t errlen);

#endif
