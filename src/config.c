// SPDX-License-Identifier: GPL-2.0-only
/* Settings from the command line and appliance config files. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "device.h"
#include "log.h"

#define MIN_MEMORY (16ULL << 20)
#define MAX_MEMORY (16ULL << 40)

void config_init(struct psvm_config *c)
{
	memset(c, 0, sizeof(*c));
	c->memory = 512ULL << 20;
	c->cpus = 1;
	c->mmu = MMU_AUTO;
	c->on_reboot = REBOOT_EXIT;
}

void config_free(struct psvm_config *c)
{
	free(c->kernel);
	free(c->initrd);
	free(c->cmdline);
	free(c->console);
	free(c->nvram);
	for (unsigned int i = 0; i < c->nr_devices; i++)
		free(c->devices[i].conf);
	config_init(c);
}

int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;
	unsigned int shift = 20;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno)
		return -1;
	switch (toupper((unsigned char)*end)) {
	case 0:
		break;
	case 'K':
		shift = 10;
		end++;
		break;
	case 'M':
		end++;
		break;
	case 'G':
		shift = 30;
		end++;
		break;
	case 'T':
		shift = 40;
		end++;
		break;
	default:
		return -1;
	}
	if ((*end == 'B' || *end == 'b') && end[1] == 0)
		end++;
	if (*end || v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

static int parse_uint(const char *s, unsigned int max, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!s || !isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > max)
		return -1;
	*out = (unsigned int)v;
	return 0;
}

static int set_path(char **dst, const char *val, const char *base_dir)
{
	char *p;

	if (base_dir && val[0] != '/') {
		if (asprintf(&p, "%s/%s", base_dir, val) < 0)
			return -1;
	} else {
		p = strdup(val);
		if (!p)
			return -1;
	}
	free(*dst);
	*dst = p;
	return 0;
}

int config_set(struct psvm_config *c, const char *key, const char *val, const char *base_dir,
	       char *err, size_t errlen)
{
	if (!val)
		return errorf(err, errlen, "%s: needs a value", key);

	if (!strcmp(key, "kernel")) {
		if (set_path(&c->kernel, val, base_dir))
			return errorf(err, errlen, "out of memory");
	} else if (!strcmp(key, "initrd")) {
		if (set_path(&c->initrd, val, base_dir))
			return errorf(err, errlen, "out of memory");
	} else if (!strcmp(key, "cmdline")) {
		free(c->cmdline);
		c->cmdline = strdup(val);
	} else if (!strcmp(key, "console")) {
		if (!strcmp(val, "stdio")) {
			free(c->console);
			c->console = NULL;
		} else if (set_path(&c->console, val, base_dir)) {
			return errorf(err, errlen, "out of memory");
		}
	} else if (!strcmp(key, "nvram")) {
		if (set_path(&c->nvram, val, base_dir))
			return errorf(err, errlen, "out of memory");
	} else if (!strcmp(key, "memory")) {
		if (parse_size(val, &c->memory))
			return errorf(err, errlen, "memory: '%s' is not a size (use e.g. 512M or 2G)",
				    val);
	} else if (!strcmp(key, "cpus")) {
		if (parse_uint(val, CONFIG_MAX_CPUS, &c->cpus) || c->cpus == 0)
			return errorf(err, errlen, "cpus: '%s' is not a number from 1 to %d", val,
				    CONFIG_MAX_CPUS);
	} else if (!strcmp(key, "mmu")) {
		if (!strcmp(val, "auto"))
			c->mmu = MMU_AUTO;
		else if (!strcmp(val, "radix"))
			c->mmu = MMU_RADIX;
		else if (!strcmp(val, "hash"))
			c->mmu = MMU_HASH;
		else
			return errorf(err, errlen, "mmu: '%s' is not auto, radix or hash", val);
	} else if (!strcmp(key, "on-reboot")) {
		if (!strcmp(val, "exit"))
			c->on_reboot = REBOOT_EXIT;
		else if (!strcmp(val, "restart"))
			c->on_reboot = REBOOT_RESTART;
		else
			return errorf(err, errlen, "on-reboot: '%s' is not exit or restart", val);
	} else if (!strcmp(key, "timeout")) {
		if (parse_uint(val, 1000000, &c->timeout_s))
			return errorf(err, errlen, "timeout: '%s' is not a number of seconds", val);
	} else if (!strcmp(key, "hugetlb")) {
		if (!strcmp(val, "on") || !strcmp(val, "yes") || !strcmp(val, "true"))
			c->hugetlb = true;
		else if (!strcmp(val, "off") || !strcmp(val, "no") || !strcmp(val, "false"))
			c->hugetlb = false;
		else
			return errorf(err, errlen, "hugetlb: '%s' is not on or off", val);
	} else if (!strcmp(key, "kernel-format")) {
		if (!strcmp(val, "elf"))
			c->flat = false;
		else if (!strcmp(val, "flat"))
			c->flat = true;
		else
			return errorf(err, errlen, "kernel-format: '%s' is not elf or flat", val);
	} else if (!strcmp(key, "device")) {
		if (c->nr_devices == CONFIG_MAX_DEVICES)
			return errorf(err, errlen, "device: at most %d devices", CONFIG_MAX_DEVICES);
		if (device_kinds_parse(val, &c->devices[c->nr_devices], err, errlen))
			return -1;
		c->nr_devices++;
	} else {
		/* the keys device kinds own (irqchip: the interrupt controller's) */
		int r = device_kinds_config_set(c, key, val, err, errlen);

		if (r > 0)
			return errorf(err, errlen, "unknown setting '%s'", key);
		return r;
	}
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		*--e = 0;
	return s;
}

