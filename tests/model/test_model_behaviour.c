/* The timing model's properties beyond single bounds: same input, same
 * bytes; chunking does not matter; the queue backs up when the execute
 * side is slow; the coupled core's memory-level parallelism is bounded by
 * its window and its miss buffers; lanes overlap dependent lookups; the
 * picture gets drawn. */
#define _GNU_SOURCE
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "model_test.h"

#define TABLE 0x7f0000000000u
#define TABLE_LINES ((uint64_t)1 << 24)
#define INDICES 0x7e0000000000u

static void assert_within(double got, double want, double tolerance, const char *what)
{
	double err = fabs(got - want) / want;

	if (err > tolerance)
		fail_msg("%s: %.0f cycles, expected %.0f within %.0f%% (off by %.1f%%)", what, got,
		         want, 100 * tolerance, 100 * err);
}

/* Something like an embedding bag of generated code, with a bit of
 * everything: calls, bags, index loads, dependent rows (some loaded
 * element by element), tokens, operands and WORK. */
static void mixed_trace(struct trace *t, uint64_t lookups)
{
	uint64_t seed = 42, j = 0;

	for (int call = 0; call < 3; call++) {
		tr_add(t, DAE_TRACE_CALL, 0x1000, 0, 0);
		for (uint64_t b = 0; b < lookups / 30; b++) {
			tr_add(t, DAE_TRACE_LOAD, INDICES - 8 + 8 * (b % 1000), 8, 0);
			tr_add(t, DAE_TRACE_TOKEN, 0, 1, 0);
			tr_add(t, DAE_TRACE_OPERAND, 0, 1, 0);
			for (int k = 0; k < 10; k++, j++) {
				uint64_t row = TABLE + (rnd(&seed) % (TABLE_LINES / 4)) * 256;

				tr_add(t, DAE_TRACE_LOAD, INDICES + 8 * (j % 100000), 8, 0);
				if (k % 5 == 4) {
					for (int e = 0; e < 64; e++)
						tr_add(t, DAE_TRACE_ROW, row + 4 * e, 4,
						       DAE_TRACE_DEP);
				} else {
					tr_add(t, DAE_TRACE_ROW, row, 256, DAE_TRACE_DEP);
				}
				if (k == 3)
					tr_add(t, DAE_TRACE_WORK, 0, 17, 0);
				tr_add(t, DAE_TRACE_TOKEN, 0, 1, 0);
				tr_add(t, DAE_TRACE_OPERAND, 0, 2, 0);
			}
		}
	}
}

static char *json_of_feed(const struct dae_machine *m, const struct trace *t, size_t chunk,
                          bool stats_midway)
{
	struct dae_model *model;
	struct dae_model_stats st;
	uint64_t seed = 9;

	assert_int_equal(dae_model_create(&model, m), 0);
	for (size_t i = 0; i < t->n;) {
		size_t n = chunk ? chunk : 1 + rnd(&seed) % 5000;

		if (n > t->n - i)
			n = t->n - i;
		assert_int_equal(dae_model_feed(model, t->ev + i, n), 0);
		i += n;
		if (stats_midway)
			assert_int_equal(dae_model_stats(model, &st), 0);
	}
	assert_int_equal(dae_model_stats(model, &st), 0);
	dae_model_destroy(model);
	return stats_json(&st);
}

static void same_trace_and_machine_give_identical_json(void **state)
{
	static const char *const presets[] = {"tmu", "ooo", "host"};
	struct trace t = {0};
	char err[256];

	mixed_trace(&t, 30000);
	for (size_t p = 0; p < 3; p++) {
		struct dae_machine m;

		assert_int_equal(dae_machine_load(&m, presets[p], err, sizeof(err)), 0);
		char *a = json_of_feed(&m, &t, t.n, false);
		char *b = json_of_feed(&m, &t, t.n, false);
		assert_string_equal(a, b);
		free(a);
		free(b);
	}
	tr_free(&t);
}

/* One event at a time, all at once, in random chunks, and with statistics
 * taken after every chunk: the same bytes. */
static void chunking_and_midway_statistics_change_nothing(void **state)
{
	static const char *const presets[] = {"tmu", "host"};
	struct trace t = {0};
	char err[256];

	mixed_trace(&t, 6000);
	for (size_t p = 0; p < 2; p++) {
		struct dae_machine m;

		assert_int_equal(dae_machine_load(&m, presets[p], err, sizeof(err)), 0);
		char *all = json_of_feed(&m, &t, t.n, false);
		char *one = json_of_feed(&m, &t, 1, false);
		char *random = json_of_feed(&m, &t, 0, true);
		assert_string_equal(all, one);
		assert_string_equal(all, random);
		free(all);
		free(one);
		free(random);
	}
	tr_free(&t);
}

