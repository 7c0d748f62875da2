/* daec: C source-to-source translator to decoupled access/execute code.
 *
 * The pipeline of one file is in driver.c (job_run, translate_function):
 *   parse (libclang) -> lift to loop IR -> build the lookup-compute program
 *   -> align -> verify -> decouple -> verify -> emit C edits.
 * This file handles the command line, runs the files (on threads with -j),
 * prints their diagnostics in input order, merges their edits into one edit
 * list per file written (main files and selected headers), and derives every
 * output from those lists: the rewritten files (-o, -i, standard output),
 * --diff, --export-fixes and --report. Everything is staged before anything
 * is written. */
#include <getopt.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "compdb.h"
#include "diag.h"
#include "driver.h"
#include "edits.h"
#include "emit_c.h"
#include "fixits.h"
#include "outfile.h"
#include "paths.h"
#include "report.h"
#include "unidiff.h"

/* Exit statuses, documented in usage() and docs/daec.1. */
enum {
	EXIT_OK = 0,
	EXIT_FAILED = 1, /* an input, a merge or an output failed: nothing written */
	EXIT_USAGE = 2,
	EXIT_COMPDB = 3, /* -p: no usable database, or a file it does not list */
};

struct options {
	const char **inputs;
	int ninputs;
	const char *output; /* -o; NULL when not given */
	const char *report;
	const char *export_fixes;
	const char *build_dir; /* -p */
	int in_place;
	int diff;
	int jobs;
	int quiet;
	struct select_opts sel;
	const char **functions;
	struct at_pos *at;
	const char *header_filter;
	regex_t header_regex;
	const char *const *cc_args;
	int ncc_args;
};

static const char usage_line[] =
        "usage: daec [options] FILE.c... [-- COMPILER_ARGS...] (see daec --help)\n";

