// SPDX-License-Identifier: GPL-2.0-only
/* Kernel images: whatever the file holds, load_elf must reject it or load it in RAM. */
#include <stdint.h>
#include <stdlib.h>

#include "loader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct guest_mem mem;
	struct load_info li = { 0 };
	char err[256];

	if (!mem.hva && guest_mem_alloc(&mem, 8 << 20, false))
		abort();
	if (!load_elf(&mem, data, size, &li, err, sizeof(err))) {
		if (li.kernel_end > mem.size || li.entry >= mem.size)
			abort();
		load_initrd(&mem, data, size, mem.size, &li, err, sizeof(err));
	}
	return 0;
}
