/* SPDX-License-Identifier: GPL-2.0-only */
/* Kernel (ELF or flat) and initrd loading into guest RAM. */
#ifndef PSVM_LOADER_H
#define PSVM_LOADER_H

#include "guest_mem.h"

struct load_info {
	uint64_t entry;		/* guest real address to start at */
	uint64_t kernel_start, kernel_end;
	uint64_t initrd_start, initrd_size;
	bool little_endian;	/* from the ELF header; flat images are taken as LE */
};

/*
 * Load an ELF64 ppc64 image (LE or BE) into m. p_paddr decides where (the 0xc000...
 * kernel linear-map bits are dropped, as firmware does). Returns 0 or -1 with err set.
 */
int load_elf(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	     char *err, size_t errlen);
/* Raw binary at guest address 0, entry 0. */
int load_flat(struct guest_mem *m, const void *img, size_t size, struct load_info *li,
	      char *err, size_t errlen);
/* Put the initrd at the first 64K boundary after the kernel, below limit. */
int load_initrd(struct guest_mem *m, const void *img, size_t size, uint64_t limit,
		struct load_info *li, char *err, size_t errlen);

/* Read a whole file (for kernel/initrd); caller frees. */
void *read_file(const char *path, size_t *size, char *err, size_t errlen);

#endif
