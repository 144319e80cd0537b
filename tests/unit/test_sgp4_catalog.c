/*
 * SGP4 against python-sgp4 on whole catalogs: every satellite of the
 * gpredict 2018 catalog and a sample of CelesTrak's 2026 active catalog
 * (all deep-space objects, 400 near-Earth ones), at the epoch and at random
 * times within 30 days of it, by minutes since epoch and by two-part
 * Julian dates. The requirement is 1 mm and 1 um/s, WGS-72, improved mode,
 * with the same error codes wherever python-sgp4 reports one.
 */
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

#define TOL_KM   1e-6 /* 1 mm */
#define TOL_KM_S 1e-9 /* 1 um/s */

typedef struct catalog_result {
    deviation d;
    long satellites, deep_space, init_errors, jd_states;
} catalog_result;

static void check_state(const apsco_sat *sat, apsco_sgp4_cache *cache, const oracle_state *st,
                        catalog_result *res)
{
    double r[3], v[3];
    int code = st->kind == 'T' ? apsco_sgp4(sat, cache, st->tsince_min, r, v)
                               : apsco_sgp4_at(sat, cache, st->t, r, v);
    double t = st->kind == 'T' ? st->tsince_min : apsco_sat_tsince_min(sat, st->t);
    if (code != st->code)
        fail_msg("satellite %ld at %.6f min: code %d, python-sgp4 %d", sat->norad, t, code,
                 st->code);
    if (code != 0) {
        res->d.errors++;
        return;
    }
    res->jd_states += st->kind == 'J';
    deviation_add(&res->d, sat->norad, t, r, v, st->r_km, st->v_km_s);
    for (int i = 0; i < 3; i++) {
        assert_near(r[i], st->r_km[i], TOL_KM);
        assert_near(v[i], st->v_km_s[i], TOL_KM_S);
    }
}

static void run_catalog(const char *name, catalog_result *res)
{
    oracle_file o;
    static oracle_sat s;
    memset(res, 0, sizeof *res);
    oracle_open(&o, name);
    while (oracle_next(&o, &s)) {
        apsco_elset e;
        apsco_sat sat;
        oracle_init(&s, &e, &sat);
        res->satellites++;
        res->deep_space += sat.deep_space;
        /* An element set that fails at its epoch is refused for every time. */
        assert_int_equal(sat.init_error, s.init_code);
        if (s.init_code) {
            res->init_errors++;
            continue;
        }
        /* The states are in random time order: the cache must cope with that. */
        apsco_sgp4_cache cache;
        apsco_sgp4_cache_reset(&cache);
        for (size_t k = 0; k < s.count; k++)
            check_state(&sat, k % 2 ? &cache : NULL, &s.states[k], res);
    }
    oracle_close(&o);
    printf("# %s: %ld satellites (%ld deep space), %ld failing at epoch, %ld by Julian date\n",
           name, res->satellites, res->deep_space, res->init_errors, res->jd_states);
    deviation_print(name, &res->d);
}

static void test_sgp4_matches_python_sgp4_on_the_gpredict_catalog(void **state)
{
    (void)state;
    catalog_result res;
    run_catalog("sgp4/gpredict-python.txt", &res);
    assert_int_equal(res.satellites, 979);
    assert_true(res.d.errors > 0); /* decayed and eccentricity errors occur in this catalog */
    assert_true(res.jd_states > 0);
}

static void test_sgp4_matches_python_sgp4_on_the_celestrak_sample(void **state)
{
    (void)state;
    catalog_result res;
    run_catalog("sgp4/celestrak-python.txt", &res);
    assert_true(res.deep_space > 700);
    assert_int_equal(res.satellites - res.deep_space, 400);
    assert_true(res.d.errors > 0);
    assert_true(res.jd_states > 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sgp4_matches_python_sgp4_on_the_gpredict_catalog),
        cmocka_unit_test(test_sgp4_matches_python_sgp4_on_the_celestrak_sample),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
