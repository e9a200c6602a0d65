// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCE hypercalls over DMA windows. Every argument and every TCE is checked first (window,
 * alignment, range, count, permission bits, real page inside guest RAM); only then is the
 * table updated and one batch handed to the map engine. If the host refuses part of it,
 * the entries it did not take are restored and the guest gets H_HARDWARE.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "be.h"
#include "hcall.h"
#include "log.h"
#include "tce.h"
#include "vm.h"

/* The VM's windows: a built-in device, so PHBs and tests alike find the list. */
struct tce_windows {
	struct tce_window *head;
	pthread_rwlock_t lock; /* windows come and go (DDW) while vCPUs use them */
	bool indirect_in_kernel; /* KVM serves H_PUT_TCE_INDIRECT for its tables */
	bool kvm_only;		 /* some window is KVM's alone: bulk calls stay in KVM */
};

static struct tce_windows *windows_of(struct vm *vm)
{
	return device_priv(vm, &tce_kind);
}

pthread_rwlock_t *tce_lock(struct vm *vm)
{
	return &windows_of(vm)->lock;
}

struct tce_window *tce_window_find(struct vm *vm, uint32_t liobn)
{
	for (struct tce_window *w = windows_of(vm)->head; w; w = w->next)
		if (w->liobn == liobn)
			return w;
	return NULL;
}

static void tce_set(struct tce_window *w, uint64_t i, uint64_t v)
{
	bool was;

	if (w->kvm_fd >= 0) {
		__atomic_store_n(&w->table[i], v, __ATOMIC_RELAXED);
		return;
	}
	was = be64_to_cpu(w->table[i]) & TCE_PERMS;
	if (was && !(v & TCE_PERMS))
		w->live--;
	else if (!was && v & TCE_PERMS)
		w->live++;
	w->table[i] = cpu_to_be64(v);
}

/* KVM's table for the window, or psvm's where KVM will not (said once per window). */
static int table_alloc(struct vm *vm, struct tce_window *w, bool in_kernel)
{
	uint64_t entries = w->size >> w->page_shift;
	int fd;

	w->kvm_fd = -1;
	if (in_kernel) {
		fd = arch_tce_create(vm, w->liobn, w->page_shift, w->bus_offset, w->size,
				     &w->table);
		if (fd >= 0) {
			w->kvm_fd = fd;
			return 0;
		}
		pr_warn("TCE window %#x: KVM made no table (%s): its TCE hcalls go through psvm",
			w->liobn, strerror(-fd));
	}
	w->table = calloc(entries, sizeof(*w->table));
	return w->table ? 0 : -1;
}

static void table_free(struct tce_window *w)
{
	if (w->kvm_fd >= 0)
		arch_tce_destroy(w->kvm_fd, w->table, w->size >> w->page_shift);
	else
		free(w->table);
}

struct tce_window *tce_window_create(struct vm *vm, uint32_t liobn, uint64_t bus_offset,
				     uint64_t size, unsigned int page_shift,
				     struct map_engine *engine, bool in_kernel)
{
	struct tce_window *w;
	uint64_t page = 1ULL << page_shift;

	if (page_shift < 12 || page_shift > 34 || !size || size % page ||
	    bus_offset % page || bus_offset + size < bus_offset || tce_window_find(vm, liobn))
		return NULL;
	w = calloc(1, sizeof(*w));
	if (!w)
		return NULL;
	w->liobn = liobn;
	w->bus_offset = bus_offset;
	w->size = size;
	w->page_shift = page_shift;
	if (table_alloc(vm, w, in_kernel)) {
		free(w);
		return NULL;
	}
	if (engine->be->whole_unmaps) {
		w->ext = malloc((size >> page_shift) * sizeof(*w->ext));
		if (!w->ext) {
			table_free(w);
			free(w);
			return NULL;
		}
		/* every byte 0xff: TCE_EXT_NONE in each entry, at memset's speed */
		memset(w->ext, 0xff, (size >> page_shift) * sizeof(*w->ext));
	}
	pthread_mutex_init(&w->lock, NULL);
	w->engine = engine;
	w->next = windows_of(vm)->head;
	windows_of(vm)->head = w;
	return w;
}

