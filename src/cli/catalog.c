/*
 * catalog.c — `apsco catalog list|imports|export|fetch|synth`: the element
 * sets in the store, the import log, downloads from CelesTrak, and
 * synthetic catalogs for benchmarks and tests.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/fetch.h"
#include "apsco/synth.h"
#include "cli/cli.h"

static const char catalog_usage[] =
    "Usage: apsco catalog list [--db PATH] [--format table|csv|json] [selection]\n"
    "       apsco catalog imports [--db PATH] [--format table|csv|json]\n"
    "       apsco catalog export [--db PATH] [selection] [-o FILE]\n"
    "       apsco catalog fetch [--group NAME | --url URL] [--db PATH] [--strict]\n"
    "                           [--timeout SECONDS]\n"
    "       apsco catalog synth [--count N] [--seed S] [--first-norad N]\n"
    "                           [--spread-days D] [--base FILE] [-o FILE]\n"
    "\n"
    "list      the latest element set of every object in the store (or of the\n"
    "          selection), with how many element sets its history holds\n"
    "imports   the import log: source, time, records, new and updated\n"
    "export    the latest element sets of the selection as 3-line TLEs\n"
    "fetch     downloads CelesTrak GP data (OMM JSON) of a group (default\n"
    "          'active') or any URL, and imports it in one transaction; a failed\n"
    "          or incomplete download imports nothing\n"
    "synth     writes a synthetic catalog as 3-line TLEs: the base catalog's\n"
    "          element sets (default the bundled 2026 snapshot) with new catalog\n"
    "          numbers (Alpha-5 beyond 99999), random planes and phases and epochs\n"
    "          moved by up to --spread-days; the same seed gives the same file\n"
    "          (defaults: 30000 objects, seed 1, numbers from 80000, 1 day)\n"
    "\n"
    "Selection:\n";

static void print_usage(void)
{
    fputs(catalog_usage, stdout);
    fputs(cli_select_help, stdout);
    fputs("  --sat IDS         catalog numbers, comma-separated\n"
          "  -o FILE           output file (default standard output)\n"
          "  -h, --help        show this help\n",
          stdout);
}

enum {
    OPT_GROUP = 0x5000,
    OPT_URL,
    OPT_TIMEOUT,
    OPT_COUNT,
    OPT_SEED,
    OPT_FIRST,
    OPT_SPREAD,
    OPT_BASE,
    OPT_STRICT,
    OPT_SAT
};

typedef struct catalog_args {
    cli_selection sel;
    int format;
    const char *output, *group, *url, *base;
    long timeout_s;
    int strict;
    apsco_synth_options synth;
    long *ids;
    size_t id_count;
} catalog_args;

static int parse_count(const char *opt, const char *text, unsigned long long max,
                       unsigned long long *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (!*text || *end || errno || v > max || text[0] == '-')
        return cli_usage_error("catalog", "%s: '%s' is not a number up to %llu", opt, text, max);
    *out = v;
    return CLI_EXIT_OK;
}

static int take_option(catalog_args *a, int opt, const char *arg, char *const *argv)
{
    unsigned long long v;
    int rc = CLI_EXIT_OK;
    switch (opt) {
    case 'f':
        a->format = apsco_table_format_parse(arg);
        if (a->format < 0)
            return cli_usage_error("catalog", "--format: '%s' is not table, csv or json", arg);
        return CLI_EXIT_OK;
    case 'o': a->output = arg; return CLI_EXIT_OK;
    case OPT_GROUP: a->group = arg; return CLI_EXIT_OK;
    case OPT_URL: a->url = arg; return CLI_EXIT_OK;
    case OPT_BASE: a->base = arg; return CLI_EXIT_OK;
    case OPT_STRICT: a->strict = 1; return CLI_EXIT_OK;
    case OPT_SAT:
        free(a->ids);
        a->ids = NULL;
        return cli_parse_ids("catalog", arg, &a->ids, &a->id_count) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    case OPT_TIMEOUT:
        rc = parse_count("--timeout", arg, 86400, &v);
        a->timeout_s = (long)v;
        return rc == CLI_EXIT_OK && v == 0 ? cli_usage_error("catalog", "--timeout: 0") : rc;
    case OPT_COUNT:
        rc = parse_count("--count", arg, 340000, &v);
        a->synth.count = (size_t)v;
        return rc;
    case OPT_SEED:
        rc = parse_count("--seed", arg, ~0ULL, &v);
        a->synth.seed = v;
        return rc;
    case OPT_FIRST:
        rc = parse_count("--first-norad", arg, 339999, &v);
        a->synth.first_norad = (long)v;
        return rc;
    case OPT_SPREAD: {
        char *end;
        a->synth.epoch_spread_days = strtod(arg, &end);
        return *arg && !*end
                   ? CLI_EXIT_OK
                   : cli_usage_error("catalog", "--spread-days: '%s' is not a number", arg);
    }
    default: return cli_option_error("catalog", opt, argv);
    }
}

static int parse_args(int argc, char **argv, catalog_args *a)
{
    static const struct option options[] = {
        CLI_SELECT_LONG_OPTIONS,
        {"format", required_argument, NULL, 'f'},
        {"output", required_argument, NULL, 'o'},
        {"group", required_argument, NULL, OPT_GROUP},
        {"url", required_argument, NULL, OPT_URL},
        {"timeout", required_argument, NULL, OPT_TIMEOUT},
        {"count", required_argument, NULL, OPT_COUNT},
        {"seed", required_argument, NULL, OPT_SEED},
        {"first-norad", required_argument, NULL, OPT_FIRST},
        {"spread-days", required_argument, NULL, OPT_SPREAD},
        {"base", required_argument, NULL, OPT_BASE},
        {"strict", no_argument, NULL, OPT_STRICT},
        {"sat", required_argument, NULL, OPT_SAT},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":f:o:h", options, NULL)) != -1) {
        if (opt == 'h') {
            print_usage();
            return -1;
        }
        if (cli_select_option(&a->sel, opt, optarg))
            continue;
        int rc = take_option(a, opt, optarg, argv);
        if (rc != CLI_EXIT_OK)
            return rc;
    }
    if (optind < argc)
        return cli_usage_error("catalog", "unexpected argument '%s'", argv[optind]);
    return CLI_EXIT_OK;
}

static int cmd_export(catalog_args *a)
{
    apsco_catalog cat = {0};
    int rc = cli_select_catalog(&a->sel, a->ids, a->id_count, &cat);
    FILE *out = stdout;
    if (rc == CLI_EXIT_OK && a->output && strcmp(a->output, "-")) {
        out = fopen(a->output, "w");
        if (!out) {
            cli_message("%s: cannot write: %s", a->output, strerror(errno));
            rc = CLI_EXIT_DATA;
        }
    }
    apsco_error err;
    if (rc == CLI_EXIT_OK && apsco_catalog_write_3le(out, &cat, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    if (out && out != stdout && fclose(out) != 0)
        rc = CLI_EXIT_DATA;
    apsco_catalog_free(&cat);
    return rc;
}

static int cmd_fetch(catalog_args *a)
{
    if (a->group && a->url)
        return cli_usage_error("catalog", "give --group or --url, not both");
    char url[512];
    apsco_error err;
    if (!a->url && apsco_fetch_celestrak_url(a->group ? a->group : "active", url, sizeof url,
                                             &err) != APSCO_OK)
        return cli_usage_error("catalog", "--group: %s", err.message);
    const char *source = a->url ? a->url : url;
    apsco_store *store;
    int rc = cli_store_open(a->sel.db, 0, 0, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_fetch_options fo = {.timeout_s = a->timeout_s};
    apsco_parse_options po = {APSCO_FORMAT_AUTO, a->strict, cli_print_diag, NULL};
    apsco_catalog cat = {0};
    apsco_import_stats s;
    char *body = NULL;
    size_t len = 0;
    apsco_status st = apsco_fetch_global_init(&err);
    if (st == APSCO_OK)
        st = apsco_fetch_url(source, &fo, &body, &len, &err);
    if (st == APSCO_OK)
        st = apsco_catalog_parse(body, len, source, &po, &cat, &err);
    if (st == APSCO_OK)
        st = apsco_store_import_catalog(store, &cat, source, &s, &err);
    if (st == APSCO_OK) {
        cli_message("%s: %zu element sets: %zu new, %zu updated, %zu unchanged", source, s.records,
                    s.added, s.updated, s.unchanged);
    } else {
        cli_print_error(&err);
        cli_message("nothing was imported");
        rc = CLI_EXIT_DATA;
    }
    free(body);
    apsco_catalog_free(&cat);
    apsco_store_close(store);
    return rc;
}

static int cmd_synth(catalog_args *a)
{
    char base_path[4096];
    snprintf(base_path, sizeof base_path, "%s/celestrak-active-2026-03-19.tle", cli_data_dir(NULL));
    const char *base = a->base ? a->base : base_path;
    apsco_catalog in = {0}, out = {0};
    apsco_parse_options po = {APSCO_FORMAT_AUTO, 0, cli_print_diag, NULL};
    apsco_error err;
    apsco_status st = apsco_catalog_load(base, &po, &in, &err);
    if (st == APSCO_OK)
        st = apsco_catalog_synthesize(&in, &a->synth, &out, &err);
    FILE *f = stdout;
    if (st == APSCO_OK && a->output && strcmp(a->output, "-") && !(f = fopen(a->output, "w")))
        st = apsco_error_set(&err, APSCO_ERR_IO, a->output, 0, "cannot write: %s", strerror(errno));
    if (st == APSCO_OK)
        st = apsco_catalog_write_3le(f, &out, &err);
    if (f && f != stdout && fclose(f) != 0 && st == APSCO_OK)
        st = apsco_error_set(&err, APSCO_ERR_IO, a->output, 0, "write error");
    if (st != APSCO_OK)
        cli_print_error(&err);
    apsco_catalog_free(&in);
    apsco_catalog_free(&out);
    return st == APSCO_OK ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

int cli_catalog(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        print_usage();
        return CLI_EXIT_OK;
    }
    static const char *const verbs[] = {"list", "imports", "export", "fetch", "synth"};
    int verb = -1;
    for (int i = 0; argc >= 2 && i < 5; i++)
        if (!strcmp(argv[1], verbs[i]))
            verb = i;
    if (verb < 0)
        return cli_usage_error("catalog", "expected list, imports, export, fetch or synth");
    catalog_args a = {0};
    a.synth = apsco_synth_defaults();
    int rc = parse_args(argc, argv, &a);
    if (rc != CLI_EXIT_OK) {
        free(a.ids);
        return rc == -1 ? CLI_EXIT_OK : rc;
    }
    apsco_selection sel = cli_select_to_library(&a.sel, a.ids, a.id_count);
    switch (verb) {
    case 0:
        rc = cli_print_listing(a.sel.db, APSCO_LIST_CATALOG, &sel, (apsco_table_format)a.format);
        break;
    case 1:
        rc = cli_print_listing(a.sel.db, APSCO_LIST_IMPORTS, NULL, (apsco_table_format)a.format);
        break;
    case 2: rc = cmd_export(&a); break;
    case 3: rc = cmd_fetch(&a); break;
    default: rc = cmd_synth(&a); break;
    }
    free(a.ids);
    return rc;
}
