/*
 * apsco/plan.h — the fair shared schedule of the pooled ground-station
 * network: who gets which pass when more contacts are requested than the
 * network can serve.
 *
 * The planner consumes pass windows (AOS/LOS of a satellite above a
 * station's mask); it never propagates. Pass prediction, the catalog or the
 * store produce the windows, the stations and the organization's
 * composition, and hand them over in an apsco_plan_problem.
 *
 * The model
 * ---------
 * - A request asks for contacts with one satellite: each contact lasts
 *   exactly min_duration_s (the length the requester needs; longer contacts
 *   would take antenna time from others for no recorded benefit), lies inside
 *   one pass window of an allowed station, and starts inside the request's
 *   window. A per_day request wants per_day contacts in every 24-hour period
 *   counted from the horizon start (a shorter last period wants its share,
 *   rounded up); a window request (per_day = 0) wants one contact.
 * - Contacts start on a grid: the usable part of a pass (clipped to the
 *   horizon, the request's window, the period and around outages, rounded
 *   inward to whole UTC seconds) offers starts every step_s seconds from its
 *   beginning plus the last possible start, so that a contact can sit at the
 *   start of a pass, at its end, or anywhere between with step_s precision.
 *   Long usable parts (a geostationary satellite visible all day) offer
 *   about APSCO_PLAN_STARTS_MAX starts at most, the step widened to a
 *   multiple of step_s so that contacts still pack back to back. Every solver works on
 *   this same set of candidate contacts, so the bound and the gap compare
 *   like with like.
 * - Constraints: an antenna tracks one satellite at a time and needs setup_s
 *   between two contacts (a station has `antennas` of them); a satellite
 *   talks to one station at a time; no contact overlaps an outage of its
 *   station; a request gets at most what it asked for in each period.
 * - Rights follow membership: member states share the network by their
 *   entitlements (equal by default); signatories and observers hold none and
 *   their requests are refused with the reason. So are requests from states
 *   outside the organization, for unknown satellites or unknown stations.
 *
 * The objective (lexicographic)
 * -----------------------------
 * 1. Fairness: max-min fairness of the member states' normalised grants,
 *    granted_s / e_s (e_s its entitlement). The level t of a schedule is the
 *    smallest normalised grant among the states that can use anything; the
 *    solvers maximise it, then keep raising the next lowest states for as
 *    long as no lower state loses (water-filling, i.e. the leximin order),
 *    so that a state whose requests are exhausted or blocked does not hold
 *    the others down. States are compared on granted contact seconds, not
 *    on priority-weighted value, so that marking everything priority 5 does
 *    not buy a larger share.
 * 2. Value: then maximise the total priority-weighted contact time,
 *    sum of priority * seconds (priority 5 is the most important), without
 *    taking any state below its fair floor: what the fairness stage gave
 *    it (the level t for the lowest states), so that value never buys one
 *    state seconds at the expense of another's fair grant.
 *
 * Normalised share of a state = its fraction of the granted seconds over its
 * fraction of the entitlements of the states that asked for something usable:
 * 1.0 is exactly its entitled part of what the network delivered.
 *
 * Solvers: a heuristic (progressive filling by lowest normalised level, then
 * large neighbourhood search; its value stage starts from the LP relaxation
 * of each day rounded to a schedule that keeps every fair floor), an exact
 * MILP with GLPK for small instances (it starts from the heuristic's
 * schedule) and a first-come-first-served baseline. Every schedule comes
 * with upper bounds from the LP relaxation: on the fairness level, and on
 * the value of any schedule that keeps every state at or above this
 * schedule's fair floors; `gap` is (bound - value) / bound. The bounds are
 * exact LP optima (COIN-OR CLP's dual simplex method) up to 20 000
 * candidate contacts, and beyond when the time limit should let CLP finish
 * (about 15 000 candidates a second); otherwise column generation bounds
 * the level and Lagrangian duality the value: always valid, the value bound
 * looser than the LP optimum. Beyond a million candidates, with two OpenMP
 * threads or more, the value bound is computed beside the heuristic and no
 * level bound is sought. apsco_plan_bound computes the exact one on demand.
 *
 * Times are UTC apsco_time; durations are seconds. Every function returns an
 * apsco_status and fills an optional apsco_error; nothing prints.
 */
