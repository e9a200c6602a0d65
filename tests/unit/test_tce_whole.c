// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCE windows on a host that unmaps whole mappings only, as iommufd does (fake_ioas.h).
 * After every hcall the host must map exactly what the table says (DESIGN.md §1).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "fake_arch.h"
#include "fake_ioas.h"
#include "hcall.h"
#include "tce.h"
#include "unit.h"
#include "vm.h"

#define LIOBN 0x80000001
#define PAGES 64 /* a 256 KiB window of 4K TCEs */

static struct fake_ioas host;
static struct map_backend be;
static struct map_engine eng;
static struct vm *vm;
static struct tce_window *w;

static void start(const char *engine)
{
	memset(&host, 0, sizeof(host));
	fake_ioas_backend(&host, &be);
	vm = test_vm(64 << 20, 1);
	cr_assert_eq(tce_register_hcalls(vm), 0);
	cr_assert_eq(map_engine_init(&eng, engine, &be), 0);
	w = tce_window_create(vm, LIOBN, 0, PAGES * 4096ULL, 12, &eng, false);
	cr_assert_not_null(w);
	cr_assert_not_null(w->ext, "a whole-unmap host: the window tracks host mappings");
}

static void setup(void)
{
	start("coalesce");
}

static void teardown(void)
{
	if (w)
		tce_window_destroy(vm, w);
	map_engine_destroy(&eng);
	test_vm_free(vm);
}

/* The host maps entry k as the table says, or not at all: the invariant, entry by entry. */
static void check_host(const char *when)
{
	long bad = fake_ioas_check(&host, vm, w);

	cr_assert_eq(bad, -1, "%s: host and table disagree at entry %ld", when, bad);
}

static long hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t a[9] = { a0, a1, a2, a3 };

	return hcall_dispatch(&vm->vcpus[0], nr, a);
}

static void put_list(uint64_t ioba, uint64_t gpa, unsigned int n, uint64_t stride)
{
	uint8_t *list = vm->mem.hva + 0x100000;

	for (unsigned int i = 0; i < n; i++)
		st_be64(list + 8 * i, (gpa + i * stride) | TCE_READ | TCE_WRITE);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, ioba, 0x100000, n), H_SUCCESS);
}

/* The fake itself, as iopt_unmap_iova_range behaves: whole areas only, in IOVA order. */
Test(tce_whole, the_fake_ioas_unmaps_as_iommufd_does)
{
	struct fake_ioas s = { 0 };
	struct map_backend b;

	fake_ioas_backend(&s, &b);
	cr_assert_eq(b.map(&s, 0x5000, 0x1000, 0x1000, 3), 0);
	cr_assert_eq(b.map(&s, 0x1000, 0x2000, 0x2000, 3), 0, "out of order");
	cr_assert_eq(b.map(&s, 0x8000, 0x9000, 0x4000, 3), 0);
	cr_assert_eq(b.map(&s, 0x2000, 0, 0x1000, 3), -EEXIST, "overlaps 0x1000-0x3000");
	cr_assert_eq(b.map(&s, 0x4000, 0, 0x2000, 3), -EEXIST, "overlaps 0x5000");
	cr_assert_eq(s.n, 3u);
	cr_assert(s.a[0].iova < s.a[1].iova && s.a[1].iova < s.a[2].iova, "kept in IOVA order");
	cr_assert_eq(b.unmap(&s, 0x3000, 0x2000), -ENOENT, "nothing whole inside");
	cr_assert_eq(b.unmap(&s, 0, 0xa000), -ENOENT, "cuts the area at 0x8000");
	cr_assert_eq(s.n, 1u, "the whole ones before the cut went all the same");
	cr_assert_eq(s.a[0].iova, 0x8000u);
	cr_assert_eq(b.unmap(&s, 0x8000, 0x4000), 0);
	cr_assert_eq(s.n, 0u);
	s.fail_at = s.calls + 1;
	cr_assert_eq(b.map(&s, 0, 0, 0x1000, 3), -ENOMEM, "a call made to fail");
	cr_assert_eq(s.n, 0u);
}

/* Issue 16's trigger: 8 contiguous TCEs (one host mapping), then one cleared alone. */
Test(tce_whole, clearing_inside_a_run_splits_it, .init = setup, .fini = teardown)
{
	put_list(0, 0x400000, 8, 4096);
	cr_assert_eq(host.n, 1u, "one host mapping for the run");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x2000, 0, 0), H_SUCCESS);
	check_host("after clearing entry 2");
	cr_assert_eq(host.n, 2u, "the run split around the hole");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0x800000 | 3, 0), H_SUCCESS);
	check_host("after replacing entry 5");
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, 0x1000, 0, 6), H_SUCCESS);
	check_host("after clearing 1..6 across mappings");
	cr_assert_eq(tce_get(w, 0), 0x400000u | 3, "entry 0 stays");
	cr_assert_eq(tce_get(w, 7), (0x400000u + 7 * 4096) | 3, "entry 7 stays");
}

Test(tce_whole, teardown_leaves_nothing, .init = setup, .fini = teardown)
{
	put_list(0, 0x400000, 16, 4096);
	put_list(20 * 4096, 0x600000, 10, 8192); /* scattered */
	check_host("filled");
	tce_window_destroy(vm, w);
	w = NULL;
	cr_assert_eq(host.n, 0u, "every mapping gone");
}

/* A host that fails calls now and then: whatever it took, host and table agree. */
static void random_walk(unsigned int seed)
{
	srand(seed);
	for (unsigned int step = 0; step < 1500; step++) {
		uint64_t k = (uint64_t)rand() % PAGES, n = 1 + (uint64_t)rand() % 8;
		uint64_t gpa = 0x400000 + ((uint64_t)rand() % 32) * 4096;
		char when[64];
		long r;

		if (k + n > PAGES)
			n = PAGES - k;
		host.fail_at = rand() % 5 ? 0 : host.calls + 1 + (unsigned int)rand() % 4;
		switch (rand() % 3) {
		case 0:
			r = hc(H_PUT_TCE, LIOBN, k * 4096, rand() % 4 ? gpa | 3 : 0, 0);
			break;
		case 1:
			r = hc(H_STUFF_TCE, LIOBN, k * 4096, rand() % 3 ? 0 : gpa | 1, n);
			break;
		default: {
			uint8_t *list = vm->mem.hva + 0x100000;
			uint64_t stride = rand() % 2 ? 4096 : 8192;

			for (uint64_t i = 0; i < n; i++)
				st_be64(list + 8 * i, (gpa + i * stride) | 3);
			r = hc(H_PUT_TCE_INDIRECT, LIOBN, k * 4096, 0x100000, n);
		}
		}
		cr_assert(r == H_SUCCESS || r == H_HARDWARE, "step %u: %ld", step, r);
		snprintf(when, sizeof(when), "seed %u step %u", seed, step);
		check_host(when);
	}
	host.fail_at = 0;
}

Test(tce_whole, failing_host_never_drifts_coalesce, .init = setup, .fini = teardown)
{
	random_walk(1);
	random_walk(2);
}

Test(tce_whole, failing_host_never_drifts_ioctl)
{
	start("ioctl");
	random_walk(3);
	teardown();
}
