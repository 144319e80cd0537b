/*
 * sgp4_oracle.h — reader of the python-sgp4 oracle files in tests/data/sgp4
 * (format described in tests/data/sgp4/make_oracles.py), shared by the SGP4
 * tests. Include after cmocka.h and testutil.h.
 */
#ifndef APSCO_SGP4_ORACLE_H
#define APSCO_SGP4_ORACLE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"

#define ORACLE_MAX_STATES 512

/* One propagation of the oracle: 'T' by minutes since epoch, 'J' by a two-part date. */
typedef struct oracle_state {
    char kind;
    double tsince_min;
    apsco_time t;
    int code;
    double r_km[3], v_km_s[3];
} oracle_state;

/* One satellite block. */
typedef struct oracle_sat {
    apsco_gravity gravity;
    apsco_opsmode opsmode;
    char line1[128], line2[128];
    int init_code;
    size_t count;
    oracle_state states[ORACLE_MAX_STATES];
} oracle_sat;

typedef struct oracle_file {
    FILE *f;
    apsco_gravity gravity;
    apsco_opsmode opsmode;
    char pending[512]; /* a line read ahead, "" if none */
    long line_no;
} oracle_file;

static inline void oracle_open(oracle_file *o, const char *name)
{
    memset(o, 0, sizeof *o);
    o->f = fopen(test_data_path(name), "r");
    if (!o->f)
        fail_msg("cannot open %s", test_data_path(name));
}

static inline void oracle_close(oracle_file *o)
{
    if (o->f)
        fclose(o->f);
    o->f = NULL;
}

/* Next meaningful line (comments skipped, newline removed), or NULL at the end. */
static inline const char *oracle_line(oracle_file *o)
{
    if (o->pending[0])
        return o->pending;
    while (fgets(o->pending, sizeof o->pending, o->f)) {
        o->line_no++;
        o->pending[strcspn(o->pending, "\r\n")] = '\0';
        if (o->pending[0] && o->pending[0] != '#')
            return o->pending;
    }
    o->pending[0] = '\0';
    return NULL;
}

static inline void oracle_take(oracle_file *o)
{
    o->pending[0] = '\0';
}

static inline void oracle_set_model(oracle_file *o, const char *line)
{
    char grav[16], mode = 'i';
    if (sscanf(line, "M %15s %c", grav, &mode) != 2)
        fail_msg("oracle line %ld: bad model line '%s'", o->line_no, line);
    o->gravity = strcmp(grav, "wgs84") == 0      ? APSCO_WGS84
                 : strcmp(grav, "wgs72old") == 0 ? APSCO_WGS72OLD
                                                 : APSCO_WGS72;
    o->opsmode = mode == 'a' ? APSCO_OPSMODE_AFSPC : APSCO_OPSMODE_IMPROVED;
}

/* Parses a 'T' or 'J' line into `st`. */
static inline void oracle_parse_state(const oracle_file *o, const char *line, oracle_state *st)
{
    char *end;
    const char *p = line + 1;
    memset(st, 0, sizeof *st);
    st->kind = line[0];
    if (st->kind == 'T') {
        st->tsince_min = strtod(p, &end);
    } else {
        st->t.jd = strtod(p, &end);
        p = end;
        st->t.fr = strtod(p, &end);
    }
    p = end;
    st->code = (int)strtol(p, &end, 10);
    if (end == p)
        fail_msg("oracle line %ld: no error code in '%s'", o->line_no, line);
    if (st->code != 0)
        return;
    double *out[6] = {&st->r_km[0],   &st->r_km[1],   &st->r_km[2],
                      &st->v_km_s[0], &st->v_km_s[1], &st->v_km_s[2]};
    for (int i = 0; i < 6; i++) {
        p = end;
        *out[i] = strtod(p, &end);
        if (end == p)
            fail_msg("oracle line %ld: missing value in '%s'", o->line_no, line);
    }
}

/* Reads the next satellite block into `s`; returns 0 at the end of the file. */
static inline int oracle_next(oracle_file *o, oracle_sat *s)
{
    const char *line;
    while ((line = oracle_line(o)) && line[0] == 'M') {
        oracle_set_model(o, line);
        oracle_take(o);
    }
    if (!line)
        return 0;
    memset(s, 0, sizeof *s);
    s->gravity = o->gravity;
    s->opsmode = o->opsmode;
    if (line[0] != '1')
        fail_msg("oracle line %ld: expected TLE line 1, got '%s'", o->line_no, line);
    snprintf(s->line1, sizeof s->line1, "%.127s", line);
    oracle_take(o);
    line = oracle_line(o);
    if (!line || line[0] != '2')
        fail_msg("oracle line %ld: expected TLE line 2", o->line_no);
    snprintf(s->line2, sizeof s->line2, "%.127s", line);
    oracle_take(o);
    line = oracle_line(o);
    if (!line || sscanf(line, "I %d", &s->init_code) != 1)
        fail_msg("oracle line %ld: expected the initialisation code", o->line_no);
    oracle_take(o);
    while ((line = oracle_line(o)) && (line[0] == 'T' || line[0] == 'J')) {
        if (s->count == ORACLE_MAX_STATES)
            fail_msg("oracle line %ld: too many states for one satellite", o->line_no);
        oracle_parse_state(o, line, &s->states[s->count++]);
        oracle_take(o);
    }
    return 1;
}

/* Parses the block's element set with the project's parser and initialises `sat`. */
static inline void oracle_init(const oracle_sat *s, apsco_elset *e, apsco_sat *sat)
{
    apsco_error err;
    if (apsco_elset_parse_tle(s->line1, s->line2, NULL, "oracle", 0, NULL, e, &err) != APSCO_OK)
        fail_msg("cannot parse '%s': %s", s->line1, err.message);
    apsco_status st = apsco_sat_init(sat, e, s->gravity, s->opsmode, &err);
    if (st != APSCO_OK && st != APSCO_ERR_SGP4)
        fail_msg("apsco_sat_init failed on '%s': %s", s->line1, err.message);
}

/* Largest deviations seen, for the report printed by each test. */
typedef struct deviation {
    double r_km, v_km_s;
    char where_r[128], where_v[128];
    long states, errors;
} deviation;

static inline void deviation_add(deviation *d, long norad, double t, const double r[3],
                                 const double v[3], const double r_ref[3], const double v_ref[3])
{
    for (int i = 0; i < 3; i++) {
        double dr = fabs(r[i] - r_ref[i]), dv = fabs(v[i] - v_ref[i]);
        if (!(dr <= d->r_km)) {
            d->r_km = dr;
            snprintf(d->where_r, sizeof d->where_r, "%ld at %.8f min", norad, t);
        }
        if (!(dv <= d->v_km_s)) {
            d->v_km_s = dv;
            snprintf(d->where_v, sizeof d->where_v, "%ld at %.8f min", norad, t);
        }
    }
    d->states++;
}

static inline void deviation_print(const char *what, const deviation *d)
{
    printf("# %s: %ld states, %ld error codes; max |dr| %.3g km (%s), max |dv| %.3g km/s (%s)\n",
           what, d->states, d->errors, d->r_km, d->where_r, d->v_km_s, d->where_v);
}

#endif