static void usage(FILE *out)
{
	fputs("usage: daec [options] FILE.c... [-- COMPILER_ARGS...]\n"
	      "\n"
	      "Rewrites the embedding-lookup loops of each FILE.c (embedding bags,\n"
	      "SparseLengthsSum, gathers) into decoupled access/execute functions that run\n"
	      "on libdae; the rest of each file is left byte for byte unchanged.\n"
	      "\n"
	      "outputs (all made from one edit list per file, so they always agree):\n"
	      "  -o FILE              write the rewritten file to FILE (one input only).\n"
	      "                       Without -o, -i, --diff and --export-fixes, it goes to\n"
	      "                       standard output\n"
	      "  -i, --in-place       rewrite the inputs (and headers selected by\n"
	      "                       --header-filter) in place; files with nothing to\n"
	      "                       rewrite are not touched\n"
	      "  --diff               print a unified diff (a/PATH, b/PATH relative to the\n"
	      "                       current directory) for git apply or patch -p1\n"
	      "  --export-fixes=FILE  write the edits as clang-tidy fixes (YAML) for\n"
	      "                       clang-apply-replacements: one \"daec-decouple\"\n"
	      "                       diagnostic per rewritten function\n"
	      "  --report=FILE        write a JSON report: every function with loops,\n"
	      "                       whether it was decoupled, the op recognised, and why\n"
	      "                       not. Several inputs: {\"daec_version\", \"files\": [...]}\n"
	      "  --emit=LEVEL         print a program level instead of C: ir,\n"
	      "                       lookup-compute, decoupled, or c (the default)\n"
	      "\n"
	      "what to rewrite (by default every function of the inputs):\n"
	      "  --function=NAME      function NAME (may be repeated)\n"
	      "  --at=FILE:LINE[:COL] the function with a loop at that position (may be\n"
	      "                       repeated; without COL, anywhere on the line); with\n"
	      "                       --function, a function named by either\n"
	      "  --header-filter=REGEX\n"
	      "                       also functions defined in included headers whose name\n"
	      "                       (as the compiler spells it) matches REGEX (POSIX\n"
	      "                       extended); their edits go to the header (not with -o)\n"
	      "\n"
	      "compiler arguments:\n"
	      "  -p BUILD_DIR         take each file's arguments from\n"
	      "                       BUILD_DIR/compile_commands.json\n"
	      "  -- ARGS...           arguments for the compiler front end (-I, -D, -std, ...);\n"
	      "                       with -p they follow the database's, and are used alone\n"
	      "                       for a file the database does not list\n"
	      "\n"
	      "other options:\n"
	      "  -O0 .. -O3           optimisation level of the decoupled program (default\n"
	      "                       -O3), each one more pass: -O0 sends every row element\n"
	      "                       with its own token; -O1 sends them in vectors, one\n"
	      "                       token per vector; -O2 sends whole rows (by reference\n"
	      "                       or by value, see --marshal), one token per lookup;\n"
	      "                       -O3 aligns queues: induction variables the execute\n"
	      "                       side can keep are not sent, and lookup loops with a\n"
	      "                       known trip count send one token per segment\n"
	      "  --marshal=data|ref   how -O2 and -O3 send a row: its address, after\n"
	      "                       prefetching it (ref, the fast choice on CPUs), or its\n"
	      "                       values, read by the access side (data, as a hardware\n"
	      "                       access unit does). Default: the target's\n"
	      "  --target=cpu|tmu     the machine the code is for: its vector width (-O1)\n"
	      "                       and default marshalling. cpu (the default): 32-byte\n"
	      "                       vectors, ref; tmu (a TMU-like DAE machine, like libdae's\n"
	      "                       timing-model preset): 64-byte vectors, data\n"
	      "  -j N, --jobs=N       translate N files at once (default 1; 0: one per CPU);\n"
	      "                       the outputs do not depend on N\n"
	      "  -q, --quiet          no remarks on standard error\n"
	      "  --verify             parse each rewritten file before writing it; if it does not\n"
	      "                       compile, withdraw its rewrites (a safety net; a second "
	      "parse)\n"
	      "  --help               show this help\n"
	      "  --version            show the version\n"
	      "\n"
	      "With several inputs, -i, --diff, --export-fixes or --report is needed.\n"
	      "Diagnostics go to standard error as FILE:LINE:COL: LEVEL: MESSAGE, file by\n"
	      "file in input order (with a progress line when standard error is a\n"
	      "terminal). A function is left byte-identical, with a remark giving the\n"
	      "reason, whenever daec cannot show that the rewrite keeps its behaviour.\n"
	      "\n"
	      "exit status:\n"
	      "  0  every file was processed (even if nothing was decoupled)\n"
	      "  1  an input could not be read or parsed, two files rewrite a header\n"
	      "     differently, or an output could not be written: nothing is written\n"
	      "  2  wrong usage\n"
	      "  3  -p: no usable compile_commands.json in BUILD_DIR, or an input it does\n"
	      "     not list (without arguments after --)\n",
	      out);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("daec: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fputs(usage_line, stderr);
	return EXIT_USAGE;
}

/* FILE:LINE[:COL], read from the right so that FILE may hold colons. */
static int parse_at(const char *spec, struct at_pos *p)
{
	char *s = strdup(spec);
	if (!s)
		abort();
	int nums[2], n = 0;
	while (n < 2) {
		char *colon = strrchr(s, ':');
		if (!colon || !colon[1] || colon == s)
			break;
		char *end;
		long v = strtol(colon + 1, &end, 10);
		if (*end || v <= 0 || v > 1000000000)
			break;
		nums[n++] = (int)v;
		*colon = '\0';
	}
	if (n == 0) {
		free(s);
		return -1;
	}
	p->spec = spec;
	p->file = s; /* lives as long as the program */
	p->line = n == 2 ? nums[1] : nums[0];
	p->col = n == 2 ? nums[0] : 0;
	char *real = realpath(s, NULL);
	p->real = real;
	return real ? 0 : -2;
}

static int twice(const struct options *o);

static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
	        {"report", required_argument, NULL, 'r'},
	        {"emit", required_argument, NULL, 'e'},
	        {"function", required_argument, NULL, 'f'},
	        {"at", required_argument, NULL, 'a'},
	        {"header-filter", required_argument, NULL, 'H'},
	        {"in-place", no_argument, NULL, 'i'},
	        {"diff", no_argument, NULL, 'D'},
	        {"export-fixes", required_argument, NULL, 'x'},
	        {"jobs", required_argument, NULL, 'j'},
	        {"quiet", no_argument, NULL, 'q'},
	        {"verify", no_argument, NULL, 'W'},
	        {"marshal", required_argument, NULL, 'M'},
	        {"target", required_argument, NULL, 'T'},
	        {"help", no_argument, NULL, 'h'},
	        {"version", no_argument, NULL, 'V'},
	        {NULL, 0, NULL, 0},
	};
	o->sel.level = 3;
	o->jobs = 1;
	int marshal = -1; /* -1: the target's */
	const struct target_desc *tgt = target_find("cpu");
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
	o->at = calloc((size_t)argc, sizeof(*o->at));
	o->inputs = calloc((size_t)argc, sizeof(char *));
	if (!o->functions || !o->at || !o->inputs)
		abort();
	int c;
	opterr = 0;
	while ((c = getopt_long(end, argv, "o:qhO:ip:j:", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'r':
			o->report = optarg;
			break;
		case 'x':
			o->export_fixes = optarg;
			break;
		case 'i':
			o->in_place = 1;
			break;
		case 'D':
			o->diff = 1;
			break;
		case 'p':
			o->build_dir = optarg;
			break;
		case 'j': {
			char *e;
			long v = strtol(optarg, &e, 10);
			if (*e || !*optarg || v < 0 || v > 1024)
				return usage_error(
				        "-j wants a number of jobs (0 to 1024), not '%s'", optarg);
			o->jobs = v ? (int)v : (int)sysconf(_SC_NPROCESSORS_ONLN);
			if (o->jobs < 1)
				o->jobs = 1;
			break;
		}
		case 'e':
			if (!strcmp(optarg, "c"))
				o->sel.emit = EMIT_C;
			else if (!strcmp(optarg, "ir"))
				o->sel.emit = EMIT_IR;
			else if (!strcmp(optarg, "lookup-compute"))
				o->sel.emit = EMIT_SLC;
			else if (!strcmp(optarg, "decoupled"))
				o->sel.emit = EMIT_DLC;
			else
				return usage_error("unknown --emit level '%s'", optarg);
			break;
		case 'f':
			o->functions[o->sel.nfunctions++] = optarg;
			break;
		case 'a': {
			int rc = parse_at(optarg, &o->at[o->sel.nat]);
			if (rc == -1)
				return usage_error("--at wants FILE:LINE[:COL], not '%s'", optarg);
			o->sel.nat++; /* freed by free_options either way */
			if (rc == -2)
				return usage_error("--at: no such file: '%s'",
				                   o->at[o->sel.nat - 1].file);
			break;
		}
		case 'H':
			if (o->header_filter)
				regfree(&o->header_regex);
			o->header_filter = optarg;
			if (regcomp(&o->header_regex, optarg, REG_EXTENDED | REG_NOSUB)) {
				o->header_filter = NULL;
				return usage_error(
				        "--header-filter: invalid regular expression '%s'", optarg);
			}
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'W':
			o->sel.verify = 1;
			break;
		case 'M':
			if (!strcmp(optarg, "data"))
				marshal = 1;
			else if (!strcmp(optarg, "ref"))
				marshal = 0;
			else
				return usage_error("--marshal wants data or ref, not '%s'", optarg);
			break;
		case 'T':
			tgt = target_find(optarg);
			if (!tgt)
				return usage_error("unknown --target '%s' (known: cpu, tmu)",
				                   optarg);
			break;
		case 'O':
			if (optarg[0] < '0' || optarg[0] > '3' || optarg[1])
				return usage_error("unknown optimisation level '-O%s'", optarg);
			o->sel.level = optarg[0] - '0';
			break;
		case 'h':
			usage(stdout);
			exit(EXIT_OK);
		case 'V':
			printf("daec %s (libclang 19)\n", DAEC_VERSION);
			exit(EXIT_OK);
		default:
			return usage_error("unknown or incomplete option '%s'", argv[optind - 1]);
		}
	}
	for (int i = optind; i < end; i++)
		o->inputs[o->ninputs++] = argv[i];
	/* -O0 and -O1 are the levels where elements travel one by one or in
	 * vectors: asking them for references contradicts the level. */
	if (marshal == 0 && o->sel.level <= 1)
		return usage_error(
		        "--marshal=ref needs -O2 or -O3: -O%d sends row elements as data",
		        o->sel.level);
	o->sel.marshal_rows = o->sel.level >= 2 && (marshal < 0 ? tgt->marshal_data : marshal);
	o->sel.vector_bytes = tgt->vector_bytes;
	o->sel.functions = o->functions;
	o->sel.at = o->at;
	o->sel.header_filter = o->header_filter ? &o->header_regex : NULL;

	if (!o->ninputs)
		return usage_error("%s", "no input file");
	if (o->output && o->ninputs > 1)
		return usage_error("%s", "-o takes one input file (use -i or --diff for several)");
	if (o->output && o->in_place)
		return usage_error("%s", "-o and -i exclude each other");
	if (o->sel.emit != EMIT_C && (o->output || o->in_place || o->diff || o->export_fixes))
		return usage_error("%s", "--emit prints a program level: it does not go with -o, "
		                         "-i, --diff or --export-fixes");
	int file_out = o->in_place || o->diff || o->export_fixes;
	if (o->sel.emit == EMIT_C && o->ninputs > 1 && !file_out && !o->report)
		return usage_error("%s", "several input files need -i, --diff, --export-fixes or "
		                         "--report");
	/* The rewritten file goes to standard output unless another output
	 * carries it; two outputs on standard output would mix. */
	if (o->sel.emit == EMIT_C && !o->output && !file_out && o->ninputs == 1)
		o->output = "-";
	if (o->diff && o->output && !strcmp(o->output, "-"))
		return usage_error("%s", "--diff and the rewritten file cannot both go to "
		                         "standard output (use -o FILE)");
	return twice(o);
}

