/*
 * sidebyside.c - issue 7's side-by-side benchmark: in one run, one table per
 * shape with the original C (1 thread and OpenMP on all cores, two builds
 * each), daec's translation in every executor mode, the hand-written DAE
 * code of bench/yardstick, PyTorch's EmbeddingBag (libtorch) on 1 and on all
 * cores, an OpenMP bag prefetching row by row as the limit does, and the
 * random-gather limit measured on the same indices. A
 * benchmark, not a test. Built and run by bench/sidebyside/run.sh; see
 * bench/sidebyside/README.md for what the columns mean.
 *
 * Every contender reads the same table and index buffers (mmap +
 * MADV_HUGEPAGE, 2 MiB aligned) and writes the same output buffer; its first
 * call is checked against the 1-thread original of the first build, bit for
 * bit (PyTorch: largest absolute difference), then it is timed --reps times,
 * the order of the contenders rotated every round.
 *
 * Exit status: 0, 1 if an output differs or a contender failed, 2 on bad
 * usage.
 */
#define _GNU_SOURCE

#include <dae/dae.h>

#include <inttypes.h>
#include <math.h>
#include <stddef.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "bench_util.h"
#include "sidebyside.h"
#include "ys_ops.h"

/* run.sh's two flag sets and the vector gather counts of the objects. */
#ifndef SBS_FLAGS_A
#define SBS_FLAGS_A "-O2"
#endif
#ifndef SBS_FLAGS_B
#define SBS_FLAGS_B "-O3 -march=native"
#endif
#ifndef SBS_VGATHER
#define SBS_VGATHER "not counted (run.sh counts them)"
#endif

/* The objects run.sh links: orig.c four times, daec's -O3 and -O2
 * translations of it and hand_ops.c with each flag set (a: SBS_FLAGS_A,
 * b: SBS_FLAGS_B). */
YS_DECLARE_REF(orig_a_)
YS_DECLARE_REF(orig_b_)
YS_DECLARE_REF(omp_a_)
YS_DECLARE_REF(omp_b_)
YS_DECLARE_REF(dae3_a_)
YS_DECLARE_REF(dae3_b_)
YS_DECLARE_REF(dae2_a_)
YS_DECLARE_REF(dae2_b_)
YS_DECLARE_HAND(hand_a_)
YS_DECLARE_HAND(hand_b_)

typedef void (*bag_fn)(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
                       float *);
typedef void (*spmm_fn)(int64_t, int64_t, int64_t, const int64_t *, const int32_t *, const float *,
                        const float *, float *);
typedef int (*hbag_fn)(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
                       float *);
typedef int (*hspmm_fn)(int64_t, int64_t, int64_t, const int64_t *, const int32_t *, const float *,
                        const float *, float *);

struct fns {
	bag_fn bag;
	spmm_fn spmm;
	hbag_fn hbag;
	hspmm_fn hspmm;
};

#define SBS_FNS(P) .bag = P##embedding_bag_sum, .spmm = P##csr_spmm
#define SBS_HFNS(P) .hbag = P##embedding_bag_sum, .hspmm = P##csr_spmm

static const struct fns f_orig[2] = {{SBS_FNS(orig_a_)}, {SBS_FNS(orig_b_)}};
static const struct fns f_omp[2] = {{SBS_FNS(omp_a_)}, {SBS_FNS(omp_b_)}};
static const struct fns f_dae3[2] = {{SBS_FNS(dae3_a_)}, {SBS_FNS(dae3_b_)}};
static const struct fns f_dae2[2] = {{SBS_FNS(dae2_a_)}, {SBS_FNS(dae2_b_)}};
static const struct fns f_hand[2] = {{SBS_HFNS(hand_a_)}, {SBS_HFNS(hand_b_)}};
static const char *const build_name[2] = {SBS_FLAGS_A, SBS_FLAGS_B};

/* ---- executor modes ---- */

enum { M_INLINE, M_THREADS, M_LANES, NMODES };

static const char *const mode_name[NMODES] = {"inline", "threads", "lanes"};

/* Selects mode m for the next dae_run; -1 if this libdae has no such mode. */
static int mode_set(int m)
{
	switch (m) {
	case M_INLINE:
		return dae_run_mode_set(DAE_MODE_INLINE);
	case M_THREADS:
		return dae_run_mode_set(DAE_MODE_THREADS);
#ifdef DAE_HAVE_LANES
	case M_LANES:
		return dae_run_mode_set(DAE_MODE_LANES);
#endif
	}
	return -1;
}

/* ---- contenders ---- */

enum kind { K_ORIG, K_OMP, K_PREF, K_DAEC, K_HAND, K_TORCH, K_LIMIT };

struct contender {
	char what[48]; /* first column */
	const char *build; /* second column */
	char how[32]; /* third column: threads or executor mode */
	enum kind kind;
	const struct fns *f;
	int mode; /* M_*: daec and hand-written */
	int threads; /* original with OpenMP, PyTorch, limit */
	int64_t dist; /* limit, prefetched OpenMP: prefetch distance in lookups */
	int to_l2; /* limit: prefetch into L2 only */
	const char *missing; /* why it is not run, or NULL */
};

#define MAXC 64
static struct contender cont[MAXC];
static int ncont;
static int ncpu;

static struct contender *add(enum kind k, const char *what, const char *build, const struct fns *f)
{
	struct contender *c = &cont[ncont++];

	memset(c, 0, sizeof(*c));
	c->kind = k;
	snprintf(c->what, sizeof(c->what), "%s", what);
	c->build = build;
	c->f = f;
	c->threads = 1;
	snprintf(c->how, sizeof(c->how), "1 thread");
	return c;
}

/* The thread counts tried where there is a choice: 1, then all cores. */
static int next_threads(int t)
{
	return t < ncpu ? ncpu : t + 1;
}

static void set_threads(struct contender *c, int n)
{
	c->threads = n;
	snprintf(c->how, sizeof(c->how), "%d thread%s", n, n == 1 ? "" : "s");
}

static const int64_t limit_dists[] = {4, 8, 16, 32, 64, 128};
#define NDISTS (int)(sizeof(limit_dists) / sizeof(limit_dists[0]))

/* Set by run.sh for a translation that never calls dae_run_range: in the
 * lanes mode libdae runs its plain dae_run programs inline. */
