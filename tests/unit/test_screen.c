/*
 * test_screen.c — conjunction screening against a brute-force reference,
 * the interpolation bound, the collision probability against numerical
 * integration, the miss geometry and the CCSDS CDM writer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/elements.h"
#include "apsco/export.h"
#include "apsco/orbit.h"
#include "apsco/screen.h"
#include "apsco/synth.h"
#include "screen/internal.h"
#include "testutil.h"

static apsco_time t_start(void)
{
    apsco_time t;
    assert_int_equal(apsco_time_parse_iso("2026-03-19T00:00:00Z", &t, NULL), APSCO_OK);
    return t;
}

static apsco_sat *init_all(const apsco_catalog *cat)
{
    apsco_sat *s = calloc(cat->count, sizeof *s);
    assert_non_null(s);
    for (size_t i = 0; i < cat->count; i++)
        apsco_sat_init(&s[i], &cat->items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
    return s;
}

/* ---- Brute-force reference ------------------------------------------------ */

typedef struct ref_event {
    size_t i, j;
    double t_s, miss_km;
} ref_event;

/* Position of b relative to a (TEME, km) t_s seconds after t0. */
static void separation_at(const apsco_sat *a, const apsco_sat *b, apsco_time t0, double t_s,
                          double d[3])
{
    double r1[3], v1[3], r2[3], v2[3];
    apsco_sgp4_at(a, NULL, apsco_time_add_s(t0, t_s), r1, v1);
    apsco_sgp4_at(b, NULL, apsco_time_add_s(t0, t_s), r2, v2);
    for (int c = 0; c < 3; c++)
        d[c] = r2[c] - r1[c];
}

static double norm3(const double d[3])
{
    return sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
}

static double range_at(const apsco_sat *a, const apsco_sat *b, apsco_time t0, double t_s)
{
    double d[3];
    separation_at(a, b, t0, t_s, d);
    return norm3(d);
}

/* Range-rate from positions alone: d(t) . (d(t + 0.5) - d(t - 0.5)). */
static double rate_at(const apsco_sat *a, const apsco_sat *b, apsco_time t0, double t_s)
{
    double d[3][3];
    for (int k = 0; k < 3; k++)
        separation_at(a, b, t0, t_s + 0.5 * (k - 1), d[k]);
    return d[1][0] * (d[2][0] - d[0][0]) + d[1][1] * (d[2][1] - d[0][1]) +
           d[1][2] * (d[2][2] - d[0][2]);
}

/*
 * The minimum of the SGP4 range on [a, b], to 1 us: bisection on the
 * range-rate when it changes sign there (a flat minimum leaves the range
 * itself constant to the last bit over milliseconds), else golden section.
 */
static double refine_min(const apsco_sat *p, const apsco_sat *q, apsco_time t0, double a, double b,
                         double *miss)
{
    double ga = rate_at(p, q, t0, a), gb = rate_at(p, q, t0, b);
    if (ga < 0 && gb > 0) {
        while (b - a > 1e-6) {
            double m = 0.5 * (a + b);
            if (rate_at(p, q, t0, m) < 0)
                a = m;
            else
                b = m;
        }
        *miss = range_at(p, q, t0, 0.5 * (a + b));
        return 0.5 * (a + b);
    }
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    double x1 = b - g * (b - a), x2 = a + g * (b - a);
    double f1 = range_at(p, q, t0, x1), f2 = range_at(p, q, t0, x2);
    while (b - a > 1e-6) {
        if (f1 < f2) {
            b = x2, x2 = x1, f2 = f1, x1 = b - g * (b - a), f1 = range_at(p, q, t0, x1);
        } else {
            a = x1, x1 = x2, f1 = f2, x2 = a + g * (b - a), f2 = range_at(p, q, t0, x2);
        }
    }
    *miss = range_at(p, q, t0, 0.5 * (a + b));
    return 0.5 * (a + b);
}

