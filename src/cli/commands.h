/*
 * commands.h — the table of apsco subcommands.
 */
#ifndef APSCO_CLI_COMMANDS_H
#define APSCO_CLI_COMMANDS_H

typedef struct cli_command {
    const char *name;
    const char *summary;
    int (*run)(int argc, char **argv); /* argv[0] is the subcommand's name */
} cli_command;

int cli_db(int argc, char **argv);
int cli_import(int argc, char **argv);
int cli_catalog(int argc, char **argv);
int cli_sat(int argc, char **argv);
int cli_states(int argc, char **argv);
int cli_agencies(int argc, char **argv);
int cli_stations(int argc, char **argv);
int cli_satellites(int argc, char **argv);
int cli_projects(int argc, char **argv);
int cli_propagate(int argc, char **argv);
int cli_bench(int argc, char **argv);
int cli_passes(int argc, char **argv);
int cli_track(int argc, char **argv);
int cli_pooling(int argc, char **argv);
int cli_screen(int argc, char **argv);
int cli_schedule(int argc, char **argv);
int cli_request(int argc, char **argv);

/* Terminated by an entry with a NULL name. */
extern const cli_command cli_commands[];

#endif
