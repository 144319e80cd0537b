/*
 * eop.c — Earth orientation parameters: the IERS finals files (fixed
 * columns, Bulletin A values) and CelesTrak's EOP-All.csv, parsed into one
 * sorted table, and interpolation in that table.
 *
 * The parser reads (pointer, length) lines and never relies on a NUL: input
 * may be any bytes. Every rejected line names the source and its 1-based
 * number; memory is bounded by APSCO_EOP_ROWS_MAX rows. This file knows the
 * file layouts and leap seconds (through the time module); it does not
 * rotate vectors.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/frames.h"
#include "text/text.h"

#define JD_MJD0          2400000.5
#define MJD_FIRST        15020.0  /* 1900-01-01 */
#define MJD_END          124593.0 /* 2200-01-01 */
#define FINALS_COLUMNS   187      /* a full finals2000A.all record */
#define CSV_COLUMNS_MAX  32
#define NUMBER_CHARS_MAX 32

/* Plausibility bounds: far outside anything the IERS has published. */
#define POLE_MAX_ARCSEC 6.0
#define DUT1_MAX_S      2.0
#define LOD_MAX_MS      10.0

typedef struct span {
    const char *p;
    size_t n;
} span;

typedef struct parser {
    const char *source;
    long line;
    apsco_eop *out;
    size_t cap;
    apsco_error *err;
} parser;

/* Column indexes of a CelesTrak header; -1 when the column is absent. */
typedef struct csv_layout {
    int columns;
    int date, mjd, x, y, dut1, lod, type;
} csv_layout;

