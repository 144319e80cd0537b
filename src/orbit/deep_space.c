/*
 * deep_space.c — SDP4, the deep-space part of SGP4 for orbits of 225 min
 * or more: lunar and solar perturbations (secular and long-period) and the
 * Earth-gravity resonances of 12 h and 24 h orbits, integrated numerically.
 *
 * The four procedures follow the split of [VCHK]: dscom and dsinit run once
 * when a record is initialised; dspace and dpper run at every propagation.
 * Equations are those of [STR3] (DEEP section, with the fixes listed in
 * [VCHK]); numeric constants are the ones printed there. Angles are in
 * radians, time in minutes, mean motion in radians per minute.
 *
 * Unlike the reference, nothing here writes to the satellite record during
 * propagation: the resonance integrator's state lives in the caller's
 * apsco_sgp4_cache or on the stack.
 */
#include <math.h>

#include "orbit/internal.h"

/* Solar and lunar constants ([STR3] DEEP): eccentricities, mean motions rad/min. */
#define ZES 0.01675
#define ZEL 0.05490
#define ZNS 1.19459e-5
#define ZNL 1.5835218e-4

/* The orbit of a perturbing body (Sun or Moon) as dscom sees it, cosines and sines. */
typedef struct body_geometry {
    double zcosg, zsing; /* argument of perigee of the body's orbit */
    double zcosi, zsini; /* inclination of the body's orbit to the equator */
    double zcosh, zsinh; /* satellite's node measured from the body's node */
    double cc;           /* body's perturbation constant (c1ss or c1l), rad/min */
} body_geometry;

/* Trigonometry of the satellite's epoch elements, shared by both bodies. */
typedef struct sat_geometry {
    double sinim, cosim, sinomm, cosomm;
    double em, emsq, betasq, rtemsq, xnoi;
} sat_geometry;

/*
 * [STR3] DEEP, the a1..a10, x1..x8, z and s coefficients for one body:
 * direction cosines of the satellite's orbit in the body's orbital frame
 * and the second-order expansion in eccentricity.
 */
static void body_terms(const body_geometry *b, const sat_geometry *g, orbit_body_terms *o)
{
    double a1 = b->zcosg * b->zcosh + b->zsing * b->zcosi * b->zsinh;
    double a3 = -b->zsing * b->zcosh + b->zcosg * b->zcosi * b->zsinh;
    double a7 = -b->zcosg * b->zsinh + b->zsing * b->zcosi * b->zcosh;
    double a8 = b->zsing * b->zsini;
    double a9 = b->zsing * b->zsinh + b->zcosg * b->zcosi * b->zcosh;
    double a10 = b->zcosg * b->zsini;
    double a2 = g->cosim * a7 + g->sinim * a8;
    double a4 = g->cosim * a9 + g->sinim * a10;
    double a5 = -g->sinim * a7 + g->cosim * a8;
    double a6 = -g->sinim * a9 + g->cosim * a10;

    double x1 = a1 * g->cosomm + a2 * g->sinomm;
    double x2 = a3 * g->cosomm + a4 * g->sinomm;
    double x3 = -a1 * g->sinomm + a2 * g->cosomm;
    double x4 = -a3 * g->sinomm + a4 * g->cosomm;
    double x5 = a5 * g->sinomm;
    double x6 = a6 * g->sinomm;
    double x7 = a5 * g->cosomm;
    double x8 = a6 * g->cosomm;
    double emsq = g->emsq;

    o->z31 = 12.0 * x1 * x1 - 3.0 * x3 * x3;
    o->z32 = 24.0 * x1 * x2 - 6.0 * x3 * x4;
    o->z33 = 12.0 * x2 * x2 - 3.0 * x4 * x4;
    o->z1 = 3.0 * (a1 * a1 + a2 * a2) + o->z31 * emsq;
    o->z2 = 6.0 * (a1 * a3 + a2 * a4) + o->z32 * emsq;
    o->z3 = 3.0 * (a3 * a3 + a4 * a4) + o->z33 * emsq;
    o->z11 = -6.0 * a1 * a5 + emsq * (-24.0 * x1 * x7 - 6.0 * x3 * x5);
    o->z12 = -6.0 * (a1 * a6 + a3 * a5) +
             emsq * (-24.0 * (x2 * x7 + x1 * x8) - 6.0 * (x3 * x6 + x4 * x5));
    o->z13 = -6.0 * a3 * a6 + emsq * (-24.0 * x2 * x8 - 6.0 * x4 * x6);
    o->z21 = 6.0 * a2 * a5 + emsq * (24.0 * x1 * x5 - 6.0 * x3 * x7);
    o->z22 =
        6.0 * (a4 * a5 + a2 * a6) + emsq * (24.0 * (x2 * x5 + x1 * x6) - 6.0 * (x4 * x7 + x3 * x8));
    o->z23 = 6.0 * a4 * a6 + emsq * (24.0 * x2 * x6 - 6.0 * x4 * x8);
    o->z1 = o->z1 + o->z1 + g->betasq * o->z31;
    o->z2 = o->z2 + o->z2 + g->betasq * o->z32;
    o->z3 = o->z3 + o->z3 + g->betasq * o->z33;
    o->s3 = b->cc * g->xnoi;
    o->s2 = -0.5 * o->s3 / g->rtemsq;
    o->s4 = o->s3 * g->rtemsq;
    o->s1 = -15.0 * g->em * o->s4;
    o->s5 = x1 * x3 + x2 * x4;
    o->s6 = x2 * x3 + x1 * x4;
    o->s7 = x2 * x4 - x1 * x3;
}

