/* Specification of dae_run's executor modes: how a mode is chosen (DAE_MODE,
 * dae_run_mode_set), and what the inline mode promises beyond what
 * test_run.c checks in every mode (how far the access side runs ahead,
 * stacks reused, threads each with their own coroutines, a change of mode
 * in the middle of a run).
 *
 * The environment is read once per process, so the tests of DAE_MODE, of
 * the sizes (DAE_HOST_MACHINE, DAE_INLINE_WORDS, ...) run this program
 * again as a child (--child WHAT) with the variables set. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
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
#include "dae/model.h"

enum { TOK_ITEM = 1 };

/* One run of lead_prog: the access side pushes n items and notes how far
 * ahead of the execute side it ever got. All of it is read by the thread
 * that called dae_run, after the run. */
struct lead {
	int n;
	uint64_t pushed; /* words pushed so far */
	/* Words popped so far. Atomic for the threads mode, where the access
	 * side reads it from another thread (relaxed: only the count matters,
	 * and the lead is only checked in inline mode). */
	_Atomic uint64_t popped;
	uint64_t max_lead; /* most words pushed and not yet popped, at a push */
	pthread_t access_thread;
	void *access_frame;
	int out_of_order;
	int items;
};

static void note_push(struct lead *l)
{
	uint64_t lead = ++l->pushed - atomic_load_explicit(&l->popped, memory_order_relaxed);

	if (lead > l->max_lead)
		l->max_lead = lead;
}

static void lead_access(struct dae_queue *q, void *arg)
{
	struct lead *l = arg;

	l->access_thread = pthread_self();
	l->access_frame = __builtin_frame_address(0);
	for (int i = 0; i < l->n; i++) {
		dae_queue_push_token(q, TOK_ITEM);
		note_push(l);
		dae_queue_push_i64(q, i);
		note_push(l);
	}
}

static void lead_execute(struct dae_queue *q, void *arg)
{
	struct lead *l = arg;

	for (;;) {
		uint32_t tok = dae_queue_pop_token(q);
		int64_t v;

		/* Counted word by word: the access side may run between
		 * the two pops. */
		atomic_fetch_add_explicit(&l->popped, 1, memory_order_relaxed);
		if (tok == DAE_TOKEN_DONE)
			break;
		v = dae_queue_pop_i64(q);
		atomic_fetch_add_explicit(&l->popped, 1, memory_order_relaxed);
		if (v != l->items)
			l->out_of_order++;
		l->items++;
	}
}

static const struct dae_program lead_prog = {"lead", lead_access, lead_execute};

/* ---- choosing the mode ---- */

static void the_api_sets_the_mode_and_rejects_what_is_not_one(void **state)
{
	enum dae_mode before = dae_run_mode_get();

	assert_int_equal(dae_run_mode_set(DAE_MODE_THREADS), 0);
	assert_int_equal(dae_run_mode_get(), DAE_MODE_THREADS);
	assert_int_equal(dae_run_mode_set(DAE_MODE_INLINE), 0);
	assert_int_equal(dae_run_mode_get(), DAE_MODE_INLINE);
	assert_int_equal(dae_run_mode_set((enum dae_mode)7), -EINVAL);
	assert_int_equal(dae_run_mode_set((enum dae_mode) - 1), -EINVAL);
	assert_int_equal(dae_run_mode_get(), DAE_MODE_INLINE);
	assert_int_equal(dae_run_mode_set(DAE_MODE_AUTO), 0);
	assert_int_equal(dae_run_mode_get(), DAE_MODE_AUTO);
	assert_int_equal(dae_run_mode_set(before), 0);
}

static void auto_resolves_to_inline_and_the_others_to_themselves(void **state)
{
	assert_int_equal(dae_run_mode_resolve(DAE_MODE_AUTO), DAE_MODE_INLINE);
	assert_int_equal(dae_run_mode_resolve(DAE_MODE_THREADS), DAE_MODE_THREADS);
	assert_int_equal(dae_run_mode_resolve(DAE_MODE_INLINE), DAE_MODE_INLINE);
	assert_int_equal(dae_run_mode_resolve((enum dae_mode)7), DAE_MODE_AUTO);
}

