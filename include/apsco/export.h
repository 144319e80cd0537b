/*
 * apsco/export.h — the small pieces every text writer shares: CSV fields
 * quoted by RFC 4180, JSON strings escaped by RFC 8259, and the number
 * formats that keep a millimetre; the header of NumPy's .npy arrays.
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

/*
 * Writes the header of a NumPy .npy file (format version 1.0) for a C-order
 * array of little-endian float64 ('<f8') of `ndim` (1-8) dimensions; the
 * caller then writes the product of `shape` doubles in that order. The
 * header is padded so that the data start on a multiple of 64 bytes.
 * Returns 0 on success, -1 for a bad ndim, a header over 65535 bytes or a
 * write error.
 */
int apsco_export_npy_header(FILE *out, const size_t *shape, int ndim);

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
/* ---- CCSDS Conjunction Data Message (CCSDS 508.0-B-1, KVN) ------------- */

/* One object of a CDM. Text fields are written as given (upper case by convention). */
typedef struct apsco_cdm_object {
    char designator[16];       /* OBJECT_DESIGNATOR: the catalog number */
    char name[64];             /* OBJECT_NAME; "UNKNOWN" when the catalog has none */
    char intl_designator[16];  /* INTERNATIONAL_DESIGNATOR, YYYY-NNNP, or "UNKNOWN" */
    double r_km[3], v_km_s[3]; /* X..Z_DOT in REF_FRAME = ITRF at TCA */
    double pos_var_m2;         /* CR_R = CT_T = CN_N (DEFAULT covariance), other terms 0 */
} apsco_cdm_object;

/* The content of one CDM; the writer adds the fixed keywords (see apsco_export_cdm). */
typedef struct apsco_cdm {
    char originator[64];                  /* ORIGINATOR */
    char message_id[96];                  /* MESSAGE_ID */
    apsco_time creation, tca;             /* CREATION_DATE, TCA (UTC) */
    apsco_time screen_start, screen_stop; /* START/STOP_SCREEN_PERIOD */
    double screen_radius_m;       /* SCREEN_VOLUME_X/Y/Z of the spherical screening volume */
    double miss_m, rel_speed_m_s; /* MISS_DISTANCE, RELATIVE_SPEED */
    double rel_pos_rtn_m[3];      /* RELATIVE_POSITION_R/T/N of object 2 in object 1's frame */
    double rel_vel_rtn_m_s[3];    /* RELATIVE_VELOCITY_R/T/N */
    double pc;                    /* COLLISION_PROBABILITY */
    double hbr_m;                 /* combined hard-body radius, stated in a COMMENT */
    apsco_cdm_object object[2];   /* OBJECT1 (primary), OBJECT2 (secondary) */
} apsco_cdm;

/*
 * Writes `cdm` as a CCSDS 508.0-B-1 Conjunction Data Message in KVN: the
 * header, the relative metadata/data and, for each object, the metadata and
 * data sections with every mandatory keyword in the standard's order and
 * units. Fixed values: CCSDS_CDM_VERS = 1.0, CATALOG_NAME = SATCAT,
 * EPHEMERIS_NAME = NONE, COVARIANCE_METHOD = DEFAULT, MANEUVERABLE = N/A,
 * REF_FRAME = ITRF, SCREEN_VOLUME_FRAME = RTN, SCREEN_VOLUME_SHAPE =
 * ELLIPSOID, COLLISION_PROBABILITY_METHOD = ALFANO-MAX-PROBABILITY (the SANA
 * registry of CDM collision probability methods, 508.0-B-1: Alfano 2005,
 * maximum probabilities).
 * TLEs carry no covariance: the covariance block holds the isotropic
 * position covariance that maximises the collision probability (half of it
 * on each object), zero velocity terms, and COMMENT lines say so.
 */
void apsco_export_cdm(FILE *out, const apsco_cdm *cdm);

#ifdef __cplusplus
}
#endif
#endif
