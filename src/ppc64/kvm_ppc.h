/* SPDX-License-Identifier: GPL-2.0-only */
/* KVM-ppc state private to src/ppc64/. */
#ifndef PSVM_KVM_PPC_H
#define PSVM_KVM_PPC_H

#include <linux/kvm.h>
#include <stdatomic.h>

#include "vm.h"

#define MSR_SF (1ULL << 63)
#define MSR_ME (1ULL << 12)
#define MSR_RI (1ULL << 1)
#define MSR_LE (1ULL << 0)
#define LPCR_ILE 0x0000000002000000ULL
#define LPCR_AIL 0x0000000001800000ULL
#define LPCR_AIL_SHIFT 23

struct kvm_vm_ppc {
	int kvm_fd, vm_fd, xics_fd;
	int run_size;
	bool have_rmmu, have_smmu, have_cpu_char;
	struct kvm_ppc_rmmu_info rmmu;
	struct kvm_ppc_smmu_info smmu;
	struct kvm_ppc_cpu_char cpu_char;
	uint32_t htab_order;
	bool ail3;
	uint32_t slots_used;	/* memslot bitmap: 0 is RAM */
	pthread_mutex_t slots_lock; /* PHBs on several vCPUs map and unmap BARs */
	/* XIVE exploitation mode: the KVM device and its TIMA and ESB pages, mapped here */
	int xive_fd;
	void *xive_tima, *xive_esb;
	size_t xive_tima_len, xive_esb_len;
	int xive_slots[2];
	/*
	 * LPCR bits every vCPU must have (H_SET_MODE: ILE, AIL), under vm->lock: each vCPU
	 * thread sets them itself before it next enters the guest, when its lpcr_gen is
	 * behind (another thread's KVM_SET_ONE_REG would wait for a vCPU that never leaves
	 * KVM_RUN).
	 */
	uint64_t lpcr_mask, lpcr_bits;
	unsigned int lpcr_gen;
	/* tier 0: KVM's VFIO device, which links VFIO groups to TCE tables */
	int vfio_dev_fd;
};

struct kvm_vcpu_ppc {
	int fd;
	struct kvm_run *run;
	atomic_bool sreset;	/* system reset to deliver before the next KVM_RUN */
	unsigned int lpcr_gen;	/* the VM's LPCR bits this vCPU has; under vm->lock */
};

static inline struct kvm_vm_ppc *kvm_of(struct vm *vm)
{
	return vm->arch;
}

static inline struct kvm_vcpu_ppc *kvcpu_of(struct vcpu *cpu)
{
	return cpu->arch;
}

int vcpu_create(struct vm *vm, struct vcpu *cpu, char *err, size_t errlen);
void vcpu_destroy(struct vcpu *cpu);
void kvm_xive_destroy(struct kvm_vm_ppc *k);
/* KVM's VFIO device fd takes links of TCE tables to iommufd devices (kernel-patch/ 0029) */
bool kvm_vfio_links_iommufd(int vfio_dev_fd);
/* Every vCPU a server of the in-kernel controller fd (KVM_CAP_IRQ_XICS or _PPC_IRQ_XIVE). */
int irqchip_connect_vcpus(struct vm *vm, uint32_t cap, int fd, const char *what);
int vcpu_set_lpcr_bits(struct vcpu *cpu, uint64_t mask, uint64_t bits);
/*
 * Every vCPU's LPCR bits in mask set to bits: at once on the calling vCPU (whose result
 * is returned) and on vCPUs not yet running, and by each running vCPU itself, kicked out
 * of the guest; returns when all running vCPUs have them.
 */
int vcpus_set_lpcr_bits(struct vm *vm, uint64_t mask, uint64_t bits);
/* A vCPU thread, before it enters the guest: the LPCR bits it is behind on. */
void vcpu_lpcr_catch_up(struct vcpu *cpu);

#endif
