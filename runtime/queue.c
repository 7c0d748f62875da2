/* The out-of-line half of the queue: publication, waiting and waking.
 *
 * Ordering, in one place. The slots are plain memory; what orders them is
 * the index that covers them:
 *  - the producer fills slots, then stores tail (release or stronger); the
 *    consumer loads tail (acquire or stronger), then reads the slots;
 *  - the consumer reads slots, then stores head (release or stronger); the
 *    producer loads head (acquire or stronger), then overwrites the slots.
 *
 * Sleeping without lost wake-ups is a Dekker handshake on each side's
 * *_sleeping flag. The waiter stores flag = 1, then loads the other index;
 * the publisher stores its index, then loads the flag. All four accesses are
 * seq_cst, and seq_cst accesses form one total order, so at least one side
 * sees the other's store: either the waiter sees the new index and does not
 * sleep, or the publisher sees the flag and wakes it. (On x86-64 each
 * seq_cst store is an XCHG, which is the full fence the handshake needs;
 * the seq_cst loads stay plain MOVs.) FUTEX_WAIT only
 * sleeps while the flag still reads 1, and a waker clears the flag before it
 * calls FUTEX_WAKE, so a wake that arrives before the waiter is inside the
 * kernel is not lost either.
 *
 * A queue of dae_run's inline mode (q->inline_run set) has both sides on
 * one thread: its slow paths hand over to inline.c, which switches to the
 * other side, and none of the above applies (no atomic is touched). */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sched.h>
#include <time.h>

#include "dae/queue.h"
#include "inline.h"

#ifdef __linux__
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>
#else
#include <pthread.h>
#endif

/* How long a waiter spins before it sleeps: a few microseconds covers a
 * peer that is only a batch behind, and is short enough not to steal a
 * shared core for long. */
#ifndef SPIN_NS
#define SPIN_NS 4000
#endif
/* How long a waiter keeps yielding before it sleeps when it has just woken
 * its peer (or the pair has just started). A woken thread needs 10-50 us to
 * run again (more in a VM); a waiter that slept sooner would make the peer
 * wake it in turn, and with a small ring the two would then take turns
 * sleeping on every batch. Yielding rather than pausing lets the peer run
 * at once if it was woken onto this very core. */
#ifndef WAKE_SPIN_NS
#define WAKE_SPIN_NS 100000
#endif
/* Pauses (or yields) between two clock reads while spinning. */
#define SPIN_CHECK_EVERY 16

/* Largest request whose rounding up and size in bytes cannot overflow. */
#define CAPACITY_MAX (SIZE_MAX / (2 * sizeof(dae_word)))

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield");
#endif
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct spin {
	uint64_t pause_until;
	uint64_t yield_until;
	unsigned n;
	bool yielding;
};

static void spin_start(struct spin *s, bool peer_waking)
{
	uint64_t now = now_ns();

	s->pause_until = now + SPIN_NS;
	s->yield_until = peer_waking ? now + WAKE_SPIN_NS : 0;
	s->n = 0;
	s->yielding = false;
}

/* True while the caller should keep spinning; false once it should sleep. */
static bool spin_again(struct spin *s)
{
	uint64_t now;

	if (++s->n % SPIN_CHECK_EVERY == 0) {
		now = now_ns();
		if (now >= s->pause_until) {
			if (now >= s->yield_until)
				return false;
			s->yielding = true;
		}
	}
	if (s->yielding)
		sched_yield();
	else
		cpu_relax();
	return true;
}

#ifdef __linux__
static void futex_wait(_Atomic uint32_t *word, uint32_t val)
{
	/* EINTR, EAGAIN (value already changed) and spurious returns all
	 * just send the caller back to recheck its condition. */
	syscall(SYS_futex, word, FUTEX_WAIT_PRIVATE, val, NULL, NULL, 0);
}

