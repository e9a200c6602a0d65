// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt controller. psvm owns the sources (numbered from 0x1000 as in QEMU) and
 * answers the RTAS source calls (ibm,set-xive, ibm,get-xive, ibm,int-on, ibm,int-off) by
 * updating KVM. The controller is XICS, whose presentation layer (H_XIRR, H_EOI, H_CPPR,
 * H_IPI) runs in KVM, or, where KVM can, XIVE exploitation mode (xive.c). The guest gets
 * one of them in its device tree: without CAS there is nothing to negotiate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "be.h"
#include "devtree.h"
#include "irqchip.h"
#include "log.h"
#include "vm.h"
#include "xive.h"

struct irqchip *irqchip_of(struct vm *vm)
{
	return device_priv(vm, &irqchip_kind);
}

struct irq_source *irqchip_source(struct vm *vm, uint32_t irq)
{
	struct irqchip *x = irqchip_of(vm);

	if (!x || irq < XICS_IRQ_BASE || irq - XICS_IRQ_BASE >= x->nr)
		return NULL;
	return x->src[irq - XICS_IRQ_BASE].allocated ? &x->src[irq - XICS_IRQ_BASE] : NULL;
}

static int irqchip_sync(struct vm *vm, uint32_t irq, const struct irq_source *s)
{
	if (irqchip_of(vm)->xive)
		return xive_source_sync(vm, irq, s);
	return arch_xics_set_source(vm, irq, s->server, s->saved_priority,
				    s->priority == XICS_PRIO_MASKED, s->lsi);
}

uint32_t irqchip_alloc_block(struct vm *vm, unsigned int n, bool lsi)
{
	struct irqchip *x = irqchip_of(vm);
	uint32_t first;

	if (!x || !n || n > IRQCHIP_MAX_SOURCES - x->nr)
		return 0;
	first = XICS_IRQ_BASE + x->nr;
	for (unsigned int i = 0; i < n; i++) {
		struct irq_source *s = &x->src[x->nr++];

		*s = (struct irq_source){ .server = 0, .priority = XICS_PRIO_MASKED,
					   .saved_priority = XICS_PRIO_MASKED, .eisn = first + i,
					   .lsi = lsi, .allocated = true };
		/* sources made after realize (by devices realized later) must reach KVM now */
		if (x->realized && (x->xive ? arch_xive_source(vm, first + i, lsi) :
					      irqchip_sync(vm, first + i, s))) {
			x->nr = first - XICS_IRQ_BASE;
			return 0;
		}
	}
	return first;
}

uint32_t irqchip_alloc_irq(struct vm *vm, bool lsi)
{
	return irqchip_alloc_block(vm, 1, lsi);
}

int irqchip_source_reset(struct vm *vm, uint32_t irq)
{
	struct irq_source *s = irqchip_source(vm, irq);
	int ret;

	if (!s)
		return -1;
	pthread_mutex_lock(&vm->lock);
	s->server = 0;
	s->priority = s->saved_priority = XICS_PRIO_MASKED;
	s->eisn = irq;
	ret = irqchip_of(vm)->realized ? irqchip_sync(vm, irq, s) : 0;
	pthread_mutex_unlock(&vm->lock);
	return ret;
}

int irqchip_set_irq(struct vm *vm, uint32_t irq, int level)
{
	static unsigned int warned;

	if (!irqchip_source(vm, irq))
		return -1;
	if (arch_irq_line(vm, irq, level)) {
		if (warned++ < 4)
			pr_warn_guest("xics: cannot signal source %#x", irq);
		return -1;
	}
	return 0;
}

