/*
 * pooling.c — `apsco pooling`: what sharing the ground stations gives each
 * member state. Every member satellite's passes over the pooled network (all
 * members' stations) in a window, and how many of them fall on other
 * members' stations, in one table; optionally the table as CSV and JSON and
 * every pass as CSV, JSON and iCalendar files, all from the one search.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/export.h"
#include "apsco/passes.h"
#include "apsco/store.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "pooling"

static const char usage[] =
    "Usage: apsco pooling [--db PATH] [--start UTC] [--end UTC] [--format table|csv|json]\n"
    "           [--out-dir DIR] [--threads N]\n"
    "\n"
    "For each member state, the passes of its satellites over the pooled network (every\n"
    "member's ground stations, from the store) and how many of them fall on other\n"
    "members' stations: the value of pooling.\n"
    "\n"
    "      --db PATH        the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "      --start UTC      window start (default: the newest epoch of the members'\n"
    "                       element sets, to the minute)\n"
    "      --end UTC        window end (default: 24 h after the start)\n"
    "      --format F       table (default), csv or json\n"
    "      --out-dir DIR    also write the table as DIR/pooling.csv and pooling.json, and\n"
    "                       every pass as DIR/passes.csv, passes.json, passes.ics\n"
    "      --threads N      threads (default: all cores)\n"
    "  -h, --help           show this help\n";

typedef struct pooling_args {
    const char *db, *out_dir;
    apsco_time start, end;
    int have_start, have_end, threads;
    apsco_table_format format;
} pooling_args;

static int parse_args(int argc, char **argv, pooling_args *a)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"start", required_argument, NULL, 'S'},
        {"end", required_argument, NULL, 'E'},     {"format", required_argument, NULL, 'F'},
        {"out-dir", required_argument, NULL, 'o'}, {"threads", required_argument, NULL, 't'},
        {"help", no_argument, NULL, 'h'},          {NULL, 0, NULL, 0}};
    int c, f;
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': a->db = optarg; break;
        case 'o': a->out_dir = optarg; break;
        case 'S':
            if (!cli_parse_time(CMD, "--start", optarg, &a->start))
                return CLI_EXIT_USAGE;
            a->have_start = 1;
            break;
        case 'E':
            if (!cli_parse_time(CMD, "--end", optarg, &a->end))
                return CLI_EXIT_USAGE;
            a->have_end = 1;
            break;
        case 'F':
            if ((f = apsco_table_format_parse(optarg)) < 0)
                return cli_usage_error(CMD, "--format: unknown value '%s'", optarg);
            a->format = (apsco_table_format)f;
            break;
        case 't':
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &a->threads))
                return CLI_EXIT_USAGE;
            break;
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (a->have_start && a->have_end && apsco_time_compare(a->end, a->start) < 0)
        return cli_usage_error(CMD, "--end is before --start");
    return -1;
}

/* All member satellites in one catalog, with the state each belongs to. */
typedef struct member_fleet {
    apsco_catalog cat;
    const char **state; /* per satellite */
} member_fleet;

static int gather_fleet(const apsco_pooling *pool, member_fleet *fleet)
{
    size_t total = 0;
    for (size_t m = 0; m < pool->member_count; m++)
        total += pool->members[m].catalog.count;
    fleet->state = calloc(total ? total : 1, sizeof *fleet->state);
    if (!fleet->state)
        return 0;
    for (size_t m = 0; m < pool->member_count; m++) {
        const apsco_catalog *c = &pool->members[m].catalog;
        for (size_t i = 0; i < c->count; i++) {
            if (apsco_catalog_append(&fleet->cat, &c->items[i]) != APSCO_OK)
                return 0;
            fleet->state[fleet->cat.count - 1] = pool->members[m].state;
        }
    }
    return 1;
}

