// SPDX-License-Identifier: GPL-2.0-only
/* The sPAPR PHB and DDW RTAS calls against a fake function and a recording host IOMMU. */
#include <libfdt.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "devtree.h"
#include "fake_arch.h"
#include "fake_pci.h"
#include "hcall.h"
#include "mmio.h"
#include "rtas.h"
#include "tce.h"
#include "unit.h"
#include "vfio_dev.h"
#include "vm.h"

#define PGS_4K_64K_2M ((1ULL << 12) | (1ULL << 16) | (1ULL << 21))

static struct vm *vm;
static struct fake_pci *fp;
static uint32_t bhi, blo;

static void setup(void)
{
	fp = fake_pci_vm(&vm, 1, PGS_4K_64K_2M, SZ_2M, &bhi, &blo);
}

static void teardown(void)
{
	fake_pci_vm_free(vm, fp);
}

static int32_t call(const char *name, unsigned int nargs, const uint32_t *args, unsigned int nret,
		    uint32_t *rets)
{
	return fake_rtas(vm, name, nargs, args, nret, rets);
}

static int32_t cfg_read(uint32_t addr, uint32_t size, uint32_t *val)
{
	uint32_t r[2], a[4] = { addr, bhi, blo, size };
	int32_t s = call("ibm,read-pci-config", 4, a, 2, r);

	*val = r[1];
	return s;
}

static int32_t cfg_write(uint32_t addr, uint32_t size, uint32_t val)
{
	uint32_t r[1], a[5] = { addr, bhi, blo, size, val };

	return call("ibm,write-pci-config", 5, a, 1, r);
}

Test(pci, config_space_through_rtas, .init = setup, .fini = teardown)
{
	uint32_t v, r[2], a[2] = { 0, 4 };

	cr_assert_eq(cfg_read(0, 4, &v), 0);
	cr_assert_eq(v, 0x11e81234u);
	cr_assert_eq(cfg_read(2, 2, &v), 0);
	cr_assert_eq(v, 0x11e8u);
	cr_assert_eq(call("read-pci-config", 2, a, 2, r), 0, "the old call reaches PHB 0");
	cr_assert_eq(r[1], 0x11e81234u);
	cr_assert_eq(cfg_read(1, 2, &v), RTAS_HW_ERROR, "misaligned");
	cr_assert_eq(v, 0xffffffffu);
	cr_assert_eq(cfg_read(0, 3, &v), RTAS_HW_ERROR, "size 3");
	cr_assert_eq(cfg_read(0x100, 4, &v), RTAS_HW_ERROR, "past 256 bytes of config space");
	cr_assert_eq(cfg_read(1 << 8, 4, &v), RTAS_HW_ERROR, "devfn 1: nothing there");
	cr_assert_eq(cfg_read(1 << 16, 4, &v), RTAS_HW_ERROR, "bus 1: nothing there");
	blo++;
	cr_assert_eq(cfg_read(0, 4, &v), RTAS_HW_ERROR, "unknown BUID");
	blo--;
	cr_assert_eq(cfg_write(0x40, 4, 0xa5a5a5a5), 0);
	cr_assert_eq(ld_le32(fp->cfg + 0x40), 0xa5a5a5a5u, "other registers reach the device");
	cr_assert_eq(cfg_write(0x42, 4, 1), RTAS_HW_ERROR);
}

