/*
 * internal.h — the planner's working model, shared by the files of the plan
 * module: the problem reduced to seconds since the horizon start, the
 * candidate contacts (slots with their start grids), the occupancy
 * timelines, and the incremental solution every solver edits.
 *
 * Not part of the public API; nothing here prints or allocates behind the
 * caller's back (every array belongs to a plan_model or a plan_sol).
 */
#ifndef APSCO_PLAN_INTERNAL_H
#define APSCO_PLAN_INTERNAL_H

#include <stddef.h>
#include <stdlib.h>

#include "apsco/plan.h"

/* A usable piece of a pass: inside the horizon, outside outages, whole seconds. */
typedef struct plan_seg {
    int sat, station;
    size_t window; /* index into problem->windows */
    double a, b;   /* seconds since the horizon start */
} plan_seg;

/* An accepted request. */
typedef struct plan_req {
    size_t index; /* into problem->requests->items */
    int state;    /* index into plan_model.states */
    int sat;      /* index into plan_model.norads */
    int priority;
    double d;         /* contact length, s */
    double value;     /* priority * d */
    double wa, wb;    /* contacts lie in [wa, wb] */
    int period_first; /* periods[period_first .. +period_count] */
    int period_count;
    int usable; /* contacts it could get alone (sum over periods of min(cap, disjoint)) */
} plan_req;

/* A period of a request: at most `cap` contacts start in [a, b). */
typedef struct plan_period {
    int req;
    int cap;
    int disjoint; /* most non-overlapping contacts its slots offer */
    double a, b;
} plan_period;

/*
 * Candidate contacts of one request in one period and one usable piece of a
 * pass: `n` starts, lo + k * step for k < n - 1 and hi for the last one.
 */
typedef struct plan_slot {
    int req, seg, period;
    int n;
    double lo, hi, step;
} plan_slot;

/* A member state that holds an entitlement. */
typedef struct plan_state {
    char code[3];
    double eps;       /* normalised entitlement, the members' sum to 1 */
    double requested; /* seconds asked for */
    double usable;    /* R_s: seconds it could use at all */
} plan_state;

typedef struct plan_model {
    const apsco_plan_problem *problem;
    double horizon_s;
    double shift_s; /* T0 - floor-second(T0), so that whole UTC seconds are t + shift_s integral */
    double setup_s;
    int station_count;
    int *antennas; /* per station */
    int sat_count;
    long *norads; /* sorted, the satellites that have accepted requests or windows */
    plan_state *states;
    int state_count;
    plan_req *reqs;
    int req_count;
    plan_period *periods;
    int period_count;
    plan_seg *segs;
    int seg_count;
    plan_slot *slots;
    size_t slot_count;
    size_t candidate_count; /* sum of slots' n */
    apsco_plan_refusal *refused;
    size_t refused_count;
    double max_d; /* longest contact, s */
} plan_model;

/* qsort that accepts an empty (possibly NULL) array, which qsort itself does not. */
static inline void plan_sort(void *base, size_t n, size_t size,
                             int (*cmp)(const void *, const void *))
{
    if (n > 1)
        qsort(base, n, size, cmp);
}

/* Grows *arr (of *cap elements of `size` bytes) to hold at least `need`; 0 when out of memory. */
int plan_grow(void **arr, size_t *cap, size_t need, size_t size);

/* Start number k of slot `s`. */
static inline double slot_start(const plan_slot *s, int k)
{
    return k < s->n - 1 ? s->lo + k * s->step : s->hi;
}

/* Builds the model of `problem`; refusals go to model->refused. */
apsco_status plan_model_build(const apsco_plan_problem *problem, plan_model *model,
                              apsco_error *err);
void plan_model_free(plan_model *model);

/* ---------------------------------------------------------- timelines */

/* Occupied intervals [a, b) of one resource with `capacity` parallel units. */
typedef struct tl_item {
    double a, b;
    int id;
} tl_item;

typedef struct timeline {
    tl_item *v; /* sorted by a */
    int n, cap;
    int capacity;
    double maxlen; /* longest interval ever inserted */
} timeline;

/* Non-zero when [a, b) can be added without exceeding the capacity anywhere. */
int timeline_fits(const timeline *t, double a, double b);
/* Identifiers of the intervals overlapping [a, b), up to `max`; returns how many overlap. */
int timeline_overlapping(const timeline *t, double a, double b, int *ids, int max);
apsco_status timeline_insert(timeline *t, double a, double b, int id);
void timeline_remove(timeline *t, double a, int id);
void timeline_free(timeline *t);

/* ----------------------------------------------------------- solutions */

