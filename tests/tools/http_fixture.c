/*
 * http_fixture.c — a small HTTP server on the loopback interface for the
 * tests of `apsco catalog fetch`: it serves the files of a folder and the
 * failures a download must survive, and never touches the network.
 *
 * Usage: http_fixture DIR
 *   Listens on 127.0.0.1 at a free port, prints the port on stdout, and
 *   serves until it receives SIGTERM or SIGINT:
 *     /files/NAME   the file DIR/NAME (404 if missing)
 *     /status/CODE  an empty-ish response with that HTTP status
 *     /partial      announces 5000 bytes, sends 100 and drops the connection
 *     /slow         waits 5 s before answering
 *     /empty        200 with no body
 *     /big          2 MiB of text
 */
#include <arpa/inet.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <microhttpd.h>

static const char *root;
static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
    (void)sig;
    stopping = 1;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned status, struct MHD_Response *r)
{
    enum MHD_Result ok = MHD_queue_response(c, status, r);
    MHD_destroy_response(r);
    return ok;
}

static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    return reply(c, status, r);
}

/* Sends 100 bytes of the 5000 announced, then ends the connection with an error. */
static ssize_t partial_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    if (pos >= 100)
        return MHD_CONTENT_READER_END_WITH_ERROR;
    size_t n = 100 - (size_t)pos < max ? 100 - (size_t)pos : max;
    memset(buf, '#', n);
    return (ssize_t)n;
}

static ssize_t slow_body(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)cls;
    for (int i = 0; i < 50 && !stopping; i++)
        usleep(100000);
    if (pos > 0 || max < 2)
        return MHD_CONTENT_READER_END_OF_STREAM;
    memcpy(buf, "[]", 2);
    return 2;
}

static enum MHD_Result serve_file(struct MHD_Connection *c, const char *name)
{
    if (strstr(name, "..") || strchr(name, '/'))
        return reply_text(c, 403, "forbidden\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        return reply_text(c, 404, "not found\n");
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *data = malloc(size > 0 ? (size_t)size : 1);
    size_t got = data ? fread(data, 1, (size_t)size, f) : 0;
    fclose(f);
    if (!data || got != (size_t)size) {
        free(data);
        return reply_text(c, 500, "read error\n");
    }
    struct MHD_Response *r = MHD_create_response_from_buffer(got, data, MHD_RESPMEM_MUST_FREE);
    return reply(c, 200, r);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **state)
{
    (void)cls, (void)method, (void)version, (void)upload, (void)upload_size, (void)state;
    if (!strncmp(url, "/files/", 7))
        return serve_file(c, url + 7);
    if (!strncmp(url, "/status/", 8))
        return reply_text(c, (unsigned)atoi(url + 8), "status\n");
    if (!strcmp(url, "/partial"))
        return reply(c, 200,
                     MHD_create_response_from_callback(5000, 1024, partial_body, NULL, NULL));
    if (!strcmp(url, "/slow"))
        return reply(
            c, 200,
            MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 1024, slow_body, NULL, NULL));
    if (!strcmp(url, "/empty"))
        return reply_text(c, 200, "");
    if (!strcmp(url, "/big")) {
        size_t n = 2u << 20;
        char *data = malloc(n);
        if (!data)
            return reply_text(c, 500, "no memory\n");
        memset(data, '#', n);
        return reply(c, 200, MHD_create_response_from_buffer(n, data, MHD_RESPMEM_MUST_FREE));
    }
    return reply_text(c, 404, "not found\n");
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: http_fixture DIR\n");
        return 2;
    }
    root = argv[1];
    struct sockaddr_in addr;
    memset(&addr, 0, sizeof addr);
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    struct MHD_Daemon *d = MHD_start_daemon(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION, 0, NULL, NULL, handle,
        NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr, MHD_OPTION_END);
    if (!d) {
        fprintf(stderr, "http_fixture: cannot listen on 127.0.0.1\n");
        return 1;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    printf("%u\n", (unsigned)info->port);
    fflush(stdout);
    while (!stopping)
        pause();
    MHD_stop_daemon(d);
    return 0;
}
