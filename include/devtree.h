/* SPDX-License-Identifier: GPL-2.0-only */
/* The flattened device tree a firmware-less pseries guest boots with (QEMU-compatible). */
#ifndef PSVM_DEVTREE_H
#define PSVM_DEVTREE_H

#include "fdtw.h"
#include "psvm.h"

#define FDT_MAX_SIZE 0x100000

struct vm;

/*
 * Where the tree is while devices add to it (their fdt hook is called once at each, in
 * this order): the root's properties, /chosen's, /rtas's, /vdevice's children, the root's
 * children.
 */
enum devtree_at { DEVTREE_ROOT_PROPS, DEVTREE_CHOSEN, DEVTREE_RTAS, DEVTREE_VDEVICE, DEVTREE_ROOT };

#define VEC5_LEN 27

struct devtree {
	struct fdtw w;
	enum devtree_at at;
	uint8_t vec5[VEC5_LEN]; /* /chosen's, written after the DEVTREE_CHOSEN hooks */
};

/* Build the whole tree into buf (core nodes, then every device's). */
int devtree_build(struct vm *vm, void *buf, size_t size);

/* The "ibm,pa-features" descriptor for a POWER9-class CPU; returns its length. */
size_t devtree_pa_features(uint8_t *out, size_t max, bool radix);

/* "/chosen/ibm,architecture-vec-5" as CAS would leave it; returns its length. */
size_t devtree_vec5(uint8_t *out, size_t max, bool radix, bool gtse, bool xive);

/*
 * Set a byte of /chosen's vec5: the device that decides one (the interrupt controller:
 * VEC5_INTC_BYTE) sets it from its hook at DEVTREE_CHOSEN.
 */
#define VEC5_INTC_BYTE 23
#define VEC5_INTC_XIVE 0x40
void devtree_vec5_set(struct devtree *dt, unsigned int byte, uint8_t val);

/*
 * Open a /vdevice child (at DEVTREE_VDEVICE) with what every VIO node has: device_type,
 * compatible, reg; the caller adds the rest and closes it (fdtw_end).
 */
void devtree_vio_node(struct devtree *dt, const char *name, const char *type,
		      const char *compatible, uint32_t reg);

/* The CPU node name QEMU uses for a PVR ("PowerPC,POWER9"). */
const char *devtree_cpu_model(uint32_t pvr);

#endif
