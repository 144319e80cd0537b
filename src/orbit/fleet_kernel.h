/*
 * fleet_kernel.h — the SGP4/SDP4 propagation of sgp4.c and deep_space.c
 * written once for a vector of W satellites, included by one source file per
 * instruction set (fleet_avx512.c, fleet_avx2.c) after it has defined:
 *   W                 lanes per vector (a multiple of the hardware width)
 *   vd                a GCC vector of W doubles
 *   vload, vstore     aligned load and store of a vd
 *   v_trunc(x)        rounding toward zero
 *   v_fnmadd(a, b, c) c - a * b with one rounding
 *   v_sqrt(x)         correctly rounded square root
 *   v_atan2(y, x), v_pow(x, y)   SLEEF's vector functions (the rare paths)
 *   vi                a GCC vector of W 64-bit integers
 *   vm                a lane mask, combined with & | ~ (an AVX-512 mask
 *                     register, or a vector with all bits set where true)
 *   lt, le, gt, ge, eq, ne   lane-wise comparisons of two vd, giving a vm
 *   sel(m, a, b)      a where m is set, else b
 *   m_odd(q)          the mask of the lanes of a vi whose lowest bit is set
 *   v_any(m)          whether any lane of a mask is set
 *   KERNEL_NAME       the name of the entry point (see fleet_internal.h)
 *
 * Every formula follows the scalar code line by line (same operands, same
 * order) and cites the same sources ([STR3] and [VCHK], see internal.h).
 * Branches of the scalar code that depend on the satellite become masks:
 * both sides are computed and each lane keeps its own (sel). Departures
 * from the scalar operations, all far below the 1 mm tolerance (the tests
 * measure them): sine and cosine by k_sincos below, the arctangent and
 * power of SLEEF (3.5 and 1 ulp instead of libm's correctly rounded
 * ones), pow(am, 1.5) formed as am * sqrt(am), fmod by 2 pi through a
 * fused multiply-add, sin(-i) taken as -sin(i) after the inclination flip
 * of the deep-space periodics, the angle addition of the short-period
 * corrections (see k_short_period_post), and fused multiply-adds wherever the
 * compiler finds them (the kernels are built with -ffp-contract=fast).
 */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "orbit/fleet_internal.h"
#include "orbit/internal.h"

_Static_assert(W == FLEET_LANE_ALIGN, "fleet.c walks the lanes in vectors of FLEET_LANE_ALIGN");

static inline vd splat(double x)
{
    return (vd){0} + x;
}

static inline vd v_abs(vd x)
{
    return (vd)((vi)x & ((vi){0} + 0x7fffffffffffffffLL));
}

/*
 * C's fmod(x, 2 pi): the quotient truncated toward zero, the remainder
 * formed exactly by one fused multiply-add, then nudged back into
 * (-2 pi, 2 pi) with the sign of x when the quotient, formed with the
 * reciprocal of 2 pi, was rounded across an integer.
 */
static inline vd v_fmod2pi(vd x)
{
    const vd twopi = splat(ORBIT_TWOPI), zero = splat(0.0);
    vd r = v_fnmadd(v_trunc(x * (1.0 / ORBIT_TWOPI)), twopi, x);
    vm pos = ge(x, zero);
    r = sel(pos & lt(r, zero), r + twopi, r);
    r = sel(pos & ge(r, twopi), r - twopi, r);
    r = sel(~pos & gt(r, zero), r - twopi, r);
    r = sel(~pos & le(r, -twopi), r + twopi, r);
    return r;
}

/*
 * Sine and cosine of x together. Cody-Waite reduction by pi/2 in three
 * parts with fused multiply-adds (x - n pi/2 within an ulp for |x| < 2^50;
 * the lanes where an argument can grow past 1e5 rad go to the scalar path
 * anyway, see FLEET_MAX_ANGLE_RAD), then Taylor polynomials on
 * [-pi/4, pi/4]: up to r^15 for the sine and r^16 for the cosine, whose
 * first neglected terms are below 5e-17. The quadrant comes from the low
 * bits of the rounding constant, as in most vector libraries. Errors stay
 * within a few ulp, like SLEEF's 3.5-ulp functions, and no call is made,
 * so that no vector register is spilled around it.
 */
static inline void k_sincos(vd x, vd *s, vd *c)
{
    const double magic = 6755399441055744.0; /* 1.5 * 2^52: rounds to an integer */
    const vd p1 = splat(1.5707963267948966), p2 = splat(6.123233995736766e-17);
    const vd p3 = splat(-1.4973849048591698e-33);
    vd y = x * 0.6366197723675814 + magic;
    vi q = (vi)y;
    vd n = y - magic;
    vd r = v_fnmadd(n, p3, v_fnmadd(n, p2, v_fnmadd(n, p1, x)));
    vd r2 = r * r;
    vd ps = splat(-1.0 / 1307674368000.0);
    ps = ps * r2 + 1.0 / 6227020800.0;
    ps = ps * r2 - 1.0 / 39916800.0;
    ps = ps * r2 + 1.0 / 362880.0;
    ps = ps * r2 - 1.0 / 5040.0;
    ps = ps * r2 + 1.0 / 120.0;
    ps = ps * r2 - 1.0 / 6.0;
    vd sr = r + r * r2 * ps;
    vd pc = splat(1.0 / 20922789888000.0);
    pc = pc * r2 - 1.0 / 87178291200.0;
    pc = pc * r2 + 1.0 / 479001600.0;
    pc = pc * r2 - 1.0 / 3628800.0;
    pc = pc * r2 + 1.0 / 40320.0;
    pc = pc * r2 - 1.0 / 720.0;
    pc = pc * r2 + 1.0 / 24.0;
    pc = pc * r2 - 0.5;
    vd cr = 1.0 + r2 * pc;
    /* Quadrant n mod 4: odd swaps sine and cosine; 2, 3 negate the sine; 1, 2 the cosine. */
    vm swap = m_odd(q);
    vi sign_s = (q & 2) << 62;
    vi sign_c = ((q + 1) & 2) << 62;
    *s = (vd)((vi)sel(swap, cr, sr) ^ sign_s);
    *c = (vd)((vi)sel(swap, sr, cr) ^ sign_c);
}

