/*
 * requests.c — contact requests: the set that holds them, the checks every
 * request passes however it arrives (file, store, code), and the two file
 * formats, CSV with a header row and JSON (an array of objects), both with
 * errors that name the line of the offending request.
 *
 * Whether a well-formed request is *served* (membership, known satellite and
 * stations) is decided when the problem is solved, so that refusals carry
 * their reasons to the report instead of failing the whole input.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "apsco/csv.h"
#include "apsco/elements.h"
#include "plan/internal.h"
#include "text/text.h"

#define PER_DAY_MAX 10000

static apsco_status check_request(const apsco_plan_request *r, char *why, size_t size)
{
    if (!plan_valid_id(r->id)) {
        snprintf(why, size, "id must be 1-63 printable bytes");
        return APSCO_ERR_VALUE;
    }
    if (!(isupper((unsigned char)r->state[0]) && isupper((unsigned char)r->state[1]) &&
          r->state[2] == '\0' && (unsigned char)r->state[0] < 0x80 &&
          (unsigned char)r->state[1] < 0x80)) {
        snprintf(why, size, "state must be an ISO 3166-1 alpha-2 code such as CN");
        return APSCO_ERR_VALUE;
    }
    if (r->norad < 0 || r->norad > 339999) {
        snprintf(why, size, "norad must be a catalog number");
        return APSCO_ERR_VALUE;
    }
    if (r->priority < 1 || r->priority > 5) {
        snprintf(why, size, "priority must be 1 to 5");
        return APSCO_ERR_VALUE;
    }
    if (!(r->min_duration_s > 0 && r->min_duration_s <= 86400)) {
        snprintf(why, size, "min_duration_s must be in (0, 86400]");
        return APSCO_ERR_VALUE;
    }
    if (r->per_day < 0 || r->per_day > PER_DAY_MAX) {
        snprintf(why, size, "per_day must be 0 to %d", PER_DAY_MAX);
        return APSCO_ERR_VALUE;
    }
    if (r->per_day == 0 && !r->has_window) {
        snprintf(why, size, "a request needs per_day or a window");
        return APSCO_ERR_VALUE;
    }
    if (r->has_window && !(apsco_time_diff_s(r->window_end, r->window_start) > 0)) {
        snprintf(why, size, "window_end must be after window_start");
        return APSCO_ERR_VALUE;
    }
    return APSCO_OK;
}

apsco_status apsco_plan_request_check(const apsco_plan_request *request,
                                      const char *const *stations, size_t station_count,
                                      apsco_error *err)
{
    char why[160];
    apsco_status st = check_request(request, why, sizeof why);
    if (st != APSCO_OK)
        return apsco_error_set(err, st, NULL, request->source_line, "%s", why);
    for (size_t i = 0; i < station_count; i++)
        if (!plan_valid_id(stations[i]))
            return apsco_error_set(err, APSCO_ERR_VALUE, NULL, request->source_line,
                                   "stations: identifiers must be 1-63 printable bytes");
    return APSCO_OK;
}

apsco_status apsco_plan_requests_add(apsco_plan_requests *set, const apsco_plan_request *request,
                                     const char *const *stations, size_t station_count,
                                     apsco_error *err)
{
    for (size_t i = 0; i < set->count; i++)
        if (!strcmp(set->items[i].id, request->id))
            return apsco_error_set(err, APSCO_ERR_VALUE, NULL, request->source_line,
                                   "id '%s' is used twice", request->id);
    apsco_status st = apsco_plan_request_check(request, stations, station_count, err);
    if (st != APSCO_OK)
        return st;
    if (!plan_grow((void **)&set->items, &set->capacity, set->count + 1, sizeof *set->items) ||
        !plan_grow((void **)&set->names, &set->name_capacity, set->name_count + station_count,
                   sizeof *set->names))
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    apsco_plan_request *r = &set->items[set->count++];
    *r = *request;
    r->stations_first = set->name_count;
    r->stations_count = station_count;
    for (size_t i = 0; i < station_count; i++)
        snprintf(set->names[set->name_count++], APSCO_PLAN_ID_MAX, "%s", stations[i]);
    return APSCO_OK;
}

void apsco_plan_requests_free(apsco_plan_requests *set)
{
    if (!set)
        return;
    free(set->items);
    free(set->names);
    memset(set, 0, sizeof *set);
}

/* ------------------------------------------------------------ CSV */