static apsco_status fail(parser *ps, apsco_status status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static apsco_status fail(parser *ps, apsco_status status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    apsco_error_setv(ps->err, status, ps->source, ps->line, fmt, ap);
    va_end(ap);
    return status;
}

static span trim(span s)
{
    while (s.n > 0 && (s.p[0] == ' ' || s.p[0] == '\t'))
        s.p++, s.n--;
    while (s.n > 0 && (s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t'))
        s.n--;
    return s;
}

/* Columns first..last (1-based, inclusive) of a line, clipped to its length. */
static span columns(span line, size_t first, size_t last)
{
    span s = {line.p, 0};
    if (line.n < first)
        return s;
    s.p = line.p + first - 1;
    s.n = (last < line.n ? last : line.n) - first + 1;
    return s;
}

/* Whether a (trimmed) field is empty. */
static int blank(span s)
{
    return trim(s).n == 0;
}

/*
 * Reads a decimal number: optional sign, digits with at most one point, at
 * least one digit, nothing else (no exponent, no inf/nan, no hex).
 */
static int read_number(span s, double *value)
{
    s = trim(s);
    if (s.n == 0 || s.n > NUMBER_CHARS_MAX)
        return 0;
    size_t i = (s.p[0] == '+' || s.p[0] == '-') ? 1 : 0;
    int digits = 0, points = 0;
    for (; i < s.n; i++) {
        if (isdigit((unsigned char)s.p[i]))
            digits++;
        else if (s.p[i] == '.' && points++ == 0)
            continue;
        else
            return 0;
    }
    if (digits == 0)
        return 0;
    char buf[NUMBER_CHARS_MAX + 1];
    memcpy(buf, s.p, s.n);
    buf[s.n] = '\0';
    *value = text_strtod(buf, NULL);
    return 1;
}

/* Reads an unsigned integer of the (trimmed) field. */
static int read_int(span s, int *value)
{
    s = trim(s);
    if (s.n == 0 || s.n > 9)
        return 0;
    int v = 0;
    for (size_t i = 0; i < s.n; i++) {
        if (!isdigit((unsigned char)s.p[i]))
            return 0;
        v = v * 10 + (s.p[i] - '0');
    }
    *value = v;
    return 1;
}

/* Shows a field in a message: at most 24 printable characters. */
static const char *show(span s, char buf[32])
{
    s = trim(s);
    size_t n = s.n < 24 ? s.n : 24;
    for (size_t i = 0; i < n; i++)
        buf[i] = isprint((unsigned char)s.p[i]) ? s.p[i] : '?';
    buf[n] = '\0';
    return buf;
}

/* The Gregorian date of a whole MJD. */
static void mjd_date(double mjd, int *year, int *month, int *day)
{
    apsco_calendar cal;
    apsco_time_to_calendar(apsco_time_normalize(JD_MJD0 + floor(mjd), 0.0), &cal);
    *year = cal.year;
    *month = cal.month;
    *day = cal.day;
}

static apsco_status check_mjd(parser *ps, double mjd)
{
    if (!(mjd >= MJD_FIRST && mjd < MJD_END))
        return fail(ps, APSCO_ERR_VALUE, "MJD %.2f is outside 1900-2199", mjd);
    return APSCO_OK;
}

/* Validates a row and appends it, growing the table within its limit. */
static apsco_status add_row(parser *ps, const apsco_eop_row *row)
{
    apsco_eop *t = ps->out;
    if (fabs(row->xp_arcsec) >= POLE_MAX_ARCSEC || fabs(row->yp_arcsec) >= POLE_MAX_ARCSEC)
        return fail(ps, APSCO_ERR_VALUE, "polar motion (%g\", %g\") is not plausible",
                    row->xp_arcsec, row->yp_arcsec);
    if (fabs(row->dut1_s) >= DUT1_MAX_S)
        return fail(ps, APSCO_ERR_VALUE, "UT1-UTC of %g s is not plausible", row->dut1_s);
    if (fabs(row->lod_ms) >= LOD_MAX_MS)
        return fail(ps, APSCO_ERR_VALUE, "LOD of %g ms is not plausible", row->lod_ms);
    if (t->count > 0 && !(row->mjd > t->rows[t->count - 1].mjd))
        return fail(ps, APSCO_ERR_VALUE, "MJD %.2f does not follow the previous row's %.2f",
                    row->mjd, t->rows[t->count - 1].mjd);
    if (t->count == ps->cap) {
        if (ps->cap >= APSCO_EOP_ROWS_MAX)
            return fail(ps, APSCO_ERR_LIMIT, "more than %d EOP rows", APSCO_EOP_ROWS_MAX);
        size_t cap = ps->cap ? ps->cap * 2 : 1024;
        if (cap > APSCO_EOP_ROWS_MAX)
            cap = APSCO_EOP_ROWS_MAX;
        apsco_eop_row *rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return fail(ps, APSCO_ERR_NOMEM, "out of memory for %zu EOP rows", cap);
        t->rows = rows;
        ps->cap = cap;
    }
    t->rows[t->count++] = *row;
    return APSCO_OK;
}

/* Reads an optional number field; 1 when present, 0 when blank, -1 when malformed. */
static int optional_number(span field, double *value)
{
    if (blank(field)) {
        *value = 0.0;
        return 0;
    }
    return read_number(field, value) ? 1 : -1;
}

/* A finals I/P flag column: blank, I (IERS) or P (prediction). */
static apsco_status finals_flag(parser *ps, span line, size_t col, int *predicted)
{
    char c = line.n >= col ? line.p[col - 1] : ' ';
    if (c != ' ' && c != 'I' && c != 'P')
        return fail(ps, APSCO_ERR_PARSE, "column %zu: flag '%c' is neither I nor P", col,
                    isprint((unsigned char)c) ? c : '?');
    *predicted |= c == 'P';
    return APSCO_OK;
}

/* Columns 1-15 of a finals record: YYMMDD, a blank, the MJD; they must agree. */
static apsco_status finals_date(parser *ps, span line, double *mjd)
{
    int yy, mm, dd, year, month, day;
    if (!read_int(columns(line, 1, 2), &yy) || !read_int(columns(line, 3, 4), &mm) ||
        !read_int(columns(line, 5, 6), &dd) || line.p[6] != ' ')
        return fail(ps, APSCO_ERR_PARSE,
                    "columns 1-6 are not a date YYMMDD: not an IERS finals record");
    char shown[32];
    if (!read_number(columns(line, 8, 15), mjd))
        return fail(ps, APSCO_ERR_PARSE, "columns 8-15: MJD '%s' is not a number",
                    show(columns(line, 8, 15), shown));
    apsco_status st = check_mjd(ps, *mjd);
    if (st != APSCO_OK)
        return st;
    mjd_date(*mjd, &year, &month, &day);
    if (year % 100 != yy || month != mm || day != dd)
        return fail(ps, APSCO_ERR_VALUE,
                    "date %02d-%02d-%02d does not match MJD %.2f (%04d-%02d-%02d)", yy, mm, dd,
                    *mjd, year, month, day);
    return APSCO_OK;
}

/* One finals field by its columns: 1 present, 0 blank, or an error. */
static apsco_status finals_field(parser *ps, span line, size_t first, size_t last, const char *name,
                                 double *value, int *present)
{
    span f = columns(line, first, last);
    int got = optional_number(f, value);
    if (got < 0) {
        char shown[32];
        return fail(ps, APSCO_ERR_PARSE, "columns %zu-%zu: %s '%s' is not a number", first, last,
                    name, show(f, shown));
    }
    *present = got;
    return APSCO_OK;
}

/*
 * One record of finals.all / finals2000A.all (IERS readme.finals2000A):
 * MJD 8-15, PM flag 17, PM-x 19-27, PM-y 38-46 (arcsec), UT1 flag 58,
 * UT1-UTC 59-68 (s), LOD 80-86 (ms). The rest (errors, nutation, Bulletin B)
 * is not used.
 */
static apsco_status parse_finals_line(parser *ps, span line)
{
    while (line.n > 0 && (line.p[line.n - 1] == ' ' || line.p[line.n - 1] == '\t'))
        line.n--;
    if (line.n == 0)
        return APSCO_OK;
    if (line.n > FINALS_COLUMNS)
        return fail(ps, APSCO_ERR_PARSE, "line longer than the %d columns of a finals record",
                    FINALS_COLUMNS);
    if (line.n < 15)
        return fail(ps, APSCO_ERR_PARSE,
                    "line too short for a finals record (date and MJD in columns 1-15)");
    apsco_eop_row row = {0};
    apsco_status st = finals_date(ps, line, &row.mjd);
    int has_x, has_y, has_dut1, has_lod;
    if (st == APSCO_OK)
        st = finals_flag(ps, line, 17, &row.predicted);
    if (st == APSCO_OK)
        st = finals_flag(ps, line, 58, &row.predicted);
    if (st == APSCO_OK)
        st = finals_field(ps, line, 19, 27, "PM-x", &row.xp_arcsec, &has_x);
    if (st == APSCO_OK)
        st = finals_field(ps, line, 38, 46, "PM-y", &row.yp_arcsec, &has_y);
    if (st == APSCO_OK)
        st = finals_field(ps, line, 59, 68, "UT1-UTC", &row.dut1_s, &has_dut1);
    if (st == APSCO_OK)
        st = finals_field(ps, line, 80, 86, "LOD", &row.lod_ms, &has_lod);
    if (st != APSCO_OK)
        return st;
    /* The dates after the end of the predictions carry no values. */
    if (!has_x && !has_y && !has_dut1 && !has_lod)
        return APSCO_OK;
    if (!has_x || !has_y || !has_dut1)
        return fail(ps, APSCO_ERR_PARSE,
                    "incomplete record: PM-x, PM-y and UT1-UTC are required together");
    return add_row(ps, &row);
}

/* Splits a CSV line at commas into at most `max` fields; returns the count (max + 1 if more). */
static int split_csv(span line, span *fields, int max)
{
    int count = 0;
    const char *p = line.p, *end = line.p + line.n;
    for (;;) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        if (count == max)
            return max + 1;
        fields[count++] = trim((span){p, (size_t)(stop - p)});
        if (!comma)
            return count;
        p = comma + 1;
    }
}

static int name_is(span s, const char *name)
{
    size_t n = strlen(name);
    if (s.n != n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)s.p[i]) != name[i])
            return 0;
    return 1;
}