static int cmp_real(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;
	return strcmp(a[0], b[0]);
}

/* An input named twice would be rewritten twice (and -i would write it twice). */
static int twice(const struct options *o)
{
	/* Pairs (real path, name as given), sorted by real path. */
	const char **v = calloc(2 * (size_t)o->ninputs, sizeof(*v));
	if (!v)
		abort();
	int n = 0, rc = EXIT_OK;
	for (int i = 0; i < o->ninputs; i++) {
		char *real = realpath(o->inputs[i], NULL);
		if (!real)
			continue; /* reported when it is opened */
		v[2 * n] = real;
		v[2 * n + 1] = o->inputs[i];
		n++;
	}
	qsort(v, (size_t)n, 2 * sizeof(*v), cmp_real);
	for (int i = 1; i < n && !rc; i++)
		if (!strcmp(v[2 * i], v[2 * i - 2]))
			rc = usage_error("'%s' is given twice", v[2 * i + 1]);
	for (int i = 0; i < n; i++)
		free((char *)v[2 * i]);
	free(v);
	return rc;
}

/* ---- running the jobs ---- */

struct pool {
	const struct select_opts *sel;
	struct job *jobs;
	int n;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int next; /* next job to start */
	int ndone;
	char *done;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		pthread_mutex_lock(&p->mu);
		int i = p->next < p->n ? p->next++ : -1;
		pthread_mutex_unlock(&p->mu);
		if (i < 0)
			return NULL;
		job_run(p->sel, &p->jobs[i]);
		pthread_mutex_lock(&p->mu);
		p->done[i] = 1;
		p->ndone++;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
	}
}

