/* The lookup-compute builder: which loops become access streams, what the
 * execute side receives, and when daec refuses to touch a function. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "dlc.h"
#include "frontend.h"
#include "ir_util.h"
#include "slc.h"

struct built {
	struct arena a;
	struct ir_unit u;
	struct slc_program p;
	struct slc_decline why;
	int rc;
	char path[64];
};

/* Parses src (optionally with extra compiler arguments) and builds the
 * lookup-compute program of function fn. */
static struct built *build_args(const char *src, const char *fn, const char *const *args, int nargs)
{
	struct built *b = calloc(1, sizeof(*b));
	strcpy(b->path, "/tmp/daec_slcXXXXXX.c");
	int fd = mkstemps(b->path, 2);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, src, strlen(src)), (ssize_t)strlen(src));
	close(fd);
	arena_init(&b->a);
	struct diag d;
	diag_init(&d, stderr);
	struct frontend_opts o = {b->path, args, nargs, NULL};
	assert_int_equal(frontend_parse(&o, &b->a, &d, &b->u), 0);
	struct ir_func *f = NULL;
	for (int i = 0; i < b->u.nfuncs; i++)
		if (!strcmp(b->u.funcs[i]->name, fn))
			f = b->u.funcs[i];
	assert_non_null(f);
	b->rc = slc_build(&b->a, &b->u, f, &b->p, &b->why);
	if (b->rc == 0) {
		const char *msg = NULL;
		assert_int_equal(slc_verify(&b->p, &msg), 0);
	}
	return b;
}

static struct built *build(const char *src, const char *fn)
{
	return build_args(src, fn, NULL, 0);
}

static void done(struct built *b)
{
	unlink(b->path);
	arena_exit(&b->a);
	free(b);
}

static void assert_declined(struct built *b, const char *reason_part)
{
	assert_int_equal(b->rc, -1);
	assert_non_null(b->why.reason);
	if (!strstr(b->why.reason, reason_part))
		fail_msg("reason \"%s\" does not mention \"%s\"", b->why.reason, reason_part);
}

static int count_kind(const struct ptrvec *nodes, enum slc_node_kind k)
{
	int n = 0;
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *x = nodes->v[i];
		n += x->kind == k;
		n += count_kind(&x->body, k) + count_kind(&x->else_body, k);
	}
	return n;
}

static const struct slc_node *first_kind(const struct ptrvec *nodes, enum slc_node_kind k)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *x = nodes->v[i];
		if (x->kind == k)
			return x;
		const struct slc_node *y = first_kind(&x->body, k);
		if (y)
			return y;
	}
	return NULL;
}

static const char *bag_sum = "#include <stdint.h>\n"
                             "void bag(const float *table, int64_t dim, const int64_t *indices,\n"
                             "         const int64_t *offsets, int64_t nbags, float *out)\n"
                             "{\n"
                             "	for (int64_t b = 0; b < nbags; b++) {\n"
                             "		for (int64_t d = 0; d < dim; d++)\n"
                             "			out[b * dim + d] = 0.0f;\n"
                             "		for (int64_t j = offsets[b]; j < offsets[b + 1]; j++) {\n"
                             "			int64_t idx = indices[j];\n"
                             "			for (int64_t d = 0; d < dim; d++)\n"
                             "				out[b * dim + d] += table[idx * dim + d];\n"
                             "		}\n"
                             "	}\n"
                             "}\n";

static void embedding_bag_becomes_two_nested_streams(void **state)
{
	struct built *b = build(bag_sum, "bag");
	assert_int_equal(b->rc, 0);
	assert_string_equal(b->p.op, "embedding-bag-sum");
	/* The bag loop and the lookup loop are streams; the dimension loops are not. */
	assert_int_equal(count_kind(&b->p.top, SLC_LOOP), 2);
	assert_int_equal(b->p.callbacks.n, 2);
	const struct slc_callback *zero = b->p.callbacks.v[0], *add = b->p.callbacks.v[1];
	assert_int_equal(zero->event, SLC_EV_BEGIN);
	assert_int_equal(add->event, SLC_EV_ITER);
	/* The accumulation receives the bag and the loaded index, and its row is prefetched. */
	assert_int_equal(add->ops.n, 2);
	assert_string_equal(((struct slc_operand *)add->ops.v[0])->name, "b");
	assert_string_equal(((struct slc_operand *)add->ops.v[1])->name, "idx");
	assert_int_equal(add->pfs.n, 1);
	assert_non_null(((struct slc_prefetch *)add->pfs.v[0])->bytes);
	/* float outputs cannot alias int64 indices without undefined behaviour. */
	assert_int_equal(b->p.guards.n, 0);
	done(b);
}

