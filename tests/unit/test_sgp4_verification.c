/*
 * The SGP4 verification set of Vallado et al. (2006): every satellite of
 * SGP4-VER.TLE propagated over the run written after column 69 of its
 * second line, compared with the reference implementation's published
 * output (tcppver.out) and with python-sgp4 at full precision.
 */
#include <float.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"
#include "testutil.h"

#include "sgp4_oracle.h"

#define MAX_TIMES 512

/* One satellite of SGP4-VER.TLE with its verification run. */
typedef struct ver_sat {
    char line1[128], line2[128];
    double start_min, stop_min, step_min;
} ver_sat;

/* Reads the next element set of SGP4-VER.TLE; the run is read here, not by the parser. */
static int next_ver_sat(FILE *f, ver_sat *s)
{
    char line[256];
    while (fgets(line, sizeof line, f)) {
        if (line[0] != '1')
            continue;
        snprintf(s->line1, sizeof s->line1, "%.127s", line);
        if (!fgets(line, sizeof line, f))
            fail_msg("SGP4-VER.TLE ends after a line 1");
        snprintf(s->line2, sizeof s->line2, "%.127s", line);
        if (strlen(line) < 70 ||
            sscanf(line + 69, "%lf %lf %lf", &s->start_min, &s->stop_min, &s->step_min) != 3)
            fail_msg("no verification run after column 69: %s", line);
        return 1;
    }
    return 0;
}

/*
 * The times of a run as the reference's driver generates them: the epoch,
 * then start, start + step, … up to stop, and stop itself when the steps
 * miss it.
 */
static int run_times(const ver_sat *s, double *t)
{
    int n = 0;
    t[n++] = 0.0;
    double ts = s->start_min;
    while (ts <= s->stop_min && n < MAX_TIMES) {
        if (!(ts == s->start_min && s->start_min == 0.0))
            t[n++] = ts;
        ts += s->step_min;
    }
    if (ts - s->stop_min < s->step_min - 1e-6 && n < MAX_TIMES)
        t[n++] = s->stop_min;
    return n;
}

static void init_ver_sat(const ver_sat *s, apsco_elset *e, apsco_sat *sat)
{
    apsco_error err;
    if (apsco_elset_parse_tle(s->line1, s->line2, NULL, "SGP4-VER.TLE", 0, NULL, e, &err))
        fail_msg("cannot parse %s: %s", s->line1, err.message);
    apsco_status st = apsco_sat_init(sat, e, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, &err);
    assert_true(st == APSCO_OK || st == APSCO_ERR_SGP4);
    assert_int_equal(st == APSCO_ERR_SGP4, sat->init_error != 0);
}

/* A data line of tcppver.out: minutes since epoch, km, km/s. */
typedef struct tcpp_line {
    double t, r[3], v[3];
} tcpp_line;

/* Reads the block of tcppver.out that starts with "<norad> xx". Returns its line count. */
static int read_tcpp_block(FILE *f, long norad, tcpp_line *out, int max)
{
    char line[512];
    long pos = ftell(f);
    if (!fgets(line, sizeof line, f))
        fail_msg("tcppver.out ends before satellite %ld", norad);
    long n_in_file;
    char xx[8];
    if (sscanf(line, "%ld %7s", &n_in_file, xx) != 2 || strcmp(xx, "xx") != 0 || n_in_file != norad)
        fail_msg("tcppver.out: expected '%ld xx', got %s", norad, line);
    int n = 0;
    for (;;) {
        pos = ftell(f);
        if (!fgets(line, sizeof line, f))
            break;
        if (strstr(line, "xx")) {
            fseek(f, pos, SEEK_SET);
            break;
        }
        tcpp_line *l = &out[n];
        if (n == max || sscanf(line, "%lf %lf %lf %lf %lf %lf %lf", &l->t, &l->r[0], &l->r[1],
                               &l->r[2], &l->v[0], &l->v[1], &l->v[2]) != 7)
            fail_msg("tcppver.out: bad line %s", line);
        n++;
    }
    return n;
}

/*
 * tcppver.out prints positions with 8 decimals and velocities with 9: a
 * value reproduces a line when it is within half a unit of the last digit,
 * plus a few ulps for the decimal-to-binary conversion of the printed value.
 */
#define HALF_UNIT_KM   0.5e-8
#define HALF_UNIT_KM_S 0.5e-9

