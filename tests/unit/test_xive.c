// SPDX-License-Identifier: GPL-2.0-only
/*
 * XIVE exploitation mode: when psvm picks it, what the guest's device tree says, and the
 * H_INT_* hcalls with every PAPR error, against the recording fake of KVM's XIVE device.
 */
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch.h"
#include "be.h"
#include "devtree.h"
#include "fake_arch.h"
#include "hcall.h"
#include "irqchip.h"
#include "unit.h"
#include "vm.h"
#include "xive.h"

#define NCPUS 2
#define VTY_IRQ XICS_IRQ_BASE /* the vty's source: the first one allocated */

/* A VM whose RAM is in 64K pages (hugetlb-like) and whose KVM has a XIVE device. */
static struct vm *xive_vm(enum irqchip_mode mode, uint64_t ram_page, int *realized)
{
	struct psvm_config *cfg = calloc(1, sizeof(*cfg));
	struct vm *vm = calloc(1, sizeof(*vm));

	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.xive = true;
	fake_arch.ram_page_size = ram_page;
	config_init(cfg);
	cfg->memory = 64 << 20;
	cfg->cpus = NCPUS;
	cfg->irqchip = mode;
	cfg->console = strdup("/dev/null");
	cr_assert_eq(vm_init(vm, cfg), 0);
	arch_vm_create(vm, NULL, 0);
	*realized = devices_realize(vm);
	return vm;
}

static void xive_vm_free(struct vm *vm)
{
	struct psvm_config *cfg = vm->cfg;

	vm_destroy(vm);
	config_free(cfg);
	free(cfg);
	free(vm);
}

static long hc(struct vm *vm, uint64_t nr, uint64_t *a, uint64_t a0, uint64_t a1, uint64_t a2,
	       uint64_t a3, uint64_t a4)
{
	a[0] = a0;
	a[1] = a1;
	a[2] = a2;
	a[3] = a3;
	a[4] = a4;
	return hcall_dispatch(&vm->vcpus[0], nr, a);
}

static struct vm *vm;
static uint64_t pg;

static void setup(void)
{
	int r;

	vm = xive_vm(IRQCHIP_AUTO, SZ_64K, &r);
	cr_assert_eq(r, 0);
	cr_assert_not_null(irqchip_of(vm)->xive, "auto: XIVE where KVM has it and RAM pages are 64K");
	pg = (uint64_t)sysconf(_SC_PAGESIZE);
}

static void teardown(void)
{
	xive_vm_free(vm);
}

Test(xive, auto_is_xics_on_small_pages_or_without_kvm_xive)
{
	int r;
	struct vm *v = xive_vm(IRQCHIP_AUTO, SZ_4K, &r);
	uint64_t a[9];

	cr_assert_eq(r, 0);
	cr_assert_null(irqchip_of(v)->xive, "4K RAM pages cannot hold KVM's 64K queues");
	cr_assert_eq(hc(v, H_INT_RESET, a, 0, 0, 0, 0, 0), H_FUNCTION, "no H_INT_* under XICS");
	xive_vm_free(v);

	memset(&fake_arch, 0, sizeof(fake_arch)); /* no XIVE device */
	v = test_vm(64 << 20, 1);
	cr_assert_null(irqchip_of(v)->xive);
	test_vm_free(v);

	v = xive_vm(IRQCHIP_XICS, SZ_64K, &r);
	cr_assert_eq(r, 0);
	cr_assert_null(irqchip_of(v)->xive, "--irqchip xics is obeyed");
	xive_vm_free(v);
}

Test(xive, forced_xive_fails_where_it_cannot_work)
{
	int r;
	struct vm *v = xive_vm(IRQCHIP_XIVE, SZ_4K, &r);

	cr_assert_neq(r, 0, "--irqchip xive on 4K RAM pages must fail, not fall back");
	xive_vm_free(v);
	v = xive_vm(IRQCHIP_XIVE, SZ_2M, &r);
	cr_assert_eq(r, 0);
	cr_assert_not_null(irqchip_of(v)->xive);
	xive_vm_free(v);
}

