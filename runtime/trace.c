/* The recorder of -DDAE_TRACE builds (include/dae/trace.h) and the process's
 * timing model that their dae_run_traced calls feed.
 *
 * Each thread records into a buffer of its own while a traced run is in
 * progress on it (the access side runs inline, on the caller's thread, so
 * no event crosses threads); the buffer is handed to the model, under one
 * process-wide lock, when it fills and when the outermost traced run on the
 * thread returns. Concurrent traced runs on several threads therefore reach
 * the model interleaved in whole chunks, in the order they were handed
 * over: the model sees one access unit serving them in turn. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dae/model.h"
#include "dae/trace.h"
#include "trace_rec.h"

/* Events a thread buffers before it hands them over: 1 MiB, large enough
 * that the lock is taken rarely, small enough to stay in the L2 cache. */
#define TRACE_CHUNK 65536

static _Thread_local struct {
	struct dae_trace_event *ev; /* TRACE_CHUNK events while depth > 0 */
	size_t n;
	int depth; /* traced runs in progress on this thread (they nest) */
} tb;

static struct {
	pthread_once_t once;
	pthread_mutex_t lock;
	struct dae_model *model; /* NULL when the machine could not be loaded */
	FILE *trace_out; /* DAE_TRACE_OUT, or NULL */
	char *stats_path; /* DAE_MODEL_OUT: a path, or NULL for stderr */
	char *plot_path; /* DAE_MODEL_PLOT, or NULL */
	int trace_failed; /* a write to trace_out failed: said once, then stopped */
} rec = {.once = PTHREAD_ONCE_INIT, .lock = PTHREAD_MUTEX_INITIALIZER};

static char *env_copy(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? strdup(v) : NULL;
}

/* Writes the statistics to path through a temporary file, so that a
 * reader never sees half of them. */
static void write_stats(const struct dae_model_stats *st, const char *path)
{
	if (!path) {
		dae_model_stats_write_json(st, stderr);
		return;
	}
	size_t len = strlen(path) + 16;
	char *tmp = malloc(len);
	if (!tmp)
		return;
	snprintf(tmp, len, "%s.tmp", path);
	FILE *f = fopen(tmp, "w");
	int err = f ? dae_model_stats_write_json(st, f) : -errno;
	if (f && fclose(f) != 0 && !err)
		err = -errno;
	if (!err && rename(tmp, path) != 0)
		err = -errno;
	if (err) {
		fprintf(stderr, "libdae: DAE_MODEL_OUT=%s: %s\n", path, strerror(-err));
		remove(tmp);
	}
	free(tmp);
}

static void report(void)
{
	pthread_mutex_lock(&rec.lock);
	if (rec.trace_out) {
		if (fclose(rec.trace_out) != 0 && !rec.trace_failed)
			fprintf(stderr, "libdae: DAE_TRACE_OUT: %s\n", strerror(errno));
		rec.trace_out = NULL;
	}
	if (rec.model) {
		struct dae_model_stats *st = calloc(1, sizeof(*st));
		if (st && dae_model_stats(rec.model, st) == 0) {
			write_stats(st, rec.stats_path);
			if (rec.plot_path) {
				int err = dae_model_plot(rec.model, rec.plot_path);
				if (err)
					fprintf(stderr, "libdae: DAE_MODEL_PLOT=%s: %s\n",
					        rec.plot_path,
					        err == -ENOENT ? "gnuplot is not installed"
					                       : strerror(-err));
			}
		}
		free(st);
		dae_model_destroy(rec.model);
		rec.model = NULL;
	}
	free(rec.stats_path);
	free(rec.plot_path);
	rec.stats_path = rec.plot_path = NULL;
	pthread_mutex_unlock(&rec.lock);
}

