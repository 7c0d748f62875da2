/* Specification of dae_run and of the statistics it keeps.
 *
 * The programs here have the shape daec generates: the access side pushes a
 * token per callback followed by the callback's operands, the execute side
 * pops a token, dispatches on it and pops the operands, until it pops
 * DAE_TOKEN_DONE.
 *
 * Every test holds in both executor modes: CTest runs this program with
 * DAE_MODE unset (auto), threads, inline, and inline with a 2-word queue, so
 * that the two sides switch at every word. Where the modes differ (which
 * thread runs the access side), the test asks libdae which mode it is in. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "dae/dae.h"

enum { TOK_ADD = 1, TOK_NEST = 2 };

/* What one run does and what it saw; checked by the test thread after
 * dae_run returns, since cmocka may not assert on the worker thread. */
struct job {
	int n; /* TOK_ADD callbacks the access side emits */
	int64_t base; /* operand offset, distinct per job */
	pthread_t access_thread;
	pthread_t execute_thread;
	void *access_frame; /* where the access side's frame was */
	int access_calls;
	int execute_calls;
	int callbacks; /* TOK_ADD seen by the execute side */
	int out_of_order; /* callbacks whose operands were not the expected ones */
	int unknown; /* tokens the execute side did not expect */
	int64_t sum;
};

static void add_access(struct dae_queue *q, void *arg)
{
	struct job *j = arg;

	j->access_thread = pthread_self();
	j->access_frame = __builtin_frame_address(0);
	j->access_calls++;
	for (int i = 0; i < j->n; i++) {
		dae_queue_push_token(q, TOK_ADD);
		dae_queue_push_i64(q, j->base + i);
		dae_queue_push_f64(q, 0.5 * i);
	}
}

static void add_execute(struct dae_queue *q, void *arg)
{
	struct job *j = arg;
	uint32_t tok;

	j->execute_thread = pthread_self();
	j->execute_calls++;
	while ((tok = dae_queue_pop_token(q)) != DAE_TOKEN_DONE) {
		if (tok != TOK_ADD) {
			j->unknown++;
			continue;
		}
		int64_t v = dae_queue_pop_i64(q);
		double h = dae_queue_pop_f64(q);

		if (v != j->base + j->callbacks || h != 0.5 * j->callbacks)
			j->out_of_order++;
		j->sum += v;
		j->callbacks++;
	}
}

static const struct dae_program add_prog = {"add", add_access, add_execute};

static bool inline_mode(void)
{
	return dae_run_mode_resolve(dae_run_mode_get()) == DAE_MODE_INLINE;
}

/* Inline: both sides on the caller's thread; threads: access on a worker. */
static bool access_thread_ok(const struct job *j)
{
	return pthread_equal(j->access_thread, pthread_self()) == inline_mode();
}

static void expect_job_done(const struct job *j)
{
	assert_int_equal(j->access_calls, 1);
	assert_int_equal(j->execute_calls, 1);
	assert_int_equal(j->callbacks, j->n);
	assert_int_equal(j->out_of_order, 0);
	assert_int_equal(j->unknown, 0);
	assert_true(j->sum == (int64_t)j->n * j->base + (int64_t)j->n * (j->n - 1) / 2);
}

static void run_executes_every_callback_in_order_and_returns_0(void **state)
{
	struct job j = {.n = 100000, .base = 1000};

	assert_int_equal(dae_run(&add_prog, &j), 0);
	expect_job_done(&j);
}

static void access_runs_where_the_mode_says_and_execute_on_the_caller(void **state)
{
	struct job j = {.n = 3, .base = 7};

	assert_int_equal(dae_run(&add_prog, &j), 0);
	expect_job_done(&j);
	assert_true(pthread_equal(j.execute_thread, pthread_self()));
	assert_true(access_thread_ok(&j));
}

static void an_empty_access_side_still_ends_the_execute_side(void **state)
{
	struct job j = {.n = 0};

	assert_int_equal(dae_run(&add_prog, &j), 0);
	expect_job_done(&j);
}

