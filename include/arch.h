/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the arch-neutral core asks of the KVM-ppc glue (src/ppc64/). Hosts that cannot
 * run POWER guests get src/arch_none.c, which reports that clearly.
 */
#ifndef PSVM_ARCH_H
#define PSVM_ARCH_H

#include "psvm.h"

struct vm;
struct vcpu;
struct fdtw;

/* Create the KVM VM, memslots and vCPUs; fill vm->pvr, vm->tb_freq, MMU facts. */
int arch_vm_create(struct vm *vm, char *err, size_t errlen);
/* Load boot registers (vm->li, vm->fdt_gpa) and start one thread per vCPU. */
int arch_vcpus_start(struct vm *vm);
/* Wait for every vCPU thread once vm->stopping is set. */
void arch_vcpus_join(struct vm *vm);
void arch_vm_destroy(struct vm *vm);

/* Interrupts taken little-endian (LPCR_ILE) on every vCPU: H_SET_MODE(LE). */
int arch_set_interrupt_endian(struct vm *vm, bool little);
/* Address translation mode for interrupts (LPCR_AIL): 0 or 3. */
int arch_set_ail(struct vm *vm, unsigned int ail);
/* H_REGISTER_PROC_TBL: radix or HPT, guest process table (PATE dword 1). */
int arch_configure_mmu(struct vm *vm, bool radix, bool gtse, uint64_t process_table);
/* H_REGISTER_VPA targets another vCPU's VPA/DTL/SLB shadow: KVM one-regs. */
int arch_set_vpa(struct vcpu *cpu, unsigned int func, uint64_t addr, uint64_t len);
/* H_SET_SPRG0: the calling vCPU's SPRG0 */
int arch_set_sprg0(struct vcpu *cpu, uint64_t val);
/* Instructions written into guest RAM at hva: make them fetchable (H_PAGE_INIT) */
void arch_sync_icache(void *hva, uint64_t len);
/* H_GET_CPU_CHARACTERISTICS */
int arch_cpu_characteristics(struct vm *vm, uint64_t *character, uint64_t *behaviour);
/* In-kernel XICS, every vCPU a server. */
int arch_irqchip_create(struct vm *vm);
/* XICS source state in KVM: destination server, priority (kept while masked), LSI. */
int arch_xics_set_source(struct vm *vm, uint32_t irq, uint32_t server, uint8_t priority,
			 bool masked, bool lsi);

/*
 * XIVE exploitation mode: KVM's XIVE device. The guest drives sources and queues through
 * H_INT_* hcalls psvm turns into device attributes; it reaches the thread interrupt
 * management area (TIMA) and the sources' ESB pages directly, at the guest addresses
 * arch_xive_create maps them to (TIMA: 4 pages, ESB: 2 pages per source, host page size).
 */
bool arch_xive_offered(struct vm *vm);
int arch_xive_create(struct vm *vm, uint64_t tima_gpa, uint64_t esb_gpa, uint32_t nr_irqs);
/* (Re)make a source, masked. */
int arch_xive_source(struct vm *vm, uint32_t lisn, bool lsi);
int arch_xive_source_config(struct vm *vm, uint32_t lisn, uint32_t server, uint8_t priority,
			    bool masked, uint32_t eisn);
int arch_xive_source_sync(struct vm *vm, uint32_t lisn);
/* Event queue (server, priority) in guest RAM at qaddr, 2^qshift bytes; qshift 0 resets. */
int arch_xive_queue(struct vm *vm, uint32_t server, uint8_t priority, uint64_t qaddr,
		    unsigned int qshift);
int arch_xive_queue_state(struct vm *vm, uint32_t server, uint8_t priority, uint32_t *toggle,
			  uint32_t *index);
/* Every source masked, every queue off. */
int arch_xive_reset(struct vm *vm);
/* A load (returns the value) or store at offset in a source's management page. */
int arch_xive_esb(struct vm *vm, uint32_t lisn, uint32_t offset, uint64_t *data, bool store);

