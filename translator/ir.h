/* The loop IR: what the front end lifts a function body into, and what every
 * later stage reads. It is small on purpose: loops with their headers, reads
 * and writes of memory as base + index, scalar variables, arithmetic. It is
 * not a full C AST: anything the lifter does not model becomes an OTHER node
 * carrying a reason, and a function containing one is left alone.
 *
 * Every node keeps its source span (byte offsets into the main file, end
 * exclusive, taken from expansion locations) because daec re-emits the
 * user's own text: the execute side reuses the original expressions verbatim.
 * A node produced by a macro expansion spans the whole macro use and has
 * in_macro set; its children cannot be spliced separately. */
#ifndef DAEC_IR_H
#define DAEC_IR_H

#include <stddef.h>

#include "arena.h"

struct ir_span {
	unsigned begin; /* byte offset of the first character */
	unsigned end; /* byte offset one past the last character */
};

/* Where a node starts, for diagnostics (1-based; 0 when unknown). */
struct ir_loc {
	int line;
	int col;
};

enum ir_type_class {
	IR_T_VOID,
	IR_T_BOOL,
	IR_T_SINT, /* signed integer (char counts as signed or unsigned per target) */
	IR_T_UINT, /* unsigned integer */
	IR_T_ENUM, /* enumeration: an integer of size bytes */
	IR_T_FLOAT, /* float */
	IR_T_DOUBLE, /* double */
	IR_T_LDOUBLE,
	IR_T_PTR,
	IR_T_ARRAY, /* constant-size array; VLAs set IR_TYPE_VLA */
	IR_T_STRUCT, /* struct or union */
	IR_T_FUNC,
	IR_T_OTHER,
};

enum ir_type_flag {
	IR_TYPE_CONST = 1 << 0, /* top-level const */
	IR_TYPE_VOLATILE = 1 << 1, /* top-level volatile */
	IR_TYPE_RESTRICT = 1 << 2, /* top-level restrict (pointers) */
	IR_TYPE_VLA = 1 << 3, /* variably modified somewhere inside */
	IR_TYPE_CHAR = 1 << 4, /* a character type (aliases everything) */
};

struct ir_type {
	enum ir_type_class cls;
	unsigned flags; /* enum ir_type_flag */
	unsigned size; /* sizeof in bytes; 0 if incomplete or unknown */
	const char *spelling; /* as clang spells it, qualifiers included: "const float *restrict" */
	const char *unqual; /* without top-level qualifiers: "const float *" */
	const char *canonical; /* canonical, unqualified: "const float *", typedefs resolved */
	const struct ir_type *elem; /* PTR: pointee; ARRAY: element; else NULL */
	long long count; /* ARRAY: number of elements; else 0 */
};

enum ir_var_kind {
	IR_VAR_PARAM,
	IR_VAR_LOCAL,
	IR_VAR_GLOBAL, /* file-scope variable referenced by the function */
};

enum ir_var_flag {
	IR_VAR_ADDR_TAKEN = 1 << 0, /* &v appears (or an array local decays) */
	IR_VAR_STATIC = 1 << 1, /* static storage duration local */
	IR_VAR_ASSIGNED = 1 << 2, /* written somewhere in the function (params/globals) */
};

struct ir_var {
	int id; /* dense, per function (globals too), 0 .. nvars-1 */
	const char *name;
	enum ir_var_kind kind;
	unsigned flags; /* enum ir_var_flag */
	const struct ir_type *type; /* parameters: the adjusted (decayed) type */
	struct ir_span decl_span; /* the declarator, for messages */
	struct ir_loc loc;
};

enum ir_op {
	IR_OP_NONE,
	/* binary */
	IR_OP_ADD,
	IR_OP_SUB,
	IR_OP_MUL,
	IR_OP_DIV,
	IR_OP_REM,
	IR_OP_SHL,
	IR_OP_SHR,
	IR_OP_AND,
	IR_OP_OR,
	IR_OP_XOR,
	IR_OP_LAND,
	IR_OP_LOR,
	IR_OP_LT,
	IR_OP_GT,
	IR_OP_LE,
	IR_OP_GE,
	IR_OP_EQ,
	IR_OP_NE,
	IR_OP_COMMA,
	/* unary */
	IR_OP_NEG,
	IR_OP_PLUS,
	IR_OP_NOT, /* ! */
	IR_OP_BNOT, /* ~ */
	/* assignment: IR_E_ASSIGN uses IR_OP_NONE for '=' or the binary op for 'op=' */
	/* increment/decrement (IR_E_INCDEC) */
	IR_OP_PREINC,
	IR_OP_PREDEC,
	IR_OP_POSTINC,
	IR_OP_POSTDEC,
};

