/*
 * fleet_avx512.c — the batch SGP4 kernel with AVX-512 (F and DQ) and
 * SLEEF's AVX-512 arctangent and power. Compiled with -mavx512f -mavx512dq
 * -mfma; fleet.c calls it only when the CPU has those extensions.
 *
 * A kernel vector is two AVX-512 registers (16 satellites): the model is one
 * long chain of dependent operations (Kepler's iteration above all), and two
 * independent halves in flight keep the execution units busy while each
 * half waits for its sines and divisions.
 */
#include <immintrin.h>
#include <sleef.h>

#define W 16
typedef double vd __attribute__((vector_size(8 * W), aligned(64)));
typedef long vm __attribute__((vector_size(8 * W), aligned(64)));
typedef union {
    vd v;
    __m512d h[2];
} halves;
typedef union {
    vm v;
    __m512i h[2];
} mask_halves;

static inline vd vload(const double *p)
{
    halves u = {.h = {_mm512_load_pd(p), _mm512_load_pd(p + 8)}};
    return u.v;
}

static inline void vstore(double *p, vd x)
{
    halves u = {x};
    _mm512_store_pd(p, u.h[0]);
    _mm512_store_pd(p + 8, u.h[1]);
}

/* Applies an 8-lane function of one argument to both halves. */
#define ON_HALVES(f, x)                                                                            \
    do {                                                                                           \
        halves u_ = {x};                                                                           \
        u_.h[0] = f(u_.h[0]);                                                                      \
        u_.h[1] = f(u_.h[1]);                                                                      \
        return u_.v;                                                                               \
    } while (0)

static inline __m512d trunc8(__m512d x)
{
    return _mm512_roundscale_pd(x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}

static inline vd v_trunc(vd x)
{
    ON_HALVES(trunc8, x);
}

static inline vd v_sqrt(vd x)
{
    ON_HALVES(_mm512_sqrt_pd, x);
}

static inline vd v_fnmadd(vd a, vd b, vd c)
{
    halves x = {a}, y = {b}, z = {c};
    z.h[0] = _mm512_fnmadd_pd(x.h[0], y.h[0], z.h[0]);
    z.h[1] = _mm512_fnmadd_pd(x.h[1], y.h[1], z.h[1]);
    return z.v;
}

static inline vd v_atan2(vd y, vd x)
{
    halves a = {y}, b = {x};
    a.h[0] = Sleef_atan2d8_u35avx512f(a.h[0], b.h[0]);
    a.h[1] = Sleef_atan2d8_u35avx512f(a.h[1], b.h[1]);
    return a.v;
}

static inline vd v_pow(vd x, vd y)
{
    halves a = {x}, b = {y};
    a.h[0] = Sleef_powd8_u10avx512f(a.h[0], b.h[0]);
    a.h[1] = Sleef_powd8_u10avx512f(a.h[1], b.h[1]);
    return a.v;
}

/* Comparisons with C's semantics for NaN: only != holds. */
#define DEFINE_CMP(name, predicate)                                                                \
    static inline vm name(vd a, vd b)                                                              \
    {                                                                                              \
        halves x = {a}, y = {b};                                                                   \
        mask_halves m;                                                                             \
        m.h[0] = _mm512_movm_epi64(_mm512_cmp_pd_mask(x.h[0], y.h[0], predicate));                 \
        m.h[1] = _mm512_movm_epi64(_mm512_cmp_pd_mask(x.h[1], y.h[1], predicate));                 \
        return m.v;                                                                                \
    }
DEFINE_CMP(lt, _CMP_LT_OQ)
DEFINE_CMP(le, _CMP_LE_OQ)
DEFINE_CMP(gt, _CMP_GT_OQ)
DEFINE_CMP(ge, _CMP_GE_OQ)
DEFINE_CMP(eq, _CMP_EQ_OQ)
DEFINE_CMP(ne, _CMP_NEQ_UQ)

/* Whether any lane of a mask (all bits set where true) is set. */
static inline int v_any(vm m)
{
    mask_halves u = {m};
    return _mm512_movepi64_mask(_mm512_or_si512(u.h[0], u.h[1])) != 0;
}

#define KERNEL_NAME fleet_kernel_avx512
#include "orbit/fleet_kernel.h"
