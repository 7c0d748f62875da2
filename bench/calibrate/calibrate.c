/*
 * calibrate.c - measures the machine it runs on, for the "host" preset of
 * libdae's timing model (include/dae/model.h). A benchmark, not a test; no
 * libdae dependency. Built and run by bench/calibrate/run.sh:
 *
 *   bench/calibrate/run.sh [JSON_PATH]        (default /tmp/host-measured.json)
 *
 * or by hand: gcc -O2 -std=gnu11 -pthread bench/calibrate/calibrate.c samples/embedding_bag_sum.c -o calibrate &&
 * ./calibrate [--json PATH] [--reps N] [--quick] [--no-thp]
 *
 * x86-64 only (rdtsc and hand-written instruction streams). Every number is
 * the median of --reps (default 7, at least 5) samples, and the samples of a
 * series are taken in rounds, one sample of every item per round, so that a
 * burst of load from other tenants spreads over all items of a curve instead
 * of bending one point. The JSON also gives the spread, (max - min) / median
 * in percent: the machine is shared and a number without its spread cannot be
 * trusted. One arena of about 4.1 GiB (2 MiB-aligned, MADV_HUGEPAGE unless
 * --no-thp) holds every latency set in its own region, so that no set is
 * rebuilt between rounds and the page size is the same for every test.
 *
 * Measurements (JSON keys; maps are keyed by working set or parameter):
 *   clock_ghz            effective core clock: a chain of dependent register
 *                        adds (1 cycle each); clock_ghz_imul cross-checks it
 *                        with a chain of 3-cycle imuls. tsc_ghz: TSC rate.
 *   latency_ns, latency_cycles, latency_spread_pct
 *                        dependent loads over a random cyclic permutation of
 *                        64-byte lines, per working set ("16KiB" ... "2GiB").
 *   l1/l2/llc_latency_cycles, llc_latency_ns, dram_latency_ns/_cycles
 *                        plateau latencies picked from that curve (see
 *                        derive_levels), l1/l2_effective_kib, llc_effective_mib:
 *                        the largest working set still within 25% of a
 *                        level's plateau; llc_halfway_mib: where latency is
 *                        half-way from the LLC plateau to DRAM.
 *   tlb_probe_cycles     the chase with one line per 4 KiB over 16 and 64 MiB,
 *                        one per 64 KiB over 1 GiB: L2-resident data, so the
 *                        excess over L2 latency is address translation;
 *                        effective_page_kib_est: 2048 if the 64 MiB probe is
 *                        within 12 cycles of L2, else 4 (guest THP does not
 *                        help if the hypervisor maps guest memory with 4 KiB).
 *   seq_read_gbs, seq_read_2t_gbs
 *                        sum of uint64 over 1 GiB, one and two threads.
 *   mlp (GB/s), mlp_lines_per_s, mlp_spread_pct
 *                        k interleaved independent pointer chases over 1 GiB.
 *   miss_buffers_est     where the rising line (best lines/s per chain for
 *                        k <= 8) meets the plateau (best lines/s over all k):
 *                        the misses one core keeps in flight. The k = 1 rate
 *                        is not the base because a lone chain also serialises
 *                        its page walks. mlp_first_k_95pct: the first k at
 *                        95% of the best; mlp_concurrency: best / (k = 1).
 *                        Each round runs k = 1 right after k = 32, which
 *                        leaves the translations of the 1 GiB cached: on a
 *                        VM with 4 KiB host pages k = 1 then reads faster than
 *                        the lone 1 GiB chase of latency_ns.
 *                        gather_limit_gbs: the best mlp rate times 64 bytes.
 *   gather_prefetch_gbs, gather_prefetch_2t_gbs, gather_noprefetch_gbs
 *                        random 256-byte rows of a 1 GiB table, summed, with
 *                        software prefetch 16 rows ahead (and without).
 *   embag_ns_per_lookup, embag_gbs, embag_spread_pct, embag_bags, embag_min_run_s
 *                        samples/embedding_bag_sum.c's loop as compiled here
 *                        (dim 64, pooling 40, uniform int64 indices), per table
 *                        size; embag_vectorised / embag_insns: what objdump
 *                        shows of its float instructions.
 *   rob_ns_per_pair, rob_est, rob_interval
 *                        two independent DRAM-missing loads separated by n
 *                        nops; rob_est is the first n above the step in the
 *                        time per pair (see rob_step; null: inconclusive),
 *                        rob_interval the two n the step lies between.
 *   thp, thp_mode, thp_anon_huge_kib(_end)
 *                        whether the arena got 2 MiB pages (AnonHugePages in
 *                        /proc/self/smaps_rollup, after faulting and at the end).
 *   arena_mib, arena_fault_s
 *                        the arena and the time its first touch took.
 *   cpu_model, sysfs_*, load_avg_start/_end
 *                        what the kernel reports (for comparison only).
 */
#define _GNU_SOURCE

#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#if !defined(__x86_64__)
#error "calibrate.c times x86-64 instruction streams"
#endif

#define KIB (1024ul)
#define MIB (1024ul * KIB)
#define GIB (1024ul * MIB)
#define LINE 64
#define MAXREPS 31
#define ROW 256
#define PF_DIST 16
#define DIM 64
#define POOLING 40

static int reps = 7;
static double tscale = 1.0; /* --quick shortens every timed run */
static volatile uint64_t sink;

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

struct sample {
	double med;
	double spread; /* (max - min) / median, percent */
	double min;
};

static struct sample summarise(const double *v, int n)
{
	double s[MAXREPS];
	struct sample r;

	memcpy(s, v, (size_t)n * sizeof(*s));
	qsort(s, (size_t)n, sizeof(*s), cmp_double);
	r.med = n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
	r.min = s[0];
	r.spread = r.med > 0 ? (s[n - 1] - s[0]) / r.med * 100 : 0;
	return r;
}

/* splitmix64: fast, and good enough that shuffles have no visible pattern */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t rng_below(uint64_t n)
{
	return (uint64_t)(((unsigned __int128)rng() * n) >> 64);
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fprintf(stderr, "calibrate: out of memory (%zu bytes)\n", n);
		exit(1);
	}
	/* Fault the pages now so that no timed loop pays for them. */
	memset(p, 0, n);
	return p;
}

static void label(char *buf, size_t len, uint64_t bytes)
{
	if (bytes % GIB == 0)
		snprintf(buf, len, "%" PRIu64 "GiB", bytes / GIB);
	else if (bytes % MIB == 0)
		snprintf(buf, len, "%" PRIu64 "MiB", bytes / MIB);
	else if (bytes >= MIB)
		snprintf(buf, len, "%.1fMiB", (double)bytes / MIB);
	else
		snprintf(buf, len, "%" PRIu64 "KiB", bytes / KIB);
}

/* ---- system facts ---- */

static long anon_huge_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long kib = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld kB", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

static void read_first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");

	buf[0] = 0;
	if (!f)
		return;
	if (!fgets(buf, (int)len, f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
}

static void thp_mode(char *buf, size_t len)
{
	char line[256], *a, *b;

	read_first_line("/sys/kernel/mm/transparent_hugepage/enabled", line, sizeof(line));
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (a && b) {
		*b = 0;
		snprintf(buf, len, "%s", a + 1);
	} else {
		snprintf(buf, len, "unknown");
	}
}

static void cpu_model(char *buf, size_t len)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(buf, len, "unknown");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *c = strchr(line, ':');

		if (strncmp(line, "model name", 10) == 0 && c) {
			c += 2;
			c[strcspn(c, "\n")] = 0;
			snprintf(buf, len, "%s", c);
			break;
		}
	}
	fclose(f);
}

