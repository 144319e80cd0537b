/*
 * select.c — choosing satellites and stations from the store on the command
 * line: the options every command shares (--db, --state, --status, --agency,
 * --class, --project), opening the database with helpful errors, and the
 * bundled data folder.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

#ifndef APSCO_DATA_DIR
#define APSCO_DATA_DIR "data"
#endif

const char cli_select_help[] =
    "  --db PATH         the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "  --state CODES     owner states, ISO 3166-1 alpha-2, comma-separated (PK,TH)\n"
    "  --status LIST     status of the owner state: member, signatory, observer\n"
    "  --agency NAMES    owner agencies (SUPARCO,GISTDA)\n"
    "  --class CLASSES   light, middle, research, remote_sensing, telecom\n"
    "  --project NAMES   cooperative projects (SMMS)\n";

int cli_select_print_help(const char *usage, const char *heading)
{
    printf("%s\n%s\n%s", usage, heading, cli_select_help);
    return CLI_EXIT_OK;
}

int cli_select_check_source(const char *cmd, const char *catalog, const cli_selection *sel)
{
    int store = sel->db || cli_select_filters(sel);
    if (catalog && store)
        return cli_usage_error(cmd, "give --catalog FILE or a selection from the store, not both");
    if (!catalog && !store)
        return cli_usage_error(cmd, "--catalog FILE is required (or select from the store with "
                                    "--db, --state, --status, --agency, --class, --project)");
    return -1;
}

int cli_select_option(cli_selection *sel, int opt, const char *arg)
{
    switch (opt) {
    case CLI_OPT_DB: sel->db = arg; return 1;
    case CLI_OPT_STATE: sel->state = arg; return 1;
    case CLI_OPT_STATUS: sel->status = arg; return 1;
    case CLI_OPT_AGENCY: sel->agency = arg; return 1;
    case CLI_OPT_CLASS: sel->sat_class = arg; return 1;
    case CLI_OPT_PROJECT: sel->project = arg; return 1;
    default: return 0;
    }
}

int cli_select_filters(const cli_selection *sel)
{
    return sel->state || sel->status || sel->agency || sel->sat_class || sel->project;
}

apsco_selection cli_select_to_library(const cli_selection *sel, const long *ids, size_t count)
{
    apsco_selection s = {0};
    s.state = sel->state;
    s.status = sel->status;
    s.agency = sel->agency;
    s.sat_class = sel->sat_class;
    s.project = sel->project;
    s.norads = ids;
    s.norad_count = ids ? count : 0;
    s.diag = cli_print_diag;
    return s;
}

int cli_store_open(const char *db, int create, int readonly, apsco_store **out)
{
    char path[4096];
    apsco_error err;
    if (!db) {
        if (apsco_store_default_path(path, sizeof path, &err) != APSCO_OK) {
            cli_print_error(&err);
            return CLI_EXIT_USAGE;
        }
        db = path;
    }
    if (!create && access(db, F_OK) != 0) {
        cli_message("%s: no database here; create it with 'apsco db init --defaults%s%s'", db,
                    db == path ? "" : " --db ", db == path ? "" : db);
        return CLI_EXIT_DATA;
    }
    int flags = (create ? APSCO_STORE_CREATE : 0) | (readonly ? APSCO_STORE_READONLY : 0);
    if (apsco_store_open(db, flags, out, &err) != APSCO_OK) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

int cli_select_catalog(const cli_selection *sel, const long *ids, size_t count,
                       apsco_catalog *catalog)
{
    apsco_store *store;
    int rc = cli_store_open(sel->db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_selection s = cli_select_to_library(sel, ids, count);
    apsco_error err;
    if (apsco_store_select_catalog(store, &s, catalog, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    apsco_store_close(store);
    return rc;
}

const char *cli_data_dir(const char *given)
{
    if (given)
        return given;
    const char *env = getenv("APSCO_DATA_DIR");
    return env && *env ? env : APSCO_DATA_DIR;
}
