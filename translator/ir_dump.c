#include "ir_dump.h"

#include <string.h>

const char *ir_stmt_kind_name(enum ir_stmt_kind k)
{
	switch (k) {
	case IR_S_BLOCK:
		return "BLOCK";
	case IR_S_DECL:
		return "DECL";
	case IR_S_EXPR:
		return "EXPR";
	case IR_S_IF:
		return "IF";
	case IR_S_FOR:
		return "FOR";
	case IR_S_WHILE:
		return "WHILE";
	case IR_S_DO:
		return "DO";
	case IR_S_RETURN:
		return "RETURN";
	case IR_S_BREAK:
		return "BREAK";
	case IR_S_CONTINUE:
		return "CONTINUE";
	case IR_S_NULL:
		return "NULL";
	case IR_S_OTHER:
		return "OTHER";
	}
	return "?";
}

const char *ir_expr_kind_name(enum ir_expr_kind k)
{
	switch (k) {
	case IR_E_VAR:
		return "var";
	case IR_E_CONST:
		return "const";
	case IR_E_INDEX:
		return "index";
	case IR_E_DEREF:
		return "deref";
	case IR_E_MEMBER:
		return "member";
	case IR_E_ADDROF:
		return "addrof";
	case IR_E_UNARY:
		return "unary";
	case IR_E_BINARY:
		return "binary";
	case IR_E_COND:
		return "cond";
	case IR_E_CAST:
		return "cast";
	case IR_E_CALL:
		return "call";
	case IR_E_ASSIGN:
		return "assign";
	case IR_E_INCDEC:
		return "incdec";
	case IR_E_PAREN:
		return "paren";
	case IR_E_OTHER:
		return "other";
	}
	return "?";
}

const char *ir_op_name(enum ir_op op)
{
	switch (op) {
	case IR_OP_NONE:
		return "";
	case IR_OP_ADD:
		return "+";
	case IR_OP_SUB:
		return "-";
	case IR_OP_MUL:
		return "*";
	case IR_OP_DIV:
		return "/";
	case IR_OP_REM:
		return "%";
	case IR_OP_SHL:
		return "<<";
	case IR_OP_SHR:
		return ">>";
	case IR_OP_AND:
		return "&";
	case IR_OP_OR:
		return "|";
	case IR_OP_XOR:
		return "^";
	case IR_OP_LAND:
		return "&&";
	case IR_OP_LOR:
		return "||";
	case IR_OP_LT:
		return "<";
	case IR_OP_GT:
		return ">";
	case IR_OP_LE:
		return "<=";
	case IR_OP_GE:
		return ">=";
	case IR_OP_EQ:
		return "==";
	case IR_OP_NE:
		return "!=";
	case IR_OP_COMMA:
		return ",";
	case IR_OP_NEG:
		return "-";
	case IR_OP_PLUS:
		return "+";
	case IR_OP_NOT:
		return "!";
	case IR_OP_BNOT:
		return "~";
	case IR_OP_PREINC:
		return "pre++";
	case IR_OP_PREDEC:
		return "pre--";
	case IR_OP_POSTINC:
		return "post++";
	case IR_OP_POSTDEC:
		return "post--";
	}
	return "?";
}

const char *ir_access_name(enum ir_access acc)
{
	switch (acc) {
	case IR_ACC_NONE:
		return "none";
	case IR_ACC_READ:
		return "read";
	case IR_ACC_WRITE:
		return "write";
	case IR_ACC_RW:
		return "rw";
	}
	return "?";
}

static void put_quoted(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n && s[i]; i++) {
		char c = s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c == '\r')
			fputs("\\r", out);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

static void put_str(FILE *out, const char *s)
{
	put_quoted(out, s ? s : "", s ? strlen(s) : 0);
}

/* A constant's text bare when it is one simple token, quoted otherwise. */
static void put_const(FILE *out, const char *s)
{
	if (!s || !*s) {
		fputs("\"\"", out);
		return;
	}
	for (const char *p = s; *p; p++) {
		if (strchr(" \t\n\r()\"\\", *p)) {
			put_str(out, s);
			return;
		}
	}
	fputs(s, out);
}

static void put_type(FILE *out, const struct ir_type *t)
{
	fputs(" : ", out);
	fputs(t && t->spelling && *t->spelling ? t->spelling : "?", out);
}