/* A trapped BAR the guest moves is served where it now is, and nowhere else. */
Test(pci, trapped_bar_follows_a_move, .init = setup, .fini = teardown)
{
	uint64_t val = 0, to = PHB_MEM64_CPU(0) + (4ULL << 30);

	cr_assert_eq(cfg_write(4, 2, PCI_COMMAND_MEMORY), 0);
	cr_assert_eq(cfg_write(0x1c, 4, (uint32_t)(to >> 32)), 0);
	cr_assert_eq(cfg_write(0x18, 4, (uint32_t)to), 0);
	cr_assert_eq(fp->func.bar[2].addr, to);
	cr_assert_eq(mmio_access(vm, to + 0x10, 4, &val, false), 0, "served at the new address");
	cr_assert_eq(val, (2ULL << 32) | 0x10);
	cr_assert_eq(mmio_access(vm, PHB_MEM64_CPU(0) + 0x10, 4, &val, false), -1,
		     "nothing left at the old one");
	/* still the PHB's window: a master abort there, a machine check outside */
	cr_assert(mmio_in_bus(vm, PHB_MEM64_CPU(0) + 0x10));
	cr_assert(mmio_in_bus(vm, PHB_MEM32_CPU(0) + PHB_MEM32_SIZE - 1));
	cr_assert_not(mmio_in_bus(vm, PHB_MEM32_CPU(0) + PHB_MEM32_SIZE));
	cr_assert_not(mmio_in_bus(vm, 1ULL << 44));
	/* out of the PHB's windows: not served at all */
	cr_assert_eq(cfg_write(0x1c, 4, 0x1000), 0);
	cr_assert_eq(mmio_access(vm, to + 0x10, 4, &val, false), -1);
}

struct cfg_hammer {
	unsigned int seed;
};

/* Decode on and off, BAR0 moved about: config calls from several vCPUs at once. */
static void *cfg_hammer(void *arg)
{
	struct cfg_hammer *h = arg;

	for (unsigned int i = 0; i < 3000; i++) {
		uint32_t a[5] = { i % 3 ? 4 : 0x10, bhi, blo, i % 3 ? 2 : 4,
				  i % 3 ? (i + h->seed) % 2 * PCI_COMMAND_MEMORY :
					  0x80000000u + ((i + h->seed) % 16) * 0x100000u };
		uint32_t r[1];

		test_rtas_call(vm, h->seed, "ibm,write-pci-config", 5, a, 1, r);
	}
	return NULL;
}

