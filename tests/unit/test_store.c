/*
 * Tests of the store: schema and settings, the bundled dataset, idempotent
 * imports with history and "latest epoch wins", selection by registry
 * filters, stations of the pooled network, listings, and atomicity when the
 * disk fills up in the middle of an import.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "apsco/store.h"
#include "apsco/synth.h"
#include "store/internal.h"
#include "testutil.h"

typedef struct fixture {
    char dir[256];
    char path[300];
    apsco_store *store;
} fixture;

static const char *data_dir(void)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/../../data", APSCO_TEST_DATA);
    return path;
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/apsco-store-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/sub/apsco.db", f->dir);
    apsco_error err;
    if (apsco_store_open(f->path, APSCO_STORE_CREATE, &f->store, &err) != APSCO_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    apsco_store_close(f->store);
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    if (system(cmd) != 0)
        return -1;
    free(f);
    return 0;
}

static int setup_defaults(void **state)
{
    if (setup(state) != 0)
        return -1;
    fixture *f = *state;
    apsco_error err;
    return apsco_store_load_defaults(f->store, data_dir(), NULL, &err) == APSCO_OK ? 0 : -1;
}

static long long scalar(apsco_store *store, const char *sql)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store->db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    long long v = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    return v;
}

static const char *text_of(apsco_store *store, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(store->db, sql, -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    snprintf(buf, size, "%s", (const char *)sqlite3_column_text(q, 0));
    sqlite3_finalize(q);
    return buf;
}

static void load_tle(const char *text, apsco_catalog *cat)
{
    apsco_error err;
    apsco_parse_options o = {APSCO_FORMAT_TLE, 1, NULL, NULL};
    assert_int_equal(apsco_catalog_parse(text, strlen(text), "t.tle", &o, cat, &err), APSCO_OK);
}

#define ISS_A                                                                                      \
    "ISS (ZARYA)\n"                                                                                \
    "1 25544U 98067A   26078.12958500  .00009105  00000+0  17698-3 0  9991\n"                      \
    "2 25544  51.6344  25.6919 0006229 207.4819 152.5840 15.48370465557798\n"
/* The same object one element set later (epoch day 78.5). */
#define ISS_B                                                                                      \
    "ISS (ZARYA)\n"                                                                                \
    "1 25544U 98067A   26078.50000000  .00009105  00000+0  17698-3 0  9996\n"                      \
    "2 25544  51.6344  24.0000 0006229 207.4819 152.5840 15.48370465557859\n"

static void test_store_creates_a_versioned_wal_database_with_foreign_keys(void **state)
{
    fixture *f = *state;
    char buf[64];
    assert_int_equal(apsco_store_schema_version(f->store), APSCO_STORE_SCHEMA_VERSION);
    assert_string_equal(text_of(f->store, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(scalar(f->store, "PRAGMA foreign_keys"), 1);
    assert_int_equal(access(f->path, F_OK), 0);
}

static void test_store_refuses_a_schema_newer_than_itself(void **state)
{
    fixture *f = *state;
    assert_int_equal(store_exec(f->store, "PRAGMA user_version = 99", NULL), APSCO_OK);
    apsco_store *other;
    apsco_error err;
    assert_int_equal(apsco_store_open(f->path, 0, &other, &err), APSCO_ERR_IO);
    assert_non_null(strstr(err.message, "newer"));
    assert_int_equal(store_exec(f->store, "PRAGMA user_version = 2", NULL), APSCO_OK);
}

static void test_store_open_without_create_needs_an_existing_file(void **state)
{
    fixture *f = *state;
    char path[400];
    snprintf(path, sizeof path, "%s/missing.db", f->dir);
    apsco_store *s;
    apsco_error err;
    assert_int_equal(apsco_store_open(path, 0, &s, &err), APSCO_ERR_IO);
    assert_int_equal(access(path, F_OK), -1);
}

static void test_default_path_follows_apsco_db_then_xdg(void **state)
{
    (void)state;
    char buf[512];
    apsco_error err;
    setenv("APSCO_DB", "/x/y.db", 1);
    assert_int_equal(apsco_store_default_path(buf, sizeof buf, &err), APSCO_OK);
    assert_string_equal(buf, "/x/y.db");
    unsetenv("APSCO_DB");
    setenv("XDG_DATA_HOME", "/data", 1);
    assert_int_equal(apsco_store_default_path(buf, sizeof buf, &err), APSCO_OK);
    assert_string_equal(buf, "/data/apsco/apsco.db");
    unsetenv("XDG_DATA_HOME");
}

static void test_defaults_load_the_organization_and_its_network(void **state)
{
    fixture *f = *state;
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM states"), 14);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM states WHERE status = 'member'"), 7);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM states WHERE status = 'signatory'"), 2);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM states WHERE status = 'observer'"), 5);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM projects WHERE illustrative = 1"), 10);
    assert_true(scalar(f->store, "SELECT COUNT(*) FROM stations") >= 13);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM elsets"), 14710);
    /* Every registry satellite is found under its own name in the snapshot. */
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM satellites s WHERE NOT EXISTS"
                                      " (SELECT 1 FROM elsets e WHERE e.norad = s.norad"
                                      "  AND e.name = s.name)"),
                     0);
    apsco_state_record *members;
    size_t n;
    apsco_error err;
    assert_int_equal(apsco_store_get_states(f->store, APSCO_STATUS_MEMBER, &members, &n, &err),
                     APSCO_OK);
    assert_int_equal(n, 7);
    assert_string_equal(members[0].code, "BD");
    assert_string_equal(members[0].joined, "2005-10-28");
    free(members);
}

