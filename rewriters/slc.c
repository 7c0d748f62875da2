/* Shared pieces of the lookup-compute level: the text splicer every emitter
 * uses to keep the user's own expressions, and the textual dump. */
#include <stdlib.h>
#include <string.h>

#include "ir_util.h"
#include "slc.h"

const char *slc_kind_name(enum slc_kind k)
{
	switch (k) {
	case SLC_K_I64:
		return "i64";
	case SLC_K_U64:
		return "u64";
	case SLC_K_F32:
		return "f32";
	case SLC_K_F64:
		return "f64";
	case SLC_K_PTR:
		return "ptr";
	}
	return "?";
}

const char *slc_event_name(enum slc_event e)
{
	switch (e) {
	case SLC_EV_ENTRY:
		return "entry";
	case SLC_EV_EXIT:
		return "exit";
	case SLC_EV_BEGIN:
		return "begin";
	case SLC_EV_ITER:
		return "iteration";
	case SLC_EV_END:
		return "end";
	case SLC_EV_RETURN:
		return "return";
	}
	return "?";
}

struct hit {
	unsigned begin, end;
	const char *text;
	int in_macro;
};

struct finder {
	const struct slc_subst *subs;
	int nsubs;
	struct hit *hits;
	int n, cap;
};

static void find_expr(struct finder *f, struct ir_expr *e)
{
	if (!e)
		return;
	for (int i = 0; i < f->nsubs; i++) {
		const struct slc_subst *s = &f->subs[i];
		if ((s->node && s->node == e) ||
		    (s->var && e->kind == IR_E_VAR && e->var == s->var)) {
			if (f->n == f->cap) {
				f->cap = f->cap ? 2 * f->cap : 16;
				f->hits = realloc(f->hits, sizeof(*f->hits) * (size_t)f->cap);
			}
			f->hits[f->n++] =
			        (struct hit){e->span.begin, e->span.end, s->text, e->in_macro};
			return; /* nothing inside a replaced node is kept */
		}
	}
	find_expr(f, e->a);
	find_expr(f, e->b);
	find_expr(f, e->c);
	for (int i = 0; i < e->nargs; i++)
		find_expr(f, e->args[i]);
}

static void find_root(struct ir_expr *e, void *arg)
{
	find_expr(arg, e);
}

static void find_stmt(struct finder *f, struct ir_stmt *s)
{
	if (!s)
		return;
	ir_stmt_roots(s, find_root, f);
	if (s->kind == IR_S_BLOCK) {
		for (int i = 0; i < s->nkids; i++)
			find_stmt(f, s->kids[i]);
		return;
	}
	struct ir_stmt *kids[2];
	int n = ir_stmt_kids(s, kids, 2);
	for (int i = 0; i < n; i++)
		find_stmt(f, kids[i]);
}

static int hit_cmp(const void *x, const void *y)
{
	const struct hit *a = x, *b = y;
	return a->begin < b->begin ? -1 : a->begin > b->begin;
}

char *slc_splice(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                 struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts,
                 const struct slc_subst *subs, int nsubs)
{
	struct finder f = {subs, nsubs, NULL, 0, 0};
	for (int i = 0; i < nexprs; i++)
		find_expr(&f, exprs[i]);
	for (int i = 0; i < nstmts; i++)
		find_stmt(&f, stmts[i]);
	if (f.n)
		qsort(f.hits, (size_t)f.n, sizeof(*f.hits), hit_cmp);
	struct strbuf sb;
	strbuf_init(&sb);
	unsigned pos = sp.begin;
	char *res = NULL;
	for (int i = 0; i < f.n; i++) {
		struct hit *h = &f.hits[i];
		/* A macro argument spliced alone would change the macro's expansion. */
		if (h->in_macro || h->begin < pos || h->end > sp.end)
			goto out;
		strbuf_addn(&sb, u->buf + pos, h->begin - pos);
		strbuf_adds(&sb, h->text);
		pos = h->end;
	}
	if (pos <= sp.end)
		strbuf_addn(&sb, u->buf + pos, sp.end - pos);
	res = arena_strdup(a, sb.s);
out:
	strbuf_exit(&sb);
	free(f.hits);
	return res;
}

