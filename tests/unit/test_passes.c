/*
 * Tests of the pass search itself, against apsco's own scalar path: the
 * interpolated track stays on SGP4, the skip test's bounds hold on real
 * orbits (what "no missed pass" rests on), every instant above the horizon
 * found by dense sampling lies in a pass, grazing passes of a few seconds
 * are found, masks, clipping at the window's edges, sunlight against dense
 * sampling, Doppler, and the errors.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"
#include "apsco/passes.h"
#include "apsco/stations.h"
#include "passes/internal.h"
#include "testutil.h"

#define DEG (M_PI / 180.0)

/* The bundled 2026 catalog, relative to tests/data. */
#define CATALOG_2026 "../../data/celestrak-active-2026-03-19.tle"

static apsco_time window_start(void)
{
    return apsco_time_from_calendar(2026, 3, 19, 0, 0, 0.0);
}

/* A catalog and its satellites initialised for the scalar path. */
typedef struct sat_set {
    apsco_catalog cat;
    apsco_sat *sats;
    size_t n;
} sat_set;

/* Every `stride`-th record of tests/data/`file` that initialises. */
static void load_sats(const char *file, size_t stride, sat_set *set)
{
    apsco_error err;
    memset(set, 0, sizeof *set);
    if (apsco_catalog_load(test_data_path(file), NULL, &set->cat, &err) != APSCO_OK)
        fail_msg("%s", err.message);
    set->sats = calloc(set->cat.count, sizeof *set->sats);
    for (size_t i = 0; i < set->cat.count; i += stride) {
        if (apsco_sat_init(&set->sats[set->n], &set->cat.items[i], APSCO_WGS72,
                           APSCO_OPSMODE_IMPROVED, &err) == APSCO_OK)
            set->n++;
    }
}

static void free_sats(sat_set *set)
{
    free(set->sats);
    apsco_catalog_free(&set->cat);
}

static void site_at(apsco_pass_site *site, double lat_deg, double lon_deg, double alt_m,
                    double min_el_deg)
{
    memset(site, 0, sizeof *site);
    apsco_observer_init(&site->obs, lat_deg * DEG, lon_deg * DEG, alt_m / 1000.0);
    site->floor_el_rad = min_el_deg * DEG;
}

static double station_mask(const void *ctx, double az_rad)
{
    return apsco_station_min_el_at_rad((const apsco_station *)ctx, az_rad);
}

/* Gives `site` the horizon mask 0:5;90:20;180:2;270:12 (1° elsewhere), held by `station`. */
static void mask_site(apsco_pass_site *site, apsco_station *station)
{
    station->min_el_rad = 1.0 * DEG;
    assert_int_equal(apsco_station_set_mask(station, "0:5;90:20;180:2;270:12", NULL), APSCO_OK);
    site->min_el_fn = station_mask;
    site->ctx = station;
}

/* The Miyun station (40.45 N, 116.85 E, 150 m) with floor `min_el_deg`. */
static void miyun(apsco_pass_site *site, double min_el_deg)
{
    site_at(site, 40.45, 116.85, 150.0, min_el_deg);
}

static apsco_status find(const apsco_sat *sats, size_t n, const apsco_pass_site *sites,
                         size_t n_sites, double hours, apsco_pass_list *list)
{
    apsco_pass_options opt = {0};
    opt.start = window_start();
    opt.end = apsco_time_add_s(opt.start, hours * 3600.0);
    return apsco_passes_find(sats, n, sites, n_sites, &opt, list, NULL);
}

/* Exact look angles (scalar SGP4, no interpolation) t seconds into the window. */
static int exact_look(const apsco_sat *sat, const apsco_pass_site *site, double t, apsco_look *l)
{
    return apsco_pass_look(sat, &site->obs, apsco_time_add_s(window_start(), t), NULL, l);
}

/* ------------------------------------------------------------------------ */

