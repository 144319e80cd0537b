/*
 * band.c — the apogee/perigee filter and the per-object bounds the sieve
 * relies on.
 *
 * Radial band. |r(t)| is sampled with SGP4 at a step `h` (the grid step, or
 * a coarser one before propagating in primaries mode). Between two samples
 * |r| departs from the chord joining them by at most A_r h^2 / 8, A_r a
 * bound on |d^2|r|/dt^2| (the remainder of linear interpolation, e.g.
 * Atkinson, An Introduction to Numerical Analysis, eq. 3.1.11). For Kepler
 * motion d^2|r|/dt^2 = h^2/r^3 - mu/r^2 lies in [-mu e / r_a^2, mu e / r_p^2]
 * (Battin 1999, eq. 3.28: the radial equation); the J2 term adds at most
 * 3 J2 mu Re^2 / r^4 (the radial component of the zonal acceleration,
 * Vallado 2013 eq. 8-31, and its short-period echo in SGP4's radius is of
 * the same size). We take twice the sum: SGP4's drag and lunar-solar terms
 * are orders of magnitude smaller.
 *
 * Interpolation error. Cubic Hermite interpolation of a C^4 function on a
 * step G errs by at most max|r''''| G^4 / 384 (Atkinson eq. 3.6.16 with
 * t^2 (t - G)^2 / 4! <= G^4 / 384). For Kepler motion, with u = mu/r^3,
 * r'''' = -u'' r - 2 u' r' + u^2 r, and with |r'| <= v_p, |dr/dt| <= e
 * sqrt(mu/p), |d^2r/dt^2| <= mu e / r_p^2 one finds
 *     |r''''| <= (mu^2 / r_p^5) (1 + 9 e + 12 e^2 / (1 + e)),
 * which is r w^4 for a circular orbit. We take twice that with r_p lowered
 * by 3 % (SGP4's short-period terms and a week of drag move the perigee by
 * far less), plus a micrometre. tests/unit/test_screen.c checks the bound
 * against SGP4 on every object of the bundled catalog.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/orbit.h"
#include "screen/internal.h"

/* Sample step of the radial bands in primaries mode, before any grid exists. */
#define BAND_STEP_S 900.0

double screen_radial_accel_bound(const apsco_sat *s, double rmin_km, double rmax_km)
{
    double e = s->ecco;
    if (rmax_km > rmin_km && rmin_km > 0 && (rmax_km - rmin_km) / (rmax_km + rmin_km) > e)
        e = (rmax_km - rmin_km) / (rmax_km + rmin_km);
    double rp = rmin_km > 0.5 * SCREEN_RE_KM ? rmin_km : 0.5 * SCREEN_RE_KM;
    return 2.0 *
           (SCREEN_MU_KM3_S2 * e / (rp * rp) +
            3.0 * SCREEN_J2 * SCREEN_MU_KM3_S2 * SCREEN_RE_KM * SCREEN_RE_KM / (rp * rp * rp * rp));
}

/* The interpolation error bound of satellite `s` on a grid step `g_s`, km. */
/*
 * SGP4's velocity is not exactly the derivative of its position (the
 * lunar-solar periodics of SDP4, for one, are added to the position only).
 * Interpolating with end velocities off by dv adds dv * (|h1| + |h2|) <=
 * 8 G dv / 27 to the error (h1, h2 the cubic Hermite velocity basis, largest
 * at G/3 and 2G/3). dv is measured against a central difference of the
 * positions (step 0.5 s, whose own error is below 1e-9 km/s) at six instants
 * spread over a day, and doubled.
 */
static double velocity_mismatch_km_s(const apsco_sat *s)
{
    double worst = 0;
    for (int k = 0; k < 6; k++) {
        double t = 240.0 * k + 17.0, rm[3], rp[3], r[3], v[3], vm[3], vp[3];
        if (apsco_sgp4(s, NULL, t, r, v) || apsco_sgp4(s, NULL, t - 0.5 / 60.0, rm, vm) ||
            apsco_sgp4(s, NULL, t + 0.5 / 60.0, rp, vp))
            continue;
        double e = 0;
        for (int c = 0; c < 3; c++)
            e += (v[c] - (rp[c] - rm[c])) * (v[c] - (rp[c] - rm[c]));
        worst = sqrt(e) > worst ? sqrt(e) : worst;
    }
    return 2.0 * worst;
}

static double hermite_bound(const apsco_sat *s, double g_s, double dv_km_s)
{
    double e = s->ecco < 0 ? 0 : s->ecco;
    double rp = 0.97 * s->a * s->radiusearthkm * (1.0 - e);
    if (rp < 6000.0)
        rp = 6000.0;
    double rp2 = rp * rp;
    double b4 = SCREEN_MU_KM3_S2 * SCREEN_MU_KM3_S2 / (rp2 * rp2 * rp) *
                (1.0 + 9.0 * e + 12.0 * e * e / (1.0 + e));
    double g2 = g_s * g_s;
    return 2.0 * b4 * g2 * g2 / 384.0 + 8.0 * g_s * dv_km_s / 27.0 + 1e-6;
}

