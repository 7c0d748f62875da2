// daec-expect: SparseLengthsSumKernel decoupled op~=sparse-lengths
//
// Caffe2-style SparseLengthsSum: segment s takes the next lengths[s]
// indices, consumed through a running cursor that lives across segments.
// Returns false (0) as soon as an index is out of range, like the operator's
// enforce; the segments done so far are complete.

#include <stddef.h>
#include <stdint.h>

int SparseLengthsSumKernel(size_t block_size, size_t output_size,
                           size_t index_size, size_t data_size,
                           const float* input, const int64_t* indices,
                           const int* lengths, float* out) {
  size_t current = 0;
  for (size_t m = 0; m < output_size; m += 1) {
    for (size_t k = 0; k < block_size; k += 1) {
      out[m * block_size + k] = 0.f;
    }
    for (int i = 0; i < lengths[m]; i += 1) {
      if (current >= index_size) {
        return 0;
      }
      int64_t idx = indices[current];
      if (idx < 0 || (size_t)idx >= data_size) {
        return 0;
      }
      for (size_t k = 0; k < block_size; k += 1) {
        out[m * block_size + k] += input[(size_t)idx * block_size + k];
      }
      current += 1;
    }
  }
  return current == index_size;
}