typedef struct plan_contact {
    int slot;
    double start;
    int live; /* 0 once removed (the entry is recycled) */
} plan_contact;

/* A conflict-free set of contacts with its bookkeeping, edited in place. */
typedef struct plan_sol {
    const plan_model *m;
    plan_contact *c;
    int n, cap;
    int *free_ids; /* removed entries to reuse */
    int free_n;
    timeline *station_tl; /* occupancy [start, end + setup) */
    timeline *sat_tl;     /* occupancy [start, end) */
    int *used;            /* contacts per period */
    double *granted;      /* seconds per state */
    double value;         /* sum of priority * seconds */
    int live;             /* number of live contacts */
} plan_sol;

apsco_status plan_sol_init(plan_sol *s, const plan_model *m);
void plan_sol_free(plan_sol *s);
void plan_sol_clear(plan_sol *s);
apsco_status plan_sol_copy(plan_sol *dst, const plan_sol *src);
/* Non-zero when a contact of slot `slot` starting at `start` fits the solution. */
int plan_sol_fits(const plan_sol *s, int slot, double start);
/* Adds a contact (the caller checked that it fits); returns its id or -1 when out of memory. */
int plan_sol_add(plan_sol *s, int slot, double start);
void plan_sol_remove(plan_sol *s, int id);
/* The earliest start of slot `slot` at index >= k0 that fits, or -1. */
int plan_sol_first_fit(const plan_sol *s, int slot, int k0);

/*
 * The fairness level of the solution: the smallest granted_s / eps_s over
 * the states that can use anything (usable_s > 0); 0 when there is none.
 */
double plan_sol_level(const plan_sol *s);

/*
 * Stage 2 may not take a state below its fair floor: the max-min level for
 * the lowest states exactly, and at most this fraction below what the
 * fairness stage gave every other state. None: with a slack of 5 %, the value
 * stage moved seconds from the states at the level to a state with more
 * valuable requests, and shares that the fairness stage had within a few
 * per cent of each other ended 0.95..1.22 apart (bench_plan --everyone).
 */
#define PLAN_FAIR_TOLERANCE 0.0

/* The fair floors of the schedule `s` left by the fairness stage, per state. */
void plan_fair_floors(const plan_sol *s, double *floors);

/* ------------------------------------------------------------- solvers */

/* First come, first served in request order. */
apsco_status plan_fcfs(const plan_model *m, plan_sol *sol);

/*
 * Progressive filling by lowest normalised level, then local search until
 * `deadline` (seconds on plan_clock). `guide` (may be NULL) holds an LP
 * value per candidate in plan_candidate order to steer the choices.
 */
apsco_status plan_heuristic(const plan_model *m, const double *guide, double deadline,
                            plan_sol *sol, double *floors);

/*
 * Large neighbourhood search on `sol` until it stalls or `deadline` passes:
 * fairness (leximin) first, then value above the fair floors, which are
 * written to `floors` (one per state).
 */
apsco_status plan_search(const plan_model *m, double deadline, plan_sol *sol, double *floors);

/* The fairness phase of plan_search alone, until it stalls or `deadline`; floors as there. */
apsco_status plan_search_fair(const plan_model *m, double deadline, plan_sol *sol, double *floors);

/* Progressive filling, then the fairness phase of the search alone (plan_search_fair). */
apsco_status plan_heuristic_fair(const plan_model *m, double deadline, plan_sol *sol,
                                 double *floors);

/*
 * The value phase of plan_search alone, on a schedule `sol` that meets the
 * `floors` (seconds per state): moves are kept when every floor still holds
 * and the value does not drop. With `guide` (LP values of the candidates,
 * plan_candidate_offsets order; may be NULL) the ejection passes take only
 * the candidates the LP gives a positive value and the search returns to
 * them sooner (see search.c).
 */
apsco_status plan_search_value(const plan_model *m, const double *floors, const double *guide,
                               double deadline, plan_sol *sol);

/*
 * A schedule from an LP solution `x` of the value stage (one value per
 * candidate, plan_candidate_offsets order): candidates at 1 first, then the
 * fractional ones by decreasing LP value, each taken when it fits; states
 * left below their `floors` then take their other candidates, pushing out
 * contacts of states above their floors if need be. A state still short
 * keeps the contacts it has in `seed` (a schedule that meets the floors; may
 * be NULL) and the rounding starts again around them. The room left goes
 * to the most valuable candidates. `sol` is cleared first. No new round
 * starts after `deadline`. APSCO_ERR_VALUE when a state stays below its
 * floor (the schedule then does not count as a value-stage schedule).
 */
