/*
 * apsco/elements.h — element sets: TLE / 3LE (with Alpha-5 catalog numbers)
 * and CCSDS OMM as CelesTrak publishes it (KVN, XML, JSON, CSV), parsed into
 * one struct with line-precise diagnostics.
 *
 * Every format yields the same apsco_elset for the same element set. Values
 * are kept in the units SGP4 consumes (radians, minutes), converted exactly
 * as the reference implementation converts TLE fields. Parsing validates the
 * fields themselves (eccentricity in [0,1), inclination in [0,180] degrees,
 * positive mean motion, real dates, finite numbers); whether SGP4 can
 * propagate the orbit is decided by apsco_sat_init (apsco/orbit.h).
 */
#ifndef APSCO_ELEMENTS_H
#define APSCO_ELEMENTS_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/error.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

#define APSCO_NAME_MAX    64
#define APSCO_INTLDES_MAX 16

typedef struct apsco_elset {
    long norad;                      /* catalog number, Alpha-5 decoded (A0000 = 100000) */
    char name[APSCO_NAME_MAX];       /* object name, "" when the source has none */
    char intldes[APSCO_INTLDES_MAX]; /* international designator as in a TLE, e.g. "98067A" */
    char classification;             /* 'U', 'C' or 'S' */
    int ephemeris_type;              /* 0 for SGP4 elements */
    int element_set_no;              /* element set number */
    long rev_at_epoch;               /* revolution number at epoch */
    apsco_time epoch;                /* epoch, UTC */
    int epoch_year;                  /* four-digit year of the epoch */
    double epoch_day;                /* day of year of the epoch, 1.0 = Jan 1 00:00 */
    double mean_motion_rad_min;      /* Kozai mean motion, rad/min */
    double ecc;                      /* eccentricity, 0 <= ecc < 1 */
    double incl_rad;                 /* inclination, rad */
    double raan_rad;                 /* right ascension of the ascending node, rad */
    double argp_rad;                 /* argument of perigee, rad */
    double mean_anomaly_rad;         /* mean anomaly, rad */
    double bstar_per_er;             /* B* drag term, 1/earth radii */
    double ndot_rad_min2;            /* first derivative of mean motion / 2, rad/min^2 */
    double nddot_rad_min3;           /* second derivative of mean motion / 6, rad/min^3 */
    long source_line;                /* 1-based line where the record starts in its input */
} apsco_elset;

typedef enum apsco_elset_format {
    APSCO_FORMAT_AUTO = 0, /* detect from content */
    APSCO_FORMAT_TLE,      /* two-line or three-line element sets */
    APSCO_FORMAT_OMM_KVN,  /* CCSDS OMM, keyword = value notation */
    APSCO_FORMAT_OMM_XML,  /* CCSDS NDM/XML with <omm> segments */
    APSCO_FORMAT_OMM_JSON, /* CelesTrak GP JSON: an array of OMM objects (or one object) */
    APSCO_FORMAT_OMM_CSV   /* CelesTrak GP CSV with a header row */
} apsco_elset_format;

typedef struct apsco_parse_options {
    apsco_elset_format format; /* APSCO_FORMAT_AUTO to detect */
    int strict;         /* non-zero: the first problem (warning or malformed record) is fatal */
    apsco_diag_fn diag; /* receives warnings and skipped records; may be NULL */
    void *diag_ctx;     /* passed to diag */
} apsco_parse_options;

/* A growable array of element sets, owned by the caller (apsco_catalog_free). */
typedef struct apsco_catalog {
    apsco_elset *items;
    size_t count;
    size_t capacity;
} apsco_catalog;

/* Name of a format ("tle", "omm-kvn", "omm-xml", "omm-json", "omm-csv"). */
const char *apsco_elset_format_name(apsco_elset_format format);

/* Detects the format of `text` (`len` bytes) from its content; APSCO_FORMAT_AUTO if unknown. */
apsco_elset_format apsco_elset_detect_format(const char *text, size_t len);