#ifndef APSCO_PLAN_H
#define APSCO_PLAN_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/error.h"
#include "apsco/passes.h"
#include "apsco/stations.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define APSCO_PLAN_ID_MAX     64  /* request and station identifiers: at most 63 bytes */
#define APSCO_PLAN_STATES_MAX 256 /* states in a composition (ISO 3166-1 has 249 codes) */
#define APSCO_PLAN_STARTS_MAX 48  /* candidate starts offered by one usable part of a pass */

/* ---------------------------------------------------------------- states */

typedef enum apsco_membership {
    APSCO_MEMBER = 1,    /* ratified the convention: holds an entitlement */
    APSCO_SIGNATORY = 2, /* signed, not ratified: no entitlement */
    APSCO_OBSERVER = 3   /* observer: no entitlement */
} apsco_membership;

typedef struct apsco_plan_state {
    char code[3];                /* ISO 3166-1 alpha-2, upper case */
    apsco_membership membership; /* rights follow membership */
    double entitlement;          /* weight >= 0; only members' weights count */
} apsco_plan_state;

/* The composition of the organization: states, membership and entitlements. */
typedef struct apsco_plan_states {
    size_t count;
    apsco_plan_state items[APSCO_PLAN_STATES_MAX];
} apsco_plan_states;

/* Name of a membership: "member", "signatory", "observer". */
const char *apsco_membership_name(apsco_membership membership);

/*
 * Fills `out` with the composition built into apsco, used when no registry
 * is at hand: members BD CN IR MN PK PE TH with equal entitlements of 1,
 * signatories ID TR and observers AR MY PH RU LK with none. The store
 * replaces it with the registry's table.
 */
void apsco_plan_states_builtin(apsco_plan_states *out);

/* The state with ISO code `code` in `states`, or NULL. */
const apsco_plan_state *apsco_plan_states_find(const apsco_plan_states *states, const char *code);

/*
 * Reads entitlement weights, one "STATE,WEIGHT" line each (an optional
 * header "state,entitlement", '#' comments and blank lines are skipped), into
 * `states`: listed members get their weight, members not listed get 0 (their
 * requests are refused). A weight for a non-member or an unknown state, a
 * duplicate, a negative or non-finite weight, or weights that are all zero
 * are errors with `source` and the line. `states` is unchanged on error.
 */
apsco_status apsco_plan_entitlements_parse(const char *text, size_t len, const char *source,
                                           apsco_plan_states *states, apsco_error *err);

/* Reads the file at `path` ("-" for stdin) as apsco_plan_entitlements_parse does. */
apsco_status apsco_plan_entitlements_load(const char *path, apsco_plan_states *states,
                                          apsco_error *err);

/* ------------------------------------------------- stations and windows */

typedef struct apsco_plan_station {
    char id[APSCO_PLAN_ID_MAX]; /* station identifier, as in requests and outages */
    int antennas;               /* satellites it can track at once, >= 1 */
} apsco_plan_station;

/* One pass: a satellite above a station's elevation mask. */
typedef struct apsco_plan_window {
    long norad;        /* catalog number */
    size_t station;    /* index into the stations */
    apsco_time start;  /* AOS, UTC */
    apsco_time end;    /* LOS, UTC */
    double max_el_rad; /* elevation at culmination, rad */
    long source_line;  /* line in the windows file, 0 when not read from one */
} apsco_plan_window;

/* Windows with the stations they name, owned by the caller (apsco_plan_windows_free). */
typedef struct apsco_plan_windows {
    apsco_plan_window *items;
    size_t count, capacity;
    apsco_plan_station *stations;
    size_t station_count, station_capacity;
} apsco_plan_windows;

/*
 * Returns the index of the station `id` in `w`, adding it with `antennas`
 * when absent (an existing station keeps its antennas). APSCO_ERR_VALUE for
 * an empty or too long id.
 */
apsco_status apsco_plan_windows_station(apsco_plan_windows *w, const char *id, int antennas,
                                        size_t *index, apsco_error *err);

/* Appends a copy of `window` (its station must exist in `w`). */
apsco_status apsco_plan_windows_add(apsco_plan_windows *w, const apsco_plan_window *window,
                                    apsco_error *err);

