/*
 * sgp4_init.c — turns an element set into an initialised SGP4 record: the
 * un-Kozai'd mean motion, the secular gravity rates, the drag coefficients
 * and, for deep-space orbits, the lunar-solar and resonance terms.
 *
 * Everything that depends only on the element set is computed here once, so
 * that propagation (sgp4.c) does only what depends on time. The record ends
 * with a propagation to the epoch, whose error code is the record's
 * init_error, exactly as the reference's sgp4init reports it. This file
 * computes; it never reads or writes files.
 */
#include <math.h>
#include <string.h>

#include "orbit/internal.h"

/* Quantities of the epoch elements that initl hands to sgp4init ([VCHK] initl). */
typedef struct epoch_terms {
    double ao, ainv;              /* semi-major axis (er) and its inverse */
    double con42;                 /* 1 - 5 cos^2 i */
    double cosio, cosio2, sinio;  /* cosine, its square, sine of the inclination */
    double eccsq, omeosq, rteosq; /* e^2, 1 - e^2, sqrt(1 - e^2) */
    double posq;                  /* semi-latus rectum squared, er^2 */
    double rp;                    /* perigee radius, er */
} epoch_terms;

/*
 * [STR3] SGP4 section / [VCHK] initl: recover the original ("un-Kozai'd")
 * mean motion from the element set's Kozai mean motion by the first-order
 * J2 correction delta, and derive the epoch geometry.
 */
static void initl(apsco_sat *sat, epoch_terms *o)
{
    const double x2o3 = 2.0 / 3.0;
    o->eccsq = sat->ecco * sat->ecco;
    o->omeosq = 1.0 - o->eccsq;
    o->rteosq = sqrt(o->omeosq);
    o->cosio = cos(sat->inclo);
    o->cosio2 = o->cosio * o->cosio;

    double ak = pow(sat->xke / sat->no_kozai, x2o3);
    double d1 = 0.75 * sat->j2 * (3.0 * o->cosio2 - 1.0) / (o->rteosq * o->omeosq);
    double del = d1 / (ak * ak);
    double adel = ak * (1.0 - del * del - del * (1.0 / 3.0 + 134.0 * del * del / 81.0));
    del = d1 / (adel * adel);
    sat->no_unkozai = sat->no_kozai / (1.0 + del);

    o->ao = pow(sat->xke / sat->no_unkozai, x2o3);
    o->sinio = sin(sat->inclo);
    double po = o->ao * o->omeosq;
    o->con42 = 1.0 - 5.0 * o->cosio2;
    sat->con41 = -o->con42 - o->cosio2 - o->cosio2;
    o->ainv = 1.0 / o->ao;
    o->posq = po * po;
    o->rp = o->ao * (1.0 - sat->ecco);

    /* Sidereal time at the epoch; the reference adds 2433281.5 to a one-double epoch. */
    if (sat->opsmode == APSCO_OPSMODE_AFSPC)
        sat->gsto = orbit_gst_afspc(sat->epoch_days_1950);
    else
        sat->gsto = orbit_gstime(sat->epoch_days_1950 + 2433281.5);
}

/*
 * [STR3] SGP4: the atmospheric density parameters s and (q0 - s)^4, both
 * in Earth radii, lowered for perigees below 156 km (and s fixed at 20 km
 * below 98 km).
 */
static void density_parameters(const apsco_sat *sat, double rp, double *sfour, double *qzms24)
{
    double r = sat->radiusearthkm;
    double qzms2ttemp = (120.0 - 78.0) / r;
    *sfour = 78.0 / r + 1.0;
    *qzms24 = qzms2ttemp * qzms2ttemp * qzms2ttemp * qzms2ttemp;
    double perige = (rp - 1.0) * r; /* km */
    if (perige < 156.0) {
        double s = perige - 78.0;
        if (perige < 98.0)
            s = 20.0;
        double qzms24temp = (120.0 - s) / r;
        *qzms24 = qzms24temp * qzms24temp * qzms24temp * qzms24temp;
        *sfour = s / r + 1.0;
    }
}

/*
 * [STR3] SGP4 initialisation: drag coefficients C1..C5, the secular rates
 * of M, argument of perigee and node from J2 and J4, and the long-period
 * J3 coefficients. Returns xpidot (rad/min), which dsinit needs.
 */
