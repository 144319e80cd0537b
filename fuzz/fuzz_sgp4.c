/*
 * fuzz_sgp4.c — SGP4 on whatever element set the TLE parser accepts, at
 * arbitrary times. Input: byte 0 selects the gravity model and opsmode,
 * then two text lines (the TLE), then up to 16 times as raw 8-byte doubles.
 *
 * Checks the module's promises: codes are 0-7; code 0 comes with finite
 * position and velocity; the resonance cache changes nothing, bit for bit;
 * propagation leaves the record untouched; no time makes it hang.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/elements.h"
#include "apsco/orbit.h"

#define MAX_TIMES 16

/* Copies the line starting at data[*pos] into buf (NUL-terminated) and advances *pos. */
static int take_line(const uint8_t *data, size_t size, size_t *pos, char *buf, size_t cap)
{
    size_t n = 0;
    while (*pos < size && data[*pos] != '\n') {
        if (n + 1 < cap)
            buf[n++] = (char)data[*pos];
        (*pos)++;
    }
    if (*pos >= size)
        return 0;
    (*pos)++;
    buf[n] = '\0';
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    apsco_gravity gravity = (apsco_gravity)(data[0] % 3);
    apsco_opsmode opsmode = (data[0] >> 2) & 1 ? APSCO_OPSMODE_AFSPC : APSCO_OPSMODE_IMPROVED;
    size_t pos = 1;
    char l1[160], l2[160];
    if (!take_line(data, size, &pos, l1, sizeof l1) || !take_line(data, size, &pos, l2, sizeof l2))
        return 0;
    apsco_elset e;
    if (apsco_elset_parse_tle(l1, l2, NULL, "fuzz", 1, NULL, &e, NULL) != APSCO_OK)
        return 0;
    apsco_sat sat, copy;
    apsco_status st = apsco_sat_init(&sat, &e, gravity, opsmode, NULL);
    if (st != APSCO_OK && st != APSCO_ERR_SGP4 && st != APSCO_ERR_VALUE)
        abort();
    if (st == APSCO_ERR_VALUE)
        return 0;
    memcpy(&copy, &sat, sizeof sat);

    apsco_sgp4_cache cache;
    apsco_sgp4_cache_reset(&cache);
    for (int k = 0; k < MAX_TIMES && pos + sizeof(double) <= size; k++, pos += sizeof(double)) {
        double t;
        memcpy(&t, data + pos, sizeof t);
        /* Keep each run short: within ±1e6 min the integrator takes at most 1400 steps. */
        if (fabs(t) > 1e6 && fabs(t) <= APSCO_SGP4_MAX_TSINCE_MIN)
            t = fmod(t, 1e6);
        double r1[3], v1[3], r2[3], v2[3];
        int c1 = apsco_sgp4(&sat, NULL, t, r1, v1);
        int c2 = apsco_sgp4(&sat, &cache, t, r2, v2);
        if (c1 < 0 || c1 > 7 || c1 != c2)
            abort();
        if (memcmp(r1, r2, sizeof r1) != 0 || memcmp(v1, v2, sizeof v1) != 0)
            abort();
        if (c1 == 0)
            for (int i = 0; i < 3; i++)
                if (!isfinite(r1[i]) || !isfinite(v1[i]))
                    abort();
    }
    if (memcmp(&sat, &copy, sizeof sat) != 0)
        abort();
    return 0;
}