/*
 * Every local minimum of the range below `thr` for every pair: positions each
 * second from the scalar SGP4, local minima of the samples below thr plus 20 km
 * (16 km/s for one second, with room), refined on [k-1, k+1] s.
 */
static ref_event *brute_force(const apsco_sat *s, size_t n, apsco_time t0, long span_s, double thr,
                              size_t *count)
{
    size_t ns = (size_t)span_s + 1;
    double *pos = malloc(n * ns * 3 * sizeof *pos);
    assert_non_null(pos);
    for (size_t i = 0; i < n; i++)
        for (size_t k = 0; k < ns; k++) {
            double v[3];
            apsco_sgp4_at(&s[i], NULL, apsco_time_add_s(t0, (double)k), pos + (i * ns + k) * 3, v);
        }
    size_t cap = 1024, m = 0;
    ref_event *ev = malloc(cap * sizeof *ev);
    double *r = malloc(ns * sizeof *r);
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++) {
            for (size_t k = 0; k < ns; k++) {
                const double *a = pos + (i * ns + k) * 3, *b = pos + (j * ns + k) * 3;
                double d[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
                r[k] = norm3(d);
            }
            for (size_t k = 1; k + 1 < ns; k++) {
                if (!(r[k] < r[k - 1] && r[k] <= r[k + 1] && r[k] < thr + 20.0))
                    continue;
                double miss, t = refine_min(&s[i], &s[j], t0, (double)k - 1, (double)k + 1, &miss);
                if (miss > thr)
                    continue;
                if (m == cap)
                    ev = realloc(ev, (cap *= 2) * sizeof *ev);
                ev[m++] = (ref_event){i, j, t, miss};
            }
        }
    free(r);
    free(pos);
    *count = m;
    return ev;
}

/* ---- The crowded subset ----------------------------------------------------- */

/*
 * Builds an element set meeting `base` by symmetry: near-Earth SGP4 commutes
 * with rotations about z, and an epoch shift delays the whole trajectory, so
 * the copy rotated by dnode with its epoch moved by dt follows
 * Rz(dnode) r(t - dt). Chosen so that Rz(dnode) r(t' ) lands near r(t*),
 * with t' on the other side of the latitude maximum, the two cross near
 * t* at a miss known from r alone.
 */
static double z_at(const apsco_sat *s, apsco_time t0, double t_s)
{
    double r[3], v[3];
    apsco_sgp4_at(s, NULL, apsco_time_add_s(t0, t_s), r, v);
    return r[2];
}

static void build_encounter(const apsco_elset *base, apsco_time t0, double t_star_s,
                            double offset_s, apsco_elset *copy, double *tca_s, double *miss_km)
{
    apsco_sat s;
    assert_int_equal(apsco_sat_init(&s, base, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL), APSCO_OK);
    double p[3], v[3], q[3], w[3];
    apsco_sgp4_at(&s, NULL, apsco_time_add_s(t0, t_star_s), p, v);
    /* t': the same height z on the way back from the latitude maximum, then offset. */
    double z0 = p[2], a = t_star_s + 60.0;
    while ((z_at(&s, t0, a) - z0) * (z_at(&s, t0, a + 1.0) - z0) > 0)
        a += 1.0;
    double b = a + 1.0;
    while (b - a > 1e-7) {
        double m = 0.5 * (a + b);
        if ((z_at(&s, t0, a) - z0) * (z_at(&s, t0, m) - z0) <= 0)
            b = m;
        else
            a = m;
    }
    double t_prime_s = 0.5 * (a + b) + offset_s;
    apsco_sgp4_at(&s, NULL, apsco_time_add_s(t0, t_prime_s), q, w);
    double dnode = atan2(p[1], p[0]) - atan2(q[1], q[0]);
    double c = cos(dnode), sn = sin(dnode);
    double q2[3] = {c * q[0] - sn * q[1], sn * q[0] + c * q[1], q[2]};
    double w2[3] = {c * w[0] - sn * w[1], sn * w[0] + c * w[1], w[2]};
    *copy = *base;
    copy->norad = 99990;
    copy->raan_rad = fmod(base->raan_rad + dnode + 4.0 * M_PI, 2.0 * M_PI);
    double dt = t_star_s - t_prime_s;
    copy->epoch = apsco_time_add_s(base->epoch, dt);
    copy->epoch_day += dt / 86400.0;
    /* Linear relative motion over the few milliseconds between t* and the TCA. */
    double d[3] = {q2[0] - p[0], q2[1] - p[1], q2[2] - p[2]};
    double u[3] = {w2[0] - v[0], w2[1] - v[1], w2[2] - v[2]};
    double uu = u[0] * u[0] + u[1] * u[1] + u[2] * u[2];
    double tau = -(d[0] * u[0] + d[1] * u[1] + d[2] * u[2]) / uu;
    *tca_s = t_star_s + tau;
    *miss_km =
        sqrt((d[0] + u[0] * tau) * (d[0] + u[0] * tau) + (d[1] + u[1] * tau) * (d[1] + u[1] * tau) +
             (d[2] + u[2] * tau) * (d[2] + u[2] * tau));
}