/*
 * Parses precomputed pass windows as CSV with the header
 * "norad,station,start_utc,end_utc,max_el_deg" and appends them to `out`,
 * adding stations (one antenna) as they first appear. Times are ISO-8601 UTC.
 * Errors name `source` and the line: a missing or different header, a wrong
 * number of fields, a bad catalog number (apsco_norad_parse: digits or
 * Alpha-5, 0-339999) or time, end not after start, an elevation outside
 * [-90, 90]. `out` is unchanged on error.
 */
apsco_status apsco_plan_windows_parse(const char *text, size_t len, const char *source,
                                      apsco_plan_windows *out, apsco_error *err);

/* Reads the file at `path` ("-" for stdin) as apsco_plan_windows_parse does. */
apsco_status apsco_plan_windows_load(const char *path, apsco_plan_windows *out, apsco_error *err);

/*
 * Appends the passes of `passes` as windows: `passes` was found by
 * apsco_passes_find for satellites whose catalog numbers are `norads`
 * (`norad_count` of them, in the order given to the search) over the sites
 * of `stations` (in that order). Every station of `stations` is added with
 * its antennas, passes or not, so that requests and outages can name it.
 * This is how pass prediction feeds the planner. APSCO_ERR_ARG when a pass
 * names a satellite or site beyond the arrays; `out` is unchanged on error.
 */
apsco_status apsco_plan_windows_from_passes(const apsco_pass_list *passes, const long *norads,
                                            size_t norad_count, const apsco_station_list *stations,
                                            apsco_plan_windows *out, apsco_error *err);

/* Frees the arrays of `w` and resets it to empty. NULL is allowed. */
void apsco_plan_windows_free(apsco_plan_windows *w);

/* -------------------------------------------------------------- requests */

typedef struct apsco_plan_request {
    char id[APSCO_PLAN_ID_MAX]; /* unique within a request set */
    char state[3];              /* requesting state, ISO 3166-1 alpha-2 */
    long norad;                 /* satellite to contact */
    int priority;               /* 1 (lowest) to 5 (highest) */
    double min_duration_s;      /* length of each contact, > 0 */
    int per_day;                /* contacts per 24 h; 0 = one contact inside the window */
    int has_window;             /* non-zero: contacts start in [window_start, window_end] */
    apsco_time window_start, window_end;
    size_t stations_first; /* allowed stations: names[stations_first ..] in the set */
    size_t stations_count; /* 0 = any station */
    long source_line;      /* line of the request in its input, 0 when built in code */
} apsco_plan_request;

/* A set of requests and the station names they allow, owned by the caller. */
typedef struct apsco_plan_requests {
    apsco_plan_request *items;
    size_t count, capacity;
    char (*names)[APSCO_PLAN_ID_MAX];
    size_t name_count, name_capacity;
} apsco_plan_requests;

/*
 * Checks one request as a parser does, on its own: a non-empty printable id
 * of at most 63 bytes, a two-letter upper-case state, catalog number
 * 0-339999, priority 1-5, duration in (0, 86400] s, per_day >= 0, a window
 * when per_day is 0, window end after start, and station identifiers of
 * 1-63 printable bytes. Returns APSCO_OK, or APSCO_ERR_VALUE with the reason
 * (the line is the request's source_line).
 */
apsco_status apsco_plan_request_check(const apsco_plan_request *request,
                                      const char *const *stations, size_t station_count,
                                      apsco_error *err);

/*
 * Appends a copy of `request` allowing the `station_count` stations named in
 * `stations` (any station when 0); its stations_first/stations_count are
 * set here. Refuses an id already in the set, then checks the request with
 * apsco_plan_request_check; returns APSCO_ERR_VALUE with the reason.
 */
apsco_status apsco_plan_requests_add(apsco_plan_requests *set, const apsco_plan_request *request,
                                     const char *const *stations, size_t station_count,
                                     apsco_error *err);

