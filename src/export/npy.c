/*
 * npy.c — the header of NumPy's .npy array files, so that numpy.load reads
 * what apsco writes without any Python on the writing side.
 *
 * Format (numpy.lib.format, version 1.0): the magic "\x93NUMPY", the
 * version bytes 1 and 0, a little-endian uint16 header length, then a
 * Python dict literal giving dtype, order and shape, padded with spaces and
 * ended by a newline so that the data start on an aligned offset.
 */
#include <stdio.h>
#include <string.h>

#include "apsco/export.h"

int apsco_export_npy_header(FILE *out, const size_t *shape, int ndim)
{
    if (ndim < 1 || ndim > 8)
        return -1;
    char dict[512];
    int len = snprintf(dict, sizeof dict, "{'descr': '<f8', 'fortran_order': False, 'shape': (");
    for (int i = 0; i < ndim; i++)
        len += snprintf(dict + len, sizeof dict - (size_t)len, "%zu,%s", shape[i],
                        i + 1 < ndim ? " " : "");
    len += snprintf(dict + len, sizeof dict - (size_t)len, "), }");
    /* Magic (6) + version (2) + length (2) + dict + padding + '\n' is a multiple of 64. */
    size_t total = (10 + (size_t)len + 1 + 63) / 64 * 64;
    size_t header_len = total - 10;
    if (header_len > 65535)
        return -1;
    unsigned char lead[10] = {0x93,
                              'N',
                              'U',
                              'M',
                              'P',
                              'Y',
                              1,
                              0,
                              (unsigned char)(header_len & 0xff),
                              (unsigned char)(header_len >> 8)};
    if (fwrite(lead, 1, sizeof lead, out) != sizeof lead || fputs(dict, out) == EOF)
        return -1;
    for (size_t i = 10 + (size_t)len; i + 1 < total; i++)
        if (fputc(' ', out) == EOF)
            return -1;
    return fputc('\n', out) == EOF ? -1 : 0;
}