enum ir_expr_kind {
	IR_E_VAR, /* var */
	IR_E_CONST, /* literal, sizeof/_Alignof, enum constant, constant macro: text only */
	IR_E_INDEX, /* a[b] (a is the pointer or array operand as written) */
	IR_E_DEREF, /* *a */
	IR_E_MEMBER, /* a.text or a->text (arrow set) */
	IR_E_ADDROF, /* &a */
	IR_E_UNARY, /* op a */
	IR_E_BINARY, /* a op b */
	IR_E_COND, /* a ? b : c */
	IR_E_CAST, /* (text) a: explicit casts only; implicit conversions are not nodes */
	IR_E_CALL, /* text(args...) for a call to a named function */
	IR_E_ASSIGN, /* a = b, a op= b */
	IR_E_INCDEC, /* ++a, a--, ... */
	IR_E_PAREN, /* (a): kept so spans nest exactly as written */
	IR_E_OTHER, /* not modelled (statement expression, compound literal, call through pointer, ...) */
};

/* How a memory node (INDEX, DEREF, MEMBER) touches memory where it stands. */
enum ir_access {
	IR_ACC_NONE, /* address only: under &, or an array-typed result that decays */
	IR_ACC_READ, /* rvalue use of a scalar/struct/pointer value */
	IR_ACC_WRITE, /* left side of '=' */
	IR_ACC_RW, /* left side of 'op=', operand of ++/-- */
};

struct ir_expr {
	enum ir_expr_kind kind;
	enum ir_op op;
	enum ir_access access; /* memory nodes only */
	unsigned in_macro : 1; /* spelled inside a macro expansion */
	unsigned arrow : 1; /* MEMBER: a->field */
	struct ir_span span;
	struct ir_loc loc;
	const struct ir_type *type; /* type of the expression (after no implicit conversion) */
	struct ir_var *var; /* VAR */
	struct ir_expr *a, *b, *c; /* operands, see enum ir_expr_kind */
	struct ir_expr **args; /* CALL */
	int nargs;
	const char *
	        text; /* CONST: its text; MEMBER: field name; CAST: type; CALL: callee; OTHER: what */
};

enum ir_stmt_kind {
	IR_S_BLOCK, /* { kids } */
	IR_S_DECL, /* declaration of locals: vars[i] = inits[i] (init may be NULL) */
	IR_S_EXPR, /* expr; */
	IR_S_IF, /* if (expr) then_s [else else_s] */
	IR_S_FOR, /* for (init; expr; inc) body; init is a DECL or EXPR stmt or NULL */
	IR_S_WHILE, /* while (expr) body */
	IR_S_DO, /* do body while (expr); */
	IR_S_RETURN, /* return [expr]; */
	IR_S_BREAK, /* break; */
	IR_S_CONTINUE, /* continue; */
	IR_S_NULL, /* ; */
	IR_S_OTHER, /* not modelled (switch, goto, label, asm, ...): text says what */
};

struct ir_stmt {
	enum ir_stmt_kind kind;
	struct ir_span span; /* whole statement including its ';' (a DECL: through its ';') */
	struct ir_loc loc;
	struct ir_stmt *parent; /* enclosing statement; NULL for the function body */
	int id; /* dense, per function, in source order (pre-order) */

	struct ir_stmt **kids; /* BLOCK */
	int nkids;

	struct ir_var **vars; /* DECL */
	struct ir_expr **inits;
	int nvars;

	struct ir_expr *
	        expr; /* EXPR, RETURN (may be NULL); condition of IF/FOR/WHILE/DO (FOR: may be NULL) */
	struct ir_stmt *init; /* FOR */
	struct ir_expr *inc; /* FOR (may be NULL) */
	struct ir_stmt *body; /* FOR, WHILE, DO */
	struct ir_stmt *then_s; /* IF */
	struct ir_stmt *else_s; /* IF (may be NULL) */
	struct ir_span
	        header; /* FOR/WHILE: "for (...)" up to and including ')'; DO: the "while (...);" tail */
	const char *text; /* OTHER: what it is, for remarks ("switch statement") */
	const char *
	        pragma; /* text of a #pragma directly before this statement (e.g. "omp parallel for") */
};

struct ir_func {
	const char *name;
	struct ir_loc loc; /* the name */
	struct ir_span span; /* whole definition, from its first specifier to the closing '}' */
	struct ir_span name_span; /* the function name in the definition */
	struct ir_span body_span; /* the body, '{' to '}' inclusive */
	const struct ir_type *ret_type; /* return type */
	unsigned is_static : 1;
	unsigned is_inline : 1;
	unsigned is_variadic : 1;
	unsigned
	        in_main_file : 1; /* defined in the file being translated (not an included header) */
	const char *file; /* file that holds the definition */
	struct ir_var **params;
	int nparams;
	struct ir_var **vars; /* every variable the function uses or declares, indexed by id */
	int nvars;
	struct ir_stmt *body;
	int nstmts;
	const char
	        *unsupported; /* set when lifting met something it cannot model at function level */
	struct ir_loc unsupported_loc;
};

struct ir_unit {
	const char *path; /* the main file as named on the command line */
	const char *buf; /* its bytes as libclang parsed them */
	size_t len;
	struct ir_func **funcs; /* definitions in source order (main file and headers) */
	int nfuncs;
	struct ir_span *includes; /* #include directives in the main file, source order */
	int nincludes;
	int no_strict_aliasing; /* -fno-strict-aliasing among the compiler arguments */
};

#endif
