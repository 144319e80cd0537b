/*
 * sieve.c — the spatial sieve over one grid interval, and the interpolated
 * local minima of the range in the windows it lets through.
 *
 * Between grid instants t_k and t_k + G each object follows the cubic
 * Hermite polynomial p(tau) = r0 + v0 tau + c tau^2 + d tau^3 of its states
 * at both ends; SGP4 stays within eps_i of it (band.c). The interval is cut
 * into `samples` windows of half-width eta centred on tau_s. For a pair with
 * relative polynomial d(tau), relative position D and velocity W at tau_s,
 * the Taylor expansion of the cubic about tau_s is exact:
 *     d(tau) = D + W s + d''(tau_s) s^2 / 2 + d''' s^3 / 6,  s = tau - tau_s,
 * so for |s| <= eta
 *     |d(tau) - (D + W s)| <= P = |d''(tau_s)| eta^2 / 2 + |d'''| eta^3 / 6,
 * and the window can hold a range below R = thr + eps_i + eps_j only if
 *     min_{|s| <= eta} |D + W s| <= R + P                     (linear test).
 * With |W| <= |v_i| + |v_j|, |d''| <= |p_i''| + |p_j''|, |d'''| <= 6 |d_i| +
 * 6 |d_j|, that needs |D| <= thr + rho_i + rho_j with the per-object reach
 *     rho_i = eps_i + |v_i| eta + |p_i''| eta^2 / 2 + |d_i| eta^3.
 * Objects are sorted into cubic cells of side C = thr + 2 max rho (a
 * counting sort of the cell keys, three 12-bit digits; coordinates beyond
 * 2048 cells from the origin are clamped to the last cell, which only puts
 * more objects together). Two objects within C of each other lie in the
 * same or adjacent cells. In key order (x, then y, then z cell) the three
 * cells (x + a, y + b, z - 1 .. z + 1) of a neighbouring column are one
 * contiguous run, whose start only moves forward as the sweep goes through
 * the sorted objects: each object meets its own column's next cells and
 * four forward columns ((0,1), (1,-1), (1,0), (1,1)), so that every
 * unordered pair of neighbouring cells is visited once. Nothing within the
 * threshold is lost.
 *
 * Interpolated minima. In a window the range-rate g = d . d' is a quintic.
 * Bounds at the window centre settle most windows: the range stays above R,
 * or |g| stays away from 0, or g' = |d'|^2 + d . d'' stays positive (at most
 * one root, located by the sign change). The rest (slow relative motion) get
 * every real root of the quintic, isolated between the roots of its
 * derivatives (recursively down to degree 1) and polished by safeguarded
 * Newton. Roots are taken in the half-open window (lo, hi], so adjacent
 * windows never report the same one.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "screen/internal.h"

/*
 * Per-interval planes (r0, v0, c, d: 12) and per-sample planes (pos, vel,
 * acc, rho, q: 11).
 */
#define H_PLANES   12
#define S_PLANES   11
#define RADIX_BITS 12
#define RADIX      ((size_t)1 << RADIX_BITS)
#define SLOT_BITS  28

int screen_ws_init(screen_ws *ws, size_t np)
{
    memset(ws, 0, sizeof *ws);
    size_t n = np ? np : 1;
    ws->cap = n;
    ws->valid = malloc(n * sizeof *ws->valid);
    ws->h = malloc(n * H_PLANES * sizeof *ws->h);
    ws->sv = malloc(n * S_PLANES * sizeof *ws->sv);
    ws->pk = malloc(n * sizeof *ws->pk);
    ws->pk2 = malloc(n * sizeof *ws->pk2);
    ws->hist = malloc(3 * RADIX * sizeof *ws->hist);
    ws->pts = malloc(n * 4 * sizeof *ws->pts);
    ws->rec = malloc(n * 8 * sizeof *ws->rec);
    ws->skey = malloc((n + 1) * sizeof *ws->skey);
    ws->sslot = malloc(n * sizeof *ws->sslot);
    ws->cstart = malloc((n + 2) * sizeof *ws->cstart);
    ws->cand = malloc(n * sizeof *ws->cand);
    ws->order = malloc((n + 1) * sizeof *ws->order);
    ws->order2 = malloc((n + 1) * sizeof *ws->order2);
    for (size_t p = 0; ws->order && p < n; p++)
        ws->order[p] = (uint32_t)p;
    ws->eps = malloc(n * sizeof *ws->eps);
    ws->slot_of = malloc(n * sizeof *ws->slot_of);
    ws->fine = malloc(256 * sizeof *ws->fine);
    ws->fine_slot = SIZE_MAX;
    return ws->eps && ws->slot_of && ws->fine && ws->valid && ws->h && ws->sv && ws->pk &&
           ws->pk2 && ws->hist && ws->pts && ws->skey && ws->sslot && ws->cstart && ws->cand &&
           ws->rec && ws->order && ws->order2;
}

