/*
 * passes.c — `apsco passes`: every pass of the chosen satellites over the
 * chosen ground stations in a window, with visibility and Doppler, as CSV,
 * JSON or an iCalendar file.
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

#define CMD "passes"

static const char usage[] =
    "Usage: apsco passes (--catalog FILE | [--db PATH] [selection])\n"
    "           [--stations FILE | --station LAT,LON,ALT_M[,NAME]] --start UTC --end UTC\n"
    "           [--sat ID[,ID...]] [--min-el DEG] [--visible] [--sun-below DEG]\n"
    "           [--freq-mhz F] [--format csv|json|ics] [--threads N] [--eop FILE]\n"
    "           [--strict] [-o FILE]\n"
    "\n"
    "Finds every pass of the catalog's satellites (or those named by --sat) over each\n"
    "ground station between --start and --end: rise (AOS) and set (LOS) where the\n"
    "elevation crosses the station's minimum (or its horizon mask, where higher), and\n"
    "the highest point (TCA). Passes are sorted by AOS. A pass under way at --start or\n"
    "at --end is cut there (CSV: the time is the window's edge; JSON: aos_clipped,\n"
    "los_clipped). Without --stations or --station, the members' pooled network of the\n"
    "store is used.\n"
    "\n"
    "  -c, --catalog FILE     element sets: TLE/3LE or CCSDS OMM (KVN, XML, JSON, CSV); - for "
    "stdin\n"
    "      --stations FILE    station file: id,name,state,lat_deg,lon_deg,alt_m,min_el_deg[,mask]\n"
    "      --station L,L,A[,NAME]  one station: latitude, longitude (deg), height (m), name\n"
    "      --start UTC        window start, ISO-8601 (2026-03-19T00:00:00Z)\n"
    "      --end UTC          window end\n"
    "      --sat IDS          catalog numbers, comma-separated (integers or Alpha-5)\n"
    "      --min-el DEG       minimum elevation of every station (default: the file's, or 0)\n"
    "      --visible          only passes where the satellite is sunlit under a dark sky\n"
    "      --sun-below DEG    Sun elevation of a dark sky (default -6, civil dusk)\n"
    "      --freq-mhz F       carrier frequency: JSON gets the Doppler shift at AOS, TCA, LOS\n"
    "      --format F         csv (default), json, or ics (iCalendar)\n"
    "      --threads N        threads (default: all cores)\n"
    "      --eop FILE         IERS finals or CelesTrak EOP file: UT1 and polar motion\n"
    "      --strict           the first malformed record or checksum mismatch is fatal\n"
    "  -o, --output FILE      write to FILE (complete or not at all) instead of stdout\n"
    "  -h, --help             show this help\n"
    "\n"
    "CSV columns: " APSCO_PASS_CSV_HEADER "\n"
    "sunlit_fraction: time average of the visible solar disc (conical Earth shadow);\n"
    "visible: 1 when the satellite is sunlit at some instant while the Sun is below\n"
    "--sun-below at the station. Exit status: 0 ok, 1 data error, 2 usage.\n";

typedef struct passes_args {
    const char *catalog, *stations, *station, *sat_list, *eop_path, *output;
    cli_selection sel;
    apsco_time start, end;
    int have_start, have_end, have_min_el, visible_only, have_sun_below, strict, threads;
    double min_el_deg, sun_below_deg, freq_mhz;
    apsco_pass_format format;
} passes_args;

/* Checks what the options say together; returns -1 to go on, or an exit code. */
static int check_args(const passes_args *a)
{
    int rc = cli_select_check_source(CMD, a->catalog, &a->sel);
    if (rc >= 0)
        return rc;
    if (a->stations && a->station)
        return cli_usage_error(CMD, "give --stations FILE or --station, not both");
    /* Without a station, the store's pooled network: not with a catalog file. */
    if (!a->stations && !a->station && a->catalog)
        return cli_usage_error(CMD, "--stations FILE or --station LAT,LON,ALT_M is required");
    if (!a->have_start || !a->have_end)
        return cli_usage_error(CMD, "--start and --end are required");
    if (apsco_time_compare(a->end, a->start) < 0)
        return cli_usage_error(CMD, "--end is before --start");
    if (apsco_time_diff_s(a->end, a->start) > 366.0 * 86400.0)
        return cli_usage_error(CMD, "the window is longer than 366 days");
    if (a->have_min_el && !(a->min_el_deg >= -5.0 && a->min_el_deg <= 90.0))
        return cli_usage_error(CMD, "--min-el must be in [-5, 90] degrees (got %g)", a->min_el_deg);
    if (a->have_sun_below && !(a->sun_below_deg >= -90.0 && a->sun_below_deg <= 90.0))
        return cli_usage_error(CMD, "--sun-below must be in [-90, 90] degrees");
    return -1;
}

