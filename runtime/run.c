/* dae_run, its executor modes, its worker pool and the process-wide
 * statistics. The inline mode lives in inline.c; what follows the mode
 * selection is the threads mode.
 *
 * A worker is a thread plus three queues it owns for its whole life: the
 * data queue of the run it serves, an inbox through which a caller hands it
 * a job and an outbox through which it reports that it is done with the data
 * queue. Parking on the inbox reuses the queue's spin-then-sleep wait, so a
 * worker that is called again within microseconds never enters the kernel,
 * and an idle one sleeps in FUTEX_WAIT instead of burning a core. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dae/queue.h"
#include "dae/run.h"
#include "dae/stats.h"
#include "inline.h"
#include "pool.h"
#include "trace_rec.h"

/* The inbox carries a job as two words (function, argument), the outbox
 * one word; the smallest ring holds either, and publishes every word. */
#define MAILBOX_WORDS 2

struct dae_worker {
	struct dae_queue q;
	struct dae_queue inbox; /* caller -> worker: job function, argument */
	struct dae_queue outbox; /* worker -> caller: done with q */
	struct dae_worker *next; /* idle list link, guarded by pool.lock */
};

static struct {
	pthread_mutex_t lock;
	struct dae_worker *idle; /* LIFO: the most recently used worker has the warmest caches */
	unsigned count; /* workers created or being created */
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER};

static struct {
	pthread_mutex_t lock;
	struct dae_stats total;
	char *path; /* DAE_STATS, copied at load time so setenv cannot pull it away */
} stats = {.lock = PTHREAD_MUTEX_INITIALIZER};

/* The executor mode: DAE_MODE at the first use, then dae_run_mode_set. */
static struct {
	pthread_once_t once;
	_Atomic int mode;
} mode = {.once = PTHREAD_ONCE_INIT};

static void mode_setup(void)
{
	const char *env = getenv("DAE_MODE");
	int m = DAE_MODE_AUTO;

	if (env && *env) {
		if (strcmp(env, "threads") == 0)
			m = DAE_MODE_THREADS;
		else if (strcmp(env, "inline") == 0)
			m = DAE_MODE_INLINE;
		else if (strcmp(env, "lanes") == 0)
			m = DAE_MODE_LANES;
		else if (strcmp(env, "auto") != 0)
			fprintf(stderr,
			        "libdae: ignoring DAE_MODE=%s (want threads, inline, lanes or "
			        "auto)\n",
			        env);
	}
	/* relaxed: pthread_once orders this store before every caller that
	 * returns from it, and a dae_run_mode_set can only follow them. */
	atomic_store_explicit(&mode.mode, m, memory_order_relaxed);
}

int dae_run_mode_set(enum dae_mode m)
{
	if (m != DAE_MODE_AUTO && m != DAE_MODE_THREADS && m != DAE_MODE_INLINE &&
	    m != DAE_MODE_LANES)
		return -EINVAL;
	pthread_once(&mode.once, mode_setup);
	/* relaxed: the mode is a lone word that orders nothing else; a
	 * dae_run racing with this call may take either mode. */
	atomic_store_explicit(&mode.mode, (int)m, memory_order_relaxed);
	return 0;
}

enum dae_mode dae_run_mode_get(void)
{
	pthread_once(&mode.once, mode_setup);
	/* relaxed: see dae_run_mode_set. */
	return (enum dae_mode)atomic_load_explicit(&mode.mode, memory_order_relaxed);
}

enum dae_mode dae_run_mode_resolve(enum dae_mode m)
{
	switch (m) {
	case DAE_MODE_AUTO:
		return dae_inline_auto_mode();
	case DAE_MODE_THREADS:
	case DAE_MODE_INLINE:
	case DAE_MODE_LANES:
		return m;
	}
	return DAE_MODE_AUTO;
}

static void *worker_main(void *p)
{
	struct dae_worker *w = p;

	for (;;) {
		dae_job_fn fn = (dae_job_fn)dae_queue_pop_ptr(&w->inbox);
		void *arg = dae_queue_pop_ptr(&w->inbox);

		fn(&w->q, arg);
		/* Only now is the worker done touching q and arg (a job's
		 * last flush may still wake the consumer), so only now may
		 * the caller hand q to the next run. */
		dae_queue_push(&w->outbox, 1);
		dae_queue_flush(&w->outbox);
	}
	return NULL;
}

