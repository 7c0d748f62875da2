/* The front end: C snippets are written to a temporary directory, parsed with
 * frontend_parse, and the lifted IR is checked against what the source says. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "frontend.h"
#include "ir_dump.h"

/* ---- fixture ---- */

struct fx {
	char dir[64];
	char path[128];
	char files[8][160];
	int nfiles;
	struct arena a;
	struct diag d;
	char *diags; /* everything reported, after lift() */
	size_t ndiags;
	FILE *dout;
	struct ir_unit u;
	int rc;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	const char *tmp = getenv("TMPDIR");
	snprintf(f->dir, sizeof(f->dir), "%s/daec-lift-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/t.c", f->dir);
	arena_init(&f->a);
	f->dout = open_memstream(&f->diags, &f->ndiags);
	diag_init(&f->d, f->dout);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	if (f->dout)
		fclose(f->dout);
	free(f->diags);
	for (int i = 0; i < f->nfiles; i++)
		unlink(f->files[i]);
	rmdir(f->dir);
	arena_exit(&f->a);
	free(f);
	return 0;
}

static void write_file(struct fx *f, const char *name, const char *text)
{
	assert_true(f->nfiles < 8);
	char *p = f->files[f->nfiles++];
	int n = snprintf(NULL, 0, "%s/%s", f->dir, name);
	assert_true(n > 0 && (size_t)n < sizeof(f->files[0]));
	memcpy(p, f->dir, strlen(f->dir));
	p[strlen(f->dir)] = '/';
	strcpy(p + strlen(f->dir) + 1, name);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

/* Parses src as t.c with the given compiler arguments (NULL-terminated). */
static int lift_args(struct fx *f, const char *src, ...)
{
	const char *args[16];
	int n = 0;
	va_list ap;
	va_start(ap, src);
	for (const char *s; n < 16 && (s = va_arg(ap, const char *));)
		args[n++] = s;
	va_end(ap);
	if (src)
		write_file(f, "t.c", src);
	struct frontend_opts o = {f->path, args, n, NULL};
	f->rc = frontend_parse(&o, &f->a, &f->d, &f->u);
	fflush(f->dout);
	return f->rc;
}

#define lift(f, src) lift_args((f), (src), (const char *)NULL)

/* The source text a span covers. */
static const char *text(struct fx *f, struct ir_span s)
{
	assert_true(s.begin <= s.end);
	assert_true(s.end <= f->u.len);
	return arena_strndup(&f->a, f->u.buf + s.begin, s.end - s.begin);
}

static const struct ir_func *func(struct fx *f, const char *name)
{
	for (int i = 0; i < f->u.nfuncs; i++)
		if (strcmp(f->u.funcs[i]->name, name) == 0)
			return f->u.funcs[i];
	fail_msg("no function %s", name);
	return NULL;
}

static const struct ir_var *var(const struct ir_func *fn, const char *name)
{
	for (int i = 0; i < fn->nvars; i++)
		if (strcmp(fn->vars[i]->name, name) == 0)
			return fn->vars[i];
	fail_msg("no variable %s in %s", name, fn->name);
	return NULL;
}

static const struct ir_stmt *kid(const struct ir_stmt *s, int i)
{
	assert_int_equal(s->kind, IR_S_BLOCK);
	assert_true(i < s->nkids);
	return s->kids[i];
}

/* The expression of the i-th statement of the body (an EXPR statement). */
static const struct ir_expr *body_expr(const struct ir_func *fn, int i)
{
	const struct ir_stmt *s = kid(fn->body, i);
	assert_int_equal(s->kind, IR_S_EXPR);
	assert_non_null(s->expr);
	return s->expr;
}

static void assert_var(const struct ir_expr *e, const char *name)
{
	assert_non_null(e);
	assert_int_equal(e->kind, IR_E_VAR);
	assert_string_equal(e->var->name, name);
}

/* Every statement id is its pre-order position; every expression outside
 * macros spans its own text, inside its parent's span. */
static int check_expr_tree(struct fx *f, const struct ir_expr *e, struct ir_span outer)
{
	if (!e)
		return 0;
	assert_true(e->span.begin >= outer.begin && e->span.end <= outer.end);
	assert_true(e->span.end > e->span.begin);
	assert_true(e->loc.line > 0 && e->loc.col > 0);
	assert_non_null(e->type);
	if (!e->in_macro) {
		const char *t = text(f, e->span);
		size_t len = strlen(t);
		switch (e->kind) {
		case IR_E_VAR:
			assert_string_equal(t, e->var->name);
			break;
		case IR_E_CONST:
			assert_string_equal(t, e->text);
			break;
		case IR_E_INDEX:
			assert_int_equal(t[len - 1], ']');
			break;
		case IR_E_PAREN:
			assert_int_equal(t[0], '(');
			assert_int_equal(t[len - 1], ')');
			break;
		case IR_E_CAST:
			assert_int_equal(t[0], '(');
			assert_non_null(strstr(t, e->text));
			break;
		case IR_E_CALL:
			assert_int_equal(strncmp(t, e->text, strlen(e->text)), 0);
			assert_int_equal(t[len - 1], ')');
			break;
		case IR_E_MEMBER:
			assert_string_equal(t + len - strlen(e->text), e->text);
			assert_non_null(strstr(t, e->arrow ? "->" : "."));
			break;
		case IR_E_DEREF:
			assert_int_equal(t[0], '*');
			break;
		case IR_E_ADDROF:
			assert_int_equal(t[0], '&');
			break;
		default:
			break;
		}
	}
	int n = 1;
	n += check_expr_tree(f, e->a, e->span);
	n += check_expr_tree(f, e->b, e->span);
	n += check_expr_tree(f, e->c, e->span);
	for (int i = 0; i < e->nargs; i++)
		n += check_expr_tree(f, e->args[i], e->span);
	return n;
}

static void check_stmt_tree(struct fx *f, const struct ir_stmt *s, const struct ir_stmt *parent,
                            int *next)
{
	if (!s)
		return;
	assert_int_equal(s->id, *next);
	(*next)++;
	assert_ptr_equal(s->parent, parent);
	if (parent)
		assert_true(s->span.begin >= parent->span.begin && s->span.end <= parent->span.end);
	check_expr_tree(f, s->expr, s->span);
	check_expr_tree(f, s->inc, s->span);
	for (int i = 0; i < s->nvars; i++)
		check_expr_tree(f, s->inits[i], s->span);
	for (int i = 0; i < s->nkids; i++) {
		if (i > 0) /* siblings do not overlap */
			assert_true(s->kids[i - 1]->span.end <= s->kids[i]->span.begin);
		check_stmt_tree(f, s->kids[i], s, next);
	}
	check_stmt_tree(f, s->init, s, next);
	check_stmt_tree(f, s->body, s, next);
	check_stmt_tree(f, s->then_s, s, next);
	check_stmt_tree(f, s->else_s, s, next);
}

static void check_func_tree(struct fx *f, const struct ir_func *fn)
{
	int next = 0;
	check_stmt_tree(f, fn->body, NULL, &next);
	assert_int_equal(next, fn->nstmts);
	for (int i = 0; i < fn->nvars; i++)
		assert_int_equal(fn->vars[i]->id, i);
}

/* ---- the embedding-bag kernel ---- */

static const char embedding_bag[] =
        "void embedding_bag(float *restrict out, const float *restrict table,\n"
        "                   const int *indices, const long *offsets, int nbags, int dim)\n"
        "{\n"
        "\tfor (int b = 0; b < nbags; b++) {\n"
        "\t\tfor (long k = offsets[b]; k < offsets[b + 1]; k++) {\n"
        "\t\t\tint idx = indices[k];\n"
        "\t\t\tfor (int d = 0; d < dim; d++)\n"
        "\t\t\t\tout[b * dim + d] += table[idx * dim + d];\n"
        "\t\t}\n"
        "\t}\n"
        "}\n";

static void embedding_bag_loop_nest_is_three_fors(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, embedding_bag), 0);
	assert_int_equal(f->u.nfuncs, 1);
	const struct ir_func *fn = func(f, "embedding_bag");
	assert_true(fn->in_main_file);
	assert_null(fn->unsupported);
	check_func_tree(f, fn);

	const struct ir_stmt *bags = kid(fn->body, 0);
	assert_int_equal(bags->kind, IR_S_FOR);
	assert_string_equal(text(f, bags->header), "for (int b = 0; b < nbags; b++)");
	assert_int_equal(bags->loc.line, 4);
	assert_int_equal(bags->loc.col, 2);
	assert_int_equal(bags->init->kind, IR_S_DECL);
	assert_int_equal(bags->init->nvars, 1);
	assert_string_equal(bags->init->vars[0]->name, "b");
	assert_string_equal(text(f, bags->init->span), "int b = 0;");
	assert_int_equal(bags->expr->kind, IR_E_BINARY);
	assert_int_equal(bags->expr->op, IR_OP_LT);
	assert_int_equal(bags->inc->kind, IR_E_INCDEC);
	assert_int_equal(bags->inc->op, IR_OP_POSTINC);

	const struct ir_stmt *ks = kid(bags->body, 0);
	assert_int_equal(ks->kind, IR_S_FOR);
	assert_string_equal(text(f, ks->header),
	                    "for (long k = offsets[b]; k < offsets[b + 1]; k++)");
	const struct ir_expr *lo = ks->init->inits[0];
	assert_int_equal(lo->kind, IR_E_INDEX);
	assert_int_equal(lo->access, IR_ACC_READ);
	assert_var(lo->a, "offsets");
	assert_var(lo->b, "b");
	const struct ir_expr *hi = ks->expr->b;
	assert_int_equal(hi->kind, IR_E_INDEX);
	assert_int_equal(hi->access, IR_ACC_READ);
	assert_string_equal(text(f, hi->span), "offsets[b + 1]");
	assert_int_equal(hi->b->kind, IR_E_BINARY);
	assert_int_equal(hi->b->op, IR_OP_ADD);

	const struct ir_stmt *idx = kid(ks->body, 0);
	assert_int_equal(idx->kind, IR_S_DECL);
	assert_string_equal(text(f, idx->span), "int idx = indices[k];");
	const struct ir_stmt *ds = kid(ks->body, 1);
	assert_int_equal(ds->kind, IR_S_FOR);
	assert_ptr_equal(ds->parent, ks->body);
	assert_string_equal(text(f, ds->header), "for (int d = 0; d < dim; d++)");

	const struct ir_stmt *acc = ds->body;
	assert_int_equal(acc->kind, IR_S_EXPR);
	assert_string_equal(text(f, acc->span), "out[b * dim + d] += table[idx * dim + d];");
	const struct ir_expr *e = acc->expr;
	assert_int_equal(e->kind, IR_E_ASSIGN);
	assert_int_equal(e->op, IR_OP_ADD);
	assert_string_equal(text(f, e->span), "out[b * dim + d] += table[idx * dim + d]");
	assert_int_equal(e->a->kind, IR_E_INDEX);
	assert_int_equal(e->a->access, IR_ACC_RW);
	assert_var(e->a->a, "out");
	assert_string_equal(text(f, e->a->span), "out[b * dim + d]");
	assert_string_equal(text(f, e->a->b->span), "b * dim + d");
	assert_int_equal(e->a->type->cls, IR_T_FLOAT);
	assert_int_equal(e->b->kind, IR_E_INDEX);
	assert_int_equal(e->b->access, IR_ACC_READ);
	assert_var(e->b->a, "table");
	assert_string_equal(text(f, e->b->span), "table[idx * dim + d]");
	assert_int_equal(e->b->type->flags & IR_TYPE_CONST, IR_TYPE_CONST);
}