/*
 * Sine and cosine of a small angle (the short-period corrections, Kepler's
 * steps, the equation of the centre of the Sun and Moon): Taylor
 * polynomials to d^9 and d^10, whose first neglected terms are below 2e-18
 * up to 0.125 rad; a vector with a larger angle takes k_sincos. Below
 * 2^-9 rad (Kepler's last steps, the short-period corrections of most
 * orbits) d^5 and d^4 suffice: the first neglected terms, d^7 / 5040 and
 * d^6 / 720, are then below 1e-20 times the sine and 1e-19.
 */
static inline void k_sincos_small(vd d, vd *s, vd *c)
{
    vd ad = v_abs(d);
    if (v_any(gt(ad, splat(0.125)))) {
        k_sincos(d, s, c);
        return;
    }
    vd d2 = d * d;
    if (!v_any(gt(ad, splat(0x1p-9)))) {
        *s = d + d * d2 * (d2 * (1.0 / 120.0) - 1.0 / 6.0);
        *c = 1.0 + d2 * (d2 * (1.0 / 24.0) - 0.5);
        return;
    }
    vd ps = splat(1.0 / 362880.0);
    ps = ps * d2 - 1.0 / 5040.0;
    ps = ps * d2 + 1.0 / 120.0;
    ps = ps * d2 - 1.0 / 6.0;
    *s = d + d * d2 * ps;
    vd pc = splat(-1.0 / 3628800.0);
    pc = pc * d2 + 1.0 / 40320.0;
    pc = pc * d2 - 1.0 / 720.0;
    pc = pc * d2 + 1.0 / 24.0;
    pc = pc * d2 - 0.5;
    *c = 1.0 + d2 * pc;
}

/*
 * An angle brought back near zero by a whole number of turns (to within
 * an ulp of [-pi, pi]). For near-Earth orbits every angle that C's fmod
 * reduces in sgp4.c ends up in a sine, a cosine or Kepler's equation, where
 * a whole turn changes nothing, so this cheaper reduction gives the same
 * states; the deep-space periodics compare and combine angles and keep
 * v_fmod2pi.
 */
static inline vd v_wrap2pi(vd x)
{
    const double magic = 6755399441055744.0; /* 1.5 * 2^52: rounds to an integer */
    vd turns = (x * (1.0 / ORBIT_TWOPI) + magic) - magic;
    return v_fnmadd(turns, splat(ORBIT_TWOPI), x);
}

/* The reduction of sgp4.c's fmod calls: exact for deep space, by turns near the Earth. */
static inline vd k_reduce(int deep, vd x)
{
    return deep ? v_fmod2pi(x) : v_wrap2pi(x);
}

/* Mean elements at the propagation time and the drag polynomials (sgp4.c). */
typedef struct kmean {
    vd am, em, inclm, nodem, argpm, mm, nm;
    vd tempa, tempe, templ;
    vd rt_am, nm_xke; /* sqrt(am), and nm / xke = 1 / (am sqrt(am)) */
} kmean;

typedef struct kosc {
    vd ep, xincp, nodep, argpp, mp, sinip, cosip;
    vd aycof, xlcof, con41, x1mth2, x7thm1;
} kosc;

#define LD(field) vload(s->field + lane)

/*
 * [STR3] SGP4, secular gravity and drag. The drag terms of non-simple
 * orbits are formed for every lane and kept where `simple` is 0.
 */
static inline void k_secular(const fleet_soa *s, size_t lane, vd t, int deep, kmean *m)
{
    vd xmdf = LD(mo) + LD(mdot) * t;
    vd argpdf = LD(argpo) + LD(argpdot) * t;
    vd nodedf = LD(nodeo) + LD(nodedot) * t;
    vd t2 = t * t;
    m->argpm = argpdf;
    m->mm = xmdf;
    m->nodem = nodedf + LD(nodecf) * t2;
    m->tempa = 1.0 - LD(cc1) * t;
    m->tempe = LD(bstar_cc4) * t;
    m->templ = LD(t2cof) * t2;
    m->nm = LD(no_unkozai);
    m->em = LD(ecco);
    m->inclm = LD(inclo);
    /* Deep-space records are always simple (isimp = 1 in the reference). */
    vm full = eq(LD(simple), splat(0.0));
    if (deep || !v_any(full))
        return;
    vd delomg = LD(omgcof) * t;
    vd sinmdf, cosmdf;
    k_sincos(xmdf, &sinmdf, &cosmdf);
    vd delmtemp = 1.0 + LD(eta) * cosmdf;
    vd delm = LD(xmcof) * (delmtemp * delmtemp * delmtemp - LD(delmo));
    vd temp = delomg + delm;
    vd mm = xmdf + temp;
    /* sin(mm) from sin(xmdf) and cos(xmdf) by the angle addition formula. */
    vd stemp, ctemp;
    k_sincos_small(temp, &stemp, &ctemp);
    vd sinmm = sinmdf * ctemp + cosmdf * stemp;
    vd t3 = t2 * t;
    vd t4 = t3 * t;
    m->mm = sel(full, mm, m->mm);
    m->argpm = sel(full, argpdf - temp, m->argpm);
    m->tempa = sel(full, m->tempa - LD(d2) * t2 - LD(d3) * t3 - LD(d4) * t4, m->tempa);
    m->tempe = sel(full, m->tempe + LD(bstar_cc5) * (sinmm - LD(sinmao)), m->tempe);
    m->templ = sel(full, m->templ + LD(t3cof) * t3 + t4 * (LD(t4cof) + t * LD(t5cof)), m->templ);
}

