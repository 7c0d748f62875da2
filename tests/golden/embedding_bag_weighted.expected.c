/*
 * embedding_bag_weighted.c - reference implementation of EmbeddingBag (mode
 * "sum") with per-sample weights.
 *
 * Same layout as embedding_bag_sum: a row-major num_rows x dim table, one
 * packed index array and num_bags + 1 offsets delimiting the bags.  Each
 * lookup j carries its own weight weights[j] (one weight per index, not per
 * column), which scales the table row before it is added:
 *
 *     out[b * dim + d] = sum over j in bag b of weights[j] * table[indices[j] * dim + d]
 *
 * Empty bags produce zero rows.
 *
 * Preconditions: every index is in [0, num_rows); weights has as many
 * entries as indices; out has room for num_bags * dim floats and does not
 * overlap the inputs.
 */
#include <stdint.h>
#include <dae/dae.h>

/* daec: the original embedding_bag_weighted, kept for the fallback path. */
static void embedding_bag_weighted__reference(const float *table, int64_t num_rows, int64_t dim,
                                              const int64_t *indices, const float *weights,
                                              const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			float w = weights[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += w * table[idx * dim + d];
			}
		}
	}
}

/* daec: embedding_bag_weighted decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct embedding_bag_weighted__args {
	const float *table;
	int64_t num_rows;
	int64_t dim;
	const int64_t *indices;
	const float *weights;
	const int64_t *offsets;
	int64_t num_bags;
	float *out;
	int dae_rows_apart; /* set by embedding_bag_weighted__assume_apart */
};

