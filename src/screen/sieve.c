/*
 * sieve.c — the spatial sieve over one grid interval, and the interpolated
 * local minima of the range in the windows it lets through.
 *
 * Between grid instants t_k and t_k + G each object follows the cubic
 * Hermite polynomial p(tau) = r0 + v0 tau + c tau^2 + d tau^3 of its states
 * at both ends; SGP4 stays within eps_i of it (band.c). The interval is cut
 * into `samples` windows of half-width eta centred on tau_s. For a pair with
 * relative polynomial d(tau), relative position D and velocity W at tau_s,
 * Taylor's theorem with the integral remainder gives, for |tau - tau_s| <= eta,
 *     |d(tau) - (D + W (tau - tau_s))| <= A eta^2 / 2,
 *     A = |d''(tau_s)| + |d'''| eta      (d'' is linear in tau),
 * so the window can hold a range below R = thr + eps_i + eps_j only if
 *     min_{|s| <= eta} |D + W s| <= R + A eta^2 / 2           (linear test)
 * and therefore only if |D| <= R + A eta^2/2 + |W| eta <= Dmax, with
 *     Dmax = thr + 2 eps_max + A_max eta^2 + 2 V_max eta,
 * V_max the largest speed and A_max the largest |p''| + |p'''| eta over the
 * objects at tau_s. Objects are hashed into cubic cells of side Dmax; two
 * objects within Dmax of each other lie in the same or adjacent cells, and
 * each unordered pair of adjacent cells is visited once (13 forward
 * neighbours and the cell itself). Nothing within the threshold is lost.
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

int screen_ws_init(screen_ws *ws, size_t np)
{
    memset(ws, 0, sizeof *ws);
    size_t n = np ? np : 1, table = 1024;
    while (table < 2 * n)
        table <<= 1;
    ws->cap = n;
    ws->table = table;
    ws->coef = malloc(n * 6 * sizeof *ws->coef);
    ws->pv = malloc(n * 10 * sizeof *ws->pv);
    ws->valid = malloc(n * sizeof *ws->valid);
    ws->key = malloc(n * sizeof *ws->key);
    ws->bucket = malloc(n * sizeof *ws->bucket);
    ws->count = malloc((table + 1) * sizeof *ws->count);
    ws->sorted = malloc(n * sizeof *ws->sorted);
    ws->skey = malloc(n * sizeof *ws->skey);
    ws->spos = malloc(n * 3 * sizeof *ws->spos);
    return ws->coef && ws->pv && ws->valid && ws->key && ws->bucket && ws->count && ws->sorted &&
           ws->skey && ws->spos;
}

void screen_ws_free(screen_ws *ws)
{
    free(ws->coef);
    free(ws->pv);
    free(ws->valid);
    free(ws->key);
    free(ws->bucket);
    free(ws->count);
    free(ws->sorted);
    free(ws->skey);
    free(ws->spos);
    free(ws->out);
    memset(ws, 0, sizeof *ws);
}

static double norm3(double x, double y, double z)
{
    return sqrt(x * x + y * y + z * z);
}

/* ---- Relative polynomial of a pair -------------------------------------- */

typedef struct relpoly {
    double a[3], b[3], c[3], d[3]; /* d(tau) = a + b tau + c tau^2 + d tau^3 */
} relpoly;

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

/* ---- The sieve ----------------------------------------------------------- */

/* Per-sample data of object slot s: pos 0-2, vel 3-5, acc 6-8, A (|p''| + |p'''| eta) 9. */
#define PV(ws, s) ((ws)->pv + (size_t)(s)*10)

typedef struct sample_ctx {
    const screen_ctx *c;
    const screen_block *b;
    size_t kk; /* interval within the block */
    size_t nvalid;
    double eta, tau_s, dmax;
    screen_ws *ws;
} sample_ctx;

static uint64_t cell_key(int64_t ix, int64_t iy, int64_t iz)
{
    const int64_t off = (int64_t)1 << 20;
    return ((uint64_t)(ix + off) << 42) | ((uint64_t)(iy + off) << 21) | (uint64_t)(iz + off);
}

static uint32_t key_bucket(uint64_t key, size_t table)
{
    return (uint32_t)((key * 0x9E3779B97F4A7C15ull) >> 40) & (uint32_t)(table - 1);
}

