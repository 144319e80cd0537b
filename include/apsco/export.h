/*
 * apsco/export.h — the small pieces every text writer shares: CSV fields
 * quoted by RFC 4180, JSON strings escaped by RFC 8259, and the number
 * formats that keep a millimetre.
 *
 * Writers take a FILE * chosen by the caller; they compute nothing.
 */
#ifndef APSCO_EXPORT_H
#define APSCO_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#include "apsco/error.h"
#include "apsco/passes.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Writes `s` as one CSV field, quoted only when it holds a comma, quote, CR or LF. */
void apsco_export_csv_field(FILE *out, const char *s);

/* Writes `s` as a JSON string literal (with the quotes); bytes that are not UTF-8 become U+FFFD. */
void apsco_export_json_string(FILE *out, const char *s);

/*
 * Writes a finite double with `decimals` digits after the point, or `null`
 * (JSON) / an empty field (CSV) for NaN and infinities when `json` is 0.
 */
void apsco_export_number(FILE *out, double value, int decimals, int json);

/* ------------------------------------------------------------------------ */
/* Passes (apsco/passes.h)                                                  */
/* ------------------------------------------------------------------------ */

typedef enum apsco_pass_format {
    APSCO_PASS_CSV = 0, /* one row per pass, header APSCO_PASS_CSV_HEADER */
    APSCO_PASS_JSON,    /* an array of pass objects */
    APSCO_PASS_ICS      /* iCalendar (RFC 5545): one VEVENT per pass */
} apsco_pass_format;

/* The header row of the CSV format (without the newline). */
#define APSCO_PASS_CSV_HEADER                                                                      \
    "norad,name,station,aos_utc,aos_az_deg,tca_utc,tca_el_deg,tca_az_deg,los_utc,los_az_deg,"      \
    "duration_s,sunlit_fraction,visible"

/* What the passes of a list refer to: per satellite index and per site index. */
typedef struct apsco_pass_labels {
    const long *norad;            /* catalog number of each satellite */
    const char *const *sat_name;  /* name of each satellite ("" when none) */
    const char *const *site_name; /* identifier of each site */
} apsco_pass_labels;

typedef struct apsco_pass_export_options {
    apsco_pass_format format;
    double freq_hz;     /* > 0: JSON gets doppler_aos_hz, doppler_tca_hz, doppler_los_hz */
    apsco_time dtstamp; /* iCalendar DTSTAMP (the instant the calendar is made) */
} apsco_pass_export_options;

/*
 * Writes every pass of `list` in the chosen format. Times are UTC with
 * milliseconds ("2026-03-19T01:02:03.456Z"), angles degrees, durations
 * seconds. CSV: APSCO_PASS_CSV_HEADER, then one row per pass; `visible` is
 * 1 or 0; a pass cut by the window shows the window's edge as its time.
 * JSON: the CSV fields plus aos_clipped, los_clipped (booleans),
 * tca_range_km, the range rates aos/tca/los_range_rate_km_s and, with a
 * frequency, freq_mhz and the three Doppler shifts (Hz). iCalendar: CRLF
 * line ends, lines folded at 75 octets (never inside a UTF-8 character),
 * DTSTART/DTEND at AOS/LOS to the second, UID "norad-station-YYYYMMDDTHHMMZ"
 * from AOS rounded to the minute (the same pass keeps its UID when
 * recomputed), SUMMARY and DESCRIPTION with the geometry.
 * Returns APSCO_OK, APSCO_ERR_ARG (NULL pointers, unknown format) or
 * APSCO_ERR_IO when writing fails.
 */
apsco_status apsco_export_passes(FILE *out, const apsco_pass_list *list,
                                 const apsco_pass_labels *labels,
                                 const apsco_pass_export_options *opt, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