/* The CelesTrak header: finds the columns apsco reads by their names. */
static apsco_status parse_csv_header(parser *ps, span line, csv_layout *lay)
{
    span f[CSV_COLUMNS_MAX];
    int n = split_csv(line, f, CSV_COLUMNS_MAX);
    if (n > CSV_COLUMNS_MAX)
        return fail(ps, APSCO_ERR_PARSE, "header has more than %d columns", CSV_COLUMNS_MAX);
    *lay = (csv_layout){n, -1, -1, -1, -1, -1, -1, -1};
    for (int i = 0; i < n; i++) {
        int *slot = name_is(f[i], "DATE")        ? &lay->date
                    : name_is(f[i], "MJD")       ? &lay->mjd
                    : name_is(f[i], "X")         ? &lay->x
                    : name_is(f[i], "Y")         ? &lay->y
                    : name_is(f[i], "UT1-UTC")   ? &lay->dut1
                    : name_is(f[i], "LOD")       ? &lay->lod
                    : name_is(f[i], "DATA_TYPE") ? &lay->type
                                                 : NULL;
        if (slot && *slot >= 0)
            return fail(ps, APSCO_ERR_PARSE, "column %d repeats a header name", i + 1);
        if (slot)
            *slot = i;
    }
    if (lay->mjd < 0 || lay->x < 0 || lay->y < 0 || lay->dut1 < 0)
        return fail(ps, APSCO_ERR_PARSE,
                    "EOP CSV header lacks one of MJD, X, Y, UT1-UTC (CelesTrak EOP-All.csv)");
    return APSCO_OK;
}