/* Parses the command line into `a`; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, passes_args *a)
{
    static const struct option longopts[] = {CLI_SELECT_LONG_OPTIONS,
                                             {"catalog", required_argument, NULL, 'c'},
                                             {"stations", required_argument, NULL, 'T'},
                                             {"station", required_argument, NULL, 't'},
                                             {"sat", required_argument, NULL, 's'},
                                             {"start", required_argument, NULL, 'S'},
                                             {"end", required_argument, NULL, 'E'},
                                             {"min-el", required_argument, NULL, 'm'},
                                             {"visible", no_argument, NULL, 'v'},
                                             {"sun-below", required_argument, NULL, 'b'},
                                             {"freq-mhz", required_argument, NULL, 'f'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"threads", required_argument, NULL, 'j'},
                                             {"eop", required_argument, NULL, 'e'},
                                             {"strict", no_argument, NULL, 'x'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"csv", "json", "ics",
                                          NULL}; /* in the order of apsco_pass_format */
    int c, choice;
    memset(a, 0, sizeof *a);
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:h", longopts, NULL)) != -1) {
        if (cli_select_option(&a->sel, c, optarg))
            continue;
        switch (c) {
        case 'c': a->catalog = optarg; break;
        case 'T': a->stations = optarg; break;
        case 't': a->station = optarg; break;
        case 's': a->sat_list = optarg; break;
        case 'e': a->eop_path = optarg; break;
        case 'o': a->output = optarg; break;
        case 'x': a->strict = 1; break;
        case 'v': a->visible_only = 1; break;
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
        case 'm':
            if (!cli_parse_number(CMD, "--min-el", optarg, &a->min_el_deg))
                return CLI_EXIT_USAGE;
            a->have_min_el = 1;
            break;
        case 'b':
            if (!cli_parse_number(CMD, "--sun-below", optarg, &a->sun_below_deg))
                return CLI_EXIT_USAGE;
            a->have_sun_below = 1;
            break;
        case 'f':
            if (!cli_parse_number(CMD, "--freq-mhz", optarg, &a->freq_mhz))
                return CLI_EXIT_USAGE;
            if (!(a->freq_mhz > 0.0))
                return cli_usage_error(CMD, "--freq-mhz must be positive");
            break;
        case 'j':
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &a->threads))
                return CLI_EXIT_USAGE;
            break;
        case 'F':
            if (!cli_parse_choice(CMD, "--format", optarg, formats, &choice))
                return CLI_EXIT_USAGE;
            a->format = (apsco_pass_format)choice;
            break;
        case 'h':
            return cli_select_print_help(usage, "Selection from the store (instead of --catalog):");
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return check_args(a);
}

/* The instant the calendar is made: $SOURCE_DATE_EPOCH when set (reproducible output), else now. */
static apsco_time calendar_stamp(void)
{
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    char *end;
    if (epoch && *epoch) {
        double s = strtod(epoch, &end);
        if (*end == '\0' && isfinite(s))
            return apsco_time_normalize(2440587.5, s / 86400.0);
    }
    return apsco_time_now();
}

