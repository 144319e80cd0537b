/*
 * omm_xml.c — CCSDS OMM in XML (CCSDS 505.0-B NDM/XML): an <ndm> document of
 * <omm> messages, or a bare <omm> root, each with <segment>s holding
 * <metadata> and <data> (<meanElements>, <tleParameters>, ...).
 *
 * One element set per <segment>; its values are the text of the elements
 * named like the KVN keywords, wherever they sit inside the segment.
 * Namespaces prefixes and attributes (units="deg", id, version) are ignored.
 * A document that is not well-formed XML is refused as a whole. DTDs are
 * refused before expat reads them, so entity expansion ("billion laughs")
 * and external entities cannot happen. What values mean is decided in
 * omm_fields.c.
 */
#include <expat.h>
#include <limits.h>
#include <string.h>

#include "elements/omm.h"

#define XML_CHUNK                                                                                  \
    ((size_t)64 * 1024 * 1024) /* expat takes int lengths: feed large texts in pieces */

typedef struct xml_parser {
    XML_Parser expat;
    const char *source;
    const apsco_parse_options *options;
    apsco_catalog *out;
    apsco_error *err;
    apsco_status stop;  /* why a handler stopped expat (err already filled), or APSCO_OK */
    long depth;         /* of the element being read, root = 1 */
    long segment_depth; /* of the open <segment>, 0 when outside */
    omm_record rec;
    int field; /* field whose element is open, -1 if none */
    long field_depth;
    long field_line;
    char text[OMM_VALUE_MAX + 2];
    size_t text_len;
    int text_cut; /* non-blank text did not fit in `text` */
} xml_parser;

static long current_line(const xml_parser *x)
{
    return (long)XML_GetCurrentLineNumber(x->expat);
}

/* Element name without its namespace prefix ("ndm:omm" -> "omm"). */
static const char *local_name(const char *name)
{
    const char *colon = strrchr(name, ':');
    return colon ? colon + 1 : name;
}

static void halt(xml_parser *x, apsco_status st)
{
    if (x->stop == APSCO_OK)
        x->stop = st;
    XML_StopParser(x->expat, XML_FALSE);
}

static void XMLCALL on_start(void *ctx, const XML_Char *name, const XML_Char **attributes)
{
    xml_parser *x = ctx;
    (void)attributes;
    x->depth++;
    const char *local = local_name(name);
    if (strcmp(local, "segment") == 0) {
        if (x->segment_depth) {
            omm_record_problem(&x->rec, current_line(x), "<segment> inside a <segment>");
            return;
        }
        x->segment_depth = x->depth;
        omm_record_reset(&x->rec, current_line(x));
        return;
    }
    if (!x->segment_depth)
        return;
    if (x->field >= 0) {
        omm_record_problem(&x->rec, current_line(x), "element <%.64s> inside <%s>", local,
                           omm_field_name((omm_field)x->field));
        return;
    }
    x->field = omm_field_lookup(local, strlen(local));
    if (x->field >= 0) {
        x->field_depth = x->depth;
        x->field_line = current_line(x);
        x->text_len = 0;
        x->text_cut = 0;
    }
}

static void XMLCALL on_text(void *ctx, const XML_Char *s, int len)
{
    xml_parser *x = ctx;
    if (x->field < 0 || x->depth != x->field_depth)
        return;
    for (int i = 0; i < len; i++) {
        int blank = s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n';
        /* Leading blanks are dropped here so that indentation cannot fill the buffer. */
        if (blank && x->text_len == 0)
            continue;
        if (x->text_len < sizeof x->text - 1)
            x->text[x->text_len++] = s[i];
        else if (!blank)
            x->text_cut = 1;
    }
}

static void end_field(xml_parser *x)
{
    omm_field f = (omm_field)x->field;
    x->field = -1;
    if (x->text_cut && f != OMM_OBJECT_NAME) {
        omm_record_problem(&x->rec, x->field_line, "%s is longer than %d characters",
                           omm_field_name(f), OMM_VALUE_MAX);
        return;
    }
    omm_record_set(&x->rec, f, x->text, x->text_len, x->field_line);
}

static void XMLCALL on_end(void *ctx, const XML_Char *name)
{
    xml_parser *x = ctx;
    (void)name;
    if (x->field >= 0 && x->depth == x->field_depth)
        end_field(x);
    if (x->depth == x->segment_depth) {
        x->segment_depth = 0;
        apsco_status st = omm_record_finish(&x->rec, x->source, x->options, x->out, x->err);
        if (st != APSCO_OK)
            halt(x, st);
    }
    x->depth--;
}

/* A document type declaration is where entities are declared: refuse it before it is read. */
static void XMLCALL on_doctype(void *ctx, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
    xml_parser *x = ctx;
    (void)name;
    (void)sysid;
    (void)pubid;
    (void)has_internal_subset;
    apsco_error_set(x->err, APSCO_ERR_PARSE, x->source, current_line(x),
                    "XML with a DTD (<!DOCTYPE>) is refused: OMM documents need none, and "
                    "entity declarations could expand without bound");
    halt(x, APSCO_ERR_PARSE);
}

/* Feeds the whole text to expat; returns 0 when expat stopped (error or halt). */
static int feed(xml_parser *x, const char *text, size_t len)
{
    do {
        size_t n = len > XML_CHUNK ? XML_CHUNK : len;
        if (XML_Parse(x->expat, text, (int)n, n == len) != XML_STATUS_OK)
            return 0;
        text += n;
        len -= n;
    } while (len > 0);
    return 1;
}

apsco_status elements_parse_omm_xml(const char *text, size_t len, const char *source,
                                    const apsco_parse_options *options, apsco_catalog *out,
                                    apsco_error *err)
{
    xml_parser x;
    memset(&x, 0, sizeof x);
    x.source = source;
    x.options = options;
    x.out = out;
    x.err = err;
    x.field = -1;
    x.expat = XML_ParserCreate(NULL);
    if (!x.expat)
        return apsco_error_set(err, APSCO_ERR_NOMEM, source, 0, "out of memory");
    XML_SetUserData(x.expat, &x);
    XML_SetElementHandler(x.expat, on_start, on_end);
    XML_SetCharacterDataHandler(x.expat, on_text);
    XML_SetStartDoctypeDeclHandler(x.expat, on_doctype);
    apsco_status st = APSCO_OK;
    if (!feed(&x, text, len)) {
        st = x.stop;
        if (st == APSCO_OK) {
            enum XML_Error code = XML_GetErrorCode(x.expat);
            st = code == XML_ERROR_NO_MEMORY ? APSCO_ERR_NOMEM : APSCO_ERR_PARSE;
            apsco_error_set(err, st, source, (long)XML_GetErrorLineNumber(x.expat),
                            "not well-formed XML: %s (column %lu)", XML_ErrorString(code),
                            (unsigned long)XML_GetErrorColumnNumber(x.expat) + 1);
        }
    }
    XML_ParserFree(x.expat);
    return st;
}
