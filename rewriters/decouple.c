/* Lookup-compute -> decoupled: every callback becomes, on the access side,
 * its hoisted loads, its row prefetches, a token and its operands, and on the
 * execute side a case that pops them in the same order. */
#include <string.h>

#include "dlc.h"

static struct dlc_aop *aop(struct arena *a, enum dlc_aop_kind k, struct ir_stmt *s)
{
	struct dlc_aop *o = ARENA_NEW(a, struct dlc_aop);
	o->kind = k;
	o->stmt = s;
	return o;
}

static void lower_callback(struct arena *a, struct slc_callback *cb, struct ptrvec *out)
{
	/* The loads in their first order (sent or not): one may be named in
	 * the address of the next. */
	for (int i = 0, l = 0; i < cb->ops.n || l < cb->local_loads.n;) {
		struct slc_operand *o;
		struct slc_operand *lo = l < cb->local_loads.n ? cb->local_loads.v[l] : NULL;
		if (i < cb->ops.n && (!lo || ((struct slc_operand *)cb->ops.v[i])->seq < lo->seq))
			o = cb->ops.v[i++];
		else
			o = cb->local_loads.v[l++];
		if (o->load && !o->vector) {
			struct dlc_aop *x = aop(a, DLC_A_LOAD, NULL);
			x->opd = o;
			ptrvec_push(a, out, x);
		}
	}
	for (int i = 0; i < cb->pfs.n; i++) {
		const struct slc_prefetch *pf = cb->pfs.v[i];
		if (pf->data)
			continue; /* sent after the operands (once for a shared row) */
		struct dlc_aop *x = aop(a, DLC_A_PREFETCH, NULL);
		x->pf = cb->pfs.v[i];
		ptrvec_push(a, out, x);
	}
	/* In a fused segment only the head sends a token; it carries the count. */
	if (!cb->fused || cb->fused->head == cb) {
		struct dlc_aop *t = aop(a, DLC_A_TOKEN, NULL);
		t->token = cb->id;
		t->cb = cb;
		t->count = cb->fused ? cb->fused->count : cb->vec ? cb->vec->n_name : NULL;
		ptrvec_push(a, out, t);
	}
	for (int i = 0; i < cb->ops.n; i++) {
		struct dlc_aop *x = aop(a, DLC_A_PUSH, NULL);
		x->opd = cb->ops.v[i];
		x->cb = cb;
		ptrvec_push(a, out, x);
	}
	/* Rows sent by value go last: the execute side pops them after the
	 * operands, into copies it reads while the callback runs. */
	for (int i = 0; i < cb->pfs.n; i++) {
		struct slc_prefetch *pf = cb->pfs.v[i];
		if (!pf->data || pf->same)
			continue;
		struct dlc_aop *x = aop(a, DLC_A_PUSH_ROW, NULL);
		x->pf = pf;
		x->cb = cb;
		ptrvec_push(a, out, x);
	}
	if (cb->fence)
		ptrvec_push(a, out, aop(a, DLC_A_FENCE, NULL));
}

static void lower(struct arena *a, const struct ptrvec *nodes, struct ptrvec *out)
{
	for (int i = 0; i < nodes->n; i++) {
		struct slc_node *n = nodes->v[i];
		struct dlc_aop *x = NULL;
		switch (n->kind) {
		case SLC_LOOP:
			x = aop(a, n->vec ? DLC_A_STRIP : DLC_A_LOOP, n->stmt);
			x->vec = n->vec;
			lower(a, &n->body, &x->body);
			break;
		case SLC_IF:
			x = aop(a, DLC_A_IF, n->stmt);
			lower(a, &n->body, &x->body);
			x->has_else = n->has_else;
			lower(a, &n->else_body, &x->else_body);
			break;
		case SLC_BLOCK:
			x = aop(a, DLC_A_BLOCK, n->stmt);
			lower(a, &n->body, &x->body);
			break;
		case SLC_ACCESS:
			x = aop(a, DLC_A_STMT, n->stmt);
			x->text = n->text;
			break;
		case SLC_CALLBACK:
			lower_callback(a, n->cb, out);
			break;
		case SLC_RETURN:
			if (n->cb)
				lower_callback(a, n->cb, out);
			x = aop(a, DLC_A_STOP, n->stmt);
			break;
		case SLC_JUMP:
			x = aop(a, DLC_A_JUMP, n->stmt);
			break;
		}
		if (x)
			ptrvec_push(a, out, x);
	}
}

int dlc_decouple(struct arena *a, struct slc_program *slc, struct dlc_program *out)
{
	memset(out, 0, sizeof(*out));
	out->slc = slc;
	lower(a, &slc->top, &out->access);
	for (int i = 0; i < slc->callbacks.n; i++)
		out->nfences += ((struct slc_callback *)slc->callbacks.v[i])->fence;
	for (int i = 0; i < slc->callbacks.n; i++) {
		struct slc_callback *cb = slc->callbacks.v[i];
		if (cb->fused && cb->fused->head != cb)
			continue; /* runs inside its segment's case */
		struct dlc_case *c = ARENA_NEW(a, struct dlc_case);
		c->token = cb->id;
		c->cb = cb;
		c->seg = cb->fused;
		for (int k = 0; k < cb->ops.n; k++)
			ptrvec_push(a, &c->pops, cb->ops.v[k]);
		ptrvec_push(a, &out->cases, c);
	}
	return 0;
}

/* ---- dump ------------------------------------------------------------------------ */

static void ind(FILE *f, int d)
{
	for (int i = 0; i < d; i++)
		fputs("  ", f);
}

