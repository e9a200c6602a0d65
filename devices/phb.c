// SPDX-License-Identifier: GPL-2.0-only
/*
 * sPAPR PCI host bridge, as QEMU's pseries machine presents it: a "IBM,Logical_PHB" node
 * per BUID, config space through RTAS (read-pci-config, ibm,read-pci-config and the write
 * twins), a 32-bit and a 64-bit MMIO window where psvm places the BARs itself (the guest
 * probes the device tree, PCI_PROBE_ONLY, as under PowerVM), and the DMA window
 * properties of its PE. BARs with a host mapping become KVM memslots while the guest has
 * memory decoding on; the others are trapped.
 */
#include <stdio.h>
#include <stdlib.h>

#include "arch.h"
#include "be.h"
#include "ddw.h"
#include "device.h"
#include "devtree.h"
#include "log.h"
#include "pci.h"
#include "tce.h"
#include "vm.h"

/* The VM's PHBs: a built-in device; each PHB is its PCI device's, linked in by phb_create. */
struct phb_list {
	struct phb *head;
	bool calls_registered; /* the PCI RTAS calls and TCE hcalls, with the first PHB */
};

static struct phb_list *phbs_of(struct vm *vm)
{
	return device_priv(vm, &phb_kind);
}

struct phb *phb_first(struct vm *vm)
{
	return phbs_of(vm)->head;
}

struct phb *phb_find(struct vm *vm, uint64_t buid)
{
	for (struct phb *p = phb_first(vm); p; p = p->next)
		if (p->buid == buid)
			return p;
	return NULL;
}

uint64_t phb_bar_gpa(const struct phb *phb, const struct pci_bar *b)
{
	if (b->addr >= PHB_MEM32_PCI && b->addr - PHB_MEM32_PCI < PHB_MEM32_SIZE)
		return PHB_MEM32_CPU(phb->index) + (b->addr - PHB_MEM32_PCI);
	return b->addr; /* the 64-bit window is 1:1 */
}

/* Is the whole BAR inside one of the PHB's windows (where the guest may put it)? */
static bool bar_in_window(const struct phb *phb, uint64_t addr, uint64_t size)
{
	return (addr >= PHB_MEM32_PCI &&
		range_within(addr - PHB_MEM32_PCI, size, PHB_MEM32_SIZE)) ||
	       (addr >= PHB_MEM64_CPU(phb->index) &&
		range_within(addr - PHB_MEM64_CPU(phb->index), size, PHB_MEM64_SIZE));
}

static int bar_trap(void *opaque, uint64_t off, unsigned int len, uint64_t *val, bool is_write);

/*
 * A BAR is an MMIO region psvm serves (all of one without a host mapping, the rest of one
 * KVM maps): it follows the BAR wherever the guest puts it inside the PHB's windows
 * (decode is checked at each access).
 */
static int bar_region_update(struct pci_func *f, int i)
{
	struct pci_bar *b = &f->bar[i];
	struct phb *phb = f->phb;
	uint64_t gpa = phb_bar_gpa(phb, b);
	bool in = b->size && bar_in_window(phb, b->addr, b->size);

	if (b->mmio_registered && (!in || b->mmio_gpa != gpa)) {
		mmio_unregister(phb->vm, &phb->bar_refs[i]);
		b->mmio_registered = false;
	}
	if (b->mmio_registered || !in)
		return 0;
	phb->bar_refs[i] = (struct pci_bar_ref){ f, i };
	if (mmio_register(phb->vm, gpa, b->size, bar_trap, &phb->bar_refs[i])) {
		pr_warn_guest("pci %x: BAR%d at %#llx overlaps another region: not reachable",
			      phb->index, i, (unsigned long long)gpa);
		return -1;
	}
	b->mmio_registered = true;
	b->mmio_gpa = gpa;
	return 0;
}

/* Map (or unmap) one BAR in the guest according to the memory-decode bit. */
static int bar_update(struct pci_func *f, int i)
{
	struct pci_bar *b = &f->bar[i];
	struct vm *vm = f->phb->vm;
	bool want = f->mem_enabled && b->size && bar_in_window(f->phb, b->addr, b->size);
	/* a mapped BAR too: KVM serves loads and stores, psvm what else reaches it (H_LOGICAL_CI) */
	int r = bar_region_update(f, i);

	if (!b->hva)
		return r;
	if (b->slot >= 0 && !want) {
		arch_map_ram(vm, &b->slot, 0, 0, NULL);
		b->slot = -1;
	} else if (b->slot < 0 && want) {
		if (arch_map_ram(vm, &b->slot, phb_bar_gpa(f->phb, b), b->size, b->hva)) {
			pr_warn("pci %x: cannot map BAR%d at %#llx", f->phb->index, i,
				(unsigned long long)phb_bar_gpa(f->phb, b));
			b->slot = -1;
			return -1;
		}
	}
	return 0;
}