static void embedding_bag_variables_params_first_then_locals(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, embedding_bag), 0);
	const struct ir_func *fn = func(f, "embedding_bag");
	static const char *const params[] = {"out", "table", "indices", "offsets", "nbags", "dim"};
	assert_int_equal(fn->nparams, 6);
	for (int i = 0; i < 6; i++) {
		assert_string_equal(fn->params[i]->name, params[i]);
		assert_int_equal(fn->params[i]->id, i);
		assert_int_equal(fn->params[i]->kind, IR_VAR_PARAM);
		assert_ptr_equal(fn->vars[i], fn->params[i]);
		/* nothing in the kernel assigns a parameter or takes its address */
		assert_int_equal(fn->params[i]->flags, 0);
	}
	static const char *const locals[] = {"b", "k", "idx", "d"};
	assert_int_equal(fn->nvars, 10);
	for (int i = 0; i < 4; i++) {
		const struct ir_var *v = fn->vars[6 + i];
		assert_string_equal(v->name, locals[i]);
		assert_int_equal(v->kind, IR_VAR_LOCAL);
	}
	assert_int_equal(var(fn, "b")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "idx")->flags, 0);
	assert_string_equal(text(f, var(fn, "out")->decl_span), "float *restrict out");
	assert_int_equal(var(fn, "out")->loc.line, 1);
	assert_int_equal(var(fn, "out")->loc.col, 36);

	const struct ir_type *out = var(fn, "out")->type;
	assert_int_equal(out->cls, IR_T_PTR);
	assert_int_equal(out->flags, IR_TYPE_RESTRICT);
	assert_string_equal(out->spelling, "float *restrict");
	assert_string_equal(out->unqual, "float *");
	assert_int_equal(out->size, 8);
	assert_int_equal(out->elem->cls, IR_T_FLOAT);
	assert_int_equal(out->elem->size, 4);
	const struct ir_type *table = var(fn, "table")->type;
	assert_int_equal(table->elem->flags, IR_TYPE_CONST);
	assert_int_equal(var(fn, "offsets")->type->elem->cls, IR_T_SINT);
	assert_int_equal(var(fn, "offsets")->type->elem->size, 8);
}

