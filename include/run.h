/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_RUN_H
#define PSVM_RUN_H

#include "config.h"

struct vm;

/* Realize devices, write the RTAS blob and the device tree into guest memory. */
int vm_boot_prepare(struct vm *vm);
/* The whole `psvm run`: returns the process exit status (enum psvm_exit or 128+signal). */
int psvm_run(struct psvm_config *cfg);

#endif
