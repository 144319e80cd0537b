/*
 * Tests of the planner's LP machinery: CLP's relaxation against GLPK's on
 * the same programme, the day LPs, and the LP rounding that starts the
 * guided value stage (every floor kept, every constraint respected).
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "apsco/plan.h"
#include "plan/cliques.h"
#include "plan/internal.h"
#include "plan/relax.h"
#include "planutil.h"
#include "testutil.h"

#define T0 "2026-03-23T00:00:00Z"

/* A small seeded synthetic network over `days` days, its model and a heuristic schedule. */
typedef struct fixture {
    instance in;
    plan_model m;
    plan_sol sol;
    double *floors;
} fixture;

static void fixture_init(fixture *f, unsigned long long seed, int days)
{
    static const char *const ends[] = {"2026-03-24T00:00:00Z", "2026-03-25T00:00:00Z",
                                       "2026-03-26T00:00:00Z"};
    instance_small_synth(&f->in, seed, T0, ends[days - 1]);
    apsco_error err;
    assert_int_equal(plan_model_build(&f->in.problem, &f->m, &err), APSCO_OK);
    assert_true(f->m.candidate_count > 100);
    f->floors = calloc((size_t)f->m.state_count + 1, sizeof *f->floors);
    assert_int_equal(plan_sol_init(&f->sol, &f->m), APSCO_OK);
    assert_int_equal(plan_heuristic(&f->m, NULL, plan_clock() + 2, &f->sol, f->floors), APSCO_OK);
}

static void fixture_free(fixture *f)
{
    plan_sol_free(&f->sol);
    free(f->floors);
    plan_model_free(&f->m);
    instance_free(&f->in);
}

/*
 * Fails unless `s` is a schedule of f's model: its contacts, added one by
 * one to an empty schedule, all fit (no antenna, satellite or period
 * conflict), and every state holds its floor.
 */
static void assert_schedule_keeps_floors(const fixture *f, const plan_sol *s)
{
    plan_sol check;
    assert_int_equal(plan_sol_init(&check, &f->m), APSCO_OK);
    for (int i = 0; i < s->n; i++) {
        if (!s->c[i].live)
            continue;
        assert_true(plan_sol_fits(&check, s->c[i].slot, s->c[i].start));
        assert_true(plan_sol_add(&check, s->c[i].slot, s->c[i].start) >= 0);
    }
    assert_near(check.value, s->value, 1e-6);
    for (int k = 0; k < f->m.state_count; k++)
        assert_true(s->granted[k] >= f->floors[k] - 1e-6);
    plan_sol_free(&check);
}

/* CLP and GLPK solve the same relaxation: both bounds agree to round-off. */
static void test_plan_clp_bounds_equal_glpk_bounds_on_small_instances(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++) {
        fixture f;
        fixture_init(&f, seed, 3);
        plan_lp *glpk = plan_lp_new(&f.m);
        plan_relax *clp = plan_relax_new(&f.m, NULL, NULL, 1);
        assert_non_null(glpk);
        assert_non_null(clp);
        double deadline = plan_clock() + 60, lg, lc, vg, vc;
        assert_int_equal(plan_lp_level(glpk, deadline, &lg), APSCO_OK);
        assert_int_equal(plan_relax_level(clp, deadline, &lc), APSCO_OK);
        assert_near(lc, lg, 1e-6 * lg + 1e-6);
        assert_true(lc >= plan_sol_level(&f.sol) * (1 - 1e-9));
        assert_int_equal(plan_lp_value(glpk, f.floors, deadline, &vg, NULL), APSCO_OK);
        assert_int_equal(plan_relax_value(clp, f.floors, deadline, &vc, NULL), APSCO_OK);
        assert_near(vc, vg, 1e-6 * vg);
        assert_true(vc >= f.sol.value * (1 - 1e-9));
        plan_lp_free(glpk);
        plan_relax_free(clp);
        fixture_free(&f);
    }
}