static void function_spans_cover_definition_name_and_body(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, embedding_bag), 0);
	const struct ir_func *fn = func(f, "embedding_bag");
	assert_string_equal(text(f, fn->name_span), "embedding_bag");
	assert_int_equal(fn->loc.line, 1);
	assert_int_equal(fn->loc.col, 6);
	assert_int_equal(fn->span.begin, 0);
	assert_int_equal(fn->span.end, f->u.len - 1); /* all but the final newline */
	assert_int_equal(f->u.buf[fn->body_span.begin], '{');
	assert_int_equal(f->u.buf[fn->body_span.end - 1], '}');
	assert_int_equal(fn->body_span.begin, fn->body->span.begin);
	assert_int_equal(fn->ret_type->cls, IR_T_VOID);
	assert_false(fn->is_static);
	assert_false(fn->is_inline);
	assert_false(fn->is_variadic);
	assert_string_equal(fn->file, f->path);
	assert_string_equal(f->u.path, f->path);
	assert_int_equal(f->u.len, strlen(embedding_bag));
	assert_memory_equal(f->u.buf, embedding_bag, f->u.len);
}

/* ---- loops ---- */

static void for_header_parts_are_placed_by_their_semicolons(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "void f(int n)\n"
	                         "{\n"
	                         "\tint i = 0;\n"
	                         "\tfor (;;) break;\n"
	                         "\tfor (i = 0; ; i++) { continue; }\n"
	                         "\tfor (; i < n;) i++;\n"
	                         "\tfor (;; ++i) if (i > n) break;\n"
	                         "\tfor ( /* x; */ i = 1 ; i < n ; )\n"
	                         "\t\t;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);

	const struct ir_stmt *s = kid(fn->body, 1);
	assert_int_equal(s->kind, IR_S_FOR);
	assert_string_equal(text(f, s->header), "for (;;)");
	assert_null(s->init);
	assert_null(s->expr);
	assert_null(s->inc);
	assert_int_equal(s->body->kind, IR_S_BREAK);
	assert_string_equal(text(f, s->body->span), "break;");
	assert_string_equal(text(f, s->span), "for (;;) break;");

	s = kid(fn->body, 2);
	assert_string_equal(text(f, s->header), "for (i = 0; ; i++)");
	assert_int_equal(s->init->kind, IR_S_EXPR);
	assert_string_equal(text(f, s->init->span), "i = 0;");
	assert_int_equal(s->init->expr->kind, IR_E_ASSIGN);
	assert_null(s->expr);
	assert_string_equal(text(f, s->inc->span), "i++");
	assert_int_equal(s->body->kind, IR_S_BLOCK);
	assert_int_equal(kid(s->body, 0)->kind, IR_S_CONTINUE);

	s = kid(fn->body, 3);
	assert_null(s->init);
	assert_string_equal(text(f, s->expr->span), "i < n");
	assert_null(s->inc);

	s = kid(fn->body, 4);
	assert_null(s->init);
	assert_null(s->expr);
	assert_int_equal(s->inc->op, IR_OP_PREINC);
	assert_int_equal(s->body->kind, IR_S_IF);

	s = kid(fn->body, 5);
	assert_string_equal(text(f, s->header), "for ( /* x; */ i = 1 ; i < n ; )");
	assert_string_equal(text(f, s->init->expr->span), "i = 1");
	assert_string_equal(text(f, s->expr->span), "i < n");
	assert_null(s->inc);
	assert_int_equal(s->body->kind, IR_S_NULL);
	assert_string_equal(text(f, s->body->span), ";");
}

static void while_and_do_loops_have_headers(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(int n)\n"
	                         "{\n"
	                         "\tint i = 0;\n"
	                         "\twhile (i < n)\n"
	                         "\t\ti++;\n"
	                         "\tdo {\n"
	                         "\t\ti--;\n"
	                         "\t} while (i > 0) /* tail */ ;\n"
	                         "\treturn i;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	const struct ir_stmt *w = kid(fn->body, 1);
	assert_int_equal(w->kind, IR_S_WHILE);
	assert_string_equal(text(f, w->header), "while (i < n)");
	assert_string_equal(text(f, w->expr->span), "i < n");
	assert_int_equal(w->body->kind, IR_S_EXPR);
	assert_string_equal(text(f, w->span), "while (i < n)\n\t\ti++;");

	const struct ir_stmt *d = kid(fn->body, 2);
	assert_int_equal(d->kind, IR_S_DO);
	assert_string_equal(text(f, d->header), "while (i > 0) /* tail */ ;");
	assert_string_equal(text(f, d->span), "do {\n\t\ti--;\n\t} while (i > 0) /* tail */ ;");
	assert_int_equal(d->body->kind, IR_S_BLOCK);
	assert_int_equal(d->expr->op, IR_OP_GT);
	assert_int_equal(d->loc.line, 6);

	const struct ir_stmt *r = kid(fn->body, 3);
	assert_int_equal(r->kind, IR_S_RETURN);
	assert_string_equal(text(f, r->span), "return i;");
	assert_var(r->expr, "i");
}

/* ---- expressions ---- */

static void increments_and_compound_assignments(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "void f(int i, int j)\n"
	                         "{\n"
	                         "\ti++;\n"
	                         "\t++i;\n"
	                         "\ti--;\n"
	                         "\t--i;\n"
	                         "\ti += 1;\n"
	                         "\ti <<= 2;\n"
	                         "\ti = j;\n"
	                         "\t-i, !i, ~i, +i;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	static const enum ir_op incdec[] = {IR_OP_POSTINC, IR_OP_PREINC, IR_OP_POSTDEC,
	                                    IR_OP_PREDEC};
	for (int k = 0; k < 4; k++) {
		const struct ir_expr *e = body_expr(fn, k);
		assert_int_equal(e->kind, IR_E_INCDEC);
		assert_int_equal(e->op, incdec[k]);
		assert_var(e->a, "i");
	}
	const struct ir_expr *e = body_expr(fn, 4);
	assert_int_equal(e->kind, IR_E_ASSIGN);
	assert_int_equal(e->op, IR_OP_ADD);
	assert_string_equal(e->b->text, "1");
	assert_int_equal(e->b->kind, IR_E_CONST);
	assert_int_equal(body_expr(fn, 5)->op, IR_OP_SHL);
	e = body_expr(fn, 6);
	assert_int_equal(e->kind, IR_E_ASSIGN);
	assert_int_equal(e->op, IR_OP_NONE);
	assert_var(e->b, "j");
	/* the comma operator is left-associative */
	e = body_expr(fn, 7);
	assert_int_equal(e->op, IR_OP_COMMA);
	assert_int_equal(e->b->kind, IR_E_UNARY);
	assert_int_equal(e->b->op, IR_OP_PLUS);
	assert_int_equal(e->a->b->op, IR_OP_BNOT);
	assert_int_equal(e->a->a->b->op, IR_OP_NOT);
	assert_int_equal(e->a->a->a->op, IR_OP_NEG);
	assert_int_equal(var(fn, "i")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "j")->flags, 0);
}

