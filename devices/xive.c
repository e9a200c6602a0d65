// SPDX-License-Identifier: GPL-2.0-only
/*
 * XIVE exploitation mode over KVM's XIVE device. Delivery never involves psvm: a source's
 * trigger goes through the host XIVE into the event queue the guest gave for (server,
 * priority), and the guest acknowledges at its TIMA page and EOIs at the source's ESB page,
 * both mapped into the guest. psvm only answers the H_INT_* configuration hcalls (QEMU
 * does the same in userspace) and keeps what the guest set, for the H_INT_GET_* calls.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "arch.h"
#include "be.h"
#include "devtree.h"
#include "hcall.h"
#include "irqchip.h"
#include "log.h"
#include "vm.h"
#include "xive.h"

const char *xive_unusable(struct vm *vm)
{
	if (!arch_xive_offered(vm))
		return "KVM has no XIVE device here (nested, or not a POWER9+ host)";
	/* KVM maps an event queue only inside one host page of guest RAM */
	if (vm->mem.page_size < (1ULL << XIVE_EQ_SHIFT))
		return "its 64K event queues need guest RAM in pages of 64K or more (--hugetlb on)";
	return NULL;
}

static struct xive *xive_of(struct vm *vm)
{
	struct irqchip *x = irqchip_of(vm);

	return x ? x->xive : NULL;
}

/* The guest-visible state of a source: an IPI or an allocated device source. */
static struct irq_source *xive_source(struct vm *vm, uint64_t lisn)
{
	struct irqchip *x = irqchip_of(vm);

	if (lisn < vm->nr_vcpus)
		return &x->ipi[lisn];
	return lisn <= UINT32_MAX ? irqchip_source(vm, (uint32_t)lisn) : NULL;
}

static struct xive_queue *xive_queue(struct vm *vm, uint64_t server, uint64_t prio)
{
	if (server >= vm->nr_vcpus || prio > XIVE_PRIO_MAX)
		return NULL;
	return &xive_of(vm)->queues[server * XIVE_NR_PRIO + prio];
}

int xive_source_sync(struct vm *vm, uint32_t lisn, const struct irq_source *s)
{
	bool masked = s->priority == XICS_PRIO_MASKED;

	return arch_xive_source_config(vm, lisn, masked ? 0 : s->server,
				       masked ? 0 : s->priority, masked, s->eisn);
}

static void source_init(struct irq_source *s, uint32_t lisn)
{
	s->server = 0;
	s->priority = s->saved_priority = XICS_PRIO_MASKED;
	s->eisn = lisn;
}

/* H_INT_GET_SOURCE_INFO(flags, lisn) -> flags, EOI page, trigger page, ESB page shift */
static long h_int_get_source_info(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	struct xive *xv = xive_of(vm);
	struct irq_source *s;
	uint64_t esb;

	if (args[0])
		return H_PARAMETER;
	s = xive_source(vm, args[1]);
	if (!s || args[1] >= xv->nr_irqs)
		return H_P2;
	esb = XIVE_ESB_GPA + args[1] * 2 * xv->page_size;
	args[0] = s->lsi ? XIVE_SRC_LSI : 0;
	args[1] = esb + xv->page_size; /* odd page: EOI and management */
	args[2] = esb;			/* even page: trigger */
	args[3] = (uint64_t)__builtin_ctzll(xv->page_size);
	return H_SUCCESS;
}

