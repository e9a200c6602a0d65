/* SPDX-License-Identifier: GPL-2.0-only */
/* PAPR hypercalls: numbers, return codes and the per-VM dispatch table. */
#ifndef PSVM_HCALL_H
#define PSVM_HCALL_H

#include "psvm.h"

/* Return codes (PAPR; as in Linux's asm/hvcall.h) */
#define H_SUCCESS 0
#define H_BUSY 1
#define H_HARDWARE -1
#define H_FUNCTION -2
#define H_PRIVILEGE -3
#define H_PARAMETER -4
#define H_BAD_MODE -5
#define H_NOT_FOUND -7
#define H_NO_MEM -9
#define H_PERMISSION -11
#define H_RESOURCE -16
#define H_P2 -55
#define H_P3 -56
#define H_P4 -57
#define H_P5 -58
#define H_UNSUPPORTED_FLAG -256

/* Hypercall numbers */
#define H_REMOVE 0x04
#define H_ENTER 0x08
#define H_GET_TCE 0x1c
#define H_SET_SPRG0 0x24
#define H_PAGE_INIT 0x2c
#define H_PUT_TCE 0x20
#define H_LOGICAL_CI_LOAD 0x3c
#define H_LOGICAL_CI_STORE 0x40
#define H_LOGICAL_CACHE_LOAD 0x44
#define H_LOGICAL_CACHE_STORE 0x48
#define H_LOGICAL_ICBI 0x4c
#define H_LOGICAL_DCBF 0x50
#define H_GET_TERM_CHAR 0x54
#define H_PUT_TERM_CHAR 0x58
#define H_EOI 0x64
#define H_CPPR 0x68
#define H_IPI 0x6c
#define H_IPOLL 0x70
#define H_XIRR 0x74
#define H_REGISTER_VPA 0xdc
#define H_CEDE 0xe0
#define H_CONFER 0xe4
#define H_PROD 0xe8
#define H_STUFF_TCE 0x138
#define H_PUT_TCE_INDIRECT 0x13c
#define H_GET_CPU_CHARACTERISTICS 0x1c8
#define H_RANDOM 0x300
#define H_SET_MODE 0x31c
#define H_CLEAN_SLB 0x374
#define H_INVALIDATE_PID 0x378
#define H_REGISTER_PROC_TBL 0x37c
#define H_SIGNAL_SYS_RESET 0x380
#define H_SIGNAL_SYS_RESET_ALL -1
#define H_SIGNAL_SYS_RESET_ALL_OTHERS -2
#define H_RPT_INVALIDATE 0x448
#define KVMPPC_H_RTAS 0xf000

/* H_PAGE_INIT flags */
#define H_ICACHE_INVALIDATE (1ULL << (63 - 40))
#define H_ICACHE_SYNCHRONIZE (1ULL << (63 - 41))
#define H_ZERO_PAGE (1ULL << (63 - 48))
#define H_COPY_PAGE (1ULL << (63 - 49))

/* H_SET_MODE resources */
#define H_SET_MODE_RESOURCE_SET_CIABR 1
#define H_SET_MODE_RESOURCE_SET_DAWR0 2
#define H_SET_MODE_RESOURCE_ADDR_TRANS_MODE 3
#define H_SET_MODE_RESOURCE_LE 4
#define H_SET_MODE_RESOURCE_SET_DAWR1 5

/* H_REGISTER_PROC_TBL flags */
#define PROC_TABLE_OP_MASK 0x18
#define PROC_TABLE_DEREG 0x10
#define PROC_TABLE_NEW 0x18
#define PROC_TABLE_TYPE_MASK 0x06
#define PROC_TABLE_HPT_SLB 0x00
#define PROC_TABLE_HPT_PT 0x02
#define PROC_TABLE_RADIX 0x04
#define PROC_TABLE_GTSE 0x01

/* H_REGISTER_VPA subfunctions, in bits 16..18 (IBM numbering) of flags */
#define H_VPA_FUNC_SHIFT (63 - 18)
#define H_VPA_FUNC_MASK 7UL
#define H_VPA_REG_VPA 1UL
#define H_VPA_REG_DTL 2UL
#define H_VPA_REG_SLB 3UL
#define H_VPA_DEREG_VPA 5UL
#define H_VPA_DEREG_DTL 6UL
#define H_VPA_DEREG_SLB 7UL

#define HCALL_NR_ARGS 9 /* r4..r12 */

struct vcpu;
struct vm;

/*
 * A handler gets r4..r12 in args[], returns the value for r3 and may write return
 * values into args[] (they go back to r4..r12 on KVM_EXIT_PAPR_HCALL completion).
 */
typedef long (*hcall_fn)(struct vcpu *cpu, uint64_t nr, uint64_t *args);

struct hcall_entry {
	uint64_t nr;
	hcall_fn fn;
	const char *name;
};

/* A table entry named after its number's macro: HCALL(H_PUT_TCE, h_put_tce). */
#define HCALL(nr, fn) { (nr), (fn), #nr }

/* Every hcall psvm has fits (about 30): a fixed table, nothing to grow or free. */
#define HCALL_TABLE_MAX 64

struct hcall_table {
	struct hcall_entry e[HCALL_TABLE_MAX]; /* sorted by nr */
	unsigned int n;
	uint64_t unknown_calls;
};

/* Register a module's table in one call; -1 if a number has an owner or the table is full. */
int hcall_register_table(struct hcall_table *t, const struct hcall_entry *e, unsigned int n);
const struct hcall_entry *hcall_lookup(const struct hcall_table *t, uint64_t nr);

/* Look up and run; an unknown number gets H_FUNCTION. */
long hcall_dispatch(struct vcpu *cpu, uint64_t nr, uint64_t *args);

/* The core hypercalls (console, mode, random, MMU, CPU characteristics...). */
int hcall_register_core(struct vm *vm);

#endif
