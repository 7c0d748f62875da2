/* Time per call of small embedding bags: samples/embedding_bag_sum.c
 * against daec's translation of it, called many times with a few bags each,
 * to see what dae_run adds to a call that has little work to hide.
 *
 * Not a test and not built by CMake. Build against a build tree whose
 * differential tests are built (cmake --build build):
 *
 *   cc -O2 -ffp-contract=off -Dembedding_bag_sum=orig_embedding_bag_sum \
 *      -c samples/embedding_bag_sum.c -o /tmp/orig.o
 *   cc -O2 -ffp-contract=off -Dembedding_bag_sum=dae_embedding_bag_sum -Iinclude \
 *      -c build/tests/diff/embedding_bag_sum.dae.c -o /tmp/dae.o
 *   cc -O2 bench/small_calls.c /tmp/orig.o /tmp/dae.o build/runtime/libdae.a -pthread \
 *      -o /tmp/small_calls
 *   DAE_MODE=inline /tmp/small_calls [table_mib [bags_per_call [calls [hot]]]]
 *
 * Defaults: 16 MiB table, 1 bag of 40 lookups per call, 20000 calls. With
 * hot = 1 every call sums the same bag, so its rows stay in cache (the worst
 * case for dae_run: nothing to hide); otherwise every call has new indices.
 * Prints the best of 3 rounds, in microseconds per call. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

void orig_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                            float *out);
void dae_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                           float *out);

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	int64_t mib = argc > 1 ? atoll(argv[1]) : 16;
	int64_t bags = argc > 2 ? atoll(argv[2]) : 1;
	int64_t calls = argc > 3 ? atoll(argv[3]) : 20000;
	int hot = argc > 4 ? atoi(argv[4]) : 0;
	int64_t dim = 64, pool = 40, rows, n, per_call;
	double best_orig = 1e30, best_dae = 1e30;
	uint64_t x = 88172645463325252ull;
	int64_t *indices, *offsets;
	float *table, *out;

	if (mib < 1 || bags < 1 || calls < 1)
		return 2;
	rows = mib * 1024 * 1024 / (int64_t)(sizeof(float) * dim);
	per_call = bags * pool;
	n = hot ? per_call : calls * per_call;
	table = malloc(sizeof(float) * (size_t)(rows * dim));
	indices = malloc(sizeof(int64_t) * (size_t)n);
	offsets = malloc(sizeof(int64_t) * (size_t)(bags + 1));
	out = malloc(sizeof(float) * (size_t)(bags * dim));
	if (!table || !indices || !offsets || !out)
		return 1;
	for (int64_t i = 0; i < rows * dim; i++)
		table[i] = (float)(i & 7);
	for (int64_t i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		indices[i] = (int64_t)(x % (uint64_t)rows);
	}
	for (int64_t b = 0; b <= bags; b++)
		offsets[b] = b * pool;

	for (int round = 0; round < 3; round++) {
		double t0 = seconds(), t1, t2;

		for (int64_t c = 0; c < calls; c++)
			orig_embedding_bag_sum(table, rows, dim, indices + (hot ? 0 : c * per_call),
			                       offsets, bags, out);
		t1 = seconds();
		for (int64_t c = 0; c < calls; c++)
			dae_embedding_bag_sum(table, rows, dim, indices + (hot ? 0 : c * per_call),
			                      offsets, bags, out);
		t2 = seconds();
		if (t1 - t0 < best_orig)
			best_orig = t1 - t0;
		if (t2 - t1 < best_dae)
			best_dae = t2 - t1;
	}
	printf("table %lld MiB, %lld bag(s) per call%s: orig %.2f us, dae %.2f us, added %.2f us\n",
	       (long long)mib, (long long)bags, hot ? " (hot)" : "", best_orig / calls * 1e6,
	       best_dae / calls * 1e6, (best_dae - best_orig) / calls * 1e6);
	return 0;
}
