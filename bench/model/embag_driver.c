/* bench/model/embag_driver.c - one embedding-bag shape, for the timing
 * model's benchmarks (bench/model/*.sh).
 *
 * Linked with samples/embedding_bag_sum.c compiled as orig_embedding_bag_sum
 * and with daec's translation of it compiled with -DDAE_TRACE as
 * dae_embedding_bag_sum. It builds a table of ROWS x DIM floats (on 2 MiB
 * pages where the kernel gives them) and BAGS bags of POOL uniform random
 * indices, then
 *   --time N   times N calls of the original (after one warm-up call) and
 *              prints the median seconds per call;
 *   --model N  makes N calls of the traced translation, whose trace libdae
 *              feeds to its timing model (DAE_MACHINE, DAE_MODEL_OUT), and
 *              checks that it computed the original's result bit for bit.
 * Both may be given; the original runs first. Prints one JSON object. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../bench_util.h"

void orig_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                            float *out);
void dae_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                           const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                           float *out);

static void *big_alloc(size_t bytes)
{
	size_t huge = (size_t)2 << 20;
	size_t len = (bytes + huge - 1) / huge * huge;
	void *p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	madvise(p, len, MADV_HUGEPAGE);
	return p;
}

static void usage(void)
{
	fprintf(stderr, "usage: embag_driver --rows R --dim D --pool P --bags B [--seed S] "
	                "[--time N] [--model N]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	int64_t rows = 0, dim = 0, pool = 0, bags = 0;
	int time_calls = 0, model_calls = 0;
	uint64_t seed = 1;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc)
			usage();
		const char *k = argv[i], *v = argv[++i];
		long long n = strtoll(v, NULL, 10);
		if (!strcmp(k, "--rows"))
			rows = n;
		else if (!strcmp(k, "--dim"))
			dim = n;
		else if (!strcmp(k, "--pool"))
			pool = n;
		else if (!strcmp(k, "--bags"))
			bags = n;
		else if (!strcmp(k, "--seed"))
			seed = (uint64_t)n;
		else if (!strcmp(k, "--time"))
			time_calls = (int)n;
		else if (!strcmp(k, "--model"))
			model_calls = (int)n;
		else
			usage();
	}
	if (rows <= 0 || dim <= 0 || pool < 0 || bags <= 0)
		usage();
	rng_state ^= seed * 0x100000001b3u;

	size_t tbytes = (size_t)rows * (size_t)dim * sizeof(float);
	float *table = big_alloc(tbytes);
	for (size_t i = 0; i < (size_t)rows * (size_t)dim; i++)
		table[i] = (float)(i % 1021) * 0.001f;
	int64_t lookups = bags * pool;
	int64_t *indices = big_alloc(sizeof(int64_t) * (size_t)(lookups ? lookups : 1));
	int64_t *offsets = big_alloc(sizeof(int64_t) * (size_t)(bags + 1));
	for (int64_t j = 0; j < lookups; j++)
		indices[j] = (int64_t)(rng() % (uint64_t)rows);
	for (int64_t b = 0; b <= bags; b++)
		offsets[b] = b * pool;
	size_t obytes = sizeof(float) * (size_t)(bags * dim);
	float *out = big_alloc(obytes);
	float *ref = big_alloc(obytes);

	printf("{\"rows\": %" PRId64 ", \"dim\": %" PRId64 ", \"pool\": %" PRId64
	       ", \"bags\": %" PRId64 ", \"table_bytes\": %zu",
	       rows, dim, pool, bags, tbytes);
	orig_embedding_bag_sum(table, rows, dim, indices, offsets, bags, ref);
	if (time_calls > 0) {
		double *t = calloc((size_t)time_calls, sizeof(double));
		for (int c = 0; c < time_calls; c++) {
			double t0 = now_s();
			orig_embedding_bag_sum(table, rows, dim, indices, offsets, bags, out);
			t[c] = now_s() - t0;
		}
		qsort(t, (size_t)time_calls, sizeof(double), cmp_double);
		printf(", \"orig_seconds\": %.6g, \"orig_seconds_min\": %.6g, "
		       "\"orig_seconds_max\": %.6g",
		       t[time_calls / 2], t[0], t[time_calls - 1]);
		free(t);
	}
	if (model_calls > 0) {
		int same = 1;
		for (int c = 0; c < model_calls; c++) {
			memset(out, 0xff, obytes);
			dae_embedding_bag_sum(table, rows, dim, indices, offsets, bags, out);
			same = same && memcmp(out, ref, obytes) == 0;
		}
		printf(", \"model_calls\": %d, \"identical\": %s", model_calls,
		       same ? "true" : "false");
		if (!same) {
			printf("}\n");
			fprintf(stderr, "embag_driver: the traced translation computed a "
			                "different result\n");
			return 1;
		}
	}
	printf("}\n");
	return 0;
}