/* The resonance accelerations of [STR3] DEEP (deep_space.c, one_day_rates). */
static inline void k_one_day_rates(const fleet_soa *s, size_t lane, vd xli, vd xni, vd *xndt,
                                   vd *xldot, vd *xnddt)
{
    const double fasx2 = 0.13130908, fasx4 = 2.8843198, fasx6 = 0.37448087;
    /*
     * The sines and cosines of xli - fasx2, 2 (xli - fasx4) and 3 (xli -
     * fasx6) from those of xli alone: the double- and triple-angle
     * formulas, then a rotation by the constant phase (the del terms they
     * multiply are below 1e-6, so the few ulp these formulas lose are
     * invisible in the state).
     */
    vd sl, cl;
    k_sincos(xli, &sl, &cl);
    vd sl2 = 2.0 * sl * cl, cl2 = cl * cl - sl * sl;
    vd sl3 = sl * (3.0 - 4.0 * sl * sl), cl3 = cl * (4.0 * cl * cl - 3.0);
    double sa = sin(fasx2), ca = cos(fasx2), sb = sin(2.0 * fasx4), cb = cos(2.0 * fasx4);
    double sc = sin(3.0 * fasx6), cc = cos(3.0 * fasx6);
    vd s1 = sl * ca - cl * sa, c1 = cl * ca + sl * sa;
    vd s2 = sl2 * cb - cl2 * sb, c2 = cl2 * cb + sl2 * sb;
    vd s3 = sl3 * cc - cl3 * sc, c3 = cl3 * cc + sl3 * sc;
    *xndt = LD(del1) * s1 + LD(del2) * s2 + LD(del3) * s3;
    *xldot = xni + LD(xfact);
    *xnddt = LD(del1) * c1 + 2.0 * LD(del2) * c2 + 3.0 * LD(del3) * c3;
    *xnddt = *xnddt * *xldot;
}

/* The same for half-day orbits (deep_space.c, half_day_rates). */
static inline void k_half_day_rates(const fleet_soa *s, size_t lane, vd xli, vd xni, vd atime,
                                    vd *xndt, vd *xldot, vd *xnddt)
{
    const double g22 = 5.7686396, g32 = 0.95240898, g44 = 1.8014998;
    const double g52 = 1.0508330, g54 = 4.4108898;
    vd xomi = LD(argpo) + LD(argpdot) * atime;
    vd x2omi = xomi + xomi;
    vd x2li = xli + xli;
    vd sn[10], cs[10];
    k_sincos(x2omi + xli - g22, &sn[0], &cs[0]);
    k_sincos(xli - g22, &sn[1], &cs[1]);
    k_sincos(xomi + xli - g32, &sn[2], &cs[2]);
    k_sincos(-xomi + xli - g32, &sn[3], &cs[3]);
    k_sincos(x2omi + x2li - g44, &sn[4], &cs[4]);
    k_sincos(x2li - g44, &sn[5], &cs[5]);
    k_sincos(xomi + xli - g52, &sn[6], &cs[6]);
    k_sincos(-xomi + xli - g52, &sn[7], &cs[7]);
    k_sincos(xomi + x2li - g54, &sn[8], &cs[8]);
    k_sincos(-xomi + x2li - g54, &sn[9], &cs[9]);
    *xndt = LD(d2201) * sn[0] + LD(d2211) * sn[1] + LD(d3210) * sn[2] + LD(d3222) * sn[3] +
            LD(d4410) * sn[4] + LD(d4422) * sn[5] + LD(d5220) * sn[6] + LD(d5232) * sn[7] +
            LD(d5421) * sn[8] + LD(d5433) * sn[9];
    *xldot = xni + LD(xfact);
    *xnddt = LD(d2201) * cs[0] + LD(d2211) * cs[1] + LD(d3210) * cs[2] + LD(d3222) * cs[3] +
             LD(d5220) * cs[6] + LD(d5232) * cs[7] +
             2.0 * (LD(d4410) * cs[4] + LD(d4422) * cs[5] + LD(d5421) * cs[8] + LD(d5433) * cs[9]);
    *xnddt = *xnddt * *xldot;
}

/* The resonance rates of the state (xli, xni) at atime, by the group's formulas. */
static inline void k_resonance_rates(const fleet_soa *s, size_t lane, fleet_group group, vd xli,
                                     vd xni, vd atime, vd *xndt, vd *xldot, vd *xnddt)
{
    if (group == FLEET_DEEP_HALF)
        k_half_day_rates(s, lane, xli, xni, atime, xndt, xldot, xnddt);
    else
        k_one_day_rates(s, lane, xli, xni, xndt, xldot, xnddt);
}

/*
 * [STR3] DEEP, resonance integration (deep_space.c, integrate_resonance):
 * 720 min Euler-Maclaurin steps from the epoch, each lane stepping until it
 * is within one step of its time, then a Taylor step. The lanes'
 * integrator states and their rates live in the block and are carried to
 * the next instant (see fleet_resonance); the rates are formed again only
 * in the lanes whose state has moved.
 */
