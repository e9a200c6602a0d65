// SPDX-License-Identifier: GPL-2.0-only
/* Hypercalls as a guest sees them: results and every error path we can provoke. */
#include "payload.h"

static uint8_t vpa[4096] __attribute__((aligned(4096)));

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	uint64_t o[9], r1, r2;
	long r;

	fdt = dt;
	tap_plan(23);
	tap_ok(ram_size() >= (64ULL << 20), "device tree readable, RAM %lu MiB", ram_size() >> 20);
	tap_ok(hcall(0x7ff0, NULL, 0, 0, 0, 0) == H_FUNCTION, "unknown hcall -> H_FUNCTION");
	tap_ok(hcall(0x58, NULL, VTY, 17, 0, 0) == H_PARAMETER, "H_PUT_TERM_CHAR len 17 -> H_PARAMETER");
	tap_ok(hcall(0x58, NULL, 0x1234, 1, 0x41ULL << 56, 0) == H_PARAMETER,
	       "H_PUT_TERM_CHAR bad terminal -> H_PARAMETER");
	r = hcall(0x54, o, VTY, 0, 0, 0);
	tap_ok(r == H_SUCCESS && o[0] == 0, "H_GET_TERM_CHAR with no input: 0 bytes");

	r = hcall(0x300, o, 0, 0, 0, 0);
	r1 = o[0];
	r |= hcall(0x300, o, 0, 0, 0, 0);
	r2 = o[0];
	tap_ok(r == H_SUCCESS && r1 != r2, "H_RANDOM gives fresh numbers (%lx %lx)", r1, r2);

	/* H_SET_SPRG0 (hcall-sprg0), read back with mfsprg0 */
	{
		uint64_t v;

		r = hcall(0x24, NULL, 0x5053564d53505247ULL, 0, 0, 0);
		__asm__ volatile("mfsprg0 %0" : "=r"(v));
		tap_ok(r == H_SUCCESS && v == 0x5053564d53505247ULL, "H_SET_SPRG0 -> SPRG0 %#lx",
		       (unsigned long)v);
	}
	/* H_PAGE_INIT (hcall-copy): zero a page, copy one, refuse an unaligned one (16 MiB:
	 * inside a hash guest's real-mode area too) */
	{
		volatile uint8_t *a = (volatile uint8_t *)0x1000000, *b = a + 0x1000;

		for (int i = 0; i < 4096; i++) {
			a[i] = 0xab;
			b[i] = (uint8_t)i;
		}
		r = hcall(0x2c, NULL, 1ULL << (63 - 48), 0x1000000, 0, 0);
		tap_ok(r == H_SUCCESS && !a[0] && !a[4095], "H_PAGE_INIT(zero)");
		r = hcall(0x2c, NULL, 1ULL << (63 - 49), 0x1000000, 0x1001000, 0);
		r1 = hcall(0x2c, NULL, 1ULL << (63 - 48), 0x1000800, 0, 0);
		tap_ok(r == H_SUCCESS && a[7] == 7 && a[4095] == 0xff && (long)r1 == H_PARAMETER,
		       "H_PAGE_INIT(copy); unaligned -> H_PARAMETER (%ld)", (long)r1);
	}

	tap_ok(hcall(0x31c, NULL, 1, 4, 0, 0) == H_SUCCESS, "H_SET_MODE(LE) -> H_SUCCESS");
	tap_ok(hcall(0x31c, NULL, 2, 4, 0, 0) == H_UNSUPPORTED_FLAG,
	       "H_SET_MODE(LE, mflags 2) -> H_UNSUPPORTED_FLAG");
	tap_ok(hcall(0x31c, NULL, 1, 4, 7, 0) == H_P3, "H_SET_MODE(LE, value1) -> H_P3");
	tap_ok(hcall(0x31c, NULL, 0, 99, 0, 0) == H_P2, "H_SET_MODE(resource 99) -> H_P2");
	tap_ok(hcall(0x31c, NULL, 1, 3, 0, 0) == H_UNSUPPORTED_FLAG,
	       "H_SET_MODE(AIL 1) -> H_UNSUPPORTED_FLAG");

	tap_ok(hcall(0x37c, NULL, 0x100, 0, 0, 0) == H_PARAMETER,
	       "H_REGISTER_PROC_TBL unknown flags -> H_PARAMETER");
	if (mmu_is_radix()) {
		tap_ok(hcall(0x37c, NULL, 0x18 | 0x4 | 0x1, ram_size() - 4096, 0, 4) == H_P2,
		       "H_REGISTER_PROC_TBL table beyond RAM -> H_P2");
		tap_ok(hcall(0x37c, NULL, 0x18 | 0x4 | 0x1, 0x10800, 0, 4) == H_P2,
		       "H_REGISTER_PROC_TBL misaligned table -> H_P2");
	} else {
		tap_ok(hcall(0x37c, NULL, 0x18 | 0x4 | 0x1, 0x10000, 0, 4) == H_PARAMETER,
		       "hash guest: H_REGISTER_PROC_TBL(radix) -> H_PARAMETER");
		tap_ok(hcall(0x37c, NULL, 0x18, 0x10000, 0, 0) == H_PARAMETER,
		       "hash guest: H_REGISTER_PROC_TBL(HPT) with a table -> H_PARAMETER");
	}
	tap_ok(hcall(0x3c, NULL, 3, 0x200000000ULL, 0, 0) == H_PARAMETER,
	       "H_LOGICAL_CI_LOAD size 3 -> H_PARAMETER");
	tap_ok(hcall(0x3c, NULL, 4, 0x200000000ULL, 0, 0) == H_PARAMETER,
	       "H_LOGICAL_CI_LOAD unmapped -> H_PARAMETER");
	/* hcall-debug on RAM, as QEMU serves it: H_LOGICAL_CACHE_STORE, read back two ways */
	{
		static volatile uint8_t cell[8] __attribute__((aligned(8)));
		long s = hcall(0x48, NULL, 4, (uint64_t)(uintptr_t)cell, 0x11223344, 0);

		r = hcall(0x3c, o, 4, (uint64_t)(uintptr_t)cell, 0, 0);
		tap_ok(s == H_SUCCESS && r == H_SUCCESS && o[0] == 0x11223344 && cell[0] == 0x11 &&
			       cell[3] == 0x44 && cell[4] == 0,
		       "H_LOGICAL_CACHE_STORE and H_LOGICAL_CI_LOAD on RAM, big-endian (%ld %ld %lx)",
		       s, r, o[0]);
	}
	tap_ok(hcall(0xdc, NULL, 1ULL << 45, 99, (uint64_t)(uintptr_t)vpa, 0) == H_PARAMETER,
	       "H_REGISTER_VPA for a vCPU that does not exist -> H_PARAMETER");
	vpa[4] = 640 >> 8;
	vpa[5] = 640 & 0xff;
	r = hcall(0xdc, NULL, 1ULL << 45, 0, (uint64_t)(uintptr_t)vpa, 0);
	tap_ok(r == H_SUCCESS, "H_REGISTER_VPA of our own VPA -> %ld", r);
	r = hcall(0xdc, NULL, 5ULL << 45, 0, 0, 0);
	tap_ok(r == H_SUCCESS, "H_REGISTER_VPA deregister -> %ld", r);
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
