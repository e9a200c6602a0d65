// SPDX-License-Identifier: GPL-2.0-only
/*
 * psvm bench map-unmap: map engines x page sizes x batch sizes x patterns on a real
 * iommufd IOAS (no device, the selftests' mock IOMMU, or a VFIO device), as the TCE
 * path would drive it. Reports ops/s, ns/op and host calls/op; table, JSON, CSV.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <fcntl.h>

#include "bench.h"
#include "config.h"
#include "iommufd.h"
#include "map_iommufd.h"
#include "vfio_cdev.h"
#include <linux/iommufd.h>
#include <linux/iommufd_test.h>

#define MAX_BUF (512ULL << 20)	/* host memory one combination may pin */
#define MAX_LIST 16

enum pattern { PAT_SEQUENTIAL, PAT_RANDOM, PAT_DDW_FILL };
static const char *const pattern_names[] = { "sequential", "random", "ddw-fill" };

struct bench_opts {
	const char *backend;
	const char *engines[MAX_LIST];
	unsigned int nr_engines;
	uint64_t page_sizes[MAX_LIST];
	unsigned int nr_page_sizes;
	unsigned int batches[MAX_LIST];
	unsigned int nr_batches;
	enum pattern patterns[3];
	unsigned int nr_patterns;
	unsigned int time_ms;
	const char *json, *csv;
};

struct result {
	const char *engine;
	enum pattern pattern;
	uint64_t page_size;
	unsigned int batch;
	double ops_per_sec, ns_per_op, calls_per_op;
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* xorshift: a reproducible shuffle without libc's global state */
static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/*
 * The batch as the guest produces it. sequential: contiguous IOVA over scattered guest
 * pages (every other host page); random: IOVA and pages shuffled; ddw-fill: Linux's DDW
 * 1:1 map of its RAM, contiguous on both sides.
 */
static void make_ops(struct map_op *map, struct map_op *unmap, enum pattern p, unsigned int n,
		     uint64_t ps, uint64_t iova0, uint64_t buf)
{
	unsigned int *perm = malloc(n * sizeof(*perm));
	uint64_t seed = 0x9e3779b97f4a7c15ULL;

	for (unsigned int i = 0; i < n; i++)
		perm[i] = i;
	if (p == PAT_RANDOM)
		for (unsigned int i = n; i > 1; i--) {
			unsigned int j = (unsigned int)(rng_next(&seed) % i), t = perm[i - 1];

			perm[i - 1] = perm[j];
			perm[j] = t;
		}
	for (unsigned int i = 0; i < n; i++) {
		uint64_t hva = buf + (p == PAT_DDW_FILL ? i : 2ULL * perm[i]) * ps;
		uint64_t iova = iova0 + (p == PAT_RANDOM ? 2ULL * perm[(i * 7 + 3) % n] : i) * ps;

		map[i] = (struct map_op){ MAP_OP_MAP, MAP_PROT_READ | MAP_PROT_WRITE, iova, hva, ps };
		unmap[i] = (struct map_op){ MAP_OP_UNMAP, 0, iova, 0, ps };
	}
	free(perm);
}

/* The nested HWPT of the mock backend (0: none on this backend). */
static uint32_t nested_hwpt_id;

/* What pins a source for ENGINE+pinned: a mock domain, or a HWPT for the VFIO device */
static struct {
	bool mock, vfio;
	uint32_t dev_id;
} pin;

/*
 * A VFIO device behind a sPAPR TCE IOMMU with nested HWPTs (kernel-patch/ 0019): engine
 * nested runs the batch as TCEs in a table the kernel shadows into the device's PE.
 */
static struct {
	bool ok;
	int devfd;
	uint32_t dev_id;
	uint64_t window;	/* the 32-bit window's size */
} spapr;

/* What one nested run sets up: its own IOAS (buf at 0) with a parent and a nested HWPT */
struct spapr_run {
	uint32_t ioas, parent;
	struct iommufd_spapr_window win[IOMMUFD_SPAPR_WINDOWS];
};

static void spapr_nested_end(struct iommufd_ioas *ioas, struct spapr_run *sr,
			     struct iommufd_spapr_nested *n)
{
	if (n->hwpt_id && vfio_cdev_attach(spapr.devfd, ioas->ioas_id))
		fprintf(stderr, "psvm bench: the device would not go back to the IOAS\n");
	if (n->hwpt_id)
		iommufd_destroy(ioas->fd, n->hwpt_id);
	if (sr->parent)
		iommufd_destroy(ioas->fd, sr->parent);
	iommufd_spapr_table_free(ioas->fd, sr->ioas, &sr->win[0]);
	if (sr->ioas)
		iommufd_destroy(ioas->fd, sr->ioas); /* unmaps buf */
	*sr = (struct spapr_run){ 0 };
	n->hwpt_id = 0;
}

/* The device on a nested HWPT whose 32-bit window (4K TCEs) is n's table, buf its RAM. */
static int spapr_nested_begin(struct iommufd_ioas *ioas, uint64_t buf, uint64_t len,
			      struct spapr_run *sr, struct iommufd_spapr_nested *n)
{
	int r;