static inline void k_resonance(const fleet_block *blk, size_t lane, fleet_group group, vd t, vd *xl,
                               vd *nm)
{
    const fleet_soa *s = blk->soa;
    const fleet_resonance *res = &blk->res;
    const vd step = splat(720.0), zero = splat(0.0);
    vd atime = vload(res->atime + lane), xli = vload(res->xli + lane);
    vd xni = vload(res->xni + lane);
    vd rates_atime = vload(res->rates_atime + lane), xndt = vload(res->xndt + lane);
    vd xldot = vload(res->xldot + lane), xnddt = vload(res->xnddt + lane);
    /* sgp4fix ([VCHK]): restart from the epoch unless t lies further out on the same side. */
    vm restart = eq(atime, zero) | le(t * atime, zero) | lt(v_abs(t), v_abs(atime));
    atime = sel(restart, zero, atime);
    xni = sel(restart, LD(no_unkozai), xni);
    xli = sel(restart, LD(xlamo), xli);
    vd delt = sel(gt(t, zero), step, -step);
    for (;;) {
        vm stale = ne(rates_atime, atime);
        if (v_any(stale)) {
            vd r_xndt, r_xldot, r_xnddt;
            k_resonance_rates(s, lane, group, xli, xni, atime, &r_xndt, &r_xldot, &r_xnddt);
            xndt = sel(stale, r_xndt, xndt);
            xldot = sel(stale, r_xldot, xldot);
            xnddt = sel(stale, r_xnddt, xnddt);
            rates_atime = atime;
        }
        vm more = ge(v_abs(t - atime), step);
        if (!v_any(more))
            break;
        xli = sel(more, xli + xldot * delt + xndt * 259200.0, xli);
        xni = sel(more, xni + xndt * delt + xnddt * 259200.0, xni);
        atime = sel(more, atime + delt, atime);
    }
    vd ft = t - atime;
    *nm = xni + xndt * ft + xnddt * ft * ft * 0.5;
    *xl = xli + xldot * ft + xndt * ft * ft * 0.5;
    vstore(res->atime + lane, atime);
    vstore(res->xli + lane, xli);
    vstore(res->xni + lane, xni);
    vstore(res->rates_atime + lane, rates_atime);
    vstore(res->xndt + lane, xndt);
    vstore(res->xldot + lane, xldot);
    vstore(res->xnddt + lane, xnddt);
}

/* [STR3] DEEP, secular lunar-solar effects and resonance (deep_space.c, orbit_dspace). */
static inline void k_dspace(const fleet_block *blk, size_t lane, fleet_group group, vd t, kmean *m)
{
    const fleet_soa *s = blk->soa;
    m->em = m->em + LD(dedt) * t;
    m->inclm = m->inclm + LD(didt) * t;
    m->argpm = m->argpm + LD(domdt) * t;
    m->nodem = m->nodem + LD(dnodt) * t;
    m->mm = m->mm + LD(dmdt) * t;
    if (group == FLEET_DEEP)
        return;
    vd theta = v_fmod2pi(LD(gsto) + t * ORBIT_RPTIM);
    vd xl, xn;
    k_resonance(blk, lane, group, t, &xl, &xn);
    if (group == FLEET_DEEP_HALF)
        m->mm = xl - 2.0 * m->nodem + 2.0 * theta;
    else
        m->mm = xl - m->nodem - m->argpm + theta;
    vd dndt = xn - LD(no_unkozai);
    m->nm = LD(no_unkozai) + dndt;
}

/*
 * pow(xke / nm, 2/3) for a resonant orbit, whose mean motion nm stays
 * within a fraction of a percent of no_unkozai: with eps = nm / no - 1,
 * it is ao (1 + eps)^(-2/3), and five terms of the binomial series are
 * exact to 1e-18 for |eps| < 1e-3. A vector with a larger eps takes
 * SLEEF's power function.
 */
static inline vd k_resonant_aonv(const fleet_soa *s, size_t lane, vd nm)
{
    vd eps = (nm - LD(no_unkozai)) / LD(no_unkozai);
    if (v_any(gt(v_abs(eps), splat(1.0e-3))))
        return v_pow(LD(xke) / nm, splat(2.0 / 3.0));
    /* (1 + eps)^a with a = -2/3: coefficients a, a(a-1)/2, ... of the binomial series. */
    vd series = splat(-1540.0 / 3645.0);
    series = series * eps + 110.0 / 243.0;
    series = series * eps - 40.0 / 81.0;
    series = series * eps + 5.0 / 9.0;
    series = series * eps - 2.0 / 3.0;
    return LD(ao) * (1.0 + eps * series);
}

/*
 * Semi-major axis and mean motion with drag, the eccentricity checks and
 * the angles reduced to one turn (sgp4.c, mean_at_time). Sets codes 2 and
 * 1 in `code` where it is still 0. Returns the lanes whose mean longitude
 * exceeds FLEET_MAX_ANGLE_RAD.
 */
static inline vm k_mean_at_time(const fleet_soa *s, size_t lane, int deep, int resonant, kmean *m,
                                vd *code)
{
    const vd zero = splat(0.0);
    vm ok = eq(*code, zero);
    *code = sel(ok & le(m->nm, zero), splat(APSCO_SGP4_MEAN_MOTION), *code);
    vd aonv = LD(ao);
    if (resonant)
        aonv = sel(eq(m->nm, LD(no_unkozai)), aonv, k_resonant_aonv(s, lane, m->nm));
    m->am = aonv * m->tempa * m->tempa;
    /*
     * The square root and the division run on the scarcest unit of the
     * processor: sqrt(am) is sqrt(ao) |tempa| where aonv is ao (all but the
     * resonant orbits), and one reciprocal gives both nm and the nm / xke
     * of the short-period terms (each within an ulp of the reference's
     * quotient).
     */
    m->rt_am = resonant ? v_sqrt(m->am) : LD(rt_ao) * v_abs(m->tempa);
    m->nm_xke = 1.0 / (m->am * m->rt_am);
    m->nm = LD(xke) * m->nm_xke;
    m->em = m->em - m->tempe;
    /* sgp4fix ([VCHK]): tolerance below zero for error recognition. */
    ok = eq(*code, zero);
    vm bad = ge(m->em, splat(1.0)) | lt(m->em, splat(-0.001));
    *code = sel(ok & bad, splat(APSCO_SGP4_MEAN_ECC), *code);
    /* sgp4fix: avoid a division by zero. */
    m->em = sel(lt(m->em, splat(1.0e-6)), splat(1.0e-6), m->em);
    m->mm = m->mm + LD(no_unkozai) * m->templ;
    vd xlm = m->mm + m->argpm + m->nodem;
    m->nodem = k_reduce(deep, m->nodem);
    m->argpm = k_reduce(deep, m->argpm);
    vm huge = gt(v_abs(xlm), splat(FLEET_MAX_ANGLE_RAD));
    xlm = k_reduce(deep, xlm);
    m->mm = k_reduce(deep, xlm - m->argpm - m->nodem);
    return huge;
}

