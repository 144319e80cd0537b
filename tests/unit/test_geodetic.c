/*
 * Tests of WGS-84 geodetic coordinates (against ERFA near the surface,
 * exactness everywhere from the Earth's centre to beyond the Moon) and of
 * observer look angles (against Skyfield's EarthSatellite altaz oracle).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <erfa.h>
#include <erfam.h>

#include "apsco/frames.h"
#include "testutil.h"

#define DEG (M_PI / 180.0)

/* A small deterministic generator (xorshift64*) for sample points. */
static double uniform(uint64_t *s, double lo, double hi)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return lo + (hi - lo) * (double)((*s * 2685821657736338717ULL) >> 11) / 9007199254740992.0;
}

static double distance3(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                (a[2] - b[2]) * (a[2] - b[2]));
}

static void test_geodetic_to_itrf_matches_erfa(void **state)
{
    (void)state;
    uint64_t seed = 1;
    for (int i = 0; i < 20000; i++) {
        apsco_geodetic g = {asin(uniform(&seed, -1, 1)), uniform(&seed, -M_PI, M_PI),
                            uniform(&seed, -100.0, 400000.0) * (i % 2 ? 1.0 : 0.001)};
        double r[3], m[3];
        apsco_geodetic_to_itrf(&g, r);
        assert_int_equal(eraGd2gc(ERFA_WGS84, g.lon_rad, g.lat_rad, g.alt_km * 1e3, m), 0);
        for (int k = 0; k < 3; k++)
            assert_near(r[k], m[k] * 1e-3, 1e-9);
    }
}

/*
 * ERFA's eraGc2gd (Fukushima 2006, one Halley step) is itself exact to
 * 1e-12 rad only up to about 1200 km of height (at GEO its own round trip
 * misses by 1 mm); compare there.
 */
static void test_itrf_to_geodetic_matches_erfa_near_the_surface(void **state)
{
    (void)state;
    uint64_t seed = 2;
    for (int i = 0; i < 20000; i++) {
        apsco_geodetic g0 = {asin(uniform(&seed, -1, 1)), uniform(&seed, -M_PI, M_PI),
                             uniform(&seed, -100.0, 1000.0)};
        double r[3];
        apsco_geodetic_to_itrf(&g0, r);
        apsco_geodetic g;
        apsco_itrf_to_geodetic(r, &g);
        double m[3] = {r[0] * 1e3, r[1] * 1e3, r[2] * 1e3}, lon, lat, h;
        assert_int_equal(eraGc2gd(ERFA_WGS84, m, &lon, &lat, &h), 0);
        assert_near(g.lat_rad, lat, 1e-12);
        assert_near(g.lon_rad, lon, 1e-15);
        assert_near(g.alt_km, h * 1e-3, 1e-9);
    }
}

/*
 * Exactness by two independent conditions at every distance: the position
 * is rebuilt (round trip), and r minus the foot point lies along the
 * ellipsoid normal at the returned latitude with length equal to the height.
 */
static void assert_exact_geodetic(const double r[3], double tol_km)
{
    apsco_geodetic g;
    apsco_itrf_to_geodetic(r, &g);
    assert_true(g.lat_rad >= -M_PI_2 && g.lat_rad <= M_PI_2);
    assert_true(g.lon_rad >= -M_PI && g.lon_rad <= M_PI);
    double back[3], foot[3];
    apsco_geodetic_to_itrf(&g, back);
    assert_near(distance3(back, r), 0.0, tol_km);
    apsco_geodetic surface = {g.lat_rad, g.lon_rad, 0.0};
    apsco_geodetic_to_itrf(&surface, foot);
    double n[3] = {cos(g.lat_rad) * cos(g.lon_rad), cos(g.lat_rad) * sin(g.lon_rad),
                   sin(g.lat_rad)};
    double d[3] = {r[0] - foot[0], r[1] - foot[1], r[2] - foot[2]};
    double along = d[0] * n[0] + d[1] * n[1] + d[2] * n[2];
    double across[3] = {d[0] - along * n[0], d[1] - along * n[1], d[2] - along * n[2]};
    assert_near(along, g.alt_km, tol_km);
    assert_near(sqrt(across[0] * across[0] + across[1] * across[1] + across[2] * across[2]), 0.0,
                tol_km);
}

