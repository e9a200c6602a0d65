// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "be.h"
#include "fake_arch.h"
#include "hcall.h"
#include "tce.h"
#include "unit.h"
#include "vm.h"

#define LIOBN 0x80000001
#define BUS 0x0ULL
#define WIN (1ULL << 30)

/* Host side: records calls and what is mapped per 4K IOVA page; can fail the Nth call. */
struct host {
	unsigned int calls, fail_at;
	uint64_t mapped_pages;
	uint64_t hva_of[1024]; /* first 4 MiB of IOVA */
};

/* A host call takes time, as an ioctl does: it widens any race between vCPUs. */
static void host_delay(void)
{
	for (volatile int i = 0; i < 2000; i++)
		;
}

static int host_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct host *h = ctx;

	host_delay();
	if (++h->calls == h->fail_at)
		return -ENOMEM;
	for (uint64_t o = 0; o < len; o += 4096) {
		if ((iova + o) / 4096 < 1024)
			h->hva_of[(iova + o) / 4096] = hva + o;
		h->mapped_pages++;
	}
	return 0;
}

static int host_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct host *h = ctx;

	host_delay();
	if (++h->calls == h->fail_at)
		return -ENOENT;
	for (uint64_t o = 0; o < len; o += 4096) {
		if ((iova + o) / 4096 < 1024)
			h->hva_of[(iova + o) / 4096] = 0;
		h->mapped_pages--;
	}
	return 0;
}

static struct host host;
static struct map_backend be = { .map = host_map, .unmap = host_unmap, .ctx = &host };
static struct map_engine eng;
static struct vm *vm;
static struct tce_window *w;

static void setup(void)
{
	memset(&host, 0, sizeof(host));
	vm = test_vm(64 << 20, 1);
	cr_assert_eq(tce_register_hcalls(vm), 0);
	cr_assert_eq(map_engine_init(&eng, "coalesce", &be), 0);
	w = tce_window_create(vm, LIOBN, BUS, WIN, 12, &eng, false);
	cr_assert_not_null(w);
}

static void teardown(void)
{
	if (w)
		tce_window_destroy(vm, w);
	map_engine_destroy(&eng);
	test_vm_free(vm);
}

static long hc(uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t *r4)
{
	uint64_t a[9] = { a0, a1, a2, a3 };
	long r = hcall_dispatch(&vm->vcpus[0], nr, a);

	if (r4)
		*r4 = a[0];
	return r;
}

Test(tce, windows, .init = setup, .fini = teardown)
{
	cr_assert_eq(tce_window_find(vm, LIOBN), w);
	cr_assert_null(tce_window_create(vm, LIOBN, 0, WIN, 12, &eng, false), "LIOBN taken");
	cr_assert_null(tce_window_create(vm, 2, 0x800, WIN, 12, &eng, false), "misaligned offset");
	cr_assert_null(tce_window_create(vm, 2, 0, 0, 12, &eng, false), "empty");
	cr_assert_null(tce_window_create(vm, 2, 0, WIN, 11, &eng, false), "page below 4K");
}

Test(tce, put_get_replace_clear, .init = setup, .fini = teardown)
{
	uint64_t got;

	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0x10000 | TCE_READ | TCE_WRITE, 0, NULL), H_SUCCESS);
	cr_assert_eq(host.hva_of[5], (uint64_t)(uintptr_t)vm->mem.hva + 0x10000, "IOVA 0x5000 -> GPA 0x10000");
	cr_assert_eq(hc(H_GET_TCE, LIOBN, 0x5000, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, 0x10000 | 3u);
	cr_assert_eq(be64_to_cpu(w->table[5]), 0x10003u, "table holds big-endian TCEs");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0x20000 | TCE_READ, 0, NULL), H_SUCCESS);
	cr_assert_eq(host.hva_of[5], (uint64_t)(uintptr_t)vm->mem.hva + 0x20000, "replaced");
	cr_assert_eq(host.mapped_pages, 1u);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0, 0, NULL), H_SUCCESS);
	cr_assert_eq(host.mapped_pages, 0u, "TCE 0 unmaps");
}

