/*
 * synth.c — synthetic catalogs: real element sets with new numbers, planes,
 * phases and epochs, made deterministic by a portable random sequence.
 *
 * Each object is written as a TLE and parsed back, so that the element set
 * in memory is bit for bit what a reader of the written file gets, and the
 * checksums are those of the new lines.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "apsco/synth.h"

#define MAX_NORAD 339999L

apsco_synth_options apsco_synth_defaults(void)
{
    apsco_synth_options o = {30000, 1, 80000, 1.0};
    return o;
}

static apsco_status check_options(const apsco_catalog *base, const apsco_synth_options *o,
                                  apsco_error *err)
{
    if (!base || base->count == 0)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "the base catalog is empty");
    if (!o || o->count == 0)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "the object count must be at least 1");
    if (o->first_norad < 0 || o->first_norad > MAX_NORAD ||
        o->count > (size_t)(MAX_NORAD - o->first_norad + 1))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "catalog numbers %ld.. for %zu objects go beyond %ld",
                               o->first_norad, o->count, MAX_NORAD);
    if (!(o->epoch_spread_days >= 0.0 && o->epoch_spread_days <= 30.0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "epoch spread %g days is outside [0, 30]", o->epoch_spread_days);
    return APSCO_OK;
}

/* Makes object `k` from `src`; returns 0 when the TLE columns cannot hold it. */
static int make_object(const apsco_elset *src, long norad, uint64_t *rng, double spread_days,
                       apsco_elset *out)
{
    apsco_elset e = *src;
    e.norad = norad;
    /* Draw all three numbers whatever happens, so one odd base set shifts nothing else. */
    double phase = apsco_random_unit(rng), node = apsco_random_unit(rng),
           shift = apsco_random_unit(rng);
    e.mean_anomaly_rad = 2.0 * M_PI * phase;
    e.raan_rad = 2.0 * M_PI * node;
    e.epoch = apsco_time_add_s(e.epoch, (2.0 * shift - 1.0) * spread_days * APSCO_SECONDS_PER_DAY);
    snprintf(e.name, sizeof e.name, "SYN %.20s", src->name);
    char l1[70], l2[70];
    if (apsco_elset_format_tle(&e, l1, l2, NULL) != APSCO_OK)
        return 0;
    return apsco_elset_parse_tle(l1, l2, e.name, "synth", 0, NULL, out, NULL) == APSCO_OK;
}

apsco_status apsco_catalog_synthesize(const apsco_catalog *base, const apsco_synth_options *o,
                                      apsco_catalog *out, apsco_error *err)
{
    apsco_status st = check_options(base, o, err);
    if (st != APSCO_OK)
        return st;
    size_t before = out->count, src = 0, misses = 0;
    uint64_t rng = o->seed;
    for (size_t k = 0; k < o->count; k++) {
        apsco_elset e;
        while (!make_object(&base->items[src % base->count], o->first_norad + (long)k, &rng,
                            o->epoch_spread_days, &e)) {
            src++;
            if (++misses > base->count) {
                out->count = before;
                return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                                       "no element set of the base catalog fits a TLE");
            }
        }
        misses = 0;
        src++;
        if (apsco_catalog_append(out, &e) != APSCO_OK) {
            out->count = before;
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
        }
    }
    return APSCO_OK;
}
