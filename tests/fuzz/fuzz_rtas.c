// SPDX-License-Identifier: GPL-2.0-only
/*
 * RTAS calls as a guest can make them: the input is the rtas_args buffer (token,
 * nargs, nret, words) placed in guest memory, and where r4 points.
 *
 * Steering, from the first byte of the buffer (which the token then overwrites): bit 7 a
 * valid token; bit 6 the argument and return counts the call declares (most handlers
 * refuse any other, so random counts end there); bit 5 every argument word inside guest
 * RAM (buffer addresses), with bit 3 under 64 KiB too (nvram offsets and lengths, CPU
 * numbers, parameter tokens in range); bit 4 the buffer
 * anywhere in RAM, else 4-byte aligned in the first 64 KiB (cleared before each input, so
 * an input means the same whatever ran before it).
 */
#include <stdint.h>

#include "be.h"
#include "fuzz_vm.h"
#include "rtas.h"

#define ZEROED 0x10000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vm *vm = fuzz_vm();
	uint64_t args[9] = { 0 };
	uint32_t where;
	uint8_t steer;
	uint8_t *buf;

	if (size < 4)
		return 0;
	where = ld_be32(data);
	data += 4;
	size -= 4;
	if (size > 4096)
		size = 4096;
	steer = size ? data[0] : 0;
	where = steer & 0x10 ? where % (uint32_t)FUZZ_RAM : (where % (ZEROED - 4096)) & ~3u;
	memset(vm->mem.hva, 0, ZEROED);
	if (where + size <= FUZZ_RAM)
		memcpy(vm->mem.hva + where, data, size);
	buf = vm->mem.hva + where;
	if (size >= 4 && where + 4 <= FUZZ_RAM && (steer & 0x80))
		st_be32(buf, RTAS_TOKEN_BASE + data[1] % (vm->rtas.n + 1));
	if (size >= 12 && where + 12 <= FUZZ_RAM && (steer & 0x40)) {
		/* the counts the call declares (rtas_def), where the token is one */
		const struct rtas_entry *e = rtas_lookup(&vm->rtas, ld_be32(buf));
		int na = e ? e->def->nargs : -1, nr = e ? e->def->nret : -1;

		st_be32(buf + 4, na >= 0 ? (uint32_t)na : data[2] % 8u);
		st_be32(buf + 8, nr >= 0 ? (uint32_t)nr : data[3] % 8u);
	}
	for (size_t off = 12; steer & 0x20 && off + 4 <= size && where + off + 4 <= FUZZ_RAM;
	     off += 4)
		st_be32(buf + off,
			ld_be32(buf + off) % (steer & 0x08 ? ZEROED : (uint32_t)FUZZ_RAM));
	args[0] = where;
	hcall_dispatch(&vm->vcpus[0], KVMPPC_H_RTAS, args);
	return 0;
}