static void test_track_interpolation_stays_on_sgp4(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    pass_track tr = {0};
    for (size_t i = 0; i < set.n; i++) {
        assert_int_equal(pass_track_build(&tr, &set.sats[i], window_start(), 86400.0, NULL),
                         APSCO_OK);
        double worst = 0.0;
        for (double t = 0.0; t <= tr.end_s; t += 13.7) {
            double r[3], v[3], re[3], ve[3];
            pass_track_eval(&tr, t, r, v, NULL);
            apsco_time at = apsco_time_add_s(window_start(), t);
            assert_int_equal(apsco_sgp4_at(&set.sats[i], NULL, at, re, ve), 0);
            apsco_teme_to_itrf(at, NULL, re, ve, re, ve);
            worst = fmax(worst, hypot(hypot(r[0] - re[0], r[1] - re[1]), r[2] - re[2]));
        }
        /*
         * Metres on near-circular orbits; on the Molniya orbit SGP4's velocity
         * is not the derivative of its positions by ~1 m/s near perigee, and
         * the interpolant, which honours both, strays by up to 70 m.
         */
        double limit = set.sats[i].ecco > 0.5 ? 0.1 : 0.01;
        if (worst > limit)
            fail_msg("%s: interpolation off by %.4f km", set.cat.items[i].name, worst);
    }
    pass_track_free(&tr);
    free_sats(&set);
}

/*
 * The skip test's three facts, checked on exact SGP4 states every 5 s for a
 * sample of the 2026 catalog (LEO to GEO and eccentric orbits) over 12 h:
 * the radius stays below radius_max_km; the ITRF direction turns no faster
 * than rate_bound_rad_s; and whenever a satellite is above a site's floor
 * the geocentric angle is within λ(radius_max, floor) of the site.
 */
static void test_skip_bounds_hold_on_real_orbits(void **state)
{
    (void)state;
    sat_set set;
    load_sats(CATALOG_2026, 97, &set);
    assert_true(set.n > 100);
    apsco_pass_site sites[3];
    site_at(&sites[0], 45.0, 10.0, 0.0, -5.0);
    site_at(&sites[1], 0.0, 100.0, 0.0, 0.0);
    site_at(&sites[2], 80.0, -60.0, 3000.0, 5.0);
    pass_site_geom geoms[3];
    for (int s = 0; s < 3; s++)
        pass_site_geom_init(&geoms[s], &sites[s]);
    pass_track tr = {0};
    double worst_rate = 0.0, worst_radius = 0.0;
    for (size_t i = 0; i < set.n; i++) {
        assert_int_equal(pass_track_build(&tr, &set.sats[i], window_start(), 43200.0, NULL),
                         APSCO_OK);
        double prev[3] = {0};
        for (double t = 0.0; t <= tr.end_s; t += 5.0) {
            double r[3], v[3];
            apsco_time at = apsco_time_add_s(window_start(), t);
            if (apsco_sgp4_at(&set.sats[i], NULL, at, r, v))
                break;
            apsco_teme_to_itrf(at, NULL, r, v, r, v);
            double rn = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]), u[3];
            for (int k = 0; k < 3; k++)
                u[k] = r[k] / rn;
            worst_radius = fmax(worst_radius, rn / tr.radius_max_km);
            if (t > 0.0) {
                double c = u[0] * prev[0] + u[1] * prev[1] + u[2] * prev[2];
                double rate = acos(fmin(1.0, c)) / 5.0;
                worst_rate = fmax(worst_rate, rate / tr.rate_bound_rad_s);
            }
            memcpy(prev, u, sizeof u);
            for (int s = 0; s < 3; s++) {
                apsco_look l;
                apsco_observer_look(&sites[s].obs, r, v, &l);
                if (l.el_rad < sites[s].floor_el_rad)
                    continue;
                double eps = sites[s].floor_el_rad - 0.2 * DEG;
                double lambda = acos(geoms[s].radius_km * cos(eps) / tr.radius_max_km) - eps;
                double gamma = acos(u[0] * geoms[s].unit[0] + u[1] * geoms[s].unit[1] +
                                    u[2] * geoms[s].unit[2]);
                if (gamma > lambda)
                    fail_msg("%s: above the floor at %.0f s with angle %.4f > %.4f",
                             set.cat.items[i].name, t, gamma, lambda);
            }
        }
    }
    print_message("largest radius / bound %.4f, largest turning rate / bound %.4f\n", worst_radius,
                  worst_rate);
    assert_true(worst_radius < 1.0);
    assert_true(worst_rate < 1.0);
    pass_track_free(&tr);
    free_sats(&set);
}

