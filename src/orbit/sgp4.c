/*
 * sgp4.c — propagation of an initialised record to a time: secular gravity
 * and drag, the deep-space terms, long-period periodics, Kepler's equation,
 * short-period periodics and the TEME position and velocity.
 *
 * The record is read-only here, so one apsco_sat can serve many threads;
 * the only state carried between calls is the optional resonance cache.
 * The reference overwrites a few record fields (aycof, xlcof, con41, x1mth2,
 * x7thm1) for deep-space orbits at every call; they are locals here.
 */
#include <math.h>

#include "orbit/internal.h"

/* Mean elements at the propagation time (rad, rad/min, er). */
typedef struct mean_elements {
    double am, em, inclm, nodem, argpm, mm, nm;
} mean_elements;

/* Elements with the lunar-solar periodics applied, and the inclination's trigonometry. */
typedef struct osc_elements {
    double ep, xincp, nodep, argpp, mp, sinip, cosip;
} osc_elements;

/* Drag polynomials of [STR3] SGP4, in t. */
typedef struct drag_terms {
    double tempa, tempe, templ;
} drag_terms;

/*
 * [STR3] SGP4, "update for secular gravity and atmospheric drag": the mean
 * anomaly, argument of perigee and node advance at their J2/J4 rates; drag
 * shrinks a (tempa), e (tempe) and advances L (templ).
 */
static void secular(const apsco_sat *s, double t, mean_elements *m, drag_terms *d)
{
    double xmdf = s->mo + s->mdot * t;
    double argpdf = s->argpo + s->argpdot * t;
    double nodedf = s->nodeo + s->nodedot * t;
    double t2 = t * t;
    m->argpm = argpdf;
    m->mm = xmdf;
    m->nodem = nodedf + s->nodecf * t2;
    d->tempa = 1.0 - s->cc1 * t;
    d->tempe = s->bstar_cc4 * t;
    d->templ = s->t2cof * t2;

    if (s->isimp != 1) {
        double delomg = s->omgcof * t;
        double delmtemp = 1.0 + s->eta * cos(xmdf);
        double delm = s->xmcof * (delmtemp * delmtemp * delmtemp - s->delmo);
        double temp = delomg + delm;
        m->mm = xmdf + temp;
        m->argpm = argpdf - temp;
        double t3 = t2 * t;
        double t4 = t3 * t;
        d->tempa = d->tempa - s->d2 * t2 - s->d3 * t3 - s->d4 * t4;
        d->tempe = d->tempe + s->bstar_cc5 * (sin(m->mm) - s->sinmao);
        d->templ = d->templ + s->t3cof * t3 + t4 * (s->t4cof + t * s->t5cof);
    }
    m->nm = s->no_unkozai;
    m->em = s->ecco;
    m->inclm = s->inclo;
}

/*
 * Semi-major axis and mean motion with drag, the eccentricity checks, and
 * the angles reduced to one turn. Returns an apsco_sgp4_code.
 */
static int mean_at_time(const apsco_sat *s, const drag_terms *d, mean_elements *m)
{
    const double x2o3 = 2.0 / 3.0;
    if (m->nm <= 0.0)
        return APSCO_SGP4_MEAN_MOTION;
    /* Without resonance nm is still no_unkozai and pow(xke / nm, 2/3) is the stored ao. */
    double aonv = m->nm == s->no_unkozai ? s->ao : pow(s->xke / m->nm, x2o3);
    m->am = aonv * d->tempa * d->tempa;
    m->nm = s->xke / pow(m->am, 1.5);
    m->em = m->em - d->tempe;
    /* sgp4fix ([VCHK]): tolerance below zero for error recognition. */
    if (m->em >= 1.0 || m->em < -0.001)
        return APSCO_SGP4_MEAN_ECC;
    /* sgp4fix: avoid a division by zero. */
    if (m->em < 1.0e-6)
        m->em = 1.0e-6;
    m->mm = m->mm + s->no_unkozai * d->templ;
    double xlm = m->mm + m->argpm + m->nodem;
    /*
     * C's fmod keeps the sign of its argument; a floored modulo (Python's %)
     * would differ by 2 pi for negative angles and change the last bits of
     * everything downstream, Kepler's iteration in particular.
     */
    m->nodem = fmod(m->nodem, ORBIT_TWOPI);
    m->argpm = fmod(m->argpm, ORBIT_TWOPI);
    xlm = fmod(xlm, ORBIT_TWOPI);
    m->mm = fmod(xlm - m->argpm - m->nodem, ORBIT_TWOPI);
    return APSCO_SGP4_OK;
}

/* [STR3] DEEP: lunar-solar periodics, then the check of the perturbed eccentricity. */
static int deep_periodics(const apsco_sat *s, double t, const mean_elements *m, osc_elements *o)
{
    o->ep = m->em;
    o->xincp = m->inclm;
    o->argpp = m->argpm;
    o->nodep = m->nodem;
    o->mp = m->mm;
    orbit_dpper(s, t, &o->ep, &o->xincp, &o->nodep, &o->argpp, &o->mp);
    if (o->xincp < 0.0) {
        o->xincp = -o->xincp;
        o->nodep = o->nodep + ORBIT_PI;
        o->argpp = o->argpp - ORBIT_PI;
    }
    if (o->ep < 0.0 || o->ep > 1.0)
        return APSCO_SGP4_PERT_ECC;
    o->sinip = sin(o->xincp);
    o->cosip = cos(o->xincp);
    return APSCO_SGP4_OK;
}

