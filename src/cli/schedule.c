/*
 * schedule.c — `apsco schedule`: the fair shared schedule of the pooled
 * ground-station network. Finds the passes of the requested satellites over
 * the stations (pass prediction), or reads precomputed windows; reads the
 * requests, entitlements and outages; calls apsco_plan_solve, checks the
 * result with apsco_schedule_verify and writes CSV, JSON or iCalendar.
 *
 * Satellites, stations and the states' membership come from files (--catalog,
 * --stations; the built-in composition) or from the store (the registry's
 * states, the members' pooled network).
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"
#include "apsco/passes.h"
#include "apsco/plan.h"
#include "apsco/store.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "schedule"

typedef enum format { FORMAT_CSV, FORMAT_JSON, FORMAT_ICS } format;

typedef struct options {
    const char *windows, *requests, *catalog, *stations, *db, *entitlements, *outages, *antennas;
    const char *output, *out_dir, *start, *end;
    double setup_s, step_s, time_limit_s, min_el_deg;
    int have_min_el, threads;
    apsco_plan_solver solver;
    format fmt;
    int bound;
} options;

static void usage(FILE *out)
{
    fputs("Usage: apsco schedule (--catalog FILE --stations FILE | [--db PATH] | --windows FILE)\n"
          "           [--requests FILE] --start UTC --end UTC [OPTIONS]\n"
          "\n"
          "Decides who gets which pass of the pooled ground-station network: conflict-free,\n"
          "max-min fair to the member states by entitlement, then as valuable as possible\n"
          "(priority-weighted contact time). Prints the schedule and, on stderr, the share of\n"
          "every state, the LP bound and the gap.\n"
          "\n"
          "Inputs:\n"
          "  --requests FILE       requests, CSV with a header or a JSON array: id, state, norad,\n"
          "                        priority (1-5, 5 highest), min_duration_s, per_day or\n"
          "                        window_start/window_end, optional stations (';' separated);\n"
          "                        without it, the active requests of the store (apsco request)\n"
          "  --start UTC, --end UTC  the horizon (ISO 8601)\n"
          "  -c, --catalog FILE    satellites (TLE/OMM); requests for others are refused\n"
          "  --stations FILE       ground stations (id,name,state,lat_deg,lon_deg,alt_m,\n"
          "                        min_el_deg[,mask][,antennas][,agency])\n"
          "  --db PATH             the store: its satellites, the members' pooled stations and\n"
          "                        the registry's states (used for what --catalog and\n"
          "                        --stations do not give; default $APSCO_DB)\n"
          "  --min-el DEG          minimum elevation of every station (default: its own)\n"
          "  --threads N           threads of the pass search (default: all cores)\n"
          "  --windows FILE        precomputed passes instead of a search: CSV\n"
          "                        norad,station,start_utc,end_utc,max_el_deg (with it,\n"
          "                        --catalog only names the known satellites)\n"
          "  --entitlements FILE   state,entitlement lines (default: equal shares of the members)\n"
          "  --outages FILE        station,start_utc,end_utc lines\n"
          "  --antennas LIST       ID=N,... antennas of stations (default: the station file's, 1\n"
          "                        with --windows)\n"
          "\n"
          "Constraints and solver:\n"
          "  --setup-s S           set-up time between two contacts on one antenna (120)\n"
          "  --step-s S            grid of contact starts inside a pass (60)\n"
          "  --solver NAME         auto, milp, heuristic or fcfs (first come, first served)\n"
          "  --time-limit-s S      wall-clock budget of the solve (60)\n"
          "  --no-bound            skip the LP bound and the gap\n"
          "\n"
          "Output:\n"
          "  --format FMT          csv (default), json or ics\n"
          "  -o, --output FILE     write there instead of standard output\n"
          "  --out-dir DIR         write DIR/schedule.csv, schedule.json and schedule.ics of the\n"
          "                        one solve instead (the summary goes to stderr)\n"
          "  -h, --help            this help\n"
          "\n"
          "Member states hold equal entitlements by default (without the store: BD CN IR MN PK\n"
          "PE TH); requests of signatories (ID TR), observers (AR MY PH RU LK), other states,\n"
          "unknown satellites or stations are refused with the reason and the rest is\n"
          "scheduled. Exit status: 0 ok, 1 data error, 2 usage.\n",
          out);
}

/* A number of option `opt` no smaller than `lo`; prints a usage error and returns 0 if bad. */
static int parse_at_least(const char *opt, const char *text, double lo, double *out)
{
    if (!cli_parse_number(CMD, opt, text, out))
        return 0;
    if (!(*out >= lo)) {
        cli_usage_error(CMD, "%s: '%s' is not a number >= %g", opt, text, lo);
        return 0;
    }
    return 1;
}

