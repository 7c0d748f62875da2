/* daec: C source-to-source translator to decoupled access/execute code.
 *
 * The whole pipeline is in translate_function() and main():
 *   parse (libclang) -> lift to loop IR -> build the lookup-compute program
 *   -> verify -> decouple -> verify -> emit C edits -> splice -> write.
 * Each stage lives in its own file; this one only chains them and handles
 * the command line and outputs. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "dlc.h"
#include "edits.h"
#include "emit_c.h"
#include "frontend.h"
#include "ir.h"
#include "ir_dump.h"
#include "outfile.h"
#include "report.h"
#include "slc.h"

enum emit_level { EMIT_C, EMIT_IR, EMIT_SLC, EMIT_DLC };

struct options {
	const char *input;
	const char *output;
	const char *report;
	enum emit_level emit;
	const char **functions;
	int nfunctions;
	const char *const *cc_args;
	int ncc_args;
	int quiet;
	int level; /* -O0 .. -O3 */
};

static void usage(FILE *out)
{
	fputs("usage: daec [options] FILE.c [-- COMPILER_ARGS...]\n"
	      "\n"
	      "Rewrites the embedding-lookup loops of FILE.c (embedding bags, SparseLengthsSum,\n"
	      "gathers) into decoupled access/execute functions that run on libdae, and writes\n"
	      "the translation unit, otherwise byte for byte unchanged.\n"
	      "\n"
	      "options:\n"
	      "  -o FILE              write the rewritten file to FILE (default: standard output)\n"
	      "  --report=FILE        write a JSON report: every function with loops, whether it\n"
	      "                       was decoupled, the op recognised, and why not\n"
	      "  --emit=LEVEL         print a program level instead of C: ir, lookup-compute,\n"
	      "                       decoupled, or c (the default)\n"
	      "  -O0 .. -O3           optimisation level of the decoupled program (default -O3):\n"
	      "                       -O3 aligns queues: induction variables the execute side can\n"
	      "                       keep are not sent, and lookup loops with a known trip count\n"
	      "                       send one token per segment instead of one per lookup\n"
	      "  --function=NAME      only consider function NAME (may be repeated)\n"
	      "  -q, --quiet          no remarks on standard error\n"
	      "  --help               show this help\n"
	      "  --version            show the version\n"
	      "\n"
	      "Arguments after -- go to the compiler front end (-I, -D, -std, ...).\n"
	      "\n"
	      "Diagnostics go to standard error as FILE:LINE:COL: LEVEL: MESSAGE. A function is\n"
	      "left byte-identical, with a remark giving the reason, whenever daec cannot show\n"
	      "that the rewrite keeps its behaviour.\n"
	      "\n"
	      "exit status:\n"
	      "  0  the file was processed (even if nothing was decoupled)\n"
	      "  1  the input could not be parsed, or an output could not be written\n"
	      "     (no output file is left behind)\n"
	      "  2  wrong usage\n",
	      out);
}

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	        {"report", required_argument, NULL, 'r'},
	        {"emit", required_argument, NULL, 'e'},
	        {"function", required_argument, NULL, 'f'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	memset(o, 0, sizeof(*o));
	o->output = "-";
	o->level = 3;
	/* Everything after "--" belongs to the compiler. */
	int end = argc;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--")) {
			end = i;
			o->cc_args = (const char *const *)argv + i + 1;
			o->ncc_args = argc - i - 1;
			break;
		}
	o->functions = calloc((size_t)argc, sizeof(char *));
	int c;
	opterr = 0;
	while ((c = getopt_long(end, argv, "o:qhO:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'r':
			o->report = optarg;
			break;
		case 'e':
			if (!strcmp(optarg, "c"))
				o->emit = EMIT_C;
			else if (!strcmp(optarg, "ir"))
				o->emit = EMIT_IR;
			else if (!strcmp(optarg, "lookup-compute"))
				o->emit = EMIT_SLC;
			else if (!strcmp(optarg, "decoupled"))
				o->emit = EMIT_DLC;
			else {
				fprintf(stderr, "daec: error: unknown --emit level '%s'\n", optarg);
				return 2;
			}
			break;
		case 'f':
			o->functions[o->nfunctions++] = optarg;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'O':
			if (optarg[0] < '0' || optarg[0] > '3' || optarg[1]) {
				fprintf(stderr, "daec: error: unknown optimisation level '-O%s'\n",
				        optarg);
				return 2;
			}
			o->level = optarg[0] - '0';
			break;
		case 'h':
			usage(stdout);
			free(o->functions);
			exit(0);
		case 'V':
			printf("daec %s (libclang 19)\n", DAEC_VERSION);
			free(o->functions);
			exit(0);
		default:
			fprintf(stderr, "daec: error: unknown or incomplete option '%s'\n",
			        argv[optind - 1]);
			fputs("usage: daec [options] FILE.c [-- COMPILER_ARGS...] (see daec "
			      "--help)\n",
			      stderr);
			return 2;
		}
	}
	if (optind != end - 1) {
		fputs(optind >= end ? "daec: error: no input file\n"
		                    : "daec: error: more than one input file\n",
		      stderr);
		fputs("usage: daec [options] FILE.c [-- COMPILER_ARGS...] (see daec --help)\n",
		      stderr);
		return 2;
	}
	o->input = argv[optind];
	return 0;
}