struct sysfs_cache {
	int level;
	char type[16];
	long kib;
	int ways;
};

static int sysfs_caches(struct sysfs_cache *c, int max)
{
	int n = 0;

	for (int i = 0; i < 8 && n < max; i++) {
		char path[128], v[64];

		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/level", i);
		read_first_line(path, v, sizeof(v));
		if (!v[0])
			break;
		c[n].level = atoi(v);
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/type", i);
		read_first_line(path, c[n].type, sizeof(c[n].type));
		snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu0/cache/index%d/size", i);
		read_first_line(path, v, sizeof(v));
		c[n].kib = atol(v) * (strchr(v, 'M') ? 1024 : 1);
		snprintf(path, sizeof(path),
		         "/sys/devices/system/cpu/cpu0/cache/index%d/ways_of_associativity", i);
		read_first_line(path, v, sizeof(v));
		c[n].ways = atoi(v);
		n++;
	}
	return n;
}

/* ---- arena ---- */

static char *arena_alloc(size_t bytes, int huge)
{
	size_t len = bytes + 2 * MIB;
	char *raw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (raw == MAP_FAILED) {
		perror("calibrate: mmap");
		exit(1);
	}
	/* THP only backs 2 MiB-aligned 2 MiB extents. */
	p = (char *)(((uintptr_t)raw + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1));
	if (madvise(p, bytes, huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE) != 0)
		perror("calibrate: madvise");
	for (size_t i = 0; i < bytes; i += 4096)
		p[i] = 1;
	return p;
}

/* ---- 1. clock ---- */

/* 100 dependent adds of a register whose value the renamer cannot know: some
 * cores fold add-immediate chains at rename, which would overstate the clock. */
static double add_chain(uint64_t iters, uint64_t inc)
{
	uint64_t x = 0, n = iters;
	double t = now_s();

	__asm__ volatile("1:\n\t"
	                 ".rept 100\n\t"
	                 "add %[inc], %[x]\n\t"
	                 ".endr\n\t"
	                 "dec %[n]\n\t"
	                 "jnz 1b"
	                 : [x] "+r"(x), [n] "+r"(n)
	                 : [inc] "r"(inc));
	t = now_s() - t;
	sink += x;
	return t;
}

static double imul_chain(uint64_t iters, uint64_t mul)
{
	uint64_t x = 1, n = iters;
	double t = now_s();

	__asm__ volatile("1:\n\t"
	                 ".rept 100\n\t"
	                 "imul %[mul], %[x]\n\t"
	                 ".endr\n\t"
	                 "dec %[n]\n\t"
	                 "jnz 1b"
	                 : [x] "+r"(x), [n] "+r"(n)
	                 : [mul] "r"(mul));
	t = now_s() - t;
	sink += x;
	return t;
}

struct clock_result {
	struct sample ghz, ghz_imul, tsc_ghz;
};

static struct clock_result measure_clock(void)
{
	double g[MAXREPS], gi[MAXREPS], tg[MAXREPS];
	uint64_t inc = (uint64_t)getpid() | 1, iters = 1000;
	struct clock_result r;
	double t0 = now_s();

	/* Give the (host's) governor time to settle before anything is timed. */
	while (now_s() - t0 < 0.1 * tscale)
		add_chain(1000, inc);
	while (add_chain(iters, inc) < 0.005)
		iters *= 2;
	iters = (uint64_t)(iters * (0.02 * tscale / add_chain(iters, inc))) + 1;
	for (int i = 0; i < reps; i++) {
		uint64_t c0 = rdtsc();
		double t = add_chain(iters, inc);
		uint64_t c1 = rdtsc();

		g[i] = 100.0 * iters / t * 1e-9;
		tg[i] = (double)(c1 - c0) / t * 1e-9;
		gi[i] = 300.0 * (iters / 3) / imul_chain(iters / 3, inc) * 1e-9;
	}
	r.ghz = summarise(g, reps);
	r.ghz_imul = summarise(gi, reps);
	r.tsc_ghz = summarise(tg, reps);
	return r;
}

/* ---- 2. pointer chase ---- */

/* Element i of a chase: line i, or with a stride above a line, one line of
 * the i-th stride-sized block at an offset that varies from block to block,
 * so that the lines do not all fall into the same cache sets. */
static char *elem(char *base, size_t i, size_t stride)
{
	size_t off = 0;

	if (stride > LINE)
		off = (size_t)((i * 0x9e3779b97f4a7c15ull) >> 40) % (stride / LINE) * LINE;
	return base + i * stride + off;
}

/* Links n elements of base into one random cycle; ord[i] is the i-th element
 * visited, so chains started at ord[i * n / k] never catch up with one
 * another and every load has the whole cycle as reuse distance. */
static void build_cycle(char *base, size_t n, size_t stride, uint32_t *ord)
{
	for (size_t i = 0; i < n; i++)
		ord[i] = (uint32_t)i;
	for (size_t i = n - 1; i > 0; i--) {
		size_t j = rng_below(i + 1);
		uint32_t t = ord[i];

		ord[i] = ord[j];
		ord[j] = t;
	}
	for (size_t i = 0; i < n; i++)
		*(char **)elem(base, ord[i], stride) = elem(base, ord[(i + 1) % n], stride);
}

static __attribute__((noinline)) void *chase(void *p, uint64_t steps)
{
	for (uint64_t i = 0; i < steps; i += 8) {
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
		p = *(void **)p;
	}
	return p;
}

struct chase_set {
	size_t n;
	uint64_t steps; /* per sample */
	void *p; /* where the chase stands */
};

/* The other sets measured since the last sample have evicted this one, and
 * the page-table entries that map it: up to this many elements a lap before
 * each sample restores the caches; beyond, WARM_STEPS loads restore the
 * cached translations (on this VM the first ~100k loads after a pause run
 * 3x slower than the steady state). */
#define WARM_LAP (8 * MIB / LINE)
#define WARM_STEPS 262144

static uint64_t round8(uint64_t n)
{
	return (n + 7) / 8 * 8;
}

/* stride LINE: every line of bytes; a larger stride: one line per stride,
 * which separates the cost of address translation from that of the caches. */
static void chase_prepare(struct chase_set *c, char *base, size_t bytes, size_t stride,
                          uint32_t *ord)
{
	uint64_t steps = 8192;
	double t;

	c->n = bytes / stride;
	build_cycle(base, c->n, stride, ord);
	c->p = chase(elem(base, 0, stride), c->n <= WARM_LAP ? round8(c->n) : 65536);
	for (;;) {
		t = now_s();
		c->p = chase(c->p, steps);
		t = now_s() - t;
		if (t > 0.005 * tscale)
			break;
		steps *= 2;
	}
	c->steps = round8((uint64_t)((double)steps * 0.04 * tscale / t));
}

static double chase_sample(struct chase_set *c)
{
	double t;

	c->p = chase(c->p, c->n <= WARM_LAP ? round8(c->n) : WARM_STEPS);
	t = now_s();
	c->p = chase(c->p, c->steps);
	t = now_s() - t;
	sink += (uintptr_t)c->p;
	return t / (double)c->steps * 1e9;
}

