/*
 * fused_probe.c - which shape of embedding-bag code can reach the gather
 * limit of limit.c on this machine? A probe, not part of run.sh or ctest.
 *
 * Times, on 2 OpenMP threads (static halves), the gather limit's loop and
 * five ways of writing the same embedding bag sum, and prints each median as
 * a percentage of the limit's. The limit is taken, as run.sh takes it, at
 * its best prefetch distance (limit_dist, prefetching into L2). The first
 * shape also runs through libdae's lanes (dae_run_range: pool workers,
 * chunks from a shared counter, each chunk an inline pair whose execute
 * side runs the shape), to tell the runtime's cost from the code's. Every
 * bag variant prefetches the same way, as a fused lowering of daec's access
 * side would: before bag b it walks the indices of the bags ahead of it,
 * prefetching their rows into L2 (prefetcht1), until about DIST lookups are
 * in flight. The variants:
 *  - registers: the sums of a bag in vector registers, stored at its end
 *    (the hand-written shape; the zeroing of the row is folded away);
 *  - registers, dim at run time: the same with the row length read from
 *    the arguments, as generated code reads it;
 *  - rows: what daec -O3 emits on its execute side (rewriters/emit_c.c,
 *    buf_segment and buf_helper): the row zeroed as the user wrote it, the
 *    bag's lookups copied DAE_BUFFER_ROWS at a time into a buffer, and a
 *    helper adding the buffer a block of columns at a time from the row;
 *  - rows + check: the same with the per-lookup test that a row read is not
 *    the row written (dae_span_apart) in the loop filling the buffer;
 *  - columns: no buffer: the same helper run once over the bag's indices
 *    where they lie (blocks of columns outside, the walk of the bag's
 *    lookups inside each block, the sums starting from the zeroed row);
 *  - columns + check: the same after one pass over the bag's lookups making
 *    that test.
 * All write the same bits (each column adds its rows in bag order); the
 * probe checks it. The data is the side-by-side benchmark's 1 GiB shape:
 * 64-float rows, 32768 bags of 40 uniform indices, the table on 2 MiB pages
 * where the kernel gives them (madvise).
 *
 *   gcc -O3 -march=native -fopenmp -ffp-contract=off -I include \
 *       bench/sidebyside/fused_probe.c build/runtime/libdae.a -ljansson \
 *       -o /tmp/fused_probe
 *   OMP_WAIT_POLICY=passive /tmp/fused_probe [reps]     # default 21
 *
 * What it showed is in README.md, "What separates the lanes row from the
 * limit".
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <omp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <dae/dae.h>

#define D 64 /* floats per row: four 64-byte lines */
#define DIST 64 /* lookups the bag shapes prefetch ahead */
#define AHEAD_BAGS 64 /* most bags prefetched ahead (a ring of their lookup counts) */

struct bags {
	const float *table;
	int64_t dim;
	const int64_t *indices, *offsets;
	float *out;
};

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The limit's loop (limit.c): prefetch the row dist lookups ahead, add the
 * row into four vector registers, store nothing. */
static float limit_walk(const float *T, const int64_t *ix, int64_t lo, int64_t hi, int64_t dist)
{
	dae_f32x16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
	float s = 0;

	for (int64_t i = lo; i < hi; i++) {
		const float *r = T + ix[i] * D;
		if (i + dist < hi)
			dae_prefetch_range(T + ix[i + dist] * D, D * sizeof(float));
		a0 += dae_f32x16_load(r);
		a1 += dae_f32x16_load(r + 16);
		a2 += dae_f32x16_load(r + 32);
		a3 += dae_f32x16_load(r + 48);
	}
	a0 += a1 + a2 + a3;
	for (int d = 0; d < 16; d++)
		s += a0[d];
	return s;
}

/* The access side's walk of one bag with its pushes left out: prefetches
 * the bag's rows and returns how many lookups it has. */
static uint64_t prefetch_bag(const struct bags *a, int64_t b)
{
	uint64_t n = 0;

	for (int64_t j = a->offsets[b]; j < a->offsets[b + 1]; j++) {
		int64_t idx = a->indices[j];
		if (0 < a->dim)
			dae_prefetch_range(&a->table[idx * a->dim], (size_t)a->dim * sizeof(float));
		n++;
	}
	return n;
}