enum column {
    COL_ID,
    COL_STATE,
    COL_NORAD,
    COL_KIND,
    COL_PRIORITY,
    COL_DURATION,
    COL_PER_DAY,
    COL_WINDOW_START,
    COL_WINDOW_END,
    COL_STATIONS,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "id",      "state",        "norad",      "kind",    "priority", "min_duration_s",
    "per_day", "window_start", "window_end", "stations"};

#define MAX_STATIONS 4096 /* allowed stations in one request */

/* Field values of one request, as text, before conversion (CSV and JSON share conversion). */
typedef struct raw_request {
    const char *v[COL_COUNT]; /* NULL or "" when absent */
    const char *stations[MAX_STATIONS];
    size_t station_count;
} raw_request;

static int absent(const char *s)
{
    return !s || !*s;
}

static apsco_status parse_int(const char *s, long lo, long hi, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end != '\0' || errno == ERANGE || v < lo || v > hi)
        return APSCO_ERR_VALUE;
    *out = v;
    return APSCO_OK;
}

/* Converts the text fields of a request and adds it to `set`. */
static apsco_status convert(const raw_request *raw, const char *source, long line,
                            apsco_plan_requests *set, apsco_error *err)
{
    static const int required[] = {COL_ID, COL_STATE, COL_NORAD, COL_PRIORITY, COL_DURATION};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (absent(raw->v[required[i]]))
            return apsco_error_set(err, APSCO_ERR_PARSE, source, line, "%s is missing",
                                   column_names[required[i]]);
    apsco_plan_request r;
    memset(&r, 0, sizeof r);
    r.source_line = line;
    if (strlen(raw->v[COL_ID]) >= sizeof r.id)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line, "id is longer than 63 bytes");
    snprintf(r.id, sizeof r.id, "%s", raw->v[COL_ID]);
    if (strlen(raw->v[COL_STATE]) != 2)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "state '%s' is not an ISO 3166-1 alpha-2 code", raw->v[COL_STATE]);
    memcpy(r.state, raw->v[COL_STATE], 3);
    if (apsco_norad_parse(raw->v[COL_NORAD], &r.norad) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "norad '%s' is not a catalog number", raw->v[COL_NORAD]);
    if (!absent(raw->v[COL_KIND]) && strcmp(raw->v[COL_KIND], "contact"))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "kind '%s' is not supported (only contact)", raw->v[COL_KIND]);
    long v;
    if (parse_int(raw->v[COL_PRIORITY], 1, 5, &v) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "priority '%s' is not an integer 1-5", raw->v[COL_PRIORITY]);
    r.priority = (int)v;
    char *end;
    errno = 0;
    r.min_duration_s = text_strtod(raw->v[COL_DURATION], &end);
    if (end == raw->v[COL_DURATION] || *end != '\0' || errno == ERANGE ||
        !(r.min_duration_s > 0 && r.min_duration_s <= 86400))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "min_duration_s '%s' is not a duration in (0, 86400] s",
                               raw->v[COL_DURATION]);
    if (!absent(raw->v[COL_PER_DAY])) {
        if (parse_int(raw->v[COL_PER_DAY], 0, PER_DAY_MAX, &v) != APSCO_OK)
            return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                                   "per_day '%s' is not an integer 0-%d", raw->v[COL_PER_DAY],
                                   PER_DAY_MAX);
        r.per_day = (int)v;
    }
    int ws = !absent(raw->v[COL_WINDOW_START]), we = !absent(raw->v[COL_WINDOW_END]);
    if (ws != we)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "window_start and window_end go together");
    if (ws) {
        apsco_error e;
        if (apsco_time_parse_iso(raw->v[COL_WINDOW_START], &r.window_start, &e) != APSCO_OK)
            return apsco_error_set(err, e.status, source, line, "window_start: %s", e.message);
        if (apsco_time_parse_iso(raw->v[COL_WINDOW_END], &r.window_end, &e) != APSCO_OK)
            return apsco_error_set(err, e.status, source, line, "window_end: %s", e.message);
        r.has_window = 1;
    }
    if (r.per_day == 0 && !r.has_window)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "a request needs per_day (> 0) or window_start and window_end");
    apsco_status st = apsco_plan_requests_add(set, &r, raw->stations, raw->station_count, err);
    if (st != APSCO_OK) {
        /* Add reports without a location; put the file and line back. */
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err ? err->message : "");
        return apsco_error_set(err, st, source, line, "%s", msg);
    }
    return APSCO_OK;
}

