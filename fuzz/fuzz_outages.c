/*
 * libFuzzer harness for the outages file and the entitlements file, which
 * share one line syntax: no crash, no leak, nothing half-applied on error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apsco_plan_outages o = {0};
    apsco_error err;
    if (apsco_plan_outages_parse((const char *)data, size, "fuzz", &o, &err) == APSCO_OK) {
        for (size_t i = 0; i < o.count; i++)
            if (!(apsco_time_diff_s(o.items[i].end, o.items[i].start) > 0))
                abort();
    } else if (o.count != 0) {
        abort();
    }
    apsco_plan_outages_free(&o);
    apsco_plan_states before, s;
    apsco_plan_states_builtin(&before);
    s = before;
    if (apsco_plan_entitlements_parse((const char *)data, size, "fuzz", &s, &err) != APSCO_OK &&
        memcmp(&s, &before, sizeof s))
        abort();
    return 0;
}