Test(tce, bad_arguments_change_nothing, .init = setup, .fini = teardown)
{
	cr_assert_eq(hc(H_PUT_TCE, 0x1234, 0, 0x10003, 0, NULL), H_PARAMETER, "no such LIOBN");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN | (1ULL << 32), 0, 0x10003, 0, NULL), H_PARAMETER);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5800, 0x10003, 0, NULL), H_PARAMETER, "misaligned ioba");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, WIN, 0x10003, 0, NULL), H_PARAMETER, "past the window");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0, (64 << 20) | 3, 0, NULL), H_PARAMETER, "outside RAM");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0, 0x10803, 0, NULL), H_PARAMETER, "reserved bits");
	cr_assert_eq(hc(H_GET_TCE, LIOBN, WIN + 0x1000, 0, 0, NULL), H_PARAMETER);
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, WIN - 0x1000, 0, 2, NULL), H_PARAMETER, "runs past the end");
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, 0, 0, 0, NULL), H_PARAMETER, "zero pages");
	cr_assert_eq(host.calls, 0u, "no host call for any of them");
}

Test(tce, indirect_is_one_batch_and_all_or_nothing, .init = setup, .fini = teardown)
{
	uint8_t *list = vm->mem.hva + 0x100000;
	uint64_t got;

	for (int i = 0; i < 512; i++) /* Linux's DDW fill: contiguous RAM */
		st_be64(list + 8 * i, (0x400000ULL + i * 4096) | TCE_READ | TCE_WRITE);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 0, 0x100000, 512, NULL), H_SUCCESS);
	cr_assert_eq(host.calls, 1u, "512 TCEs, one host call");
	cr_assert_eq(host.mapped_pages, 512u);
	cr_assert_eq(hc(H_GET_TCE, LIOBN, 511 * 4096, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, (0x400000ULL + 511 * 4096) | 3);

	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 0, 0x100000, 513, NULL), H_PARAMETER);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 0, 0x100008, 4, NULL), H_PARAMETER, "list not 4K aligned");
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 0, 64 << 20, 4, NULL), H_PARAMETER,
		     "list outside RAM");
	st_be64(list + 8 * 300, (128ULL << 20) | 3); /* one bad TCE */
	host.calls = 0;
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 2 << 20, 0x100000, 512, NULL), H_PARAMETER);
	cr_assert_eq(host.calls, 0u, "validated before any host effect");
	cr_assert_eq(hc(H_GET_TCE, LIOBN, 2 << 20, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, 0u, "window untouched");

	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, 0, 0, 512, NULL), H_SUCCESS);
	cr_assert_eq(host.calls, 1u, "clearing 512 contiguous TCEs: one unmap");
	cr_assert_eq(host.mapped_pages, 0u);
}

Test(tce, host_failure_restores_the_table, .init = setup, .fini = teardown)
{
	uint64_t got;

	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x3000, 0x10003, 0, NULL), H_SUCCESS);
	host.fail_at = host.calls + 2; /* replacing = unmap (ok) + map (fails) */
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x3000, 0x20003, 0, NULL), H_HARDWARE);
	cr_assert_eq(hc(H_GET_TCE, LIOBN, 0x3000, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, 0u, "unmapped but not remapped: the table says so");
	cr_assert_eq(host.mapped_pages, 0u);
	host.fail_at = host.calls + 1;
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x3000, 0x20003, 0, NULL), H_HARDWARE);
	cr_assert_eq(hc(H_GET_TCE, LIOBN, 0x3000, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, 0u, "refused map: old value back");
}

