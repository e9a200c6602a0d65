/* SPDX-License-Identifier: GPL-2.0-only */
/* psvm's settings: from the command line and/or an appliance config file (same keys). */
#ifndef PSVM_CONFIG_H
#define PSVM_CONFIG_H

#include "psvm.h"

struct device_kind;

#define CONFIG_MAX_CPUS 1024
#define CONFIG_MAX_DEVICES 16
#define CONFIG_FILE_MAX (1 << 20) /* bytes */

enum mmu_mode { MMU_AUTO, MMU_RADIX, MMU_HASH };
enum reboot_action { REBOOT_EXIT, REBOOT_RESTART };

/* A --device: the kind it names and the options that kind parsed from it. */
struct device_conf {
	const struct device_kind *kind;
	void *conf;
};

struct psvm_config {
	char *kernel;
	char *initrd;
	char *cmdline;
	char *console; /* "stdio" or a file path */
	char *nvram;	/* the guest's nvram kept in this file; NULL: in memory */
	uint64_t memory; /* bytes */
	unsigned int cpus;
	enum mmu_mode mmu;
	int irqchip;	/* the interrupt controller's key (enum irqchip_mode) */
	enum reboot_action on_reboot;
	unsigned int timeout_s; /* 0: none */
	bool hugetlb;
	bool flat;	/* kernel-format = flat: raw image */
	struct device_conf devices[CONFIG_MAX_DEVICES];
	unsigned int nr_devices;
};

/* Exit statuses of `psvm run` (documented in the README). */
enum psvm_exit {
	PSVM_EXIT_POWEROFF = 0,	/* guest called RTAS power-off */
	PSVM_EXIT_ERROR = 1,	/* psvm could not set up or run the guest */
	PSVM_EXIT_USAGE = 2,	/* bad command line or config file */
	PSVM_EXIT_OS_TERM = 3,	/* guest called ibm,os-term (panic, crash) */
	PSVM_EXIT_REBOOT = 4,	/* guest asked for a reboot, --on-reboot=exit */
	PSVM_EXIT_GUEST_FAULT = 5, /* vCPU stopped on an exit psvm cannot handle */
	PSVM_EXIT_TIMEOUT = 6,	/* --timeout expired */
};

void config_init(struct psvm_config *c);
void config_free(struct psvm_config *c);

/*
 * Set one key. Returns 0, or -1 after writing a message naming the problem into err.
 * base_dir resolves relative paths (the config file's directory; NULL for the CLI).
 */
int config_set(struct psvm_config *c, const char *key, const char *val, const char *base_dir,
	       char *err, size_t errlen);

/* Parse a config file: "key = value" lines, '#' comments, keys as the long options. */
int config_load_file(struct psvm_config *c, const char *path, char *err, size_t errlen);

/* Parse a size such as 512M, 2G, 65536K; a bare number is MiB (as QEMU's -m). */
int parse_size(const char *s, uint64_t *out);

/* Check the whole configuration for `psvm run`. */
int config_validate(const struct psvm_config *c, char *err, size_t errlen);

#endif