static void successive_runs_reuse_one_worker_or_stack_with_a_fresh_queue(void **state)
{
	pthread_t first = {0};
	void *first_frame = NULL;

	for (int r = 0; r < 2000; r++) {
		/* Sizes that leave the ring at a different offset each time:
		 * leftovers of one run would show up in the next. */
		struct job j = {.n = r % 37, .base = r * 1000};

		assert_int_equal(dae_run(&add_prog, &j), 0);
		expect_job_done(&j);
		assert_true(access_thread_ok(&j));
		if (r == 0) {
			first = j.access_thread;
			first_frame = j.access_frame;
		}
		assert_true(pthread_equal(j.access_thread, first));
		/* Inline: the same coroutine stack, entered the same way. */
		if (inline_mode())
			assert_ptr_equal(j.access_frame, first_frame);
	}
}

struct caller {
	pthread_t thread;
	int id;
	int runs;
	int failed_runs; /* dae_run returned nonzero */
	int bad_runs; /* a run saw something it should not have */
};

static bool job_ok(const struct job *j)
{
	return j->access_calls == 1 && j->execute_calls == 1 && j->callbacks == j->n &&
	       j->out_of_order == 0 && j->unknown == 0 &&
	       pthread_equal(j->execute_thread, pthread_self()) && access_thread_ok(j);
}

static void *caller_main(void *p)
{
	struct caller *c = p;

	for (int r = 0; r < c->runs; r++) {
		struct job j = {.n = 50 + (r * 7) % 500, .base = (int64_t)c->id << 40 | r << 10};

		if (dae_run(&add_prog, &j))
			c->failed_runs++;
		else if (!job_ok(&j))
			c->bad_runs++;
	}
	return NULL;
}

static void concurrent_calls_from_4_threads_each_get_their_own_queue(void **state)
{
	struct caller c[4];

	for (int i = 0; i < 4; i++) {
		c[i] = (struct caller){.id = i + 1, .runs = 300};
		assert_int_equal(pthread_create(&c[i].thread, NULL, caller_main, &c[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(c[i].thread, NULL), 0);
		assert_int_equal(c[i].failed_runs, 0);
		assert_int_equal(c[i].bad_runs, 0);
	}
}

/* A program whose execute side starts another dae_run when it pops
 * TOK_NEST, before it has drained its own queue. */
struct nest {
	int depth; /* levels still to open below this one */
	int result; /* dae_run's return value of the inner level */
	struct job add; /* an ordinary job run at the innermost level */
	int callbacks;
	int unknown;
};

static void nest_access(struct dae_queue *q, void *arg)
{
	struct nest *n = arg;

	dae_queue_push_token(q, TOK_NEST);
	dae_queue_push_ptr(q, n);
	for (int i = 0; i < 1000; i++)
		dae_queue_push_token(q, TOK_ADD);
}

static const struct dae_program nest_prog;

static void nest_execute(struct dae_queue *q, void *arg)
{
	struct nest *n = arg;
	uint32_t tok;

	while ((tok = dae_queue_pop_token(q)) != DAE_TOKEN_DONE) {
		if (tok != TOK_NEST) {
			n->callbacks++;
			continue;
		}
		if (dae_queue_pop_ptr(q) != n)
			n->unknown++;
		/* Levels are consecutive array elements. */
		if (n->depth > 0)
			n->result = dae_run(&nest_prog, n + 1);
		else
			n->result = dae_run(&add_prog, &n->add);
	}
}

static const struct dae_program nest_prog = {"nest", nest_access, nest_execute};

static void an_execute_side_may_call_dae_run_itself(void **state)
{
	struct nest levels[3] = {{.depth = 2}, {.depth = 1}, {.add = {.n = 5000, .base = 9}}};

	assert_int_equal(dae_run(&nest_prog, &levels[0]), 0);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(levels[i].result, 0);
		assert_int_equal(levels[i].callbacks, 1000);
		assert_int_equal(levels[i].unknown, 0);
	}
	expect_job_done(&levels[2].add);
}

/* Nests until dae_run refuses, recording how deep it got and whether the
 * refused call ran anything. */
struct deep {
	int depth;
	int refused_at; /* depth of the call that failed, or -1 */
	int refusal; /* its return value */
	int sides_run_by_refused_call;
};

/* Every level's execute side runs on the test thread, so plain statics
 * carry the bookkeeping down the nesting. */
static int current_depth;
static struct deep *current_deep;
static const struct dae_program deep_prog;

/* The two sides may run on different threads, so each has its own count. */
struct ran {
	int access;
	int execute;
};

static void deep_access(struct dae_queue *q, void *arg)
{
	struct ran *ran = arg;

	ran->access++;
}

static void deep_execute(struct dae_queue *q, void *arg)
{
	struct ran *ran = arg;
	struct deep *d = current_deep;
	struct ran inner_ran = {0, 0};
	int err;

	ran->execute++;
	if (d->refused_at < 0) {
		current_depth++;
		err = dae_run(&deep_prog, &inner_ran);
		current_depth--;
		if (err && d->refused_at < 0) {
			d->refused_at = current_depth + 1;
			d->refusal = err;
			d->sides_run_by_refused_call = inner_ran.access + inner_ran.execute;
		}
	}
	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE)
		;
}