Test(xive, kvm_device_and_sources, .init = setup, .fini = teardown)
{
	cr_assert(fake_arch.xive_created);
	/* the IPIs and the vty's source */
	cr_assert_eq(fake_arch.xive_sources, NCPUS + irqchip_of(vm)->nr);
	/* a source made later (a device's MSIs) reaches KVM at once, masked */
	cr_assert_neq(irqchip_alloc_irq(vm, false), 0);
	cr_assert_eq(fake_arch.xive_sources, NCPUS + irqchip_of(vm)->nr);
}

Test(xive, device_tree, .init = setup, .fini = teardown)
{
	void *fdt = malloc(FDT_MAX_SIZE);
	char path[64];
	const fdt32_t *p;
	const void *reg;
	fdt64_t r64[4];
	const uint8_t *v5;
	int node, len;

	cr_assert_eq(devtree_build(vm, fdt, FDT_MAX_SIZE), 0);
	snprintf(path, sizeof(path), "/interrupt-controller@%llx",
		 (unsigned long long)XIVE_TIMA_GPA);
	node = fdt_path_offset(fdt, path);
	cr_assert_geq(node, 0);
	cr_assert_eq(fdt_node_check_compatible(fdt, node, "ibm,power-ivpe"), 0);
	cr_assert_lt(fdt_node_offset_by_compatible(fdt, -1, "IBM,ppc-xicp"), 0, "one controller");
	reg = fdt_getprop(fdt, node, "reg", &len);
	cr_assert_eq(len, 32);
	memcpy(r64, reg, sizeof(r64)); /* FDT properties are 4-byte aligned only */
	cr_assert_eq(fdt64_to_cpu(r64[2]), XIVE_TIMA_GPA + 2 * pg, "reg 1: the OS ring's page");
	cr_assert_eq(fdt64_to_cpu(r64[3]), pg);
	p = fdt_getprop(fdt, node, "ibm,xive-lisn-ranges", &len);
	cr_assert_eq(len, 8);
	cr_assert_eq(fdt32_to_cpu(p[0]), 0);
	cr_assert_eq(fdt32_to_cpu(p[1]), NCPUS, "one IPI per vCPU");
	p = fdt_getprop(fdt, node, "ibm,xive-eq-sizes", &len);
	cr_assert_eq(len, 4);
	cr_assert_eq(fdt32_to_cpu(p[0]), 16, "KVM takes 64K queues only");
	cr_assert_eq(fdt32_to_cpu(*(const fdt32_t *)fdt_getprop(fdt, node, "phandle", NULL)),
		     XICS_PHANDLE, "devices' interrupt-parent");
	p = fdt_getprop(fdt, 0, "ibm,plat-res-int-priorities", &len);
	cr_assert_eq(len, 8);
	cr_assert_eq(fdt32_to_cpu(p[0]), 7, "guest priorities 0-6");
	v5 = fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "ibm,architecture-vec-5", &len);
	cr_assert_gt(len, 23);
	cr_assert_eq(v5[23], 0x40, "vector 5: XIVE exploitation mode");
	free(fdt);
}

Test(xive, source_info, .init = setup, .fini = teardown)
{
	uint64_t a[9];

	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 0, 1, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(a[0], 0, "IPI: MSI-like, two ESB pages");
	cr_assert_eq(a[1], XIVE_ESB_GPA + 3 * pg, "EOI page of source 1");
	cr_assert_eq(a[2], XIVE_ESB_GPA + 2 * pg, "trigger page of source 1");
	cr_assert_eq(1ULL << a[3], pg);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(a[2], XIVE_ESB_GPA + 2 * VTY_IRQ * pg);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 1, 0, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 0, NCPUS, 0, 0, 0), H_P2, "past the IPIs");
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 0, VTY_IRQ + 500, 0, 0, 0), H_P2,
		     "not allocated");
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_INFO, a, 0, 1ULL << 40, 0, 0, 0), H_P2);
}

