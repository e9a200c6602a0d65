// SPDX-License-Identifier: GPL-2.0-only
/*
 * vCPUs: one thread each, KVM_RUN loop, hcall/MMIO exits, RTAS start/stop.
 * Built without VSX/AltiVec: under nested KVM-HV in TCG, vector and FP registers
 * sometimes come back zeroed from KVM_RUN (LAB.md), so nothing may live there.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "arch.h"
#include "kvm_ppc.h"
#include "log.h"

/* Logical PVR of the CPU's own architecture level (PAPR "architected" PVRs). */
static uint32_t compat_pvr_for(uint32_t pvr)
{
	switch (pvr >> 16) {
	case 0x004b:
	case 0x004c:
	case 0x004d:
		return 0x0f000004; /* ISA 2.07, POWER8 */
	case 0x004e:
		return 0x0f000005; /* ISA 3.00, POWER9 */
	case 0x0080:
		return 0x0f000006; /* ISA 3.1, POWER10 */
	default:
		return 0;
	}
}

int vcpu_create(struct vm *vm, struct vcpu *cpu, char *err, size_t errlen)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_vcpu_ppc *v = calloc(1, sizeof(*v));
	struct kvm_enable_cap papr = { .cap = KVM_CAP_PPC_PAPR };
	struct kvm_sregs sregs;

	if (!v) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	v->fd = -1;
	cpu->arch = v;
	v->fd = ioctl(k->vm_fd, KVM_CREATE_VCPU, cpu->id);
	if (v->fd < 0) {
		snprintf(err, errlen, "KVM_CREATE_VCPU %u: %s", cpu->id, strerror(errno));
		return -1;
	}
	v->run = mmap(NULL, (size_t)k->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, v->fd, 0);
	if (v->run == MAP_FAILED) {
		v->run = NULL;
		snprintf(err, errlen, "mmap kvm_run: %s", strerror(errno));
		return -1;
	}
	/* Without PAPR mode KVM-HV refuses KVM_RUN (EINVAL). */
	if (ioctl(v->fd, KVM_ENABLE_CAP, &papr)) {
		snprintf(err, errlen, "KVM_CAP_PPC_PAPR on vCPU %u: %s", cpu->id, strerror(errno));
		return -1;
	}
	if (cpu->id == 0) {
		if (ioctl(v->fd, KVM_GET_SREGS, &sregs)) {
			snprintf(err, errlen, "KVM_GET_SREGS: %s", strerror(errno));
			return -1;
		}
		vm->pvr = sregs.pvr;
		vm->compat_pvr = compat_pvr_for(sregs.pvr);
	}
	/* Architected mode (the PCR), as CAS would leave it: what guests are tested on. */
	if (vm->compat_pvr) {
		uint32_t compat = vm->compat_pvr;
		struct kvm_one_reg reg = { .id = KVM_REG_PPC_ARCH_COMPAT, .addr = (uintptr_t)&compat };

		if (ioctl(v->fd, KVM_SET_ONE_REG, &reg)) {
			snprintf(err, errlen, "vCPU %u: compat mode %#x: %s", cpu->id, compat,
				 strerror(errno));
			return -1;
		}
	}
	return 0;
}

void vcpu_destroy(struct vcpu *cpu)
{
	struct kvm_vcpu_ppc *v = cpu->arch;

	if (!v)
		return;
	if (v->run)
		munmap(v->run, (size_t)kvm_of(cpu->vm)->run_size);
	if (v->fd >= 0)
		close(v->fd);
	free(v);
	cpu->arch = NULL;
}

int vcpu_set_lpcr_bits(struct vcpu *cpu, uint64_t mask, uint64_t bits)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	uint64_t lpcr;
	struct kvm_one_reg reg = { .id = KVM_REG_PPC_LPCR_64, .addr = (uintptr_t)&lpcr };

	if (ioctl(v->fd, KVM_GET_ONE_REG, &reg))
		return -1;
	lpcr = (lpcr & ~mask) | bits;
	if (ioctl(v->fd, KVM_SET_ONE_REG, &reg)) {
		pr_warn("vCPU %u: LPCR %#llx: %s", cpu->id, (unsigned long long)lpcr,
			strerror(errno));
		return -1;
	}
	/* KVM filters some bits silently (AIL on POWER9 radix): believe only a read back. */
	if (ioctl(v->fd, KVM_GET_ONE_REG, &reg) || (lpcr & mask) != bits) {
		pr_info("vCPU %u: KVM did not take LPCR bits %#llx", cpu->id,
			(unsigned long long)bits);
		return -1;
	}
	return 0;
}

