/*
 * diffcheck.h - shared harness of the differential tests (tests/diff).
 *
 * A driver links two builds of one sample: the original, compiled with
 * -DNAME=orig_NAME, and daec's translation, compiled with -DNAME=dae_NAME.
 * It describes the sample with a struct dc_spec (name, input layout, a call
 * function) and hands over to dc_main(), which
 *
 *   - generates deterministic inputs (edge cases first, then random shapes)
 *     from one seed; every case has its own generator, so one case can be
 *     replayed alone with --seed S --case K;
 *   - gives both versions the same inputs and output buffers pre-filled with
 *     the same random bytes (plus a canary tail past the end), compares the
 *     whole buffers bit for bit and the return values;
 *   - checks with dae_stats_get() that the translation really took the
 *     decoupled path (runs increased) on every case that does lookups;
 *   - in --bench mode times one large case (best of N, CLOCK_MONOTONIC) and
 *     prints "BENCH <name> <orig_seconds> <dae_seconds> <identical 0/1>".
 *
 * Include this header before any other.  Exit status: 0 pass, 1 failure,
 * 2 usage error.
 */
#ifndef DAEC_TESTS_DIFFCHECK_H
#define DAEC_TESTS_DIFFCHECK_H

#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200809L
#endif

#include <dae/dae.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Input layout flags of a sample. */
enum {
	DC_WEIGHTS = 1 << 0, /* one float weight per index */
	DC_CHECKS_INDICES = 1 << 1, /* validates indices: out-of-range cases are generated */
};

enum { DC_ORIG = 0, DC_DAE = 1 };

/* Floats written past the end of the output, compared like the output. */
#define DC_CANARY 16

struct dc_case {
	long id;
	const char *kind;
	int64_t num_rows, dim, num_bags, num_indices;
	float *table; /* num_rows * dim, row-major */
	int64_t *indices; /* num_indices */
	float *weights; /* num_indices */
	int64_t *offsets; /* num_bags + 1 */
	int64_t *lengths; /* num_bags */
	int64_t bad_pos; /* position of the first out-of-range index, or -1 */
};

struct dc_spec {
	const char *name;
	unsigned flags;
	/* Runs the original (DC_ORIG) or translated (DC_DAE) function on c, writing into out.
	 * Returns the function's return value (0 for void functions). */
	int (*call)(int which, const struct dc_case *c, float *out);
};

struct dc_opts {
	uint64_t seed;
	long cases;
	long only_case; /* -1: all */
	int bench;
	int64_t table_mib, dim, pooling, bags;
	int reps;
	int allow_fallback;
	int verbose;
};

/* ---- random numbers (splitmix64) ---- */

struct dc_rng {
	uint64_t s;
};

