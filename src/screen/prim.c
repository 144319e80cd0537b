/*
 * prim.c — primaries mode: each primary against every secondary, with
 * cheap per-pair tests and no spatial hashing.
 *
 * The grid is coarse (step G, default 600 s). Per grid interval and
 * primary, one vector loop tests every valid secondary with the linear test
 * of sieve.c over the whole interval, centre tau_c = G/2, eta = G/2, with
 * the exact relative derivatives of the two Hermite cubics:
 *     min_{|s| <= eta} |D + W s| <= thr + eps_p + eps_s + P,
 *     P = |d''(tau_c)| eta^2 / 2 + |d'''| eta^3 / 6
 * (the Taylor expansion of the relative cubic about tau_c is exact, and
 * SGP4 stays within eps of each cubic, eps the bound of band.c on step G).
 * A pair that fails it cannot come within the threshold in the interval.
 *
 * The few pairs that pass get a fine search: both objects from the scalar
 * SGP4 at m + 1 instants (m = ceil(G / 60 s), step g = G / m; the
 * primary's are computed once per interval), cubic Hermite on each fine
 * step with the bound eps on g, the same linear test per fine step, and the
 * interpolated minima of sieve.c. A fine instant where SGP4 fails drops
 * its two fine steps (as the grid drops an object at an instant where it
 * fails). Not for: all-on-all (sieve.c).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include "apsco/orbit.h"
#include "screen/internal.h"

/* Fine states of satellite i over interval [t0, t0 + G]: 6 per instant, code per instant. */
static void fine_states(const screen_ctx *c, size_t i, double t0_s, size_t m, double *st,
                        uint8_t *code)
{
    for (size_t k = 0; k <= m; k++) {
        double t = t0_s + (double)k * c->fine_s;
        code[k] = (uint8_t)apsco_sgp4(&c->sats[i], NULL, screen_tsince_min(c, i, t), st + 6 * k,
                                      st + 6 * k + 3);
    }
}

/* Relative Hermite cubic of j about i on fine step k (states 6 per instant). */
static void fine_relpoly(const double *si, const double *sj, size_t k, double g, screen_relpoly *q)
{
    const double *a0 = si + 6 * k, *a1 = a0 + 6, *b0 = sj + 6 * k, *b1 = b0 + 6;
    for (int r = 0; r < 3; r++) {
        double x0 = b0[r] - a0[r], x1 = b1[r] - a1[r];
        double u0 = b0[3 + r] - a0[3 + r], u1 = b1[3 + r] - a1[3 + r];
        q->a[r] = x0;
        q->b[r] = u0;
        q->c[r] = (3.0 * (x1 - x0) / g - 2.0 * u0 - u1) / g;
        q->d[r] = (2.0 * (x0 - x1) / g + u0 + u1) / (g * g);
    }
}

/* The fine search of primary i and secondary j over the interval starting at t0_s. */
static void fine_search(const screen_ctx *c, screen_ws *ws, size_t i, size_t j, double t0_s)
{
    size_t m = (size_t)llround(c->step_s / c->fine_s);
    double *si = ws->fine, *sj = ws->fine + 6 * (m + 1);
    uint8_t *ci = (uint8_t *)(ws->fine + 12 * (m + 1)), *cj = ci + m + 1;
    if (ws->fine_slot != i || ws->fine_k != (size_t)llround(t0_s / c->step_s)) {
        fine_states(c, i, t0_s, m, si, ci);
        ws->fine_slot = i;
        ws->fine_k = (size_t)llround(t0_s / c->step_s);
    }
    fine_states(c, j, t0_s, m, sj, cj);
    double g = c->fine_s, eta = 0.5 * g;
    double reach = c->thr_km + c->eps_km[i] + c->eps_km[j] + SCREEN_SLACK_KM;
    for (size_t k = 0; k < m; k++) {
        if (ci[k] || ci[k + 1] || cj[k] || cj[k + 1])
            continue;
        screen_relpoly q;
        fine_relpoly(si, sj, k, g, &q);
        double D[3], W[3], A[3], J[3];
        for (int r = 0; r < 3; r++) {
            D[r] = q.a[r] + eta * (q.b[r] + eta * (q.c[r] + eta * q.d[r]));
            W[r] = q.b[r] + eta * (2.0 * q.c[r] + 3.0 * eta * q.d[r]);
            A[r] = 2.0 * q.c[r] + 6.0 * eta * q.d[r];
            J[r] = 6.0 * q.d[r];
        }
        double pad = sqrt(A[0] * A[0] + A[1] * A[1] + A[2] * A[2]) * eta * eta / 2.0 +
                     sqrt(J[0] * J[0] + J[1] * J[1] + J[2] * J[2]) * eta * eta * eta / 6.0;
        if (!screen_linear_meets(D[0], D[1], D[2], W[0], W[1], W[2], eta, reach + pad))
            continue;
        ws->windows++;
        screen_window_search(c, &q, reach, t0_s + (double)k * g, (uint32_t)i, (uint32_t)j, ws, 0.0,
                             g);
    }
}

/* The coarse test of slots sp (the primary) and s; see the top of the file. */
static int coarse_meets(const screen_ctx *c, screen_ws *ws, size_t sp, size_t s, double eta)
{
    double D[3], W[3], A[3], J[3];
    for (int k = 0; k < 3; k++) {
        D[k] = SCREEN_SP(ws, k)[s] - SCREEN_SP(ws, k)[sp];
        W[k] = SCREEN_SP(ws, 3 + k)[s] - SCREEN_SP(ws, 3 + k)[sp];
        A[k] = SCREEN_SP(ws, 6 + k)[s] - SCREEN_SP(ws, 6 + k)[sp];
        J[k] = SCREEN_HP(ws, 9 + k)[s] - SCREEN_HP(ws, 9 + k)[sp];
    }
    /* The jerk term: |6 (d_s - d_p)| eta^3 / 6. */
    double lim = c->thr_km + SCREEN_SLACK_KM + ws->eps[sp] + ws->eps[s] +
                 sqrt(A[0] * A[0] + A[1] * A[1] + A[2] * A[2]) * eta * eta / 2.0 +
                 sqrt(J[0] * J[0] + J[1] * J[1] + J[2] * J[2]) * eta * eta * eta;
    return screen_linear_meets(D[0], D[1], D[2], W[0], W[1], W[2], eta, lim);
}

void screen_primaries_interval(const screen_ctx *c, const screen_block *b, size_t kk, screen_ws *ws)
{
    double eta = 0.5 * c->step_s;
    size_t n = screen_sieve_prepare(c, b, kk, ws, eta, eta);
    double t0 = (double)(b->k0 + kk) * c->step_s;
    for (size_t p = 0; p < c->np; p++)
        ws->slot_of[p] = UINT32_MAX;
    for (size_t s = 0; s < n; s++)
        ws->slot_of[ws->valid[s]] = (uint32_t)s;
    for (size_t sp = 0; sp < n; sp++) {
        size_t pp = ws->valid[sp];
        for (uint32_t k = c->plist_at[pp]; k < c->plist_at[pp + 1]; k++) {
            uint32_t s = ws->slot_of[c->plist[k]];
            if (s == UINT32_MAX || !coarse_meets(c, ws, sp, s, eta))
                continue;
            ws->near++;
            fine_search(c, ws, c->map[pp], c->map[c->plist[k]], t0);
        }
    }
}