Test(pci, config_calls_from_several_vcpus_keep_memslots_right)
{
	pthread_t t[4];
	struct cfg_hammer h[4];
	unsigned int mapped;

	fp = fake_pci_vm(&vm, 4, PGS_4K_64K_2M, SZ_2M, &bhi, &blo);
	for (unsigned int i = 0; i < 4; i++) {
		h[i].seed = i;
		pthread_create(&t[i], NULL, cfg_hammer, &h[i]);
	}
	for (unsigned int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	/* whatever the interleaving: BAR0 mapped exactly when decode is on, where it is */
	mapped = __builtin_popcount(fake_arch.slots);
	if (fp->func.mem_enabled) {
		cr_assert_eq(mapped, 1u, "one memslot for BAR0");
		cr_assert_eq(fake_arch.slot_gpa[__builtin_ctz(fake_arch.slots)],
			     PHB_MEM32_CPU(0) + (fp->func.bar[0].addr - PHB_MEM32_PCI));
	} else {
		cr_assert_eq(mapped, 0u, "decode off: nothing mapped");
	}
	fake_pci_vm_free(vm, fp);
}

/*
 * Extended config space (0x100-0xfff): PAPR puts register bits 11:8 in bits 31:28 of the
 * config address (as Linux's rtas_config_addr and QEMU's rtas_pci_cfgaddr do).
 */
Test(pci, extended_config_space, .init = setup, .fini = teardown)
{
	uint32_t v;

	cr_assert_eq(cfg_read(0x10000000, 4, &v), 0);
	cr_assert_eq(v, 0x14810001u, "AER's header at 0x100");
	cr_assert_eq(cfg_read(0x10000048, 4, &v), 0);
	cr_assert_eq(v, 0x00010003u, "DSN's at 0x148, from AER's next pointer");
	cr_assert_eq(cfg_read(0x1000004c, 4, &v), 0);
	cr_assert_eq(v, 0x12345678u);
	cr_assert_eq(cfg_write(0x10000004, 4, 0xffffffff), 0, "AER's status at 0x104");
	cr_assert_eq(fp->cfg[0x104], 0xff, "the write reached 0x104");
	cr_assert_eq(fp->cfg[4], 0, "and not PCI_COMMAND");
	cr_assert_eq(cfg_read(0xf00000fc, 4, &v), 0, "the last register of 4 KiB");
	cr_assert_eq(cfg_read(0x0f000000, 4, &v), 0);
	cr_assert_eq(v, 0x11e81234u, "bits 27:24 are reserved (ignored): register 0");
}

Test(pci, bars_emulated_and_mapped_with_memory_decode, .init = setup, .fini = teardown)
{
	struct pci_bar *b0 = &fp->func.bar[0], *b2 = &fp->func.bar[2];
	uint32_t v, hi;

	cr_assert_eq(b2->addr, PHB_MEM64_CPU(0),
		     "the 512 MiB 64-bit BAR goes to the 64-bit window");
	cr_assert_eq(b0->addr, PHB_MEM32_PCI, "the 1 MiB BAR at the start of the 32-bit window");
	cr_assert_eq(cfg_read(0x10, 4, &v), 0);
	cr_assert_eq(v, (uint32_t)PHB_MEM32_PCI);
	cr_assert_eq(cfg_read(0x18, 4, &v), 0);
	cr_assert_eq(cfg_read(0x1c, 4, &hi), 0);
	cr_assert_eq(((uint64_t)hi << 32 | (v & ~0xfU)), PHB_MEM64_CPU(0));
	cr_assert_eq(v & 0xf, PCI_BAR_MEM64 | PCI_BAR_PREFETCH);
	cr_assert_eq(cfg_read(0x14, 4, &v), 0);
	cr_assert_eq(v, 0u, "BAR1 does not exist");
	cr_assert_eq(fake_arch.slots, 0u, "memory decode off: nothing mapped");

	cr_assert_eq(cfg_write(4, 2, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER), 0);
	cr_assert_eq(fake_arch.slots, 1u << 1, "BAR0 mapped as a memslot");
	cr_assert_eq(fake_arch.slot_gpa[1], PHB_MEM32_CPU(0));
	cr_assert_eq(fake_arch.slot_size[1], SZ_1M);
	cr_assert_eq(fp->cfg[4], 6, "command reaches the device");

	/* sizing, then a move */
	cr_assert_eq(cfg_write(0x10, 4, 0xffffffff), 0);
	cr_assert_eq(cfg_read(0x10, 4, &v), 0);
	cr_assert_eq(v, 0xfff00000u, "size mask");
	cr_assert_eq(fake_arch.slot_gpa[1], PHB_MEM32_CPU(0) + 0x7ff00000,
		     "decoding at the sizing address, as real hardware (guests turn decode off)");
	cr_assert_eq(cfg_write(0x10, 4, 0x80400000), 0);
	cr_assert_eq(fake_arch.slots, 1u << 1);
	cr_assert_eq(fake_arch.slot_gpa[1], PHB_MEM32_CPU(0) + 0x400000, "moved");
	cr_assert_eq(cfg_write(0x10, 2, 0), 0, "a 2-byte BAR write is ignored");
	cr_assert_eq(b0->addr, 0x80400000u);

	/* ROM: none */
	cr_assert_eq(cfg_write(0x30, 4, 0xfffff800), 0);
	cr_assert_eq(cfg_read(0x30, 4, &v), 0);
	cr_assert_eq(v, 0u);

	/* trapped BAR: decodes only while memory is on */
	{
		uint64_t val = 0;

		cr_assert_eq(mmio_access(vm, PHB_MEM64_CPU(0) + 0x10, 4, &val, false), 0);
		cr_assert_eq(val, (2ULL << 32) | 0x10, "reaches the function's BAR2 handler");
		cr_assert_eq(cfg_write(4, 2, 0), 0);
		cr_assert_eq(fake_arch.slots, 0u, "memory off: BAR0 unmapped");
		cr_assert_eq(mmio_access(vm, PHB_MEM64_CPU(0) + 0x10, 4, &val, false), 0);
		cr_assert_eq(val, ~0ULL, "master abort");
	}

	/* a mapped BAR: KVM serves loads and stores, psvm H_LOGICAL_CI_* (QEMU serves both) */
	{
		uint64_t a[9] = { 4, PHB_MEM32_CPU(0) + 0x400020 };

		cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, a), H_SUCCESS);
		cr_assert_eq(a[0], 0xffffffffu, "memory off: master abort");
		cr_assert_eq(cfg_write(4, 2, PCI_COMMAND_MEMORY), 0);
		a[0] = 4;
		a[1] = PHB_MEM32_CPU(0) + 0x400020;
		cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_LOGICAL_CI_LOAD, a), H_SUCCESS);
		cr_assert_eq(a[0], 0x20000000u, "BAR0's handler at 0x20, the bytes big-endian");
	}
}

