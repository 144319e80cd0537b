/*
 * apsco/export.h — the small pieces every text writer shares: CSV fields
 * quoted by RFC 4180, JSON strings escaped by RFC 8259, and the number
 * formats that keep a millimetre; the header of NumPy's .npy arrays.
 *
 * Writers take a FILE * chosen by the caller; they compute nothing.
 */
#ifndef APSCO_EXPORT_H
#define APSCO_EXPORT_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Writes `s` as one CSV field, quoted only when it holds a comma, quote, CR or LF. */
void apsco_export_csv_field(FILE *out, const char *s);

/* Writes `s` as a JSON string literal (with the quotes); bytes that are not UTF-8 become U+FFFD. */
void apsco_export_json_string(FILE *out, const char *s);

/*
 * Writes a finite double with `decimals` digits after the point, or `null`
 * (JSON) / an empty field (CSV) for NaN and infinities when `json` is 0.
 */
void apsco_export_number(FILE *out, double value, int decimals, int json);

/*
 * Writes the header of a NumPy .npy file (format version 1.0) for a C-order
 * array of little-endian float64 ('<f8') of `ndim` (1-8) dimensions; the
 * caller then writes the product of `shape` doubles in that order. The
 * header is padded so that the data start on a multiple of 64 bytes.
 * Returns 0 on success, -1 for a bad ndim, a header over 65535 bytes or a
 * write error.
 */
int apsco_export_npy_header(FILE *out, const size_t *shape, int ndim);

#ifdef __cplusplus
}
#endif
#endif