static inline uint64_t dc_next(struct dc_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline struct dc_rng dc_rng_for(uint64_t seed, uint64_t stream)
{
	struct dc_rng r = {seed ^ (stream * 0xd1342543de82ef95ull)};
	dc_next(&r);
	return r;
}

/* Uniform in [0, n); n > 0. */
static inline int64_t dc_below(struct dc_rng *r, int64_t n)
{
	return (int64_t)(((unsigned __int128)dc_next(r) * (uint64_t)n) >> 64);
}

/* Uniform in [lo, hi]. */
static inline int64_t dc_range(struct dc_rng *r, int64_t lo, int64_t hi)
{
	return lo + dc_below(r, hi - lo + 1);
}

/* A float in (-scale, scale) with a full random mantissa, scale a power of two, so that the
 * result of a sum depends on the order of the additions. */
static inline float dc_float(struct dc_rng *r)
{
	static const float scales[] = {1.0f, 0.125f, 8.0f, 1.0f / 1024.0f, 3.0f};
	uint64_t x = dc_next(r);
	double u = (double)(x >> 11) * 0x1p-53 * 2.0 - 1.0;
	return (float)(u * scales[x & 3u ? 0 : (x >> 2) % 5]);
}

static inline void dc_fill_bytes(struct dc_rng *r, void *p, size_t n)
{
	unsigned char *b = p;
	size_t i;
	for (i = 0; i < n; i++) {
		b[i] = (unsigned char)(dc_next(r) >> 56);
	}
}

/* ---- misc ---- */

static inline void *dc_alloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "diffcheck: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static inline double dc_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static inline uint64_t dc_runs(void)
{
	struct dae_stats st;
	memset(&st, 0, sizeof(st));
	dae_stats_get(&st);
	return st.runs;
}

static inline void dc_case_free(struct dc_case *c)
{
	free(c->table);
	free(c->indices);
	free(c->weights);
	free(c->offsets);
	free(c->lengths);
	memset(c, 0, sizeof(*c));
}

static inline void dc_print_case(FILE *f, const char *name, const struct dc_opts *o,
                                 const struct dc_case *c)
{
	fprintf(f,
	        "%s: case %ld (%s): num_rows=%" PRId64 " dim=%" PRId64 " num_bags=%" PRId64
	        " lookups=%" PRId64 " bad_pos=%" PRId64 "\n",
	        name, c->id, c->kind, c->num_rows, c->dim, c->num_bags, c->num_indices, c->bad_pos);
	fprintf(f, "%s: replay with: --seed %" PRIu64 " --case %ld\n", name, o->seed, c->id);
}

/* ---- case generation ---- */

/* Shapes of the edge cases; ids 0 .. DC_NUM_EDGE-1 are edge cases, later ids are random. */
enum {
	DC_E_NO_BAGS,
	DC_E_EMPTY_BAGS,
	DC_E_ONE_BAG,
	DC_E_ONE_LOOKUP,
	DC_E_DUPLICATES,
	DC_E_DIM1,
	DC_E_DIM13,
	DC_E_WIDE_ROW,
	DC_E_ONE_ROW,
	DC_E_SOME_EMPTY,
	DC_E_LONG_BAG,
	DC_E_WRAP_DIM1,
	DC_E_WRAP,
	DC_E_WRAP_WIDE,
	DC_E_WRAP_TINY_BAGS,
	DC_E_DIM0,
	DC_E_BAD_FIRST,
	DC_E_BAD_MIDDLE,
	DC_E_BAD_LAST,
	DC_E_BAD_AFTER_WRAP,
	DC_E_BAD_AFTER_EMPTY,
	DC_NUM_EDGE
};

static const char *const dc_edge_names[DC_NUM_EDGE] = {
        "no bags",
        "all bags empty",
        "one bag",
        "one lookup",
        "duplicate indices",
        "dim 1",
        "dim 13",
        "dim 2100 (rows wider than a queued row copy)",
        "one table row",
        "empty bags in between",
        "one long bag",
        "queue wrap, dim 1",
        "queue wrap, 20k lookups",
        "queue wrap, dim 67",
        "queue wrap, 20k bags of one",
        "dim 0",
        "bad index first",
        "bad index in the middle",
        "bad index last",
        "bad index after queue wrap",
        "bad index after empty bags",
};

static inline int64_t dc_bad_index(struct dc_rng *r, int64_t num_rows)
{
	switch (dc_below(r, 5)) {
	case 0:
		return -1;
	case 1:
		return num_rows;
	case 2:
		return INT64_MIN;
	case 3:
		return INT64_MAX;
	default:
		return num_rows + dc_range(r, 1, 1000000);
	}
}

/* Fills c with the inputs of case id (edge case or random shape), from its own generator. */
static inline void dc_case_make(struct dc_case *c, const struct dc_spec *spec, uint64_t seed,
                                long id)
{
	struct dc_rng r = dc_rng_for(seed, (uint64_t)id + 1);
	int checks = (spec->flags & DC_CHECKS_INDICES) != 0;
	int64_t rows = 0, dim = 0, bags = 0, pool = 0, b, j, n;
	int empty_every = 0, one_row_value = -1, hot = 0;
	int64_t fixed_len = -1, bad_at = -1;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->bad_pos = -1;

	/* Shape. bad_at: -1 none, -2 first, -3 last, -4 middle, >= 0 that position. */
	if (id < DC_NUM_EDGE) {
		c->kind = dc_edge_names[id];
		rows = 50;
		dim = 8;
		bags = 6;
		pool = 5;
		switch (id) {
		case DC_E_NO_BAGS:
			bags = 0;
			break;
		case DC_E_EMPTY_BAGS:
			bags = 7;
			fixed_len = 0;
			break;
		case DC_E_ONE_BAG:
			bags = 1;
			fixed_len = 9;
			break;
		case DC_E_ONE_LOOKUP:
			bags = 1;
			fixed_len = 1;
			break;
		case DC_E_DUPLICATES:
			one_row_value = (int)dc_below(&r, rows);
			break;
		case DC_E_DIM1:
			dim = 1;
			bags = 20;
			break;
		case DC_E_DIM13:
			dim = 13;
			bags = 11;
			break;
		case DC_E_WIDE_ROW:
			/* 8400-byte rows: more than DAE_QUEUE_ROW_MAX, so rows sent
			 * by value fall back to references. */
			dim = 2100;
			rows = 12;
			bags = 3;
			pool = 4;
			break;
		case DC_E_ONE_ROW:
			rows = 1;
			one_row_value = 0;
			break;
		case DC_E_SOME_EMPTY:
			bags = 15;
			empty_every = 2;
			break;
		case DC_E_LONG_BAG:
			rows = 700;
			dim = 3;
			bags = 1;
			fixed_len = 5000;
			break;
		case DC_E_WRAP_DIM1:
			rows = 3000;
			dim = 1;
			bags = 1000;
			fixed_len = 20;
			break;
		case DC_E_WRAP:
			rows = 4096;
			dim = 16;
			bags = 500;
			fixed_len = 40;
			break;
		case DC_E_WRAP_WIDE:
			rows = 2048;
			dim = 67;
			bags = 600;
			pool = 40;
			hot = 1;
			break;
		case DC_E_WRAP_TINY_BAGS:
			rows = 1000;
			dim = 2;
			bags = 20000;
			fixed_len = 1;
			break;
		case DC_E_DIM0:
			dim = 0;
			break;
		case DC_E_BAD_FIRST:
			bad_at = -2;
			break;
		case DC_E_BAD_MIDDLE:
			bags = 9;
			bad_at = -4;
			break;
		case DC_E_BAD_LAST:
			bad_at = -3;
			break;
		case DC_E_BAD_AFTER_WRAP:
			rows = 4096;
			dim = 16;
			bags = 600;
			fixed_len = 40;
			bad_at = 20000 + dc_below(&r, 3000);
			break;
		case DC_E_BAD_AFTER_EMPTY:
			bags = 8;
			empty_every = 1; /* patched below: the first bags are empty */
			bad_at = -2;
			break;
		}
		if (bad_at != -1 && !checks) {
			/* The sample does not validate indices: out-of-range ones are undefined
			 * behaviour there, so this slot becomes another large in-range case. */
			c->kind = "queue wrap, skewed (in-range variant)";
			rows = 5000;
			dim = 5 + id;
			bags = 400;
			pool = 60;
			hot = 1;
			bad_at = -1;
			empty_every = 0;
		}
	} else {
		static const int64_t dims[] = {1, 2, 3, 4, 7, 8, 13, 16, 31, 32, 33, 64, 100};
		int large = id % 25 == 0;
		c->kind = large ? "random, large" : "random";
		rows = large ? dc_range(&r, 100, 20000) : dc_range(&r, 1, 1000);
		dim = dc_below(&r, 2) ? dims[dc_below(&r, 13)] : dc_range(&r, 1, 80);
		bags = large ? dc_range(&r, 200, 1500) : dc_range(&r, 0, 40);
		pool = large ? dc_range(&r, 10, 40) : dc_range(&r, 0, 30);
		empty_every = dc_below(&r, 4) == 0 ? (int)dc_range(&r, 1, 5) : 0;
		hot = dc_below(&r, 3) == 0;
		if (checks && dc_below(&r, 6) == 0) {
			bad_at = -2 - dc_below(&r, 3);
		}
		if (large && dim > 40) {
			dim = 40;
		}
	}

	c->num_rows = rows;
	c->dim = dim;
	c->num_bags = bags;

	/* Bag lengths and offsets. */
	c->lengths = dc_alloc(sizeof(int64_t) * (size_t)bags);
	c->offsets = dc_alloc(sizeof(int64_t) * (size_t)(bags + 1));
	n = 0;
	c->offsets[0] = 0;
	for (b = 0; b < bags; b++) {
		int64_t len;
		if (fixed_len >= 0) {
			len = fixed_len;
		} else if (empty_every && b % (empty_every + 1) == 0) {
			len = 0;
		} else {
			len = dc_range(&r, 0, 2 * pool);
		}
		if (id == DC_E_BAD_AFTER_EMPTY && checks) {
			len = b < 4 ? 0 : dc_range(&r, 1, 6);
		}
		c->lengths[b] = len;
		n += len;
		c->offsets[b + 1] = n;
	}
	c->num_indices = n;

	/* Indices: uniform, or skewed towards a few hot rows so that rows repeat. */
	c->indices = dc_alloc(sizeof(int64_t) * (size_t)n);
	for (j = 0; j < n; j++) {
		if (one_row_value >= 0) {
			c->indices[j] = one_row_value;
		} else if (hot && dc_below(&r, 2) == 0) {
			c->indices[j] = dc_below(&r, rows < 4 ? rows : 4);
		} else {
			c->indices[j] = dc_below(&r, rows);
		}
	}
	if (bad_at != -1 && n > 0) {
		int64_t pos;
		if (bad_at == -2) {
			pos = 0;
		} else if (bad_at == -3) {
			pos = n - 1;
		} else if (bad_at == -4) {
			pos = n / 2;
		} else {
			pos = bad_at < n ? bad_at : n - 1;
		}
		c->indices[pos] = dc_bad_index(&r, rows);
		c->bad_pos = pos;
		/* Sometimes a second bad index further on: only the first one may matter. */
		if (pos + 1 < n && dc_below(&r, 2) == 0) {
			c->indices[dc_range(&r, pos + 1, n - 1)] = dc_bad_index(&r, rows);
		}
	}

	c->weights = dc_alloc(sizeof(float) * (size_t)n);
	for (j = 0; j < n; j++) {
		switch (dc_below(&r, 10)) {
		case 0:
			c->weights[j] = 0.0f;
			break;
		case 1:
			c->weights[j] = 1.0f;
			break;
		default:
			c->weights[j] = dc_float(&r);
		}
	}

	c->table = dc_alloc(sizeof(float) * (size_t)(rows * dim));
	for (j = 0; j < rows * dim; j++) {
		c->table[j] = dc_float(&r);
	}
}

/* ---- comparison ---- */

static inline uint32_t dc_bits(float f)
{
	uint32_t u;
	memcpy(&u, &f, sizeof(u));
	return u;
}

/* Compares n floats bit for bit; prints the first difference. Returns 0 when identical. */
static inline int dc_compare(const char *name, const struct dc_case *c, const float *want,
                             const float *got, size_t n)
{
	size_t i;
	if (memcmp(want, got, n * sizeof(float)) == 0) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (dc_bits(want[i]) != dc_bits(got[i])) {
			break;
		}
	}
	if (c->dim > 0 && i < (size_t)(c->num_bags * c->dim)) {
		fprintf(stderr,
		        "%s: first difference at out[%zu] (bag %" PRId64 ", column %" PRId64 ")",
		        name, i, (int64_t)i / c->dim, (int64_t)i % c->dim);
	} else {
		fprintf(stderr, "%s: first difference at out[%zu], %zu past the end of the output",
		        name, i, i - (size_t)(c->num_bags * c->dim));
	}
	fprintf(stderr, ": original %.9g (0x%08" PRIx32 "), translated %.9g (0x%08" PRIx32 ")\n",
	        (double)want[i], dc_bits(want[i]), (double)got[i], dc_bits(got[i]));
	return 1;
}

