/* IR -> lookup-compute program: slice a function into its access skeleton and
 * compute callbacks.
 *
 * The access side must do everything that decides which memory is touched:
 * loads whose values feed addresses (index loads), loop bounds and branch
 * conditions around them, and the variables those depend on. Everything else
 * (stores, accumulators, row arithmetic) stays on the execute side in the
 * user's own statements. The split is a fixpoint: a variable the access side
 * needs drags in its definitions, a definition drags in the loops around it,
 * a loop drags in its control, and so on.
 *
 * The rewrite is refused (and the function left byte-identical) whenever the
 * split could change behaviour: a statement that would have to be cut in two,
 * a loop exit decided by computed values, a call daec does not know, or
 * memory the access side reads ahead that the execute side may write. */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct def {
	struct ir_var *var;
	struct ir_stmt *stmt; /* statement owning the definition */
	struct ir_expr *rhs; /* assigned value (NULL for ++/--) */
	struct ir_expr *node; /* the ASSIGN/INCDEC node, NULL for a declaration */
};

struct mem {
	struct ir_expr *e;
	struct ir_stmt *stmt;
	/* A write made inside a same-file function called here: through the
	 * argument base, of type type (NULL: bytes). */
	struct ir_expr *base;
	const struct ir_type *type;
	int callee;
};

struct ctx {
	struct arena *a;
	const struct ir_unit *u;
	struct ir_func *f;
	struct slc_program *p;
	struct slc_decline *why;

	struct ir_stmt **stmts; /* by id */
	struct ptrvec defs; /* struct def * */
	struct ptrvec mems; /* struct mem *: every memory node */
	struct ptrvec calls; /* struct mem *: every call (e = the CALL) */
	unsigned char *ld; /* per var: value derives from a load */
	unsigned char *avar; /* per var: the access side needs it */
	unsigned char *addrvar; /* per var: its value becomes (part of) an address */
	unsigned char *access; /* per stmt: access statement / access loop / skeleton if */
	struct ptrvec idx_loads; /* struct mem *: loads whose values feed addresses */
	struct ptrvec acc_reads; /* struct mem *: loads the access side performs */
	int changed;
	struct ir_expr *fp_use; /* floating point computed on the access side */
	int marshal_data; /* -O0: row reads are sent as data */
	int marshal_rows; /* --marshal=data at -O2/-O3: whole rows are sent as data */
	struct ptrvec data_rows; /* struct slc_prefetch *: rows sent by value, read ahead */
	struct ptrvec data_mems; /* struct mem *: the same rows' reads, for check_aliasing */
	const char *row_by_ref; /* why the first row that could not be sent by value was not */
};

static int decline(struct ctx *c, struct ir_loc loc, const char *fmt, const char *arg)
{
	if (!c->why->reason) {
		c->why->reason = arg ? arena_printf(c->a, fmt, arg) : arena_strdup(c->a, fmt);
		c->why->loc = loc;
	}
	return -1;
}

static int failed(struct ctx *c)
{
	return c->why->reason != NULL;
}

/* A parameter or global nobody assigns: both sides read it, nobody sends it. */
static int invariant(const struct ir_var *v)
{
	return v->kind != IR_VAR_LOCAL && !(v->flags & IR_VAR_ASSIGNED);
}

static char *text_with(struct ctx *c, struct ir_expr *e, struct ir_var *v, const char *with);

/* Parenthesised unless it is one token. */
static const char *tight_text(struct ctx *c, const char *t)
{
	for (const char *s = t; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '.'))
			return arena_printf(c->a, "(%s)", t);
	return t;
}

/* ---- collection ---------------------------------------------------------- */

struct collect {
	struct ctx *c;
	struct ir_stmt *s;
};

static void add_def(struct ctx *c, struct ir_var *v, struct ir_stmt *s, struct ir_expr *rhs,
                    struct ir_expr *node)
{
	struct def *d = ARENA_NEW(c->a, struct def);
	d->var = v;
	d->stmt = s;
	d->rhs = rhs;
	d->node = node;
	ptrvec_push(c->a, &c->defs, d);
}

static void collect_expr(struct ir_expr *e, void *arg)
{
	struct collect *k = arg;
	struct ctx *c = k->c;
	if (ir_is_memory(e) && e->type &&
	    ((e->type->flags & IR_TYPE_VOLATILE) ||
	     (e->type->spelling && strstr(e->type->spelling, "_Atomic"))))
		decline(c, e->loc, "%s memory access: its order is observable",
		        (e->type->flags & IR_TYPE_VOLATILE) ? "volatile" : "atomic");
	if (ir_is_memory(e)) {
		struct mem *m = ARENA_NEW(c->a, struct mem);
		m->e = e;
		m->stmt = k->s;
		ptrvec_push(c->a, &c->mems, m);
	}
	switch (e->kind) {
	case IR_E_ASSIGN: {
		struct ir_expr *l = ir_unparen(e->a);
		if (l && l->kind == IR_E_VAR)
			add_def(c, l->var, k->s, e->b, e);
		break;
	}
	case IR_E_INCDEC: {
		struct ir_expr *l = ir_unparen(e->a);
		if (l && l->kind == IR_E_VAR)
			add_def(c, l->var, k->s, NULL, e);
		break;
	}
	case IR_E_CALL: {
		struct mem *m = ARENA_NEW(c->a, struct mem);
		m->e = e;
		m->stmt = k->s;
		ptrvec_push(c->a, &c->calls, m);
		break;
	}
	case IR_E_OTHER:
		decline(c, e->loc, "unsupported expression (%s)", e->text ? e->text : "unknown");
		break;
	default:
		break;
	}
}

static void collect_stmt(struct ir_stmt *s, void *arg)
{
	struct ctx *c = arg;
	if (s->id >= 0 && s->id < c->f->nstmts)
		c->stmts[s->id] = s;
	if (s->kind == IR_S_OTHER)
		decline(c, s->loc, "unsupported statement (%s)", s->text ? s->text : "unknown");
	if (s->kind == IR_S_DECL)
		for (int i = 0; i < s->nvars; i++)
			if (s->inits[i])
				add_def(c, s->vars[i], s, s->inits[i], NULL);
	struct collect k = {c, s};
	ir_stmt_exprs(s, collect_expr, &k);
}

/* ---- dependence ---------------------------------------------------------- */

struct scan {
	struct ctx *c;
	int found;
};

static int types_may_alias(const struct ctx *c, const struct ir_type *r, const struct ir_type *w);
static int is_pure_call(const char *name);
static int is_mem_call(const char *name);

struct inv_scan {
	struct ctx *c;
	int ok;
};

static int invariant_load(struct ctx *c, struct ir_expr *e);

static void inv_walk(struct inv_scan *iv, struct ir_expr *e)
{
	if (!e || !iv->ok)
		return;
	switch (e->kind) {
	case IR_E_CONST:
		return;
	case IR_E_VAR:
		if (!invariant(e->var))
			iv->ok = 0;
		return;
	case IR_E_INDEX:
	case IR_E_DEREF:
	case IR_E_MEMBER:
		if (ir_is_read(e) && !invariant_load(iv->c, e)) {
			iv->ok = 0;
			return;
		}
		break;
	case IR_E_PAREN:
	case IR_E_CAST:
	case IR_E_BINARY:
	case IR_E_UNARY:
	case IR_E_ADDROF:
		break;
	default:
		iv->ok = 0;
		return;
	}
	if (!ir_is_read(e) || e->access == IR_ACC_NONE) {
		inv_walk(iv, e->a);
		inv_walk(iv, e->b);
		inv_walk(iv, e->c);
	}
}

/* A load from a fixed address the function never writes through a type that
 * could alias it (L->in, m->mode, cfg->dim): a value like a parameter, not
 * an index. Its own address may use parameters and other such loads. */
static int invariant_load(struct ctx *c, struct ir_expr *e)
{
	if (!ir_is_read(e) || (e->type && (e->type->flags & IR_TYPE_VOLATILE)))
		return 0;
	struct ir_expr *parts[2];
	int np = ir_addr_parts(e, parts, 2);
	struct inv_scan iv = {c, 1};
	for (int k = 0; k < np; k++)
		inv_walk(&iv, parts[k]);
	if (!iv.ok)
		return 0;
	for (int i = 0; i < c->mems.n; i++) {
		struct mem *m = c->mems.v[i];
		if (ir_is_write(m->e) && types_may_alias(c, e->type, m->e->type))
			return 0;
	}
	for (int i = 0; i < c->calls.n; i++) {
		struct mem *m = c->calls.v[i];
		if (!m->e->text || is_pure_call(m->e->text))
			continue;
		if (is_mem_call(m->e->text))
			return 0;
		struct slc_callee_write cw[16];
		int n = slc_callee_writes(c->u, m->e->text, cw, 16);
		for (int k = 0; k < n; k++)
			if (!cw[k].type || types_may_alias(c, e->type, cw[k].type))
				return 0;
		if (n < 0)
			return 0;
	}
	return 1;
}

static void has_load_or_ld(struct ir_expr *e, void *arg)
{
	struct scan *sc = arg;
	if (ir_is_read(e) && !invariant_load(sc->c, e))
		sc->found = 1;
	if (e->kind == IR_E_VAR && sc->c->ld[e->var->id])
		sc->found = 1;
}

static void compute_load_derived(struct ctx *c)
{
	int changed = 1;
	while (changed) {
		changed = 0;
		for (int i = 0; i < c->defs.n; i++) {
			struct def *d = c->defs.v[i];
			if (c->ld[d->var->id] || !d->rhs)
				continue;
			struct scan sc = {c, 0};
			ir_expr_walk(d->rhs, has_load_or_ld, &sc);
			if (sc.found) {
				c->ld[d->var->id] = 1;
				changed = 1;
			}
		}
	}
}

static void set_avar(struct ctx *c, struct ir_var *v)
{
	if (invariant(v) || c->avar[v->id])
		return;
	c->avar[v->id] = 1;
	c->changed = 1;
}

static void set_access(struct ctx *c, struct ir_stmt *s)
{
	if (c->access[s->id])
		return;
	c->access[s->id] = 1;
	c->changed = 1;
}

static void push_unique(struct ctx *c, struct ptrvec *pv, struct ir_expr *e, struct ir_stmt *s)
{
	for (int i = 0; i < pv->n; i++)
		if (((struct mem *)pv->v[i])->e == e)
			return;
	struct mem *m = ARENA_NEW(c->a, struct mem);
	m->e = e;
	m->stmt = s;
	ptrvec_push(c->a, pv, m);
	c->changed = 1;
}

/* Everything in e is computed by the access side: its variables become access
 * variables and its loads access reads. */
struct need {
	struct ctx *c;
	struct ir_stmt *s;
};

static void need_expr(struct ir_expr *e, void *arg)
{
	struct need *n = arg;
	if (e->kind == IR_E_VAR)
		set_avar(n->c, e->var);
	if (ir_is_read(e))
		push_unique(n->c, &n->c->acc_reads, e, n->s);
}

