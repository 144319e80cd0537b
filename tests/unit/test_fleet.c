/*
 * The batch engine (apsco/fleet.h) against the scalar path: every satellite
 * of both bundled catalogs and of the verification set, at instants from 30
 * days before to 30 days after the catalog's newest epoch, with every kernel
 * this CPU runs; states within 1 mm and 1 um/s, identical error codes.
 * Also: thread counts, awkward fleet sizes, layouts and strides, streaming
 * blocks, ITRF output, bad times and refused records.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/elements.h"
#include "apsco/fleet.h"
#include "apsco/frames.h"
#include "apsco/orbit.h"
#include "testutil.h"

#define TOL_KM   1e-6 /* 1 mm */
#define TOL_KM_S 1e-9 /* 1 um/s */

/* A catalog initialised for the scalar path. */
typedef struct sat_set {
    apsco_sat *sats;
    size_t count;
    apsco_time newest_epoch;
} sat_set;

static void load_sats(const char *path, sat_set *set)
{
    apsco_catalog cat = {0};
    apsco_error err;
    if (apsco_catalog_load(path, NULL, &cat, &err) != APSCO_OK)
        fail_msg("cannot load %s: %s", path, err.message);
    set->sats = calloc(cat.count, sizeof *set->sats);
    set->count = cat.count;
    set->newest_epoch = cat.items[0].epoch;
    for (size_t i = 0; i < cat.count; i++) {
        apsco_sat_init(&set->sats[i], &cat.items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
        if (apsco_time_compare(cat.items[i].epoch, set->newest_epoch) > 0)
            set->newest_epoch = cat.items[i].epoch;
    }
    apsco_catalog_free(&cat);
}

static void free_sats(sat_set *set)
{
    free(set->sats);
    memset(set, 0, sizeof *set);
}

/* Largest deviations from the scalar path, for the log. */
typedef struct deviation {
    double r_km, v_km_s;
    long compared, errors;
    long worst_norad; /* where the position deviation is largest */
    double worst_t_min;
} deviation;

/*
 * Compares state k of satellite i of `buf` with apsco_sgp4 at the same
 * instant. The scalar caches run forward in the order of the instants.
 */
static void check_against_scalar(const apsco_sat *sats, size_t n, const apsco_times *times,
                                 const apsco_fleet_buffer *buf, apsco_fleet_frame frame,
                                 deviation *d)
{
    for (size_t i = 0; i < n; i++) {
        apsco_sgp4_cache cache;
        apsco_sgp4_cache_reset(&cache);
        for (size_t k = 0; k < times->count; k++) {
            double t = times->kind == APSCO_TIMES_TSINCE
                           ? times->tsince_start_min + (double)k * times->tsince_step_min
                           : apsco_sat_tsince_min(&sats[i], apsco_times_at(times, NULL, k));
            double r[3], v[3];
            int code = apsco_sgp4(&sats[i], &cache, t, r, v);
            if (frame == APSCO_FLEET_ITRF && (code == 0 || code == APSCO_SGP4_DECAYED))
                apsco_teme_to_itrf(apsco_times_at(times, NULL, k), NULL, r, v, r, v);
            int got = buf->code[(ptrdiff_t)i * buf->code_sat_stride +
                                (ptrdiff_t)k * buf->code_instant_stride];
            if (got != code)
                fail_msg("satellite %ld at %.6f min: batch code %d, scalar %d", sats[i].norad, t,
                         got, code);
            const double *s =
                buf->state + (ptrdiff_t)i * buf->sat_stride + (ptrdiff_t)k * buf->instant_stride;
            double x[6];
            for (int c = 0; c < 6; c++)
                x[c] = s[c * buf->component_stride];
            if (code != 0 && code != APSCO_SGP4_DECAYED) {
                d->errors++;
                for (int c = 0; c < 6; c++)
                    if (!isnan(x[c]))
                        fail_msg("satellite %ld at %.6f min: code %d with a state", sats[i].norad,
                                 t, code);
                continue;
            }
            for (int c = 0; c < 3; c++) {
                double dr = fabs(x[c] - r[c]), dv = fabs(x[3 + c] - v[c]);
                if (!(dr <= TOL_KM) || !(dv <= TOL_KM_S))
                    fail_msg("satellite %ld at %.6f min, component %d: batch %.17g %.17g, scalar "
                             "%.17g %.17g",
                             sats[i].norad, t, c, x[c], x[3 + c], r[c], v[c]);
                if (dr > d->r_km) {
                    d->r_km = dr;
                    d->worst_norad = sats[i].norad;
                    d->worst_t_min = t;
                }
                d->v_km_s = dv > d->v_km_s ? dv : d->v_km_s;
            }
            d->compared++;
        }
    }
}

/* A buffer of `layout` for n × m states, allocated. */
static apsco_fleet_buffer new_buffer(apsco_fleet_layout layout, size_t n, size_t m)
{
    apsco_fleet_buffer buf = {0};
    assert_int_equal(apsco_fleet_buffer_layout(&buf, layout, n, m), APSCO_OK);
    size_t states = n * m > 0 ? n * m : 1;
    buf.state = malloc(states * 6 * sizeof *buf.state);
    buf.code = malloc(states);
    return buf;
}

static void free_buffer(apsco_fleet_buffer *buf)
{
    free(buf->state);
    free(buf->code);
}

static const apsco_fleet_kernel all_kernels[] = {APSCO_KERNEL_SCALAR, APSCO_KERNEL_AVX2,
                                                 APSCO_KERNEL_AVX512};

static int kernel_runs_here(apsco_fleet_kernel k)
{
    apsco_fleet_kernel best = apsco_fleet_kernel_best();
    return k == APSCO_KERNEL_SCALAR || k <= best;
}

/* Propagates `sats` with every kernel and compares each with the scalar path. */
static void check_all_kernels(const char *what, const apsco_sat *sats, size_t n,
                              const apsco_times *times, apsco_fleet_layout layout, int threads)
{
    apsco_fleet *fleet;
    apsco_error err;
    assert_int_equal(apsco_fleet_new(&fleet, sats, n, &err), APSCO_OK);
    apsco_fleet_buffer buf = new_buffer(layout, n, times->count);
    for (size_t j = 0; j < sizeof all_kernels / sizeof *all_kernels; j++) {
        if (!kernel_runs_here(all_kernels[j]))
            continue;
        apsco_fleet_options opt = {threads, APSCO_FLEET_TEME, NULL, all_kernels[j]};
        assert_int_equal(apsco_fleet_propagate(fleet, times, &opt, &buf, &err), APSCO_OK);
        deviation d = {0};
        check_against_scalar(sats, n, times, &buf, APSCO_FLEET_TEME, &d);
        printf("# %s, %s kernel: %zu satellites (%zu deep space), %ld states, %ld errors; "
               "largest deviation %.3g km (%ld at %.1f min), %.3g km/s\n",
               what, apsco_fleet_kernel_name(all_kernels[j]), n,
               apsco_fleet_deep_space_count(fleet), d.compared, d.errors, d.r_km, d.worst_norad,
               d.worst_t_min, d.v_km_s);
    }
    free_buffer(&buf);
    apsco_fleet_free(fleet);
}

/* Instants from 30 days before to 30 days after `center`, a few out of order. */
static const double catalog_offsets_min[] = {
    -43200.0, -30000.5, -20160.0, -10080.0, -1440.0, -719.9, -100.0, -1.0,
    0.0,      1.0,      7.5,      90.0,     720.0,   1439.0, 1440.0, 5000.25,
    10080.0,  20160.0,  30000.0,  43200.0,  100.0,   -50.0};
#define N_OFFSETS (sizeof catalog_offsets_min / sizeof *catalog_offsets_min)

static void check_catalog(const char *path)
{
    sat_set set;
    load_sats(path, &set);
    apsco_time list[N_OFFSETS];
    for (size_t k = 0; k < N_OFFSETS; k++)
        list[k] = apsco_time_add_min(set.newest_epoch, catalog_offsets_min[k]);
    apsco_times times = apsco_times_list(list, N_OFFSETS);
    check_all_kernels(path, set.sats, set.count, &times, APSCO_LAYOUT_SAT_MAJOR, 0);
    free_sats(&set);
}

static void test_fleet_matches_scalar_on_the_gpredict_catalog(void **state)
{
    (void)state;
    check_catalog(APSCO_TEST_DATA "/../../data/gpredict-2018.tle");
}

static void test_fleet_matches_scalar_on_the_celestrak_catalog(void **state)
{
    (void)state;
    check_catalog(APSCO_TEST_DATA "/../../data/celestrak-active-2026-03-19.tle");
}

/* The verification set with its error cases: one fleet over a common grid of minutes. */
static void test_fleet_matches_scalar_on_the_verification_set(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    apsco_times times = apsco_times_tsince(-1440.0, 37.5, 155);
    check_all_kernels("SGP4-VER.TLE, -1440 to 4335 min", set.sats, set.count, &times,
                      APSCO_LAYOUT_TIME_MAJOR, 2);
    free_sats(&set);
}

/*
 * Each verification satellite on its own run (start, stop, step after
 * column 69), as a one-satellite fleet: the lanes are mostly padding.
 */
static void test_fleet_matches_scalar_on_each_verification_run(void **state)
{
    (void)state;
    FILE *f = fopen(test_data_path("tle/SGP4-VER.TLE"), "r");
    assert_non_null(f);
    char l1[256], l2[256];
    long runs = 0;
    while (fgets(l1, sizeof l1, f)) {
        if (l1[0] != '1' || !fgets(l2, sizeof l2, f))
            continue;
        double start, stop, step;
        assert_int_equal(sscanf(l2 + 69, "%lf %lf %lf", &start, &stop, &step), 3);
        apsco_elset e;
        apsco_sat sat;
        assert_int_equal(apsco_elset_parse_tle(l1, l2, NULL, "SGP4-VER.TLE", 0, NULL, &e, NULL),
                         APSCO_OK);
        apsco_sat_init(&sat, &e, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
        size_t n = (size_t)floor((stop - start) / step + 1e-9) + 1;
        apsco_times times = apsco_times_tsince(start, step, n);
        char what[64];
        snprintf(what, sizeof what, "verification run of %ld", sat.norad);
        check_all_kernels(what, &sat, 1, &times, APSCO_LAYOUT_SAT_MAJOR, 1);
        runs++;
    }
    fclose(f);
    assert_true(runs >= 30);
}

/* Fleets of sizes that do not fill whole vectors, cut from a mixed catalog. */
static void test_fleet_handles_awkward_sizes(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    static const size_t sizes[] = {0, 1, 2, 3, 5, 7, 8, 9, 15, 16, 17, 25};
    apsco_times times = apsco_times_tsince(-300.0, 61.0, 13);
    for (size_t j = 0; j < sizeof sizes / sizeof *sizes; j++) {
        size_t n = sizes[j] < set.count ? sizes[j] : set.count;
        /* From the end of the set, where deep-space and failing records are. */
        char what[64];
        snprintf(what, sizeof what, "%zu satellites", n);
        check_all_kernels(what, set.sats + set.count - n, n, &times, APSCO_LAYOUT_TIME_PLANES, 3);
    }
    free_sats(&set);
}

/* Propagates the gpredict catalog with `threads` threads into a new buffer. */
static apsco_fleet_buffer propagate_with(const apsco_fleet *fleet, const apsco_times *times,
                                         int threads, apsco_fleet_kernel kernel)
{
    apsco_fleet_buffer buf =
        new_buffer(APSCO_LAYOUT_SAT_MAJOR, apsco_fleet_count(fleet), times->count);
    apsco_fleet_options opt = {threads, APSCO_FLEET_TEME, NULL, kernel};
    assert_int_equal(apsco_fleet_propagate(fleet, times, &opt, &buf, NULL), APSCO_OK);
    return buf;
}

static void test_fleet_results_do_not_depend_on_the_thread_count(void **state)
{
    (void)state;
    sat_set set;
    load_sats(APSCO_TEST_DATA "/../../data/gpredict-2018.tle", &set);
    apsco_fleet *fleet;
    assert_int_equal(apsco_fleet_new(&fleet, set.sats, set.count, NULL), APSCO_OK);
    apsco_times times = apsco_times_grid(set.newest_epoch, 600.0, 30);
    size_t n = set.count * times.count;
    apsco_fleet_buffer one = propagate_with(fleet, &times, 1, APSCO_KERNEL_AUTO);
    for (int threads = 2; threads <= 3; threads++) {
        apsco_fleet_buffer many = propagate_with(fleet, &times, threads, APSCO_KERNEL_AUTO);
        assert_memory_equal(one.state, many.state, n * 6 * sizeof(double));
        assert_memory_equal(one.code, many.code, n);
        free_buffer(&many);
    }
    free_buffer(&one);
    apsco_fleet_free(fleet);
    free_sats(&set);
}

/* What a streaming callback saw, copied into a SAT_MAJOR array of the whole run. */
typedef struct stream_copy {
    apsco_fleet_buffer whole;
    size_t instants, blocks, next_first;
    int stop_after;
} stream_copy;

static int copy_block(void *ctx, const apsco_fleet_block *b)
{
    stream_copy *c = ctx;
    assert_int_equal(b->first_instant, c->next_first);
    c->next_first += b->instants;
    for (size_t i = 0; i < b->satellites; i++) {
        for (size_t k = 0; k < b->instants; k++) {
            const apsco_fleet_buffer *s = b->buf;
            size_t K = b->first_instant + k;
            for (int comp = 0; comp < 6; comp++)
                c->whole.state[(i * c->instants + K) * 6 + (size_t)comp] =
                    s->state[(ptrdiff_t)i * s->sat_stride + (ptrdiff_t)k * s->instant_stride +
                             comp * s->component_stride];
            c->whole.code[i * c->instants + K] =
                s->code[(ptrdiff_t)i * s->code_sat_stride + (ptrdiff_t)k * s->code_instant_stride];
        }
    }
    c->blocks++;
    return c->stop_after && (int)c->blocks >= c->stop_after;
}

static void test_fleet_stream_blocks_equal_one_shot_output(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    apsco_fleet *fleet;
    assert_int_equal(apsco_fleet_new(&fleet, set.sats, set.count, NULL), APSCO_OK);
    apsco_times times = apsco_times_tsince(-2000.0, 97.0, 53);
    size_t n = set.count * times.count;
    apsco_fleet_buffer one = propagate_with(fleet, &times, 2, APSCO_KERNEL_AUTO);
    static const apsco_fleet_layout layouts[] = {APSCO_LAYOUT_SAT_MAJOR, APSCO_LAYOUT_TIME_MAJOR,
                                                 APSCO_LAYOUT_TIME_PLANES};
    static const size_t block_sizes[] = {1, 7, 53, 100, 0};
    for (size_t l = 0; l < 3; l++) {
        for (size_t b = 0; b < sizeof block_sizes / sizeof *block_sizes; b++) {
            stream_copy c = {new_buffer(APSCO_LAYOUT_SAT_MAJOR, set.count, times.count),
                             times.count, 0, 0, 0};
            assert_int_equal(apsco_fleet_stream(fleet, &times, NULL, layouts[l], block_sizes[b],
                                                copy_block, &c, NULL),
                             APSCO_OK);
            assert_int_equal(c.next_first, times.count);
            assert_memory_equal(one.state, c.whole.state, n * 6 * sizeof(double));
            assert_memory_equal(one.code, c.whole.code, n);
            free_buffer(&c.whole);
        }
    }
    /* A callback that asks to stop ends the run there. */
    stream_copy c = {new_buffer(APSCO_LAYOUT_SAT_MAJOR, set.count, times.count), times.count, 0, 0,
                     2};
    apsco_error err;
    assert_int_equal(
        apsco_fleet_stream(fleet, &times, NULL, APSCO_LAYOUT_TIME_MAJOR, 10, copy_block, &c, &err),
        APSCO_ERR_STOPPED);
    assert_int_equal(c.blocks, 2);
    free_buffer(&c.whole);
    free_buffer(&one);
    apsco_fleet_free(fleet);
    free_sats(&set);
}

/* Custom strides: positions only of every other satellite's slot, into a wider array. */
static void test_fleet_writes_through_arbitrary_strides(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    apsco_fleet *fleet;
    assert_int_equal(apsco_fleet_new(&fleet, set.sats, set.count, NULL), APSCO_OK);
    apsco_times times = apsco_times_tsince(0.0, 360.0, 5);
    /* Satellite i, instant k, component c at [(k * 2n + 2i) * 8 + c]; codes at [i * 16 + k]. */
    size_t n = set.count;
    apsco_fleet_buffer buf = {calloc(times.count * 2 * n * 8, sizeof(double)),
                              16,
                              (ptrdiff_t)(2 * n * 8),
                              1,
                              calloc(n * 16, 1),
                              16,
                              1};
    assert_int_equal(apsco_fleet_propagate(fleet, &times, NULL, &buf, NULL), APSCO_OK);
    deviation d = {0};
    check_against_scalar(set.sats, n, &times, &buf, APSCO_FLEET_TEME, &d);
    /* The gaps are untouched. */
    for (size_t k = 0; k < times.count; k++)
        for (size_t i = 0; i < n; i++)
            assert_true(buf.state[(k * 2 * n + 2 * i) * 8 + 6] == 0.0 &&
                        buf.state[(k * 2 * n + 2 * i + 1) * 8] == 0.0);
    free_buffer(&buf);
    apsco_fleet_free(fleet);
    free_sats(&set);
}

static void test_fleet_itrf_output_equals_the_rotated_scalar_state(void **state)
{
    (void)state;
    sat_set set;
    load_sats(APSCO_TEST_DATA "/../../data/gpredict-2018.tle", &set);
    apsco_fleet *fleet;
    assert_int_equal(apsco_fleet_new(&fleet, set.sats, set.count, NULL), APSCO_OK);
    apsco_times times = apsco_times_grid(set.newest_epoch, -3600.0, 6);
    apsco_fleet_buffer buf = new_buffer(APSCO_LAYOUT_TIME_MAJOR, set.count, times.count);
    apsco_fleet_options opt = {2, APSCO_FLEET_ITRF, NULL, APSCO_KERNEL_AUTO};
    assert_int_equal(apsco_fleet_propagate(fleet, &times, &opt, &buf, NULL), APSCO_OK);
    deviation d = {0};
    check_against_scalar(set.sats, set.count, &times, &buf, APSCO_FLEET_ITRF, &d);
    /* ITRF needs absolute instants. */
    apsco_times ts = apsco_times_tsince(0.0, 1.0, 2);
    apsco_error err;
    assert_int_equal(apsco_fleet_propagate(fleet, &ts, &opt, &buf, &err), APSCO_ERR_ARG);
    free_buffer(&buf);
    apsco_fleet_free(fleet);
    free_sats(&set);
}

/* Non-finite and absurd instants give code 7 for that instant only; refused records their code. */
static void test_fleet_reports_bad_times_and_refused_records(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    size_t refused = 0;
    for (size_t i = 0; i < set.count; i++)
        refused += set.sats[i].init_error != 0;
    assert_true(refused > 0);
    apsco_time e = set.newest_epoch;
    apsco_time list[] = {
        e, {NAN, 0.0}, apsco_time_add_min(e, 2e9), apsco_time_add_min(e, 60.0), {INFINITY, 0.0}};
    apsco_times times = apsco_times_list(list, 5);
    check_all_kernels("bad times", set.sats, set.count, &times, APSCO_LAYOUT_SAT_MAJOR, 2);
    free_sats(&set);
}

/*
 * A record that apsco_sat_init zeroed (non-finite elements) is no SGP4
 * record at all; the engine answers for it what apsco_sgp4 answers.
 */
static void test_fleet_treats_a_zeroed_record_as_apsco_sgp4_does(void **state)
{
    (void)state;
    sat_set set;
    load_sats(test_data_path("tle/SGP4-VER.TLE"), &set);
    apsco_elset e;
    apsco_error err;
    memset(&e, 0, sizeof e);
    e.mean_motion_rad_min = NAN;
    e.epoch = set.newest_epoch;
    assert_int_equal(apsco_sat_init(&set.sats[3], &e, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, &err),
                     APSCO_ERR_VALUE);
    apsco_time e0 = set.newest_epoch;
    apsco_time list[] = {e0, apsco_time_add_min(e0, 90.0), {NAN, 0.0}};
    apsco_times times = apsco_times_list(list, 3);
    check_all_kernels("a zeroed record", set.sats, 12, &times, APSCO_LAYOUT_SAT_MAJOR, 1);
    free_sats(&set);
}

static void test_fleet_rejects_bad_arguments(void **state)
{
    (void)state;
    apsco_fleet *fleet;
    apsco_error err;
    assert_int_equal(apsco_fleet_new(NULL, NULL, 0, &err), APSCO_ERR_ARG);
    assert_int_equal(apsco_fleet_new(&fleet, NULL, 3, &err), APSCO_ERR_ARG);
    assert_int_equal(apsco_fleet_new(&fleet, NULL, 0, &err), APSCO_OK);
    assert_int_equal(apsco_fleet_count(fleet), 0);
    apsco_times list = apsco_times_list(NULL, 3);
    apsco_fleet_buffer buf = {0};
    assert_int_equal(apsco_fleet_propagate(fleet, &list, NULL, &buf, &err), APSCO_ERR_ARG);
    apsco_times grid = apsco_times_grid((apsco_time){2451545.0, 0.0}, 60.0, 3);
    assert_int_equal(apsco_fleet_propagate(fleet, &grid, NULL, &buf, &err), APSCO_OK);
    assert_int_equal(apsco_fleet_propagate(NULL, &grid, NULL, &buf, &err), APSCO_ERR_ARG);
    assert_int_equal(
        apsco_fleet_stream(fleet, &grid, NULL, APSCO_LAYOUT_SAT_MAJOR, 0, NULL, NULL, &err),
        APSCO_ERR_ARG);
    assert_int_equal(
        apsco_fleet_stream(fleet, &grid, NULL, (apsco_fleet_layout)9, 0, copy_block, NULL, &err),
        APSCO_ERR_ARG);
    assert_int_equal(apsco_fleet_buffer_layout(&buf, (apsco_fleet_layout)9, 1, 1), APSCO_ERR_ARG);
    apsco_fleet_free(fleet);
    apsco_fleet_free(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fleet_matches_scalar_on_the_gpredict_catalog),
        cmocka_unit_test(test_fleet_matches_scalar_on_the_celestrak_catalog),
        cmocka_unit_test(test_fleet_matches_scalar_on_the_verification_set),
        cmocka_unit_test(test_fleet_matches_scalar_on_each_verification_run),
        cmocka_unit_test(test_fleet_handles_awkward_sizes),
        cmocka_unit_test(test_fleet_results_do_not_depend_on_the_thread_count),
        cmocka_unit_test(test_fleet_stream_blocks_equal_one_shot_output),
        cmocka_unit_test(test_fleet_writes_through_arbitrary_strides),
        cmocka_unit_test(test_fleet_itrf_output_equals_the_rotated_scalar_state),
        cmocka_unit_test(test_fleet_reports_bad_times_and_refused_records),
        cmocka_unit_test(test_fleet_treats_a_zeroed_record_as_apsco_sgp4_does),
        cmocka_unit_test(test_fleet_rejects_bad_arguments),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
