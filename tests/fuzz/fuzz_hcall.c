// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every registered hypercall with arguments and guest memory from the input, in XIVE
 * exploitation mode (XICS's hcalls are KVM's; XIVE's H_INT_* are psvm's).
 */
#include <stdint.h>

#define FUZZ_XIVE

#include "be.h"
#include "fuzz_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm *vm = fuzz_vm();
	uint64_t args[9];
	uint64_t nr;
	unsigned int cpu;

	if (size < 2 + sizeof(args))
		return 0;
	/* byte 0: which registered hcall (or a raw number); byte 1: which vCPU */
	nr = data[0] < 0xf0 ? vm->hcalls.e[data[0] % vm->hcalls.n].nr : data[0] * 4ULL;
	cpu = data[1] % vm->nr_vcpus;
	memcpy(args, data + 2, sizeof(args));
	data += 2 + sizeof(args);
	size -= 2 + sizeof(args);
	/* Small numbers make hits: fold addresses into RAM half of the time, LIOBNs onto ours. */
	for (int i = 0; i < 9; i++)
		if (args[i] & 1)
			args[i] = (args[i] >> 1) % FUZZ_RAM;
	if (args[0] & 2) /* the PHB's default window, its DDW (when made), the 64K window */
		args[0] = (args[0] >> 2) % 3 == 2 ? 0x90000001 : 0x80000000 | (args[0] >> 2) % 3;
	memset(vm->mem.hva, 0, 0x10000);
	memcpy(vm->mem.hva, data, size > 0x10000 ? 0x10000 : size);
	hcall_dispatch(&vm->vcpus[cpu], nr, args);
	return 0;
}
