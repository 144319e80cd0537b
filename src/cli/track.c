/*
 * track.c — `apsco track`: the look angles of one satellite from one
 * ground station at a fixed step (azimuth, elevation, range, range rate,
 * Doppler), for pointing an antenna.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/export.h"
#include "apsco/orbit.h"
#include "apsco/passes.h"
#include "apsco/stations.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "track"
#define DEG (180.0 / M_PI)

static const char usage[] =
    "Usage: apsco track (--catalog FILE | [--db PATH]) --sat ID\n"
    "           (--station LAT,LON,ALT_M[,NAME] | --stations FILE [--station-id ID])\n"
    "           --start UTC --end UTC --step SECONDS [--freq-mhz F] [--above]\n"
    "           [--format csv|json] [--eop FILE] [-o FILE]\n"
    "\n"
    "Look angles of one satellite from one ground station, one row per step, computed\n"
    "with SGP4 at every instant (no interpolation).\n"
    "\n"
    "  -c, --catalog FILE     element sets: TLE/3LE or CCSDS OMM; - for stdin\n"
    "      --db PATH          take the satellite's latest element set from the store\n"
    "      --sat ID           the satellite's catalog number (integer or Alpha-5)\n"
    "      --station L,L,A[,NAME]  the station: latitude, longitude (deg), height (m), name\n"
    "      --stations FILE    a station file; --station-id picks one (needed when it has several)\n"
    "      --start UTC        first instant, ISO-8601\n"
    "      --end UTC          last instant (included when it falls on the grid)\n"
    "      --step SECONDS     time step, > 0\n"
    "      --freq-mhz F       carrier frequency: adds the Doppler shift, −f·ṙ/c (Hz)\n"
    "      --above            only instants above the station's minimum elevation and mask\n"
    "      --format F         csv (default) or json\n"
    "      --eop FILE         IERS finals or CelesTrak EOP file: UT1 and polar motion\n"
    "  -o, --output FILE      write to FILE instead of stdout\n"
    "  -h, --help             show this help\n"
    "\n"
    "CSV columns: time_utc,az_deg,el_deg,range_km,range_rate_km_s[,doppler_hz]\n"
    "Exit status: 0 ok, 1 data error, 2 usage.\n";

typedef struct track_args {
    const char *catalog, *db, *sat, *station, *stations, *station_id, *eop_path, *output;
    apsco_time start, end;
    double step_s, freq_mhz;
    int have_start, have_end, have_step, json, above;
} track_args;

static int check_args(const track_args *a)
{
    if (a->catalog && a->db)
        return cli_usage_error(CMD, "give --catalog FILE or --db PATH, not both");
    if (!a->catalog && !a->db)
        return cli_usage_error(CMD, "--catalog FILE (or --db PATH) is required");
    if (!a->sat)
        return cli_usage_error(CMD, "--sat ID is required");
    if (!!a->station + !!a->stations != 1)
        return cli_usage_error(CMD, "give one of --station LAT,LON,ALT_M or --stations FILE");
    if (a->station_id && !a->stations)
        return cli_usage_error(CMD, "--station-id goes with --stations FILE");
    if (!a->have_start || !a->have_end || !a->have_step)
        return cli_usage_error(CMD, "--start, --end and --step are required");
    if (!(a->step_s > 0.0))
        return cli_usage_error(CMD, "--step must be positive (got %g)", a->step_s);
    if (apsco_time_compare(a->end, a->start) < 0)
        return cli_usage_error(CMD, "--end is before --start");
    if (apsco_time_diff_s(a->end, a->start) / a->step_s > 1e8)
        return cli_usage_error(CMD, "more than 1e8 steps: use a larger --step");
    return -1;
}

static int parse_args(int argc, char **argv, track_args *a)
{
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'},  {"db", required_argument, NULL, 'd'},
        {"sat", required_argument, NULL, 's'},      {"station", required_argument, NULL, 't'},
        {"stations", required_argument, NULL, 'T'}, {"station-id", required_argument, NULL, 'i'},
        {"start", required_argument, NULL, 'S'},    {"end", required_argument, NULL, 'E'},
        {"step", required_argument, NULL, 'p'},     {"freq-mhz", required_argument, NULL, 'f'},
        {"above", no_argument, NULL, 'a'},          {"format", required_argument, NULL, 'F'},
        {"eop", required_argument, NULL, 'e'},      {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},           {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"csv", "json", NULL};
    int c, choice;
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->catalog = optarg; break;
        case 'd': a->db = optarg; break;
        case 's': a->sat = optarg; break;
        case 't': a->station = optarg; break;
        case 'T': a->stations = optarg; break;
        case 'i': a->station_id = optarg; break;
        case 'e': a->eop_path = optarg; break;
        case 'o': a->output = optarg; break;
        case 'a': a->above = 1; break;
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
        case 'f':
            if (!cli_parse_number(CMD, "--freq-mhz", optarg, &a->freq_mhz))
                return CLI_EXIT_USAGE;
            if (!(a->freq_mhz > 0.0))
                return cli_usage_error(CMD, "--freq-mhz must be positive");
            break;
        case 'F':
            if (!cli_parse_choice(CMD, "--format", optarg, formats, &choice))
                return CLI_EXIT_USAGE;
            a->json = choice == 1;
            break;
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return check_args(a);
}

/* The one element set of --sat; returns an exit code. */
static int load_sat(const track_args *a, apsco_elset *out)
{
    long norad;
    if (apsco_norad_parse(a->sat, &norad) != APSCO_OK)
        return cli_usage_error(CMD, "--sat: '%s' is not a catalog number", a->sat);
    apsco_catalog cat = {0};
    int rc;
    if (a->catalog) {
        rc = cli_load_catalog(a->catalog, 0, &cat);
    } else {
        cli_selection sel = {0};
        sel.db = a->db;
        rc = cli_select_catalog(&sel, &norad, 1, &cat);
    }
    int found = 0;
    for (size_t i = 0; rc == CLI_EXIT_OK && i < cat.count && !found; i++) {
        if (cat.items[i].norad == norad) {
            *out = cat.items[i];
            found = 1;
        }
    }
    if (rc == CLI_EXIT_OK && !found) {
        cli_message("%s: no element set for catalog number %ld", a->catalog ? a->catalog : "store",
                    norad);
        rc = CLI_EXIT_DATA;
    }
    apsco_catalog_free(&cat);
    return rc;
}

