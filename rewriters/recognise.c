/* Naming the op a lookup-compute program implements, for the report and
 * remarks. Nothing here changes the rewrite: the split is decided by the
 * dependence analysis alone; this only reads the program's shape:
 *
 *   quotient-remainder  a row address splits one index by / and %
 *   kg-score            several rows of an item reduced into a scalar
 *   spmm / spmv         a CSR walk (row pointers, column indices), with or
 *                       without a loop over the feature dimension
 *   sparse-dot          (index, value) pairs reduced into a scalar
 *   embedding-bag / sparse-lengths
 *                       segments of lookups pooled into output rows, by
 *                       offsets or by lengths; -sum, -weighted-sum, -mean, -max
 *   gather              rows copied out */
#include <string.h>

#include "ir_util.h"
#include "slc.h"

struct features {
	const struct slc_callback *cb;
	const struct ir_unit *u;
	int in_loop; /* walking inside a loop of the callback */
	int accum, copy, weighted, scale, max, memcpy_;
	int scalar_accum; /* s += <row read> into a variable */
	int dim_loop; /* a row read inside a loop of the callback */
	int divmod; /* a row address with both / and % */
	int streams; /* most distinct loaded indices feeding row reads in one statement */
};

static int assigns_compared(const struct ir_unit *u, const struct ir_expr *cmp, struct ir_stmt *s);

static int count_reads(const struct ir_expr *e)
{
	if (!e)
		return 0;
	int n = ir_is_read(e) ? 1 : 0;
	n += count_reads(e->a) + count_reads(e->b) + count_reads(e->c);
	for (int i = 0; i < e->nargs; i++)
		n += count_reads(e->args[i]);
	return n;
}

/* The operand (received variable or hoisted load) an address is built on. */
static const void *row_source(const struct slc_callback *cb, const struct ir_expr *e)
{
	if (!e)
		return NULL;
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		if (o->loaded &&
		    (o->load == e || (o->var && e->kind == IR_E_VAR && e->var == o->var)))
			return o;
	}
	const void *r = row_source(cb, e->a);
	if (!r)
		r = row_source(cb, e->b);
	if (!r)
		r = row_source(cb, e->c);
	return r;
}

static int has_op(const struct ir_expr *e, enum ir_op op)
{
	if (!e)
		return 0;
	if (e->kind == IR_E_BINARY && e->op == op)
		return 1;
	return has_op(e->a, op) || has_op(e->b, op) || has_op(e->c, op);
}

struct walk {
	struct features *f;
	const void *seen[16];
	int nseen;
	int in_loop;
};

static void row_reads(struct walk *w, const struct ir_expr *e)
{
	if (!e)
		return;
	if (ir_is_read(e) && e->access == IR_ACC_READ) {
		const void *src = row_source(w->f->cb, e->kind == IR_E_INDEX ? e : e->a);
		if (src) {
			if (w->in_loop)
				w->f->dim_loop = 1;
			if (e->kind == IR_E_INDEX && has_op(e->b, IR_OP_DIV) &&
			    has_op(e->b, IR_OP_REM))
				w->f->divmod = 1;
			int known = 0;
			for (int i = 0; i < w->nseen; i++)
				known |= w->seen[i] == src;
			if (!known && w->nseen < 16)
				w->seen[w->nseen++] = src;
		}
	}
	row_reads(w, e->a);
	row_reads(w, e->b);
	row_reads(w, e->c);
	for (int i = 0; i < e->nargs; i++)
		row_reads(w, e->args[i]);
}