static double near_earth_coefficients(apsco_sat *sat, const epoch_terms *o, double *tsi_out,
                                      double *sfour_out)
{
    const double x2o3 = 2.0 / 3.0;
    /* sgp4fix ([VCHK]): divisor that replaces 1 + cos i for inclinations at 180 deg. */
    const double temp4 = 1.5e-12;
    double sfour, qzms24;
    density_parameters(sat, o->rp, &sfour, &qzms24);

    sat->isimp = o->rp < (220.0 / sat->radiusearthkm + 1.0);
    double pinvsq = 1.0 / o->posq;
    double tsi = 1.0 / (o->ao - sfour);
    sat->eta = o->ao * sat->ecco * tsi;
    double etasq = sat->eta * sat->eta;
    double eeta = sat->ecco * sat->eta;
    double psisq = fabs(1.0 - etasq);
    double coef = qzms24 * pow(tsi, 4.0);
    double coef1 = coef / pow(psisq, 3.5);
    double cc2 = coef1 * sat->no_unkozai *
                 (o->ao * (1.0 + 1.5 * etasq + eeta * (4.0 + etasq)) +
                  0.375 * sat->j2 * tsi / psisq * sat->con41 * (8.0 + 3.0 * etasq * (8.0 + etasq)));
    sat->cc1 = sat->bstar * cc2;
    double cc3 = 0.0;
    if (sat->ecco > 1.0e-4)
        cc3 = -2.0 * coef * tsi * sat->j3oj2 * sat->no_unkozai * o->sinio / sat->ecco;
    sat->x1mth2 = 1.0 - o->cosio2;
    sat->cc4 =
        2.0 * sat->no_unkozai * coef1 * o->ao * o->omeosq *
        (sat->eta * (2.0 + 0.5 * etasq) + sat->ecco * (0.5 + 2.0 * etasq) -
         sat->j2 * tsi / (o->ao * psisq) *
             (-3.0 * sat->con41 * (1.0 - 2.0 * eeta + etasq * (1.5 - 0.5 * eeta)) +
              0.75 * sat->x1mth2 * (2.0 * etasq - eeta * (1.0 + etasq)) * cos(2.0 * sat->argpo)));
    sat->cc5 = 2.0 * coef1 * o->ao * o->omeosq * (1.0 + 2.75 * (etasq + eeta) + eeta * etasq);

    double cosio2 = o->cosio2;
    double cosio4 = cosio2 * cosio2;
    double temp1 = 1.5 * sat->j2 * pinvsq * sat->no_unkozai;
    double temp2 = 0.5 * temp1 * sat->j2 * pinvsq;
    double temp3 = -0.46875 * sat->j4 * pinvsq * pinvsq * sat->no_unkozai;
    sat->mdot = sat->no_unkozai + 0.5 * temp1 * o->rteosq * sat->con41 +
                0.0625 * temp2 * o->rteosq * (13.0 - 78.0 * cosio2 + 137.0 * cosio4);
    sat->argpdot = -0.5 * temp1 * o->con42 +
                   0.0625 * temp2 * (7.0 - 114.0 * cosio2 + 395.0 * cosio4) +
                   temp3 * (3.0 - 36.0 * cosio2 + 49.0 * cosio4);
    double xhdot1 = -temp1 * o->cosio;
    sat->nodedot =
        xhdot1 +
        (0.5 * temp2 * (4.0 - 19.0 * cosio2) + 2.0 * temp3 * (3.0 - 7.0 * cosio2)) * o->cosio;
    double xpidot = sat->argpdot + sat->nodedot;
    sat->omgcof = sat->bstar * cc3 * cos(sat->argpo);
    sat->xmcof = 0.0;
    if (sat->ecco > 1.0e-4)
        sat->xmcof = -x2o3 * coef * sat->bstar / eeta;
    sat->nodecf = 3.5 * o->omeosq * xhdot1 * sat->cc1;
    sat->t2cof = 1.5 * sat->cc1;
    double one_plus_cos = fabs(o->cosio + 1.0) > 1.5e-12 ? 1.0 + o->cosio : temp4;
    sat->xlcof = -0.25 * sat->j3oj2 * o->sinio * (3.0 + 5.0 * o->cosio) / one_plus_cos;
    sat->aycof = -0.5 * sat->j3oj2 * o->sinio;
    double delmotemp = 1.0 + sat->eta * cos(sat->mo);
    sat->delmo = delmotemp * delmotemp * delmotemp;
    sat->sinmao = sin(sat->mo);
    sat->x7thm1 = 7.0 * cosio2 - 1.0;

    *tsi_out = tsi;
    *sfour_out = sfour;
    return xpidot;
}

/* [STR3] SGP4: the higher-order drag terms D2..D4, used only when perigee is above 220 km. */
static void drag_coefficients(apsco_sat *sat, double ao, double tsi, double sfour)
{
    double cc1sq = sat->cc1 * sat->cc1;
    sat->d2 = 4.0 * ao * tsi * cc1sq;
    double temp = sat->d2 * tsi * sat->cc1 / 3.0;
    sat->d3 = (17.0 * ao + sfour) * temp;
    sat->d4 = 0.5 * temp * ao * tsi * (221.0 * ao + 31.0 * sfour) * sat->cc1;
    sat->t3cof = sat->d2 + 2.0 * cc1sq;
    sat->t4cof = 0.25 * (3.0 * sat->d3 + sat->cc1 * (12.0 * sat->d2 + 10.0 * cc1sq));
    sat->t5cof = 0.2 * (3.0 * sat->d4 + 12.0 * sat->cc1 * sat->d3 + 6.0 * sat->d2 * sat->d2 +
                        15.0 * cc1sq * (2.0 * sat->d2 + cc1sq));
}