#ifndef SBS_NO_RANGE3
#define SBS_NO_RANGE3 0
#endif
#ifndef SBS_NO_RANGE2
#define SBS_NO_RANGE2 0
#endif

/* The decoupled ones (daec's translations, hand-written) in every mode.
 * no_range: their lanes rows would time the inline mode again. */
static void add_modes(enum kind k, const char *what, const struct fns f[2], int no_range)
{
	int b, m;

	for (b = 0; b < 2; b++) {
		for (m = 0; m < NMODES; m++) {
			struct contender *c = add(k, what, build_name[b], &f[b]);
			c->mode = m;
			snprintf(c->how, sizeof(c->how), "%s", mode_name[m]);
#ifndef DAE_HAVE_LANES
			if (m == M_LANES)
				c->missing = "lanes: not in this libdae";
#endif
			if (m == M_LANES && no_range && k == K_HAND)
				c->missing = "uses dae_run, which runs inline in lanes mode";
			else if (m == M_LANES && no_range)
				snprintf(c->how, sizeof(c->how), "lanes (no dae_run_range)");
		}
	}
}

static void make_contenders(void)
{
	static const char *const levels[2] = {"daec -O3", "daec -O2"};
	static const int no_range[2] = {SBS_NO_RANGE3, SBS_NO_RANGE2};
	const struct fns *dae[2] = {f_dae3, f_dae2};
	struct contender *pf;
	int b, l, t;

	for (b = 0; b < 2; b++)
		add(K_ORIG, "original", build_name[b], &f_orig[b]);
	for (b = 0; b < 2; b++)
		set_threads(add(K_OMP, "original, OpenMP", build_name[b], &f_omp[b]), ncpu);
	/* The limit's own loop turned into the embedding bag: how much of the
	 * limit a bag written for it by hand keeps. */
	for (l = 2; l <= 4; l++) {
		pf = add(K_PREF, "OpenMP, rows prefetched by hand", SBS_FLAGS_B, NULL);
		set_threads(pf, ncpu);
		pf->dist = limit_dists[l];
		snprintf(pf->how, sizeof(pf->how), "%d threads, %" PRId64 " ahead", ncpu, pf->dist);
	}
	for (l = 0; l < 2; l++)
		add_modes(K_DAEC, levels[l], dae[l], no_range[l]);
	add_modes(K_HAND, "hand-written", f_hand, 1);
	for (t = 1; t <= ncpu; t = next_threads(t)) {
		struct contender *c = add(K_TORCH, "PyTorch EmbeddingBag", "libtorch", NULL);
		set_threads(c, t);
#ifdef SBS_NO_TORCH
		c->missing = SBS_NO_TORCH;
#else
		c->build = sbs_torch_version();
#endif
	}
	for (t = 1; t <= ncpu; t = next_threads(t)) {
		for (l = 0; l < 2 * NDISTS; l++) {
			struct contender *c = add(K_LIMIT, "", SBS_FLAGS_B, NULL);
			set_threads(c, t);
			c->dist = limit_dists[l % NDISTS];
			c->to_l2 = l >= NDISTS;
			snprintf(c->what, sizeof(c->what),
			         "gather limit (prefetch %" PRId64 " ahead into L%d)", c->dist,
			         c->to_l2 ? 2 : 1);
		}
	}
}

/* ---- memory ---- */

#define HUGE_PAGE ((size_t)2 << 20)

static size_t huge_round(size_t n)
{
	return (n + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
}

/* 2 MiB aligned anonymous memory, advised to use transparent huge pages
 * (THP is often in madvise mode), so every contender sees the same pages. */
static void *big_alloc(size_t bytes)
{
	size_t len = huge_round(bytes ? bytes : 1);
	char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	               -1, 0);
	char *a;

	if (p == MAP_FAILED) {
		fprintf(stderr, "sidebyside: mmap of %zu bytes failed\n", len);
		exit(1);
	}
	a = (char *)(((uintptr_t)p + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
	if (a > p)
		munmap(p, (size_t)(a - p));
	munmap(a + len, (size_t)(p + HUGE_PAGE - a));
	madvise(a, len, MADV_HUGEPAGE);
	return a;
}

static void big_free(const void *p, size_t bytes)
{
	if (p != NULL)
		munmap((void *)p, huge_round(bytes ? bytes : 1));
}

/* Size and AnonHugePages (KiB) of the mapping that holds p, from smaps. */
static void smaps_of(const void *p, long *size_kib, long *huge_kib)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	int in = 0;

	*size_kib = *huge_kib = -1;
	if (f == NULL)
		return;
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;
		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2) {
			in = (uintptr_t)p >= lo && (uintptr_t)p < hi;
			continue;
		}
		if (in) {
			sscanf(line, "Size: %ld kB", size_kib);
			sscanf(line, "AnonHugePages: %ld kB", huge_kib);
		}
	}
	fclose(f);
}

static void print_huge(const char *what, const void *p)
{
	long size, huge;

	smaps_of(p, &size, &huge);
	if (size < 0 || huge < 0)
		printf("%s: huge pages unknown (no /proc/self/smaps entry)", what);
	else
		printf("%s: AnonHugePages %.1f of %.1f MiB (%.0f%%%s)", what, huge / 1024.0,
		       size / 1024.0, size ? 100.0 * huge / size : 0.0,
		       huge > 0 ? "" : ", NO huge pages");
}

/* ---- random inputs (bench_util.h's generator) ---- */

static int64_t rng_below(int64_t n)
{
	return (int64_t)(((unsigned __int128)rng() * (uint64_t)n) >> 64);
}

static double rng_unit(void) /* [0, 1) */
{
	return (double)(rng() >> 11) * 0x1p-53;
}

/* Full random mantissas and some spread of magnitudes, so that sums in
 * another order give other bits. */
static float rng_float(void)
{
	uint64_t x = rng();
	double u = (double)(x >> 11) * 0x1p-53 * 2.0 - 1.0;
	return (float)(x & 7u ? u : u * 1024.0);
}