static void test_defaults_load_twice_changes_nothing(void **state)
{
    fixture *f = *state;
    long long imports = scalar(f->store, "SELECT COUNT(*) FROM imports");
    /* A second connection sees data_version move only when another one commits changes. */
    apsco_store *watcher;
    apsco_error werr;
    assert_int_equal(apsco_store_open(f->path, APSCO_STORE_READONLY, &watcher, &werr), APSCO_OK);
    long long version = scalar(watcher, "PRAGMA data_version");
    apsco_import_stats stats;
    apsco_error err;
    assert_int_equal(apsco_store_load_defaults(f->store, data_dir(), &stats, &err), APSCO_OK);
    assert_int_equal(stats.added, 0);
    assert_int_equal(stats.unchanged, 14710);
    assert_int_equal(stats.import_id, 0);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM imports"), imports);
    assert_int_equal(scalar(watcher, "PRAGMA data_version"), version);
    apsco_store_close(watcher);
}

static void test_import_is_idempotent_and_keeps_history(void **state)
{
    fixture *f = *state;
    apsco_catalog a = {0}, b = {0}, sel = {0};
    load_tle(ISS_A, &a);
    load_tle(ISS_B, &b);
    apsco_import_stats s;
    apsco_error err;
    assert_int_equal(apsco_store_import_catalog(f->store, &a, "a.tle", &s, &err), APSCO_OK);
    assert_int_equal(s.added, 1);
    assert_true(s.import_id > 0);
    assert_int_equal(apsco_store_import_catalog(f->store, &a, "a.tle", &s, &err), APSCO_OK);
    assert_int_equal(s.added, 0);
    assert_int_equal(s.unchanged, 1);
    assert_int_equal(s.import_id, 0);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM imports"), 1);
    assert_int_equal(apsco_store_import_catalog(f->store, &b, "b.tle", &s, &err), APSCO_OK);
    assert_int_equal(s.added, 1);
    /* The latest epoch wins; history keeps both. */
    long id = 25544;
    apsco_selection one = {.norads = &id, .norad_count = 1};
    assert_int_equal(apsco_store_select_catalog(f->store, &one, &sel, &err), APSCO_OK);
    assert_int_equal(sel.count, 1);
    assert_near(sel.items[0].epoch_day, 78.5, 0);
    apsco_catalog hist = {0};
    assert_int_equal(apsco_store_history(f->store, 25544, &hist, &err), APSCO_OK);
    assert_int_equal(hist.count, 2);
    assert_near(hist.items[0].epoch_day, 78.12958500, 0);
    apsco_catalog_free(&a);
    apsco_catalog_free(&b);
    apsco_catalog_free(&sel);
    apsco_catalog_free(&hist);
}