Test(pci, device_tree_nodes, .init = setup, .fini = teardown)
{
	void *fdt = malloc(FDT_MAX_SIZE);
	const uint32_t *p;
	int node, child, len;

	cr_assert_eq(devtree_build(vm, fdt, FDT_MAX_SIZE), 0); /* the PHB's node with it */
	node = fdt_path_offset(fdt, "/pci@800000020000000");
	cr_assert_geq(node, 0);
	cr_assert_str_eq(fdt_getprop(fdt, node, "compatible", NULL), "IBM,Logical_PHB");
	p = fdt_getprop(fdt, node, "ibm,dma-window", &len);
	cr_assert_eq(len, 20);
	cr_assert_eq(be32_to_cpu(p[0]), LIOBN(0, 0));
	cr_assert_eq(be32_to_cpu(p[4]), 0x40000000u, "1 GiB");
	p = fdt_getprop(fdt, node, "ibm,ddw-applicable", &len);
	cr_assert_eq(len, 12);
	cr_assert_eq(be32_to_cpu(p[0]),
		     rtas_lookup_name(&vm->rtas, "ibm,query-pe-dma-window")->token);
	p = fdt_getprop(fdt, node, "ibm,ddw-extensions", &len);
	cr_assert_eq(len, 12);
	cr_assert_eq(be32_to_cpu(p[0]), 2u);
	cr_assert_eq(be32_to_cpu(p[1]),
		     rtas_lookup_name(&vm->rtas, "ibm,reset-pe-dma-window")->token);
	child = fdt_subnode_offset(fdt, node, "pci1234,11e8@0");
	cr_assert_geq(child, 0);
	p = fdt_getprop(fdt, child, "assigned-addresses", &len);
	cr_assert_eq(len, 40, "two BARs");
	cr_assert_eq(be32_to_cpu(p[0]), 0x02000010u, "BAR0: 32-bit memory, register 0x10");
	cr_assert_eq(be32_to_cpu(p[2]), (uint32_t)PHB_MEM32_PCI);
	cr_assert_eq(be32_to_cpu(p[5]), 0x43000018u, "BAR2: 64-bit prefetchable, register 0x18");
	cr_assert_eq(be32_to_cpu(*(const uint32_t *)fdt_getprop(fdt, child, "class-code", NULL)),
		     0xff0000u);
	free(fdt);
}

static int32_t query(uint32_t nret, uint32_t *r)
{
	uint32_t a[3] = { 0, bhi, blo };

	return call("ibm,query-pe-dma-window", 3, a, nret, r);
}

static int32_t create(uint32_t shift, uint32_t wshift, uint32_t *r)
{
	uint32_t a[5] = { 0, bhi, blo, shift, wshift };

	return call("ibm,create-pe-dma-window", 5, a, 4, r);
}

static int32_t remove_win(uint32_t liobn)
{
	uint32_t r[1], a[1] = { liobn };

	return call("ibm,remove-pe-dma-window", 1, a, 1, r);
}

static long put_tce(uint32_t liobn, uint64_t ioba, uint64_t tce)
{
	uint64_t a[9] = { liobn, ioba, tce };

	return hcall_dispatch(&vm->vcpus[0], H_PUT_TCE, a);
}

