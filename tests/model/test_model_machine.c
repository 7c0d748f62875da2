/* Machine descriptions: the presets load, and a description with a
 * mistake is refused with a message that names the key. */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dae/model.h"
#include "dae/run.h"

/* A complete description; each test breaks one thing in it. */
#define GOOD_HEAD "{\"clock_ghz\": 2.0, \"line_bytes\": 64, "
#define GOOD_CACHES                                                                                \
	"\"caches\": {\"l1\": {\"size_kib\": 48, \"ways\": 12, \"latency_cycles\": 5},"            \
	" \"l2\": {\"size_kib\": 2048, \"ways\": 16, \"latency_cycles\": 16},"                     \
	" \"llc\": {\"size_kib\": 32768, \"ways\": 16, \"latency_cycles\": 60}}"
#define GOOD_DRAM ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 36}"

static void expect_rejected(const char *json, const char *key)
{
	struct dae_machine m;
	char err[256];

	memset(err, 'x', sizeof(err));
	assert_int_equal(dae_machine_parse(&m, json, err, sizeof(err)), -EINVAL);
	assert_non_null(memchr(err, '\0', sizeof(err)));
	if (!strstr(err, key))
		fail_msg("the message \"%s\" does not name %s", err, key);
}

static void a_complete_description_parses_with_defaults(void **state)
{
	struct dae_machine m;
	char err[256];

	assert_int_equal(
	        dae_machine_parse(&m, GOOD_HEAD GOOD_CACHES GOOD_DRAM "}", err, sizeof(err)), 0);
	assert_string_equal(m.name, "custom");
	assert_int_equal(m.cache[DAE_MEM_L1].size_bytes, 48 * 1024);
	assert_int_equal(m.cache[DAE_MEM_LLC].ways, 16);
	assert_true(m.dram_latency_ns == 100);
	assert_int_equal(m.access.lanes, 1);
	assert_int_equal(m.queue.level, DAE_MEM_L2);
	assert_int_equal(m.coupled.rob, 256);
	assert_int_equal(m.coupled.stores_per_vector, 0);
	assert_int_equal(m.coupled.pending_stores, 0);
	assert_false(m.prefetch.stream);
	assert_false(m.prefetch.adjacent);
	/* The store window, as bench/calibrate/store_window.sh measures it. */
	assert_int_equal(dae_machine_parse(&m,
	                                   GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                                   ", \"coupled\": {\"uops_per_vector\": 6, "
	                                   "\"stores_per_vector\": 1, \"pending_stores\": 46}}",
	                                   err, sizeof(err)),
	                 0);
	assert_int_equal(m.coupled.stores_per_vector, 1);
	assert_int_equal(m.coupled.pending_stores, 46);
}

/* The "runtime" section: libdae's own sizes on this machine (run.h). Left
 * out, they are libdae's built-in defaults; given, they are taken; and a
 * size libdae could not run with is refused by name. */
static void the_runtime_section_defaults_parses_and_is_checked(void **state)
{
	struct dae_machine m;
	char err[256];

	assert_int_equal(
	        dae_machine_parse(&m, GOOD_HEAD GOOD_CACHES GOOD_DRAM "}", err, sizeof(err)), 0);
	assert_int_equal(m.runtime.inline_words, DAE_RUN_INLINE_WORDS);
	assert_int_equal(m.runtime.queue_words, DAE_RUN_QUEUE_WORDS);
	assert_int_equal(m.runtime.lane_chunks, DAE_RUN_LANE_CHUNKS);
	assert_int_equal(m.runtime.lanes_min, DAE_RUN_LANES_MIN);
	assert_int_equal(m.runtime.fused_ahead, DAE_RUN_FUSED_AHEAD);
	assert_int_equal(m.runtime.fused_chunk, DAE_RUN_FUSED_CHUNK);
	assert_int_equal(dae_machine_parse(&m,
	                                   GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                                   ", \"runtime\": {\"inline_words\": 100, "
	                                   "\"queue_words\": 8192, \"lane_chunks\": 3, "
	                                   "\"lanes_min\": 1, \"fused_ahead\": 7, "
	                                   "\"fused_chunk\": 5}}",
	                                   err, sizeof(err)),
	                 0);
	assert_int_equal(m.runtime.inline_words, 100);
	assert_int_equal(m.runtime.queue_words, 8192);
	assert_int_equal(m.runtime.lane_chunks, 3);
	assert_int_equal(m.runtime.lanes_min, 1);
	assert_int_equal(m.runtime.fused_ahead, 7);
	assert_int_equal(m.runtime.fused_chunk, 5);
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"fused_ahead\": 0}}",
	                "runtime.fused_ahead");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"fused_chunk\": 0}}",
	                "runtime.fused_chunk");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"inline_words\": 1}}",
	                "runtime.inline_words");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"runtime\": {\"queue_words\": 134217728}}",
	                "runtime.queue_words");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"lane_chunks\": 0}}",
	                "runtime.lane_chunks");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"lane_chunks\": 1025}}",
	                "runtime.lane_chunks");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"lanes_min\": 0}}",
	                "runtime.lanes_min");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"runtime\": {\"inline_word\": 64}}",
	                "runtime.inline_word");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"runtime\": {\"inline_words\": \"512\"}}",
	                "runtime.inline_words");
}

