/*
 * omm_fields.c — the meaning of CCSDS OMM values, shared by the KVN, XML,
 * JSON and CSV parsers: which keywords are mandatory, the number syntax, the
 * epoch (calendar or day-of-year form), the catalog-number range (Alpha-5),
 * OBJECT_ID -> TLE international designator, and the checks that the message
 * holds SGP4 elements (EARTH, TEME, UTC, SGP4). Values are converted with
 * elements_set_from_fields, as a TLE's are, so that the formats agree to the
 * bit. This file knows nothing about any encoding's syntax.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "elements/omm.h"
#include "text/text.h"

static const char *const field_names[OMM_FIELD_COUNT] = {
    [OMM_OBJECT_NAME] = "OBJECT_NAME",
    [OMM_OBJECT_ID] = "OBJECT_ID",
    [OMM_CENTER_NAME] = "CENTER_NAME",
    [OMM_REF_FRAME] = "REF_FRAME",
    [OMM_TIME_SYSTEM] = "TIME_SYSTEM",
    [OMM_MEAN_ELEMENT_THEORY] = "MEAN_ELEMENT_THEORY",
    [OMM_EPOCH] = "EPOCH",
    [OMM_MEAN_MOTION] = "MEAN_MOTION",
    [OMM_ECCENTRICITY] = "ECCENTRICITY",
    [OMM_INCLINATION] = "INCLINATION",
    [OMM_RA_OF_ASC_NODE] = "RA_OF_ASC_NODE",
    [OMM_ARG_OF_PERICENTER] = "ARG_OF_PERICENTER",
    [OMM_MEAN_ANOMALY] = "MEAN_ANOMALY",
    [OMM_EPHEMERIS_TYPE] = "EPHEMERIS_TYPE",
    [OMM_CLASSIFICATION_TYPE] = "CLASSIFICATION_TYPE",
    [OMM_NORAD_CAT_ID] = "NORAD_CAT_ID",
    [OMM_ELEMENT_SET_NO] = "ELEMENT_SET_NO",
    [OMM_REV_AT_EPOCH] = "REV_AT_EPOCH",
    [OMM_BSTAR] = "BSTAR",
    [OMM_MEAN_MOTION_DOT] = "MEAN_MOTION_DOT",
    [OMM_MEAN_MOTION_DDOT] = "MEAN_MOTION_DDOT",
};

/*
 * What SGP4 cannot do without. CCSDS makes OBJECT_NAME and OBJECT_ID
 * mandatory too, but an element set is usable without them (as a two-line
 * TLE is without a name); the TLE-only counters default to what a TLE
 * leaves blank (EPHEMERIS_TYPE 0, CLASSIFICATION_TYPE U, ELEMENT_SET_NO 0,
 * REV_AT_EPOCH 0).
 */
static const omm_field mandatory[] = {
    OMM_EPOCH,          OMM_MEAN_MOTION,       OMM_ECCENTRICITY,    OMM_INCLINATION,
    OMM_RA_OF_ASC_NODE, OMM_ARG_OF_PERICENTER, OMM_MEAN_ANOMALY,    OMM_NORAD_CAT_ID,
    OMM_BSTAR,          OMM_MEAN_MOTION_DOT,   OMM_MEAN_MOTION_DDOT};

int omm_field_lookup(const char *key, size_t len)
{
    for (int f = 0; f < OMM_FIELD_COUNT; f++)
        if (strlen(field_names[f]) == len && memcmp(field_names[f], key, len) == 0)
            return f;
    return -1;
}

const char *omm_field_name(omm_field field)
{
    return field_names[field];
}

int omm_field_is_mandatory(omm_field field)
{
    for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++)
        if (mandatory[i] == field)
            return 1;
    return 0;
}

size_t omm_skip_bom(const char *text, size_t len)
{
    if (len >= 3 && (unsigned char)text[0] == 0xEF && (unsigned char)text[1] == 0xBB &&
        (unsigned char)text[2] == 0xBF)
        return 3;
    return 0;
}

