/*
 * screen.c — `apsco screen`: close approaches of primaries with every other
 * catalog object, or of every pair of the catalog, as CSV, JSON or one
 * CCSDS CDM per approach.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <omp.h>

#include "apsco/elements.h"
#include "apsco/export.h"
#include "apsco/orbit.h"
#include "apsco/screen.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "screen"

static const char usage[] =
    "Usage: apsco screen (--catalog FILE | [--db PATH]) (--primary ID[,ID...] | --primaries FILE\n"
    "           | --all | [registry selection]) --start UTC --end UTC [--threshold-km KM]\n"
    "           [--hbr-m M] [--format csv|json|cdm] [-o FILE_OR_DIR] [--threads N] [--strict]\n"
    "           [--grid-step S] [--samples N]\n"
    "\n"
    "Finds every close approach (each local minimum of the range below the threshold, TCA\n"
    "within the span) of the primaries with every other object of the catalog, or of every\n"
    "pair with --all, using SGP4/SDP4. Without --catalog the catalog is every object of the\n"
    "store (latest element set each). The primaries can also be the store's registry\n"
    "satellites chosen by --state, --status, --agency, --class, --project (see below).\n"
    "\n"
    "  -c, --catalog FILE     element sets: TLE/3LE or CCSDS OMM; - for stdin\n"
    "      --primary IDS      primaries: catalog numbers, comma-separated (integers or Alpha-5)\n"
    "      --primaries FILE   primaries: a file of catalog numbers, one per line, # comments\n"
    "      --all              screen every pair of the catalog\n"
    "      --start UTC        start of the span, ISO-8601\n"
    "      --end UTC          end of the span, after the start\n"
    "      --threshold-km KM  report approaches closer than KM (default 5), > 0\n"
    "      --hbr-m M          combined hard-body radius for max_pc (default 10), > 0\n"
    "      --format F         csv (default), json, or cdm (one CCSDS 508.0 KVN file per approach\n"
    "                         into the directory given by -o)\n"
    "  -o, --output PATH      file (csv, json; complete or not at all) or directory (cdm)\n"
    "      --threads N        threads (default: all cores)\n"
    "      --strict           the first malformed record or checksum mismatch is fatal\n"
    "      --grid-step S      SGP4 grid step, 1-600 s (default: chosen by mode); tuning only,\n"
    "                         every step size gives the same approaches\n"
    "      --samples N        sieve samples per grid step, 1-600 (default: chosen by mode)\n"
    "      --stats            print what each filter let through and each stage's time to stderr\n"
    "  -h, --help             show this help\n"
    "\n"
    "CSV columns: primary,primary_name,secondary,secondary_name,tca_utc,miss_km,\n"
    "rel_speed_km_s,radial_km,intrack_km,crosstrack_km,max_pc, sorted by miss distance. RIC\n"
    "components are those of the secondary's position in the primary's radial / in-track /\n"
    "cross-track frame at TCA. max_pc is the largest collision probability over all sizes of\n"
    "an isotropic covariance (Alfano 2005). A progress bar goes to stderr when it is a\n"
    "terminal. Exit status: 0 ok, 1 data error, 2 usage.\n";

typedef enum { FMT_CSV, FMT_JSON, FMT_CDM } out_format;

typedef struct screen_args {
    const char *catalog, *primary_list, *primaries_file, *output;
    cli_selection sel;
    int all, strict, threads, stats;
    apsco_time start, end;
    int have_start, have_end;
    double threshold_km, hbr_m, grid_step_s;
    int samples;
    out_format format;
} screen_args;

/* The checks that need every option; returns -1 to go on, or an exit code. */
static int check_args(screen_args *a)
{
    if (!(a->threshold_km > 0))
        return cli_usage_error(CMD, "--threshold-km must be positive (got %g)", a->threshold_km);
    if (!(a->hbr_m > 0))
        return cli_usage_error(CMD, "--hbr-m must be positive (got %g)", a->hbr_m);
    if (!a->have_start || !a->have_end)
        return cli_usage_error(CMD, "--start and --end are required");
    if (apsco_time_compare(a->end, a->start) <= 0)
        return cli_usage_error(CMD, "--end must be after --start");
    int modes = (a->primary_list != NULL) + (a->primaries_file != NULL) + a->all +
                cli_select_filters(&a->sel);
    if (modes == 0)
        return cli_usage_error(CMD, "give the primaries (--primary, --primaries, or a registry "
                                    "selection such as --status member) or --all");
    if (modes > 1)
        return cli_usage_error(CMD, "give only one of --primary, --primaries, --all and a "
                                    "registry selection");
    if (a->format == FMT_CDM && (!a->output || !strcmp(a->output, "-")))
        return cli_usage_error(CMD, "--format cdm needs -o DIRECTORY");
    return -1;
}

