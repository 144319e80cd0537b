/*
 * propagate.c — `apsco propagate`: states of catalog satellites over a time
 * grid, in TEME, ITRF or geodetic coordinates, as CSV or JSON.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/export.h"
#include "apsco/frames.h"
#include "apsco/orbit.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "propagate"

static const char usage[] =
    "Usage: apsco propagate (--catalog FILE | [--db PATH] [selection]) [--sat ID[,ID...]]\n"
    "           (--start UTC --end UTC --step SECONDS | --tsince START:STOP:STEP_MIN)\n"
    "           [--frame teme|itrf|geodetic] [--format csv|json] [--opsmode improved|afspc]\n"
    "           [--gravity wgs72|wgs84] [--eop FILE] [--strict] [-o FILE]\n"
    "\n"
    "Propagates every satellite of the catalog (or those named by --sat) with SGP4/SDP4\n"
    "and writes one row per satellite and instant. Without --catalog, the satellites come\n"
    "from the store (latest element set each), chosen by --state, --status, --agency,\n"
    "--class and --project (see below).\n"
    "\n"
    "  -c, --catalog FILE   element sets: TLE/3LE or CCSDS OMM (KVN, XML, JSON, CSV); - for stdin\n"
    "      --sat IDS        catalog numbers, comma-separated (integers or Alpha-5, e.g. A0001)\n"
    "      --start UTC      first instant, ISO-8601 (2026-03-19T00:00:00Z)\n"
    "      --end UTC        last instant (included when it falls on the grid)\n"
    "      --step SECONDS   time step, > 0\n"
    "      --tsince A:B:S   minutes from each satellite's own epoch: from A to B by S (A may be < "
    "0)\n"
    "      --frame F        teme (default), itrf, or geodetic (WGS-84 lat/lon/alt)\n"
    "      --format F       csv (default) or json\n"
    "      --opsmode M      improved (default) or afspc\n"
    "      --gravity G      wgs72 (default) or wgs84\n"
    "      --eop FILE       IERS finals or CelesTrak EOP file: polar motion and UT1 for "
    "itrf/geodetic\n"
    "      --strict         the first malformed record or checksum mismatch is fatal\n"
    "  -o, --output FILE    write to FILE (complete or not at all) instead of stdout\n"
    "  -h, --help           show this help\n"
    "\n"
    "CSV columns: norad,name,time_utc[,tsince_min],x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n"
    "(teme/itrf) or norad,name,time_utc[,tsince_min],lat_deg,lon_deg,alt_km (geodetic).\n"
    "A satellite that meets an SGP4 error produces no rows from that instant on; a\n"
    "warning names it, the time and the error. Exit status: 0 ok, 1 data error, 2 usage.\n";

typedef enum { FRAME_TEME, FRAME_ITRF, FRAME_GEODETIC } frame_kind;

typedef struct propagate_args {
    const char *catalog, *sat_list, *eop_path, *output;
    cli_selection sel; /* --db and the store selection, when there is no --catalog */
    apsco_time start, end;
    double step_s;
    int have_start, have_end, have_step, have_tsince;
    double tsince_from, tsince_to, tsince_step;
    frame_kind frame;
    int json, strict;
    apsco_opsmode opsmode;
    apsco_gravity gravity;
} propagate_args;

static int parse_tsince(const char *text, propagate_args *a)
{
    char *end;
    a->tsince_from = strtod(text, &end);
    if (*end != ':')
        return 0;
    a->tsince_to = strtod(end + 1, &end);
    if (*end != ':')
        return 0;
    a->tsince_step = strtod(end + 1, &end);
    return *end == '\0' && isfinite(a->tsince_from) && isfinite(a->tsince_to) &&
           isfinite(a->tsince_step);
}

static int parse_choice(const char *opt, const char *value, const char *const *names, int *out)
{
    for (int i = 0; names[i]; i++) {
        if (!strcmp(value, names[i])) {
            *out = i;
            return 1;
        }
    }
    cli_usage_error(CMD, "%s: unknown value '%s'", opt, value);
    return 0;
}

