// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a TCE update costs the guest, timed by the guest with the timebase: the figure that
 * matters for passthrough (DESIGN.md §1). With a device assigned (its PHB's default window,
 * and a DDW where one is offered), per window and per pattern:
 *   put-map, put-clear   512 single H_PUT_TCE, mapping scattered pages, then clearing them
 *   indirect-scattered   one H_PUT_TCE_INDIRECT of 512 scattered pages
 *   indirect-contig      one H_PUT_TCE_INDIRECT of 512 contiguous pages (Linux's DDW fill)
 *   stuff-clear          one H_STUFF_TCE clearing 512 entries
 * Every hcall's return code is checked (TAP); the median of tcebench.rounds rounds (default
 * 5) is printed as "# tcebench window=W page=P pattern=X tces=N ns_per_tce=T" for the lab.
 * Freestanding: the same image under any VMM that gives it a pseries device tree.
 */
#include "payload.h"

#define H_GET_TCE	   0x1c
#define H_PUT_TCE	   0x20
#define H_STUFF_TCE	   0x138
#define H_PUT_TCE_INDIRECT 0x13c
#define TCE_RW		   3

#define N	   512			/* one H_PUT_TCE_INDIRECT list */
#define BUF_GPA	   0x8000000ULL		/* 128 MiB: the pages the TCEs name */
#define LIST_GPA   0x7ff0000ULL		/* the indirect list, 4K aligned */
#define MAX_ROUNDS 15

enum pattern { PUT_MAP, PUT_CLEAR, IND_SCATTERED, IND_CONTIG, STUFF_CLEAR, NR_PATTERNS };
static const char *const pattern_name[NR_PATTERNS] = {
	"put-map", "put-clear", "indirect-scattered", "indirect-contig", "stuff-clear",
};

struct window {
	const char *name;
	uint32_t liobn;
	uint64_t bus;
	unsigned int shift;
};

static uint64_t tb_hz = 512000000; /* POWER9/10; the device tree may say otherwise */

static uint64_t tb(void)
{
	uint64_t t;

	__asm__ volatile("mftb %0" : "=r"(t));
	return t;
}

static uint64_t ns(uint64_t ticks)
{
	return ticks * 1000000000ULL / tb_hz;
}

/* Page i of the batch: contiguous, or every other page in a scrambled order. */
static uint64_t page_gpa(unsigned int i, int scattered, unsigned int shift)
{
	uint64_t k = scattered ? 2 * ((i * 197u) % N) : i;

	return BUF_GPA + (k << shift);
}

static void make_list(int scattered, unsigned int shift)
{
	uint64_t *list = (uint64_t *)LIST_GPA;

	for (unsigned int i = 0; i < N; i++)
		list[i] = __builtin_bswap64(page_gpa(i, scattered, shift) | TCE_RW);
	__asm__ volatile("sync" ::: "memory");
}

/*
 * One round of every pattern in window w: ticks per pattern into t[], and whether every
 * hcall succeeded into ok[].
 */
static void round_once(const struct window *w, uint64_t *t, int *ok)
{
	uint64_t page = 1ULL << w->shift, t0, o[9];

	t0 = tb();
	for (unsigned int i = 0; i < N; i++)
		ok[PUT_MAP] &= hcall(H_PUT_TCE, NULL, w->liobn, w->bus + i * page,
				     page_gpa(i, 1, w->shift) | TCE_RW, 0) == H_SUCCESS;
	t[PUT_MAP] = tb() - t0;
	/* what was put is there */
	ok[PUT_MAP] &= hcall(H_GET_TCE, o, w->liobn, w->bus + 7 * page, 0, 0) == H_SUCCESS &&
		       o[0] == (page_gpa(7, 1, w->shift) | TCE_RW);
	t0 = tb();
	for (unsigned int i = 0; i < N; i++)
		ok[PUT_CLEAR] &= hcall(H_PUT_TCE, NULL, w->liobn, w->bus + i * page, 0, 0) ==
				 H_SUCCESS;
	t[PUT_CLEAR] = tb() - t0;

	make_list(1, w->shift);
	t0 = tb();
	ok[IND_SCATTERED] &= hcall(H_PUT_TCE_INDIRECT, NULL, w->liobn, w->bus, LIST_GPA, N) ==
			     H_SUCCESS;
	t[IND_SCATTERED] = tb() - t0;
	ok[IND_SCATTERED] &= hcall(H_STUFF_TCE, NULL, w->liobn, w->bus, 0, N) == H_SUCCESS;

	make_list(0, w->shift);
	t0 = tb();
	ok[IND_CONTIG] &= hcall(H_PUT_TCE_INDIRECT, NULL, w->liobn, w->bus, LIST_GPA, N) ==
			  H_SUCCESS;
	t[IND_CONTIG] = tb() - t0;
	ok[IND_CONTIG] &= hcall(H_GET_TCE, o, w->liobn, w->bus + (N - 1) * page, 0, 0) ==
				  H_SUCCESS &&
			  o[0] == (page_gpa(N - 1, 0, w->shift) | TCE_RW);
	t0 = tb();
	ok[STUFF_CLEAR] &= hcall(H_STUFF_TCE, NULL, w->liobn, w->bus, 0, N) == H_SUCCESS;
	t[STUFF_CLEAR] = tb() - t0;
	ok[STUFF_CLEAR] &= hcall(H_GET_TCE, o, w->liobn, w->bus, 0, 0) == H_SUCCESS && !o[0];
}

