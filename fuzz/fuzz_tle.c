/*
 * fuzz_tle.c — libFuzzer harness for the TLE and 3LE element sets:
 * every input is parsed as TLE text, leniently and strictly, through
 * apsco_catalog_parse. Crashes, leaks and sanitizer reports are the findings.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_elements.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_parse_both_ways(data, size, APSCO_FORMAT_TLE);
    return 0;
}
