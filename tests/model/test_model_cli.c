/* dae-model, the command: it reads trace files, prints the statistics,
 * draws the picture, and fails clearly on bad input. DAE_MODEL_EXE names
 * the executable (ctest sets it). */
#include <errno.h>
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

#include "model_test.h"

static char dir[] = "/tmp/test_model_cli_XXXXXX";

static const char *exe(void)
{
	const char *e = getenv("DAE_MODEL_EXE");

	if (!e || !*e)
		fail_msg("DAE_MODEL_EXE is not set");
	return e;
}

static char *path_in_dir(const char *name)
{
	static char buf[8][512];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, 512, "%s/%s", dir, name);
	return p;
}

/* Writes a trace file: the magic, then each event in little-endian
 * order (the bytes are assembled by hand, whatever the host). */
static void write_trace(const char *path, const struct trace *t, const char *magic, size_t extra)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	fwrite(magic, 1, DAE_TRACE_MAGIC_LEN, f);
	for (size_t i = 0; i < t->n; i++) {
		unsigned char b[16];
		const struct dae_trace_event *e = &t->ev[i];

		for (int k = 0; k < 8; k++)
			b[k] = (unsigned char)(e->addr >> (8 * k));
		for (int k = 0; k < 4; k++)
			b[8 + k] = (unsigned char)(e->size >> (8 * k));
		b[12] = e->kind;
		b[13] = e->flags;
		b[14] = b[15] = 0;
		fwrite(b, 1, 16, f);
	}
	for (size_t i = 0; i < extra; i++)
		fputc(0, f);
	assert_int_equal(fclose(f), 0);
}

static void small_trace(struct trace *t, uint64_t seed)
{
	tr_add(t, DAE_TRACE_CALL, 0, 0, 0);
	for (int i = 0; i < 5000; i++) {
		tr_add(t, DAE_TRACE_LOAD, 0x7e0000000000u + 8 * (uint64_t)i, 8, 0);
		tr_add(t, DAE_TRACE_ROW, 0x7f0000000000u + (rnd(&seed) % 100000) * 256, 256,
		       DAE_TRACE_DEP);
		tr_add(t, DAE_TRACE_TOKEN, 0, 1, 0);
		tr_add(t, DAE_TRACE_OPERAND, 0, 1, 0);
	}
}

/* Runs the command through sh with stdout and stderr to files; returns
 * its exit status. */