/* [STR3] DEEP: the long-period periodic coefficients of the Sun (s…) and the Moon (x…). */
static void periodic_coefficients(apsco_sat *sat, const orbit_body_terms *s,
                                  const orbit_body_terms *m, double emsq)
{
    sat->se2 = 2.0 * s->s1 * s->s6;
    sat->se3 = 2.0 * s->s1 * s->s7;
    sat->si2 = 2.0 * s->s2 * s->z12;
    sat->si3 = 2.0 * s->s2 * (s->z13 - s->z11);
    sat->sl2 = -2.0 * s->s3 * s->z2;
    sat->sl3 = -2.0 * s->s3 * (s->z3 - s->z1);
    sat->sl4 = -2.0 * s->s3 * (-21.0 - 9.0 * emsq) * ZES;
    sat->sgh2 = 2.0 * s->s4 * s->z32;
    sat->sgh3 = 2.0 * s->s4 * (s->z33 - s->z31);
    sat->sgh4 = -18.0 * s->s4 * ZES;
    sat->sh2 = -2.0 * s->s2 * s->z22;
    sat->sh3 = -2.0 * s->s2 * (s->z23 - s->z21);

    sat->ee2 = 2.0 * m->s1 * m->s6;
    sat->e3 = 2.0 * m->s1 * m->s7;
    sat->xi2 = 2.0 * m->s2 * m->z12;
    sat->xi3 = 2.0 * m->s2 * (m->z13 - m->z11);
    sat->xl2 = -2.0 * m->s3 * m->z2;
    sat->xl3 = -2.0 * m->s3 * (m->z3 - m->z1);
    sat->xl4 = -2.0 * m->s3 * (-21.0 - 9.0 * emsq) * ZEL;
    sat->xgh2 = 2.0 * m->s4 * m->z32;
    sat->xgh3 = 2.0 * m->s4 * (m->z33 - m->z31);
    sat->xgh4 = -18.0 * m->s4 * ZEL;
    sat->xh2 = -2.0 * m->s2 * m->z22;
    sat->xh3 = -2.0 * m->s2 * (m->z23 - m->z21);
}

