/*
 * yardstick.c - how close daec's translations come to hand-written DAE code
 * (issue 4: daec -O3 within 5% of the best DAE code written by hand against
 * the same runtime). A benchmark, not a test. Built and run by
 * bench/yardstick/run.sh; see bench/yardstick/README.md.
 *
 * For each op (embedding-bag sum, CSR SpMM with and without edge values,
 * row gather) it, in one run:
 *   - generates the inputs (uniform indices into a --table-mib table of
 *     --dim floats per row; --bags bags / output rows of --pooling lookups;
 *     the gather does bags * pooling lookups);
 *   - runs every implementation once (warm-up), records the libdae counters
 *     of that call (dae_stats_get before/after) and checks its output bit for
 *     bit against the reference (the whole buffer, pre-filled with the same
 *     random bytes, plus a canary tail);
 *   - times each --reps times, rotating the order every rep, and keeps the
 *     best;
 * then prints the table, the counters per lookup, a breakdown of the
 * hand-written variants, the YARDSTICK lines and the per-level table (each
 * op at every daec level, -O0 to -O3 and -O2 / -O3 --marshal=data, beside
 * the reference and the hand-written code: tokens, operands and queue bytes
 * per lookup, best time, time / hand-written, speedup over -O0). Before that
 * it checks every implementation against the reference on small edge shapes
 * (--no-selfcheck skips this). A function daec declined at some level
 * (YS_DECLINED, from run.sh) is checked but listed as "not decoupled"
 * instead of being timed.
 *
 * Exit status: 0, 1 if any output differs from the reference or a decoupled
 * implementation did not take the decoupled path, 2 on bad usage.
 */
#define _POSIX_C_SOURCE 200809L

#include <dae/dae.h>

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ys_ops.h"

/* ---- implementations ---- */

/* The first six are those of the first tables (their order is theirs); the
 * other daec levels follow. */
enum { V_REF, V_O2, V_O3, V_HAND, V_HANDV, V_HANDS, V_O0, V_O1, V_O2D, V_O3D, NV };

static const char *const v_name[NV] = {
        "reference",
        "daec -O2",
        "daec -O3",
        "hand-written",
        "hand (vector per lookup)",
        "hand (reference loops)",
        "daec -O0",
        "daec -O1",
        "daec -O2 --marshal=data",
        "daec -O3 --marshal=data",
};

/* The prefix of each one's functions (ys_ops.h). */
static const char *const v_prefix[NV] = {"ref_",   "o2_", "o3_", "hand_", "handv_",
                                         "hands_", "o0_", "o1_", "o2d_",  "o3d_"};
/* Its key in the YARDSTICK lines. */
static const char *const v_key[NV] = {"ref",   "o2", "o3", "hand", "handv",
                                      "hands", "o0", "o1", "o2d",  "o3d"};

/* The rows of the per-level table, in ladder order. */
static const int ladder[] = {V_REF, V_O0, V_O1, V_O2, V_O3, V_O2D, V_O3D, V_HAND};
static const char *const ladder_name[] = {"reference", "O0",      "O1",      "O2",
                                          "O3",        "O2 data", "O3 data", "hand-written"};

enum { OP_BAG, OP_SPMM_W, OP_SPMM, OP_GATHER, NOPS };

static const char *const op_key[NOPS] = {"bag", "spmm_values", "spmm_novalues", "gather"};

static const char *const op_name[NOPS] = {
        "embedding_bag_sum",
        "csr_spmm (values)",
        "csr_spmm (no values)",
        "gather_rows",
};

/* The function each op calls, without the prefix. */
static const char *const op_fn[NOPS] = {"embedding_bag_sum", "csr_spmm", "csr_spmm", "gather_rows"};

/* Whether daec declined op's function at v's level: run.sh passes the
 * declined functions, by prefixed name, in YS_DECLINED (from daec's
 * reports). Such a translation is the original, so it is checked against
 * the reference but neither timed nor expected to take the decoupled path. */
#ifndef YS_DECLINED
#define YS_DECLINED ""
#endif

