/* The libclang side of the front end: arguments, the translation unit, its
 * diagnostics, the main file's bytes and #include directives. The lifting
 * itself is in lift.c. */
#define _GNU_SOURCE /* memmem */
#include "frontend.h"

#include <clang-c/Index.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef DAEC_CLANG_RESOURCE_DIR
#define DAEC_CLANG_RESOURCE_DIR "/usr/lib/llvm-19/lib/clang/19"
#endif

/* _OPENMP as clang 19 defines it under -fopenmp. */
#define DAEC_OPENMP_VERSION "202011"

struct argv {
	const char **v;
	int n;
};

static int same_file(const char *a, const char *b)
{
	if (strcmp(a, b) == 0)
		return 1;
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb && strcmp(ra, rb) == 0;
	free(ra);
	free(rb);
	return same;
}

static int is_openmp(const char *s)
{
	return strcmp(s, "-fopenmp") == 0 || strncmp(s, "-fopenmp=", 9) == 0;
}

/* The arguments libclang gets. Options that only make sense to a compiler
 * driver producing files are dropped; with strip_openmp, -fopenmp becomes
 * -D_OPENMP so the preprocessor sees the same program but loops stay plain
 * statements (libclang hides the statement of an OpenMP directive). */
static void build_args(const struct frontend_opts *opts, struct arena *a, int strip_openmp,
                       int no_warnings, struct argv *out)
{
	const char *rd = opts->resource_dir ? opts->resource_dir : DAEC_CLANG_RESOURCE_DIR;
	out->v = arena_alloc(a, sizeof(*out->v) * (size_t)(opts->nargs + 5));
	out->n = 0;
	out->v[out->n++] = "-resource-dir";
	out->v[out->n++] = rd;
	int openmp = 0;
	for (int i = 0; i < opts->nargs; i++) {
		const char *s = opts->args[i];
		if (!s)
			continue;
		if (strcmp(s, "-c") == 0 || strcmp(s, "-M") == 0 || strcmp(s, "-MM") == 0 ||
		    strcmp(s, "-MD") == 0 || strcmp(s, "-MMD") == 0 || strcmp(s, "-MP") == 0)
			continue;
		if (strcmp(s, "-o") == 0 || strcmp(s, "-MF") == 0 || strcmp(s, "-MT") == 0 ||
		    strcmp(s, "-MQ") == 0) {
			i++;
			continue;
		}
		if ((strncmp(s, "-o", 2) == 0 || strncmp(s, "-MF", 3) == 0) && s[2])
			continue;
		if (s[0] != '-' && same_file(s, opts->path))
			continue;
		if (strip_openmp && (is_openmp(s) || strcmp(s, "-fopenmp-simd") == 0)) {
			openmp |= is_openmp(s);
			continue;
		}
		out->v[out->n++] = s;
	}
	if (openmp)
		out->v[out->n++] = "-D_OPENMP=" DAEC_OPENMP_VERSION;
	if (no_warnings)
		out->v[out->n++] = "-w";
}

/* Whether the arguments could turn a warning into an error (-Werror,
 * -pedantic-errors, a macro holding a diagnostic pragma, a response file
 * daec cannot see into). Otherwise warnings never matter to daec, which
 * reports errors only, and the parse can skip them with -w: that spares the
 * analyses behind them (a control-flow graph per function for -Wreturn-type,
 * -Wuninitialized, ...), several percent of the parse. */
static int warnings_matter(const struct frontend_opts *opts)
{
	for (int i = 0; i < opts->nargs; i++) {
		const char *s = opts->args[i];
		if (s && (strstr(s, "-Werror") || strstr(s, "pedantic-errors") || s[0] == '@' ||
		          (strstr(s, "diagnostic") && (strstr(s, "error") || strstr(s, "fatal")))))
			return 1;
	}
	return 0;
}

/* Whether text may hold a "#pragma clang/GCC diagnostic error" (or fatal),
 * or the same through _Pragma: such a pragma makes warnings errors, which -w
 * would hide. The severity is the word after "diagnostic" (blanks, line
 * splices and comments between are skipped); errs on the side of yes. */
static int maybe_error_pragma(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while ((p = memmem(p, (size_t)(end - p), "diagnostic", 10)) != NULL) {
		p += 10;
		const char *q = p;
		while (q < end) {
			if (*q == ' ' || *q == '\t' || *q == '\\' || *q == '\n' || *q == '\r') {
				q++;
			} else if (*q == '/' && q + 1 < end && q[1] == '*') {
				const char *c = memmem(q + 2, (size_t)(end - q - 2), "*/", 2);
				q = c ? c + 2 : end;
			} else {
				break;
			}
		}
		if ((size_t)(end - q) >= 5 && (!memcmp(q, "error", 5) || !memcmp(q, "fatal", 5)))
			return 1;
	}
	return 0;
}