static void casts_keep_the_written_type(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "typedef float real;\n"
	                         "double f(int i, const void *p)\n"
	                         "{\n"
	                         "\treal x = (real)i;\n"
	                         "\tx += (float)i + *( const float * )p;\n"
	                         "\treturn (double)x;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_expr *c = kid(fn->body, 0)->inits[0];
	assert_int_equal(c->kind, IR_E_CAST);
	assert_string_equal(c->text, "real");
	assert_string_equal(c->type->spelling, "real");
	assert_string_equal(c->type->canonical, "float");
	assert_int_equal(c->type->cls, IR_T_FLOAT);
	assert_var(c->a, "i");
	const struct ir_expr *sum = body_expr(fn, 1)->b;
	assert_int_equal(sum->a->kind, IR_E_CAST);
	assert_string_equal(sum->a->text, "float");
	const struct ir_expr *deref = sum->b;
	assert_int_equal(deref->kind, IR_E_DEREF);
	assert_int_equal(deref->access, IR_ACC_READ);
	assert_int_equal(deref->a->kind, IR_E_CAST);
	assert_string_equal(deref->a->text, "const float *");
	assert_string_equal(text(f, deref->a->span), "( const float * )p");
	assert_string_equal(kid(fn->body, 2)->expr->text, "double");
	assert_int_equal(fn->ret_type->cls, IR_T_DOUBLE);
}

static void calls_to_named_functions_and_through_pointers(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "#include <string.h>\n"
	                         "void f(float *x, int n, void (*cb)(int))\n"
	                         "{\n"
	                         "\tfloat buf[16];\n"
	                         "\tmemset(buf, 0, sizeof buf);\n"
	                         "\tmemcpy(x, buf, n * sizeof(float));\n"
	                         "\tcb(n);\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_expr *ms = body_expr(fn, 1);
	assert_int_equal(ms->kind, IR_E_CALL);
	assert_string_equal(ms->text, "memset");
	assert_int_equal(ms->nargs, 3);
	assert_var(ms->args[0], "buf");
	assert_int_equal(ms->args[0]->type->cls, IR_T_ARRAY); /* as written, before decay */
	assert_int_equal(ms->args[0]->type->count, 16);
	assert_int_equal(ms->args[2]->kind, IR_E_CONST);
	assert_string_equal(ms->args[2]->text, "sizeof buf");
	assert_string_equal(text(f, ms->span), "memset(buf, 0, sizeof buf)");
	const struct ir_expr *mc = body_expr(fn, 2);
	assert_string_equal(mc->text, "memcpy");
	assert_var(mc->args[0], "x");
	const struct ir_expr *cb = body_expr(fn, 3);
	assert_int_equal(cb->kind, IR_E_OTHER);
	assert_string_equal(cb->text, "call through a function pointer");
	/* the array escapes into memset; the pointer parameter does not change */
	assert_int_equal(var(fn, "buf")->flags, IR_VAR_ADDR_TAKEN);
	assert_int_equal(var(fn, "x")->flags, 0);
	assert_int_equal(var(fn, "cb")->type->cls, IR_T_PTR);
	assert_int_equal(var(fn, "cb")->type->elem->cls, IR_T_FUNC);
}

static void member_access_and_dereference_marks(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f,
	                      "struct pt { float x, y; int tag[2]; };\n"
	                      "float f(struct pt *p, struct pt s, struct pt *a, int i, float *q)\n"
	                      "{\n"
	                      "\ts.x = 1;\n"
	                      "\tp->y = s.y;\n"
	                      "\ta[i].x += 2;\n"
	                      "\t*q = a[i].tag[1];\n"
	                      "\t(*q)++;\n"
	                      "\tq = &a[i].y;\n"
	                      "\treturn *q + p->x;\n"
	                      "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	const struct ir_expr *e = body_expr(fn, 0);
	assert_int_equal(e->a->kind, IR_E_MEMBER);
	assert_string_equal(e->a->text, "x");
	assert_false(e->a->arrow);
	assert_int_equal(e->a->access, IR_ACC_WRITE);
	assert_var(e->a->a, "s");

	e = body_expr(fn, 1);
	assert_true(e->a->arrow);
	assert_int_equal(e->a->access, IR_ACC_WRITE);
	assert_int_equal(e->b->access, IR_ACC_READ);
	assert_false(e->b->arrow);

	e = body_expr(fn, 2); /* a[i].x += 2: the member is read and written, a[i] only addressed */
	assert_int_equal(e->a->kind, IR_E_MEMBER);
	assert_int_equal(e->a->access, IR_ACC_RW);
	assert_int_equal(e->a->a->kind, IR_E_INDEX);
	assert_int_equal(e->a->a->access, IR_ACC_NONE);

	e = body_expr(fn, 3); /* *q = a[i].tag[1] */
	assert_int_equal(e->a->kind, IR_E_DEREF);
	assert_int_equal(e->a->access, IR_ACC_WRITE);
	assert_int_equal(e->b->kind, IR_E_INDEX);
	assert_int_equal(e->b->access, IR_ACC_READ);
	assert_int_equal(e->b->a->kind, IR_E_MEMBER); /* tag: an array, decays */
	assert_int_equal(e->b->a->access, IR_ACC_NONE);
	assert_int_equal(e->b->a->a->access, IR_ACC_NONE);

	e = body_expr(fn, 4); /* (*q)++ */
	assert_int_equal(e->kind, IR_E_INCDEC);
	assert_int_equal(e->a->kind, IR_E_PAREN);
	assert_int_equal(e->a->a->kind, IR_E_DEREF);
	assert_int_equal(e->a->a->access, IR_ACC_RW);

	e = body_expr(fn, 5); /* q = &a[i].y */
	assert_int_equal(e->b->kind, IR_E_ADDROF);
	assert_int_equal(e->b->a->kind, IR_E_MEMBER);
	assert_int_equal(e->b->a->access, IR_ACC_NONE);
	assert_int_equal(e->b->a->a->access, IR_ACC_NONE);

	assert_int_equal(var(fn, "s")->flags, IR_VAR_ASSIGNED); /* s.x = 1 writes s */
	assert_int_equal(var(fn, "q")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "a")->flags, 0);
	assert_int_equal(var(fn, "p")->flags, 0);
}