void omm_record_reset(omm_record *r, long start_line)
{
    memset(r, 0, sizeof *r);
    r->start_line = start_line;
}

void omm_record_problem(omm_record *r, long line, const char *fmt, ...)
{
    if (r->problem[0])
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->problem, sizeof r->problem, fmt, ap);
    va_end(ap);
    r->problem_line = line;
}

static int is_blank_byte(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* The longest prefix of the `len` bytes at `s`, at most `max`, that does not split a UTF-8
 * character. */
static size_t utf8_cut(const char *s, size_t len, size_t max)
{
    if (len <= max)
        return len;
    len = max;
    while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
        len--;
    return len;
}

void omm_record_set(omm_record *r, omm_field field, const char *value, size_t len, long line)
{
    while (len > 0 && is_blank_byte(value[0])) {
        value++;
        len--;
    }
    while (len > 0 && is_blank_byte(value[len - 1]))
        len--;
    if (len == 0)
        return;
    if (r->line[field]) {
        omm_record_problem(r, line, "%s given twice (first on line %ld)", field_names[field],
                           r->line[field]);
        return;
    }
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c < 0x20 || c == 0x7F) {
            omm_record_problem(r, line, "%s contains control characters", field_names[field]);
            return;
        }
    }
    /* A name is only displayed: cut it rather than lose the element set. */
    if (field == OMM_OBJECT_NAME)
        len = utf8_cut(value, len, OMM_VALUE_MAX);
    if (len > OMM_VALUE_MAX) {
        omm_record_problem(r, line, "%s is longer than %d characters", field_names[field],
                           OMM_VALUE_MAX);
        return;
    }
    memcpy(r->value[field], value, len);
    r->value[field][len] = '\0';
    r->line[field] = line;
}

/* The outcome of a failed conversion: why, where, and which status. */
typedef struct failure {
    apsco_status status;
    long line;
    char reason[256];
} failure;

static int fail(failure *why, const omm_record *r, omm_field field, apsco_status status,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static int fail(failure *why, const omm_record *r, omm_field field, apsco_status status,
                const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why->reason, sizeof why->reason, fmt, ap);
    va_end(ap);
    why->status = status;
    why->line = r->line[field] ? r->line[field] : r->start_line;
    return 0;
}

/*
 * A decimal number as CCSDS writes it: [sign] digits [. digits] [E [sign]
 * digits], with digits on at least one side of the point (".1845686" and
 * "-.22483E-4" are fine). Refuses what strtod would also take: hexadecimal,
 * "nan", "inf", white space.
 */
static int is_decimal_syntax(const char *s)
{
    const char *p = s;
    int digits = 0;
    if (*p == '+' || *p == '-')
        p++;
    for (; isdigit((unsigned char)*p); p++)
        digits++;
    if (*p == '.')
        for (p++; isdigit((unsigned char)*p); p++)
            digits++;
    if (digits == 0)
        return 0;
    if (*p == 'e' || *p == 'E') {
        p++;
        if (*p == '+' || *p == '-')
            p++;
        if (!isdigit((unsigned char)*p))
            return 0;
        while (isdigit((unsigned char)*p))
            p++;
    }
    return *p == '\0';
}

static int real_field(const omm_record *r, omm_field f, double *out, failure *why)
{
    const char *s = r->value[f];
    if (!is_decimal_syntax(s))
        return fail(why, r, f, APSCO_ERR_PARSE, "%s '%s' is not a number", field_names[f], s);
    /* strtod rounds correctly (glibc), as the TLE parser's strtod does: same text, same double. */
    double v = text_strtod(s, NULL);
    if (!isfinite(v))
        return fail(why, r, f, APSCO_ERR_VALUE, "%s '%s' is not a finite number", field_names[f],
                    s);
    *out = v;
    return 1;
}

