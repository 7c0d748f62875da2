/* What a function defined in this file writes, by parameter: a summary that
 * lets a loop body call it on the execute side. Calls there run in program
 * order on the calling thread, so only its writes matter, and only to tell
 * whether they could reach memory the access side reads ahead. A function
 * is summarised when every store goes through one of its pointer parameters
 * (directly, or through a local pointer computed from one), it assigns no
 * globals, and it calls only known functions. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct sum {
	const struct ir_func *f;
	struct slc_callee_write *out;
	int n, max, ok;
};

static int known_call(const char *name)
{
	static const char *const names[] = {
	        "memset", "memcpy", "memmove", "sqrtf", "sqrt",  "fabsf", "fabs",
	        "expf",   "exp",    "logf",    "log",   "fmaxf", "fmax",  "fminf",
	        "fmin",   "tanhf",  "tanh",    "powf",  "pow",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i]))
			return 1;
	return 0;
}

/* The parameter a pointer expression is based on, following local pointers
 * whose every definition is based on a parameter. */
static int origin(const struct ir_func *f, struct ir_expr *e, int depth);

struct def_origin {
	const struct ir_func *f;
	const struct ir_var *v;
	int param; /* -1 none yet, -2 conflicting */
	int depth;
};

static void def_origin_expr(struct ir_expr *e, void *arg)
{
	struct def_origin *d = arg;
	if (e->kind != IR_E_ASSIGN && e->kind != IR_E_INCDEC)
		return;
	struct ir_expr *l = e->a;
	while (l && l->kind == IR_E_PAREN)
		l = l->a;
	if (!l || l->kind != IR_E_VAR || l->var != d->v)
		return;
	int p = e->kind == IR_E_INCDEC
	                ? d->param
	                : origin(d->f, e->op == IR_OP_NONE ? e->b : e->a, d->depth + 1);
	if (e->kind == IR_E_ASSIGN && e->op != IR_OP_NONE && e->op != IR_OP_ADD &&
	    e->op != IR_OP_SUB)
		p = -2;
	if (p < 0 || (d->param >= 0 && p != d->param))
		d->param = -2;
	else if (d->param == -1)
		d->param = p;
}

static void def_origin_stmt(struct ir_stmt *s, void *arg)
{
	struct def_origin *d = arg;
	if (s->kind == IR_S_DECL)
		for (int i = 0; i < s->nvars; i++)
			if (s->vars[i] == d->v && s->inits[i]) {
				int p = origin(d->f, s->inits[i], d->depth + 1);
				if (p < 0 || (d->param >= 0 && p != d->param))
					d->param = -2;
				else if (d->param == -1)
					d->param = p;
			}
	ir_stmt_exprs(s, def_origin_expr, d);
}

static int origin(const struct ir_func *f, struct ir_expr *e, int depth)
{
	if (depth > 8)
		return -1;
	struct ir_var *v = ir_base_var(e);
	if (!v)
		return -1;
	int p = ir_param_index(f, v);
	if (p >= 0)
		return p;
	if (v->kind != IR_VAR_LOCAL || (v->flags & IR_VAR_ADDR_TAKEN))
		return -1;
	struct def_origin d = {f, v, -1, depth};
	ir_stmt_walk(f->body, def_origin_stmt, &d);
	return d.param;
}

static void add_write(struct sum *s, int param, const struct ir_type *t)
{
	for (int i = 0; i < s->n; i++)
		if (s->out[i].param == param && s->out[i].type == t)
			return;
	if (s->n == s->max) {
		s->ok = 0;
		return;
	}
	s->out[s->n++] = (struct slc_callee_write){param, t};
}

static void sum_expr(struct ir_expr *e, void *arg)
{
	struct sum *s = arg;
	if (!s->ok)
		return;
	if (e->kind == IR_E_OTHER || (e->type && (e->type->flags & IR_TYPE_VOLATILE))) {
		s->ok = 0;
		return;
	}
	if (e->kind == IR_E_CALL) {
		if (!e->text || !known_call(e->text)) {
			s->ok = 0;
			return;
		}
		if (strcmp(e->text, "memset") && strcmp(e->text, "memcpy") &&
		    strcmp(e->text, "memmove"))
			return;
		int p = e->nargs ? origin(s->f, e->args[0], 0) : -1;
		if (p < 0)
			s->ok = 0;
		else
			add_write(s, p, NULL); /* bytes: may alias anything */
		return;
	}
	if (ir_is_write(e)) {
		struct ir_expr *base = e->kind == IR_E_MEMBER && !e->arrow ? e : e->a;
		int p = origin(s->f, base, 0);
		if (p < 0)
			s->ok = 0;
		else
			add_write(s, p, e->type);
	}
}

static void sum_stmt(struct ir_stmt *st, void *arg)
{
	struct sum *s = arg;
	if (st->kind == IR_S_OTHER)
		s->ok = 0;
	ir_stmt_exprs(st, sum_expr, s);
}

int slc_callee_writes(const struct ir_unit *u, const char *name, struct slc_callee_write *out,
                      int max)
{
	for (int i = 0; i < u->nfuncs; i++) {
		const struct ir_func *f = u->funcs[i];
		if (strcmp(f->name, name))
			continue;
		if (!f->body || f->is_variadic || f->unsupported)
			return -1;
		for (int k = 0; k < f->nvars; k++) {
			const struct ir_var *v = f->vars[k];
			if (v && ((v->kind == IR_VAR_GLOBAL && (v->flags & IR_VAR_ASSIGNED)) ||
			          (v->flags & IR_VAR_STATIC)))
				return -1;
		}
		struct sum s = {f, out, 0, max, 1};
		ir_stmt_walk(f->body, sum_stmt, &s);
		return s.ok ? s.n : -1;
	}
	return -1;
}