/* The linear test, then the window search, for valid slots sa < or > sb. */
static void test_pair(sample_ctx *sc, size_t sa, size_t sb)
{
    const screen_ctx *c = sc->c;
    screen_ws *ws = sc->ws;
    const double *A = PV(ws, sa), *B = PV(ws, sb);
    double D[3] = {B[0] - A[0], B[1] - A[1], B[2] - A[2]};
    double d2 = D[0] * D[0] + D[1] * D[1] + D[2] * D[2];
    if (d2 > sc->dmax * sc->dmax)
        return;
    ws->near++;
    size_t pa = ws->valid[sa], pb = ws->valid[sb];
    uint32_t ia = c->map[pa], ib = c->map[pb];
    if (c->is_primary_p && !c->is_primary_p[pa] && !c->is_primary_p[pb])
        return;
    double W[3] = {B[3] - A[3], B[4] - A[4], B[5] - A[5]};
    double ww = W[0] * W[0] + W[1] * W[1] + W[2] * W[2];
    double s = ww > 0 ? -(D[0] * W[0] + D[1] * W[1] + D[2] * W[2]) / ww : 0.0;
    s = s < -sc->eta ? -sc->eta : (s > sc->eta ? sc->eta : s);
    double m = norm3(D[0] + W[0] * s, D[1] + W[1] * s, D[2] + W[2] * s);
    double reach = c->thr_km + c->eps_km[ia] + c->eps_km[ib] + SCREEN_SLACK_KM;
    double acc = norm3(B[6] - A[6], B[7] - A[7], B[8] - A[8]);
    const double *da = ws->coef + pa * 6 + 3, *db = ws->coef + pb * 6 + 3;
    double jerk = 6.0 * norm3(db[0] - da[0], db[1] - da[1], db[2] - da[2]);
    double arel = acc + jerk * sc->eta;
    if (m > reach + 0.5 * arel * sc->eta * sc->eta)
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

/* Positions, velocities and curvature of every valid object at tau_s; returns Dmax. */
static double sample_states(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    const screen_ctx *c = sc->c;
    double t = sc->tau_s, vmax = 0, amax = 0;
    for (size_t s = 0; s < sc->nvalid; s++) {
        size_t p = ws->valid[s];
        const double *cd = ws->coef + p * 6;
        const double *s0 = sc->b->state + sc->kk * 6 * c->np + p;
        double *o = PV(ws, s);
        for (int q = 0; q < 3; q++) {
            double r0 = s0[q * c->np], v0 = s0[(3 + q) * c->np];
            o[q] = r0 + t * (v0 + t * (cd[q] + t * cd[3 + q]));
            o[3 + q] = v0 + t * (2.0 * cd[q] + 3.0 * t * cd[3 + q]);
            o[6 + q] = 2.0 * cd[q] + 6.0 * t * cd[3 + q];
        }
        double v = norm3(o[3], o[4], o[5]);
        o[9] = norm3(o[6], o[7], o[8]) + 6.0 * norm3(cd[3], cd[4], cd[5]) * sc->eta;
        vmax = v > vmax ? v : vmax;
        amax = o[9] > amax ? o[9] : amax;
    }
    return c->thr_km + 2.0 * c->eps_max_km + SCREEN_SLACK_KM + amax * sc->eta * sc->eta +
           2.0 * vmax * sc->eta;
}

/* Counting sort of the valid slots into hashed buckets of their cells. */
static void build_cells(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    size_t table = ws->table;
    memset(ws->count, 0, (table + 1) * sizeof *ws->count);
    double inv = 1.0 / sc->dmax;
    for (size_t s = 0; s < sc->nvalid; s++) {
        const double *o = PV(ws, s);
        uint64_t key = cell_key((int64_t)floor(o[0] * inv), (int64_t)floor(o[1] * inv),
                                (int64_t)floor(o[2] * inv));
        ws->key[s] = key;
        ws->bucket[s] = key_bucket(key, table);
        ws->count[ws->bucket[s] + 1]++;
    }
    for (size_t b = 0; b < table; b++)
        ws->count[b + 1] += ws->count[b];
    for (size_t s = 0; s < sc->nvalid; s++) {
        uint32_t at = ws->count[ws->bucket[s]]++;
        ws->sorted[at] = (uint32_t)s;
        ws->skey[at] = ws->key[s];
    }
    /* count[b] is now the end of bucket b, i.e. the start of bucket b + 1: shift back. */
    memmove(ws->count + 1, ws->count, table * sizeof *ws->count);
    ws->count[0] = 0;
}

static const int forward[13][3] = {{1, -1, -1}, {1, -1, 0}, {1, -1, 1}, {1, 0, -1}, {1, 0, 0},
                                   {1, 0, 1},   {1, 1, -1}, {1, 1, 0},  {1, 1, 1},  {0, 1, -1},
                                   {0, 1, 0},   {0, 1, 1},  {0, 0, 1}};

static void key_coords(uint64_t key, int64_t *ix, int64_t *iy, int64_t *iz)
{
    const int64_t off = (int64_t)1 << 20, mask = ((int64_t)1 << 21) - 1;
    *ix = (int64_t)(key >> 42) - off;
    *iy = (int64_t)((key >> 21) & (uint64_t)mask) - off;
    *iz = (int64_t)(key & (uint64_t)mask) - off;
}

/* Every pair of a cell with itself and with its 13 forward neighbours. */
static void scan_cells(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    size_t table = ws->table;
    for (size_t b = 0; b < table; b++) {
        uint32_t b0 = ws->count[b], b1 = ws->count[b + 1];
        for (uint32_t e = b0; e < b1; e++) {
            uint64_t key = ws->skey[e];
            int first = 1;
            for (uint32_t f = b0; f < e && first; f++)
                first = ws->skey[f] != key;
            if (!first)
                continue;
            /* Pairs inside the cell. */
            for (uint32_t x = e; x < b1; x++) {
                if (ws->skey[x] != key)
                    continue;
                for (uint32_t y = x + 1; y < b1; y++)
                    if (ws->skey[y] == key)
                        test_pair(sc, ws->sorted[x], ws->sorted[y]);
            }
            int64_t ix, iy, iz;
            key_coords(key, &ix, &iy, &iz);
            for (int n = 0; n < 13; n++) {
                uint64_t nk = cell_key(ix + forward[n][0], iy + forward[n][1], iz + forward[n][2]);
                uint32_t nb = key_bucket(nk, table);
                uint32_t n0 = ws->count[nb], n1 = ws->count[nb + 1];
                for (uint32_t y = n0; y < n1; y++) {
                    if (ws->skey[y] != nk)
                        continue;
                    for (uint32_t x = e; x < b1; x++)
                        if (ws->skey[x] == key)
                            test_pair(sc, ws->sorted[x], ws->sorted[y]);
                }
            }
        }
    }
}

/* Primaries mode: each primary against the 27 cells around it. */
static void scan_primaries(sample_ctx *sc)
{
    screen_ws *ws = sc->ws;
    const screen_ctx *c = sc->c;
    size_t table = ws->table;
    for (size_t s = 0; s < sc->nvalid; s++) {
        size_t p = ws->valid[s];
        if (!c->is_primary_p[p])
            continue;
        int64_t ix, iy, iz;
        key_coords(ws->key[s], &ix, &iy, &iz);
        for (int dx = -1; dx <= 1; dx++)
            for (int dy = -1; dy <= 1; dy++)
                for (int dz = -1; dz <= 1; dz++) {
                    uint64_t nk = cell_key(ix + dx, iy + dy, iz + dz);
                    uint32_t nb = key_bucket(nk, table);
                    for (uint32_t y = ws->count[nb]; y < ws->count[nb + 1]; y++) {
                        size_t t = ws->sorted[y];
                        if (ws->skey[y] != nk || t == s)
                            continue;
                        /* A pair of two primaries is tested from the lower slot only. */
                        if (c->is_primary_p[ws->valid[t]] && t < s)
                            continue;
                        test_pair(sc, s, t);
                    }
                }
    }
}

void screen_sieve_interval(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws)
{
    size_t np = c->np, nvalid = 0;
    const uint8_t *c0 = b->code + kk * np, *c1 = c0 + np;
    for (size_t p = 0; p < np; p++) {
        if (c0[p] || c1[p])
            continue;
        double r0[3], v0[3];
        hermite_coef(b, np, kk, p, c->step_s, r0, v0, ws->coef + p * 6);
        ws->valid[nvalid++] = (uint32_t)p;
    }
    sample_ctx sc = {c, b, kk, nvalid, 0.5 * c->step_s / c->samples, 0, 0, ws};
    for (int s = 0; s < c->samples; s++) {
        sc.tau_s = (2 * s + 1) * sc.eta;
        sc.dmax = sample_states(&sc);
        build_cells(&sc);
        if (c->is_primary_p)
            scan_primaries(&sc);
        else
            scan_cells(&sc);
    }
}
