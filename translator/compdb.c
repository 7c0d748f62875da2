#include "compdb.h"

#include <clang-c/CXCompilationDatabase.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "paths.h"

struct compdb {
	CXCompilationDatabase db;
	char *cwd;
	struct arena a;
	/* Every file the database lists (real paths where they exist), sorted:
	 * libclang answers for any file, inferring a command from a listed
	 * neighbour, and daec wants to say when a file is not listed. */
	char **files;
	size_t nfiles;
};

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* How the database names a file, comparable with file_key of an input. */
static char *file_key(struct arena *a, const char *dir, const char *file)
{
	char *abs = path_absolute(a, dir, file);
	char *real = realpath(abs, NULL);
	if (!real)
		return abs;
	char *k = arena_strdup(a, real);
	free(real);
	return k;
}

static void list_files(struct compdb *c)
{
	CXCompileCommands all = clang_CompilationDatabase_getAllCompileCommands(c->db);
	unsigned n = all ? clang_CompileCommands_getSize(all) : 0;
	c->files = arena_alloc(&c->a, sizeof(*c->files) * (n + 1));
	for (unsigned i = 0; i < n; i++) {
		CXCompileCommand cmd = clang_CompileCommands_getCommand(all, i);
		CXString dir = clang_CompileCommand_getDirectory(cmd);
		CXString file = clang_CompileCommand_getFilename(cmd);
		const char *d = path_absolute(&c->a, c->cwd, clang_getCString(dir));
		c->files[c->nfiles++] = file_key(&c->a, d, clang_getCString(file));
		clang_disposeString(dir);
		clang_disposeString(file);
	}
	if (all)
		clang_CompileCommands_dispose(all);
	qsort(c->files, c->nfiles, sizeof(*c->files), cmp_str);
}

struct compdb *compdb_open(const char *build_dir, struct diag *d)
{
	/* libclang's own message on a missing file says little: check first. */
	struct stat st;
	size_t n = strlen(build_dir);
	char *json = malloc(n + sizeof("/compile_commands.json"));
	if (!json)
		abort();
	memcpy(json, build_dir, n);
	memcpy(json + n, "/compile_commands.json", sizeof("/compile_commands.json"));
	int missing = stat(json, &st) != 0;
	free(json);
	if (missing) {
		diag_report(d, DIAG_ERROR, build_dir, 0, 0, "no compile_commands.json in %s",
		            build_dir);
		return NULL;
	}
	CXCompilationDatabase_Error err = CXCompilationDatabase_NoError;
	CXCompilationDatabase db = clang_CompilationDatabase_fromDirectory(build_dir, &err);
	if (!db || err != CXCompilationDatabase_NoError) {
		if (db)
			clang_CompilationDatabase_dispose(db);
		diag_report(
		        d, DIAG_ERROR, build_dir, 0, 0,
		        "cannot load %s/compile_commands.json (not a JSON compilation database)",
		        build_dir);
		return NULL;
	}
	struct compdb *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	arena_init(&c->a);
	c->db = db;
	c->cwd = path_cwd(&c->a);
	if (!c->cwd) {
		diag_report(d, DIAG_ERROR, NULL, 0, 0, "cannot determine the current directory");
		compdb_close(c);
		return NULL;
	}
	list_files(c);
	return c;
}

void compdb_close(struct compdb *db)
{
	if (!db)
		return;
	clang_CompilationDatabase_dispose(db->db);
	arena_exit(&db->a);
	free(db);
}

/* Options whose value is the next argument, as " -a -b ... " lists. */
static const char sep_value[] = " -o -D -U -MF -MT -MQ -MJ -x -Xclang -Xpreprocessor -Xlinker"
                                " -Xassembler -target -arch -l -u -T -z --param -aux-info"
                                " -iprefix -iwithprefix -iwithprefixbefore -include-pch -I"
                                " -iquote -isystem -idirafter -include -imacros -isysroot"
                                " --sysroot -F -L -iframework ";

/* Of those, the ones whose value is a file or directory. */
static const char sep_path[] = " -I -iquote -isystem -idirafter -include -imacros -isysroot"
                               " --sysroot -include-pch -F -L -iframework ";

/* Joined forms ("-Iinclude", "--sysroot=dir"), longest first where one
 * prefixes another. */