static uint64_t gcd(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* A bijection of [0, n): rank -> (rank * mul + add) mod n, so that the hot
 * (low) ranks of a Zipf or R-MAT draw land on rows scattered over the table
 * instead of its first pages. */
struct scatter {
	uint64_t n, mul, add;
};

static struct scatter scatter_make(uint64_t n)
{
	struct scatter s = {n, 1, 0};

	if (n > 1) {
		s.mul = (0x9e3779b97f4a7c15u % n) | 1u;
		while (gcd(s.mul, n) != 1)
			s.mul += 2;
		s.add = rng() % n;
	}
	return s;
}

static int64_t scatter(const struct scatter *s, uint64_t rank)
{
	return (int64_t)(((unsigned __int128)rank * s->mul + s->add) % s->n);
}

/* Zipf(s) ranks 1..n by rejection-inversion (Hormann and Derflinger, 1996),
 * O(1) memory for any n, exact for any exponent s > 0. */
struct zipf {
	double s, n, h_x1, h_n, sdiv;
};

static double zipf_helper1(double x) /* log1p(x) / x */
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1.0 - x * (0.5 - x * (1.0 / 3.0 - 0.25 * x));
}

static double zipf_helper2(double x) /* expm1(x) / x */
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1.0 + x * 0.5 * (1.0 + x / 3.0 * (1.0 + 0.25 * x));
}

static double zipf_h(const struct zipf *z, double x)
{
	return exp(-z->s * log(x));
}

static double zipf_hint(const struct zipf *z, double x)
{
	double lx = log(x);
	return zipf_helper2((1.0 - z->s) * lx) * lx;
}

static double zipf_hinv(const struct zipf *z, double x)
{
	double t = x * (1.0 - z->s);
	if (t < -1.0)
		t = -1.0;
	return exp(zipf_helper1(t) * x);
}

static struct zipf zipf_make(double s, int64_t n)
{
	struct zipf z = {s, (double)n, 0, 0, 0};

	z.h_x1 = zipf_hint(&z, 1.5) - 1.0;
	z.h_n = zipf_hint(&z, (double)n + 0.5);
	z.sdiv = 2.0 - zipf_hinv(&z, zipf_hint(&z, 2.5) - zipf_h(&z, 2.0));
	return z;
}

static int64_t zipf_draw(const struct zipf *z)
{
	for (;;) {
		double u = z->h_n + rng_unit() * (z->h_x1 - z->h_n);
		double x = zipf_hinv(z, u);
		double k = floor(x + 0.5);
		if (k < 1.0)
			k = 1.0;
		else if (k > z->n)
			k = z->n;
		if (k - x <= z->sdiv || u >= zipf_hint(z, k + 0.5) - zipf_h(z, k))
			return (int64_t)k;
	}
}

/* ---- shapes and their inputs ---- */

enum { OP_BAG, OP_SPMM };

struct shape {
	char title[200];
	char key[48];
	int op;
	int one_bag; /* time calls of one bag each */
	int64_t table_bytes, dim, pooling;
	double zipf; /* 0: uniform indices */
	int rmat_scale;
	int64_t edge_factor;
};

/* One shape's inputs. Bag shapes have nwin index windows of nb bags of
 * pooling lookups, all with the same offsets (0, pooling, 2 * pooling, ...);
 * timed calls cycle through the windows, so that a call does not find the
 * previous call's rows in a large last-level cache. */
struct problem {
	int op, one_bag;
	const float *table;
	int64_t num_rows, dim;
	int64_t nb, per_win;
	int nwin;
	int64_t *idx; /* nwin * per_win */
	int64_t *offsets; /* nb + 1 */
	int64_t *row_ptr; /* SpMM: nb + 1 */
	int32_t *col_idx; /* SpMM: per_win */
	float *vals; /* SpMM: per_win */
	size_t out_floats; /* nb * dim */
};

struct opts {
	int64_t reps, windows, bags, calls, big_mib, huge_mib, llc_mib, l2_kib, dim, pooling,
	        features, edge_factor, rmat_scale, seed, settle_ms;
	double zipf;
	int sweep;
	const char *only;
};

static void make_bag(struct problem *p, const struct shape *s, const struct opts *o)
{
	int64_t b, j, n;
	struct zipf z;
	struct scatter sc;

	p->dim = s->dim;
	p->num_rows = s->table_bytes / (s->dim * (int64_t)sizeof(float));
	p->nb = s->one_bag ? o->calls : o->bags;
	p->per_win = p->nb * s->pooling;
	p->nwin = (int)o->windows;
	n = p->per_win * p->nwin;
	p->idx = big_alloc((size_t)n * sizeof(int64_t));
	p->offsets = big_alloc((size_t)(p->nb + 1) * sizeof(int64_t));
	for (b = 0; b <= p->nb; b++)
		p->offsets[b] = b * s->pooling;
	z = zipf_make(s->zipf > 0 ? s->zipf : 1.0, p->num_rows);
	sc = scatter_make((uint64_t)p->num_rows);
	for (j = 0; j < n; j++)
		p->idx[j] = s->zipf > 0 ? scatter(&sc, (uint64_t)zipf_draw(&z) - 1)
		                        : rng_below(p->num_rows);
	p->out_floats = (size_t)(p->nb * p->dim);
}

/* R-MAT (Chakrabarti et al. 2004): each edge picks one quadrant of the
 * adjacency matrix per level with probabilities a, b, c, 1 - a - b - c;
 * vertex numbers are then scattered (as Graph500 permutes them), CSR by
 * source, edges of a row in generation order. */
