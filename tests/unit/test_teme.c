/*
 * Tests of sidereal time and TEME <-> ITRF: GMST82 against ERFA, its rate,
 * the rotation against Skyfield's TEME_to_ITRF oracle (with and without
 * polar motion and UT1 - UTC), the inverse, aliasing, and the EOP path.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <erfa.h>

#include "apsco/frames.h"
#include "testutil.h"

#define ARCSEC (M_PI / (180.0 * 3600.0))

/* Angle difference wrapped into (-π, π]. */
static double angle_diff(double a, double b)
{
    double d = fmod(a - b, 2.0 * M_PI);
    if (d > M_PI)
        d -= 2.0 * M_PI;
    if (d <= -M_PI)
        d += 2.0 * M_PI;
    return d;
}

static void test_gmst82_matches_erfa_over_two_centuries(void **state)
{
    (void)state;
    double worst = 0.0;
    /* 1900-2100 in steps of 7.37 days, at varied times of day. */
    for (double day = 0.0; day < 73050.0; day += 7.37) {
        apsco_time ut1 = apsco_time_normalize(2415020.5 + floor(day), day - floor(day));
        double mine = apsco_gmst82_rad(ut1);
        assert_true(mine >= 0.0 && mine < 2.0 * M_PI);
        double d = fabs(angle_diff(mine, eraGmst82(ut1.jd, ut1.fr)));
        if (d > worst)
            worst = d;
    }
    /* Both evaluate the same polynomial; rounding of its ~1e7 s terms limits them to ~1e-13 rad. */
    assert_near(worst, 0.0, 5e-13);
}

static void test_gmst82_does_not_depend_on_how_the_date_is_split(void **state)
{
    (void)state;
    apsco_time a = {2461118.5, 0.4668308912037037};
    apsco_time b = {2461118.0, 0.9668308912037037};
    apsco_time c = {2461000.5, 118.4668308912037037};
    assert_near(apsco_gmst82_rad(a), apsco_gmst82_rad(b), 1e-14);
    assert_near(apsco_gmst82_rad(a), apsco_gmst82_rad(c), 2e-13);
    /* J2000.0 UT1: 18h41m50.54841s (Aoki et al. 1982). */
    double at_j2000 = (18.0 + 41.0 / 60.0 + 50.54841 / 3600.0) * 15.0 * M_PI / 180.0;
    assert_near(apsco_gmst82_rad((apsco_time){2451545.0, 0.0}), at_j2000, 1e-15);
}

static void test_gmst82_rate_is_the_derivative_of_gmst82(void **state)
{
    (void)state;
    apsco_time t = apsco_time_from_calendar(2026, 3, 19, 12, 0, 0.0);
    double h = 3600.0;
    double fd = angle_diff(apsco_gmst82_rad(apsco_time_add_s(t, h)),
                           apsco_gmst82_rad(apsco_time_add_s(t, -h))) /
                (2.0 * h);
    assert_near(apsco_gmst82_rate_rad_s(t), fd, 2e-17);
    assert_near(apsco_gmst82_rate_rad_s(t), 7.2921158553e-5, 1e-14);
    /* It exceeds the Earth's inertial rate by the precession of the equinox in right ascension. */
    assert_near(apsco_gmst82_rate_rad_s(t) - APSCO_EARTH_ROTATION_RAD_S, 7.09e-12, 0.02e-12);
}

/* A two-row EOP table with constant values around `utc`. */
static apsco_eop constant_eop(apsco_eop_row rows[2], apsco_time utc, double dut1_s,
                              double xp_arcsec, double yp_arcsec)
{
    double mjd = (utc.jd - 2400000.5) + utc.fr;
    for (int i = 0; i < 2; i++)
        rows[i] = (apsco_eop_row){mjd + (i ? 0.04 : -0.04), xp_arcsec, yp_arcsec, dut1_s, 0.0, 0};
    return (apsco_eop){rows, 2};
}

static double distance3(const double a[3], const double b[3])
{
    return sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) +
                (a[2] - b[2]) * (a[2] - b[2]));
}

