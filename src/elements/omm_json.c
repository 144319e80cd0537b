/*
 * omm_json.c — CCSDS OMM as CelesTrak (and Space-Track) publish it in JSON:
 * an array of flat objects keyed by the KVN keywords, or a single object.
 * Values may be JSON numbers or numeric strings.
 *
 * The document is parsed whole by jansson (which bounds nesting depth); a
 * document that is not JSON, or has duplicate keys in an object, is refused
 * as a whole. jansson keeps no positions, so the line where each top-level
 * element starts is found by text_json_scan over the (then known valid)
 * text, and diagnostics about a record name that line. What values mean is decided
 * in omm_fields.c.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "elements/omm.h"
#include "text/text.h"

/* The text of a JSON scalar as it would appear in KVN; 0 for other types. */
static int value_text(json_t *v, char *buf, size_t size)
{
    switch (json_typeof(v)) {
    case JSON_STRING:
        /* A string holding a NUL byte cannot reach here: JSON_ALLOW_NUL is not set. */
        snprintf(buf, size, "%s", json_string_value(v));
        return json_string_length(v) < size ? 1 : -1;
    case JSON_INTEGER:
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        return 1;
    case JSON_REAL: {
        /* An integral real stays an integer; otherwise the shortest text of the double jansson
           read, which is the number as its producer wrote it. */
        double x = json_real_value(v);
        if (x == floor(x) && fabs(x) < 1e15)
            snprintf(buf, size, "%.0f", x);
        else
            text_format_shortest(x, buf, size);
        return 1;
    }
    default: return 0;
    }
}

static void collect_object(json_t *obj, omm_record *r, long line)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        int f = omm_field_lookup(key, strlen(key));
        if (f < 0 || json_is_null(v))
            continue;
        char buf[OMM_VALUE_MAX + 2];
        int ok = value_text(v, buf, sizeof buf);
        if (ok == 0)
            omm_record_problem(r, line, "%s is neither a number nor a string", key);
        else if (ok < 0 && f != OMM_OBJECT_NAME)
            omm_record_problem(r, line, "%s is longer than %d characters", key, OMM_VALUE_MAX);
        else
            omm_record_set(r, (omm_field)f, buf, strlen(buf), line);
    }
}

static apsco_status read_element(json_t *elem, long line, const char *source,
                                 const apsco_parse_options *options, apsco_catalog *out,
                                 apsco_error *err)
{
    if (!json_is_object(elem))
        return elements_report(options, APSCO_SKIPPED, APSCO_ERR_PARSE, source, line, err,
                               "array element is not an object with OMM keywords");
    omm_record r;
    omm_record_reset(&r, line);
    collect_object(elem, &r, line);
    return omm_record_finish(&r, source, options, out, err);
}

apsco_status elements_parse_omm_json(const char *text, size_t len, const char *source,
                                     const apsco_parse_options *options, apsco_catalog *out,
                                     apsco_error *err)
{
    size_t bom = omm_skip_bom(text, len);
    text += bom;
    len -= bom;
    json_error_t jerr;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, jerr.line > 0 ? (long)jerr.line : 0,
                               "not valid JSON: %s (column %d)", jerr.text, jerr.column);
    apsco_status st = APSCO_OK;
    if (json_is_object(root)) {
        long line = 1;
        for (size_t i = 0; i < len && text[i] != '{'; i++)
            line += text[i] == '\n';
        st = read_element(root, line, source, options, out, err);
    } else {
        text_json_scan scan;
        text_json_scan_init(&scan, text, len);
        size_t i;
        json_t *elem;
        json_array_foreach(root, i, elem)
        {
            st = read_element(elem, text_json_scan_next(&scan), source, options, out, err);
            if (st != APSCO_OK)
                break;
        }
    }
    json_decref(root);
    return st;
}
