/* SPDX-License-Identifier: GPL-2.0-only */
/* The guest console sink/source behind the hvterm (vty) device. */
#ifndef PSVM_CONSOLE_H
#define PSVM_CONSOLE_H

#include "psvm.h"

struct console {
	int out_fd;
	int in_fd;		/* -1: no input */
	bool restore_tty;
	bool own_out;
};

int console_open(struct console *c, const char *path, char *err, size_t errlen);
/* The terminal raw (stdin a tty): once setup is over, before the guest runs. */
void console_start(struct console *c);
void console_close(struct console *c);
void console_write(struct console *c, const void *buf, size_t len);
/* The terminal as it was before psvm made it raw (safe in a signal handler). */
void console_restore_tty(void);
/* Non-blocking: up to max bytes of pending input. */
size_t console_read(struct console *c, void *buf, size_t max);

#endif
