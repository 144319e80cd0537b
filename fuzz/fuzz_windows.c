/*
 * libFuzzer harness for the pass-windows CSV: no crash, no leak, and every
 * window it accepts ends after it starts at a station it lists.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "apsco/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apsco_plan_windows w = {0};
    apsco_error err;
    if (apsco_plan_windows_parse((const char *)data, size, "fuzz", &w, &err) == APSCO_OK) {
        for (size_t i = 0; i < w.count; i++)
            if (w.items[i].station >= w.station_count ||
                !(apsco_time_diff_s(w.items[i].end, w.items[i].start) > 0))
                abort();
    } else if (w.count != 0) {
        abort();
    }
    apsco_plan_windows_free(&w);
    return 0;
}
