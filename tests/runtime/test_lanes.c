/* dae_run_range and the lanes mode: what they promise.
 *
 *  - every iteration of the range runs exactly once, whatever the mode,
 *    the number of lanes and the range's length;
 *  - in the lanes mode a long range is shared by several threads, a short
 *    one (fewer than DAE_RUN_LANES_MIN iterations per lane) and one whose
 *    independent() check says no stay on the calling thread;
 *  - a fused program runs each iteration once, after walking it, with no
 *    queue, and prefetches each row once, fused_ahead rows ahead of the
 *    row it reads;
 *  - with a check by chunk (apart), a chunk runs in a lane only once it and
 *    every chunk before it have passed; after the first that fails, the
 *    rest runs in order on the caller, after every lane has stopped, and
 *    the program is told which (assume_apart);
 *  - a worker computes in the caller's floating-point environment and the
 *    exception flags it raises end up in the caller's;
 *  - one call counts as one run in the statistics. */
#include <errno.h>
#include <fenv.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "dae/dae.h"

/* What the iterations saw. */
struct seen {
	uint64_t n;
	_Atomic unsigned *hits; /* per iteration: how often it ran */
	pthread_t *thread; /* per iteration: which thread executed it */
	_Atomic int out_of_range; /* a side got first > end or end > n */
	_Atomic int other_thread_ran; /* an iteration ran off the caller's thread */
	pthread_t caller;
	int wait_for_other; /* the chunk holding iteration 0 waits for another lane */
	_Atomic int other_chunk; /* a chunk other than the first has started */
	int fp_work; /* iterations compute in floating point, see fp_iteration */
	float *quotient; /* per iteration: 1 / 3 as rounded there */
	int independent; /* what the independent() check answers */
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void access_side(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	struct seen *s = arg;

	if (first > end || end > s->n)
		atomic_store(&s->out_of_range, 1);
	for (uint64_t i = first; i < end; i++) {
		dae_queue_push_token(q, 1);
		dae_queue_push_u64(q, i);
	}
}

/* Off the caller's thread only: a division by zero whose flag must reach
 * the caller; everywhere: 1 / 3 rounded in the current mode. */
static void fp_iteration(struct seen *s, uint64_t i, int on_caller)
{
	volatile float one = 1.0f, three = 3.0f, zero = 0.0f, inf;

	s->quotient[i] = one / three;
	if (!on_caller) {
		inf = one / zero;
		(void)inf;
	}
}

static void execute_side(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	struct seen *s = arg;
	int on_caller = pthread_equal(pthread_self(), s->caller);

	if (s->wait_for_other && first == 0) {
		/* Chunk 0 is the first one taken, and this lane is held in it
		 * until another chunk starts, which only another lane can do:
		 * without one this times out and the test fails. */
		double until = now_s() + 10.0;
		while (!atomic_load(&s->other_chunk) && now_s() < until)
			;
	} else {
		atomic_store(&s->other_chunk, 1);
	}
	for (;;) {
		if (dae_queue_pop_token(q) == DAE_TOKEN_DONE)
			break;
		uint64_t i = dae_queue_pop_u64(q);
		if (i < first || i >= end || i >= s->n) {
			atomic_store(&s->out_of_range, 1);
			continue;
		}
		atomic_fetch_add(&s->hits[i], 1);
		s->thread[i] = pthread_self();
		if (s->fp_work)
			fp_iteration(s, i, on_caller);
		if (!on_caller)
			atomic_store(&s->other_thread_ran, 1);
	}
}

static int independent(void *arg)
{
	return ((const struct seen *)arg)->independent;
}

static const struct dae_range_program prog = {
        .name = "test_lanes",
        .access = access_side,
        .execute = execute_side,
        .independent = independent,
};

static void seen_init(struct seen *s, uint64_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->hits = calloc(n ? n : 1, sizeof(*s->hits));
	s->thread = calloc(n ? n : 1, sizeof(*s->thread));
	s->quotient = calloc(n ? n : 1, sizeof(*s->quotient));
	assert_non_null(s->hits);
	assert_non_null(s->thread);
	assert_non_null(s->quotient);
	s->caller = pthread_self();
	s->independent = 1;
}

static void seen_exit(struct seen *s)
{
	free(s->hits);
	free(s->thread);
	free(s->quotient);
}

static void assert_each_once(const struct seen *s)
{
	assert_int_equal(atomic_load(&s->out_of_range), 0);
	for (uint64_t i = 0; i < s->n; i++)
		if (atomic_load(&s->hits[i]) != 1)
			fail_msg("iteration %llu ran %u times", (unsigned long long)i,
			         atomic_load(&s->hits[i]));
}

static void restore_defaults(void)
{
	assert_int_equal(dae_run_mode_set(DAE_MODE_AUTO), 0);
	assert_int_equal(dae_run_lanes_set(0), 0);
}

static void every_iteration_runs_once_in_every_mode(void **state)
{
	static const enum dae_mode modes[] = {DAE_MODE_LANES, DAE_MODE_AUTO, DAE_MODE_INLINE,
	                                      DAE_MODE_THREADS};
	static const unsigned ks[] = {1, 2, 3, 8};
	static const uint64_t ns[] = {0, 1, 63, 64, 127, 128, 129, 1000, 100003};
	(void)state;

	for (size_t m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++)
			for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
				struct seen s;
				seen_init(&s, ns[i]);
				assert_int_equal(dae_run_mode_set(modes[m]), 0);
				assert_int_equal(dae_run_lanes_set(ks[k]), 0);
				assert_int_equal(dae_run_range(&prog, &s, ns[i]), 0);
				assert_each_once(&s);
				seen_exit(&s);
			}
	restore_defaults();
}

