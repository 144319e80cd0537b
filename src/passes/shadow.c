/*
 * shadow.c — sunlight during a pass: the Sun over the search window, the
 * fraction of the solar disc the satellite sees averaged over the pass
 * (conical umbra and penumbra, apsco_sunlit_fraction), and whether some
 * sunlit instant of the pass has a dark sky at the site.
 *
 * Not for finding passes (search.c).
 */
#include <math.h>
#include <stdlib.h>

#include "passes/internal.h"

/* Step through the penumbra and its surroundings, seconds. */
#define SHADOW_STEP_S 1.0
/* Largest spacing of the Sun elevations tested along a sunlit stretch, seconds. */
#define SUN_ELEVATION_STEP_S 600.0

apsco_status pass_sun_table_build(pass_sun_table *table, apsco_time start, double window_s,
                                  const apsco_eop *eop)
{
    /* One entry before the start and two past the end, so that every instant has two neighbours. */
    size_t count = (size_t)ceil(window_s / SUN_TABLE_STEP_S) + 3;
    table->r = malloc(3 * count * sizeof *table->r);
    if (!table->r)
        return APSCO_ERR_NOMEM;
    table->count = count;
    for (size_t j = 0; j < count; j++) {
        apsco_time t = apsco_time_add_s(start, ((double)j - 1.0) * SUN_TABLE_STEP_S);
        double sun_teme[3];
        apsco_sun_teme(t, sun_teme);
        apsco_teme_to_itrf(t, eop, sun_teme, NULL, table->r + 3 * j, NULL);
    }
    return APSCO_OK;
}

void pass_sun_table_free(pass_sun_table *table)
{
    free(table->r);
    table->r = NULL;
    table->count = 0;
}

/*
 * Linear interpolation between entries one minute apart: the Sun turns
 * 0.25° a minute in ITRF, so the chord departs from the arc by at most
 * θ² / 8 = 2.4e-6 rad (0.00014°).
 */
void pass_sun_at(const pass_sun_table *table, double t_s, double r_km[3])
{
    double x = t_s / SUN_TABLE_STEP_S + 1.0;
    double jf = floor(x);
    size_t j = jf < 0.0 ? 0 : (size_t)jf;
    if (j > table->count - 2)
        j = table->count - 2;
    double f = x - (double)j;
    const double *a = table->r + 3 * j, *b = a + 3;
    for (int i = 0; i < 3; i++)
        r_km[i] = a[i] + f * (b[i] - a[i]);
}

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
static void shadow_bounds(const double r[3], const double sun[3], double *lit, double *dark)
{
    const double k = 0.0048, radius = APSCO_EARTH_SHADOW_KM;
    double sn = sqrt(sun[0] * sun[0] + sun[1] * sun[1] + sun[2] * sun[2]);
    double x = -(r[0] * sun[0] + r[1] * sun[1] + r[2] * sun[2]) / sn;
    double r2 = r[0] * r[0] + r[1] * r[1] + r[2] * r[2];
    double rho = sqrt(fmax(0.0, r2 - x * x));
    double outside_cone = (rho - k * fmax(x, 0.0) - radius - 5.0) / (1.0 + k);
    *lit = fmax(-40.0 - x, outside_cone);
    *dark = fmin(x - 40.0, (radius - 5.0 - k * x - rho) / (1.0 + k));
}

/* True when the Sun is below the dark-sky elevation at the pass's site at t. */
static int sky_dark(const pass_search_ctx *ctx, const pass_site_geom *s, double t)
{
    double sun[3];
    pass_sun_at(ctx->sun, t, sun);
    const double *o = s->site->obs.r_itrf_km;
    double d[3] = {sun[0] - o[0], sun[1] - o[1], sun[2] - o[2]};
    double dn = sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
    return (d[0] * s->up[0] + d[1] * s->up[1] + d[2] * s->up[2]) / dn < ctx->sun_below_sin;
}

/* Whether the sky is dark at some instant of the sunlit stretch [a, b] (sampled, see below). */
static int dark_during(const pass_search_ctx *ctx, const pass_site_geom *s, double a, double b)
{
    size_t n = (size_t)ceil((b - a) / SUN_ELEVATION_STEP_S);
    for (size_t i = 0; i <= n; i++) {
        double t = i == n ? b : a + (double)i * (b - a) / (double)(n ? n : 1);
        if (sky_dark(ctx, s, t))
            return 1;
    }
    return 0;
}

/*
 * Walks [aos, los]: where a distance bound proves the satellite wholly lit
 * or wholly in the umbra it leaps ahead by that distance over the fastest
 * speed relative to the shadow; elsewhere it steps SHADOW_STEP_S at a time
 * with the visible disc fraction at mid-step. Consecutive lit steps form
 * stretches; the sky is tested at both ends of each stretch and every
 * SUN_ELEVATION_STEP_S inside it (the Sun's elevation has at most one
 * extremum in ten minutes, so only a stretch whose deepest darkness lies
 * strictly inside within 0.03° of the limit can be misjudged).
 */
void pass_shadow(const pass_search_ctx *ctx, const pass_track *track, apsco_pass *pass)
{
    const pass_site_geom *s = &ctx->sites[pass->site];
    double aos = pass->aos_s, los = pass->los_s, span = los - aos;
    double speed = track->speed_max_km_s, lit_time = 0.0, stretch = -1.0;
    int visible = 0;
    double r[3], v[3], sun[3];
    if (!(span > 0.0)) {
        pass_track_eval(track, aos, r, v, NULL);
        pass_sun_at(ctx->sun, aos, sun);
        double f = apsco_sunlit_fraction(r, sun);
        pass->sunlit_fraction = f;
        pass->visible = f > 0.0 && sky_dark(ctx, s, aos);
        return;
    }
    for (double t = aos; t < los;) {
        pass_track_eval(track, t, r, v, NULL);
        pass_sun_at(ctx->sun, t, sun);
        double lit, dark, step, f;
        shadow_bounds(r, sun, &lit, &dark);
        if (lit / speed >= SHADOW_STEP_S) {
            step = fmin(lit / speed, los - t);
            f = 1.0;
        } else if (dark / speed >= SHADOW_STEP_S) {
            step = fmin(dark / speed, los - t);
            f = 0.0;
        } else {
            step = fmin(SHADOW_STEP_S, los - t);
            pass_track_eval(track, t + 0.5 * step, r, v, NULL);
            pass_sun_at(ctx->sun, t + 0.5 * step, sun);
            f = apsco_sunlit_fraction(r, sun);
        }
        lit_time += f * step;
        if (f > 0.0 && stretch < 0.0)
            stretch = t;
        if (f <= 0.0 && stretch >= 0.0) {
            visible = visible || dark_during(ctx, s, stretch, t);
            stretch = -1.0;
        }
        t += step;
    }
    if (stretch >= 0.0)
        visible = visible || dark_during(ctx, s, stretch, los);
    pass->sunlit_fraction = fmin(1.0, lit_time / span);
    pass->visible = visible;
}
