/* The timing model against closed-form results: each case is set up so
 * that one resource bounds the run, and the model must land within 5% of
 * what that resource alone predicts. Each would fail if the model ignored
 * that resource (the other bounds are far away). */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "model_test.h"

#define TABLE 0x7f0000000000u /* a 1 GiB table */
#define TABLE_LINES ((uint64_t)1 << 24)

static void assert_within(double got, double want, double tolerance, const char *what)
{
	double err = fabs(got - want) / want;

	if (err > tolerance)
		fail_msg("%s: %.0f cycles, expected %.0f within %.0f%% (off by %.1f%%)", what, got,
		         want, 100 * tolerance, 100 * err);
}

/* Sequential loads over an array far larger than the LLC, with no
 * prefetcher and more outstanding requests than the latency needs: the
 * DRAM channel is the bound, bytes / bandwidth. Eight-byte loads also check
 * that the seven loads after a line's first wait for it in flight rather
 * than fetching it again. */
static void streaming_runs_at_dram_bandwidth(void **state)
{
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	const uint64_t n = 400000; /* 3.2 MB, 50 000 lines, the LLC holds 1 024 */

	/* 16 GB/s at 1 GHz: 16 bytes a cycle, 4 cycles a line. */
	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 16},"
	                 " \"prefetch\": {\"stream\": false},"
	                 " \"access\": {\"lanes\": 8, \"max_outstanding\": 1024,"
	                 " \"entry_level\": \"llc\"}");
	tr_add(&t, DAE_TRACE_CALL, 0, 0, 0);
	for (uint64_t i = 0; i < n; i++)
		tr_add(&t, DAE_TRACE_LOAD, 0x100000000u + 8 * i, 8, 0);
	run(&m, &t, &st);

	assert_int_equal(st.memory.dram_bytes, n * 8);
	assert_within(st.cycles, (double)(n * 8) / 16, 0.05, "streaming");
	tr_free(&t);
}

/* Each load's address comes from the one before (a pointer chase) and
 * every line is new: nothing overlaps, N x DRAM latency. */
static void dependent_chain_pays_dram_latency_per_load(void **state)
{
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	uint64_t seed = 1;
	const uint64_t n = 5000;

	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                 " \"access\": {\"lanes\": 8, \"max_outstanding\": 128,"
	                 " \"entry_level\": \"llc\"}");
	for (uint64_t i = 0; i < n; i++)
		tr_add(&t, DAE_TRACE_LOAD, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 8,
		       i ? DAE_TRACE_DEP : 0);
	run(&m, &t, &st);

	assert_within(st.cycles, (double)n * 100, 0.05, "dependent chain");
	/* The coupled core cannot overlap a chain either, and says why. */
	assert_within(st.coupled.cycles, (double)n * 100, 0.05, "coupled dependent chain");
	assert_int_equal(st.coupled.bound, DAE_BOUND_DEPENDENCY);
	assert_true(st.access.stall_dependency > 0.5 * st.cycles / 8);
	tr_free(&t);
}

/* Independent 256-byte rows at random with ample outstanding requests:
 * lines x line size / bandwidth. */
static void independent_gather_is_bandwidth_bound(void **state)
{
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	uint64_t seed = 2;
	const uint64_t n = 50000;

	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 16},"
	                 " \"access\": {\"lanes\": 8, \"max_outstanding\": 1024,"
	                 " \"entry_level\": \"llc\"}");
	for (uint64_t i = 0; i < n; i++)
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % (TABLE_LINES / 4)) * 256, 256, 0);
	run(&m, &t, &st);

	assert_true(st.memory.dram_lines >= 4 * n * 99 / 100);
	assert_within(st.cycles, (double)(4 * n * 64) / 16, 0.05, "bandwidth-bound gather");
	assert_true(st.memory.dram_busy_cycles > 0.95 * st.cycles);
	tr_free(&t);
}

/* With R outstanding requests and bandwidth to spare, R lines are in
 * flight at a time, each for the DRAM latency: Little's law gives
 * R x line / latency bytes a cycle. */