static void test_teme_to_itrf_matches_skyfield(void **state)
{
    (void)state;
    FILE *f = fopen(test_data_path("frames/teme_itrf.csv"), "r");
    assert_non_null(f);
    double row[17], worst_r[2] = {0}, worst_v[2] = {0};
    int cases[2] = {0};
    while (read_oracle_row(f, row, 17)) {
        apsco_time utc = {row[0], row[1]};
        double dut1 = row[2], xp = row[3], yp = row[4];
        const double *r = row + 5, *v = row + 8, *r_ref = row + 11, *v_ref = row + 14;
        int with_eop = dut1 != 0.0 || xp != 0.0 || yp != 0.0;
        apsco_eop_row rows[2];
        apsco_eop eop = constant_eop(rows, utc, dut1, xp, yp);
        double ri[3], vi[3], rb[3], vb[3];
        apsco_teme_to_itrf(utc, with_eop ? &eop : NULL, r, v, ri, vi);
        worst_r[with_eop] = fmax(worst_r[with_eop], distance3(ri, r_ref));
        worst_v[with_eop] = fmax(worst_v[with_eop], distance3(vi, v_ref));
        cases[with_eop]++;
        /* The same through a rotation built from UT1 and radians. */
        apsco_earth_rotation rot;
        apsco_earth_rotation_from_ut1(&rot, apsco_time_add_s(utc, dut1), xp * ARCSEC, yp * ARCSEC,
                                      0.0);
        apsco_earth_rotation_teme_to_itrf(&rot, r, v, rb, vb);
        assert_near(distance3(rb, r_ref), 0.0, 1e-6);
        assert_near(distance3(vb, v_ref), 0.0, 1e-9);
    }
    fclose(f);
    assert_true(cases[0] >= 100 && cases[1] >= 100);
    print_message(
        "TEME->ITRF vs Skyfield: without EOP %.3g km %.3g km/s, with EOP %.3g km %.3g km/s\n",
        worst_r[0], worst_v[0], worst_r[1], worst_v[1]);
    /* 1 mm and 1 µm/s. */
    assert_near(worst_r[0], 0.0, 1e-6);
    assert_near(worst_r[1], 0.0, 1e-6);
    assert_near(worst_v[0], 0.0, 1e-9);
    assert_near(worst_v[1], 0.0, 1e-9);
}

static void test_itrf_to_teme_inverts_teme_to_itrf(void **state)
{
    (void)state;
    apsco_time utc = apsco_time_from_calendar(2017, 1, 1, 6, 30, 12.25);
    apsco_eop_row rows[2];
    apsco_eop eop = constant_eop(rows, utc, 0.59, 0.08, 0.26);
    eop.rows[0].lod_ms = eop.rows[1].lod_ms = 1.2;
    const double r[3] = {-4121.5, 38012.25, 17433.125}, v[3] = {-2.75, -0.25, 1.5};
    for (int use_eop = 0; use_eop < 2; use_eop++) {
        double ri[3], vi[3], rt[3], vt[3];
        apsco_teme_to_itrf(utc, use_eop ? &eop : NULL, r, v, ri, vi);
        apsco_itrf_to_teme(utc, use_eop ? &eop : NULL, ri, vi, rt, vt);
        assert_near(distance3(rt, r), 0.0, 1e-10);
        assert_near(distance3(vt, v), 0.0, 1e-14);
    }
}

static void test_teme_to_itrf_allows_aliasing_and_null_velocity(void **state)
{
    (void)state;
    apsco_time utc = apsco_time_from_calendar(2026, 3, 19, 3, 0, 0.0);
    const double r[3] = {6524.834, 6862.875, 6448.296}, v[3] = {4.901327, 5.533756, -1.976341};
    double ri[3], vi[3];
    apsco_teme_to_itrf(utc, NULL, r, v, ri, vi);
    double a[3] = {r[0], r[1], r[2]}, b[3] = {v[0], v[1], v[2]};
    apsco_teme_to_itrf(utc, NULL, a, b, a, b);
    for (int i = 0; i < 3; i++) {
        assert_true(a[i] == ri[i]);
        assert_true(b[i] == vi[i]);
    }
    double only_r[3];
    apsco_teme_to_itrf(utc, NULL, r, NULL, only_r, NULL);
    assert_true(distance3(only_r, ri) == 0.0);
    apsco_itrf_to_teme(utc, NULL, a, b, a, b);
    assert_near(distance3(a, r), 0.0, 1e-10);
    assert_near(distance3(b, v), 0.0, 1e-14);
}