/*
 * [STR3] DEEP, lunar-solar periodics (deep_space.c, orbit_dpper) with the
 * inclination flip and the check of the perturbed eccentricity (sgp4.c,
 * deep_periodics). Sets code 3 where it is still 0.
 */
static inline void k_dpper(const fleet_soa *s, size_t lane, vd t, const kmean *m, kosc *o, vd *code)
{
    const vd zero = splat(0.0), pi = splat(ORBIT_PI), twopi = splat(ORBIT_TWOPI);
    vd sinzf, coszf, zm;
    /*
     * zf = zm + 2 e sin(zm); its sine and cosine come from those of zm by
     * the angle addition formulas (2 e is 0.034 for the Sun, 0.11 for the
     * Moon).
     */
    vd sinzm, coszm, sd, cd;
    zm = LD(zmos) + 1.19459e-5 * t; /* ZNS */
    k_sincos(zm, &sinzm, &coszm);
    k_sincos_small(2.0 * 0.01675 * sinzm, &sd, &cd); /* ZES */
    sinzf = sinzm * cd + coszm * sd;
    coszf = coszm * cd - sinzm * sd;
    vd f2 = 0.5 * sinzf * sinzf - 0.25;
    vd f3 = -0.5 * sinzf * coszf;
    vd ses = LD(se2) * f2 + LD(se3) * f3;
    vd sis = LD(si2) * f2 + LD(si3) * f3;
    vd sls = LD(sl2) * f2 + LD(sl3) * f3 + LD(sl4) * sinzf;
    vd sghs = LD(sgh2) * f2 + LD(sgh3) * f3 + LD(sgh4) * sinzf;
    vd shs = LD(sh2) * f2 + LD(sh3) * f3;

    zm = LD(zmol) + 1.5835218e-4 * t; /* ZNL */
    k_sincos(zm, &sinzm, &coszm);
    k_sincos_small(2.0 * 0.05490 * sinzm, &sd, &cd); /* ZEL */
    sinzf = sinzm * cd + coszm * sd;
    coszf = coszm * cd - sinzm * sd;
    f2 = 0.5 * sinzf * sinzf - 0.25;
    f3 = -0.5 * sinzf * coszf;
    vd sel_ = LD(ee2) * f2 + LD(e3) * f3;
    vd sil = LD(xi2) * f2 + LD(xi3) * f3;
    vd sll = LD(xl2) * f2 + LD(xl3) * f3 + LD(xl4) * sinzf;
    vd sghl = LD(xgh2) * f2 + LD(xgh3) * f3 + LD(xgh4) * sinzf;
    vd shll = LD(xh2) * f2 + LD(xh3) * f3;

    vd pe = ses + sel_;
    vd pinc = sis + sil;
    vd pl = sls + sll;
    vd pgh = sghs + sghl;
    vd ph = shs + shll;

    vd inclp = m->inclm + pinc;
    vd ep = m->em + pe;
    vd sinip, cosip;
    k_sincos(inclp, &sinip, &cosip);

    /* sgp4fix ([VCHK]): direct application above 0.2 rad, Lyddane's modification below. */
    vm direct = ge(inclp, splat(0.2));
    vd phd = ph / sinip;
    vd pghd = pgh - cosip * phd;
    vd argpp = m->argpm + pghd;
    vd nodep = m->nodem + phd;
    vd mp = m->mm + pl;
    if (v_any(~direct)) {
        vd sinop, cosop;
        k_sincos(m->nodem, &sinop, &cosop);
        vd alfdp = sinip * sinop;
        vd betdp = sinip * cosop;
        vd dalf = ph * cosop + pinc * cosip * sinop;
        vd dbet = -ph * sinop + pinc * cosip * cosop;
        alfdp = alfdp + dalf;
        betdp = betdp + dbet;
        vm afspc = ne(LD(afspc), zero);
        vd node = v_fmod2pi(m->nodem);
        node = sel(afspc & lt(node, zero), node + twopi, node);
        vd xls = m->mm + m->argpm + cosip * node;
        vd dls = pl + pgh - pinc * node * sinip;
        xls = xls + dls;
        vd xnoh = node;
        node = v_atan2(alfdp, betdp);
        node = sel(afspc & lt(node, zero), node + twopi, node);
        vm turn = gt(v_abs(xnoh - node), pi);
        node = sel(turn, sel(lt(node, xnoh), node + twopi, node - twopi), node);
        vd mpl = m->mm + pl;
        argpp = sel(direct, argpp, xls - mpl - cosip * node);
        nodep = sel(direct, nodep, node);
    }

    /* sgp4.c, deep_periodics: a negative inclination is flipped across the pole. */
    vm flip = lt(inclp, zero);
    o->xincp = sel(flip, -inclp, inclp);
    o->nodep = sel(flip, nodep + pi, nodep);
    o->argpp = sel(flip, argpp - pi, argpp);
    o->ep = ep;
    o->mp = mp;
    vm ok = eq(*code, zero);
    *code = sel(ok & (lt(ep, zero) | gt(ep, splat(1.0))), splat(APSCO_SGP4_PERT_ECC), *code);
    o->sinip = sel(flip, -sinip, sinip);
    o->cosip = cosip;

    /* sgp4.c, inclination_terms; sgp4fix ([VCHK]): divisor for 1 + cos i at 180 deg. */
    o->aycof = -0.5 * LD(j3oj2) * o->sinip;
    vd one_plus_cos =
        sel(gt(v_abs(o->cosip + 1.0), splat(1.5e-12)), 1.0 + o->cosip, splat(1.5e-12));
    o->xlcof = -0.25 * LD(j3oj2) * o->sinip * (3.0 + 5.0 * o->cosip) / one_plus_cos;
    vd cosisq = o->cosip * o->cosip;
    o->con41 = 3.0 * cosisq - 1.0;
    o->x1mth2 = 1.0 - cosisq;
    o->x7thm1 = 7.0 * cosisq - 1.0;
}

