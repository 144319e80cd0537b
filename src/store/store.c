/*
 * store.c — opening the database: where it lives, the connection settings
 * that make it crash-safe (WAL, full sync, foreign keys, a busy timeout),
 * the versioned schema and its migrations, and transactions.
 *
 * A migration is a block of SQL applied in its own transaction together
 * with the new user_version, so a database is always at one version.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "store/internal.h"

#define BUSY_TIMEOUT_MS 10000

/* Version 1: the registry, the element-set history and the import log. */
static const char schema_v1[] =
    "CREATE TABLE states ("
    " code TEXT PRIMARY KEY CHECK (length(code) = 2 AND code GLOB '[A-Z][A-Z]'),"
    " name TEXT NOT NULL,"
    " status TEXT NOT NULL CHECK (status IN ('member', 'signatory', 'observer')),"
    " joined TEXT NOT NULL CHECK (joined GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'));"
    "CREATE TABLE agencies ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " state TEXT NOT NULL REFERENCES states(code),"
    " full_name TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX agencies_state ON agencies(state);"
    "CREATE TABLE stations ("
    " id TEXT PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " state TEXT NOT NULL REFERENCES states(code),"
    " agency_id INTEGER REFERENCES agencies(id),"
    " lat_deg REAL NOT NULL CHECK (lat_deg BETWEEN -90 AND 90),"
    " lon_deg REAL NOT NULL CHECK (lon_deg >= -180 AND lon_deg < 180),"
    " alt_m REAL NOT NULL,"
    " min_el_deg REAL NOT NULL,"
    " mask TEXT NOT NULL DEFAULT '',"
    " antennas INTEGER NOT NULL DEFAULT 1 CHECK (antennas >= 1));"
    "CREATE INDEX stations_state ON stations(state);"
    "CREATE TABLE satellites ("
    " norad INTEGER PRIMARY KEY CHECK (norad BETWEEN 0 AND 339999),"
    " name TEXT NOT NULL,"
    " agency_id INTEGER NOT NULL REFERENCES agencies(id),"
    " class TEXT NOT NULL"
    "  CHECK (class IN ('light', 'middle', 'research', 'remote_sensing', 'telecom')),"
    " mass_kg REAL CHECK (mass_kg IS NULL OR mass_kg > 0),"
    " notes TEXT NOT NULL DEFAULT '');"
    "CREATE INDEX satellites_agency ON satellites(agency_id);"
    "CREATE TABLE projects ("
    " id INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
    " class TEXT NOT NULL"
    "  CHECK (class IN ('light', 'middle', 'research', 'remote_sensing', 'telecom')),"
    " description TEXT NOT NULL DEFAULT '',"
    " illustrative INTEGER NOT NULL DEFAULT 0);"
    "CREATE TABLE project_states ("
    " project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
    " state TEXT NOT NULL REFERENCES states(code),"
    " PRIMARY KEY (project_id, state)) WITHOUT ROWID;"
    "CREATE TABLE project_satellites ("
    " project_id INTEGER NOT NULL REFERENCES projects(id) ON DELETE CASCADE,"
    " norad INTEGER NOT NULL REFERENCES satellites(norad),"
    " PRIMARY KEY (project_id, norad)) WITHOUT ROWID;"
    "CREATE INDEX project_satellites_norad ON project_satellites(norad);"
    "CREATE TABLE imports ("
    " id INTEGER PRIMARY KEY,"
    " source TEXT NOT NULL,"
    " imported_at TEXT NOT NULL,"
    " records INTEGER NOT NULL,"
    " added INTEGER NOT NULL,"
    " updated INTEGER NOT NULL);"
    /* epoch_us (microseconds since 1970, UTC) is the key; the two-part Julian
       date keeps the parsed doubles so that propagation from the store is bit
       for bit the propagation from the file. */
    "CREATE TABLE elsets ("
    " norad INTEGER NOT NULL CHECK (norad BETWEEN 0 AND 339999),"
    " epoch_us INTEGER NOT NULL,"
    " epoch_jd REAL NOT NULL,"
    " epoch_fr REAL NOT NULL,"
    " epoch_year INTEGER NOT NULL,"
    " epoch_day REAL NOT NULL,"
    " name TEXT NOT NULL,"
    " intldes TEXT NOT NULL,"
    " classification TEXT NOT NULL,"
    " ephemeris_type INTEGER NOT NULL,"
    " element_set_no INTEGER NOT NULL,"
    " rev_at_epoch INTEGER NOT NULL,"
    " mean_motion_rad_min REAL NOT NULL,"
    " ecc REAL NOT NULL,"
    " incl_rad REAL NOT NULL,"
    " raan_rad REAL NOT NULL,"
    " argp_rad REAL NOT NULL,"
    " mean_anomaly_rad REAL NOT NULL,"
    " bstar_per_er REAL NOT NULL,"
    " ndot_rad_min2 REAL NOT NULL,"
    " nddot_rad_min3 REAL NOT NULL,"
    " import_id INTEGER NOT NULL REFERENCES imports(id),"
    " PRIMARY KEY (norad, epoch_us)) WITHOUT ROWID;"
    "CREATE INDEX elsets_import ON elsets(import_id);";

