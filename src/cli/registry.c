/*
 * registry.c — the listings of the consortium (`apsco states`, `agencies`,
 * `stations`, `satellites`, `projects`) and `apsco sat show ID`.
 *
 * Every listing prints a table for people, CSV or JSON (an array of objects
 * keyed by column name). `apsco stations --format csv` is itself a station
 * file that `apsco import stations` and pass prediction read.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "cli/cli.h"

/* Which selection options a listing accepts. */
enum { F_STATE = 1, F_STATUS = 2, F_AGENCY = 4, F_CLASS = 8, F_PROJECT = 16, F_ALL = 31 };

typedef struct listing {
    const char *name;
    apsco_listing what;
    unsigned filters;
    const char *summary;
} listing;

static const listing listings[] = {
    {"states", APSCO_LIST_STATES, F_STATE | F_STATUS,
     "the organization's states: code, name, status, joined"},
    {"agencies", APSCO_LIST_AGENCIES, F_STATE | F_STATUS | F_AGENCY,
     "space agencies and operators: name, state, full_name, satellites, stations"},
    {"stations", APSCO_LIST_STATIONS, F_STATE | F_STATUS | F_AGENCY,
     "ground stations (the CSV form is a station file)"},
    {"satellites", APSCO_LIST_SATELLITES, F_ALL,
     "registry satellites with owner, class, mass, latest epoch and projects"},
    {"projects", APSCO_LIST_PROJECTS, F_STATE | F_CLASS | F_PROJECT,
     "cooperative projects: class, participating states, satellites"},
};

static const char *const filter_names[] = {"--state", "--status", "--agency", "--class",
                                           "--project"};

static void print_listing_usage(const listing *l)
{
    printf("Usage: apsco %s [--db PATH] [--format table|csv|json]", l->name);
    for (int i = 0; i < 5; i++)
        if (l->filters & (1u << i))
            printf(" [%s ...]", filter_names[i]);
    printf("\n\nLists %s.\n\n"
           "  --format FMT      table (default), csv, or json (an array of objects)\n",
           l->summary);
    fputs(cli_select_help, stdout);
    fputs("  -h, --help        show this help\n", stdout);
}

/* A usage error when a filter the listing does not take was given. */
static int check_filters(const listing *l, const cli_selection *sel)
{
    const char *given[] = {sel->state, sel->status, sel->agency, sel->sat_class, sel->project};
    for (int i = 0; i < 5; i++)
        if (given[i] && !(l->filters & (1u << i)))
            return cli_usage_error(l->name, "%s does not apply to %s", filter_names[i], l->name);
    return CLI_EXIT_OK;
}

