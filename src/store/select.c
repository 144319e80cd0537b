/*
 * select.c — choosing objects and records: the selection every command
 * shares (state, status, agency, class, project, catalog numbers) turned
 * into SQL, the latest element set of each chosen object, stations of a
 * network, listings as tables, and the history of an object.
 *
 * Filter values are checked against the registry first, so that a typo
 * ("--state PKK", "--agency SUPARC0") is an error instead of an empty result.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

#define DEG (M_PI / 180.0)

void store_q_add(store_query *q, const char *text)
{
    size_t n = strlen(text);
    if (q->len + n + 1 > sizeof q->sql) {
        q->overflow = 1;
        return;
    }
    memcpy(q->sql + q->len, text, n + 1);
    q->len += n;
}

void store_q_free(store_query *q)
{
    for (int i = 0; i < q->nparams; i++)
        free(q->params[i]);
    q->nparams = 0;
}

/* Calls `fn` for each trimmed, non-empty value of a comma-separated list. */
static apsco_status each_value(const char *list, apsco_status (*fn)(void *, const char *),
                               void *ctx)
{
    char buf[1024];
    store_copy(buf, sizeof buf, list);
    for (char *save, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        while (isspace((unsigned char)*tok))
            tok++;
        char *end = tok + strlen(tok);
        while (end > tok && isspace((unsigned char)end[-1]))
            *--end = '\0';
        if (!*tok)
            continue;
        apsco_status st = fn(ctx, tok);
        if (st != APSCO_OK)
            return st;
    }
    return APSCO_OK;
}

typedef struct in_ctx {
    store_query *q;
    apsco_store *store;
    apsco_error *err;
    const char *check_sql; /* a query that must return a row for the value, or NULL */
    const char *what;      /* "state", "agency", … for the error */
    int upper;             /* upper-case the value (state codes) */
    int is_class;
    int is_status;
    int first;
} in_ctx;

