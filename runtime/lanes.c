/* dae_run_range and its lanes mode.
 *
 * On an out-of-order CPU one access/execute split leaves cores idle: the
 * execute side is one thread's worth of arithmetic, and one core's miss
 * buffers cap the access side. A range program's iterations are
 * independent (daec proved it, or checks it at run time), so the lanes
 * split them: the calling thread and up to K - 1 pool workers each run
 * inline pairs (access side as a coroutine, as in inline.c), or the
 * program's fused loop (lane.h), over chunks taken from one shared counter.
 * Chunks, not one fixed share per lane, because work per iteration varies
 * (a power-law graph's rows) and a lane that finishes early takes the next
 * chunk.
 *
 * A run-time check by chunk (prog->apart) is made by the lane that takes
 * the chunk, as it takes it: split across the lanes, and reading indices
 * the lane is about to read anyway (a whole-call check on the caller read
 * 10 MiB of them first, 2 to 4% of a 1 GiB embedding bag). A chunk runs
 * only once every chunk before it has passed, so that when one fails, the
 * chunks that ran are exactly those before it, whose reads no write can
 * touch, and the rest can still run in order after them.
 *
 * The workers are libdae's pool (run.c): they spin briefly on their inbox
 * and then sleep, so back-to-back calls find them awake and a call wakes
 * each worker once, not once per bag or chunk. Calls too short to pay for
 * a wake run inline on the caller. */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "dae/run.h"
#include "inline.h"
#include "pool.h"

#define DAE_STR_(x) #x
#define DAE_STR(x) DAE_STR_(x)

/* ---- a range program run as a plain one ---------------------------------- */

struct range_call {
	const struct dae_range_program *prog;
	void *arg;
	uint64_t first, end;
};

static void range_access(struct dae_queue *q, void *p)
{
	const struct range_call *c = p;

	c->prog->access(q, c->arg, c->first, c->end);
}

static void range_execute(struct dae_queue *q, void *p)
{
	const struct range_call *c = p;

	c->prog->execute(q, c->arg, c->first, c->end);
}

static struct dae_program as_program(const struct dae_range_program *prog)
{
	return (struct dae_program){prog->name, range_access, range_execute};
}

/* ---- how many lanes ------------------------------------------------------- */

static struct {
	pthread_once_t once;
	unsigned cpus; /* DAE_LANES, else the CPUs this process may run on */
	_Atomic unsigned set; /* dae_run_lanes_set, 0 if never */
} lanes = {.once = PTHREAD_ONCE_INIT};

static void lanes_setup(void)
{
	cpu_set_t set;
	unsigned long long v;
	long n = 0;

	if (sched_getaffinity(0, sizeof(set), &set) == 0)
		n = CPU_COUNT(&set);
	if (n <= 0)
		n = sysconf(_SC_NPROCESSORS_ONLN);
	if (n <= 0)
		n = 1;
	if (n > DAE_RUN_WORKERS_MAX)
		n = DAE_RUN_WORKERS_MAX;
	lanes.cpus = (unsigned)n;
	if (dae_env_parse("DAE_LANES", 1, DAE_RUN_WORKERS_MAX,
	                  "a lane count from 1 to " DAE_STR(DAE_RUN_WORKERS_MAX), &v))
		lanes.cpus = (unsigned)v;
}

int dae_run_lanes_set(unsigned k)
{
	if (k > DAE_RUN_WORKERS_MAX)
		return -EINVAL;
	pthread_once(&lanes.once, lanes_setup);
	/* relaxed: a lone setting that orders nothing else; a call racing
	 * with this one may use either value. */
	atomic_store_explicit(&lanes.set, k, memory_order_relaxed);
	return 0;
}

unsigned dae_run_lanes_get(void)
{
	unsigned k;

	pthread_once(&lanes.once, lanes_setup);
	/* relaxed: see dae_run_lanes_set. */
	k = atomic_load_explicit(&lanes.set, memory_order_relaxed);
	return k ? k : lanes.cpus;
}

/* ---- the floating-point environment -------------------------------------- */

