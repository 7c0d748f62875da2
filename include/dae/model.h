/* The timing model: replays an access trace (trace.h) on a described
 * machine and says how long the decoupled program would take there, which
 * side limits it, and how long the same work takes on a coupled
 * out-of-order core.
 *
 * The model is trace-driven and analytic: it makes one pass over the
 * events, in order, keeping for each unit the time (in core cycles) at
 * which it is next free, and for each cache line the time its data
 * arrives. There is no event queue and no per-cycle loop, so it runs at
 * tens of millions of memory accesses per second; docs/model.md says what
 * each unit does and what the model leaves out.
 *
 *  - The access unit issues the trace's LOAD and ROW line requests over
 *    `lanes` lanes (consecutive lookups round-robin), each waiting for the
 *    LOAD it depends on, for a free outstanding-request slot on a miss, and
 *    at each pushed word for a free queue slot.
 *  - The memory hierarchy is L1, L2 and LLC, set-associative with LRU
 *    replacement and one line size, and DRAM with a latency and a
 *    bandwidth. The access unit enters it at the level its machine names
 *    (the LLC on a TMU); the execute and coupled cores at L1.
 *  - The queue holds `capacity_words` words; the execute core pops them in
 *    push order and does the vector work of the rows each word brings.
 *  - The coupled baseline runs the same events on one out-of-order core
 *    whose memory-level parallelism is bounded by its reorder buffer and
 *    its miss buffers, with its own copy of the caches.
 *
 * Machine descriptions are JSON objects (docs/model.md lists every key,
 * its unit and its default; runtime/machines/ holds the presets, which are
 * built into the library); a preset is named by its file name without
 * .json: "tmu", "ooo", "host".
 *
 * Results are deterministic: the same events on the same machine give the
 * same statistics, byte for byte, however the events are chunked. A model
 * is not thread-safe: one thread at a time may use it. */
#ifndef DAE_MODEL_H
#define DAE_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "trace.h"

#ifndef DAE_API
#define DAE_API __attribute__((visibility("default")))
#endif

/* Cache levels, in lookup order. */
enum dae_mem_level {
	DAE_MEM_L1 = 0,
	DAE_MEM_L2 = 1,
	DAE_MEM_LLC = 2,
};
#define DAE_MEM_LEVELS 3

/* Where the execute core finds the bytes of the rows it works on. */
enum dae_rows_from {
	/* The access unit marshalled them into the queue: the execute core
	 * only pays its vector operations (a TMU). */
	DAE_ROWS_FROM_QUEUE = 0,
	/* The queue carries references: the execute core loads each row's
	 * lines through its own caches, from L1, and waits for them (software
	 * DAE with reference marshalling). */
	DAE_ROWS_FROM_L1 = 1,
};

struct dae_cache_config {
	uint64_t size_bytes;
	uint32_t ways;
	double latency_cycles; /* load-to-use latency of a hit at this level */
};

/* A machine description, caller-owned; fields public. The JSON key of
 * each field is given beside it (docs/model.md has the defaults). A caller
 * may change fields after dae_machine_parse or dae_machine_load;
 * dae_model_create checks them again. */
struct dae_machine {
	char name[64]; /* "name"; a preset's or file's name by default */
	double clock_ghz; /* "clock_ghz": converts cycles to seconds and ns to cycles */
	uint32_t line_bytes; /* "line_bytes": one line size for every level */
	struct dae_cache_config cache[DAE_MEM_LEVELS]; /* "caches": {"l1", "l2", "llc"} */
	double dram_latency_ns; /* "dram.latency_ns": load-to-use from the core */
	double dram_bandwidth_gbs; /* "dram.bandwidth_gbs": 1e9 bytes per second */

	/* "prefetch": a stream prefetcher trained by LOAD events (index
	 * arrays), which fetches distance_lines ahead of a confirmed
	 * ascending stream into the requester's entry level; and an
	 * adjacent-line prefetcher, which completes every demand miss of L2
	 * with the other line of its 2-line aligned pair. */
	struct {
		bool stream; /* "prefetch.stream" */
		bool adjacent; /* "prefetch.adjacent" (in the padding after stream) */
		uint32_t streams; /* "prefetch.streams": streams tracked at once */
		uint32_t distance_lines; /* "prefetch.distance_lines" */
	} prefetch;

	/* "access": the access unit. */
	struct {
		uint32_t lanes; /* "access.lanes" */
		double issue_per_cycle; /* "access.issue_per_cycle": line requests per lane */
		uint32_t max_outstanding; /* "access.max_outstanding": misses in flight */
		enum dae_mem_level entry_level; /* "access.entry_level": "l1", "l2", "llc" */
	} access;

	/* "queue": the queue between the units, in 64-bit words. */
	struct {
		uint32_t capacity_words; /* "queue.capacity_words" */
		double push_cycles; /* "queue.push_cycles": access lane time per word */
		double pop_cycles; /* "queue.pop_cycles": execute time per word */
		enum dae_mem_level level; /* "queue.level": its latency separates push and pop */
	} queue;