static int declined(int op, int v)
{
	static const char list[] = YS_DECLINED;
	char name[64];
	const char *p = list;
	size_t n;

	snprintf(name, sizeof(name), "%s%s", v_prefix[v], op_fn[op]);
	n = strlen(name);
	while ((p = strstr(p, name)) != NULL) {
		if ((p == list || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return 1;
		p += n;
	}
	return 0;
}

/* One op's inputs. The table / X is shared by all ops. */
struct ys_in {
	const float *table;
	int64_t num_rows, dim;
	int64_t nb; /* bags / output rows */
	const int64_t *offsets; /* nb + 1 */
	const int64_t *indices; /* offsets[nb] */
	const int32_t *col_idx; /* offsets[nb] */
	const float *vals; /* offsets[nb] */
	int64_t n_gather;
	const int64_t *ids; /* n_gather */
};

static size_t out_floats(int op, const struct ys_in *in)
{
	return (size_t)((op == OP_GATHER ? in->n_gather : in->nb) * in->dim);
}

static int64_t lookups(int op, const struct ys_in *in)
{
	return op == OP_GATHER ? in->n_gather : in->offsets[in->nb];
}

/* Every implementation's three functions: the reference and daec's
 * translations return nothing, the hand-written ones dae_run's result. */
struct impl {
	void (*bag)(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
	            float *);
	void (*spmm)(int64_t, int64_t, int64_t, const int64_t *, const int32_t *, const float *,
	             const float *, float *);
	void (*gather)(const float *, int64_t, int64_t, const int64_t *, int64_t, float *);
	int (*hbag)(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
	            float *);
	int (*hspmm)(int64_t, int64_t, int64_t, const int64_t *, const int32_t *, const float *,
	             const float *, float *);
	int (*hgather)(const float *, int64_t, int64_t, const int64_t *, int64_t, float *);
};

#define YS_REF_IMPL(P) .bag = P##embedding_bag_sum, .spmm = P##csr_spmm, .gather = P##gather_rows
#define YS_HAND_IMPL(P)                                                                            \
	.hbag = P##embedding_bag_sum, .hspmm = P##csr_spmm, .hgather = P##gather_rows

static const struct impl impls[NV] = {
        [V_REF] = {YS_REF_IMPL(ref_)},      [V_O2] = {YS_REF_IMPL(o2_)},
        [V_O3] = {YS_REF_IMPL(o3_)},        [V_HAND] = {YS_HAND_IMPL(hand_)},
        [V_HANDV] = {YS_HAND_IMPL(handv_)}, [V_HANDS] = {YS_HAND_IMPL(hands_)},
        [V_O0] = {YS_REF_IMPL(o0_)},        [V_O1] = {YS_REF_IMPL(o1_)},
        [V_O2D] = {YS_REF_IMPL(o2d_)},      [V_O3D] = {YS_REF_IMPL(o3d_)},
};

/* Runs implementation v of op; returns nonzero if a hand-written one could
 * not start dae_run. */
static int call(int op, int v, const struct ys_in *in, float *out)
{
	const struct impl *f = &impls[v];
	const float *vals = op == OP_SPMM_W ? in->vals : NULL;

	switch (op) {
	case OP_BAG:
		if (f->hbag)
			return f->hbag(in->table, in->num_rows, in->dim, in->indices, in->offsets,
			               in->nb, out);
		f->bag(in->table, in->num_rows, in->dim, in->indices, in->offsets, in->nb, out);
		break;
	case OP_SPMM_W:
	case OP_SPMM:
		if (f->hspmm)
			return f->hspmm(in->nb, in->num_rows, in->dim, in->offsets, in->col_idx,
			                vals, in->table, out);
		f->spmm(in->nb, in->num_rows, in->dim, in->offsets, in->col_idx, vals, in->table,
		        out);
		break;
	case OP_GATHER:
		if (f->hgather)
			return f->hgather(in->table, in->num_rows, in->dim, in->ids, in->n_gather,
			                  out);
		f->gather(in->table, in->num_rows, in->dim, in->ids, in->n_gather, out);
		break;
	}
	return 0;
}

/* ---- helpers ---- */

struct rng {
	uint64_t s;
};

static uint64_t rng_next(struct rng *r) /* splitmix64 */
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static int64_t rng_below(struct rng *r, int64_t n)
{
	return (int64_t)(((unsigned __int128)rng_next(r) * (uint64_t)n) >> 64);
}

/* A float in (-s, s), full random mantissa, so sums depend on their order. */
static float rng_float(struct rng *r)
{
	static const float scales[] = {1.0f, 0.125f, 8.0f, 1.0f / 1024.0f, 3.0f};
	uint64_t x = rng_next(r);
	double u = (double)(x >> 11) * 0x1p-53 * 2.0 - 1.0;
	return (float)(u * scales[x & 3u ? 0 : (x >> 2) % 5]);
}

static void *xalloc(size_t n)
{
	void *p = NULL;
	/* Page-aligned, so that rows of a multiple of 64 bytes start on a cache line. */
	if (posix_memalign(&p, 4096, n ? n : 1) != 0) {
		fprintf(stderr, "yardstick: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	return p;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static struct dae_stats stats_now(void)
{
	struct dae_stats s;
	memset(&s, 0, sizeof(s));
	dae_stats_get(&s);
	return s;
}

#define CANARY 16

/* ---- inputs ---- */

/* offsets from bag lengths; indices/col_idx/vals/ids uniform random. */
static void make_inputs(struct ys_in *in, struct rng *r, const int64_t *lengths, int64_t nb,
                        int64_t n_gather)
{
	int64_t b, j, n = 0;
	int64_t *offsets = xalloc(sizeof(int64_t) * (size_t)(nb + 1));
	int64_t *indices, *ids;
	int32_t *col_idx;
	float *vals;

	offsets[0] = 0;
	for (b = 0; b < nb; b++) {
		n += lengths[b];
		offsets[b + 1] = n;
	}
	indices = xalloc(sizeof(int64_t) * (size_t)n);
	col_idx = xalloc(sizeof(int32_t) * (size_t)n);
	vals = xalloc(sizeof(float) * (size_t)n);
	for (j = 0; j < n; j++) {
		indices[j] = rng_below(r, in->num_rows);
		col_idx[j] = (int32_t)rng_below(r, in->num_rows);
		vals[j] = rng_float(r);
	}
	ids = xalloc(sizeof(int64_t) * (size_t)n_gather);
	for (j = 0; j < n_gather; j++)
		ids[j] = rng_below(r, in->num_rows);
	in->nb = nb;
	in->offsets = offsets;
	in->indices = indices;
	in->col_idx = col_idx;
	in->vals = vals;
	in->n_gather = n_gather;
	in->ids = ids;
}

static void free_inputs(struct ys_in *in)
{
	free((void *)in->offsets);
	free((void *)in->indices);
	free((void *)in->col_idx);
	free((void *)in->vals);
	free((void *)in->ids);
}

/* Index of the first float whose bits differ, or -1. */
static long first_diff(const float *a, const float *b, size_t n)
{
	size_t i;
	if (memcmp(a, b, n * sizeof(float)) == 0)
		return -1;
	for (i = 0; i < n; i++)
		if (memcmp(&a[i], &b[i], sizeof(float)) != 0)
			return (long)i;
	return -1;
}

/* ---- self-check on small edge shapes ---- */

static int selfcheck(uint64_t seed)
{
	static const int64_t dims[] = {1, 3, 4, 13, 16, 31, 33, 64, 67, 100, 128, 0};
	/* Bag length patterns: 0 fixed, 1 random 0..12 with empty bags, 2 long bags (past
	 * the hand-written batch of 64), 3 no bags, 4 one bag of one. */
	int fails = 0, checked = 0;
	size_t k;
	int pat;

	for (k = 0; k < sizeof(dims) / sizeof(dims[0]); k++) {
		for (pat = 0; pat < 5; pat++) {
			struct rng r = {seed ^ (k * 131 + (uint64_t)pat * 7 + 1)};
			struct ys_in in;
			int64_t nb = pat == 3 ? 0 : pat == 4 ? 1 : pat == 2 ? 3 : 37;
			int64_t *len = xalloc(sizeof(int64_t) * (size_t)(nb ? nb : 1));
			int64_t b, j;
			float *table;
			int op, v;

			memset(&in, 0, sizeof(in));
			in.dim = dims[k];
			in.num_rows = 97;
			table = xalloc(sizeof(float) * (size_t)(in.num_rows * in.dim));
			for (j = 0; j < in.num_rows * in.dim; j++)
				table[j] = rng_float(&r);
			in.table = table;
			for (b = 0; b < nb; b++)
				len[b] = pat == 0   ? 5
				         : pat == 2 ? 64 + rng_below(&r, 200)
				         : pat == 4 ? 1
				                    : (b % 4 == 1 ? 0 : rng_below(&r, 13));
			make_inputs(&in, &r, len, nb, pat == 3 ? 0 : 1 + rng_below(&r, 300));
			for (op = 0; op < NOPS; op++) {
				size_t n = out_floats(op, &in) + CANARY;
				float *want = xalloc(n * sizeof(float));
				float *got = xalloc(n * sizeof(float));
				struct rng fill = {seed + (uint64_t)op};
				for (j = 0; j < (int64_t)n; j++)
					want[j] = rng_float(&fill);
				call(op, V_REF, &in, want);
				for (v = V_O2; v < NV; v++) {
					long at;
					for (j = 0, fill.s = seed + (uint64_t)op; j < (int64_t)n;
					     j++)
						got[j] = rng_float(&fill);
					if (call(op, v, &in, got) != 0) {
						fprintf(stderr,
						        "yardstick: selfcheck: %s %s: dae_run "
						        "failed\n",
						        op_name[op], v_name[v]);
						fails++;
						continue;
					}
					at = first_diff(want, got, n);
					checked++;
					if (at >= 0) {
						fprintf(stderr,
						        "yardstick: selfcheck: %s, %s differs from "
						        "the reference "
						        "(dim %" PRId64 ", pattern %d, %" PRId64
						        " bags) at float %ld\n",
						        op_name[op], v_name[v], in.dim, pat, in.nb,
						        at);
						fails++;
					}
				}
				free(want);
				free(got);
			}
			free_inputs(&in);
			free(table);
			free(len);
		}
	}
	printf("selfcheck: %d comparisons with the reference on small edge shapes, %d differ\n",
	       checked, fails);
	return fails;
}

/* ---- options ---- */

struct opts {
	int64_t table_mib, dim, pooling, bags;
	int reps;
	uint64_t seed;
	int selfcheck;
};

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: yardstick [--table-mib N] [--dim N] [--pooling N] [--bags N] [--reps N]\n"
	        "                 [--seed N] [--no-selfcheck]\n"
	        "defaults: --table-mib 256 --dim 64 --pooling 40 --bags 16384 --reps 5\n"
	        "executor mode: DAE_MODE=inline|threads (inline is the default)\n");
}

static int parse(int argc, char **argv, struct opts *o)
{
	int i;
	o->table_mib = 256;
	o->dim = 64;
	o->pooling = 40;
	o->bags = 16384;
	o->reps = 5;
	o->seed = 20240917;
	o->selfcheck = 1;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		long long x = 0;
		char *end = NULL;
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		if (strcmp(a, "--no-selfcheck") == 0) {
			o->selfcheck = 0;
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "yardstick: bad option %s\n", a);
			return -1;
		}
		x = strtoll(argv[i + 1], &end, 0);
		if (*argv[i + 1] == '\0' || *end != '\0' || x < 0) {
			fprintf(stderr, "yardstick: bad value for %s: %s\n", a, argv[i + 1]);
			return -1;
		}
		i++;
		if (strcmp(a, "--table-mib") == 0)
			o->table_mib = x;
		else if (strcmp(a, "--dim") == 0)
			o->dim = x;
		else if (strcmp(a, "--pooling") == 0)
			o->pooling = x;
		else if (strcmp(a, "--bags") == 0)
			o->bags = x;
		else if (strcmp(a, "--reps") == 0)
			o->reps = (int)x;
		else if (strcmp(a, "--seed") == 0)
			o->seed = (uint64_t)x;
		else {
			fprintf(stderr, "yardstick: unknown option %s\n", a);
			return -1;
		}
	}
	if (o->dim < 1 || o->table_mib < 1 || o->reps < 1) {
		fprintf(stderr, "yardstick: --dim, --table-mib and --reps must be >= 1\n");
		return -1;
	}
	return 0;
}

static const char *mode_name(enum dae_mode m)
{
	return m == DAE_MODE_THREADS ? "threads" : m == DAE_MODE_INLINE ? "inline" : "auto";
}

/* ---- output ---- */

/* What became of each implementation of each op in the warm-up call. */
enum { ST_TIMED, ST_DECLINED, ST_FELL_BACK };

static int st[NOPS][NV];
static double best[NOPS][NV];

/* Best time of v in ms, or why it has none. */
static const char *ms_cell(char *buf, size_t len, int op, int v)
{
	if (st[op][v] == ST_DECLINED)
		return "not decoupled";
	if (st[op][v] == ST_FELL_BACK)
		return "fell back (not decoupled)";
	snprintf(buf, len, "%.2f", best[op][v] * 1e3);
	return buf;
}

/* 100 * a / b or a / b ("x") when both were timed, else "-". */
static const char *ratio_cell(char *buf, size_t len, int op, int a, int b, int percent)
{
	if (st[op][a] != ST_TIMED || st[op][b] != ST_TIMED)
		return "-";
	if (percent)
		snprintf(buf, len, "%.1f", 100.0 * best[op][a] / best[op][b]);
	else
		snprintf(buf, len, "%.2fx", best[op][a] / best[op][b]);
	return buf;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	struct opts o;
	struct ys_in in;
	struct rng r;
	float *table;
	int64_t *len, j;
	double cnt[NOPS][NV][3]; /* tokens, operands, words per lookup */
	int same[NOPS][NV];
	int op, v, rep, bad = 0;
	const char *env;
	char b1[64], b2[64], b3[64], b4[64], b5[64];

	if (parse(argc, argv, &o) != 0) {
		usage(stderr);
		return 2;
	}
	if (o.selfcheck)
		bad += selfcheck(o.seed) != 0;

	memset(&in, 0, sizeof(in));
	r.s = o.seed;
	in.dim = o.dim;
	in.num_rows = o.table_mib * 1024 * 1024 / ((int64_t)sizeof(float) * o.dim);
	if (in.num_rows < 1)
		in.num_rows = 1;
	if (in.num_rows > INT32_MAX) {
		fprintf(stderr, "yardstick: too many rows for int32 col_idx\n");
		return 2;
	}
	table = xalloc(sizeof(float) * (size_t)(in.num_rows * in.dim));
	for (j = 0; j < in.num_rows * in.dim; j++)
		table[j] = rng_float(&r);
	in.table = table;
	len = xalloc(sizeof(int64_t) * (size_t)(o.bags ? o.bags : 1));
	for (j = 0; j < o.bags; j++)
		len[j] = o.pooling;
	make_inputs(&in, &r, len, o.bags, o.bags * o.pooling);

	env = getenv("DAE_INLINE_WORDS");
	printf("yardstick: mode %s (DAE_MODE=%s",
	       mode_name(dae_run_mode_resolve(dae_run_mode_get())),
	       getenv("DAE_MODE") ? getenv("DAE_MODE") : "unset");
	if (env)
		printf(", DAE_INLINE_WORDS=%s", env);
	if ((env = getenv("DAE_QUEUE_WORDS")) != NULL)
		printf(", DAE_QUEUE_WORDS=%s", env);
	printf("); table %" PRId64 " x %" PRId64 " floats (%.0f MiB), %" PRId64
	       " bags/rows x %" PRId64 " lookups, gather %" PRId64 " rows; best of %d\n",
	       in.num_rows, in.dim, (double)(in.num_rows * in.dim) * sizeof(float) / 1048576.0,
	       in.nb, o.pooling, in.n_gather, o.reps);
#ifdef YS_CFLAGS
	printf("yardstick: compiled with %s\n", YS_CFLAGS);
#endif
	if (YS_DECLINED[0] != '\0')
		printf("yardstick: declined by daec (not decoupled): %s\n", YS_DECLINED);
	fflush(stdout);

	for (op = 0; op < NOPS; op++) {
		size_t n = out_floats(op, &in) + CANARY;
		int64_t nl = lookups(op, &in);
		float *out[NV];
		struct rng fill = {o.seed ^ 0x6f7574ull};

		out[0] = xalloc(n * sizeof(float));
		for (j = 0; j < (int64_t)n; j++)
			out[0][j] = rng_float(&fill);
		for (v = 1; v < NV; v++) {
			out[v] = xalloc(n * sizeof(float));
			memcpy(out[v], out[0], n * sizeof(float));
		}
		/* Warm-up call of each: counters and the bit-for-bit check. */
		for (v = 0; v < NV; v++) {
			struct dae_stats s0 = stats_now(), s1;
			int ran;
			if (call(op, v, &in, out[v]) != 0) {
				fprintf(stderr, "yardstick: %s, %s: dae_run failed\n", op_name[op],
				        v_name[v]);
				return 1;
			}
			s1 = stats_now();
			ran = s1.runs > s0.runs;
			cnt[op][v][0] = nl ? (double)(s1.tokens - s0.tokens) / (double)nl : 0;
			cnt[op][v][1] = nl ? (double)(s1.operands - s0.operands) / (double)nl : 0;
			cnt[op][v][2] = nl ? (double)(s1.words - s0.words) / (double)nl : 0;
			same[op][v] = v == V_REF || first_diff(out[V_REF], out[v], n) < 0;
			if (!same[op][v]) {
				fprintf(stderr,
				        "yardstick: %s, %s: output differs from the reference at "
				        "float "
				        "%ld\n",
				        op_name[op], v_name[v], first_diff(out[V_REF], out[v], n));
				bad++;
			}
			st[op][v] = ST_TIMED;
			if (v != V_REF && declined(op, v)) {
				st[op][v] = ST_DECLINED;
			} else if (v != V_REF && !ran) {
				fprintf(stderr,
				        "yardstick: %s, %s: did not take the decoupled path\n",
				        op_name[op], v_name[v]);
				st[op][v] = ST_FELL_BACK;
				bad++;
			}
			best[op][v] = 1e30;
		}
		for (rep = 0; rep < o.reps; rep++) {
			int k;
			for (k = 0; k < NV; k++) {
				double t0, t1;
				v = (k + rep) % NV; /* rotate who goes first */
				if (st[op][v] != ST_TIMED)
					continue;
				t0 = now();
				call(op, v, &in, out[v]);
				t1 = now();
				if (t1 - t0 < best[op][v])
					best[op][v] = t1 - t0;
			}
		}
		for (v = 0; v < NV; v++)
			free(out[v]);
		fprintf(stderr, "yardstick: %s done\n", op_name[op]);
	}

	printf("\n| op | reference ms | daec -O2 ms | daec -O3 ms | hand-written ms | O3 / "
	       "hand-written (%%) |\n");
	printf("| --- | ---: | ---: | ---: | ---: | ---: |\n");
	for (op = 0; op < NOPS; op++) {
		printf("| %s | %s | %s | %s | %s | %s |\n", op_name[op],
		       ms_cell(b1, sizeof(b1), op, V_REF), ms_cell(b2, sizeof(b2), op, V_O2),
		       ms_cell(b3, sizeof(b3), op, V_O3), ms_cell(b4, sizeof(b4), op, V_HAND),
		       ratio_cell(b5, sizeof(b5), op, V_O3, V_HAND, 1));
	}

	printf("\nlibdae counters per lookup (tokens / operands / words, from dae_stats_get):\n\n");
	printf("| op | lookups | daec -O2 | daec -O3 | hand-written |\n");
	printf("| --- | ---: | --- | --- | --- |\n");
	for (op = 0; op < NOPS; op++) {
		printf("| %s | %" PRId64 " |", op_name[op], lookups(op, &in));
		for (v = V_O2; v <= V_HAND; v++)
			printf(" %.3f / %.3f / %.3f |", cnt[op][v][0], cnt[op][v][1],
			       cnt[op][v][2]);
		printf("\n");
	}

	printf("\nhand-written breakdown (same protocol, three execute loop shapes), ms:\n\n");
	printf("| op | reference loops (scalar) | vectorised per lookup | register-blocked "
	       "(the yardstick) | O3 / reference-loops hand (%%) |\n");
	printf("| --- | ---: | ---: | ---: | ---: |\n");
	for (op = 0; op < NOPS; op++) {
		printf("| %s | %s | %s | %s | %s |\n", op_name[op],
		       ms_cell(b1, sizeof(b1), op, V_HANDS), ms_cell(b2, sizeof(b2), op, V_HANDV),
		       ms_cell(b3, sizeof(b3), op, V_HAND),
		       ratio_cell(b4, sizeof(b4), op, V_O3, V_HANDS, 1));
	}

	printf("\ndaec -O3 within 5%% of hand-written (issue 4):");
	for (op = 0; op < NOPS; op++)
		printf(" %s %s;", op_name[op],
		       st[op][V_O3] == ST_TIMED && best[op][V_O3] <= 1.05 * best[op][V_HAND]
		               ? "yes"
		               : "no");
	printf("\n");

	printf("bit-for-bit against the reference:");
	for (op = 0; op < NOPS; op++) {
		int all = 1;
		for (v = 0; v < NV; v++)
			all &= same[op][v];
		printf(" %s %s;", op_name[op], all ? "all identical" : "DIFFERS");
	}
	printf("\n");
	/* The fields up to identical= are those of the first version (scripts may
	 * parse them); identical= now covers every implementation. A time is
	 * "declined" or "fellback" when there is none. */
	for (op = 0; op < NOPS; op++) {
		int all = 1;
		for (v = 0; v < NV; v++)
			all &= same[op][v];
		printf("YARDSTICK %s %s", mode_name(dae_run_mode_resolve(dae_run_mode_get())),
		       op_key[op]);
		for (v = 0; v < NV; v++) {
			if (v == V_O0)
				printf(" identical=%d", all);
			if (st[op][v] == ST_TIMED)
				printf(" %s=%.6f", v_key[v], best[op][v]);
			else
				printf(" %s=%s", v_key[v],
				       st[op][v] == ST_DECLINED ? "declined" : "fellback");
		}
		printf("\n");
	}

	/* The ladder: queue traffic and time of every level against the
	 * hand-written code and against -O0. */
	printf("\nper level (queue bytes = libdae words x %zu; ratio = time / hand-written; "
	       "speedup = -O0 time / time):\n\n",
	       sizeof(dae_word));
	printf("| op | level | tokens/lookup | operands/lookup | queue bytes/lookup | best ms | "
	       "vs hand-written | speedup over O0 |\n");
	printf("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n");
	for (op = 0; op < NOPS; op++) {
		size_t k;
		for (k = 0; k < sizeof(ladder) / sizeof(ladder[0]); k++) {
			v = ladder[k];
			printf("| %s | %s |", op_name[op], ladder_name[k]);
			if (v == V_REF || st[op][v] != ST_TIMED)
				printf(" - | - | - |");
			else
				printf(" %.3f | %.3f | %.1f |", cnt[op][v][0], cnt[op][v][1],
				       cnt[op][v][2] * (double)sizeof(dae_word));
			printf(" %s | %s | %s |\n", ms_cell(b1, sizeof(b1), op, v),
			       ratio_cell(b2, sizeof(b2), op, v, V_HAND, 0),
			       ratio_cell(b3, sizeof(b3), op, V_O0, v, 0));
		}
	}

	free_inputs(&in);
	free(table);
	free(len);
	return bad ? 1 : 0;
}