void orbit_dscom(apsco_sat *sat, orbit_ds_common *out)
{
    const double c1ss = 2.9864797e-6; /* solar perturbation constant */
    const double c1l = 4.7968065e-7;  /* lunar perturbation constant */
    const double zsinis = 0.39785416; /* sine and cosine of the obliquity */
    const double zcosis = 0.91744867;
    const double zcosgs = 0.1945905; /* solar perigee */
    const double zsings = -0.98088458;

    double snodm = sin(sat->nodeo);
    double cnodm = cos(sat->nodeo);
    sat_geometry g;
    g.sinomm = sin(sat->argpo);
    g.cosomm = cos(sat->argpo);
    g.sinim = sin(sat->inclo);
    g.cosim = cos(sat->inclo);
    g.em = sat->ecco;
    g.emsq = g.em * g.em;
    g.betasq = 1.0 - g.emsq;
    g.rtemsq = sqrt(g.betasq);
    g.xnoi = 1.0 / sat->no_unkozai;

    /*
     * Lunar orbit at the epoch: node xnodce, inclination to the equator and
     * the Moon's argument of perigee, from linear fits in days since
     * 1900-01-00.5 (18261.5 days before 1950-0.0). tc = 0 at initialisation.
     * The node's argument is negative for any modern epoch; fmod keeps it
     * negative as the reference does (a floored modulo would not, and its
     * sine and cosine would differ in the last bit).
     */
    double day = sat->epoch_days_1950 + 18261.5;
    double xnodce = fmod(4.5236020 - 9.2422029e-4 * day, ORBIT_TWOPI);
    double stem = sin(xnodce);
    double ctem = cos(xnodce);
    double zcosil = 0.91375164 - 0.03568096 * ctem;
    double zsinil = sqrt(1.0 - zcosil * zcosil);
    double zsinhl = 0.089683511 * stem / zsinil;
    double zcoshl = sqrt(1.0 - zsinhl * zsinhl);
    double gam = 5.8351514 + 0.0019443680 * day;
    double zx = 0.39785416 * stem / zsinil;
    double zy = zcoshl * ctem + 0.91744867 * zsinhl * stem;
    zx = atan2(zx, zy);
    zx = gam + zx - xnodce;
    double zcosgl = cos(zx);
    double zsingl = sin(zx);

    body_geometry sun = {zcosgs, zsings, zcosis, zsinis, cnodm, snodm, c1ss};
    body_geometry moon = {zcosgl,
                          zsingl,
                          zcosil,
                          zsinil,
                          zcoshl * cnodm + zsinhl * snodm,
                          snodm * zcoshl - cnodm * zsinhl,
                          c1l};
    body_terms(&sun, &g, &out->sun);
    body_terms(&moon, &g, &out->moon);

    /* Mean anomalies of the Moon and the Sun at the epoch. */
    sat->zmol = fmod(4.7199672 + 0.22997150 * day - gam, ORBIT_TWOPI);
    sat->zmos = fmod(6.2565837 + 0.017201977 * day, ORBIT_TWOPI);
    periodic_coefficients(sat, &out->sun, &out->moon, g.emsq);

    out->sinim = g.sinim;
    out->cosim = g.cosim;
    out->em = g.em;
    out->emsq = g.emsq;
    out->nm = sat->no_unkozai;
}

