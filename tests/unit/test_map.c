// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <string.h>

#include "map.h"
#include "unit.h"

/* A backend that records calls and can fail the Nth one. */
struct rec {
	unsigned int calls, fail_at;
	uint64_t last_iova, last_len, total_mapped;
};

static int rec_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct rec *r = ctx;

	if (++r->calls == r->fail_at)
		return -ENOMEM;
	r->last_iova = iova;
	r->last_len = len;
	r->total_mapped += len;
	return 0;
}

static int rec_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct rec *r = ctx;

	if (++r->calls == r->fail_at)
		return -ENOENT;
	r->total_mapped -= len;
	return 0;
}

static void fill_1to1(struct map_op *ops, unsigned int n, uint64_t iova0, uint64_t hva0)
{
	for (unsigned int i = 0; i < n; i++)
		ops[i] = (struct map_op){ MAP_OP_MAP, MAP_PROT_READ | MAP_PROT_WRITE,
					  iova0 + i * 4096ULL, hva0 + i * 4096ULL, 4096 };
}

Test(map, ddw_fill_is_one_call_coalesced_512_with_ioctl)
{
	struct rec r = { 0 };
	struct map_backend be = { .map = rec_map, .unmap = rec_unmap, .ctx = &r };
	struct map_engine ioctl_e, co;
	struct map_op ops[512];
	unsigned int done;

	fill_1to1(ops, 512, 1ULL << 59, 0x7f0000000000ULL);
	cr_assert_eq(map_engine_init(&ioctl_e, "ioctl", &be), 0);
	cr_assert_eq(map_submit(&ioctl_e, ops, 512, &done), 0);
	cr_assert_eq(done, 512u);
	cr_assert_eq(ioctl_e.calls, 512u);
	cr_assert_eq(r.total_mapped, 512u * 4096);

	r = (struct rec){ 0 };
	cr_assert_eq(map_engine_init(&co, "coalesce", &be), 0);
	cr_assert_eq(map_submit(&co, ops, 512, &done), 0);
	cr_assert_eq(done, 512u);
	cr_assert_eq(co.calls, 1u, "the 1:1 fill is one call");
	cr_assert_eq(r.last_iova, 1ULL << 59);
	cr_assert_eq(r.last_len, 512u * 4096);
	cr_assert_eq(map_engine_init(&co, "nope", &be), -ENOENT);
	map_engine_destroy(&ioctl_e);
	map_engine_destroy(&co);
}

Test(map, coalesce_breaks_runs_where_they_stop_continuing)
{
	struct map_op ops[6], out[6];
	unsigned int first[6], n;

	fill_1to1(ops, 6, 0x10000, 0x100000);
	ops[2].hva += 4096 * 10;	 /* host VA jumps: new run */
	ops[3].hva += 4096 * 10;
	ops[4].prot = MAP_PROT_READ; /* read-only: new run */
	ops[5].type = MAP_OP_UNMAP;
	n = map_coalesce(ops, 6, out, first);
	cr_assert_eq(n, 4u);
	cr_assert_eq(out[0].len, 2u * 4096);
	cr_assert_eq(first[1], 2u);
	cr_assert_eq(out[1].len, 2u * 4096);
	cr_assert_eq(first[2], 4u);
	cr_assert_eq(out[3].type, MAP_OP_UNMAP);
}

Test(map, failure_reports_the_prefix_that_took_effect)
{
	struct rec r = { .fail_at = 2 };
	struct map_backend be = { .map = rec_map, .unmap = rec_unmap, .ctx = &r };
	struct map_engine e;
	struct map_op ops[8];
	unsigned int done;

	fill_1to1(ops, 8, 0, 0x100000);
	ops[4].hva += 1 << 20; /* two runs: ops 0-3 and 4-7 */
	cr_assert_eq(map_engine_init(&e, "coalesce", &be), 0);
	cr_assert_eq(map_submit(&e, ops, 8, &done), -ENOMEM);
	cr_assert_eq(done, 4u, "the first run took effect, the second did not");
	cr_assert_eq(r.total_mapped, 4u * 4096);
	map_engine_destroy(&e);

	r = (struct rec){ .fail_at = 3 };
	cr_assert_eq(map_engine_init(&e, "ioctl", &be), 0);
	cr_assert_eq(map_submit(&e, ops, 8, &done), -ENOMEM);
	cr_assert_eq(done, 2u);
	map_engine_destroy(&e);
}

Test(map, bad_ops_reject_the_batch_before_any_call)
{
	struct rec r = { 0 };
	struct map_backend be = { .map = rec_map, .unmap = rec_unmap, .ctx = &r };
	struct map_engine e;
	struct map_op ops[4];
	unsigned int done = 99;

	fill_1to1(ops, 4, 0, 0x100000);
	cr_assert_eq(map_engine_init(&e, "ioctl", &be), 0);
	ops[3].len = 0;
	cr_assert_eq(map_submit(&e, ops, 4, &done), -EINVAL);
	ops[3].len = 4096;
	ops[3].iova = UINT64_MAX - 100; /* wraps */
	cr_assert_eq(map_submit(&e, ops, 4, &done), -EINVAL);
	ops[3].iova = 3 * 4096;
	ops[3].prot = 0;
	cr_assert_eq(map_submit(&e, ops, 4, &done), -EINVAL);
	ops[3].prot = 8;
	cr_assert_eq(map_submit(&e, ops, 4, &done), -EINVAL);
	cr_assert_eq(done, 0u);
	cr_assert_eq(r.calls, 0u, "no host call for a rejected batch");
	map_engine_destroy(&e);
}

