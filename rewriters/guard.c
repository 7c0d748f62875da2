/* Interval bounds of array accesses, as C code. An index is bounded when it
 * is built with +, - and * from constants, parameters nobody assigns, and
 * variables of counted loops ("for (i = lo; i < hi; i++)" with i changed only
 * there) whose bounds are bounded in turn. Anything else (loaded values,
 * cursors) is unbounded, and the function is then not decoupled. */
#include <string.h>

#include "emit_c.h"
#include "guard.h"
#include "ir_util.h"

struct gctx {
	struct arena *a;
	const struct slc_program *p;
	struct ptrvec params; /* struct ir_var *: parameters the check reads */
	int depth;
	struct strbuf *code; /* one short statement per interval operation */
	int ntemps;
	/* A check by chunk: while bounding a pair's first access, the
	 * variable of the lanes' loop takes only the chunk's values,
	 * lo + dae_first .. lo + dae_end - 1 (chunk_lo is lo's text). */
	const struct guard_chunk *chunk;
	int in_chunk;
	int chunk_used; /* dae_c0 and dae_c1, the chunk's bounds, are needed */
};

static int chunked(struct gctx *g, const struct ir_var *v)
{
	if (!g->chunk || !g->in_chunk || v != g->chunk->iv)
		return 0;
	g->chunk_used = 1;
	return 1;
}

/* Names the interval in a temporary so every generated line stays short. */
static char *temp(struct gctx *g, const char *what, const char *comment)
{
	char *name = arena_printf(g->a, "dae_t%d", g->ntemps++);
	if (comment)
		strbuf_addf(g->code, "\t/* %s */\n", comment);
	strbuf_addf(g->code, "\tstruct dae_ival %s = %s;\n", name, what);
	return name;
}

static int is_int(const struct ir_type *t)
{
	return t && (t->cls == IR_T_SINT || t->cls == IR_T_UINT || t->cls == IR_T_ENUM ||
	             t->cls == IR_T_BOOL);
}

static char *ival(struct gctx *g, struct ir_expr *e, struct ir_stmt *at);
static struct ir_expr *body_def(struct ir_stmt *loop, struct ir_var *v);
static char *value_scan(struct gctx *g, struct ir_expr *e, struct ir_stmt *at);

struct scan_vars {
	struct gctx *g;
	const struct ir_var *outer; /* the enclosing loop's variable, or NULL */
	int ok;
};

static void scan_expr_ok(struct ir_expr *e, void *arg)
{
	struct scan_vars *sv = arg;
	if (e->kind == IR_E_VAR) {
		const struct ir_var *v = e->var;
		if (v == sv->outer)
			return;
		if (v->kind == IR_VAR_LOCAL || (v->flags & IR_VAR_ASSIGNED))
			sv->ok = 0;
		else if (v->kind == IR_VAR_PARAM && !ptrvec_contains(&sv->g->params, v))
			ptrvec_push(sv->g->a, &sv->g->params, (void *)v);
	}
	if (e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN || e->kind == IR_E_INCDEC ||
	    e->kind == IR_E_OTHER)
		sv->ok = 0;
}

static int scan_ok(struct gctx *g, struct ir_expr *e, const struct ir_var *outer)
{
	struct scan_vars sv = {g, outer, 1};
	ir_expr_walk(e, scan_expr_ok, &sv);
	return sv.ok;
}

/* The single definition of a local at the top of a loop body
 * ("long lo = off[b];"), or NULL. */
static struct ir_expr *body_def(struct ir_stmt *loop, struct ir_var *v)
{
	struct ir_stmt *body = loop ? loop->body : NULL;
	if (!body || body->kind != IR_S_BLOCK)
		return NULL;
	struct ir_expr *init = NULL;
	int others = 0;
	for (int i = 0; i < body->nkids; i++) {
		struct ir_stmt *k = body->kids[i];
		if (k->kind != IR_S_DECL) {
			others |= ir_var_defined_in(v, k);
			continue;
		}
		for (int j = 0; j < k->nvars; j++)
			if (k->vars[j] == v)
				init = k->inits[j];
	}
	return others ? NULL : init;
}

struct local_subst {
	struct gctx *g;
	struct ir_stmt *outer;
	const struct ir_var *ov;
	struct slc_subst subs[8];
	int n, ok;
};

