/*
 * apsco/stations.h — ground stations: the station file that pass prediction,
 * the store and the scheduler read, and the horizon each station sees.
 *
 * A station file is CSV (apsco/csv.h) with a header row naming its columns,
 * in any order:
 *
 *   id,name,state,lat_deg,lon_deg,alt_m,min_el_deg[,mask][,antennas][,agency]
 *
 *   id          unique key, 1-31 characters of A-Z a-z 0-9 - _ .
 *   name        free text, at most 63 bytes
 *   state       ISO 3166-1 alpha-2 code of the owner state, upper case
 *   lat_deg     geodetic latitude, WGS-84, in [-90, 90]
 *   lon_deg     longitude east, in [-180, 360) (stored as [-180, 180))
 *   alt_m       height above the ellipsoid, in [-500, 9000] m
 *   min_el_deg  lowest usable elevation, in [-5, 90]
 *   mask        optional horizon mask "az:el;az:el;…" in degrees, azimuths
 *               strictly increasing in [0, 360), elevations in [-5, 90];
 *               linearly interpolated in azimuth, wrapping at 360
 *   antennas    optional number of antennas that can track at once (1-64, default 1)
 *   agency      optional name of the operating agency (as in the registry)
 *
 * Empty optional fields take their defaults. Errors name the file and line.
 * Not for computing passes (that is the passes module's job).
 */
#ifndef APSCO_STATIONS_H
#define APSCO_STATIONS_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define APSCO_STATION_ID_MAX     32
#define APSCO_STATION_NAME_MAX   64
#define APSCO_STATION_AGENCY_MAX 64
#define APSCO_MASK_MAX           360 /* points in a horizon mask */
#define APSCO_ANTENNAS_MAX       64

typedef struct apsco_station {
    char id[APSCO_STATION_ID_MAX];
    char name[APSCO_STATION_NAME_MAX];
    char state[3];                         /* ISO 3166-1 alpha-2, e.g. "PK" */
    char agency[APSCO_STATION_AGENCY_MAX]; /* operating agency, "" when not given */
    double lat_rad;                        /* geodetic latitude, WGS-84, rad */
    double lon_rad;                        /* longitude east, [-π, π), rad */
    double alt_km;                         /* height above the ellipsoid, km */
    double min_el_rad;                     /* lowest usable elevation, rad */
    int antennas;                          /* antennas that can track at once, >= 1 */
    int mask_count;                        /* points in the mask, 0 when none */
    double mask_az_rad[APSCO_MASK_MAX];    /* azimuths, strictly increasing in [0, 2π) */
    double mask_el_rad[APSCO_MASK_MAX];    /* horizon elevation at each azimuth, rad */
    long source_line;                      /* line of the record in its file, 0 if none */
} apsco_station;

/* A growable array of stations, owned by the caller (apsco_station_list_free). */
typedef struct apsco_station_list {
    apsco_station *items;
    size_t count;
    size_t capacity;
} apsco_station_list;

/*
 * Parses a station file held in `text` (`len` bytes) and appends its stations
 * to `out`. `source` names the input in errors. The whole file is checked:
 * on the first problem the error names its line ("stations.csv:7: latitude
 * 91 is outside [-90, 90]") and `out` is left as it was. Errors:
 * APSCO_ERR_PARSE (malformed CSV, missing column, not a number),
 * APSCO_ERR_VALUE (a value out of range, a duplicate id), APSCO_ERR_EMPTY
 * (no station), APSCO_ERR_LIMIT, APSCO_ERR_NOMEM.
 */
apsco_status apsco_stations_parse(const char *text, size_t len, const char *source,
                                  apsco_station_list *out, apsco_error *err);

/* Reads the file at `path` ("-" for stdin) and parses it as apsco_stations_parse does. */
apsco_status apsco_stations_load(const char *path, apsco_station_list *out, apsco_error *err);

/*
 * Checks one station as the parser does (ranges, id and state syntax, mask
 * order). Returns APSCO_OK or APSCO_ERR_VALUE with the reason in `err`.
 */
apsco_status apsco_station_validate(const apsco_station *station, apsco_error *err);

/*
 * Parses a mask "az:el;az:el;…" (degrees) into `station` (mask_count,
 * mask_az_rad, mask_el_rad). An empty string clears the mask. Errors:
 * APSCO_ERR_PARSE, APSCO_ERR_VALUE (order, range), APSCO_ERR_LIMIT.
 */
apsco_status apsco_station_set_mask(apsco_station *station, const char *text, apsco_error *err);

/*
 * Writes the mask of `station` as "az:el;…" in degrees into `buf` of `size`
 * bytes ("" when there is none). Returns 0 if it does not fit.
 */
int apsco_station_format_mask(const apsco_station *station, char *buf, size_t size);

/*
 * The elevation a satellite must exceed at azimuth `az_rad` (any value;
 * reduced to [0, 2π)): the larger of min_el_rad and the mask, the mask being
 * linearly interpolated in azimuth between its points and across north (from
 * the last point to the first one plus 2π). A one-point mask is flat.
 */
double apsco_station_min_el_at_rad(const apsco_station *station, double az_rad);

/* Appends a copy of `station`. */
apsco_status apsco_station_list_append(apsco_station_list *list, const apsco_station *station);

/* Index of the station with `id`, or -1. */
long apsco_station_list_find(const apsco_station_list *list, const char *id);

/* Frees the array of `list` and resets it to empty. NULL is allowed. */
void apsco_station_list_free(apsco_station_list *list);

/*
 * Writes `list` as a station file (header and one row per station, with the
 * mask, antennas and agency columns) that apsco_stations_parse reads back to
 * the same values at the printed precision (1e-7 degrees, 1 mm). Returns
 * APSCO_ERR_IO if writing fails.
 */
apsco_status apsco_stations_write(FILE *out, const apsco_station_list *list, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
