#define _GNU_SOURCE /* open_memstream */
#include "driver.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "dlc.h"
#include "emit_c.h"
#include "frontend.h"
#include "ir_dump.h"
#include "ir_util.h"
#include "slc.h"

void job_init(struct job *j, const char *input, int quiet, int nat)
{
	memset(j, 0, sizeof(*j));
	j->input = input;
	arena_init(&j->a);
	j->diag_out = open_memstream(&j->diag_text, &j->diag_len);
	j->dump_out = open_memstream(&j->dump_text, &j->dump_len);
	if (!j->diag_out || !j->dump_out)
		abort();
	diag_init(&j->d, j->diag_out);
	j->d.remarks = !quiet;
	j->at = arena_alloc(&j->a, sizeof(*j->at) * (size_t)(nat + 1));
	report_init(&j->rep, input);
}

void job_exit(struct job *j)
{
	if (j->diag_out)
		fclose(j->diag_out);
	if (j->dump_out)
		fclose(j->dump_out);
	free(j->diag_text);
	free(j->dump_text);
	for (int i = 0; i < j->ntargets; i++)
		edits_exit(&j->targets[i]->edits);
	free(j->targets);
	report_exit(&j->rep);
	arena_exit(&j->a);
	memset(j, 0, sizeof(*j));
}

void scan_includes(struct arena *a, const char *buf, size_t len, struct ir_span **spans, int *n)
{
	struct ptrvec v = {NULL, 0, 0};
	int in_comment = 0;
	size_t i = 0;
	while (i < len) {
		size_t ls = i, le = i;
		while (le < len && buf[le] != '\n')
			le++;
		/* A line that starts inside a block comment is not a directive. */
		int was_comment = in_comment;
		for (size_t q = ls; q < le; q++) {
			int two = q + 1 < le;
			if (!in_comment && two && buf[q] == '/' && buf[q + 1] == '/')
				break;
			if (!in_comment && two && buf[q] == '/' && buf[q + 1] == '*') {
				in_comment = 1;
				q++;
			} else if (in_comment && two && buf[q] == '*' && buf[q + 1] == '/') {
				in_comment = 0;
				q++;
			}
		}
		size_t p = ls;
		while (p < le && (buf[p] == ' ' || buf[p] == '\t'))
			p++;
		if (!was_comment && p < le && buf[p] == '#') {
			size_t q = p + 1;
			while (q < le && (buf[q] == ' ' || buf[q] == '\t'))
				q++;
			if (le - q >= 7 && !memcmp(buf + q, "include", 7)) {
				struct ir_span *sp = ARENA_NEW(a, struct ir_span);
				sp->begin = (unsigned)p;
				sp->end = (unsigned)le;
				ptrvec_push(a, &v, sp);
			}
		}
		i = le + 1;
	}
	*spans = arena_alloc(a, sizeof(**spans) * (size_t)(v.n + 1));
	for (int k = 0; k < v.n; k++)
		(*spans)[k] = *(struct ir_span *)v.v[k];
	*n = v.n;
}

static struct target *new_target(struct job *j, const char *path, int is_main)
{
	if (j->ntargets == j->captargets) {
		j->captargets = j->captargets ? 2 * j->captargets : 4;
		j->targets = realloc(j->targets, sizeof(*j->targets) * (size_t)j->captargets);
		if (!j->targets)
			abort();
	}
	struct target *t = ARENA_NEW(&j->a, struct target);
	t->path = path;
	char *real = realpath(path, NULL);
	if (real) {
		t->real = arena_strdup(&j->a, real);
		free(real);
	}
	t->is_main = is_main;
	t->filter = -1;
	edits_init(&t->edits);
	j->targets[j->ntargets++] = t;
	return t;
}

/* The target of a header named path (as clang names it), made on first use. */
static struct target *header_target(struct job *j, const char *path)
{
	for (int i = 1; i < j->ntargets; i++)
		if (!strcmp(j->targets[i]->path, path))
			return j->targets[i];
	return new_target(j, path, 0);
}

