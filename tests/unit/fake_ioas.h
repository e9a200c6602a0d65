/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A fake iommufd IOAS for the unit tests and fuzzers: mappings that can only be unmapped
 * whole (an unmap that cuts one is refused after the whole ones before it went, as
 * iopt_unmap_iova_range), and any call can be made to fail.
 */
#ifndef PSVM_FAKE_IOAS_H
#define PSVM_FAKE_IOAS_H

#include "map.h"

#define FAKE_IOAS_MAX 1024

struct fake_ioas_area {
	uint64_t iova, len, hva;
	uint8_t prot;
};

struct fake_ioas {
	struct fake_ioas_area a[FAKE_IOAS_MAX];
	unsigned int n, calls;
	unsigned int fail_at; /* the call with this number fails (0: none) */
};

struct vm;
struct tce_window;

/* be: a whole-unmap map backend over ioas */
void fake_ioas_backend(struct fake_ioas *ioas, struct map_backend *be);
/*
 * The invariant for window w: each entry with permissions is mapped by exactly one area,
 * to the page its TCE names; each other entry by none. The first entry that breaks it,
 * or -1.
 */
long fake_ioas_check(const struct fake_ioas *ioas, const struct vm *vm,
		     const struct tce_window *w);

#endif
