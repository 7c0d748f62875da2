/* One input file through the whole pipeline (parse, lift, lookup-compute,
 * decouple, emit edits), self-contained so that several files can run on
 * threads at once: a job owns its arena, its libclang index (inside
 * frontend_parse), its edit lists, its report and its buffered diagnostics,
 * and reads nothing another job writes. main.c merges the jobs' edits, in
 * input order, into the outputs. */
#ifndef DAEC_DRIVER_H
#define DAEC_DRIVER_H

#include <regex.h>
#include <stdio.h>

#include "arena.h"
#include "diag.h"
#include "edits.h"
#include "ir.h"
#include "report.h"

enum emit_level { EMIT_C, EMIT_IR, EMIT_SLC, EMIT_DLC };

/* --at=FILE:LINE[:COL] */
struct at_pos {
	const char *spec; /* as given, for messages */
	const char *file;
	const char *real; /* realpath of file */
	int line;
	int col; /* 0: anywhere on the line */
};

/* How far a job got with one --at position. */
enum at_state {
	AT_UNSEEN, /* its file is not this unit's, and no function of it was lifted */
	AT_NO_LOOP, /* its file is here, but no loop of a function is at the position */
	AT_FILTERED, /* a loop of a header function that --header-filter does not select */
	AT_FOUND, /* the function was selected */
};

/* What daec knows of the machine the code is for (--target). */
struct target_desc {
	const char *name;
	int vector_bytes; /* -O1's vectors */
	int marshal_data; /* the default --marshal */
};

/* The description named name, or NULL. */
const struct target_desc *target_find(const char *name);

/* What to translate and how; shared read-only by every job. */
struct select_opts {
	enum emit_level emit;
	int level; /* -O0 .. -O3 */
	int marshal_rows; /* -O2, -O3: rows travel by value (--marshal=data) */
	int vector_bytes; /* -O1: bytes per vector, from --target */
	const char *const *functions; /* --function (none: every function) */
	int nfunctions;
	const struct at_pos *at;
	int nat;
	const regex_t *header_filter; /* NULL: functions of headers are never rewritten */
	int verify; /* re-parse the rewritten main file; withdraw its rewrites on an error */
};

/* One rewritten function, as --export-fixes shows it. */
struct fn_fix {
	const char *name;
	const char *message; /* the remark's text */
	unsigned name_offset; /* its name, in its file */
	unsigned begin; /* start of the definition: identifies it in its file */
	int first, last; /* its edits: [first, last) of the target's list, in the order added */
};

/* A file that a job rewrites: its main file, or a header. */
struct target {
	const char *path; /* main file: as named on the command line; header: as clang names it */
	const char *real; /* realpath, or NULL (when it cannot be resolved) */
	int is_main;
	int filter; /* header: --header-filter matches (-1: not asked yet) */
	int loaded; /* unit.buf holds the file's bytes */
	/* The unit as the rewriters see this file: for a header, the job's unit
	 * with the header's bytes and #include lines, because function spans
	 * are offsets into the file that defines the function. */
	struct ir_unit unit;
	struct edit_list edits; /* the functions' edits; the #include is added when merging */
	struct fn_fix *fixes;
	int nfixes, capfixes;
	/* Per --at position naming this file: the bytes it covers [lo, hi),
	 * found once per file (lo > hi: past the end; NULL: not computed yet). */
	unsigned *at_lo, *at_hi;
};

struct job {
	const char *input;
	const char **args; /* compiler arguments (allocated in a) */
	int nargs;
	struct arena a;
	struct diag d; /* buffered: diag_text after job_run */
	FILE *diag_out;
	char *diag_text;
	size_t diag_len;
	FILE *dump_out; /* --emit levels other than C, buffered the same way */
	char *dump_text;
	size_t dump_len;
	int failed; /* an error: nothing may be written */
	struct ir_unit u;
	struct report rep;
	struct target **targets; /* [0] is the main file once job_run has parsed it */
	int ntargets, captargets;
	enum at_state *at; /* one per --at position */
};

/* Sets up j for input; diagnostics may be reported to j->d right away. */
void job_init(struct job *j, const char *input, int quiet, int nat);
/* Runs the pipeline on j->input with j->args. Everything j prints is
 * buffered in j->diag_text and j->dump_text; sets j->failed on an error. */
void job_run(const struct select_opts *o, struct job *j);
void job_exit(struct job *j);

/* The #include directives of a file's bytes, as spans (for a header, whose
 * directives libclang does not hand out): "#include" lines outside comments. */
void scan_includes(struct arena *a, const char *buf, size_t len, struct ir_span **spans, int *n);

#endif
