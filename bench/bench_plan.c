/*
 * bench_plan.c — the fair shared scheduler's benchmark (issue 7): a week of
 * the members' satellites over the members' pooled network with demand at a
 * multiple of what the network can deliver, scheduled by `--solver auto`
 * within a time limit and by first come, first served, side by side; with
 * --proof, the exact LP bound of the schedule (CLP simplex, however long it
 * takes) proves how far it can be from the optimum.
 *
 * Scale 1: the members' satellites of the bundled registry with the 2026
 * CelesTrak snapshot, over the members' stations of data/stations.csv, with
 * passes from pass prediction. Scale N > 1: N times the satellites
 * (synthetic copies of the members' orbits, apsco_catalog_synthesize) and
 * N times the stations (copies of each member station moved by up to
 * 4 degrees). Requests are drawn from a seed: each satellite's owner wants
 * contacts every day, a partner member often wants some too. `--demand X`
 * scales the contacts per day until the requested seconds are X times the
 * capacity: the seconds the same requests are granted when they ask for
 * every pass (as first come, first served grants them).
 *
 * Usage: bench_plan [--scale N] [--days D] [--demand X] [--time-limit S]
 *                   [--proof] [--proof-limit S] [--data DIR] [--seed N] [--threads N]
 *                   [--dump PREFIX] [--balanced] [--everyone]
 * --balanced gives every member the same number of requests (satellites are
 * requested by members in turn instead of by their owners), so that every
 * member asks for more than its share: the case of the fairness target. It
 * also schedules each state alone, which shows the most its satellites'
 * passes can give it: a state whose most is below its equal part cannot be
 * lifted to it by any sharing.
 * --everyone has every member ask for every satellite (contacts of its own
 * length and priority): every member has the same chances, so the shares
 * can be equal; it implies --balanced's report.
 * --dump writes the instance as PREFIX-windows.csv and PREFIX-requests.csv, the
 * inputs of `apsco schedule --windows`.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"
#include "apsco/passes.h"
#include "apsco/plan.h"
#include "apsco/stations.h"
#include "apsco/store.h"
#include "apsco/synth.h"

typedef struct args {
    int scale, days, proof, threads, balanced, everyone;
    double demand, time_limit, proof_limit;
    const char *data, *dump;
    unsigned long long seed;
} args;

typedef struct network {
    apsco_catalog sats; /* the fleet */
    char (*owner)[3];   /* owner state of each satellite */
    apsco_station_list stations;
    apsco_plan_states states;
} network;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void die(const char *what, const apsco_error *err)
{
    fprintf(stderr, "bench_plan: %s: %s:%ld: %s\n", what, err->file, err->line, err->message);
    exit(1);
}

/* The registry's states as the planner's composition, members with equal entitlements. */
static void registry_states(apsco_store *store, apsco_plan_states *out)
{
    apsco_state_record *recs;
    size_t n;
    apsco_error err;
    if (apsco_store_get_states(store, 0, &recs, &n, &err) != APSCO_OK)
        die("states", &err);
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && i < APSCO_PLAN_STATES_MAX; i++) {
        apsco_plan_state *s = &out->items[out->count++];
        memcpy(s->code, recs[i].code, 3);
        s->membership = recs[i].status == APSCO_STATUS_MEMBER      ? APSCO_MEMBER
                        : recs[i].status == APSCO_STATUS_SIGNATORY ? APSCO_SIGNATORY
                                                                   : APSCO_OBSERVER;
        s->entitlement = s->membership == APSCO_MEMBER;
    }
    free(recs);
}

/* The members' fleets, pooled stations and states from a fresh store of the bundled dataset. */
static void load_members(const args *a, network *net)
{
    char path[512];
    snprintf(path, sizeof path, "/tmp/bench_plan_%ld.db", (long)getpid());
    remove(path);
    apsco_store *store;
    apsco_error err;
    if (apsco_store_open(path, APSCO_STORE_CREATE, &store, &err) != APSCO_OK)
        die("store", &err);
    if (apsco_store_load_defaults(store, a->data, NULL, &err) != APSCO_OK)
        die("bundled dataset", &err);
    apsco_pooling pool;
    if (apsco_store_pooling(store, &pool, &err) != APSCO_OK)
        die("pooling", &err);
    registry_states(store, &net->states);
    size_t total = 0;
    for (size_t m = 0; m < pool.member_count; m++)
        total += pool.members[m].catalog.count;
    net->owner = calloc(total + 1, sizeof *net->owner);
    for (size_t m = 0; m < pool.member_count; m++)
        for (size_t i = 0; i < pool.members[m].catalog.count; i++) {
            memcpy(net->owner[net->sats.count], pool.members[m].state, 3);
            apsco_catalog_append(&net->sats, &pool.members[m].catalog.items[i]);
        }
    for (size_t j = 0; j < pool.stations.count; j++)
        apsco_station_list_append(&net->stations, &pool.stations.items[j]);
    apsco_pooling_free(&pool);
    apsco_store_close(store);
    remove(path);
}

