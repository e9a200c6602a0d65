/* SPDX-License-Identifier: GPL-2.0-only */
/* One VM for a whole fuzzing run; reset between inputs so each starts alike. */
#ifndef PSVM_FUZZ_VM_H
#define PSVM_FUZZ_VM_H

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fake_arch.h"
#include "fake_pci.h"
#include "irqchip.h"
#include "tce.h"
#include "vm.h"

#define FUZZ_RAM (16ULL << 20)

static int fuzz_host_map(void *ctx, uint64_t iova, uint64_t hva, uint64_t len, uint8_t prot)
{
	return (iova ^ hva ^ len) % 97 ? 0 : -ENOMEM; /* now and then the host refuses */
}

static int fuzz_host_unmap(void *ctx, uint64_t iova, uint64_t len)
{
	return 0;
}

static struct vm *fuzz_vm(void)
{
	static struct map_backend be = { .map = fuzz_host_map, .unmap = fuzz_host_unmap };
	static struct map_engine eng;
	static struct vm *vm;

	if (!vm) {
#ifdef FUZZ_XIVE
		/* XIVE exploitation mode: its H_INT_* hcalls are in the table too */
		fake_arch.xive = true;
		fake_arch.ram_page_size = 1ULL << 16;
#endif
		vm = test_vm(FUZZ_RAM, 4);
#ifdef FUZZ_XIVE
		if (!irqchip_of(vm)->xive)
			abort();
#endif
		/*
		 * A PCI function on a PHB (config space, BARs, default window, DDW calls: the
		 * PCI and DDW RTAS calls and TCE hcalls are registered with it), plus a 64K-page
		 * window of its own. Windows stay small (16 MiB default, DDWs up to 64 MiB):
		 * each input may reset, create or clear whole windows, and the checks do not
		 * depend on size, so big 4K-TCE windows only slow the fuzzer down.
		 */
		if (!fake_pci_add_sized(vm, (1ULL << 12) | (1ULL << 16) | (1ULL << 21), 1ULL << 21,
					16ULL << 20, 64ULL << 20) ||
		    map_engine_init(&eng, "coalesce", &be) ||
		    !tce_window_create(vm, 0x90000001, 1ULL << 59, 64ULL << 20, 16, &eng, false))
			abort();
	}
	atomic_store(&vm->stopping, false);
	vm->exit_status = 0;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_STOPPED;
	return vm;
}

#endif
