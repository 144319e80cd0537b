/*
 * fuzz_omm_csv.c — libFuzzer harness for the CSV encoding of CCSDS OMM:
 * every input is parsed as CSV, leniently and strictly, through
 * apsco_catalog_parse. Crashes, leaks and sanitizer reports are the findings.
 */
#include <stddef.h>
#include <stdint.h>

#include "fuzz_elements.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fuzz_parse_both_ways(data, size, APSCO_FORMAT_OMM_CSV);
    return 0;
}
