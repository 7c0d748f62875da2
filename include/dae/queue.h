/* The queue that joins the access side to the execute side of one dae_run.
 *
 * A bounded single-producer/single-consumer ring of 64-bit words. The push
 * and pop fast paths are inline because the translator emits one call per
 * operand inside the hottest loops of the program; everything that can wait
 * or wake another thread lives out of line in libdae.
 *
 * Each index is published lazily: the producer makes its tail visible every
 * DAE_QUEUE_BATCH words (and in dae_queue_flush), the consumer its head every
 * DAE_QUEUE_BATCH words. Publishing is what makes a cache line travel between
 * cores, so doing it once per batch instead of once per word is where the
 * throughput comes from. Either side publishes everything before it waits, so
 * neither can sleep while the other waits on progress it has not seen.
 *
 * The same queue serves dae_run's inline mode (run.h), where both sides take
 * turns on one thread: there the slow paths below switch to the other side
 * instead of waiting, and nothing is published. The fast paths are the same
 * code in both modes. */
#ifndef DAE_QUEUE_H
#define DAE_QUEUE_H

#include "trace.h"
#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifndef DAE_API
#define DAE_API __attribute__((visibility("default")))
#endif

typedef uint64_t dae_word;

/* Pushed by dae_run after the access function returns; never used for a callback. */
#define DAE_TOKEN_DONE 0u

/* Words between two publications of an index (a power of two). Every
 * publication costs a locked instruction and pulls an index line across
 * cores; 64 words (eight lines of payload) measured 2.3x the throughput of
 * 16 on a 2-core Xeon VM (105 -> 250 Mwords/s) while still being 1/64 of
 * the default ring, so the consumer starts long before the ring fills.
 * Queues with fewer than 2 * DAE_QUEUE_BATCH words publish every
 * capacity/2 words instead, so the two sides still overlap. */
#define DAE_QUEUE_BATCH 64u

/* Every field group that one side writes sits on its own line, so a write by
 * one core never invalidates a line the other core is reading for a
 * different reason. */
#define DAE_QUEUE_LINE 64

struct dae_inline_run;

struct dae_queue {
	/* Written by dae_queue_init only, read by both sides: stays shared. */
	_Alignas(DAE_QUEUE_LINE) dae_word *buf;
	uint64_t mask; /* capacity - 1 */
	uint64_t batch_mask; /* publication interval - 1 */
	/* Set by dae_run in DAE_MODE_INLINE (run.h), where both sides run on
	 * one thread: the slow paths then switch to the other side instead of
	 * waiting for it, and batch_mask is all ones, so the fast paths never
	 * publish. NULL for a queue of dae_queue_init. */
	struct dae_inline_run *inline_run;

	/* Published producer index, alone on its line: the consumer polls it,
	 * so no other producer write may invalidate the consumer's copy. */
	_Alignas(DAE_QUEUE_LINE) _Atomic uint64_t tail;

	/* Published consumer index, the mirror of tail. */
	_Alignas(DAE_QUEUE_LINE) _Atomic uint64_t head;

	/* Producer-private: its real index, its stale view of head (kept as
	 * the first index it may not write, so the fast path is one compare)
	 * and the counters, which therefore cost no atomics. */
	_Alignas(DAE_QUEUE_LINE) uint64_t prod_tail;
	uint64_t prod_limit;
	uint64_t prod_tokens;
	uint64_t prod_operands;
	uint64_t prod_words;
	uint32_t prod_peer_waking; /* consumer woken (or starting) since our last wait */

	/* Consumer-private: its real index and its stale view of tail. */
	_Alignas(DAE_QUEUE_LINE) uint64_t cons_head;
	uint64_t cons_avail;
	uint32_t cons_peer_waking; /* producer woken (or starting) since our last wait */
	/* Where dae_queue_pop_row copies rows sent by value: DAE_QUEUE_ROW_SLOTS
	 * slots of DAE_QUEUE_ROW_MAX bytes, or NULL. The producer allocates it
	 * before the first such row (dae_queue_push_row), so the consumer, which
	 * only reads it after popping that row, sees it through the queue's own
	 * publication. Kept by dae_queue_reset, freed by dae_queue_exit. */
	unsigned char *rows;

