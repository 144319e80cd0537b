/*
 * internal.h — what the element-set parsers share inside the elements module.
 *
 * Each format has one parser over a whole text. A parser appends every valid
 * record to `out`, reports malformed ones through the options' diag callback
 * (elements_report) and, in strict mode, stops at the first problem. The
 * caller (apsco_catalog_parse) owns rollback and the "no valid record" rule.
 */
#ifndef APSCO_ELEMENTS_INTERNAL_H
#define APSCO_ELEMENTS_INTERNAL_H

#include "apsco/elements.h"

/* Parsers, one per format. `text` holds `len` bytes and need not end in NUL. */
apsco_status elements_parse_tle_text(const char *text, size_t len, const char *source,
                                     const apsco_parse_options *options, apsco_catalog *out,
                                     apsco_error *err);
apsco_status elements_parse_omm_kvn(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err);
apsco_status elements_parse_omm_xml(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err);
apsco_status elements_parse_omm_json(const char *text, size_t len, const char *source,
                                     const apsco_parse_options *options, apsco_catalog *out,
                                     apsco_error *err);
apsco_status elements_parse_omm_csv(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err);

/*
 * Reports a problem with the record at `source`:`line`. In strict mode, or
 * when `severity` is not a warning and there is no callback to hear it, the
 * problem is also written to `err`. Returns APSCO_OK when the parser may go
 * on (the record is skipped, or kept for a warning) and the error status when
 * it must stop (strict mode).
 */
apsco_status elements_report(const apsco_parse_options *options, apsco_severity severity,
                             apsco_status status, const char *source, long line, apsco_error *err,
                             const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/*
 * Checks the values of a parsed element set (finite numbers, 0 <= ecc < 1,
 * 0 <= incl <= 180 degrees, positive mean motion, catalog number 0-339999).
 * Returns APSCO_OK or APSCO_ERR_VALUE with a reason in `reason`.
 */
apsco_status elements_validate(const apsco_elset *e, char *reason, size_t size);

/*
 * Converts the fields of an element set as written in a TLE or OMM (degrees,
 * revolutions per day) into `e`, exactly as the reference SGP4 converts TLE
 * fields, so that every format gives the same doubles.
 *   mean_motion_rev_day  n, revolutions/day
 *   ndot_rev_day2        first derivative of n / 2, rev/day^2
 *   nddot_rev_day3       second derivative of n / 6, rev/day^3
 *   angles in degrees
 */
void elements_set_from_fields(apsco_elset *e, double mean_motion_rev_day, double ecc,
                              double incl_deg, double raan_deg, double argp_deg,
                              double mean_anomaly_deg, double bstar_per_er, double ndot_rev_day2,
                              double nddot_rev_day3);

/*
 * The value of a TLE "assumed decimal point" field: sign, five mantissa
 * digits and a one-digit power of ten (" 17698-3" = 0.17698e-3), computed as
 * the reference reads it, strtod("0.17698") * pow(10, -3). Used by the TLE
 * parser and by the OMM parsers for BSTAR and MEAN_MOTION_DDOT written with
 * no more digits than a TLE carries, so that both give the same double.
 */
double elements_tle_exponent_value(int negative, const char digits[5], int exponent);

#endif
