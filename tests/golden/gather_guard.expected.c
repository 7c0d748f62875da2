#include <stdint.h>
#include <dae/dae.h>
/* gather of int64 rows with int64 indices: same element type, so a run-time check */
/* daec: the original gather_i64, kept for the fallback path. */
static void gather_i64__reference(const int64_t *table, int64_t dim, const int64_t *indices,
                                  int64_t n, int64_t *out)
{
	for (int64_t i = 0; i < n; i++) {
		int64_t idx = indices[i];
		for (int64_t d = 0; d < dim; d++)
			out[i * dim + d] = table[idx * dim + d];
	}
}

/* daec: gather_i64 decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct gather_i64__args {
	const int64_t *table;
	int64_t dim;
	const int64_t *indices;
	int64_t n;
	int64_t *out;
};

static int gather_i64__lanes_overlap(const struct gather_i64__args *dae_a, uint64_t dae_first,
                                     uint64_t dae_end)
{
	const int64_t *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	int64_t n = dae_a->n;
	int64_t *out = dae_a->out;
	const long long dae_c0 = (0) + (long long)dae_first;
	const long long dae_c1 = (0) + (long long)dae_end;

	/* values of i in the chunk */
	struct dae_ival dae_t0 = dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0);
	/* values of indices[...]: scanned */
	long long dae_lo1 = LLONG_MAX, dae_hi1 = LLONG_MIN;
	if (!dae_t0.all)
		for (long long dae_k = dae_t0.lo; dae_k <= dae_t0.hi; dae_k++) {
			long long dae_x = indices[dae_k];

			if (dae_x < dae_lo1)
				dae_lo1 = dae_x;
			if (dae_x > dae_hi1)
				dae_hi1 = dae_x;
		}
	struct dae_ival dae_t2 = dae_t0.all ? dae_ival_full() : dae_ival_thru(dae_lo1, dae_hi1);
	struct dae_ival dae_t3 = dae_ival_mul(dae_t2, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t4 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t5 = dae_ival_add(dae_t3, dae_t4);
	struct dae_ival dae_t6 = dae_ival_mul(dae_t5, dae_ival_point(8));
	/* values of i */
	struct dae_ival dae_t7 = dae_ival_loop(dae_ival_point(0), dae_ival_point(n), 0);
	struct dae_ival dae_t8 = dae_ival_mul(dae_t7, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t9 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t10 = dae_ival_add(dae_t8, dae_t9);
	struct dae_ival dae_t11 = dae_ival_mul(dae_t10, dae_ival_point(8));
	/* table[idx * dim + d] (line 8) may be a row another lane writes: out[i * dim + d] (line 8). */
	if (dae_ival_overlap(table, dae_t6, 8, out, dae_t11, 8))
		return 1;
	return 0;
}

static int gather_i64__apart(void *dae_arg, uint64_t dae_first, uint64_t dae_end)
{
	return !gather_i64__lanes_overlap(dae_arg, dae_first, dae_end);
}

static void gather_i64__access(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                               uint64_t dae_end)
{
	struct gather_i64__args *dae_a = dae_arg;
	const int64_t *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;

	/* daec: this lane's iterations of the loop at line 5. */
	int64_t dae_lo = 0;
	int64_t dae_hi = dae_lo;
	dae_lo += dae_first;
	dae_hi += dae_end;

	for (int64_t i = dae_lo; i < dae_hi; i++) {
		int64_t idx = DAE_LD(indices[i]);
		if (0 < dim)
			dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(int64_t));
		dae_queue_push_token(dae_q, 1);
		dae_queue_push_i64(dae_q, idx);
	}
}

static void gather_i64__execute(struct dae_queue *dae_q, void *dae_arg, uint64_t dae_first,
                                uint64_t dae_end)
{
	struct gather_i64__args *dae_a = dae_arg;
	const int64_t *table = dae_a->table;
	int64_t dim = dae_a->dim;
	int64_t *out = dae_a->out;
	int64_t i = 0;
	int64_t idx = 0;
	int64_t dae_next_i = 0;
	dae_next_i += dae_first;
	(void)dae_end;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			i = dae_next_i++;
			idx = (int64_t)dae_queue_pop_i64(dae_q);
			for (int64_t d = 0; d < dim; d++)
				out[i * dim + d] = table[idx * dim + d];
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_range_program gather_i64__program = {
        .name = "gather_i64",
        .access = gather_i64__access,
        .execute = gather_i64__execute,
        .apart = gather_i64__apart,
};

static int gather_i64__overlaps(const struct gather_i64__args *dae_a)
{
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	int64_t n = dae_a->n;
	int64_t *out = dae_a->out;

	/* values of i */
	struct dae_ival dae_t0 = dae_ival_loop(dae_ival_point(0), dae_ival_point(n), 0);
	struct dae_ival dae_t1 = dae_ival_mul(dae_t0, dae_ival_point(8));
	/* values of i */
	struct dae_ival dae_t2 = dae_ival_loop(dae_ival_point(0), dae_ival_point(n), 0);
	struct dae_ival dae_t3 = dae_ival_mul(dae_t2, dae_ival_point(dim));
	/* values of d */
	struct dae_ival dae_t4 = dae_ival_loop(dae_ival_point(0), dae_ival_point(dim), 0);
	struct dae_ival dae_t5 = dae_ival_add(dae_t3, dae_t4);
	struct dae_ival dae_t6 = dae_ival_mul(dae_t5, dae_ival_point(8));
	/* indices[i] (line 6) is read ahead of out[i * dim + d] (line 8). */
	if (dae_ival_overlap(indices, dae_t1, 8, out, dae_t6, 8))
		return 1;
	return 0;
}

void gather_i64(const int64_t *table, int64_t dim, const int64_t *indices, int64_t n, int64_t *out)
{
	struct gather_i64__args dae_a;

	dae_a.table = table;
	dae_a.dim = dim;
	dae_a.indices = indices;
	dae_a.n = n;
	dae_a.out = out;
	const uint64_t dae_n = dae_trip_count((int64_t)(0), n);
	if (gather_i64__overlaps(&dae_a) || dae_run_range(&gather_i64__program, &dae_a, dae_n) != 0)
		gather_i64__reference(table, dim, indices, n, out);
}
