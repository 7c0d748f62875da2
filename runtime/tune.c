/* The sizes libdae runs with (struct dae_run_tuning, run.h): a machine
 * description's "runtime" section, then the environment.
 *
 * The inline queue, the threads queue and the lanes each used to read a
 * constant and an environment variable of their own. Here they come from
 * one description, the one the timing model reads too, so whoever
 * describes a machine (bench/calibrate measures one) tunes the runtime and
 * the model in one file, and the constants live in one place: the
 * description's defaults (machine.c). Read once: a run must not change its
 * queue sizes under a concurrent one. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dae/model.h"
#include "dae/run.h"
#include "pool.h"

static struct {
	pthread_once_t once;
	struct dae_run_tuning t;
} tuning = {.once = PTHREAD_ONCE_INIT};

/* The built-in sizes, for a libdae whose "host" preset cannot be loaded
 * (it is compiled in, so only a broken build gets here). */
static void builtin(struct dae_run_tuning *t)
{
	snprintf(t->machine, sizeof(t->machine), "built-in");
	t->inline_words = DAE_RUN_INLINE_WORDS;
	t->queue_words = DAE_RUN_QUEUE_WORDS;
	t->lane_chunks = DAE_RUN_LANE_CHUNKS;
	t->lanes_min = DAE_RUN_LANES_MIN;
	t->fused_ahead = DAE_RUN_FUSED_AHEAD;
	t->fused_chunk = DAE_RUN_FUSED_CHUNK;
}

static void from_machine(struct dae_run_tuning *t)
{
	const char *name = getenv("DAE_HOST_MACHINE");
	struct dae_machine m;
	char err[256];

	if (!name || !*name)
		name = "host";
	if (dae_machine_load(&m, name, err, sizeof(err)) != 0) {
		fprintf(stderr,
		        "libdae: ignoring DAE_HOST_MACHINE=%s (%s); using the host preset\n", name,
		        err);
		if (dae_machine_load(&m, "host", err, sizeof(err)) != 0) {
			builtin(t);
			return;
		}
	}
	snprintf(t->machine, sizeof(t->machine), "%s", m.name);
	t->inline_words = m.runtime.inline_words;
	t->queue_words = m.runtime.queue_words;
	t->lane_chunks = m.runtime.lane_chunks;
	t->lanes_min = m.runtime.lanes_min;
	t->fused_ahead = m.runtime.fused_ahead;
	t->fused_chunk = m.runtime.fused_chunk;
}

static void from_env(uint32_t *v, const char *name, unsigned long long min, unsigned long long max,
                     uint32_t bit, uint32_t *from)
{
	char want[64];
	unsigned long long n;

	snprintf(want, sizeof(want), "a count from %llu to %llu", min, max);
	if (dae_env_parse(name, min, max, want, &n)) {
		*v = (uint32_t)n;
		*from |= bit;
	}
}

static void setup(void)
{
	struct dae_run_tuning *t = &tuning.t;

	from_machine(t);
	from_env(&t->inline_words, "DAE_INLINE_WORDS", 2, DAE_RUN_WORDS_MAX,
	         DAE_RUN_TUNING_ENV_INLINE_WORDS, &t->from_env);
	from_env(&t->queue_words, "DAE_QUEUE_WORDS", 2, DAE_RUN_WORDS_MAX,
	         DAE_RUN_TUNING_ENV_QUEUE_WORDS, &t->from_env);
	from_env(&t->lane_chunks, "DAE_LANE_CHUNKS", 1, DAE_RUN_LANE_CHUNKS_MAX,
	         DAE_RUN_TUNING_ENV_LANE_CHUNKS, &t->from_env);
	from_env(&t->lanes_min, "DAE_LANES_MIN", 1, UINT32_MAX, DAE_RUN_TUNING_ENV_LANES_MIN,
	         &t->from_env);
	from_env(&t->fused_ahead, "DAE_FUSED_AHEAD", 1, DAE_RUN_WORDS_MAX,
	         DAE_RUN_TUNING_ENV_FUSED_AHEAD, &t->from_env);
	from_env(&t->fused_chunk, "DAE_FUSED_CHUNK", 1, DAE_RUN_WORDS_MAX,
	         DAE_RUN_TUNING_ENV_FUSED_CHUNK, &t->from_env);
}

const struct dae_run_tuning *dae_tuning(void)
{
	pthread_once(&tuning.once, setup);
	return &tuning.t;
}

int dae_run_tuning_get(struct dae_run_tuning *out)
{
	if (!out)
		return -EINVAL;
	*out = *dae_tuning();
	return 0;
}
