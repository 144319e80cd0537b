/*
 * import.c — element sets and stations into the store, each call one
 * transaction: everything lands or nothing does.
 *
 * An element set is keyed by (catalog number, epoch to the microsecond). The
 * same set imported again changes nothing; a set with the same key and other
 * values (a corrected release) replaces the old one. An import that changes
 * nothing writes nothing, not even an entry in the import log.
 */
#include <stdio.h>
#include <string.h>

#include "store/internal.h"

#define ELSET_COLUMNS                                                                              \
    "norad, epoch_us, epoch_jd, epoch_fr, epoch_year, epoch_day, name, intldes, classification,"   \
    " ephemeris_type, element_set_no, rev_at_epoch, mean_motion_rad_min, ecc, incl_rad,"           \
    " raan_rad, argp_rad, mean_anomaly_rad, bstar_per_er, ndot_rad_min2, nddot_rad_min3,"          \
    " import_id"

/* Columns 3 to 21 must all match for an element set to be "unchanged". */
static const char upsert_sql[] =
    "INSERT INTO elsets(" ELSET_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,"
    " ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)"
    " ON CONFLICT(norad, epoch_us) DO UPDATE SET epoch_jd = ?3, epoch_fr = ?4, epoch_year = ?5,"
    " epoch_day = ?6, name = ?7, intldes = ?8, classification = ?9, ephemeris_type = ?10,"
    " element_set_no = ?11, rev_at_epoch = ?12, mean_motion_rad_min = ?13, ecc = ?14,"
    " incl_rad = ?15, raan_rad = ?16, argp_rad = ?17, mean_anomaly_rad = ?18,"
    " bstar_per_er = ?19, ndot_rad_min2 = ?20, nddot_rad_min3 = ?21, import_id = ?22"
    " WHERE epoch_jd IS NOT ?3 OR epoch_fr IS NOT ?4 OR epoch_year IS NOT ?5"
    " OR epoch_day IS NOT ?6 OR name IS NOT ?7 OR intldes IS NOT ?8 OR classification IS NOT ?9"
    " OR ephemeris_type IS NOT ?10 OR element_set_no IS NOT ?11 OR rev_at_epoch IS NOT ?12"
    " OR mean_motion_rad_min IS NOT ?13 OR ecc IS NOT ?14 OR incl_rad IS NOT ?15"
    " OR raan_rad IS NOT ?16 OR argp_rad IS NOT ?17 OR mean_anomaly_rad IS NOT ?18"
    " OR bstar_per_er IS NOT ?19 OR ndot_rad_min2 IS NOT ?20 OR nddot_rad_min3 IS NOT ?21";

/* True when the store already holds the element set bound as in upsert_sql. */
static const char same_sql[] =
    "SELECT 1 FROM elsets WHERE norad = ?1 AND epoch_us = ?2 AND epoch_jd IS ?3"
    " AND epoch_fr IS ?4 AND epoch_year IS ?5 AND epoch_day IS ?6 AND name IS ?7"
    " AND intldes IS ?8 AND classification IS ?9 AND ephemeris_type IS ?10"
    " AND element_set_no IS ?11 AND rev_at_epoch IS ?12 AND mean_motion_rad_min IS ?13"
    " AND ecc IS ?14 AND incl_rad IS ?15 AND raan_rad IS ?16 AND argp_rad IS ?17"
    " AND mean_anomaly_rad IS ?18 AND bstar_per_er IS ?19 AND ndot_rad_min2 IS ?20"
    " AND nddot_rad_min3 IS ?21 AND ?22 IS NOT NULL";

static void bind_elset(sqlite3_stmt *q, const apsco_elset *e, long long import_id)
{
    char cls[2] = {e->classification ? e->classification : 'U', '\0'};
    sqlite3_bind_int64(q, 1, e->norad);
    sqlite3_bind_int64(q, 2, store_epoch_us(e->epoch));
    sqlite3_bind_double(q, 3, e->epoch.jd);
    sqlite3_bind_double(q, 4, e->epoch.fr);
    sqlite3_bind_int(q, 5, e->epoch_year);
    sqlite3_bind_double(q, 6, e->epoch_day);
    sqlite3_bind_text(q, 7, e->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 8, e->intldes, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 9, cls, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 10, e->ephemeris_type);
    sqlite3_bind_int(q, 11, e->element_set_no);
    sqlite3_bind_int64(q, 12, e->rev_at_epoch);
    sqlite3_bind_double(q, 13, e->mean_motion_rad_min);
    sqlite3_bind_double(q, 14, e->ecc);
    sqlite3_bind_double(q, 15, e->incl_rad);
    sqlite3_bind_double(q, 16, e->raan_rad);
    sqlite3_bind_double(q, 17, e->argp_rad);
    sqlite3_bind_double(q, 18, e->mean_anomaly_rad);
    sqlite3_bind_double(q, 19, e->bstar_per_er);
    sqlite3_bind_double(q, 20, e->ndot_rad_min2);
    sqlite3_bind_double(q, 21, e->nddot_rad_min3);
    sqlite3_bind_int64(q, 22, import_id);
}

