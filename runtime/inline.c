/* The inline executor: both sides of a dae_run on the calling thread.
 *
 * The execute side runs on the caller's stack, as in threads mode; the
 * access side runs as a coroutine on a stack of its own. Control changes
 * hands only inside the queue's slow paths:
 *  - the consumer finds the queue empty (dae_queue_refill): it switches to
 *    the producer, which at the first switch starts the access function;
 *  - the producer finds the queue full (dae_queue_reserve) or flushes: it
 *    switches to the consumer;
 *  - the access function returns: the coroutine pushes DAE_TOKEN_DONE and
 *    switches back to the consumer for good.
 * So the two sides alternate in batches of one queue: the access side runs a
 * whole queue ahead, issuing the prefetches of that stretch, then the
 * execute side consumes the batch while (and after) those lines arrive, at
 * the cost of two context switches per batch. (Handing back after half a
 * queue, so that the run-ahead never drops below half a queue, measured
 * 5-25% slower on the embedding bags: the batch is what pays.)
 *
 * Everything is single-threaded: the queue's indices are plain fields here
 * (prod_tail, cons_head), never the atomic tail and head, and the switch
 * itself is the only ordering either side needs.
 *
 * Each thread keeps the coroutines it has finished with (queue, stack) for
 * the next run; nested runs (an execute or access side calling dae_run)
 * take another one. */
#include <errno.h>
#include <pthread.h>
#include <stdalign.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "dae/queue.h"
#include "dae/run.h"
#include "inline.h"
#include "pool.h"

#if defined(__has_feature)
#if __has_feature(address_sanitizer)
#define DAE_ASAN 1
#endif
#if __has_feature(thread_sanitizer)
#define DAE_TSAN 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) && !defined(DAE_ASAN)
#define DAE_ASAN 1
#endif
#if defined(__SANITIZE_THREAD__) && !defined(DAE_TSAN)
#define DAE_TSAN 1
#endif
#ifdef DAE_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>
#endif
#ifdef DAE_TSAN
#include <sanitizer/tsan_interface.h>
#endif

/* Finished coroutines a thread keeps for its next runs; more (left over
 * from deep nesting) are freed. */
#define IDLE_MAX 8

/* ---- context switch ----
 *
 * On x86-64, a context is just a stack pointer: the switch pushes the
 * callee-saved registers (the SysV ABI's rbx, rbp, r12-r15) on the current
 * stack, stores the stack pointer, loads the other one and pops the other
 * side's registers. Everything else is either caller-saved (the compiler
 * has already spilled what it needs around the call) or per-thread state
 * both sides share on purpose (MXCSR, the x87 control word, the signal
 * mask: the access side runs in the caller's environment). No system call,
 * unlike swapcontext, which saves and restores the signal mask each time.
 * Elsewhere (or with -DDAE_CTX_UCONTEXT) makecontext/swapcontext stand in. */
#if defined(__x86_64__) && !defined(DAE_CTX_UCONTEXT)

struct ctx {
	void *sp;
};

/* Saves the current context into *save_sp and resumes the one at to_sp. */
void dae_ctx_switch(void **save_sp, void *to_sp);
/* Where a new context starts: calls r13(r12), which never returns. */
void dae_ctx_entry(void);

__asm__(".text\n"
        ".globl dae_ctx_switch\n"
        ".hidden dae_ctx_switch\n"
        ".type dae_ctx_switch, @function\n"
        ".p2align 4\n"
        "dae_ctx_switch:\n"
        "	.cfi_startproc\n"
        "	pushq %rbp\n"
        "	pushq %rbx\n"
        "	pushq %r12\n"
        "	pushq %r13\n"
        "	pushq %r14\n"
        "	pushq %r15\n"
        "	movq %rsp, (%rdi)\n"
        "	movq %rsi, %rsp\n"
        "	popq %r15\n"
        "	popq %r14\n"
        "	popq %r13\n"
        "	popq %r12\n"
        "	popq %rbx\n"
        "	popq %rbp\n"
        "	ret\n"
        "	.cfi_endproc\n"
        ".size dae_ctx_switch, .-dae_ctx_switch\n"
        ".globl dae_ctx_entry\n"
        ".hidden dae_ctx_entry\n"
        ".type dae_ctx_entry, @function\n"
        ".p2align 4\n"
        "dae_ctx_entry:\n"
        "	.cfi_startproc\n"
        /* The first frame of the coroutine: unwinders stop here. */
        "	.cfi_undefined rip\n"
        "	movq %r12, %rdi\n"
        "	callq *%r13\n"
        "	ud2\n"
        "	.cfi_endproc\n"
        ".size dae_ctx_entry, .-dae_ctx_entry\n");

