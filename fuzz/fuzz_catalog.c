/*
 * fuzz_catalog.c — libFuzzer harness for catalog reading with format
 * detection: every input goes through apsco_elset_detect_format and is
 * parsed as whatever it is taken for, leniently and strictly.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_elements.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_parse_both_ways(data, size, APSCO_FORMAT_AUTO);
    return 0;
}
