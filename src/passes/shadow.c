/*
 * shadow.c — sunlight during passes: the Sun over the search window, the
 * dark-sky intervals of each site, one satellite's sunlight over the
 * stretches of its track that its passes cover (conical umbra and
 * penumbra, apsco_sunlit_fraction), and from these, for each pass, the
 * fraction of the solar disc the satellite sees averaged over the pass and
 * whether some sunlit instant of it has a dark sky at the site.
 *
 * Sunlight is computed once per satellite, not once per pass: the passes
 * of one satellite over many sites overlap in time, and a geostationary
 * satellite's one pass per site spans the whole window.
 *
 * Not for finding passes (search.c).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "passes/internal.h"

/*
 * Steps through the penumbra and its surroundings: at least SHADOW_STEP_S
 * seconds, and PENUMBRA_STEPS across the penumbra at the fastest speed.
 * The penumbra spans an angle of two apparent solar radii (at most 0.0095
 * rad) seen from the satellite, at the distance of the Earth's limb,
 * √(r² − R²): 25 km in low orbit (a step of 2 s), 400 km at geostationary
 * height (a step of 12 s). The trapezoidal rule over such steps leaves a
 * small part of a second of lit time per crossing.
 */
#define SHADOW_STEP_S     2.0
#define PENUMBRA_SPAN_RAD 0.0095
#define PENUMBRA_STEPS    10.0
/* Width of the slots that mark which stretches of a track passes cover, seconds. */
#define COVER_SLOT_S 60.0

apsco_status pass_sun_table_build(pass_sun_table *table, apsco_time start, double window_s,
                                  const apsco_eop *eop)
{
    /* One entry before the start and two past the end, so that every instant has two neighbours. */
    size_t count = (size_t)ceil(window_s / SUN_TABLE_STEP_S) + 3;
    table->r = malloc(3 * count * sizeof *table->r);
    table->unit = malloc(3 * count * sizeof *table->unit);
    if (!table->r || !table->unit) {
        pass_sun_table_free(table);
        return APSCO_ERR_NOMEM;
    }
    table->count = count;
    for (size_t j = 0; j < count; j++) {
        apsco_time t = apsco_time_add_s(start, ((double)j - 1.0) * SUN_TABLE_STEP_S);
        double sun_teme[3], *r = table->r + 3 * j;
        apsco_sun_teme(t, sun_teme);
        apsco_teme_to_itrf(t, eop, sun_teme, NULL, r, NULL);
        double n = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
        for (int i = 0; i < 3; i++)
            table->unit[3 * j + i] = r[i] / n;
    }
    return APSCO_OK;
}

void pass_sun_table_free(pass_sun_table *table)
{
    free(table->r);
    free(table->unit);
    table->r = NULL;
    table->unit = NULL;
    table->count = 0;
}

/*
 * Linear interpolation between entries one minute apart: the Sun turns
 * 0.25° a minute in ITRF, so the chord departs from the arc by at most
 * θ² / 8 = 2.4e-6 rad (0.00014°).
 */
/* Linear interpolation in `entries` (3 per entry) at t_s. */
static void sun_lerp(const pass_sun_table *table, const double *entries, double t_s, double out[3])
{
    double x = t_s * (1.0 / SUN_TABLE_STEP_S) + 1.0;
    size_t j = x > 0.0 ? (size_t)x : 0;
    if (j > table->count - 2)
        j = table->count - 2;
    double f = x - (double)j;
    const double *a = entries + 3 * j, *b = a + 3;
    for (int i = 0; i < 3; i++)
        out[i] = a[i] + f * (b[i] - a[i]);
}

void pass_sun_at(const pass_sun_table *table, double t_s, double r_km[3])
{
    sun_lerp(table, table->r, t_s, r_km);
}

/* The chord between unit vectors 0.25° apart falls short of the sphere by θ² / 8 at most. */
void pass_sun_dir_at(const pass_sun_table *table, double t_s, double u[3])
{
    sun_lerp(table, table->unit, t_s, u);
}

