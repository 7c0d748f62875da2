/*
 * ys_ops.h - every implementation the yardstick links, by prefix:
 *
 *   ref_   ref_ops.c compiled as is            (-Dys_NAME=ref_NAME)
 *   o0_    daec -O0 translation of ref_ops.c   (-Dys_NAME=o0_NAME)
 *   o1_    daec -O1 translation                (-Dys_NAME=o1_NAME)
 *   o2_    daec -O2 translation                (-Dys_NAME=o2_NAME)
 *   o3_    daec -O3 translation                (-Dys_NAME=o3_NAME)
 *   o2d_   daec -O2 --marshal=data translation (-Dys_NAME=o2d_NAME)
 *   o3d_   daec -O3 --marshal=data translation (-Dys_NAME=o3d_NAME)
 *   hand_  hand_ops.c, YS_SHAPE=2: the yardstick (register-blocked execute)
 *   handv_ hand_ops.c, YS_SHAPE=1: same protocol, vectorised per-lookup loops
 *   hands_ hand_ops.c, YS_SHAPE=0: same protocol, the reference's scalar loops
 *
 * The hand-written ones return dae_run's result (0: decoupled run done).
 * A function daec declines at some level is the original in that
 * translation, under the same name (run.sh tells yardstick.c which).
 */
#ifndef YS_OPS_H
#define YS_OPS_H

#include <stdint.h>

#define YS_DECLARE_REF(P)                                                                          \
	void P##embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,               \
	                          const int64_t *indices, const int64_t *offsets,                  \
	                          int64_t num_bags, float *out);                                   \
	void P##csr_spmm(int64_t n_rows, int64_t n_cols, int64_t F, const int64_t *row_ptr,        \
	                 const int32_t *col_idx, const float *vals, const float *X, float *Y);     \
	void P##gather_rows(const float *table, int64_t num_rows, int64_t dim, const int64_t *ids, \
	                    int64_t n, float *out);

#define YS_DECLARE_HAND(P)                                                                         \
	int P##embedding_bag_sum(const float *table, int64_t num_rows, int64_t dim,                \
	                         const int64_t *indices, const int64_t *offsets, int64_t num_bags, \
	                         float *out);                                                      \
	int P##csr_spmm(int64_t n_rows, int64_t n_cols, int64_t F, const int64_t *row_ptr,         \
	                const int32_t *col_idx, const float *vals, const float *X, float *Y);      \
	int P##gather_rows(const float *table, int64_t num_rows, int64_t dim, const int64_t *ids,  \
	                   int64_t n, float *out);

YS_DECLARE_REF(ref_)
YS_DECLARE_REF(o0_)
YS_DECLARE_REF(o1_)
YS_DECLARE_REF(o2_)
YS_DECLARE_REF(o3_)
YS_DECLARE_REF(o2d_)
YS_DECLARE_REF(o3d_)
YS_DECLARE_HAND(hand_)
YS_DECLARE_HAND(handv_)
YS_DECLARE_HAND(hands_)

#endif
