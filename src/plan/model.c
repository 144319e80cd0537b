/*
 * model.c — from an apsco_plan_problem to the planner's working model: the
 * horizon in seconds, refusals by right and by reference, usable pieces of
 * passes (clipped, outages cut out, whole seconds), the periods of each
 * request and its candidate contacts (slots with start grids), and what each
 * state could use at all.
 *
 * Every solver reads the same model, so the bound, the heuristic and the
 * baseline are about the same set of candidate contacts.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

#define DAY_S 86400.0

int plan_grow(void **arr, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return 1;
    size_t c = *cap ? *cap : 16;
    while (c < need)
        c *= 2;
    void *p = realloc(*arr, c * size);
    if (!p)
        return 0;
    *arr = p;
    *cap = c;
    return 1;
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static int cmp_seg(const void *a, const void *b)
{
    const plan_seg *x = a, *y = b;
    if (x->sat != y->sat)
        return x->sat - y->sat;
    if (x->a != y->a)
        return (x->a > y->a) - (x->a < y->a);
    return x->station - y->station;
}

/* Sorted unique copy of `v` (n entries); *out_n receives the count. NULL on allocation failure. */
static long *sorted_unique(const long *v, size_t n, size_t *out_n)
{
    long *u = malloc((n ? n : 1) * sizeof *u);
    if (!u)
        return NULL;
    if (n)
        memcpy(u, v, n * sizeof *u);
    plan_sort(u, n, sizeof *u, cmp_long);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (k == 0 || u[k - 1] != u[i])
            u[k++] = u[i];
    *out_n = k;
    return u;
}

static int find_long(const long *v, size_t n, long key)
{
    const long *p = bsearch(&key, v, n, sizeof *v, cmp_long);
    return p ? (int)(p - v) : -1;
}

/* Rounds t (s since the horizon start) up / down to a whole UTC second. */
static double up_s(const plan_model *m, double t)
{
    return ceil(t + m->shift_s - 1e-6) - m->shift_s;
}

static double down_s(const plan_model *m, double t)
{
    return floor(t + m->shift_s + 1e-6) - m->shift_s;
}

static apsco_status check_problem(const apsco_plan_problem *p, double horizon_s, apsco_error *err)
{
    if (!(horizon_s > 0) || horizon_s > 400 * DAY_S)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "the horizon must end after it starts and span at most 400 days");
    if (!isfinite(p->setup_s) || p->setup_s < 0 || p->setup_s > DAY_S)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "setup time must be in [0, 86400] s");
    if (!isfinite(p->step_s) || p->step_s < 1 || p->step_s > DAY_S)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "start step must be in [1, 86400] s");
    if (p->station_count > 1000000 || (p->station_count && !p->stations))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "bad station list");
    for (size_t i = 0; i < p->station_count; i++)
        if (p->stations[i].antennas < 1 || p->stations[i].antennas > 1000)
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                                   "station '%s' must have 1 to 1000 antennas", p->stations[i].id);
    for (size_t i = 0; i < p->window_count; i++) {
        const apsco_plan_window *w = &p->windows[i];
        if (w->station >= p->station_count)
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, w->source_line,
                                   "window %zu names station %zu of %zu", i, w->station,
                                   p->station_count);
        if (!(apsco_time_diff_s(w->end, w->start) > 0))
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, w->source_line,
                                   "window %zu does not end after it starts", i);
    }
    return APSCO_OK;
}

static apsco_status refuse(plan_model *m, size_t request, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static apsco_status refuse(plan_model *m, size_t request, const char *fmt, ...)
{
    apsco_plan_refusal *r = &m->refused[m->refused_count++];
    r->request = request;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->reason, sizeof r->reason, fmt, ap);
    va_end(ap);
    return APSCO_OK;
}

/* Index of station `id`, or -1. Linear: station lists are short and this runs per request. */
static int station_index(const apsco_plan_problem *p, const char *id)
{
    for (size_t i = 0; i < p->station_count; i++)
        if (!strcmp(p->stations[i].id, id))
            return (int)i;
    return -1;
}

/* Entitled member states, with entitlements normalised to sum 1; state_of[] maps composition. */
static apsco_status build_states(plan_model *m, const apsco_plan_states *comp, int *state_of,
                                 apsco_error *err)
{
    double total = 0;
    for (size_t i = 0; i < comp->count; i++)
        if (comp->items[i].membership == APSCO_MEMBER && comp->items[i].entitlement > 0)
            total += comp->items[i].entitlement;
    m->states = calloc(comp->count ? comp->count : 1, sizeof *m->states);
    if (!m->states)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < comp->count; i++) {
        const apsco_plan_state *s = &comp->items[i];
        state_of[i] = -1;
        if (s->membership != APSCO_MEMBER || !(s->entitlement > 0) || !isfinite(s->entitlement))
            continue;
        plan_state *ps = &m->states[m->state_count];
        memcpy(ps->code, s->code, 3);
        ps->eps = s->entitlement / total;
        state_of[i] = m->state_count++;
    }
    return APSCO_OK;
}

