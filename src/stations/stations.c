/*
 * stations.c — the station file: columns found by their header, every value
 * checked with the line it came from, and the horizon a station sees at a
 * given azimuth.
 *
 * The file is small and hand-written, so there is no lenient mode: the first
 * problem stops the parse and nothing is added.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"
#include "apsco/stations.h"
#include "text/text.h"

#define DEG               (M_PI / 180.0)
#define STATIONS_FILE_MAX (16L * 1024L * 1024L) /* 16 MiB: larger inputs are not station files */

enum column {
    COL_ID,
    COL_NAME,
    COL_STATE,
    COL_LAT,
    COL_LON,
    COL_ALT,
    COL_MIN_EL,
    COL_MASK,
    COL_ANTENNAS,
    COL_AGENCY,
    COL_COUNT
};

static const char *const column_names[COL_COUNT] = {
    "id",    "name",       "state", "lat_deg",  "lon_deg",
    "alt_m", "min_el_deg", "mask",  "antennas", "agency",
};

/* The first optional column: every column before it must be present. */
#define FIRST_OPTIONAL COL_MASK

apsco_status apsco_station_list_append(apsco_station_list *list, const apsco_station *station)
{
    if (list->count == list->capacity) {
        size_t cap = list->capacity ? list->capacity * 2 : 16;
        apsco_station *items = realloc(list->items, cap * sizeof *items);
        if (!items)
            return APSCO_ERR_NOMEM;
        list->items = items;
        list->capacity = cap;
    }
    list->items[list->count++] = *station;
    return APSCO_OK;
}

long apsco_station_list_find(const apsco_station_list *list, const char *id)
{
    for (size_t i = 0; i < list->count; i++)
        if (!strcmp(list->items[i].id, id))
            return (long)i;
    return -1;
}

void apsco_station_list_free(apsco_station_list *list)
{
    if (!list)
        return;
    free(list->items);
    list->items = NULL;
    list->count = list->capacity = 0;
}

/* Parses a whole field as a finite decimal number (no hex, no inf/nan). */
static int parse_number(const char *s, double *out)
{
    if (!*s)
        return 0;
    for (const char *p = s; *p; p++)
        if (!isdigit((unsigned char)*p) && !strchr("+-.eE", *p))
            return 0;
    char *end;
    errno = 0;
    double v = text_strtod(s, &end);
    if (end == s || *end || errno == ERANGE || !isfinite(v))
        return 0;
    *out = v;
    return 1;
}

static int valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= APSCO_STATION_ID_MAX)
        return 0;
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p))
            return 0;
    return 1;
}

static int valid_state(const char *state)
{
    return strlen(state) == 2 && isupper((unsigned char)state[0]) &&
           isupper((unsigned char)state[1]);
}

static int in_range(double v, double lo, double hi)
{
    return v >= lo && v <= hi;
}

