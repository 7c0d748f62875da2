/* Bufferised segments (daec -O3): the execute side pops a chunk of a bag's
 * lookups and, when nothing they read lies in the output row, adds them a
 * block of columns at a time in vector registers, every column still taking
 * its rows in bag order (so every result bit is the original's). These are
 * the pieces the generated code uses for it. */
#ifndef DAE_BUFFER_H
#define DAE_BUFFER_H

#include <stddef.h>
#include <stdint.h>

/* Lookups popped per chunk: the operand buffers are arrays of this many
 * elements on the execute side's stack. 32 lookups of 64-float rows are
 * 8 KiB of rows, which stay in L1 across the column blocks. */
#ifndef DAE_BUFFER_ROWS
#define DAE_BUFFER_ROWS 32
#endif

/* GNU C vector extensions (GCC, Clang): 64-byte vectors of floats and
 * doubles. An operation on them is the scalar operation on every element,
 * rounded the same way. Other compilers run the chunk as written. */
#if defined(__GNUC__)
#define DAE_HAVE_VECTORS 1
typedef float dae_f32x16 __attribute__((vector_size(64)));
typedef double dae_f64x8 __attribute__((vector_size(64)));
/* The unaligned, aliasing forms rows are read and written through: a row
 * starts anywhere a float does, and is also read as floats. */
typedef float dae_f32x16_u __attribute__((vector_size(64), aligned(4), may_alias));
typedef double dae_f64x8_u __attribute__((vector_size(64), aligned(8), may_alias));
/* Macros, not functions: a 64-byte vector passed by value draws GCC's
 * -Wpsabi warning on targets without AVX-512. */
#define dae_f32x16_load(p) (*(const dae_f32x16_u *)(const void *)(p))
#define dae_f32x16_store(p, v) ((void)(*(dae_f32x16_u *)(void *)(p) = (v)))
#define dae_f64x8_load(p) (*(const dae_f64x8_u *)(const void *)(p))
#define dae_f64x8_store(p, v) ((void)(*(dae_f64x8_u *)(void *)(p) = (v)))
/* A vector of copies of c (a constant: it is spelled once per element), the
 * first value of sums over a row the user had just filled with c. Not
 * 0 + c: that turns -0.0 into +0.0. */
#define dae_f32x16_splat(c) ((dae_f32x16){c, c, c, c, c, c, c, c, c, c, c, c, c, c, c, c})
#define dae_f64x8_splat(c) ((dae_f64x8){c, c, c, c, c, c, c, c})
#else
#define DAE_HAVE_VECTORS 0
#endif

/* Whether the bytes [a, a + na) and [b, b + nb) are disjoint. */
static inline int dae_span_apart(const void *a, size_t na, const void *b, size_t nb)
{
	uintptr_t x = (uintptr_t)a, y = (uintptr_t)b;
	return x + na <= y || y + nb <= x;
}

#endif