/* Splits a stations field on ';', '|', ',' and blanks, in place. */
static apsco_status split_stations(char *s, raw_request *raw)
{
    raw->station_count = 0;
    char *save = NULL;
    for (char *tok = strtok_r(s, ";|, \t", &save); tok; tok = strtok_r(NULL, ";|, \t", &save)) {
        if (raw->station_count == MAX_STATIONS)
            return APSCO_ERR_LIMIT;
        raw->stations[raw->station_count++] = tok;
    }
    return APSCO_OK;
}

/* Maps header fields to columns; col_of[i] is the column of field i. */
static apsco_status read_header(char **f, size_t nf, int *col_of, const char *source, long line,
                                apsco_error *err)
{
    int seen[COL_COUNT] = {0};
    for (size_t i = 0; i < nf; i++) {
        col_of[i] = -1;
        for (int c = 0; c < COL_COUNT; c++)
            if (!strcmp(f[i], column_names[c]))
                col_of[i] = c;
        if (col_of[i] < 0)
            return apsco_error_set(err, APSCO_ERR_PARSE, source, line, "unknown column '%s'", f[i]);
        if (seen[col_of[i]]++)
            return apsco_error_set(err, APSCO_ERR_PARSE, source, line, "column '%s' appears twice",
                                   f[i]);
    }
    static const int required[] = {COL_ID, COL_STATE, COL_NORAD, COL_PRIORITY, COL_DURATION};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++)
        if (!seen[required[i]])
            return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                                   "the header has no column '%s'", column_names[required[i]]);
    if (!seen[COL_PER_DAY] && !(seen[COL_WINDOW_START] && seen[COL_WINDOW_END]))
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                               "the header needs per_day or window_start and window_end");
    return APSCO_OK;
}

/* Converts one CSV record whose fields follow the header's columns. */
static apsco_status csv_request(apsco_csv *r, const int *col_of, apsco_plan_requests *set,
                                raw_request *raw, apsco_error *err)
{
    memset(raw, 0, sizeof *raw);
    char *stations = NULL;
    for (size_t i = 0; i < r->count; i++) {
        raw->v[col_of[i]] = r->field[i];
        if (col_of[i] == COL_STATIONS)
            stations = r->field[i];
    }
    if (stations && split_stations(stations, raw) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_LIMIT, r->source, r->record_line,
                               "more than %d stations", MAX_STATIONS);
    return convert(raw, r->source, r->record_line, set, err);
}

