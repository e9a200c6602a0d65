// SPDX-License-Identifier: GPL-2.0-only
/* The map engine interface and the engines that need nothing but map/unmap calls. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "map.h"

static const struct map_engine_ops *const engines[] = {
	&map_engine_ioctl,
	&map_engine_coalesce,
	&map_engine_uring,
	&map_engine_nested,
};

const char *map_engine_name(const char *name)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(engines); i++)
		if (!strcmp(engines[i]->name, name))
			return engines[i]->name;
	return NULL;
}

size_t map_engine_list(char *buf, size_t len)
{
	size_t n = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(engines) && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? "|" : "", engines[i]->name);
	return n;
}

int map_engine_init(struct map_engine *e, const char *name, struct map_backend *be)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(engines); i++) {
		if (strcmp(engines[i]->name, name))
			continue;
		*e = (struct map_engine){ .ops = engines[i], .be = be };
		pthread_mutex_init(&e->lock, NULL);
		if (engines[i] == &map_engine_nested && (!be->stage1_write || !be->invalidate))
			return -EOPNOTSUPP; /* needs a nested HWPT */
		if (engines[i] == &map_engine_uring &&
		    (!be->uring || !be->uring_supported || be->uring_supported(be->ctx) <= 0)) {
			/* The kernel has no uring_cmd on /dev/iommu yet: same batch, coalesced. */
			pr_warn("map engine uring: /dev/iommu takes no io_uring commands "
				"(needs kernel-patch/): using coalesce");
			e->ops = &map_engine_coalesce;
			e->fallback = true;
		}
		return 0;
	}
	return -ENOENT;
}

void map_engine_destroy(struct map_engine *e)
{
	free(e->runs);
	free(e->first);
	if (e->ops)
		pthread_mutex_destroy(&e->lock);
	e->runs = NULL;
	e->first = NULL;
	e->scratch_cap = 0;
}

/* Room for n runs, without an allocation per batch on the hot path. */
static int map_scratch(struct map_engine *e, unsigned int n)
{
	struct map_op *runs;
	unsigned int *first;

	if (n <= e->scratch_cap)
		return 0;
	runs = realloc(e->runs, n * sizeof(*runs));
	if (!runs)
		return -ENOMEM;
	e->runs = runs;
	first = realloc(e->first, n * sizeof(*first));
	if (!first)
		return -ENOMEM;
	e->first = first;
	e->scratch_cap = n;
	return 0;
}

int map_submit(struct map_engine *e, const struct map_op *ops, unsigned int n, unsigned int *done)
{
	unsigned int d = 0;
	int r;

	for (unsigned int i = 0; i < n; i++) {
		const struct map_op *o = &ops[i];

		if (!o->len || o->iova + o->len < o->iova ||
		    (o->type == MAP_OP_MAP && (o->hva + o->len < o->hva || !o->prot ||
					       o->prot & ~(MAP_PROT_READ | MAP_PROT_WRITE))) ||
		    o->type > MAP_OP_UNMAP) {
			*done = 0;
			return -EINVAL; /* nothing applied: a bad op anywhere rejects the batch */
		}
	}
	pthread_mutex_lock(&e->lock);
	r = e->ops->submit(e, ops, n, &d);
	e->done += d;
	pthread_mutex_unlock(&e->lock);
	*done = d;
	return r;
}

static int backend_call(struct map_engine *e, const struct map_op *o)
{
	e->calls++;
	if (o->type == MAP_OP_MAP)
		return e->be->map(e->be->ctx, o->iova, o->hva, o->len, o->prot);
	return e->be->unmap(e->be->ctx, o->iova, o->len);
}

/* QEMU's pattern: one host call per TCE. The baseline. */
static int ioctl_submit(struct map_engine *e, const struct map_op *ops, unsigned int n,
			unsigned int *done)
{
	for (unsigned int i = 0; i < n; i++) {
		int r = backend_call(e, &ops[i]);

		if (r) {
			*done = i;
			return r;
		}
	}
	*done = n;
	return 0;
}

const struct map_engine_ops map_engine_ioctl = { .name = "ioctl", .submit = ioctl_submit };

/*
 * A merged run the host refused, on a host that unmaps whole mappings only: its ops one
 * by one (each a whole mapping), so what took effect is known exactly. Returns the ops of
 * the run that took effect, all of them when *r ends 0.
 */
