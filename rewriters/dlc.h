/* The decoupled level (Ember's DLC): an access program that walks the
 * skeleton and pushes control tokens and operands, and an execute program
 * that pops a token and runs the matching callback case. Built from the
 * lookup-compute level by dlc_decouple(), checked by dlc_verify(). */
#ifndef DAEC_DLC_H
#define DAEC_DLC_H

#include <stdio.h>

#include "slc.h"

enum dlc_aop_kind {
	DLC_A_LOOP, /* the user's loop header, body below */
	DLC_A_IF, /* the user's condition, branches below */
	DLC_A_BLOCK, /* { body } */
	DLC_A_STMT, /* an access statement, verbatim */
	DLC_A_LOAD, /* read a hoisted index load into its operand name */
	DLC_A_PREFETCH, /* touch a row the execute side will read */
	DLC_A_TOKEN, /* push a control token */
	DLC_A_PUSH, /* push an operand */
	DLC_A_STOP, /* the function returns: the access side stops */
	DLC_A_JUMP, /* break / continue */
	DLC_A_FENCE, /* wait until the execute side has run everything sent */
	DLC_A_STRIP, /* a vectorised loop (-O1): the user's loop walked in strips, body below */
	DLC_A_PUSH_ROW, /* send a row by value (--marshal=data at -O2, -O3) */
};

struct dlc_aop {
	enum dlc_aop_kind kind;
	struct ir_stmt *stmt; /* LOOP, IF, BLOCK, STMT, STOP, JUMP */
	struct ptrvec body; /* struct dlc_aop * */
	struct ptrvec else_body;
	int has_else;
	int token; /* TOKEN */
	struct slc_operand *opd; /* LOAD, PUSH */
	struct slc_prefetch *pf; /* PREFETCH, PUSH_ROW */
	const struct slc_vector *vec; /* STRIP */
	const char *text; /* STMT: replaces the statement's text when set */
	const char *count; /* TOKEN: C text of a fused segment's trip count, or NULL */
	struct slc_callback *cb; /* TOKEN, PUSH, PUSH_ROW: the callback they belong to */
};

struct dlc_case {
	int token;
	struct slc_callback *cb;
	const struct slc_align *seg; /* a fused segment: cb is its head */
	struct ptrvec pops; /* struct slc_operand *, in push order */
};

struct dlc_program {
	struct slc_program *slc;
	int nfences; /* fences in the access program */
	struct ptrvec access; /* struct dlc_aop * */
	struct ptrvec cases; /* struct dlc_case *, by token - 1 */
};

int dlc_decouple(struct arena *a, struct slc_program *slc, struct dlc_program *out);
int dlc_verify(const struct dlc_program *d, const char **msg);
void dlc_dump(FILE *out, const struct dlc_program *d);

#endif
