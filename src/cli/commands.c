/*
 * commands.c — the list of subcommands, in the order `apsco --help` shows them.
 */
#include "cli/commands.h"

#include <stddef.h>

const cli_command cli_commands[] = {
    {NULL, NULL, NULL},
};
