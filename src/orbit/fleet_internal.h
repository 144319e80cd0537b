/*
 * fleet_internal.h — what the batch engine (fleet.c) shares with its vector
 * kernels (fleet_avx512.c, fleet_avx2.c): the structure-of-arrays copy of
 * the satellite records and the description of one block of work.
 *
 * Lanes are the slots of the SoA arrays. They are grouped by the branches
 * of the model (near-Earth, deep-space without resonance, one-day and
 * half-day resonance) so that a vector of lanes always takes one path; each
 * group starts on a multiple of FLEET_LANE_ALIGN and is padded with copies
 * of one of its records whose output is discarded (fleet_soa.index < 0).
 */
#ifndef APSCO_FLEET_INTERNAL_H
#define APSCO_FLEET_INTERNAL_H

#include <math.h>
#include <stddef.h>

#include "apsco/fleet.h"

/* Lanes of a kernel vector (both kernels): every group is a whole number of vectors. */
#define FLEET_LANE_ALIGN 8

/*
 * Where the vector kernels hand a lane to the scalar path (orbit_sgp4):
 * states that are no Earth orbit any more (faster than
 * FLEET_MAX_SPEED_KM_S, escape speed at the surface being 11.2 km/s, or
 * further than FLEET_MAX_RADIUS_KM and than FLEET_APOGEE_MARGIN times the
 * satellite's apogee at epoch), Kepler iterations that did not converge,
 * and mean longitudes beyond FLEET_MAX_ANGLE_RAD (years of propagation,
 * where one ulp of the angle is a millimetre). There the model amplifies
 * the last bits of its operands (relative errors of 1e-12 where 1e-15 is
 * the rule: a record whose drag polynomial has blown up, say), and only
 * the scalar operations themselves reproduce the scalar result to 1 mm.
 * The high-apogee science orbits (apogees of 100 000 to 150 000 km) stay
 * in the vectors: their states are orbits like the others.
 */
#define FLEET_MAX_SPEED_KM_S 12.0
#define FLEET_MAX_RADIUS_KM  1.0e5
#define FLEET_APOGEE_MARGIN  1.25
#define FLEET_MAX_ANGLE_RAD  1.0e5

/* The model branch of a group of lanes. */
typedef enum fleet_group {
    FLEET_NEAR = 0,  /* SGP4 */
    FLEET_DEEP,      /* SDP4 without resonance */
    FLEET_DEEP_DAY,  /* SDP4, one-day (geosynchronous) resonance */
    FLEET_DEEP_HALF, /* SDP4, half-day (Molniya) resonance */
    FLEET_GROUP_COUNT
} fleet_group;

/*
 * The record fields the kernels read, one array of doubles each, copied
 * from the apsco_sat fields of the same names; FLEET_FIELDS adds the ones
 * formed from other fields.
 */
/* clang-format off */
#define FLEET_SAT_FIELDS(X) \
    X(mo) X(mdot) X(argpo) X(argpdot) X(nodeo) X(nodedot) X(nodecf) X(cc1) X(bstar_cc4) \
    X(t2cof) X(omgcof) X(eta) X(xmcof) X(delmo) X(d2) X(d3) X(d4) X(bstar_cc5) X(sinmao) \
    X(t3cof) X(t4cof) X(t5cof) X(no_unkozai) X(ecco) X(inclo) X(ao) X(xke) X(sinio) X(cosio) \
    X(aycof) X(xlcof) X(con41) X(x1mth2) X(x7thm1) X(j2) X(j3oj2) X(radiusearthkm) \
    X(vkmpersec) X(gsto) X(dedt) X(didt) X(domdt) X(dnodt) X(dmdt) X(zmos) X(zmol) X(se2) \
    X(se3) X(si2) X(si3) X(sl2) X(sl3) X(sl4) X(sgh2) X(sgh3) X(sgh4) X(sh2) X(sh3) X(ee2) \
    X(e3) X(xi2) X(xi3) X(xl2) X(xl3) X(xl4) X(xgh2) X(xgh3) X(xgh4) X(xh2) X(xh3) X(xlamo) \
    X(xfact) X(del1) X(del2) X(del3) X(d2201) X(d2211) X(d3210) X(d3222) X(d4410) X(d4422) \
    X(d5220) X(d5232) X(d5421) X(d5433)
