/*
 * time.c — UTC instants as two-part Julian dates: calendar conversion,
 * ISO-8601 text, arithmetic and leap seconds.
 *
 * The day number and the fraction of day are kept apart so that adding a
 * few seconds to a date near JD 2.46e6 does not lose microseconds. Calendar
 * arithmetic uses the proleptic Gregorian calendar with day counts from
 * 1970-01-01 (Hinnant's civil-from-days algorithm, exact for any year).
 * This module knows nothing about orbits.
 */
#include "apsco/time.h"

#include "text/text.h"

#include <ctype.h>
#include <erfa.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define JD_UNIX_EPOCH 2440587.5 /* 1970-01-01T00:00:00 */

/* Days from 1970-01-01 to the Gregorian date y-m-d (any month 1-12, day 1-31). */
static long days_from_civil(long y, int m, int d)
{
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The Gregorian date of a day count from 1970-01-01. */
static void civil_from_days(long z, int *year, int *month, int *day)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long y = yoe + era * 400;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    int d = (int)(doy - (153 * mp + 2) / 5 + 1);
    int m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *year = (int)(y + (m <= 2));
    *month = m;
    *day = d;
}

static int is_leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap_year(y) ? 29 : days[m - 1];
}

apsco_time apsco_time_normalize(double jd, double fr)
{
    /* jd - midnight is exact (Sterbenz), and so is x - floor(x). */
    double midnight = floor(jd - 0.5) + 0.5;
    double f = (jd - midnight) + fr;
    double whole = floor(f);
    apsco_time t = {midnight + whole, f - whole};
    if (t.fr >= 1.0) {
        t.fr -= 1.0;
        t.jd += 1.0;
    }
    return t;
}

apsco_time apsco_time_from_calendar(int year, int month, int day, int hour, int minute,
                                    double second)
{
    /* Let months outside 1-12 roll into neighbouring years. */
    long y = year + (month - 1) / 12;
    int m = (month - 1) % 12;
    if (m < 0) {
        m += 12;
        y -= 1;
    }
    double jd = (double)days_from_civil(y, m + 1, 1) + (day - 1) + JD_UNIX_EPOCH;
    double fr = (second + minute * 60.0 + hour * 3600.0) / APSCO_SECONDS_PER_DAY;
    return apsco_time_normalize(jd, fr);
}

apsco_time apsco_time_from_year_day(int year, double day_of_year)
{
    /* day_of_year - 1 and its split into whole and fraction are exact. */
    double days = day_of_year - 1.0;
    double whole = floor(days);
    double jd = (double)days_from_civil(year, 1, 1) + JD_UNIX_EPOCH + whole;
    return apsco_time_normalize(jd, days - whole);
}

void apsco_time_to_calendar(apsco_time t, apsco_calendar *cal)
{
    t = apsco_time_normalize(t.jd, t.fr);
    civil_from_days((long)(t.jd - JD_UNIX_EPOCH), &cal->year, &cal->month, &cal->day);
    double s = t.fr * APSCO_SECONDS_PER_DAY;
    int hour = (int)(s / 3600.0);
    if (hour > 23)
        hour = 23;
    s -= hour * 3600.0;
    int minute = (int)(s / 60.0);
    if (minute > 59)
        minute = 59;
    s -= minute * 60.0;
    cal->hour = hour;
    cal->minute = minute;
    cal->second = s < 0.0 ? 0.0 : s;
}

int apsco_time_format_iso(apsco_time t, int decimals, char *buf, size_t size)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 9)
        decimals = 9;
    t = apsco_time_normalize(t.jd, t.fr);
    long long scale = 1;
    for (int i = 0; i < decimals; i++)
        scale *= 10;
    /* Round once, on the whole time of day, so that carries propagate. */
    long long units = llround(t.fr * APSCO_SECONDS_PER_DAY * (double)scale);
    long long per_day = 86400LL * scale;
    long day = (long)(t.jd - JD_UNIX_EPOCH);
    if (units >= per_day) {
        units -= per_day;
        day += 1;
    }
    int y, mo, d;
    civil_from_days(day, &y, &mo, &d);
    long long secs = units / scale, frac = units % scale;
    int h = (int)(secs / 3600), mi = (int)(secs / 60 % 60), s = (int)(secs % 60);
    if (decimals == 0)
        return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, mo, d, h, mi, s);
    return snprintf(buf, size, "%04d-%02d-%02dT%02d:%02d:%02d.%0*lldZ", y, mo, d, h, mi, s,
                    decimals, frac);
}

/* Reads exactly `n` digits at *p into *value and advances *p. */
static int read_digits(const char **p, int n, int *value)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (!isdigit((unsigned char)(*p)[i]))
            return 0;
        v = v * 10 + ((*p)[i] - '0');
    }
    *p += n;
    *value = v;
    return 1;
}