static uint64_t median(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) /* insertion sort: n is tiny */
		for (unsigned int j = i; j && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

static void bench_window(const struct window *w, unsigned int rounds)
{
	uint64_t t[NR_PATTERNS][MAX_ROUNDS], one[NR_PATTERNS];
	int ok[NR_PATTERNS];

	for (int p = 0; p < NR_PATTERNS; p++)
		ok[p] = 1;
	for (unsigned int r = 0; r < rounds; r++) {
		round_once(w, one, ok);
		for (int p = 0; p < NR_PATTERNS; p++)
			t[p][r] = one[p];
	}
	for (int p = 0; p < NR_PATTERNS; p++) {
		uint64_t per = ns(median(t[p], rounds)) / N;

		tap_ok(ok[p], "%s window: %s, every hcall H_SUCCESS, %llu ns per TCE", w->name,
		       pattern_name[p], (unsigned long long)per);
		printf_("# tcebench window=%s page=%lluK pattern=%s tces=%u ns_per_tce=%llu\n",
			w->name, (unsigned long long)((1ULL << w->shift) >> 10), pattern_name[p], N,
			(unsigned long long)per);
	}
}

/* A DDW of the smallest page size the PE offers: 0 where there is none. */
static int ddw_open(uint32_t buid_hi, uint32_t buid_lo, struct window *w)
{
	static const unsigned int shifts[] = { 12, 16, 21 }; /* mask bits 0x1, 0x2, 0x100 */
	static const uint32_t bits[] = { 0x1, 0x2, 0x100 };
	uint32_t r[6];
	int len;

	if (!fdt_prop("pci", NULL, "ibm,ddw-applicable", &len) ||
	    rtas("ibm,query-pe-dma-window", 3, 5, r, 0, buid_hi, buid_lo) || !r[1])
		return 0;
	for (unsigned int i = 0; i < 3; i++) {
		if (!(r[3] & bits[i]))
			continue;
		if (rtas("ibm,create-pe-dma-window", 5, 4, r, 0, buid_hi, buid_lo, shifts[i], 28))
			return 0;
		*w = (struct window){ .name = "ddw", .liobn = r[1],
				      .bus = (uint64_t)r[2] << 32 | r[3], .shift = shifts[i] };
		return 1;
	}
	return 0;
}

void payload_main(const void *dt);
void payload_main(const void *dt)
{
	struct window win[2];
	const uint32_t *p;
	unsigned int rounds, n = 1;
	uint32_t buid_hi, buid_lo;
	int len, ddw;

	fdt = dt;
	rounds = cmdline_hex("tcebench.rounds", 5);
	if (!rounds || rounds > MAX_ROUNDS)
		rounds = 5;
	ddw = (int)cmdline_hex("tcebench.ddw", 1);
	p = fdt_prop("cpus", "PowerPC,POWER9", "timebase-frequency", &len);
	if (!p)
		p = fdt_prop("cpus", "PowerPC,POWER10", "timebase-frequency", &len);
	if (p && len == 4)
		tb_hz = be32(p);
	tap_plan(1 + NR_PATTERNS * (1 + !!ddw));
	p = fdt_prop("pci", NULL, "reg", &len);
	buid_hi = p ? be32(p) : 0;
	buid_lo = p ? be32(p + 1) : 0;
	p = fdt_prop("pci", NULL, "ibm,dma-window", &len);
	tap_ok(p && len == 20, "a PHB with a default DMA window (%d rounds, timebase %llu Hz)",
	       rounds, (unsigned long long)tb_hz);
	if (!p)
		power_off();
	win[0] = (struct window){ .name = "default", .liobn = be32(p), .bus = 0, .shift = 12 };
	if (ddw && ddw_open(buid_hi, buid_lo, &win[1]))
		n = 2;
	for (unsigned int i = 0; i < n; i++)
		bench_window(&win[i], rounds);
	for (unsigned int i = n; ddw && i < 2; i++)
		for (int k = 0; k < NR_PATTERNS; k++)
			tap_ok(0, "ddw window: not offered, or refused");
	if (n == 2)
		rtas("ibm,remove-pe-dma-window", 1, 1, NULL, win[1].liobn);
}

/* One vCPU: nothing starts a secondary. */
void secondary_main(uint64_t cpu);
void secondary_main(uint64_t cpu __attribute__((unused)))
{
	for (;;)
		;
}