/* Prepares *c to call fn(arg) on the stack [lo, lo + size) when first
 * switched to. The frame is the one dae_ctx_switch pops. */
static void ctx_make(struct ctx *c, char *lo, size_t size, void (*fn)(void *), void *arg)
{
	/* The ABI wants rsp + 8 to be a multiple of 16 at a function's entry:
	 * dae_ctx_entry is entered by a ret with rsp == top, and its call
	 * pushes 8 bytes. */
	void **top = (void **)(((uintptr_t)lo + size) & ~(uintptr_t)15);
	void **sp = top - 7;

	sp[0] = NULL; /* r15 */
	sp[1] = NULL; /* r14 */
	sp[2] = (void *)(uintptr_t)fn; /* r13 */
	sp[3] = arg; /* r12 */
	sp[4] = NULL; /* rbx */
	sp[5] = NULL; /* rbp: a zero frame pointer ends frame-pointer backtraces */
	sp[6] = (void *)(uintptr_t)dae_ctx_entry; /* return address */
	c->sp = sp;
}

static inline void ctx_swap(struct ctx *from, struct ctx *to)
{
	dae_ctx_switch(&from->sp, to->sp);
}

#else /* ucontext */

#include <ucontext.h>

struct ctx {
	ucontext_t uc;
};

/* makecontext passes int arguments only: the pointer travels in halves. */
static void ctx_start(unsigned fn_hi, unsigned fn_lo, unsigned arg_hi, unsigned arg_lo)
{
	void (*fn)(void *) = (void (*)(void *))(uintptr_t)((uint64_t)fn_hi << 32 | (uint64_t)fn_lo);

	fn((void *)(uintptr_t)((uint64_t)arg_hi << 32 | (uint64_t)arg_lo));
	abort();
}

static void ctx_make(struct ctx *c, char *lo, size_t size, void (*fn)(void *), void *arg)
{
	uint64_t f = (uint64_t)(uintptr_t)fn, a = (uint64_t)(uintptr_t)arg;

	getcontext(&c->uc);
	c->uc.uc_stack.ss_sp = lo;
	c->uc.uc_stack.ss_size = size;
	c->uc.uc_link = NULL;
	makecontext(&c->uc, (void (*)(void))ctx_start, 4, (unsigned)(f >> 32), (unsigned)f,
	            (unsigned)(a >> 32), (unsigned)a);
}

static inline void ctx_swap(struct ctx *from, struct ctx *to)
{
	swapcontext(&from->uc, &to->uc);
}

#endif

/* ---- one inline run ---- */

struct dae_inline_run {
	struct dae_queue q;
	struct ctx caller; /* the execute side, on the caller's stack */
	struct ctx access; /* the access side, on stack[] */
	const struct dae_program *prog;
	void *arg;
	bool in_access; /* the access side is running */
	bool access_done; /* the access side has pushed DAE_TOKEN_DONE */
	char *map; /* guard page + stack */
	size_t map_size;
	char *stack;
	size_t stack_size;
	struct dae_inline_run *next; /* idle list */
#ifdef DAE_ASAN
	void *caller_fake; /* the fake stacks of the two sides, while suspended */
	void *access_fake;
	const void *caller_bottom; /* the caller's stack, learnt at the first switch */
	size_t caller_size;
#endif
#ifdef DAE_TSAN
	void *caller_fiber;
	void *access_fiber;
#endif
};

static struct {
	pthread_once_t once;
	size_t page;
	pthread_key_t key; /* its destructor frees a thread's idle runs */
	bool key_ok;
} cfg = {.once = PTHREAD_ONCE_INIT};

