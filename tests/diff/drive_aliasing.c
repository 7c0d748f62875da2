/*
 * Outputs that overlap the index arrays, in memory layouts where that is
 * legal C: the translation must give the original's bytes in every layout,
 * take the decoupled path when the arrays are disjoint, and fall back to the
 * original when the run-time check sees an overlap it cannot rule out.
 */
#include "diffcheck.h"

void orig_gather_i64(const int64_t *, int64_t, const int64_t *, int64_t, int64_t *);
void dae_gather_i64(const int64_t *, int64_t, const int64_t *, int64_t, int64_t *);
void orig_bag_after_clear(const float *, int64_t, const int64_t *, const int64_t *, int64_t,
                          float *, unsigned char *, size_t);
void dae_bag_after_clear(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *,
                         unsigned char *, size_t);

void orig_bag_i64(const int64_t *, int64_t, const int64_t *, const int64_t *, int64_t, int64_t *);
void dae_bag_i64(const int64_t *, int64_t, const int64_t *, const int64_t *, int64_t, int64_t *);
void orig_bag_in_table(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *);
void dae_bag_in_table(const float *, int64_t, const int64_t *, const int64_t *, int64_t, float *);
void orig_row_reach(const float *, int64_t, const int64_t *, int64_t, int64_t, float *);
void dae_row_reach(const float *, int64_t, const int64_t *, int64_t, int64_t, float *);

enum { WORDS = 1 << 16 };

static int64_t mem_a[WORDS], mem_b[WORDS];
static int failures;

static void expect(int ok, const char *what, int layout, int c)
{
	if (!ok) {
		fprintf(stderr, "drive_aliasing: %s (layout %d, case %d)\n", what, layout, c);
		failures++;
	}
}

/* One buffer holds table, indices and out; out starts at out_at (in words). */
static void gather_case(struct dc_rng *r, int layout, int c)
{
	int64_t dim = dc_range(r, 1, 8), n = dc_range(r, 0, 300), rows = 64;
	int64_t idx_at = 8192, out_at;
	if (layout == 0)
		out_at = 16384; /* disjoint */
	else if (layout == 1)
		out_at = idx_at + dc_range(r, 0, n + 1); /* inside the indices */
	else
		out_at = idx_at - dc_range(r, 1, n * dim + 2); /* runs into them */
	if (out_at < rows * dim)
		out_at = rows * dim;
	for (int i = 0; i < WORDS; i++)
		mem_a[i] = mem_b[i] = (int64_t)dc_below(r, rows);
	uint64_t runs = dc_runs();
	orig_gather_i64(mem_a, dim, mem_a + idx_at, n, mem_a + out_at);
	dae_gather_i64(mem_b, dim, mem_b + idx_at, n, mem_b + out_at);
	int decoupled = dc_runs() > runs;
	expect(!memcmp(mem_a, mem_b, sizeof(mem_a)), "gather_i64 differs from the original", layout,
	       c);
	int overlap = out_at < idx_at + n && idx_at < out_at + n * dim;
	if (n > 0 && !overlap)
		expect(decoupled, "gather_i64 fell back although nothing overlaps", layout, c);
	if (overlap)
		expect(!decoupled, "gather_i64 ran decoupled over an overlap", layout, c);
}

/* Where fill_bags puts the offsets and the indices in mem_a (in words). */
enum { BAGS_OFF = 100, BAGS_IDX = 4096 };

/* nbags bags in mem_a: offsets from 0 at BAGS_OFF, each bag below len
 * lookups long, and the indices they read (rows below `rows`) at BAGS_IDX. */
static void fill_bags(struct dc_rng *r, int64_t nbags, int64_t len, int64_t rows)
{
	mem_a[BAGS_OFF] = 0;
	for (int64_t b = 0; b < nbags; b++)
		mem_a[BAGS_OFF + b + 1] = mem_a[BAGS_OFF + b] + dc_below(r, len);
	for (int64_t j = 0; j < mem_a[BAGS_OFF + nbags]; j++)
		mem_a[BAGS_IDX + j] = dc_below(r, rows);
}

