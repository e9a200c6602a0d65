/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Map engines: how a batch of guest TCE updates becomes host IOMMU calls. Every engine
 * takes the same batch and reports how many ops took effect (a prefix of the batch).
 */
#ifndef PSVM_MAP_H
#define PSVM_MAP_H

#include <pthread.h>

#include "psvm.h"

enum map_op_type { MAP_OP_MAP, MAP_OP_UNMAP };

#define MAP_PROT_READ 1	 /* device may read guest memory */
#define MAP_PROT_WRITE 2 /* device may write guest memory */

struct map_op {
	uint8_t type;	/* enum map_op_type */
	uint8_t prot;	/* MAP_PROT_*, for MAP */
	uint64_t iova;
	uint64_t hva;	/* for MAP */
	uint64_t len;
};

/* The host side engines drive: an iommufd IOAS, or a recording fake in the tests. */
struct map_backend {
	int (*map)(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot);
	int (*unmap)(void *ctx, uint64_t iova, uint64_t len);
	/*
	 * Nested mode: the guest-owned stage-1 table takes the ops, then one call tells the
	 * kernel to shadow them (IOMMU_HWPT_INVALIDATE); *done = entries the kernel handled.
	 */
	int (*stage1_write)(void *ctx, const struct map_op *op);
	int (*invalidate)(void *ctx, const struct map_op *ops, unsigned int n, unsigned int *done);
	/* Does the kernel take io_uring commands on /dev/iommu? (kernel-patch/) */
	int (*uring_supported)(void *ctx);
	/*
	 * The batch as linked io_uring commands, stopping at the first failure;
	 * *done = ops that took effect, *enters = io_uring_enter calls it cost.
	 */
	int (*uring)(void *ctx, const struct map_op *ops, unsigned int n, unsigned int *done,
		     unsigned int *enters);
	/*
	 * The host unmaps only whole mappings (iommufd: a range that cuts one is refused,
	 * after the whole ones before it went). Callers then unmap whole mappings only, and a
	 * merged unmap that fails is retried op by op, an op already gone (-ENOENT) done.
	 */
	bool whole_unmaps;
	void *ctx;
};

struct map_engine;

struct map_engine_ops {
	const char *name;
	bool coalesces;	/* runs of contiguous ops become one host mapping (coalesce, uring) */
	/* Apply ops in order; *done = how many took effect. 0 or -errno of the failing call. */
	int (*submit)(struct map_engine *e, const struct map_op *ops, unsigned int n,
		      unsigned int *done);
};

struct map_engine {
	const struct map_engine_ops *ops;
	struct map_backend *be;
	uint64_t calls;	/* host calls made (ioctls, or io_uring_enter for uring) */
	uint64_t done;	/* ops that took effect */
	bool fallback;	/* asked for uring, running coalesce (no kernel support) */
	pthread_mutex_t lock;	/* vCPUs share an engine: one batch at a time */
	/* scratch for engines that rewrite a batch (coalesce): grown once, reused */
	struct map_op *runs;
	unsigned int *first;
	unsigned int scratch_cap;
};

void map_engine_destroy(struct map_engine *e);
/* The engine's own name (a string that lives for good), or NULL: no such engine. */
const char *map_engine_name(const char *name);
/* "ioctl|coalesce|..." into buf; returns the length it wanted. */
size_t map_engine_list(char *buf, size_t len);

int map_engine_init(struct map_engine *e, const char *name, struct map_backend *be);
/* Validates the batch (lengths, overflow) before any host effect. */
int map_submit(struct map_engine *e, const struct map_op *ops, unsigned int n, unsigned int *done);

/* Does op o continue run (same type and prot, contiguous IOVA and, to map, host VA)? */
bool map_op_continues(const struct map_op *run, const struct map_op *o);
/*
 * Merge runs of ops that continue each other (map_op_continues) into out[]; first[k] is
 * the index in ops of run k's first op. Returns the number of runs.
 */
unsigned int map_coalesce(const struct map_op *ops, unsigned int n, struct map_op *out,
			  unsigned int *first);

extern const struct map_engine_ops map_engine_ioctl, map_engine_coalesce, map_engine_uring,
	map_engine_nested;

#endif