/* Rounding mode, flush-to-zero and exception masks are per thread: a worker
 * running the user's arithmetic must round as the caller does, and the
 * exception flags it raises belong to the caller. */
struct fpenv {
	unsigned mxcsr;
	unsigned short x87cw;
};

#define FP_FLAGS 0x3fu /* IE DE ZE OE UE PE, the same bits in MXCSR and the x87 status word */

#if defined(__x86_64__)
static void fp_get(struct fpenv *e)
{
	e->mxcsr = __builtin_ia32_stmxcsr();
	__asm__ volatile("fnstcw %0" : "=m"(e->x87cw));
}

/* The caller's environment; false when an exception is unmasked (a trap
 * would fire on a worker, whose signals are blocked), so lanes are off. */
static bool fp_capture(struct fpenv *e)
{
	fp_get(e);
	return ((e->mxcsr >> 7) & FP_FLAGS) == FP_FLAGS && (e->x87cw & FP_FLAGS) == FP_FLAGS;
}

/* Takes on the caller's environment with no flags raised; *saved gets the
 * worker's own. */
static void fp_enter(const struct fpenv *caller, struct fpenv *saved)
{
	fp_get(saved);
	__builtin_ia32_ldmxcsr(caller->mxcsr & ~FP_FLAGS);
	__asm__ volatile("fnclex\n\tfldcw %0" : : "m"(caller->x87cw));
}

/* The flags raised since fp_enter; gives the worker its environment back. */
static unsigned fp_leave(const struct fpenv *saved)
{
	unsigned short sw;
	unsigned flags = __builtin_ia32_stmxcsr() & FP_FLAGS;

	__asm__ volatile("fnstsw %0" : "=m"(sw));
	flags |= sw & FP_FLAGS;
	__builtin_ia32_ldmxcsr(saved->mxcsr);
	__asm__ volatile("fnclex\n\tfldcw %0" : : "m"(saved->x87cw));
	return flags;
}

/* Raises flags in the caller, as its own arithmetic would have (fetestexcept
 * reads both units; MXCSR alone can be set without a trap). */
static void fp_raise(unsigned flags)
{
	if (flags)
		__builtin_ia32_ldmxcsr(__builtin_ia32_stmxcsr() | flags);
}
#else
/* Elsewhere libdae does not know how to move the environment: no lanes. */
static bool fp_capture(struct fpenv *e)
{
	(void)e;
	return false;
}

static void fp_enter(const struct fpenv *caller, struct fpenv *saved)
{
	(void)caller;
	(void)saved;
}

static unsigned fp_leave(const struct fpenv *saved)
{
	(void)saved;
	return 0;
}

static void fp_raise(unsigned flags)
{
	(void)flags;
}
#endif

/* ---- the lanes ------------------------------------------------------------ */

/* Results of the chunk checks kept at once (a power of two): chunk c's is
 * in slot c % CHECK_RING until the frontier has passed it. */
#define CHECK_RING 256u
#define NONE UINT64_MAX

struct lanes_call {
	const struct dae_range_program *prog;
	void *arg;
	uint64_t n, chunk, nchunks;
	uint64_t ahead; /* fused lanes: rows kept prefetched (the tuning's fused_ahead) */
	struct fpenv env;
	/* On a line of its own: every lane hits it once per chunk, and it must
	 * not share a line with the fields each lane only reads. */
	alignas(64) _Atomic uint64_t next; /* first iteration of the next chunk */
	/* The checks (prog->apart): chunks 0 .. frontier - 1 passed; failed
	 * is the first chunk that failed or was given up, NONE if none;
	 * passed[c % CHECK_RING] is (c << 1) | 1 once chunk c passed. */
	alignas(64) _Atomic uint64_t frontier;
	_Atomic uint64_t failed;
	_Atomic uint64_t passed[CHECK_RING];
	alignas(64) _Atomic uint64_t tokens, operands, words; /* the workers' counters */
	_Atomic unsigned fpflags; /* the workers' exception flags */
};

struct dae_lane {
	struct lanes_call *lc;
	bool done; /* dae_lane_take said no */
};

