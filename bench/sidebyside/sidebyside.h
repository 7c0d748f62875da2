/*
 * sidebyside.h - what sidebyside.c calls in the other objects of the
 * side-by-side benchmark: the gather-limit walk (limit.c) and PyTorch's
 * EmbeddingBag (torch_shim.cpp, linked only when libtorch is found). The
 * contenders' own functions are declared by bench/yardstick/ys_ops.h.
 */
#ifndef SIDEBYSIDE_H
#define SIDEBYSIDE_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The random-gather limit: `threads` threads (OpenMP), each walking its
 * contiguous share of the n lookups idx64[i] (or idx32[i] when idx64 is
 * NULL), prefetching the row `dist` lookups ahead (into L1, or into L2 only
 * when to_l2 is nonzero) and summing the dim floats of each row into
 * registers; nothing is stored per element. Returns the sum, so the loads
 * cannot be dropped. */
float sbs_gather_limit(const float *table, int64_t dim, const int64_t *idx64, const int32_t *idx32,
                       int64_t n, int threads, int64_t dist, int to_l2);

/* A yardstick between the OpenMP original and the limit: the embedding bag
 * over `threads` OpenMP threads (a contiguous share of the bags each), each
 * row of a thread's share prefetched `dist` lookups ahead into L2 and the
 * bag summed in vector registers, as the limit sums. Its results are the
 * original's, bit for bit. Returns 0, or -1 (nothing done) when dim is not
 * 16, 32, 64 or 128. */
int sbs_bag_prefetched(const float *table, int64_t dim, const int64_t *idx, const int64_t *offsets,
                       int64_t nb, float *out, int threads, int64_t dist);

const char *sbs_torch_version(void);

/* PyTorch's intra-op thread count (at::set_num_threads). */
void sbs_torch_set_threads(int threads);

/* PyTorch's EmbeddingBag, mode sum, offsets of num_bags + 1 entries starting
 * at 0 (include_last_offset), over the caller's buffers without copies.
 * Copies the result to out unless out is NULL. Returns 0, or -1 if libtorch
 * threw (the message is on stderr). */
int sbs_torch_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                                const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                                float *out);

#ifdef __cplusplus
}
#endif

#endif