/*
 * The sunlight walk's bound (speed_max_km_s): in a frame turning with the
 * Sun, the satellite moves at its TEME speed, and the Sun's direction
 * turns there at 2e-7 rad/s; checked on exact SGP4 states every 5 s for a
 * sample of the 2026 catalog (LEO to GEO and eccentric orbits) over 12 h.
 */
static void test_shadow_speed_bound_holds_on_real_orbits(void **state)
{
    (void)state;
    sat_set set;
    load_sats(CATALOG_2026, 89, &set);
    assert_true(set.n > 100);
    pass_track tr = {0};
    double worst = 0.0;
    for (size_t i = 0; i < set.n; i++) {
        assert_int_equal(pass_track_build(&tr, &set.sats[i], window_start(), 43200.0, NULL),
                         APSCO_OK);
        for (double t = 0.0; t <= tr.end_s; t += 5.0) {
            double r[3], v[3];
            if (apsco_sgp4_at(&set.sats[i], NULL, apsco_time_add_s(window_start(), t), r, v))
                break;
            double speed = sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]) +
                           2e-7 * sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
            worst = fmax(worst, speed / tr.speed_max_km_s);
        }
    }
    print_message("largest speed relative to the shadow / bound %.4f\n", worst);
    assert_true(worst < 1.0);
    pass_track_free(&tr);
    free_sats(&set);
}

/*
 * The sunlight walk's leaps are proofs: over every stretch it proves
 * wholly sunlit (or wholly in the umbra), exact SGP4 states every 2 s see
 * the whole solar disc (or none of it). Every 97th object of the 2026
 * catalog, its timeline over 12 h (one stretch covering the window).
 */
static void test_sunlight_leaps_hold_on_real_orbits(void **state)
{
    (void)state;
    sat_set set;
    load_sats(CATALOG_2026, 97, &set);
    assert_true(set.n > 100);
    pass_sun_table sun;
    assert_int_equal(pass_sun_table_build(&sun, window_start(), 43200.0, NULL), APSCO_OK);
    pass_search_ctx ctx = {NULL, 0, &sun, pass_kernel_pick(1)};
    pass_track tr = {0};
    pass_light light = {0};
    size_t proven = 0, samples = 0;
    for (size_t i = 0; i < set.n; i++) {
        assert_int_equal(pass_track_build(&tr, &set.sats[i], window_start(), 43200.0, NULL),
                         APSCO_OK);
        if (!(tr.end_s > 0.0))
            continue;
        apsco_pass whole = {0};
        whole.los_s = tr.end_s;
        assert_int_equal(pass_light_build(&light, &ctx, &tr, &whole, 1), APSCO_OK);
        for (size_t k = 0; k < light.count; k++) {
            if (light.sampled[k])
                continue;
            proven++;
            for (double t = light.t[k]; t <= light.t[k + 1]; t += 2.0) {
                double r[3], v[3], s_teme[3], sun_km[3], r_itrf[3];
                apsco_time at = apsco_time_add_s(window_start(), t);
                if (apsco_sgp4_at(&set.sats[i], NULL, at, r, v))
                    break;
                apsco_teme_to_itrf(at, NULL, r, NULL, r_itrf, NULL);
                apsco_sun_teme(at, s_teme);
                apsco_teme_to_itrf(at, NULL, s_teme, NULL, sun_km, NULL);
                double f = apsco_sunlit_fraction(r_itrf, sun_km);
                samples++;
                if (f != light.f[k])
                    fail_msg(
                        "%s at %.0f s: fraction %.6f inside a stretch proven %.0f [%.1f, %.1f]",
                        set.cat.items[i].name, t, f, light.f[k], light.t[k], light.t[k + 1]);
            }
        }
    }
    print_message("%zu proven stretches, %zu samples\n", proven, samples);
    assert_true(proven > 1000);
    pass_light_free(&light);
    pass_track_free(&tr);
    pass_sun_table_free(&sun);
    free_sats(&set);
}

