// SPDX-License-Identifier: GPL-2.0-only
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

int log_level = LOG_WARN;

int errorf(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* PSVM_LOG_TIME=1: every line says how long psvm has been running (for profiling start-up
 * and teardown; off by default so the log's lines stay stable for the lab's checks). */
static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t log_t0;
static int log_time = -1;

bool log_time_enabled(void)
{
	if (log_time < 0) {
		const char *e = getenv("PSVM_LOG_TIME");

		log_time = e && *e && *e != '0';
		log_t0 = now_ms();
	}
	return log_time;
}

uint64_t log_elapsed_ms(void)
{
	return now_ms() - log_t0;
}

void psvm_log(enum log_level lvl, const char *fmt, ...)
{
	va_list ap;

	if ((int)lvl > log_level)
		return;
	va_start(ap, fmt);
	fputs("psvm: ", stderr);
	if (log_time_enabled())
		fprintf(stderr, "[%6llu ms] ", (unsigned long long)log_elapsed_ms());
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

bool log_ratelimit(struct log_ratelimit *rl, unsigned int *suppressed)
{
	uint64_t now = now_ms(), start = __atomic_load_n(&rl->start_ms, __ATOMIC_RELAXED);

	*suppressed = 0;
	if ((now - start >= LOG_GUEST_MS || !start) &&
	    __atomic_compare_exchange_n(&rl->start_ms, &start, now, false, __ATOMIC_RELAXED,
					__ATOMIC_RELAXED)) {
		*suppressed = __atomic_exchange_n(&rl->suppressed, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&rl->printed, 0, __ATOMIC_RELAXED);
	}
	if (__atomic_fetch_add(&rl->printed, 1, __ATOMIC_RELAXED) < LOG_GUEST_BURST)
		return true;
	__atomic_fetch_add(&rl->suppressed, 1, __ATOMIC_RELAXED);
	return false;
}