static int sh(const char *args)
{
	char cmd[4096];
	int st;

	snprintf(cmd, sizeof(cmd), "'%s' %s >'%s' 2>'%s'", exe(), args, path_in_dir("stdout"),
	         path_in_dir("stderr"));
	st = system(cmd);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, 1 << 20);

	assert_non_null(f);
	assert_non_null(buf);
	size_t n = fread(buf, 1, (1 << 20) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static int setup(void **state)
{
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void it_prints_the_library_s_json(void **state)
{
	struct trace t = {0};
	struct dae_machine m;
	struct dae_model_stats st;
	char err[256], args[1024];

	small_trace(&t, 1);
	write_trace(path_in_dir("a.trace"), &t, DAE_TRACE_MAGIC, 0);
	snprintf(args, sizeof(args), "--machine host '%s'", path_in_dir("a.trace"));
	assert_int_equal(sh(args), 0);

	/* The same as the library gives for the same events. */
	assert_int_equal(dae_machine_load(&m, "host", err, sizeof(err)), 0);
	run(&m, &t, &st);
	char *want = stats_json(&st);
	char *got = slurp(path_in_dir("stdout"));
	assert_string_equal(got, want);
	free(want);

	json_error_t jerr;
	json_t *root = json_loads(got, 0, &jerr);
	assert_non_null(root);
	assert_string_equal(json_string_value(json_object_get(root, "machine")), "host");
	assert_int_equal(
	        json_integer_value(json_object_get(json_object_get(root, "events"), "rows")), 5000);
	json_decref(root);
	free(got);
	tr_free(&t);
}

static void several_traces_replay_on_one_model_and_json_goes_to_a_file(void **state)
{
	struct trace a = {0}, b = {0}, ab = {0};
	struct dae_machine m;
	struct dae_model_stats st;
	char err[256], args[1024];

	small_trace(&a, 1);
	small_trace(&b, 2);
	small_trace(&ab, 1);
	small_trace(&ab, 2);
	write_trace(path_in_dir("a.trace"), &a, DAE_TRACE_MAGIC, 0);
	write_trace(path_in_dir("b.trace"), &b, DAE_TRACE_MAGIC, 0);
	snprintf(args, sizeof(args), "--json '%s' '%s' '%s'", path_in_dir("out.json"),
	         path_in_dir("a.trace"), path_in_dir("b.trace"));
	assert_int_equal(sh(args), 0);
	char *out = slurp(path_in_dir("stdout"));
	assert_string_equal(out, "");
	free(out);

	assert_int_equal(dae_machine_load(&m, "tmu", err, sizeof(err)), 0);
	run(&m, &ab, &st);
	char *want = stats_json(&st);
	char *got = slurp(path_in_dir("out.json"));
	assert_string_equal(got, want);
	free(want);
	free(got);
	tr_free(&a);
	tr_free(&b);
	tr_free(&ab);
}

static void it_draws_the_picture(void **state)
{
	struct trace t = {0};
	char args[1024];
	unsigned char head[8] = {0};

	if (system("command -v gnuplot >/dev/null 2>&1") != 0)
		skip();
	small_trace(&t, 3);
	write_trace(path_in_dir("p.trace"), &t, DAE_TRACE_MAGIC, 0);
	snprintf(args, sizeof(args), "--plot '%s' '%s'", path_in_dir("p.png"),
	         path_in_dir("p.trace"));
	assert_int_equal(sh(args), 0);
	FILE *f = fopen(path_in_dir("p.png"), "rb");
	assert_non_null(f);
	assert_int_equal(fread(head, 1, 8, f), 8);
	fclose(f);
	assert_memory_equal(head, "\x89PNG\r\n\x1a\n", 8);
	tr_free(&t);
}

static void expect_failure(const char *args, int status, const char *message)
{
	assert_int_equal(sh(args), status);
	char *err = slurp(path_in_dir("stderr"));
	if (!strstr(err, message))
		fail_msg("stderr \"%s\" does not say \"%s\"", err, message);
	free(err);
}

static void bad_input_fails_clearly(void **state)
{
	struct trace t = {0};
	char args[1024];

	small_trace(&t, 4);
	write_trace(path_in_dir("bad_magic.trace"), &t, "NOTATRACE\x01\0\0\0\0\0\0", 0);
	write_trace(path_in_dir("truncated.trace"), &t, DAE_TRACE_MAGIC, 5);
	t.ev[7].kind = 9;
	write_trace(path_in_dir("bad_kind.trace"), &t, DAE_TRACE_MAGIC, 0);

	expect_failure("", 2, "no trace file");
	expect_failure("--frobnicate x", 2, "unknown option --frobnicate");
	expect_failure("--machine", 2, "--machine needs a value");
	snprintf(args, sizeof(args), "'%s'", path_in_dir("missing.trace"));
	expect_failure(args, 1, "missing.trace");
	snprintf(args, sizeof(args), "'%s'", path_in_dir("bad_magic.trace"));
	expect_failure(args, 1, "not a trace file");
	snprintf(args, sizeof(args), "'%s'", path_in_dir("truncated.trace"));
	expect_failure(args, 1, "truncated");
	snprintf(args, sizeof(args), "'%s'", path_in_dir("bad_kind.trace"));
	expect_failure(args, 1, "event 7");
	snprintf(args, sizeof(args), "--machine nosuch '%s'", path_in_dir("bad_kind.trace"));
	expect_failure(args, 1, "nosuch");
	assert_int_equal(sh("--help"), 0);
	tr_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(it_prints_the_library_s_json),
	        cmocka_unit_test(several_traces_replay_on_one_model_and_json_goes_to_a_file),
	        cmocka_unit_test(it_draws_the_picture),
	        cmocka_unit_test(bad_input_fails_clearly),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