static void test_import_replaces_a_corrected_element_set_with_the_same_epoch(void **state)
{
    fixture *f = *state;
    apsco_catalog a = {0};
    load_tle(ISS_A, &a);
    apsco_import_stats s;
    apsco_error err;
    assert_int_equal(apsco_store_import_catalog(f->store, &a, "a.tle", &s, &err), APSCO_OK);
    a.items[0].bstar_per_er *= 2;
    assert_int_equal(apsco_store_import_catalog(f->store, &a, "fix.tle", &s, &err), APSCO_OK);
    assert_int_equal(s.added, 0);
    assert_int_equal(s.updated, 1);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM elsets"), 1);
    apsco_catalog_free(&a);
}

/* Element sets come back from the store bit for bit as they were parsed. */
static void test_store_round_trips_element_sets_exactly(void **state)
{
    fixture *f = *state;
    apsco_catalog base = {0}, syn = {0}, back = {0};
    apsco_error err;
    char path[1100];
    snprintf(path, sizeof path, "%s/celestrak-active-2026-03-19.tle", data_dir());
    assert_int_equal(apsco_catalog_load(path, NULL, &base, &err), APSCO_OK);
    apsco_synth_options o = apsco_synth_defaults();
    o.count = 500;
    o.first_norad = 99800;
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &syn, &err), APSCO_OK);
    assert_int_equal(apsco_store_import_catalog(f->store, &syn, "syn", NULL, &err), APSCO_OK);
    assert_int_equal(apsco_store_select_catalog(f->store, NULL, &back, &err), APSCO_OK);
    assert_int_equal(back.count, syn.count);
    for (size_t i = 0; i < syn.count; i++) {
        apsco_elset x = syn.items[i], y = back.items[i];
        x.source_line = y.source_line = 0;
        assert_memory_equal(&x, &y, sizeof x);
    }
    apsco_catalog_free(&base);
    apsco_catalog_free(&syn);
    apsco_catalog_free(&back);
}

static void count_diag(void *ctx, apsco_severity severity, const apsco_error *diag)
{
    (void)diag;
    *(int *)ctx += severity == APSCO_SKIPPED;
}

static size_t select_count(apsco_store *store, apsco_selection sel, apsco_status expect)
{
    apsco_catalog cat = {0};
    apsco_error err;
    apsco_status st = apsco_store_select_catalog(store, &sel, &cat, &err);
    if (st != expect)
        fail_msg("selection gave %s (%s)", apsco_status_name(st), err.message);
    size_t n = cat.count;
    apsco_catalog_free(&cat);
    return n;
}

static void test_selection_filters_by_state_agency_class_and_project(void **state)
{
    fixture *f = *state;
    assert_int_equal(select_count(f->store, (apsco_selection){.state = "PK"}, APSCO_OK), 4);
    assert_int_equal(select_count(f->store, (apsco_selection){.state = "pk,pe"}, APSCO_OK), 5);
    assert_int_equal(select_count(f->store, (apsco_selection){.agency = "suparco"}, APSCO_OK), 4);
    assert_int_equal(
        select_count(f->store, (apsco_selection){.state = "PK", .sat_class = "telecom"}, APSCO_OK),
        2);
    assert_int_equal(select_count(f->store, (apsco_selection){.project = "SMMS"}, APSCO_OK), 1);
    assert_int_equal(
        select_count(f->store, (apsco_selection){.project = "Telecom Backup Ring"}, APSCO_OK), 6);
    size_t members = select_count(f->store, (apsco_selection){.status = "member"}, APSCO_OK);
    size_t everyone =
        select_count(f->store, (apsco_selection){.status = "member,signatory"}, APSCO_OK);
    assert_true(members > 20 && everyone > members);
    assert_int_equal(select_count(f->store, (apsco_selection){0}, APSCO_OK), 14710);
    long ids[] = {25544, 43530};
    assert_int_equal(
        select_count(f->store, (apsco_selection){.norads = ids, .norad_count = 2}, APSCO_OK), 2);
    /* With a registry filter, numbers outside it are an error, not silently dropped. */
    assert_int_equal(select_count(f->store,
                                  (apsco_selection){.state = "PK", .norads = ids, .norad_count = 2},
                                  APSCO_ERR_VALUE),
                     0);
}