static void outstanding_requests_obey_littles_law(void **state)
{
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	uint64_t seed = 3;
	const uint64_t n = 20000, r = 8, lat = 100;

	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
	                 " \"access\": {\"lanes\": 8, \"max_outstanding\": 8,"
	                 " \"entry_level\": \"llc\"}");
	for (uint64_t i = 0; i < n; i++)
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 64, 0);
	run(&m, &t, &st);

	/* throughput = r * 64 / lat bytes a cycle */
	assert_within(st.cycles, (double)(n * 64) / ((double)(r * 64) / lat), 0.05, "Little's law");
	assert_true(st.access.stall_outstanding > 0.5 * st.cycles / 8);
	tr_free(&t);
}

/* The same law with twice the requests in flight halves the time: the
 * bound moves with R, not with anything else. */
static void doubling_outstanding_requests_halves_latency_bound_time(void **state)
{
	struct dae_machine m8, m16;
	struct dae_model_stats s8, s16;
	struct trace t = {0};
	uint64_t seed = 4;

	test_machine(&m8, ", \"dram\": {\"latency_ns\": 200, \"bandwidth_gbs\": 1000},"
	                  " \"access\": {\"lanes\": 4, \"max_outstanding\": 8,"
	                  " \"entry_level\": \"llc\"}");
	test_machine(&m16, ", \"dram\": {\"latency_ns\": 200, \"bandwidth_gbs\": 1000},"
	                   " \"access\": {\"lanes\": 4, \"max_outstanding\": 16,"
	                   " \"entry_level\": \"llc\"}");
	for (uint64_t i = 0; i < 20000; i++)
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 64, 0);
	run(&m8, &t, &s8);
	run(&m16, &t, &s16);
	assert_within(s16.cycles, s8.cycles / 2, 0.05, "16 outstanding vs 8");
	tr_free(&t);
}

/* A TLB of 4 entries and a pointer chase over distinct pages far apart:
 * every load misses the TLB and walks, and the walk's leaf entry (its own
 * line, pages 64 KiB apart are 16 entries = 2 lines apart) misses
 * every cache too. Each load then costs walk_cycles + DRAM (the entry) +
 * DRAM (the data). The same chase within one page walks once, and the
 * same machine without a "tlb" section pays DRAM alone. */
static void page_walks_cost_walk_plus_entry_loads(void **state)
{
	struct dae_machine m, flat;
	struct dae_model_stats st, sp, sf;
	struct trace t = {0}, p = {0};
	uint64_t seed = 5;
	const uint64_t n = 4000;

	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                 " \"tlb\": {\"entries\": 4, \"ways\": 4, \"page_kib\": 4,"
	                 " \"walk_cycles\": 30, \"walkers\": 2, \"pte_levels\": 1}");
	test_machine(&flat, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100}");
	for (uint64_t i = 0; i < n; i++) {
		/* distinct 64 KiB-spaced pages of a 1 GiB table */
		uint64_t page = rnd(&seed) % (1u << 14);

		tr_add(&t, DAE_TRACE_LOAD, TABLE + page * 65536 + 64 * (i % 64), 8,
		       i ? DAE_TRACE_DEP : 0);
		/* one 4 KiB page: 64 lines, each new to the caches once */
		tr_add(&p, DAE_TRACE_LOAD, TABLE + 64 * (i % 64) + 4096 * 0, 8,
		       i ? DAE_TRACE_DEP : 0);
	}
	run(&m, &t, &st);
	run(&flat, &t, &sf);
	/* Repeats of a page are rare (4000 of 16 Ki pages, 4 entries). */
	assert_true(st.coupled.memory.tlb_misses > n * 95 / 100);
	assert_within(st.coupled.cycles, (double)n * (30 + 100 + 100), 0.05, "walk + entry + data");
	assert_within(st.cycles, (double)n * (30 + 100 + 100), 0.05, "decoupled walks");
	assert_within(sf.coupled.cycles, (double)n * 100, 0.05, "no tlb section");
	assert_int_equal(sf.coupled.memory.tlb_misses, 0);

	run(&m, &p, &sp);
	assert_int_equal(sp.coupled.memory.tlb_misses, 1);
	/* 64 lines from DRAM, the rest hits in L1 (4 cycles), one walk */
	assert_within(sp.coupled.cycles, 64.0 * 100 + (double)(n - 64) * 4 + 130, 0.05, "one page");
	tr_free(&t);
	tr_free(&p);
}

