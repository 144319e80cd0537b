/*
 * tle.c — two-line and three-line element sets: the fixed column layout of
 * the format, Alpha-5 catalog numbers, checksums, and the conversion of the
 * fields into the units SGP4 consumes.
 *
 * Column positions below are 0-based offsets into the line (the format's
 * documentation counts columns from 1). Only the first 69 columns carry the
 * element set; anything after them is ignored, because files such as the
 * SGP4 verification set keep their own data there. This file parses; it
 * never propagates.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elements/internal.h"
#include "text/text.h"

#define TLE_COLUMNS  69  /* a full line, checksum included */
#define TLE_LINE_MAX 256 /* longer lines are not element sets */

/* Conversions of the reference SGP4 (Vallado et al. 2006, twoline2rv). */
#define XPDOTP  (1440.0 / (2.0 * M_PI)) /* rev/day per rad/min */
#define DEG2RAD (M_PI / 180.0)

void elements_set_from_fields(apsco_elset *e, double mean_motion_rev_day, double ecc,
                              double incl_deg, double raan_deg, double argp_deg,
                              double mean_anomaly_deg, double bstar_per_er, double ndot_rev_day2,
                              double nddot_rev_day3)
{
    /* Same operations in the same order as the reference, so that the doubles agree. */
    e->mean_motion_rad_min = mean_motion_rev_day / XPDOTP;
    e->ndot_rad_min2 = ndot_rev_day2 / (XPDOTP * 1440.0);
    e->nddot_rad_min3 = nddot_rev_day3 / (XPDOTP * 1440.0 * 1440);
    e->bstar_per_er = bstar_per_er;
    e->ecc = ecc;
    e->incl_rad = incl_deg * DEG2RAD;
    e->raan_rad = raan_deg * DEG2RAD;
    e->argp_rad = argp_deg * DEG2RAD;
    e->mean_anomaly_rad = mean_anomaly_deg * DEG2RAD;
}

apsco_status elements_validate(const apsco_elset *e, char *reason, size_t size)
{
    const double values[] = {e->mean_motion_rad_min,
                             e->ecc,
                             e->incl_rad,
                             e->raan_rad,
                             e->argp_rad,
                             e->mean_anomaly_rad,
                             e->bstar_per_er,
                             e->ndot_rad_min2,
                             e->nddot_rad_min3,
                             e->epoch.jd,
                             e->epoch.fr};
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        if (!isfinite(values[i])) {
            snprintf(reason, size, "a value is not a finite number");
            return APSCO_ERR_VALUE;
        }
    }
    if (e->norad < 0 || e->norad > 339999) {
        snprintf(reason, size, "catalog number %ld outside 0-339999", e->norad);
        return APSCO_ERR_VALUE;
    }
    if (e->ecc < 0.0 || e->ecc >= 1.0) {
        snprintf(reason, size, "eccentricity %.7f outside [0, 1)", e->ecc);
        return APSCO_ERR_VALUE;
    }
    if (e->incl_rad < 0.0 || e->incl_rad > 180.0 * DEG2RAD) {
        snprintf(reason, size, "inclination %.4f deg outside [0, 180]", e->incl_rad / DEG2RAD);
        return APSCO_ERR_VALUE;
    }
    if (!(e->mean_motion_rad_min > 0.0)) {
        snprintf(reason, size, "mean motion %.8f rev/day is not positive",
                 e->mean_motion_rad_min * XPDOTP);
        return APSCO_ERR_VALUE;
    }
    return APSCO_OK;
}

apsco_status elements_report(const apsco_parse_options *options, apsco_severity severity,
                             apsco_status status, const char *source, long line, apsco_error *err,
                             const char *fmt, ...)
{
    apsco_error diag;
    va_list ap;
    va_start(ap, fmt);
    apsco_error_setv(&diag, status, source, line, fmt, ap);
    va_end(ap);
    int strict = options && options->strict;
    if (options && options->diag && !strict)
        options->diag(options->diag_ctx, severity, &diag);
    else if (severity != APSCO_WARNING || strict)
        if (err)
            *err = diag;
    return strict ? status : APSCO_OK;
}