static void subscript_operands_are_normalised(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(int *a, int i)\n"
	                         "{\n"
	                         "\treturn i[a] + a[i];\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_expr *sum = kid(fn->body, 0)->expr;
	assert_int_equal(sum->a->kind, IR_E_INDEX);
	assert_var(sum->a->a, "a");
	assert_var(sum->a->b, "i");
	assert_string_equal(text(f, sum->a->span), "i[a]");
	assert_var(sum->b->a, "a");
	assert_var(sum->b->b, "i");
	/* ids follow source order: the parameters, whatever the subscripts do */
	assert_int_equal(var(fn, "a")->id, 0);
}

static void address_taken_and_static_locals_and_globals(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int g;\n"
	                         "extern float scale;\n"
	                         "void use(int *p);\n"
	                         "int f(int n)\n"
	                         "{\n"
	                         "\tstatic int calls;\n"
	                         "\tint x = 0, arr[4], grid[2][2];\n"
	                         "\tcalls++;\n"
	                         "\tuse(&x);\n"
	                         "\tarr[0] = n;\n"
	                         "\tgrid[1][0] = arr[0];\n"
	                         "\tg = (int)scale;\n"
	                         "\treturn g;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	assert_int_equal(var(fn, "calls")->kind, IR_VAR_LOCAL);
	assert_int_equal(var(fn, "calls")->flags, IR_VAR_STATIC | IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "x")->flags, IR_VAR_ADDR_TAKEN);
	/* indexing an array writes its elements but does not let it escape */
	assert_int_equal(var(fn, "arr")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "grid")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "g")->kind, IR_VAR_GLOBAL);
	assert_int_equal(var(fn, "g")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "scale")->kind, IR_VAR_GLOBAL);
	assert_int_equal(var(fn, "scale")->type->cls, IR_T_FLOAT);
	assert_int_equal(var(fn, "n")->kind, IR_VAR_PARAM);
	const struct ir_stmt *decl = kid(fn->body, 1);
	assert_int_equal(decl->kind, IR_S_DECL);
	assert_int_equal(decl->nvars, 3);
	assert_non_null(decl->inits[0]);
	assert_null(decl->inits[1]);
	assert_null(decl->inits[2]);
	assert_string_equal(text(f, decl->span), "int x = 0, arr[4], grid[2][2];");
	const struct ir_expr *g = body_expr(fn, 5)->a->a;
	assert_int_equal(g->kind, IR_E_INDEX);
	assert_int_equal(g->access, IR_ACC_NONE); /* grid[1] is an int[2] */
	assert_int_equal(g->type->cls, IR_T_ARRAY);
}

static void enum_constants_and_literals_are_consts(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "enum color { RED, GREEN = 4 };\n"
	                         "double f(enum color c)\n"
	                         "{\n"
	                         "\tif (c == GREEN)\n"
	                         "\t\treturn 1.5e3;\n"
	                         "\telse\n"
	                         "\t\treturn 'a' + 0x10u + _Alignof(double);\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_stmt *s = kid(fn->body, 0);
	assert_int_equal(s->kind, IR_S_IF);
	assert_int_equal(s->expr->b->kind, IR_E_CONST);
	assert_string_equal(s->expr->b->text, "GREEN");
	assert_int_equal(s->expr->a->type->cls, IR_T_ENUM);
	assert_string_equal(s->then_s->expr->text, "1.5e3");
	const struct ir_expr *sum = s->else_s->expr;
	assert_string_equal(sum->b->text, "_Alignof(double)");
	assert_string_equal(sum->a->b->text, "0x10u");
	assert_string_equal(sum->a->a->text, "'a'");
	assert_string_equal(text(f, s->else_s->span), "return 'a' + 0x10u + _Alignof(double);");
}

/* ---- macros ---- */

static void macro_constant_is_a_const_in_macro(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "#define DIM 64\n"
	                         "void f(float *x)\n"
	                         "{\n"
	                         "\tfor (int d = 0; d < DIM; d++)\n"
	                         "\t\tx[d] = 0;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_stmt *loop = kid(fn->body, 0);
	const struct ir_expr *dim = loop->expr->b;
	assert_int_equal(dim->kind, IR_E_CONST);
	assert_true(dim->in_macro);
	assert_string_equal(text(f, dim->span), "DIM");
	assert_string_equal(dim->text, "DIM");
	assert_int_equal(dim->loc.line, 4);
	assert_int_equal(dim->loc.col, 22);
	assert_false(loop->expr->in_macro);
	assert_string_equal(text(f, loop->expr->span), "d < DIM");
	assert_false(loop->expr->a->in_macro);
}

static void function_like_macro_index_is_in_macro(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "#define IDX(b, d) ((b) * dim + (d))\n"
	                         "void f(float *out, const float *in, int n, int dim)\n"
	                         "{\n"
	                         "\tfor (int b = 0; b < n; b++)\n"
	                         "\t\tfor (int d = 0; d < dim; d++)\n"
	                         "\t\t\tout[IDX(b, d)] = in[IDX(b, d)] * 2;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_stmt *inner = kid(fn->body, 0)->body;
	const struct ir_expr *e = inner->body->expr;
	assert_int_equal(e->kind, IR_E_ASSIGN);
	assert_false(e->in_macro);
	assert_int_equal(e->a->kind, IR_E_INDEX);
	assert_false(e->a->in_macro);
	assert_int_equal(e->a->access, IR_ACC_WRITE);
	const struct ir_expr *ix = e->a->b;
	assert_true(ix->in_macro);
	assert_string_equal(text(f, ix->span), "IDX(b, d)");
	/* inside: the structure is there, every node flagged, spans the whole use */
	assert_int_equal(ix->kind, IR_E_PAREN);
	assert_int_equal(ix->a->kind, IR_E_BINARY);
	assert_true(ix->a->in_macro);
	const struct ir_expr *b = ix->a->a->a->a; /* ((b) * dim + (d)): + -> * -> (b) -> b */
	assert_var(b, "b");
	assert_true(b->in_macro);
	assert_string_equal(text(f, b->span), "IDX(b, d)");
	assert_int_equal(e->b->a->kind, IR_E_INDEX);
	assert_int_equal(e->b->a->access, IR_ACC_READ);
	assert_string_equal(text(f, e->b->a->span), "in[IDX(b, d)]");
}

