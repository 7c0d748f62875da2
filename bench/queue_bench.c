/* Throughput of struct dae_queue: one producer thread pushes words as fast
 * as it can, the main thread pops them, and the rate is words per second
 * through the queue (push and pop of each word counted once).
 *
 * Not a test and not built by CMake. Build and run against a build tree:
 *
 *   cc -O2 -Iinclude bench/queue_bench.c -Lbuild-r/runtime -Wl,-rpath,$PWD/build-r/runtime \
 *      -ldae -pthread -o /tmp/queue_bench
 *   /tmp/queue_bench [capacity_words [million_words [repeats]]]
 *
 * Pinning the two threads to distinct cores (taskset -c 0,1) gives steadier
 * numbers; on a machine with fewer free cores than 2 the waits sleep and the
 * rate collapses, which is the point of the spin-then-sleep design. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "dae/queue.h"

struct producer {
	struct dae_queue *q;
	uint64_t words;
};

static void *produce(void *p)
{
	struct producer *pr = p;

	for (uint64_t i = 0; i < pr->words; i++)
		dae_queue_push(pr->q, i);
	dae_queue_flush(pr->q);
	return NULL;
}

static double seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

int main(int argc, char **argv)
{
	size_t capacity = argc > 1 ? strtoull(argv[1], NULL, 0) : 4096;
	uint64_t words = (argc > 2 ? strtoull(argv[2], NULL, 0) : 100) * 1000000u;
	int repeats = argc > 3 ? atoi(argv[3]) : 3;

	for (int r = 0; r < repeats; r++) {
		struct dae_queue q;
		struct producer pr = {&q, words};
		pthread_t thread;
		uint64_t sum = 0;
		double t0, t1;
		int err = dae_queue_init(&q, capacity);

		if (err) {
			fprintf(stderr, "dae_queue_init: %d\n", err);
			return 1;
		}
		t0 = seconds();
		if (pthread_create(&thread, NULL, produce, &pr)) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
		for (uint64_t i = 0; i < words; i++)
			sum += dae_queue_pop(&q);
		t1 = seconds();
		pthread_join(thread, NULL);
		/* The sum keeps the pops from being optimised away and
		 * doubles as a cheap integrity check. */
		if (sum != words * (words - 1) / 2) {
			fprintf(stderr, "lost or reordered words\n");
			return 1;
		}
		printf("capacity %zu words: %llu words in %.3f s = %.1f Mwords/s\n",
		       (size_t)(q.mask + 1), (unsigned long long)words, t1 - t0,
		       (double)words / (t1 - t0) / 1e6);
		dae_queue_exit(&q);
	}
	return 0;
}
