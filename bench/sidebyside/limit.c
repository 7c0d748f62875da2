/*
 * limit.c - the random-gather limit of the side-by-side benchmark: how many
 * bytes of randomly chosen rows per second the cores can bring in when
 * nothing else is done with them. Each thread reads its share of the indices
 * in order, prefetches the row `dist` lookups ahead (every cache line of it)
 * and adds the row into vector registers, so the only traffic is the rows
 * and the index stream: what an embedding bag cannot beat. sidebyside.c
 * tries several distances, prefetching into L1 (prefetcht0) or into L2 only
 * (prefetcht1), and keeps the best: on this machine's cores the L2 hint
 * measured about 20% faster at 1 GiB (probably because a prefetch into L1
 * holds one of the core's few L1 miss buffers for the whole trip to DRAM).
 * Compiled with
 * the second flag set (-O3 -march=native) and -fopenmp.
 */
#include <omp.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sidebyside.h"

#define SBS_VL 16 /* floats per vector: one cache line */

typedef float sbs_vf __attribute__((vector_size(SBS_VL * sizeof(float))));

static inline sbs_vf sbs_ld(const float *p)
{
	sbs_vf v;
	memcpy(&v, p, sizeof(v));
	return v;
}

/* Inlined into each branch of sbs_gather_limit with one of idx64 / idx32
 * NULL and to_l2 constant, so the index width and the prefetch hint are
 * decided once, not per lookup. Four
 * accumulators, so that cache-resident tables are not limited by the
 * latency of one chain of additions. */
static inline __attribute__((always_inline)) float sbs_walk(const float *table, int64_t dim,
                                                            const int64_t *idx64,
                                                            const int32_t *idx32, int64_t lo,
                                                            int64_t hi, int64_t dist, int to_l2)
{
	const size_t row_bytes = (size_t)dim * sizeof(float);
	sbs_vf a0 = {0.0f}, a1 = {0.0f}, a2 = {0.0f}, a3 = {0.0f};
	float s = 0.0f;
	int64_t i, d;

	for (i = lo; i < hi; i++) {
		const float *r = table + (idx64 ? idx64[i] : idx32[i]) * dim;
		if (i + dist < hi) {
			const char *p =
			        (const char *)(table +
			                       (idx64 ? idx64[i + dist] : idx32[i + dist]) * dim);
			const char *end = p + row_bytes;
			for (p -= (uintptr_t)p & 63u; p < end; p += 64) {
				if (to_l2)
					__builtin_prefetch(p, 0, 2);
				else
					__builtin_prefetch(p, 0, 3);
			}
		}
		for (d = 0; d + 4 * SBS_VL <= dim; d += 4 * SBS_VL) {
			a0 += sbs_ld(r + d);
			a1 += sbs_ld(r + d + SBS_VL);
			a2 += sbs_ld(r + d + 2 * SBS_VL);
			a3 += sbs_ld(r + d + 3 * SBS_VL);
		}
		for (; d + SBS_VL <= dim; d += SBS_VL)
			a0 += sbs_ld(r + d);
		for (; d < dim; d++)
			s += r[d];
	}
	a0 += a1 + a2 + a3;
	for (d = 0; d < SBS_VL; d++)
		s += a0[d];
	return s;
}

float sbs_gather_limit(const float *table, int64_t dim, const int64_t *idx64, const int32_t *idx32,
                       int64_t n, int threads, int64_t dist, int to_l2)
{
	float total = 0.0f;

#pragma omp parallel num_threads(threads) reduction(+ : total)
	{
		const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
		const int64_t lo = n * t / nt, hi = n * (t + 1) / nt;

		if (idx64 != NULL && to_l2)
			total += sbs_walk(table, dim, idx64, NULL, lo, hi, dist, 1);
		else if (idx64 != NULL)
			total += sbs_walk(table, dim, idx64, NULL, lo, hi, dist, 0);
		else if (to_l2)
			total += sbs_walk(table, dim, NULL, idx32, lo, hi, dist, 1);
		else
			total += sbs_walk(table, dim, NULL, idx32, lo, hi, dist, 0);
	}
	return total;
}

/* One bag's rows summed in nv vectors (nv = dim / SBS_VL, a constant once
 * inlined), each row's successor `dist` lookups ahead prefetched into L2
 * as the limit does; the sums start at 0 and add the rows in order, so
 * each element is the original's. */
static inline __attribute__((always_inline)) void sbs_bag_rows(const float *table, int64_t dim,
                                                               const int64_t *idx, int64_t j,
                                                               int64_t jend, int64_t last,
                                                               int64_t dist, float *out, int nv)
{
	sbs_vf acc[8] = {{0.0f}};
	const size_t row_bytes = (size_t)dim * sizeof(float);
	int v;

	for (; j < jend; j++) {
		const float *r = table + idx[j] * dim;
		if (j + dist < last) {
			const char *p = (const char *)(table + idx[j + dist] * dim);
			const char *end = p + row_bytes;
			for (p -= (uintptr_t)p & 63u; p < end; p += 64)
				__builtin_prefetch(p, 0, 2);
		}
		for (v = 0; v < nv; v++)
			acc[v] += sbs_ld(r + v * SBS_VL);
	}
	for (v = 0; v < nv; v++)
		memcpy(out + v * SBS_VL, &acc[v], sizeof(acc[v]));
}

int sbs_bag_prefetched(const float *table, int64_t dim, const int64_t *idx, const int64_t *offsets,
                       int64_t nb, float *out, int threads, int64_t dist)
{
	if (dim != SBS_VL && dim != 2 * SBS_VL && dim != 4 * SBS_VL && dim != 8 * SBS_VL)
		return -1;
#pragma omp parallel num_threads(threads)
	{
		const int64_t t = omp_get_thread_num(), nt = omp_get_num_threads();
		const int64_t lo = nb * t / nt, hi = nb * (t + 1) / nt;
		const int64_t last = offsets[hi];
		int64_t b;

		for (b = lo; b < hi; b++) {
			float *o = out + b * dim;
			if (dim == SBS_VL)
				sbs_bag_rows(table, dim, idx, offsets[b], offsets[b + 1], last,
				             dist, o, 1);
			else if (dim == 2 * SBS_VL)
				sbs_bag_rows(table, dim, idx, offsets[b], offsets[b + 1], last,
				             dist, o, 2);
			else if (dim == 4 * SBS_VL)
				sbs_bag_rows(table, dim, idx, offsets[b], offsets[b + 1], last,
				             dist, o, 4);
			else
				sbs_bag_rows(table, dim, idx, offsets[b], offsets[b + 1], last,
				             dist, o, 8);
		}
	}
	return 0;
}
