/*
 * track.c — one satellite's track for the pass search: SGP4 states on a
 * regular node grid (from the batch engine, or propagated here one
 * satellite at a time), turned into ITRF with accelerations, the quintic
 * Hermite interpolant between the nodes, and the bounds the skip test
 * relies on.
 *
 * Not for the search itself (search.c) nor for the Sun (shadow.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "passes/internal.h"

#define STEP_MAX_S 600.0
#define STEP_MIN_S 10.0
#define STEP_RATIO 0.9

/*
 * The node step. Three limits:
 *  - P / 12: elevation extrema of one site are then always more than one
 *    step apart (they are at least a quarter of the synodic period apart),
 *    which the bracketing of search.c assumes;
 *  - 600 s, so that slow orbits still have a node every ten minutes;
 *  - the quintic Hermite error bound h⁶ max|r⁽⁶⁾| / 46080: the remainder
 *    of two-point Hermite interpolation with three data at each end is
 *    r⁽⁶⁾(ξ) (t − t_k)³ (t − t_k+1)³ / 6!, largest at mid-interval where
 *    the product is (h/2)⁶, and 6! · 2⁶ = 46080. For the sixth derivative,
 *    r_p (ω_p + Ω)⁶: the fastest turning of the position vector, at
 *    perigee, seen in the rotating frame. The error is held below 1e-5 rad
 *    seen from the nearest possible range (the perigee height, at least
 *    200 km).
 * The step taken is the largest rung of STEP_MAX_S · 0.9^j (j = 0 … 39,
 * the last rung STEP_MIN_S) not above the three: a smaller step only
 * tightens them, and satellites on one rung share a time grid, which the
 * batch engine propagates together (at most 11 % more nodes).
 */
static double step_limit_s(const apsco_sat *sat)
{
    double n_rad_s = sat->no_unkozai / 60.0;
    double e = sat->ecco;
    if (!(n_rad_s > 0.0) || !(e >= 0.0 && e < 1.0))
        return 0.0;
    double period_s = 2.0 * M_PI / n_rad_s;
    double rp_km = sat->a * (1.0 - e) * sat->radiusearthkm;
    /* Kepler: the angular rate at perigee is n (1 + e)² / (1 - e²)^(3/2). */
    double wp = n_rad_s * (1.0 + e) * (1.0 + e) / pow(1.0 - e * e, 1.5) + PASS_OMEGA_BOUND_RAD_S;
    double tol_km = 1e-5 * fmax(rp_km - APSCO_WGS84_A_KM, 200.0);
    /*
     * On an eccentric orbit the radius itself swings near perigee; measured
     * on Molniya orbits, the sixth derivative exceeds r_p (ω_p + Ω)⁶ by up to
     * (1 − e)⁻³, which is taken in.
     */
    double sixth = rp_km * pow(wp, 6.0) / pow(1.0 - e, 3.0);
    double h_tol = pow(46080.0 * tol_km / sixth, 1.0 / 6.0);
    return fmin(fmin(period_s / 12.0, STEP_MAX_S), h_tol);
}

double pass_track_rung_step_s(int rung)
{
    if (rung >= PASS_STEP_RUNGS - 1)
        return STEP_MIN_S;
    return fmax(STEP_MAX_S * pow(STEP_RATIO, rung), STEP_MIN_S);
}

int pass_track_step_rung(const apsco_sat *sat)
{
    double limit = step_limit_s(sat);
    int rung = 0;
    while (rung < PASS_STEP_RUNGS - 1 && !(pass_track_rung_step_s(rung) <= limit))
        rung++;
    return rung;
}

double pass_track_step_s(const apsco_sat *sat)
{
    return pass_track_rung_step_s(pass_track_step_rung(sat));
}

static apsco_status reserve(pass_track *track, size_t count)
{
    if (count <= track->capacity)
        return APSCO_OK;
    /* Doubles per node of each array, then the arrays of one byte per node. */
    double **arrays[] = {&track->r, &track->v, &track->a, &track->u, &track->coef, &track->node_g};
    const size_t per_node[] = {3, 3, 3, 3, PASS_COEF_PER_INTERVAL, 2};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        double *p = realloc(*arrays[i], per_node[i] * count * sizeof **arrays[i]);
        if (!p)
            return APSCO_ERR_NOMEM;
        *arrays[i] = p;
    }
    unsigned char **flags[] = {&track->coef_ok, &track->near};
    for (size_t i = 0; i < sizeof flags / sizeof flags[0]; i++) {
        unsigned char *p = realloc(*flags[i], count);
        if (!p)
            return APSCO_ERR_NOMEM;
        *flags[i] = p;
    }
    track->capacity = count;
    return APSCO_OK;
}