struct pragma_scan {
	CXTranslationUnit tu;
	int found;
};

static void scan_inclusion(CXFile f, CXSourceLocation *stack, unsigned depth, CXClientData data)
{
	struct pragma_scan *ps = data;
	size_t len = 0;
	const char *text = ps->found ? NULL : clang_getFileContents(ps->tu, f, &len);
	if (text && maybe_error_pragma(text, len))
		ps->found = 1;
}

/* Whether a file of tu (main file and every header) may upgrade warnings. */
static int has_error_pragma(CXTranslationUnit tu)
{
	struct pragma_scan ps = {tu, 0};
	clang_getInclusions(tu, scan_inclusion, &ps);
	return ps.found;
}

static int wants_openmp(const struct frontend_opts *opts)
{
	for (int i = 0; i < opts->nargs; i++)
		if (opts->args[i] &&
		    (is_openmp(opts->args[i]) || strcmp(opts->args[i], "-fopenmp-simd") == 0))
			return 1;
	return 0;
}

static CXTranslationUnit parse(CXIndex index, const struct frontend_opts *opts, struct arena *a,
                               int strip_openmp, int no_warnings, enum CXErrorCode *err)
{
	struct argv args;
	build_args(opts, a, strip_openmp, no_warnings, &args);
	CXTranslationUnit tu = NULL;
	*err = clang_parseTranslationUnit2(index, opts->path, args.v, args.n, NULL, 0,
	                                   CXTranslationUnit_DetailedPreprocessingRecord, &tu);
	if (*err != CXError_Success)
		return NULL;
	return tu;
}

static int count_errors(CXTranslationUnit tu)
{
	int n = 0;
	unsigned nd = clang_getNumDiagnostics(tu);
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic dg = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error)
			n++;
		clang_disposeDiagnostic(dg);
	}
	return n;
}

/* Every error and fatal diagnostic, "file:line:col: error: message". */
static int report_errors(CXTranslationUnit tu, struct diag *d)
{
	int n = 0;
	unsigned nd = clang_getNumDiagnostics(tu);
	for (unsigned i = 0; i < nd; i++) {
		CXDiagnostic dg = clang_getDiagnostic(tu, i);
		if (clang_getDiagnosticSeverity(dg) < CXDiagnostic_Error) {
			clang_disposeDiagnostic(dg);
			continue;
		}
		CXString file;
		unsigned line = 0, col = 0;
		clang_getPresumedLocation(clang_getDiagnosticLocation(dg), &file, &line, &col);
		CXString msg = clang_getDiagnosticSpelling(dg);
		const char *f = clang_getCString(file);
		diag_report(d, DIAG_ERROR, f && *f ? f : NULL, (int)line, (int)col, "%s",
		            clang_getCString(msg));
		clang_disposeString(msg);
		clang_disposeString(file);
		clang_disposeDiagnostic(dg);
		n++;
	}
	return n;
}

struct includes {
	struct arena *a;
	struct ptrvec spans;
};

static enum CXChildVisitResult collect_include(CXCursor c, CXCursor parent, CXClientData data)
{
	struct includes *inc = data;
	if (clang_getCursorKind(c) != CXCursor_InclusionDirective)
		return CXChildVisit_Continue;
	CXSourceRange r = clang_getCursorExtent(c);
	if (!clang_Location_isFromMainFile(clang_getRangeStart(r)))
		return CXChildVisit_Continue;
	unsigned b, e;
	clang_getExpansionLocation(clang_getRangeStart(r), NULL, NULL, NULL, &b);
	clang_getExpansionLocation(clang_getRangeEnd(r), NULL, NULL, NULL, &e);
	struct ir_span *sp = ARENA_NEW(inc->a, struct ir_span);
	sp->begin = b;
	sp->end = e > b ? e : b;
	ptrvec_push(inc->a, &inc->spans, sp);
	return CXChildVisit_Continue;
}

static int set_main_file(CXTranslationUnit tu, const char *path, struct arena *a,
                         struct ir_unit *unit)
{
	CXFile f = clang_getFile(tu, path);
	if (!f)
		return -1;
	size_t len = 0;
	const char *buf = clang_getFileContents(tu, f, &len);
	if (!buf)
		return -1;
	unit->buf = arena_strndup(a, buf, len);
	unit->len = len;
	return 0;
}

