/*
 * states.c — the composition of the organization: which states are members
 * (and so hold an entitlement), signatories or observers, the table built
 * into apsco for use without a registry, and the entitlements file.
 *
 * The registry (the store) owns the real composition; it fills an
 * apsco_plan_states from its rows and hands it to the planner. This table is
 * the default when there is no store, and what the tests pin.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/csv.h"
#include "plan/internal.h"
#include "text/text.h"

const char *apsco_membership_name(apsco_membership membership)
{
    switch (membership) {
    case APSCO_MEMBER: return "member";
    case APSCO_SIGNATORY: return "signatory";
    case APSCO_OBSERVER: return "observer";
    }
    return "unknown";
}

void apsco_plan_states_builtin(apsco_plan_states *out)
{
    static const struct {
        const char *code;
        apsco_membership membership;
    } table[] = {
        {"BD", APSCO_MEMBER},   {"CN", APSCO_MEMBER},    {"IR", APSCO_MEMBER},
        {"MN", APSCO_MEMBER},   {"PK", APSCO_MEMBER},    {"PE", APSCO_MEMBER},
        {"TH", APSCO_MEMBER},   {"ID", APSCO_SIGNATORY}, {"TR", APSCO_SIGNATORY},
        {"AR", APSCO_OBSERVER}, {"MY", APSCO_OBSERVER},  {"PH", APSCO_OBSERVER},
        {"RU", APSCO_OBSERVER}, {"LK", APSCO_OBSERVER},
    };
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        apsco_plan_state *s = &out->items[out->count++];
        memcpy(s->code, table[i].code, 3);
        s->membership = table[i].membership;
        s->entitlement = table[i].membership == APSCO_MEMBER ? 1.0 : 0.0;
    }
}

const apsco_plan_state *apsco_plan_states_find(const apsco_plan_states *states, const char *code)
{
    for (size_t i = 0; i < states->count; i++)
        if (!strcmp(states->items[i].code, code))
            return &states->items[i];
    return NULL;
}

/* Non-zero when the header line names the two columns of an entitlements file. */
static int is_header(char **f, size_t n)
{
    return n == 2 && !strcmp(f[0], "state") &&
           (!strcmp(f[1], "entitlement") || !strcmp(f[1], "weight"));
}

/* Parses one "STATE,WEIGHT" line into `out`; `seen` marks states already given. */
static apsco_status entitlement_line(char **f, size_t n, const char *source, long line,
                                     apsco_plan_states *out, unsigned char *seen, apsco_error *err)
{
    if (n != 2)
        return apsco_error_set(err, APSCO_ERR_PARSE, source, line,
                               "expected 2 fields (state,entitlement), found %zu", n);
    apsco_plan_state *s = NULL;
    for (size_t i = 0; i < out->count; i++)
        if (!strcmp(out->items[i].code, f[0]))
            s = &out->items[i];
    if (!s)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "'%s' is not a state of the organization", f[0]);
    if (s->membership != APSCO_MEMBER)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "%s is %s %s: only member states hold an entitlement", s->code,
                               s->membership == APSCO_OBSERVER ? "an" : "a",
                               apsco_membership_name(s->membership));
    size_t k = (size_t)(s - out->items);
    if (seen[k])
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line, "%s is given twice", s->code);
    char *end;
    errno = 0;
    double w = text_strtod(f[1], &end);
    if (end == f[1] || *end != '\0' || errno == ERANGE || !isfinite(w) || w < 0)
        return apsco_error_set(err, APSCO_ERR_VALUE, source, line,
                               "entitlement '%s' is not a number >= 0", f[1]);
    seen[k] = 1;
    s->entitlement = w;
    return APSCO_OK;
}

/* Reads the records of an entitlements file into `out`, a header allowed first. */
static apsco_status read_records(apsco_csv *r, apsco_plan_states *out, apsco_error *err)
{
    unsigned char seen[APSCO_PLAN_STATES_MAX] = {0};
    int got, records = 0;
    apsco_status st;
    while ((st = apsco_csv_next(r, &got, err)) == APSCO_OK && got) {
        if (records++ == 0 && is_header(r->field, r->count))
            continue;
        st = entitlement_line(r->field, r->count, r->source, r->record_line, out, seen, err);
        if (st != APSCO_OK)
            return st;
    }
    return st;
}

apsco_status apsco_plan_entitlements_parse(const char *text, size_t len, const char *source,
                                           apsco_plan_states *states, apsco_error *err)
{
    if (!text || !states)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no text or no states");
    apsco_csv r;
    apsco_status st = apsco_csv_open(&r, text, len, source, err);
    if (st != APSCO_OK)
        return st;
    apsco_plan_states *out = malloc(sizeof *out);
    if (!out) {
        apsco_csv_close(&r);
        return apsco_error_set(err, APSCO_ERR_NOMEM, source, 0, "out of memory");
    }
    *out = *states;
    for (size_t i = 0; i < out->count; i++)
        if (out->items[i].membership == APSCO_MEMBER)
            out->items[i].entitlement = 0;
    st = read_records(&r, out, err);
    double total = 0;
    for (size_t i = 0; i < out->count; i++)
        if (out->items[i].membership == APSCO_MEMBER)
            total += out->items[i].entitlement;
    /* Blame the last record: the file as a whole gives no member a share. */
    if (st == APSCO_OK && !(total > 0))
        st = apsco_error_set(err, APSCO_ERR_EMPTY, r.source, r.record_line,
                             "no member state has a positive entitlement");
    if (st == APSCO_OK)
        *states = *out;
    free(out);
    apsco_csv_close(&r);
    return st;
}

apsco_status apsco_plan_entitlements_load(const char *path, apsco_plan_states *states,
                                          apsco_error *err)
{
    char *text;
    size_t len;
    apsco_status st = text_read_file(path, PLAN_FILE_MAX, "an entitlements file", &text, &len, err);
    if (st != APSCO_OK)
        return st;
    st = apsco_plan_entitlements_parse(text, len, path, states, err);
    free(text);
    return st;
}