	*n = (struct iommufd_spapr_nested){ .fd = ioas->fd, .win = sr->win,
					    .ram = (uint8_t *)(uintptr_t)buf, .ram_size = len };
	sr->win[0] = (struct iommufd_spapr_window){ .start = 0, .size = spapr.window,
						    .page_shift = 12 };
	r = iommufd_ioas_alloc(ioas->fd, &sr->ioas);
	if (!r)
		r = iommufd_hwpt_alloc(ioas->fd, spapr.dev_id, sr->ioas,
				       IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0, &sr->parent);
	if (!r)
		r = iommufd_ioas_map(ioas->fd, sr->ioas, 0, buf, len,
				     MAP_PROT_READ | MAP_PROT_WRITE);
	if (!r)
		r = iommufd_spapr_table_alloc(ioas->fd, sr->ioas, &sr->win[0],
					      IOMMUFD_SPAPR_TABLE_IOVA(0));
	if (!r)
		r = iommufd_spapr_nested_alloc(ioas->fd, spapr.dev_id, sr->parent, sr->win, 1,
					       &n->hwpt_id);
	if (!r) {
		r = vfio_cdev_attach(spapr.devfd, n->hwpt_id);
		if (r) {
			iommufd_destroy(ioas->fd, n->hwpt_id);
			n->hwpt_id = 0;
		}
	}
	if (r)
		spapr_nested_end(ioas, sr, n);
	return r;
}

/* One combination: repeat map + unmap of the batch for about time_ms. */
static int run_one(struct iommufd_ioas *ioas, const char *engine, enum pattern pat, uint64_t ps,
		   unsigned int batch, uint64_t iova0, uint64_t buf, unsigned int time_ms,
		   struct result *res)
{
	struct map_op *map = calloc(batch, sizeof(*map)), *unmap = calloc(batch, sizeof(*unmap));
	struct mock_nested nested = { 0 };
	struct iommufd_spapr_nested snested = { 0 };
	struct spapr_run sr = { 0 };
	struct map_backend be;
	struct map_engine e = { 0 };
	uint64_t ops = 0, calls0 = ioas->calls, calls;
	int64_t t0, el;
	unsigned int done;
	bool floor = !strcmp(engine, "floor"), is_nested = !strcmp(engine, "nested");
	/* ENGINE+pinned: maps are IOAS_COPYs from the buffer pinned once (iommufd_ioas_source) */
	const char *plus = strchr(engine, '+');
	char base[32];
	int r = 0;

