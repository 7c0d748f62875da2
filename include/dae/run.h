/* dae_run: one decoupled execution of an access/execute pair.
 *
 * The execute side always runs on the calling thread, because it is the
 * original loop body: it keeps the caller's stack, thread-local state and
 * signal handling, and the caller can fall back to the original code when
 * the runtime cannot start. Where the access side runs is the executor mode:
 *
 *  - DAE_MODE_INLINE: on the calling thread too, as a coroutine on a stack
 *    of its own. The two sides alternate in batches: the access side runs
 *    until the queue is full (issuing the prefetches of the whole batch),
 *    then the execute side empties it, then the access side again (group
 *    prefetching on one core). The queue's capacity in this mode (the
 *    tuning's inline_words, DAE_RUN_INLINE_WORDS by default, rounded up to
 *    a power of two) is therefore the prefetch distance: the access side issues the
 *    prefetches of a whole batch of that many queue words before the execute
 *    side uses the first of them. An embedding bag translated at -O3 sends
 *    one word per lookup and one per bag, so the default batch is about 500
 *    lookups; its prefetches go to L2 (DAE_PREFETCH_LOCALITY, prefetch.h),
 *    which holds them. A switch costs about 20 ns and no system call.
 *  - DAE_MODE_THREADS: on a libdae worker thread, the two sides joined by a
 *    queue of the tuning's queue_words (DAE_RUN_QUEUE_WORDS). Needs a
 *    second core that is otherwise idle, and wakes cost tens of
 *    microseconds.
 *  - DAE_MODE_LANES: for a program over a range of independent outer-loop
 *    iterations (dae_run_range), K inline pairs on K threads, each taking
 *    chunks of the range: the calling thread and K - 1 workers of libdae's
 *    pool. A plain dae_run program cannot be split and runs inline.
 *  - DAE_MODE_AUTO: what dae_run_mode_resolve(DAE_MODE_AUTO) says; inline
 *    in this version, on every build, because inline measured faster than
 *    threads on every workload tried, large or small (see docs/design.md);
 *    and for dae_run_range, lanes when the range is long enough to pay for
 *    waking the workers (DAE_RUN_LANES_MIN iterations per lane). */
#ifndef DAE_RUN_H
#define DAE_RUN_H

#include <stdint.h>

#include "lane.h"
#include "queue.h"

/* This libdae has DAE_MODE_LANES and dae_run_range. */
#define DAE_HAVE_LANES 1

/* Most workers that may exist at once (each concurrent or nested dae_run
 * in threads mode holds one), and most inline runs in progress at once on
 * one thread (each nested one holds a stack); a call beyond either gets
 * -EAGAIN. */
#define DAE_RUN_WORKERS_MAX 64

/* The sizes below are the built-in defaults of a machine description's
 * "runtime" section (model.h). libdae takes them, once, at its first run,
 * from the description named by the environment variable DAE_HOST_MACHINE (a
 * preset's name or a JSON file's path), else from the preset "host"
 * (runtime/machines/host.json, measured on the machine daec is developed
 * on); the environment variable named with each overrides the description.
 * dae_run_tuning_get says what is in use. */

/* Ring size of each worker's queue in threads mode: "runtime.queue_words",
 * DAE_QUEUE_WORDS. */
#define DAE_RUN_QUEUE_WORDS 4096

/* Capacity of the queue in inline mode, rounded up to a power of two:
 * "runtime.inline_words", DAE_INLINE_WORDS. It is how far the access side
 * runs ahead, so the prefetch distance. 512 measured 4% faster than 256
 * and as fast as 1024 on a 1 GiB embedding bag in lanes mode once
 * prefetches went to L2 (docs/design.md). */
#define DAE_RUN_INLINE_WORDS 512

/* Chunks per lane in lanes mode: "runtime.lane_chunks", DAE_LANE_CHUNKS.
 * Enough that a lane finishing early finds work left, few enough that a
 * chunk's start (an empty queue, prefetches not yet overlapped) stays
 * negligible. */
#define DAE_RUN_LANE_CHUNKS 8

/* Rows a fused lane keeps prefetched ahead of the row it reads
 * (dae_lane_run, one row prefetched per row read): "runtime.fused_ahead",
 * DAE_FUSED_AHEAD. On the side-by-side benchmark's 1 GiB table 32, 48, 64
 * and 96 ran at 100, 101, 102 and 102% of the gather limit in one A/B
 * harness (docs/design.md, "Fused lanes"). */
#define DAE_RUN_FUSED_AHEAD 64

/* Iterations a fused lane takes, and checks, at a time (dae_lane_take):
 * "runtime.fused_chunk", DAE_FUSED_CHUNK. Small enough that checking a
 * chunk reads a few KiB of indices just before the lane prefetches their
 * rows, and that the lanes finish together; large enough that the takes
 * (an atomic add on a shared line, a call of the check, the frontier) stay
 * rare. On the 1 GiB benchmark 16, 64, 128 and 256 bags ran at about 93,
 * 95, 95 and 93% of the gather limit (docs/design.md, "Checked chunks"). */