/* The newest epoch of the fleet, down to the whole minute. */
static apsco_time default_start(const apsco_catalog *cat)
{
    apsco_time newest = cat->count ? cat->items[0].epoch : apsco_time_now();
    for (size_t i = 1; i < cat->count; i++)
        if (apsco_time_compare(cat->items[i].epoch, newest) > 0)
            newest = cat->items[i].epoch;
    newest.fr = floor(newest.fr * APSCO_MINUTES_PER_DAY) / APSCO_MINUTES_PER_DAY;
    return newest;
}

/* The per-member table in `format` (text, CSV or JSON) on `out`. */
static void print_table(FILE *out, apsco_table_format format, const pooling_args *a,
                        const apsco_pooling *pool, const apsco_pooling_share *share,
                        const size_t *sats, const size_t *own)
{
    char from[40], to[40];
    apsco_time_format_iso(a->start, 0, from, sizeof from);
    apsco_time_format_iso(a->end, 0, to, sizeof to);
    if (format == APSCO_TABLE_CSV) {
        fputs("state,name,satellites,own_stations,passes,passes_other,other_share,contact_h,"
              "contact_other_h\n",
              out);
    } else if (format == APSCO_TABLE_JSON) {
        fputs("[", out);
    } else {
        fprintf(out, "Passes over the pooled network of %zu stations, %s to %s\n\n",
                pool->stations.count, from, to);
        fprintf(out, "%-5s %-12s %5s %8s %8s %16s %8s %10s %16s\n", "state", "member", "sats",
                "stations", "passes", "on others'", "share", "contact h", "on others' h");
    }
    size_t total_passes = 0, total_other = 0;
    for (size_t m = 0; m < pool->member_count; m++) {
        const apsco_pooling_share *s = &share[m];
        double frac = s->passes ? (double)s->passes_other / (double)s->passes : 0.0;
        total_passes += s->passes;
        total_other += s->passes_other;
        if (format == APSCO_TABLE_CSV) {
            fprintf(out, "%s,", s->state);
            apsco_export_csv_field(out, pool->members[m].name);
            fprintf(out, ",%zu,%zu,%zu,%zu,%.4f,%.3f,%.3f\n", sats[m], own[m], s->passes,
                    s->passes_other, frac, s->contact_s / 3600.0, s->contact_other_s / 3600.0);
        } else if (format == APSCO_TABLE_JSON) {
            fprintf(out, "%s\n {\"state\": \"%s\", \"name\": ", m ? "," : "", s->state);
            apsco_export_json_string(out, pool->members[m].name);
            fprintf(out,
                    ", \"satellites\": %zu, \"own_stations\": %zu, \"passes\": %zu, "
                    "\"passes_other\": %zu, \"other_share\": %.4f, \"contact_h\": %.3f, "
                    "\"contact_other_h\": %.3f}",
                    sats[m], own[m], s->passes, s->passes_other, frac, s->contact_s / 3600.0,
                    s->contact_other_s / 3600.0);
        } else {
            fprintf(out, "%-5s %-12.12s %5zu %8zu %8zu %16zu %7.0f%% %10.1f %16.1f\n", s->state,
                    pool->members[m].name, sats[m], own[m], s->passes, s->passes_other,
                    100.0 * frac, s->contact_s / 3600.0, s->contact_other_s / 3600.0);
        }
    }
    if (format == APSCO_TABLE_JSON) {
        fputs("\n]\n", out);
    } else if (format == APSCO_TABLE_TEXT) {
        fprintf(out,
                "\n%zu passes in all; %zu (%.0f%%) use another member's station: without pooling "
                "each member would have only its own.\n",
                total_passes, total_other,
                total_passes ? 100.0 * (double)total_other / (double)total_passes : 0.0);
    }
}

/* Writes the table to DIR/NAME in `format`, whole or not at all. Returns 1 on success. */
static int write_table(const char *dir, const char *name, apsco_table_format format,
                       const pooling_args *a, const apsco_pooling *pool,
                       const apsco_pooling_share *share, const size_t *sats, const size_t *own)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    cli_output out;
    if (!cli_output_open(&out, path))
        return 0;
    print_table(out.f, format, a, pool, share, sats, own);
    return cli_output_close(&out, 1);
}

