/*
 * fuzz_eop.c — libFuzzer harness for the EOP parser (IERS finals and
 * CelesTrak CSV): any bytes must give a table or an error with a location,
 * never a crash, a leak or a read past the input. A parsed table must be
 * sorted and usable for interpolation.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/frames.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* A private copy, so that a read past `size` is caught by the sanitizer. */
    char *text = malloc(size ? size : 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    apsco_eop eop;
    apsco_error err;
    apsco_status st = apsco_eop_parse(text, size, "fuzz", &eop, &err);
    if (st == APSCO_OK) {
        for (size_t i = 1; i < eop.count; i++)
            if (!(eop.rows[i].mjd > eop.rows[i - 1].mjd))
                abort();
        apsco_eop_row row;
        double mid = 0.5 * (eop.rows[0].mjd + eop.rows[eop.count - 1].mjd);
        apsco_time t = apsco_time_normalize(2400000.5, mid);
        if (!apsco_eop_interpolate(&eop, t, &row))
            abort();
        apsco_earth_rotation rot;
        apsco_earth_rotation_at(&rot, t, &eop);
    } else if (err.message[0] == '\0') {
        abort();
    }
    apsco_eop_free(&eop);
    free(text);
    return 0;
}
