// SPDX-License-Identifier: GPL-2.0-only
/* RTAS from the guest: time of day, console, CPU state, bad arguments. */
#include "payload.h"

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	uint32_t r[8];
	uint64_t o[9];
	int s;

	fdt = dt;
	tap_plan(13);
	tap_ok(rtas_token("power-off") > 0 && rtas_token("start-cpu") > 0,
	       "RTAS tokens in the device tree");
	s = rtas("get-time-of-day", 0, 8, r);
	tap_ok(s == 0 && r[1] >= 2024 && r[1] < 2200 && r[2] >= 1 && r[2] <= 12 && r[3] >= 1 &&
		       r[3] <= 31 && r[4] < 24,
	       "get-time-of-day: %u-%u-%u %u:%u", r[1], r[2], r[3], r[4], r[5]);
	s = rtas("set-time-of-day", 7, 1, r, 2030, 1, 2, 3, 4, 5, 0);
	tap_ok(s == 0, "set-time-of-day 2030-01-02 03:04:05");
	s = rtas("get-time-of-day", 0, 8, r);
	tap_ok(s == 0 && r[1] == 2030 && r[2] == 1 && r[3] == 2 && r[4] == 3 && r[5] == 4,
	       "get-time-of-day follows: %u-%u-%u %u:%u", r[1], r[2], r[3], r[4], r[5]);
	s = vmm_is_psvm() ? rtas("set-time-of-day", 7, 1, r, 2030, 13, 2, 3, 4, 5, 0) : 0;
	tap_strict(s == -3, "set-time-of-day month 13 -> -3 (%d)", s);
	s = rtas("get-time-of-day", 0, 1, r);
	tap_ok(s == -3, "get-time-of-day with 1 return -> -3 (%d)", s);
	s = rtas_tok(0x1fff, 0, 1, r);
	tap_ok(s == -3, "unknown token -> -3 (%d)", s);
	/* (QEMU + KVM stops with "kvm run failed Bad address") */
	tap_strict(vmm_is_psvm() && hcall(0xf000, o, ram_size() - 4, 0, 0, 0) == H_PARAMETER,
		   "RTAS args buffer outside RAM -> H_PARAMETER");
	s = rtas("display-character", 1, 1, r, '#');
	puts_("\n");
	tap_ok(s == 0, "display-character");
	s = rtas("query-cpu-stopped-state", 1, 2, r, 0);
	tap_ok(s == 0 && r[1] == 2, "query-cpu-stopped-state(0): running (%u)", r[1]);
	s = rtas("query-cpu-stopped-state", 1, 2, r, 7);
	tap_ok(s == -3, "query-cpu-stopped-state(7) -> -3 (%d)", s);
	s = rtas("event-scan", 4, 1, r, 0, 0, 0, 0);
	tap_ok(s == 1, "event-scan: no error log (%d)", s);
	s = rtas("power-off", 1, 1, r, 0);
	tap_ok(s == -3, "power-off with 1 argument -> -3 (%d)", s);
	/* then power_off() from crt0: psvm must exit 0 */
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
