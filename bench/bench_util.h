/* bench/bench_util.h - what the benchmark programs share: a fast generator
 * for uniform indices, a random permutation, a monotonic clock, a
 * comparison for medians.
 * Header-only: each benchmark is one program. */
#ifndef BENCH_UTIL_H
#define BENCH_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

/* xorshift64*: fast and good enough for uniform indices. */
static inline uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1du;
}

/* ord = a random permutation of 0 .. n - 1 (Fisher-Yates), e.g. the order
 * of a pointer chase's random cycle. */
static inline void shuffle_u32(uint32_t *ord, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ord[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng() % (i + 1);
		uint32_t t = ord[i];

		ord[i] = ord[j];
		ord[j] = t;
	}
}

static inline double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* For qsort of doubles (medians). */
static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

#endif