/* Near-Earth orbits keep the epoch inclination and its coefficients. */
static inline void k_near_osc(const fleet_soa *s, size_t lane, const kmean *m, kosc *o)
{
    o->ep = m->em;
    o->xincp = m->inclm;
    o->nodep = m->nodem;
    o->argpp = m->argpm;
    o->mp = m->mm;
    o->sinip = LD(sinio);
    o->cosip = LD(cosio);
    o->aycof = LD(aycof);
    o->xlcof = LD(xlcof);
    o->con41 = LD(con41);
    o->x1mth2 = LD(x1mth2);
    o->x7thm1 = LD(x7thm1);
}

/*
 * [STR3] SGP4, Kepler's equation by Newton iteration, at most 10 steps of
 * at most 0.95 rad (sgp4fix [VCHK]); a lane stops iterating when its step
 * falls below 1e-12, keeping the sine and cosine of its last iterate
 * before the final correction, as the scalar solve_kepler does. Lanes in
 * error do not iterate. Only the first iterate's sine and cosine are
 * computed in full; each step rotates them by the (small) correction.
 * `active` ends with the lanes that had not converged.
 */
/* What Kepler's equation takes and gives, per vector. */
typedef struct kkepler {
    vd u, axnl, aynl; /* the equation */
    vm active;        /* lanes still iterating */
    vd sineo1, coseo1;
    vd eo1, sn, cs; /* the iterate and its sine and cosine */
} kkepler;

static inline void k_kepler_start(kkepler *q)
{
    /*
     * The reference starts Newton's iteration at u; one fixed-point step
     * u + axnl sin u - aynl cos u is closer (by a factor e) and saves an
     * iteration; where the iteration stops is decided by the same 1e-12 test.
     */
    vd su, cu, sd0, cd0;
    k_sincos(q->u, &su, &cu);
    vd d0 = sel(q->active, q->axnl * su - q->aynl * cu, splat(0.0));
    k_sincos_small(d0, &sd0, &cd0);
    q->eo1 = q->u + d0;
    q->sn = su * cd0 + cu * sd0;
    q->cs = cu * cd0 - su * sd0;
    q->sineo1 = splat(0.0);
    q->coseo1 = splat(0.0);
}

static inline void k_kepler_step(kkepler *q)
{
    q->sineo1 = sel(q->active, q->sn, q->sineo1);
    q->coseo1 = sel(q->active, q->cs, q->coseo1);
    vd tem5 = 1.0 - q->cs * q->axnl - q->sn * q->aynl;
    tem5 = (q->u - q->aynl * q->cs + q->axnl * q->sn - q->eo1) / tem5;
    vm big = ge(v_abs(tem5), splat(0.95));
    tem5 = sel(big, sel(gt(tem5, splat(0.0)), splat(0.95), splat(-0.95)), tem5);
    tem5 = sel(q->active, tem5, splat(0.0));
    q->eo1 = q->eo1 + tem5;
    q->active = q->active & ge(v_abs(tem5), splat(1.0e-12));
    /* The next iterate's sine and cosine by the angle addition formulas (none after the last). */
    if (!v_any(q->active))
        return;
    vd sd, cd;
    k_sincos_small(tem5, &sd, &cd);
    vd sn_next = q->sn * cd + q->cs * sd;
    q->cs = q->cs * cd - q->sn * sd;
    q->sn = sn_next;
}

/* The iteration for H vectors at once, each stopping on its own lanes. */
static inline void k_kepler(kkepler *q, int h_count)
{
    for (int h = 0; h < h_count; h++)
        k_kepler_start(&q[h]);
    for (int ktr = 1; ktr <= 10; ktr++) {
        int any = 0;
        for (int h = 0; h < h_count; h++)
            any = any || v_any(q[h].active);
        if (!any)
            break;
        for (int h = 0; h < h_count; h++)
            k_kepler_step(&q[h]);
    }
}

/*
 * [STR3] SGP4, short-period periodics and the TEME state (sgp4.c,
 * short_period), in two halves around Kepler's equation: the equation's
 * terms, then the state. Sets codes 4 and 6 where the code is still 0.
 */
static inline void k_short_period_pre(int deep, const kmean *m, const kosc *o, vd code, kkepler *q)
{
    vd sinarg, cosarg;
    k_sincos(o->argpp, &sinarg, &cosarg);
    vd axnl = o->ep * cosarg;
    q->axnl = axnl;
    vd temp = 1.0 / (m->am * (1.0 - o->ep * o->ep));
    vd aynl = o->ep * sinarg + temp * o->aycof;
    q->aynl = aynl;
    vd xl = o->mp + o->argpp + o->nodep + temp * o->xlcof * axnl;

    q->u = k_reduce(deep, xl - o->nodep);
    q->active = eq(code, splat(0.0));
}