Test(ddw, query_create_use_remove, .init = setup, .fini = teardown)
{
	uint32_t r[6];
	uint64_t bus;

	cr_assert_eq(fp->creates, 1u, "the default window exists on the host");
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(r[1], 1u, "one window free");
	cr_assert_eq(r[2], (uint32_t)((4ULL << 30) >> 12), "largest block, in 4K pages");
	cr_assert_eq(r[3], DDW_PGSIZE_4K | DDW_PGSIZE_64K | DDW_PGSIZE_2M);
	cr_assert_eq(query(6, r), 0);
	cr_assert_eq(r[2], 0u);
	cr_assert_eq(r[3], (uint32_t)((4ULL << 30) >> 12), "64-bit block count in two words");
	cr_assert_eq(r[4], DDW_PGSIZE_4K | DDW_PGSIZE_64K | DDW_PGSIZE_2M);

	cr_assert_eq(create(16, 30, r), 0);
	bus = (uint64_t)r[2] << 32 | r[3];
	cr_assert_eq(r[1], LIOBN(0, 1));
	cr_assert_eq(bus, 1ULL << 59, "where the host put it");
	cr_assert_eq(fp->creates, 2u);
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(r[1], 0u, "no window left");
	cr_assert_eq(create(16, 24, r), RTAS_HW_ERROR, "a second DDW");

	cr_assert_eq(put_tce(LIOBN(0, 1), bus + 0x30000, 0x100000 | 3), H_SUCCESS);
	cr_assert_eq(put_tce(LIOBN(0, 1), bus + 0x30000, 0x108000 | 3), H_PARAMETER,
		     "a 64K TCE must be 64K aligned");
	cr_assert_eq(fp->mapped_bytes, SZ_64K);
	cr_assert_eq(remove_win(LIOBN(0, 1)), 0);
	cr_assert_eq(fp->mapped_bytes, 0u, "removing the window unmaps");
	cr_assert_eq(fp->removes, 1u, "and removes the host window");
	cr_assert_eq(put_tce(LIOBN(0, 1), bus, 0x100000 | 3), H_PARAMETER, "LIOBN gone");
	cr_assert_eq(remove_win(LIOBN(0, 1)), RTAS_PARAM_ERROR, "twice");
	cr_assert_eq(create(21, 28, r), 0, "a 2M-page window in its place");
	cr_assert_eq(fp->creates, 3u);
}

Test(ddw, bad_requests_touch_nothing, .init = setup, .fini = teardown)
{
	uint32_t r[6], a[3] = { 0, bhi, blo };

	cr_assert_eq(create(13, 28, r), RTAS_PARAM_ERROR, "8K pages");
	cr_assert_eq(create(24, 28, r), RTAS_PARAM_ERROR, "16M pages: RAM is in 2M pages");
	cr_assert_eq(create(16, 15, r), RTAS_PARAM_ERROR, "window smaller than a page");
	cr_assert_eq(create(12, 33, r), RTAS_PARAM_ERROR, "8 GiB: more than the PE allows");
	cr_assert_eq(create(12, 200, r), RTAS_PARAM_ERROR, "shift out of range");
	cr_assert_eq(remove_win(0x1234), RTAS_PARAM_ERROR);
	cr_assert_eq(call("ibm,query-pe-dma-window", 3, a, 3, r), RTAS_PARAM_ERROR, "nret 3");
	a[0] = 1 << 11;
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(call("ibm,query-pe-dma-window", 3, a, 5, r), RTAS_PARAM_ERROR, "devfn 8");
	cr_assert_eq(fp->creates, 1u, "no host window made");
	fp->refuse_create = 1;
	cr_assert_eq(create(12, 28, r), RTAS_HW_ERROR, "the host refuses");
	cr_assert_null(tce_window_find(vm, LIOBN(0, 1)), "and no guest window appears");
}

