/*
 * text.h — reading numbers from text the same way whatever the process
 * locale says, for every parser of the library, and the other small text
 * tools they share (whole files, lines of JSON array elements).
 *
 * A program that calls setlocale(LC_ALL, "") under a locale whose decimal
 * separator is a comma would otherwise make strtod stop at the '.' of
 * "51.6344". Internal to libapsco (not a public header).
 */
#ifndef APSCO_TEXT_H
#define APSCO_TEXT_H

#include <stddef.h>

#include "apsco/error.h"

/* strtod in the "C" locale: correctly rounded, '.' as the decimal point. */
double text_strtod(const char *s, char **end);

/*
 * Writes the shortest decimal (%.Ng, N = 1..17) that reads back as exactly
 * `v`, in the "C" locale. Returns what snprintf returns.
 */
int text_format_shortest(double v, char *buf, size_t size);

/*
 * Reads the whole file at `path` ("-" for stdin) into a new NUL-terminated
 * buffer (*text, *len bytes without the NUL; the caller frees it). Inputs
 * larger than `max_bytes` are refused with APSCO_ERR_LIMIT, saying they are
 * not `what` ("a catalog", "a station file", …); errors name the path.
 */
apsco_status text_read_file(const char *path, size_t max_bytes, const char *what, char **text,
                            size_t *len, apsco_error *err);

/*
 * The line on which each element of a top-level JSON array starts, for
 * diagnostics: jansson keeps no positions. `text` must be JSON a parser has
 * accepted (it is kept by reference). After text_json_scan_init, each call
 * of text_json_scan_next returns the 1-based line of the next element, in
 * order, once per element.
 */
typedef struct text_json_scan {
    const char *text;
    size_t len, pos;
    long line;
} text_json_scan;

void text_json_scan_init(text_json_scan *s, const char *text, size_t len);
long text_json_scan_next(text_json_scan *s);

#endif
