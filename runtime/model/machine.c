/* Machine descriptions: JSON to struct dae_machine, the built-in presets,
 * and the checks that name the offending key.
 *
 * The schema is one table of leaves (a dotted key path, a type, where the
 * value goes); objects on the way are implied by the paths. Every key of
 * the input must be a leaf or an object of the table, so a misspelt key is
 * an error rather than a silently ignored default. Range checks live in
 * dae_machine_check, which dae_model_create runs as well, because the
 * struct's fields are public and a caller may change them after parsing. */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "dae/run.h"
#include "model_int.h"

enum leaf_type {
	T_NUM, /* double */
	T_U32, /* uint32_t */
	T_KIB, /* uint64_t bytes, given in KiB */
	T_BOOL, /* bool */
	T_LEVEL, /* enum dae_mem_level: "l1", "l2", "llc" */
	T_ROWS, /* enum dae_rows_from: "queue", "l1" */
	T_NAME, /* char[64] */
	T_COMMENT, /* a string or an array of strings; ignored */
};

struct leaf {
	const char *path;
	enum leaf_type type;
	size_t off;
	bool required;
};

#define F(field) offsetof(struct dae_machine, field)

static const struct leaf leaves[] = {
        {"name", T_NAME, F(name), false},
        {"comment", T_COMMENT, 0, false},
        {"clock_ghz", T_NUM, F(clock_ghz), true},
        {"line_bytes", T_U32, F(line_bytes), false},
        {"caches.l1.size_kib", T_KIB, F(cache[0].size_bytes), true},
        {"caches.l1.ways", T_U32, F(cache[0].ways), true},
        {"caches.l1.latency_cycles", T_NUM, F(cache[0].latency_cycles), true},
        {"caches.l2.size_kib", T_KIB, F(cache[1].size_bytes), true},
        {"caches.l2.ways", T_U32, F(cache[1].ways), true},
        {"caches.l2.latency_cycles", T_NUM, F(cache[1].latency_cycles), true},
        {"caches.llc.size_kib", T_KIB, F(cache[2].size_bytes), true},
        {"caches.llc.ways", T_U32, F(cache[2].ways), true},
        {"caches.llc.latency_cycles", T_NUM, F(cache[2].latency_cycles), true},
        {"dram.latency_ns", T_NUM, F(dram_latency_ns), true},
        {"dram.bandwidth_gbs", T_NUM, F(dram_bandwidth_gbs), true},
        {"prefetch.stream", T_BOOL, F(prefetch.stream), false},
        {"prefetch.adjacent", T_BOOL, F(prefetch.adjacent), false},
        {"prefetch.streams", T_U32, F(prefetch.streams), false},
        {"prefetch.distance_lines", T_U32, F(prefetch.distance_lines), false},
        {"access.lanes", T_U32, F(access.lanes), false},
        {"access.issue_per_cycle", T_NUM, F(access.issue_per_cycle), false},
        {"access.max_outstanding", T_U32, F(access.max_outstanding), false},
        {"access.entry_level", T_LEVEL, F(access.entry_level), false},
        {"queue.capacity_words", T_U32, F(queue.capacity_words), false},
        {"queue.push_cycles", T_NUM, F(queue.push_cycles), false},
        {"queue.pop_cycles", T_NUM, F(queue.pop_cycles), false},
        {"queue.level", T_LEVEL, F(queue.level), false},
        {"execute.vector_bytes", T_U32, F(execute.vector_bytes), false},
        {"execute.ops_per_cycle", T_NUM, F(execute.ops_per_cycle), false},
        {"execute.token_cycles", T_NUM, F(execute.token_cycles), false},
        {"execute.rows_from", T_ROWS, F(execute.rows_from), false},
        {"coupled.width", T_NUM, F(coupled.width), false},
        {"coupled.rob", T_U32, F(coupled.rob), false},
        {"coupled.miss_buffers", T_U32, F(coupled.miss_buffers), false},
        {"coupled.vector_bytes", T_U32, F(coupled.vector_bytes), false},
        {"coupled.ops_per_cycle", T_NUM, F(coupled.ops_per_cycle), false},
        {"coupled.uops_per_vector", T_U32, F(coupled.uops_per_vector), false},
        {"coupled.uops_per_row", T_U32, F(coupled.uops_per_row), false},
        {"coupled.uops_per_word", T_U32, F(coupled.uops_per_word), false},
        {"coupled.stores_per_vector", T_U32, F(coupled.stores_per_vector), false},
        {"coupled.pending_stores", T_U32, F(coupled.pending_stores), false},
        {"tlb.entries", T_U32, F(tlb.entries), false},
        {"tlb.ways", T_U32, F(tlb.ways), false},
        {"tlb.page_kib", T_KIB, F(tlb.page_bytes), false},
        {"tlb.walk_cycles", T_NUM, F(tlb.walk_cycles), false},
        {"tlb.walkers", T_U32, F(tlb.walkers), false},
        {"tlb.pte_levels", T_U32, F(tlb.pte_levels), false},
        {"tlb.tables", T_U32, F(tlb.tables), false},
        {"runtime.inline_words", T_U32, F(runtime.inline_words), false},
        {"runtime.queue_words", T_U32, F(runtime.queue_words), false},
        {"runtime.lane_chunks", T_U32, F(runtime.lane_chunks), false},
        {"runtime.lanes_min", T_U32, F(runtime.lanes_min), false},
        {"runtime.fused_ahead", T_U32, F(runtime.fused_ahead), false},
        {"runtime.fused_chunk", T_U32, F(runtime.fused_chunk), false},
};

