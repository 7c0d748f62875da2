/* Emits C for a decoupled program. The generated functions reuse the user's
 * own text for every loop header, access statement and compute statement
 * (re-indented, with hoisted loads replaced by popped operands), so the
 * compiler sees the same operations in the same order and a reviewer sees
 * the user's code. Layout follows the repository's .clang-format. */
#include <ctype.h>
#include <string.h>

#include "emit_c.h"
#include "guard.h"
#include "ir_util.h"

#define COLUMNS 100

struct em {
	struct arena *a;
	const struct dlc_program *d;
	const struct slc_program *p;
	const struct ir_unit *u;
	const struct ir_func *f;
	struct strbuf *sb;
	const char *err;
	int fences; /* fences emitted so far in the access function */
	const struct ir_stmt *fused_loop; /* the loop whose segment token was just sent */
	int ends; /* hoisted loop bounds so far */
	int prefetch_only; /* access_ops for NAME__walk and NAME__row: send nothing */
	int fused_walk; /* NAME__walk: the segment's loop becomes its span (fused_span) */
	int fused_row; /* NAME__row: the segment's index load reads dae_at */
};

static void tabs(struct strbuf *sb, int n)
{
	for (int i = 0; i < n; i++)
		strbuf_adds(sb, "\t");
}

static void line(struct em *m, int depth, const char *fmt, ...)
        __attribute__((format(printf, 3, 4)));

static void line(struct em *m, int depth, const char *fmt, ...)
{
	tabs(m->sb, depth);
	va_list ap;
	va_start(ap, fmt);
	strbuf_vaddf(m->sb, fmt, ap);
	va_end(ap);
	strbuf_adds(m->sb, "\n");
}

/* Appends text that started at byte orig of the source, moved to depth:
 * continuation lines keep their indentation relative to the first. */
static void put_moved(struct em *m, int depth, const char *text, unsigned orig)
{
	unsigned ls = ir_line_start(m->u, orig);
	size_t nbase = 0;
	while (ls + nbase < orig && (m->u->buf[ls + nbase] == ' ' || m->u->buf[ls + nbase] == '\t'))
		nbase++;
	const char *base = m->u->buf + ls;
	tabs(m->sb, depth);
	for (const char *s = text; *s; s++) {
		if (*s != '\n') {
			strbuf_addn(m->sb, s, 1);
			continue;
		}
		strbuf_adds(m->sb, "\n");
		const char *next = s + 1;
		size_t k = 0;
		while (k < nbase && next[k] == base[k])
			k++;
		s += k;
		if (next[k] != '\n' && next[k] != '\0')
			tabs(m->sb, depth);
	}
}

static int width(const char *s, int depth)
{
	return depth * 8 + (int)strlen(s);
}

void emit_call_text(struct strbuf *sb, int depth, const char *prefix, const char *const *args,
                    int n, const char *suffix)
{
	struct strbuf one;
	strbuf_init(&one);
	strbuf_adds(&one, prefix);
	strbuf_adds(&one, "(");
	for (int i = 0; i < n; i++) {
		if (i)
			strbuf_adds(&one, ", ");
		strbuf_adds(&one, args[i]);
	}
	strbuf_adds(&one, ")");
	strbuf_adds(&one, suffix);
	if (width(one.s, depth) <= COLUMNS) {
		tabs(sb, depth);
		strbuf_adds(sb, one.s);
		strbuf_adds(sb, "\n");
		strbuf_exit(&one);
		return;
	}
	strbuf_exit(&one);
	int align = (int)strlen(prefix) + 1;
	tabs(sb, depth);
	strbuf_adds(sb, prefix);
	strbuf_adds(sb, "(");
	int col = depth * 8 + align;
	for (int i = 0; i < n; i++) {
		int len = (int)strlen(args[i]) + (i + 1 < n ? 1 : (int)(1 + strlen(suffix)));
		if (i && col + 1 + len > COLUMNS) {
			strbuf_adds(sb, "\n");
			tabs(sb, depth);
			for (int k = 0; k < align; k++)
				strbuf_adds(sb, " ");
			col = depth * 8 + align;
		} else if (i) {
			strbuf_adds(sb, " ");
			col++;
		}
		strbuf_adds(sb, args[i]);
		col += (int)strlen(args[i]);
		if (i + 1 < n) {
			strbuf_adds(sb, ",");
			col++;
		}
	}
	strbuf_adds(sb, ")");
	strbuf_adds(sb, suffix);
	strbuf_adds(sb, "\n");
}

static void put_call(struct em *m, int depth, const char *prefix, const char *const *args, int n,
                     const char *suffix)
{
	emit_call_text(m->sb, depth, prefix, args, n, suffix);
}

static const char *kind_fn(enum slc_kind k)
{
	return slc_kind_name(k);
}

/* ---- access side --------------------------------------------------------------------- */

static void access_ops(struct em *m, const struct ptrvec *ops, int depth);
static void fused_span(struct em *m, int depth);
static int fused_index_decl(struct em *m, const struct ir_stmt *s, int depth);

/* Access-side text of an expression: its reads are traced (DAE_LD). */
static char *access_expr(struct em *m, struct ir_expr *e)
{
	return emit_traced_text(m->a, m->u, e->span, &e, 1, NULL, 0);
}

static void put_cond_block(struct em *m, int depth, const char *kw, struct ir_expr *cond)
{
	char *t = access_expr(m, cond);
	char *head = arena_printf(m->a, "%s (%s) {", kw, t);
	put_moved(m, depth, head, cond->span.begin);
	strbuf_adds(m->sb, "\n");
}

/* The header of a fused segment's loop with its bound read once, into a
 * constant declared just before it: the segment token already told the
 * execute side the trip count, computed from that same bound when the loop
 * starts (align.c makes sure nothing the loop does can change it), so the
 * loop's own test need not load it again at every lookup. NULL (and nothing
 * emitted) when the bound cannot be spelled. */
static char *hoisted_bound_header(struct em *m, struct ir_stmt *s, struct ir_expr **hx, int nx,
                                  int depth)
{
	struct ir_expr *lo, *hi;
	int incl;
	if (!ir_counted_for(s, &lo, &hi, &incl) || incl || !hi->type || hi->kind == IR_E_VAR ||
	    hi->kind == IR_E_CONST)
		return NULL;
	const char *name = arena_printf(m->a, "dae_end%d", m->ends + 1);
	char *decl = ir_decl_text(m->a, hi->type, name, 0);
	char *val = emit_traced_text(m->a, m->u, hi->span, &hi, 1, NULL, 0);
	struct slc_subst sub = {hi, NULL, name};
	char *head =
	        emit_traced_subst(m->a, m->u, s->header, hx, nx, &s->init, s->init ? 1 : 0, &sub);
	if (!decl || !val || !head || strchr(val, '\n'))
		return NULL;
	m->ends++;
	line(m, depth, "const %s = %s;", decl, val);
	return head;
}

/* A vectorised loop (-O1): the user's loop header without its increment;
 * each strip sends its length (at most the vector width) in its token and
 * then advances the variable past it, as the original's increments would. */
static int access_strip(struct em *m, const struct dlc_aop *o, int depth)
{
	struct ir_stmt *s = o->stmt;
	const struct slc_vector *v = o->vec;
	struct ir_expr *hx[2] = {s->expr, s->inc};
	struct slc_subst no_inc = {s->inc, NULL, ""};
	char *head = emit_traced_subst(m->a, m->u, s->header, hx, 2, &s->init, 1, &no_inc);
	struct ir_expr *hi = v->hi;
	char *bound = emit_traced_text(m->a, m->u, hi->span, &hi, 1, NULL, 0);
	if (!head || !bound) {
		m->err = "a vectorised loop's header cannot be spelled";
		return -1;
	}
	size_t n = strlen(head);
	if (n >= 3 && !strcmp(head + n - 3, "; )"))
		memmove(head + n - 2, head + n - 1, 2);
	if (s->pragma)
		strbuf_addf(m->sb, "#pragma %s\n", s->pragma);
	put_moved(m, depth, head, s->header.begin);
	strbuf_adds(m->sb, " {\n");
	int usign = slc_trip_kind(v->iv->type, hi->type) == SLC_TRIP_UNSIGNED;
	const char *args[2] = {arena_printf(m->a, "%s(%s, %s)",
	                                    usign ? "dae_trip_count_u" : "dae_trip_count",
	                                    v->iv->name, bound),
	                       arena_printf(m->a, "%d", v->width)};
	put_call(m, depth + 1, arena_printf(m->a, "const uint64_t %s = dae_strip", v->n_name), args,
	         2, ";");
	access_ops(m, &o->body, depth + 1);
	line(m, depth + 1, "%s += %s;", v->iv->name, v->n_name);
	line(m, depth, "}");
	return 0;
}

/* The lanes loop walks this lane's iterations, dae_lo .. dae_hi - 1. */
static char *lanes_header(struct em *m, const struct ir_stmt *s)
{
	const char *v = m->p->lanes->iv->name;
	const char *first = v;
	if (s->init && s->init->kind == IR_S_DECL)
		first = ir_decl_text(m->a, m->p->lanes->iv->type, v, 0);
	return arena_printf(m->a, "for (%s = dae_lo; %s < dae_hi; %s++)", first, v, v);
}

