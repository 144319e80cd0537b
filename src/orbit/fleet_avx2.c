/*
 * fleet_avx2.c — the batch SGP4 kernel with AVX2 and FMA and SLEEF's AVX2
 * arctangent and power. Compiled with -mavx2 -mfma; fleet.c calls it only
 * when the CPU has those extensions.
 *
 * A kernel vector is two AVX2 registers (8 satellites, as in the AVX-512
 * kernel), so that both kernels walk the lanes in the same vectors; the two
 * independent halves also keep more operations in flight.
 */
#include <immintrin.h>
#include <sleef.h>

#define W 8
typedef double vd __attribute__((vector_size(8 * W), aligned(32)));
typedef long vi __attribute__((vector_size(8 * W), aligned(32)));
typedef vi vm; /* masks: all bits set in the lanes where true */
typedef union {
    vd v;
    __m256d h[2];
} halves;
typedef union {
    vm v;
    __m256d h[2];
} mask_halves;

static inline vd vload(const double *p)
{
    halves u = {.h = {_mm256_load_pd(p), _mm256_load_pd(p + 4)}};
    return u.v;
}

static inline void vstore(double *p, vd x)
{
    halves u = {x};
    _mm256_store_pd(p, u.h[0]);
    _mm256_store_pd(p + 4, u.h[1]);
}

/* Applies a 4-lane function of one argument to both halves. */
#define ON_HALVES(f, x)                                                                            \
    do {                                                                                           \
        halves u_ = {x};                                                                           \
        u_.h[0] = f(u_.h[0]);                                                                      \
        u_.h[1] = f(u_.h[1]);                                                                      \
        return u_.v;                                                                               \
    } while (0)

static inline __m256d trunc4(__m256d x)
{
    return _mm256_round_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}

static inline vd v_trunc(vd x)
{
    ON_HALVES(trunc4, x);
}

static inline vd v_sqrt(vd x)
{
    ON_HALVES(_mm256_sqrt_pd, x);
}

static inline vd v_fnmadd(vd a, vd b, vd c)
{
    halves x = {a}, y = {b}, z = {c};
    z.h[0] = _mm256_fnmadd_pd(x.h[0], y.h[0], z.h[0]);
    z.h[1] = _mm256_fnmadd_pd(x.h[1], y.h[1], z.h[1]);
    return z.v;
}

static inline vd v_atan2(vd y, vd x)
{
    halves a = {y}, b = {x};
    a.h[0] = Sleef_atan2d4_u35avx2(a.h[0], b.h[0]);
    a.h[1] = Sleef_atan2d4_u35avx2(a.h[1], b.h[1]);
    return a.v;
}

static inline vd v_pow(vd x, vd y)
{
    halves a = {x}, b = {y};
    a.h[0] = Sleef_powd4_u10avx2(a.h[0], b.h[0]);
    a.h[1] = Sleef_powd4_u10avx2(a.h[1], b.h[1]);
    return a.v;
}

/* Comparisons with C's semantics for NaN: only != holds. */
#define DEFINE_CMP(name, predicate)                                                                \
    static inline vm name(vd a, vd b)                                                              \
    {                                                                                              \
        halves x = {a}, y = {b};                                                                   \
        mask_halves m;                                                                             \
        m.h[0] = _mm256_cmp_pd(x.h[0], y.h[0], predicate);                                         \
        m.h[1] = _mm256_cmp_pd(x.h[1], y.h[1], predicate);                                         \
        return m.v;                                                                                \
    }
DEFINE_CMP(lt, _CMP_LT_OQ)
DEFINE_CMP(le, _CMP_LE_OQ)
DEFINE_CMP(gt, _CMP_GT_OQ)
DEFINE_CMP(ge, _CMP_GE_OQ)
DEFINE_CMP(eq, _CMP_EQ_OQ)
DEFINE_CMP(ne, _CMP_NEQ_UQ)

static inline vd sel(vm m, vd a, vd b)
{
    return (vd)(((vi)a & m) | ((vi)b & ~m));
}

static inline vm m_odd(vi q)
{
    return -(q & 1);
}

/* Whether any lane of a mask (all bits set where true) is set. */
static inline int v_any(vm m)
{
    mask_halves u = {m};
    return _mm256_movemask_pd(_mm256_or_pd(u.h[0], u.h[1])) != 0;
}

#define KERNEL_NAME fleet_kernel_avx2
#include "orbit/fleet_kernel.h"