/*
 * Have KVM serve an RTAS call itself (KVM_PPC_RTAS_DEFINE_TOKEN: the XICS source calls),
 * as QEMU does with KVM's XICS: 0, or -errno and psvm keeps serving it.
 */
int arch_rtas_in_kernel(struct vm *vm, const char *name, uint32_t token);

/* Assert an edge source or set a level source's line. */
int arch_irq_line(struct vm *vm, uint32_t irq, int level);
/*
 * irqfd: a write to eventfd fd raises source gsi in the kernel. resample_fd >= 0 makes
 * the source level-triggered: lowered at EOI and resample_fd signalled (VFIO unmasks
 * INTx). assign false undoes it.
 */
int arch_irqfd(struct vm *vm, int fd, uint32_t gsi, int resample_fd, bool assign);
/*
 * Can a level source be re-armed at EOI (resample irqfd)? Not where KVM's XICS runs on
 * the host's XIVE (powernv POWER9+): it never reports EOIs, and a level INTx would storm.
 */
bool arch_irqfd_resample(struct vm *vm);
/* Queue a system reset (0x100) for a vCPU; delivered before it next runs guest code. */
int arch_vcpu_sreset(struct vcpu *cpu);
/* Wake a vCPU (from another thread) so it notices a state change. */
void arch_vcpu_kick(struct vcpu *cpu);

/*
 * Host memory at a guest physical address (a device BAR): a memslot. *slot < 0 allocates
 * one; size 0 removes *slot.
 */
int arch_map_ram(struct vm *vm, int *slot, uint64_t gpa, uint64_t size, void *hva);

/* Device-tree facts only KVM knows (page sizes); write into the cpu node. */
void arch_fdt_cpu(struct vm *vm, struct fdtw *w);

/*
 * In-kernel TCE tables (tier 0, DESIGN.md §1): KVM serves the TCE hcalls of a LIOBN it
 * has a table for, and with a VFIO group linked to the table updates the host IOMMU too,
 * without an exit to psvm (KVM_CAP_SPAPR_TCE_64 and KVM_CAP_SPAPR_TCE_VFIO; QEMU's path).
 * arch_tce_create makes the table of a window (bus_offset and size in bytes) and maps its
 * entries at *table, host-endian as KVM keeps them: psvm's view of what the guest wrote.
 * Returns the table's fd or -errno. arch_tce_destroy unmaps and closes it.
 */
bool arch_tce_offered(struct vm *vm);
int arch_tce_create(struct vm *vm, uint32_t liobn, unsigned int page_shift, uint64_t bus_offset,
		    uint64_t size, uint64_t **table);
void arch_tce_destroy(int fd, uint64_t *table, uint64_t entries);
/* Link a VFIO group to a table (KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE): 0 or -errno. */
int arch_tce_link_group(struct vm *vm, int tablefd, int groupfd);
/*
 * Tier 0 for a VFIO device bound to iommufd (kernel-patch/): whether KVM offers it; add or
 * remove the device file to KVM's VFIO device (add before binding it); pre-register guest
 * RAM with KVM (or undo it: -EBUSY while KVM maps some of it); link a table to the window
 * of the paging HWPT pt_id the device is attached to. 0 or -errno.
 */
bool arch_tce_iommufd_offered(struct vm *vm);
int arch_tce_file(struct vm *vm, int fd, bool add);
int arch_tce_register_memory(struct vm *vm, bool on);
int arch_tce_link_iommufd(struct vm *vm, int tablefd, int devfd, int iommufd, uint32_t pt_id);
/*
 * Whether KVM serves hcall nr itself (for tables it has) or hands it to psvm
 * (KVM_CAP_PPC_ENABLE_HCALL; KVM serves H_GET_TCE and H_PUT_TCE unless told otherwise).
 */
int arch_tce_hcall_in_kernel(struct vm *vm, uint64_t nr, bool on);

/* `psvm info`: what KVM on this host offers. */
void arch_info(void);

#endif