static void make_spmm(struct problem *p, const struct shape *s)
{
	const double a = 0.57, ab = 0.57 + 0.19, abc = 0.57 + 0.19 + 0.19;
	const int64_t n = (int64_t)1 << s->rmat_scale, m = n * s->edge_factor;
	int32_t *src = big_alloc((size_t)m * sizeof(int32_t));
	int32_t *dst = big_alloc((size_t)m * sizeof(int32_t));
	struct scatter sc = scatter_make((uint64_t)n);
	int64_t e, i, *fill;
	int lv;

	for (e = 0; e < m; e++) {
		int64_t r = 0, c = 0;
		for (lv = 0; lv < s->rmat_scale; lv++) {
			double u = rng_unit();
			r = 2 * r + (u >= ab);
			c = 2 * c + ((u >= a && u < ab) || u >= abc);
		}
		src[e] = (int32_t)scatter(&sc, (uint64_t)r);
		dst[e] = (int32_t)scatter(&sc, (uint64_t)c);
	}
	p->dim = s->dim;
	p->num_rows = n;
	p->nb = n;
	p->per_win = m;
	p->nwin = 1;
	p->row_ptr = big_alloc((size_t)(n + 1) * sizeof(int64_t));
	p->col_idx = big_alloc((size_t)m * sizeof(int32_t));
	p->vals = big_alloc((size_t)m * sizeof(float));
	fill = calloc((size_t)n, sizeof(int64_t));
	if (fill == NULL) {
		fprintf(stderr, "sidebyside: out of memory\n");
		exit(1);
	}
	for (e = 0; e < m; e++)
		p->row_ptr[src[e] + 1]++;
	for (i = 0; i < n; i++)
		p->row_ptr[i + 1] += p->row_ptr[i];
	for (e = 0; e < m; e++) {
		int64_t at = p->row_ptr[src[e]] + fill[src[e]]++;
		p->col_idx[at] = dst[e];
		p->vals[at] = rng_float();
	}
	free(fill);
	big_free(src, (size_t)m * sizeof(int32_t));
	big_free(dst, (size_t)m * sizeof(int32_t));
	p->out_floats = (size_t)(n * p->dim);
}

static void free_problem(struct problem *p)
{
	big_free(p->idx, (size_t)(p->per_win * p->nwin) * sizeof(int64_t));
	big_free(p->offsets, (size_t)(p->nb + 1) * sizeof(int64_t));
	big_free(p->row_ptr, (size_t)(p->nb + 1) * sizeof(int64_t));
	big_free(p->col_idx, (size_t)p->per_win * sizeof(int32_t));
	big_free(p->vals, (size_t)p->per_win * sizeof(float));
}

/* ---- calling a contender ---- */

/* One embedding-bag call of c over nb bags (offsets from 0). */
static int bag_call(const struct contender *c, const struct problem *p, const int64_t *idx,
                    const int64_t *offsets, int64_t nb, float *out)
{
	switch (c->kind) {
	case K_HAND:
		return c->f->hbag(p->table, p->num_rows, p->dim, idx, offsets, nb, out);
	case K_TORCH:
#ifndef SBS_NO_TORCH
		return sbs_torch_embedding_bag_sum(p->table, p->num_rows, p->dim, idx, offsets, nb,
		                                   out);
#else
		return -1;
#endif
	default:
		c->f->bag(p->table, p->num_rows, p->dim, idx, offsets, nb, out);
		return 0;
	}
}

/* One timed unit of contender c on window w: a call over the window, or
 * (one_bag) one call per bag of it. out is NULL for timed PyTorch calls (no
 * copy of its result); other contenders always write it. */
static int run(const struct contender *c, const struct problem *p, int w, float *out)
{
	const int64_t *idx = p->idx + (int64_t)w * p->per_win;
	int64_t b;
	int rc = 0;

	if (c->kind == K_PREF)
		return sbs_bag_prefetched(p->table, p->dim, idx, p->offsets, p->nb, out, c->threads,
		                          c->dist);
	if (c->kind == K_LIMIT) {
		volatile float sink =
		        sbs_gather_limit(p->table, p->dim, p->op == OP_BAG ? idx : NULL, p->col_idx,
		                         p->per_win, c->threads, c->dist, c->to_l2);
		(void)sink;
		return 0;
	}
	if (p->op == OP_SPMM) {
		if (c->kind == K_HAND)
			return c->f->hspmm(p->nb, p->num_rows, p->dim, p->row_ptr, p->col_idx,
			                   p->vals, p->table, out);
		c->f->spmm(p->nb, p->num_rows, p->dim, p->row_ptr, p->col_idx, p->vals, p->table,
		           out);
		return 0;
	}
	if (!p->one_bag)
		return bag_call(c, p, idx, p->offsets, p->nb, out);
	for (b = 0; b < p->nb && rc == 0; b++) {
		const int64_t one[2] = {0, p->offsets[b + 1] - p->offsets[b]};
		rc = bag_call(c, p, idx + p->offsets[b], one, 1, out ? out + b * p->dim : NULL);
	}
	return rc;
}

/* What c needs set before its call, outside the timed region: setting
 * PyTorch's thread count may restart its pools. The OpenMP original and
 * PyTorch share libgomp's default thread count, so each sets its own. */
static void prepare(const struct contender *c)
{
	if (c->kind == K_DAEC || c->kind == K_HAND)
		mode_set(c->mode);
	else if (c->kind == K_OMP)
		omp_set_num_threads(c->threads);
#ifndef SBS_NO_TORCH
	else if (c->kind == K_TORCH)
		sbs_torch_set_threads(c->threads);
#endif
}

/* Lets the spinning threads of the previous contender (libgomp's, libdae's)
 * go to sleep, so that the next one has the cores to itself: --settle-ms. */
static int64_t settle_ms = 5;

static void settle(void)
{
	const struct timespec ts = {(time_t)(settle_ms / 1000), (long)(settle_ms % 1000) * 1000000};

	if (settle_ms > 0)
		nanosleep(&ts, NULL);
}

/* ---- results ---- */

struct result {
	double *t; /* seconds per timed unit, reps of them */
	int n;
	double med, lo, hi; /* per call */
	int failed;
	int checked; /* output compared */
	int identical;
	double maxdiff; /* PyTorch */
	int no_run; /* decoupled contender that never entered dae_run */
};

static struct result res[MAXC];

#define CANARY 16

/* Same bytes before every checked call: a quiet NaN pattern, so that an
 * element left unwritten shows. */
static void poison(float *out, size_t n)
{
	memset(out, 0xff, n * sizeof(float));
}

static int applies(const struct contender *c, const struct problem *p)
{
	if (c->missing != NULL)
		return 0;
	if (c->kind == K_TORCH)
		return p->op == OP_BAG;
	if (c->kind == K_LIMIT)
		return !p->one_bag;
	if (c->kind == K_PREF)
		return p->op == OP_BAG && !p->one_bag &&
		       (p->dim == 16 || p->dim == 32 || p->dim == 64 || p->dim == 128);
	return 1;
}

