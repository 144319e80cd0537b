/*
 * fleet.c — the batch propagation engine: builds the structure-of-arrays
 * copy of a set of satellites, cuts the instants into blocks, runs the
 * vector kernel chosen for the CPU over the lanes with OpenMP threads, and
 * hands blocks to streaming callers.
 *
 * The numerics live in fleet_kernel.h (vector) and sgp4.c (scalar); this
 * file only organises the work. It is not for single propagations: see
 * apsco_sgp4.
 */
#include <math.h>
#include <omp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/fleet.h"
#include "orbit/fleet_internal.h"

struct apsco_fleet {
    size_t count;
    apsco_sat *sats;   /* copies of the records, in the caller's order */
    size_t deep_count; /* deep-space records */
    size_t *refused;   /* indices of records whose init_error is set */
    size_t refused_count;
    fleet_soa soa;
    double *soa_block; /* the storage behind every soa array */
};

/* ------------------------------------------------------------------------ */
/* Building a fleet                                                          */
/* ------------------------------------------------------------------------ */

static fleet_group group_of(const apsco_sat *s)
{
    if (!s->deep_space)
        return FLEET_NEAR;
    if (s->irez == 1)
        return FLEET_DEEP_DAY;
    if (s->irez == 2)
        return FLEET_DEEP_HALF;
    return FLEET_DEEP;
}

static size_t round_up(size_t n, size_t multiple)
{
    return (n + multiple - 1) / multiple * multiple;
}

/* Copies the fields the kernels read from one record into lane `lane`. */
static void fill_lane(fleet_soa *soa, size_t lane, const apsco_sat *s, long index)
{
    soa->epoch_jd[lane] = s->epoch.jd;
    soa->epoch_fr[lane] = s->epoch.fr;
    soa->simple[lane] = s->isimp == 1 ? 1.0 : 0.0;
    soa->afspc[lane] = s->opsmode == APSCO_OPSMODE_AFSPC ? 1.0 : 0.0;
    double apogee_km = s->ao * (1.0 + s->ecco) * s->radiusearthkm;
    double max_radius_km = FLEET_APOGEE_MARGIN * apogee_km;
    if (!(max_radius_km > FLEET_MAX_RADIUS_KM))
        max_radius_km = FLEET_MAX_RADIUS_KM;
    soa->max_radius2_km2[lane] = max_radius_km * max_radius_km;
    soa->rt_ao[lane] = sqrt(s->ao);
#define FLEET_COPY(name) soa->name[lane] = s->name;
    FLEET_SAT_FIELDS(FLEET_COPY)
#undef FLEET_COPY
    soa->index[lane] = index;
}

/*
 * The order of the lanes within a deep-space group. A vector costs what
 * its costliest lane costs: Kepler's equation iterates until every lane
 * has converged (more steps, and above an eccentricity of about 0.1 steps
 * too large for the short sine and cosine), and one lane below 0.2 rad of
 * inclination brings Lyddane's form of the lunar-solar periodics (an
 * arctangent) to the whole vector. Lanes are sorted by these two classes,
 * so that the few costly lanes share a few vectors, and by the caller's
 * order within a class, so that consecutive satellites (a constellation
 * listed together) keep filling whole vectors that store their states
 * with whole-vector writes. Near-Earth lanes keep the caller's order.
 */
#define ECCENTRIC_LANE 0.1

typedef struct lane_key {
    int lyddane, eccentric;
    long index;
} lane_key;

static lane_key key_of(const apsco_sat *s, long index)
{
    return (lane_key){s->inclo<0.2, s->ecco> ECCENTRIC_LANE, index};
}

static int compare_keys(const void *a, const void *b)
{
    const lane_key *x = a, *y = b;
    if (x->lyddane != y->lyddane)
        return x->lyddane - y->lyddane;
    if (x->eccentric != y->eccentric)
        return x->eccentric - y->eccentric;
    return (x->index > y->index) - (x->index < y->index);
}