/* A stage-1 table in memory and an invalidation that stops at a poisoned entry. */
struct s1 {
	uint64_t table[64];
	unsigned int invalidations, stop_at;
};

static int s1_write(void *ctx, const struct map_op *op)
{
	struct s1 *t = ctx;
	uint64_t idx = op->iova / 4096;

	if (idx >= 64)
		return -ERANGE;
	t->table[idx] = op->type == MAP_OP_MAP ? (op->hva | op->prot) : 0;
	return 0;
}

static int s1_invalidate(void *ctx, const struct map_op *ops, unsigned int n, unsigned int *done)
{
	struct s1 *t = ctx;

	t->invalidations++;
	*done = t->stop_at && t->stop_at < n ? t->stop_at : n;
	return *done == n ? 0 : -EINVAL;
}

Test(map, nested_one_invalidation_per_batch_and_partial_progress)
{
	struct s1 t = { 0 };
	struct map_backend be = { .stage1_write = s1_write, .invalidate = s1_invalidate, .ctx = &t };
	struct map_engine e;
	struct map_op ops[16];
	unsigned int done;

	fill_1to1(ops, 16, 0, 0x100000);
	cr_assert_eq(map_engine_init(&e, "nested", &be), 0);
	cr_assert_eq(map_submit(&e, ops, 16, &done), 0);
	cr_assert_eq(done, 16u);
	cr_assert_eq(t.invalidations, 1u, "one HWPT_INVALIDATE for the batch");
	cr_assert_eq(e.calls, 1u);
	cr_assert_eq(t.table[5], (0x100000 + 5 * 4096) | 3u, "stage-1 entry written");
	t.stop_at = 7;
	cr_assert_eq(map_submit(&e, ops, 16, &done), -EINVAL);
	cr_assert_eq(done, 7u, "the kernel's progress is reported");
	ops[3].iova = 4096 * 100; /* outside the table: nothing reaches the kernel */
	cr_assert_eq(map_submit(&e, ops, 16, &done), -ERANGE);
	cr_assert_eq(done, 0u);
	cr_assert_eq(t.invalidations, 2u);
	map_engine_destroy(&e);

	struct map_backend plain = { .map = rec_map, .unmap = rec_unmap };
	cr_assert_eq(map_engine_init(&e, "nested", &plain), -EOPNOTSUPP, "needs a nested HWPT");
}

static int no_uring(void *ctx)
{
	return 0;
}

Test(map, uring_falls_back_to_coalesce_without_kernel_support)
{
	struct rec r = { 0 };
	struct map_backend be = { .map = rec_map, .unmap = rec_unmap, .uring_supported = no_uring,
				  .ctx = &r };
	struct map_engine e;
	struct map_op ops[64];
	unsigned int done;

	fill_1to1(ops, 64, 0, 0x100000);
	cr_assert_eq(map_engine_init(&e, "uring", &be), 0);
	cr_assert(e.fallback);
	cr_assert_str_eq(e.ops->name, "coalesce");
	cr_assert_eq(map_submit(&e, ops, 64, &done), 0);
	cr_assert_eq(r.calls, 1u);
	map_engine_destroy(&e);
}

/* A kernel that takes uring batches: records the runs, fails the one at fail_at (if set). */
struct uring_rec {
	unsigned int batches, runs, fail_at;
	struct map_op seen[64];
};

static int yes_uring(void *ctx)
{
	return 1;
}

static int rec_uring(void *ctx, const struct map_op *ops, unsigned int n, unsigned int *done,
		     unsigned int *enters)
{
	struct uring_rec *u = ctx;

	u->batches++;
	*enters = 1;
	for (unsigned int i = 0; i < n; i++) {
		if (u->fail_at && u->runs == u->fail_at) {
			*done = i;
			return -EFAULT;
		}
		u->seen[u->runs++ % 64] = ops[i];
	}
	*done = n;
	return 0;
}

Test(map, uring_one_enter_per_batch_of_coalesced_runs)
{
	struct uring_rec u = { 0 };
	struct map_backend be = { .uring_supported = yes_uring, .uring = rec_uring, .ctx = &u };
	struct map_engine e;
	struct map_op ops[16];
	unsigned int done;

	/* two contiguous halves with a hole between them: two runs */
	fill_1to1(ops, 16, 0, 0x100000);
	for (unsigned int i = 8; i < 16; i++)
		ops[i].iova += 0x100000;
	cr_assert_eq(map_engine_init(&e, "uring", &be), 0);
	cr_assert_not(e.fallback);
	cr_assert_eq(map_submit(&e, ops, 16, &done), 0);
	cr_assert_eq(done, 16u);
	cr_assert_eq(u.batches, 1u);
	cr_assert_eq(e.calls, 1u, "one io_uring_enter for the batch");
	cr_assert_eq(u.runs, 2u, "coalesced into two commands");
	cr_assert_eq(u.seen[1].iova, ops[8].iova);
	cr_assert_eq(u.seen[1].len, 8u * 4096);
	/* the kernel stops at the second command: the first run's ops took effect */
	u.fail_at = u.runs + 1;
	cr_assert_eq(map_submit(&e, ops, 16, &done), -EFAULT);
	cr_assert_eq(done, 8u, "progress is the ops of the runs that completed");
	map_engine_destroy(&e);
}
