/* Control tokens with a count, for fused segments: the access side sends one
 * token per segment with the segment's trip count in the upper bits, the
 * execute side runs the segment's iterations from it. A plain token is a
 * token with count 0. */
#ifndef DAE_TOKEN_H
#define DAE_TOKEN_H

#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>

#include "queue.h"

#define DAE_TOKEN_ID_BITS 16

/* Counts as one token. Token ids fit in DAE_TOKEN_ID_BITS bits. */
static inline void dae_queue_push_segment(struct dae_queue *q, uint32_t id, uint64_t count)
{
	q->prod_tokens++;
	DAE_TRACE_PUSH(DAE_TRACE_TOKEN);
	dae_queue_push(q, (dae_word)id | (dae_word)count << DAE_TOKEN_ID_BITS);
}

static inline uint32_t dae_token_id(dae_word w)
{
	return (uint32_t)(w & ((1u << DAE_TOKEN_ID_BITS) - 1));
}

static inline uint64_t dae_token_count(dae_word w)
{
	return w >> DAE_TOKEN_ID_BITS;
}

/* Iterations of "for (i = lo; i < hi; i++)" with i and hi signed: the
 * difference is exact in unsigned arithmetic whenever hi > lo. */
static inline uint64_t dae_trip_count(long long lo, long long hi)
{
	return lo < hi ? (uint64_t)hi - (uint64_t)lo : 0;
}

/* The same with i and hi unsigned (and of one size, so no conversion differs). */
static inline uint64_t dae_trip_count_u(unsigned long long lo, unsigned long long hi)
{
	return lo < hi ? hi - lo : 0;
}

/* The length of the next strip of a vectorised loop (-O1): the iterations
 * left, at most width. */
static inline uint64_t dae_strip(uint64_t left, uint64_t width)
{
	return left < width ? left : width;
}

/* A fence: the access side waits until the execute side has run everything
 * pushed so far. Generated code puts one after a callback at the start of a
 * function whose writes (a memset of the output, say) the access side must
 * see before it reads any index: one round trip per call. */
#define DAE_TOKEN_FENCE 0xffffu

static inline void dae_queue_fence(struct dae_queue *q, _Atomic uint64_t *ack, uint64_t n)
{
	dae_queue_push_token(q, DAE_TOKEN_FENCE);
	dae_queue_flush(q);
	/* acquire: pairs with dae_fence_ack's release, so every write the
	 * execute side made before acknowledging is visible to the loads that
	 * follow here. */
	for (unsigned spins = 0; atomic_load_explicit(ack, memory_order_acquire) < n; spins++) {
		if (spins < 4096)
			__builtin_ia32_pause();
		else
			sched_yield();
	}
}

static inline void dae_fence_ack(_Atomic uint64_t *ack)
{
	/* release: publishes the writes of the callbacks run before the fence. */
	atomic_fetch_add_explicit(ack, 1, memory_order_release);
}

#endif