static void each_mode_runs_the_access_side_where_it_says(void **state)
{
	static const enum dae_mode modes[] = {DAE_MODE_THREADS, DAE_MODE_INLINE, DAE_MODE_AUTO};
	enum dae_mode before = dae_run_mode_get();

	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		struct lead l = {.n = 1000};
		bool same_thread;

		assert_int_equal(dae_run_mode_set(modes[i]), 0);
		assert_int_equal(dae_run(&lead_prog, &l), 0);
		assert_int_equal(l.items, 1000);
		assert_int_equal(l.out_of_order, 0);
		same_thread = pthread_equal(l.access_thread, pthread_self());
		assert_int_equal(same_thread, dae_run_mode_resolve(modes[i]) == DAE_MODE_INLINE);
	}
	assert_int_equal(dae_run_mode_set(before), 0);
}

/* Runs this program as "--child what" with name=value in its environment
 * (value NULL: unset) and returns its exit status. */
static int run_child(const char *what, const char *name, const char *value, const char *name2,
                     const char *value2)
{
	char exe[4096];
	ssize_t len;
	int status;
	pid_t pid;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	assert_true(len > 0);
	exe[len] = '\0';
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		unsetenv("DAE_MODE");
		unsetenv("DAE_HOST_MACHINE");
		unsetenv("DAE_INLINE_WORDS");
		unsetenv("DAE_QUEUE_WORDS");
		unsetenv("DAE_LANE_CHUNKS");
		unsetenv("DAE_LANES_MIN");
		if (value)
			setenv(name, value, 1);
		if (name2 && value2)
			setenv(name2, value2, 1);
		execl(exe, exe, "--child", what, (char *)NULL);
		_exit(127);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	return WEXITSTATUS(status);
}

/* Child: exits 0 if dae_run_mode_get() is the mode named by what and one run
 * puts its access side where that mode says. */
static int mode_child(const char *what)
{
	enum dae_mode want;
	struct lead l = {.n = 100};

	if (strcmp(what, "threads") == 0)
		want = DAE_MODE_THREADS;
	else if (strcmp(what, "inline") == 0)
		want = DAE_MODE_INLINE;
	else
		want = DAE_MODE_AUTO;
	if (dae_run_mode_get() != want)
		return 2;
	if (dae_run(&lead_prog, &l) || l.items != 100)
		return 3;
	if (pthread_equal(l.access_thread, pthread_self()) !=
	    (dae_run_mode_resolve(want) == DAE_MODE_INLINE))
		return 4;
	return 0;
}

static void dae_mode_in_the_environment_picks_the_mode(void **state)
{
	assert_int_equal(run_child("threads", "DAE_MODE", "threads", NULL, NULL), 0);
	assert_int_equal(run_child("inline", "DAE_MODE", "inline", NULL, NULL), 0);
	assert_int_equal(run_child("auto", "DAE_MODE", "auto", NULL, NULL), 0);
	assert_int_equal(run_child("auto", "DAE_MODE", NULL, NULL, NULL), 0);
	/* A value it does not know: a warning on stderr, and auto. */
	assert_int_equal(run_child("auto", "DAE_MODE", "fibers", NULL, NULL), 0);
}

/* Child: DAE_MODE says threads, the API says inline before the first run. */
static int override_child(void)
{
	struct lead l = {.n = 100};

	if (dae_run_mode_get() != DAE_MODE_THREADS)
		return 2;
	if (dae_run_mode_set(DAE_MODE_INLINE))
		return 3;
	if (dae_run(&lead_prog, &l) || !pthread_equal(l.access_thread, pthread_self()))
		return 4;
	return 0;
}

static void the_api_overrides_the_environment(void **state)
{
	assert_int_equal(run_child("override", "DAE_MODE", "threads", NULL, NULL), 0);
}

/* ---- the inline mode ---- */

/* Child: inline, DAE_INLINE_WORDS as given; exits 0 if the access side ran
 * exactly one queue (the words rounded up to a power of two) ahead. words
 * "tuning": the inline_words dae_run_tuning_get says. */
static int lead_child(const char *words)
{
	uint64_t want = 2, asked = strtoull(words, NULL, 0);
	struct lead l = {.n = 20000};

	if (strcmp(words, "tuning") == 0) {
		struct dae_run_tuning t;

		if (dae_run_tuning_get(&t))
			return 5;
		asked = t.inline_words;
	}
	while (want < asked)
		want <<= 1;
	if (dae_run_mode_set(DAE_MODE_INLINE))
		return 2;
	if (dae_run(&lead_prog, &l) || l.items != l.n || l.out_of_order)
		return 3;
	if (l.max_lead != want) {
		fprintf(stderr, "DAE_INLINE_WORDS=%s: ran %llu words ahead, want %llu\n", words,
		        (unsigned long long)l.max_lead, (unsigned long long)want);
		return 4;
	}
	return 0;
}