static void worker_free(struct dae_worker *w)
{
	dae_queue_exit(&w->outbox);
	dae_queue_exit(&w->inbox);
	dae_queue_exit(&w->q);
	free(w);
}

static int worker_create(struct dae_worker **out)
{
	pthread_attr_t attr;
	sigset_t all, old;
	pthread_t thread;
	struct dae_worker *w;
	int err;

	/* aligned_alloc: the queues' lines must be real cache lines. */
	w = aligned_alloc(alignof(struct dae_worker), sizeof(*w));
	if (!w)
		return -ENOMEM;
	memset(w, 0, sizeof(*w));
	err = dae_queue_init(&w->q, dae_tuning()->queue_words);
	if (!err)
		err = dae_queue_init(&w->inbox, MAILBOX_WORDS);
	if (!err)
		err = dae_queue_init(&w->outbox, MAILBOX_WORDS);
	if (err) {
		worker_free(w);
		return err;
	}

	err = pthread_attr_init(&attr);
	if (err) {
		worker_free(w);
		return -err;
	}
	/* Nobody joins a worker: it lives as long as the process. */
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	/* Workers inherit a full signal mask so asynchronous signals keep
	 * going to the application's own threads, which have handlers and
	 * expect them. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&thread, &attr, worker_main, w);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err) {
		worker_free(w);
		return -err;
	}
	*out = w;
	return 0;
}

bool dae_env_parse(const char *name, unsigned long long min, unsigned long long max,
                   const char *want, unsigned long long *out)
{
	const char *env = getenv(name);
	unsigned long long n;
	char *end;

	if (!env || !*env)
		return false;
	errno = 0;
	n = strtoull(env, &end, 0);
	if (errno || *end || n < min || n > max || env[0] == '-') {
		fprintf(stderr, "libdae: ignoring %s=%s (want %s)\n", name, env, want);
		return false;
	}
	*out = n;
	return true;
}

int dae_pool_claim(struct dae_worker **out)
{
	struct dae_worker *w;
	bool create = false;
	int err;

	pthread_mutex_lock(&pool.lock);
	w = pool.idle;
	if (w) {
		pool.idle = w->next;
	} else if (pool.count < DAE_RUN_WORKERS_MAX) {
		/* Reserve the slot before unlocking so concurrent callers
		 * cannot overshoot the cap while we create the thread. */
		pool.count++;
		create = true;
	}
	pthread_mutex_unlock(&pool.lock);
	if (w) {
		*out = w;
		return 0;
	}
	if (!create)
		return -EAGAIN;
	err = worker_create(out);
	if (err) {
		pthread_mutex_lock(&pool.lock);
		pool.count--;
		pthread_mutex_unlock(&pool.lock);
	}
	return err;
}

void dae_pool_post(struct dae_worker *w, dae_job_fn fn, void *arg)
{
	/* The worker is parked on its inbox and finished with q (it said so
	 * on the outbox before it was released), so q is ours to reset; the
	 * inbox hand-off below orders the reset before the worker's pushes. */
	dae_queue_reset(&w->q);
	dae_queue_push_ptr(&w->inbox, (const void *)fn);
	dae_queue_push_ptr(&w->inbox, arg);
	dae_queue_flush(&w->inbox);
}

void dae_pool_wait(struct dae_worker *w)
{
	(void)dae_queue_pop(&w->outbox);
}

void dae_pool_release(struct dae_worker *w)
{
	pthread_mutex_lock(&pool.lock);
	w->next = pool.idle;
	pool.idle = w;
	pthread_mutex_unlock(&pool.lock);
}

void dae_stats_add(const struct dae_queue_counters *c)
{
	pthread_mutex_lock(&stats.lock);
	stats.total.runs++;
	stats.total.tokens += c->tokens;
	stats.total.operands += c->operands;
	stats.total.words += c->words;
	pthread_mutex_unlock(&stats.lock);
}

/* One run in inline mode, counted in the statistics. */
static int run_inline(const struct dae_program *prog, void *arg)
{
	struct dae_queue_counters c;
	int err = dae_inline_run(prog, arg, &c);

	if (err)
		return err;
	dae_stats_add(&c);
	return 0;
}

