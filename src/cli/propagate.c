/*
 * propagate.c — `apsco propagate`: states of catalog satellites over a time
 * grid, in TEME, ITRF or geodetic coordinates, as CSV, JSON or a NumPy .npy
 * array. The batch engine (apsco/fleet.h) does the propagation, a chunk of
 * satellites at a time so that memory stays bounded whatever the grid.
 */
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/export.h"
#include "apsco/fleet.h"
#include "apsco/frames.h"
#include "apsco/orbit.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "propagate"

static const char usage[] =
    "Usage: apsco propagate (--catalog FILE | [--db PATH] [selection]) [--sat ID[,ID...]]\n"
    "           (--start UTC --end UTC --step SECONDS | --tsince START:STOP:STEP_MIN)\n"
    "           [--frame teme|itrf|geodetic] [--format csv|json|npy]\n"
    "           [--opsmode improved|afspc] [--gravity wgs72|wgs84] [--eop FILE] [--threads N]\n"
    "           [--strict] [-o FILE]\n"
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
    "      --format F       csv (default), json, or npy (needs -o FILE; teme or itrf)\n"
    "      --opsmode M      improved (default) or afspc\n"
    "      --gravity G      wgs72 (default) or wgs84\n"
    "      --eop FILE       IERS finals or CelesTrak EOP file: polar motion and UT1 for "
    "itrf/geodetic\n"
    "      --threads N      threads of the propagation (default: all cores)\n"
    "      --strict         the first malformed record or checksum mismatch is fatal\n"
    "  -o, --output FILE    write to FILE (complete or not at all) instead of stdout\n"
    "  -h, --help           show this help\n"
    "\n"
    "CSV columns: norad,name,time_utc[,tsince_min],x_km,y_km,z_km,vx_km_s,vy_km_s,vz_km_s\n"
    "(teme/itrf) or norad,name,time_utc[,tsince_min],lat_deg,lon_deg,alt_km (geodetic).\n"
    "A satellite that meets an SGP4 error produces no rows from that instant on; a\n"
    "warning names it, the time and the error. Exit status: 0 ok, 1 data error, 2 usage.\n"
    "\n"
    "npy: FILE holds a float64 array of shape (satellites, instants, 6): x, y, z in km and\n"
    "vx, vy, vz in km/s, in the frame asked for; instant k is start + k * step (with\n"
    "--tsince: the satellite's epoch + START + k * STEP_MIN). Satellites come in catalog\n"
    "order; from a satellite's first SGP4 error on, its states are NaN. FILE.sats.csv\n"
    "lists them: index,norad,name,epoch_utc,sgp4_error,first_error_instant (0 and -1\n"
    "when none).\n";

typedef enum { FRAME_TEME, FRAME_ITRF, FRAME_GEODETIC } frame_kind;

typedef struct propagate_args {
    const char *catalog, *sat_list, *eop_path, *output;
    cli_selection sel; /* --db and the store selection, when there is no --catalog */
    apsco_time start, end;
    double step_s;
    int have_start, have_end, have_step, have_tsince;
    double tsince_from, tsince_to, tsince_step;
    frame_kind frame;
    int json, npy, strict, threads;
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
                                             {"threads", required_argument, NULL, 'T'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const frames[] = {"teme", "itrf", "geodetic", NULL};
    static const char *const formats[] = {"csv", "json", "npy", NULL};
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
            if (!cli_parse_choice(CMD, "--frame", optarg, frames, &choice))
                return CLI_EXIT_USAGE;
            a->frame = (frame_kind)choice;
            break;
        case 'F':
            if (!cli_parse_choice(CMD, "--format", optarg, formats, &choice))
                return CLI_EXIT_USAGE;
            a->json = choice == 1;
            a->npy = choice == 2;
            break;
        case 'T':
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &a->threads))
                return CLI_EXIT_USAGE;
            break;
        case 'm':
            if (!cli_parse_choice(CMD, "--opsmode", optarg, opsmodes, &choice))
                return CLI_EXIT_USAGE;
            a->opsmode = choice == 1 ? APSCO_OPSMODE_AFSPC : APSCO_OPSMODE_IMPROVED;
            break;
        case 'g':
            if (!cli_parse_choice(CMD, "--gravity", optarg, gravities, &choice))
                return CLI_EXIT_USAGE;
            a->gravity = choice == 1 ? APSCO_WGS84 : APSCO_WGS72;
            break;
        case 'h':
            return cli_select_print_help(usage, "Selection from the store (instead of --catalog):");
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    int rc = cli_select_check_source(CMD, a->catalog, &a->sel);
    if (rc >= 0)
        return rc;
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
    if (a->npy && (!a->output || !strcmp(a->output, "-")))
        return cli_usage_error(CMD, "--format npy needs -o FILE");
    if (a->npy && a->frame == FRAME_GEODETIC)
        return cli_usage_error(CMD, "--format npy holds states: use --frame teme or itrf");
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