/* crowd.tle, 40 same-shell copies of its Starlink, 15 crossing copies of its polar object. */
static void crowd_catalog(apsco_catalog *cat)
{
    assert_int_equal(apsco_catalog_load(test_data_path("screen/crowd.tle"), NULL, cat, NULL),
                     APSCO_OK);
    size_t n = cat->count;
    apsco_catalog shell = {0}, polar = {0};
    apsco_catalog_append(&shell, &cat->items[n - 2]);
    apsco_catalog_append(&polar, &cat->items[n - 1]);
    apsco_synth_options o = {40, 7, 90000, 0.0};
    assert_int_equal(apsco_catalog_synthesize(&shell, &o, cat, NULL), APSCO_OK);
    o.count = 15;
    o.seed = 8;
    o.first_norad = 90100;
    assert_int_equal(apsco_catalog_synthesize(&polar, &o, cat, NULL), APSCO_OK);
    apsco_catalog_free(&shell);
    apsco_catalog_free(&polar);
}

/* Whether {i, j} and {p, q} are the same pair, in either order. */
static int same_pair(size_t i, size_t j, size_t p, size_t q)
{
    return (i == p && j == q) || (i == q && j == p);
}

/* Screening options over [t0, t0 + span_s] with threshold thr_km. */
static apsco_screen_options screen_window(apsco_time t0, double span_s, double thr_km)
{
    apsco_screen_options o = apsco_screen_defaults();
    o.start = t0;
    o.end = apsco_time_add_s(t0, span_s);
    o.threshold_km = thr_km;
    return o;
}

static const apsco_conjunction *find_event(const apsco_conjunction *c, size_t n, size_t i, size_t j,
                                           double t_s, apsco_time t0)
{
    const apsco_conjunction *best = NULL;
    for (size_t k = 0; k < n; k++) {
        if (!same_pair(c[k].primary, c[k].secondary, i, j))
            continue;
        if (fabs(apsco_time_diff_s(c[k].tca, t0) - t_s) < 0.5)
            best = &c[k];
    }
    return best;
}

