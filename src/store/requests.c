/*
 * requests.c — the contact requests the scheduler serves from the store:
 * adding them (checked as a request file is, then against the registry and
 * the network), cancelling them (marked, never deleted, so that what each
 * state asked for stays on record) and reading the active ones back in the
 * order they were submitted.
 *
 * Not for deciding who gets what: that is the planner's (include/apsco/plan.h),
 * which also refuses, at scheduling time, the requests of a state whose
 * status changed since.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* "request ID" and, when it came from a file, " (line N)": the subject of a message. */
static void who(const apsco_plan_request *r, char *buf, size_t size)
{
    if (r->source_line > 0)
        snprintf(buf, size, "request %s (line %ld)", r->id, r->source_line);
    else
        snprintf(buf, size, "request %s", r->id);
}

/* ISO-8601 text of a request time: whole seconds when it is one, else microseconds. */
static void format_time(apsco_time t, char *buf, size_t size)
{
    apsco_time n = apsco_time_normalize(t.jd, t.fr);
    double us = n.fr * 86400e6;
    int whole = fabs(us - 1e6 * round(us / 1e6)) < 0.5;
    apsco_time_format_iso(t, whole ? 0 : 6, buf, size);
}

/* Runs a one-row query with one text parameter; 1 if it returns a row, 0 if not, -1 on error. */
static int exists_text(apsco_store *store, const char *sql, const char *key, apsco_error *err)
{
    sqlite3_stmt *q;
    if (store_prepare(store, sql, &q, err) != APSCO_OK)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    int found = rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
    if (found < 0)
        store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    return found;
}

/* The status of state `code` in the registry ("member", ...), or "" when it is not there. */
static apsco_status state_status(apsco_store *store, const char *code, char *status, size_t size,
                                 apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store, "SELECT status FROM states WHERE code = ?", &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, code, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    status[0] = '\0';
    if (rc == SQLITE_ROW)
        snprintf(status, size, "%s", (const char *)sqlite3_column_text(q, 0));
    else if (rc != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    return st;
}

/* The checks against the store: the id is free, the state a member, the satellite and stations
 * known. */
static apsco_status check_references(apsco_store *store, const apsco_plan_requests *set,
                                     const apsco_plan_request *r, apsco_error *err)
{
    char subject[128], status[32];
    who(r, subject, sizeof subject);
    int taken = exists_text(store, "SELECT 1 FROM requests WHERE id = ?", r->id, err);
    if (taken != 0)
        return taken < 0 ? APSCO_ERR_IO
                         : apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                                           "%s: the id is taken by a stored request (ids stay "
                                           "taken after a cancellation)",
                                           subject);
    apsco_status st = state_status(store, r->state, status, sizeof status, err);
    if (st != APSCO_OK)
        return st;
    if (!status[0])
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "%s: state '%s' is not in the registry", subject, r->state);
    if (strcmp(status, "member"))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "%s: %s is %s %s; only member states hold a share of the network",
                               subject, r->state, status[0] == 'o' ? "an" : "a", status);
    char norad[24];
    snprintf(norad, sizeof norad, "%ld", r->norad);
    int known = exists_text(store,
                            "SELECT 1 FROM satellites WHERE norad = ?1"
                            " UNION ALL SELECT 1 FROM elsets WHERE norad = ?1 LIMIT 1",
                            norad, err);
    if (known <= 0)
        return known < 0 ? APSCO_ERR_IO
                         : apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                                           "%s: satellite %ld is neither in the registry nor in "
                                           "the catalog (import its elements first)",
                                           subject, r->norad);
    for (size_t k = 0; k < r->stations_count; k++) {
        const char *id = set->names[r->stations_first + k];
        int found = exists_text(store, "SELECT 1 FROM stations WHERE id = ?", id, err);
        if (found <= 0)
            return found < 0 ? APSCO_ERR_IO
                             : apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                                               "%s: station '%s' is not in the store", subject, id);
    }
    return APSCO_OK;
}