/* ibm,set-xive(irq, server, priority) */
static void rtas_set_xive(struct vcpu *cpu, struct rtas_call *c)
{
	struct vm *vm = cpu->vm;
	struct irq_source *s, old;

	s = irqchip_source(vm, c->args[0]);
	/* XIVE has priorities 0-7, of which the guest may use up to XIVE_PRIO_MAX */
	if (!s || c->args[2] > XICS_PRIO_MASKED ||
	    (irqchip_of(vm)->xive && c->args[2] > XIVE_PRIO_MAX && c->args[2] != XICS_PRIO_MASKED) ||
	    (c->args[2] != XICS_PRIO_MASKED && !vm_vcpu(vm, c->args[1]))) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	old = *s;
	s->server = c->args[1];
	s->priority = (uint8_t)c->args[2];
	s->saved_priority = (uint8_t)c->args[2];
	if (irqchip_sync(vm, c->args[0], s)) {
		*s = old;
		pthread_mutex_unlock(&vm->lock);
		rtas_status(c, RTAS_HW_ERROR);
		return;
	}
	pthread_mutex_unlock(&vm->lock);
	pr_info_guest("xics: source %#x -> server %u priority %u", c->args[0], c->args[1], c->args[2]);
	rtas_status(c, RTAS_OK);
}

/* ibm,get-xive(irq) -> status, server, priority */
static void rtas_get_xive(struct vcpu *cpu, struct rtas_call *c)
{
	struct irq_source *s;

	s = irqchip_source(cpu->vm, c->args[0]);
	if (!s) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&cpu->vm->lock);
	c->rets[1] = s->server;
	c->rets[2] = s->priority;
	pthread_mutex_unlock(&cpu->vm->lock);
	c->rets[0] = RTAS_OK;
}

static void rtas_int_onoff(struct vcpu *cpu, struct rtas_call *c, bool on)
{
	struct vm *vm = cpu->vm;
	struct irq_source *s;
	uint8_t old;

	s = irqchip_source(vm, c->args[0]);
	if (!s) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&vm->lock);
	old = s->priority;
	if (on) {
		s->priority = s->saved_priority;
	} else {
		if (s->priority != XICS_PRIO_MASKED)
			s->saved_priority = s->priority;
		s->priority = XICS_PRIO_MASKED;
	}
	if (irqchip_sync(vm, c->args[0], s)) {
		s->priority = old;
		pthread_mutex_unlock(&vm->lock);
		rtas_status(c, RTAS_HW_ERROR);
		return;
	}
	pthread_mutex_unlock(&vm->lock);
	rtas_status(c, RTAS_OK);
}

static void rtas_int_off(struct vcpu *cpu, struct rtas_call *c)
{
	rtas_int_onoff(cpu, c, false);
}

static void rtas_int_on(struct vcpu *cpu, struct rtas_call *c)
{
	rtas_int_onoff(cpu, c, true);
}

static const struct rtas_def xics_rtas[] = {
	{ "ibm,set-xive", rtas_set_xive, 3, 1 },
	{ "ibm,get-xive", rtas_get_xive, 1, 3 },
	{ "ibm,int-off", rtas_int_off, 1, 1 },
	{ "ibm,int-on", rtas_int_on, 1, 1 },
};

/*
 * Under XICS the source calls go to KVM, as QEMU has them: KVM's set-xive and int-on keep
 * an interrupt that is pending across the change, where setting the source's state (what
 * psvm's own handlers do, KVM_DEV_XICS_GRP_SOURCES) drops it. That lost the console's
 * input interrupt whenever the guest rerouted it at the wrong moment. psvm's handlers stay
 * for XIVE mode and for KVMs without in-kernel RTAS.
 */
static void xics_rtas_to_kvm(struct vm *vm)
{
	unsigned int n = 0;
	int r = 0;

	for (unsigned int i = 0; i < ARRAY_SIZE(xics_rtas); i++) {
		const struct rtas_entry *e = rtas_lookup_name(&vm->rtas, xics_rtas[i].name);

		r = e ? arch_rtas_in_kernel(vm, xics_rtas[i].name, e->token) : -ENOENT;
		n += !r;
	}
	if (n == ARRAY_SIZE(xics_rtas))
		pr_info("irqchip: KVM serves the XICS source calls (ibm,set-xive, get-xive, "
			"int-off, int-on)");
	else
		pr_info("irqchip: psvm serves %zu of the XICS source calls (%s)",
			ARRAY_SIZE(xics_rtas) - n, strerror(-r));
}

