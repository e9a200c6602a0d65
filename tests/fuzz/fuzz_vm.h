/* SPDX-License-Identifier: GPL-2.0-only */
/* One VM for a whole fuzzing run; reset between inputs so each starts alike. */
#ifndef PSVM_FUZZ_VM_H
#define PSVM_FUZZ_VM_H

#include <string.h>

#include "fake_arch.h"
#include "vm.h"

#define FUZZ_RAM (16ULL << 20)

static struct vm *fuzz_vm(void)
{
	static struct vm *vm;

	if (!vm)
		vm = test_vm(FUZZ_RAM, 4);
	atomic_store(&vm->stopping, false);
	vm->exit_status = 0;
	for (unsigned int i = 0; i < vm->nr_vcpus; i++)
		vm->vcpus[i].state = i == 0 ? VCPU_RUNNING : VCPU_STOPPED;
	return vm;
}

#endif