static void the_presets_all_load(void **state)
{
	struct dae_machine m;
	char err[256];

	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	assert_string_equal(m.name, "tmu");
	assert_int_equal(m.access.lanes, 8);
	assert_int_equal(m.access.max_outstanding, 128);
	assert_int_equal(m.access.entry_level, DAE_MEM_LLC);
	assert_int_equal(m.queue.level, DAE_MEM_L2);
	assert_int_equal(m.execute.vector_bytes, 64);

	assert_int_equal(dae_machine_load(&m, "ooo", err, sizeof(err)), 0);
	assert_string_equal(m.name, "ooo");
	assert_int_equal(m.coupled.rob, 512);
	assert_int_equal(m.coupled.miss_buffers, 16);

	assert_int_equal(dae_machine_load(&m, "host", err, sizeof(err)), 0);
	assert_string_equal(m.name, "host");
	assert_int_equal(m.cache[DAE_MEM_L1].size_bytes, 48 * 1024);
	assert_int_equal(m.cache[DAE_MEM_L1].ways, 12);
	assert_int_equal(m.cache[DAE_MEM_L2].size_bytes, 2048 * 1024);
	assert_true(m.clock_ghz == 3.4);
	assert_int_equal(m.tlb.entries, 2048);
	assert_int_equal(m.tlb.page_bytes, 4096);
	/* the other presets do not translate */
	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	assert_int_equal(m.tlb.entries, 0);

	for (const char *const *p = (const char *const[]){"tmu", "ooo", "host", NULL}; *p; p++) {
		struct dae_model *model;

		assert_int_equal(dae_machine_load(&m, *p, err, sizeof(err)), 0);
		assert_int_equal(dae_model_create(&model, &m), 0);
		dae_model_destroy(model);
	}
}

static void an_unknown_preset_is_enoent_and_lists_the_presets(void **state)
{
	struct dae_machine m;
	char err[256];

	assert_int_equal(dae_machine_load(&m, "no-such-machine", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no-such-machine"));
	assert_non_null(strstr(err, "tmu"));
	assert_int_equal(dae_machine_load(&m, "/no/such/dir/m.json", err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "/no/such/dir/m.json"));
}

static void unknown_keys_are_named(void **state)
{
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"clok_ghz\": 3}", "clok_ghz");
	expect_rejected(
	        GOOD_HEAD
	        "\"caches\": {\"l1\": {\"size_kib\": 48, \"wayz\": 12, \"latency_cycles\": 5},"
	        " \"l2\": {\"size_kib\": 2048, \"ways\": 16, \"latency_cycles\": 16},"
	        " \"llc\": {\"size_kib\": 32768, \"ways\": 16, \"latency_cycles\": 60}}" GOOD_DRAM
	        "}",
	        "caches.l1.wayz");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lane\": 8}}",
	                "access.lane");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"caches2\": {}}", "caches2");
}