/* The host side of one entry: an unmap of what it mapped, a map of what it maps. */
static unsigned int tce_ops(struct vm *vm, struct tce_window *w, uint64_t idx, uint64_t old,
			    uint64_t new, struct map_op *ops)
{
	uint64_t page = 1ULL << w->page_shift, iova = w->bus_offset + idx * page;
	unsigned int n = 0;

	if (old & TCE_PERMS)
		ops[n++] = (struct map_op){ .type = MAP_OP_UNMAP, .iova = iova, .len = page };
	if (new & TCE_PERMS)
		ops[n++] = (struct map_op){
			.type = MAP_OP_MAP,
			.prot = (uint8_t)((new & TCE_READ ? MAP_PROT_READ : 0) |
					  (new & TCE_WRITE ? MAP_PROT_WRITE : 0)),
			.iova = iova,
			.hva = (uint64_t)(uintptr_t)gpa_to_hva(&vm->mem, new & ~(page - 1), page),
			.len = page,
		};
	return n;
}

/* A TCE the guest may write: no reserved bits, and a mapping must name guest RAM. */
static bool tce_valid(struct vm *vm, struct tce_window *w, uint64_t tce)
{
	uint64_t page = 1ULL << w->page_shift;

	if (!(tce & TCE_PERMS))
		return true; /* an empty entry, whatever the address bits */
	if (tce & (page - 1) & ~TCE_PERMS)
		return false;
	return gpa_to_hva(&vm->mem, tce & ~(page - 1), page) != NULL;
}

/* What entry k holds once the batch [first, first+n) is applied */
static uint64_t batch_val(const struct tce_window *w, uint64_t k, uint64_t first, uint64_t n,
			  const uint64_t *vals, bool stuff)
{
	if (k < first || k - first >= n)
		return tce_get(w, k);
	return stuff ? vals[0] : vals[k - first];
}

/* The end of the host mapping that starts at entry e */
static uint64_t ext_end(const struct tce_window *w, uint64_t e)
{
	uint64_t f = e, entries = w->size >> w->page_shift;

	while (f < entries && w->ext[f] == e)
		f++;
	return f;
}

/* Did one of the done map ops ops[from, to) (sorted by entry) map entry k? */
static bool mapped_by(const uint64_t *op_entry, unsigned int from, unsigned int to, uint64_t k)
{
	while (from < to) {
		unsigned int mid = from + (to - from) / 2;

		if (op_entry[mid] == k)
			return true;
		if (op_entry[mid] < k)
			from = mid + 1;
		else
			to = mid;
	}
	return false;
}

/*
 * tce_apply for hosts that unmap whole mappings only: every host mapping the batch touches
 * is unmapped whole, then what stays of it is mapped again with what the batch maps, in
 * IOVA order (the engine merges what it can into new mappings). The table is written
 * after, from what the host then has: an entry whose mapping went and did not come back
 * is empty (and the guest gets H_HARDWARE), so the host never maps what the table does
 * not say, nor the table what the host does not map.
 */
