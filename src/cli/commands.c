/*
 * commands.c — the list of subcommands, in the order `apsco --help` shows them.
 */
#include "cli/commands.h"

#include <stddef.h>

const cli_command cli_commands[] = {
    {"schedule", "fair shared schedule of the pooled ground-station network", cli_schedule},
    {NULL, NULL, NULL},
};