#define NLEAVES (sizeof(leaves) / sizeof(leaves[0]))

static const char *const level_names[DAE_MEM_LEVELS] = {"l1", "l2", "llc"};

/* The values of the keys a description may leave out: a modest
 * out-of-order core with a software-like access side. */
static void set_defaults(struct dae_machine *m)
{
	memset(m, 0, sizeof(*m));
	m->line_bytes = 64;
	m->prefetch.stream = false;
	m->prefetch.adjacent = false;
	m->prefetch.streams = 16;
	m->prefetch.distance_lines = 16;
	m->access.lanes = 1;
	m->access.issue_per_cycle = 1;
	m->access.max_outstanding = 16;
	m->access.entry_level = DAE_MEM_L1;
	m->queue.capacity_words = 1024;
	m->queue.push_cycles = 1;
	m->queue.pop_cycles = 1;
	m->queue.level = DAE_MEM_L2;
	m->execute.vector_bytes = 64;
	m->execute.ops_per_cycle = 1;
	m->execute.token_cycles = 2;
	m->execute.rows_from = DAE_ROWS_FROM_QUEUE;
	m->coupled.width = 4;
	m->coupled.rob = 256;
	m->coupled.miss_buffers = 16;
	m->coupled.vector_bytes = 64;
	m->coupled.ops_per_cycle = 2;
	m->coupled.uops_per_vector = 2;
	m->coupled.uops_per_row = 2;
	m->coupled.uops_per_word = 0;
	m->coupled.stores_per_vector = 0;
	m->coupled.pending_stores = 0;
	m->tlb.entries = 0;
	m->tlb.ways = 4;
	m->tlb.page_bytes = 4096;
	m->tlb.walk_cycles = 0;
	m->tlb.walkers = 1;
	m->tlb.pte_levels = 1;
	m->tlb.tables = 1;
	m->runtime.inline_words = DAE_RUN_INLINE_WORDS;
	m->runtime.queue_words = DAE_RUN_QUEUE_WORDS;
	m->runtime.lane_chunks = DAE_RUN_LANE_CHUNKS;
	m->runtime.lanes_min = DAE_RUN_LANES_MIN;
	m->runtime.fused_ahead = DAE_RUN_FUSED_AHEAD;
	m->runtime.fused_chunk = DAE_RUN_FUSED_CHUNK;
}

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Is path (of length len) a leaf, or an object some leaf lies under? */
static int classify(const char *path, size_t len)
{
	for (size_t i = 0; i < NLEAVES; i++) {
		const char *p = leaves[i].path;

		if (strncmp(p, path, len) != 0)
			continue;
		if (p[len] == '\0')
			return 1;
		if (p[len] == '.')
			return 2;
	}
	return 0;
}

static int check_keys(json_t *obj, char *path, size_t len, char *err, size_t errlen)
{
	const char *key;
	json_t *val;

	json_object_foreach(obj, key, val)
	{
		size_t klen = strlen(key);
		int kind;

		if (len + 1 + klen >= 256)
			return fail(err, errlen, "%.*s%s%.64s...: unknown key", (int)len, path,
			            len ? "." : "", key);
		size_t n = len;
		if (n)
			path[n++] = '.';
		memcpy(path + n, key, klen + 1);
		kind = memchr(key, '.', klen) ? 0 : classify(path, n + klen);
		if (kind == 0)
			return fail(err, errlen, "%s: unknown key", path);
		if (kind == 2) {
			if (!json_is_object(val))
				return fail(err, errlen, "%s: must be an object", path);
			int r = check_keys(val, path, n + klen, err, errlen);
			if (r)
				return r;
		}
		path[len] = '\0';
	}
	return 0;
}

