/*
 * corpus.h - harness of the corpus differential drivers (tests/corpus).
 *
 * Built on tests/diff/diffcheck.h: the same random generator (splitmix64,
 * one stream per case so that a case replays alone), the same float
 * generator (full random mantissas, so that a changed order of additions
 * changes the bits), the same command-line options (--seed, --cases, --case,
 * --allow-fallback, -v) and the same dae_stats check.  diffcheck.h's own case
 * generator only knows embedding bags; the corpus has CSR graphs, sparse
 * dots, triples and per-table lookups, so this header adds a generic one:
 *
 *   - a *shape* per case (struct cc_shape): rows of the table, width, number
 *     of bags (segments, tokens, graph rows, triples, ...) and the lookups
 *     per bag.  Cases 0 .. CC_NUM_EDGE-1 are fixed edge cases (no bags, empty
 *     bags, one lookup, duplicate indices, dim 0/1/13/67, one table row, a
 *     5000-lookup bag, several 20 000+-lookup cases so that the 4096-word
 *     queue wraps and fills); later cases are random, every 25th one large;
 *   - allocation helpers that are freed at the end of the case;
 *   - output buffers pre-filled with the same random bytes for both sides
 *     (cc_out for the original, cc_twin for the translation), plus a canary
 *     tail, compared byte for byte (cc_same_*), and return values compared
 *     bit for bit (cc_same_ret_*);
 *   - CC_DAE(c, call) around the call of the translation, and
 *     cc_need_decoupled(c, cond): when cond holds (the case does lookups),
 *     dae_stats runs must have increased during that call.
 *
 * A driver defines one function per tested function,
 *
 *     static void t_foo(struct cc *c) { ...build inputs from c->s...;
 *             orig_foo(..., want); CC_DAE(c, dae_foo(..., got));
 *             cc_same_f32(c, "out", want, got, n); cc_need_decoupled(c, n > 0); }
 *
 * and calls cc_main(argc, argv, "file", tests, count).  Every case id runs
 * every test with the same shape (each test gets a fresh generator seeded
 * from the case id).  Exit status: 0 pass, 1 failure, 2 usage.
 *
 * If daec failed on the file, or its output did not compile, the build
 * replaces the translation with a copy of the original that also defines
 * corpus_daec_broken(); the driver then fails at once saying so.
 */
#ifndef DAEC_TESTS_CORPUS_H
#define DAEC_TESTS_CORPUS_H

#include "../diff/diffcheck.h"

#include <dae/stats.h>

#include <math.h>
#include <stdarg.h>

/* Bytes compared past the end of every output buffer. */
#define CC_CANARY_BYTES 64

/* Declares orig_NAME and dae_NAME with one parameter list. */
#define CC_BOTH(ret, name, params)                                                                 \
	ret orig_##name params;                                                                    \
	ret dae_##name params

/* Defined only in a stand-in translation (daec failed or its output did not compile). */
const char *corpus_daec_broken(void) __attribute__((weak));

struct cc_shape {
	const char *kind;
	int64_t rows; /* table rows / graph source nodes / entities */
	int64_t dim; /* row width / features; may be 0 */
	int64_t bags; /* bags / segments / tokens / CSR rows / sparse rows / triples */
	int64_t pool; /* lookups per bag: uniform in [0, 2 * pool] */
	int64_t fixed_len; /* every bag has exactly this many lookups, or -1 */
	int empty_every; /* every (empty_every + 1)-th bag is empty; 0: none forced */
	int hot; /* half the lookups hit rows 0..3 */
	int64_t one_row; /* every lookup hits this row, or -1 */
	int large;
};

struct cc {
	const char *file; /* driver (corpus file) name */
	const char *fn; /* function under test */
	const struct dc_opts *o;
	long id;
	struct dc_rng r;
	struct cc_shape s;
	int fail;
	int dae_calls;
	int skipped; /* the case is not a valid input for this function */
	uint64_t runs_before, runs_after;
	int decoupled; /* the last CC_DAE call raised dae_stats runs */
	void **mem;
	size_t nmem, capmem;
	char note[256]; /* extra shape description, printed on failure */
};

struct cc_test {
	const char *fn;
	void (*run)(struct cc *c);
};

/* ---- memory ---- */

