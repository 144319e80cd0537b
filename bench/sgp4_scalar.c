/*
 * sgp4_scalar.c — speed of the scalar SGP4 path: every satellite of a
 * catalog propagated over one day in one-minute steps on one thread, with
 * and without the resonance cache. Not a test; numbers go to stdout.
 *
 * Build and run from the repository root after a Release build:
 *   cc -O2 -Iinclude bench/sgp4_scalar.c build/libapsco.a \
 *      $(pkg-config --libs erfa jansson expat sleef) -fopenmp -lm -o build/sgp4_scalar
 *   build/sgp4_scalar data/gpredict-2018.tle
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Propagates every satellite at minutes 0..1439; returns ns per propagation. */
static double run(const apsco_sat *sats, size_t n, int use_cache, double *checksum)
{
    double t0 = now_s();
    long calls = 0;
    for (size_t i = 0; i < n; i++) {
        apsco_sgp4_cache cache;
        apsco_sgp4_cache_reset(&cache);
        for (int m = 0; m < 1440; m++) {
            double r[3], v[3];
            if (apsco_sgp4(&sats[i], use_cache ? &cache : NULL, (double)m, r, v) == 0)
                *checksum += r[0] + v[2];
            calls++;
        }
    }
    return (now_s() - t0) * 1e9 / (double)calls;
}

int main(int argc, char **argv)
{
    const char *path = argc > 1 ? argv[1] : "data/gpredict-2018.tle";
    apsco_catalog cat = {0};
    apsco_error err;
    if (apsco_catalog_load(path, NULL, &cat, &err) != APSCO_OK) {
        fprintf(stderr, "sgp4_scalar: %s\n", err.message);
        return 1;
    }
    apsco_sat *sats = calloc(cat.count, sizeof *sats);
    size_t n = 0;
    for (size_t i = 0; i < cat.count; i++)
        if (apsco_sat_init(&sats[n], &cat.items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL) ==
            APSCO_OK)
            n++;
    double checksum = 0.0;
    double best_plain = 1e300, best_cached = 1e300;
    for (int rep = 0; rep < 5; rep++) {
        double a = run(sats, n, 0, &checksum), b = run(sats, n, 1, &checksum);
        best_plain = a < best_plain ? a : best_plain;
        best_cached = b < best_cached ? b : best_cached;
    }
    printf("%s: %zu satellites x 1440 steps, best of 5: %.1f ns/propagation without cache, "
           "%.1f ns with cache (checksum %.6g)\n",
           path, n, best_plain, best_cached, checksum);
    free(sats);
    apsco_catalog_free(&cat);
    return 0;
}