/* H_INT_SET_SOURCE_CONFIG(flags, lisn, target, priority, eisn) */
static long h_int_set_source_config(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	struct irq_source *s, old;
	uint64_t flags = args[0], prio = args[3];
	bool mask = flags & XIVE_SRC_MASK || prio == XICS_PRIO_MASKED;

	if (flags & ~(XIVE_SRC_SET_EISN | XIVE_SRC_MASK))
		return H_PARAMETER;
	s = xive_source(vm, args[1]);
	if (!s)
		return H_P2;
	if (!mask && !vm_vcpu(vm, args[2]))
		return H_P3;
	if (!mask && prio > XIVE_PRIO_MAX)
		return H_P4;
	if (flags & XIVE_SRC_SET_EISN && args[4] > 0x7fffffff) /* 31 bits in a queue entry */
		return H_P5;
	pthread_mutex_lock(&vm->lock);
	old = *s;
	if (mask) {
		s->priority = XICS_PRIO_MASKED;
	} else {
		s->server = (uint32_t)args[2];
		s->priority = s->saved_priority = (uint8_t)prio;
	}
	if (flags & XIVE_SRC_SET_EISN)
		s->eisn = (uint32_t)args[4];
	if (xive_source_sync(vm, (uint32_t)args[1], s)) {
		*s = old;
		pthread_mutex_unlock(&vm->lock);
		return H_HARDWARE;
	}
	pthread_mutex_unlock(&vm->lock);
	pr_debug("xive: source %#llx -> server %u priority %u eisn %#x",
		 (unsigned long long)args[1], s->server, s->priority, s->eisn);
	return H_SUCCESS;
}

/* H_INT_GET_SOURCE_CONFIG(flags, lisn) -> target, priority, eisn */
static long h_int_get_source_config(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct irq_source *s;

	if (args[0])
		return H_PARAMETER;
	s = xive_source(cpu->vm, args[1]);
	if (!s)
		return H_P2;
	pthread_mutex_lock(&cpu->vm->lock);
	args[0] = s->server;
	args[1] = s->priority;
	args[2] = s->eisn;
	pthread_mutex_unlock(&cpu->vm->lock);
	return H_SUCCESS;
}

/* Target and priority of the queue calls: H_P2 and H_P3. */
static long queue_args(struct vm *vm, uint64_t target, uint64_t prio)
{
	if (!vm_vcpu(vm, target))
		return H_P2;
	if (prio > XIVE_PRIO_MAX)
		return H_P3;
	return H_SUCCESS;
}

/* H_INT_GET_QUEUE_INFO(flags, target, priority) -> queue ESB page, largest queue */
static long h_int_get_queue_info(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	long r;

	if (args[0])
		return H_PARAMETER;
	r = queue_args(cpu->vm, args[1], args[2]);
	if (r)
		return r;
	args[0] = 0; /* no queue ESB pages: KVM notifies unconditionally */
	args[1] = XIVE_EQ_SHIFT;
	return H_SUCCESS;
}

/* H_INT_SET_QUEUE_CONFIG(flags, target, priority, qpage, qsize) */
static long h_int_set_queue_config(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t flags = args[0], qpage = args[3], qsize = args[4];
	struct xive_queue *q;
	long r;

	if (flags & ~XIVE_EQ_ALWAYS_NOTIFY)
		return H_PARAMETER;
	r = queue_args(vm, args[1], args[2]);
	if (r)
		return r;
	if (qsize && qsize != XIVE_EQ_SHIFT)
		return H_P5;
	if (qsize && (!IS_ALIGNED(qpage, 1ULL << qsize) ||
		      !gpa_to_hva(&vm->mem, qpage, 1ULL << qsize)))
		return H_P4;
	/* KVM has no queue ESB pages to coalesce through: every event must notify */
	if (qsize && !(flags & XIVE_EQ_ALWAYS_NOTIFY))
		return H_PARAMETER;
	q = xive_queue(vm, args[1], args[2]);
	pthread_mutex_lock(&vm->lock);
	if (arch_xive_queue(vm, (uint32_t)args[1], (uint8_t)args[2], qsize ? qpage : 0,
			    (unsigned int)qsize)) {
		pthread_mutex_unlock(&vm->lock);
		return H_HARDWARE;
	}
	q->qaddr = qsize ? qpage : 0;
	q->qshift = (unsigned int)qsize;
	pthread_mutex_unlock(&vm->lock);
	pr_debug("xive: queue server %llu priority %llu at %#llx, 2^%u bytes",
		 (unsigned long long)args[1], (unsigned long long)args[2],
		 (unsigned long long)q->qaddr, q->qshift);
	return H_SUCCESS;
}