/* The first call of every contender: its output against the reference's. */
static int check(int k, const struct problem *p, const float *want, float *out)
{
	const struct contender *c = &cont[k];
	struct result *r = &res[k];
	struct dae_stats s0, s1;
	size_t i, n = p->out_floats + CANARY;

	poison(out, n);
	prepare(c);
	settle();
	dae_stats_get(&s0);
	if (run(c, p, 0, out) != 0) {
		fprintf(stderr, "sidebyside: %s (%s, %s) failed\n", c->what, c->build, c->how);
		r->failed = 1;
		return 1;
	}
	dae_stats_get(&s1);
	r->no_run = (c->kind == K_DAEC || c->kind == K_HAND) && s1.runs == s0.runs;
	if (c->kind == K_LIMIT)
		return 0;
	r->checked = 1;
	r->identical = memcmp(want, out, n * sizeof(float)) == 0;
	for (i = 0; i < p->out_floats; i++) {
		double d = fabs((double)want[i] - (double)out[i]);
		if (!(d <= r->maxdiff))
			r->maxdiff = d;
	}
	if (!r->identical && c->kind != K_TORCH) {
		fprintf(stderr, "sidebyside: %s (%s, %s): output differs from the original\n",
		        c->what, c->build, c->how);
		return 1;
	}
	return 0;
}

static double median_of(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(double), cmp_double);
	return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* The timed rounds: every round runs each contender once, starting with a
 * different one each round; window w = (round + position) so that calls in
 * a row read different windows. */
static void time_all(const struct problem *p, const struct opts *o, float *out)
{
	int rep, i, k;
	const double per = p->one_bag ? (double)p->nb : 1.0;

	for (rep = 0; rep < o->reps; rep++) {
		for (i = 0; i < ncont; i++) {
			double t0, t1;
			k = (i + rep) % ncont;
			if (!applies(&cont[k], p) || res[k].failed)
				continue;
			prepare(&cont[k]);
			settle();
			t0 = now_s();
			run(&cont[k], p, (rep + i) % p->nwin, cont[k].kind == K_TORCH ? NULL : out);
			t1 = now_s();
			res[k].t[res[k].n++] = (t1 - t0) / per;
		}
	}
	for (k = 0; k < ncont; k++) {
		struct result *r = &res[k];
		if (r->n == 0)
			continue;
		r->med = median_of(r->t, r->n);
		r->lo = r->t[0];
		r->hi = r->t[r->n - 1];
	}
}

/* ---- the table ---- */

static int timed(int k)
{
	return res[k].n > 0;
}

/* Best median among the timed contenders of kind k with `threads` threads
 * (0: any), or 0 if none. */
static double best_of(enum kind kind, int threads)
{
	double b = 0;
	int k;

	for (k = 0; k < ncont; k++)
		if (cont[k].kind == kind && timed(k) &&
		    (threads == 0 || cont[k].threads == threads) && (b == 0 || res[k].med < b))
			b = res[k].med;
	return b;
}

/* The best prefetch distance and hint of the limit on `threads` threads. */
static int best_limit(int threads)
{
	int k, best = -1;

	for (k = 0; k < ncont; k++)
		if (cont[k].kind == K_LIMIT && cont[k].threads == threads && timed(k) &&
		    (best < 0 || res[k].med < res[best].med))
			best = k;
	return best;
}

static const char *ratio(char *buf, size_t len, double base, double t)
{
	if (base <= 0 || t <= 0)
		return "-";
	snprintf(buf, len, "%.2fx", base / t);
	return buf;
}

struct baselines {
	double one, omp, torch, limit_gbs, bytes; /* bytes: row bytes per call */
};

static void print_row(int k, const struct problem *p, const struct baselines *bl)
{
	const struct contender *c = &cont[k];
	const struct result *r = &res[k];
	const double unit = p->one_bag ? 1e6 : 1e3;
	char med[32], span[48], rate[32], r1[16], r2[16], r3[16], lim[16], same[48];

	if (!timed(k)) {
		const char *why = c->missing           ? c->missing
		                  : r->failed          ? "failed"
		                  : c->kind == K_TORCH ? "not an embedding bag"
		                  : c->kind == K_PREF  ? "dim not 16, 32, 64 or 128"
		                                       : "-";
		printf("| %s | %s | %s | %s | | | | | | | |\n", c->what, c->build, c->how, why);
		return;
	}
	snprintf(med, sizeof(med), "%.*f", p->one_bag ? 3 : 2, r->med * unit);
	snprintf(span, sizeof(span), "%.*f-%.*f", p->one_bag ? 3 : 2, r->lo * unit,
	         p->one_bag ? 3 : 2, r->hi * unit);
	if (p->one_bag)
		snprintf(rate, sizeof(rate), "%+.3f", (r->med - bl->one) * 1e6);
	else
		snprintf(rate, sizeof(rate), "%.2f", bl->bytes / r->med / 1e9);
	if (!p->one_bag && bl->limit_gbs > 0)
		snprintf(lim, sizeof(lim), "%.0f%%",
		         100.0 * bl->bytes / r->med / 1e9 / bl->limit_gbs);
	else
		snprintf(lim, sizeof(lim), "-");
	if (!r->checked)
		snprintf(same, sizeof(same), "-");
	else if (c->kind == K_TORCH)
		snprintf(same, sizeof(same), "%s, max abs diff %.3g", r->identical ? "yes" : "no",
		         r->maxdiff);
	else
		snprintf(same, sizeof(same), "%s%s", r->identical ? "yes" : "NO",
		         r->no_run ? " (never entered dae_run)" : "");
	printf("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", c->what, c->build,
	       c->how, med, span, rate, ratio(r1, sizeof(r1), bl->one, r->med),
	       ratio(r2, sizeof(r2), bl->omp, r->med), ratio(r3, sizeof(r3), bl->torch, r->med),
	       lim, same);
}

/* The best timed contender of kind k (daec: over levels, builds and modes). */
static int best_k(enum kind kind)
{
	int k, best = -1;

	for (k = 0; k < ncont; k++)
		if (cont[k].kind == kind && timed(k) && (best < 0 || res[k].med < res[best].med))
			best = k;
	return best;
}

/* One line per shape for the summary at the end. */
static char summary[64][320];
static int nsummary;