void pass_track_free(pass_track *track)
{
    free(track->r);
    free(track->v);
    free(track->a);
    free(track->u);
    free(track->coef);
    free(track->coef_ok);
    free(track->node_g);
    free(track->near);
    memset(track, 0, sizeof *track);
}

/*
 * Acceleration of the two-body + J2 problem in TEME (Vallado, 4th ed.,
 * eq. 8-30), with the satellite's own gravity constants: what SGP4's
 * positions curve by, to 1e-3 of J2 (the higher zonals, drag and the
 * model's truncations), which the Hermite interpolant tolerates. inv_rn
 * is 1 / |r|.
 */
static void gravity_accel(const apsco_sat *sat, const double r[3], double inv_rn, double a[3])
{
    /* Products with 1/|r| rather than divisions, which take several times longer. */
    double inv_r2 = inv_rn * inv_rn;
    double mu_r3 = sat->mu * inv_r2 * inv_rn;
    double q = 1.5 * sat->j2 * sat->radiusearthkm * sat->radiusearthkm * inv_r2;
    double z2 = r[2] * r[2] * inv_r2;
    double fxy = 1.0 + q * (1.0 - 5.0 * z2);
    double fz = 1.0 + q * (3.0 - 5.0 * z2);
    a[0] = -mu_r3 * r[0] * fxy;
    a[1] = -mu_r3 * r[1] * fxy;
    a[2] = -mu_r3 * r[2] * fz;
}

static void cross(const double a[3], const double b[3], double c[3])
{
    c[0] = a[1] * b[2] - a[2] * b[1];
    c[1] = a[2] * b[0] - a[0] * b[2];
    c[2] = a[0] * b[1] - a[1] * b[0];
}

static double norm(const double a[3])
{
    return sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
}

/* The largest values over the nodes of what the bounds are made of (see set_bounds). */
typedef struct node_maxima {
    double rate, apogee, speed;
} node_maxima;

/*
 * Osculating quantities of one TEME state (Vallado, 4th ed., algorithm 9):
 * angular momentum H = |r × v|, eccentricity vector e = v × H / μ − r̂.
 * Taken into `m`: the perigee angular rate μ²(1+e)²/H³ (the largest rate
 * of the direction of r on the osculating ellipse, H / r_p² with r_p =
 * H²/(μ(1+e))), the apogee radius H² / (μ (1 − e)) (infinite for e >= 1)
 * and the perigee speed μ (1 + e) / H. inv_rn is 1 / |r|.
 */
static void osculating_bounds(double mu, const double r[3], const double v[3], double inv_rn,
                              node_maxima *m)
{
    double hv[3], vxh[3];
    cross(r, v, hv);
    cross(v, hv, vxh);
    double h = norm(hv), e[3], inv_mu = 1.0 / mu;
    for (int i = 0; i < 3; i++)
        e[i] = vxh[i] * inv_mu - r[i] * inv_rn;
    double ecc = norm(e);
    /* Two divisions in all: rate = speed² / H with the perigee speed μ (1 + e) / H. */
    double inv_h = 1.0 / h;
    double speed = mu * (1.0 + ecc) * inv_h;
    double rate = speed * speed * inv_h;
    double apogee = ecc < 1.0 ? h * h * inv_mu / (1.0 - ecc) : INFINITY;
    m->rate = rate > m->rate ? rate : m->rate;
    m->apogee = apogee > m->apogee ? apogee : m->apogee;
    m->speed = speed > m->speed ? speed : m->speed;
}

