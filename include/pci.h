/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The sPAPR PCI host bridge (PHB) and the PCI functions behind it. Each assigned device
 * gets a PHB of its own, so it is one partitionable endpoint (PE) with its own DMA
 * windows (LIOBN 0x80000000 | phb << 8 | window, as DESIGN.md §3 and QEMU number them).
 * The PHB emulates BAR registers and places BARs in its MMIO windows; everything else in
 * config space is the function's business.
 */
#ifndef PSVM_PCI_H
#define PSVM_PCI_H

#include <pthread.h>

#include "device.h"
#include "psvm.h"

#define PCI_NUM_BARS	 6
#define PCI_CFG_SIZE	 256
#define PCI_CFG_EXP_SIZE 4096

/* Config space offsets and bits we interpret */
#define PCI_VENDOR_ID	   0x00
#define PCI_COMMAND	   0x04
#define PCI_COMMAND_IO	   0x1
#define PCI_COMMAND_MEMORY 0x2
#define PCI_COMMAND_MASTER 0x4
#define PCI_REVISION_CLASS 0x08
#define PCI_BAR0	   0x10
#define PCI_SUBSYS_VENDOR  0x2c
#define PCI_ROM_ADDRESS	   0x30
#define PCI_STATUS	   0x06
#define PCI_STATUS_CAP	   0x10
#define PCI_CAP_PTR	   0x34
#define PCI_INTERRUPT_LINE 0x3c
#define PCI_INTERRUPT_PIN  0x3d
#define PCI_CAP_ID_MSI	   0x05
#define PCI_CAP_ID_MSIX	   0x11
#define PCI_BAR_IO	   0x1
#define PCI_BAR_MEM64	   0x4
#define PCI_BAR_PREFETCH   0x8

#define PCI_COMMAND_INTX_DISABLE 0x400 /* the one COMMAND bit vfio-pci virtualizes */

/* MSI/MSI-X vectors a function is offered at most (XICS sources are reserved for them) */
#define PCI_MSI_VECTORS_MAX 64

enum pci_irq_type { PCI_IRQ_INTX, PCI_IRQ_MSI, PCI_IRQ_MSIX };

/* Where the PHBs live (QEMU pseries: BUIDs from 0x800000020000000) */
#define PHB_BUID_BASE	 0x800000020000000ULL
#define PHB_MEM32_PCI	 0x80000000ULL /* 32-bit BARs: PCI addresses 2..4 GiB */
#define PHB_MEM32_SIZE	 0x80000000ULL
#define PHB_MEM32_CPU(i) (0x200000000000ULL + (uint64_t)(i)*0x100000000ULL)
#define PHB_MEM64_SIZE	 (64ULL << 30)
#define PHB_MEM64_CPU(i) (0x210000000000ULL + (uint64_t)(i)*PHB_MEM64_SIZE)
#define PHB_MAX		 16

struct fdtw;
struct vm;
struct phb;
struct pci_func;
struct pci_pe;

struct pci_bar {
	uint64_t size; /* 0: no BAR here (or the upper half of a 64-bit one) */
	uint64_t addr; /* PCI bus address the guest sees */
	bool mem64, prefetch;
	void *hva; /* host mapping of the BAR, or NULL: accesses are trapped */
	int slot;  /* KVM memslot while mapped, else -1 */
	bool mmio_registered;
	uint64_t mmio_gpa; /* where the BAR's MMIO region is */
};

struct pci_func_ops {
	/* Device config space, naturally aligned len 1/2/4 inside cfg_size; host endian. */
	int (*cfg_read)(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val);
	int (*cfg_write)(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val);
	/* A trapped access to a BAR without a host mapping. */
	int (*bar_rw)(struct pci_func *f, int bar, uint64_t off, unsigned int len, uint64_t *val,
		      bool is_write);
	/*
	 * Deliver the device's interrupts of one kind to XICS sources srcs[0..n): INTx (n 1,
	 * level, re-armed at EOI), MSI or MSI-X (n vectors, edge). n = 0 turns that kind off.
	 */
	int (*irq_route)(struct pci_func *f, enum pci_irq_type type, unsigned int n,
			 const uint32_t *srcs);
};

struct pci_func {
	const struct pci_func_ops *ops;
	void *priv;
	struct phb *phb;
	uint8_t devfn;
	uint32_t cfg_size;
	uint16_t vendor, device, subsys_vendor, subsys_id;
	uint32_t class_rev; /* class code << 8 | revision */
	struct pci_bar bar[PCI_NUM_BARS];
	bool mem_enabled; /* PCI_COMMAND_MEMORY as the guest set it */
	/* interrupts (devices/pci_irq.c) */
	uint8_t intx_pin;	      /* 1..4: INTA..INTD; 0: none */
	uint32_t lsi;		      /* XICS source of the INTx line */
	unsigned int msi_max, msix_max; /* vectors offered: ibm,req#msi, ibm,req#msi-x */
	uint32_t msi_base;	      /* first of max(msi_max, msix_max) XICS MSI sources */
	enum pci_irq_type irq_type;   /* what is enabled: INTx, or MSI/MSI-X ... */
	unsigned int msi_num;	      /* ... with this many vectors */
};

/* What a trapped BAR access needs to find its function */
struct pci_bar_ref {
	struct pci_func *f;
	int bar;
};

struct phb {
	struct vm *vm;
	unsigned int index;
	uint64_t buid;
	struct pci_func *func; /* slot 0: one function, one PE per PHB */
	struct pci_pe *pe;
	uint64_t mem32_next, mem64_next; /* BAR placement */
	struct pci_bar_ref bar_refs[PCI_NUM_BARS];
	pthread_mutex_t irq_lock; /* ibm,change-msi against itself */
	pthread_mutex_t cfg_lock; /* config accesses (BARs, decode, memslots) one at a time */
	struct phb *next;
};

/* The VM's PHB list: built in, made before any PCI device. */
extern const struct device_kind phb_kind;

/* A PHB for one function, linked into the VM; registers the PCI RTAS calls on first use. */
struct phb *phb_create(struct vm *vm, struct pci_func *f);
/* Give every BAR (sizes known) an address in the PHB's windows; map them into the guest. */
int phb_place_bars(struct phb *phb);
struct phb *phb_find(struct vm *vm, uint64_t buid);
/* The first PHB (then ->next), or NULL. */
struct phb *phb_first(struct vm *vm);
/* Unlink it from the VM and free it. */
void phb_destroy(struct phb *phb);

/* The function a config address (bus/devfn of an RTAS call) names on that PHB, or NULL. */
struct pci_func *phb_cfg_func(struct vm *vm, uint64_t buid, uint32_t addr, uint32_t *off);

/*
 * Interrupts (devices/pci_irq.c): read the function's pin and MSI/MSI-X capabilities,
 * reserve XICS sources, route INTx; register ibm,change-msi and
 * ibm,query-interrupt-source-number; the device-tree properties that describe them.
 */
void pci_irq_init(struct pci_func *f);
void pci_irq_exit(struct pci_func *f);
int pci_irq_register_rtas(struct vm *vm);
void pci_irq_fdt_phb(const struct phb *phb, struct fdtw *w);
void pci_irq_fdt_func(const struct pci_func *f, struct fdtw *w);

/* Config access as the guest sees it (BARs and ROM emulated). 0 or -1 (no such register). */
int pci_cfg_read(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val);
int pci_cfg_write(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val);


/* Guest-visible address of a BAR (CPU side) */
uint64_t phb_bar_gpa(const struct phb *phb, const struct pci_bar *b);

#endif