/* Runs a query and prints its table; returns an exit code. */
int cli_print_listing(const char *db, apsco_listing what, const apsco_selection *sel,
                      apsco_table_format format)
{
    apsco_store *store;
    int rc = cli_store_open(db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_table t;
    apsco_error err;
    if (apsco_store_list(store, what, sel, &t, &err) != APSCO_OK ||
        apsco_table_write(stdout, &t, format, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    apsco_table_free(&t);
    apsco_store_close(store);
    return rc;
}

static int run_listing(const listing *l, int argc, char **argv)
{
    static const struct option options[] = {
        CLI_SELECT_LONG_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    cli_selection sel = {0};
    int format = APSCO_TABLE_TEXT, opt;
    optind = 1;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        if (cli_select_option(&sel, opt, optarg))
            continue;
        switch (opt) {
        case 'f':
            format = apsco_table_format_parse(optarg);
            if (format < 0)
                return cli_usage_error(l->name, "--format: '%s' is not table, csv or json", optarg);
            break;
        case 'h': print_listing_usage(l); return CLI_EXIT_OK;
        default: return cli_option_error(l->name, opt, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(l->name, "unexpected argument '%s'", argv[optind]);
    int rc = check_filters(l, &sel);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_selection s = cli_select_to_library(&sel, NULL, 0);
    return cli_print_listing(sel.db, l->what, &s, (apsco_table_format)format);
}

int cli_states(int argc, char **argv)
{
    return run_listing(&listings[0], argc, argv);
}

int cli_agencies(int argc, char **argv)
{
    return run_listing(&listings[1], argc, argv);
}

int cli_stations(int argc, char **argv)
{
    return run_listing(&listings[2], argc, argv);
}

int cli_satellites(int argc, char **argv)
{
    return run_listing(&listings[3], argc, argv);
}

int cli_projects(int argc, char **argv)
{
    return run_listing(&listings[4], argc, argv);
}

/* ---- apsco sat show ID --------------------------------------------------- */

static const char sat_usage[] =
    "Usage: apsco sat show ID [--db PATH] [--format table|json]\n"
    "\n"
    "Shows one object of the store: its registry record (owner state and agency,\n"
    "class, mass, projects) when it has one, its latest element set as a TLE, and\n"
    "the history of its element sets with the import each came from. ID is a\n"
    "catalog number, plain or Alpha-5 (A0001).\n"
    "\n"
    "  --db PATH      the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "  --format FMT   table (default) or json\n"
    "  -h, --help     show this help\n";

static void print_latest_text(const apsco_elset *e)
{
    char l1[70], l2[70], epoch[40];
    apsco_time_format_iso(e->epoch, 6, epoch, sizeof epoch);
    printf("\nlatest element set, epoch %s\n", epoch);
    if (apsco_elset_format_tle(e, l1, l2, NULL) == APSCO_OK)
        printf("%s\n%s\n%s\n", e->name, l1, l2);
}

static void print_latest_json(const apsco_elset *e)
{
    char l1[70] = "", l2[70] = "", epoch[40];
    apsco_time_format_iso(e->epoch, 6, epoch, sizeof epoch);
    apsco_elset_format_tle(e, l1, l2, NULL);
    printf(",\n\"latest\": {\"norad\": %ld, \"epoch\": \"%s\", \"tle_line1\": \"%s\","
           " \"tle_line2\": \"%s\"},\n",
           e->norad, epoch, l1, l2);
}

static int show(apsco_store *store, long norad, apsco_table_format format)
{
    apsco_selection one = {.norads = &norad, .norad_count = 1};
    apsco_table reg = {0}, hist = {0};
    apsco_catalog latest = {0};
    apsco_error err;
    apsco_status st = apsco_store_select_catalog(store, &one, &latest, &err);
    if (st == APSCO_OK)
        st = apsco_store_list(store, APSCO_LIST_SATELLITES, &one, &reg, &err);
    if (st == APSCO_OK)
        st = apsco_store_list(store, APSCO_LIST_HISTORY, &one, &hist, &err);
    if (st == APSCO_OK && format == APSCO_TABLE_JSON) {
        fputs("{\"registry\": ", stdout);
        apsco_table_write(stdout, &reg, APSCO_TABLE_JSON, &err);
        print_latest_json(&latest.items[0]);
        fputs("\"history\": ", stdout);
        apsco_table_write(stdout, &hist, APSCO_TABLE_JSON, &err);
        fputs("}\n", stdout);
    } else if (st == APSCO_OK) {
        for (size_t c = 0; c < reg.columns && reg.rows; c++) {
            const char *v = apsco_table_cell(&reg, 0, c);
            printf("%-10s %s\n", reg.names[c], v ? v : "-");
        }
        if (!reg.rows)
            printf("not in the registry\n");
        print_latest_text(&latest.items[0]);
        printf("\nhistory\n");
        apsco_table_write(stdout, &hist, APSCO_TABLE_TEXT, &err);
    }
    if (st != APSCO_OK)
        cli_print_error(&err);
    apsco_table_free(&reg);
    apsco_table_free(&hist);
    apsco_catalog_free(&latest);
    return st == APSCO_OK ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

int cli_sat(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(sat_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "show"))
        return cli_usage_error("sat", "expected 'show'");
    const char *db = NULL;
    int format = APSCO_TABLE_TEXT, opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":f:h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'f':
            format = apsco_table_format_parse(optarg);
            if (format != APSCO_TABLE_TEXT && format != APSCO_TABLE_JSON)
                return cli_usage_error("sat", "--format: '%s' is not table or json", optarg);
            break;
        case 'h': fputs(sat_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error("sat", opt, argv);
        }
    }
    long norad;
    if (argc - optind != 1)
        return cli_usage_error("sat", "expected one catalog number");
    if (apsco_norad_parse(argv[optind], &norad) != APSCO_OK)
        return cli_usage_error("sat", "'%s' is not a catalog number", argv[optind]);
    apsco_store *store;
    int rc = cli_store_open(db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    rc = show(store, norad, (apsco_table_format)format);
    apsco_store_close(store);
    return rc;
}
