/*
 * number.c — locale-independent strtod for the parsers.
 *
 * POSIX 2008 per-thread locales: the "C" locale object is made once and put
 * in force only for the duration of the call, so other threads and the
 * caller's own locale are unaffected.
 */
#include <locale.h>
#include <pthread.h>
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
