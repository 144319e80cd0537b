/*
 * registry.c — who is who: states and their status, agencies, satellites
 * and projects, each written by key (insert or update) after checking its
 * values and that what it refers to exists, so that errors name the record
 * instead of a bare foreign-key failure.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

static const char *const class_names[] = {"light", "middle", "research", "remote_sensing",
                                          "telecom"};

int apsco_satellite_class_valid(const char *name)
{
    if (!name)
        return 0;
    for (size_t i = 0; i < sizeof class_names / sizeof class_names[0]; i++)
        if (!strcmp(name, class_names[i]))
            return 1;
    return 0;
}

const char *apsco_state_status_name(apsco_state_status status)
{
    switch (status) {
    case APSCO_STATUS_MEMBER: return "member";
    case APSCO_STATUS_SIGNATORY: return "signatory";
    case APSCO_STATUS_OBSERVER: return "observer";
    }
    return NULL;
}

apsco_state_status apsco_state_status_parse(const char *name)
{
    for (int s = APSCO_STATUS_MEMBER; s <= APSCO_STATUS_OBSERVER; s++)
        if (name && !strcmp(name, apsco_state_status_name((apsco_state_status)s)))
            return (apsco_state_status)s;
    return (apsco_state_status)0;
}

static int valid_code(const char *code)
{
    return strlen(code) == 2 && isupper((unsigned char)code[0]) && isupper((unsigned char)code[1]);
}

/* A real calendar date written YYYY-MM-DD. */
static int valid_date(const char *s)
{
    int y, m, d;
    char tail;
    if (strlen(s) != 10 || sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3)
        return 0;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return !(m == 2 && d == 29 && !leap);
}

/* Runs a one-row query with one text parameter; returns the first column or -1 if no row. */
static long long lookup_id(apsco_store *store, const char *sql, const char *key, apsco_error *err,
                           apsco_status *st)
{
    sqlite3_stmt *q;
    *st = store_prepare(store, sql, &q, err);
    if (*st != APSCO_OK)
        return -1;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    long long id = rc == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        *st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    return id;
}

/* Steps a write statement to completion and finalizes it. */
static apsco_status run(apsco_store *store, sqlite3_stmt *q, apsco_error *err)
{
    int rc = sqlite3_step(q);
    apsco_status st = rc == SQLITE_DONE ? APSCO_OK : store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    return st;
}

apsco_status apsco_store_put_state(apsco_store *store, const apsco_state_record *r,
                                   apsco_error *err)
{
    if (!valid_code(r->code))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "state code '%s' is not two upper-case letters", r->code);
    if (!apsco_state_status_name(r->status))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "state %s: unknown status", r->code);
    if (!valid_date(r->joined))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "state %s: joined '%s' is not a date YYYY-MM-DD", r->code,
                               r->joined);
    if (!r->name[0])
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "state %s has no name", r->code);
    sqlite3_stmt *q;
    apsco_status st =
        store_prepare(store,
                      "INSERT INTO states(code, name, status, joined) VALUES (?1, ?2, ?3, ?4)"
                      " ON CONFLICT(code) DO UPDATE SET name = ?2, status = ?3, joined = ?4"
                      " WHERE name IS NOT ?2 OR status IS NOT ?3 OR joined IS NOT ?4",
                      &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, r->code, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, apsco_state_status_name(r->status), -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 4, r->joined, -1, SQLITE_STATIC);
    return run(store, q, err);
}

static apsco_status need_state(apsco_store *store, const char *code, const char *who,
                               apsco_error *err)
{
    apsco_status st;
    if (lookup_id(store, "SELECT 1 FROM states WHERE code = ?", code, err, &st) >= 0)
        return APSCO_OK;
    if (st != APSCO_OK)
        return st;
    return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "%s: state '%s' is not in the registry",
                           who, code);
}

apsco_status apsco_store_put_agency(apsco_store *store, const apsco_agency_record *r,
                                    apsco_error *err)
{
    if (!r->name[0])
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "an agency needs a name");
    char who[160];
    snprintf(who, sizeof who, "agency %s", r->name);
    apsco_status st = need_state(store, r->state, who, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_stmt *q;
    st = store_prepare(store,
                       "INSERT INTO agencies(name, state, full_name) VALUES (?1, ?2, ?3)"
                       " ON CONFLICT(name) DO UPDATE SET state = ?2, full_name = ?3"
                       " WHERE state IS NOT ?2 OR full_name IS NOT ?3",
                       &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, r->state, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, r->full_name, -1, SQLITE_STATIC);
    return run(store, q, err);
}

