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

#endif