apsco_status apsco_station_validate(const apsco_station *s, apsco_error *err)
{
    const char *src = NULL;
    long line = s->source_line;
    if (!valid_id(s->id))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                               "station id '%s' is not 1-%d characters of A-Z a-z 0-9 - _ .", s->id,
                               APSCO_STATION_ID_MAX - 1);
    if (!valid_state(s->state))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                               "state '%s' is not a two-letter upper-case ISO 3166-1 code",
                               s->state);
    if (!in_range(s->lat_rad, -M_PI / 2, M_PI / 2))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line, "latitude %g is outside [-90, 90]",
                               s->lat_rad / DEG);
    if (!(s->lon_rad >= -M_PI && s->lon_rad < M_PI))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                               "longitude %g is outside [-180, 180)", s->lon_rad / DEG);
    if (!in_range(s->alt_km, -0.5, 9.0))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                               "altitude %g m is outside [-500, 9000]", s->alt_km * 1000.0);
    if (!in_range(s->min_el_rad, -5 * DEG, 90 * DEG))
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                               "minimum elevation %g is outside [-5, 90]", s->min_el_rad / DEG);
    if (s->antennas < 1 || s->antennas > APSCO_ANTENNAS_MAX)
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line, "antennas %d is outside [1, %d]",
                               s->antennas, APSCO_ANTENNAS_MAX);
    if (s->mask_count < 0 || s->mask_count > APSCO_MASK_MAX)
        return apsco_error_set(err, APSCO_ERR_VALUE, src, line, "mask has %d points, at most %d",
                               s->mask_count, APSCO_MASK_MAX);
    for (int i = 0; i < s->mask_count; i++) {
        double az = s->mask_az_rad[i], el = s->mask_el_rad[i];
        if (!(az >= 0 && az < 2 * M_PI))
            return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                                   "mask azimuth %g is outside [0, 360)", az / DEG);
        if (i > 0 && !(az > s->mask_az_rad[i - 1]))
            return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                                   "mask azimuths must increase (%g after %g)", az / DEG,
                                   s->mask_az_rad[i - 1] / DEG);
        if (!in_range(el, -5 * DEG, 90 * DEG))
            return apsco_error_set(err, APSCO_ERR_VALUE, src, line,
                                   "mask elevation %g is outside [-5, 90]", el / DEG);
    }
    return APSCO_OK;
}

/* Reads one "az:el" pair of a mask (the text up to `end`). */
static int parse_mask_point(const char *p, const char *end, double *az_deg, double *el_deg)
{
    char buf[64];
    size_t n = (size_t)(end - p);
    if (n >= sizeof buf)
        return 0;
    memcpy(buf, p, n);
    buf[n] = '\0';
    char *colon = strchr(buf, ':');
    if (!colon)
        return 0;
    *colon = '\0';
    char *az = buf, *el = colon + 1;
    while (isspace((unsigned char)*az))
        az++;
    while (isspace((unsigned char)*el))
        el++;
    for (char *q = colon - 1; q >= buf && isspace((unsigned char)*q); q--)
        *q = '\0';
    for (char *q = el + strlen(el); q > el && isspace((unsigned char)q[-1]); q--)
        q[-1] = '\0';
    return parse_number(az, az_deg) && parse_number(el, el_deg);
}

apsco_status apsco_station_set_mask(apsco_station *s, const char *text, apsco_error *err)
{
    s->mask_count = 0;
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return APSCO_OK;
    int n = 0;
    for (;;) {
        const char *end = strchr(p, ';');
        if (!end)
            end = p + strlen(p);
        double az, el;
        if (n == APSCO_MASK_MAX) {
            s->mask_count = 0;
            return apsco_error_set(err, APSCO_ERR_LIMIT, NULL, s->source_line,
                                   "mask has more than %d points", APSCO_MASK_MAX);
        }
        if (!parse_mask_point(p, end, &az, &el)) {
            s->mask_count = 0;
            return apsco_error_set(err, APSCO_ERR_PARSE, NULL, s->source_line,
                                   "mask point '%.*s' is not az:el in degrees",
                                   (int)(end - p > 40 ? 40 : end - p), p);
        }
        s->mask_az_rad[n] = az * DEG;
        s->mask_el_rad[n] = el * DEG;
        n++;
        if (!*end)
            break;
        p = end + 1;
    }
    s->mask_count = n;
    return APSCO_OK;
}

/* Appends "%.6f" of `v` without trailing zeros; returns 0 if it does not fit. */
static int put_trimmed(char *buf, size_t size, size_t *used, double v)
{
    char num[64];
    snprintf(num, sizeof num, "%.6f", v);
    char *dot = strchr(num, '.');
    if (dot) {
        char *q = num + strlen(num);
        while (q > dot + 1 && q[-1] == '0')
            *--q = '\0';
        if (q == dot + 1)
            *dot = '\0';
    }
    if (!strcmp(num, "-0"))
        strcpy(num, "0");
    size_t n = strlen(num);
    if (*used + n + 1 > size)
        return 0;
    memcpy(buf + *used, num, n + 1);
    *used += n;
    return 1;
}

