/*
 * text.c — the small text tools the planner's input parsers share: RFC 4180
 * field splitting, trimming and whole-file reading.
 *
 * Kept apart so that requests, windows, outages and entitlements split lines
 * the same way and report the same errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

#define PLAN_FILE_MAX (512L * 1024L * 1024L) /* 512 MiB: larger inputs are not plans */

int plan_csv_split(const char *line, size_t len, char *buf, char **fields, int max)
{
    int n = 0;
    size_t i = 0, o = 0;
    if (len == 0) {
        buf[0] = '\0';
        fields[0] = buf;
        return max > 0 ? 1 : -2;
    }
    for (;;) {
        if (n == max)
            return -2;
        fields[n++] = buf + o;
        if (i < len && line[i] == '"') {
            /* Quoted field: "" is a quote, the field ends at the closing quote. */
            i++;
            for (;;) {
                if (i >= len)
                    return -1;
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        buf[o++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[o++] = line[i++];
            }
            /* Anything between the closing quote and the comma is kept verbatim. */
            while (i < len && line[i] != ',')
                buf[o++] = line[i++];
        } else {
            while (i < len && line[i] != ',')
                buf[o++] = line[i++];
        }
        buf[o++] = '\0';
        if (i >= len)
            return n;
        i++; /* the comma */
        if (i == len) {
            if (n == max)
                return -2;
            buf[o] = '\0';
            fields[n++] = buf + o;
            return n;
        }
    }
}

char *plan_trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        s[--n] = '\0';
    return s;
}

apsco_status plan_read_file(const char *path, char **text, size_t *len, apsco_error *err)
{
    int is_stdin = !strcmp(path, "-");
    FILE *f = is_stdin ? stdin : fopen(path, "rb");
    if (!f)
        return apsco_error_set(err, APSCO_ERR_IO, path, 0, "cannot open: %s", strerror(errno));
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    apsco_status st = buf ? APSCO_OK : APSCO_ERR_NOMEM;
    while (st == APSCO_OK) {
        if (n + 1 >= cap) {
            char *grown = (long)cap >= PLAN_FILE_MAX ? NULL : realloc(buf, cap * 2);
            if (!grown) {
                st = (long)cap >= PLAN_FILE_MAX ? APSCO_ERR_LIMIT : APSCO_ERR_NOMEM;
                break;
            }
            buf = grown;
            cap *= 2;
        }
        size_t got = fread(buf + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    if (st == APSCO_OK && ferror(f))
        st = APSCO_ERR_IO;
    if (!is_stdin)
        fclose(f);
    if (st != APSCO_OK) {
        free(buf);
        return apsco_error_set(err, st, path, 0, "%s",
                               st == APSCO_ERR_LIMIT ? "file larger than 512 MiB"
                               : st == APSCO_ERR_IO  ? "read error"
                                                     : "out of memory");
    }
    buf[n] = '\0';
    *text = buf;
    *len = n;
    return APSCO_OK;
}