apsco_status apsco_alpha5_decode(const char *field5, long *norad)
{
    char f[6];
    memcpy(f, field5, 5);
    f[5] = '\0';
    int i = 0;
    while (i < 4 && f[i] == ' ')
        i++;
    long value = 0;
    if (isupper((unsigned char)f[i]) && i == 0) {
        char c = f[0];
        if (c == 'I' || c == 'O')
            return APSCO_ERR_PARSE;
        value = c - 'A' + 10 - (c > 'I') - (c > 'O');
        i = 1;
    }
    for (; i < 5; i++) {
        if (!isdigit((unsigned char)f[i]))
            return APSCO_ERR_PARSE;
        value = value * 10 + (f[i] - '0');
    }
    *norad = value;
    return APSCO_OK;
}

apsco_status apsco_norad_parse(const char *text, long *norad)
{
    size_t n = strlen(text);
    if (n >= 1 && n <= 5) {
        /* Five characters, right-aligned as in a TLE: digits or Alpha-5. */
        char field[6];
        snprintf(field, sizeof field, "%5s", text);
        return apsco_alpha5_decode(field, norad);
    }
    /* Beyond five characters only a plain number within the Alpha-5 range. */
    char *end;
    errno = 0;
    long v = strtol(text, &end, 10);
    if (!isdigit((unsigned char)text[0]) || *end || errno || v > 339999)
        return APSCO_ERR_PARSE;
    *norad = v;
    return APSCO_OK;
}

apsco_status apsco_alpha5_encode(long norad, char out[6])
{
    if (norad < 0 || norad > 339999)
        return APSCO_ERR_VALUE;
    if (norad < 100000) {
        snprintf(out, 6, "%05ld", norad);
        return APSCO_OK;
    }
    long lead = norad / 10000 - 10; /* 0 = 'A' */
    char c = (char)('A' + lead);
    c += c >= 'I';
    c += c >= 'O';
    snprintf(out, 6, "%c%04ld", c, norad % 10000);
    return APSCO_OK;
}

int apsco_tle_checksum(const char *line)
{
    int sum = 0;
    for (int i = 0; i < TLE_COLUMNS - 1 && line[i]; i++) {
        if (isdigit((unsigned char)line[i]))
            sum += line[i] - '0';
        else if (line[i] == '-')
            sum += 1;
    }
    return sum % 10;
}

/* Copies columns [from, from+n) of `line` into `buf` with surrounding spaces removed. */
static const char *field(const char *line, int from, int n, char *buf)
{
    while (n > 0 && line[from] == ' ') {
        from++;
        n--;
    }
    while (n > 0 && line[from + n - 1] == ' ')
        n--;
    memcpy(buf, line + from, (size_t)n);
    buf[n] = '\0';
    return buf;
}

/*
 * Parses a plain decimal number: [sign] digits [. digits] or [sign] . digits.
 * Refuses anything strtod would also take (exponents, hex, nan, inf).
 */
static int parse_decimal(const char *s, double *out)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    int digits = 0;
    while (isdigit((unsigned char)*p)) {
        p++;
        digits++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            p++;
            digits++;
        }
    }
    if (digits == 0 || *p != '\0')
        return 0;
    *out = text_strtod(s, NULL);
    return 1;
}

/* Parses a non-negative integer field; blank means 0. */
static int parse_count(const char *s, long *out)
{
    long v = 0;
    for (const char *p = s; *p; p++) {
        if (!isdigit((unsigned char)*p))
            return 0;
        v = v * 10 + (*p - '0');
    }
    *out = v;
    return 1;
}

/*
 * Parses the TLE's "assumed decimal point" exponent notation of columns
 * 45-52 and 54-61, e.g. " 12345-3" = 0.12345e-3 and "-11606-4". Like the
 * reference, the mantissa is read first and then scaled by a power of ten.
 */