static void test_screen_matches_brute_force_on_crowded_subset(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    crowd_catalog(&cat);
    apsco_time t0 = t_start();
    /* The two constructed objects: the shell's Starlink and a rotated, delayed copy. */
    apsco_elset copy;
    double tca_s, miss_km;
    const size_t base = cat.count - 55 - 2; /* the Starlink of crowd.tle */
    build_encounter(&cat.items[base], t0, 7000.0, 0.2, &copy, &tca_s, &miss_km);
    apsco_catalog_append(&cat, &copy);
    apsco_sat *s = init_all(&cat);
    const long span = 6 * 3600;
    const double thr = 50.0;
    size_t nref;
    ref_event *ref = brute_force(s, cat.count, t0, span, thr, &nref);

    apsco_screen_options o = screen_window(t0, (double)span, thr);
    apsco_screen_result *res;
    assert_int_equal(apsco_screen_run(s, cat.count, NULL, &o, &res, NULL), APSCO_OK);
    size_t n = apsco_screen_result_count(res);
    apsco_conjunction *c = malloc((n ? n : 1) * sizeof *c);
    for (size_t k = 0; k < n; k++)
        apsco_screen_result_get(res, k, &c[k]);
    print_message("%zu reference approaches\n", nref);
    assert_true(nref > 20);
    double worst_t = 0, worst_m = 0;
    for (size_t k = 0; k < nref; k++) {
        const apsco_conjunction *e = find_event(c, n, ref[k].i, ref[k].j, ref[k].t_s, t0);
        if (!e)
            fail_msg("missed %ld-%ld at %.3f s, %.4f km", cat.items[ref[k].i].norad,
                     cat.items[ref[k].j].norad, ref[k].t_s, ref[k].miss_km);
        double dt = fabs(apsco_time_diff_s(e->tca, t0) - ref[k].t_s);
        double dm = fabs(e->miss_km - ref[k].miss_km);
        worst_t = dt > worst_t ? dt : worst_t;
        worst_m = dm > worst_m ? dm : worst_m;
    }
    print_message("%zu reference approaches, %zu reported; worst TCA %.3g s, miss %.3g km\n", nref,
                  n, worst_t, worst_m);
    assert_true(worst_t < 1e-3);
    assert_true(worst_m < 1e-3);
    /* Every reported approach away from the edges is in the reference too. */
    for (size_t k = 0; k < n; k++) {
        double t = apsco_time_diff_s(c[k].tca, t0);
        if (t < 1.0 || t > span - 1.0)
            continue;
        int found = 0;
        for (size_t r = 0; r < nref && !found; r++)
            found = same_pair(ref[r].i, ref[r].j, c[k].primary, c[k].secondary) &&
                    fabs(ref[r].t_s - t) < 1e-3;
        if (!found)
            fail_msg("reported %ld-%ld at %.3f s (%.4f km) is not in the reference",
                     cat.items[c[k].primary].norad, cat.items[c[k].secondary].norad, t,
                     c[k].miss_km);
    }
    /* The constructed encounter, at the instant and distance its geometry gives. */
    print_message("constructed encounter: miss %.4f km at %.3f s\n", miss_km, tca_s);
    const apsco_conjunction *e = find_event(c, n, base, cat.count - 1, tca_s, t0);
    assert_non_null(e);
    assert_near(apsco_time_diff_s(e->tca, t0), tca_s, 1e-3);
    assert_near(e->miss_km, miss_km, 1e-3);
    free(c);
    free(ref);
    apsco_screen_result_free(res);
    free(s);
    apsco_catalog_free(&cat);
}

/*
 * An object that SGP4 gives up on part-way (a copy of a crowd object with a
 * huge drag term) drops out of the sieve's intervals; the approaches of the
 * other objects stay exactly those of the catalog without it.
 */
