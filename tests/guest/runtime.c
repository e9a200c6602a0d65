// SPDX-License-Identifier: GPL-2.0-only
/* Guest payload runtime. No FP/vector (MSR[FP]=0): built with -msoft-float. */
#include <stdarg.h>

#include "payload.h"

const void *fdt;
static int tap_n, tap_failed;

void *memset(void *d, int c, size_t n)
{
	uint8_t *p = d;

	while (n--)
		*p++ = (uint8_t)c;
	return d;
}

void *memcpy(void *d, const void *s, size_t n)
{
	uint8_t *p = d;
	const uint8_t *q = s;

	while (n--)
		*p++ = *q++;
	return d;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (unsigned char)*a - (unsigned char)*b;
}

long hcall(uint64_t nr, uint64_t *out, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3)
{
	uint64_t a[9] = { a0, a1, a2, a3 };
	long r = hcall_raw(nr, a);

	if (out)
		memcpy(out, a, sizeof(a));
	return r;
}

long hcall5(uint64_t nr, uint64_t *out, uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3,
	    uint64_t a4)
{
	uint64_t a[9] = { a0, a1, a2, a3, a4 };
	long r = hcall_raw(nr, a);

	if (out)
		memcpy(out, a, sizeof(a));
	return r;
}

static void put(const char *s, size_t n)
{
	while (n) {
		uint64_t w[2] = { 0, 0 };
		size_t k = n > 16 ? 16 : n;

		for (size_t i = 0; i < k; i++)
			w[i / 8] |= (uint64_t)(uint8_t)s[i] << (56 - 8 * (i % 8));
		hcall(0x58, NULL, VTY, k, w[0], w[1]);
		s += k;
		n -= k;
	}
}

void puts_(const char *s)
{
	put(s, strlen(s));
}

static char *fmt_num(char *end, uint64_t v, unsigned int base, int neg)
{
	*--end = 0;
	do {
		*--end = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	if (neg)
		*--end = '-';
	return end;
}

static void vprint(const char *f, va_list ap)
{
	char buf[32];

	for (; *f; f++) {
		int lng = 0, alt = 0;

		if (*f != '%') {
			put(f, 1);
			continue;
		}
		f++;
		if (*f == '#') { /* "%#x": 0x prefix */
			alt = 1;
			f++;
		}
		while (*f == 'l') {
			lng++;
			f++;
		}
		switch (*f) {
		case 's':
			puts_(va_arg(ap, const char *));
			break;
		case 'd': {
			long v = lng ? va_arg(ap, long) : va_arg(ap, int);

			puts_(fmt_num(buf + sizeof(buf), v < 0 ? -(uint64_t)v : (uint64_t)v, 10, v < 0));
			break;
		}
		case 'u':
		case 'x': {
			uint64_t v = lng ? va_arg(ap, uint64_t) : va_arg(ap, unsigned int);

			if (alt && *f == 'x')
				puts_("0x");
			puts_(fmt_num(buf + sizeof(buf), v, *f == 'x' ? 16 : 10, 0));
			break;
		}
		case 'c': {
			char c = (char)va_arg(ap, int);

			put(&c, 1);
			break;
		}
		default:
			put(f, 1);
		}
	}
}

void printf_(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprint(fmt, ap);
	va_end(ap);
}

void tap_plan(int n)
{
	printf_("1..%d\n", n);
}

/* One TAP line; skip: an "ok" that says it was not tested here, and why. */
static void vtap(int cond, const char *skip, const char *fmt, va_list ap)
{
	tap_n++;
	if (!cond && !skip)
		tap_failed++;
	printf_("%sok %d - %s", cond || skip ? "" : "not ", tap_n, skip ? skip : "");
	vprint(fmt, ap);
	puts_("\n");
}

void tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vtap(cond, NULL, fmt, ap);
	va_end(ap);
}

/* Our own VMM (its /model says so), not the peer the lab compares it with. */
int vmm_is_psvm(void)
{
	const char *m = fdt_prop(NULL, NULL, "model", NULL);

	for (; m && *m; m++)
		if (m[0] == 'p' && m[1] == 's' && m[2] == 'v' && m[3] == 'm')
			return 1;
	return 0;
}