static void find_locals(struct ir_expr *e, void *arg)
{
	struct local_subst *ls = arg;
	if (e->kind != IR_E_VAR || e->var == ls->ov || e->var->kind != IR_VAR_LOCAL)
		return;
	for (int i = 0; i < ls->n; i++)
		if (ls->subs[i].var == e->var)
			return;
	struct ir_expr *init = body_def(ls->outer, e->var);
	if (!init || ls->n == 8 || init->in_macro || !scan_ok(ls->g, init, ls->ov)) {
		ls->ok = 0;
		return;
	}
	ls->subs[ls->n++] = (struct slc_subst){
	        NULL, e->var,
	        arena_printf(ls->g->a, "(%s)", ir_span_text(ls->g->a, ls->g->p->unit, init->span))};
}

/* Text of a loop bound for the scan, with locals defined at the top of the
 * enclosing loop's body replaced by their definitions; NULL when it depends
 * on anything else. */
static char *scan_text(struct gctx *g, struct ir_expr *e, struct ir_stmt *outer,
                       const struct ir_var *ov)
{
	struct local_subst ls = {g, outer, ov, {{0}}, 0, 1};
	ir_expr_walk(e, find_locals, &ls);
	if (!ls.ok)
		return NULL;
	if (!ls.n && !scan_ok(g, e, ov))
		return NULL;
	return slc_splice(g->a, g->p->unit, e->span, &e, 1, NULL, 0, ls.subs, ls.n);
}

/* A lookup loop whose bounds are loaded, "for (j = offsets[b]; j < offsets[b + 1]; j++)":
 * its values are bounded by scanning the bounds over the enclosing loop's
 * range once, before the run (the offsets are read before anything is
 * written, and their own reads are checked like any other). Signed types
 * only, as for trip counts, so that C's comparisons cannot differ. */
static char *scan_ival(struct gctx *g, struct ir_stmt *loop, struct ir_var *v, struct ir_expr *lo,
                       struct ir_expr *hi, int incl)
{
	const struct slc_program *p = g->p;
	if (!v->type || v->type->cls != IR_T_SINT || !lo->type || !hi->type ||
	    lo->type->cls != IR_T_SINT || hi->type->cls != IR_T_SINT)
		return NULL;
	struct ir_stmt *outer = loop->parent;
	while (outer && !ir_is_loop(outer))
		outer = outer->parent;
	struct ir_expr *olo = NULL, *ohi = NULL;
	int oincl = 0;
	struct ir_var *ov = outer ? ir_counted_for(outer, &olo, &ohi, &oincl) : NULL;
	if (outer && (!ov || !scan_ok(g, olo, NULL) || !scan_ok(g, ohi, NULL)))
		return NULL;
	char *lt = scan_text(g, lo, outer, ov), *ht = scan_text(g, hi, outer, ov);
	if (!lt || !ht)
		return NULL;
	int n = g->ntemps++;
	strbuf_addf(g->code, "\t/* values of %s: scanned over its segments */\n", v->name);
	strbuf_addf(g->code, "\tlong long dae_lo%d = LLONG_MAX, dae_hi%d = LLONG_MIN;\n", n, n);
	int depth = 1;
	if (ov) {
		char *decl = ir_decl_text(g->a, ov->type, ov->name, 0);
		if (!decl)
			return NULL;
		if (chunked(g, ov))
			strbuf_addf(g->code, "\tfor (%s = dae_c0; %s < dae_c1; %s++) {\n", decl,
			            ov->name, ov->name);
		else
			strbuf_addf(g->code, "\tfor (%s = %s; %s %s %s; %s++) {\n", decl,
			            ir_span_text(g->a, p->unit, olo->span), ov->name,
			            oincl ? "<=" : "<", ir_span_text(g->a, p->unit, ohi->span),
			            ov->name);
		depth = 2;
	}
	const char *ind = depth == 2 ? "\t\t" : "\t";
	strbuf_addf(g->code, "%slong long dae_a%d = %s, dae_b%d = %s;\n\n", ind, n, lt, n, ht);
	strbuf_addf(g->code,
	            "%sif (dae_a%d %s dae_b%d && dae_a%d < dae_lo%d)\n%s\tdae_lo%d = dae_a%d;\n",
	            ind, n, incl ? "<=" : "<", n, n, n, ind, n, n);
	strbuf_addf(g->code,
	            "%sif (dae_a%d %s dae_b%d && dae_b%d > dae_hi%d)\n%s\tdae_hi%d = dae_b%d;\n",
	            ind, n, incl ? "<=" : "<", n, n, n, ind, n, n);
	if (ov)
		strbuf_adds(g->code, "\t}\n");
	return temp(
	        g,
	        arena_printf(g->a, "dae_ival_%s(dae_lo%d, dae_hi%d)", incl ? "thru" : "upto", n, n),
	        NULL);
}