apsco_status plan_round(const plan_model *m, const double *x, const double *floors,
                        const plan_sol *seed, double deadline, plan_sol *sol);

/* Days of the horizon (the periods of per_day requests), each with an LP in plan_guided_day. */
int plan_guided_days(const plan_model *m);

struct plan_cliques;
struct plan_relax;

/*
 * LP values of the candidates of day `day` (plan_candidate_offsets order,
 * written to x; the other entries are not touched) to guide the value
 * stage: the LP relaxation of that day's candidates whose contact and
 * set-up end within the day (the others get 0), its floors the states'
 * seconds that day in `start` scaled to `floors`, solved by `deadline`
 * (`cpu_rate`: the CPU seconds the process spends a second meanwhile, see
 * plan_relax_new). `cl`: the conflict structure of `m`. Days are
 * independent: several threads may solve different days at once.
 * APSCO_ERR_LIMIT when the deadline passed first; the day's values are then
 * those of `start` (1 for its contacts, 0 for the rest). With `kept` (may
 * be NULL) a solved day's LP goes to *kept (every candidate that starts in
 * the day, for the days' bound below; the caller frees it with
 * plan_relax_free).
 */
apsco_status plan_guided_day(const plan_model *m, const struct plan_cliques *cl,
                             const plan_sol *start, const double *floors, int day, double deadline,
                             double cpu_rate, double *x, struct plan_relax **kept);

/*
 * The days' Lagrangian bound (see guided.c) on the value of any schedule
 * that gives every state at least floors[s] seconds, from the LPs of all
 * `n` days of the horizon as plan_guided_day keeps them, in three steps:
 * the prices (plan_guided_prices), each day's LP re-optimised at them
 * (plan_relax_priced; the solve shares the days out among its threads),
 * and the bound from the days' maxima (plan_guided_bound_of).
 */
apsco_status plan_guided_prices(const plan_model *m, struct plan_relax *const *days, int n,
                                double *price);
double plan_guided_bound_of(const plan_model *m, const double *day_best, int n, const double *price,
                            const double *floors);

/*
 * The value stage from LP values `x`: plan_round (seeded by `start`, a
 * schedule that meets `floors`), then plan_search_value until `deadline`,
 * into `out`. APSCO_ERR_VALUE when `out` ends below a floor (unusable).
 */
apsco_status plan_guided(const plan_model *m, const double *x, const plan_sol *start,
                         const double *floors, double deadline, plan_sol *out);

/* Candidate numbering shared by the LP and the heuristic's guide: slot by slot, start by start. */
size_t *plan_candidate_offsets(const plan_model *m); /* slot_count + 1 entries */

typedef struct plan_lp plan_lp;

/* Builds the LP relaxation (GLPK). NULL when out of memory. */
plan_lp *plan_lp_new(const plan_model *m);
void plan_lp_free(plan_lp *lp);
/*
 * Upper bound on the fairness level: the LP's largest t with every state
 * (that can use anything) at e_s t or more. APSCO_ERR_LIMIT when the time
 * limit ran out first.
 */
apsco_status plan_lp_level(plan_lp *lp, double deadline, double *level_bound);
/*
 * Upper bound on the value of any schedule that gives every state at least
 * floors[s] seconds. When `x` is not NULL it receives the LP value of every
 * candidate.
 */
apsco_status plan_lp_value(plan_lp *lp, const double *floors, double deadline, double *bound,
                           double *x);

/*
 * Exact MILP within `deadline`: max-min fairness by water-filling (maximise
 * the lowest level, fix the states that cannot rise above it, repeat), then
 * the value with every state at its fair floor (written to `floors`, see
 * plan_fair_floors). `start` (may be NULL) is a
 * feasible solution given to branch and bound as its first incumbent. On
 * return `sol` holds the best solution found; *optimal says whether every
 * stage was proven, *level_bound and *value_bound are the best bounds.
 */
apsco_status plan_milp(const plan_model *m, const plan_sol *start, double deadline, plan_sol *sol,
                       double *floors, int *optimal, double *level_bound, double *value_bound);

/* Monotonic clock, seconds. */
double plan_clock(void);

/* CPU time of the whole process, seconds (every thread's). */
double plan_cpu_clock(void);

/* ------------------------------------------------------ input files */

/* Non-zero when `id` is a usable request or station identifier: 1-63 bytes, no control
   characters. */
int plan_valid_id(const char *id);

/* Largest input file the planner reads (text_read_file refuses larger ones). */
#define PLAN_FILE_MAX ((size_t)512 * 1024 * 1024)

#endif