static void statements_made_by_macros_are_other(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "#define SWAP(a, b) do { int t_ = a; a = b; b = t_; } while (0)\n"
	                         "#define FOR_EACH(i, n) for (i = 0; i < (n); i++)\n"
	                         "#define API static\n"
	                         "#define CLEAR(v) { v = 0; }\n"
	                         "API void f(int *x, int n)\n"
	                         "{\n"
	                         "\tint i, lo = 0, hi = n;\n"
	                         "\tSWAP(lo, hi);\n"
	                         "\tFOR_EACH(i, n) x[i] = lo;\n"
	                         "\tx[0] = hi;\n"
	                         "\tCLEAR(hi);\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	assert_null(fn->unsupported); /* a macro among the specifiers is fine */
	assert_true(fn->is_static);
	assert_int_equal(strncmp(text(f, fn->span), "API void f(", 11), 0);
	const struct ir_stmt *s = kid(fn->body, 1);
	assert_int_equal(s->kind, IR_S_OTHER);
	assert_string_equal(s->text, "statement from a macro expansion");
	assert_string_equal(text(f, s->span), "SWAP(lo, hi);"); /* the do ends at the ';' */
	s = kid(fn->body, 2);
	assert_int_equal(s->kind, IR_S_OTHER);
	assert_string_equal(text(f, s->span), "FOR_EACH(i, n) x[i] = lo;");
	/* what the macros do still shows in the variables */
	assert_int_equal(var(fn, "lo")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "i")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "t_")->kind, IR_VAR_LOCAL);
	assert_int_equal(kid(fn->body, 3)->kind, IR_S_EXPR);
	/* a block from a macro: the ';' after the use is a null statement of its own */
	assert_string_equal(text(f, kid(fn->body, 4)->span), "CLEAR(hi)");
	assert_int_equal(kid(fn->body, 5)->kind, IR_S_NULL);
	assert_string_equal(text(f, kid(fn->body, 5)->span), ";");
}

static void local_vla_and_sizeof(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "unsigned long f(int n)\n"
	                         "{\n"
	                         "\tfloat tmp[n];\n"
	                         "\tint arr[3] = {1, 2, 3};\n"
	                         "\ttmp[0] = arr[1];\n"
	                         "\treturn sizeof tmp + sizeof(arr) / sizeof arr[0];\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	const struct ir_type *t = var(fn, "tmp")->type;
	assert_int_equal(t->cls, IR_T_ARRAY);
	assert_true(t->flags & IR_TYPE_VLA);
	assert_int_equal(t->size, 0);
	assert_int_equal(t->count, 0);
	assert_int_equal(var(fn, "arr")->type->count, 3);
	assert_int_equal(kid(fn->body, 1)->inits[0]->kind, IR_E_OTHER);
	assert_string_equal(kid(fn->body, 1)->inits[0]->text, "initializer list");
	/* sizeof does not evaluate its operand: nothing escapes */
	assert_int_equal(var(fn, "tmp")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "arr")->flags, 0);
	assert_int_equal(var(fn, "n")->flags, 0);
	assert_int_equal(fn->ret_type->cls, IR_T_UINT);
}

/* ---- types ---- */

static void two_d_array_parameter_decays_to_pointer_to_row(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "float f(float t[][64], int i, int d)\n"
	                         "{\n"
	                         "\treturn t[i][d];\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_type *tt = fn->params[0]->type;
	assert_int_equal(tt->cls, IR_T_PTR);
	assert_string_equal(tt->spelling, "float (*)[64]");
	assert_int_equal(tt->size, 8);
	assert_int_equal(tt->elem->cls, IR_T_ARRAY);
	assert_int_equal(tt->elem->count, 64);
	assert_int_equal(tt->elem->size, 256);
	assert_int_equal(tt->elem->elem->cls, IR_T_FLOAT);
	const struct ir_expr *td = kid(fn->body, 0)->expr;
	assert_int_equal(td->kind, IR_E_INDEX);
	assert_int_equal(td->access, IR_ACC_READ);
	assert_int_equal(td->type->cls, IR_T_FLOAT);
	const struct ir_expr *ti = td->a;
	assert_int_equal(ti->kind, IR_E_INDEX);
	assert_int_equal(ti->access, IR_ACC_NONE);
	assert_int_equal(ti->type->cls, IR_T_ARRAY);
	assert_string_equal(text(f, ti->span), "t[i]");
	assert_var(ti->a, "t");
	assert_int_equal(var(fn, "t")->flags, 0);
}