static void a_long_range_is_shared_by_two_lanes(void **state)
{
	struct seen s;
	(void)state;

	seen_init(&s, 100000);
	s.wait_for_other = 1;
	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	assert_int_equal(dae_run_lanes_set(2), 0);
	assert_int_equal(dae_run_range(&prog, &s, s.n), 0);
	assert_each_once(&s);
	assert_true(atomic_load(&s.other_thread_ran));
	seen_exit(&s);
	restore_defaults();
}

/* Every iteration on the calling thread. */
static void assert_all_on_caller(const struct seen *s)
{
	assert_each_once(s);
	for (uint64_t i = 0; i < s->n; i++)
		assert_true(pthread_equal(s->thread[i], s->caller));
}

static void short_ranges_and_dependent_calls_stay_on_the_caller(void **state)
{
	struct seen s;
	(void)state;

	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	assert_int_equal(dae_run_lanes_set(4), 0);
	/* Fewer than DAE_RUN_LANES_MIN iterations per lane for 2 lanes. */
	seen_init(&s, 2 * DAE_RUN_LANES_MIN - 1);
	assert_int_equal(dae_run_range(&prog, &s, s.n), 0);
	assert_all_on_caller(&s);
	seen_exit(&s);

	seen_init(&s, 100000);
	s.independent = 0;
	assert_int_equal(dae_run_range(&prog, &s, s.n), 0);
	assert_all_on_caller(&s);
	seen_exit(&s);
	restore_defaults();
}

static void workers_round_and_raise_as_the_caller(void **state)
{
	volatile float one = 1.0f, three = 3.0f;
	float up;
	struct seen s;
	(void)state;

	assert_int_equal(fesetround(FE_UPWARD), 0);
	up = one / three;
	feclearexcept(FE_ALL_EXCEPT);
	seen_init(&s, 100000);
	s.wait_for_other = 1;
	s.fp_work = 1;
	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	assert_int_equal(dae_run_lanes_set(2), 0);
	assert_int_equal(dae_run_range(&prog, &s, s.n), 0);
	assert_true(atomic_load(&s.other_thread_ran));
	/* Only workers divided by zero: the flag came back from them. */
	assert_true(fetestexcept(FE_DIVBYZERO));
	for (uint64_t i = 0; i < s.n; i++)
		if (memcmp(&s.quotient[i], &up, sizeof(up)) != 0)
			fail_msg("iteration %llu rounded 1/3 as %a, the caller as %a",
			         (unsigned long long)i, (double)s.quotient[i], (double)up);
	fesetround(FE_TONEAREST);
	feclearexcept(FE_ALL_EXCEPT);
	seen_exit(&s);
	restore_defaults();
}

static void one_call_is_one_run(void **state)
{
	struct dae_stats before, after;
	struct seen s;
	(void)state;

	seen_init(&s, 100000);
	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	assert_int_equal(dae_run_lanes_set(2), 0);
	dae_stats_get(&before);
	assert_int_equal(dae_run_range(&prog, &s, s.n), 0);
	dae_stats_get(&after);
	assert_int_equal(after.runs - before.runs, 1);
	/* One operand word per iteration, whichever lane pushed it. */
	assert_true(after.operands - before.operands == s.n);
	seen_exit(&s);
	restore_defaults();
}

