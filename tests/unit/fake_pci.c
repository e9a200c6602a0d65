// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "fake_arch.h"
#include "fake_pci.h"
#include "rtas.h"
#include "vm.h"

static int cfg_read(struct pci_func *f, uint32_t off, unsigned int len, uint32_t *val)
{
	struct fake_pci *fp = f->priv;

	*val = 0;
	memcpy(val, fp->cfg + off, len); /* little-endian host in the tests that look */
	return 0;
}

static int cfg_write(struct pci_func *f, uint32_t off, unsigned int len, uint32_t val)
{
	struct fake_pci *fp = f->priv;

	memcpy(fp->cfg + off, &val, len);
	return 0;
}

static int bar_rw(struct pci_func *f, int bar, uint64_t off, unsigned int len, uint64_t *val,
		  bool is_write)
{
	(void)f;
	(void)len;
	if (!is_write)
		*val = (uint64_t)bar << 32 | off;
	return 0;
}

/* Like VFIO: one kind at a time; INTx must be off before MSIs go on, and back after. */
static int irq_route(struct pci_func *f, enum pci_irq_type type, unsigned int n,
		     const uint32_t *srcs)
{
	struct fake_pci *fp = f->priv;

	fp->routes++;
	if (fp->refuse_vectors && n && type != PCI_IRQ_INTX)
		return -5;
	if (n && (fp->intx || fp->vectors))
		return -22;
	if (type == PCI_IRQ_INTX) {
		fp->intx = n ? srcs[0] : 0;
		return 0;
	}
	if (!n && fp->vec_type != type)
		return fp->vectors ? -22 : 0;
	fp->vec_type = type;
	fp->vectors = n;
	for (unsigned int i = 0; i < n; i++)
		fp->vec_src[i] = srcs[i];
	return 0;
}

static const struct pci_func_ops fake_ops = { cfg_read, cfg_write, bar_rw, irq_route };

static int win_create(void *ctx, unsigned int page_shift, uint64_t size, uint64_t *bus)
{
	struct fake_pci *fp = ctx;
	unsigned int n;

	(void)page_shift;
	(void)size;
	if (fp->refuse_create) {
		fp->refuse_create = 0;
		return -22;
	}
	for (n = 0; n < PE_MAX_WINDOWS && fp->windows[n]; n++)
		;
	if (n == PE_MAX_WINDOWS)
		return -28;
	/* the host puts window 0 at 0, the next at 2^59 (POWER9/10) */
	*bus = n ? 1ULL << 59 : 0;
	fp->windows[n] = *bus | 1; /* | 1: live even at 0 */
	fp->creates++;
	return 0;
}

static int win_remove(void *ctx, uint64_t bus)
{
	struct fake_pci *fp = ctx;

	if (fp->refuse_remove) {
		fp->refuse_remove = 0;
		return -16;
	}
	for (unsigned int n = 0; n < PE_MAX_WINDOWS; n++)
		if (fp->windows[n] == (bus | 1)) {
			fp->windows[n] = 0;
			fp->removes++;
			return 0;
		}
	return -2;
}

/* Tier 0: the host takes KVM's table for the window it just made (or refuses once). */
static int win_link(void *ctx, int tablefd)
{
	struct fake_pci *fp = ctx;

	if (fp->refuse_link) {
		fp->refuse_link = 0;
		return -EINVAL;
	}
	fp->links += tablefd >= 0;
	return 0;
}

static const struct pe_dma_ops fake_dma_ops = { win_create, win_remove, win_link };

static int host_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	struct fake_pci *fp = ctx;

	(void)iova;
	(void)hva;
	(void)prot;
	fp->maps++;
	fp->mapped_bytes += len;
	return 0;
}

static int host_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	struct fake_pci *fp = ctx;

	if (fp->fail_default_unmaps && iova < 1ULL << 59)
		return -EIO;
	if (fp->fail_unmaps) {
		fp->fail_unmaps--;
		return -EIO;
	}
	fp->unmaps++;
	fp->mapped_bytes -= len;
	return 0;
}

struct fake_pci *fake_pci_add_sized(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page,
				    uint64_t default_size, uint64_t max_window_size)
{
	return fake_pci_add_host(vm, host_pgsizes, ram_page, default_size, max_window_size, NULL);
}

