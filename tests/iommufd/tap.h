/* SPDX-License-Identifier: GPL-2.0-only */
/* TAP for the host-side iommufd test programs (one per executable). */
#ifndef PSVM_TESTS_IOMMUFD_TAP_H
#define PSVM_TESTS_IOMMUFD_TAP_H

#include <stdarg.h>
#include <stdio.h>

static int n, failed;

static void __attribute__((format(printf, 2, 3))) ok(int cond, const char *fmt, ...)
{
	va_list ap;

	n++;
	failed += !cond;
	printf("%sok %d - ", cond ? "" : "not ", n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

#endif