static void test_selection_rejects_unknown_names(void **state)
{
    fixture *f = *state;
    apsco_catalog cat = {0};
    apsco_error err;
    apsco_selection sel = {.state = "PKK"};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    assert_non_null(strstr(err.message, "no state 'PKK'"));
    sel = (apsco_selection){.agency = "NASA"};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    sel = (apsco_selection){.sat_class = "cubesat"};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    sel = (apsco_selection){.project = "Apollo"};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    sel = (apsco_selection){.status = "emperor"};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    long missing = 1;
    sel = (apsco_selection){.norads = &missing, .norad_count = 1};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_ERR_VALUE);
    assert_int_equal(cat.count, 0);
}

static void test_selection_reports_satellites_without_elements(void **state)
{
    fixture *f = *state;
    apsco_satellite_record r = {.norad = 99, .agency = "CNSA", .sat_class = "research"};
    snprintf(r.name, sizeof r.name, "RETIRED ONE");
    r.mass_kg = NAN;
    apsco_error err;
    assert_int_equal(apsco_store_put_satellite(f->store, &r, &err), APSCO_OK);
    int skipped = 0;
    apsco_selection sel = {.state = "CN", .diag = count_diag, .diag_ctx = &skipped};
    apsco_catalog cat = {0};
    assert_int_equal(apsco_store_select_catalog(f->store, &sel, &cat, &err), APSCO_OK);
    assert_int_equal(skipped, 1);
    assert_true(cat.count > 10);
    apsco_catalog_free(&cat);
}

static void test_pooled_network_is_the_members_stations(void **state)
{
    fixture *f = *state;
    apsco_station_list pool = {0}, all = {0};
    apsco_error err;
    apsco_selection members = {.status = "member"};
    assert_int_equal(apsco_store_select_stations(f->store, &members, &pool, &err), APSCO_OK);
    assert_int_equal(apsco_store_select_stations(f->store, NULL, &all, &err), APSCO_OK);
    assert_true(pool.count >= 10);
    assert_true(all.count > pool.count);
    for (size_t i = 0; i < pool.count; i++)
        assert_true(strcmp(pool.items[i].state, "ID") && strcmp(pool.items[i].state, "TR"));
    long miyun = apsco_station_list_find(&pool, "CN-MIYUN");
    assert_true(miyun >= 0);
    assert_near(pool.items[miyun].lat_rad, 40.45 * M_PI / 180, 1e-12);
    assert_string_equal(pool.items[miyun].agency, "CNSA");
    apsco_station_list_free(&pool);
    apsco_station_list_free(&all);
}

static void test_pooling_gives_each_member_its_fleet_and_the_shared_network(void **state)
{
    fixture *f = *state;
    apsco_pooling p;
    apsco_error err;
    assert_int_equal(apsco_store_pooling(f->store, &p, &err), APSCO_OK);
    assert_int_equal(p.member_count, 7);
    assert_true(p.stations.count >= 10);
    size_t total = 0;
    for (size_t i = 0; i < p.member_count; i++) {
        const apsco_member_fleet *m = &p.members[i];
        total += m->catalog.count;
        if (!strcmp(m->state, "PK"))
            assert_int_equal(m->catalog.count, 4);
        if (!strcmp(m->state, "MN"))
            assert_int_equal(m->catalog.count, 0);
    }
    assert_string_equal(p.members[0].state, "BD");
    assert_string_equal(p.members[0].name, "Bangladesh");
    assert_true(total > 20);
    apsco_pooling_free(&p);
}

static void test_station_import_checks_state_and_agency(void **state)
{
    fixture *f = *state;
    const char *text = "id,name,state,lat_deg,lon_deg,alt_m,min_el_deg,agency,mask\n"
                       "X-1,x,PK,1,2,3,4,,0:5;90:10\n"
                       "X-2,y,PK,1,2,3,4,GISTDA,\n";
    apsco_station_list list = {0};
    apsco_error err;
    assert_int_equal(apsco_stations_parse(text, strlen(text), "s.csv", &list, &err), APSCO_OK);
    long long before = scalar(f->store, "SELECT COUNT(*) FROM stations");
    assert_int_equal(apsco_store_import_stations(f->store, &list, NULL, &err), APSCO_ERR_VALUE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "belongs to TH"));
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM stations"), before);
    list.count = 1;
    apsco_import_stats s;
    assert_int_equal(apsco_store_import_stations(f->store, &list, &s, &err), APSCO_OK);
    assert_int_equal(s.added, 1);
    assert_int_equal(apsco_store_import_stations(f->store, &list, &s, &err), APSCO_OK);
    assert_int_equal(s.unchanged, 1);
    char buf[64];
    assert_string_equal(
        text_of(f->store, "SELECT mask FROM stations WHERE id = 'X-1'", buf, sizeof buf),
        "0:5;90:10");
    snprintf(list.items[0].state, 3, "ZZ");
    assert_int_equal(apsco_store_import_stations(f->store, &list, NULL, &err), APSCO_ERR_VALUE);
    apsco_station_list_free(&list);
}