	/* "execute": the execute core. */
	struct {
		uint32_t vector_bytes; /* "execute.vector_bytes" */
		double ops_per_cycle; /* "execute.ops_per_cycle": vector operations */
		double token_cycles; /* "execute.token_cycles": dispatch of one token */
		enum dae_rows_from rows_from; /* "execute.rows_from": "queue" or "l1" */
	} execute;

	/* "coupled": the out-of-order core of the coupled baseline. */
	struct {
		double width; /* "coupled.width": uops dispatched and retired per cycle */
		uint32_t rob; /* "coupled.rob": reorder buffer entries (uops) */
		uint32_t miss_buffers; /* "coupled.miss_buffers": L1 misses in flight */
		uint32_t vector_bytes; /* "coupled.vector_bytes" */
		double ops_per_cycle; /* "coupled.ops_per_cycle": row arithmetic and WORK */
		uint32_t uops_per_vector; /* "coupled.uops_per_vector": the load and its compute */
		uint32_t uops_per_row; /* "coupled.uops_per_row": loop overhead per row */
		uint32_t uops_per_word; /* "coupled.uops_per_word": per OPERAND/TOKEN word */
		/* "coupled.stores_per_vector": of a vector's uops after its load,
		 * the last this many are stores of what it computed (0: none) */
		uint32_t stores_per_vector;
		/* "coupled.pending_stores": stores waiting for their data that the
		 * core holds at once; another such store waits to dispatch (0: no
		 * limit) */
		uint32_t pending_stores;
	} coupled;

	/* "tlb": address translation, one TLB per requester (the coupled
	 * core, the access unit, the execute core). entries == 0 (no "tlb"
	 * section): translation costs nothing. A miss walks the page table:
	 * walk_cycles plus the loads of pte_levels page-table entries per
	 * table, one after the other, through the requester's caches. */
	struct {
		uint32_t entries; /* "tlb.entries": 0 = no translation cost */
		uint32_t ways; /* "tlb.ways": associativity (LRU) */
		uint64_t page_bytes; /* "tlb.page_kib": page size */
		double walk_cycles; /* "tlb.walk_cycles": a walk's cost beyond its PTE loads */
		uint32_t walkers; /* "tlb.walkers": walks in flight at once */
		uint32_t pte_levels; /* "tlb.pte_levels": levels loaded through the caches */
		uint32_t tables; /* "tlb.tables": 2 = nested paging, guest and host tables */
	} tlb;

	/* "runtime": how libdae runs decoupled code when this machine is the
	 * host (run.h; dae_run_tuning_get says which description is in use).
	 * Not part of the model: the model's queue is "queue". */
	struct {
		/* "runtime.inline_words": the inline and lanes modes' queue, so
		 * how far ahead the access side prefetches (rounded up to a
		 * power of two) */
		uint32_t inline_words;
		uint32_t queue_words; /* "runtime.queue_words": threads mode's queue */
		uint32_t lane_chunks; /* "runtime.lane_chunks": chunks per lane in lanes mode */
		/* "runtime.lanes_min": fewest iterations per lane for a split */
		uint32_t lanes_min;
		/* "runtime.fused_ahead": rows a fused lane prefetches ahead */
		uint32_t fused_ahead;
		/* "runtime.fused_chunk": iterations a fused lane takes and checks at a time */
		uint32_t fused_chunk;
	} runtime;
};

struct dae_model; /* a running model, opaque */

/* Hits and misses of the demand requests (not the prefetcher's) that
 * looked a level up. A request that enters below a level never counts at
 * it. */
struct dae_model_level_stats {
	uint64_t hits; /* including lines still in flight (merged requests) */
	uint64_t misses;
};

struct dae_model_memory_stats {
	struct dae_model_level_stats level[DAE_MEM_LEVELS];
	uint64_t dram_lines; /* lines read from DRAM, prefetches included */
	uint64_t dram_bytes;
	uint64_t prefetch_lines; /* lines the prefetchers fetched */
	double dram_busy_cycles; /* time the DRAM channel spent transferring */
	/* Address translation of the requesters on these caches (all zero
	 * without a "tlb" section). */
	uint64_t tlb_hits; /* including pages whose walk is still in flight */
	uint64_t tlb_misses; /* = page walks */
	double walk_cycles; /* summed walk latencies, walker waits included */
};

/* What bounded the coupled baseline: the cause of most of the cycles in
 * which it could not dispatch (see docs/model.md). */
