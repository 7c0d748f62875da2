// daec-expect: count_hits decoupled
// daec-expect: csr_col_counts decoupled
/*
 * Scatters whose write address comes from a loaded index, into arrays of
 * the same type as the index arrays and not restrict-qualified: the writes
 * may land anywhere, including in the ids still to be read. (Written as a
 * file to decline; daec now bounds the scattered addresses by scanning the
 * ids before the run and falls back to the original when they could reach
 * the ids, so it decouples them; the driver checks both paths.)
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