static long tce_apply_whole(struct vm *vm, struct tce_window *w, uint64_t first, uint64_t n,
			    const uint64_t *vals, bool stuff)
{
	uint64_t page = 1ULL << w->page_shift, lo = first, hi = first + n, last = first + n;
	uint64_t cap = 0, *op_entry = NULL;
	unsigned int nops = 0, nunmaps, done = 0;
	struct map_op *ops = NULL, run = { 0 };
	long ret = H_SUCCESS;
	int r;

	/* the mappings the batch touches span [lo, hi); all of it is mapped outside the batch */
	for (uint64_t k = first; k < last; k++)
		if (w->ext[k] != TCE_EXT_NONE && (k == first || w->ext[k] != w->ext[k - 1])) {
			lo = MIN(lo, w->ext[k]);
			hi = MAX(hi, ext_end(w, w->ext[k]));
			cap++;
		}
	for (uint64_t k = lo; k < hi; k++)
		cap += !!(batch_val(w, k, first, n, vals, stuff) & TCE_PERMS);
	if (cap > UINT_MAX)
		return H_NO_MEM;
	if (cap) {
		ops = malloc(cap * sizeof(*ops));
		op_entry = malloc(cap * sizeof(*op_entry));
		if (!ops || !op_entry) {
			ret = H_NO_MEM;
			goto out;
		}
	}
	for (uint64_t k = lo; k < hi; k++)
		if (w->ext[k] == k) { /* a mapping starts here */
			op_entry[nops] = k;
			ops[nops++] = (struct map_op){ .type = MAP_OP_UNMAP,
						       .iova = w->bus_offset + k * page,
						       .len = (ext_end(w, k) - k) * page };
		}
	nunmaps = nops;
	for (uint64_t k = lo; k < hi; k++) {
		uint64_t v = batch_val(w, k, first, n, vals, stuff);

		if (v & TCE_PERMS) {
			op_entry[nops] = k;
			tce_ops(vm, w, k, 0, v, &ops[nops++]);
		}
	}
	r = nops ? map_submit(w->engine, ops, nops, &done) : 0;
	/* the host now: the mappings unmapped gone, new ones as the engine merged them */
	for (unsigned int j = 0; j < nunmaps && j < done; j++)
		for (uint64_t k = op_entry[j]; k < op_entry[j] + (ops[j].len >> w->page_shift); k++)
			w->ext[k] = TCE_EXT_NONE;
	for (unsigned int j = nunmaps; j < done; j++) {
		/* the engine's runs (map_coalesce): one host mapping each */
		if (j > nunmaps && w->engine->ops->coalesces && map_op_continues(&run, &ops[j])) {
			run.len += ops[j].len;
			w->ext[op_entry[j]] = w->ext[op_entry[j - 1]];
		} else {
			run = ops[j];
			w->ext[op_entry[j]] = op_entry[j];
		}
	}
	/* and the table after it */
	for (uint64_t k = lo; k < hi; k++) {
		bool in = k >= first && k < last;
		uint64_t v = batch_val(w, k, first, n, vals, stuff);

		if (w->ext[k] == TCE_EXT_NONE) /* not mapped: what the guest wrote, without a map */
			tce_set(w, k, !(v & TCE_PERMS) ? v : 0);
		else if (in && mapped_by(op_entry, nunmaps, MAX(done, nunmaps), k))
			tce_set(w, k, v); /* mapped as the batch says */
		/* else still in its old mapping: the entry keeps its old value */
	}
	if (r) {
		pr_warn_guest("TCE window %#x: host refused a batch after %u of %u ops", w->liobn,
			      done, nops);
		ret = H_HARDWARE;
	}
out:
	free(ops);
	free(op_entry);
	return ret;
}

/*
 * Set entries [first, first+n) to vals[i] (or to vals[0] when stuff). All checked by the
 * caller. One engine batch; on a host failure restore what did not take effect.
 */