/* ---- options ---- */

static inline void dc_usage(FILE *f, const char *name)
{
	fprintf(f,
	        "usage: drive_%s [--seed N] [--cases N] [--case K] [--allow-fallback] [-v]\n"
	        "       drive_%s --bench [--table-mib N] [--dim N] [--pooling N] [--bags N] "
	        "[--reps N]\n"
	        "Compares orig_%s (the sample) with dae_%s (daec's translation) bit for bit.\n",
	        name, name, name, name);
}

static inline int dc_parse(int argc, char **argv, const char *name, struct dc_opts *o)
{
	int i;
	o->seed = 20240917;
	o->cases = 250;
	o->only_case = -1;
	o->bench = 0;
	o->table_mib = 256;
	o->dim = 64;
	o->pooling = 40;
	o->bags = 16384;
	o->reps = 5;
	o->allow_fallback = 0;
	o->verbose = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		long long x = 0;
		int takes = strcmp(a, "--seed") == 0 || strcmp(a, "--cases") == 0 ||
		            strcmp(a, "--case") == 0 || strcmp(a, "--table-mib") == 0 ||
		            strcmp(a, "--dim") == 0 || strcmp(a, "--pooling") == 0 ||
		            strcmp(a, "--bags") == 0 || strcmp(a, "--reps") == 0;
		if (takes) {
			if (!v) {
				fprintf(stderr, "drive_%s: %s needs a value\n", name, a);
				return -1;
			}
			x = strtoll(v, &end, 0);
			if (*v == '\0' || *end != '\0' || x < 0) {
				fprintf(stderr, "drive_%s: bad value for %s: %s\n", name, a, v);
				return -1;
			}
			i++;
		}
		if (strcmp(a, "--seed") == 0) {
			o->seed = strtoull(v, NULL, 0);
		} else if (strcmp(a, "--cases") == 0) {
			o->cases = (long)x;
		} else if (strcmp(a, "--case") == 0) {
			o->only_case = (long)x;
		} else if (strcmp(a, "--table-mib") == 0) {
			o->table_mib = x;
		} else if (strcmp(a, "--dim") == 0) {
			o->dim = x;
		} else if (strcmp(a, "--pooling") == 0) {
			o->pooling = x;
		} else if (strcmp(a, "--bags") == 0) {
			o->bags = x;
		} else if (strcmp(a, "--reps") == 0) {
			o->reps = (int)x;
		} else if (strcmp(a, "--bench") == 0) {
			o->bench = 1;
		} else if (strcmp(a, "--allow-fallback") == 0) {
			o->allow_fallback = 1;
		} else if (strcmp(a, "-v") == 0 || strcmp(a, "--verbose") == 0) {
			o->verbose = 1;
		} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			dc_usage(stdout, name);
			exit(0);
		} else {
			fprintf(stderr, "drive_%s: unknown option %s\n", name, a);
			return -1;
		}
	}
	if (o->bench && (o->dim < 1 || o->table_mib < 1 || o->reps < 1)) {
		fprintf(stderr, "drive_%s: --bench needs --dim, --table-mib and --reps >= 1\n",
		        name);
		return -1;
	}
	return 0;
}

