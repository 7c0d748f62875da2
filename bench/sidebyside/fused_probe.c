/*
 * fused_probe.c - can an embedding bag that stores its sums reach the gather
 * limit of limit.c on this machine? A probe, not part of run.sh or ctest.
 *
 * Prints, for prefetch distances 16 to 128 lookups (into L2, prefetcht1),
 * the median time of two loops over the same data on 2 threads:
 *  - limit: the gather limit's loop (limit.c): prefetch the row `dist`
 *    lookups ahead, add the row into four vector registers, store nothing;
 *  - fused: an embedding bag written as one software-pipelined loop: the
 *    same prefetch, over the flat index array, and each bag's sum kept in
 *    registers and stored to out at the end of the bag.
 * The data is the side-by-side benchmark's 1 GiB shape: 64-float rows,
 * 32768 bags of 40 uniform indices, the table on 2 MiB pages where the
 * kernel gives them (madvise).
 *
 *   gcc -O3 -march=native -fopenmp bench/sidebyside/fused_probe.c -o /tmp/fused_probe
 *   /tmp/fused_probe [reps]
 *
 * What it showed (session 7, 2 vCPUs): the fused loop at 95-105% of the
 * limit in each round; see README.md, "What separates the lanes row from the
 * limit".
 */
#define _GNU_SOURCE
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#define D 64 /* floats per row: four 64-byte lines */

typedef float vf __attribute__((vector_size(64)));

static inline vf ld(const float *p)
{
	vf v;
	memcpy(&v, p, sizeof(v));
	return v;
}

static inline void st(float *p, vf v)
{
	memcpy(p, &v, sizeof(v));
}

static inline void prefetch_row(const float *row)
{
	for (int k = 0; k < D / 16; k++)
		__builtin_prefetch((const char *)row + 64 * k, 0, 2);
}

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static float limit_walk(const float *T, const int64_t *ix, int64_t lo, int64_t hi, int64_t dist)
{
	vf a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
	float s = 0;

	for (int64_t i = lo; i < hi; i++) {
		const float *r = T + ix[i] * D;
		if (i + dist < hi)
			prefetch_row(T + ix[i + dist] * D);
		a0 += ld(r);
		a1 += ld(r + 16);
		a2 += ld(r + 32);
		a3 += ld(r + 48);
	}
	a0 += a1 + a2 + a3;
	for (int d = 0; d < 16; d++)
		s += a0[d];
	return s;
}

static void fused_bags(const float *T, const int64_t *ix, const int64_t *off, int64_t b0,
                       int64_t b1, float *out, int64_t dist)
{
	const int64_t hi = off[b1];

	for (int64_t b = b0; b < b1; b++) {
		vf a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
		for (int64_t j = off[b]; j < off[b + 1]; j++) {
			const float *r = T + ix[j] * D;
			if (j + dist < hi)
				prefetch_row(T + ix[j + dist] * D);
			a0 += ld(r);
			a1 += ld(r + 16);
			a2 += ld(r + 32);
			a3 += ld(r + 48);
		}
		st(out + b * D, a0);
		st(out + b * D + 16, a1);
		st(out + b * D + 32, a2);
		st(out + b * D + 48, a3);
	}
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const int64_t rows = ((int64_t)1 << 30) / (D * 4), nb = 32768, pool = 40, n = nb * pool;
	const int64_t dists[] = {16, 32, 64, 128};
	const int reps = argc > 1 ? atoi(argv[1]) : 7;
	const size_t tb = (size_t)rows * D * sizeof(float);
	float *T = mmap(NULL, tb, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int64_t *ix = malloc((size_t)n * sizeof(*ix)),
	        *off = malloc((size_t)(nb + 1) * sizeof(*off));
	float *out = aligned_alloc(64, (size_t)nb * D * sizeof(float));
	double tl[4][64], tf[4][64];
	uint64_t x = 88172645463325252ull;
	volatile float sink = 0;

	if (T == MAP_FAILED || !ix || !off || !out || reps < 1 || reps > 64) {
		fprintf(stderr, "fused_probe: out of memory, or reps not 1-64\n");
		return 1;
	}
	madvise(T, tb, MADV_HUGEPAGE);
	for (size_t i = 0; i < (size_t)rows * D; i++)
		T[i] = (float)(i % 1000) * 0.001f;
	for (int64_t i = 0; i < n; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		ix[i] = (int64_t)(x % (uint64_t)rows);
	}
	for (int64_t b = 0; b <= nb; b++)
		off[b] = b * pool;
	for (int r = 0; r < reps; r++) {
		for (int di = 0; di < 4; di++) {
			const int64_t dist = dists[di];
			double t0 = now_s(), t1, t2;
#pragma omp parallel num_threads(2)
			{
				int t = omp_get_thread_num();
				float s = limit_walk(T, ix, n * t / 2, n * (t + 1) / 2, dist);
#pragma omp atomic
				sink += s;
			}
			t1 = now_s();
#pragma omp parallel num_threads(2)
			{
				int t = omp_get_thread_num();
				fused_bags(T, ix, off, nb * t / 2, nb * (t + 1) / 2, out, dist);
			}
			t2 = now_s();
			tl[di][r] = t1 - t0;
			tf[di][r] = t2 - t1;
		}
	}
	printf("2 threads, medians of %d rounds (ms)\n", reps);
	for (int di = 0; di < 4; di++) {
		qsort(tl[di], (size_t)reps, sizeof(double), cmp);
		qsort(tf[di], (size_t)reps, sizeof(double), cmp);
		printf("prefetch %3lld ahead: limit %6.2f  fused bag %6.2f  fused at %3.0f%% of "
		       "the "
		       "limit\n",
		       (long long)dists[di], tl[di][reps / 2] * 1e3, tf[di][reps / 2] * 1e3,
		       100.0 * tl[di][reps / 2] / tf[di][reps / 2]);
	}
	return 0;
}
