/* SPDX-License-Identifier: GPL-2.0-only */
/* A recording arch for unit tests: what the core asked of KVM, and what KVM "said". */
#ifndef PSVM_FAKE_ARCH_H
#define PSVM_FAKE_ARCH_H

#include "psvm.h"

struct fake_arch {
	int fail;		/* non-zero: every arch call fails */
	int ile;		/* -1 never set */
	int ail;
	int mmu_calls;
	bool mmu_radix, mmu_gtse;
	uint64_t mmu_pate1;
	unsigned int vpa_func, vpa_cpu;
	uint64_t vpa_addr, vpa_len;
	unsigned int kicks;
	uint64_t sprg0;		/* H_SET_SPRG0 */
	unsigned int sprg0_cpu, icache_syncs;
	unsigned int sresets;	/* bit per vCPU */
	unsigned int xics_calls;
	uint32_t xics_irq, xics_server;
	uint8_t xics_prio;
	bool xics_masked;
	uint32_t irq_raised;
	int irq_level;
	bool no_resample;	/* arch_irqfd_resample() says no (XICS on XIVE) */
	bool xive;		/* KVM offers its XIVE device */
	uint64_t ram_page_size;	/* non-zero: guest RAM's page size from arch_vm_create on */
	bool xive_created;
	unsigned int xive_sources, xive_configs, xive_resets, xive_syncs;
	uint32_t xive_lisn, xive_server, xive_eisn;	/* last source config */
	uint8_t xive_prio;
	bool xive_masked;
	uint32_t eq_server;	/* last queue config */
	uint8_t eq_prio;
	uint64_t eq_addr;
	unsigned int eq_shift;
	uint64_t esb_value;	/* what an ESB load returns; a store sets it */
	uint32_t esb_lisn, esb_offset;
	uint32_t slots;		/* memslots in use (arch_map_ram) */
	unsigned int rtas_in_kernel_asked;	/* arch_rtas_in_kernel calls */
	/* in-kernel TCE tables (tier 0) */
	bool tce_offered, tce_refuse, tce_link_refuse;
	int tce_tables;		/* live */
	unsigned int tce_links;
	uint32_t tce_liobn;	/* last made */
	unsigned int tce_shift;
	uint64_t tce_offset;
	bool tce_indirect_in_kernel, tce_stuff_in_kernel;	/* KVM serves them */
	/* tier 0 for iommufd: offered, files added, memory registered, links made */
	bool tce_iommufd_offered;
	int tce_files, tce_registered;
	unsigned int tce_iommufd_links;
	uint32_t tce_link_pt;
	unsigned int tce_hcall_calls;
	uint64_t slot_gpa[32], slot_size[32];
};

extern struct fake_arch fake_arch;

struct vm;
struct psvm_config;
/* A VM with RAM, tables and a console writing to a temp file. */
struct vm *test_vm(uint64_t mem, unsigned int cpus);
/* With --nvram FILE; NULL when psvm refuses the file. */
struct vm *test_vm_nvram(uint64_t mem, unsigned int cpus, const char *nvram);
void test_vm_free(struct vm *vm);
/*
 * An RTAS call as the guest makes it: the args buffer in guest memory, hcall KVMPPC_H_RTAS
 * from vCPU cpu; an unknown name gets an unregistered token. Returns the hcall's result.
 */
long test_rtas_call(struct vm *vm, unsigned int cpu, const char *name, unsigned int nargs,
		    const uint32_t *args, unsigned int nret, uint32_t *rets);
/* Everything the guest console printed so far. */
char *test_console_output(struct vm *vm);

#endif
