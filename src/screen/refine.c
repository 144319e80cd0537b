/*
 * refine.c — time of closest approach on the scalar SGP4, and the miss
 * geometry there.
 *
 * The TCA is a root of the range-rate g(t) = (r2 - r1) . (v2 - v1) where g
 * goes from negative to positive. Starting from the root of the interpolated
 * g, Newton's method uses the interpolated slope g' = |w|^2 + d . a (within
 * a fraction of a percent of SGP4's), so one or two SGP4 evaluations of both
 * objects bring the step under 1 us. If Newton wanders off the piece where
 * the interpolation saw the sign change, a bracketing search on SGP4's own g
 * (the Illinois variant of regula falsi, Dowell & Jarratt 1971, with
 * bisection steps) takes over. The miss distance is the SGP4 range at the
 * root.
 */
#include <math.h>

#include "apsco/orbit.h"
#include "apsco/screen.h"
#include "screen/internal.h"

#define TCA_TOL_S 1e-6

int screen_states(const screen_ctx *c, size_t i, size_t j, double t_s, double r1[3], double v1[3],
                  double r2[3], double v2[3])
{
    int e1 = apsco_sgp4(&c->sats[i], NULL, screen_tsince_min(c, i, t_s), r1, v1);
    int e2 = apsco_sgp4(&c->sats[j], NULL, screen_tsince_min(c, j, t_s), r2, v2);
    return e1 ? e1 : e2;
}

/* SGP4 states of both objects at one instant. */
typedef struct pair_states {
    double r1[3], v1[3], r2[3], v2[3];
} pair_states;

/*
 * Range-rate at t_s (NaN on an SGP4 error), with the states there. SDP4's velocity leaves out the
 * rates of its lunar-solar periodic terms (up to a few dm/s), which would
 * move the minimum of a slow deep-space pair by minutes: there the relative
 * velocity is the central difference of the positions over +-0.5 s
 * (truncation below 1e-9 km/s).
 */
static double range_rate_states(const screen_ctx *c, const screen_hmin *h, double t_s,
                                pair_states *ps)
{
    double *r1 = ps->r1, *r2 = ps->r2, v1[3], v2[3];
    if (screen_states(c, h->i, h->j, t_s, r1, ps->v1, r2, ps->v2))
        return NAN;
    for (int k = 0; k < 3; k++) {
        v1[k] = ps->v1[k];
        v2[k] = ps->v2[k];
    }
    if (c->sats[h->i].deep_space || c->sats[h->j].deep_space) {
        double a1[3], a2[3], b1[3], b2[3], u[3];
        if (screen_states(c, h->i, h->j, t_s - 0.5, a1, u, a2, u) ||
            screen_states(c, h->i, h->j, t_s + 0.5, b1, u, b2, u))
            return NAN;
        for (int k = 0; k < 3; k++) {
            v1[k] = b1[k] - a1[k];
            v2[k] = b2[k] - a2[k];
        }
    }
    double g = 0;
    for (int k = 0; k < 3; k++)
        g += (r2[k] - r1[k]) * (v2[k] - v1[k]);
    return g;
}

static double range_rate(const screen_ctx *c, const screen_hmin *h, double t_s)
{
    pair_states ps;
    return range_rate_states(c, h, t_s, &ps);
}

/*
 * Newton on SGP4's range-rate from the interpolated root. It stops when the
 * next step would be below TCA_TOL_S and returns the instant where SGP4 was
 * last evaluated (within that step of the root), with the states there.
 */
static int newton(const screen_ctx *c, const screen_hmin *h, double lo, double hi, double *t_out,
                  pair_states *ps)
{
    double t = h->t_s, slope = h->slope;
    if (!(slope > 0))
        return 0;
    for (int it = 0; it < 8; it++) {
        double g = range_rate_states(c, h, t, ps);
        if (!isfinite(g))
            return 0;
        double step = -g / slope;
        if (fabs(step) < TCA_TOL_S) {
            *t_out = t;
            return 1;
        }
        t += step;
        if (t < lo || t > hi)
            return 0;
    }
    return 0;
}