/* A CelesTrak DATE field, YYYY-MM-DD, checked against the row's MJD. */
static apsco_status csv_date(parser *ps, span f, double mjd)
{
    int y, m, d, year, month, day;
    char shown[32];
    if (f.n != 10 || f.p[4] != '-' || f.p[7] != '-' || !read_int((span){f.p, 4}, &y) ||
        !read_int((span){f.p + 5, 2}, &m) || !read_int((span){f.p + 8, 2}, &d))
        return fail(ps, APSCO_ERR_PARSE, "DATE '%s' is not YYYY-MM-DD", show(f, shown));
    mjd_date(mjd, &year, &month, &day);
    if (y != year || m != month || d != day)
        return fail(ps, APSCO_ERR_VALUE, "DATE %04d-%02d-%02d does not match MJD %.2f", y, m, d,
                    mjd);
    return APSCO_OK;
}

/* A required numeric CSV field. */
static apsco_status csv_number(parser *ps, span f, const char *name, double *value)
{
    char shown[32];
    if (!read_number(f, value))
        return fail(ps, APSCO_ERR_PARSE, "%s '%s' is not a number", name, show(f, shown));
    return APSCO_OK;
}

/* One data line of EOP-All.csv: X, Y (arcsec), UT1-UTC, LOD (s), DATA_TYPE O/P. */
static apsco_status parse_csv_line(parser *ps, span line, const csv_layout *lay)
{
    if (trim(line).n == 0)
        return APSCO_OK;
    span f[CSV_COLUMNS_MAX];
    int n = split_csv(line, f, lay->columns);
    if (n != lay->columns)
        return fail(ps, APSCO_ERR_PARSE, "%s fields than the header's %d",
                    n > lay->columns ? "more" : "fewer", lay->columns);
    apsco_eop_row row = {0};
    apsco_status st = csv_number(ps, f[lay->mjd], "MJD", &row.mjd);
    if (st == APSCO_OK)
        st = check_mjd(ps, row.mjd);
    if (st == APSCO_OK && lay->date >= 0)
        st = csv_date(ps, f[lay->date], row.mjd);
    if (st == APSCO_OK)
        st = csv_number(ps, f[lay->x], "X", &row.xp_arcsec);
    if (st == APSCO_OK)
        st = csv_number(ps, f[lay->y], "Y", &row.yp_arcsec);
    if (st == APSCO_OK)
        st = csv_number(ps, f[lay->dut1], "UT1-UTC", &row.dut1_s);
    if (st != APSCO_OK)
        return st;
    char shown[32];
    if (lay->lod >= 0 && optional_number(f[lay->lod], &row.lod_ms) < 0)
        return fail(ps, APSCO_ERR_PARSE, "LOD '%s' is not a number", show(f[lay->lod], shown));
    row.lod_ms *= 1e3; /* CelesTrak gives seconds */
    if (lay->type >= 0) {
        span t = f[lay->type];
        if (t.n > 1 || (t.n == 1 && t.p[0] != 'O' && t.p[0] != 'P'))
            return fail(ps, APSCO_ERR_PARSE, "DATA_TYPE '%s' is neither O nor P", show(t, shown));
        row.predicted = t.n == 1 && t.p[0] == 'P';
    }
    return add_row(ps, &row);
}

/* The next line at *pos (without its CR/LF); 0 at the end of the text. */
static int next_line(const char *text, size_t len, size_t *pos, span *line)
{
    if (*pos >= len)
        return 0;
    const char *p = text + *pos;
    const char *nl = memchr(p, '\n', len - *pos);
    size_t n = nl ? (size_t)(nl - p) : len - *pos;
    *pos += n + (nl != NULL);
    if (n > 0 && p[n - 1] == '\r')
        n--;
    *line = (span){p, n};
    return 1;
}

/* A CSV header starts with a column name and has commas; finals records start with digits. */
static int looks_like_csv(span line)
{
    return memchr(line.p, ',', line.n) != NULL;
}