static int embedding_bag_weighted__lanes_overlap(const struct embedding_bag_weighted__args *dae_a,
                                                 uint64_t dae_first, uint64_t dae_end)
{
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const float *weights = dae_a->weights;
	const int64_t *offsets = dae_a->offsets;
	int64_t num_bags = dae_a->num_bags;
	float *out = dae_a->out;
	const long long dae_c0 = (0) + (long long)dae_first;
	const long long dae_c1 = (0) + (long long)dae_end;

	/* values of b in the chunk */
	struct dae_ival dae_t0 = dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0);
	/* values of offsets[...]: scanned */
	long long dae_lo1 = LLONG_MAX, dae_hi1 = LLONG_MIN;
	if (!dae_t0.all)
		for (long long dae_k = dae_t0.lo; dae_k <= dae_t0.hi; dae_k++) {
			long long dae_x = offsets[dae_k];

			if (dae_x < dae_lo1)
				dae_lo1 = dae_x;
			if (dae_x > dae_hi1)
				dae_hi1 = dae_x;
		}
	struct dae_ival dae_t2 = dae_t0.all ? dae_ival_full() : dae_ival_thru(dae_lo1, dae_hi1);
	/* values of b in the chunk */
	struct dae_ival dae_t3 = dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0);
	struct dae_ival dae_t4 = dae_ival_add(dae_t3, dae_ival_point(1));
	/* values of offsets[...]: scanned */
	long long dae_lo5 = LLONG_MAX, dae_hi5 = LLONG_MIN;
	if (!dae_t4.all)
		for (long long dae_k = dae_t4.lo; dae_k <= dae_t4.hi; dae_k++) {
			long long dae_x = offsets[dae_k];

			if (dae_x < dae_lo5)
				dae_lo5 = dae_x;
			if (dae_x > dae_hi5)
				dae_hi5 = dae_x;
		}
	struct dae_ival dae_t6 = dae_t4.all ? dae_ival_full() : dae_ival_thru(dae_lo5, dae_hi5);
	/* values of j */
	struct dae_ival dae_t7 = dae_ival_loop(dae_t2, dae_t6, 0);
	struct dae_ival dae_t8 = dae_ival_mul(dae_t7, dae_ival_point(4));
	/* values of b */
	struct dae_ival dae_t9 = dae_ival_loop(dae_ival_point(0), dae_ival_point(num_bags), 0);
	struct dae_ival dae_t10 = dae_ival_mul(dae_t9, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t11 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t12 = dae_ival_add(dae_t10, dae_t11);
	struct dae_ival dae_t13 = dae_ival_mul(dae_t12, dae_ival_point(4));
	/* weights[j] (line 32) may be a row another lane writes: out[b * dim + d] (line 28). */
	if (dae_ival_overlap(weights, dae_t8, 4, out, dae_t13, 4))
		return 1;
	/* values of b in the chunk */
	struct dae_ival dae_t14 = dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0);
	/* values of offsets[...]: scanned */
	long long dae_lo15 = LLONG_MAX, dae_hi15 = LLONG_MIN;
	if (!dae_t14.all)
		for (long long dae_k = dae_t14.lo; dae_k <= dae_t14.hi; dae_k++) {
			long long dae_x = offsets[dae_k];

			if (dae_x < dae_lo15)
				dae_lo15 = dae_x;
			if (dae_x > dae_hi15)
				dae_hi15 = dae_x;
		}
	struct dae_ival dae_t16 = dae_t14.all ? dae_ival_full() : dae_ival_thru(dae_lo15, dae_hi15);
	/* values of b in the chunk */
	struct dae_ival dae_t17 = dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0);
	struct dae_ival dae_t18 = dae_ival_add(dae_t17, dae_ival_point(1));
	/* values of offsets[...]: scanned */
	long long dae_lo19 = LLONG_MAX, dae_hi19 = LLONG_MIN;
	if (!dae_t18.all)
		for (long long dae_k = dae_t18.lo; dae_k <= dae_t18.hi; dae_k++) {
			long long dae_x = offsets[dae_k];

			if (dae_x < dae_lo19)
				dae_lo19 = dae_x;
			if (dae_x > dae_hi19)
				dae_hi19 = dae_x;
		}
	struct dae_ival dae_t20 = dae_t18.all ? dae_ival_full() : dae_ival_thru(dae_lo19, dae_hi19);
	/* values of j */
	struct dae_ival dae_t21 = dae_ival_loop(dae_t16, dae_t20, 0);
	/* values of indices[...]: scanned */
	long long dae_lo22 = LLONG_MAX, dae_hi22 = LLONG_MIN;
	if (!dae_t21.all)
		for (long long dae_k = dae_t21.lo; dae_k <= dae_t21.hi; dae_k++) {
			long long dae_x = indices[dae_k];

			if (dae_x < dae_lo22)
				dae_lo22 = dae_x;
			if (dae_x > dae_hi22)
				dae_hi22 = dae_x;
		}
	struct dae_ival dae_t23 = dae_t21.all ? dae_ival_full() : dae_ival_thru(dae_lo22, dae_hi22);
	struct dae_ival dae_t24 = dae_ival_mul(dae_t23, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t25 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t26 = dae_ival_add(dae_t24, dae_t25);
	struct dae_ival dae_t27 = dae_ival_mul(dae_t26, dae_ival_point(4));
	/* values of b */
	struct dae_ival dae_t28 = dae_ival_loop(dae_ival_point(0), dae_ival_point(num_bags), 0);
	struct dae_ival dae_t29 = dae_ival_mul(dae_t28, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t30 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t31 = dae_ival_add(dae_t29, dae_t30);
	struct dae_ival dae_t32 = dae_ival_mul(dae_t31, dae_ival_point(4));
	/* table[idx * dim + d] (line 34) may be a row another lane writes: out[b * dim + d] (line 28). */
	if (dae_ival_overlap(table, dae_t27, 4, out, dae_t32, 4))
		return 1;
	return 0;
}

static int embedding_bag_weighted__apart(void *dae_arg, uint64_t dae_first, uint64_t dae_end)
{
	return !embedding_bag_weighted__lanes_overlap(dae_arg, dae_first, dae_end);
}

/* daec: while the lanes run chunks that passed embedding_bag_weighted__apart, no lookup
 * reads the row it adds to: the sides need not test each one. */
static void embedding_bag_weighted__assume_apart(void *dae_arg, int dae_yes)
{
	struct embedding_bag_weighted__args *dae_a = dae_arg;

	dae_a->dae_rows_apart = dae_yes;
}

static void embedding_bag_weighted__access(struct dae_queue *dae_q, void *dae_arg,
                                           uint64_t dae_first, uint64_t dae_end)
{
	struct embedding_bag_weighted__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const float *weights = dae_a->weights;
	const int64_t *offsets = dae_a->offsets;

	/* daec: this lane's iterations of the loop at line 26. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	int64_t b;
	int64_t j;
	for (b = dae_lo; b < dae_hi; b++) {
		dae_queue_push_segment(dae_q, 1, dae_trip_count(offsets[b], offsets[b + 1]));
		const int64_t dae_end1 = DAE_LD(offsets[b + 1]);
		for (j = DAE_LD(offsets[b]); j < dae_end1; j++) {
			int64_t idx = DAE_LD(indices[j]);
			dae_prefetch(&weights[j]);
			if (0 < dim)
				dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
			dae_queue_push_i64(dae_q, j);
			dae_queue_push_i64(dae_q, idx);
		}
	}
}

#if DAE_HAVE_VECTORS
/* daec: lookups of token 1 whose reads lie outside the row they add to:
 * a block of the row's columns at a time stays in registers while every
 * lookup is added to it, in order, so each column adds as the original. */
static void embedding_bag_weighted__rows1(const float *weights, int64_t dim, float *out, int64_t b,
                                          const float *table, const int64_t dae_buf_j[],
                                          const int64_t dae_buf_idx[], uint64_t dae_m)
{
	int64_t j;
	int64_t idx;
	float w = 0;
	int64_t d = (int64_t)0;

	if (dae_trip_count(d, dim) == 64) {
		/* daec: the row is one block wide. */
		dae_f32x16 dae_v0 = dae_f32x16_load(&out[b * dim + d]);
		dae_f32x16 dae_v1 = dae_f32x16_load(&out[b * dim + d] + 16);
		dae_f32x16 dae_v2 = dae_f32x16_load(&out[b * dim + d] + 32);
		dae_f32x16 dae_v3 = dae_f32x16_load(&out[b * dim + d] + 48);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			j = dae_buf_j[dae_r];
			idx = dae_buf_idx[dae_r];
			w = weights[j];
			const float *dae_p0 = &table[idx * dim + d];
			dae_v0 += w * dae_f32x16_load(dae_p0);
			dae_v1 += w * dae_f32x16_load(dae_p0 + 16);
			dae_v2 += w * dae_f32x16_load(dae_p0 + 32);
			dae_v3 += w * dae_f32x16_load(dae_p0 + 48);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_f32x16_store(&out[b * dim + d] + 16, dae_v1);
		dae_f32x16_store(&out[b * dim + d] + 32, dae_v2);
		dae_f32x16_store(&out[b * dim + d] + 48, dae_v3);
		return;
	}
	for (; dae_trip_count(d, dim) >= 64; d += 64) {
		dae_f32x16 dae_v0 = dae_f32x16_load(&out[b * dim + d]);
		dae_f32x16 dae_v1 = dae_f32x16_load(&out[b * dim + d] + 16);
		dae_f32x16 dae_v2 = dae_f32x16_load(&out[b * dim + d] + 32);
		dae_f32x16 dae_v3 = dae_f32x16_load(&out[b * dim + d] + 48);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			j = dae_buf_j[dae_r];
			idx = dae_buf_idx[dae_r];
			w = weights[j];
			const float *dae_p1 = &table[idx * dim + d];
			dae_v0 += w * dae_f32x16_load(dae_p1);
			dae_v1 += w * dae_f32x16_load(dae_p1 + 16);
			dae_v2 += w * dae_f32x16_load(dae_p1 + 32);
			dae_v3 += w * dae_f32x16_load(dae_p1 + 48);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_f32x16_store(&out[b * dim + d] + 16, dae_v1);
		dae_f32x16_store(&out[b * dim + d] + 32, dae_v2);
		dae_f32x16_store(&out[b * dim + d] + 48, dae_v3);
	}
	for (; dae_trip_count(d, dim) >= 16; d += 16) {
		dae_f32x16 dae_v0 = dae_f32x16_load(&out[b * dim + d]);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			j = dae_buf_j[dae_r];
			idx = dae_buf_idx[dae_r];
			w = weights[j];
			const float *dae_p2 = &table[idx * dim + d];
			dae_v0 += w * dae_f32x16_load(dae_p2);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
	}
	if (dae_trip_count(d, dim) > 0) {
		const int64_t dae_from = d;
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			j = dae_buf_j[dae_r];
			idx = dae_buf_idx[dae_r];
			w = weights[j];
			for (d = dae_from; d < dim; d++) {
				out[b * dim + d] += w * table[idx * dim + d];
			}
		}
	}
}
#endif

static void embedding_bag_weighted__execute(struct dae_queue *dae_q, void *dae_arg,
                                            uint64_t dae_first, uint64_t dae_end)
{
	struct embedding_bag_weighted__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const float *weights = dae_a->weights;
	float *out = dae_a->out;
	int64_t b = 0;
	int64_t j = 0;
	int64_t idx = 0;
	int64_t d = 0;
	float w = 0;
	int64_t dae_next_b = 0;
	dae_next_b += dae_first;
	(void)dae_end;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			b = dae_next_b++;
			for (d = 0; d < dim; d++) {
				out[b * dim + d] = 0.0f;
			}
			for (uint64_t dae_k = dae_token_count(dae_w), dae_m; dae_k > 0;
			     dae_k -= dae_m) {
				/* daec: up to DAE_BUFFER_ROWS lookups at a time; when nothing they
				 * read lies in the row they add to, embedding_bag_weighted__rows1 adds them. */
				int64_t dae_buf_j[DAE_BUFFER_ROWS];
				int64_t dae_buf_idx[DAE_BUFFER_ROWS];
				const uint64_t dae_cols = dae_trip_count((int64_t)0, dim);
				const size_t dae_bytes = (size_t)dae_cols * sizeof(float);
				const void *dae_row = dae_cols ? &out[b * dim + 0] : NULL;
				int dae_apart = DAE_HAVE_VECTORS && dae_cols > 0;
				/* daec: not when the lanes' check found the rows apart. */
				const int dae_test = dae_apart && !dae_a->dae_rows_apart;
				dae_m = dae_k < DAE_BUFFER_ROWS ? dae_k : DAE_BUFFER_ROWS;
				for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
					j = (int64_t)dae_queue_pop_i64(dae_q);
					idx = (int64_t)dae_queue_pop_i64(dae_q);
					dae_buf_j[dae_r] = j;
					dae_buf_idx[dae_r] = idx;
					if (dae_test) {
						dae_apart &= dae_span_apart(&weights[j],
						                            sizeof(weights[j]),
						                            dae_row, dae_bytes);
						w = weights[j];
						dae_apart &= dae_span_apart(&table[idx * dim + 0],
						                            dae_bytes, dae_row,
						                            dae_bytes);
					}
				}
#if DAE_HAVE_VECTORS
				if (dae_apart) {
					embedding_bag_weighted__rows1(weights, dim, out, b, table,
					                              dae_buf_j, dae_buf_idx,
					                              dae_m);
					d = dim;
					continue;
				}
#endif
				for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
					j = dae_buf_j[dae_r];
					idx = dae_buf_idx[dae_r];
					w = weights[j];
					for (d = 0; d < dim; d++) {
						out[b * dim + d] += w * table[idx * dim + d];
					}
				}
			}
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_range_program embedding_bag_weighted__program = {
        .name = "embedding_bag_weighted",
        .access = embedding_bag_weighted__access,
        .execute = embedding_bag_weighted__execute,
        .apart = embedding_bag_weighted__apart,
        .assume_apart = embedding_bag_weighted__assume_apart,
};

void embedding_bag_weighted(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const float *weights, const int64_t *offsets,
                            int64_t num_bags, float *out)
{
	struct embedding_bag_weighted__args dae_a;

	dae_a.table = table;
	dae_a.num_rows = num_rows;
	dae_a.dim = dim;
	dae_a.indices = indices;
	dae_a.weights = weights;
	dae_a.offsets = offsets;
	dae_a.num_bags = num_bags;
	dae_a.out = out;
	dae_a.dae_rows_apart = 0;
	const uint64_t dae_n = dae_trip_count((int64_t)(0), num_bags);
	if (dae_run_range(&embedding_bag_weighted__program, &dae_a, dae_n) != 0)
		embedding_bag_weighted__reference(table, num_rows, dim, indices, weights, offsets,
		                                  num_bags, out);
}
