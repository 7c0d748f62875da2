/* dae_run: one decoupled execution of an access/execute pair.
 *
 * The access side runs on a libdae worker thread and the execute side on the
 * calling thread, because the execute side is the original loop body: it
 * keeps the caller's stack, thread-local state and signal handling, and the
 * caller can fall back to the original code when the worker cannot start. */
#ifndef DAE_RUN_H
#define DAE_RUN_H

#include "queue.h"

/* Most workers that may exist at once (each concurrent or nested dae_run
 * holds one); a call beyond it gets -EAGAIN. */
#define DAE_RUN_WORKERS_MAX 64

/* Ring size of each worker's queue unless the environment variable
 * DAE_QUEUE_WORDS (read once, at the first dae_run) says otherwise. */
#define DAE_RUN_QUEUE_WORDS 4096

typedef void (*dae_side_fn)(struct dae_queue *q, void *arg);

struct dae_program {
	const char *name; /* for statistics and messages */
	dae_side_fn access; /* pushes tokens and operands; must not push DAE_TOKEN_DONE itself */
	dae_side_fn execute; /* pops until it pops DAE_TOKEN_DONE, then returns */
};

/* Runs prog->access on a libdae worker thread and prog->execute on the
 * calling thread, joined by one queue. After access returns, the worker
 * pushes DAE_TOKEN_DONE and flushes. Workers run with every signal blocked,
 * so asynchronous signals keep going to the application's threads.
 * Safe to call from several threads at once and from inside an execute or
 * access function (nested calls): each concurrent call gets its own worker
 * and queue.
 * Returns 0 once both sides have returned; -EINVAL if prog or one of its
 * sides is NULL; -EAGAIN (DAE_RUN_WORKERS_MAX workers busy, or no thread
 * could be created) or -ENOMEM if the runtime could not start. On an error
 * NEITHER side has run, so the caller may fall back to its original code. */
DAE_API int dae_run(const struct dae_program *prog, void *arg);

#endif