static long tce_apply(struct vm *vm, struct tce_window *w, uint64_t first, uint64_t n,
		      const uint64_t *vals, bool stuff)
{
	if (w->kvm_only) {
		/* what KVM could not do with valid TCEs (no memory): psvm cannot either */
		pr_warn_guest("TCE window %#x: KVM handed back a TCE hcall for its own window",
			      w->liobn);
		return H_HARDWARE;
	}
	if (w->ext) {
		long r;

		pthread_mutex_lock(&w->lock);
		r = tce_apply_whole(vm, w, first, n, vals, stuff);
		pthread_mutex_unlock(&w->lock);
		return r;
	}
	struct map_op *ops = NULL;
	unsigned int nops = 0, done = 0;
	uint64_t *op_entry = NULL, *op_old = NULL, count = 0;
	long ret = H_SUCCESS;
	int r;

	pthread_mutex_lock(&w->lock);
	/*
	 * Memory for the entries that map or unmap something only: clearing a big window
	 * with few mappings (teardown, H_STUFF_TCE 0) must not cost 64 bytes per entry.
	 */
	for (uint64_t i = 0; i < n; i++)
		count += !!(tce_get(w, first + i) & TCE_PERMS) +
			 !!((stuff ? vals[0] : vals[i]) & TCE_PERMS);
	if (count > UINT_MAX) { /* one batch counts its ops in 32 bits */
		ret = H_NO_MEM;
		goto out;
	}
	if (count) {
		ops = malloc(count * sizeof(*ops));
		op_entry = malloc(count * sizeof(*op_entry));
		op_old = malloc(count * sizeof(*op_old));
		if (!ops || !op_entry || !op_old) {
			ret = H_NO_MEM;
			goto out;
		}
	}
	for (uint64_t i = 0; i < n; i++) {
		uint64_t v = stuff ? vals[0] : vals[i], old = tce_get(w, first + i);
		/* no ops array when nothing maps or unmaps (and no NULL + 0) */
		unsigned int k = ops ? tce_ops(vm, w, first + i, old, v, ops + nops) : 0;

		for (unsigned int j = 0; j < k; j++) {
			op_entry[nops + j] = i;
			op_old[nops + j] = old;
		}
		nops += k;
		tce_set(w, first + i, v);
	}
	r = nops ? map_submit(w->engine, ops, nops, &done) : 0;
	if (r) {
		/*
		 * Entries whose ops all took effect keep their new value; the rest go back to
		 * the old one. An entry whose unmap took effect but whose map did not is empty.
		 */
		for (unsigned int j = done; j < nops; j++) {
			uint64_t i = op_entry[j];
			bool unmap_done = j > 0 && op_entry[j - 1] == i && j - 1 < done;

			tce_set(w, first + i, unmap_done ? 0 : op_old[j]);
		}
		pr_warn_guest("TCE window %#x: host refused a batch after %u of %u ops", w->liobn, done, nops);
		ret = H_HARDWARE;
	}
out:
	pthread_mutex_unlock(&w->lock);
	free(ops);
	free(op_entry);
	free(op_old);
	return ret;
}

/* Window lookup and the [ioba, ioba + n pages) range check shared by all TCE hcalls. */
static struct tce_window *tce_range(struct vm *vm, uint64_t liobn, uint64_t ioba, uint64_t n,
				    uint64_t *first)
{
	struct tce_window *w = liobn >> 32 ? NULL : tce_window_find(vm, (uint32_t)liobn);
	uint64_t page;

	if (!w)
		return NULL;
	page = 1ULL << w->page_shift;
	if (ioba & (page - 1) || ioba < w->bus_offset || ioba - w->bus_offset >= w->size ||
	    n > (w->size - (ioba - w->bus_offset)) / page)
		return NULL;
	*first = (ioba - w->bus_offset) >> w->page_shift;
	__atomic_fetch_add(&w->hcalls, 1, __ATOMIC_RELAXED);
	return w;
}

/* H_PUT_TCE(liobn, ioba, tce) */
static long h_put_tce(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t first, tce = args[2];
	struct tce_window *w = tce_range(vm, args[0], args[1], 1, &first);

	if (!w || !tce_valid(vm, w, tce))
		return H_PARAMETER;
	return tce_apply(vm, w, first, 1, &tce, false);
}

/* H_GET_TCE(liobn, ioba) -> r4 = tce */
static long h_get_tce(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t first;
	struct tce_window *w = tce_range(cpu->vm, args[0], args[1], 1, &first);

	if (!w)
		return H_PARAMETER;
	pthread_mutex_lock(&w->lock);
	args[0] = tce_get(w, first);
	pthread_mutex_unlock(&w->lock);
	return H_SUCCESS;
}