static void print_table(const struct shape *s, const struct problem *p)
{
	struct baselines bl;
	int k, t, d = best_k(K_DAEC);

	bl.one = best_of(K_ORIG, 0);
	bl.omp = best_of(K_OMP, 0);
	bl.torch = best_of(K_TORCH, ncpu);
	bl.bytes = (double)p->per_win * (double)p->dim * sizeof(float);
	bl.limit_gbs = 0;
	for (t = 1; t <= ncpu; t = next_threads(t)) {
		k = best_limit(t);
		if (k >= 0 && bl.bytes / res[k].med / 1e9 > bl.limit_gbs)
			bl.limit_gbs = bl.bytes / res[k].med / 1e9;
	}
	printf("\n### %s\n\n", s->title);
	print_huge("2 MiB pages: the table's mapping", p->table);
	print_huge("; the indices'", p->op == OP_BAG ? (const void *)p->idx : p->col_idx);
	printf("\n\n");
	if (p->one_bag)
		printf("| contender | build | threads / mode | median us per call | min-max us | "
		       "added us (vs best 1-thread original) | vs 1T original | vs OpenMP "
		       "original | vs PyTorch %dT | %% of gather limit | identical |\n",
		       ncpu);
	else
		printf("| contender | build | threads / mode | median ms | min-max ms | "
		       "GB/s of rows | vs 1T original | vs OpenMP original | vs PyTorch %dT | "
		       "%% of gather limit | identical |\n",
		       ncpu);
	printf("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
	for (k = 0; k < ncont; k++) {
		if (cont[k].kind == K_LIMIT)
			continue;
		if ((cont[k].kind == K_TORCH || cont[k].kind == K_PREF) && p->op != OP_BAG)
			continue;
		if (cont[k].kind == K_PREF && p->one_bag)
			continue;
		print_row(k, p, &bl);
	}
	for (t = 1; t <= ncpu && !p->one_bag; t = next_threads(t))
		if ((k = best_limit(t)) >= 0)
			print_row(k, p, &bl);
	if (nsummary < 64 && d >= 0) {
		char r1[16], r2[16], r3[16];
		const struct result *r = &res[d];
		if (p->one_bag)
			snprintf(
			        summary[nsummary], sizeof(summary[0]),
			        "| %s | %s %s %s | %.3f us per call, %+.3f us | %s | %s | %s | - |",
			        s->key, cont[d].what, cont[d].build, cont[d].how, r->med * 1e6,
			        (r->med - bl.one) * 1e6, ratio(r1, sizeof(r1), bl.one, r->med),
			        ratio(r2, sizeof(r2), bl.omp, r->med),
			        ratio(r3, sizeof(r3), bl.torch, r->med));
		else
			snprintf(summary[nsummary], sizeof(summary[0]),
			         "| %s | %s %s %s | %.2f GB/s | %s | %s | %s | %.0f%% |", s->key,
			         cont[d].what, cont[d].build, cont[d].how, bl.bytes / r->med / 1e9,
			         ratio(r1, sizeof(r1), bl.one, r->med),
			         ratio(r2, sizeof(r2), bl.omp, r->med),
			         ratio(r3, sizeof(r3), bl.torch, r->med),
			         bl.limit_gbs > 0 ? 100.0 * bl.bytes / r->med / 1e9 / bl.limit_gbs
			                          : 0.0);
		nsummary++;
	}
}

/* ---- one shape ---- */

static int run_shape(const struct shape *s, const struct opts *o, const float *table)
{
	struct problem p;
	float *want, *out;
	size_t n;
	int k, bad = 0;
	double t0 = now_s();

	memset(&p, 0, sizeof(p));
	p.op = s->op;
	p.one_bag = s->one_bag;
	p.table = table;
	if (s->op == OP_BAG)
		make_bag(&p, s, o);
	else
		make_spmm(&p, s);
	n = p.out_floats + CANARY;
	want = big_alloc(n * sizeof(float));
	out = big_alloc(n * sizeof(float));
	fprintf(stderr, "sidebyside: %s: inputs in %.1f s\n", s->key, now_s() - t0);

	memset(res, 0, sizeof(res));
	for (k = 0; k < ncont; k++)
		res[k].t = calloc((size_t)o->reps, sizeof(double));
	/* The reference: the 1-thread original of the first build (contender 0). */
	poison(want, n);
	prepare(&cont[0]);
	run(&cont[0], &p, 0, want);
	for (k = 0; k < ncont; k++)
		if (applies(&cont[k], &p))
			bad += check(k, &p, want, out);
	time_all(&p, o, out);
	print_table(s, &p);
	fflush(stdout);
	fprintf(stderr, "sidebyside: %s done in %.1f s\n", s->key, now_s() - t0);
	for (k = 0; k < ncont; k++)
		free(res[k].t);
	big_free(want, n * sizeof(float));
	big_free(out, n * sizeof(float));
	free_problem(&p);
	return bad;
}

static struct shape *new_shape(struct shape *v, int *n, const char *key, int op)
{
	struct shape *s = &v[(*n)++];

	memset(s, 0, sizeof(*s));
	snprintf(s->key, sizeof(s->key), "%s", key);
	s->op = op;
	return s;
}

static void size_name(char *buf, size_t len, int64_t bytes)
{
	if (bytes >= (int64_t)1 << 30 && bytes % ((int64_t)1 << 30) == 0)
		snprintf(buf, len, "%" PRId64 "GiB", bytes >> 30);
	else if (bytes >= (int64_t)1 << 20 && bytes % ((int64_t)1 << 20) == 0)
		snprintf(buf, len, "%" PRId64 "MiB", bytes >> 20);
	else
		snprintf(buf, len, "%" PRId64 "KiB", bytes >> 10);
}

static void bag_shape(struct shape *v, int *n, const struct opts *o, const char *where,
                      int64_t bytes, int64_t dim, int64_t pooling, int zipf, int one_bag)
{
	char size[32], key[48];
	struct shape *s;

	size_name(size, sizeof(size), bytes);
	snprintf(key, sizeof(key), "%s%s-%s-d%" PRId64 "-p%" PRId64, one_bag ? "1bag-" : "", where,
	         size, dim, pooling);
	if (zipf)
		snprintf(key + strlen(key), sizeof(key) - strlen(key), "-zipf");
	s = new_shape(v, n, key, OP_BAG);
	s->one_bag = one_bag;
	s->table_bytes = bytes;
	s->dim = dim;
	s->pooling = pooling;
	s->zipf = zipf ? o->zipf : 0;
	if (one_bag)
		snprintf(s->title, sizeof(s->title),
		         "%s: calls of 1 bag of %" PRId64 " lookups, %s table (%s), dim %" PRId64
		         ", uniform; %" PRId64 " calls per timing",
		         key, pooling, size, where, dim, o->calls);
	else
		snprintf(s->title, sizeof(s->title),
		         "%s: embedding bag sum, %s table (%s), dim %" PRId64 ", pooling %" PRId64
		         ", %s; %" PRId64 " bags per call",
		         key, size, where, dim, pooling, zipf ? "Zipf" : "uniform", o->bags);
	if (zipf)
		snprintf(s->title + strlen(s->title), sizeof(s->title) - strlen(s->title),
		         " (Zipf exponent %.2f, hot rows scattered)", o->zipf);
}

static void spmm_shape(struct shape *v, int *n, const struct opts *o, int scale)
{
	char key[48];
	struct shape *s;

	snprintf(key, sizeof(key), "spmm-rmat%d", scale);
	s = new_shape(v, n, key, OP_SPMM);
	s->rmat_scale = scale;
	s->edge_factor = o->edge_factor;
	s->dim = o->features;
	s->table_bytes = ((int64_t)1 << scale) * o->features * (int64_t)sizeof(float);
	snprintf(s->title, sizeof(s->title),
	         "%s: CSR SpMM with edge values, R-MAT scale %d (%" PRId64
	         " vertices), edge factor %" PRId64 " (a=0.57 b=0.19 c=0.19), F=%" PRId64,
	         key, scale, (int64_t)1 << scale, o->edge_factor, o->features);
}

/* The shapes of issue 7's "Done when" (D, pooling from the options), or
 * with --sweep one factor at a time around them, each uniform and Zipf. */
static int make_shapes(struct shape *v, const struct opts *o)
{
	const int64_t big = o->big_mib << 20, llc = o->llc_mib << 20, l2 = o->l2_kib << 10;
	const int64_t D = o->dim, P = o->pooling;
	int n = 0, z;

	if (!o->sweep) {
		bag_shape(v, &n, o, "dram", big, D, P, 0, 0);
		bag_shape(v, &n, o, "dram", big, D, P, 1, 0);
		bag_shape(v, &n, o, "llc", llc, D, P, 0, 0);
		bag_shape(v, &n, o, "l2", l2, D, P, 0, 0);
		bag_shape(v, &n, o, "l2", l2, D, P, 0, 1);
		spmm_shape(v, &n, o, (int)o->rmat_scale);
		return n;
	}
	for (z = 0; z < 2; z++) {
		static const int64_t dims[] = {16, 32, 128}, pools[] = {10, 100};
		size_t i;
		bag_shape(v, &n, o, "l2", l2, D, P, z, 0);
		bag_shape(v, &n, o, "llc", llc, D, P, z, 0);
		bag_shape(v, &n, o, "dram", big, D, P, z, 0);
		bag_shape(v, &n, o, "dram", o->huge_mib << 20, D, P, z, 0);
		for (i = 0; i < sizeof(dims) / sizeof(dims[0]); i++)
			bag_shape(v, &n, o, "dram", big, dims[i], P, z, 0);
		for (i = 0; i < sizeof(pools) / sizeof(pools[0]); i++)
			bag_shape(v, &n, o, "dram", big, D, pools[i], z, 0);
	}
	bag_shape(v, &n, o, "l2", l2, D, P, 0, 1);
	spmm_shape(v, &n, o, (int)o->rmat_scale - 2);
	spmm_shape(v, &n, o, (int)o->rmat_scale);
	return n;
}

/* ---- options ---- */

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: sidebyside [--reps N] [--bags N] [--calls N] [--windows N] [--seed N]\n"
	        "                  [--dim N] [--pooling N] [--zipf S] [--big-mib N] [--llc-mib N]\n"
	        "                  [--l2-kib N] [--huge-mib N] [--rmat-scale N] [--edge-factor N]\n"
	        "                  [--features N] [--settle-ms N] [--only KEY] [--sweep]\n"
	        "defaults: --reps 5 --bags 32768 --calls 4096 --windows 8 --dim 64 --pooling 40\n"
	        "          --zipf 1.05 --big-mib 1024 --llc-mib 16 --l2-kib 1024 --huge-mib 4096\n"
	        "          --rmat-scale 20 --edge-factor 16 --features 64 --settle-ms 5\n"
	        "--only KEY runs the shapes whose key contains KEY (e.g. zipf, spmm, 1bag);\n"
	        "--sweep runs table size, dim, pooling (uniform and Zipf) and SpMM sweeps.\n");
}

