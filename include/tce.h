/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * DMA windows and their TCE tables (PAPR): the guest writes translation entries with
 * H_PUT_TCE, H_PUT_TCE_INDIRECT and H_STUFF_TCE; psvm validates every entry before any
 * host effect and turns each hcall into one map-engine batch.
 */
#ifndef PSVM_TCE_H
#define PSVM_TCE_H

#include <pthread.h>

#include "be.h"
#include "device.h"
#include "map.h"

#define TCE_READ 1ULL	/* device may read guest memory */
#define TCE_WRITE 2ULL	/* device may write guest memory */
#define TCE_PERMS (TCE_READ | TCE_WRITE)
#define TCE_INDIRECT_MAX 512 /* one 4K page of TCEs */
#define TCE_EXT_NONE UINT64_MAX

struct vm;

struct tce_window {
	uint32_t liobn;
	uint64_t bus_offset;	/* first IOVA */
	uint64_t size;		/* bytes */
	unsigned int page_shift;
	/*
	 * The guest's TCEs: psvm's table (big-endian, as the guest wrote them), or with
	 * kvm_fd >= 0 KVM's (tier 0: host-endian, written by KVM as it serves the hcalls;
	 * psvm reads it to tear down and writes it only for what KVM hands back).
	 */
	uint64_t *table;
	uint64_t live;		/* psvm's table: entries that map (0: teardown has no scan) */
	int kvm_fd;
	bool kvm_only;		/* linked where psvm can map nothing: KVM serves it all */
	/*
	 * Hosts that unmap whole mappings only (iommufd): per entry, the first entry of the
	 * host mapping that holds it (TCE_EXT_NONE: none), so that clearing part of a
	 * coalesced run unmaps the run and maps back what stays. NULL elsewhere.
	 */
	uint64_t *ext;
	pthread_mutex_t lock;	/* table and its host mappings change together */
	struct map_engine *engine;
	uint64_t hcalls;	/* TCE hcalls served */
	struct tce_window *next;
};

/*
 * A window the VMM owns (default window or DDW); engine does the host mappings psvm
 * makes. in_kernel asks for KVM's table (tier 0), which the caller then links to the host
 * window; where KVM will not make one the window gets psvm's and the log says why.
 */
struct tce_window *tce_window_create(struct vm *vm, uint32_t liobn, uint64_t bus_offset,
				     uint64_t size, unsigned int page_shift,
				     struct map_engine *engine, bool in_kernel);
/* A DDW was just made in KVM: psvm serves H_PUT_TCE_INDIRECT for its fill (tce.c). */
void tce_expect_fill(struct vm *vm);
/*
 * w is linked to a host window psvm can make no mapping in (iommufd tier 0): KVM serves
 * every TCE hcall for it, the bulk ones included, and psvm refuses what KVM hands back.
 */
void tce_window_kvm_only(struct vm *vm, struct tce_window *w);
/*
 * Entry i as the guest wrote it, whoever keeps the table. Inline: the fuzzers' oracle
 * reads every entry after every hcall, and a call into instrumented code per entry cost
 * fuzz-tce half its time.
 */
static inline uint64_t tce_get(const struct tce_window *w, uint64_t i)
{
	if (w->kvm_fd >= 0) /* KVM writes it while we read: one load, whole */
		return __atomic_load_n(&w->table[i], __ATOMIC_RELAXED);
	return be64_to_cpu(w->table[i]);
}
/*
 * Unmap everything w maps (one batch): 0 when the host holds nothing of it, -1 when the
 * host refused part, w's table then saying what it kept (no drift either way).
 */
int tce_window_clear(struct vm *vm, struct tce_window *w);
/* Unlink and free w, its host mappings as they are (after a clear, or at teardown). */
void tce_window_free(struct vm *vm, struct tce_window *w);
/* Clear and free the window: what the clear returned. */
int tce_window_destroy(struct vm *vm, struct tce_window *w);
struct tce_window *tce_window_find(struct vm *vm, uint32_t liobn);
/* Held for reading while a window is in use, for writing while windows change (DDW). */
pthread_rwlock_t *tce_lock(struct vm *vm);

/* The VM's window list: built in, made before any PCI device. */
extern const struct device_kind tce_kind;

/* H_PUT_TCE, H_GET_TCE, H_STUFF_TCE, H_PUT_TCE_INDIRECT (the PHB registers them). */
int tce_register_hcalls(struct vm *vm);

#endif