static int parse_args(int argc, char **argv, screen_args *a)
{
    static const struct option longopts[] = {CLI_SELECT_LONG_OPTIONS,
                                             {"catalog", required_argument, NULL, 'c'},
                                             {"primary", required_argument, NULL, 'p'},
                                             {"primaries", required_argument, NULL, 'P'},
                                             {"all", no_argument, NULL, 'a'},
                                             {"start", required_argument, NULL, 'S'},
                                             {"end", required_argument, NULL, 'E'},
                                             {"threshold-km", required_argument, NULL, 't'},
                                             {"hbr-m", required_argument, NULL, 'r'},
                                             {"format", required_argument, NULL, 'F'},
                                             {"output", required_argument, NULL, 'o'},
                                             {"threads", required_argument, NULL, 'j'},
                                             {"strict", no_argument, NULL, 'x'},
                                             {"stats", no_argument, NULL, 's'},
                                             {"grid-step", required_argument, NULL, 'g'},
                                             {"samples", required_argument, NULL, 'n'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    static const char *const formats[] = {"csv", "json", "cdm",
                                          NULL}; /* in the order of out_format */
    int c, choice;
    memset(a, 0, sizeof *a);
    a->threshold_km = 5.0;
    a->hbr_m = 10.0;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:o:h", longopts, NULL)) != -1) {
        if (cli_select_option(&a->sel, c, optarg))
            continue;
        switch (c) {
        case 'c': a->catalog = optarg; break;
        case 'p': a->primary_list = optarg; break;
        case 'P': a->primaries_file = optarg; break;
        case 'a': a->all = 1; break;
        case 'o': a->output = optarg; break;
        case 'x': a->strict = 1; break;
        case 's': a->stats = 1; break;
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
        case 't':
            if (!cli_parse_number(CMD, "--threshold-km", optarg, &a->threshold_km))
                return CLI_EXIT_USAGE;
            break;
        case 'r':
            if (!cli_parse_number(CMD, "--hbr-m", optarg, &a->hbr_m))
                return CLI_EXIT_USAGE;
            break;
        case 'j':
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &a->threads))
                return CLI_EXIT_USAGE;
            break;
        case 'g':
            if (!cli_parse_number(CMD, "--grid-step", optarg, &a->grid_step_s))
                return CLI_EXIT_USAGE;
            if (!(a->grid_step_s >= 1 && a->grid_step_s <= 600))
                return cli_usage_error(CMD, "--grid-step must be between 1 and 600 s");
            break;
        case 'n':
            if (!cli_parse_count(CMD, "--samples", optarg, 1, 600, &a->samples))
                return CLI_EXIT_USAGE;
            break;
        case 'F':
            if (!cli_parse_choice(CMD, "--format", optarg, formats, &choice))
                return CLI_EXIT_USAGE;
            a->format = (out_format)choice;
            break;
        case 'h':
            return cli_select_print_help(usage,
                                         "Selection of primaries from the store's registry:");
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    return check_args(a);
}

/* ---- Primaries ------------------------------------------------------------- */

/* Reads a file of catalog numbers (one per line, # comments, blank lines). */
static int read_primaries_file(const char *path, long **ids, size_t *count)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
    if (!f) {
        cli_message("%s: %s", path, strerror(errno));
        return CLI_EXIT_DATA;
    }
    char line[256];
    long lineno = 0;
    size_t n = 0, cap = 0;
    long *out = NULL;
    int rc = CLI_EXIT_OK;
    while (rc == CLI_EXIT_OK && fgets(line, sizeof line, f)) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = line, *e;
        while (*s == ' ' || *s == '\t')
            s++;
        e = s + strlen(s);
        while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
            *--e = '\0';
        if (!*s)
            continue;
        long id;
        if (apsco_norad_parse(s, &id) != APSCO_OK) {
            cli_message("%s:%ld: '%s' is not a catalog number", path, lineno, s);
            rc = CLI_EXIT_DATA;
            break;
        }
        if (n == cap) {
            cap = cap ? 2 * cap : 16;
            long *grown = realloc(out, cap * sizeof *grown);
            if (!grown) {
                cli_message("out of memory");
                rc = CLI_EXIT_DATA;
                break;
            }
            out = grown;
        }
        out[n++] = id;
    }
    if (f != stdin)
        fclose(f);
    if (rc == CLI_EXIT_OK && n == 0) {
        cli_message("%s: no catalog numbers", path);
        rc = CLI_EXIT_DATA;
    }
    if (rc != CLI_EXIT_OK) {
        free(out);
        return rc;
    }
    *ids = out;
    *count = n;
    return CLI_EXIT_OK;
}