static const struct dae_program deep_prog = {"deep", deep_access, deep_execute};

static void at_most_the_worker_cap_runs_at_once_and_a_refused_call_runs_nothing(void **state)
{
	struct deep d = {.refused_at = -1};
	struct ran ran = {0, 0};

	current_deep = &d;
	current_depth = 1;
	assert_int_equal(dae_run(&deep_prog, &ran), 0);
	assert_int_equal(ran.access, 1);
	assert_int_equal(ran.execute, 1);
	assert_int_equal(d.refusal, -EAGAIN);
	assert_int_equal(d.refused_at, DAE_RUN_WORKERS_MAX + 1);
	assert_int_equal(d.sides_run_by_refused_call, 0);
	/* Every worker is idle again, so the pool serves new calls. */
	struct job j = {.n = 10, .base = 1};

	assert_int_equal(dae_run(&add_prog, &j), 0);
	expect_job_done(&j);
}

/* An access side that starts a whole run of its own before it pushes. */
struct outer {
	struct job inner;
	int inner_result;
	int callbacks;
};

static void outer_access(struct dae_queue *q, void *arg)
{
	struct outer *o = arg;

	o->inner_result = dae_run(&add_prog, &o->inner);
	for (int i = 0; i < 300; i++)
		dae_queue_push_token(q, TOK_ADD);
}

static void outer_execute(struct dae_queue *q, void *arg)
{
	struct outer *o = arg;

	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE)
		o->callbacks++;
}

static const struct dae_program outer_prog = {"outer", outer_access, outer_execute};

static void an_access_side_may_call_dae_run_itself(void **state)
{
	struct outer o = {.inner = {.n = 5000, .base = 3}};

	assert_int_equal(dae_run(&outer_prog, &o), 0);
	assert_int_equal(o.inner_result, 0);
	assert_int_equal(o.callbacks, 300);
	/* The inner run's execute side ran where the outer access side did,
	 * so only its own bookkeeping is checked here. */
	assert_int_equal(o.inner.access_calls, 1);
	assert_int_equal(o.inner.execute_calls, 1);
	assert_int_equal(o.inner.callbacks, o.inner.n);
	assert_int_equal(o.inner.out_of_order, 0);
}

/* The shape daec emits after writes made before the first lookup: the
 * access side waits until the execute side has run everything before the
 * fence (in inline mode, the fence's flush runs the execute side). */
struct fenced {
	_Atomic uint64_t ack;
	int before; /* TOK_ADD callbacks run when the fence returned */
	int callbacks;
	int fences;
};

static void fenced_access(struct dae_queue *q, void *arg)
{
	struct fenced *f = arg;

	for (int i = 0; i < 1000; i++)
		dae_queue_push_token(q, TOK_ADD);
	dae_queue_fence(q, &f->ack, 1);
	/* The acknowledgement's release/acquire pair orders this read after
	 * the execute side's increments. */
	f->before = f->callbacks;
	for (int i = 0; i < 1000; i++)
		dae_queue_push_token(q, TOK_ADD);
}

static void fenced_execute(struct dae_queue *q, void *arg)
{
	struct fenced *f = arg;
	uint32_t tok;

	while ((tok = dae_queue_pop_token(q)) != DAE_TOKEN_DONE) {
		if (tok == DAE_TOKEN_FENCE) {
			f->fences++;
			dae_fence_ack(&f->ack);
			continue;
		}
		f->callbacks++;
	}
}

static const struct dae_program fenced_prog = {"fenced", fenced_access, fenced_execute};