/* The scratch area that is cleared first may overlap the offsets. */
static void clear_case(struct dc_rng *r, int layout, int c)
{
	int64_t dim = dc_range(r, 1, 16), nbags = dc_range(r, 0, 200), rows = 50;
	static float table[50 * 16], out_a[200 * 16], out_b[200 * 16];
	for (int i = 0; i < 50 * 16; i++)
		table[i] = dc_float(r);
	const int64_t off_at = BAGS_OFF, idx_at = BAGS_IDX;
	fill_bags(r, nbags, 6, rows);
	memcpy(mem_b, mem_a, sizeof(mem_a));
	dc_fill_bytes(r, out_a, sizeof(out_a));
	memcpy(out_b, out_a, sizeof(out_a));
	size_t at = layout == 0 ? 60000 : (size_t)(off_at + dc_below(r, nbags + 1));
	size_t bytes = (size_t)dc_below(r, 64) * 8;
	uint64_t runs = dc_runs();
	orig_bag_after_clear(table, dim, mem_a + idx_at, mem_a + off_at, nbags, out_a,
	                     (unsigned char *)(mem_a + at), bytes);
	dae_bag_after_clear(table, dim, mem_b + idx_at, mem_b + off_at, nbags, out_b,
	                    (unsigned char *)(mem_b + at), bytes);
	expect(!memcmp(out_a, out_b, sizeof(out_a)), "bag_after_clear output differs", layout, c);
	expect(!memcmp(mem_a, mem_b, sizeof(mem_a)), "bag_after_clear memory differs", layout, c);
	/* The fence makes every layout safe: no fallback is needed. */
	expect(dc_runs() > runs, "bag_after_clear did not run decoupled", layout, c);
}

/* Bags whose output lies in the table itself (layout 1: somewhere among the
 * rows the bags read, layout 0: past them, layout 2: from row 30 on, the
 * first half of the bags reading rows below it only, so that the lanes'
 * first chunks pass their check and a later one fails). A bag then reads rows that the
 * bags before it, or the bag itself, have written: the original's order of
 * reads and writes decides every bit, and the bufferised execute side must
 * notice the overlap and run those lookups as written. Rows of 16 to 80
 * floats reach the vector blocks. Each layout runs bag_after_clear, and
 * bag_in_table, whose calls lanes may split, from the same table. */
static void table_out_case(struct dc_rng *r, int layout, int c)
{
	enum { FLOATS = 1 << 14 };
	static float f0[FLOATS], fa[FLOATS], fb[FLOATS];
	int64_t dim = dc_range(r, 1, 80), nbags = dc_range(r, 0, 40), rows = 60;
	const int64_t off_at = BAGS_OFF, idx_at = BAGS_IDX;
	fill_bags(r, nbags, 40, rows);
	for (int64_t j = 0; layout == 2 && j < mem_a[BAGS_OFF + nbags / 2]; j++)
		mem_a[BAGS_IDX + j] %= 30;
	memcpy(mem_b, mem_a, sizeof(mem_a));
	for (int i = 0; i < FLOATS; i++)
		f0[i] = dc_float(r);
	int64_t out_at = layout == 0   ? rows * dim
	                 : layout == 2 ? 30 * dim
	                               : dc_below(r, rows * dim);
	memcpy(fa, f0, sizeof(f0));
	memcpy(fb, f0, sizeof(f0));
	orig_bag_after_clear(fa, dim, mem_a + idx_at, mem_a + off_at, nbags, fa + out_at,
	                     (unsigned char *)(mem_a + 60000), 0);
	dae_bag_after_clear(fb, dim, mem_b + idx_at, mem_b + off_at, nbags, fb + out_at,
	                    (unsigned char *)(mem_b + 60000), 0);
	expect(!memcmp(fa, fb, sizeof(fa)), "bag_after_clear into its own table differs", layout,
	       c);
	memcpy(fa, f0, sizeof(f0));
	memcpy(fb, f0, sizeof(f0));
	orig_bag_in_table(fa, dim, mem_a + idx_at, mem_a + off_at, nbags, fa + out_at);
	dae_bag_in_table(fb, dim, mem_b + idx_at, mem_b + off_at, nbags, fb + out_at);
	expect(!memcmp(fa, fb, sizeof(fa)), "bag_in_table into its own table differs", layout, c);
}

