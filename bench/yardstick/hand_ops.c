/*
 * hand_ops.c - hand-written decoupled access/execute versions of the three
 * ops of ref_ops.c, against libdae's public API only (dae_run, struct
 * dae_program, dae_queue_push_* / dae_queue_pop*, dae_queue_push_segment /
 * dae_token_count, dae_prefetch_range). They are the yardstick daec's
 * translations are measured against (bench/yardstick/yardstick.c).
 *
 * Protocol (the same in every execute shape below):
 *
 *   embedding bag  one segment token per bag, its count the bag's length;
 *                  one operand per lookup: the address of the row, prefetched
 *                  with dae_prefetch_range by the access side. The execute
 *                  side keeps the bag number itself.
 *   CSR SpMM       the same per output row / edge. The edge values are not
 *                  sent: the execute side walks vals[] itself with its own
 *                  cursor (a sequential stream the hardware prefetcher
 *                  handles), starting at row_ptr[0]. Whether there are values
 *                  is decided once per call, not per edge.
 *   row gather     one segment token per call (count = n), then one operand
 *                  per lookup: the address of the row, prefetched; the access
 *                  side also prefetches the output row it will be copied to
 *                  (YS_OUT_PREFETCH, default 1: a read prefetch of a line no
 *                  other core holds arrives exclusive, so the execute side's
 *                  stores find it owned; measured 59 -> 52 ms at the default
 *                  shape in inline mode).
 *
 * So per lookup: 1 operand, 1 queue word, and 1/pooling tokens (bag, SpMM)
 * or ~0 tokens (gather).
 *
 * Execute shapes (YS_SHAPE, one compilation each, names prefixed with
 * YS_PREFIX):
 *
 *   0  the reference's own loop shape: out[d] += row[d] per lookup, scalar
 *      loops over a run-time dim (GCC -O2 does not vectorise them: its
 *      "very cheap" cost model refuses loops that need an epilogue).
 *      Isolates what the protocol alone is worth.
 *   1  out[d] += row[d] per lookup, with restrict pointers and a
 *      fixed-width inner block the compiler vectorises at -O2.
 *   2  (default) register blocking: the execute side pops up to
 *      YS_BATCH row addresses of a bag, then for each block of columns keeps
 *      the sums in vector registers across those rows and stores the block
 *      once. Each column still sees 0.0f + r0 + r1 + ... in bag order, so
 *      the result is bit-identical to the reference.
 *
 * Measured and dropped (no gain beyond noise at the default shape, inline
 * mode): an access side that prefetches 64 or 128 lookups further ahead than
 * the operand it pushes (the inline batch already is the prefetch distance), 1/2/8 accumulators instead of 4,
 * batches of 128 row addresses.
 *
 * Vectors are GCC/Clang vector extensions (libdae needs GCC or Clang
 * anyway) of the widest width the compiler flags allow, loaded and stored
 * through memcpy (no alignment assumed). Every function returns what dae_run
 * returned (0: both sides ran).
 */
#include <dae/dae.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ys_ops.h"

#ifndef YS_SHAPE
#define YS_SHAPE 2
#endif
#ifndef YS_PREFIX
#define YS_PREFIX hand_
#endif
#define YS_CAT2(a, b) a##b
#define YS_CAT(a, b) YS_CAT2(a, b)
#define YS_FN(name) YS_CAT(YS_PREFIX, name)

/* Gather: the access side also prefetches the output row (see above). */
#ifndef YS_OUT_PREFETCH
#define YS_OUT_PREFETCH 1
#endif
/* Row addresses popped per batch in shape 2 (a bag longer than this is
 * summed in several passes over its output row, in order). */
#ifndef YS_BATCH
#define YS_BATCH 64
#endif

#if defined(__AVX512F__)
#define YS_VBYTES 64
#elif defined(__AVX__)
#define YS_VBYTES 32
#else
#define YS_VBYTES 16
#endif
#define YS_VL ((int64_t)(YS_VBYTES / sizeof(float))) /* floats per vector */
#ifndef YS_NACC
#define YS_NACC 4 /* vector accumulators per block (shape 2) */
#endif
#define YS_BLK (4 * YS_VL) /* floats per block of shape 1 and of the gather copy */
#define YS_RBLK (YS_NACC * YS_VL) /* floats per block of shape 2 */

typedef float ys_vf __attribute__((vector_size(YS_VBYTES)));