int config_load_file(struct psvm_config *c, const char *path, char *err, size_t errlen)
{
	char line[4096], msg[512], *dir, *slash;
	unsigned int lineno = 0;
	FILE *f;
	int ret = 0;

	struct stat st;
	int fd;

	/* A regular file of sane size: not a FIFO to wait on, nor /dev/zero to read for ever */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return errorf(err, errlen, "config file %s: %s", path, strerror(errno));
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size > CONFIG_FILE_MAX) {
		close(fd);
		return errorf(err, errlen, "config file %s: not a regular file of at most %d KiB",
			      path, CONFIG_FILE_MAX >> 10);
	}
	f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return errorf(err, errlen, "config file %s: %s", path, strerror(errno));
	}
	dir = strdup(path);
	if (!dir) {
		fclose(f);
		return errorf(err, errlen, "out of memory");
	}
	slash = strrchr(dir, '/');
	if (slash)
		*slash = 0;
	else
		strcpy(dir, ".");

	while (fgets(line, sizeof(line), f)) {
		char *k, *v, *eq;
		size_t n = strlen(line);

		lineno++;
		if (n + 1 < sizeof(line) && !feof(f) && line[n - (n > 0)] != '\n') {
			ret = errorf(err, errlen, "%s:%u: not text (a NUL byte)", path, lineno);
			break;
		}
		if (n == sizeof(line) - 1 && line[n - 1] != '\n') {
			ret = errorf(err, errlen, "%s:%u: line too long", path, lineno);
			break;
		}
		k = trim(line);
		if (!*k || *k == '#' || *k == ';')
			continue;
		eq = strchr(k, '=');
		if (!eq) {
			ret = errorf(err, errlen, "%s:%u: expected key = value", path, lineno);
			break;
		}
		*eq = 0;
		k = trim(k);
		v = trim(eq + 1);
		/* Allow "quoted values" so a cmdline can carry leading/trailing spaces. */
		n = strlen(v);
		if (n >= 2 && v[0] == '"' && v[n - 1] == '"') {
			v[n - 1] = 0;
			v++;
		}
		if (config_set(c, k, v, dir, msg, sizeof(msg))) {
			ret = errorf(err, errlen, "%s:%u: %s", path, lineno, msg);
			break;
		}
	}
	if (!ret && ferror(f))
		ret = errorf(err, errlen, "config file %s: read error", path);
	fclose(f);
	free(dir);
	return ret;
}

int config_validate(const struct psvm_config *c, char *err, size_t errlen)
{
	if (!c->kernel)
		return errorf(err, errlen, "no kernel given (--kernel FILE or kernel = FILE)");
	if (c->memory < MIN_MEMORY || c->memory > MAX_MEMORY)
		return errorf(err, errlen, "memory: %llu MiB is outside 16 MiB .. 16 TiB",
			    (unsigned long long)(c->memory >> 20));
	if (!IS_ALIGNED(c->memory, SZ_64K))
		return errorf(err, errlen, "memory: must be a multiple of 64 KiB");
	return 0;
}
