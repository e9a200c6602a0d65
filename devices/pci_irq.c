// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts of the functions behind our PHBs, as PAPR has the platform provide them.
 *
 * INTx: one level-sensitive XICS source per function, described by the PHB's
 * interrupt-map; routed from the start (the device decides whether it asserts). KVM
 * re-arms it at EOI (resample irqfd, VFIO unmasks); where KVM cannot (XICS on a XIVE
 * host) INTx is not offered and the guest uses MSIs.
 *
 * MSI and MSI-X: the guest never writes MSI addresses or data. It asks firmware for a
 * number of vectors with ibm,change-msi and learns each vector's XICS source with
 * ibm,query-interrupt-source-number; the platform programs the device. Here the host does
 * (VFIO_DEVICE_SET_IRQS), each vector an eventfd that KVM turns into its source (irqfd),
 * so a device interrupt reaches the guest without psvm running. Sources for the largest
 * vector count are reserved when the function is created: a guest that enables and
 * disables MSIs over and over uses no more of them.
 */

#include "arch.h"
#include "be.h"
#include "fdtw.h"
#include "irqchip.h"
#include "log.h"
#include "pci.h"
#include "rtas.h"
#include "vm.h"

/* ibm,change-msi functions (PAPR 7.3.10.5) and what it says it enabled */
#define MSI_FN_QUERY	   0
#define MSI_FN_CHANGE	   1 /* MSI or MSI-X, the platform's choice */
#define MSI_FN_RESET	   2 /* back to INTx */
#define MSI_FN_MSI	   3
#define MSI_FN_MSIX	   4
#define MSI_FN_MSI_32BIT   5 /* 32-bit MSI address: the host programs it, same to us */
#define MSI_FN_MSIX_32BIT  6
#define RTAS_MSI_TYPE_MSI  1
#define RTAS_MSI_TYPE_MSIX 2

static uint32_t cfg8(struct pci_func *f, uint32_t off)
{
	uint32_t v = 0;

	return f->ops->cfg_read(f, off, 1, &v) ? 0 : v & 0xff;
}

static uint32_t cfg16(struct pci_func *f, uint32_t off)
{
	uint32_t v = 0;

	return f->ops->cfg_read(f, off, 2, &v) ? 0 : v & 0xffff;
}

/* Offset of a capability in the standard list, 0 when absent (a looped list ends). */
static uint32_t find_cap(struct pci_func *f, uint8_t id)
{
	uint32_t pos;

	if (!(cfg16(f, PCI_STATUS) & PCI_STATUS_CAP))
		return 0;
	pos = cfg8(f, PCI_CAP_PTR) & ~3u;
	for (int n = 0; pos >= 0x40 && n < 48; n++) {
		if (cfg8(f, pos) == id)
			return pos;
		pos = cfg8(f, pos + 1) & ~3u;
	}
	return 0;
}

void pci_irq_init(struct pci_func *f)
{
	struct vm *vm = f->phb->vm;
	uint32_t cap, pin = cfg8(f, PCI_INTERRUPT_PIN);
	unsigned int n;

	f->irq_type = PCI_IRQ_INTX;
	f->msi_num = 0;
	if ((cap = find_cap(f, PCI_CAP_ID_MSI)))
		f->msi_max = 1u << ((cfg16(f, cap + 2) >> 1) & 7); /* multiple message capable */
	if ((cap = find_cap(f, PCI_CAP_ID_MSIX)))
		f->msix_max = (cfg16(f, cap + 2) & 0x7ff) + 1;
	f->msi_max = MIN(MIN(f->msi_max, 32u), PCI_MSI_VECTORS_MAX);
	f->msix_max = MIN(f->msix_max, PCI_MSI_VECTORS_MAX);
	if (!f->ops->irq_route)
		pin = 0, f->msi_max = f->msix_max = 0;
	if (pin && !arch_irqfd_resample(vm)) {
		pr_info("pci %u: INTx not offered: KVM cannot re-arm a level interrupt at EOI on "
			"this host (XICS on XIVE); the device has MSI %u, MSI-X %u vectors",
			f->phb->index, f->msi_max, f->msix_max);
		pin = 0;
	}
	n = MAX(f->msi_max, f->msix_max);
	if (n && !(f->msi_base = irqchip_alloc_block(vm, n, false))) {
		pr_warn("pci %u: no XICS sources left for %u MSIs: the device gets INTx only",
			f->phb->index, n);
		f->msi_max = f->msix_max = 0;
	}
	if (pin >= 1 && pin <= 4) {
		f->lsi = irqchip_alloc_irq(vm, true);
		if (!f->lsi) {
			pr_warn("pci %u: no XICS source left for INTx", f->phb->index);
		} else if (f->ops->irq_route(f, PCI_IRQ_INTX, 1, &f->lsi)) {
			pr_warn("pci %u: INTx cannot be routed: the device gets MSIs only",
				f->phb->index);
			f->lsi = 0;
		} else {
			f->intx_pin = (uint8_t)pin;
		}
	}
	if (f->intx_pin)
		pr_info("pci %u: INT%c -> source %#x", f->phb->index, 'A' + f->intx_pin - 1, f->lsi);
	if (f->msi_max || f->msix_max)
		pr_info("pci %u: MSI %u, MSI-X %u vectors, sources from %#x", f->phb->index,
			f->msi_max, f->msix_max, f->msi_base);
}