double screen_hermite_bound_km(const apsco_sat *s, double g_s)
{
    return hermite_bound(s, g_s, velocity_mismatch_km_s(s));
}

/* Instants of the radial bands propagated at once (a few MiB of states per thousand objects). */
#define BAND_BLOCK 24

/*
 * Radial bands of every usable satellite, |r| sampled every BAND_STEP_S
 * over the span by the batch engine, padded as above; an object that SGP4
 * refuses at some sample may have decayed in between: its band reaches
 * down to the surface. Objects with no sample at all become unusable.
 */
static apsco_status sample_bands(screen_ctx *c, apsco_error *err)
{
    size_t n = c->n, steps = (size_t)ceil(c->span_s / BAND_STEP_S);
    double h = c->span_s / (double)steps;
    apsco_fleet *fleet = NULL;
    double *state = malloc((n ? n : 1) * 6 * BAND_BLOCK * sizeof *state);
    uint8_t *code = malloc((n ? n : 1) * BAND_BLOCK);
    unsigned char *errors = calloc(n ? n : 1, 1);
    apsco_status rc = state && code && errors
                          ? apsco_fleet_new(&fleet, c->sats, n, err)
                          : apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t k0 = 0; rc == APSCO_OK && k0 <= steps; k0 += BAND_BLOCK) {
        size_t m = steps + 1 - k0 < BAND_BLOCK ? steps + 1 - k0 : BAND_BLOCK;
        rc = screen_fleet_fill(fleet, apsco_time_add_s(c->opt.start, (double)k0 * h), h, m,
                               c->threads, state, code, err);
        for (size_t k = 0; rc == APSCO_OK && k < m; k++) {
            const double *x = state + k * 6 * n, *y = x + n, *z = y + n;
            const uint8_t *ck = code + k * n;
            for (size_t i = 0; i < n; i++) {
                if (ck[i]) {
                    errors[i] = 1;
                    continue;
                }
                double rr = sqrt(x[i] * x[i] + y[i] * y[i] + z[i] * z[i]);
                c->rmin_km[i] = rr < c->rmin_km[i] ? rr : c->rmin_km[i];
                c->rmax_km[i] = rr > c->rmax_km[i] ? rr : c->rmax_km[i];
            }
        }
    }
    for (size_t i = 0; rc == APSCO_OK && i < n; i++) {
        double lo = c->rmin_km[i], hi = c->rmax_km[i];
        if (!c->usable[i] || !(lo <= hi)) {
            c->usable[i] = 0;
            continue;
        }
        double pad = screen_radial_accel_bound(&c->sats[i], lo, hi) * h * h / 8.0;
        c->rmin_km[i] = errors[i] ? (lo - pad < SCREEN_RE_KM ? lo - pad : SCREEN_RE_KM) : lo - pad;
        c->rmax_km[i] = hi + pad;
    }
    apsco_fleet_free(fleet);
    free(state);
    free(code);
    free(errors);
    return rc;
}

static int bands_meet(const screen_ctx *c, size_t a, size_t b)
{
    return c->rmin_km[b] <= c->rmax_km[a] + c->thr_km && c->rmin_km[a] <= c->rmax_km[b] + c->thr_km;
}

/* Whether the pair (primary i, j) is screened: j another object, or a later primary. */
static int screened_pair(const screen_ctx *c, size_t i, size_t j)
{
    return i != j && !(c->primary[j] && j < i);
}

/*
 * Primaries mode: bands of everything, then keep the primaries and the
 * secondaries that some primary can meet, and per primary the list of the
 * objects (compact indices) whose bands come within the threshold of its own.
 */
