/*
 * embag_probe.c - why does the plain C embedding bag (samples/embedding_bag_sum.c
 * at gcc -O2) pay about one dependent-miss latency per lookup on this machine?
 * Times variants of its loop (embag_probe_kern.c; A is the sample itself at
 * -O2, F the sample at -O3 -march=native) and, in the same run and over a
 * table of the same size and page size, a dependent pointer chase and k
 * independent chases. Built and run by bench/calibrate/embag_probe.sh:
 *
 *   embag_probe [--mib M | --kib K] [--dim D] [--pool P] [--lookups N] [--reps R]
 *               [--nohuge] VARIANT...
 *
 * VARIANT: A B C CS D E F G G8 L R S V (see embag_probe_kern.c), chase (one
 * dependent chain over one line of every 256-byte row, in random order),
 * mlpK (K chains of that cycle interleaved, K in 2..32). The table is M MiB (or K KiB)
 * of D-float rows, mmap-ed 2 MiB-aligned with MADV_HUGEPAGE (--nohuge:
 * MADV_NOHUGEPAGE), filled with normal floats; the chase has its own region
 * of the same size and advice. Samples are taken in rounds (one of every
 * variant per round, each after an untimed warm-up), R rounds (default 5).
 * Prints per variant the median ns per lookup (chase: per load; mlpK: per
 * load, all chains together), the spread (max - min) / median in percent,
 * and the ratio to the chase's median when the chase was measured.
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "../bench_util.h"

#define MIB (1024ul * 1024ul)
#define ROW_LINE_MAX 4
#define MAXV 32
#define MAXREPS 31

typedef void kern_fn(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                     const int64_t *offsets, int64_t num_bags, float *out);

kern_fn embedding_bag_sum, embag_F, embag_B, embag_E, embag_L, embag_C, embag_D, embag_CS, embag_G,
        embag_G8, embag_R, embag_S, embag_V;

static const struct {
	const char *name;
	kern_fn *fn;
} kerns[] = {
        {"A", embedding_bag_sum}, {"B", embag_B}, {"C", embag_C}, {"CS", embag_CS}, {"D", embag_D},
        {"E", embag_E},           {"F", embag_F}, {"G", embag_G}, {"G8", embag_G8}, {"L", embag_L},
        {"R", embag_R},           {"S", embag_S}, {"V", embag_V},
};
#define NKERNS (int)(sizeof(kerns) / sizeof(kerns[0]))

static volatile uint64_t sink;

static void *big_alloc(size_t bytes, int huge)
{
	size_t h = 2 * MIB;
	size_t len = (bytes + h - 1) / h * h;
	char *raw = mmap(NULL, len + h, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (raw == MAP_FAILED) {
		perror("embag_probe: mmap");
		exit(1);
	}
	char *p = (char *)(((uintptr_t)raw + h - 1) & ~(uintptr_t)(h - 1));

	if (madvise(p, len, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
		perror("embag_probe: madvise");
	return p;
}

/* Element i of the chase: one line of row i, the line varying from row to row. */
static char *elem(char *base, size_t i, size_t row)
{
	size_t lines = row / 64;

	return base + i * row + (size_t)((i * 0x9e3779b97f4a7c15ull) >> 40) % lines * 64;
}

static __attribute__((noinline)) void chains(void **p, int k, uint64_t steps)
{
	void *q[MAXV];

	for (int j = 0; j < k; j++)
		q[j] = p[j];
	/* The chains are independent; the unrolled body keeps them in flight together. */
	for (uint64_t s = 0; s < steps; s++) {
		switch (k) {
		case 32:
		case 24:
		case 16:
			for (int j = 0; j < k; j += 8) {
				q[j] = *(void **)q[j];
				q[j + 1] = *(void **)q[j + 1];
				q[j + 2] = *(void **)q[j + 2];
				q[j + 3] = *(void **)q[j + 3];
				q[j + 4] = *(void **)q[j + 4];
				q[j + 5] = *(void **)q[j + 5];
				q[j + 6] = *(void **)q[j + 6];
				q[j + 7] = *(void **)q[j + 7];
			}
			break;
		default:
			for (int j = 0; j < k; j++)
				q[j] = *(void **)q[j];
		}
	}
	for (int j = 0; j < k; j++)
		p[j] = q[j];
}