static int parse_exp_field(const char *line, int from, double *out)
{
    char sign = line[from];
    if (sign != ' ' && sign != '+' && sign != '-')
        return 0;
    for (int i = 1; i <= 5; i++)
        if (!isdigit((unsigned char)line[from + i]) && line[from + i] != ' ')
            return 0;
    char e_sign = line[from + 6], e_digit = line[from + 7];
    if ((e_sign != '+' && e_sign != '-' && e_sign != ' ') || !isdigit((unsigned char)e_digit))
        return 0;
    char digits[5];
    for (int i = 0; i < 5; i++)
        digits[i] = line[from + 1 + i] == ' ' ? '0' : line[from + 1 + i];
    int exponent = (e_digit - '0') * (e_sign == '-' ? -1 : 1);
    *out = elements_tle_exponent_value(sign == '-', digits, exponent);
    return 1;
}

double elements_tle_exponent_value(int negative, const char digits[5], int exponent)
{
    char buf[16];
    snprintf(buf, sizeof buf, "%c0.%.5s", negative ? '-' : '+', digits);
    return text_strtod(buf, NULL) * pow(10.0, exponent);
}

/* Fixed characters of each line (0-based offset, expected character). */
static const struct {
    int at;
    char c;
} line1_layout[] = {{1, ' '},  {8, ' '},  {23, '.'}, {32, ' '}, {34, '.'},
                    {43, ' '}, {52, ' '}, {61, ' '}, {63, ' '}},
  line2_layout[] = {{1, ' '},  {7, ' '},  {11, '.'}, {16, ' '}, {20, '.'}, {25, ' '},
                    {33, ' '}, {37, '.'}, {42, ' '}, {46, '.'}, {51, ' '}};

/* Copies a line without its line ending; returns its length, or -1 if over-long. */
static int clean_line(const char *in, char out[TLE_LINE_MAX + 1])
{
    size_t n = strcspn(in, "\r\n");
    if (n > TLE_LINE_MAX)
        return -1;
    memcpy(out, in, n);
    out[n] = '\0';
    return (int)n;
}

static int has_control_chars(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 && *s != '\t')
            return 1;
    return 0;
}

/* Checks one line's length, its leading line number, layout and characters. */
static int check_line(const char *line, int len, char number, const char *what, char *reason,
                      size_t size)
{
    if (len < 0) {
        snprintf(reason, size, "over-long line %s (more than %d characters)", what, TLE_LINE_MAX);
        return 0;
    }
    if (has_control_chars(line)) {
        snprintf(reason, size, "line %s contains control characters or binary data", what);
        return 0;
    }
    if (len < TLE_COLUMNS - 1) {
        snprintf(reason, size, "truncated line %s (%d characters, expected 69)", what, len);
        return 0;
    }
    if (line[0] != number) {
        snprintf(reason, size, "line %s does not start with '%c'", what, number);
        return 0;
    }
    int n = number == '1' ? (int)(sizeof line1_layout / sizeof line1_layout[0])
                          : (int)(sizeof line2_layout / sizeof line2_layout[0]);
    for (int i = 0; i < n; i++) {
        int at = number == '1' ? line1_layout[i].at : line2_layout[i].at;
        char c = number == '1' ? line1_layout[i].c : line2_layout[i].c;
        if (line[at] != c) {
            snprintf(reason, size, "line %s: column %d should be '%c' (fields are misaligned)",
                     what, at + 1, c);
            return 0;
        }
    }
    return 1;
}

typedef struct tle_fields {
    long norad1, norad2;
    char classification;
    char intldes[APSCO_INTLDES_MAX];
    int year;
    double day, ndot, nddot, bstar, incl, raan, ecc, argp, ma, n;
    long ephemeris_type, element_set_no, rev;
} tle_fields;