/* Lays out the lanes: groups in order, each padded to FLEET_LANE_ALIGN. */
static apsco_status build_soa(apsco_fleet *f, apsco_error *err)
{
    fleet_soa *soa = &f->soa;
    size_t in_group[FLEET_GROUP_COUNT] = {0};
    for (size_t i = 0; i < f->count; i++)
        if (f->sats[i].init_error == 0)
            in_group[group_of(&f->sats[i])]++;
    size_t lanes = 0;
    for (int g = 0; g < FLEET_GROUP_COUNT; g++) {
        soa->group_begin[g] = lanes;
        lanes += round_up(in_group[g], FLEET_LANE_ALIGN);
    }
    soa->group_begin[FLEET_GROUP_COUNT] = lanes;
    soa->lanes = lanes;

    size_t fields = 0;
#define FLEET_COUNT(name) fields++;
    FLEET_FIELDS(FLEET_COUNT)
#undef FLEET_COUNT
    /* The doubles, then the indices (longs are 8 bytes like doubles on the targets of interest). */
    size_t bytes = round_up((fields * lanes) * sizeof(double) + lanes * sizeof(long) + 64, 64);
    f->soa_block = aligned_alloc(64, bytes);
    if (!f->soa_block)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    double *p = f->soa_block;
#define FLEET_PLACE(name)                                                                          \
    soa->name = p;                                                                                 \
    p += lanes;
    FLEET_FIELDS(FLEET_PLACE)
#undef FLEET_PLACE
    soa->index = (long *)(void *)p;
    soa->sats = f->sats;

    lane_key *keys = malloc((lanes ? lanes : 1) * sizeof *keys);
    if (!keys)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    size_t next[FLEET_GROUP_COUNT];
    for (int g = 0; g < FLEET_GROUP_COUNT; g++)
        next[g] = soa->group_begin[g];
    for (size_t i = 0; i < f->count; i++) {
        const apsco_sat *s = &f->sats[i];
        if (s->init_error == 0)
            keys[next[group_of(s)]++] = key_of(s, (long)i);
    }
    /* Deep-space lanes by their key; near-Earth ones in the caller's order (see key_of). */
    for (int g = FLEET_DEEP; g < FLEET_GROUP_COUNT; g++)
        qsort(keys + soa->group_begin[g], next[g] - soa->group_begin[g], sizeof *keys,
              compare_keys);
    for (int g = 0; g < FLEET_GROUP_COUNT; g++)
        for (size_t lane = soa->group_begin[g]; lane < next[g]; lane++)
            fill_lane(soa, lane, &f->sats[keys[lane].index], keys[lane].index);
    free(keys);
    /* Padding lanes repeat the group's first record so that they compute harmless numbers. */
    for (int g = 0; g < FLEET_GROUP_COUNT; g++) {
        for (size_t lane = next[g]; lane < soa->group_begin[g + 1]; lane++) {
            const apsco_sat *first = &f->sats[soa->index[soa->group_begin[g]]];
            fill_lane(soa, lane, first, -1);
        }
    }
    return APSCO_OK;
}