static void need(struct ctx *c, struct ir_expr *e, struct ir_stmt *s)
{
	struct need n = {c, s};
	ir_expr_walk(e, need_expr, &n);
}

/* Outermost loads inside an address part, and load-derived variables in it. */
static void find_index_loads(struct ctx *c, struct ir_expr *e, struct ir_stmt *s)
{
	if (!e)
		return;
	if (ir_is_read(e)) {
		if (!invariant_load(c, e))
			push_unique(c, &c->idx_loads, e, s);
		return;
	}
	if (e->kind == IR_E_VAR && c->ld[e->var->id]) {
		set_avar(c, e->var);
		c->addrvar[e->var->id] = 1;
	}
	find_index_loads(c, e->a, s);
	find_index_loads(c, e->b, s);
	find_index_loads(c, e->c, s);
	for (int i = 0; i < e->nargs; i++)
		find_index_loads(c, e->args[i], s);
}

static int defines_in(struct ctx *c, struct ir_var *v, struct ir_stmt *loop)
{
	for (int i = 0; i < c->defs.n; i++) {
		struct def *d = c->defs.v[i];
		if (d->var == v && ir_stmt_within(d->stmt, loop))
			return 1;
	}
	return 0;
}

struct varlist {
	struct ir_var *v[64];
	int n;
};

static void list_vars(struct ir_expr *e, void *arg)
{
	struct varlist *vl = arg;
	if (e->kind != IR_E_VAR)
		return;
	for (int i = 0; i < vl->n; i++)
		if (vl->v[i] == e->var)
			return;
	if (vl->n < 64)
		vl->v[vl->n++] = e->var;
}

static void addr_vars(struct ir_expr *m, struct varlist *vl)
{
	struct ir_expr *parts[2];
	int np = ir_addr_parts(m, parts, 2);
	for (int i = 0; i < np; i++)
		ir_expr_walk(parts[i], list_vars, vl);
}

/* The skeleton must reach s: loops around it iterate on the access side and
 * branches around it are decided there. */
static void mark_enclosing(struct ctx *c, struct ir_stmt *s)
{
	for (struct ir_stmt *p = s->parent; p; p = p->parent)
		if (ir_is_loop(p) || p->kind == IR_S_IF)
			set_access(c, p);
}

static struct ir_stmt *jump_target(struct ir_stmt *s)
{
	return ir_enclosing_loop(s);
}

static int is_mem_call(const char *name);

static void fixpoint(struct ctx *c)
{
	/* Roots: loads and load-derived variables that feed an address, in
	 * memory accesses and in the pointer arguments of memcpy and memset. */
	for (int i = 0; i < c->mems.n; i++) {
		struct mem *m = c->mems.v[i];
		struct ir_expr *parts[2];
		int np = ir_addr_parts(m->e, parts, 2);
		for (int k = 0; k < np; k++)
			find_index_loads(c, parts[k], m->stmt);
	}
	for (int i = 0; i < c->calls.n; i++) {
		struct mem *m = c->calls.v[i];
		if (!m->e->text || !is_mem_call(m->e->text))
			continue;
		for (int k = 0; k < m->e->nargs && k < 2; k++)
			if (k == 0 || strcmp(m->e->text, "memset"))
				find_index_loads(c, m->e->args[k], m->stmt);
	}
	/* Marshalled as data, every row element is read by the access side and
	 * sent: row reads join the index loads (their loops then iterate on the
	 * access side, one token per element). */
	if (c->marshal_data)
		for (int i = 0; i < c->mems.n; i++) {
			struct mem *m = c->mems.v[i];
			if (m->e->access != IR_ACC_READ || invariant_load(c, m->e))
				continue;
			struct ir_expr *parts[2];
			int np = ir_addr_parts(m->e, parts, 2);
			struct scan sc = {c, 0};
			for (int k = 0; k < np; k++)
				ir_expr_walk(parts[k], has_load_or_ld, &sc);
			if (sc.found)
				push_unique(c, &c->idx_loads, m->e, m->stmt);
		}
	do {
		c->changed = 0;
		/* An index load is performed by the access side at the start of its
		 * callback; loops that change its address must iterate there. */
		for (int i = 0; i < c->idx_loads.n; i++) {
			struct mem *m = c->idx_loads.v[i];
			struct varlist vl = {.n = 0};
			addr_vars(m->e, &vl);
			for (int k = 0; k < vl.n; k++) {
				set_avar(c, vl.v[k]);
				c->addrvar[vl.v[k]->id] = 1;
			}
			for (struct ir_stmt *p = m->stmt; p; p = p->parent) {
				if (!ir_is_loop(p) || c->access[p->id])
					continue;
				for (int k = 0; k < vl.n; k++)
					if (defines_in(c, vl.v[k], p)) {
						set_access(c, p);
						break;
					}
			}
			for (struct ir_stmt *p = m->stmt; p; p = p->parent)
				if (c->access[p->id])
					mark_enclosing(c, p);
		}
		/* Definitions of access variables are access statements. */
		for (int i = 0; i < c->defs.n; i++) {
			struct def *d = c->defs.v[i];
			if (!c->avar[d->var->id])
				continue;
			set_access(c, d->stmt);
			mark_enclosing(c, d->stmt);
			if (d->rhs)
				need(c, d->rhs, d->stmt);
		}
		/* A declaration of an access variable is (at least partly) an access statement. */
		for (int id = 0; id < c->f->nstmts; id++) {
			struct ir_stmt *s = c->stmts[id];
			if (!s || s->kind != IR_S_DECL || c->access[id])
				continue;
			for (int k = 0; k < s->nvars; k++)
				if (c->avar[s->vars[k]->id]) {
					set_access(c, s);
					break;
				}
		}
		/* Access loops and branches: their control runs on the access side. */
		for (int id = 0; id < c->f->nstmts; id++) {
			struct ir_stmt *s = c->stmts[id];
			if (!s || !c->access[id])
				continue;
			mark_enclosing(c, s);
			if (s->kind == IR_S_FOR || s->kind == IR_S_WHILE || s->kind == IR_S_DO ||
			    s->kind == IR_S_IF) {
				need(c, s->expr, s);
				if (s->kind == IR_S_FOR) {
					need(c, s->inc, s);
					if (s->init)
						set_access(c, s->init);
				}
			}
			if (s->kind == IR_S_DECL || s->kind == IR_S_EXPR)
				for (int k = 0; k < s->nvars; k++)
					need(c, s->inits[k], s);
			if (s->kind == IR_S_EXPR)
				need(c, s->expr, s);
		}
		/* Returns end both sides: every branch around one is decided by the
		 * access side; a break or continue of an access loop likewise. */
		for (int id = 0; id < c->f->nstmts; id++) {
			struct ir_stmt *s = c->stmts[id];
			if (!s)
				continue;
			if (s->kind == IR_S_RETURN) {
				for (struct ir_stmt *p = s->parent; p; p = p->parent)
					if (p->kind == IR_S_IF)
						set_access(c, p);
			} else if (s->kind == IR_S_BREAK || s->kind == IR_S_CONTINUE) {
				struct ir_stmt *t = jump_target(s);
				if (t && c->access[t->id])
					for (struct ir_stmt *p = s->parent; p && p != t;
					     p = p->parent)
						if (p->kind == IR_S_IF)
							set_access(c, p);
			}
		}
	} while (c->changed && !failed(c));
}

/* ---- checks ---------------------------------------------------------------- */

static const char *const known_pure[] = {
        "sqrtf",
        "sqrt",
        "fabsf",
        "fabs",
        "fmaxf",
        "fmax",
        "fminf",
        "fmin",
        "expf",
        "exp",
        "logf",
        "log",
        "tanhf",
        "tanh",
        "powf",
        "pow",
        "floorf",
        "floor",
        "ceilf",
        "ceil",
        "roundf",
        "round",
        "copysignf",
        "copysign",
        "ldexpf",
        "ldexp",
        "abs",
        "labs",
        "llabs",
        /* What INFINITY, NAN and HUGE_VAL expand to, and a few more. */
        "__builtin_inff",
        "__builtin_inf",
        "__builtin_nanf",
        "__builtin_nan",
        "__builtin_huge_valf",
        "__builtin_huge_val",
        "fmodf",
        "fmod",
        "sinf",
        "cosf",
        "sin",
        "cos",
        "log1pf",
        "expm1f",
        "erff",
};

static int is_pure_call(const char *name)
{
	for (size_t i = 0; i < sizeof(known_pure) / sizeof(known_pure[0]); i++)
		if (!strcmp(name, known_pure[i]))
			return 1;
	return 0;
}

static int is_mem_call(const char *name)
{
	return !strcmp(name, "memset") || !strcmp(name, "memcpy") || !strcmp(name, "memmove");
}

struct effects {
	struct ctx *c;
	int writes;
	struct ir_expr *call;
	struct ir_expr *write;
};

static void effects_expr(struct ir_expr *e, void *arg)
{
	struct effects *ef = arg;
	if (ir_is_write(e)) {
		ef->writes = 1;
		if (!ef->write)
			ef->write = e;
	}
	if (e->kind == IR_E_CALL && !ef->call)
		ef->call = e;
}

static const char *avar_defined_in(struct ctx *c, struct ir_stmt *s)
{
	for (int i = 0; i < c->defs.n; i++) {
		struct def *d = c->defs.v[i];
		if (d->stmt == s && c->avar[d->var->id])
			return d->var->name;
	}
	return "an index";
}

static int fp_type(const struct ir_type *t)
{
	return t && (t->cls == IR_T_FLOAT || t->cls == IR_T_DOUBLE || t->cls == IR_T_LDOUBLE);
}

struct fp_scan {
	struct ir_expr *found;
};

static void fp_walk(struct ir_expr *e, void *arg)
{
	struct fp_scan *fs = arg;
	if (fs->found)
		return;
	/* Arithmetic, conversions and comparisons round or raise flags in the
	 * current floating-point environment; a plain load does not. */
	int op = e->kind == IR_E_BINARY || e->kind == IR_E_UNARY || e->kind == IR_E_CAST ||
	         e->kind == IR_E_COND || e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN ||
	         e->kind == IR_E_INCDEC;
	if (op &&
	    (fp_type(e->type) || (e->a && fp_type(e->a->type)) || (e->b && fp_type(e->b->type))))
		fs->found = e;
}

/* The access side may run on another thread, whose rounding mode and
 * exception flags are not the caller's: it must not compute with floating
 * point (a bucket index computed as (int)(x * scale), say). */
static int check_access_fp(struct ctx *c, struct ir_stmt *s)
{
	struct fp_scan fs = {NULL};
	ir_stmt_exprs(s, fp_walk, &fs);
	/* Remembered, and reported only if nothing more specific declines first. */
	if (fs.found && !c->fp_use)
		c->fp_use = fs.found;
	return 0;
}

