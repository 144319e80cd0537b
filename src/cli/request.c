/*
 * request.c — `apsco request add|list|cancel`: the contact requests kept in
 * the store, which `apsco schedule --db` serves when no requests file is
 * given. Checking and storing are the store's (apsco_store_add_requests);
 * this file turns options or a requests file into requests and prints.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/plan.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "request"

static const char request_usage[] =
    "Usage: apsco request add [--db PATH] --id ID --state CC --norad N --priority P\n"
    "           --min-duration-s S (--per-day N | --window-start UTC --window-end UTC)\n"
    "           [--stations ID,ID...] [--kind contact]\n"
    "       apsco request add [--db PATH] --file FILE\n"
    "       apsco request list [--db PATH] [--state CC,...] [--all] [--format table|csv|json]\n"
    "       apsco request cancel [--db PATH] ID...\n"
    "\n"
    "The contact requests of the member states, kept in the store; `apsco schedule`\n"
    "without --requests schedules the active ones, in the order they were added (the\n"
    "order first come, first served follows).\n"
    "\n"
    "add stores one request given by options, or every request of a requests file\n"
    "(CSV or JSON, as `apsco schedule --requests` reads) in one transaction: all or\n"
    "none. A request needs a free id, a member state of the registry, a satellite in\n"
    "the registry or the catalog, priority 1-5 (5 is the most important), a contact\n"
    "length, and either per_day (contacts wanted every day) or a window (one contact\n"
    "inside it), not both; --stations restricts it to those stations of the store.\n"
    "\n"
    "list prints the active requests (--all: cancelled ones too, with when).\n"
    "cancel marks requests cancelled: they stay in the history and their ids stay\n"
    "taken.\n"
    "\n"
    "  --db PATH          the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "  -h, --help         show this help\n"
    "Exit status: 0 ok, 1 data error (nothing is changed), 2 usage.\n";

typedef struct add_options {
    const char *db, *file, *id, *state, *norad, *priority, *duration, *per_day;
    const char *window_start, *window_end, *stations, *kind;
} add_options;

/* Parses a whole number in [lo, hi] given to `opt`; prints a usage error and returns 0 if bad. */
static int parse_int(const char *opt, const char *text, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (end == text || *end != '\0' || errno == ERANGE || v < lo || v > hi) {
        cli_usage_error(CMD, "%s: '%s' is not a whole number %ld-%ld", opt, text, lo, hi);
        return 0;
    }
    *out = v;
    return 1;
}

