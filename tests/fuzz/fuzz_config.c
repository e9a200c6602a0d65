// SPDX-License-Identifier: GPL-2.0-only
/*
 * The config file parser (and through it every key's parser, device specs included) on
 * whatever the input is: a message and -1, or a configuration; never a crash or a leak.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct psvm_config c;
	char err[256];

	if (fd < 0) {
		fd = memfd_create("psvm-fuzz.conf", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	config_init(&c);
	if (!config_load_file(&c, path, err, sizeof(err)))
		config_validate(&c, err, sizeof(err));
	config_free(&c);
	return 0;
}