/* The checks a request file makes, and per_day or a window, not both. */
static apsco_status check_fields(const apsco_plan_requests *set, const apsco_plan_request *r,
                                 apsco_error *err)
{
    char subject[128];
    who(r, subject, sizeof subject);
    if (r->per_day > 0 && r->has_window)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "%s: per_day and a window exclude each other (per_day asks for "
                               "contacts every day, a window for one contact inside it)",
                               subject);
    const char **names = malloc((r->stations_count + 1) * sizeof *names);
    if (!names)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
    for (size_t k = 0; k < r->stations_count; k++)
        names[k] = set->names[r->stations_first + k];
    apsco_status st = apsco_plan_request_check(r, names, r->stations_count, err);
    free(names);
    if (st != APSCO_OK && err) {
        char msg[sizeof err->message];
        snprintf(msg, sizeof msg, "%s", err->message);
        apsco_error_set(err, st, NULL, 0, "%s: %s", subject, msg);
    }
    return st;
}

static apsco_status insert_stations(apsco_store *store, const apsco_plan_requests *set,
                                    const apsco_plan_request *r, long long seq, apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st = store_prepare(
        store, "INSERT INTO request_stations(request_seq, position, station) VALUES (?, ?, ?)", &q,
        err);
    for (size_t k = 0; st == APSCO_OK && k < r->stations_count; k++) {
        sqlite3_bind_int64(q, 1, seq);
        sqlite3_bind_int64(q, 2, (long long)k);
        sqlite3_bind_text(q, 3, set->names[r->stations_first + k], -1, SQLITE_STATIC);
        if (sqlite3_step(q) != SQLITE_DONE)
            st = store_sql_error(store, err, "database");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

static apsco_status insert_request(apsco_store *store, const apsco_plan_requests *set,
                                   const apsco_plan_request *r, const char *now, apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store,
                                    "INSERT INTO requests(id, state, norad, kind, priority,"
                                    " min_duration_s, per_day, window_start, window_end,"
                                    " submitted_at) VALUES (?, ?, ?, 'contact', ?, ?, ?, ?, ?, ?)",
                                    &q, err);
    if (st != APSCO_OK)
        return st;
    char ws[40], we[40];
    sqlite3_bind_text(q, 1, r->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, r->norad);
    sqlite3_bind_int(q, 4, r->priority);
    sqlite3_bind_double(q, 5, r->min_duration_s);
    if (r->per_day > 0)
        sqlite3_bind_int(q, 6, r->per_day);
    if (r->has_window) {
        format_time(r->window_start, ws, sizeof ws);
        format_time(r->window_end, we, sizeof we);
        sqlite3_bind_text(q, 7, ws, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 8, we, -1, SQLITE_STATIC);
    }
    sqlite3_bind_text(q, 9, now, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    if (st == APSCO_OK)
        st = insert_stations(store, set, r, sqlite3_last_insert_rowid(store->db), err);
    return st;
}

apsco_status apsco_store_add_requests(apsco_store *store, const apsco_plan_requests *requests,
                                      apsco_error *err)
{
    store_scope scope;
    apsco_status st = store_scope_begin(store, &scope, err);
    if (st != APSCO_OK)
        return st;
    char now[40];
    apsco_time_format_iso(apsco_time_now(), 0, now, sizeof now);
    for (size_t i = 0; st == APSCO_OK && i < requests->count; i++) {
        const apsco_plan_request *r = &requests->items[i];
        st = check_fields(requests, r, err);
        if (st == APSCO_OK)
            st = check_references(store, requests, r, err);
        if (st == APSCO_OK)
            st = insert_request(store, requests, r, now, err);
    }
    return store_scope_end(store, &scope, st, err);
}

apsco_status apsco_store_cancel_request(apsco_store *store, const char *id, apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st =
        store_prepare(store, "SELECT cancelled_at FROM requests WHERE id = ?", &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_DONE)
        st = apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "no request '%s' in the store", id);
    else if (rc != SQLITE_ROW)
        st = store_sql_error(store, err, "database");
    else if (sqlite3_column_type(q, 0) != SQLITE_NULL)
        st =
            apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "request %s was already cancelled at %s",
                            id, (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    if (st != APSCO_OK)
        return st;
    char now[40];
    apsco_time_format_iso(apsco_time_now(), 0, now, sizeof now);
    st = store_prepare(
        store, "UPDATE requests SET cancelled_at = ?2 WHERE id = ?1 AND cancelled_at IS NULL", &q,
        err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    return st;
}

/* Reads one row of the active-requests query into a request and its station names. */
static apsco_status read_request(sqlite3_stmt *q, apsco_plan_requests *out, apsco_error *err)
{
    apsco_plan_request r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", (const char *)sqlite3_column_text(q, 0));
    snprintf(r.state, sizeof r.state, "%s", (const char *)sqlite3_column_text(q, 1));
    r.norad = (long)sqlite3_column_int64(q, 2);
    r.priority = sqlite3_column_int(q, 3);
    r.min_duration_s = sqlite3_column_double(q, 4);
    r.per_day = sqlite3_column_type(q, 5) == SQLITE_NULL ? 0 : sqlite3_column_int(q, 5);
    if (sqlite3_column_type(q, 6) != SQLITE_NULL) {
        r.has_window = 1;
        apsco_status st =
            apsco_time_parse_iso((const char *)sqlite3_column_text(q, 6), &r.window_start, err);
        if (st == APSCO_OK)
            st = apsco_time_parse_iso((const char *)sqlite3_column_text(q, 7), &r.window_end, err);
        if (st != APSCO_OK)
            return st;
    }
    /* Station names arrive joined by '\n', which no identifier contains. */
    char *list = sqlite3_column_type(q, 8) == SQLITE_NULL
                     ? NULL
                     : strdup((const char *)sqlite3_column_text(q, 8));
    const char **names = NULL;
    size_t count = 0;
    if (list) {
        size_t n = 1;
        for (const char *p = list; *p; p++)
            n += *p == '\n';
        names = malloc(n * sizeof *names);
        char *save = NULL;
        for (char *tok = names ? strtok_r(list, "\n", &save) : NULL; tok;
             tok = strtok_r(NULL, "\n", &save))
            names[count++] = tok;
    }
    apsco_status st = list && !names
                          ? apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory")
                          : apsco_plan_requests_add(out, &r, names, count, err);
    free(names);
    free(list);
    return st;
}

apsco_status apsco_store_get_requests(apsco_store *store, const apsco_selection *sel,
                                      apsco_plan_requests *out, apsco_error *err)
{
    if (apsco_store_schema_version(store) < 2)
        return APSCO_OK;
    store_query qb = {0};
    store_q_add(&qb, "SELECT r.id, r.state, r.norad, r.priority, r.min_duration_s, r.per_day,"
                     " r.window_start, r.window_end,"
                     " (SELECT group_concat(station, char(10)) FROM (SELECT station FROM"
                     "  request_stations WHERE request_seq = r.seq ORDER BY position))"
                     " FROM requests r WHERE r.cancelled_at IS NULL");
    apsco_status st =
        store_q_filter(&qb, store, "r.state", sel ? sel->state : NULL, STORE_FILTER_STATE, err);
    store_q_add(&qb, " ORDER BY r.seq");
    sqlite3_stmt *q = NULL;
    if (st == APSCO_OK)
        st = store_q_prepare(&qb, store, &q, err);
    size_t count = out->count, names = out->name_count;
    int rc = SQLITE_DONE;
    while (st == APSCO_OK && (rc = sqlite3_step(q)) == SQLITE_ROW)
        st = read_request(q, out, err);
    if (st == APSCO_OK && rc != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    store_q_free(&qb);
    if (st != APSCO_OK) {
        out->count = count;
        out->name_count = names;
    }
    return st;
}
