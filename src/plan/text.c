/*
 * text.c — the small text tools the planner's input parsers share: RFC 4180
 * field splitting and trimming.
 *
 * Kept apart so that requests, windows, outages and entitlements split lines
 * the same way and report the same errors.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

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
