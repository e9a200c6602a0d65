// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "fake_ioas.h"
#include "tce.h"
#include "vm.h"

/* The first area that ends after iova: a[] is kept in IOVA order. */
static unsigned int first_after(const struct fake_ioas *s, uint64_t iova)
{
	unsigned int lo = 0, hi = s->n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (s->a[mid].iova + s->a[mid].len <= iova)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int ioas_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct fake_ioas *s = ctx;
	unsigned int i;

	if (++s->calls == s->fail_at || s->n == FAKE_IOAS_MAX)
		return -ENOMEM;
	i = first_after(s, iova);
	if (i < s->n && s->a[i].iova < iova + len)
		return -EEXIST;
	memmove(&s->a[i + 1], &s->a[i], (s->n - i) * sizeof(s->a[0]));
	s->a[i] = (struct fake_ioas_area){ iova, len, hva, prot };
	s->n++;
	return 0;
}

/* Whole areas inside the range go, in IOVA order, until one is cut: -ENOENT. */
static int ioas_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct fake_ioas *s = ctx;
	unsigned int i, j;
	bool cut;

	if (++s->calls == s->fail_at)
		return -EIO;
	i = first_after(s, iova);
	for (j = i; j < s->n && s->a[j].iova < iova + len; j++)
		if (s->a[j].iova < iova || s->a[j].iova + s->a[j].len > iova + len)
			break;
	cut = j < s->n && s->a[j].iova < iova + len; /* the ones before it go all the same */
	memmove(&s->a[i], &s->a[j], (s->n - j) * sizeof(s->a[0]));
	s->n -= j - i;
	return cut || j == i ? -ENOENT : 0;
}

void fake_ioas_backend(struct fake_ioas *ioas, struct map_backend *be)
{
	*be = (struct map_backend){ .map = ioas_map, .unmap = ioas_unmap, .whole_unmaps = true,
				    .ctx = ioas };
}

/* One pass over the window and its areas, in IOVA order (the fuzzers check every step). */
long fake_ioas_check(const struct fake_ioas *ioas, const struct vm *vm,
		     const struct tce_window *w)
{
	const struct fake_ioas_area *in = ioas->a;
	uint64_t page = 1ULL << w->page_shift;
	unsigned int n = ioas->n, j = first_after(ioas, w->bus_offset);

	for (uint64_t k = 0; k < w->size >> w->page_shift; k++) {
		uint64_t tce = tce_get(w, k), iova = w->bus_offset + k * page;
		const struct fake_ioas_area *a;

		while (j < n && in[j].iova + in[j].len <= iova)
			j++;
		a = j < n && in[j].iova <= iova ? &in[j] : NULL;
		/* overlapping areas (the map refuses them): an entry mapped twice */
		if (a && j + 1 < n && in[j + 1].iova < a->iova + a->len)
			return (long)k;
		if (tce & TCE_PERMS ? !a || a->hva + (iova - a->iova) !=
						(uint64_t)(uintptr_t)vm->mem.hva + (tce & ~(page - 1)) :
				      a != NULL)
			return (long)k;
	}
	return -1;
}