/* Coefficients that depend on the inclination: fixed for SGP4, recomputed for SDP4. */
typedef struct incl_terms {
    double aycof, xlcof, con41, x1mth2, x7thm1;
} incl_terms;

static void inclination_terms(const apsco_sat *s, const osc_elements *o, incl_terms *k)
{
    if (!s->deep_space) {
        k->aycof = s->aycof;
        k->xlcof = s->xlcof;
        k->con41 = s->con41;
        k->x1mth2 = s->x1mth2;
        k->x7thm1 = s->x7thm1;
        return;
    }
    /* sgp4fix ([VCHK]): divisor for 1 + cos i at 180 deg. */
    const double temp4 = 1.5e-12;
    k->aycof = -0.5 * s->j3oj2 * o->sinip;
    double one_plus_cos = fabs(o->cosip + 1.0) > 1.5e-12 ? 1.0 + o->cosip : temp4;
    k->xlcof = -0.25 * s->j3oj2 * o->sinip * (3.0 + 5.0 * o->cosip) / one_plus_cos;
    double cosisq = o->cosip * o->cosip;
    k->con41 = 3.0 * cosisq - 1.0;
    k->x1mth2 = 1.0 - cosisq;
    k->x7thm1 = 7.0 * cosisq - 1.0;
}

/* Solution of Kepler's equation for the modified eccentric anomaly E + omega. */
typedef struct kepler_solution {
    double sineo1, coseo1;
} kepler_solution;

/*
 * [STR3] SGP4, Kepler's equation u = E + axn sin E - ayn cos E by Newton
 * iteration, at most 10 steps, each limited to 0.95 rad (sgp4fix [VCHK]).
 * The sine and cosine returned are those of the last iterate before its
 * final correction, as in the reference.
 */
static kepler_solution solve_kepler(double u, double axnl, double aynl)
{
    kepler_solution k = {0.0, 0.0};
    double eo1 = u;
    double tem5 = 9999.9;
    for (int ktr = 1; fabs(tem5) >= 1.0e-12 && ktr <= 10; ktr++) {
        k.sineo1 = sin(eo1);
        k.coseo1 = cos(eo1);
        tem5 = 1.0 - k.coseo1 * axnl - k.sineo1 * aynl;
        tem5 = (u - aynl * k.coseo1 + axnl * k.sineo1 - eo1) / tem5;
        if (fabs(tem5) >= 0.95)
            tem5 = tem5 > 0.0 ? 0.95 : -0.95;
        eo1 = eo1 + tem5;
    }
    return k;
}

/*
 * [STR3] SGP4, short-period periodics and the unit vectors U (position) and
 * V (velocity direction) of the osculating orbit; position in km, velocity
 * in km/s. Returns an apsco_sgp4_code (4, 6 or 0).
 */
static int short_period(const apsco_sat *s, const mean_elements *m, const osc_elements *o,
                        const incl_terms *k, double r[3], double v[3])
{
    double axnl = o->ep * cos(o->argpp);
    double temp = 1.0 / (m->am * (1.0 - o->ep * o->ep));
    double aynl = o->ep * sin(o->argpp) + temp * k->aycof;
    double xl = o->mp + o->argpp + o->nodep + temp * k->xlcof * axnl;

    double u = fmod(xl - o->nodep, ORBIT_TWOPI);
    kepler_solution e = solve_kepler(u, axnl, aynl);

    double ecose = axnl * e.coseo1 + aynl * e.sineo1;
    double esine = axnl * e.sineo1 - aynl * e.coseo1;
    double el2 = axnl * axnl + aynl * aynl;
    double pl = m->am * (1.0 - el2);
    if (pl < 0.0)
        return APSCO_SGP4_SEMI_LATUS;

    double am = m->am;
    double rl = am * (1.0 - ecose);
    double rdotl = sqrt(am) * esine / rl;
    double rvdotl = sqrt(pl) / rl;
    double betal = sqrt(1.0 - el2);
    temp = esine / (1.0 + betal);
    double sinu = am / rl * (e.sineo1 - aynl - axnl * temp);
    double cosu = am / rl * (e.coseo1 - axnl + aynl * temp);
    double su = atan2(sinu, cosu);
    double sin2u = (cosu + cosu) * sinu;
    double cos2u = 1.0 - 2.0 * sinu * sinu;
    temp = 1.0 / pl;
    double temp1 = 0.5 * s->j2 * temp;
    double temp2 = temp1 * temp;

    double mrt = rl * (1.0 - 1.5 * temp2 * betal * k->con41) + 0.5 * temp1 * k->x1mth2 * cos2u;
    su = su - 0.25 * temp2 * k->x7thm1 * sin2u;
    double xnode = o->nodep + 1.5 * temp2 * o->cosip * sin2u;
    double xinc = o->xincp + 1.5 * temp2 * o->cosip * o->sinip * cos2u;
    double mvt = rdotl - m->nm * temp1 * k->x1mth2 * sin2u / s->xke;
    double rvdot = rvdotl + m->nm * temp1 * (k->x1mth2 * cos2u + 1.5 * k->con41) / s->xke;

    double sinsu = sin(su), cossu = cos(su);
    double snod = sin(xnode), cnod = cos(xnode);
    double sini = sin(xinc), cosi = cos(xinc);
    double xmx = -snod * cosi;
    double xmy = cnod * cosi;
    double ux = xmx * sinsu + cnod * cossu;
    double uy = xmy * sinsu + snod * cossu;
    double uz = sini * sinsu;
    double vx = xmx * cossu - cnod * sinsu;
    double vy = xmy * cossu - snod * sinsu;
    double vz = sini * cossu;

    r[0] = (mrt * ux) * s->radiusearthkm;
    r[1] = (mrt * uy) * s->radiusearthkm;
    r[2] = (mrt * uz) * s->radiusearthkm;
    v[0] = (mvt * ux + rvdot * vx) * s->vkmpersec;
    v[1] = (mvt * uy + rvdot * vy) * s->vkmpersec;
    v[2] = (mvt * uz + rvdot * vz) * s->vkmpersec;

    /* sgp4fix ([VCHK]): below the Earth's surface the satellite has decayed. */
    return mrt < 1.0 ? APSCO_SGP4_DECAYED : APSCO_SGP4_OK;
}