/*
 * H_INT_GET_QUEUE_CONFIG(flags, target, priority) -> flags, qpage, qsize, index: with the
 * debug flag the generation (KVM's toggle) in the flags and the offset counter (index) in R7,
 * as QEMU and PAPR have them.
 */
static long h_int_get_queue_config(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t flags = args[0];
	uint32_t toggle = 0, index = 0;
	struct xive_queue *q;
	long r;

	if (flags & ~XIVE_EQ_DEBUG)
		return H_PARAMETER;
	r = queue_args(vm, args[1], args[2]);
	if (r)
		return r;
	q = xive_queue(vm, args[1], args[2]);
	pthread_mutex_lock(&vm->lock);
	if (flags & XIVE_EQ_DEBUG && q->qshift &&
	    arch_xive_queue_state(vm, (uint32_t)args[1], (uint8_t)args[2], &toggle, &index)) {
		pthread_mutex_unlock(&vm->lock);
		return H_HARDWARE;
	}
	args[0] = q->qshift ? XIVE_EQ_ALWAYS_NOTIFY : 0;
	if (flags & XIVE_EQ_DEBUG)
		args[0] |= (uint64_t)(toggle & 1) << XIVE_EQ_GENERATION_SHIFT;
	args[1] = q->qaddr;
	args[2] = q->qshift;
	args[3] = flags & XIVE_EQ_DEBUG ? index : 0;
	pthread_mutex_unlock(&vm->lock);
	return H_SUCCESS;
}

/* H_INT_ESB(flags, lisn, offset, data) -> loaded value */
static long h_int_esb(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	uint64_t data = args[3];

	if (args[0] & ~XIVE_ESB_STORE)
		return H_PARAMETER;
	if (!xive_source(vm, args[1]) || args[1] >= xive_of(vm)->nr_irqs)
		return H_P2;
	if (args[2] >= xive_of(vm)->page_size || !IS_ALIGNED(args[2], 8))
		return H_P3;
	if (arch_xive_esb(vm, (uint32_t)args[1], (uint32_t)args[2], &data,
			  args[0] & XIVE_ESB_STORE))
		return H_HARDWARE;
	args[0] = args[0] & XIVE_ESB_STORE ? 0 : data;
	return H_SUCCESS;
}

/* H_INT_SYNC(flags, lisn): events of the source reached their queue */
static long h_int_sync(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	if (args[0])
		return H_PARAMETER;
	if (!xive_source(cpu->vm, args[1]))
		return H_P2;
	return arch_xive_source_sync(cpu->vm, (uint32_t)args[1]) ? H_HARDWARE : H_SUCCESS;
}

/* H_INT_RESET(flags): every source masked, every queue off (kexec, shutdown) */
static long h_int_reset(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	struct vm *vm = cpu->vm;
	struct irqchip *x = irqchip_of(vm);
	struct xive *xv = x->xive;

	if (args[0])
		return H_PARAMETER;
	pthread_mutex_lock(&vm->lock);
	if (arch_xive_reset(vm)) {
		pthread_mutex_unlock(&vm->lock);
		return H_HARDWARE;
	}
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		source_init(&x->ipi[i], i);
	for (unsigned int i = 0; i < x->nr; i++)
		source_init(&x->src[i], XICS_IRQ_BASE + i);
	for (unsigned int i = 0; i < vm->nr_vcpus * XIVE_NR_PRIO; i++)
		xv->queues[i] = (struct xive_queue){ 0 };
	pthread_mutex_unlock(&vm->lock);
	return H_SUCCESS;
}

/* No OS reporting line: PAPR lets the platform not have one (QEMU has none either). */
static long h_int_no_reporting_line(struct vcpu *cpu __unused, uint64_t nr __unused,
				    uint64_t *args __unused)
{
	return H_FUNCTION;
}