/* From the vCPU's own thread, in an hcall exit: KVM reloads r3..r12 at entry anyway. */
int arch_set_sprg0(struct vcpu *cpu, uint64_t val)
{
	struct kvm_regs regs;
	int fd = kvcpu_of(cpu)->fd;

	if (ioctl(fd, KVM_GET_REGS, &regs))
		return -1;
	regs.sprg0 = val;
	return ioctl(fd, KVM_SET_REGS, &regs) ? -1 : 0;
}

void arch_sync_icache(void *hva, uint64_t len)
{
	for (uint64_t o = 0; o < len; o += 32)
		__asm__ volatile("dcbst 0,%0" : : "r"((char *)hva + o) : "memory");
	__asm__ volatile("sync" : : : "memory");
	for (uint64_t o = 0; o < len; o += 32)
		__asm__ volatile("icbi 0,%0" : : "r"((char *)hva + o) : "memory");
	__asm__ volatile("sync; isync" : : : "memory");
}

int arch_set_vpa(struct vcpu *cpu, unsigned int func, uint64_t addr, uint64_t len)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	uint64_t pair[2] = { addr, len };
	struct kvm_one_reg reg;

	switch (func) {
	case H_VPA_REG_VPA:
	case H_VPA_DEREG_VPA:
		reg = (struct kvm_one_reg){ KVM_REG_PPC_VPA_ADDR, (uintptr_t)&pair[0] };
		break;
	case H_VPA_REG_DTL:
	case H_VPA_DEREG_DTL:
		reg = (struct kvm_one_reg){ KVM_REG_PPC_VPA_DTL, (uintptr_t)pair };
		break;
	default:
		reg = (struct kvm_one_reg){ KVM_REG_PPC_VPA_SLB, (uintptr_t)pair };
		break;
	}
	return ioctl(v->fd, KVM_SET_ONE_REG, &reg) ? -1 : 0;
}

static int vcpu_load_entry(struct vcpu *cpu, uint64_t pc, uint64_t r3)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs))
		return -1;
	memset(regs.gpr, 0, sizeof(regs.gpr));
	regs.pc = pc;
	regs.gpr[3] = r3; /* boot CPU: the device tree; r5 = 0 says "no Open Firmware" */
	/*
	 * As QEMU starts the boot CPU and start-cpu's: 64-bit, big-endian, whatever the
	 * image; an LE image flips MSR[LE] itself and asks for LE interrupts (H_SET_MODE).
	 */
	regs.msr = MSR_SF | MSR_ME;
	/*
	 * A CPU restarted after stop-self still has that hcall pending: the next KVM_RUN
	 * writes papr_hcall.ret/args into r3..r12, so they must carry the entry values too.
	 */
	if (v->run->exit_reason == KVM_EXIT_PAPR_HCALL) {
		v->run->papr_hcall.ret = r3;
		memset(v->run->papr_hcall.args, 0, sizeof(v->run->papr_hcall.args));
	}
	return ioctl(v->fd, KVM_SET_REGS, &regs) ? -1 : 0;
}

/* The vCPU whose thread this is (NULL elsewhere): H_SET_MODE acts on it at once. */
static __thread struct vcpu *this_vcpu;

void vcpu_lpcr_catch_up(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	uint64_t mask, bits;
	unsigned int gen;

	/* every entry into the guest asks: the answer is almost always "nothing new" */
	if (v->lpcr_gen == __atomic_load_n(&k->lpcr_gen, __ATOMIC_ACQUIRE))
		return;
	pthread_mutex_lock(&vm->lock);
	gen = k->lpcr_gen;
	mask = k->lpcr_mask;
	bits = k->lpcr_bits;
	pthread_mutex_unlock(&vm->lock);
	if (v->lpcr_gen == gen)
		return;
	if (vcpu_set_lpcr_bits(cpu, mask, bits))
		pr_warn("vCPU %u: LPCR bits %#llx not taken", cpu->id, (unsigned long long)bits);
	pthread_mutex_lock(&vm->lock);
	v->lpcr_gen = gen;
	pthread_cond_broadcast(&vm->cond);
	pthread_mutex_unlock(&vm->lock);
}