/* [STR3] DEEP: secular rates of e, i, M, argument of perigee and node from Sun and Moon. */
static void lunar_solar_rates(apsco_sat *sat, const orbit_ds_common *c)
{
    const orbit_body_terms *s = &c->sun, *m = &c->moon;
    double emsq = c->emsq;
    /* sgp4fix ([VCHK]): no node rate for inclinations within 3 deg of 0 or 180 deg. */
    int near_equatorial = sat->inclo < 5.2359877e-2 || sat->inclo > ORBIT_PI - 5.2359877e-2;

    double ses = s->s1 * ZNS * s->s5;
    double sis = s->s2 * ZNS * (s->z11 + s->z13);
    double sls = -ZNS * s->s3 * (s->z1 + s->z3 - 14.0 - 6.0 * emsq);
    double sghs = s->s4 * ZNS * (s->z31 + s->z33 - 6.0);
    double shs = -ZNS * s->s2 * (s->z21 + s->z23);
    if (near_equatorial)
        shs = 0.0;
    if (c->sinim != 0.0)
        shs = shs / c->sinim;
    double sgs = sghs - c->cosim * shs;

    sat->dedt = ses + m->s1 * ZNL * m->s5;
    sat->didt = sis + m->s2 * ZNL * (m->z11 + m->z13);
    sat->dmdt = sls - ZNL * m->s3 * (m->z1 + m->z3 - 14.0 - 6.0 * emsq);
    double sghl = m->s4 * ZNL * (m->z31 + m->z33 - 6.0);
    double shll = -ZNL * m->s2 * (m->z21 + m->z23);
    if (near_equatorial)
        shll = 0.0;
    sat->domdt = sgs + sghl;
    sat->dnodt = shs;
    if (c->sinim != 0.0) {
        sat->domdt = sat->domdt - c->cosim / c->sinim * shll;
        sat->dnodt = sat->dnodt + shll / c->sinim;
    }
}

/*
 * [STR3] DEEP, 12-hour resonance: the eccentricity functions G (fits in e
 * over three ranges) and inclination functions F of the tesseral harmonics
 * (2,2), (3,2), (4,4), (5,2), (5,4), and the D coefficients built from them.
 */
static void half_day_coefficients(apsco_sat *sat, double sinim, double cosim, double nm,
                                  double aonv)
{
    const double root22 = 1.7891679e-6, root32 = 3.7393792e-7, root44 = 7.3636953e-9;
    const double root52 = 1.1428639e-7, root54 = 2.1765803e-9;
    double cosisq = cosim * cosim;
    double em = sat->ecco;
    double emsq = em * em;
    double eoc = em * emsq;
    double g201 = -0.306 - (em - 0.64) * 0.440;
    double g211, g310, g322, g410, g422, g520, g521, g532, g533;
    if (em <= 0.65) {
        g211 = 3.616 - 13.2470 * em + 16.2900 * emsq;
        g310 = -19.302 + 117.3900 * em - 228.4190 * emsq + 156.5910 * eoc;
        g322 = -18.9068 + 109.7927 * em - 214.6334 * emsq + 146.5816 * eoc;
        g410 = -41.122 + 242.6940 * em - 471.0940 * emsq + 313.9530 * eoc;
        g422 = -146.407 + 841.8800 * em - 1629.014 * emsq + 1083.4350 * eoc;
        g520 = -532.114 + 3017.977 * em - 5740.032 * emsq + 3708.2760 * eoc;
    } else {
        g211 = -72.099 + 331.819 * em - 508.738 * emsq + 266.724 * eoc;
        g310 = -346.844 + 1582.851 * em - 2415.925 * emsq + 1246.113 * eoc;
        g322 = -342.585 + 1554.908 * em - 2366.899 * emsq + 1215.972 * eoc;
        g410 = -1052.797 + 4758.686 * em - 7193.992 * emsq + 3651.957 * eoc;
        g422 = -3581.690 + 16178.110 * em - 24462.770 * emsq + 12422.520 * eoc;
        if (em > 0.715)
            g520 = -5149.66 + 29936.92 * em - 54087.36 * emsq + 31324.56 * eoc;
        else
            g520 = 1464.74 - 4664.75 * em + 3763.64 * emsq;
    }
    if (em < 0.7) {
        g533 = -919.22770 + 4988.6100 * em - 9064.7700 * emsq + 5542.21 * eoc;
        g521 = -822.71072 + 4568.6173 * em - 8491.4146 * emsq + 5337.524 * eoc;
        g532 = -853.66600 + 4690.2500 * em - 8624.7700 * emsq + 5341.4 * eoc;
    } else {
        g533 = -37995.780 + 161616.52 * em - 229838.20 * emsq + 109377.94 * eoc;
        g521 = -51752.104 + 218913.95 * em - 309468.16 * emsq + 146349.42 * eoc;
        g532 = -40023.880 + 170470.89 * em - 242699.48 * emsq + 115605.82 * eoc;
    }

    double sini2 = sinim * sinim;
    double f220 = 0.75 * (1.0 + 2.0 * cosim + cosisq);
    double f221 = 1.5 * sini2;
    double f321 = 1.875 * sinim * (1.0 - 2.0 * cosim - 3.0 * cosisq);
    double f322 = -1.875 * sinim * (1.0 + 2.0 * cosim - 3.0 * cosisq);
    double f441 = 35.0 * sini2 * f220;
    double f442 = 39.3750 * sini2 * sini2;
    double f522 = 9.84375 * sinim *
                  (sini2 * (1.0 - 2.0 * cosim - 5.0 * cosisq) +
                   0.33333333 * (-2.0 + 4.0 * cosim + 6.0 * cosisq));
    double f523 = sinim * (4.92187512 * sini2 * (-2.0 - 4.0 * cosim + 10.0 * cosisq) +
                           6.56250012 * (1.0 + 2.0 * cosim - 3.0 * cosisq));
    double f542 =
        29.53125 * sinim * (2.0 - 8.0 * cosim + cosisq * (-12.0 + 8.0 * cosim + 10.0 * cosisq));
    double f543 =
        29.53125 * sinim * (-2.0 - 8.0 * cosim + cosisq * (12.0 + 8.0 * cosim - 10.0 * cosisq));

    double xno2 = nm * nm;
    double ainv2 = aonv * aonv;
    double temp1 = 3.0 * xno2 * ainv2;
    double temp = temp1 * root22;
    sat->d2201 = temp * f220 * g201;
    sat->d2211 = temp * f221 * g211;
    temp1 = temp1 * aonv;
    temp = temp1 * root32;
    sat->d3210 = temp * f321 * g310;
    sat->d3222 = temp * f322 * g322;
    temp1 = temp1 * aonv;
    temp = 2.0 * temp1 * root44;
    sat->d4410 = temp * f441 * g410;
    sat->d4422 = temp * f442 * g422;
    temp1 = temp1 * aonv;
    temp = temp1 * root52;
    sat->d5220 = temp * f522 * g520;
    sat->d5232 = temp * f523 * g532;
    temp = 2.0 * temp1 * root54;
    sat->d5421 = temp * f542 * g521;
    sat->d5433 = temp * f543 * g533;
}