/*
 * One run of the command: the catalog and its initialised records, the
 * grid, and what the output has received so far. The engine is asked for
 * ITRF directly when the instants are absolute; with --tsince they differ
 * from satellite to satellite and the rows are rotated one by one.
 */
typedef struct run {
    const propagate_args *a;
    const apsco_eop *eop;
    const apsco_catalog *cat;
    apsco_sat *sats;
    apsco_times times;
    size_t instants;
    int engine_itrf;
    FILE *out, *sidecar;
    int first_row;
    /* Per satellite of the current chunk: instant of the first SGP4 error (-1: none) and its code.
     */
    long *first_error;
    int *error_code;
    size_t chunk_first;
    double *row; /* npy: one block of one satellite's states */
    int write_failed;
} run;

/* Converts a state from the engine into the output frame and units. */
static void to_output_frame(const run *r, apsco_time t, const double state[6], double values[6])
{
    const propagate_args *a = r->a;
    memcpy(values, state, 6 * sizeof *values);
    if (a->frame == FRAME_TEME || r->engine_itrf) {
        if (a->frame != FRAME_GEODETIC)
            return;
    } else {
        apsco_teme_to_itrf(t, r->eop, state, state + 3, values, values + 3);
        if (a->frame == FRAME_ITRF)
            return;
    }
    apsco_geodetic g;
    apsco_itrf_to_geodetic(values, &g);
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

/* Instant k of a satellite and its minutes from epoch, as the rows print them. */
static void instant_of(const run *r, const apsco_sat *sat, size_t k, apsco_time *t,
                       double *tsince_min)
{
    const propagate_args *a = r->a;
    if (a->have_tsince) {
        *tsince_min = a->tsince_from + (double)k * a->tsince_step;
        *t = apsco_time_add_min(sat->epoch, *tsince_min);
    } else {
        *t = apsco_time_add_s(a->start, (double)k * a->step_s);
        *tsince_min = apsco_sat_tsince_min(sat, *t);
    }
}

/*
 * Initialises every element set. A refused one is reported here and keeps
 * an error code, so that the engine reports it at every instant.
 */
static int init_sats(run *r)
{
    const apsco_catalog *cat = r->cat;
    r->sats = calloc(cat->count ? cat->count : 1, sizeof *r->sats);
    if (!r->sats)
        return 0;
    for (size_t i = 0; i < cat->count; i++) {
        apsco_sat *sat = &r->sats[i];
        apsco_error err;
        if (apsco_sat_init(sat, &cat->items[i], r->a->gravity, r->a->opsmode, &err) == APSCO_OK)
            continue;
        if (sat->init_error == 0)
            sat->init_error = APSCO_SGP4_MEAN_MOTION; /* what apsco_sgp4 says of a zeroed record */
        warn_sgp4(&cat->items[i], sat->init_error, cat->items[i].epoch, 0.0);
    }
    return 1;
}

/* Rows of block instants [first, first + count) of chunk satellite j, until its first error. */
static void emit_text(run *r, size_t j, const apsco_fleet_block *b)
{
    size_t i = r->chunk_first + j;
    const apsco_sat *sat = &r->sats[i];
    const apsco_elset *e = &r->cat->items[i];
    const apsco_fleet_buffer *buf = b->buf;
    for (size_t k = 0; k < b->instants && r->first_error[j] < 0; k++) {
        int code = buf->code[(ptrdiff_t)j * buf->code_sat_stride + (ptrdiff_t)k];
        apsco_time t;
        double tsince, values[6];
        instant_of(r, sat, b->first_instant + k, &t, &tsince);
        if (code != APSCO_SGP4_OK) {
            r->first_error[j] = (long)(b->first_instant + k);
            r->error_code[j] = code;
            if (sat->init_error == 0)
                warn_sgp4(e, code, t, tsince);
            break;
        }
        to_output_frame(r, t, buf->state + (ptrdiff_t)j * buf->sat_stride + (ptrdiff_t)k * 6,
                        values);
        write_row(r->out, r->a, e, t, tsince, values, &r->first_row);
    }
}

/* The same block as .npy data: states until the first error, NaN from there on. */
static void emit_npy(run *r, size_t j, const apsco_fleet_block *b)
{
    size_t i = r->chunk_first + j;
    const apsco_sat *sat = &r->sats[i];
    const apsco_fleet_buffer *buf = b->buf;
    for (size_t k = 0; k < b->instants; k++) {
        int code = buf->code[(ptrdiff_t)j * buf->code_sat_stride + (ptrdiff_t)k];
        apsco_time t;
        double tsince;
        instant_of(r, sat, b->first_instant + k, &t, &tsince);
        if (code != APSCO_SGP4_OK && r->first_error[j] < 0) {
            r->first_error[j] = (long)(b->first_instant + k);
            r->error_code[j] = code;
            if (sat->init_error == 0)
                warn_sgp4(&r->cat->items[i], code, t, tsince);
        }
        double *values = r->row + 6 * k;
        if (r->first_error[j] >= 0) {
            for (int c = 0; c < 6; c++)
                values[c] = NAN;
            continue;
        }
        to_output_frame(r, t, buf->state + (ptrdiff_t)j * buf->sat_stride + (ptrdiff_t)k * 6,
                        values);
    }
    if (fwrite(r->row, 6 * sizeof *r->row, b->instants, r->out) != b->instants)
        r->write_failed = 1;
}

static int emit_block(void *ctx, const apsco_fleet_block *b)
{
    run *r = ctx;
    for (size_t j = 0; j < b->satellites; j++) {
        if (r->a->npy)
            emit_npy(r, j, b);
        else
            emit_text(r, j, b);
    }
    return r->write_failed;
}

/* The sidecar line of satellite i of the catalog (npy output). */
static void write_sidecar_row(const run *r, size_t i, long first_error, int code)
{
    const apsco_elset *e = &r->cat->items[i];
    char iso[40];
    apsco_time_format_iso(e->epoch, 6, iso, sizeof iso);
    fprintf(r->sidecar, "%zu,%ld,", i, e->norad);
    apsco_export_csv_field(r->sidecar, e->name);
    fprintf(r->sidecar, ",%s,%d,%ld\n", iso, code, first_error);
}

/* Bytes of output per satellite and instant that one chunk may hold: 64 MiB in all. */
#define CHUNK_BYTES ((size_t)64 << 20)

/*
 * Propagates the catalog a chunk of satellites at a time (all instants of a
 * chunk in one block), or, when one satellite's grid alone is larger than
 * a chunk, one satellite at a time in blocks of instants. Returns an exit
 * code.
 */
static int propagate_all(run *r)
{
    const size_t per_state = 6 * sizeof(double) + 1;
    size_t n = r->cat->count, m = r->instants;
    size_t chunk = CHUNK_BYTES / (per_state * (m ? m : 1));
    size_t block = m;
    if (chunk == 0) {
        chunk = 1;
        block = CHUNK_BYTES / per_state;
    }
    if (chunk > n)
        chunk = n ? n : 1;
    r->first_error = malloc(chunk * sizeof *r->first_error);
    r->error_code = malloc(chunk * sizeof *r->error_code);
    r->row = malloc((block ? block : 1) * 6 * sizeof *r->row);
    if (!r->first_error || !r->error_code || !r->row) {
        cli_message("out of memory");
        return CLI_EXIT_DATA;
    }
    apsco_fleet_options opt = {r->a->threads, r->engine_itrf ? APSCO_FLEET_ITRF : APSCO_FLEET_TEME,
                               r->eop, APSCO_KERNEL_AUTO};
    for (size_t first = 0; first < n; first += chunk) {
        size_t count = n - first < chunk ? n - first : chunk;
        apsco_fleet *fleet;
        apsco_error err;
        if (apsco_fleet_new(&fleet, r->sats + first, count, &err) != APSCO_OK) {
            cli_print_error(&err);
            return CLI_EXIT_DATA;
        }
        r->chunk_first = first;
        for (size_t j = 0; j < count; j++) {
            r->first_error[j] = -1;
            r->error_code[j] = 0;
        }
        apsco_status st = apsco_fleet_stream(fleet, &r->times, &opt, APSCO_LAYOUT_SAT_MAJOR, block,
                                             emit_block, r, &err);
        apsco_fleet_free(fleet);
        if (st != APSCO_OK) {
            if (r->write_failed)
                cli_message("%s: write error", r->a->output ? r->a->output : "stdout");
            else
                cli_print_error(&err);
            return CLI_EXIT_DATA;
        }
        for (size_t j = 0; r->sidecar && j < count; j++)
            write_sidecar_row(r, first + j, r->first_error[j], r->error_code[j]);
    }
    return CLI_EXIT_OK;
}

/* Opens the sidecar of an .npy output, FILE.sats.csv, published with it. */
static int open_sidecar(cli_output *side, const char *npy_path)
{
    char path[4096];
    if (snprintf(path, sizeof path, "%s.sats.csv", npy_path) >= (int)sizeof path) {
        cli_message("%s: name too long", npy_path);
        return 0;
    }
    if (!cli_output_open(side, path))
        return 0;
    fputs("index,norad,name,epoch_utc,sgp4_error,first_error_instant\n", side->f);
    return 1;
}

/* Writes the header, every satellite's rows and the closing of the output. */
static int write_output(run *r)
{
    const propagate_args *a = r->a;
    if (a->npy) {
        size_t shape[3] = {r->cat->count, r->instants, 6};
        if (apsco_export_npy_header(r->out, shape, 3) != 0) {
            cli_message("%s: cannot write the .npy header", a->output);
            return CLI_EXIT_DATA;
        }
    } else {
        write_header(r->out, a);
    }
    int rc = propagate_all(r);
    if (rc == CLI_EXIT_OK && a->json)
        fputs(r->first_row ? "]\n" : "\n]\n", r->out);
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
    rc = cli_load_sats(CMD, a.catalog, a.strict, &a.sel, a.sat_list, &cat);
    if (rc == CLI_EXIT_OK && a.eop_path) {
        apsco_error err;
        if (apsco_eop_load(a.eop_path, &eop, &err) != APSCO_OK) {
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        }
    }
    run r = {0};
    r.a = &a;
    r.eop = a.eop_path ? &eop : NULL;
    r.cat = &cat;
    r.first_row = 1;
    r.engine_itrf = a.frame != FRAME_TEME && !a.have_tsince;
    r.instants =
        (size_t)(a.have_tsince ? grid_count(a.tsince_from, a.tsince_to, a.tsince_step)
                               : grid_count(0.0, apsco_time_diff_s(a.end, a.start), a.step_s));
    r.times = a.have_tsince ? apsco_times_tsince(a.tsince_from, a.tsince_step, r.instants)
                            : apsco_times_grid(a.start, a.step_s, r.instants);
    if (rc == CLI_EXIT_OK && !init_sats(&r)) {
        cli_message("out of memory");
        rc = CLI_EXIT_DATA;
    }
    cli_output out, side;
    int have_out = 0, have_side = 0;
    if (rc == CLI_EXIT_OK && !(have_out = cli_output_open(&out, a.output)))
        rc = CLI_EXIT_DATA;
    if (rc == CLI_EXIT_OK && a.npy && !(have_side = open_sidecar(&side, a.output)))
        rc = CLI_EXIT_DATA;
    if (rc == CLI_EXIT_OK) {
        r.out = out.f;
        r.sidecar = have_side ? side.f : NULL;
        rc = write_output(&r);
    }
    /* The sidecar is published after its array, and only with it. */
    if (have_out && !cli_output_close(&out, rc == CLI_EXIT_OK))
        rc = CLI_EXIT_DATA;
    if (have_side && !cli_output_close(&side, rc == CLI_EXIT_OK))
        rc = CLI_EXIT_DATA;
    free(r.first_error);
    free(r.error_code);
    free(r.row);
    free(r.sats);
    apsco_eop_free(&eop);
    apsco_catalog_free(&cat);
    return rc;
}