/* The values an index load A[e] can take, A an unassigned parameter and e
 * bounded: one scan of A over e's range before the run. The positions
 * between the extremes of e lie inside the array the original reads, so
 * the scan reads only valid memory; values it need not have seen only widen
 * the bound. (Used when rows are read ahead as data: their indices bound the
 * rows.) */
static char *value_scan(struct gctx *g, struct ir_expr *e, struct ir_stmt *at)
{
	struct ir_expr *base = ir_unparen(e->a);
	if (!ir_is_read(e) || !is_int(e->type) || !base || base->kind != IR_E_VAR ||
	    base->var->kind != IR_VAR_PARAM || (base->var->flags & IR_VAR_ASSIGNED) ||
	    (e->type->cls == IR_T_UINT && e->type->size >= 8))
		return NULL;
	char *pos = ival(g, e->b, at);
	if (!pos)
		return NULL;
	if (!ptrvec_contains(&g->params, base->var))
		ptrvec_push(g->a, &g->params, base->var);
	int n = g->ntemps++;
	strbuf_addf(g->code, "\t/* values of %s[...]: scanned */\n", base->var->name);
	strbuf_addf(g->code, "\tlong long dae_lo%d = LLONG_MAX, dae_hi%d = LLONG_MIN;\n", n, n);
	strbuf_addf(g->code, "\tif (!%s.all)\n", pos);
	strbuf_addf(g->code, "\t\tfor (long long dae_k = %s.lo; dae_k <= %s.hi; dae_k++) {\n", pos,
	            pos);
	strbuf_addf(g->code, "\t\t\tlong long dae_x = %s[dae_k];\n\n", base->var->name);
	strbuf_addf(g->code, "\t\t\tif (dae_x < dae_lo%d)\n\t\t\t\tdae_lo%d = dae_x;\n", n, n);
	strbuf_addf(g->code, "\t\t\tif (dae_x > dae_hi%d)\n\t\t\t\tdae_hi%d = dae_x;\n", n, n);
	strbuf_adds(g->code, "\t\t}\n");
	return temp(g,
	            arena_printf(g->a,
	                         "%s.all ? dae_ival_full() : dae_ival_thru(dae_lo%d, dae_hi%d)",
	                         pos, n, n),
	            NULL);
}

static char *var_ival(struct gctx *g, struct ir_var *v, struct ir_stmt *at)
{
	if (!is_int(v->type))
		return NULL;
	if (v->kind != IR_VAR_LOCAL && !(v->flags & IR_VAR_ASSIGNED)) {
		if (v->kind == IR_VAR_PARAM && !ptrvec_contains(&g->params, v))
			ptrvec_push(g->a, &g->params, v);
		return arena_printf(g->a, "dae_ival_point(%s)", v->name);
	}
	if (chunked(g, v))
		return temp(g, "dae_ival_loop(dae_ival_point(dae_c0), dae_ival_point(dae_c1), 0)",
		            arena_printf(g->a, "values of %s in the chunk", v->name));
	for (struct ir_stmt *s = at; s; s = s->parent) {
		struct ir_expr *lo, *hi;
		int incl;
		if (ir_counted_for(s, &lo, &hi, &incl) != v)
			continue;
		/* The bounds are evaluated outside the loop. */
		char *l = ival(g, lo, s->parent), *h = ival(g, hi, s->parent);
		if (!l || !h)
			return scan_ival(g, s, v, lo, hi, incl);
		return temp(g, arena_printf(g->a, "dae_ival_loop(%s, %s, %d)", l, h, incl),
		            arena_printf(g->a, "values of %s", v->name));
	}
	/* A local defined once at the top of an enclosing loop's body
	 * (int64_t idx = indices[j];): the values of its definition. */
	for (struct ir_stmt *s = at; s; s = s->parent) {
		if (!ir_is_loop(s))
			continue;
		struct ir_expr *init = body_def(s, v);
		if (init)
			return ival(g, init, s->body);
	}
	return NULL;
}

