/*
 * schedule.c — `apsco schedule`: the fair shared schedule of the pooled
 * ground-station network from pass windows, requests, entitlements and
 * outages. Reads the inputs, calls apsco_plan_solve, checks the result with
 * apsco_schedule_verify and writes CSV, JSON or iCalendar.
 *
 * Windows come from a file of precomputed passes (--windows) until pass
 * prediction computes them here from the catalog and the stations.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/plan.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "schedule"

typedef enum format { FORMAT_CSV, FORMAT_JSON, FORMAT_ICS } format;

typedef struct options {
    const char *windows, *requests, *catalog, *entitlements, *outages, *antennas, *output;
    const char *start, *end;
    double setup_s, step_s, time_limit_s;
    apsco_plan_solver solver;
    format fmt;
    int bound;
} options;

static void usage(FILE *out)
{
    fputs("Usage: apsco schedule --windows FILE --requests FILE --start UTC --end UTC [OPTIONS]\n"
          "\n"
          "Decides who gets which pass of the pooled ground-station network: conflict-free,\n"
          "max-min fair to the member states by entitlement, then as valuable as possible\n"
          "(priority-weighted contact time). Prints the schedule and, on stderr, the share of\n"
          "every state, the LP bound and the gap.\n"
          "\n"
          "Inputs:\n"
          "  --windows FILE        pass windows: CSV norad,station,start_utc,end_utc,max_el_deg\n"
          "  --requests FILE       requests, CSV with a header or a JSON array: id, state, norad,\n"
          "                        priority (1-5, 5 highest), min_duration_s, per_day or\n"
          "                        window_start/window_end, optional stations (';' separated)\n"
          "  --start UTC, --end UTC  the horizon (ISO 8601)\n"
          "  --catalog FILE        known satellites (TLE/OMM); requests for others are refused\n"
          "                        (default: the satellites that have windows)\n"
          "  --entitlements FILE   state,entitlement lines (default: equal shares of the members)\n"
          "  --outages FILE        station,start_utc,end_utc lines\n"
          "  --antennas LIST       ID=N,... antennas of stations (default 1 each)\n"
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
          "  -h, --help            this help\n"
          "\n"
          "Member states BD CN IR MN PK PE TH hold equal entitlements by default; requests of\n"
          "signatories (ID TR), observers (AR MY PH RU LK), other states, unknown satellites or\n"
          "stations are refused with the reason and the rest is scheduled.\n",
          out);
}

static int parse_positive(const char *opt, const char *text, double lo, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v) || v < lo) {
        cli_usage_error(CMD, "%s: '%s' is not a number >= %g", opt, text, lo);
        return 0;
    }
    *out = v;
    return 1;
}

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
        O_NOBOUND
    };
    static const struct option longs[] = {
        {"windows", required_argument, 0, O_WINDOWS},
        {"requests", required_argument, 0, O_REQUESTS},
        {"start", required_argument, 0, O_START},
        {"end", required_argument, 0, O_END},
        {"catalog", required_argument, 0, O_CATALOG},
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
    for (int c; (c = getopt_long(argc, argv, ":ho:", longs, NULL)) != -1;) {
        apsco_error err;
        switch (c) {
        case 'h': usage(stdout); return -1;
        case 'o': o->output = optarg; break;
        case O_WINDOWS: o->windows = optarg; break;
        case O_REQUESTS: o->requests = optarg; break;
        case O_START: o->start = optarg; break;
        case O_END: o->end = optarg; break;
        case O_CATALOG: o->catalog = optarg; break;
        case O_ENT: o->entitlements = optarg; break;
        case O_OUTAGES: o->outages = optarg; break;
        case O_ANTENNAS: o->antennas = optarg; break;
        case O_NOBOUND: o->bound = 0; break;
        case O_SETUP:
            if (!parse_positive("--setup-s", optarg, 0, &o->setup_s))
                return 0;
            break;
        case O_STEP:
            if (!parse_positive("--step-s", optarg, 1, &o->step_s))
                return 0;
            break;
        case O_LIMIT:
            if (!parse_positive("--time-limit-s", optarg, 0.001, &o->time_limit_s))
                return 0;
            break;
        case O_SOLVER:
            if (apsco_plan_solver_parse(optarg, &o->solver, &err) != APSCO_OK) {
                cli_usage_error(CMD, "--solver: %s", err.message);
                return 0;
            }
            break;
        case O_FORMAT:
            if (!strcmp(optarg, "csv"))
                o->fmt = FORMAT_CSV;
            else if (!strcmp(optarg, "json"))
                o->fmt = FORMAT_JSON;
            else if (!strcmp(optarg, "ics"))
                o->fmt = FORMAT_ICS;
            else {
                cli_usage_error(CMD, "--format: '%s' is not csv, json or ics", optarg);
                return 0;
            }
            break;
        case ':': cli_usage_error(CMD, "%s needs a value", argv[optind - 1]); return 0;
        default: cli_usage_error(CMD, "unknown option '%s'", argv[optind - 1]); return 0;
        }
    }
    if (optind < argc) {
        cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
        return 0;
    }
    if (!o->windows || !o->requests || !o->start || !o->end) {
        cli_usage_error(CMD, "--windows, --requests, --start and --end are required");
        return 0;
    }
    return 1;
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
    long *norads;
} inputs;

static void free_inputs(inputs *in)
{
    apsco_plan_windows_free(&in->windows);
    apsco_plan_requests_free(&in->requests);
    apsco_plan_outages_free(&in->outages);
    apsco_catalog_free(&in->catalog);
    free(in->norads);
}

/* Loads every input file; prints the first error. Returns an exit code. */
static int load_inputs(const options *o, inputs *in, apsco_plan_problem *p)
{
    apsco_error err;
    apsco_plan_problem_init(p);
    apsco_plan_states_builtin(&in->states);
    if (apsco_time_parse_iso(o->start, &p->start, &err) != APSCO_OK)
        return cli_usage_error(CMD, "--start: %s", err.message);
    if (apsco_time_parse_iso(o->end, &p->end, &err) != APSCO_OK)
        return cli_usage_error(CMD, "--end: %s", err.message);
    if (!(apsco_time_diff_s(p->end, p->start) > 0))
        return cli_usage_error(CMD, "--end must be after --start");
    if (apsco_plan_windows_load(o->windows, &in->windows, &err) != APSCO_OK ||
        apsco_plan_requests_load(o->requests, &in->requests, &err) != APSCO_OK ||
        (o->outages && apsco_plan_outages_load(o->outages, &in->outages, &err) != APSCO_OK) ||
        (o->entitlements &&
         apsco_plan_entitlements_load(o->entitlements, &in->states, &err) != APSCO_OK)) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    if (o->antennas && !apply_antennas(o->antennas, &in->windows))
        return CLI_EXIT_USAGE;
    if (o->catalog) {
        apsco_parse_options po = {APSCO_FORMAT_AUTO, 0, cli_print_diag, NULL};
        if (apsco_catalog_load(o->catalog, &po, &in->catalog, &err) != APSCO_OK) {
            cli_print_error(&err);
            return CLI_EXIT_DATA;
        }
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
}

static int write_output(const options *o, const apsco_plan_problem *p, const apsco_schedule *s)
{
    FILE *out = o->output && strcmp(o->output, "-") ? fopen(o->output, "wb") : stdout;
    if (!out) {
        cli_message("%s: cannot write: %s", o->output, strerror(errno));
        return CLI_EXIT_DATA;
    }
    apsco_error err;
    apsco_status st = o->fmt == FORMAT_JSON ? apsco_schedule_write_json(out, p, s, &err)
                      : o->fmt == FORMAT_ICS
                          ? apsco_schedule_write_ics(out, p, s, apsco_time_now(), &err)
                          : apsco_schedule_write_csv(out, p, s, &err);
    if (out != stdout && fclose(out) != 0 && st == APSCO_OK)
        st = apsco_error_set(&err, APSCO_ERR_IO, o->output, 0, "write error");
    if (st != APSCO_OK) {
        cli_print_error(&err);
        if (out != stdout)
            remove(o->output);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

int cli_schedule(int argc, char **argv)
{
    options o;
    int r = parse_args(argc, argv, &o);
    if (r <= 0)
        return r < 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
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
        if (o.fmt != FORMAT_JSON)
            summary(&p, &s);
        code = write_output(&o, &p, &s);
    }
    apsco_schedule_free(&s);
    free_inputs(&in);
    return code;
}
