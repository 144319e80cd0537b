/*
 * tle_write.c — an element set written back as the two fixed-column lines of
 * a TLE, the inverse of the parser in tle.c, for exports and for synthetic
 * catalogs. Column numbers in comments count from 1, as the format does.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "elements/internal.h"

#define XPDOTP  (1440.0 / (2.0 * M_PI)) /* rev/day per rad/min */
#define RAD2DEG (180.0 / M_PI)

/*
 * The "assumed decimal point" exponent notation of columns 45-52 and 54-61:
 * sign, five mantissa digits read as 0.ddddd, exponent sign and digit
 * (0.12345e-3 is " 12345-3"). Returns 0 if |value| needs an exponent
 * outside -9..9 (values that small are written as zero).
 */
static int format_exp_field(double value, char out[9])
{
    double a = fabs(value);
    if (a < 1e-15) {
        memcpy(out, " 00000+0", 9);
        return 1;
    }
    int exponent = (int)floor(log10(a)) + 1;
    long digits = lround(a / pow(10.0, exponent) * 1e5);
    if (digits >= 100000) {
        digits /= 10;
        exponent++;
    }
    if (digits < 10000) { /* log10 rounded the other way */
        digits = lround(a / pow(10.0, exponent - 1) * 1e5);
        exponent--;
    }
    if (exponent < -9) {
        memcpy(out, " 00000+0", 9);
        return 1;
    }
    if (exponent > 9)
        return 0;
    snprintf(out, 9, "%c%05ld%c%d", value < 0 ? '-' : ' ', digits, exponent < 0 ? '-' : '+',
             exponent < 0 ? -exponent : exponent);
    return 1;
}

/* An angle in degrees reduced to [0, 360), rounded to the 1e-4 of the columns. */
static double angle_deg(double rad)
{
    double d = fmod(rad * RAD2DEG, 360.0);
    if (d < 0)
        d += 360.0;
    if (round(d * 1e4) >= 360.0 * 1e4)
        d = 0.0;
    return d;
}

/* Two-digit year and day of year (1.0 = January 1, 00:00) of `t`, rounded to 1e-8 day. */
static int epoch_fields(apsco_time t, int *year, double *day)
{
    apsco_calendar cal;
    apsco_time_to_calendar(t, &cal);
    apsco_time jan1 = apsco_time_from_calendar(cal.year, 1, 1, 0, 0, 0.0);
    double d = (t.jd - jan1.jd) + (t.fr - jan1.fr) + 1.0;
    d = round(d * 1e8) / 1e8;
    int leap = (cal.year % 4 == 0 && cal.year % 100 != 0) || cal.year % 400 == 0;
    double days = leap ? 366.0 : 365.0;
    *year = cal.year;
    if (d >= days + 1.0) {
        d -= days;
        (*year)++;
    }
    *day = d;
    return *year >= 1957 && *year <= 2056;
}

/* Writes the checksum into column 69 of a 68-column line. */
static void seal(char *line)
{
    line[68] = (char)('0' + apsco_tle_checksum(line));
    line[69] = '\0';
}

static apsco_status format_line1(const apsco_elset *e, const char *catalog, char line1[70],
                                 apsco_error *err)
{
    int year;
    double day;
    if (!epoch_fields(e->epoch, &year, &day))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "epoch year %d cannot be written in a TLE (1957-2056)", year);
    double ndot = e->ndot_rad_min2 * (XPDOTP * 1440.0);
    long ndot_digits = lround(fabs(ndot) * 1e8);
    if (ndot_digits >= 100000000L)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "first derivative of mean motion %g rev/day^2 is too large", ndot);
    char nddot[9], bstar[9];
    if (!format_exp_field(e->nddot_rad_min3 * (XPDOTP * 1440.0 * 1440.0), nddot) ||
        !format_exp_field(e->bstar_per_er, bstar))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "a drag term is too large for the TLE exponent columns");
    char cls = e->classification ? e->classification : 'U';
    char buf[128];
    snprintf(buf, sizeof buf, "1 %.5s%c %-8.8s %02d%012.8f %c.%08ld %.8s %.8s %d %4d", catalog, cls,
             e->intldes, year % 100, day, ndot < 0 && ndot_digits ? '-' : ' ', ndot_digits, nddot,
             bstar, e->ephemeris_type % 10, e->element_set_no % 10000);
    if (strlen(buf) != 68)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "line 1 does not fit 69 columns");
    memcpy(line1, buf, 68);
    seal(line1);
    return APSCO_OK;
}

static apsco_status format_line2(const apsco_elset *e, const char *catalog, char line2[70],
                                 apsco_error *err)
{
    double n = e->mean_motion_rad_min * XPDOTP;
    if (!(n > 0.0 && n < 100.0))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "mean motion %g rev/day cannot be written in a TLE", n);
    long ecc = lround(e->ecc * 1e7);
    if (ecc < 0 || ecc > 9999999)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "eccentricity %g cannot be written in a TLE", e->ecc);
    double incl = e->incl_rad * RAD2DEG;
    if (!(incl >= 0.0 && incl <= 180.0))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "inclination %g is outside [0, 180]",
                               incl);
    char buf[128];
    snprintf(buf, sizeof buf, "2 %.5s %8.4f %8.4f %07ld %8.4f %8.4f %11.8f%5ld", catalog, incl,
             angle_deg(e->raan_rad), ecc, angle_deg(e->argp_rad), angle_deg(e->mean_anomaly_rad), n,
             e->rev_at_epoch % 100000);
    if (strlen(buf) != 68)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "line 2 does not fit 69 columns");
    memcpy(line2, buf, 68);
    seal(line2);
    return APSCO_OK;
}

apsco_status apsco_elset_format_tle(const apsco_elset *e, char line1[70], char line2[70],
                                    apsco_error *err)
{
    if (!e || !line1 || !line2)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "no element set");
    char catalog[6];
    if (apsco_alpha5_encode(e->norad, catalog) != APSCO_OK)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0,
                               "catalog number %ld cannot be written in a TLE (0-339999)",
                               e->norad);
    apsco_status st = format_line1(e, catalog, line1, err);
    if (st == APSCO_OK)
        st = format_line2(e, catalog, line2, err);
    return st;
}

apsco_status apsco_catalog_write_3le(FILE *out, const apsco_catalog *catalog, apsco_error *err)
{
    for (size_t i = 0; i < catalog->count; i++) {
        const apsco_elset *e = &catalog->items[i];
        char l1[70], l2[70];
        apsco_status st = apsco_elset_format_tle(e, l1, l2, err);
        if (st != APSCO_OK)
            return st;
        if (e->name[0])
            fprintf(out, "%s\n", e->name);
        fprintf(out, "%s\n%s\n", l1, l2);
    }
    if (fflush(out) != 0 || ferror(out))
        return apsco_error_set(err, APSCO_ERR_IO, NULL, 0, "write error: %s", strerror(errno));
    return APSCO_OK;
}