static int parse_line1(const char *l, tle_fields *f, char *reason, size_t size)
{
    char buf[16];
    if (apsco_alpha5_decode(l + 2, &f->norad1) != APSCO_OK) {
        snprintf(reason, size, "line 1: catalog number '%.5s' is not a number or Alpha-5", l + 2);
        return 0;
    }
    f->classification = l[7] == ' ' ? 'U' : l[7];
    if (!strchr("UCS", f->classification)) {
        snprintf(reason, size, "line 1: classification '%c' is not U, C or S", l[7]);
        return 0;
    }
    snprintf(f->intldes, sizeof f->intldes, "%s", field(l, 9, 8, buf));
    long yy;
    if (!isdigit((unsigned char)l[18]) || !isdigit((unsigned char)l[19]) ||
        !parse_count(field(l, 18, 2, buf), &yy) || !parse_decimal(field(l, 20, 12, buf), &f->day)) {
        snprintf(reason, size, "line 1: epoch '%.14s' is not YYDDD.DDDDDDDD", l + 18);
        return 0;
    }
    /* Two-digit years: 57-99 are 1957-1999, 00-56 are 2000-2056. */
    f->year = (int)(yy < 57 ? 2000 + yy : 1900 + yy);
    int year_days = (f->year % 4 == 0 && f->year % 100 != 0) || f->year % 400 == 0 ? 366 : 365;
    if (f->day < 1.0 || f->day >= year_days + 1.0) {
        snprintf(reason, size, "line 1: epoch day %.8f is not a day of %d", f->day, f->year);
        return 0;
    }
    if (!parse_decimal(field(l, 33, 10, buf), &f->ndot)) {
        snprintf(reason, size, "line 1: first derivative of mean motion '%.10s' is not a number",
                 l + 33);
        return 0;
    }
    if (!parse_exp_field(l, 44, &f->nddot)) {
        snprintf(reason, size, "line 1: second derivative of mean motion '%.8s' is malformed",
                 l + 44);
        return 0;
    }
    if (!parse_exp_field(l, 53, &f->bstar)) {
        snprintf(reason, size, "line 1: BSTAR '%.8s' is malformed", l + 53);
        return 0;
    }
    if (!parse_count(field(l, 62, 1, buf), &f->ephemeris_type) ||
        !parse_count(field(l, 64, 4, buf), &f->element_set_no)) {
        snprintf(reason, size, "line 1: ephemeris type or element set number is not a number");
        return 0;
    }
    return 1;
}

static int parse_line2(const char *l, tle_fields *f, char *reason, size_t size)
{
    char buf[16];
    if (apsco_alpha5_decode(l + 2, &f->norad2) != APSCO_OK) {
        snprintf(reason, size, "line 2: catalog number '%.5s' is not a number or Alpha-5", l + 2);
        return 0;
    }
    static const struct {
        int from, n;
        const char *name;
    } angles[] = {{8, 8, "inclination"},
                  {17, 8, "right ascension of the node"},
                  {34, 8, "argument of perigee"},
                  {43, 8, "mean anomaly"},
                  {52, 11, "mean motion"}};
    double *targets[] = {&f->incl, &f->raan, &f->argp, &f->ma, &f->n};
    for (int i = 0; i < 5; i++) {
        if (!parse_decimal(field(l, angles[i].from, angles[i].n, buf), targets[i])) {
            snprintf(reason, size, "line 2: %s '%.*s' is not a number", angles[i].name, angles[i].n,
                     l + angles[i].from);
            return 0;
        }
    }
    /* Range checks here, so that the diagnostic names line 2 (elements_validate repeats them). */
    if (f->incl < 0.0 || f->incl > 180.0) {
        snprintf(reason, size, "line 2: inclination %.4f deg outside [0, 180]", f->incl);
        return 0;
    }
    if (!(f->n > 0.0)) {
        snprintf(reason, size, "line 2: mean motion %.8f rev/day is not positive", f->n);
        return 0;
    }
    /* Eccentricity has an assumed leading decimal point; blanks count as zeros. */
    char ecc[16] = "0.";
    for (int i = 0; i < 7; i++) {
        char c = l[26 + i] == ' ' ? '0' : l[26 + i];
        if (!isdigit((unsigned char)c)) {
            snprintf(reason, size, "line 2: eccentricity '%.7s' is not 7 digits", l + 26);
            return 0;
        }
        ecc[2 + i] = c;
    }
    ecc[9] = '\0';
    f->ecc = text_strtod(ecc, NULL);
    if (!parse_count(field(l, 63, 5, buf), &f->rev)) {
        snprintf(reason, size, "line 2: revolution number '%.5s' is not a number", l + 63);
        return 0;
    }
    return 1;
}