static void test_registry_rejects_dangling_references(void **state)
{
    fixture *f = *state;
    apsco_error err;
    apsco_agency_record a = {.state = "XX"};
    snprintf(a.name, sizeof a.name, "Nowhere Agency");
    assert_int_equal(apsco_store_put_agency(f->store, &a, &err), APSCO_ERR_VALUE);
    apsco_project_record p = {.proj_class = "research", .satellite_count = 1, .satellites = {1}};
    snprintf(p.name, sizeof p.name, "Ghost");
    assert_int_equal(apsco_store_put_project(f->store, &p, &err), APSCO_ERR_VALUE);
    assert_non_null(strstr(err.message, "satellite 1"));
    apsco_state_record s = {.code = "XX", .status = APSCO_STATUS_OBSERVER};
    snprintf(s.name, sizeof s.name, "X");
    snprintf(s.joined, sizeof s.joined, "2005-02-30");
    assert_int_equal(apsco_store_put_state(f->store, &s, &err), APSCO_ERR_VALUE);
}

static void test_listings_have_documented_columns(void **state)
{
    fixture *f = *state;
    apsco_table t;
    apsco_error err;
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_STATES, NULL, &t, &err), APSCO_OK);
    assert_int_equal(t.columns, 4);
    assert_string_equal(t.names[0], "code");
    assert_string_equal(t.names[3], "joined");
    assert_int_equal(t.rows, 14);
    apsco_table_free(&t);
    apsco_selection pk = {.state = "PK"};
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_SATELLITES, &pk, &t, &err), APSCO_OK);
    assert_int_equal(t.rows, 4);
    assert_string_equal(t.names[6], "epoch");
    assert_int_equal(t.kinds[0], APSCO_CELL_INTEGER);
    apsco_table_free(&t);
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_CATALOG, NULL, &t, &err), APSCO_OK);
    assert_int_equal(t.rows, 14710);
    assert_int_equal(t.columns, 10);
    assert_string_equal(t.names[9], "registry");
    apsco_table_free(&t);
    apsco_selection th = {.state = "TH"};
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_PROJECTS, &th, &t, &err), APSCO_OK);
    assert_true(t.rows >= 5);
    assert_string_equal(t.names[2], "states");
    apsco_table_free(&t);
}

/* A disk that fills up mid-import leaves the database exactly as it was. */
static void test_import_failing_on_a_full_disk_changes_nothing(void **state)
{
    fixture *f = *state;
    apsco_catalog base = {0}, syn = {0};
    apsco_error err;
    char path[1100];
    snprintf(path, sizeof path, "%s/celestrak-active-2026-03-19.tle", data_dir());
    assert_int_equal(apsco_catalog_load(path, NULL, &base, &err), APSCO_OK);
    apsco_synth_options o = apsco_synth_defaults();
    assert_int_equal(apsco_catalog_synthesize(&base, &o, &syn, &err), APSCO_OK);
    long long before = scalar(f->store, "SELECT COUNT(*) FROM elsets");
    long long pages = scalar(f->store, "PRAGMA page_count");
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA max_page_count = %lld", pages + 200);
    assert_int_equal(store_exec(f->store, sql, NULL), APSCO_OK);
    assert_int_equal(apsco_store_import_catalog(f->store, &syn, "big", NULL, &err), APSCO_ERR_IO);
    assert_non_null(strstr(err.message, "full"));
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM elsets"), before);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM imports WHERE source = 'big'"), 0);
    char ok[16];
    assert_string_equal(text_of(f->store, "PRAGMA integrity_check", ok, sizeof ok), "ok");
    apsco_catalog_free(&base);
    apsco_catalog_free(&syn);
}

/* ---- Contact requests ---------------------------------------------------- */