void ir_dump_expr(FILE *out, const struct ir_expr *e)
{
	if (!e) {
		fputs("none", out);
		return;
	}
	switch (e->kind) {
	case IR_E_VAR:
		if (e->var)
			fprintf(out, "%s#%d", e->var->name, e->var->id);
		else
			fputs("?#?", out);
		break;
	case IR_E_CONST:
		put_const(out, e->text);
		break;
	case IR_E_INDEX:
		fprintf(out, "(index:%s ", ir_access_name(e->access));
		ir_dump_expr(out, e->a);
		fputc(' ', out);
		ir_dump_expr(out, e->b);
		put_type(out, e->type);
		fputc(')', out);
		break;
	case IR_E_DEREF:
		fprintf(out, "(deref:%s ", ir_access_name(e->access));
		ir_dump_expr(out, e->a);
		put_type(out, e->type);
		fputc(')', out);
		break;
	case IR_E_MEMBER:
		fprintf(out, "(member:%s ", ir_access_name(e->access));
		ir_dump_expr(out, e->a);
		fprintf(out, " %s%s", e->arrow ? "->" : ".", e->text ? e->text : "?");
		put_type(out, e->type);
		fputc(')', out);
		break;
	case IR_E_ADDROF:
		fputs("(& ", out);
		ir_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case IR_E_UNARY:
	case IR_E_INCDEC:
		fprintf(out, "(%s ", ir_op_name(e->op));
		ir_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case IR_E_BINARY:
		fprintf(out, "(%s ", ir_op_name(e->op));
		ir_dump_expr(out, e->a);
		fputc(' ', out);
		ir_dump_expr(out, e->b);
		fputc(')', out);
		break;
	case IR_E_ASSIGN:
		fprintf(out, "(%s= ", ir_op_name(e->op));
		ir_dump_expr(out, e->a);
		fputc(' ', out);
		ir_dump_expr(out, e->b);
		fputc(')', out);
		break;
	case IR_E_COND:
		fputs("(?: ", out);
		ir_dump_expr(out, e->a);
		fputc(' ', out);
		ir_dump_expr(out, e->b);
		fputc(' ', out);
		ir_dump_expr(out, e->c);
		fputc(')', out);
		break;
	case IR_E_CAST:
		fputs("(cast ", out);
		put_str(out, e->text);
		fputc(' ', out);
		ir_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case IR_E_CALL:
		fprintf(out, "(call %s", e->text ? e->text : "?");
		for (int i = 0; i < e->nargs; i++) {
			fputc(' ', out);
			ir_dump_expr(out, e->args[i]);
		}
		fputc(')', out);
		break;
	case IR_E_PAREN:
		fputs("(paren ", out);
		ir_dump_expr(out, e->a);
		fputc(')', out);
		break;
	case IR_E_OTHER:
		fputs("(other ", out);
		put_str(out, e->text);
		fputc(')', out);
		break;
	}
	if (e->in_macro)
		fputs("@macro", out);
}

static void indent(FILE *out, int depth)
{
	for (int i = 0; i < depth; i++)
		fputs("  ", out);
}

/* Source text of a span when the function is in the main file, else offsets. */
static void put_span_text(FILE *out, const struct ir_unit *u, const struct ir_func *f,
                          struct ir_span sp)
{
	if (f->in_main_file && u->buf && sp.end <= u->len && sp.begin <= sp.end)
		put_quoted(out, u->buf + sp.begin, sp.end - sp.begin);
	else
		fprintf(out, "%u..%u", sp.begin, sp.end);
}

static void dump_stmt(FILE *out, const struct ir_unit *u, const struct ir_func *f,
                      const struct ir_stmt *s, int depth);

static void dump_labeled(FILE *out, const struct ir_unit *u, const struct ir_func *f,
                         const char *label, const struct ir_stmt *s, int depth)
{
	indent(out, depth);
	if (!s) {
		fprintf(out, "%s: none\n", label);
		return;
	}
	fprintf(out, "%s:\n", label);
	dump_stmt(out, u, f, s, depth + 1);
}

static void dump_labeled_expr(FILE *out, const char *label, const struct ir_expr *e, int depth)
{
	indent(out, depth);
	fprintf(out, "%s: ", label);
	ir_dump_expr(out, e);
	fputc('\n', out);
}