static inline void *cc_alloc(struct cc *c, size_t n)
{
	void *p = dc_alloc(n);
	if (c->nmem == c->capmem) {
		size_t cap = c->capmem ? 2 * c->capmem : 32;
		void **m = realloc(c->mem, cap * sizeof(void *));
		if (!m) {
			fprintf(stderr, "corpus: out of memory\n");
			exit(1);
		}
		c->mem = m;
		c->capmem = cap;
	}
	c->mem[c->nmem++] = p;
	return p;
}

static inline void cc_free_all(struct cc *c)
{
	size_t i;
	for (i = 0; i < c->nmem; i++) {
		free(c->mem[i]);
	}
	free(c->mem);
	c->mem = NULL;
	c->nmem = c->capmem = 0;
}

static inline void cc_notef(struct cc *c, const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(c->note);
	if (len >= sizeof(c->note) - 1) {
		return;
	}
	va_start(ap, fmt);
	vsnprintf(c->note + len, sizeof(c->note) - len, fmt, ap);
	va_end(ap);
}

/* ---- shapes ---- */

enum {
	CC_E_NO_BAGS,
	CC_E_EMPTY_BAGS,
	CC_E_ONE_BAG,
	CC_E_ONE_LOOKUP,
	CC_E_DUPLICATES,
	CC_E_DIM1,
	CC_E_DIM13,
	CC_E_ONE_ROW,
	CC_E_SOME_EMPTY,
	CC_E_LONG_BAG,
	CC_E_WRAP_DIM1,
	CC_E_WRAP,
	CC_E_WRAP_WIDE,
	CC_E_WRAP_TINY_BAGS,
	CC_E_DIM0,
	CC_E_SKEWED,
	CC_E_LARGE_ODD,
	CC_NUM_EDGE
};

static inline void cc_shape_make(struct cc *c)
{
	struct cc_shape *s = &c->s;
	long id = c->id;
	memset(s, 0, sizeof(*s));
	s->rows = 50;
	s->dim = 8;
	s->bags = 6;
	s->pool = 5;
	s->fixed_len = -1;
	s->one_row = -1;
	if (id < CC_NUM_EDGE) {
		switch (id) {
		case CC_E_NO_BAGS:
			s->kind = "no bags";
			s->bags = 0;
			break;
		case CC_E_EMPTY_BAGS:
			s->kind = "all bags empty";
			s->bags = 7;
			s->fixed_len = 0;
			break;
		case CC_E_ONE_BAG:
			s->kind = "one bag";
			s->bags = 1;
			s->fixed_len = 9;
			break;
		case CC_E_ONE_LOOKUP:
			s->kind = "one lookup";
			s->bags = 1;
			s->fixed_len = 1;
			break;
		case CC_E_DUPLICATES:
			s->kind = "duplicate indices";
			s->one_row = dc_below(&c->r, s->rows);
			break;
		case CC_E_DIM1:
			s->kind = "dim 1";
			s->dim = 1;
			s->bags = 20;
			break;
		case CC_E_DIM13:
			s->kind = "dim 13";
			s->dim = 13;
			s->bags = 11;
			break;
		case CC_E_ONE_ROW:
			s->kind = "one table row";
			s->rows = 1;
			s->one_row = 0;
			break;
		case CC_E_SOME_EMPTY:
			s->kind = "empty bags in between";
			s->bags = 15;
			s->empty_every = 2;
			break;
		case CC_E_LONG_BAG:
			s->kind = "one long bag";
			s->rows = 700;
			s->dim = 3;
			s->bags = 1;
			s->fixed_len = 5000;
			break;
		case CC_E_WRAP_DIM1:
			s->kind = "queue wrap, dim 1";
			s->rows = 3000;
			s->dim = 1;
			s->bags = 1000;
			s->fixed_len = 20;
			s->large = 1;
			break;
		case CC_E_WRAP:
			s->kind = "queue wrap, 20k lookups";
			s->rows = 4096;
			s->dim = 16;
			s->bags = 500;
			s->fixed_len = 40;
			s->large = 1;
			break;
		case CC_E_WRAP_WIDE:
			s->kind = "queue wrap, dim 67";
			s->rows = 2048;
			s->dim = 67;
			s->bags = 600;
			s->pool = 40;
			s->hot = 1;
			s->large = 1;
			break;
		case CC_E_WRAP_TINY_BAGS:
			s->kind = "queue wrap, 20k bags of one";
			s->rows = 1000;
			s->dim = 2;
			s->bags = 20000;
			s->fixed_len = 1;
			s->large = 1;
			break;
		case CC_E_DIM0:
			s->kind = "dim 0";
			s->dim = 0;
			break;
		case CC_E_SKEWED:
			s->kind = "queue wrap, skewed, dim 3";
			s->rows = 5000;
			s->dim = 3;
			s->bags = 400;
			s->pool = 60;
			s->hot = 1;
			s->large = 1;
			break;
		case CC_E_LARGE_ODD:
			s->kind = "queue wrap, 20k rows, dim 33";
			s->rows = 20000;
			s->dim = 33;
			s->bags = 700;
			s->pool = 30;
			s->large = 1;
			break;
		}
	} else {
		static const int64_t dims[] = {1, 2, 3, 4, 7, 8, 13, 16, 31, 32, 33, 64, 100};
		struct dc_rng *r = &c->r;
		int large = id % 25 == 0;
		s->kind = large ? "random, large" : "random";
		s->large = large;
		s->rows = large ? dc_range(r, 100, 20000) : dc_range(r, 1, 1000);
		s->dim = dc_below(r, 2) ? dims[dc_below(r, 13)] : dc_range(r, 1, 80);
		s->bags = large ? dc_range(r, 200, 1500) : dc_range(r, 0, 40);
		s->pool = large ? dc_range(r, 10, 40) : dc_range(r, 0, 30);
		s->empty_every = dc_below(r, 4) == 0 ? (int)dc_range(r, 1, 5) : 0;
		s->hot = dc_below(r, 3) == 0;
		if (large && s->dim > 40) {
			s->dim = 40;
		}
	}
}

