/*
 * embedding_bag_mean.c - reference implementation of EmbeddingBag (mode
 * "mean").
 *
 * Same layout as embedding_bag_sum: a row-major num_rows x dim table, one
 * packed index array and num_bags + 1 offsets delimiting the bags.  The rows
 * of a bag are summed in order and the sum is then divided by the number of
 * rows in the bag:
 *
 *     out[b * dim + d] = (sum over j in bag b of table[indices[j] * dim + d]) / len(b)
 *
 * An empty bag has no mean; as in the reference framework its output row is
 * all zeros (the division is skipped).
 *
 * Preconditions: every index is in [0, num_rows); out has room for
 * num_bags * dim floats and does not overlap the inputs.
 */
#include <stdint.h>
#include <dae/dae.h>

/* daec: the original embedding_bag_mean, kept for the fallback path. */
static void embedding_bag_mean__reference(const float *table, int64_t num_rows, int64_t dim,
                                          const int64_t *indices, const int64_t *offsets,
                                          int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		int64_t start = offsets[b];
		int64_t end = offsets[b + 1];
		int64_t len = end - start;

		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (j = start; j < end; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
		if (len != 0) {
			for (d = 0; d < dim; d++) {
				out[b * dim + d] /= (float)len;
			}
		}
	}
}

/* daec: embedding_bag_mean decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct embedding_bag_mean__args {
	const float *table;
	int64_t num_rows;
	int64_t dim;
	const int64_t *indices;
	const int64_t *offsets;
	int64_t num_bags;
	float *out;
	int dae_rows_apart; /* set by embedding_bag_mean__assume_apart */
};

static int embedding_bag_mean__lanes_overlap(const struct embedding_bag_mean__args *dae_a,
                                             uint64_t dae_first, uint64_t dae_end)
{
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
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
	/* values of indices[...]: scanned */
	long long dae_lo8 = LLONG_MAX, dae_hi8 = LLONG_MIN;
	if (!dae_t7.all)
		for (long long dae_k = dae_t7.lo; dae_k <= dae_t7.hi; dae_k++) {
			long long dae_x = indices[dae_k];

			if (dae_x < dae_lo8)
				dae_lo8 = dae_x;
			if (dae_x > dae_hi8)
				dae_hi8 = dae_x;
		}
	struct dae_ival dae_t9 = dae_t7.all ? dae_ival_full() : dae_ival_thru(dae_lo8, dae_hi8);
	struct dae_ival dae_t10 = dae_ival_mul(dae_t9, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t11 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t12 = dae_ival_add(dae_t10, dae_t11);
	struct dae_ival dae_t13 = dae_ival_mul(dae_t12, dae_ival_point(4));
	/* values of b */
	struct dae_ival dae_t14 = dae_ival_loop(dae_ival_point(0), dae_ival_point(num_bags), 0);
	struct dae_ival dae_t15 = dae_ival_mul(dae_t14, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t16 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t17 = dae_ival_add(dae_t15, dae_t16);
	struct dae_ival dae_t18 = dae_ival_mul(dae_t17, dae_ival_point(4));
	/* table[idx * dim + d] (line 36) may be a row another lane writes: out[b * dim + d] (line 31). */
	if (dae_ival_overlap(table, dae_t13, 4, out, dae_t18, 4))
		return 1;
	return 0;
}

static int embedding_bag_mean__apart(void *dae_arg, uint64_t dae_first, uint64_t dae_end)
{
	return !embedding_bag_mean__lanes_overlap(dae_arg, dae_first, dae_end);
}

/* daec: while the lanes run chunks that passed embedding_bag_mean__apart, no lookup
 * reads the row it adds to: the sides need not test each one. */
static void embedding_bag_mean__assume_apart(void *dae_arg, int dae_yes)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;

	dae_a->dae_rows_apart = dae_yes;
}

static void embedding_bag_mean__access(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                                       uint64_t dae_end)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;

	/* daec: this lane's iterations of the loop at line 25. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	int64_t b;
	int64_t j;
	for (b = dae_lo; b < dae_hi; b++) {
		int64_t start = DAE_LD(offsets[b]);
		int64_t end = DAE_LD(offsets[b + 1]);
		dae_queue_push_segment(dae_q, 1, dae_trip_count(start, end));
		dae_queue_push_i64(dae_q, end);
		dae_queue_push_i64(dae_q, start);
		for (j = start; j < end; j++) {
			int64_t idx = DAE_LD(indices[j]);
			if (0 < dim)
				dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
			dae_queue_push_i64(dae_q, idx);
		}
	}
}

/* daec: the walk of the lookup of the loop at line 33 whose index element
 * is at dae_at (none if NULL): its row prefetched, at a fused lane's pace. */
static inline void embedding_bag_mean__row(void *dae_arg, const void *dae_at)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;

	if (!dae_at)
		return;
	int64_t idx = *(const int64_t *)dae_at;
	(void)idx;
	if (0 < dim)
		dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
}