/* Parses the command line into `o`; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, options *o)
{
    enum {
        O_WINDOWS = 256,
        O_REQUESTS,
        O_START,
        O_END,
        O_CATALOG,
        O_ENT,
        O_OUTAGES,
        O_ANTENNAS,
        O_SETUP,
        O_STEP,
        O_SOLVER,
        O_LIMIT,
        O_FORMAT,
        O_NOBOUND,
        O_STATIONS,
        O_DB,
        O_MINEL,
        O_THREADS,
        O_OUTDIR
    };
    static const struct option longs[] = {
        {"windows", required_argument, 0, O_WINDOWS},
        {"requests", required_argument, 0, O_REQUESTS},
        {"start", required_argument, 0, O_START},
        {"end", required_argument, 0, O_END},
        {"catalog", required_argument, 0, O_CATALOG},
        {"stations", required_argument, 0, O_STATIONS},
        {"db", required_argument, 0, O_DB},
        {"min-el", required_argument, 0, O_MINEL},
        {"threads", required_argument, 0, O_THREADS},
        {"entitlements", required_argument, 0, O_ENT},
        {"outages", required_argument, 0, O_OUTAGES},
        {"antennas", required_argument, 0, O_ANTENNAS},
        {"setup-s", required_argument, 0, O_SETUP},
        {"step-s", required_argument, 0, O_STEP},
        {"solver", required_argument, 0, O_SOLVER},
        {"time-limit-s", required_argument, 0, O_LIMIT},
        {"format", required_argument, 0, O_FORMAT},
        {"no-bound", no_argument, 0, O_NOBOUND},
        {"output", required_argument, 0, 'o'},
        {"out-dir", required_argument, 0, O_OUTDIR},
        {"help", no_argument, 0, 'h'},
        {0, 0, 0, 0},
    };
    memset(o, 0, sizeof *o);
    o->setup_s = 120;
    o->step_s = 60;
    o->time_limit_s = 60;
    o->bound = 1;
    opterr = 0;
    optind = 1;
    for (int c; (c = getopt_long(argc, argv, ":hc:o:", longs, NULL)) != -1;) {
        apsco_error err;
        switch (c) {
        case 'h': usage(stdout); return CLI_EXIT_OK;
        case 'o': o->output = optarg; break;
        case O_OUTDIR: o->out_dir = optarg; break;
        case O_WINDOWS: o->windows = optarg; break;
        case O_REQUESTS: o->requests = optarg; break;
        case O_START: o->start = optarg; break;
        case O_END: o->end = optarg; break;
        case 'c':
        case O_CATALOG: o->catalog = optarg; break;
        case O_STATIONS: o->stations = optarg; break;
        case O_DB: o->db = optarg; break;
        case O_MINEL:
            if (!cli_parse_number(CMD, "--min-el", optarg, &o->min_el_deg))
                return CLI_EXIT_USAGE;
            if (o->min_el_deg < -5 || o->min_el_deg > 90)
                return cli_usage_error(CMD, "--min-el must be in [-5, 90] degrees");
            o->have_min_el = 1;
            break;
        case O_THREADS:
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &o->threads))
                return CLI_EXIT_USAGE;
            break;
        case O_ENT: o->entitlements = optarg; break;
        case O_OUTAGES: o->outages = optarg; break;
        case O_ANTENNAS: o->antennas = optarg; break;
        case O_NOBOUND: o->bound = 0; break;
        case O_SETUP:
            if (!parse_at_least("--setup-s", optarg, 0, &o->setup_s))
                return CLI_EXIT_USAGE;
            break;
        case O_STEP:
            if (!parse_at_least("--step-s", optarg, 1, &o->step_s))
                return CLI_EXIT_USAGE;
            break;
        case O_LIMIT:
            if (!parse_at_least("--time-limit-s", optarg, 0.001, &o->time_limit_s))
                return CLI_EXIT_USAGE;
            break;
        case O_SOLVER:
            if (apsco_plan_solver_parse(optarg, &o->solver, &err) != APSCO_OK)
                return cli_usage_error(CMD, "--solver: %s", err.message);
            break;
        case O_FORMAT:
            if (!strcmp(optarg, "csv"))
                o->fmt = FORMAT_CSV;
            else if (!strcmp(optarg, "json"))
                o->fmt = FORMAT_JSON;
            else if (!strcmp(optarg, "ics"))
                o->fmt = FORMAT_ICS;
            else
                return cli_usage_error(CMD, "--format: '%s' is not csv, json or ics", optarg);
            break;
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (o->out_dir && o->output)
        return cli_usage_error(CMD, "give -o FILE or --out-dir DIR, not both");
    if (!o->start || !o->end)
        return cli_usage_error(CMD, "--start and --end are required");
    if (o->windows && (o->stations || o->db || o->have_min_el))
        return cli_usage_error(
            CMD, "--windows replaces the pass search: no --stations, --db or --min-el");
    if (o->windows && !o->requests)
        return cli_usage_error(CMD, "--windows needs --requests (stored requests come with --db)");
    return -1;
}

/* Applies "ID=N,..." to the stations of the windows. */
static int apply_antennas(const char *list, apsco_plan_windows *w)
{
    char *copy = strdup(list), *save = NULL;
    if (!copy) {
        cli_message("out of memory");
        return 0;
    }
    int ok = 1;
    for (char *tok = strtok_r(copy, ",", &save); tok && ok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '='), *end;
        long n = eq ? strtol(eq + 1, &end, 10) : 0;
        if (!eq || eq == tok || end == eq + 1 || *end != '\0' || n < 1 || n > 1000) {
            cli_usage_error(CMD, "--antennas: '%s' is not ID=N with 1 <= N <= 1000", tok);
            ok = 0;
            break;
        }
        *eq = '\0';
        size_t i = 0;
        while (i < w->station_count && strcmp(w->stations[i].id, tok))
            i++;
        if (i == w->station_count) {
            cli_usage_error(CMD, "--antennas: station '%s' has no windows", tok);
            ok = 0;
            break;
        }
        w->stations[i].antennas = (int)n;
    }
    free(copy);
    return ok;
}

