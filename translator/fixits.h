/* --export-fixes: the edits as clang-tidy's fix file, which
 * clang-apply-replacements reads (clang::tooling::TranslationUnitDiagnostics
 * in YAML). One diagnostic "daec-decouple" per rewritten function, carrying
 * that function's replacements. */
#ifndef DAEC_FIXITS_H
#define DAEC_FIXITS_H

#include "arena.h"
#include "edits.h"

struct fixit {
	const char *message;
	const char *path; /* absolute: clang-apply-replacements may run elsewhere */
	unsigned offset; /* where the message points (the function's name) */
	const struct edit *repl; /* replacements in path, sorted, not sharing offsets */
	int nrepl;
};

/* Appends the YAML document. Returns 0, or -1 when a text is not valid UTF-8
 * (YAML cannot carry arbitrary bytes; *bad is then the offending path). */
int fixits_yaml(struct strbuf *out, const char *main_file, const char *build_dir,
                const struct fixit *v, int n, const char **bad);

#endif