static char *ival(struct gctx *g, struct ir_expr *e, struct ir_stmt *at)
{
	if (!e || ++g->depth > 64)
		return NULL;
	char *r = NULL;
	switch (e->kind) {
	case IR_E_PAREN:
		r = ival(g, e->a, at);
		break;
	case IR_E_CONST:
		if (is_int(e->type))
			r = arena_printf(g->a, "dae_ival_point(%s)",
			                 ir_span_text(g->a, g->p->unit, e->span));
		break;
	case IR_E_CAST:
		/* A narrowing cast could wrap; widening keeps the value, and a signed
		 * value made unsigned keeps it while it is not negative. */
		if (is_int(e->type) && e->a && is_int(e->a->type) &&
		    e->type->size >= e->a->type->size) {
			char *x = ival(g, e->a, at);
			if (x && e->type->cls == IR_T_UINT && e->a->type->cls != IR_T_UINT)
				r = temp(g, arena_printf(g->a, "dae_ival_nonneg(%s)", x), NULL);
			else
				r = x;
		}
		break;
	case IR_E_VAR:
		r = var_ival(g, e->var, at);
		break;
	case IR_E_INDEX:
		r = value_scan(g, e, at);
		break;
	case IR_E_BINARY: {
		const char *fn = e->op == IR_OP_ADD   ? "dae_ival_add"
		                 : e->op == IR_OP_SUB ? "dae_ival_sub"
		                 : e->op == IR_OP_MUL ? "dae_ival_mul"
		                                      : NULL;
		/* Unsigned subtraction wraps where signed intervals would not. */
		if (!fn || !is_int(e->type) || (e->op == IR_OP_SUB && e->type->cls == IR_T_UINT))
			break;
		char *x = ival(g, e->a, at), *y = ival(g, e->b, at);
		if (x && y)
			r = temp(g, arena_printf(g->a, "%s(%s, %s)", fn, x, y), NULL);
		break;
	}
	default:
		break;
	}
	g->depth--;
	return r;
}

/* Byte offsets of a memory access from its base variable. */
static char *addr_ival(struct gctx *g, struct ir_expr *m, struct ir_stmt *at, struct ir_var **base)
{
	m = ir_unparen(m);
	if (!m)
		return NULL;
	if (m->kind == IR_E_VAR &&
	    (m->var->type->cls == IR_T_PTR || m->var->type->cls == IR_T_ARRAY)) {
		/* Only what the check can see: parameters (and globals) nobody
		 * assigns. A local pointer defined once at the top of an enclosing
		 * loop's body (float *row = out + b * dim;) is followed to its
		 * definition, in that loop's scope. */
		if (m->var->kind != IR_VAR_LOCAL && !(m->var->flags & IR_VAR_ASSIGNED)) {
			*base = m->var;
			return "dae_ival_point(0)";
		}
		for (struct ir_stmt *s = at; s; s = s->parent) {
			if (!ir_is_loop(s))
				continue;
			struct ir_expr *init = body_def(s, m->var);
			if (init)
				return addr_ival(g, init, s->body, base);
		}
		return NULL;
	}
	if (m->kind == IR_E_ADDROF)
		return addr_ival(g, m->a, at, base);
	if (m->kind == IR_E_INDEX || (m->kind == IR_E_BINARY && m->op == IR_OP_ADD)) {
		struct ir_expr *ptr = m->a, *idx = m->b;
		if (m->kind == IR_E_BINARY &&
		    !(ir_unparen(ptr)->type && ir_unparen(ptr)->type->cls == IR_T_PTR)) {
			ptr = m->b;
			idx = m->a;
		}
		const struct ir_type *pt = ir_unparen(ptr)->type;
		unsigned esz = m->kind == IR_E_INDEX ? (m->type ? m->type->size : 0)
		                                     : (pt && pt->elem ? pt->elem->size : 0);
		if (!esz)
			return NULL;
		char *off = addr_ival(g, ptr, at, base), *i = ival(g, idx, at);
		if (!off || !i)
			return NULL;
		char *scaled =
		        temp(g, arena_printf(g->a, "dae_ival_mul(%s, dae_ival_point(%u))", i, esz),
		             NULL);
		if (!strcmp(off, "dae_ival_point(0)"))
			return scaled;
		return temp(g, arena_printf(g->a, "dae_ival_add(%s, %s)", off, scaled), NULL);
	}
	if (m->kind == IR_E_DEREF)
		return addr_ival(g, m->a, at, base);
	return NULL;
}

