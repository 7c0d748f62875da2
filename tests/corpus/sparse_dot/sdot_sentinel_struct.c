// daec-expect: dot_sentinel decoupled op~=sparse-dot
// daec-expect: dot_rows_sentinel decoupled op~=sparse-dot
/*
 * Sparse rows stored as arrays of (index, value) entries terminated by an
 * entry with idx < 0 (the libsvm / liblinear "feature_node" layout).
 */

struct entry {
	int idx;
	float val;
};

float dot_sentinel(const struct entry *p, const float *w)
{
	float s = 0.0f;

	while (p->idx >= 0) {
		s += p->val * w[p->idx];
		p++;
	}
	return s;
}

void dot_rows_sentinel(int nrows, const struct entry *const *rows, const float *w, float *out)
{
	int r;

	for (r = 0; r < nrows; r++) {
		const struct entry *p = rows[r];
		float s = 0.0f;
		while (p->idx >= 0) {
			s += p->val * w[p->idx];
			++p;
		}
		out[r] = s;
	}
}
