// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hvterm console (QEMU's spapr-vty at reg 0x71000000): H_PUT_TERM_CHAR and
 * H_GET_TERM_CHAR carry up to 16 bytes in two registers, first byte most significant.
 * Linux's early debug code uses terminal number 0, so 0 also names this console.
 */
#include <libfdt.h>

#include "console.h"
#include "devtree.h"
#include "hcall.h"
#include "vm.h"
#include "vty.h"

static bool vty_termno_ok(uint64_t termno)
{
	return termno == VTY_REG || termno == 0;
}

static long h_put_term_char(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint64_t len = args[1];
	char buf[16];

	if (!vty_termno_ok(args[0]))
		return H_PARAMETER;
	if (len > sizeof(buf))
		return H_PARAMETER;
	for (unsigned int i = 0; i < len; i++)
		buf[i] = (char)(args[2 + i / 8] >> (56 - 8 * (i % 8)));
	console_write(cpu->vm->console, buf, len);
	return H_SUCCESS;
}

static long h_get_term_char(struct vcpu *cpu, uint64_t nr __unused, uint64_t *args)
{
	uint8_t buf[16];
	size_t n;

	if (!vty_termno_ok(args[0]))
		return H_PARAMETER;
	n = console_read(cpu->vm->console, buf, sizeof(buf));
	args[0] = n;
	args[1] = 0;
	args[2] = 0;
	for (unsigned int i = 0; i < n; i++)
		args[1 + i / 8] |= (uint64_t)buf[i] << (56 - 8 * (i % 8));
	return H_SUCCESS;
}

static int vty_realize(struct device *dev)
{
	struct vm *vm = dev->vm;

	if (hcall_register(&vm->hcalls, H_PUT_TERM_CHAR, h_put_term_char, "H_PUT_TERM_CHAR") ||
	    hcall_register(&vm->hcalls, H_GET_TERM_CHAR, h_get_term_char, "H_GET_TERM_CHAR"))
		return -1;
	return 0;
}

static int vty_fdt(struct device *dev __unused, void *fdt)
{
	int vdev = fdt_path_offset(fdt, "/vdevice"), node;

	if (vdev < 0)
		return -1;
	node = fdt_add_subnode(fdt, vdev, VTY_NODE_NAME);
	if (node < 0)
		return -1;
	/* No "interrupts": Linux's hvc_vio then polls, which needs no interrupt routing. */
	if (fdt_setprop_string(fdt, node, "device_type", "serial") ||
	    fdt_setprop_string(fdt, node, "compatible", "hvterm1") ||
	    fdt_setprop_u32(fdt, node, "reg", VTY_REG))
		return -1;
	return 0;
}

static const struct device_ops vty_ops = {
	.name = "vty",
	.realize = vty_realize,
	.fdt = vty_fdt,
};

int vty_create(struct vm *vm)
{
	return device_add(vm, &vty_ops, NULL) ? 0 : -1;
}
