// SPDX-License-Identifier: GPL-2.0-only
/* `psvm run`'s options: the long options are the config file's keys (config.c sets both). */
#include <getopt.h>
#include <string.h>

#include "cli.h"
#include "log.h"

static const struct option run_opts[] = {
	{ "kernel", required_argument, NULL, 'K' },
	{ "kernel-format", required_argument, NULL, 'F' },
	{ "initrd", required_argument, NULL, 'I' },
	{ "cmdline", required_argument, NULL, 'C' },
	{ "memory", required_argument, NULL, 'm' },
	{ "cpus", required_argument, NULL, 'c' },
	{ "console", required_argument, NULL, 'o' },
	{ "nvram", required_argument, NULL, 'N' },
	{ "mmu", required_argument, NULL, 'M' },
	{ "irqchip", required_argument, NULL, 'X' },
	{ "on-reboot", required_argument, NULL, 'R' },
	{ "timeout", required_argument, NULL, 'T' },
	{ "hugetlb", required_argument, NULL, 'H' },
	{ "device", required_argument, NULL, 'D' },
	{ "config", required_argument, NULL, 'f' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* The message quotes what the user gave: its control bytes must not reach the terminal. */
static enum cli_result cli_error(char *err)
{
	for (char *p = err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return CLI_ERROR;
}

enum cli_result cli_run_config(int argc, char **argv, struct psvm_config *cfg, char *err,
			       size_t errlen)
{
	int opt;

	/* The config file first, so the command line overrides it whatever the order. */
	for (int i = 1; i < argc; i++) {
		const char *path = NULL;

		if (!strcmp(argv[i], "--config") && i + 1 < argc)
			path = argv[i + 1];
		else if (!strncmp(argv[i], "--config=", 9))
			path = argv[i] + 9;
		if (path && config_load_file(cfg, path, err, errlen))
			return cli_error(err);
	}
	optind = 0; /* 0, not 1: glibc starts over completely (another parse may have run) */
	while ((opt = getopt_long(argc, argv, "m:c:vh", run_opts, NULL)) != -1) {
		const char *key = NULL;

		switch (opt) {
		case 'f':
			continue;
		case 'v':
			log_level++;
			continue;
		case 'h':
			return CLI_HELP;
		case '?':
			return CLI_BAD_OPTION;
		}
		for (const struct option *o = run_opts; o->name; o++)
			if (o->val == opt)
				key = o->name;
		if (config_set(cfg, key, optarg, NULL, err, errlen))
			return cli_error(err);
	}
	if (optind < argc) {
		errorf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return cli_error(err);
	}
	return config_validate(cfg, err, errlen) ? cli_error(err) : CLI_OK;
}
