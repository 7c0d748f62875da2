/* The front end: libclang parses the main file, the lifter turns every
 * function definition into the loop IR (ir.h). All IR, strings included,
 * lives in the caller's arena; no libclang object outlives frontend_parse. */
#ifndef DAEC_FRONTEND_H
#define DAEC_FRONTEND_H

#include "arena.h"
#include "diag.h"
#include "ir.h"

struct frontend_opts {
	const char *path; /* main file */
	/* compiler arguments (from the command line after "--", or a compilation database) */
	const char *const *args;
	int nargs;
	const char *resource_dir; /* NULL: DAEC_CLANG_RESOURCE_DIR (a compile-time define) */
};

/* Parses opts->path and lifts every function definition into *unit (allocated in a).
 * Returns 0, or -1 after reporting through d: a missing/unreadable file ("path: error: cannot open ..."),
 * or every error/fatal diagnostic of the translation unit in clang format (file:line:col: error: message).
 * A translation unit with errors is never lifted (libclang drops statements it cannot type).
 *
 * Arguments: the main file itself, "-c", "-o FILE" and dependency-file options
 * (-M, -MM, -MD, -MMD, -MF/-MT/-MQ FILE) are dropped, so a compilation
 * database's command can be passed as is (without the compiler's name).
 * Definitions in system headers are not lifted (they are never rewritten).
 *
 * Under -fopenmp (or -fopenmp-simd) the unit is parsed twice: once as given,
 * for the diagnostics, and once without it (-D_OPENMP=202011 instead) for
 * lifting, because libclang hides the statement under an OpenMP directive.
 * Loops then carry their directive in ir_stmt.pragma ("omp parallel for").
 *
 * Spans of a function defined in an included header are offsets into that
 * header's bytes (unit->buf is the main file only). A variable declared in
 * another file than the function (a global from a header) has an empty
 * decl_span and loc 0:0. */
int frontend_parse(const struct frontend_opts *opts, struct arena *a, struct diag *d,
                   struct ir_unit *unit);

/* Parses data (a rewritten version of opts->path) with the same arguments.
 * Returns the number of errors (-1 when libclang itself fails) and stores the
 * byte offsets (in data) of up to max errors located in the main file. */
int frontend_check_output(const struct frontend_opts *opts, const char *data, size_t len,
                          unsigned *offsets, int max, int *noffsets);

/* Internal to parse.c and lift.c: lifts the definitions of a parsed translation
 * unit (a CXTranslationUnit) into unit->funcs. unit->path, buf and len are set. */
struct CXTranslationUnitImpl;
void frontend_lift(struct CXTranslationUnitImpl *tu, struct arena *a, struct ir_unit *unit);

#endif