void screen_ws_free(screen_ws *ws)
{
    free(ws->valid);
    free(ws->h);
    free(ws->sv);
    free(ws->pk);
    free(ws->pk2);
    free(ws->hist);
    free(ws->pts);
    free(ws->rec);
    free(ws->skey);
    free(ws->sslot);
    free(ws->cstart);
    free(ws->cand);
    free(ws->order);
    free(ws->order2);
    free(ws->eps);
    free(ws->slot_of);
    free(ws->fine);
    free(ws->out);
    memset(ws, 0, sizeof *ws);
}

static double norm3(double x, double y, double z)
{
    return sqrt(x * x + y * y + z * z);
}

/* ---- Relative polynomial of a pair -------------------------------------- */

typedef screen_relpoly relpoly;

static void relpoly_eval(const relpoly *q, double t, double pos[3], double vel[3], double acc[3])
{
    for (int k = 0; k < 3; k++) {
        pos[k] = q->a[k] + t * (q->b[k] + t * (q->c[k] + t * q->d[k]));
        vel[k] = q->b[k] + t * (2.0 * q->c[k] + 3.0 * t * q->d[k]);
        acc[k] = 2.0 * q->c[k] + 6.0 * t * q->d[k];
    }
}

static double relpoly_g(const relpoly *q, double t)
{
    double p[3], v[3], a[3];
    relpoly_eval(q, t, p, v, a);
    return p[0] * v[0] + p[1] * v[1] + p[2] * v[2];
}

/* Hermite coefficients of object p on interval k of the block (c and d, 3 each). */
static void hermite_coef(const screen_block *b, size_t np, size_t k, size_t p, double g_s,
                         double r0[3], double v0[3], double cd[6])
{
    const double *s0 = b->state + k * 6 * np + p, *s1 = s0 + 6 * np;
    for (int q = 0; q < 3; q++) {
        double x0 = s0[q * np], x1 = s1[q * np], u0 = s0[(3 + q) * np], u1 = s1[(3 + q) * np];
        r0[q] = x0;
        v0[q] = u0;
        cd[q] = (3.0 * (x1 - x0) / g_s - 2.0 * u0 - u1) / g_s;
        cd[3 + q] = (2.0 * (x0 - x1) / g_s + u0 + u1) / (g_s * g_s);
    }
}

static void pair_relpoly(const screen_block *b, size_t np, size_t k, size_t pi, size_t pj,
                         double g_s, relpoly *q)
{
    double ri[3], vi[3], ci[6], rj[3], vj[3], cj[6];
    hermite_coef(b, np, k, pi, g_s, ri, vi, ci);
    hermite_coef(b, np, k, pj, g_s, rj, vj, cj);
    for (int m = 0; m < 3; m++) {
        q->a[m] = rj[m] - ri[m];
        q->b[m] = vj[m] - vi[m];
        q->c[m] = cj[m] - ci[m];
        q->d[m] = cj[3 + m] - ci[3 + m];
    }
}

/* ---- Roots of the interpolated range-rate -------------------------------- */

typedef struct window_job {
    const screen_ctx *c;
    const relpoly *q;
    double reach_km; /* R: threshold plus both interpolation bounds and slack */
    double t0_s;     /* absolute time of tau = 0, s from start */
    uint32_t i, j;
    screen_ws *ws;
} window_job;

