/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device models, as kvmtool's device_header and Solo5's hvt modules: each kind is one
 * static descriptor (its config keys and options, lifecycle hooks, hcalls and RTAS calls);
 * a VM keeps its instances in a list. devices/registry.c lists the kinds and the order
 * they are made in; the core calls the device_* functions below and names no device.
 */
#ifndef PSVM_DEVICE_H
#define PSVM_DEVICE_H

#include "psvm.h"

struct vm;
struct device;
struct device_conf;
struct psvm_config;
struct hcall_entry;
struct rtas_def;
struct devtree;

/* A config key (and --long-option) a kind owns. */
struct device_key {
	const char *key;
	int (*set)(struct psvm_config *c, const char *val, char *err, size_t errlen);
};

struct device_kind {
	const char *name;
	const char *usage;	       /* user kinds: the short form of a spec, for messages */
	const struct device_key *keys; /* ends with a NULL key; may be NULL */
	/*
	 * User kinds (--device NAME,...) parse a spec once, into *conf: one block that
	 * free() releases. Kinds without parse are built in: one instance per VM.
	 */
	int (*parse)(const char *spec, void **conf, char *err, size_t errlen);
	int (*create)(struct vm *vm, const void *conf); /* add the instance(s) */
	int (*realize)(struct device *dev);		/* open host resources, make KVM's side */
	bool realize_says_why;	/* its realize names the cause of every failure itself */
	int (*start)(struct device *dev);		/* the vCPUs run */
	int (*fdt)(struct device *dev, struct devtree *dt); /* at each dt->at */
	void (*destroy)(struct device *dev);
	/* registered by the core before the first instance is realized */
	const struct hcall_entry *hcalls;
	unsigned int nr_hcalls;
	const struct rtas_def *rtas;
	unsigned int nr_rtas;
};

#define DEVICE_HCALLS(table) .hcalls = (table), .nr_hcalls = ARRAY_SIZE(table)
#define DEVICE_RTAS(table) .rtas = (table), .nr_rtas = ARRAY_SIZE(table)

struct device {
	const struct device_kind *kind;
	struct vm *vm;
	void *priv;
	struct device *next;
};

/* The core's side (src/device.c). */
struct device *device_add(struct vm *vm, const struct device_kind *kind, void *priv);
/* The first instance of a kind, or NULL. */
struct device *device_find(struct vm *vm, const struct device_kind *kind);
void *device_priv(struct vm *vm, const struct device_kind *kind);
int devices_realize(struct vm *vm);
int devices_start(struct vm *vm);
int devices_fdt(struct vm *vm, struct devtree *dt);
/* In reverse order of creation: a device may use the ones made before it until it goes. */
void devices_destroy(struct vm *vm);

/* The registry (devices/registry.c). */
/* Every built-in kind in order, then the configured devices in the order given. */
int device_kinds_create(struct vm *vm);
/* Parse a --device spec with the kind it names. */
int device_kinds_parse(const char *spec, struct device_conf *out, char *err, size_t errlen);
/* Set a key some kind owns: 0, -1 (err written), or 1 when no kind has that key. */
int device_kinds_config_set(struct psvm_config *c, const char *key, const char *val, char *err,
			    size_t errlen);

#endif