/*
 * Products that the reference evaluates at every call although they depend
 * only on the record. Each is formed with the same operands in the same
 * order as the reference's expression, so the results are bit-identical.
 */
static void precompute(apsco_sat *sat, const epoch_terms *o)
{
    sat->vkmpersec = sat->radiusearthkm * sat->xke / 60.0;
    sat->bstar_cc4 = sat->bstar * sat->cc4;
    sat->bstar_cc5 = sat->bstar * sat->cc5;
    /* pow(xke / nm, 2/3) with nm = no_unkozai: the mean motion changes only under resonance. */
    sat->ao = o->ao;
    sat->sinio = o->sinio;
    sat->cosio = o->cosio;
}

static apsco_status init_failed(apsco_sat *sat, apsco_error *err, int code)
{
    sat->init_error = code;
    return apsco_error_set(err, APSCO_ERR_SGP4, NULL, 0,
                           "satellite %ld: SGP4 error %d at epoch: %s", sat->norad, code,
                           apsco_sgp4_code_message(code));
}

static int elset_is_usable(const apsco_elset *e)
{
    const double v[] = {
        e->mean_motion_rad_min, e->ecc,          e->incl_rad, e->raan_rad, e->argp_rad,
        e->mean_anomaly_rad,    e->bstar_per_er, e->epoch.jd, e->epoch.fr};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (!isfinite(v[i]))
            return 0;
    return e->mean_motion_rad_min > 0.0;
}

apsco_status apsco_sat_init(apsco_sat *sat, const apsco_elset *elset, apsco_gravity gravity,
                            apsco_opsmode opsmode, apsco_error *err)
{
    if (!sat || !elset)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "apsco_sat_init: NULL argument");
    memset(sat, 0, sizeof *sat);
    if (orbit_set_gravity(sat, gravity) != 0)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "unknown gravity model %d",
                               (int)gravity);
    if (opsmode != APSCO_OPSMODE_IMPROVED && opsmode != APSCO_OPSMODE_AFSPC)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "unknown SGP4 opsmode %d",
                               (int)opsmode);
    if (!elset_is_usable(elset))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "element set %ld: a value is not finite or the mean motion is "
                               "not positive",
                               elset->norad);

    sat->norad = elset->norad;
    sat->epoch = elset->epoch;
    sat->gravity = gravity;
    sat->opsmode = opsmode;
    /*
     * Days since 1949-12-31 0h, formed as the reference forms it: the two
     * parts are first added into one Julian date, which rounds the epoch to
     * a multiple of 2^-31 day (40 us), and 2433281.5 is then subtracted
     * exactly. The lunar-solar terms and gsto see that rounding: keeping the
     * fraction exact instead, as (jd - 2433281.5) + fr, moves the highly
     * eccentric verification satellite 23333 by 4.1e-6 km at its epoch and
     * no longer reproduces the reference's published output.
     */
    sat->epoch_days_1950 = (elset->epoch.jd + elset->epoch.fr) - APSCO_JD_1950;
    sat->bstar = elset->bstar_per_er;
    sat->ecco = elset->ecc;
    sat->argpo = elset->argp_rad;
    sat->inclo = elset->incl_rad;
    sat->mo = elset->mean_anomaly_rad;
    sat->no_kozai = elset->mean_motion_rad_min;
    sat->nodeo = elset->raan_rad;

    /*
     * The reference accepts any eccentricity here and reports code 1 only
     * when drag later pushes the mean eccentricity out of [-0.001, 1); for
     * e >= 1 its initialisation divides by zero and propagates NaN with code
     * 0. Report such element sets with the code meant for them instead.
     */
    if (!(sat->ecco >= -0.001 && sat->ecco < 1.0))
        return init_failed(sat, err, APSCO_SGP4_MEAN_ECC);

    epoch_terms o;
    initl(sat, &o);
    sat->a = pow(sat->no_unkozai * sat->tumin, -2.0 / 3.0);
    sat->alta = sat->a * (1.0 + sat->ecco) - 1.0;
    sat->altp = sat->a * (1.0 - sat->ecco) - 1.0;

    double tsi, sfour;
    double xpidot = near_earth_coefficients(sat, &o, &tsi, &sfour);

    /* [STR3]: periods of 225 min or more use the deep-space model. */
    if (ORBIT_TWOPI / sat->no_unkozai >= 225.0) {
        sat->deep_space = 1;
        sat->isimp = 1;
        orbit_ds_common c;
        orbit_dscom(sat, &c);
        orbit_dsinit(sat, &c, xpidot);
    }
    if (sat->isimp != 1)
        drag_coefficients(sat, o.ao, tsi, sfour);
    precompute(sat, &o);

    double r[3], v[3];
    int code = orbit_sgp4(sat, NULL, 0.0, r, v);
    if (code != 0)
        return init_failed(sat, err, code);
    return APSCO_OK;
}
