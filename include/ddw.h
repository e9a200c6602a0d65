/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PE's DMA windows: the default 32-bit window and dynamic DMA windows (DDW) the guest
 * asks for with ibm,query/create/remove/reset-pe-dma-window. The host IOMMU side of a
 * window (VFIO container or iommufd HWPT) is behind pe_dma_ops; the TCE tables and their
 * hcalls are devices/tce.c's.
 */
#ifndef PSVM_DDW_H
#define PSVM_DDW_H

#include "psvm.h"

#define PE_MAX_WINDOWS	  2	/* default + one DDW, as QEMU and PowerVM offer */
#define DDW_DEFAULT_SIZE  SZ_1G /* default window: bus 0 .. 1 GiB, 4K TCEs */
#define DDW_DEFAULT_SHIFT 12
#define LIOBN(phb, win)	  (0x80000000u | (uint32_t)(phb) << 8 | (uint32_t)(win))

/* PAPR page-size mask bits of ibm,query-pe-dma-window */
#define DDW_PGSIZE_4K	0x1
#define DDW_PGSIZE_64K	0x2
#define DDW_PGSIZE_16M	0x4
#define DDW_PGSIZE_32M	0x8
#define DDW_PGSIZE_64M	0x10
#define DDW_PGSIZE_128M 0x20
#define DDW_PGSIZE_256M 0x40
#define DDW_PGSIZE_16G	0x80
#define DDW_PGSIZE_2M	0x100

struct vm;
struct map_engine;
struct tce_window;

/* The host side of a PE's windows. */
struct pe_dma_ops {
	/* A host window of 2^page_shift pages, size bytes; *bus_offset = where it starts. */
	int (*window_create)(void *ctx, unsigned int page_shift, uint64_t size,
			     uint64_t *bus_offset);
	int (*window_remove)(void *ctx, uint64_t bus_offset);
	/*
	 * Tier 0: link KVM's TCE table tablefd to the host window just made, so KVM serves
	 * the window's TCE hcalls and updates the host IOMMU itself. NULL: no such path.
	 */
	int (*window_link)(void *ctx, int tablefd);
};

struct pci_pe {
	struct vm *vm;
	unsigned int phb_index;
	const struct pe_dma_ops *ops;
	void *ctx;
	struct map_engine *engine; /* host mappings of every window of this PE */
	bool in_kernel;		   /* windows get KVM tables linked to the host's (tier 0) */
	bool kvm_only;		   /* and psvm can map nothing in a linked one (dma_caps) */
	uint32_t pgmask;	   /* DDW page sizes offered (DDW_PGSIZE_*) */
	unsigned int max_windows;  /* including the default one */
	uint64_t max_window_size;
	uint64_t default_size;
	struct tce_window *win[PE_MAX_WINDOWS]; /* [0] default */
	uint64_t host_calls_at_create;		/* engine->calls when the last DDW was created */
	uint64_t hcalls;	/* TCE hcalls psvm served for windows closed so far (not KVM's) */
};

/* PAPR mask for host page sizes (a bitmap of sizes in bytes) no bigger than max_page. */
uint32_t ddw_pgmask(uint64_t host_pgsizes, uint64_t max_page);
/* log2 of the page size a PAPR mask bit stands for, or 0. */
unsigned int ddw_pgmask_shift(uint32_t bit);
/* The biggest DDW psvm gives: RAM rounded up (Linux maps all of it 1:1), 1 GiB at least. */
uint64_t ddw_max_window_size(const struct vm *vm);

/* Create the default window (host and guest side). */
int pe_dma_init(struct pci_pe *pe);
/*
 * Back to the boot state: DDWs removed, default window empty; -1 where the host kept
 * mappings of a window, which then stays as its table says.
 */
int pe_dma_reset(struct pci_pe *pe);
/* Remove every window; the host mappings go with them. */
void pe_dma_destroy(struct pci_pe *pe);

/* ibm,query-pe-dma-window, ibm,create-pe-dma-window, ibm,remove-pe-dma-window, ibm,reset-... */
int ddw_register_rtas(struct vm *vm);

#endif