/* Keeps about DIST lookups prefetched ahead of bag b. */
struct ahead {
	uint64_t lookups[AHEAD_BAGS], n;
	int64_t next;
};

static void ahead_fill(struct ahead *p, const struct bags *a, int64_t b, int64_t hi)
{
	while (p->next < hi && p->next - b < AHEAD_BAGS && p->n < DIST) {
		uint64_t c = prefetch_bag(a, p->next);
		p->lookups[p->next % AHEAD_BAGS] = c;
		p->n += c;
		p->next++;
	}
}

static void ahead_done(struct ahead *p, int64_t b)
{
	p->n -= p->lookups[b % AHEAD_BAGS];
}

static void bags_registers(const struct bags *a, int64_t lo, int64_t hi)
{
	struct ahead p = {.next = lo};

	for (int64_t b = lo; b < hi; b++) {
		dae_f32x16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
		ahead_fill(&p, a, b, hi);
		for (int64_t j = a->offsets[b]; j < a->offsets[b + 1]; j++) {
			const float *r = a->table + a->indices[j] * D;
			a0 += dae_f32x16_load(r);
			a1 += dae_f32x16_load(r + 16);
			a2 += dae_f32x16_load(r + 32);
			a3 += dae_f32x16_load(r + 48);
		}
		dae_f32x16_store(a->out + b * D, a0);
		dae_f32x16_store(a->out + b * D + 16, a1);
		dae_f32x16_store(a->out + b * D + 32, a2);
		dae_f32x16_store(a->out + b * D + 48, a3);
		ahead_done(&p, b);
	}
}

/* The same, the row length not known to the compiler. */
static void bags_registers_dim(const struct bags *a, int64_t lo, int64_t hi)
{
	const int64_t dim = a->dim;
	struct ahead p = {.next = lo};

	for (int64_t b = lo; b < hi; b++) {
		dae_f32x16 a0 = {0}, a1 = {0}, a2 = {0}, a3 = {0};
		ahead_fill(&p, a, b, hi);
		for (int64_t j = a->offsets[b]; j < a->offsets[b + 1]; j++) {
			const float *r = a->table + a->indices[j] * dim;
			a0 += dae_f32x16_load(r);
			a1 += dae_f32x16_load(r + 16);
			a2 += dae_f32x16_load(r + 32);
			a3 += dae_f32x16_load(r + 48);
		}
		dae_f32x16_store(a->out + b * dim, a0);
		dae_f32x16_store(a->out + b * dim + 16, a1);
		dae_f32x16_store(a->out + b * dim + 32, a2);
		dae_f32x16_store(a->out + b * dim + 48, a3);
		ahead_done(&p, b);
	}
}

/* daec -O3's helper (buf_helper) for this callback: its 64-column block as
 * emitted; its 16-column block and its tail are one scalar tail here (never
 * reached at 64 columns). */
static void rows1(int64_t dim, float *out, int64_t b, const float *table, const int64_t buf_idx[],
                  uint64_t m)
{
	int64_t idx, d = 0;

	for (; dae_trip_count(d, dim) >= 64; d += 64) {
		dae_f32x16 v0 = dae_f32x16_load(&out[b * dim + d]);
		dae_f32x16 v1 = dae_f32x16_load(&out[b * dim + d] + 16);
		dae_f32x16 v2 = dae_f32x16_load(&out[b * dim + d] + 32);
		dae_f32x16 v3 = dae_f32x16_load(&out[b * dim + d] + 48);
		for (uint64_t r = 0; r < m; r++) {
			idx = buf_idx[r];
			v0 += dae_f32x16_load(&table[idx * dim + d]);
			v1 += dae_f32x16_load(&table[idx * dim + d] + 16);
			v2 += dae_f32x16_load(&table[idx * dim + d] + 32);
			v3 += dae_f32x16_load(&table[idx * dim + d] + 48);
		}
		dae_f32x16_store(&out[b * dim + d], v0);
		dae_f32x16_store(&out[b * dim + d] + 16, v1);
		dae_f32x16_store(&out[b * dim + d] + 32, v2);
		dae_f32x16_store(&out[b * dim + d] + 48, v3);
	}
	for (; dae_trip_count(d, dim) > 0; d++)
		for (uint64_t r = 0; r < m; r++)
			out[b * dim + d] += table[buf_idx[r] * dim + d];
}

