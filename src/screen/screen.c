/*
 * screen.c — the screening run: options, the time-block loop (propagate a
 * block of grid instants, sieve its intervals in parallel, refine the
 * interpolated minima with SGP4), duplicates merged, results sorted and
 * handed out.
 *
 * Not for: printing or file formats (the CLI and export module do that).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apsco/frames.h"
#include "apsco/screen.h"
#include "screen/internal.h"

#ifdef _OPENMP
#include <omp.h>
#endif

/* States held per block: about this many bytes. */
#define BLOCK_BYTES (32u << 20)

struct apsco_screen_result {
    const apsco_sat *sats; /* the caller's records (for apsco_screen_result_states) */
    apsco_time start, end;
    double thr_km, hbr_km;
    screen_event *events;
    size_t count;
    apsco_screen_stats stats;
    double *tsince0_min;
};

apsco_screen_options apsco_screen_defaults(void)
{
    apsco_screen_options o;
    memset(&o, 0, sizeof o);
    o.threshold_km = 5.0;
    o.hbr_m = 10.0;
    return o;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static int max_threads(int asked)
{
#ifdef _OPENMP
    return asked > 0 ? asked : omp_get_max_threads();
#else
    (void)asked;
    return 1;
#endif
}

static int thread_num(void)
{
#ifdef _OPENMP
    return omp_get_thread_num();
#else
    return 0;
#endif
}

static apsco_status check_options(const apsco_screen_options *o, apsco_error *err)
{
    if (!(o->threshold_km > 0) || !isfinite(o->threshold_km))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "the threshold must be a positive distance (got %g km)",
                               o->threshold_km);
    if (!(o->hbr_m > 0) || !isfinite(o->hbr_m))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "the hard-body radius must be positive (got %g m)", o->hbr_m);
    if (!(apsco_time_diff_s(o->end, o->start) > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "the end must be after the start");
    if (o->grid_step_s != 0 && !(o->grid_step_s >= 1 && o->grid_step_s <= 600))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "the grid step must be between 1 and 600 s (got %g)",
                               o->grid_step_s);
    if (o->samples_per_step < 0 || o->samples_per_step > 600)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "samples per grid step must be between 1 and 600");
    return APSCO_OK;
}

static void ctx_free(screen_ctx *c)
{
    free(c->tsince0_min);
    free(c->eps_km);
    free(c->eps_coarse_km);
    free(c->rmin_km);
    free(c->rmax_km);
    free(c->usable);
    free(c->map);
    free(c->is_primary_p);
    free(c->plist_at);
    free(c->plist);
    apsco_fleet_free(c->fleet);
}

static apsco_status ctx_init(screen_ctx *c, const apsco_sat *sats, size_t n,
                             const unsigned char *primary, const apsco_screen_options *o,
                             apsco_error *err)
{
    memset(c, 0, sizeof *c);
    c->sats = sats;
    c->n = n;
    c->primary = primary;
    c->opt = *o;
    c->thr_km = o->threshold_km;
    c->hbr_km = o->hbr_m / 1000.0;
    c->threads = max_threads(o->threads);
    c->span_s = apsco_time_diff_s(o->end, o->start);
    /* Primaries: a coarse grid and a fine search on 60 s steps; all-on-all: 60 s. */
    double g = o->grid_step_s > 0 ? o->grid_step_s : (primary ? 600.0 : 60.0);
    c->intervals = (size_t)ceil(c->span_s / g - 1e-9);
    if (c->intervals < 1)
        c->intervals = 1;
    c->step_s = c->span_s / (double)c->intervals;
    c->fine_s = primary ? c->step_s / ceil(c->step_s / 60.0 - 1e-9) : c->step_s;
    /* One sample per step is cheapest when only a few objects query the cells. */
    c->samples = o->samples_per_step > 0 ? o->samples_per_step : (primary ? 1 : 3);
    size_t m = n ? n : 1;
    c->tsince0_min = malloc(m * sizeof *c->tsince0_min);
    c->eps_km = malloc(m * sizeof *c->eps_km);
    c->eps_coarse_km = malloc(m * sizeof *c->eps_coarse_km);
    c->rmin_km = malloc(m * sizeof *c->rmin_km);
    c->rmax_km = malloc(m * sizeof *c->rmax_km);
    c->usable = malloc(m);
    c->map = malloc(m * sizeof *c->map);
    if (!c->tsince0_min || !c->eps_km || !c->eps_coarse_km || !c->rmin_km || !c->rmax_km ||
        !c->usable || !c->map) {
        ctx_free(c);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++)
        c->tsince0_min[i] = apsco_sat_tsince_min(&sats[i], o->start);
    return APSCO_OK;
}

