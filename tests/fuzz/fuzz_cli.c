// SPDX-License-Identifier: GPL-2.0-only
/*
 * `psvm run`'s command line: the input is its arguments, NUL-separated (at most 32). Every
 * input parses to a valid config or to one clear error, and the config is freed whole.
 */
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "log.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1), *argv[34] = { "run" }, err[512];
	struct psvm_config cfg;
	int argc = 1;

	if (!buf)
		return 0;
	memcpy(buf, data, size);
	buf[size] = 0;
	for (char *p = buf; p < buf + size && argc < 33; p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;
	opterr = 0; /* getopt's own messages: not the point here */
	log_level = LOG_ERR - 1; /* quiet, however many -v the input has */
	config_init(&cfg);
	err[0] = 0;
	if (cli_run_config(argc, argv, &cfg, err, sizeof(err)) == CLI_ERROR &&
	    (!err[0] || strchr(err, '\n')))
		abort(); /* an error with no message, or more than one line of it */
	config_free(&cfg);
	free(buf);
	return 0;
}
