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
#include <stdlib.h>

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

/*
 * Reads the next row of `n` comma-separated numbers from an oracle CSV file,
 * skipping blank lines and '#' comments. Returns 1 for a row, 0 at the end;
 * fails the test on a short or malformed row.
 */
static inline int read_oracle_row(FILE *f, double *values, int n)
{
    char line[2048];
    while (fgets(line, sizeof line, f)) {
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char *p = line;
        for (int i = 0; i < n; i++) {
            char *end;
            values[i] = strtod(p, &end);
            if (end == p || (i < n - 1 && *end != ','))
                fail_msg("malformed oracle row: %s", line);
            p = end + 1;
        }
        return 1;
    }
    return 0;
}

#endif