/*
 * Node k from TEME to ITRF, its osculating quantities taken into `m` on
 * the way at every other node and the last (see set_bounds). Positions
 * and velocities by the frames module; the acceleration by the
 * rotating-frame rule a_R = R a − 2 w × v_R − w × (w × r_R) with w = (0,
 * 0, ω), where R a is the two-body + J2 acceleration at r_R itself (the
 * field is symmetric about the z axis, which the rotation by GMST keeps;
 * polar motion tilts it by 1e-6 rad, and its share of all these small
 * terms is below 1e-11 km/s² and left out).
 */
static void node_to_itrf(pass_track *track, const apsco_sat *sat, const apsco_earth_rotation *rot,
                         size_t k, node_maxima *m)
{
    double *r = track->r + 3 * k, *v = track->v + 3 * k, *a = track->a + 3 * k;
    double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2], inv = 1.0 / sqrt(r2);
    if (k % 2 == 0 || k + 1 == track->count)
        osculating_bounds(sat->mu, r, v, inv, m);
    apsco_earth_rotation_teme_to_itrf(rot, r, v, r, v);
    /* The rotation keeps the length (polar motion too, to 1e-16). */
    gravity_accel(sat, r, inv, a);
    double w = rot->omega_rad_s;
    a[0] += 2.0 * w * v[1] + w * w * r[0];
    a[1] += -2.0 * w * v[0] + w * w * r[1];
    for (int i = 0; i < 3; i++)
        track->u[(size_t)i * track->capacity + k] = r[i] * inv;
}

/*
 * The bounds of the skip test, from the TEME states before they become
 * ITRF. On a two-body orbit the direction of r turns at H / r² <= H / r_p²,
 * r stays below the apogee radius and the speed below the perigee speed;
 * SGP4's osculating elements wander from node to node by J2's short-period
 * terms (relative size 1.5 J2 (R/p)² ≈ 1.6e-3 in LEO) and drag (far less
 * over two steps), so the maxima over every other node raised by 5 % (rate,
 * speed) and 2 % (radius) hold everywhere between them, with a margin of
 * more than ten times what they must cover (the tests measure them on exact
 * SGP4 states every 5 s). In the rotating frame the direction turns
 * at most Ω faster. The Earth's shadow turns with the Sun in ITRF, at −Ω
 * about the z axis plus the Sun's own motion (2e-7 rad/s, and the Sun
 * table's chords turn unevenly by far less): in a frame turning with it
 * the satellite moves at its TEME speed (the frames' z axes differ by
 * polar motion, 1e-6 rad), so the speed relative to the shadow is below
 * the TEME bound plus SUN_TURN_BOUND_RAD_S r.
 */
static void set_bounds(pass_track *track, const node_maxima *m)
{
    track->radius_max_km = 1.02 * m->apogee;
    track->rate_bound_rad_s = 1.05 * m->rate + PASS_OMEGA_BOUND_RAD_S;
    track->speed_max_km_s = 1.05 * m->speed + SUN_TURN_BOUND_RAD_S * track->radius_max_km;
}

size_t pass_track_node_count(double window_s, double step_s)
{
    size_t count = (size_t)ceil(window_s / step_s) + 1;
    return count < 2 ? 2 : count;
}

/*
 * What follows propagation: the bounds from the TEME states, the nodes in
 * ITRF with the Earth's rotation rot[k] at each node, and the searched
 * span. `count` nodes were asked for; track->count hold states.
 */
static void finish(pass_track *track, const apsco_sat *sat, size_t count, double window_s,
                   const apsco_earth_rotation *rot)
{
    double h = track->step_s;
    if (track->count < count)
        track->code_s = (double)track->count * h;
    else
        track->code = 0;
    node_maxima m = {0.0, 0.0, 0.0};
    for (size_t k = 0; k < track->count; k++)
        node_to_itrf(track, sat, &rot[k], k, &m);
    set_bounds(track, &m);
    memset(track->coef_ok, 0, track->count);
    /* Interpolation needs two nodes; a single good node leaves nothing to search. */
    if (track->count < 2) {
        track->count = 0;
        track->end_s = -1.0;
    } else {
        track->end_s = fmin(window_s, (double)(track->count - 1) * h);
    }
}

