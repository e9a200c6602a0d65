/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_CRASH_H
#define PSVM_CRASH_H

/* On a fatal signal: restore the terminal, print a backtrace, die of the same signal. */
void crash_handlers_install(void);

#endif