/* The integer options, their defaults and their ranges. */
static const struct {
	const char *name;
	size_t off;
	int64_t def, min, max;
} int_opts[] = {
        {"--reps", offsetof(struct opts, reps), 5, 1, 1000},
        {"--windows", offsetof(struct opts, windows), 8, 1, 1000},
        {"--bags", offsetof(struct opts, bags), 32768, 1, INT64_C(1) << 30},
        {"--calls", offsetof(struct opts, calls), 4096, 1, INT64_C(1) << 30},
        {"--big-mib", offsetof(struct opts, big_mib), 1024, 1, INT64_C(1) << 20},
        {"--huge-mib", offsetof(struct opts, huge_mib), 4096, 1, INT64_C(1) << 20},
        {"--llc-mib", offsetof(struct opts, llc_mib), 16, 1, INT64_C(1) << 20},
        {"--l2-kib", offsetof(struct opts, l2_kib), 1024, 1, INT64_C(1) << 30},
        {"--dim", offsetof(struct opts, dim), 64, 1, 1 << 20},
        {"--pooling", offsetof(struct opts, pooling), 40, 1, 1 << 20},
        {"--features", offsetof(struct opts, features), 64, 1, 1 << 20},
        {"--edge-factor", offsetof(struct opts, edge_factor), 16, 1, 1 << 20},
        {"--rmat-scale", offsetof(struct opts, rmat_scale), 20, 3, 30},
        {"--seed", offsetof(struct opts, seed), 20240917, 1, INT64_MAX},
        {"--settle-ms", offsetof(struct opts, settle_ms), 5, 0, 1000},
};
#define NINT_OPTS (sizeof(int_opts) / sizeof(int_opts[0]))