/* Lookups per bag (c->s.bags entries); *total receives their sum. */
static inline int64_t *cc_lengths(struct cc *c, int64_t *total)
{
	const struct cc_shape *s = &c->s;
	int64_t *len = cc_alloc(c, sizeof(int64_t) * (size_t)s->bags);
	int64_t b, n = 0;
	for (b = 0; b < s->bags; b++) {
		if (s->fixed_len >= 0) {
			len[b] = s->fixed_len;
		} else if (s->empty_every && b % (s->empty_every + 1) == 0) {
			len[b] = 0;
		} else {
			len[b] = dc_range(&c->r, 0, 2 * s->pool);
		}
		n += len[b];
	}
	*total = n;
	return len;
}

/* Offsets with a trailing entry: bags + 1 entries, off[0] = 0. */
static inline int64_t *cc_offsets(struct cc *c, const int64_t *len, int64_t bags)
{
	int64_t *off = cc_alloc(c, sizeof(int64_t) * (size_t)(bags + 1));
	int64_t b;
	off[0] = 0;
	for (b = 0; b < bags; b++) {
		off[b + 1] = off[b] + len[b];
	}
	return off;
}

/* One index in [0, limit), following the shape's hot / one-row rules; limit > 0. */
static inline int64_t cc_index_below(struct cc *c, int64_t limit)
{
	if (c->s.one_row >= 0 && c->s.one_row < limit) {
		return c->s.one_row;
	}
	if (c->s.hot && dc_below(&c->r, 2) == 0) {
		return dc_below(&c->r, limit < 4 ? limit : 4);
	}
	return dc_below(&c->r, limit);
}

/* n indices in [0, limit). */
static inline int64_t *cc_indices_below(struct cc *c, int64_t n, int64_t limit)
{
	int64_t *ix = cc_alloc(c, sizeof(int64_t) * (size_t)n);
	int64_t j;
	for (j = 0; j < n; j++) {
		ix[j] = cc_index_below(c, limit);
	}
	return ix;
}

/* n indices in [0, c->s.rows). */
static inline int64_t *cc_indices(struct cc *c, int64_t n)
{
	return cc_indices_below(c, n, c->s.rows);
}

/* A copy of n int64 values as elements of elsize bytes (1, 2, 4 or 8; signed, or
 * unsigned for non-negative values), e.g. cc_as(c, ix, n, sizeof(int)). */
