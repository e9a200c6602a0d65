// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree writer (include/fdtw.h). Layout, as the devicetree specification has
 * it: a 40-byte header, the reservation map, the structure block, the strings block; all
 * big-endian. The strings wait in w->strings until fdtw_finish puts them after the
 * structure block, whose size is known only then.
 */
#include <libfdt.h>
#include <string.h>

#include "be.h"
#include "fdtw.h"
#include "psvm.h"

#define HEADER_SIZE 40

void fdtw_begin(struct fdtw *w, void *buf, size_t size)
{
	w->buf = buf;
	w->size = MIN(size, UINT32_MAX); /* the header's sizes and offsets are 32-bit */
	w->off = HEADER_SIZE;
	w->struct_off = 0;
	w->depth = 0;
	w->kids = 0;
	w->err = size < HEADER_SIZE ? -FDT_ERR_NOSPACE : 0;
	w->strings_len = 0;
	w->names = 0;
	memset(w->slot, 0, sizeof(w->slot));
}

/* Keep the first error: it is the one that says what went wrong. */
static void fail(struct fdtw *w, int err)
{
	if (!w->err)
		w->err = err;
}

/* Room for len more bytes at w->off, or the error is set. */
static uint8_t *room(struct fdtw *w, size_t len)
{
	if (w->err)
		return NULL;
	if (len > w->size - w->off) {
		fail(w, -FDT_ERR_NOSPACE);
		return NULL;
	}
	return w->buf + w->off;
}

/* A tag, up to two cells, then len bytes padded to 4: one room check for the lot. */
static void put_piece(struct fdtw *w, uint32_t tag, unsigned int ncells, const uint32_t *cells,
		      const void *data, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3, head = 4 + 4 * ncells;
	uint8_t *p = room(w, head + padded);

	if (!p)
		return;
	st_be32(p, tag);
	for (unsigned int i = 0; i < ncells; i++)
		st_be32(p + 4 + 4 * i, cells[i]);
	if (len)
		memcpy(p + head, data, len);
	memset(p + head + len, 0, padded - len);
	w->off += head + padded;
}

void fdtw_rsv(struct fdtw *w, uint64_t addr, uint64_t size)
{
	uint8_t *p;

	if (w->struct_off) {
		fail(w, -FDT_ERR_BADSTATE);
		return;
	}
	p = room(w, 16);
	if (p) {
		st_be64(p, addr);
		st_be64(p + 8, size);
		w->off += 16;
	}
}

static void struct_start(struct fdtw *w)
{
	fdtw_rsv(w, 0, 0); /* the map's terminator */
	w->struct_off = w->off;
}

void fdtw_node(struct fdtw *w, const char *name)
{
	if (!w->struct_off)
		struct_start(w);
	else if (!w->depth || w->depth == FDTW_DEPTH) /* one root; a bounded depth */
		fail(w, -FDT_ERR_BADSTATE);
	put_piece(w, FDT_BEGIN_NODE, 0, NULL, name, strlen(name) + 1);
	if (w->err) /* nothing changes: the depth stays in kids' bits */
		return;
	w->kids |= 1ULL << w->depth;
	w->depth++;
	w->kids &= ~(1ULL << w->depth);
}

void fdtw_end(struct fdtw *w)
{
	if (!w->depth) {
		fail(w, -FDT_ERR_BADSTATE);
		return;
	}
	put_piece(w, FDT_END_NODE, 0, NULL, NULL, 0);
	w->depth--;
}

/* The name's offset in the strings block, added if new; -1 when full. */
static int name_off(struct fdtw *w, const char *name)
{
	size_t len = strlen(name) + 1;
	uint32_t i = str_hash(name) & (FDTW_SLOTS - 1);

	for (; w->slot[i]; i = (i + 1) & (FDTW_SLOTS - 1))
		if (!strcmp(w->strings + w->slot[i] - 1, name))
			return w->slot[i] - 1;
	/* one slot stays free: the search above ends */
	if (len > FDTW_STRINGS - w->strings_len || w->names == FDTW_SLOTS - 1)
		return -1;
	w->names++;
	memcpy(w->strings + w->strings_len, name, len);
	w->slot[i] = (uint16_t)(w->strings_len + 1);
	w->strings_len += (uint32_t)len;
	return (int)(w->slot[i] - 1);
}

void fdtw_prop(struct fdtw *w, const char *name, const void *val, size_t len)
{
	int off;

	if (w->err)
		return;
	if (!w->depth || w->kids >> w->depth & 1 || len > INT32_MAX) {
		fail(w, -FDT_ERR_BADSTATE);
		return;
	}
	off = name_off(w, name);
	if (off < 0) {
		fail(w, -FDT_ERR_NOSPACE);
		return;
	}
	put_piece(w, FDT_PROP, 2, (uint32_t[]){ (uint32_t)len, (uint32_t)off }, val, len);
}

void fdtw_u32(struct fdtw *w, const char *name, uint32_t v)
{
	uint32_t be = cpu_to_be32(v);

	fdtw_prop(w, name, &be, sizeof(be));
}

void fdtw_u64s(struct fdtw *w, const char *name, const uint64_t *v, unsigned int n)
{
	uint8_t be[8 * 8];

	if (n > 8) {
		fail(w, -FDT_ERR_BADVALUE);
		return;
	}
	for (unsigned int i = 0; i < n; i++)
		st_be64(be + 8 * i, v[i]);
	fdtw_prop(w, name, be, 8 * n);
}

void fdtw_str(struct fdtw *w, const char *name, const char *s)
{
	fdtw_prop(w, name, s, strlen(s) + 1);
}

void fdtw_empty(struct fdtw *w, const char *name)
{
	fdtw_prop(w, name, NULL, 0);
}

int fdtw_finish(struct fdtw *w)
{
	size_t struct_size, strings_at;
	uint8_t *h = w->buf, *p;

	if (!w->struct_off || w->depth)
		fail(w, -FDT_ERR_BADSTATE);
	put_piece(w, FDT_END, 0, NULL, NULL, 0);
	strings_at = w->off;
	p = room(w, w->strings_len);
	if (!p)
		return w->err;
	memcpy(p, w->strings, w->strings_len);
	w->off += w->strings_len;
	struct_size = strings_at - w->struct_off;
	st_be32(h, FDT_MAGIC);
	st_be32(h + 4, (uint32_t)w->off);	 /* totalsize */
	st_be32(h + 8, (uint32_t)w->struct_off); /* off_dt_struct */
	st_be32(h + 12, (uint32_t)strings_at);	 /* off_dt_strings */
	st_be32(h + 16, HEADER_SIZE);		 /* off_mem_rsvmap */
	st_be32(h + 20, 17);			 /* version */
	st_be32(h + 24, 16);			 /* last_comp_version */
	st_be32(h + 28, 0);			 /* boot_cpuid_phys */
	st_be32(h + 32, w->strings_len);	 /* size_dt_strings */
	st_be32(h + 36, (uint32_t)struct_size);	 /* size_dt_struct */
	return 0;
}