/* Illinois regula falsi with bisection safeguard on [a, b] where g(a) < 0 <= g(b). */
static int bracketed(const screen_ctx *c, const screen_hmin *h, double a, double b, double *t_out)
{
    double ga = range_rate(c, h, a), gb = range_rate(c, h, b);
    /* Widen until SGP4's own g changes sign (the interpolation may be off by its bound). */
    double w = b - a > 1.0 ? b - a : 1.0;
    for (int k = 0; k < 8 && isfinite(ga) && isfinite(gb) && !(ga < 0 && gb >= 0); k++) {
        if (!(ga < 0)) {
            a -= w;
            ga = range_rate(c, h, a);
        }
        if (!(gb >= 0)) {
            b += w;
            gb = range_rate(c, h, b);
        }
        w *= 2;
    }
    if (!(ga < 0 && gb >= 0))
        return 0;
    int side = 0;
    for (int it = 0; it < 200 && b - a > TCA_TOL_S; it++) {
        double t = (a * gb - b * ga) / (gb - ga);
        if (!(t > a && t < b) || it % 4 == 3)
            t = 0.5 * (a + b);
        double g = range_rate(c, h, t);
        if (!isfinite(g))
            return 0;
        if (g < 0) {
            a = t;
            ga = g;
            if (side == -1)
                gb *= 0.5;
            side = -1;
        } else {
            b = t;
            gb = g;
            if (side == 1)
                ga *= 0.5;
            side = 1;
        }
    }
    *t_out = 0.5 * (a + b);
    return 1;
}

void screen_ric_axes(const double r_km[3], const double v_km_s[3], double R[3], double I[3],
                     double C[3])
{
    double rn = sqrt(r_km[0] * r_km[0] + r_km[1] * r_km[1] + r_km[2] * r_km[2]);
    double h[3] = {r_km[1] * v_km_s[2] - r_km[2] * v_km_s[1],
                   r_km[2] * v_km_s[0] - r_km[0] * v_km_s[2],
                   r_km[0] * v_km_s[1] - r_km[1] * v_km_s[0]};
    double hn = sqrt(h[0] * h[0] + h[1] * h[1] + h[2] * h[2]);
    for (int k = 0; k < 3; k++) {
        R[k] = r_km[k] / rn;
        C[k] = h[k] / hn;
    }
    I[0] = C[1] * R[2] - C[2] * R[1];
    I[1] = C[2] * R[0] - C[0] * R[2];
    I[2] = C[0] * R[1] - C[1] * R[0];
}

void apsco_screen_ric(const double r1_km[3], const double v1_km_s[3], const double r2_km[3],
                      double ric_km[3])
{
    double d[3] = {r2_km[0] - r1_km[0], r2_km[1] - r1_km[1], r2_km[2] - r1_km[2]};
    double R[3], I[3], C[3];
    screen_ric_axes(r1_km, v1_km_s, R, I, C);
    ric_km[0] = d[0] * R[0] + d[1] * R[1] + d[2] * R[2];
    ric_km[1] = d[0] * I[0] + d[1] * I[1] + d[2] * I[2];
    ric_km[2] = d[0] * C[0] + d[1] * C[1] + d[2] * C[2];
}

int screen_refine(const screen_ctx *c, const screen_hmin *h, screen_event *ev)
{
    double t;
    double margin = h->hi_s - h->lo_s + 1.0;
    pair_states ps;
    if (newton(c, h, h->lo_s - margin, h->hi_s + margin, &t, &ps)) {
        if (!(t > 0) || t > c->span_s)
            return 0;
    } else {
        if (!bracketed(c, h, h->lo_s, h->hi_s, &t) || !(t > 0) || t > c->span_s)
            return 0;
        if (screen_states(c, h->i, h->j, t, ps.r1, ps.v1, ps.r2, ps.v2))
            return 0;
    }
    const double *r1 = ps.r1, *v1 = ps.v1, *r2 = ps.r2, *v2 = ps.v2;
    double d[3] = {r2[0] - r1[0], r2[1] - r1[1], r2[2] - r1[2]};
    double w[3] = {v2[0] - v1[0], v2[1] - v1[1], v2[2] - v1[2]};
    double miss = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    if (miss > c->thr_km)
        return 0;
    double ric[3];
    apsco_screen_ric(r1, v1, r2, ric);
    ev->i = h->i;
    ev->j = h->j;
    ev->tca_s = t;
    ev->miss_km = miss;
    ev->speed_km_s = (float)sqrt(w[0] * w[0] + w[1] * w[1] + w[2] * w[2]);
    for (int k = 0; k < 3; k++)
        ev->ric_km[k] = (float)ric[k];
    return 1;
}