/* ---- fused lanes: prefetch ahead, then direct, no queue ---- */

#define FUSED_AHEAD 16 /* rows, through dae_run_tuning (DAE_FUSED_AHEAD) */
#define FUSED_CHUNK 8 /* iterations a fused lane takes (DAE_FUSED_CHUNK) */

/* What a fused program saw, in one global order of events (clock + 1 at
 * each, 0 if none): per iteration when it was walked and run, per row
 * when it was prefetched and read, and the most rows a thread had
 * prefetched and not yet read when it read one. Iteration i looks up
 * rows_of(i) rows by the index elements elem[first[i]] on, each element
 * the row's number. */
struct fused_seen {
	uint64_t n, nrows;
	uint64_t *first, *elem;
	_Atomic uint64_t clock;
	_Atomic uint64_t *walked, *ran, *prefetched, *read;
	_Atomic unsigned *walks, *runs, *prefetches, *reads;
	_Atomic uint64_t most_ahead;
	_Atomic int queue_used; /* the access or execute side ran */
};

static _Thread_local uint64_t rows_prefetched, rows_read; /* this thread's */

static uint64_t rows_of(uint64_t i)
{
	return i % 7; /* 0 .. 6 rows an iteration, some none */
}

static uint64_t tick(struct fused_seen *s)
{
	return atomic_fetch_add(&s->clock, 1) + 1;
}

static void fused_walk(void *arg, uint64_t i, struct dae_lane_pace *pace)
{
	struct fused_seen *s = arg;
	atomic_store(&s->walked[i], tick(s));
	atomic_fetch_add(&s->walks[i], 1);
	if (rows_of(i))
		dae_lane_span(pace, &s->elem[s->first[i]], rows_of(i), sizeof(s->elem[0]));
}

static void fused_row(void *arg, const void *q)
{
	struct fused_seen *s = arg;
	if (!q)
		return;
	const uint64_t r = *(const uint64_t *)q;
	atomic_store(&s->prefetched[r], tick(s));
	atomic_fetch_add(&s->prefetches[r], 1);
	rows_prefetched++;
}

/* Reads iteration i's rows, pumping after each as generated code does,
 * but for every fifth iteration (a segment run as written): the lane
 * makes up for those rows once it returns. */
static void fused_direct(void *arg, uint64_t i, struct dae_lane_pace *pace)
{
	struct fused_seen *s = arg;
	atomic_store(&s->ran[i], tick(s));
	atomic_fetch_add(&s->runs[i], 1);
	for (uint64_t k = 0; k < rows_of(i); k++) {
		const uint64_t r = s->elem[s->first[i] + k];
		uint64_t seen = atomic_load(&s->most_ahead);
		const uint64_t ahead = rows_prefetched - rows_read;
		while (ahead > seen && !atomic_compare_exchange_weak(&s->most_ahead, &seen, ahead))
			;
		atomic_store(&s->read[r], tick(s));
		atomic_fetch_add(&s->reads[r], 1);
		rows_read++;
		if (i % 5)
			fused_row(pace->arg, dae_lane_pump(pace));
	}
}

/* The pair, which a fused lane must not run. */
static void fused_access_side(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	struct fused_seen *s = arg;
	(void)q;
	(void)first;
	(void)end;
	atomic_store(&s->queue_used, 1);
}

static void fused_execute_side(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	fused_access_side(q, arg, first, end);
	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE)
		;
}

static void fused_lane(void *arg, struct dae_lane *lane)
{
	dae_lane_run(lane, arg, fused_walk, fused_row, fused_direct);
}

static const struct dae_range_program fused_prog = {
        .name = "test_fused",
        .access = fused_access_side,
        .execute = fused_execute_side,
        .fused = fused_lane,
};