/* [STR3] DEEP, 24-hour (synchronous) resonance: the del1..del3 coefficients. */
static void one_day_coefficients(apsco_sat *sat, double sinim, double cosim, double emsq, double nm,
                                 double aonv)
{
    const double q22 = 1.7891679e-6, q31 = 2.1460748e-6, q33 = 2.2123015e-7;
    double g200 = 1.0 + emsq * (-2.5 + 0.8125 * emsq);
    double g310 = 1.0 + 2.0 * emsq;
    double g300 = 1.0 + emsq * (-6.0 + 6.60937 * emsq);
    double f220 = 0.75 * (1.0 + cosim) * (1.0 + cosim);
    double f311 = 0.9375 * sinim * sinim * (1.0 + 3.0 * cosim) - 0.75 * (1.0 + cosim);
    double f330 = 1.0 + cosim;
    f330 = 1.875 * f330 * f330 * f330;
    double del1 = 3.0 * nm * nm * aonv * aonv;
    sat->del2 = 2.0 * del1 * f220 * g200 * q22;
    sat->del3 = 3.0 * del1 * f330 * g300 * q33 * aonv;
    sat->del1 = del1 * f311 * g310 * q31 * aonv;
}

void orbit_dsinit(apsco_sat *sat, const orbit_ds_common *c, double xpidot)
{
    const double x2o3 = 2.0 / 3.0;
    double nm = c->nm;

    /* 24 h orbits: 0.8 to 1.2 rev/day; 12 h orbits: 1.89 to 2.12 rev/day with e >= 0.5. */
    sat->irez = 0;
    if (nm < 0.0052359877 && nm > 0.0034906585)
        sat->irez = 1;
    if (nm >= 8.26e-3 && nm <= 9.24e-3 && c->em >= 0.5)
        sat->irez = 2;

    lunar_solar_rates(sat, c);
    if (sat->irez == 0)
        return;

    /*
     * Resonance terms. theta is the sidereal angle at the epoch (tc = 0);
     * xlamo is the resonant longitude the integrator starts from and xfact
     * its rate beyond the mean motion.
     */
    double theta = fmod(sat->gsto, ORBIT_TWOPI);
    double aonv = pow(nm / sat->xke, x2o3);
    if (sat->irez == 2) {
        half_day_coefficients(sat, c->sinim, c->cosim, nm, aonv);
        sat->xlamo = fmod(sat->mo + sat->nodeo + sat->nodeo - theta - theta, ORBIT_TWOPI);
        sat->xfact = sat->mdot + sat->dmdt + 2.0 * (sat->nodedot + sat->dnodt - ORBIT_RPTIM) -
                     sat->no_unkozai;
    } else {
        one_day_coefficients(sat, c->sinim, c->cosim, c->emsq, nm, aonv);
        sat->xlamo = fmod(sat->mo + sat->nodeo + sat->argpo - theta, ORBIT_TWOPI);
        sat->xfact = sat->mdot + xpidot - ORBIT_RPTIM + sat->dmdt + sat->domdt + sat->dnodt -
                     sat->no_unkozai;
    }
}