static void the_access_side_runs_exactly_dae_inline_words_ahead(void **state)
{
	/* 2: the sides switch at every word. */
	assert_int_equal(run_child("lead:2", "DAE_INLINE_WORDS", "2", NULL, NULL), 0);
	assert_int_equal(run_child("lead:3", "DAE_INLINE_WORDS", "3", NULL, NULL), 0);
	assert_int_equal(run_child("lead:64", "DAE_INLINE_WORDS", "64", NULL, NULL), 0);
	assert_int_equal(run_child("lead:4096", "DAE_INLINE_WORDS", "4096", NULL, NULL), 0);
	/* Not a count (or too small): a warning, and the host description's. */
	assert_int_equal(run_child("lead:tuning", "DAE_INLINE_WORDS", "lots", NULL, NULL), 0);
	assert_int_equal(run_child("lead:tuning", "DAE_INLINE_WORDS", "1", NULL, NULL), 0);
}

/* ---- the sizes: a machine description, then the environment ---- */

/* Range program counting its chunks: each chunk of the lanes runs execute
 * once. */
static _Atomic int chunks_run;

static void count_access(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	(void)q;
	(void)arg;
	(void)first;
	(void)end;
}

static void count_execute(struct dae_queue *q, void *arg, uint64_t first, uint64_t end)
{
	(void)arg;
	(void)first;
	(void)end;
	atomic_fetch_add_explicit(&chunks_run, 1, memory_order_relaxed);
	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE)
		;
}

static const struct dae_range_program count_prog = {
        .name = "count", .access = count_access, .execute = count_execute};

/* The same fused: each lane counts the chunks it takes. */
static _Atomic int fused_takes;

static void count_fused(void *arg, struct dae_lane *lane)
{
	uint64_t first, end;
	(void)arg;
	while (dae_lane_take(lane, &first, &end) && dae_lane_wait(lane, first))
		atomic_fetch_add_explicit(&fused_takes, 1, memory_order_relaxed);
}

static const struct dae_range_program count_fused_prog = {.name = "count_fused",
                                                          .access = count_access,
                                                          .execute = count_execute,
                                                          .fused = count_fused};

/* Child "tuning:NAME:INLINE:QUEUE:CHUNKS:MIN:AHEAD:FCHUNK:ENV": exits 0 if
 * dae_run_tuning_get says exactly that, and the inline and lanes modes run
 * with it: the access side runs INLINE words ahead, a lanes call is cut into
 * CHUNKS chunks per lane, and a fused one into chunks of FCHUNK
 * iterations. */
static int tuning_child(const char *spec)
{
	char name[64];
	unsigned iw, qw, lc, lm, fa, fc, env;
	struct dae_run_tuning t;
	char words[32];
	uint64_t n, k, chunk, want;
	int r;

	if (sscanf(spec, "%63[^:]:%u:%u:%u:%u:%u:%u:%u", name, &iw, &qw, &lc, &lm, &fa, &fc,
	           &env) != 8)
		return 10;
	if (dae_run_tuning_get(&t) || dae_run_tuning_get(NULL) != -EINVAL)
		return 11;
	if (strcmp(t.machine, name) || t.inline_words != iw || t.queue_words != qw ||
	    t.lane_chunks != lc || t.lanes_min != lm || t.fused_ahead != fa ||
	    t.fused_chunk != fc || t.from_env != env) {
		fprintf(stderr, "tuning: %s:%u:%u:%u:%u:%u:%u:%u, want %s\n", t.machine,
		        t.inline_words, t.queue_words, t.lane_chunks, t.lanes_min, t.fused_ahead,
		        t.fused_chunk, t.from_env, spec);
		return 12;
	}
	snprintf(words, sizeof(words), "%u", iw);
	r = lead_child(words);
	if (r)
		return r;
	/* The lanes, as dae_run_range splits: k lanes if each gets lanes_min
	 * iterations, chunks of n / (k * lane_chunks). */
	if (dae_run_mode_set(DAE_MODE_LANES))
		return 13;
	k = dae_run_lanes_get();
	n = k * lm * 10 + 7;
	chunk = n / (k * lc) ? n / (k * lc) : 1;
	want = k > 1 ? (n + chunk - 1) / chunk : 1;
	if (dae_run_range(&count_prog, NULL, n))
		return 14;
	if ((uint64_t)chunks_run != want) {
		fprintf(stderr, "tuning: %d chunks of %llu iterations, want %llu\n", chunks_run,
		        (unsigned long long)n, (unsigned long long)want);
		return 15;
	}
	want = k > 1 ? (n + fc - 1) / fc : 0;
	if (dae_run_range(&count_fused_prog, NULL, n))
		return 16;
	if ((uint64_t)fused_takes != want) {
		fprintf(stderr, "tuning: %d fused chunks of %llu iterations, want %llu\n",
		        fused_takes, (unsigned long long)n, (unsigned long long)want);
		return 17;
	}
	return 0;
}

