/*
 * Tests of the store under crashes and concurrency: a child process killed
 * with SIGKILL in the middle of a 30 000-object import leaves a database that
 * passes PRAGMA integrity_check with exactly the counts it had before (or,
 * if the import had committed, exactly the counts after), and readers that
 * run while imports commit always see one whole state.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "apsco/store.h"
#include "apsco/synth.h"
#include "store/internal.h"
#include "testutil.h"

typedef struct fixture {
    char dir[256];
    char path[300];
    apsco_catalog big; /* 30 000 synthetic objects */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    snprintf(f->dir, sizeof f->dir, "/tmp/apsco-crash-XXXXXX");
    if (!mkdtemp(f->dir))
        return -1;
    snprintf(f->path, sizeof f->path, "%s/apsco.db", f->dir);
    char data[1100], snap[1200];
    snprintf(data, sizeof data, "%s/../../data", APSCO_TEST_DATA);
    snprintf(snap, sizeof snap, "%s/celestrak-active-2026-03-19.tle", data);
    apsco_store *s;
    apsco_error err;
    apsco_catalog base = {0};
    apsco_synth_options o = apsco_synth_defaults();
    if (apsco_store_open(f->path, APSCO_STORE_CREATE, &s, &err) != APSCO_OK ||
        apsco_store_load_defaults(s, data, NULL, &err) != APSCO_OK ||
        apsco_catalog_load(snap, NULL, &base, &err) != APSCO_OK ||
        apsco_catalog_synthesize(&base, &o, &f->big, &err) != APSCO_OK)
        return -1;
    apsco_store_close(s);
    apsco_catalog_free(&base);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->dir);
    int rc = system(cmd);
    apsco_catalog_free(&f->big);
    free(f);
    return rc == 0 ? 0 : -1;
}

static long long scalar(apsco_store *store, const char *sql)
{
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(store->db, sql, -1, &q, NULL) != SQLITE_OK)
        return -1;
    long long v = sqlite3_step(q) == SQLITE_ROW ? sqlite3_column_int64(q, 0) : -1;
    sqlite3_finalize(q);
    return v;
}

typedef struct counts {
    long long elsets, imports, states, stations;
} counts;

/* Opens the database afresh (running WAL recovery), checks its integrity and counts rows. */
static counts check_and_count(const char *path)
{
    apsco_store *s;
    apsco_error err;
    assert_int_equal(apsco_store_open(path, 0, &s, &err), APSCO_OK);
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_prepare_v2(s->db, "PRAGMA integrity_check", -1, &q, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(q, 0), "ok");
    sqlite3_finalize(q);
    assert_int_equal(scalar(s, "SELECT COUNT(*) FROM pragma_foreign_key_check"), 0);
    counts c = {scalar(s, "SELECT COUNT(*) FROM elsets"), scalar(s, "SELECT COUNT(*) FROM imports"),
                scalar(s, "SELECT COUNT(*) FROM states"),
                scalar(s, "SELECT COUNT(*) FROM stations")};
    apsco_store_close(s);
    return c;
}

/*
 * The child: opens the store with a tiny page cache (so that uncommitted
 * pages spill to the WAL file), tells the parent through `fd` when its
 * transaction is open, imports, and with `hold` waits before committing.
 */
static void child_import(const fixture *f, int fd, int hold)
{
    apsco_store *s;
    apsco_error err;
    if (apsco_store_open(f->path, 0, &s, &err) != APSCO_OK)
        _exit(2);
    store_exec(s, "PRAGMA cache_size = 50", NULL);
    if (apsco_store_begin(s, &err) != APSCO_OK)
        _exit(3);
    char c = 'b';
    if (write(fd, &c, 1) != 1)
        _exit(4);
    if (apsco_store_import_catalog(s, &f->big, "synthetic-30000", NULL, &err) != APSCO_OK)
        _exit(5);
    if (hold) {
        c = 'i';
        if (write(fd, &c, 1) != 1)
            _exit(6);
        for (;;)
            pause();
    }
    apsco_store_commit(s, &err);
    apsco_store_close(s);
    _exit(0);
}