static void qualifier_char_and_vla_flags(void **state)
{
	struct fx *f = *state;
	assert_int_equal(
	        lift(f, "typedef const int cint;\n"
	                "struct s { int a; };\n"
	                "long f(int n, const char *restrict s, unsigned char c, signed char sc,\n"
	                "       volatile int *v, float vl[n][n], float out[restrict 4], cint k,\n"
	                "       struct s st, _Bool flag, long double ld, unsigned long long u)\n"
	                "{\n"
	                "\treturn n;\n"
	                "}\n"),
	        0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_type *t = var(fn, "s")->type;
	assert_int_equal(t->cls, IR_T_PTR);
	assert_int_equal(t->flags, IR_TYPE_RESTRICT);
	assert_int_equal(t->elem->cls, IR_T_SINT);
	assert_int_equal(t->elem->flags, IR_TYPE_CONST | IR_TYPE_CHAR);
	assert_string_equal(t->elem->spelling, "const char");
	assert_string_equal(t->elem->unqual, "char");
	t = var(fn, "c")->type;
	assert_int_equal(t->cls, IR_T_UINT);
	assert_int_equal(t->flags, IR_TYPE_CHAR);
	assert_int_equal(t->size, 1);
	assert_int_equal(var(fn, "sc")->type->cls, IR_T_SINT);
	assert_int_equal(var(fn, "sc")->type->flags, IR_TYPE_CHAR);
	t = var(fn, "v")->type;
	assert_int_equal(t->flags, 0);
	assert_int_equal(t->elem->flags, IR_TYPE_VOLATILE);
	t = var(fn, "vl")->type;
	assert_int_equal(t->cls, IR_T_PTR);
	assert_true(t->flags & IR_TYPE_VLA);
	assert_string_equal(t->spelling, "float (*)[n]");
	assert_int_equal(t->elem->cls, IR_T_ARRAY);
	assert_int_equal(t->elem->count, 0);
	assert_true(t->elem->flags & IR_TYPE_VLA);
	t = var(fn, "out")->type;
	assert_int_equal(t->cls, IR_T_PTR);
	assert_int_equal(t->flags, IR_TYPE_RESTRICT);
	assert_string_equal(t->spelling, "float *restrict");
	t = var(fn, "k")->type;
	assert_int_equal(t->flags, IR_TYPE_CONST);
	assert_string_equal(t->spelling, "cint");
	assert_string_equal(t->canonical, "int");
	assert_int_equal(var(fn, "st")->type->cls, IR_T_STRUCT);
	assert_int_equal(var(fn, "st")->type->size, 4);
	assert_int_equal(var(fn, "flag")->type->cls, IR_T_BOOL);
	assert_int_equal(var(fn, "ld")->type->cls, IR_T_LDOUBLE);
	assert_int_equal(var(fn, "u")->type->cls, IR_T_UINT);
	assert_int_equal(var(fn, "n")->type->flags, 0);
	assert_int_equal(fn->ret_type->cls, IR_T_SINT);
	assert_int_equal(fn->ret_type->size, 8);
}

/* ---- statements ---- */

static void statement_spans_include_the_semicolon(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(int x)\n"
	                         "{\n"
	                         "\tint a = 1, b;\n"
	                         "\tx = a /* why */ ;\n"
	                         "\tx++\n"
	                         "\t\t;\n"
	                         "\t;\n"
	                         "\twhile (x) {\n"
	                         "\t\tif (x > 3)\n"
	                         "\t\t\tbreak ;\n"
	                         "\t\tcontinue;\n"
	                         "\t}\n"
	                         "\treturn x + b;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	assert_string_equal(text(f, kid(fn->body, 0)->span), "int a = 1, b;");
	assert_string_equal(text(f, kid(fn->body, 1)->span), "x = a /* why */ ;");
	assert_string_equal(text(f, kid(fn->body, 1)->expr->span), "x = a");
	assert_string_equal(text(f, kid(fn->body, 2)->span), "x++\n\t\t;");
	assert_int_equal(kid(fn->body, 3)->kind, IR_S_NULL);
	assert_string_equal(text(f, kid(fn->body, 3)->span), ";");
	const struct ir_stmt *loop = kid(fn->body, 4);
	const struct ir_stmt *brk = kid(loop->body, 0)->then_s;
	assert_int_equal(brk->kind, IR_S_BREAK);
	assert_string_equal(text(f, brk->span), "break ;");
	assert_string_equal(text(f, kid(loop->body, 1)->span), "continue;");
	assert_string_equal(text(f, kid(fn->body, 5)->span), "return x + b;");
	assert_int_equal(kid(fn->body, 5)->loc.line, 13);
}

static void unmodelled_statements_are_other_with_a_reason(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(int n, int *p)\n"
	                         "{\n"
	                         "\tint r = 0;\n"
	                         "\tswitch (n) {\n"
	                         "\tcase 1:\n"
	                         "\t\tr = 2;\n"
	                         "\t\tbreak;\n"
	                         "\t}\n"
	                         "\tgoto out;\n"
	                         "out:\n"
	                         "\tp[0] = ({ int z = r; z + 1; });\n"
	                         "\treturn r;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	const struct ir_stmt *sw = kid(fn->body, 1);
	assert_int_equal(sw->kind, IR_S_OTHER);
	assert_string_equal(sw->text, "switch statement");
	assert_string_equal(kid(fn->body, 2)->text, "goto statement");
	assert_string_equal(kid(fn->body, 3)->text, "label");
	/* what is inside still counts: r is assigned in the switch, z is declared */
	assert_int_equal(var(fn, "r")->flags, IR_VAR_ASSIGNED);
	assert_int_equal(var(fn, "z")->kind, IR_VAR_LOCAL);
	assert_int_equal(kid(fn->body, 4)->kind, IR_S_RETURN);
}

static void statement_expression_is_other(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "void f(int *p, int r)\n"
	                         "{\n"
	                         "\tp[0] = ({ int z = r; &z != 0; });\n"
	                         "\tp[1] = (int){3};\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	const struct ir_expr *e = body_expr(fn, 0);
	assert_int_equal(e->b->kind, IR_E_OTHER);
	assert_string_equal(e->b->text, "statement expression");
	assert_int_equal(var(fn, "z")->flags, IR_VAR_ADDR_TAKEN);
	assert_string_equal(body_expr(fn, 1)->b->text, "compound literal");
}

static void pragma_before_a_loop_is_kept(void **state)
{
	struct fx *f = *state;
	static const char src[] = "void f(float *a, int n)\n"
	                          "{\n"
	                          "#pragma omp parallel for \\\n"
	                          "\tschedule(static) // why\n"
	                          "\tfor (int i = 0; i < n; i++)\n"
	                          "\t\ta[i] = 0;\n"
	                          "\tfor (int i = 0; i < n; i++)\n"
	                          "\t\ta[i] = 1;\n"
	                          "}\n";
	assert_int_equal(lift_args(f, src, "-fopenmp", (const char *)NULL), 0);
	const struct ir_func *fn = func(f, "f");
	check_func_tree(f, fn);
	const struct ir_stmt *s = kid(fn->body, 0);
	assert_int_equal(s->kind, IR_S_FOR);
	assert_non_null(s->pragma);
	assert_string_equal(s->pragma, "omp parallel for schedule(static)");
	assert_string_equal(text(f, s->header), "for (int i = 0; i < n; i++)");
	assert_int_equal(s->body->expr->a->access, IR_ACC_WRITE);
	assert_null(kid(fn->body, 1)->pragma);
}

static void pragma_without_openmp_is_kept_too(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "void f(float *a, int n)\n"
	                         "{\n"
	                         "\t#pragma omp simd\n"
	                         "\tfor (int i = 0; i < n; i++)\n"
	                         "\t\ta[i] = 0;\n"
	                         "#pragma clang loop unroll(disable)\n"
	                         "\twhile (n--)\n"
	                         "\t\ta[n] = 1;\n"
	                         "}\n"),
	                 0);
	const struct ir_func *fn = func(f, "f");
	assert_string_equal(kid(fn->body, 0)->pragma, "omp simd");
	assert_int_equal(kid(fn->body, 1)->kind, IR_S_WHILE);
	assert_string_equal(kid(fn->body, 1)->pragma, "clang loop unroll(disable)");
}

/* ---- the unit ---- */

static void syntax_error_is_reported_in_clang_format(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(int x)\n"
	                         "{\n"
	                         "\treturn x +;\n"
	                         "}\n"),
	                 -1);
	assert_int_equal(f->u.nfuncs, 0);
	assert_true(f->d.nerrors >= 1);
	char want[256];
	snprintf(want, sizeof(want), "%s:3:12: error: expected expression\n", f->path);
	assert_non_null(f->diags);
	assert_non_null(strstr(f->diags, want));
}

static void every_error_is_reported(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "int f(void) { return y; }\n"
	                         "int g(void) { return f(1, 2) + z; }\n"),
	                 -1);
	assert_int_equal(f->d.nerrors, 3);
	char want[256];
	snprintf(want, sizeof(want), "%s:1:22: error: use of undeclared identifier 'y'", f->path);
	assert_non_null(strstr(f->diags, want));
	snprintf(want, sizeof(want), "%s:2:32: error: use of undeclared identifier 'z'", f->path);
	assert_non_null(strstr(f->diags, want));
}

static void missing_file_is_an_error(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, NULL), -1); /* t.c was never written */
	assert_int_equal(f->d.nerrors, 1);
	char want[256];
	snprintf(want, sizeof(want), "%s: error: cannot open", f->path);
	assert_non_null(strstr(f->diags, want));
}