/* A non-negative integer of at most 9 digits ([+]digits), within [0, max]; absent gives 0. */
static int count_field(const omm_record *r, omm_field f, long max, long *out, failure *why)
{
    const char *s = r->value[f];
    *out = 0;
    if (!r->line[f])
        return 1;
    const char *p = s + (*s == '+');
    size_t n = strspn(p, "0123456789");
    if (n == 0 || p[n] != '\0' || n > 9)
        return fail(why, r, f, APSCO_ERR_PARSE, "%s '%s' is not a non-negative integer",
                    field_names[f], s);
    long v = strtol(p, NULL, 10);
    if (v > max)
        return fail(why, r, f, APSCO_ERR_VALUE, "%s %ld is outside 0-%ld", field_names[f], v, max);
    *out = v;
    return 1;
}

static int is_leap(int year)
{
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

static int digits_at(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    return v;
}

/*
 * The day of year ("DDD.ddd…", 1.0 = January 1 00:00) of a time of day
 * given as text, correctly rounded to a double: the same double strtod
 * gives for a TLE's epoch day when the instant is that TLE's (a TLE epoch is
 * a whole number of microseconds). `iso` is a calendar-form text that
 * apsco_time_parse_iso has accepted; `day` is its 1-based day of year.
 *
 * The exact value is the fraction num/den with den = 86 400 * 10^k (k <= 9
 * fractional digits of the second kept; later non-zero digits only make the
 * value inexact). It is written out in 34 decimals plus a sticky digit and
 * given to strtod: the value is never closer than 1/(den * 2^53) > 1e-31 to
 * a half-way point between doubles, so those digits decide the rounding.
 */
static double exact_day_of_year(const char *iso, int day)
{
    long long seconds = 0, fraction = 0, scale = 1;
    int inexact = 0;
    const char *p = iso + 10;
    if (*p == 'T' || *p == 't' || *p == ' ') {
        seconds = digits_at(p + 1, 2) * 3600LL + digits_at(p + 4, 2) * 60LL;
        p += 6;
        if (*p == ':') {
            seconds += digits_at(p + 1, 2);
            p += 3;
            if (*p == '.' || *p == ',') {
                for (p++; *p >= '0' && *p <= '9'; p++) {
                    if (scale < 1000000000LL) {
                        fraction = fraction * 10 + (*p - '0');
                        scale *= 10;
                    } else if (*p != '0') {
                        inexact = 1;
                    }
                }
            }
        }
    }
    long long den = 86400LL * scale;
    long long rem = seconds * scale + fraction; /* < den: parse_iso checked the time of day */
    char buf[64];
    int n = snprintf(buf, sizeof buf, "%d.", day);
    for (int i = 0; i < 34; i++) {
        rem *= 10;
        buf[n++] = (char)('0' + rem / den);
        rem %= den;
    }
    if (rem != 0 || inexact)
        buf[n++] = '1';
    buf[n] = '\0';
    return text_strtod(buf, NULL);
}

/*
 * EPOCH in either CCSDS form: calendar "YYYY-MM-DDThh:mm:ss[.d…][Z]" or
 * day-of-year "YYYY-DDDThh:mm:ss[.d…][Z]" (CCSDS 502.0-B-2, 7.5.10).
 *
 * The instant is kept as a TLE keeps it, as year and day-of-year double,
 * and converted by the TLE's own apsco_time_from_year_day; so an OMM and the
 * TLE of the same element set give bit-identical epochs. A day-of-year
 * double resolves 5 ns at worst (day 366), far below any epoch's accuracy.
 */
static int epoch_field(const omm_record *r, apsco_elset *e, failure *why)
{
    const char *s = r->value[OMM_EPOCH];
    char buf[OMM_VALUE_MAX + 16];
    int doy = 0;
    int doy_form = strlen(s) >= 8 && strspn(s, "0123456789") == 4 && s[4] == '-' &&
                   strspn(s + 5, "0123456789") == 3 &&
                   (s[8] == '\0' || s[8] == 'T' || s[8] == 't' || s[8] == ' ');
    if (doy_form) {
        doy = digits_at(s + 5, 3);
        snprintf(buf, sizeof buf, "%.4s-01-01%s", s, s + 8);
    } else {
        snprintf(buf, sizeof buf, "%s", s);
    }
    apsco_error terr;
    apsco_time t;
    apsco_status st = apsco_time_parse_iso(buf, &t, &terr);
    if (st != APSCO_OK && doy_form)
        return fail(why, r, OMM_EPOCH, st, "EPOCH '%s' is not a valid UTC time", s);
    if (st != APSCO_OK)
        return fail(why, r, OMM_EPOCH, st, "EPOCH: %s", terr.message);
    int year = digits_at(buf, 4), year_days = is_leap(year) ? 366 : 365;
    if (doy_form && (doy < 1 || doy > year_days))
        return fail(why, r, OMM_EPOCH, APSCO_ERR_VALUE, "EPOCH '%s': day %d is not a day of %d", s,
                    doy, year);
    if (!doy_form) {
        apsco_time date =
            apsco_time_from_calendar(year, digits_at(buf + 5, 2), digits_at(buf + 8, 2), 0, 0, 0.0);
        apsco_time jan1 = apsco_time_from_calendar(year, 1, 1, 0, 0, 0.0);
        doy = (int)(date.jd - jan1.jd) + 1;
    }
    double day = exact_day_of_year(buf, doy);
    /* Nanoseconds before a new year the day may round up to the next January 1. */
    if (day >= year_days + 1.0) {
        day -= year_days;
        year++;
    }
    e->epoch_year = year;
    e->epoch_day = day;
    e->epoch = apsco_time_from_year_day(year, day);
    return 1;
}

/* Metadata that, when given, must say that these are SGP4 elements about the Earth in TEME/UTC. */
static int metadata_fields(const omm_record *r, failure *why)
{
    static const struct {
        omm_field field;
        const char *accepted[2];
        const char *meaning;
    } rules[] = {
        {OMM_CENTER_NAME, {"EARTH", NULL}, "apsco reads Earth orbits only"},
        {OMM_REF_FRAME, {"TEME", NULL}, "SGP4 elements are in TEME"},
        {OMM_TIME_SYSTEM, {"UTC", NULL}, "SGP4 epochs are UTC"},
        {OMM_MEAN_ELEMENT_THEORY, {"SGP4", "SGP/SGP4"}, "these are not SGP4 mean elements"},
    };
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        omm_field f = rules[i].field;
        if (!r->line[f])
            continue;
        int ok = 0;
        for (int k = 0; k < 2 && rules[i].accepted[k]; k++)
            ok |= strcasecmp(r->value[f], rules[i].accepted[k]) == 0;
        if (!ok)
            return fail(why, r, f, APSCO_ERR_VALUE, "%s '%s' is not %s: %s", field_names[f],
                        r->value[f], rules[i].accepted[0], rules[i].meaning);
    }
    return 1;
}