int vcpus_set_lpcr_bits(struct vm *vm, uint64_t mask, uint64_t bits)
{
	struct kvm_vm_ppc *k = kvm_of(vm);
	struct vcpu *self = this_vcpu;
	unsigned int gen;
	bool behind;

	/* the caller's vCPU first: KVM may refuse the bits (AIL), and then nothing changes */
	if (self && vcpu_set_lpcr_bits(self, mask, bits))
		return -1;
	pthread_mutex_lock(&vm->lock);
	k->lpcr_mask |= mask;
	k->lpcr_bits = (k->lpcr_bits & ~mask) | bits;
	gen = k->lpcr_gen + 1;
	__atomic_store_n(&k->lpcr_gen, gen, __ATOMIC_RELEASE);
	if (self)
		kvcpu_of(self)->lpcr_gen = gen;
	pthread_mutex_unlock(&vm->lock);
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *c = &vm->vcpus[i];

		if (c == self)
			continue;
		if (!c->thread_started) { /* no thread yet (boot): nobody else uses its fd */
			if (vcpu_set_lpcr_bits(c, mask, bits))
				return -1;
			kvcpu_of(c)->lpcr_gen = gen;
			continue;
		}
		arch_vcpu_kick(c);
	}
	/* Running vCPUs catch up on their way back in; stopped ones before they start. */
	pthread_mutex_lock(&vm->lock);
	do {
		behind = false;
		for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
			struct vcpu *c = &vm->vcpus[i];

			behind |= c != self && c->thread_started && c->state == VCPU_RUNNING &&
				  (int)(kvcpu_of(c)->lpcr_gen - gen) < 0;
		}
		if (behind && !atomic_load(&vm->stopping))
			pthread_cond_wait(&vm->cond, &vm->lock);
	} while (behind && !atomic_load(&vm->stopping));
	pthread_mutex_unlock(&vm->lock);
	return 0;
}

/*
 * Take an interrupt the way the hardware does, for those KVM cannot inject (ppc KVM has no
 * NMI or machine check ioctl): SRR0 = back (where to return), SRR1 = the MSR without the
 * bits it does not keep, plus srr1_bits; at vector in real mode (AIL never applies to these),
 * endianness as LPCR[ILE] says.
 */
#define SRR1_CLEAR 0x783f0000ULL /* MSR bits 33:36 and 42:47 do not go to SRR1 */
static int vcpu_take_interrupt(struct vcpu *cpu, uint64_t vector, int64_t back,
			       uint64_t srr1_bits)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	struct kvm_regs regs;

	if (ioctl(v->fd, KVM_GET_REGS, &regs))
		return -1;
	regs.srr0 = regs.pc + (uint64_t)back;
	regs.srr1 = (regs.msr & ~SRR1_CLEAR) | srr1_bits;
	regs.pc = vector;
	regs.msr = MSR_SF | MSR_ME | (cpu->vm->little_endian ? MSR_LE : 0);
	return ioctl(v->fd, KVM_SET_REGS, &regs) ? -1 : 0;
}

/* The system reset interrupt: SRR0/SRR1 keep where the vCPU was, it continues at 0x100. */
static int vcpu_deliver_sreset(struct vcpu *cpu)
{
	return vcpu_take_interrupt(cpu, 0x100, 0, 0);
}

int arch_vcpu_sreset(struct vcpu *cpu)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);

	if (!v)
		return -1;
	atomic_store(&v->sreset, true);
	arch_vcpu_kick(cpu); /* out of KVM_RUN: it is delivered on the way back in */
	return 0;
}