static int selected(const struct options *o, const struct ir_func *f)
{
	if (!f->in_main_file)
		return 0;
	/* daec's own output: the kept original and the generated halves. */
	static const char *const own[] = {"__reference", "__access", "__execute"};
	size_t n = strlen(f->name);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		size_t k = strlen(own[i]);
		if (n > k && !strcmp(f->name + n - k, own[i]))
			return 0;
	}
	if (!o->nfunctions)
		return 1;
	for (int i = 0; i < o->nfunctions; i++)
		if (!strcmp(o->functions[i], f->name))
			return 1;
	return 0;
}

/* One function through the pipeline. Returns 1 if it was rewritten. */
static int translate_function(struct arena *a, const struct options *o, const struct ir_unit *u,
                              struct ir_func *f, struct edit_list *edits, struct report *rep,
                              struct diag *d)
{
	struct slc_program slc;
	struct slc_decline why;
	struct dlc_program dlc;
	const char *msg = NULL;
	int rc = slc_build(a, u, f, &slc, &why);
	if (rc == 0 && o->level >= 3)
		slc_align(a, &slc);
	if (rc == 0 && slc_verify(&slc, &msg)) {
		why.reason =
		        arena_printf(a, "internal error in the lookup-compute program: %s", msg);
		why.loc = f->loc;
		rc = -1;
	}
	if (rc == 0) {
		dlc_decouple(a, &slc, &dlc);
		if (dlc_verify(&dlc, &msg)) {
			why.reason =
			        arena_printf(a, "internal error in the decoupled program: %s", msg);
			why.loc = f->loc;
			rc = -1;
		}
	}
	if (rc == 0 && o->emit == EMIT_C) {
		int mark = edits->n;
		if (emit_c_function(a, &dlc, edits, &msg)) {
			edits_truncate(edits, mark);
			why.reason = msg;
			why.loc = f->loc;
			rc = -1;
		}
	}
	if (!why.has_loops && rc != 0)
		return 0;
	struct report_fn *r = report_add(rep);
	r->name = f->name;
	r->line = f->loc.line;
	r->column = f->loc.col;
	r->loops = slc.nloops;
	r->decoupled = rc == 0;
	r->op = rc == 0 ? slc.op : NULL;
	if (rc == 0) {
		r->overlap = slc.aliasing;
		r->callbacks = slc.callbacks.n;
		diag_report(d, DIAG_REMARK, u->path, f->loc.line, f->loc.col,
		            "decoupled '%s' (%s): %d callback%s; overlap with index arrays: %s",
		            f->name, slc.op ? slc.op : "lookup", slc.callbacks.n,
		            slc.callbacks.n == 1 ? "" : "s", slc.aliasing);
	} else {
		r->reason = why.reason;
		r->reason_line = why.loc.line;
		r->reason_column = why.loc.col;
		diag_report(d, DIAG_REMARK, u->path, why.loc.line ? why.loc.line : f->loc.line,
		            why.loc.line ? why.loc.col : f->loc.col, "'%s' not decoupled: %s",
		            f->name, why.reason);
	}
	if (rc == 0 && o->emit == EMIT_SLC)
		slc_dump(stdout, &slc);
	if (rc == 0 && o->emit == EMIT_DLC)
		dlc_dump(stdout, &dlc);
	return rc == 0;
}