/* Scalar rows of 16 elements, one line each, independent and at random:
 * per element a load and a store of its sum, which waits for the row's
 * line. With a reorder buffer that could hold 100 rows, P pending stores
 * let row j + 1 + floor(P / 16) dispatch its load only once row j's line
 * is there (the stores before it reach back to row j): 1 + floor(P / 16)
 * rows per DRAM latency. Without the limit dispatch (32 uops a row at 8 a
 * cycle) bounds the run. */
static void pending_stores_bound_the_rows_in_flight(void **state)
{
	struct dae_model_stats st[3];
	struct trace t = {0};
	uint64_t seed = 6;
	const uint64_t n = 3000;
	const unsigned pending[3] = {8, 32, 0};

	for (uint64_t i = 0; i < n; i++)
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 64, 0);
	for (int i = 0; i < 3; i++) {
		struct dae_machine m;
		char extra[512];

		snprintf(extra, sizeof(extra),
		         ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
		         " \"coupled\": {\"width\": 8, \"rob\": 4096, \"miss_buffers\": 64,"
		         " \"vector_bytes\": 4, \"ops_per_cycle\": 8, \"uops_per_vector\": 2,"
		         " \"uops_per_row\": 0, \"stores_per_vector\": 1, \"pending_stores\": %u}",
		         pending[i]);
		test_machine(&m, extra);
		run(&m, &t, &st[i]);
	}
	assert_within(st[0].coupled.cycles, (double)n * 100, 0.05, "8 pending stores: one row");
	assert_within(st[1].coupled.cycles, (double)n * 100 / 3, 0.05, "32: three rows");
	assert_within(st[2].coupled.cycles, (double)n * 32 / 8, 0.05, "no limit: dispatch");
	assert_int_equal(st[0].coupled.bound, DAE_BOUND_ROB);
	tr_free(&t);
}

/* A chain of loads at random 128-byte pairs: each pair's first line, then
 * (its address from that load) the other line. Every line is new, so
 * without the adjacent-line prefetcher each load is a DRAM latency, 2 x 100
 * cycles a pair; with it the first load's miss brings the other line into
 * L2 with it, and the second load costs an L2 hit after it: 100 + 12. The
 * pair is the line's aligned one (line ^ 1), whichever comes first. */
static void adjacent_prefetch_brings_the_pair_line(void **state)
{
	struct dae_model_stats st[2];
	struct trace t = {0};
	uint64_t seed = 7;
	const uint64_t n = 3000;

	for (uint64_t i = 0; i < n; i++) {
		uint64_t line = (rnd(&seed) % TABLE_LINES) & ~(uint64_t)1;
		uint64_t first = line | (i & 1), second = line | (~i & 1);

		tr_add(&t, DAE_TRACE_LOAD, TABLE + first * 64, 4, i ? DAE_TRACE_DEP : 0);
		tr_add(&t, DAE_TRACE_LOAD, TABLE + second * 64, 4, DAE_TRACE_DEP);
	}
	for (int i = 0; i < 2; i++) {
		struct dae_machine m;

		test_machine(&m, i ? ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
		                     " \"prefetch\": {\"adjacent\": true}"
		                   : ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000}");
		run(&m, &t, &st[i]);
	}
	assert_within(st[0].coupled.cycles, (double)n * 200, 0.05, "coupled, no prefetcher");
	assert_within(st[1].coupled.cycles, (double)n * 112, 0.05, "coupled, adjacent lines");
	assert_within(st[0].cycles, (double)n * 200, 0.05, "access unit, no prefetcher");
	assert_within(st[1].cycles, (double)n * 112, 0.05, "access unit, adjacent lines");
	assert_int_equal(st[0].coupled.memory.prefetch_lines, 0);
	assert_int_equal(st[1].coupled.memory.prefetch_lines, n);
	assert_int_equal(st[1].coupled.memory.dram_lines, 2 * n);
	tr_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(streaming_runs_at_dram_bandwidth),
	        cmocka_unit_test(dependent_chain_pays_dram_latency_per_load),
	        cmocka_unit_test(independent_gather_is_bandwidth_bound),
	        cmocka_unit_test(outstanding_requests_obey_littles_law),
	        cmocka_unit_test(doubling_outstanding_requests_halves_latency_bound_time),
	        cmocka_unit_test(page_walks_cost_walk_plus_entry_loads),
	        cmocka_unit_test(pending_stores_bound_the_rows_in_flight),
	        cmocka_unit_test(adjacent_prefetch_brings_the_pair_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
