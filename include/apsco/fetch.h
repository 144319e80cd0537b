/*
 * apsco/fetch.h — downloading element sets over HTTP(S) with libcurl, for
 * `apsco catalog fetch`: the whole body or an error, never a partial one.
 *
 * A transfer fails (and returns no body) on a connection error, a timeout,
 * an HTTP status of 400 or more, a body shorter than its Content-Length, an
 * empty body, or a body larger than the limit. Parsing and importing are the
 * caller's business (apsco/elements.h, apsco/store.h).
 *
 * libcurl's global initialisation is not thread-safe: call
 * apsco_fetch_global_init once before threads start, or fetch from one
 * thread only.
 */
#ifndef APSCO_FETCH_H
#define APSCO_FETCH_H

#include <stddef.h>

#include "apsco/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct apsco_fetch_options {
    long timeout_s;         /* whole transfer, seconds (0: 60) */
    long connect_timeout_s; /* connection, seconds (0: 15) */
    size_t max_bytes;       /* largest accepted body (0: 256 MiB) */
} apsco_fetch_options;

/* Initialises libcurl once for the process. Errors: APSCO_ERR_IO. */
apsco_status apsco_fetch_global_init(apsco_error *err);

/*
 * Downloads `url` into a new NUL-terminated buffer `*body` of `*len` bytes
 * (free() it). `options` may be NULL. Errors: APSCO_ERR_ARG (bad URL),
 * APSCO_ERR_IO (network, timeout, HTTP status, truncated or empty body, with
 * the reason in the message), APSCO_ERR_LIMIT, APSCO_ERR_NOMEM.
 */
apsco_status apsco_fetch_url(const char *url, const apsco_fetch_options *options, char **body,
                             size_t *len, apsco_error *err);

/*
 * The CelesTrak GP query URL of a group ("active", "stations", …) in
 * OMM JSON. Group names are letters, digits, '-' and '_'. Errors:
 * APSCO_ERR_ARG.
 */
apsco_status apsco_fetch_celestrak_url(const char *group, char *buf, size_t size, apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
