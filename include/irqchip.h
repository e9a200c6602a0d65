/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest's interrupt sources and controller: XICS (the in-kernel presenter and the
 * RTAS source calls) or XIVE exploitation mode (xive.h), chosen when KVM's is made.
 * Sources are numbered as XICS numbers them in either mode (hence the XICS_* values).
 */
#ifndef PSVM_IRQCHIP_H
#define PSVM_IRQCHIP_H

#include "device.h"
#include "psvm.h"

/* Interrupt controller the guest gets: XIVE exploitation mode where KVM can, else XICS. */
enum irqchip_mode { IRQCHIP_AUTO, IRQCHIP_XICS, IRQCHIP_XIVE };

#define XICS_PHANDLE 0x1111
#define XICS_IRQ_BASE 0x1000 /* first source number, as QEMU's ICS */
#define IRQCHIP_MAX_SOURCES 1024
#define XICS_PRIO_MASKED 0xff

struct irq_source {
	uint32_t server;
	uint8_t priority;	/* 0xff: masked */
	uint8_t saved_priority;	/* restored by ibm,int-on */
	uint32_t eisn;		/* XIVE: the number its events carry (default: its own) */
	bool lsi;
	bool allocated;
};

struct irqchip {
	struct irq_source src[IRQCHIP_MAX_SOURCES];
	unsigned int nr;
	bool realized; /* KVM's source table exists: new sources go there at once */
	struct xive *xive;	/* XIVE exploitation mode, else NULL */
	struct irq_source *ipi; /* XIVE: the IPIs, sources 0..nr_vcpus-1 */
};

struct vm;
struct xive;
/* Built in and made first: every other device allocates its sources. Owns "irqchip". */
extern const struct device_kind irqchip_kind;
/* The VM's controller state (NULL before it is made). */
struct irqchip *irqchip_of(struct vm *vm);
/* An allocated source from XICS_IRQ_BASE on, or NULL. */
struct irq_source *irqchip_source(struct vm *vm, uint32_t irq);
/* A new source, masked until the guest configures it; 0 when none is left. */
uint32_t irqchip_alloc_irq(struct vm *vm, bool lsi);
/* n consecutive sources (a PCI function's MSIs), the first number or 0. */
uint32_t irqchip_alloc_block(struct vm *vm, unsigned int n, bool lsi);
/* Back to masked, server 0: a released MSI keeps nothing of its last user. */
int irqchip_source_reset(struct vm *vm, uint32_t irq);
/* Assert (edge) or set the level of a source. */
int irqchip_set_irq(struct vm *vm, uint32_t irq, int level);

#endif
