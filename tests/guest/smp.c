// SPDX-License-Identifier: GPL-2.0-only
/*
 * Two vCPUs: start-cpu, stop-self, query-cpu-stopped-state, restart; and H_SET_MODE while
 * the other vCPU spins in the guest without an exit (it must not wait for one).
 */
#include "payload.h"

extern char secondary_start[];
static volatile uint64_t seen[8];
static volatile int spin; /* the secondary loops, no hcall, until this is 0 */

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	seen[cpu & 7]++;
	__asm__ volatile("sync" ::: "memory");
	while (spin)
		;
	rtas_stop_self();
	os_term("stop-self returned");
}

static int wait_seen(unsigned int cpu, uint64_t n)
{
	for (long i = 0; i < 2000000000L; i++)
		if (seen[cpu] >= n)
			return 1;
	return 0;
}

static int wait_stopped(unsigned int cpu)
{
	uint32_t r[2];

	for (long i = 0; i < 1000000L; i++)
		if (rtas("query-cpu-stopped-state", 1, 2, r, cpu) == 0 && r[1] == 0)
			return 1;
	return 0;
}

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	uint32_t entry = (uint32_t)(uintptr_t)secondary_start, r[2];
	int s;

	fdt = dt;
	tap_plan(11);
	tap_ok(fdt_count_children("cpus") == 2, "two CPUs in the device tree (%d)",
	       fdt_count_children("cpus"));
	s = rtas("query-cpu-stopped-state", 1, 2, r, 1);
	tap_ok(s == 0 && r[1] == 0, "secondary held stopped (%u)", r[1]);
	s = rtas("start-cpu", 3, 1, NULL, 1, entry, 1);
	tap_ok(s == 0 && wait_seen(1, 1), "start-cpu(1) runs our code");
	tap_ok(wait_stopped(1), "stop-self: secondary reported stopped");
	s = rtas("start-cpu", 3, 1, NULL, 1, entry, 1);
	tap_ok(s == 0 && wait_seen(1, 2), "restart after stop-self");
	tap_ok(wait_stopped(1), "stopped again");
	s = rtas("start-cpu", 3, 1, NULL, 0, entry, 0);
	tap_ok(s == -1, "start-cpu on a running CPU -> -1 (%d)", s);
	spin = 1;
	s = rtas("start-cpu", 3, 1, NULL, 1, entry, 1);
	tap_ok(s == 0 && wait_seen(1, 3), "the secondary spins in the guest");
	/* H_SET_MODE(LE): every vCPU's interrupt endianness, the spinning one's too */
	tap_ok(hcall(0x31c, NULL, 1, 4, 0, 0) == H_SUCCESS,
	       "H_SET_MODE(LE) returns while the other vCPU spins");
	spin = 0;
	__asm__ volatile("sync" ::: "memory");
	wait_stopped(1);
	s = rtas("start-cpu", 3, 1, NULL, 9, entry, 9);
	tap_ok(s == -3, "start-cpu on a CPU that does not exist -> -3 (%d)", s);
	/* (QEMU starts the CPU there) */
	s = vmm_is_psvm() ? rtas("start-cpu", 3, 1, NULL, 1, 0xfffffff0u, 1) : 0;
	tap_strict(s == -3, "start-cpu at an address outside RAM -> -3 (%d)", s);
}