static void access_ops(struct em *m, const struct ptrvec *ops, int depth)
{
	for (int i = 0; i < ops->n; i++) {
		const struct dlc_aop *o = ops->v[i];
		switch (o->kind) {
		case DLC_A_LOOP:
			if (m->fused_walk && o->stmt == m->p->lanes->fused->seg->stmt) {
				m->fused_loop = NULL;
				fused_span(m, depth);
				break;
			}
			if (o->stmt->pragma)
				strbuf_addf(m->sb, "#pragma %s\n", o->stmt->pragma);
			if (o->stmt->kind == IR_S_FOR) {
				struct ir_stmt *s = o->stmt;
				struct ir_expr *hx[2];
				int nx = 0;
				if (s->expr)
					hx[nx++] = s->expr;
				if (s->inc)
					hx[nx++] = s->inc;
				char *head = NULL;
				if (m->p->lanes && s == m->p->lanes->loop->stmt)
					head = lanes_header(m, s);
				else if (s == m->fused_loop)
					head = hoisted_bound_header(m, s, hx, nx, depth);
				if (!head)
					head = emit_traced_text(m->a, m->u, s->header, hx, nx,
					                        &s->init, s->init ? 1 : 0);
				m->fused_loop = NULL;
				put_moved(m, depth, head, s->header.begin);
				strbuf_adds(m->sb, " {\n");
				access_ops(m, &o->body, depth + 1);
				line(m, depth, "}");
			} else if (o->stmt->kind == IR_S_WHILE) {
				put_cond_block(m, depth, "while", o->stmt->expr);
				access_ops(m, &o->body, depth + 1);
				line(m, depth, "}");
			} else {
				line(m, depth, "do {");
				access_ops(m, &o->body, depth + 1);
				line(m, depth, "} while (%s);", access_expr(m, o->stmt->expr));
			}
			break;
		case DLC_A_IF:
			put_cond_block(m, depth, "if", o->stmt->expr);
			access_ops(m, &o->body, depth + 1);
			if (o->has_else) {
				line(m, depth, "} else {");
				access_ops(m, &o->else_body, depth + 1);
			}
			line(m, depth, "}");
			break;
		case DLC_A_BLOCK:
			line(m, depth, "{");
			access_ops(m, &o->body, depth + 1);
			line(m, depth, "}");
			break;
		case DLC_A_STMT:
			if (m->fused_row && fused_index_decl(m, o->stmt, depth))
				break;
			if (o->text) {
				/* One declaration per line. */
				for (const char *t = o->text; *t;) {
					const char *nl = strchr(t, '\n');
					int len = nl ? (int)(nl - t) : (int)strlen(t);
					line(m, depth, "%.*s", len, t);
					t += len + (nl ? 1 : 0);
				}
			} else {
				struct ir_stmt *s = o->stmt;
				put_moved(m, depth,
				          emit_traced_text(m->a, m->u, s->span, NULL, 0, &s, 1),
				          s->span.begin);
			}
			if (!o->text)
				strbuf_adds(m->sb, "\n");
			/* A value only sent is not used when nothing is sent. */
			for (int k = 0; m->prefetch_only && o->stmt && o->stmt->kind == IR_S_DECL &&
			                k < o->stmt->nvars;
			     k++)
				if (o->stmt->inits[k])
					line(m, depth, "(void)%s;", o->stmt->vars[k]->name);
			break;
		case DLC_A_LOAD: {
			const struct slc_operand *op = o->opd;
			char *t = emit_traced_load(m->a, m->u, op->load,
			                           m->p->marshal_data &&
			                                   emit_is_gather(m->f, op->load));
			size_t n = strlen(op->ctype);
			const char *sep = n && op->ctype[n - 1] == '*' ? "" : " ";
			if (m->fused_row)
				m->err = "a fused segment's walk reads more than its index";
			else if (op->cond)
				line(m, depth, "%s%s%s = %s ? %s : 0;", op->ctype, sep, op->name,
				     op->cond, t);
			else
				line(m, depth, "%s%s%s = %s;", op->ctype, sep, op->name, t);
			if (m->prefetch_only)
				line(m, depth, "(void)%s;", op->name);
			break;
		}
		case DLC_A_PREFETCH: {
			int d = depth;
			/* Only rows the execute side will read: no address is formed otherwise. */
			if (o->pf->cond) {
				line(m, depth, "if (%s)", o->pf->cond);
				d++;
			}
			if (o->pf->bytes) {
				const char *args[2] = {o->pf->addr, o->pf->bytes};
				put_call(m, d, "dae_prefetch_range", args, 2, ";");
			} else {
				const char *args[1] = {o->pf->addr};
				put_call(m, d, "dae_prefetch", args, 1, ";");
			}
			break;
		}
		case DLC_A_TOKEN:
			if (m->prefetch_only) {
				if (o->count && o->cb->fused)
					m->fused_loop = o->cb->fused->inner->stmt;
				break;
			}
			if (o->count) {
				const char *args[3] = {"dae_q", arena_printf(m->a, "%d", o->token),
				                       o->count};
				if (o->cb->fused)
					m->fused_loop = o->cb->fused->inner->stmt;
				put_call(m, depth, "dae_queue_push_segment", args, 3, ";");
			} else {
				line(m, depth, "dae_queue_push_token(dae_q, %d);", o->token);
			}
			break;
		case DLC_A_STRIP:
			if (access_strip(m, o, depth))
				return;
			break;
		case DLC_A_PUSH_ROW: {
			const char *args[3] = {"dae_q", o->pf->addr, o->pf->bytes};
			int d = depth;
			/* A row the original would not read is sent empty, so that
			 * the execute side still pops one row; no address is formed. */
			if (o->pf->cond) {
				line(m, depth, "if (%s)", o->pf->cond);
				d++;
			}
			put_call(m, d, "dae_queue_push_row", args, 3, ";");
			if (o->pf->cond) {
				line(m, depth, "else");
				line(m, d, "dae_queue_push_row(dae_q, NULL, 0);");
			}
			break;
		}
		case DLC_A_PUSH: {
			if (m->prefetch_only)
				break;
			if (o->opd->vector) {
				/* The strip's elements, read in one go from where the
				 * first one is. */
				struct ir_expr *ld = o->opd->load, *kids[2] = {ld->a, ld->b};
				char *t = emit_traced_text(m->a, m->u, ld->span, kids, 2, NULL, 0);
				const char *args[3] = {"dae_q", arena_printf(m->a, "&%s", t),
				                       arena_printf(m->a, "%s * sizeof(%s)",
				                                    o->cb->vec->n_name,
				                                    o->opd->etype)};
				put_call(m, depth, "dae_queue_push_data", args, 3, ";");
				break;
			}
			const char *args[2] = {"dae_q", o->opd->name};
			put_call(m, depth,
			         arena_printf(m->a, "dae_queue_push_%s", kind_fn(o->opd->kind)),
			         args, 2, ";");
			break;
		}
		case DLC_A_STOP:
			line(m, depth, "return;");
			break;
		case DLC_A_JUMP:
			line(m, depth, o->stmt->kind == IR_S_BREAK ? "break;" : "continue;");
			break;
		case DLC_A_FENCE:
			/* Everything after this reads memory the callback may have written. */
			line(m, depth, "dae_queue_fence(dae_q, &dae_a->dae_fence, %d);",
			     ++m->fences);
			break;
		}
	}
}

/* ---- execute side ---------------------------------------------------------------------- */

static int exec_subs(struct arena *a, const struct slc_program *p, const struct slc_callback *cb,
                     struct slc_subst *subs, int max)
{
	int n = 0;
	for (int i = 0; i < p->renames.n && n < max; i++) {
		const struct slc_rename *r = p->renames.v[i];
		subs[n++] = (struct slc_subst){NULL, r->var, r->name};
	}
	int nrenames = n;
	for (int i = 0; i < cb->ops.n && n < max; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		if (o->load)
			subs[n++] = (struct slc_subst){
			        o->load, NULL,
			        o->vector ? arena_printf(a, "%s[dae_k]", o->name) : o->name};
	}
	/* A row sent by value is read from its copy, at the element's offset
	 * from the row's first element (the loop's first value). */
	for (int i = 0; i < cb->pfs.n && n < max; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		if (!pf->data)
			continue;
		struct ir_expr *lo = pf->lo;
		char *l = slc_splice(a, p->unit, lo->span, &lo, 1, NULL, 0, subs, nrenames);
		if (!l)
			return -1;
		const char *iv = slc_exec_name(p, pf->iv);
		const char *at = !strcmp(l, "0") ? iv
		                 : lo->kind == IR_E_VAR || lo->kind == IR_E_CONST
		                         ? arena_printf(a, "%s - %s", iv, l)
		                         : arena_printf(a, "%s - (%s)", iv, l);
		subs[n++] = (struct slc_subst){pf->load, NULL,
		                               arena_printf(a, "%s[%s]", pf->row_name, at)};
	}
	return n;
}

/* What goes between an operand's type and its name: nothing after a '*'. */
static const char *ctype_sep(const char *ctype)
{
	size_t n = strlen(ctype);
	return n && ctype[n - 1] == '*' ? "" : " ";
}

/* ctype made const, ready for a declarator: "const T " or "T *const ". */
static const char *ctype_const(struct em *m, const char *ctype)
{
	return ctype_sep(ctype)[0] ? arena_printf(m->a, "const %s ", ctype)
	                           : arena_printf(m->a, "%sconst ", ctype);
}

/* The pops of one callback's operands, at depth. */
static void exec_pops(struct em *m, const struct slc_callback *cb, int depth)
{
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		const char *cast = o->kind == SLC_K_F32 || o->kind == SLC_K_F64
		                           ? ""
		                           : arena_printf(m->a, "(%s)", o->ctype);
		const char *sep = ctype_sep(o->ctype);
		if (o->vector) {
			line(m, depth, "%s %s[%d];", o->etype, o->name, cb->vec->width);
			const char *args[3] = {"dae_q", o->name,
			                       arena_printf(m->a,
			                                    "dae_token_count(dae_w) * sizeof(%s)",
			                                    o->etype)};
			put_call(m, depth, "dae_queue_pop_data", args, 3, ";");
		} else if (o->load)
			line(m, depth, "%s%s%s = %sdae_queue_pop_%s(dae_q);", o->ctype, sep,
			     o->name, cast, kind_fn(o->kind));
		else
			line(m, depth, "%s = %sdae_queue_pop_%s(dae_q);",
			     slc_exec_name(m->p, o->var), cast, kind_fn(o->kind));
	}
	for (int i = 0; i < cb->pfs.n; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		if (pf->data && !pf->same)
			line(m, depth, "const %s *%s = dae_queue_pop_row(dae_q, %d);",
			     pf->load->type->unqual, pf->row_name, pf->slot);
	}
}

/* A callback's declaration: declared at the top of the execute function,
 * here it is assigned. */
static int exec_decl(struct em *m, struct ir_stmt *s, const struct slc_subst *subs, int ns,
                     int depth)
{
	for (int k = 0; k < s->nvars; k++) {
		if (!s->inits[k])
			continue;
		char *t = slc_splice(m->a, m->u, s->inits[k]->span, &s->inits[k], 1, NULL, 0, subs,
		                     ns);
		if (!t)
			return -1;
		char *asg = arena_printf(m->a, "%s = %s;", slc_exec_name(m->p, s->vars[k]), t);
		put_moved(m, depth, asg, s->inits[k]->span.begin);
		strbuf_adds(m->sb, "\n");
	}
	return 0;
}