static void push_min(window_job *job, double tau, double lo, double hi)
{
    screen_ws *ws = job->ws;
    if (ws->nout == ws->capout) {
        size_t cap = ws->capout ? 2 * ws->capout : 256;
        screen_hmin *grown = realloc(ws->out, cap * sizeof *grown);
        if (!grown) {
            ws->failed = 1;
            return;
        }
        ws->out = grown;
        ws->capout = cap;
    }
    double p[3], v[3], a[3];
    relpoly_eval(job->q, tau, p, v, a);
    screen_hmin *h = &ws->out[ws->nout++];
    h->i = job->i;
    h->j = job->j;
    h->t_s = job->t0_s + tau;
    h->lo_s = job->t0_s + lo;
    h->hi_s = job->t0_s + hi;
    h->slope = v[0] * v[0] + v[1] * v[1] + v[2] * v[2] + p[0] * a[0] + p[1] * a[1] + p[2] * a[2];
}

/*
 * Coefficients of g(tau) = d . d' (low to high): with d = a + b t + c t^2 +
 * e t^3 and d' = b + 2 c t + 3 e t^2, collect the powers of t.
 */
static double dot3(const double *x, const double *y)
{
    return x[0] * y[0] + x[1] * y[1] + x[2] * y[2];
}

static void relpoly_g_coef(const relpoly *q, double g[6])
{
    g[0] = dot3(q->a, q->b);
    g[1] = dot3(q->b, q->b) + 2.0 * dot3(q->a, q->c);
    g[2] = 3.0 * dot3(q->a, q->d) + 3.0 * dot3(q->b, q->c);
    g[3] = 4.0 * dot3(q->b, q->d) + 2.0 * dot3(q->c, q->c);
    g[4] = 5.0 * dot3(q->c, q->d);
    g[5] = 3.0 * dot3(q->d, q->d);
}

static double poly_root(const double *p, int deg, double a, double b, double pa);

/* The root of g in [lo, hi] where g(lo) < 0 <= g(hi). */
static double poly_root_g(const relpoly *q, double lo, double hi, double glo)
{
    double g[6];
    relpoly_g_coef(q, g);
    return poly_root(g, 5, lo, hi, glo);
}

/* Horner evaluation of a polynomial of degree `deg` (coefficients low to high). */
static double poly_eval(const double *p, int deg, double t)
{
    double v = p[deg];
    for (int k = deg - 1; k >= 0; k--)
        v = v * t + p[k];
    return v;
}

/* The root of p in [a, b] where p(a) and p(b) differ in sign: Newton kept inside by bisection. */
static double poly_root(const double *p, int deg, double a, double b, double pa)
{
    double dp[6];
    for (int k = 1; k <= deg; k++)
        dp[k - 1] = k * p[k];
    double t = 0.5 * (a + b);
    for (int it = 0; it < 100 && b - a > 1e-7; it++) {
        double v = poly_eval(p, deg, t);
        if ((v < 0) == (pa < 0)) {
            a = t;
            pa = v;
        } else {
            b = t;
        }
        double s = poly_eval(dp, deg - 1, t), next = s != 0 ? t - v / s : a;
        t = next > a && next < b ? next : 0.5 * (a + b);
    }
    return t;
}

/*
 * Every real root of p in [lo, hi], in order: between consecutive critical
 * points (the roots of p', found the same way) p is monotone, so a sign
 * change brackets exactly one root. Returns the number written to `out`.
 */
static int poly_roots(const double *p, int deg, double lo, double hi, double *out)
{
    if (deg <= 0)
        return 0;
    if (deg == 1) {
        if (p[1] == 0)
            return 0;
        double t = -p[0] / p[1];
        if (t >= lo && t <= hi) {
            out[0] = t;
            return 1;
        }
        return 0;
    }
    double dp[5], crit[6];
    for (int k = 1; k <= deg; k++)
        dp[k - 1] = k * p[k];
    int nc = poly_roots(dp, deg - 1, lo, hi, crit), n = 0;
    double a = lo, pa = poly_eval(p, deg, lo);
    for (int k = 0; k <= nc; k++) {
        double b = k < nc ? crit[k] : hi, pb = poly_eval(p, deg, b);
        if (pa == 0 && n == 0 && a == lo)
            out[n++] = a;
        if ((pa < 0 && pb > 0) || (pa > 0 && pb < 0))
            out[n++] = poly_root(p, deg, a, b, pa);
        else if (pb == 0 && b > a)
            out[n++] = b;
        a = b;
        pa = pb;
    }
    return n;
}

