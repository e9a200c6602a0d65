// SPDX-License-Identifier: GPL-2.0-only
/* system-reboot: with --on-reboot exit (the default) psvm must exit with status 4. */
#include "payload.h"

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	fdt = dt;
	tap_plan(1);
	tap_ok(rtas_token("system-reboot") > 0, "calling system-reboot");
	rtas("system-reboot", 0, 1, NULL);
	os_term("system-reboot returned");
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