#define DAE_RUN_FUSED_CHUNK 64

/* Largest queue sizes and chunk counts a description or the environment
 * may ask for. */
#define DAE_RUN_WORDS_MAX (1u << 26)
#define DAE_RUN_LANE_CHUNKS_MAX 1024

/* Bytes of each coroutine stack of the inline mode, plus one guard page
 * below it. Stacks are kept per thread and reused by later runs; the access
 * side (and any signal handler that interrupts it) must fit in them. */
#define DAE_RUN_INLINE_STACK (256 * 1024)

enum dae_mode {
	DAE_MODE_AUTO = 0, /* the runtime picks; see dae_run_mode_resolve */
	DAE_MODE_THREADS = 1, /* access side on a worker thread */
	DAE_MODE_INLINE = 2, /* access side as a coroutine on the calling thread */
	DAE_MODE_LANES = 3, /* dae_run_range: K inline pairs over chunks of the range */
};

/* Fewest iterations per lane for which dae_run_range splits a range in the
 * lanes and auto modes ("runtime.lanes_min", DAE_LANES_MIN; see
 * DAE_RUN_QUEUE_WORDS): a shorter call runs inline on the calling thread,
 * since waking a parked worker costs tens of microseconds. */
#define DAE_RUN_LANES_MIN 64

/* The sizes libdae runs with, and where they came from. */
struct dae_run_tuning {
	char machine[64]; /* the description's name ("host" unless DAE_HOST_MACHINE says) */
	uint32_t inline_words; /* as asked for; the queue rounds it up to a power of two */
	uint32_t queue_words;
	uint32_t lane_chunks;
	uint32_t lanes_min;
	uint32_t fused_ahead;
	uint32_t fused_chunk;
	/* Which of the six the environment set (DAE_RUN_TUNING_ENV_* bits). */
	uint32_t from_env;
};
#define DAE_RUN_TUNING_ENV_INLINE_WORDS 1u
#define DAE_RUN_TUNING_ENV_QUEUE_WORDS 2u
#define DAE_RUN_TUNING_ENV_LANE_CHUNKS 4u
#define DAE_RUN_TUNING_ENV_LANES_MIN 8u
#define DAE_RUN_TUNING_ENV_FUSED_AHEAD 16u
#define DAE_RUN_TUNING_ENV_FUSED_CHUNK 32u

/* Fills *out with the sizes in use, reading the description and the
 * environment first if no run has. A DAE_HOST_MACHINE that cannot be loaded, or
 * an unusable environment value, is reported once on stderr and the "host"
 * preset's value (or the description's) is used instead.
 * Returns 0 or -EINVAL (out is NULL). */
DAE_API int dae_run_tuning_get(struct dae_run_tuning *out);

/* Sets the executor mode of every later dae_run in the process. Calls
 * already running keep the mode they started with. Process-wide, thread-safe
 * to call at any time, but meant to be called once, before the first
 * dae_run; it overrides the environment variable DAE_MODE
 * (threads|inline|auto, read once, at the first dae_run or dae_run_mode_*
 * call). Returns 0, or -EINVAL if m is not a mode. */
DAE_API int dae_run_mode_set(enum dae_mode m);

/* Sets how many lanes (threads, the caller's included) dae_run_range uses in
 * the lanes and auto modes; 0 restores the default: the environment variable
 * DAE_LANES if set (read once), else the number of CPUs the process may run
 * on. Returns 0, or -EINVAL if k > DAE_RUN_WORKERS_MAX. Thread-safe. */
DAE_API int dae_run_lanes_set(unsigned k);

/* The number of lanes dae_run_range would use now (at least 1). */
DAE_API unsigned dae_run_lanes_get(void);

/* The mode set by dae_run_mode_set, else by DAE_MODE, else DAE_MODE_AUTO.
 * Thread-safe. */
DAE_API enum dae_mode dae_run_mode_get(void);

/* The mode dae_run uses when the mode is m: m itself, except that
 * DAE_MODE_AUTO becomes DAE_MODE_THREADS or DAE_MODE_INLINE. Thread-safe;
 * an invalid m gives DAE_MODE_AUTO. */
DAE_API enum dae_mode dae_run_mode_resolve(enum dae_mode m);

typedef void (*dae_side_fn)(struct dae_queue *q, void *arg);

struct dae_program {
	const char *name; /* for statistics and messages */
	dae_side_fn access; /* pushes tokens and operands; must not push DAE_TOKEN_DONE itself */
	dae_side_fn execute; /* pops until it pops DAE_TOKEN_DONE, then returns */
};

/* Runs prog->execute on the calling thread and prog->access on a libdae
 * worker thread (threads mode) or on the calling thread as a coroutine
 * (inline mode), joined by one queue. After access returns, the runtime
 * pushes DAE_TOKEN_DONE and flushes. Workers run with every signal blocked,
 * so asynchronous signals keep going to the application's threads; an
 * inline access side runs with the caller's signal mask, on its coroutine
 * stack. Either way the execute side must pop until DAE_TOKEN_DONE.
 * Safe to call from several threads at once and from inside an execute or
 * access function (nested calls): each concurrent call gets its own queue
 * (and its own worker or stack).
 * Returns 0 once both sides have returned; -EINVAL if prog or one of its
 * sides is NULL; -EAGAIN (DAE_RUN_WORKERS_MAX workers busy or inline runs
 * nested on this thread, or no thread could be created) or -ENOMEM if the
 * runtime could not start. On an error NEITHER side has run, so the caller
 * may fall back to its original code. */
