/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A flattened device tree written front to back, in one pass: each node and property is
 * appended where it belongs, and a property name is found in a hash table of the names
 * so far. libfdt's read-write calls insert into the finished blob instead (every property
 * moves all that follows it and scans the strings block byte by byte): a 256-vCPU tree
 * took 19 ms that way. Errors are sticky: check once, at fdtw_finish.
 */
#ifndef PSVM_FDTW_H
#define PSVM_FDTW_H

#include <stddef.h>
#include <stdint.h>

#define FDTW_STRINGS 8192 /* property names, each once */
#define FDTW_SLOTS   1024 /* their hash table (a power of two): up to 1023 names */
#define FDTW_DEPTH   62	  /* nodes in nodes */

struct fdtw {
	uint8_t *buf;
	size_t size;
	size_t off;	   /* where the next piece goes */
	size_t struct_off; /* 0 until the first node ends the reservation map */
	unsigned int depth;
	uint64_t kids; /* bit d: the open node at depth d has children, so no more properties */
	int err; /* the first failure, as a libfdt error (-FDT_ERR_...) */
	uint32_t strings_len, names;
	uint16_t slot[FDTW_SLOTS]; /* name offset + 1, 0 = free */
	char strings[FDTW_STRINGS];
};

void fdtw_begin(struct fdtw *w, void *buf, size_t size);
/* A memory reservation: only before the first node. */
void fdtw_rsv(struct fdtw *w, uint64_t addr, uint64_t size);
/* A node in the open one; its properties come before its children (libfdt stops there). */
void fdtw_node(struct fdtw *w, const char *name);
void fdtw_end(struct fdtw *w);
void fdtw_prop(struct fdtw *w, const char *name, const void *val, size_t len);
void fdtw_u32(struct fdtw *w, const char *name, uint32_t v);
/* n 64-bit cells, big-endian */
void fdtw_u64s(struct fdtw *w, const char *name, const uint64_t *v, unsigned int n);
void fdtw_str(struct fdtw *w, const char *name, const char *s);
void fdtw_empty(struct fdtw *w, const char *name);
/* Close the tree: 0 and a valid blob in buf, or the first error (-FDT_ERR_NOSPACE...). */
int fdtw_finish(struct fdtw *w);

#endif