/* Writes every pass to DIR/passes.{csv,json,ics}. Returns 1 on success. */
static int write_passes(const char *dir, const apsco_pass_list *list, const member_fleet *fleet,
                        const apsco_station_list *st)
{
    static const struct {
        const char *name;
        apsco_pass_format format;
    } files[] = {{"passes.csv", APSCO_PASS_CSV},
                 {"passes.json", APSCO_PASS_JSON},
                 {"passes.ics", APSCO_PASS_ICS}};
    cli_pass_labels names;
    int ok = cli_pass_labels_init(&names, &fleet->cat, st);
    for (size_t f = 0; ok && f < sizeof files / sizeof files[0]; f++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, files[f].name);
        cli_output out;
        apsco_error err;
        if (!cli_output_open(&out, path)) {
            ok = 0;
            break;
        }
        apsco_pass_export_options xo = {files[f].format, 0.0, list->start};
        int written = apsco_export_passes(out.f, list, &names.labels, &xo, &err) == APSCO_OK;
        if (!written)
            cli_print_error(&err);
        ok = cli_output_close(&out, written) && written;
    }
    cli_pass_labels_free(&names);
    return ok;
}

static int run(pooling_args *a, const apsco_pooling *pool)
{
    member_fleet fleet = {{0}, NULL};
    apsco_pooling_share *share = calloc(pool->member_count + 1, sizeof *share);
    size_t *n_sats = calloc(pool->member_count + 1, sizeof *n_sats);
    size_t *own = calloc(pool->member_count + 1, sizeof *own);
    apsco_pass_list list = {0};
    apsco_error err;
    int rc = CLI_EXIT_DATA;
    if (!share || !n_sats || !own || !gather_fleet(pool, &fleet)) {
        cli_message("out of memory");
        goto done;
    }
    if (!a->have_start)
        a->start = default_start(&fleet.cat);
    if (!a->have_end)
        a->end = apsco_time_add_s(a->start, 86400.0);
    if (apsco_time_compare(a->end, a->start) < 0) {
        rc = cli_usage_error(CMD, "--end is before the start");
        goto done;
    }
    for (size_t m = 0; m < pool->member_count; m++) {
        snprintf(share[m].state, sizeof share[m].state, "%s", pool->members[m].state);
        n_sats[m] = pool->members[m].catalog.count;
        for (size_t j = 0; j < pool->stations.count; j++)
            own[m] += !strcmp(pool->stations.items[j].state, share[m].state);
    }
    apsco_pass_options opt = {0};
    opt.start = a->start;
    opt.end = a->end;
    opt.threads = a->threads;
    if (cli_find_passes(&fleet.cat, &pool->stations, &opt, &list) != CLI_EXIT_OK)
        goto done;
    if (apsco_pooling_count(&list, fleet.state, &pool->stations, share, pool->member_count, &err) !=
        APSCO_OK) {
        cli_print_error(&err);
        goto done;
    }
    print_table(stdout, a->format, a, pool, share, n_sats, own);
    if (a->out_dir &&
        (!write_table(a->out_dir, "pooling.csv", APSCO_TABLE_CSV, a, pool, share, n_sats, own) ||
         !write_table(a->out_dir, "pooling.json", APSCO_TABLE_JSON, a, pool, share, n_sats, own) ||
         !write_passes(a->out_dir, &list, &fleet, &pool->stations)))
        goto done;
    rc = CLI_EXIT_OK;
done:
    apsco_pass_list_free(&list);
    apsco_catalog_free(&fleet.cat);
    free(fleet.state);
    free(share);
    free(n_sats);
    free(own);
    return rc;
}

int cli_pooling(int argc, char **argv)
{
    pooling_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    apsco_store *store;
    rc = cli_store_open(a.db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_pooling pool;
    apsco_error err;
    if (apsco_store_pooling(store, &pool, &err) != APSCO_OK) {
        cli_print_error(&err);
        apsco_store_close(store);
        return CLI_EXIT_DATA;
    }
    rc = run(&a, &pool);
    apsco_pooling_free(&pool);
    apsco_store_close(store);
    return rc;
}
