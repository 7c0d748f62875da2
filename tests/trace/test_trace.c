/* The access trace of a -DDAE_TRACE build (include/dae/trace.h): what
 * daec's translation of samples/embedding_bag_sum.c records, event by event,
 * and what the timing model makes of it.
 *
 * Each case runs the traced program in a child process, because libdae reads
 * DAE_TRACE_OUT, DAE_MODEL_OUT and DAE_MACHINE once per process and writes
 * the trace file and the statistics at exit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "dae/trace.h"

void orig_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,
                            const int64_t *indices, const int64_t *offsets, int64_t num_bags,
                            float *out);
void o3_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                          const int64_t *offsets, int64_t num_bags, float *out);
void o0_embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim, const int64_t *indices,
                          const int64_t *offsets, int64_t num_bags, float *out);

typedef void bag_fn(const float *, int64_t, int64_t, const int64_t *, const int64_t *, int64_t,
                    float *);

/* Three bags of 2, 0 and 3 lookups over a 7 x 5 table: an empty bag, a
 * repeated row, the first and the last row. */
enum { ROWS = 7, DIM = 5, BAGS = 3, LOOKUPS = 5 };
static float table[ROWS * DIM];
static const int64_t indices[LOOKUPS] = {3, 0, 6, 3, 3};
static const int64_t offsets[BAGS + 1] = {0, 2, 2, 5};

struct run {
	char dir[64];
	char trace[96], stats[96], err[96];
	struct dae_trace_event *ev;
	size_t n;
	int status;
};

/* Runs fn on the data above in a child with the given machine; the child
 * exits 0 when fn's result equals the original's bit for bit. */
static void run_traced(struct run *r, bag_fn *fn, const char *machine)
{
	for (int i = 0; i < ROWS * DIM; i++)
		table[i] = (float)i * 0.25f - 3.0f;
	strcpy(r->dir, "/tmp/daec-trace-XXXXXX");
	assert_non_null(mkdtemp(r->dir));
	snprintf(r->trace, sizeof(r->trace), "%s/t.trace", r->dir);
	snprintf(r->stats, sizeof(r->stats), "%s/s.json", r->dir);
	snprintf(r->err, sizeof(r->err), "%s/stderr", r->dir);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		float want[BAGS * DIM], got[BAGS * DIM];
		if (!freopen(r->err, "w", stderr))
			_exit(4);
		setenv("DAE_TRACE_OUT", r->trace, 1);
		setenv("DAE_MODEL_OUT", r->stats, 1);
		setenv("DAE_MACHINE", machine, 1);
		orig_embedding_bag_sum(table, ROWS, DIM, indices, offsets, BAGS, want);
		memset(got, 0xff, sizeof(got));
		fn(table, ROWS, DIM, indices, offsets, BAGS, got);
		exit(memcmp(want, got, sizeof(got)) == 0 ? 0 : 3); /* exit: atexit writes */
	}
	assert_int_equal(waitpid(pid, &r->status, 0), pid);
	r->ev = NULL;
	r->n = 0;
	FILE *f = fopen(r->trace, "rb");
	if (!f)
		return;
	char magic[DAE_TRACE_MAGIC_LEN];
	assert_int_equal(fread(magic, 1, sizeof(magic), f), sizeof(magic));
	assert_memory_equal(magic, DAE_TRACE_MAGIC, DAE_TRACE_MAGIC_LEN);
	struct dae_trace_event e;
	while (fread(&e, sizeof(e), 1, f) == 1) {
		r->ev = realloc(r->ev, sizeof(e) * (r->n + 1));
		r->ev[r->n++] = e;
	}
	fclose(f);
}

static void run_done(struct run *r)
{
	free(r->ev);
	remove(r->trace);
	remove(r->stats);
	remove(r->err);
	rmdir(r->dir);
}

static void expect(const struct run *r, size_t *i, unsigned kind, const void *addr, uint32_t size,
                   unsigned flags)
{
	assert_true(*i < r->n);
	const struct dae_trace_event *e = &r->ev[*i];
	if (e->kind != kind || e->size != size || e->flags != flags ||
	    (addr && e->addr != (uint64_t)(uintptr_t)addr))
		fail_msg("event %zu: kind %u size %u flags %u addr %#llx; expected kind %u size %u "
		         "flags %u addr %p",
		         *i, e->kind, e->size, e->flags, (unsigned long long)e->addr, kind, size,
		         flags, addr);
	(*i)++;
}

/* At -O3 the access side sends one segment token per bag and the index of
 * every lookup, after loading it and prefetching its row: the trace is the
 * access side's program order, addresses included. */