/* ---- dump ------------------------------------------------------------------------- */

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

enum slc_trip slc_trip_kind(const struct ir_type *iv, const struct ir_type *hi)
{
	if (!iv || !hi)
		return SLC_TRIP_NONE;
	if (iv->cls == IR_T_SINT && hi->cls == IR_T_SINT)
		return SLC_TRIP_SIGNED;
	if (iv->cls == IR_T_UINT && hi->cls == IR_T_UINT && iv->size == hi->size)
		return SLC_TRIP_UNSIGNED;
	return SLC_TRIP_NONE;
}

struct pure {
	int ok;
};

/* Computable by the execute side at any time: constants, unassigned parameters. */
static void invariant_expr(struct ir_expr *e, void *arg)
{
	struct pure *p = arg;
	if (e->kind == IR_E_VAR &&
	    (e->var->kind == IR_VAR_LOCAL || (e->var->flags & IR_VAR_ASSIGNED)))
		p->ok = 0;
	if (ir_is_memory(e) || e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN ||
	    e->kind == IR_E_INCDEC || e->kind == IR_E_OTHER || e->in_macro)
		p->ok = e->in_macro && e->kind == IR_E_CONST ? p->ok : 0;
}

int slc_invariant(struct ir_expr *e)
{
	struct pure p = {1};
	ir_expr_walk(e, invariant_expr, &p);
	return p.ok;
}

struct defs_in {
	struct ir_stmt *loop;
	int found;
};

static void bound_var(struct ir_expr *e, void *arg)
{
	struct defs_in *d = arg;
	if (e->kind == IR_E_VAR && ir_var_defined_in(e->var, d->loop->body))
		d->found = 1;
	if (e->kind == IR_E_CALL || e->kind == IR_E_ASSIGN || e->kind == IR_E_INCDEC)
		d->found = 1;
}

const char *slc_trip_text(struct arena *a, const struct ir_unit *u, struct ir_stmt *loop)
{
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *iv = ir_counted_for(loop, &lo, &hi, &incl);
	if (!iv || incl || lo->in_macro || hi->in_macro)
		return NULL;
	enum slc_trip kind = slc_trip_kind(iv->type, hi->type);
	if (kind == SLC_TRIP_NONE)
		return NULL;
	const struct ir_type *it = iv->type;
	/* The bound is read at every test in the original: it must not change. */
	struct defs_in d = {loop, 0};
	ir_expr_walk(hi, bound_var, &d);
	ir_expr_walk(lo, bound_var, &d);
	if (d.found)
		return NULL;
	char *l = ir_span_text(a, u, lo->span), *h = ir_span_text(a, u, hi->span);
	if (strchr(l, '\n') || strchr(h, '\n'))
		return NULL;
	/* The first value is lo converted to the variable's type. */
	if (!lo->type || !lo->type->canonical || !it->canonical ||
	    strcmp(lo->type->canonical, it->canonical))
		l = arena_printf(a, "(%s)(%s)", it->unqual, l);
	return arena_printf(a, "%s(%s, %s)",
	                    kind == SLC_TRIP_UNSIGNED ? "dae_trip_count_u" : "dae_trip_count", l,
	                    h);
}

/* One line of source text with runs of white space folded, for the dump. */
void slc_put_flat(FILE *out, const struct ir_unit *u, struct ir_span sp)
{
	int space = 0;
	for (unsigned i = sp.begin; i < sp.end && i < u->len; i++) {
		char ch = u->buf[i];
		if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
			space = 1;
			continue;
		}
		if (space)
			fputc(' ', out);
		space = 0;
		fputc(ch, out);
	}
}