/* ---- 3. sequential read, 4. gathers (run by 1 or 2 threads) ---- */

enum { PART_SEQ, PART_GATHER };

struct part {
	int kind;
	const char *base;
	size_t n; /* uint64s (PART_SEQ) or rows (PART_GATHER) */
	const uint32_t *idx;
	int dist; /* prefetch distance in rows, 0: none */
	uint64_t out;
	pthread_barrier_t *bar;
};

static __attribute__((noinline)) uint64_t seq_sum(const uint64_t *a, size_t n)
{
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;

	/* Eight accumulators: the adds must never be what limits the rate. */
	for (size_t i = 0; i + 8 <= n; i += 8) {
		s0 += a[i];
		s1 += a[i + 1];
		s2 += a[i + 2];
		s3 += a[i + 3];
		s4 += a[i + 4];
		s5 += a[i + 5];
		s6 += a[i + 6];
		s7 += a[i + 7];
	}
	return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7;
}

static __attribute__((noinline)) uint64_t gather_rows(const char *table, const uint32_t *idx,
                                                      size_t n, int dist)
{
	uint64_t s0 = 0, s1 = 0, s2 = 0, s3 = 0;

	for (size_t i = 0; i < n; i++) {
		const uint64_t *row = (const uint64_t *)(table + (size_t)idx[i] * ROW);

		if (dist && i + (size_t)dist < n) {
			const char *r = table + (size_t)idx[i + (size_t)dist] * ROW;

			__builtin_prefetch(r);
			__builtin_prefetch(r + 64);
			__builtin_prefetch(r + 128);
			__builtin_prefetch(r + 192);
		}
		for (int d = 0; d < ROW / 8; d += 4) {
			s0 += row[d];
			s1 += row[d + 1];
			s2 += row[d + 2];
			s3 += row[d + 3];
		}
	}
	return s0 + s1 + s2 + s3;
}

static void part_run(struct part *p)
{
	if (p->kind == PART_SEQ)
		p->out = seq_sum((const uint64_t *)p->base, p->n);
	else
		p->out = gather_rows(p->base, p->idx, p->n, p->dist);
}

static void *part_thread(void *arg)
{
	struct part *p = arg;

	pthread_barrier_wait(p->bar);
	part_run(p);
	pthread_barrier_wait(p->bar);
	return NULL;
}

/* Wall time from a common start to the last thread's end. */
static double run_parts(struct part *parts, int nt)
{
	pthread_barrier_t bar;
	pthread_t th[2];
	double t;

	pthread_barrier_init(&bar, NULL, (unsigned)nt);
	for (int i = 0; i < nt; i++)
		parts[i].bar = &bar;
	for (int i = 1; i < nt; i++)
		pthread_create(&th[i], NULL, part_thread, &parts[i]);
	pthread_barrier_wait(&bar);
	t = now_s();
	part_run(&parts[0]);
	pthread_barrier_wait(&bar);
	t = now_s() - t;
	for (int i = 1; i < nt; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < nt; i++)
		sink += parts[i].out;
	pthread_barrier_destroy(&bar);
	return t;
}

/* GB/s of one pass over bytes of base by nt threads. */
static double seq_sample(const char *base, size_t bytes, int nt)
{
	struct part parts[2];
	size_t words = bytes / 8 / (size_t)nt;

	for (int i = 0; i < nt; i++)
		parts[i] = (struct part){PART_SEQ, base + (size_t)i * words * 8, words, NULL, 0, 0,
		                         NULL};
	return (double)(words * 8 * (size_t)nt) / run_parts(parts, nt) * 1e-9;
}

/* Useful GB/s of gathering the n rows idx names, split among nt threads. */
static double gather_sample(const char *base, const uint32_t *idx, size_t n, int nt, int dist)
{
	struct part parts[2];
	size_t per = n / (size_t)nt;

	for (int i = 0; i < nt; i++)
		parts[i] =
		        (struct part){PART_GATHER, base, per, idx + (size_t)i * per, dist, 0, NULL};
	return (double)(per * (size_t)nt * ROW) / run_parts(parts, nt) * 1e-9;
}

/* ---- 4. memory-level parallelism ---- */

/* k literal at each call site: the unrolled chains live in registers (spilled
 * beyond ~12, but a spill costs L1 latency against hundreds of ns per miss). */
static inline __attribute__((always_inline)) void mlp_body(void **p, int k, uint64_t steps)
{
	void *q[32];

	for (int j = 0; j < k; j++)
		q[j] = p[j];
	for (uint64_t s = 0; s < steps; s++) {
#pragma GCC unroll 32
		for (int j = 0; j < k; j++)
			q[j] = *(void **)q[j];
	}
	for (int j = 0; j < k; j++)
		p[j] = q[j];
}

static __attribute__((noinline)) void mlp_run(void **p, int k, uint64_t steps)
{
	switch (k) {
	case 1:
		mlp_body(p, 1, steps);
		break;
	case 2:
		mlp_body(p, 2, steps);
		break;
	case 4:
		mlp_body(p, 4, steps);
		break;
	case 8:
		mlp_body(p, 8, steps);
		break;
	case 12:
		mlp_body(p, 12, steps);
		break;
	case 16:
		mlp_body(p, 16, steps);
		break;
	case 20:
		mlp_body(p, 20, steps);
		break;
	case 24:
		mlp_body(p, 24, steps);
		break;
	case 32:
		mlp_body(p, 32, steps);
		break;
	default:
		abort();
	}
}

static const int mlp_ks[] = {1, 2, 4, 8, 12, 16, 20, 24, 32};
#define NMLP (int)(sizeof(mlp_ks) / sizeof(mlp_ks[0]))

struct mlp_set {
	int k;
	uint64_t steps;
	void *p[32];
};

/* Set `set` of NMLP: k chains spread evenly over its own 1/NMLP slice of the
 * cycle of n lines at base that ord describes. Sets sharing a start would
 * trail one another along the same lines a sample apart and hit in cache. */
static void mlp_prepare(struct mlp_set *m, int set, int k, char *base, const uint32_t *ord,
                        size_t n)
{
	uint64_t steps = 1024;
	double t;

	m->k = k;
	for (int j = 0; j < k; j++) {
		size_t at = ((size_t)set * (size_t)k + (size_t)j) * n / ((size_t)k * NMLP);

		m->p[j] = base + (size_t)ord[at] * LINE;
	}
	for (;;) {
		t = now_s();
		mlp_run(m->p, k, steps);
		t = now_s() - t;
		if (t > 0.005 * tscale)
			break;
		steps *= 2;
	}
	m->steps = (uint64_t)((double)steps * 0.03 * tscale / t) + 1;
}

/* Lines per second. */
static double mlp_sample(struct mlp_set *m)
{
	double t = now_s();

	mlp_run(m->p, m->k, m->steps);
	t = now_s() - t;
	return (double)m->k * (double)m->steps / t;
}

/* ---- 5. the original embedding bag (samples/embedding_bag_sum.c) ---- */

/* Linked from samples/embedding_bag_sum.c itself, compiled on its own at -O2:
 * the timed code is what -O2 makes of the function as users write it, not
 * a clone specialised for this file's dim = 64. */
void embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                       const int64_t *offsets, int64_t num_bags, float *out);