static json_t *lookup(json_t *root, const char *path)
{
	char part[64];
	json_t *v = root;

	while (v && *path) {
		const char *dot = strchr(path, '.');
		size_t n = dot ? (size_t)(dot - path) : strlen(path);

		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		v = json_is_object(v) ? json_object_get(v, part) : NULL;
		path += n + (dot ? 1 : 0);
	}
	return v;
}

static int set_leaf(struct dae_machine *m, const struct leaf *l, json_t *v, char *err,
                    size_t errlen)
{
	char *dst = (char *)m + l->off;
	const char *s;

	switch (l->type) {
	case T_NUM:
		if (!json_is_number(v))
			return fail(err, errlen, "%s: must be a number", l->path);
		*(double *)(void *)dst = json_number_value(v);
		return 0;
	case T_U32:
	case T_KIB: {
		if (!json_is_integer(v))
			return fail(err, errlen, "%s: must be an integer", l->path);
		json_int_t i = json_integer_value(v);
		json_int_t max = l->type == T_U32 ? (json_int_t)UINT32_MAX : (json_int_t)1 << 40;
		if (i < 0 || i > max)
			return fail(err, errlen, "%s: %lld is out of range (0 to %lld)", l->path,
			            (long long)i, (long long)max);
		if (l->type == T_U32)
			*(uint32_t *)(void *)dst = (uint32_t)i;
		else
			*(uint64_t *)(void *)dst = (uint64_t)i * 1024;
		return 0;
	}
	case T_BOOL:
		if (!json_is_boolean(v))
			return fail(err, errlen, "%s: must be true or false", l->path);
		*(bool *)(void *)dst = json_is_true(v);
		return 0;
	case T_LEVEL:
		s = json_string_value(v);
		for (int k = 0; s && k < DAE_MEM_LEVELS; k++) {
			if (strcmp(s, level_names[k]) == 0) {
				*(enum dae_mem_level *)(void *)dst = (enum dae_mem_level)k;
				return 0;
			}
		}
		return fail(err, errlen, "%s: must be \"l1\", \"l2\" or \"llc\"", l->path);
	case T_ROWS:
		s = json_string_value(v);
		if (s && strcmp(s, "queue") == 0)
			*(enum dae_rows_from *)(void *)dst = DAE_ROWS_FROM_QUEUE;
		else if (s && strcmp(s, "l1") == 0)
			*(enum dae_rows_from *)(void *)dst = DAE_ROWS_FROM_L1;
		else
			return fail(err, errlen, "%s: must be \"queue\" or \"l1\"", l->path);
		return 0;
	case T_NAME:
		s = json_string_value(v);
		if (!s || !*s || strlen(s) >= sizeof(m->name))
			return fail(err, errlen, "%s: must be a string of 1 to %zu characters",
			            l->path, sizeof(m->name) - 1);
		strcpy(m->name, s);
		return 0;
	case T_COMMENT:
		if (json_is_string(v))
			return 0;
		if (json_is_array(v)) {
			size_t i;
			json_t *e;
			json_array_foreach(v, i, e)
			{
				if (!json_is_string(e))
					return fail(err, errlen, "%s[%zu]: must be a string",
					            l->path, i);
			}
			return 0;
		}
		return fail(err, errlen, "%s: must be a string or an array of strings", l->path);
	}
	return fail(err, errlen, "%s: unhandled type", l->path);
}

static bool bad_num(double v, double lo, bool lo_open, double hi)
{
	return !isfinite(v) || (lo_open ? v <= lo : v < lo) || v > hi;
}

