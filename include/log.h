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

/*
 * What a guest can make psvm say as often as it likes: at most LOG_GUEST_BURST lines from
 * one place per LOG_GUEST_MS, the next line saying how many were left out.
 */
#define LOG_GUEST_BURST 10
#define LOG_GUEST_MS	1000

struct log_ratelimit {
	uint64_t start_ms;
	unsigned int printed, suppressed;
};

/* May this place print now? *suppressed: lines left out since it last could. */
bool log_ratelimit(struct log_ratelimit *rl, unsigned int *suppressed);

#define pr_guest(lvl, ...)                                                             \
	do {                                                                           \
		static struct log_ratelimit rl_;                                       \
		unsigned int left_out_;                                                \
		if ((int)(lvl) <= log_level && log_ratelimit(&rl_, &left_out_)) {      \
			if (left_out_)                                                 \
				psvm_log(lvl, "(%u lines like the next left out)",     \
					 left_out_);                                   \
			psvm_log(lvl, __VA_ARGS__);                                    \
		}                                                                      \
	} while (0)
#define pr_warn_guest(...) pr_guest(LOG_WARN, __VA_ARGS__)
#define pr_info_guest(...) pr_guest(LOG_INFO, __VA_ARGS__)

#endif