/* Index of the pass of (sat, site) that holds t (to 1 ms), or -1. */
static long pass_holding(const apsco_pass_list *list, size_t sat, size_t site, double t)
{
    for (size_t i = 0; i < list->count; i++) {
        const apsco_pass *p = &list->items[i];
        if (p->sat == sat && p->site == site && t >= p->aos_s - 1e-3 && t <= p->los_s + 1e-3)
            return (long)i;
    }
    return -1;
}

/*
 * Brute force: a sample of the 2026 catalog over four sites (one with a
 * mask) for 6 h, exact look angles every 2 s. Every sample above the
 * threshold lies inside a found pass, and every found pass longer than 4 s
 * holds a sample above it.
 */
static void test_passes_hold_every_instant_above_the_horizon(void **state)
{
    (void)state;
    sat_set set;
    load_sats(CATALOG_2026, 149, &set);
    apsco_station masked = {0};
    apsco_pass_site sites[4];
    miyun(&sites[0], 5.0);
    site_at(&sites[1], -1.18, 136.05, 30.0, 0.0);
    site_at(&sites[2], 78.23, 15.39, 500.0, 3.0);
    site_at(&sites[3], 24.93, 67.13, 30.0, 2.0);
    mask_site(&sites[3], &masked);
    apsco_pass_list list;
    assert_int_equal(find(set.sats, set.n, sites, 4, 6.0, &list), APSCO_OK);
    size_t above = 0;
    for (size_t i = 0; i < set.n; i++) {
        for (size_t s = 0; s < 4; s++) {
            int *hit = calloc(list.count, sizeof *hit);
            for (double t = 0.0; t <= 6 * 3600.0; t += 2.0) {
                apsco_look l;
                if (exact_look(&set.sats[i], &sites[s], t, &l))
                    break;
                if (l.el_rad <= apsco_pass_site_threshold(&sites[s], l.az_rad))
                    continue;
                above++;
                long k = pass_holding(&list, i, s, t);
                if (k < 0)
                    fail_msg("%s above site %zu at %.0f s (el %.4f) outside every pass",
                             set.cat.items[i].name, s, t, l.el_rad / DEG);
                hit[k] = 1;
            }
            for (size_t k = 0; k < list.count; k++) {
                const apsco_pass *p = &list.items[k];
                if (p->sat == i && p->site == s && p->los_s - p->aos_s > 4.0 && !hit[k])
                    fail_msg("phantom pass of %s over site %zu at %.3f s", set.cat.items[i].name, s,
                             p->aos_s);
            }
            free(hit);
        }
    }
    assert_true(above > 1000);
    apsco_pass_list_free(&list);
    free_sats(&set);
}

/*
 * The search's two compilations (plain, and AVX2 with fused multiply-adds
 * where the CPU has them) find the same passes: every 29th object of the
 * 2026 catalog over three sites, one of them masked, for a day; times
 * within a millisecond, angles within 1e-6 rad, sunlight within 1e-6.
 */
static void test_both_kernels_find_the_same_passes(void **state)
{
    (void)state;
    sat_set set;
    load_sats(CATALOG_2026, 29, &set);
    apsco_station masked = {0};
    apsco_pass_site sites[3];
    miyun(&sites[0], 0.0);
    site_at(&sites[1], -12.05, -75.3, 3300.0, 5.0);
    site_at(&sites[2], 23.78, 90.4, 10.0, 2.0);
    mask_site(&sites[2], &masked);
    apsco_pass_list lists[2];
    for (int plain = 0; plain < 2; plain++) {
        apsco_pass_options opt = {0};
        opt.start = window_start();
        opt.end = apsco_time_add_s(opt.start, 86400.0);
        opt.plain_kernel = plain;
        assert_int_equal(apsco_passes_find(set.sats, set.n, sites, 3, &opt, &lists[plain], NULL),
                         APSCO_OK);
    }
    assert_true(lists[0].count > 5000);
    assert_int_equal(lists[0].count, lists[1].count);
    for (size_t k = 0; k < lists[0].count; k++) {
        const apsco_pass *a = &lists[0].items[k], *b = &lists[1].items[k];
        assert_int_equal(a->sat, b->sat);
        assert_int_equal(a->site, b->site);
        assert_true(fabs(a->aos_s - b->aos_s) < 1e-3 && fabs(a->los_s - b->los_s) < 1e-3 &&
                    fabs(a->tca_s - b->tca_s) < 1e-3);
        assert_true(fabs(a->tca_el_rad - b->tca_el_rad) < 1e-6);
        assert_true(fabs(a->sunlit_fraction - b->sunlit_fraction) < 1e-6);
        assert_int_equal(a->visible, b->visible);
    }
    apsco_pass_list_free(&lists[0]);
    apsco_pass_list_free(&lists[1]);
    free_sats(&set);
}

