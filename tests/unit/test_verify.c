/* daec's check of its own output (--verify): a rewritten file is parsed in
 * place of the original, with the same arguments, before it is written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "frontend.h"

static char path[64];

static int setup(void **state)
{
	strcpy(path, "/tmp/daec_verifyXXXXXX.c");
	int fd = mkstemps(path, 2);
	if (fd < 0)
		return -1;
	const char *src = "#define N 4\nint f(const int *a) { return a[N]; }\n";
	if (write(fd, src, strlen(src)) != (ssize_t)strlen(src))
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static void a_clean_output_has_no_errors(void **state)
{
	static const char *const args[] = {"-std=c11"};
	struct frontend_opts o = {path, args, 1, NULL};
	const char *out = "#define N 4\nint f(const int *a) { return a[N] + 1; }\n";
	unsigned offs[4];
	int n = -1;
	assert_int_equal(frontend_check_output(&o, out, strlen(out), offs, 4, &n), 0);
	assert_int_equal(n, 0);
}

static void a_broken_output_is_caught_where_it_breaks(void **state)
{
	struct frontend_opts o = {path, NULL, 0, NULL};
	const char *out = "#define N 4\nint f(const int *a) { return a[N] + undeclared; }\n";
	unsigned offs[4];
	int n = 0;
	/* The check reads the buffer, not the file on disk (which is fine). */
	assert_true(frontend_check_output(&o, out, strlen(out), offs, 4, &n) >= 1);
	assert_int_equal(n, 1);
	assert_int_equal(offs[0], (unsigned)(strstr(out, "undeclared") - out));
}

static void the_same_arguments_are_used(void **state)
{
	/* N comes only from the command line: without it the output breaks. */
	static const char *const args[] = {"-DM=4"};
	struct frontend_opts with = {path, args, 1, NULL}, without = {path, NULL, 0, NULL};
	const char *out = "int f(const int *a) { return a[M]; }\n";
	unsigned offs[1];
	int n;
	assert_int_equal(frontend_check_output(&with, out, strlen(out), offs, 1, &n), 0);
	assert_true(frontend_check_output(&without, out, strlen(out), offs, 1, &n) >= 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(a_clean_output_has_no_errors),
	        cmocka_unit_test(a_broken_output_is_caught_where_it_breaks),
	        cmocka_unit_test(the_same_arguments_are_used),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