/* The statements of one callback, at depth, its operands already popped. */
static int exec_stmts(struct em *m, const struct slc_callback *cb, int depth)
{
	struct slc_subst subs[64];
	int ns = exec_subs(m->a, m->p, cb, subs, 64);
	if (ns < 0)
		return -1;
	/* A strip runs the callback once per element, advancing iv. */
	if (cb->vec) {
		const struct ir_var *iv = cb->vec->iv;
		int sent = 0;
		for (int i = 0; i < cb->ops.n; i++)
			sent |= ((const struct slc_operand *)cb->ops.v[i])->var == iv;
		const char *head = "for (uint64_t dae_k = 0; dae_k < dae_token_count(dae_w);";
		const char *inc =
		        sent ? arena_printf(m->a, "dae_k++, %s++) {", slc_exec_name(m->p, iv))
		             : "dae_k++) {";
		/* Wrapped where clang-format would wrap it. */
		if (width(head, depth) + 1 + (int)strlen(inc) <= COLUMNS) {
			line(m, depth, "%s %s", head, inc);
		} else {
			line(m, depth, "%s", head);
			line(m, depth, "     %s", inc);
		}
		depth++;
	}
	for (int i = 0; i < cb->stmts.n; i++) {
		struct ir_stmt *s = cb->stmts.v[i];
		if (s->kind == IR_S_DECL) {
			if (exec_decl(m, s, subs, ns, depth))
				return -1;
			continue;
		}
		char *t = slc_splice(m->a, m->u, s->span, NULL, 0, &s, 1, subs, ns);
		if (!t)
			return -1;
		if (s->pragma)
			strbuf_addf(m->sb, "#pragma %s\n", s->pragma);
		put_moved(m, depth, t, s->span.begin);
		strbuf_adds(m->sb, "\n");
	}
	if (cb->ret) {
		struct ir_expr *ret = cb->ret;
		char *t = slc_splice(m->a, m->u, ret->span, &ret, 1, NULL, 0, subs, ns);
		if (!t)
			return -1;
		put_moved(m, depth, arena_printf(m->a, "dae_a->dae_ret = %s;", t), ret->span.begin);
		strbuf_adds(m->sb, "\n");
	}
	if (cb->vec)
		line(m, depth - 1, "}");
	return 0;
}

/* The pops and statements of one callback, at depth. */
static int exec_body(struct em *m, const struct slc_callback *cb, int depth)
{
	exec_pops(m, cb, depth);
	return exec_stmts(m, cb, depth);
}

static const char *zero_for(const struct ir_type *t);
static int mentions(const char *text, const char *name);

/* ---- bufferised segments (bufferise.c) -------------------------------------------------- */

/* Accumulators per block of columns: four 64-byte vectors, which GCC keeps
 * in registers at -O2 (sixteen SSE registers, or four AVX-512 ones). */
#define BUF_ACC 4

struct bufem {
	struct em *m;
	const struct slc_callback *cb;
	const struct slc_buffer *b;
	struct slc_subst subs[64];
	int ns;
	const char *iv; /* the column variable's execute-side name */
	const char *lo; /* its first value, in parentheses unless a name or a constant */
	const char *from; /* lo converted as the loops' init converts it */
	const char *vec; /* dae_f32x16 or dae_f64x8 */
	/* NAME__rowsK_set: the sums start from the constant the folded
	 * zeroing stores (fuse.c), not from the row. */
	const struct slc_fused *set;
	/* Called by a fused lane's direct function: the helper has a
	 * dae_pace parameter and pumps it once per row of its first block. */
	int paced;
	int nrows; /* row pointers declared so far (dae_pN) */
};

/* The text of e, the execute side's names and operands in it, and first the
 * substitutions extra (row reads made vector loads, d replaced by lo). */
static char *buf_text(struct bufem *x, struct ir_expr *e, const struct slc_subst *extra, int n)
{
	struct slc_subst all[96];
	int k = 0;
	for (int i = 0; i < n && k < 96; i++)
		all[k++] = extra[i];
	for (int i = 0; i < x->ns && k < 96; i++)
		all[k++] = x->subs[i];
	char *t = slc_splice(x->m->a, x->m->u, e->span, &e, 1, NULL, 0, all, k);
	if (!t && !x->m->err)
		x->m->err = "a bufferised statement cuts into a macro";
	return t;
}

/* e with d at its first value: the start of the row e walks. */
static char *buf_at_lo(struct bufem *x, struct ir_expr *e)
{
	struct slc_subst lo[16];
	int n = 0;
	for (int i = 0; i < x->b->ivs.n && n < 16; i++)
		lo[n++] = (struct slc_subst){NULL, x->b->ivs.v[i], x->lo};
	return buf_text(x, e, lo, n);
}

static const char *buf_trip(struct bufem *x, const char *from)
{
	const struct slc_buffer *b = x->b;
	char *hi = buf_text(x, b->hi, NULL, 0);
	int u = slc_trip_kind(b->iv->type, b->hi->type) == SLC_TRIP_UNSIGNED;
	return arena_printf(x->m->a, "%s(%s, %s)", u ? "dae_trip_count_u" : "dae_trip_count", from,
	                    hi ? hi : "");
}

struct buf_found {
	const struct ptrvec *set;
	struct ptrvec *out;
	struct arena *a;
};

static void buf_find(struct ir_expr *e, void *arg)
{
	struct buf_found *f = arg;
	if (ptrvec_contains(f->set, e) && !ptrvec_contains(f->out, e))
		ptrvec_push(f->a, f->out, e);
}

/* The rows and scalars of b that statement s reads itself (not its kids). */
static void buf_reads_of(struct bufem *x, struct ir_stmt *s, const struct ptrvec *set,
                         struct ptrvec *out)
{
	struct buf_found f = {set, out, x->m->a};
	out->n = 0;
	if (s->kind == IR_S_FOR) {
		struct ir_stmt *body = s->body;
		if (body->kind == IR_S_BLOCK)
			body = body->kids[0];
		ir_stmt_exprs(body, buf_find, &f);
	} else {
		ir_stmt_exprs(s, buf_find, &f);
	}
}

/* Column loop s from dae_from (where a helper's blocks stopped), as written:
 * a segment's tail, or the folded zeroing's. */
static int buf_from(struct bufem *x, struct ir_stmt *s, int depth)
{
	struct em *m = x->m;
	struct ir_stmt *body = s->body->kind == IR_S_BLOCK ? s->body->kids[0] : s->body;
	char *c = buf_text(x, s->expr, NULL, 0), *inc = buf_text(x, s->inc, NULL, 0);
	char *t = slc_splice(m->a, m->u, body->span, NULL, 0, &body, 1, x->subs, x->ns);
	if (!c || !inc || !t)
		return -1;
	line(m, depth, "for (%s = dae_from; %s; %s) {", x->iv, c, inc);
	put_moved(m, depth + 1, t, body->span.begin);
	strbuf_adds(m->sb, "\n");
	line(m, depth, "}");
	return 0;
}

enum buf_mode { BUF_CHECK, BUF_VECTOR, BUF_TAIL, BUF_ASIS };

/* One statement of the callback in a mode: CHECK runs the declarations and
 * conditions, and compares what each lookup reads with the row written;
 * VECTOR adds a block of nacc vectors of columns; TAIL runs the column loops
 * from dae_from. */
static int buf_stmt(struct bufem *x, struct ir_stmt *s, int depth, enum buf_mode mode, int nacc,
                    int top)
{
	struct em *m = x->m;
	const struct slc_buffer *b = x->b;
	struct ptrvec reads = {0};
	if (mode == BUF_CHECK && s->kind != IR_S_IF && s->kind != IR_S_BLOCK) {
		buf_reads_of(x, s, &b->scalars, &reads);
		for (int i = 0; i < reads.n; i++) {
			char *t = buf_text(x, reads.v[i], NULL, 0);
			if (!t)
				return -1;
			const char *args[4] = {arena_printf(m->a, "&%s", t),
			                       arena_printf(m->a, "sizeof(%s)", t), "dae_row",
			                       "dae_bytes"};
			put_call(m, depth, "dae_apart &= dae_span_apart", args, 4, ";");
		}
	}
	switch (s->kind) {
	case IR_S_DECL: {
		if (top)
			return exec_decl(m, s, x->subs, x->ns, depth);
		/* Declared inside an if: declared here too, as written. */
		char *t = slc_splice(m->a, m->u, s->span, NULL, 0, &s, 1, x->subs, x->ns);
		if (!t)
			return -1;
		put_moved(m, depth, t, s->span.begin);
		strbuf_adds(m->sb, "\n");
		/* The check may only need it to form an address, or not at all. */
		for (int k = 0; mode == BUF_CHECK && k < s->nvars; k++)
			line(m, depth, "(void)%s;", slc_exec_name(m->p, s->vars[k]));
		return 0;
	}
	case IR_S_BLOCK:
		for (int i = 0; i < s->nkids; i++)
			if (buf_stmt(x, s->kids[i], depth, mode, nacc, 0))
				return -1;
		return 0;
	case IR_S_IF: {
		char *c = buf_text(x, s->expr, NULL, 0);
		if (!c)
			return -1;
		line(m, depth, "if (%s) {", c);
		if (buf_stmt(x, s->then_s, depth + 1, mode, nacc, 0))
			return -1;
		if (s->else_s) {
			line(m, depth, "} else {");
			if (buf_stmt(x, s->else_s, depth + 1, mode, nacc, 0))
				return -1;
		}
		line(m, depth, "}");
		return 0;
	}
	case IR_S_NULL:
		return 0;
	case IR_S_FOR:
		break;
	default:
		m->err = "bufferise: a statement it did not accept";
		return -1;
	}
	struct ir_stmt *body = s->body->kind == IR_S_BLOCK ? s->body->kids[0] : s->body;
	struct ir_expr *asg = ir_unparen(body->expr);
	if (mode == BUF_CHECK) {
		buf_reads_of(x, s, &b->reads, &reads);
		for (int i = 0; i < reads.n; i++) {
			char *t = buf_at_lo(x, reads.v[i]);
			if (!t)
				return -1;
			const char *args[4] = {arena_printf(m->a, "&%s", t), "dae_bytes", "dae_row",
			                       "dae_bytes"};
			put_call(m, depth, "dae_apart &= dae_span_apart", args, 4, ";");
		}
		return 0;
	}
	if (mode == BUF_TAIL)
		return buf_from(x, s, depth);
	/* VECTOR: the user's E with every row element R[Y + d] read as the
	 * vector of columns d + k * V .. d + k * V + V - 1. */
	buf_reads_of(x, s, &b->reads, &reads);
	const char *op = asg->op == IR_OP_SUB ? "-=" : "+=";
	/* Each row's address once, the vectors at offsets from it: spelled
	 * &R[Y + d] + 16 for each vector, the compiler kept Y * 4 as an index
	 * register in every load, and the 1 GiB embedding bag ran 2-3% slower
	 * (docs/design.md). */
	const char *row[32];
	for (int i = 0; i < reads.n && i < 32; i++) {
		char *r = buf_text(x, reads.v[i], NULL, 0);
		if (!r)
			return -1;
		row[i] = arena_printf(m->a, "dae_p%d", x->nrows++);
		line(m, depth, "const %s *%s = &%s;",
		     b->elem->cls == IR_T_FLOAT ? "float" : "double", row[i], r);
	}
	for (int k = 0; k < nacc; k++) {
		struct slc_subst vs[32];
		int n = 0;
		for (int i = 0; i < reads.n && n < 32; i++) {
			const char *at =
			        k ? arena_printf(m->a, "%s + %d", row[i], k * b->vector) : row[i];
			vs[n++] = (struct slc_subst){reads.v[i], NULL,
			                             arena_printf(m->a, "%s_load(%s)", x->vec, at)};
		}
		char *e = buf_text(x, asg->b, vs, n);
		if (!e)
			return -1;
		line(m, depth, "dae_v%d %s %s;", k, op, e);
	}
	return 0;
}

