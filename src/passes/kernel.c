/*
 * kernel.c — which compilation of the per-satellite work a search runs:
 * the plain x86-64 one (track.c, search.c, shadow.c) or fma.c's copy with
 * AVX2 and fused multiply-adds, on processors that have both. The two
 * round differently in the last bits (a fused operation rounds once), so
 * their pass times agree to a few microseconds, not bit for bit; the
 * tests compare them.
 *
 * Not for the search itself (passes.c runs the chosen one).
 */
#include "passes/internal.h"

/* fma.c's copies of the four entry points (internal.h's, with the suffix _fma). */
apsco_status pass_track_from_states_fma(pass_track *track, const apsco_sat *sat, double step_s,
                                        size_t count, double window_s, const double *states,
                                        const uint8_t *codes, const apsco_earth_rotation *rot);
apsco_status pass_search_sat_fma(const pass_search_ctx *ctx, const pass_track *track,
                                 size_t sat_index, pass_vec *out);
apsco_status pass_light_build_fma(pass_light *light, const pass_search_ctx *ctx,
                                  const pass_track *track, const apsco_pass *passes, size_t count);
void pass_light_apply_fma(const pass_light *light, const pass_search_ctx *ctx,
                          const pass_track *track, apsco_pass *pass);

static const pass_kernel plain_kernel = {pass_track_from_states, pass_search_sat, pass_light_build,
                                         pass_light_apply};
static const pass_kernel fma_kernel = {pass_track_from_states_fma, pass_search_sat_fma,
                                       pass_light_build_fma, pass_light_apply_fma};

const pass_kernel *pass_kernel_pick(int plain)
{
    if (plain)
        return &plain_kernel;
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return &fma_kernel;
    return &plain_kernel;
}
