/*
 * search.c — the passes of one satellite over every site, from its track:
 * the skip test that proves a stretch of the track invisible from a site,
 * the bracketing of rises, sets and hidden maxima between nodes, their
 * refinement, horizon masks, and the look angles of each pass.
 *
 * Not for propagation (track.c) nor for sunlight (shadow.c).
 */
#include <math.h>
#include <string.h>

#include "passes/internal.h"

/*
 * Root-finding tolerances, seconds: the bracket width at which bisection
 * stops, and the Newton step below which the iteration stops after taking
 * it. Newton's error after a step of size δ is about |f''/(2 f')| δ²
 * (Press et al. sec. 9.4). At a rise or set of a pass lasting D seconds
 * f''/f' is about 1/D at most (a parabola of the elevation at a grazing
 * pass: f' = |f''| D/2 at its ends), so δ < 10 ms leaves under 1e-4 s for
 * any pass longer than half a second; for the top (f = g'), f''/f' is the
 * inverse of the pass's time scale too.
 */
#define ROOT_TOL_S   1e-4
#define NEWTON_TOL_S 1e-2
/*
 * The estimated error (newton_settled) at which the iteration stops: a
 * millisecond, the precision of the times written, and finer than the
 * interpolant follows SGP4 at a crossing of the horizon.
 */
#define NEWTON_ERROR_S 1e-3
/*
 * Longest Newton step whose error is estimated from f'' alone: over longer
 * ones f''' counts too (near an inflection of the elevation, as at the
 * rise of a low pass, g'' vanishes where g''' does not, and a divided
 * difference over a long bisection step averages the curvature away).
 */
#define ESTIMATED_STEP_MAX_S 1.0
/* Margin on the estimated error of a Newton step (newton_settled). */
#define CURVATURE_SAFETY 4.0
/* Largest distance to an extremum at which its side of zero is read from a quadratic, seconds. */
#define PEAK_STEP_S 30.0
/* Sample spacing of the elevation above a horizon mask, seconds. */
#define MASK_STEP_S 0.5
/*
 * Largest angle between the geodetic and the geocentric vertical on the
 * WGS-84 ellipsoid, 0.1924° at latitude 45°, rounded up: an elevation
 * above the horizon plane of the site is above its geocentric horizon
 * minus this.
 */
#define VERTICAL_DEFLECTION_RAD (0.2 * M_PI / 180.0)

void pass_site_geom_init(pass_site_geom *geom, const apsco_pass_site *site)
{
    const apsco_observer *o = &site->obs;
    geom->site = site;
    geom->up[0] = o->cos_lat * o->cos_lon;
    geom->up[1] = o->cos_lat * o->sin_lon;
    geom->up[2] = o->sin_lat;
    const double *r = o->r_itrf_km;
    geom->radius_km = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    for (int i = 0; i < 3; i++)
        geom->unit[i] = r[i] / geom->radius_km;
    geom->sin_floor = sin(site->floor_el_rad);
    geom->dark = NULL;
    geom->dark_count = 0;
}

/* ------------------------------------------------------------------------ */
/* The elevation function                                                   */
/* ------------------------------------------------------------------------ */

/*
 * g(t) = sin(el) − sin(floor) = (d · up) / |d| − sin(floor), d = r − r_site,
 * and its first two time derivatives (the site is fixed in ITRF):
 *   g'  = (v·up)/|d| − (d·up)(d·v)/|d|³
 *   g'' = (a·up)/|d| − 2 (v·up)(d·v)/|d|³
 *         − (d·up) [ (v·v + d·a)/|d|³ − 3 (d·v)²/|d|⁵ ]
 * g has the sign of el − floor and its maxima are those of the elevation.
 */
typedef struct gval {
    double t, g, gp, gpp;
    double r[3], v[3]; /* the interpolated state at t (for the look angles) */
} gval;