/* Back to INTx: vectors off at the device, their sources masked again. */
static int msi_release(struct pci_func *f)
{
	struct vm *vm = f->phb->vm;
	int ret;

	if (!f->msi_num)
		return 0;
	ret = f->ops->irq_route(f, f->irq_type, 0, NULL);
	for (unsigned int i = 0; i < f->msi_num; i++)
		irqchip_source_reset(vm, f->msi_base + i);
	f->msi_num = 0;
	f->irq_type = PCI_IRQ_INTX;
	if (f->intx_pin && f->ops->irq_route(f, PCI_IRQ_INTX, 1, &f->lsi))
		ret = -1;
	return ret;
}

static int msi_enable(struct pci_func *f, enum pci_irq_type type, unsigned int n)
{
	uint32_t srcs[PCI_MSI_VECTORS_MAX];

	for (unsigned int i = 0; i < n; i++)
		srcs[i] = f->msi_base + i;
	/* INTx and MSI are exclusive at the device (VFIO refuses both at once) */
	if (f->intx_pin && f->ops->irq_route(f, PCI_IRQ_INTX, 0, NULL))
		return -1;
	if (f->ops->irq_route(f, type, n, srcs)) {
		if (f->intx_pin)
			f->ops->irq_route(f, PCI_IRQ_INTX, 1, &f->lsi);
		return -1;
	}
	f->irq_type = type;
	f->msi_num = n;
	return 0;
}

void pci_irq_exit(struct pci_func *f)
{
	if (f->msi_num)
		f->ops->irq_route(f, f->irq_type, 0, NULL);
	else if (f->intx_pin)
		f->ops->irq_route(f, PCI_IRQ_INTX, 0, NULL);
	f->msi_num = 0;
	f->intx_pin = 0;
}

/* RTAS arguments 0..2: config address, BUID high, BUID low */
static struct pci_func *rtas_func(struct vm *vm, const struct rtas_call *c)
{
	uint32_t off;
	struct pci_func *f =
		phb_cfg_func(vm, (uint64_t)c->args[1] << 32 | c->args[2], c->args[0], &off);

	return f && !off ? f : NULL;
}

/*
 * ibm,change-msi(config addr, BUID hi, BUID lo, function, vectors, sequence)
 *   -> status, vectors, sequence[, type]
 * Asking for more vectors than offered answers the number offered and changes nothing,
 * so the guest can ask again (as QEMU and PowerVM do).
 */