static void include_directives_of_the_main_file_are_listed(void **state)
{
	struct fx *f = *state;
	write_file(f, "h.h",
	           "#include <stddef.h>\n"
	           "static inline int twice(int x) { return 2 * x; }\n");
	assert_int_equal(lift(f, "#include <string.h>\n"
	                         "  #  include \"h.h\"\n"
	                         "int f(int x) { return twice(x); }\n"),
	                 0);
	assert_int_equal(f->u.nincludes, 2);
	assert_string_equal(text(f, f->u.includes[0]), "#include <string.h>");
	assert_string_equal(text(f, f->u.includes[1]), "#  include \"h.h\"");
}

static void function_in_a_header_is_listed_outside_the_main_file(void **state)
{
	struct fx *f = *state;
	write_file(f, "h.h",
	           "static inline int twice(int x)\n"
	           "{\n"
	           "\treturn 2 * x;\n"
	           "}\n");
	assert_int_equal(lift(f, "#include \"h.h\"\n"
	                         "int f(int x) { return twice(x); }\n"),
	                 0);
	assert_int_equal(f->u.nfuncs, 2);
	const struct ir_func *h = f->u.funcs[0], *m = f->u.funcs[1];
	assert_string_equal(h->name, "twice");
	assert_false(h->in_main_file);
	assert_true(h->is_static);
	assert_true(h->is_inline);
	size_t n = strlen(h->file);
	assert_true(n >= 3 && strcmp(h->file + n - 3, "h.h") == 0);
	assert_int_equal(h->loc.line, 1);
	assert_int_equal(kid(h->body, 0)->kind, IR_S_RETURN);
	assert_int_equal(kid(h->body, 0)->loc.line, 3);
	assert_string_equal(m->name, "f");
	assert_true(m->in_main_file);
	assert_string_equal(kid(m->body, 0)->expr->text, "twice");
	/* no declaration-only entries, no system-header definitions */
	for (int i = 0; i < f->u.nfuncs; i++)
		assert_non_null(f->u.funcs[i]->body);
}

static void strict_aliasing_option_is_recorded(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift_args(f, "int f(int x) { return x; }\n", "-O2", "-fno-strict-aliasing",
	                           (const char *)NULL),
	                 0);
	assert_int_equal(f->u.no_strict_aliasing, 1);
	assert_int_equal(f->u.nfuncs, 1);
}

static void compile_command_arguments_are_accepted(void **state)
{
	struct fx *f = *state;
	write_file(f, "t.c", "#ifndef N\n#error N\n#endif\nint f(void) { return N; }\n");
	assert_int_equal(lift_args(f, NULL, "-DN=3", "-c", "-o", "t.o", f->path, "-MD", "-MF",
	                           "t.d", (const char *)NULL),
	                 0);
	assert_int_equal(f->u.no_strict_aliasing, 0);
	assert_string_equal(kid(func(f, "f")->body, 0)->expr->text, "N");
	assert_true(kid(func(f, "f")->body, 0)->expr->in_macro);
}

static void function_attributes_and_unsupported_definitions(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, "#include <stdarg.h>\n"
	                         "static int sum(int n, ...) { return n; }\n"
	                         "int old(a, b) int a; int b; { return a + b; }\n"
	                         "int none() { return 0; }\n"
	                         "#define DEFINE_ID(name) int name(int x) { return x; }\n"
	                         "DEFINE_ID(id)\n"),
	                 0);
	assert_int_equal(f->u.nfuncs, 4);
	const struct ir_func *s = func(f, "sum");
	assert_true(s->is_static);
	assert_true(s->is_variadic);
	assert_null(s->unsupported);
	const struct ir_func *o = func(f, "old");
	assert_non_null(o->unsupported);
	assert_string_equal(o->unsupported, "K&R-style definition");
	assert_int_equal(o->unsupported_loc.line, 3);
	assert_int_equal(o->nparams, 2);
	assert_null(func(f, "none")->unsupported);
	/* a definition made by a macro: in the main file, but its text is the macro use */
	const struct ir_func *id = func(f, "id");
	assert_true(id->in_main_file);
	assert_non_null(id->unsupported);
	assert_string_equal(id->unsupported, "function name comes from a macro expansion");
	assert_string_equal(text(f, id->span), "DEFINE_ID(id)");
}

static void dump_is_readable(void **state)
{
	struct fx *f = *state;
	assert_int_equal(lift(f, embedding_bag), 0);
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	ir_dump_func(fp, &f->u, func(f, "embedding_bag"));
	fclose(fp);
	char want[256];
	snprintf(want, sizeof(want), "func embedding_bag %s:1:6\n", f->path);
	int ok = strncmp(out, want, strlen(want)) == 0 &&
	         strstr(out, "  var out#0 param \"float *restrict\" restrict\n") &&
	         strstr(out, "  var b#6 local \"int\" [assigned]\n") &&
	         strstr(out, "s1 FOR 4:2 header \"for (int b = 0; b < nbags; b++)\"\n") &&
	         strstr(out, "cond: (< b#6 nbags#4)\n") && strstr(out, "inc: (post++ b#6)\n") &&
	         strstr(out, "idx#8 = (index:read indices#2 k#7 : const int)\n") &&
	         strstr(out, "EXPR 8:5 (+= (index:rw out#0 (+ (* b#6 dim#5) d#9) : float) "
	                     "(index:read table#1 (+ (* idx#8 dim#5) d#9) : const float))\n");
	if (!ok)
		print_error("dump:\n%s", out);
	free(out);
	assert_true(ok);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	        T(embedding_bag_loop_nest_is_three_fors),
	        T(embedding_bag_variables_params_first_then_locals),
	        T(function_spans_cover_definition_name_and_body),
	        T(for_header_parts_are_placed_by_their_semicolons),
	        T(while_and_do_loops_have_headers),
	        T(increments_and_compound_assignments),
	        T(casts_keep_the_written_type),
	        T(calls_to_named_functions_and_through_pointers),
	        T(member_access_and_dereference_marks),
	        T(subscript_operands_are_normalised),
	        T(address_taken_and_static_locals_and_globals),
	        T(enum_constants_and_literals_are_consts),
	        T(macro_constant_is_a_const_in_macro),
	        T(function_like_macro_index_is_in_macro),
	        T(statements_made_by_macros_are_other),
	        T(local_vla_and_sizeof),
	        T(two_d_array_parameter_decays_to_pointer_to_row),
	        T(qualifier_char_and_vla_flags),
	        T(statement_spans_include_the_semicolon),
	        T(unmodelled_statements_are_other_with_a_reason),
	        T(statement_expression_is_other),
	        T(pragma_before_a_loop_is_kept),
	        T(pragma_without_openmp_is_kept_too),
	        T(syntax_error_is_reported_in_clang_format),
	        T(every_error_is_reported),
	        T(missing_file_is_an_error),
	        T(include_directives_of_the_main_file_are_listed),
	        T(function_in_a_header_is_listed_outside_the_main_file),
	        T(strict_aliasing_option_is_recorded),
	        T(compile_command_arguments_are_accepted),
	        T(function_attributes_and_unsupported_definitions),
	        T(dump_is_readable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