static inline void k_short_period_post(const fleet_soa *s, size_t lane, const kmean *m,
                                       const kosc *o, const kkepler *q, vd *code, vd r[3], vd v[3])
{
    const vd zero = splat(0.0);
    vd axnl = q->axnl, aynl = q->aynl, sineo1 = q->sineo1, coseo1 = q->coseo1;
    vd ecose = axnl * coseo1 + aynl * sineo1;
    vd esine = axnl * sineo1 - aynl * coseo1;
    vd el2 = axnl * axnl + aynl * aynl;
    vd pl = m->am * (1.0 - el2);
    *code = sel(eq(*code, zero) & lt(pl, zero), splat(APSCO_SGP4_SEMI_LATUS), *code);

    /*
     * One division for the reference's seven (the divider is the scarcest
     * unit here): the reciprocal of rl pl (1 + betal) gives those of rl,
     * pl and 1 + betal, each within a few ulp; nm / xke comes from
     * k_mean_at_time. sqrt(pl) is sqrt(am) betal, pl being am (1 - el2).
     */
    vd am = m->am;
    vd rl = am * (1.0 - ecose);
    vd betal = v_sqrt(1.0 - el2);
    vd one_betal = 1.0 + betal;
    vd rl_pl = rl * pl;
    vd inv_all = 1.0 / (rl_pl * one_betal);
    vd inv_rl_pl = inv_all * one_betal;
    vd inv_rl = inv_rl_pl * pl;
    vd rdotl = m->rt_am * esine * inv_rl;
    vd rvdotl = m->rt_am * betal * inv_rl;
    vd temp = esine * (inv_all * rl_pl);
    vd am_rl = am * inv_rl;
    vd sinu = am_rl * (sineo1 - aynl - axnl * temp);
    vd cosu = am_rl * (coseo1 - axnl + aynl * temp);
    vd sin2u = (cosu + cosu) * sinu;
    vd cos2u = 1.0 - 2.0 * sinu * sinu;
    temp = inv_rl_pl * rl;
    vd temp1 = 0.5 * LD(j2) * temp;
    vd temp2 = temp1 * temp;
    vd nm_xke = m->nm_xke;

    vd mrt = rl * (1.0 - 1.5 * temp2 * betal * o->con41) + 0.5 * temp1 * o->x1mth2 * cos2u;
    vd dsu = 0.25 * temp2 * o->x7thm1 * sin2u;
    vd xnode = o->nodep + 1.5 * temp2 * o->cosip * sin2u;
    vd dinc = 1.5 * temp2 * o->cosip * o->sinip * cos2u;
    vd mvt = rdotl - nm_xke * temp1 * o->x1mth2 * sin2u;
    vd rvdot = rvdotl + nm_xke * temp1 * (o->x1mth2 * cos2u + 1.5 * o->con41);

    /*
     * The reference forms su = atan2(sinu, cosu) - dsu and xinc = xincp +
     * dinc, then their sines and cosines. (sinu, cosu) is a unit vector
     * (the true argument of latitude, for any iterate of Kepler's
     * equation) and the sine and cosine of xincp are known, so the angle
     * addition formulas with the small corrections give the same values
     * without the arctangent and two full sines and cosines.
     */
    vd sdsu, cdsu, sdi, cdi, snod, cnod;
    k_sincos_small(dsu, &sdsu, &cdsu);
    k_sincos_small(dinc, &sdi, &cdi);
    vd sinsu = sinu * cdsu - cosu * sdsu;
    vd cossu = cosu * cdsu + sinu * sdsu;
    vd sini = o->sinip * cdi + o->cosip * sdi;
    vd cosi = o->cosip * cdi - o->sinip * sdi;
    k_sincos(xnode, &snod, &cnod);
    vd xmx = -snod * cosi;
    vd xmy = cnod * cosi;
    vd ux = xmx * sinsu + cnod * cossu;
    vd uy = xmy * sinsu + snod * cossu;
    vd uz = sini * sinsu;
    vd vx = xmx * cossu - cnod * sinsu;
    vd vy = xmy * cossu - snod * sinsu;
    vd vz = sini * cossu;

    vd rkm = LD(radiusearthkm), vkms = LD(vkmpersec);
    r[0] = (mrt * ux) * rkm;
    r[1] = (mrt * uy) * rkm;
    r[2] = (mrt * uz) * rkm;
    v[0] = (mvt * ux + rvdot * vx) * vkms;
    v[1] = (mvt * uy + rvdot * vy) * vkms;
    v[2] = (mvt * uz + rvdot * vz) * vkms;

    /* sgp4fix ([VCHK]): below the Earth's surface the satellite has decayed. */
    *code = sel(eq(*code, zero) & lt(mrt, splat(1.0)), splat(APSCO_SGP4_DECAYED), *code);
}

/* Minutes from each lane's epoch to block instant k (apsco_sat_tsince_min). */
static inline vd k_tsince(const fleet_block *blk, size_t lane, size_t k)
{
    const fleet_soa *s = blk->soa;
    if (blk->tsince_min)
        return splat(blk->tsince_min[k]);
    apsco_time tk = blk->utc[k];
    return ((tk.jd - LD(epoch_jd)) + (tk.fr - LD(epoch_fr))) * APSCO_MINUTES_PER_DAY;
}

/*
 * The fast stores, for a vector whose lanes all have a state (code 0 or 6)
 * and need neither the scalar path nor a rotation (the common case). Lanes of
 * consecutive satellites into a buffer whose satellites are adjacent
 * (APSCO_LAYOUT_TIME_PLANES, or any layout with sat_stride 1): one vector
 * store per component. Otherwise lane by lane, straight from the vectors.
 * Returns 0, having written nothing, when the vector does not qualify.
 */
static inline int store_clean(const fleet_block *blk, size_t lane, int contiguous, size_t k,
                              vd code, vm degenerate, const vd r[3], const vd v[3])
{
    const apsco_fleet_buffer *b = blk->buf;
    vm stated = eq(code, splat(0.0)) | eq(code, splat(APSCO_SGP4_DECAYED));
    if (blk->rot || v_any(degenerate) || v_any(~stated))
        return 0;
    const long *index = blk->soa->index + lane;
    if (contiguous && b->sat_stride == 1) {
        double *out = b->state + index[0] + (ptrdiff_t)k * b->instant_stride;
        for (int c = 0; c < 3; c++) {
            memcpy(out + c * b->component_stride, &r[c], sizeof r[c]);
            memcpy(out + (c + 3) * b->component_stride, &v[c], sizeof v[c]);
        }
    } else {
        double comp[6][W] __attribute__((aligned(64)));
        for (int c = 0; c < 3; c++) {
            vstore(comp[c], r[c]);
            vstore(comp[c + 3], v[c]);
        }
        double *base = b->state + (ptrdiff_t)k * b->instant_stride;
        for (int l = 0; l < W; l++) {
            if (index[l] < 0)
                continue;
            double *out = base + index[l] * b->sat_stride;
            for (int c = 0; c < 6; c++)
                out[c * b->component_stride] = comp[c][l];
        }
    }
    if (b->code) {
        double cc[W] __attribute__((aligned(64)));
        vstore(cc, code);
        uint8_t *codes = b->code + (ptrdiff_t)k * b->code_instant_stride;
        for (int l = 0; l < W; l++)
            if (index[l] >= 0)
                codes[index[l] * b->code_sat_stride] = (uint8_t)cc[l];
    }
    return 1;
}