static int check_access_stmt(struct ctx *c, struct ir_stmt *s)
{
	if (check_access_fp(c, s))
		return -1;
	struct effects ef = {c, 0, NULL, NULL};
	ir_stmt_exprs(s, effects_expr, &ef);
	if (ef.write)
		return decline(
		        c, ef.write->loc,
		        "statement mixes index arithmetic (%s) with a store; it cannot be split",
		        avar_defined_in(c, s));
	if (ef.call)
		return decline(c, ef.call->loc, "call to %s in index or bound computation",
		               ef.call->text ? ef.call->text : "a function");
	if (s->kind == IR_S_DECL)
		for (int i = 0; i < s->nvars; i++)
			if (!c->avar[s->vars[i]->id] && s->inits[i])
				return decline(c, s->loc,
				               "declaration mixes index variables and computed "
				               "values (%s)",
				               s->vars[i]->name);
	return 0;
}

/* int64_t b, j, d; with b and j used by the access side and d by the execute
 * side: the access side declares its own, the execute side hoists the rest. */
static const char *split_decl(struct ctx *c, struct ir_stmt *s)
{
	int all = 1;
	for (int i = 0; i < s->nvars; i++)
		if (!c->avar[s->vars[i]->id])
			all = 0;
	if (all)
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	for (int i = 0; i < s->nvars; i++) {
		struct ir_var *v = s->vars[i];
		if (!c->avar[v->id])
			continue;
		char *d = ir_decl_text(c->a, v->type, v->name, 1);
		char *init = s->inits[i] ? text_with(c, s->inits[i], NULL, NULL) : NULL;
		if (!d || (s->inits[i] && !init)) {
			decline(c, s->loc, "cannot split the declaration of %s", v->name);
			break;
		}
		strbuf_addf(&sb, "%s%s%s%s;", sb.len ? "\n" : "", d, init ? " = " : "",
		            init ? init : "");
	}
	char *r = arena_strdup(c->a, sb.s);
	strbuf_exit(&sb);
	return r;
}

/* An execute statement must not change anything the access side computes. */
struct exec_check {
	struct ctx *c;
	struct ir_stmt *root;
};

static void exec_stmt_check(struct ir_stmt *s, void *arg)
{
	struct exec_check *x = arg;
	struct ctx *c = x->c;
	if (failed(c))
		return;
	if (s->kind == IR_S_RETURN)
		decline(c, s->loc, "return inside a compute loop depends on computed values", NULL);
	if (c->access[s->id] && s != x->root)
		decline(c, s->loc, "internal: access statement inside a compute statement", NULL);
}

static int check_exec_defs(struct ctx *c)
{
	for (int i = 0; i < c->defs.n; i++) {
		struct def *d = c->defs.v[i];
		if (c->avar[d->var->id] && !c->access[d->stmt->id])
			return decline(c, d->stmt->loc,
			               "statement mixes index arithmetic (%s) with computation",
			               d->var->name);
	}
	return 0;
}

/* A function of this file whose stores all go through its parameters: it
 * may run on the execute side (see rewriters/callee.c). */
static int summarised(struct ctx *c, const char *name)
{
	struct slc_callee_write w[16];
	return slc_callee_writes(c->u, name, w, 16) >= 0;
}

static int check_calls(struct ctx *c)
{
	for (int i = 0; i < c->calls.n; i++) {
		struct mem *m = c->calls.v[i];
		const char *name = m->e->text ? m->e->text : "";
		if (c->access[m->stmt->id])
			continue; /* reported by check_access_stmt */
		if (!is_pure_call(name) && !is_mem_call(name) && !summarised(c, name))
			return decline(c, m->e->loc, "call to an unknown function (%s)", name);
	}
	return 0;
}

static int check_vars(struct ctx *c)
{
	for (int i = 0; i < c->f->nvars; i++) {
		struct ir_var *v = c->f->vars[i];
		if (!v)
			continue;
		if (!strncmp(v->name, "dae_", 4))
			return decline(c, v->loc, "variable %s uses daec's reserved prefix dae_",
			               v->name);
		if (v->type && (v->type->flags & IR_TYPE_VOLATILE))
			return decline(c, v->loc, "volatile variable %s", v->name);
		if (v->flags & IR_VAR_STATIC)
			return decline(c, v->loc, "static local variable %s", v->name);
		/* Pointers to variably modified arrays travel as void * and are
		 * declared with their sizes on each side; other VLA types cannot. */
		if (v->kind == IR_VAR_PARAM && v->type && (v->type->flags & IR_TYPE_VLA) &&
		    !(v->type->cls == IR_T_PTR && v->type->spelling &&
		      strstr(v->type->spelling, "(*")))
			return decline(c, v->loc, "parameter %s has a variably modified type",
			               v->name);
		if (v->kind == IR_VAR_PARAM && (!v->name || !v->name[0]))
			return decline(c, v->loc, "unnamed parameter", NULL);
		if (c->avar[v->id] && (v->flags & IR_VAR_ADDR_TAKEN))
			return decline(c, v->loc, "address of index variable %s is taken", v->name);
		if (v->kind == IR_VAR_GLOBAL && (v->flags & IR_VAR_ASSIGNED))
			return decline(c, v->loc, "the loop assigns global variable %s", v->name);
	}
	return 0;
}

/* ---- aliasing ---------------------------------------------------------------- */

static int int_like(const struct ir_type *t)
{
	return t->cls == IR_T_SINT || t->cls == IR_T_UINT || t->cls == IR_T_ENUM ||
	       t->cls == IR_T_BOOL;
}

/* May an object read through type r be modified through type w without
 * undefined behaviour (C11 6.5p7)? */
static int types_may_alias(const struct ctx *c, const struct ir_type *r, const struct ir_type *w)
{
	if (!r || !w || c->u->no_strict_aliasing)
		return 1;
	if ((r->flags & IR_TYPE_CHAR) || (w->flags & IR_TYPE_CHAR))
		return 1;
	if (r->cls == IR_T_STRUCT || w->cls == IR_T_STRUCT || r->cls == IR_T_OTHER ||
	    w->cls == IR_T_OTHER)
		return 1;
	if (int_like(r) && int_like(w))
		return r->size == w->size;
	if (r->canonical && w->canonical && !strcmp(r->canonical, w->canonical))
		return 1;
	if (r->cls == IR_T_PTR && w->cls == IR_T_PTR)
		return 1;
	return r->cls == w->cls && r->size == w->size;
}

static struct ir_expr *mem_base(struct ir_expr *m)
{
	if (m->kind == IR_E_INDEX || m->kind == IR_E_DEREF)
		return m->a;
	if (m->kind == IR_E_MEMBER)
		return m->arrow ? m->a : m->a;
	return NULL;
}

struct writes {
	struct ctx *c;
	struct ir_stmt *s;
	struct ptrvec *out;
};

static void exec_writes_expr(struct ir_expr *e, void *arg)
{
	struct writes *w = arg;
	if (ir_is_write(e)) {
		struct mem *m = ARENA_NEW(w->c->a, struct mem);
		m->e = e;
		m->stmt = w->s;
		ptrvec_push(w->c->a, w->out, m);
	}
	if (e->kind == IR_E_CALL && e->text && is_mem_call(e->text) && e->nargs > 0) {
		struct mem *m = ARENA_NEW(w->c->a, struct mem);
		m->e = e; /* the destination is args[0] */
		m->stmt = w->s;
		ptrvec_push(w->c->a, w->out, m);
	} else if (e->kind == IR_E_CALL && e->text && !is_pure_call(e->text)) {
		struct slc_callee_write cw[16];
		int n = slc_callee_writes(w->c->u, e->text, cw, 16);
		for (int i = 0; i < n; i++) {
			if (cw[i].param >= e->nargs)
				continue;
			struct mem *m = ARENA_NEW(w->c->a, struct mem);
			m->e = e;
			m->stmt = w->s;
			m->base = e->args[cw[i].param];
			m->type = cw[i].type;
			m->callee = 1;
			ptrvec_push(w->c->a, w->out, m);
		}
	}
}

static int contains_loop(const struct ptrvec *nodes)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_LOOP || contains_loop(&n->body) || contains_loop(&n->else_body))
			return 1;
	}
	return 0;
}

/* Callbacks that run once, at the start of the function, before any access
 * loop: the access side can wait for them (a fence) before reading further,
 * so their writes never race with its reads. Not those with hoisted loads,
 * which the access side reads before the callback runs. */
static void entry_callbacks(struct ctx *c, struct ptrvec *out)
{
	for (int i = 0; i < c->p->top.n; i++) {
		struct slc_node *n = c->p->top.v[i];
		if (n->kind == SLC_LOOP || n->kind == SLC_BLOCK || n->kind == SLC_RETURN ||
		    (n->kind == SLC_IF && contains_loop(&n->body)) ||
		    (n->kind == SLC_IF && contains_loop(&n->else_body)))
			return;
		if (n->kind != SLC_CALLBACK)
			continue;
		int hoisted = 0;
		for (int k = 0; k < n->cb->ops.n; k++)
			hoisted |= ((struct slc_operand *)n->cb->ops.v[k])->load != NULL;
		if (!hoisted)
			ptrvec_push(c->a, out, n->cb);
	}
}

/* Callbacks after the last access-side statement of the function: the
 * access side has done every read before it sends them, so their writes
 * (f->next = b; after the walk) cannot disturb it. */
static void exit_callbacks(struct ctx *c, struct ptrvec *out)
{
	for (int i = c->p->top.n - 1; i >= 0; i--) {
		struct slc_node *n = c->p->top.v[i];
		if (n->kind == SLC_RETURN && n->cb && !n->cb->ops.n) {
			ptrvec_push(c->a, out, n->cb);
			continue;
		}
		if (n->kind != SLC_CALLBACK)
			return;
		int hoisted = 0;
		for (int k = 0; k < n->cb->ops.n; k++)
			hoisted |= ((struct slc_operand *)n->cb->ops.v[k])->load != NULL;
		if (hoisted)
			return;
		ptrvec_push(c->a, out, n->cb);
	}
}

static struct slc_callback *entry_owner(const struct ptrvec *entries, struct ir_stmt *s)
{
	for (int i = 0; i < entries->n; i++) {
		struct slc_callback *cb = entries->v[i];
		for (int k = 0; k < cb->stmts.n; k++)
			if (ir_stmt_within(s, cb->stmts.v[k]))
				return cb;
	}
	return NULL;
}

static int is_idx_load(struct ctx *c, const struct ir_expr *e);

/* Whether an access-side read feeds an address (an index, an offset, a
 * cursor) rather than only a loop exit or branch. */
static int feeds_address(struct ctx *c, const struct mem *r)
{
	if (is_idx_load(c, r->e) || ir_is_loop(r->stmt))
		return 1;
	for (int i = 0; i < c->defs.n; i++) {
		struct def *d = c->defs.v[i];
		if (d->stmt == r->stmt && c->addrvar[d->var->id])
			return 1;
	}
	return 0;
}