/* ---- Events -------------------------------------------------------------- */

typedef struct event_list {
    screen_event *items;
    size_t count, cap;
} event_list;

static int events_reserve(event_list *l, size_t more)
{
    if (l->count + more <= l->cap)
        return 1;
    /* Growth by half keeps the unused tail (and the copy of a realloc) small. */
    size_t cap = l->cap ? l->cap : 1024;
    while (cap < l->count + more)
        cap += cap / 2;
    screen_event *grown = realloc(l->items, cap * sizeof *grown);
    if (!grown)
        return 0;
    l->items = grown;
    l->cap = cap;
    return 1;
}

static int cmp_pair_time(const void *a, const void *b)
{
    const screen_event *x = a, *y = b;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    if (x->j != y->j)
        return x->j < y->j ? -1 : 1;
    return x->tca_s < y->tca_s ? -1 : x->tca_s > y->tca_s;
}

static int cmp_miss(const void *a, const void *b)
{
    const screen_event *x = a, *y = b;
    if (x->miss_km != y->miss_km)
        return x->miss_km < y->miss_km ? -1 : 1;
    if (x->tca_s != y->tca_s)
        return x->tca_s < y->tca_s ? -1 : 1;
    if (x->i != y->i)
        return x->i < y->i ? -1 : 1;
    return x->j < y->j ? -1 : x->j > y->j;
}

/*
 * Seconds within which two refined minima of one pair are the same minimum
 * reached from two windows (or two blocks). Two distinct local minima of the
 * range are separated by a maximum, and the relative motion of two orbiting
 * objects has no component faster than twice the higher mean motion (SGP4's
 * short-period terms): distinct minima lie minutes apart even for the
 * fastest low orbits. A slow encounter, on the other hand, has an
 * ill-conditioned TCA: at 0.6 m/s a millimetre of range spans milliseconds,
 * so the refinements from two windows can end several milliseconds apart.
 */
#define SAME_MINIMUM_S 1.0

/* One event per minimum: of the refinements of one minimum, the closest. */
static void merge_duplicates(event_list *l)
{
    if (l->count < 2)
        return;
    qsort(l->items, l->count, sizeof *l->items, cmp_pair_time);
    size_t kept = 1;
    double first_s = l->items[0].tca_s;
    for (size_t k = 1; k < l->count; k++) {
        screen_event *last = &l->items[kept - 1], *e = &l->items[k];
        if (e->i == last->i && e->j == last->j && e->tca_s - first_s < SAME_MINIMUM_S) {
            if (e->miss_km < last->miss_km)
                *last = *e;
            continue;
        }
        first_s = e->tca_s;
        l->items[kept++] = *e;
    }
    l->count = kept;
}

/* ---- The block loop -------------------------------------------------------- */

typedef struct run_state {
    screen_ctx *c;
    apsco_screen_stats *st;
    screen_ws *ws; /* one per thread */
    event_list events;
    double *rmin_p, *rmax_p;
} run_state;