static void g_from_state(const pass_site_geom *s, const double r[3], const double v[3],
                         const double a[3], gval *out)
{
    const double *o = s->site->obs.r_itrf_km, *up = s->up;
    double d[3] = {r[0] - o[0], r[1] - o[1], r[2] - o[2]};
    double dn2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
    double inv = 1.0 / sqrt(dn2), inv2 = inv * inv;
    double du = d[0] * up[0] + d[1] * up[1] + d[2] * up[2];
    double vu = v[0] * up[0] + v[1] * up[1] + v[2] * up[2];
    double dv = d[0] * v[0] + d[1] * v[1] + d[2] * v[2];
    out->g = du * inv - s->sin_floor;
    out->gp = (vu - du * dv * inv2) * inv;
    if (a) {
        double au = a[0] * up[0] + a[1] * up[1] + a[2] * up[2];
        double vv = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
        double da = d[0] * a[0] + d[1] * a[1] + d[2] * a[2];
        out->gpp = (au - 2.0 * vu * dv * inv2 - du * inv2 * (vv + da - 3.0 * dv * dv * inv2)) * inv;
    } else {
        out->gpp = 0.0;
    }
}

/* g at t, with the interpolated state; with `a`, g'' too and the interpolated acceleration there.
 */
static void g_at(const pass_site_geom *s, const pass_track *tr, double t, double *a, gval *out)
{
    pass_track_eval(tr, t, out->r, out->v, a);
    g_from_state(s, out->r, out->v, a, out);
    out->t = t;
}

/*
 * g and g' at the nodes k0 … k1 into tr->node_g (2 per node), for one site:
 * a loop whose iterations do not wait for each other, so that the square
 * roots and divisions of successive nodes overlap.
 */
static void g_nodes(const pass_site_geom *s, const pass_track *tr, size_t k0, size_t k1)
{
    const double *o = s->site->obs.r_itrf_km, *up = s->up;
    for (size_t k = k0; k <= k1; k++) {
        const double *r = tr->r + 3 * k, *v = tr->v + 3 * k;
        double d0 = r[0] - o[0], d1 = r[1] - o[1], d2 = r[2] - o[2];
        double inv = 1.0 / sqrt(d0 * d0 + d1 * d1 + d2 * d2), inv2 = inv * inv;
        double du = d0 * up[0] + d1 * up[1] + d2 * up[2];
        double vu = v[0] * up[0] + v[1] * up[1] + v[2] * up[2];
        double dv = d0 * v[0] + d1 * v[1] + d2 * v[2];
        tr->node_g[2 * k] = du * inv - s->sin_floor;
        tr->node_g[2 * k + 1] = (vu - du * dv * inv2) * inv;
    }
}

/*
 * g and g' at node k, as g_nodes left them (the walk over a run computes
 * them first for all its nodes); the state itself is copied only when the
 * point becomes an end or the top of a pass (node_state).
 */
static void g_node(const pass_track *tr, size_t k, gval *out)
{
    out->t = (double)k * tr->step_s;
    out->g = tr->node_g[2 * k];
    out->gp = tr->node_g[2 * k + 1];
    out->gpp = 0.0;
}

static void node_state(const pass_track *tr, size_t k, gval *out)
{
    memcpy(out->r, tr->r + 3 * k, sizeof out->r);
    memcpy(out->v, tr->v + 3 * k, sizeof out->v);
}

/*
 * Where to start looking for the root of g (order 0) or of g' (order 1)
 * between a and b: the cubic Hermite interpolant of g through the values
 * and slopes at both points (Burden & Faires sec. 3.4), p(u) = c0 + c1 u +
 * c2 u² + c3 u³ with u = (t − a.t)/h, whose root (order 0: four Newton
 * steps on p from the false-position point) or turning point (order 1:
 * the root of the quadratic p') lies within a fraction of a second of the
 * real one over a node step. Returns a point strictly inside (a.t, b.t),
 * the midpoint when the cubic offers none.
 */
static double start_point(const gval *a, const gval *b, int order)
{
    double h = b->t - a->t, d = b->g - a->g;
    double c1 = h * a->gp, c2 = 3.0 * d - 2.0 * c1 - h * b->gp, c3 = c1 + h * b->gp - 2.0 * d;
    double u = 0.5;
    if (order) {
        /* p'(u) = c1 + 2 c2 u + 3 c3 u², which goes from the sign of a.gp to that of b.gp. */
        double qa = 3.0 * c3, qb = 2.0 * c2, qc = c1;
        if (fabs(qa) < 1e-12 * (fabs(qb) + fabs(qc))) {
            u = qb != 0.0 ? -qc / qb : 0.5;
        } else {
            double disc = qb * qb - 4.0 * qa * qc;
            if (disc >= 0.0) {
                /* The numerically stable pair (Press et al. sec. 5.6). */
                double qq = -0.5 * (qb + copysign(sqrt(disc), qb));
                double u1 = qq / qa, u2 = qq != 0.0 ? qc / qq : u1;
                u = (u1 > 0.0 && u1 < 1.0) ? u1 : u2;
            }
        }
    } else if (a->g != b->g) {
        u = a->g / (a->g - b->g);
        for (int i = 0; i < 4; i++) {
            double p = a->g + u * (c1 + u * (c2 + u * c3)), dp = c1 + u * (2.0 * c2 + 3.0 * u * c3);
            if (dp == 0.0)
                break;
            double step = p / dp;
            u -= step;
            if (fabs(step) < 1e-3)
                break;
        }
    }
    if (!(u > 0.0 && u < 1.0))
        u = 0.5;
    return a->t + u * h;
}

