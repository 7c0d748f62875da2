/* What dae_run itself costs: the time of one call of a program whose access
 * side pushes N one-word items (0: nothing) and whose execute side pops
 * them, in the mode DAE_MODE selects, and for the inline mode the cost of one
 * switch between the two sides (DAE_INLINE_WORDS=2 makes them switch at
 * every word).
 *
 * Not a test and not built by CMake. Build and run against a build tree:
 *
 *   cc -O2 -Iinclude bench/run_overhead.c build/runtime/libdae.a -pthread \
 *      -o /tmp/run_overhead
 *   DAE_MODE=inline /tmp/run_overhead [items [calls]]
 *   DAE_MODE=threads /tmp/run_overhead [items [calls]]
 *
 * Prints the best and the median of 5 batches of calls, in ns per call and
 * per item. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dae/dae.h"

struct job {
	long items;
	uint64_t sum;
};

static void access_side(struct dae_queue *q, void *arg)
{
	struct job *j = arg;

	for (long i = 0; i < j->items; i++)
		dae_queue_push_u64(q, (uint64_t)i + 1);
}

static void execute_side(struct dae_queue *q, void *arg)
{
	struct job *j = arg;
	uint64_t w;

	while ((w = dae_queue_pop(q)) != DAE_TOKEN_DONE)
		j->sum += w;
}

static const struct dae_program prog = {"overhead", access_side, execute_side};

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	long items = argc > 1 ? atol(argv[1]) : 0;
	long calls = argc > 2 ? atol(argv[2]) : 100000;
	enum dae_mode mode = dae_run_mode_resolve(dae_run_mode_get());
	double ns[5];
	struct job j = {.items = items};

	if (calls < 1)
		calls = 1;
	/* Warm-up: the first call creates the worker or the stack. */
	for (long c = 0; c < 1000; c++)
		dae_run(&prog, &j);
	for (int b = 0; b < 5; b++) {
		double t0 = seconds();

		for (long c = 0; c < calls; c++) {
			if (dae_run(&prog, &j)) {
				fprintf(stderr, "run_overhead: dae_run failed\n");
				return 1;
			}
		}
		ns[b] = (seconds() - t0) * 1e9 / (double)calls;
	}
	qsort(ns, 5, sizeof(ns[0]), cmp);
	printf("mode %s items %ld: best %.1f ns/call, median %.1f ns/call",
	       mode == DAE_MODE_INLINE ? "inline" : "threads", items, ns[0], ns[2]);
	if (items > 0)
		printf(", best %.2f ns/item", ns[0] / (double)items);
	printf(" (checksum %llu)\n", (unsigned long long)j.sum);
	return 0;
}