/* The catalog number, the TLE counters and the classification. */
static int identity_fields(const omm_record *r, apsco_elset *e, failure *why)
{
    long norad, eph, elset_no, rev;
    /* 339999 = Z9999, the largest number a TLE (Alpha-5) can carry. */
    if (!count_field(r, OMM_NORAD_CAT_ID, 339999, &norad, why) ||
        !count_field(r, OMM_EPHEMERIS_TYPE, 9, &eph, why) ||
        !count_field(r, OMM_ELEMENT_SET_NO, 9999, &elset_no, why) ||
        !count_field(r, OMM_REV_AT_EPOCH, 999999999, &rev, why))
        return 0;
    e->norad = norad;
    e->ephemeris_type = (int)eph;
    e->element_set_no = (int)elset_no;
    e->rev_at_epoch = rev;
    const char *c = r->value[OMM_CLASSIFICATION_TYPE];
    e->classification = 'U';
    if (r->line[OMM_CLASSIFICATION_TYPE]) {
        if (strlen(c) != 1 || !strchr("UCS", c[0]))
            return fail(why, r, OMM_CLASSIFICATION_TYPE, APSCO_ERR_VALUE,
                        "CLASSIFICATION_TYPE '%s' is not U, C or S", c);
        e->classification = c[0];
    }
    return 1;
}