/* Accepts "Z", "+00:00", "+0000", "-00:00", "+00" or nothing at the end of an instant. */
static int read_utc_suffix(const char *p)
{
    if (*p == '\0')
        return 1;
    if ((*p == 'Z' || *p == 'z') && p[1] == '\0')
        return 1;
    if (*p == '+' || *p == '-') {
        const char *z = p + 1;
        if (!strcmp(z, "00:00") || !strcmp(z, "0000") || !strcmp(z, "00"))
            return 1;
    }
    return 0;
}

apsco_status apsco_time_parse_iso(const char *text, apsco_time *out, apsco_error *err)
{
    if (!text)
        return apsco_error_set(err, APSCO_ERR_ARG, NULL, 0, "missing time");
    const char *p = text;
    int year, month, day, hour = 0, minute = 0;
    double second = 0.0;
    int whole_second = 0;
    if (!read_digits(&p, 4, &year) || *p++ != '-' || !read_digits(&p, 2, &month) || *p++ != '-' ||
        !read_digits(&p, 2, &day))
        return apsco_error_set(err, APSCO_ERR_PARSE, NULL, 0,
                               "'%s' is not an ISO-8601 UTC time (YYYY-MM-DDTHH:MM:SSZ)", text);
    if (*p == 'T' || *p == 't' || *p == ' ') {
        p++;
        if (!read_digits(&p, 2, &hour) || *p++ != ':' || !read_digits(&p, 2, &minute))
            return apsco_error_set(err, APSCO_ERR_PARSE, NULL, 0,
                                   "'%s' has no valid time of day (HH:MM[:SS])", text);
        if (*p == ':') {
            p++;
            int whole;
            if (!read_digits(&p, 2, &whole))
                return apsco_error_set(err, APSCO_ERR_PARSE, NULL, 0, "'%s' has no valid seconds",
                                       text);
            second = whole;
            whole_second = whole;
            if (*p == '.' || *p == ',') {
                p++;
                if (!isdigit((unsigned char)*p))
                    return apsco_error_set(err, APSCO_ERR_PARSE, NULL, 0,
                                           "'%s' has an empty fraction of second", text);
                /* Read the fraction as one decimal so that it is correctly rounded. */
                char frac[40] = "0.";
                size_t n = 2;
                for (; isdigit((unsigned char)*p); p++)
                    if (n < sizeof frac - 1)
                        frac[n++] = *p;
                frac[n] = '\0';
                second += text_strtod(frac, NULL);
            }
        }
    }
    if (!read_utc_suffix(p))
        return apsco_error_set(err, APSCO_ERR_PARSE, NULL, 0,
                               "'%s': unexpected text '%s' (times are UTC: end with Z)", text, p);
    if (year < 1900 || year > 2199)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "'%s': year outside 1900-2199", text);
    if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month))
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "'%s' is not a calendar date", text);
    /* A fraction such as .9999999999999999999 may round up to the next second: that is fine. */
    if (hour > 23 || minute > 59 || whole_second > 59)
        return apsco_error_set(err, APSCO_ERR_VALUE, NULL, 0, "'%s' is not a time of day", text);
    *out = apsco_time_from_calendar(year, month, day, hour, minute, second);
    return APSCO_OK;
}

apsco_time apsco_time_add_s(apsco_time t, double seconds)
{
    return apsco_time_normalize(t.jd, t.fr + seconds / APSCO_SECONDS_PER_DAY);
}

apsco_time apsco_time_add_min(apsco_time t, double minutes)
{
    return apsco_time_normalize(t.jd, t.fr + minutes / APSCO_MINUTES_PER_DAY);
}

double apsco_time_diff_s(apsco_time a, apsco_time b)
{
    return ((a.jd - b.jd) + (a.fr - b.fr)) * APSCO_SECONDS_PER_DAY;
}

double apsco_time_diff_min(apsco_time a, apsco_time b)
{
    return ((a.jd - b.jd) + (a.fr - b.fr)) * APSCO_MINUTES_PER_DAY;
}

int apsco_time_compare(apsco_time a, apsco_time b)
{
    double d = (a.jd - b.jd) + (a.fr - b.fr);
    return (d > 0) - (d < 0);
}

double apsco_time_tai_minus_utc_s(apsco_time utc)
{
    apsco_calendar c;
    apsco_time_to_calendar(utc, &c);
    double dat = 0.0;
    double fd = (c.hour * 3600.0 + c.minute * 60.0 + c.second) / APSCO_SECONDS_PER_DAY;
    /* eraDat warns (status 1) outside its table's trust range; the value is still its best. */
    if (eraDat(c.year, c.month, c.day, fd, &dat) < 0)
        return 0.0;
    return dat;
}

apsco_time apsco_time_utc_to_tt(apsco_time utc)
{
    return apsco_time_add_s(utc, apsco_time_tai_minus_utc_s(utc) + 32.184);
}

apsco_time apsco_time_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double days = floor((double)ts.tv_sec / APSCO_SECONDS_PER_DAY);
    double rem = ((double)ts.tv_sec - days * APSCO_SECONDS_PER_DAY) + ts.tv_nsec * 1e-9;
    return apsco_time_normalize(JD_UNIX_EPOCH + days, rem / APSCO_SECONDS_PER_DAY);
}