/* The resonance accelerations of [STR3] DEEP at the integrator's state. */
typedef struct resonance_rates {
    double xndt;  /* d(mean motion)/dt, rad/min^2 */
    double xldot; /* d(resonant longitude)/dt, rad/min */
    double xnddt; /* d2(mean motion)/dt2, rad/min^3 */
} resonance_rates;

static resonance_rates one_day_rates(const apsco_sat *s, double xli, double xni)
{
    const double fasx2 = 0.13130908, fasx4 = 2.8843198, fasx6 = 0.37448087;
    resonance_rates r;
    r.xndt = s->del1 * sin(xli - fasx2) + s->del2 * sin(2.0 * (xli - fasx4)) +
             s->del3 * sin(3.0 * (xli - fasx6));
    r.xldot = xni + s->xfact;
    r.xnddt = s->del1 * cos(xli - fasx2) + 2.0 * s->del2 * cos(2.0 * (xli - fasx4)) +
              3.0 * s->del3 * cos(3.0 * (xli - fasx6));
    r.xnddt = r.xnddt * r.xldot;
    return r;
}

static resonance_rates half_day_rates(const apsco_sat *s, double xli, double xni, double atime)
{
    const double g22 = 5.7686396, g32 = 0.95240898, g44 = 1.8014998;
    const double g52 = 1.0508330, g54 = 4.4108898;
    double xomi = s->argpo + s->argpdot * atime;
    double x2omi = xomi + xomi;
    double x2li = xli + xli;
    resonance_rates r;
    r.xndt = s->d2201 * sin(x2omi + xli - g22) + s->d2211 * sin(xli - g22) +
             s->d3210 * sin(xomi + xli - g32) + s->d3222 * sin(-xomi + xli - g32) +
             s->d4410 * sin(x2omi + x2li - g44) + s->d4422 * sin(x2li - g44) +
             s->d5220 * sin(xomi + xli - g52) + s->d5232 * sin(-xomi + xli - g52) +
             s->d5421 * sin(xomi + x2li - g54) + s->d5433 * sin(-xomi + x2li - g54);
    r.xldot = xni + s->xfact;
    r.xnddt = s->d2201 * cos(x2omi + xli - g22) + s->d2211 * cos(xli - g22) +
              s->d3210 * cos(xomi + xli - g32) + s->d3222 * cos(-xomi + xli - g32) +
              s->d5220 * cos(xomi + xli - g52) + s->d5232 * cos(-xomi + xli - g52) +
              2.0 * (s->d4410 * cos(x2omi + x2li - g44) + s->d4422 * cos(x2li - g44) +
                     s->d5421 * cos(xomi + x2li - g54) + s->d5433 * cos(-xomi + x2li - g54));
    r.xnddt = r.xnddt * r.xldot;
    return r;
}