static void bars_update(struct pci_func *f)
{
	for (int i = 0; i < PCI_NUM_BARS; i++)
		bar_update(f, i);
}

/* The BAR register (or upper half of a 64-bit one) at config offset off, 4-byte aligned. */
static uint32_t bar_reg_read(struct pci_func *f, int reg)
{
	struct pci_bar *b = &f->bar[reg];

	if (!b->size) {
		if (reg > 0 && f->bar[reg - 1].mem64 && f->bar[reg - 1].size)
			return (uint32_t)(f->bar[reg - 1].addr >> 32);
		return 0;
	}
	return (uint32_t)b->addr | (b->mem64 ? PCI_BAR_MEM64 : 0) |
	       (b->prefetch ? PCI_BAR_PREFETCH : 0);
}

static void bar_reg_write(struct pci_func *f, int reg, uint32_t val)
{
	struct pci_bar *b = &f->bar[reg];
	bool upper = !b->size && reg > 0 && f->bar[reg - 1].mem64 && f->bar[reg - 1].size;
	struct pci_bar *t = upper ? &f->bar[reg - 1] : b;
	int ti = upper ? reg - 1 : reg;
	uint64_t addr;

	if (!t->size)
		return; /* unimplemented: reads as 0, sizing included */
	if (upper)
		addr = (t->addr & 0xffffffffULL) | (uint64_t)val << 32;
	else
		addr = (t->addr & ~0xffffffffULL) | (val & ~0xfU);
	addr &= ~(t->size - 1); /* sizing writes read back as the size mask */
	if (!t->mem64)
		addr &= 0xffffffffULL;
	if (addr == t->addr)
		return;
	if (t->slot >= 0) {
		arch_map_ram(f->phb->vm, &t->slot, 0, 0, NULL);
		t->slot = -1;
	}
	t->addr = addr;
	bar_update(f, ti);
}

static bool cfg_access_ok(const struct pci_func *f, uint32_t off, unsigned int len)
{
	return (len == 1 || len == 2 || len == 4) && !(off % len) && off + len <= f->cfg_size;
}

static int cfg_read_locked(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val)
{
	uint32_t reg;

	if (!cfg_access_ok(f, off, len))
		return -1;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 4 * PCI_NUM_BARS) {
		reg = bar_reg_read(f, (int)(off - PCI_BAR0) / 4);
	} else if (off >= PCI_ROM_ADDRESS && off < PCI_ROM_ADDRESS + 4) {
		reg = 0; /* no expansion ROM: guests boot without firmware */
	} else if (!f->intx_pin && (off == PCI_INTERRUPT_LINE || off == PCI_INTERRUPT_PIN)) {
		/* no INTx offered: no pin, and no line (Linux would map a stale line number) */
		if (f->ops->cfg_read(f, PCI_INTERRUPT_LINE, 4, &reg))
			return -1;
		reg &= ~0xffffU;
	} else {
		return f->ops->cfg_read(f, off, len, val);
	}
	*val = (reg >> (8 * (off & 3))) & (len == 4 ? 0xffffffffU : (1U << (8 * len)) - 1);
	return 0;
}

static int cfg_write_locked(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val)
{
	if (!cfg_access_ok(f, off, len))
		return -1;
	if (off >= PCI_BAR0 && off < PCI_BAR0 + 4 * PCI_NUM_BARS) {
		if (len == 4) /* partial BAR writes ignored: guests write BARs whole */
			bar_reg_write(f, (int)(off - PCI_BAR0) / 4, val);
		return 0;
	}
	if (off >= PCI_ROM_ADDRESS && off < PCI_ROM_ADDRESS + 4)
		return 0;
	if (f->ops->cfg_write(f, off, len, val))
		return -1;
	if (off <= PCI_COMMAND && off + len > PCI_COMMAND) {
		bool mem = (val >> (8 * (PCI_COMMAND - off))) & PCI_COMMAND_MEMORY;

		if (mem != f->mem_enabled) {
			f->mem_enabled = mem;
			bars_update(f);
		}
	}
	return 0;
}