static void decoupled_program_pushes_what_it_pops(void **state)
{
	struct built *b = build(bag_sum, "bag");
	assert_int_equal(b->rc, 0);
	struct dlc_program d;
	assert_int_equal(dlc_decouple(&b->a, &b->p, &d), 0);
	const char *msg = "unset";
	assert_int_equal(dlc_verify(&d, &msg), 0);
	assert_null(msg);
	/* Swapping two pops of a case must be caught. */
	struct dlc_case *c = d.cases.v[1];
	void *t = c->pops.v[0];
	c->pops.v[0] = c->pops.v[1];
	c->pops.v[1] = t;
	assert_int_equal(dlc_verify(&d, &msg), -1);
	assert_non_null(msg);
	done(b);
}

static void inline_index_load_is_hoisted_with_its_trip_condition(void **state)
{
	struct built *b = build("#include <stdint.h>\n"
	                        "void f(const float *t, int dim, const int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		for (int d = 0; d < dim; d++)\n"
	                        "			o[i * dim + d] = t[ix[i] * dim + d];\n"
	                        "}\n",
	                        "f");
	assert_int_equal(b->rc, 0);
	assert_string_equal(b->p.op, "gather");
	const struct slc_callback *cb = b->p.callbacks.v[0];
	const struct slc_operand *hoisted = NULL;
	for (int i = 0; i < cb->ops.n; i++)
		if (((struct slc_operand *)cb->ops.v[i])->load)
			hoisted = cb->ops.v[i];
	assert_non_null(hoisted);
	/* ix[i] is only read when the dimension loop runs at least once. */
	assert_non_null(hoisted->cond);
	assert_non_null(strstr(hoisted->cond, "dim"));
	done(b);
}

static void cursor_and_early_return_stay_on_the_access_side(void **state)
{
	struct built *b =
	        build("#include <stdint.h>\n"
	              "int sls(const float *t, int64_t rows, int64_t dim, const int64_t *ix,\n"
	              "        const int *len, int n, float *o)\n"
	              "{\n"
	              "	int64_t pos = 0;\n"
	              "	for (int s = 0; s < n; s++) {\n"
	              "		for (int64_t d = 0; d < dim; d++)\n"
	              "			o[s * dim + d] = 0;\n"
	              "		for (int k = 0; k < len[s]; k++) {\n"
	              "			int64_t idx = ix[pos++];\n"
	              "			if (idx < 0 || idx >= rows)\n"
	              "				return -1;\n"
	              "			for (int64_t d = 0; d < dim; d++)\n"
	              "				o[s * dim + d] += t[idx * dim + d];\n"
	              "		}\n"
	              "	}\n"
	              "	return 0;\n"
	              "}\n",
	              "sls");
	assert_int_equal(b->rc, 0);
	assert_string_equal(b->p.op, "sparse-lengths-sum");
	/* Both returns end the access side; each carries its value in a callback. */
	assert_int_equal(count_kind(&b->p.top, SLC_RETURN), 2);
	assert_int_equal(count_kind(&b->p.top, SLC_IF), 1);
	const struct slc_node *ret = first_kind(&b->p.top, SLC_RETURN);
	assert_non_null(ret->cb);
	assert_int_equal(ret->cb->event, SLC_EV_RETURN);
	/* pos never reaches the execute side. */
	for (int i = 0; i < b->p.exec_received.n; i++)
		assert_string_not_equal(((struct ir_var *)b->p.exec_received.v[i])->name, "pos");
	done(b);
}

