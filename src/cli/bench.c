/*
 * bench.c — `apsco bench propagate`: the speed of the batch engine on a
 * whole catalog over a regular time grid, printed as one JSON line that the
 * peer benchmarks in bench/ print too (same workload, same checksum).
 *
 * Not a test: nothing here asserts a speed.
 */
#include <getopt.h>
#include <math.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#endif

#include "apsco/elements.h"
#include "apsco/fleet.h"
#include "apsco/orbit.h"
#include "cli/cli.h"
#include "cli/commands.h"

#define CMD "bench"

static const char usage[] =
    "Usage: apsco bench propagate --catalog FILE [--start UTC] [--span-min MIN] [--step-min MIN]\n"
    "           [--threads N] [--kernel auto|avx512|avx2|scalar] [--repeat N]\n"
    "           [--only near|deep|one-day|half-day]\n"
    "\n"
    "Propagates every satellite of the catalog (WGS-72, improved mode) to the instants\n"
    "start + k * step, k = 0 … span/step - 1, into a reused buffer, and prints one JSON line:\n"
    "  {\"satellites\":…,\"instants\":…,\"propagations\":…,\"seconds\":…,\n"
    "   \"ns_per_propagation\":…,\"checksum_km\":…,\"engine\":\"apsco\",\"kernel\":…,\n"
    "   \"threads\":…,\"cpu_ns_per_propagation\":…,\"orbits\":\"all\" or the --only kind}\n"
    "checksum_km is the sum of |r| over the propagations without an SGP4 error; seconds\n"
    "is the best of the repetitions, propagation only (not loading or initialisation);\n"
    "cpu_ns_per_propagation is the processor time of all threads per propagation (the\n"
    "best repetition's), which other work on a shared machine disturbs less.\n"
    "\n"
    "  -c, --catalog FILE   element sets (TLE/3LE or OMM)\n"
    "      --start UTC      first instant (default: the newest epoch in the catalog)\n"
    "      --span-min MIN   minutes covered (default 1440)\n"
    "      --step-min MIN   step in minutes (default 1)\n"
    "      --threads N      OpenMP threads (default: all cores)\n"
    "      --kernel K       vector kernel (default: the widest this CPU runs)\n"
    "      --repeat N       runs, the best of which is reported (default 1)\n"
    "      --block N        instants per block of the reused buffer (default: about 512 KiB)\n"
    "      --only KIND      only the catalog's orbits of one kind, to see what each costs:\n"
    "                       near (SGP4), deep (SDP4 without resonance), one-day or\n"
    "                       half-day (SDP4 with that resonance)\n"
    "  -h, --help           show this help\n";

typedef struct bench_args {
    const char *catalog;
    apsco_time start;
    int have_start;
    double span_min, step_min;
    int threads, repeat, block_instants;
    apsco_fleet_kernel kernel;
    const char *only; /* NULL: every orbit */
} bench_args;

/* The kinds of orbit of --only, as the engine groups them. */
static const char *const orbit_kinds[] = {"near", "deep", "one-day", "half-day"};

static const char *orbit_kind(const apsco_sat *s)
{
    if (!s->deep_space)
        return orbit_kinds[0];
    return orbit_kinds[s->irez == 1 ? 2 : s->irez == 2 ? 3 : 1];
}

static int parse_kind(const char *text, const char **out)
{
    for (size_t i = 0; i < sizeof orbit_kinds / sizeof *orbit_kinds; i++) {
        if (!strcmp(text, orbit_kinds[i])) {
            *out = orbit_kinds[i];
            return 1;
        }
    }
    return 0;
}

static int parse_kernel(const char *text, apsco_fleet_kernel *out)
{
    static const apsco_fleet_kernel kernels[] = {APSCO_KERNEL_AUTO, APSCO_KERNEL_SCALAR,
                                                 APSCO_KERNEL_AVX2, APSCO_KERNEL_AVX512};
    for (size_t i = 0; i < sizeof kernels / sizeof *kernels; i++) {
        if (!strcmp(text, apsco_fleet_kernel_name(kernels[i]))) {
            *out = kernels[i];
            return 1;
        }
    }
    return 0;
}

