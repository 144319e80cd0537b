/*
 * list.c — listings of the registry and the catalog as tables of text
 * cells, with the kind of each cell kept so that writers can print numbers
 * as numbers (JSON) and leave missing values empty.
 *
 * Every listing is one SELECT: the columns of a table are the columns of its
 * query, named as the listing documents them.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Degrees per radian and rev/day per rad/min, as SQL literals. */
#define SQL_DEG   "57.29577951308232"
#define SQL_REVPD "229.1831180523293"

static apsco_status states_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                 apsco_error *err)
{
    store_q_add(q, "SELECT code, name, status, joined FROM states st WHERE 1");
    apsco_status st = store_q_filter(q, store, "st.code", sel->state, STORE_FILTER_STATE, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "st.status", sel->status, STORE_FILTER_STATUS, err);
    store_q_add(q, " ORDER BY code");
    return st;
}

static apsco_status agencies_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                   apsco_error *err)
{
    store_q_add(q, "SELECT a.name, a.state, a.full_name,"
                   " (SELECT COUNT(*) FROM satellites s WHERE s.agency_id = a.id) AS satellites,"
                   " (SELECT COUNT(*) FROM stations t WHERE t.agency_id = a.id) AS stations"
                   " FROM agencies a JOIN states st ON st.code = a.state WHERE 1");
    apsco_status st = store_q_filter(q, store, "a.state", sel->state, STORE_FILTER_STATE, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "st.status", sel->status, STORE_FILTER_STATUS, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "a.name", sel->agency, STORE_FILTER_AGENCY, err);
    store_q_add(q, " ORDER BY a.state, a.name");
    return st;
}

static apsco_status stations_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                   apsco_error *err)
{
    store_q_add(q, "SELECT t.id, t.name, t.state, a.name AS agency, t.lat_deg, t.lon_deg,"
                   " t.alt_m, t.min_el_deg, t.mask, t.antennas FROM stations t"
                   " JOIN states st ON st.code = t.state"
                   " LEFT JOIN agencies a ON a.id = t.agency_id WHERE 1");
    apsco_status st = store_q_filter(q, store, "t.state", sel->state, STORE_FILTER_STATE, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "st.status", sel->status, STORE_FILTER_STATUS, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "a.name", sel->agency, STORE_FILTER_AGENCY, err);
    store_q_add(q, " ORDER BY t.id");
    return st;
}

static apsco_status satellites_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                     apsco_error *err)
{
    store_q_add(q, "SELECT s.norad, s.name, a.state, a.name AS agency, s.class, s.mass_kg,"
                   " (SELECT apsco_iso(e.epoch_jd, e.epoch_fr) FROM elsets e"
                   "  WHERE e.norad = s.norad ORDER BY e.epoch_us DESC LIMIT 1) AS epoch,"
                   " (SELECT group_concat(name, ';') FROM (SELECT p.name FROM project_satellites"
                   "  ps JOIN projects p ON p.id = ps.project_id WHERE ps.norad = s.norad"
                   "  ORDER BY p.name)) AS projects"
                   " FROM satellites s JOIN agencies a ON a.id = s.agency_id"
                   " JOIN states st ON st.code = a.state WHERE 1");
    apsco_status st = store_q_objects(q, store, sel, "s.norad", err);
    store_q_add(q, " ORDER BY s.norad");
    return st;
}

