/* SPDX-License-Identifier: GPL-2.0-only */
/* `psvm run`'s command line, parsed into a config (src/cli.c): the front end's and a fuzzer's. */
#ifndef PSVM_CLI_H
#define PSVM_CLI_H

#include "config.h"

enum cli_result {
	CLI_OK = 0,
	CLI_HELP,	/* -h: print the usage, exit 0 */
	CLI_BAD_OPTION, /* getopt printed which: print the usage */
	CLI_ERROR,	/* err says why, in one line */
};

/*
 * argv[0] is "run". The config file (--config) first, then every other option over it,
 * then config_validate. -v raises log_level. cfg must be config_init'ed.
 */
enum cli_result cli_run_config(int argc, char **argv, struct psvm_config *cfg, char *err,
			       size_t errlen);

#endif