/*
 * Lines that the reference's own platform printed differently from what any
 * correctly implemented IEEE-754 double evaluation on glibc gives. Our values
 * are bit-for-bit those of python-sgp4 once python-sgp4's three departures
 * from the C++ (floored % for fmod, the order of the Lyddane xls sum, and
 * (mrt * R) * u for (mrt * u) * R) are undone in its source, so they are the
 * reference's arithmetic on this machine. Each entry says why the printed
 * digits differ; the tolerances are the measured residuals, rounded up.
 * (Perturbing the results of sin, cos, pow and atan2 by one ulp at random,
 * as another libm would, moves the verification results by up to 1.3e-9 km
 * outside the long run below, and makes 28129 print tcppver.out's digits in
 * 15 of 100 trials.)
 */
typedef struct tcpp_exception {
    long norad;
    double from_min, to_min; /* inclusive range of the run */
    double tol_km, tol_km_s; /* replaces the half-unit tolerances */
    const char *why;
} tcpp_exception;

static const tcpp_exception tcpp_exceptions[] = {
    /* z = -3692.12865694497 km: 2.7e-11 km inside the interval that prints ...694. */
    {28057, 360.0, 360.0, HALF_UNIT_KM + 5e-11, HALF_UNIT_KM_S,
     "within 3e-11 km of a rounding boundary; 1-ulp libm differences move results by 1e-9 km"},
    /* x = 21858.2383814850036 km: 3.6e-12 km inside the interval that prints ...149. */
    {28129, 720.0, 720.0, HALF_UNIT_KM + 5e-11, HALF_UNIT_KM_S,
     "within 4e-12 km of a rounding boundary; 1-ulp libm differences move results by 1e-9 km"},
    /*
     * 20413 (e = 0.786, not resonant) propagated 3.5 years. The residuals
     * are along-track offsets of exactly 0 or ±1 ulp of the ~2000-rad mean
     * anomaly (2.3e-13 rad; 27 of the 69 lines are one ulp off, measured to
     * ±0.13 ulp). Evaluating mo + mdot * t, mm + argpm + nodem and
     * xlm - argpm - nodem with a single rounding each, as an x87 FPU keeping
     * intermediates in 80-bit registers would, leaves 5 of the 75 failing
     * components: the reference's platform rounded these sums differently.
     */
    {20413, 1844000.0, 1845100.0, 1.2e-7, HALF_UNIT_KM_S,
     "3.5-year propagation: a few ulps of the 2000-rad mean anomaly exceed the printed digits"},
};

static const tcpp_exception *tcpp_exception_for(long norad, double t)
{
    for (size_t i = 0; i < sizeof tcpp_exceptions / sizeof tcpp_exceptions[0]; i++) {
        const tcpp_exception *x = &tcpp_exceptions[i];
        if (x->norad == norad && t >= x->from_min && t <= x->to_min)
            return x;
    }
    return NULL;
}

static void check_tcpp_line(long norad, const tcpp_line *l, const double r[3], const double v[3],
                            deviation *strict, deviation *excepted)
{
    const tcpp_exception *x = tcpp_exception_for(norad, l->t);
    double tol_km = x ? x->tol_km : HALF_UNIT_KM;
    double tol_km_s = x ? x->tol_km_s : HALF_UNIT_KM_S;
    deviation_add(x ? excepted : strict, norad, l->t, r, v, l->r, l->v);
    for (int i = 0; i < 3; i++) {
        assert_near(r[i], l->r[i], tol_km + 4 * DBL_EPSILON * fabs(l->r[i]));
        assert_near(v[i], l->v[i], tol_km_s + 4 * DBL_EPSILON * fabs(l->v[i]));
    }
}

/* The errors the run stopped with, in order: satellite, minutes, code. */
typedef struct run_error {
    long norad;
    double t;
    int code;
} run_error;

