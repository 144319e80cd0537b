/*
 * number.c — locale-independent strtod for the parsers.
 *
 * POSIX 2008 per-thread locales: the "C" locale object is made once and put
 * in force only for the duration of the call, so other threads and the
 * caller's own locale are unaffected.
 */
#include <locale.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>

#include "text/text.h"

static locale_t c_locale;
static pthread_once_t c_locale_once = PTHREAD_ONCE_INIT;

static void make_c_locale(void)
{
    c_locale = newlocale(LC_NUMERIC_MASK, "C", (locale_t)0);
}

double text_strtod(const char *s, char **end)
{
    pthread_once(&c_locale_once, make_c_locale);
    if (!c_locale)
        return strtod(s, end);
    locale_t previous = uselocale(c_locale);
    double v = strtod(s, end);
    uselocale(previous);
    return v;
}

int text_format_shortest(double v, char *buf, size_t size)
{
    pthread_once(&c_locale_once, make_c_locale);
    locale_t previous = c_locale ? uselocale(c_locale) : (locale_t)0;
    int n = 0;
    for (int digits = 1; digits <= 17; digits++) {
        n = snprintf(buf, size, "%.*g", digits, v);
        if (n < 0 || (size_t)n >= size || strtod(buf, NULL) == v)
            break;
    }
    if (c_locale)
        uselocale(previous);
    return n;
}
