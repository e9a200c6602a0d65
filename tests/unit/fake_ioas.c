// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>

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

static int by_iova(const void *a, const void *b)
{
	const struct fake_ioas_area *x = *(const struct fake_ioas_area *const *)a;
	const struct fake_ioas_area *y = *(const struct fake_ioas_area *const *)b;

	return x->iova < y->iova ? -1 : x->iova > y->iova;
}

/* One pass over the window with its areas in IOVA order (the fuzzers check every step). */
long fake_ioas_check(const struct fake_ioas *ioas, const struct vm *vm,
		     const struct tce_window *w)
{
	const struct fake_ioas_area *in[FAKE_IOAS_MAX];
	uint64_t page = 1ULL << w->page_shift, end = w->bus_offset + w->size;
	unsigned int n = 0, j = 0;

	for (unsigned int i = 0; i < ioas->n; i++)
		if (ioas->a[i].iova < end && w->bus_offset < ioas->a[i].iova + ioas->a[i].len)
			in[n++] = &ioas->a[i];
	qsort(in, n, sizeof(in[0]), by_iova);
	for (uint64_t k = 0; k < w->size >> w->page_shift; k++) {
		uint64_t tce = tce_get(w, k), iova = w->bus_offset + k * page;
		const struct fake_ioas_area *a;

		while (j < n && in[j]->iova + in[j]->len <= iova)
			j++;
		a = j < n && in[j]->iova <= iova ? in[j] : NULL;
		/* overlapping areas (the map refuses them): an entry mapped twice */
		if (a && j + 1 < n && in[j + 1]->iova < a->iova + a->len)
			return (long)k;
		if (tce & TCE_PERMS ? !a || a->hva + (iova - a->iova) !=
						(uint64_t)(uintptr_t)vm->mem.hva + (tce & ~(page - 1)) :
				      a != NULL)
			return (long)k;
	}
	return -1;
}
