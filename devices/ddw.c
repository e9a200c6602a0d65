// SPDX-License-Identifier: GPL-2.0-only
/*
 * Dynamic DMA windows (PAPR ibm,*-pe-dma-window). A PE starts with its default window
 * (bus 0 .. 1 GiB, 4K TCEs) and may add one DDW with a page size from the offered mask,
 * placed wherever the host IOMMU put its window (2^59 on POWER9/10). As under QEMU, the
 * guest may remove the default window too (Linux does before it hands a device to VFIO),
 * and a window made then takes the first free LIOBN; reset removes every window but the
 * default one, empties that, and makes it again where it is gone. Every window's host
 * mappings go in one map-engine batch when it goes.
 */
#include <string.h>

#include "ddw.h"
#include "log.h"
#include "map.h"
#include "pci.h"
#include "tce.h"
#include "vm.h"

static const struct {
	uint32_t bit;
	unsigned int shift;
} ddw_sizes[] = {
	{ DDW_PGSIZE_4K, 12 },	 { DDW_PGSIZE_64K, 16 },  { DDW_PGSIZE_2M, 21 },
	{ DDW_PGSIZE_16M, 24 },	 { DDW_PGSIZE_32M, 25 },  { DDW_PGSIZE_64M, 26 },
	{ DDW_PGSIZE_128M, 27 }, { DDW_PGSIZE_256M, 28 }, { DDW_PGSIZE_16G, 34 },
};

uint32_t ddw_pgmask(uint64_t host_pgsizes, uint64_t max_page)
{
	uint32_t mask = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(ddw_sizes); i++)
		if (host_pgsizes & (1ULL << ddw_sizes[i].shift) &&
		    (1ULL << ddw_sizes[i].shift) <= max_page)
			mask |= ddw_sizes[i].bit;
	return mask;
}

uint64_t ddw_max_window_size(const struct vm *vm)
{
	return MAX(DDW_DEFAULT_SIZE, 1ULL << (64 - __builtin_clzll(vm->mem.size - 1)));
}

unsigned int ddw_pgmask_shift(uint32_t bit)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ddw_sizes); i++)
		if (ddw_sizes[i].bit == bit)
			return ddw_sizes[i].shift;
	return 0;
}

static bool page_offered(const struct pci_pe *pe, unsigned int shift)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(ddw_sizes); i++)
		if (ddw_sizes[i].shift == shift)
			return pe->pgmask & ddw_sizes[i].bit;
	return false;
}

static unsigned int smallest_offered_shift(const struct pci_pe *pe)
{
	unsigned int best = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(ddw_sizes); i++)
		if (pe->pgmask & ddw_sizes[i].bit && (!best || ddw_sizes[i].shift < best))
			best = ddw_sizes[i].shift;
	return best;
}

/*
 * The guest's side of window n over the host window at bus: psvm's table, or in tier 0
 * KVM's, linked to the host window. A link KVM refuses leaves the window to psvm.
 */
static struct tce_window *window_attach(struct pci_pe *pe, unsigned int n, uint64_t bus,
					 uint64_t size, unsigned int shift)
{
	uint32_t liobn = LIOBN(pe->phb_index, n);
	struct tce_window *w;
	int r;

	w = tce_window_create(pe->vm, liobn, bus, size, shift, pe->engine, pe->in_kernel);
	if (!w || w->kvm_fd < 0)
		return w;
	r = pe->ops->window_link(pe->ctx, w->kvm_fd);
	if (!r) {
		if (pe->kvm_only)
			tce_window_kvm_only(pe->vm, w);
		return w;
	}
	pr_warn("pe %x: KVM would not take window %#x (%s): its TCE hcalls go through psvm",
		pe->phb_index, liobn, strerror(-r));
	tce_window_destroy(pe->vm, w);
	return tce_window_create(pe->vm, liobn, bus, size, shift, pe->engine, false);
}

/* Guest window n over a host window the backend just made. */
static int window_open(struct pci_pe *pe, unsigned int n, unsigned int shift, uint64_t size,
		       uint64_t *bus)
{
	if (pe->ops->window_create(pe->ctx, shift, size, bus))
		return -1;
	pe->win[n] = window_attach(pe, n, *bus, size, shift);
	if (!pe->win[n]) {
		pe->ops->window_remove(pe->ctx, *bus);
		return -1;
	}
	return 0;
}

/* Window w is the boot-time default one, or made in its shape where that was removed. */
static bool window_is_default(const struct pci_pe *pe, const struct tce_window *w)
{
	return w->bus_offset == 0 && w->page_shift == DDW_DEFAULT_SHIFT &&
	       w->size == pe->default_size;
}

/* Unmap all of window n: -1 (the window as its table says) where the host keeps some. */
static int window_clear(struct pci_pe *pe, unsigned int n)
{
	if (!tce_window_clear(pe->vm, pe->win[n]))
		return 0;
	pr_warn_guest("pe %x: the host would not unmap all of window %#x", pe->phb_index,
		      pe->win[n]->liobn);
	return -1;
}

