// daec-expect: take_rows_checked decoupled op~=gather
/*
 * Gather of double rows with validation: an id outside [0, nrows) produces
 * a zero row and is counted; the number of bad ids is returned.
 */

int take_rows_checked(const double *data, long nrows, long ncols,
                      const long *ids, long nids, double *result)
{
	long i, j;
	int nbad = 0;

	for (i = 0; i < nids; i++) {
		long id = ids[i];
		if (id < 0 || id >= nrows) {
			for (j = 0; j < ncols; j++)
				result[i * ncols + j] = 0.0;
			nbad++;
			continue;
		}
		for (j = 0; j < ncols; j++)
			result[i * ncols + j] = data[id * ncols + j];
	}
	return nbad;
}
