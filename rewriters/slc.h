/* The structured lookup-compute level (Ember's SLC): a function split into an
 * access skeleton (the loops, branches and index/offset loads that decide
 * which rows are touched) and compute callbacks (runs of the user's own
 * statements that do the arithmetic), attached to the events of the access
 * loops. Built from the loop IR by slc_build(), checked by slc_verify(),
 * printed by slc_dump(), lowered by dlc_decouple(). */
#ifndef DAEC_SLC_H
#define DAEC_SLC_H

#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "ir.h"

struct slc_program;

/* How a value travels through the queue (one 64-bit word each). */
enum slc_kind {
	SLC_K_I64, /* signed integers, enums, _Bool */
	SLC_K_U64, /* unsigned integers */
	SLC_K_F32,
	SLC_K_F64,
	SLC_K_PTR,
};

/* A value the execute side needs from the access side: a variable the
 * access side computes, or an index load hoisted out of a compute statement. */
struct slc_operand {
	struct ir_var *var; /* the variable, or NULL for a hoisted load */
	struct ir_expr *load; /* hoisted load (its text is replaced by name in the callback) */
	const char *cond; /* hoisted load: access-side condition for reading it (else 0 is sent) */
	const char *name; /* name on the execute side */
	const char *ctype; /* declared type on the execute side */
	enum slc_kind kind;
	int loaded; /* the value comes from memory (an index), not from a counter */
	/* -O1 (vectorise.c): a row element read at every iteration of a strip
	 * loop, sent as one vector of the strip's elements; etype is the
	 * element's type in memory. */
	int vector;
	const char *etype;
	int seq; /* position among the callback's operands before any was unsent */
};

/* A row the callback will read: the access side prefetches it. */
struct slc_prefetch {
	struct ir_expr *load; /* the row read in the callback */
	const char *addr; /* C text of the first byte's address (access-side names) */
	const char *bytes; /* C text of the row extent in bytes, or NULL for one element */
	const char *cond; /* C text: prefetch only when the row would be read, or NULL */
	/* --marshal=data at -O2/-O3: the access side sends the row's bytes
	 * (dae_queue_push_row) instead of prefetching it, and the callback
	 * reads them from its copy: load becomes row_name[iv - lo]. */
	int data;
	struct ir_var *iv; /* the compute loop walking the row */
	struct ir_expr *lo; /* its first value */
	const char *row_name; /* the copy's name on the execute side */
	int slot; /* which of the queue's row slots holds the copy */
	/* The same bytes as an earlier row of the callback (one row read in
	 * both branches of an if): sent once, read from that row's copy. */
	struct slc_prefetch *same;
};

enum slc_event {
	SLC_EV_ENTRY, /* function level, before the first access loop */
	SLC_EV_EXIT, /* function level, after an access loop */
	SLC_EV_BEGIN, /* start of an iteration, before a nested access loop */
	SLC_EV_ITER, /* an iteration with no nested access loop */
	SLC_EV_END, /* end of an iteration, after a nested access loop */
	SLC_EV_RETURN /* computes the function's return value */
};

struct slc_callback {
	int id; /* token id, 1-based in source order */
	enum slc_event event;
	struct ir_stmt *loop; /* the access loop whose event it is (NULL: function level) */
	struct ptrvec stmts; /* struct ir_stmt *: execute statements in order */
	struct ptrvec ops; /* struct slc_operand *: values popped, in order */
	struct ptrvec pfs; /* struct slc_prefetch * */
	/* struct slc_operand *: hoisted loads the access side makes but does not
	 * send (only the address of a row sent by value uses them). */
	struct ptrvec local_loads;
	struct ir_expr *ret; /* SLC_EV_RETURN: the returned expression */
	struct ir_loc loc;
	struct slc_align *fused; /* part of a fused segment (iter/end: no token of its own) */
	struct slc_align *advances; /* opens every iteration of an aligned loop: advances its iv */
	int fence; /* the access side waits for the execute side after sending it */
	struct slc_vector *vec; /* runs once per strip of its vectorised loop (-O1) */
	struct slc_buffer *buf; /* a fused segment's lookups, bufferised (-O3) */
};

