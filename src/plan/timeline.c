/*
 * timeline.c — occupancy of one resource (a station's antennas, or a
 * satellite) as a sorted array of half-open intervals, with the question
 * every solver asks: does [a, b) still fit under the capacity?
 *
 * Intervals are short compared with the horizon and there are few per
 * resource (at most a few thousand a week), so a sorted array with binary
 * search and a bounded backward scan beats a tree here.
 */
#include <stdlib.h>
#include <string.h>

#include "plan/internal.h"

/* Index of the first interval that starts at or after t. */
static int lower_bound(const timeline *t, double x)
{
    int lo = 0, hi = t->n;
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (t->v[mid].a < x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

int timeline_overlapping(const timeline *t, double a, double b, int *ids, int max)
{
    int count = 0;
    for (int i = lower_bound(t, b) - 1; i >= 0 && t->v[i].a + t->maxlen > a; i--) {
        if (t->v[i].b <= a)
            continue;
        if (count < max)
            ids[count] = t->v[i].id;
        count++;
    }
    return count;
}

int timeline_fits(const timeline *t, double a, double b)
{
    int end = lower_bound(t, b);
    if (t->capacity <= 1) {
        /*
         * With one unit the intervals are disjoint, so only the last one
         * that starts before b can reach into [a, b).
         */
        return end == 0 || t->v[end - 1].b <= a;
    }
    /*
     * With several units the depth of the overlapping intervals must stay
     * below the capacity everywhere in [a, b); the depth can only rise at a
     * or at the start of an overlapping interval.
     */
    int first = end;
    while (first > 0 && t->v[first - 1].a + t->maxlen > a)
        first--;
    for (int p = first - 1; p < end; p++) {
        double x = p < first ? a : t->v[p].a;
        if (x < a)
            continue;
        int depth = 0;
        for (int i = first; i < end; i++)
            depth += t->v[i].a <= x && t->v[i].b > x;
        if (depth >= t->capacity)
            return 0;
    }
    return 1;
}

apsco_status timeline_insert(timeline *t, double a, double b, int id)
{
    if (t->n == t->cap) {
        int cap = t->cap ? 2 * t->cap : 8;
        tl_item *v = realloc(t->v, (size_t)cap * sizeof *v);
        if (!v)
            return APSCO_ERR_NOMEM;
        t->v = v;
        t->cap = cap;
    }
    int i = lower_bound(t, a);
    memmove(t->v + i + 1, t->v + i, (size_t)(t->n - i) * sizeof *t->v);
    t->v[i] = (tl_item){a, b, id};
    t->n++;
    if (b - a > t->maxlen)
        t->maxlen = b - a;
    return APSCO_OK;
}

void timeline_remove(timeline *t, double a, int id)
{
    for (int i = lower_bound(t, a); i < t->n && t->v[i].a == a; i++) {
        if (t->v[i].id != id)
            continue;
        memmove(t->v + i, t->v + i + 1, (size_t)(t->n - i - 1) * sizeof *t->v);
        t->n--;
        return;
    }
}

void timeline_free(timeline *t)
{
    free(t->v);
    t->v = NULL;
    t->n = t->cap = 0;
}