/* Everything one vector carries through one propagation. */
typedef struct kslot {
    size_t k; /* block instant */
    vd t, code;
    vm huge;
    kmean m;
    kosc o;
    kkepler q;
    vd r[3], v[3];
} kslot;

/* apsco_sgp4's time guard, the secular terms and the mean elements (orbit_sgp4, first half). */
static inline void k_front(const fleet_block *blk, fleet_group group, size_t lane, kslot *x)
{
    const fleet_soa *s = blk->soa;
    int deep = group != FLEET_NEAR;
    vd t = k_tsince(blk, lane, x->k);
    vm bad_time = ~le(v_abs(t), splat(APSCO_SGP4_MAX_TSINCE_MIN));
    x->t = sel(bad_time, splat(0.0), t);
    x->code = sel(bad_time, splat(APSCO_SGP4_BAD_TIME), splat(0.0));
    k_secular(s, lane, x->t, deep, &x->m);
    if (deep)
        k_dspace(blk, lane, group, x->t, &x->m);
    x->huge = k_mean_at_time(s, lane, deep, group == FLEET_DEEP_DAY || group == FLEET_DEEP_HALF,
                             &x->m, &x->code);
    if (deep)
        k_dpper(s, lane, x->t, &x->m, &x->o, &x->code);
    else
        k_near_osc(s, lane, &x->m, &x->o);
    k_short_period_pre(deep, &x->m, &x->o, x->code, &x->q);
}

/* The state, the lanes for the scalar path, and the store (orbit_sgp4, second half). */
static inline void k_back(const fleet_block *blk, size_t lane, int contiguous, kslot *x)
{
    const fleet_soa *s = blk->soa;
    vd *r = x->r, *v = x->v;
    k_short_period_post(s, lane, &x->m, &x->o, &x->q, &x->code, r, v);
    vd speed2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    vd radius2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    vm state = eq(x->code, splat(0.0)) | eq(x->code, splat(APSCO_SGP4_DECAYED));
    vm degenerate = state & (x->huge | x->q.active |
                             ~le(speed2, splat(FLEET_MAX_SPEED_KM_S * FLEET_MAX_SPEED_KM_S)) |
                             ~le(radius2, LD(max_radius2_km2)));

    size_t k = x->k;
    if (store_clean(blk, lane, contiguous, k, x->code, degenerate, r, v))
        return;
    double rr[3][W] __attribute__((aligned(64))), vv[3][W] __attribute__((aligned(64)));
    double cc[W] __attribute__((aligned(64)));
    for (int c = 0; c < 3; c++) {
        vstore(rr[c], r[c]);
        vstore(vv[c], v[c]);
    }
    vstore(cc, x->code);
    double tt[W] __attribute__((aligned(64)));
    vstore(tt, sel(degenerate, x->t, splat(NAN)));
    for (int l = 0; l < W; l++) {
        long index = s->index[lane + (size_t)l];
        if (index < 0)
            continue;
        double rl[3] = {rr[0][l], rr[1][l], rr[2][l]}, vl[3] = {vv[0][l], vv[1][l], vv[2][l]};
        int c = (int)cc[l];
        if (!isnan(tt[l]))
            c = orbit_sgp4(&s->sats[index], NULL, tt[l], rl, vl);
        fleet_store(blk, index, k, c, rl, vl);
    }
}

/*
 * One vector of lanes at H consecutive instants of the block. The H
 * propagations are independent but for the resonance integrator, which
 * k_front advances instant after instant (the fronts run in order), and
 * running them stage by stage side by side gives the processor two chains
 * of dependent operations to overlap.
 */
static inline void k_propagate(const fleet_block *blk, fleet_group group, size_t lane, size_t k,
                               int h_count, int contiguous)
{
    kslot x[2];
    for (int h = 0; h < h_count; h++) {
        x[h].k = k + (size_t)h;
        k_front(blk, group, lane, &x[h]);
    }
    kkepler q[2];
    for (int h = 0; h < h_count; h++)
        q[h] = x[h].q;
    k_kepler(q, h_count);
    for (int h = 0; h < h_count; h++) {
        x[h].q = q[h];
        k_back(blk, lane, contiguous, &x[h]);
    }
}

/* The instants of the block two by two, then the odd one. */
static inline void k_run(const fleet_block *blk, fleet_group group, size_t lane, int contiguous)
{
    size_t k = 0;
    for (; k + 2 <= blk->instants; k += 2)
        k_propagate(blk, group, lane, k, 2, contiguous);
    for (; k < blk->instants; k++)
        k_propagate(blk, group, lane, k, 1, contiguous);
}

void KERNEL_NAME(const fleet_block *blk, fleet_group group, size_t lane)
{
    /* Whether the lanes hold consecutive satellites (see store_planes). */
    long first = blk->soa->index[lane];
    int contiguous = first >= 0;
    for (int l = 1; l < W; l++)
        contiguous = contiguous && blk->soa->index[lane + (size_t)l] == first + l;
    /* One specialisation per group, so that the branches on it fold away. */
    switch (group) {
    case FLEET_NEAR: k_run(blk, FLEET_NEAR, lane, contiguous); break;
    case FLEET_DEEP: k_run(blk, FLEET_DEEP, lane, contiguous); break;
    case FLEET_DEEP_DAY: k_run(blk, FLEET_DEEP_DAY, lane, contiguous); break;
    case FLEET_DEEP_HALF: k_run(blk, FLEET_DEEP_HALF, lane, contiguous); break;
    case FLEET_GROUP_COUNT: break;
    }
}
