/*
 * file.c — reading a whole input into memory, the first step of every
 * parser that reads a file: element sets, station files, EOP tables and the
 * bundled registry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text/text.h"

/* Reads all of `f` into a NUL-terminated buffer of at most `max_bytes` bytes. */
static apsco_status read_stream(FILE *f, const char *path, size_t max_bytes, const char *what,
                                char **text, size_t *len, apsco_error *err)
{
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    if (!buf)
        return apsco_error_set(err, APSCO_ERR_NOMEM, path, 0, "out of memory");
    for (;;) {
        if (cap - n < 2) {
            if (cap > max_bytes) {
                free(buf);
                return apsco_error_set(err, APSCO_ERR_LIMIT, path, 0,
                                       "larger than %zu bytes: not %s", max_bytes, what);
            }
            char *bigger = realloc(buf, cap * 2);
            if (!bigger) {
                free(buf);
                return apsco_error_set(err, APSCO_ERR_NOMEM, path, 0, "out of memory");
            }
            buf = bigger;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - n - 1, f);
        n += got;
        if (got == 0)
            break;
    }
    if (ferror(f)) {
        int e = errno;
        free(buf);
        return apsco_error_set(err, APSCO_ERR_IO, path, 0, "read error: %s", strerror(e));
    }
    if (n > max_bytes) {
        free(buf);
        return apsco_error_set(err, APSCO_ERR_LIMIT, path, 0, "larger than %zu bytes: not %s",
                               max_bytes, what);
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return APSCO_OK;
}

apsco_status text_read_file(const char *path, size_t max_bytes, const char *what, char **text,
                            size_t *len, apsco_error *err)
{
    if (!path)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no %s given", what);
    int use_stdin = !strcmp(path, "-");
    FILE *f = use_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return apsco_error_set(err, APSCO_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    apsco_status st = read_stream(f, path, max_bytes, what, text, len, err);
    if (!use_stdin)
        fclose(f);
    return st;
}