/* Parses the options after `bench propagate`; returns -1 to go on, or an exit code. */
static int parse_args(int argc, char **argv, bench_args *a)
{
    static const struct option longopts[] = {{"catalog", required_argument, NULL, 'c'},
                                             {"start", required_argument, NULL, 'S'},
                                             {"span-min", required_argument, NULL, 's'},
                                             {"step-min", required_argument, NULL, 'p'},
                                             {"threads", required_argument, NULL, 't'},
                                             {"kernel", required_argument, NULL, 'k'},
                                             {"repeat", required_argument, NULL, 'r'},
                                             {"block", required_argument, NULL, 'b'},
                                             {"only", required_argument, NULL, 'o'},
                                             {"help", no_argument, NULL, 'h'},
                                             {NULL, 0, NULL, 0}};
    memset(a, 0, sizeof *a);
    a->span_min = 1440.0;
    a->step_min = 1.0;
    a->repeat = 1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":c:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a->catalog = optarg; break;
        case 'S':
            if (!cli_parse_time(CMD, "--start", optarg, &a->start))
                return CLI_EXIT_USAGE;
            a->have_start = 1;
            break;
        case 's':
            if (!cli_parse_number(CMD, "--span-min", optarg, &a->span_min))
                return CLI_EXIT_USAGE;
            break;
        case 'p':
            if (!cli_parse_number(CMD, "--step-min", optarg, &a->step_min))
                return CLI_EXIT_USAGE;
            break;
        case 't':
            if (!cli_parse_count(CMD, "--threads", optarg, 1, CLI_THREADS_MAX, &a->threads))
                return CLI_EXIT_USAGE;
            break;
        case 'r':
            if (!cli_parse_count(CMD, "--repeat", optarg, 1, 1000, &a->repeat))
                return CLI_EXIT_USAGE;
            break;
        case 'b':
            if (!cli_parse_count(CMD, "--block", optarg, 1, 1000000, &a->block_instants))
                return CLI_EXIT_USAGE;
            break;
        case 'k':
            if (!parse_kernel(optarg, &a->kernel))
                return cli_usage_error(CMD, "--kernel: unknown kernel '%s'", optarg);
            break;
        case 'o':
            if (!parse_kind(optarg, &a->only))
                return cli_usage_error(CMD, "--only: unknown kind of orbit '%s'", optarg);
            break;
        case 'h': fputs(usage, stdout); return CLI_EXIT_OK;
        default: return cli_option_error(CMD, c, argv);
        }
    }
    if (optind < argc)
        return cli_usage_error(CMD, "unexpected argument '%s'", argv[optind]);
    if (!a->catalog)
        return cli_usage_error(CMD, "--catalog FILE is required");
    if (!(a->step_min > 0) || !(a->span_min >= a->step_min))
        return cli_usage_error(CMD, "--step-min must be positive and no larger than --span-min");
    if (a->span_min / a->step_min > 1e8)
        return cli_usage_error(CMD, "more than 1e8 instants");
    return -1;
}

/* The sum of |r| over the states without an error, accumulated block by block. */
typedef struct checksum {
    double sum_km;
} checksum;

/*
 * The sum of |r| over satellites [0, n) of one instant (TIME_PLANES: x, y
 * and z of consecutive satellites are adjacent). The square roots are the
 * cost; with AVX2 they go four at a time into two partial sums per lane,
 * which changes the order of the additions and so the last bits of the
 * sum, not its meaning.
 */
static double instant_sum_scalar(const double *x, const double *y, const double *z,
                                 const uint8_t *code, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        /* NaN states (errors) are dropped before the square root. */
        double r2 = x[i] * x[i] + y[i] * y[i] + z[i] * z[i];
        sum += sqrt(code[i] ? 0.0 : r2);
    }
    return sum;
}

