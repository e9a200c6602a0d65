/* SPDX-License-Identifier: GPL-2.0-only */
/* Guest RAM: one contiguous block at GPA 0 (anonymous + THP, or a hugetlbfs memfd). */
#ifndef PSVM_GUEST_MEM_H
#define PSVM_GUEST_MEM_H

#include "psvm.h"

struct guest_mem {
	uint8_t *hva;
	uint64_t size;
	int fd;		/* hugetlbfs memfd, or -1 */
	bool hugetlb;
	uint64_t page_size;	/* host page backing RAM: base page or huge page */
	void *map_base;
	uint64_t map_size;
};

int guest_mem_alloc(struct guest_mem *m, uint64_t size, bool hugetlb);
void guest_mem_free(struct guest_mem *m);

/*
 * Host address of guest range [gpa, gpa+len), or NULL if any byte lies outside RAM.
 * Every access to guest memory on behalf of a guest goes through this check.
 */
static inline void *gpa_to_hva(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (!range_within(gpa, len, m->size))
		return NULL;
	return m->hva + gpa;
}

#endif
