/*
 * commands.c — the list of subcommands, in the order `apsco --help` shows them.
 */
#include "cli/commands.h"

#include <stddef.h>

const cli_command cli_commands[] = {
    {"db", "create the store and load the bundled dataset", cli_db},
    {"import", "import element sets or ground stations into the store", cli_import},
    {"catalog", "list, export, fetch (CelesTrak) or synthesize element sets", cli_catalog},
    {"propagate", "positions and velocities of catalog satellites over time (SGP4/SDP4)",
     cli_propagate},
    {"passes", "passes of satellites over ground stations: AOS, TCA, LOS, visibility, Doppler",
     cli_passes},
    {"pooling", "what sharing the stations gives each member: passes on other members' stations",
     cli_pooling},
    {"track", "look angles of one satellite from one station, for antenna pointing", cli_track},
    {"screen", "close approaches of primaries with the catalog, or all-on-all; CSV, JSON, CDM",
     cli_screen},
    {"schedule", "fair shared schedule of the pooled ground-station network", cli_schedule},
    {"request", "add, list or cancel the contact requests kept in the store", cli_request},
    {"sat", "show one object: registry record, latest elements, history", cli_sat},
    {"states", "list the organization's states and their status", cli_states},
    {"agencies", "list space agencies and operators", cli_agencies},
    {"stations", "list ground stations", cli_stations},
    {"satellites", "list the registry's satellites", cli_satellites},
    {"projects", "list cooperative projects", cli_projects},
    {"bench", "speed of the batch propagation engine on a catalog (JSON line)", cli_bench},
    {NULL, NULL, NULL},
};