	/* Futex words: nonzero while that side is (about to be) asleep. Both
	 * sides read them at every publication but write them only around a
	 * sleep, so the line stays shared between the cores. */
	_Alignas(DAE_QUEUE_LINE) _Atomic uint32_t prod_sleeping;
	_Atomic uint32_t cons_sleeping;
};

/* Counters kept by the producer. DAE_TOKEN_DONE, pushed by dae_run, counts
 * as a word but not as a token, so tokens is the number of callbacks the
 * execute side dispatched. */
struct dae_queue_counters {
	uint64_t tokens; /* dae_queue_push_token calls */
	uint64_t operands; /* typed dae_queue_push_<type> calls */
	uint64_t words; /* every word pushed, tokens and operands included */
};

/* Prepares an empty queue of capacity_words rounded up to a power of two,
 * at least 2. The struct must be aligned to DAE_QUEUE_LINE (automatic and
 * static storage are; use aligned_alloc for heap copies).
 * Returns 0, -EINVAL (q is NULL, capacity_words is 0 or too large) or -ENOMEM. */
DAE_API int dae_queue_init(struct dae_queue *q, size_t capacity_words);
/* Frees the ring; neither side may use the queue afterwards. */
DAE_API void dae_queue_exit(struct dae_queue *q);

/* Empties q and zeroes its counters, keeping the ring, so a new
 * producer/consumer pair can reuse it without allocating. Neither side may
 * be using q, and whatever hands q to the next pair (thread creation, a
 * mutex, another queue) must order this call before their first access. */
DAE_API void dae_queue_reset(struct dae_queue *q);

/* Makes every word pushed so far visible to the consumer and wakes it if it
 * sleeps. Producer side only. A producer that stops pushing (for a long
 * computation, or for good) must flush, or up to DAE_QUEUE_BATCH - 1 words
 * stay invisible. In inline mode the consumer runs (on this thread) until
 * it has popped every word pushed so far, and then the call returns. */
DAE_API void dae_queue_flush(struct dae_queue *q);

/* Slow path of dae_queue_push, called when the producer's view of head says
 * the ring is full: flushes, then waits (spin, then sleep) for space. In
 * inline mode it switches to the consumer instead. */
DAE_API void dae_queue_reserve(struct dae_queue *q);

/* Slow path of dae_queue_pop, called when the consumer's view of tail says
 * the ring is empty: releases, then waits (spin, then sleep) for data. In
 * inline mode it switches to the producer instead. */
DAE_API void dae_queue_refill(struct dae_queue *q);

/* Makes every slot popped so far reusable by the producer and wakes it if
 * it sleeps. Consumer side only; the pops call it once per batch. */
DAE_API void dae_queue_release(struct dae_queue *q);

/* A -DDAE_TRACE build (trace.h) records every typed push for the timing
 * model; any other build compiles the hook away. */
#ifdef DAE_TRACE
#define DAE_TRACE_PUSH(kind) dae_trace_push(kind, 1)
#else
#define DAE_TRACE_PUSH(kind) ((void)0)
#endif

/* Producer side (one thread). Blocks (spin, then sleep) while full. */
static inline void dae_queue_push(struct dae_queue *q, dae_word w)
{
	uint64_t t = q->prod_tail;

	if (__builtin_expect(t == q->prod_limit, 0))
		dae_queue_reserve(q);
	q->buf[t & q->mask] = w;
	q->prod_tail = ++t;
	q->prod_words++;
	if (__builtin_expect((t & q->batch_mask) == 0, 0))
		dae_queue_flush(q);
}