struct embag_set {
	const float *table;
	int64_t rows, bags, *indices, *offsets;
	float *out;
	double tmin; /* shortest timed run, s */
};

static void embag_alloc(struct embag_set *e, int64_t bags)
{
	int64_t n = bags * POOLING;

	e->bags = bags;
	e->indices = xmalloc((size_t)n * sizeof(*e->indices));
	e->offsets = xmalloc((size_t)(bags + 1) * sizeof(*e->offsets));
	e->out = xmalloc((size_t)bags * DIM * sizeof(*e->out));
	for (int64_t i = 0; i < n; i++)
		e->indices[i] = (int64_t)rng_below((uint64_t)e->rows);
	for (int64_t b = 0; b <= bags; b++)
		e->offsets[b] = b * POOLING;
}

static void embag_free(struct embag_set *e)
{
	free(e->indices);
	free(e->offsets);
	free(e->out);
}

static double embag_run(struct embag_set *e)
{
	double t = now_s();

	embedding_bag_sum(e->table, e->rows, DIM, e->indices, e->offsets, e->bags, e->out);
	t = now_s() - t;
	sink += (uint64_t)e->out[0];
	return t;
}

/* Pilot runs (the fastest of three, so that noise cannot shrink the real
 * ones) size the timed runs to about 0.3 s, comfortably above 0.2 s. */
static void embag_prepare(struct embag_set *e, const float *table, size_t bytes)
{
	int64_t bags = 1024;
	double t;

	e->table = table;
	e->rows = (int64_t)(bytes / (DIM * sizeof(float)));
	e->tmin = 1e9;
	for (;;) {
		embag_alloc(e, bags);
		t = embag_run(e);
		if (t > 0.02 * tscale)
			break;
		embag_free(e);
		bags *= 4;
	}
	for (int i = 0; i < 2; i++) {
		double u = embag_run(e);

		if (u < t)
			t = u;
	}
	embag_free(e);
	bags = (int64_t)(0.3 * tscale / t * (double)bags) + 1;
	embag_alloc(e, bags > 4000000 ? 4000000 : bags);
}

/* ns per lookup. The untimed warm-up (the last bags, up to 100k lookups)
 * brings back the caches and translations the other tables displaced. */
static double embag_sample(struct embag_set *e)
{
	int64_t w = e->bags / 4 < 2500 ? e->bags / 4 : 2500;
	double t;

	embedding_bag_sum(e->table, e->rows, DIM, e->indices, e->offsets + e->bags - w, w, e->out);
	t = embag_run(e);

	if (t < e->tmin)
		e->tmin = t;
	return t / (double)(e->bags * POOLING) * 1e9;
}

/* What GCC made of the bag's inner loop: packed (addps) or scalar (addss)
 * float adds, read back from our own machine code with objdump. */
static int embag_insns(char *summary, size_t len)
{
	char line[512], names[24][16], cmd[128];
	int counts[24], nn = 0, in = 0, vec = 0;
	FILE *f;

	/* Not /proc/self: in the shell popen starts, that is the shell. */
	snprintf(cmd, sizeof(cmd), "objdump -d --no-show-raw-insn /proc/%ld/exe 2>/dev/null",
	         (long)getpid());
	f = popen(cmd, "r");
	summary[0] = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *tab, m[16];
		size_t ml;

		if (strstr(line, "<embedding_bag_sum>:")) {
			in = 1;
			continue;
		}
		/* Read on to the end: objdump killed by SIGPIPE fails pclose. */
		if (in != 1)
			continue;
		if (line[0] == '\n') {
			in = 2;
			continue;
		}
		tab = strchr(line, '\t');
		if (!tab || sscanf(tab + 1, "%15s", m) != 1)
			continue;
		ml = strlen(m);
		/* Only single-precision float and vector moves matter here. */
		if (ml < 3 || (strcmp(m + ml - 2, "ss") != 0 && strcmp(m + ml - 2, "ps") != 0 &&
		               !strstr(m, "gather")))
			continue;
		if (strstr(m, "addps") || strstr(m, "gather"))
			vec = 1;
		int k = 0;
		while (k < nn && strcmp(names[k], m) != 0)
			k++;
		if (k == nn && nn < 24) {
			snprintf(names[nn], sizeof(names[nn]), "%s", m);
			counts[nn++] = 0;
		}
		if (k < nn)
			counts[k]++;
	}
	if (pclose(f) != 0 || in != 2)
		return -1;
	for (int k = 0; k < nn; k++) {
		size_t l = strlen(summary);

		snprintf(summary + l, len - l, "%s%s:%d", k ? " " : "", names[k], counts[k]);
	}
	return vec;
}

/* ---- 6. reorder window ---- */

/* Two chains over the 1 GiB cycle, n nops after each load: while both loads
 * fit in the window the misses overlap, one latency per pair; beyond it the
 * second load waits for the first to retire, two latencies per pair. */
#define ROB_FN(N)                                                                                  \
	static void rob_##N(void **pa, void **pb, uint64_t iters)                                  \
	{                                                                                          \
		void *a = *pa, *b = *pb;                                                           \
		__asm__ volatile("1:\n\t"                                                          \
		                 "mov (%0), %0\n\t"                                                \
		                 ".rept " #N "\n\t"                                                \
		                 "nop\n\t"                                                         \
		                 ".endr\n\t"                                                       \
		                 "mov (%1), %1\n\t"                                                \
		                 ".rept " #N "\n\t"                                                \
		                 "nop\n\t"                                                         \
		                 ".endr\n\t"                                                       \
		                 "dec %2\n\t"                                                      \
		                 "jnz 1b"                                                          \
		                 : "+r"(a), "+r"(b), "+r"(iters)                                   \
		                 :                                                                 \
		                 : "memory");                                                      \
		*pa = a;                                                                           \
		*pb = b;                                                                           \
	}

ROB_FN(32)
ROB_FN(64)
ROB_FN(96)
ROB_FN(128)
ROB_FN(160)
ROB_FN(192)
ROB_FN(224)
ROB_FN(256)
ROB_FN(288)
ROB_FN(320)
ROB_FN(352)
ROB_FN(384)
ROB_FN(416)
ROB_FN(448)
ROB_FN(480)
ROB_FN(512)
ROB_FN(544)
ROB_FN(576)
ROB_FN(608)
ROB_FN(640)
ROB_FN(672)
ROB_FN(704)
ROB_FN(768)
ROB_FN(832)
ROB_FN(896)
ROB_FN(1024)

static const struct {
	int n;
	void (*fn)(void **, void **, uint64_t);
} rob_fns[] = {
        {32, rob_32},     {64, rob_64},   {96, rob_96},   {128, rob_128}, {160, rob_160},
        {192, rob_192},   {224, rob_224}, {256, rob_256}, {288, rob_288}, {320, rob_320},
        {352, rob_352},   {384, rob_384}, {416, rob_416}, {448, rob_448}, {480, rob_480},
        {512, rob_512},   {544, rob_544}, {576, rob_576}, {608, rob_608}, {640, rob_640},
        {672, rob_672},   {704, rob_704}, {768, rob_768}, {832, rob_832}, {896, rob_896},
        {1024, rob_1024},
};
#define NROB (int)(sizeof(rob_fns) / sizeof(rob_fns[0]))

