/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_VTY_H
#define PSVM_VTY_H

#define VTY_REG 0x71000000
#define VTY_NODE_NAME "vty@71000000"
#define VTY_PATH "/vdevice/" VTY_NODE_NAME

struct vm;
int vty_create(struct vm *vm);
/* Start raising input interrupts (after the vCPUs exist). */
int vty_start(struct vm *vm);

#endif