static apsco_status refine_block(run_state *rs, apsco_error *err)
{
    screen_ctx *c = rs->c;
    size_t total = 0;
    for (int t = 0; t < c->threads; t++)
        total += rs->ws[t].nout;
    if (!events_reserve(&rs->events, total))
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    screen_event *dst = rs->events.items + rs->events.count;
    unsigned char *ok = calloc(total ? total : 1, 1);
    const screen_hmin **all = malloc((total ? total : 1) * sizeof(const screen_hmin *));
    if (!ok || !all) {
        free(ok);
        free(all);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    size_t at = 0;
    for (int t = 0; t < c->threads; t++)
        for (size_t k = 0; k < rs->ws[t].nout; k++)
            all[at++] = &rs->ws[t].out[k];
    long long n = (long long)total;
#pragma omp parallel for schedule(dynamic, 64) num_threads(c->threads)
    for (long long k = 0; k < n; k++)
        ok[k] = (unsigned char)screen_refine(c, all[k], &dst[k]);
    size_t kept = 0;
    for (size_t k = 0; k < total; k++)
        if (ok[k])
            dst[kept++] = dst[k];
    rs->events.count += kept;
    rs->st->hermite_minima += total;
    rs->st->refined += total;
    for (int t = 0; t < c->threads; t++)
        rs->ws[t].nout = 0;
    free(ok);
    free(all);
    return APSCO_OK;
}

static apsco_status sieve_block(run_state *rs, screen_block *b, apsco_error *err)
{
    screen_ctx *c = rs->c;
    long long intervals = (long long)b->instants - 1;
#pragma omp parallel for schedule(dynamic, 1) num_threads(c->threads)
    for (long long kk = 0; kk < intervals; kk++) {
        if (c->primary)
            screen_primaries_interval(c, b, (size_t)kk, &rs->ws[thread_num()]);
        else
            screen_sieve_interval(c, b, (size_t)kk, &rs->ws[thread_num()]);
    }
    for (int t = 0; t < c->threads; t++)
        if (rs->ws[t].failed)
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    return APSCO_OK;
}

static apsco_status run_blocks(run_state *rs, apsco_error *err)
{
    screen_ctx *c = rs->c;
    apsco_screen_stats *st = rs->st;
    size_t np = c->np;
    size_t per_instant = np * (6 * sizeof(double) + 1);
    size_t block = BLOCK_BYTES / (per_instant ? per_instant : 1);
    block = block < 4 ? 4 : block;
    if (block > c->intervals)
        block = c->intervals;
    screen_block b = {0, 0, NULL, NULL};
    b.state = malloc((block + 1) * 6 * (np ? np : 1) * sizeof *b.state);
    b.code = malloc((block + 1) * (np ? np : 1));
    if (!b.state || !b.code) {
        free(b.state);
        free(b.code);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    apsco_status rc = APSCO_OK;
    for (size_t k0 = 0; k0 < c->intervals && rc == APSCO_OK; k0 += block) {
        size_t n = c->intervals - k0 < block ? c->intervals - k0 : block;
        double t0 = now_s();
        size_t from = 0;
        if (k0 > 0) {
            /* The last instant of the previous block is the first of this one. */
            memmove(b.state, b.state + (b.instants - 1) * 6 * np, 6 * np * sizeof *b.state);
            memmove(b.code, b.code + (b.instants - 1) * np, np);
            from = 1;
        }
        b.k0 = k0;
        b.instants = n + 1;
        rc = screen_grid_fill(c, &b, from, err);
        if (rc != APSCO_OK)
            break;
        if (!c->primary)
            screen_band_update_from_block(c, &b, rs->rmin_p, rs->rmax_p);
        double t1 = now_s();
        rc = sieve_block(rs, &b, err);
        double t2 = now_s();
        if (rc == APSCO_OK)
            rc = refine_block(rs, err);
        double t3 = now_s();
        st->seconds_propagate += t1 - t0;
        st->seconds_sieve += t2 - t1;
        st->seconds_refine += t3 - t2;
        if (rc == APSCO_OK && c->opt.progress &&
            c->opt.progress(c->opt.progress_ctx, (double)(k0 + n) / (double)c->intervals))
            rc = apsco_error_set(err, APSCO_ERR_STOPPED, NULL, 0,
                                 "screening stopped at grid instant %zu of %zu", k0 + n,
                                 c->intervals);
    }
    free(b.state);
    free(b.code);
    return rc;
}

/* All-on-all: bands from the grid, with the chord pad of band.c. */
static void finish_bands(screen_ctx *c, const double *rmin_p, const double *rmax_p,
                         apsco_screen_stats *st)
{
    for (size_t p = 0; p < c->np; p++) {
        size_t i = c->map[p];
        if (!(rmin_p[p] <= rmax_p[p])) {
            c->usable[i] = 0;
            continue;
        }
        double pad = screen_radial_accel_bound(&c->sats[i], rmin_p[p], rmax_p[p]) * c->step_s *
                     c->step_s / 8.0;
        c->rmin_km[i] = rmin_p[p] - pad;
        c->rmax_km[i] = rmax_p[p] + pad;
    }
    st->pairs_apogee_perigee = screen_count_band_pairs(c);
}

static apsco_status run(screen_ctx *c, apsco_screen_stats *st, event_list *out, apsco_error *err)
{
    double t0 = now_s();
    apsco_status rc = screen_bands(c, st, err);
    if (rc != APSCO_OK)
        return rc;
    if (c->primary) {
        c->is_primary_p = malloc(c->np ? c->np : 1);
        if (!c->is_primary_p)
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
        for (size_t p = 0; p < c->np; p++)
            c->is_primary_p[p] = c->primary[c->map[p]] != 0;
    }
    rc = screen_fleet_build(c->sats, c->map, c->np, &c->fleet, err);
    if (rc != APSCO_OK)
        return rc;
    st->seconds_band = now_s() - t0;
    run_state rs = {c, st, NULL, {NULL, 0, 0}, NULL, NULL};
    rs.ws = calloc((size_t)c->threads, sizeof *rs.ws);
    rs.rmin_p = malloc((c->np ? c->np : 1) * sizeof *rs.rmin_p);
    rs.rmax_p = malloc((c->np ? c->np : 1) * sizeof *rs.rmax_p);
    int ok = rs.ws && rs.rmin_p && rs.rmax_p;
    for (int t = 0; ok && t < c->threads; t++)
        ok = screen_ws_init(&rs.ws[t], c->np);
    for (size_t p = 0; ok && p < c->np; p++) {
        rs.rmin_p[p] = INFINITY;
        rs.rmax_p[p] = -INFINITY;
    }
    rc =
        ok ? run_blocks(&rs, err) : apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (int t = 0; rs.ws && t < c->threads; t++) {
        st->sieve_near += rs.ws[t].near;
        st->sieve_windows += rs.ws[t].windows;
        screen_ws_free(&rs.ws[t]);
    }
    if (rc == APSCO_OK && !c->primary)
        finish_bands(c, rs.rmin_p, rs.rmax_p, st);
    free(rs.ws);
    free(rs.rmin_p);
    free(rs.rmax_p);
    if (rc != APSCO_OK) {
        free(rs.events.items);
        return rc;
    }
    merge_duplicates(&rs.events);
    if (rs.events.count > 0)
        qsort(rs.events.items, rs.events.count, sizeof *rs.events.items, cmp_miss);
    *out = rs.events;
    return APSCO_OK;
}

apsco_status apsco_screen_run(const apsco_sat *sats, size_t count, const unsigned char *primary,
                              const apsco_screen_options *options, apsco_screen_result **out,
                              apsco_error *err)
{
    if (!out || !options || (!sats && count > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "NULL argument");
    *out = NULL;
    apsco_status rc = check_options(options, err);
    if (rc != APSCO_OK)
        return rc;
    if (count > UINT32_MAX)
        return apsco_error_set(err, APSCO_ERR_LIMIT, NULL, 0, "too many satellites (%zu)", count);
    double t0 = now_s();
    screen_ctx c;
    rc = ctx_init(&c, sats, count, primary, options, err);
    if (rc != APSCO_OK)
        return rc;
    apsco_screen_result *res = calloc(1, sizeof *res);
    if (!res) {
        ctx_free(&c);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    apsco_screen_stats *st = &res->stats;
    st->objects = count;
    st->grid_instants = c.intervals + 1;
    st->grid_step_s = c.step_s;
    st->samples_per_step = c.samples;
    event_list ev = {NULL, 0, 0};
    rc = run(&c, st, &ev, err);
    if (rc == APSCO_OK) {
        st->objects_propagated = c.np;
        for (size_t i = 0; i < count; i++)
            st->objects_unusable += !c.usable[i];
        st->approaches = ev.count;
        res->sats = sats;
        res->start = options->start;
        res->end = options->end;
        res->thr_km = c.thr_km;
        res->hbr_km = c.hbr_km;
        res->events = ev.items;
        res->count = ev.count;
        res->tsince0_min = c.tsince0_min;
        c.tsince0_min = NULL;
        st->seconds_total = now_s() - t0;
        *out = res;
    } else {
        free(res);
    }
    ctx_free(&c);
    return rc;
}

size_t apsco_screen_result_count(const apsco_screen_result *res)
{
    return res ? res->count : 0;
}

void apsco_screen_result_get(const apsco_screen_result *res, size_t k, apsco_conjunction *out)
{
    const screen_event *e = &res->events[k];
    out->primary = e->i;
    out->secondary = e->j;
    out->tca = apsco_time_add_s(res->start, e->tca_s);
    out->miss_km = e->miss_km;
    out->rel_speed_km_s = e->speed_km_s;
    out->radial_km = e->ric_km[0];
    out->intrack_km = e->ric_km[1];
    out->crosstrack_km = e->ric_km[2];
    out->max_pc = apsco_pc_max(e->miss_km, res->hbr_km, NULL);
}

int apsco_screen_result_states(const apsco_screen_result *res, size_t k, double r1_km[3],
                               double v1_km_s[3], double r2_km[3], double v2_km_s[3])
{
    const screen_event *e = &res->events[k];
    int c1 = apsco_sgp4(&res->sats[e->i], NULL, res->tsince0_min[e->i] + e->tca_s / 60.0, r1_km,
                        v1_km_s);
    int c2 = apsco_sgp4(&res->sats[e->j], NULL, res->tsince0_min[e->j] + e->tca_s / 60.0, r2_km,
                        v2_km_s);
    return c1 ? c1 : c2;
}

/* "98067A" -> "1998-067A" (launch years 1957-2056). */
static void intl_designator(const char *tle, char *out, size_t size)
{
    if (strlen(tle) < 5) {
        snprintf(out, size, "UNKNOWN");
        return;
    }
    int yy = (tle[0] - '0') * 10 + (tle[1] - '0');
    snprintf(out, size, "%d-%s", yy < 57 ? 2000 + yy : 1900 + yy, tle + 2);
}

static void fill_object(apsco_cdm_object *o, const apsco_elset *e, apsco_time tca,
                        const double r[3], const double v[3], double var_m2)
{
    snprintf(o->designator, sizeof o->designator, "%ld", e->norad);
    snprintf(o->name, sizeof o->name, "%s", e->name[0] ? e->name : "UNKNOWN");
    intl_designator(e->intldes, o->intl_designator, sizeof o->intl_designator);
    apsco_teme_to_itrf(tca, NULL, r, v, o->r_km, o->v_km_s);
    o->pos_var_m2 = var_m2;
}

int apsco_screen_result_cdm(const apsco_screen_result *res, size_t k,
                            const apsco_elset *primary_elset, const apsco_elset *secondary_elset,
                            const char *originator, apsco_time creation, apsco_cdm *cdm)
{
    double r1[3], v1[3], r2[3], v2[3], R[3], T[3], N[3];
    memset(cdm, 0, sizeof *cdm);
    int code = apsco_screen_result_states(res, k, r1, v1, r2, v2);
    if (code)
        return code;
    const screen_event *e = &res->events[k];
    apsco_time tca = apsco_time_add_s(res->start, e->tca_s);
    snprintf(cdm->originator, sizeof cdm->originator, "%s", originator);
    char iso[40], stamp[32];
    apsco_time_format_iso(tca, 3, iso, sizeof iso);
    size_t n = 0;
    for (const char *p = iso; *p && n + 1 < sizeof stamp; p++)
        if (*p != '-' && *p != ':' && *p != '.')
            stamp[n++] = *p;
    stamp[n] = '\0';
    snprintf(cdm->message_id, sizeof cdm->message_id, "%ld_%ld_%s", primary_elset->norad,
             secondary_elset->norad, stamp);
    cdm->creation = creation;
    cdm->tca = tca;
    cdm->screen_start = res->start;
    cdm->screen_stop = res->end;
    cdm->screen_radius_m = res->thr_km * 1000.0;
    cdm->hbr_m = res->hbr_km * 1000.0;
    screen_ric_axes(r1, v1, R, T, N);
    double d[3], w[3], dd = 0, ww = 0;
    for (int q = 0; q < 3; q++) {
        d[q] = (r2[q] - r1[q]) * 1000.0;
        w[q] = (v2[q] - v1[q]) * 1000.0;
        dd += d[q] * d[q];
        ww += w[q] * w[q];
    }
    cdm->miss_m = sqrt(dd);
    cdm->rel_speed_m_s = sqrt(ww);
    const double *axes[3] = {R, T, N};
    for (int a = 0; a < 3; a++) {
        const double *u = axes[a];
        cdm->rel_pos_rtn_m[a] = d[0] * u[0] + d[1] * u[1] + d[2] * u[2];
        cdm->rel_vel_rtn_m_s[a] = w[0] * u[0] + w[1] * u[1] + w[2] * u[2];
    }
    double sigma_km;
    cdm->pc = apsco_pc_max(e->miss_km, res->hbr_km, &sigma_km);
    double var_m2 = 0.5 * sigma_km * sigma_km * 1e6;
    fill_object(&cdm->object[0], primary_elset, tca, r1, v1, var_m2);
    fill_object(&cdm->object[1], secondary_elset, tca, r2, v2, var_m2);
    return 0;
}

const apsco_screen_stats *apsco_screen_result_stats(const apsco_screen_result *res)
{
    return &res->stats;
}

void apsco_screen_result_free(apsco_screen_result *res)
{
    if (!res)
        return;
    free(res->events);
    free(res->tsince0_min);
    free(res);
}