/* One config access at a time per PHB: BARs, decode and their memslots change together. */
int pci_cfg_read(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val)
{
	int r;

	pthread_mutex_lock(&f->phb->cfg_lock);
	r = cfg_read_locked(f, off, len, val);
	pthread_mutex_unlock(&f->phb->cfg_lock);
	return r;
}

int pci_cfg_write(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val)
{
	int r;

	pthread_mutex_lock(&f->phb->cfg_lock);
	r = cfg_write_locked(f, off, len, val);
	pthread_mutex_unlock(&f->phb->cfg_lock);
	return r;
}

/*
 * RTAS config address: bus 23:16, devfn 15:8, register 7:0 and 31:28 (extended).
 * Only bus 0 devfn 0 exists behind each PHB.
 */
struct pci_func *phb_cfg_func(struct vm *vm, uint64_t buid, uint32_t addr, uint32_t *off)
{
	struct phb *phb = phb_find(vm, buid);

	if (!phb || !phb->func || (addr >> 8 & 0xffff) != phb->func->devfn)
		return NULL;
	/* register bits 11:8 are the address's bits 31:28 (PAPR; QEMU, Linux alike) */
	*off = (addr & 0xff) | (addr >> 20 & 0xf00);
	return phb->func;
}

static void cfg_read_common(struct vm *vm, struct rtas_call *c, uint64_t buid, uint32_t addr,
			    uint32_t size)
{
	struct pci_func *f;
	uint32_t off, val = ~0U;

	f = phb_cfg_func(vm, buid, addr, &off);
	if (!f || pci_cfg_read(f, off, size, &val)) {
		c->rets[0] = (uint32_t)RTAS_HW_ERROR;
		c->rets[1] = ~0U;
		return;
	}
	c->rets[0] = RTAS_OK;
	c->rets[1] = val;
}

static void cfg_write_common(struct vm *vm, struct rtas_call *c, uint64_t buid, uint32_t addr,
			     uint32_t size, uint32_t val)
{
	struct pci_func *f;
	uint32_t off;

	f = phb_cfg_func(vm, buid, addr, &off);
	rtas_status(c, f && !pci_cfg_write(f, off, size, val) ? RTAS_OK : RTAS_HW_ERROR);
}

/* read-pci-config(addr, size): the first PHB */
static void rtas_read_pci_config(struct vcpu *cpu, struct rtas_call *c)
{
	if (!phb_first(cpu->vm)) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	cfg_read_common(cpu->vm, c, phb_first(cpu->vm)->buid, c->args[0], c->args[1]);
}

/* ibm,read-pci-config(addr, buid hi, buid lo, size) */
static void rtas_ibm_read_pci_config(struct vcpu *cpu, struct rtas_call *c)
{
	cfg_read_common(cpu->vm, c, (uint64_t)c->args[1] << 32 | c->args[2], c->args[0],
			c->args[3]);
}

/* write-pci-config(addr, size, val) */
static void rtas_write_pci_config(struct vcpu *cpu, struct rtas_call *c)
{
	if (!phb_first(cpu->vm)) {
		rtas_status(c, RTAS_PARAM_ERROR);
		return;
	}
	cfg_write_common(cpu->vm, c, phb_first(cpu->vm)->buid, c->args[0], c->args[1],
			 c->args[2]);
}

/* ibm,write-pci-config(addr, buid hi, buid lo, size, val) */
static void rtas_ibm_write_pci_config(struct vcpu *cpu, struct rtas_call *c)
{
	cfg_write_common(cpu->vm, c, (uint64_t)c->args[1] << 32 | c->args[2], c->args[0],
			 c->args[3], c->args[4]);
}

static const struct rtas_def pci_rtas[] = {
	{ "read-pci-config", rtas_read_pci_config, 2, 2 },
	{ "write-pci-config", rtas_write_pci_config, 3, 1 },
	{ "ibm,read-pci-config", rtas_ibm_read_pci_config, 4, 2 },
	{ "ibm,write-pci-config", rtas_ibm_write_pci_config, 5, 1 },
};

struct phb *phb_create(struct vm *vm, struct pci_func *f)
{
	struct phb_list *l = phbs_of(vm);
	struct phb *phb, **pp;
	unsigned int index = 0;

