/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * XIVE exploitation mode: the guest gets an "ibm,power-ivpe" controller instead of XICS,
 * drives it through the H_INT_* hcalls and reaches the TIMA and ESB pages directly.
 * Sources stay numbered as XICS numbers them (devices keep their numbers); the IPIs are
 * sources 0..nr_vcpus-1 (ibm,xive-lisn-ranges).
 */
#ifndef PSVM_XIVE_H
#define PSVM_XIVE_H

#include "psvm.h"

/* Where QEMU's pseries puts them: the ESB pages (VC BAR) and the TIMA (TM BAR). */
#define XIVE_ESB_GPA 0x0006010000000000ULL
#define XIVE_TIMA_GPA 0x0006030203180000ULL
#define XIVE_EQ_SHIFT 16	/* the one queue size KVM takes: 64K */
#define XIVE_PRIO_MAX 6		/* 7 is KVM's (escalations): ibm,plat-res-int-priorities */
#define XIVE_NR_PRIO 8

/* H_INT_* hcall numbers and flags (PAPR; as Linux's asm/hvcall.h and xive/spapr.c) */
#define H_INT_GET_SOURCE_INFO 0x3a8
#define H_INT_SET_SOURCE_CONFIG 0x3ac
#define H_INT_GET_SOURCE_CONFIG 0x3b0
#define H_INT_GET_QUEUE_INFO 0x3b4
#define H_INT_SET_QUEUE_CONFIG 0x3b8
#define H_INT_GET_QUEUE_CONFIG 0x3bc
#define H_INT_SET_OS_REPORTING_LINE 0x3c0
#define H_INT_GET_OS_REPORTING_LINE 0x3c4
#define H_INT_ESB 0x3c8
#define H_INT_SYNC 0x3cc
#define H_INT_RESET 0x3d0

#define XIVE_SRC_H_INT_ESB (1ULL << 3)	/* source info: manage through H_INT_ESB */
#define XIVE_SRC_LSI (1ULL << 2)
#define XIVE_SRC_TRIGGER (1ULL << 1)	/* one page for trigger and management */
#define XIVE_SRC_SET_EISN (1ULL << 1)	/* set source config: r8 is the EISN */
#define XIVE_SRC_MASK (1ULL << 0)	/* set source config: mask it */
#define XIVE_EQ_ALWAYS_NOTIFY (1ULL << 0)
#define XIVE_EQ_DEBUG (1ULL << 0)	/* get queue config: also index and toggle */
#define XIVE_EQ_GENERATION_SHIFT 62	/* debug: the toggle (generation) bit in the flags */
#define XIVE_ESB_STORE (1ULL << 0)

struct xive_queue {
	uint64_t qaddr;
	unsigned int qshift;	/* 0: off */
};

struct xive {
	uint64_t page_size;	/* one ESB or TIMA page: the host's */
	uint32_t nr_irqs;	/* sources with ESB pages mapped: 0..nr_irqs-1 */
	struct xive_queue *queues; /* [server * XIVE_NR_PRIO + priority] */
};

struct vm;
struct devtree;
struct irq_source;
/* Why XIVE exploitation mode cannot be used here, or NULL. */
const char *xive_unusable(struct vm *vm);
/* Make the KVM device, the IPIs and every source already allocated; the hcalls. */
int xive_realize(struct vm *vm);
/* A source's routing (server, priority, mask, EISN) to KVM. */
int xive_source_sync(struct vm *vm, uint32_t lisn, const struct irq_source *s);
void xive_fdt(struct vm *vm, struct devtree *dt);
void xive_free(struct vm *vm);

#endif