/* The progress line: only on a terminal, and erased before any diagnostic
 * is printed, so that logs and pipes never see it. */
struct progress {
	int on;
	int shown;
};

static void progress_clear(struct progress *pr)
{
	if (pr->shown) {
		fputs("\r\033[K", stderr);
		pr->shown = 0;
	}
}

static void progress_show(struct progress *pr, int done, int n, const char *next)
{
	if (!pr->on)
		return;
	fprintf(stderr, "\r\033[Kdaec: [%d/%d]%s%s", done, n, next ? " " : "", next ? next : "");
	fflush(stderr);
	pr->shown = 1;
}

static void flush_job(struct progress *pr, struct job *j)
{
	if (j->dump_len) {
		fwrite(j->dump_text, 1, j->dump_len, stdout);
		fflush(stdout);
	}
	if (j->diag_len) {
		progress_clear(pr);
		fwrite(j->diag_text, 1, j->diag_len, stderr);
		fflush(stderr);
	}
}

/* Runs every job, with up to njobs threads, and prints each job's
 * diagnostics as soon as it and all jobs before it are done. */
static void run_jobs(const struct select_opts *sel, struct job *jobs, int n, int njobs)
{
	struct progress pr = {isatty(STDERR_FILENO) && n > 1, 0};
	if (njobs > n)
		njobs = n;
	if (njobs <= 1) {
		for (int i = 0; i < n; i++) {
			progress_show(&pr, i, n, jobs[i].input);
			job_run(sel, &jobs[i]);
			flush_job(&pr, &jobs[i]);
		}
		progress_clear(&pr);
		return;
	}
	struct pool p = {.sel = sel,
	                 .jobs = jobs,
	                 .n = n,
	                 .mu = PTHREAD_MUTEX_INITIALIZER,
	                 .cv = PTHREAD_COND_INITIALIZER,
	                 .done = calloc((size_t)n, 1)};
	pthread_t *tids = calloc((size_t)njobs, sizeof(*tids));
	if (!p.done || !tids)
		abort();
	/* Lifting recurses over nested statements: give each thread at least
	 * the 8 MiB a main thread usually has. */
	pthread_attr_t attr;
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 16u << 20);
	int started = 0;
	for (int t = 0; t < njobs; t++)
		if (pthread_create(&tids[started], &attr, worker, &p) == 0)
			started++;
	pthread_attr_destroy(&attr);
	if (!started)
		worker(&p);
	int printed = 0;
	pthread_mutex_lock(&p.mu);
	while (printed < n) {
		if (!p.done[printed]) {
			progress_show(&pr, p.ndone, n, jobs[printed].input);
			pthread_cond_wait(&p.cv, &p.mu);
			continue;
		}
		pthread_mutex_unlock(&p.mu);
		flush_job(&pr, &jobs[printed++]);
		pthread_mutex_lock(&p.mu);
	}
	pthread_mutex_unlock(&p.mu);
	progress_clear(&pr);
	for (int t = 0; t < started; t++)
		pthread_join(tids[t], NULL);
	free(tids);
	free(p.done);
	pthread_mutex_destroy(&p.mu);
	pthread_cond_destroy(&p.cv);
}