static void test_itrf_to_geodetic_is_exact_from_the_centre_to_beyond_the_moon(void **state)
{
    (void)state;
    static const double radii_km[] = {1e-3,   1.0,    10.0,    42.0,    43.0, 100.0, 1000.0, 6356.0,
                                      6378.0, 6778.0, 20200.0, 42164.0, 1e5,  4e5,   1.5e6};
    uint64_t seed = 3;
    for (size_t k = 0; k < sizeof radii_km / sizeof radii_km[0]; k++) {
        for (int i = 0; i < 4000; i++) {
            double lat = asin(uniform(&seed, -1, 1)), lon = uniform(&seed, -M_PI, M_PI);
            double rad = radii_km[k] * uniform(&seed, 0.99, 1.01);
            double r[3] = {rad * cos(lat) * cos(lon), rad * cos(lat) * sin(lon), rad * sin(lat)};
            /* Well under 1 mm everywhere: a few units in the last place of the coordinates. */
            assert_exact_geodetic(r, 4e-16 * fmax(rad, APSCO_WGS84_A_KM) * 8.0);
        }
    }
}

static void test_itrf_to_geodetic_handles_poles_equator_and_centre(void **state)
{
    (void)state;
    const double b = APSCO_WGS84_A_KM * (1.0 - APSCO_WGS84_F);
    apsco_geodetic g;
    apsco_itrf_to_geodetic((double[3]){0.0, 0.0, 7000.0}, &g);
    assert_true(g.lat_rad == M_PI_2 && g.lon_rad == 0.0);
    assert_near(g.alt_km, 7000.0 - b, 1e-12);
    apsco_itrf_to_geodetic((double[3]){0.0, 0.0, -b}, &g);
    assert_true(g.lat_rad == -M_PI_2);
    assert_near(g.alt_km, 0.0, 1e-12);
    apsco_itrf_to_geodetic((double[3]){0.0, -42164.0, 0.0}, &g);
    assert_true(g.lat_rad == 0.0);
    assert_near(g.lon_rad, -M_PI_2, 1e-16);
    assert_near(g.alt_km, 42164.0 - APSCO_WGS84_A_KM, 1e-11);
    apsco_itrf_to_geodetic((double[3]){0.0, 0.0, 0.0}, &g);
    assert_true(g.lat_rad == M_PI_2);
    assert_near(g.alt_km, -b, 1e-12);
    /* Inside the evolute on the equatorial plane: the feet are off the equator. */
    assert_exact_geodetic((double[3]){20.0, 0.0, 0.0}, 1e-11);
    assert_exact_geodetic((double[3]){20.0, 0.0, 1e-9}, 1e-11);
    assert_exact_geodetic((double[3]){1e-12, 0.0, 6000.0}, 1e-11);
    assert_exact_geodetic((double[3]){7000.0, 1e-300, -1e-300}, 1e-11);
}

static void test_observer_look_gives_zenith_and_horizon(void **state)
{
    (void)state;
    apsco_observer obs;
    apsco_observer_init(&obs, 39.9042 * DEG, 116.4074 * DEG, 0.044);
    /* 500 km straight up along the normal. */
    apsco_geodetic up = {obs.where.lat_rad, obs.where.lon_rad, 500.044};
    double r[3], v[3];
    apsco_geodetic_to_itrf(&up, r);
    double n[3] = {obs.cos_lat * obs.cos_lon, obs.cos_lat * obs.sin_lon, obs.sin_lat};
    for (int i = 0; i < 3; i++)
        v[i] = 2.0 * n[i];
    apsco_look look;
    apsco_observer_look(&obs, r, v, &look);
    assert_near(look.el_rad, M_PI_2, 1e-12);
    assert_near(look.range_km, 500.0, 1e-9);
    assert_near(look.range_rate_km_s, 2.0, 1e-12);
    /* Due north, east, south, west on the horizon plane. */
    double east[3] = {-obs.sin_lon, obs.cos_lon, 0.0};
    double north[3] = {-obs.sin_lat * obs.cos_lon, -obs.sin_lat * obs.sin_lon, obs.cos_lat};
    const double expect_az[4] = {0.0, M_PI_2, M_PI, 3.0 * M_PI_2};
    const double sign_n[4] = {1, 0, -1, 0}, sign_e[4] = {0, 1, 0, -1};
    for (int k = 0; k < 4; k++) {
        for (int i = 0; i < 3; i++)
            r[i] = obs.r_itrf_km[i] + 1000.0 * (sign_n[k] * north[i] + sign_e[k] * east[i]);
        apsco_observer_look(&obs, r, NULL, &look);
        assert_near(look.az_rad, expect_az[k], 1e-12);
        assert_near(look.el_rad, 0.0, 1e-12);
        assert_near(look.range_rate_km_s, 0.0, 0.0);
    }
    /* Just west of north wraps to just under 2π, never to 2π itself. */
    for (int i = 0; i < 3; i++)
        r[i] = obs.r_itrf_km[i] + 1000.0 * north[i] - 1e-20 * east[i];
    apsco_observer_look(&obs, r, NULL, &look);
    assert_true(look.az_rad >= 0.0 && look.az_rad < 2.0 * M_PI);
    apsco_observer_look(&obs, obs.r_itrf_km, v, &look);
    assert_true(look.range_km == 0.0 && look.az_rad == 0.0 && look.range_rate_km_s == 0.0);
}

