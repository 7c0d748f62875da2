#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

void report_init(struct report *r, const char *file)
{
	memset(r, 0, sizeof(*r));
	r->file = file;
}

void report_exit(struct report *r)
{
	free(r->v);
	memset(r, 0, sizeof(*r));
}

struct report_fn *report_add(struct report *r)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 16;
		r->v = realloc(r->v, sizeof(*r->v) * (size_t)r->cap);
		if (!r->v)
			abort();
	}
	struct report_fn *f = &r->v[r->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *functions_json(const struct report *r)
{
	json_t *fns = json_array();
	for (int i = 0; i < r->n; i++) {
		const struct report_fn *f = &r->v[i];
		json_t *o = json_object();
		json_object_set_new(o, "name", json_string(f->name));
		/* Only for a header's function: the key is absent otherwise, so a
		 * report without headers keeps its shape. */
		if (f->file)
			json_object_set_new(o, "file", json_string(f->file));
		json_object_set_new(o, "line", json_integer(f->line));
		json_object_set_new(o, "column", json_integer(f->column));
		json_object_set_new(o, "loops", json_integer(f->loops));
		json_object_set_new(o, "decoupled", json_boolean(f->decoupled));
		json_object_set_new(o, "op", str_or_null(f->op));
		json_object_set_new(o, "reason", str_or_null(f->reason));
		if (f->reason && f->reason_line) {
			json_object_set_new(o, "reason_line", json_integer(f->reason_line));
			json_object_set_new(o, "reason_column", json_integer(f->reason_column));
		}
		json_object_set_new(o, "overlap", str_or_null(f->overlap));
		json_object_set_new(o, "guard", json_string(f->decoupled ? "none" : "n/a"));
		json_object_set_new(o, "callbacks", json_integer(f->callbacks));
		json_array_append_new(fns, o);
	}
	return fns;
}

static char *dump(json_t *root)
{
	char *text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text)
		return NULL;
	size_t n = strlen(text);
	char *withnl = malloc(n + 2);
	if (!withnl)
		abort();
	memcpy(withnl, text, n);
	withnl[n] = '\n';
	withnl[n + 1] = '\0';
	free(text);
	return withnl;
}

char *report_json(const struct report *r)
{
	json_t *root = json_object();
	json_object_set_new(root, "file", json_string(r->file));
	json_object_set_new(root, "daec_version", json_string(DAEC_VERSION));
	json_object_set_new(root, "functions", functions_json(r));
	return dump(root);
}

char *report_json_files(const struct report *const *v, int n)
{
	json_t *root = json_object();
	json_object_set_new(root, "daec_version", json_string(DAEC_VERSION));
	json_t *files = json_array();
	for (int i = 0; i < n; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "file", json_string(v[i]->file));
		json_object_set_new(o, "functions", functions_json(v[i]));
		json_array_append_new(files, o);
	}
	json_object_set_new(root, "files", files);
	return dump(root);
}
