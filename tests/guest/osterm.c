// SPDX-License-Identifier: GPL-2.0-only
/* ibm,os-term: psvm must stop the guest and exit with status 3. */
#include "payload.h"

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	fdt = dt;
	tap_plan(1);
	tap_ok(rtas_token("ibm,os-term") > 0, "calling ibm,os-term");
	os_term("psvm lab: deliberate os-term");
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