typedef struct inputs {
    apsco_plan_windows windows;
    apsco_plan_requests requests;
    apsco_plan_outages outages;
    apsco_plan_states states;
    apsco_catalog catalog;
    apsco_station_list stations;
    long *norads;
} inputs;

static void free_inputs(inputs *in)
{
    apsco_plan_windows_free(&in->windows);
    apsco_plan_requests_free(&in->requests);
    apsco_plan_outages_free(&in->outages);
    apsco_catalog_free(&in->catalog);
    apsco_station_list_free(&in->stations);
    free(in->norads);
}

/* The registry's states and their membership, each member with an entitlement of 1. */
static int registry_states(const char *db, apsco_plan_states *out)
{
    apsco_store *store;
    int rc = cli_store_open(db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_state_record *recs = NULL;
    size_t n = 0;
    apsco_error err;
    if (apsco_store_get_states(store, 0, &recs, &n, &err) != APSCO_OK) {
        cli_print_error(&err);
        apsco_store_close(store);
        return CLI_EXIT_DATA;
    }
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < n && out->count < APSCO_PLAN_STATES_MAX; i++) {
        apsco_plan_state *s = &out->items[out->count++];
        memcpy(s->code, recs[i].code, 3);
        s->membership = recs[i].status == APSCO_STATUS_MEMBER      ? APSCO_MEMBER
                        : recs[i].status == APSCO_STATUS_SIGNATORY ? APSCO_SIGNATORY
                                                                   : APSCO_OBSERVER;
        s->entitlement = s->membership == APSCO_MEMBER ? 1.0 : 0.0;
    }
    free(recs);
    apsco_store_close(store);
    return CLI_EXIT_OK;
}