int frontend_parse(const struct frontend_opts *opts, struct arena *a, struct diag *d,
                   struct ir_unit *unit)
{
	memset(unit, 0, sizeof(*unit));
	unit->path = arena_strdup(a, opts->path);
	FILE *fp = fopen(opts->path, "rb");
	if (!fp) {
		diag_report(d, DIAG_ERROR, opts->path, 0, 0, "cannot open %s: %s", opts->path,
		            strerror(errno));
		return -1;
	}
	fclose(fp);

	for (int i = 0; i < opts->nargs; i++) {
		if (!opts->args[i])
			continue;
		if (strcmp(opts->args[i], "-fno-strict-aliasing") == 0)
			unit->no_strict_aliasing = 1;
		else if (strcmp(opts->args[i], "-fstrict-aliasing") == 0)
			unit->no_strict_aliasing = 0;
	}

	CXIndex index = clang_createIndex(0, 0);
	enum CXErrorCode err;
	int no_warnings = !warnings_matter(opts);
	CXTranslationUnit tu = parse(index, opts, a, 0, no_warnings, &err);
	if (tu && no_warnings && has_error_pragma(tu)) {
		/* a pragma may make a warning an error: parse again with warnings */
		clang_disposeTranslationUnit(tu);
		no_warnings = 0;
		tu = parse(index, opts, a, 0, 0, &err);
	}
	if (!tu) {
		diag_report(d, DIAG_ERROR, opts->path, 0, 0,
		            "libclang could not parse the file (error %d)", (int)err);
		clang_disposeIndex(index);
		return -1;
	}
	if (report_errors(tu, d)) {
		clang_disposeTranslationUnit(tu);
		clang_disposeIndex(index);
		return -1;
	}
	/* Under -fopenmp the directives' statements are invisible through
	 * libclang: lift a parse without it (same preprocessing via -D_OPENMP);
	 * the pragma text is recovered from the source. */
	if (wants_openmp(opts)) {
		CXTranslationUnit plain = parse(index, opts, a, 1, no_warnings, &err);
		if (plain && count_errors(plain) == 0) {
			clang_disposeTranslationUnit(tu);
			tu = plain;
		} else if (plain) {
			clang_disposeTranslationUnit(plain);
		}
	}

	int rc = 0;
	if (set_main_file(tu, opts->path, a, unit)) {
		diag_report(d, DIAG_ERROR, opts->path, 0, 0, "cannot read %s through libclang",
		            opts->path);
		rc = -1;
	} else {
		struct includes inc = {a, {NULL, 0, 0}};
		clang_visitChildren(clang_getTranslationUnitCursor(tu), collect_include, &inc);
		unit->nincludes = inc.spans.n;
		unit->includes =
		        arena_alloc(a, sizeof(*unit->includes) * (size_t)(inc.spans.n + 1));
		for (int i = 0; i < inc.spans.n; i++)
			unit->includes[i] = *(struct ir_span *)inc.spans.v[i];
		frontend_lift(tu, a, unit);
	}
	clang_disposeTranslationUnit(tu);
	clang_disposeIndex(index);
	return rc;
}

/* Parses data in place of opts->path, with the same arguments, and returns
 * its error count (-1 if libclang fails), with the byte offsets of the first
 * errors that lie in the main file. daec checks its own output this way
 * before writing it, so a rewrite it got wrong is withdrawn, not shipped. */
int frontend_check_output(const struct frontend_opts *opts, const char *data, size_t len,
                          unsigned *offsets, int max, int *noffsets)
{
	struct arena a;
	arena_init(&a);
	struct argv args;
	build_args(opts, &a, wants_openmp(opts), 0, &args);
	struct CXUnsavedFile uf = {opts->path, data, (unsigned long)len};
	CXIndex index = clang_createIndex(0, 0);
	CXTranslationUnit tu = NULL;
	enum CXErrorCode err = clang_parseTranslationUnit2(index, opts->path, args.v, args.n, &uf,
	                                                   1, CXTranslationUnit_None, &tu);
	int n = -1;
	*noffsets = 0;
	if (err == CXError_Success && tu) {
		n = 0;
		unsigned nd = clang_getNumDiagnostics(tu);
		for (unsigned i = 0; i < nd; i++) {
			CXDiagnostic dg = clang_getDiagnostic(tu, i);
			if (clang_getDiagnosticSeverity(dg) >= CXDiagnostic_Error) {
				n++;
				CXSourceLocation loc = clang_getDiagnosticLocation(dg);
				if (*noffsets < max && clang_Location_isFromMainFile(loc)) {
					unsigned off = 0;
					clang_getExpansionLocation(loc, NULL, NULL, NULL, &off);
					offsets[(*noffsets)++] = off;
				}
			}
			clang_disposeDiagnostic(dg);
		}
		clang_disposeTranslationUnit(tu);
	}
	clang_disposeIndex(index);
	arena_exit(&a);
	return n;
}