static void futex_wake(_Atomic uint32_t *word)
{
	syscall(SYS_futex, word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
#else
/* One lock for every queue: sleeping is the slow path by design, so
 * contention on it does not matter, and it keeps struct dae_queue free of
 * platform types. */
static pthread_mutex_t park_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t park_cond = PTHREAD_COND_INITIALIZER;

static void futex_wait(_Atomic uint32_t *word, uint32_t val)
{
	pthread_mutex_lock(&park_lock);
	/* relaxed: the lock orders this load against the waker's store,
	 * which happens before it takes the lock to broadcast. */
	if (atomic_load_explicit(word, memory_order_relaxed) == val)
		pthread_cond_wait(&park_cond, &park_lock);
	pthread_mutex_unlock(&park_lock);
}

static void futex_wake(_Atomic uint32_t *word)
{
	(void)word;
	pthread_mutex_lock(&park_lock);
	pthread_cond_broadcast(&park_cond);
	pthread_mutex_unlock(&park_lock);
}
#endif

/* The publisher's half of the handshake: called right after a seq_cst
 * store of an index. Notes in *peer_waking that the peer is on its way back,
 * so the caller's next wait outlasts the peer's wake-up. */
static void wake_if_sleeping(_Atomic uint32_t *sleeping, uint32_t *peer_waking)
{
	/* seq_cst: must not be satisfied before the index store above
	 * becomes visible, or the peer could check the old index while we
	 * read its flag as still 0 (the store-buffer reordering x86 allows). */
	if (!atomic_load_explicit(sleeping, memory_order_seq_cst))
		return;
	/* relaxed: the exchange only decides who issues the wake; the index
	 * the sleeper will look at was already published by the store the
	 * caller made. Clearing first makes a FUTEX_WAIT that has not
	 * entered the kernel yet return at once. */
	if (atomic_exchange_explicit(sleeping, 0, memory_order_relaxed)) {
		futex_wake(sleeping);
		*peer_waking = 1;
	}
}

/* The waiter's half, after its flag store and the reload of the peer's
 * index: sleeps only if that reload still shows no progress. */
static void sleep_unless(_Atomic uint32_t *sleeping, bool still_blocked)
{
	if (!still_blocked) {
		/* relaxed: nobody waits for this flag to drop; it only saves
		 * the peer a pointless FUTEX_WAKE. */
		atomic_store_explicit(sleeping, 0, memory_order_relaxed);
		return;
	}
	futex_wait(sleeping, 1);
}

int dae_queue_init(struct dae_queue *q, size_t capacity_words)
{
	size_t cap = 2, bytes;
	uint64_t batch;
	dae_word *buf;

	if (!q || capacity_words == 0 || capacity_words > CAPACITY_MAX)
		return -EINVAL;
	while (cap < capacity_words)
		cap <<= 1;
	/* aligned_alloc wants a multiple of the alignment; rings of 2 and
	 * 4 words are smaller than a line. */
	bytes = cap * sizeof(dae_word);
	if (bytes < DAE_QUEUE_LINE)
		bytes = DAE_QUEUE_LINE;
	/* Line-aligned so a batch maps onto whole lines and no slot shares
	 * a line with an unrelated allocation. */
	buf = aligned_alloc(DAE_QUEUE_LINE, bytes);
	if (!buf)
		return -ENOMEM;
	batch = cap / 2 < DAE_QUEUE_BATCH ? cap / 2 : DAE_QUEUE_BATCH;
	q->buf = buf;
	q->mask = cap - 1;
	q->batch_mask = batch - 1;
	q->inline_run = NULL;
	q->rows = NULL;
	atomic_init(&q->tail, 0);
	atomic_init(&q->head, 0);
	atomic_init(&q->prod_sleeping, 0);
	atomic_init(&q->cons_sleeping, 0);
	dae_queue_reset(q);
	return 0;
}

void dae_queue_exit(struct dae_queue *q)
{
	free(q->buf);
	q->buf = NULL;
	free(q->rows);
	q->rows = NULL;
}

int dae_queue_rows_alloc(struct dae_queue *q)
{
	/* Line-aligned, so a row copy is as aligned as any row of a table. */
	q->rows = aligned_alloc(DAE_QUEUE_LINE, (size_t)DAE_QUEUE_ROW_SLOTS * DAE_QUEUE_ROW_MAX);
	return q->rows ? 0 : -ENOMEM;
}

void dae_queue_reset(struct dae_queue *q)
{
	/* relaxed: the contract is that neither side is running; whatever
	 * hands the queue to the next pair of threads (thread creation, a
	 * mutex, another queue) orders these stores before their use. */
	atomic_store_explicit(&q->tail, 0, memory_order_relaxed);
	atomic_store_explicit(&q->head, 0, memory_order_relaxed);
	atomic_store_explicit(&q->prod_sleeping, 0, memory_order_relaxed);
	atomic_store_explicit(&q->cons_sleeping, 0, memory_order_relaxed);
	q->prod_tail = 0;
	q->prod_limit = q->mask + 1;
	q->prod_tokens = 0;
	q->prod_operands = 0;
	q->prod_words = 0;
	q->cons_head = 0;
	q->cons_avail = 0;
	/* The next pair of threads may still be starting up or waking:
	 * the first wait on each side allows for that. */
	q->prod_peer_waking = 1;
	q->cons_peer_waking = 1;
}

void dae_queue_flush(struct dae_queue *q)
{
	uint64_t t = q->prod_tail;

	if (q->inline_run) {
		dae_inline_flush(q);
		return;
	}
	/* relaxed: only this thread stores tail, so it reads back its own
	 * last store; an unchanged tail means the consumer already had its
	 * chance to see it (and we to wake it). */
	if (atomic_load_explicit(&q->tail, memory_order_relaxed) == t)
		return;
	/* seq_cst: release for the slots written since the last flush, and
	 * the publisher's store of the Dekker handshake. */
	atomic_store_explicit(&q->tail, t, memory_order_seq_cst);
	wake_if_sleeping(&q->cons_sleeping, &q->prod_peer_waking);
}

void dae_queue_release(struct dae_queue *q)
{
	uint64_t h = q->cons_head;

	/* Inline: the producer reads cons_head itself, on this thread. */
	if (q->inline_run)
		return;
	/* relaxed: only this thread stores head (see dae_queue_flush). */
	if (atomic_load_explicit(&q->head, memory_order_relaxed) == h)
		return;
	/* seq_cst: release so our reads of the slots are done before the
	 * producer may overwrite them, and the publisher's store of the
	 * Dekker handshake. */
	atomic_store_explicit(&q->head, h, memory_order_seq_cst);
	wake_if_sleeping(&q->prod_sleeping, &q->cons_peer_waking);
}

void dae_queue_reserve(struct dae_queue *q)
{
	uint64_t cap = q->mask + 1, t = q->prod_tail, h;
	struct spin s;

	if (q->inline_run) {
		dae_inline_reserve(q);
		return;
	}
	/* acquire: pairs with the consumer's store of head, so its reads of
	 * the slots we are about to reuse are finished. */
	h = atomic_load_explicit(&q->head, memory_order_acquire);
	if (h + cap == t) {
		/* Never wait with unpublished words: the consumer may be
		 * waiting for exactly those. */
		dae_queue_flush(q);
		spin_start(&s, q->prod_peer_waking);
		q->prod_peer_waking = 0;
		for (;;) {
			/* acquire: as above. */
			h = atomic_load_explicit(&q->head, memory_order_acquire);
			if (h + cap != t)
				break;
			if (spin_again(&s))
				continue;
			/* seq_cst store then seq_cst load: the waiter's half
			 * of the Dekker handshake (see the top of the file). */
			atomic_store_explicit(&q->prod_sleeping, 1, memory_order_seq_cst);
			h = atomic_load_explicit(&q->head, memory_order_seq_cst);
			sleep_unless(&q->prod_sleeping, h + cap == t);
		}
	}
	q->prod_limit = h + cap;
}

void dae_queue_refill(struct dae_queue *q)
{
	uint64_t h = q->cons_head, t;
	struct spin s;

	if (q->inline_run) {
		dae_inline_refill(q);
		return;
	}
	/* acquire: pairs with the producer's store of tail, so the slots up
	 * to t are filled. */
	t = atomic_load_explicit(&q->tail, memory_order_acquire);
	if (t == h) {
		/* Never wait with unreleased slots: the producer may be
		 * waiting for exactly those. */
		dae_queue_release(q);
		spin_start(&s, q->cons_peer_waking);
		q->cons_peer_waking = 0;
		for (;;) {
			/* acquire: as above. */
			t = atomic_load_explicit(&q->tail, memory_order_acquire);
			if (t != h)
				break;
			if (spin_again(&s))
				continue;
			/* seq_cst store then seq_cst load: the waiter's half
			 * of the Dekker handshake (see the top of the file). */
			atomic_store_explicit(&q->cons_sleeping, 1, memory_order_seq_cst);
			t = atomic_load_explicit(&q->tail, memory_order_seq_cst);
			sleep_unless(&q->cons_sleeping, t == h);
		}
	}
	q->cons_avail = t;
}

void dae_queue_counters_get(const struct dae_queue *q, struct dae_queue_counters *out)
{
	out->tokens = q->prod_tokens;
	out->operands = q->prod_operands;
	out->words = q->prod_words;
}
