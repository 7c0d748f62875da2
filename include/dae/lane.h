/* A fused lane of dae_run_range (dae_range_program.fused): one loop per
 * lane that prefetches the iterations ahead of the one it runs, with no
 * queue between the sides, over the chunks the lane takes from the call.
 *
 * The loop itself is dae_lane_run below, a static inline function: a
 * program's fused function calls it with its own prefetch and direct
 * functions, which the compiler then sees as constants, calling them
 * directly or inlining them (called per iteration through libdae's
 * pointers they cost about 1% of a 1 GiB embedding bag's time,
 * docs/design.md "Fused lanes"). libdae hands out the chunks and checks
 * them (dae_lane_take, dae_lane_wait). */
#ifndef DAE_LANE_H
#define DAE_LANE_H

#include <stdint.h>

#ifndef DAE_API
#define DAE_API __attribute__((visibility("default")))
#endif

/* A lane of one dae_run_range call; libdae's, valid during the call. */
struct dae_lane;

/* Takes the lane's next chunk of the call's iterations: sets *first and
 * *end (first < end) and returns 1, or returns 0 when none is left for this
 * lane, because the range is used up or a chunk failed the program's check
 * (dae_range_program.apart). A chunk it returns has passed the check; it
 * may run once dae_lane_wait says so. After a 0, every later call returns
 * 0. */
DAE_API int dae_lane_take(struct dae_lane *lane, uint64_t *first, uint64_t *end);

/* Before the lane runs the chunk that starts at first (one it took): waits
 * until every chunk before it has passed the check, so that no iteration
 * that might read what this chunk writes is still unchecked. Returns 1 when
 * the chunk may run, 0 when a chunk before it failed: the lane must then
 * stop, and libdae runs the rest of the range in order once every lane has
 * stopped. Without a check it returns 1 at once. */
DAE_API int dae_lane_wait(struct dae_lane *lane, uint64_t first);

/* Rows the lane keeps prefetched ahead of the iteration it runs: the
 * tuning's fused_ahead (dae_run_tuning), at least 1. */
DAE_API uint64_t dae_lane_ahead(const struct dae_lane *lane);

/* Iterations a fused lane prefetches ahead at most, whatever their rows. */
#define DAE_LANE_RING 64

/* Runs the lane: takes chunks until none is left, and runs each iteration
 * i as direct(arg, i, i + 1) after prefetch(arg, i) walked it (prefetching
 * its rows and returning how many). Before iteration i runs, the ones after
 * it, in this chunk and the next ones the lane takes, are prefetched until
 * dae_lane_ahead rows are in flight; a ring remembers each one's rows so
 * that they leave the count as they run. A chunk's first iteration runs only
 * after dae_lane_wait says it may; when it says no, the lane stops. */
static inline void dae_lane_run(struct dae_lane *lane, void *arg,
                                uint64_t (*prefetch)(void *arg, uint64_t i),
                                void (*direct)(void *arg, uint64_t first, uint64_t end))
{
	uint64_t iter[DAE_LANE_RING], rows[DAE_LANE_RING];
	unsigned char starts[DAE_LANE_RING];
	const uint64_t ahead = dae_lane_ahead(lane);
	uint64_t head = 0, tail = 0, inflight = 0, next = 0, end = 0;
	int more = 1;

	for (;;) {
		while (tail - head < DAE_LANE_RING && inflight < ahead) {
			unsigned char start = 0;
			if (next == end) {
				if (!more || !dae_lane_take(lane, &next, &end)) {
					more = 0;
					break;
				}
				start = 1;
			}
			uint64_t n = prefetch(arg, next);
			iter[tail % DAE_LANE_RING] = next;
			rows[tail % DAE_LANE_RING] = n;
			starts[tail % DAE_LANE_RING] = start;
			tail++;
			inflight += n;
			next++;
		}
		/* Empty only once nothing is left to take: with the ring empty
		 * no row is in flight, so the walk above took a chunk or ran out. */
		if (head == tail)
			return;
		const uint64_t k = head % DAE_LANE_RING;
		if (starts[k] && !dae_lane_wait(lane, iter[k]))
			return;
		direct(arg, iter[k], iter[k] + 1);
		inflight -= rows[k];
		head++;
	}
}

#endif
