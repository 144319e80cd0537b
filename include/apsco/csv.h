/*
 * apsco/csv.h — a reader of comma-separated records (RFC 4180) for the small
 * tables apsco owns: station files, the bundled registry and the planner's
 * inputs (requests, windows, outages, entitlements).
 *
 * Fields may be quoted ("a, b", "say ""hi"""), quoted fields may span lines,
 * spaces around unquoted fields are dropped, and records end at LF or CRLF.
 * Blank lines and lines whose first character is '#' are skipped, so that a
 * file can carry its own notes. A UTF-8 byte order mark is ignored. Every
 * record knows the 1-based line it starts on, for diagnostics.
 *
 * Not for CelesTrak's OMM CSV (the elements module reads that itself) and not
 * for writing (see apsco/export.h).
 */
#ifndef APSCO_CSV_H
#define APSCO_CSV_H

#include <stddef.h>

#include "apsco/error.h"

#ifdef __cplusplus
extern "C" {
#endif

#define APSCO_CSV_FIELDS_MAX 64    /* fields in one record */
#define APSCO_CSV_RECORD_MAX 65536 /* bytes in one record */

typedef struct apsco_csv {
    const char *p, *end;               /* what is left of the text */
    const char *source;                /* input name for diagnostics */
    long line;                         /* 1-based line of the next character */
    long record_line;                  /* line where the last record read starts */
    size_t count;                      /* fields in the last record read */
    char *field[APSCO_CSV_FIELDS_MAX]; /* NUL-terminated fields of the last record */
    char *buf;                         /* storage of the fields */
} apsco_csv;

/*
 * Prepares `r` to read `len` bytes of `text` (kept by reference: it must
 * outlive the reader). `source` names the input in errors ("-" when NULL).
 * Returns APSCO_ERR_NOMEM if the field buffer cannot be allocated.
 */
apsco_status apsco_csv_open(apsco_csv *r, const char *text, size_t len, const char *source,
                            apsco_error *err);

/*
 * Reads the next record into r->field[0 .. r->count-1]. Sets *got to 1 when a
 * record was read and to 0 at the end of the text. Errors name the line:
 * APSCO_ERR_PARSE (an unterminated quote, text after a closing quote, a NUL
 * byte) and APSCO_ERR_LIMIT (more than APSCO_CSV_FIELDS_MAX fields or
 * APSCO_CSV_RECORD_MAX bytes).
 */
apsco_status apsco_csv_next(apsco_csv *r, int *got, apsco_error *err);

/* Frees what apsco_csv_open allocated. NULL is allowed. */
void apsco_csv_close(apsco_csv *r);

#ifdef __cplusplus
}
#endif
#endif
