/*
 * apsco/time.h — UTC instants as two-part Julian dates, ISO-8601 text,
 * calendar conversion and leap seconds.
 *
 * An instant travels as apsco_time {jd, fr}: the Julian date is jd + fr.
 * Normalised values (what every function here returns) have jd = N + 0.5
 * (a UTC midnight) and 0 <= fr < 1, so that a microsecond is never lost to
 * the size of the day number. Instants are UTC unless a name says otherwise;
 * a UTC day is treated as 86 400 s (leap seconds are only needed to reach TT
 * and come from ERFA's table).
 */
#ifndef APSCO_TIME_H
#define APSCO_TIME_H

#include <stddef.h>

#include "apsco/error.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct apsco_time {
    double jd; /* whole part of the Julian date (N + 0.5 when normalised), days */
    double fr; /* fraction of day, 0 <= fr < 1 when normalised, days */
} apsco_time;

typedef struct apsco_calendar {
    int year, month, day; /* Gregorian date */
    int hour, minute;     /* 0-23, 0-59 */
    double second;        /* 0 <= second < 60 */
} apsco_calendar;

#define APSCO_JD_J2000        2451545.0 /* 2000-01-01T12:00:00 TT */
#define APSCO_JD_1950         2433281.5 /* 1949-12-31T00:00:00, the SGP4 epoch origin */
#define APSCO_SECONDS_PER_DAY 86400.0
#define APSCO_MINUTES_PER_DAY 1440.0

/* Returns {jd, fr} with jd = N + 0.5 and 0 <= fr < 1, equal to jd + fr. */
apsco_time apsco_time_normalize(double jd, double fr);

/*
 * The instant of a Gregorian calendar date and time of day. Out-of-range
 * fields are not checked here (use apsco_time_parse_iso for validation);
 * they roll over arithmetically.
 */
apsco_time apsco_time_from_calendar(int year, int month, int day, int hour, int minute,
                                    double second);

/* The instant `day_of_year` days into `year`, 1.0 being January 1 at 00:00 (TLE epochs). */
apsco_time apsco_time_from_year_day(int year, double day_of_year);

/* Splits an instant into its Gregorian calendar date and time of day. */
void apsco_time_to_calendar(apsco_time t, apsco_calendar *cal);

/*
 * Parses an ISO-8601 UTC instant: "YYYY-MM-DDTHH:MM:SS[.f…][Z|+00:00]",
 * also with a space for 'T', minutes-only "YYYY-MM-DDTHH:MM" and date-only
 * "YYYY-MM-DD". Rejects impossible dates (February 30, hour 24, …) and
 * any other offset than UTC. Errors: APSCO_ERR_PARSE, APSCO_ERR_VALUE.
 */
apsco_status apsco_time_parse_iso(const char *text, apsco_time *out, apsco_error *err);

/*
 * Writes "YYYY-MM-DDTHH:MM:SS[.d…]Z" with `decimals` (0-9) fractional digits,
 * correctly rounded (…59.9996 with 3 decimals carries into the next minute).
 * Returns the number of characters written (as snprintf), buffer of 32 bytes
 * is always enough.
 */
int apsco_time_format_iso(apsco_time t, int decimals, char *buf, size_t size);

/* t + seconds, normalised. */
apsco_time apsco_time_add_s(apsco_time t, double seconds);
/* t + minutes, normalised. */
apsco_time apsco_time_add_min(apsco_time t, double minutes);
/* a - b in seconds. */
double apsco_time_diff_s(apsco_time a, apsco_time b);
/* a - b in minutes. */
double apsco_time_diff_min(apsco_time a, apsco_time b);
/* -1, 0 or 1 as a is before, equal to or after b. */
int apsco_time_compare(apsco_time a, apsco_time b);

/* TAI - UTC in seconds at a UTC instant (ERFA's leap-second table). */
double apsco_time_tai_minus_utc_s(apsco_time utc);
/* Terrestrial Time of a UTC instant: TT = UTC + (TAI - UTC) + 32.184 s. */
apsco_time apsco_time_utc_to_tt(apsco_time utc);

/* The current UTC instant from the system clock. */
apsco_time apsco_time_now(void);

#ifdef __cplusplus
}
#endif
#endif