/* Vectorisation of an access loop (rewriters/vectorise.c, -O1): the access
 * side walks the loop in strips of up to width iterations and sends one
 * token per strip, carrying the strip's length; row elements the callback
 * reads at iv travel as one vector per strip, other operands once per strip,
 * and the execute side runs the callback once per element of the strip,
 * advancing its copy of iv. */
struct slc_vector {
	struct ir_var *iv;
	int width;
	const char *count; /* C text (access side): iterations left, from iv to the bound */
	struct ir_expr *hi; /* the bound */
	const char *n_name; /* the strip length's name on the access side */
	struct slc_callback *cb;
};

/* Bufferisation of a fused segment's per-lookup callback (rewriters/
 * bufferise.c, -O3): every loop of the callback over the columns,
 * "for (d = lo; d < hi; d++) W[X + d] += E;", adds into the same row
 * W[X + lo .. X + hi) with E made of rows R[Y + d], scalars and + - * /.
 * The execute side pops up to DAE_BUFFER_ROWS lookups, and when none of
 * the memory they read lies in the row written, sums them a block of
 * columns at a time in vector registers: each column still takes its rows
 * in bag order, so every result bit is the user's. */
struct slc_buffer {
	struct ir_var *iv; /* d */
	/* Loops that declare d ("for (int d = lo; ...)") each declare their own:
	 * struct ir_var *, the d of every column loop (the same name and type). */
	struct ptrvec ivs;
	int declared; /* the loops declare d */
	struct ir_stmt *first; /* the first column loop (its header gives lo, hi, the step) */
	struct ir_expr *lo, *hi;
	struct ir_expr *write; /* W[X + d] in the first column loop */
	const struct ir_type *elem; /* float or double */
	int vector; /* elements per 64-byte vector */
	struct ptrvec loops; /* struct ir_stmt *: the column loops */
	struct ptrvec reads; /* struct ir_expr *: rows read, R[Y + d] */
	struct ptrvec scalars; /* struct ir_expr *: memory read outside the column loops */
	struct ptrvec locals; /* struct ir_var *: declared by the callback */
};

/* Queue alignment of an access loop (rewriters/align.c). */
struct slc_align {
	struct ir_var *iv; /* kept by the execute side instead of being sent */
	const char *iv_init; /* its first value, as the execute side computes it */
	struct slc_callback *head; /* the callback that opens every iteration */
	/* Segment fusion: the loop's body is [access...] head inner [end], and
	 * inner's body is [access...] iter: one token per iteration carries the
	 * trip count of inner instead of a token per lookup. */
	struct slc_node *inner;
	struct slc_callback *iter, *end;
	const char *count; /* C text (access side): trip count of inner */
};

enum slc_node_kind {
	SLC_LOOP, /* an access loop (a stream over indices, offsets or a cursor) */
	SLC_IF, /* a branch the access side decides */
	SLC_ACCESS, /* an access statement: index or offset loads, cursor arithmetic */
	SLC_CALLBACK, /* compute callback */
	SLC_RETURN, /* the function returns here; cb computes the value (may be NULL) */
	SLC_JUMP, /* break or continue of an access loop */
	SLC_BLOCK, /* a nested { } that scopes access declarations */
};

struct slc_node {
	enum slc_node_kind kind;
	struct ir_stmt *stmt; /* LOOP, IF, ACCESS, RETURN, JUMP */
	struct ptrvec body; /* LOOP body, IF then-branch: struct slc_node * */
	struct ptrvec else_body; /* IF else-branch */
	int has_else;
	struct slc_callback *cb; /* CALLBACK, RETURN */
	const char *text; /* ACCESS: replaces the statement's text (a split declaration) */
	struct slc_align *align; /* LOOP: queue alignment, or NULL */
	struct slc_vector *vec; /* LOOP: vectorised (-O1), or NULL */
};

/* Two variables of one name from different scopes (int row in two sibling
 * blocks) meet at the top of the execute function: the later one is renamed
 * there, in its declaration and in every statement that uses it. */
struct slc_rename {
	const struct ir_var *var;
	const char *name;
};

/* The name of v on the execute side. */
const char *slc_exec_name(const struct slc_program *p, const struct ir_var *v);

/* A pair of accesses that may overlap and must be checked at run time. */
struct slc_guard {
	struct ir_expr *read; /* read by the access side ahead of time */
	struct ir_expr *write; /* written by the execute side */
	struct ir_stmt *read_stmt;
	struct ir_stmt *write_stmt;
};