	for (pp = &l->head; *pp; pp = &(*pp)->next)
		index++;
	if (index == PHB_MAX) {
		pr_err("pci: at most %d PCI host bridges", PHB_MAX);
		return NULL;
	}
	if (!l->calls_registered) {
		if (rtas_register_table(&vm->rtas, pci_rtas, ARRAY_SIZE(pci_rtas)) ||
		    pci_irq_register_rtas(vm) || ddw_register_rtas(vm) || tce_register_hcalls(vm))
			return NULL;
		l->calls_registered = true;
	}
	phb = calloc(1, sizeof(*phb));
	if (!phb)
		return NULL;
	/* its MMIO windows: an access no BAR claims there is a master abort */
	if (mmio_register_bus(vm, PHB_MEM32_CPU(index), PHB_MEM32_SIZE, phb) ||
	    mmio_register_bus(vm, PHB_MEM64_CPU(index), PHB_MEM64_SIZE, phb)) {
		mmio_unregister(vm, phb);
		free(phb);
		return NULL;
	}
	phb->vm = vm;
	phb->index = index;
	phb->buid = PHB_BUID_BASE + index;
	phb->func = f;
	phb->mem32_next = PHB_MEM32_PCI;
	phb->mem64_next = PHB_MEM64_CPU(index);
	f->phb = phb;
	f->devfn = 0;
	for (int i = 0; i < PCI_NUM_BARS; i++)
		f->bar[i].slot = -1;
	pthread_mutex_init(&phb->irq_lock, NULL);
	pthread_mutex_init(&phb->cfg_lock, NULL);
	pci_irq_init(f);
	*pp = phb;
	return phb;
}

/* Biggest BARs first, each naturally aligned: no space lost between them. */
int phb_place_bars(struct phb *phb)
{
	struct pci_func *f = phb->func;
	int order[PCI_NUM_BARS], n = 0;

	for (int i = 0; i < PCI_NUM_BARS; i++)
		if (f->bar[i].size)
			order[n++] = i;
	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++)
			if (f->bar[order[b]].size > f->bar[order[a]].size) {
				int t = order[a];

				order[a] = order[b];
				order[b] = t;
			}
	for (int k = 0; k < n; k++) {
		struct pci_bar *b = &f->bar[order[k]];
		bool high = b->mem64 && b->size >= SZ_256M;
		uint64_t *next = high ? &phb->mem64_next : &phb->mem32_next;
		uint64_t end = high ? PHB_MEM64_CPU(phb->index) + PHB_MEM64_SIZE :
				      PHB_MEM32_PCI + PHB_MEM32_SIZE;
		uint64_t addr = ALIGN_UP(*next, b->size);

		if (addr + b->size > end || addr + b->size < addr) {
			pr_err("pci %x: BAR%d (%llu MiB) does not fit the PHB's window", phb->index,
			       order[k], (unsigned long long)(b->size >> 20));
			return -1;
		}
		b->addr = addr;
		*next = addr + b->size;
		if (bar_region_update(f, order[k]))
			return -1;
	}
	bars_update(f);
	return 0;
}

static int bar_trap(void *opaque, uint64_t off, unsigned int len, uint64_t *val, bool is_write)
{
	struct pci_bar_ref *r = opaque;
	struct pci_func *f = r->f;

	if (!f->mem_enabled || !f->ops->bar_rw) {
		if (!is_write)
			*val = ~0ULL; /* master abort */
		return 0;
	}
	return f->ops->bar_rw(f, r->bar, off, len, val, is_write);
}

void phb_destroy(struct phb *phb)
{
	struct pci_func *f = phb->func;
	struct phb **pp;

	for (pp = &phbs_of(phb->vm)->head; *pp && *pp != phb; pp = &(*pp)->next)
		;
	if (*pp)
		*pp = phb->next;
	if (f)
		pci_irq_exit(f);
	for (int i = 0; f && i < PCI_NUM_BARS; i++) {
		if (f->bar[i].slot >= 0)
			arch_map_ram(phb->vm, &f->bar[i].slot, 0, 0, NULL);
		if (f->bar[i].mmio_registered)
			mmio_unregister(phb->vm, &phb->bar_refs[i]);
	}
	mmio_unregister(phb->vm, phb);
	pthread_mutex_destroy(&phb->irq_lock);
	pthread_mutex_destroy(&phb->cfg_lock);
	free(phb);
}