static apsco_status select_primaries_mode(screen_ctx *c, apsco_screen_stats *st, apsco_error *err)
{
    uint64_t pairs = 0, total = 0;
    size_t np = 0, nprim = 0;
    uint32_t *prim = malloc((c->n ? c->n : 1) * sizeof *prim);
    uint32_t *cidx = malloc((c->n ? c->n : 1) * sizeof *cidx);
    c->plist_at = calloc(c->n + 1, sizeof *c->plist_at);
    if (!prim || !cidx || !c->plist_at) {
        free(prim);
        free(cidx);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < c->n; i++)
        if (c->primary[i])
            prim[nprim++] = (uint32_t)i;
    for (size_t j = 0; j < c->n; j++) {
        int keep = c->usable[j] && c->primary[j];
        for (size_t k = 0; k < nprim; k++) {
            size_t i = prim[k];
            if (!screened_pair(c, i, j))
                continue;
            total++;
            if (c->usable[i] && c->usable[j] && bands_meet(c, i, j)) {
                pairs++;
                keep = 1;
            }
        }
        cidx[j] = (uint32_t)np;
        if (keep)
            c->map[np++] = (uint32_t)j;
    }
    c->np = np;
    c->plist = malloc((pairs ? pairs : 1) * sizeof *c->plist);
    if (!c->plist) {
        free(prim);
        free(cidx);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    size_t at = 0;
    for (size_t p = 0; p < np; p++) {
        size_t i = c->map[p];
        c->plist_at[p] = (uint32_t)at;
        if (!c->primary[i])
            continue;
        for (size_t q = 0; q < np; q++) {
            size_t j = c->map[q];
            if (screened_pair(c, i, j) && c->usable[i] && bands_meet(c, i, j))
                c->plist[at++] = cidx[j];
        }
    }
    c->plist_at[np] = (uint32_t)at;
    free(prim);
    free(cidx);
    st->pairs_total = total;
    st->pairs_apogee_perigee = pairs;
    return APSCO_OK;
}

/* Interpolation bounds of the propagated objects, on the fine and the grid step. */
static void object_bounds(screen_ctx *c)
{
    long long np = (long long)c->np;
#pragma omp parallel for schedule(dynamic, 64) num_threads(c->threads)
    for (long long p = 0; p < np; p++) {
        size_t i = c->map[p];
        double dv = velocity_mismatch_km_s(&c->sats[i]);
        c->eps_km[i] = hermite_bound(&c->sats[i], c->fine_s, dv);
        c->eps_coarse_km[i] =
            c->fine_s == c->step_s ? c->eps_km[i] : hermite_bound(&c->sats[i], c->step_s, dv);
    }
    c->eps_max_km = 0;
    for (size_t p = 0; p < c->np; p++)
        if (c->eps_coarse_km[c->map[p]] > c->eps_max_km)
            c->eps_max_km = c->eps_coarse_km[c->map[p]];
}

apsco_status screen_bands(screen_ctx *c, apsco_screen_stats *st, apsco_error *err)
{
    for (size_t i = 0; i < c->n; i++) {
        c->usable[i] = c->sats[i].init_error == 0;
        c->eps_km[i] = c->eps_coarse_km[i] = 0;
        c->rmin_km[i] = INFINITY;
        c->rmax_km[i] = -INFINITY;
    }
    if (c->primary) {
        apsco_status rc = sample_bands(c, err);
        if (rc != APSCO_OK)
            return rc;
        rc = select_primaries_mode(c, st, err);
        if (rc != APSCO_OK)
            return rc;
    } else {
        size_t np = 0;
        for (size_t i = 0; i < c->n; i++)
            if (c->usable[i])
                c->map[np++] = (uint32_t)i;
        c->np = np;
        st->pairs_total = (uint64_t)c->n * (uint64_t)(c->n - (c->n > 0)) / 2;
    }
    object_bounds(c);
    return APSCO_OK;
}

void screen_band_update_from_block(screen_ctx *c, const screen_block *b, double *rmin_p,
                                   double *rmax_p)
{
    size_t np = c->np;
    for (size_t k = 0; k < b->instants; k++) {
        const double *x = b->state + k * 6 * np, *y = x + np, *z = y + np;
        const uint8_t *code = b->code + k * np;
        for (size_t p = 0; p < np; p++) {
            if (code[p])
                continue;
            double rr = sqrt(x[p] * x[p] + y[p] * y[p] + z[p] * z[p]);
            rmin_p[p] = rr < rmin_p[p] ? rr : rmin_p[p];
            rmax_p[p] = rr > rmax_p[p] ? rr : rmax_p[p];
        }
    }
    (void)c;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* All-on-all: pairs whose bands come within the threshold, by sorting on the lower edge. */
uint64_t screen_count_band_pairs(const screen_ctx *c)
{
    size_t m = 0;
    double(*iv)[2] = malloc(c->n * sizeof *iv);
    if (!iv)
        return 0;
    for (size_t i = 0; i < c->n; i++) {
        if (c->usable[i] && c->rmin_km[i] <= c->rmax_km[i]) {
            iv[m][0] = c->rmin_km[i];
            iv[m][1] = c->rmax_km[i];
            m++;
        }
    }
    qsort(iv, m, sizeof *iv, cmp_double);
    uint64_t pairs = 0;
    for (size_t a = 0; a < m; a++) {
        double reach = iv[a][1] + c->thr_km;
        size_t lo = a + 1, hi = m;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (iv[mid][0] <= reach)
                lo = mid + 1;
            else
                hi = mid;
        }
        pairs += lo - (a + 1);
    }
    free(iv);
    return pairs;
}
