/*
 * fleet_avx512.c — the batch SGP4 kernel with 8 lanes of AVX-512 (F and DQ)
 * and SLEEF's AVX-512 vector functions. Compiled with -mavx512f -mavx512dq
 * -mfma; fleet.c calls it only when the CPU has those extensions.
 */
#include <immintrin.h>
#include <sleef.h>

#define W 8
typedef double vd __attribute__((vector_size(64)));

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

static inline vd v_fnmadd(vd a, vd b, vd c)
{
    return (vd)_mm512_fnmadd_pd((__m512d)a, (__m512d)b, (__m512d)c);
}

static inline vd v_sqrt(vd x)
{
    return (vd)_mm512_sqrt_pd((__m512d)x);
}

static inline vd v_sin(vd x)
{
    return (vd)Sleef_sind8_u35avx512f((__m512d)x);
}

static inline vd v_cos(vd x)
{
    return (vd)Sleef_cosd8_u35avx512f((__m512d)x);
}

static inline void v_sincos(vd x, vd *s, vd *c)
{
    Sleef___m512d_2 sc = Sleef_sincosd8_u35avx512f((__m512d)x);
    *s = (vd)sc.x;
    *c = (vd)sc.y;
}

static inline vd v_atan2(vd y, vd x)
{
    return (vd)Sleef_atan2d8_u35avx512f((__m512d)y, (__m512d)x);
}

static inline vd v_pow(vd x, vd y)
{
    return (vd)Sleef_powd8_u10avx512f((__m512d)x, (__m512d)y);
}

#define v_any(m) (_mm512_movepi64_mask((__m512i)(m)) != 0)

#define KERNEL_NAME fleet_kernel_avx512
#include "orbit/fleet_kernel.h"
