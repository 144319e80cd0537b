/*
 * catalog.c — reading a whole catalog: format detection, dispatch to the
 * parser of each format, the growable array of element sets, and the rules
 * shared by all formats (nothing half-added on error, an input without a
 * single valid record is an error).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "elements/internal.h"
#include "text/text.h"

#define CATALOG_FILE_MAX ((size_t)1024 * 1024 * 1024) /* 1 GiB: larger inputs are not catalogs */

const char *apsco_elset_format_name(apsco_elset_format format)
{
    switch (format) {
    case APSCO_FORMAT_AUTO: return "auto";
    case APSCO_FORMAT_TLE: return "tle";
    case APSCO_FORMAT_OMM_KVN: return "omm-kvn";
    case APSCO_FORMAT_OMM_XML: return "omm-xml";
    case APSCO_FORMAT_OMM_JSON: return "omm-json";
    case APSCO_FORMAT_OMM_CSV: return "omm-csv";
    }
    return "unknown";
}

/* True when the text at `p` (up to `end`) starts with `word`, ignoring case. */
static int starts_with(const char *p, const char *end, const char *word)
{
    size_t n = strlen(word);
    if ((size_t)(end - p) < n)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (toupper((unsigned char)p[i]) != toupper((unsigned char)word[i]))
            return 0;
    return 1;
}

/* True when the first line (up to `end`) names OMM columns, as CelesTrak's CSV header does. */
static int looks_like_csv_header(const char *p, const char *end)
{
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        eol = end;
    int comma = memchr(p, ',', (size_t)(eol - p)) != NULL;
    for (const char *q = p; comma && q < eol; q++)
        if (starts_with(q, eol, "NORAD_CAT_ID") || starts_with(q, eol, "MEAN_MOTION"))
            return 1;
    return 0;
}

apsco_elset_format apsco_elset_detect_format(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    /* A UTF-8 byte order mark says nothing about the format. */
    if (len >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;
    while (p < end && isspace((unsigned char)*p))
        p++;
    if (p == end)
        return APSCO_FORMAT_AUTO;
    if (*p == '<')
        return APSCO_FORMAT_OMM_XML;
    if (*p == '[' || *p == '{')
        return APSCO_FORMAT_OMM_JSON;
    /* KVN: CCSDS_OMM_VERS comes first, possibly after COMMENT lines. */
    while (starts_with(p, end, "COMMENT")) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            return APSCO_FORMAT_AUTO;
        p = eol + 1;
        while (p < end && isspace((unsigned char)*p))
            p++;
    }
    if (starts_with(p, end, "CCSDS_OMM_VERS"))
        return APSCO_FORMAT_OMM_KVN;
    if (looks_like_csv_header(p, end))
        return APSCO_FORMAT_OMM_CSV;
    return APSCO_FORMAT_TLE;
}

apsco_status apsco_catalog_append(apsco_catalog *catalog, const apsco_elset *elset)
{
    if (catalog->count == catalog->capacity) {
        size_t cap = catalog->capacity ? catalog->capacity * 2 : 64;
        apsco_elset *items = realloc(catalog->items, cap * sizeof *items);
        if (!items)
            return APSCO_ERR_NOMEM;
        catalog->items = items;
        catalog->capacity = cap;
    }
    catalog->items[catalog->count++] = *elset;
    return APSCO_OK;
}

void apsco_catalog_free(apsco_catalog *catalog)
{
    if (!catalog)
        return;
    free(catalog->items);
    catalog->items = NULL;
    catalog->count = catalog->capacity = 0;
}

apsco_status apsco_catalog_parse(const char *text, size_t len, const char *source,
                                 const apsco_parse_options *options, apsco_catalog *out,
                                 apsco_error *err)
{
    if (!text || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, source, 0, "no input");
    if (!source)
        source = "-";
    apsco_elset_format format = options ? options->format : APSCO_FORMAT_AUTO;
    if (format == APSCO_FORMAT_AUTO)
        format = apsco_elset_detect_format(text, len);
    size_t before = out->count;
    apsco_status st;
    switch (format) {
    case APSCO_FORMAT_TLE:
        st = elements_parse_tle_text(text, len, source, options, out, err);
        break;
    case APSCO_FORMAT_OMM_KVN:
        st = elements_parse_omm_kvn(text, len, source, options, out, err);
        break;
    case APSCO_FORMAT_OMM_XML:
        st = elements_parse_omm_xml(text, len, source, options, out, err);
        break;
    case APSCO_FORMAT_OMM_JSON:
        st = elements_parse_omm_json(text, len, source, options, out, err);
        break;
    case APSCO_FORMAT_OMM_CSV:
        st = elements_parse_omm_csv(text, len, source, options, out, err);
        break;
    case APSCO_FORMAT_AUTO:
        return apsco_error_set(err, APSCO_ERR_EMPTY, source, 0, "input is empty");
    default:
        return apsco_error_set(err, APSCO_ERR_ARG, source, 0, "format %s is not readable here",
                               apsco_elset_format_name(format));
    }
    if (st != APSCO_OK) {
        out->count = before;
        return st;
    }
    if (out->count == before)
        return apsco_error_set(err, APSCO_ERR_EMPTY, source, 0, "no valid element set (read as %s)",
                               apsco_elset_format_name(format));
    return APSCO_OK;
}

apsco_status apsco_catalog_load(const char *path, const apsco_parse_options *options,
                                apsco_catalog *out, apsco_error *err)
{
    char *text = NULL;
    size_t len = 0;
    apsco_status st = text_read_file(path, CATALOG_FILE_MAX, "a catalog", &text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_catalog_parse(text, len, path, options, out, err);
    free(text);
    return st;
}