static void the_json_has_the_documented_keys(void **state)
{
	static const char *const keys[] = {
	        "\"machine\"",     "\"cycles\"",         "\"seconds\"",       "\"speedup\"",
	        "\"events\"",      "\"line_requests\"",  "\"access\"",        "\"queue_full\"",
	        "\"outstanding\"", "\"dependency\"",     "\"execute\"",       "\"starved_cycles\"",
	        "\"queue\"",       "\"mean_occupancy\"", "\"max_occupancy\"", "\"memory\"",
	        "\"hit_rate\"",    "\"dram_bytes\"",     "\"coupled\"",       "\"bound\"",
	        "\"mean_mlp\"",
	};
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	char err[256];

	mixed_trace(&t, 3000);
	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	run(&m, &t, &st);
	char *js = stats_json(&st);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		assert_non_null(strstr(js, keys[i]));
	assert_int_equal(st.events.calls, 3);
	assert_int_equal(st.events.events, t.n);
	assert_int_equal(st.queue.words, st.events.tokens + st.events.operands);
	assert_true(st.cycles > 0 && st.coupled.cycles > 0 && st.speedup > 0);
	free(js);
	tr_free(&t);
}

/* An execute side that needs 100 cycles a token behind an access side
 * that makes one every few cycles: the run takes N x 100 cycles, and with
 * a two-word queue the access unit spends that time waiting for slots. */
static void a_tiny_queue_fills_behind_a_slow_execute_side(void **state)
{
	struct dae_machine tiny, big;
	struct dae_model_stats st, sb;
	struct trace t = {0};
	const uint64_t n = 2000;

	test_machine(&tiny, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                    " \"access\": {\"lanes\": 1, \"max_outstanding\": 64,"
	                    " \"entry_level\": \"llc\"},"
	                    " \"queue\": {\"capacity_words\": 2, \"push_cycles\": 1,"
	                    " \"pop_cycles\": 1, \"level\": \"l2\"},"
	                    " \"execute\": {\"ops_per_cycle\": 1, \"token_cycles\": 0}");
	test_machine(&big, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                   " \"access\": {\"lanes\": 1, \"max_outstanding\": 64,"
	                   " \"entry_level\": \"llc\"},"
	                   " \"queue\": {\"capacity_words\": 4096, \"push_cycles\": 1,"
	                   " \"pop_cycles\": 1, \"level\": \"l2\"},"
	                   " \"execute\": {\"ops_per_cycle\": 1, \"token_cycles\": 0}");
	for (uint64_t i = 0; i < n; i++) {
		tr_add(&t, DAE_TRACE_ROW, TABLE + 64 * (i % 16), 64, 0);
		tr_add(&t, DAE_TRACE_WORK, 0, 99, 0);
		tr_add(&t, DAE_TRACE_TOKEN, 0, 1, 0);
	}
	run(&tiny, &t, &st);
	run(&big, &t, &sb);

	/* 1 pop + 1 vector + 99 ops a token */
	assert_within(st.cycles, (double)n * 101, 0.05, "execute-bound");
	assert_true(st.queue.full_stall_cycles > 0.9 * st.cycles);
	assert_int_equal(st.queue.max_occupancy, 2);
	assert_true(st.execute.busy_cycles > 0.95 * st.cycles);
	/* 2000 words fit a 4096-word queue: it never fills. */
	assert_true(sb.queue.full_stall_cycles == 0);
	assert_true(sb.queue.max_occupancy > 1000);
	assert_true(sb.queue.mean_occupancy > st.queue.mean_occupancy);
	tr_free(&t);
}

/* Lookups of an index (always the same cached word) and a dependent
 * random row, 3 uops each on the coupled core (index load, row load, its
 * add). A 3-uop window holds one lookup: the rows are fetched one after the
 * other, N x latency. A 12-uop window holds four: N x latency / 4. A big
 * window with 8 miss buffers: N x latency / 8, bound by the buffers. */