static void counters_add(struct dae_queue_counters *sum, const struct dae_queue_counters *c)
{
	sum->tokens += c->tokens;
	sum->operands += c->operands;
	sum->words += c->words;
}

/* Moves the frontier over the chunks that passed. Any lane may: the one
 * whose check completes a prefix is not always the one waiting on it. */
static void frontier_advance(struct lanes_call *lc)
{
	/* acquire, with the release of the check's result below: a lane that
	 * sees the frontier past a chunk sees that chunk's check done. The
	 * checks only read memory no lane writes during the call, so nothing
	 * else depends on it; it keeps the reasoning local. */
	uint64_t f = atomic_load_explicit(&lc->frontier, memory_order_acquire);

	while (f < lc->nchunks && atomic_load_explicit(&lc->passed[f % CHECK_RING],
	                                               memory_order_acquire) == ((f << 1) | 1)) {
		/* acq_rel: publishes what this lane saw to whoever reads the new
		 * frontier; on failure f is the frontier another lane set. */
		if (atomic_compare_exchange_weak_explicit(
		            &lc->frontier, &f, f + 1, memory_order_acq_rel, memory_order_acquire))
			f++;
	}
}

/* Records that chunk c will not run in the lanes: the rest of the range,
 * from the first such chunk on, runs after them. */
static void chunk_fail(struct lanes_call *lc, uint64_t c)
{
	/* relaxed: the lanes only compare chunk numbers with it, and the
	 * caller reads it after joining them. */
	uint64_t f = atomic_load_explicit(&lc->failed, memory_order_relaxed);

	while (c < f && !atomic_compare_exchange_weak_explicit(
	                        &lc->failed, &f, c, memory_order_relaxed, memory_order_relaxed))
		;
}

/* Between two looks at another lane's progress: pauses at first, then
 * yields, since with more lanes than CPUs the lane waited on may be the one
 * that needs this CPU. */
static void lane_relax(unsigned *spins)
{
	if (++*spins < 1024) {
#if defined(__x86_64__) || defined(__i386__)
		__builtin_ia32_pause();
#elif defined(__aarch64__)
		__asm__ __volatile__("yield");
#endif
	} else {
		sched_yield();
	}
}

static uint64_t failed_chunk(struct lanes_call *lc)
{
	/* relaxed: see chunk_fail. */
	return atomic_load_explicit(&lc->failed, memory_order_relaxed);
}

/* Waits until the frontier is past chunk c - lead (frontier + lead > c)
 * and returns 1, or returns 0, the lane done, once a chunk at or before c
 * has failed: every chunk before the failed one passes in the end, so a
 * lane waits for those and gives up the others. */
static int frontier_wait(struct dae_lane *lane, uint64_t c, uint64_t lead)
{
	struct lanes_call *lc = lane->lc;
	unsigned spins = 0;

	/* acquire: see frontier_advance. */
	while (atomic_load_explicit(&lc->frontier, memory_order_acquire) + lead <= c) {
		if (failed_chunk(lc) <= c) {
			lane->done = true;
			return 0;
		}
		frontier_advance(lc);
		lane_relax(&spins);
	}
	return 1;
}

int dae_lane_take(struct dae_lane *lane, uint64_t *first, uint64_t *end)
{
	struct lanes_call *lc = lane->lc;
	uint64_t f, e, c;

	if (lane->done || failed_chunk(lc) != NONE) {
		lane->done = true;
		return 0;
	}
	/* relaxed: the counter only hands out disjoint chunks; what a chunk
	 * reads was published to this thread before the call (the job's post
	 * is a release/acquire through the inbox). */
	f = atomic_fetch_add_explicit(&lc->next, lc->chunk, memory_order_relaxed);
	if (f >= lc->n) {
		lane->done = true;
		return 0;
	}
	e = lc->n - f < lc->chunk ? lc->n : f + lc->chunk;
	if (!lc->prog->apart)
		goto take;
	c = f / lc->chunk;
	/* Chunk c's result goes in the slot of chunk c - CHECK_RING, which the
	 * frontier must have passed. Every chunk before c has been taken, and
	 * is checked as soon as it is, so the frontier gets there unless one
	 * fails; then c is after it and runs with the rest. */
	if (!frontier_wait(lane, c, CHECK_RING))
		return 0;
	if (!lc->prog->apart(lc->arg, f, e)) {
		chunk_fail(lc, c);
		lane->done = true;
		return 0;
	}
	/* release: pairs with the acquire in frontier_advance. */
	atomic_store_explicit(&lc->passed[c % CHECK_RING], (c << 1) | 1, memory_order_release);
	frontier_advance(lc);
take:
	*first = f;
	*end = e;
	return 1;
}