/* Copies a name line, without a leading "0 " (CelesTrak's 3LE) and trailing blanks. */
static void copy_name(char *dst, const char *name)
{
    dst[0] = '\0';
    if (!name)
        return;
    while (*name == ' ')
        name++;
    if (name[0] == '0' && name[1] == ' ')
        name += 2;
    size_t n = strcspn(name, "\r\n");
    while (n > 0 && isspace((unsigned char)name[n - 1]))
        n--;
    if (n >= APSCO_NAME_MAX)
        n = APSCO_NAME_MAX - 1;
    memcpy(dst, name, n);
    dst[n] = '\0';
}

/* Builds the element set from parsed fields; the name is set by the caller. */
static void fill_elset(apsco_elset *e, const tle_fields *f)
{
    e->norad = f->norad1;
    snprintf(e->intldes, sizeof e->intldes, "%s", f->intldes);
    e->classification = f->classification;
    e->ephemeris_type = (int)f->ephemeris_type;
    e->element_set_no = (int)f->element_set_no;
    e->rev_at_epoch = f->rev;
    e->epoch_year = f->year;
    e->epoch_day = f->day;
    e->epoch = apsco_time_from_year_day(f->year, f->day);
    elements_set_from_fields(e, f->n, f->ecc, f->incl, f->raan, f->argp, f->ma, f->bstar, f->ndot,
                             f->nddot);
}

apsco_status apsco_elset_parse_tle(const char *line1, const char *line2, const char *name,
                                   const char *source, long line_no,
                                   const apsco_parse_options *options, apsco_elset *out,
                                   apsco_error *err)
{
    char l1[TLE_LINE_MAX + 1], l2[TLE_LINE_MAX + 1], reason[256];
    tle_fields f;
    if (!line1 || !line2 || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, source, line_no, "missing TLE line");
    int n1 = clean_line(line1, l1), n2 = clean_line(line2, l2);
    long where = line_no;
    if (!check_line(l1, n1, '1', "1", reason, sizeof reason) ||
        !parse_line1(l1, &f, reason, sizeof reason))
        return apsco_error_set(err, APSCO_ERR_PARSE, source, where, "%s", reason);
    where = line_no > 0 ? line_no + 1 : 0;
    if (!check_line(l2, n2, '2', "2", reason, sizeof reason) ||
        !parse_line2(l2, &f, reason, sizeof reason))
        return apsco_error_set(err, APSCO_ERR_PARSE, source, where, "%s", reason);
    if (f.norad1 != f.norad2)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, where,
                               "catalog numbers of line 1 (%ld) and line 2 (%ld) differ", f.norad1,
                               f.norad2);
    apsco_elset e;
    memset(&e, 0, sizeof e);
    fill_elset(&e, &f);
    copy_name(e.name, name);
    e.source_line = line_no;
    if (elements_validate(&e, reason, sizeof reason) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line_no, "%s", reason);
    /* A wrong or missing checksum is a warning: the element set is still used. */
    for (int i = 0; i < 2; i++) {
        const char *l = i == 0 ? l1 : l2;
        long at = line_no > 0 ? line_no + i : 0;
        int sum = apsco_tle_checksum(l);
        apsco_status st = APSCO_OK;
        if (!isdigit((unsigned char)l[TLE_COLUMNS - 1]))
            st = elements_report(options, APSCO_WARNING, APSCO_ERR_PARSE, source, at, err,
                                 "catalog %ld: line %d has no checksum (expected %d)", e.norad,
                                 i + 1, sum);
        else if (l[TLE_COLUMNS - 1] - '0' != sum)
            st = elements_report(options, APSCO_WARNING, APSCO_ERR_PARSE, source, at, err,
                                 "catalog %ld: line %d checksum is %c, expected %d", e.norad, i + 1,
                                 l[TLE_COLUMNS - 1], sum);
        if (st != APSCO_OK)
            return st;
    }
    *out = e;
    return APSCO_OK;
}

/* A cursor over the lines of a text that need not be NUL-terminated. */
typedef struct line_reader {
    const char *text;
    size_t len, pos;
    long number; /* 1-based number of the line last read */
} line_reader;

/*
 * Reads the next line into `buf` (at most TLE_LINE_MAX characters plus NUL;
 * a longer line is marked by *long_line). NUL bytes become control
 * characters the checks reject. Returns 0 at the end of the text.
 */
