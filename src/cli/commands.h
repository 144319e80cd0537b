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

int cli_propagate(int argc, char **argv);
int cli_bench(int argc, char **argv);

/* Terminated by an entry with a NULL name. */
extern const cli_command cli_commands[];

#endif