static void test_screen_all_on_all_unchanged_by_object_decaying_mid_span(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    crowd_catalog(&cat);
    apsco_time t0 = t_start();
    const double span = 4 * 3600.0;
    apsco_elset decayer = cat.items[0];
    decayer.norad = 99990;
    double decay_s = 0;
    for (double bstar = 0.01; bstar < 100 && !(decay_s > 600 && decay_s < span - 600);
         bstar *= 1.5) {
        decayer.bstar_per_er = bstar;
        apsco_sat probe;
        apsco_sat_init(&probe, &decayer, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
        decay_s = 0;
        for (double t = 0; t <= span && decay_s == 0; t += 60) {
            double r[3], v[3];
            if (probe.init_error || apsco_sgp4_at(&probe, NULL, apsco_time_add_s(t0, t), r, v))
                decay_s = t;
        }
    }
    print_message("decaying object lost at %.0f s\n", decay_s);
    assert_true(decay_s > 600 && decay_s < span - 600);
    apsco_screen_options o = screen_window(t0, span, 50.0);
    apsco_sat *s = init_all(&cat);
    apsco_screen_result *without, *with;
    assert_int_equal(apsco_screen_run(s, cat.count, NULL, &o, &without, NULL), APSCO_OK);
    apsco_catalog_append(&cat, &decayer);
    apsco_sat *s2 = init_all(&cat);
    assert_int_equal(apsco_screen_run(s2, cat.count, NULL, &o, &with, NULL), APSCO_OK);
    size_t n = apsco_screen_result_count(without), kept = 0;
    for (size_t k = 0; k < apsco_screen_result_count(with); k++) {
        apsco_conjunction a;
        apsco_screen_result_get(with, k, &a);
        if (a.primary == cat.count - 1 || a.secondary == cat.count - 1)
            continue;
        assert_true(kept < n);
        apsco_conjunction b;
        apsco_screen_result_get(without, kept++, &b);
        assert_int_equal(a.primary, b.primary);
        assert_int_equal(a.secondary, b.secondary);
        assert_true(apsco_time_diff_s(a.tca, b.tca) == 0);
        assert_true(a.miss_km == b.miss_km);
    }
    assert_int_equal(kept, n);
    assert_true(n > 20);
    apsco_screen_result_free(without);
    apsco_screen_result_free(with);
    free(s);
    free(s2);
    apsco_catalog_free(&cat);
}

static void test_screen_primaries_mode_equals_all_on_all_restricted(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    crowd_catalog(&cat);
    apsco_sat *s = init_all(&cat);
    apsco_time t0 = t_start();
    apsco_screen_options o = screen_window(t0, 4 * 3600.0, 30.0);
    unsigned char *mark = calloc(cat.count, 1);
    /* A polar copy, an object of crowd.tle, the shell's Starlink and one of its copies. */
    mark[cat.count - 3] = mark[5] = mark[cat.count - 57] = mark[cat.count - 52] = 1;
    apsco_screen_result *all, *prim;
    assert_int_equal(apsco_screen_run(s, cat.count, NULL, &o, &all, NULL), APSCO_OK);
    size_t expected = 0;
    for (size_t k = 0; k < apsco_screen_result_count(all); k++) {
        apsco_conjunction c;
        apsco_screen_result_get(all, k, &c);
        expected += mark[c.primary] || mark[c.secondary];
    }
    assert_true(expected > 0);
    /* The default coarse grid (600 s), a shorter one, and one not a multiple of the fine step. */
    const double steps[] = {0.0, 240.0, 450.0};
    for (int g = 0; g < 3; g++) {
        o.grid_step_s = steps[g];
        assert_int_equal(apsco_screen_run(s, cat.count, mark, &o, &prim, NULL), APSCO_OK);
        assert_int_equal(apsco_screen_result_count(prim), expected);
        for (size_t k = 0; k < apsco_screen_result_count(prim); k++) {
            apsco_conjunction c, a;
            apsco_screen_result_get(prim, k, &c);
            assert_true(mark[c.primary]);
            /* The same approach in the all-on-all result (TCA to 1 ms, miss to 1 m). */
            int found = 0;
            for (size_t r = 0; r < apsco_screen_result_count(all) && !found; r++) {
                apsco_screen_result_get(all, r, &a);
                found = same_pair(a.primary, a.secondary, c.primary, c.secondary) &&
                        fabs(apsco_time_diff_s(a.tca, c.tca)) < 1e-3 &&
                        fabs(a.miss_km - c.miss_km) < 1e-3;
            }
            assert_true(found);
        }
        apsco_screen_result_free(prim);
    }
    apsco_screen_result_free(all);
    free(mark);
    free(s);
    apsco_catalog_free(&cat);
}

static void test_screen_rejects_bad_options(void **state)
{
    (void)state;
    apsco_screen_options o = screen_window(t_start(), 3600, 0);
    apsco_screen_result *res;
    apsco_error err;
    assert_int_equal(apsco_screen_run(NULL, 0, NULL, &o, &res, &err), APSCO_ERR_ARG);
    assert_non_null(strstr(err.message, "threshold"));
    o.threshold_km = 5;
    o.hbr_m = -1;
    assert_int_equal(apsco_screen_run(NULL, 0, NULL, &o, &res, &err), APSCO_ERR_ARG);
    assert_non_null(strstr(err.message, "hard-body"));
    o.hbr_m = 10;
    o.end = apsco_time_add_s(o.start, -60);
    assert_int_equal(apsco_screen_run(NULL, 0, NULL, &o, &res, &err), APSCO_ERR_ARG);
    assert_non_null(strstr(err.message, "end"));
}

/* ---- Interpolation bound ------------------------------------------------------ */

static void test_hermite_bound_holds_for_catalog_objects(void **state)
{
    (void)state;
    apsco_catalog cat = {0};
    assert_int_equal(apsco_catalog_load(test_data_path("screen/bound.tle"), NULL, &cat, NULL),
                     APSCO_OK);
    apsco_sat *s = init_all(&cat);
    const double g = 60.0;
    apsco_time t0 = t_start();
    double worst = 0;
    long worst_norad = 0;
    for (size_t i = 0; i < cat.count; i++) {
        if (s[i].init_error)
            continue;
        double eps = screen_hermite_bound_km(&s[i], g);
        for (int k = 0; k < 240; k += 3) {
            double r0[3], v0[3], r1[3], v1[3];
            apsco_time a = apsco_time_add_s(t0, k * g);
            if (apsco_sgp4_at(&s[i], NULL, a, r0, v0) ||
                apsco_sgp4_at(&s[i], NULL, apsco_time_add_s(a, g), r1, v1))
                break;
            for (int q = 1; q < 4; q++) {
                double tau = g * q / 4.0, r[3], v[3], err = 0;
                apsco_sgp4_at(&s[i], NULL, apsco_time_add_s(a, tau), r, v);
                for (int c = 0; c < 3; c++) {
                    double cc = (3.0 * (r1[c] - r0[c]) / g - 2.0 * v0[c] - v1[c]) / g;
                    double dd = (2.0 * (r0[c] - r1[c]) / g + v0[c] + v1[c]) / (g * g);
                    double h = r0[c] + tau * (v0[c] + tau * (cc + tau * dd));
                    err += (h - r[c]) * (h - r[c]);
                }
                double ratio = sqrt(err) / eps;
                if (ratio > worst) {
                    worst = ratio;
                    worst_norad = cat.items[i].norad;
                }
            }
        }
    }
    print_message("largest interpolation error / bound: %.3f (object %ld)\n", worst, worst_norad);
    assert_true(worst <= 1.0);
    free(s);
    apsco_catalog_free(&cat);
}

/* ---- Collision probability ------------------------------------------------------ */

/* Midpoint rule on a fine Cartesian grid over the disk: independent of pc.c's quadrature. */
static double pc_cartesian_n(double mx, double my, double sxx, double sxy, double syy, double R,
                             int n)
{
    double det = sxx * syy - sxy * sxy, h = 2.0 * R / n, sum = 0;
    for (int a = 0; a < n; a++)
        for (int b = 0; b < n; b++) {
            double x = -R + (a + 0.5) * h, y = -R + (b + 0.5) * h;
            if (x * x + y * y > R * R)
                continue;
            double dx = x - mx, dy = y - my;
            double q = (syy * dx * dx - 2.0 * sxy * dx * dy + sxx * dy * dy) / det;
            sum += exp(-0.5 * q);
        }
    return sum * h * h / (2.0 * M_PI * sqrt(det));
}

static double pc_cartesian(double mx, double my, double sxx, double sxy, double syy, double R)
{
    return pc_cartesian_n(mx, my, sxx, sxy, syy, R, 600);
}

static void test_pc_max_is_the_maximum_of_the_integral_over_sigma(void **state)
{
    (void)state;
    const double cases[][2] = {{0.05, 0.01}, {0.02, 0.015}, {0.2, 0.01}, {0.012, 0.01}};
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        double d = cases[k][0], R = cases[k][1], sigma;
        double pmax = apsco_pc_max(d, R, &sigma);
        double s2 = sigma * sigma;
        assert_near(pmax, pc_cartesian(d, 0, s2, 0, s2, R), 2e-4 * pmax + 1e-9);
        for (double f = 0.9; f <= 1.1001; f += 0.05) {
            double s = sigma * f;
            assert_true(pc_cartesian(d, 0, s * s, 0, s * s, R) <= pmax * (1 + 3e-4));
        }
    }
}