	if (!map || !unmap) {
		free(map);
		free(unmap);
		return -ENOMEM;
	}
	make_ops(map, unmap, pat, batch, ps, iova0, buf);
	if (plus && (strcmp(plus, "+pinned") || (size_t)(plus - engine) >= sizeof(base) ||
		     (!pin.mock && !pin.vfio))) {
		fprintf(stderr, "psvm bench: engine '%s': ENGINE+pinned, on a backend with a "
			"domain (mock, vfio:)\n", engine);
		r = -EINVAL;
		goto out;
	}
	if (plus) {
		snprintf(base, sizeof(base), "%.*s", (int)(plus - engine), engine);
		r = iommufd_ioas_source(ioas, buf, 2ULL * batch * ps, pin.dev_id, pin.mock);
		if (r) {
			fprintf(stderr, "psvm bench: pinning the source: %s\n", strerror(-r));
			goto out;
		}
	}
	if (is_nested && spapr.ok) {
		r = spapr_nested_begin(ioas, buf, 2ULL * batch * ps, &sr, &snested);
		if (r) {
			fprintf(stderr, "psvm bench: nested sPAPR TCE HWPT: %s\n", strerror(-r));
			goto out;
		}
		iommufd_spapr_nested_backend(&snested, &be);
	} else if (is_nested) {
		if (!nested_hwpt_id) {
			fprintf(stderr, "psvm bench: engine nested needs a nested HWPT (--backend mock, or a "
				"sPAPR VFIO device on kernel-patch/)\n");
			r = -EOPNOTSUPP;
			goto out;
		}
		r = mock_nested_init(&nested, ioas->fd, nested_hwpt_id, iova0, ps, 2 * batch);
		if (r)
			goto out;
		mock_nested_backend(&nested, &be);
	} else {
		iommufd_ioas_backend(ioas, &be);
	}
	if (!floor && map_engine_init(&e, plus ? base : engine, &be)) {
		char names[128];

		map_engine_list(names, sizeof(names));
		fprintf(stderr, "psvm bench: unknown engine '%s' (%s|floor)\n", engine, names);
		r = -EINVAL;
		goto out;
	}
	t0 = now_ns();
	do {
		if (floor) {
			/* the lower bound: one call maps the whole (coalesced) range */
			uint64_t len = (uint64_t)batch * ps;

			ioas->calls += 2;
			r = iommufd_ioas_map(ioas->fd, ioas->ioas_id, iova0, buf, len,
					     MAP_PROT_READ | MAP_PROT_WRITE);
			if (!r)
				r = iommufd_ioas_unmap(ioas->fd, ioas->ioas_id, iova0, len, NULL);
		} else {
			r = map_submit(&e, map, batch, &done);
			if (!r)
				r = map_submit(&e, unmap, batch, &done);
		}
		if (r)
			break;
		ops += 2ULL * batch;
		el = now_ns() - t0;
	} while (el < (int64_t)time_ms * 1000000);
	if (r) {
		fprintf(stderr, "psvm bench: %s %s %llu x %u: %s\n", engine, pattern_names[pat],
			(unsigned long long)ps, batch, strerror(-r));
		goto out;
	}
	calls = floor ? ioas->calls - calls0 : e.calls;
	*res = (struct result){
		.engine = e.fallback ? "uring->coalesce" : engine, .pattern = pat, .page_size = ps,
		.batch = batch,
		.ops_per_sec = (double)ops * 1e9 / (double)el,
		.ns_per_op = (double)el / (double)ops,
		.calls_per_op = (double)calls / (double)ops,
	};
out:
	if (!floor)
		map_engine_destroy(&e);
	iommufd_ioas_source_free(ioas);
	mock_nested_free(&nested);
	if (sr.ioas)
		spapr_nested_end(ioas, &sr, &snested);
	iommufd_spapr_nested_free(&snested);
	free(map);
	free(unmap);
	return r;
}

static int parse_list(char *s, unsigned int max, void (*add)(void *, const char *), void *ctx)
{
	unsigned int n = 0;

	for (char *tok = strtok(s, ","); tok; tok = strtok(NULL, ","), n++) {
		if (n == max)
			return -1;
		add(ctx, tok);
	}
	return 0;
}

static void add_engine(void *ctx, const char *t)
{
	struct bench_opts *o = ctx;

	o->engines[o->nr_engines++] = t;
}

static bool bad_value;

static void add_page_size(void *ctx, const char *t)
{
	struct bench_opts *o = ctx;
	uint64_t v;

	if (parse_size(t, &v) || !v || v & (v - 1) || v < 4096)
		bad_value = true;
	else
		o->page_sizes[o->nr_page_sizes++] = v;
}

static void add_batch(void *ctx, const char *t)
{
	struct bench_opts *o = ctx;
	long v = strtol(t, NULL, 10);

	if (v < 1 || v > 512)
		bad_value = true;
	else
		o->batches[o->nr_batches++] = (unsigned int)v;
}

static void add_pattern(void *ctx, const char *t)
{
	struct bench_opts *o = ctx;

	for (unsigned int i = 0; i < ARRAY_SIZE(pattern_names); i++)
		if (!strcmp(t, pattern_names[i])) {
			o->patterns[o->nr_patterns++] = (enum pattern)i;
			return;
		}
	bad_value = true;
}

static void usage(FILE *f)
{
	fputs("usage: psvm bench map-unmap [--backend none|mock|vfio:/dev/vfio/devices/vfioN]\n"
	      "         [--engines ioctl,coalesce,uring,nested,floor,ENGINE+pinned]\n"
	      "         [--page-sizes 4K,64K,2M]\n"
	      "         [--batches 1,8,64,512] [--patterns sequential,random,ddw-fill]\n"
	      "         [--time-ms 200] [--json FILE] [--csv FILE]\n",
	      f);
}

/* Open the backend: an IOAS, with a mock domain or a VFIO device attached if asked. */
static int open_backend(const char *backend, struct iommufd_ioas *ioas, uint64_t *iova0, int *devfd)
{
	char err[256];
	uint32_t stdev, hwpt, idev, dev_id;
	uint64_t ranges[8][2];
	int n, r;

	ioas->fd = iommufd_open(err, sizeof(err));
	if (ioas->fd < 0) {
		fprintf(stderr, "psvm bench: %s\n", err);
		return -1;
	}
	r = iommufd_ioas_alloc(ioas->fd, &ioas->ioas_id);
	if (r) {
		fprintf(stderr, "psvm bench: IOMMU_IOAS_ALLOC: %s\n", strerror(-r));
		return -1;
	}
	if (!strcmp(backend, "mock")) {
		struct iommu_hwpt_selftest s1 = { .iotlb = IOMMU_TEST_IOTLB_DEFAULT };
		uint32_t parent;

		r = iommufd_mock_domain(ioas->fd, ioas->ioas_id, &stdev, &hwpt, &idev);
		if (r) {
			fprintf(stderr, "psvm bench: mock IOMMU domain: %s (needs CONFIG_IOMMUFD_TEST)\n",
				strerror(-r));
			return -1;
		}
		/* nested mode: a NEST_PARENT over the IOAS and a selftest stage 1 on it */
		if (iommufd_hwpt_alloc(ioas->fd, idev, ioas->ioas_id, IOMMU_HWPT_ALLOC_NEST_PARENT,
				       IOMMU_HWPT_DATA_NONE, NULL, 0, &parent) ||
		    iommufd_hwpt_alloc(ioas->fd, idev, parent, 0, IOMMU_HWPT_DATA_SELFTEST, &s1,
				       sizeof(s1), &nested_hwpt_id))
			nested_hwpt_id = 0;
		pin.mock = true;
	} else if (!strncmp(backend, "vfio:", 5)) {
		*devfd = open(backend + 5, O_RDWR | O_CLOEXEC);
		if (*devfd < 0) {
			fprintf(stderr, "psvm bench: %s: %s\n", backend + 5, strerror(errno));
			return -1;
		}
		r = vfio_cdev_bind(*devfd, ioas->fd, &dev_id);
		if (!r)
			r = vfio_cdev_attach(*devfd, ioas->ioas_id);
		if (r) {
			fprintf(stderr, "psvm bench: %s: bind/attach to iommufd: %s\n", backend + 5,
				strerror(-r));
			return -1;
		}
		pin.vfio = true;
		pin.dev_id = dev_id;
		/* nested: a sPAPR PE whose kernel makes nest parents (tried with one) */
		{
			struct iommu_hw_info_spapr_tce t = { 0 };
			uint32_t parent;

			if (!iommufd_spapr_hw_info(ioas->fd, dev_id, &t, &spapr.window) &&
			    !iommufd_hwpt_alloc(ioas->fd, dev_id, ioas->ioas_id,
						IOMMU_HWPT_ALLOC_NEST_PARENT, 0, NULL, 0, &parent)) {
				iommufd_destroy(ioas->fd, parent);
				spapr.ok = true;
				spapr.devfd = *devfd;
				spapr.dev_id = dev_id;
			}
		}
	} else if (strcmp(backend, "none")) {
		fprintf(stderr, "psvm bench: unknown backend '%s' (none, mock, vfio:PATH)\n", backend);
		return -1;
	}
	/* Map at the start of the first usable IOVA range that is big enough. */
	n = iommufd_ioas_iova_ranges(ioas->fd, ioas->ioas_id, ranges, 8);
	*iova0 = 1ULL << 24;
	for (int i = 0; i < n && i < 8; i++)
		if (ranges[i][1] - ranges[i][0] >= 2 * MAX_BUF) {
			*iova0 = ALIGN_UP(ranges[i][0] ? ranges[i][0] : 1ULL << 24, SZ_2M);
			break;
		}
	return 0;
}

static void emit(const struct bench_opts *o, const struct result *res, unsigned int n)
{
	FILE *f;

	printf("%-9s %-8s %-11s %6s %5s %12s %10s %8s %9s\n", "engine", "backend", "pattern",
	       "page", "batch", "ops/s", "ns/op", "calls/op", "x ioctl");
	for (unsigned int i = 0; i < n; i++) {
		const struct result *r = &res[i];
		double base = 0;

		for (unsigned int j = 0; j < n; j++)
			if (!strcmp(res[j].engine, "ioctl") && res[j].pattern == r->pattern &&
			    res[j].page_size == r->page_size && res[j].batch == r->batch)
				base = res[j].ops_per_sec;
		printf("%-9s %-8.8s %-11s %5lluK %5u %12.0f %10.0f %8.4f %9.2f\n", r->engine,
		       o->backend, pattern_names[r->pattern], (unsigned long long)(r->page_size >> 10),
		       r->batch, r->ops_per_sec, r->ns_per_op, r->calls_per_op,
		       base > 0 ? r->ops_per_sec / base : 0.0);
	}
	if (o->json && (f = fopen(o->json, "w"))) {
		fprintf(f, "{\"results\": [");
		for (unsigned int i = 0; i < n; i++)
			fprintf(f, "%s\n  {\"engine\": \"%s\", \"backend\": \"%s\", \"pattern\": \"%s\", "
				   "\"page_size\": %llu, \"batch\": %u, \"ops_per_sec\": %.1f, "
				   "\"ns_per_op\": %.1f, \"syscalls_per_op\": %.9g}",
				i ? "," : "", res[i].engine,
				!strncmp(o->backend, "vfio:", 5) ? "vfio" : o->backend,
				pattern_names[res[i].pattern], (unsigned long long)res[i].page_size,
				res[i].batch, res[i].ops_per_sec, res[i].ns_per_op,
				res[i].calls_per_op);
		fprintf(f, "\n]}\n");
		fclose(f);
	}
	if (o->csv && (f = fopen(o->csv, "w"))) {
		fprintf(f, "engine,backend,pattern,page_size,batch,ops_per_sec,ns_per_op,syscalls_per_op\n");
		for (unsigned int i = 0; i < n; i++)
			fprintf(f, "%s,%s,%s,%llu,%u,%.1f,%.1f,%.9g\n", res[i].engine, o->backend,
				pattern_names[res[i].pattern], (unsigned long long)res[i].page_size,
				res[i].batch, res[i].ops_per_sec, res[i].ns_per_op,
				res[i].calls_per_op);
		fclose(f);
	}
}

int psvm_bench(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "backend", required_argument, NULL, 'b' }, { "engines", required_argument, NULL, 'e' },
		{ "page-sizes", required_argument, NULL, 'p' }, { "batches", required_argument, NULL, 'n' },
		{ "patterns", required_argument, NULL, 'P' }, { "time-ms", required_argument, NULL, 't' },
		{ "json", required_argument, NULL, 'j' }, { "csv", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' }, { NULL, 0, NULL, 0 },
	};
	struct bench_opts o = { .backend = "none", .time_ms = 200 };
	struct iommufd_ioas ioas = { .fd = -1 };
	struct result *res;
	unsigned int nres = 0;
	uint64_t iova0;
	int opt, devfd = -1, rc = 1;
	bool engines_given;

