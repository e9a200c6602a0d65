// SPDX-License-Identifier: GPL-2.0-only
/*
 * The platform pieces of a pseries a guest reads at boot: nvram (RTAS nvram-fetch/-store,
 * kept across reboots and runs with --nvram), system parameters (Linux's lparcfg), and a
 * machine check for a load where there is nothing.
 *
 * Command line: nv.reboot=N reboots until the nvram's generation counter reaches N
 * (psvm --on-reboot restart), mce=1 ends with the machine check test.
 */
#include "payload.h"

#define GEN_MAGIC 0x70737667u /* "psvg" */

static uint32_t be32_(const void *p)
{
	const uint8_t *b = p;

	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint8_t buf[64] __attribute__((aligned(16)));

static int contains(const char *s, const char *w)
{
	for (; *s; s++) {
		int i = 0;

		while (w[i] && s[i] == w[i])
			i++;
		if (!w[i])
			return 1;
	}
	return 0;
}

extern char mce_load[];

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	uint32_t reboot = 0, mce, size, r[2], gen = 0, *w = (uint32_t *)buf;
	const void *p;
	int len, s;

	fdt = dt;
	reboot = cmdline_hex("nv.reboot", 0);
	mce = cmdline_hex("mce", 0);
	tap_plan(13 + (mce ? 3 : 0));

	p = fdt_prop("vdevice", "nvram", "#bytes", &len);
	size = p && len == 4 ? be32_(p) : 0;
	tap_ok(size >= 8192 && rtas_token("nvram-fetch") > 0 && rtas_token("nvram-store") > 0,
	       "nvram of %u bytes, nvram-fetch and nvram-store", size);
	s = rtas("nvram-fetch", 3, 2, r, 0, (uint32_t)(uintptr_t)buf, 16);
	tap_ok(s == 0 && r[1] == 16, "nvram-fetch of its first header");
	printf_("# nvram signature %x\n", buf[0]);
	s = rtas("nvram-fetch", 3, 2, r, size - 8, (uint32_t)(uintptr_t)buf, 16);
	tap_ok(s == -3 && r[1] == 0, "nvram-fetch past the end -> -3, 0 bytes (%d)", s);
	s = vmm_is_psvm() ? rtas("nvram-store", 3, 2, r, 0, (uint32_t)(ram_size() - 8), 16) : 0;
	tap_strict(s == -3, "nvram-store from outside RAM -> -3 (%d)", s);

	/* the generation counter in the last 16 bytes (free space under any layout) */
	s = rtas("nvram-fetch", 3, 2, r, size - 16, (uint32_t)(uintptr_t)buf, 16);
	if (s == 0 && be32_(&w[0]) == GEN_MAGIC)
		gen = be32_(&w[1]);
	printf_("# nvram generation %u\n", gen);
	for (int i = 0; i < 4; i++) {
		buf[i] = (uint8_t)(GEN_MAGIC >> (24 - 8 * i));
		buf[4 + i] = (uint8_t)((gen + 1) >> (24 - 8 * i));
	}
	s = rtas("nvram-store", 3, 2, r, size - 16, (uint32_t)(uintptr_t)buf, 8);
	tap_ok(s == 0 && r[1] == 8, "nvram-store of generation %u", gen + 1);
	w[1] = 0;
	s = rtas("nvram-fetch", 3, 2, r, size - 16, (uint32_t)(uintptr_t)buf, 8);
	tap_ok(s == 0 && be32_(&w[1]) == gen + 1, "read back");

	/* system parameters, as QEMU's pseries answers them */
	s = rtas("ibm,get-system-parameter", 3, 1, r, 20, (uint32_t)(uintptr_t)buf, sizeof(buf));
	buf[sizeof(buf) - 1] = 0;
	tap_ok(s == 0 && contains((char *)buf + 2, "DesMem=") &&
		       contains((char *)buf + 2, "DesProcs="),
	       "get-system-parameter(SPLPAR characteristics) has DesMem and DesProcs");
	printf_("# %s\n", (char *)buf + 2);
	tap_ok((buf[0] << 8 | buf[1]) > 20, "with its length first");
	s = rtas("ibm,get-system-parameter", 3, 1, r, 42, (uint32_t)(uintptr_t)buf, sizeof(buf));
	tap_ok(s == 0 && buf[0] == 0 && buf[1] == 1 && buf[2] == 0,
	       "get-system-parameter(diagnostics run mode): disabled");
	s = rtas("ibm,get-system-parameter", 3, 1, r, 999, (uint32_t)(uintptr_t)buf, sizeof(buf));
	tap_ok(s == -3, "get-system-parameter(999) -> -3 (%d)", s);
	s = rtas("ibm,get-system-parameter", 3, 1, r, 20, (uint32_t)(uintptr_t)buf, 1);
	tap_ok(s == -9999, "a 1-byte buffer -> -9999 (%d)", s);
	s = rtas("ibm,set-system-parameter", 2, 1, r, 20, (uint32_t)(uintptr_t)buf);
	tap_ok(s == -9002, "set-system-parameter(20) -> not authorized (%d)", s);
	tap_ok(rtas_token("ibm,get-system-parameter") > 0, "ibm,get-system-parameter token");

	if (mce) {
		/* 16 TiB: neither RAM nor any PHB window (those start at 32 TiB) */
		uint64_t addr = 1ULL << 44, v;

		mce_expected_pc = (uint64_t)(uintptr_t)mce_load;
		mce_expected_dar = addr;
		__asm__ volatile(".globl mce_load\nmce_load: ld %0, 0(%1)" : "=r"(v) : "b"(addr)
				 : "memory");
		mce_expected_pc = 0;
		tap_ok(0, "a load from nowhere returned %lx: no machine check", v);
		return;
	}
	if (reboot && gen + 1 < reboot) {
		printf_("# rebooting\n");
		rtas("system-reboot", 0, 1, r);
		tap_ok(0, "system-reboot returned");
	}
}

void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu)
{
	(void)cpu;
}