/* H_STUFF_TCE(liobn, ioba, tce, npages): the same TCE into npages entries. */
static long h_stuff_tce(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t first, tce = args[2], npages = args[3];
	struct tce_window *w = tce_range(vm, args[0], args[1], npages, &first);

	if (!w || !npages || !tce_valid(vm, w, tce))
		return H_PARAMETER;
	return tce_apply(vm, w, first, npages, &tce, true);
}

/*
 * Who serves H_PUT_TCE_INDIRECT for windows KVM has tables for (tier 0). KVM takes a list
 * TCE by TCE; psvm makes one host call per contiguous run: 4x faster for Linux's DDW 1:1
 * fill (contiguous lists), 1.7x slower for scattered pages (tests/bench/power-tce, powernv9).
 * So psvm serves them while a fill is expected (at start, and after a DDW is made) and
 * hands them to KVM at the first scattered list. H_STUFF_TCE stays with psvm throughout:
 * clearing a range is one host unmap for psvm, 512 TCE exchanges for KVM (0.3x its time).
 */
void tce_expect_fill(struct vm *vm)
{
	struct tce_windows *t = windows_of(vm);

	if (__atomic_load_n(&t->kvm_only, __ATOMIC_RELAXED))
		return;
	if (__atomic_load_n(&t->indirect_in_kernel, __ATOMIC_RELAXED) &&
	    !arch_tce_hcall_in_kernel(vm, H_PUT_TCE_INDIRECT, false)) {
		__atomic_store_n(&t->indirect_in_kernel, false, __ATOMIC_RELAXED);
		pr_info("TCE: psvm serves H_PUT_TCE_INDIRECT while the guest fills its new DDW");
	}
}

void tce_window_kvm_only(struct vm *vm, struct tce_window *w)
{
	struct tce_windows *t = windows_of(vm);

	w->kvm_only = true;
	if (__atomic_exchange_n(&t->kvm_only, true, __ATOMIC_RELAXED))
		return;
	if (arch_tce_hcall_in_kernel(vm, H_PUT_TCE_INDIRECT, true) ||
	    arch_tce_hcall_in_kernel(vm, H_STUFF_TCE, true))
		pr_warn("TCE: KVM would not serve H_PUT_TCE_INDIRECT and H_STUFF_TCE: psvm "
			"refuses them for the windows KVM owns");
	else
		__atomic_store_n(&t->indirect_in_kernel, true, __ATOMIC_RELAXED);
}

/* A list psvm served for a window in KVM: scattered (runs of under 8 pages), KVM's now. */
static void indirect_served(struct vm *vm, const struct tce_window *w, const uint64_t *tces,
			    uint64_t n)
{
	struct tce_windows *t = windows_of(vm);
	uint64_t page = 1ULL << w->page_shift, runs = 1;

	if (w->kvm_fd < 0)
		return;
	for (uint64_t i = 1; i < n; i++) /* the runs the engine makes one host call each */
		runs += tces[i] != tces[i - 1] + page;
	if (runs * 8 <= n || __atomic_exchange_n(&t->indirect_in_kernel, true, __ATOMIC_RELAXED))
		return;
	if (arch_tce_hcall_in_kernel(vm, H_PUT_TCE_INDIRECT, true)) {
		__atomic_store_n(&t->indirect_in_kernel, false, __ATOMIC_RELAXED);
		return;
	}
	pr_info("TCE window %#x: scattered H_PUT_TCE_INDIRECT (%llu TCEs in %llu runs): "
		"KVM serves them from now on", w->liobn, (unsigned long long)n,
		(unsigned long long)runs);
}