apsco_status apsco_fleet_new(apsco_fleet **fleet, const apsco_sat *sats, size_t count,
                             apsco_error *err)
{
    if (!fleet || (!sats && count > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: NULL argument");
    *fleet = NULL;
    apsco_fleet *f = calloc(1, sizeof *f);
    if (!f)
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    f->count = count;
    f->sats = malloc((count ? count : 1) * sizeof *f->sats);
    f->refused = malloc((count ? count : 1) * sizeof *f->refused);
    if (!f->sats || !f->refused) {
        apsco_fleet_free(f);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    }
    if (count)
        memcpy(f->sats, sats, count * sizeof *sats);
    for (size_t i = 0; i < count; i++) {
        f->deep_count += sats[i].deep_space != 0;
        if (sats[i].init_error != 0)
            f->refused[f->refused_count++] = i;
    }
    apsco_status st = build_soa(f, err);
    if (st != APSCO_OK) {
        apsco_fleet_free(f);
        return st;
    }
    *fleet = f;
    apsco_error_clear(err);
    return APSCO_OK;
}

void apsco_fleet_free(apsco_fleet *fleet)
{
    if (!fleet)
        return;
    free(fleet->soa_block);
    free(fleet->refused);
    free(fleet->sats);
    free(fleet);
}

size_t apsco_fleet_count(const apsco_fleet *fleet)
{
    return fleet ? fleet->count : 0;
}

const apsco_sat *apsco_fleet_sat(const apsco_fleet *fleet, size_t i)
{
    return fleet && i < fleet->count ? &fleet->sats[i] : NULL;
}

size_t apsco_fleet_deep_space_count(const apsco_fleet *fleet)
{
    return fleet ? fleet->deep_count : 0;
}

/* ------------------------------------------------------------------------ */
/* Instants and buffers                                                      */
/* ------------------------------------------------------------------------ */

apsco_times apsco_times_grid(apsco_time start, double step_s, size_t count)
{
    apsco_times t = {0};
    t.kind = APSCO_TIMES_GRID;
    t.start = start;
    t.step_s = step_s;
    t.count = count;
    return t;
}

apsco_times apsco_times_list(const apsco_time *list, size_t count)
{
    apsco_times t = {0};
    t.kind = APSCO_TIMES_LIST;
    t.list = list;
    t.count = count;
    return t;
}

apsco_times apsco_times_tsince(double start_min, double step_min, size_t count)
{
    apsco_times t = {0};
    t.kind = APSCO_TIMES_TSINCE;
    t.tsince_start_min = start_min;
    t.tsince_step_min = step_min;
    t.count = count;
    return t;
}

/* Minutes from epoch of instant k of a TSINCE grid. */
static double tsince_at(const apsco_times *times, size_t k)
{
    return times->tsince_start_min + (double)k * times->tsince_step_min;
}

apsco_time apsco_times_at(const apsco_times *times, const apsco_sat *sat, size_t k)
{
    switch (times->kind) {
    case APSCO_TIMES_GRID: return apsco_time_add_s(times->start, (double)k * times->step_s);
    case APSCO_TIMES_LIST: return times->list[k];
    case APSCO_TIMES_TSINCE:
        if (sat)
            return apsco_time_add_min(sat->epoch, tsince_at(times, k));
        break;
    }
    return (apsco_time){NAN, NAN};
}

apsco_status apsco_fleet_buffer_layout(apsco_fleet_buffer *buf, apsco_fleet_layout layout,
                                       size_t satellites, size_t instants)
{
    ptrdiff_t n = (ptrdiff_t)satellites, m = (ptrdiff_t)instants;
    switch (layout) {
    case APSCO_LAYOUT_SAT_MAJOR:
        buf->sat_stride = 6 * m;
        buf->instant_stride = 6;
        buf->component_stride = 1;
        buf->code_sat_stride = m;
        buf->code_instant_stride = 1;
        return APSCO_OK;
    case APSCO_LAYOUT_TIME_MAJOR:
        buf->sat_stride = 6;
        buf->instant_stride = 6 * n;
        buf->component_stride = 1;
        buf->code_sat_stride = 1;
        buf->code_instant_stride = n;
        return APSCO_OK;
    case APSCO_LAYOUT_TIME_PLANES:
        buf->sat_stride = 1;
        buf->instant_stride = 6 * n;
        buf->component_stride = n;
        buf->code_sat_stride = 1;
        buf->code_instant_stride = n;
        return APSCO_OK;
    }
    return APSCO_ERR_ARG;
}

/* ------------------------------------------------------------------------ */
/* Kernels                                                                   */
/* ------------------------------------------------------------------------ */

apsco_fleet_kernel apsco_fleet_kernel_best(void)
{
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq"))
        return APSCO_KERNEL_AVX512;
    if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
        return APSCO_KERNEL_AVX2;
    return APSCO_KERNEL_SCALAR;
}

const char *apsco_fleet_kernel_name(apsco_fleet_kernel kernel)
{
    switch (kernel) {
    case APSCO_KERNEL_AUTO: return "auto";
    case APSCO_KERNEL_SCALAR: return "scalar";
    case APSCO_KERNEL_AVX2: return "avx2";
    case APSCO_KERNEL_AVX512: return "avx512";
    }
    return "unknown";
}

/* Whether this CPU can run `kernel` (AUTO resolved beforehand). */
static int kernel_supported(apsco_fleet_kernel kernel)
{
    apsco_fleet_kernel best = apsco_fleet_kernel_best();
    switch (kernel) {
    case APSCO_KERNEL_SCALAR: return 1;
    case APSCO_KERNEL_AVX2: return best == APSCO_KERNEL_AVX2 || best == APSCO_KERNEL_AVX512;
    case APSCO_KERNEL_AVX512: return best == APSCO_KERNEL_AVX512;
    case APSCO_KERNEL_AUTO: break;
    }
    return 0;
}

/* ------------------------------------------------------------------------ */
/* Running blocks                                                            */
/* ------------------------------------------------------------------------ */

/* ------------------------------------------------------------------------ */
/* The team of threads                                                       */
/* ------------------------------------------------------------------------ */

/*
 * A barrier that waits without burning the processor. OpenMP's own
 * barriers spin for a long while before they sleep; on a machine that
 * other work shares, a thread spinning at a barrier holds the processor
 * that the thread it waits for needs (measured: 258 ns per propagation
 * instead of 66 on two busy cores). This one spins briefly, for threads
 * that finish together, then sleeps on a condition variable.
 */
typedef struct fleet_barrier {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int count, waiting;
    atomic_ulong phase;
} fleet_barrier;

/* About 50 microseconds of spinning before sleeping. */
#define BARRIER_SPINS 4000

static void barrier_init(fleet_barrier *b, int count)
{
    pthread_mutex_init(&b->mu, NULL);
    pthread_cond_init(&b->cv, NULL);
    b->count = count;
    b->waiting = 0;
    atomic_init(&b->phase, 0);
}

static void barrier_destroy(fleet_barrier *b)
{
    pthread_cond_destroy(&b->cv);
    pthread_mutex_destroy(&b->mu);
}

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#endif
}

static void barrier_wait(fleet_barrier *b)
{
    if (b->count <= 1)
        return;
    pthread_mutex_lock(&b->mu);
    unsigned long phase = atomic_load(&b->phase);
    if (++b->waiting == b->count) {
        b->waiting = 0;
        atomic_store(&b->phase, phase + 1);
        pthread_cond_broadcast(&b->cv);
        pthread_mutex_unlock(&b->mu);
        return;
    }
    pthread_mutex_unlock(&b->mu);
    for (int i = 0; i < BARRIER_SPINS && atomic_load(&b->phase) == phase; i++)
        cpu_relax();
    pthread_mutex_lock(&b->mu);
    while (atomic_load(&b->phase) == phase)
        pthread_cond_wait(&b->cv, &b->mu);
    pthread_mutex_unlock(&b->mu);
}

/* ------------------------------------------------------------------------ */
/* Running blocks                                                            */
/* ------------------------------------------------------------------------ */

/*
 * One of the two blocks in flight: its instants (and Earth rotations), the
 * buffer it fills, and the counter that hands its work items to threads.
 */
typedef struct fleet_slot {
    apsco_time *utc;
    double *tsince_min;
    apsco_earth_rotation *rot;
    fleet_block blk;
    atomic_long next;
    size_t first; /* index in the run of the block's first instant */
} fleet_slot;

/* What one propagation call carries from block to block. */
typedef struct fleet_run {
    const apsco_fleet *fleet;
    const apsco_times *times;
    apsco_fleet_kernel kernel;
    int threads;
    int itrf;
    const apsco_eop *eop;
    size_t block_instants, blocks;
    /* Resonance integrators: per lane for the vector kernels, per satellite for the scalar one. */
    fleet_resonance res;
    double *res_block; /* the storage behind every res array */
    apsco_sgp4_cache *caches;
    /* Block b is computed in slot b % 2 while the caller reads block b - 1 from the other. */
    fleet_slot slot[2];
    const apsco_fleet_buffer *buf[2];
    fleet_barrier barrier;
    /*
     * Streaming: the caller's callback, and whether it asked to stop (after
     * which instant). Thread 0 alone reads and writes `stopped`; the team
     * learns of it through stop_seen[b % 2], written before the barrier that
     * closes block b and read after it: the next write goes to the other
     * element, so no thread reads an element while it is written.
     */
    apsco_fleet_block_fn fn;
    void *ctx;
    int stopped;
    size_t stopped_after;
    int stop_seen[2];
} fleet_run;

static void run_free(fleet_run *run)
{
    free(run->res_block);
    free(run->caches);
    for (int i = 0; i < 2; i++) {
        free(run->slot[i].utc);
        free(run->slot[i].tsince_min);
        free(run->slot[i].rot);
    }
}

static apsco_status run_init(fleet_run *run, const apsco_fleet *fleet, const apsco_times *times,
                             const apsco_fleet_options *opt, size_t block_instants,
                             apsco_error *err)
{
    static const apsco_fleet_options defaults = {0};
    const apsco_fleet_options *o = opt ? opt : &defaults;
    memset(run, 0, sizeof *run);
    run->fleet = fleet;
    run->times = times;
    run->kernel = o->kernel == APSCO_KERNEL_AUTO ? apsco_fleet_kernel_best() : o->kernel;
    run->threads = o->threads > 0 ? o->threads : omp_get_num_procs();
    run->itrf = o->frame == APSCO_FLEET_ITRF;
    run->eop = o->eop;
    run->block_instants = block_instants ? block_instants : 1;
    run->blocks = (times->count + run->block_instants - 1) / run->block_instants;
    if (!kernel_supported(run->kernel))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: kernel %s not supported here",
                               apsco_fleet_kernel_name(run->kernel));
    if (o->frame != APSCO_FLEET_TEME && o->frame != APSCO_FLEET_ITRF)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: unknown frame %d", o->frame);
    if (run->itrf && times->kind == APSCO_TIMES_TSINCE)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "fleet: ITRF needs absolute instants, not minutes from epoch");

    size_t lanes = fleet->soa.lanes ? fleet->soa.lanes : FLEET_LANE_ALIGN;
    size_t lane_bytes = round_up(lanes * sizeof(double), 64);
    size_t nb = run->block_instants;
    run->res_block = aligned_alloc(64, 7 * lane_bytes);
    run->caches = calloc(fleet->count ? fleet->count : 1, sizeof *run->caches);
    int ok = run->res_block && run->caches;
    for (int i = 0; i < 2; i++) {
        fleet_slot *slot = &run->slot[i];
        slot->utc = malloc(nb * sizeof *slot->utc);
        slot->tsince_min = malloc(nb * sizeof *slot->tsince_min);
        slot->rot = run->itrf ? malloc(nb * sizeof *slot->rot) : NULL;
        ok = ok && slot->utc && slot->tsince_min && (!run->itrf || slot->rot);
    }
    if (!ok) {
        run_free(run);
        return apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    }
    /* atime 0 starts every integrator from the epoch, as a fresh apsco_sgp4_cache does. */
    double *p = run->res_block;
    size_t lane_doubles = lane_bytes / sizeof(double);
    double **arrays[7] = {&run->res.atime, &run->res.xli,   &run->res.xni,  &run->res.rates_atime,
                          &run->res.xndt,  &run->res.xldot, &run->res.xnddt};
    for (int a = 0; a < 7; a++, p += lane_doubles) {
        *arrays[a] = p;
        for (size_t lane = 0; lane < lane_doubles; lane++)
            p[lane] = arrays[a] == &run->res.rates_atime ? NAN : 0.0;
    }
    return APSCO_OK;
}