/* The worker's half of a threads-mode run. */
struct access_job {
	const struct dae_program *prog;
	void *arg;
};

static void access_job(struct dae_queue *q, void *p)
{
	const struct access_job *j = p;

	j->prog->access(q, j->arg);
	dae_queue_push(q, DAE_TOKEN_DONE);
	dae_queue_flush(q);
}

static int run_threads(const struct dae_program *prog, void *arg)
{
	struct access_job job = {prog, arg};
	struct dae_queue_counters c;
	struct dae_worker *w;
	int err = dae_pool_claim(&w);

	if (err)
		return err;
	dae_pool_post(w, access_job, &job);
	prog->execute(&w->q, arg);
	dae_pool_wait(w);
	dae_queue_counters_get(&w->q, &c);
	dae_stats_add(&c);
	dae_pool_release(w);
	return 0;
}

int dae_run_pair(const struct dae_program *prog, void *arg, enum dae_mode m)
{
	return m == DAE_MODE_THREADS ? run_threads(prog, arg) : run_inline(prog, arg);
}

int dae_run(const struct dae_program *prog, void *arg)
{
	if (!prog || !prog->access || !prog->execute)
		return -EINVAL;
	return dae_run_pair(prog, arg, dae_run_mode_resolve(dae_run_mode_get()));
}

int dae_run_traced(const struct dae_program *prog, void *arg)
{
	int err;

	if (!prog || !prog->access || !prog->execute)
		return -EINVAL;
	err = dae_trace_call_begin();
	if (err)
		return err;
	err = run_inline(prog, arg);
	dae_trace_call_end();
	return err;
}

void dae_stats_get(struct dae_stats *out)
{
	pthread_mutex_lock(&stats.lock);
	*out = stats.total;
	pthread_mutex_unlock(&stats.lock);
}

void dae_stats_reset(void)
{
	pthread_mutex_lock(&stats.lock);
	memset(&stats.total, 0, sizeof(stats.total));
	pthread_mutex_unlock(&stats.lock);
}

static void stats_write(void)
{
	struct dae_stats s;
	bool to_stderr = strcmp(stats.path, "stderr") == 0;
	FILE *f = to_stderr ? stderr : fopen(stats.path, "w");

	if (!f) {
		fprintf(stderr, "libdae: cannot write DAE_STATS=%s: %s\n", stats.path,
		        strerror(errno));
		return;
	}
	dae_stats_get(&s);
	fprintf(f,
	        "{\"runs\":%" PRIu64 ",\"tokens\":%" PRIu64 ",\"operands\":%" PRIu64
	        ",\"words\":%" PRIu64 ",\"bytes\":%" PRIu64 "}\n",
	        s.runs, s.tokens, s.operands, s.words, s.words * sizeof(dae_word));
	if (to_stderr)
		fflush(f);
	else
		fclose(f);
}

/* fork() copies the pool's bookkeeping but not its threads: the child must
 * start from an empty pool, and must not inherit a lock held by a thread
 * that does not exist there. */
static void fork_prepare(void)
{
	pthread_mutex_lock(&pool.lock);
	pthread_mutex_lock(&stats.lock);
}

static void fork_parent(void)
{
	pthread_mutex_unlock(&stats.lock);
	pthread_mutex_unlock(&pool.lock);
}

static void fork_child(void)
{
	/* The parent's workers are unreachable here; their memory is
	 * abandoned rather than freed, as another thread's run may still
	 * have been using it at fork time. */
	pool.idle = NULL;
	pool.count = 0;
	pthread_mutex_init(&stats.lock, NULL);
	pthread_mutex_init(&pool.lock, NULL);
}

/* A constructor rather than the first dae_run, so a program that never
 * decouples anything still reports its zeros. Workers are never joined at
 * exit: they may be in the middle of a run another thread started, and a
 * parked one costs nothing. */
__attribute__((constructor)) static void dae_setup(void)
{
	const char *path = getenv("DAE_STATS");

	pthread_atfork(fork_prepare, fork_parent, fork_child);
	if (!path || !*path)
		return;
	stats.path = strdup(path);
	if (stats.path)
		atexit(stats_write);
}