/*
 * Version 2: contact requests for the scheduler. A request is never deleted:
 * cancelling it records when, so that the history of what each state asked
 * for stays, and its id stays taken. `seq` is the order of submission, which
 * first come, first served follows. A request wants per_day contacts a day or
 * one contact inside its window, never both.
 */
static const char schema_v2[] =
    "CREATE TABLE requests ("
    " seq INTEGER PRIMARY KEY,"
    " id TEXT NOT NULL UNIQUE CHECK (length(id) BETWEEN 1 AND 63),"
    " state TEXT NOT NULL REFERENCES states(code),"
    " norad INTEGER NOT NULL CHECK (norad BETWEEN 0 AND 339999),"
    " kind TEXT NOT NULL DEFAULT 'contact' CHECK (kind = 'contact'),"
    " priority INTEGER NOT NULL CHECK (priority BETWEEN 1 AND 5),"
    " min_duration_s REAL NOT NULL CHECK (min_duration_s > 0 AND min_duration_s <= 86400),"
    " per_day INTEGER CHECK (per_day IS NULL OR per_day >= 1),"
    " window_start TEXT,"
    " window_end TEXT,"
    " submitted_at TEXT NOT NULL,"
    " cancelled_at TEXT,"
    " CHECK ((window_start IS NULL) = (window_end IS NULL)),"
    " CHECK ((per_day IS NULL) <> (window_start IS NULL)));"
    "CREATE INDEX requests_state ON requests(state);"
    "CREATE TABLE request_stations ("
    " request_seq INTEGER NOT NULL REFERENCES requests(seq),"
    " position INTEGER NOT NULL,"
    " station TEXT NOT NULL REFERENCES stations(id),"
    " PRIMARY KEY (request_seq, position)) WITHOUT ROWID;";

static const char *const migrations[] = {schema_v1, schema_v2};
#define MIGRATION_COUNT ((int)(sizeof migrations / sizeof migrations[0]))

apsco_status store_sql_error(apsco_store *store, apsco_error *err, const char *what)
{
    return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "%s: %s", what, sqlite3_errmsg(store->db));
}

apsco_status store_exec(apsco_store *store, const char *sql, apsco_error *err)
{
    char *msg = NULL;
    if (sqlite3_exec(store->db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return APSCO_OK;
    apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "database: %s", msg ? msg : "error");
    sqlite3_free(msg);
    return APSCO_ERR_IO;
}

apsco_status store_prepare(apsco_store *store, const char *sql, sqlite3_stmt **stmt,
                           apsco_error *err)
{
    if (sqlite3_prepare_v2(store->db, sql, -1, stmt, NULL) == SQLITE_OK)
        return APSCO_OK;
    *stmt = NULL;
    return store_sql_error(store, err, "database");
}

long long store_epoch_us(apsco_time t)
{
    apsco_time n = apsco_time_normalize(t.jd, t.fr);
    /* jd - 2440587.5 is a whole number of days once normalised: exact. */
    long long days = llround(n.jd - 2440587.5);
    return days * 86400000000LL + llround(n.fr * 86400e6);
}

void store_copy(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src ? src : "");
}