static uint64_t rob_prepare(int which, void **pa, void **pb)
{
	uint64_t iters = 256;
	double t;

	for (;;) {
		t = now_s();
		rob_fns[which].fn(pa, pb, iters);
		t = now_s() - t;
		if (t > 0.004 * tscale)
			break;
		iters *= 2;
	}
	return (uint64_t)((double)iters * 0.02 * tscale / t) + 1;
}

/* ns per pair of loads */
static double rob_sample(int which, void **pa, void **pb, uint64_t iters)
{
	double t = now_s();

	rob_fns[which].fn(pa, pb, iters);
	t = now_s() - t;
	return t / (double)iters * 1e9;
}

/* ---- derived values ---- */

static const uint64_t lat_sizes[] = {
        16 * KIB, 32 * KIB,    48 * KIB,  64 * KIB,  128 * KIB, 256 * KIB, 512 * KIB,
        1 * MIB,  3 * MIB / 2, 2 * MIB,   3 * MIB,   4 * MIB,   8 * MIB,   16 * MIB,
        32 * MIB, 64 * MIB,    128 * MIB, 256 * MIB, 512 * MIB, 1 * GIB,   2 * GIB,
};
#define NLAT (int)(sizeof(lat_sizes) / sizeof(lat_sizes[0]))

static const uint64_t embag_sizes[] = {1 * MIB, 16 * MIB, 64 * MIB, 256 * MIB, 1 * GIB, 2 * GIB};
#define NEMBAG (int)(sizeof(embag_sizes) / sizeof(embag_sizes[0]))

/* Laid out in the 2 GiB set's region, used after the latency sweep. */
static const struct {
	uint64_t span;
	size_t stride;
	size_t offset;
} tlb_probes[] = {
        {16 * MIB, 4 * KIB, 0}, {64 * MIB, 4 * KIB, 16 * MIB}, {1 * GIB, 64 * KIB, 128 * MIB}};
#define NTLB (int)(sizeof(tlb_probes) / sizeof(tlb_probes[0]))

struct levels {
	double l1, l2, llc, dram; /* ns */
	uint64_t l1_eff, l2_eff, llc_eff; /* bytes, 0: not found */
	double llc_halfway; /* bytes, 0: not found */
};

static int lat_at(uint64_t bytes)
{
	int best = 0;

	for (int i = 0; i < NLAT; i++)
		if (lat_sizes[i] <= bytes)
			best = i;
	return best;
}

/* Last working set, from index from on, still within 25% of plateau. */
static uint64_t last_within(const double *lat, int from, double plateau)
{
	uint64_t last = 0;

	for (int i = from; i < NLAT && lat[i] <= plateau * 1.25; i++)
		last = lat_sizes[i];
	return last;
}

/* Plateaus are read where a random chase mostly hits the level: the smallest
 * set for L1; for L2 the lowest point above the reported L1 and up to half
 * the reported L2 (larger sets there pay L1 TLB misses, not L2 latency); the
 * smallest set >= 4x L2 for the LLC (a 1-in-4 L2 hit rate at most); the
 * largest set for DRAM. The reported sizes only choose where to look; the
 * effective sizes come from the curve. */
static struct levels derive_levels(const double *lat, long l1_kib, long l2_kib)
{
	struct levels v = {0};
	uint64_t l1 = l1_kib > 0 ? (uint64_t)l1_kib * KIB : 32 * KIB;
	uint64_t l2 = l2_kib > 0 ? (uint64_t)l2_kib * KIB : 1 * MIB;
	int il2 = lat_at(l2 / 2), illc = lat_at(4 * l2);

	if (lat_sizes[illc] < 4 * l2 && illc + 1 < NLAT)
		illc++;
	v.l1 = lat[0];
	v.l1_eff = last_within(lat, 0, v.l1);
	v.l2 = lat[il2];
	for (int i = 0; i <= il2; i++)
		if (lat_sizes[i] > l1 && lat[i] < v.l2)
			v.l2 = lat[i];
	v.llc = lat[illc];
	v.dram = lat[NLAT - 1];
	v.l2_eff = last_within(lat, 1, v.l2);
	v.llc_eff = last_within(lat, illc, v.llc);
	for (int i = illc; i + 1 < NLAT; i++) {
		double mid = (v.llc + v.dram) / 2;

		if (lat[i] <= mid && lat[i + 1] > mid) {
			double f = (mid - lat[i]) / (lat[i + 1] - lat[i]);

			/* interpolate on log size: working sets grow geometrically */
			v.llc_halfway = (double)lat_sizes[i] *
			                pow((double)lat_sizes[i + 1] / (double)lat_sizes[i], f);
			break;
		}
	}
	return v;
}

static double median_of(const double *v, int n)
{
	return summarise(v, n).med;
}

/* The step of the reorder-window curve: the split that best separates the
 * times below and above half-way between the low end (first four points) and
 * the high end (last four), so that one noisy point cannot move it. Returns
 * the index of the first point above the step, or -1 if there is no clear
 * step (less than 1.4x, or more than two points on the wrong side). */
static int rob_step(const double *t, int n, double *lo, double *hi)
{
	int best = -1, best_err = n + 1;
	double mid;

	*lo = median_of(t, 4);
	*hi = median_of(t + n - 4, 4);
	if (*hi < 1.4 * *lo)
		return -1;
	mid = (*lo + *hi) / 2;
	for (int s = 1; s < n; s++) {
		int err = 0;

		for (int i = 0; i < n; i++)
			err += i < s ? t[i] > mid : t[i] <= mid;
		if (err < best_err) {
			best_err = err;
			best = s;
		}
	}
	return best_err <= 2 ? best : -1;
}

static void loadavg(char *buf, size_t len)
{
	char line[128];

	read_first_line("/proc/loadavg", line, sizeof(line));
	/* the first three fields: 1, 5 and 15 minute averages */
	int n = 0;
	for (char *c = line; *c; c++)
		if (*c == ' ' && ++n == 3) {
			*c = 0;
			break;
		}
	snprintf(buf, len, "%s", line);
}

/* ---- main ---- */

static void usage(void)
{
	fprintf(stderr, "usage: calibrate [--json PATH] [--reps N (5..%d)] [--quick] [--no-thp]\n",
	        MAXREPS);
	exit(2);
}

static void json_map(FILE *f, const char *key, int n, const char *const *keys, const double *v,
                     int decimals)
{
	fprintf(f, "  \"%s\": {", key);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s\"%s\": %.*f", i ? ", " : "", keys[i], decimals, v[i]);
	fprintf(f, "},\n");
}