/* The catalog numbers of the primaries, from whichever option gave them. */
static int primary_ids(const screen_args *a, long **ids, size_t *count)
{
    if (a->primary_list)
        return cli_parse_ids(CMD, a->primary_list, ids, count) ? CLI_EXIT_OK : CLI_EXIT_USAGE;
    if (a->primaries_file)
        return read_primaries_file(a->primaries_file, ids, count);
    apsco_catalog reg = {0};
    int rc = cli_select_catalog(&a->sel, NULL, 0, &reg);
    if (rc != CLI_EXIT_OK)
        return rc;
    *ids = malloc((reg.count ? reg.count : 1) * sizeof **ids);
    if (!*ids) {
        apsco_catalog_free(&reg);
        cli_message("out of memory");
        return CLI_EXIT_DATA;
    }
    for (size_t i = 0; i < reg.count; i++)
        (*ids)[i] = reg.items[i].norad;
    *count = reg.count;
    apsco_catalog_free(&reg);
    return CLI_EXIT_OK;
}

static int cmp_norad_epoch(const void *x, const void *y)
{
    const apsco_elset *a = x, *b = y;
    if (a->norad != b->norad)
        return a->norad < b->norad ? -1 : 1;
    return apsco_time_compare(a->epoch, b->epoch);
}

/* One element set per object (the latest epoch), ordered by catalog number. */
static void keep_latest(apsco_catalog *cat)
{
    qsort(cat->items, cat->count, sizeof *cat->items, cmp_norad_epoch);
    size_t kept = 0, dropped = 0;
    for (size_t k = 0; k < cat->count; k++) {
        if (kept && cat->items[kept - 1].norad == cat->items[k].norad) {
            cat->items[kept - 1] = cat->items[k];
            dropped++;
            continue;
        }
        cat->items[kept++] = cat->items[k];
    }
    cat->count = kept;
    if (dropped)
        cli_message("note: %zu older element sets of objects listed twice were set aside", dropped);
}

static int mark_primaries(const apsco_catalog *cat, const long *ids, size_t n, unsigned char *mark)
{
    int rc = CLI_EXIT_OK;
    for (size_t k = 0; k < n; k++) {
        size_t lo = 0, hi = cat->count;
        while (lo < hi) {
            size_t mid = lo + (hi - lo) / 2;
            if (cat->items[mid].norad < ids[k])
                lo = mid + 1;
            else
                hi = mid;
        }
        if (lo < cat->count && cat->items[lo].norad == ids[k]) {
            mark[lo] = 1;
        } else {
            cli_message("unknown primary: catalog number %ld is not in the catalog", ids[k]);
            rc = CLI_EXIT_DATA;
        }
    }
    return rc;
}

/* ---- Output ---------------------------------------------------------------- */

static void write_csv_row(FILE *out, const apsco_catalog *cat, const apsco_conjunction *c)
{
    const apsco_elset *p = &cat->items[c->primary], *s = &cat->items[c->secondary];
    char iso[40];
    apsco_time_format_iso(c->tca, 3, iso, sizeof iso);
    fprintf(out, "%ld,", p->norad);
    apsco_export_csv_field(out, p->name);
    fprintf(out, ",%ld,", s->norad);
    apsco_export_csv_field(out, s->name);
    fprintf(out, ",%s,%.4f,%.4f,%.4f,%.4f,%.4f,%.4e\n", iso, c->miss_km, c->rel_speed_km_s,
            c->radial_km, c->intrack_km, c->crosstrack_km, c->max_pc);
}

static void write_json_row(FILE *out, const apsco_catalog *cat, const apsco_conjunction *c,
                           int first)
{
    const apsco_elset *p = &cat->items[c->primary], *s = &cat->items[c->secondary];
    char iso[40];
    apsco_time_format_iso(c->tca, 3, iso, sizeof iso);
    fprintf(out, "%s{\"primary\":%ld,\"primary_name\":", first ? "" : ",\n", p->norad);
    apsco_export_json_string(out, p->name);
    fprintf(out, ",\"secondary\":%ld,\"secondary_name\":", s->norad);
    apsco_export_json_string(out, s->name);
    fprintf(out,
            ",\"tca_utc\":\"%s\",\"miss_km\":%.4f,\"rel_speed_km_s\":%.4f,\"radial_km\":%.4f,"
            "\"intrack_km\":%.4f,\"crosstrack_km\":%.4f,\"max_pc\":%.4e}",
            iso, c->miss_km, c->rel_speed_km_s, c->radial_km, c->intrack_km, c->crosstrack_km,
            c->max_pc);
}