Test(xive, source_config, .init = setup, .fini = teardown)
{
	uint64_t a[9];

	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, XIVE_SRC_SET_EISN, VTY_IRQ, 1, 5, 0x42),
		     H_SUCCESS);
	cr_assert(fake_arch.xive_lisn == VTY_IRQ && fake_arch.xive_server == 1 &&
		  fake_arch.xive_prio == 5 && !fake_arch.xive_masked && fake_arch.xive_eisn == 0x42);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert(a[0] == 1 && a[1] == 5 && a[2] == 0x42);

	/* every bad argument: its error, KVM untouched, the source as it was */
	unsigned int calls = fake_arch.xive_configs;

	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 4, VTY_IRQ, 0, 5, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, VTY_IRQ + 9, 0, 5, 0), H_P2);
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, VTY_IRQ, NCPUS, 5, 0), H_P3);
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 7, 0), H_P4,
		     "7 is reserved");
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, XIVE_SRC_SET_EISN, VTY_IRQ, 0, 5,
			1ULL << 31), H_P5);
	cr_assert_eq(fake_arch.xive_configs, calls);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert(a[0] == 1 && a[1] == 5 && a[2] == 0x42);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 1, VTY_IRQ, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, ~0ULL, 0, 0, 0), H_P2);

	/* without SET_EISN the number stays; masking (0xff or the flag) */
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, 0, 0, 6, 0x99), H_SUCCESS);
	cr_assert(fake_arch.xive_lisn == 0 && fake_arch.xive_eisn == 0, "IPI 0 keeps EISN 0");
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, VTY_IRQ, 55, 0xff, 0), H_SUCCESS,
		     "a masked source needs no target");
	cr_assert(fake_arch.xive_masked);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(a[1], 0xff);
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, XIVE_SRC_MASK, 0, 0, 6, 0), H_SUCCESS);
	cr_assert(fake_arch.xive_masked && fake_arch.xive_lisn == 0);

	/* KVM refuses: H_HARDWARE, nothing changes */
	fake_arch.fail = 1;
	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, 0, VTY_IRQ, 1, 3, 0), H_HARDWARE);
	fake_arch.fail = 0;
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(a[1], 0xff);
}

Test(xive, queues, .init = setup, .fini = teardown)
{
	uint64_t a[9], q = 0x30000;

	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_INFO, a, 0, 1, 6, 0, 0), H_SUCCESS);
	cr_assert_eq(a[1], 16);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_INFO, a, 0, NCPUS, 6, 0, 0), H_P2);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_INFO, a, 0, 1, 7, 0, 0), H_P3);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_INFO, a, 2, 1, 6, 0, 0), H_PARAMETER);

	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, XIVE_EQ_ALWAYS_NOTIFY, 1, 6, q, 16),
		     H_SUCCESS);
	cr_assert(fake_arch.eq_server == 1 && fake_arch.eq_prio == 6 && fake_arch.eq_addr == q &&
		  fake_arch.eq_shift == 16);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, XIVE_EQ_DEBUG, 1, 6, 0, 0), H_SUCCESS);
	cr_assert(a[0] == (XIVE_EQ_ALWAYS_NOTIFY | 1ULL << 62) && a[1] == q && a[2] == 16,
		  "debug: KVM's toggle as the generation bit of the flags");
	cr_assert_eq(a[3], 3, "debug: KVM's index as the offset counter in R7");
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 0, 1, 6, 0, 0), H_SUCCESS);
	cr_assert(a[0] == XIVE_EQ_ALWAYS_NOTIFY && a[3] == 0, "no debug data unless asked");
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 2, 1, 6, 0, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 0, 9, 6, 0, 0), H_P2);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 0, 1, 8, 0, 0), H_P3);

	fake_arch.eq_addr = 0;
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 2, 1, 6, q, 16), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, NCPUS, 6, q, 16), H_P2);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 7, q, 16), H_P3);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, q + 0x1000, 16), H_P4,
		     "not aligned to its size");
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, 64 << 20, 16), H_P4,
		     "outside RAM");
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, (64 << 20) - 0x8000, 16), H_P4);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, ~0ULL << 16, 16), H_P4);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, q, 12), H_P5);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 6, q, 64), H_P5);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 0, 1, 6, q, 16), H_PARAMETER,
		     "KVM notifies unconditionally only");
	cr_assert_eq(fake_arch.eq_addr, 0, "no bad call reached KVM");

	/* size 0 turns the queue off */
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 0, 1, 6, 0, 0), H_SUCCESS);
	cr_assert_eq(fake_arch.eq_shift, 0);
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 0, 1, 6, 0, 0), H_SUCCESS);
	cr_assert(a[0] == 0 && a[1] == 0 && a[2] == 0);
}

