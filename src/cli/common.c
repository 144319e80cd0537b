/*
 * common.c — argument parsing and file handling that several subcommands
 * share: times, numbers, catalog-number lists, catalog loading with
 * diagnostics, and outputs that are never left half-written.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"

int cli_parse_time(const char *cmd, const char *opt, const char *text, apsco_time *out)
{
    apsco_error err;
    if (apsco_time_parse_iso(text, out, &err) != APSCO_OK) {
        cli_usage_error(cmd, "%s: %s", opt, err.message);
        return 0;
    }
    return 1;
}

int cli_parse_number(const char *cmd, const char *opt, const char *text, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(text, &end);
    if (end == text || *end != '\0' || errno == ERANGE || !isfinite(v)) {
        cli_usage_error(cmd, "%s: '%s' is not a number", opt, text);
        return 0;
    }
    *out = v;
    return 1;
}

int cli_parse_ids(const char *cmd, const char *text, long **ids, size_t *count)
{
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == ',';
    long *list = calloc(cap, sizeof *list);
    if (!list) {
        cli_message("out of memory");
        return 0;
    }
    size_t n = 0;
    const char *p = text;
    for (;;) {
        size_t len = strcspn(p, ",");
        char item[16];
        long id;
        snprintf(item, sizeof item, "%.*s", (int)(len < 15 ? len : 15), p);
        if (len > 15 || apsco_norad_parse(item, &id) != APSCO_OK) {
            cli_usage_error(cmd, "--sat: '%.*s' is not a catalog number", (int)len, p);
            free(list);
            return 0;
        }
        list[n++] = id;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    *ids = list;
    *count = n;
    return 1;
}

int cli_load_catalog(const char *path, int strict, apsco_catalog *catalog)
{
    apsco_parse_options options = {APSCO_FORMAT_AUTO, strict, cli_print_diag, NULL};
    apsco_error err;
    if (apsco_catalog_load(path, &options, catalog, &err) != APSCO_OK) {
        cli_print_error(&err);
        return CLI_EXIT_DATA;
    }
    return CLI_EXIT_OK;
}

int cli_output_open(cli_output *out, const char *path)
{
    memset(out, 0, sizeof *out);
    if (!path || !strcmp(path, "-")) {
        out->f = stdout;
        return 1;
    }
    snprintf(out->path, sizeof out->path, "%s", path);
    snprintf(out->tmp, sizeof out->tmp, "%s.tmp.%ld", path, (long)getpid());
    out->f = fopen(out->tmp, "wb");
    if (!out->f) {
        cli_message("%s: cannot write: %s", path, strerror(errno));
        return 0;
    }
    return 1;
}

int cli_output_close(cli_output *out, int ok)
{
    if (!out->f)
        return 0;
    int write_ok = fflush(out->f) == 0 && !ferror(out->f);
    if (out->f == stdout) {
        out->f = NULL;
        if (!write_ok)
            cli_message("error writing to standard output: %s", strerror(errno));
        return write_ok;
    }
    write_ok = (fclose(out->f) == 0) && write_ok;
    out->f = NULL;
    if (ok && write_ok && rename(out->tmp, out->path) == 0)
        return 1;
    if (ok)
        cli_message("%s: cannot write: %s", out->path, strerror(errno));
    remove(out->tmp);
    return 0;
}

int cli_parse_count(const char *cmd, const char *opt, const char *text, int lo, int hi, int *out)
{
    double v;
    if (!cli_parse_number(cmd, opt, text, &v))
        return 0;
    if (!(v >= lo && v <= hi && v == floor(v))) {
        cli_usage_error(cmd, "%s must be a whole number from %d to %d (got '%s')", opt, lo, hi,
                        text);
        return 0;
    }
    *out = (int)v;
    return 1;
}

/* Keeps the entries of `cat` named in `ids`, in catalog order; reports the numbers it lacks. */
static int keep_listed(apsco_catalog *cat, const long *ids, size_t n_ids, const char *source)
{
    int missing = 0;
    for (size_t i = 0; i < n_ids; i++) {
        size_t j = 0;
        while (j < cat->count && cat->items[j].norad != ids[i])
            j++;
        if (j == cat->count) {
            cli_message("%s: no element set for catalog number %ld", source, ids[i]);
            missing = 1;
        }
    }
    size_t kept = 0;
    for (size_t j = 0; j < cat->count; j++) {
        size_t i = 0;
        while (i < n_ids && ids[i] != cat->items[j].norad)
            i++;
        if (i < n_ids)
            cat->items[kept++] = cat->items[j];
    }
    cat->count = kept;
    return missing ? CLI_EXIT_DATA : CLI_EXIT_OK;
}

int cli_load_sats(const char *cmd, const char *path, int strict, const cli_selection *sel,
                  const char *sat_list, apsco_catalog *cat)
{
    long *ids = NULL;
    size_t n_ids = 0;
    if (sat_list && !cli_parse_ids(cmd, sat_list, &ids, &n_ids))
        return CLI_EXIT_USAGE;
    int rc;
    if (!path)
        rc = cli_select_catalog(sel, ids, n_ids, cat);
    else if ((rc = cli_load_catalog(path, strict, cat)) == CLI_EXIT_OK && sat_list)
        rc = keep_listed(cat, ids, n_ids, path);
    free(ids);
    return rc;
}

int cli_option_error(const char *cmd, int c, char *const *argv)
{
    if (c == ':')
        return cli_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    return cli_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int cli_parse_choice(const char *cmd, const char *opt, const char *text, const char *const *names,
                     int *out)
{
    for (int i = 0; names[i]; i++) {
        if (!strcmp(text, names[i])) {
            *out = i;
            return 1;
        }
    }
    cli_usage_error(cmd, "%s: unknown value '%s'", opt, text);
    return 0;
}