#if defined(__x86_64__) && defined(__GNUC__)
/* |r| of the four satellites at i, 0 where the code is not 0. */
__attribute__((target("avx2"))) static __m256d
radius4(const double *x, const double *y, const double *z, const uint8_t *code, size_t i)
{
    __m256d vx = _mm256_loadu_pd(x + i), vy = _mm256_loadu_pd(y + i), vz = _mm256_loadu_pd(z + i);
    __m256d r2 = _mm256_add_pd(_mm256_add_pd(_mm256_mul_pd(vx, vx), _mm256_mul_pd(vy, vy)),
                               _mm256_mul_pd(vz, vz));
    int32_t codes;
    memcpy(&codes, code + i, sizeof codes);
    __m256i wide = _mm256_cvtepu8_epi64(_mm_cvtsi32_si128(codes));
    __m256d ok = _mm256_castsi256_pd(_mm256_cmpeq_epi64(wide, _mm256_setzero_si256()));
    return _mm256_sqrt_pd(_mm256_and_pd(r2, ok));
}

__attribute__((target("avx2"))) static double
instant_sum_avx2(const double *x, const double *y, const double *z, const uint8_t *code, size_t n)
{
    __m256d a = _mm256_setzero_pd(), b = _mm256_setzero_pd();
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        a = _mm256_add_pd(a, radius4(x, y, z, code, i));
        b = _mm256_add_pd(b, radius4(x, y, z, code, i + 4));
    }
    double part[4];
    _mm256_storeu_pd(part, _mm256_add_pd(a, b));
    return part[0] + part[1] + part[2] + part[3] +
           instant_sum_scalar(x + i, y + i, z + i, code + i, n - i);
}
#endif

static double instant_sum(const double *x, const double *y, const double *z, const uint8_t *code,
                          size_t n)
{
#if defined(__x86_64__) && defined(__GNUC__)
    if (__builtin_cpu_supports("avx2"))
        return instant_sum_avx2(x, y, z, code, n);
#endif
    return instant_sum_scalar(x, y, z, code, n);
}

static int add_block(void *ctx, const apsco_fleet_block *b)
{
    checksum *c = ctx;
    const apsco_fleet_buffer *buf = b->buf;
    /*
     * TIME_PLANES: per instant, the x of every satellite, then y, then z.
     * One thread: the engine calls back while its other threads already
     * compute the next block.
     */
    for (size_t k = 0; k < b->instants; k++) {
        const double *x = buf->state + (ptrdiff_t)k * buf->instant_stride;
        const double *y = x + buf->component_stride, *z = y + buf->component_stride;
        const uint8_t *code = buf->code + (ptrdiff_t)k * buf->code_instant_stride;
        c->sum_km += instant_sum(x, y, z, code, b->satellites);
    }
    return 0;
}