static apsco_status read_csv(apsco_csv *r, apsco_plan_requests *set, raw_request *raw,
                             apsco_error *err)
{
    int col_of[APSCO_CSV_FIELDS_MAX];
    size_t ncols = 0;
    int got;
    apsco_status st;
    while ((st = apsco_csv_next(r, &got, err)) == APSCO_OK && got) {
        if (ncols == 0) {
            st = read_header(r->field, r->count, col_of, r->source, r->record_line, err);
            ncols = r->count;
        } else if (r->count != ncols) {
            st =
                apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                "expected %zu fields as in the header, found %zu", ncols, r->count);
        } else {
            st = csv_request(r, col_of, set, raw, err);
        }
        if (st != APSCO_OK)
            return st;
    }
    if (st == APSCO_OK && ncols == 0)
        return apsco_error_set(err, APSCO_ERR_EMPTY, r->source, 0, "no header and no requests");
    return st;
}

static apsco_status parse_csv(const char *text, size_t len, const char *source,
                              apsco_plan_requests *set, apsco_error *err)
{
    raw_request *raw = malloc(sizeof *raw);
    if (!raw)
        return apsco_error_set(err, APSCO_ERR_NOMEM, source, 0, "out of memory");
    apsco_csv r;
    apsco_status st = apsco_csv_open(&r, text, len, source, err);
    if (st == APSCO_OK)
        st = read_csv(&r, set, raw, err);
    apsco_csv_close(&r);
    free(raw);
    return st;
}

/* ----------------------------------------------------------- JSON */

/* Text of a JSON scalar member into `buf`; NULL for absent or null. */
static const char *scalar(json_t *v, char *buf, size_t size, int *bad)
{
    if (!v || json_is_null(v))
        return NULL;
    if (json_is_string(v)) {
        snprintf(buf, size, "%s", json_string_value(v));
        if (strlen(json_string_value(v)) >= size ||
            strlen(json_string_value(v)) != json_string_length(v))
            *bad = 1;
    } else if (json_is_integer(v)) {
        snprintf(buf, size, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
    } else if (json_is_real(v)) {
        /* In the C locale, so that text_strtod reads back the same double. */
        text_format_shortest(json_real_value(v), buf, size);
    } else {
        *bad = 1;
    }
    return buf;
}

typedef struct json_fields {
    char text[COL_COUNT][APSCO_PLAN_ID_MAX * 2];
    char names[MAX_STATIONS][APSCO_PLAN_ID_MAX];
} json_fields;

static apsco_status json_stations(json_t *v, raw_request *raw, json_fields *jf, const char *source,
                                  long line, apsco_error *err)
{
    if (!v || json_is_null(v))
        return APSCO_OK;
    if (json_is_string(v)) {
        snprintf(jf->text[COL_STATIONS], sizeof jf->text[COL_STATIONS], "%s", json_string_value(v));
        if (strlen(json_string_value(v)) >= sizeof jf->text[COL_STATIONS])
            return apsco_error_set(err, APSCO_ERR_VALUE, source, line, "stations is too long");
        return split_stations(jf->text[COL_STATIONS], raw) == APSCO_OK
                   ? APSCO_OK
                   : apsco_error_set(err, APSCO_ERR_LIMIT, source, line, "too many stations");
    }
    if (!json_is_array(v))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "stations must be an array of station identifiers");
    size_t n = json_array_size(v);
    if (n > sizeof jf->names / sizeof jf->names[0])
        return apsco_error_set(err, APSCO_ERR_LIMIT, source, line, "more than %zu stations",
                               sizeof jf->names / sizeof jf->names[0]);
    for (size_t i = 0; i < n; i++) {
        json_t *s = json_array_get(v, i);
        if (!json_is_string(s) || !plan_valid_id(json_string_value(s)) ||
            strlen(json_string_value(s)) != json_string_length(s))
            return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                                   "stations[%zu] is not a station identifier", i);
        snprintf(jf->names[i], APSCO_PLAN_ID_MAX, "%s", json_string_value(s));
        raw->stations[raw->station_count++] = jf->names[i];
    }
    return APSCO_OK;
}