static apsco_status check_value(in_ctx *c, const char *value)
{
    if (c->is_class)
        return apsco_satellite_class_valid(value)
                   ? APSCO_OK
                   : apsco_error_set(c->err, APSCO_ERR_VALUE, NULL, 0,
                                     "unknown class '%s' (light, middle, research, "
                                     "remote_sensing, telecom)",
                                     value);
    if (c->is_status)
        return apsco_state_status_parse(value)
                   ? APSCO_OK
                   : apsco_error_set(c->err, APSCO_ERR_VALUE, NULL, 0,
                                     "unknown status '%s' (member, signatory, observer)", value);
    sqlite3_stmt *s;
    apsco_status st = store_prepare(c->store, c->check_sql, &s, c->err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(s, 1, value, -1, SQLITE_STATIC);
    int found = sqlite3_step(s) == SQLITE_ROW;
    sqlite3_finalize(s);
    return found ? APSCO_OK
                 : apsco_error_set(c->err, APSCO_ERR_VALUE, NULL, 0, "no %s '%s' in the registry",
                                   c->what, value);
}

static apsco_status add_in_value(void *ctx, const char *value)
{
    in_ctx *c = ctx;
    char v[APSCO_TEXT_MAX];
    store_copy(v, sizeof v, value);
    if (c->upper)
        store_upper(v);
    apsco_status st = check_value(c, v);
    if (st != APSCO_OK)
        return st;
    if (c->q->nparams == STORE_PARAMS_MAX)
        return apsco_error_set(c->err, APSCO_ERR_LIMIT, NULL, 0, "too many filter values");
    char *copy = strdup(v);
    if (!copy)
        return apsco_error_set(c->err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    c->q->params[c->q->nparams++] = copy;
    store_q_add(c->q, c->first ? "?" : ", ?");
    c->first = 0;
    return APSCO_OK;
}

/* Appends " AND <expr> IN (?, …)" for the values of `list` (nothing when it is empty). */
static apsco_status add_in_values(store_query *q, apsco_store *store, const char *expr,
                                  const char *list, in_ctx proto, apsco_error *err)
{
    if (!list || !*list)
        return APSCO_OK;
    store_q_add(q, " AND ");
    store_q_add(q, expr);
    store_q_add(q, " IN (");
    proto.q = q;
    proto.store = store;
    proto.err = err;
    proto.first = 1;
    if (strlen(list) >= 1024)
        return apsco_error_set(err, APSCO_ERR_LIMIT, NULL, 0, "filter list longer than 1023 bytes");
    apsco_status st = each_value(list, add_in_value, &proto);
    if (st == APSCO_OK && proto.first)
        store_q_add(q, "NULL");
    store_q_add(q, ")");
    return st;
}

static const in_ctx state_values = {
    .check_sql = "SELECT 1 FROM states WHERE code = ?", .what = "state", .upper = 1};
static const in_ctx status_values = {.is_status = 1};
static const in_ctx agency_values = {.check_sql = "SELECT 1 FROM agencies WHERE name = ?",
                                     .what = "agency"};
static const in_ctx class_values = {.is_class = 1};
static const in_ctx project_values = {.check_sql = "SELECT 1 FROM projects WHERE name = ?",
                                      .what = "project"};

apsco_status store_q_filter(store_query *q, apsco_store *store, const char *expr, const char *list,
                            store_filter kind, apsco_error *err)
{
    static const in_ctx *const kinds[] = {&state_values, &status_values, &agency_values,
                                          &class_values, &project_values};
    return add_in_values(q, store, expr, list, *kinds[kind], err);
}

int apsco_selection_uses_registry(const apsco_selection *sel)
{
    return sel && ((sel->state && *sel->state) || (sel->status && *sel->status) ||
                   (sel->agency && *sel->agency) || (sel->sat_class && *sel->sat_class) ||
                   (sel->project && *sel->project));
}

/* Puts sel->norads into temp.apsco_ids (emptied first). */
static apsco_status fill_ids(apsco_store *store, const apsco_selection *sel, apsco_error *err)
{
    apsco_status st = store_exec(store,
                                 "CREATE TEMP TABLE IF NOT EXISTS apsco_ids"
                                 " (norad INTEGER PRIMARY KEY); DELETE FROM temp.apsco_ids",
                                 err);
    sqlite3_stmt *q;
    if (st == APSCO_OK)
        st = store_prepare(store, "INSERT OR IGNORE INTO temp.apsco_ids VALUES (?)", &q, err);
    if (st != APSCO_OK)
        return st;
    for (size_t i = 0; st == APSCO_OK && i < sel->norad_count; i++) {
        sqlite3_bind_int64(q, 1, sel->norads[i]);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = store_sql_error(store, err, "database");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

/* The registry filters on satellites s, agencies a, states st. */
static apsco_status add_satellite_filters(store_query *q, apsco_store *store,
                                          const apsco_selection *sel, apsco_error *err)
{
    apsco_status st = add_in_values(q, store, "a.state", sel->state, state_values, err);
    if (st == APSCO_OK)
        st = add_in_values(q, store, "st.status", sel->status, status_values, err);
    if (st == APSCO_OK)
        st = add_in_values(q, store, "a.name", sel->agency, agency_values, err);
    if (st == APSCO_OK)
        st = add_in_values(q, store, "s.class", sel->sat_class, class_values, err);
    if (st == APSCO_OK && sel->project && *sel->project) {
        store_q_add(q, " AND s.norad IN (SELECT ps.norad FROM project_satellites ps"
                       " JOIN projects p ON p.id = ps.project_id WHERE 1");
        st = add_in_values(q, store, "p.name", sel->project, project_values, err);
        store_q_add(q, ")");
    }
    return st;
}

/* SELECT of the registry satellites chosen by `sel` (catalog numbers only). */
static apsco_status chosen_satellites(store_query *q, apsco_store *store,
                                      const apsco_selection *sel, apsco_error *err)
{
    store_q_add(q, "SELECT s.norad FROM satellites s JOIN agencies a ON a.id = s.agency_id"
                   " JOIN states st ON st.code = a.state WHERE 1");
    return add_satellite_filters(q, store, sel, err);
}

apsco_status store_q_objects(store_query *q, apsco_store *store, const apsco_selection *sel,
                             const char *column, apsco_error *err)
{
    apsco_status st = APSCO_OK;
    if (apsco_selection_uses_registry(sel)) {
        store_q_add(q, " AND ");
        store_q_add(q, column);
        store_q_add(q, " IN (");
        st = chosen_satellites(q, store, sel, err);
        store_q_add(q, ")");
    }
    if (st == APSCO_OK && sel && sel->norads && sel->norad_count) {
        st = fill_ids(store, sel, err);
        store_q_add(q, " AND ");
        store_q_add(q, column);
        store_q_add(q, " IN (SELECT norad FROM temp.apsco_ids)");
    }
    return st;
}

apsco_status store_q_prepare(store_query *q, apsco_store *store, sqlite3_stmt **stmt,
                             apsco_error *err)
{
    if (q->overflow)
        return apsco_error_set(err, APSCO_ERR_LIMIT, NULL, 0, "selection too long");
    apsco_status st = store_prepare(store, q->sql, stmt, err);
    for (int i = 0; st == APSCO_OK && i < q->nparams; i++)
        sqlite3_bind_text(*stmt, i + 1, q->params[i], -1, SQLITE_STATIC);
    return st;
}

#define ELSET_SELECT                                                                               \
    "e.norad, e.epoch_jd, e.epoch_fr, e.epoch_year, e.epoch_day, e.name, e.intldes,"               \
    " e.classification, e.ephemeris_type, e.element_set_no, e.rev_at_epoch,"                       \
    " e.mean_motion_rad_min, e.ecc, e.incl_rad, e.raan_rad, e.argp_rad, e.mean_anomaly_rad,"       \
    " e.bstar_per_er, e.ndot_rad_min2, e.nddot_rad_min3"

static void row_to_elset(sqlite3_stmt *s, apsco_elset *e)
{
    memset(e, 0, sizeof *e);
    e->norad = (long)sqlite3_column_int64(s, 0);
    e->epoch.jd = sqlite3_column_double(s, 1);
    e->epoch.fr = sqlite3_column_double(s, 2);
    e->epoch_year = sqlite3_column_int(s, 3);
    e->epoch_day = sqlite3_column_double(s, 4);
    store_copy(e->name, sizeof e->name, (const char *)sqlite3_column_text(s, 5));
    store_copy(e->intldes, sizeof e->intldes, (const char *)sqlite3_column_text(s, 6));
    const char *cls = (const char *)sqlite3_column_text(s, 7);
    e->classification = cls && *cls ? cls[0] : 'U';
    e->ephemeris_type = sqlite3_column_int(s, 8);
    e->element_set_no = sqlite3_column_int(s, 9);
    e->rev_at_epoch = (long)sqlite3_column_int64(s, 10);
    e->mean_motion_rad_min = sqlite3_column_double(s, 11);
    e->ecc = sqlite3_column_double(s, 12);
    e->incl_rad = sqlite3_column_double(s, 13);
    e->raan_rad = sqlite3_column_double(s, 14);
    e->argp_rad = sqlite3_column_double(s, 15);
    e->mean_anomaly_rad = sqlite3_column_double(s, 16);
    e->bstar_per_er = sqlite3_column_double(s, 17);
    e->ndot_rad_min2 = sqlite3_column_double(s, 18);
    e->nddot_rad_min3 = sqlite3_column_double(s, 19);
}

/* Appends every row of `s` (ELSET_SELECT columns first) to `out`. */
static apsco_status collect_elsets(apsco_store *store, sqlite3_stmt *s, apsco_catalog *out,
                                   apsco_error *err)
{
    int rc;
    while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
        apsco_elset e;
        row_to_elset(s, &e);
        if (apsco_catalog_append(out, &e) != APSCO_OK)
            return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    return rc == SQLITE_DONE ? APSCO_OK : store_sql_error(store, err, "database");
}

/* Reports registry satellites of the selection that have no element set. */
static apsco_status report_missing(apsco_store *store, const apsco_selection *sel, apsco_error *err)
{
    if (!sel || !sel->diag || !apsco_selection_uses_registry(sel))
        return APSCO_OK;
    store_query q = {0};
    store_q_add(&q, "SELECT s.norad, s.name FROM satellites s WHERE s.norad IN (");
    apsco_status st = chosen_satellites(&q, store, sel, err);
    store_q_add(&q, ") AND NOT EXISTS (SELECT 1 FROM elsets e WHERE e.norad = s.norad)");
    sqlite3_stmt *s = NULL;
    if (st == APSCO_OK)
        st = store_q_prepare(&q, store, &s, err);
    while (st == APSCO_OK && sqlite3_step(s) == SQLITE_ROW) {
        apsco_error diag;
        apsco_error_set(&diag, APSCO_ERR_EMPTY, NULL, 0,
                        "satellite %lld (%s) has no element set in the store",
                        sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 1));
        sel->diag(sel->diag_ctx, APSCO_SKIPPED, &diag);
    }
    sqlite3_finalize(s);
    store_q_free(&q);
    return st;
}

static int has_norad(const apsco_catalog *c, size_t from, long norad)
{
    size_t lo = from, hi = c->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->items[mid].norad < norad)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->count && c->items[lo].norad == norad;
}

apsco_status apsco_store_select_catalog(apsco_store *store, const apsco_selection *sel,
                                        apsco_catalog *out, apsco_error *err)
{
    store_query q = {0};
    /* One row per object: with a single max(), SQLite takes the other columns from its row. */
    store_q_add(&q, "SELECT " ELSET_SELECT ", max(e.epoch_us) FROM elsets e WHERE 1");
    apsco_status st = sel ? store_q_objects(&q, store, sel, "e.norad", err) : APSCO_OK;
    store_q_add(&q, " GROUP BY e.norad ORDER BY e.norad");
    sqlite3_stmt *s = NULL;
    size_t before = out->count;
    if (st == APSCO_OK)
        st = store_q_prepare(&q, store, &s, err);
    if (st == APSCO_OK)
        st = collect_elsets(store, s, out, err);
    sqlite3_finalize(s);
    store_q_free(&q);
    for (size_t i = 0; st == APSCO_OK && sel && sel->norads && i < sel->norad_count; i++)
        if (!has_norad(out, before, sel->norads[i]))
            st = apsco_error_set(
                err, APSCO_ERR_VALUE, NULL, 0, "catalog number %ld: no element set in the store%s",
                sel->norads[i], apsco_selection_uses_registry(sel) ? " for this selection" : "");
    if (st == APSCO_OK)
        st = report_missing(store, sel, err);
    if (st == APSCO_OK && out->count == before)
        st = apsco_error_set(err, APSCO_ERR_EMPTY, NULL, 0, "no element set matches the selection");
    if (st != APSCO_OK)
        out->count = before;
    return st;
}

static apsco_status row_to_station(sqlite3_stmt *s, apsco_station *t, apsco_error *err)
{
    memset(t, 0, sizeof *t);
    store_copy(t->id, sizeof t->id, (const char *)sqlite3_column_text(s, 0));
    store_copy(t->name, sizeof t->name, (const char *)sqlite3_column_text(s, 1));
    store_copy(t->state, sizeof t->state, (const char *)sqlite3_column_text(s, 2));
    store_copy(t->agency, sizeof t->agency, (const char *)sqlite3_column_text(s, 3));
    t->lat_rad = sqlite3_column_double(s, 4) * DEG;
    t->lon_rad = sqlite3_column_double(s, 5) * DEG;
    t->alt_km = sqlite3_column_double(s, 6) / 1000.0;
    t->min_el_rad = sqlite3_column_double(s, 7) * DEG;
    t->antennas = sqlite3_column_int(s, 9);
    apsco_status st = apsco_station_set_mask(t, (const char *)sqlite3_column_text(s, 8), err);
    if (st == APSCO_OK)
        st = apsco_station_validate(t, err);
    return st;
}

/* The station filters on stations t, states st, agencies a. */
static apsco_status station_query(store_query *q, apsco_store *store, const apsco_selection *sel,
                                  apsco_error *err)
{
    store_q_add(q, "SELECT t.id, t.name, t.state, a.name AS agency, t.lat_deg, t.lon_deg, t.alt_m,"
                   " t.min_el_deg, t.mask, t.antennas FROM stations t"
                   " JOIN states st ON st.code = t.state LEFT JOIN agencies a ON a.id = t.agency_id"
                   " WHERE 1");
    apsco_status st = APSCO_OK;
    if (sel) {
        st = add_in_values(q, store, "t.state", sel->state, state_values, err);
        if (st == APSCO_OK)
            st = add_in_values(q, store, "st.status", sel->status, status_values, err);
        if (st == APSCO_OK)
            st = add_in_values(q, store, "a.name", sel->agency, agency_values, err);
    }
    store_q_add(q, " ORDER BY t.id");
    return st;
}

apsco_status apsco_store_select_stations(apsco_store *store, const apsco_selection *sel,
                                         apsco_station_list *out, apsco_error *err)
{
    store_query q = {0};
    apsco_status st = station_query(&q, store, sel, err);
    sqlite3_stmt *s = NULL;
    size_t before = out->count;
    if (st == APSCO_OK)
        st = store_q_prepare(&q, store, &s, err);
    int rc = SQLITE_DONE;
    while (st == APSCO_OK && (rc = sqlite3_step(s)) == SQLITE_ROW) {
        apsco_station t;
        st = row_to_station(s, &t, err);
        if (st == APSCO_OK && apsco_station_list_append(out, &t) != APSCO_OK)
            st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    }
    if (st == APSCO_OK && rc != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(s);
    store_q_free(&q);
    if (st == APSCO_OK && out->count == before)
        st = apsco_error_set(err, APSCO_ERR_EMPTY, NULL, 0, "no station matches the selection");
    if (st != APSCO_OK)
        out->count = before;
    return st;
}

apsco_status apsco_store_history(apsco_store *store, long norad, apsco_catalog *out,
                                 apsco_error *err)
{
    sqlite3_stmt *s;
    apsco_status st = store_prepare(
        store, "SELECT " ELSET_SELECT " FROM elsets e WHERE e.norad = ? ORDER BY e.epoch_us", &s,
        err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_int64(s, 1, norad);
    size_t before = out->count;
    st = collect_elsets(store, s, out, err);
    sqlite3_finalize(s);
    if (st == APSCO_OK && out->count == before)
        st = apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                             "catalog number %ld: no element set in the store", norad);
    if (st != APSCO_OK)
        out->count = before;
    return st;
}
