// SPDX-License-Identifier: GPL-2.0-only
/* H_SIGNAL_SYS_RESET: bad targets refused; a reset of ourselves arrives at 0x100. */
#include "payload.h"

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	uint64_t a[9] = { (uint64_t)-1 };

	fdt = dt;
	tap_plan(3);
	tap_ok(hcall(0x380, NULL, 99, 0, 0, 0) == H_PARAMETER,
	       "H_SIGNAL_SYS_RESET(99): no such vCPU -> H_PARAMETER");
	tap_ok(hcall(0x380, NULL, (uint64_t)-3, 0, 0, 0) == H_PARAMETER,
	       "H_SIGNAL_SYS_RESET(-3) -> H_PARAMETER");
	sreset_expected = 1;
	hcall_raw(0x380, a); /* every vCPU, us included: the reset comes right after */
	sreset_expected = 0;
	tap_ok(0, "no system reset arrived");
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