static int phbs_create(struct vm *vm, const void *conf __unused)
{
	struct phb_list *l = calloc(1, sizeof(*l));

	if (!l)
		return -1;
	if (!device_add(vm, &phb_kind, l)) {
		free(l);
		return -1;
	}
	return 0;
}

/* PHBs belong to their PCI devices, destroyed before this (and unlinked by phb_destroy). */
static void phbs_destroy(struct device *dev)
{
	free(dev->priv);
}

static int phbs_fdt(struct device *dev, struct devtree *dt);

const struct device_kind phb_kind = {
	.name = "phb",
	.create = phbs_create,
	.fdt = phbs_fdt,
	.destroy = phbs_destroy,
};

/* PCI address cells: phys.hi space code, bus, devfn, register. */
#define OF_PCI_MEM32	0x02000000u
#define OF_PCI_MEM64	0x03000000u
#define OF_PCI_PREFETCH 0x40000000u

static void put_cells(uint32_t *c, uint32_t hi, uint64_t addr, uint64_t size)
{
	c[0] = cpu_to_be32(hi);
	c[1] = cpu_to_be32((uint32_t)(addr >> 32));
	c[2] = cpu_to_be32((uint32_t)addr);
	c[3] = cpu_to_be32((uint32_t)(size >> 32));
	c[4] = cpu_to_be32((uint32_t)size);
}

static void func_fdt(struct phb *phb, struct fdtw *w)
{
	struct pci_func *f = phb->func;
	uint32_t reg[5 * (1 + PCI_NUM_BARS)], assigned[5 * PCI_NUM_BARS];
	int nreg = 0, nassigned = 0;
	char name[32], loc[48];

	snprintf(name, sizeof(name), "pci%x,%x@%x", f->vendor, f->device, f->devfn >> 3);
	put_cells(reg, (uint32_t)f->devfn << 8, 0, 0);
	nreg++;
	for (int i = 0; i < PCI_NUM_BARS; i++) {
		const struct pci_bar *b = &f->bar[i];
		uint32_t hi = (uint32_t)f->devfn << 8 | (PCI_BAR0 + 4 * i) |
			      (b->mem64 ? OF_PCI_MEM64 : OF_PCI_MEM32) |
			      (b->prefetch ? OF_PCI_PREFETCH : 0);

		if (!b->size)
			continue;
		put_cells(reg + 5 * nreg++, hi, 0, b->size);
		put_cells(assigned + 5 * nassigned++, hi, b->addr, b->size);
	}
	snprintf(loc, sizeof(loc), "psvm-phb%u-slot0", phb->index);
	fdtw_node(w, name);
	fdtw_u32(w, "vendor-id", f->vendor);
	fdtw_u32(w, "device-id", f->device);
	fdtw_u32(w, "revision-id", f->class_rev & 0xff);
	fdtw_u32(w, "class-code", f->class_rev >> 8);
	if (f->subsys_vendor)
		fdtw_u32(w, "subsystem-vendor-id", f->subsys_vendor);
	if (f->subsys_id)
		fdtw_u32(w, "subsystem-id", f->subsys_id);
	fdtw_prop(w, "reg", reg, nreg * 5 * sizeof(uint32_t));
	fdtw_prop(w, "assigned-addresses", assigned, nassigned * 5 * sizeof(uint32_t));
	fdtw_u32(w, "ibm,pci-config-space-type", f->cfg_size > PCI_CFG_SIZE);
	fdtw_str(w, "ibm,loc-code", loc);
	pci_irq_fdt_func(f, w);
	fdtw_end(w);
}

