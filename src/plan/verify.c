/*
 * verify.c — apsco_schedule_verify: checks a schedule against its problem
 * from first principles, without the solvers' model, so that a solver bug
 * cannot hide behind the code that made it. The tests run it on every
 * schedule they produce; the CLI can run it before writing.
 *
 * It re-derives every rule from the public problem: passes, horizon,
 * windows, allowed stations, outages, antennas with set-up time, one
 * station per satellite at a time, and the contacts a request may get in
 * each period.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

#define DAY_S 86400.0
#define TOL_S 1e-3 /* contacts are whole seconds; this absorbs round-off only */

typedef struct vctx {
    const apsco_plan_problem *p;
    const apsco_schedule *s;
    apsco_error *err;
} vctx;

static apsco_status fail(const vctx *v, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Reports a violation by contact i: "contact i (request ID at STATION, START): reason". */
static apsco_status fail(const vctx *v, size_t i, const char *fmt, ...)
{
    char reason[256], when[40] = "?";
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof reason, fmt, ap);
    va_end(ap);
    const apsco_plan_contact *c = &v->s->contacts[i];
    const char *req = "?", *station = "?";
    if (v->p->requests && c->request < v->p->requests->count)
        req = v->p->requests->items[c->request].id;
    if (c->station < v->p->station_count)
        station = v->p->stations[c->station].id;
    apsco_time_format_iso(c->start, 0, when, sizeof when);
    return apsco_error_set(v->err, APSCO_ERR_VALUE, NULL, 0,
                           "contact %zu (request %s at %s, %s): %s", i, req, station, when, reason);
}

static int refused(const apsco_schedule *s, size_t request)
{
    for (size_t i = 0; i < s->refused_count; i++)
        if (s->refused[i].request == request)
            return 1;
    return 0;
}

static int allowed(const apsco_plan_problem *p, const apsco_plan_request *r, size_t station)
{
    if (r->stations_count == 0)
        return 1;
    for (size_t k = 0; k < r->stations_count; k++)
        if (!strcmp(p->requests->names[r->stations_first + k], p->stations[station].id))
            return 1;
    return 0;
}

/* Everything about one contact on its own. */
static apsco_status check_contact(const vctx *v, size_t i)
{
    const apsco_plan_problem *p = v->p;
    const apsco_plan_contact *c = &v->s->contacts[i];
    if (!p->requests || c->request >= p->requests->count)
        return fail(v, i, "names no request");
    if (c->station >= p->station_count || c->window >= p->window_count)
        return fail(v, i, "names no station or no pass");
    const apsco_plan_request *r = &p->requests->items[c->request];
    const apsco_plan_window *w = &p->windows[c->window];
    if (refused(v->s, c->request))
        return fail(v, i, "its request was refused");
    if (c->antenna < 0 || c->antenna >= p->stations[c->station].antennas)
        return fail(v, i, "antenna %d does not exist", c->antenna);
    if (w->norad != r->norad || w->station != c->station)
        return fail(v, i, "its pass is not of satellite %ld over this station", r->norad);
    double len = apsco_time_diff_s(c->end, c->start);
    if (fabs(len - r->min_duration_s) > TOL_S)
        return fail(v, i, "lasts %.3f s instead of %.3f s", len, r->min_duration_s);
    if (apsco_time_diff_s(c->start, w->start) < -TOL_S ||
        apsco_time_diff_s(w->end, c->end) < -TOL_S)
        return fail(v, i, "is not inside its pass");
    if (apsco_time_diff_s(c->start, p->start) < -TOL_S ||
        apsco_time_diff_s(p->end, c->end) < -TOL_S)
        return fail(v, i, "is not inside the horizon");
    if (r->has_window && (apsco_time_diff_s(c->start, r->window_start) < -TOL_S ||
                          apsco_time_diff_s(r->window_end, c->end) < -TOL_S))
        return fail(v, i, "is not inside the request's window");
    if (!allowed(p, r, c->station))
        return fail(v, i, "the request does not allow this station");
    for (size_t k = 0; p->outages && k < p->outages->count; k++) {
        const apsco_plan_outage *o = &p->outages->items[k];
        if (strcmp(o->station, p->stations[c->station].id))
            continue;
        if (apsco_time_diff_s(c->start, o->end) < -TOL_S &&
            apsco_time_diff_s(o->start, c->end) < -TOL_S)
            return fail(v, i, "overlaps an outage of its station");
    }
    return APSCO_OK;
}

typedef struct ref {
    size_t key; /* station * antennas_max + antenna, or satellite rank */
    double start, end;
    size_t i;
} ref;