void store_upper(char *s)
{
    for (; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

apsco_status apsco_store_default_path(char *buf, size_t size, apsco_error *err)
{
    const char *db = getenv("APSCO_DB"), *xdg = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    int n;
    if (db && *db)
        n = snprintf(buf, size, "%s", db);
    else if (xdg && *xdg)
        n = snprintf(buf, size, "%s/apsco/apsco.db", xdg);
    else if (home && *home)
        n = snprintf(buf, size, "%s/.local/share/apsco/apsco.db", home);
    else
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "no database path: set APSCO_DB, XDG_DATA_HOME or HOME");
    if (n < 0 || (size_t)n >= size)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "database path too long");
    return APSCO_OK;
}

/* Creates the folders leading to `path` (like mkdir -p of its dirname). */
static apsco_status make_parents(const char *path, apsco_error *err)
{
    char dir[4096];
    if (snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir)
        return apsco_error_set(err, APSCO_ERR_ARG, path, 0, "path too long");
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return APSCO_OK;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0777) != 0 && errno != EEXIST)
            return apsco_error_set(err, APSCO_ERR_IO, dir, 0, "cannot create: %s", strerror(errno));
        *p = '/';
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST)
        return apsco_error_set(err, APSCO_ERR_IO, dir, 0, "cannot create: %s", strerror(errno));
    return APSCO_OK;
}

/* SQL function apsco_iso(jd, fr): the ISO-8601 text of an epoch, to the microsecond. */
static void sql_iso(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_null(ctx);
        return;
    }
    apsco_time t = {sqlite3_value_double(argv[0]), sqlite3_value_double(argv[1])};
    char buf[40];
    apsco_time_format_iso(t, 6, buf, sizeof buf);
    sqlite3_result_text(ctx, buf, -1, SQLITE_TRANSIENT);
}

int apsco_store_schema_version(apsco_store *store)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(store->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
        return -1;
    int v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    sqlite3_finalize(st);
    return v;
}

static apsco_status migrate(apsco_store *store, const char *path, apsco_error *err)
{
    int version = apsco_store_schema_version(store);
    if (version < 0)
        return apsco_error_set(err, APSCO_ERR_IO, path, 0, "not an apsco database: %s",
                               sqlite3_errmsg(store->db));
    if (version > MIGRATION_COUNT)
        return apsco_error_set(err, APSCO_ERR_IO, path, 0,
                               "database schema %d is newer than this apsco (schema %d)", version,
                               MIGRATION_COUNT);
    for (int v = version; v < MIGRATION_COUNT; v++) {
        char bump[64];
        snprintf(bump, sizeof bump, "PRAGMA user_version = %d", v + 1);
        apsco_status st = store_exec(store, "BEGIN IMMEDIATE", err);
        if (st != APSCO_OK)
            return st;
        st = store_exec(store, migrations[v], err);
        if (st == APSCO_OK)
            st = store_exec(store, bump, err);
        if (st == APSCO_OK)
            st = store_exec(store, "COMMIT", err);
        if (st != APSCO_OK) {
            sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
            if (err)
                snprintf(err->file, sizeof err->file, "%s", path);
            return st;
        }
    }
    return APSCO_OK;
}

static apsco_status configure(apsco_store *store, const char *path, apsco_error *err)
{
    sqlite3_busy_timeout(store->db, BUSY_TIMEOUT_MS);
    sqlite3_extended_result_codes(store->db, 1);
    if (sqlite3_create_function(store->db, "apsco_iso", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, NULL,
                                sql_iso, NULL, NULL) != SQLITE_OK)
        return store_sql_error(store, err, path);
    apsco_status st = store_exec(store, "PRAGMA foreign_keys = ON", err);
    if (st != APSCO_OK || store->readonly)
        return st;
    /* WAL: readers never block the writer and see the last committed state;
       FULL sync: a committed import survives a power cut, not only a crash. */
    st = store_exec(store, "PRAGMA journal_mode = WAL", err);
    if (st == APSCO_OK)
        st = store_exec(store, "PRAGMA synchronous = FULL", err);
    if (st != APSCO_OK && err)
        snprintf(err->file, sizeof err->file, "%s", path);
    return st;
}

