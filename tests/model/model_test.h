/* Helpers shared by the timing model's tests: machines written as JSON
 * with the few values a test cares about, traces built in memory, and the
 * statistics of a whole trace. */
#ifndef DAE_TEST_MODEL_TEST_H
#define DAE_TEST_MODEL_TEST_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dae/model.h"

/* A growing array of events. */
struct trace {
	struct dae_trace_event *ev;
	size_t n, cap;
};

static inline void tr_add(struct trace *t, enum dae_trace_kind kind, uint64_t addr, uint32_t size,
                          unsigned flags)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 1024;
		t->ev = realloc(t->ev, t->cap * sizeof(*t->ev));
		if (!t->ev)
			abort();
	}
	t->ev[t->n++] = (struct dae_trace_event){addr, size, (uint8_t)kind, (uint8_t)flags, 0};
}

static inline void tr_free(struct trace *t)
{
	free(t->ev);
	memset(t, 0, sizeof(*t));
}

/* xorshift64*: the same "random" lines on every run. */
static inline uint64_t rnd(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545f4914f6cdd1du;
}

/* A machine with small caches, at 1 GHz (so ns are cycles), whose other
 * keys come from `extra` (JSON members, with a leading comma). */
static inline void test_machine(struct dae_machine *m, const char *extra)
{
	char json[4096], err[256];

	snprintf(json, sizeof(json),
	         "{\"name\": \"test\", \"clock_ghz\": 1.0, \"line_bytes\": 64,"
	         " \"caches\": {\"l1\": {\"size_kib\": 4, \"ways\": 4, \"latency_cycles\": 4},"
	         " \"l2\": {\"size_kib\": 16, \"ways\": 8, \"latency_cycles\": 12},"
	         " \"llc\": {\"size_kib\": 64, \"ways\": 16, \"latency_cycles\": 40}}%s}",
	         extra);
	if (dae_machine_parse(m, json, err, sizeof(err)) != 0) {
		fprintf(stderr, "test machine: %s\n%s\n", err, json);
		abort();
	}
}

/* Statistics of the whole trace on m. */
static inline void run(const struct dae_machine *m, const struct trace *t,
                       struct dae_model_stats *st)
{
	struct dae_model *model;

	if (dae_model_create(&model, m) != 0 || dae_model_feed(model, t->ev, t->n) != 0 ||
	    dae_model_stats(model, st) != 0)
		abort();
	dae_model_destroy(model);
}

/* The JSON of the statistics, in a malloc'ed string. */
static inline char *stats_json(const struct dae_model_stats *st)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f || dae_model_stats_write_json(st, f) != 0)
		abort();
	fclose(f);
	return buf;
}

#endif
