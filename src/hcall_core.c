// SPDX-License-Identifier: GPL-2.0-only
/*
 * Core hypercalls that reach userspace. KVM-HV handles H_CEDE, H_PROD, H_CONFER and
 * H_REGISTER_VPA in the kernel; psvm's entries serve when it passes them up.
 */
#include <sched.h>
#include <string.h>
#include <sys/random.h>

#include "arch.h"
#include "be.h"
#include "hcall.h"
#include "log.h"
#include "vm.h"

#define PATB_GR (1ULL << 63)		/* PATE dword 1: guest radix */
#define PRTB_MASK 0x0ffffffffffff000ULL
#define PRTS_MAX 24			/* table of 2^(12+24) bytes is far beyond PAPR */

static long h_set_mode(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t mflags = args[0], resource = args[1];

	switch (resource) {
	case H_SET_MODE_RESOURCE_LE:
		if (args[2])
			return H_P3;
		if (args[3])
			return H_P4;
		if (mflags > 1)
			return H_UNSUPPORTED_FLAG;
		if (arch_set_interrupt_endian(cpu->vm, mflags == 1))
			return H_HARDWARE;
		return H_SUCCESS;
	case H_SET_MODE_RESOURCE_ADDR_TRANS_MODE:
		if (args[2])
			return H_P3;
		if (args[3])
			return H_P4;
		if (mflags != 0 && mflags != 3)
			return H_UNSUPPORTED_FLAG;
		if (arch_set_ail(cpu->vm, (unsigned int)mflags))
			return H_UNSUPPORTED_FLAG;
		return H_SUCCESS;
	default:
		/* CIABR/DAWR are KVM's (enabled in-kernel); anything else is unknown. */
		return H_P2;
	}
}

static long h_random(struct vcpu *cpu __unused, uint64_t nr __unused, uint64_t *args)
{
	uint64_t v;

	if (getrandom(&v, sizeof(v), 0) != sizeof(v))
		return H_HARDWARE;
	args[0] = v;
	return H_SUCCESS;
}

static long h_get_cpu_characteristics(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t c, b;

	if (arch_cpu_characteristics(cpu->vm, &c, &b))
		return H_FUNCTION;
	args[0] = c;
	args[1] = b;
	return H_SUCCESS;
}

/*
 * H_REGISTER_PROC_TBL(flags, proc_tbl, page_size, table_size): a radix (or POWER9 HPT)
 * guest tells us where its process table is; KVM needs it in the partition table.
 */
static long h_register_proc_tbl(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t flags = args[0], tbl = args[1], page_size = args[2], size = args[3];
	uint64_t op = flags & PROC_TABLE_OP_MASK, type = flags & PROC_TABLE_TYPE_MASK;
	bool radix = type == PROC_TABLE_RADIX, gtse = flags & PROC_TABLE_GTSE;
	uint64_t pate1 = 0;

	if (flags & ~(PROC_TABLE_OP_MASK | PROC_TABLE_TYPE_MASK | PROC_TABLE_GTSE))
		return H_PARAMETER;
	if (op == 0)
		return H_SUCCESS; /* nothing to change */
	if (op == PROC_TABLE_DEREG) {
		/* no table, the same MMU: a radix entry keeps GR (KVM refuses one without) */
		pate1 = vm->radix ? PATB_GR : 0;
		return arch_configure_mmu(vm, vm->radix, false, pate1) ? H_HARDWARE : H_SUCCESS;
	}
	if (op != PROC_TABLE_NEW)
		return H_PARAMETER;
	if (type == PROC_TABLE_HPT_PT || type == PROC_TABLE_TYPE_MASK)
		return H_FUNCTION; /* HPT with a process table (hash-only POWER9 mode) */
	if (radix != vm->radix)
		return H_PARAMETER; /* not the MMU mode the device tree offered */
	if (radix) {
		if (tbl & ~PRTB_MASK)
			return H_P2;
		if (page_size)
			return H_P3;
		if (size > PRTS_MAX)
			return H_P4;
		/* The table (2^(12+size) bytes) must be guest RAM. */
		if (!gpa_to_hva(&vm->mem, tbl, 1ULL << (12 + size)))
			return H_P2;
		pate1 = PATB_GR | tbl | size;
	} else if (tbl || page_size || size) {
		return H_PARAMETER;
	}
	/* Inside an LPAR the guest gets no GTSE whatever it asks (see the device tree). */
	if (arch_configure_mmu(vm, radix, gtse && vm->gtse, pate1))
		return H_HARDWARE;
	return H_SUCCESS;
}