/* Scale N: N times the satellites (synthetic copies) and N times the stations (moved copies). */
static void scale_up(const args *a, network *net)
{
    if (a->scale <= 1)
        return;
    apsco_synth_options so = apsco_synth_defaults();
    so.count = net->sats.count * (size_t)a->scale;
    so.seed = a->seed;
    so.first_norad = 200000;
    apsco_catalog big = {0};
    apsco_error err;
    if (apsco_catalog_synthesize(&net->sats, &so, &big, &err) != APSCO_OK)
        die("synthetic fleet", &err);
    char(*owner)[3] = calloc(big.count + 1, sizeof *owner);
    for (size_t k = 0; k < big.count; k++)
        memcpy(owner[k], net->owner[k % net->sats.count], 3);
    apsco_catalog_free(&net->sats);
    free(net->owner);
    net->sats = big;
    net->owner = owner;
    uint64_t rng = a->seed;
    apsco_station_list more = {0};
    for (size_t j = 0; j < net->stations.count; j++)
        for (int k = 0; k < a->scale; k++) {
            apsco_station s = net->stations.items[j];
            if (k > 0) {
                snprintf(s.id, sizeof s.id, "%.24s-%02d", net->stations.items[j].id, k % 100);
                s.lat_rad += (apsco_random_unit(&rng) - 0.5) * 8 * M_PI / 180;
                s.lon_rad += (apsco_random_unit(&rng) - 0.5) * 8 * M_PI / 180;
            }
            apsco_station_list_append(&more, &s);
        }
    apsco_station_list_free(&net->stations);
    net->stations = more;
}