apsco_status apsco_store_put_satellite(apsco_store *store, const apsco_satellite_record *r,
                                       apsco_error *err)
{
    if (r->norad < 0 || r->norad > 339999)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "satellite %s: catalog number %ld is outside 0-339999", r->name,
                               r->norad);
    if (!apsco_satellite_class_valid(r->sat_class))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "satellite %ld: class '%s' is not light, middle, research, "
                               "remote_sensing or telecom",
                               r->norad, r->sat_class);
    if (!isnan(r->mass_kg) && !(r->mass_kg > 0 && r->mass_kg < 1e6))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "satellite %ld: mass %g kg is not plausible", r->norad, r->mass_kg);
    apsco_status st;
    long long agency =
        lookup_id(store, "SELECT id FROM agencies WHERE name = ?", r->agency, err, &st);
    if (st != APSCO_OK)
        return st;
    if (agency < 0)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "satellite %ld: agency '%s' is not in the registry", r->norad,
                               r->agency);
    sqlite3_stmt *q;
    st = store_prepare(store,
                       "INSERT INTO satellites(norad, name, agency_id, class, mass_kg, notes)"
                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(norad) DO UPDATE SET"
                       " name = ?2, agency_id = ?3, class = ?4, mass_kg = ?5, notes = ?6"
                       " WHERE name IS NOT ?2 OR agency_id IS NOT ?3 OR class IS NOT ?4"
                       " OR mass_kg IS NOT ?5 OR notes IS NOT ?6",
                       &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_int64(q, 1, r->norad);
    sqlite3_bind_text(q, 2, r->name, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, agency);
    sqlite3_bind_text(q, 4, r->sat_class, -1, SQLITE_STATIC);
    if (isnan(r->mass_kg))
        sqlite3_bind_null(q, 5);
    else
        sqlite3_bind_double(q, 5, r->mass_kg);
    sqlite3_bind_text(q, 6, r->notes, -1, SQLITE_STATIC);
    return run(store, q, err);
}

/* Checks a project's references before anything is written. */
static apsco_status check_project(apsco_store *store, const apsco_project_record *r,
                                  apsco_error *err)
{
    if (!r->name[0])
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "a project needs a name");
    if (!apsco_satellite_class_valid(r->proj_class))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "project %s: unknown class '%s'",
                               r->name, r->proj_class);
    if (r->state_count > APSCO_PROJECT_STATES_MAX ||
        r->satellite_count > APSCO_PROJECT_SATELLITES_MAX)
        return apsco_error_set(err, APSCO_ERR_LIMIT, NULL, 0, "project %s: too many entries",
                               r->name);
    char who[160];
    snprintf(who, sizeof who, "project %s", r->name);
    for (size_t i = 0; i < r->state_count; i++) {
        apsco_status st = need_state(store, r->states[i], who, err);
        if (st != APSCO_OK)
            return st;
    }
    for (size_t i = 0; i < r->satellite_count; i++) {
        char key[24];
        snprintf(key, sizeof key, "%ld", r->satellites[i]);
        apsco_status st;
        if (lookup_id(store, "SELECT 1 FROM satellites WHERE norad = CAST(? AS INTEGER)", key, err,
                      &st) < 0)
            return st != APSCO_OK ? st
                                  : apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                                                    "project %s: satellite %ld is not in the "
                                                    "registry",
                                                    r->name, r->satellites[i]);
    }
    return APSCO_OK;
}

/* Writes `items` as a JSON array of strings or numbers into `buf`. */
static void json_list(char *buf, size_t size, const apsco_project_record *r, int states)
{
    size_t n = states ? r->state_count : r->satellite_count, used = 0;
    used += (size_t)snprintf(buf, size, "[");
    for (size_t i = 0; i < n && used < size; i++) {
        if (states)
            used +=
                (size_t)snprintf(buf + used, size - used, "%s\"%s\"", i ? "," : "", r->states[i]);
        else
            used +=
                (size_t)snprintf(buf + used, size - used, "%s%ld", i ? "," : "", r->satellites[i]);
    }
    if (used < size)
        snprintf(buf + used, size - used, "]");
}