static void setup(void)
{
	char err[256] = "";
	const char *name = getenv("DAE_MACHINE");
	struct dae_machine *m = calloc(1, sizeof(*m));

	if (!name || !*name)
		name = "tmu";
	if (!m)
		fprintf(stderr, "libdae: no memory for the timing model\n");
	else if (dae_machine_load(m, name, err, sizeof(err)) != 0)
		fprintf(stderr, "libdae: DAE_MACHINE=%s: %s; the timing model is off\n", name, err);
	else if (dae_model_create(&rec.model, m) != 0)
		fprintf(stderr, "libdae: cannot create the timing model of %s\n", name);
	free(m);

	char *out = env_copy("DAE_TRACE_OUT");
	if (out) {
		rec.trace_out = fopen(out, "wb");
		if (!rec.trace_out || fwrite(DAE_TRACE_MAGIC, 1, DAE_TRACE_MAGIC_LEN,
		                             rec.trace_out) != DAE_TRACE_MAGIC_LEN) {
			fprintf(stderr, "libdae: DAE_TRACE_OUT=%s: %s\n", out, strerror(errno));
			if (rec.trace_out)
				fclose(rec.trace_out);
			rec.trace_out = NULL;
		}
		free(out);
	}
	rec.stats_path = env_copy("DAE_MODEL_OUT");
	if (rec.stats_path && strcmp(rec.stats_path, "stderr") == 0) {
		free(rec.stats_path);
		rec.stats_path = NULL;
	}
	rec.plot_path = env_copy("DAE_MODEL_PLOT");
	atexit(report);
}

/* Hands this thread's events to the model and the trace file. */
static void hand_over(void)
{
	if (!tb.n)
		return;
	pthread_mutex_lock(&rec.lock);
	if (rec.model)
		dae_model_feed(rec.model, tb.ev, tb.n);
	if (rec.trace_out && !rec.trace_failed &&
	    fwrite(tb.ev, sizeof(*tb.ev), tb.n, rec.trace_out) != tb.n) {
		fprintf(stderr, "libdae: DAE_TRACE_OUT: %s; the trace file is incomplete\n",
		        strerror(errno));
		rec.trace_failed = 1;
	}
	pthread_mutex_unlock(&rec.lock);
	tb.n = 0;
}

static void append(uint64_t addr, uint32_t size, unsigned kind, unsigned flags)
{
	if (tb.n == TRACE_CHUNK)
		hand_over();
	tb.ev[tb.n++] = (struct dae_trace_event){addr, size, (uint8_t)kind, (uint8_t)flags, 0};
}

/* Rows larger than 4 GiB are recorded as 4 GiB - 1 bytes: the model's
 * caches are far smaller, so the time to stream them is the same. */
static uint32_t clamp32(size_t bytes)
{
	return bytes > UINT32_MAX ? UINT32_MAX : (uint32_t)bytes;
}

const void *dae_trace_load(const void *p, size_t bytes, unsigned flags)
{
	if (tb.depth)
		append((uint64_t)(uintptr_t)p, clamp32(bytes),
		       flags & DAE_TRACE_AS_ROW ? DAE_TRACE_ROW : DAE_TRACE_LOAD,
		       flags & DAE_TRACE_DEP);
	return p;
}

void dae_trace_row(const void *p, size_t bytes)
{
	/* A row the access side prefetches is addressed by an index it has
	 * just loaded: a gather. */
	if (tb.depth)
		append((uint64_t)(uintptr_t)p, clamp32(bytes), DAE_TRACE_ROW, DAE_TRACE_DEP);
}

void dae_trace_push(enum dae_trace_kind kind, uint32_t words)
{
	if (tb.depth)
		append(0, words, kind, 0);
}

int dae_trace_call_begin(void)
{
	pthread_once(&rec.once, setup);
	if (!tb.depth) {
		tb.ev = malloc(sizeof(*tb.ev) * TRACE_CHUNK);
		if (!tb.ev)
			return -ENOMEM;
		tb.n = 0;
	}
	tb.depth++;
	append(0, 0, DAE_TRACE_CALL, 0);
	return 0;
}

void dae_trace_call_end(void)
{
	if (--tb.depth)
		return;
	hand_over();
	free(tb.ev);
	tb.ev = NULL;
}