static void dump_aops(FILE *f, const struct ir_unit *u, const struct ptrvec *ops, int d)
{
	for (int i = 0; i < ops->n; i++) {
		const struct dlc_aop *o = ops->v[i];
		ind(f, d);
		switch (o->kind) {
		case DLC_A_STRIP:
			slc_put_flat(f, u, o->stmt->header);
			fprintf(f, " in strips of %d, %s = min(%d, %s) {\n", o->vec->width,
			        o->vec->n_name, o->vec->width, o->vec->count);
			dump_aops(f, u, &o->body, d + 1);
			ind(f, d);
			fputs("}\n", f);
			break;
		case DLC_A_LOOP:
			if (o->stmt->kind == IR_S_FOR)
				slc_put_flat(f, u, o->stmt->header);
			else {
				fputs(o->stmt->kind == IR_S_DO ? "do-while " : "while ", f);
				slc_put_flat(f, u, o->stmt->expr->span);
			}
			fputs(" {\n", f);
			dump_aops(f, u, &o->body, d + 1);
			ind(f, d);
			fputs("}\n", f);
			break;
		case DLC_A_IF:
			fputs("if ", f);
			slc_put_flat(f, u, o->stmt->expr->span);
			fputs(" {\n", f);
			dump_aops(f, u, &o->body, d + 1);
			if (o->has_else) {
				ind(f, d);
				fputs("} else {\n", f);
				dump_aops(f, u, &o->else_body, d + 1);
			}
			ind(f, d);
			fputs("}\n", f);
			break;
		case DLC_A_BLOCK:
			fputs("{\n", f);
			dump_aops(f, u, &o->body, d + 1);
			ind(f, d);
			fputs("}\n", f);
			break;
		case DLC_A_STMT:
			if (o->text)
				fputs(o->text, f);
			else
				slc_put_flat(f, u, o->stmt->span);
			fputc('\n', f);
			break;
		case DLC_A_LOAD:
			fprintf(f, "load %s = ", o->opd->name);
			slc_put_flat(f, u, o->opd->load->span);
			if (o->opd->cond)
				fprintf(f, " if %s", o->opd->cond);
			fputc('\n', f);
			break;
		case DLC_A_PREFETCH:
			fprintf(f, "prefetch %s%s%s\n", o->pf->addr, o->pf->bytes ? " bytes " : "",
			        o->pf->bytes ? o->pf->bytes : "");
			break;
		case DLC_A_TOKEN:
			if (o->count)
				fprintf(f, "push token %d count %s\n", o->token, o->count);
			else
				fprintf(f, "push token %d\n", o->token);
			break;
		case DLC_A_PUSH:
			if (o->opd->vector)
				fprintf(f, "push %s:%s[%s] = mem ", o->opd->name, o->opd->etype,
				        o->cb->vec->n_name);
			else
				fprintf(f, "push %s:%s", o->opd->name, slc_kind_name(o->opd->kind));
			if (o->opd->vector)
				slc_put_flat(f, u, o->opd->load->span);
			fputc('\n', f);
			break;
		case DLC_A_PUSH_ROW:
			fprintf(f, "push row %s bytes %s\n", o->pf->addr, o->pf->bytes);
			break;
		case DLC_A_STOP:
			fputs("stop\n", f);
			break;
		case DLC_A_JUMP:
			fputs(o->stmt->kind == IR_S_BREAK ? "break\n" : "continue\n", f);
			break;
		case DLC_A_FENCE:
			fputs("fence (wait for the execute side)\n", f);
			break;
		}
	}
}

/* What a callback's case pops: its operands, then the rows sent by value. */
static void dump_pops(FILE *f, const struct slc_callback *cb)
{
	for (int k = 0; k < cb->ops.n; k++) {
		const struct slc_operand *o = cb->ops.v[k];
		if (o->vector)
			fprintf(f, " pop %s:%s[count];", o->name, o->etype);
		else
			fprintf(f, " pop %s:%s;", o->name, slc_kind_name(o->kind));
	}
	for (int k = 0; k < cb->pfs.n; k++) {
		const struct slc_prefetch *pf = cb->pfs.v[k];
		if (pf->data && !pf->same)
			fprintf(f, " pop row %s (slot %d);", pf->row_name, pf->slot);
	}
}

void dlc_dump(FILE *f, const struct dlc_program *d)
{
	const struct ir_unit *u = d->slc->unit;
	fprintf(f, "decoupled %s\n  access {\n", d->slc->func->name);
	dump_aops(f, u, &d->access, 2);
	fputs("    push token DONE\n  }\n  execute {\n", f);
	for (int i = 0; i < d->cases.n; i++) {
		const struct dlc_case *c = d->cases.v[i];
		fprintf(f, "    case %d (%s):", c->token, slc_event_name(c->cb->event));
		dump_pops(f, c->cb);
		fprintf(f, " %d statement%s%s%s\n", c->cb->stmts.n, c->cb->stmts.n == 1 ? "" : "s",
		        c->cb->ret ? " + return value" : "",
		        c->cb->vec ? ", once per element of the strip" : "");
		if (c->seg) {
			fprintf(f, "      then count times callback #%d:", c->seg->iter->id);
			dump_pops(f, c->seg->iter);
			fputc('\n', f);
			if (c->seg->end) {
				fprintf(f, "      then callback #%d:", c->seg->end->id);
				dump_pops(f, c->seg->end);
				fputc('\n', f);
			}
		}
	}
	fputs("    case DONE: return\n  }\n\n", f);
}