/* The scalar kernel: apsco_sgp4 itself, satellite by satellite. */
static void scalar_sat(const fleet_run *run, const fleet_block *blk, size_t i)
{
    const apsco_sat *sat = &run->fleet->sats[i];
    apsco_sgp4_cache *cache = &run->caches[i];
    for (size_t k = 0; k < blk->instants; k++) {
        double t = blk->tsince_min ? blk->tsince_min[k] : apsco_sat_tsince_min(sat, blk->utc[k]);
        double r[3], v[3];
        int code = apsco_sgp4(sat, cache, t, r, v);
        fleet_store(blk, (long)i, k, code, r, v);
    }
}

/*
 * Readies block b in its slot: the instants and their Earth rotations, the
 * states of the records refused at initialisation (their code at every
 * instant), and the work counter.
 */
static void prepare_block(fleet_run *run, size_t b)
{
    const apsco_fleet *f = run->fleet;
    const apsco_times *times = run->times;
    fleet_slot *slot = &run->slot[b % 2];
    size_t first = b * run->block_instants;
    size_t count =
        times->count - first < run->block_instants ? times->count - first : run->block_instants;
    fleet_block blk = {&f->soa, count, NULL, NULL, NULL, run->buf[b % 2], run->res};
    if (times->kind == APSCO_TIMES_TSINCE) {
        for (size_t k = 0; k < count; k++)
            slot->tsince_min[k] = tsince_at(times, first + k);
        blk.tsince_min = slot->tsince_min;
    } else {
        for (size_t k = 0; k < count; k++)
            slot->utc[k] = apsco_times_at(times, NULL, first + k);
        blk.utc = slot->utc;
    }
    if (run->itrf) {
        for (size_t k = 0; k < count; k++)
            apsco_earth_rotation_at(&slot->rot[k], slot->utc[k], run->eop);
        blk.rot = slot->rot;
    }
    static const double nan3[3] = {NAN, NAN, NAN};
    for (size_t j = 0; j < f->refused_count; j++)
        for (size_t k = 0; k < count; k++)
            fleet_store(&blk, (long)f->refused[j], k, f->sats[f->refused[j]].init_error, nan3,
                        nan3);
    slot->blk = blk;
    slot->first = first;
    atomic_store(&slot->next, 0);
}