/*
 * Parses requests and appends them to `out`. The format follows the first
 * non-blank character: '[' is a JSON array of objects, anything else CSV
 * with a header row. Fields (CSV columns in any order, JSON members):
 *   id, state, norad, priority, min_duration_s   required (norad as apsco_norad_parse reads it)
 *   kind                                        "contact" (the default and only kind)
 *   per_day                                     contacts per 24 h, or
 *   window_start, window_end                    ISO-8601 UTC (JSON also "window": {"start","end"})
 *   stations                                    allowed stations: CSV separated by ';' or
 *                                               spaces, JSON an array of strings
 * Blank lines and lines starting with '#' are skipped in CSV. Errors name
 * `source` and the line of the offending request (in JSON, the line where its
 * object starts). `out` is unchanged on error.
 */
apsco_status apsco_plan_requests_parse(const char *text, size_t len, const char *source,
                                       apsco_plan_requests *out, apsco_error *err);

/* Reads the file at `path` ("-" for stdin) as apsco_plan_requests_parse does. */
apsco_status apsco_plan_requests_load(const char *path, apsco_plan_requests *out, apsco_error *err);

/* Frees the arrays of `set` and resets it to empty. NULL is allowed. */
void apsco_plan_requests_free(apsco_plan_requests *set);

/* --------------------------------------------------------------- outages */

typedef struct apsco_plan_outage {
    char station[APSCO_PLAN_ID_MAX];
    apsco_time start, end; /* the station is unavailable in [start, end) */
    long source_line;      /* line in its input, 0 when built in code */
} apsco_plan_outage;

typedef struct apsco_plan_outages {
    apsco_plan_outage *items;
    size_t count, capacity;
    char source[256]; /* name of the input, for messages about unknown stations */
} apsco_plan_outages;

/*
 * Parses "station,start_utc,end_utc" lines (optional header with those
 * names, '#' comments, blank lines) and appends them to `out`. Errors name
 * `source` and the line (bad time, end not after start, wrong field count).
 * Stations are matched when the problem is solved.
 */
apsco_status apsco_plan_outages_parse(const char *text, size_t len, const char *source,
                                      apsco_plan_outages *out, apsco_error *err);

/* Reads the file at `path` ("-" for stdin) as apsco_plan_outages_parse does. */
apsco_status apsco_plan_outages_load(const char *path, apsco_plan_outages *out, apsco_error *err);

/* Frees the array of `out` and resets it to empty. NULL is allowed. */
void apsco_plan_outages_free(apsco_plan_outages *out);

/* --------------------------------------------------------------- problem */

typedef struct apsco_plan_problem {
    apsco_time start, end;              /* horizon: contacts lie in [start, end] */
    const apsco_plan_station *stations; /* windows, requests and outages refer to these */
    size_t station_count;
    const apsco_plan_window *windows; /* passes above each station's mask */
    size_t window_count;
    const long *satellites; /* known catalog numbers; NULL: those that have windows */
    size_t satellite_count;
    const apsco_plan_requests *requests;
    const apsco_plan_states *states;   /* NULL: apsco_plan_states_builtin */
    const apsco_plan_outages *outages; /* NULL: none */
    double setup_s;                    /* between two contacts on one antenna, >= 0 */
    double step_s;                     /* grid of contact starts, >= 1 */
} apsco_plan_problem;

/* Sets every field to empty, setup_s to 120 and step_s to 60. */
void apsco_plan_problem_init(apsco_plan_problem *problem);

/* ---------------------------------------------------------------- solve */

typedef enum apsco_plan_solver {
    APSCO_SOLVER_AUTO = 0,  /* MILP when small enough, otherwise the heuristic */
    APSCO_SOLVER_MILP,      /* GLPK branch and bound, both stages, within the time limit */
    APSCO_SOLVER_HEURISTIC, /* progressive filling and local search */
    APSCO_SOLVER_FCFS       /* first come, first served, in the order of the requests */
} apsco_plan_solver;

/* "auto", "milp", "heuristic", "fcfs". */
const char *apsco_plan_solver_name(apsco_plan_solver solver);

/* Parses a solver name; APSCO_ERR_VALUE for anything else. */
apsco_status apsco_plan_solver_parse(const char *name, apsco_plan_solver *out, apsco_error *err);

typedef struct apsco_plan_options {
    apsco_plan_solver solver;
    double time_limit_s; /* wall-clock budget of the whole solve, > 0 */
    int bound;           /* non-zero: compute the LP bound (every solver) */
} apsco_plan_options;

