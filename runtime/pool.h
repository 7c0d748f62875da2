/* Internal interface to libdae's worker pool (run.c), its statistics and
 * its settings, shared by the threads mode (run.c), the inline mode
 * (inline.c) and the lanes (lanes.c). Not
 * installed: nothing here is part of libdae's API. */
#ifndef DAE_RUNTIME_POOL_H
#define DAE_RUNTIME_POOL_H

#include <stdbool.h>

#include "dae/queue.h"
#include "dae/run.h"

/* A job: what a worker runs once, given its data queue (reset for the job). */
typedef void (*dae_job_fn)(struct dae_queue *q, void *arg);

struct dae_worker;

/* Takes an idle worker, or creates one (at most DAE_RUN_WORKERS_MAX);
 * 0, -EAGAIN or -ENOMEM. */
int dae_pool_claim(struct dae_worker **out);

/* Wakes w to run fn(its queue, arg); arg must live until dae_pool_wait. */
void dae_pool_post(struct dae_worker *w, dae_job_fn fn, void *arg);

/* Waits until w's job has returned. */
void dae_pool_wait(struct dae_worker *w);

/* Gives w back to the pool; only after dae_pool_wait. */
void dae_pool_release(struct dae_worker *w);

/* Adds one run's counters to the process's statistics. */
void dae_stats_add(const struct dae_queue_counters *c);

/* A count from the environment variable name: true and *out set if it
 * holds one from min (at least 1) to max; false if it is unset or empty, or
 * unusable (then with a message saying what it should be: want). */
bool dae_env_parse(const char *name, unsigned long long min, unsigned long long max,
                   const char *want, unsigned long long *out);

/* The sizes in use (tune.c), read at the first call. */
const struct dae_run_tuning *dae_tuning(void);

/* One run of prog as dae_run runs it in mode m (inline for every mode but
 * threads). */
int dae_run_pair(const struct dae_program *prog, void *arg, enum dae_mode m);

#endif