static void set_nan(double r[3], double v[3])
{
    for (int i = 0; i < 3; i++)
        r[i] = v[i] = NAN;
}

int orbit_sgp4(const apsco_sat *sat, apsco_sgp4_cache *cache, double tsince_min, double r_km[3],
               double v_km_s[3])
{
    double t = tsince_min;
    mean_elements m;
    drag_terms d;
    secular(sat, t, &m, &d);
    if (sat->deep_space)
        orbit_dspace(sat, cache, t, &m.em, &m.argpm, &m.inclm, &m.mm, &m.nodem, &m.nm);

    int code = mean_at_time(sat, &d, &m);
    osc_elements o;
    if (code == APSCO_SGP4_OK) {
        if (sat->deep_space) {
            code = deep_periodics(sat, t, &m, &o);
        } else {
            o = (osc_elements){m.em, m.inclm, m.nodem, m.argpm, m.mm, sat->sinio, sat->cosio};
        }
    }
    if (code == APSCO_SGP4_OK) {
        incl_terms k;
        inclination_terms(sat, &o, &k);
        code = short_period(sat, &m, &o, &k, r_km, v_km_s);
    }
    if (code != APSCO_SGP4_OK && code != APSCO_SGP4_DECAYED)
        set_nan(r_km, v_km_s);
    return code;
}

int apsco_sgp4(const apsco_sat *sat, apsco_sgp4_cache *cache, double tsince_min, double r_km[3],
               double v_km_s[3])
{
    if (sat->init_error != 0) {
        set_nan(r_km, v_km_s);
        return sat->init_error;
    }
    if (!(fabs(tsince_min) <= APSCO_SGP4_MAX_TSINCE_MIN)) {
        set_nan(r_km, v_km_s);
        return APSCO_SGP4_BAD_TIME;
    }
    return orbit_sgp4(sat, cache, tsince_min, r_km, v_km_s);
}

double apsco_sat_tsince_min(const apsco_sat *sat, apsco_time t)
{
    return ((t.jd - sat->epoch.jd) + (t.fr - sat->epoch.fr)) * APSCO_MINUTES_PER_DAY;
}

int apsco_sgp4_at(const apsco_sat *sat, apsco_sgp4_cache *cache, apsco_time t, double r_km[3],
                  double v_km_s[3])
{
    return apsco_sgp4(sat, cache, apsco_sat_tsince_min(sat, t), r_km, v_km_s);
}

void apsco_sgp4_cache_reset(apsco_sgp4_cache *cache)
{
    if (cache)
        *cache = (apsco_sgp4_cache){0.0, 0.0, 0.0, 0.0, 0.0};
}

const char *apsco_sgp4_code_message(int code)
{
    switch (code) {
    case APSCO_SGP4_OK: return "no error";
    case APSCO_SGP4_MEAN_ECC: return "mean eccentricity out of range";
    case APSCO_SGP4_MEAN_MOTION: return "mean motion not positive";
    case APSCO_SGP4_PERT_ECC: return "perturbed eccentricity out of range";
    case APSCO_SGP4_SEMI_LATUS: return "semi-latus rectum negative";
    case APSCO_SGP4_SUBORBITAL: return "epoch elements are sub-orbital";
    case APSCO_SGP4_DECAYED: return "satellite has decayed";
    case APSCO_SGP4_BAD_TIME: return "time since epoch not finite or out of range";
    }
    return "unknown SGP4 error code";
}
