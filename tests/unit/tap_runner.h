/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A criterion-compatible subset (Test, cr_assert*) that prints TAP. Each test runs in
 * its own process, as with criterion, so a crash fails that test only.
 */
#ifndef PSVM_TAP_RUNNER_H
#define PSVM_TAP_RUNNER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct tap_test {
	const char *suite, *name;
	void (*fn)(void);
	void (*init)(void);
	void (*fini)(void);
	struct tap_test *next;
};

struct tap_test_opts {
	void (*init)(void);
	void (*fini)(void);
};

void tap_register(struct tap_test *t);

#define Test(suite, name, ...)                                                        \
	static void suite##_##name##_fn(void);                                        \
	static struct tap_test suite##_##name##_t;                                    \
	__attribute__((constructor)) static void suite##_##name##_reg(void)           \
	{                                                                             \
		struct tap_test_opts o = { __VA_ARGS__ };                             \
		suite##_##name##_t = (struct tap_test){ #suite, #name,                \
			suite##_##name##_fn, o.init, o.fini, NULL };                  \
		tap_register(&suite##_##name##_t);                                    \
	}                                                                             \
	static void suite##_##name##_fn(void)

#define TAP_FAIL_(...)                                                                \
	do {                                                                          \
		fprintf(stderr, "# %s:%d: assertion failed: ", __FILE__, __LINE__);  \
		fprintf(stderr, "" __VA_ARGS__);                                      \
		fputc('\n', stderr);                                                  \
		exit(1);                                                              \
	} while (0)

#define cr_assert(cond, ...) do { if (!(cond)) TAP_FAIL_(#cond " " __VA_ARGS__); } while (0)
#define cr_assert_not(cond, ...) cr_assert(!(cond), __VA_ARGS__)
#define cr_assert_eq(a, b, ...) cr_assert((a) == (b), __VA_ARGS__)
#define cr_assert_neq(a, b, ...) cr_assert((a) != (b), __VA_ARGS__)
#define cr_assert_lt(a, b, ...) cr_assert((a) < (b), __VA_ARGS__)
#define cr_assert_leq(a, b, ...) cr_assert((a) <= (b), __VA_ARGS__)
#define cr_assert_gt(a, b, ...) cr_assert((a) > (b), __VA_ARGS__)
#define cr_assert_geq(a, b, ...) cr_assert((a) >= (b), __VA_ARGS__)
#define cr_assert_null(p, ...) cr_assert((p) == NULL, __VA_ARGS__)
#define cr_assert_not_null(p, ...) cr_assert((p) != NULL, __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) cr_assert(strcmp((a), (b)) == 0, __VA_ARGS__)
#define cr_assert_arr_eq(a, b, n, ...) cr_assert(memcmp((a), (b), (n)) == 0, __VA_ARGS__)

#endif