static int buf_tree(struct bufem *x, int depth, enum buf_mode mode, int nacc)
{
	if (mode == BUF_ASIS)
		return exec_stmts(x->m, x->cb, depth);
	for (int i = 0; i < x->cb->stmts.n; i++)
		if (buf_stmt(x, x->cb->stmts.v[i], depth, mode, nacc, 1))
			return -1;
	return 0;
}

static const char *buf_name(struct em *m, const struct slc_operand *o)
{
	return o->var ? slc_exec_name(m->p, o->var) : o->name;
}

/* for each buffered lookup: its operands back from the buffers, then the
 * callback in mode. */
static int buf_lookups(struct bufem *x, int depth, enum buf_mode mode, int nacc)
{
	struct em *m = x->m;
	line(m, depth, "for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {");
	if (x->paced && mode != BUF_CHECK) {
		line(m, depth + 1, "if (dae_pace)");
		line(m, depth + 2, "%s__row(dae_pace->arg, dae_lane_pump(dae_pace));", m->f->name);
	}
	for (int i = 0; i < x->cb->ops.n; i++) {
		const struct slc_operand *o = x->cb->ops.v[i];
		const char *sep = ctype_sep(o->ctype);
		if (o->load)
			line(m, depth + 1, "%s%s%s = dae_buf_%s[dae_r];", o->ctype, sep, o->name,
			     o->name);
		else
			line(m, depth + 1, "%s = dae_buf_%s[dae_r];", buf_name(m, o),
			     buf_name(m, o));
	}
	if (buf_tree(x, depth + 1, mode, nacc))
		return -1;
	line(m, depth, "}");
	return 0;
}

/* One block loop of columns: nacc vectors of V columns each. With once,
 * the block alone, for a row that is exactly one block wide, and then the
 * helper returns. */
static int buf_block(struct bufem *x, int depth, int nacc, int once)
{
	struct em *m = x->m;
	const struct slc_buffer *b = x->b;
	int cols = nacc * b->vector;
	char *w = buf_text(x, b->write, NULL, 0);
	if (!w)
		return -1;
	if (once) {
		line(m, depth, "if (%s == %d) {", buf_trip(x, x->iv), cols);
		/* The common embedding widths: the compiler then sees one
		 * block and no tail, and the lookups' loop is all there is
		 * (about 2% of a 1 GiB embedding bag, docs/design.md). */
		line(m, depth + 1, "/* daec: the row is one block wide. */");
	} else {
		line(m, depth, "for (; %s >= %d; %s += %d) {", buf_trip(x, x->iv), cols, x->iv,
		     cols);
	}
	for (int k = 0; k < nacc; k++)
		if (x->set)
			line(m, depth + 1, "%s dae_v%d = %s_splat(%s);", x->vec, k, x->vec,
			     ir_span_text(m->a, m->u, x->set->zero_value->span));
		else
			line(m, depth + 1,
			     k ? "%s dae_v%d = %s_load(&%s + %d);" : "%s dae_v%d = %s_load(&%s);",
			     x->vec, k, x->vec, w, k * b->vector);
	if (buf_lookups(x, depth + 1, BUF_VECTOR, nacc))
		return -1;
	for (int k = 0; k < nacc; k++)
		line(m, depth + 1, k ? "%s_store(&%s + %d, dae_v%d);" : "%s_store(&%s, dae_v%d);",
		     x->vec, w, k ? k * b->vector : k, k);
	if (once)
		line(m, depth + 1, "return;");
	else if (x->paced)
		line(m, depth + 1, "dae_pace = NULL; /* the first block read every row */");
	line(m, depth, "}");
	return 0;
}

/* Sets up x for callback cb's segment. */
static int buf_init(struct bufem *x, struct em *m, const struct slc_callback *cb)
{
	const struct slc_buffer *b = cb->buf;
	memset(x, 0, sizeof(*x));
	x->m = m;
	x->cb = cb;
	x->b = b;
	x->ns = exec_subs(m->a, m->p, cb, x->subs, 64);
	if (x->ns < 0)
		return -1;
	x->iv = slc_exec_name(m->p, b->iv);
	struct ir_expr *lo = ir_unparen(b->lo);
	char *l = buf_text(x, b->lo, NULL, 0);
	if (!l)
		return -1;
	x->lo = lo->kind == IR_E_VAR || lo->kind == IR_E_CONST ? l : arena_printf(m->a, "(%s)", l);
	x->from = x->lo;
	if (!b->lo->type || !b->iv->type->canonical || !b->lo->type->canonical ||
	    strcmp(b->lo->type->canonical, b->iv->type->canonical))
		x->from = arena_printf(m->a, "(%s)%s", b->iv->type->unqual, x->lo);
	x->vec = b->elem->cls == IR_T_FLOAT ? "dae_f32x16" : "dae_f64x8";
	return 0;
}

struct buf_vars {
	struct bufem *x;
	struct ptrvec vars;
};

static void buf_var(struct ir_expr *e, void *arg)
{
	struct buf_vars *bv = arg;
	if (e->kind == IR_E_VAR && !ptrvec_contains(&bv->vars, e->var))
		ptrvec_push(bv->x->m->a, &bv->vars, e->var);
}

static void buf_stmt_vars(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, buf_var, arg);
}

/* Whether v changes from one lookup to the next: an operand, the columns'
 * variable or a local of the callback. */
static int buf_per_lookup(const struct bufem *x, const struct ir_var *v)
{
	if (ptrvec_contains(&x->b->ivs, v) || ptrvec_contains(&x->b->locals, v))
		return 1;
	for (int i = 0; i < x->cb->ops.n; i++)
		if (((const struct slc_operand *)x->cb->ops.v[i])->var == v)
			return 1;
	return 0;
}

/* Declared by a declaration at the callback's top level: the execute
 * function declares it once (the helper too); one inside an if is declared
 * where it stands. */
static int buf_top_local(const struct bufem *x, const struct ir_var *v)
{
	for (int i = 0; i < x->cb->stmts.n; i++) {
		const struct ir_stmt *s = x->cb->stmts.v[i];
		for (int k = 0; s->kind == IR_S_DECL && k < s->nvars; k++)
			if (s->vars[k] == v)
				return 1;
	}
	return 0;
}

/* The variables the callback reads that stay the same over a segment (the
 * table, the sizes, the bag number): the helper's parameters. A name read
 * only inside a hoisted load is not among them: the load is an operand. */
static int buf_inputs(struct bufem *x, struct ptrvec *out)
{
	struct buf_vars bv = {x, {0}};
	struct strbuf all;
	strbuf_init(&all);
	for (int i = 0; i < x->cb->stmts.n; i++) {
		struct ir_stmt *s = x->cb->stmts.v[i];
		ir_stmt_walk(s, buf_stmt_vars, &bv);
		char *t = slc_splice(x->m->a, x->m->u, s->span, NULL, 0, &s, 1, x->subs, x->ns);
		if (!t) {
			strbuf_exit(&all);
			return -1;
		}
		strbuf_adds(&all, t);
		strbuf_adds(&all, "\n");
	}
	for (int i = 0; i < bv.vars.n; i++) {
		struct ir_var *v = bv.vars.v[i];
		if (!buf_per_lookup(x, v) && mentions(all.s, slc_exec_name(x->m->p, v)))
			ptrvec_push(x->m->a, out, v);
	}
	strbuf_exit(&all);
	return 0;
}

static char *buf_param(struct bufem *x, const struct ir_var *v)
{
	const char *name = slc_exec_name(x->m->p, v);
	return v->kind == IR_VAR_PARAM ? ir_param_decl_text(x->m->a, v->type, name)
	                               : ir_decl_text(x->m->a, v->type, name, 0);
}

/* Whether the fused lanes' direct function calls cb's helper (set or not):
 * then it takes the lane's pace, and other callers pass NULL. */
static int buf_paced(const struct em *m, const struct slc_callback *cb, const struct slc_fused *set)
{
	const struct slc_fused *f = m->p->lanes ? m->p->lanes->fused : NULL;
	return f && f->cb == cb && (set || !f->zero);
}

/* "static void NAME__rowsK(inputs..., buffers..., uint64_t dae_m)": adds a
 * chunk of lookups a block of columns at a time. A function of its own, so
 * that the user's statements sit as shallow as in their source. With set
 * (NAME__rowsK_set, the fused lanes' direct function), the sums start from
 * the constant the zeroing right before the segment stores in the row. */