/* Where an access's index variables get their ranges: a loop header's own
 * expressions belong to the loop's parent. */
static struct ir_stmt *scope_of(struct ir_stmt *owner)
{
	return owner && ir_is_loop(owner) ? owner->parent : owner;
}

static char *range_of(struct gctx *g, struct ir_expr *e, struct ir_stmt *owner,
                      struct ir_var **base, unsigned *esz)
{
	if (e->kind == IR_E_CALL) {
		/* memset(dst, c, n), memcpy(dst, src, n): bytes [dst, dst + n). */
		if (e->nargs < 3)
			return NULL;
		char *off = addr_ival(g, e->args[0], scope_of(owner), base);
		char *n = ival(g, e->args[2], scope_of(owner));
		if (!off || !n)
			return NULL;
		*esz = 1;
		return temp(g, arena_printf(g->a, "dae_ival_bytes(%s, %s)", off, n), NULL);
	}
	*esz = e->type ? e->type->size : 0;
	if (!*esz)
		return NULL;
	return addr_ival(g, e, scope_of(owner), base);
}

char *guard_emit(struct arena *a, const struct slc_program *p, const char **err)
{
	return guard_emit_pairs(a, p, &p->guards, "overlaps", "is read ahead of", NULL, err);
}

/* The bytes of a pair's first access: in a check by chunk, those of the
 * chunk's iterations only (the second access is bounded over the call). */
static char *chunk_range_of(struct gctx *g, const struct slc_guard *gd, struct ir_var **base,
                            unsigned *esz)
{
	g->in_chunk = 1;
	char *r = range_of(g, gd->read, gd->read_stmt, base, esz);
	g->in_chunk = 0;
	return r;
}

/* The code bounding a pair, its temporaries numbered from 0, or NULL if it
 * cannot be bounded. Two pairs with the same text check the same bytes:
 * every name in it is a parameter, fixed for the call. Accesses spelled
 * alike are not enough, their loops may run over different ranges. */
static char *pair_code(struct arena *a, const struct slc_program *p, const struct slc_guard *gd,
                       const struct guard_chunk *chunk)
{
	struct strbuf code;
	strbuf_init(&code);
	struct gctx g = {a, p, {0}, 0, &code, 0, chunk, 0, 0};
	struct ir_var *rb = NULL, *wb = NULL;
	unsigned rsz = 0, wsz = 0;
	char *r = chunk_range_of(&g, gd, &rb, &rsz);
	char *w = range_of(&g, gd->write, gd->write_stmt, &wb, &wsz);
	char *key = r && w && rb && wb ? arena_printf(a, "%s%s %s %u %s %s %u", code.s, rb->name, r,
	                                              rsz, wb->name, w, wsz)
	                               : NULL;
	strbuf_exit(&code);
	return key;
}