static apsco_status projects_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                   apsco_error *err)
{
    store_q_add(q, "SELECT p.name, p.class,"
                   " (SELECT group_concat(state, ';') FROM (SELECT state FROM project_states"
                   "  WHERE project_id = p.id ORDER BY state)) AS states,"
                   " (SELECT group_concat(norad, ';') FROM (SELECT norad FROM project_satellites"
                   "  WHERE project_id = p.id ORDER BY norad)) AS satellites,"
                   " p.illustrative, p.description FROM projects p WHERE 1");
    apsco_status st = store_q_filter(q, store, "p.class", sel->sat_class, STORE_FILTER_CLASS, err);
    if (st == APSCO_OK)
        st = store_q_filter(q, store, "p.name", sel->project, STORE_FILTER_PROJECT, err);
    if (st == APSCO_OK && sel->state && *sel->state) {
        store_q_add(q, " AND p.id IN (SELECT project_id FROM project_states ps WHERE 1");
        st = store_q_filter(q, store, "ps.state", sel->state, STORE_FILTER_STATE, err);
        store_q_add(q, ")");
    }
    store_q_add(q, " ORDER BY p.name");
    return st;
}

/* The last column (max(epoch_us), which picks the latest row) is not shown. */
static apsco_status catalog_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                  apsco_error *err)
{
    store_q_add(q, "SELECT e.norad, e.name, e.intldes, apsco_iso(e.epoch_jd, e.epoch_fr) AS epoch,"
                   " count(*) AS elsets, e.incl_rad * " SQL_DEG " AS incl_deg, e.ecc,"
                   " e.mean_motion_rad_min * " SQL_REVPD " AS mean_motion_rev_day,"
                   " 6.283185307179586 / e.mean_motion_rad_min AS period_min,"
                   " EXISTS (SELECT 1 FROM satellites s WHERE s.norad = e.norad) AS registry,"
                   " max(e.epoch_us) FROM elsets e WHERE 1");
    apsco_status st = store_q_objects(q, store, sel, "e.norad", err);
    store_q_add(q, " GROUP BY e.norad ORDER BY e.norad");
    return st;
}

static apsco_status imports_query(store_query *q)
{
    store_q_add(q, "SELECT id, source, imported_at, records, added, updated FROM imports"
                   " ORDER BY id");
    return APSCO_OK;
}

static apsco_status history_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                  apsco_error *err)
{
    store_q_add(q, "SELECT e.norad, apsco_iso(e.epoch_jd, e.epoch_fr) AS epoch, e.name,"
                   " e.element_set_no, e.incl_rad * " SQL_DEG " AS incl_deg, e.ecc,"
                   " e.mean_motion_rad_min * " SQL_REVPD " AS mean_motion_rev_day,"
                   " i.source, i.imported_at FROM elsets e JOIN imports i ON i.id = e.import_id"
                   " WHERE 1");
    apsco_status st = store_q_objects(q, store, sel, "e.norad", err);
    store_q_add(q, " ORDER BY e.norad, e.epoch_us");
    return st;
}

static apsco_status requests_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                   int cancelled_too, apsco_error *err)
{
    store_q_add(q, "SELECT r.id, r.state, r.norad, r.kind, r.priority, r.min_duration_s,"
                   " r.per_day, r.window_start, r.window_end,"
                   " (SELECT group_concat(station, ';') FROM (SELECT station FROM"
                   "  request_stations WHERE request_seq = r.seq ORDER BY position)) AS stations,"
                   " CASE WHEN r.cancelled_at IS NULL THEN 'active' ELSE 'cancelled' END"
                   " AS status, r.submitted_at, r.cancelled_at FROM requests r WHERE 1");
    if (!cancelled_too)
        store_q_add(q, " AND r.cancelled_at IS NULL");
    apsco_status st = store_q_filter(q, store, "r.state", sel->state, STORE_FILTER_STATE, err);
    store_q_add(q, " ORDER BY r.seq");
    return st;
}

