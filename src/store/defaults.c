/*
 * defaults.c — the bundled dataset: the registry tables under
 * data/registry/, the member network data/stations.csv and the 2026
 * CelesTrak snapshot, loaded in one transaction so that a first run ends
 * with a complete store or with none of it.
 *
 * Registry files are CSV (apsco/csv.h) with a header row; their columns are
 * found by name. Lists inside a field are separated by ';'.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"
#include "store/internal.h"
#include "text/text.h"

#define SNAPSHOT_FILE "celestrak-active-2026-03-19.tle"

/* A registry file in memory, with the positions of its named columns. */
typedef struct table_file {
    char path[4096];
    char *text;
    apsco_csv csv;
    int pos[8];
} table_file;

/* Opens `dir`/`name` and finds the columns `names` (NULL-terminated) in its header. */
static apsco_status open_table(table_file *t, const char *dir, const char *name,
                               const char *const *names, apsco_error *err)
{
    memset(t, 0, sizeof *t);
    snprintf(t->path, sizeof t->path, "%s/%s", dir, name);
    size_t len = 0;
    apsco_status st =
        text_read_file(t->path, (size_t)64 * 1024 * 1024, "a registry table", &t->text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_csv_open(&t->csv, t->text, len, t->path, err);
    int got = 0;
    if (st == APSCO_OK)
        st = apsco_csv_next(&t->csv, &got, err);
    if (st == APSCO_OK && !got)
        st = apsco_error_set(err, APSCO_ERR_EMPTY, t->path, 0, "no header");
    for (int c = 0; st == APSCO_OK && names[c]; c++) {
        t->pos[c] = -1;
        for (size_t i = 0; i < t->csv.count; i++)
            if (!strcmp(t->csv.field[i], names[c]))
                t->pos[c] = (int)i;
        if (t->pos[c] < 0)
            st = apsco_error_set(err, APSCO_ERR_PARSE, t->path, t->csv.record_line,
                                 "missing column '%s'", names[c]);
    }
    return st;
}

static void close_table(table_file *t)
{
    apsco_csv_close(&t->csv);
    free(t->text);
    t->text = NULL;
}

/* Reads the next row; *got is 0 at the end. Rows must have the header's field count. */
static apsco_status next_row(table_file *t, size_t fields, int *got, apsco_error *err)
{
    apsco_status st = apsco_csv_next(&t->csv, got, err);
    if (st == APSCO_OK && *got && t->csv.count != fields)
        st = apsco_error_set(err, APSCO_ERR_PARSE, t->path, t->csv.record_line,
                             "expected %zu fields as in the header, found %zu", fields,
                             t->csv.count);
    return st;
}

static const char *col(const table_file *t, int c)
{
    return t->csv.field[t->pos[c]];
}

/* Gives a record-level error the file and line of the row it came from. */
static apsco_status at_row(const table_file *t, apsco_status st, apsco_error *err)
{
    if (st != APSCO_OK && err) {
        store_copy(err->file, sizeof err->file, t->path);
        err->line = t->csv.record_line;
    }
    return st;
}

static apsco_status load_states(apsco_store *store, const char *dir, apsco_error *err)
{
    static const char *const names[] = {"code", "name", "status", "joined", NULL};
    table_file t;
    apsco_status st = open_table(&t, dir, "registry/states.csv", names, err);
    size_t fields = t.csv.count;
    int got = 1;
    while (st == APSCO_OK && (st = next_row(&t, fields, &got, err)) == APSCO_OK && got) {
        apsco_state_record r;
        memset(&r, 0, sizeof r);
        store_copy(r.code, sizeof r.code, col(&t, 0));
        store_copy(r.name, sizeof r.name, col(&t, 1));
        r.status = apsco_state_status_parse(col(&t, 2));
        store_copy(r.joined, sizeof r.joined, col(&t, 3));
        st = at_row(&t, apsco_store_put_state(store, &r, err), err);
    }
    close_table(&t);
    return st;
}

static apsco_status load_agencies(apsco_store *store, const char *dir, apsco_error *err)
{
    static const char *const names[] = {"name", "state", "full_name", NULL};
    table_file t;
    apsco_status st = open_table(&t, dir, "registry/agencies.csv", names, err);
    size_t fields = t.csv.count;
    int got = 1;
    while (st == APSCO_OK && (st = next_row(&t, fields, &got, err)) == APSCO_OK && got) {
        apsco_agency_record r;
        memset(&r, 0, sizeof r);
        store_copy(r.name, sizeof r.name, col(&t, 0));
        store_copy(r.state, sizeof r.state, col(&t, 1));
        store_copy(r.full_name, sizeof r.full_name, col(&t, 2));
        st = at_row(&t, apsco_store_put_agency(store, &r, err), err);
    }
    close_table(&t);
    return st;
}

static int parse_long(const char *s, long *out)
{
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (end == s || *end || errno)
        return 0;
    *out = v;
    return 1;
}

static apsco_status load_satellites(apsco_store *store, const char *dir, apsco_error *err)
{
    static const char *const names[] = {"norad",   "name",  "agency", "class",
                                        "mass_kg", "notes", NULL};
    table_file t;
    apsco_status st = open_table(&t, dir, "registry/satellites.csv", names, err);
    size_t fields = t.csv.count;
    int got = 1;
    while (st == APSCO_OK && (st = next_row(&t, fields, &got, err)) == APSCO_OK && got) {
        apsco_satellite_record r;
        memset(&r, 0, sizeof r);
        char *end;
        if (!parse_long(col(&t, 0), &r.norad)) {
            st = apsco_error_set(err, APSCO_ERR_PARSE, t.path, t.csv.record_line,
                                 "norad '%.20s' is not a number", col(&t, 0));
            break;
        }
        store_copy(r.name, sizeof r.name, col(&t, 1));
        store_copy(r.agency, sizeof r.agency, col(&t, 2));
        store_copy(r.sat_class, sizeof r.sat_class, col(&t, 3));
        r.mass_kg = *col(&t, 4) ? text_strtod(col(&t, 4), &end) : NAN;
        if (*col(&t, 4) && *end) {
            st = apsco_error_set(err, APSCO_ERR_PARSE, t.path, t.csv.record_line,
                                 "mass_kg '%.20s' is not a number", col(&t, 4));
            break;
        }
        store_copy(r.notes, sizeof r.notes, col(&t, 5));
        st = at_row(&t, apsco_store_put_satellite(store, &r, err), err);
    }
    close_table(&t);
    return st;
}

/* Splits a ';'-separated list of a project row into its record. */
static int split_project_lists(const char *states, const char *sats, apsco_project_record *r)
{
    char buf[1024];
    store_copy(buf, sizeof buf, states);
    for (char *save, *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        if (r->state_count == APSCO_PROJECT_STATES_MAX || strlen(tok) != 2)
            return 0;
        memcpy(r->states[r->state_count++], tok, 3);
    }
    store_copy(buf, sizeof buf, sats);
    for (char *save, *tok = strtok_r(buf, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
        if (r->satellite_count == APSCO_PROJECT_SATELLITES_MAX ||
            !parse_long(tok, &r->satellites[r->satellite_count]))
            return 0;
        r->satellite_count++;
    }
    return 1;
}

static apsco_status load_projects(apsco_store *store, const char *dir, apsco_error *err)
{
    static const char *const names[] = {"name",         "class",       "states", "satellites",
                                        "illustrative", "description", NULL};
    table_file t;
    apsco_status st = open_table(&t, dir, "registry/projects.csv", names, err);
    size_t fields = t.csv.count;
    int got = 1;
    while (st == APSCO_OK && (st = next_row(&t, fields, &got, err)) == APSCO_OK && got) {
        apsco_project_record r;
        memset(&r, 0, sizeof r);
        store_copy(r.name, sizeof r.name, col(&t, 0));
        store_copy(r.proj_class, sizeof r.proj_class, col(&t, 1));
        r.illustrative = !strcmp(col(&t, 4), "yes") || !strcmp(col(&t, 4), "1");
        store_copy(r.description, sizeof r.description, col(&t, 5));
        if (!split_project_lists(col(&t, 2), col(&t, 3), &r)) {
            st = apsco_error_set(err, APSCO_ERR_PARSE, t.path, t.csv.record_line,
                                 "states must be codes and satellites catalog numbers, "
                                 "separated by ';'");
            break;
        }
        st = at_row(&t, apsco_store_put_project(store, &r, err), err);
    }
    close_table(&t);
    return st;
}

static apsco_status load_stations(apsco_store *store, const char *dir, apsco_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/stations.csv", dir);
    apsco_station_list list = {0};
    apsco_status st = apsco_stations_load(path, &list, err);
    if (st == APSCO_OK) {
        st = apsco_store_import_stations(store, &list, NULL, err);
        if (st != APSCO_OK && err)
            store_copy(err->file, sizeof err->file, path);
    }
    apsco_station_list_free(&list);
    return st;
}

static apsco_status load_snapshot(apsco_store *store, const char *dir, apsco_import_stats *stats,
                                  apsco_error *err)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, SNAPSHOT_FILE);
    apsco_catalog cat = {0};
    apsco_parse_options strict = {APSCO_FORMAT_TLE, 1, NULL, NULL};
    apsco_status st = apsco_catalog_load(path, &strict, &cat, err);
    if (st == APSCO_OK)
        st = apsco_store_import_catalog(store, &cat, SNAPSHOT_FILE, stats, err);
    apsco_catalog_free(&cat);
    return st;
}

apsco_status apsco_store_load_defaults(apsco_store *store, const char *data_dir,
                                       apsco_import_stats *elsets, apsco_error *err)
{
    if (!data_dir)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no data folder");
    store_scope scope;
    apsco_status st = store_scope_begin(store, &scope, err);
    if (st != APSCO_OK)
        return st;
    st = load_states(store, data_dir, err);
    if (st == APSCO_OK)
        st = load_agencies(store, data_dir, err);
    if (st == APSCO_OK)
        st = load_satellites(store, data_dir, err);
    if (st == APSCO_OK)
        st = load_projects(store, data_dir, err);
    if (st == APSCO_OK)
        st = load_stations(store, data_dir, err);
    if (st == APSCO_OK)
        st = load_snapshot(store, data_dir, elsets, err);
    return store_scope_end(store, &scope, st, err);
}