static void test_observer_look_matches_skyfield(void **state)
{
    (void)state;
    FILE *f = fopen(test_data_path("frames/look.csv"), "r");
    assert_non_null(f);
    double row[17], worst_az = 0, worst_el = 0, worst_range = 0, worst_fd = 0, worst_sky = 0;
    int n = 0;
    while (read_oracle_row(f, row, 17)) {
        apsco_time utc = {row[0], row[1]};
        double mjd = (utc.jd - 2400000.5) + utc.fr;
        apsco_eop_row rows[2] = {{mjd - 0.01, 0, 0, row[2], 0, 0},
                                 {mjd + 0.01, 0, 0, row[2], 0, 0}};
        apsco_eop eop = {rows, 2};
        apsco_earth_rotation rot;
        assert_int_equal(apsco_earth_rotation_at(&rot, utc, &eop), 1);
        double r[3], v[3];
        apsco_earth_rotation_teme_to_itrf(&rot, row + 6, row + 9, r, v);
        apsco_observer obs;
        apsco_observer_init(&obs, row[3] * DEG, row[4] * DEG, row[5]);
        apsco_look look;
        apsco_observer_look(&obs, r, v, &look);
        double daz = fabs(look.az_rad / DEG - row[12]);
        daz = fmin(daz, 360.0 - daz) * cos(look.el_rad); /* on the sky */
        worst_az = fmax(worst_az, daz);
        worst_el = fmax(worst_el, fabs(look.el_rad / DEG - row[13]));
        worst_range = fmax(worst_range, fabs(look.range_km - row[14]));
        worst_fd = fmax(worst_fd, fabs(look.range_rate_km_s - row[15]));
        worst_sky = fmax(worst_sky, fabs(look.range_rate_km_s - row[16]));
        n++;
    }
    fclose(f);
    assert_true(n >= 150);
    print_message("look vs Skyfield: az %.3g deg (on sky), el %.3g deg, range %.3g km, "
                  "range rate %.3g km/s (finite differences), %.3g km/s (Skyfield rates)\n",
                  worst_az, worst_el, worst_range, worst_fd, worst_sky);
    assert_near(worst_az, 0.0, 1e-9);
    assert_near(worst_el, 0.0, 1e-9);
    assert_near(worst_range, 0.0, 1e-8);
    assert_near(worst_fd, 0.0, 1e-8);
    /*
     * Skyfield's own rates take the TEME velocity as inertial, so they lack
     * the precession of the equinox (7.1e-12 rad/s) times the satellite's
     * distance: at most 1.1e-6 km/s out to CXO's 150 000 km.
     */
    assert_near(worst_sky, 0.0, 1.1e-6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geodetic_to_itrf_matches_erfa),
        cmocka_unit_test(test_itrf_to_geodetic_matches_erfa_near_the_surface),
        cmocka_unit_test(test_itrf_to_geodetic_is_exact_from_the_centre_to_beyond_the_moon),
        cmocka_unit_test(test_itrf_to_geodetic_handles_poles_equator_and_centre),
        cmocka_unit_test(test_observer_look_gives_zenith_and_horizon),
        cmocka_unit_test(test_observer_look_matches_skyfield),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
