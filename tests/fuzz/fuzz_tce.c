// SPDX-License-Identifier: GPL-2.0-only
/*
 * TCE hcalls on windows over a fake iommufd IOAS (whole unmaps only, calls that fail when
 * the input says), with the invariant checked after every hcall: the host maps exactly
 * what the table says. Each input is a sequence of 16-byte steps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "be.h"
#include "fake_arch.h"
#include "fake_ioas.h"
#include "hcall.h"
#include "tce.h"
#include "vm.h"

#define LIOBN4K	 0x80000001
#define LIOBN64K 0x80000002
#define RAM	 (16ULL << 20)

static struct fake_ioas ioas;
static struct map_backend be;
static struct map_engine eng[2]; /* coalesce, ioctl */
static struct tce_window *win[2];
static struct vm *vm;

static void setup(void)
{
	vm = test_vm(RAM, 1);
	fake_ioas_backend(&ioas, &be);
	if (tce_register_hcalls(vm) || map_engine_init(&eng[0], "coalesce", &be) ||
	    map_engine_init(&eng[1], "ioctl", &be))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t nrs[] = { H_PUT_TCE, H_STUFF_TCE, H_PUT_TCE_INDIRECT, H_GET_TCE };

	if (!vm)
		setup();
	if (!size)
		return 0;
	/* byte 0: the engine; windows: 128 TCEs of 4K, 32 of 64K */
	memset(&ioas, 0, sizeof(ioas));
	win[0] = tce_window_create(vm, LIOBN4K, 0, 128 * SZ_4K, 12, &eng[data[0] & 1], false);
	win[1] = tce_window_create(vm, LIOBN64K, 1ULL << 32, 32 * SZ_64K, 16, &eng[data[0] & 1],
				   false);
	if (!win[0] || !win[1])
		abort();
	data++;
	size--;
	for (; size >= 16; data += 16, size -= 16) {
		unsigned int w = data[0] & 1, k = data[1];
		uint64_t page = 1ULL << win[w]->page_shift, gpa = (uint64_t)data[2] << 16;
		uint64_t a[9] = { w ? LIOBN64K : LIOBN4K,
				  win[w]->bus_offset + (k % (win[w]->size >> win[w]->page_shift)) * page,
				  (gpa & ~(page - 1)) | (data[3] & 3), 1 + data[4] % 16 };
		uint8_t *list = vm->mem.hva + 0x100000;

		if (data[5] & 1) { /* the list: entries from the input, contiguous or not */
			for (unsigned int i = 0; i < 16; i++)
				st_be64(list + 8 * i, ((gpa + (data[6] & 1 ? i : 2 * i) * page) &
						       ~(page - 1)) | (data[7] & 3));
			a[2] = 0x100000;
		}
		ioas.fail_at = data[8] & 7 ? 0 : ioas.calls + 1 + data[9] % 4;
		hcall_dispatch(&vm->vcpus[0], nrs[data[10] % 4], a);
		for (unsigned int i = 0; i < 2; i++)
			if (fake_ioas_check(&ioas, vm, win[i]) >= 0)
				abort(); /* the host maps what the table does not say, or the reverse */
	}
	ioas.fail_at = 0;
	for (unsigned int i = 0; i < 2; i++)
		if (tce_window_destroy(vm, win[i]))
			abort(); /* a host that fails nothing refused the teardown */
	if (ioas.n)
		abort(); /* teardown left mappings */
	return 0;
}