Test(tce, teardown_is_a_handful_of_calls, .init = setup, .fini = teardown)
{
	uint8_t *list = vm->mem.hva + 0x100000;

	for (int i = 0; i < 512; i++)
		st_be64(list + 8 * i, (0x400000ULL + i * 4096) | 3);
	for (int k = 0; k < 4; k++) /* four separate runs */
		cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, (uint64_t)k * (8 << 20), 0x100000, 512, NULL),
			     H_SUCCESS);
	host.calls = 0;
	tce_window_destroy(vm, w);
	w = NULL;
	cr_assert_eq(host.calls, 4u, "one unmap per mapped run");
	cr_assert_eq(host.mapped_pages, 0u);
}

/*
 * Teardown skips a table that maps nothing: the count of mapping entries must follow
 * every path that writes one (maps, clears, TCEs without permissions, a refused unmap).
 */
Test(tce, teardown_unmaps_what_the_table_still_maps, .init = setup, .fini = teardown)
{
	for (uint64_t i = 0; i < 3; i++)
		cr_assert_eq(hc(H_PUT_TCE, LIOBN, i * 4096, (0x20000 + i * 4096) | 3, 0, NULL),
			     H_SUCCESS);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x3000, 0x40000, 0, NULL), H_SUCCESS, "no permission");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0, 0, 0, NULL), H_SUCCESS);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x1000, 0x20001, 0, NULL), H_SUCCESS, "remapped");
	host.fail_at = host.calls + 1; /* the clear of entry 2 is refused: it stays mapped */
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, 0x2000, 0, 2, NULL), H_HARDWARE);
	cr_assert_eq(host.mapped_pages, 2u);
	tce_window_destroy(vm, w);
	w = NULL;
	cr_assert_eq(host.mapped_pages, 0u, "teardown left host mappings");
}

Test(tce, teardown_of_a_window_that_maps_nothing_calls_no_host, .init = setup,
     .fini = teardown)
{
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0x20003, 0, NULL), H_SUCCESS);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN, 0x5000, 0, 0, NULL), H_SUCCESS);
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN, 0, 0x30000, 16, NULL), H_SUCCESS, "no permission");
	host.calls = 0;
	tce_window_destroy(vm, w);
	w = NULL;
	cr_assert_eq(host.calls, 0u);
	cr_assert_eq(host.mapped_pages, 0u);
}

struct hammer {
	unsigned int cpu;
};

static void *hammer(void *arg)
{
	struct hammer *h = arg;

	/* four shared entries: every thread fights over them */
	for (unsigned int i = 0; i < 2000; i++) {
		uint64_t a[9] = { LIOBN, ((i + h->cpu) % 4) * 4096,
				  i % 3 ? (0x10000 + ((i * 5 + h->cpu) % 64) * 4096) | 3 : 0 };

		hcall_dispatch(&vm->vcpus[h->cpu], H_PUT_TCE, a);
	}
	return NULL;
}