static int buf_helper(struct em *m, const struct dlc_case *c, const struct slc_fused *set)
{
	const struct slc_callback *cb = c->seg->iter;
	struct bufem x;
	if (buf_init(&x, m, cb))
		return -1;
	x.set = set;
	x.paced = buf_paced(m, cb, set);
	const struct slc_buffer *b = cb->buf;
	struct ptrvec in = {0};
	if (buf_inputs(&x, &in))
		return -1;
	const char *args[64];
	int n = 0;
	for (int i = 0; i < in.n && n < 60; i++) {
		args[n] = buf_param(&x, in.v[i]);
		if (!args[n++]) {
			m->err = "bufferise: a type daec cannot spell";
			return -1;
		}
	}
	for (int i = 0; i < cb->ops.n && n < 63; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		/* const: the fused lanes pass the index array itself. */
		args[n++] = arena_printf(m->a, "%sdae_buf_%s[]", ctype_const(m, o->ctype),
		                         buf_name(m, o));
	}
	args[n++] = "uint64_t dae_m";
	if (x.paced)
		args[n++] = "struct dae_lane_pace *dae_pace";
	strbuf_adds(m->sb, "#if DAE_HAVE_VECTORS\n");
	if (set) {
		line(m, 0,
		     "/* daec: %s__rows%d, the sums starting from the value the loop at line %d",
		     m->f->name, c->token, set->zero->loc.line);
		line(m, 0, " * stores in the row, as that loop and the segment would leave it. */");
	} else {
		line(m, 0,
		     "/* daec: lookups of token %d whose reads lie outside the row they add to:",
		     c->token);
		line(m, 0,
		     " * a block of the row's columns at a time stays in registers while every");
		line(m, 0,
		     " * lookup is added to it, in order, so each column adds as the original. */");
	}
	put_call(m, 0,
	         arena_printf(m->a, "static void %s__rows%d%s", m->f->name, c->token,
	                      set ? "_set" : ""),
	         args, n, "");
	line(m, 0, "{");
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		if (o->var) {
			char *d = ir_decl_text(m->a, o->var->type, buf_name(m, o), 0);
			if (!d)
				return -1;
			line(m, 1, "%s;", d);
		}
	}
	for (int i = 0; i < b->locals.n; i++) {
		struct ir_var *v = b->locals.v[i];
		if (!buf_top_local(&x, v))
			continue;
		char *d = ir_decl_text(m->a, v->type, slc_exec_name(m->p, v), 0);
		if (!d)
			return -1;
		line(m, 1, "%s = %s;", d, zero_for(v->type));
	}
	line(m, 1, "%s = %s;", ir_decl_text(m->a, b->iv->type, x.iv, 0), x.from);
	strbuf_adds(m->sb, "\n");
	if (buf_block(&x, 1, BUF_ACC, 1) || buf_block(&x, 1, BUF_ACC, 0) || buf_block(&x, 1, 1, 0))
		return -1;
	line(m, 1, "if (%s > 0) {", buf_trip(&x, x.iv));
	line(m, 2, "const %s dae_from = %s;", b->iv->type->unqual, x.iv);
	if (set && buf_from(&x, set->zero, 2))
		return -1;
	if (buf_lookups(&x, 2, BUF_TAIL, 0))
		return -1;
	line(m, 1, "}");
	line(m, 0, "}");
	strbuf_adds(m->sb, "#endif\n\n");
	return 0;
}

static int buf_helpers(struct em *m)
{
	const struct slc_fused *f = m->p->lanes ? m->p->lanes->fused : NULL;
	for (int i = 0; i < m->d->cases.n; i++) {
		const struct dlc_case *c = m->d->cases.v[i];
		if (c->seg && c->seg->iter->buf && buf_helper(m, c, NULL))
			return -1;
		if (c->seg && f && f->zero && f->cb == c->seg->iter && buf_helper(m, c, f))
			return -1;
	}
	return 0;
}

/* Whether the lanes' run-time check compares every memory read b's
 * per-lookup test looks at with the row b writes: then, once the check has
 * passed, no lookup of the call reads the row it adds to and the test is
 * left out (dae_rows_apart). A read with no such pair (a row of the written
 * array itself, a restrict pointer, another element type) keeps it. */
static int buf_covered(const struct em *m, const struct slc_buffer *b)
{
	const struct slc_lanes *l = m->p->lanes;
	if (!l || !l->check)
		return 0;
	for (int k = 0; k < 2; k++) {
		const struct ptrvec *reads = k ? &b->scalars : &b->reads;
		for (int i = 0; i < reads->n; i++) {
			int found = 0;
			for (int g = 0; g < l->guards.n && !found; g++) {
				const struct slc_guard *gd = l->guards.v[g];
				found = gd->read == reads->v[i] && gd->write == b->write;
			}
			if (!found)
				return 0;
		}
	}
	return 1;
}

/* Some segment's per-lookup test may be left out: the arguments carry
 * dae_rows_apart, set by NAME__assume_apart. */
static int rows_apart_field(const struct em *m)
{
	for (int i = 0; i < m->p->callbacks.n; i++) {
		const struct slc_callback *cb = m->p->callbacks.v[i];
		if (cb->buf && buf_covered(m, cb->buf))
			return 1;
	}
	return 0;
}

/* The row a segment adds to, and dae_apart: whether its lookups may be
 * summed a block of columns at a time (until a test says otherwise). */
static void buf_row_decls(struct bufem *x, const char *w_lo, int depth)
{
	struct em *m = x->m;
	line(m, depth, "const uint64_t dae_cols = %s;", buf_trip(x, x->from));
	line(m, depth, "const size_t dae_bytes = (size_t)dae_cols * sizeof(%s);",
	     x->b->elem->unqual);
	const char *row = arena_printf(m->a, "const void *dae_row = dae_cols ? &%s : NULL;", w_lo);
	if (width(row, depth) <= COLUMNS) {
		line(m, depth, "%s", row);
	} else {
		line(m, depth, "const void *dae_row =");
		line(m, depth, "        dae_cols ? &%s : NULL;", w_lo);
	}
	line(m, depth, "int dae_apart = DAE_HAVE_VECTORS && dae_cols > 0;");
}

/* A fused segment's lookups, DAE_BUFFER_ROWS at a time (struct slc_buffer). */
static int buf_segment(struct em *m, const struct dlc_case *c, int depth)
{
	const struct slc_callback *cb = c->seg->iter;
	const struct slc_buffer *b = cb->buf;
	struct bufem x;
	if (buf_init(&x, m, cb))
		return -1;
	char *w_lo = buf_at_lo(&x, b->write);
	char *hi = buf_text(&x, b->hi, NULL, 0);
	if (!w_lo || !hi)
		return -1;

	const char *head = "for (uint64_t dae_k = dae_token_count(dae_w), dae_m; dae_k > 0;";
	if (width(head, depth) + (int)strlen(" dae_k -= dae_m) {") <= COLUMNS) {
		line(m, depth, "%s dae_k -= dae_m) {", head);
	} else {
		line(m, depth, "%s", head);
		line(m, depth, "     dae_k -= dae_m) {");
	}
	depth++;
	line(m, depth, "/* daec: up to DAE_BUFFER_ROWS lookups at a time; when nothing they");
	line(m, depth, " * read lies in the row they add to, %s__rows%d adds them. */", m->f->name,
	     c->token);
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		const char *sep = ctype_sep(o->ctype);
		line(m, depth, "%s%sdae_buf_%s[DAE_BUFFER_ROWS];", o->ctype, sep, buf_name(m, o));
	}
	buf_row_decls(&x, w_lo, depth);
	const int covered = buf_covered(m, b);
	if (covered) {
		line(m, depth, "/* daec: not when the lanes' check found the rows apart. */");
		line(m, depth, "const int dae_test = dae_apart && !dae_a->dae_rows_apart;");
	}
	line(m, depth, "dae_m = dae_k < DAE_BUFFER_ROWS ? dae_k : DAE_BUFFER_ROWS;");
	line(m, depth, "for (uint64_t dae_r = 0; dae_r < dae_m; dae_r++) {");
	exec_pops(m, cb, depth + 1);
	for (int i = 0; i < cb->ops.n; i++) {
		const struct slc_operand *o = cb->ops.v[i];
		line(m, depth + 1, "dae_buf_%s[dae_r] = %s;", buf_name(m, o), buf_name(m, o));
	}
	line(m, depth + 1, covered ? "if (dae_test) {" : "if (dae_apart) {");
	if (buf_tree(&x, depth + 2, BUF_CHECK, 0))
		return -1;
	line(m, depth + 1, "}");
	line(m, depth, "}");
	strbuf_adds(m->sb, "#if DAE_HAVE_VECTORS\n");
	line(m, depth, "if (dae_apart) {");
	struct ptrvec in = {0};
	if (buf_inputs(&x, &in))
		return -1;
	const char *args[64];
	int n = 0;
	for (int i = 0; i < in.n && n < 60; i++)
		args[n++] = slc_exec_name(m->p, in.v[i]);
	for (int i = 0; i < cb->ops.n && n < 63; i++)
		args[n++] = arena_printf(m->a, "dae_buf_%s", buf_name(m, cb->ops.v[i]));
	args[n++] = "dae_m";
	if (buf_paced(m, cb, NULL))
		args[n++] = "NULL";
	put_call(m, depth + 1, arena_printf(m->a, "%s__rows%d", m->f->name, c->token), args, n,
	         ";");
	/* The columns' variable ends where the loops leave it. */
	if (!b->declared)
		line(m, depth + 1, "%s = %s;", x.iv, hi);
	line(m, depth + 1, "continue;");
	line(m, depth, "}");
	strbuf_adds(m->sb, "#endif\n");
	if (buf_lookups(&x, depth, BUF_ASIS, 0))
		return -1;
	line(m, depth - 1, "}");
	return 0;
}

static int exec_case(struct em *m, const struct dlc_case *c, int depth)
{
	const struct slc_callback *cb = c->cb;
	line(m, depth, "case %d: {", c->token);
	/* Queue alignment: the execute side advances its own copy. */
	if (cb->advances)
		line(m, depth + 1, "%s = dae_next_%s++;", slc_exec_name(m->p, cb->advances->iv),
		     cb->advances->iv->name);
	if (exec_body(m, cb, depth + 1))
		return -1;
	if (c->seg && c->seg->iter->buf) {
		if (buf_segment(m, c, depth + 1))
			return -1;
		if (c->seg->end && exec_body(m, c->seg->end, depth + 1))
			return -1;
	} else if (c->seg) {
		line(m, depth + 1,
		     "for (uint64_t dae_k = dae_token_count(dae_w); dae_k > 0; dae_k--) {");
		if (exec_body(m, c->seg->iter, depth + 2))
			return -1;
		line(m, depth + 1, "}");
		if (c->seg->end && exec_body(m, c->seg->end, depth + 1))
			return -1;
	}
	line(m, depth + 1, "break;");
	line(m, depth, "}");
	return 0;
}