/* Takes the root tau of g in (lo, hi] if g goes from - to + there and the range is below reach. */
static void take_root(window_job *job, double tau, double lo, double hi, double step)
{
    if (!(tau > lo && tau <= hi))
        return;
    double a = tau - step > lo ? tau - step : lo, b = tau + step;
    if (!(relpoly_g(job->q, a) < 0) || !(relpoly_g(job->q, b) >= 0))
        return;
    double p[3], v[3], acc[3];
    relpoly_eval(job->q, tau, p, v, acc);
    if (norm3(p[0], p[1], p[2]) <= job->reach_km)
        push_min(job, tau, a, b);
}

/*
 * The window [lo, hi] (roots in (lo, hi]). Most windows are settled by
 * bounds at the centre: the range stays above reach, or |g| stays away from
 * 0, or g' = |d'|^2 + d . d'' stays positive (one root at most: a sign
 * change locates it). The others (slow relative motion) get every root of
 * the quintic g = d . d'.
 */
static void search_window(window_job *job, double lo, double hi)
{
    const relpoly *q = job->q;
    double half = 0.5 * (hi - lo), mid = lo + half, p[3], v[3], a[3];
    relpoly_eval(q, mid, p, v, a);
    double dm = norm3(p[0], p[1], p[2]), vm = norm3(v[0], v[1], v[2]);
    double jerk = 6.0 * norm3(q->d[0], q->d[1], q->d[2]);
    double mpp = norm3(a[0], a[1], a[2]) + jerk * half; /* max |d''| on the window */
    double vhi = vm + mpp * half;                       /* max |d'| */
    if (dm - vhi * half > job->reach_km)
        return;
    double dhi = dm + vhi * half;
    double gm = p[0] * v[0] + p[1] * v[1] + p[2] * v[2];
    if (fabs(gm) > (vhi * vhi + dhi * mpp) * half)
        return;
    double vlo = vm - mpp * half;
    if (vlo > 0 && vlo * vlo > dhi * mpp) {
        double glo = relpoly_g(q, lo), ghi = relpoly_g(q, hi);
        if (glo < 0 && ghi >= 0)
            take_root(job, poly_root_g(q, lo, hi, glo), lo, hi, 1e-6);
        return;
    }
    double g[6], roots[5];
    relpoly_g_coef(q, g);
    int n = poly_roots(g, 5, lo, hi, roots);
    for (int k = 0; k < n; k++)
        take_root(job, roots[k], lo, hi, 1e-4);
}

void screen_window_search(const screen_ctx *c, const screen_relpoly *q, double reach_km,
                          double t0_s, uint32_t i, uint32_t j, screen_ws *ws, double lo, double hi)
{
    window_job job = {c, q, reach_km, t0_s, i, j, ws};
    search_window(&job, lo, hi);
}

/* ---- The sieve ----------------------------------------------------------- */

typedef struct sample_ctx {
    const screen_ctx *c;
    const screen_block *b;
    size_t kk; /* interval within the block */
    size_t nvalid;
    double eta, tau_s;
    screen_ws *ws;
} sample_ctx;

/* Plane k of the per-interval and per-sample arrays. */
#define HP(ws, k) ((ws)->h + (size_t)(k) * (ws)->cap)
#define SP(ws, k) ((ws)->sv + (size_t)(k) * (ws)->cap)

/* The pad P of the linear test: |d''| eta^2 / 2 + |d'''| eta^3 / 6. */
static double taylor_pad(const double acc[3], const double jerk[3], double eta)
{
    return norm3(acc[0], acc[1], acc[2]) * eta * eta / 2.0 +
           norm3(jerk[0], jerk[1], jerk[2]) * eta * eta * eta / 6.0;
}

/*
 * The linear test of valid slots sa and sb with the exact relative
 * derivatives at tau_s, then the window search.
 */
