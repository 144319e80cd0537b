/*
 * passes.c — the pass search over many satellites and sites: arguments,
 * the Sun table shared by all, one track per satellite on each thread,
 * the merged and sorted result; and the small public helpers (sites from
 * stations, thresholds, Doppler, look angles at an instant).
 *
 * Not for the geometry of one satellite (search.c, shadow.c, track.c).
 */
#include <math.h>
#include <omp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "passes/internal.h"

#define WINDOW_MAX_S (366.0 * 86400.0)

static double station_threshold(const void *ctx, double az_rad)
{
    return apsco_station_min_el_at_rad((const apsco_station *)ctx, az_rad);
}

/*
 * The mask is linear between its points, so its lowest value is its lowest
 * point; the threshold is the larger of it and min_el_rad.
 */
void apsco_pass_site_from_station(apsco_pass_site *site, const apsco_station *station)
{
    memset(site, 0, sizeof *site);
    apsco_observer_init(&site->obs, station->lat_rad, station->lon_rad, station->alt_km);
    site->floor_el_rad = station->min_el_rad;
    if (station->mask_count == 0)
        return;
    double lowest = station->mask_el_rad[0];
    for (int i = 1; i < station->mask_count; i++)
        lowest = fmin(lowest, station->mask_el_rad[i]);
    site->floor_el_rad = fmax(station->min_el_rad, lowest);
    site->min_el_fn = station_threshold;
    site->ctx = station;
}

double apsco_pass_site_threshold(const apsco_pass_site *site, double az_rad)
{
    if (!site->min_el_fn)
        return site->floor_el_rad;
    return fmax(site->floor_el_rad, site->min_el_fn(site->ctx, az_rad));
}

double apsco_doppler_shift_hz(double freq_hz, double range_rate_km_s)
{
    return -freq_hz * range_rate_km_s / APSCO_SPEED_OF_LIGHT_KM_S;
}

int apsco_pass_look(const apsco_sat *sat, const apsco_observer *obs, apsco_time t,
                    const apsco_eop *eop, apsco_look *look)
{
    double r[3], v[3];
    int code = apsco_sgp4_at(sat, NULL, t, r, v);
    if (code != APSCO_SGP4_OK)
        return code;
    apsco_teme_to_itrf(t, eop, r, v, r, v);
    apsco_observer_look(obs, r, v, look);
    return APSCO_SGP4_OK;
}

apsco_time apsco_pass_time(const apsco_pass_list *list, double offset_s)
{
    return apsco_time_add_s(list->start, offset_s);
}

void apsco_pass_list_free(apsco_pass_list *list)
{
    if (!list)
        return;
    free(list->items);
    free(list->sat_status);
    memset(list, 0, sizeof *list);
}

apsco_status pass_vec_push(pass_vec *vec, const apsco_pass *pass)
{
    if (vec->count == vec->capacity) {
        size_t cap = vec->capacity ? 2 * vec->capacity : 256;
        apsco_pass *p = realloc(vec->items, cap * sizeof *p);
        if (!p)
            return APSCO_ERR_NOMEM;
        vec->items = p;
        vec->capacity = cap;
    }
    vec->items[vec->count++] = *pass;
    return APSCO_OK;
}

static int compare_passes(const void *pa, const void *pb)
{
    const apsco_pass *a = pa, *b = pb;
    if (a->aos_s != b->aos_s)
        return a->aos_s < b->aos_s ? -1 : 1;
    if (a->sat != b->sat)
        return a->sat < b->sat ? -1 : 1;
    if (a->site != b->site)
        return a->site < b->site ? -1 : 1;
    return (a->tca_s > b->tca_s) - (a->tca_s < b->tca_s);
}

static apsco_status check_args(const apsco_sat *sats, size_t sat_count,
                               const apsco_pass_site *sites, size_t site_count,
                               const apsco_pass_options *opt, apsco_pass_list *out,
                               apsco_error *err)
{
    if (!opt || !out || (sat_count && !sats) || (site_count && !sites))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "passes: NULL argument");
    double window = apsco_time_diff_s(opt->end, opt->start);
    if (!(window >= 0.0))
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "passes: the window ends before it starts");
    if (window > WINDOW_MAX_S)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                               "passes: the window lasts %.0f days, more than 366", window / 86400);
    for (size_t i = 0; i < site_count; i++) {
        double f = sites[i].floor_el_rad;
        if (!(f >= -M_PI / 2 && f < M_PI / 2))
            return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0,
                                   "passes: site %zu: floor elevation is not in [-90°, 90°)", i);
    }
    return APSCO_OK;
}