static double clock_s(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/*
 * Initialises every element set, keeping those of kind `only` (all when
 * NULL); a record refused by SGP4 stays in the fleet with its code (and
 * counts as near-Earth). Sets *count to the satellites kept.
 */
static apsco_sat *init_sats(const apsco_catalog *cat, const char *only, size_t *count)
{
    apsco_sat *sats = calloc(cat->count ? cat->count : 1, sizeof *sats);
    *count = 0;
    if (!sats)
        return NULL;
    for (size_t i = 0; i < cat->count; i++) {
        apsco_sat *s = &sats[*count];
        apsco_sat_init(s, &cat->items[i], APSCO_WGS72, APSCO_OPSMODE_IMPROVED, NULL);
        if (!only || orbit_kind(s) == only)
            (*count)++;
    }
    return sats;
}

static apsco_time newest_epoch(const apsco_catalog *cat)
{
    apsco_time t = cat->items[0].epoch;
    for (size_t i = 1; i < cat->count; i++)
        if (apsco_time_compare(cat->items[i].epoch, t) > 0)
            t = cat->items[i].epoch;
    return t;
}

static int bench_propagate(const bench_args *a)
{
    apsco_catalog cat = {0};
    int rc = cli_load_catalog(a->catalog, 0, &cat);
    if (rc != CLI_EXIT_OK)
        return rc;
    size_t count;
    apsco_sat *sats = init_sats(&cat, a->only, &count);
    apsco_fleet *fleet = NULL;
    apsco_error err;
    if (sats && count == 0) {
        cli_message("bench: no %s orbit in %s", a->only, a->catalog);
        free(sats);
        apsco_catalog_free(&cat);
        return CLI_EXIT_DATA;
    }
    if (!sats || apsco_fleet_new(&fleet, sats, count, &err) != APSCO_OK) {
        cli_message("bench: out of memory");
        free(sats);
        apsco_catalog_free(&cat);
        return CLI_EXIT_DATA;
    }
    size_t instants = (size_t)floor(a->span_min / a->step_min + 1e-9);
    apsco_time start = a->have_start ? a->start : newest_epoch(&cat);
    apsco_times times = apsco_times_grid(start, a->step_min * 60.0, instants);
    apsco_fleet_options opt = {a->threads, APSCO_FLEET_TEME, NULL, a->kernel};
    if (opt.kernel == APSCO_KERNEL_AUTO)
        opt.kernel = apsco_fleet_kernel_best();
    int threads = a->threads > 0 ? a->threads : omp_get_num_procs();
    /*
     * Blocks of about 512 KiB of states, two instants at least: the two
     * blocks in flight stay in a core's 1 MiB second-level cache between
     * the engine's writes and the checksum's reads. Measured on one thread
     * of the project's machine, processor time, gpredict workload: 30.0 ns
     * per propagation with 8-instant blocks (380 KiB), 32.7 with 33
     * (1.5 MiB), 35.8 with 64; CelesTrak: 32.0 with 2 instants (1.4 MiB),
     * 34.7 with 1 (a block too short to amortise each vector's start).
     */
    size_t per_instant = count * (6 * sizeof(double) + 1) + 1;
    size_t block = ((size_t)1 << 19) / per_instant;
    if (a->block_instants)
        block = (size_t)a->block_instants;
    else if (block < 2)
        block = 2;

    double best = INFINITY, best_cpu = INFINITY, sum_km = 0.0;
    for (int r = 0; r < a->repeat && rc == CLI_EXIT_OK; r++) {
        checksum c = {0.0};
        double t0 = clock_s(CLOCK_MONOTONIC), c0 = clock_s(CLOCK_PROCESS_CPUTIME_ID);
        if (apsco_fleet_stream(fleet, &times, &opt, APSCO_LAYOUT_TIME_PLANES, block, add_block, &c,
                               &err) != APSCO_OK) {
            cli_print_error(&err);
            rc = CLI_EXIT_DATA;
        }
        double dt = clock_s(CLOCK_MONOTONIC) - t0, dc = clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0;
        best = dt < best ? dt : best;
        best_cpu = dc < best_cpu ? dc : best_cpu;
        sum_km = c.sum_km;
    }
    if (rc == CLI_EXIT_OK) {
        double props = (double)count * (double)instants;
        printf("{\"satellites\":%zu,\"instants\":%zu,\"propagations\":%.0f,\"seconds\":%.6f,"
               "\"ns_per_propagation\":%.3f,\"checksum_km\":%.6f,\"engine\":\"apsco\","
               "\"kernel\":\"%s\",\"threads\":%d,\"cpu_ns_per_propagation\":%.3f,"
               "\"orbits\":\"%s\"}\n",
               count, instants, props, best, props > 0 ? best * 1e9 / props : 0.0, sum_km,
               apsco_fleet_kernel_name(opt.kernel), threads,
               props > 0 ? best_cpu * 1e9 / props : 0.0, a->only ? a->only : "all");
    }
    apsco_fleet_free(fleet);
    free(sats);
    apsco_catalog_free(&cat);
    return rc;
}

int cli_bench(int argc, char **argv)
{
    if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        fputs(usage, stdout);
        return CLI_EXIT_OK;
    }
    if (argc < 2 || strcmp(argv[1], "propagate") != 0)
        return cli_usage_error(CMD, "expected 'propagate' (the only benchmark)");
    bench_args a;
    int rc = parse_args(argc - 1, argv + 1, &a);
    if (rc >= 0)
        return rc;
    return bench_propagate(&a);
}