/* ---- one case ---- */

/* A case must take the decoupled path when it does lookups and has no out-of-range index
 * (where a translation may legitimately stop before starting). */
static inline int dc_expects_decoupled(const struct dc_case *c)
{
	return c->num_indices > 0 && c->dim > 0 && c->bad_pos < 0;
}

static inline int dc_run_case(const struct dc_spec *spec, const struct dc_opts *o,
                              const struct dc_case *c, uint64_t *decoupled_calls)
{
	size_t n = (size_t)(c->num_bags * c->dim) + DC_CANARY;
	float *want = dc_alloc(n * sizeof(float));
	float *got = dc_alloc(n * sizeof(float));
	struct dc_rng r = dc_rng_for(o->seed ^ 0x6f7574ull, (uint64_t)c->id + 1);
	uint64_t runs_before, runs_after;
	int ret_want, ret_got, fail = 0;

	dc_fill_bytes(&r, want, n * sizeof(float));
	memcpy(got, want, n * sizeof(float));

	fflush(stdout);
	ret_want = spec->call(DC_ORIG, c, want);
	runs_before = dc_runs();
	ret_got = spec->call(DC_DAE, c, got);
	runs_after = dc_runs();
	if (runs_after > runs_before) {
		(*decoupled_calls)++;
	}

	if (ret_want != ret_got) {
		dc_print_case(stderr, spec->name, o, c);
		fprintf(stderr, "%s: return value differs: original %d, translated %d\n",
		        spec->name, ret_want, ret_got);
		fail = 1;
	}
	if (dc_compare(spec->name, c, want, got, n)) {
		if (!fail) {
			dc_print_case(stderr, spec->name, o, c);
		}
		fail = 1;
	}
	if (!fail && !o->allow_fallback && dc_expects_decoupled(c) && runs_after <= runs_before) {
		dc_print_case(stderr, spec->name, o, c);
		fprintf(stderr,
		        "%s: the translation did not take the decoupled path (dae_stats runs "
		        "stayed "
		        "at %" PRIu64 "): silent fallback to the original code\n",
		        spec->name, runs_before);
		fail = 1;
	}
	if (o->verbose) {
		printf("case %ld (%s): bags %" PRId64 ", lookups %" PRId64 ", dim %" PRId64
		       ": %s, return %d, runs +%" PRIu64 "\n",
		       c->id, c->kind, c->num_bags, c->num_indices, c->dim, fail ? "FAIL" : "ok",
		       ret_got, runs_after - runs_before);
	}
	free(want);
	free(got);
	return fail;
}