static int compare_keys(const void *pa, const void *pb)
{
    const pass_key *a = pa, *b = pb;
    if (a->aos_s != b->aos_s)
        return a->aos_s < b->aos_s ? -1 : 1;
    return compare_passes(a->pass, b->pass);
}

/*
 * The radix sort's key: AOS in units of 2^-12 s (AOS is at least 0 and at
 * most 366 days, 2^37 units), in the order of AOS; keys that are equal
 * are put in order afterwards.
 */
#define KEY_UNITS_PER_S 4096.0
static uint64_t radix_key(const pass_key *k)
{
    return (uint64_t)(k->aos_s * KEY_UNITS_PER_S);
}

#define RADIX_BITS 11
#define RADIX_SIZE (1u << RADIX_BITS)

/*
 * Sorts keys by AOS: a least-significant-digit radix sort on radix_key
 * (Knuth, TAOCP vol. 3, sec. 5.2.5), 11 bits a pass over the bits the
 * largest key has; then each run of equal radix keys (passes under way at
 * the window start, mostly) by AOS, satellite, site and TCA.
 */
static apsco_status sort_keys(pass_key *keys, size_t n)
{
    pass_key *tmp = malloc((n ? n : 1) * sizeof *tmp);
    size_t *count = malloc(RADIX_SIZE * sizeof *count);
    if (!tmp || !count) {
        free(tmp);
        free(count);
        return APSCO_ERR_NOMEM;
    }
    uint64_t largest = 0;
    for (size_t i = 0; i < n; i++)
        if (radix_key(&keys[i]) > largest)
            largest = radix_key(&keys[i]);
    pass_key *from = keys, *to = tmp;
    for (unsigned shift = 0; shift < 64 && (largest >> shift) != 0; shift += RADIX_BITS) {
        memset(count, 0, RADIX_SIZE * sizeof *count);
        for (size_t i = 0; i < n; i++)
            count[(radix_key(&from[i]) >> shift) & (RADIX_SIZE - 1)]++;
        size_t sum = 0;
        for (size_t d = 0; d < RADIX_SIZE; d++) {
            size_t c = count[d];
            count[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            to[count[(radix_key(&from[i]) >> shift) & (RADIX_SIZE - 1)]++] = from[i];
        pass_key *swap = from;
        from = to;
        to = swap;
    }
    if (from != keys)
        memcpy(keys, from, n * sizeof *keys);
    free(tmp);
    free(count);
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && radix_key(&keys[j]) == radix_key(&keys[i]))
            j++;
        if (j - i > 1)
            qsort(keys + i, j - i, sizeof *keys, compare_keys);
        i = j;
    }
    return APSCO_OK;
}

apsco_status pass_vec_sort(pass_vec *vec)
{
    vec->keys = malloc((vec->count ? vec->count : 1) * sizeof *vec->keys);
    if (!vec->keys)
        return APSCO_ERR_NOMEM;
    for (size_t i = 0; i < vec->count; i++)
        vec->keys[i] = (pass_key){vec->items[i].aos_s, &vec->items[i]};
    return sort_keys(vec->keys, vec->count);
}

/*
 * The order of the merge: that of the keys, ties (which the keys do not
 * have unless two passes coincide in everything) by vector, then position,
 * so that it is a strict total order and a merge from the front and one
 * from the back meet exactly.
 */
static int key_before(const pass_vec *vecs, int a, size_t ia, int b, size_t ib)
{
    int c = compare_keys(&vecs[a].keys[ia], &vecs[b].keys[ib]);
    if (c != 0)
        return c < 0;
    return a != b ? a < b : ia < ib;
}

/*
 * How many keys ahead a merge asks for the pass it will copy: the keys
 * follow the AOS order, the passes the order they were found in, so each
 * copy reads a cache line the merge has not touched.
 */
#define MERGE_PREFETCH 16

/* Asks for every cache line of a pass (a record spans two or three of them). */
static void prefetch_pass(const apsco_pass *p)
{
    const char *first = (const char *)p, *last = first + sizeof *p - 1;
    __builtin_prefetch(first);
    __builtin_prefetch(first + 64);
    __builtin_prefetch(last);
}

