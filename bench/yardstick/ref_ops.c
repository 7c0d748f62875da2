/*
 * ref_ops.c - plain C references of the three ops of the yardstick, written
 * the way legacy recommender / GNN code is written (see samples/). These are
 * the "originals": bench/yardstick/yardstick.c times them as they are, and
 * translated by daec (-O2 and -O3).
 *
 * ys_embedding_bag_sum: EmbeddingBag, mode "sum". table is num_rows x dim
 *   floats, row-major; bag b owns indices[offsets[b]] .. indices[offsets[b+1]-1]
 *   (offsets has num_bags + 1 entries, non-decreasing);
 *   out[b * dim + d] = sum over the bag, in bag order, of table[idx * dim + d].
 *
 * ys_csr_spmm: Y = A * X, A sparse n_rows x n_cols in CSR (row_ptr with
 *   n_rows + 1 entries, col_idx, vals; vals may be NULL: every edge weighs 1),
 *   X dense n_cols x F, row-major; Y is n_rows x F and is overwritten. Edges
 *   are accumulated in CSR order, Y[i][f] += vals[e] * X[col][f].
 *
 * ys_gather_rows: out[i * dim + d] = table[ids[i] * dim + d] for i < n
 *   (torch.index_select on dim 0 / nn.Embedding forward).
 *
 * Preconditions: every index is in range; outputs do not overlap inputs.
 */
#include <stddef.h>
#include <stdint.h>

void ys_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                          const int64_t *offsets, int64_t num_bags, float *out)
{
	int64_t b, j, d;

	for (b = 0; b < num_bags; b++) {
		for (d = 0; d < dim; d++) {
			out[b * dim + d] = 0.0f;
		}
		for (j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];
			for (d = 0; d < dim; d++) {
				out[b * dim + d] += table[idx * dim + d];
			}
		}
	}
}

void ys_csr_spmm(int64_t n_rows, int64_t n_cols, int64_t F, const int64_t *row_ptr,
                 const int32_t *col_idx, const float *vals, const float *X, float *Y)
{
	int64_t i, e, f;

	for (i = 0; i < n_rows; i++) {
		for (f = 0; f < F; f++) {
			Y[i * F + f] = 0.0f;
		}
		for (e = row_ptr[i]; e < row_ptr[i + 1]; e++) {
			int64_t j = col_idx[e];
			if (vals != NULL) {
				float a = vals[e];
				for (f = 0; f < F; f++) {
					Y[i * F + f] += a * X[j * F + f];
				}
			} else {
				for (f = 0; f < F; f++) {
					Y[i * F + f] += X[j * F + f];
				}
			}
		}
	}
}

void ys_gather_rows(const float *table, int64_t num_rows, int64_t dim, const int64_t *ids,
                    int64_t n, float *out)
{
	int64_t i, d;

	for (i = 0; i < n; i++) {
		int64_t id = ids[i];
		for (d = 0; d < dim; d++) {
			out[i * dim + d] = table[id * dim + d];
		}
	}
}
