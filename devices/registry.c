// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every device kind psvm has, in the order a VM makes them (kvmtool's init lists): the
 * interrupt controller first (the others allocate its sources), the console, nvram, the TCE
 * window and PHB lists PCI devices share, then the user's devices in the order given.
 * Destroy runs in reverse.
 *
 * A table rather than kvmtool's constructors or a linker section: the kinds live in the
 * psvmcore static library, and the linker drops an archive member nothing references,
 * its constructors and section entries with it. Naming each kind here keeps them all in
 * every link (static ppc64le, unit tests, fuzzers) and lives outside the core.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"
#include "device.h"
#include "irqchip.h"
#include "log.h"
#include "nvram.h"
#include "pci.h"
#include "tce.h"
#include "vfio_dev.h"
#include "vm.h"
#include "vty.h"

static const struct device_kind *const kinds[] = {
	&irqchip_kind, &vty_kind, &nvram_kind, &tce_kind, &phb_kind, &vfio_kind,
};

int device_kinds_create(struct vm *vm)
{
	const struct psvm_config *cfg = vm->cfg;

	for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!kinds[i]->parse && kinds[i]->create(vm, NULL)) {
			pr_err("out of memory setting up the VM");
			return -1;
		}
	for (unsigned int i = 0; i < cfg->nr_devices; i++)
		if (cfg->devices[i].kind->create(vm, cfg->devices[i].conf))
			return -1;
	return 0;
}

int device_kinds_parse(const char *spec, struct device_conf *out, char *err, size_t errlen)
{
	size_t len = strcspn(spec, ",");
	char names[128] = "", usages[256] = "";

	for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++) {
		const struct device_kind *k = kinds[i];

		if (!k->parse)
			continue;
		if (strlen(k->name) == len && !strncmp(spec, k->name, len)) {
			out->kind = k;
			out->conf = NULL;
			return k->parse(spec, &out->conf, err, errlen);
		}
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s",
			 names[0] ? " or " : "", k->name);
		snprintf(usages + strlen(usages), sizeof(usages) - strlen(usages), "%s%s",
			 usages[0] ? ", " : "", k->usage);
	}
	return errorf(err, errlen, "device '%s': only %s devices are known (%s)", spec, names,
		      usages);
}

int device_kinds_config_set(struct psvm_config *c, const char *key, const char *val, char *err,
			    size_t errlen)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(kinds); i++)
		for (const struct device_key *k = kinds[i]->keys; k && k->key; k++)
			if (!strcmp(k->key, key))
				return k->set(c, val, err, errlen);
	return 1;
}