/* Sets solver auto, a 60-second limit and the bound on. */
void apsco_plan_options_init(apsco_plan_options *options);

typedef struct apsco_plan_contact {
    size_t request; /* index into problem->requests->items */
    size_t station; /* index into problem->stations */
    int antenna;    /* 0 .. antennas-1 */
    size_t window;  /* index into problem->windows: the pass it lies in */
    apsco_time start, end;
} apsco_plan_contact;

/* What one member state asked for and received. */
typedef struct apsco_plan_share {
    char state[3];
    double requested_s; /* contact seconds its accepted requests ask for */
    double granted_s;   /* contact seconds granted */
    double value;       /* priority-weighted seconds granted */
    double entitlement; /* normalised: the members' entitlements sum to 1 */
    double floor_s;     /* seconds the value stage had to leave it (its fair floor) */
    double share;       /* its fraction of all granted seconds over its fraction of the entitlements
                           of the states that can use anything; 1 is exactly its entitled part, 0
                           when it asked for nothing usable */
} apsco_plan_share;

typedef struct apsco_plan_refusal {
    size_t request;   /* index into problem->requests->items */
    char reason[256]; /* why it is not scheduled, one line */
} apsco_plan_refusal;

typedef struct apsco_schedule {
    apsco_plan_contact *contacts; /* sorted by start, then station */
    size_t contact_count;
    apsco_plan_share *states; /* member states with an entitlement, in the composition's order */
    size_t state_count;
    apsco_plan_refusal *refused; /* in request order */
    size_t refused_count;
    double value;       /* sum over contacts of priority * seconds */
    double bound;       /* LP upper bound on the value of any schedule that keeps every state at or
                           above this one's fair floors; NAN if none */
    double gap;         /* (bound - value) / bound, 0 when bound is 0; NAN without a bound */
    double level;       /* fairness level: smallest granted_s / e_s over the states that can use
                           anything (e_s normalised), s */
    double level_bound; /* LP upper bound on the fairness level; NAN if none */
    int optimal;        /* non-zero when the MILP proved the level and the value optimal */
    apsco_plan_solver solver; /* the solver that produced the contacts */
    size_t candidates;        /* candidate contacts considered */
    double seconds;           /* wall-clock time of the solve */
} apsco_schedule;

/*
 * Builds and solves the schedule of `problem`. Requests that cannot be
 * served by right (non-members, members without entitlement) or that name
 * unknown satellites or stations are refused and listed in out->refused; the
 * others are scheduled. Errors: APSCO_ERR_ARG (bad horizon, setup or step,
 * a window naming an unknown station, a station without antennas),
 * APSCO_ERR_VALUE (an outage of an unknown station, with its line),
 * APSCO_ERR_NOMEM. `out` must be zeroed or freed; it is filled on success.
 */
apsco_status apsco_plan_solve(const apsco_plan_problem *problem, const apsco_plan_options *options,
                              apsco_schedule *out, apsco_error *err);

/*
 * Upper bounds for a schedule that apsco_plan_solve made for `problem`: on
 * the fairness level, and on the value of any schedule that keeps every
 * state at or above the schedule's fair floors (states[].floor_s). With
 * `exact` the LP relaxation is solved by the simplex method whatever its
 * size (seconds on a week of a dozen stations); otherwise as
 * apsco_plan_solve does. Either bound is NAN when it was not found within
 * `time_limit_s`. Errors as apsco_plan_solve.
 */
apsco_status apsco_plan_bound(const apsco_plan_problem *problem, const apsco_schedule *schedule,
                              int exact, double time_limit_s, double *level_bound,
                              double *value_bound, apsco_error *err);

/*
 * Checks `schedule` against `problem` from first principles: every contact
 * has an accepted request, lasts its duration, starts in the request's
 * window and lies inside its pass window, the horizon and an allowed
 * station, avoids outages; no antenna holds two contacts closer than
 * setup_s; no satellite is at two stations at once; no request gets more
 * than it asked for in a period. Returns APSCO_ERR_VALUE describing the
 * first violation, APSCO_OK when there is none.
 */
apsco_status apsco_schedule_verify(const apsco_plan_problem *problem,
                                   const apsco_schedule *schedule, apsco_error *err);