static void vcpu_dump(struct vcpu *cpu)
{
	struct kvm_regs r;

	if (ioctl(kvcpu_of(cpu)->fd, KVM_GET_REGS, &r))
		return;
	pr_err("vCPU %u: pc=%#llx msr=%#llx lr=%#llx srr0=%#llx srr1=%#llx", cpu->id,
	       (unsigned long long)r.pc, (unsigned long long)r.msr, (unsigned long long)r.lr,
	       (unsigned long long)r.srr0, (unsigned long long)r.srr1);
}

/* Park while stopped; load start-cpu registers. false: the VM is going away. */
static bool vcpu_wait_runnable(struct vcpu *cpu)
{
	struct vm *vm = cpu->vm;
	uint64_t pc, r3;

	pthread_mutex_lock(&vm->lock);
	while (!atomic_load(&vm->stopping) && cpu->state == VCPU_STOPPED)
		pthread_cond_wait(&vm->cond, &vm->lock);
	if (atomic_load(&vm->stopping)) {
		pthread_mutex_unlock(&vm->lock);
		return false;
	}
	if (cpu->state != VCPU_STARTING) {
		pthread_mutex_unlock(&vm->lock);
		return true;
	}
	pc = cpu->start_pc;
	r3 = cpu->start_r3;
	cpu->state = VCPU_RUNNING;
	pthread_mutex_unlock(&vm->lock);
	if (vcpu_load_entry(cpu, pc, r3)) {
		pr_err("vCPU %u: cannot load start registers: %s", cpu->id, strerror(errno));
		vm_request_stop(vm, PSVM_EXIT_ERROR);
		return false;
	}
	return true;
}

/*
 * A load or store at a real address where there is nothing at all: the machine check a
 * partition gets for it (vector 0x200, SRR1 saying load/store, DAR the address), not an
 * MMIO psvm cannot place. KVM has advanced the PC past the instruction (the word
 * before, for a non-prefixed one) and ends the MMIO, harmlessly, on the next entry.
 */
#define SRR1_MC_LOADSTORE (1ULL << (63 - 42))
#define DSISR_MC_UE (1U << (31 - 16)) /* POWER9's "uncorrectable error" */
static int vcpu_deliver_mce(struct vcpu *cpu, uint64_t addr)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	uint32_t dsisr = DSISR_MC_UE;
	struct kvm_one_reg dar = { KVM_REG_PPC_DAR, (uintptr_t)&addr };
	struct kvm_one_reg ds = { KVM_REG_PPC_DSISR, (uintptr_t)&dsisr };

	if (ioctl(v->fd, KVM_SET_ONE_REG, &dar) || ioctl(v->fd, KVM_SET_ONE_REG, &ds))
		return -1;
	return vcpu_take_interrupt(cpu, 0x200, -4, SRR1_MC_LOADSTORE);
}

static void vcpu_mmio(struct vcpu *cpu, struct kvm_run *run)
{
	uint64_t val = 0, addr = run->mmio.phys_addr;
	unsigned int len = run->mmio.len;

	if (len > 8)
		len = 8;
	if (run->mmio.is_write)
		memcpy(&val, run->mmio.data, len);
	if (mmio_access(cpu->vm, addr, len, &val, run->mmio.is_write)) {
		/* In a PHB's window, a master abort: reads float high, writes vanish. */
		val = ~0ULL;
		if (!mmio_in_bus(cpu->vm, addr)) {
			pr_warn_guest("vCPU %u: %s at %#llx, where there is neither RAM nor a device: machine check",
				      cpu->id, run->mmio.is_write ? "store" : "load",
				      (unsigned long long)addr);
			if (vcpu_deliver_mce(cpu, addr)) {
				pr_err("vCPU %u: cannot deliver a machine check: %s", cpu->id,
				       strerror(errno));
				vm_request_stop(cpu->vm, PSVM_EXIT_GUEST_FAULT);
			}
		}
	}
	if (!run->mmio.is_write)
		memcpy(run->mmio.data, &val, len);
}

/*
 * KVM serves some RTAS calls itself (the XICS ones); one whose argument buffer it cannot
 * read or write fails KVM_RUN with EFAULT instead of answering the guest. psvm answers
 * it as it answers any bad RTAS call (its handler checks the buffer first, so nothing
 * happens twice), and the vCPU goes on after its sc. 0 when that was it.
 */
