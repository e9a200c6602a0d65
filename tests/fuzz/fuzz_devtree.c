// SPDX-License-Identifier: GPL-2.0-only
/*
 * The device tree builder over the machines a user can configure: RAM, vCPUs, MMU, XICS or
 * XIVE, 0-3 PCI functions (their PHB nodes too) with their page sizes, a command line and an
 * initrd, into 1 MiB or now and then a few KiB. The tree is built or refused cleanly (too big
 * for its space); a tree built passes libfdt's full check and says what was configured.
 */
#include <libfdt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devtree.h"
#include "fake_arch.h"
#include "fake_pci.h"
#include "irqchip.h"
#include "vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t pgsizes[] = { 1ULL << 12, 1ULL << 16, 1ULL << 21, 1ULL << 24 };
	struct fake_pci *fp[3] = { NULL };
	unsigned int cpus, npci;
	static uint8_t *fdt;
	size_t room;
	struct vm *vm;
	int node, n = 0;

	if (size < 8)
		return 0;
	if (!fdt && !(fdt = malloc(FDT_MAX_SIZE + 1)))
		abort();
	/* now and then a buffer the tree may not fit: refused, and nothing written past it */
	room = data[5] & 0x80 ? 256 + ((size_t)data[7] << 5) : FDT_MAX_SIZE;
	fdt[room] = 0xa5;
	memset(&fake_arch, 0, sizeof(fake_arch));
	fake_arch.xive = data[2] & 1;
	fake_arch.ram_page_size = data[2] & 2 ? 1ULL << 16 : 0;
	/* up to 8 vCPUs, now and then up to 256 */
	cpus = data[1] == 0xff ? 1 + (data[7] | data[1] << 8) % 256 : 1 + data[1] % 8;
	vm = test_vm(16ULL << (data[0] % 5), cpus);
	if (data[3] & 1) { /* hash: the first memory node is the RMA */
		vm->radix = false;
		vm->rma_size = MIN(vm->mem.size, 32ULL << 20);
		vm_layout(vm);
	}
	vm->gtse = data[3] & 2;
	npci = data[4] % 4;
	for (unsigned int i = 0; i < npci; i++) {
		fp[i] = fake_pci_add_sized(vm, pgsizes[0] | pgsizes[(data[5] >> (2 * i)) & 3],
					   1ULL << 16, 1ULL << 20, 4ULL << 20);
		if (!fp[i])
			abort();
	}
	vm->li.kernel_start = 0x400000;
	vm->li.kernel_size = (uint64_t)data[6] << 16;
	vm->li.little_endian = data[6] & 1;
	vm->li.initrd_size = data[3] & 4 ? (uint64_t)data[7] << 12 : 0;
	vm->li.initrd_start = vm->li.initrd_size ? 0x1000000 : 0;
	data += 8;
	size -= 8;
	vm->cfg->cmdline = strndup((const char *)data, size); /* up to its first NUL */
	if (!devtree_build(vm, fdt, room)) {
		if (fdt_check_full(fdt, room))
			abort(); /* a tree the guest could not parse */
		node = fdt_path_offset(fdt, "/cpus");
		for (int c = node >= 0 ? fdt_first_subnode(fdt, node) : -1; c >= 0;
		     c = fdt_next_subnode(fdt, c))
			n++;
		node = fdt_path_offset(fdt, "/chosen");
		if (n != (int)cpus || node < 0 ||
		    strcmp(fdt_getprop(fdt, node, "bootargs", NULL), vm->cfg->cmdline))
			abort(); /* not the machine configured */
		for (unsigned int i = 0; i < npci; i++) {
			char path[40];

			snprintf(path, sizeof(path), "/pci@%llx", (unsigned long long)fp[i]->phb->buid);
			if (fdt_path_offset(fdt, path) < 0)
				abort(); /* a PHB missing */
		}
	}
	if (fdt[room] != 0xa5)
		abort(); /* written past the buffer */
	while (npci)
		fake_pci_free(vm, fp[--npci]);
	test_vm_free(vm);
	return 0;
}