/* ---- bench ---- */

static inline int dc_bench(const struct dc_spec *spec, const struct dc_opts *o)
{
	struct dc_case c;
	struct dc_rng r = dc_rng_for(o->seed, 0xbe9c4ull);
	int64_t j, b;
	size_t n;
	float *want, *got;
	double best_orig = 1e30, best_dae = 1e30;
	uint64_t runs_before;
	int rep, identical;

	memset(&c, 0, sizeof(c));
	c.id = -1;
	c.kind = "bench";
	c.bad_pos = -1;
	c.dim = o->dim;
	c.num_rows = o->table_mib * 1024 * 1024 / ((int64_t)sizeof(float) * o->dim);
	if (c.num_rows < 1) {
		c.num_rows = 1;
	}
	c.num_bags = o->bags;
	c.num_indices = o->bags * o->pooling;
	c.table = dc_alloc(sizeof(float) * (size_t)(c.num_rows * c.dim));
	c.indices = dc_alloc(sizeof(int64_t) * (size_t)c.num_indices);
	c.weights = dc_alloc(sizeof(float) * (size_t)c.num_indices);
	c.offsets = dc_alloc(sizeof(int64_t) * (size_t)(c.num_bags + 1));
	c.lengths = dc_alloc(sizeof(int64_t) * (size_t)c.num_bags);
	for (j = 0; j < c.num_rows * c.dim; j++) {
		c.table[j] = dc_float(&r);
	}
	for (j = 0; j < c.num_indices; j++) {
		c.indices[j] = dc_below(&r, c.num_rows);
		c.weights[j] = dc_float(&r);
	}
	for (b = 0; b <= c.num_bags; b++) {
		c.offsets[b] = b * o->pooling;
		if (b < c.num_bags) {
			c.lengths[b] = o->pooling;
		}
	}
	n = (size_t)(c.num_bags * c.dim) + DC_CANARY;
	want = dc_alloc(n * sizeof(float));
	got = dc_alloc(n * sizeof(float));
	dc_fill_bytes(&r, want, n * sizeof(float));
	memcpy(got, want, n * sizeof(float));

	fprintf(stderr,
	        "%s: bench: table %" PRId64 " x %" PRId64 " floats (%.0f MiB), %" PRId64
	        " bags x %" PRId64 " lookups, best of %d\n",
	        spec->name, c.num_rows, c.dim,
	        (double)(c.num_rows * c.dim) * sizeof(float) / (1024.0 * 1024.0), c.num_bags,
	        o->pooling, o->reps);
	runs_before = dc_runs();
	for (rep = 0; rep < o->reps; rep++) {
		double t0 = dc_now(), t1, t2;
		spec->call(DC_ORIG, &c, want);
		t1 = dc_now();
		spec->call(DC_DAE, &c, got);
		t2 = dc_now();
		if (t1 - t0 < best_orig) {
			best_orig = t1 - t0;
		}
		if (t2 - t1 < best_dae) {
			best_dae = t2 - t1;
		}
	}
	identical = memcmp(want, got, n * sizeof(float)) == 0;
	if (!identical) {
		dc_compare(spec->name, &c, want, got, n);
	}
	if (dc_runs() == runs_before) {
		fprintf(stderr, "%s: bench: the translation never took the decoupled path\n",
		        spec->name);
		if (!o->allow_fallback) {
			identical = 0;
		}
	}
	printf("BENCH %s %.6f %.6f %d\n", spec->name, best_orig, best_dae, identical);
	fflush(stdout);
	free(want);
	free(got);
	dc_case_free(&c);
	return identical ? 0 : 1;
}