static void test_pc_max_small_disk_is_r2_over_e_d2(void **state)
{
    (void)state;
    double sigma;
    assert_near(apsco_pc_max(5.0, 0.01, &sigma), 0.01 * 0.01 / (25.0 * exp(1.0)), 1e-14);
    assert_near(sigma, 5.0 / sqrt(2.0), 1e-12);
    /* The series branch joins the closed form where they meet. */
    double a = apsco_pc_max(0.316, 0.01, NULL), b = (0.01 / 0.316) * (0.01 / 0.316) / exp(1.0);
    assert_near(a, b, 1e-6 * b);
    assert_near(apsco_pc_max(0.005, 0.01, NULL), 1.0, 0);
}

static void test_pc_2d_matches_cartesian_integration(void **state)
{
    (void)state;
    double p = apsco_pc_2d(0.03, -0.01, 4e-4, 1e-4, 1e-4, 0.012);
    assert_near(p, pc_cartesian_n(0.03, -0.01, 4e-4, 1e-4, 1e-4, 0.012, 3000), 5e-5 * p);
    assert_true(isnan(apsco_pc_2d(0, 0, 1e-4, 2e-4, 1e-4, 0.01)));
}

/* ---- Miss geometry and CDM --------------------------------------------------------- */

static void test_ric_components_follow_the_primary_frame(void **state)
{
    (void)state;
    double r1[3] = {7000, 0, 0}, v1[3] = {0, 7.5, 0}, r2[3] = {7001, 2, -3}, ric[3];
    apsco_screen_ric(r1, v1, r2, ric);
    assert_near(ric[0], 1.0, 1e-12);
    assert_near(ric[1], 2.0, 1e-12);
    assert_near(ric[2], -3.0, 1e-12);
}

