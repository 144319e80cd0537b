/*
 * apsco/error.h — status codes and the error record every library call fills.
 *
 * The library never prints and never exits. A function that can fail returns
 * an apsco_status (APSCO_OK = 0) and, when the caller passes a non-NULL
 * apsco_error, describes the failure there: a message and, for input errors,
 * the input's name and 1-based line. Diagnostics that do not stop the work
 * (a skipped record, a checksum warning) go to an apsco_diag callback.
 */
#ifndef APSCO_ERROR_H
#define APSCO_ERROR_H

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum apsco_status {
    APSCO_OK = 0,
    APSCO_ERR_ARG,    /* the caller passed an invalid argument */
    APSCO_ERR_PARSE,  /* input text is malformed */
    APSCO_ERR_VALUE,  /* input is well formed but a value is impossible */
    APSCO_ERR_EMPTY,  /* input holds no valid record */
    APSCO_ERR_IO,     /* a file could not be read or written */
    APSCO_ERR_NOMEM,  /* out of memory */
    APSCO_ERR_SGP4,   /* SGP4 reported an error code (see apsco/orbit.h) */
    APSCO_ERR_LIMIT,  /* input exceeds a documented size limit */
    APSCO_ERR_STOPPED /* a caller's callback asked to stop */
} apsco_status;

typedef struct apsco_error {
    apsco_status status;
    char file[256];    /* input name ("-" for stdin); "" when not about an input */
    long line;         /* 1-based line in that input; 0 when unknown */
    char message[512]; /* human-readable reason, no trailing newline */
} apsco_error;

/* Severity of a diagnostic delivered to an apsco_diag callback. */
typedef enum apsco_severity {
    APSCO_WARNING = 1, /* the record is still used (e.g. a TLE checksum mismatch) */
    APSCO_SKIPPED = 2  /* the record is malformed and was skipped */
} apsco_severity;

/*
 * Receives one diagnostic. `diag` is valid only during the call. The callback
 * must not call back into the function that reports.
 */
typedef void (*apsco_diag_fn)(void *ctx, apsco_severity severity, const apsco_error *diag);

/* Resets `err` to APSCO_OK with empty fields. NULL is allowed. */
void apsco_error_clear(apsco_error *err);

/*
 * Fills `err` (if not NULL) with `status`, the input location (`file` may be
 * NULL, `line` 0 when unknown) and a printf-style message. Returns `status`
 * so that callers can write `return apsco_error_set(err, ...)`.
 */
apsco_status apsco_error_set(apsco_error *err, apsco_status status, const char *file, long line,
                             const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Same as apsco_error_set with a va_list. */
apsco_status apsco_error_setv(apsco_error *err, apsco_status status, const char *file, long line,
                              const char *fmt, va_list ap);

/* A short constant name for a status ("ok", "parse error", ...). */
const char *apsco_status_name(apsco_status status);

/*
 * Formats `err` as "FILE:LINE: message" (or "FILE: message", or "message"
 * when there is no location) into `buf` of `size` bytes. Returns `buf`.
 */
const char *apsco_error_format(const apsco_error *err, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif
