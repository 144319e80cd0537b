/*
 * sites.c — where the ground stations of `apsco passes` and `apsco track`
 * come from: a station file, a --station LAT,LON,ALT_M[,NAME] shortcut, or
 * the members' pooled network in the store.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/store.h"
#include "cli/cli.h"

/* Reads one number of a comma-separated list; returns 0 unless it ends at ',' or the end. */
static int next_number(const char **p, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(*p, &end);
    if (end == *p || (*end != ',' && *end != '\0') || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    *p = *end == ',' ? end + 1 : end;
    return 1;
}

int cli_parse_station(const char *cmd, const char *opt, const char *text, double min_el_deg,
                      apsco_station *out)
{
    double lat, lon, alt_m;
    const char *p = text;
    memset(out, 0, sizeof *out);
    if (!next_number(&p, &lat) || p[-1] != ',' || !next_number(&p, &lon) || p[-1] != ',' ||
        !next_number(&p, &alt_m)) {
        cli_usage_error(cmd, "%s: '%s' is not LAT,LON,ALT_M[,NAME] (degrees, metres)", opt, text);
        return 0;
    }
    const char *name = *p ? p : "station";
    if (strlen(name) >= APSCO_STATION_ID_MAX) {
        cli_usage_error(cmd, "%s: the name '%s' is longer than %d characters", opt, name,
                        APSCO_STATION_ID_MAX - 1);
        return 0;
    }
    /* The id is the name with every character a station id cannot hold made '_'. */
    snprintf(out->id, sizeof out->id, "%s", name);
    for (char *c = out->id; *c; c++)
        if (!strchr("-_.", *c) && !(*c >= '0' && *c <= '9') && !(*c >= 'A' && *c <= 'Z') &&
            !(*c >= 'a' && *c <= 'z'))
            *c = '_';
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->state, sizeof out->state, "ZZ");
    out->lat_rad = lat * (M_PI / 180.0);
    out->lon_rad = (lon >= 180.0 ? lon - 360.0 : lon) * (M_PI / 180.0);
    out->alt_km = alt_m / 1000.0;
    out->min_el_rad = min_el_deg * (M_PI / 180.0);
    out->antennas = 1;
    apsco_error err;
    if (!(lat >= -90.0 && lat <= 90.0) || !(lon >= -180.0 && lon < 360.0) ||
        !(alt_m >= -500.0 && alt_m <= 9000.0)) {
        cli_usage_error(cmd,
                        "%s: '%s': latitude must be in [-90, 90], longitude in [-180, 360), "
                        "height in [-500, 9000] m",
                        opt, text);
        return 0;
    }
    if (apsco_station_validate(out, &err) != APSCO_OK) {
        cli_usage_error(cmd, "%s: '%s': %s", opt, text, err.message);
        return 0;
    }
    return 1;
}

static int stations_from_store(const cli_selection *sel, apsco_station_list *out)
{
    apsco_store *store;
    int rc = cli_store_open(sel->db, 0, 1, &store);
    if (rc != CLI_EXIT_OK)
        return rc;
    apsco_selection members = {0};
    members.status = "member";
    apsco_error err;
    if (apsco_store_select_stations(store, &members, out, &err) != APSCO_OK) {
        cli_print_error(&err);
        rc = CLI_EXIT_DATA;
    }
    apsco_store_close(store);
    return rc;
}

int cli_load_stations(const char *cmd, const char *path, const char *station_text,
                      const cli_selection *sel, apsco_station_list *out)
{
    apsco_error err;
    if (path) {
        if (apsco_stations_load(path, out, &err) != APSCO_OK) {
            cli_print_error(&err);
            return CLI_EXIT_DATA;
        }
        return CLI_EXIT_OK;
    }
    if (station_text) {
        apsco_station s;
        if (!cli_parse_station(cmd, "--station", station_text, 0.0, &s))
            return CLI_EXIT_USAGE;
        return apsco_station_list_append(out, &s) == APSCO_OK ? CLI_EXIT_OK : CLI_EXIT_DATA;
    }
    return stations_from_store(sel, out);
}