void tap_strict(int cond, const char *fmt, ...)
{
	va_list ap;

	/* under the peer: not compared (lab test qemu-same) */
	va_start(ap, fmt);
	vtap(cond, vmm_is_psvm() ? NULL : "# SKIP stricter than QEMU: ", fmt, ap);
	va_end(ap);
}

/* Flattened device tree walking (big-endian, tokens 1 begin, 2 end, 3 prop, 4 nop, 9 end). */
static int name_is(const char *node, const char *want)
{
	size_t n = strlen(want);

	for (size_t i = 0; i < n; i++)
		if (node[i] != want[i])
			return 0;
	return node[n] == 0 || node[n] == '@';
}

static const void *fdt_walk(const char *n1, const char *n2, const char *prop, int *len,
			    int *children)
{
	const uint8_t *b = fdt;
	const uint8_t *p = b + be32(b + 8), *strs = b + be32(b + 12);
	const char *want[3] = { NULL, n1, n2 };
	int depth = -1, matched = -1, wdepth = n2 ? 2 : n1 ? 1 : 0; /* n1 NULL: the root */

	if (be32(b) != 0xd00dfeed)
		return NULL;
	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) { /* begin node: matched counts leading path components */
			const char *name = (const char *)p;

			depth++;
			if (depth == 0)
				matched = 0;
			else if (depth <= wdepth && matched == depth - 1 && name_is(name, want[depth]))
				matched = depth;
			else if (children && matched == wdepth && depth == wdepth + 1)
				(*children)++;
			p += (strlen(name) + 4) & ~3UL;
		} else if (tok == 2) {
			if (matched == depth)
				matched--;
			depth--;
		} else if (tok == 3) {
			uint32_t l = be32(p), off = be32(p + 4);

			if (prop && matched == wdepth && depth == wdepth &&
			    !strcmp((const char *)strs + off, prop)) {
				if (len)
					*len = (int)l;
				return p + 8;
			}
			p += 8 + ((l + 3) & ~3UL);
		} else if (tok != 4) {
			return NULL;
		}
	}
}

const void *fdt_prop(const char *n1, const char *n2, const char *prop, int *len)
{
	return fdt_walk(n1, n2, prop, len, NULL);
}

int fdt_count_children(const char *n1)
{
	int n = 0;

	fdt_walk(n1, NULL, NULL, NULL, &n);
	return n;
}

/* All RAM: the sum of the top-level memory@ nodes (the first is the RMA alone). */
uint64_t ram_size(void)
{
	const uint8_t *b = fdt;
	const uint8_t *p = b + be32(b + 8), *strs = b + be32(b + 12);
	int depth = -1, in_mem = 0;
	uint64_t total = 0;

	for (;;) {
		uint32_t tok = be32(p);

		p += 4;
		if (tok == 1) {
			const char *name = (const char *)p;

			depth++;
			in_mem = depth == 1 && name_is(name, "memory");
			p += (strlen(name) + 4) & ~3UL;
		} else if (tok == 2) {
			depth--;
			in_mem = 0;
		} else if (tok == 3) {
			uint32_t l = be32(p), off = be32(p + 4);

			if (in_mem && l == 16 && !strcmp((const char *)strs + off, "reg"))
				total += (uint64_t)be32(p + 16) << 32 | be32(p + 20);
			p += 8 + ((l + 3) & ~3UL);
		} else if (tok != 4) {
			return total;
		}
	}
}

int mmu_is_radix(void)
{
	int len = 0;
	const uint8_t *v = fdt_prop("chosen", NULL, "ibm,architecture-vec-5", &len);

	return v && len > 24 && (v[24] & 0xc0) == 0x40;
}

int rtas_token(const char *name)
{
	const void *p = fdt_prop("rtas", NULL, name, NULL);

	return p ? (int)be32(p) : -1;
}

static uint32_t rtas_buf[3 + 16] __attribute__((aligned(8)));

static int rtas_va(int token, int nargs, int nret, uint32_t *rets, va_list ap)
{
	put_be32(&rtas_buf[0], (uint32_t)token);
	put_be32(&rtas_buf[1], (uint32_t)nargs);
	put_be32(&rtas_buf[2], (uint32_t)nret);
	for (int i = 0; i < nargs; i++)
		put_be32(&rtas_buf[3 + i], va_arg(ap, uint32_t));
	for (int i = 0; i < nret; i++)
		put_be32(&rtas_buf[3 + nargs + i], 0xdeadbeef);
	hcall(0xf000, NULL, (uint64_t)(uintptr_t)rtas_buf, 0, 0, 0);
	for (int i = 0; i < nret; i++)
		if (rets)
			rets[i] = be32(&rtas_buf[3 + nargs + i]);
	return nret ? (int)be32(&rtas_buf[3 + nargs]) : 0;
}

