/*
 * text.h — reading numbers from text the same way whatever the process
 * locale says, for every parser of the library.
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

#endif
