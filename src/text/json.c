/*
 * json.c — where the elements of a JSON array start, for the parsers that
 * read JSON with jansson (OMM, planner requests) and name a line in their
 * diagnostics.
 *
 * jansson keeps no positions for values, so the text is scanned once more.
 * The scan runs over text jansson has accepted, so only strings (with their
 * escapes) and nesting need care: brackets inside strings do not count. Not a
 * JSON parser: it assumes valid JSON.
 */
#include "text/text.h"

void text_json_scan_init(text_json_scan *s, const char *text, size_t len)
{
    s->text = text;
    s->len = len;
    s->pos = 0;
    s->line = 1;
    /* Move past the opening '[' of the top-level array. */
    while (s->pos < len && text[s->pos] != '[') {
        s->line += text[s->pos] == '\n';
        s->pos++;
    }
    s->pos++;
}

static void skip_blanks(text_json_scan *s)
{
    while (s->pos < s->len) {
        char c = s->text[s->pos];
        if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
            return;
        s->line += c == '\n';
        s->pos++;
    }
}

/* Moves past one JSON value (which is known to be well formed). */
static void skip_value(text_json_scan *s)
{
    long depth = 0;
    int in_string = 0;
    while (s->pos < s->len) {
        char c = s->text[s->pos++];
        if (c == '\n')
            s->line++;
        if (in_string) {
            if (c == '\\')
                s->pos++; /* an escaped character is never a newline (JSON forbids raw ones) */
            else if (c == '"')
                in_string = 0;
            if (!in_string && depth == 0)
                return;
            continue;
        }
        if (c == '"') {
            in_string = 1;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if (c == ']' || c == '}') {
            if (--depth == 0)
                return;
        } else if (depth == 0) {
            /* A number, true, false or null: ends before a delimiter. */
            char next = s->pos < s->len ? s->text[s->pos] : ',';
            if (next == ',' || next == ']' || next == ' ' || next == '\t' || next == '\r' ||
                next == '\n')
                return;
        }
    }
}

long text_json_scan_next(text_json_scan *s)
{
    skip_blanks(s);
    if (s->pos < s->len && s->text[s->pos] == ',') {
        s->pos++;
        skip_blanks(s);
    }
    long line = s->line;
    skip_value(s);
    return line;
}
