/* Decoupled program -> C: the edits that turn the original function into
 * its reference copy, the generated access/execute pair and a new body. */
#ifndef DAEC_EMIT_C_H
#define DAEC_EMIT_C_H

#include "dlc.h"
#include "edits.h"

/* Adds the edits for d's function. Returns 0, or -1 with *err (no edit added). */
int emit_c_function(struct arena *a, const struct dlc_program *d, struct edit_list *edits,
                    const char **err);

/* Adds "#include <dae/dae.h>" once, after the last #include before offset
 * `before` (or at the top). Nothing when the file already includes it. */
void emit_c_include(const struct ir_unit *u, unsigned before, struct edit_list *edits);

/* Text of span sp (the parts of a statement under exprs[] and stmts[]) with
 * every scalar read written DAE_LD(x), for access sides (emit_trace.c);
 * unwrapped text when a read sits in a macro expansion. */
char *emit_traced_text(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                       struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts);

/* The same with one more substitution, sub (which wins over a wrapper of
 * the same node); NULL when it cannot be applied. */
char *emit_traced_subst(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                        struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts,
                        const struct slc_subst *sub);

/* DAE_LD(e), or DAE_ROW_LD(e) when row is set (a row element the access
 * side loads and sends by value), with the reads inside e wrapped too. */
char *emit_traced_load(struct arena *a, const struct ir_unit *u, struct ir_expr *e, int row);

/* A call or a function's head, "prefix(args...)suffix" at depth tabs,
 * wrapped the way clang-format wraps it (arguments packed, continuation
 * aligned after the parenthesis), with its newline. */
void emit_call_text(struct strbuf *sb, int depth, const char *prefix, const char *const *args,
                    int n, const char *suffix);

/* The address of memory read e is computed from a value read from memory
 * (table[idx * dim + d] with idx = indices[j]): a gather. */
int emit_is_gather(const struct ir_func *f, struct ir_expr *e);

#endif
