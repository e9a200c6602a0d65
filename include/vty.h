/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_VTY_H
#define PSVM_VTY_H

#define VTY_REG 0x71000000
#define VTY_NODE_NAME "vty@71000000"
#define VTY_PATH "/vdevice/" VTY_NODE_NAME

#include "device.h"

/* The hvterm console: built in, made after the interrupt controller. */
extern const struct device_kind vty_kind;

#endif