/* Work items of a block: vectors of lanes, or satellites eight at a time (scalar kernel). */
static long work_items(const fleet_run *run)
{
    if (run->kernel == APSCO_KERNEL_SCALAR)
        return (long)((run->fleet->count + 7) / 8);
    return (long)(run->fleet->soa.lanes / FLEET_LANE_ALIGN);
}

static void do_item(const fleet_run *run, const fleet_block *blk, long item)
{
    const apsco_fleet *f = run->fleet;
    if (run->kernel == APSCO_KERNEL_SCALAR) {
        for (size_t i = (size_t)item * 8; i < f->count && i < (size_t)item * 8 + 8; i++)
            if (f->sats[i].init_error == 0)
                scalar_sat(run, blk, i);
        return;
    }
    const fleet_soa *soa = &f->soa;
    size_t lane = (size_t)item * FLEET_LANE_ALIGN;
    fleet_group g = FLEET_NEAR;
    while (lane >= soa->group_begin[g + 1])
        g++;
    if (run->kernel == APSCO_KERNEL_AVX512)
        fleet_kernel_avx512(blk, g, lane);
    else
        fleet_kernel_avx2(blk, g, lane);
}

/*
 * Work items taken at once: the counter's cache line moves between cores at
 * every take, which costs as much as a fraction of an item. The last
 * TAIL_ITEMS items of a block go one at a time, so that the threads reach
 * the barrier together.
 */
