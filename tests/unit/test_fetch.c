/*
 * Tests of downloads against a loopback HTTP server (tests/tools/http_fixture):
 * a whole body arrives intact, and HTTP errors, timeouts, truncated, empty and
 * oversized bodies are reported and return nothing.
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
#include <unistd.h>

#include <cmocka.h>

#include "apsco/fetch.h"
#include "testutil.h"

typedef struct server {
    pid_t pid;
    unsigned port;
} server;

static int start(void **state)
{
    /* The server is on this machine: no proxy may stand in between. */
    static const char *const proxies[] = {"http_proxy",  "HTTP_PROXY", "https_proxy",
                                          "HTTPS_PROXY", "all_proxy",  "ALL_PROXY"};
    for (size_t i = 0; i < sizeof proxies / sizeof proxies[0]; i++)
        unsetenv(proxies[i]);
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    server *s = calloc(1, sizeof *s);
    s->pid = fork();
    if (s->pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        execl(APSCO_HTTP_FIXTURE, APSCO_HTTP_FIXTURE, test_data_path("fetch"), (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char buf[32] = "";
    ssize_t n = read(fds[0], buf, sizeof buf - 1);
    close(fds[0]);
    if (n <= 0)
        return -1;
    s->port = (unsigned)atoi(buf);
    *state = s;
    return apsco_fetch_global_init(NULL) == APSCO_OK ? 0 : -1;
}

static int stop(void **state)
{
    server *s = *state;
    kill(s->pid, SIGTERM);
    waitpid(s->pid, NULL, 0);
    free(s);
    return 0;
}

static const char *url(const server *s, const char *path)
{
    static char buf[256];
    snprintf(buf, sizeof buf, "http://127.0.0.1:%u%s", s->port, path);
    return buf;
}

static void test_fetch_returns_the_whole_body(void **state)
{
    server *s = *state;
    char *body;
    size_t len;
    apsco_error err;
    assert_int_equal(apsco_fetch_url(url(s, "/files/three.json"), NULL, &body, &len, &err),
                     APSCO_OK);
    FILE *f = fopen(test_data_path("fetch/three.json"), "rb");
    assert_non_null(f);
    char expect[8192];
    size_t n = fread(expect, 1, sizeof expect, f);
    fclose(f);
    assert_int_equal(len, n);
    assert_memory_equal(body, expect, n);
    assert_int_equal(body[len], '\0');
    free(body);
}

static void expect_failure(const server *s, const char *path, apsco_fetch_options *o,
                           apsco_status status, const char *word)
{
    char *body = (char *)1;
    size_t len = 7;
    apsco_error err;
    apsco_status st = apsco_fetch_url(url(s, path), o, &body, &len, &err);
    if (st != status || !strstr(err.message, word))
        fail_msg("%s: got %s '%s', expected %s with '%s'", path, apsco_status_name(st), err.message,
                 apsco_status_name(status), word);
    assert_null(body);
    assert_int_equal(len, 0);
    assert_non_null(strstr(err.file, path));
}

static void test_fetch_reports_http_errors(void **state)
{
    server *s = *state;
    expect_failure(s, "/files/nothing.json", NULL, APSCO_ERR_IO, "HTTP status 404");
    expect_failure(s, "/status/503", NULL, APSCO_ERR_IO, "HTTP status 503");
}

static void test_fetch_reports_a_truncated_body(void **state)
{
    server *s = *state;
    expect_failure(s, "/partial", NULL, APSCO_ERR_IO, "ended early");
}

static void test_fetch_gives_up_after_its_timeout(void **state)
{
    server *s = *state;
    apsco_fetch_options o = {.timeout_s = 1};
    expect_failure(s, "/slow", &o, APSCO_ERR_IO, "timed out");
}

static void test_fetch_refuses_empty_and_oversized_bodies(void **state)
{
    server *s = *state;
    expect_failure(s, "/empty", NULL, APSCO_ERR_IO, "empty");
    apsco_fetch_options o = {.max_bytes = 1u << 20};
    expect_failure(s, "/big", &o, APSCO_ERR_LIMIT, "larger than");
}

static void test_fetch_reports_a_refused_connection(void **state)
{
    (void)state;
    char *body;
    size_t len;
    apsco_error err;
    /* Port 1 on the loopback interface has no listener. */
    assert_int_equal(apsco_fetch_url("http://127.0.0.1:1/x", NULL, &body, &len, &err),
                     APSCO_ERR_IO);
    assert_null(body);
}

static void test_celestrak_url_names_the_group_in_json(void **state)
{
    (void)state;
    char buf[256];
    apsco_error err;
    assert_int_equal(apsco_fetch_celestrak_url("active", buf, sizeof buf, &err), APSCO_OK);
    assert_non_null(strstr(buf, "GROUP=active&FORMAT=json"));
    assert_int_equal(apsco_fetch_celestrak_url("a&b", buf, sizeof buf, &err), APSCO_ERR_ARG);
    assert_int_equal(apsco_fetch_celestrak_url("", buf, sizeof buf, &err), APSCO_ERR_ARG);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fetch_returns_the_whole_body),
        cmocka_unit_test(test_fetch_reports_http_errors),
        cmocka_unit_test(test_fetch_reports_a_truncated_body),
        cmocka_unit_test(test_fetch_gives_up_after_its_timeout),
        cmocka_unit_test(test_fetch_refuses_empty_and_oversized_bodies),
        cmocka_unit_test(test_fetch_reports_a_refused_connection),
        cmocka_unit_test(test_celestrak_url_names_the_group_in_json),
    };
    return cmocka_run_group_tests(tests, start, stop);
}