/* Frees what `schedule` holds and zeroes it. NULL is allowed. */
void apsco_schedule_free(apsco_schedule *schedule);

/* --------------------------------------------------------------- writers */

/*
 * CSV: the header "request,state,norad,station,start_utc,end_utc,priority"
 * and one line per contact. APSCO_ERR_IO when writing fails.
 */
apsco_status apsco_schedule_write_csv(FILE *out, const apsco_plan_problem *problem,
                                      const apsco_schedule *schedule, apsco_error *err);

/*
 * JSON: one object {"contacts": [...], "states": [...], "value", "bound",
 * "gap", "solver", "seconds", "refused": [...]}; bound and gap are null
 * when not computed.
 */
apsco_status apsco_schedule_write_json(FILE *out, const apsco_plan_problem *problem,
                                       const apsco_schedule *schedule, apsco_error *err);

/*
 * iCalendar (RFC 5545): one VEVENT per contact with a UID that depends only
 * on the contact (request, satellite, station, start), so that re-running
 * the schedule updates calendars instead of duplicating events; lines folded
 * at 75 octets and ended by CRLF. `stamp` is the DTSTAMP of every event.
 */
apsco_status apsco_schedule_write_ics(FILE *out, const apsco_plan_problem *problem,
                                      const apsco_schedule *schedule, apsco_time stamp,
                                      apsco_error *err);

/* ------------------------------------------------- synthetic instances */

/*
 * Seeded synthetic instances for tests, benchmarks and demonstrations. This
 * is not a propagator: passes are drawn from the geometry of circular orbits
 * over a spherical Earth (sun-synchronous or drifting local time, a cluster
 * of passes around each node crossing, duration and culmination from the
 * cross-track distance), which reproduces the pattern pass prediction yields
 * (about 4-6 passes a day of 3-15 minutes per LEO satellite and station;
 * geostationary satellites visible all the time from the stations under
 * them) without its cost.
 */
typedef struct apsco_plan_synth_options {
    unsigned long long seed;
    size_t stations;   /* ground stations, placed around the members' sites */
    size_t leo;        /* low Earth orbit satellites */
    size_t geo;        /* geostationary satellites over the region */
    double mask_deg;   /* elevation mask, degrees */
    double min_pass_s; /* passes shorter than this are dropped */
} apsco_plan_synth_options;

/* Sets seed 1, 12 stations, 24 LEO, 6 GEO, a 5-degree mask, 120 s shortest pass. */
void apsco_plan_synth_options_init(apsco_plan_synth_options *options);

/*
 * Appends to `out` the stations and the pass windows over [start, end] of
 * the synthetic network, and writes the catalog numbers of the satellites
 * (LEO first, from 90001, then GEO) to `norads` (room for leo + geo).
 */
apsco_status apsco_plan_synth_windows(const apsco_plan_synth_options *options, apsco_time start,
                                      apsco_time end, apsco_plan_windows *out, long *norads,
                                      apsco_error *err);

/* Demand drawn over synthetic satellites (see apsco_plan_synth_requests). */
typedef struct apsco_plan_synth_demand {
    unsigned long long seed;
    double per_day_scale; /* multiplies the contacts per day each request asks for */
    double shared;        /* probability that a partner state also requests a satellite */
    double one_off;       /* probability of an urgent one-off window request per satellite */
} apsco_plan_synth_demand;

/* Sets seed 1, scale 1, shared 0.5, one_off 0.2. */
void apsco_plan_synth_demand_init(apsco_plan_synth_demand *demand);

/*
 * Appends requests for the `leo` + `geo` satellites `norads` (LEO first) to
 * `out`: each satellite belongs to an entitled member of `states` in turn
 * and gets its owner's daily request (LEO 3-8 contacts of 4-8 minutes, GEO
 * 4-10 of 10-30 minutes, times per_day_scale, priority 1-5), sometimes a
 * partner's request for half as many, and sometimes an urgent one-off
 * contact (priority 5, 5 minutes) in a six-hour window of [start, end].
 */
apsco_status apsco_plan_synth_requests(const apsco_plan_synth_demand *demand,
                                       const apsco_plan_states *states, const long *norads,
                                       size_t leo, size_t geo, apsco_time start, apsco_time end,
                                       apsco_plan_requests *out, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