/* Pass prediction for the whole fleet over every station. */
static double find_windows(const args *a, const network *net, apsco_time t0, apsco_time t1,
                           apsco_plan_windows *w)
{
    double c0 = now_s();
    size_t n = net->sats.count;
    apsco_sat *sats = calloc(n + 1, sizeof *sats);
    long *norads = calloc(n + 1, sizeof *norads);
    apsco_pass_site *sites = calloc(net->stations.count + 1, sizeof *sites);
    for (size_t i = 0; i < n; i++) {
        apsco_sat_init(&sats[i], &net->sats.items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
        norads[i] = net->sats.items[i].norad;
    }
    for (size_t j = 0; j < net->stations.count; j++)
        apsco_pass_site_from_station(&sites[j], &net->stations.items[j]);
    apsco_pass_options po;
    memset(&po, 0, sizeof po);
    po.start = t0;
    po.end = t1;
    po.threads = a->threads;
    apsco_pass_list list = {0};
    apsco_error err;
    if (apsco_passes_find(sats, n, sites, net->stations.count, &po, &list, &err) != APSCO_OK ||
        apsco_plan_windows_from_passes(&list, norads, n, &net->stations, w, &err) != APSCO_OK)
        die("passes", &err);
    apsco_pass_list_free(&list);
    free(sats);
    free(norads);
    free(sites);
    return now_s() - c0;
}

/* One request; per_day is scaled later. */
typedef struct draft {
    char state[3];
    long norad;
    int priority;
    double d;
    double per_day; /* before scaling */
} draft;

/*
 * Each satellite: its owner wants 4-10 contacts a day (LEO 5-10 minutes,
 * geostationary 15-30), and with probability 0.6 a partner member wants
 * half as many of its own length.
 */
static draft *draw_requests(const args *a, const network *net, size_t *count)
{
    const char *members[APSCO_PLAN_STATES_MAX];
    size_t nm = 0;
    for (size_t i = 0; i < net->states.count; i++)
        if (net->states.items[i].membership == APSCO_MEMBER)
            members[nm++] = net->states.items[i].code;
    uint64_t rng = a->seed * 7919 + 17;
    draft *d = calloc((nm + 2) * net->sats.count + 1, sizeof *d);
    size_t n = 0;
    for (size_t i = 0; a->everyone && i < net->sats.count; i++) {
        /* Every member asks for every satellite: the same chances for all. */
        int geo = net->sats.items[i].mean_motion_rad_min < 2 * M_PI / 1200.0;
        for (size_t k = 0; k < nm; k++) {
            double len = geo ? 900 + 60 * floor(16 * apsco_random_unit(&rng))
                             : 300 + 30 * floor(11 * apsco_random_unit(&rng));
            d[n] = (draft){{0},
                           net->sats.items[i].norad,
                           1 + (int)(5 * apsco_random_unit(&rng)),
                           len,
                           1 + 2 * apsco_random_unit(&rng)};
            memcpy(d[n++].state, members[k], 3);
        }
    }
    for (size_t i = 0; !a->everyone && i < net->sats.count; i++) {
        const apsco_elset *e = &net->sats.items[i];
        int geo = e->mean_motion_rad_min < 2 * M_PI / 1200.0; /* period above 20 h */
        double len = geo ? 900 + 60 * floor(16 * apsco_random_unit(&rng))
                         : 300 + 30 * floor(11 * apsco_random_unit(&rng));
        d[n] = (draft){{0},
                       e->norad,
                       1 + (int)(5 * apsco_random_unit(&rng)),
                       len,
                       4 + 6 * apsco_random_unit(&rng)};
        memcpy(d[n].state, a->balanced ? members[(2 * i) % nm] : net->owner[i], 3);
        n++;
        if ((a->balanced || apsco_random_unit(&rng) < 0.6) && nm > 1) {
            const char *partner = members[(size_t)(apsco_random_unit(&rng) * nm) % nm];
            if (a->balanced)
                partner = members[(2 * i + 1) % nm];
            else if (!strcmp(partner, net->owner[i]))
                partner = members[(size_t)(apsco_random_unit(&rng) * nm) % nm];
            d[n] = (draft){{0},
                           e->norad,
                           1 + (int)(5 * apsco_random_unit(&rng)),
                           geo ? 600 + 60 * floor(11 * apsco_random_unit(&rng))
                               : 240 + 30 * floor(9 * apsco_random_unit(&rng)),
                           0.5 * d[n - 1].per_day};
            memcpy(d[n].state, partner, 3);
            n++;
        }
    }
    *count = n;
    return d;
}

/* The requests of the drafts with per_day = max(1, round(scale * drafted)). */
static void make_requests(const draft *d, size_t n, double scale, apsco_plan_requests *out)
{
    apsco_plan_requests_free(out);
    for (size_t i = 0; i < n; i++) {
        apsco_plan_request r;
        memset(&r, 0, sizeof r);
        snprintf(r.id, sizeof r.id, "R%05zu", i + 1);
        memcpy(r.state, d[i].state, 3);
        r.norad = d[i].norad;
        r.priority = d[i].priority;
        r.min_duration_s = d[i].d;
        long pd = lround(scale * d[i].per_day);
        r.per_day = (int)(pd < 1 ? 1 : pd > 10000 ? 10000 : pd);
        apsco_error err;
        if (apsco_plan_requests_add(out, &r, NULL, 0, &err) != APSCO_OK)
            die("request", &err);
    }
}

/* The instance as `apsco schedule --windows` inputs. */
static void dump(const char *prefix, const apsco_plan_windows *w, const apsco_plan_requests *r)
{
    char path[1024];
    snprintf(path, sizeof path, "%s-windows.csv", prefix);
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("norad,station,start_utc,end_utc,max_el_deg\n", f);
    for (size_t i = 0; i < w->count; i++) {
        char a[40], b[40];
        apsco_time_format_iso(w->items[i].start, 3, a, sizeof a);
        apsco_time_format_iso(w->items[i].end, 3, b, sizeof b);
        fprintf(f, "%ld,%s,%s,%s,%.3f\n", w->items[i].norad, w->stations[w->items[i].station].id, a,
                b, w->items[i].max_el_rad * 180 / M_PI);
    }
    fclose(f);
    snprintf(path, sizeof path, "%s-requests.csv", prefix);
    f = fopen(path, "w");
    if (!f) {
        perror(path);
        exit(1);
    }
    fputs("id,state,norad,priority,min_duration_s,per_day\n", f);
    for (size_t i = 0; i < r->count; i++)
        fprintf(f, "%s,%s,%ld,%d,%.0f,%d\n", r->items[i].id, r->items[i].state, r->items[i].norad,
                r->items[i].priority, r->items[i].min_duration_s, r->items[i].per_day);
    fclose(f);
}

static double total(const apsco_schedule *s, int granted)
{
    double t = 0;
    for (size_t i = 0; i < s->state_count; i++)
        t += granted ? s->states[i].granted_s : s->states[i].requested_s;
    return t;
}

/* Smallest and largest normalised share among the states that asked for anything. */
static void share_range(const apsco_schedule *s, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = 0;
    for (size_t i = 0; i < s->state_count; i++) {
        if (!(s->states[i].requested_s > 0))
            continue;
        *lo = fmin(*lo, s->states[i].share);
        *hi = fmax(*hi, s->states[i].share);
    }
}

static void solve(const apsco_plan_problem *p, apsco_plan_solver solver, double limit,
                  apsco_schedule *s)
{
    apsco_plan_options o;
    apsco_plan_options_init(&o);
    o.solver = solver;
    o.time_limit_s = limit;
    apsco_error err;
    if (apsco_plan_solve(p, &o, s, &err) != APSCO_OK)
        die("solve", &err);
    if (apsco_schedule_verify(p, s, &err) != APSCO_OK)
        die("verify", &err);
}

static void report(const char *name, const apsco_schedule *s)
{
    double lo, hi;
    share_range(s, &lo, &hi);
    printf("%-10s %-9s %8zu %14.0f %14.0f %7.3f %% %12.0f %12.0f %6.3f..%-6.3f %8.3f\n", name,
           apsco_plan_solver_name(s->solver), s->contact_count, s->value, s->bound, 100 * s->gap,
           s->level, s->level_bound, lo, hi, s->seconds);
}

/*
 * What each state asking for anything could be granted if it were alone on
 * the network (its requests only, the same limit): the most its satellites'
 * passes can deliver, next to its grant in the shared schedule `s`. A state
 * whose maximum is below an equal part of what `s` grants cannot reach an
 * equal share, however the network is shared.
 */
static void alone(const apsco_plan_problem *p, const apsco_plan_requests *req, double limit,
                  const apsco_schedule *s)
{
    double granted = total(s, 1), active = 0;
    for (size_t i = 0; i < s->state_count; i++)
        active += s->states[i].requested_s > 0 ? s->states[i].entitlement : 0;
    printf("\nalone on the network (its requests only, %.0f s): the most each state can get\n",
           limit);
    for (size_t i = 0; i < s->state_count; i++) {
        const apsco_plan_share *sh = &s->states[i];
        if (!(sh->requested_s > 0))
            continue;
        apsco_plan_requests own = {0};
        apsco_error err;
        for (size_t k = 0; k < req->count; k++)
            if (!strcmp(req->items[k].state, sh->state) &&
                apsco_plan_requests_add(&own, &req->items[k], NULL, 0, &err) != APSCO_OK)
                die("request", &err);
        apsco_plan_problem q = *p;
        q.requests = &own;
        apsco_schedule a;
        solve(&q, APSCO_SOLVER_AUTO, limit, &a);
        double part = granted * sh->entitlement / active;
        /* The level bound of a lone state, times its entitlement, bounds its seconds. */
        printf("  %s alone %10.0f s (LP bound %10.0f s): at most %.3f of an equal part, "
               "shared %.3f of its most\n",
               sh->state, a.states[i].granted_s, a.level_bound * a.states[i].entitlement,
               a.states[i].granted_s / part, sh->granted_s / a.states[i].granted_s);
        apsco_schedule_free(&a);
        apsco_plan_requests_free(&own);
    }
}

/*
 * Capacity: the seconds first come, first served grants when every request
 * asks for every pass (a fast, reproducible estimate from below). Then
 * per_day is scaled so that the requested seconds are `demand` times it (a
 * few rounds: per_day is rounded to whole contacts).
 */
static double calibrate(const args *a, apsco_plan_problem *p, const draft *d, size_t n,
                        apsco_plan_requests *req, double *capacity)
{
    make_requests(d, n, 1000, req);
    apsco_schedule s;
    solve(p, APSCO_SOLVER_FCFS, a->time_limit, &s);
    *capacity = total(&s, 1);
    apsco_schedule_free(&s);
    double scale = 1;
    for (int round = 0; round < 6; round++) {
        make_requests(d, n, scale, req);
        double asked = 0;
        for (size_t i = 0; i < req->count; i++)
            asked += req->items[i].per_day * req->items[i].min_duration_s * a->days;
        scale *= a->demand * *capacity / asked;
    }
    make_requests(d, n, scale, req);
    return scale;
}

static void parse_args(int argc, char **argv, args *a)
{
    memset(a, 0, sizeof *a);
    a->scale = 1;
    a->days = 7;
    a->demand = 2;
    a->time_limit = 2;
    a->proof_limit = 3600;
    a->data = "data";
    a->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : "";
        if (!strcmp(argv[i], "--scale"))
            a->scale = atoi(v), i++;
        else if (!strcmp(argv[i], "--days"))
            a->days = atoi(v), i++;
        else if (!strcmp(argv[i], "--demand"))
            a->demand = atof(v), i++;
        else if (!strcmp(argv[i], "--time-limit"))
            a->time_limit = atof(v), i++;
        else if (!strcmp(argv[i], "--proof-limit"))
            a->proof_limit = atof(v), i++;
        else if (!strcmp(argv[i], "--data"))
            a->data = v, i++;
        else if (!strcmp(argv[i], "--seed"))
            a->seed = strtoull(v, NULL, 10), i++;
        else if (!strcmp(argv[i], "--threads"))
            a->threads = atoi(v), i++;
        else if (!strcmp(argv[i], "--dump"))
            a->dump = v, i++;
        else if (!strcmp(argv[i], "--balanced"))
            a->balanced = 1;
        else if (!strcmp(argv[i], "--everyone"))
            a->everyone = a->balanced = 1;
        else if (!strcmp(argv[i], "--proof"))
            a->proof = 1;
        else {
            fprintf(stderr, "bench_plan: unknown argument %s\n", argv[i]);
            exit(2);
        }
    }
    if (a->scale < 1 || a->days < 1 || !(a->demand > 0) || !(a->time_limit > 0)) {
        fprintf(stderr, "bench_plan: bad arguments\n");
        exit(2);
    }
}