/* Reads a header's bytes: libclang does not hand them out past the front
 * end, and the rewriters read a function's text from its own file. */
static int load_header(struct job *j, struct target *t)
{
	if (t->loaded)
		return 0;
	FILE *fp = fopen(t->path, "rb");
	if (!fp) {
		diag_report(&j->d, DIAG_ERROR, t->path, 0, 0, "cannot read the header: %s",
		            strerror(errno));
		return -1;
	}
	struct strbuf sb;
	strbuf_init(&sb);
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		strbuf_addn(&sb, chunk, n);
	int err = ferror(fp);
	fclose(fp);
	if (err) {
		diag_report(&j->d, DIAG_ERROR, t->path, 0, 0, "cannot read the header");
		strbuf_exit(&sb);
		return -1;
	}
	t->unit = j->u;
	t->unit.path = t->path;
	t->unit.buf = arena_strndup(&j->a, sb.s, sb.len);
	t->unit.len = sb.len;
	strbuf_exit(&sb);
	scan_includes(&j->a, t->unit.buf, t->unit.len, &t->unit.includes, &t->unit.nincludes);
	t->loaded = 1;
	return 0;
}

static int same_real(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

/* Offsets [*lo, *hi) that --at names in buf: one byte with a column, else the
 * line from its first non-blank character. 0, or -1 when the line is past
 * the end. */
static int at_range(const struct at_pos *p, const char *buf, size_t len, unsigned *lo, unsigned *hi)
{
	size_t off = 0;
	for (int line = 1; line < p->line; line++) {
		const char *nl = memchr(buf + off, '\n', len - off);
		if (!nl)
			return -1;
		off = (size_t)(nl - buf) + 1;
	}
	size_t end = off;
	while (end < len && buf[end] != '\n')
		end++;
	if (p->col) {
		if ((size_t)(p->col - 1) > end - off)
			return -1;
		*lo = (unsigned)(off + (size_t)p->col - 1);
		*hi = *lo + 1;
		return 0;
	}
	while (off < end && (buf[off] == ' ' || buf[off] == '\t'))
		off++;
	*lo = (unsigned)off;
	*hi = (unsigned)end;
	return 0;
}

struct loop_hit {
	unsigned lo, hi;
	int hit;
};

static void find_loop(struct ir_stmt *s, void *ctx)
{
	struct loop_hit *h = ctx;
	if (ir_is_loop(s) && s->span.begin < h->hi && h->lo < s->span.end)
		h->hit = 1;
}

/* Whether a loop of f covers --at position i: function granularity, since
 * the rewriter decouples whole functions. */
static int at_in_loop(const struct select_opts *o, struct job *j, struct target *t, int i,
                      const struct ir_func *f)
{
	if (!t->at_lo) {
		t->at_lo = arena_alloc(&j->a, sizeof(unsigned) * (size_t)o->nat);
		t->at_hi = arena_alloc(&j->a, sizeof(unsigned) * (size_t)o->nat);
		for (int k = 0; k < o->nat; k++)
			if (at_range(&o->at[k], t->unit.buf, t->unit.len, &t->at_lo[k],
			             &t->at_hi[k])) {
				t->at_lo[k] = 1;
				t->at_hi[k] = 0;
			}
	}
	unsigned lo = t->at_lo[i], hi = t->at_hi[i];
	if (!f->body || lo >= hi || lo >= f->body_span.end || hi <= f->body_span.begin)
		return 0;
	struct loop_hit h = {lo, hi, 0};
	ir_stmt_walk(f->body, find_loop, &h);
	return h.hit;
}

static int own_name(const char *name)
{
	/* daec's own output: the kept original and the generated halves. */
	static const char *const own[] = {"__reference", "__access", "__execute"};
	size_t n = strlen(name);
	for (size_t i = 0; i < sizeof(own) / sizeof(own[0]); i++) {
		size_t k = strlen(own[i]);
		if (n > k && !strcmp(name + n - k, own[i]))
			return 1;
	}
	return 0;
}

/* Whether f is translated. Sets *t to the target of its file; a header's
 * bytes are read only when a header function can be rewritten or an --at
 * position names the header. Returns -1 on a read error. */
static int selected(const struct select_opts *o, struct job *j, struct ir_func *f,
                    struct target **tp)
{
	struct target *t = j->targets[0];
	if (!f->in_main_file) {
		if (!o->header_filter && !o->nat)
			return 0;
		t = header_target(j, f->file);
		if (t->filter < 0)
			t->filter = o->header_filter &&
			            regexec(o->header_filter, f->file, 0, NULL, 0) == 0;
	}
	*tp = t;
	int wanted = !o->nfunctions && !o->nat;
	for (int i = 0; i < o->nfunctions && !wanted; i++)
		if (!strcmp(o->functions[i], f->name))
			wanted = 1;
	int filtered = !t->is_main && !t->filter;
	for (int i = 0; i < o->nat; i++) {
		if (!same_real(o->at[i].real, t->real))
			continue;
		if (!t->loaded && load_header(j, t))
			return -1;
		if (j->at[i] == AT_UNSEEN)
			j->at[i] = AT_NO_LOOP;
		if (!at_in_loop(o, j, t, i, f))
			continue;
		if (filtered) {
			if (j->at[i] != AT_FOUND)
				j->at[i] = AT_FILTERED;
			continue;
		}
		j->at[i] = AT_FOUND;
		wanted = 1;
	}
	if (filtered || own_name(f->name) || !wanted)
		return 0;
	if (!t->loaded && load_header(j, t))
		return -1;
	/* The header must still be what libclang parsed: the definition fits
	 * and its name is where it was (unless a macro spells it). */
	size_t nlen = strlen(f->name);
	if (!t->is_main && (f->span.end > t->unit.len || f->name_span.end > t->unit.len ||
	                    (f->name_span.end - f->name_span.begin == nlen &&
	                     memcmp(t->unit.buf + f->name_span.begin, f->name, nlen)))) {
		diag_report(&j->d, DIAG_ERROR, t->path, f->loc.line, f->loc.col,
		            "the header changed while daec read it");
		return -1;
	}
	return 1;
}

static void add_fix(struct job *j, struct target *t, const struct ir_func *f, const char *msg,
                    int first)
{
	if (t->nfixes == t->capfixes) {
		t->capfixes = t->capfixes ? 2 * t->capfixes : 8;
		struct fn_fix *v = arena_alloc(&j->a, sizeof(*v) * (size_t)t->capfixes);
		if (t->nfixes)
			memcpy(v, t->fixes, sizeof(*v) * (size_t)t->nfixes);
		t->fixes = v;
	}
	t->fixes[t->nfixes++] =
	        (struct fn_fix){f->name, msg, f->name_span.begin, f->span.begin, first, t->edits.n};
}

/* The passes, from the loop IR to the edits (added after mark): 0, or -1
 * with why set and no edit added. */
static int run_passes(const struct select_opts *o, struct job *j, struct target *t,
                      struct ir_func *f, const struct slc_options *sopt, struct slc_program *slc,
                      struct slc_decline *why, struct dlc_program *dlc)
{
	struct arena *a = &j->a;
	const char *msg = NULL;
	memset(slc, 0, sizeof(*slc));
	memset(why, 0, sizeof(*why));
	/* The lookup-compute passes, each checked by the verifier after it. */
	int rc = slc_build_opts(a, &t->unit, f, slc, why, sopt);
	const char *pass = "slc_build";
	if (rc == 0 && !slc_verify(slc, &msg) && o->level == 1) {
		slc_vectorise(a, slc, o->vector_bytes);
		pass = "vectorise";
		slc_verify(slc, &msg);
	}
	if (rc == 0 && !msg && o->level >= 3) {
		slc_align(a, slc);
		pass = "align";
		slc_verify(slc, &msg);
	}
	if (rc == 0 && !msg && o->level >= 3) {
		slc_bufferise(a, slc);
		pass = "bufferise";
		slc_verify(slc, &msg);
	}
	if (rc == 0 && !msg) {
		slc_lanes(a, slc);
		pass = "lanes";
		slc_verify(slc, &msg);
	}
	if (rc == 0 && !msg && o->level >= 3) {
		slc_fuse(a, slc);
		pass = "fuse";
		slc_verify(slc, &msg);
	}
	if (rc == 0 && msg) {
		why->reason = arena_printf(
		        a, "internal error in the lookup-compute program after %s: %s", pass, msg);
		rc = -1;
	}
	if (rc == 0) {
		dlc_decouple(a, slc, dlc);
		if (dlc_verify(dlc, &msg)) {
			why->reason =
			        arena_printf(a, "internal error in the decoupled program: %s", msg);
			rc = -1;
		}
	}
	int mark = t->edits.n;
	if (rc == 0 && o->emit == EMIT_C && emit_c_function(a, dlc, &t->edits, &msg)) {
		edits_truncate(&t->edits, mark);
		why->reason = msg;
		rc = -1;
	}
	if (rc && !why->loc.line)
		why->loc = f->loc;
	return rc;
}

/* One function through the pipeline. Returns 1 if it was rewritten. */
static int translate_function(const struct select_opts *o, struct job *j, struct target *t,
                              struct ir_func *f)
{
	struct arena *a = &j->a;
	const struct ir_unit *u = &t->unit;
	struct slc_program slc;
	struct slc_decline why;
	struct dlc_program dlc;
	const char *msg = NULL;
	struct slc_options sopt = {.marshal_data = o->level <= 1, .marshal_rows = o->marshal_rows};
	int mark = t->edits.n;
	int rc = run_passes(o, j, t, f, &sopt, &slc, &why, &dlc);
	/* Rows sent by value need their read-ahead shown safe, which can fail
	 * where reading them in place cannot: such a function still decouples,
	 * with its rows sent by reference. */
	const char *by_ref = NULL;
	if (rc && sopt.marshal_rows && why.has_loops) {
		by_ref = why.reason;
		sopt.marshal_rows = 0;
		rc = run_passes(o, j, t, f, &sopt, &slc, &why, &dlc);
		if (rc == 0)
			slc.marshal_note = arena_printf(a, "rows sent by reference: %s", by_ref);
	}
	if (!why.has_loops && rc != 0)
		return 0;
	struct report_fn *r = report_add(&j->rep);
	r->name = f->name;
	r->file = t->is_main ? NULL : t->path;
	r->line = f->loc.line;
	r->column = f->loc.col;
	r->loops = slc.nloops;
	r->decoupled = rc == 0;
	r->op = rc == 0 ? slc.op : NULL;
	if (rc == 0) {
		r->overlap = slc.aliasing;
		r->callbacks = slc.callbacks.n;
		msg = arena_printf(
		        a, "decoupled '%s' (%s): %d callback%s; overlap with index arrays: %s",
		        f->name, slc.op ? slc.op : "lookup", slc.callbacks.n,
		        slc.callbacks.n == 1 ? "" : "s", slc.aliasing);
		if (slc.marshal_note)
			msg = arena_printf(a, "%s; %s", msg, slc.marshal_note);
		if (slc.buffer_note)
			msg = arena_printf(a, "%s; %s", msg, slc.buffer_note);
		if (slc.lanes_note)
			msg = arena_printf(a, "%s; %s", msg, slc.lanes_note);
		diag_report(&j->d, DIAG_REMARK, u->path, f->loc.line, f->loc.col, "%s", msg);
		if (o->emit == EMIT_C)
			add_fix(j, t, f, msg, mark);
	} else {
		r->reason = why.reason;
		r->reason_line = why.loc.line;
		r->reason_column = why.loc.col;
		diag_report(&j->d, DIAG_REMARK, u->path, why.loc.line ? why.loc.line : f->loc.line,
		            why.loc.line ? why.loc.col : f->loc.col, "'%s' not decoupled: %s",
		            f->name, why.reason);
	}
	if (rc == 0 && o->emit == EMIT_SLC)
		slc_dump(j->dump_out, &slc);
	if (rc == 0 && o->emit == EMIT_DLC)
		dlc_dump(j->dump_out, &dlc);
	return rc == 0;
}

static void at_remarks(const struct select_opts *o, struct job *j)
{
	struct target *m = j->targets[0];
	for (int i = 0; i < o->nat; i++) {
		const struct at_pos *p = &o->at[i];
		if (j->at[i] == AT_UNSEEN && same_real(p->real, m->real))
			j->at[i] = AT_NO_LOOP;
		if (j->at[i] == AT_NO_LOOP)
			diag_report(&j->d, DIAG_REMARK, p->file, p->line, p->col,
			            "no loop of a function at this position: nothing rewritten "
			            "for --at=%s",
			            p->spec);
		else if (j->at[i] == AT_FILTERED)
			diag_report(
			        &j->d, DIAG_REMARK, p->file, p->line, p->col,
			        "this loop is in a header that --header-filter does not select: "
			        "nothing rewritten for --at=%s",
			        p->spec);
	}
}

/* --verify: the rewritten main file must parse without errors, with the same
 * arguments, before anything is written; otherwise every rewrite of the file
 * is withdrawn (the file stays byte for byte) and the report says so. This is
 * a safety net for daec's own mistakes, at the cost of a second parse. */
static void verify(struct job *j, const struct frontend_opts *fo, struct target *m)
{
	struct edit_list copy;
	edits_init(&copy);
	for (int i = 0; i < m->edits.n; i++)
		edits_add(&copy, m->edits.v[i].begin, m->edits.v[i].end, m->edits.v[i].text);
	emit_c_include(&m->unit, m->edits.n ? m->edits.v[0].begin : 0, &copy);
	struct strbuf out;
	strbuf_init(&out);
	unsigned offs[1];
	int noffs = 0, errors = -1;
	if (!edits_apply(&copy, m->unit.buf, m->unit.len, &out))
		errors = frontend_check_output(fo, out.s, out.len, offs, 1, &noffs);
	if (errors != 0) {
		int line = 1;
		for (unsigned i = 0; noffs && i < offs[0] && i < out.len; i++)
			line += out.s[i] == '\n';
		diag_report(&j->d, DIAG_WARNING, j->input, 0, 0,
		            "the rewritten file does not compile (%s at line %d of the output); "
		            "every rewrite of this file is withdrawn. Please report this.",
		            errors < 0 ? "libclang failed" : "an error", noffs ? line : 0);
		edits_truncate(&m->edits, 0);
		m->nfixes = 0;
		for (int i = 0; i < j->rep.n; i++)
			if (j->rep.v[i].decoupled) {
				j->rep.v[i].decoupled = 0;
				j->rep.v[i].reason =
				        "withdrawn: the rewritten file did not compile";
			}
	}
	strbuf_exit(&out);
	edits_exit(&copy);
}

void job_run(const struct select_opts *o, struct job *j)
{
	struct frontend_opts fo = {j->input, j->args, j->nargs, NULL};
	if (frontend_parse(&fo, &j->a, &j->d, &j->u)) {
		j->failed = 1;
		goto out;
	}
	struct target *m = new_target(j, j->input, 1);
	m->unit = j->u;
	m->loaded = 1;
	for (int i = 0; i < j->u.nfuncs; i++) {
		struct ir_func *f = j->u.funcs[i];
		struct target *t = NULL;
		int sel = selected(o, j, f, &t);
		if (sel < 0) {
			j->failed = 1;
			break;
		}
		if (!sel)
			continue;
		if (o->emit == EMIT_IR) {
			ir_dump_func(j->dump_out, &t->unit, f);
			continue;
		}
		translate_function(o, j, t, f);
	}
	if (o->verify && m->edits.n && !j->failed)
		verify(j, &fo, m);
	at_remarks(o, j);
out:
	if (j->d.nerrors)
		j->failed = 1;
	/* Closing the streams makes diag_text and dump_text final. */
	fclose(j->diag_out);
	fclose(j->dump_out);
	j->diag_out = j->dump_out = NULL;
}
