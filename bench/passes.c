/*
 * passes.c — speed of the pass search: a catalog (optionally cut to its
 * first N objects, or a seeded synthetic catalog derived from it) over a
 * station file for D days, timed from the initialised satellites to the
 * sorted pass list (propagation, search, refinement, sunlight; no output
 * formatting). Not a test; one line of figures goes to stdout.
 *
 * With --repeat R the search runs R times and the least wall time and the
 * least CPU time (all threads) over the runs are reported.
 *
 * Build after a Release build (bench/passes.sh does this):
 *   cc -O2 -Iinclude bench/passes.c build/libapsco.a \
 *      $(pkg-config --libs erfa jansson expat sleef sqlite3 libcurl) -fopenmp -lm \
 *      -o build/bench_passes
 * Usage:
 *   build/bench_passes CATALOG STATIONS DAYS [--first N] [--stations N]
 *                      [--synth COUNT SEED] [--threads T] [--repeat R] [--dump FILE]
 *                      [--plain]
 * --plain runs the search's plain compilation even where the CPU has AVX2
 * and FMA (apsco_pass_options.plain_kernel). --dump writes the pass list
 * of the last run to FILE, one line a pass (to compare the results of two
 * builds).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"
#include "apsco/passes.h"
#include "apsco/stations.h"
#include "apsco/synth.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* CPU time of the whole process (every thread), seconds. */
static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int fail(const apsco_error *err)
{
    char buf[1024];
    fprintf(stderr, "bench_passes: %s\n", apsco_error_format(err, buf, sizeof buf));
    return 1;
}

/* The pass list, one line a pass: indices, times (s), angles (rad), sunlight. */
static int write_dump(const char *path, const apsco_pass_list *list)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (size_t i = 0; i < list->count; i++) {
        const apsco_pass *p = &list->items[i];
        fprintf(f, "%zu %zu %.6f %.6f %.6f %.9f %.9f %.9f %.9f %.6f %.9f %d %d %d\n", p->sat,
                p->site, p->aos_s, p->tca_s, p->los_s, p->aos_az_rad, p->tca_az_rad, p->tca_el_rad,
                p->los_az_rad, p->tca_range_km, p->sunlit_fraction, p->visible, p->aos_clipped,
                p->los_clipped);
    }
    return fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fprintf(stderr,
                "usage: %s CATALOG STATIONS DAYS [--first N] [--stations N] [--synth COUNT SEED] "
                "[--threads T] [--repeat R] [--dump FILE] [--plain]\n",
                argv[0]);
        return 2;
    }
    size_t first = 0, synth = 0, first_stations = 0;
    unsigned long long seed = 1;
    int threads = 0, repeat = 1, plain = 0;
    const char *dump = NULL;
    for (int i = 4; i < argc; i++) {
        if (!strcmp(argv[i], "--first") && i + 1 < argc)
            first = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--stations") && i + 1 < argc)
            first_stations = strtoul(argv[++i], NULL, 10);
        else if (!strcmp(argv[i], "--synth") && i + 2 < argc) {
            synth = strtoul(argv[++i], NULL, 10);
            seed = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(argv[i], "--threads") && i + 1 < argc)
            threads = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = argv[++i];
        else if (!strcmp(argv[i], "--plain"))
            plain = 1;
    }
    apsco_error err;
    apsco_catalog cat = {0};
    apsco_station_list st = {0};
    if (apsco_catalog_load(argv[1], NULL, &cat, &err) || apsco_stations_load(argv[2], &st, &err))
        return fail(&err);
    if (synth) {
        apsco_catalog syn = {0};
        apsco_synth_options o = apsco_synth_defaults();
        o.count = synth;
        o.seed = seed;
        if (apsco_catalog_synthesize(&cat, &o, &syn, &err))
            return fail(&err);
        apsco_catalog_free(&cat);
        cat = syn;
    }
    if (first && first < cat.count)
        cat.count = first;
    size_t station_count = st.count;
    if (first_stations && first_stations < st.count)
        st.count = first_stations;
    double days = atof(argv[3]);
    apsco_sat *sats = calloc(cat.count, sizeof *sats);
    apsco_pass_site *sites = calloc(st.count, sizeof *sites);
    for (size_t i = 0; i < cat.count; i++)
        apsco_sat_init(&sats[i], &cat.items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
    for (size_t i = 0; i < st.count; i++)
        apsco_pass_site_from_station(&sites[i], &st.items[i]);
    apsco_pass_options opt = {0};
    opt.start = apsco_time_from_calendar(2026, 3, 19, 0, 0, 0.0);
    opt.end = apsco_time_add_s(opt.start, days * 86400.0);
    opt.threads = threads;
    opt.plain_kernel = plain;
    apsco_pass_list list = {0};
    double elapsed = 0.0, cpu = 0.0;
    for (int r = 0; r < (repeat > 0 ? repeat : 1); r++) {
        apsco_pass_list_free(&list);
        double t0 = now_s(), c0 = cpu_s();
        if (apsco_passes_find(sats, cat.count, sites, st.count, &opt, &list, &err))
            return fail(&err);
        double w = now_s() - t0, c = cpu_s() - c0;
        if (r == 0 || w < elapsed)
            elapsed = w;
        if (r == 0 || c < cpu)
            cpu = c;
    }
    double units = (double)cat.count * (double)st.count * days;
    printf("apsco: %zu satellites x %zu stations x %g days: %zu passes in %.3f s wall, "
           "%.3f s CPU (%.3f us CPU per satellite-station-day)\n",
           cat.count, st.count, days, list.count, elapsed, cpu, 1e6 * cpu / units);
    if (dump && write_dump(dump, &list) != 0) {
        fprintf(stderr, "bench_passes: cannot write %s\n", dump);
        return 1;
    }
    apsco_pass_list_free(&list);
    free(sats);
    free(sites);
    st.count = station_count;
    apsco_station_list_free(&st);
    apsco_catalog_free(&cat);
    return 0;
}
