/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Unit tests are written against criterion. Debian ships no criterion for ppc64el, so the
 * qemu-user run of the same tests uses tap_runner.h, which implements the subset we use.
 */
#ifndef PSVM_UNIT_H
#define PSVM_UNIT_H

#ifdef PSVM_TAP_RUNNER
#include "tap_runner.h"
#else
#include <criterion/criterion.h>
#endif

#endif
