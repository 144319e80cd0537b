/*
 * omm_test.h — helpers shared by the OMM tests (include after cmocka.h):
 * parsing a text in a given format while recording every diagnostic with
 * its file, line and status.
 */
#ifndef APSCO_OMM_TEST_H
#define APSCO_OMM_TEST_H

#include <stdio.h>
#include <string.h>

#include "apsco/elements.h"

#define DIAG_MAX 64

typedef struct diag_entry {
    apsco_severity severity;
    apsco_status status;
    long line;
    char file[256];
    char message[512];
} diag_entry;

typedef struct diag_log {
    int count;
    diag_entry items[DIAG_MAX];
} diag_log;

static inline void record_diag(void *ctx, apsco_severity severity, const apsco_error *diag)
{
    diag_log *log = ctx;
    if (log->count < DIAG_MAX) {
        diag_entry *d = &log->items[log->count];
        d->severity = severity;
        d->status = diag->status;
        d->line = diag->line;
        snprintf(d->file, sizeof d->file, "%s", diag->file);
        snprintf(d->message, sizeof d->message, "%s", diag->message);
    }
    log->count++;
}

/* Parses `len` bytes of `text` as `format` (leniently unless `strict`), recording diagnostics. */
static inline apsco_status parse_text(apsco_elset_format format, int strict, const char *text,
                                      size_t len, const char *source, apsco_catalog *cat,
                                      diag_log *log, apsco_error *err)
{
    apsco_parse_options o = {format, strict, record_diag, log};
    memset(log, 0, sizeof *log);
    apsco_error_clear(err);
    return apsco_catalog_parse(text, len, source, &o, cat, err);
}

/* Fails unless diagnostic `i` is at `file`:`line` with `status` and `fragment` in its message. */
static inline void assert_diag(const diag_log *log, int i, const char *file, long line,
                               apsco_status status, const char *fragment)
{
    if (i >= log->count)
        fail_msg("expected diagnostic %d at %s:%ld (%s), got %d diagnostics", i, file, line,
                 fragment, log->count);
    const diag_entry *d = &log->items[i];
    if (strcmp(d->file, file) != 0 || d->line != line || d->status != status ||
        !strstr(d->message, fragment))
        fail_msg("diagnostic %d is %s:%ld [%s] '%s'; expected %s:%ld [%s] containing '%s'", i,
                 d->file, d->line, apsco_status_name(d->status), d->message, file, line,
                 apsco_status_name(status), fragment);
}

#endif
