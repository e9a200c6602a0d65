/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef PSVM_LOG_H
#define PSVM_LOG_H

#include "psvm.h"

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

extern int log_level;

void psvm_log(enum log_level lvl, const char *fmt, ...) __printf(2, 3);

/* Format a message naming a problem into err[len]; returns -1 for `return errorf(...)`. */
int errorf(char *err, size_t len, const char *fmt, ...) __printf(3, 4);

/* PSVM_LOG_TIME=1 in the environment: log lines carry ms since the first call (main's). */
bool log_time_enabled(void);
uint64_t log_elapsed_ms(void);

#define pr_err(...) psvm_log(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) psvm_log(LOG_WARN, __VA_ARGS__)
#define pr_info(...) psvm_log(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) psvm_log(LOG_DEBUG, __VA_ARGS__)

#endif