static const char *const joined_path[] = {"-isystem",    "-idirafter",         "-iquote",
                                          "-iframework", "--sysroot=",         "-I",
                                          "-F",          "-fmodule-map-file=", "-L"};

/* Whether s is a word of list (every word of list has a space either side). */
static int in(const char *s, const char *list)
{
	size_t n = strlen(s);
	if (!n || strchr(s, ' '))
		return 0;
	for (const char *p = strstr(list, s); p; p = strstr(p + 1, s))
		if (p[-1] == ' ' && p[n] == ' ')
			return 1;
	return 0;
}

/* A path as the command meant it: relative to its directory. Values that
 * are relative to the sysroot ("=dir", "$SYSROOT/dir") stay as they are. */
static const char *absolute(struct arena *a, const char *dir, const char *p)
{
	if (!*p || p[0] == '/' || p[0] == '=' || p[0] == '$')
		return p;
	return path_absolute(a, dir, p);
}

static int same_file(const char *a, const char *b)
{
	char *ra = realpath(a, NULL), *rb = realpath(b, NULL);
	int same = ra && rb ? !strcmp(ra, rb) : !strcmp(a, b);
	free(ra);
	free(rb);
	return same;
}

static const char *arg(struct arena *a, CXCompileCommand cmd, unsigned i)
{
	CXString cs = clang_CompileCommand_getArg(cmd, i);
	const char *s = arena_strdup(a, clang_getCString(cs));
	clang_disposeString(cs);
	return s;
}

/* An option with its value joined ("-Iinclude"), the path made absolute. */
static const char *joined(struct arena *a, const char *dir, const char *s)
{
	for (size_t j = 0; j < sizeof(joined_path) / sizeof(joined_path[0]); j++) {
		size_t m = strlen(joined_path[j]);
		if (!strncmp(s, joined_path[j], m) && s[m])
			return arena_printf(a, "%s%s", joined_path[j], absolute(a, dir, s + m));
	}
	return s;
}

int compdb_args(struct compdb *db, const char *file, struct arena *a, const char ***args)
{
	const char *key = file_key(a, db->cwd, file);
	if (!bsearch(&key, db->files, db->nfiles, sizeof(*db->files), cmp_str))
		return -1;
	/* The database names files absolutely (its "directory" joined with its
	 * "file"); try the real path first, then the lexical one. */
	const char *lexical = path_absolute(a, db->cwd, file);
	CXCompileCommands cmds = clang_CompilationDatabase_getCompileCommands(db->db, key);
	if (!cmds || clang_CompileCommands_getSize(cmds) == 0) {
		if (cmds)
			clang_CompileCommands_dispose(cmds);
		cmds = clang_CompilationDatabase_getCompileCommands(db->db, lexical);
	}
	if (!cmds)
		return -1;
	if (clang_CompileCommands_getSize(cmds) == 0) {
		clang_CompileCommands_dispose(cmds);
		return -1;
	}
	CXCompileCommand cmd = clang_CompileCommands_getCommand(cmds, 0);
	CXString dirs = clang_CompileCommand_getDirectory(cmd);
	const char *dir = path_absolute(a, db->cwd, clang_getCString(dirs));
	clang_disposeString(dirs);
	unsigned n = clang_CompileCommand_getNumArgs(cmd);
	const char **v = arena_alloc(a, sizeof(*v) * (n + 1));
	int k = 0;
	int inputs_only = 0; /* after "--": daec puts its own "--" arguments last */
	/* Argument 0 is the compiler. */
	for (unsigned i = 1; i < n; i++) {
		const char *s = arg(a, cmd, i);
		if (!inputs_only && !strcmp(s, "--")) {
			inputs_only = 1;
		} else if (!inputs_only && in(s, sep_value) && i + 1 < n) {
			const char *val = arg(a, cmd, ++i);
			v[k++] = s;
			v[k++] = in(s, sep_path) ? absolute(a, dir, val) : val;
		} else if (!inputs_only && s[0] == '-') {
			v[k++] = joined(a, dir, s);
		} else if (!inputs_only && s[0] == '@') {
			v[k++] = arena_printf(a, "@%s", absolute(a, dir, s + 1));
		} else {
			/* An input: the file itself is passed separately. */
			const char *p = absolute(a, dir, s);
			if (!same_file(p, file))
				v[k++] = p;
		}
	}
	clang_CompileCommands_dispose(cmds);
	*args = v;
	return k;
}
