/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_RUN_H
#define PSVM_RUN_H

#include <signal.h>

#include "config.h"

struct vm;

/* Realize devices, write the RTAS blob and the device tree into guest memory. */
int vm_boot_prepare(struct vm *vm);
/* SIGINT, SIGTERM, SIGHUP, SIGQUIT: they stop the guest cleanly. */
void psvm_stop_signals(sigset_t *set);
/* The whole `psvm run`: returns the process exit status (enum psvm_exit or 128+signal). */
int psvm_run(struct psvm_config *cfg);

#endif
