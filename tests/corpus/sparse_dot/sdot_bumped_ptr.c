// daec-expect: spdot_ptr decoupled op~=sparse-dot
/*
 * Sparse dot written with pointers that are bumped in the loop header,
 * the way K&R-era numerical code walks arrays.
 */

double spdot_ptr(const unsigned *ind, const unsigned *ind_end, const float *vals,
                 const double *dense)
{
	double acc = 0.0;
	const unsigned *ip;
	const float *vp;

	for (ip = ind, vp = vals; ip != ind_end; ++ip, ++vp)
		acc += (double)*vp * dense[*ip];
	return acc;
}