struct mark_addr {
	struct ctx *c;
	int changed;
};

static void mark_addr_var(struct ir_expr *e, void *arg)
{
	struct mark_addr *m = arg;
	if (e->kind == IR_E_VAR && !m->c->addrvar[e->var->id]) {
		m->c->addrvar[e->var->id] = 1;
		m->changed = 1;
	}
}

/* The access side may read tables only to find more rows (pointer chasing).
 * A row value that merely decides a branch or an exit (an accumulated sum
 * compared with a cap) would move the whole computation to the access side:
 * nothing would be decoupled, so such functions are refused. */
static int check_row_reads(struct ctx *c)
{
	/* A variable feeding the definition of an address variable feeds the
	 * address too (id in q = id / m; ... Q[q * D + d]). */
	struct mark_addr m = {c, 1};
	while (m.changed) {
		m.changed = 0;
		for (int i = 0; i < c->defs.n; i++) {
			struct def *d = c->defs.v[i];
			if (c->addrvar[d->var->id] && d->rhs)
				ir_expr_walk(d->rhs, mark_addr_var, &m);
		}
	}
	/* Arrays whose values are indices somewhere: reading them in a branch
	 * (if (indices[j] == padding) continue;) is reading indices, not rows. */
	struct ptrvec index_arrays = {0};
	for (int i = 0; i < c->idx_loads.n + c->acc_reads.n; i++) {
		struct mem *r =
		        i < c->idx_loads.n ? c->idx_loads.v[i] : c->acc_reads.v[i - c->idx_loads.n];
		struct ir_var *v = ir_base_var(r->e->kind == IR_E_MEMBER ? r->e : r->e->a);
		if (v && (i < c->idx_loads.n || feeds_address(c, r)) &&
		    !ptrvec_contains(&index_arrays, v))
			ptrvec_push(c->a, &index_arrays, v);
	}
	for (int i = 0; i < c->acc_reads.n; i++) {
		struct mem *r = c->acc_reads.v[i];
		struct ir_var *base = ir_base_var(r->e->kind == IR_E_MEMBER ? r->e : r->e->a);
		if (base && ptrvec_contains(&index_arrays, base))
			continue;
		struct ir_expr *parts[2];
		int np = ir_addr_parts(r->e, parts, 2);
		struct scan sc = {c, 0};
		for (int k = 0; k < np; k++)
			ir_expr_walk(parts[k], has_load_or_ld, &sc);
		if (sc.found && !feeds_address(c, r))
			return decline(
			        c, r->e->loc,
			        "a loop exit or branch depends on computed values (a row read "
			        "through a loaded index); the access side would do the work",
			        NULL);
	}
	return 0;
}

static void row_by_ref(struct ctx *c, const struct ir_expr *load, const char *why);

static int check_aliasing(struct ctx *c)
{
	struct ptrvec writes = {0};
	struct ptrvec entries = {0}, exits = {0};
	entry_callbacks(c, &entries);
	exit_callbacks(c, &exits);
	for (int id = 0; id < c->f->nstmts; id++) {
		struct ir_stmt *s = c->stmts[id];
		if (!s || c->access[id])
			continue;
		struct writes w = {c, s, &writes};
		ir_stmt_exprs(s, exec_writes_expr, &w);
	}
	int strict_used = 0, restrict_used = 0, fenced = 0;
	int nidx = c->acc_reads.n + c->idx_loads.n;
	for (int i = 0; i < nidx + c->data_mems.n; i++) {
		struct mem *r = i < c->acc_reads.n ? c->acc_reads.v[i]
		                : i < nidx         ? c->idx_loads.v[i - c->acc_reads.n]
		                                   : c->data_mems.v[i - nidx];
		/* A row sent by value is read ahead like an index; where that
		 * cannot be shown safe it travels by reference instead. */
		struct slc_prefetch *row = i < nidx ? NULL : c->data_rows.v[i - nidx];
		int nguards = c->p->guards.n;
		struct ir_var *rv = ir_base_var(mem_base(r->e));
		for (int k = 0; k < writes.n && (!row || row->data); k++) {
			struct mem *w = writes.v[k];
			if (entry_owner(&exits, w->stmt))
				continue; /* after every read of the access side */
			struct slc_callback *entry = entry_owner(&entries, w->stmt);
			if (entry) {
				entry->fence = 1;
				fenced = 1;
				continue;
			}
			struct ir_expr *wbase;
			const struct ir_type *wt;
			if (w->callee) {
				wbase = w->base;
				wt = w->type;
			} else if (w->e->kind == IR_E_CALL) {
				wbase = w->e->args[0];
				wt = NULL; /* memset/memcpy write bytes: may alias anything */
			} else {
				wbase = mem_base(w->e);
				wt = w->e->type;
			}
			struct ir_var *wv = ir_base_var(wbase);
			if (row &&
			    (!wv || !rv || rv == wv ||
			     (w->callee && !(wv->type && (wv->type->flags & IR_TYPE_RESTRICT)) &&
			      !(rv->type && (rv->type->flags & IR_TYPE_RESTRICT))))) {
				if (wt && !types_may_alias(c, r->e->type, wt) && rv != wv) {
					strict_used = 1;
					continue;
				}
				row->data = 0;
				c->p->guards.n = nguards;
				row_by_ref(c, row->load,
				           "the callback may write it before reading it");
				break;
			}
			if (rv && rv == wv && !feeds_address(c, r))
				return decline(c, r->e->loc,
				               "a loop exit or branch depends on %s, which the "
				               "loop writes "
				               "(computed values decide the control flow)",
				               wv->name);
			if (rv && rv == wv)
				return decline(c, w->e->loc, "loop writes the index array %s",
				               wv->name);
			/* Types settle it whatever the pointers are based on. */
			if (wt && !types_may_alias(c, r->e->type, wt)) {
				strict_used = 1;
				continue;
			}
			if (!wv)
				return decline(c, w->e->loc,
				               "write through a computed pointer; cannot show it "
				               "leaves the "
				               "index arrays alone",
				               NULL);
			if (!rv)
				return decline(c, r->e->loc,
				               "index read through a computed pointer; cannot show "
				               "the loop "
				               "leaves it alone",
				               NULL);
			if (w->callee && !(wv->type && (wv->type->flags & IR_TYPE_RESTRICT)) &&
			    !(rv->type && (rv->type->flags & IR_TYPE_RESTRICT)))
				return decline(
				        c, w->e->loc,
				        "call to %s may write memory the access side reads ahead",
				        w->e->text);
			if ((rv->type && (rv->type->flags & IR_TYPE_RESTRICT)) ||
			    (wv->type && (wv->type->flags & IR_TYPE_RESTRICT))) {
				restrict_used = 1;
				continue;
			}
			struct slc_guard *g = ARENA_NEW(c->a, struct slc_guard);
			g->read = r->e;
			g->write = w->e;
			g->read_stmt = r->stmt;
			g->write_stmt = w->stmt;
			ptrvec_push(c->a, &c->p->guards, g);
		}
	}
	/* A row sharing another's copy goes by reference with it. */
	for (int i = 0; i < c->data_rows.n; i++) {
		struct slc_prefetch *pf = c->data_rows.v[i];
		if (pf->same && !pf->same->data)
			pf->data = 0;
	}
	if (c->p->guards.n)
		c->p->aliasing = "run-time overlap check";
	else if (fenced)
		c->p->aliasing = "writes before the first lookup are fenced; later ones by types";
	else if (restrict_used)
		c->p->aliasing = strict_used ? "restrict and element types" : "restrict";
	else if (strict_used)
		c->p->aliasing = "element types differ (strict aliasing)";
	else
		c->p->aliasing = "no writes to index arrays";
	return 0;
}

/* ---- building the program --------------------------------------------------- */

static enum slc_kind kind_of(const struct ir_type *t, int *ok)
{
	*ok = 1;
	switch (t ? t->cls : IR_T_OTHER) {
	case IR_T_SINT:
	case IR_T_ENUM:
	case IR_T_BOOL:
		return SLC_K_I64;
	case IR_T_UINT:
		return SLC_K_U64;
	case IR_T_FLOAT:
		return SLC_K_F32;
	case IR_T_DOUBLE:
		return SLC_K_F64;
	case IR_T_PTR:
		if (t->elem && t->elem->cls == IR_T_FUNC)
			break;
		return SLC_K_PTR;
	default:
		break;
	}
	*ok = 0;
	return SLC_K_I64;
}

enum cls { C_SKIP, C_EXEC, C_ACCESS, C_LOOP, C_IF, C_BLOCK, C_RETURN, C_JUMP };

static int contains_access(struct ctx *c, struct ir_stmt *s);

static void any_access(struct ir_stmt *s, void *arg)
{
	struct scan *sc = arg;
	if (sc->c->access[s->id] || s->kind == IR_S_RETURN)
		sc->found = 1;
	if ((s->kind == IR_S_BREAK || s->kind == IR_S_CONTINUE)) {
		struct ir_stmt *t = jump_target(s);
		if (t && sc->c->access[t->id])
			sc->found = 1;
	}
}

static int contains_access(struct ctx *c, struct ir_stmt *s)
{
	struct scan sc = {c, 0};
	ir_stmt_walk(s, any_access, &sc);
	return sc.found;
}

static enum cls classify(struct ctx *c, struct ir_stmt *s)
{
	switch (s->kind) {
	case IR_S_NULL:
		return C_SKIP;
	case IR_S_RETURN:
		return C_RETURN;
	case IR_S_BREAK:
	case IR_S_CONTINUE: {
		struct ir_stmt *t = jump_target(s);
		return t && c->access[t->id] ? C_JUMP : C_EXEC;
	}
	case IR_S_FOR:
	case IR_S_WHILE:
	case IR_S_DO:
		return c->access[s->id] ? C_LOOP : C_EXEC;
	case IR_S_IF:
		return c->access[s->id] ? C_IF : C_EXEC;
	case IR_S_BLOCK:
		return contains_access(c, s) ? C_BLOCK : C_EXEC;
	default:
		return c->access[s->id] ? C_ACCESS : C_EXEC;
	}
}

static struct slc_node *new_node(struct ctx *c, enum slc_node_kind k, struct ir_stmt *s)
{
	struct slc_node *n = ARENA_NEW(c->a, struct slc_node);
	n->kind = k;
	n->stmt = s;
	return n;
}

static struct slc_callback *new_callback(struct ctx *c, struct ir_stmt *loop, struct ir_loc loc)
{
	struct slc_callback *cb = ARENA_NEW(c->a, struct slc_callback);
	cb->id = c->p->callbacks.n + 1;
	cb->loop = loop;
	cb->loc = loc;
	ptrvec_push(c->a, &c->p->callbacks, cb);
	return cb;
}