/* The passes of one satellite over one site with floor `floor_deg`, 12 h. */
static void passes_with_floor(const apsco_sat *sat, double floor_deg, apsco_pass_list *list)
{
    apsco_pass_site site;
    miyun(&site, floor_deg);
    assert_int_equal(find(sat, 1, &site, 1, 12.0, list), APSCO_OK);
}

/*
 * A grazing pass built on purpose: the ISS's third pass over Miyun with the
 * floor raised until the pass lasts 2-10 s. Its highest elevation is then
 * only millidegrees above the floor, far between two nodes of the 460 s grid.
 */
static void test_grazing_pass_of_seconds_is_found(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_pass_list list;
    passes_with_floor(&set.sats[0], 5.0, &list);
    assert_true(list.count >= 3);
    apsco_pass pass = list.items[2];
    apsco_pass_list_free(&list);
    /* Exact highest elevation by golden-section search on scalar look angles. */
    double lo = pass.tca_s - 30.0, hi = pass.tca_s + 30.0;
    const double g = 0.5 * (sqrt(5.0) - 1.0);
    apsco_pass_site site;
    miyun(&site, 0.0);
    while (hi - lo > 1e-4) {
        apsco_look a, b;
        exact_look(&set.sats[0], &site, hi - g * (hi - lo), &a);
        exact_look(&set.sats[0], &site, lo + g * (hi - lo), &b);
        if (a.el_rad < b.el_rad)
            lo = hi - g * (hi - lo);
        else
            hi = lo + g * (hi - lo);
    }
    apsco_look top;
    exact_look(&set.sats[0], &site, 0.5 * (lo + hi), &top);
    for (double drop = 1e-4; drop < 0.05; drop *= 1.5) {
        passes_with_floor(&set.sats[0], top.el_rad / DEG - drop, &list);
        long k = -1;
        for (size_t i = 0; i < list.count; i++)
            if (fabs(list.items[i].tca_s - pass.tca_s) < 5.0)
                k = (long)i;
        if (k < 0)
            fail_msg("pass %.4f deg below the top missed", drop);
        double d = list.items[k].los_s - list.items[k].aos_s;
        apsco_look a, b;
        exact_look(&set.sats[0], &site, list.items[k].aos_s + 0.01, &a);
        exact_look(&set.sats[0], &site, list.items[k].los_s - 0.01, &b);
        assert_true(d < 1.0 || (a.el_rad / DEG > top.el_rad / DEG - drop - 1e-5 &&
                                b.el_rad / DEG > top.el_rad / DEG - drop - 1e-5));
        apsco_pass_list_free(&list);
        if (d > 10.0)
            break;
    }
    free_sats(&set);
}