static long long count_elsets(apsco_store *store)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store->db, "SELECT COUNT(*) FROM elsets", -1, &q, NULL) != SQLITE_OK)
        return -1;
    long long n = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return n;
}

/* Opens the import log entry that the new rows will point to. */
static apsco_status log_import(apsco_store *store, const char *source, size_t records,
                               long long *id, apsco_error *err)
{
    char now[40];
    apsco_time_format_iso(apsco_time_now(), 0, now, sizeof now);
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store,
                                    "INSERT INTO imports(source, imported_at, records, added,"
                                    " updated) VALUES (?, ?, ?, 0, 0)",
                                    &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, source ? source : "-", -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, now, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 3, (long long)records);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_sql_error(store, err, "import log");
    sqlite3_finalize(q);
    *id = sqlite3_last_insert_rowid(store->db);
    return st;
}

static apsco_status upsert_all(apsco_store *store, const apsco_catalog *catalog,
                               long long import_id, size_t *changed, apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store, upsert_sql, &q, err);
    for (size_t i = 0; st == APSCO_OK && i < catalog->count; i++) {
        bind_elset(q, &catalog->items[i], import_id);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = store_sql_error(store, err, "importing element sets");
            if (err)
                snprintf(err->message + strlen(err->message),
                         sizeof err->message - strlen(err->message), " (catalog number %ld)",
                         catalog->items[i].norad);
            break;
        }
        *changed += (size_t)sqlite3_changes(store->db);
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

/* Counts the element sets of `catalog` that the store holds already, identical. */
static apsco_status count_unchanged(apsco_store *store, const apsco_catalog *catalog,
                                    size_t *unchanged, apsco_error *err)
{
    sqlite3_stmt *q;
    apsco_status st = store_prepare(store, same_sql, &q, err);
    *unchanged = 0;
    for (size_t i = 0; st == APSCO_OK && i < catalog->count; i++) {
        bind_elset(q, &catalog->items[i], 0);
        int rc = sqlite3_step(q);
        if (rc == SQLITE_ROW)
            (*unchanged)++;
        else if (rc != SQLITE_DONE)
            st = store_sql_error(store, err, "database");
        sqlite3_reset(q);
    }
    sqlite3_finalize(q);
    return st;
}

static apsco_status finish_log(apsco_store *store, long long id, const apsco_import_stats *s,
                               apsco_error *err)
{
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE imports SET added = %zu, updated = %zu WHERE id = %lld",
             s->added, s->updated, id);
    return store_exec(store, sql, err);
}

apsco_status apsco_store_import_catalog(apsco_store *store, const apsco_catalog *catalog,
                                        const char *source, apsco_import_stats *stats,
                                        apsco_error *err)
{
    apsco_import_stats s = {0};
    s.records = catalog ? catalog->count : 0;
    if (stats)
        *stats = s;
    if (!catalog || catalog->count == 0)
        return APSCO_OK;
    /* Nothing new: write nothing at all, not even an import log entry. */
    size_t unchanged;
    apsco_status pre = count_unchanged(store, catalog, &unchanged, err);
    if (pre != APSCO_OK)
        return pre;
    if (unchanged == catalog->count) {
        s.unchanged = unchanged;
        if (stats)
            *stats = s;
        return APSCO_OK;
    }
    store_scope scope;
    apsco_status st = store_scope_begin(store, &scope, err);
    if (st != APSCO_OK)
        return st;
    long long before = count_elsets(store), id = 0;
    size_t changed = 0;
    st = log_import(store, source, catalog->count, &id, err);
    if (st == APSCO_OK)
        st = upsert_all(store, catalog, id, &changed, err);
    if (st == APSCO_OK) {
        long long after = count_elsets(store);
        s.added = (size_t)(after - before);
        s.updated = changed - s.added;
        s.unchanged = s.records - changed;
        s.import_id = id;
        st = finish_log(store, id, &s, err);
    }
    st = store_scope_end(store, &scope, st, err);
    if (st == APSCO_OK && stats)
        *stats = s;
    return st;
}

/* The agency id of a station: NULL (0) when none is named; it must belong to the station's state.
 */
