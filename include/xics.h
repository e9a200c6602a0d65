/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_XICS_H
#define PSVM_XICS_H

#define XICS_PHANDLE 0x1111
#define XICS_IRQ_BASE 0x1000 /* first source number, as QEMU's ICS */

struct vm;
int xics_create(struct vm *vm);

#endif