struct slc_program {
	const struct ir_unit *unit;
	struct ir_func *func;
	struct ptrvec top; /* struct slc_node *: the function body's skeleton */
	struct ptrvec callbacks; /* struct slc_callback *, by id - 1 */
	struct ptrvec access_vars; /* struct ir_var *: params the access side reads */
	struct ptrvec execute_vars; /* struct ir_var *: params the execute side reads */
	struct ptrvec exec_hoisted; /* struct ir_var *: execute locals declared at function level */
	struct ptrvec exec_received; /* struct ir_var *: access values the execute side receives */
	struct ptrvec guards; /* struct slc_guard * */
	const char *op; /* recognised op, e.g. "embedding-bag-sum" */
	const char *aliasing; /* how overlap was ruled out, for the report */
	int nloops; /* loops in the function */
	struct ptrvec renames; /* struct slc_rename *: execute-side names that differ */
	int marshal_data; /* rows travel as data (their elements are operands) */
	int marshal_rows; /* rows travel as data, whole (--marshal=data at -O2, -O3) */
	const char *marshal_note; /* why data marshalling was not used, when asked */
	struct slc_lanes *lanes; /* NULL: one pair runs the whole function */
	const char *lanes_note; /* why not, when lanes is NULL */
	const char *buffer_note; /* -O3: what bufferise did or why not, for the remark */
};

/* The lanes of a program (slc_lanes): its top-level loop's iterations are
 * independent; the sides take a range of iteration numbers. */
struct slc_lanes {
	struct slc_node *loop;
	struct ir_var *iv;
	const char *lo; /* C text: iv's first value */
	const char *trip; /* C text: the trip count, in the caller's names */
	/* struct slc_guard *: a row read that may be another iteration's row
	 * written, checked at run time chunk by chunk as the lanes take them
	 * (libdae runs the rest in order after a chunk that fails); read is
	 * the read, write the write. */
	struct ptrvec guards;
	const char *check; /* C text of NAME__lanes_overlap(dae_a, first, end) when guards.n */
	const char *how; /* why the iterations are independent, for the remark */
	struct slc_fused *fused; /* slc_fuse: the lanes run fused, or NULL */
	const char *fused_note; /* what slc_fuse did or why not */
};

/* Lanes run fused (rewriters/fuse.c, -O3): a lane's chunk is one loop that
 * prefetches iterations ahead (NAME__prefetch, the access side sending
 * nothing) and runs each as written (NAME__direct), the bufferised
 * segment's lookups summed by its helper where the index array holds them. */
struct slc_fused {
	const struct slc_node *seg; /* the segment loop (the lanes loop's align->inner) */
	struct slc_callback *cb; /* its bufferised per-lookup callback */
	struct ir_stmt *block; /* the lanes loop's body */
	struct ir_expr *load; /* A[j]: the lookup's operand, read in place */
	/* "for (d = lo; d < hi; d++) W[X + d] = C;" right before the segment,
	 * folded into the sums' first value; NULL when not folded. */
	struct ir_stmt *zero;
	struct ir_expr *zero_value; /* C */
};

/* Why a function was not decoupled: a message and where. */
struct slc_decline {
	const char *reason;
	struct ir_loc loc;
	int has_loops; /* the function has loops at all (it belongs in the report) */
};

/* Builds the lookup-compute program of f. Returns 0 and fills *p, or -1 with
 * *why set (the function must then be left byte-identical). */
int slc_build(struct arena *a, const struct ir_unit *u, struct ir_func *f, struct slc_program *p,
              struct slc_decline *why);

/* How rows travel. By reference (the default), the access side prefetches
 * a row and the execute side reads it; as data (-O0, Ember's emb-opt0), the
 * access side reads every element and sends it with its own token. */
struct slc_options {
	int marshal_data; /* element by element (-O0, -O1) */
	int marshal_rows; /* whole rows, each one operand (-O2, -O3 with --marshal=data) */
};

int slc_build_opts(struct arena *a, const struct ir_unit *u, struct ir_func *f,
                   struct slc_program *p, struct slc_decline *why, const struct slc_options *opt);

/* Names the op a program implements ("embedding-bag-sum", "spmm", ...), for
 * the report and remarks; it changes nothing in the rewrite. */
const char *slc_recognise(struct arena *a, const struct slc_program *p);