static inline __attribute__((unused)) ys_vf ys_ld(const float *p)
{
	ys_vf v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline __attribute__((unused)) void ys_st(float *p, ys_vf v)
{
	memcpy(p, &v, sizeof(v));
}

/* ---- shared helpers of the execute sides ---- */

#if YS_SHAPE != 2
/* o[d] = 0.0f (shapes 0 and 1; shape 2 zeroes in registers). */
static inline void ys_zero(float *restrict o, int64_t dim)
{
	int64_t d;
	for (d = 0; d < dim; d++)
		o[d] = 0.0f;
}

/* o[d] += w * r[d] (weighted) or o[d] += r[d], one row. */
static inline void ys_row_add(float *restrict o, const float *restrict r, int64_t dim, int weighted,
                              float w)
{
	int64_t d = 0;
#if YS_SHAPE == 0
	if (weighted) {
		for (d = 0; d < dim; d++)
			o[d] += w * r[d];
	} else {
		for (d = 0; d < dim; d++)
			o[d] += r[d];
	}
#else
	if (weighted) {
		for (; d + YS_BLK <= dim; d += YS_BLK) {
			ys_st(o + d, ys_ld(o + d) + w * ys_ld(r + d));
			ys_st(o + d + YS_VL, ys_ld(o + d + YS_VL) + w * ys_ld(r + d + YS_VL));
			ys_st(o + d + 2 * YS_VL,
			      ys_ld(o + d + 2 * YS_VL) + w * ys_ld(r + d + 2 * YS_VL));
			ys_st(o + d + 3 * YS_VL,
			      ys_ld(o + d + 3 * YS_VL) + w * ys_ld(r + d + 3 * YS_VL));
		}
		for (; d < dim; d++)
			o[d] += w * r[d];
	} else {
		for (; d + YS_BLK <= dim; d += YS_BLK) {
			ys_st(o + d, ys_ld(o + d) + ys_ld(r + d));
			ys_st(o + d + YS_VL, ys_ld(o + d + YS_VL) + ys_ld(r + d + YS_VL));
			ys_st(o + d + 2 * YS_VL,
			      ys_ld(o + d + 2 * YS_VL) + ys_ld(r + d + 2 * YS_VL));
			ys_st(o + d + 3 * YS_VL,
			      ys_ld(o + d + 3 * YS_VL) + ys_ld(r + d + 3 * YS_VL));
		}
		for (; d < dim; d++)
			o[d] += r[d];
	}
#endif
}

#endif

#if YS_SHAPE == 2
/* YS_EACH(X) expands X(0) .. X(YS_NACC - 1): the accumulators are written
 * out as separate variables, which GCC -O2 keeps in registers (an array
 * indexed in a short loop stays on the stack: -O2 does not unroll it). */
#if YS_NACC == 1
#define YS_EACH(X) X(0)
#elif YS_NACC == 2
#define YS_EACH(X) X(0) X(1)
#elif YS_NACC == 4
#define YS_EACH(X) X(0) X(1) X(2) X(3)
#elif YS_NACC == 8
#define YS_EACH(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7)
#else
#error "YS_NACC must be 1, 2, 4 or 8"
#endif
#define YS_ACC_DECL(v) ys_vf a##v;
#define YS_ACC_INIT(v) a##v = first ? (ys_vf){0.0f} : ys_ld(o + d + YS_VL * (v));
#define YS_ACC_ADD(v) a##v += ys_ld(p + YS_VL * (v));
#define YS_ACC_ADDW(v) a##v += wk * ys_ld(p + YS_VL * (v));
#define YS_ACC_STORE(v) ys_st(o + d + YS_VL * (v), a##v);

/* Shape 2: o[d] = (first ? 0.0f : o[d]) + sum over k < nr, in order, of
 * (weighted ? w[k] * rows[k][d] : rows[k][d]), for YS_RBLK columns at a time
 * in YS_NACC vector registers. */
static inline void ys_rows_sum(float *restrict o, const float *const *rows, const float *w,
                               int64_t nr, int64_t dim, int first, int weighted)
{
	int64_t d = 0, k;

	for (; d + YS_RBLK <= dim; d += YS_RBLK) {
		YS_EACH(YS_ACC_DECL)
		YS_EACH(YS_ACC_INIT)
		if (weighted) {
			for (k = 0; k < nr; k++) {
				const float *p = rows[k] + d;
				const float wk = w[k];
				YS_EACH(YS_ACC_ADDW)
			}
		} else {
			for (k = 0; k < nr; k++) {
				const float *p = rows[k] + d;
				YS_EACH(YS_ACC_ADD)
			}
		}
		YS_EACH(YS_ACC_STORE)
	}
	for (; d + YS_VL <= dim; d += YS_VL) {
		ys_vf a = first ? (ys_vf){0.0f} : ys_ld(o + d);
		for (k = 0; k < nr; k++)
			a += weighted ? w[k] * ys_ld(rows[k] + d) : ys_ld(rows[k] + d);
		ys_st(o + d, a);
	}
	for (; d < dim; d++) {
		float a = first ? 0.0f : o[d];
		for (k = 0; k < nr; k++)
			a += weighted ? w[k] * rows[k][d] : rows[k][d];
		o[d] = a;
	}
}

#endif

/* Pops the n row addresses of one segment and accumulates them into the
 * output row o (zeroed first), weights from *vals (advanced) when weighted. */
static inline void ys_segment(struct dae_queue *q, float *restrict o, uint64_t n, int64_t dim,
                              int weighted, const float **vals)
{
#if YS_SHAPE == 2
	const float *rows[YS_BATCH];
	int first = 1;

	do {
		int64_t nr = n < YS_BATCH ? (int64_t)n : YS_BATCH, k;
		for (k = 0; k < nr; k++)
			rows[k] = dae_queue_pop_ptr(q);
		ys_rows_sum(o, rows, weighted ? *vals : NULL, nr, dim, first, weighted);
		if (weighted)
			*vals += nr;
		n -= (uint64_t)nr;
		first = 0;
	} while (n > 0);
#else
	ys_zero(o, dim);
	for (; n > 0; n--) {
		const float *r = dae_queue_pop_ptr(q);
		if (weighted)
			ys_row_add(o, r, dim, 1, *(*vals)++);
		else
			ys_row_add(o, r, dim, 0, 0.0f);
	}
#endif
}

/* ---- embedding bag sum ---- */

struct ebs_args {
	const float *table;
	int64_t dim;
	const int64_t *indices;
	const int64_t *offsets;
	int64_t num_bags;
	float *out;
};

static void ebs_access(struct dae_queue *q, void *arg)
{
	const struct ebs_args *a = arg;
	const float *table = a->table;
	const int64_t dim = a->dim;
	const int64_t *indices = a->indices;
	const int64_t *offsets = a->offsets;
	const size_t row_bytes = (size_t)dim * sizeof(float);
	int64_t b, j, lo, hi;

	/* DAE_LD: the loads a -DDAE_TRACE build records for the timing model,
	 * as daec writes them (plain loads otherwise). */
	lo = a->num_bags > 0 ? DAE_LD(offsets[0]) : 0;
	for (b = 0; b < a->num_bags; b++, lo = hi) {
		hi = DAE_LD(offsets[b + 1]);
		dae_queue_push_segment(q, 1, dae_trip_count(lo, hi));
		for (j = lo; j < hi; j++) {
			const float *row = table + DAE_LD(indices[j]) * dim;
			dae_prefetch_range(row, row_bytes);
			dae_queue_push_ptr(q, row);
		}
	}
}

static void ebs_execute(struct dae_queue *q, void *arg)
{
	const struct ebs_args *a = arg;
	const int64_t dim = a->dim;
	float *o = a->out;

	for (;;) {
		dae_word w = dae_queue_pop(q);
		if (dae_token_id(w) == DAE_TOKEN_DONE)
			return;
		ys_segment(q, o, dae_token_count(w), dim, 0, NULL);
		o += dim;
	}
}

static const struct dae_program ebs_program = {
        .name = "hand_embedding_bag_sum",
        .access = ebs_access,
        .execute = ebs_execute,
};

int YS_FN(embedding_bag_sum)(const float *table, int64_t num_rows, int64_t dim,
                             const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                             float *out)
{
	struct ebs_args a = {table, dim, indices, offsets, num_bags, out};

	(void)num_rows;
	return dae_run(&ebs_program, &a);
}

/* ---- CSR SpMM ---- */

struct spmm_args {
	int64_t n_rows;
	int64_t F;
	const int64_t *row_ptr;
	const int32_t *col_idx;
	const float *vals;
	const float *X;
	float *Y;
};

static void spmm_access(struct dae_queue *q, void *arg)
{
	const struct spmm_args *a = arg;
	const float *X = a->X;
	const int64_t F = a->F;
	const int64_t *row_ptr = a->row_ptr;
	const int32_t *col_idx = a->col_idx;
	const size_t row_bytes = (size_t)F * sizeof(float);
	int64_t i, e, lo, hi;

	lo = a->n_rows > 0 ? DAE_LD(row_ptr[0]) : 0;
	for (i = 0; i < a->n_rows; i++, lo = hi) {
		hi = DAE_LD(row_ptr[i + 1]);
		dae_queue_push_segment(q, 1, dae_trip_count(lo, hi));
		for (e = lo; e < hi; e++) {
			const float *row = X + (int64_t)DAE_LD(col_idx[e]) * F;
			dae_prefetch_range(row, row_bytes);
			dae_queue_push_ptr(q, row);
		}
	}
}

static void spmm_execute(struct dae_queue *q, void *arg)
{
	const struct spmm_args *a = arg;
	const int64_t F = a->F;
	float *o = a->Y;
	/* The edge cursor: segments are consecutive runs of edges from row_ptr[0]. */
	const float *vals = a->vals != NULL && a->n_rows > 0 ? a->vals + a->row_ptr[0] : NULL;

	if (vals != NULL) {
		for (;;) {
			dae_word w = dae_queue_pop(q);
			if (dae_token_id(w) == DAE_TOKEN_DONE)
				return;
			ys_segment(q, o, dae_token_count(w), F, 1, &vals);
			o += F;
		}
	} else {
		for (;;) {
			dae_word w = dae_queue_pop(q);
			if (dae_token_id(w) == DAE_TOKEN_DONE)
				return;
			ys_segment(q, o, dae_token_count(w), F, 0, NULL);
			o += F;
		}
	}
}

static const struct dae_program spmm_program = {
        .name = "hand_csr_spmm",
        .access = spmm_access,
        .execute = spmm_execute,
};

int YS_FN(csr_spmm)(int64_t n_rows, int64_t n_cols, int64_t F, const int64_t *row_ptr,
                    const int32_t *col_idx, const float *vals, const float *X, float *Y)
{
	struct spmm_args a = {n_rows, F, row_ptr, col_idx, vals, X, Y};

	(void)n_cols;
	return dae_run(&spmm_program, &a);
}

/* ---- row gather ---- */

struct gather_args {
	const float *table;
	int64_t dim;
	const int64_t *ids;
	int64_t n;
	float *out;
};

static void gather_access(struct dae_queue *q, void *arg)
{
	const struct gather_args *a = arg;
	const float *table = a->table;
	const int64_t dim = a->dim;
	const int64_t *ids = a->ids;
	const size_t row_bytes = (size_t)dim * sizeof(float);
	int64_t i;

	dae_queue_push_segment(q, 1, a->n > 0 ? (uint64_t)a->n : 0);
	for (i = 0; i < a->n; i++) {
		const float *row = table + DAE_LD(ids[i]) * dim;
		dae_prefetch_range(row, row_bytes);
#if YS_OUT_PREFETCH
		dae_prefetch_range(a->out + i * dim, row_bytes);
#endif
		dae_queue_push_ptr(q, row);
	}
}

static inline void ys_row_copy(float *restrict o, const float *restrict r, int64_t dim)
{
	int64_t d = 0;
#if YS_SHAPE != 0
	for (; d + YS_BLK <= dim; d += YS_BLK) {
		ys_vf v0 = ys_ld(r + d), v1 = ys_ld(r + d + YS_VL);
		ys_vf v2 = ys_ld(r + d + 2 * YS_VL), v3 = ys_ld(r + d + 3 * YS_VL);
		ys_st(o + d, v0);
		ys_st(o + d + YS_VL, v1);
		ys_st(o + d + 2 * YS_VL, v2);
		ys_st(o + d + 3 * YS_VL, v3);
	}
#endif
	for (; d < dim; d++)
		o[d] = r[d];
}

static void gather_execute(struct dae_queue *q, void *arg)
{
	const struct gather_args *a = arg;
	const int64_t dim = a->dim;
	float *o = a->out;

	for (;;) {
		dae_word w = dae_queue_pop(q);
		uint64_t n;
		if (dae_token_id(w) == DAE_TOKEN_DONE)
			return;
		for (n = dae_token_count(w); n > 0; n--, o += dim)
			ys_row_copy(o, dae_queue_pop_ptr(q), dim);
	}
}

static const struct dae_program gather_program = {
        .name = "hand_gather_rows",
        .access = gather_access,
        .execute = gather_execute,
};

int YS_FN(gather_rows)(const float *table, int64_t num_rows, int64_t dim, const int64_t *ids,
                       int64_t n, float *out)
{
	struct gather_args a = {table, dim, ids, n, out};

	(void)num_rows;
	return dae_run(&gather_program, &a);
}
