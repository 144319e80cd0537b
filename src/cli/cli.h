/*
 * cli.h — what the subcommands of the apsco tool share: the exit codes, the
 * way diagnostics reach stderr, and the table of subcommands.
 *
 * Each subcommand lives in its own file (propagate.c, …) as
 * `int cli_<name>(int argc, char **argv)` and returns an exit code.
 */
#ifndef APSCO_CLI_H
#define APSCO_CLI_H

#include "apsco/error.h"

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

#endif