#define ITEMS_PER_TAKE 4
#define TAIL_ITEMS     16

/*
 * Takes work items of the slot's block until none is left, the last item
 * first: the lanes are laid out near-Earth first, and the deep-space
 * vectors (two to three times as costly, the resonant ones the most) are
 * better handed out early than found at the end of a block by one thread
 * while the other waits.
 */
static void work_block(const fleet_run *run, fleet_slot *slot)
{
    long items = work_items(run);
    for (;;) {
        long seen = atomic_load_explicit(&slot->next, memory_order_relaxed);
        long take = items - seen > TAIL_ITEMS ? ITEMS_PER_TAKE : 1;
        long first = atomic_fetch_add(&slot->next, take);
        if (first >= items)
            return;
        for (long item = first; item < first + take && item < items; item++)
            do_item(run, &slot->blk, items - 1 - item);
    }
}

/* Hands block b, complete, to the caller's callback (streaming only). */
static void deliver_block(fleet_run *run, size_t b)
{
    if (!run->fn || run->stopped)
        return;
    const fleet_slot *slot = &run->slot[b % 2];
    apsco_fleet_block block = {slot->first, slot->blk.instants, run->fleet->count, run->buf[b % 2]};
    if (run->fn(run->ctx, &block) != 0) {
        run->stopped = 1;
        run->stopped_after = slot->first + slot->blk.instants;
    }
}

/*
 * What every thread of the team runs. Thread 0 also hands block b - 1 to
 * the caller and readies block b + 1 while the others start on block b;
 * a barrier closes each block. The last block is handed over after the
 * team has finished.
 */
static void run_team(fleet_run *run, int master)
{
    for (size_t b = 0; b < run->blocks; b++) {
        if (master) {
            if (b > 0)
                deliver_block(run, b - 1);
            run->stop_seen[b % 2] = run->stopped;
            if (b + 1 < run->blocks)
                prepare_block(run, b + 1);
        }
        work_block(run, &run->slot[b % 2]);
        barrier_wait(&run->barrier);
        if (run->stop_seen[b % 2])
            return;
    }
}