static void build_list(struct ctx *c, struct ir_stmt **list, int n, struct ir_stmt *loop,
                       struct ptrvec *out);

static void build_body(struct ctx *c, struct ir_stmt *s, struct ir_stmt *loop, struct ptrvec *out)
{
	if (!s)
		return;
	if (s->kind == IR_S_BLOCK)
		build_list(c, s->kids, s->nkids, loop, out);
	else
		build_list(c, &s, 1, loop, out);
}

static void set_events(struct ptrvec *nodes, struct ir_stmt *loop)
{
	int seen_loop = 0;
	for (int i = 0; i < nodes->n; i++) {
		struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_LOOP)
			seen_loop = 1;
		if (n->kind != SLC_CALLBACK)
			continue;
		int later_loop = 0;
		for (int k = i + 1; k < nodes->n; k++)
			if (((struct slc_node *)nodes->v[k])->kind == SLC_LOOP)
				later_loop = 1;
		if (!loop)
			n->cb->event = seen_loop ? SLC_EV_EXIT : SLC_EV_ENTRY;
		else if (seen_loop)
			n->cb->event = SLC_EV_END;
		else
			n->cb->event = later_loop ? SLC_EV_BEGIN : SLC_EV_ITER;
	}
}

static void build_list(struct ctx *c, struct ir_stmt **list, int n, struct ir_stmt *loop,
                       struct ptrvec *out)
{
	struct slc_callback *cur = NULL;
	for (int i = 0; i < n && !failed(c); i++) {
		struct ir_stmt *s = list[i];
		enum cls k = classify(c, s);
		if (k == C_SKIP)
			continue;
		if (k == C_EXEC) {
			struct exec_check x = {c, s};
			ir_stmt_walk(s, exec_stmt_check, &x);
			if (!cur) {
				cur = new_callback(c, loop, s->loc);
				struct slc_node *nd = new_node(c, SLC_CALLBACK, NULL);
				nd->cb = cur;
				ptrvec_push(c->a, out, nd);
			}
			ptrvec_push(c->a, &cur->stmts, s);
			continue;
		}
		cur = NULL;
		struct slc_node *nd;
		switch (k) {
		case C_LOOP:
			if (check_access_fp(c, s))
				return;
			nd = new_node(c, SLC_LOOP, s);
			if (s->init && check_access_stmt(c, s->init))
				return;
			build_body(c, s->body, s, &nd->body);
			set_events(&nd->body, s);
			break;
		case C_IF:
			if (check_access_fp(c, s))
				return;
			nd = new_node(c, SLC_IF, s);
			build_body(c, s->then_s, loop, &nd->body);
			if (s->else_s) {
				nd->has_else = 1;
				build_body(c, s->else_s, loop, &nd->else_body);
			}
			break;
		case C_BLOCK:
			nd = new_node(c, SLC_BLOCK, s);
			build_list(c, s->kids, s->nkids, loop, &nd->body);
			break;
		case C_ACCESS:
			if (check_access_stmt(c, s))
				return;
			nd = new_node(c, SLC_ACCESS, s);
			if (s->kind == IR_S_DECL)
				nd->text = split_decl(c, s);
			break;
		case C_RETURN:
			nd = new_node(c, SLC_RETURN, s);
			if (s->expr) {
				nd->cb = new_callback(c, loop, s->loc);
				nd->cb->event = SLC_EV_RETURN;
				nd->cb->ret = s->expr;
			}
			break;
		case C_JUMP:
			nd = new_node(c, SLC_JUMP, s);
			break;
		default:
			nd = NULL;
			break;
		}
		if (nd)
			ptrvec_push(c->a, out, nd);
	}
}

/* ---- operands ------------------------------------------------------------------- */

struct opscan {
	struct ctx *c;
	struct slc_callback *cb;
	struct ir_stmt *root; /* statement of the callback being scanned */
};

static struct slc_operand *find_var_op(struct slc_callback *cb, struct ir_var *v)
{
	for (int i = 0; i < cb->ops.n; i++) {
		struct slc_operand *o = cb->ops.v[i];
		if (o->var == v)
			return o;
	}
	return NULL;
}

static void add_var_op(struct ctx *c, struct slc_callback *cb, struct ir_var *v, struct ir_loc loc)
{
	if (find_var_op(cb, v))
		return;
	int ok;
	struct slc_operand *o = ARENA_NEW(c->a, struct slc_operand);
	o->var = v;
	o->name = v->name;
	o->kind = kind_of(v->type, &ok);
	o->ctype = v->type ? v->type->unqual : NULL;
	o->loaded = c->ld[v->id];
	if (!ok || !o->ctype) {
		decline(c, loc, "value of %s cannot travel through the queue (type not supported)",
		        v->name);
		return;
	}
	ptrvec_push(c->a, &cb->ops, o);
	if (!ptrvec_contains(&c->p->exec_received, v))
		ptrvec_push(c->a, &c->p->exec_received, v);
}

static int is_idx_load(struct ctx *c, const struct ir_expr *e)
{
	for (int i = 0; i < c->idx_loads.n; i++)
		if (((struct mem *)c->idx_loads.v[i])->e == e)
			return 1;
	return 0;
}

/* Find the statement path from root down to the statement owning e. */
static struct ir_stmt *owner_stmt(struct ctx *c, const struct ir_expr *e)
{
	for (int i = 0; i < c->mems.n; i++) {
		struct mem *m = c->mems.v[i];
		if (m->e == e)
			return m->stmt;
	}
	return NULL;
}

/* Is e evaluated conditionally inside expression tree t (under ?:, && or ||)? */
static int conditional_in(struct ir_expr *t, const struct ir_expr *e, int cond)
{
	if (!t)
		return 0;
	if (t == e)
		return cond ? 1 : 0;
	int c1 = cond, c2 = cond, c3 = cond;
	if (t->kind == IR_E_COND) {
		c2 = c3 = 1;
	} else if (t->kind == IR_E_BINARY && (t->op == IR_OP_LAND || t->op == IR_OP_LOR)) {
		c2 = 1;
	}
	int r = conditional_in(t->a, e, c1);
	if (r)
		return r;
	r = conditional_in(t->b, e, c2);
	if (r)
		return r;
	r = conditional_in(t->c, e, c3);
	if (r)
		return r;
	/* Arguments are always evaluated (calls here are known, pure or mem*). */
	for (int i = 0; i < t->nargs; i++)
		if ((r = conditional_in(t->args[i], e, cond)))
			return r;
	return 0;
}

struct subst_var {
	struct ctx *c;
	struct ir_var *v;
	const char *with;
	struct strbuf *sb;
	unsigned pos;
	int bad;
};

static void subst_walk(struct ir_expr *e, void *arg)
{
	struct subst_var *sv = arg;
	if (e->kind != IR_E_VAR || e->var != sv->v)
		return;
	if (e->in_macro || e->span.begin < sv->pos) {
		sv->bad = 1;
		return;
	}
	strbuf_addn(sv->sb, sv->c->u->buf + sv->pos, e->span.begin - sv->pos);
	strbuf_addf(sv->sb, "(%s)", sv->with);
	sv->pos = e->span.end;
}

/* Text of e with every use of v replaced by (with); NULL if that cannot be spliced. */
static char *text_with(struct ctx *c, struct ir_expr *e, struct ir_var *v, const char *with)
{
	if (e->in_macro && v)
		return NULL;
	struct strbuf sb;
	strbuf_init(&sb);
	struct subst_var sv = {c, v, with, &sb, e->span.begin, 0};
	if (v)
		ir_expr_walk(e, subst_walk, &sv);
	strbuf_addn(&sb, c->u->buf + sv.pos, e->span.end - sv.pos);
	char *r = sv.bad ? NULL : arena_strdup(c->a, sb.s);
	strbuf_exit(&sb);
	return r;
}

/* Canonical counted loop "for (iv = lo; iv < hi; iv++)": returns iv, sets lo/hi. */
static struct ir_var *counted_loop(struct ir_stmt *s, struct ir_expr **lo, struct ir_expr **hi,
                                   int *inclusive)
{
	return ir_counted_for(s, lo, hi, inclusive);
}

struct only_vars {
	struct ctx *c;
	int ok;
};

static void access_computable(struct ir_expr *e, void *arg)
{
	struct only_vars *ov = arg;
	if (e->kind == IR_E_VAR && !invariant(e->var) && !ov->c->avar[e->var->id])
		ov->ok = 0;
	if (ir_is_memory(e) || e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN ||
	    e->kind == IR_E_INCDEC || e->kind == IR_E_OTHER)
		ov->ok = 0;
}

static int computable(struct ctx *c, struct ir_expr *e)
{
	struct only_vars ov = {c, 1};
	ir_expr_walk(e, access_computable, &ov);
	return ov.ok;
}

static void note_access_vars(struct ir_expr *e, void *arg);

/* A hoisted index load is read once, at the start of its callback, instead of
 * where the user wrote it. That is only the same if it would have been read:
 * loops between the callback and the load must run at least once. */
static const char *hoist_condition(struct ctx *c, struct ir_stmt *root, struct ir_stmt *owner,
                                   struct ir_expr *load, int *ok)
{
	*ok = 1;
	const char *cond = NULL;
	for (struct ir_stmt *s = owner; s; s = s->parent) {
		if (s == owner) {
			/* A loop's init and condition run at least once; its step does not. */
			if (ir_is_loop(s) && ir_expr_contains(s->inc, load)) {
				*ok = 0;
				return NULL;
			}
		} else if (s->kind == IR_S_FOR) {
			struct ir_expr *lo, *hi;
			int incl;
			struct ir_var *iv = counted_loop(s, &lo, &hi, &incl);
			char *lt = iv && computable(c, lo) ? text_with(c, lo, NULL, NULL) : NULL;
			char *ht = iv && computable(c, hi) ? text_with(c, hi, NULL, NULL) : NULL;
			if (!lt || !ht) {
				*ok = 0;
				return NULL;
			}
			char *trip = arena_printf(c->a, "%s %s %s", tight_text(c, lt),
			                          incl ? "<=" : "<", tight_text(c, ht));
			ir_expr_walk(lo, note_access_vars, c);
			ir_expr_walk(hi, note_access_vars, c);
			cond = cond ? arena_printf(c->a, "%s && %s", trip, cond) : trip;
		} else if (s->kind == IR_S_WHILE || s->kind == IR_S_IF) {
			*ok = 0;
			return NULL;
		}
		/* A do-while body runs at least once: nothing to add. */
		if (s == root)
			break;
	}
	return cond;
}

static void scan_ops_expr(struct ir_expr *e, void *arg);

/* Hoists an index load out of a compute statement: the access side reads it
 * at the callback and sends it. Returns 0 when it cannot be hoisted exactly
 * (a macro, conditional evaluation, a compute loop daec cannot bound, an
 * address computed per element): the execute side then reads it where the
 * user wrote it, which is always correct, only without a row prefetch. */
