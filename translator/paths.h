/* File names as daec shows and compares them. Lexical only (no file system
 * access), so that a name that does not exist yet is still handled; "same
 * file" questions use realpath() where they are asked. */
#ifndef DAEC_PATHS_H
#define DAEC_PATHS_H

#include "arena.h"

/* dir/p with "." and ".." resolved lexically ("" components dropped); p when
 * p is absolute (normalised too). dir must be absolute. */
char *path_absolute(struct arena *a, const char *dir, const char *p);

/* abs relative to base (both absolute and normalised): "src/f.c",
 * "../other/f.c"; "." when they are equal. */
char *path_relative(struct arena *a, const char *abs, const char *base);

/* The current directory (physical, as getcwd gives it), or NULL. */
char *path_cwd(struct arena *a);

#endif