/* XIVE exploitation mode where it is asked for or (auto) where it works, else XICS. */
static int irqchip_choose(struct vm *vm, bool *xive)
{
	enum irqchip_mode mode = vm->cfg->irqchip;
	const char *why = mode == IRQCHIP_XICS ? "--irqchip xics" : xive_unusable(vm);

	*xive = !why;
	if (!why) {
		pr_info("irqchip: XIVE exploitation mode (KVM's XIVE device)");
	} else if (mode == IRQCHIP_XIVE) {
		pr_err("--irqchip xive: cannot use XIVE here: %s", why);
		return -1;
	} else {
		pr_info("irqchip: XICS (no XIVE: %s)", why);
	}
	return 0;
}

static int irqchip_realize(struct device *dev)
{
	struct vm *vm = dev->vm;
	struct irqchip *x = dev->priv;
	bool xive;

	if (irqchip_choose(vm, &xive))
		return -1;
	if (xive) {
		if (xive_realize(vm))
			return -1;
		x->realized = true;
		return 0;
	}
	if (arch_irqchip_create(vm))
		return -1;
	/* Every source KVM should know about starts masked. */
	for (unsigned int i = 0; i < x->nr; i++)
		if (irqchip_sync(vm, XICS_IRQ_BASE + i, &x->src[i]))
			return -1;
	x->realized = true;
	xics_rtas_to_kvm(vm);
	return 0;
}

static int irqchip_fdt(struct device *dev, struct devtree *dt)
{
	struct irqchip *x = dev->priv;
	uint32_t servers[2] = { 0, cpu_to_be32(dev->vm->nr_vcpus) };
	struct fdtw *w = &dt->w;

	if (x->xive) {
		if (dt->at == DEVTREE_CHOSEN)
			devtree_vec5_set(dt, VEC5_INTC_BYTE, VEC5_INTC_XIVE);
		xive_fdt(dev->vm, dt);
		return 0;
	}
	if (dt->at != DEVTREE_ROOT)
		return 0;
	fdtw_node(w, "interrupt-controller");
	fdtw_str(w, "device_type", "PowerPC-External-Interrupt-Presentation");
	fdtw_str(w, "compatible", "IBM,ppc-xicp");
	fdtw_empty(w, "interrupt-controller");
	fdtw_prop(w, "ibm,interrupt-server-ranges", servers, sizeof(servers));
	fdtw_u32(w, "#interrupt-cells", 2);
	fdtw_u32(w, "linux,phandle", XICS_PHANDLE);
	fdtw_u32(w, "phandle", XICS_PHANDLE);
	fdtw_end(w);
	return 0;
}

static void irqchip_destroy(struct device *dev)
{
	struct irqchip *x = dev->priv;

	xive_free(dev->vm);
	free(x->ipi);
	free(x);
}

static int irqchip_create(struct vm *vm, const void *conf __unused)
{
	struct irqchip *x = calloc(1, sizeof(*x));

	if (!x)
		return -1;
	if (!device_add(vm, &irqchip_kind, x)) {
		free(x);
		return -1;
	}
	return 0;
}

static int irqchip_set(struct psvm_config *c, const char *val, char *err, size_t errlen)
{
	if (!strcmp(val, "auto"))
		c->irqchip = IRQCHIP_AUTO;
	else if (!strcmp(val, "xics"))
		c->irqchip = IRQCHIP_XICS;
	else if (!strcmp(val, "xive"))
		c->irqchip = IRQCHIP_XIVE;
	else
		return errorf(err, errlen, "irqchip: '%s' is not auto, xics or xive", val);
	return 0;
}

static const struct device_key irqchip_keys[] = {
	{ "irqchip", irqchip_set },
	{ NULL, NULL },
};

const struct device_kind irqchip_kind = {
	.name = "irqchip",
	.keys = irqchip_keys,
	.create = irqchip_create,
	.realize = irqchip_realize,
	.fdt = irqchip_fdt,
	.destroy = irqchip_destroy,
	DEVICE_RTAS(xics_rtas),
};
