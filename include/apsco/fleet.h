/*
 * apsco/fleet.h — the batch propagation engine: many satellites at many
 * instants with SIMD lanes across satellites and threads across chunks.
 *
 * An apsco_fleet holds initialised satellites (apsco_sat, see orbit.h) in
 * structure-of-arrays layout, near-Earth and deep-space records in separate
 * lanes. apsco_fleet_propagate fills a caller buffer with the TEME (or ITRF)
 * states of every satellite at every instant of an apsco_times grid;
 * apsco_fleet_stream does the same block of instants by block, handing each
 * block to a callback, so that the memory used is that of one block.
 *
 * Results are those of the scalar path (apsco_sgp4) within 1 mm and 1 um/s,
 * with identical error codes, on every satellite and instant; only the last
 * bits differ (vector sine and cosine, fused multiply-adds, angle addition
 * formulas; see src/orbit/fleet_kernel.h). Over both bundled catalogs and
 * the verification set, ±30 days, the largest differences are below 0.2 mm
 * and 0.1 um/s (tests/unit/test_fleet.c prints them; the largest is at the
 * 480 000 km apogee of the verification set's 23333). States where the
 * model amplifies the last bits (no longer an Earth orbit, Kepler's
 * iteration not converged, years from epoch) are recomputed by the scalar
 * path itself. Use apsco_sgp4 when bit-for-bit reference output matters.
 *
 * Not for: one satellite at a few instants (call apsco_sgp4), frames other
 * than TEME and ITRF (convert the states with apsco/frames.h).
 *
 * Thread safety: a fleet is read-only after apsco_fleet_new; any number of
 * threads may propagate the same fleet at once. Each call runs its own
 * OpenMP team of `threads` threads, which hand out vectors of satellites
 * as work and wait for each other without spinning long, so that a machine
 * shared with other work is not slowed further.
 */
#ifndef APSCO_FLEET_H
#define APSCO_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "apsco/error.h"
#include "apsco/frames.h"
#include "apsco/orbit.h"
#include "apsco/time.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------ */
/* Fleets                                                                   */
/* ------------------------------------------------------------------------ */

/* An opaque set of initialised satellites, indexed 0..count-1 in the order given. */
typedef struct apsco_fleet apsco_fleet;

/*
 * Builds a fleet from `count` initialised records (apsco_sat_init). The
 * records are copied: `sats` may be freed afterwards. A record whose
 * init_error is set is kept at its index and reports that code at every
 * instant, as apsco_sgp4 does. count 0 is a valid, empty fleet.
 * Returns APSCO_OK and sets *fleet; APSCO_ERR_ARG for NULL pointers (sats
 * may be NULL when count is 0); APSCO_ERR_NOMEM.
 */
apsco_status apsco_fleet_new(apsco_fleet **fleet, const apsco_sat *sats, size_t count,
                             apsco_error *err);

/* Frees a fleet; NULL is allowed. */
void apsco_fleet_free(apsco_fleet *fleet);

/* Number of satellites. */
size_t apsco_fleet_count(const apsco_fleet *fleet);

/* The record at index `i` (< count), for the scalar path (e.g. refining a pass). */
const apsco_sat *apsco_fleet_sat(const apsco_fleet *fleet, size_t i);

/* Number of deep-space (SDP4) records among the satellites. */
size_t apsco_fleet_deep_space_count(const apsco_fleet *fleet);

/* ------------------------------------------------------------------------ */
/* Instants                                                                 */
/* ------------------------------------------------------------------------ */

typedef enum apsco_times_kind {
    APSCO_TIMES_GRID = 0, /* instant k = apsco_time_add_s(start, k * step_s) */
    APSCO_TIMES_LIST,     /* instant k = list[k] */
    APSCO_TIMES_TSINCE    /* each satellite's own epoch + tsince_start_min + k * tsince_step_min */
} apsco_times_kind;

/*
 * The instants to propagate to, k = 0 … count-1, all UTC. Build it with the
 * helpers below. Instants may come in any order (a list need not be sorted),
 * but increasing time is fastest for resonant deep-space orbits, whose
 * integrator is carried forward from one instant to the next.
 */
typedef struct apsco_times {
    apsco_times_kind kind;
    size_t count;
    apsco_time start;                         /* GRID: first instant */
    double step_s;                            /* GRID: step, seconds (any sign) */
    const apsco_time *list;                   /* LIST: count instants, owned by the caller */
    double tsince_start_min, tsince_step_min; /* TSINCE: minutes from each epoch */
} apsco_times;

apsco_times apsco_times_grid(apsco_time start, double step_s, size_t count);
apsco_times apsco_times_list(const apsco_time *list, size_t count);
apsco_times apsco_times_tsince(double start_min, double step_min, size_t count);

/*
 * Instant k of a GRID or LIST (for TSINCE: the instant of the satellite
 * `sat`, which may be NULL for the others). Same arithmetic as the engine.
 */
apsco_time apsco_times_at(const apsco_times *times, const apsco_sat *sat, size_t k);

/* ------------------------------------------------------------------------ */
/* Output buffers                                                           */
/* ------------------------------------------------------------------------ */

/*
 * Where the state of satellite i at instant k goes. Component c (0-2
 * position x, y, z in km; 3-5 velocity in km/s) is at
 *     state[i * sat_stride + k * instant_stride + c * component_stride]
 * and the error code (an apsco_sgp4_code, 0 when fine) at
 *     code[i * code_sat_stride + k * code_instant_stride]
 * Strides count elements (doubles for state, bytes for code). `code` may
 * be NULL when the caller does not want the codes. k counts from the first
 * instant of the buffer (of the block, when streaming).
 *
 * States follow apsco_sgp4: NaN for codes 1-5 and 7, the sub-surface state
 * for code 6 (decayed).
 */