/* Rows per chunk of the parallel formatting. */
#define ROW_CHUNK 16384

static void write_rows(FILE *f, const screen_args *a, const apsco_catalog *cat,
                       const apsco_screen_result *res, size_t lo, size_t hi)
{
    for (size_t k = lo; k < hi; k++) {
        apsco_conjunction c;
        apsco_screen_result_get(res, k, &c);
        if (a->format == FMT_CSV)
            write_csv_row(f, cat, &c);
        else
            write_json_row(f, cat, &c, k == 0);
    }
}

/*
 * The rows, formatted by the threads in chunks of ROW_CHUNK (one in-memory
 * stream each) and written in order: the same text as one thread writes,
 * in a fraction of the time for millions of approaches.
 */
static int write_all_rows(FILE *f, const screen_args *a, const apsco_catalog *cat,
                          const apsco_screen_result *res)
{
    size_t n = apsco_screen_result_count(res);
    int threads = a->threads > 0 ? a->threads : omp_get_max_threads();
    char **text = calloc((size_t)threads, sizeof *text);
    size_t *len = calloc((size_t)threads, sizeof *len);
    int ok = text && len;
    for (size_t base = 0; ok && base < n; base += (size_t)threads * ROW_CHUNK) {
#pragma omp parallel for num_threads(threads) schedule(static, 1) reduction(&& : ok)
        for (int t = 0; t < threads; t++) {
            size_t lo = base + (size_t)t * ROW_CHUNK, hi = lo + ROW_CHUNK;
            FILE *m = open_memstream(&text[t], &len[t]);
            if (!m) {
                ok = 0;
                continue;
            }
            write_rows(m, a, cat, res, lo < n ? lo : n, hi < n ? hi : n);
            ok = fclose(m) == 0 && ok;
        }
        for (int t = 0; t < threads; t++) {
            if (ok && text[t])
                fwrite(text[t], 1, len[t], f);
            free(text[t]);
            text[t] = NULL;
        }
    }
    free(text);
    free(len);
    if (!ok)
        cli_message("out of memory while formatting the approaches");
    return ok;
}

static int write_table(const screen_args *a, const apsco_catalog *cat,
                       const apsco_screen_result *res)
{
    cli_output out;
    if (!cli_output_open(&out, a->output))
        return CLI_EXIT_DATA;
    size_t n = apsco_screen_result_count(res);
    if (a->format == FMT_CSV)
        fputs("primary,primary_name,secondary,secondary_name,tca_utc,miss_km,rel_speed_km_s,"
              "radial_km,intrack_km,crosstrack_km,max_pc\n",
              out.f);
    else
        fputs("[\n", out.f);
    int ok = write_all_rows(out.f, a, cat, res);
    if (a->format == FMT_JSON)
        fputs(n ? "\n]\n" : "]\n", out.f);
    int closed = cli_output_close(&out, ok);
    return closed && ok ? CLI_EXIT_OK : CLI_EXIT_DATA;
}