Test(ddw, reset_restores_the_boot_state, .init = setup, .fini = teardown)
{
	uint32_t r[6], a[3] = { 0, bhi, blo };
	uint64_t tce[9] = { LIOBN(0, 0), 0x1000 };

	cr_assert_eq(create(16, 28, r), 0);
	cr_assert_eq(put_tce(LIOBN(0, 0), 0x1000, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(put_tce(LIOBN(0, 1), 1ULL << 59, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), 0);
	cr_assert_eq(fp->mapped_bytes, 0u);
	cr_assert_null(tce_window_find(vm, LIOBN(0, 1)), "DDW gone");
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0u, "default window empty");
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(r[1], 1u);
}

/*
 * As under QEMU, the default window can go (Linux removes it before VFIO takes the device):
 * its host window goes, the next window takes its LIOBN, and reset brings it back.
 */
Test(ddw, the_default_window_can_go_and_reset_brings_it_back, .init = setup, .fini = teardown)
{
	uint32_t r[6], a[3] = { 0, bhi, blo };
	uint64_t tce[9] = { LIOBN(0, 0), 0x1000 };
	struct tce_window *w;

	cr_assert_eq(put_tce(LIOBN(0, 0), 0x1000, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(remove_win(LIOBN(0, 0)), 0);
	cr_assert_eq(fp->mapped_bytes, 0u, "its mappings went first");
	cr_assert_eq(fp->removes, 1u, "then its host window");
	cr_assert_null(tce_window_find(vm, LIOBN(0, 0)));
	cr_assert_eq(put_tce(LIOBN(0, 0), 0x1000, 0x200000 | 3), H_PARAMETER, "LIOBN gone");
	cr_assert_eq(remove_win(LIOBN(0, 0)), RTAS_PARAM_ERROR, "twice");
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(r[1], 2u, "both windows free");

	/* the host's first free window is at 0: a 64K-page DDW there, then one at 2^59 */
	cr_assert_eq(create(16, 28, r), 0);
	cr_assert_eq(r[1], LIOBN(0, 0), "the first free LIOBN");
	cr_assert_eq((uint64_t)r[2] << 32 | r[3], 0u, "where the host put it");
	cr_assert_eq(create(21, 30, r), 0);
	cr_assert_eq(r[1], LIOBN(0, 1));
	cr_assert_eq((uint64_t)r[2] << 32 | r[3], 1ULL << 59);
	cr_assert_eq(create(16, 24, r), RTAS_HW_ERROR, "no third");
	cr_assert_eq(put_tce(LIOBN(0, 0), 0x10000, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(fp->mapped_bytes, SZ_64K);

	/* reset: both DDWs go, the default window is made again, empty */
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), 0);
	cr_assert_eq(fp->mapped_bytes, 0u);
	cr_assert_eq(fp->removes, 3u, "both DDWs' host windows went");
	cr_assert_null(tce_window_find(vm, LIOBN(0, 1)));
	w = tce_window_find(vm, LIOBN(0, 0));
	cr_assert_not_null(w);
	cr_assert_eq(w->bus_offset, 0u);
	cr_assert_eq(w->page_shift, 12u, "4K TCEs again");
	cr_assert_eq(w->size, DDW_DEFAULT_SIZE);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0u, "empty");
	cr_assert_eq(query(5, r), 0);
	cr_assert_eq(r[1], 1u, "one window free, as at boot");

	/* removed and reset at once: the default window comes back too */
	cr_assert_eq(remove_win(LIOBN(0, 0)), 0);
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), 0);
	cr_assert_not_null(tce_window_find(vm, LIOBN(0, 0)));
	cr_assert_eq(put_tce(LIOBN(0, 0), 0x1000, 0x200000 | 3), H_SUCCESS);
}