/* The PHB's device-tree node and its function's. */
static int phb_fdt(struct phb *phb, struct fdtw *w)
{
	struct pci_pe *pe = phb->pe;
	uint64_t reg[2] = { cpu_to_be64(phb->buid), 0 };
	uint32_t ranges[2 * 7], win[5], applicable[3], ext[3];
	char name[32];

	snprintf(name, sizeof(name), "pci@%llx", (unsigned long long)phb->buid);
	/* PCI address (3 cells), CPU address (2), size (2) */
	ranges[0] = cpu_to_be32(OF_PCI_MEM32);
	ranges[1] = 0;
	ranges[2] = cpu_to_be32((uint32_t)PHB_MEM32_PCI);
	ranges[3] = cpu_to_be32((uint32_t)(PHB_MEM32_CPU(phb->index) >> 32));
	ranges[4] = cpu_to_be32((uint32_t)PHB_MEM32_CPU(phb->index));
	ranges[5] = 0;
	ranges[6] = cpu_to_be32((uint32_t)PHB_MEM32_SIZE);
	ranges[7] = cpu_to_be32(OF_PCI_MEM64);
	ranges[8] = cpu_to_be32((uint32_t)(PHB_MEM64_CPU(phb->index) >> 32));
	ranges[9] = cpu_to_be32((uint32_t)PHB_MEM64_CPU(phb->index));
	ranges[10] = ranges[8];
	ranges[11] = ranges[9];
	ranges[12] = cpu_to_be32((uint32_t)(PHB_MEM64_SIZE >> 32));
	ranges[13] = cpu_to_be32((uint32_t)PHB_MEM64_SIZE);
	fdtw_node(w, name);
	fdtw_str(w, "device_type", "pci");
	fdtw_str(w, "compatible", "IBM,Logical_PHB");
	fdtw_u32(w, "#address-cells", 3);
	fdtw_u32(w, "#size-cells", 2);
	fdtw_u32(w, "#interrupt-cells", 1);
	fdtw_prop(w, "reg", reg, sizeof(reg));
	fdtw_prop(w, "ranges", ranges, sizeof(ranges));
	fdtw_u32(w, "ibm,pci-config-space-type", 1);
	fdtw_u32(w, "ibm,#dma-address-cells", 2);
	fdtw_u32(w, "ibm,#dma-size-cells", 2);
	fdtw_prop(w, "bus-range", (uint32_t[]){ 0, cpu_to_be32(0xff) }, 2 * sizeof(uint32_t));
	pci_irq_fdt_phb(phb, w);
	if (pe && pe->win[0]) {
		/* ibm,dma-window: LIOBN, bus address (2 cells), size (2 cells) */
		win[0] = cpu_to_be32(pe->win[0]->liobn);
		win[1] = cpu_to_be32((uint32_t)(pe->win[0]->bus_offset >> 32));
		win[2] = cpu_to_be32((uint32_t)pe->win[0]->bus_offset);
		win[3] = cpu_to_be32((uint32_t)(pe->win[0]->size >> 32));
		win[4] = cpu_to_be32((uint32_t)pe->win[0]->size);
		fdtw_prop(w, "ibm,dma-window", win, sizeof(win));
	}
	if (pe && pe->pgmask && pe->max_windows > 1) {
		const struct rtas_entry *q, *cr, *rm, *rs;

		q = rtas_lookup_name(&phb->vm->rtas, "ibm,query-pe-dma-window");
		cr = rtas_lookup_name(&phb->vm->rtas, "ibm,create-pe-dma-window");
		rm = rtas_lookup_name(&phb->vm->rtas, "ibm,remove-pe-dma-window");
		rs = rtas_lookup_name(&phb->vm->rtas, "ibm,reset-pe-dma-window");
		if (!q || !cr || !rm || !rs)
			return -1;
		applicable[0] = cpu_to_be32(q->token);
		applicable[1] = cpu_to_be32(cr->token);
		applicable[2] = cpu_to_be32(rm->token);
		/* extensions: count, reset token, query returns 6 words (64-bit block size) */
		ext[0] = cpu_to_be32(2);
		ext[1] = cpu_to_be32(rs->token);
		ext[2] = cpu_to_be32(1);
		fdtw_prop(w, "ibm,ddw-applicable", applicable, sizeof(applicable));
		fdtw_prop(w, "ibm,ddw-extensions", ext, sizeof(ext));
	}
	if (phb->func)
		func_fdt(phb, w);
	fdtw_end(w);
	return 0;
}

/* Every PHB, whoever made it (a passed-through device makes one each). */
static int phbs_fdt(struct device *dev, struct devtree *dt)
{
	/* ibm,change-msi takes MSI-X (functions 3 and 4) too, as QEMU's /rtas says */
	if (dt->at == DEVTREE_RTAS && phb_first(dev->vm))
		fdtw_empty(&dt->w, "ibm,change-msix-capable");
	if (dt->at != DEVTREE_ROOT)
		return 0;
	for (struct phb *p = phb_first(dev->vm); p; p = p->next)
		if (phb_fdt(p, &dt->w))
			return -1;
	return 0;
}