/* Outputs out[0 … n-1]: the n first passes of the sorted vectors, from their heads. */
static void merge_front(const pass_vec *vecs, int nvec, apsco_pass *out, size_t n, size_t *head)
{
    for (size_t m = 0; m < n; m++) {
        int best = -1;
        for (int i = 0; i < nvec; i++)
            if (head[i] < vecs[i].count &&
                (best < 0 || key_before(vecs, i, head[i], best, head[best])))
                best = i;
        size_t ahead = head[best] + MERGE_PREFETCH;
        if (ahead < vecs[best].count)
            prefetch_pass(vecs[best].keys[ahead].pass);
        out[m] = *vecs[best].keys[head[best]++].pass;
    }
}

/* Outputs out[total-n … total-1]: the n last passes, from the vectors' tails. */
static void merge_back(const pass_vec *vecs, int nvec, apsco_pass *out, size_t total, size_t n,
                       size_t *tail)
{
    for (size_t m = 0; m < n; m++) {
        int best = -1;
        for (int i = 0; i < nvec; i++)
            if (tail[i] > 0 && (best < 0 || key_before(vecs, best, tail[best] - 1, i, tail[i] - 1)))
                best = i;
        if (tail[best] > MERGE_PREFETCH)
            prefetch_pass(vecs[best].keys[tail[best] - 1 - MERGE_PREFETCH].pass);
        out[total - 1 - m] = *vecs[best].keys[--tail[best]].pass;
    }
}

/*
 * Merges the threads' passes, each thread's keys already sorted (by that
 * thread, at the end of its search), into `out->items`: a k-way merge (k
 * is the thread count), the first half from the vectors' heads and the
 * second from their tails at the same time when there are two threads.
 */
static apsco_status gather(pass_vec *vecs, int nvec, int threads, apsco_pass_list *out)
{
    size_t total = 0;
    for (int i = 0; i < nvec; i++)
        total += vecs[i].count;
    out->items = malloc((total ? total : 1) * sizeof *out->items);
    size_t *ends = calloc(2 * (size_t)nvec, sizeof *ends);
    if (!out->items || !ends) {
        free(ends);
        return APSCO_ERR_NOMEM;
    }
    size_t *head = ends, *tail = ends + nvec;
    for (int i = 0; i < nvec; i++)
        tail[i] = vecs[i].count;
    size_t front = threads > 1 ? total / 2 : total;
#pragma omp parallel sections num_threads(threads > 1 ? 2 : 1)
    {
#pragma omp section
        merge_front(vecs, nvec, out->items, front, head);
#pragma omp section
        merge_back(vecs, nvec, out->items, total, total - front, tail);
    }
    out->count = total;
    free(ends);
    return APSCO_OK;
}

/*
 * Searches satellite i, whose states are those of index j in the chunk
 * just propagated into `s`, appending its passes to `vec`.
 */