/* Forks the importer, waits for `signals` bytes from it, sleeps `delay_ms`, kills it. */
static void kill_importer(const fixture *f, int hold, int signals, int delay_ms)
{
    int fds[2];
    assert_int_equal(pipe(fds), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        close(fds[0]);
        child_import(f, fds[1], hold);
    }
    close(fds[1]);
    char c;
    for (int i = 0; i < signals; i++)
        assert_int_equal(read(fds[0], &c, 1), 1);
    struct timespec ts = {delay_ms / 1000, (long)(delay_ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
    kill(pid, SIGKILL);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    close(fds[0]);
}

static void test_kill_9_before_commit_leaves_the_database_as_before(void **state)
{
    fixture *f = *state;
    counts before = check_and_count(f->path);
    assert_int_equal(before.elsets, 14710);
    /* Every row of the import is written, the commit never comes. */
    kill_importer(f, 1, 2, 0);
    counts after = check_and_count(f->path);
    assert_memory_equal(&before, &after, sizeof before);
}

static void test_kill_9_at_any_moment_of_an_import_leaves_old_or_new_state(void **state)
{
    fixture *f = *state;
    counts before = check_and_count(f->path);
    static const int delays_ms[] = {0, 5, 20, 60, 150};
    for (size_t i = 0; i < sizeof delays_ms / sizeof delays_ms[0]; i++) {
        counts old = check_and_count(f->path);
        kill_importer(f, 0, 1, delays_ms[i]);
        counts now = check_and_count(f->path);
        int unchanged = !memcmp(&old, &now, sizeof old);
        int committed = now.elsets == before.elsets + 30000 && now.imports == before.imports + 1;
        if (!unchanged && !committed)
            fail_msg("after a kill at %d ms: %lld element sets, %lld imports (before %lld, %lld)",
                     delays_ms[i], now.elsets, now.imports, old.elsets, old.imports);
    }
}

/* A reader's snapshot is whole: the element sets match the import log's totals. */
static void test_readers_see_old_or_new_state_while_imports_commit(void **state)
{
    fixture *f = *state;
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        apsco_store *s;
        apsco_error err;
        if (apsco_store_open(f->path, 0, &s, &err) != APSCO_OK)
            _exit(2);
        /* Three imports of 30 000 new objects each. */
        for (int round = 0; round < 3; round++) {
            for (size_t i = 0; i < f->big.count; i++)
                f->big.items[i].norad += 30000;
            if (apsco_store_import_catalog(s, &f->big, "round", NULL, &err) != APSCO_OK)
                _exit(3);
        }
        apsco_store_close(s);
        _exit(0);
    }
    apsco_store *r;
    apsco_error err;
    assert_int_equal(apsco_store_open(f->path, APSCO_STORE_READONLY, &r, &err), APSCO_OK);
    long long seen[4] = {0};
    int reads = 0, status = 0;
    for (;;) {
        int done = waitpid(pid, &status, WNOHANG) == pid;
        long long elsets = scalar(r, "SELECT COUNT(*) FROM elsets");
        long long consistent = scalar(r, "SELECT (SELECT COUNT(*) FROM elsets) ="
                                         " (SELECT SUM(added) FROM imports)");
        assert_int_equal(consistent, 1);
        assert_true(elsets >= 14710 && (elsets - 14710) % 30000 == 0 && elsets <= 14710 + 90000);
        seen[(elsets - 14710) / 30000] = 1;
        reads++;
        if (done)
            break;
    }
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_int_equal(seen[3], 1);
    assert_true(reads > 3);
    apsco_store_close(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_kill_9_before_commit_leaves_the_database_as_before,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_kill_9_at_any_moment_of_an_import_leaves_old_or_new_state, setup, teardown),
        cmocka_unit_test_setup_teardown(test_readers_see_old_or_new_state_while_imports_commit,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
