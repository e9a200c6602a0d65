// SPDX-License-Identifier: GPL-2.0-only
/*
 * RTAS calls as a guest can make them: the input is the rtas_args buffer (token,
 * nargs, nret, words) placed in guest memory, and where r4 points.
 */
#include <stdint.h>

#include "be.h"
#include "fuzz_vm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm *vm = fuzz_vm();
	uint64_t args[9] = { 0 };
	uint32_t where;

	if (size < 4)
		return 0;
	/* Steer tokens into the valid range most of the time. */
	where = ld_be32(data) % (uint32_t)FUZZ_RAM;
	data += 4;
	size -= 4;
	if (size > 4096)
		size = 4096;
	memset(vm->mem.hva, 0, 0x10000);
	if (where + size <= FUZZ_RAM)
		memcpy(vm->mem.hva + where, data, size);
	if (size >= 4 && where + 4 <= FUZZ_RAM && (data[0] & 0x80))
		st_be32(vm->mem.hva + where, RTAS_TOKEN_BASE + data[1] % (vm->rtas.n + 1));
	args[0] = where;
	hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, args);
	return 0;
}