static void fused_init(struct fused_seen *s, uint64_t n)
{
	memset(s, 0, sizeof(*s));
	s->n = n;
	s->first = calloc(n, sizeof(*s->first));
	for (uint64_t i = 0; i < n; i++)
		s->nrows += rows_of(i);
	/* The rows in a scrambled order, so that a row's number says
	 * nothing of where its element lies. */
	s->elem = calloc(s->nrows + 1, sizeof(*s->elem));
	for (uint64_t i = 0, e = 0; i < n; e += rows_of(i), i++)
		s->first[i] = e;
	for (uint64_t e = 0; e < s->nrows; e++)
		s->elem[e] = (e * 7919) % s->nrows;
	s->walked = calloc(n, sizeof(*s->walked));
	s->ran = calloc(n, sizeof(*s->ran));
	s->walks = calloc(n, sizeof(*s->walks));
	s->runs = calloc(n, sizeof(*s->runs));
	s->prefetched = calloc(s->nrows + 1, sizeof(*s->prefetched));
	s->read = calloc(s->nrows + 1, sizeof(*s->read));
	s->prefetches = calloc(s->nrows + 1, sizeof(*s->prefetches));
	s->reads = calloc(s->nrows + 1, sizeof(*s->reads));
	assert_true(s->first && s->elem && s->walked && s->ran && s->walks && s->runs &&
	            s->prefetched && s->read && s->prefetches && s->reads);
}

static void fused_exit(struct fused_seen *s)
{
	free(s->first);
	free(s->elem);
	free(s->walked);
	free(s->ran);
	free(s->walks);
	free(s->runs);
	free(s->prefetched);
	free(s->read);
	free(s->prefetches);
	free(s->reads);
}

static void lanes_run_a_fused_program_without_its_queue_prefetching_rows_ahead(void **state)
{
	static const uint64_t ns[] = {1000, 4097, 100003};
	(void)state;

	assert_int_equal(setenv("DAE_FUSED_AHEAD", "16", 1), 0);
	assert_int_equal(setenv("DAE_FUSED_CHUNK", "8", 1), 0);
	struct dae_run_tuning t;
	assert_int_equal(dae_run_tuning_get(&t), 0);
	/* The tuning is read once per process: this test runs first in it. */
	assert_int_equal(t.fused_ahead, FUSED_AHEAD);
	assert_int_equal(t.fused_chunk, FUSED_CHUNK);
	for (size_t c = 0; c < sizeof(ns) / sizeof(ns[0]); c++) {
		struct fused_seen s;
		fused_init(&s, ns[c]);
		assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
		assert_int_equal(dae_run_lanes_set(3), 0);
		assert_int_equal(dae_run_range(&fused_prog, &s, s.n), 0);
		assert_int_equal(atomic_load(&s.queue_used), 0);
		for (uint64_t i = 0; i < s.n; i++) {
			/* Once each, walked before it runs. */
			assert_int_equal(atomic_load(&s.walks[i]), 1);
			assert_int_equal(atomic_load(&s.runs[i]), 1);
			assert_true(atomic_load(&s.walked[i]) < atomic_load(&s.ran[i]));
		}
		uint64_t early = 0;
		for (uint64_t r = 0; r < s.nrows; r++) {
			/* Every row prefetched once, before it is read. */
			assert_int_equal(atomic_load(&s.prefetches[r]), 1);
			assert_int_equal(atomic_load(&s.reads[r]), 1);
			assert_true(atomic_load(&s.prefetched[r]) < atomic_load(&s.read[r]));
			early += atomic_load(&s.prefetched[r]) + 1 < atomic_load(&s.read[r]);
		}
		assert_true(early > s.nrows / 2);
		/* Exactly FUSED_AHEAD rows ahead once the lane is under way,
		 * and never more, whatever the iterations' rows. */
		assert_int_equal(atomic_load(&s.most_ahead), FUSED_AHEAD);
		fused_exit(&s);
	}
	/* Below a split the pair runs: the queue is used. */
	struct fused_seen one;
	fused_init(&one, 1);
	assert_int_equal(dae_run_range(&fused_prog, &one, 1), 0);
	assert_int_equal(atomic_load(&one.queue_used), 1);
	assert_int_equal(atomic_load(&one.runs[0]), 0);
	fused_exit(&one);
	restore_defaults();
}

/* ---- the check by chunk ---- */

/* What a checked program saw. Events carry one global clock; the checks
 * are recorded by their chunk's first iteration. */