static void coupled_mlp_is_bounded_by_window_and_miss_buffers(void **state)
{
	struct dae_machine one, four, mb8;
	struct dae_model_stats s1, s4, s8;
	struct trace t = {0};
	uint64_t seed = 5;
	const uint64_t n = 4000;
	const double lat = 400;
	const char *mem = ", \"dram\": {\"latency_ns\": 400, \"bandwidth_gbs\": 1000}";
	char extra[512];

	snprintf(extra, sizeof(extra),
	         "%s, \"coupled\": {\"width\": 4, \"rob\": 3, \"miss_buffers\": 64,"
	         " \"uops_per_vector\": 2, \"uops_per_row\": 0, \"uops_per_word\": 0}",
	         mem);
	test_machine(&one, extra);
	snprintf(extra, sizeof(extra),
	         "%s, \"coupled\": {\"width\": 4, \"rob\": 12, \"miss_buffers\": 64,"
	         " \"uops_per_vector\": 2, \"uops_per_row\": 0, \"uops_per_word\": 0}",
	         mem);
	test_machine(&four, extra);
	snprintf(extra, sizeof(extra),
	         "%s, \"coupled\": {\"width\": 4, \"rob\": 192, \"miss_buffers\": 8,"
	         " \"uops_per_vector\": 2, \"uops_per_row\": 0, \"uops_per_word\": 0}",
	         mem);
	test_machine(&mb8, extra);
	for (uint64_t i = 0; i < n; i++) {
		tr_add(&t, DAE_TRACE_LOAD, INDICES, 8, 0);
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 64,
		       DAE_TRACE_DEP);
		tr_add(&t, DAE_TRACE_TOKEN, 0, 1, 0);
	}
	run(&one, &t, &s1);
	run(&four, &t, &s4);
	run(&mb8, &t, &s8);

	assert_int_equal(s1.coupled.uops, 3 * n);
	assert_within(s1.coupled.cycles, n * lat, 0.05, "window of one lookup");
	assert_within(s4.coupled.cycles, n * lat / 4, 0.05, "window of four lookups");
	assert_within(s8.coupled.cycles, n * lat / 8, 0.05, "8 miss buffers");
	assert_int_equal(s1.coupled.bound, DAE_BOUND_ROB);
	assert_int_equal(s4.coupled.bound, DAE_BOUND_ROB);
	assert_int_equal(s8.coupled.bound, DAE_BOUND_MISS_BUFFERS);
	assert_true(s8.coupled.mean_mlp > 7.5 && s8.coupled.mean_mlp <= 8.01);
	tr_free(&t);
}

/* Dependent lookups whose index loads miss too: one lane waits for each
 * index before its row, eight lanes overlap eight lookups. */
static void lanes_overlap_dependent_lookups(void **state)
{
	struct dae_machine l1, l8;
	struct dae_model_stats s1, s8;
	struct trace t = {0};
	uint64_t seed = 6;

	test_machine(&l1, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
	                  " \"access\": {\"lanes\": 1, \"max_outstanding\": 256,"
	                  " \"entry_level\": \"llc\"}");
	test_machine(&l8, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
	                  " \"access\": {\"lanes\": 8, \"max_outstanding\": 256,"
	                  " \"entry_level\": \"llc\"}");
	for (uint64_t i = 0; i < 4000; i++) {
		tr_add(&t, DAE_TRACE_LOAD, INDICES + (rnd(&seed) % TABLE_LINES) * 64, 8, 0);
		tr_add(&t, DAE_TRACE_ROW, TABLE + (rnd(&seed) % TABLE_LINES) * 64, 64,
		       DAE_TRACE_DEP);
		tr_add(&t, DAE_TRACE_OPERAND, 0, 1, 0);
	}
	run(&l1, &t, &s1);
	run(&l8, &t, &s8);
	/* One lane: the index loads overlap the previous row, the row waits
	 * for its index: about one latency a lookup. */
	assert_within(s1.cycles, 4000 * 100.0, 0.05, "one lane");
	assert_within(s8.cycles, 4000 * 100.0 / 8, 0.05, "eight lanes");
	tr_free(&t);
}

/* The prefetcher turns a stream of index loads from DRAM latency into
 * hits: with it, far fewer cycles and LLC hits for the index lines. */
static void the_stream_prefetcher_hides_index_misses(void **state)
{
	struct dae_machine off, on;
	struct dae_model_stats s0, s1;
	struct trace t = {0};

	test_machine(&off, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                   " \"prefetch\": {\"stream\": false},"
	                   " \"access\": {\"lanes\": 1, \"max_outstanding\": 64,"
	                   " \"entry_level\": \"llc\"}");
	test_machine(&on, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100},"
	                  " \"prefetch\": {\"stream\": true, \"distance_lines\": 32},"
	                  " \"access\": {\"lanes\": 1, \"max_outstanding\": 64,"
	                  " \"entry_level\": \"llc\"}");
	/* a chain through an index array read in order */
	for (uint64_t i = 0; i < 20000; i++)
		tr_add(&t, DAE_TRACE_LOAD, INDICES + 64 * i, 8, i ? DAE_TRACE_DEP : 0);
	run(&off, &t, &s0);
	run(&on, &t, &s1);
	assert_within(s0.cycles, 20000 * 100.0, 0.05, "no prefetcher");
	assert_true(s1.cycles < s0.cycles / 2);
	assert_true(s1.memory.prefetch_lines > 19000);
	assert_true(s1.memory.level[DAE_MEM_LLC].hits > 19000);
	tr_free(&t);
}