char *guard_emit_pairs(struct arena *a, const struct slc_program *p, const struct ptrvec *pairs,
                       const char *suffix, const char *verb, const struct guard_chunk *chunk,
                       const char **err)
{
	struct strbuf body;
	strbuf_init(&body);
	struct gctx g = {a, p, {0}, 0, &body, 0, chunk, 0, 0};
	struct ptrvec done = {0}; /* char *: pair_code of the pairs checked */
	for (int i = 0; i < pairs->n; i++) {
		const struct slc_guard *gd = pairs->v[i];
		char *key = pair_code(a, p, gd, chunk);
		int seen = 0;
		for (int k = 0; key && k < done.n && !seen; k++)
			seen = !strcmp(done.v[k], key);
		if (seen)
			continue;
		if (key)
			ptrvec_push(a, &done, key);
		struct ir_var *rb = NULL, *wb = NULL;
		unsigned rsz = 0, wsz = 0;
		char *r = chunk_range_of(&g, gd, &rb, &rsz);
		char *w = range_of(&g, gd->write, gd->write_stmt, &wb, &wsz);
		if (!r || !w || !rb || !wb) {
			strbuf_exit(&body);
			*err = arena_printf(
			        a,
			        "writes at line %d may overlap the index array read at line %d "
			        "(%s) and daec cannot bound them for a run-time check",
			        gd->write->loc.line, gd->read->loc.line,
			        gd->write->kind == IR_E_CALL  ? "byte writes by memset/memcpy"
			        : p->unit->no_strict_aliasing ? "-fno-strict-aliasing"
			                                      : "same element type");
			return NULL;
		}
		for (int k = 0; k < 2; k++) {
			struct ir_var *v = k ? wb : rb;
			if (v->kind == IR_VAR_PARAM && !ptrvec_contains(&g.params, v))
				ptrvec_push(a, &g.params, v);
		}
		char *rt = ir_span_text(a, p->unit, gd->read->span);
		char *wt = ir_span_text(a, p->unit, gd->write->span);
		strbuf_addf(&body, "\t/* %s (line %d) %s %s (line %d). */\n",
		            strchr(rt, '\n') || strlen(rt) > 24 ? "an index" : rt,
		            gd->read->loc.line, verb,
		            strchr(wt, '\n') || strlen(wt) > 24 ? "a write" : wt,
		            gd->write->loc.line);
		strbuf_addf(&body,
		            "\tif (dae_ival_overlap(%s, %s, %u, %s, %s, %u))\n\t\treturn 1;\n",
		            rb->name, r, rsz, wb->name, w, wsz);
	}
	/* An interval worked out and then bettered (a loop's bounds found by
	 * scanning its segments instead) is used nowhere: say so, or the
	 * compiler warns about it. */
	for (int i = 0; i < g.ntemps; i++) {
		char *name = arena_printf(a, "dae_t%d", i);
		size_t n = strlen(name);
		int uses = 0;
		for (const char *at = strstr(body.s, name); at; at = strstr(at + n, name))
			uses += at[n] < '0' || at[n] > '9';
		if (uses == 1)
			strbuf_addf(&body, "\t(void)%s; /* bettered */\n", name);
	}
	struct strbuf out;
	strbuf_init(&out);
	const char *params[] = {arena_printf(a, "const struct %s__args *dae_a", p->func->name),
	                        "uint64_t dae_first", "uint64_t dae_end"};
	emit_call_text(&out, 0, arena_printf(a, "static int %s__%s", p->func->name, suffix), params,
	               chunk ? 3 : 1, "");
	strbuf_adds(&out, "{\n");
	slc_settle_params(a, p->func, &g.params);
	for (int i = 0; i < g.params.n; i++) {
		struct ir_var *v = g.params.v[i];
		char *d = ir_param_decl_text(a, v->type, v->name);
		if (!d) {
			strbuf_exit(&body);
			strbuf_exit(&out);
			*err = "a parameter type daec cannot spell";
			return NULL;
		}
		strbuf_addf(&out, "\t%s = dae_a->%s;\n", d, v->name);
	}
	if (g.chunk_used) {
		/* The lanes' loop variable's first and end values in the chunk:
		 * iteration k of the loop has the value lo + k. */
		strbuf_addf(&out, "\tconst long long dae_c0 = (%s) + (long long)dae_first;\n",
		            chunk->lo);
		strbuf_addf(&out, "\tconst long long dae_c1 = (%s) + (long long)dae_end;\n",
		            chunk->lo);
	} else if (chunk) {
		strbuf_adds(&out, "\t(void)dae_first;\n\t(void)dae_end;\n");
	}
	strbuf_adds(&out, "\n");
	strbuf_adds(&out, body.s);
	strbuf_adds(&out, "\treturn 0;\n}\n");
	char *res = arena_strdup(a, out.s);
	strbuf_exit(&body);
	strbuf_exit(&out);
	return res;
}