static void impossible_values_are_named(void **state)
{
	/* zero size */
	expect_rejected(
	        GOOD_HEAD
	        "\"caches\": {\"l1\": {\"size_kib\": 48, \"ways\": 12, \"latency_cycles\": 5},"
	        " \"l2\": {\"size_kib\": 0, \"ways\": 16, \"latency_cycles\": 16},"
	        " \"llc\": {\"size_kib\": 32768, \"ways\": 16, \"latency_cycles\": 60}}" GOOD_DRAM
	        "}",
	        "caches.l2.size_kib");
	/* 7 ways do not divide 48 KiB of 64-byte lines */
	expect_rejected(
	        GOOD_HEAD
	        "\"caches\": {\"l1\": {\"size_kib\": 48, \"ways\": 7, \"latency_cycles\": 5},"
	        " \"l2\": {\"size_kib\": 2048, \"ways\": 16, \"latency_cycles\": 16},"
	        " \"llc\": {\"size_kib\": 32768, \"ways\": 16, \"latency_cycles\": 60}}" GOOD_DRAM
	        "}",
	        "caches.l1.ways");
	expect_rejected("{\"clock_ghz\": 2.0, \"line_bytes\": 48, " GOOD_CACHES GOOD_DRAM "}",
	                "line_bytes");
	expect_rejected("{\"clock_ghz\": 0, " GOOD_CACHES GOOD_DRAM "}", "clock_ghz");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanes\": 0}}",
	                "access.lanes");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanes\": -1}}",
	                "access.lanes");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"queue\": {\"capacity_words\": 0}}",
	                "queue.capacity_words");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"coupled\": {\"rob\": 0}}",
	                "coupled.rob");
	/* stores are among the uops after a vector's load; pending ones in the ROB */
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"coupled\": {\"uops_per_vector\": 2, \"stores_per_vector\": 2}}",
	                "coupled.stores_per_vector");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"coupled\": {\"rob\": 64, \"pending_stores\": 65}}",
	                "coupled.pending_stores");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"coupled\": {\"pending_stores\": -1}}",
	                "coupled.pending_stores");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"coupled\": {\"pending_store\": 8}}",
	                "coupled.pending_store");
	expect_rejected(GOOD_HEAD GOOD_CACHES
	                ", \"dram\": {\"latency_ns\": 100, \"bandwidth_gbs\": 0}}",
	                "dram.bandwidth_gbs");
	/* address translation */
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"ways\": 3}}",
	                "tlb.ways");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"page_kib\": 12}}",
	                "tlb.page_kib");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"walkers\": 0}}",
	                "tlb.walkers");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"pte_levels\": 5}}",
	                "tlb.pte_levels");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"tables\": 3}}",
	                "tlb.tables");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"walk_cycles\": -1}}",
	                "tlb.walk_cycles");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"tlb\": {\"walkers\": 2}}",
	                "tlb.entries");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM
	                ", \"tlb\": {\"entries\": 64, \"level\": 2}}",
	                "tlb.level");
}

static void wrong_types_and_missing_keys_are_named(void **state)
{
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanes\": \"8\"}}",
	                "access.lanes");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanes\": 2.5}}",
	                "access.lanes");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"entry_level\": \"l3\"}}",
	                "access.entry_level");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"execute\": {\"rows_from\": \"l2\"}}",
	                "execute.rows_from");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"prefetch\": {\"stream\": 1}}",
	                "prefetch.stream");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"prefetch\": {\"adjacent\": \"yes\"}}",
	                "prefetch.adjacent");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"queue\": 5}", "queue");
	expect_rejected(GOOD_HEAD GOOD_CACHES "}", "dram.latency_ns");
	expect_rejected("{" GOOD_CACHES GOOD_DRAM "}", "clock_ghz");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"name\": \"\"}", "name");
	/* syntax errors say where */
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM, "line 1");
	expect_rejected("[1, 2]", "object");
	expect_rejected(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"clock_ghz\": 3}", "clock_ghz");
}

static void a_file_loads_and_is_named_after_itself(void **state)
{
	char path[] = "/tmp/test_model_machine_XXXXXX.json";
	struct dae_machine m;
	char err[512];
	int fd = mkstemps(path, 5);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanes\": 4}}", f);
	fclose(f);
	assert_int_equal(dae_machine_load(&m, path, err, sizeof(err)), 0);
	assert_int_equal(m.access.lanes, 4);
	assert_non_null(strstr(path, m.name));
	assert_null(strstr(m.name, ".json"));

	f = fopen(path, "w");
	fputs(GOOD_HEAD GOOD_CACHES GOOD_DRAM ", \"access\": {\"lanse\": 4}}", f);
	fclose(f);
	assert_int_equal(dae_machine_load(&m, path, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, path));
	assert_non_null(strstr(err, "access.lanse"));
	unlink(path);
}

static void create_checks_the_fields_again(void **state)
{
	struct dae_machine m;
	struct dae_model *model = NULL;
	char err[256];

	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	m.access.lanes = 0;
	assert_int_equal(dae_model_create(&model, &m), -EINVAL);
	assert_null(model);
	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	m.cache[DAE_MEM_L2].ways = 3;
	assert_int_equal(dae_model_create(&model, &m), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_complete_description_parses_with_defaults),
	        cmocka_unit_test(the_runtime_section_defaults_parses_and_is_checked),
	        cmocka_unit_test(the_presets_all_load),
	        cmocka_unit_test(an_unknown_preset_is_enoent_and_lists_the_presets),
	        cmocka_unit_test(unknown_keys_are_named),
	        cmocka_unit_test(impossible_values_are_named),
	        cmocka_unit_test(wrong_types_and_missing_keys_are_named),
	        cmocka_unit_test(a_file_loads_and_is_named_after_itself),
	        cmocka_unit_test(create_checks_the_fields_again),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