static void test_polar_motion_matrix_matches_erfa(void **state)
{
    (void)state;
    double xp = 0.211 * ARCSEC, yp = 0.377 * ARCSEC;
    apsco_earth_rotation rot;
    apsco_earth_rotation_from_ut1(&rot, (apsco_time){2451545.0, 0.0}, xp, yp, 0.0);
    /* ERFA's rpom takes the CIP to the TRS, V(TRS) = rpom V(CIP): our PEF -> ITRF with s' = 0. */
    double rpom[3][3];
    eraPom00(xp, yp, 0.0, rpom);
    for (int i = 0; i < 3; i++)
        for (int j = 0; j < 3; j++)
            assert_near(rot.pm[i][j], rpom[i][j], 1e-18);
}

static void test_eop_outside_its_table_is_the_same_as_none(void **state)
{
    (void)state;
    apsco_time utc = apsco_time_from_calendar(2026, 3, 19, 3, 0, 0.0);
    apsco_eop_row rows[2];
    apsco_eop eop = constant_eop(rows, apsco_time_add_s(utc, -86400.0), 0.3, 0.1, 0.2);
    apsco_earth_rotation with, without;
    assert_int_equal(apsco_earth_rotation_at(&with, utc, &eop), 0);
    assert_int_equal(apsco_earth_rotation_at(&without, utc, NULL), 0);
    assert_true(with.cos_gmst == without.cos_gmst && with.sin_gmst == without.sin_gmst);
    assert_true(with.omega_rad_s == without.omega_rad_s);
    assert_int_equal(with.polar_motion, 0);
    assert_int_equal(without.polar_motion, 0);
}

static void test_length_of_day_slows_the_rotation_term(void **state)
{
    (void)state;
    apsco_time utc = apsco_time_from_calendar(2026, 3, 19, 3, 0, 0.0);
    apsco_eop_row rows[2];
    apsco_eop eop = constant_eop(rows, utc, 0.0, 0.0, 0.0);
    eop.rows[0].lod_ms = eop.rows[1].lod_ms = 2.0;
    apsco_earth_rotation plain, slow;
    apsco_earth_rotation_at(&plain, utc, NULL);
    assert_int_equal(apsco_earth_rotation_at(&slow, utc, &eop), 1);
    assert_near(slow.omega_rad_s, plain.omega_rad_s * (1.0 - 2e-3 / 86400.0), 1e-22);
    /* A geostationary point: 2 ms of LOD changes its ITRF velocity by ω·LOD/86400·r ≈ 71 µm/s. */
    const double r[3] = {42164.0, 0.0, 0.0}, v[3] = {0.0, 3.0746, 0.0};
    double r1[3], v1[3], r2[3], v2[3];
    apsco_teme_to_itrf(utc, NULL, r, v, r1, v1);
    apsco_teme_to_itrf(utc, &eop, r, v, r2, v2);
    assert_true(distance3(r1, r2) == 0.0);
    assert_near(distance3(v1, v2), 42164.0 * plain.omega_rad_s * 2e-3 / 86400.0, 1e-12);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gmst82_matches_erfa_over_two_centuries),
        cmocka_unit_test(test_gmst82_does_not_depend_on_how_the_date_is_split),
        cmocka_unit_test(test_gmst82_rate_is_the_derivative_of_gmst82),
        cmocka_unit_test(test_teme_to_itrf_matches_skyfield),
        cmocka_unit_test(test_itrf_to_teme_inverts_teme_to_itrf),
        cmocka_unit_test(test_teme_to_itrf_allows_aliasing_and_null_velocity),
        cmocka_unit_test(test_polar_motion_matrix_matches_erfa),
        cmocka_unit_test(test_eop_outside_its_table_is_the_same_as_none),
        cmocka_unit_test(test_length_of_day_slows_the_rotation_term),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