static int try_hoist(struct opscan *os, struct ir_expr *e)
{
	struct ctx *c = os->c;
	struct slc_callback *cb = os->cb;
	for (int i = 0; i < cb->ops.n; i++)
		if (((struct slc_operand *)cb->ops.v[i])->load == e)
			return 1;
	struct ir_stmt *owner = owner_stmt(c, e);
	if (e->in_macro || !owner)
		return 0;
	struct varlist vl = {.n = 0};
	addr_vars(e, &vl);
	for (int k = 0; k < vl.n; k++)
		if (!invariant(vl.v[k]) && !c->avar[vl.v[k]->id])
			return 0;
	/* Conditional evaluation inside the statement (?:, &&, ||). */
	struct ir_expr *roots[4] = {owner->expr, owner->inc, NULL, NULL};
	for (int i = 0; i < owner->nvars && i < 2; i++)
		roots[2 + i] = owner->inits[i];
	for (int i = 0; i < 4; i++)
		if (roots[i] && conditional_in(roots[i], e, 0))
			return 0;
	int ok;
	const char *cond = hoist_condition(c, os->root ? os->root : owner, owner, e, &ok);
	if (!ok)
		return 0;
	enum slc_kind kind = kind_of(e->type, &ok);
	if (!ok || !e->type || !e->type->unqual)
		return 0;
	struct slc_operand *o = ARENA_NEW(c->a, struct slc_operand);
	o->load = e;
	o->cond = cond;
	o->name = arena_printf(c->a, "dae_v%d_%d", cb->id, cb->ops.n);
	o->kind = kind;
	o->ctype = e->type->unqual;
	o->loaded = 1;
	ptrvec_push(c->a, &cb->ops, o);
	return 1;
}

static void scan_ops_expr(struct ir_expr *e, void *arg);

static void scan_ops_expr(struct ir_expr *e, void *arg)
{
	struct opscan *os = arg;
	if (e->kind == IR_E_VAR && !invariant(e->var) && os->c->avar[e->var->id])
		add_var_op(os->c, os->cb, e->var, e->loc);
}

/* Walks an expression, hoisting outermost index loads (their insides are
 * then evaluated on the access side only). */
static void scan_ops(struct opscan *os, struct ir_expr *e)
{
	if (!e || failed(os->c))
		return;
	if (ir_is_read(e) && is_idx_load(os->c, e) && try_hoist(os, e))
		return;
	if (e->kind == IR_E_VAR) {
		scan_ops_expr(e, os);
		return;
	}
	scan_ops(os, e->a);
	scan_ops(os, e->b);
	scan_ops(os, e->c);
	for (int i = 0; i < e->nargs; i++)
		scan_ops(os, e->args[i]);
}

static void scan_ops_root(struct ir_expr *e, void *arg)
{
	scan_ops(arg, e);
}

static void scan_ops_stmt(struct ir_stmt *s, void *arg)
{
	ir_stmt_roots(s, scan_ops_root, arg);
}

/* Row reads the access side should prefetch: reads in the callback whose
 * address depends on a value that came from the queue. */
struct pfscan {
	struct ctx *c;
	struct slc_callback *cb;
};

static int addr_uses_ops(struct ctx *c, struct slc_callback *cb, struct ir_expr *e)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_VAR) {
		struct slc_operand *o = find_var_op(cb, e->var);
		return o && c->ld[e->var->id];
	}
	for (int i = 0; i < cb->ops.n; i++)
		if (((struct slc_operand *)cb->ops.v[i])->load == e)
			return 1;
	if (addr_uses_ops(c, cb, e->a) || addr_uses_ops(c, cb, e->b) || addr_uses_ops(c, cb, e->c))
		return 1;
	for (int i = 0; i < e->nargs; i++)
		if (addr_uses_ops(c, cb, e->args[i]))
			return 1;
	return 0;
}

static void plan_prefetch(struct ctx *c, struct slc_callback *cb, struct ir_expr *m,
                          struct ir_stmt *owner);

static int computable_in(struct ctx *c, struct slc_callback *cb, struct ir_expr *e,
                         struct ir_var *iv);
static char *access_text_cb(struct ctx *c, struct slc_callback *cb, struct ir_expr *e);

/* memcpy(dst, src, n) of a looked-up row: prefetch src for n bytes. */
static void plan_copy_prefetch(struct ctx *c, struct slc_callback *cb, struct ir_expr *call)
{
	if (call->nargs != 3 || cb->pfs.n >= 8 || !addr_uses_ops(c, cb, call->args[1]) ||
	    !computable_in(c, cb, call->args[1], NULL) ||
	    !computable_in(c, cb, call->args[2], NULL))
		return;
	char *src = access_text_cb(c, cb, call->args[1]);
	char *n = access_text_cb(c, cb, call->args[2]);
	if (!src || !n)
		return;
	struct slc_prefetch *pf = ARENA_NEW(c->a, struct slc_prefetch);
	pf->load = call;
	pf->addr = src;
	pf->bytes = n;
	ir_expr_walk(call->args[1], note_access_vars, c);
	ir_expr_walk(call->args[2], note_access_vars, c);
	ptrvec_push(c->a, &cb->pfs, pf);
}

static void pf_walk(struct ir_expr *e, void *arg)
{
	struct pfscan *ps = arg;
	if (e->kind == IR_E_CALL && e->text &&
	    (!strcmp(e->text, "memcpy") || !strcmp(e->text, "memmove")))
		plan_copy_prefetch(ps->c, ps->cb, e);
	if (!ir_is_read(e) || is_idx_load(ps->c, e))
		return;
	struct ir_expr *parts[2];
	int np = ir_addr_parts(e, parts, 2);
	int uses = 0;
	for (int i = 0; i < np; i++)
		uses |= addr_uses_ops(ps->c, ps->cb, parts[i]);
	if (uses)
		plan_prefetch(ps->c, ps->cb, e, owner_stmt(ps->c, e));
}

static void pf_stmt(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, pf_walk, arg);
}

struct cw {
	struct ctx *c;
	struct slc_callback *cb;
	struct ir_var *iv; /* compute-loop variable allowed (replaced by the caller) */
	int ok;
};

static int is_op_load(struct slc_callback *cb, const struct ir_expr *e)
{
	for (int i = 0; cb && i < cb->ops.n; i++)
		if (((struct slc_operand *)cb->ops.v[i])->load == e)
			return 1;
	return 0;
}

static void cw_walk(struct cw *w, struct ir_expr *e)
{
	if (!e || !w->ok)
		return;
	if (is_op_load(w->cb, e))
		return; /* replaced by the operand's name */
	switch (e->kind) {
	case IR_E_VAR:
		if (e->var != w->iv && !invariant(e->var) && !w->c->avar[e->var->id])
			w->ok = 0;
		return;
	case IR_E_INDEX:
	case IR_E_MEMBER:
		if (e->access != IR_ACC_NONE)
			w->ok = 0;
		break;
	case IR_E_DEREF:
	case IR_E_CALL:
	case IR_E_ASSIGN:
	case IR_E_INCDEC:
	case IR_E_OTHER:
		w->ok = 0;
		return;
	default:
		break;
	}
	cw_walk(w, e->a);
	cw_walk(w, e->b);
	cw_walk(w, e->c);
}

static int computable_in(struct ctx *c, struct slc_callback *cb, struct ir_expr *e,
                         struct ir_var *iv)
{
	struct cw w = {c, cb, iv, 1};
	cw_walk(&w, e);
	return w.ok;
}

/* Access-side text of e: hoisted loads become their operand names. */
static char *access_text_cb(struct ctx *c, struct slc_callback *cb, struct ir_expr *e)
{
	struct slc_subst subs[32];
	int ns = 0;
	for (int i = 0; i < cb->ops.n && ns < 32; i++) {
		struct slc_operand *o = cb->ops.v[i];
		if (o->load && ir_expr_contains(e, o->load))
			subs[ns++] = (struct slc_subst){o->load, NULL, o->name};
	}
	return slc_splice(c->a, c->u, e->span, &e, 1, NULL, 0, subs, ns);
}

static void note_access_vars(struct ir_expr *e, void *arg)
{
	struct ctx *c = arg;
	if (e->kind == IR_E_VAR && e->var->kind == IR_VAR_PARAM &&
	    !ptrvec_contains(&c->p->access_vars, e->var))
		ptrvec_push(c->a, &c->p->access_vars, e->var);
}

struct cond_scan {
	const struct ir_expr *load;
	int conditional;
};

static void cond_root(struct ir_expr *e, void *arg)
{
	struct cond_scan *cs = arg;
	cs->conditional |= conditional_in(e, cs->load, 0);
}

static void find_jump(struct ir_stmt *s, void *arg)
{
	if (s->kind == IR_S_BREAK || s->kind == IR_S_CONTINUE || s->kind == IR_S_RETURN ||
	    s->kind == IR_S_OTHER)
		*(int *)arg = 1;
}

/* Whether the callback, once it runs, reads every element of the row
 * [lo, hi) of loop: the loop is not under a branch or another loop of the
 * callback, nothing leaves it early, and the read is made at every
 * iteration (not under an if, ?:, && or ||). Sent by value, the row is read
 * by the access side whenever the callback runs, and reading memory the
 * original would not read could fault; a prefetch cannot, so rows by
 * reference need none of this. */
static int always_reads(struct slc_callback *cb, struct ir_stmt *loop, struct ir_stmt *owner,
                        struct ir_expr *load)
{
	for (struct ir_stmt *p = owner->parent; p && p != loop; p = p->parent)
		if (p->kind != IR_S_BLOCK)
			return 0;
	for (struct ir_stmt *p = loop;; p = p->parent) {
		if (!p || (p != loop && p->kind != IR_S_BLOCK))
			return 0;
		if (ptrvec_contains(&cb->stmts, p))
			break;
	}
	int jumps = 0;
	ir_stmt_walk(loop->body, find_jump, &jumps);
	struct cond_scan cs = {load, 0};
	ir_stmt_roots(owner, cond_root, &cs);
	return !jumps && !cs.conditional;
}

/* Whether a row read may be sent by value: an arithmetic element (what is
 * copied is then exactly what would be read), not volatile (reading it
 * ahead would change the accesses), at most DAE_QUEUE_ROW_SLOTS rows per
 * callback. The row's loop is a counted loop whose bounds the access side
 * computes from the same values the execute side will (plan_prefetch), and
 * the read sits in its body, so every element read is inside the row. */
static void row_by_ref(struct ctx *c, const struct ir_expr *load, const char *why)
{
	if (!c->row_by_ref)
		c->row_by_ref =
		        arena_printf(c->a, "the row read at line %d is sent by reference (%s)",
		                     load->loc.line, why);
}

