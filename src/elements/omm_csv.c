/*
 * omm_csv.c — CCSDS OMM as CelesTrak publishes it in CSV: a header row of
 * KVN keywords (in any order; columns apsco does not read are ignored), then
 * one element set per row. Fields follow RFC 4180: separated by commas,
 * optionally quoted with '"' (a quoted field may hold commas, line breaks and
 * "" for a quote). Rows end with LF or CRLF.
 *
 * A header that lacks a mandatory column, or names one twice, makes the
 * whole input unreadable; a malformed row is reported with the line where it
 * starts and skipped. What values mean is decided in omm_fields.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elements/omm.h"

#define CSV_NAME_MAX 64 /* a header cell longer than this names no OMM keyword */

typedef struct csv_reader {
    const char *text;
    size_t len, pos;
    long line; /* 1-based line at `pos` */
} csv_reader;

/* One field as read: its text (possibly cut to the buffer), and what ended it. */
typedef struct csv_field {
    char text[OMM_VALUE_MAX + 2];
    size_t len;
    int cut;       /* non-blank text did not fit */
    int bad_quote; /* unterminated quote or text after a closing quote */
    int last;      /* the field ends its row */
} csv_field;

static void put(csv_field *f, char c)
{
    int blank = c == ' ' || c == '\t';
    if (blank && f->len == 0)
        return;
    if (f->len < sizeof f->text - 1)
        f->text[f->len++] = c;
    else if (!blank)
        f->cut = 1;
}

/* Consumes a row end ("\n", "\r\n" or the end of text) at pos, if there is one. */
static int at_row_end(csv_reader *r)
{
    if (r->pos >= r->len)
        return 1;
    if (r->text[r->pos] == '\n' ||
        (r->text[r->pos] == '\r' && r->pos + 1 < r->len && r->text[r->pos + 1] == '\n')) {
        r->pos += r->text[r->pos] == '\r' ? 2 : 1;
        r->line++;
        return 1;
    }
    return 0;
}

/* Reads the rest of an unquoted field, up to a comma or the row end. */
static void read_plain(csv_reader *r, csv_field *f)
{
    for (;;) {
        if (at_row_end(r)) {
            f->last = 1;
            return;
        }
        char c = r->text[r->pos++];
        if (c == ',')
            return;
        put(f, c);
    }
}

/* Reads a quoted field, its opening quote already consumed. */
static void read_quoted(csv_reader *r, csv_field *f)
{
    while (r->pos < r->len) {
        char c = r->text[r->pos++];
        if (c == '"' && r->pos < r->len && r->text[r->pos] == '"') {
            put(f, '"');
            r->pos++;
        } else if (c == '"') {
            /* Only a separator or the row end may follow the closing quote. */
            csv_field rest;
            memset(&rest, 0, sizeof rest);
            read_plain(r, &rest);
            f->last = rest.last;
            f->bad_quote = rest.len > 0 || rest.cut;
            return;
        } else {
            r->line += c == '\n';
            put(f, c);
        }
    }
    f->bad_quote = 1;
    f->last = 1;
}

static void read_field(csv_reader *r, csv_field *f)
{
    memset(f, 0, sizeof *f);
    if (r->pos < r->len && r->text[r->pos] == '"') {
        r->pos++;
        read_quoted(r, f);
    } else {
        read_plain(r, f);
    }
    while (f->len > 0 && (f->text[f->len - 1] == ' ' || f->text[f->len - 1] == '\t'))
        f->len--;
    f->text[f->len] = '\0';
}

/* Skips rows that hold nothing (blank lines). Returns 0 at the end of the text. */
static int next_row(csv_reader *r)
{
    for (;;) {
        if (r->pos >= r->len)
            return 0;
        size_t p = r->pos;
        while (p < r->len && (r->text[p] == ' ' || r->text[p] == '\t' || r->text[p] == '\r'))
            p++;
        if (p < r->len && r->text[p] != '\n')
            return 1;
        r->pos = p < r->len ? p + 1 : p;
        r->line++;
    }
}

typedef struct csv_header {
    int *fields; /* per column: the OMM field it holds, or -1 */
    size_t columns;
    long line;
} csv_header;

static apsco_status read_header(csv_reader *r, const char *source, csv_header *h, apsco_error *err)
{
    long seen[OMM_FIELD_COUNT] = {0};
    size_t cap = 0;
    csv_field f;
    h->line = r->line;
    do {
        read_field(r, &f);
        if (h->columns == cap) {
            cap = cap ? cap * 2 : 32;
            int *grown = realloc(h->fields, cap * sizeof *grown);
            if (!grown)
                return apsco_error_set(err, APSCO_ERR_NOMEM, source, h->line, "out of memory");
            h->fields = grown;
        }
        int field = f.cut || f.len > CSV_NAME_MAX ? -1 : omm_field_lookup(f.text, f.len);
        if (field >= 0 && seen[field])
            return apsco_error_set(err, APSCO_ERR_PARSE, source, h->line,
                                   "CSV header names %s twice (columns %ld and %zu)", f.text,
                                   seen[field], h->columns + 1);
        if (field >= 0)
            seen[field] = (long)h->columns + 1;
        h->fields[h->columns++] = field;
    } while (!f.last);
    char missing[256] = "";
    for (int k = 0; k < OMM_FIELD_COUNT; k++) {
        if (seen[k] || !omm_field_is_mandatory((omm_field)k))
            continue;
        size_t used = strlen(missing);
        snprintf(missing + used, sizeof missing - used, "%s%s", used ? ", " : "",
                 omm_field_name((omm_field)k));
    }
    if (missing[0])
        return apsco_error_set(err, APSCO_ERR_PARSE, source, h->line,
                               "CSV header has no column %s (is the first row OMM keywords?)",
                               missing);
    return APSCO_OK;
}

static apsco_status read_row(csv_reader *r, const csv_header *h, const char *source,
                             const apsco_parse_options *options, apsco_catalog *out,
                             apsco_error *err)
{
    omm_record rec;
    omm_record_reset(&rec, r->line);
    size_t column = 0;
    csv_field f;
    do {
        read_field(r, &f);
        if (f.bad_quote)
            omm_record_problem(&rec, rec.start_line, "column %zu: unbalanced quotes", column + 1);
        int field = column < h->columns ? h->fields[column] : -1;
        column++;
        if (field < 0)
            continue;
        if (f.cut && field != OMM_OBJECT_NAME)
            omm_record_problem(&rec, rec.start_line, "%s is longer than %d characters",
                               omm_field_name((omm_field)field), OMM_VALUE_MAX);
        else
            omm_record_set(&rec, (omm_field)field, f.text, f.len, rec.start_line);
    } while (!f.last);
    if (column != h->columns)
        omm_record_problem(&rec, rec.start_line, "row has %zu fields, the header %zu", column,
                           h->columns);
    return omm_record_finish(&rec, source, options, out, err);
}

apsco_status elements_parse_omm_csv(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err)
{
    csv_reader r = {text, len, omm_skip_bom(text, len), 1};
    csv_header h = {NULL, 0, 0};
    if (!next_row(&r))
        return APSCO_OK;
    apsco_status st = read_header(&r, source, &h, err);
    while (st == APSCO_OK && next_row(&r))
        st = read_row(&r, &h, source, options, out, err);
    free(h.fields);
    return st;
}