static void dump_cb(FILE *out, const struct slc_program *p, const struct slc_callback *cb,
                    int depth)
{
	indent(out, depth);
	fprintf(out, "callback #%d %s(", cb->id, slc_event_name(cb->event));
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		if (o->vector)
			fprintf(out, "%s%s:%s[%d]", i ? ", " : "", o->name, o->etype,
			        cb->vec->width);
		else
			fprintf(out, "%s%s:%s", i ? ", " : "", o->name, slc_kind_name(o->kind));
		if (o->load) {
			fputs(" = mem ", out);
			slc_put_flat(out, p->unit, o->load->span);
		}
	}
	fputs(")", out);
	if (cb->stmts.n) {
		const struct ir_stmt *f = cb->stmts.v[0], *l = cb->stmts.v[cb->stmts.n - 1];
		int last = l->loc.line;
		for (unsigned i = l->span.begin; i < l->span.end && i < p->unit->len; i++)
			if (p->unit->buf[i] == '\n')
				last++;
		fprintf(out, " lines %d-%d", f->loc.line, last);
	}
	if (cb->ret) {
		fputs(" returns ", out);
		slc_put_flat(out, p->unit, cb->ret->span);
	}
	fputc('\n', out);
	for (int i = 0; i < cb->local_loads.n; i++) {
		const struct slc_operand *o = cb->local_loads.v[i];
		indent(out, depth + 1);
		fprintf(out, "access-only %s = mem ", o->name);
		slc_put_flat(out, p->unit, o->load->span);
		fputc('\n', out);
	}
	if (cb->buf) {
		const struct slc_buffer *b = cb->buf;
		indent(out, depth + 1);
		fprintf(out,
		        "bufferised: %d column loop%s over %s, %d row%s, %d scalar%s, "
		        "vectors of %d\n",
		        b->loops.n, b->loops.n == 1 ? "" : "s", b->iv->name, b->reads.n,
		        b->reads.n == 1 ? "" : "s", b->scalars.n, b->scalars.n == 1 ? "" : "s",
		        b->vector);
	}
	for (int i = 0; i < cb->pfs.n; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		indent(out, depth + 1);
		fprintf(out, "%s %s", pf->data ? "row by value" : "row", pf->addr);
		if (pf->data && pf->same)
			fprintf(out, " (the same as %s)", pf->same->row_name);
		if (pf->bytes)
			fprintf(out, " bytes %s", pf->bytes);
		fputc('\n', out);
	}
}

static void dump_nodes(FILE *out, const struct slc_program *p, const struct ptrvec *nodes,
                       int depth)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		switch (n->kind) {
		case SLC_LOOP:
			indent(out, depth);
			fputs("stream ", out);
			if (n->stmt->kind == IR_S_FOR) {
				slc_put_flat(out, p->unit, n->stmt->header);
			} else {
				fputs(n->stmt->kind == IR_S_DO ? "do-while " : "while ", out);
				slc_put_flat(out, p->unit, n->stmt->expr->span);
			}
			if (n->vec)
				fprintf(out, " {  # line %d, in strips of %d\n", n->stmt->loc.line,
				        n->vec->width);
			else
				fprintf(out, " {  # line %d\n", n->stmt->loc.line);
			dump_nodes(out, p, &n->body, depth + 1);
			indent(out, depth);
			fputs("}\n", out);
			break;
		case SLC_IF:
			indent(out, depth);
			fputs("if ", out);
			slc_put_flat(out, p->unit, n->stmt->expr->span);
			fputs(" {\n", out);
			dump_nodes(out, p, &n->body, depth + 1);
			if (n->has_else) {
				indent(out, depth);
				fputs("} else {\n", out);
				dump_nodes(out, p, &n->else_body, depth + 1);
			}
			indent(out, depth);
			fputs("}\n", out);
			break;
		case SLC_BLOCK:
			indent(out, depth);
			fputs("{\n", out);
			dump_nodes(out, p, &n->body, depth + 1);
			indent(out, depth);
			fputs("}\n", out);
			break;
		case SLC_ACCESS:
			indent(out, depth);
			fputs("access ", out);
			slc_put_flat(out, p->unit, n->stmt->span);
			fputc('\n', out);
			break;
		case SLC_CALLBACK:
			dump_cb(out, p, n->cb, depth);
			break;
		case SLC_RETURN:
			if (n->cb)
				dump_cb(out, p, n->cb, depth);
			indent(out, depth);
			fputs("return\n", out);
			break;
		case SLC_JUMP:
			indent(out, depth);
			fputs(n->stmt->kind == IR_S_BREAK ? "break\n" : "continue\n", out);
			break;
		}
	}
}

