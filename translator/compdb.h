/* -p BUILD_DIR: compiler arguments from BUILD_DIR/compile_commands.json,
 * read through libclang's compilation database. Only the main thread uses
 * it (before the files are parsed), so the database needs no locking. */
#ifndef DAEC_COMPDB_H
#define DAEC_COMPDB_H

#include "arena.h"
#include "diag.h"

struct compdb;

/* Loads BUILD_DIR's database. NULL after "BUILD_DIR: error: ..." through d. */
struct compdb *compdb_open(const char *build_dir, struct diag *d);
void compdb_close(struct compdb *db);

/* The arguments of the first command that compiles file (named relative to
 * the current directory), without the compiler's name and without file
 * itself, relative paths (-I, -isystem, -include, ... and their joined forms)
 * made absolute against the command's directory: daec parses every file from
 * its own current directory, so that files can be parsed in parallel without
 * chdir. Sets *args (allocated in a) and returns their number, or -1 when
 * the database has no command for file. */
int compdb_args(struct compdb *db, const char *file, struct arena *a, const char ***args);

#endif
