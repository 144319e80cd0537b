/*
 * db.c — `apsco db init` and `apsco db load-defaults`: creating the store
 * and filling it with the bundled dataset.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char db_usage[] =
    "Usage: apsco db init [--db PATH] [--defaults] [--data DIR]\n"
    "       apsco db load-defaults [--db PATH] [--data DIR]\n"
    "\n"
    "init creates the store (SQLite, WAL) or brings an existing one to the current\n"
    "schema; with --defaults it also loads the bundled dataset. load-defaults loads\n"
    "the bundled registry (states, agencies, satellites, projects), the member\n"
    "network of ground stations and the 2026 CelesTrak snapshot in one transaction;\n"
    "running it again changes nothing.\n"
    "\n"
    "  --db PATH     the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "  --data DIR    the bundled data folder (default $APSCO_DATA_DIR, else the build's)\n"
    "  --defaults    (init) load the bundled dataset too\n"
    "  -h, --help    show this help\n";

static int load_defaults(apsco_store *store, const char *data)
{
    apsco_import_stats stats;
    apsco_error err;
    const char *dir = cli_data_dir(data);
    if (apsco_store_load_defaults(store, dir, &stats, &err) != APSCO_OK) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    cli_message("loaded the bundled dataset from %s: %zu element sets (%zu new)", dir,
                stats.records, stats.added);
    return CLI_EXIT_OK;
}

int cli_db(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"data", required_argument, NULL, 'D'},
        {"defaults", no_argument, NULL, 'L'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(db_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2 || (strcmp(argv[1], "init") && strcmp(argv[1], "load-defaults")))
        return cli_usage_error("db", "expected 'init' or 'load-defaults'");
    const char *db = NULL, *data = NULL;
    int defaults = !strcmp(argv[1], "load-defaults");
    int opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 'D': data = optarg; break;
        case 'L': defaults = 1; break;
        case 'h': fputs(db_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error("db", opt, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error("db", "unexpected argument '%s'", argv[optind]);
    apsco_store *store;
    int rc = cli_store_open(db, !strcmp(argv[1], "init"), 0, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    if (defaults)
        rc = load_defaults(store, data);
    apsco_store_close(store);
    return rc;
}