/* The CDM of `cdm` as text (the caller frees it). */
static char *cdm_text(const apsco_cdm *cdm)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_non_null(f);
    apsco_export_cdm(f, cdm);
    fclose(f);
    return buf;
}

static void test_cdm_has_every_mandatory_keyword_in_order_with_units(void **state)
{
    (void)state;
    apsco_cdm cdm;
    memset(&cdm, 0, sizeof cdm);
    strcpy(cdm.originator, "APSCO");
    strcpy(cdm.message_id, "25544_99990_20260319T001049287Z");
    cdm.creation = cdm.tca = cdm.screen_start = cdm.screen_stop = t_start();
    cdm.miss_m = 123.4;
    for (int k = 0; k < 2; k++) {
        strcpy(cdm.object[k].designator, k ? "99990" : "25544");
        strcpy(cdm.object[k].intl_designator, "1998-067A");
    }
    char *buf = cdm_text(&cdm);
    /* CCSDS 508.0-B-1: mandatory keywords of header, relative data, and each object. */
    static const char *const header[] = {"CCSDS_CDM_VERS", "CREATION_DATE", "ORIGINATOR",
                                         "MESSAGE_ID",     "TCA",           "MISS_DISTANCE"};
    static const char *const object[] = {"OBJECT",
                                         "OBJECT_DESIGNATOR",
                                         "CATALOG_NAME",
                                         "OBJECT_NAME",
                                         "INTERNATIONAL_DESIGNATOR",
                                         "EPHEMERIS_NAME",
                                         "COVARIANCE_METHOD",
                                         "MANEUVERABLE",
                                         "REF_FRAME",
                                         "X",
                                         "Y",
                                         "Z",
                                         "X_DOT",
                                         "Y_DOT",
                                         "Z_DOT",
                                         "CR_R",
                                         "CT_R",
                                         "CT_T",
                                         "CN_R",
                                         "CN_T",
                                         "CN_N",
                                         "CRDOT_R",
                                         "CRDOT_T",
                                         "CRDOT_N",
                                         "CRDOT_RDOT",
                                         "CTDOT_R",
                                         "CTDOT_T",
                                         "CTDOT_N",
                                         "CTDOT_RDOT",
                                         "CTDOT_TDOT",
                                         "CNDOT_R",
                                         "CNDOT_T",
                                         "CNDOT_N",
                                         "CNDOT_RDOT",
                                         "CNDOT_TDOT",
                                         "CNDOT_NDOT"};
    const size_t nh = sizeof header / sizeof *header, no = sizeof object / sizeof *object;
    size_t want = 0, total = nh + 2 * no;
    char *save, *line = strtok_r(buf, "\n", &save);
    for (; line; line = strtok_r(NULL, "\n", &save)) {
        if (!strncmp(line, "COMMENT", 7))
            continue;
        char key[64];
        assert_int_equal(sscanf(line, "%63s", key), 1);
        const char *expect =
            want < nh ? header[want] : (want < total ? object[(want - nh) % no] : "");
        if (strcmp(key, expect))
            continue; /* an optional keyword */
        const char *unit = strchr(line, '[');
        const char *expected_unit = NULL;
        if (!strcmp(key, "MISS_DISTANCE"))
            expected_unit = "[m]";
        else if (want >= nh) {
            size_t o = (want - nh) % no;
            if (o >= 9 && o < 12)
                expected_unit = "[km]";
            else if (o >= 12 && o < 15)
                expected_unit = "[km/s]";
            else if (o >= 15)
                expected_unit = "[m**2";
        }
        if (expected_unit)
            assert_non_null(unit && strstr(unit, expected_unit) == unit ? unit : NULL);
        if (!strcmp(key, "OBJECT"))
            assert_non_null(strstr(line, want < nh + no ? "OBJECT1" : "OBJECT2"));
        want++;
    }
    if (want != total)
        fail_msg("mandatory keyword %s missing or out of order",
                 want < nh ? header[want] : object[(want - nh) % no]);
    free(buf);
}

