// SPDX-License-Identifier: GPL-2.0-only
/*
 * PCI interrupts: INTx routed from the start and described by the PHB's interrupt-map,
 * MSI/MSI-X through ibm,change-msi and ibm,query-interrupt-source-number, against a
 * fake function (INTA, MSI with 8 vectors, MSI-X with 16) that routes like VFIO does.
 */
#include <libfdt.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "devtree.h"
#include "fake_arch.h"
#include "fake_pci.h"
#include "irqchip.h"
#include "rtas.h"
#include "unit.h"
#include "vm.h"

#define PGS_4K ((1ULL << 12))

static struct vm *vm;
static struct fake_pci *fp;
static uint32_t bhi, blo;

static void setup(void)
{
	fp = fake_pci_vm(&vm, 2, PGS_4K, 4096, &bhi, &blo);
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

/* ibm,change-msi(fn, n) with the 4-return form; r gets status, n, seq, type */
static int32_t change_msi(uint32_t fn, uint32_t n, uint32_t *r)
{
	uint32_t a[6] = { 0, bhi, blo, fn, n, 41 };

	return call("ibm,change-msi", 6, a, 4, r);
}

static int32_t query_src(uint32_t vec, uint32_t *src, uint32_t *edge)
{
	uint32_t r[3], a[4] = { 0, bhi, blo, vec };
	int32_t s = call("ibm,query-interrupt-source-number", 4, a, 3, r);

	*src = r[1];
	*edge = r[2];
	return s;
}

static uint32_t xive_priority(uint32_t irq)
{
	uint32_t r[3], a[1] = { irq };

	cr_assert_eq(call("ibm,get-xive", 1, a, 3, r), 0);
	return r[2];
}

Test(pci_irq, intx_is_routed_from_the_start_and_in_the_device_tree, .init = setup,
     .fini = teardown)
{
	void *fdt = malloc(FDT_MAX_SIZE);
	const uint32_t *p;
	uint32_t src, edge;
	int node, child, len;

	cr_assert_eq(fp->func.intx_pin, 1);
	cr_assert_geq(fp->func.lsi, XICS_IRQ_BASE);
	cr_assert_eq(fp->intx, fp->func.lsi, "INTx delivered to its source");
	cr_assert_eq(fp->func.msi_max, 8);
	cr_assert_eq(fp->func.msix_max, 16);
	cr_assert_eq(query_src(0, &src, &edge), 0, "without MSIs, vector 0 is INTx");
	cr_assert_eq(src, fp->func.lsi);
	cr_assert_eq(edge, 0, "level");
	cr_assert_eq(query_src(1, &src, &edge), RTAS_HW_ERROR);

	cr_assert_eq(devtree_build(vm, fdt, FDT_MAX_SIZE), 0); /* the PHB's node with it */
	node = fdt_path_offset(fdt, "/pci@800000020000000");
	p = fdt_getprop(fdt, node, "interrupt-map", &len);
	cr_assert_eq(len, 7 * 4);
	cr_assert_eq(be32_to_cpu(p[0]), 0, "devfn 0");
	cr_assert_eq(be32_to_cpu(p[3]), 1, "INTA");
	cr_assert_eq(be32_to_cpu(p[4]), XICS_PHANDLE);
	cr_assert_eq(be32_to_cpu(p[5]), fp->func.lsi);
	cr_assert_eq(be32_to_cpu(p[6]), 1, "level");
	p = fdt_getprop(fdt, node, "interrupt-map-mask", &len);
	cr_assert_eq(len, 16);
	cr_assert_eq(be32_to_cpu(p[0]), 0xf800);
	cr_assert_eq(be32_to_cpu(p[3]), 7);
	child = fdt_subnode_offset(fdt, node, "pci1234,11e8@0");
	cr_assert_eq(be32_to_cpu(*(const uint32_t *)fdt_getprop(fdt, child, "interrupts", NULL)), 1);
	cr_assert_eq(be32_to_cpu(*(const uint32_t *)fdt_getprop(fdt, child, "ibm,req#msi", NULL)),
		     8);
	cr_assert_eq(
		be32_to_cpu(*(const uint32_t *)fdt_getprop(fdt, child, "ibm,req#msi-x", NULL)), 16);
	free(fdt);
}

Test(pci_irq, msi_enable_query_release, .init = setup, .fini = teardown)
{
	uint32_t r[4], src, edge, base = fp->func.msi_base;
	uint32_t a[3] = { base + 1, 1, 5 };

	cr_assert_eq(change_msi(3, 4, r), 0);
	cr_assert_eq(r[1], 4, "4 vectors");
	cr_assert_eq(r[2], 42, "sequence number + 1");
	cr_assert_eq(r[3], 1, "type MSI");
	cr_assert_eq(fp->intx, 0, "INTx off while MSIs are on");
	cr_assert_eq(fp->vec_type, PCI_IRQ_MSI);
	cr_assert_eq(fp->vectors, 4);
	for (uint32_t i = 0; i < 4; i++) {
		cr_assert_eq(fp->vec_src[i], base + i);
		cr_assert_eq(query_src(i, &src, &edge), 0);
		cr_assert_eq(src, base + i);
		cr_assert_eq(edge, 1, "edge");
	}
	cr_assert_eq(query_src(4, &src, &edge), RTAS_HW_ERROR, "only 4 vectors");
	cr_assert_eq(change_msi(0, 0, r), 0, "query");
	cr_assert_eq(r[1], 4);

	/* the guest points a vector at vCPU 1; released, it is masked again */
	cr_assert_eq(call("ibm,set-xive", 3, a, 1, r), 0);
	cr_assert_eq(xive_priority(base + 1), 5);
	cr_assert_eq(change_msi(3, 0, r), 0, "release");
	cr_assert_eq(r[1], 0);
	cr_assert_eq(fp->vectors, 0);
	cr_assert_eq(fp->intx, fp->func.lsi, "INTx back");
	cr_assert_eq(xive_priority(base + 1), XICS_PRIO_MASKED);
	cr_assert_eq(query_src(0, &src, &edge), 0);
	cr_assert_eq(src, fp->func.lsi);
	cr_assert_eq(change_msi(3, 0, r), 0, "releasing nothing is no error");
}

Test(pci_irq, more_than_offered_answers_the_offer_and_changes_nothing, .init = setup,
     .fini = teardown)
{
	uint32_t r[4];
	unsigned int routes = fp->routes;

	cr_assert_eq(change_msi(3, 16, r), 0);
	cr_assert_eq(r[1], 8, "8 MSI vectors on offer");
	cr_assert_eq(fp->routes, routes, "nothing routed");
	cr_assert_eq(fp->intx, fp->func.lsi);
	cr_assert_eq(change_msi(4, 64, r), 0);
	cr_assert_eq(r[1], 16, "16 MSI-X vectors");
	cr_assert_eq(fp->routes, routes);
	cr_assert_eq(change_msi(4, 16, r), 0);
	cr_assert_eq(r[1], 16);
	cr_assert_eq(r[3], 2, "type MSI-X");
	cr_assert_eq(fp->vec_type, PCI_IRQ_MSIX);
	cr_assert_eq(fp->vectors, 16);
	/* from MSI-X straight to 2 MSIs: the old vectors go first */
	cr_assert_eq(change_msi(3, 2, r), 0);
	cr_assert_eq(fp->vec_type, PCI_IRQ_MSI);
	cr_assert_eq(fp->vectors, 2);
	cr_assert_eq(fp->vec_src[1], fp->func.msi_base + 1);
	cr_assert_eq(change_msi(2, 0, r), 0, "reset to INTx");
	cr_assert_eq(fp->vectors, 0);
	cr_assert_eq(fp->intx, fp->func.lsi);
	cr_assert_eq(change_msi(1, 2, r), 0, "the old interface: MSI");
	cr_assert_eq(r[3], 1);
	cr_assert_eq(fp->vectors, 2);
}

Test(pci_irq, bad_arguments_and_host_refusal, .init = setup, .fini = teardown)
{
	uint32_t r[4], src, edge;
	uint32_t a[6] = { 0, bhi, blo + 1, 3, 1, 0 };

	cr_assert_eq(call("ibm,change-msi", 6, a, 4, r), RTAS_PARAM_ERROR, "no such PHB");
	a[2] = blo;
	a[0] = 1 << 8;
	cr_assert_eq(call("ibm,change-msi", 6, a, 4, r), RTAS_PARAM_ERROR, "devfn 1");
	a[0] = 0;
	cr_assert_eq(call("ibm,change-msi", 5, a, 4, r), RTAS_PARAM_ERROR, "5 arguments");
	cr_assert_eq(call("ibm,change-msi", 6, a, 2, r), RTAS_PARAM_ERROR, "2 returns");
	cr_assert_eq(call("ibm,change-msi", 6, a, 3, r), 0, "3 returns: fine");
	cr_assert_eq(change_msi(0, 0, r), 0);
	cr_assert_eq(r[1], 1);
	cr_assert_eq(change_msi(7, 1, r), RTAS_PARAM_ERROR, "function 7");
	cr_assert_eq(call("ibm,query-interrupt-source-number", 3, a, 3, r), RTAS_PARAM_ERROR);
	cr_assert_eq(change_msi(3, 0, r), 0);

	/* the host cannot deliver the vectors: an error, INTx as before, nothing half on */
	fp->refuse_vectors = true;
	cr_assert_eq(change_msi(4, 8, r), RTAS_HW_ERROR);
	cr_assert_eq(fp->vectors, 0);
	cr_assert_eq(fp->intx, fp->func.lsi, "INTx back on");
	cr_assert_eq(query_src(0, &src, &edge), 0);
	cr_assert_eq(src, fp->func.lsi, "still INTx");
	cr_assert_eq(change_msi(0, 0, r), 0);
	cr_assert_eq(r[1], 0);
	fp->refuse_vectors = false;
	cr_assert_eq(change_msi(4, 8, r), 0, "and later it works");
	cr_assert_eq(fp->vectors, 8);
}

Test(pci_irq, no_intx_where_kvm_cannot_rearm_it)
{
	struct vm *v;
	struct fake_pci *f;
	void *fdt = malloc(FDT_MAX_SIZE);
	uint32_t r[3], a[4];
	int node;

	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.no_resample = true;
	v = test_vm(64 << 20, 1);
	f = fake_pci_add(v, PGS_4K, 4096);
	cr_assert_eq(f->func.intx_pin, 0);
	cr_assert_eq(f->intx, 0, "nothing routed");
	cr_assert_eq(f->func.msi_max, 8, "MSIs still offered");
	cr_assert_eq(pci_cfg_read(&f->func, PCI_INTERRUPT_PIN, 1, r), 0);
	cr_assert_eq(r[0], 0, "no pin where no INTx is offered");
	cr_assert_eq(pci_cfg_read(&f->func, PCI_INTERRUPT_LINE, 4, r), 0);
	cr_assert_eq(r[0] & 0xffff, 0, "nor a line");
	cr_assert_eq(pci_cfg_read(&f->func, PCI_INTERRUPT_LINE, 2, r), 0);
	cr_assert_eq(r[0], 0);
	a[0] = 0;
	a[1] = (uint32_t)(f->phb->buid >> 32);
	a[2] = (uint32_t)f->phb->buid;
	a[3] = 0;
	test_rtas_call(v, 0, "ibm,query-interrupt-source-number", 4, a, 3, r);
	cr_assert_eq((int32_t)r[0], RTAS_HW_ERROR, "no INTx source to tell");
	cr_assert_eq(devtree_build(v, fdt, FDT_MAX_SIZE), 0); /* the PHB's node with it */
	node = fdt_path_offset(fdt, "/pci@800000020000000");
	cr_assert_null(fdt_getprop(fdt, node, "interrupt-map", NULL));
	cr_assert_null(fdt_getprop(fdt, fdt_subnode_offset(fdt, node, "pci1234,11e8@0"),
				   "interrupts", NULL));
	free(fdt);
	fake_pci_free(v, f);
	test_vm_free(v);
}

/* /rtas says ibm,change-msi takes MSI-X, as QEMU's does, once there is a PHB to ask about. */
Test(pci_irq, rtas_says_msix_capable)
{
	void *fdt = malloc(FDT_MAX_SIZE);
	struct fake_pci *f;
	struct vm *v;
	int node;

	memset(&fake_arch, 0, sizeof(fake_arch));
	v = test_vm(64 << 20, 1);
	cr_assert_eq(devtree_build(v, fdt, FDT_MAX_SIZE), 0);
	node = fdt_path_offset(fdt, "/rtas");
	cr_assert_null(fdt_getprop(fdt, node, "ibm,change-msix-capable", NULL), "no PHB, no MSI");
	f = fake_pci_add(v, PGS_4K, 4096);
	cr_assert_eq(devtree_build(v, fdt, FDT_MAX_SIZE), 0);
	cr_assert_eq(fdt_check_full(fdt, FDT_MAX_SIZE), 0);
	node = fdt_path_offset(fdt, "/rtas");
	cr_assert_not_null(fdt_getprop(fdt, node, "ibm,change-msi", NULL));
	cr_assert_not_null(fdt_getprop(fdt, node, "ibm,change-msix-capable", NULL));
	cr_assert_not_null(fdt_getprop(fdt, node, "ibm,extended-os-term", NULL));
	free(fdt);
	fake_pci_free(v, f);
	test_vm_free(v);
}
