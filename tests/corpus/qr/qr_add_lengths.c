// daec-expect: QRSparseLengthsSum decoupled op~=qr
//
// Quotient-remainder lookup combined by addition, segments given by lengths
// (SparseLengthsSum layout) and int32 ids.

#include <stdint.h>

void QRSparseLengthsSum(const float* q_table, const float* r_table,
                        int32_t num_collisions, int32_t block,
                        const int32_t* ids, const int32_t* lengths,
                        int32_t num_segments, float* out) {
  int32_t pos = 0;
  for (int32_t s = 0; s < num_segments; ++s) {
    float* o = out + (int64_t)s * block;
    for (int32_t k = 0; k < block; ++k) o[k] = 0.0f;
    for (int32_t i = 0; i < lengths[s]; ++i) {
      const int32_t id = ids[pos];
      const float* qrow = q_table + (int64_t)(id / num_collisions) * block;
      const float* rrow = r_table + (int64_t)(id % num_collisions) * block;
      for (int32_t k = 0; k < block; ++k) o[k] += qrow[k] + rrow[k];
      ++pos;
    }
  }
}