/* A request set of one, with `stations` allowed (NULL for any). */
static void one_request(apsco_plan_requests *set, const char *id, const char *state, long norad,
                        int priority, int per_day, const char *window, const char *stations)
{
    apsco_plan_request r;
    memset(&r, 0, sizeof r);
    snprintf(r.id, sizeof r.id, "%s", id);
    snprintf(r.state, sizeof r.state, "%s", state);
    r.norad = norad;
    r.priority = 3;
    r.min_duration_s = 300;
    r.per_day = per_day;
    if (window) {
        r.has_window = 1;
        assert_int_equal(apsco_time_parse_iso(window, &r.window_start, NULL), APSCO_OK);
        r.window_end = apsco_time_add_s(r.window_start, 6 * 3600.0);
    }
    const char *names[] = {stations};
    apsco_error err;
    assert_int_equal(apsco_plan_requests_add(set, &r, names, stations ? 1 : 0, &err), APSCO_OK);
    /* Set afterwards, so that the store sees priorities a request file could not hold. */
    set->items[set->count - 1].priority = priority;
}

/* Adds one request; returns the status and leaves the reason in `err`. */
static apsco_status add_one(apsco_store *store, const char *id, const char *state, long norad,
                            int priority, int per_day, const char *window, const char *stations,
                            apsco_error *err)
{
    apsco_plan_requests set;
    memset(&set, 0, sizeof set);
    one_request(&set, id, state, norad, priority, per_day, window, stations);
    apsco_status st = apsco_store_add_requests(store, &set, err);
    apsco_plan_requests_free(&set);
    return st;
}

/* The active requests in the store (those of `sel`, all of them without). */
static apsco_plan_requests stored_requests(apsco_store *store, const apsco_selection *sel)
{
    apsco_plan_requests got;
    memset(&got, 0, sizeof got);
    apsco_error err;
    assert_int_equal(apsco_store_get_requests(store, sel, &got, &err), APSCO_OK);
    return got;
}

static void test_requests_come_back_in_submission_order_with_their_fields(void **state)
{
    fixture *f = *state;
    apsco_error err;
    assert_int_equal(add_one(f->store, "PK-2", "PK", 43530, 4, 3, NULL, NULL, &err), APSCO_OK);
    assert_int_equal(
        add_one(f->store, "CN-1", "CN", 39150, 5, 0, "2026-03-20T01:02:03Z", "CN-SANYA", &err),
        APSCO_OK);
    assert_int_equal(add_one(f->store, "TH-0", "TH", 58016, 1, 2, NULL, "TH-SRIRACHA", &err),
                     APSCO_OK);
    apsco_plan_requests got = stored_requests(f->store, NULL);
    assert_int_equal(got.count, 3);
    assert_string_equal(got.items[0].id, "PK-2");
    assert_string_equal(got.items[1].id, "CN-1");
    assert_string_equal(got.items[2].id, "TH-0");
    const apsco_plan_request *pk = &got.items[0], *cn = &got.items[1];
    assert_string_equal(pk->state, "PK");
    assert_int_equal(pk->norad, 43530);
    assert_int_equal(pk->priority, 4);
    assert_int_equal(pk->per_day, 3);
    assert_false(pk->has_window);
    assert_int_equal(pk->stations_count, 0);
    assert_true(pk->min_duration_s == 300);
    assert_true(cn->has_window);
    assert_int_equal(cn->per_day, 0);
    char iso[40];
    apsco_time_format_iso(cn->window_start, 0, iso, sizeof iso);
    assert_string_equal(iso, "2026-03-20T01:02:03Z");
    assert_near(apsco_time_diff_s(cn->window_end, cn->window_start), 6 * 3600.0, 1e-6);
    assert_int_equal(cn->stations_count, 1);
    assert_string_equal(got.names[cn->stations_first], "CN-SANYA");
    apsco_plan_requests_free(&got);
    apsco_selection sel = {.state = "th"};
    got = stored_requests(f->store, &sel);
    assert_int_equal(got.count, 1);
    assert_string_equal(got.items[0].id, "TH-0");
    apsco_plan_requests_free(&got);
}

