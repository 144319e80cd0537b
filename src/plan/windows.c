/*
 * windows.c — pass windows handed to the planner: the growable container
 * with its stations, and the CSV of precomputed windows
 * (norad,station,start_utc,end_utc,max_el_deg) that `apsco schedule
 * --windows` reads.
 *
 * Computing windows is pass prediction's job; this file only carries them.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"
#include "apsco/elements.h"
#include "plan/internal.h"
#include "text/text.h"

static const char *const header[] = {"norad", "station", "start_utc", "end_utc", "max_el_deg"};

int plan_valid_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n >= APSCO_PLAN_ID_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)id[i] < 0x20 || id[i] == 0x7f)
            return 0;
    return 1;
}

apsco_status apsco_plan_windows_station(apsco_plan_windows *w, const char *id, int antennas,
                                        size_t *index, apsco_error *err)
{
    if (!plan_valid_id(id))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "station identifier must be 1-63 printable bytes");
    for (size_t i = 0; i < w->station_count; i++)
        if (!strcmp(w->stations[i].id, id)) {
            *index = i;
            return APSCO_OK;
        }
    if (!plan_grow((void **)&w->stations, &w->station_capacity, w->station_count + 1,
                   sizeof *w->stations))
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    apsco_plan_station *s = &w->stations[w->station_count];
    memset(s, 0, sizeof *s);
    snprintf(s->id, sizeof s->id, "%s", id);
    s->antennas = antennas;
    *index = w->station_count++;
    return APSCO_OK;
}

apsco_status apsco_plan_windows_add(apsco_plan_windows *w, const apsco_plan_window *window,
                                    apsco_error *err)
{
    if (window->station >= w->station_count)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "window of an unknown station");
    if (!plan_grow((void **)&w->items, &w->capacity, w->count + 1, sizeof *w->items))
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    w->items[w->count++] = *window;
    return APSCO_OK;
}

void apsco_plan_windows_free(apsco_plan_windows *w)
{
    if (!w)
        return;
    free(w->items);
    free(w->stations);
    memset(w, 0, sizeof *w);
}

static apsco_status parse_time(const char *s, const char *what, const char *source, long line,
                               apsco_time *out, apsco_error *err)
{
    apsco_error e;
    if (apsco_time_parse_iso(s, out, &e) != APSCO_OK)
        return apsco_error_set(err, e.status, source, line, "%s: %s", what, e.message);
    return APSCO_OK;
}

/* One record of five fields. */
static apsco_status window_record(char **f, const char *source, long line, apsco_plan_windows *w,
                                  apsco_error *err)
{
    apsco_plan_window win;
    memset(&win, 0, sizeof win);
    win.source_line = line;
    if (apsco_norad_parse(f[0], &win.norad) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                               "norad: '%s' is not a catalog number", f[0]);
    if (!plan_valid_id(f[1]))
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                               "station: identifier must be 1-63 printable bytes");
    apsco_status st = parse_time(f[2], "start_utc", source, line, &win.start, err);
    if (st == APSCO_OK)
        st = parse_time(f[3], "end_utc", source, line, &win.end, err);
    if (st != APSCO_OK)
        return st;
    if (!(apsco_time_diff_s(win.end, win.start) > 0))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "end_utc is not after start_utc");
    char *end;
    errno = 0;
    double el = text_strtod(f[4], &end);
    if (end == f[4] || *end != '\0' || errno == ERANGE || !(el >= -90 && el <= 90))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "max_el_deg: '%s' is not an elevation in [-90, 90]", f[4]);
    win.max_el_rad = el * (M_PI / 180.0);
    st = apsco_plan_windows_station(w, f[1], 1, &win.station, err);
    if (st == APSCO_OK)
        st = apsco_plan_windows_add(w, &win, err);
    if (st != APSCO_OK)
        return apsco_error_set(err, st, source, line, "out of memory");
    return APSCO_OK;
}

static apsco_status read_records(apsco_csv *r, apsco_plan_windows *w, apsco_error *err)
{
    int got, have_header = 0;
    apsco_status st;
    while ((st = apsco_csv_next(r, &got, err)) == APSCO_OK && got) {
        if (r->count != 5)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "expected 5 fields (%s), found %zu",
                                   "norad,station,start_utc,end_utc,max_el_deg", r->count);
        if (!have_header) {
            for (int i = 0; i < 5; i++)
                if (strcmp(r->field[i], header[i]))
                    return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                           "expected the header "
                                           "norad,station,start_utc,end_utc,max_el_deg");
            have_header = 1;
            continue;
        }
        st = window_record(r->field, r->source, r->record_line, w, err);
        if (st != APSCO_OK)
            return st;
    }
    if (st == APSCO_OK && !have_header)
        return apsco_error_set(err, APSCO_ERR_EMPTY, r->source, 0, "no header and no windows");
    return st;
}

apsco_status apsco_plan_windows_parse(const char *text, size_t len, const char *source,
                                      apsco_plan_windows *out, apsco_error *err)
{
    if (!text || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no text or no output");
    apsco_csv r;
    apsco_status st = apsco_csv_open(&r, text, len, source, err);
    if (st != APSCO_OK)
        return st;
    size_t count = out->count, stations = out->station_count;
    st = read_records(&r, out, err);
    apsco_csv_close(&r);
    if (st != APSCO_OK) {
        out->count = count;
        out->station_count = stations;
    }
    return st;
}

apsco_status apsco_plan_windows_load(const char *path, apsco_plan_windows *out, apsco_error *err)
{
    char *text;
    size_t len;
    apsco_status st = text_read_file(path, PLAN_FILE_MAX, "a windows file", &text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_plan_windows_parse(text, len, path, out, err);
    free(text);
    return st;
}

apsco_status apsco_plan_windows_from_passes(const apsco_pass_list *passes, const long *norads,
                                            size_t norad_count, const apsco_station_list *stations,
                                            apsco_plan_windows *out, apsco_error *err)
{
    if (!passes || !stations || !out || (norad_count && !norads))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no passes, stations or output");
    size_t count = out->count, station_count = out->station_count;
    size_t *index = malloc((stations->count + 1) * sizeof *index);
    apsco_status st =
        index ? APSCO_OK : apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t i = 0; st == APSCO_OK && i < stations->count; i++)
        st = apsco_plan_windows_station(out, stations->items[i].id, stations->items[i].antennas,
                                        &index[i], err);
    for (size_t i = 0; st == APSCO_OK && i < passes->count; i++) {
        const apsco_pass *p = &passes->items[i];
        if (p->sat >= norad_count || p->site >= stations->count) {
            st = apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                                 "pass %zu names satellite %zu or site %zu beyond the arrays", i,
                                 p->sat, p->site);
            break;
        }
        apsco_plan_window w = {norads[p->sat],
                               index[p->site],
                               apsco_pass_time(passes, p->aos_s),
                               apsco_pass_time(passes, p->los_s),
                               p->tca_el_rad,
                               0};
        if (p->los_s > p->aos_s)
            st = apsco_plan_windows_add(out, &w, err);
    }
    free(index);
    if (st != APSCO_OK) {
        out->count = count;
        out->station_count = station_count;
    }
    return st;
}