int dae_lane_wait(struct dae_lane *lane, uint64_t first)
{
	struct lanes_call *lc = lane->lc;

	return !lc->prog->apart || frontier_wait(lane, first / lc->chunk, 0);
}

uint64_t dae_lane_ahead(const struct dae_lane *lane)
{
	return lane->lc->ahead;
}

int dae_lane_pace_fill(struct dae_lane_pace *pace)
{
	for (;;) {
		if (pace->cur == pace->tail && !dae_lane_walk(pace, pace->walk))
			return 0;
		const uint64_t k = pace->cur++ % DAE_LANE_RING;
		if (pace->rows[k]) {
			pace->at = pace->first[k];
			pace->left = pace->rows[k];
			pace->size = pace->sizes[k];
			return 1;
		}
	}
}

/* Runs the chunks this lane takes on r (as inline pairs) or through
 * prog->fused, until none is left for it. */
static void lane_chunks(struct lanes_call *lc, struct dae_inline_run *r,
                        struct dae_queue_counters *sum)
{
	struct dae_program p = as_program(lc->prog);
	struct dae_lane lane = {lc, false};
	struct range_call rc = {lc->prog, lc->arg, 0, 0};

	if (lc->prog->fused) {
		lc->prog->fused(lc->arg, &lane);
		return;
	}
	while (dae_lane_take(&lane, &rc.first, &rc.end) && dae_lane_wait(&lane, rc.first)) {
		struct dae_queue_counters c;
		dae_inline_go(r, &p, &rc, &c);
		counters_add(sum, &c);
	}
}

/* A worker's lane. If it cannot get a stack it takes no chunk, and the
 * other lanes run them all. */
static void lane_job(struct dae_queue *q, void *p)
{
	struct lanes_call *lc = p;
	struct dae_queue_counters sum = {0};
	struct dae_inline_run *r;
	struct fpenv saved;
	unsigned flags;

	(void)q; /* each chunk runs on the lane's own inline queue */
	if (dae_inline_claim(&r))
		return;
	fp_enter(&lc->env, &saved);
	lane_chunks(lc, r, &sum);
	flags = fp_leave(&saved);
	dae_inline_release(r);
	/* relaxed: the caller reads these after dae_pool_wait, whose outbox
	 * hand-off orders them (release by the worker, acquire by the
	 * caller). */
	atomic_fetch_or_explicit(&lc->fpflags, flags, memory_order_relaxed);
	atomic_fetch_add_explicit(&lc->tokens, sum.tokens, memory_order_relaxed);
	atomic_fetch_add_explicit(&lc->operands, sum.operands, memory_order_relaxed);
	atomic_fetch_add_explicit(&lc->words, sum.words, memory_order_relaxed);
}