#if DAE_HAVE_VECTORS
/* daec: lookups of token 1 whose reads lie outside the row they add to:
 * a block of the row's columns at a time stays in registers while every
 * lookup is added to it, in order, so each column adds as the original. */
static void embedding_bag_mean__rows1(int64_t dim, float *out, int64_t b, const float *table,
                                      const int64_t dae_buf_idx[], uint64_t dae_m)
{
	int64_t idx;
	int64_t d = (int64_t)0;

	if (dae_trip_count(d, dim) == 64) {
		/* daec: the row is one block wide. */
		dae_f32x16 dae_v0 = dae_f32x16_load(&out[b * dim + d]);
		dae_f32x16 dae_v1 = dae_f32x16_load(&out[b * dim + d] + 16);
		dae_f32x16 dae_v2 = dae_f32x16_load(&out[b * dim + d] + 32);
		dae_f32x16 dae_v3 = dae_f32x16_load(&out[b * dim + d] + 48);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			idx = dae_buf_idx[dae_r];
			const float *dae_p0 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p0);
			dae_v1 += dae_f32x16_load(dae_p0 + 16);
			dae_v2 += dae_f32x16_load(dae_p0 + 32);
			dae_v3 += dae_f32x16_load(dae_p0 + 48);
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
			idx = dae_buf_idx[dae_r];
			const float *dae_p1 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p1);
			dae_v1 += dae_f32x16_load(dae_p1 + 16);
			dae_v2 += dae_f32x16_load(dae_p1 + 32);
			dae_v3 += dae_f32x16_load(dae_p1 + 48);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_f32x16_store(&out[b * dim + d] + 16, dae_v1);
		dae_f32x16_store(&out[b * dim + d] + 32, dae_v2);
		dae_f32x16_store(&out[b * dim + d] + 48, dae_v3);
	}
	for (; dae_trip_count(d, dim) >= 16; d += 16) {
		dae_f32x16 dae_v0 = dae_f32x16_load(&out[b * dim + d]);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			idx = dae_buf_idx[dae_r];
			const float *dae_p2 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p2);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
	}
	if (dae_trip_count(d, dim) > 0) {
		const int64_t dae_from = d;
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			idx = dae_buf_idx[dae_r];
			for (d = dae_from; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
	}
}
#endif

#if DAE_HAVE_VECTORS
/* daec: embedding_bag_mean__rows1, the sums starting from the value the loop at line 30
 * stores in the row, as that loop and the segment would leave it. */
static void embedding_bag_mean__rows1_set(int64_t dim, float *out, int64_t b, const float *table,
                                          const int64_t dae_buf_idx[], uint64_t dae_m,
                                          struct dae_lane_pace *dae_pace)
{
	int64_t idx;
	int64_t d = (int64_t)0;

