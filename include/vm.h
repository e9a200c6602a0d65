/* SPDX-License-Identifier: GPL-2.0-only */
/* The VM and its vCPUs: arch-neutral state. KVM specifics live behind arch.h. */
#ifndef PSVM_VM_H
#define PSVM_VM_H

#include <pthread.h>
#include <stdatomic.h>

#include "config.h"
#include "device.h"
#include "guest_mem.h"
#include "hcall.h"
#include "loader.h"
#include "mmio.h"
#include "rtas.h"

enum vcpu_state {
	VCPU_STOPPED,	/* held until RTAS start-cpu */
	VCPU_STARTING,	/* start-cpu accepted, registers not loaded yet */
	VCPU_RUNNING,
};

struct vcpu {
	struct vm *vm;
	unsigned int id;
	enum vcpu_state state;	/* under vm->lock */
	uint64_t start_pc, start_r3;
	pthread_t thread;
	bool thread_started;
	void *arch;		/* struct kvm_vcpu_ppc in src/ppc64/ */
};

struct vm {
	struct psvm_config *cfg;
	struct guest_mem mem;
	struct vcpu *vcpus;
	unsigned int nr_vcpus;
	struct device *devices;	/* and their state: the VM holds none of its own */
	struct hcall_table hcalls;
	struct rtas_table rtas;
	struct console *console;
	struct mmio_region *mmio;
	pthread_rwlock_t mmio_lock;	/* regions move (BARs) while vCPUs use them */
	int stop_fd;		/* eventfd: written once the guest stops */

	/* guest layout */
	struct load_info li;
	uint64_t rma_size;	/* real-mode area: all RAM for radix, the VRMA for hash */
	uint64_t rtas_gpa, fdt_gpa;
	uint32_t fdt_size;
	bool radix;		/* MMU the device tree offers */
	bool gtse;		/* radix guest may tlbie itself (not when nested) */
	bool rpt_invalidate;	/* H_RPT_INVALIDATE offered (KVM does it in-kernel) */
	bool little_endian;	/* interrupts taken LE (LPCR_ILE) */
	uint32_t pvr;
	uint32_t compat_pvr;	/* architected mode the vCPUs run in, 0 = raw */
	uint64_t tb_freq;
	int64_t rtc_offset_s;	/* set-time-of-day minus host time */

	pthread_mutex_t lock;
	pthread_cond_t cond;	/* vCPU state changes */
	atomic_bool stopping;
	int exit_status;	/* enum psvm_exit, valid once stopping */

	void *arch;		/* struct kvm_vm_ppc in src/ppc64/ */
};

/* Set the guest's fate once; the first caller wins. Wakes every vCPU. */
void vm_request_stop(struct vm *vm, int status);
struct vcpu *vm_vcpu(struct vm *vm, uint64_t id);

/* Put RTAS and the device tree at the top of the real-mode area (after rma_size is known). */
void vm_layout(struct vm *vm);

/* Arch-neutral VM setup used by `psvm run` and by the tests. */
int vm_init(struct vm *vm, struct psvm_config *cfg);
void vm_destroy(struct vm *vm);

#endif