static void test_passes_in_progress_are_clipped_to_the_window(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_pass_site site;
    miyun(&site, 5.0);
    apsco_pass_list list;
    assert_int_equal(find(set.sats, 1, &site, 1, 12.0, &list), APSCO_OK);
    apsco_pass whole = list.items[0];
    apsco_pass_list_free(&list);
    double mid = 0.5 * (whole.aos_s + whole.los_s);
    apsco_pass_options opt = {0};
    opt.start = apsco_time_add_s(window_start(), mid);
    opt.end = apsco_time_add_s(window_start(), mid + 3600.0);
    assert_int_equal(apsco_passes_find(set.sats, 1, &site, 1, &opt, &list, NULL), APSCO_OK);
    assert_true(list.count >= 1);
    assert_true(list.items[0].aos_clipped && !list.items[0].los_clipped);
    assert_near(list.items[0].aos_s, 0.0, 0.0);
    assert_near(list.items[0].los_s, whole.los_s - mid, 1e-3);
    apsco_pass_list_free(&list);
    opt.start = window_start();
    opt.end = apsco_time_add_s(window_start(), mid);
    assert_int_equal(apsco_passes_find(set.sats, 1, &site, 1, &opt, &list, NULL), APSCO_OK);
    assert_int_equal(list.count, 1);
    assert_true(!list.items[0].aos_clipped && list.items[0].los_clipped);
    assert_near(list.items[0].aos_s, whole.aos_s, 1e-3);
    assert_near(list.items[0].los_s, mid, 1e-6);
    apsco_pass_list_free(&list);
    free_sats(&set);
}

static void test_window_of_no_length_gives_the_instant(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_pass_site site;
    miyun(&site, 5.0);
    apsco_pass_list list;
    assert_int_equal(find(&set.sats[6], 1, &site, 1, 0.0, &list), APSCO_OK); /* APStar-7, GEO */
    assert_int_equal(list.count, 1);
    assert_true(list.items[0].aos_clipped && list.items[0].los_clipped);
    apsco_pass_list_free(&list);
    free_sats(&set);
}

static void test_passes_reject_a_window_that_ends_before_it_starts(void **state)
{
    (void)state;
    apsco_pass_site site;
    site_at(&site, 0.0, 0.0, 0.0, 0.0);
    apsco_pass_options opt = {0};
    opt.start = window_start();
    opt.end = apsco_time_add_s(opt.start, -1.0);
    apsco_pass_list list;
    apsco_error err;
    assert_int_equal(apsco_passes_find(NULL, 0, &site, 1, &opt, &list, &err), APSCO_ERR_ARG);
    assert_non_null(strstr(err.message, "ends before it starts"));
    opt.end = apsco_time_add_s(opt.start, 400.0 * 86400.0);
    assert_int_equal(apsco_passes_find(NULL, 0, &site, 1, &opt, &list, &err), APSCO_ERR_ARG);
    site.floor_el_rad = NAN;
    opt.end = opt.start;
    assert_int_equal(apsco_passes_find(NULL, 0, &site, 1, &opt, &list, &err), APSCO_ERR_ARG);
}

/* A record whose initialisation failed gives no pass and its code. */
static void test_satellite_with_an_init_error_is_reported_not_searched(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_sat bad = set.sats[0];
    bad.init_error = APSCO_SGP4_MEAN_ECC;
    apsco_pass_site site;
    miyun(&site, 5.0);
    apsco_pass_list list;
    assert_int_equal(find(&bad, 1, &site, 1, 12.0, &list), APSCO_OK);
    assert_int_equal(list.count, 0);
    assert_int_equal(list.sat_status[0].code, APSCO_SGP4_MEAN_ECC);
    apsco_pass_list_free(&list);
    free_sats(&set);
}

/*
 * Sunlit fraction and visibility against dense sampling: exact states every
 * second, the Sun of apsco_sun_teme (itself checked against ERFA in
 * test_sun.c), the conical shadow of apsco_sunlit_fraction.
 */