/* ---- merging the jobs' edits: one edit list per file written ---- */

struct gfix {
	const struct fn_fix *fix;
	const char *unit_path; /* the input whose unit rewrote it, for messages */
	int first, last; /* its edits in the merged list, in the order added */
};

struct gtarget {
	const char *path; /* as the first job named it */
	const char *key; /* realpath, else the absolute lexical path */
	const char *abs; /* for --export-fixes */
	const char *rel; /* for --diff */
	const struct ir_unit *unit; /* bytes and #include lines */
	int is_main;
	struct edit_list edits;
	struct gfix *fixes;
	int nfixes, capfixes;
	struct strbuf out; /* the rewritten bytes */
	int changed;
	struct edit_list coal; /* edits_coalesce of edits */
	int *coal_owner; /* per edit of coal: index into fixes */
};

struct merge {
	struct arena a;
	const char *cwd;
	struct gtarget **v;
	int n, cap;
};

static struct gtarget *gtarget_for(struct merge *m, const struct target *t)
{
	const char *abs = path_absolute(&m->a, m->cwd, t->path);
	const char *key = t->real ? t->real : abs;
	for (int i = 0; i < m->n; i++)
		if (!strcmp(m->v[i]->key, key))
			return m->v[i];
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->v = realloc(m->v, sizeof(*m->v) * (size_t)m->cap);
		if (!m->v)
			abort();
	}
	struct gtarget *g = ARENA_NEW(&m->a, struct gtarget);
	g->path = t->path;
	g->key = key;
	g->abs = t->real ? t->real : abs;
	g->rel = path_relative(&m->a, abs, m->cwd);
	g->unit = &t->unit;
	g->is_main = t->is_main;
	edits_init(&g->edits);
	edits_init(&g->coal);
	strbuf_init(&g->out);
	m->v[m->n++] = g;
	return g;
}

static int same_edits(const struct target *t, const struct fn_fix *f, const struct gtarget *g,
                      const struct gfix *h)
{
	if (f->last - f->first != h->last - h->first)
		return 0;
	for (int k = 0; k < f->last - f->first; k++) {
		const struct edit *x = &t->edits.v[f->first + k], *y = &g->edits.v[h->first + k];
		if (x->begin != y->begin || x->end != y->end || strcmp(x->text, y->text))
			return 0;
	}
	return 1;
}

/* Adds a job's target. A header included by several inputs is rewritten by
 * each of them: the same function must come out the same, and is kept once. */
static int merge_target(struct merge *m, const struct job *j, const struct target *t,
                        struct diag *d)
{
	struct gtarget *g = gtarget_for(m, t);
	if (g->unit != &t->unit && t->loaded &&
	    (g->unit->len != t->unit.len || memcmp(g->unit->buf, t->unit.buf, t->unit.len))) {
		diag_report(d, DIAG_ERROR, t->path, 0, 0,
		            "the file changed while daec read it (for %s and again for %s)",
		            g->unit->path, j->input);
		return -1;
	}
	/* Only another job can have rewritten the same function already. */
	int shared = g->unit != &t->unit;
	for (int i = 0; i < t->nfixes; i++) {
		const struct fn_fix *f = &t->fixes[i];
		struct gfix *h = NULL;
		for (int k = 0; shared && k < g->nfixes && !h; k++)
			if (g->fixes[k].fix->begin == f->begin)
				h = &g->fixes[k];
		if (h) {
			if (same_edits(t, f, g, h))
				continue;
			diag_report(d, DIAG_ERROR, t->path, 0, 0,
			            "'%s' is rewritten differently for %s and for %s (the header "
			            "reads differently in the two files: macros?); nothing written",
			            f->name, h->unit_path, j->input);
			return -1;
		}
		if (g->nfixes == g->capfixes) {
			g->capfixes = g->capfixes ? 2 * g->capfixes : 8;
			struct gfix *v = arena_alloc(&m->a, sizeof(*v) * (size_t)g->capfixes);
			if (g->nfixes)
				memcpy(v, g->fixes, sizeof(*v) * (size_t)g->nfixes);
			g->fixes = v;
		}
		h = &g->fixes[g->nfixes++];
		h->fix = f;
		h->unit_path = j->input;
		h->first = g->edits.n;
		for (int k = f->first; k < f->last; k++)
			edits_add(&g->edits, t->edits.v[k].begin, t->edits.v[k].end,
			          t->edits.v[k].text);
		h->last = g->edits.n;
	}
	return 0;
}