static void writing_the_index_array_is_refused(void **state)
{
	struct built *b = build("void f(const float *t, int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++) {\n"
	                        "		o[i] = t[ix[i]];\n"
	                        "		ix[i] = 0;\n"
	                        "	}\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "loop writes the index array ix");
	done(b);
}

static void unknown_call_is_refused(void **state)
{
	struct built *b = build("float g(float);\n"
	                        "void f(const float *t, const int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		o[i] = g(t[ix[i]]);\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "call to an unknown function (g)");
	done(b);
}

static void exit_decided_by_computed_values_is_refused(void **state)
{
	struct built *b =
	        build("void f(const float *t, const int *ix, const int *off, int n, float *o)\n"
	              "{\n"
	              "	for (int b = 0; b < n; b++)\n"
	              "		for (int j = off[b]; j < off[b + 1]; j++) {\n"
	              "			for (int d = 0; d < 4; d++) {\n"
	              "				o[b * 4 + d] += t[ix[j] * 4 + d];\n"
	              "				if (o[b * 4 + d] > 100.0f)\n"
	              "					return;\n"
	              "			}\n"
	              "		}\n"
	              "}\n",
	              "f");
	assert_declined(b, "depends on o, which the loop writes");
	done(b);
}

static void dense_loop_is_not_a_lookup(void **state)
{
	struct built *b = build("void axpy(int n, float a, const float *x, float *y)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		y[i] += a * x[i];\n"
	                        "}\n",
	                        "axpy");
	assert_declined(b, "no indirect lookup");
	assert_true(b->why.has_loops);
	done(b);
}

static void switch_statement_is_refused(void **state)
{
	struct built *b = build("void f(const float *t, const int *ix, int n, float *o, int mode)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++) {\n"
	                        "		switch (mode) {\n"
	                        "		case 0: o[i] = t[ix[i]]; break;\n"
	                        "		default: o[i] = 0;\n"
	                        "		}\n"
	                        "	}\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "switch");
	done(b);
}

static void statement_mixing_cursor_and_store_is_refused(void **state)
{
	struct built *b = build("void f(const float *t, const int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	int pos = 0;\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		o[i] = t[ix[pos++]];\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "mixes index arithmetic (pos) with a store");
	done(b);
}

static const char *gather_i64 =
        "#include <stdint.h>\n"
        "void g(const int64_t *t, int64_t dim, const int64_t *ix, int64_t n,\n"
        "       int64_t *o)\n"
        "{\n"
        "	for (int64_t i = 0; i < n; i++) {\n"
        "		int64_t idx = ix[i];\n"
        "		for (int64_t d = 0; d < dim; d++)\n"
        "			o[i * dim + d] = t[idx * dim + d];\n"
        "	}\n"
        "}\n";

static void same_element_type_needs_a_runtime_check(void **state)
{
	struct built *b = build(gather_i64, "g");
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->p.guards.n, 1);
	assert_string_equal(b->p.aliasing, "run-time overlap check");
	done(b);
}

static void restrict_output_needs_no_check(void **state)
{
	struct built *b =
	        build("#include <stdint.h>\n"
	              "void g(const int64_t *t, int64_t dim, const int64_t *ix, int64_t n,\n"
	              "       int64_t *restrict o)\n"
	              "{\n"
	              "	for (int64_t i = 0; i < n; i++)\n"
	              "		for (int64_t d = 0; d < dim; d++)\n"
	              "			o[i * dim + d] = t[ix[i] * dim + d];\n"
	              "}\n",
	              "g");
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->p.guards.n, 0);
	assert_string_equal(b->p.aliasing, "restrict");
	done(b);
}

static void no_strict_aliasing_turns_type_reasoning_off(void **state)
{
	static const char *const args[] = {"-fno-strict-aliasing"};
	struct built *b = build_args(bag_sum, "bag", args, 1);
	/* Floats may now overwrite the int64 offsets: a check is needed. */
	assert_int_equal(b->rc, 0);
	assert_true(b->p.guards.n > 0);
	done(b);
}

static void memset_before_the_lookups_is_fenced(void **state)
{
	struct built *b = build("#include <stdint.h>\n#include <string.h>\n"
	                        "void g(const float *t, int dim, const int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	memset(o, 0, (size_t)n * dim * sizeof(float));\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		for (int d = 0; d < dim; d++)\n"
	                        "			o[i * dim + d] += t[ix[i] * dim + d];\n"
	                        "}\n",
	                        "g");
	/* memset writes bytes, which may be any type; the access side waits for
	 * it to finish before reading an index, so no check is needed. */
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->p.guards.n, 0);
	const struct slc_callback *first = b->p.callbacks.v[0];
	assert_int_equal(first->event, SLC_EV_ENTRY);
	assert_true(first->fence);
	done(b);
}

static void memset_inside_the_loop_needs_a_check(void **state)
{
	struct built *b =
	        build("#include <stdint.h>\n#include <string.h>\n"
	              "void g(const float *t, int dim, const int *ix, int n, float *o)\n"
	              "{\n"
	              "	for (int i = 0; i < n; i++) {\n"
	              "		memset(o + i * dim, 0, (size_t)dim * sizeof(float));\n"
	              "		for (int d = 0; d < dim; d++)\n"
	              "			o[i * dim + d] += t[ix[i] * dim + d];\n"
	              "	}\n"
	              "}\n",
	              "g");
	assert_int_equal(b->rc, 0);
	assert_true(b->p.guards.n > 0);
	done(b);
}

static void pure_helper_in_the_same_file_is_accepted(void **state)
{
	struct built *b =
	        build("static inline int len(const int *off, int b)\n"
	              "{\n"
	              "	return off[b + 1] - off[b];\n"
	              "}\n"
	              "void f(const float *t, const int *ix, const int *off, int n, float *o)\n"
	              "{\n"
	              "	for (int b = 0; b < n; b++) {\n"
	              "		int k = len(off, b);\n"
	              "		o[b] = 0;\n"
	              "		for (int j = off[b]; j < off[b + 1]; j++)\n"
	              "			o[b] += t[ix[j]];\n"
	              "		if (k)\n"
	              "			o[b] /= k;\n"
	              "	}\n"
	              "}\n",
	              "f");
	assert_int_equal(b->rc, 0);
	done(b);
}

static void helper_with_side_effects_is_refused(void **state)
{
	struct built *b = build("static int calls;\n"
	                        "static float count(float x)\n"
	                        "{\n"
	                        "	return calls++, x;\n"
	                        "}\n"
	                        "void f(const float *t, const int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		o[i] = count(t[ix[i]]);\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "unknown function (count)");
	done(b);
}

static void callee_writing_through_its_parameters_may_be_called(void **state)
{
	struct built *b =
	        build("static void bag(const float *t, const int *ix, const int *off, int n,\n"
	              "		float *o)\n"
	              "{\n"
	              "	for (int b = 0; b < n; b++) {\n"
	              "		float *row = o + b;\n"
	              "		*row = 0;\n"
	              "		for (int j = off[b]; j < off[b + 1]; j++)\n"
	              "			*row += t[ix[j]];\n"
	              "	}\n"
	              "}\n"
	              "void fwd(const float **t, const int **ix, const int **off, int nt, int n,\n"
	              "	 float *o)\n"
	              "{\n"
	              "	for (int k = 0; k < nt; k++) {\n"
	              "		if (k % 2) {\n"
	              "			bag(t[k], ix[k], off[k], n, o + k * n);\n"
	              "			continue;\n"
	              "		}\n"
	              "		for (int b = 0; b < n; b++) {\n"
	              "			o[k * n + b] = 0;\n"
	              "			for (int j = off[k][b]; j < off[k][b + 1]; j++)\n"
	              "				o[k * n + b] += t[k][ix[k][j]];\n"
	              "		}\n"
	              "	}\n"
	              "}\n",
	              "fwd");
	/* bag stores floats through o only: it cannot touch the int indices. */
	assert_int_equal(b->rc, 0);
	done(b);
}

static void callee_that_may_write_the_indices_is_refused(void **state)
{
	struct built *b =
	        build("static void count(int *c, int k)\n"
	              "{\n"
	              "	c[k] += 1;\n"
	              "}\n"
	              "void f(const float *t, const int *ix, int n, float *o, int *hits)\n"
	              "{\n"
	              "	for (int i = 0; i < n; i++) {\n"
	              "		o[i] = t[ix[i]];\n"
	              "		count(hits, i);\n"
	              "	}\n"
	              "}\n",
	              "f");
	assert_declined(b, "call to count may write memory the access side reads ahead");
	done(b);
}

static void struct_fields_are_values_not_indices(void **state)
{
	struct built *b = build("struct layer { int in, out; const float *w; };\n"
	                        "void linear(const struct layer *L, const float *x, float *y)\n"
	                        "{\n"
	                        "	for (int o = 0; o < L->out; o++) {\n"
	                        "		float acc = 0;\n"
	                        "		for (int i = 0; i < L->in; i++)\n"
	                        "			acc += L->w[o * L->in + i] * x[i];\n"
	                        "		y[o] = acc;\n"
	                        "	}\n"
	                        "}\n",
	                        "linear");
	/* L->w, L->in: loads from fixed addresses, nothing looked up. */
	assert_declined(b, "no indirect lookup");
	done(b);
}

static void exits_without_a_lookup_are_not_a_lookup(void **state)
{
	struct built *b = build("int first_above(const float *a, int n, float t)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		if (a[i] > t)\n"
	                        "			return i;\n"
	                        "	return -1;\n"
	                        "}\n",
	                        "first_above");
	assert_declined(b, "no indirect lookup");
	done(b);
}

static void floating_point_index_arithmetic_is_refused(void **state)
{
	struct built *b =
	        build("void bucket(float *o, const float *t, const float *x, int n, float s)\n"
	              "{\n"
	              "	for (int i = 0; i < n; i++) {\n"
	              "		int k = (int)(x[i] * s);\n"
	              "		o[i] = t[k];\n"
	              "	}\n"
	              "}\n",
	              "bucket");
	/* The worker thread's rounding mode is not the caller's. */
	assert_declined(b, "computed with floating point");
	done(b);
}

static void writes_after_the_last_lookup_need_no_proof(void **state)
{
	struct built *b =
	        build("struct node { int n; int *ix; struct node *next; };\n"
	              "float sum_then_link(struct node *f, const float *t, struct node *b)\n"
	              "{\n"
	              "	float s = 0;\n"
	              "	for (int i = 0; i < f->n; i++)\n"
	              "		s += t[f->ix[i]];\n"
	              "	f->next = b;\n"
	              "	return s;\n"
	              "}\n",
	              "sum_then_link");
	/* f->next is written after the access side has read everything. */
	assert_int_equal(b->rc, 0);
	done(b);
}

static void same_names_from_sibling_blocks_are_renamed(void **state)
{
	struct built *b =
	        build("void two(const float *t0, const float *t1, const long *i0, const long *i1,\n"
	              "	 int n, float *o)\n"
	              "{\n"
	              "	for (int k = 0; k < n; k++) {\n"
	              "		{\n"
	              "			const float *row = t0 + i0[k];\n"
	              "			o[k] = *row;\n"
	              "		}\n"
	              "		{\n"
	              "			const float *row = t1 + i1[k];\n"
	              "			o[k] += *row;\n"
	              "		}\n"
	              "	}\n"
	              "}\n",
	              "two");
	/* Both rows are received at the top of the execute function. */
	assert_int_equal(b->rc, 0);
	assert_int_equal(b->p.renames.n, 1);
	const struct slc_rename *r = b->p.renames.v[0];
	assert_string_equal(r->name, "row_2");
	done(b);
}

static void volatile_memory_is_refused(void **state)
{
	struct built *b = build("void f(const float *t, const volatile int *ix, int n, float *o)\n"
	                        "{\n"
	                        "	for (int i = 0; i < n; i++)\n"
	                        "		o[i] = t[ix[i]];\n"
	                        "}\n",
	                        "f");
	assert_declined(b, "volatile memory access");
	done(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	        cmocka_unit_test(embedding_bag_becomes_two_nested_streams),
	        cmocka_unit_test(decoupled_program_pushes_what_it_pops),
	        cmocka_unit_test(inline_index_load_is_hoisted_with_its_trip_condition),
	        cmocka_unit_test(cursor_and_early_return_stay_on_the_access_side),
	        cmocka_unit_test(writing_the_index_array_is_refused),
	        cmocka_unit_test(unknown_call_is_refused),
	        cmocka_unit_test(exit_decided_by_computed_values_is_refused),
	        cmocka_unit_test(dense_loop_is_not_a_lookup),
	        cmocka_unit_test(switch_statement_is_refused),
	        cmocka_unit_test(statement_mixing_cursor_and_store_is_refused),
	        cmocka_unit_test(same_element_type_needs_a_runtime_check),
	        cmocka_unit_test(restrict_output_needs_no_check),
	        cmocka_unit_test(no_strict_aliasing_turns_type_reasoning_off),
	        cmocka_unit_test(memset_before_the_lookups_is_fenced),
	        cmocka_unit_test(memset_inside_the_loop_needs_a_check),
	        cmocka_unit_test(pure_helper_in_the_same_file_is_accepted),
	        cmocka_unit_test(helper_with_side_effects_is_refused),
	        cmocka_unit_test(callee_writing_through_its_parameters_may_be_called),
	        cmocka_unit_test(callee_that_may_write_the_indices_is_refused),
	        cmocka_unit_test(struct_fields_are_values_not_indices),
	        cmocka_unit_test(exits_without_a_lookup_are_not_a_lookup),
	        cmocka_unit_test(floating_point_index_arithmetic_is_refused),
	        cmocka_unit_test(writes_after_the_last_lookup_need_no_proof),
	        cmocka_unit_test(same_names_from_sibling_blocks_are_renamed),
	        cmocka_unit_test(volatile_memory_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