/* The request described by the options of `add`, appended to `set`. */
static int request_from_options(const add_options *o, apsco_plan_requests *set)
{
    if (!o->id || !o->state || !o->norad || !o->priority || !o->duration)
        return cli_usage_error(CMD, "add needs --id, --state, --norad, --priority and "
                                    "--min-duration-s (or --file)");
    if (o->kind && strcmp(o->kind, "contact"))
        return cli_usage_error(CMD, "--kind: '%s' is not supported (only contact)", o->kind);
    if (!o->per_day && !o->window_start && !o->window_end)
        return cli_usage_error(CMD, "add needs --per-day N or --window-start and --window-end");
    if (!o->window_start != !o->window_end)
        return cli_usage_error(CMD, "--window-start and --window-end go together");
    apsco_plan_request r;
    memset(&r, 0, sizeof r);
    if (strlen(o->id) >= sizeof r.id)
        return cli_usage_error(CMD, "--id: longer than %zu bytes", sizeof r.id - 1);
    snprintf(r.id, sizeof r.id, "%s", o->id);
    if (strlen(o->state) != 2)
        return cli_usage_error(CMD, "--state: '%s' is not an ISO 3166-1 alpha-2 code", o->state);
    for (int k = 0; k < 2; k++)
        r.state[k] = (char)toupper((unsigned char)o->state[k]);
    if (apsco_norad_parse(o->norad, &r.norad) != APSCO_OK)
        return cli_usage_error(CMD, "--norad: '%s' is not a catalog number", o->norad);
    long v;
    if (!parse_int("--priority", o->priority, 1, 5, &v))
        return CLI_EXIT_USAGE;
    r.priority = (int)v;
    if (!cli_parse_number(CMD, "--min-duration-s", o->duration, &r.min_duration_s))
        return CLI_EXIT_USAGE;
    if (o->per_day) {
        if (!parse_int("--per-day", o->per_day, 1, 10000, &v))
            return CLI_EXIT_USAGE;
        r.per_day = (int)v;
    }
    if (o->window_start) {
        if (!cli_parse_time(CMD, "--window-start", o->window_start, &r.window_start) ||
            !cli_parse_time(CMD, "--window-end", o->window_end, &r.window_end))
            return CLI_EXIT_USAGE;
        r.has_window = 1;
    }
    char *copy = o->stations ? strdup(o->stations) : NULL, *save = NULL;
    const char *names[256];
    size_t count = 0;
    for (char *tok = copy ? strtok_r(copy, ",; ", &save) : NULL; tok;
         tok = strtok_r(NULL, ",; ", &save)) {
        if (count == sizeof names / sizeof names[0]) {
            free(copy);
            return cli_usage_error(CMD, "--stations: more than 256 stations");
        }
        names[count++] = tok;
    }
    apsco_error err;
    apsco_status st = apsco_plan_requests_add(set, &r, names, count, &err);
    free(copy);
    if (st != APSCO_OK) {
        /* Field checks come first in the store too; say so here with the id. */
        cli_message("request %s: %s", r.id, err.message);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

static int request_add(int argc, char **argv)
{
    enum { O_ID = 256, O_STATE, O_NORAD, O_PRIO, O_DUR, O_PERDAY, O_WS, O_WE, O_ST, O_KIND };
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"file", required_argument, NULL, 'f'},
        {"id", required_argument, NULL, O_ID},
        {"state", required_argument, NULL, O_STATE},
        {"norad", required_argument, NULL, O_NORAD},
        {"priority", required_argument, NULL, O_PRIO},
        {"min-duration-s", required_argument, NULL, O_DUR},
        {"per-day", required_argument, NULL, O_PERDAY},
        {"window-start", required_argument, NULL, O_WS},
        {"window-end", required_argument, NULL, O_WE},
        {"stations", required_argument, NULL, O_ST},
        {"kind", required_argument, NULL, O_KIND},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    add_options o;
    memset(&o, 0, sizeof o);
    int opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hf:", options, NULL)) != -1) {
        switch (opt) {
        case 'd': o.db = optarg; break;
        case 'f': o.file = optarg; break;
        case O_ID: o.id = optarg; break;
        case O_STATE: o.state = optarg; break;
        case O_NORAD: o.norad = optarg; break;
        case O_PRIO: o.priority = optarg; break;
        case O_DUR: o.duration = optarg; break;
        case O_PERDAY: o.per_day = optarg; break;
        case O_WS: o.window_start = optarg; break;
        case O_WE: o.window_end = optarg; break;
        case O_ST: o.stations = optarg; break;
        case O_KIND: o.kind = optarg; break;
        case 'h': fputs(request_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, opt, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    int fields = o.id || o.state || o.norad || o.priority || o.duration || o.per_day ||
                 o.window_start || o.window_end || o.stations || o.kind;
    if (o.file && fields)
        return cli_usage_error(CMD, "--file replaces the request options");
    apsco_plan_requests set;
    memset(&set, 0, sizeof set);
    apsco_error err;
    int rc = CLI_EXIT_OK;
    if (o.file) {
        if (apsco_plan_requests_load(o.file, &set, &err) != APSCO_OK) {
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        }
    } else {
        rc = request_from_options(&o, &set);
    }
    apsco_store *store = NULL;
    if (rc == CLI_EXIT_OK)
        rc = cli_store_open(o.db, 0, 0, &store);
    if (rc == CLI_EXIT_OK) {
        if (apsco_store_add_requests(store, &set, &err) != APSCO_OK) {
            if (o.file)
                snprintf(err.file, sizeof err.file, "%s", o.file);
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        } else {
            cli_message("added %zu request%s", set.count, set.count == 1 ? "" : "s");
        }
    }
    apsco_store_close(store);
    apsco_plan_requests_free(&set);
    return rc;
}

static int request_list(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'}, {"state", required_argument, NULL, 's'},
        {"all", no_argument, NULL, 'a'},      {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},     {NULL, 0, NULL, 0},
    };
    const char *db = NULL, *state = NULL;
    int all = 0, format = APSCO_TABLE_TEXT, opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":hf:", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 's': state = optarg; break;
        case 'a': all = 1; break;
        case 'f':
            format = apsco_table_format_parse(optarg);
            if (format < 0)
                return cli_usage_error(CMD, "--format: '%s' is not table, csv or json", optarg);
            break;
        case 'h': fputs(request_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, opt, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    apsco_store *store;
    /* Opened for writing so that a store of an older schema gains its requests table. */
    int rc = cli_store_open(db, 0, 0, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_selection sel;
    memset(&sel, 0, sizeof sel);
    sel.state = state;
    apsco_table t;
    apsco_error err;
    if (apsco_store_list(store, all ? APSCO_LIST_REQUEST_HISTORY : APSCO_LIST_REQUESTS, &sel, &t,
                         &err) != APSCO_OK ||
        apsco_table_write(stdout, &t, (apsco_table_format)format, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    apsco_table_free(&t);
    apsco_store_close(store);
    return rc;
}

static int request_cancel(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    int opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'h': fputs(request_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, opt, argv);
        }
    }
    if (optind == argc)
        return cli_usage_error(CMD, "cancel needs the ids of the requests");
    apsco_store *store;
    int rc = cli_store_open(db, 0, 0, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_error err;
    apsco_status st = apsco_store_begin(store, &err);
    for (int i = optind; st == APSCO_OK && i < argc; i++)
        st = apsco_store_cancel_request(store, argv[i], &err);
    if (st == APSCO_OK)
        st = apsco_store_commit(store, &err);
    if (st != APSCO_OK) {
        apsco_store_rollback(store);
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    } else {
        cli_message("cancelled %d request%s", argc - optind, argc - optind == 1 ? "" : "s");
    }
    apsco_store_close(store);
    return rc;
}

int cli_request(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(request_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc >= 2 && !strcmp(argv[1], "add"))
        return request_add(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "list"))
        return request_list(argc, argv);
    if (argc >= 2 && !strcmp(argv[1], "cancel"))
        return request_cancel(argc, argv);
    return cli_usage_error(CMD, "expected 'add', 'list' or 'cancel'");
}