struct checked {
	uint64_t n;
	uint64_t fail_from; /* the chunk holding this iteration fails its check */
	uint64_t slow_from; /* the check of the chunk holding this one sleeps */
	int fused;
	pthread_t caller;
	_Atomic uint64_t clock;
	_Atomic uint64_t *checked; /* per chunk's first iteration: clock + 1 */
	_Atomic uint64_t *check_end; /* ... and its end */
	_Atomic unsigned *checks; /* per chunk's first iteration: how often */
	_Atomic uint64_t *ran; /* per iteration: clock + 1 when it ran */
	_Atomic unsigned *runs;
	_Atomic int *ran_apart; /* per iteration: the assume_apart flag as it ran */
	_Atomic int *on_caller;
	_Atomic int flag; /* the last assume_apart, -1 before any */
	_Atomic int flags_set; /* how often assume_apart was called */
};

static int checked_apart(void *arg, uint64_t first, uint64_t end)
{
	struct checked *c = arg;

	if (first <= c->slow_from && c->slow_from < end) {
		/* Long enough that another lane takes and reaches later chunks. */
		struct timespec ts = {0, 20 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	atomic_fetch_add(&c->checks[first], 1);
	atomic_store(&c->check_end[first], end);
	atomic_store(&c->checked[first], atomic_fetch_add(&c->clock, 1) + 1);
	return !(first <= c->fail_from && c->fail_from < end);
}

static void checked_assume(void *arg, int yes)
{
	struct checked *c = arg;

	atomic_store(&c->flag, yes);
	atomic_fetch_add(&c->flags_set, 1);
}

static void checked_iteration(struct checked *c, uint64_t i)
{
	atomic_store(&c->ran_apart[i], atomic_load(&c->flag));
	atomic_store(&c->on_caller[i], pthread_equal(pthread_self(), c->caller));
	atomic_fetch_add(&c->runs[i], 1);
	atomic_store(&c->ran[i], atomic_fetch_add(&c->clock, 1) + 1);
}

static void checked_access(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	(void)arg;
	for (uint64_t i = first; i < end; i++) {
		dae_queue_push_token(q, 1);
		dae_queue_push_u64(q, i);
	}
}

static void checked_execute(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	(void)first;
	(void)end;
	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE)
		checked_iteration(arg, dae_queue_pop_u64(q));
}

static void checked_walk(void *arg, uint64_t i, struct dae_lane_pace *pace)
{
	(void)arg;
	(void)i;
	(void)pace;
}

static void checked_row(void *arg, const void *q)
{
	(void)arg;
	(void)q;
}

static void checked_direct(void *arg, uint64_t i, struct dae_lane_pace *pace)
{
	(void)pace;
	checked_iteration(arg, i);
}

static void checked_lane(void *arg, struct dae_lane *lane)
{
	dae_lane_run(lane, arg, checked_walk, checked_row, checked_direct);
}

static void checked_run(struct checked *c)
{
	const struct dae_range_program pair = {
	        .name = "test_checked",
	        .access = checked_access,
	        .execute = checked_execute,
	        .apart = checked_apart,
	        .assume_apart = checked_assume,
	        .fused = c->fused ? checked_lane : NULL,
	};
	c->checked = calloc(c->n, sizeof(*c->checked));
	c->check_end = calloc(c->n, sizeof(*c->check_end));
	c->checks = calloc(c->n, sizeof(*c->checks));
	c->ran = calloc(c->n, sizeof(*c->ran));
	c->runs = calloc(c->n, sizeof(*c->runs));
	c->ran_apart = calloc(c->n, sizeof(*c->ran_apart));
	c->on_caller = calloc(c->n, sizeof(*c->on_caller));
	assert_true(c->checked && c->check_end && c->checks && c->ran && c->runs && c->ran_apart &&
	            c->on_caller);
	c->caller = pthread_self();
	atomic_store(&c->flag, -1);
	assert_int_equal(dae_run_range(&pair, c, c->n), 0);
}

static void checked_exit(struct checked *c)
{
	free(c->checked);
	free(c->check_end);
	free(c->checks);
	free(c->ran);
	free(c->runs);
	free(c->ran_apart);
	free(c->on_caller);
}

/* The promise of the check by chunk, for one call: see the file's head. */
static void assert_checked(struct checked *c)
{
	uint64_t rest = c->n; /* first iteration of the failed chunk */
	uint64_t last_check = 0, lanes_last = 0, rest_first = UINT64_MAX, prev = 0;

	for (uint64_t i = 0; i < c->n; i++) {
		if (atomic_load(&c->runs[i]) != 1)
			fail_msg("iteration %llu ran %u times", (unsigned long long)i,
			         atomic_load(&c->runs[i]));
		if (atomic_load(&c->checks[i]) > 1)
			fail_msg("the chunk at %llu was checked %u times", (unsigned long long)i,
			         atomic_load(&c->checks[i]));
		uint64_t end = atomic_load(&c->check_end[i]);
		if (atomic_load(&c->checks[i]) && i <= c->fail_from && c->fail_from < end)
			rest = i;
	}
	if (c->fail_from < c->n)
		assert_true(rest <= c->fail_from); /* the failing chunk was checked */
	for (uint64_t i = 0; i < c->n; i++) {
		uint64_t t = atomic_load(&c->ran[i]);
		/* The latest check of a chunk at or before i. */
		if (atomic_load(&c->checks[i]) && atomic_load(&c->checked[i]) > last_check)
			last_check = atomic_load(&c->checked[i]);
		if (i < rest) {
			/* In a lane, after its chunk and every one before passed. */
			if (!atomic_load(&c->checks[i]) && i == 0)
				fail_msg("the first chunk was never checked");
			if (last_check == 0 || last_check >= t)
				fail_msg("iteration %llu ran before the chunks up to its own "
				         "were checked",
				         (unsigned long long)i);
			assert_int_equal(atomic_load(&c->ran_apart[i]), 1);
			if (t > lanes_last)
				lanes_last = t;
		} else {
			/* The rest: on the caller, in order, told not apart. */
			assert_true(atomic_load(&c->on_caller[i]));
			assert_int_equal(atomic_load(&c->ran_apart[i]), 0);
			assert_true(t > prev);
			prev = t;
			if (t < rest_first)
				rest_first = t;
		}
	}
	if (rest < c->n) {
		assert_true(rest_first > lanes_last);
		assert_int_equal(atomic_load(&c->flags_set), 2);
	} else {
		assert_int_equal(atomic_load(&c->flags_set), 1);
	}
}

static void lanes_run_a_chunk_only_once_it_and_those_before_passed(void **state)
{
	static const uint64_t fails[] = {UINT64_MAX, 0, 5000, 9999};
	(void)state;

	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	for (int fused = 0; fused < 2; fused++)
		for (unsigned k = 2; k <= 3; k++)
			for (size_t f = 0; f < sizeof(fails) / sizeof(fails[0]); f++) {
				struct checked c = {
				        .n = 10000, .fail_from = fails[f], .fused = fused};
				/* The second chunk's check is slow: later chunks, taken
				 * meanwhile, must wait for it. */
				c.slow_from =
				        fused ? FUSED_CHUNK : 10000 / (k * DAE_RUN_LANE_CHUNKS);
				assert_int_equal(dae_run_lanes_set(k), 0);
				checked_run(&c);
				assert_checked(&c);
				checked_exit(&c);
			}
	restore_defaults();
}

static void bad_arguments_are_refused(void **state)
{
	struct dae_range_program half = prog;
	(void)state;

	half.execute = NULL;
	assert_int_equal(dae_run_range(NULL, NULL, 10), -EINVAL);
	assert_int_equal(dae_run_range(&half, NULL, 10), -EINVAL);
	assert_int_equal(dae_run_lanes_set(DAE_RUN_WORKERS_MAX + 1), -EINVAL);
	assert_int_equal(dae_run_lanes_set(3), 0);
	assert_int_equal(dae_run_lanes_get(), 3);
	assert_int_equal(dae_run_lanes_set(0), 0);
	assert_true(dae_run_lanes_get() >= 1);
	assert_int_equal(dae_run_mode_set(DAE_MODE_LANES), 0);
	assert_int_equal(dae_run_mode_resolve(DAE_MODE_LANES), DAE_MODE_LANES);
	restore_defaults();
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(
	                lanes_run_a_fused_program_without_its_queue_prefetching_rows_ahead),
	        cmocka_unit_test(every_iteration_runs_once_in_every_mode),
	        cmocka_unit_test(a_long_range_is_shared_by_two_lanes),
	        cmocka_unit_test(short_ranges_and_dependent_calls_stay_on_the_caller),
	        cmocka_unit_test(workers_round_and_raise_as_the_caller),
	        cmocka_unit_test(one_call_is_one_run),
	        cmocka_unit_test(lanes_run_a_chunk_only_once_it_and_those_before_passed),
	        cmocka_unit_test(bad_arguments_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