typedef struct apsco_fleet_buffer {
    double *state;
    ptrdiff_t sat_stride, instant_stride, component_stride;
    uint8_t *code;
    ptrdiff_t code_sat_stride, code_instant_stride;
} apsco_fleet_buffer;

/* Layouts of contiguous buffers, for the consumers the engine knows of. */
typedef enum apsco_fleet_layout {
    /*
     * state[(i * instants + k) * 6 + c], code[i * instants + k]: each
     * satellite's states over time in a row (pass prediction; the .npy
     * array of shape (satellites, instants, 6)).
     */
    APSCO_LAYOUT_SAT_MAJOR = 0,
    /* state[(k * satellites + i) * 6 + c], code[k * satellites + i]: one snapshot per instant. */
    APSCO_LAYOUT_TIME_MAJOR,
    /*
     * state[(k * 6 + c) * satellites + i], code[k * satellites + i]: per
     * instant, x of all satellites, then y, z, vx, vy, vz (screening reads
     * one coordinate of every satellite as a contiguous array).
     */
    APSCO_LAYOUT_TIME_PLANES
} apsco_fleet_layout;

/*
 * Sets the strides of `buf` for `layout` over `satellites` × `instants`
 * (state and code pointers are left as they are). Returns APSCO_ERR_ARG
 * for an unknown layout.
 */
apsco_status apsco_fleet_buffer_layout(apsco_fleet_buffer *buf, apsco_fleet_layout layout,
                                       size_t satellites, size_t instants);

/* ------------------------------------------------------------------------ */
/* Propagation                                                              */
/* ------------------------------------------------------------------------ */

/* Which vector kernel to run; AUTO picks the widest the CPU supports. */
typedef enum apsco_fleet_kernel {
    APSCO_KERNEL_AUTO = 0,
    APSCO_KERNEL_SCALAR, /* apsco_sgp4 itself, one satellite at a time */
    APSCO_KERNEL_AVX2,   /* 4 lanes, needs AVX2 and FMA */
    APSCO_KERNEL_AVX512  /* 8 lanes, needs AVX-512 F and DQ */
} apsco_fleet_kernel;

typedef enum apsco_fleet_frame { APSCO_FLEET_TEME = 0, APSCO_FLEET_ITRF } apsco_fleet_frame;

/* Options of a propagation; zero-initialised means all cores, TEME, AUTO. */
typedef struct apsco_fleet_options {
    int threads;               /* OpenMP threads; 0 or less: all cores */
    apsco_fleet_frame frame;   /* TEME, or ITRF (GRID and LIST instants only) */
    const apsco_eop *eop;      /* ITRF: polar motion and UT1 (NULL: UT1 = UTC, none) */
    apsco_fleet_kernel kernel; /* AUTO unless testing a particular kernel */
} apsco_fleet_options;

/* The kernel AUTO selects on this CPU, and a short name for any kernel ("avx512", …). */
apsco_fleet_kernel apsco_fleet_kernel_best(void);
const char *apsco_fleet_kernel_name(apsco_fleet_kernel kernel);

/*
 * Propagates every satellite of `fleet` to every instant of `times` into
 * `buf` (which must hold count(fleet) × times->count states at its strides).
 * `opt` may be NULL (defaults). Per-(satellite, instant) SGP4 errors are not
 * failures: they go to buf->code. Returns APSCO_OK; APSCO_ERR_ARG for NULL
 * pointers, a LIST without a list, a kernel the CPU lacks, ITRF with TSINCE
 * instants; APSCO_ERR_NOMEM.
 */
apsco_status apsco_fleet_propagate(const apsco_fleet *fleet, const apsco_times *times,
                                   const apsco_fleet_options *opt, const apsco_fleet_buffer *buf,
                                   apsco_error *err);

/* One block of instants handed to an apsco_fleet_block_fn. */
typedef struct apsco_fleet_block {
    size_t first_instant;          /* index in `times` of the block's first instant */
    size_t instants;               /* instants in the block (the last block may be shorter) */
    size_t satellites;             /* count(fleet) */
    const apsco_fleet_buffer *buf; /* states and codes, k counted from first_instant */
} apsco_fleet_block;

/*
 * Receives a block; the buffer is valid only during the call and is reused
 * for the next block. Return 0 to go on, anything else to stop.
 */
typedef int (*apsco_fleet_block_fn)(void *ctx, const apsco_fleet_block *block);

/*
 * Propagates like apsco_fleet_propagate, `block_instants` instants at a time
 * (0: a block size that keeps one block near 32 MiB), into two buffers of
 * the given layout that the engine allocates once and reuses in turn,
 * calling `fn` on the calling thread with each block, in order, while the
 * other threads already compute the next one (so `fn` should not start
 * threads of its own: it runs inside the engine's team). The buffer's
 * strides are those of a full block (apsco_fleet_buffer_layout over
 * block_instants instants), the last, shorter block included: read it
 * through the strides. The states equal those of one
 * apsco_fleet_propagate over all instants. Returns APSCO_OK; the errors of
 * apsco_fleet_propagate; APSCO_ERR_STOPPED when `fn` asked to stop (the
 * message says at which block).
 */
apsco_status apsco_fleet_stream(const apsco_fleet *fleet, const apsco_times *times,
                                const apsco_fleet_options *opt, apsco_fleet_layout layout,
                                size_t block_instants, apsco_fleet_block_fn fn, void *ctx,
                                apsco_error *err);

#ifdef __cplusplus
}
#endif
#endif
