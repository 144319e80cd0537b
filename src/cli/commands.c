/*
 * commands.c — the list of subcommands, in the order `apsco --help` shows them.
 */
#include "cli/commands.h"

#include <stddef.h>

const cli_command cli_commands[] = {
    {"propagate", "positions and velocities of catalog satellites over time (SGP4/SDP4)",
     cli_propagate},
    {"bench", "speed of the batch propagation engine on a catalog (JSON line)", cli_bench},
    {NULL, NULL, NULL},
};
