/*
 * Tests of the Sun's position (against ERFA's Earth ephemeris, apparent
 * direction in TEME, 1950-2050) and of the Earth-shadow model.
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

#define DEG   (M_PI / 180.0)
#define AU_KM 149597870.7

static double angle_between(double a[3], double b[3])
{
    double c[3];
    eraPxp(a, b, c);
    return atan2(eraPm(c), eraPdp(a, b));
}

/*
 * The reference: ERFA's Earth ephemeris (eraEpv00, VSOP2000-based) gives
 * the geometric direction to the Sun in GCRS; annual aberration (eraAb)
 * with the Earth's barycentric velocity makes it apparent (the light time
 * moves the Sun by 1e-5°); IAU 1976/1980 precession-nutation (eraPnm80)
 * and the equation of the equinoxes (eraEqeq94) take it to TEME.
 */
static void reference_sun_teme(apsco_time tt, double dir[3], double *r_au)
{
    double pvh[2][3], pvb[2][3], u[3], v[3], app[3], m[3][3];
    eraEpv00(tt.jd, tt.fr, pvh, pvb);
    double s[3] = {-pvh[0][0], -pvh[0][1], -pvh[0][2]};
    *r_au = eraPm(s);
    eraSxp(1.0 / *r_au, s, u);
    eraSxp(ERFA_AULT / ERFA_DAYSEC, pvb[1], v);
    eraAb(u, v, *r_au, sqrt(1.0 - eraPdp(v, v)), app);
    eraPnm80(tt.jd, tt.fr, m);
    eraRz(eraEqeq94(tt.jd, tt.fr), m);
    eraRxp(m, app, dir);
}

static void test_sun_teme_matches_erfa_from_1950_to_2050(void **state)
{
    (void)state;
    double worst = 0.0, worst_dist = 0.0, sum2 = 0.0;
    int n = 0;
    apsco_time start = apsco_time_from_calendar(1950, 1, 1, 0, 0, 0.0);
    for (double day = 0.0; day < 36525.0; day += 0.7319) {
        apsco_time utc = apsco_time_add_s(start, day * 86400.0);
        double mine[3], ref[3], r_au;
        apsco_sun_teme(utc, mine);
        reference_sun_teme(apsco_time_utc_to_tt(utc), ref, &r_au);
        double d = angle_between(mine, ref);
        worst = fmax(worst, d);
        sum2 += d * d;
        worst_dist = fmax(worst_dist, fabs(eraPm(mine) / AU_KM - r_au) / r_au);
        n++;
    }
    print_message("Sun vs ERFA 1950-2050: largest %.5f deg, rms %.5f deg, distance %.2e relative\n",
                  worst / DEG, sqrt(sum2 / n) / DEG, worst_dist);
    assert_true(worst / DEG <= 0.005);
    assert_true(worst_dist <= 2.5e-5);
}

static const double SUN[3] = {AU_KM, 0.0, 0.0};

static void test_sunlit_fraction_is_one_on_the_day_side_and_zero_in_umbra(void **state)
{
    (void)state;
    assert_near(apsco_sunlit_fraction((double[3]){7000.0, 0.0, 0.0}, SUN), 1.0, 0.0);
    assert_near(apsco_sunlit_fraction((double[3]){0.0, 7000.0, 0.0}, SUN), 1.0, 0.0);
    assert_near(apsco_sunlit_fraction((double[3]){-7000.0, 0.0, 0.0}, SUN), 0.0, 0.0);
    assert_near(apsco_sunlit_fraction((double[3]){-42164.0, 0.0, 3000.0}, SUN), 0.0, 0.0);
    /* The umbra ends about 1.38 million km behind the Earth. */
    assert_near(apsco_sunlit_fraction((double[3]){-1.3e6, 0.0, 0.0}, SUN), 0.0, 0.0);
    double beyond = apsco_sunlit_fraction((double[3]){-1.5e6, 0.0, 0.0}, SUN);
    assert_true(beyond > 0.0 && beyond < 1.0); /* annular: the Earth inside the solar disc */
    assert_near(apsco_sunlit_fraction((double[3]){3000.0, 0.0, 0.0}, SUN), 0.0, 0.0);
}

static void test_sunlit_fraction_rises_monotonically_across_the_penumbra(void **state)
{
    (void)state;
    /* Behind the Earth at GEO distance, moving out from the axis of the shadow. */
    double previous = -1.0;
    int partial = 0;
    for (double y = 6000.0; y <= 6800.0; y += 0.5) {
        double f = apsco_sunlit_fraction((double[3]){-42164.0, y, 0.0}, SUN);
        assert_true(f >= 0.0 && f <= 1.0);
        assert_true(f >= previous);
        if (f > 0.0 && f < 1.0) {
            assert_true(f > previous);
            partial++;
        }
        previous = f;
    }
    assert_near(previous, 1.0, 0.0);
    /* The penumbra at GEO is about 2 × 42164 km × tan(0.267°) ≈ 390 km wide. */
    assert_true(partial > 600 && partial < 900);
    /* On the shadow's edge, the half-way point lies near the Earth's limb. */
    double half = apsco_sunlit_fraction((double[3]){-42164.0, 6378.137 * 1.0, 0.0}, SUN);
    assert_true(half > 0.3 && half < 0.7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sun_teme_matches_erfa_from_1950_to_2050),
        cmocka_unit_test(test_sunlit_fraction_is_one_on_the_day_side_and_zero_in_umbra),
        cmocka_unit_test(test_sunlit_fraction_rises_monotonically_across_the_penumbra),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