/* The host's window at bus goes; -1 (and the log says so) where the host keeps it. */
static int host_window_remove(struct pci_pe *pe, uint64_t bus)
{
	if (!pe->ops->window_remove(pe->ctx, bus))
		return 0;
	pr_warn("pe %x: the host would not remove its window at %#llx", pe->phb_index,
		(unsigned long long)bus);
	return -1;
}

/*
 * Close window n on both sides once the host maps nothing of it (calls: the engine's
 * count before the clear). Where the host keeps its window, -1 and the guest's is there
 * again, empty as the host's, unless anyway (teardown: nothing is left to use it).
 */
static int window_shut(struct pci_pe *pe, unsigned int n, uint64_t calls, bool anyway)
{
	struct tce_window *w = pe->win[n];
	uint64_t bus = w->bus_offset, size = w->size;
	unsigned int shift = w->page_shift;
	bool dflt = window_is_default(pe, w);

	pe->hcalls += w->hcalls;
	tce_window_free(pe->vm, w);
	pe->win[n] = NULL;
	if (dflt && !anyway)
		pr_info("pe %x: default DMA window %#x removed", pe->phb_index,
			LIOBN(pe->phb_index, n));
	else if (!dflt)
		pr_info("pe %x: DDW %#x removed, %llu host calls while it lived, %llu to tear it down",
			pe->phb_index, LIOBN(pe->phb_index, n),
			(unsigned long long)(calls - pe->host_calls_at_create),
			(unsigned long long)(pe->engine->calls - calls));
	if (!host_window_remove(pe, bus))
		return 0;
	if (!anyway)
		pe->win[n] = window_attach(pe, n, bus, size, shift);
	return -1;
}

/* ibm,remove-pe-dma-window's work: -1 with the window as it was, or as the host left it. */
static int window_close(struct pci_pe *pe, unsigned int n)
{
	uint64_t calls = pe->engine->calls;

	if (window_clear(pe, n))
		return -1;
	return window_shut(pe, n, calls, false);
}

int pe_dma_init(struct pci_pe *pe)
{
	uint64_t bus;

	if (window_open(pe, 0, DDW_DEFAULT_SHIFT, pe->default_size, &bus))
		return -1;
	if (bus != 0) {
		pr_err("pe %x: the host put the default DMA window at %#llx, not at 0",
		       pe->phb_index, (unsigned long long)bus);
		window_shut(pe, 0, pe->engine->calls, true);
		return -1;
	}
	return 0;
}

/* Teardown: what the host keeps of a window goes with the container or IOAS, next. */
void pe_dma_destroy(struct pci_pe *pe)
{
	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++) {
		uint64_t calls = pe->engine->calls;

		if (!pe->win[n])
			continue;
		window_clear(pe, n);
		window_shut(pe, n, calls, true);
	}
}

int pe_dma_reset(struct pci_pe *pe)
{
	uint64_t calls = pe->engine->calls, bus, size;
	struct tce_window *w;
	unsigned int shift;

	/* every window cleared first: a refusal leaves them all as their tables say */
	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++)
		if (pe->win[n] && window_clear(pe, n))
			return -1;
	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++)
		if (pe->win[n] && (n || !window_is_default(pe, pe->win[n])) &&
		    window_shut(pe, n, calls, false))
			return -1;
	w = pe->win[0];
	if (!w)
		return pe_dma_init(pe);
	/* the default window: the host's stays, the guest's is made again (tier 0 may take it) */
	bus = w->bus_offset;
	size = w->size;
	shift = w->page_shift;
	pe->hcalls += w->hcalls;
	tce_window_free(pe->vm, w);
	pe->win[0] = window_attach(pe, 0, bus, size, shift);
	if (pe->win[0])
		return 0;
	/* no guest window: the host's goes too, so that the next reset makes both again */
	host_window_remove(pe, bus);
	return -1;
}

/* The PE a DDW call names: BUID plus the config address of its function. */
static struct pci_pe *ddw_pe(struct vm *vm, const struct rtas_call *c)
{
	struct phb *phb = phb_find(vm, (uint64_t)c->args[1] << 32 | c->args[2]);

	if (!phb || !phb->pe || !phb->func || (c->args[0] >> 8 & 0xffff) != phb->func->devfn)
		return NULL;
	return phb->pe;
}

static unsigned int windows_free(const struct pci_pe *pe)
{
	unsigned int used = 0;

	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++)
		used += pe->win[n] != NULL;
	return pe->max_windows > used ? pe->max_windows - used : 0;
}

/*
 * ibm,query-pe-dma-window(config addr, buid hi, buid lo) -> status, windows available,
 * largest block (1 word, or 2 with the query extension), page sizes, migration options.
 */
static void ddw_query(struct vm *vm, struct rtas_call *c)
{
	struct pci_pe *pe;
	uint64_t largest;
	unsigned int i = 1;

	if (c->nret != 5 && c->nret != 6) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pe = ddw_pe(vm, c);
	if (!pe || !pe->pgmask) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	largest = pe->max_window_size >> smallest_offered_shift(pe);
	c->rets[i++] = windows_free(pe);
	if (c->nret == 6)
		c->rets[i++] = (uint32_t)(largest >> 32);
	else if (largest > 0xffffffffULL)
		largest = 0xffffffffULL;
	c->rets[i++] = (uint32_t)largest;
	c->rets[i++] = pe->pgmask;
	c->rets[i++] = 0; /* no DMA migration */
	c->rets[0] = RTAS_OK;
}

