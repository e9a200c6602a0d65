/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A PCI function with config space in memory (BAR0: 1 MiB, host-mapped; BAR2: 64-bit
 * 512 MiB, trapped; INTA, MSI with 8 vectors, MSI-X with 16; PCIe config space of 4 KiB with
 * AER at 0x100 and DSN at 0x148) behind a PHB, and a host IOMMU that records its windows. For the unit
 * tests and the fuzzers of the PCI and DDW RTAS calls.
 */
#ifndef PSVM_FAKE_PCI_H
#define PSVM_FAKE_PCI_H

#include "ddw.h"
#include "map.h"
#include "pci.h"

struct fake_pci {
	struct pci_func func;
	struct pci_pe pe;
	struct phb *phb;
	uint8_t cfg[PCI_CFG_EXP_SIZE]; /* PCIe: 4 KiB, an extended capability at 0x100 */
	void *bar0;
	/* host IOMMU */
	struct map_backend be;
	struct map_engine engine;
	uint64_t windows[PE_MAX_WINDOWS + 1]; /* bus offsets of live host windows, 0 = none */
	unsigned int creates, removes, maps, unmaps;
	int refuse_create; /* next window_create fails */
	int refuse_remove; /* next window_remove fails */
	int refuse_link;   /* next window_link fails */
	unsigned int links; /* KVM tables linked to host windows (tier 0) */
	uint64_t mapped_bytes;
	unsigned int fail_unmaps; /* the next n host unmaps fail */
	bool fail_default_unmaps; /* every unmap in the default window fails */
	/* interrupts as routed to XICS sources */
	uint32_t intx;	/* source of the INTx line, 0: off */
	enum pci_irq_type vec_type;
	unsigned int vectors;
	uint32_t vec_src[PCI_MSI_VECTORS_MAX];
	unsigned int routes;	  /* irq_route calls */
	bool refuse_vectors;	  /* MSI/MSI-X cannot be turned on */
};

/* Add the function (its PHB, PE and default window) to vm; ram_page bounds the DDW sizes. */
struct fake_pci *fake_pci_add(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page);
/* The same with window sizes of the caller's choosing (the fuzzers keep them small). */
struct fake_pci *fake_pci_add_sized(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page,
				    uint64_t default_size, uint64_t max_window_size);
/* The same, the host's IOMMU mappings going to host (a fake_ioas: whole unmaps only). */
struct fake_pci *fake_pci_add_host(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page,
				   uint64_t default_size, uint64_t max_window_size,
				   const struct map_backend *host);
void fake_pci_free(struct vm *vm, struct fake_pci *fp);

/*
 * The PCI tests' fixture: fake arch reset, a 64 MiB VM with cpus vCPUs and one function;
 * the BUID's halves as RTAS calls want them. fake_pci_vm_free undoes it.
 */
struct fake_pci *fake_pci_vm(struct vm **vm, unsigned int cpus, uint64_t host_pgsizes,
			     uint64_t ram_page, uint32_t *buid_hi, uint32_t *buid_lo);
void fake_pci_vm_free(struct vm *vm, struct fake_pci *fp);
/* An RTAS call from vCPU 0 (rets poisoned first); returns rets[0], -3 if name is unknown. */
int32_t fake_rtas(struct vm *vm, const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets);

#endif