static void test_pair(sample_ctx *sc, size_t sa, size_t sb)
{
    const screen_ctx *c = sc->c;
    screen_ws *ws = sc->ws;
    double D[3], W[3], acc[3], jerk[3];
    for (int k = 0; k < 3; k++) {
        D[k] = SP(ws, k)[sb] - SP(ws, k)[sa];
        W[k] = SP(ws, 3 + k)[sb] - SP(ws, 3 + k)[sa];
        acc[k] = SP(ws, 6 + k)[sb] - SP(ws, 6 + k)[sa];
        jerk[k] = 6.0 * (HP(ws, 9 + k)[sb] - HP(ws, 9 + k)[sa]);
    }
    size_t pa = ws->valid[sa], pb = ws->valid[sb];
    uint32_t ia = c->map[pa], ib = c->map[pb];
    double ww = W[0] * W[0] + W[1] * W[1] + W[2] * W[2];
    double s = ww > 0 ? -(D[0] * W[0] + D[1] * W[1] + D[2] * W[2]) / ww : 0.0;
    s = s < -sc->eta ? -sc->eta : (s > sc->eta ? sc->eta : s);
    double m = norm3(D[0] + W[0] * s, D[1] + W[1] * s, D[2] + W[2] * s);
    double reach = c->thr_km + c->eps_km[ia] + c->eps_km[ib] + SCREEN_SLACK_KM;
    if (m > reach + taylor_pad(acc, jerk, sc->eta))
        return;
    ws->windows++;
    /* The primary is the lower index (all-on-all) or the primary of the pair. */
    size_t pi = pa, pj = pb;
    int swap = ia > ib;
    if (c->is_primary_p && c->is_primary_p[pa] != c->is_primary_p[pb])
        swap = !c->is_primary_p[pa];
    if (swap) {
        pi = pb;
        pj = pa;
    }
    relpoly q;
    pair_relpoly(sc->b, c->np, sc->kk, pi, pj, c->step_s, &q);
    window_job job = {c,          &q,         reach, (double)(sc->b->k0 + sc->kk) * c->step_s,
                      c->map[pi], c->map[pj], ws};
    search_window(&job, sc->tau_s - sc->eta, sc->tau_s + sc->eta);
}

/* Hermite coefficients of every valid object on the interval, in planes. */
static void interval_planes(sample_ctx *sc)
{
    const screen_ctx *c = sc->c;
    screen_ws *ws = sc->ws;
    size_t np = c->np;
    double g = c->step_s;
    const double *s0 = sc->b->state + sc->kk * 6 * np, *s1 = s0 + 6 * np;
    for (int q = 0; q < 3; q++) {
        const double *x0 = s0 + q * np, *x1 = s1 + q * np;
        const double *u0 = s0 + (3 + q) * np, *u1 = s1 + (3 + q) * np;
        double *r = HP(ws, q), *v = HP(ws, 3 + q), *cc = HP(ws, 6 + q), *dd = HP(ws, 9 + q);
        for (size_t s = 0; s < sc->nvalid; s++) {
            size_t p = ws->valid[s];
            r[s] = x0[p];
            v[s] = u0[p];
            cc[s] = (3.0 * (x1[p] - x0[p]) / g - 2.0 * u0[p] - u1[p]) / g;
            dd[s] = (2.0 * (x0[p] - x1[p]) / g + u0[p] + u1[p]) / (g * g);
        }
    }
}

/* Positions, velocities, accelerations and reaches rho at tau_s; returns max rho. */
static double sample_states(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    double t = sc->tau_s, eta = sc->eta;
    size_t n = sc->nvalid;
    for (int q = 0; q < 3; q++) {
        const double *r = HP(ws, q), *v = HP(ws, 3 + q), *cc = HP(ws, 6 + q), *dd = HP(ws, 9 + q);
        double *x = SP(ws, q), *u = SP(ws, 3 + q), *a = SP(ws, 6 + q);
#pragma omp simd
        for (size_t s = 0; s < n; s++) {
            x[s] = r[s] + t * (v[s] + t * (cc[s] + t * dd[s]));
            u[s] = v[s] + t * (2.0 * cc[s] + 3.0 * t * dd[s]);
            a[s] = 2.0 * cc[s] + 6.0 * t * dd[s];
        }
    }
    double *rho = SP(ws, 9), *qq = SP(ws, 10), worst = 0;
    const double *ux = SP(ws, 3), *uy = SP(ws, 4), *uz = SP(ws, 5);
    const double *ax = SP(ws, 6), *ay = SP(ws, 7), *az = SP(ws, 8);
    const double *dx = HP(ws, 9), *dy = HP(ws, 10), *dz = HP(ws, 11);
    const double *eps = ws->eps;
    /* No simd pragma: clang cannot vectorise the max reduction and says so as an error. */
    for (size_t s = 0; s < n; s++) {
        double v = sqrt(ux[s] * ux[s] + uy[s] * uy[s] + uz[s] * uz[s]);
        double a = sqrt(ax[s] * ax[s] + ay[s] * ay[s] + az[s] * az[s]);
        double d = sqrt(dx[s] * dx[s] + dy[s] * dy[s] + dz[s] * dz[s]);
        qq[s] = eps[s] + a * eta * eta / 2.0 + d * eta * eta * eta;
        rho[s] = qq[s] + v * eta;
        worst = rho[s] > worst ? rho[s] : worst;
    }
    return worst;
}

