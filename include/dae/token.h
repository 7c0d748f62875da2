/* Control tokens with a count, for fused segments: the access side sends one
 * token per segment with the segment's trip count in the upper bits, the
 * execute side runs the segment's iterations from it. A plain token is a
 * token with count 0. */
#ifndef DAE_TOKEN_H
#define DAE_TOKEN_H

#include <stdint.h>

#include "queue.h"

#define DAE_TOKEN_ID_BITS 16

/* Counts as one token. Token ids fit in DAE_TOKEN_ID_BITS bits. */
static inline void dae_queue_push_segment(struct dae_queue *q, uint32_t id, uint64_t count)
{
	q->prod_tokens++;
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

#endif