/* A host that will not unmap: remove and reset fail, and the windows stay as they map. */
Test(ddw, refused_unmaps_fail_remove_and_reset_and_keep_the_tables, .init = setup,
     .fini = teardown)
{
	uint32_t r[6], a[3] = { 0, bhi, blo };
	uint64_t tce[9] = { LIOBN(0, 1), 1ULL << 59 }, mapped;

	cr_assert_eq(create(16, 28, r), 0);
	cr_assert_eq(put_tce(LIOBN(0, 0), 0x1000, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(put_tce(LIOBN(0, 1), 1ULL << 59, 0x200000 | 3), H_SUCCESS);
	mapped = fp->mapped_bytes;
	fp->fail_unmaps = 1;
	cr_assert_eq(remove_win(LIOBN(0, 1)), RTAS_HW_ERROR);
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0x200000u | 3, "the DDW stays, its TCE too");
	tce[0] = LIOBN(0, 1);
	fp->fail_default_unmaps = true; /* the DDW would clear, the default window not */
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), RTAS_HW_ERROR);
	fp->fail_default_unmaps = false;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0x200000u | 3, "the default window's refusal leaves the DDW be");
	cr_assert_eq(fp->mapped_bytes, mapped, "nothing unmapped, nothing said unmapped");
	cr_assert_eq(remove_win(LIOBN(0, 1)), 0);
	fp->fail_unmaps = 1; /* now the default window's clear */
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), RTAS_HW_ERROR);
	tce[0] = LIOBN(0, 0);
	tce[1] = 0x1000;
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0x200000u | 3, "the default window keeps what the host kept");
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), 0);
	cr_assert_eq(fp->mapped_bytes, 0u);
}

/* A host window that will not go: the guest's stays too, empty as the host's is. */
Test(ddw, a_host_window_that_stays_keeps_the_guests, .init = setup, .fini = teardown)
{
	uint32_t r[6];
	uint64_t tce[9] = { LIOBN(0, 1), 1ULL << 59 };

	cr_assert_eq(create(16, 28, r), 0);
	cr_assert_eq(put_tce(LIOBN(0, 1), 1ULL << 59, 0x200000 | 3), H_SUCCESS);
	fp->refuse_remove = 1;
	cr_assert_eq(remove_win(LIOBN(0, 1)), RTAS_HW_ERROR);
	cr_assert_not_null(tce_window_find(vm, LIOBN(0, 1)), "the guest's window is there");
	cr_assert_eq(hcall_dispatch(&vm->vcpus[0], H_GET_TCE, tce), H_SUCCESS);
	cr_assert_eq(tce[0], 0u, "and empty, as the host's");
	cr_assert_eq(fp->mapped_bytes, 0u);
	cr_assert_eq(remove_win(LIOBN(0, 1)), 0, "removed when the host lets it go");
	cr_assert_null(tce_window_find(vm, LIOBN(0, 1)));
	cr_assert_eq(create(16, 28, r), 0, "and a DDW can be made again");
}

/* Tier 0: every window the PE opens gets a KVM table linked to the host's. */
Test(ddw, in_kernel_windows_follow_the_guests, .init = setup, .fini = teardown)
{
	uint32_t r[6], a[3] = { 0, bhi, blo };
	struct tce_window *w;

	/* the fixture's default window predates tier 0: reset brings it back in KVM */
	fake_arch.tce_offered = true;
	fp->pe.in_kernel = true;
	cr_assert_eq(call("ibm,reset-pe-dma-window", 3, a, 1, r), 0);
	w = tce_window_find(vm, LIOBN(0, 0));
	cr_assert_not_null(w);
	cr_assert_geq(w->kvm_fd, 0, "default window in KVM after reset");
	cr_assert_eq(fp->links, 1u);
	cr_assert_eq(create(16, 28, r), 0);
	w = tce_window_find(vm, LIOBN(0, 1));
	cr_assert_geq(w->kvm_fd, 0, "the DDW too");
	cr_assert_eq(fp->links, 2u);
	cr_assert_eq(fake_arch.tce_tables, 2);
	cr_assert_eq(remove_win(LIOBN(0, 1)), 0);
	cr_assert_eq(fake_arch.tce_tables, 1, "its KVM table goes with it");
	cr_assert_eq(fp->removes, 1u);
	/* the host will not take KVM's table: the window stays, served by psvm */
	fp->refuse_link = 1;
	cr_assert_eq(create(16, 28, r), 0);
	w = tce_window_find(vm, LIOBN(0, 1));
	cr_assert_not_null(w);
	cr_assert_eq(w->kvm_fd, -1, "psvm's table");
	cr_assert_eq(fake_arch.tce_tables, 1, "the refused table is not leaked");
	cr_assert_eq(put_tce(LIOBN(0, 1), 1ULL << 59, 0x200000 | 3), H_SUCCESS);
	cr_assert_eq(fp->mapped_bytes, SZ_64K, "psvm maps it");
}