Test(tce, vcpus_racing_on_one_window_stay_consistent, .init = setup, .fini = teardown)
{
	pthread_t t[4];
	struct hammer h[4];

	tce_window_destroy(vm, w);
	test_vm_free(vm); /* again with 4 vCPUs */
	w = NULL;
	vm = test_vm(64 << 20, 4);
	cr_assert_eq(tce_register_hcalls(vm), 0);
	map_engine_destroy(&eng);
	cr_assert_eq(map_engine_init(&eng, "coalesce", &be), 0);
	memset(&host, 0, sizeof(host));
	w = tce_window_create(vm, LIOBN, BUS, WIN, 12, &eng, false);
	for (unsigned int i = 0; i < 4; i++) {
		h[i].cpu = i;
		pthread_create(&t[i], NULL, hammer, &h[i]);
	}
	for (unsigned int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* Whatever the interleaving, every entry and its host mapping agree. */
	uint64_t mapped = 0;

	for (unsigned int i = 0; i < 64; i++) {
		uint64_t tce = be64_to_cpu(w->table[i]);
		uint64_t want = tce & 3 ? (uint64_t)(uintptr_t)vm->mem.hva + (tce & ~0xfffULL) : 0;

		cr_assert_eq(host.hva_of[i], want, "entry %u: table and host disagree", i);
		mapped += !!(tce & 3);
	}
	cr_assert_eq(host.mapped_pages, mapped);
}

/* Tier 0: KVM keeps the table (host-endian) and serves the hcalls; psvm keeps its view. */
Test(tce, in_kernel_window_is_kvms_table, .init = setup, .fini = teardown)
{
	struct tce_window *k;
	uint64_t got;

	fake_arch.tce_offered = true;
	k = tce_window_create(vm, LIOBN + 1, 1ULL << 59, 1ULL << 30, 16, &eng, true);
	cr_assert_not_null(k);
	cr_assert_geq(k->kvm_fd, 0, "KVM made the table");
	cr_assert_eq(fake_arch.tce_tables, 1);
	cr_assert_eq(fake_arch.tce_liobn, LIOBN + 1);
	cr_assert_eq(fake_arch.tce_shift, 16u);
	cr_assert_eq(fake_arch.tce_offset, 1ULL << 59);
	/* KVM served an H_PUT_TCE: host-endian entry, host mapping made in the kernel */
	k->table[3] = 0x30000 | TCE_READ;
	cr_assert_eq(tce_get(k, 3), 0x30000u | TCE_READ);
	/* what KVM hands back (H_TOO_HARD) psvm serves into the same table */
	cr_assert_eq(hc(H_PUT_TCE, LIOBN + 1, (1ULL << 59) + 0x50000, 0x40000 | 3, 0, NULL),
		     H_SUCCESS);
	cr_assert_eq(k->table[5], 0x40000u | 3, "host-endian, where KVM reads it");
	cr_assert_eq(hc(H_GET_TCE, LIOBN + 1, (1ULL << 59) + 0x30000, 0, 0, &got), H_SUCCESS);
	cr_assert_eq(got, 0x30000u | TCE_READ, "the entry KVM wrote");
	host.calls = 0;
	tce_window_destroy(vm, k);
	cr_assert_eq(host.calls, 2u, "teardown unmaps what KVM mapped and what psvm did");
	cr_assert_eq(fake_arch.tce_tables, 0, "KVM's table closed");
}

Test(tce, kvm_refusing_a_table_leaves_the_window_to_psvm, .init = setup, .fini = teardown)
{
	struct tce_window *k;

	fake_arch.tce_offered = true;
	fake_arch.tce_refuse = true;
	k = tce_window_create(vm, LIOBN + 1, 0x40000000, 1ULL << 30, 12, &eng, true);
	cr_assert_not_null(k);
	cr_assert_eq(k->kvm_fd, -1);
	cr_assert_eq(hc(H_PUT_TCE, LIOBN + 1, 0x40001000, 0x10003, 0, NULL), H_SUCCESS);
	cr_assert_eq(be64_to_cpu(k->table[1]), 0x10003u, "psvm's own big-endian table");
	tce_window_destroy(vm, k);
	cr_assert_eq(fake_arch.tce_tables, 0);
}

/*
 * iommufd tier 0: a window linked where psvm can map nothing is KVM's alone. Bulk calls
 * stay in KVM for good (a fill psvm served would fail), what KVM hands back gets the PAPR
 * error with neither the table nor the host changed, and teardown leaves the clearing
 * to KVM (its table closing).
 */
Test(tce, kvm_only_window_never_reaches_the_host_through_psvm, .init = setup, .fini = teardown)
{
	uint8_t *list = vm->mem.hva + 0x100000;
	struct tce_window *k;

	fake_arch.tce_offered = true;
	k = tce_window_create(vm, LIOBN + 1, 1ULL << 59, 1ULL << 30, 16, &eng, true);
	cr_assert_not_null(k);
	tce_window_kvm_only(vm, k);
	cr_assert(fake_arch.tce_indirect_in_kernel && fake_arch.tce_stuff_in_kernel,
		  "KVM serves the bulk calls");
	tce_expect_fill(vm);
	cr_assert(fake_arch.tce_indirect_in_kernel, "and keeps them when a DDW is made");
	k->table[3] = 0x30000 | TCE_READ; /* KVM served an H_PUT_TCE */
	host.calls = 0;
	cr_assert_eq(hc(H_PUT_TCE, LIOBN + 1, (1ULL << 59) + 0x50000, 0x40000 | 3, 0, NULL),
		     H_HARDWARE, "handed back with a valid TCE: KVM ran out, psvm cannot map");
	cr_assert_eq(hc(H_PUT_TCE, LIOBN + 1, (1ULL << 59) + 0x50000, (1ULL << 40) | 3, 0, NULL),
		     H_PARAMETER, "outside guest RAM");
	cr_assert_eq(hc(H_STUFF_TCE, LIOBN + 1, 1ULL << 59, 0, 16, NULL), H_HARDWARE);
	for (int i = 0; i < 4; i++)
		st_be64(list + 8 * i, (0x400000ULL + i * 65536) | 3);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN + 1, 1ULL << 59, 0x100000, 4, NULL), H_HARDWARE);
	cr_assert_eq(host.calls, 0u, "psvm made no host call for KVM's window");
	cr_assert_eq(k->table[5], 0u, "nor wrote KVM's table");
	cr_assert_eq(tce_get(k, 3), 0x30000u | TCE_READ, "what KVM wrote stays");
	tce_window_destroy(vm, k);
	cr_assert_eq(host.calls, 0u, "KVM clears its window as the table closes");
	cr_assert_eq(fake_arch.tce_tables, 0, "KVM's table closed");
}