/* Propagates every block of the run, in a team of run->threads threads. */
static void run_blocks(fleet_run *run)
{
    if (run->blocks == 0)
        return;
    prepare_block(run, 0);
    int threads = run->threads;
    long items = work_items(run);
    if (threads > items)
        threads = items > 0 ? (int)items : 1;
    if (threads <= 1) {
        barrier_init(&run->barrier, 1);
        run_team(run, 1);
    } else {
#pragma omp parallel num_threads(threads)
        {
#pragma omp single
            barrier_init(&run->barrier, omp_get_num_threads());
            run_team(run, omp_get_thread_num() == 0);
        }
    }
    barrier_destroy(&run->barrier);
    deliver_block(run, run->blocks - 1);
}

static apsco_status check_call(const apsco_fleet *fleet, const apsco_times *times, apsco_error *err)
{
    if (!fleet || !times)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: NULL argument");
    if (times->kind != APSCO_TIMES_GRID && times->kind != APSCO_TIMES_LIST &&
        times->kind != APSCO_TIMES_TSINCE)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: unknown kind of instants");
    if (times->kind == APSCO_TIMES_LIST && !times->list && times->count > 0)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: LIST instants without a list");
    return APSCO_OK;
}

apsco_status apsco_fleet_propagate(const apsco_fleet *fleet, const apsco_times *times,
                                   const apsco_fleet_options *opt, const apsco_fleet_buffer *buf,
                                   apsco_error *err)
{
    apsco_status st = check_call(fleet, times, err);
    if (st != APSCO_OK)
        return st;
    if (!buf || (!buf->state && fleet->count > 0 && times->count > 0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: NULL buffer");
    fleet_run run;
    st = run_init(&run, fleet, times, opt, times->count, err);
    if (st != APSCO_OK)
        return st;
    run.buf[0] = run.buf[1] = buf;
    if (fleet->count > 0)
        run_blocks(&run);
    run_free(&run);
    apsco_error_clear(err);
    return APSCO_OK;
}

/* Instants per block that keep a block of `satellites` states near 32 MiB. */
static size_t default_block(size_t satellites)
{
    size_t per_instant = (satellites ? satellites : 1) * (6 * sizeof(double) + 1);
    size_t b = ((size_t)32 << 20) / per_instant;
    return b ? b : 1;
}

apsco_status apsco_fleet_stream(const apsco_fleet *fleet, const apsco_times *times,
                                const apsco_fleet_options *opt, apsco_fleet_layout layout,
                                size_t block_instants, apsco_fleet_block_fn fn, void *ctx,
                                apsco_error *err)
{
    apsco_status st = check_call(fleet, times, err);
    if (st != APSCO_OK)
        return st;
    if (!fn)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: NULL callback");
    size_t nb = block_instants ? block_instants : default_block(fleet->count);
    if (nb > times->count)
        nb = times->count ? times->count : 1;
    apsco_fleet_buffer bufs[2] = {{0}, {0}};
    size_t states = (fleet->count ? fleet->count : 1) * nb;
    int ok = 1;
    for (int i = 0; i < 2; i++) {
        if (apsco_fleet_buffer_layout(&bufs[i], layout, fleet->count, nb) != APSCO_OK)
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "fleet: unknown layout %d", layout);
    }
    for (int i = 0; i < 2; i++) {
        bufs[i].state = malloc(states * 6 * sizeof *bufs[i].state);
        bufs[i].code = malloc(states);
        ok = ok && bufs[i].state && bufs[i].code;
    }
    fleet_run run;
    st = ok ? run_init(&run, fleet, times, opt, nb, err)
            : apsco_error_set(err, APSCO_ERR_NOMEM, NULL, 0, "fleet: out of memory");
    if (st == APSCO_OK) {
        run.buf[0] = &bufs[0];
        run.buf[1] = &bufs[1];
        run.fn = fn;
        run.ctx = ctx;
        run_blocks(&run);
        run_free(&run);
        apsco_error_clear(err);
        if (run.stopped)
            st = apsco_error_set(err, APSCO_ERR_STOPPED, NULL, 0,
                                 "fleet: stopped by the caller after instant %zu",
                                 run.stopped_after);
    }
    for (int i = 0; i < 2; i++) {
        free(bufs[i].state);
        free(bufs[i].code);
    }
    return st;
}