	if (argc < 2 || strcmp(argv[1], "map-unmap")) {
		usage(stderr);
		return PSVM_EXIT_USAGE;
	}
	argc--;
	argv++;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		int r = 0;

		switch (opt) {
		case 'b': o.backend = optarg; break;
		case 'e': r = parse_list(optarg, MAX_LIST, add_engine, &o); break;
		case 'p': r = parse_list(optarg, MAX_LIST, add_page_size, &o); break;
		case 'n': r = parse_list(optarg, MAX_LIST, add_batch, &o); break;
		case 'P': r = parse_list(optarg, 3, add_pattern, &o); break;
		case 't': o.time_ms = (unsigned int)strtoul(optarg, NULL, 10); break;
		case 'j': o.json = optarg; break;
		case 'c': o.csv = optarg; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return PSVM_EXIT_USAGE;
		}
		if (r || bad_value) {
			fprintf(stderr, "psvm bench: bad value for --%s: '%s'\n",
				opt == 'p' ? "page-sizes" : opt == 'n' ? "batches (1..512)" :
				opt == 'P' ? "patterns" : "engines", optarg);
			return PSVM_EXIT_USAGE;
		}
	}
	/* Defaults: the whole matrix the README's table shows. */
	engines_given = o.nr_engines > 0;
	if (!o.nr_engines) {
		static char def[] = "ioctl,coalesce,floor";

		parse_list(def, MAX_LIST, add_engine, &o);
	}
	if (!o.nr_page_sizes) {
		static char def[] = "4K,64K,2M";

		parse_list(def, MAX_LIST, add_page_size, &o);
	}
	if (!o.nr_batches) {
		static char def[] = "1,8,64,512";

		parse_list(def, MAX_LIST, add_batch, &o);
	}
	if (!o.nr_patterns) {
		static char def[] = "sequential,random,ddw-fill";

		parse_list(def, 3, add_pattern, &o);
	}
	if (open_backend(o.backend, &ioas, &iova0, &devfd))
		goto out;
	if (!engines_given && (nested_hwpt_id || spapr.ok))
		add_engine(&o, "nested");
	if (!engines_given && (pin.mock || pin.vfio))
		add_engine(&o, "ioctl+pinned"); /* maps from memory pinned once */
	if (iommufd_uring_cmd_supported(ioas.fd) <= 0)
		printf("# uring: /dev/iommu takes no io_uring commands on this kernel (kernel-patch/ "
		       "adds them); engine uring would run as coalesce\n");
	else if (!engines_given)
		add_engine(&o, "uring"); /* measured by default where the kernel has it */
	res = calloc((size_t)o.nr_engines * o.nr_page_sizes * o.nr_batches * o.nr_patterns,
		     sizeof(*res));
	if (!res)
		goto out;
	for (unsigned int pi = 0; pi < o.nr_page_sizes; pi++) {
		uint64_t ps = o.page_sizes[pi], size = 0;
		uint8_t *buf;

		for (unsigned int b = 0; b < o.nr_batches; b++)
			size = MAX(size, 2ULL * o.batches[b] * ps);
		size = MIN(size, MAX_BUF);
		buf = mmap(NULL, size + SZ_2M, PROT_READ | PROT_WRITE,
			   MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (buf == MAP_FAILED) {
			fprintf(stderr, "psvm bench: %llu MiB buffer: %s\n",
				(unsigned long long)(size >> 20), strerror(errno));
			goto out_res;
		}
		for (unsigned int pa = 0; pa < o.nr_patterns; pa++)
			for (unsigned int b = 0; b < o.nr_batches; b++) {
				if (2ULL * o.batches[b] * ps > size)
					continue; /* more host memory than one combination may pin */
				for (unsigned int en = 0; en < o.nr_engines; en++)
					if (!run_one(&ioas, o.engines[en], o.patterns[pa], ps,
						     o.batches[b], iova0,
						     ALIGN_UP((uint64_t)(uintptr_t)buf, SZ_2M),
						     o.time_ms, &res[nres]))
						nres++;
			}
		munmap(buf, size + SZ_2M);
	}
	emit(&o, res, nres);
	rc = nres ? 0 : 1;
out_res:
	free(res);
out:
	if (devfd >= 0) {
		int d = vfio_cdev_detach(devfd);

		if (d) {
			fprintf(stderr, "psvm bench: detach %s: %s\n", o.backend + 5, strerror(-d));
			rc = 1;
		}
		close(devfd);
	}
	iommufd_ioas_backend_free(&ioas);
	if (ioas.fd >= 0)
		close(ioas.fd);
	return rc;
}