/* psvm serves INDIRECT while a fill is expected, and gives it to KVM at a scattered list. */
Test(tce, indirect_goes_to_kvm_at_the_first_scattered_list, .init = setup, .fini = teardown)
{
	uint8_t *list = vm->mem.hva + 0x100000;
	struct tce_window *k;

	fake_arch.tce_offered = true;
	k = tce_window_create(vm, LIOBN + 1, 1ULL << 59, 1ULL << 30, 12, &eng, true);
	cr_assert_not_null(k);
	for (int i = 0; i < 512; i++) /* Linux's DDW fill: contiguous */
		st_be64(list + 8 * i, (0x400000ULL + i * 4096) | 3);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN + 1, 1ULL << 59, 0x100000, 512, NULL), H_SUCCESS);
	cr_assert_not(fake_arch.tce_indirect_in_kernel, "one host call for 512 TCEs: psvm keeps it");
	for (int i = 0; i < 512; i++) /* every other page: 512 runs */
		st_be64(list + 8 * i, (0x400000ULL + i * 8192) | 3);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN + 1, (1ULL << 59) + (4 << 20), 0x100000, 512,
			NULL),
		     H_SUCCESS);
	cr_assert(fake_arch.tce_indirect_in_kernel, "scattered: KVM serves them from now on");
	cr_assert_eq(tce_get(k, (4 << 20) / 4096 + 1), (0x400000ULL + 8192) | 3,
		     "that list itself went into KVM's table");
	tce_expect_fill(vm);
	cr_assert_not(fake_arch.tce_indirect_in_kernel, "a new DDW: psvm takes them back");
	cr_assert_not(fake_arch.tce_stuff_in_kernel, "H_STUFF_TCE is never KVM's");
	/* psvm's own windows never hand anything to KVM */
	for (int i = 0; i < 512; i++)
		st_be64(list + 8 * i, (0x400000ULL + i * 8192) | 3);
	cr_assert_eq(hc(H_PUT_TCE_INDIRECT, LIOBN, 0, 0x100000, 512, NULL), H_SUCCESS);
	cr_assert_not(fake_arch.tce_indirect_in_kernel);
	tce_window_destroy(vm, k);
}