#define FLEET_FIELDS(X) \
    X(epoch_jd) X(epoch_fr) X(simple) X(afspc) X(max_radius2_km2) X(rt_ao) FLEET_SAT_FIELDS(X)
/* clang-format on */

/*
 * The SoA arrays, `lanes` long each, 64-byte aligned. `simple` is 1.0 for
 * the reference's isimp records, `afspc` 1.0 in AFSPC mode,
 * `max_radius2_km2` the square of the radius beyond which the lane's
 * states go to the scalar path (see FLEET_MAX_RADIUS_KM), `rt_ao` the
 * square root of ao. index[lane] is
 * the satellite's index in the fleet, or -1 for a padding lane.
 */
typedef struct fleet_soa {
#define FLEET_DECLARE(name) double *name;
    FLEET_FIELDS(FLEET_DECLARE)
#undef FLEET_DECLARE
    long *index;
    const apsco_sat *sats; /* the fleet's records, by index */
    size_t lanes;
    size_t group_begin[FLEET_GROUP_COUNT + 1]; /* group g is lanes [begin[g], begin[g+1]) */
} fleet_soa;

/*
 * The resonance integrator of every lane ([STR3] DEEP, see
 * deep_space.c), carried from instant to instant and block to block:
 * the state xli, xni at atime (atime 0: start from the epoch), and the
 * rates xndt, xldot, xnddt formed from the state at rates_atime (NaN: not
 * yet). The integrator steps from the epoch in fixed 720 min steps, so the
 * state at a given atime is always the same numbers, and so are its rates:
 * they are formed again only when atime moves, once per 720 min of
 * instants rather than at every instant.
 */
typedef struct fleet_resonance {
    double *atime, *xli, *xni;
    double *rates_atime, *xndt, *xldot, *xnddt;
} fleet_resonance;

/*
 * One block of instants for the kernels. For GRID and LIST instants `utc`
 * holds them (and `rot` their Earth rotations when the output is ITRF,
 * else NULL); for TSINCE `tsince_min` holds the minutes from each epoch.
 */
typedef struct fleet_block {
    const fleet_soa *soa;
    size_t instants;
    const apsco_time *utc;
    const double *tsince_min;
    const apsco_earth_rotation *rot;
    const apsco_fleet_buffer *buf;
    fleet_resonance res;
} fleet_block;

/*
 * Propagates the vector of lanes starting at `lane` (a multiple of the
 * kernel's width, inside group `group`) to every instant of the block and
 * writes the states and codes of its non-padding lanes into blk->buf.
 */
void fleet_kernel_avx512(const fleet_block *blk, fleet_group group, size_t lane);
void fleet_kernel_avx2(const fleet_block *blk, fleet_group group, size_t lane);

/*
 * Writes the state of satellite `index` at block instant `k` with its code
 * into the buffer, rotated to ITRF when blk->rot is set. States of codes
 * 1-5 and 7 become NaN, as apsco_sgp4 leaves them.
 */
static inline void fleet_store(const fleet_block *blk, long index, size_t k, int code,
                               const double r_km[3], const double v_km_s[3])
{
    const apsco_fleet_buffer *b = blk->buf;
    double s[6] = {r_km[0], r_km[1], r_km[2], v_km_s[0], v_km_s[1], v_km_s[2]};
    if (code != APSCO_SGP4_OK && code != APSCO_SGP4_DECAYED) {
        for (int c = 0; c < 6; c++)
            s[c] = NAN;
    } else if (blk->rot) {
        apsco_earth_rotation_teme_to_itrf(&blk->rot[k], s, s + 3, s, s + 3);
    }
    double *out = b->state + (ptrdiff_t)index * b->sat_stride + (ptrdiff_t)k * b->instant_stride;
    for (int c = 0; c < 6; c++)
        out[c * b->component_stride] = s[c];
    if (b->code)
        b->code[(ptrdiff_t)index * b->code_sat_stride + (ptrdiff_t)k * b->code_instant_stride] =
            (uint8_t)code;
}

#endif