/* A description with a runtime section, in a file; "" on failure. */
static const char *write_machine(char *path, size_t size, const char *runtime)
{
	FILE *f;
	int fd;

	snprintf(path, size, "/tmp/dae-tuning-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return "";
	f = fdopen(fd, "w");
	if (!f)
		return "";
	fprintf(f,
	        "{\"name\": \"tiny\", \"clock_ghz\": 2.0, \"caches\": {"
	        "\"l1\": {\"size_kib\": 32, \"ways\": 8, \"latency_cycles\": 4},"
	        "\"l2\": {\"size_kib\": 512, \"ways\": 8, \"latency_cycles\": 14},"
	        "\"llc\": {\"size_kib\": 4096, \"ways\": 16, \"latency_cycles\": 40}},"
	        "\"dram\": {\"latency_ns\": 90, \"bandwidth_gbs\": 20}, \"runtime\": %s}\n",
	        runtime);
	fclose(f);
	return path;
}

static void the_host_preset_gives_the_sizes_by_default(void **state)
{
	struct dae_machine m;
	char err[256], spec[160];

	assert_int_equal(dae_machine_load(&m, "host", err, sizeof(err)), 0);
	snprintf(spec, sizeof(spec), "tuning:%s:%u:%u:%u:%u:%u:%u:0", m.name,
	         m.runtime.inline_words, m.runtime.queue_words, m.runtime.lane_chunks,
	         m.runtime.lanes_min, m.runtime.fused_ahead, m.runtime.fused_chunk);
	assert_int_equal(run_child(spec, "DAE_HOST_MACHINE", NULL, NULL, NULL), 0);
	/* One that cannot be loaded: a warning, and the host preset. */
	assert_int_equal(run_child(spec, "DAE_HOST_MACHINE", "no-such-machine", NULL, NULL), 0);
}

static void a_host_machine_file_gives_the_sizes_and_the_environment_overrides_them(void **state)
{
	char path[64];
	const char *file =
	        write_machine(path, sizeof(path),
	                      "{\"inline_words\": 64, \"queue_words\": 256, \"lane_chunks\": 3, "
	                      "\"lanes_min\": 5, \"fused_ahead\": 24, \"fused_chunk\": 6}");

	/* What the child must see: the file's sizes, each variable overriding
	 * its own (and flagged), and a variable out of range ignored. */
	static const struct {
		const char *spec, *name, *value;
	} cases[] = {
	        {"tuning:tiny:64:256:3:5:24:6:0", NULL, NULL},
	        {"tuning:tiny:128:256:3:5:24:6:1", "DAE_INLINE_WORDS", "128"},
	        {"tuning:tiny:64:1000:3:5:24:6:2", "DAE_QUEUE_WORDS", "1000"},
	        {"tuning:tiny:64:256:7:5:24:6:4", "DAE_LANE_CHUNKS", "7"},
	        {"tuning:tiny:64:256:3:9:24:6:8", "DAE_LANES_MIN", "9"},
	        {"tuning:tiny:64:256:3:5:40:6:16", "DAE_FUSED_AHEAD", "40"},
	        {"tuning:tiny:64:256:3:5:24:11:32", "DAE_FUSED_CHUNK", "11"},
	        {"tuning:tiny:64:256:3:5:24:6:0", "DAE_LANE_CHUNKS", "5000"},
	        {"tuning:tiny:64:256:3:5:24:6:0", "DAE_FUSED_AHEAD", "0"},
	        {"tuning:tiny:64:256:3:5:24:6:0", "DAE_FUSED_CHUNK", "0"},
	};

	assert_string_not_equal(file, "");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(run_child(cases[i].spec, "DAE_HOST_MACHINE", file, cases[i].name,
		                           cases[i].value),
		                 0);
	unlink(file);
}

static void inline_runs_reuse_one_stack_and_start_it_afresh(void **state)
{
	enum dae_mode before = dae_run_mode_get();
	void *frame = NULL;

	assert_int_equal(dae_run_mode_set(DAE_MODE_INLINE), 0);
	for (int r = 0; r < 5000; r++) {
		struct lead l = {.n = r % 301};

		assert_int_equal(dae_run(&lead_prog, &l), 0);
		assert_int_equal(l.items, l.n);
		assert_int_equal(l.out_of_order, 0);
		if (l.n == 0)
			continue;
		assert_true(pthread_equal(l.access_thread, pthread_self()));
		if (!frame)
			frame = l.access_frame;
		assert_ptr_equal(l.access_frame, frame);
		/* Not on the caller's stack: its own, below or above ours. */
		assert_true((char *)frame - (char *)&frame > 4096 ||
		            (char *)&frame - (char *)frame > 4096);
	}
	assert_int_equal(dae_run_mode_set(before), 0);
}

struct caller {
	pthread_t thread;
	int runs;
	int bad;
};

static void *caller_main(void *p)
{
	struct caller *c = p;

	for (int r = 0; r < c->runs; r++) {
		struct lead l = {.n = 1 + r % 700};

		if (dae_run(&lead_prog, &l) || l.items != l.n || l.out_of_order ||
		    !pthread_equal(l.access_thread, pthread_self()))
			c->bad++;
	}
	return NULL;
}

static void four_threads_run_inline_at_once_each_on_its_own_stacks(void **state)
{
	enum dae_mode before = dae_run_mode_get();
	struct caller c[4];

	assert_int_equal(dae_run_mode_set(DAE_MODE_INLINE), 0);
	for (int i = 0; i < 4; i++) {
		c[i] = (struct caller){.runs = 500};
		assert_int_equal(pthread_create(&c[i].thread, NULL, caller_main, &c[i]), 0);
	}
	for (int i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(c[i].thread, NULL), 0);
		assert_int_equal(c[i].bad, 0);
	}
	assert_int_equal(dae_run_mode_set(before), 0);
}

