/*
 * csv.c — reading RFC 4180 records with the line each one starts on.
 *
 * The reader copies every field of a record into one buffer, NUL-terminated,
 * so that callers get plain C strings and the text itself is never modified.
 */
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"

apsco_status apsco_csv_open(apsco_csv *r, const char *text, size_t len, const char *source,
                            apsco_error *err)
{
    memset(r, 0, sizeof *r);
    r->source = source ? source : "-";
    r->buf = malloc(APSCO_CSV_RECORD_MAX + APSCO_CSV_FIELDS_MAX);
    if (!r->buf)
        return apsco_error_set(err, APSCO_ERR_NOMEM, r->source, 0, "out of memory");
    r->p = text ? text : "";
    r->end = r->p + (text ? len : 0);
    r->line = 1;
    /* A byte order mark says nothing about the records. */
    if (r->end - r->p >= 3 && !memcmp(r->p, "\xEF\xBB\xBF", 3))
        r->p += 3;
    return APSCO_OK;
}

void apsco_csv_close(apsco_csv *r)
{
    if (!r)
        return;
    free(r->buf);
    r->buf = NULL;
}

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* True when the line starting at `p` holds only blanks (or is a '#' note). */
static int skippable_line(const char *p, const char *end)
{
    while (p < end && is_blank(*p))
        p++;
    return p == end || *p == '\n' || *p == '\r' || *p == '#';
}

/* Moves past the rest of the current line and its newline. */
static void skip_line(apsco_csv *r)
{
    const char *nl = memchr(r->p, '\n', (size_t)(r->end - r->p));
    if (!nl) {
        r->p = r->end;
        return;
    }
    r->p = nl + 1;
    r->line++;
}

typedef struct record_buf {
    char *data;
    size_t used;
} record_buf;

/* Appends one byte; returns 0 when the record would exceed its limit. */
static int put(record_buf *b, char c)
{
    if (b->used >= APSCO_CSV_RECORD_MAX + APSCO_CSV_FIELDS_MAX - 1)
        return 0;
    b->data[b->used++] = c;
    return 1;
}

static apsco_status too_long(apsco_csv *r, apsco_error *err)
{
    return apsco_error_set(err, APSCO_ERR_LIMIT, r->source, r->record_line,
                           "record longer than %d bytes", APSCO_CSV_RECORD_MAX);
}

/* Reads a quoted field whose opening quote has been consumed. */
static apsco_status read_quoted(apsco_csv *r, record_buf *b, apsco_error *err)
{
    for (;;) {
        if (r->p == r->end)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "unterminated quoted field");
        char c = *r->p++;
        if (c == '\0')
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->line, "NUL byte in text");
        if (c == '"') {
            if (r->p < r->end && *r->p == '"') {
                r->p++;
            } else {
                break;
            }
        }
        if (c == '\n')
            r->line++;
        if (!put(b, c))
            return too_long(r, err);
    }
    while (r->p < r->end && (is_blank(*r->p) || *r->p == '\r'))
        r->p++;
    if (r->p < r->end && *r->p != ',' && *r->p != '\n')
        return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->line,
                               "text after the closing quote of a field");
    return APSCO_OK;
}

/* Reads an unquoted field up to the next comma or newline, without surrounding blanks. */
static apsco_status read_plain(apsco_csv *r, record_buf *b, apsco_error *err)
{
    size_t start = b->used;
    while (r->p < r->end && *r->p != ',' && *r->p != '\n') {
        if (*r->p == '\0')
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->line, "NUL byte in text");
        if (!put(b, *r->p++))
            return too_long(r, err);
    }
    while (b->used > start && (is_blank(b->data[b->used - 1]) || b->data[b->used - 1] == '\r'))
        b->used--;
    return APSCO_OK;
}

apsco_status apsco_csv_next(apsco_csv *r, int *got, apsco_error *err)
{
    *got = 0;
    r->count = 0;
    while (r->p < r->end && skippable_line(r->p, r->end))
        skip_line(r);
    if (r->p >= r->end)
        return APSCO_OK;
    r->record_line = r->line;
    record_buf b = {r->buf, 0};
    for (;;) {
        if (r->count == APSCO_CSV_FIELDS_MAX)
            return apsco_error_set(err, APSCO_ERR_LIMIT, r->source, r->record_line,
                                   "more than %d fields", APSCO_CSV_FIELDS_MAX);
        size_t start = b.used;
        while (r->p < r->end && is_blank(*r->p))
            r->p++;
        apsco_status st;
        if (r->p < r->end && *r->p == '"') {
            r->p++;
            st = read_quoted(r, &b, err);
        } else {
            st = read_plain(r, &b, err);
        }
        if (st != APSCO_OK)
            return st;
        if (!put(&b, '\0'))
            return too_long(r, err);
        r->field[r->count++] = r->buf + start;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        if (r->p < r->end) {
            r->p++; /* the newline */
            r->line++;
        }
        break;
    }
    *got = 1;
    return APSCO_OK;
}
