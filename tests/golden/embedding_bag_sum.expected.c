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

static void embedding_bag_sum__access(struct dae_queue *dae_q, void *dae_arg)
{
	struct embedding_bag_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;
	int64_t num_bags = dae_a->num_bags;

	int64_t b;
	int64_t j;
	for (b = 0; b < num_bags; b++) {
		dae_queue_push_segment(dae_q, 1, dae_trip_count(offsets[b], offsets[b + 1]));
		const int64_t dae_end1 = DAE_LD(offsets[b + 1]);
		for (j = DAE_LD(offsets[b]); j < dae_end1; j++) {
			int64_t idx = DAE_LD(indices[j]);
			if (0 < dim)
				dae_prefetch_range(&table[idx * dim], (size_t)dim * sizeof(float));
			dae_queue_push_i64(dae_q, idx);
		}
	}
}

static void embedding_bag_sum__execute(struct dae_queue *dae_q, void *dae_arg)
{
	struct embedding_bag_sum__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	float *out = dae_a->out;
	int64_t b = 0;
	int64_t idx = 0;
	int64_t d = 0;
	int64_t dae_next_b = 0;

	for (;;) {
		dae_word dae_w = dae_queue_pop(dae_q);

		switch (dae_token_id(dae_w)) {
		case 1: {
			b = dae_next_b++;
			for (d = 0; d < dim; d++) {
				out[b * dim + d] = 0.0f;
			}
			for (uint64_t dae_k = dae_token_count(dae_w); dae_k > 0; dae_k--) {
				idx = (int64_t)dae_queue_pop_i64(dae_q);
				for (d = 0; d < dim; d++) {
					out[b * dim + d] += table[idx * dim + d];
				}
			}
			break;
		}
		case DAE_TOKEN_DONE:
			return;
		}
	}
}

static const struct dae_program embedding_bag_sum__program = {
        .name = "embedding_bag_sum",
        .access = embedding_bag_sum__access,
        .execute = embedding_bag_sum__execute,
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
	if (dae_run(&embedding_bag_sum__program, &dae_a) != 0)
		embedding_bag_sum__reference(table, num_rows, dim, indices, offsets, num_bags, out);
}
