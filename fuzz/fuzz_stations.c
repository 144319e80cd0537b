/*
 * fuzz_stations.c — libFuzzer harness for the station file parser: any bytes
 * must give either stations that pass validation or an error with a
 * location, never a crash, a leak or a half-filled list.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "apsco/stations.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    apsco_station_list list = {0};
    apsco_error err;
    apsco_status st = apsco_stations_parse((const char *)data, size, "fuzz.csv", &list, &err);
    if (st != APSCO_OK && list.count != 0)
        abort();
    for (size_t i = 0; i < list.count; i++) {
        if (apsco_station_validate(&list.items[i], &err) != APSCO_OK)
            abort();
        double el = apsco_station_min_el_at_rad(&list.items[i], (double)i * 0.7);
        if (!(el >= list.items[i].min_el_rad))
            abort();
    }
    apsco_station_list_free(&list);
    return 0;
}