static apsco_status station_agency(apsco_store *store, const apsco_station *s, long long *id,
                                   apsco_error *err)
{
    *id = 0;
    if (!s->agency[0])
        return APSCO_OK;
    sqlite3_stmt *q;
    apsco_status st =
        store_prepare(store, "SELECT id, state FROM agencies WHERE name = ?", &q, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(q, 1, s->agency, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW)
        st = apsco_error_set(err, APSCO_ERR_VALUE, NULL, s->source_line,
                             "station %s: agency '%s' is not in the registry", s->id, s->agency);
    else if (strcmp((const char *)sqlite3_column_text(q, 1), s->state))
        st = apsco_error_set(err, APSCO_ERR_VALUE, NULL, s->source_line,
                             "station %s: agency '%s' belongs to %s, not %s", s->id, s->agency,
                             (const char *)sqlite3_column_text(q, 1), s->state);
    else
        *id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return st;
}

static apsco_status put_station(apsco_store *store, sqlite3_stmt *q, const apsco_station *s,
                                size_t *changed, apsco_error *err)
{
    sqlite3_stmt *chk;
    apsco_status st = store_prepare(store, "SELECT 1 FROM states WHERE code = ?", &chk, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_bind_text(chk, 1, s->state, -1, SQLITE_STATIC);
    int known = sqlite3_step(chk) == SQLITE_ROW;
    sqlite3_finalize(chk);
    if (!known)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, s->source_line,
                               "station %s: state '%s' is not in the registry", s->id, s->state);
    long long agency;
    st = station_agency(store, s, &agency, err);
    if (st != APSCO_OK)
        return st;
    char mask[APSCO_MASK_MAX * 32];
    apsco_station_format_mask(s, mask, sizeof mask);
    const double deg = 180.0 / 3.14159265358979323846;
    sqlite3_reset(q);
    sqlite3_bind_text(q, 1, s->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, s->name, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 3, s->state, -1, SQLITE_STATIC);
    if (agency)
        sqlite3_bind_int64(q, 4, agency);
    else
        sqlite3_bind_null(q, 4);
    sqlite3_bind_double(q, 5, s->lat_rad * deg);
    sqlite3_bind_double(q, 6, s->lon_rad * deg);
    sqlite3_bind_double(q, 7, s->alt_km * 1000.0);
    sqlite3_bind_double(q, 8, s->min_el_rad * deg);
    sqlite3_bind_text(q, 9, mask, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(q, 10, s->antennas);
    if (sqlite3_step(q) != SQLITE_DONE)
        return store_sql_error(store, err, "importing stations");
    *changed += (size_t)sqlite3_changes(store->db);
    return APSCO_OK;
}

apsco_status apsco_store_import_stations(apsco_store *store, const apsco_station_list *stations,
                                         apsco_import_stats *stats, apsco_error *err)
{
    apsco_import_stats s = {0};
    s.records = stations->count;
    store_scope scope;
    apsco_status st = store_scope_begin(store, &scope, err);
    if (st != APSCO_OK)
        return st;
    sqlite3_stmt *q = NULL, *cnt = NULL;
    long long before = 0, after = 0;
    st = store_prepare(store, "SELECT COUNT(*) FROM stations", &cnt, err);
    if (st == APSCO_OK && sqlite3_step(cnt) == SQLITE_ROW)
        before = sqlite3_column_int64(cnt, 0);
    if (st == APSCO_OK)
        st = store_prepare(
            store,
            "INSERT INTO stations(id, name, state, agency_id, lat_deg, lon_deg, alt_m, min_el_deg,"
            " mask, antennas) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
            " ON CONFLICT(id) DO UPDATE SET name = ?2, state = ?3, agency_id = ?4, lat_deg = ?5,"
            " lon_deg = ?6, alt_m = ?7, min_el_deg = ?8, mask = ?9, antennas = ?10"
            " WHERE name IS NOT ?2 OR state IS NOT ?3 OR agency_id IS NOT ?4 OR lat_deg IS NOT ?5"
            " OR lon_deg IS NOT ?6 OR alt_m IS NOT ?7 OR min_el_deg IS NOT ?8 OR mask IS NOT ?9"
            " OR antennas IS NOT ?10",
            &q, err);
    size_t changed = 0;
    for (size_t i = 0; st == APSCO_OK && i < stations->count; i++)
        st = put_station(store, q, &stations->items[i], &changed, err);
    if (st == APSCO_OK) {
        sqlite3_reset(cnt);
        if (sqlite3_step(cnt) == SQLITE_ROW)
            after = sqlite3_column_int64(cnt, 0);
        s.added = (size_t)(after - before);
        s.updated = changed - s.added;
        s.unchanged = s.records - changed;
    }
    sqlite3_finalize(q);
    sqlite3_finalize(cnt);
    st = store_scope_end(store, &scope, st, err);
    if (st == APSCO_OK && stats)
        *stats = s;
    return st;
}