	if (dae_trip_count(d, dim) == 64) {
		/* daec: the row is one block wide. */
		dae_f32x16 dae_v0 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v1 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v2 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v3 = dae_f32x16_splat(0.0f);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			if (dae_pace)
				embedding_bag_mean__row(dae_pace->arg, dae_lane_pump(dae_pace));
			idx = dae_buf_idx[dae_r];
			const float *dae_p0 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p0);
			dae_v1 += dae_f32x16_load(dae_p0 + 16);
			dae_v2 += dae_f32x16_load(dae_p0 + 32);
			dae_v3 += dae_f32x16_load(dae_p0 + 48);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_f32x16_store(&out[b * dim + d] + 16, dae_v1);
		dae_f32x16_store(&out[b * dim + d] + 32, dae_v2);
		dae_f32x16_store(&out[b * dim + d] + 48, dae_v3);
		return;
	}
	for (; dae_trip_count(d, dim) >= 64; d += 64) {
		dae_f32x16 dae_v0 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v1 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v2 = dae_f32x16_splat(0.0f);
		dae_f32x16 dae_v3 = dae_f32x16_splat(0.0f);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			if (dae_pace)
				embedding_bag_mean__row(dae_pace->arg, dae_lane_pump(dae_pace));
			idx = dae_buf_idx[dae_r];
			const float *dae_p1 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p1);
			dae_v1 += dae_f32x16_load(dae_p1 + 16);
			dae_v2 += dae_f32x16_load(dae_p1 + 32);
			dae_v3 += dae_f32x16_load(dae_p1 + 48);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_f32x16_store(&out[b * dim + d] + 16, dae_v1);
		dae_f32x16_store(&out[b * dim + d] + 32, dae_v2);
		dae_f32x16_store(&out[b * dim + d] + 48, dae_v3);
		dae_pace = NULL; /* the first block read every row */
	}
	for (; dae_trip_count(d, dim) >= 16; d += 16) {
		dae_f32x16 dae_v0 = dae_f32x16_splat(0.0f);
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			if (dae_pace)
				embedding_bag_mean__row(dae_pace->arg, dae_lane_pump(dae_pace));
			idx = dae_buf_idx[dae_r];
			const float *dae_p2 = &table[idx * dim + d];
			dae_v0 += dae_f32x16_load(dae_p2);
		}
		dae_f32x16_store(&out[b * dim + d], dae_v0);
		dae_pace = NULL; /* the first block read every row */
	}
	if (dae_trip_count(d, dim) > 0) {
		const int64_t dae_from = d;
		for (d = dae_from; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
			if (dae_pace)
				embedding_bag_mean__row(dae_pace->arg, dae_lane_pump(dae_pace));
			idx = dae_buf_idx[dae_r];
			for (d = dae_from; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
	}
}
#endif

static void embedding_bag_mean__execute(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                                        uint64_t dae_end)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	float *out = dae_a->out;
	int64_t end = 0;
	int64_t start = 0;
	int64_t b = 0;
	int64_t idx = 0;
	int64_t d = 0;
	int64_t len = 0;
	int64_t dae_next_b = 0;
	dae_next_b += dae_first;
	(void)dae_end;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			b = dae_next_b++;
			end = (int64_t)dae_queue_pop_i64(dae_q);
			start = (int64_t)dae_queue_pop_i64(dae_q);
			len = end - start;
			for (d = 0; d < dim; d++) {
				out[b * dim + d] = 0.0f;
			}
			for (uint64_t dae_k = dae_token_count(dae_w), dae_m; dae_k > 0;
			     dae_k -= dae_m) {
				/* daec: up to DAE_BUFFER_ROWS lookups at a time; when nothing they
				 * read lies in the row they add to, embedding_bag_mean__rows1 adds them. */
				int64_t dae_buf_idx[DAE_BUFFER_ROWS];
				const uint64_t dae_cols = dae_trip_count((int64_t)0, dim);
				const size_t dae_bytes = (size_t)dae_cols * sizeof(float);
				const void *dae_row = dae_cols ? &out[b * dim + 0] : NULL;
				int dae_apart = DAE_HAVE_VECTORS && dae_cols > 0;
				/* daec: not when the lanes' check found the rows apart. */
				const int dae_test = dae_apart && !dae_a->dae_rows_apart;
				dae_m = dae_k < DAE_BUFFER_ROWS ? dae_k : DAE_BUFFER_ROWS;
				for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
					idx = (int64_t)dae_queue_pop_i64(dae_q);
					dae_buf_idx[dae_r] = idx;
					if (dae_test) {
						dae_apart &= dae_span_apart(&table[idx * dim + 0],
						                            dae_bytes, dae_row,
						                            dae_bytes);
					}
				}
#if DAE_HAVE_VECTORS
				if (dae_apart) {
					embedding_bag_mean__rows1(dim, out, b, table, dae_buf_idx,
					                          dae_m);
					d = dim;
					continue;
				}
#endif
				for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
					idx = dae_buf_idx[dae_r];
					for (d = 0; d < dim; d++) {
						out[b * dim + d] += table[idx * dim + d];
					}
				}
			}
			if (len != 0) {
				for (d = 0; d < dim; d++) {
					out[b * dim + d] /= (float)len;
				}
			}
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

/* daec: the access side's walk of one iteration, sending nothing: it
 * finds the index elements of the rows embedding_bag_mean__direct will read. */
