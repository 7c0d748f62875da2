/* Internal interface between the queue, dae_run and the inline executor
 * (inline.c). Not installed: nothing here is part of libdae's API. */
#ifndef DAE_RUNTIME_INLINE_H
#define DAE_RUNTIME_INLINE_H

#include "dae/queue.h"
#include "dae/run.h"

/* Runs prog on the calling thread, the access side as a coroutine (see
 * inline.c). Returns 0 with the queue's counters in *c once both sides have
 * returned, or -EAGAIN / -ENOMEM before running either side. */
int dae_inline_run(const struct dae_program *prog, void *arg, struct dae_queue_counters *c);

/* dae_inline_run in three steps, for callers that must know a run can start
 * before they commit to anything (the lanes): claim one of this thread's
 * stacks and queues (0, or -EAGAIN / -ENOMEM), run programs on it, any
 * number in turn, then release it on the same thread. */
struct dae_inline_run;
int dae_inline_claim(struct dae_inline_run **out);
void dae_inline_go(struct dae_inline_run *r, const struct dae_program *prog, void *arg,
                   struct dae_queue_counters *c);
void dae_inline_release(struct dae_inline_run *r);

/* The queue's slow paths when q->inline_run is set. */
void dae_inline_reserve(struct dae_queue *q);
void dae_inline_refill(struct dae_queue *q);
void dae_inline_flush(struct dae_queue *q);

/* What DAE_MODE_AUTO means in this build. */
enum dae_mode dae_inline_auto_mode(void);

#endif