/* Counts as a token. */
static inline void dae_queue_push_token(struct dae_queue *q, uint32_t id)
{
	q->prod_tokens++;
	DAE_TRACE_PUSH(DAE_TRACE_TOKEN);
	dae_queue_push(q, id);
}

/* Counts as an operand. */
static inline void dae_queue_push_i64(struct dae_queue *q, int64_t v)
{
	q->prod_operands++;
	DAE_TRACE_PUSH(DAE_TRACE_OPERAND);
	dae_queue_push(q, (dae_word)v);
}

static inline void dae_queue_push_u64(struct dae_queue *q, uint64_t v)
{
	q->prod_operands++;
	DAE_TRACE_PUSH(DAE_TRACE_OPERAND);
	dae_queue_push(q, v);
}

/* Bit-exact (NaN payloads and -0.0 survive): the bits travel, never the
 * value, so no conversion can canonicalise them. */
static inline void dae_queue_push_f32(struct dae_queue *q, float v)
{
	uint32_t bits;

	memcpy(&bits, &v, sizeof(bits));
	q->prod_operands++;
	DAE_TRACE_PUSH(DAE_TRACE_OPERAND);
	dae_queue_push(q, bits);
}

static inline void dae_queue_push_f64(struct dae_queue *q, double v)
{
	dae_word bits;

	memcpy(&bits, &v, sizeof(bits));
	q->prod_operands++;
	DAE_TRACE_PUSH(DAE_TRACE_OPERAND);
	dae_queue_push(q, bits);
}

static inline void dae_queue_push_ptr(struct dae_queue *q, const void *p)
{
	q->prod_operands++;
	DAE_TRACE_PUSH(DAE_TRACE_OPERAND);
	dae_queue_push(q, (dae_word)(uintptr_t)p);
}

/* Consumer side (one thread). Blocks (spin, then sleep) while empty. */
static inline dae_word dae_queue_pop(struct dae_queue *q)
{
	uint64_t h = q->cons_head;
	dae_word w;

	if (__builtin_expect(h == q->cons_avail, 0))
		dae_queue_refill(q);
	w = q->buf[h & q->mask];
	q->cons_head = ++h;
	if (__builtin_expect((h & q->batch_mask) == 0, 0))
		dae_queue_release(q);
	return w;
}

static inline uint32_t dae_queue_pop_token(struct dae_queue *q)
{
	return (uint32_t)dae_queue_pop(q);
}

static inline int64_t dae_queue_pop_i64(struct dae_queue *q)
{
	return (int64_t)dae_queue_pop(q);
}

static inline uint64_t dae_queue_pop_u64(struct dae_queue *q)
{
	return dae_queue_pop(q);
}