static unsigned int run_op_by_op(struct map_engine *e, const struct map_op *ops, unsigned int n,
				 int *r)
{
	for (unsigned int i = 0; i < n; i++) {
		*r = backend_call(e, &ops[i]);
		if (*r == -ENOENT && ops[i].type == MAP_OP_UNMAP)
			*r = 0; /* gone with the merged call already */
		if (*r)
			return i;
	}
	return n;
}

/*
 * Runs k.. of e->runs (ops split at e->first[]), one host call each; a failed unmap run
 * is retried op by op where the host takes whole mappings only. *done: ops that took
 * effect.
 */
static int finish_runs(struct map_engine *e, const struct map_op *ops, unsigned int n,
		       unsigned int k, unsigned int nr, unsigned int *done)
{
	int r = 0;

	for (; k < nr; k++) {
		unsigned int end = k + 1 < nr ? e->first[k + 1] : n, got;

		r = backend_call(e, &e->runs[k]);
		if (!r)
			continue;
		if (!e->be->whole_unmaps || e->runs[k].type != MAP_OP_UNMAP) {
			*done = e->first[k]; /* one call is all or nothing */
			return r;
		}
		got = run_op_by_op(e, ops + e->first[k], end - e->first[k], &r);
		if (r) {
			*done = e->first[k] + got;
			return r;
		}
	}
	*done = n;
	return 0;
}

bool map_op_continues(const struct map_op *run, const struct map_op *o)
{
	return run->type == o->type && run->prot == o->prot && run->iova + run->len == o->iova &&
	       (o->type == MAP_OP_UNMAP || run->hva + run->len == o->hva) &&
	       run->len + o->len > run->len;
}

unsigned int map_coalesce(const struct map_op *ops, unsigned int n, struct map_op *out,
			  unsigned int *first)
{
	unsigned int runs = 0;

	for (unsigned int i = 0; i < n; i++) {
		const struct map_op *o = &ops[i];
		struct map_op *last = runs ? &out[runs - 1] : NULL;

		if (last && map_op_continues(last, o)) {
			last->len += o->len;
			continue;
		}
		out[runs] = *o;
		first[runs] = i;
		runs++;
	}
	return runs;
}

/* Runs of contiguous IOVA and host VA become one call: the Linux DDW 1:1 fill is one. */
static int coalesce_submit(struct map_engine *e, const struct map_op *ops, unsigned int n,
			   unsigned int *done)
{
	unsigned int nr;
	int r = map_scratch(e, n);

	if (r) {
		*done = 0;
		return r;
	}
	nr = map_coalesce(ops, n, e->runs, e->first);
	return finish_runs(e, ops, n, 0, nr, done);
}

const struct map_engine_ops map_engine_coalesce = { .name = "coalesce", .coalesces = true,
						     .submit = coalesce_submit };

/*
 * Coalesced runs, all of them in one io_uring_enter (kernel-patch/'s uring_cmd on
 * /dev/iommu): linked, so the kernel stops at the first that fails.
 */
static int uring_submit(struct map_engine *e, const struct map_op *ops, unsigned int n,
			unsigned int *done)
{
	unsigned int nr, rdone = 0, enters = 0;
	int r = map_scratch(e, n);

	if (r) {
		*done = 0;
		return r;
	}
	nr = map_coalesce(ops, n, e->runs, e->first);
	r = e->be->uring(e->be->ctx, e->runs, nr, &rdone, &enters);
	e->calls += enters;
	*done = rdone < nr ? e->first[rdone] : n;
	/* an unmap run the host refused: the rest as one call each (op by op for it) */
	if (r && rdone < nr && e->be->whole_unmaps && e->runs[rdone].type == MAP_OP_UNMAP)
		r = finish_runs(e, ops, n, rdone, nr, done);
	return r;
}

const struct map_engine_ops map_engine_uring = { .name = "uring", .coalesces = true,
						  .submit = uring_submit };

/*
 * Nested: the ops go into the guest's stage-1 table (no host call each), then one
 * IOMMU_HWPT_INVALIDATE makes the kernel shadow the batch; it reports how far it got.
 */
static int nested_submit(struct map_engine *e, const struct map_op *ops, unsigned int n,
			 unsigned int *done)
{
	int r;

	for (unsigned int i = 0; i < n; i++) {
		r = e->be->stage1_write(e->be->ctx, &ops[i]);
		if (r) {
			*done = 0; /* nothing invalidated yet: the kernel saw none of it */
			return r;
		}
	}
	e->calls++;
	return e->be->invalidate(e->be->ctx, ops, n, done);
}

const struct map_engine_ops map_engine_nested = { .name = "nested", .submit = nested_submit };