static void test_sgp4_reproduces_tcppver_to_its_printed_precision(void **state)
{
    (void)state;
    FILE *tle = fopen(test_data_path("tle/SGP4-VER.TLE"), "r");
    FILE *out = fopen(test_data_path("sgp4/tcppver.out"), "r");
    assert_non_null(tle);
    assert_non_null(out);
    static tcpp_line lines[MAX_TIMES];
    double times[MAX_TIMES];
    double prev_r[3] = {0}, prev_v[3] = {0};
    deviation strict = {0}, excepted = {0};
    run_error errors[16];
    int n_errors = 0, n_sats = 0;
    ver_sat s;
    while (next_ver_sat(tle, &s)) {
        apsco_elset e;
        apsco_sat sat;
        init_ver_sat(&s, &e, &sat);
        int n_lines = read_tcpp_block(out, e.norad, lines, MAX_TIMES);
        n_sats++;
        if (sat.init_error) {
            /* The reference driver printed its stale output arrays at t = 0. */
            assert_int_equal(n_lines, 1);
            assert_true(lines[0].t == 0.0);
            for (int i = 0; i < 3; i++) {
                assert_true(lines[0].r[i] == prev_r[i]);
                assert_true(lines[0].v[i] == prev_v[i]);
            }
            errors[n_errors++] = (run_error){e.norad, 0.0, sat.init_error};
            continue;
        }
        int n = run_times(&s, times), k = 0;
        for (; k < n; k++) {
            double r[3], v[3];
            int code = apsco_sgp4(&sat, NULL, times[k], r, v);
            if (code != 0) {
                assert_true(n_errors < 16);
                errors[n_errors++] = (run_error){e.norad, times[k], code};
                break;
            }
            assert_true(k < n_lines);
            assert_near(lines[k].t, times[k], 1e-8);
            check_tcpp_line(e.norad, &lines[k], r, v, &strict, &excepted);
            memcpy(prev_r, lines[k].r, sizeof prev_r);
            memcpy(prev_v, lines[k].v, sizeof prev_v);
        }
        /* tcppver.out stops a satellite's lines where its run stopped. */
        assert_int_equal(k, n_lines);
    }
    assert_int_equal(n_sats, 33);
    fclose(tle);
    fclose(out);

    /* python-sgp4's tests.py lists the same codes: 1, 1, 6, 6, 4, 3, 6. */
    static const run_error expected[] = {
        {22312, 494.2028672, 1}, {28350, 1560.0, 1}, {28872, 55.0, 6},     {29141, 440.0, 6},
        {33333, 25.0, 4},        {33334, 0.0, 3},    {20413, 1844345.0, 6}};
    assert_int_equal(n_errors, sizeof expected / sizeof expected[0]);
    for (int i = 0; i < n_errors; i++) {
        assert_int_equal(errors[i].norad, expected[i].norad);
        assert_int_equal(errors[i].code, expected[i].code);
        assert_near(errors[i].t, expected[i].t, 1e-6);
    }
    strict.errors = excepted.errors = n_errors;
    deviation_print("tcppver.out, lines held to half a printed unit", &strict);
    deviation_print("tcppver.out, documented exceptions", &excepted);
}

/*
 * python-sgp4 on the same runs at full precision. The only line beyond
 * 1e-8 km is 20413 at 1844070 min (2.6e-8 km): python-sgp4 reduces the lunar
 * node xnodce with Python's floored %, the reference with C's fmod; the
 * argument is negative, the two results differ by 2 pi, their sines and
 * cosines by an ulp, and the 3.5-year run turns that into 2.6e-8 km. Making
 * only that one reduction an fmod in python-sgp4 gives our value there.
 */
typedef struct python_exception {
    long norad;
    double t_min, tol_km;
} python_exception;

static const python_exception python_exceptions[] = {{20413, 1844070.0, 3e-8}};

static double python_tol_km(long norad, double t)
{
    for (size_t i = 0; i < sizeof python_exceptions / sizeof python_exceptions[0]; i++)
        if (python_exceptions[i].norad == norad && python_exceptions[i].t_min == t)
            return python_exceptions[i].tol_km;
    return 1e-8;
}

static void test_sgp4_matches_python_sgp4_on_the_verification_runs(void **state)
{
    (void)state;
    oracle_file o;
    static oracle_sat s;
    deviation d = {0};
    int n_sats = 0;
    oracle_open(&o, "sgp4/verification-python.txt");
    while (oracle_next(&o, &s)) {
        apsco_elset e;
        apsco_sat sat;
        oracle_init(&s, &e, &sat);
        n_sats++;
        assert_int_equal(sat.init_error, s.init_code);
        if (s.init_code) {
            d.errors++;
            continue;
        }
        for (size_t k = 0; k < s.count; k++) {
            const oracle_state *st = &s.states[k];
            double r[3], v[3];
            int code = apsco_sgp4(&sat, NULL, st->tsince_min, r, v);
            assert_int_equal(code, st->code);
            if (code) {
                d.errors++;
                continue;
            }
            deviation_add(&d, e.norad, st->tsince_min, r, v, st->r_km, st->v_km_s);
            for (int i = 0; i < 3; i++) {
                assert_near(r[i], st->r_km[i], python_tol_km(e.norad, st->tsince_min));
                assert_near(v[i], st->v_km_s[i], 1e-11);
            }
        }
    }
    oracle_close(&o);
    assert_int_equal(n_sats, 33);
    deviation_print("python-sgp4, verification runs", &d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgp4_reproduces_tcppver_to_its_printed_precision),
        cmocka_unit_test(test_sgp4_matches_python_sgp4_on_the_verification_runs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