static void expr_features(struct features *f, struct ir_expr *e)
{
	if (!e)
		return;
	if (e->kind == IR_E_ASSIGN) {
		struct ir_expr *l = ir_unparen(e->a), *r = ir_unparen(e->b);
		if (ir_is_memory(l)) {
			if (e->op == IR_OP_ADD) {
				f->accum = 1;
				if (r && r->kind == IR_E_BINARY && r->op == IR_OP_MUL)
					f->weighted = 1;
			} else if (e->op == IR_OP_DIV || e->op == IR_OP_MUL) {
				f->scale = 1;
			} else if (e->op == IR_OP_NONE) {
				if (r && r->kind == IR_E_CALL && r->text &&
				    (!strcmp(r->text, "fmaxf") || !strcmp(r->text, "fmax")))
					f->max = 1;
				else if (r && r->kind == IR_E_BINARY &&
				         (r->op == IR_OP_DIV || r->op == IR_OP_MUL) &&
				         count_reads(r) == 1 && ir_is_read(ir_unparen(r->a)))
					f->scale = 1;
				else if (count_reads(r) > 0)
					f->copy = 1;
			}
		} else if (l && l->kind == IR_E_VAR && (e->op == IR_OP_ADD || e->op == IR_OP_SUB) &&
		           (count_reads(r) > 0 || f->in_loop)) {
			f->scalar_accum = 1;
		} else if (l && l->kind == IR_E_VAR && e->op == IR_OP_NONE && r &&
		           r->kind == IR_E_BINARY && r->op == IR_OP_ADD && ir_unparen(r->a) &&
		           ir_unparen(r->a)->kind == IR_E_VAR && ir_unparen(r->a)->var == l->var &&
		           count_reads(r) > 0) {
			f->scalar_accum = 1; /* s = s + ... */
		}
	}
	if (e->kind == IR_E_CALL && e->text && !strcmp(e->text, "memcpy"))
		f->memcpy_ = 1;
	expr_features(f, e->a);
	expr_features(f, e->b);
	expr_features(f, e->c);
	for (int i = 0; i < e->nargs; i++)
		expr_features(f, e->args[i]);
}

static void stmt_features(struct features *f, struct ir_stmt *s, int in_loop)
{
	if (!s)
		return;
	struct ir_expr *exprs[4] = {s->expr, s->inc, NULL, NULL};
	struct walk w = {f, {0}, 0, in_loop};
	f->in_loop = in_loop;
	for (int i = 0; i < 2; i++) {
		expr_features(f, exprs[i]);
		row_reads(&w, exprs[i]);
	}
	for (int i = 0; i < s->nvars; i++) {
		expr_features(f, s->inits[i]);
		row_reads(&w, s->inits[i]);
	}
	/* A compare of a row value deciding an assignment: a max (or min) pool. */
	if (s->kind == IR_S_IF && s->expr) {
		struct ir_expr *c = ir_unparen(s->expr);
		struct walk cw = {f, {0}, 0, 0};
		int dim_loop = f->dim_loop;
		row_reads(&cw, c);
		f->dim_loop = dim_loop;
		if (c && c->kind == IR_E_BINARY &&
		    (c->op == IR_OP_GT || c->op == IR_OP_LT || c->op == IR_OP_GE ||
		     c->op == IR_OP_LE) &&
		    (cw.nseen > 0 || assigns_compared(f->u, c, s->then_s)))
			f->max = 1;
	}
	if (w.nseen > f->streams)
		f->streams = w.nseen;
	if (s->kind == IR_S_BLOCK)
		for (int i = 0; i < s->nkids; i++)
			stmt_features(f, s->kids[i], in_loop);
	stmt_features(f, s->init, in_loop);
	stmt_features(f, s->body, in_loop || ir_is_loop(s));
	stmt_features(f, s->then_s, in_loop);
	stmt_features(f, s->else_s, in_loop);
}

/* if (v > m) m = v;  -- a running maximum (or minimum). */
static int assigns_compared(const struct ir_unit *u, const struct ir_expr *cmp, struct ir_stmt *s)
{
	while (s && s->kind == IR_S_BLOCK && s->nkids == 1)
		s = s->kids[0];
	if (!s || s->kind != IR_S_EXPR)
		return 0;
	struct ir_expr *x = ir_unparen(s->expr);
	if (!x || x->kind != IR_E_ASSIGN || x->op != IR_OP_NONE)
		return 0;
	struct ir_expr *l = ir_unparen(x->a), *r = ir_unparen(x->b);
	struct ir_expr *ca = ir_unparen(cmp->a), *cb = ir_unparen(cmp->b);
	return (ir_same_text(u, l, ca) && ir_same_text(u, r, cb)) ||
	       (ir_same_text(u, l, cb) && ir_same_text(u, r, ca));
}