/*
 * Parses every element set in `text` (`len` bytes, need not be NUL-terminated)
 * and appends them to `out`. `source` names the input in diagnostics ("-" for
 * stdin). Malformed records are reported through options->diag and skipped;
 * with options->strict the first problem is returned as an error instead.
 * Returns APSCO_ERR_EMPTY (with err filled) if no valid record was found.
 * On any error `out` is left as it was before the call.
 *
 * CCSDS OMM (any encoding): one element set per message (KVN), <segment>
 * (XML), object (JSON) or row (CSV), keyed by the CCSDS keywords. EPOCH,
 * MEAN_MOTION [rev/day], ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE,
 * ARG_OF_PERICENTER, MEAN_ANOMALY [deg], NORAD_CAT_ID (0-339999), BSTAR
 * [1/ER], MEAN_MOTION_DOT (the TLE's ndot/2, rev/day^2) and
 * MEAN_MOTION_DDOT (the TLE's nddot/6, rev/day^3) are mandatory; the other
 * TLE fields default as in a TLE (classification U, counters 0). When given,
 * CENTER_NAME must be EARTH, REF_FRAME TEME, TIME_SYSTEM UTC and
 * MEAN_ELEMENT_THEORY SGP4. OBJECT_ID "YYYY-NNNP" becomes intldes "YYNNNP"
 * (another shape is a warning). The epoch is kept as a TLE keeps it (year
 * and correctly rounded day of year), and BSTAR and MEAN_MOTION_DDOT written
 * with no more digits than a TLE holds are read through the TLE's own
 * mantissa/exponent arithmetic, so an OMM and the TLE of the same element
 * set give identical doubles.
 * Diagnostics name the line of the offending keyword (KVN, XML), object
 * start (JSON) or row (CSV). XML that is not well-formed or has a DTD, JSON
 * that is not valid (or has duplicate keys, or nests deeper than 2048) and a
 * CSV header without the mandatory columns are errors of the whole input.
 */
apsco_status apsco_catalog_parse(const char *text, size_t len, const char *source,
                                 const apsco_parse_options *options, apsco_catalog *out,
                                 apsco_error *err);

/* Reads the file at `path` ("-" for stdin) and parses it as apsco_catalog_parse does. */
apsco_status apsco_catalog_load(const char *path, const apsco_parse_options *options,
                                apsco_catalog *out, apsco_error *err);

/* Appends a copy of `elset` to `catalog`. */
apsco_status apsco_catalog_append(apsco_catalog *catalog, const apsco_elset *elset);

/* Frees the array of `catalog` and resets it to empty. NULL is allowed. */
void apsco_catalog_free(apsco_catalog *catalog);

/*
 * Parses one TLE from its two lines (`name` may be NULL). Text after column 69
 * is ignored. A checksum mismatch is reported through options->diag as a
 * warning (or is an error when options->strict). `source` and `line_no` (the
 * line of line 1) locate the diagnostics. options may be NULL.
 */
apsco_status apsco_elset_parse_tle(const char *line1, const char *line2, const char *name,
                                   const char *source, long line_no,
                                   const apsco_parse_options *options, apsco_elset *out,
                                   apsco_error *err);

/*
 * Decodes a five-character TLE catalog field: digits, or Alpha-5 (a letter
 * A-Z without I and O, then four digits; A0000 = 100000, Z9999 = 339999).
 * Leading spaces are allowed. Returns APSCO_ERR_PARSE on anything else.
 */
apsco_status apsco_alpha5_decode(const char *field5, long *norad);

/*
 * Parses a catalog number as people type it: up to five characters read as a
 * TLE field (digits or Alpha-5, "25544", "A0000", "Z9999"), or a longer run of
 * digits ("000025544", "339999"). The number must be 0-339999, the range a
 * TLE can carry. Returns APSCO_ERR_PARSE on anything else (signs, blanks
 * after the number, other letters, larger numbers).
 */
apsco_status apsco_norad_parse(const char *text, long *norad);

/* Encodes 0 <= norad <= 339999 into five characters plus NUL; APSCO_ERR_VALUE otherwise. */
apsco_status apsco_alpha5_encode(long norad, char out[6]);

/* The TLE checksum of the first 68 columns of `line` (digits, and 1 for each '-'), mod 10. */
int apsco_tle_checksum(const char *line);

/*
 * Writes `elset` as the two lines of a TLE, 69 columns each plus NUL, with
 * their checksums; catalog numbers above 99999 in Alpha-5. Values are rounded
 * to the columns of the format (angles 1e-4 deg, eccentricity 1e-7, mean
 * motion 1e-8 rev/day, epoch 1e-8 day), so apsco_elset_parse_tle reads the
 * lines back to within those steps. The epoch is taken from elset->epoch.
 * Errors (APSCO_ERR_VALUE): a value the columns cannot hold (catalog number
 * over 339999, epoch outside 1957-2056, mean motion of 100 rev/day or more,
 * |ndot| of 1 rev/day^2 or more, an exponent field beyond 1e±9).
 */
apsco_status apsco_elset_format_tle(const apsco_elset *elset, char line1[70], char line2[70],
                                    apsco_error *err);

/*
 * Writes `catalog` as three-line element sets (name line, line 1, line 2;
 * without the name line for an element set that has no name).
 * Returns APSCO_ERR_VALUE for an element set a TLE cannot hold (see
 * apsco_elset_format_tle) and APSCO_ERR_IO if writing fails.
 */
apsco_status apsco_catalog_write_3le(FILE *out, const apsco_catalog *catalog, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