static void aligned_decls(struct em *m, const struct ptrvec *nodes)
{
	for (int i = 0; i < nodes->n; i++) {
		const struct slc_node *n = nodes->v[i];
		if (n->kind == SLC_LOOP && n->align && n->align->head->advances) {
			const struct ir_var *iv = n->align->iv;
			char *d = ir_decl_text(m->a, iv->type,
			                       arena_printf(m->a, "dae_next_%s", iv->name), 0);
			line(m, 1, "%s = %s;", d, n->align->iv_init);
		}
	}
}

static const char *zero_for(const struct ir_type *t)
{
	return t && (t->cls == IR_T_ARRAY || t->cls == IR_T_STRUCT) ? "{0}" : "0";
}

/* ---- the whole function ----------------------------------------------------------------- */

static int has_ret(const struct ir_func *f)
{
	return f->ret_type && f->ret_type->cls != IR_T_VOID;
}

/* Whether name appears as an identifier in text. */
static int mentions(const char *text, const char *name)
{
	size_t n = strlen(name);
	for (const char *at = strstr(text, name); at; at = strstr(at + 1, name)) {
		int before = at > text && (isalnum((unsigned char)at[-1]) || at[-1] == '_');
		int after = isalnum((unsigned char)at[n]) || at[n] == '_';
		if (!before && !after)
			return 1;
	}
	return 0;
}

/* Local copies of the parameters a side reads; with used set, only those
 * that text mentions. */
static int emit_params_from_args(struct em *m, const struct ptrvec *vars, int depth, int exec,
                                 const char *used)
{
	for (int i = 0; i < vars->n; i++) {
		const struct ir_var *v = vars->v[i];
		if (used && !mentions(used, v->name))
			continue;
		char *d =
		        ir_param_decl_text(m->a, v->type, exec ? slc_exec_name(m->p, v) : v->name);
		if (!d)
			return -1;
		line(m, depth, "%s = dae_a->%s;", d, v->name);
	}
	return 0;
}

/* ---- lanes ---------------------------------------------------------------------------- */

/* "static void NAME__SIDE(...)", wrapped as clang-format wraps it. */
static void side_head(struct em *m, const char *side)
{
	static const char *const params[] = {"struct dae_queue *dae_q", "void *dae_arg",
	                                     "uint64_t dae_first", "uint64_t dae_end"};
	put_call(m, 0, arena_printf(m->a, "static void %s__%s", m->f->name, side), params,
	         m->p->lanes ? 4 : 2, "");
}

/* This lane's first and end values of the loop variable, from its first
 * value lo: iteration k of the loop has the value lo + k. The additions
 * wrap (the variable takes every value in between in the original). */
static void lanes_range(struct em *m, const char *lo, const char *first, const char *end)
{
	const struct ir_type *t = m->p->lanes->iv->type;
	line(m, 1, "/* daec: this lane's iterations of the loop at line %d. */",
	     m->p->lanes->loop->stmt->loc.line);
	line(m, 1, "%s = %s;", ir_decl_text(m->a, t, first, 0), lo);
	line(m, 1, "%s = %s;", ir_decl_text(m->a, t, end, 0), first);
	line(m, 1, "%s += dae_first;", first);
	line(m, 1, "%s += dae_end;", end);
	strbuf_adds(m->sb, "\n");
}

/* The execute side: the kept copy of the loop variable starts at the
 * lane's first iteration; the end is DAE_TOKEN_DONE's business. */
static void lanes_exec(struct em *m)
{
	const struct slc_node *n = m->p->lanes->loop;
	if (n->align && n->align->head->advances)
		line(m, 1, "dae_next_%s += dae_first;", n->align->iv->name);
	else
		line(m, 1, "(void)dae_first;");
	line(m, 1, "(void)dae_end;");
}

/* The run-time check, by chunk, that the rows a chunk of the lanes reads
 * cannot be rows the call writes (libdae's dae_range_program.apart). */
static void lanes_check(struct em *m)
{
	const char *n = m->f->name;
	if (!m->p->lanes->check)
		return;
	strbuf_adds(m->sb, m->p->lanes->check);
	strbuf_adds(m->sb, "\n");
	line(m, 0, "static int %s__apart(void *dae_arg, uint64_t dae_first, uint64_t dae_end)", n);
	line(m, 0, "{");
	line(m, 1, "return !%s__lanes_overlap(dae_arg, dae_first, dae_end);", n);
	line(m, 0, "}");
	strbuf_adds(m->sb, "\n");
	if (!rows_apart_field(m))
		return;
	line(m, 0, "/* daec: while the lanes run chunks that passed %s__apart, no lookup", n);
	line(m, 0, " * reads the row it adds to: the sides need not test each one. */");
	line(m, 0, "static void %s__assume_apart(void *dae_arg, int dae_yes)", n);
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	strbuf_adds(m->sb, "\n");
	line(m, 1, "dae_a->dae_rows_apart = dae_yes;");
	line(m, 0, "}");
	strbuf_adds(m->sb, "\n");
}

/* ---- fused lanes (fuse.c) ---------------------------------------------------------------- */

/* Ends a generated function whose body was written to body: the local
 * copies of the parameters in vars (with only_used, those the body
 * mentions), then the body. */
static int side_close(struct em *m, const struct ptrvec *vars, struct strbuf *body, int only_used)
{
	int bad = m->err || emit_params_from_args(m, vars, 1, 0, only_used ? body->s : NULL);
	if (!bad) {
		strbuf_adds(m->sb, "\n");
		strbuf_adds(m->sb, body->s);
	}
	strbuf_exit(body);
	if (bad) {
		m->err = m->err ? m->err : "a parameter type daec cannot spell";
		return -1;
	}
	line(m, 0, "}");
	strbuf_adds(m->sb, "\n");
	return 0;
}

static const struct dlc_aop *find_loop(const struct ptrvec *ops, const struct ir_stmt *s)
{
	for (int i = 0; i < ops->n; i++) {
		const struct dlc_aop *o = ops->v[i], *r;
		if (o->kind == DLC_A_LOOP && o->stmt == s)
			return o;
		if ((r = find_loop(&o->body, s)) || (r = find_loop(&o->else_body, s)))
			return r;
	}
	return NULL;
}

/* In NAME__row, "T v = A[j];", the segment's lookup (fuse.c), reads the
 * index element at dae_at instead: returns 1 when s is it. */
static int fused_index_decl(struct em *m, const struct ir_stmt *s, int depth)
{
	const struct slc_operand *o = m->p->lanes->fused->cb->ops.v[0];
	if (!s || s->kind != IR_S_DECL || s->nvars != 1 || s->vars[0] != o->var)
		return 0;
	char *d = ir_decl_text(m->a, o->var->type, o->var->name, 0);
	if (!d) {
		m->err = "a fused segment's index type daec cannot spell";
		return 1;
	}
	line(m, depth, "%s = *(%s*)dae_at;", d, ctype_const(m, o->ctype));
	line(m, depth, "(void)%s;", o->var->name);
	return 1;
}

/* "static inline void NAME__row(void *dae_arg, const void *dae_at)": the
 * access side's walk of one lookup of the fused segment, the one whose
 * index element is at dae_at (none if NULL), prefetching its row: the
 * fused lane's pace calls it one row at a time (dae_lane_pump). */
static int fused_row(struct em *m)
{
	const char *n = m->f->name;
	const struct slc_fused *f = m->p->lanes->fused;
	const struct dlc_aop *seg = find_loop(&m->d->access, f->seg->stmt);
	struct ir_expr *lo, *hi;
	int incl;
	struct ir_var *j = ir_counted_for(f->seg->stmt, &lo, &hi, &incl);
	struct strbuf *sb = m->sb, body;
	if (!seg || !j) {
		m->err = "a fused segment's walk daec cannot find";
		return -1;
	}
	line(m, 0, "/* daec: the walk of the lookup of the loop at line %d whose index element",
	     f->seg->stmt->loc.line);
	line(m, 0,
	     " * is at dae_at (none if NULL): its row prefetched, at a fused lane's pace. */");
	line(m, 0, "static inline void %s__row(void *dae_arg, const void *dae_at)", n);
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	strbuf_init(&body);
	m->sb = &body;
	line(m, 1, "if (!dae_at)");
	line(m, 2, "return;");
	m->prefetch_only = m->fused_row = 1;
	access_ops(m, &seg->body, 1);
	m->prefetch_only = m->fused_row = 0;
	m->sb = sb;
	/* The lookup's own counter has no value here. */
	if (!m->err && mentions(body.s, j->name))
		m->err = "a fused segment's walk reads its counter beyond the index";
	return side_close(m, &m->p->access_vars, &body, 1);
}

/* "static void NAME__walk(void *dae_arg, uint64_t dae_first, struct
 * dae_lane_pace *dae_pace)": the access side's walk of iteration dae_first
 * with nothing sent. */
static int fused_walk(struct em *m)
{
	const char *n = m->f->name;
	struct strbuf *sb = m->sb, body;
	static const char *const params[] = {"void *dae_arg", "uint64_t dae_first",
	                                     "struct dae_lane_pace *dae_pace"};
	line(m, 0, "/* daec: the access side's walk of one iteration, sending nothing: it");
	line(m, 0, " * finds the index elements of the rows %s__direct will read. */", n);
	put_call(m, 0, arena_printf(m->a, "static void %s__walk", n), params, 3, "");
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	strbuf_init(&body);
	m->sb = &body;
	line(m, 1, "const uint64_t dae_end = dae_first + 1;");
	lanes_range(m, m->p->lanes->lo, "dae_lo", "dae_hi");
	m->prefetch_only = m->fused_walk = 1;
	access_ops(m, &m->d->access, 1);
	m->prefetch_only = m->fused_walk = 0;
	m->sb = sb;
	return side_close(m, &m->p->access_vars, &body, 1);
}

/* The fused segment's counter at its first value and dae_m, its lookups;
 * returns the text of the index load (A[j]), which the index elements of
 * the lookups start at. */
