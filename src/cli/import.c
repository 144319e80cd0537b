/*
 * import.c — `apsco import catalog FILE…` and `apsco import stations FILE`:
 * element sets of any format the elements module reads, and station files,
 * into the store. Each file is one transaction.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "apsco/stations.h"
#include "cli/cli.h"

static const char import_usage[] =
    "Usage: apsco import catalog [--db PATH] [--strict] FILE...\n"
    "       apsco import stations [--db PATH] FILE\n"
    "\n"
    "catalog imports element sets (TLE/3LE, CCSDS OMM KVN/XML/JSON/CSV; '-' reads\n"
    "standard input). Each file is one transaction: it lands whole or not at all.\n"
    "Element sets already in the store are left alone, so importing a file twice\n"
    "changes nothing; history is kept and the latest epoch is used. Malformed\n"
    "records are reported and skipped, or with --strict fail the whole file.\n"
    "\n"
    "stations imports a station file (id,name,state,lat_deg,lon_deg,alt_m,\n"
    "min_el_deg[,mask][,antennas][,agency]); stations are keyed by id.\n"
    "\n"
    "  --db PATH     the store (default $APSCO_DB, else $XDG_DATA_HOME/apsco/apsco.db)\n"
    "  --strict      the first malformed record fails the file\n"
    "  -h, --help    show this help\n";

static int import_one_catalog(apsco_store *store, const char *path, int strict)
{
    apsco_catalog cat = {0};
    int rc = cli_load_catalog(path, strict, &cat);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_import_stats s;
    apsco_error err;
    if (apsco_store_import_catalog(store, &cat, path, &s, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    } else {
        cli_message("%s: %zu element sets: %zu new, %zu updated, %zu unchanged", path, s.records,
                    s.added, s.updated, s.unchanged);
    }
    apsco_catalog_free(&cat);
    return rc;
}

static int import_stations(apsco_store *store, const char *path)
{
    apsco_station_list list = {0};
    apsco_error err;
    apsco_import_stats s;
    int rc = CLI_EXIT_OK;
    if (apsco_stations_load(path, &list, &err) != APSCO_OK ||
        apsco_store_import_stations(store, &list, &s, &err) != APSCO_OK) {
        if (!err.file[0])
            snprintf(err.file, sizeof err.file, "%s", path);
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    } else {
        cli_message("%s: %zu stations: %zu new, %zu updated, %zu unchanged", path, s.records,
                    s.added, s.updated, s.unchanged);
    }
    apsco_station_list_free(&list);
    return rc;
}

int cli_import(int argc, char **argv)
{
    static const struct option options[] = {
        {"db", required_argument, NULL, 'd'},
        {"strict", no_argument, NULL, 's'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
        fputs(import_usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2 || (strcmp(argv[1], "catalog") && strcmp(argv[1], "stations")))
        return cli_usage_error("import", "expected 'catalog' or 'stations'");
    int catalog = !strcmp(argv[1], "catalog");
    const char *db = NULL;
    int strict = 0, opt;
    optind = 2;
    opterr = 0;
    while ((opt = getopt_long(argc, argv, ":h", options, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case 's': strict = 1; break;
        case 'h': fputs(import_usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error("import", opt, argv);
        }
    }
    if (optind >= argc)
        return cli_usage_error("import", "no file given");
    if (!catalog && argc - optind != 1)
        return cli_usage_error("import", "import stations takes one file");
    apsco_store *store;
    int rc = cli_store_open(db, 0, 0, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    for (int i = optind; i < argc; i++) {
        int one =
            catalog ? import_one_catalog(store, argv[i], strict) : import_stations(store, argv[i]);
        rc = one != CLI_EXIT_OK ? one : rc;
    }
    apsco_store_close(store);
    return rc;
}