/* The one station; returns an exit code. */
static int load_station(const track_args *a, apsco_station *out)
{
    if (a->station)
        return cli_parse_station(CMD, "--station", a->station, 0.0, out) ? CLI_EXIT_OK
                                                                         : CLI_EXIT_USAGE;
    apsco_station_list list = {0};
    int rc = cli_load_stations(CMD, a->stations, NULL, NULL, &list);
    if (rc == CLI_EXIT_OK) {
        long i = a->station_id ? apsco_station_list_find(&list, a->station_id) : 0;
        if (i < 0) {
            cli_message("%s: no station '%s'", a->stations, a->station_id);
            rc = CLI_EXIT_DATA;
        } else if (!a->station_id && list.count > 1) {
            rc = cli_usage_error(CMD, "%s holds %zu stations: choose one with --station-id",
                                 a->stations, list.count);
        } else {
            *out = list.items[i];
        }
    }
    apsco_station_list_free(&list);
    return rc;
}

static void write_row(FILE *out, const track_args *a, apsco_time t, const apsco_look *l, int *first)
{
    char iso[40];
    apsco_time_format_iso(t, 3, iso, sizeof iso);
    double doppler = apsco_doppler_shift_hz(a->freq_mhz * 1e6, l->range_rate_km_s);
    if (a->json) {
        fprintf(out,
                "%s{\"time_utc\":\"%s\",\"az_deg\":%.4f,\"el_deg\":%.4f,\"range_km\":%.4f,"
                "\"range_rate_km_s\":%.6f",
                *first ? "\n" : ",\n", iso, l->az_rad * DEG, l->el_rad * DEG, l->range_km,
                l->range_rate_km_s);
        if (a->freq_mhz > 0.0)
            fprintf(out, ",\"doppler_hz\":%.1f", doppler);
        fputc('}', out);
    } else {
        fprintf(out, "%s,%.4f,%.4f,%.4f,%.6f", iso, l->az_rad * DEG, l->el_rad * DEG, l->range_km,
                l->range_rate_km_s);
        if (a->freq_mhz > 0.0)
            fprintf(out, ",%.1f", doppler);
        fputc('\n', out);
    }
    *first = 0;
}

/* Writes the rows; returns an exit code. */
static int run(const track_args *a, const apsco_elset *e, const apsco_station *st,
               const apsco_eop *eop, FILE *out)
{
    apsco_sat sat;
    apsco_error err;
    if (apsco_sat_init(&sat, e, APSCO_WGS72, APSCO_OPSMODE_IMPROVED, &err) != APSCO_OK) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    apsco_pass_site site;
    apsco_pass_site_from_station(&site, st);
    if (a->json)
        fputc('[', out);
    else
        fprintf(out, "time_utc,az_deg,el_deg,range_km,range_rate_km_s%s\n",
                a->freq_mhz > 0.0 ? ",doppler_hz" : "");
    int first = 1;
    long n = (long)floor(apsco_time_diff_s(a->end, a->start) / a->step_s + 1e-9) + 1;
    for (long k = 0; k < n; k++) {
        apsco_time t = apsco_time_add_s(a->start, (double)k * a->step_s);
        apsco_look l;
        int code = apsco_pass_look(&sat, &site.obs, t, eop, &l);
        if (code != APSCO_SGP4_OK) {
            char iso[40];
            apsco_time_format_iso(t, 3, iso, sizeof iso);
            cli_message("warning: %ld: SGP4 error %d (%s) at %s; no further rows", e->norad, code,
                        apsco_sgp4_code_message(code), iso);
            break;
        }
        if (!a->above || l.el_rad > apsco_pass_site_threshold(&site, l.az_rad))
            write_row(out, a, t, &l, &first);
    }
    if (a->json)
        fputs(first ? "]\n" : "\n]\n", out);
    return CLI_EXIT_OK;
}

int cli_track(int argc, char **argv)
{
    track_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    apsco_elset e;
    apsco_station st;
    apsco_eop eop = {0};
    rc = load_sat(&a, &e);
    if (rc == CLI_EXIT_OK)
        rc = load_station(&a, &st);
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
        rc = run(&a, &e, &st, a.eop_path ? &eop : NULL, out.f);
        if (!cli_output_close(&out, rc == CLI_EXIT_OK) && rc == CLI_EXIT_OK)
            rc = CLI_EXIT_DATA;
    }
    apsco_eop_free(&eop);
    return rc;
}