/* ---- main ---- */

static inline int dc_main(int argc, char **argv, const struct dc_spec *spec)
{
	struct dc_opts o;
	struct dc_case c;
	long id, first, last, ran = 0, expected = 0;
	uint64_t decoupled = 0, lookups = 0;
	struct dae_stats st;

	if (dc_parse(argc, argv, spec->name, &o) != 0) {
		dc_usage(stderr, spec->name);
		return 2;
	}
	if (o.bench) {
		return dc_bench(spec, &o);
	}
	first = o.only_case >= 0 ? o.only_case : 0;
	last = o.only_case >= 0 ? o.only_case + 1 : o.cases;
	printf("drive_%s: seed %" PRIu64 ", cases %ld..%ld\n", spec->name, o.seed, first, last - 1);
	fflush(stdout);
	for (id = first; id < last; id++) {
		dc_case_make(&c, spec, o.seed, id);
		if (dc_run_case(spec, &o, &c, &decoupled)) {
			dc_case_free(&c);
			fflush(stdout);
			fprintf(stderr, "drive_%s: FAILED at case %ld (seed %" PRIu64 ")\n",
			        spec->name, id, o.seed);
			return 1;
		}
		ran++;
		expected += dc_expects_decoupled(&c);
		lookups += (uint64_t)c.num_indices;
		dc_case_free(&c);
	}
	memset(&st, 0, sizeof(st));
	dae_stats_get(&st);
	printf("drive_%s: %ld cases identical (%" PRIu64
	       " lookups); decoupled path taken in %" PRIu64
	       " calls (%ld required); dae_stats runs=%" PRIu64 " tokens=%" PRIu64
	       " operands=%" PRIu64 " words=%" PRIu64 "\n",
	       spec->name, ran, lookups, decoupled, expected, st.runs, st.tokens, st.operands,
	       st.words);
	return 0;
}

#endif /* DAEC_TESTS_DIFFCHECK_H */
