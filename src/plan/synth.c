/*
 * synth.c — seeded synthetic planning instances: pass windows of LEO and
 * GEO satellites over the members' ground stations, and requests with the
 * mix of demand a shared network sees. For tests, benchmarks and
 * demonstrations while pass prediction is not at hand, and for instances
 * larger than any real catalog.
 *
 * Not a propagator. A LEO satellite is reduced to a circular near-polar
 * orbit of period P whose descending node keeps a local solar time (fixed
 * for a sun-synchronous orbit, drifting otherwise); each half orbit crosses
 * a station's latitude once, at a cross-track distance set by the longitude
 * of the track, and the pass that follows is a spherical-Earth chord:
 *   psi_max  = acos(Re cos(el_mask) / (Re + h)) - el_mask      (visibility radius)
 *   duration = 2 acos(cos psi_max / cos psi) / (2 pi / P)      (chord at cross-track psi)
 *   el_max   = atan((cos psi - Re / (Re + h)) / sin psi)
 * (e.g. Vallado, Fundamentals of Astrodynamics and Applications, 4th ed.,
 * sec. 11.3, site-track geometry). This gives 3-6 passes a day of up to
 * 12-15 minutes per station, correlated between neighbouring stations as
 * real passes are.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/synth.h"
#include "plan/internal.h"

#define RE_KM          6378.137
#define GEO_KM         35786.0
#define MU_KM3_S2      398600.4418
#define SIDEREAL_DAY_S 86164.0905
#define DEG            (M_PI / 180.0)

static double between(uint64_t *s, double lo, double hi)
{
    return lo + (hi - lo) * apsco_random_unit(s);
}

/* The members' ground-station sites (approximate public locations). */
static const struct site {
    const char *id;
    double lat_deg, lon_deg;
} sites[] = {
    {"CN-BJ", 40.0, 116.3}, {"CN-KS", 39.5, 76.0},   {"CN-SY", 18.3, 109.3},
    {"PK-IS", 33.6, 73.1},  {"PK-KA", 24.9, 67.1},   {"BD-GZ", 24.0, 90.4},
    {"IR-TH", 35.7, 51.4},  {"TH-BK", 13.7, 100.5},  {"TH-SR", 13.1, 100.9},
    {"MN-UB", 47.9, 106.9}, {"PE-LI", -12.0, -77.0}, {"PE-AQ", -16.4, -71.5},
};
#define SITES (sizeof sites / sizeof sites[0])

void apsco_plan_synth_options_init(apsco_plan_synth_options *o)
{
    memset(o, 0, sizeof *o);
    o->seed = 1;
    o->stations = 12;
    o->leo = 24;
    o->geo = 6;
    o->mask_deg = 5;
    o->min_pass_s = 120;
}

typedef struct gen {
    uint64_t rng;
    apsco_plan_windows *out;
    apsco_time start;
    double horizon_s;
    double ut0_s; /* UTC seconds of day at the horizon start */
    const apsco_plan_synth_options *o;
    double *lat, *lon; /* station coordinates, rad */
    size_t first_station;
} gen;

static double wrap_pi(double x)
{
    x = fmod(x + M_PI, 2 * M_PI);
    return (x < 0 ? x + 2 * M_PI : x) - M_PI;
}

static apsco_status add_window(gen *g, long norad, size_t station, double a, double b, double el,
                               apsco_error *err)
{
    a = fmax(a, 0);
    b = fmin(b, g->horizon_s);
    if (b - a < g->o->min_pass_s)
        return APSCO_OK;
    apsco_plan_window w = {norad,
                           g->first_station + station,
                           apsco_time_add_s(g->start, a),
                           apsco_time_add_s(g->start, b),
                           el,
                           0};
    return apsco_plan_windows_add(g->out, &w, err);
}

/* One crossing of the station's latitude by the track at longitude track_lon (rad). */
static apsco_status crossing(gen *g, long norad, size_t st, double t, double track_lon, double h_km,
                             double period_s, apsco_error *err)
{
    double psi_max =
        acos(RE_KM * cos(g->o->mask_deg * DEG) / (RE_KM + h_km)) - g->o->mask_deg * DEG;
    double psi = fabs(wrap_pi(track_lon - g->lon[st])) * cos(g->lat[st]);
    if (psi >= psi_max)
        return APSCO_OK;
    double half = acos(cos(psi_max) / cos(psi)) / (2 * M_PI / period_s);
    double el = psi < 1e-9 ? M_PI / 2 : atan((cos(psi) - RE_KM / (RE_KM + h_km)) / sin(psi));
    double tca = t + between(&g->rng, -20, 20);
    return add_window(g, norad, st, tca - half, tca + half, el, err);
}