apsco_status pass_track_from_states(pass_track *track, const apsco_sat *sat, double step_s,
                                    size_t count, double window_s, const double *states,
                                    const uint8_t *codes, const apsco_earth_rotation *rot)
{
    if (reserve(track, count) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    track->step_s = step_s;
    track->inv_step = 1.0 / step_s;
    track->code = 0;
    track->code_s = 0.0;
    size_t k = 0;
    for (; k < count && codes[k] == APSCO_SGP4_OK; k++) {
        memcpy(track->r + 3 * k, states + 6 * k, 3 * sizeof *states);
        memcpy(track->v + 3 * k, states + 6 * k + 3, 3 * sizeof *states);
    }
    if (k < count)
        track->code = codes[k];
    track->count = k;
    finish(track, sat, count, window_s, rot);
    return APSCO_OK;
}

/*
 * Quintic Hermite interpolation on one interval (Burden & Faires, Numerical
 * Analysis, sec. 3.4, with two nodes and three data each): with u = (t −
 * t_k)/h, p(u) = Σ c_j u^j where c0 = p0, c1 = h v0, c2 = h² a0 / 2, and
 * with P = p1 − c0 − c1 − c2, V = h v1 − c1 − 2 c2, A = h² a1 − 2 c2:
 * c3 = 10P − 4V + A/2, c4 = −15P + 7V − A, c5 = 6P − 3V + A/2.
 * Stored as c[6 i + j] for coordinate i.
 */
static void interval_coef(const pass_track *track, size_t k, double *c)
{
    double h = track->step_s;
    const double *p0 = track->r + 3 * k, *v0 = track->v + 3 * k, *a0 = track->a + 3 * k;
    const double *p1 = p0 + 3, *v1 = v0 + 3, *a1 = a0 + 3;
    for (int i = 0; i < 3; i++, c += 6) {
        double c0 = p0[i], c1 = h * v0[i], c2 = 0.5 * h * h * a0[i];
        double P = p1[i] - c0 - c1 - c2;
        double V = h * v1[i] - c1 - 2.0 * c2;
        double A = h * h * a1[i] - 2.0 * c2;
        c[0] = c0;
        c[1] = c1;
        c[2] = c2;
        c[3] = 10.0 * P - 4.0 * V + 0.5 * A;
        c[4] = -15.0 * P + 7.0 * V - A;
        c[5] = 6.0 * P - 3.0 * V + 0.5 * A;
    }
}

/*
 * The coefficients of the interval are computed at its first evaluation
 * and kept (coef_ok) until the track is rebuilt: the refinements of a pass
 * evaluate the same interval many times.
 */
/* The coefficients of the interval holding t_s, and u = (t_s − t_k) / h there. */
static const double *interval_at(const pass_track *track, double t_s, double *u)
{
    /* Multiplications by 1/h, and truncation for floor (x >= 0): divisions cost ten times more. */
    double h = track->step_s, inv_h = track->inv_step;
    double x = t_s * inv_h;
    size_t k = x > 0.0 ? (size_t)x : 0;
    if (k > track->count - 2)
        k = track->count - 2;
    *u = (t_s - (double)k * h) * inv_h;
    double *c = track->coef + PASS_COEF_PER_INTERVAL * k;
    if (!track->coef_ok[k]) {
        interval_coef(track, k, c);
        track->coef_ok[k] = 1;
    }
    return c;
}

void pass_track_position(const pass_track *track, double t_s, double r[3])
{
    double u;
    const double *c = interval_at(track, t_s, &u);
    for (int i = 0; i < 3; i++, c += 6)
        r[i] = c[0] + u * (c[1] + u * (c[2] + u * (c[3] + u * (c[4] + u * c[5]))));
}

void pass_track_eval(const pass_track *track, double t_s, double r[3], double v[3], double a[3])
{
    double u, inv_h = track->inv_step;
    const double *c = interval_at(track, t_s, &u);
    for (int i = 0; i < 3; i++, c += 6) {
        r[i] = c[0] + u * (c[1] + u * (c[2] + u * (c[3] + u * (c[4] + u * c[5]))));
        v[i] = (c[1] + u * (2.0 * c[2] + u * (3.0 * c[3] + u * (4.0 * c[4] + u * 5.0 * c[5])))) *
               inv_h;
        if (a)
            a[i] = (2.0 * c[2] + u * (6.0 * c[3] + u * (12.0 * c[4] + u * 20.0 * c[5]))) *
                   (inv_h * inv_h);
    }
}