/* Maps one JSON object to text fields and converts it. */
static apsco_status json_request(json_t *obj, const char *source, long line,
                                 apsco_plan_requests *set, raw_request *raw, json_fields *jf,
                                 apsco_error *err)
{
    if (!json_is_object(obj))
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line, "a request must be an object");
    memset(raw, 0, sizeof *raw);
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v)
    {
        if (!strcmp(key, "stations")) {
            apsco_status st = json_stations(v, raw, jf, source, line, err);
            if (st != APSCO_OK)
                return st;
            continue;
        }
        if (!strcmp(key, "window")) {
            if (json_is_null(v))
                continue;
            if (!json_is_object(v))
                return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                                       "window must be an object {\"start\", \"end\"}");
            int bad = 0;
            raw->v[COL_WINDOW_START] = scalar(json_object_get(v, "start"),
                                              jf->text[COL_WINDOW_START], sizeof jf->text[0], &bad);
            raw->v[COL_WINDOW_END] = scalar(json_object_get(v, "end"), jf->text[COL_WINDOW_END],
                                            sizeof jf->text[0], &bad);
            size_t members = 0;
            members += json_object_get(v, "start") != NULL;
            members += json_object_get(v, "end") != NULL;
            if (bad || json_object_size(v) != members)
                return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                                       "window must hold exactly \"start\" and \"end\" times");
            continue;
        }
        int c = -1;
        for (int i = 0; i < COL_COUNT; i++)
            if (!strcmp(key, column_names[i]))
                c = i;
        if (c < 0 || c == COL_STATIONS)
            return apsco_error_set(err, APSCO_ERR_PARSE, source, line, "unknown field '%.60s'",
                                   key);
        int bad = 0;
        raw->v[c] = scalar(v, jf->text[c], sizeof jf->text[c], &bad);
        if (bad)
            return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                                   "%s must be a string or a number", key);
    }
    return convert(raw, source, line, set, err);
}

static apsco_status parse_json(const char *text, size_t len, const char *source,
                               apsco_plan_requests *set, apsco_error *err)
{
    json_error_t je;
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!root)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, je.line > 0 ? je.line : 0, "%s",
                               je.text);
    if (!json_is_array(root)) {
        json_decref(root);
        return apsco_error_set(err, APSCO_ERR_PARSE, source, 1,
                               "expected a JSON array of request objects");
    }
    size_t n = json_array_size(root);
    text_json_scan scan;
    text_json_scan_init(&scan, text, len);
    raw_request *raw = malloc(sizeof *raw);
    json_fields *jf = malloc(sizeof *jf);
    apsco_status st =
        raw && jf ? APSCO_OK : apsco_error_set(err, APSCO_ERR_NOMEM, source, 0, "out of memory");
    for (size_t i = 0; i < n && st == APSCO_OK; i++)
        st = json_request(json_array_get(root, i), source, text_json_scan_next(&scan), set, raw, jf,
                          err);
    free(raw);
    free(jf);
    json_decref(root);
    return st;
}

apsco_status apsco_plan_requests_parse(const char *text, size_t len, const char *source,
                                       apsco_plan_requests *out, apsco_error *err)
{
    if (!text || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no text or no output");
    size_t count = out->count, names = out->name_count;
    /* A UTF-8 byte order mark says nothing about the format. */
    size_t bom = len >= 3 && !memcmp(text, "\xEF\xBB\xBF", 3) ? 3 : 0;
    size_t i = bom;
    while (i < len && isspace((unsigned char)text[i]))
        i++;
    apsco_status st = i < len && text[i] == '['
                          ? parse_json(text + bom, len - bom, source, out, err)
                          : parse_csv(text + bom, len - bom, source, out, err);
    if (st != APSCO_OK) {
        out->count = count;
        out->name_count = names;
    }
    return st;
}

apsco_status apsco_plan_requests_load(const char *path, apsco_plan_requests *out, apsco_error *err)
{
    char *text;
    size_t len;
    apsco_status st = text_read_file(path, PLAN_FILE_MAX, "a request file", &text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_plan_requests_parse(text, len, path, out, err);
    free(text);
    return st;
}