static int access_depth(const struct ptrvec *nodes, int *lengths)
{
	int best = 0;
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		int d = 0;
		if (n->kind == SLC_LOOP) {
			struct ir_expr *lo, *hi;
			int incl;
			if (ir_counted_for(n->stmt, &lo, &hi, &incl) && count_reads(hi) == 1 &&
			    lo->kind == IR_E_CONST && ir_unparen(hi) &&
			    ir_unparen(hi)->kind == IR_E_INDEX)
				*lengths = 1;
			d = 1 + access_depth(&n->body, lengths);
		} else if (n->kind == SLC_IF || n->kind == SLC_BLOCK) {
			d = access_depth(&n->body, lengths);
			int e = access_depth(&n->else_body, lengths);
			if (e > d)
				d = e;
		}
		if (d > best)
			best = d;
	}
	return best;
}

/* An index split by / and % in the access statements (q = id / m; r = id % m). */
static int access_divmod(const struct ptrvec *nodes)
{
	int div = 0, rem = 0;
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_ACCESS && n->stmt) {
			for (int k = 0; k < n->stmt->nvars; k++) {
				div |= has_op(n->stmt->inits[k], IR_OP_DIV);
				rem |= has_op(n->stmt->inits[k], IR_OP_REM);
			}
			div |= has_op(n->stmt->expr, IR_OP_DIV);
			rem |= has_op(n->stmt->expr, IR_OP_REM);
		}
		if (access_divmod(&n->body) || access_divmod(&n->else_body))
			return 1;
	}
	return div && rem;
}

static int csr_names(const struct ir_func *f)
{
	/* Sparse BLAS spells the row pointers and column indices ia and ja. */
	for (int i = 0; i < f->nvars; i++)
		if (f->vars[i] && f->vars[i]->name &&
		    (!strcmp(f->vars[i]->name, "ia") || !strcmp(f->vars[i]->name, "ja")))
			return 1;
	static const char *const words[] = {
	        "row_ptr", "rowptr", "indptr", "row_offsets", "col_idx", "colidx", "col_ind",
	        "colind",  "edge",   "adj",    "neigh",       "csr",     "in_src", "src_idx"};
	for (int i = 0; i < f->nvars; i++) {
		const struct ir_var *v = f->vars[i];
		if (!v || !v->name)
			continue;
		for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
			if (strstr(v->name, words[k]))
				return 1;
	}
	return 0;
}

static const char *pooling(struct arena *a, const char *base, const struct features *f)
{
	if (f->max)
		return arena_printf(a, "%s-max", base);
	if (f->accum && f->scale)
		return arena_printf(a, "%s-%smean", base, f->weighted ? "weighted-" : "");
	if (f->accum || f->scalar_accum)
		return arena_printf(a, "%s-%ssum", base, f->weighted ? "weighted-" : "");
	return arena_printf(a, "%s-lookup", base);
}

const char *slc_recognise(struct arena *a, const struct slc_program *p)
{
	struct features all = {0};
	for (int i = 0; i < p->callbacks.n; i++) {
		struct features f = {0};
		f.cb = p->callbacks.v[i];
		f.u = p->unit;
		for (int k = 0; k < f.cb->stmts.n; k++)
			stmt_features(&f, f.cb->stmts.v[k], 0);
		all.accum |= f.accum;
		all.copy |= f.copy;
		all.weighted |= f.weighted;
		all.scale |= f.scale;
		all.max |= f.max;
		all.memcpy_ |= f.memcpy_;
		all.scalar_accum |= f.scalar_accum;
		all.dim_loop |= f.dim_loop;
		all.divmod |= f.divmod;
		if (f.streams > all.streams)
			all.streams = f.streams;
	}
	int lengths = 0;
	int depth = access_depth(&p->top, &lengths);
	all.divmod |= access_divmod(&p->top);
	if (all.divmod)
		return pooling(a, "qr-embedding", &all);
	if (all.streams >= 2 && all.scalar_accum && all.dim_loop)
		return "kg-score";
	if (csr_names(p->func) && (all.accum || all.scalar_accum || all.max))
		return all.dim_loop ? pooling(a, "spmm", &all) : "spmv";
	if (depth >= 2 && all.max)
		return pooling(a, lengths ? "sparse-lengths" : "embedding-bag", &all);
	if ((all.copy || all.memcpy_) && !all.accum && !all.scalar_accum)
		return "gather";
	if (all.scalar_accum && !all.dim_loop)
		return "sparse-dot";
	if (depth >= 2)
		return pooling(a, lengths ? "sparse-lengths" : "embedding-bag", &all);
	if (all.accum)
		return "gather-reduce";
	return "lookup";
}
