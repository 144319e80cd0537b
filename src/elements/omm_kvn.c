/*
 * omm_kvn.c — CCSDS OMM in keyword = value notation (CCSDS 502.0-B-2/-3,
 * section 7): one or more messages, each starting with CCSDS_OMM_VERS,
 * "KEYWORD = value [units]" lines, COMMENT lines and blank lines.
 *
 * Each message is one element set. Keywords apsco does not read (header,
 * spacecraft parameters, covariance, USER_DEFINED_*) are skipped; units in
 * brackets are checked against the ones the standard prescribes, so that a
 * mean motion in other units is refused rather than misread. What values
 * mean is decided in omm_fields.c.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "elements/omm.h"

/* Message versions whose keywords apsco reads (502.0-B-1, -B-2 and -B-3). */
static const char *const versions[] = {"1.0", "2.0", "3.0"};

/* The units each numeric keyword may carry (compared without case and blanks). */
static const struct {
    omm_field field;
    const char *units[2];
} field_units[] = {
    {OMM_MEAN_MOTION, {"rev/day", NULL}},
    {OMM_INCLINATION, {"deg", NULL}},
    {OMM_RA_OF_ASC_NODE, {"deg", NULL}},
    {OMM_ARG_OF_PERICENTER, {"deg", NULL}},
    {OMM_MEAN_ANOMALY, {"deg", NULL}},
    {OMM_BSTAR, {"1/ER", NULL}},
    {OMM_MEAN_MOTION_DOT, {"rev/day**2", "rev/day^2"}},
    {OMM_MEAN_MOTION_DDOT, {"rev/day**3", "rev/day^3"}},
};

typedef struct kvn_parser {
    const char *source;
    const apsco_parse_options *options;
    apsco_catalog *out;
    apsco_error *err;
    omm_record rec;
    int in_message;   /* a CCSDS_OMM_VERS line has been read */
    int stray_quoted; /* keywords before the first CCSDS_OMM_VERS were reported */
} kvn_parser;

/* One line split into keyword and value (both without surrounding blanks). */
typedef struct kvn_line {
    const char *key, *value;
    size_t key_len, value_len;
} kvn_line;

static int is_blank(char c)
{
    return c == ' ' || c == '\t';
}

/* Splits "KEYWORD = value"; returns 0 when the line has another shape. */
static int split_line(const char *p, size_t n, kvn_line *kv)
{
    size_t i = 0;
    while (i < n && is_blank(p[i]))
        i++;
    kv->key = p + i;
    while (i < n && (isalnum((unsigned char)p[i]) || p[i] == '_'))
        i++;
    kv->key_len = (size_t)(p + i - kv->key);
    while (i < n && is_blank(p[i]))
        i++;
    if (kv->key_len == 0 || i == n || p[i] != '=')
        return 0;
    i++;
    while (i < n && is_blank(p[i]))
        i++;
    while (n > i && is_blank(p[n - 1]))
        n--;
    kv->value = p + i;
    kv->value_len = n - i;
    return 1;
}

/* True when the line is blank or a COMMENT line. */
static int is_ignorable(const char *p, size_t n)
{
    size_t i = 0;
    while (i < n && is_blank(p[i]))
        i++;
    if (i == n)
        return 1;
    return n - i >= 7 && memcmp(p + i, "COMMENT", 7) == 0 && (n - i == 7 || is_blank(p[i + 7]));
}

/* True when the `n` bytes at `units` name one of `accepted`, ignoring case and blanks. */
static int units_match(const char *units, size_t n, const char *const accepted[2])
{
    char norm[32];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_blank(units[i]))
            continue;
        if (k + 1 >= sizeof norm)
            return 0;
        norm[k++] = units[i];
    }
    norm[k] = '\0';
    for (int a = 0; a < 2 && accepted[a]; a++)
        if (strcasecmp(norm, accepted[a]) == 0)
            return 1;
    return 0;
}

/*
 * Removes "[units]" from the end of a numeric keyword's value and checks them.
 * Returns 0 (and notes the problem) when the units are not the prescribed ones.
 */
