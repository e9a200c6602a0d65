// SPDX-License-Identifier: GPL-2.0-only
/*
 * XICS interrupt controller, in KVM: the presentation layer (H_XIRR, H_EOI, H_CPPR,
 * H_IPI) runs in the kernel; psvm creates the device, connects each vCPU as a server
 * and describes it in the tree as QEMU does, so Linux's xics driver finds it.
 */
#include <libfdt.h>

#include "arch.h"
#include "be.h"
#include "vm.h"
#include "xics.h"

static int xics_realize(struct device *dev)
{
	return arch_irqchip_create(dev->vm);
}

static int xics_fdt(struct device *dev, void *fdt)
{
	uint32_t servers[2] = { 0, cpu_to_be32(dev->vm->nr_vcpus) };
	int node = fdt_add_subnode(fdt, 0, "interrupt-controller");

	if (node < 0)
		return -1;
	if (fdt_setprop_string(fdt, node, "device_type",
			       "PowerPC-External-Interrupt-Presentation") ||
	    fdt_setprop_string(fdt, node, "compatible", "IBM,ppc-xicp") ||
	    fdt_setprop(fdt, node, "interrupt-controller", NULL, 0) ||
	    fdt_setprop(fdt, node, "ibm,interrupt-server-ranges", servers, sizeof(servers)) ||
	    fdt_setprop_u32(fdt, node, "#interrupt-cells", 2) ||
	    fdt_setprop_u32(fdt, node, "linux,phandle", XICS_PHANDLE) ||
	    fdt_setprop_u32(fdt, node, "phandle", XICS_PHANDLE))
		return -1;
	return 0;
}

static const struct device_ops xics_ops = {
	.name = "xics",
	.realize = xics_realize,
	.fdt = xics_fdt,
};

int xics_create(struct vm *vm)
{
	return device_add(vm, &xics_ops, NULL) ? 0 : -1;
}