static void bags_rows(const struct bags *a, int64_t lo, int64_t hi, int check)
{
	const int64_t dim = a->dim;
	const size_t bytes = (size_t)dim * sizeof(float);
	struct ahead p = {.next = lo};

	for (int64_t b = lo; b < hi; b++) {
		int64_t j = a->offsets[b];
		ahead_fill(&p, a, b, hi);
		for (int64_t d = 0; d < dim; d++)
			a->out[b * dim + d] = 0.0f;
		for (uint64_t k = dae_trip_count(j, a->offsets[b + 1]), m; k > 0; k -= m) {
			int64_t buf_idx[DAE_BUFFER_ROWS];
			int apart = 1;
			m = k < DAE_BUFFER_ROWS ? k : DAE_BUFFER_ROWS;
			for (uint64_t r = 0; r < m; r++) {
				buf_idx[r] = a->indices[j++];
				if (check && apart)
					apart &= dae_span_apart(&a->table[buf_idx[r] * dim], bytes,
					                        &a->out[b * dim], bytes);
			}
			if (!apart)
				abort(); /* the probe's table and out never overlap */
			rows1(dim, a->out, b, a->table, buf_idx, m);
		}
		ahead_done(&p, b);
	}
}

/* The helper over the bag's indices where they lie: no copy, no chunks. */
static void bags_columns(const struct bags *a, int64_t lo, int64_t hi, int check)
{
	const int64_t dim = a->dim, *ix = a->indices;
	const size_t bytes = (size_t)dim * sizeof(float);
	struct ahead p = {.next = lo};

	for (int64_t b = lo; b < hi; b++) {
		const int64_t j0 = a->offsets[b], j1 = a->offsets[b + 1];
		int apart = 1;
		ahead_fill(&p, a, b, hi);
		for (int64_t d = 0; d < dim; d++)
			a->out[b * dim + d] = 0.0f;
		for (int64_t j = j0; check && j < j1; j++)
			apart &= dae_span_apart(&a->table[ix[j] * dim], bytes, &a->out[b * dim],
			                        bytes);
		if (!apart)
			abort();
		rows1(dim, a->out, b, a->table, ix + j0, dae_trip_count(j0, j1));
		ahead_done(&p, b);
	}
}

static void v_registers(const struct bags *a, int64_t lo, int64_t hi)
{
	bags_registers(a, lo, hi);
}
static void v_rows(const struct bags *a, int64_t lo, int64_t hi)
{
	bags_rows(a, lo, hi, 0);
}
static void v_rows_check(const struct bags *a, int64_t lo, int64_t hi)
{
	bags_rows(a, lo, hi, 1);
}
static void v_columns(const struct bags *a, int64_t lo, int64_t hi)
{
	bags_columns(a, lo, hi, 0);
}
static void v_columns_check(const struct bags *a, int64_t lo, int64_t hi)
{
	bags_columns(a, lo, hi, 1);
}

/* The registers shape as a libdae range program: an access side that sends
 * nothing, an execute side that runs the shape over its chunk. */
static void lanes_access(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	(void)q, (void)arg, (void)first, (void)end;
}

static void lanes_execute(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	bags_registers(arg, (int64_t)first, (int64_t)end);
	while (dae_token_id(dae_queue_pop(q)) != DAE_TOKEN_DONE)
		;
}

static const struct dae_range_program lanes_program = {"fused_probe", lanes_access, lanes_execute,
                                                       NULL};

#define NV 7
#define V_LANES 1 /* variant[V_LANES] runs through dae_run_range */
static void (*const variant[NV])(const struct bags *, int64_t,
                                 int64_t) = {v_registers,  v_registers, bags_registers_dim, v_rows,
                                             v_rows_check, v_columns,   v_columns_check};