static void dump_vars(FILE *out, const char *what, const struct ptrvec *vars)
{
	if (!vars->n)
		return;
	fprintf(out, "  %s:", what);
	for (int i = 0; i < vars->n; i++)
		fprintf(out, " %s", ((const struct ir_var *)vars->v[i])->name);
	fputc('\n', out);
}

void slc_dump(FILE *out, const struct slc_program *p)
{
	fprintf(out, "lookup-compute %s  # op %s, %d callbacks\n", p->func->name,
	        p->op ? p->op : "-", p->callbacks.n);
	dump_vars(out, "access reads", &p->access_vars);
	dump_vars(out, "execute reads", &p->execute_vars);
	dump_vars(out, "execute receives", &p->exec_received);
	dump_vars(out, "execute locals", &p->exec_hoisted);
	fprintf(out, "  overlap: %s\n", p->aliasing ? p->aliasing : "-");
	if (p->lanes_note)
		fprintf(out, "  %s\n", p->lanes_note);
	for (int i = 0; i < p->guards.n; i++) {
		const struct slc_guard *g = p->guards.v[i];
		fputs("  guard ", out);
		slc_put_flat(out, p->unit, g->read->span);
		fputs(" vs ", out);
		slc_put_flat(out, p->unit, g->write->span);
		fputc('\n', out);
	}
	dump_nodes(out, p, &p->top, 1);
	fputc('\n', out);
}

/* ---- parameters a generated function copies from the argument struct ---- */

static int is_ident(char ch)
{
	return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
	       ch == '_';
}

/* Whether the type spelling names identifier name (as a whole word). */
static int names(const char *spelling, const char *name)
{
	size_t n = strlen(name);
	for (const char *p = spelling; (p = strstr(p, name)); p += n)
		if ((p == spelling || !is_ident(p[-1])) && !is_ident(p[n]))
			return 1;
	return 0;
}

void slc_settle_params(struct arena *a, const struct ir_func *f, struct ptrvec *vars)
{
	/* A pointer to a variably modified array names its sizes: those
	 * parameters must be copied too, and before it. */
	for (int i = 0; i < vars->n; i++) {
		const struct ir_var *v = vars->v[i];
		if (!v->type || !(v->type->flags & IR_TYPE_VLA) || !v->type->spelling)
			continue;
		for (int k = 0; k < f->nparams; k++)
			if (f->params[k] != v && names(v->type->spelling, f->params[k]->name) &&
			    !ptrvec_contains(vars, f->params[k]))
				ptrvec_push(a, vars, f->params[k]);
	}
	/* Signature order (insertion sort: a handful of parameters). */
	for (int i = 1; i < vars->n; i++) {
		void *x = vars->v[i];
		int k = i;
		while (k > 0 && ir_param_index(f, vars->v[k - 1]) > ir_param_index(f, x)) {
			vars->v[k] = vars->v[k - 1];
			k--;
		}
		vars->v[k] = x;
	}
}

const char *slc_exec_name(const struct slc_program *p, const struct ir_var *v)
{
	for (int i = 0; i < p->renames.n; i++) {
		const struct slc_rename *r = p->renames.v[i];
		if (r->var == v)
			return r->name;
	}
	return v->name;
}