Test(ddw, page_mask_follows_host_and_ram)
{
	cr_assert_eq(ddw_pgmask(PGS_4K_64K_2M | (1ULL << 24), SZ_4K), DDW_PGSIZE_4K);
	cr_assert_eq(ddw_pgmask(PGS_4K_64K_2M | (1ULL << 24), SZ_64K),
		     DDW_PGSIZE_4K | DDW_PGSIZE_64K);
	cr_assert_eq(ddw_pgmask(0x1211000, 16ULL << 20),
		     DDW_PGSIZE_4K | DDW_PGSIZE_64K | DDW_PGSIZE_2M | DDW_PGSIZE_16M);
	cr_assert_eq(ddw_pgmask(1ULL << 16, SZ_2M), DDW_PGSIZE_64K);
	cr_assert_eq(ddw_pgmask_shift(DDW_PGSIZE_2M), 21u);
	cr_assert_eq(ddw_pgmask_shift(DDW_PGSIZE_16G), 34u);
	cr_assert_eq(ddw_pgmask_shift(0x200), 0u);
}

Test(vfio, device_specs)
{
	struct vfio_spec vs;
	char err[256];

	cr_assert_eq(vfio_parse("vfio,host=1:0:0.0", &vs, err, sizeof(err)), 0);
	cr_assert_str_eq(vs.bdf, "0001:00:00.0");
	cr_assert_str_eq(vs.engine, "auto", "in KVM where the host can, else coalesce");
	cr_assert_eq(vs.backend, VFIO_BACKEND_AUTO);
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=kvm", &vs, err, sizeof(err)), 0);
	cr_assert_str_eq(vs.engine, "kvm");
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=fast", &vs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "engine=auto|kvm|ioctl|coalesce|uring|nested, not 'fast'"), "%s",
		  err);
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=ioctl", &vs, err, sizeof(err)), 0);
	cr_assert_str_eq(vs.engine, "ioctl");
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=uring,backend=iommufd", &vs, err,
				sizeof(err)),
		     0);
	cr_assert_str_eq(vs.engine, "uring");
	cr_assert_eq(vs.backend, VFIO_BACKEND_IOMMUFD);
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,backend=legacy", &vs, err, sizeof(err)), 0);
	cr_assert_eq(vs.backend, VFIO_BACKEND_LEGACY);
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=nested", &vs, err, sizeof(err)), 0);
	cr_assert_str_eq(vs.engine, "nested");
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,engine=nested,backend=legacy", &vs, err,
				sizeof(err)),
		     -1);
	cr_assert(strstr(err, "engine=nested is iommufd's"), "%s", err);
	cr_assert_eq(vfio_parse("vfio,host=0001:01:00.0,backend=type1", &vs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "backend=auto|legacy|iommufd"), "%s", err);
	cr_assert_eq(vfio_parse("vfio,host=zz", &vs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "DDDD:BB:DD.F"), "%s", err);
	cr_assert_eq(vfio_parse("vfio", &vs, err, sizeof(err)), -1);
	cr_assert_eq(vfio_parse("virtio-net", &vs, err, sizeof(err)), -1);
	cr_assert_eq(vfio_parse("vfio,engine=ioctl", &vs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "which device"), "%s", err);
	cr_assert_eq(vfio_parse("vfio,path=/nonexistent/vfio9", &vs, err, sizeof(err)), -1);
	cr_assert(strstr(err, "not a VFIO device cdev"), "%s", err);
}
