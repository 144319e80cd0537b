/*
 * fetch.c — HTTP(S) downloads with libcurl that either return the whole
 * body or a reason: status codes, timeouts and short bodies are errors.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "apsco/fetch.h"

#define DEFAULT_TIMEOUT_S         60L
#define DEFAULT_CONNECT_TIMEOUT_S 15L
#define DEFAULT_MAX_BYTES         ((size_t)256 * 1024 * 1024)

typedef struct sink {
    char *data;
    size_t len, cap, max;
    int too_big;
} sink;

static size_t on_data(char *ptr, size_t size, size_t nmemb, void *ctx)
{
    sink *s = ctx;
    size_t n = size * nmemb;
    if (s->len + n > s->max) {
        s->too_big = 1;
        return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
    if (s->len + n + 1 > s->cap) {
        size_t cap = s->cap ? s->cap : 1 << 16;
        while (cap < s->len + n + 1)
            cap *= 2;
        char *bigger = realloc(s->data, cap);
        if (!bigger)
            return 0;
        s->data = bigger;
        s->cap = cap;
    }
    memcpy(s->data + s->len, ptr, n);
    s->len += n;
    s->data[s->len] = '\0';
    return n;
}

apsco_status apsco_fetch_global_init(apsco_error *err)
{
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "cannot initialise libcurl");
    return APSCO_OK;
}

apsco_status apsco_fetch_celestrak_url(const char *group, char *buf, size_t size, apsco_error *err)
{
    if (!group || !*group || strlen(group) > 64)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no CelesTrak group given");
    for (const char *p = group; *p; p++)
        if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                                   "group '%s' is not letters, digits, '-' and '_'", group);
    int n = snprintf(buf, size, "https://celestrak.org/NORAD/elements/gp.php?GROUP=%s&FORMAT=json",
                     group);
    if (n < 0 || (size_t)n >= size)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "URL buffer too small");
    return APSCO_OK;
}

/* Turns what curl reported into an apsco_error naming the URL. */
static apsco_status transfer_error(CURL *curl, CURLcode rc, const sink *s, const char *url,
                                   const apsco_fetch_options *o, const char *detail,
                                   apsco_error *err)
{
    if (s->too_big)
        return apsco_error_set(err, APSCO_ERR_LIMIT, url, 0, "response larger than %zu bytes",
                               o->max_bytes);
    if (rc == CURLE_OPERATION_TIMEDOUT)
        return apsco_error_set(err, APSCO_ERR_IO, url, 0, "timed out (limit %ld s)", o->timeout_s);
    if (rc == CURLE_PARTIAL_FILE) {
        curl_off_t expected = -1;
        curl_easy_getinfo(curl, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &expected);
        return apsco_error_set(err, APSCO_ERR_IO, url, 0,
                               "transfer ended early: %zu of %lld bytes received", s->len,
                               (long long)expected);
    }
    if (rc == CURLE_URL_MALFORMAT || rc == CURLE_UNSUPPORTED_PROTOCOL)
        return apsco_error_set(err, APSCO_ERR_ARG, url, 0, "%s",
                               detail[0] ? detail : curl_easy_strerror(rc));
    return apsco_error_set(err, APSCO_ERR_IO, url, 0, "%s",
                           detail[0] ? detail : curl_easy_strerror(rc));
}

apsco_status apsco_fetch_url(const char *url, const apsco_fetch_options *options, char **body,
                             size_t *len, apsco_error *err)
{
    *body = NULL;
    *len = 0;
    if (!url || !*url)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no URL given");
    apsco_fetch_options o = options ? *options : (apsco_fetch_options){0};
    o.timeout_s = o.timeout_s > 0 ? o.timeout_s : DEFAULT_TIMEOUT_S;
    o.connect_timeout_s = o.connect_timeout_s > 0 ? o.connect_timeout_s : DEFAULT_CONNECT_TIMEOUT_S;
    o.max_bytes = o.max_bytes > 0 ? o.max_bytes : DEFAULT_MAX_BYTES;
    CURL *curl = curl_easy_init();
    if (!curl)
        return apsco_error_set(err, APSCO_ERR_NOMEM, url, 0, "cannot start a transfer");
    sink s = {NULL, 0, 0, o.max_bytes, 0};
    char detail[CURL_ERROR_SIZE] = "";
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(curl, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT, o.timeout_s);
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, o.connect_timeout_s);
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_USERAGENT, "apsco");
    curl_easy_setopt(curl, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &s);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, detail);
    CURLcode rc = curl_easy_perform(curl);
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    apsco_status st = APSCO_OK;
    if (rc != CURLE_OK)
        st = transfer_error(curl, rc, &s, url, &o, detail, err);
    else if (status >= 400)
        st = apsco_error_set(err, APSCO_ERR_IO, url, 0, "HTTP status %ld", status);
    else if (s.len == 0)
        st = apsco_error_set(err, APSCO_ERR_IO, url, 0, "empty response (HTTP status %ld)", status);
    curl_easy_cleanup(curl);
    if (st != APSCO_OK) {
        free(s.data);
        return st;
    }
    *body = s.data;
    *len = s.len;
    return APSCO_OK;
}