/* Parses the command line into `a`; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, propagate_args *a)
{
    static const struct option longopts[] = {CLI_SELECT_LONG_OPTIONS,
                                             {"catalog", required_argument, NULL, 'c'},
                                             {"sat", required_argument, NULL, 's'},
                                             {"start", required_argument, NULL, 'S'},
                                             {"end", required_argument, NULL, 'E'},
                                             {"step", required_argument, NULL, 'p'},
                                             {"tsince", required_argument, NULL, 't'},
                                             {"frame", required_argument, NULL, 'f'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"opsmode", required_argument, NULL, 'm'},
                                             {"gravity", required_argument, NULL, 'g'},
                                             {"eop", required_argument, NULL, 'e'},
                                             {"strict", no_argument, NULL, 'x'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const frames[] = {"teme", "itrf", "geodetic", NULL};
    static const char *const formats[] = {"csv", "json", NULL};
    static const char *const opsmodes[] = {"improved", "afspc", NULL};
    static const char *const gravities[] = {"wgs72", "wgs84", NULL};
    int c, choice;
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:h", longopts, NULL)) != -1) {
        if (cli_select_option(&a->sel, c, optarg))
            continue;
        switch (c) {
        case 'c': a->catalog = optarg; break;
        case 's': a->sat_list = optarg; break;
        case 'e': a->eop_path = optarg; break;
        case 'o': a->output = optarg; break;
        case 'x': a->strict = 1; break;
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
        case 'p':
            if (!cli_parse_number(CMD, "--step", optarg, &a->step_s))
                return CLI_EXIT_USAGE;
            a->have_step = 1;
            break;
        case 't':
            if (!parse_tsince(optarg, a))
                return cli_usage_error(CMD, "--tsince: '%s' is not START:STOP:STEP in minutes",
                                       optarg);
            a->have_tsince = 1;
            break;
        case 'f':
            if (!parse_choice("--frame", optarg, frames, &choice))
                return CLI_EXIT_USAGE;
            a->frame = (frame_kind)choice;
            break;
        case 'F':
            if (!parse_choice("--format", optarg, formats, &choice))
                return CLI_EXIT_USAGE;
            a->json = choice == 1;
            break;
        case 'm':
            if (!parse_choice("--opsmode", optarg, opsmodes, &choice))
                return CLI_EXIT_USAGE;
            a->opsmode = choice == 1 ? APSCO_OPSMODE_AFSPC : APSCO_OPSMODE_IMPROVED;
            break;
        case 'g':
            if (!parse_choice("--gravity", optarg, gravities, &choice))
                return CLI_EXIT_USAGE;
            a->gravity = choice == 1 ? APSCO_WGS84 : APSCO_WGS72;
            break;
        case 'h':
            fputs(usage, stdout);
            fputs("\nSelection from the store (instead of --catalog):\n", stdout);
            fputs(cli_select_help, stdout);
            return CLI_EXIT_OK;
        case ':': return cli_usage_error(CMD, "option %s needs a value", argv[optind - 1]);
        default: return cli_usage_error(CMD, "unknown option %s", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    int store = a->sel.db || cli_select_filters(&a->sel);
    if (a->catalog && store)
        return cli_usage_error(CMD, "give --catalog FILE or a selection from the store, not both");
    if (!a->catalog && !store)
        return cli_usage_error(CMD, "--catalog FILE is required (or select from the store with "
                                    "--db, --state, --status, --agency, --class, --project)");
    int window = a->have_start || a->have_end || a->have_step;
    if (window && a->have_tsince)
        return cli_usage_error(CMD, "give either --start/--end/--step or --tsince, not both");
    if (!window && !a->have_tsince)
        return cli_usage_error(CMD, "give --start, --end and --step, or --tsince");
    if (window && !(a->have_start && a->have_end && a->have_step))
        return cli_usage_error(CMD, "--start, --end and --step go together");
    if (window && !(a->step_s > 0))
        return cli_usage_error(CMD, "--step must be positive (got %g)", a->step_s);
    if (window && apsco_time_compare(a->end, a->start) < 0)
        return cli_usage_error(CMD, "--end is before --start");
    if (a->have_tsince && !(a->tsince_step > 0))
        return cli_usage_error(CMD, "--tsince: the step must be positive");
    if (a->have_tsince && a->tsince_to < a->tsince_from)
        return cli_usage_error(CMD, "--tsince: STOP is before START");
    return -1;
}

/* Number of grid instants from..to by step, both ends included when on the grid. */
static long grid_count(double from, double to, double step)
{
    /* The small allowance keeps an end that is on the grid despite rounding. */
    return (long)floor((to - from) / step + 1e-9) + 1;
}