static int vcpu_rtas_fault(struct vcpu *cpu)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	struct kvm_regs regs;
	uint64_t args[HCALL_NR_ARGS];

	if (ioctl(v->fd, KVM_GET_REGS, &regs) || regs.gpr[3] != KVMPPC_H_RTAS)
		return -1;
	memcpy(args, &regs.gpr[4], sizeof(args));
	regs.gpr[3] = (uint64_t)hcall_dispatch(cpu, KVMPPC_H_RTAS, args);
	/* KVM still has the hcall pending: it loads r3..r12 from the run area at entry */
	if (v->run->exit_reason == KVM_EXIT_PAPR_HCALL) {
		v->run->papr_hcall.ret = regs.gpr[3];
		memcpy(v->run->papr_hcall.args, &regs.gpr[4], sizeof(v->run->papr_hcall.args));
	}
	return ioctl(v->fd, KVM_SET_REGS, &regs) ? -1 : 0;
}

static void *vcpu_thread(void *arg)
{
	struct vcpu *cpu = arg;
	struct vm *vm = cpu->vm;
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);
	struct kvm_run *run = v->run;
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);

	this_vcpu = cpu;
	while (vcpu_wait_runnable(cpu)) {
		vcpu_lpcr_catch_up(cpu);
		if (atomic_exchange(&v->sreset, false) && vcpu_deliver_sreset(cpu))
			pr_warn("vCPU %u: cannot deliver a system reset", cpu->id);
		if (ioctl(v->fd, KVM_RUN, 0) < 0) {
			if (errno == EINTR || errno == EAGAIN) {
				run->immediate_exit = 0;
				continue;
			}
			if (errno == EFAULT && !vcpu_rtas_fault(cpu))
				continue;
			pr_err("vCPU %u: KVM_RUN: %s", cpu->id, strerror(errno));
			vcpu_dump(cpu);
			vm_request_stop(vm, PSVM_EXIT_GUEST_FAULT);
			break;
		}
		switch (run->exit_reason) {
		case KVM_EXIT_PAPR_HCALL:
			run->papr_hcall.ret = (uint64_t)hcall_dispatch(cpu, run->papr_hcall.nr,
								       run->papr_hcall.args);
			break;
		case KVM_EXIT_MMIO:
			vcpu_mmio(cpu, run);
			break;
		case KVM_EXIT_INTR:
			break;
		default:
			pr_err("vCPU %u: unhandled KVM exit %u", cpu->id, run->exit_reason);
			vcpu_dump(cpu);
			vm_request_stop(vm, PSVM_EXIT_GUEST_FAULT);
			return NULL;
		}
	}
	return NULL;
}

static void kick_handler(int sig)
{
	(void)sig; /* only there to make KVM_RUN return with EINTR */
}

int arch_vcpus_start(struct vm *vm)
{
	struct sigaction sa = { .sa_handler = kick_handler }; /* no SA_RESTART */
	struct vcpu *boot = &vm->vcpus[0];

	sigaction(SIGUSR1, &sa, NULL);
	if (vcpu_load_entry(boot, vm->li.entry, vm->fdt_gpa)) {
		pr_err("cannot load boot registers: %s", strerror(errno));
		return -1;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		int r = pthread_create(&vm->vcpus[i].thread, NULL, vcpu_thread, &vm->vcpus[i]);

		if (r) {
			pr_err("cannot start vCPU thread %u: %s", i, strerror(r));
			vm_request_stop(vm, PSVM_EXIT_ERROR);
			return -1;
		}
		vm->vcpus[i].thread_started = true;
	}
	return 0;
}

void arch_vcpu_kick(struct vcpu *cpu)
{
	struct kvm_vcpu_ppc *v = kvcpu_of(cpu);

	if (!v || !cpu->thread_started || pthread_equal(cpu->thread, pthread_self()))
		return;
	v->run->immediate_exit = 1;
	pthread_kill(cpu->thread, SIGUSR1);
}

void arch_vcpus_join(struct vm *vm)
{
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpus[i].thread_started) {
			pthread_join(vm->vcpus[i].thread, NULL);
			vm->vcpus[i].thread_started = false;
		}
}