/* VPA areas: PAPR says size at offset 4 (16 bits for the VPA, 32 for DTL/SLB shadow). */
#define VPA_MIN_SIZE 640
static long h_register_vpa(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	unsigned int func = (args[0] >> H_VPA_FUNC_SHIFT) & H_VPA_FUNC_MASK;
	struct vcpu *t = vm_vcpu(vm, args[1]);
	uint64_t addr = args[2], len = 0;
	const uint8_t *p;

	if (!t)
		return H_PARAMETER;
	switch (func) {
	case H_VPA_REG_VPA:
	case H_VPA_REG_DTL:
	case H_VPA_REG_SLB:
		p = gpa_to_hva(&vm->mem, addr, 8);
		if (!p || !IS_ALIGNED(addr, 8))
			return H_PARAMETER;
		len = func == H_VPA_REG_VPA ? (uint64_t)(p[4] << 8 | p[5]) : ld_be32(p + 4);
		if (func == H_VPA_REG_VPA &&
		    (len < VPA_MIN_SIZE || (addr & 0xfff) + len > 0x1000))
			return H_PARAMETER; /* must not cross a 4K page */
		if (!len || !gpa_to_hva(&vm->mem, addr, len))
			return H_PARAMETER;
		break;
	case H_VPA_DEREG_VPA:
	case H_VPA_DEREG_DTL:
	case H_VPA_DEREG_SLB:
		addr = 0;
		break;
	default:
		return H_PARAMETER;
	}
	return arch_set_vpa(t, func, addr, len) ? H_RESOURCE : H_SUCCESS;
}

static long h_cede(struct vcpu *cpu __unused, uint64_t nr __unused, uint64_t *args __unused)
{
	sched_yield();
	return H_SUCCESS;
}

static long h_prod(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vcpu *t = vm_vcpu(cpu->vm, args[0]);

	if (!t)
		return H_PARAMETER;
	arch_vcpu_kick(t);
	return H_SUCCESS;
}

static long h_confer(struct vcpu *cpu __unused, uint64_t nr __unused, uint64_t *args __unused)
{
	sched_yield();
	return H_SUCCESS;
}

/* H_SET_SPRG0(value): what the guest OS keeps for itself in SPRG0 */
static long h_set_sprg0(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	return arch_set_sprg0(cpu, args[0]) ? H_HARDWARE : H_SUCCESS;
}

/*
 * H_PAGE_INIT(flags, dest, src): zero a 4K page of guest RAM or copy one into it, and
 * make it fetchable where asked; as QEMU's, both pages aligned and all in RAM.
 */
static long h_page_init(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t flags = args[0], dst = args[1], src = args[2];
	uint8_t *pdst, *psrc;

	if (flags & ~(H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE | H_ZERO_PAGE | H_COPY_PAGE))
		return H_PARAMETER;
	pdst = dst % SZ_4K ? NULL : gpa_to_hva(&cpu->vm->mem, dst, SZ_4K);
	if (!pdst)
		return H_PARAMETER;
	if (flags & H_COPY_PAGE) {
		psrc = src % SZ_4K ? NULL : gpa_to_hva(&cpu->vm->mem, src, SZ_4K);
		if (!psrc)
			return H_PARAMETER;
		memmove(pdst, psrc, SZ_4K);
	} else if (flags & H_ZERO_PAGE) {
		memset(pdst, 0, SZ_4K);
	}
	if (flags & (H_ICACHE_INVALIDATE | H_ICACHE_SYNCHRONIZE))
		arch_sync_icache(pdst, SZ_4K);
	return H_SUCCESS;
}

/* Guest RAM, as a big-endian CPU reads and writes it. */
static void ram_access(uint8_t *p, unsigned int size, uint64_t *val, bool store)
{
	switch (size) {
	case 1:
		if (store)
			*p = (uint8_t)*val;
		else
			*val = *p;
		break;
	case 2:
		if (store)
			st_be16(p, (uint16_t)*val);
		else
			*val = ld_be16(p);
		break;
	case 4:
		if (store)
			st_be32(p, (uint32_t)*val);
		else
			*val = ld_be32(p);
		break;
	default:
		if (store)
			st_be64(p, *val);
		else
			*val = ld_be64(p);
	}
}