/* An inline run whose execute side switches the process to threads mode,
 * runs a nested call that way, and switches back: the outer run keeps its
 * mode throughout. */
struct switcher {
	struct lead inner;
	int inner_result;
	int callbacks;
};

static void switcher_access(struct dae_queue *q, void *arg)
{
	for (int i = 0; i < 2000; i++)
		dae_queue_push_token(q, TOK_ITEM);
}

static void switcher_execute(struct dae_queue *q, void *arg)
{
	struct switcher *s = arg;

	while (dae_queue_pop_token(q) != DAE_TOKEN_DONE) {
		if (s->callbacks++ != 1000)
			continue;
		dae_run_mode_set(DAE_MODE_THREADS);
		s->inner_result = dae_run(&lead_prog, &s->inner);
		dae_run_mode_set(DAE_MODE_INLINE);
	}
}

static const struct dae_program switcher_prog = {"switcher", switcher_access, switcher_execute};

static void a_run_keeps_its_mode_when_the_mode_changes_under_it(void **state)
{
	enum dae_mode before = dae_run_mode_get();
	struct switcher s = {.inner = {.n = 3000}};

	assert_int_equal(dae_run_mode_set(DAE_MODE_INLINE), 0);
	assert_int_equal(dae_run(&switcher_prog, &s), 0);
	assert_int_equal(s.callbacks, 2000);
	assert_int_equal(s.inner_result, 0);
	assert_int_equal(s.inner.items, 3000);
	assert_false(pthread_equal(s.inner.access_thread, pthread_self()));
	assert_int_equal(dae_run_mode_set(before), 0);
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(the_api_sets_the_mode_and_rejects_what_is_not_one),
	        cmocka_unit_test(auto_resolves_to_inline_and_the_others_to_themselves),
	        cmocka_unit_test(each_mode_runs_the_access_side_where_it_says),
	        cmocka_unit_test(dae_mode_in_the_environment_picks_the_mode),
	        cmocka_unit_test(the_api_overrides_the_environment),
	        cmocka_unit_test(the_access_side_runs_exactly_dae_inline_words_ahead),
	        cmocka_unit_test(the_host_preset_gives_the_sizes_by_default),
	        cmocka_unit_test(
	                a_host_machine_file_gives_the_sizes_and_the_environment_overrides_them),
	        cmocka_unit_test(inline_runs_reuse_one_stack_and_start_it_afresh),
	        cmocka_unit_test(four_threads_run_inline_at_once_each_on_its_own_stacks),
	        cmocka_unit_test(a_run_keeps_its_mode_when_the_mode_changes_under_it),
	};

	if (argc > 2 && strcmp(argv[1], "--child") == 0) {
		if (strcmp(argv[2], "override") == 0)
			return override_child();
		if (strncmp(argv[2], "lead:", 5) == 0)
			return lead_child(argv[2] + 5);
		if (strncmp(argv[2], "tuning:", 7) == 0)
			return tuning_child(argv[2] + 7);
		return mode_child(argv[2]);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