/* Per thread: finished runs kept for reuse, and how many are in progress. */
struct cache {
	struct dae_inline_run *idle;
	unsigned idle_count;
	unsigned active;
	bool registered; /* the thread-exit destructor knows this cache */
};

static _Thread_local struct cache tls_cache;

static void run_free(struct dae_inline_run *r)
{
	munmap(r->map, r->map_size);
	dae_queue_exit(&r->q);
	free(r);
}

static void cache_free(void *p)
{
	struct cache *c = p;
	struct dae_inline_run *r;

	while ((r = c->idle)) {
		c->idle = r->next;
		run_free(r);
	}
	c->idle_count = 0;
	c->registered = false;
}

static void cfg_setup(void)
{
	long page = sysconf(_SC_PAGESIZE);

	cfg.page = page > 0 ? (size_t)page : 4096;
	cfg.key_ok = pthread_key_create(&cfg.key, cache_free) == 0;
}

static int run_create(struct dae_inline_run **out)
{
	struct dae_inline_run *r;
	int err;

	/* aligned_alloc: the queue's lines must be real cache lines. */
	r = aligned_alloc(alignof(struct dae_inline_run), sizeof(*r));
	if (!r)
		return -ENOMEM;
	memset(r, 0, sizeof(*r));
	err = dae_queue_init(&r->q, dae_tuning()->inline_words);
	if (err) {
		free(r);
		return err;
	}
	r->q.inline_run = r;
	/* Nothing to publish on one thread: the fast paths never call
	 * dae_queue_flush or dae_queue_release. */
	r->q.batch_mask = UINT64_MAX;

	r->stack_size = DAE_RUN_INLINE_STACK;
	r->map_size = r->stack_size + cfg.page;
	r->map = mmap(NULL, r->map_size, PROT_READ | PROT_WRITE,
	              MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (r->map == MAP_FAILED) {
		dae_queue_exit(&r->q);
		free(r);
		return -ENOMEM;
	}
	/* The guard page: an overflowing access side faults instead of
	 * writing over whatever lies below its stack. */
	if (mprotect(r->map, cfg.page, PROT_NONE)) {
		munmap(r->map, r->map_size);
		dae_queue_exit(&r->q);
		free(r);
		return -ENOMEM;
	}
	r->stack = r->map + cfg.page;
	*out = r;
	return 0;
}

static int run_claim(struct dae_inline_run **out)
{
	struct cache *c = &tls_cache;
	struct dae_inline_run *r = c->idle;
	int err;

	if (c->active >= DAE_RUN_WORKERS_MAX)
		return -EAGAIN;
	if (r) {
		c->idle = r->next;
		c->idle_count--;
	} else {
		pthread_once(&cfg.once, cfg_setup);
		err = run_create(&r);
		if (err)
			return err;
	}
	c->active++;
	*out = r;
	return 0;
}

static void run_release(struct dae_inline_run *r)
{
	struct cache *c = &tls_cache;

	c->active--;
	if (c->idle_count >= IDLE_MAX) {
		run_free(r);
		return;
	}
	/* Registered on first use only: a thread that never keeps a run
	 * costs no destructor. */
	if (!c->registered && cfg.key_ok && pthread_setspecific(cfg.key, c) == 0)
		c->registered = true;
	r->next = c->idle;
	c->idle = r;
	c->idle_count++;
}

/* The execute side hands over to the access side; returns when the access
 * side hands back. */
static void to_access(struct dae_inline_run *r)
{
	r->in_access = true;
#ifdef DAE_ASAN
	__sanitizer_start_switch_fiber(&r->caller_fake, r->stack, r->stack_size);
#endif
#ifdef DAE_TSAN
	__tsan_switch_to_fiber(r->access_fiber, 0);
#endif
	ctx_swap(&r->caller, &r->access);
#ifdef DAE_ASAN
	__sanitizer_finish_switch_fiber(r->caller_fake, NULL, NULL);
#endif
	r->in_access = false;
}

/* The access side hands over to the execute side; returns when the execute
 * side wants more. */
static void to_execute(struct dae_inline_run *r)
{
#ifdef DAE_ASAN
	__sanitizer_start_switch_fiber(&r->access_fake, r->caller_bottom, r->caller_size);
#endif
#ifdef DAE_TSAN
	__tsan_switch_to_fiber(r->caller_fiber, 0);
#endif
	ctx_swap(&r->access, &r->caller);
#ifdef DAE_ASAN
	__sanitizer_finish_switch_fiber(r->access_fake, NULL, NULL);
#endif
}

/* The coroutine's body, entered at the execute side's first refill. */
static void access_main(void *p)
{
	struct dae_inline_run *r = p;

#ifdef DAE_ASAN
	__sanitizer_finish_switch_fiber(NULL, &r->caller_bottom, &r->caller_size);
#endif
	r->prog->access(&r->q, r->arg);
	dae_queue_push(&r->q, DAE_TOKEN_DONE);
	r->access_done = true;
	/* Leave for good: this stack is reused by the next run from the top,
	 * so nothing here needs unwinding. */
#ifdef DAE_ASAN
	__sanitizer_start_switch_fiber(NULL, r->caller_bottom, r->caller_size);
#endif
#ifdef DAE_TSAN
	__tsan_switch_to_fiber(r->caller_fiber, 0);
#endif
	ctx_swap(&r->access, &r->caller);
	abort();
}

int dae_inline_claim(struct dae_inline_run **out)
{
	return run_claim(out);
}

void dae_inline_release(struct dae_inline_run *r)
{
	run_release(r);
}

void dae_inline_go(struct dae_inline_run *r, const struct dae_program *prog, void *arg,
                   struct dae_queue_counters *c)
{
	dae_queue_reset(&r->q);
	r->prog = prog;
	r->arg = arg;
	r->in_access = false;
	r->access_done = false;
#ifdef DAE_ASAN
	/* The last run left access_main's frame on this stack (it never
	 * returns), and a run whose execute side returned early left more,
	 * all with their redzones still poisoned. */
	ASAN_UNPOISON_MEMORY_REGION(r->stack, r->stack_size);
#endif
	ctx_make(&r->access, r->stack, r->stack_size, access_main, r);
#ifdef DAE_TSAN
	/* A fresh fiber per run: the last one still has access_main on its
	 * shadow call stack, since access_main never returns. */
	r->caller_fiber = __tsan_get_current_fiber();
	r->access_fiber = __tsan_create_fiber(0);
#endif
	/* The access side starts at the execute side's first pop. */
	prog->execute(&r->q, arg);
#ifdef DAE_TSAN
	__tsan_destroy_fiber(r->access_fiber);
#endif
	dae_queue_counters_get(&r->q, c);
}

int dae_inline_run(const struct dae_program *prog, void *arg, struct dae_queue_counters *c)
{
	struct dae_inline_run *r;
	int err = run_claim(&r);

	if (err)
		return err;
	dae_inline_go(r, prog, arg, c);
	run_release(r);
	return 0;
}

void dae_inline_reserve(struct dae_queue *q)
{
	struct dae_inline_run *r = q->inline_run;

	/* Full: prod_limit was cons_head + capacity when we last ran. */
	to_execute(r);
	q->prod_limit = q->cons_head + q->mask + 1;
}

void dae_inline_flush(struct dae_queue *q)
{
	struct dae_inline_run *r = q->inline_run;

	/* The producer's flush promises that the consumer sees every word;
	 * here that means it runs until it has popped them (a fence then
	 * finds its acknowledgement). Called on the execute side, or before
	 * the run, there is nothing to do. */
	if (!r->in_access)
		return;
	while (q->cons_head != q->prod_tail)
		to_execute(r);
	q->prod_limit = q->cons_head + q->mask + 1;
}

void dae_inline_refill(struct dae_queue *q)
{
	struct dae_inline_run *r = q->inline_run;

	/* Empty: the consumer has popped everything the producer pushed. */
	if (r->access_done) {
		/* Threads mode would wait forever here. */
		fprintf(stderr, "libdae: the execute side of %s popped past DAE_TOKEN_DONE\n",
		        r->prog->name ? r->prog->name : "a program");
		abort();
	}
	to_access(r);
	q->cons_avail = q->prod_tail;
}

enum dae_mode dae_inline_auto_mode(void)
{
	return DAE_MODE_INLINE;
}