/* The relaxation of a subset of the candidates leaves the others' LP values alone. */
static void test_plan_relaxation_of_some_candidates_writes_only_theirs(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, 2, 2);
    size_t n = f.m.candidate_count;
    unsigned char *keep = calloc(n, 1);
    double *x = malloc(n * sizeof *x);
    for (size_t c = 0; c < n; c++) {
        keep[c] = c % 2;
        x[c] = -1;
    }
    double *zero = calloc((size_t)f.m.state_count + 1, sizeof *zero), bound;
    plan_relax *r = plan_relax_new(&f.m, NULL, keep, 1);
    assert_non_null(r);
    assert_int_equal(plan_relax_value(r, zero, plan_clock() + 60, &bound, x), APSCO_OK);
    for (size_t c = 0; c < n; c++)
        assert_true(keep[c] ? x[c] >= -1e-9 && x[c] <= 1 + 1e-9 : x[c] == -1);
    plan_relax_free(r);
    free(zero);
    free(x);
    free(keep);
    fixture_free(&f);
}

/* Rounding the LP of the whole horizon gives a schedule that keeps every floor. */
static void test_plan_rounding_keeps_every_floor_and_constraint(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++) {
        fixture f;
        fixture_init(&f, seed, 3);
        double *x = calloc(f.m.candidate_count + 1, sizeof *x), bound;
        plan_relax *r = plan_relax_new(&f.m, NULL, NULL, 1);
        assert_int_equal(plan_relax_value(r, f.floors, plan_clock() + 60, &bound, x), APSCO_OK);
        plan_sol rounded;
        assert_int_equal(plan_sol_init(&rounded, &f.m), APSCO_OK);
        assert_int_equal(plan_round(&f.m, x, f.floors, &f.sol, plan_clock() + 60, &rounded),
                         APSCO_OK);
        assert_schedule_keeps_floors(&f, &rounded);
        assert_true(rounded.value <= bound * (1 + 1e-9));
        plan_sol_free(&rounded);
        plan_relax_free(r);
        free(x);
        fixture_free(&f);
    }
}

/* A fixture with every day's LP solved: their LP values and, kept, the LPs themselves. */
typedef struct days_fixture {
    fixture f;
    plan_cliques cl;
    double *x;
    plan_relax *kept[3];
    int n;
} days_fixture;

static void days_init(days_fixture *g, unsigned long long seed)
{
    fixture_init(&g->f, seed, 3);
    const fixture *f = &g->f;
    g->n = plan_guided_days(&f->m);
    assert_int_equal(g->n, 3);
    assert_int_equal(plan_cliques_build(&f->m, &g->cl), APSCO_OK);
    g->x = calloc(f->m.candidate_count + 1, sizeof *g->x);
    assert_non_null(g->x);
    for (int d = 0; d < g->n; d++) {
        g->kept[d] = NULL;
        assert_int_equal(plan_guided_day(&f->m, &g->cl, &f->sol, f->floors, d, plan_clock() + 60, 1,
                                         g->x, &g->kept[d]),
                         APSCO_OK);
    }
}

static void days_free(days_fixture *g)
{
    for (int d = 0; d < g->n; d++)
        plan_relax_free(g->kept[d]);
    plan_cliques_free(&g->cl);
    free(g->x);
    fixture_free(&g->f);
}

/* The day LPs, rounded and searched, give a schedule that keeps every floor. */
static void test_plan_guided_value_stage_from_the_day_lps_keeps_every_floor(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 3; seed++) {
        days_fixture g;
        days_init(&g, seed);
        plan_sol guided;
        assert_int_equal(plan_sol_init(&guided, &g.f.m), APSCO_OK);
        assert_int_equal(
            plan_guided(&g.f.m, g.x, &g.f.sol, g.f.floors, plan_clock() + 0.5, &guided), APSCO_OK);
        assert_schedule_keeps_floors(&g.f, &guided);
        plan_sol_free(&guided);
        days_free(&g);
    }
}