static int write_cdms(const screen_args *a, const apsco_catalog *cat,
                      const apsco_screen_result *res)
{
    if (mkdir(a->output, 0777) != 0 && errno != EEXIST) {
        cli_message("%s: %s", a->output, strerror(errno));
        return CLI_EXIT_DATA;
    }
    apsco_time now = apsco_time_now();
    size_t n = apsco_screen_result_count(res);
    for (size_t k = 0; k < n; k++) {
        apsco_conjunction c;
        apsco_cdm cdm;
        apsco_screen_result_get(res, k, &c);
        if (apsco_screen_result_cdm(res, k, &cat->items[c.primary], &cat->items[c.secondary],
                                    "APSCO", now, &cdm)) {
            cli_message("warning: no SGP4 state at TCA for %s; CDM not written", cdm.message_id);
            continue;
        }
        char path[4096];
        snprintf(path, sizeof path, "%s/%s.cdm", a->output, cdm.message_id);
        cli_output out;
        if (!cli_output_open(&out, path))
            return CLI_EXIT_DATA;
        apsco_export_cdm(out.f, &cdm);
        if (!cli_output_close(&out, 1))
            return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

/* ---- The command ----------------------------------------------------------- */

static int progress_bar(void *ctx, double fraction)
{
    int *last = ctx, pct = (int)(fraction * 100.0);
    if (pct == *last)
        return 0;
    *last = pct;
    char bar[41];
    int fill = (int)(fraction * 40.0);
    for (int i = 0; i < 40; i++)
        bar[i] = i < fill ? '#' : ' ';
    bar[40] = '\0';
    fprintf(stderr, "\rapsco: screening [%s] %3d%%", bar, pct);
    if (pct >= 100)
        fputc('\n', stderr);
    fflush(stderr);
    return 0;
}

static void print_stats(const apsco_screen_stats *st)
{
    fprintf(stderr,
            "apsco: objects %zu, unusable %zu, propagated %zu; grid %zu instants of %.1f s, %d "
            "samples per step\n"
            "apsco: pairs %llu, apogee/perigee %llu, sieve near %llu, sieve windows %llu, "
            "interpolated minima %llu, approaches %llu\n"
            "apsco: seconds: bands %.2f, propagation %.2f, sieve %.2f, refinement %.2f, total "
            "%.2f\n",
            st->objects, st->objects_unusable, st->objects_propagated, st->grid_instants,
            st->grid_step_s, st->samples_per_step, (unsigned long long)st->pairs_total,
            (unsigned long long)st->pairs_apogee_perigee, (unsigned long long)st->sieve_near,
            (unsigned long long)st->sieve_windows, (unsigned long long)st->hermite_minima,
            (unsigned long long)st->approaches, st->seconds_band, st->seconds_propagate,
            st->seconds_sieve, st->seconds_refine, st->seconds_total);
}

static int load_catalog(const screen_args *a, apsco_catalog *cat)
{
    if (a->catalog)
        return cli_load_catalog(a->catalog, a->strict, cat);
    cli_selection everything = {0};
    everything.db = a->sel.db;
    return cli_select_catalog(&everything, NULL, 0, cat);
}

static apsco_sat *init_sats(const apsco_catalog *cat)
{
    apsco_sat *sats = calloc(cat->count ? cat->count : 1, sizeof *sats);
    if (!sats)
        return NULL;
    size_t refused = 0;
    for (size_t i = 0; i < cat->count; i++) {
        apsco_error err;
        if (apsco_sat_init(&sats[i], &cat->items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, &err) !=
            APSCO_OK) {
            if (sats[i].init_error == 0)
                sats[i].init_error = APSCO_SGP4_MEAN_MOTION;
            refused++;
        }
    }
    if (refused)
        cli_message("warning: %zu element sets refused by SGP4 are not screened", refused);
    return sats;
}

static int screen_catalog(const screen_args *a, const apsco_catalog *cat, const unsigned char *mark)
{
    apsco_sat *sats = init_sats(cat);
    if (!sats) {
        cli_message("out of memory");
        return CLI_EXIT_DATA;
    }
    apsco_screen_options o = apsco_screen_defaults();
    o.start = a->start;
    o.end = a->end;
    o.threshold_km = a->threshold_km;
    o.hbr_m = a->hbr_m;
    o.threads = a->threads;
    o.grid_step_s = a->grid_step_s;
    o.samples_per_step = a->samples;
    int last = -1;
    if (isatty(STDERR_FILENO)) {
        o.progress = progress_bar;
        o.progress_ctx = &last;
    }
    apsco_screen_result *res;
    apsco_error err;
    int rc = CLI_EXIT_OK;
    if (apsco_screen_run(sats, cat->count, mark, &o, &res, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    } else {
        const apsco_screen_stats *st = apsco_screen_result_stats(res);
        if (st->objects_unusable)
            cli_message("warning: %zu objects could not be propagated over the span",
                        st->objects_unusable);
        rc = a->format == FMT_CDM ? write_cdms(a, cat, res) : write_table(a, cat, res);
        if (a->stats)
            print_stats(st);
        apsco_screen_result_free(res);
    }
    free(sats);
    return rc;
}

int cli_screen(int argc, char **argv)
{
    screen_args a;
    int rc = parse_args(argc, argv, &a);
    if (rc >= 0)
        return rc;
    apsco_catalog cat = {0};
    long *ids = NULL;
    size_t n_ids = 0;
    unsigned char *mark = NULL;
    rc = load_catalog(&a, &cat);
    if (rc == CLI_EXIT_OK)
        keep_latest(&cat);
    if (rc == CLI_EXIT_OK && !a.all)
        rc = primary_ids(&a, &ids, &n_ids);
    if (rc == CLI_EXIT_OK && !a.all) {
        mark = calloc(cat.count ? cat.count : 1, 1);
        rc = mark ? mark_primaries(&cat, ids, n_ids, mark) : CLI_EXIT_DATA;
    }
    if (rc == CLI_EXIT_OK)
        rc = screen_catalog(&a, &cat, mark);
    free(mark);
    free(ids);
    apsco_catalog_free(&cat);
    return rc;
}