static void write_header(FILE *out, const propagate_args *a)
{
    if (a->json) {
        fputs("[\n", out);
        return;
    }
    fputs("norad,name,time_utc", out);
    if (a->have_tsince)
        fputs(",tsince_min", out);
    if (a->frame == FRAME_GEODETIC)
        fputs(",lat_deg,lon_deg,alt_km\n", out);
    else
        fputs(",x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n", out);
}

/* Writes one row: `values` holds 6 numbers (or 3 for geodetic) in output units. */
static void write_row(FILE *out, const propagate_args *a, const apsco_elset *e, apsco_time t,
                      double tsince_min, const double *values, int *first_row)
{
    static const char *const cart[] = {"x_km", "y_km", "z_km", "vx_km_s", "vy_km_s", "vz_km_s"};
    static const char *const geo[] = {"lat_deg", "lon_deg", "alt_km"};
    static const int cart_decimals[] = {6, 6, 6, 9, 9, 9}, geo_decimals[] = {9, 9, 6};
    int geodetic = a->frame == FRAME_GEODETIC;
    int n = geodetic ? 3 : 6;
    const char *const *names = geodetic ? geo : cart;
    const int *decimals = geodetic ? geo_decimals : cart_decimals;
    char iso[40];
    apsco_time_format_iso(t, 6, iso, sizeof iso);
    if (a->json) {
        fprintf(out, "%s{\"norad\":%ld,\"name\":", *first_row ? "" : ",\n", e->norad);
        apsco_export_json_string(out, e->name);
        fprintf(out, ",\"time_utc\":\"%s\"", iso);
        if (a->have_tsince) {
            fputs(",\"tsince_min\":", out);
            apsco_export_number(out, tsince_min, 6, 1);
        }
        for (int i = 0; i < n; i++) {
            fprintf(out, ",\"%s\":", names[i]);
            apsco_export_number(out, values[i], decimals[i], 1);
        }
        fputc('}', out);
    } else {
        fprintf(out, "%ld,", e->norad);
        apsco_export_csv_field(out, e->name);
        fprintf(out, ",%s", iso);
        if (a->have_tsince) {
            fputc(',', out);
            apsco_export_number(out, tsince_min, 6, 0);
        }
        for (int i = 0; i < n; i++) {
            fputc(',', out);
            apsco_export_number(out, values[i], decimals[i], 0);
        }
        fputc('\n', out);
    }
    *first_row = 0;
}

/* Converts a TEME state into the output frame and units. */
static void to_output_frame(const propagate_args *a, const apsco_eop *eop, apsco_time t,
                            const double r[3], const double v[3], double values[6])
{
    if (a->frame == FRAME_TEME) {
        memcpy(values, r, 3 * sizeof *r);
        memcpy(values + 3, v, 3 * sizeof *v);
        return;
    }
    double ri[3], vi[3];
    apsco_teme_to_itrf(t, eop, r, v, ri, vi);
    if (a->frame == FRAME_ITRF) {
        memcpy(values, ri, sizeof ri);
        memcpy(values + 3, vi, sizeof vi);
        return;
    }
    apsco_geodetic g;
    apsco_itrf_to_geodetic(ri, &g);
    values[0] = g.lat_rad * (180.0 / M_PI);
    values[1] = g.lon_rad * (180.0 / M_PI);
    values[2] = g.alt_km;
}

static void warn_sgp4(const apsco_elset *e, int code, apsco_time t, double tsince_min)
{
    char iso[40];
    apsco_time_format_iso(t, 3, iso, sizeof iso);
    cli_message("warning: %ld%s%s%s: SGP4 error %d (%s) at %s (%.3f min from epoch); no further "
                "rows for it",
                e->norad, e->name[0] ? " (" : "", e->name, e->name[0] ? ")" : "", code,
                apsco_sgp4_code_message(code), iso, tsince_min);
}

