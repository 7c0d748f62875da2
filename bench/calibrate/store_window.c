/*
 * store_window.c - how many stores whose data is not there yet does one core
 * hold before it stops dispatching? The timing model's coupled.pending_stores
 * (docs/model.md). Built and run by bench/calibrate/store_window.sh:
 *
 *   store_window [--mib M] [--reps R] [--iters N]
 *
 * Two pointer chases over one line of every 256-byte row of an M MiB region
 * (default 1024; 2 MiB-aligned, MADV_HUGEPAGE), in random order, their loads
 * interleaved with n stores to an L1-resident buffer after each load:
 *
 *   a = *a; n stores; b = *b; n stores; (repeat)
 *
 * While the core holds the n stores after a and still reaches b's load, the
 * two misses overlap: one miss latency per pair. Once it cannot, b's load
 * waits for a's miss: two latencies per pair. Two series:
 *   ready    the stores' data is a register that is always there: the step
 *            is where the store buffer (or the reorder buffer) fills;
 *   pending  the stores' data is the pointer just loaded, which arrives with
 *            the miss: the step is where the stores waiting for their data
 *            fill whatever holds them. This is the embedding bag's case:
 *            gcc -O2's scalar loop stores each element's sum, which waits
 *            for the row's load.
 * Prints ns per pair for each n (median of R rounds, one sample of every n
 * per round) and, per series, the largest n before the first n that takes
 * more than 1.5 times the smallest n's time: the estimate.
 */
#define _GNU_SOURCE

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../bench_util.h"

#if !defined(__x86_64__)
#error "store_window.c times x86-64 instruction streams"
#endif

#define MIB (1024ul * 1024ul)
#define ROW 256
#define MAXREPS 31

static char buf[4096] __attribute__((aligned(64)));

/* .rept N stores to consecutive words of buf (the symbol sw_o counts the
 * offset); DATA_A / DATA_B: what is stored after a's and after b's load. */
#define STORES(N, DATA)                                                                            \
	".set sw_o, 0\n\t"                                                                         \
	".rept " #N "\n\t"                                                                         \
	"mov " DATA ", sw_o(%3)\n\t"                                                               \
	".set sw_o, sw_o + 8\n\t"                                                                  \
	".endr\n\t"

#define WINDOW_FN(KIND, N, DATA_A, DATA_B)                                                         \
	static void KIND##_##N(void **pa, void **pb, uint64_t iters)                               \
	{                                                                                          \
		void *a = *pa, *b = *pb;                                                           \
		__asm__ volatile("1:\n\t"                                                          \
		                 "mov (%0), %0\n\t" STORES(N, DATA_A) "mov (%1), %1\n\t" STORES(   \
		                         N, DATA_B) "dec %2\n\t"                                   \
		                                    "jnz 1b"                                       \
		                 : "+r"(a), "+r"(b), "+r"(iters)                                   \
		                 : "r"(buf)                                                        \
		                 : "memory", "r8");                                                \
		*pa = a;                                                                           \
		*pb = b;                                                                           \
	}

#define READY_FN(N) WINDOW_FN(ready, N, "%%r8", "%%r8")
#define PENDING_FN(N) WINDOW_FN(pending, N, "%0", "%1")

PENDING_FN(16)
PENDING_FN(32)
PENDING_FN(36)
PENDING_FN(40)
PENDING_FN(41)
PENDING_FN(42)
PENDING_FN(43)
PENDING_FN(44)
PENDING_FN(45)
PENDING_FN(46)
PENDING_FN(47)
PENDING_FN(48)
PENDING_FN(52)
PENDING_FN(56)
PENDING_FN(64)
READY_FN(16)
READY_FN(64)
READY_FN(80)
READY_FN(96)
READY_FN(100)
READY_FN(104)
READY_FN(108)
READY_FN(112)
READY_FN(116)
READY_FN(120)
READY_FN(128)
READY_FN(160)

typedef void window_fn(void **pa, void **pb, uint64_t iters);

