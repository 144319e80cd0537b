/*
 * cli.h — what the subcommands of the apsco tool share: the exit codes, the
 * way diagnostics reach stderr, and the table of subcommands.
 *
 * Each subcommand lives in its own file (propagate.c, …) as
 * `int cli_<name>(int argc, char **argv)` and returns an exit code.
 */
#ifndef APSCO_CLI_H
#define APSCO_CLI_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/elements.h"
#include "apsco/error.h"
#include "apsco/export.h"
#include "apsco/passes.h"
#include "apsco/stations.h"
#include "apsco/store.h"
#include "apsco/time.h"

enum {
    CLI_EXIT_OK = 0,   /* success */
    CLI_EXIT_DATA = 1, /* bad input data, or a failure while working on it */
    CLI_EXIT_USAGE = 2 /* bad command line */
};

/* Prints "apsco: " and a printf-style message to stderr, with a newline. */
void cli_message(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Prints a library error as "apsco: FILE:LINE: reason". */
void cli_print_error(const apsco_error *err);

/* An apsco_diag callback that prints every diagnostic with cli_print_error. */
void cli_print_diag(void *ctx, apsco_severity severity, const apsco_error *diag);

/* Prints "apsco: <cmd>: <message>" and a hint to run --help; returns CLI_EXIT_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- The store (select.c) ------------------------------------------------- */

/*
 * Options that choose satellites and stations from the store, shared by every
 * command that also takes --catalog FILE. Add CLI_SELECT_LONG_OPTIONS to the
 * command's getopt_long table, pass each option to cli_select_option, and
 * print cli_select_help in --help.
 */
typedef struct cli_selection {
    const char *db;        /* --db PATH; NULL: $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db */
    const char *state;     /* --state CODE[,CODE…] */
    const char *status;    /* --status member|signatory|observer[,…] */
    const char *agency;    /* --agency NAME[,NAME…] */
    const char *sat_class; /* --class CLASS[,CLASS…] */
    const char *project;   /* --project NAME[,NAME…] */
} cli_selection;

enum {
    CLI_OPT_DB = 0x4000,
    CLI_OPT_STATE,
    CLI_OPT_STATUS,
    CLI_OPT_AGENCY,
    CLI_OPT_CLASS,
    CLI_OPT_PROJECT
};

/* clang-format off */
#define CLI_SELECT_LONG_OPTIONS                                                                    \
    {"db", required_argument, NULL, CLI_OPT_DB},                                                   \
    {"state", required_argument, NULL, CLI_OPT_STATE},                                             \
    {"status", required_argument, NULL, CLI_OPT_STATUS},                                           \
    {"agency", required_argument, NULL, CLI_OPT_AGENCY},                                           \
    {"class", required_argument, NULL, CLI_OPT_CLASS},                                             \
    {"project", required_argument, NULL, CLI_OPT_PROJECT}
/* clang-format on */

/* The --help lines of the selection options. */
extern const char cli_select_help[];

/*
 * Prints a command's --help: `usage`, then `heading` (say, "Selection from
 * the store (instead of --catalog):") and cli_select_help. Returns CLI_EXIT_OK.
 */
int cli_select_print_help(const char *usage, const char *heading);

/*
 * Checks that a command's satellites come from one place: the catalog file
 * `catalog` or the store (--db or a registry filter of `sel`). Prints a usage
 * error and returns CLI_EXIT_USAGE if they come from both or neither;
 * returns -1 to go on.
 */
int cli_select_check_source(const char *cmd, const char *catalog, const cli_selection *sel);

/* Takes option `opt` with `arg` if it is a selection option; returns 1 then, else 0. */
int cli_select_option(cli_selection *sel, int opt, const char *arg);

/* True when a registry filter (--state, --status, --agency, --class, --project) was given. */
int cli_select_filters(const cli_selection *sel);

/* The library's selection for `sel` and `ids` (may be NULL), with diagnostics to stderr. */
apsco_selection cli_select_to_library(const cli_selection *sel, const long *ids, size_t count);

/*
 * Opens the store at `db` (NULL: the default path). With `create`, creates
 * it; otherwise a missing database is explained with the command that makes
 * one. Prints errors; returns an exit code.
 */
int cli_store_open(const char *db, int create, int readonly, apsco_store **out);

/*
 * Fills `catalog` from the store with the latest element set of each
 * satellite chosen by `sel` and `ids`. Prints errors; returns an exit code.
 */
int cli_select_catalog(const cli_selection *sel, const long *ids, size_t count,
                       apsco_catalog *catalog);

/* Prints a listing of the store at `db` in `format`; prints errors and returns an exit code. */
int cli_print_listing(const char *db, apsco_listing what, const apsco_selection *sel,
                      apsco_table_format format);

/* The bundled data folder: `given`, else $APSCO_DATA_DIR, else the one of the build. */
const char *cli_data_dir(const char *given);
/* ---- Ground stations (sites.c) ------------------------------------------- */

/*
 * Parses "LAT,LON,ALT_M[,NAME]" (degrees, metres) given to option `opt`
 * into a station with minimum elevation `min_el_deg`, named NAME (default
 * "station"). Prints a usage error and returns 0 if bad.
 */
int cli_parse_station(const char *cmd, const char *opt, const char *text, double min_el_deg,
                      apsco_station *out);

/*
 * The stations of a command: from the station file `path` when given, else
 * the one of `station_text` (--station), else the members' pooled network
 * in the store of `sel`. Prints errors; returns an exit code.
 */
int cli_load_stations(const char *cmd, const char *path, const char *station_text,
                      const cli_selection *sel, apsco_station_list *out);

/* Parses an ISO-8601 UTC time given to option `opt`; prints a usage error and returns 0 if bad. */
int cli_parse_time(const char *cmd, const char *opt, const char *text, apsco_time *out);

/* Parses a finite number given to option `opt`; prints a usage error and returns 0 if bad. */
int cli_parse_number(const char *cmd, const char *opt, const char *text, double *out);

/*
 * Parses a comma-separated list of catalog numbers (integers or Alpha-5) into
 * a new array. Prints a usage error and returns 0 if bad.
 */
int cli_parse_ids(const char *cmd, const char *text, long **ids, size_t *count);

/* Loads a catalog, printing diagnostics as "apsco: FILE:LINE: reason". Returns an exit code. */
int cli_load_catalog(const char *path, int strict, apsco_catalog *catalog);

/*
 * An output file that appears only when complete: data goes to a temporary
 * file beside the target and is renamed over it by cli_output_close(…, 1).
 * "-" or NULL means stdout.
 */
typedef struct cli_output {
    FILE *f;
    char path[4096];
    char tmp[4096];
} cli_output;

/* Opens `path` for writing; prints an error and returns 0 on failure. */
int cli_output_open(cli_output *out, const char *path);

/* Flushes and, when `ok`, publishes the file; otherwise removes it. Returns 0 on a write error. */
int cli_output_close(cli_output *out, int ok);

/* ---- Options and satellites shared by the commands (common.c) ----------- */

/*
 * The satellites of a command: the catalog file `path` ("-": stdin) when
 * given, else the latest element sets of the store's selection `sel`; only
 * those named by `sat_list` (--sat, comma-separated) when it is not NULL.
 * A listed number the file lacks is reported and makes the result
 * CLI_EXIT_DATA. Prints errors; returns an exit code.
 */
int cli_load_sats(const char *cmd, const char *path, int strict, const cli_selection *sel,
                  const char *sat_list, apsco_catalog *cat);

/*
 * The usage error of an option that getopt_long (with opterr = 0 and ':'
 * leading the short options) gave back as `c` = ':' (its value is missing)
 * or '?' (unknown). Prints it; returns CLI_EXIT_USAGE.
 */
int cli_option_error(const char *cmd, int c, char *const *argv);

/*
 * Finds `text`, the value of option `opt`, among the NULL-terminated `names`
 * and stores its index in `out`; prints a usage error ("OPT: unknown value
 * 'TEXT'") and returns 0 if it is not one of them.
 */
int cli_parse_choice(const char *cmd, const char *opt, const char *text, const char *const *names,
                     int *out);

/* The most threads any command's --threads accepts. */
#define CLI_THREADS_MAX 4096

/*
 * Parses a whole number from `lo` to `hi` given to option `opt` (--threads,
 * --samples, …); prints a usage error ("OPT must be a whole number from LO
 * to HI") and returns 0 if bad.
 */
int cli_parse_count(const char *cmd, const char *opt, const char *text, int lo, int hi, int *out);

/* ---- Pass search (pass_search.c) ----------------------------------------- */

/*
 * Finds the passes of every element set of `cat` (SGP4, WGS-72, improved
 * mode) over every station of `st` with `opt` into `out`, which the caller
 * frees with apsco_pass_list_free. Prints errors; returns an exit code.
 */
int cli_find_passes(const apsco_catalog *cat, const apsco_station_list *st,
                    const apsco_pass_options *opt, apsco_pass_list *out);

/* What apsco_export_passes names the satellites of `cat` and the stations of `st` by. */
typedef struct cli_pass_labels {
    apsco_pass_labels labels; /* points into the arrays below */
    long *norad;
    const char **sat_name, **site_name;
} cli_pass_labels;

/* Fills `l` (borrowing the names of `cat` and `st`); prints and returns 0 when out of memory. */
int cli_pass_labels_init(cli_pass_labels *l, const apsco_catalog *cat,
                         const apsco_station_list *st);

/* Frees the arrays of `l` (not the names they point to); `l` may be freed twice. */
void cli_pass_labels_free(cli_pass_labels *l);

#endif