static void o3_trace_is_the_access_sides_program_order(void **state)
{
	(void)state;
	struct run r;
	run_traced(&r, o3_embedding_bag_sum, "tmu");
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);

	size_t i = 0;
	expect(&r, &i, DAE_TRACE_CALL, NULL, 0, 0);
	for (int b = 0; b < BAGS; b++) {
		expect(&r, &i, DAE_TRACE_TOKEN, NULL, 1, 0);
		/* The bound is read once: the token already carries the trip count. */
		expect(&r, &i, DAE_TRACE_LOAD, &offsets[b + 1], 8, 0);
		expect(&r, &i, DAE_TRACE_LOAD, &offsets[b], 8, 0); /* j = offsets[b] */
		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {
			expect(&r, &i, DAE_TRACE_LOAD, &indices[j], 8, 0);
			expect(&r, &i, DAE_TRACE_ROW, &table[indices[j] * DIM], DIM * sizeof(float),
			       DAE_TRACE_DEP);
			expect(&r, &i, DAE_TRACE_OPERAND, NULL, 1, 0);
		}
	}
	assert_int_equal(i, r.n);
	run_done(&r);
}

/* At -O0 every element of every row is loaded by the access side and sent
 * by value with a token of its own (Ember's emb-opt0). */
static void o0_trace_sends_every_element(void **state)
{
	(void)state;
	struct run r;
	run_traced(&r, o0_embedding_bag_sum, "tmu");
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);

	size_t rows = 0, tokens = 0, operands = 0;
	for (size_t i = 0; i < r.n; i++) {
		const struct dae_trace_event *e = &r.ev[i];
		if (e->kind == DAE_TRACE_ROW) {
			/* Element d of lookup k, in order. */
			size_t k = rows / DIM, d = rows % DIM;
			assert_int_equal(e->size, sizeof(float));
			assert_int_equal(e->flags, DAE_TRACE_DEP);
			assert_true(e->addr == (uint64_t)(uintptr_t)&table[indices[k] * DIM + d]);
			rows++;
		}
		tokens += e->kind == DAE_TRACE_TOKEN;
		operands += e->kind == DAE_TRACE_OPERAND ? e->size : 0;
	}
	assert_int_equal(rows, LOOKUPS * DIM);
	/* A clearing token per output element, a token per element of each row. */
	assert_int_equal(tokens, BAGS * DIM + LOOKUPS * DIM);
	/* (b, d) with each clearing token, (b, d, value) with each element. */
	assert_int_equal(operands, 2 * BAGS * DIM + 3 * LOOKUPS * DIM);
	run_done(&r);
}

static json_int_t get_int(json_t *root, const char *path)
{
	json_t *v = root;
	char buf[128];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *k = strtok(buf, "."); k && v; k = strtok(NULL, "."))
		v = json_object_get(v, k);
	if (!json_is_integer(v))
		fail_msg("no integer at %s", path);
	return json_integer_value(v);
}

/* The statistics the model writes at exit count the events of the trace. */
static void model_statistics_count_the_traced_events(void **state)
{
	(void)state;
	struct run r;
	run_traced(&r, o3_embedding_bag_sum, "tmu");
	assert_int_equal(WEXITSTATUS(r.status), 0);
	json_error_t jerr;
	json_t *st = json_load_file(r.stats, 0, &jerr);
	if (!st)
		fail_msg("%s: %s", r.stats, jerr.text);
	assert_int_equal(get_int(st, "events.rows"), LOOKUPS);
	assert_int_equal(get_int(st, "events.operands"), LOOKUPS);
	assert_int_equal(get_int(st, "events.tokens"), BAGS);
	assert_int_equal(get_int(st, "events.calls"), 1);
	assert_int_equal(get_int(st, "events.loads"), 2 * BAGS + LOOKUPS);
	json_t *cycles = json_object_get(st, "cycles");
	assert_true(json_is_number(cycles) && json_number_value(cycles) > 0);
	json_decref(st);
	run_done(&r);
}

/* A machine that cannot be loaded switches the model off, says so, and
 * changes nothing the program computes. */
static void an_unknown_machine_is_reported_and_harmless(void **state)
{
	(void)state;
	struct run r;
	run_traced(&r, o3_embedding_bag_sum, "no-such-machine");
	assert_true(WIFEXITED(r.status));
	assert_int_equal(WEXITSTATUS(r.status), 0);
	FILE *f = fopen(r.err, "r");
	assert_non_null(f);
	char msg[512] = "";
	size_t n = fread(msg, 1, sizeof(msg) - 1, f);
	fclose(f);
	msg[n] = 0;
	if (!strstr(msg, "DAE_MACHINE=no-such-machine"))
		fail_msg("stderr does not name the machine: %s", msg);
	assert_int_equal(access(r.stats, F_OK), -1);
	/* The trace is still recorded: another machine can replay it. */
	assert_true(r.n > 0);
	run_done(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(o3_trace_is_the_access_sides_program_order),
	        cmocka_unit_test(o0_trace_sends_every_element),
	        cmocka_unit_test(model_statistics_count_the_traced_events),
	        cmocka_unit_test(an_unknown_machine_is_reported_and_harmless),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