/*
 * H_LOGICAL_CI_LOAD/STORE and H_LOGICAL_CACHE_LOAD/STORE (PAPR's hcall-debug set)
 * (size, address[, value]): an access to guest RAM or to MMIO (a device's BARs, the ones
 * KVM maps too), as QEMU serves them.
 */
static long h_logical_access(struct vcpu *cpu, uint64_t nr, uint64_t *args)
{
	uint64_t size = args[0], addr = args[1], val = args[2];
	bool store = nr == H_LOGICAL_CI_STORE || nr == H_LOGICAL_CACHE_STORE;
	uint8_t *p;

	if (size != 1 && size != 2 && size != 4 && size != 8)
		return H_PARAMETER;
	if (!IS_ALIGNED(addr, size))
		return H_PARAMETER;
	p = gpa_to_hva(&cpu->vm->mem, addr, size);
	if (p) {
		ram_access(p, (unsigned int)size, &val, store);
		if (!store)
			args[0] = val;
		return H_SUCCESS;
	}
	/*
	 * A cache-inhibited access as a big-endian CPU makes it (KVM's and QEMU's
	 * H_LOGICAL_CI_*): the register's value is the bytes read big-endian. MMIO handlers
	 * see the bytes as they lie in memory, read in host order.
	 */
	if (store)
		val = cpu_to_be_n(val, (unsigned int)size);
	if (mmio_access(cpu->vm, addr, (unsigned int)size, &val, store))
		return H_PARAMETER;
	if (!store)
		args[0] = cpu_to_be_n(val, (unsigned int)size);
	return H_SUCCESS;
}

/* H_LOGICAL_ICBI/DCBF(address): KVM keeps the caches coherent for the guest (as QEMU says). */
static long h_logical_cache_op(struct vcpu *cpu __unused, uint64_t nr __unused,
			       uint64_t *args __unused)
{
	return H_SUCCESS;
}

/* H_SIGNAL_SYS_RESET(target): -1 every vCPU, -2 all but the caller, or one vCPU. */
static long h_signal_sys_reset(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	int64_t target = (int64_t)args[0];

	if (target >= 0) {
		struct vcpu *t = vm_vcpu(vm, (uint64_t)target);

		if (!t)
			return H_PARAMETER;
		return arch_vcpu_sreset(t) ? H_HARDWARE : H_SUCCESS;
	}
	if (target != H_SIGNAL_SYS_RESET_ALL && target != H_SIGNAL_SYS_RESET_ALL_OTHERS)
		return H_PARAMETER;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		if (target == H_SIGNAL_SYS_RESET_ALL_OTHERS && &vm->vcpus[i] == cpu)
			continue;
		if (arch_vcpu_sreset(&vm->vcpus[i]))
			return H_HARDWARE;
	}
	return H_SUCCESS;
}

static const struct hcall_entry core_hcalls[] = {
	HCALL(H_SET_SPRG0, h_set_sprg0),
	HCALL(H_PAGE_INIT, h_page_init),
	HCALL(H_LOGICAL_CI_LOAD, h_logical_access),
	HCALL(H_LOGICAL_CI_STORE, h_logical_access),
	HCALL(H_LOGICAL_CACHE_LOAD, h_logical_access),
	HCALL(H_LOGICAL_CACHE_STORE, h_logical_access),
	HCALL(H_LOGICAL_ICBI, h_logical_cache_op),
	HCALL(H_LOGICAL_DCBF, h_logical_cache_op),
	HCALL(H_REGISTER_VPA, h_register_vpa),
	HCALL(H_CEDE, h_cede),
	HCALL(H_CONFER, h_confer),
	HCALL(H_PROD, h_prod),
	HCALL(H_GET_CPU_CHARACTERISTICS, h_get_cpu_characteristics),
	HCALL(H_RANDOM, h_random),
	HCALL(H_SET_MODE, h_set_mode),
	HCALL(H_REGISTER_PROC_TBL, h_register_proc_tbl),
	HCALL(H_SIGNAL_SYS_RESET, h_signal_sys_reset),
};

int hcall_register_core(struct vm *vm)
{
	return hcall_register_table(&vm->hcalls, core_hcalls, ARRAY_SIZE(core_hcalls));
}