static int put_char(char *buf, size_t size, size_t *used, char c)
{
    if (*used + 2 > size)
        return 0;
    buf[(*used)++] = c;
    buf[*used] = '\0';
    return 1;
}

int apsco_station_format_mask(const apsco_station *s, char *buf, size_t size)
{
    size_t used = 0;
    if (size == 0)
        return 0;
    buf[0] = '\0';
    for (int i = 0; i < s->mask_count; i++) {
        if (i > 0 && !put_char(buf, size, &used, ';'))
            return 0;
        if (!put_trimmed(buf, size, &used, s->mask_az_rad[i] / DEG) ||
            !put_char(buf, size, &used, ':') ||
            !put_trimmed(buf, size, &used, s->mask_el_rad[i] / DEG))
            return 0;
    }
    return 1;
}

double apsco_station_min_el_at_rad(const apsco_station *s, double az_rad)
{
    int n = s->mask_count;
    if (n <= 0)
        return s->min_el_rad;
    double a = fmod(az_rad, 2 * M_PI);
    if (a < 0)
        a += 2 * M_PI;
    double mask;
    if (n == 1) {
        mask = s->mask_el_rad[0];
    } else if (a >= s->mask_az_rad[0] && a < s->mask_az_rad[n - 1]) {
        int i = 0;
        while (a >= s->mask_az_rad[i + 1])
            i++;
        double t = (a - s->mask_az_rad[i]) / (s->mask_az_rad[i + 1] - s->mask_az_rad[i]);
        mask = s->mask_el_rad[i] + t * (s->mask_el_rad[i + 1] - s->mask_el_rad[i]);
    } else {
        /* Across north: from the last point to the first one, one turn later. */
        double from = s->mask_az_rad[n - 1], to = s->mask_az_rad[0] + 2 * M_PI;
        if (a < s->mask_az_rad[0])
            a += 2 * M_PI;
        double t = (a - from) / (to - from);
        mask = s->mask_el_rad[n - 1] + t * (s->mask_el_rad[0] - s->mask_el_rad[n - 1]);
    }
    return mask > s->min_el_rad ? mask : s->min_el_rad;
}

/* Column positions found in the header; -1 for an absent optional column. */
typedef struct header {
    int pos[COL_COUNT];
    size_t count;
} header;

static apsco_status read_header(apsco_csv *r, header *h, apsco_error *err)
{
    for (int c = 0; c < COL_COUNT; c++)
        h->pos[c] = -1;
    h->count = r->count;
    for (size_t i = 0; i < r->count; i++) {
        int c = 0;
        while (c < COL_COUNT && strcmp(r->field[i], column_names[c]))
            c++;
        if (c == COL_COUNT)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "unknown column '%.40s' (expected id,name,state,lat_deg,"
                                   "lon_deg,alt_m,min_el_deg[,mask][,antennas][,agency])",
                                   r->field[i]);
        if (h->pos[c] >= 0)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "column '%s' appears twice", column_names[c]);
        h->pos[c] = (int)i;
    }
    for (int c = 0; c < FIRST_OPTIONAL; c++)
        if (h->pos[c] < 0)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "missing column '%s'", column_names[c]);
    return APSCO_OK;
}

static const char *cell(const apsco_csv *r, const header *h, enum column c)
{
    return h->pos[c] >= 0 ? r->field[h->pos[c]] : "";
}

/* Copies a text field; fails when it does not fit in `size` bytes. */
static int copy_text(char *dst, size_t size, const char *src)
{
    size_t n = strlen(src);
    if (n >= size)
        return 0;
    memcpy(dst, src, n + 1);
    return 1;
}

static apsco_status bad_number(const apsco_csv *r, const char *column, const char *text,
                               apsco_error *err)
{
    return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                           "%s '%.40s' is not a number", column, text);
}

