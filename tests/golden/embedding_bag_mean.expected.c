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
};

static void embedding_bag_mean__access(struct dae_queue *dae_q, void *dae_arg)
{
	struct embedding_bag_mean__args *dae_a = dae_arg;
	const float *table = dae_a->table;
	int64_t dim = dae_a->dim;
	const int64_t *indices = dae_a->indices;
	const int64_t *offsets = dae_a->offsets;
	int64_t num_bags = dae_a->num_bags;

	int64_t b;
	int64_t j;
	for (b = 0; b < num_bags; b++) {
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

static void embedding_bag_mean__execute(struct dae_queue *dae_q, void *dae_arg)
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
			for (uint64_t dae_k = dae_token_count(dae_w); dae_k > 0; dae_k--) {
				idx = (int64_t)dae_queue_pop_i64(dae_q);
				for (d = 0; d < dim; d++) {
					out[b * dim + d] += table[idx * dim + d];
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

static const struct dae_program embedding_bag_mean__program = {
        .name = "embedding_bag_mean",
        .access = embedding_bag_mean__access,
        .execute = embedding_bag_mean__execute,
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
	if (dae_run(&embedding_bag_mean__program, &dae_a) != 0)
		embedding_bag_mean__reference(table, num_rows, dim, indices, offsets, num_bags,
		                              out);
}