static void test_sunlit_fraction_and_visibility_match_dense_sampling(void **state)
{
    (void)state;
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_pass_site sites[2];
    miyun(&sites[0], 5.0);
    site_at(&sites[1], -12.5, -76.79, 40.0, 0.0);
    apsco_pass_list list;
    assert_int_equal(find(set.sats, 3, sites, 2, 24.0, &list), APSCO_OK);
    int partial = 0, visible = 0;
    for (size_t k = 0; k < list.count; k++) {
        const apsco_pass *p = &list.items[k];
        double lit = 0.0, steps = 0.0;
        int vis = 0;
        for (double t = p->aos_s + 0.5; t < p->los_s; t += 1.0) {
            apsco_time at = apsco_time_add_s(window_start(), t);
            double r[3], v[3], sun[3];
            apsco_sgp4_at(&set.sats[p->sat], NULL, at, r, v);
            apsco_sun_teme(at, sun);
            double f = apsco_sunlit_fraction(r, sun);
            lit += f;
            steps += 1.0;
            apsco_teme_to_itrf(at, NULL, sun, NULL, sun, NULL);
            apsco_look l;
            apsco_observer_look(&sites[p->site].obs, sun, NULL, &l);
            vis = vis || (f > 0.0 && l.el_rad < -6.0 * DEG);
        }
        assert_near(p->sunlit_fraction, lit / steps, 2.0 / steps + 1e-3);
        partial += p->sunlit_fraction > 0.0 && p->sunlit_fraction < 1.0;
        visible += p->visible;
        assert_int_equal(p->visible, vis);
    }
    assert_true(partial > 0 && visible > 0);
    apsco_pass_list_free(&list);
    free_sats(&set);
}

static void test_doppler_is_positive_when_approaching(void **state)
{
    (void)state;
    assert_near(apsco_doppler_shift_hz(437e6, -7.0), 437e6 * 7.0 / 299792.458, 1e-6);
    assert_near(apsco_doppler_shift_hz(437e6, 7.0), -437e6 * 7.0 / 299792.458, 1e-6);
    sat_set set;
    load_sats("passes/oracle.tle", 1, &set);
    apsco_pass_list list;
    passes_with_floor(&set.sats[0], 5.0, &list);
    for (size_t k = 0; k < list.count; k++) {
        const apsco_pass *p = &list.items[k];
        assert_true(p->aos_range_rate_km_s < 0.0 && p->los_range_rate_km_s > 0.0);
        assert_near(p->tca_range_rate_km_s, 0.0, 0.05);
    }
    apsco_pass_list_free(&list);
    free_sats(&set);
}

static void test_site_from_station_takes_the_lowest_mask_point_as_floor(void **state)
{
    (void)state;
    apsco_station st = {0};
    st.lat_rad = 0.5;
    st.min_el_rad = 3.0 * DEG;
    assert_int_equal(apsco_station_set_mask(&st, "0:8;90:4;180:12", NULL), APSCO_OK);
    apsco_pass_site site;
    apsco_pass_site_from_station(&site, &st);
    assert_near(site.floor_el_rad, 4.0 * DEG, 1e-15);
    assert_near(apsco_pass_site_threshold(&site, 45.0 * DEG), 6.0 * DEG, 1e-12);
    st.min_el_rad = 10.0 * DEG;
    apsco_pass_site_from_station(&site, &st);
    assert_near(site.floor_el_rad, 10.0 * DEG, 1e-15);
    assert_near(apsco_pass_site_threshold(&site, 180.0 * DEG), 12.0 * DEG, 1e-12);
    assert_near(apsco_pass_site_threshold(&site, 90.0 * DEG), 10.0 * DEG, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_track_interpolation_stays_on_sgp4),
        cmocka_unit_test(test_skip_bounds_hold_on_real_orbits),
        cmocka_unit_test(test_shadow_speed_bound_holds_on_real_orbits),
        cmocka_unit_test(test_sunlight_leaps_hold_on_real_orbits),
        cmocka_unit_test(test_passes_hold_every_instant_above_the_horizon),
        cmocka_unit_test(test_grazing_pass_of_seconds_is_found),
        cmocka_unit_test(test_both_kernels_find_the_same_passes),
        cmocka_unit_test(test_passes_in_progress_are_clipped_to_the_window),
        cmocka_unit_test(test_window_of_no_length_gives_the_instant),
        cmocka_unit_test(test_passes_reject_a_window_that_ends_before_it_starts),
        cmocka_unit_test(test_satellite_with_an_init_error_is_reported_not_searched),
        cmocka_unit_test(test_sunlit_fraction_and_visibility_match_dense_sampling),
        cmocka_unit_test(test_doppler_is_positive_when_approaching),
        cmocka_unit_test(test_site_from_station_takes_the_lowest_mask_point_as_floor),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