static void test_cdm_covariance_units_follow_position_and_velocity(void **state)
{
    (void)state;
    apsco_cdm cdm;
    memset(&cdm, 0, sizeof cdm);
    char *buf = cdm_text(&cdm);
    assert_non_null(strstr(buf, "CR_R                                 = 0.000000E+00 [m**2]"));
    assert_non_null(strstr(buf, "CRDOT_R                              = 0.000000E+00 [m**2/s]"));
    assert_non_null(strstr(buf, "CNDOT_NDOT                           = 0.000000E+00 [m**2/s**2]"));
    /* The keyword of the SANA registry of CDM collision probability methods. */
    assert_non_null(strstr(buf, "COLLISION_PROBABILITY_METHOD         = ALFANO-MAX-PROBABILITY\n"));
    free(buf);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_screen_matches_brute_force_on_crowded_subset),
        cmocka_unit_test(test_screen_all_on_all_unchanged_by_object_decaying_mid_span),
        cmocka_unit_test(test_screen_primaries_mode_equals_all_on_all_restricted),
        cmocka_unit_test(test_screen_rejects_bad_options),
        cmocka_unit_test(test_hermite_bound_holds_for_catalog_objects),
        cmocka_unit_test(test_pc_max_is_the_maximum_of_the_integral_over_sigma),
        cmocka_unit_test(test_pc_max_small_disk_is_r2_over_e_d2),
        cmocka_unit_test(test_pc_2d_matches_cartesian_integration),
        cmocka_unit_test(test_ric_components_follow_the_primary_frame),
        cmocka_unit_test(test_cdm_has_every_mandatory_keyword_in_order_with_units),
        cmocka_unit_test(test_cdm_covariance_units_follow_position_and_velocity),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
