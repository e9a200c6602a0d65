// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>

#include "fake_ioas.h"
#include "tce.h"
#include "vm.h"

static int ioas_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct fake_ioas *s = ctx;

	if (++s->calls == s->fail_at || s->n == FAKE_IOAS_MAX)
		return -ENOMEM;
	for (unsigned int i = 0; i < s->n; i++)
		if (iova < s->a[i].iova + s->a[i].len && s->a[i].iova < iova + len)
			return -EEXIST;
	s->a[s->n++] = (struct fake_ioas_area){ iova, len, hva, prot };
	return 0;
}

/* Whole areas inside the range go, in IOVA order, until one is cut: -ENOENT. */
static int ioas_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct fake_ioas *s = ctx;
	bool any = false;

	if (++s->calls == s->fail_at)
		return -EIO;
	for (;;) {
		unsigned int lowest = s->n;

		for (unsigned int i = 0; i < s->n; i++)
			if (iova < s->a[i].iova + s->a[i].len && s->a[i].iova < iova + len &&
			    (lowest == s->n || s->a[i].iova < s->a[lowest].iova))
				lowest = i;
		if (lowest == s->n)
			return any ? 0 : -ENOENT;
		if (s->a[lowest].iova < iova || s->a[lowest].iova + s->a[lowest].len > iova + len)
			return -ENOENT; /* cuts it */
		s->a[lowest] = s->a[--s->n];
		any = true;
	}
}

void fake_ioas_backend(struct fake_ioas *ioas, struct map_backend *be)
{
	*be = (struct map_backend){ .map = ioas_map, .unmap = ioas_unmap, .whole_unmaps = true,
				    .ctx = ioas };
}

long fake_ioas_check(const struct fake_ioas *ioas, const struct vm *vm,
		     const struct tce_window *w)
{
	uint64_t page = 1ULL << w->page_shift;

	for (uint64_t k = 0; k < w->size >> w->page_shift; k++) {
		uint64_t tce = tce_get(w, k), iova = w->bus_offset + k * page, hva = 0;
		unsigned int hits = 0;

		for (unsigned int i = 0; i < ioas->n; i++)
			if (iova >= ioas->a[i].iova && iova < ioas->a[i].iova + ioas->a[i].len) {
				hits++;
				hva = ioas->a[i].hva + (iova - ioas->a[i].iova);
			}
		if (tce & TCE_PERMS ?
			    hits != 1 || hva != (uint64_t)(uintptr_t)vm->mem.hva + (tce & ~(page - 1)) :
			    hits != 0)
			return (long)k;
	}
	return -1;
}
