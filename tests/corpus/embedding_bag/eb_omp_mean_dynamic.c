// daec-expect: EmbeddingBagMeanForward decoupled op~=mean todo: OpenMP parallel loops are declined until libdae runs lanes (one access/execute pair per thread)
//
// Mean pooling, OpenMP with a dynamic schedule and loop-local declarations.
// int indices, int64 offsets (num_bags + 1 of them).

#include <stdint.h>

void EmbeddingBagMeanForward(const float* __restrict weight, int embedding_dim,
                             const int* __restrict indices,
                             const int64_t* __restrict offsets, int num_bags,
                             float* __restrict output) {
#pragma omp parallel for schedule(dynamic, 4)
  for (int bag = 0; bag < num_bags; ++bag) {
    const int64_t first = offsets[bag];
    const int64_t last = offsets[bag + 1];
    float* dst = output + (int64_t)bag * embedding_dim;
    for (int e = 0; e < embedding_dim; ++e) dst[e] = 0.0f;
    for (int64_t k = first; k < last; ++k) {
      const float* src = weight + (int64_t)indices[k] * embedding_dim;
      for (int e = 0; e < embedding_dim; ++e) dst[e] += src[e];
    }
    if (last > first) {
      const float count = (float)(last - first);
      for (int e = 0; e < embedding_dim; ++e) dst[e] /= count;
    }
  }
}