static apsco_status leo_passes(gen *g, long norad, apsco_error *err)
{
    double h_km = between(&g->rng, 550, 900);
    double period_s = 2 * M_PI * sqrt(pow(RE_KM + h_km, 3) / MU_KM3_S2);
    double node_lt_h = between(&g->rng, 0, 24);
    /* Most members fly sun-synchronous orbits; the rest drift in local time. */
    double drift_h_day = apsco_random_unit(&g->rng) < 0.7 ? 0 : between(&g->rng, -1.5, 1.5);
    double t0 = between(&g->rng, -period_s, 0);
    size_t ns = g->o->stations;
    for (double t = t0; t < g->horizon_s + period_s; t += period_s) {
        double ut_h = fmod(g->ut0_s + t, 86400.0) / 3600.0;
        double lt_h = node_lt_h + drift_h_day * t / 86400.0;
        double node_lon = (lt_h - ut_h) * 15 * DEG;
        for (size_t st = 0; st < ns; st++) {
            /* Descending: the latitude is crossed phi/360 of an orbit before the node. */
            double dt = g->lat[st] / (2 * M_PI) * period_s;
            double rot = dt / SIDEREAL_DAY_S * 2 * M_PI;
            apsco_status s = crossing(g, norad, st, t - dt, node_lon + rot, h_km, period_s, err);
            /* Ascending, half an orbit later on the other side of the globe. */
            double ta = t + period_s / 2 + dt;
            double lon_a = node_lon + M_PI - (period_s / 2 + dt) / SIDEREAL_DAY_S * 2 * M_PI;
            if (s == APSCO_OK)
                s = crossing(g, norad, st, ta, lon_a, h_km, period_s, err);
            if (s != APSCO_OK)
                return s;
        }
    }
    return APSCO_OK;
}

static apsco_status geo_windows(gen *g, long norad, apsco_error *err)
{
    double lon = between(&g->rng, 55, 135) * DEG;
    for (size_t st = 0; st < g->o->stations; st++) {
        double cpsi = cos(g->lat[st]) * cos(wrap_pi(lon - g->lon[st]));
        double psi = acos(cpsi);
        double el = atan((cpsi - RE_KM / (RE_KM + GEO_KM)) / sin(psi));
        if (el < g->o->mask_deg * DEG)
            continue;
        apsco_status s = add_window(g, norad, st, 0, g->horizon_s, el, err);
        if (s != APSCO_OK)
            return s;
    }
    return APSCO_OK;
}

static apsco_status add_stations(gen *g, apsco_error *err)
{
    for (size_t i = 0; i < g->o->stations; i++) {
        const struct site *s = &sites[i % SITES];
        char id[APSCO_PLAN_ID_MAX];
        double lat = s->lat_deg, lon = s->lon_deg;
        if (i < SITES) {
            snprintf(id, sizeof id, "%s", s->id);
        } else {
            snprintf(id, sizeof id, "%s-%02zu", s->id, i / SITES + 1);
            lat += between(&g->rng, -4, 4);
            lon += between(&g->rng, -4, 4);
        }
        g->lat[i] = lat * DEG;
        g->lon[i] = lon * DEG;
        size_t index;
        apsco_status st = apsco_plan_windows_station(g->out, id, 1, &index, err);
        if (st != APSCO_OK)
            return st;
        if (i == 0)
            g->first_station = index;
    }
    return APSCO_OK;
}

