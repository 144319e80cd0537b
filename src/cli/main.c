/*
 * main.c — the apsco command: dispatches to one subcommand per file.
 *
 * Data goes to stdout, diagnostics to stderr prefixed "apsco:", and the exit
 * code is 0 (ok), 1 (data error) or 2 (usage error).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"

void cli_message(const char *fmt, ...)
{
    va_list ap;
    fputs("apsco: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_print_error(const apsco_error *err)
{
    char buf[1024];
    cli_message("%s", apsco_error_format(err, buf, sizeof buf));
}

void cli_print_diag(void *ctx, apsco_severity severity, const apsco_error *diag)
{
    (void)ctx;
    char buf[1024];
    apsco_error_format(diag, buf, sizeof buf);
    cli_message("%s%s", severity == APSCO_WARNING ? "warning: " : "", buf);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "apsco: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'apsco %s --help'.\n", cmd);
    return CLI_EXIT_USAGE;
}

static void print_usage(FILE *out)
{
    fputs("Usage: apsco COMMAND [OPTIONS]\n"
          "\n"
          "Shared space operations: element sets, orbits, passes, conjunctions and a fair\n"
          "shared schedule of a pooled ground-station network.\n"
          "\n"
          "Commands:\n",
          out);
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(out, "  %-12s %s\n", c->name, c->summary);
    fputs("\nRun 'apsco COMMAND --help' for the options of a command.\n", out);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *name = argv[1];
    if (!strcmp(name, "--help") || !strcmp(name, "-h") || !strcmp(name, "help")) {
        print_usage(stdout);
        return CLI_EXIT_OK;
    }
    if (!strcmp(name, "--version")) {
        printf("apsco %s\n", APSCO_VERSION);
        return CLI_EXIT_OK;
    }
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(name, c->name))
            return c->run(argc - 1, argv + 1);
    cli_message("unknown command '%s'", name);
    print_usage(stderr);
    return CLI_EXIT_USAGE;
}