static inline float dae_queue_pop_f32(struct dae_queue *q)
{
	uint32_t bits = (uint32_t)dae_queue_pop(q);
	float v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

static inline double dae_queue_pop_f64(struct dae_queue *q)
{
	dae_word bits = dae_queue_pop(q);
	double v;

	memcpy(&v, &bits, sizeof(v));
	return v;
}

static inline void *dae_queue_pop_ptr(struct dae_queue *q)
{
	return (void *)(uintptr_t)dae_queue_pop(q);
}

/* ---- Rows and vectors sent by value (data marshalling) ----------------- */

/* bytes bytes from src as (bytes + 7) / 8 words, the last one padded with
 * zeros; not counted (internal to the two pushes below). */
static inline void dae_queue_push_words_(struct dae_queue *q, const void *src, size_t bytes)
{
	const unsigned char *p = (const unsigned char *)src;
	for (; bytes >= sizeof(dae_word); bytes -= sizeof(dae_word), p += sizeof(dae_word)) {
		dae_word w;
		memcpy(&w, p, sizeof(w));
		dae_queue_push(q, w);
	}
	if (bytes) {
		dae_word w = 0;
		memcpy(&w, p, bytes);
		dae_queue_push(q, w);
	}
}

/* Pushes bytes bytes from src; counts as one operand. A -O1 vector of row
 * elements travels this way: the access side reads the elements, as a
 * hardware access unit does, and the execute side pops them into a vector
 * of its own. */
static inline void dae_queue_push_data(struct dae_queue *q, const void *src, size_t bytes)
{
	q->prod_operands++;
#ifdef DAE_TRACE
	dae_trace_row(src, bytes);
	dae_trace_push(DAE_TRACE_OPERAND, (uint32_t)((bytes + 7) / 8));
#endif
	dae_queue_push_words_(q, src, bytes);
}

/* Pops what dae_queue_push_data pushed into dst (bytes bytes, the same count). */
static inline void dae_queue_pop_data(struct dae_queue *q, void *dst, size_t bytes)
{
	unsigned char *p = (unsigned char *)dst;
	for (; bytes >= sizeof(dae_word); bytes -= sizeof(dae_word), p += sizeof(dae_word)) {
		dae_word w = dae_queue_pop(q);
		memcpy(p, &w, sizeof(w));
	}
	if (bytes) {
		dae_word w = dae_queue_pop(q);
		memcpy(p, &w, bytes);
	}
}

/* Rows sent by value (--marshal=data at -O2 and -O3): a row of at most
 * DAE_QUEUE_ROW_MAX bytes travels in the queue; a longer one (or any row,
 * if the copy buffer cannot be allocated) travels as its address, which is
 * what by-reference marshalling sends. Either way the execute side reads
 * the same bytes: the access side reads a row ahead only when daec has shown
 * (or checks at run time) that the execute side cannot write it first. A
 * callback holds at most DAE_QUEUE_ROW_SLOTS rows at a time. */
#define DAE_QUEUE_ROW_MAX 8192u
#define DAE_QUEUE_ROW_SLOTS 8u

/* Allocates q->rows. Returns 0 or -ENOMEM. Producer side, out of line. */
DAE_API int dae_queue_rows_alloc(struct dae_queue *q);

/* Pushes a header word (bytes << 1, plus 1 for a reference) and then the
 * row's words or its address. Counts as one operand. src may be NULL when
 * bytes is 0 (a row the original would not read). */
static inline void dae_queue_push_row(struct dae_queue *q, const void *src, size_t bytes)
{
	int by_ref = bytes > DAE_QUEUE_ROW_MAX || (!q->rows && dae_queue_rows_alloc(q));
	q->prod_operands++;
#ifdef DAE_TRACE
	if (bytes)
		dae_trace_row(src, bytes);
	dae_trace_push(DAE_TRACE_OPERAND, by_ref ? 2u : (uint32_t)(1 + (bytes + 7) / 8));
#endif
	dae_queue_push(q, (dae_word)bytes << 1 | (dae_word)by_ref);
	if (by_ref)
		dae_queue_push(q, (dae_word)(uintptr_t)src);
	else
		dae_queue_push_words_(q, src, bytes);
}

/* Pops a row pushed by dae_queue_push_row. Returns its first byte: a copy
 * in slot (< DAE_QUEUE_ROW_SLOTS), valid until the next pop_row into that
 * slot, or the row itself when it travelled by reference. */
static inline const void *dae_queue_pop_row(struct dae_queue *q, unsigned slot)
{
	dae_word h = dae_queue_pop(q);
	if (h & 1)
		return (const void *)(uintptr_t)dae_queue_pop(q);
	unsigned char *dst = q->rows + (size_t)slot * DAE_QUEUE_ROW_MAX;
	dae_queue_pop_data(q, dst, (size_t)(h >> 1));
	return dst;
}

/* Valid once the producer is done (e.g. after dae_run returns): the fields
 * are plain, so only a happens-before edge from the producer makes them
 * meaningful. */
DAE_API void dae_queue_counters_get(const struct dae_queue *q, struct dae_queue_counters *out);

#endif
