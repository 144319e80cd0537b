/*
 * table_write.c — listings written for people (aligned text), for
 * spreadsheets (CSV, RFC 4180) and for programs (JSON, RFC 8259), from the
 * same apsco_table. Writing only: the values were computed by the query.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/export.h"
#include "apsco/store.h"

int apsco_table_format_parse(const char *name)
{
    if (!name)
        return -1;
    if (!strcmp(name, "table") || !strcmp(name, "text"))
        return APSCO_TABLE_TEXT;
    if (!strcmp(name, "csv"))
        return APSCO_TABLE_CSV;
    if (!strcmp(name, "json"))
        return APSCO_TABLE_JSON;
    return -1;
}

/* Characters on screen: UTF-8 continuation bytes take no column. */
static size_t display_width(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

static void write_text(FILE *out, const apsco_table *t)
{
    size_t *width = calloc(t->columns ? t->columns : 1, sizeof *width);
    if (!width)
        return;
    for (size_t c = 0; c < t->columns; c++) {
        width[c] = display_width(t->names[c]);
        for (size_t r = 0; r < t->rows; r++) {
            const char *v = apsco_table_cell(t, r, c);
            size_t w = display_width(v ? v : "-");
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (size_t r = 0; r <= t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            const char *v = r == 0 ? t->names[c] : apsco_table_cell(t, r - 1, c);
            v = v ? v : "-";
            fputs(v, out);
            if (c + 1 < t->columns)
                fprintf(out, "%*s", (int)(width[c] - display_width(v) + 2), "");
        }
        fputc('\n', out);
    }
    free(width);
}

static void write_csv(FILE *out, const apsco_table *t)
{
    for (size_t c = 0; c < t->columns; c++) {
        if (c)
            fputc(',', out);
        apsco_export_csv_field(out, t->names[c]);
    }
    fputc('\n', out);
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->columns; c++) {
            const char *v = apsco_table_cell(t, r, c);
            if (c)
                fputc(',', out);
            apsco_export_csv_field(out, v ? v : "");
        }
        fputc('\n', out);
    }
}

static void write_json(FILE *out, const apsco_table *t)
{
    fputc('[', out);
    for (size_t r = 0; r < t->rows; r++) {
        fputs(r ? ",\n {" : "\n {", out);
        for (size_t c = 0; c < t->columns; c++) {
            if (c)
                fputs(", ", out);
            apsco_export_json_string(out, t->names[c]);
            fputs(": ", out);
            const char *v = apsco_table_cell(t, r, c);
            unsigned char kind = t->kinds[r * t->columns + c];
            if (!v || kind == APSCO_CELL_NULL)
                fputs("null", out);
            else if (kind == APSCO_CELL_INTEGER || kind == APSCO_CELL_REAL)
                fputs(v, out);
            else
                apsco_export_json_string(out, v);
        }
        fputc('}', out);
    }
    fputs(t->rows ? "\n]\n" : "]\n", out);
}

apsco_status apsco_table_write(FILE *out, const apsco_table *t, apsco_table_format format,
                               apsco_error *err)
{
    switch (format) {
    case APSCO_TABLE_TEXT: write_text(out, t); break;
    case APSCO_TABLE_CSV: write_csv(out, t); break;
    case APSCO_TABLE_JSON: write_json(out, t); break;
    default: return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "unknown table format");
    }
    if (fflush(out) != 0 || ferror(out))
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "write error: %s", strerror(errno));
    return APSCO_OK;
}