static void rtas_change_msi(struct vcpu *cpu, struct rtas_call *c)
{
	struct pci_func *f;
	enum pci_irq_type type;
	unsigned int fn, req, max;
	int status = RTAS_OK;

	if ((c->nret != 3 && c->nret != 4) || !(f = rtas_func(cpu->vm, c))) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	fn = c->args[3];
	req = c->args[4];
	switch (fn) {
	case MSI_FN_QUERY:
	case MSI_FN_RESET:
		type = f->irq_type;
		break;
	case MSI_FN_CHANGE:
		type = f->msi_max ? PCI_IRQ_MSI : PCI_IRQ_MSIX;
		break;
	case MSI_FN_MSI:
	case MSI_FN_MSI_32BIT:
		type = PCI_IRQ_MSI;
		break;
	case MSI_FN_MSIX:
	case MSI_FN_MSIX_32BIT:
		type = PCI_IRQ_MSIX;
		break;
	default:
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	pthread_mutex_lock(&f->phb->irq_lock);
	if (fn == MSI_FN_QUERY) {
		req = f->msi_num;
	} else if (fn == MSI_FN_RESET || !req) {
		if (msi_release(f))
			status = RTAS_HW_ERROR;
		req = 0;
		type = PCI_IRQ_INTX;
	} else {
		max = type == PCI_IRQ_MSI ? f->msi_max : f->msix_max;
		if (!max) {
			status = RTAS_HW_ERROR; /* the function has no such capability */
		} else if (req > max) {
			req = max; /* ask again with this many */
		} else if (type != f->irq_type || req != f->msi_num) {
			if (msi_release(f) || msi_enable(f, type, req)) {
				status = RTAS_HW_ERROR; /* msi_num is 0: INTx as before */
			} else {
				pr_info_guest("pci %u: %s, %u vectors -> sources %#x..%#x", f->phb->index,
					type == PCI_IRQ_MSI ? "MSI" : "MSI-X", req, f->msi_base,
					f->msi_base + req - 1);
			}
		}
	}
	pthread_mutex_unlock(&f->phb->irq_lock);
	c->rets[0] = (uint32_t)status;
	if (status)
		return;
	c->rets[1] = req;
	c->rets[2] = c->args[5] + 1;
	if (c->nret == 4)
		c->rets[3] = type == PCI_IRQ_MSIX ? RTAS_MSI_TYPE_MSIX :
			     type == PCI_IRQ_MSI  ? RTAS_MSI_TYPE_MSI :
						    0;
}

/*
 * ibm,query-interrupt-source-number(config addr, BUID hi, BUID lo, vector)
 *   -> status, source, 1 edge / 0 level. Without MSIs, vector 0 is the INTx line.
 */
static void rtas_query_interrupt_source_number(struct vcpu *cpu, struct rtas_call *c)
{
	struct pci_func *f;
	uint32_t n;

	if (!(f = rtas_func(cpu->vm, c))) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	n = c->args[3];
	pthread_mutex_lock(&f->phb->irq_lock);
	if (f->msi_num && n < f->msi_num) {
		c->rets[1] = f->msi_base + n;
		c->rets[2] = 1;
	} else if (!f->msi_num && f->intx_pin && n == 0) {
		c->rets[1] = f->lsi;
		c->rets[2] = 0;
	} else {
		pthread_mutex_unlock(&f->phb->irq_lock);
		rtas_status(c, RTAS_HW_ERROR);
		return;
	}
	pthread_mutex_unlock(&f->phb->irq_lock);
	c->rets[0] = RTAS_OK;
}

static const struct rtas_def pci_irq_rtas[] = {
	{ "ibm,change-msi", rtas_change_msi, 6, RTAS_ANY }, /* 3 or 4 returns */
	{ "ibm,query-interrupt-source-number", rtas_query_interrupt_source_number, 4, 3 },
};

int pci_irq_register_rtas(struct vm *vm)
{
	return rtas_register_table(&vm->rtas, pci_irq_rtas, ARRAY_SIZE(pci_irq_rtas));
}

/*
 * The PHB's interrupt-map: (devfn, pin) of its function -> (XICS, source, level), as
 * QEMU's pseries writes it; ibm,pe-total-#msi bounds what the PE may ask for.
 */
void pci_irq_fdt_phb(const struct phb *phb, struct fdtw *w)
{
	const struct pci_func *f = phb->func;
	uint32_t mask[4] = { cpu_to_be32(0xf800), 0, 0, cpu_to_be32(7) };
	uint32_t map[7];

	if (!f)
		return;
	if (f->msi_max || f->msix_max)
		fdtw_u32(w, "ibm,pe-total-#msi", MAX(f->msi_max, f->msix_max));
	if (!f->intx_pin)
		return;
	map[0] = cpu_to_be32((uint32_t)f->devfn << 8);
	map[1] = 0;
	map[2] = 0;
	map[3] = cpu_to_be32(f->intx_pin);
	map[4] = cpu_to_be32(XICS_PHANDLE);
	map[5] = cpu_to_be32(f->lsi);
	map[6] = cpu_to_be32(1); /* level */
	fdtw_prop(w, "interrupt-map-mask", mask, sizeof(mask));
	fdtw_prop(w, "interrupt-map", map, sizeof(map));
}

/* The function's pin and how many vectors of each kind it may ask for. */
void pci_irq_fdt_func(const struct pci_func *f, struct fdtw *w)
{
	if (f->intx_pin)
		fdtw_u32(w, "interrupts", f->intx_pin);
	if (f->msi_max)
		fdtw_u32(w, "ibm,req#msi", f->msi_max);
	if (f->msix_max)
		fdtw_u32(w, "ibm,req#msi-x", f->msix_max);
}