/* Decides whether request `i` is served; on acceptance appends it to m->reqs with its periods. */
static apsco_status accept_request(plan_model *m, const apsco_plan_states *comp,
                                   const int *state_of, const long *known, size_t known_n, size_t i,
                                   unsigned char *allow, size_t *period_cap)
{
    const apsco_plan_problem *p = m->problem;
    const apsco_plan_requests *set = p->requests;
    const apsco_plan_request *r = &set->items[i];
    const apsco_plan_state *s = apsco_plan_states_find(comp, r->state);
    if (!s)
        return refuse(m, i, "%s is not a state of the organization", r->state);
    if (s->membership != APSCO_MEMBER)
        return refuse(m, i,
                      "%s is %s %s of the organization: only member states hold an entitlement",
                      r->state, s->membership == APSCO_OBSERVER ? "an" : "a",
                      apsco_membership_name(s->membership));
    int state = state_of[s - comp->items];
    if (state < 0)
        return refuse(m, i, "member state %s holds no entitlement", r->state);
    if (find_long(known, known_n, r->norad) < 0)
        return refuse(m, i, "satellite %ld is unknown (%s)", r->norad,
                      p->satellites ? "not in the catalog" : "no pass windows");
    memset(allow, r->stations_count ? 0 : 1, p->station_count ? p->station_count : 1);
    for (size_t k = 0; k < r->stations_count; k++) {
        const char *name = set->names[r->stations_first + k];
        int st = station_index(p, name);
        if (st < 0)
            return refuse(m, i, "station '%s' is not in the network", name);
        allow[st] = 1;
    }
    double wa = 0, wb = m->horizon_s;
    if (r->has_window) {
        wa = fmax(wa, apsco_time_diff_s(r->window_start, p->start));
        wb = fmin(wb, apsco_time_diff_s(r->window_end, p->start));
    }
    if (!(wb - wa >= r->min_duration_s))
        return refuse(m, i, "no %.0f-second contact fits in %s", r->min_duration_s,
                      r->has_window ? "its window inside the horizon" : "the horizon");

    plan_req *q = &m->reqs[m->req_count];
    memset(q, 0, sizeof *q);
    q->index = i;
    q->state = state;
    q->sat = find_long(m->norads, (size_t)m->sat_count, r->norad);
    q->priority = r->priority;
    q->d = r->min_duration_s;
    q->value = r->priority * r->min_duration_s;
    q->wa = wa;
    q->wb = wb;
    q->period_first = m->period_count;
    double first = r->per_day > 0 ? floor(wa / DAY_S) : 0;
    double last = r->per_day > 0 ? ceil(wb / DAY_S) : 1;
    for (double k = first; k < last; k++) {
        double a = r->per_day > 0 ? fmax(k * DAY_S, wa) : wa;
        double b = r->per_day > 0 ? fmin((k + 1) * DAY_S, wb) : wb;
        if (!(b > a))
            continue;
        if (!plan_grow((void **)&m->periods, period_cap, (size_t)m->period_count + 1,
                       sizeof *m->periods))
            return APSCO_ERR_NOMEM;
        plan_period *pp = &m->periods[m->period_count++];
        pp->req = m->req_count;
        pp->a = a;
        pp->b = b;
        /* A period cut short by the horizon or the window asks for its share, rounded up. */
        pp->cap = r->per_day > 0 ? (int)ceil(r->per_day * (b - a) / DAY_S - 1e-9) : 1;
        if (pp->cap < 1)
            pp->cap = 1;
        if (r->per_day > 0 && b - a > DAY_S - 1e-6)
            pp->cap = r->per_day;
        pp->disjoint = 0;
    }
    q->period_count = m->period_count - q->period_first;
    m->req_count++;
    return APSCO_OK;
}

/* The satellites that accepted requests name, sorted (the model's satellite indices). */
static apsco_status collect_sats(plan_model *m, const long *known, size_t known_n)
{
    const apsco_plan_requests *set = m->problem->requests;
    size_t n = set ? set->count : 0;
    long *v = malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return APSCO_ERR_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (find_long(known, known_n, set->items[i].norad) >= 0)
            v[k++] = set->items[i].norad;
    size_t u;
    m->norads = sorted_unique(v, k, &u);
    free(v);
    if (!m->norads)
        return APSCO_ERR_NOMEM;
    m->sat_count = (int)u;
    return APSCO_OK;
}