int main(int argc, char **argv)
{
	struct options o;
	int rc = parse_args(argc, argv, &o);
	if (rc) {
		free(o.functions);
		return rc;
	}

	struct diag d;
	diag_init(&d, stderr);
	d.remarks = !o.quiet;
	struct arena a;
	arena_init(&a);
	struct ir_unit u;
	/* daec's own runtime headers are always found (after the user's paths),
	 * so its output, which includes <dae/dae.h>, can be read back. */
	const char **args = calloc((size_t)o.ncc_args + 4, sizeof(char *));
	for (int i = 0; i < o.ncc_args; i++)
		args[i] = o.cc_args[i];
	int nargs = o.ncc_args;
	args[nargs++] = "-idirafter";
	args[nargs++] = DAEC_DAE_INCLUDE_DIR;
	args[nargs++] = "-idirafter";
	args[nargs++] = DAEC_DAE_SOURCE_INCLUDE_DIR;
	struct frontend_opts fo = {o.input, args, nargs, NULL};
	if (frontend_parse(&fo, &a, &d, &u)) {
		arena_exit(&a);
		free(o.functions);
		free(args);
		return 1;
	}

	struct edit_list edits;
	edits_init(&edits);
	struct report rep;
	report_init(&rep, o.input);
	int first = -1;
	for (int i = 0; i < u.nfuncs; i++) {
		struct ir_func *f = u.funcs[i];
		if (!selected(&o, f))
			continue;
		if (o.emit == EMIT_IR) {
			ir_dump_func(stdout, &u, f);
			continue;
		}
		if (translate_function(&a, &o, &u, f, &edits, &rep, &d) && first < 0)
			first = i;
	}

	/* Stage every output before renaming any, so a failure leaves none behind. */
	rc = 0;
	struct strbuf out;
	strbuf_init(&out);
	char *json = NULL;
	struct outfile files[2];
	int nfiles = 0;
	if (o.emit == EMIT_C) {
		if (first >= 0)
			emit_c_include(&u, u.funcs[first]->span.begin, &edits);
		if (edits_apply(&edits, u.buf, u.len, &out)) {
			diag_report(&d, DIAG_ERROR, o.input, 0, 0,
			            "internal error: overlapping edits");
			rc = 1;
		} else if (outfile_stage(&files[nfiles], o.output, out.s, out.len, &d)) {
			rc = 1;
		} else {
			nfiles++;
		}
	}
	if (!rc && o.report) {
		json = report_json(&rep);
		if (!json) {
			diag_report(&d, DIAG_ERROR, o.report, 0, 0, "cannot encode the report");
			rc = 1;
		} else if (outfile_stage(&files[nfiles], o.report, json, strlen(json), &d)) {
			rc = 1;
		} else {
			nfiles++;
		}
	}
	for (int i = 0; i < nfiles; i++) {
		if (rc)
			outfile_abort(&files[i]);
		else if (outfile_commit(&files[i], &d))
			rc = 1;
	}
	free(json);
	strbuf_exit(&out);
	report_exit(&rep);
	edits_exit(&edits);
	arena_exit(&a);
	free(o.functions);
	free(args);
	return rc;
}
