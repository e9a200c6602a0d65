// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "irqchip.h"
#include "unit.h"

Test(config, parse_size)
{
	uint64_t v;

	cr_assert_eq(parse_size("512M", &v), 0);
	cr_assert_eq(v, 512ULL << 20);
	cr_assert_eq(parse_size("2G", &v), 0);
	cr_assert_eq(v, 2ULL << 30);
	cr_assert_eq(parse_size("64k", &v), 0);
	cr_assert_eq(v, 64ULL << 10);
	cr_assert_eq(parse_size("1024", &v), 0); /* bare number: MiB, like QEMU -m */
	cr_assert_eq(v, 1024ULL << 20);
	cr_assert_eq(parse_size("4GB", &v), 0);
	cr_assert_eq(v, 4ULL << 30);
	cr_assert_eq(parse_size("", &v), -1);
	cr_assert_eq(parse_size("-1G", &v), -1);
	cr_assert_eq(parse_size("12X", &v), -1);
	cr_assert_eq(parse_size("1G2", &v), -1);
	cr_assert_eq(parse_size("99999999999999999T", &v), -1); /* overflow */
}

Test(config, set_keys_and_errors)
{
	struct psvm_config c;
	char err[256];

	config_init(&c);
	cr_assert_eq(config_set(&c, "cpus", "4", NULL, err, sizeof(err)), 0);
	cr_assert_eq(c.cpus, 4u);
	cr_assert_eq(config_set(&c, "cpus", "0", NULL, err, sizeof(err)), -1);
	cr_assert(strstr(err, "cpus"), "message names the key: %s", err);
	cr_assert_eq(config_set(&c, "cpus", "99999", NULL, err, sizeof(err)), -1);
	cr_assert_eq(config_set(&c, "mmu", "hash", NULL, err, sizeof(err)), 0);
	cr_assert_eq(c.mmu, MMU_HASH);
	cr_assert_eq(config_set(&c, "mmu", "paged", NULL, err, sizeof(err)), -1);
	cr_assert(strstr(err, "paged"));
	cr_assert_eq(c.irqchip, IRQCHIP_AUTO);
	cr_assert_eq(config_set(&c, "irqchip", "xive", NULL, err, sizeof(err)), 0);
	cr_assert_eq(c.irqchip, IRQCHIP_XIVE);
	cr_assert_eq(config_set(&c, "irqchip", "xics", NULL, err, sizeof(err)), 0);
	cr_assert_eq(c.irqchip, IRQCHIP_XICS);
	cr_assert_eq(config_set(&c, "irqchip", "mpic", NULL, err, sizeof(err)), -1);
	cr_assert(strstr(err, "irqchip: 'mpic'"), "%s", err);
	cr_assert_eq(config_set(&c, "memory", "lots", NULL, err, sizeof(err)), -1);
	cr_assert_eq(config_set(&c, "bogus", "1", NULL, err, sizeof(err)), -1);
	cr_assert(strstr(err, "unknown setting 'bogus'"), "%s", err);
	cr_assert_eq(config_set(&c, "kernel", NULL, NULL, err, sizeof(err)), -1);
	cr_assert_eq(config_set(&c, "console", "stdio", NULL, err, sizeof(err)), 0);
	cr_assert_null(c.console);
	config_free(&c);
}

Test(config, file_with_relative_paths)
{
	char dir[] = "/tmp/psvm-cfg-XXXXXX", path[128], err[256];
	struct psvm_config c;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/guest.conf", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs("# appliance\n kernel = vmlinux\ninitrd=/abs/initrd\n"
	      "cmdline = \" console=hvc0 quiet \"\nmemory = 1G\n\ncpus = 2\nnvram = nv.img\n", f);
	fclose(f);
	config_init(&c);
	cr_assert_eq(config_load_file(&c, path, err, sizeof(err)), 0, "%s", err);
	cr_assert(strstr(c.kernel, dir) == c.kernel, "relative to the file: %s", c.kernel);
	cr_assert_str_eq(c.initrd, "/abs/initrd");
	cr_assert(strstr(c.nvram, dir) == c.nvram && strstr(c.nvram, "/nv.img"), "%s", c.nvram);
	cr_assert_str_eq(c.cmdline, " console=hvc0 quiet ");
	cr_assert_eq(c.memory, 1ULL << 30);
	cr_assert_eq(c.cpus, 2u);
	cr_assert_eq(config_validate(&c, err, sizeof(err)), 0, "%s", err);
	config_free(&c);

	f = fopen(path, "w");
	fputs("kernel = x\nthis line has no equals\n", f);
	fclose(f);
	config_init(&c);
	cr_assert_eq(config_load_file(&c, path, err, sizeof(err)), -1);
	cr_assert(strstr(err, ":2:"), "names the line: %s", err);
	config_free(&c);
	unlink(path);
	rmdir(dir);
}

Test(config, validate)
{
	struct psvm_config c;
	char err[256];

	config_init(&c);
	cr_assert_eq(config_validate(&c, err, sizeof(err)), -1);
	cr_assert(strstr(err, "kernel"));
	c.kernel = strdup("k");
	c.memory = 1 << 20;
	cr_assert_eq(config_validate(&c, err, sizeof(err)), -1);
	c.memory = (256ULL << 20) + 4096;
	cr_assert_eq(config_validate(&c, err, sizeof(err)), -1);
	c.memory = 256ULL << 20;
	cr_assert_eq(config_validate(&c, err, sizeof(err)), 0);
	config_free(&c);
}