DAE_API int dae_run(const struct dae_program *prog, void *arg);

/* dae_run for the timing model: what dae_run means in code compiled with
 * -DDAE_TRACE (trace.h). Runs prog in inline mode, whatever the mode
 * setting, because the access side must record its trace on the calling
 * thread; then hands the trace to the process's model (DAE_MACHINE: a
 * preset name or a machine JSON file, default "tmu"), appends it to the file
 * DAE_TRACE_OUT if set, and at process exit writes the model's statistics
 * as JSON to DAE_MODEL_OUT (a path, or "stderr", the default) and a picture
 * to DAE_MODEL_PLOT (a .png path) if set. Returns what dae_run returns; the
 * results the program computes are the same as with dae_run. */
DAE_API int dae_run_traced(const struct dae_program *prog, void *arg);

/* A side of a range program: its share of the outer loop is the iterations
 * numbered first .. end - 1 (0 is the loop's first iteration). */
typedef void (*dae_range_fn)(struct dae_queue *q, void *arg, uint64_t first, uint64_t end);

/* An access/execute pair over an outer loop whose iterations are
 * independent: any split of its iterations into consecutive chunks, each run
 * by its own pair, in any order or at once, gives the same results as one
 * pair over the whole loop. daec emits one when it has proven that. */
struct dae_range_program {
	const char *name; /* for statistics and messages */
	dae_range_fn access; /* as dae_program's, over its chunk */
	dae_range_fn execute;
	/* Optional: a run-time check of the whole call that its chunks may
	 * run at once (e.g. that the rows written do not overlap the rows
	 * read); returns nonzero if so. Called on the calling thread before a
	 * split, and only then; if it says no, one pair runs the whole range.
	 * It may note in arg what it found, for the sides to read. Not called
	 * when apart is set. */
	int (*independent)(void *arg);
	/* Optional: the check by chunk, instead of independent. apart(arg,
	 * first, end) returns nonzero if nothing iterations first .. end - 1
	 * read (or write to a second array) can be what any iteration of the
	 * call writes: those iterations then compute the same whenever they
	 * run. Each lane checks the chunks it takes, as it takes them, so the
	 * check is split across the lanes and reads each index while the
	 * lane is about to read it anyway. A chunk runs once it and every
	 * chunk before it have passed; after the first chunk that fails, the
	 * rest of the range runs in order on one pair on the calling thread,
	 * once every lane has stopped. Called from any lane, at once: it must
	 * only read. */
	int (*apart)(void *arg, uint64_t first, uint64_t end);
	/* Optional, with apart: called on the calling thread with 1 before the
	 * lanes start (every chunk they run passed apart) and with 0 before
	 * the rest of the range runs after a chunk failed. daec's programs
	 * note it in arg, so that their sides skip testing each lookup's row
	 * against the row it adds to while the chunks are known apart. */
	void (*assume_apart)(void *arg, int yes);
	/* Optional: the pair fused for the lanes. Each lane calls it once per
	 * call (struct dae_lane, lane.h): it takes chunks with dae_lane_take
	 * and runs them with dae_lane_wait, as dae_lane_run does, with no
	 * queue (on a CPU the queue costs more than the split gains once
	 * every core runs a lane). daec's fused functions are dae_lane_run
	 * over a walk of one iteration that finds its segment, a row's
	 * prefetch and the iterations as written. */
	void (*fused)(void *arg, struct dae_lane *lane);
};

/* Runs prog over the iterations 0 .. n - 1 of its outer loop. In the lanes
 * mode (and in auto mode when the range is long enough), chunks of the
 * range run as inline pairs (or prog->fused) on the calling thread and on
 * up to K - 1 pool workers (dae_run_lanes_get); a worker's floating-point
 * environment is the caller's for the call, and the exception flags its
 * chunks raise are raised in the caller's. In the inline and threads modes,
 * and for ranges shorter than DAE_RUN_LANES_MIN iterations per lane, one
 * pair runs the whole range, as dae_run. n == 0 runs one pair over no
 * iterations.
 * Returns 0 once every chunk has run; -EINVAL if prog or one of its sides
 * is NULL; -EAGAIN or -ENOMEM if the runtime could not start, in which case
 * NO iteration has run and the caller may fall back to its original code. */
DAE_API int dae_run_range(const struct dae_range_program *prog, void *arg, uint64_t n);

/* dae_run_range for the timing model (see dae_run_traced): one inline pair
 * over the whole range. */
DAE_API int dae_run_range_traced(const struct dae_range_program *prog, void *arg, uint64_t n);

#ifdef DAE_TRACE
#define dae_run dae_run_traced
#define dae_run_range dae_run_range_traced
#endif

#endif
