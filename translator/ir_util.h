/* Small walkers and queries over the loop IR shared by the rewriters. */
#ifndef DAEC_IR_UTIL_H
#define DAEC_IR_UTIL_H

#include "ir.h"

typedef void (*ir_expr_fn)(struct ir_expr *e, void *ctx);

/* Pre-order walk of e and all its sub-expressions. */
void ir_expr_walk(struct ir_expr *e, ir_expr_fn fn, void *ctx);

/* The expressions a statement owns directly (not those of nested statements):
 * DECL initialisers, EXPR/RETURN expression, IF/loop conditions, FOR increment. */
void ir_stmt_exprs(struct ir_stmt *s, ir_expr_fn fn, void *ctx);

/* The same expressions, each passed once as a whole (fn does its own walk). */
void ir_stmt_roots(struct ir_stmt *s, ir_expr_fn fn, void *ctx);

/* Walk s and every nested statement (pre-order). */
typedef void (*ir_stmt_fn)(struct ir_stmt *s, void *ctx);
void ir_stmt_walk(struct ir_stmt *s, ir_stmt_fn fn, void *ctx);

/* Direct sub-statements of s, in source order. */
int ir_stmt_kids(struct ir_stmt *s, struct ir_stmt **out, int max);

int ir_is_loop(const struct ir_stmt *s);
int ir_is_memory(const struct ir_expr *e); /* INDEX, DEREF, MEMBER */
int ir_is_read(const struct ir_expr *e); /* memory node that reads */
int ir_is_write(const struct ir_expr *e); /* memory node that writes */
int ir_expr_contains(struct ir_expr *e, const struct ir_expr *needle);

/* The sub-expressions that compute a memory node's address: for a[b] both a
 * and b, for *a and a->f the pointer a, for a.f the address parts of a. */
int ir_addr_parts(struct ir_expr *m, struct ir_expr **out, int max);

/* e without the parentheses around it (NULL stays NULL). */
struct ir_expr *ir_unparen(struct ir_expr *e);

/* The variable a pointer/array expression is based on (p in p[i], (p + k)[i],
 * *(p + i), ((T *)p)[i]); NULL when it is based on a loaded value. */
struct ir_var *ir_base_var(struct ir_expr *e);

/* The innermost loop enclosing s (not s itself), or NULL. */
struct ir_stmt *ir_enclosing_loop(struct ir_stmt *s);
/* Whether anc is s or encloses it. */
int ir_stmt_within(const struct ir_stmt *s, const struct ir_stmt *anc);

/* Text of a span of the main file (copied into the arena). */
char *ir_span_text(struct arena *a, const struct ir_unit *u, struct ir_span sp);

/* Column (0-based, tabs counted as one) of the first character of the line holding off. */
unsigned ir_line_start(const struct ir_unit *u, unsigned off);

/* A declarator for name with type t: "float *name", "float name[64]", "float (*name)[64]".
 * NULL when daec cannot spell it (function pointers, VLAs). Uses the unqualified type. */
char *ir_decl_text(struct arena *a, const struct ir_type *t, const char *name, int keep_qualifiers);

const char *ir_op_spelling(enum ir_op op);

/* A parameter's declaration for a local copy, qualifiers kept; unlike
 * ir_decl_text it spells pointers to variably modified arrays
 * ("const float (*x)[F]"), whose sizes must be declared first. */
char *ir_param_decl_text(struct arena *a, const struct ir_type *t, const char *name);

/* Position of v in f's parameter list, or -1. */
int ir_param_index(const struct ir_func *f, const struct ir_var *v);

/* "for (v = lo; v < hi; v++)" (also <=, >, >=, ++v, v += 1, v declared in
 * the init) where the step is the only change to v in the loop: returns v
 * and sets *lo, *hi (the bound as written) and *inclusive; else NULL. */
struct ir_var *ir_counted_for(struct ir_stmt *s, struct ir_expr **lo, struct ir_expr **hi,
                              int *inclusive);

/* Whether s (or a statement in it) assigns v. */
int ir_var_defined_in(const struct ir_var *v, struct ir_stmt *s);

/* Whether v is declared inside s (its header included). */
int ir_var_declared_in(const struct ir_var *v, const struct ir_stmt *s);

/* Whether a and b are spelled alike (both present, the same bytes). */
int ir_same_text(const struct ir_unit *u, const struct ir_expr *a, const struct ir_expr *b);

#endif