static void plan_row_data(struct ctx *c, struct slc_callback *cb, struct slc_prefetch *pf,
                          struct ir_stmt *loop, struct ir_var *iv, struct ir_expr *lo,
                          struct ir_stmt *owner)
{
	const struct ir_type *t = pf->load->type;
	struct ir_expr *base = ir_unparen(pf->load->a);
	if (!t || !t->unqual || (t->spelling && strstr(t->spelling, "volatile")) ||
	    (base && base->type && base->type->spelling &&
	     strstr(base->type->spelling, "volatile")) ||
	    (t->cls != IR_T_SINT && t->cls != IR_T_UINT && t->cls != IR_T_FLOAT &&
	     t->cls != IR_T_DOUBLE && t->cls != IR_T_BOOL && t->cls != IR_T_ENUM)) {
		row_by_ref(c, pf->load, "not a plain arithmetic element");
		return;
	}
	if (lo->in_macro || !pf->cond || !always_reads(cb, loop, owner, pf->load)) {
		row_by_ref(c, pf->load,
		           "the callback may not read all of it: reading it early could fault");
		return;
	}
	int slot = 0;
	struct slc_prefetch *same = NULL;
	for (int i = 0; i < cb->pfs.n; i++) {
		struct slc_prefetch *o = cb->pfs.v[i];
		if (!o->data || o->same)
			continue;
		slot++;
		if (!same && !strcmp(o->addr, pf->addr) && !strcmp(o->bytes, pf->bytes) &&
		    !strcmp(o->cond, pf->cond) && !strcmp(o->load->type->unqual, t->unqual))
			same = o;
	}
	if (slot >= 8 && !same) {
		row_by_ref(c, pf->load, "more than 8 rows in one callback");
		return;
	}
	pf->data = 1;
	pf->iv = iv;
	pf->lo = lo;
	pf->same = same;
	pf->slot = same ? same->slot : slot;
	pf->row_name = same ? same->row_name : arena_printf(c->a, "dae_row%d_%d", cb->id, slot);
	struct mem *r = ARENA_NEW(c->a, struct mem);
	r->e = pf->load;
	r->stmt = owner;
	ptrvec_push(c->a, &c->data_rows, pf);
	ptrvec_push(c->a, &c->data_mems, r);
}

static void plan_prefetch(struct ctx *c, struct slc_callback *cb, struct ir_expr *m,
                          struct ir_stmt *owner)
{
	if (!owner || m->in_macro || cb->pfs.n >= 8)
		return;
	struct slc_prefetch *pf = ARENA_NEW(c->a, struct slc_prefetch);
	pf->load = m;
	/* Look for the compute loop walking the row: index = X + iv. */
	if (m->kind == IR_E_INDEX) {
		struct ir_expr *idx = ir_unparen(m->b);
		for (struct ir_stmt *s = owner; s; s = s->parent) {
			struct ir_expr *lo, *hi;
			int incl;
			struct ir_var *iv = ir_is_loop(s) ? counted_loop(s, &lo, &hi, &incl) : NULL;
			if (iv) {
				struct ir_expr *x = NULL;
				int match = 0;
				if (idx->kind == IR_E_VAR && idx->var == iv) {
					match = 1;
				} else if (idx->kind == IR_E_BINARY && idx->op == IR_OP_ADD) {
					struct ir_expr *l = ir_unparen(idx->a),
					               *r = ir_unparen(idx->b);
					if (r && r->kind == IR_E_VAR && r->var == iv)
						x = idx->a, match = 1;
					else if (l && l->kind == IR_E_VAR && l->var == iv)
						x = idx->b, match = 1;
				}
				if (match && computable_in(c, cb, m->a, NULL) &&
				    (!x || computable_in(c, cb, x, NULL)) && computable(c, lo) &&
				    computable(c, hi)) {
					const char *base = access_text_cb(c, cb, m->a);
					char *xt = x ? access_text_cb(c, cb, x) : NULL;
					char *lt = text_with(c, lo, NULL, NULL);
					char *ht = text_with(c, hi, NULL, NULL);
					if (base && (!x || xt) && lt && ht) {
						base = tight_text(c, base);
						int zero = !strcmp(lt, "0");
						if (xt && zero)
							pf->addr = arena_printf(c->a, "&%s[%s]",
							                        base, xt);
						else if (xt)
							pf->addr = arena_printf(
							        c->a, "&%s[%s + %s]", base, xt,
							        tight_text(c, lt));
						else
							pf->addr = arena_printf(c->a, "&%s[%s]",
							                        base, lt);
						const char *n;
						if (incl)
							n = arena_printf(c->a, "%s + 1 - %s",
							                 tight_text(c, ht),
							                 tight_text(c, lt));
						else if (zero)
							n = tight_text(c, ht);
						else
							n = arena_printf(c->a, "%s - %s",
							                 tight_text(c, ht),
							                 tight_text(c, lt));
						pf->bytes = arena_printf(
						        c->a, "(size_t)%s * sizeof(%s)",
						        tight_text(c, n),
						        m->type && m->type->unqual ? m->type->unqual
						                                   : "char");
						pf->cond = arena_printf(
						        c->a, "%s %s %s", tight_text(c, lt),
						        incl ? "<=" : "<", tight_text(c, ht));
						ir_expr_walk(m->a, note_access_vars, c);
						if (x)
							ir_expr_walk(x, note_access_vars, c);
						ir_expr_walk(lo, note_access_vars, c);
						ir_expr_walk(hi, note_access_vars, c);
						if (c->marshal_rows && s != owner)
							plan_row_data(c, cb, pf, s, iv, lo, owner);
						ptrvec_push(c->a, &cb->pfs, pf);
						return;
					}
				}
			}
			if (cb->stmts.n && s == cb->stmts.v[0])
				break;
		}
	}
	/* Otherwise the one element, if the access side can compute its address. */
	if (!computable_in(c, cb, m->a, NULL) || (m->b && !computable_in(c, cb, m->b, NULL)))
		return;
	if (m->kind != IR_E_INDEX)
		return;
	char *t = slc_splice(c->a, c->u, m->span, &m, 1, NULL, 0, NULL, 0);
	char *base = access_text_cb(c, cb, m->a);
	char *it = access_text_cb(c, cb, m->b);
	if (!t || !base || !it)
		return;
	pf->addr = arena_printf(c->a, "&%s[%s]", tight_text(c, base), it);
	pf->bytes = NULL;
	ir_expr_walk(m->a, note_access_vars, c);
	ir_expr_walk(m->b, note_access_vars, c);
	ptrvec_push(c->a, &cb->pfs, pf);
}

/* ---- which names each side needs ------------------------------------------------ */

struct sidevars {
	struct ctx *c;
	struct slc_callback *cb; /* execute side: skip hoisted loads and rows sent by value */
	struct ptrvec *out; /* parameters read, or NULL */
	struct ptrvec *vars; /* every variable read, or NULL */
	struct ptrvec *loads; /* hoisted loads met (struct ir_expr *), or NULL */
};

/* Rows sent by value, counting one shared by two reads once. */
static int rows_sent(const struct slc_callback *cb)
{
	int n = 0;
	for (int i = 0; i < cb->pfs.n; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		n += pf->data && !pf->same;
	}
	return n;
}

/* A row read the callback makes from the copy sent by value. */
static int is_data_row(const struct slc_callback *cb, const struct ir_expr *e)
{
	for (int i = 0; i < cb->pfs.n; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		if (pf->data && pf->load == e)
			return 1;
	}
	return 0;
}

static void side_walk(struct sidevars *sv, struct ir_expr *e)
{
	if (!e)
		return;
	if (sv->cb && is_op_load(sv->cb, e)) {
		if (sv->loads)
			ptrvec_push(sv->c->a, sv->loads, e);
		return;
	}
	if (sv->cb && is_data_row(sv->cb, e))
		return;
	if (e->kind == IR_E_VAR) {
		struct ir_var *v = e->var;
		if (sv->out && v->kind == IR_VAR_PARAM && !ptrvec_contains(sv->out, v))
			ptrvec_push(sv->c->a, sv->out, v);
		if (sv->vars && !ptrvec_contains(sv->vars, v))
			ptrvec_push(sv->c->a, sv->vars, v);
		return;
	}
	side_walk(sv, e->a);
	side_walk(sv, e->b);
	side_walk(sv, e->c);
	for (int i = 0; i < e->nargs; i++)
		side_walk(sv, e->args[i]);
}

static void side_root(struct ir_expr *e, void *arg)
{
	side_walk(arg, e);
}

static void side_stmt(struct ir_stmt *s, void *arg)
{
	ir_stmt_roots(s, side_root, arg);
}

/* A value sent only to address a row that now travels by value (idx in
 * table[idx * dim + d]) is no longer needed by the execute side: it is not
 * sent at all. */
static void prune_row_ops(struct ctx *c)
{
	int pruned = 0;
	for (int i = 0; i < c->p->callbacks.n; i++) {
		struct slc_callback *cb = c->p->callbacks.v[i];
		if (!rows_sent(cb))
			continue;
		struct ptrvec used = {0}, loads = {0};
		struct sidevars sv = {c, cb, NULL, &used, &loads};
		for (int k = 0; k < cb->stmts.n; k++)
			ir_stmt_walk(cb->stmts.v[k], side_stmt, &sv);
		side_walk(&sv, cb->ret);
		int n = 0;
		for (int k = 0; k < cb->ops.n; k++) {
			struct slc_operand *o = cb->ops.v[k];
			o->seq = k;
			if (o->var && !ptrvec_contains(&used, o->var)) {
				pruned = 1;
				continue;
			}
			if (o->load && !ptrvec_contains(&loads, o->load)) {
				ptrvec_push(c->a, &cb->local_loads, o);
				continue;
			}
			cb->ops.v[n++] = o;
		}
		cb->ops.n = n;
	}
	if (!pruned)
		return;
	int n = 0;
	for (int i = 0; i < c->p->exec_received.n; i++) {
		struct ir_var *v = c->p->exec_received.v[i];
		int sent = 0;
		for (int k = 0; k < c->p->callbacks.n && !sent; k++)
			sent = find_var_op(c->p->callbacks.v[k], v) != NULL;
		if (sent)
			c->p->exec_received.v[n++] = v;
	}
	c->p->exec_received.n = n;
}

static void access_side_nodes(struct ctx *c, struct ptrvec *nodes)
{
	struct sidevars sv = {c, NULL, &c->p->access_vars, NULL, NULL};
	for (int i = 0; i < nodes->n; i++) {
		struct slc_node *n = nodes->v[i];
		switch (n->kind) {
		case SLC_LOOP:
			side_stmt(n->stmt, &sv);
			if (n->stmt->init)
				side_stmt(n->stmt->init, &sv);
			access_side_nodes(c, &n->body);
			break;
		case SLC_IF:
			side_walk(&sv, n->stmt->expr);
			access_side_nodes(c, &n->body);
			access_side_nodes(c, &n->else_body);
			break;
		case SLC_BLOCK:
			access_side_nodes(c, &n->body);
			break;
		case SLC_ACCESS:
			side_stmt(n->stmt, &sv);
			break;
		case SLC_CALLBACK:
		case SLC_RETURN:
			if (n->cb)
				for (int k = 0; k < n->cb->ops.n; k++) {
					struct slc_operand *o = n->cb->ops.v[k];
					if (o->load)
						side_walk(&sv, o->load);
					else if (o->var->kind == IR_VAR_PARAM &&
					         !ptrvec_contains(&c->p->access_vars, o->var))
						ptrvec_push(c->a, &c->p->access_vars, o->var);
				}
			break;
		default:
			break;
		}
	}
}