static void embedding_bag_mean__walk(void *dae_arg, uint64_t dae_first,
                                     struct dae_lane_pace *dae_pace)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;

	const uint64_t dae_end = dae_first + 1;
	/* daec: this lane's iterations of the loop at line 25. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	int64_t b;
	int64_t j;
	for (b = dae_lo; b < dae_hi; b++) {
		int64_t start = DAE_LD(offsets[b]);
		(void)start;
		int64_t end = DAE_LD(offsets[b + 1]);
		(void)end;
		{
			j = start;
			const uint64_t dae_m = dae_trip_count(start, end);
			dae_lane_span(dae_pace, dae_m ? &indices[j] : NULL, dae_m,
			              sizeof(indices[j]));
		}
	}
}

/* daec: iteration dae_first of the loop at line 25 as written, its
 * segment's lookups summed in place: a fused lane's execute side. */
static void embedding_bag_mean__direct(void *dae_arg, uint64_t dae_first,
                                       struct dae_lane_pace *dae_pace)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;
	float *out = dae_a->out;

	int64_t b = 0;
	int64_t d = 0;
	int64_t j = 0;
	const uint64_t dae_end = dae_first + 1;
	(void)dae_pace;
	/* daec: this lane's iterations of the loop at line 25. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	for (b = dae_lo; b < dae_hi; b++) {
		int64_t start = offsets[b];
		int64_t end = offsets[b + 1];
		int64_t len = end - start;
		{
			/* daec: the lookups of the loop at line 33, read where they lie and,
			 * when nothing they read lies in the row they add to, summed by
			 * embedding_bag_mean__rows1_set. */
			j = start;
			const uint64_t dae_m = dae_trip_count(start, end);
			const int64_t *dae_buf_idx = dae_m ? &indices[j] : NULL;
			const uint64_t dae_cols = dae_trip_count((int64_t)0, dim);
			const size_t dae_bytes = (size_t)dae_cols * sizeof(float);
			const void *dae_row = dae_cols ? &out[b * dim + 0] : NULL;
			int dae_apart = DAE_HAVE_VECTORS && dae_cols > 0;
			if (dae_apart && !dae_a->dae_rows_apart) {
				int64_t idx = 0;
				for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {
					idx = dae_buf_idx[dae_r];
					dae_apart &= dae_span_apart(&table[idx * dim + 0],
					                            dae_bytes, dae_row, dae_bytes);
				}
			}
			if (dae_apart) {
#if DAE_HAVE_VECTORS
				embedding_bag_mean__rows1_set(dim, out, b, table, dae_buf_idx,
				                              dae_m, dae_pace);
#endif
				j += dae_m;
				d = dim;
			} else {
				for (d = 0; d < dim; d++) {
					out[b * dim + d] = 0.0f;
				}
				for (j = start; j < end; j++) {
					int64_t idx = indices[j];
					for (d = 0; d < dim; d++) {
						out[b * dim + d] += table[idx * dim + d];
					}
				}
			}
		}
		if (len != 0) {
			for (d = 0; d < dim; d++) {
				out[b * dim + d] /= (float)len;
			}
		}
	}
}

/* daec: a fused lane: embedding_bag_mean__direct runs each iteration once
 * embedding_bag_mean__walk has found its rows; embedding_bag_mean__row prefetches them
 * one at a time, fused_ahead rows ahead of the row read. */
static void embedding_bag_mean__fused(void *dae_arg, struct dae_lane *dae_lane)
{
	dae_lane_run(dae_lane, dae_arg, embedding_bag_mean__walk, embedding_bag_mean__row,
	             embedding_bag_mean__direct);
}

static const struct dae_range_program embedding_bag_mean__program = {
        .name = "embedding_bag_mean",
        .access = embedding_bag_mean__access,
        .execute = embedding_bag_mean__execute,
        .apart = embedding_bag_mean__apart,
        .assume_apart = embedding_bag_mean__assume_apart,
        .fused = embedding_bag_mean__fused,
};

void embedding_bag_mean(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                        const int64_t *offsets, int64_t num_bags, float *out)
{
	struct embedding_bag_mean__args dae_a;

	dae_a.table = table;
	dae_a.num_rows = num_rows;
	dae_a.dim = dim;
	dae_a.indices = indices;
	dae_a.offsets = offsets;
	dae_a.num_bags = num_bags;
	dae_a.out = out;
	dae_a.dae_rows_apart = 0;
	const uint64_t dae_n = dae_trip_count((int64_t)(0), num_bags);
	if (dae_run_range(&embedding_bag_mean__program, &dae_a, dae_n) != 0)
		embedding_bag_mean__reference(table, num_rows, dim, indices, offsets, num_bags,
		                              out);
}