/* Warns about satellites that could not be searched over the whole window. */
static void warn_sats(const apsco_pass_list *list, const apsco_catalog *cat)
{
    for (size_t i = 0; i < list->sat_count; i++) {
        const apsco_pass_sat_status *s = &list->sat_status[i];
        if (!s->code)
            continue;
        char iso[40];
        apsco_time_format_iso(apsco_pass_time(list, s->at_s), 0, iso, sizeof iso);
        cli_message("warning: %ld%s%s%s: SGP4 error %d (%s) at %s; passes searched up to then",
                    cat->items[i].norad, cat->items[i].name[0] ? " (" : "", cat->items[i].name,
                    cat->items[i].name[0] ? ")" : "", s->code, apsco_sgp4_code_message(s->code),
                    s->at_s > 0.0 ? iso : "the start");
    }
}

/* Drops the passes that are not visible. */
static void keep_visible(apsco_pass_list *list)
{
    size_t kept = 0;
    for (size_t i = 0; i < list->count; i++)
        if (list->items[i].visible)
            list->items[kept++] = list->items[i];
    list->count = kept;
}

/* Writes the passes in the format of --format; returns an exit code. */
static int write_passes(const passes_args *a, const apsco_pass_list *list, const apsco_catalog *cat,
                        const apsco_station_list *st)
{
    cli_pass_labels names;
    if (!cli_pass_labels_init(&names, cat, st))
        return CLI_EXIT_DATA;
    cli_output out;
    int ok = cli_output_open(&out, a->output);
    if (ok) {
        apsco_pass_export_options xo = {a->format, a->freq_mhz * 1e6, calendar_stamp()};
        apsco_error err;
        ok = apsco_export_passes(out.f, list, &names.labels, &xo, &err) == APSCO_OK;
        if (!ok)
            cli_print_error(&err);
        ok = cli_output_close(&out, ok) && ok;
    }
    cli_pass_labels_free(&names);
    return ok ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

/* Searches and writes; returns an exit code. */
static int run(const passes_args *a, const apsco_catalog *cat, const apsco_station_list *st,
               const apsco_eop *eop)
{
    apsco_pass_options opt = {0};
    opt.start = a->start;
    opt.end = a->end;
    opt.eop = eop;
    opt.threads = a->threads;
    opt.sun_below_set = a->have_sun_below;
    opt.sun_below_rad = a->sun_below_deg * (M_PI / 180.0);
    apsco_pass_list list = {0};
    int rc = cli_find_passes(cat, st, &opt, &list);
    if (rc == CLI_EXIT_OK) {
        warn_sats(&list, cat);
        if (a->visible_only)
            keep_visible(&list);
        rc = write_passes(a, &list, cat, st);
    }
    apsco_pass_list_free(&list);
    return rc;
}

int cli_passes(int argc, char **argv)
{
    passes_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    apsco_catalog cat = {0};
    apsco_station_list st = {0};
    apsco_eop eop = {0};
    rc = cli_load_sats(CMD, a.catalog, a.strict, &a.sel, a.sat_list, &cat);
    if (rc == CLI_EXIT_OK)
        rc = cli_load_stations(CMD, a.stations, a.station, &a.sel, &st);
    if (rc == CLI_EXIT_OK && a.have_min_el)
        for (size_t i = 0; i < st.count; i++)
            st.items[i].min_el_rad = a.min_el_deg * (M_PI / 180.0);
    if (rc == CLI_EXIT_OK && a.eop_path) {
        apsco_error err;
        if (apsco_eop_load(a.eop_path, &eop, &err) != APSCO_OK) {
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        }
    }
    if (rc == CLI_EXIT_OK)
        rc = run(&a, &cat, &st, a.eop_path ? &eop : NULL);
    apsco_eop_free(&eop);
    apsco_station_list_free(&st);
    apsco_catalog_free(&cat);
    return rc;
}
