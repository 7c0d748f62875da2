/*
 * orig.c - the original C of the side-by-side benchmark: the embedding bag
 * sum and the CSR SpMM of bench/yardstick/ref_ops.c, written the way legacy
 * code is written. One source, compiled four times under different names
 * (-Dsbs_NAME=PREFIXNAME, see run.sh): -O2 and -O3 -march=native, each
 * without and with -fopenmp; and translated by daec as it is.
 *
 * SBS_PARALLEL_FOR is the "#pragma omp parallel for" a user would put over
 * the outer loop. It expands to nothing unless the file is compiled with
 * -fopenmp, so daec (which parses it without) sees the plain legacy loop.
 * The inner loop variables are declared inside the outer loop because the
 * OpenMP version needs them private to each thread.
 *
 * sbs_embedding_bag_sum: EmbeddingBag, mode "sum". table is num_rows x dim
 *   floats, row-major; bag b owns indices[offsets[b]] .. indices[offsets[b+1]-1];
 *   out[b * dim + d] = sum over the bag, in bag order, of table[idx * dim + d].
 *
 * sbs_csr_spmm: Y = A * X, A sparse n_rows x n_cols in CSR (row_ptr with
 *   n_rows + 1 entries, col_idx, vals; vals may be NULL: every edge weighs 1),
 *   X dense n_cols x F, row-major; Y is n_rows x F and is overwritten.
 */
#include <stddef.h>
#include <stdint.h>

#ifdef _OPENMP
#define SBS_PARALLEL_FOR _Pragma("omp parallel for")
#else
#define SBS_PARALLEL_FOR
#endif

void sbs_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                           float *out)
{
	int64_t b;

	SBS_PARALLEL_FOR
	for (b = 0; b < num_bags; b++) {
		int64_t j, d;
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

void sbs_csr_spmm(int64_t n_rows, int64_t n_cols, int64_t F, const int64_t *row_ptr,
                  const int32_t *col_idx, const float *vals, const float *X, float *Y)
{
	int64_t i;

	SBS_PARALLEL_FOR
	for (i = 0; i < n_rows; i++) {
		int64_t e, f;
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
