/*
 * fuzz_elements.h — what every element-set harness does with an
 * input: parse it as the given format (APSCO_FORMAT_AUTO to detect it),
 * once leniently with a diagnostic callback and once strictly, and check
 * the invariants of apsco_catalog_parse on the way.
 */
#ifndef APSCO_FUZZ_ELEMENTS_H
#define APSCO_FUZZ_ELEMENTS_H

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"

/* An upper bound of the line numbers in the input (expat also counts a lone CR as a line end). */
static long fuzz_max_line(const char *text, size_t size)
{
    long lines = 1;
    for (size_t i = 0; i < size; i++)
        lines += text[i] == '\n' || text[i] == '\r';
    return lines;
}

/* Reads every field of a diagnostic, so that the sanitizers see a bad string or location. */
static void fuzz_diag(void *ctx, apsco_severity severity, const apsco_error *diag)
{
    const long *max_line = ctx;
    if (strlen(diag->message) == 0 || strcmp(diag->file, "fuzz") != 0 || diag->line < 0 ||
        diag->line > *max_line || (severity != APSCO_WARNING && severity != APSCO_SKIPPED))
        abort();
}

/* Aborts unless every element set satisfies what parsing promises. */
static void fuzz_check_catalog(const apsco_catalog *cat, long max_line)
{
    for (size_t i = 0; i < cat->count; i++) {
        const apsco_elset *e = &cat->items[i];
        if (!(e->ecc >= 0.0 && e->ecc < 1.0) || !(e->mean_motion_rad_min > 0.0) ||
            !(e->incl_rad >= 0.0 && e->incl_rad <= M_PI + 1e-15) || e->norad < 0 ||
            e->norad > 339999 || !isfinite(e->epoch.jd) || !isfinite(e->epoch.fr) ||
            !isfinite(e->bstar_per_er) || !isfinite(e->nddot_rad_min3) ||
            memchr(e->name, '\0', sizeof e->name) == NULL ||
            memchr(e->intldes, '\0', sizeof e->intldes) == NULL || e->source_line < 1 ||
            e->source_line > max_line)
            abort();
    }
}

static void fuzz_parse_both_ways(const uint8_t *data, size_t size, apsco_elset_format format)
{
    /* A copy without a terminating NUL, so that reading past the end is caught. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return;
    memcpy(text, data, size);
    for (int strict = 0; strict < 2; strict++) {
        long max_line = fuzz_max_line(text, size);
        apsco_parse_options o = {format, strict, strict ? NULL : fuzz_diag, &max_line};
        apsco_catalog cat = {0};
        apsco_error err;
        apsco_status st = apsco_catalog_parse(text, size, "fuzz", &o, &cat, &err);
        if (st != APSCO_OK && cat.count != 0)
            abort(); /* nothing is half-added on error */
        if (st == APSCO_OK && cat.count == 0)
            abort(); /* success means at least one element set */
        if (st != APSCO_OK &&
            (err.status != st || memchr(err.message, '\0', sizeof err.message) == NULL))
            abort();
        if (st != APSCO_OK && err.line > max_line)
            abort();
        fuzz_check_catalog(&cat, max_line);
        apsco_catalog_free(&cat);
    }
    free(text);
}

#endif