static void dump_stmt(FILE *out, const struct ir_unit *u, const struct ir_func *f,
                      const struct ir_stmt *s, int depth)
{
	indent(out, depth);
	fprintf(out, "s%d %s %d:%d", s->id, ir_stmt_kind_name(s->kind), s->loc.line, s->loc.col);
	switch (s->kind) {
	case IR_S_EXPR:
	case IR_S_RETURN:
		if (s->expr) {
			fputc(' ', out);
			ir_dump_expr(out, s->expr);
		}
		break;
	case IR_S_OTHER:
		fputc(' ', out);
		put_str(out, s->text);
		break;
	case IR_S_FOR:
	case IR_S_WHILE:
	case IR_S_DO:
		fputs(" header ", out);
		put_span_text(out, u, f, s->header);
		break;
	default:
		break;
	}
	if (s->pragma) {
		fputs(" pragma ", out);
		put_str(out, s->pragma);
	}
	fputc('\n', out);
	switch (s->kind) {
	case IR_S_BLOCK:
		for (int i = 0; i < s->nkids; i++)
			dump_stmt(out, u, f, s->kids[i], depth + 1);
		break;
	case IR_S_DECL:
		for (int i = 0; i < s->nvars; i++) {
			indent(out, depth + 1);
			fprintf(out, "%s#%d", s->vars[i]->name, s->vars[i]->id);
			if (s->inits[i]) {
				fputs(" = ", out);
				ir_dump_expr(out, s->inits[i]);
			}
			fputc('\n', out);
		}
		break;
	case IR_S_FOR:
		dump_labeled(out, u, f, "init", s->init, depth + 1);
		dump_labeled_expr(out, "cond", s->expr, depth + 1);
		dump_labeled_expr(out, "inc", s->inc, depth + 1);
		dump_labeled(out, u, f, "body", s->body, depth + 1);
		break;
	case IR_S_WHILE:
		dump_labeled_expr(out, "cond", s->expr, depth + 1);
		dump_labeled(out, u, f, "body", s->body, depth + 1);
		break;
	case IR_S_DO:
		dump_labeled(out, u, f, "body", s->body, depth + 1);
		dump_labeled_expr(out, "cond", s->expr, depth + 1);
		break;
	case IR_S_IF:
		dump_labeled_expr(out, "cond", s->expr, depth + 1);
		dump_labeled(out, u, f, "then", s->then_s, depth + 1);
		if (s->else_s)
			dump_labeled(out, u, f, "else", s->else_s, depth + 1);
		break;
	default:
		break;
	}
}

static const char *var_kind_name(enum ir_var_kind k)
{
	switch (k) {
	case IR_VAR_PARAM:
		return "param";
	case IR_VAR_LOCAL:
		return "local";
	case IR_VAR_GLOBAL:
		return "global";
	}
	return "?";
}

static void put_type_line(FILE *out, const struct ir_type *t)
{
	put_str(out, t ? t->spelling : "?");
	if (!t)
		return;
	if (t->flags & IR_TYPE_CONST)
		fputs(" const", out);
	if (t->flags & IR_TYPE_VOLATILE)
		fputs(" volatile", out);
	if (t->flags & IR_TYPE_RESTRICT)
		fputs(" restrict", out);
	if (t->flags & IR_TYPE_VLA)
		fputs(" vla", out);
	if (t->flags & IR_TYPE_CHAR)
		fputs(" char", out);
}

void ir_dump_func(FILE *out, const struct ir_unit *u, const struct ir_func *f)
{
	fprintf(out, "func %s %s:%d:%d", f->name, f->file ? f->file : "?", f->loc.line, f->loc.col);
	if (f->is_static)
		fputs(" static", out);
	if (f->is_inline)
		fputs(" inline", out);
	if (f->is_variadic)
		fputs(" variadic", out);
	if (!f->in_main_file)
		fputs(" header", out);
	fputc('\n', out);
	if (f->unsupported) {
		fputs("  unsupported ", out);
		put_str(out, f->unsupported);
		fprintf(out, " at %d:%d\n", f->unsupported_loc.line, f->unsupported_loc.col);
	}
	fputs("  returns ", out);
	put_type_line(out, f->ret_type);
	fputc('\n', out);
	for (int i = 0; i < f->nvars; i++) {
		const struct ir_var *v = f->vars[i];
		fprintf(out, "  var %s#%d %s ", v->name, v->id, var_kind_name(v->kind));
		put_type_line(out, v->type);
		if (v->flags & IR_VAR_STATIC)
			fputs(" [static]", out);
		if (v->flags & IR_VAR_ADDR_TAKEN)
			fputs(" [addr-taken]", out);
		if (v->flags & IR_VAR_ASSIGNED)
			fputs(" [assigned]", out);
		fputc('\n', out);
	}
	if (f->body)
		dump_stmt(out, u, f, f->body, 1);
}
