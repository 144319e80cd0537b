/*
 * testutil.h — helpers shared by the cmocka unit tests (include after cmocka.h).
 *
 * cmocka 1.1 compares only floats; numerical tests need doubles with their
 * full precision in the failure message.
 */
#ifndef APSCO_TESTUTIL_H
#define APSCO_TESTUTIL_H

#include <math.h>
#include <stdio.h>

/* Fails the test unless |actual - expected| <= tol (NaN never passes). */
#define assert_near(actual, expected, tol)                                                         \
    do {                                                                                           \
        double a_ = (actual), e_ = (expected), t_ = (tol);                                         \
        if (!(fabs(a_ - e_) <= t_))                                                                \
            fail_msg("%s = %.17g, expected %.17g within %.3g (off by %.3g)", #actual, a_, e_, t_,  \
                     fabs(a_ - e_));                                                               \
    } while (0)

/* Path of a file in tests/data (APSCO_TEST_DATA is defined by the build). */
static inline const char *test_data_path(const char *name)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", APSCO_TEST_DATA, name);
    return path;
}

#endif