static const char *segment_start(struct em *m, int depth)
{
	const struct slc_fused *f = m->p->lanes->fused;
	struct ir_stmt *s = f->seg->stmt;
	char *init = s->init ? ir_span_text(m->a, m->u, s->init->span) : NULL;
	if (!init) {
		m->err = m->err ? m->err : "a fused segment daec cannot spell";
		return NULL;
	}
	size_t ni = strlen(init);
	line(m, depth, "%s%s", init, ni && init[ni - 1] == ';' ? "" : ";");
	line(m, depth, "const uint64_t dae_m = %s;", m->p->lanes->loop->align->count);
	return ir_span_text(m->a, m->u, f->load->span);
}

/* NAME__walk's segment: not its loop, but where its index elements start
 * and how many there are, for the lane's pace (dae_lane_span). */
static void fused_span(struct em *m, int depth)
{
	line(m, depth, "{");
	const char *load = segment_start(m, depth + 1);
	if (!load)
		return;
	const char *args[4] = {"dae_pace", arena_printf(m->a, "dae_m ? &%s : NULL", load), "dae_m",
	                       arena_printf(m->a, "sizeof(%s)", load)};
	put_call(m, depth + 1, "dae_lane_span", args, 4, ";");
	line(m, depth, "}");
}

/* The segment's lookups summed where the index array holds them (the
 * buffer is that array), when nothing they read lies in the row they add
 * to; else the folded zeroing and the segment as written. */
static int fused_segment(struct em *m, int depth)
{
	const struct slc_fused *f = m->p->lanes->fused;
	const struct slc_callback *cb = f->cb;
	const struct slc_buffer *b = cb->buf;
	const struct slc_operand *o = cb->ops.v[0];
	struct ir_stmt *s = f->seg->stmt;
	struct bufem x;
	if (buf_init(&x, m, cb))
		return -1;
	char *w_lo = buf_at_lo(&x, b->write), *hi = buf_text(&x, b->hi, NULL, 0);
	char *init = s->init ? ir_span_text(m->a, m->u, s->init->span) : NULL;
	struct ptrvec in = {0};
	if (!w_lo || !hi || !init || buf_inputs(&x, &in))
		return -1;
	int decl = s->init->kind == IR_S_DECL, token = 0;
	for (int i = 0; i < m->d->cases.n; i++) {
		const struct dlc_case *c = m->d->cases.v[i];
		if (c->seg && c->seg->iter == cb)
			token = c->token;
	}
	line(m, depth, "{");
	depth++;
	line(m, depth, "/* daec: the lookups of the loop at line %d, read where they lie and,",
	     s->loc.line);
	line(m, depth, " * when nothing they read lies in the row they add to, summed by");
	line(m, depth, " * %s__rows%d%s. */", m->f->name, token, f->zero ? "_set" : "");
	const char *load = segment_start(m, depth);
	line(m, depth, "%s*dae_buf_%s = dae_m ? &%s : NULL;", ctype_const(m, o->ctype),
	     buf_name(m, o), load);
	buf_row_decls(&x, w_lo, depth);
	if (buf_covered(m, b))
		line(m, depth, "if (dae_apart && !dae_a->dae_rows_apart) {");
	else
		line(m, depth, "if (dae_apart) {");
	char *d = ir_decl_text(m->a, o->var->type, buf_name(m, o), 0);
	if (!d)
		return -1;
	line(m, depth + 1, "%s = %s;", d, zero_for(o->var->type));
	for (int i = 0; i < b->locals.n; i++) {
		struct ir_var *v = b->locals.v[i];
		if (!buf_top_local(&x, v))
			continue;
		char *dv = ir_decl_text(m->a, v->type, slc_exec_name(m->p, v), 0);
		if (!dv)
			return -1;
		/* The test may only need it to form an address, or not at all. */
		line(m, depth + 1, "%s = %s;", dv, zero_for(v->type));
		line(m, depth + 1, "(void)%s;", slc_exec_name(m->p, v));
	}
	if (buf_lookups(&x, depth + 1, BUF_CHECK, 0))
		return -1;
	line(m, depth, "}");
	line(m, depth, "if (dae_apart) {");
	strbuf_adds(m->sb, "#if DAE_HAVE_VECTORS\n");
	const char *args[64];
	int n = 0;
	for (int i = 0; i < in.n && n < 62; i++)
		args[n++] = slc_exec_name(m->p, in.v[i]);
	args[n++] = arena_printf(m->a, "dae_buf_%s", buf_name(m, o));
	args[n++] = "dae_m";
	args[n++] = "dae_pace";
	put_call(m, depth + 1,
	         arena_printf(m->a, "%s__rows%d%s", m->f->name, token, f->zero ? "_set" : ""), args,
	         n, ";");
	strbuf_adds(m->sb, "#endif\n");
	/* The counters end where the loops leave them. */
	struct ir_expr *lo, *h;
	int incl;
	struct ir_var *j = ir_counted_for(s, &lo, &h, &incl);
	if (!decl)
		line(m, depth + 1, "%s += dae_m;", j->name);
	if (!b->declared)
		line(m, depth + 1, "%s = %s;", x.iv, hi);
	line(m, depth, "} else {");
	if (f->zero) {
		put_moved(m, depth + 1, ir_span_text(m->a, m->u, f->zero->span),
		          f->zero->span.begin);
		strbuf_adds(m->sb, "\n");
	}
	put_moved(m, depth + 1, ir_span_text(m->a, m->u, s->span), s->span.begin);
	strbuf_adds(m->sb, "\n");
	line(m, depth, "}");
	line(m, depth - 1, "}");
	return 0;
}

struct outer_locals {
	struct arena *a;
	const struct ir_stmt *loop;
	struct ptrvec vars;
};

static void outer_local(struct ir_expr *e, void *arg)
{
	struct outer_locals *o = arg;
	if (e->kind == IR_E_VAR && e->var->kind == IR_VAR_LOCAL &&
	    !ir_var_declared_in(e->var, o->loop) && !ptrvec_contains(&o->vars, e->var))
		ptrvec_push(o->a, &o->vars, e->var);
}

static void outer_locals_of(struct ir_stmt *s, void *arg)
{
	ir_stmt_exprs(s, outer_local, arg);
}

/* "static void NAME__direct(void *dae_arg, uint64_t dae_first, struct
 * dae_lane_pace *dae_pace)": the lanes loop's iteration dae_first as
 * written, but for the segment (fused_segment), whose helper pumps the
 * lane's prefetches as it reads rows. */
static int fused_direct(struct em *m)
{
	const char *n = m->f->name;
	const struct slc_fused *f = m->p->lanes->fused;
	struct ir_stmt *loop = m->p->lanes->loop->stmt;
	struct strbuf *sb = m->sb, body;
	static const char *const params[] = {"void *dae_arg", "uint64_t dae_first",
	                                     "struct dae_lane_pace *dae_pace"};
	line(m, 0, "/* daec: iteration dae_first of the loop at line %d as written, its",
	     loop->loc.line);
	line(m, 0, " * segment's lookups summed in place: a fused lane's execute side. */");
	put_call(m, 0, arena_printf(m->a, "static void %s__direct", n), params, 3, "");
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	strbuf_init(&body);
	m->sb = &body;
	/* Locals from before the loop: each iteration assigns them before
	 * reading them (fuse.c). */
	struct outer_locals ol = {m->a, loop, {0}};
	ir_stmt_walk(loop, outer_locals_of, &ol);
	for (int i = 0; i < ol.vars.n; i++) {
		const struct ir_var *v = ol.vars.v[i];
		char *d = ir_decl_text(m->a, v->type, v->name, 0);
		if (!d) {
			m->err = "a local type daec cannot spell";
			break;
		}
		line(m, 1, "%s = %s;", d, zero_for(v->type));
	}
	line(m, 1, "const uint64_t dae_end = dae_first + 1;");
	/* Read only by the segment's helper, which needs the vectors. */
	line(m, 1, "(void)dae_pace;");
	lanes_range(m, m->p->lanes->lo, "dae_lo", "dae_hi");
	line(m, 1, "%s {", lanes_header(m, loop));
	for (int i = 0; i < f->block->nkids && !m->err; i++) {
		struct ir_stmt *k = f->block->kids[i];
		if (k == f->zero)
			continue;
		if (k == f->seg->stmt) {
			if (fused_segment(m, 2))
				m->err = m->err ? m->err : "a fused segment daec cannot spell";
			continue;
		}
		if (k->pragma)
			strbuf_addf(m->sb, "#pragma %s\n", k->pragma);
		put_moved(m, 2, ir_span_text(m->a, m->u, k->span), k->span.begin);
		strbuf_adds(m->sb, "\n");
	}
	line(m, 1, "}");
	m->sb = sb;
	struct ptrvec all = {0};
	for (int i = 0; i < m->f->nparams; i++)
		ptrvec_push(m->a, &all, m->f->params[i]);
	return side_close(m, &all, &body, 1);
}

