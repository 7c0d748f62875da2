/* Process-wide statistics of dae_run, for tuning and for checking that the
 * translated code actually runs decoupled.
 *
 * They are accumulated once per dae_run from the queue counters, so the
 * push/pop fast paths pay nothing for them. If the environment variable
 * DAE_STATS is set to "stderr" or to a file path, the totals are written
 * there at process exit as one JSON object:
 * {"runs":N,"tokens":N,"operands":N,"words":N,"bytes":N} (bytes: the words'
 * size, what the queue carried). */
#ifndef DAE_STATS_H
#define DAE_STATS_H

#include <stdint.h>

#ifndef DAE_API
#define DAE_API __attribute__((visibility("default")))
#endif

struct dae_stats {
	uint64_t runs; /* dae_run calls that ran both sides */
	uint64_t tokens; /* summed struct dae_queue_counters fields */
	uint64_t operands;
	uint64_t words;
};

/* Copies a consistent snapshot of the totals (thread-safe). */
DAE_API void dae_stats_get(struct dae_stats *out);
/* Sets every total back to zero (thread-safe); runs still in progress are
 * added when they finish. */
DAE_API void dae_stats_reset(void);

#endif