struct owned {
	struct edit e;
	int owner; /* index into fixes */
};

static int cmp_owned(const void *x, const void *y)
{
	return edits_compare(&((const struct owned *)x)->e, &((const struct owned *)y)->e);
}

/* The merged list gets its #include, is spliced, and is coalesced for the
 * fix file, each edit keeping the function it belongs to. */
static int finish_target(struct merge *m, struct gtarget *g, struct diag *d)
{
	int inc_owner = -1;
	if (g->nfixes) {
		inc_owner = 0;
		for (int k = 1; k < g->nfixes; k++)
			if (g->fixes[k].fix->begin < g->fixes[inc_owner].fix->begin)
				inc_owner = k;
		/* The #include belongs to the first function rewritten. */
		emit_c_include(g->unit, g->fixes[inc_owner].fix->begin, &g->edits);
	}
	int n = g->edits.n;
	struct owned *v = calloc((size_t)n + 1, sizeof(*v));
	if (!v)
		abort();
	for (int e = 0; e < n; e++)
		v[e] = (struct owned){g->edits.v[e], inc_owner};
	for (int k = 0; k < g->nfixes; k++)
		for (int e = g->fixes[k].first; e < g->fixes[k].last; e++)
			v[e].owner = k;
	/* Sorted as edits_sort sorts, owners alongside. */
	qsort(v, (size_t)n, sizeof(*v), cmp_owned);
	for (int e = 0; e < n; e++)
		g->edits.v[e] = v[e].e;
	int rc = 0;
	if (edits_check(&g->edits, g->unit->len) ||
	    edits_apply(&g->edits, g->unit->buf, g->unit->len, &g->out)) {
		diag_report(d, DIAG_ERROR, g->path, 0, 0, "internal error: overlapping edits");
		rc = -1;
	} else {
		g->changed =
		        g->out.len != g->unit->len || memcmp(g->out.s, g->unit->buf, g->out.len);
		/* A merged edit belongs to the function of its first part: the
		 * first sorted edit at its offset (earlier runs end before it). */
		edits_coalesce(&g->edits, &m->a, &g->coal);
		g->coal_owner = arena_alloc(&m->a, sizeof(int) * (size_t)(g->coal.n + 1));
		int p = 0;
		for (int k = 0; k < g->coal.n; k++) {
			while (g->edits.v[p].begin < g->coal.v[k].begin)
				p++;
			g->coal_owner[k] = v[p].owner;
		}
	}
	free(v);
	return rc;
}

static char *fixes_yaml(struct merge *m, const char *main_file, struct diag *d)
{
	int n = 0;
	for (int i = 0; i < m->n; i++)
		n += m->v[i]->nfixes;
	struct fixit *v = arena_alloc(&m->a, sizeof(*v) * (size_t)(n + 1));
	int k = 0;
	for (int i = 0; i < m->n; i++) {
		struct gtarget *g = m->v[i];
		for (int f = 0; f < g->nfixes; f++) {
			struct fixit *x = &v[k++];
			x->message = g->fixes[f].fix->message;
			x->path = g->abs;
			x->offset = g->fixes[f].fix->name_offset;
			struct edit *r = arena_alloc(&m->a, sizeof(*r) * (size_t)(g->coal.n + 1));
			for (int e = 0; e < g->coal.n; e++)
				if (g->coal_owner[e] == f)
					r[x->nrepl++] = g->coal.v[e];
			x->repl = r;
		}
	}
	struct strbuf sb;
	strbuf_init(&sb);
	const char *bad = NULL;
	char *text = NULL;
	if (fixits_yaml(&sb, main_file, m->cwd, v, n, &bad))
		diag_report(d, DIAG_ERROR, bad, 0, 0,
		            "not valid UTF-8: the fixes cannot be written as YAML");
	else
		text = arena_strndup(&m->a, sb.s, sb.len);
	strbuf_exit(&sb);
	return text;
}

/* ---- outputs ---- */

struct staged {
	struct outfile v[64];
	struct outfile *more;
	int n, cap;
};