/*
 * Whether the error left by a Newton step `step` where f' is fp and f'' is
 * df / dx is below NEWTON_ERROR_S: the error is about |f''/(2 f')| step²
 * (Press et al. sec. 9.4), taken CURVATURE_SAFETY times, compared without
 * a division. For a crossing (f = g), f'' is g'' at the first iterate
 * (dx = 1), where it costs only the interpolated acceleration; otherwise it
 * is the divided difference of f' between the last two iterates: they
 * close in on the root, a few seconds apart at most, over which f''
 * changes little. An unknown f'' (df infinite) settles nothing.
 */
static int newton_settled(double fp, double df, double dx, double step)
{
    return CURVATURE_SAFETY * fabs(df) * step * step < 2.0 * NEWTON_ERROR_S * fabs(fp * dx);
}

/*
 * A root of g (order 0) or of g' (order 1) between glo and ghi, where the
 * function changes sign: Newton's method on the interpolant, kept inside
 * the shrinking bracket, bisecting whenever a Newton step would leave it
 * (Press et al., Numerical Recipes, 3rd ed., sec. 9.4, rtsafe), from
 * start_point. It stops after a Newton step shorter than NEWTON_TOL_S or
 * whose estimated error (newton_settled) is below NEWTON_ERROR_S, which
 * saves the last evaluation of most refinements (from a start point a few
 * tenths of a second off, the first step usually suffices). `out` receives
 * the last evaluation carried to the root by a Taylor step (dt, a few
 * tenths of a second at most: the error estimate is below 1e-4 s only for
 * such steps over passes of up to hours) with the interpolated
 * acceleration a there: the position by (v + a dt / 2) dt, the velocity by
 * a dt (what they leave out, the jerk's share, is below a millimetre and
 * 1e-8 km/s), g and g' to first order.
 */
static int refine_until(const pass_site_geom *s, const pass_track *tr, int order, const gval *glo,
                        const gval *ghi, int decide, gval *out);

static void refine(const pass_site_geom *s, const pass_track *tr, int order, const gval *glo,
                   const gval *ghi, gval *out)
{
    refine_until(s, tr, order, glo, ghi, 0, out);
}

/*
 * Whether the extremum between glo and ghi (a maximum when g' turns from
 * + to −, a minimum otherwise) crosses zero. Only the sign matters, so the
 * search for it stops at the first point with g across zero (`out`
 * receives it, which splits the bracket for the crossings), or once the
 * quadratic model at the point puts the extremum plainly on the same side:
 * within PEAK_STEP_S, and still there with twice the change the model
 * gives, g + g' δ (δ = −g'/g'' the Newton step; the model's change is
 * g' δ / 2). Otherwise `out` is the extremum itself, as refine finds it.
 */
static int extremum_crosses(const pass_site_geom *s, const pass_track *tr, const gval *glo,
                            const gval *ghi, gval *out)
{
    int maximum = glo->gp > 0.0 || ghi->gp < 0.0;
    refine_until(s, tr, 1, glo, ghi, maximum ? 1 : -1, out);
    return maximum ? out->g > 0.0 : out->g <= 0.0;
}

/*
 * Whether the search for the extremum can stop at `p` (see
 * extremum_crosses): decide is 1 for a maximum, −1 for a minimum.
 */
static int extremum_decided(const gval *p, int decide)
{
    if (decide > 0 ? p->g > 0.0 : p->g <= 0.0)
        return 1;
    if (!(decide > 0 ? p->gpp < 0.0 : p->gpp > 0.0))
        return 0;
    double step = -p->gp / p->gpp, reach = p->g + p->gp * step;
    return fabs(step) < PEAK_STEP_S && (decide > 0 ? reach <= 0.0 : reach > 0.0);
}