/* Reads the numeric columns of one record into `s`. */
static apsco_status read_numbers(const apsco_csv *r, const header *h, apsco_station *s,
                                 apsco_error *err)
{
    double lat, lon, alt_m, min_el, antennas = 1;
    if (!parse_number(cell(r, h, COL_LAT), &lat))
        return bad_number(r, "lat_deg", cell(r, h, COL_LAT), err);
    if (!parse_number(cell(r, h, COL_LON), &lon))
        return bad_number(r, "lon_deg", cell(r, h, COL_LON), err);
    if (!parse_number(cell(r, h, COL_ALT), &alt_m))
        return bad_number(r, "alt_m", cell(r, h, COL_ALT), err);
    if (!parse_number(cell(r, h, COL_MIN_EL), &min_el))
        return bad_number(r, "min_el_deg", cell(r, h, COL_MIN_EL), err);
    if (*cell(r, h, COL_ANTENNAS) && (!parse_number(cell(r, h, COL_ANTENNAS), &antennas) ||
                                      antennas != floor(antennas) || fabs(antennas) > 1e6))
        return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                               "antennas '%.40s' is not a whole number", cell(r, h, COL_ANTENNAS));
    /* Longitudes east of 180 are folded to the west before the range check. */
    if (!(lon >= -180.0 && lon < 360.0))
        return apsco_error_set(err, APSCO_ERR_VALUE, r->source, r->record_line,
                               "longitude %g is outside [-180, 360)", lon);
    if (lon >= 180.0)
        lon -= 360.0;
    s->lat_rad = lat * DEG;
    s->lon_rad = lon * DEG;
    s->alt_km = alt_m / 1000.0;
    s->min_el_rad = min_el * DEG;
    s->antennas = (int)antennas;
    return APSCO_OK;
}

/* Builds one station from the current record. */
static apsco_status read_station(const apsco_csv *r, const header *h, apsco_station *s,
                                 apsco_error *err)
{
    memset(s, 0, sizeof *s);
    s->source_line = r->record_line;
    if (r->count != h->count)
        return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                               "expected %zu fields as in the header, found %zu", h->count,
                               r->count);
    if (!copy_text(s->name, sizeof s->name, cell(r, h, COL_NAME)))
        return apsco_error_set(err, APSCO_ERR_VALUE, r->source, r->record_line,
                               "name longer than %d bytes", APSCO_STATION_NAME_MAX - 1);
    if (!copy_text(s->agency, sizeof s->agency, cell(r, h, COL_AGENCY)))
        return apsco_error_set(err, APSCO_ERR_VALUE, r->source, r->record_line,
                               "agency longer than %d bytes", APSCO_STATION_AGENCY_MAX - 1);
    if (!valid_id(cell(r, h, COL_ID)))
        return apsco_error_set(err, APSCO_ERR_VALUE, r->source, r->record_line,
                               "station id '%.40s' is not 1-%d characters of A-Z a-z 0-9 - _ .",
                               cell(r, h, COL_ID), APSCO_STATION_ID_MAX - 1);
    if (!valid_state(cell(r, h, COL_STATE)))
        return apsco_error_set(err, APSCO_ERR_VALUE, r->source, r->record_line,
                               "state '%.40s' is not a two-letter upper-case ISO 3166-1 code",
                               cell(r, h, COL_STATE));
    /* Both fit: valid_id and valid_state bound their lengths. */
    copy_text(s->id, sizeof s->id, cell(r, h, COL_ID));
    copy_text(s->state, sizeof s->state, cell(r, h, COL_STATE));
    apsco_status st = read_numbers(r, h, s, err);
    if (st == APSCO_OK)
        st = apsco_station_set_mask(s, cell(r, h, COL_MASK), err);
    if (st == APSCO_OK)
        st = apsco_station_validate(s, err);
    if (st != APSCO_OK && err)
        snprintf(err->file, sizeof err->file, "%s", r->source);
    return st;
}

