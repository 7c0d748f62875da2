/*
 * embedding_bag_sum.c - reference implementation of EmbeddingBag (mode "sum").
 *
 * The embedding table is a dense, row-major matrix of num_rows x dim floats.
 * The lookups of all bags are packed into one index array; bag b owns the
 * indices indices[offsets[b]] .. indices[offsets[b + 1] - 1], so offsets has
 * num_bags + 1 entries, offsets[0] == 0 and offsets is non-decreasing.  A bag
 * may be empty (offsets[b] == offsets[b + 1]); its output row is all zeros.
 *
 * For every bag b and every column d:
 *
 *     out[b * dim + d] = sum over j in bag b of table[indices[j] * dim + d]
 *
 * The rows are accumulated in the order they appear in the bag.
 *
 * Preconditions: every index is in [0, num_rows); out has room for
 * num_bags * dim floats and does not overlap the inputs.
 */
#include <stdint.h>
#include <dae/dae.h>

/* daec: the original embedding_bag_sum, kept for the fallback path. */
static void embedding_bag_sum__reference(const float *table, int64_t num_rows, int64_t dim,
                                         const int64_t *indices, const int64_t *offsets,
                                         int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		/* Clear the output row of this bag. */
		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		/* Add the table row of every index of the bag. */
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
	}
}

/* daec: embedding_bag_sum decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct embedding_bag_sum__args {
	const float *table;
	int64_t num_rows;
	int64_t dim;
	const int64_t *indices;
	const int64_t *offsets;
	int64_t num_bags;
	float *out;
};

static int embedding_bag_sum__lanes_overlap(const struct embedding_bag_sum__args *dae_a,
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
	/* table[idx * dim + d] (line 35) may be a row another lane writes: out[b * dim + d] (line 29). */
	if (dae_ival_overlap(table, dae_t13, 4, out, dae_t18, 4))
		return 1;
	return 0;
}

static int embedding_bag_sum__apart(void *dae_arg, uint64_t dae_first, uint64_t dae_end)
{
	return !embedding_bag_sum__lanes_overlap(dae_arg, dae_first, dae_end);
}

static void embedding_bag_sum__access(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                                      uint64_t dae_end)
{
	struct embedding_bag_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;

	/* daec: this lane's iterations of the loop at line 26. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	int64_t b;
	int64_t j;
	for (b = dae_lo; b < dae_hi; b++) {
		dae_queue_push_token(dae_q, 1);
		dae_queue_push_i64(dae_q, b);
		for (j = DAE_LD(offsets[b]); j < DAE_LD(offsets[b + 1]); j++) {
			int64_t idx = DAE_LD(indices[j]);
			if (0 < dim)
				dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
			dae_queue_push_token(dae_q, 2);
			dae_queue_push_i64(dae_q, b);
			dae_queue_push_i64(dae_q, idx);
		}
	}
}

static void embedding_bag_sum__execute(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                                       uint64_t dae_end)
{
	struct embedding_bag_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	float *out = dae_a->out;
	int64_t b = 0;
	int64_t idx = 0;
	int64_t d = 0;
	(void)dae_first;
	(void)dae_end;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			b = (int64_t)dae_queue_pop_i64(dae_q);
			for (d = 0; d < dim; d++) {
				out[b * dim + d] = 0.0f;
			}
			break;
		}
		case 2: {
			b = (int64_t)dae_queue_pop_i64(dae_q);
			idx = (int64_t)dae_queue_pop_i64(dae_q);
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_range_program embedding_bag_sum__program = {
        .name = "embedding_bag_sum",
        .access = embedding_bag_sum__access,
        .execute = embedding_bag_sum__execute,
        .apart = embedding_bag_sum__apart,
};

void embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, float *out)
{
	struct embedding_bag_sum__args dae_a;

	dae_a.table = table;
	dae_a.num_rows = num_rows;
	dae_a.dim = dim;
	dae_a.indices = indices;
	dae_a.offsets = offsets;
	dae_a.num_bags = num_bags;
	dae_a.out = out;
	const uint64_t dae_n = dae_trip_count((int64_t)(0), num_bags);
	if (dae_run_range(&embedding_bag_sum__program, &dae_a, dae_n) != 0)
		embedding_bag_sum__reference(table, num_rows, dim, indices, offsets, num_bags, out);
}