/* ------------------------------------------------------------------------ */
/* Dark sky at a site                                                       */
/* ------------------------------------------------------------------------ */

/* Sine of the Sun's elevation at the site from the table entry j, minus the dark-sky sine. */
static double sun_above_dark(const pass_sun_table *table, const pass_site_geom *s, size_t j,
                             double below_sin)
{
    const double *sun = table->r + 3 * j, *o = s->site->obs.r_itrf_km;
    double d[3] = {sun[0] - o[0], sun[1] - o[1], sun[2] - o[2]};
    double dn = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    return (d[0] * s->up[0] + d[1] * s->up[1] + d[2] * s->up[2]) / dn - below_sin;
}

static apsco_status dark_push(pass_site_geom *s, size_t *capacity, double t0, double t1)
{
    if (s->dark_count == *capacity) {
        size_t cap = *capacity ? 2 * *capacity : 16;
        double *p = realloc(s->dark, 2 * cap * sizeof *p);
        if (!p)
            return APSCO_ERR_NOMEM;
        s->dark = p;
        *capacity = cap;
    }
    s->dark[2 * s->dark_count] = t0;
    s->dark[2 * s->dark_count + 1] = t1;
    s->dark_count++;
    return APSCO_OK;
}

/*
 * The intervals where the Sun is below the dark-sky elevation, from the
 * Sun table: the sine of the elevation minus the limit at the entries, a
 * sign change between two entries located by linear interpolation. The
 * Sun's elevation turns at most 0.25° a minute and has at most one
 * extremum in a minute, so the crossing time is off by far less than a
 * second, and only a dip below the limit (or a rise above it) shorter than
 * a minute, within 0.001° of the limit at its extremum, can be missed.
 */
apsco_status pass_site_dark_build(pass_site_geom *s, const pass_sun_table *table, double below_sin)
{
    size_t capacity = 0;
    s->dark = NULL;
    s->dark_count = 0;
    double prev = sun_above_dark(table, s, 0, below_sin), start = -SUN_TABLE_STEP_S;
    int dark = prev < 0.0;
    for (size_t j = 1; j < table->count; j++) {
        double cur = sun_above_dark(table, s, j, below_sin);
        double t_prev = ((double)j - 2.0) * SUN_TABLE_STEP_S;
        double t_cross = t_prev + SUN_TABLE_STEP_S * prev / (prev - cur);
        if (!dark && cur < 0.0) {
            start = t_cross;
            dark = 1;
        } else if (dark && cur >= 0.0) {
            if (dark_push(s, &capacity, start, t_cross) != APSCO_OK)
                return APSCO_ERR_NOMEM;
            dark = 0;
        }
        prev = cur;
    }
    if (dark)
        return dark_push(s, &capacity, start, ((double)table->count - 2.0) * SUN_TABLE_STEP_S);
    return APSCO_OK;
}

void pass_site_dark_free(pass_site_geom *s)
{
    free(s->dark);
    s->dark = NULL;
    s->dark_count = 0;
}