/* Cell index along one axis, 0 .. RADIX - 1 (clamped). */
static uint64_t cell_of(double x, double inv)
{
    double f = floor(x * inv) + 0.5 * (double)RADIX;
    f = f < 0 ? 0 : (f > (double)(RADIX - 1) ? (double)(RADIX - 1) : f);
    return (uint64_t)f;
}

/*
 * Keys (x cell, y cell, z cell) packed with the slot, sorted by three
 * counting-sort passes (least significant digit first); then, in cell
 * order, each entry's slot, its single-precision point (below) and its
 * record (position, velocity, rho, q: one cache line), and the table of
 * occupied cells (key and first entry).
 *
 * Single-precision points. Entry e carries x, y, z rounded to float and the
 * radius r_e >= thr + slack + rho_e, so that a pair can be near only if
 * |p_f - p_e| <= r_e + r_f. Rounding each coordinate (|x| <= M) errs by at
 * most M 2^-24, the float difference by at most M 2^-22 per axis, so the
 * float norm is off by at most sqrt(3) M 2^-22 < M 2^-20 plus a relative
 * 2^-22 from the squares and sums (IEEE 754 rounding, a few ulps). Padding
 * r_e by M 2^-20 and a relative 2^-19 (above the 2^-24 rounding of r_e
 * itself and of r_e + r_f) makes the float test a relaxation of the double
 * one: it never drops a near pair.
 */