/* Grows the table by one row of cells read from `s`. */
static apsco_status add_row(apsco_table *t, sqlite3_stmt *s, size_t *cap)
{
    if (t->rows == *cap) {
        size_t n = *cap ? *cap * 2 : 64;
        char **cells = realloc(t->cells, n * t->columns * sizeof *cells);
        if (!cells)
            return APSCO_ERR_NOMEM;
        t->cells = cells;
        unsigned char *kinds = realloc(t->kinds, n * t->columns);
        if (!kinds)
            return APSCO_ERR_NOMEM;
        t->kinds = kinds;
        *cap = n;
    }
    size_t base = t->rows * t->columns;
    for (size_t c = 0; c < t->columns; c++) {
        int type = sqlite3_column_type(s, (int)c);
        const char *text = (const char *)sqlite3_column_text(s, (int)c);
        t->cells[base + c] = NULL;
        t->kinds[base + c] = type == SQLITE_INTEGER ? APSCO_CELL_INTEGER
                             : type == SQLITE_FLOAT ? APSCO_CELL_REAL
                             : type == SQLITE_NULL  ? APSCO_CELL_NULL
                                                    : APSCO_CELL_TEXT;
        if (type != SQLITE_NULL && !(t->cells[base + c] = strdup(text ? text : ""))) {
            for (size_t k = 0; k < c; k++)
                free(t->cells[base + k]);
            return APSCO_ERR_NOMEM;
        }
    }
    t->rows++;
    return APSCO_OK;
}

static apsco_status fill_table(apsco_store *store, sqlite3_stmt *s, size_t hidden, apsco_table *t,
                               apsco_error *err)
{
    t->columns = (size_t)sqlite3_column_count(s) - hidden;
    t->names = calloc(t->columns, sizeof *t->names);
    if (!t->names)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t c = 0; c < t->columns; c++)
        if (!(t->names[c] = strdup(sqlite3_column_name(s, (int)c))))
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW)
        if (add_row(t, s, &cap) != APSCO_OK)
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    return rc == SQLITE_DONE ? APSCO_OK : store_sql_error(store, err, "database");
}

static apsco_status build_query(store_query *q, apsco_store *store, apsco_listing what,
                                const apsco_selection *sel, apsco_error *err)
{
    switch (what) {
    case APSCO_LIST_STATES: return states_query(q, store, sel, err);
    case APSCO_LIST_AGENCIES: return agencies_query(q, store, sel, err);
    case APSCO_LIST_STATIONS: return stations_query(q, store, sel, err);
    case APSCO_LIST_SATELLITES: return satellites_query(q, store, sel, err);
    case APSCO_LIST_PROJECTS: return projects_query(q, store, sel, err);
    case APSCO_LIST_CATALOG: return catalog_query(q, store, sel, err);
    case APSCO_LIST_IMPORTS: return imports_query(q);
    case APSCO_LIST_HISTORY: return history_query(q, store, sel, err);
    case APSCO_LIST_REQUESTS: return requests_query(q, store, sel, 0, err);
    case APSCO_LIST_REQUEST_HISTORY: return requests_query(q, store, sel, 1, err);
    }
    return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "unknown listing %d", (int)what);
}

apsco_status apsco_store_list(apsco_store *store, apsco_listing what, const apsco_selection *sel,
                              apsco_table *out, apsco_error *err)
{
    static const apsco_selection none = {0};
    memset(out, 0, sizeof *out);
    store_query q = {0};
    apsco_status st = build_query(&q, store, what, sel ? sel : &none, err);
    sqlite3_stmt *s = NULL;
    if (st == APSCO_OK)
        st = store_q_prepare(&q, store, &s, err);
    if (st == APSCO_OK)
        st = fill_table(store, s, what == APSCO_LIST_CATALOG ? 1 : 0, out, err);
    sqlite3_finalize(s);
    store_q_free(&q);
    if (st != APSCO_OK)
        apsco_table_free(out);
    return st;
}

const char *apsco_table_cell(const apsco_table *t, size_t row, size_t column)
{
    if (row >= t->rows || column >= t->columns)
        return NULL;
    return t->cells[row * t->columns + column];
}

void apsco_table_free(apsco_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->cells && i < t->rows * t->columns; i++)
        free(t->cells[i]);
    for (size_t c = 0; t->names && c < t->columns; c++)
        free(t->names[c]);
    free(t->cells);
    free(t->names);
    free(t->kinds);
    memset(t, 0, sizeof *t);
}