/* Propagates one satellite over the grid, writing its rows until an SGP4 error. */
static void propagate_one(FILE *out, const propagate_args *a, const apsco_eop *eop,
                          const apsco_elset *e, int *first_row)
{
    apsco_sat sat;
    apsco_error err;
    if (apsco_sat_init(&sat, e, a->gravity, a->opsmode, &err) != APSCO_OK) {
        warn_sgp4(e, sat.init_error, e->epoch, 0.0);
        return;
    }
    apsco_sgp4_cache cache;
    apsco_sgp4_cache_reset(&cache);
    long n = a->have_tsince ? grid_count(a->tsince_from, a->tsince_to, a->tsince_step)
                            : grid_count(0.0, apsco_time_diff_s(a->end, a->start), a->step_s);
    for (long k = 0; k < n; k++) {
        double tsince;
        apsco_time t;
        if (a->have_tsince) {
            tsince = a->tsince_from + (double)k * a->tsince_step;
            t = apsco_time_add_min(e->epoch, tsince);
        } else {
            t = apsco_time_add_s(a->start, (double)k * a->step_s);
            tsince = apsco_sat_tsince_min(&sat, t);
        }
        double r[3], v[3], values[6];
        int code = apsco_sgp4(&sat, &cache, tsince, r, v);
        if (code != APSCO_SGP4_OK) {
            warn_sgp4(e, code, t, tsince);
            return;
        }
        to_output_frame(a, eop, t, r, v, values);
        write_row(out, a, e, t, tsince, values, first_row);
    }
}

/* Keeps the catalog entries named in `ids`; reports the ones missing. Returns an exit code. */
static int select_sats(apsco_catalog *cat, const char *list, const char *source)
{
    long *ids;
    size_t n_ids;
    if (!cli_parse_ids(CMD, list, &ids, &n_ids))
        return CLI_EXIT_USAGE;
    int missing = 0;
    for (size_t i = 0; i < n_ids; i++) {
        int found = 0;
        for (size_t j = 0; j < cat->count && !found; j++)
            found = cat->items[j].norad == ids[i];
        if (!found) {
            cli_message("%s: no element set for catalog number %ld", source, ids[i]);
            missing = 1;
        }
    }
    size_t kept = 0;
    for (size_t j = 0; j < cat->count; j++) {
        for (size_t i = 0; i < n_ids; i++) {
            if (cat->items[j].norad == ids[i]) {
                cat->items[kept++] = cat->items[j];
                break;
            }
        }
    }
    cat->count = kept;
    free(ids);
    return missing ? CLI_EXIT_DATA : CLI_EXIT_OK;
}

/* The latest element sets of the store's selection (and --sat). Returns an exit code. */
static int load_from_store(const propagate_args *a, apsco_catalog *cat)
{
    long *ids = NULL;
    size_t n_ids = 0;
    if (a->sat_list && !cli_parse_ids(CMD, a->sat_list, &ids, &n_ids))
        return CLI_EXIT_USAGE;
    int rc = cli_select_catalog(&a->sel, ids, n_ids, cat);
    free(ids);
    return rc;
}

int cli_propagate(int argc, char **argv)
{
    propagate_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    apsco_catalog cat = {0};
    apsco_eop eop = {0};
    if (a.catalog) {
        rc = cli_load_catalog(a.catalog, a.strict, &cat);
        if (rc == CLI_EXIT_OK && a.sat_list)
            rc = select_sats(&cat, a.sat_list, a.catalog);
    } else {
        rc = load_from_store(&a, &cat);
    }
    if (rc == CLI_EXIT_OK && a.eop_path) {
        apsco_error err;
        if (apsco_eop_load(a.eop_path, &eop, &err) != APSCO_OK) {
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        }
    }
    cli_output out;
    if (rc == CLI_EXIT_OK && !cli_output_open(&out, a.output))
        rc = CLI_EXIT_DATA;
    if (rc == CLI_EXIT_OK) {
        int first_row = 1;
        write_header(out.f, &a);
        for (size_t i = 0; i < cat.count; i++)
            propagate_one(out.f, &a, a.eop_path ? &eop : NULL, &cat.items[i], &first_row);
        if (a.json)
            fputs(first_row ? "]\n" : "\n]\n", out.f);
        if (!cli_output_close(&out, 1))
            rc = CLI_EXIT_DATA;
    }
    apsco_eop_free(&eop);
    apsco_catalog_free(&cat);
    return rc;
}
