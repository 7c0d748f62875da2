/* A stable, readable text form of a lifted function ("daec -d ir", tests). */
#ifndef DAEC_IR_DUMP_H
#define DAEC_IR_DUMP_H

#include <stdio.h>

#include "ir.h"

/* Writes f as an indented tree: the function line, its variables, then one
 * line per statement ("s<id> KIND line:col") with expressions as
 * S-expressions: variables as name#id, memory nodes with their access mark
 * and type, "(index:rw out#0 (+ (* b#4 dim#3) d#6) : float)". A node spelled
 * inside a macro expansion carries "@macro". */
void ir_dump_func(FILE *out, const struct ir_unit *u, const struct ir_func *f);

/* One expression in the same notation (no newline). */
void ir_dump_expr(FILE *out, const struct ir_expr *e);

const char *ir_stmt_kind_name(enum ir_stmt_kind k);
const char *ir_expr_kind_name(enum ir_expr_kind k);
const char *ir_op_name(enum ir_op op);
const char *ir_access_name(enum ir_access acc);

#endif