int main(int argc, char **argv)
{
	long kib = 1024 * 1024, dim = 64, pool = 40, lookups = 1000000, reps = 5;
	int huge = 1, nv = 0;
	const char *vname[MAXV];

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--nohuge")) {
			huge = 0;
			continue;
		}
		if (argv[i][0] != '-') {
			if (nv == MAXV) {
				fprintf(stderr, "embag_probe: too many variants\n");
				return 2;
			}
			vname[nv++] = argv[i];
			continue;
		}
		if (i + 1 >= argc) {
			fprintf(stderr, "embag_probe: %s needs a value\n", argv[i]);
			return 2;
		}
		long v = strtol(argv[++i], NULL, 10);

		if (!strcmp(argv[i - 1], "--mib"))
			kib = v * 1024;
		else if (!strcmp(argv[i - 1], "--kib"))
			kib = v;
		else if (!strcmp(argv[i - 1], "--dim"))
			dim = v;
		else if (!strcmp(argv[i - 1], "--pool"))
			pool = v;
		else if (!strcmp(argv[i - 1], "--lookups"))
			lookups = v;
		else if (!strcmp(argv[i - 1], "--reps"))
			reps = v;
		else {
			fprintf(stderr, "embag_probe: unknown option %s\n", argv[i - 1]);
			return 2;
		}
	}
	if (kib < 16 || dim < 16 || dim % 16 || dim > 256 || pool <= 0 || lookups < pool ||
	    reps < 1 || reps > MAXREPS || nv == 0) {
		fprintf(stderr, "usage: embag_probe [--mib M | --kib K (at least 16)] [--dim D "
		                "(16..256, multiple of 16)] "
		                "[--pool P] [--lookups N] [--reps R] [--nohuge] VARIANT...\n");
		return 2;
	}

	size_t bytes = (size_t)kib * 1024, row = (size_t)dim * sizeof(float);
	int64_t rows = (int64_t)(bytes / row), bags = lookups / pool;
	int need_chase = 0;

	for (int v = 0; v < nv; v++)
		if (!strncmp(vname[v], "chase", 5) || !strncmp(vname[v], "mlp", 3))
			need_chase = 1;

	float *table = big_alloc(bytes, huge);

	for (size_t i = 0; i < bytes / sizeof(float); i++)
		table[i] = 1.0f + (float)(i % 1021) * 0.001f;
	int64_t *indices = malloc(sizeof(int64_t) * (size_t)(bags * pool));
	int64_t *offsets = malloc(sizeof(int64_t) * (size_t)(bags + 1));
	float *out = big_alloc(sizeof(float) * (size_t)(bags * dim), huge);

	for (int64_t j = 0; j < bags * pool; j++)
		indices[j] = (int64_t)(rng() % (uint64_t)rows);
	for (int64_t b = 0; b <= bags; b++)
		offsets[b] = b * pool;

	/* The chase: one random cycle over one line of every row. */
	char *cbase = NULL;
	int ck[MAXV];

	if (need_chase) {
		size_t n = (size_t)rows;
		uint32_t *ord = malloc(sizeof(uint32_t) * n);

		cbase = big_alloc(bytes, huge);
		memset(cbase, 0, bytes);
		shuffle_u32(ord, n);
		for (size_t i = 0; i < n; i++)
			*(char **)elem(cbase, ord[i], row) = elem(cbase, ord[(i + 1) % n], row);
		/* Variant v's chains start in its own slice of the cycle. */
		for (int v = 0; v < nv; v++) {
			ck[v] = !strcmp(vname[v], "chase")     ? 1
			        : !strncmp(vname[v], "mlp", 3) ? atoi(vname[v] + 3)
			                                       : 0;
			if (ck[v] < 0 || ck[v] > MAXV) {
				fprintf(stderr, "embag_probe: bad %s\n", vname[v]);
				return 2;
			}
		}
		free(ord);
	} else {
		for (int v = 0; v < nv; v++)
			ck[v] = 0;
	}

	kern_fn *fn[MAXV];
	void *cstart[MAXV][MAXV];

	for (int v = 0; v < nv; v++) {
		fn[v] = NULL;
		for (int k = 0; k < NKERNS; k++)
			if (!strcmp(vname[v], kerns[k].name))
				fn[v] = kerns[k].fn;
		if (!fn[v] && !ck[v]) {
			fprintf(stderr, "embag_probe: unknown variant %s\n", vname[v]);
			return 2;
		}
		for (int j = 0; j < ck[v]; j++) {
			size_t at = ((size_t)v * (size_t)ck[v] + (size_t)j) * (size_t)rows /
			            ((size_t)ck[v] * (size_t)nv);

			cstart[v][j] = elem(cbase, at, row);
		}
	}

	double t[MAXV][MAXREPS];
	int64_t warm = bags / 10 > 0 ? bags / 10 : 1;

	for (int r = 0; r < reps; r++) {
		for (int v = 0; v < nv; v++) {
			double t0;

			if (fn[v]) {
				fn[v](table, rows, dim, indices, offsets + bags - warm, warm, out);
				t0 = now_s();
				fn[v](table, rows, dim, indices, offsets, bags, out);
				t[v][r] = (now_s() - t0) / (double)(bags * pool) * 1e9;
				sink += (uint64_t)out[0];
			} else {
				int k = ck[v];
				uint64_t steps = (uint64_t)lookups * (k > 1 ? 4 : 1) / (uint64_t)k;

				chains(cstart[v], k, 100000 / (uint64_t)k + 1);
				t0 = now_s();
				chains(cstart[v], k, steps);
				t[v][r] = (now_s() - t0) / (double)(steps * (uint64_t)k) * 1e9;
			}
		}
	}

	double chase_med = 0;
	double med[MAXV], spread[MAXV];

	for (int v = 0; v < nv; v++) {
		qsort(t[v], (size_t)reps, sizeof(double), cmp_double);
		med[v] = t[v][reps / 2];
		spread[v] = (t[v][reps - 1] - t[v][0]) / med[v] * 100;
		if (!strcmp(vname[v], "chase"))
			chase_med = med[v];
	}
	for (int v = 0; v < nv; v++) {
		printf("%-6s %7ld KiB dim %3ld pool %3ld %s  %8.1f ns  spread %5.1f%%", vname[v],
		       kib, dim, pool, huge ? "thp " : "4k  ", med[v], spread[v]);
		if (chase_med > 0)
			printf("  /chase %.2f", med[v] / chase_med);
		printf("\n");
	}
	return 0;
}