static int cmp_ref(const void *a, const void *b)
{
    const ref *x = a, *y = b;
    if (x->key != y->key)
        return (x->key > y->key) - (x->key < y->key);
    if (x->start != y->start)
        return (x->start > y->start) - (x->start < y->start);
    return (x->i > y->i) - (x->i < y->i);
}

/* No two contacts on one antenna closer than the set-up time; no satellite at two stations. */
static apsco_status check_overlaps(const vctx *v, ref *refs)
{
    const apsco_plan_problem *p = v->p;
    const apsco_schedule *s = v->s;
    size_t n = s->contact_count;
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < n; i++) {
            const apsco_plan_contact *c = &s->contacts[i];
            size_t key = pass == 0 ? c->station * 1001 + (size_t)c->antenna
                                   : (size_t)p->requests->items[c->request].norad;
            refs[i] = (ref){key, apsco_time_diff_s(c->start, p->start),
                            apsco_time_diff_s(c->end, p->start), i};
        }
        plan_sort(refs, n, sizeof *refs, cmp_ref);
        double gap = pass == 0 ? p->setup_s : 0;
        for (size_t k = 1; k < n; k++) {
            if (refs[k].key != refs[k - 1].key || refs[k].start >= refs[k - 1].end + gap - TOL_S)
                continue;
            return pass == 0 ? fail(v, refs[k].i, "its antenna is busy with contact %zu%s",
                                    refs[k - 1].i, gap > 0 ? " or setting up" : "")
                             : fail(v, refs[k].i, "its satellite is talking to contact %zu",
                                    refs[k - 1].i);
        }
    }
    return APSCO_OK;
}

/* What request q may get in the period starting at day k (per_day), or in its window. */
static long period_cap(const apsco_plan_request *q, double wa, double wb, long k)
{
    if (q->per_day == 0)
        return 1;
    double a = fmax(k * DAY_S, wa), b = fmin((k + 1) * DAY_S, wb);
    if (b - a > DAY_S - 1e-6)
        return q->per_day;
    long cap = (long)ceil(q->per_day * (b - a) / DAY_S - 1e-9);
    return cap < 1 ? 1 : cap;
}

/* Contacts each request may get in each period (per_day, or one in its window). */
static apsco_status check_counts(const vctx *v, ref *refs)
{
    const apsco_plan_problem *p = v->p;
    const apsco_schedule *s = v->s;
    size_t n = s->contact_count;
    double horizon = apsco_time_diff_s(p->end, p->start);
    for (size_t i = 0; i < n; i++)
        refs[i] =
            (ref){s->contacts[i].request, apsco_time_diff_s(s->contacts[i].start, p->start), 0, i};
    plan_sort(refs, n, sizeof *refs, cmp_ref);
    for (size_t i = 0; i < n;) {
        const apsco_plan_request *q = &p->requests->items[refs[i].key];
        double wa = 0, wb = horizon;
        if (q->has_window) {
            wa = fmax(wa, apsco_time_diff_s(q->window_start, p->start));
            wb = fmin(wb, apsco_time_diff_s(q->window_end, p->start));
        }
        size_t j = i;
        while (j < n && refs[j].key == refs[i].key) {
            long k = q->per_day > 0 ? (long)floor(refs[j].start / DAY_S) : 0;
            size_t e = j;
            while (e < n && refs[e].key == refs[i].key &&
                   (q->per_day == 0 || (long)floor(refs[e].start / DAY_S) == k))
                e++;
            long cap = period_cap(q, wa, wb, k);
            if ((long)(e - j) > cap)
                return fail(v, refs[e - 1].i,
                            "request %s gets %ld contacts in a period that allows %ld", q->id,
                            (long)(e - j), cap);
            j = e;
        }
        i = j;
    }
    return APSCO_OK;
}

apsco_status apsco_schedule_verify(const apsco_plan_problem *problem,
                                   const apsco_schedule *schedule, apsco_error *err)
{
    if (!problem || !schedule)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no problem or no schedule");
    vctx v = {problem, schedule, err};
    for (size_t i = 0; i < schedule->contact_count; i++) {
        apsco_status st = check_contact(&v, i);
        if (st != APSCO_OK)
            return st;
    }
    if (schedule->contact_count == 0)
        return APSCO_OK;
    ref *refs = malloc(schedule->contact_count * sizeof *refs);
    if (!refs)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    apsco_status st = check_overlaps(&v, refs);
    if (st == APSCO_OK)
        st = check_counts(&v, refs);
    free(refs);
    return st;
}