/*
 * Makes the participant and satellite lists of project `id` those of `r`,
 * touching only the rows that differ (so that an unchanged project is not
 * a change at all).
 */
static apsco_status put_project_lists(apsco_store *store, long long id,
                                      const apsco_project_record *r, apsco_error *err)
{
    static const char *const sql[] = {
        "DELETE FROM project_states WHERE project_id = ?1"
        " AND state NOT IN (SELECT value FROM json_each(?2))",
        "INSERT OR IGNORE INTO project_states SELECT ?1, value FROM json_each(?2)",
        "DELETE FROM project_satellites WHERE project_id = ?1"
        " AND norad NOT IN (SELECT value FROM json_each(?2))",
        "INSERT OR IGNORE INTO project_satellites SELECT ?1, value FROM json_each(?2)",
    };
    char states[APSCO_PROJECT_STATES_MAX * 8], sats[APSCO_PROJECT_SATELLITES_MAX * 12];
    json_list(states, sizeof states, r, 1);
    json_list(sats, sizeof sats, r, 0);
    apsco_status st = APSCO_OK;
    for (int i = 0; st == APSCO_OK && i < 4; i++) {
        sqlite3_stmt *q;
        st = store_prepare(store, sql[i], &q, err);
        if (st != APSCO_OK)
            break;
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_text(q, 2, i < 2 ? states : sats, -1, SQLITE_STATIC);
        st = run(store, q, err);
    }
    return st;
}

apsco_status apsco_store_put_project(apsco_store *store, const apsco_project_record *r,
                                     apsco_error *err)
{
    apsco_status st = check_project(store, r, err);
    if (st != APSCO_OK)
        return st;
    store_scope scope;
    st = store_scope_begin(store, &scope, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_stmt *q;
    st = store_prepare(store,
                       "INSERT INTO projects(name, class, description, illustrative)"
                       " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name) DO UPDATE SET"
                       " class = ?2, description = ?3, illustrative = ?4"
                       " WHERE class IS NOT ?2 OR description IS NOT ?3 OR illustrative IS NOT ?4",
                       &q, err);
    if (st == APSCO_OK) {
        sqlite3_bind_text(q, 1, r->name, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 2, r->proj_class, -1, SQLITE_STATIC);
        sqlite3_bind_text(q, 3, r->description, -1, SQLITE_STATIC);
        sqlite3_bind_int(q, 4, r->illustrative != 0);
        st = run(store, q, err);
    }
    long long id = -1;
    if (st == APSCO_OK)
        id = lookup_id(store, "SELECT id FROM projects WHERE name = ?", r->name, err, &st);
    if (st == APSCO_OK)
        st = put_project_lists(store, id, r, err);
    return store_scope_end(store, &scope, st, err);
}

apsco_status apsco_store_get_states(apsco_store *store, apsco_state_status status,
                                    apsco_state_record **out, size_t *count, apsco_error *err)
{
    *out = NULL;
    *count = 0;
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store,
                                    "SELECT code, name, status, joined FROM states"
                                    " WHERE ?1 IS NULL OR status = ?1 ORDER BY code",
                                    &q, err);
    if (st != APSCO_OK)
        return st;
    if (status)
        sqlite3_bind_text(q, 1, apsco_state_status_name(status), -1, SQLITE_STATIC);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*count == cap) {
            cap = cap ? cap * 2 : 16;
            apsco_state_record *bigger = realloc(*out, cap * sizeof *bigger);
            if (!bigger) {
                st = apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "out of memory");
                break;
            }
            *out = bigger;
        }
        apsco_state_record *r = &(*out)[(*count)++];
        store_copy(r->code, sizeof r->code, (const char *)sqlite3_column_text(q, 0));
        store_copy(r->name, sizeof r->name, (const char *)sqlite3_column_text(q, 1));
        r->status = apsco_state_status_parse((const char *)sqlite3_column_text(q, 2));
        store_copy(r->joined, sizeof r->joined, (const char *)sqlite3_column_text(q, 3));
    }
    if (st == APSCO_OK && rc != SQLITE_DONE)
        st = store_sql_error(store, err, "database");
    sqlite3_finalize(q);
    if (st != APSCO_OK) {
        free(*out);
        *out = NULL;
        *count = 0;
    }
    return st;
}