apsco_status apsco_store_open(const char *path, int flags, apsco_store **out, apsco_error *err)
{
    *out = NULL;
    if (!path || !*path)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no database path");
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    if (!exists && !(flags & APSCO_STORE_CREATE))
        return apsco_error_set(err, APSCO_ERR_IO, path, 0, "no database here (create it first)");
    if (!exists) {
        apsco_status st = make_parents(path, err);
        if (st != APSCO_OK)
            return st;
    }
    apsco_store *s = calloc(1, sizeof *s);
    if (!s)
        return apsco_error_set(err, APSCO_ERR_NOMEM, path, 0, "out of memory");
    s->readonly = (flags & APSCO_STORE_READONLY) != 0;
    int oflags = s->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
    if (sqlite3_open_v2(path, &s->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
        apsco_error_set(err, APSCO_ERR_IO, path, 0, "cannot open: %s",
                        s->db ? sqlite3_errmsg(s->db) : "out of memory");
        apsco_store_close(s);
        return APSCO_ERR_IO;
    }
    apsco_status st = configure(s, path, err);
    if (st == APSCO_OK && !s->readonly)
        st = migrate(s, path, err);
    if (st == APSCO_OK && s->readonly && apsco_store_schema_version(s) > MIGRATION_COUNT)
        st = apsco_error_set(err, APSCO_ERR_IO, path, 0,
                             "database schema is newer than this apsco (schema %d)",
                             MIGRATION_COUNT);
    if (st == APSCO_OK && s->readonly && apsco_store_schema_version(s) < 0)
        st = apsco_error_set(err, APSCO_ERR_IO, path, 0, "not an apsco database");
    if (st != APSCO_OK) {
        apsco_store_close(s);
        return st;
    }
    *out = s;
    return APSCO_OK;
}

void apsco_store_close(apsco_store *store)
{
    if (!store)
        return;
    if (store->in_tx)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close_v2(store->db);
    free(store);
}

apsco_status apsco_store_begin(apsco_store *store, apsco_error *err)
{
    if (store->in_tx)
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "a transaction is already open");
    apsco_status st = store_exec(store, "BEGIN IMMEDIATE", err);
    if (st == APSCO_OK)
        store->in_tx = 1;
    return st;
}

apsco_status apsco_store_commit(apsco_store *store, apsco_error *err)
{
    if (!store->in_tx)
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "no transaction is open");
    apsco_status st = store_exec(store, "COMMIT", err);
    if (st != APSCO_OK)
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    store->in_tx = 0;
    return st;
}

void apsco_store_rollback(apsco_store *store)
{
    if (!store || !store->in_tx)
        return;
    sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
    store->in_tx = 0;
}

apsco_status store_scope_begin(apsco_store *store, store_scope *scope, apsco_error *err)
{
    if (store->readonly)
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "the database is open read-only");
    scope->outer = !store->in_tx && sqlite3_get_autocommit(store->db);
    scope->id = ++store->scope_seq;
    if (scope->outer)
        return store_exec(store, "BEGIN IMMEDIATE", err);
    char sql[64];
    snprintf(sql, sizeof sql, "SAVEPOINT apsco_%d", scope->id);
    return store_exec(store, sql, err);
}

apsco_status store_scope_end(apsco_store *store, store_scope *scope, apsco_status status,
                             apsco_error *err)
{
    char sql[96];
    if (scope->outer) {
        if (status == APSCO_OK) {
            status = store_exec(store, "COMMIT", err);
            if (status == APSCO_OK)
                return APSCO_OK;
        }
        sqlite3_exec(store->db, "ROLLBACK", NULL, NULL, NULL);
        return status;
    }
    if (status == APSCO_OK) {
        snprintf(sql, sizeof sql, "RELEASE apsco_%d", scope->id);
        return store_exec(store, sql, err);
    }
    snprintf(sql, sizeof sql, "ROLLBACK TO apsco_%d; RELEASE apsco_%d", scope->id, scope->id);
    sqlite3_exec(store->db, sql, NULL, NULL, NULL);
    return status;
}