static const struct {
	const char *series;
	int n;
	window_fn *fn;
} tests[] = {
        {"pending", 16, pending_16}, {"pending", 32, pending_32}, {"pending", 36, pending_36},
        {"pending", 40, pending_40}, {"pending", 41, pending_41}, {"pending", 42, pending_42},
        {"pending", 43, pending_43}, {"pending", 44, pending_44}, {"pending", 45, pending_45},
        {"pending", 46, pending_46}, {"pending", 47, pending_47}, {"pending", 48, pending_48},
        {"pending", 52, pending_52}, {"pending", 56, pending_56}, {"pending", 64, pending_64},
        {"ready", 16, ready_16},     {"ready", 64, ready_64},     {"ready", 80, ready_80},
        {"ready", 96, ready_96},     {"ready", 100, ready_100},   {"ready", 104, ready_104},
        {"ready", 108, ready_108},   {"ready", 112, ready_112},   {"ready", 116, ready_116},
        {"ready", 120, ready_120},   {"ready", 128, ready_128},   {"ready", 160, ready_160},
};
#define NTESTS (int)(sizeof(tests) / sizeof(tests[0]))

/* The largest n of the series before its first n above 1.5 times its
 * first n's time; 0 if there is no step. */
static int estimate(const char *series, const double *med)
{
	double base = 0;
	int last = 0;

	for (int i = 0; i < NTESTS; i++) {
		if (strcmp(tests[i].series, series))
			continue;
		if (base == 0)
			base = med[i];
		else if (med[i] > 1.5 * base)
			return last;
		last = tests[i].n;
	}
	return 0;
}

int main(int argc, char **argv)
{
	long mib = 1024, reps = 5, iters = 100000;

	for (int i = 1; i < argc; i++) {
		if (i + 1 >= argc) {
			fprintf(stderr, "usage: store_window [--mib M] [--reps R] [--iters N]\n");
			return 2;
		}
		long v = strtol(argv[i + 1], NULL, 10);

		if (!strcmp(argv[i], "--mib"))
			mib = v;
		else if (!strcmp(argv[i], "--reps"))
			reps = v;
		else if (!strcmp(argv[i], "--iters"))
			iters = v;
		else {
			fprintf(stderr, "store_window: unknown option %s\n", argv[i]);
			return 2;
		}
		i++;
	}
	if (mib < 64 || reps < 1 || reps > MAXREPS || iters < 1000) {
		fprintf(stderr,
		        "store_window: --mib at least 64, --reps 1..%d, --iters at least "
		        "1000\n",
		        MAXREPS);
		return 2;
	}

	size_t bytes = (size_t)mib * MIB, n = bytes / ROW;
	char *raw = mmap(NULL, bytes + 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
	                 -1, 0);

	if (raw == MAP_FAILED) {
		perror("store_window: mmap");
		return 1;
	}
	char *base = (char *)(((uintptr_t)raw + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1));

	if (madvise(base, bytes, MADV_HUGEPAGE) != 0)
		perror("store_window: madvise");
	memset(base, 0, bytes);

	/* One random cycle over the rows; the chains start half a cycle apart. */
	uint32_t *ord = malloc(sizeof(*ord) * n);

	if (!ord) {
		perror("store_window: malloc");
		return 1;
	}
	shuffle_u32(ord, n);
	for (size_t i = 0; i < n; i++)
		*(char **)(base + (size_t)ord[i] * ROW) = base + (size_t)ord[(i + 1) % n] * ROW;

	void *a = base + (size_t)ord[0] * ROW, *b = base + (size_t)ord[n / 2] * ROW;
	static double t[NTESTS][MAXREPS];
	double med[NTESTS];

	free(ord);
	for (int r = 0; r < reps; r++) {
		for (int i = 0; i < NTESTS; i++) {
			tests[i].fn(&a, &b, (uint64_t)iters / 10); /* warm the translations */
			double t0 = now_s();

			tests[i].fn(&a, &b, (uint64_t)iters);
			t[i][r] = (now_s() - t0) / (double)iters * 1e9;
		}
	}
	printf("ns per pair of loads (two chases over %ld MiB, median of %ld), n stores after "
	       "each load\n",
	       mib, reps);
	for (int i = 0; i < NTESTS; i++) {
		qsort(t[i], (size_t)reps, sizeof(double), cmp_double);
		med[i] = t[i][reps / 2];
		printf("  %-7s n %3d  %7.1f ns  spread %5.1f%%\n", tests[i].series, tests[i].n,
		       med[i], (t[i][reps - 1] - t[i][0]) / med[i] * 100);
	}
	printf("pending stores held: %d (coupled.pending_stores)\n", estimate("pending", med));
	printf("stores with their data held: %d (the store buffer, or the window before it)\n",
	       estimate("ready", med));
	return 0;
}