struct fake_pci *fake_pci_add_host(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page,
				   uint64_t default_size, uint64_t max_window_size,
				   const struct map_backend *host)
{
	struct fake_pci *fp = calloc(1, sizeof(*fp));

	if (!fp)
		return NULL;
	/* mmap, not calloc: ASan's quarantine of a freed MiB costs the fuzzers most of a run */
	fp->bar0 = mmap(NULL, SZ_1M, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (fp->bar0 == MAP_FAILED)
		abort();
	/* edu-like identity: 1234:11e8, class ff0000 rev 10 */
	memcpy(fp->cfg, "\x34\x12\xe8\x11", 4);
	fp->cfg[PCI_REVISION_CLASS] = 0x10;
	fp->cfg[PCI_REVISION_CLASS + 3] = 0xff;
	/* INTA; MSI (8 vectors) at 0x40, MSI-X (16) at 0x50 */
	fp->cfg[PCI_INTERRUPT_PIN] = 1;
	fp->cfg[PCI_INTERRUPT_LINE] = 0x1e; /* what the host's firmware left */
	fp->cfg[PCI_STATUS] = PCI_STATUS_CAP;
	fp->cfg[PCI_CAP_PTR] = 0x40;
	memcpy(fp->cfg + 0x40, "\x05\x50\x86\x00", 4); /* 64-bit, 8 vectors capable */
	memcpy(fp->cfg + 0x50, "\x11\x00\x0f\x00", 4);
	/* extended capabilities: AER (1, v1) at 0x100 -> DSN (3, v1) at 0x148 -> end */
	memcpy(fp->cfg + 0x100, "\x01\x00\x81\x14", 4);
	memcpy(fp->cfg + 0x148, "\x03\x00\x01\x00", 4);
	memcpy(fp->cfg + 0x14c, "\x78\x56\x34\x12\xef\xbe\xad\xde", 8);
	fp->func = (struct pci_func){ .ops = &fake_ops,
				      .priv = fp,
				      .cfg_size = PCI_CFG_EXP_SIZE,
				      .vendor = 0x1234,
				      .device = 0x11e8,
				      .class_rev = 0xff000010 };
	fp->func.bar[0] = (struct pci_bar){ .size = SZ_1M, .hva = fp->bar0 };
	fp->func.bar[2] = (struct pci_bar){ .size = 512ULL << 20, .mem64 = true, .prefetch = true };
	fp->phb = phb_create(vm, &fp->func);
	fp->be = host ? *host : (struct map_backend){ .map = host_map, .unmap = host_unmap, .ctx = fp };
	if (!fp->phb || map_engine_init(&fp->engine, "coalesce", &fp->be))
		abort();
	fp->pe = (struct pci_pe){
		.vm = vm,
		.phb_index = fp->phb->index,
		.ops = &fake_dma_ops,
		.ctx = fp,
		.engine = &fp->engine,
		.pgmask = ddw_pgmask(host_pgsizes, ram_page),
		.max_windows = PE_MAX_WINDOWS,
		.default_size = default_size,
		.max_window_size = max_window_size,
	};
	fp->phb->pe = &fp->pe;
	if (pe_dma_init(&fp->pe) || phb_place_bars(fp->phb))
		abort();
	return fp;
}

struct fake_pci *fake_pci_add(struct vm *vm, uint64_t host_pgsizes, uint64_t ram_page)
{
	return fake_pci_add_sized(vm, host_pgsizes, ram_page, DDW_DEFAULT_SIZE, 4ULL << 30);
}

void fake_pci_free(struct vm *vm, struct fake_pci *fp)
{
	pe_dma_destroy(&fp->pe);
	phb_destroy(fp->phb);
	map_engine_destroy(&fp->engine);
	munmap(fp->bar0, SZ_1M);
	free(fp);
}

struct fake_pci *fake_pci_vm(struct vm **vm, unsigned int cpus, uint64_t host_pgsizes,
			     uint64_t ram_page, uint32_t *buid_hi, uint32_t *buid_lo)
{
	struct fake_pci *fp;

	memset(&fake_arch, 0, sizeof(fake_arch));
	*vm = test_vm(64 << 20, cpus);
	fp = fake_pci_add(*vm, host_pgsizes, ram_page);
	if (!fp)
		abort();
	*buid_hi = (uint32_t)(fp->phb->buid >> 32);
	*buid_lo = (uint32_t)fp->phb->buid;
	return fp;
}

void fake_pci_vm_free(struct vm *vm, struct fake_pci *fp)
{
	fake_pci_free(vm, fp);
	test_vm_free(vm);
}

int32_t fake_rtas(struct vm *vm, const char *name, unsigned int nargs, const uint32_t *args,
		  unsigned int nret, uint32_t *rets)
{
	memset(rets, 0xee, nret * sizeof(*rets));
	if (!rtas_lookup_name(&vm->rtas, name))
		return RTAS_PARAM_ERROR;
	test_rtas_call(vm, 0, name, nargs, args, nret, rets);
	return (int32_t)rets[0];
}
