// daec-expect: embedding_bag_sum_nolast decoupled op~=sum
//
// EmbeddingBag with include_last_offset=False (the PyTorch default): offsets
// has exactly B entries, the last bag runs to the end of the index array.

#include <stdint.h>

void embedding_bag_sum_nolast(const float* W, int64_t D,
                              const int64_t* indices, int64_t num_indices,
                              const int64_t* offsets, int64_t B,
                              float* Y) {
  for (int64_t b = 0; b < B; ++b) {
    const int64_t begin = offsets[b];
    const int64_t end = (b + 1 < B) ? offsets[b + 1] : num_indices;
    for (int64_t d = 0; d < D; ++d) {
      Y[b * D + d] = 0;
    }
    for (int64_t i = begin; i < end; ++i) {
      const int64_t ix = indices[i];
      for (int64_t d = 0; d < D; ++d) {
        Y[b * D + d] += W[ix * D + d];
      }
    }
  }
}
