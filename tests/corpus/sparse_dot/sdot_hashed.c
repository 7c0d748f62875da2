// daec-expect: hashed_dot decoupled op~=sparse-dot
/*
 * Dot with a hashed weight vector (the "hashing trick", as in Vowpal
 * Wabbit): the slot is computed from the feature key by multiplicative
 * hashing, so the index is an arithmetic function of the loaded key.
 */
#include <stdint.h>

float hashed_dot(const uint32_t *keys, const float *vals, int n, const float *w,
                 unsigned log2_size)
{
	float s = 0.0f;
	int i;

	for (i = 0; i < n; i++) {
		uint32_t h = keys[i] * 2654435761u;
		h >>= 32u - log2_size;
		s += vals[i] * w[h];
	}
	return s;
}