int dae_machine_check(const struct dae_machine *m, char *err, size_t errlen)
{
	static const char *const lv_key[DAE_MEM_LEVELS] = {"caches.l1", "caches.l2", "caches.llc"};

	if (bad_num(m->clock_ghz, 0, true, 1000))
		return fail(err, errlen, "clock_ghz: must be above 0 and at most 1000");
	if (m->line_bytes < 8 || m->line_bytes > 4096 || (m->line_bytes & (m->line_bytes - 1)))
		return fail(err, errlen, "line_bytes: %u is not a power of two from 8 to 4096",
		            m->line_bytes);
	for (int k = 0; k < DAE_MEM_LEVELS; k++) {
		const struct dae_cache_config *c = &m->cache[k];

		if (c->size_bytes == 0)
			return fail(err, errlen, "%s.size_kib: must be positive", lv_key[k]);
		if (c->ways == 0)
			return fail(err, errlen, "%s.ways: must be positive", lv_key[k]);
		if (c->size_bytes % ((uint64_t)c->ways * m->line_bytes) != 0)
			return fail(err, errlen,
			            "%s.ways: %u ways of %u-byte lines do not divide %llu bytes "
			            "into whole sets",
			            lv_key[k], c->ways, m->line_bytes,
			            (unsigned long long)c->size_bytes);
		if (c->size_bytes / m->line_bytes > ((uint64_t)1 << 28))
			return fail(err, errlen,
			            "%s.size_kib: larger than the model supports (%llu "
			            "lines at most)",
			            lv_key[k], 1ull << 28);
		if (bad_num(c->latency_cycles, 0, false, 1e6))
			return fail(err, errlen, "%s.latency_cycles: must be from 0 to 1e6",
			            lv_key[k]);
	}
	if (bad_num(m->dram_latency_ns, 0, false, 1e7))
		return fail(err, errlen, "dram.latency_ns: must be from 0 to 1e7");
	if (bad_num(m->dram_bandwidth_gbs, 0, true, 1e7))
		return fail(err, errlen, "dram.bandwidth_gbs: must be above 0");
	if (m->prefetch.streams < 1 || m->prefetch.streams > 1024)
		return fail(err, errlen, "prefetch.streams: must be from 1 to 1024");
	if (m->prefetch.distance_lines < 1 || m->prefetch.distance_lines > 4096)
		return fail(err, errlen, "prefetch.distance_lines: must be from 1 to 4096");
	if (m->access.lanes < 1 || m->access.lanes > 4096)
		return fail(err, errlen, "access.lanes: must be from 1 to 4096");
	if (bad_num(m->access.issue_per_cycle, 0, true, 1e6))
		return fail(err, errlen, "access.issue_per_cycle: must be above 0");
	if (m->access.max_outstanding < 1 || m->access.max_outstanding > (1u << 20))
		return fail(err, errlen, "access.max_outstanding: must be from 1 to %u", 1u << 20);
	if ((unsigned)m->access.entry_level >= DAE_MEM_LEVELS)
		return fail(err, errlen, "access.entry_level: not a cache level");
	if (m->queue.capacity_words < 1 || m->queue.capacity_words > (1u << 26))
		return fail(err, errlen, "queue.capacity_words: must be from 1 to %u", 1u << 26);
	if (bad_num(m->queue.push_cycles, 0, false, 1e6))
		return fail(err, errlen, "queue.push_cycles: must be from 0 to 1e6");
	if (bad_num(m->queue.pop_cycles, 0, false, 1e6))
		return fail(err, errlen, "queue.pop_cycles: must be from 0 to 1e6");
	if ((unsigned)m->queue.level >= DAE_MEM_LEVELS)
		return fail(err, errlen, "queue.level: not a cache level");
	if (m->execute.vector_bytes < 1 || m->execute.vector_bytes > 65536)
		return fail(err, errlen, "execute.vector_bytes: must be from 1 to 65536");
	if (bad_num(m->execute.ops_per_cycle, 0, true, 1e6))
		return fail(err, errlen, "execute.ops_per_cycle: must be above 0");
	if (bad_num(m->execute.token_cycles, 0, false, 1e6))
		return fail(err, errlen, "execute.token_cycles: must be from 0 to 1e6");
	if ((unsigned)m->execute.rows_from > DAE_ROWS_FROM_L1)
		return fail(err, errlen, "execute.rows_from: must be \"queue\" or \"l1\"");
	if (bad_num(m->coupled.width, 0, true, 1024))
		return fail(err, errlen, "coupled.width: must be above 0 and at most 1024");
	if (m->coupled.rob < 1 || m->coupled.rob > (1u << 20))
		return fail(err, errlen, "coupled.rob: must be from 1 to %u", 1u << 20);
	if (m->coupled.miss_buffers < 1 || m->coupled.miss_buffers > (1u << 20))
		return fail(err, errlen, "coupled.miss_buffers: must be from 1 to %u", 1u << 20);
	if (m->coupled.vector_bytes < 1 || m->coupled.vector_bytes > 65536)
		return fail(err, errlen, "coupled.vector_bytes: must be from 1 to 65536");
	if (bad_num(m->coupled.ops_per_cycle, 0, true, 1e6))
		return fail(err, errlen, "coupled.ops_per_cycle: must be above 0");
	if (m->coupled.uops_per_vector < 1 || m->coupled.uops_per_vector > 1024)
		return fail(err, errlen, "coupled.uops_per_vector: must be from 1 to 1024");
	if (m->coupled.uops_per_row > 65536)
		return fail(err, errlen, "coupled.uops_per_row: must be at most 65536");
	if (m->coupled.uops_per_word > 65536)
		return fail(err, errlen, "coupled.uops_per_word: must be at most 65536");
	if (m->coupled.stores_per_vector > m->coupled.uops_per_vector - 1)
		return fail(err, errlen,
		            "coupled.stores_per_vector: must be at most %u (uops_per_vector - 1)",
		            m->coupled.uops_per_vector - 1);
	if (m->coupled.pending_stores > m->coupled.rob)
		return fail(err, errlen,
		            "coupled.pending_stores: must be from 0 (no limit) to coupled.rob (%u)",
		            m->coupled.rob);
	if (m->tlb.entries) {
		const uint64_t pb = m->tlb.page_bytes;

		if (m->tlb.entries > (1u << 20))
			return fail(err, errlen, "tlb.entries: must be from 0 to %u", 1u << 20);
		if (m->tlb.ways < 1 || m->tlb.entries % m->tlb.ways != 0)
			return fail(err, errlen,
			            "tlb.ways: %u ways do not divide %u entries into whole sets",
			            m->tlb.ways, m->tlb.entries);
		if (pb < m->line_bytes || pb > ((uint64_t)1 << 30) || (pb & (pb - 1)))
			return fail(err, errlen,
			            "tlb.page_kib: %llu bytes is not a power of two from the line "
			            "size to 1 GiB",
			            (unsigned long long)pb);
		if (bad_num(m->tlb.walk_cycles, 0, false, 1e6))
			return fail(err, errlen, "tlb.walk_cycles: must be from 0 to 1e6");
		if (m->tlb.walkers < 1 || m->tlb.walkers > 1024)
			return fail(err, errlen, "tlb.walkers: must be from 1 to 1024");
		if (m->tlb.pte_levels > 4)
			return fail(err, errlen, "tlb.pte_levels: must be from 0 to 4");
		if (m->tlb.tables < 1 || m->tlb.tables > 2)
			return fail(err, errlen, "tlb.tables: must be 1 or 2");
	}
	if (m->runtime.inline_words < 2 || m->runtime.inline_words > DAE_RUN_WORDS_MAX)
		return fail(err, errlen, "runtime.inline_words: must be from 2 to %u",
		            DAE_RUN_WORDS_MAX);
	if (m->runtime.queue_words < 2 || m->runtime.queue_words > DAE_RUN_WORDS_MAX)
		return fail(err, errlen, "runtime.queue_words: must be from 2 to %u",
		            DAE_RUN_WORDS_MAX);
	if (m->runtime.lane_chunks < 1 || m->runtime.lane_chunks > DAE_RUN_LANE_CHUNKS_MAX)
		return fail(err, errlen, "runtime.lane_chunks: must be from 1 to %u",
		            DAE_RUN_LANE_CHUNKS_MAX);
	if (m->runtime.lanes_min < 1)
		return fail(err, errlen, "runtime.lanes_min: must be positive");
	if (m->runtime.fused_ahead < 1 || m->runtime.fused_ahead > DAE_RUN_WORDS_MAX)
		return fail(err, errlen, "runtime.fused_ahead: must be from 1 to %u",
		            DAE_RUN_WORDS_MAX);
	if (m->runtime.fused_chunk < 1 || m->runtime.fused_chunk > DAE_RUN_WORDS_MAX)
		return fail(err, errlen, "runtime.fused_chunk: must be from 1 to %u",
		            DAE_RUN_WORDS_MAX);
	if (!memchr(m->name, '\0', sizeof(m->name)))
		return fail(err, errlen, "name: not NUL-terminated");
	return 0;
}

