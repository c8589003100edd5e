/*
 * fixture-risk.h: what the risk tests share (check-factor.c,
 * check-risk.c, check-baseline.c, check-plan.c, check-blast.c,
 * check-register.c): level shorthands, the day they score as of, and
 * helpers that build a model input, score it and set factors and
 * weights that must be accepted.
 *
 * The formula (risk.c's header comment, DESIGN.md "Risk"):
 *   level value   low 1, moderate 2, high 3, uncategorized
 *                 impact.uncategorized (2)
 *   impact        (2 max(C, I, A) + C + I + A) / 15
 *   likelihood    min(1, sum of the terms)
 *                 base .10, internet .25, cvss .30 x CVSS/10 (with open
 *                 vulnerabilities), vulnerabilities .10 x min(n, 10)/10,
 *                 patch age .10 x min(days, 365)/365, end of life .20,
 *                 unauthorized .20, baseline gap .05 a step (recorded
 *                 baselines only), fragility .15 x fragility
 *   blast         min(1, log10(1 + weighted) / log10(1 + 10000))
 *   multiplier    .5 + (1 - .5) blast
 *   score         100 impact likelihood multiplier, rounded to 0.1
 *   bands         moderate from 20, high from 40, very high from 60
 */
#ifndef HW_FIXTURE_RISK_H
#define HW_FIXTURE_RISK_H

#include <math.h>

#include "fixture.h"

#define L HW_LEVEL_LOW
#define M HW_LEVEL_MODERATE
#define H HW_LEVEL_HIGH
#define N HW_LEVEL_NONE

#define CIA HW_CARRY_ALL
#define RUNS 0 /* runs_on */
#define USES 1 /* uses */

/* 2026-11-21, days since 1970-01-01. */
#define TODAY 20778

#define CLOSE(x, y) ck_assert_double_eq_tol((x), (y), 1e-6)
/* Scores are multiples of 0.1: compare them exactly (to rounding). */
#define SCORE(r, want) ck_assert_double_eq_tol((r).score, (want), 1e-9)

#define sc3 fx_sc3

/* An asset with effective levels c/i/a, no factors, nothing depending
 * on it, as of TODAY. */
static inline struct hw_risk_input input(enum hw_level c, enum hw_level i,
				  enum hw_level a)
{
	struct hw_risk_input in;

	memset(&in, 0, sizeof in);
	in.effective = sc3(c, i, a);
	in.today = TODAY;
	return in;
}

static inline struct hw_weights defaults(void)
{
	struct hw_weights w;

	hw_weights_default(&w);
	return w;
}

static inline struct hw_risk score(const struct hw_weights *w,
			    const struct hw_risk_input *in)
{
	struct hw_risk r;

	hw_risk_score(w, in, &r);
	return r;
}

/* Set a factor from text, which must be accepted. */
static inline void fset(struct hw_factors *f, const char *field, const char *value)
{
	struct hw_error err = {0};

	ck_assert_msg(hw_factor_set(f, field, value, &err) == 0,
		      "%s=%s: %s", field, value, err.text);
}

/* Set a weight from text, which must be accepted. */
static inline void wset(struct hw_weights *w, const char *name, const char *value)
{
	struct hw_error err = {0};

	ck_assert_msg(hw_weight_set(w, name, value, &err) == 0, "%s=%s: %s",
		      name, value, err.text);
}

static inline double sum_terms(const struct hw_risk *r)
{
	double s = 0;
	int t;

	for (t = 0; t < HW_T_COUNT; t++)
		s += r->term[t];
	return s;
}

/* The shipped SP 800-53B baselines, which must load. */
static inline struct hw_baselines baselines(void)
{
	struct hw_baselines b;
	struct hw_error err = {0};

	ck_assert_msg(hw_baselines_load(&b, fx_data("sp800-53b-baselines.csv"),
					&err) == 0,
		      "%s", err.text);
	return b;
}

#endif