/*
 * stop-self with a buffer of its own: it never returns, and other CPUs go on calling RTAS
 * through rtas_buf meanwhile (as in Linux, the OS serializes RTAS calls but stop-self).
 * A shared buffer let CPU 0's query-cpu-stopped-state overwrite a secondary's stop-self
 * between its stores and its hcall: the "stop-self returned" flake.
 */
void rtas_stop_self(void)
{
	static uint32_t buf[4] __attribute__((aligned(8)));

	put_be32(&buf[0], (uint32_t)rtas_token("stop-self"));
	put_be32(&buf[1], 0);
	put_be32(&buf[2], 1);
	put_be32(&buf[3], 0xdeadbeef);
	hcall(0xf000, NULL, (uint64_t)(uintptr_t)buf, 0, 0, 0);
}

int rtas_tok(int token, int nargs, int nret, uint32_t *rets, ...)
{
	va_list ap;
	int r;

	va_start(ap, rets);
	r = rtas_va(token, nargs, nret, rets, ap);
	va_end(ap);
	return r;
}

int rtas(const char *name, int nargs, int nret, uint32_t *rets, ...)
{
	va_list ap;
	int r;

	va_start(ap, rets);
	r = rtas_va(rtas_token(name), nargs, nret, rets, ap);
	va_end(ap);
	return r;
}

void os_term(const char *msg)
{
	rtas("ibm,os-term", 1, 1, NULL, (uint32_t)(uintptr_t)msg);
	for (;;)
		;
}

volatile int power_off_unexpected;

void power_off(void)
{
	if (power_off_unexpected) /* the state of the vCPU was lost: say so, do not power off */
		os_term("a payload that never ends reached power-off");
	if (tap_failed)
		printf_("# %d of %d failed\n", tap_failed, tap_n);
	rtas("power-off", 2, 1, NULL, 0, 0);
	os_term("power-off returned");
}

void exception(uint64_t vec, uint64_t srr0, uint64_t srr1);
volatile int sreset_expected;
volatile uint64_t mce_expected_pc, mce_expected_dar;

void exception(uint64_t vec, uint64_t srr0, uint64_t srr1)
{
	if (vec == 0x200 && mce_expected_pc) {
		uint64_t dar;

		__asm__ volatile("mfdar %0" : "=r"(dar));
		tap_ok(srr0 == mce_expected_pc, "machine check: SRR0 %lx is the load (%lx)", srr0,
		       mce_expected_pc);
		tap_ok(srr1 & (1UL << (63 - 42)), "SRR1 %lx says load/store", srr1);
		tap_ok(dar == mce_expected_dar, "DAR %lx is the address loaded", dar);
		power_off();
	}
	if (vec == 0x100 && sreset_expected) {
		/* SRR0: where we were, i.e. past the sc of the hcall that asked for it */
		tap_ok(srr0 > 0x1000 && srr0 < 0x100000 && (srr1 & 1),
		       "system reset taken at 0x100, SRR0 %lx SRR1 %lx", srr0, srr1);
		power_off();
	}
	printf_("Bail out! exception %lx at %lx (srr1 %lx)\n", vec, srr0, srr1);
	os_term("payload exception");
}

static int prefix(const char *s, const char *p)
{
	while (*p)
		if (*s++ != *p++)
			return 0;
	return 1;
}

uint32_t cmdline_hex(const char *key, uint32_t dflt)
{
	const char *a = fdt_prop("chosen", NULL, "bootargs", NULL);
	size_t n = strlen(key);
	uint32_t m = 0;

	for (; a && *a; a++)
		if (prefix(a, key) && a[n] == '=') {
			a += n + 1;
			if (prefix(a, "0x"))
				a += 2;
			for (; (*a >= '0' && *a <= '9') || (*a >= 'a' && *a <= 'f'); a++)
				m = m * 16 + (uint32_t)(*a <= '9' ? *a - '0' : *a - 'a' + 10);
			return m;
		}
	return dflt;
}
