// SPDX-License-Identifier: GPL-2.0-only
/*
 * A guest psvm must be able to stop whatever it does: every vCPU spinning in the guest
 * with no exit at all, or (spin.exc=1) taking program interrupts in a loop it handles
 * itself. It says "# spinning" once all are at it, and never stops on its own: should its
 * control flow be lost (a return out of the loop) it ends with ibm,os-term, not power-off.
 */
#include "payload.h"

extern char secondary_start[];
static volatile int started;

/* Program interrupt at 0x700: skip the trap (r9 only), back to where it was. */
static void exc_vector(void)
{
	static const uint32_t code[] = {
		0x7d3a02a6, /* mfsrr0 r9 */
		0x39290004, /* addi   r9,r9,4 */
		0x7d3a03a6, /* mtsrr0 r9 */
		0x4c000024, /* rfid */
	};
	uintptr_t at = 0x700;
	volatile uint32_t *v;

	__asm__("" : "+r"(at)); /* a real address, not an object the compiler knows */
	v = (volatile uint32_t *)at;

	for (unsigned int i = 0; i < 4; i++)
		v[i] = code[i];
	__asm__ volatile("dcbst 0,%0; sync; icbi 0,%0; sync; isync" : : "r"(v) : "memory");
}

static void spin(int exc)
{
	if (exc)
		for (;;)
			__asm__ volatile("trap" : : : "r9", "memory");
	for (;;)
		__asm__ volatile("" : : : "memory");
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	__atomic_fetch_add(&started, 1, __ATOMIC_SEQ_CST);
	spin((int)cmdline_hex("spin.exc", 0));
}

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	int cpus, exc;

	fdt = dt;
	power_off_unexpected = 1;
	cpus = fdt_count_children("cpus");
	exc = (int)cmdline_hex("spin.exc", 0);
	if (exc)
		exc_vector();
	for (int c = 1; c < cpus; c++)
		rtas("start-cpu", 3, 1, NULL, c, (uint32_t)(uintptr_t)secondary_start, c);
	while (__atomic_load_n(&started, __ATOMIC_SEQ_CST) < cpus - 1)
		;
	printf_("# spinning on %d vCPUs%s\n", cpus, exc ? ", taking program interrupts" : "");
	spin(exc);
}