/* refine, or extremum_crosses when `decide` is not 0. Returns 1 when it stopped on a decision. */
static int refine_until(const pass_site_geom *s, const pass_track *tr, int order, const gval *glo,
                        const gval *ghi, int decide, gval *out)
{
    double lo = glo->t, hi = ghi->t;
    double f_lo = order ? glo->gp : glo->g;
    double x = start_point(glo, ghi, order), root = x;
    /* The previous iterate and its f', for the curvature of f. */
    double x_prev = x, fp_prev = 0.0, acc[3];
    int have_prev = 0;
    for (int it = 0; it < 100; it++) {
        g_at(s, tr, x, acc, out);
        if (decide && extremum_decided(out, decide))
            return 1;
        double f = order ? out->gp : out->g, fp = order ? out->gpp : out->gp;
        if (f == 0.0) {
            root = x;
            break;
        }
        if ((f > 0.0) == (f_lo > 0.0))
            lo = x;
        else
            hi = x;
        if (hi - lo < ROOT_TOL_S) {
            root = 0.5 * (lo + hi);
            break;
        }
        double next = fp != 0.0 ? x - f / fp : lo - 1.0;
        int newton = next > lo && next < hi;
        if (!newton)
            next = 0.5 * (lo + hi);
        root = next;
        /* f'' as df / dx, unknown (infinite) over long steps (see ESTIMATED_STEP_MAX_S). */
        double df = INFINITY, dx = 1.0;
        if (fabs(next - x) <= ESTIMATED_STEP_MAX_S) {
            if (!have_prev) {
                if (!order)
                    df = out->gpp;
            } else if (x != x_prev) {
                df = fp - fp_prev;
                dx = x - x_prev;
            }
        }
        if (newton && (fabs(next - x) < NEWTON_TOL_S || newton_settled(fp, df, dx, next - x)))
            break;
        x_prev = x;
        fp_prev = fp;
        have_prev = 1;
        x = next;
    }
    double dt = root - out->t, *r = out->r, *v = out->v;
    for (int i = 0; i < 3; i++) {
        r[i] += (v[i] + 0.5 * acc[i] * dt) * dt;
        v[i] += acc[i] * dt;
    }
    out->g += out->gp * dt;
    out->gp += out->gpp * dt;
    out->t = root;
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Passes                                                                   */
/* ------------------------------------------------------------------------ */

typedef struct sat_search {
    const pass_search_ctx *ctx;
    const pass_track *tr;
    const pass_site_geom *s;
    size_t sat, site;
    pass_vec *out;
    apsco_status status;
} sat_search;

/*
 * The instant of highest elevation in [aos, los]: the largest of g at the
 * ends and at every maximum inside, found where g' turns from positive to
 * negative between consecutive points (the ends and the nodes between).
 */
static gval highest(const sat_search *q, const gval *aos, const gval *los)
{
    const pass_track *tr = q->tr;
    gval best = *aos, prev = *aos, cur;
    size_t k = (size_t)floor(aos->t / tr->step_s) + 1;
    for (;; k++) {
        double t = (double)k * tr->step_s;
        int last = !(t < los->t);
        if (last)
            cur = *los;
        else
            g_node(tr, k, &cur);
        if (cur.g > best.g) {
            best = cur;
            if (!last)
                node_state(tr, k, &best);
        }
        if (prev.gp > 0.0 && cur.gp <= 0.0) {
            gval m;
            refine(q->s, tr, 1, &prev, &cur, &m);
            if (m.g > best.g)
                best = m;
        }
        if (last)
            return best;
        prev = cur;
    }
}

/*
 * The azimuth and range rate of the state r, v from the site: the
 * arithmetic of apsco_observer_look without the elevation (an arctangent
 * the rise and the set of a pass do not need), so that both agree to the
 * last bit.
 */
static void az_and_rate(const apsco_observer *obs, const double r[3], const double v[3],
                        double *az_rad, double *range_rate_km_s)
{
    double dx = r[0] - obs->r_itrf_km[0], dy = r[1] - obs->r_itrf_km[1];
    double dz = r[2] - obs->r_itrf_km[2];
    double range = sqrt(dx * dx + dy * dy + dz * dz);
    if (range == 0.0) {
        *az_rad = *range_rate_km_s = 0.0;
        return;
    }
    double t = obs->cos_lon * dx + obs->sin_lon * dy;
    double e = -obs->sin_lon * dx + obs->cos_lon * dy;
    double n = -obs->sin_lat * t + obs->cos_lat * dz;
    double az = atan2(e, n);
    if (az < 0.0)
        az += 2.0 * M_PI;
    *az_rad = az < 2.0 * M_PI ? az : 0.0;
    *range_rate_km_s = (dx * v[0] + dy * v[1] + dz * v[2]) / range;
}

/* Completes and stores the pass from aos to los (their states given). */
static void emit(sat_search *q, const gval *aos, const gval *los, int aos_clipped, int los_clipped)
{
    if (q->status != APSCO_OK)
        return;
    const apsco_observer *obs = &q->s->site->obs;
    apsco_pass p;
    memset(&p, 0, sizeof p);
    p.sat = q->sat;
    p.site = q->site;
    p.aos_s = aos->t;
    p.los_s = los->t;
    p.aos_clipped = aos_clipped;
    p.los_clipped = los_clipped;
    gval top = highest(q, aos, los);
    p.tca_s = top.t;
    az_and_rate(obs, aos->r, aos->v, &p.aos_az_rad, &p.aos_range_rate_km_s);
    az_and_rate(obs, los->r, los->v, &p.los_az_rad, &p.los_range_rate_km_s);
    apsco_look l;
    apsco_observer_look(obs, top.r, top.v, &l);
    p.tca_az_rad = l.az_rad;
    p.tca_el_rad = l.el_rad;
    p.tca_range_km = l.range_km;
    p.tca_range_rate_km_s = l.range_rate_km_s;
    q->status = pass_vec_push(q->out, &p);
}

/* The pass between the instants aos and los, their states interpolated (mask contacts). */
static void emit_at(sat_search *q, double aos, double los, int aos_clipped, int los_clipped)
{
    gval a, b;
    g_at(q->s, q->tr, aos, NULL, &a);
    g_at(q->s, q->tr, los, NULL, &b);
    emit(q, &a, &b, aos_clipped, los_clipped);
}

static void look_at(const sat_search *q, double t, apsco_look *look)
{
    double r[3], v[3];
    pass_track_eval(q->tr, t, r, v, NULL);
    apsco_observer_look(&q->s->site->obs, r, v, look);
}

/* Elevation above the site's threshold at t (mask included), radians. */
static double above_mask(const sat_search *q, double t)
{
    apsco_look l;
    look_at(q, t, &l);
    return l.el_rad - apsco_pass_site_threshold(q->s->site, l.az_rad);
}

/* The sign change of above_mask in [lo, hi] (f_lo its value at lo), by bisection. */
static double bisect_mask(const sat_search *q, double lo, double hi, double f_lo)
{
    while (hi - lo > ROOT_TOL_S) {
        double mid = 0.5 * (lo + hi);
        if ((above_mask(q, mid) > 0.0) == (f_lo > 0.0))
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

/* Golden-section search for the largest above_mask in [lo, hi] (Numerical Recipes sec. 10.2). */
static double golden_max(const sat_search *q, double lo, double hi, double *t_max)
{
    const double r = 0.5 * (sqrt(5.0) - 1.0);
    double x1 = hi - r * (hi - lo), x2 = lo + r * (hi - lo);
    double f1 = above_mask(q, x1), f2 = above_mask(q, x2);
    while (hi - lo > ROOT_TOL_S) {
        if (f1 < f2) {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + r * (hi - lo);
            f2 = above_mask(q, x2);
        } else {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - r * (hi - lo);
            f1 = above_mask(q, x1);
        }
    }
    *t_max = f1 > f2 ? x1 : x2;
    return fmax(f1, f2);
}

/*
 * Splits a contact above the floor, [aos, los], into the contacts above
 * the mask: the elevation minus the mask is sampled every MASK_STEP_S (the
 * mask is piecewise linear in azimuth, so the function has kinks and no
 * derivative to bracket with); its sign changes are bisected, and a sample
 * that is a local maximum below zero is searched for a maximum above zero
 * between its neighbours (a grazing contact shorter than the spacing).
 */
static void split_by_mask(sat_search *q, const gval *ga, const gval *gb, int aos_clipped,
                          int los_clipped)
{
    double aos = ga->t, los = gb->t;
    double span = los - aos;
    size_t m = (size_t)ceil(span / MASK_STEP_S);
    if (m < 2)
        m = 2;
    double dt = span / (double)m;
    double f_prev2 = 0.0, f_prev = above_mask(q, aos);
    int in = f_prev > 0.0, in_clipped = in && aos_clipped;
    double start = aos;
    for (size_t i = 1; i <= m; i++) {
        double t = i == m ? los : aos + (double)i * dt, t_prev = t - dt;
        double f = above_mask(q, t);
        if (!in && f > 0.0) {
            start = bisect_mask(q, t_prev, t, f_prev);
            in = 1;
            in_clipped = 0;
        } else if (in && f <= 0.0) {
            emit_at(q, start, bisect_mask(q, t_prev, t, f_prev), in_clipped, 0);
            in = 0;
        } else if (!in && i >= 2 && f_prev2 <= 0.0 && f_prev >= f_prev2 && f_prev >= f &&
                   !(f_prev == f && f_prev == f_prev2)) {
            double lo = t_prev - dt, t_max;
            if (golden_max(q, lo, t, &t_max) > 0.0)
                emit_at(q, bisect_mask(q, lo, t_max, f_prev2), bisect_mask(q, t_max, t, 1.0), 0, 0);
        }
        f_prev2 = f_prev;
        f_prev = f;
    }
    if (in)
        emit_at(q, start, los, in_clipped, los_clipped);
}

/* A contact above the floor elevation: split by the mask, or stored as it is. */
static void contact(sat_search *q, const gval *aos, const gval *los, int aos_clipped,
                    int los_clipped)
{
    if (q->s->site->min_el_fn)
        split_by_mask(q, aos, los, aos_clipped, los_clipped);
    else
        emit(q, aos, los, aos_clipped, los_clipped);
}

/*
 * The contacts in [p0.t, pn.t], walking consecutive points (nodes, and the
 * window end). Between two points g has at most one extremum (they are
 * more than one node step apart, see pass_track_step_s), so the signs of g
 * and g' at the two points tell every case: one crossing when g changes
 * sign; none or two when it does not, two only when the single extremum
 * inside is a maximum above zero (g' from + to − with g <= 0 at both
 * ends) or a minimum below zero (g' from − to + with g > 0 at both ends).
 */
static void walk_run(sat_search *q, size_t k0, double t_end)
{
    const pass_track *tr = q->tr;
    const pass_site_geom *s = q->s;
    gval a, b, aos, los, m, rise;
    /* The nodes before t_end; the passes found in the run, and their tops, lie among them. */
    size_t k_last = k0;
    while ((double)(k_last + 1) * tr->step_s < t_end)
        k_last++;
    g_nodes(s, tr, k0, k_last);
    g_node(tr, k0, &a);
    node_state(tr, k0, &a);
    int in = a.g > 0.0, clipped = in && a.t == 0.0;
    aos = a;
    for (size_t k = k0 + 1;; k++) {
        double t = (double)k * tr->step_s;
        int last = !(t < t_end);
        if (last)
            g_at(s, tr, t_end, NULL, &b);
        else
            g_node(tr, k, &b);
        if (!in && b.g > 0.0) {
            refine(s, tr, 0, &a, &b, &aos);
            in = 1;
            clipped = 0;
        } else if (in && b.g <= 0.0) {
            refine(s, tr, 0, &a, &b, &los);
            contact(q, &aos, &los, clipped, 0);
            in = 0;
        } else if (!in && a.gp >= 0.0 && b.gp <= 0.0 && !(a.gp == 0.0 && b.gp == 0.0)) {
            if (extremum_crosses(s, tr, &a, &b, &m)) {
                refine(s, tr, 0, &a, &m, &rise);
                refine(s, tr, 0, &m, &b, &los);
                contact(q, &rise, &los, 0, 0);
            }
        } else if (in && a.gp <= 0.0 && b.gp >= 0.0 && !(a.gp == 0.0 && b.gp == 0.0)) {
            if (extremum_crosses(s, tr, &a, &b, &m)) {
                refine(s, tr, 0, &a, &m, &los);
                contact(q, &aos, &los, clipped, 0);
                refine(s, tr, 0, &m, &b, &aos);
                clipped = 0;
            }
        }
        if (last)
            break;
        a = b;
    }
    /* b is the point at t_end. */
    if (in)
        contact(q, &aos, &b, clipped, t_end >= tr->end_s);
}

/*
 * The skip test of apsco/passes.h, step 2. A satellite at distance r from
 * the geocentre is above elevation ε (geocentric horizon) from a site at
 * distance ρ exactly when the geocentric angle γ between them satisfies
 * cos(γ + ε) >= ρ cos ε / r (law of sines in the triangle geocentre, site,
 * satellite), i.e. γ <= λ(r, ε) = acos(ρ cos ε / r) − ε, which grows with r.
 * Above the geodetic floor means above the geocentric horizon lowered by
 * the vertical deflection, and r <= radius_max_km over the span, so every
 * instant of a contact has γ <= λ. Between nodes t_k and t_k+1, γ moves at
 * most at rate_bound_rad_s = ω_b, so every instant of [t_k, t_k+1] is
 * within ω_b h / 2 of a node: if both nodes have γ > λ + ω_b h / 2, no
 * instant of the interval has γ <= λ. The returned cosine c is that limit:
 * node k is near when û_k · ŝ >= c.
 */
static double near_cosine(const pass_track *tr, const pass_site_geom *s)
{
    double eps = s->site->floor_el_rad - VERTICAL_DEFLECTION_RAD;
    double x = s->radius_km * cos(eps) / tr->radius_max_km;
    double lambda = acos(fmin(1.0, x)) - eps;
    return cos(fmin(M_PI, lambda + 0.5 * tr->rate_bound_rad_s * tr->step_s));
}

/*
 * Marks the nodes 0 … n-1 near the site (û_k · ŝ >= c) in tr->near: one
 * pass over the unit vectors, stored coordinate by coordinate so that the
 * loop runs in vector registers.
 */
static void mark_near(const pass_track *tr, const pass_site_geom *s, double c, size_t n)
{
    const double *ux = tr->u, *uy = ux + tr->capacity, *uz = uy + tr->capacity;
    double sx = s->unit[0], sy = s->unit[1], sz = s->unit[2];
    unsigned char *near = tr->near;
    for (size_t k = 0; k < n; k++)
        near[k] = ux[k] * sx + uy[k] * sy + uz[k] * sz >= c;
}

/* The first interval at or after k (k < n) with a near end, or n: eight nodes a step over far ones.
 */
static size_t next_near(const unsigned char *near, size_t k, size_t n)
{
    while (k < n && !near[k] && !near[k + 1]) {
        uint64_t eight;
        if (k + 9 <= n) {
            memcpy(&eight, near + k + 1, sizeof eight);
            if (eight == 0) {
                k += 8;
                continue;
            }
        }
        k++;
    }
    return k;
}

/* The contacts of the track with one site. */
static void search_site(sat_search *q)
{
    const pass_track *tr = q->tr;
    double c = near_cosine(tr, q->s);
    /* Intervals [t_k, t_k+1] that start before the end of the span. */
    size_t intervals = (size_t)ceil(tr->end_s / tr->step_s);
    if (intervals == 0) {
        /* A window of no length: the state at its one instant. */
        gval g;
        g_nodes(q->s, tr, 0, 0);
        g_node(tr, 0, &g);
        node_state(tr, 0, &g);
        if (g.g > 0.0)
            contact(q, &g, &g, 1, 1);
        return;
    }
    /* Interval k is [t_k, t_k+1]; it is walked when one of its ends is near. */
    mark_near(tr, q->s, c, intervals + 1);
    const unsigned char *near = tr->near;
    size_t k = next_near(near, 0, intervals);
    while (k < intervals && q->status == APSCO_OK) {
        size_t k0 = k;
        while (k < intervals && (near[k] || near[k + 1]))
            k++;
        walk_run(q, k0, fmin((double)k * tr->step_s, tr->end_s));
        if (k < intervals)
            k = next_near(near, k, intervals);
    }
}

apsco_status pass_search_sat(const pass_search_ctx *ctx, const pass_track *track, size_t sat_index,
                             pass_vec *out)
{
    if (track->count < 2 || track->end_s < 0.0)
        return APSCO_OK;
    sat_search q = {ctx, track, NULL, sat_index, 0, out, APSCO_OK};
    for (size_t i = 0; i < ctx->site_count && q.status == APSCO_OK; i++) {
        q.s = &ctx->sites[i];
        q.site = i;
        search_site(&q);
    }
    return q.status;
}