int main(int argc, char **argv)
{
    args a;
    parse_args(argc, argv, &a);
    network net;
    memset(&net, 0, sizeof net);
    load_members(&a, &net);
    scale_up(&a, &net);
    apsco_time t0, t1;
    apsco_error err;
    apsco_time_parse_iso("2026-03-19T00:00:00Z", &t0, &err);
    t1 = apsco_time_add_s(t0, a.days * 86400.0);
    apsco_plan_windows w = {0};
    double pass_s = find_windows(&a, &net, t0, t1, &w);
    size_t nd;
    draft *d = draw_requests(&a, &net, &nd);
    apsco_plan_requests req = {0};
    apsco_plan_problem p;
    apsco_plan_problem_init(&p);
    p.start = t0;
    p.end = t1;
    p.stations = w.stations;
    p.station_count = w.station_count;
    p.windows = w.items;
    p.window_count = w.count;
    p.requests = &req;
    p.states = &net.states;
    double capacity, scale = calibrate(&a, &p, d, nd, &req, &capacity);
    if (a.dump)
        dump(a.dump, &w, &req);
    printf("scale %d: %zu satellites, %zu stations, %d days, %zu passes (pass search %.1f s)\n",
           a.scale, net.sats.count, net.stations.count, a.days, w.count, pass_s);
    apsco_schedule s, f;
    solve(&p, APSCO_SOLVER_AUTO, a.time_limit, &s);
    solve(&p, APSCO_SOLVER_FCFS, a.time_limit, &f);
    printf("%zu requests, capacity %.0f s, requested %.0f s (%.2fx, per_day x %.2f), %zu "
           "candidate contacts\n\n",
           req.count, capacity, total(&s, 0), total(&s, 0) / capacity, scale, s.candidates);
    printf("%-10s %-9s %8s %14s %14s %9s %12s %12s %14s %8s\n", "run", "solver", "contacts",
           "value", "bound", "gap", "level", "level bound", "shares", "seconds");
    report("auto", &s);
    report("baseline", &f);
    printf("\nauto / fcfs: value x %.3f, granted seconds x %.3f\n", s.value / f.value,
           total(&s, 1) / total(&f, 1));
    for (size_t i = 0; i < s.state_count; i++)
        printf("  %s requested %10.0f s  granted %10.0f s (fcfs %10.0f)  share %.3f (fcfs %.3f)\n",
               s.states[i].state, s.states[i].requested_s, s.states[i].granted_s,
               f.states[i].granted_s, s.states[i].share, f.states[i].share);
    if (a.balanced)
        alone(&p, &req, a.time_limit, &s);
    if (a.proof) {
        double c0 = now_s(), lb, vb;
        if (apsco_plan_bound(&p, &s, 1, a.proof_limit, &lb, &vb, &err) != APSCO_OK)
            die("proof", &err);
        printf(
            "\nproof (exact LP, %.1f s): level %.0f <= %.0f (within %.3f %%), value %.0f <= %.0f "
            "(within %.3f %%)\n",
            now_s() - c0, s.level, lb, 100 * (lb - s.level) / lb, s.value, vb,
            100 * (vb - s.value) / vb);
    }
    apsco_schedule_free(&s);
    apsco_schedule_free(&f);
    apsco_plan_requests_free(&req);
    apsco_plan_windows_free(&w);
    apsco_catalog_free(&net.sats);
    apsco_station_list_free(&net.stations);
    free(net.owner);
    free(d);
    return 0;
}
