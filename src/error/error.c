/*
 * error.c — the status codes and the error record shared by every module.
 *
 * This file only fills and formats apsco_error values; it never prints. The
 * command-line tool and the server decide how a message reaches a person.
 */
#include "apsco/error.h"

#include <stdio.h>
#include <string.h>

void apsco_error_clear(apsco_error *err)
{
    if (!err)
        return;
    err->status = APSCO_OK;
    err->file[0] = '\0';
    err->line = 0;
    err->message[0] = '\0';
}

apsco_status apsco_error_setv(apsco_error *err, apsco_status status, const char *file, long line,
                              const char *fmt, va_list ap)
{
    if (!err)
        return status;
    err->status = status;
    snprintf(err->file, sizeof err->file, "%s", file ? file : "");
    err->line = line;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    return status;
}

apsco_status apsco_error_set(apsco_error *err, apsco_status status, const char *file, long line,
                             const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    apsco_error_setv(err, status, file, line, fmt, ap);
    va_end(ap);
    return status;
}

const char *apsco_status_name(apsco_status status)
{
    switch (status) {
    case APSCO_OK: return "ok";
    case APSCO_ERR_ARG: return "invalid argument";
    case APSCO_ERR_PARSE: return "parse error";
    case APSCO_ERR_VALUE: return "invalid value";
    case APSCO_ERR_EMPTY: return "no valid record";
    case APSCO_ERR_IO: return "input/output error";
    case APSCO_ERR_NOMEM: return "out of memory";
    case APSCO_ERR_SGP4: return "SGP4 error";
    case APSCO_ERR_LIMIT: return "size limit exceeded";
    case APSCO_ERR_STOPPED: return "stopped by the caller";
    }
    return "unknown status";
}

const char *apsco_error_format(const apsco_error *err, char *buf, size_t size)
{
    if (!buf || size == 0)
        return buf;
    if (!err) {
        buf[0] = '\0';
        return buf;
    }
    const char *msg = err->message[0] ? err->message : apsco_status_name(err->status);
    if (err->file[0] && err->line > 0)
        snprintf(buf, size, "%s:%ld: %s", err->file, err->line, msg);
    else if (err->file[0])
        snprintf(buf, size, "%s: %s", err->file, msg);
    else
        snprintf(buf, size, "%s", msg);
    return buf;
}