static struct outfile *stage_slot(struct staged *s)
{
	if (s->n < 64)
		return &s->v[s->n];
	if (s->n - 64 == s->cap) {
		s->cap = s->cap ? 2 * s->cap : 64;
		s->more = realloc(s->more, sizeof(*s->more) * (size_t)s->cap);
		if (!s->more)
			abort();
	}
	return &s->more[s->n - 64];
}

static struct outfile *staged_at(struct staged *s, int i)
{
	return i < 64 ? &s->v[i] : &s->more[i - 64];
}

static int stage(struct staged *s, const char *path, const char *data, size_t len, struct diag *d)
{
	if (outfile_stage(stage_slot(s), path, data, len, d))
		return -1;
	s->n++;
	return 0;
}

/* Renames every staged file over its target (standard output last), or,
 * after a failure, removes them all. */
static int commit_all(struct staged *s, int failed, struct diag *d)
{
	int rc = failed ? -1 : 0;
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < s->n; i++) {
			struct outfile *o = staged_at(s, i);
			if ((pass == 1) != !strcmp(o->path, "-"))
				continue;
			if (rc)
				outfile_abort(o);
			else if (outfile_commit(o, d))
				rc = -1;
		}
	free(s->more);
	return rc;
}

static int write_outputs(const struct options *o, struct job *jobs, struct diag *d)
{
	struct merge m;
	memset(&m, 0, sizeof(m));
	arena_init(&m.a);
	struct staged st;
	memset(&st, 0, sizeof(st));
	int failed = 0;
	char *report = NULL;
	struct strbuf diff;
	strbuf_init(&diff);
	m.cwd = path_cwd(&m.a);
	if (!m.cwd) {
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "cannot determine the current directory");
		failed = 1;
	}

	if (!failed && o->sel.emit == EMIT_C) {
		for (int i = 0; i < o->ninputs && !failed; i++)
			for (int t = 0; t < jobs[i].ntargets && !failed; t++) {
				const struct target *tg = jobs[i].targets[t];
				if ((tg->is_main || tg->nfixes) &&
				    merge_target(&m, &jobs[i], tg, d))
					failed = 1;
			}
		for (int i = 0; i < m.n && !failed; i++)
			if (finish_target(&m, m.v[i], d))
				failed = 1;
	}
	if (!failed && o->sel.emit == EMIT_C) {
		int headers_out = o->in_place || o->diff || o->export_fixes;
		for (int i = 0; i < m.n; i++) {
			struct gtarget *g = m.v[i];
			if (!g->is_main && g->changed && o->output && !headers_out)
				diag_report(d, DIAG_WARNING, g->path, 0, 0,
				            "the rewrite of this header is not written: -o and "
				            "standard output carry only the main file (use -i, "
				            "--diff or --export-fixes)");
			if (o->diff && g->changed && !strncmp(g->rel, "../", 3))
				diag_report(d, DIAG_WARNING, g->path, 0, 0,
				            "outside the current directory: the diff names it "
				            "%s, which git apply and patch refuse",
				            g->rel);
		}
	}

	/* Stage every output before renaming any, so a failure leaves none behind. */
	if (!failed && o->output) {
		struct gtarget *g = m.v[0];
		if (stage(&st, o->output, g->out.s, g->out.len, d))
			failed = 1;
	}
	if (!failed && o->in_place)
		for (int i = 0; i < m.n && !failed; i++)
			if (m.v[i]->changed &&
			    stage(&st, m.v[i]->path, m.v[i]->out.s, m.v[i]->out.len, d))
				failed = 1;
	if (!failed && o->diff) {
		for (int i = 0; i < m.n; i++) {
			struct gtarget *g = m.v[i];
			if (!g->changed)
				continue;
			char *a = arena_printf(&m.a, "a/%s", g->rel);
			char *b = arena_printf(&m.a, "b/%s", g->rel);
			unidiff(&diff, a, b, g->unit->buf, g->unit->len, &g->edits, 3);
		}
		if (diff.len && stage(&st, "-", diff.s, diff.len, d))
			failed = 1;
	}
	if (!failed && o->export_fixes) {
		const char *main_file = m.n ? m.v[0]->abs : "";
		char *yaml = fixes_yaml(&m, main_file, d);
		if (!yaml || stage(&st, o->export_fixes, yaml, strlen(yaml), d))
			failed = 1;
	}
	if (!failed && o->report) {
		if (o->ninputs == 1) {
			report = report_json(&jobs[0].rep);
		} else {
			const struct report **v = calloc((size_t)o->ninputs, sizeof(*v));
			if (!v)
				abort();
			for (int i = 0; i < o->ninputs; i++)
				v[i] = &jobs[i].rep;
			report = report_json_files(v, o->ninputs);
			free(v);
		}
		if (!report) {
			diag_report(d, DIAG_ERROR, o->report, 0, 0, "cannot encode the report");
			failed = 1;
		} else if (stage(&st, o->report, report, strlen(report), d)) {
			failed = 1;
		}
	}
	if (commit_all(&st, failed, d))
		failed = 1;

	free(report);
	strbuf_exit(&diff);
	for (int i = 0; i < m.n; i++) {
		edits_exit(&m.v[i]->edits);
		edits_exit(&m.v[i]->coal);
		strbuf_exit(&m.v[i]->out);
	}
	free(m.v);
	arena_exit(&m.a);
	return failed ? -1 : 0;
}

