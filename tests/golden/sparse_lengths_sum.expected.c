/*
 * sparse_lengths_sum.c - reference implementation of SparseLengthsSum.
 *
 * As in the Caffe2 operator of the same name: the segments (bags) are given
 * by their lengths rather than by offsets.  Segment s takes the next
 * lengths[s] entries of indices, so the indices are consumed with a running
 * cursor and sum(lengths) entries of indices are read in total.
 *
 * For every segment s and every column d:
 *
 *     out[s * dim + d] = sum over the lengths[s] indices i of segment s
 *                        of table[i * dim + d]
 *
 * Unlike EmbeddingBag, this operator validates its indices.  Segments are
 * processed in order; when an index outside [0, num_rows) is met the function
 * stops at once and returns -1.  The segments before the bad index are
 * complete, the current segment holds the sum of the rows read so far and
 * the later segments are left untouched.  On success it returns 0.
 *
 * Preconditions: every length is >= 0; indices has sum(lengths) entries;
 * out has room for num_segments * dim floats and does not overlap the inputs.
 */
#include <stdint.h>
#include <dae/dae.h>

/* daec: the original sparse_lengths_sum, kept for the fallback path. */
static int sparse_lengths_sum__reference(const float *table, int64_t num_rows, int64_t dim,
                                         const int64_t *indices, const int64_t *lengths,
                                         int64_t num_segments, float *out)
{
	int64_t pos = 0;
	int64_t s, k, d;

	for (s = 0; s < num_segments; s++) {
		float *dst = out + s * dim;

		for (d = 0; d < dim; d++) {
			dst[d] = 0.0f;
		}
		for (k = 0; k < lengths[s]; k++) {
			int64_t idx = indices[pos];
			if (idx < 0 || idx >= num_rows) {
				return -1;
			}
			for (d = 0; d < dim; d++) {
				dst[d] += table[idx * dim + d];
			}
			pos++;
		}
	}
	return 0;
}

/* daec: sparse_lengths_sum decoupled into an access side (walks the indices, prefetches
 * rows, sends tokens and operands) and an execute side (the arithmetic). */
struct sparse_lengths_sum__args {
	const float *table;
	int64_t num_rows;
	int64_t dim;
	const int64_t *indices;
	const int64_t *lengths;
	int64_t num_segments;
	float *out;
	int dae_ret;
};

static void sparse_lengths_sum__access(struct dae_queue *dae_q, void *dae_arg)
{
	struct sparse_lengths_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t num_rows = dae_a->num_rows;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *lengths = dae_a->lengths;
	int64_t num_segments = dae_a->num_segments;

	int64_t pos = 0;
	int64_t s;
	int64_t k;
	for (s = 0; s < num_segments; s++) {
		dae_queue_push_token(dae_q, 1);
		for (k = 0; k < DAE_LD(lengths[s]); k++) {
			int64_t idx = DAE_LD(indices[pos]);
			if (idx < 0 || idx >= num_rows) {
				dae_queue_push_token(dae_q, 2);
				return;
			}
			if (0 < dim)
				dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
			dae_queue_push_token(dae_q, 3);
			dae_queue_push_i64(dae_q, idx);
			pos++;
		}
	}
	dae_queue_push_token(dae_q, 4);
	return;
}

static void sparse_lengths_sum__execute(struct dae_queue *dae_q, void *dae_arg)
{
	struct sparse_lengths_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	float *out = dae_a->out;
	int64_t s = 0;
	int64_t idx = 0;
	int64_t d = 0;
	float *dst = 0;
	int64_t dae_next_s = 0;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			s = dae_next_s++;
			dst = out + s * dim;
			for (d = 0; d < dim; d++) {
				dst[d] = 0.0f;
			}
			break;
		}
		case 2: {
			dae_a->dae_ret = -1;
			break;
		}
		case 3: {
			idx = (int64_t)dae_queue_pop_i64(dae_q);
			for (d = 0; d < dim; d++) {
				dst[d] += table[idx * dim + d];
			}
			break;
		}
		case 4: {
			dae_a->dae_ret = 0;
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_program sparse_lengths_sum__program = {
        .name = "sparse_lengths_sum",
        .access = sparse_lengths_sum__access,
        .execute = sparse_lengths_sum__execute,
};

int sparse_lengths_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                       const int64_t *lengths, int64_t num_segments, float *out)
{
	struct sparse_lengths_sum__args dae_a;

	dae_a.table = table;
	dae_a.num_rows = num_rows;
	dae_a.dim = dim;
	dae_a.indices = indices;
	dae_a.lengths = lengths;
	dae_a.num_segments = num_segments;
	dae_a.out = out;
	if (dae_run(&sparse_lengths_sum__program, &dae_a) != 0)
		return sparse_lengths_sum__reference(table, num_rows, dim, indices, lengths,
		                                     num_segments, out);
	return dae_a.dae_ret;
}
