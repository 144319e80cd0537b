/*
 * libFuzzer harness for the requests parser (CSV and JSON): no crash, no
 * leak, and every request it accepts passes the checks a request must pass.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apsco/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apsco_plan_requests set = {0};
    apsco_error err;
    if (apsco_plan_requests_parse((const char *)data, size, "fuzz", &set, &err) == APSCO_OK) {
        for (size_t i = 0; i < set.count; i++) {
            const apsco_plan_request *r = &set.items[i];
            if (r->priority < 1 || r->priority > 5 || !(r->min_duration_s > 0) ||
                (r->per_day == 0 && !r->has_window) || strlen(r->id) == 0 ||
                strlen(r->state) != 2 || r->stations_first + r->stations_count > set.name_count)
                abort();
            /* Adding it again must be refused: ids are unique. */
            apsco_plan_request copy = *r;
            if (apsco_plan_requests_add(&set, &copy, NULL, 0, &err) == APSCO_OK)
                abort();
        }
    } else if (set.count != 0 || err.message[0] == '\0') {
        abort();
    }
    apsco_plan_requests_free(&set);
    return 0;
}