/*
 * A day's LP closes the candidates whose antenna time reaches past
 * midnight, so that the days' solutions fit together: every candidate the
 * LPs put at 1, all days at once, makes one conflict-free schedule.
 */
static void test_plan_day_lps_fit_together_at_midnight(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 3; seed++) {
        days_fixture g;
        days_init(&g, seed);
        const plan_model *m = &g.f.m;
        const plan_cliques *cl = &g.cl;
        plan_sol all;
        assert_int_equal(plan_sol_init(&all, m), APSCO_OK);
        int across = 0, taken = 0;
        for (size_t c = 0; c < cl->n; c++) {
            const plan_req *q = &m->reqs[m->slots[cl->slot_of[c]].req];
            double end = cl->start[c] + q->d + m->setup_s;
            if (end > (floor(cl->start[c] / 86400) + 1) * 86400) {
                across++;
                assert_true(g.x[c] == 0);
            }
            if (g.x[c] > 1 - 1e-6) {
                assert_true(plan_sol_fits(&all, cl->slot_of[c], cl->start[c]));
                assert_true(plan_sol_add(&all, cl->slot_of[c], cl->start[c]) >= 0);
                taken++;
            }
        }
        assert_true(across > 0);
        assert_true(taken > 0);
        plan_sol_free(&all);
        days_free(&g);
    }
}

/*
 * The days' Lagrangian bound holds: never below the exact LP bound of the
 * whole horizon for the same floors (hence never below any schedule's
 * value), and it comes within the time given.
 */
static void test_plan_days_lagrangian_bound_holds(void **state)
{
    (void)state;
    for (unsigned long long seed = 1; seed <= 4; seed++) {
        days_fixture g;
        days_init(&g, seed);
        const fixture *f = &g.f;
        double price[APSCO_PLAN_STATES_MAX], best[3], exact;
        assert_int_equal(plan_guided_prices(&f->m, g.kept, g.n, price), APSCO_OK);
        for (int d = 0; d < g.n; d++)
            assert_int_equal(plan_relax_priced(g.kept[d], price, plan_clock() + 60, &best[d]),
                             APSCO_OK);
        double bound = plan_guided_bound_of(&f->m, best, g.n, price, f->floors);
        plan_relax *whole = plan_relax_new(&f->m, NULL, NULL, 1);
        assert_int_equal(plan_relax_value(whole, f->floors, plan_clock() + 60, &exact, NULL),
                         APSCO_OK);
        assert_true(isfinite(bound));
        assert_true(bound >= exact * (1 - 1e-9) - 1e-6);
        assert_true(bound >= f->sol.value);
        plan_relax_free(whole);
        days_free(&g);
    }
}

/* A day LP whose deadline has passed reports the limit. */
static void test_plan_relaxation_past_its_deadline_reports_the_limit(void **state)
{
    (void)state;
    fixture f;
    fixture_init(&f, 1, 1);
    plan_relax *r = plan_relax_new(&f.m, NULL, NULL, 1);
    double b;
    assert_int_equal(plan_relax_value(r, f.floors, plan_clock() - 1, &b, NULL), APSCO_ERR_LIMIT);
    plan_relax_free(r);
    fixture_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan_clp_bounds_equal_glpk_bounds_on_small_instances),
        cmocka_unit_test(test_plan_relaxation_of_some_candidates_writes_only_theirs),
        cmocka_unit_test(test_plan_rounding_keeps_every_floor_and_constraint),
        cmocka_unit_test(test_plan_guided_value_stage_from_the_day_lps_keeps_every_floor),
        cmocka_unit_test(test_plan_day_lps_fit_together_at_midnight),
        cmocka_unit_test(test_plan_days_lagrangian_bound_holds),
        cmocka_unit_test(test_plan_relaxation_past_its_deadline_reports_the_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