/* ---- main ---- */

/* Each input's compiler arguments: the database's (-p), then those after
 * "--", then daec's own runtime headers (after the user's paths), so that
 * its output, which includes <dae/dae.h>, can be read back. */
static int set_args(const struct options *o, struct compdb *db, struct job *j, struct diag *d)
{
	const char **dbargs = NULL;
	int ndb = 0;
	if (db) {
		ndb = compdb_args(db, j->input, &j->a, &dbargs);
		if (ndb < 0 && !o->ncc_args) {
			diag_report(d, DIAG_ERROR, j->input, 0, 0,
			            "no compile command for this file in %s/compile_commands.json "
			            "(give its arguments after --)",
			            o->build_dir);
			return -1;
		}
		if (ndb < 0) {
			diag_report(&j->d, DIAG_WARNING, j->input, 0, 0,
			            "not in %s/compile_commands.json: using the arguments after --",
			            o->build_dir);
			ndb = 0;
		}
	}
	j->args = arena_alloc(&j->a, sizeof(char *) * (size_t)(ndb + o->ncc_args + 4));
	for (int i = 0; i < ndb; i++)
		j->args[j->nargs++] = dbargs[i];
	for (int i = 0; i < o->ncc_args; i++)
		j->args[j->nargs++] = o->cc_args[i];
	j->args[j->nargs++] = "-idirafter";
	j->args[j->nargs++] = DAEC_DAE_INCLUDE_DIR;
	j->args[j->nargs++] = "-idirafter";
	j->args[j->nargs++] = DAEC_DAE_SOURCE_INCLUDE_DIR;
	return 0;
}

static void free_options(struct options *o)
{
	for (int i = 0; i < o->sel.nat; i++) {
		free((char *)o->at[i].file);
		free((char *)o->at[i].real);
	}
	if (o->header_filter)
		regfree(&o->header_regex);
	free(o->functions);
	free(o->at);
	free(o->inputs);
}

int main(int argc, char **argv)
{
	struct options o;
	memset(&o, 0, sizeof(o));
	int rc = parse_args(argc, argv, &o);
	if (rc) {
		free_options(&o);
		return rc;
	}
	struct diag d;
	diag_init(&d, stderr);
	d.remarks = !o.quiet;

	struct compdb *db = NULL;
	if (o.build_dir && !(db = compdb_open(o.build_dir, &d))) {
		free_options(&o);
		return EXIT_COMPDB;
	}
	struct job *jobs = calloc((size_t)o.ninputs, sizeof(*jobs));
	if (!jobs)
		abort();
	for (int i = 0; i < o.ninputs; i++) {
		job_init(&jobs[i], o.inputs[i], o.quiet, o.sel.nat);
		if (set_args(&o, db, &jobs[i], &d))
			rc = EXIT_COMPDB;
	}
	compdb_close(db);

	if (!rc) {
		run_jobs(&o.sel, jobs, o.ninputs, o.jobs);
		for (int i = 0; i < o.ninputs; i++)
			if (jobs[i].failed)
				rc = EXIT_FAILED;
	}
	if (!rc) {
		/* An --at position no unit has seen: say so once. */
		for (int k = 0; k < o.sel.nat; k++) {
			int seen = 0;
			for (int i = 0; i < o.ninputs; i++)
				seen |= jobs[i].at[k] != AT_UNSEEN;
			if (!seen)
				diag_report(&d, DIAG_REMARK, o.at[k].file, o.at[k].line,
				            o.at[k].col,
				            "no function of this file was translated (not an "
				            "input, nor a header with function definitions): "
				            "nothing rewritten for --at=%s",
				            o.at[k].spec);
		}
		if (write_outputs(&o, jobs, &d))
			rc = EXIT_FAILED;
	}
	for (int i = 0; i < o.ninputs; i++)
		job_exit(&jobs[i]);
	free(jobs);
	free_options(&o);
	return rc;
}