static inline void *cc_as(struct cc *c, const int64_t *src, int64_t n, size_t elsize)
{
	void *p = cc_alloc(c, elsize * (size_t)n);
	int64_t j;
	for (j = 0; j < n; j++) {
		switch (elsize) {
		case 1:
			((int8_t *)p)[j] = (int8_t)src[j];
			break;
		case 2:
			((int16_t *)p)[j] = (int16_t)src[j];
			break;
		case 4:
			((int32_t *)p)[j] = (int32_t)src[j];
			break;
		default:
			((int64_t *)p)[j] = src[j];
			break;
		}
	}
	return p;
}

static inline float *cc_f32(struct cc *c, int64_t n)
{
	float *p = cc_alloc(c, sizeof(float) * (size_t)n);
	int64_t j;
	for (j = 0; j < n; j++) {
		p[j] = dc_float(&c->r);
	}
	return p;
}

static inline double *cc_f64(struct cc *c, int64_t n)
{
	double *p = cc_alloc(c, sizeof(double) * (size_t)n);
	int64_t j;
	for (j = 0; j < n; j++) {
		/* two floats' worth of random mantissa */
		p[j] = (double)dc_float(&c->r) + (double)dc_float(&c->r) * 0x1p-24;
	}
	return p;
}

/* Weights as diffcheck makes them: some exactly 0 and 1, the rest random. */
static inline float *cc_weights(struct cc *c, int64_t n)
{
	float *p = cc_alloc(c, sizeof(float) * (size_t)n);
	int64_t j;
	for (j = 0; j < n; j++) {
		int64_t k = dc_below(&c->r, 10);
		p[j] = k == 0 ? 0.0f : k == 1 ? 1.0f : dc_float(&c->r);
	}
	return p;
}

/* ---- outputs and comparison ---- */

/* An output buffer of bytes (+ a canary tail) filled with random bytes, for the original. */
static inline void *cc_out(struct cc *c, size_t bytes)
{
	void *a = cc_alloc(c, bytes + CC_CANARY_BYTES);
	struct dc_rng g = dc_rng_for(c->o->seed ^ 0x6f7574ull, (uint64_t)c->id * 131u + c->nmem);
	dc_fill_bytes(&g, a, bytes + CC_CANARY_BYTES);
	return a;
}

/* Its twin for the translation: the same bytes, canary included. */
static inline void *cc_twin(struct cc *c, const void *want, size_t bytes)
{
	void *b = cc_alloc(c, bytes + CC_CANARY_BYTES);
	memcpy(b, want, bytes + CC_CANARY_BYTES);
	return b;
}

/* Input copies that both sides may modify (in/out parameters). */
static inline void *cc_dup(struct cc *c, const void *src, size_t bytes)
{
	void *p = cc_alloc(c, bytes ? bytes : 1);
	if (bytes) {
		memcpy(p, src, bytes);
	}
	return p;
}

static inline void cc_print_case(struct cc *c)
{
	const struct cc_shape *s = &c->s;
	fprintf(stderr,
	        "%s: %s: case %ld (%s): rows=%" PRId64 " dim=%" PRId64 " bags=%" PRId64
	        " pool=%" PRId64 "%s%s\n",
	        c->file, c->fn, c->id, s->kind, s->rows, s->dim, s->bags, s->pool,
	        c->note[0] ? " " : "", c->note);
	fprintf(stderr, "%s: replay with: --seed %" PRIu64 " --case %ld -v\n", c->file, c->o->seed,
	        c->id);
}