Test(xive, esb_sync_reset, .init = setup, .fini = teardown)
{
	uint64_t a[9];

	fake_arch.esb_value = 0x3;
	cr_assert_eq(hc(vm, H_INT_ESB, a, 0, VTY_IRQ, 0x800, 0, 0), H_SUCCESS);
	cr_assert(a[0] == 3 && fake_arch.esb_lisn == VTY_IRQ && fake_arch.esb_offset == 0x800);
	cr_assert_eq(hc(vm, H_INT_ESB, a, XIVE_ESB_STORE, 1, 0x400, 0x55, 0), H_SUCCESS);
	cr_assert_eq(fake_arch.esb_value, 0x55);
	cr_assert_eq(hc(vm, H_INT_ESB, a, 2, 1, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_ESB, a, 0, NCPUS, 0, 0, 0), H_P2);
	cr_assert_eq(hc(vm, H_INT_ESB, a, 0, 1, pg, 0, 0), H_P3, "past the page");
	cr_assert_eq(hc(vm, H_INT_ESB, a, 0, 1, 0x404, 0, 0), H_P3, "not 8-byte aligned");

	cr_assert_eq(hc(vm, H_INT_SYNC, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(fake_arch.xive_syncs, 1);
	cr_assert_eq(hc(vm, H_INT_SYNC, a, 1, VTY_IRQ, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(hc(vm, H_INT_SYNC, a, 0, 0x7777, 0, 0, 0), H_P2);

	cr_assert_eq(hc(vm, H_INT_SET_SOURCE_CONFIG, a, XIVE_SRC_SET_EISN, VTY_IRQ, 1, 5, 9),
		     H_SUCCESS);
	cr_assert_eq(hc(vm, H_INT_SET_QUEUE_CONFIG, a, 1, 1, 5, 0x20000, 16), H_SUCCESS);
	cr_assert_eq(hc(vm, H_INT_RESET, a, 1, 0, 0, 0, 0), H_PARAMETER);
	cr_assert_eq(fake_arch.xive_resets, 0);
	cr_assert_eq(hc(vm, H_INT_RESET, a, 0, 0, 0, 0, 0), H_SUCCESS);
	cr_assert_eq(fake_arch.xive_resets, 1);
	cr_assert_eq(hc(vm, H_INT_GET_SOURCE_CONFIG, a, 0, VTY_IRQ, 0, 0, 0), H_SUCCESS);
	cr_assert(a[1] == 0xff && a[2] == VTY_IRQ, "reset: masked, its own number again");
	cr_assert_eq(hc(vm, H_INT_GET_QUEUE_CONFIG, a, 0, 1, 5, 0, 0), H_SUCCESS);
	cr_assert_eq(a[2], 0, "reset: queues off");

	cr_assert_eq(hc(vm, H_INT_SET_OS_REPORTING_LINE, a, 0, 0, 0, 0, 0), H_FUNCTION);
	cr_assert_eq(hc(vm, H_INT_GET_OS_REPORTING_LINE, a, 0, 0, 0, 0, 0), H_FUNCTION);
}

Test(xive, rtas_source_calls_use_xive_priorities, .init = setup, .fini = teardown)
{
	uint32_t r[3], args[3] = { VTY_IRQ, 1, 5 };

	cr_assert_eq(test_rtas_call(vm, 0, "ibm,set-xive", 3, args, 1, r), 0);
	cr_assert_eq((int32_t)r[0], 0);
	cr_assert(fake_arch.xive_server == 1 && fake_arch.xive_prio == 5 && !fake_arch.xive_masked);
	cr_assert_eq(fake_arch.xive_eisn, VTY_IRQ, "events carry the source number");
	args[2] = 7;
	cr_assert_eq(test_rtas_call(vm, 0, "ibm,set-xive", 3, args, 1, r), 0);
	cr_assert_eq((int32_t)r[0], -3, "priority 7 is not the guest's under XIVE");
	args[2] = 0xff;
	cr_assert_eq(test_rtas_call(vm, 0, "ibm,set-xive", 3, args, 1, r), 0);
	cr_assert_eq((int32_t)r[0], 0);
	cr_assert(fake_arch.xive_masked);
}
