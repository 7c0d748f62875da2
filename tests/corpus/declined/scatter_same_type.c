// daec-expect: count_hits declined reason~=scatter|bound
// daec-expect: csr_col_counts declined reason~=scatter|bound
/*
 * Scatters whose write address comes from a loaded index, into arrays of
 * the same type as the index arrays and not restrict-qualified: the writes
 * may land anywhere, including in the ids still to be read, and no run-time
 * interval can bound them.
 */

void count_hits(const int *ids, int n, int *counts)
{
	int i;
	for (i = 0; i < n; i++)
		counts[ids[i]] += 1;
}

void csr_col_counts(int nnz, const int *col_idx, int *col_ptr)
{
	int e;
	for (e = 0; e < nnz; e++)
		col_ptr[col_idx[e] + 1]++;
}
