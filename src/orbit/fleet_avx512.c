/*
 * fleet_avx512.c — the batch SGP4 kernel with 8 lanes of AVX-512 (F and DQ)
 * and SLEEF's AVX-512 arctangent and power. Compiled with -mavx512f
 * -mavx512dq -mfma; fleet.c calls it only when the CPU has those extensions.
 */
#include <immintrin.h>
#include <sleef.h>

#define W 8
typedef double vd __attribute__((vector_size(8 * W)));
typedef long vi __attribute__((vector_size(8 * W)));
typedef __mmask8 vm; /* lane masks live in the mask registers */

static inline vd vload(const double *p)
{
    return (vd)_mm512_load_pd(p);
}

static inline void vstore(double *p, vd x)
{
    _mm512_store_pd(p, (__m512d)x);
}

static inline vd v_trunc(vd x)
{
    return (vd)_mm512_roundscale_pd((__m512d)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}

static inline vd v_sqrt(vd x)
{
    return (vd)_mm512_sqrt_pd((__m512d)x);
}

static inline vd v_fnmadd(vd a, vd b, vd c)
{
    return (vd)_mm512_fnmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
}

static inline vd v_atan2(vd y, vd x)
{
    return (vd)Sleef_atan2d8_u35avx512f((__m512d)y, (__m512d)x);
}

static inline vd v_pow(vd x, vd y)
{
    return (vd)Sleef_powd8_u10avx512f((__m512d)x, (__m512d)y);
}

/* Comparisons with C's semantics for NaN: only != holds. */
#define DEFINE_CMP(name, predicate)                                                                \
    static inline vm name(vd a, vd b)                                                              \
    {                                                                                              \
        return _mm512_cmp_pd_mask((__m512d)a, (__m512d)b, predicate);                              \
    }
DEFINE_CMP(lt, _CMP_LT_OQ)
DEFINE_CMP(le, _CMP_LE_OQ)
DEFINE_CMP(gt, _CMP_GT_OQ)
DEFINE_CMP(ge, _CMP_GE_OQ)
DEFINE_CMP(eq, _CMP_EQ_OQ)
DEFINE_CMP(ne, _CMP_NEQ_UQ)

static inline vd sel(vm m, vd a, vd b)
{
    return (vd)_mm512_mask_blend_pd(m, (__m512d)b, (__m512d)a);
}

static inline vm m_odd(vi q)
{
    return _mm512_test_epi64_mask((__m512i)q, _mm512_set1_epi64(1));
}

static inline int v_any(vm m)
{
    return m != 0;
}

#define KERNEL_NAME fleet_kernel_avx512
#include "orbit/fleet_kernel.h"