static int parse_named(struct dae_machine *m, const char *json, const char *default_name, char *err,
                       size_t errlen)
{
	struct dae_machine tmp;
	json_error_t jerr;
	json_t *root;
	char path[256] = "";
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!m || !json)
		return fail(err, errlen, "no machine or no text");
	root = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!root)
		return fail(err, errlen, "line %d, column %d: %s", jerr.line, jerr.column,
		            jerr.text);
	if (!json_is_object(root)) {
		json_decref(root);
		return fail(err, errlen, "a machine description must be a JSON object");
	}
	set_defaults(&tmp);
	r = check_keys(root, path, 0, err, errlen);
	for (size_t i = 0; !r && i < NLEAVES; i++) {
		json_t *v = lookup(root, leaves[i].path);

		if (v)
			r = set_leaf(&tmp, &leaves[i], v, err, errlen);
		else if (leaves[i].required)
			r = fail(err, errlen, "%s: missing (required)", leaves[i].path);
	}
	/* A "tlb" section means translation: it must say how big the TLB is
	 * (entries 0 is allowed, and switches it off, only when said). */
	if (!r && lookup(root, "tlb") && !lookup(root, "tlb.entries"))
		r = fail(err, errlen, "tlb.entries: missing (required in a tlb section)");
	json_decref(root);
	if (r)
		return r;
	if (!tmp.name[0])
		snprintf(tmp.name, sizeof(tmp.name), "%s", default_name);
	r = dae_machine_check(&tmp, err, errlen);
	if (r)
		return r;
	*m = tmp;
	return 0;
}