apsco_status apsco_plan_synth_windows(const apsco_plan_synth_options *o, apsco_time start,
                                      apsco_time end, apsco_plan_windows *out, long *norads,
                                      apsco_error *err)
{
    if (!o || !out || !norads || o->stations == 0 || o->stations > 100000 ||
        o->leo + o->geo > 100000 || !(o->mask_deg >= 0 && o->mask_deg < 90))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "bad synthetic instance options");
    gen g = {0};
    g.rng = o->seed;
    g.out = out;
    g.start = start;
    g.o = o;
    g.horizon_s = apsco_time_diff_s(end, start);
    g.ut0_s = start.fr * 86400.0;
    if (!(g.horizon_s > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "the horizon must end after it starts");
    g.lat = malloc(o->stations * sizeof *g.lat);
    g.lon = malloc(o->stations * sizeof *g.lon);
    apsco_status st = g.lat && g.lon
                          ? add_stations(&g, err)
                          : apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < o->leo + o->geo && st == APSCO_OK; i++) {
        norads[i] = 90001 + (long)i;
        st = i < o->leo ? leo_passes(&g, norads[i], err) : geo_windows(&g, norads[i], err);
    }
    free(g.lat);
    free(g.lon);
    return st;
}

void apsco_plan_synth_demand_init(apsco_plan_synth_demand *d)
{
    memset(d, 0, sizeof *d);
    d->seed = 1;
    d->per_day_scale = 1;
    d->shared = 0.5;
    d->one_off = 0.2;
}

/* Appends one request; `stations` NULL for any station. */
static apsco_status synth_request(apsco_plan_requests *out, int *serial, const char *state,
                                  long norad, int priority, double d, int per_day,
                                  const apsco_time *window, apsco_error *err)
{
    apsco_plan_request r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "R%04d", ++*serial);
    memcpy(r.state, state, 3);
    r.norad = norad;
    r.priority = priority;
    r.min_duration_s = d;
    r.per_day = per_day;
    if (window) {
        r.has_window = 1;
        r.window_start = window[0];
        r.window_end = window[1];
    }
    return apsco_plan_requests_add(out, &r, NULL, 0, err);
}

apsco_status apsco_plan_synth_requests(const apsco_plan_synth_demand *d,
                                       const apsco_plan_states *states, const long *norads,
                                       size_t leo, size_t geo, apsco_time start, apsco_time end,
                                       apsco_plan_requests *out, apsco_error *err)
{
    const char *members[APSCO_PLAN_STATES_MAX];
    size_t nm = 0;
    for (size_t i = 0; i < states->count; i++)
        if (states->items[i].membership == APSCO_MEMBER && states->items[i].entitlement > 0)
            members[nm++] = states->items[i].code;
    if (nm == 0)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no member state holds an entitlement");
    uint64_t rng = d->seed;
    double horizon_s = apsco_time_diff_s(end, start);
    int serial = (int)out->count;
    apsco_status st = APSCO_OK;
    for (size_t i = 0; i < leo + geo && st == APSCO_OK; i++) {
        int is_geo = i >= leo;
        const char *owner = members[i % nm];
        double dur = is_geo ? 60 * floor(between(&rng, 10, 31)) : 30 * floor(between(&rng, 8, 17));
        int per_day =
            (int)lround(between(&rng, is_geo ? 4 : 3, is_geo ? 10 : 8) * d->per_day_scale);
        st = synth_request(out, &serial, owner, norads[i], 1 + (int)(apsco_random_unit(&rng) * 5),
                           dur, per_day < 1 ? 1 : per_day, NULL, err);
        if (st == APSCO_OK && apsco_random_unit(&rng) < d->shared) {
            /* A partner state wants the same satellite's data, less often. */
            const char *partner =
                members[(i % nm + 1 + (size_t)(apsco_random_unit(&rng) * (nm - 1))) % nm];
            int pd = per_day / 2 < 1 ? 1 : per_day / 2;
            st = synth_request(out, &serial, partner, norads[i],
                               1 + (int)(apsco_random_unit(&rng) * 5), dur, pd, NULL, err);
        }
        if (st == APSCO_OK && apsco_random_unit(&rng) < d->one_off) {
            /* An urgent one-off contact in a six-hour window. */
            double a = between(&rng, 0, fmax(0, horizon_s - 6 * 3600.0));
            apsco_time w[2] = {apsco_time_add_s(start, a), apsco_time_add_s(start, a + 6 * 3600.0)};
            st = synth_request(out, &serial, members[(size_t)(apsco_random_unit(&rng) * nm)],
                               norads[i], 5, 300, 0, w, err);
        }
    }
    return st;
}