static void sort_cells(sample_ctx *sc, double cell_km)
{
    screen_ws *ws = sc->ws;
    size_t n = sc->nvalid;
    double inv = 1.0 / cell_km, big = 0;
    const double *x = SP(ws, 0), *y = SP(ws, 1), *z = SP(ws, 2);
    uint32_t *h = ws->hist;
    memset(h, 0, 3 * RADIX * sizeof *h);
    for (size_t s = 0; s < n; s++) {
        uint64_t key = (cell_of(x[s], inv) << (2 * RADIX_BITS)) |
                       (cell_of(y[s], inv) << RADIX_BITS) | cell_of(z[s], inv);
        ws->pk[s] = (key << SLOT_BITS) | (uint64_t)s;
        for (int d = 0; d < 3; d++)
            h[(size_t)d * RADIX + ((key >> (d * RADIX_BITS)) & (RADIX - 1))]++;
        double m = fmax(fabs(x[s]), fmax(fabs(y[s]), fabs(z[s])));
        big = m > big ? m : big;
    }
    for (int d = 0; d < 3; d++) {
        uint32_t sum = 0, *hd = h + (size_t)d * RADIX;
        for (size_t b = 0; b < RADIX; b++) {
            uint32_t k = hd[b];
            hd[b] = sum;
            sum += k;
        }
    }
    uint64_t *src = ws->pk, *dst = ws->pk2;
    for (int d = 0; d < 3; d++) {
        uint32_t *hd = h + (size_t)d * RADIX;
        int shift = SLOT_BITS + d * RADIX_BITS;
        for (size_t s = 0; s < n; s++)
            dst[hd[(src[s] >> shift) & (RADIX - 1)]++] = src[s];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    const double *u = SP(ws, 3), *v = SP(ws, 4), *w = SP(ws, 5), *rho = SP(ws, 9), *q = SP(ws, 10);
    double pad = sc->c->thr_km + SCREEN_SLACK_KM + big * 0x1p-20, grow = 1.0 + 0x1p-19;
    size_t m = 0;
    uint64_t last = UINT64_MAX;
    for (size_t e = 0; e < n; e++) {
        uint32_t s = (uint32_t)(src[e] & (((uint64_t)1 << SLOT_BITS) - 1));
        uint64_t key = src[e] >> SLOT_BITS;
        if (key != last) {
            ws->skey[m] = key;
            ws->cstart[m++] = (uint32_t)e;
            last = key;
        }
        ws->sslot[e] = s;
        float *pt = ws->pts + 4 * e;
        pt[0] = (float)x[s];
        pt[1] = (float)y[s];
        pt[2] = (float)z[s];
        pt[3] = (float)((pad + rho[s]) * grow);
        double *rec = ws->rec + 8 * e;
        rec[0] = x[s];
        rec[1] = y[s];
        rec[2] = z[s];
        rec[3] = u[s];
        rec[4] = v[s];
        rec[5] = w[s];
        rec[6] = rho[s];
        rec[7] = q[s];
    }
    /* A sentinel cell past every key ends each walk of the sweep without a bounds test. */
    ws->skey[m] = UINT64_MAX;
    ws->cstart[m] = ws->cstart[m + 1] = (uint32_t)n;
    ws->ncells = m;
}

/*
 * The linear test with the per-object pads: min over |s| <= eta of
 * |D + W s|^2 <= L^2, without a division. With f(s) = |D|^2 + 2 s D.W +
 * s^2 |W|^2, the minimum is |D|^2 - (D.W)^2 / |W|^2 when |D.W| <= eta |W|^2,
 * else f at the end -sign(D.W) eta.
 */
int screen_linear_meets(double dx, double dy, double dz, double wx, double wy, double wz,
                        double eta, double lim)
{
    double dd = dx * dx + dy * dy + dz * dz, dw = dx * wx + dy * wy + dz * wz;
    double ww = wx * wx + wy * wy + wz * wz, adw = fabs(dw), ll = lim * lim;
    if (adw <= eta * ww)
        return dd * ww - dw * dw <= ll * ww;
    return dd - 2.0 * eta * adw + eta * eta * ww <= ll;
}

/* Key offsets of the four forward columns (0,1), (1,-1), (1,0), (1,1). */
static const uint64_t forward_column[4] = {RADIX, (uint64_t)RADIX *RADIX - RADIX,
                                           (uint64_t)RADIX *RADIX, (uint64_t)RADIX *RADIX + RADIX};

/*
 * Entry e against the entries [from, to): those within the float reach
 * r_e + r_f go to ws->cand, without a branch; returns the new count.
 */
static inline __attribute__((always_inline)) size_t
reach_entries(const float *pts, size_t e, size_t from, size_t to, uint32_t *cand, size_t nc)
{
    float ex = pts[4 * e], ey = pts[4 * e + 1], ez = pts[4 * e + 2], er = pts[4 * e + 3];
    for (size_t f = from; f < to; f++) {
        const float *p = pts + 4 * f;
        float dx = p[0] - ex, dy = p[1] - ey, dz = p[2] - ez, lim = er + p[3];
        cand[nc] = (uint32_t)f;
        nc += dx * dx + dy * dy + dz * dz <= lim * lim;
    }
    return nc;
}

/*
 * The pairs (e, f) of ws->cand: the double-precision reach test thr +
 * rho_e + rho_f, then the linear test with the pad bounded per object (q =
 * eps + |p''| eta^2 / 2 + |d| eta^3, so that R + P <= thr + q_e + q_f), and
 * the pairs that pass it the exact test.
 */
static void near_entries(sample_ctx *sc, size_t e, size_t nc)
{
    screen_ws *ws = sc->ws;
    double base = sc->c->thr_km + SCREEN_SLACK_KM;
    const double *ra = ws->rec + 8 * e;
    for (size_t k = 0; k < nc; k++) {
        const double *rb = ws->rec + 8 * (size_t)ws->cand[k];
        double dx = rb[0] - ra[0], dy = rb[1] - ra[1], dz = rb[2] - ra[2];
        double lim = base + ra[6] + rb[6];
        if (dx * dx + dy * dy + dz * dz > lim * lim)
            continue;
        ws->near++;
        if (screen_linear_meets(dx, dy, dz, rb[3] - ra[3], rb[4] - ra[4], rb[5] - ra[5], sc->eta,
                                base + ra[7] + rb[7]))
            test_pair(sc, ws->sslot[e], ws->sslot[ws->cand[k]]);
    }
}

/*
 * The sweep over the occupied cells in key order. For cell A (key k) the
 * later entries that can be near its own are: the rest of A, the cell k + 1
 * (z + 1 of the same column) and, in each of the four forward columns, the
 * cells z - 1 .. z + 1, one contiguous run of entries whose first cell only
 * moves forward with k (a pointer per column into the cell table) and that
 * spans at most three cells. The runs are found once per cell, with steps
 * that compare instead of branching (the sentinel key ends every walk),
 * then every entry of A is tested against them.
 */
static void sweep_cells(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    size_t m = ws->ncells, at[4] = {0, 0, 0, 0};
    const uint64_t *key = ws->skey;
    const uint32_t *start = ws->cstart;
    const float *pts = ws->pts;
    for (size_t c = 0; c < m; c++) {
        uint64_t k = key[c];
        size_t from[5], to[5];
        from[0] = start[c + 1];
        to[0] = key[c + 1] == k + 1 ? start[c + 2] : start[c + 1];
        for (int o = 0; o < 4; o++) {
            uint64_t lo = k + forward_column[o] - 1;
            size_t a = at[o];
            a += key[a] < lo;
            a += key[a] < lo;
            while (key[a] < lo)
                a++;
            at[o] = a;
            size_t b = a;
            b += key[b] <= lo + 2;
            b += key[b] <= lo + 2;
            b += key[b] <= lo + 2;
            from[o + 1] = start[a];
            to[o + 1] = start[b];
        }
        for (size_t e = start[c]; e < start[c + 1]; e++) {
            size_t nc = reach_entries(pts, e, e + 1, start[c + 1], ws->cand, 0);
            for (int r = 0; r < 5; r++)
                nc = reach_entries(pts, e, from[r], to[r], ws->cand, nc);
            if (nc)
                near_entries(sc, e, nc);
        }
    }
}

/*
 * The objects valid over interval kk (both ends propagated), with their
 * bounds `eps`, taken in ws->order: the cell order of the last sample this
 * workspace sieved, so that objects close in space are close in memory and
 * the sweep's accesses by slot stay in cache (objects move less than a cell
 * between samples). The order changes no result.
 */
static size_t valid_slots(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws,
                          const double *eps)
{
    size_t np = c->np, nvalid = 0;
    const uint8_t *c0 = b->code + kk * np, *c1 = c0 + np;
    for (size_t k = 0; k < np; k++) {
        uint32_t p = ws->order[k];
        ws->valid[nvalid] = p;
        nvalid += !c0[p] && !c1[p];
    }
    for (size_t s = 0; s < nvalid; s++)
        ws->eps[s] = eps[c->map[ws->valid[s]]];
    return nvalid;
}

/*
 * ws->order from the cell order of the last sample, then the objects that
 * were not valid (written without a branch: the slot after the last one
 * may be written, hence np + 1 in both order arrays).
 */
static void keep_order(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws,
                       size_t nvalid)
{
    size_t np = c->np, at = 0;
    const uint8_t *c0 = b->code + kk * np, *c1 = c0 + np;
    for (size_t e = 0; e < nvalid; e++)
        ws->order2[at++] = ws->valid[ws->sslot[e]];
    for (size_t k = 0; k < np; k++) {
        uint32_t p = ws->order[k];
        ws->order2[at] = p;
        at += c0[p] || c1[p];
    }
    uint32_t *t = ws->order;
    ws->order = ws->order2;
    ws->order2 = t;
}

size_t screen_sieve_prepare(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws,
                            double tau_s, double eta_s)
{
    size_t nvalid = valid_slots(c, b, kk, ws, c->eps_coarse_km);
    sample_ctx sc = {c, b, kk, nvalid, eta_s, tau_s, ws};
    interval_planes(&sc);
    sample_states(&sc);
    return nvalid;
}

void screen_sieve_interval(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws)
{
    size_t nvalid = valid_slots(c, b, kk, ws, c->eps_km);
    sample_ctx sc = {c, b, kk, nvalid, 0.5 * c->step_s / c->samples, 0, ws};
    interval_planes(&sc);
    for (int s = 0; s < c->samples; s++) {
        sc.tau_s = (2 * s + 1) * sc.eta;
        double rho_max = sample_states(&sc);
        sort_cells(&sc, c->thr_km + SCREEN_SLACK_KM + 2.0 * rho_max);
        sweep_cells(&sc);
    }
    keep_order(c, b, kk, ws, nvalid);
}