/*
 * ibm,create-pe-dma-window(config addr, buid hi, buid lo, page shift, window shift)
 * -> status, LIOBN, bus address hi, lo
 */
static void ddw_create(struct vm *vm, struct rtas_call *c)
{
	unsigned int shift, wshift, n;
	struct pci_pe *pe;
	uint64_t bus;

	pe = ddw_pe(vm, c);
	shift = c->args[3];
	wshift = c->args[4];
	if (!pe || !page_offered(pe, shift) || wshift < shift || wshift > 63 ||
	    (1ULL << wshift) > pe->max_window_size) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	for (n = 0; n < PE_MAX_WINDOWS && pe->win[n]; n++)
		;
	if (n == PE_MAX_WINDOWS || !windows_free(pe)) {
		rtas_status(c, RTAS_HW_ERROR); /* no window left: remove one first */
		return;
	}
	if (window_open(pe, n, shift, 1ULL << wshift, &bus)) {
		pr_warn_guest("pe %x: host refused a DMA window of 2^%u bytes in 2^%u pages",
			pe->phb_index, wshift, shift);
		rtas_status(c, RTAS_HW_ERROR);
		return;
	}
	pe->host_calls_at_create = pe->engine->calls;
	if (pe->win[n]->kvm_fd >= 0)
		tce_expect_fill(vm); /* a no-op once a window is KVM's alone */
	pr_info("pe %x: DDW %#x at %#llx, 2^%u bytes, 2^%u pages%s", pe->phb_index,
		pe->win[n]->liobn, (unsigned long long)bus, wshift, shift,
		pe->win[n]->kvm_fd >= 0 ? ", TCEs in KVM" : "");
	c->rets[0] = RTAS_OK;
	c->rets[1] = pe->win[n]->liobn;
	c->rets[2] = (uint32_t)(bus >> 32);
	c->rets[3] = (uint32_t)bus;
}

/* ibm,remove-pe-dma-window(LIOBN): any window, the default one too (reset restores it). */
static void ddw_remove(struct vm *vm, struct rtas_call *c)
{
	struct tce_window *w;
	struct phb *phb;

	w = tce_window_find(vm, c->args[0]);
	for (phb = phb_first(vm); w && phb; phb = phb->next) {
		struct pci_pe *pe = phb->pe;

		for (unsigned int n = 0; pe && n < PE_MAX_WINDOWS; n++)
			if (pe->win[n] == w) {
				rtas_status(c, window_close(pe, n) ? RTAS_HW_ERROR : RTAS_OK);
				return;
			}
	}
	rtas_status(c, RTAS_PARAM_ERROR);
}

/* ibm,reset-pe-dma-window(config addr, buid hi, buid lo) */
static void ddw_reset(struct vm *vm, struct rtas_call *c)
{
	struct pci_pe *pe;

	pe = ddw_pe(vm, c);
	if (!pe) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	rtas_status(c, pe_dma_reset(pe) ? RTAS_HW_ERROR : RTAS_OK);
}

/* Windows change under the write lock; TCE hcalls hold the read lock while they use one. */
static void ddw_locked(struct vcpu *cpu, struct rtas_call *c,
		       void (*fn)(struct vm *vm, struct rtas_call *c))
{
	pthread_rwlock_wrlock(tce_lock(cpu->vm));
	fn(cpu->vm, c);
	pthread_rwlock_unlock(tce_lock(cpu->vm));
}

static void rtas_query_pe_dma_window(struct vcpu *cpu, struct rtas_call *c)
{
	ddw_locked(cpu, c, ddw_query);
}

static void rtas_create_pe_dma_window(struct vcpu *cpu, struct rtas_call *c)
{
	ddw_locked(cpu, c, ddw_create);
}

static void rtas_remove_pe_dma_window(struct vcpu *cpu, struct rtas_call *c)
{
	ddw_locked(cpu, c, ddw_remove);
}

static void rtas_reset_pe_dma_window(struct vcpu *cpu, struct rtas_call *c)
{
	ddw_locked(cpu, c, ddw_reset);
}

static const struct rtas_def ddw_rtas[] = {
	{ "ibm,query-pe-dma-window", rtas_query_pe_dma_window, 3, RTAS_ANY }, /* 5 or 6 */
	{ "ibm,create-pe-dma-window", rtas_create_pe_dma_window, 5, 4 },
	{ "ibm,remove-pe-dma-window", rtas_remove_pe_dma_window, 1, 1 },
	{ "ibm,reset-pe-dma-window", rtas_reset_pe_dma_window, 3, 1 },
};

int ddw_register_rtas(struct vm *vm)
{
	return rtas_register_table(&vm->rtas, ddw_rtas, ARRAY_SIZE(ddw_rtas));
}
