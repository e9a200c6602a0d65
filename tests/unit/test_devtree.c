// SPDX-License-Identifier: GPL-2.0-only
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "devtree.h"
#include "fake_arch.h"
#include "irqchip.h"
#include "unit.h"
#include "vm.h"
#include "vty.h"

static void *build(struct vm *vm)
{
	void *fdt = malloc(FDT_MAX_SIZE);

	cr_assert_eq(devtree_build(vm, fdt, FDT_MAX_SIZE), 0);
	cr_assert_eq(fdt_check_full(fdt, FDT_MAX_SIZE), 0);
	return fdt;
}

static const void *prop(void *fdt, const char *path, const char *name, int *len)
{
	int node = fdt_path_offset(fdt, path);

	cr_assert_geq(node, 0, "node %s", path);
	return fdt_getprop(fdt, node, name, len);
}

Test(devtree, pseries_root_chosen_memory)
{
	struct vm *vm = test_vm(256 << 20, 2);
	const uint8_t *p;
	void *fdt;
	int len;

	vm->cfg->cmdline = strdup("console=hvc0 quiet");
	vm->li.initrd_start = 0x2000000;
	vm->li.initrd_size = 0x1000;
	vm->li.kernel_start = 0x400000;
	vm->li.kernel_size = 0x123000;
	vm->li.little_endian = true;
	fdt = build(vm);
	cr_assert_str_eq(prop(fdt, "/", "compatible", &len), "qemu,pseries");
	cr_assert_str_eq(prop(fdt, "/", "device_type", &len), "chrp");
	cr_assert_str_eq(prop(fdt, "/chosen", "bootargs", &len), "console=hvc0 quiet");
	cr_assert_str_eq(prop(fdt, "/chosen", "linux,stdout-path", &len), VTY_PATH);
	/* as QEMU's pseries: initrd bounds in cells, the kernel's place and size */
	p = prop(fdt, "/chosen", "linux,initrd-start", &len);
	cr_assert_eq(len, 4);
	cr_assert_eq(ld_be32(p), 0x2000000u);
	p = prop(fdt, "/chosen", "linux,initrd-end", &len);
	cr_assert_eq(ld_be32(p), 0x2001000u);
	p = prop(fdt, "/chosen", "qemu,boot-kernel", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(ld_be64(p), 0x400000u);
	cr_assert_eq(ld_be64(p + 8), 0x123000u);
	cr_assert_not_null(prop(fdt, "/chosen", "qemu,boot-kernel-le", &len));
	cr_assert_lt(fdt_path_offset(fdt, "/memory@10000000"), 0, "radix: one memory node");
	p = prop(fdt, "/memory@0", "reg", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(ld_be64(p), 0u);
	cr_assert_eq(ld_be64(p + 8), 256u << 20);
	/* radix offered: vec5 byte 24 = radix only, byte 26 = GTSE */
	p = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
	cr_assert_gt(len, 26);
	cr_assert_eq(p[24], 0x40);
	cr_assert_eq(p[26], 0x40);
	free(fdt);
	test_vm_free(vm);
}

Test(devtree, cpus)
{
	struct vm *vm = test_vm(128 << 20, 3);
	const uint8_t *p;
	void *fdt;
	int len, cpus, node, n = 0;

	fdt = build(vm);
	cpus = fdt_path_offset(fdt, "/cpus");
	cr_assert_geq(cpus, 0);
	fdt_for_each_subnode(node, fdt, cpus) {
		char want[32];

		snprintf(want, sizeof(want), "PowerPC,POWER9@%x", n);
		cr_assert_str_eq(fdt_get_name(fdt, node, NULL), want, "cpus in order");
		p = fdt_getprop(fdt, node, "reg", &len);
		cr_assert_eq(ld_be32(p), (uint32_t)n);
		p = fdt_getprop(fdt, node, "ibm,ppc-interrupt-server#s", &len);
		cr_assert_eq(ld_be32(p), (uint32_t)n);
		p = fdt_getprop(fdt, node, "cpu-version", &len);
		cr_assert_eq(ld_be32(p), 0x004e1202u);
		p = fdt_getprop(fdt, node, "ibm,pa-features", &len);
		cr_assert_eq(len, 66);
		cr_assert_eq(p[0], 64);
		cr_assert_eq(p[2 + 40] & 0x80, 0x80, "radix bit");
		cr_assert_eq(p[2 + 0] & 0xc0, 0xc0, "MMU and FPU");
		cr_assert_eq(p[2 + 22], 0, "no TM");
		n++;
	}
	cr_assert_eq(n, 3);
	free(fdt);
	test_vm_free(vm);
}

Test(devtree, nested_radix_without_gtse)
{
	struct vm *vm = test_vm(128 << 20, 1);
	const uint8_t *p;
	void *fdt;
	int len;

	vm->gtse = false;
	vm->rpt_invalidate = true;
	fdt = build(vm);
	p = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
	cr_assert_eq(p[24], 0x40, "radix");
	cr_assert_eq(p[26], 0, "no GTSE");
	p = prop(fdt, "/rtas", "ibm,hypertas-functions", &len);
	cr_assert_not_null(memmem(p, len, "hcall-rpt-invalidate", 21));
	free(fdt);
	test_vm_free(vm);
}

Test(devtree, hash_mode)
{
	struct vm *vm = test_vm(128 << 20, 1);
	const uint8_t *p;
	void *fdt;
	int len;

	vm->radix = false;
	vm->rma_size = 32 << 20; /* the VRMA */
	vm_layout(vm);
	fdt = build(vm);
	p = prop(fdt, "/memory@0", "reg", &len);
	cr_assert_eq(ld_be64(p + 8), 32u << 20, "the RMA alone");
	cr_assert_str_eq(fdt_get_name(fdt, fdt_node_offset_by_prop_value(fdt, -1, "device_type",
									 "memory", 7), NULL),
			 "memory@0", "the RMA's node first");
	p = prop(fdt, "/memory@2000000", "reg", &len);
	cr_assert_eq(ld_be64(p), 32u << 20);
	cr_assert_eq(ld_be64(p + 8), 96u << 20, "the rest");
	cr_assert_lt(vm->fdt_gpa + FDT_MAX_SIZE, 32u << 20, "tree in real-mode reach");
	p = prop(fdt, "/chosen", "ibm,architecture-vec-5", &len);
	cr_assert_eq(p[24], 0, "hash only");
	p = prop(fdt, "/cpus/PowerPC,POWER9@0", "ibm,pa-features", &len);
	cr_assert_eq(p[2 + 40], 0, "no radix bit");
	free(fdt);
	test_vm_free(vm);
}

Test(devtree, rtas_tokens_and_reservation)
{
	struct vm *vm = test_vm(512 << 20, 1);
	const uint8_t *p;
	uint64_t addr, size;
	void *fdt;
	int len, n;

	fdt = build(vm);
	for (unsigned int i = 0; i < vm->rtas.n; i++) {
		p = prop(fdt, "/rtas", vm->rtas.e[i].def->name, &len);
		cr_assert_not_null(p, "token for %s", vm->rtas.e[i].def->name);
		cr_assert_eq(ld_be32(p), vm->rtas.e[i].token);
	}
	p = prop(fdt, "/rtas", "linux,rtas-base", &len);
	cr_assert_eq(ld_be32(p), (uint32_t)vm->rtas_gpa);
	cr_assert_lt(vm->rtas_gpa, 256u << 20, "RTAS in the first 256 MiB");
	cr_assert_not_null(prop(fdt, "/rtas", "ibm,extended-os-term", &len));
	p = prop(fdt, "/rtas", "rtas-event-scan-rate", &len);
	cr_assert(p && len == 4 && ld_be32(p) == 1, "event-scan once a second, as QEMU");
	p = prop(fdt, "/rtas", "ibm,hypertas-functions", &len);
	cr_assert_not_null(memmem(p, len, "hcall-set-mode", 15));
	n = fdt_num_mem_rsv(fdt);
	cr_assert_eq(n, 1);
	fdt_get_mem_rsv(fdt, 0, &addr, &size);
	cr_assert_eq(addr, vm->rtas_gpa);
	cr_assert_geq(size, RTAS_BLOB_SIZE);
	p = prop(fdt, VTY_PATH, "reg", &len);
	cr_assert_eq(ld_be32(p), VTY_REG);
	cr_assert_str_eq(prop(fdt, VTY_PATH, "compatible", &len), "hvterm1");
	p = prop(fdt, VTY_PATH, "interrupts", &len);
	cr_assert_eq(len, 8);
	cr_assert_eq(ld_be32(p), XICS_IRQ_BASE, "console interrupt source");
	cr_assert_eq(ld_be32(p + 4), 0u, "edge");
	p = prop(fdt, "/interrupt-controller", "ibm,interrupt-server-ranges", &len);
	cr_assert_eq(ld_be32(p + 4), 1u);
	free(fdt);
	test_vm_free(vm);
}

/* As many vCPUs as KVM allows: in order, in a tree that is still small; refused cleanly. */
Test(devtree, many_cpus_and_too_small)
{
	struct vm *vm = test_vm(256 << 20, 256);
	char name[32];
	void *fdt;
	int n = 0, node;

	fdt = build(vm);
	fdt_for_each_subnode(node, fdt, fdt_path_offset(fdt, "/cpus")) {
		snprintf(name, sizeof(name), "PowerPC,POWER9@%x", n++);
		cr_assert_str_eq(fdt_get_name(fdt, node, NULL), name);
	}
	cr_assert_eq(n, 256);
	cr_assert_lt(fdt_totalsize(fdt), 256 * 1024, "%u bytes", fdt_totalsize(fdt));
	/* every property name once: 256 cpu nodes add no string */
	cr_assert_lt(fdt_size_dt_strings(fdt), 4096);
	cr_assert_eq(devtree_build(vm, fdt, fdt_totalsize(fdt) - 1), -1, "one byte short");
	cr_assert_eq(devtree_build(vm, fdt, fdt_totalsize(fdt)), 0, "just enough");
	cr_assert_eq(fdt_check_full(fdt, fdt_totalsize(fdt)), 0);
	free(fdt);
	test_vm_free(vm);
}