/* A scalar core loads each line of a row many times in a row, and the
 * model skips the lookups of a line it has just looked up; a load of
 * another line in between must end that, as it evicts the line from a
 * direct-mapped L1. */
static void a_scalar_core_reloads_a_line_evicted_between_its_rows(void **state)
{
	struct dae_machine m;
	struct dae_model_stats st;
	struct trace t = {0};
	const uint64_t a = TABLE, b = TABLE + 1024; /* one L1 set */

	char err[256];
	const char *json =
	        "{\"name\": \"scalar\", \"clock_ghz\": 1.0, \"line_bytes\": 64,"
	        " \"caches\": {\"l1\": {\"size_kib\": 1, \"ways\": 1, \"latency_cycles\": 4},"
	        " \"l2\": {\"size_kib\": 16, \"ways\": 8, \"latency_cycles\": 12},"
	        " \"llc\": {\"size_kib\": 64, \"ways\": 16, \"latency_cycles\": 40}},"
	        " \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 1000},"
	        " \"coupled\": {\"vector_bytes\": 4, \"uops_per_vector\": 2}}";

	assert_int_equal(dae_machine_parse(&m, json, err, sizeof(err)), 0);
	for (int k = 0; k < 3; k++) {
		tr_add(&t, DAE_TRACE_ROW, a, 64, 0);
		tr_add(&t, DAE_TRACE_LOAD, b, 8, 0);
	}
	run(&m, &t, &st);
	/* Each row: a miss, then 15 hits; each LOAD a miss. */
	assert_int_equal(st.coupled.memory.level[DAE_MEM_L1].hits, 3 * 15);
	assert_int_equal(st.coupled.memory.level[DAE_MEM_L1].misses, 3 * 2);
	assert_int_equal(st.coupled.loads, 3 * 17);
	tr_free(&t);
}

static void unknown_event_kinds_are_refused(void **state)
{
	struct dae_machine m;
	struct dae_model *model;
	struct dae_model_stats st;
	struct dae_trace_event ev[3] = {
	        {TABLE, 64, DAE_TRACE_ROW, 0, 0},
	        {0, 1, 7, 0, 0},
	        {TABLE, 64, DAE_TRACE_ROW, 0, 0},
	};

	test_machine(&m, ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 100}");
	assert_int_equal(dae_model_create(&model, &m), 0);
	assert_int_equal(dae_model_feed(model, ev, 3), -EINVAL);
	assert_int_equal(dae_model_stats(model, &st), 0);
	assert_int_equal(st.events.rows, 1);
	ev[1].kind = 0;
	assert_int_equal(dae_model_feed(model, ev + 1, 1), -EINVAL);
	dae_model_destroy(model);
	dae_model_destroy(NULL);
}

static void the_plot_is_a_png(void **state)
{
	struct dae_machine m;
	struct dae_model *model;
	struct trace t = {0};
	char err[256], path[] = "/tmp/test_model_plot_XXXXXX.png";
	unsigned char head[8] = {0};
	int fd = mkstemps(path, 4);

	assert_true(fd >= 0);
	close(fd);
	mixed_trace(&t, 3000);
	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	assert_int_equal(dae_model_create(&model, &m), 0);
	assert_int_equal(dae_model_feed(model, t.ev, t.n), 0);
	int r = dae_model_plot(model, path);
	if (r == -ENOENT) {
		dae_model_destroy(model);
		unlink(path);
		tr_free(&t);
		skip();
	}
	assert_int_equal(r, 0);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fread(head, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
	assert_int_equal(dae_model_plot(model, ""), -EINVAL);
	dae_model_destroy(model);
	unlink(path);
	tr_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(same_trace_and_machine_give_identical_json),
	        cmocka_unit_test(chunking_and_midway_statistics_change_nothing),
	        cmocka_unit_test(the_json_has_the_documented_keys),
	        cmocka_unit_test(a_tiny_queue_fills_behind_a_slow_execute_side),
	        cmocka_unit_test(coupled_mlp_is_bounded_by_window_and_miss_buffers),
	        cmocka_unit_test(lanes_overlap_dependent_lookups),
	        cmocka_unit_test(the_stream_prefetcher_hides_index_misses),
	        cmocka_unit_test(a_scalar_core_reloads_a_line_evicted_between_its_rows),
	        cmocka_unit_test(unknown_event_kinds_are_refused),
	        cmocka_unit_test(the_plot_is_a_png),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