/*
 * BSTAR and MEAN_MOTION_DDOT are the TLE's exponent fields in every OMM that
 * comes from a TLE (CelesTrak's GP data). When `text` (already checked by
 * is_decimal_syntax) has at most the five significant digits and the
 * one-digit power of ten a TLE can hold, the value is computed as the TLE
 * parser computes it, so that the OMM and its TLE give the same double;
 * otherwise the correctly rounded decimal `decimal` is kept.
 */
static double as_tle_exponent_field(const char *text, double decimal)
{
    const char *p = text;
    int negative = *p == '-';
    p += *p == '+' || *p == '-';
    char sig[5];
    int n_sig = 0, int_digits = 0, leading_zeros = 0, seen_nonzero = 0, after_point = 0;
    for (; isdigit((unsigned char)*p) || *p == '.'; p++) {
        if (*p == '.') {
            after_point = 1;
            continue;
        }
        int_digits += !after_point;
        if (!seen_nonzero && *p == '0') {
            leading_zeros++;
            continue;
        }
        seen_nonzero = 1;
        if (n_sig == 5 && *p != '0')
            return decimal; /* more digits than a TLE field carries */
        if (n_sig < 5)
            sig[n_sig++] = *p;
    }
    if (!seen_nonzero)
        return decimal;
    long e10 = (*p == 'e' || *p == 'E') ? strtol(p + 1, NULL, 10) : 0;
    /* text = 0.<sig> * 10^(int_digits - leading_zeros + e10) */
    long power = int_digits - leading_zeros + e10;
    if (power < -9 || power > 9)
        return decimal;
    while (n_sig < 5)
        sig[n_sig++] = '0';
    return elements_tle_exponent_value(negative, sig, (int)power);
}

/* Mean elements and drag terms, with the ranges a TLE can express checked per field. */
static int element_fields(const omm_record *r, apsco_elset *e, failure *why)
{
    double n, ecc, incl, raan, argp, ma, bstar, ndot, nddot;
    if (!real_field(r, OMM_MEAN_MOTION, &n, why) || !real_field(r, OMM_ECCENTRICITY, &ecc, why) ||
        !real_field(r, OMM_INCLINATION, &incl, why) ||
        !real_field(r, OMM_RA_OF_ASC_NODE, &raan, why) ||
        !real_field(r, OMM_ARG_OF_PERICENTER, &argp, why) ||
        !real_field(r, OMM_MEAN_ANOMALY, &ma, why) || !real_field(r, OMM_BSTAR, &bstar, why) ||
        !real_field(r, OMM_MEAN_MOTION_DOT, &ndot, why) ||
        !real_field(r, OMM_MEAN_MOTION_DDOT, &nddot, why))
        return 0;
    if (!(n > 0.0))
        return fail(why, r, OMM_MEAN_MOTION, APSCO_ERR_VALUE,
                    "MEAN_MOTION %s rev/day is not positive", r->value[OMM_MEAN_MOTION]);
    if (ecc < 0.0 || ecc >= 1.0)
        return fail(why, r, OMM_ECCENTRICITY, APSCO_ERR_VALUE, "ECCENTRICITY %s is outside [0, 1)",
                    r->value[OMM_ECCENTRICITY]);
    if (incl < 0.0 || incl > 180.0)
        return fail(why, r, OMM_INCLINATION, APSCO_ERR_VALUE,
                    "INCLINATION %s deg is outside [0, 180]", r->value[OMM_INCLINATION]);
    bstar = as_tle_exponent_field(r->value[OMM_BSTAR], bstar);
    nddot = as_tle_exponent_field(r->value[OMM_MEAN_MOTION_DDOT], nddot);
    /* MEAN_MOTION_DOT is the TLE's ndot/2 and MEAN_MOTION_DDOT its nddot/6, as the TLE fields. */
    elements_set_from_fields(e, n, ecc, incl, raan, argp, ma, bstar, ndot, nddot);
    return 1;
}