typedef struct outage_list {
    double *a, *b; /* sorted, merged intervals per station, flattened */
    size_t *first; /* station i: [first[i], first[i+1]) */
} outage_list;

static int cmp_pair(const void *x, const void *y)
{
    const double *p = x, *q = y;
    return (p[0] > q[0]) - (p[0] < q[0]);
}

/* Resolves outage stations and merges each station's outages into sorted intervals. */
static apsco_status build_outages(const plan_model *m, outage_list *o, apsco_error *err)
{
    const apsco_plan_problem *p = m->problem;
    size_t n = p->outages ? p->outages->count : 0;
    size_t ns = p->station_count;
    o->first = calloc(ns + 1, sizeof *o->first);
    double *pairs = malloc((n ? n : 1) * 3 * sizeof *pairs);
    o->a = malloc((n ? n : 1) * sizeof *o->a);
    o->b = malloc((n ? n : 1) * sizeof *o->b);
    if (!o->first || !pairs || !o->a || !o->b) {
        free(pairs);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        const apsco_plan_outage *u = &p->outages->items[i];
        int st = station_index(p, u->station);
        if (st < 0) {
            free(pairs);
            return apsco_error_set(err, APSCO_ERR_VALUE, p->outages->source, u->source_line,
                                   "outage of unknown station '%s'", u->station);
        }
        pairs[3 * i] = st;
        pairs[3 * i + 1] = apsco_time_diff_s(u->start, p->start);
        pairs[3 * i + 2] = apsco_time_diff_s(u->end, p->start);
    }
    size_t k = 0;
    double *tmp = malloc((n ? n : 1) * 2 * sizeof *tmp);
    if (!tmp) {
        free(pairs);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    for (size_t st = 0; st < ns; st++) {
        o->first[st] = k;
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            if ((size_t)pairs[3 * i] == st) {
                tmp[2 * c] = pairs[3 * i + 1];
                tmp[2 * c + 1] = pairs[3 * i + 2];
                c++;
            }
        plan_sort(tmp, c, 2 * sizeof *tmp, cmp_pair);
        for (size_t i = 0; i < c; i++) {
            if (k > o->first[st] && tmp[2 * i] <= o->b[k - 1]) {
                o->b[k - 1] = fmax(o->b[k - 1], tmp[2 * i + 1]);
                continue;
            }
            o->a[k] = tmp[2 * i];
            o->b[k] = tmp[2 * i + 1];
            k++;
        }
    }
    o->first[ns] = k;
    free(tmp);
    free(pairs);
    return APSCO_OK;
}

static void free_outages(outage_list *o)
{
    free(o->a);
    free(o->b);
    free(o->first);
}

/* Appends the piece [a, b) of window w, rounded inward to whole seconds, if it is not empty. */
static int add_piece(plan_model *m, size_t *cap, int sat, int station, size_t w, double a, double b)
{
    a = up_s(m, a);
    b = down_s(m, b);
    if (!(b > a))
        return 1;
    if (!plan_grow((void **)&m->segs, cap, (size_t)m->seg_count + 1, sizeof *m->segs))
        return 0;
    plan_seg *g = &m->segs[m->seg_count++];
    g->sat = sat;
    g->station = station;
    g->window = w;
    g->a = a;
    g->b = b;
    return 1;
}

/* Usable pieces of every window of a satellite with accepted requests. */
static apsco_status build_segments(plan_model *m, const outage_list *o)
{
    const apsco_plan_problem *p = m->problem;
    size_t cap = 0;
    for (size_t w = 0; w < p->window_count; w++) {
        const apsco_plan_window *win = &p->windows[w];
        int sat = find_long(m->norads, (size_t)m->sat_count, win->norad);
        if (sat < 0)
            continue;
        double a = fmax(0, apsco_time_diff_s(win->start, p->start));
        double b = fmin(m->horizon_s, apsco_time_diff_s(win->end, p->start));
        size_t st = win->station;
        for (size_t k = o->first[st]; k < o->first[st + 1] && b > a; k++) {
            if (o->b[k] <= a || o->a[k] >= b)
                continue;
            if (!add_piece(m, &cap, sat, (int)st, w, a, o->a[k]))
                return APSCO_ERR_NOMEM;
            a = o->b[k];
        }
        if (b > a && !add_piece(m, &cap, sat, (int)st, w, a, b))
            return APSCO_ERR_NOMEM;
    }
    plan_sort(m->segs, (size_t)m->seg_count, sizeof *m->segs, cmp_seg);
    return APSCO_OK;
}

/* The start grid of a slot in [lo, hi]: step_s apart, at most APSCO_PLAN_STARTS_MAX starts. */
static void slot_grid(plan_slot *s, double step)
{
    double span = s->hi - s->lo;
    if (span <= 0) {
        s->n = 1;
        s->step = step;
        return;
    }
    double k = floor(span / step) + 1;
    double n = k + (s->lo + (k - 1) * step < s->hi);
    if (n > APSCO_PLAN_STARTS_MAX) {
        /*
         * A multiple of the step keeps the starts on the same grid as the
         * short passes, so that contacts still pack back to back.
         */
        step *= ceil((n - 1) / (APSCO_PLAN_STARTS_MAX - 1));
        k = floor(span / step) + 1;
        n = k + (s->lo + (k - 1) * step < s->hi);
    }
    s->n = (int)n;
    s->step = step;
}

/* Slots of request q: its periods crossed with the pieces of passes of its satellite. */
static apsco_status build_slots(plan_model *m, int qi, const unsigned char *allow, size_t *cap,
                                double step)
{
    const plan_req *q = &m->reqs[qi];
    /* First piece of the satellite: pieces are sorted by satellite then start. */
    int lo = 0, hi = m->seg_count;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (m->segs[mid].sat < q->sat)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (int g = lo; g < m->seg_count && m->segs[g].sat == q->sat; g++) {
        const plan_seg *seg = &m->segs[g];
        if (!allow[seg->station] || seg->b - seg->a < q->d)
            continue;
        for (int k = 0; k < q->period_count; k++) {
            int pi = q->period_first + k;
            const plan_period *pp = &m->periods[pi];
            plan_slot s = {qi, g, pi, 0, 0, 0, 0};
            s.lo = up_s(m, fmax(fmax(seg->a, pp->a), q->wa));
            s.hi = down_s(m, fmin(fmin(seg->b, q->wb) - q->d, pp->b - 1e-3));
            if (s.hi < s.lo)
                continue;
            slot_grid(&s, step);
            if (!plan_grow((void **)&m->slots, cap, m->slot_count + 1, sizeof *m->slots))
                return APSCO_ERR_NOMEM;
            m->slots[m->slot_count++] = s;
            m->candidate_count += (size_t)s.n;
        }
    }
    return APSCO_OK;
}

/*
 * How many pairwise disjoint contacts each period offers (the request alone
 * against its satellite): greedy by earliest end is optimal for intervals
 * of equal length.
 */
static apsco_status count_disjoint(plan_model *m)
{
    size_t *first = calloc((size_t)m->period_count + 1, sizeof *first);
    size_t *fill = calloc((size_t)m->period_count + 1, sizeof *fill);
    double *starts = malloc((m->candidate_count ? m->candidate_count : 1) * sizeof *starts);
    if (!first || !fill || !starts) {
        free(first);
        free(fill);
        free(starts);
        return APSCO_ERR_NOMEM;
    }
    for (size_t i = 0; i < m->slot_count; i++)
        first[m->slots[i].period + 1] += (size_t)m->slots[i].n;
    for (int p = 0; p < m->period_count; p++)
        first[p + 1] += first[p];
    for (size_t i = 0; i < m->slot_count; i++) {
        const plan_slot *s = &m->slots[i];
        for (int k = 0; k < s->n; k++)
            starts[first[s->period] + fill[s->period]++] = slot_start(s, k);
    }
    for (int p = 0; p < m->period_count; p++) {
        double *v = starts + first[p];
        size_t n = first[p + 1] - first[p];
        plan_sort(v, n, sizeof *v, cmp_double);
        double d = m->reqs[m->periods[p].req].d, free_at = -INFINITY;
        int c = 0;
        for (size_t i = 0; i < n; i++)
            if (v[i] >= free_at) {
                c++;
                free_at = v[i] + d;
            }
        m->periods[p].disjoint = c;
    }
    free(first);
    free(fill);
    free(starts);
    return APSCO_OK;
}

/* What each request and state asks for and could use. */
static void sum_demand(plan_model *m)
{
    for (int i = 0; i < m->req_count; i++) {
        plan_req *q = &m->reqs[i];
        int asked = 0, usable = 0;
        for (int k = 0; k < q->period_count; k++) {
            const plan_period *pp = &m->periods[q->period_first + k];
            asked += pp->cap;
            usable += pp->cap < pp->disjoint ? pp->cap : pp->disjoint;
        }
        q->usable = usable;
        m->states[q->state].requested += asked * q->d;
        m->states[q->state].usable += usable * q->d;
        if (q->d > m->max_d)
            m->max_d = q->d;
    }
}

static apsco_status build_requests(plan_model *m, const apsco_plan_states *comp, apsco_error *err)
{
    const apsco_plan_problem *p = m->problem;
    size_t nreq = p->requests ? p->requests->count : 0;
    int *state_of = malloc((comp->count ? comp->count : 1) * sizeof *state_of);
    size_t known_n = 0;
    long *known = NULL;
    if (p->satellites) {
        known = sorted_unique(p->satellites, p->satellite_count, &known_n);
    } else {
        long *v = malloc((p->window_count ? p->window_count : 1) * sizeof *v);
        for (size_t i = 0; v && i < p->window_count; i++)
            v[i] = p->windows[i].norad;
        known = v ? sorted_unique(v, p->window_count, &known_n) : NULL;
        free(v);
    }
    unsigned char *allow = malloc(p->station_count + 1);
    m->refused = calloc(nreq ? nreq : 1, sizeof *m->refused);
    m->reqs = calloc(nreq ? nreq : 1, sizeof *m->reqs);
    apsco_status st = APSCO_OK;
    if (!state_of || !known || !allow || !m->refused || !m->reqs)
        st = APSCO_ERR_NOMEM;
    if (st == APSCO_OK)
        st = build_states(m, comp, state_of, err);
    if (st == APSCO_OK)
        st = collect_sats(m, known, known_n);
    size_t period_cap = 0;
    for (size_t i = 0; i < nreq && st == APSCO_OK; i++)
        st = accept_request(m, comp, state_of, known, known_n, i, allow, &period_cap);
    free(state_of);
    free(known);
    free(allow);
    if (st == APSCO_ERR_NOMEM)
        return apsco_error_set(err, st, NULL, 0, "out of memory");
    return st;
}

/* Allowed-station flags of accepted request q (rebuilt from its names). */
static void request_allow(const plan_model *m, const plan_req *q, unsigned char *allow)
{
    const apsco_plan_problem *p = m->problem;
    const apsco_plan_request *r = &p->requests->items[q->index];
    memset(allow, r->stations_count ? 0 : 1, p->station_count ? p->station_count : 1);
    for (size_t k = 0; k < r->stations_count; k++)
        allow[station_index(p, p->requests->names[r->stations_first + k])] = 1;
}

apsco_status plan_model_build(const apsco_plan_problem *p, plan_model *m, apsco_error *err)
{
    memset(m, 0, sizeof *m);
    m->problem = p;
    m->horizon_s = apsco_time_diff_s(p->end, p->start);
    apsco_status st = check_problem(p, m->horizon_s, err);
    if (st != APSCO_OK)
        return st;
    double sod = p->start.fr * DAY_S;
    m->shift_s = fabs(sod - round(sod)) < 1e-6 ? 0 : sod - floor(sod);
    m->setup_s = p->setup_s;
    m->station_count = (int)p->station_count;
    m->antennas = malloc((p->station_count ? p->station_count : 1) * sizeof *m->antennas);
    if (!m->antennas)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; i < p->station_count; i++)
        m->antennas[i] = p->stations[i].antennas;

    apsco_plan_states builtin;
    const apsco_plan_states *comp = p->states;
    if (!comp) {
        apsco_plan_states_builtin(&builtin);
        comp = &builtin;
    }
    st = build_requests(m, comp, err);
    outage_list o = {0};
    if (st == APSCO_OK)
        st = build_outages(m, &o, err);
    if (st == APSCO_OK && build_segments(m, &o) != APSCO_OK)
        st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    free_outages(&o);

    unsigned char *allow = malloc(p->station_count + 1);
    size_t cap = 0;
    double step = fmax(1, round(p->step_s));
    if (st == APSCO_OK && !allow)
        st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (int i = 0; i < m->req_count && st == APSCO_OK; i++) {
        request_allow(m, &m->reqs[i], allow);
        if (build_slots(m, i, allow, &cap, step) != APSCO_OK)
            st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    free(allow);
    if (st == APSCO_OK && count_disjoint(m) != APSCO_OK)
        st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    if (st != APSCO_OK) {
        plan_model_free(m);
        return st;
    }
    sum_demand(m);
    return APSCO_OK;
}

void plan_model_free(plan_model *m)
{
    free(m->antennas);
    free(m->norads);
    free(m->states);
    free(m->reqs);
    free(m->periods);
    free(m->segs);
    free(m->slots);
    free(m->refused);
    memset(m, 0, sizeof *m);
}