static int next_line(line_reader *r, char buf[TLE_LINE_MAX + 2], int *long_line)
{
    if (r->pos >= r->len)
        return 0;
    size_t start = r->pos, end = start;
    while (end < r->len && r->text[end] != '\n')
        end++;
    r->pos = end < r->len ? end + 1 : end;
    r->number++;
    size_t n = end - start;
    if (n > 0 && r->text[start + n - 1] == '\r')
        n--;
    *long_line = n > TLE_LINE_MAX;
    if (n > TLE_LINE_MAX)
        n = TLE_LINE_MAX;
    for (size_t i = 0; i < n; i++)
        buf[i] = r->text[start + i] ? r->text[start + i] : '\x01';
    buf[n] = '\0';
    return 1;
}

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (!isspace((unsigned char)*s))
            return 0;
    return 1;
}

static int starts_line(const char *s, char number)
{
    return s[0] == number && (s[1] == ' ' || s[1] == '\0');
}

apsco_status elements_parse_tle_text(const char *text, size_t len, const char *source,
                                     const apsco_parse_options *options, apsco_catalog *out,
                                     apsco_error *err)
{
    line_reader r = {text, len, 0, 0};
    char line[TLE_LINE_MAX + 2], l1[TLE_LINE_MAX + 2], name[TLE_LINE_MAX + 2];
    int long_line, long1 = 0, have_name = 0, have_l1 = 0;
    long name_at = 0, l1_at = 0;
    apsco_status st;

    while (next_line(&r, line, &long_line)) {
        if (is_blank(line) || line[0] == '#')
            continue;
        if (have_l1) {
            have_l1 = 0;
            if (!starts_line(line, '2')) {
                st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, l1_at, err,
                                     "line 1 of an element set is not followed by line 2");
                if (st != APSCO_OK)
                    return st;
                have_name = 0;
                /* This line starts the next record. */
            } else {
                apsco_elset e;
                apsco_error e_err;
                if (long1 || long_line) {
                    st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source,
                                         long1 ? l1_at : r.number, err,
                                         "over-long line (more than %d characters)", TLE_LINE_MAX);
                } else {
                    st = apsco_elset_parse_tle(l1, line, have_name ? name : NULL, source, l1_at,
                                               options, &e, &e_err);
                    if (st == APSCO_OK) {
                        e.source_line = have_name ? name_at : l1_at;
                        st = apsco_catalog_append(out, &e);
                        if (st != APSCO_OK)
                            return apsco_error_set(err, st, source, l1_at, "out of memory");
                    } else if (options && options->strict) {
                        if (err)
                            *err = e_err;
                        return st;
                    } else {
                        st = elements_report(options, APSCO_SKIPPED, e_err.status, source,
                                             e_err.line, err, "%s", e_err.message);
                    }
                }
                if (st != APSCO_OK)
                    return st;
                have_name = 0;
                continue;
            }
        }
        if (starts_line(line, '1')) {
            memcpy(l1, line, sizeof l1);
            long1 = long_line;
            l1_at = r.number;
            have_l1 = 1;
            continue;
        }
        if (starts_line(line, '2')) {
            st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, r.number, err,
                                 "line 2 of an element set without its line 1");
            if (st != APSCO_OK)
                return st;
            have_name = 0;
            continue;
        }
        /* A name line. Two in a row mean the first was not a name. */
        if (have_name) {
            st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, name_at, err,
                                 "unrecognised line (neither a name nor an element set line)");
            if (st != APSCO_OK)
                return st;
        }
        if (long_line || has_control_chars(line)) {
            const char *why = long_line ? "over-long line where a name line was expected"
                                        : "binary data where a name line was expected";
            st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, r.number, err,
                                 "%s", why);
            if (st != APSCO_OK)
                return st;
            have_name = 0;
            continue;
        }
        memcpy(name, line, sizeof name);
        name_at = r.number;
        have_name = 1;
    }
    if (have_l1) {
        st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, l1_at, err,
                             "truncated element set: line 2 is missing");
        if (st != APSCO_OK)
            return st;
    } else if (have_name) {
        st = elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, name_at, err,
                             "name line without an element set");
        if (st != APSCO_OK)
            return st;
    }
    return APSCO_OK;
}
