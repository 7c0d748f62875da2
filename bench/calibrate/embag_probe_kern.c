/*
 * embag_probe_kern.c - variants of samples/embedding_bag_sum.c's loop for
 * bench/calibrate/embag_probe.c, compiled on their own (gcc -O2 by
 * embag_probe.sh) so that dim stays a run-time value, as in the sample. Each
 * has the sample's signature; what a variant computes differs (it is timed,
 * not checked), what it loads and stores is the point:
 *   B   sums into a local float acc[] and stores out once per bag;
 *   E   the sample with restrict on table and out;
 *   L   loads every element of a row into 8 scalar register sums: the
 *       sample's 64 loads per lookup without its 64 stores;
 *   C   one element per row (one line per lookup);
 *   D   one element per 64-byte line (4 loads per lookup at dim 64);
 *   CS  one table load per row and the sample's dim load-add-stores of out;
 *   G   the sample with every line of the next lookup's row prefetched;
 *   G8  the same 8 lookups ahead;
 *   V   dim 16 or 64 only: SSE sums kept in registers, one 16-byte load per
 *       4 elements, no stores until the end of the bag;
 *   S   the sample whose next row's address waits for element 18 of the row
 *       before (an opaque zero times its bits): the serialisation the
 *       46-store window imposes (the next row's first store needs the
 *       previous row's store 64 - 46 = 18), made a true dependence;
 *   R   not an embedding bag: one dependent load per lookup, of a line of the
 *       table drawn at random (with replacement) from a hash of the value
 *       the previous load read. Its time per load is the latency a random
 *       access over the whole table sees, hits and misses mixed as they are
 *       for the embedding bag's uniform rows, where a pointer chase's cycle
 *       (each line once a lap) hits only if its lap fits the caches.
 */
#include <stdint.h>
#include <string.h>
#include <xmmintrin.h>

#define KERN(name)                                                                                 \
	void name(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,       \
	          const int64_t *offsets, int64_t num_bags, float *out)

KERN(embag_B)
{
	float acc[256];

	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			acc[d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];

			for (int64_t d = 0; d < dim; d++)
				acc[d] += table[idx * dim + d];
		}
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = acc[d];
	}
}

void embag_E(const float *restrict table, int64_t num_rows, int64_t dim,
             const int64_t *restrict indices, const int64_t *restrict offsets, int64_t num_bags,
             float *restrict out)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];

			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

KERN(embag_L)
{
	for (int64_t b = 0; b < num_bags; b++) {
		float s[8] = {0};

		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *r = table + indices[j] * dim;

			for (int64_t d = 0; d + 8 <= dim; d += 8) {
				s[0] += r[d];
				s[1] += r[d + 1];
				s[2] += r[d + 2];
				s[3] += r[d + 3];
				s[4] += r[d + 4];
				s[5] += r[d + 5];
				s[6] += r[d + 6];
				s[7] += r[d + 7];
			}
		}
		for (int d = 0; d < 8 && d < dim; d++)
			out[b * dim + d] = s[d];
	}
}

/* step elements apart, from the first: C with step = dim, D with step 16. */
static inline __attribute__((always_inline)) void strided(const float *table, int64_t dim,
                                                          const int64_t *indices,
                                                          const int64_t *offsets, int64_t num_bags,
                                                          float *out, int64_t step)
{
	for (int64_t b = 0; b < num_bags; b++) {
		float s = 0.0f;

		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *r = table + indices[j] * dim;

			for (int64_t d = 0; d < dim; d += step)
				s += r[d];
		}
		out[b * dim] = s;
	}
}

KERN(embag_C)
{
	strided(table, dim, indices, offsets, num_bags, out, dim);
}

KERN(embag_D)
{
	strided(table, dim, indices, offsets, num_bags, out, 16);
}

KERN(embag_CS)
{
	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			float t = table[indices[j] * dim];

			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += t;
		}
	}
}

static inline __attribute__((always_inline)) void
prefetched(const float *table, int64_t dim, const int64_t *indices, const int64_t *offsets,
           int64_t num_bags, float *out, int64_t ahead)
{
	int64_t n = offsets[num_bags];

	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			int64_t idx = indices[j];

			if (j + ahead < n) {
				const char *p = (const char *)(table + indices[j + ahead] * dim);

				for (int64_t o = 0; o < dim * 4; o += 64)
					__builtin_prefetch(p + o);
			}
			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}

KERN(embag_G)
{
	prefetched(table, dim, indices, offsets, num_bags, out, 1);
}

KERN(embag_G8)
{
	prefetched(table, dim, indices, offsets, num_bags, out, 8);
}

static inline __attribute__((always_inline)) void vec(const float *table, const int64_t *indices,
                                                      const int64_t *offsets, int64_t num_bags,
                                                      float *out, int nv)
{
	for (int64_t b = 0; b < num_bags; b++) {
		__m128 acc[16];

#pragma GCC unroll 16
		for (int v = 0; v < nv; v++)
			acc[v] = _mm_setzero_ps();
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			const float *r = table + indices[j] * (int64_t)(nv * 4);

#pragma GCC unroll 16
			for (int v = 0; v < nv; v++)
				acc[v] = _mm_add_ps(acc[v], _mm_loadu_ps(r + 4 * v));
		}
#pragma GCC unroll 16
		for (int v = 0; v < nv; v++)
			_mm_storeu_ps(out + b * nv * 4 + 4 * v, acc[v]);
	}
}

KERN(embag_V)
{
	if (dim == 64)
		vec(table, indices, offsets, num_bags, out, 16);
	else if (dim == 16)
		vec(table, indices, offsets, num_bags, out, 4);
}

KERN(embag_R)
{
	uint64_t lines = (uint64_t)num_rows * (uint64_t)dim / 16, x = 0x9e3779b97f4a7c15u;
	int64_t n = offsets[num_bags] - offsets[0];
	uint32_t v = 0;

	for (int64_t j = 0; j < n; j++) {
		/* The next address needs the value just loaded: one miss at a time. */
		x = (x ^ v ^ (uint64_t)j) * 0xd6e8feb86659fd93u;
		/* (x >> 32) x lines >> 32: uniform below lines, without a division. */
		memcpy(&v, &table[((x >> 32) * lines >> 32) * 16], sizeof(v));
	}
	out[0] = (float)v;
}

/* Reads as 0; the compiler cannot know. */
volatile uint32_t embag_probe_zero;

KERN(embag_S)
{
	uint32_t z = embag_probe_zero;

	for (int64_t b = 0; b < num_bags; b++) {
		for (int64_t d = 0; d < dim; d++)
			out[b * dim + d] = 0.0f;
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			uint32_t bits;

			memcpy(&bits, &out[b * dim + 18], sizeof(bits));
			int64_t idx = indices[j] + (int64_t)(bits & z);

			for (int64_t d = 0; d < dim; d++)
				out[b * dim + d] += table[idx * dim + d];
		}
	}
}