static int emit_generated(struct em *m)
{
	const struct ir_func *f = m->f;
	const char *n = f->name;
	const struct slc_lanes *lanes = m->p->lanes;
	/* The kept original: same body, signature respelled for the new name. */
	line(m, 0, "/* daec: the original %s, kept for the fallback path. */", n);
	struct strbuf *sb = m->sb;
	const char **params = arena_alloc(m->a, sizeof(char *) * (size_t)(f->nparams + 1));
	for (int i = 0; i < f->nparams; i++) {
		params[i] = ir_param_decl_text(m->a, f->params[i]->type, f->params[i]->name);
		if (!params[i]) {
			m->err = "a parameter type daec cannot spell";
			return -1;
		}
	}
	int nparams = f->nparams;
	if (!nparams)
		params[nparams++] = "void";
	char *ret = ir_decl_text(m->a, f->ret_type, arena_printf(m->a, "%s__reference", n), 0);
	if (!ret) {
		m->err = "a return type daec cannot spell";
		return -1;
	}
	put_call(m, 0, arena_printf(m->a, "static %s%s", f->is_inline ? "inline " : "", ret),
	         params, nparams, "");
	strbuf_addn(sb, m->u->buf + f->body_span.begin, f->body_span.end - f->body_span.begin);
	strbuf_adds(sb, "\n\n");

	/* Arguments both sides read. */
	line(m, 0, "/* daec: %s decoupled into an access side (walks the indices, prefetches", n);
	line(m, 0, " * rows, sends tokens and operands) and an execute side (the arithmetic). */");
	line(m, 0, "struct %s__args {", n);
	for (int i = 0; i < f->nparams; i++) {
		const struct ir_type *t = f->params[i]->type;
		/* A struct cannot hold a variably modified type: such a pointer
		 * travels as void * and each side gives it its type back. */
		char *d = t && (t->flags & IR_TYPE_VLA)
		                  ? arena_printf(m->a, "%svoid *%s",
		                                 t->spelling && !strncmp(t->spelling, "const ", 6)
		                                         ? "const "
		                                         : "",
		                                 f->params[i]->name)
		                  : ir_decl_text(m->a, t, f->params[i]->name, 0);
		if (!d) {
			m->err = "a parameter type daec cannot spell";
			return -1;
		}
		line(m, 1, "%s;", d);
	}
	if (m->d->nfences)
		line(m, 1, "_Atomic uint64_t dae_fence; /* fences the execute side has reached */");
	if (rows_apart_field(m))
		line(m, 1, "int dae_rows_apart; /* set by %s__assume_apart */", n);
	if (has_ret(f)) {
		char *d = ir_decl_text(m->a, f->ret_type, "dae_ret", 0);
		if (!d) {
			m->err = "a return type daec cannot spell";
			return -1;
		}
		line(m, 1, "%s;", d);
	}
	line(m, 0, "};");
	strbuf_adds(sb, "\n");

	if (lanes)
		lanes_check(m);

	/* Access side. */
	side_head(m, "access");
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	/* The body first: with lanes, a parameter only the loop's bound read
	 * is no longer used, and is not declared. */
	struct strbuf abody;
	strbuf_init(&abody);
	m->sb = &abody;
	if (lanes)
		lanes_range(m, lanes->lo, "dae_lo", "dae_hi");
	access_ops(m, &m->d->access, 1);
	m->sb = sb;
	if (side_close(m, &m->p->access_vars, &abody, lanes != NULL))
		return -1;

	if (lanes && lanes->fused && fused_row(m))
		return -1;
	if (buf_helpers(m))
		return -1;

	/* Execute side. */
	side_head(m, "execute");
	line(m, 0, "{");
	line(m, 1, "struct %s__args *dae_a = dae_arg;", n);
	if (emit_params_from_args(m, &m->p->execute_vars, 1, 1, NULL)) {
		m->err = "a parameter type daec cannot spell";
		return -1;
	}
	const struct ptrvec *locals[2] = {&m->p->exec_received, &m->p->exec_hoisted};
	for (int s = 0; s < 2; s++)
		for (int i = 0; i < locals[s]->n; i++) {
			const struct ir_var *v = locals[s]->v[i];
			char *d = ir_decl_text(m->a, v->type, slc_exec_name(m->p, v), 0);
			if (!d) {
				m->err = "a local type daec cannot spell";
				return -1;
			}
			line(m, 1, "%s = %s;", d, zero_for(v->type));
		}
	aligned_decls(m, &m->p->top);
	if (lanes)
		lanes_exec(m);
	strbuf_adds(sb, "\n");
	line(m, 1, "for (;;) {");
	line(m, 2, "dae_word dae_w = dae_queue_pop(dae_q);");
	strbuf_adds(sb, "\n");
	line(m, 2, "switch (dae_token_id(dae_w)) {");
	for (int i = 0; i < m->d->cases.n; i++)
		if (exec_case(m, m->d->cases.v[i], 2)) {
			m->err = m->err ? m->err : "a hoisted load sits inside a macro";
			return -1;
		}
	if (m->d->nfences) {
		line(m, 2, "case DAE_TOKEN_FENCE:");
		line(m, 3, "dae_fence_ack(&dae_a->dae_fence);");
		line(m, 3, "break;");
	}
	line(m, 2, "case DAE_TOKEN_DONE:");
	line(m, 3, "return;");
	line(m, 2, "}");
	line(m, 1, "}");
	line(m, 0, "}");
	strbuf_adds(sb, "\n");

	if (lanes && lanes->fused) {
		if (fused_walk(m) || fused_direct(m))
			return -1;
		line(m, 0, "/* daec: a fused lane: %s__direct runs each iteration once", n);
		line(m, 0, " * %s__walk has found its rows; %s__row prefetches them", n, n);
		line(m, 0, " * one at a time, fused_ahead rows ahead of the row read. */");
		line(m, 0, "static void %s__fused(void *dae_arg, struct dae_lane *dae_lane)", n);
		line(m, 0, "{");
		const char *args[5] = {"dae_lane", "dae_arg", arena_printf(m->a, "%s__walk", n),
		                       arena_printf(m->a, "%s__row", n),
		                       arena_printf(m->a, "%s__direct", n)};
		put_call(m, 1, "dae_lane_run", args, 5, ";");
		line(m, 0, "}");
		strbuf_adds(sb, "\n");
	}

	line(m, 0, "static const struct %s %s__program = {",
	     lanes ? "dae_range_program" : "dae_program", n);
	/* A braced initialiser is a continuation: clang-format indents it with spaces. */
	line(m, 0, "        .name = \"%s\",", n);
	line(m, 0, "        .access = %s__access,", n);
	line(m, 0, "        .execute = %s__execute,", n);
	if (lanes && lanes->check)
		line(m, 0, "        .apart = %s__apart,", n);
	if (lanes && lanes->check && rows_apart_field(m))
		line(m, 0, "        .assume_apart = %s__assume_apart,", n);
	if (lanes && lanes->fused)
		line(m, 0, "        .fused = %s__fused,", n);
	line(m, 0, "};");
	strbuf_adds(sb, "\n");
	return 0;
}

static void emit_body(struct em *m)
{
	const struct ir_func *f = m->f;
	const char *n = f->name;
	const char **args = arena_alloc(m->a, sizeof(char *) * (size_t)(f->nparams + 1));
	line(m, 0, "{");
	line(m, 1, "struct %s__args dae_a;", n);
	strbuf_adds(m->sb, "\n");
	for (int i = 0; i < f->nparams; i++) {
		line(m, 1, "dae_a.%s = %s;", f->params[i]->name, f->params[i]->name);
		args[i] = f->params[i]->name;
	}
	if (m->d->nfences)
		line(m, 1, "dae_a.dae_fence = 0;");
	if (rows_apart_field(m))
		line(m, 1, "dae_a.dae_rows_apart = 0;");
	const char *run =
	        m->p->lanes ? arena_printf(m->a, "dae_run_range(&%s__program, &dae_a, dae_n)", n)
	                    : arena_printf(m->a, "dae_run(&%s__program, &dae_a)", n);
	if (m->p->lanes) {
		/* The outer loop's iterations, numbered for the lanes. */
		line(m, 1, "const uint64_t dae_n = %s;", m->p->lanes->trip);
	}
	if (m->p->guards.n) {
		char *one = arena_printf(m->a, "if (%s__overlaps(&dae_a) || %s != 0)", n, run);
		if (width(one, 1) <= COLUMNS) {
			line(m, 1, "%s", one);
		} else {
			/* Broken after the ||, as clang-format breaks it. */
			line(m, 1, "if (%s__overlaps(&dae_a) ||", n);
			line(m, 1, "    %s != 0)", run);
		}
	} else
		line(m, 1, "if (%s != 0)", run);
	const char *callee = arena_printf(m->a, "%s__reference", n);
	if (has_ret(f)) {
		put_call(m, 2, arena_printf(m->a, "return %s", callee), args, f->nparams, ";");
		line(m, 1, "return dae_a.dae_ret;");
	} else {
		put_call(m, 2, callee, args, f->nparams, ";");
	}
	strbuf_adds(m->sb, "}");
}

/* Whether the file ends its lines with CR LF. */
static int crlf_file(const struct ir_unit *u)
{
	const char *nl = memchr(u->buf, '\n', u->len);
	return nl && nl > u->buf && nl[-1] == '\r';
}

/* Generated text with the file's own line endings: a CR LF file stays one. */
static char *line_ends(struct arena *a, const struct ir_unit *u, const char *text)
{
	if (!crlf_file(u))
		return arena_strdup(a, text);
	struct strbuf sb;
	strbuf_init(&sb);
	for (const char *p = text; *p; p++) {
		if (*p == '\n' && (p == text || p[-1] != '\r'))
			strbuf_adds(&sb, "\r");
		strbuf_addn(&sb, p, 1);
	}
	char *r = arena_strdup(a, sb.s);
	strbuf_exit(&sb);
	return r;
}

int emit_c_function(struct arena *a, const struct dlc_program *d, struct edit_list *edits,
                    const char **err)
{
	struct strbuf gen, body;
	strbuf_init(&gen);
	strbuf_init(&body);
	struct em m = {a, d, d->slc, d->slc->unit, d->slc->func, &gen, NULL, 0, NULL, 0, 0, 0, 0};
	int rc = -1;
	char *guard = NULL;
	if (m.p->guards.n && !(guard = guard_emit(a, m.p, &m.err)))
		goto out;
	if (emit_generated(&m))
		goto out;
	if (guard) {
		strbuf_adds(&gen, guard);
		strbuf_adds(&gen, "\n");
	}
	m.sb = &body;
	emit_body(&m);
	unsigned at = ir_line_start(m.u, m.f->span.begin);
	edits_add(edits, at, at, line_ends(a, m.u, gen.s));
	edits_add(edits, m.f->body_span.begin, m.f->body_span.end, line_ends(a, m.u, body.s));
	rc = 0;
out:
	*err = m.err;
	strbuf_exit(&gen);
	strbuf_exit(&body);
	return rc;
}

void emit_c_include(const struct ir_unit *u, unsigned before, struct edit_list *edits)
{
	static const char inc[] = "#include <dae/dae.h>";
	for (size_t i = 0; i + sizeof(inc) - 1 <= u->len; i++)
		if (!memcmp(u->buf + i, inc, sizeof(inc) - 1))
			return;
	unsigned at = 0;
	for (int i = 0; i < u->nincludes; i++) {
		if (u->includes[i].end > before)
			break;
		at = u->includes[i].end;
		while (at < u->len && u->buf[at] != '\n')
			at++;
		if (at < u->len)
			at++;
	}
	const char *text =
	        crlf_file(u) ? (at ? "#include <dae/dae.h>\r\n" : "#include <dae/dae.h>\r\n\r\n")
	                     : (at ? "#include <dae/dae.h>\n" : "#include <dae/dae.h>\n\n");
	edits_add_first(edits, at, at, text);
}