int dae_machine_parse(struct dae_machine *m, const char *json, char *err, size_t errlen)
{
	return parse_named(m, json, "custom", err, errlen);
}

static const struct dae_model_preset *find_preset(const char *name)
{
	for (size_t i = 0; i < dae_model_npresets; i++) {
		if (strcmp(dae_model_presets[i].name, name) == 0)
			return &dae_model_presets[i];
	}
	return NULL;
}

/* Machine files are small; anything past this is not one. */
#define MACHINE_FILE_MAX (1 << 20)

static int load_file(struct dae_machine *m, const char *path, char *err, size_t errlen)
{
	char name[64];
	char msg[256];
	const char *base = strrchr(path, '/');
	FILE *f = fopen(path, "rb");
	char *text;
	size_t n;
	int r;

	if (!f) {
		r = -errno;
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(-r));
		return r;
	}
	text = malloc(MACHINE_FILE_MAX + 1);
	if (!text) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(text, 1, MACHINE_FILE_MAX + 1, f);
	r = ferror(f) ? -EIO : 0;
	fclose(f);
	if (!r && n > MACHINE_FILE_MAX)
		r = fail(err, errlen, "%s: larger than %d bytes", path, MACHINE_FILE_MAX);
	else if (r && err && errlen)
		snprintf(err, errlen, "%s: read error", path);
	if (r) {
		free(text);
		return r;
	}
	text[n] = '\0';
	if (strlen(text) != n) {
		free(text);
		return fail(err, errlen, "%s: contains a NUL byte", path);
	}
	/* The file's name without directory and extension names the machine
	 * unless the file says otherwise. */
	base = base ? base + 1 : path;
	snprintf(name, sizeof(name), "%s", base);
	char *dot = strrchr(name, '.');
	if (dot && dot != name)
		*dot = '\0';
	r = parse_named(m, text, name, msg, sizeof(msg));
	free(text);
	if (r && err && errlen)
		snprintf(err, errlen, "%s: %s", path, msg);
	return r;
}

int dae_machine_load(struct dae_machine *m, const char *name_or_path, char *err, size_t errlen)
{
	const struct dae_model_preset *p;
	char msg[256];
	int r;

	if (err && errlen)
		err[0] = '\0';
	if (!m || !name_or_path || !*name_or_path)
		return fail(err, errlen, "no machine name");
	if (!strchr(name_or_path, '/')) {
		p = find_preset(name_or_path);
		if (p) {
			r = parse_named(m, p->json, p->name, msg, sizeof(msg));
			if (r && err && errlen)
				snprintf(err, errlen, "preset %s: %s", p->name, msg);
			return r;
		}
		if (access(name_or_path, F_OK) != 0) {
			if (err && errlen) {
				size_t o = (size_t)snprintf(err, errlen, "%s: no such preset (",
				                            name_or_path);
				for (size_t i = 0; i < dae_model_npresets && o < errlen; i++)
					o += (size_t)snprintf(err + o, errlen - o, "%s%s",
					                      i ? ", " : "",
					                      dae_model_presets[i].name);
				if (o < errlen)
					snprintf(err + o, errlen - o, ") and no such file");
			}
			return -ENOENT;
		}
	}
	return load_file(m, name_or_path, err, errlen);
}