/*
 * [STR3] DEEP, resonance integration: a second-order Euler-Maclaurin
 * integrator with fixed 720 min steps from the epoch towards t, then a
 * Taylor step over the remainder ft. Steps always start at the epoch and
 * advance by ±720 min, so resuming from a cached state at a step boundary
 * repeats exactly the operations a fresh run would do.
 */
static void integrate_resonance(const apsco_sat *sat, apsco_sgp4_cache *cache, double t, double *xl,
                                double *nm)
{
    const double step = 720.0, step2 = 259200.0; /* min, and step^2 / 2 min^2 */
    apsco_sgp4_cache local = {0.0, 0.0, 0.0, 0.0, 0.0};
    apsco_sgp4_cache *st = cache ? cache : &local;

    /* sgp4fix ([VCHK]): restart from the epoch unless t lies further out on the same side. */
    int same_owner = st->owner_xlamo == sat->xlamo && st->owner_no == sat->no_unkozai;
    if (!same_owner || st->atime_min == 0.0 || t * st->atime_min <= 0.0 ||
        fabs(t) < fabs(st->atime_min)) {
        st->atime_min = 0.0;
        st->xni = sat->no_unkozai;
        st->xli = sat->xlamo;
        st->owner_xlamo = sat->xlamo;
        st->owner_no = sat->no_unkozai;
    }
    double delt = t > 0.0 ? step : -step;

    for (;;) {
        resonance_rates r = sat->irez != 2 ? one_day_rates(sat, st->xli, st->xni)
                                           : half_day_rates(sat, st->xli, st->xni, st->atime_min);
        if (!(fabs(t - st->atime_min) >= step)) {
            double ft = t - st->atime_min;
            *nm = st->xni + r.xndt * ft + r.xnddt * ft * ft * 0.5;
            *xl = st->xli + r.xldot * ft + r.xndt * ft * ft * 0.5;
            return;
        }
        st->xli = st->xli + r.xldot * delt + r.xndt * step2;
        st->xni = st->xni + r.xndt * delt + r.xnddt * step2;
        st->atime_min = st->atime_min + delt;
    }
}

void orbit_dspace(const apsco_sat *sat, apsco_sgp4_cache *cache, double t_min, double *em,
                  double *argpm, double *inclm, double *mm, double *nodem, double *nm)
{
    double t = t_min;
    /* Sidereal angle at t: the reference passes tc = t. */
    double theta = fmod(sat->gsto + t * ORBIT_RPTIM, ORBIT_TWOPI);

    /* [STR3] DEEP, secular lunar-solar effects. */
    *em = *em + sat->dedt * t;
    *inclm = *inclm + sat->didt * t;
    *argpm = *argpm + sat->domdt * t;
    *nodem = *nodem + sat->dnodt * t;
    *mm = *mm + sat->dmdt * t;
    if (sat->irez == 0)
        return;

    double xl, xn;
    integrate_resonance(sat, cache, t, &xl, &xn);
    /* Back from the resonant longitude to the mean anomaly; dndt = xn - no as in the reference. */
    double dndt;
    if (sat->irez != 1) {
        *mm = xl - 2.0 * *nodem + 2.0 * theta;
        dndt = xn - sat->no_unkozai;
    } else {
        *mm = xl - *nodem - *argpm + theta;
        dndt = xn - sat->no_unkozai;
    }
    *nm = sat->no_unkozai + dndt;
}