static int strip_units(kvn_parser *k, omm_field field, kvn_line *kv, long line)
{
    for (size_t u = 0; u < sizeof field_units / sizeof field_units[0]; u++) {
        if (field_units[u].field != field)
            continue;
        if (kv->value_len == 0 || kv->value[kv->value_len - 1] != ']')
            return 1;
        size_t open = kv->value_len - 1;
        while (open > 0 && kv->value[open] != '[')
            open--;
        if (kv->value[open] != '[') {
            omm_record_problem(&k->rec, line, "%s: unbalanced ']' in its units",
                               omm_field_name(field));
            return 0;
        }
        const char *units = kv->value + open + 1;
        size_t units_len = kv->value_len - 1 - open - 1;
        if (!units_match(units, units_len, field_units[u].units)) {
            omm_record_problem(&k->rec, line, "%s: units [%.*s] are not [%s]",
                               omm_field_name(field), (int)(units_len > 32 ? 32 : units_len), units,
                               field_units[u].units[0]);
            return 0;
        }
        kv->value_len = open;
        return 1;
    }
    return 1;
}

/* Finishes the message being read, if any. */
static apsco_status end_message(kvn_parser *k)
{
    if (!k->in_message)
        return APSCO_OK;
    k->in_message = 0;
    return omm_record_finish(&k->rec, k->source, k->options, k->out, k->err);
}

static apsco_status start_message(kvn_parser *k, const kvn_line *kv, long line)
{
    apsco_status st = end_message(k);
    if (st != APSCO_OK)
        return st;
    omm_record_reset(&k->rec, line);
    k->in_message = 1;
    for (size_t v = 0; v < sizeof versions / sizeof versions[0]; v++)
        if (kv->value_len == strlen(versions[v]) &&
            memcmp(kv->value, versions[v], kv->value_len) == 0)
            return APSCO_OK;
    omm_record_problem(&k->rec, line, "CCSDS_OMM_VERS '%.*s' is not 1.0, 2.0 or 3.0",
                       (int)(kv->value_len > 32 ? 32 : kv->value_len), kv->value);
    return APSCO_OK;
}

static apsco_status read_line(kvn_parser *k, const char *p, size_t n, long line)
{
    if (is_ignorable(p, n))
        return APSCO_OK;
    kvn_line kv;
    int ok = split_line(p, n, &kv);
    if (ok && kv.key_len == 14 && memcmp(kv.key, "CCSDS_OMM_VERS", 14) == 0)
        return start_message(k, &kv, line);
    if (!k->in_message) {
        /* Text before the first message: report it once, not line by line. */
        if (k->stray_quoted)
            return APSCO_OK;
        k->stray_quoted = 1;
        return elements_report(k->options, APSCO_SKIPPED, APSCO_ERR_PARSE, k->source, line, k->err,
                               "text before the first CCSDS_OMM_VERS line is not part of an OMM");
    }
    if (!ok) {
        omm_record_problem(&k->rec, line, "line is neither KEYWORD = value nor a COMMENT");
        return APSCO_OK;
    }
    int field = omm_field_lookup(kv.key, kv.key_len);
    if (field < 0)
        return APSCO_OK;
    if (strip_units(k, (omm_field)field, &kv, line))
        omm_record_set(&k->rec, (omm_field)field, kv.value, kv.value_len, line);
    return APSCO_OK;
}

apsco_status elements_parse_omm_kvn(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err)
{
    kvn_parser k;
    memset(&k, 0, sizeof k);
    k.source = source;
    k.options = options;
    k.out = out;
    k.err = err;
    size_t pos = omm_skip_bom(text, len);
    long line = 0;
    while (pos < len) {
        const char *start = text + pos;
        const char *nl = memchr(start, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - start) : len - pos;
        pos += n + (nl != NULL);
        line++;
        if (n > 0 && start[n - 1] == '\r')
            n--;
        apsco_status st = read_line(&k, start, n, line);
        if (st != APSCO_OK)
            return st;
    }
    return end_message(&k);
}