static int name_taken(struct ctx *c, const char *name)
{
	for (int i = 0; i < c->f->nvars; i++)
		if (c->f->vars[i] && !strcmp(c->f->vars[i]->name, name))
			return 1;
	for (int i = 0; i < c->p->renames.n; i++)
		if (!strcmp(((struct slc_rename *)c->p->renames.v[i])->name, name))
			return 1;
	return 0;
}

/* Variables of one name from different scopes meet at the top of the
 * execute function; all but the first are renamed there. */
static int check_names(struct ctx *c)
{
	struct ptrvec all = {0};
	struct ptrvec *sets[] = {&c->p->execute_vars, &c->p->exec_received, &c->p->exec_hoisted};
	for (int s = 0; s < 3; s++)
		for (int i = 0; i < sets[s]->n; i++) {
			struct ir_var *v = sets[s]->v[i];
			if (ptrvec_contains(&all, v))
				continue;
			int clash = 0;
			for (int k = 0; k < all.n; k++)
				clash |= !strcmp(((struct ir_var *)all.v[k])->name, v->name);
			ptrvec_push(c->a, &all, v);
			if (!clash)
				continue;
			char *name = NULL;
			for (int n = 2; !name || name_taken(c, name); n++)
				name = arena_printf(c->a, "%s_%d", v->name, n);
			struct slc_rename *r = ARENA_NEW(c->a, struct slc_rename);
			r->var = v;
			r->name = name;
			ptrvec_push(c->a, &c->p->renames, r);
		}
	return 0;
}

struct uses {
	struct ir_var *v;
	int found;
};

static void uses_var(struct ir_expr *e, void *arg)
{
	struct uses *u = arg;
	if (e->kind == IR_E_VAR && e->var == u->v)
		u->found = 1;
}

static void uses_var_stmt(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, uses_var, arg);
	if (s->kind == IR_S_DECL)
		for (int i = 0; i < s->nvars; i++)
			if (s->vars[i] == ((struct uses *)arg)->v)
				((struct uses *)arg)->found = 1;
}

static int exec_uses(struct ctx *c, struct ir_var *v)
{
	struct uses u = {v, 0};
	for (int i = 0; i < c->p->callbacks.n && !u.found; i++) {
		struct slc_callback *cb = c->p->callbacks.v[i];
		for (int k = 0; k < cb->stmts.n; k++)
			ir_stmt_walk(cb->stmts.v[k], uses_var_stmt, &u);
		if (cb->ret)
			ir_expr_walk(cb->ret, uses_var, &u);
	}
	return u.found;
}

static void execute_side(struct ctx *c)
{
	for (int id = 0; id < c->f->nstmts; id++) {
		struct ir_stmt *s = c->stmts[id];
		if (!s || s->kind != IR_S_DECL || !c->access[id])
			continue;
		for (int k = 0; k < s->nvars; k++) {
			struct ir_var *v = s->vars[k];
			if (!c->avar[v->id] && exec_uses(c, v) &&
			    !ptrvec_contains(&c->p->exec_hoisted, v))
				ptrvec_push(c->a, &c->p->exec_hoisted, v);
		}
	}
	for (int i = 0; i < c->p->callbacks.n; i++) {
		struct slc_callback *cb = c->p->callbacks.v[i];
		struct ptrvec params = {0};
		struct sidevars sv = {c, cb, &params, NULL, NULL};
		for (int k = 0; k < cb->stmts.n; k++) {
			struct ir_stmt *s = cb->stmts.v[k];
			ir_stmt_walk(s, side_stmt, &sv);
			if (s->kind == IR_S_DECL)
				for (int j = 0; j < s->nvars; j++)
					if (!ptrvec_contains(&c->p->exec_hoisted, s->vars[j])) {
						if (s->inits[j] && s->vars[j]->type &&
						    s->vars[j]->type->cls == IR_T_ARRAY)
							decline(c, s->loc,
							        "array %s with an initialiser in a "
							        "loop body",
							        s->vars[j]->name);
						ptrvec_push(c->a, &c->p->exec_hoisted, s->vars[j]);
					}
		}
		side_walk(&sv, cb->ret);
		for (int k = 0; k < params.n; k++) {
			struct ir_var *v = params.v[k];
			if (c->avar[v->id])
				continue; /* received */
			if (!ptrvec_contains(&c->p->execute_vars, v))
				ptrvec_push(c->a, &c->p->execute_vars, v);
		}
	}
}

/* ---- entry point ------------------------------------------------------------------- */

static void count_loops(struct ir_stmt *s, void *arg)
{
	if (ir_is_loop(s))
		(*(int *)arg)++;
}

int slc_build(struct arena *a, const struct ir_unit *u, struct ir_func *f, struct slc_program *p,
              struct slc_decline *why)
{
	struct slc_options opt = {0};
	return slc_build_opts(a, u, f, p, why, &opt);
}

/* Rows written through a loaded index (training updates) can only travel
 * by reference: a value sent ahead would miss the write. */
static int writes_rows(struct ctx *c)
{
	for (int i = 0; i < c->mems.n; i++) {
		struct mem *m = c->mems.v[i];
		if (!ir_is_write(m->e))
			continue;
		struct ir_expr *parts[2];
		int np = ir_addr_parts(m->e, parts, 2);
		struct scan sc = {c, 0};
		for (int k = 0; k < np; k++)
			ir_expr_walk(parts[k], has_load_or_ld, &sc);
		if (sc.found)
			return 1;
	}
	return 0;
}

int slc_build_opts(struct arena *a, const struct ir_unit *u, struct ir_func *f,
                   struct slc_program *p, struct slc_decline *why, const struct slc_options *opt)
{
	memset(p, 0, sizeof(*p));
	memset(why, 0, sizeof(*why));
	p->unit = u;
	p->func = f;
	if (!f->body)
		return -1;
	ir_stmt_walk(f->body, count_loops, &p->nloops);
	why->has_loops = p->nloops > 0;

	struct ctx c = {.a = a, .u = u, .f = f, .p = p, .why = why};
	if (f->unsupported)
		return decline(&c, f->unsupported_loc, "%s", f->unsupported);
	if (!p->nloops)
		return decline(&c, f->loc, "no loops", NULL);
	if (f->is_variadic)
		return decline(&c, f->loc, "variadic function", NULL);
	int nv = f->nvars > 0 ? f->nvars : 1, ns = f->nstmts > 0 ? f->nstmts : 1;
	c.stmts = arena_alloc(a, sizeof(*c.stmts) * (size_t)ns);
	c.ld = arena_alloc(a, (size_t)nv);
	c.avar = arena_alloc(a, (size_t)nv);
	c.addrvar = arena_alloc(a, (size_t)nv);
	c.access = arena_alloc(a, (size_t)ns);

	ir_stmt_walk(f->body, collect_stmt, &c);
	if (failed(&c))
		return -1;
	compute_load_derived(&c);
	if ((opt->marshal_data || opt->marshal_rows) && writes_rows(&c)) {
		p->marshal_note = "rows are written through a loaded index: sent by reference";
	} else {
		c.marshal_data = p->marshal_data = opt->marshal_data;
		c.marshal_rows = p->marshal_rows = opt->marshal_rows && !opt->marshal_data;
	}
	fixpoint(&c);
	if (failed(&c))
		return -1;
	int any_access_loop = 0;
	for (int id = 0; id < f->nstmts; id++) {
		struct ir_stmt *s = c.stmts[id];
		if (!s || !c.access[id] || !ir_is_loop(s))
			continue;
		any_access_loop = 1;
		/* Decoupled, the loop would run on one access/execute pair: correct,
		 * but the parallelism the user asked for would be gone. */
		if (s->pragma && !strncmp(s->pragma, "omp", 3) && strstr(s->pragma, "parallel"))
			return decline(
			        &c, s->loc,
			        "OpenMP parallel loop (#pragma %s): decoupling would serialise it",
			        s->pragma);
	}
	/* A loop made an access loop only by its exits (for (i..) if (a[i] > t)
	 * return i;) looks nothing up: there is no row for the access side to
	 * fetch ahead. */
	int addr_vars = 0;
	for (int i = 0; i < f->nvars; i++)
		addr_vars |= c.addrvar[i];
	if (!c.idx_loads.n && !addr_vars)
		any_access_loop = 0;
	if (!any_access_loop)
		return decline(&c, f->loc,
		               "no indirect lookup: no loop reads memory through a loaded index",
		               NULL);
	if (check_vars(&c) || check_exec_defs(&c) || check_calls(&c) || check_row_reads(&c))
		return -1;

	if (f->body->kind == IR_S_BLOCK)
		build_list(&c, f->body->kids, f->body->nkids, NULL, &p->top);
	else
		build_body(&c, f->body, NULL, &p->top);
	set_events(&p->top, NULL);
	if (failed(&c))
		return -1;

	for (int i = 0; i < p->callbacks.n && !failed(&c); i++) {
		struct slc_callback *cb = p->callbacks.v[i];
		struct opscan os = {&c, cb, NULL};
		for (int k = 0; k < cb->stmts.n; k++) {
			os.root = cb->stmts.v[k];
			ir_stmt_walk(cb->stmts.v[k], scan_ops_stmt, &os);
		}
		if (cb->ret) {
			os.root = NULL;
			scan_ops(&os, cb->ret);
		}
	}
	if (failed(&c))
		return -1;
	for (int i = 0; i < p->callbacks.n; i++) {
		struct slc_callback *cb = p->callbacks.v[i];
		struct pfscan ps = {&c, cb};
		for (int k = 0; k < cb->stmts.n; k++)
			ir_stmt_walk(cb->stmts.v[k], pf_stmt, &ps);
	}
	if (check_aliasing(&c))
		return -1;
	prune_row_ops(&c);
	if (c.row_by_ref && !p->marshal_note)
		p->marshal_note = c.row_by_ref;
	if (c.fp_use)
		return decline(&c, c.fp_use->loc,
		               "an index or loop bound is computed with floating point (the access "
		               "side may run in another thread's floating-point environment)",
		               NULL);
	access_side_nodes(&c, &p->top);
	execute_side(&c);
	slc_settle_params(a, f, &p->access_vars);
	slc_settle_params(a, f, &p->execute_vars);
	if (failed(&c) || check_names(&c))
		return -1;
	p->op = slc_recognise(a, p);
	return 0;
}