/* H_PUT_TCE_INDIRECT(liobn, ioba, tce_list, npages): up to 512 TCEs from a 4K page. */
static long h_put_tce_indirect(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t first, list = args[2], npages = args[3], tces[TCE_INDIRECT_MAX];
	struct tce_window *w;
	const uint8_t *p;
	long r;

	if (!npages || npages > TCE_INDIRECT_MAX || list & 0xfff)
		return H_PARAMETER;
	w = tce_range(vm, args[0], args[1], npages, &first);
	p = gpa_to_hva(&vm->mem, list, npages * 8);
	if (!w || !p)
		return H_PARAMETER;
	/* One copy, then checks: the guest may rewrite its list while we work. */
	for (uint64_t i = 0; i < npages; i++) {
		tces[i] = ld_be64(p + 8 * i);
		if (!tce_valid(vm, w, tces[i]))
			return H_PARAMETER;
	}
	r = tce_apply(vm, w, first, npages, tces, false);
	indirect_served(vm, w, tces, npages);
	return r;
}

int tce_window_clear(struct vm *vm, struct tce_window *w)
{
	uint64_t zero = 0;

	/*
	 * One batch (coalesced into a few calls), not one hcall per TCE; a window KVM owns
	 * is cleared by KVM as its table closes; a table of psvm's that maps nothing is not
	 * scanned (a reset of a big empty DDW costs nothing).
	 */
	if (w->kvm_only || (w->kvm_fd < 0 && !w->live))
		return 0;
	return tce_apply(vm, w, 0, w->size >> w->page_shift, &zero, true) == H_SUCCESS ? 0 : -1;
}

void tce_window_free(struct vm *vm, struct tce_window *w)
{
	struct tce_window **pp;

	for (pp = &windows_of(vm)->head; *pp && *pp != w; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = w->next;
	pthread_mutex_destroy(&w->lock);
	table_free(w);
	free(w->ext);
	free(w);
}

int tce_window_destroy(struct vm *vm, struct tce_window *w)
{
	int r = tce_window_clear(vm, w);

	tce_window_free(vm, w);
	return r;
}

/* A DDW call may remove a window: hold the read lock while one is in use. */
static long h_tce(struct vcpu *cpu, uint64_t nr, uint64_t *args)
{
	long r;

	pthread_rwlock_rdlock(tce_lock(cpu->vm));
	switch (nr) {
	case H_GET_TCE:
		r = h_get_tce(cpu, nr, args);
		break;
	case H_PUT_TCE:
		r = h_put_tce(cpu, nr, args);
		break;
	case H_STUFF_TCE:
		r = h_stuff_tce(cpu, nr, args);
		break;
	default:
		r = h_put_tce_indirect(cpu, nr, args);
		break;
	}
	pthread_rwlock_unlock(tce_lock(cpu->vm));
	return r;
}

static const struct hcall_entry tce_hcalls[] = {
	HCALL(H_GET_TCE, h_tce),
	HCALL(H_PUT_TCE, h_tce),
	HCALL(H_STUFF_TCE, h_tce),
	HCALL(H_PUT_TCE_INDIRECT, h_tce),
};

int tce_register_hcalls(struct vm *vm)
{
	return hcall_register_table(&vm->hcalls, tce_hcalls, ARRAY_SIZE(tce_hcalls));
}

static int tce_create(struct vm *vm, const void *conf __unused)
{
	struct tce_windows *t = calloc(1, sizeof(*t));

	if (!t)
		return -1;
	pthread_rwlock_init(&t->lock, NULL);
	if (!device_add(vm, &tce_kind, t)) {
		pthread_rwlock_destroy(&t->lock);
		free(t);
		return -1;
	}
	return 0;
}

/* Windows belong to whoever made them (PEs): by now they have removed theirs. */
static void tce_destroy(struct device *dev)
{
	struct tce_windows *t = dev->priv;

	pthread_rwlock_destroy(&t->lock);
	free(t);
}

const struct device_kind tce_kind = {
	.name = "tce",
	.create = tce_create,
	.destroy = tce_destroy,
};