/* Fails when `s` repeats the id of a station read earlier from this file. */
static apsco_status check_unique(const apsco_station_list *out, size_t first,
                                 const apsco_station *s, const char *source, apsco_error *err)
{
    for (size_t i = first; i < out->count; i++)
        if (!strcmp(out->items[i].id, s->id))
            return apsco_error_set(err, APSCO_ERR_VALUE, source, s->source_line,
                                   "duplicate station id '%s' (first on line %ld)", s->id,
                                   out->items[i].source_line);
    return APSCO_OK;
}

static apsco_status parse_records(apsco_csv *r, apsco_station_list *out, size_t before,
                                  apsco_error *err)
{
    int got;
    apsco_status st = apsco_csv_next(r, &got, err);
    if (st != APSCO_OK)
        return st;
    if (!got)
        return apsco_error_set(err, APSCO_ERR_EMPTY, r->source, 0, "no header and no station");
    header h;
    st = read_header(r, &h, err);
    while (st == APSCO_OK) {
        st = apsco_csv_next(r, &got, err);
        if (st != APSCO_OK || !got)
            break;
        apsco_station s;
        st = read_station(r, &h, &s, err);
        if (st == APSCO_OK)
            st = check_unique(out, before, &s, r->source, err);
        if (st == APSCO_OK && apsco_station_list_append(out, &s) != APSCO_OK)
            st = apsco_error_set(err, APSCO_ERR_NOMEM, r->source, r->record_line, "out of memory");
    }
    if (st == APSCO_OK && out->count == before)
        st = apsco_error_set(err, APSCO_ERR_EMPTY, r->source, 0, "no station after the header");
    return st;
}

apsco_status apsco_stations_parse(const char *text, size_t len, const char *source,
                                  apsco_station_list *out, apsco_error *err)
{
    if (!text || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, source, 0, "no input");
    apsco_csv r;
    apsco_status st = apsco_csv_open(&r, text, len, source, err);
    if (st != APSCO_OK)
        return st;
    size_t before = out->count;
    st = parse_records(&r, out, before, err);
    apsco_csv_close(&r);
    if (st != APSCO_OK)
        out->count = before;
    return st;
}

apsco_status apsco_stations_load(const char *path, apsco_station_list *out, apsco_error *err)
{
    char *buf = NULL;
    size_t n = 0;
    apsco_status st =
        text_read_file(path, (size_t)STATIONS_FILE_MAX, "a station file", &buf, &n, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_stations_parse(buf, n, path, out, err);
    free(buf);
    return st;
}

/* Writes `s` as one CSV field, quoted when it holds a comma, quote or newline. */
static void write_field(FILE *out, const char *s)
{
    if (!strpbrk(s, ",\"\r\n") && s[0] != ' ' && s[0] != '#') {
        fputs(s, out);
        return;
    }
    fputc('"', out);
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            fputc('"', out);
        fputc(*p, out);
    }
    fputc('"', out);
}

apsco_status apsco_stations_write(FILE *out, const apsco_station_list *list, apsco_error *err)
{
    fputs("id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,mask,antennas,agency\n", out);
    for (size_t i = 0; i < list->count; i++) {
        const apsco_station *s = &list->items[i];
        char mask[APSCO_MASK_MAX * 32];
        apsco_station_format_mask(s, mask, sizeof mask);
        write_field(out, s->id);
        fputc(',', out);
        write_field(out, s->name);
        fprintf(out, ",%s,%.7f,%.7f,%.3f,%.4f,", s->state, s->lat_rad / DEG, s->lon_rad / DEG,
                s->alt_km * 1000.0, s->min_el_rad / DEG);
        write_field(out, mask);
        fprintf(out, ",%d,", s->antennas);
        write_field(out, s->agency);
        fputc('\n', out);
    }
    if (fflush(out) != 0 || ferror(out))
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "write error: %s", strerror(errno));
    return APSCO_OK;
}
