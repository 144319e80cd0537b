/*
 * fleet_avx2.c — the batch SGP4 kernel with 4 lanes of AVX2 and FMA
 * and SLEEF's AVX2 vector functions. Compiled with -mavx2
 * -mfma; fleet.c calls it only when the CPU has those extensions.
 */
#include <immintrin.h>
#include <sleef.h>

#define W 4
typedef double vd __attribute__((vector_size(32)));

static inline vd vload(const double *p)
{
    return (vd)_mm256_load_pd(p);
}

static inline void vstore(double *p, vd x)
{
    _mm256_store_pd(p, (__m256d)x);
}

static inline vd v_trunc(vd x)
{
    return (vd)_mm256_round_pd((__m256d)x, _MM_FROUND_TO_ZERO | _MM_FROUND_NO_EXC);
}

static inline vd v_fnmadd(vd a, vd b, vd c)
{
    return (vd)_mm256_fnmadd_pd((__m256d)a, (__m256d)b, (__m256d)c);
}

static inline vd v_sqrt(vd x)
{
    return (vd)_mm256_sqrt_pd((__m256d)x);
}

static inline vd v_sin(vd x)
{
    return (vd)Sleef_sind4_u35avx2((__m256d)x);
}

static inline vd v_cos(vd x)
{
    return (vd)Sleef_cosd4_u35avx2((__m256d)x);
}

static inline void v_sincos(vd x, vd *s, vd *c)
{
    Sleef___m256d_2 sc = Sleef_sincosd4_u35avx2((__m256d)x);
    *s = (vd)sc.x;
    *c = (vd)sc.y;
}

static inline vd v_atan2(vd y, vd x)
{
    return (vd)Sleef_atan2d4_u35avx2((__m256d)y, (__m256d)x);
}

static inline vd v_pow(vd x, vd y)
{
    return (vd)Sleef_powd4_u10avx2((__m256d)x, (__m256d)y);
}

#define v_any(m) (_mm256_movemask_pd((__m256d)(m)) != 0)

#define KERNEL_NAME fleet_kernel_avx2
#include "orbit/fleet_kernel.h"
