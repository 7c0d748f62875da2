/* A fused lane of dae_run_range (dae_range_program.fused): one loop per
 * lane that prefetches the rows ahead of the one it reads, with no queue
 * between the sides, over the chunks the lane takes from the call.
 *
 * The loop itself is dae_lane_run below, a static inline function: a
 * program's fused function calls it with its own walk and direct
 * functions, which the compiler then sees as constants, calling them
 * directly or inlining them (called per iteration through libdae's
 * pointers they cost about 1% of a 1 GiB embedding bag's time,
 * docs/design.md "Fused lanes"). libdae hands out the chunks and checks
 * them (dae_lane_take, dae_lane_wait). */
#ifndef DAE_LANE_H
#define DAE_LANE_H

#include <stddef.h>
#include <stdint.h>

#include "prefetch.h"

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

/* Rows the lane keeps prefetched ahead of the row it reads: the tuning's
 * fused_ahead (dae_run_tuning), at least 1. */
DAE_API uint64_t dae_lane_ahead(const struct dae_lane *lane);

/* Iterations a fused lane walks ahead at most, whatever their rows. */
#define DAE_LANE_RING 64

/* A fused lane's pace, on dae_lane_run's stack. The walk of an iteration
 * finds its segment, the run of index elements its rows are looked up by
 * (dae_lane_span); a cursor then moves over the segments walked one row at
 * a time, as the lane reads rows (dae_lane_pump), so that dae_lane_ahead
 * rows are in flight at a steady rate rather than a bag's worth at once.
 * Fields are dae_lane_run's; generated code passes the struct to
 * dae_lane_span and dae_lane_pump and reads arg. */
struct dae_lane_pace {
	struct dae_lane *lane;
	void *arg;
	void (*walk)(void *arg, uint64_t i, struct dae_lane_pace *pace);
	uint64_t ahead;
	uint64_t used, issued; /* rows read and prefetched since the lane started */
	uint64_t next, end; /* the next iteration to walk; the end of its chunk */
	int more; /* the lane may take another chunk */
	/* Iterations walked and not yet run: head .. tail - 1, the cursor's
	 * segment in the one before cur. */
	uint64_t head, tail, cur;
	const char *at; /* the cursor: the next row's index element */
	uint64_t left; /* rows left in the cursor's segment */
	size_t size; /* bytes of an index element of the cursor's segment */
	/* Per iteration walked, in slot i % DAE_LANE_RING: its number, its
	 * segment (rows lookups by index elements of sizes bytes from first
	 * on) and whether it is the first of a chunk. */
	uint64_t iter[DAE_LANE_RING];
	const void *first[DAE_LANE_RING];
	uint64_t rows[DAE_LANE_RING];
	size_t sizes[DAE_LANE_RING];
	unsigned char starts[DAE_LANE_RING];
};

/* The walk of an iteration found its rows: count lookups by the index
 * elements of size bytes from first on. */
static inline void dae_lane_span(struct dae_lane_pace *pace, const void *first, uint64_t count,
                                 size_t size)
{
	const uint64_t k = pace->tail % DAE_LANE_RING;

	pace->first[k] = first;
	pace->rows[k] = count;
	pace->sizes[k] = size;
}

/* Walks iteration pace->next, taking the lane's next chunk first when the
 * last one is walked; returns 0 when none is left or the ring is full. */
static inline int dae_lane_walk(struct dae_lane_pace *pace,
                                void (*walk)(void *arg, uint64_t i, struct dae_lane_pace *pace))
{
	unsigned char start = 0;

	if (pace->tail - pace->head == DAE_LANE_RING)
		return 0;
	if (pace->next == pace->end) {
		if (!pace->more || !dae_lane_take(pace->lane, &pace->next, &pace->end)) {
			pace->more = 0;
			return 0;
		}
		start = 1;
	}
	const uint64_t k = pace->tail % DAE_LANE_RING;
	pace->rows[k] = 0; /* until the walk finds the segment */
	walk(pace->arg, pace->next, pace);
	pace->iter[k] = pace->next++;
	pace->starts[k] = start;
	pace->tail++;
	return 1;
}

/* Moves the cursor to the next segment with rows, walking on (with the
 * lane's own walk) as needed; returns 0 when the walk can go no further. */
DAE_API int dae_lane_pace_fill(struct dae_lane_pace *pace);

/* The index element of the next row to prefetch, or NULL if none is, and
 * the cursor moves past it. */
static inline const void *dae_lane_next(struct dae_lane_pace *pace)
{
	if (pace->issued >= pace->used + pace->ahead || (!pace->left && !dae_lane_pace_fill(pace)))
		return NULL;
	const void *q = pace->at;
	pace->at += pace->size;
	pace->left--;
	pace->issued++;
	return q;
}

/* The lane reads a row: returns the index element of the row to prefetch
 * now, dae_lane_ahead rows later, or NULL when there is none. */
static inline const void *dae_lane_pump(struct dae_lane_pace *pace)
{
	pace->used++;
	return dae_lane_next(pace);
}

/* Runs the lane: takes chunks until none is left, and runs each iteration
 * i as direct(arg, i, pace) after walk(arg, i, pace) found its rows
 * (dae_lane_span). Rows are prefetched with row(arg, q), q a row's index
 * element, dae_lane_ahead rows ahead of the one read: direct calls
 * dae_lane_pump once per row it reads and prefetches the row it returns;
 * rows of i it did not pump are made up for once it returns. A chunk's
 * first iteration runs only after dae_lane_wait says it may; when it says
 * no, the lane stops. */
static inline void dae_lane_run(struct dae_lane *lane, void *arg,
                                void (*walk)(void *arg, uint64_t i, struct dae_lane_pace *pace),
                                void (*row)(void *arg, const void *q),
                                void (*direct)(void *arg, uint64_t i, struct dae_lane_pace *pace))
{
	struct dae_lane_pace pace;
	const void *q;

	pace.lane = lane;
	pace.arg = arg;
	pace.walk = walk;
	pace.ahead = dae_lane_ahead(lane);
	pace.used = pace.issued = 0;
	pace.next = pace.end = 0;
	pace.more = 1;
	pace.head = pace.tail = pace.cur = 0;
	pace.left = 0;
	for (;;) {
		if (pace.head == pace.tail && !dae_lane_walk(&pace, walk))
			return;
		while ((q = dae_lane_next(&pace)) != NULL)
			row(arg, q);
		const uint64_t k = pace.head % DAE_LANE_RING;
		if (pace.starts[k] && !dae_lane_wait(lane, pace.iter[k]))
			return;
		const uint64_t used = pace.used;
		direct(arg, pace.iter[k], &pace);
		pace.used = used + pace.rows[k];
		pace.head++;
	}
}

#endif