static int parse(int argc, char **argv, struct opts *o)
{
	size_t k;
	int i;

	memset(o, 0, sizeof(*o));
	for (k = 0; k < NINT_OPTS; k++)
		*(int64_t *)((char *)o + int_opts[k].off) = int_opts[k].def;
	o->zipf = 1.05;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		char *end = NULL;
		long long x;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(a, "--sweep") == 0) {
			o->sweep = 1;
			continue;
		}
		if (v == NULL) {
			fprintf(stderr, "sidebyside: %s needs a value\n", a);
			return -1;
		}
		i++;
		if (strcmp(a, "--only") == 0) {
			o->only = v;
			continue;
		}
		if (strcmp(a, "--zipf") == 0) {
			o->zipf = strtod(v, &end);
			if (*end != '\0' || !(o->zipf > 0)) {
				fprintf(stderr, "sidebyside: bad --zipf %s\n", v);
				return -1;
			}
			continue;
		}
		for (k = 0; k < NINT_OPTS && strcmp(a, int_opts[k].name) != 0; k++)
			;
		if (k == NINT_OPTS) {
			fprintf(stderr, "sidebyside: unknown option %s\n", a);
			return -1;
		}
		x = strtoll(v, &end, 0);
		if (*v == '\0' || *end != '\0' || x < int_opts[k].min || x > int_opts[k].max) {
			fprintf(stderr,
			        "sidebyside: %s wants a number from %" PRId64 " to %" PRId64 "\n",
			        a, int_opts[k].min, int_opts[k].max);
			return -1;
		}
		*(int64_t *)((char *)o + int_opts[k].off) = x;
	}
	return 0;
}

/* ---- main ---- */

static void print_file_line(const char *what, const char *path)
{
	char line[256] = "unknown\n";
	FILE *f = fopen(path, "r");

	if (f != NULL) {
		if (fgets(line, sizeof(line), f) == NULL)
			snprintf(line, sizeof(line), "unknown\n");
		fclose(f);
	}
	printf("%s: %s", what, line);
}

/* The environment that changes what libdae and libgomp do. */
static const char *const env_shown[] = {"DAE_HOST_MACHINE", "DAE_INLINE_WORDS", "DAE_QUEUE_WORDS",
                                        "DAE_LANE_CHUNKS",  "DAE_LANES",        "DAE_LANES_MIN",
                                        "OMP_WAIT_POLICY",  "GOMP_SPINCOUNT"};

int main(int argc, char **argv)
{
	struct opts o;
	static struct shape shapes[64];
	int nshapes, i, ran = 0, bad = 0;
	int64_t table_bytes = 0, j;
	float *table;
	const char *env;

	if (parse(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	rng_state = (uint64_t)o.seed | 1u;
	settle_ms = o.settle_ms;
	ncpu = omp_get_num_procs();
	make_contenders();
	nshapes = make_shapes(shapes, &o);
	for (i = 0; i < nshapes; i++)
		if ((o.only == NULL || strstr(shapes[i].key, o.only) != NULL) &&
		    shapes[i].table_bytes > table_bytes)
			table_bytes = shapes[i].table_bytes;

	printf("# side by side (issue 7)\n\n");
	printf("cores: %d; flag sets: A = %s, B = %s (both with the common flags of run.sh)\n",
	       ncpu, SBS_FLAGS_A, SBS_FLAGS_B);
	printf("vector gather instructions (objdump -d | grep -c vgather): %s\n", SBS_VGATHER);
#ifdef DAE_HAVE_LANES
	printf("libdae executor modes: inline, threads, lanes\n");
#else
	printf("libdae executor modes: inline, threads (lanes: not in this libdae)\n");
#endif
#ifdef SBS_NO_TORCH
	printf("%s\n", SBS_NO_TORCH);
#else
	printf("PyTorch: %s, at::embedding_bag (mode sum), threads set with "
	       "at::set_num_threads\n",
	       sbs_torch_version());
#endif
	for (i = 0; i < (int)(sizeof(env_shown) / sizeof(env_shown[0])); i++)
		if ((env = getenv(env_shown[i])) != NULL)
			printf("%s=%s\n", env_shown[i], env);
	{
		struct dae_run_tuning t;
		if (dae_run_tuning_get(&t) == 0)
			printf("libdae sizes (machine %s): inline_words %u, queue_words %u, "
			       "lane_chunks %u, lanes_min %u, fused_ahead %u, fused_chunk %u\n",
			       t.machine, t.inline_words, t.queue_words, t.lane_chunks, t.lanes_min,
			       t.fused_ahead, t.fused_chunk);
	}
	print_file_line("load average at start", "/proc/loadavg");
	print_file_line("transparent huge pages", "/sys/kernel/mm/transparent_hugepage/enabled");
	printf("medians of %" PRId64 " timed calls per contender (min-max beside them), after one "
	       "checked call; %" PRId64 " index windows per shape\n",
	       o.reps, o.windows);
	fflush(stdout);

	{
		double t0 = now_s();
		char size[32];
		table = big_alloc((size_t)table_bytes);
		for (j = 0; j < table_bytes / (int64_t)sizeof(float); j++)
			table[j] = rng_float();
		size_name(size, sizeof(size), table_bytes);
		fprintf(stderr, "sidebyside: table of %s filled in %.1f s\n", size, now_s() - t0);
	}

	for (i = 0; i < nshapes; i++) {
		if (o.only != NULL && strstr(shapes[i].key, o.only) == NULL)
			continue;
		bad += run_shape(&shapes[i], &o, table);
		ran++;
	}
	if (ran == 0) {
		fprintf(stderr, "sidebyside: no shape matches --only %s\n", o.only);
		return 2;
	}

	printf("\n### summary: daec's best (level, build, mode) per shape\n\n");
	printf("| shape | best daec | speed | vs 1T original | vs OpenMP original | vs PyTorch %dT "
	       "| "
	       "%% of gather limit |\n",
	       ncpu);
	printf("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (i = 0; i < nsummary; i++)
		printf("%s\n", summary[i]);
	printf("\nidentical outputs: %s\n", bad ? "NO (see stderr)" : "yes, every contender");
	big_free(table, (size_t)table_bytes);
	return bad ? 1 : 0;
}