int main(int argc, char **argv)
{
	const char *json_path = "/tmp/host-measured.json";
	int huge = 1;
	double t_start = now_s();

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0 && i + 1 < argc)
			json_path = argv[++i];
		else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc)
			reps = atoi(argv[++i]);
		else if (strcmp(argv[i], "--quick") == 0)
			tscale = 0.3;
		else if (strcmp(argv[i], "--no-thp") == 0)
			huge = 0;
		else
			usage();
	}
	if (reps < 5 || reps > MAXREPS)
		usage();

	char model[256], thp[32], load0[128];
	struct sysfs_cache caches[8];
	int ncaches = sysfs_caches(caches, 8);
	long l1_kib = 0, l2_kib = 0;

	cpu_model(model, sizeof(model));
	thp_mode(thp, sizeof(thp));
	loadavg(load0, sizeof(load0));
	for (int i = 0; i < ncaches; i++)
		if (caches[i].level == 2)
			l2_kib = caches[i].kib;
		else if (caches[i].level == 1 && caches[i].type[0] == 'D')
			l1_kib = caches[i].kib;
	printf("calibrate: %s, %ld CPUs, load average %s, THP mode [%s]\n", model,
	       sysconf(_SC_NPROCESSORS_ONLN), load0, thp);
	printf("every number: median of %d samples taken in %d interleaved rounds; spread = "
	       "(max-min)/median\n",
	       reps, reps);
	for (int i = 0; i < ncaches; i++)
		printf("  sysfs: L%d %-11s %8ld KiB %2d-way\n", caches[i].level, caches[i].type,
		       caches[i].kib, caches[i].ways);
	fflush(stdout);

	/* Every latency set gets its own region, largest first, so that all can
	 * be measured round by round without rebuilding any. */
	size_t lat_off[NLAT], arena_bytes = 0;

	for (int i = NLAT - 1; i >= 0; i--) {
		lat_off[i] = arena_bytes;
		arena_bytes += (lat_sizes[i] + 4095) / 4096 * 4096;
	}
	arena_bytes = (arena_bytes + 2 * MIB - 1) / (2 * MIB) * (2 * MIB);

	double t_fault = now_s();
	char *arena = arena_alloc(arena_bytes, huge);
	long huge_kib = anon_huge_kib();
	int thp_ok = huge_kib >= (long)(arena_bytes / KIB) * 9 / 10;
	uint32_t *ord = xmalloc(2 * GIB / LINE * sizeof(*ord));
	uint32_t *ord1g = xmalloc(1 * GIB / LINE * sizeof(*ord1g));

	t_fault = now_s() - t_fault;
	printf("arena: %zu MiB faulted in %.1f s, AnonHugePages %ld KiB -> 2 MiB pages %s\n",
	       arena_bytes / MIB, t_fault, huge_kib,
	       thp_ok ? "effective (in the guest)"
	              : (huge_kib > 0 ? "PARTLY effective" : "NOT effective"));

	/* 1 */
	struct clock_result clk = measure_clock();
	double ghz = clk.ghz.med;

	printf("\n1. clock: %.3f GHz (add chain, spread %.1f%%), %.3f GHz (imul chain), TSC %.3f "
	       "GHz\n",
	       ghz, clk.ghz.spread, clk.ghz_imul.med, clk.tsc_ghz.med);
	fflush(stdout);

	/* 2 */
	static struct chase_set sets[NLAT];
	static double lat_v[NLAT][MAXREPS];
	double lat[NLAT];
	struct sample lats[NLAT];
	double t_build = now_s();

	for (int i = NLAT - 1; i >= 0; i--) {
		chase_prepare(&sets[i], arena + lat_off[i], lat_sizes[i], LINE, ord);
		if (lat_sizes[i] == 1 * GIB)
			memcpy(ord1g, ord, 1 * GIB / LINE * sizeof(*ord));
	}
	t_build = now_s() - t_build;
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < NLAT; i++)
			lat_v[i][r] = chase_sample(&sets[i]);
	printf("\n2. dependent-load latency (random cycle of 64-byte lines; cycles built in %.1f "
	       "s)\n",
	       t_build);
	printf("   %-9s %9s %9s %8s\n", "set", "ns", "cycles", "spread");
	for (int i = 0; i < NLAT; i++) {
		char l[32];

		lats[i] = summarise(lat_v[i], reps);
		lat[i] = lats[i].med;
		label(l, sizeof(l), lat_sizes[i]);
		printf("   %-9s %9.2f %9.1f %7.1f%%\n", l, lat[i], lat[i] * ghz, lats[i].spread);
	}
	struct levels lv = derive_levels(lat, l1_kib, l2_kib);

	printf("   plateaus: L1 %.1f cyc, L2 %.1f cyc, LLC %.1f cyc (%.1f ns), DRAM %.1f ns "
	       "(%.0f cyc)\n",
	       lv.l1 * ghz, lv.l2 * ghz, lv.llc * ghz, lv.llc, lv.dram, lv.dram * ghz);
	printf("   within 25%% of plateau up to: L1 %" PRIu64 " KiB, L2 %" PRIu64
	       " KiB, LLC %.1f MiB; LLC->DRAM half-way at %.1f MiB\n",
	       lv.l1_eff / KIB, lv.l2_eff / KIB, (double)lv.llc_eff / MIB, lv.llc_halfway / MIB);
	fflush(stdout);

	/* 2b: translation probe. The data (4096 to 16384 lines) stays in L2, so
	 * what the probe adds to L2 latency is address translation: little with
	 * 2 MiB translations (a few dozen TLB entries cover 64 MiB), a page walk
	 * per load with 4 KiB ones (also when the guest has 2 MiB pages but the
	 * hypervisor backs them with 4 KiB pages). The 2 GiB set is done with. */
	static struct chase_set probes[NTLB];
	static double tlb_v[NTLB][MAXREPS];
	struct sample tlb[NTLB];

	for (int i = 0; i < NTLB; i++)
		chase_prepare(&probes[i], arena + lat_off[NLAT - 1] + tlb_probes[i].offset,
		              tlb_probes[i].span, tlb_probes[i].stride, ord);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < NTLB; i++)
			tlb_v[i][r] = chase_sample(&probes[i]);
	printf("   translation probe (one line per stride, L2-resident data):\n");
	for (int i = 0; i < NTLB; i++) {
		char l[32];

		tlb[i] = summarise(tlb_v[i], reps);
		label(l, sizeof(l), tlb_probes[i].span);
		printf("   %-6s / %3zu KiB stride: %7.2f ns %7.1f cycles (spread %.1f%%)\n", l,
		       tlb_probes[i].stride / KIB, tlb[i].med, tlb[i].med * ghz, tlb[i].spread);
	}
	/* A walk costs tens of cycles even with the page tables in cache. */
	int page_kib = tlb[1].med <= lv.l2 + 12 / ghz ? 2048 : 4;

	printf("   effective translation granularity: %s\n",
	       page_kib == 2048 ? "2 MiB (64 MiB probe within 12 cycles of L2)"
	                        : "4 KiB (64 MiB probe pays a page walk per load)");
	fflush(stdout);

	/* 3: over the 1 GiB set's region (any content will do) */
	const char *r1g = arena + lat_off[lat_at(1 * GIB)];
	double seq_v[2][MAXREPS];
	struct sample seq[2];

	seq_sample(r1g, 1 * GIB, 1);
	for (int r = 0; r < reps; r++)
		for (int t = 0; t < 2; t++)
			seq_v[t][r] = seq_sample(r1g, 1 * GIB, t + 1);
	seq[0] = summarise(seq_v[0], reps);
	seq[1] = summarise(seq_v[1], reps);
	printf("\n3. sequential read of 1 GiB: %.2f GB/s 1 thread (spread %.1f%%), %.2f GB/s 2 "
	       "threads (spread %.1f%%)\n",
	       seq[0].med, seq[0].spread, seq[1].med, seq[1].spread);
	fflush(stdout);

	/* 4: the 1 GiB cycle is still intact */
	static struct mlp_set mlps[NMLP];
	static double mlp_v[NMLP][MAXREPS];
	struct sample mlp[NMLP];
	size_t n1g = 1 * GIB / LINE;
	double best = 0, slope = 0;
	int first95 = 0;

	for (int i = 0; i < NMLP; i++)
		mlp_prepare(&mlps[i], i, mlp_ks[i], (char *)r1g, ord1g, n1g);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < NMLP; i++)
			mlp_v[i][r] = mlp_sample(&mlps[i]);
	printf("\n4. memory-level parallelism: k chains over 1 GiB\n");
	printf("   %-4s %14s %9s %8s\n", "k", "Mlines/s", "GB/s", "spread");
	for (int i = 0; i < NMLP; i++) {
		mlp[i] = summarise(mlp_v[i], reps);
		if (mlp[i].med > best)
			best = mlp[i].med;
		/* The rising line: the best rate per chain while chains are few. */
		if (mlp_ks[i] <= 8 && mlp[i].med / mlp_ks[i] > slope)
			slope = mlp[i].med / mlp_ks[i];
		printf("   %-4d %14.1f %9.2f %7.1f%%\n", mlp_ks[i], mlp[i].med * 1e-6,
		       mlp[i].med * LINE * 1e-9, mlp[i].spread);
	}
	for (int i = 0; i < NMLP && !first95; i++)
		if (mlp[i].med >= 0.95 * best)
			first95 = mlp_ks[i];
	double knee = best / slope, concurrency = best / mlp[0].med;

	printf("   outstanding misses: %.1f where the rising line meets the plateau, first k at "
	       "95%% of best %d, best/(k=1) %.1f; gather limit %.2f GB/s\n",
	       knee, first95, concurrency, best * LINE * 1e-9);
	fflush(stdout);

	/* 4b: gathers of 256-byte rows from the 1 GiB region (read only) */
	size_t ng = 4 * MIB; /* 1 GiB of rows per sample */
	uint32_t *gidx = xmalloc(ng * sizeof(*gidx));
	static const struct {
		int nt, dist;
		const char *name;
	} gv[] = {{1, PF_DIST, "prefetch, 1 thread"},
	          {2, PF_DIST, "prefetch, 2 threads"},
	          {1, 0, "no prefetch, 1 thread"}};
	double g_v[3][MAXREPS];
	struct sample g[3];

	for (size_t i = 0; i < ng; i++)
		gidx[i] = (uint32_t)rng_below(1 * GIB / ROW);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < 3; i++)
			g_v[i][r] = gather_sample(r1g, gidx, ng, gv[i].nt, gv[i].dist);
	free(gidx);
	printf("\n4b. random 256-byte row gather over 1 GiB (prefetch %d rows ahead), useful "
	       "GB/s\n",
	       PF_DIST);
	for (int i = 0; i < 3; i++) {
		g[i] = summarise(g_v[i], reps);
		printf("   %-22s %7.2f GB/s (spread %.1f%%)\n", gv[i].name, g[i].med, g[i].spread);
	}
	fflush(stdout);

	/* 6: two chains half the 1 GiB cycle apart */
	void *pa = (char *)r1g + (size_t)ord1g[0] * LINE;
	void *pb = (char *)r1g + (size_t)ord1g[n1g / 2] * LINE;
	uint64_t rob_iters[NROB];
	static double rob_v[NROB][MAXREPS];
	double rob[NROB], rob_lo, rob_hi;
	struct sample robs[NROB];

	for (int i = 0; i < NROB; i++)
		rob_iters[i] = rob_prepare(i, &pa, &pb);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < NROB; i++)
			rob_v[i][r] = rob_sample(i, &pa, &pb, rob_iters[i]);
	printf("\n6. reorder window: two missing loads n nops apart\n   %-6s %10s %8s\n", "n",
	       "ns/pair", "spread");
	for (int i = 0; i < NROB; i++) {
		robs[i] = summarise(rob_v[i], reps);
		rob[i] = robs[i].med;
		printf("   %-6d %10.1f %7.1f%%\n", rob_fns[i].n, rob[i], robs[i].spread);
	}
	int rs = rob_step(rob, NROB, &rob_lo, &rob_hi);
	int rob_est = rs > 0 ? rob_fns[rs].n : -1, rob_prev = rs > 0 ? rob_fns[rs - 1].n : 0;

	if (rob_est > 0)
		printf("   ROB estimate: %d (the step lies between n = %d and %d; %.0f -> %.0f "
		       "ns/pair)\n",
		       rob_est, rob_prev, rob_est, rob_lo, rob_hi);
	else
		printf("   ROB estimate: inconclusive (%.0f -> %.0f ns/pair)\n", rob_lo, rob_hi);
	fflush(stdout);

	/* 5: the table is the 2 GiB region (and its prefixes) */
	float *tf = (float *)(arena + lat_off[NLAT - 1]);
	static struct embag_set eb[NEMBAG];
	static double eb_v[NEMBAG][MAXREPS];
	struct sample ebs[NEMBAG];
	char insns[512];
	int vec;

	/* Small normal floats: denormals or NaNs from the chase pointers would
	 * send the adds through microcode assists. */
	for (size_t i = 0; i < 2 * GIB / sizeof(float); i++)
		tf[i] = 1.0f + (float)(i & 15) * 0.25f;
	vec = embag_insns(insns, sizeof(insns));
	for (int i = 0; i < NEMBAG; i++)
		embag_prepare(&eb[i], tf, embag_sizes[i]);
	for (int r = 0; r < reps; r++)
		for (int i = 0; i < NEMBAG; i++)
			eb_v[i][r] = embag_sample(&eb[i]);
	printf("\n5. embedding bag (samples/embedding_bag_sum.c, -O2, dim %d, pooling %d): inner "
	       "loop %s [%s]\n",
	       DIM, POOLING,
	       vec < 0 ? "unknown (no objdump)"
	       : vec   ? "VECTORISED"
	               : "scalar",
	       insns);
	printf("   %-7s %12s %8s %8s %9s %8s\n", "table", "ns/lookup", "GB/s", "spread", "bags",
	       "min run");
	for (int i = 0; i < NEMBAG; i++) {
		char l[32];

		ebs[i] = summarise(eb_v[i], reps);
		label(l, sizeof(l), embag_sizes[i]);
		printf("   %-7s %12.2f %8.2f %7.1f%% %9" PRId64 " %7.2fs\n", l, ebs[i].med,
		       DIM * 4 / ebs[i].med, ebs[i].spread, eb[i].bags, eb[i].tmin);
	}

	long huge_kib_end = anon_huge_kib();
	double run_s = now_s() - t_start;
	char load1[128];

	loadavg(load1, sizeof(load1));
	printf("\nAnonHugePages at the end: %ld KiB; load average %s; run time %.1f s\n",
	       huge_kib_end, load1, run_s);

	/* ---- JSON ---- */
	FILE *f = fopen(json_path, "w");
	const char *keys[32];
	char keybuf[32][48];
	double v[32];

	if (!f) {
		perror(json_path);
		return 1;
	}
	fprintf(f, "{\n  \"schema\": \"daec-calibrate-1\",\n  \"cpu_model\": \"%s\",\n", model);
	fprintf(f, "  \"reps\": %d,\n  \"quick\": %s,\n", reps, tscale < 1 ? "true" : "false");
	fprintf(f, "  \"load_avg_start\": \"%s\",\n  \"load_avg_end\": \"%s\",\n", load0, load1);
	for (int i = 0; i < ncaches; i++) {
		const char *nm = caches[i].level == 1   ? (caches[i].type[0] == 'D' ? "l1d" : "l1i")
		                 : caches[i].level == 2 ? "l2"
		                                        : "l3";

		fprintf(f, "  \"sysfs_%s_kib\": %ld,\n  \"sysfs_%s_ways\": %d,\n", nm,
		        caches[i].kib, nm, caches[i].ways);
	}
	fprintf(f, "  \"thp\": %s,\n  \"thp_mode\": \"%s\",\n  \"thp_requested\": %s,\n",
	        thp_ok ? "true" : "false", thp, huge ? "true" : "false");
	fprintf(f, "  \"thp_anon_huge_kib\": %ld,\n  \"thp_anon_huge_kib_end\": %ld,\n", huge_kib,
	        huge_kib_end);
	fprintf(f, "  \"arena_mib\": %zu,\n  \"arena_fault_s\": %.2f,\n", arena_bytes / MIB,
	        t_fault);
	fprintf(f, "  \"clock_ghz\": %.4f,\n  \"clock_ghz_spread_pct\": %.2f,\n", ghz,
	        clk.ghz.spread);
	fprintf(f, "  \"clock_ghz_imul\": %.4f,\n  \"tsc_ghz\": %.4f,\n", clk.ghz_imul.med,
	        clk.tsc_ghz.med);

	for (int i = 0; i < NLAT; i++) {
		label(keybuf[i], sizeof(keybuf[i]), lat_sizes[i]);
		keys[i] = keybuf[i];
	}
	json_map(f, "latency_ns", NLAT, keys, lat, 3);
	for (int i = 0; i < NLAT; i++)
		v[i] = lat[i] * ghz;
	json_map(f, "latency_cycles", NLAT, keys, v, 2);
	for (int i = 0; i < NLAT; i++)
		v[i] = lats[i].spread;
	json_map(f, "latency_spread_pct", NLAT, keys, v, 1);
	fprintf(f, "  \"l1_latency_cycles\": %.2f,\n  \"l2_latency_cycles\": %.2f,\n", lv.l1 * ghz,
	        lv.l2 * ghz);
	fprintf(f, "  \"llc_latency_cycles\": %.2f,\n  \"llc_latency_ns\": %.3f,\n", lv.llc * ghz,
	        lv.llc);
	fprintf(f, "  \"dram_latency_ns\": %.3f,\n  \"dram_latency_cycles\": %.1f,\n", lv.dram,
	        lv.dram * ghz);
	fprintf(f, "  \"l1_effective_kib\": %" PRIu64 ",\n  \"l2_effective_kib\": %" PRIu64 ",\n",
	        lv.l1_eff / KIB, lv.l2_eff / KIB);
	fprintf(f, "  \"llc_effective_mib\": %.2f,\n  \"llc_halfway_mib\": %.2f,\n",
	        (double)lv.llc_eff / MIB, lv.llc_halfway / MIB);

	for (int i = 0; i < NTLB; i++) {
		char l[16];

		label(l, sizeof(l), tlb_probes[i].span);
		snprintf(keybuf[i], sizeof(keybuf[i]), "%s/%zuKiB", l, tlb_probes[i].stride / KIB);
		keys[i] = keybuf[i];
		v[i] = tlb[i].med * ghz;
	}
	json_map(f, "tlb_probe_cycles", NTLB, keys, v, 2);
	fprintf(f, "  \"effective_page_kib_est\": %d,\n", page_kib);

	fprintf(f, "  \"seq_read_gbs\": %.3f,\n  \"seq_read_gbs_spread_pct\": %.1f,\n", seq[0].med,
	        seq[0].spread);
	fprintf(f, "  \"seq_read_2t_gbs\": %.3f,\n  \"seq_read_2t_gbs_spread_pct\": %.1f,\n",
	        seq[1].med, seq[1].spread);

	for (int i = 0; i < NMLP; i++) {
		snprintf(keybuf[i], sizeof(keybuf[i]), "%d", mlp_ks[i]);
		keys[i] = keybuf[i];
		v[i] = mlp[i].med * LINE * 1e-9;
	}
	json_map(f, "mlp", NMLP, keys, v, 3);
	for (int i = 0; i < NMLP; i++)
		v[i] = mlp[i].med;
	json_map(f, "mlp_lines_per_s", NMLP, keys, v, 0);
	for (int i = 0; i < NMLP; i++)
		v[i] = mlp[i].spread;
	json_map(f, "mlp_spread_pct", NMLP, keys, v, 1);
	fprintf(f, "  \"miss_buffers_est\": %.1f,\n  \"mlp_first_k_95pct\": %d,\n", knee, first95);
	fprintf(f, "  \"mlp_concurrency\": %.2f,\n  \"gather_limit_gbs\": %.3f,\n", concurrency,
	        best * LINE * 1e-9);
	fprintf(f,
	        "  \"gather_prefetch_gbs\": %.3f,\n  \"gather_prefetch_gbs_spread_pct\": %.1f,\n",
	        g[0].med, g[0].spread);
	fprintf(f,
	        "  \"gather_prefetch_2t_gbs\": %.3f,\n  \"gather_prefetch_2t_gbs_spread_pct\": "
	        "%.1f,\n",
	        g[1].med, g[1].spread);
	fprintf(f,
	        "  \"gather_noprefetch_gbs\": %.3f,\n  \"gather_noprefetch_gbs_spread_pct\": "
	        "%.1f,\n",
	        g[2].med, g[2].spread);

	for (int i = 0; i < NEMBAG; i++) {
		label(keybuf[i], sizeof(keybuf[i]), embag_sizes[i]);
		keys[i] = keybuf[i];
		v[i] = ebs[i].med;
	}
	json_map(f, "embag_ns_per_lookup", NEMBAG, keys, v, 3);
	for (int i = 0; i < NEMBAG; i++)
		v[i] = DIM * 4 / ebs[i].med;
	json_map(f, "embag_gbs", NEMBAG, keys, v, 3);
	for (int i = 0; i < NEMBAG; i++)
		v[i] = ebs[i].spread;
	json_map(f, "embag_spread_pct", NEMBAG, keys, v, 1);
	for (int i = 0; i < NEMBAG; i++)
		v[i] = (double)eb[i].bags;
	json_map(f, "embag_bags", NEMBAG, keys, v, 0);
	for (int i = 0; i < NEMBAG; i++)
		v[i] = eb[i].tmin;
	json_map(f, "embag_min_run_s", NEMBAG, keys, v, 3);
	fprintf(f, "  \"embag_vectorised\": %s,\n  \"embag_insns\": \"%s\",\n",
	        vec < 0 ? "null"
	        : vec   ? "true"
	                : "false",
	        insns);

	for (int i = 0; i < NROB; i++) {
		snprintf(keybuf[i], sizeof(keybuf[i]), "%d", rob_fns[i].n);
		keys[i] = keybuf[i];
	}
	json_map(f, "rob_ns_per_pair", NROB, keys, rob, 2);
	if (rob_est > 0)
		fprintf(f, "  \"rob_est\": %d,\n  \"rob_interval\": [%d, %d],\n", rob_est, rob_prev,
		        rob_est);
	else
		fprintf(f, "  \"rob_est\": null,\n  \"rob_interval\": null,\n");
	fprintf(f, "  \"run_seconds\": %.1f\n}\n", run_s);
	if (fclose(f) != 0) {
		perror(json_path);
		return 1;
	}
	printf("wrote %s\n", json_path);
	return 0;
}