static void a_fence_returns_once_the_execute_side_has_run_everything_before_it(void **state)
{
	for (int r = 0; r < 20; r++) {
		struct fenced f = {.before = -1};

		assert_int_equal(dae_run(&fenced_prog, &f), 0);
		assert_int_equal(f.before, 1000);
		assert_int_equal(f.fences, 1);
		assert_int_equal(f.callbacks, 2000);
	}
}

static void invalid_programs_are_refused_without_running_anything(void **state)
{
	struct job j = {.n = 1};
	struct dae_program no_access = {"x", NULL, add_execute};
	struct dae_program no_execute = {"x", add_access, NULL};

	assert_int_equal(dae_run(NULL, &j), -EINVAL);
	assert_int_equal(dae_run(&no_access, &j), -EINVAL);
	assert_int_equal(dae_run(&no_execute, &j), -EINVAL);
	assert_int_equal(j.access_calls + j.execute_calls, 0);
}

static void stats_add_each_runs_counters_and_reset_clears_them(void **state)
{
	struct job a = {.n = 10}, b = {.n = 25};
	struct dae_stats s;

	dae_stats_reset();
	dae_stats_get(&s);
	assert_int_equal(s.runs, 0);
	assert_int_equal(s.words, 0);

	assert_int_equal(dae_run(&add_prog, &a), 0);
	dae_stats_get(&s);
	/* Per callback one token and two operands; DAE_TOKEN_DONE is one
	 * more word but no token. */
	assert_int_equal(s.runs, 1);
	assert_int_equal(s.tokens, 10);
	assert_int_equal(s.operands, 20);
	assert_int_equal(s.words, 31);

	assert_int_equal(dae_run(&add_prog, &b), 0);
	dae_stats_get(&s);
	assert_int_equal(s.runs, 2);
	assert_int_equal(s.tokens, 35);
	assert_int_equal(s.operands, 70);
	assert_int_equal(s.words, 107);

	dae_stats_reset();
	dae_stats_get(&s);
	assert_int_equal(s.runs + s.tokens + s.operands + s.words, 0);
}

/* Child mode of this executable: two runs, then exit so libdae's exit hook
 * writes DAE_STATS. */
static int stats_child(void)
{
	struct job a = {.n = 3}, b = {.n = 4};

	if (dae_run(&add_prog, &a) || dae_run(&add_prog, &b))
		return 1;
	return 0;
}

static void dae_stats_env_writes_the_totals_as_json_at_exit(void **state)
{
	char path[] = "/tmp/dae_stats_XXXXXX";
	char exe[4096], buf[256] = "";
	int fd, status;
	ssize_t len;
	pid_t pid;
	FILE *f;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(len > 0);
	exe[len] = '\0';
	fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setenv("DAE_STATS", path, 1);
		execl(exe, exe, "--stats-child", (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	f = fopen(path, "r");
	assert_non_null(f);
	assert_non_null(fgets(buf, sizeof(buf), f));
	fclose(f);
	unlink(path);
	assert_string_equal(buf, "{\"runs\":2,\"tokens\":7,\"operands\":14,\"words\":23,"
	                         "\"bytes\":184}\n");
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(run_executes_every_callback_in_order_and_returns_0),
	        cmocka_unit_test(access_runs_where_the_mode_says_and_execute_on_the_caller),
	        cmocka_unit_test(an_empty_access_side_still_ends_the_execute_side),
	        cmocka_unit_test(successive_runs_reuse_one_worker_or_stack_with_a_fresh_queue),
	        cmocka_unit_test(concurrent_calls_from_4_threads_each_get_their_own_queue),
	        cmocka_unit_test(an_execute_side_may_call_dae_run_itself),
	        cmocka_unit_test(
	                at_most_the_worker_cap_runs_at_once_and_a_refused_call_runs_nothing),
	        cmocka_unit_test(an_access_side_may_call_dae_run_itself),
	        cmocka_unit_test(
	                a_fence_returns_once_the_execute_side_has_run_everything_before_it),
	        cmocka_unit_test(invalid_programs_are_refused_without_running_anything),
	        cmocka_unit_test(stats_add_each_runs_counters_and_reset_clears_them),
	        cmocka_unit_test(dae_stats_env_writes_the_totals_as_json_at_exit),
	};

	if (argc > 1 && strcmp(argv[1], "--stats-child") == 0)
		return stats_child();
	return cmocka_run_group_tests(tests, NULL, NULL);
}
