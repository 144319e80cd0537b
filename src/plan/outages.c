/*
 * outages.c — station outages (maintenance, failures): the file of
 * "station,start_utc,end_utc" lines read by `apsco schedule --outages`.
 *
 * Station names are matched against the network when the problem is solved,
 * so that an outage of an unknown station is reported with its line then.
 */
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"
#include "plan/internal.h"
#include "text/text.h"

static apsco_status outage_record(char **f, const char *source, long line, apsco_plan_outages *out,
                                  apsco_error *err)
{
    apsco_plan_outage o;
    memset(&o, 0, sizeof o);
    o.source_line = line;
    size_t n = strlen(f[0]);
    if (n == 0 || n >= sizeof o.station)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                               "station: identifier must be 1-63 bytes");
    memcpy(o.station, f[0], n + 1);
    apsco_error e;
    if (apsco_time_parse_iso(f[1], &o.start, &e) != APSCO_OK)
        return apsco_error_set(err, e.status, source, line, "start_utc: %s", e.message);
    if (apsco_time_parse_iso(f[2], &o.end, &e) != APSCO_OK)
        return apsco_error_set(err, e.status, source, line, "end_utc: %s", e.message);
    if (!(apsco_time_diff_s(o.end, o.start) > 0))
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "end_utc is not after start_utc");
    if (!plan_grow((void **)&out->items, &out->capacity, out->count + 1, sizeof *out->items))
        return apsco_error_set(err, APSCO_ERR_NOMEM, source, line, "out of memory");
    out->items[out->count++] = o;
    return APSCO_OK;
}

static int is_header(char **f)
{
    return !strcmp(f[0], "station") && !strcmp(f[1], "start_utc") && !strcmp(f[2], "end_utc");
}

static apsco_status read_records(apsco_csv *r, apsco_plan_outages *out, apsco_error *err)
{
    int got, records = 0;
    apsco_status st;
    while ((st = apsco_csv_next(r, &got, err)) == APSCO_OK && got) {
        if (r->count != 3)
            return apsco_error_set(err, APSCO_ERR_PARSE, r->source, r->record_line,
                                   "expected 3 fields (station,start_utc,end_utc), found %zu",
                                   r->count);
        if (records++ == 0 && is_header(r->field))
            continue;
        st = outage_record(r->field, r->source, r->record_line, out, err);
        if (st != APSCO_OK)
            return st;
    }
    return st;
}

apsco_status apsco_plan_outages_parse(const char *text, size_t len, const char *source,
                                      apsco_plan_outages *out, apsco_error *err)
{
    if (!text || !out)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no text or no output");
    apsco_csv r;
    apsco_status st = apsco_csv_open(&r, text, len, source, err);
    if (st != APSCO_OK)
        return st;
    size_t count = out->count;
    st = read_records(&r, out, err);
    apsco_csv_close(&r);
    if (st != APSCO_OK)
        out->count = count;
    else
        snprintf(out->source, sizeof out->source, "%s", source ? source : "");
    return st;
}

apsco_status apsco_plan_outages_load(const char *path, apsco_plan_outages *out, apsco_error *err)
{
    char *text;
    size_t len;
    apsco_status st = text_read_file(path, PLAN_FILE_MAX, "an outages file", &text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_plan_outages_parse(text, len, path, out, err);
    free(text);
    return st;
}

void apsco_plan_outages_free(apsco_plan_outages *out)
{
    if (!out)
        return;
    free(out->items);
    memset(out, 0, sizeof *out);
}