apsco_status apsco_eop_parse(const char *text, size_t len, const char *source, apsco_eop *out,
                             apsco_error *err)
{
    if (!out || (!text && len > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, source, 0, "missing EOP text or table");
    *out = (apsco_eop){NULL, 0};
    parser ps = {source ? source : "", 0, out, 0, err};
    size_t pos = 0;
    if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    span line;
    csv_layout lay;
    int format = 0; /* 0 unknown, 1 finals, 2 CSV */
    apsco_status st = APSCO_OK;
    while (st == APSCO_OK && next_line(text, len, &pos, &line)) {
        ps.line++;
        if (format == 0 && trim(line).n == 0)
            continue;
        if (format == 0) {
            format = looks_like_csv(line) ? 2 : 1;
            if (format == 2) {
                st = parse_csv_header(&ps, line, &lay);
                continue;
            }
        }
        st = format == 2 ? parse_csv_line(&ps, line, &lay) : parse_finals_line(&ps, line);
    }
    if (st == APSCO_OK && out->count == 0)
        st = apsco_error_set(err, APSCO_ERR_EMPTY, ps.source, 0, "no EOP rows");
    if (st != APSCO_OK)
        apsco_eop_free(out);
    return st;
}

apsco_status apsco_eop_load(const char *path, apsco_eop *out, apsco_error *err)
{
    if (!path || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "missing EOP path or table");
    *out = (apsco_eop){NULL, 0};
    char *buf = NULL;
    size_t n = 0;
    apsco_status st =
        text_read_file(path, (size_t)APSCO_EOP_BYTES_MAX, "an EOP file", &buf, &n, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_eop_parse(buf, n, path, out, err);
    free(buf);
    return st;
}

void apsco_eop_free(apsco_eop *eop)
{
    if (!eop)
        return;
    free(eop->rows);
    eop->rows = NULL;
    eop->count = 0;
}

/* The UTC instant of an MJD. */
static apsco_time mjd_time(double mjd)
{
    return apsco_time_normalize(JD_MJD0, mjd);
}

/* Index i with rows[i].mjd <= mjd < rows[i + 1].mjd, for rows[0].mjd <= mjd < rows[last].mjd. */
static size_t bracket(const apsco_eop *eop, double mjd)
{
    size_t lo = 0, hi = eop->count - 1;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (eop->rows[mid].mjd <= mjd)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

int apsco_eop_interpolate(const apsco_eop *eop, apsco_time t, apsco_eop_row *out)
{
    apsco_eop_row zero = {0};
    if (!out)
        return 0;
    *out = zero;
    if (!eop || eop->count == 0 || !eop->rows)
        return 0;
    const apsco_eop_row *first = &eop->rows[0], *last = &eop->rows[eop->count - 1];
    double mjd = (t.jd - JD_MJD0) + t.fr;
    if (!(mjd >= first->mjd && mjd <= last->mjd))
        return 0;
    if (mjd == last->mjd) {
        *out = *last;
        return 1;
    }
    const apsco_eop_row *a = &eop->rows[bracket(eop, mjd)], *b = a + 1;
    double w = (mjd - a->mjd) / (b->mjd - a->mjd);
    out->mjd = mjd;
    out->xp_arcsec = a->xp_arcsec + (b->xp_arcsec - a->xp_arcsec) * w;
    out->yp_arcsec = a->yp_arcsec + (b->yp_arcsec - a->yp_arcsec) * w;
    out->lod_ms = a->lod_ms + (b->lod_ms - a->lod_ms) * w;
    out->predicted = a->predicted || b->predicted;
    /*
     * UT1 - UTC jumps by a whole second at a leap second while UT1 - TAI is
     * continuous: interpolate the latter and add TAI - UTC of the instant.
     */
    double ua = a->dut1_s - apsco_time_tai_minus_utc_s(mjd_time(a->mjd));
    double ub = b->dut1_s - apsco_time_tai_minus_utc_s(mjd_time(b->mjd));
    out->dut1_s = ua + (ub - ua) * w + apsco_time_tai_minus_utc_s(t);
    return 1;
}

int apsco_eop_at(const apsco_eop *eop, apsco_time t, double *xp_rad, double *yp_rad, double *dut1_s)
{
    apsco_eop_row row;
    int inside = apsco_eop_interpolate(eop, t, &row);
    const double arcsec = M_PI / (180.0 * 3600.0);
    if (xp_rad)
        *xp_rad = row.xp_arcsec * arcsec;
    if (yp_rad)
        *yp_rad = row.yp_arcsec * arcsec;
    if (dut1_s)
        *dut1_s = row.dut1_s;
    return inside;
}