/* Queue alignment (-O3): induction variables the execute side can keep are
 * not sent, and lookup loops with a known trip count send one token per
 * segment. Returns the number of loops aligned. */
int slc_align(struct arena *a, struct slc_program *p);

/* Bufferisation (-O3, after slc_align): the per-lookup callback of a fused
 * segment sums a chunk of lookups a block of columns at a time, when its
 * shape allows (struct slc_buffer). Sets p->buffer_note; returns the number
 * of callbacks bufferised. */
int slc_bufferise(struct arena *a, struct slc_program *p);

/* Vectorisation (-O1): access loops that exist only to send row elements
 * one by one (data marshalling) send strips of vector_bytes instead.
 * Returns the number of loops vectorised. */
int slc_vectorise(struct arena *a, struct slc_program *p, int vector_bytes);

/* How the trip count of "for (i = lo; i < hi; i++)" can be computed so
 * that it is exactly what the loop's test gives: SLC_TRIP_SIGNED (i and hi
 * signed: dae_trip_count), SLC_TRIP_UNSIGNED (unsigned of one size:
 * dae_trip_count_u), or SLC_TRIP_NONE where C's conversions could differ. */
enum slc_trip { SLC_TRIP_NONE, SLC_TRIP_SIGNED, SLC_TRIP_UNSIGNED };
enum slc_trip slc_trip_kind(const struct ir_type *iv, const struct ir_type *hi);

/* The trip count of a counted loop (ir_counted_for, strict "<") as C text
 * ("dae_trip_count(lo, hi)"), valid where the loop starts; NULL when the
 * conversions could differ or the bound changes inside the loop. */
const char *slc_trip_text(struct arena *a, const struct ir_unit *u, struct ir_stmt *loop);

/* Whether e can be computed at any time: constants and unassigned parameters. */
int slc_invariant(struct ir_expr *e);

/* Lanes (rewriters/lanes.c): whether the iterations of the function's one
 * top-level loop are independent, so that libdae may run consecutive
 * chunks of them on several threads at once (dae_run_range). Sets p->lanes,
 * or p->lanes_note saying why not. Returns 1 if p->lanes was set. */
int slc_lanes(struct arena *a, struct slc_program *p);

/* Fusion (-O3, after slc_lanes): whether the lanes may run fused (struct
 * slc_fused). Sets p->lanes->fused_note; returns 1 if p->lanes->fused was
 * set. */
int slc_fuse(struct arena *a, struct slc_program *p);

/* Structural invariants; returns 0 or -1 with a message in *msg. */
int slc_verify(const struct slc_program *p, const char **msg);

void slc_dump(FILE *out, const struct slc_program *p);

/* Source text of sp on one line, runs of white space folded (for dumps). */
void slc_put_flat(FILE *out, const struct ir_unit *u, struct ir_span sp);

/* Completes a list of parameters a generated function copies (the sizes
 * named by pointers to variably modified arrays) and sorts it into the
 * signature's order, so each copy is declared after what its type names. */
void slc_settle_params(struct arena *a, const struct ir_func *f, struct ptrvec *vars);

/* A store a same-file function makes through one of its parameters. */
struct slc_callee_write {
	int param; /* which parameter the memory is reached through */
	const struct ir_type *type; /* type stored, NULL for bytes (memset, memcpy) */
};

/* Summarises what function name (defined in u) writes: fills out and returns
 * the number of writes, or -1 when it writes anything else (globals, through
 * computed pointers), calls unknown functions or is not defined here. */
int slc_callee_writes(const struct ir_unit *u, const char *name, struct slc_callee_write *out,
                      int max);

/* A textual substitution: the node's text (or every use of var) becomes text. */
struct slc_subst {
	const struct ir_expr *node;
	const struct ir_var *var;
	const char *text;
};

/* The source text of span sp with substitutions applied to the nodes found
 * under exprs[] and the statements under stmts[]; NULL when a substitution
 * would have to cut into a macro expansion. */
char *slc_splice(struct arena *a, const struct ir_unit *u, struct ir_span sp,
                 struct ir_expr **exprs, int nexprs, struct ir_stmt **stmts, int nstmts,
                 const struct slc_subst *subs, int nsubs);

const char *slc_kind_name(enum slc_kind k);
const char *slc_event_name(enum slc_event e);

#endif