/* The first dark-sky interval of the site that ends at or after t (dark_count when none). */
static size_t dark_from(const pass_site_geom *s, double t)
{
    /* Intervals are sorted and disjoint. */
    size_t lo = 0, hi = s->dark_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (s->dark[2 * mid + 1] < t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* ------------------------------------------------------------------------ */
/* One satellite's sunlight                                                 */
/* ------------------------------------------------------------------------ */

/*
 * Where the satellite stands with respect to the shadow, as two distance
 * bounds (km), in the frame of the anti-Sun axis: x the depth behind the
 * plane through the geocentre normal to the Sun, ρ the distance from the
 * axis, R the shadow radius of apsco_sunlit_fraction.
 *
 * The penumbra cone touches the Earth at x = −R sin α (α = (R_sun + R) /
 * d_sun ≤ 0.0048 rad at the Sun's least distance, 1.47e8 km, so −31 km),
 * is R / cos α wide at x = 0 (70 m more than R) and widens at tan α: it lies
 * inside S' = {x >= −40 km, ρ <= R + 5 km + k max(x, 0)}, k = 0.0048. The
 * umbra cone, narrowing at (R_sun − R) / d_sun < k from its tangent points
 * at x = +31 km, holds U' = {x >= 40 km, ρ <= R − 5 km − k x}. Since
 * ρ − k max(x, 0) changes by at most 1 + k per km moved, `lit` > 0 is a
 * distance the satellite must travel before it can enter S' (it is fully
 * sunlit until then) and `dark` > 0 one it must travel before it can leave
 * U' (it sees no Sun until then).
 */
/* The larger and the smaller of two finite numbers, without a call into libm. */
static double max2(double a, double b)
{
    return a > b ? a : b;
}

static double min2(double a, double b)
{
    return a < b ? a : b;
}

/*
 * Bound on the acceleration relative to the Sun's direction, km/s²: the
 * gravity at the Earth's surface (μ / R², 0.00980) raised 3 % for J2, the
 * Moon's and the Sun's pulls and the turning of the Sun's direction (a
 * Coriolis term of 2e-7 rad/s times the speed); no satellite is nearer.
 */
#define ACCEL_BOUND_KM_S2 0.0101

/* How long f stays positive from f0 > 0 with rate fd and f'' >= −m: the positive root of f0 + fd t
 * − m t² / 2. */
static double positive_for(double f0, double fd, double m)
{
    /* (fd + √D) / m, written without the cancellation of fd < 0 (Press et al. sec. 5.6). */
    return 2.0 * f0 / (sqrt(fd * fd + 2.0 * m * f0) - fd);
}

/*
 * How long the satellite stays in the umbra term's region U' (see
 * shadow_bounds), at least t_lin (distance over speed): the longest of the
 * horizon, 4 t_lin and 2 t_lin at which both terms of dark, bounded from
 * below, are still positive. With the axis â = −ŝ, p⊥ = r − x â and v⊥ =
 * v − ẋ â (in the frame turning with the Sun), ρ(t) <= |p⊥ + v⊥ t| + ε t +
 * a_max t² / 2 and x(t) lies within ẋ t ± (ε t + a_max t² / 2) of x; both
 * bounds on x − 40 and R − 5 − k x − ρ are concave in t, so positive at t
 * they are positive all the way to it.
 */
static double umbra_for(const double r[3], const double vs[3], const double dir[3], double inv_n,
                        double x, double xd, double slack, double t_lin, double horizon_s)
{
    const double k = 0.0048, radius = APSCO_EARTH_SHADOW_KM, a_max = ACCEL_BOUND_KM_S2;
    double px[3], vx[3];
    for (int i = 0; i < 3; i++) {
        px[i] = r[i] + x * dir[i] * inv_n;
        vx[i] = vs[i] + xd * dir[i] * inv_n;
    }
    double tries[3] = {horizon_s, 4.0 * t_lin, 2.0 * t_lin};
    for (int i = 0; i < 3; i++) {
        double t = tries[i];
        if (!(t > t_lin))
            continue;
        double drift = slack * t + 0.5 * a_max * t * t;
        double q[3] = {px[0] + vx[0] * t, px[1] + vx[1] * t, px[2] + vx[2] * t};
        double rho = sqrt(q[0] * q[0] + q[1] * q[1] + q[2] * q[2]) + drift;
        double xt = x + xd * t;
        if (xt - drift - 40.0 > 0.0 && radius - 5.0 - k * (xt + drift) - rho > 0.0)
            return t;
    }
    return t_lin;
}

/*
 * The bounds from the position r and the Sun's direction `dir` of
 * pass_sun_dir_at, whose length (1 − 2.4e-6 at worst) is corrected to
 * first order, 1/|u| ≈ (3 − u·u) / 2, leaving 1e-11: no square root and no
 * division but the one for ρ.
 *
 * With the velocity v (ITRF) and the speed bound, *lit_s is how long the
 * satellite stays wholly sunlit (0 when it is not now): the longest of
 * lit / speed and the times for which a second-order bound keeps either
 * term of lit positive. In the frame that turns with the Sun the velocity
 * is v + Ω ẑ × r, to within SUN_TURN_BOUND_RAD_S r (the Sun's own motion,
 * polar motion), and the acceleration is below ACCEL_BOUND_KM_S2. There,
 * x'' >= −a_max, and ρ, the distance from a fixed line, is convex, so ρ''
 * >= −a_max too; the cone term's k max(x, 0) grows at most k at the
 * fastest speed. Far from the shadow, where the satellite does not head
 * straight for it, this leaps several times further than distance over
 * speed, which closes in on the shadow's edge in a geometric series.
 */
static void shadow_bounds(const double r[3], const double v[3], const double dir[3], double speed,
                          double horizon_s, double *lit_s, double *dark_s)
{
    const double k = 0.0048, radius = APSCO_EARTH_SHADOW_KM, inv_1k = 1.0 / (1.0 + k);
    const double w = APSCO_EARTH_ROTATION_RAD_S, a_max = ACCEL_BOUND_KM_S2;
    double inv_n = 1.5 - 0.5 * (dir[0] * dir[0] + dir[1] * dir[1] + dir[2] * dir[2]);
    double x = -(r[0] * dir[0] + r[1] * dir[1] + r[2] * dir[2]) * inv_n;
    double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    double rho = sqrt(max2(0.0, r2 - x * x));
    double outside_cone = (rho - k * max2(x, 0.0) - radius - 5.0) * inv_1k;
    double lit = max2(-40.0 - x, outside_cone);
    double dark = min2(x - 40.0, (radius - 5.0 - k * x - rho) * inv_1k);
    *lit_s = *dark_s = 0.0;
    if (!(lit > 0.0) && !(dark > 0.0))
        return;
    double vs[3] = {v[0] - w * r[1], v[1] + w * r[0], v[2]};
    double slack = SUN_TURN_BOUND_RAD_S * sqrt(r2);
    double xd = -(vs[0] * dir[0] + vs[1] * dir[1] + vs[2] * dir[2]) * inv_n;
    if (dark > 0.0) {
        *dark_s = umbra_for(r, vs, dir, inv_n, x, xd, slack, dark / speed, horizon_s);
        return;
    }
    double t = lit / speed;
    if (-40.0 - x > 0.0)
        t = max2(t, positive_for(-40.0 - x, -xd - slack, a_max));
    if (outside_cone > 0.0) {
        double rhod = (r[0] * vs[0] + r[1] * vs[1] + r[2] * vs[2] - x * xd) / rho;
        t = max2(t,
                 positive_for(outside_cone, (rhod - slack - k * speed) * inv_1k, a_max * inv_1k));
    }
    *lit_s = t;
}

void pass_light_free(pass_light *light)
{
    free(light->t);
    free(light->f);
    free(light->cum);
    free(light->sampled);
    free(light->ends);
    free(light->slots);
    memset(light, 0, sizeof *light);
}

static apsco_status light_reserve(pass_light *light, size_t segments)
{
    if (segments + 1 <= light->capacity)
        return APSCO_OK;
    size_t cap = light->capacity ? 2 * light->capacity : 256;
    while (cap < segments + 1)
        cap *= 2;
    /* Doubles per entry of each array (ends: two per segment). */
    double **arrays[] = {&light->t, &light->f, &light->cum, &light->ends};
    const size_t per_entry[] = {1, 1, 1, 2};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
        double *p = realloc(*arrays[i], per_entry[i] * cap * sizeof **arrays[i]);
        if (!p)
            return APSCO_ERR_NOMEM;
        *arrays[i] = p;
    }
    unsigned char *sampled = realloc(light->sampled, cap);
    if (!sampled)
        return APSCO_ERR_NOMEM;
    light->sampled = sampled;
    light->capacity = cap;
    return APSCO_OK;
}

/*
 * Appends the segment [t0, t1) of fraction f, `sampled` when f is the
 * mean fraction of its ends rather than proven for all of it: a proven one is
 * merged into the last one when it continues it with the same fraction; a
 * gap segment (fraction 0, never inside a pass) goes first when it does not
 * start where the last one ends.
 */
static apsco_status light_push(pass_light *light, double t0, double t1, double f, int sampled,
                               double f0, double f1)
{
    size_t n = light->count;
    if (n > 0 && !sampled && !light->sampled[n - 1] && light->t[n] == t0 && light->f[n - 1] == f) {
        light->t[n] = t1;
        return APSCO_OK;
    }
    if (light_reserve(light, n + 2) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    if (n > 0 && light->t[n] != t0) {
        light->f[n] = 0.0;
        light->sampled[n] = 0;
        n++;
    }
    light->t[n] = t0;
    light->f[n] = f;
    light->sampled[n] = (unsigned char)sampled;
    light->ends[2 * n] = f0;
    light->ends[2 * n + 1] = f1;
    light->t[n + 1] = t1;
    light->count = n + 1;
    return APSCO_OK;
}

/*
 * apsco_sunlit_fraction, its two plain cases decided without trigonometry
 * (most of the steps near the shadow's edge are in one of them). With a,
 * b the apparent radii of the Sun and the Earth and c the separation of
 * their centres seen from r, the point is fully sunlit when c >= a + b and
 * in the umbra when c <= b − a (Montenbruck & Gill sec. 3.4.2). Cosine
 * decreases on [0, π], so these read cos c <= cos a cos b − sin a sin b
 * and (when b > a) cos c >= cos a cos b + sin a sin b, with sin a =
 * R_sun / |s − r|, sin b = R / |r| and cos c = −r·(s − r) / (|r| |s − r|).
 * Within 1e-9 of either limit, and for the other cases, the frames
 * module's function decides.
 */
static double sunlit_fraction(const double r[3], const double sun[3])
{
    double d[3] = {sun[0] - r[0], sun[1] - r[1], sun[2] - r[2]};
    double dn = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    double rn = sqrt(r[0] * r[0] + r[1] * r[1] + r[2] * r[2]);
    if (rn <= APSCO_EARTH_SHADOW_KM || dn <= APSCO_SUN_RADIUS_KM)
        return apsco_sunlit_fraction(r, sun);
    double sa = APSCO_SUN_RADIUS_KM / dn, sb = APSCO_EARTH_SHADOW_KM / rn;
    double ca = sqrt(1.0 - sa * sa), cb = sqrt(1.0 - sb * sb);
    double cc = -(r[0] * d[0] + r[1] * d[1] + r[2] * d[2]) / (rn * dn);
    if (cc <= ca * cb - sa * sb - 1e-9)
        return 1.0;
    if (sb > sa && cc >= ca * cb + sa * sb + 1e-9)
        return 0.0;
    return apsco_sunlit_fraction(r, sun);
}

/*
 * Walks [ta, tb]: where the bounds prove the satellite wholly lit or
 * wholly in the umbra it leaps ahead as far as they prove (shadow_bounds,
 * umbra_for); elsewhere it takes penumbra steps with the
 * mean of the visible disc fractions at both ends of the step
 * (the trapezoidal rule; the end of one step is where the next one's
 * bounds are taken, so each step costs one evaluation).
 */
static apsco_status light_walk(pass_light *light, const pass_search_ctx *ctx,
                               const pass_track *track, double ta, double tb)
{
    double speed = track->speed_max_km_s;
    double r[3], v[3], dir[3], sun[3], f_here = -1.0;
    pass_track_eval(track, ta, r, v, NULL);
    pass_sun_dir_at(ctx->sun, ta, dir);
    for (double t = ta; t < tb;) {
        double lit_s, dark_s, step, f;
        int sampled = 0;
        shadow_bounds(r, v, dir, speed, tb - t, &lit_s, &dark_s);
        if (lit_s >= SHADOW_STEP_S) {
            step = min2(lit_s, tb - t);
            f = 1.0;
        } else if (dark_s >= SHADOW_STEP_S) {
            step = min2(dark_s, tb - t);
            f = 0.0;
        } else {
            double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
            double limb_km = sqrt(max2(r2 - APSCO_EARTH_SHADOW_KM * APSCO_EARTH_SHADOW_KM, 0.0));
            step = max2(SHADOW_STEP_S, PENUMBRA_SPAN_RAD * limb_km / (PENUMBRA_STEPS * speed));
            step = min2(step, tb - t);
            if (f_here < 0.0) {
                pass_sun_at(ctx->sun, t, sun);
                f_here = sunlit_fraction(r, sun);
            }
            f = f_here;
            sampled = 1;
        }
        double next = step < tb - t ? t + step : tb;
        pass_track_eval(track, next, r, v, NULL);
        pass_sun_dir_at(ctx->sun, next, dir);
        double f0 = f;
        f_here = -1.0;
        if (sampled) {
            pass_sun_at(ctx->sun, next, sun);
            f_here = sunlit_fraction(r, sun);
            f = 0.5 * (f + f_here);
        }
        if (light_push(light, t, next, f, sampled, f0, sampled ? f_here : f) != APSCO_OK)
            return APSCO_ERR_NOMEM;
        t = next;
    }
    return APSCO_OK;
}

static apsco_status cover_slots(pass_light *light, size_t slots)
{
    if (slots <= light->slot_capacity) {
        memset(light->slots, 0, slots);
        return APSCO_OK;
    }
    free(light->slots);
    light->slots = calloc(slots, 1);
    light->slot_capacity = light->slots ? slots : 0;
    return light->slots ? APSCO_OK : APSCO_ERR_NOMEM;
}

apsco_status pass_light_build(pass_light *light, const pass_search_ctx *ctx,
                              const pass_track *track, const apsco_pass *passes, size_t count)
{
    light->count = 0;
    if (count == 0 || !(track->end_s > 0.0))
        return APSCO_OK;
    /* The COVER_SLOT_S slots that some pass overlaps, then the runs of such slots. */
    size_t slots = (size_t)floor(track->end_s / COVER_SLOT_S) + 1;
    if (cover_slots(light, slots) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    for (size_t i = 0; i < count; i++) {
        size_t a = (size_t)floor(fmax(passes[i].aos_s, 0.0) / COVER_SLOT_S);
        size_t b = (size_t)floor(passes[i].los_s / COVER_SLOT_S);
        if (b >= slots)
            b = slots - 1;
        if (a <= b)
            memset(light->slots + a, 1, b - a + 1);
    }
    for (size_t k = 0; k < slots;) {
        if (!light->slots[k]) {
            k++;
            continue;
        }
        size_t first = k;
        while (k < slots && light->slots[k])
            k++;
        double tb = fmin((double)k * COVER_SLOT_S, track->end_s);
        if (light_walk(light, ctx, track, (double)first * COVER_SLOT_S, tb) != APSCO_OK)
            return APSCO_ERR_NOMEM;
    }
    /* Lit seconds before each segment, for the integral over a pass. */
    if (light->count > 0) {
        light->cum[0] = 0.0;
        for (size_t k = 1; k <= light->count; k++)
            light->cum[k] = light->cum[k - 1] + light->f[k - 1] * (light->t[k] - light->t[k - 1]);
    }
    return APSCO_OK;
}

/* The segment holding t (the last one for t at or past its end). */
static size_t light_segment(const pass_light *light, double t)
{
    size_t lo = 0, hi = light->count;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (light->t[mid] <= t)
            lo = mid;
        else
            hi = mid;
    }
    return lo;
}

/* The visible fraction of the solar disc at t. */
static double fraction_at(const pass_search_ctx *ctx, const pass_track *track, double t)
{
    double r[3], sun[3];
    pass_track_position(track, t, r);
    pass_sun_at(ctx->sun, t, sun);
    return sunlit_fraction(r, sun);
}

/*
 * Whether the satellite sees some of the Sun at an instant of [a, b], a
 * part of segment k: throughout when the segment is proven sunlit, never
 * when it is proven dark. A penumbra step is a small part of the crossing,
 * over which the fraction changes monotonically: lit throughout when both
 * its ends are, nowhere when neither is, and otherwise lit over [a, b]
 * exactly when it is at the end of [a, b] on the side of the lit end.
 */
static int lit_within(const pass_light *light, const pass_search_ctx *ctx, const pass_track *track,
                      size_t k, double a, double b)
{
    if (!light->sampled[k])
        return light->f[k] > 0.0;
    int lit0 = light->ends[2 * k] > 0.0, lit1 = light->ends[2 * k + 1] > 0.0;
    if (lit0 == lit1)
        return lit0;
    double edge = lit0 ? a : b;
    if (edge == (lit0 ? light->t[k] : light->t[k + 1]))
        return 1;
    return fraction_at(ctx, track, edge) > 0.0;
}

/*
 * Whether some instant of [aos, los] (segments ka … kb) is sunlit with a
 * dark sky: the segments' parts inside the pass walked with the site's
 * dark-sky intervals, each overlap judged by lit_within.
 */
static int visible_within(const pass_light *light, const pass_search_ctx *ctx,
                          const pass_track *track, const pass_site_geom *s, size_t ka, size_t kb,
                          double aos, double los)
{
    const double *t = light->t;
    size_t i = dark_from(s, aos);
    for (size_t k = ka; k <= kb && i < s->dark_count; k++) {
        double pa = fmax(t[k], aos), pb = fmin(t[k + 1], los);
        if (k == kb)
            pb = los;
        if (!light->sampled[k] && !(light->f[k] > 0.0))
            continue;
        while (i < s->dark_count && s->dark[2 * i + 1] < pa)
            i++;
        for (size_t j = i; j < s->dark_count && s->dark[2 * j] <= pb; j++) {
            double oa = fmax(pa, s->dark[2 * j]), ob = fmin(pb, s->dark[2 * j + 1]);
            if (oa <= ob && lit_within(light, ctx, track, k, oa, ob))
                return 1;
        }
    }
    return 0;
}

/*
 * The sunlit fraction of [aos, los] is the integral of the segments'
 * fractions over it divided by its length. A sampled segment that the
 * pass cuts takes instead the fraction at the middle of its part inside
 * the pass. The pass is visible when some instant of it is sunlit with a
 * dark sky at its site (visible_within).
 */
void pass_light_apply(const pass_light *light, const pass_search_ctx *ctx, const pass_track *track,
                      apsco_pass *pass)
{
    double aos = pass->aos_s, los = pass->los_s, span = los - aos;
    const pass_site_geom *s = &ctx->sites[pass->site];
    if (!(span > 0.0) || light->count == 0) {
        double f = fraction_at(ctx, track, aos);
        pass->sunlit_fraction = f;
        size_t i = dark_from(s, aos);
        pass->visible = f > 0.0 && i < s->dark_count && s->dark[2 * i] <= aos;
        return;
    }
    size_t ka = light_segment(light, aos), kb = light_segment(light, los);
    const double *t = light->t;
    /* The fractions of the two cut segments. */
    double fa = light->f[ka], fb = light->f[kb];
    if (light->sampled[ka] && aos > t[ka])
        fa = fraction_at(ctx, track, 0.5 * (aos + fmin(t[ka + 1], los)));
    if (light->sampled[kb] && los < t[kb + 1] && (kb != ka || !(aos > t[ka])))
        fb = fraction_at(ctx, track, 0.5 * (fmax(t[kb], aos) + los));
    double lit;
    if (ka == kb)
        lit = (aos > t[ka] ? fa : fb) * span;
    else
        lit = fa * (t[ka + 1] - aos) + (light->cum[kb] - light->cum[ka + 1]) + fb * (los - t[kb]);
    pass->sunlit_fraction = fmin(1.0, fmax(0.0, lit / span));
    pass->visible = visible_within(light, ctx, track, s, ka, kb, aos, los);
}