/* The active requests kept in the store, in the order they were added. */
static int store_requests(const char *db, apsco_plan_requests *out)
{
    apsco_store *store;
    int rc = cli_store_open(db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_error err;
    if (apsco_store_get_requests(store, NULL, out, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    } else if (out->count == 0) {
        cli_message("no active requests in the store: add some with 'apsco request add', or "
                    "give --requests FILE");
        rc = CLI_EXIT_DATA;
    }
    apsco_store_close(store);
    return rc;
}

/* Every satellite with elements in the store. */
static int store_catalog(const char *db, apsco_catalog *out)
{
    cli_selection sel;
    memset(&sel, 0, sizeof sel);
    sel.db = db;
    return cli_select_catalog(&sel, NULL, 0, out);
}

/* Non-zero when some request names catalog number `norad`. */
static int requested(const apsco_plan_requests *r, long norad)
{
    for (size_t i = 0; i < r->count; i++)
        if (r->items[i].norad == norad)
            return 1;
    return 0;
}

/* The passes of the requested satellites over the stations, as the planner's windows. */
static int search_windows(const options *o, inputs *in, const apsco_plan_problem *p)
{
    apsco_catalog wanted = {0};
    long *norads = calloc(in->catalog.count + 1, sizeof *norads);
    int rc = norads ? CLI_EXIT_OK : CLI_EXIT_DATA;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < in->catalog.count; i++) {
        const apsco_elset *e = &in->catalog.items[i];
        if (!requested(&in->requests, e->norad))
            continue;
        if (apsco_catalog_append(&wanted, e) != APSCO_OK)
            rc = CLI_EXIT_DATA;
        else
            norads[wanted.count - 1] = e->norad;
    }
    if (rc != CLI_EXIT_OK)
        cli_message("out of memory");
    for (size_t j = 0; o->have_min_el && j < in->stations.count; j++)
        in->stations.items[j].min_el_rad = o->min_el_deg * (M_PI / 180.0);
    apsco_pass_options po = {0};
    po.start = p->start;
    po.end = p->end;
    po.threads = o->threads;
    apsco_pass_list list = {0};
    apsco_error err;
    if (rc == CLI_EXIT_OK)
        rc = cli_find_passes(&wanted, &in->stations, &po, &list);
    if (rc == CLI_EXIT_OK &&
        apsco_plan_windows_from_passes(&list, norads, wanted.count, &in->stations, &in->windows,
                                       &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    apsco_pass_list_free(&list);
    apsco_catalog_free(&wanted);
    free(norads);
    return rc;
}

/* Satellites, stations and states (files or the store), then the windows. */
static int load_network(const options *o, inputs *in, apsco_plan_problem *p)
{
    int store = !o->windows && (!o->catalog || !o->stations);
    int rc = CLI_EXIT_OK;
    if (o->catalog)
        rc = cli_load_catalog(o->catalog, 0, &in->catalog);
    else if (!o->windows)
        rc = store_catalog(o->db, &in->catalog);
    if (rc == CLI_EXIT_OK && !o->windows) {
        cli_selection sel;
        memset(&sel, 0, sizeof sel);
        sel.db = o->db;
        rc = cli_load_stations(CMD, o->stations, NULL, &sel, &in->stations);
    }
    if (rc == CLI_EXIT_OK && store)
        rc = registry_states(o->db, &in->states);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o->windows) {
        apsco_error err;
        if (apsco_plan_windows_load(o->windows, &in->windows, &err) != APSCO_OK) {
            cli_print_error(&err);
            return CLI_EXIT_DATA;
        }
        return CLI_EXIT_OK;
    }
    return search_windows(o, in, p);
}

/* Loads every input; prints the first error. Returns an exit code. */
static int load_inputs(const options *o, inputs *in, apsco_plan_problem *p)
{
    apsco_error err;
    apsco_plan_problem_init(p);
    apsco_plan_states_builtin(&in->states);
    if (!cli_parse_time(CMD, "--start", o->start, &p->start) ||
        !cli_parse_time(CMD, "--end", o->end, &p->end))
        return CLI_EXIT_USAGE;
    if (!(apsco_time_diff_s(p->end, p->start) > 0))
        return cli_usage_error(CMD, "--end must be after --start");
    if ((o->requests && apsco_plan_requests_load(o->requests, &in->requests, &err) != APSCO_OK) ||
        (o->outages && apsco_plan_outages_load(o->outages, &in->outages, &err) != APSCO_OK)) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    int rc = o->requests ? CLI_EXIT_OK : store_requests(o->db, &in->requests);
    if (rc == CLI_EXIT_OK)
        rc = load_network(o, in, p);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (o->entitlements &&
        apsco_plan_entitlements_load(o->entitlements, &in->states, &err) != APSCO_OK) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    if (o->antennas && !apply_antennas(o->antennas, &in->windows))
        return CLI_EXIT_USAGE;
    if (in->catalog.count) {
        in->norads = malloc((in->catalog.count + 1) * sizeof *in->norads);
        if (!in->norads) {
            cli_message("out of memory");
            return CLI_EXIT_DATA;
        }
        for (size_t i = 0; i < in->catalog.count; i++)
            in->norads[i] = in->catalog.items[i].norad;
        p->satellites = in->norads;
        p->satellite_count = in->catalog.count;
    }
    p->stations = in->windows.stations;
    p->station_count = in->windows.station_count;
    p->windows = in->windows.items;
    p->window_count = in->windows.count;
    p->requests = &in->requests;
    p->states = &in->states;
    p->outages = o->outages ? &in->outages : NULL;
    p->setup_s = o->setup_s;
    p->step_s = o->step_s;
    return CLI_EXIT_OK;
}

/* The per-state table, bound, gap, solver and time, on stderr. */
static void summary(const apsco_plan_problem *p, const apsco_schedule *s)
{
    cli_message("%zu contacts for %zu requests (%zu refused), solver %s, %.2f s", s->contact_count,
                p->requests->count, s->refused_count, apsco_plan_solver_name(s->solver),
                s->seconds);
    cli_message("%-5s %12s %12s %11s %7s", "state", "requested_s", "granted_s", "entitlement",
                "share");
    for (size_t i = 0; i < s->state_count; i++) {
        const apsco_plan_share *sh = &s->states[i];
        cli_message("%-5s %12.0f %12.0f %11.4f %7.3f", sh->state, sh->requested_s, sh->granted_s,
                    sh->entitlement, sh->share);
    }
    if (isfinite(s->bound))
        cli_message("value %.0f, bound %.0f, gap %.2f %%%s", s->value, s->bound, 100 * s->gap,
                    s->optimal ? " (proven optimal)" : "");
    else
        cli_message("value %.0f, no bound", s->value);
    if (isfinite(s->level_bound))
        cli_message("fairness level %.0f s per unit of entitlement, bound %.0f", s->level,
                    s->level_bound);
    else
        cli_message("fairness level %.0f s per unit of entitlement", s->level);
}

/* Writes the schedule in `fmt` to `path` (NULL: stdout), whole or not at all. */
static int write_schedule(const char *path, format fmt, const apsco_plan_problem *p,
                          const apsco_schedule *s)
{
    cli_output out;
    if (!cli_output_open(&out, path))
        return CLI_EXIT_DATA;
    apsco_error err;
    apsco_status st = fmt == FORMAT_JSON ? apsco_schedule_write_json(out.f, p, s, &err)
                      : fmt == FORMAT_ICS
                          ? apsco_schedule_write_ics(out.f, p, s, apsco_time_now(), &err)
                          : apsco_schedule_write_csv(out.f, p, s, &err);
    if (st != APSCO_OK)
        cli_print_error(&err);
    return cli_output_close(&out, st == APSCO_OK) && st == APSCO_OK ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

/* The schedule where the options say: -o FILE or stdout in --format, or every format in --out-dir.
 */
static int write_output(const options *o, const apsco_plan_problem *p, const apsco_schedule *s)
{
    static const struct {
        const char *name;
        format fmt;
    } files[] = {
        {"schedule.csv", FORMAT_CSV}, {"schedule.json", FORMAT_JSON}, {"schedule.ics", FORMAT_ICS}};
    if (!o->out_dir)
        return write_schedule(o->output, o->fmt, p, s);
    int code = CLI_EXIT_OK;
    for (size_t f = 0; code == CLI_EXIT_OK && f < sizeof files / sizeof files[0]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", o->out_dir, files[f].name);
        code = write_schedule(path, files[f].fmt, p, s);
    }
    return code;
}

int cli_schedule(int argc, char **argv)
{
    options o;
    int r = parse_args(argc, argv, &o);
    if (r >= 0)
        return r;
    inputs in;
    memset(&in, 0, sizeof in);
    apsco_plan_problem p;
    int code = load_inputs(&o, &in, &p);
    apsco_schedule s;
    memset(&s, 0, sizeof s);
    if (code == CLI_EXIT_OK) {
        apsco_plan_options po;
        apsco_plan_options_init(&po);
        po.solver = o.solver;
        po.time_limit_s = o.time_limit_s;
        po.bound = o.bound;
        apsco_error err;
        if (apsco_plan_solve(&p, &po, &s, &err) != APSCO_OK) {
            cli_print_error(&err);
            code = CLI_EXIT_DATA;
        } else if (apsco_schedule_verify(&p, &s, &err) != APSCO_OK) {
            cli_message("internal error, the schedule breaks a rule: %s", err.message);
            code = CLI_EXIT_DATA;
        }
    }
    if (code == CLI_EXIT_OK) {
        for (size_t i = 0; i < s.refused_count; i++)
            cli_message("refused request %s: %s", in.requests.items[s.refused[i].request].id,
                        s.refused[i].reason);
        if (o.fmt != FORMAT_JSON || o.out_dir)
            summary(&p, &s);
        code = write_output(&o, &p, &s);
    }
    apsco_schedule_free(&s);
    free_inputs(&in);
    return code;
}