enum dae_coupled_bound {
	DAE_BOUND_CORE = 0, /* the core itself: dispatch width and vector units */
	DAE_BOUND_ROB = 1, /* the reorder buffer filled behind a miss: MLP bounded by the window */
	DAE_BOUND_MISS_BUFFERS = 2, /* misses waited for a free miss buffer */
	DAE_BOUND_DEPENDENCY = 3, /* loads waited for the load that gives their address */
	DAE_BOUND_BANDWIDTH = 4, /* misses queued for the DRAM channel */
};
#define DAE_BOUND_CAUSES 5

/* Results, caller-owned; fields public. Times are core cycles, averaged
 * over the lanes for the access unit. */
struct dae_model_stats {
	char machine[64];
	double clock_ghz;
	double cycles; /* the decoupled program, first event to drained queue */
	double seconds;
	double speedup; /* coupled.cycles / cycles; 0 when nothing ran */

	struct {
		uint64_t events;
		uint64_t calls;
		uint64_t loads;
		uint64_t rows;
		uint64_t row_bytes;
		uint64_t operands; /* operand words pushed */
		uint64_t tokens;
		uint64_t work_ops;
		uint64_t line_requests; /* access unit's line requests, merged ones included */
	} events;

	struct {
		uint32_t lanes;
		double busy_cycles; /* issuing requests and pushing words */
		double stall_queue_full; /* waiting for a free queue slot */
		double stall_outstanding; /* waiting for an outstanding-request slot */
		double stall_dependency; /* waiting for the LOAD that gives an address */
		double idle_cycles; /* the rest: no work, or waiting for the end of a call */
	} access;

	struct {
		double busy_cycles; /* popping, dispatching and computing */
		double starved_cycles; /* waiting for a word that is not ready */
		double row_wait_cycles; /* rows_from "l1": waiting for row lines */
		double idle_cycles; /* the rest */
	} execute;

	struct {
		uint32_t capacity_words;
		uint64_t words;
		double full_stall_cycles; /* = access.stall_queue_full */
		double mean_occupancy; /* words, averaged over cycles */
		uint64_t max_occupancy;
	} queue;

	struct dae_model_memory_stats memory; /* access unit and execute core */

	struct {
		double cycles;
		double seconds;
		uint64_t uops;
		uint64_t loads; /* load uops */
		double dispatch_cycles; /* uops / width: the time with no stall */
		/* Cycles dispatch stood still, by cause (indexed by enum
		 * dae_coupled_bound; [DAE_BOUND_CORE]: a window full of
		 * arithmetic waiting for the vector units). The bound is the
		 * largest of these, dispatch_cycles counting for the core. */
		double stall_cycles[DAE_BOUND_CAUSES];
		enum dae_coupled_bound bound;
		double mean_mlp; /* L1 misses in flight, averaged over cycles */
		struct dae_model_memory_stats memory;
	} coupled;
};

/* Parses a machine description from JSON text. Unknown keys, missing
 * required keys, wrong types and impossible values (zero sizes, ways that
 * do not divide the size, non-power-of-two line size...) give -EINVAL and
 * a message naming the key in err (always NUL-terminated). Returns 0. */
DAE_API int dae_machine_parse(struct dae_machine *m, const char *json, char *err, size_t errlen);

/* Loads a machine: a shipped preset's name ("tmu", "ooo", "host") or a JSON
 * file's path. Returns 0, -ENOENT (no such preset or file), -EINVAL (see
 * dae_machine_parse) with a message in err. */
DAE_API int dae_machine_load(struct dae_machine *m, const char *name_or_path, char *err,
                             size_t errlen);

/* A model of machine m, with empty caches and time 0. Returns 0 and sets
 * *out, or -ENOMEM / -EINVAL (a field of m out of range). m is copied. */
DAE_API int dae_model_create(struct dae_model **out, const struct dae_machine *m);
/* Frees a model (NULL is fine). */
DAE_API void dae_model_destroy(struct dae_model *model);

/* Replays n events, in order, after those fed before. Events can be fed in
 * chunks of any size: the results do not depend on the chunking. Returns 0,
 * or -EINVAL on an event of unknown kind: the events before it are
 * replayed, it and those after it are not. */
DAE_API int dae_model_feed(struct dae_model *model, const struct dae_trace_event *ev, size_t n);

/* Finishes the events fed so far (the queue drains) and fills *out. Can be
 * called more than once; feeding may continue after it, and the model
 * goes on as if it had not been called. Returns 0. */
DAE_API int dae_model_stats(struct dae_model *model, struct dae_model_stats *out);

/* Writes the statistics as one JSON object, keys in a fixed order, numbers
 * printed the same way on every run (byte-identical for the same trace and
 * machine). Returns 0 or -errno. */
DAE_API int dae_model_stats_write_json(const struct dae_model_stats *s, FILE *f);

/* Writes a PNG of queue occupancy over time and per-unit utilisation,
 * through gnuplot. Returns 0, -ENOENT if gnuplot is not installed, or
 * -errno (-EIO when gnuplot fails). */
DAE_API int dae_model_plot(struct dae_model *model, const char *png_path);

#endif