/*
 * OBJECT_ID "YYYY-NNNP[PP]" (launch year, launch number, piece) becomes the
 * TLE's "YYNNNP[PP]". Returns 0 when the text has another shape.
 */
static int intldes_from_object_id(const char *id, char out[APSCO_INTLDES_MAX])
{
    static const char digits[] = "0123456789", letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    size_t n = strlen(id);
    if (n < 9 || n > 11 || strspn(id, digits) != 4 || id[4] != '-' || strspn(id + 5, digits) != 3 ||
        strspn(id + 8, letters) != n - 8)
        return 0;
    snprintf(out, APSCO_INTLDES_MAX, "%.2s%s", id + 2, id + 5);
    return 1;
}

static void name_field(const omm_record *r, apsco_elset *e)
{
    const char *s = r->value[OMM_OBJECT_NAME];
    size_t n = utf8_cut(s, strlen(s), APSCO_NAME_MAX - 1);
    memcpy(e->name, s, n);
    e->name[n] = '\0';
}

/* Lists the absent mandatory fields in `list`; returns how many there are. */
static int missing_fields(const omm_record *r, char *list, size_t size)
{
    size_t used = 0;
    int missing = 0;
    list[0] = '\0';
    for (size_t i = 0; i < sizeof mandatory / sizeof mandatory[0]; i++) {
        if (r->line[mandatory[i]])
            continue;
        int w = snprintf(list + used, size - used, "%s%s", missing ? ", " : "",
                         field_names[mandatory[i]]);
        if (w > 0 && (size_t)w < size - used)
            used += (size_t)w;
        missing++;
    }
    return missing;
}

static int convert(const omm_record *r, apsco_elset *e, failure *why)
{
    memset(e, 0, sizeof *e);
    char list[200];
    int missing = missing_fields(r, list, sizeof list);
    if (missing) {
        why->status = APSCO_ERR_PARSE;
        why->line = r->start_line;
        snprintf(why->reason, sizeof why->reason, "element set without %s", list);
        return 0;
    }
    if (!metadata_fields(r, why) || !identity_fields(r, e, why) || !epoch_field(r, e, why) ||
        !element_fields(r, e, why))
        return 0;
    name_field(r, e);
    e->source_line = r->start_line;
    char reason[200];
    if (elements_validate(e, reason, sizeof reason) != APSCO_OK) {
        why->status = APSCO_ERR_VALUE;
        why->line = r->start_line;
        snprintf(why->reason, sizeof why->reason, "%s", reason);
        return 0;
    }
    return 1;
}

apsco_status omm_record_finish(const omm_record *r, const char *source,
                               const apsco_parse_options *options, apsco_catalog *out,
                               apsco_error *err)
{
    if (r->problem[0])
        return elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, r->problem_line,
                               err, "%s", r->problem);
    apsco_elset e;
    failure why;
    if (!convert(r, &e, &why))
        return elements_report(options, APSCO_SKIPPED, why.status, source, why.line, err, "%s",
                               why.reason);
    const char *id = r->value[OMM_OBJECT_ID];
    if (r->line[OMM_OBJECT_ID] && !intldes_from_object_id(id, e.intldes) &&
        strcasecmp(id, "UNKNOWN") != 0) {
        /* The designator is only a label: keep the element set, as a TLE with a blank one. */
        apsco_status st = elements_report(options, APSCO_WARNING, APSCO_ERR_PARSE, source,
                                          r->line[OMM_OBJECT_ID], err,
                                          "catalog %ld: OBJECT_ID '%s' is not YYYY-NNNP{1,3}; "
                                          "international designator left blank",
                                          e.norad, id);
        if (st != APSCO_OK)
            return st;
    }
    if (apsco_catalog_append(out, &e) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_NOMEM, source, r->start_line, "out of memory");
    return APSCO_OK;
}