static const char *const variant_name[NV] = {"registers",
                                             "registers, libdae lanes",
                                             "registers, dim at run time",
                                             "rows",
                                             "rows + check",
                                             "columns",
                                             "columns + check"};
static const int64_t limit_dist[] = {4, 8, 16, 32, 64, 128}; /* as sidebyside.c */
#define LIMIT_DISTS (int)(sizeof(limit_dist) / sizeof(limit_dist[0]))

int main(int argc, char **argv)
{
	const int64_t rows = ((int64_t)1 << 30) / (D * 4), nb = 32768, pool = 40, n = nb * pool;
	const int reps = argc > 1 ? atoi(argv[1]) : 21;
	const size_t tb = (size_t)rows * D * sizeof(float), ob = (size_t)nb * D * sizeof(float);
	float *T = mmap(NULL, tb, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	int64_t *ix = malloc((size_t)n * sizeof(*ix)),
	        *off = malloc((size_t)(nb + 1) * sizeof(*off));
	float *out = aligned_alloc(64, ob), *first = malloc(ob);
	double tl[LIMIT_DISTS][64], tv[NV][64];
	uint64_t x = 88172645463325252ull;
	volatile float sink = 0;

	if (T == MAP_FAILED || !ix || !off || !out || !first || reps < 1 || reps > 64) {
		fprintf(stderr, "fused_probe: out of memory, or reps not 1-64\n");
		return 1;
	}
	if (dae_run_mode_set(DAE_MODE_LANES) || dae_run_lanes_set(2)) {
		fprintf(stderr, "fused_probe: libdae refused the lanes mode\n");
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
	const struct bags a = {T, D, ix, off, out};
	for (int r = 0; r < reps; r++) {
		for (int l = 0; l < LIMIT_DISTS; l++) {
			double t0 = now_s();
#pragma omp parallel num_threads(2)
			{
				int t = omp_get_thread_num();
				float s = limit_walk(T, ix, n * t / 2, n * (t + 1) / 2,
				                     limit_dist[l]);
#pragma omp atomic
				sink += s;
			}
			tl[l][r] = now_s() - t0;
		}
		for (int v = 0; v < NV; v++) {
			memset(out, 0xff, ob);
			double t0 = now_s();
			if (v == V_LANES) {
				if (dae_run_range(&lanes_program, (void *)&a, (uint64_t)nb)) {
					fprintf(stderr, "fused_probe: dae_run_range failed\n");
					return 1;
				}
			} else {
#pragma omp parallel num_threads(2)
				{
					int t = omp_get_thread_num();
					variant[v](&a, nb * t / 2, nb * (t + 1) / 2);
				}
			}
			tv[v][r] = now_s() - t0;
			if (r == 0 && v == 0)
				memcpy(first, out, ob);
			if (memcmp(first, out, ob)) {
				fprintf(stderr, "fused_probe: %s wrote other bits than %s\n",
				        variant_name[v], variant_name[0]);
				return 1;
			}
		}
	}
	printf("2 threads, medians of %d rounds; every variant wrote the same bits\n", reps);
	double lim = 0;
	for (int l = 0; l < LIMIT_DISTS; l++) {
		qsort(tl[l], (size_t)reps, sizeof(double), cmp);
		printf("%-24s %7.2f ms  (limit, prefetch %" PRId64 " ahead)\n", "",
		       tl[l][reps / 2] * 1e3, limit_dist[l]);
		if (l == 0 || tl[l][reps / 2] < lim)
			lim = tl[l][reps / 2];
	}
	printf("%-24s %7.2f ms  (the best: 100%%)\n", "limit", lim * 1e3);
	for (int v = 0; v < NV; v++) {
		qsort(tv[v], (size_t)reps, sizeof(double), cmp);
		printf("%-24s %7.2f ms  %3.0f%% of the limit\n", variant_name[v],
		       tv[v][reps / 2] * 1e3, 100.0 * lim / tv[v][reps / 2]);
	}
	return 0;
}