/* `call` must fail with APSCO_ERR_VALUE, saying `why` in `err`. */
#define assert_refused(call, why)                                                                  \
    do {                                                                                           \
        assert_int_equal((call), APSCO_ERR_VALUE);                                                 \
        if (!strstr(err.message, why))                                                             \
            fail_msg("'%s' does not say '%s'", err.message, why);                                  \
    } while (0)

static void test_request_add_explains_what_is_wrong(void **state)
{
    fixture *f = *state;
    apsco_error err;
    const char *w = "2026-03-20T00:00:00Z";
    assert_refused(add_one(f->store, "A", "ZZ", 43530, 3, 1, NULL, NULL, &err),
                   "state 'ZZ' is not in the registry");
    assert_refused(add_one(f->store, "A", "RU", 43530, 3, 1, NULL, NULL, &err),
                   "RU is an observer");
    assert_refused(add_one(f->store, "A", "ID", 43530, 3, 1, NULL, NULL, &err),
                   "ID is a signatory");
    assert_refused(add_one(f->store, "A", "PK", 43530, 6, 1, NULL, NULL, &err),
                   "priority must be 1 to 5");
    assert_refused(add_one(f->store, "A", "PK", 43530, 3, 1, w, NULL, &err),
                   "per_day and a window exclude each other");
    assert_refused(add_one(f->store, "A", "PK", 12, 3, 1, NULL, NULL, &err),
                   "satellite 12 is neither in the registry nor in the catalog");
    assert_refused(add_one(f->store, "A", "PK", 43530, 3, 1, NULL, "XX-NOWHERE", &err),
                   "station 'XX-NOWHERE' is not in the store");
    assert_int_equal(add_one(f->store, "A", "PK", 43530, 3, 1, NULL, NULL, &err), APSCO_OK);
    assert_refused(add_one(f->store, "A", "CN", 39150, 3, 1, NULL, NULL, &err), "id is taken");
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM requests"), 1);
}

static void test_request_add_stores_all_or_nothing(void **state)
{
    fixture *f = *state;
    apsco_plan_requests set;
    memset(&set, 0, sizeof set);
    one_request(&set, "R1", "PK", 43530, 3, 1, NULL, "PK-KARACHI");
    one_request(&set, "R2", "CN", 39150, 3, 1, NULL, NULL);
    one_request(&set, "R3", "MY", 39150, 3, 1, NULL, NULL);
    apsco_error err;
    assert_int_equal(apsco_store_add_requests(f->store, &set, &err), APSCO_ERR_VALUE);
    assert_non_null(strstr(err.message, "request R3"));
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM requests"), 0);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM request_stations"), 0);
    set.count = 2;
    assert_int_equal(apsco_store_add_requests(f->store, &set, &err), APSCO_OK);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM requests"), 2);
    apsco_plan_requests_free(&set);
}

static void test_cancelled_request_leaves_the_schedule_but_not_the_history(void **state)
{
    fixture *f = *state;
    apsco_error err;
    assert_int_equal(add_one(f->store, "R1", "PK", 43530, 3, 1, NULL, NULL, &err), APSCO_OK);
    assert_int_equal(add_one(f->store, "R2", "TH", 58016, 3, 1, NULL, NULL, &err), APSCO_OK);
    assert_int_equal(apsco_store_cancel_request(f->store, "R1", &err), APSCO_OK);
    assert_int_equal(apsco_store_cancel_request(f->store, "R1", &err), APSCO_ERR_VALUE);
    assert_non_null(strstr(err.message, "already cancelled"));
    assert_int_equal(apsco_store_cancel_request(f->store, "R9", &err), APSCO_ERR_VALUE);
    assert_non_null(strstr(err.message, "no request 'R9'"));
    apsco_plan_requests got = stored_requests(f->store, NULL);
    assert_int_equal(got.count, 1);
    assert_string_equal(got.items[0].id, "R2");
    apsco_plan_requests_free(&got);
    apsco_table t;
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_REQUESTS, NULL, &t, &err), APSCO_OK);
    assert_int_equal(t.rows, 1);
    apsco_table_free(&t);
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_REQUEST_HISTORY, NULL, &t, &err),
                     APSCO_OK);
    assert_int_equal(t.rows, 2);
    assert_string_equal(apsco_table_cell(&t, 0, 0), "R1");
    assert_string_equal(apsco_table_cell(&t, 0, 10), "cancelled");
    assert_non_null(apsco_table_cell(&t, 0, 12));
    assert_string_equal(apsco_table_cell(&t, 1, 10), "active");
    assert_null(apsco_table_cell(&t, 1, 12));
    apsco_table_free(&t);
    assert_int_equal(add_one(f->store, "R1", "PK", 43530, 3, 1, NULL, NULL, &err), APSCO_ERR_VALUE);
}