static apsco_status search_one(const pass_search_ctx *ctx, pass_scratch *s, const pass_chunk *chunk,
                               size_t j, size_t i, const apsco_sat *sat, double window,
                               pass_vec *vec, apsco_pass_sat_status *status)
{
    const pass_kernel *kern = ctx->kernel;
    pass_track *track = &s->track;
    size_t n = chunk->nodes;
    if (kern->from_states(track, sat, chunk->step_s, n, window, s->states + 6 * j * n,
                          s->codes + j * n, s->rot) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    *status = (apsco_pass_sat_status){track->code, track->code_s};
    size_t first = vec->count;
    if (kern->search_sat(ctx, track, i, vec) != APSCO_OK ||
        kern->light_build(&s->light, ctx, track, vec->items + first, vec->count - first) !=
            APSCO_OK)
        return APSCO_ERR_NOMEM;
    for (size_t k = first; k < vec->count; k++)
        kern->light_apply(&s->light, ctx, track, &vec->items[k]);
    return APSCO_OK;
}

/* Propagates one chunk and searches its satellites, on the calling thread. */
static apsco_status search_chunk(const pass_search_ctx *ctx, pass_scratch *s, const pass_plan *plan,
                                 const pass_chunk *chunk, const apsco_sat *sats,
                                 const apsco_pass_options *opt, double window, pass_vec *vec,
                                 apsco_pass_sat_status *status)
{
    if (pass_chunk_propagate(s, plan, chunk, sats, opt) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    for (size_t j = 0; j < chunk->count; j++) {
        size_t i = plan->order[chunk->first + j];
        if (search_one(ctx, s, chunk, j, i, &sats[i], window, vec, &status[i]) != APSCO_OK)
            return APSCO_ERR_NOMEM;
    }
    return APSCO_OK;
}

/*
 * Every satellite: those refused at initialisation reported, the others
 * in chunks of one node step (batch.c), the chunks handed out to the
 * threads one at a time.
 */
static apsco_status search_all(const pass_search_ctx *ctx, const apsco_sat *sats, size_t sat_count,
                               const apsco_pass_options *opt, apsco_pass_list *out)
{
    double window = apsco_time_diff_s(opt->end, opt->start);
    int threads = opt->threads > 0 ? opt->threads : omp_get_max_threads();
    for (size_t i = 0; i < sat_count; i++)
        if (sats[i].init_error)
            out->sat_status[i] = (apsco_pass_sat_status){sats[i].init_error, 0.0};
    pass_plan plan;
    if (pass_plan_build(&plan, sats, sat_count, window) != APSCO_OK)
        return APSCO_ERR_NOMEM;
    pass_vec *vecs = calloc((size_t)threads, sizeof *vecs);
    if (!vecs) {
        pass_plan_free(&plan);
        return APSCO_ERR_NOMEM;
    }
    int failed = 0;
#pragma omp parallel num_threads(threads)
    {
        pass_scratch scratch;
        memset(&scratch, 0, sizeof scratch);
        /* Filled on the thread's own stack, not in `vecs`, whose entries share cache lines. */
        pass_vec own = {NULL, 0, 0, NULL}, *vec = &own;
#pragma omp for schedule(dynamic, 1)
        for (size_t c = 0; c < plan.chunk_count; c++) {
            int stop;
#pragma omp atomic read
            stop = failed;
            if (stop)
                continue;
            if (search_chunk(ctx, &scratch, &plan, &plan.chunks[c], sats, opt, window, vec,
                             out->sat_status) != APSCO_OK) {
#pragma omp atomic write
                failed = 1;
            }
        }
        pass_scratch_free(&scratch);
        /* Each thread sorts its own passes; gather merges them. */
        if (pass_vec_sort(vec) != APSCO_OK) {
#pragma omp atomic write
            failed = 1;
        }
        vecs[omp_get_thread_num()] = own;
    }
    apsco_status st = failed ? APSCO_ERR_NOMEM : gather(vecs, threads, threads, out);
    for (int i = 0; i < threads; i++) {
        free(vecs[i].items);
        free(vecs[i].keys);
    }
    free(vecs);
    pass_plan_free(&plan);
    return st;
}

apsco_status apsco_passes_find(const apsco_sat *sats, size_t sat_count,
                               const apsco_pass_site *sites, size_t site_count,
                               const apsco_pass_options *opt, apsco_pass_list *out,
                               apsco_error *err)
{
    apsco_status st = check_args(sats, sat_count, sites, site_count, opt, out, err);
    if (st != APSCO_OK)
        return st;
    memset(out, 0, sizeof *out);
    out->start = opt->start;
    out->sat_count = sat_count;
    out->sat_status = calloc(sat_count ? sat_count : 1, sizeof *out->sat_status);
    pass_site_geom *geoms = calloc(site_count ? site_count : 1, sizeof *geoms);
    pass_sun_table sun = {0};
    double window = apsco_time_diff_s(opt->end, opt->start);
    if (!out->sat_status || !geoms ||
        pass_sun_table_build(&sun, opt->start, window, opt->eop) != APSCO_OK) {
        st = APSCO_ERR_NOMEM;
    } else {
        double below = opt->sun_below_set ? opt->sun_below_rad : APSCO_PASS_SUN_BELOW_DEFAULT_RAD;
        for (size_t i = 0; i < site_count && st == APSCO_OK; i++) {
            pass_site_geom_init(&geoms[i], &sites[i]);
            st = pass_site_dark_build(&geoms[i], &sun, sin(below));
        }
        pass_search_ctx ctx = {geoms, site_count, &sun, pass_kernel_pick(opt->plain_kernel)};
        if (st == APSCO_OK)
            st = search_all(&ctx, sats, sat_count, opt, out);
    }
    for (size_t i = 0; geoms && i < site_count; i++)
        pass_site_dark_free(&geoms[i]);
    free(geoms);
    pass_sun_table_free(&sun);
    if (st != APSCO_OK) {
        apsco_pass_list_free(out);
        return apsco_error_set(err, st, NULL, 0, "passes: out of memory");
    }
    return APSCO_OK;
}
