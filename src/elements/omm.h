/*
 * omm.h — what the four CCSDS OMM encodings (KVN, XML, JSON, CSV) share:
 * the keywords apsco reads, a record that collects their values as text,
 * and the one conversion of such a record into an apsco_elset.
 *
 * Each encoding only finds keywords, values and line numbers; the meaning of
 * a value (number syntax, units, ranges, dates, defaults) is decided here
 * once, so that the same OMM in any encoding gives the same doubles and the
 * same diagnostics. Not for writing OMMs.
 */
#ifndef APSCO_ELEMENTS_OMM_H
#define APSCO_ELEMENTS_OMM_H

#include <stddef.h>

#include "elements/internal.h"

/* The keywords apsco reads (CCSDS 502.0-B-2/-3 names); every other keyword is ignored. */
typedef enum omm_field {
    OMM_OBJECT_NAME,
    OMM_OBJECT_ID,
    OMM_CENTER_NAME,
    OMM_REF_FRAME,
    OMM_TIME_SYSTEM,
    OMM_MEAN_ELEMENT_THEORY,
    OMM_EPOCH,
    OMM_MEAN_MOTION,
    OMM_ECCENTRICITY,
    OMM_INCLINATION,
    OMM_RA_OF_ASC_NODE,
    OMM_ARG_OF_PERICENTER,
    OMM_MEAN_ANOMALY,
    OMM_EPHEMERIS_TYPE,
    OMM_CLASSIFICATION_TYPE,
    OMM_NORAD_CAT_ID,
    OMM_ELEMENT_SET_NO,
    OMM_REV_AT_EPOCH,
    OMM_BSTAR,
    OMM_MEAN_MOTION_DOT,
    OMM_MEAN_MOTION_DDOT,
    OMM_FIELD_COUNT
} omm_field;

/* Longest value kept, in bytes; longer values make the record malformed (names are cut). */
#define OMM_VALUE_MAX 127

/*
 * One element set being collected. `line[f]` is the 1-based line where field
 * f was given (0 = not given). The first structural problem seen while
 * collecting (a duplicate keyword, a value too long, a line that is not a
 * keyword) is kept in `problem` and makes the record malformed.
 */
typedef struct omm_record {
    char value[OMM_FIELD_COUNT][OMM_VALUE_MAX + 1];
    long line[OMM_FIELD_COUNT];
    long start_line; /* where the record starts (its source_line) */
    long problem_line;
    char problem[256];
} omm_record;

/* The field named by the `len` bytes at `key` (exact, case-sensitive), or -1. */
int omm_field_lookup(const char *key, size_t len);

/* The CCSDS keyword of a field. */
const char *omm_field_name(omm_field field);

/* True for the fields without which an element set is refused (the elements, epoch, catalog
 * number). */
int omm_field_is_mandatory(omm_field field);

/* Starts an empty record at `start_line`. */
void omm_record_reset(omm_record *r, long start_line);

/*
 * Stores the `len` bytes at `value` (surrounding white space removed) as
 * field `field`, given at `line`. An empty value counts as not given. Notes
 * a duplicate, an over-long value or control characters as the record's
 * problem.
 */
void omm_record_set(omm_record *r, omm_field field, const char *value, size_t len, long line);

/* Notes a structural problem of the record at `line` (the first one wins). printf-style. */
void omm_record_problem(omm_record *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/*
 * Converts a complete record and appends it to `out`, or reports it through
 * elements_report (naming the line of the offending field, or the record's
 * start when a field is missing) and skips it. Returns APSCO_OK to go on, or
 * the status that must stop the parser (strict mode, out of memory).
 */
apsco_status omm_record_finish(const omm_record *r, const char *source,
                               const apsco_parse_options *options, apsco_catalog *out,
                               apsco_error *err);

/* Number of bytes of a UTF-8 byte order mark at the start of `text`, 0 if none. */
size_t omm_skip_bom(const char *text, size_t len);

#endif