static const struct hcall_entry xive_hcalls[] = {
	HCALL(H_INT_GET_SOURCE_INFO, h_int_get_source_info),
	HCALL(H_INT_SET_SOURCE_CONFIG, h_int_set_source_config),
	HCALL(H_INT_GET_SOURCE_CONFIG, h_int_get_source_config),
	HCALL(H_INT_GET_QUEUE_INFO, h_int_get_queue_info),
	HCALL(H_INT_SET_QUEUE_CONFIG, h_int_set_queue_config),
	HCALL(H_INT_GET_QUEUE_CONFIG, h_int_get_queue_config),
	HCALL(H_INT_SET_OS_REPORTING_LINE, h_int_no_reporting_line),
	HCALL(H_INT_GET_OS_REPORTING_LINE, h_int_no_reporting_line),
	HCALL(H_INT_ESB, h_int_esb),
	HCALL(H_INT_SYNC, h_int_sync),
	HCALL(H_INT_RESET, h_int_reset),
};

int xive_realize(struct vm *vm)
{
	struct irqchip *x = irqchip_of(vm);
	struct xive *xv = calloc(1, sizeof(*xv));

	if (!xv)
		return -1;
	x->xive = xv;
	xv->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	xv->nr_irqs = XICS_IRQ_BASE + IRQCHIP_MAX_SOURCES;
	xv->queues = calloc((size_t)vm->nr_vcpus * XIVE_NR_PRIO, sizeof(*xv->queues));
	x->ipi = calloc(vm->nr_vcpus, sizeof(*x->ipi));
	if (!xv->queues || !x->ipi)
		return -1;
	if (hcall_register_table(&vm->hcalls, xive_hcalls, ARRAY_SIZE(xive_hcalls)))
		return -1;
	if (arch_xive_create(vm, XIVE_TIMA_GPA, XIVE_ESB_GPA, xv->nr_irqs))
		return -1;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++) {
		source_init(&x->ipi[i], i);
		if (arch_xive_source(vm, i, false))
			return -1;
	}
	/* sources are masked until the guest routes them: nothing to configure yet */
	for (unsigned int i = 0; i < x->nr; i++)
		if (arch_xive_source(vm, XICS_IRQ_BASE + i, x->src[i].lsi))
			return -1;
	return 0;
}

void xive_fdt(struct vm *vm, struct devtree *dt)
{
	struct xive *xv = xive_of(vm);
	uint64_t pg = xv->page_size;
	/* reg 0: the user ring's TIMA page, reg 1: the OS ring's (the one Linux maps) */
	uint64_t reg[4] = { cpu_to_be64(XIVE_TIMA_GPA + 3 * pg), cpu_to_be64(pg),
			    cpu_to_be64(XIVE_TIMA_GPA + 2 * pg), cpu_to_be64(pg) };
	uint32_t lisns[2] = { 0, cpu_to_be32(vm->nr_vcpus) };
	uint32_t reserved[2] = { cpu_to_be32(XIVE_PRIO_MAX + 1), cpu_to_be32(0xf8) };
	struct fdtw *w = &dt->w;
	char name[64];

	/* priorities the guest must leave alone: 7 (KVM's escalations) and up */
	if (dt->at == DEVTREE_ROOT_PROPS)
		fdtw_prop(w, "ibm,plat-res-int-priorities", reserved, sizeof(reserved));
	if (dt->at != DEVTREE_ROOT)
		return;
	snprintf(name, sizeof(name), "interrupt-controller@%llx",
		 (unsigned long long)XIVE_TIMA_GPA);
	fdtw_node(w, name);
	fdtw_str(w, "device_type", "power-ivpe");
	fdtw_str(w, "compatible", "ibm,power-ivpe");
	fdtw_prop(w, "reg", reg, sizeof(reg));
	fdtw_u32(w, "ibm,xive-eq-sizes", XIVE_EQ_SHIFT);
	fdtw_prop(w, "ibm,xive-lisn-ranges", lisns, sizeof(lisns));
	fdtw_empty(w, "interrupt-controller");
	fdtw_u32(w, "#interrupt-cells", 2);
	fdtw_u32(w, "linux,phandle", XICS_PHANDLE);
	fdtw_u32(w, "phandle", XICS_PHANDLE);
	fdtw_end(w);
}

void xive_free(struct vm *vm)
{
	struct xive *xv = xive_of(vm);

	if (!xv)
		return;
	free(xv->queues);
	free(xv);
	irqchip_of(vm)->xive = NULL;
}