static inline void cc_failf(struct cc *c, const char *fmt, ...)
{
	va_list ap;
	if (!c->fail) {
		cc_print_case(c);
	}
	c->fail = 1;
	fprintf(stderr, "%s: %s: ", c->file, c->fn);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* Compares the buffers of cc_out / cc_twin (bytes + canary).  elsize 4 / 8 with is_float prints the
 * first differing element as float / double. Returns 0 when identical. */
static inline int cc_same(struct cc *c, const char *what, const void *want, const void *got,
                          size_t bytes, size_t elsize, int is_float)
{
	const unsigned char *a = want, *b = got;
	size_t i, e;
	if (memcmp(want, got, bytes + CC_CANARY_BYTES) == 0) {
		return 0;
	}
	for (i = 0; a[i] == b[i]; i++) {
	}
	e = i / elsize;
	if (i >= bytes) {
		cc_failf(c,
		         "%s: the translation wrote past the end of the output (byte %zu of the "
		         "canary tail)",
		         what, i - bytes);
		return 1;
	}
	if (is_float && elsize == 4) {
		float x, y;
		memcpy(&x, a + e * 4, 4);
		memcpy(&y, b + e * 4, 4);
		cc_failf(c,
		         "%s: first difference at element %zu: original %.9g (0x%08" PRIx32
		         "), translated %.9g (0x%08" PRIx32 ")",
		         what, e, (double)x, dc_bits(x), (double)y, dc_bits(y));
	} else if (is_float && elsize == 8) {
		double x, y;
		uint64_t bx, by;
		memcpy(&x, a + e * 8, 8);
		memcpy(&y, b + e * 8, 8);
		memcpy(&bx, &x, 8);
		memcpy(&by, &y, 8);
		cc_failf(c,
		         "%s: first difference at element %zu: original %.17g (0x%016" PRIx64
		         "), translated %.17g (0x%016" PRIx64 ")",
		         what, e, x, bx, y, by);
	} else {
		cc_failf(c,
		         "%s: first difference at byte %zu (element %zu): original 0x%02x, "
		         "translated 0x%02x",
		         what, i, e, a[i], b[i]);
	}
	return 1;
}

static inline int cc_same_f32(struct cc *c, const char *what, const float *want, const float *got,
                              int64_t n)
{
	return cc_same(c, what, want, got, sizeof(float) * (size_t)n, 4, 1);
}

static inline int cc_same_f64(struct cc *c, const char *what, const double *want, const double *got,
                              int64_t n)
{
	return cc_same(c, what, want, got, sizeof(double) * (size_t)n, 8, 1);
}

static inline int cc_same_bytes(struct cc *c, const char *what, const void *want, const void *got,
                                size_t bytes, size_t elsize)
{
	return cc_same(c, what, want, got, bytes, elsize ? elsize : 1, 0);
}

/* Compares two buffers of exactly bytes bytes (no canary: in/out inputs from cc_dup). */
static inline int cc_same_exact(struct cc *c, const char *what, const void *want, const void *got,
                                size_t bytes)
{
	const unsigned char *a = want, *b = got;
	size_t i;
	if (bytes == 0 || memcmp(want, got, bytes) == 0) {
		return 0;
	}
	for (i = 0; a[i] == b[i]; i++) {
	}
	cc_failf(c, "%s: first difference at byte %zu: original 0x%02x, translated 0x%02x", what, i,
	         a[i], b[i]);
	return 1;
}

static inline int cc_same_ret_f32(struct cc *c, float want, float got)
{
	if (dc_bits(want) == dc_bits(got)) {
		return 0;
	}
	cc_failf(c,
	         "return value differs: original %.9g (0x%08" PRIx32
	         "), translated %.9g (0x%08" PRIx32 ")",
	         (double)want, dc_bits(want), (double)got, dc_bits(got));
	return 1;
}

static inline int cc_same_ret_f64(struct cc *c, double want, double got)
{
	uint64_t a, b;
	memcpy(&a, &want, 8);
	memcpy(&b, &got, 8);
	if (a == b) {
		return 0;
	}
	cc_failf(c,
	         "return value differs: original %.17g (0x%016" PRIx64
	         "), translated %.17g (0x%016" PRIx64 ")",
	         want, a, got, b);
	return 1;
}

static inline int cc_same_ret_i64(struct cc *c, int64_t want, int64_t got)
{
	if (want == got) {
		return 0;
	}
	cc_failf(c, "return value differs: original %" PRId64 ", translated %" PRId64, want, got);
	return 1;
}

/* ---- the call of the translation ---- */

static inline void cc_dae_begin(struct cc *c)
{
	fflush(stdout);
	c->runs_before = dc_runs();
}

static inline void cc_dae_end(struct cc *c)
{
	c->runs_after = dc_runs();
	c->dae_calls++;
	c->decoupled = c->runs_after > c->runs_before;
}

/* Runs one call of a dae_ function (any statement), noting whether it ran decoupled. */
#define CC_DAE(c, call)                                                                            \
	do {                                                                                       \
		cc_dae_begin(c);                                                                   \
		call;                                                                              \
		cc_dae_end(c);                                                                     \
	} while (0)

/* The last CC_DAE call must have taken the decoupled path when cond holds (the case does
 * lookups that the original would do). */
static inline void cc_need_decoupled(struct cc *c, int cond)
{
	if (!cond || c->fail || c->o->allow_fallback || c->decoupled) {
		return;
	}
	cc_failf(
	        c,
	        "the translation did not take the decoupled path (dae_stats runs stayed at %" PRIu64
	        "): silent fallback to the original code, or daec declined the function",
	        c->runs_before);
}

/* ---- main ---- */

struct cc_tally {
	long cases;
	long decoupled;
	long failed_at; /* -1: no failure */
};

static inline int cc_main(int argc, char **argv, const char *file, const struct cc_test *tests,
                          int ntests)
{
	struct dc_opts o;
	struct cc_tally *tally;
	long id, first, last;
	int t, i, cases_given = 0, failures = 0;

	if (corpus_daec_broken) {
		fprintf(stderr, "%s: %s\n", file, corpus_daec_broken());
		fprintf(stderr, "%s: FAILED: there is no usable translation to test\n", file);
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cases") == 0) {
			cases_given = 1;
		}
	}
	if (dc_parse(argc, argv, file, &o) != 0) {
		dc_usage(stderr, file);
		return 2;
	}
	if (!cases_given) {
		o.cases = 200;
	}
	if (o.bench) {
		fprintf(stderr, "%s: --bench is not supported by the corpus drivers\n", file);
		return 2;
	}
	tally = calloc((size_t)ntests, sizeof(*tally));
	if (!tally) {
		return 1;
	}
	for (t = 0; t < ntests; t++) {
		tally[t].failed_at = -1;
	}
	first = o.only_case >= 0 ? o.only_case : 0;
	last = o.only_case >= 0 ? o.only_case + 1 : o.cases;
	printf("%s: seed %" PRIu64 ", cases %ld..%ld, %d function(s)\n", file, o.seed, first,
	       last - 1, ntests);
	fflush(stdout);
	/* A function that fails is not run again; the others go on, so that one run tells
	 * about every function of the file. */
	for (id = first; id < last; id++) {
		for (t = 0; t < ntests; t++) {
			struct cc c;
			if (tally[t].failed_at >= 0) {
				continue;
			}
			memset(&c, 0, sizeof(c));
			c.file = file;
			c.fn = tests[t].fn;
			c.o = &o;
			c.id = id;
			c.r = dc_rng_for(o.seed, (uint64_t)id + 1);
			cc_shape_make(&c);
			tests[t].run(&c);
			if (c.dae_calls == 0 && !c.fail && !c.skipped) {
				cc_failf(&c, "driver bug: the test never called the translation");
			}
			if (o.verbose) {
				printf("case %ld (%s) %s: rows %" PRId64 " dim %" PRId64
				       " bags %" PRId64 "%s%s: %s, runs +%" PRIu64 "\n",
				       id, c.s.kind, c.fn, c.s.rows, c.s.dim, c.s.bags,
				       c.note[0] ? " " : "", c.note, c.fail ? "FAIL" : "ok",
				       c.runs_after - c.runs_before);
			}
			tally[t].cases++;
			tally[t].decoupled += c.decoupled;
			cc_free_all(&c);
			if (c.fail) {
				fflush(stdout);
				fprintf(stderr, "%s: %s: FAILED at case %ld (seed %" PRIu64 ")\n",
				        file, tests[t].fn, id, o.seed);
				tally[t].failed_at = id;
				failures++;
			}
		}
	}
	for (t = 0; t < ntests; t++) {
		if (tally[t].failed_at >= 0) {
			printf("%s: %s: FAILED at case %ld\n", file, tests[t].fn,
			       tally[t].failed_at);
		} else {
			printf("%s: %s: %ld cases identical; decoupled path taken in %ld calls\n",
			       file, tests[t].fn, tally[t].cases, tally[t].decoupled);
		}
	}
	free(tally);
	return failures ? 1 : 0;
}

#endif /* DAEC_TESTS_CORPUS_H */