static void test_request_listing_has_documented_columns(void **state)
{
    fixture *f = *state;
    static const char *const names[] = {"id",          "state",          "norad",   "kind",
                                        "priority",    "min_duration_s", "per_day", "window_start",
                                        "window_end",  "stations",       "status",  "submitted_at",
                                        "cancelled_at"};
    apsco_error err;
    assert_int_equal(add_one(f->store, "R1", "PK", 43530, 3, 1, NULL, "PK-LAHORE", &err), APSCO_OK);
    apsco_table t;
    assert_int_equal(apsco_store_list(f->store, APSCO_LIST_REQUESTS, NULL, &t, &err), APSCO_OK);
    assert_int_equal(t.columns, sizeof names / sizeof names[0]);
    for (size_t c = 0; c < t.columns; c++)
        assert_string_equal(t.names[c], names[c]);
    assert_string_equal(apsco_table_cell(&t, 0, 3), "contact");
    assert_string_equal(apsco_table_cell(&t, 0, 9), "PK-LAHORE");
    assert_null(apsco_table_cell(&t, 0, 7));
    apsco_table_free(&t);
}

static void test_store_of_schema_1_gains_requests_and_keeps_its_data(void **state)
{
    fixture *f = *state;
    long long states = scalar(f->store, "SELECT COUNT(*) FROM states");
    assert_int_equal(store_exec(f->store,
                                "DROP TABLE request_stations; DROP TABLE requests;"
                                " PRAGMA user_version = 1",
                                NULL),
                     APSCO_OK);
    apsco_plan_requests got = stored_requests(f->store, NULL);
    apsco_error err;
    assert_int_equal(got.count, 0);
    apsco_store_close(f->store);
    assert_int_equal(apsco_store_open(f->path, 0, &f->store, &err), APSCO_OK);
    assert_int_equal(apsco_store_schema_version(f->store), APSCO_STORE_SCHEMA_VERSION);
    assert_int_equal(scalar(f->store, "SELECT COUNT(*) FROM states"), states);
    assert_int_equal(add_one(f->store, "R1", "PK", 43530, 3, 1, NULL, NULL, &err), APSCO_OK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(
            test_store_creates_a_versioned_wal_database_with_foreign_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_refuses_a_schema_newer_than_itself, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_open_without_create_needs_an_existing_file,
                                        setup, teardown),
        cmocka_unit_test(test_default_path_follows_apsco_db_then_xdg),
        cmocka_unit_test_setup_teardown(test_defaults_load_the_organization_and_its_network,
                                        setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_defaults_load_twice_changes_nothing, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_is_idempotent_and_keeps_history, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_import_replaces_a_corrected_element_set_with_the_same_epoch, setup, teardown),
        cmocka_unit_test_setup_teardown(test_store_round_trips_element_sets_exactly, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_selection_filters_by_state_agency_class_and_project,
                                        setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_selection_rejects_unknown_names, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_selection_reports_satellites_without_elements,
                                        setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_pooled_network_is_the_members_stations, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_pooling_gives_each_member_its_fleet_and_the_shared_network, setup_defaults,
            teardown),
        cmocka_unit_test_setup_teardown(test_station_import_checks_state_and_agency, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_registry_rejects_dangling_references, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_requests_come_back_in_submission_order_with_their_fields, setup_defaults,
            teardown),
        cmocka_unit_test_setup_teardown(test_request_add_explains_what_is_wrong, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_request_add_stores_all_or_nothing, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(
            test_cancelled_request_leaves_the_schedule_but_not_the_history, setup_defaults,
            teardown),
        cmocka_unit_test_setup_teardown(test_request_listing_has_documented_columns, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_store_of_schema_1_gains_requests_and_keeps_its_data,
                                        setup_defaults, teardown),
        cmocka_unit_test_setup_teardown(test_listings_have_documented_columns, setup_defaults,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_import_failing_on_a_full_disk_changes_nothing,
                                        setup_defaults, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