static int run_lanes(const struct dae_range_program *prog, void *arg, uint64_t n, unsigned k,
                     const struct fpenv *env)
{
	struct dae_worker *w[DAE_RUN_WORKERS_MAX];
	struct dae_queue_counters sum = {0};
	struct dae_inline_run *r;
	struct lanes_call lc;
	unsigned nw = 0;
	uint64_t bad;
	int err;

	lc.prog = prog;
	lc.arg = arg;
	lc.n = n;
	if (prog->fused)
		lc.chunk = dae_tuning()->fused_chunk;
	else
		lc.chunk = n / ((uint64_t)k * dae_tuning()->lane_chunks);
	if (lc.chunk == 0)
		lc.chunk = 1;
	lc.nchunks = n / lc.chunk + (n % lc.chunk != 0);
	lc.ahead = dae_tuning()->fused_ahead; /* at least 1: tune.c and machine.c refuse 0 */
	lc.env = *env;
	atomic_init(&lc.next, 0);
	atomic_init(&lc.frontier, 0);
	atomic_init(&lc.failed, NONE);
	for (unsigned i = 0; i < CHECK_RING; i++)
		atomic_init(&lc.passed[i], 0); /* (c << 1) | 1 is never 0 */
	atomic_init(&lc.tokens, 0);
	atomic_init(&lc.operands, 0);
	atomic_init(&lc.words, 0);
	atomic_init(&lc.fpflags, 0);
	/* The caller's own lane first: if it cannot start, nothing has run
	 * and the caller may still fall back to its original code. */
	err = dae_inline_claim(&r);
	if (err)
		return err;
	if (prog->apart && prog->assume_apart)
		prog->assume_apart(arg, 1);
	/* Fewer workers than asked (none idle, none creatable) only means
	 * fewer lanes. */
	while (nw < k - 1 && dae_pool_claim(&w[nw]) == 0) {
		dae_pool_post(w[nw], lane_job, &lc);
		nw++;
	}
	lane_chunks(&lc, r, &sum);
	for (unsigned i = 0; i < nw; i++) {
		dae_pool_wait(w[i]);
		dae_pool_release(w[i]);
	}
	/* Every lane has stopped: the chunks before the failed one have run,
	 * none after it has. The rest runs in order, as written, on one pair,
	 * the program told that its chunks may no longer be apart. */
	bad = failed_chunk(&lc);
	if (bad != NONE) {
		struct range_call rest = {prog, arg, bad * lc.chunk, n};
		struct dae_program p = as_program(prog);
		struct dae_queue_counters c;

		if (prog->assume_apart)
			prog->assume_apart(arg, 0);
		dae_inline_go(r, &p, &rest, &c);
		counters_add(&sum, &c);
	}
	dae_inline_release(r);
	/* relaxed: every worker's job has returned (see lane_job). */
	sum.tokens += atomic_load_explicit(&lc.tokens, memory_order_relaxed);
	sum.operands += atomic_load_explicit(&lc.operands, memory_order_relaxed);
	sum.words += atomic_load_explicit(&lc.words, memory_order_relaxed);
	fp_raise(atomic_load_explicit(&lc.fpflags, memory_order_relaxed));
	dae_stats_add(&sum);
	return 0;
}

/* Lanes for a call of n iterations in mode m: 1 unless the mode allows a
 * split and every lane gets at least the tuning's lanes_min iterations. */
static unsigned lanes_for(enum dae_mode m, uint64_t n)
{
	uint64_t min = dae_tuning()->lanes_min;
	unsigned k;

	if (m != DAE_MODE_LANES && m != DAE_MODE_AUTO)
		return 1;
	k = dae_run_lanes_get();
	/* The chunk counter runs up to n + k * chunk: keep it far from wrapping. */
	if (n > UINT64_MAX / 2)
		return 1;
	if (n / min < k)
		k = (unsigned)(n / min);
	return k ? k : 1;
}

int dae_run_range(const struct dae_range_program *prog, void *arg, uint64_t n)
{
	enum dae_mode m;
	struct fpenv env;
	unsigned k;

	if (!prog || !prog->access || !prog->execute)
		return -EINVAL;
	m = dae_run_mode_get();
	k = lanes_for(m, n);
	/* With apart the lanes check their chunks as they take them. */
	if (k > 1 && !prog->apart && prog->independent && !prog->independent(arg))
		k = 1;
	if (k > 1 && fp_capture(&env))
		return run_lanes(prog, arg, n, k, &env);

	struct range_call rc = {prog, arg, 0, n};
	struct dae_program p = as_program(prog);
	return dae_run_pair(&p, &rc, dae_run_mode_resolve(m));
}

int dae_run_range_traced(const struct dae_range_program *prog, void *arg, uint64_t n)
{
	if (!prog || !prog->access || !prog->execute)
		return -EINVAL;

	struct range_call rc = {prog, arg, 0, n};
	struct dae_program p = as_program(prog);
	return dae_run_traced(&p, &rc);
}