/* Bags of int64 rows: the indices read are bounded by scanning the offsets. */
static void bag_case(struct dc_rng *r, int layout, int c)
{
	int64_t dim = dc_range(r, 1, 6), nbags = dc_range(r, 0, 100), rows = 64;
	int64_t off_at = 20000, idx_at = 30000, out_at;
	mem_a[off_at] = dc_below(r, 5);
	for (int64_t b = 0; b < nbags; b++)
		mem_a[off_at + b + 1] = mem_a[off_at + b] + dc_below(r, 6);
	int64_t used = mem_a[off_at + nbags];
	if (layout == 0)
		out_at = 40000; /* disjoint */
	else
		out_at = idx_at + dc_below(r, used + 1) - dc_below(r, nbags * dim + 1);
	for (int64_t i = 0; i < rows * dim; i++)
		mem_a[i] = (int64_t)dc_below(r, 1000);
	for (int64_t j = 0; j < used + 8; j++)
		mem_a[idx_at + j] = dc_below(r, rows);
	memcpy(mem_b, mem_a, sizeof(mem_a));
	uint64_t runs = dc_runs();
	orig_bag_i64(mem_a, dim, mem_a + idx_at, mem_a + off_at, nbags, mem_a + out_at);
	dae_bag_i64(mem_b, dim, mem_b + idx_at, mem_b + off_at, nbags, mem_b + out_at);
	int decoupled = dc_runs() > runs;
	expect(!memcmp(mem_a, mem_b, sizeof(mem_a)), "bag_i64 differs from the original", layout,
	       c);
	/* The indices read are [off[0], off[nbags]) when no bag is empty at the ends. */
	int64_t lo = idx_at + mem_a[off_at], hi = idx_at + used;
	int overlap = nbags > 0 && lo < hi && out_at < hi && lo < out_at + nbags * dim;
	if (layout == 0 && used > mem_a[off_at])
		expect(decoupled, "bag_i64 fell back although nothing overlaps", layout, c);
	if (overlap)
		expect(!decoupled, "bag_i64 ran decoupled over an overlap", layout, c);
}

/* row_reach with the table's first rows right below out (layout 1) or far
 * from it (layout 0): the rows each lookup copies are never out's, but its
 * second loop reaches over every row of out, so later rows read what earlier
 * ones wrote. Lanes may not split such a call. */
static void reach_case(struct dc_rng *r, int layout, int c)
{
	enum { FLOATS = 1 << 14 };
	static float fa[FLOATS], fb[FLOATS];
	int64_t dim = dc_range(r, 1, 8), n = dc_range(r, 0, 120), rows = dc_range(r, 1, 4);
	int64_t out_at = layout == 0 ? FLOATS - n * dim : rows * dim;
	int64_t reach = layout == 0 ? 1 : rows + n;
	int64_t *ix = mem_a + 50000;
	for (int64_t i = 0; i < n; i++)
		ix[i] = dc_below(r, rows);
	for (int i = 0; i < FLOATS; i++)
		fa[i] = fb[i] = dc_float(r);
	uint64_t runs = dc_runs();
	orig_row_reach(fa, dim, ix, n, reach, fa + out_at);
	dae_row_reach(fb, dim, ix, n, reach, fb + out_at);
	expect(!memcmp(fa, fb, sizeof(fa)), "row_reach differs from the original", layout, c);
	if (layout == 0 && n > 0)
		expect(dc_runs() > runs, "row_reach fell back although nothing overlaps", layout,
		       c);
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : 7;
	struct dc_rng r = dc_rng_for(seed, 0);
	int cases = 0;
	for (int c = 0; c < 200; c++)
		for (int layout = 0; layout < 3; layout++) {
			gather_case(&r, layout, c);
			table_out_case(&r, layout, c);
			cases += 2;
			if (layout < 2) {
				clear_case(&r, layout, c);
				bag_case(&r, layout, c);
				reach_case(&r, layout, c);
				cases += 3;
			}
		}
	printf("drive_aliasing: seed %llu, %d cases, %d failures\n", (unsigned long long)seed,
	       cases, failures);
	return failures != 0;
}