void orbit_dpper(const apsco_sat *sat, double t_min, double *ep, double *inclp, double *nodep,
                 double *argpp, double *mp)
{
    /* [STR3] DEEP, solar periodics: zm is the Sun's mean anomaly, zf its true anomaly. */
    double zm = sat->zmos + ZNS * t_min;
    double zf = zm + 2.0 * ZES * sin(zm);
    double sinzf = sin(zf);
    double f2 = 0.5 * sinzf * sinzf - 0.25;
    double f3 = -0.5 * sinzf * cos(zf);
    double ses = sat->se2 * f2 + sat->se3 * f3;
    double sis = sat->si2 * f2 + sat->si3 * f3;
    double sls = sat->sl2 * f2 + sat->sl3 * f3 + sat->sl4 * sinzf;
    double sghs = sat->sgh2 * f2 + sat->sgh3 * f3 + sat->sgh4 * sinzf;
    double shs = sat->sh2 * f2 + sat->sh3 * f3;

    /* Lunar periodics. */
    zm = sat->zmol + ZNL * t_min;
    zf = zm + 2.0 * ZEL * sin(zm);
    sinzf = sin(zf);
    f2 = 0.5 * sinzf * sinzf - 0.25;
    f3 = -0.5 * sinzf * cos(zf);
    double sel = sat->ee2 * f2 + sat->e3 * f3;
    double sil = sat->xi2 * f2 + sat->xi3 * f3;
    double sll = sat->xl2 * f2 + sat->xl3 * f3 + sat->xl4 * sinzf;
    double sghl = sat->xgh2 * f2 + sat->xgh3 * f3 + sat->xgh4 * sinzf;
    double shll = sat->xh2 * f2 + sat->xh3 * f3;

    /*
     * The periodics are zero at the epoch by construction; the reference
     * subtracts their epoch values (peo … pho), which are always 0.0 in this
     * revision, so the subtraction is left out (x - 0.0 == x).
     */
    double pe = ses + sel;
    double pinc = sis + sil;
    double pl = sls + sll;
    double pgh = sghs + sghl;
    double ph = shs + shll;

    *inclp = *inclp + pinc;
    *ep = *ep + pe;
    double sinip = sin(*inclp);
    double cosip = cos(*inclp);

    /*
     * sgp4fix ([VCHK]): apply the periodics directly above 0.2 rad of the
     * perturbed inclination; below, use Lyddane's modification, which avoids
     * the division by sin(i).
     */
    if (*inclp >= 0.2) {
        ph = ph / sinip;
        pgh = pgh - cosip * ph;
        *argpp = *argpp + pgh;
        *nodep = *nodep + ph;
        *mp = *mp + pl;
        return;
    }

    double sinop = sin(*nodep);
    double cosop = cos(*nodep);
    double alfdp = sinip * sinop;
    double betdp = sinip * cosop;
    double dalf = ph * cosop + pinc * cosip * sinop;
    double dbet = -ph * sinop + pinc * cosip * cosop;
    alfdp = alfdp + dalf;
    betdp = betdp + dbet;
    double node = fmod(*nodep, ORBIT_TWOPI);
    /* sgp4fix ([VCHK]): the AFSPC code's intrinsics returned [0, 2pi). */
    int afspc = sat->opsmode == APSCO_OPSMODE_AFSPC;
    if (node < 0.0 && afspc)
        node = node + ORBIT_TWOPI;
    double xls = *mp + *argpp + cosip * node;
    double dls = pl + pgh - pinc * node * sinip;
    xls = xls + dls;
    double xnoh = node;
    node = atan2(alfdp, betdp);
    if (node < 0.0 && afspc)
        node = node + ORBIT_TWOPI;
    /* Keep the new node on the same turn as the old one. */
    if (fabs(xnoh - node) > ORBIT_PI) {
        if (node < xnoh)
            node = node + ORBIT_TWOPI;
        else
            node = node - ORBIT_TWOPI;
    }
    *mp = *mp + pl;
    *argpp = xls - *mp - cosip * node;
    *nodep = node;
}
