/* dae_run_range and its lanes mode.
 *
 * On an out-of-order CPU one access/execute split leaves cores idle: the
 * execute side is one thread's worth of arithmetic, and one core's miss
 * buffers cap the access side. A range program's iterations are
 * independent (daec proved it, or checks it at run time through
 * prog->independent), so the lanes split them: the calling thread and up to
 * K - 1 pool workers each run inline pairs (access side as a coroutine, as
 * in inline.c) over chunks taken from one shared counter. Chunks, not one
 * fixed share per lane, because work per iteration varies (a power-law
 * graph's rows) and a lane that finishes early takes the next chunk.
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

struct lanes_call {
	const struct dae_range_program *prog;
	void *arg;
	uint64_t n, chunk;
	uint64_t ahead; /* fused chunks: rows kept prefetched (the tuning's fused_ahead) */
	struct fpenv env;
	/* On a line of its own: every lane hits it once per chunk, and it must
	 * not share a line with the fields each lane only reads. */
	alignas(64) _Atomic uint64_t next; /* first iteration of the next chunk */
	alignas(64) _Atomic uint64_t tokens, operands, words; /* the workers' counters */
	_Atomic unsigned fpflags; /* the workers' exception flags */
};

static void counters_add(struct dae_queue_counters *sum, const struct dae_queue_counters *c)
{
	sum->tokens += c->tokens;
	sum->operands += c->operands;
	sum->words += c->words;
}

/* Iterations a fused lane prefetches ahead at most, whatever their rows. */
#define FUSED_RING 64

/* A chunk of a fused program (dae_range_program.prefetch and .direct): one
 * loop, no queue. Before iteration i runs, the iterations after it are
 * prefetched until about `ahead` rows are in flight, as the access side of
 * an inline pair would be ahead of its execute side; the ring remembers how
 * many rows each one prefetched, so that they leave the count as they run. */
static void fused_chunk(const struct dae_range_program *prog, void *arg, uint64_t first,
                        uint64_t end, uint64_t ahead)
{
	uint64_t rows[FUSED_RING], inflight = 0, next = first;

	for (uint64_t i = first; i < end; i++) {
		while (next < end && next - i < FUSED_RING && inflight < ahead) {
			uint64_t n = prog->prefetch(arg, next);
			rows[next % FUSED_RING] = n;
			inflight += n;
			next++;
		}
		prog->direct(arg, i, i + 1);
		inflight -= rows[i % FUSED_RING];
	}
}

/* Runs chunks on r until none is left. */
static void lane_chunks(struct lanes_call *lc, struct dae_inline_run *r,
                        struct dae_queue_counters *sum)
{
	struct dae_program p = as_program(lc->prog);

	for (;;) {
		/* relaxed: the counter only hands out disjoint chunks; what a
		 * chunk reads was published to this thread before the call
		 * (the job's post is a release/acquire through the inbox). */
		uint64_t first =
		        atomic_fetch_add_explicit(&lc->next, lc->chunk, memory_order_relaxed);
		struct dae_queue_counters c;
		struct range_call rc = {lc->prog, lc->arg, first, 0};

		if (first >= lc->n)
			return;
		rc.end = lc->n - first < lc->chunk ? lc->n : first + lc->chunk;
		if (lc->prog->prefetch && lc->prog->direct) {
			fused_chunk(lc->prog, lc->arg, first, rc.end, lc->ahead);
			continue;
		}
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
	int err;

	lc.prog = prog;
	lc.arg = arg;
	lc.n = n;
	lc.chunk = n / ((uint64_t)k * dae_tuning()->lane_chunks);
	if (lc.chunk == 0)
		lc.chunk = 1;
	lc.ahead = dae_tuning()->fused_ahead;
	lc.env = *env;
	atomic_init(&lc.next, 0);
	atomic_init(&lc.tokens, 0);
	atomic_init(&lc.operands, 0);
	atomic_init(&lc.words, 0);
	atomic_init(&lc.fpflags, 0);
	/* The caller's own lane first: if it cannot start, nothing has run
	 * and the caller may still fall back to its original code. */
	err = dae_inline_claim(&r);
	if (err)
		return err;
	/* Fewer workers than asked (none idle, none creatable) only means
	 * fewer lanes. */
	while (nw < k - 1 && dae_pool_claim(&w[nw]) == 0) {
		dae_pool_post(w[nw], lane_job, &lc);
		nw++;
	}
	lane_chunks(&lc, r, &sum);
	dae_inline_release(r);
	for (unsigned i = 0; i < nw; i++) {
		dae_pool_wait(w[i]);
		dae_pool_release(w[i]);
	}
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

	if (!prog || !prog->access || !prog->execute || !prog->prefetch != !prog->direct)
		return -EINVAL;
	m = dae_run_mode_get();
	k = lanes_for(m, n);
	if (k > 1 && prog->independent && !prog->independent(arg))
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
