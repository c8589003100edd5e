/*
 * check-risk.c: the risk model (risk.c), recomputed by hand from the
 * formula for several assets; weights and their checks; factors and
 * dates as text; the SP 800-53B baselines and their gaps; every action
 * rule of the protection plan, its order and its gains; the blast
 * radius on hand-built graphs, against a brute-force reference on
 * random graphs and estimated on large ones; the risk register's order
 * and the data-quality checks (assess.c) on a real store.
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
static struct hw_risk_input input(enum hw_level c, enum hw_level i,
				  enum hw_level a)
{
	struct hw_risk_input in;

	memset(&in, 0, sizeof in);
	in.effective = sc3(c, i, a);
	in.today = TODAY;
	return in;
}

static struct hw_weights defaults(void)
{
	struct hw_weights w;

	hw_weights_default(&w);
	return w;
}

static struct hw_risk score(const struct hw_weights *w,
			    const struct hw_risk_input *in)
{
	struct hw_risk r;

	hw_risk_score(w, in, &r);
	return r;
}

/* Set a factor from text, which must be accepted. */
static void fset(struct hw_factors *f, const char *field, const char *value)
{
	struct hw_error err = {0};

	ck_assert_msg(hw_factor_set(f, field, value, &err) == 0,
		      "%s=%s: %s", field, value, err.text);
}

/* Set a weight from text, which must be accepted. */
static void wset(struct hw_weights *w, const char *name, const char *value)
{
	struct hw_error err = {0};

	ck_assert_msg(hw_weight_set(w, name, value, &err) == 0, "%s=%s: %s",
		      name, value, err.text);
}

static double sum_terms(const struct hw_risk *r)
{
	double s = 0;
	int t;

	for (t = 0; t < HW_T_COUNT; t++)
		s += r->term[t];
	return s;
}

/* ------------------------------------------------------------------ */
/* The score, by hand                                                  */

START_TEST(test_score_levels_only)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(M, H, L);
	struct hw_risk r = score(&w, &in);
	int t;

	/* levels 2, 3, 1: impact = (2*3 + 2 + 3 + 1) / 15 = 12/15 = 0.8
	 * likelihood = base 0.1; blast 0, multiplier = floor 0.5
	 * score = 100 * 0.8 * 0.1 * 0.5 = 4.0, low */
	CLOSE(r.level[HW_C], 2);
	CLOSE(r.level[HW_I], 3);
	CLOSE(r.level[HW_A], 1);
	CLOSE(r.impact, 0.8);
	CLOSE(r.term[HW_T_BASE], 0.1);
	for (t = HW_T_INTERNET; t < HW_T_COUNT; t++)
		CLOSE(r.term[t], 0);
	CLOSE(r.likelihood, 0.1);
	CLOSE(r.blast, 0);
	CLOSE(r.multiplier, 0.5);
	SCORE(r, 4.0);
	ck_assert_int_eq(r.band, HW_BAND_LOW);
	/* Overall high requires the HIGH baseline; none recorded: no gap. */
	ck_assert_int_eq(r.required, H);
	ck_assert_int_eq(r.gap_steps, 0);
}
END_TEST

START_TEST(test_score_every_term)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "5");
	fset(&in.factors, "worst_cvss", "8.0");
	in.factors.last_patched = TODAY - 100;
	in.factors.known |= HW_F_BIT(HW_F_LAST_PATCHED);
	in.dependents = 40;
	in.weighted = 99;
	r = score(&w, &in);
	/* impact = (2*3 + 9) / 15 = 1
	 * terms: base .1, internet .25, cvss .3 * 8.0/10 = .24,
	 *   vulnerabilities .1 * 5/10 = .05, patch age .1 * 100/365 =
	 *   .0273973; likelihood = .6673973
	 * blast = log10(100) / log10(10001) = 2 / 4.0000434 = .4999946
	 * multiplier = .5 + .5 * .4999946 = .7499973
	 * score = 100 * 1 * .6673973 * .7499973 = 50.05 -> 50.1, high */
	CLOSE(r.impact, 1);
	CLOSE(r.term[HW_T_INTERNET], 0.25);
	CLOSE(r.term[HW_T_CVSS], 0.24);
	CLOSE(r.term[HW_T_VULNS], 0.05);
	CLOSE(r.term[HW_T_PATCH_AGE], 0.1 * 100 / 365);
	CLOSE(r.likelihood, 0.6673973);
	CLOSE(r.blast, 2 / log10(10001));
	CLOSE(r.multiplier, 0.7499973);
	SCORE(r, 50.1);
	ck_assert_int_eq(r.band, HW_BAND_HIGH);
	/* The score follows from the numbers it prints. */
	CLOSE(r.score, round(1000 * r.impact * r.likelihood * r.multiplier) /
			   10);
	/* Internet weight .5: likelihood .9173973, score 68.8, very high. */
	wset(&w, "likelihood.internet", "0.5");
	r = score(&w, &in);
	CLOSE(r.likelihood, 0.9173973);
	SCORE(r, 68.8);
	ck_assert_int_eq(r.band, HW_BAND_VERY_HIGH);
}
END_TEST

START_TEST(test_score_likelihood_capped)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(M, M, M);
	struct hw_risk r;

	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "20");
	fset(&in.factors, "worst_cvss", "10");
	in.factors.last_patched = TODAY - 400;
	in.factors.end_of_life = TODAY - 1;
	in.factors.known |= HW_F_BIT(HW_F_LAST_PATCHED) |
			    HW_F_BIT(HW_F_END_OF_LIFE);
	fset(&in.factors, "authorized", "no");
	fset(&in.factors, "implemented_baseline", "none");
	in.factors.fragility = 1;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	in.dependents = 20000;
	in.weighted = 20000;
	r = score(&w, &in);
	/* impact = (2*2 + 6) / 15 = 10/15
	 * terms: .1 + .25 + cvss .3 + vulnerabilities .1 (20 capped at
	 *   10) + patch age .1 (400 days saturate at 365) + end of life
	 *   .2 + unauthorized .2 + baseline gap 2 steps (none to
	 *   MODERATE) * .05 = .1 + fragility .15 * 1 = 1.5 -> likelihood 1
	 * blast: 20000 > saturation -> 1, multiplier 1
	 * score = 100 * 10/15 * 1 * 1 = 66.7, very high */
	CLOSE(r.impact, 10.0 / 15);
	CLOSE(r.term[HW_T_CVSS], 0.3);
	CLOSE(r.term[HW_T_VULNS], 0.1);
	CLOSE(r.term[HW_T_PATCH_AGE], 0.1);
	CLOSE(r.term[HW_T_EOL], 0.2);
	CLOSE(r.term[HW_T_UNAUTHORIZED], 0.2);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.1);
	CLOSE(r.term[HW_T_FRAGILITY], 0.15);
	CLOSE(sum_terms(&r), 1.5);
	CLOSE(r.likelihood, 1);
	CLOSE(r.blast, 1);
	CLOSE(r.multiplier, 1);
	SCORE(r, 66.7);
	ck_assert_int_eq(r.band, HW_BAND_VERY_HIGH);
	ck_assert_int_eq(r.required, M);
	ck_assert_int_eq(r.gap_steps, 2);
	/* Weighted exactly the saturation: blast 1; just under: not. */
	in.weighted = 10000;
	r = score(&w, &in);
	CLOSE(r.blast, 1);
	in.weighted = 9999;
	r = score(&w, &in);
	ck_assert(r.blast < 1);
	CLOSE(r.blast, 4 / log10(10001));
}
END_TEST

START_TEST(test_score_dates)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(L, L, L);
	struct hw_risk r;

	/* impact = (2 + 3) / 15 = 1/3 */
	in.factors.known = HW_F_BIT(HW_F_END_OF_LIFE);
	/* End of life today counts: likelihood .1 + .2 = .3,
	 * score = 100 * 1/3 * .3 * .5 = 5.0 */
	in.factors.end_of_life = TODAY;
	r = score(&w, &in);
	CLOSE(r.impact, 1.0 / 3);
	CLOSE(r.term[HW_T_EOL], 0.2);
	SCORE(r, 5.0);
	/* ... and after it; not before (tomorrow): 100/3 * .1 * .5 = 1.7 */
	in.factors.end_of_life = TODAY - 3000;
	CLOSE(score(&w, &in).term[HW_T_EOL], 0.2);
	in.factors.end_of_life = TODAY + 1;
	r = score(&w, &in);
	CLOSE(r.term[HW_T_EOL], 0);
	SCORE(r, 1.7);
	/* Patch age: .1 x min(days, 365) / 365, none for a future date. */
	in.factors.known = HW_F_BIT(HW_F_LAST_PATCHED);
	in.factors.last_patched = TODAY;
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0);
	in.factors.last_patched = TODAY + 10;
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0);
	in.factors.last_patched = TODAY - 73; /* 73/365 = .2 */
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0.02);
	in.factors.last_patched = TODAY - 365;
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0.1);
	in.factors.last_patched = TODAY - 730; /* saturated */
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0.1);
	/* patch_days 730: 365 days is half the weight. */
	wset(&w, "likelihood.patch_days", "730");
	in.factors.last_patched = TODAY - 365;
	CLOSE(score(&w, &in).term[HW_T_PATCH_AGE], 0.05);
	/* A date without its known bit does not count. */
	in.factors.known = 0;
	in.factors.end_of_life = TODAY - 10;
	r = score(&w, &in);
	CLOSE(r.term[HW_T_PATCH_AGE], 0);
	CLOSE(r.term[HW_T_EOL], 0);
}
END_TEST

START_TEST(test_score_baseline_gap)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* Required HIGH: steps from what is recorded, .05 each. */
	fset(&in.factors, "implemented_baseline", "low");
	r = score(&w, &in);
	ck_assert_int_eq(r.required, H);
	ck_assert_int_eq(r.gap_steps, 2);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.1);
	/* likelihood .2, score 100 * 1 * .2 * .5 = 10.0 */
	SCORE(r, 10.0);
	fset(&in.factors, "implemented_baseline", "moderate");
	r = score(&w, &in);
	ck_assert_int_eq(r.gap_steps, 1);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.05);
	fset(&in.factors, "implemented_baseline", "high");
	r = score(&w, &in);
	ck_assert_int_eq(r.gap_steps, 0);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0);
	fset(&in.factors, "implemented_baseline", "none");
	r = score(&w, &in);
	ck_assert_int_eq(r.gap_steps, 3);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.15);
	/* Not recorded (the value left behind does not count): no gap. */
	fset(&in.factors, "implemented_baseline", "low");
	fset(&in.factors, "implemented_baseline", "");
	ck_assert_uint_eq(in.factors.known & HW_F_BIT(HW_F_BASELINE), 0);
	r = score(&w, &in);
	ck_assert_int_eq(r.required, H);
	ck_assert_int_eq(r.gap_steps, 0);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0);
	SCORE(r, 5.0);
	/* More than required: no negative gap. */
	in.effective = sc3(L, L, L);
	fset(&in.factors, "implemented_baseline", "high");
	r = score(&w, &in);
	ck_assert_int_eq(r.required, L);
	ck_assert_int_eq(r.gap_steps, 0);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0);
	/* LOW required, none in place: one step. */
	fset(&in.factors, "implemented_baseline", "none");
	r = score(&w, &in);
	ck_assert_int_eq(r.gap_steps, 1);
	/* Requirement unknown (no level at all): no gap at all. */
	in.effective = sc3(N, N, N);
	r = score(&w, &in);
	ck_assert_int_eq(r.required, 0);
	ck_assert_int_eq(r.required_exact, 0);
	ck_assert_int_eq(r.gap_steps, 0);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0);
	/* One HIGH objective: HIGH exactly (FIPS 200), three steps. */
	in.effective = sc3(N, H, H);
	r = score(&w, &in);
	ck_assert_int_eq(r.required, H);
	ck_assert_int_eq(r.required_exact, 1);
	ck_assert_int_eq(r.gap_steps, 3);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.15);
	/* Partly categorized: the gap counts against the lower bound
	 * MODERATE, two steps above none. */
	in.effective = sc3(N, M, N);
	r = score(&w, &in);
	ck_assert_int_eq(r.required, M);
	ck_assert_int_eq(r.required_exact, 0);
	ck_assert_int_eq(r.gap_steps, 2);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.10);
	/* The weight per step. */
	in.effective = sc3(H, M, L);
	wset(&w, "likelihood.baseline_gap", "0.2");
	r = score(&w, &in);
	ck_assert_int_eq(r.gap_steps, 3);
	CLOSE(r.term[HW_T_BASELINE_GAP], 0.6);
}
END_TEST

START_TEST(test_score_uncategorized)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(N, H, N);
	struct hw_risk r = score(&w, &in);

	/* levels 2, 3, 2 (uncategorized 2): impact = (6 + 7) / 15 = 13/15
	 * score = 100 * 13/15 * .1 * .5 = 4.33 -> 4.3 */
	CLOSE(r.level[HW_C], 2);
	CLOSE(r.level[HW_A], 2);
	CLOSE(r.impact, 13.0 / 15);
	SCORE(r, 4.3);
	/* Integrity HIGH makes the baseline HIGH, exactly. */
	ck_assert_int_eq(r.required, H);
	ck_assert_int_eq(r.required_exact, 1);
	/* impact.uncategorized 3: 3, 3, 3 -> (6 + 9) / 15 = 1, score 5.0 */
	wset(&w, "impact.uncategorized", "3");
	r = score(&w, &in);
	CLOSE(r.level[HW_C], 3);
	CLOSE(r.impact, 1);
	SCORE(r, 5.0);
	/* 1: 1, 3, 1 -> (6 + 5) / 15 = 11/15, score 3.67 -> 3.7 */
	wset(&w, "impact.uncategorized", "1");
	r = score(&w, &in);
	CLOSE(r.impact, 11.0 / 15);
	SCORE(r, 3.7);
	/* Nothing categorized, default 2: (4 + 6) / 15 = 2/3 */
	w = defaults();
	in = input(N, N, N);
	r = score(&w, &in);
	CLOSE(r.impact, 10.0 / 15);
	SCORE(r, 3.3);
	ck_assert_int_eq(r.required, 0);
	/* Not applicable counts as low. */
	in = input(HW_LEVEL_NA, L, L);
	CLOSE(score(&w, &in).level[HW_C], 1);
}
END_TEST

START_TEST(test_score_vulnerabilities)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* CVSS counts only with open vulnerabilities. */
	fset(&in.factors, "worst_cvss", "9.8");
	r = score(&w, &in);
	CLOSE(r.term[HW_T_CVSS], 0);
	CLOSE(r.term[HW_T_VULNS], 0);
	fset(&in.factors, "vulnerabilities", "0");
	r = score(&w, &in);
	CLOSE(r.term[HW_T_CVSS], 0);
	CLOSE(r.term[HW_T_VULNS], 0);
	fset(&in.factors, "vulnerabilities", "3");
	r = score(&w, &in);
	/* .3 * 9.8/10 = .294, .1 * 3/10 = .03: likelihood .424,
	 * score 100 * 1 * .424 * .5 = 21.2, moderate */
	CLOSE(r.term[HW_T_CVSS], 0.294);
	CLOSE(r.term[HW_T_VULNS], 0.03);
	SCORE(r, 21.2);
	ck_assert_int_eq(r.band, HW_BAND_MODERATE);
	/* Open vulnerabilities without a CVSS: the count only. */
	fset(&in.factors, "worst_cvss", "");
	r = score(&w, &in);
	CLOSE(r.term[HW_T_CVSS], 0);
	CLOSE(r.term[HW_T_VULNS], 0.03);
	/* The cap: 4 vulnerabilities of a cap of 4 give the whole .1. */
	wset(&w, "likelihood.vulnerability_cap", "4");
	fset(&in.factors, "vulnerabilities", "4");
	CLOSE(score(&w, &in).term[HW_T_VULNS], 0.1);
	fset(&in.factors, "vulnerabilities", "1");
	CLOSE(score(&w, &in).term[HW_T_VULNS], 0.025);
	/* Authorized counts only when it says no. */
	fset(&in.factors, "authorized", "yes");
	CLOSE(score(&w, &in).term[HW_T_UNAUTHORIZED], 0);
	fset(&in.factors, "authorized", "no");
	CLOSE(score(&w, &in).term[HW_T_UNAUTHORIZED], 0.2);
	fset(&in.factors, "authorized", "");
	CLOSE(score(&w, &in).term[HW_T_UNAUTHORIZED], 0);
}
END_TEST

START_TEST(test_score_blast)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* No dependents: the multiplier is the floor. */
	r = score(&w, &in);
	CLOSE(r.multiplier, 0.5);
	wset(&w, "blast.floor", "0.8");
	r = score(&w, &in);
	CLOSE(r.blast, 0);
	CLOSE(r.multiplier, 0.8);
	/* 100 * 1 * .1 * .8 = 8.0 */
	SCORE(r, 8.0);
	/* weighted 9, saturation 999: blast = log10(10)/log10(1000) = 1/3,
	 * multiplier = .8 + .2/3 = .8666667, score 8.67 -> 8.7 */
	wset(&w, "blast.saturation", "999");
	in.dependents = 3;
	in.weighted = 9;
	r = score(&w, &in);
	CLOSE(r.blast, 1.0 / 3);
	CLOSE(r.multiplier, 0.8 + 0.2 / 3);
	SCORE(r, 8.7);
	/* Floor 1: blast changes nothing. */
	wset(&w, "blast.floor", "1");
	CLOSE(score(&w, &in).multiplier, 1);
	/* Floor 0: the multiplier is the blast. */
	wset(&w, "blast.floor", "0");
	in.weighted = 0;
	r = score(&w, &in);
	CLOSE(r.multiplier, 0);
	SCORE(r, 0);
}
END_TEST

START_TEST(test_score_bands)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* impact 1, multiplier .5: score = 50 x likelihood.
	 * .1 + .25 = .35 -> 17.5, low */
	in.internet_facing = 1;
	r = score(&w, &in);
	SCORE(r, 17.5);
	ck_assert_int_eq(r.band, HW_BAND_LOW);
	/* + 5 vulnerabilities (no CVSS) .05 = .4 -> 20.0: moderate from 20 */
	fset(&in.factors, "vulnerabilities", "5");
	r = score(&w, &in);
	SCORE(r, 20.0);
	ck_assert_int_eq(r.band, HW_BAND_MODERATE);
	/* + unauthorized .2 + end of life .2 = .8 -> 40.0: high from 40 */
	fset(&in.factors, "authorized", "no");
	fset(&in.factors, "end_of_life", "2026-11-21");
	r = score(&w, &in);
	SCORE(r, 40.0);
	ck_assert_int_eq(r.band, HW_BAND_HIGH);
	/* Multiplier 1 (saturated): .1 + .25 + .05 + .2 = .6 -> 60.0,
	 * very high from 60; with 4 vulnerabilities .59 -> 59.0, high. */
	fset(&in.factors, "end_of_life", "");
	in.weighted = 1e6;
	r = score(&w, &in);
	SCORE(r, 60.0);
	ck_assert_int_eq(r.band, HW_BAND_VERY_HIGH);
	fset(&in.factors, "vulnerabilities", "4");
	r = score(&w, &in);
	SCORE(r, 59.0);
	ck_assert_int_eq(r.band, HW_BAND_HIGH);
	/* Moving the bands moves the band, not the score. */
	wset(&w, "band.very_high", "59");
	r = score(&w, &in);
	SCORE(r, 59.0);
	ck_assert_int_eq(r.band, HW_BAND_VERY_HIGH);
	wset(&w, "band.very_high", "90");
	wset(&w, "band.high", "80");
	wset(&w, "band.moderate", "59.1");
	ck_assert_int_eq(score(&w, &in).band, HW_BAND_LOW);
	wset(&w, "band.moderate", "59");
	ck_assert_int_eq(score(&w, &in).band, HW_BAND_MODERATE);
	ck_assert_str_eq(hw_band_name(HW_BAND_LOW), "low");
	ck_assert_str_eq(hw_band_name(HW_BAND_VERY_HIGH), "very high");
}
END_TEST

START_TEST(test_score_zero_weights)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* Every likelihood weight 0: the score is 0, band low. */
	in.internet_facing = 1;
	fset(&in.factors, "authorized", "no");
	wset(&w, "likelihood.base", "0");
	wset(&w, "likelihood.internet", "0");
	wset(&w, "likelihood.unauthorized", "0");
	r = score(&w, &in);
	CLOSE(r.likelihood, 0);
	SCORE(r, 0);
	ck_assert_int_eq(r.band, HW_BAND_LOW);
	/* All weights 1 and an asset with everything: capped at 100. */
	in.weighted = 1e9;
	wset(&w, "likelihood.base", "1");
	r = score(&w, &in);
	SCORE(r, 100.0);
	ck_assert_int_eq(r.band, HW_BAND_VERY_HIGH);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Weights                                                             */

/* The main reasons of in's score in words, cut to size. */
static const char *reasons(const struct hw_risk_input *in, int estimated,
			   size_t size)
{
	static char buf[256];
	struct hw_weights w = defaults();
	struct hw_risk r = score(&w, in);

	return hw_risk_reasons(&w, in, &r, estimated, buf, size);
}

/* The main reasons in words, as the plan workbook prints them. */
START_TEST(test_score_reasons)
{
	struct hw_risk_input in =
	    input(HW_LEVEL_LOW, HW_LEVEL_MODERATE, HW_LEVEL_HIGH);

	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "3");
	fset(&in.factors, "worst_cvss", "9.8");
	in.dependents = 35;
	ck_assert_str_eq(reasons(&in, 0, 256),
			 "internet-facing; 3 known vulnerabilities, worst "
			 "CVSS 9.8; availability HIGH; 35 dependents");
	/* Estimated dependents, two objectives at the top, one of each. */
	in = input(HW_LEVEL_HIGH, HW_LEVEL_HIGH, HW_LEVEL_LOW);
	fset(&in.factors, "vulnerabilities", "1");
	fset(&in.factors, "authorized", "no");
	in.dependents = 1;
	ck_assert_str_eq(reasons(&in, 1, 256),
			 "1 known vulnerability; not authorized; "
			 "confidentiality, integrity HIGH; about 1 "
			 "dependent");
	/* A lower bound says so. */
	in = input(HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_MODERATE);
	ck_assert_str_eq(reasons(&in, 0, 256),
			 "availability at least MODERATE");
	/* Nothing known: only the levels, and a short buffer cuts. */
	in = input(HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE);
	ck_assert_str_eq(reasons(&in, 0, 256), "uncategorized");
	ck_assert_str_eq(reasons(&in, 0, 6), "uncat");
}
END_TEST

START_TEST(test_weights_defaults_and_names)
{
	struct hw_weights w = defaults();
	int i, j;

	ck_assert_int_eq(hw_weight_find("likelihood.internet"), HW_W_INTERNET);
	ck_assert_int_eq(hw_weight_find("impact.uncategorized"),
			 HW_W_UNCATEGORIZED);
	ck_assert_int_eq(hw_weight_find("plan.patch_overdue_days"),
			 HW_W_PATCH_OVERDUE);
	ck_assert_int_eq(hw_weight_find("likelihood"), -1);
	ck_assert_int_eq(hw_weight_find(""), -1);
	ck_assert_int_eq(hw_weight_find("LIKELIHOOD.INTERNET"), -1);
	for (i = 0; i < HW_W_COUNT; i++) {
		const struct hw_weight_def *d = &hw_weight_defs[i];

		ck_assert_ptr_nonnull(d->name);
		ck_assert_int_eq(hw_weight_find(d->name), i);
		ck_assert(d->min <= d->fallback && d->fallback <= d->max);
		CLOSE(w.v[i], d->fallback);
		for (j = 0; j < i; j++)
			ck_assert_str_ne(d->name, hw_weight_defs[j].name);
	}
	/* The defaults the formula in the header of this file uses. */
	CLOSE(w.v[HW_W_UNCATEGORIZED], 2);
	CLOSE(w.v[HW_W_BASE], 0.1);
	CLOSE(w.v[HW_W_INTERNET], 0.25);
	CLOSE(w.v[HW_W_CVSS], 0.3);
	CLOSE(w.v[HW_W_VULNS], 0.1);
	CLOSE(w.v[HW_W_VULN_CAP], 10);
	CLOSE(w.v[HW_W_PATCH_AGE], 0.1);
	CLOSE(w.v[HW_W_PATCH_DAYS], 365);
	CLOSE(w.v[HW_W_EOL], 0.2);
	CLOSE(w.v[HW_W_UNAUTHORIZED], 0.2);
	CLOSE(w.v[HW_W_BASELINE_GAP], 0.05);
	CLOSE(w.v[HW_W_FRAGILITY], 0.15);
	CLOSE(w.v[HW_W_BLAST_FLOOR], 0.5);
	CLOSE(w.v[HW_W_BLAST_SAT], 10000);
	CLOSE(w.v[HW_W_BAND_MODERATE], 20);
	CLOSE(w.v[HW_W_BAND_HIGH], 40);
	CLOSE(w.v[HW_W_BAND_VERY_HIGH], 60);
	CLOSE(w.v[HW_W_PATCH_OVERDUE], 90);
	ck_assert_str_eq(hw_term_name(HW_T_INTERNET), "internet");
	ck_assert_str_eq(hw_term_name(HW_T_BASELINE_GAP), "baseline_gap");
	ck_assert_str_eq(hw_term_name(HW_T_COUNT), "?");
}
END_TEST

/* A weight that must be refused, leaving w as it was. */
static void wbad(struct hw_weights *w, const char *name, const char *value,
		 enum hw_errcode code, const char *needle)
{
	struct hw_weights before = *w;
	struct hw_error err = {0};

	ck_assert_msg(hw_weight_set(w, name, value, &err) < 0,
		      "%s=%s accepted", name, value);
	ck_assert_int_eq(err.code, code);
	ck_assert_msg(strstr(err.text, needle) != NULL,
		      "%s=%s: \"%s\" lacks \"%s\"", name, value, err.text,
		      needle);
	ck_assert(memcmp(&before, w, sizeof before) == 0);
}

START_TEST(test_weights_set_checks)
{
	struct hw_weights w = defaults();

	wbad(&w, "likelihood.nope", "0.1", HW_ENOTFOUND,
	     "unknown weight \"likelihood.nope\"");
	wbad(&w, "likelihood.internet", "1.5", HW_EINVAL, "out of range");
	wbad(&w, "likelihood.internet", "-0.1", HW_EINVAL, "out of range");
	wbad(&w, "blast.saturation", "0", HW_EINVAL, "out of range");
	wbad(&w, "blast.floor", "1.01", HW_EINVAL, "out of range");
	wbad(&w, "impact.uncategorized", "0.5", HW_EINVAL, "out of range");
	wbad(&w, "impact.uncategorized", "4", HW_EINVAL, "out of range");
	wbad(&w, "band.high", "101", HW_EINVAL, "out of range");
	wbad(&w, "likelihood.internet", "abc", HW_EINVAL, "not a number");
	wbad(&w, "likelihood.internet", "", HW_EINVAL, "not a number");
	wbad(&w, "likelihood.internet", "0.5x", HW_EINVAL, "not a number");
	wbad(&w, "likelihood.internet", "nan", HW_EINVAL, "not a number");
	wbad(&w, "blast.saturation", "inf", HW_EINVAL, "not a number");
	/* Bands must rise. */
	wbad(&w, "band.moderate", "40", HW_EINVAL, "bands must rise");
	wbad(&w, "band.moderate", "50", HW_EINVAL, "bands must rise");
	wbad(&w, "band.high", "20", HW_EINVAL, "bands must rise");
	wbad(&w, "band.high", "60", HW_EINVAL, "bands must rise");
	wbad(&w, "band.very_high", "40", HW_EINVAL, "bands must rise");
	wbad(&w, "band.very_high", "10", HW_EINVAL, "bands must rise");
	/* The range ends are allowed. */
	wset(&w, "likelihood.internet", "0");
	CLOSE(w.v[HW_W_INTERNET], 0);
	wset(&w, "likelihood.internet", "1");
	CLOSE(w.v[HW_W_INTERNET], 1);
	wset(&w, "band.moderate", "0");
	wset(&w, "band.very_high", "100");
	/* Raising all three bands: top first. */
	w = defaults();
	wbad(&w, "band.moderate", "70", HW_EINVAL, "bands must rise");
	wset(&w, "band.very_high", "90");
	wset(&w, "band.high", "80");
	wset(&w, "band.moderate", "70");
	CLOSE(w.v[HW_W_BAND_MODERATE], 70);
	CLOSE(w.v[HW_W_BAND_HIGH], 80);
	CLOSE(w.v[HW_W_BAND_VERY_HIGH], 90);
}
END_TEST

START_TEST(test_weights_take_effect)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk before, after;

	/* Each likelihood weight moves the score of an asset that has
	 * its factor, and only that term. */
	static const struct {
		const char *name, *value;
		enum hw_term term;
		double want;
	} cases[] = {
	    {"likelihood.base", "0.3", HW_T_BASE, 0.3},
	    {"likelihood.internet", "0.05", HW_T_INTERNET, 0.05},
	    {"likelihood.cvss", "0.1", HW_T_CVSS, 0.05},
	    {"likelihood.vulnerabilities", "0.2", HW_T_VULNS, 0.04},
	    {"likelihood.patch_age", "0.05", HW_T_PATCH_AGE, 0.01},
	    {"likelihood.end_of_life", "0.1", HW_T_EOL, 0.1},
	    {"likelihood.unauthorized", "0.05", HW_T_UNAUTHORIZED, 0.05},
	    {"likelihood.baseline_gap", "0.01", HW_T_BASELINE_GAP, 0.01},
	    {"likelihood.fragility", "0.1", HW_T_FRAGILITY, 0.04},
	};
	size_t k;
	int t;

	/* internet, cvss 5.0 with 2 vulnerabilities, patched 73 days ago,
	 * past end of life, unauthorized, MODERATE of HIGH (1 step),
	 * fragility .4 */
	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "2");
	fset(&in.factors, "worst_cvss", "5.0");
	fset(&in.factors, "last_patched", "2026-09-09"); /* TODAY - 73 */
	fset(&in.factors, "end_of_life", "2020-01-01");
	fset(&in.factors, "authorized", "no");
	fset(&in.factors, "implemented_baseline", "moderate");
	in.factors.fragility = 0.4;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	wset(&w, "likelihood.base", "0"); /* room below the cap */
	before = score(&w, &in);
	/* 0 + .25 + .15 + .02 + .02 + .2 + .2 + .05 + .06 = .95, impact 1,
	 * multiplier .5: 47.5 */
	CLOSE(before.likelihood, 0.95);
	SCORE(before, 47.5);
	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct hw_weights w2 = w;

		wset(&w2, cases[k].name, cases[k].value);
		after = score(&w2, &in);
		for (t = 0; t < HW_T_COUNT; t++)
			CLOSE(after.term[t], (enum hw_term)t == cases[k].term
						 ? cases[k].want
						 : before.term[t]);
		ck_assert_msg(after.score != before.score,
			      "%s changed nothing", cases[k].name);
	}
	/* The saturating weights: a cap of 2 vulnerabilities and a patch
	 * age of 73 days give the whole weights. */
	{
		struct hw_weights w2 = w;

		wset(&w2, "likelihood.vulnerability_cap", "2");
		wset(&w2, "likelihood.patch_days", "73");
		after = score(&w2, &in);
	}
	CLOSE(after.term[HW_T_VULNS], 0.1);
	CLOSE(after.term[HW_T_PATCH_AGE], 0.1);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Factors and dates as text                                           */

static int32_t date(const char *s)
{
	struct hw_error err = {0};
	int32_t d = -999999;

	ck_assert_msg(hw_date_parse(s, &d, &err) == 0, "%s: %s", s, err.text);
	return d;
}

static void date_bad(const char *s, const char *needle)
{
	struct hw_error err = {0};
	int32_t d = 4242;

	ck_assert_msg(hw_date_parse(s, &d, &err) < 0, "\"%s\" accepted",
		      s ? s : "(null)");
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_msg(strstr(err.text, needle) != NULL, "%s: %s", s,
		      err.text);
	ck_assert_int_eq(d, 4242); /* untouched */
}

START_TEST(test_dates)
{
	char buf[11];
	int32_t d;

	ck_assert_int_eq(date("1970-01-01"), 0);
	ck_assert_int_eq(date("1970-01-02"), 1);
	ck_assert_int_eq(date("1969-12-31"), -1);
	ck_assert_int_eq(date("2026-11-21"), TODAY);
	ck_assert_int_eq(date("2024-02-29"), 19782);
	ck_assert_int_eq(date("2000-02-29"), 11016); /* 400-year leap */
	ck_assert_int_eq(date("1900-01-01"), -25567);
	ck_assert_int_eq(date("9999-12-31"), 2932896);
	ck_assert_int_eq(date("2024-03-01") - date("2024-02-28"), 2);
	ck_assert_int_eq(date("2023-03-01") - date("2023-02-28"), 1);
	date_bad("2023-02-29", "not a calendar date"); /* not leap */
	date_bad("1900-02-29", "not a calendar date"); /* century */
	date_bad("2100-02-29", "not a calendar date");
	date_bad("2026-13-01", "not a calendar date");
	date_bad("2026-00-10", "not a calendar date");
	date_bad("2026-04-31", "not a calendar date");
	date_bad("2026-01-00", "not a calendar date");
	date_bad("2026-01-32", "not a calendar date");
	date_bad("1899-12-31", "not a calendar date");
	date_bad("2026-1-01", "not a date");
	date_bad("2026-01-1", "not a date");
	date_bad("26-01-01", "not a date");
	date_bad("2026/01/01", "not a date");
	date_bad("2026-01-01x", "not a date");
	date_bad(" 2026-01-01", "not a date");
	date_bad("2026-01-0 ", "not a date");
	date_bad("+026-01-01", "not a date");
	date_bad("2026--1-01", "expected YYYY-MM-DD");
	date_bad("2026-01- 1", "not a date");
	date_bad("", "not a date");
	date_bad(NULL, "not a date");
	/* Format: fixed width, zero-padded. */
	ck_assert_str_eq(hw_date_format(0, buf), "1970-01-01");
	ck_assert_str_eq(hw_date_format(-1, buf), "1969-12-31");
	ck_assert_str_eq(hw_date_format(TODAY, buf), "2026-11-21");
	ck_assert_str_eq(hw_date_format(19782, buf), "2024-02-29");
	ck_assert_str_eq(hw_date_format(-25567, buf), "1900-01-01");
	/* Every day from 1900 to 2200 goes round, and days are
	 * consecutive. */
	for (d = -25567; d < 84000; d++) {
		struct hw_error err = {0};
		int32_t back = 0;

		hw_date_format(d, buf);
		ck_assert_uint_eq(strlen(buf), 10);
		ck_assert_msg(hw_date_parse(buf, &back, &err) == 0, "%s: %s",
			      buf, err.text);
		ck_assert_int_eq(back, d);
	}
}
END_TEST

/* A factor value that must be refused, leaving f as it was. */
static void fbad(struct hw_factors *f, const char *field, const char *value,
		 const char *needle)
{
	struct hw_factors before = *f;
	struct hw_error err = {0};

	ck_assert_msg(hw_factor_set(f, field, value, &err) == -1,
		      "%s=%s accepted", field, value);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_msg(strstr(err.text, needle) != NULL, "%s=%s: %s", field,
		      value, err.text);
	ck_assert(memcmp(&before, f, sizeof before) == 0);
}

static const char *ftext(const struct hw_factors *f, enum hw_factor k)
{
	static char buf[32];

	return hw_factor_text(f, k, buf);
}

START_TEST(test_factors_set)
{
	struct hw_factors f;
	struct hw_error err = {0};

	memset(&f, 0, sizeof f);
	fset(&f, "vulnerabilities", "3");
	ck_assert_int_eq(f.vulnerabilities, 3);
	ck_assert_uint_eq(f.known, HW_F_BIT(HW_F_VULNERABILITIES));
	fset(&f, "vulnerabilities", "0");
	ck_assert_int_eq(f.vulnerabilities, 0);
	fset(&f, "vulnerabilities", "1000000");
	fbad(&f, "vulnerabilities", "-1", "out of range");
	fbad(&f, "vulnerabilities", "1000001", "out of range");
	fbad(&f, "vulnerabilities", "2.5", "not a whole number");
	fbad(&f, "vulnerabilities", "three", "not a number");
	fbad(&f, "vulnerabilities", "3 ", "not a number");
	fset(&f, "worst_cvss", "9.1");
	CLOSE(f.worst_cvss, 9.1);
	fset(&f, "worst_cvss", "10");
	fset(&f, "worst_cvss", "0");
	fset(&f, "worst_cvss", "7.26"); /* one decimal, as CVSS has */
	CLOSE(f.worst_cvss, 7.3);
	fbad(&f, "worst_cvss", "10.1", "out of range");
	fbad(&f, "worst_cvss", "-0.1", "out of range");
	fbad(&f, "worst_cvss", "high", "not a number");
	fset(&f, "last_patched", "2024-02-29");
	ck_assert_int_eq(f.last_patched, 19782);
	fbad(&f, "last_patched", "2023-02-29", "last_patched");
	fbad(&f, "last_patched", "2026-02-30", "not a calendar date");
	fbad(&f, "end_of_life", "2026-13-01", "end_of_life");
	fbad(&f, "end_of_life", "2026-1-01", "not a date");
	fset(&f, "end_of_life", "2030-01-01");
	fset(&f, "authorized", "no");
	ck_assert_int_eq(f.authorized, 0);
	ck_assert(f.known & HW_F_BIT(HW_F_AUTHORIZED));
	fset(&f, "authorized", "YES");
	ck_assert_int_eq(f.authorized, 1);
	fset(&f, "authorized", "false");
	ck_assert_int_eq(f.authorized, 0);
	fset(&f, "authorized", "true");
	ck_assert_int_eq(f.authorized, 1);
	fbad(&f, "authorized", "maybe", "not yes or no");
	fset(&f, "implemented_baseline", "none");
	ck_assert_int_eq(f.baseline, 0);
	fset(&f, "implemented_baseline", "Moderate");
	ck_assert_int_eq(f.baseline, M);
	fbad(&f, "implemented_baseline", "ultra", "implemented_baseline");
	fbad(&f, "implemented_baseline", "na", "not none, low, moderate");
	fset(&f, "downtime_cost", "100");
	CLOSE(f.downtime_cost, 100);
	fbad(&f, "downtime_cost", "-1", "out of range");
	ck_assert_uint_eq(f.known, HW_F_BIT(HW_F_VULNERABILITIES) |
				       HW_F_BIT(HW_F_WORST_CVSS) |
				       HW_F_BIT(HW_F_LAST_PATCHED) |
				       HW_F_BIT(HW_F_END_OF_LIFE) |
				       HW_F_BIT(HW_F_AUTHORIZED) |
				       HW_F_BIT(HW_F_BASELINE) |
				       HW_F_BIT(HW_F_DOWNTIME_COST));
	/* "" clears one, and only that one. */
	fset(&f, "worst_cvss", "");
	ck_assert_uint_eq(f.known & HW_F_BIT(HW_F_WORST_CVSS), 0);
	ck_assert(f.known & HW_F_BIT(HW_F_VULNERABILITIES));
	ck_assert_str_eq(ftext(&f, HW_F_WORST_CVSS), "");
	fset(&f, "last_patched", "");
	fset(&f, "authorized", "");
	ck_assert_uint_eq(f.known & (HW_F_BIT(HW_F_LAST_PATCHED) |
				     HW_F_BIT(HW_F_AUTHORIZED)),
			  0);
	/* Not a factor: 1, nothing set; fragility is not set by hand. */
	ck_assert_int_eq(hw_factor_set(&f, "name", "x", &err), 1);
	ck_assert_int_eq(hw_factor_set(&f, "fragility", "0.5", &err), 1);
	ck_assert_int_eq(hw_factor_set(&f, "Vulnerabilities", "1", &err), 1);
	ck_assert_int_eq(err.code, HW_OK);
	ck_assert_str_eq(hw_factor_name(HW_F_BASELINE),
			 "implemented_baseline");
	ck_assert_str_eq(hw_factor_name(HW_F_COUNT), "?");
}
END_TEST

START_TEST(test_factors_text_round_trip)
{
	static const char *const values[][2] = {
	    {"vulnerabilities", "3"},	   {"worst_cvss", "9.1"},
	    {"last_patched", "2026-01-01"}, {"end_of_life", "2030-01-01"},
	    {"authorized", "no"},	   {"implemented_baseline", "low"},
	    {"downtime_cost", "100.00"},
	};
	struct hw_factors f, g;
	enum hw_factor k;
	size_t i;

	memset(&f, 0, sizeof f);
	for (k = 0; k < HW_F_COUNT; k++)
		ck_assert_str_eq(ftext(&f, k), "");
	for (i = 0; i < sizeof values / sizeof values[0]; i++)
		fset(&f, values[i][0], values[i][1]);
	for (i = 0; i < sizeof values / sizeof values[0]; i++) {
		k = (enum hw_factor)i;
		ck_assert_str_eq(hw_factor_name(k), values[i][0]);
		ck_assert_str_eq(ftext(&f, k), values[i][1]);
	}
	/* Text back into a fresh set: the same factors. */
	memset(&g, 0, sizeof g);
	for (k = 0; k < HW_F_FRAGILITY; k++) {
		char buf[32];

		fset(&g, hw_factor_name(k), hw_factor_text(&f, k, buf));
	}
	ck_assert_uint_eq(g.known, f.known);
	ck_assert_int_eq(g.vulnerabilities, f.vulnerabilities);
	CLOSE(g.worst_cvss, f.worst_cvss);
	ck_assert_int_eq(g.last_patched, f.last_patched);
	ck_assert_int_eq(g.end_of_life, f.end_of_life);
	ck_assert_int_eq(g.authorized, f.authorized);
	ck_assert_int_eq(g.baseline, f.baseline);
	CLOSE(g.downtime_cost, f.downtime_cost);
	/* Baseline words. */
	fset(&f, "implemented_baseline", "none");
	ck_assert_str_eq(ftext(&f, HW_F_BASELINE), "none");
	fset(&f, "implemented_baseline", "HIGH");
	ck_assert_str_eq(ftext(&f, HW_F_BASELINE), "high");
	fset(&f, "authorized", "yes");
	ck_assert_str_eq(ftext(&f, HW_F_AUTHORIZED), "yes");
	f.fragility = 0.25;
	f.known |= HW_F_BIT(HW_F_FRAGILITY);
	ck_assert_str_eq(ftext(&f, HW_F_FRAGILITY), "0.25");
}
END_TEST

/* ------------------------------------------------------------------ */
/* SP 800-53B baselines                                                */

static struct hw_baselines baselines(void)
{
	struct hw_baselines b;
	struct hw_error err = {0};

	ck_assert_msg(hw_baselines_load(&b, fx_data("sp800-53b-baselines.csv"),
					&err) == 0,
		      "%s", err.text);
	return b;
}

START_TEST(test_baselines_counts)
{
	/* Counted from the CSV with awk: 370 rows; low 149, moderate 287,
	 * high 370 (controls and enhancements); every low control is in
	 * moderate and every moderate one in high. */
	struct hw_baselines b = baselines();
	size_t i;

	ck_assert_uint_eq(b.count, 370);
	ck_assert_uint_eq(b.size[L], 149);
	ck_assert_uint_eq(b.size[M], 287);
	ck_assert_uint_eq(b.size[H], 370);
	ck_assert_uint_eq(b.size[N], 0);
	ck_assert_uint_eq(hw_baselines_gap(&b, L, M, NULL), 138);
	ck_assert_uint_eq(hw_baselines_gap(&b, M, H, NULL), 83);
	ck_assert_uint_eq(hw_baselines_gap(&b, L, H, NULL), 221);
	ck_assert_uint_eq(hw_baselines_gap(&b, 0, H, NULL), 370);
	ck_assert_uint_eq(hw_baselines_gap(&b, 0, M, NULL), 287);
	ck_assert_uint_eq(hw_baselines_gap(&b, 0, L, NULL), 149);
	ck_assert_uint_eq(hw_baselines_gap(&b, H, L, NULL), 0);
	ck_assert_uint_eq(hw_baselines_gap(&b, H, M, NULL), 0);
	ck_assert_uint_eq(hw_baselines_gap(&b, M, M, NULL), 0);
	ck_assert_uint_eq(hw_baselines_gap(&b, L, 0, NULL), 0);
	/* The differences add up. */
	ck_assert_uint_eq(hw_baselines_gap(&b, L, M, NULL) +
			      hw_baselines_gap(&b, M, H, NULL),
			  hw_baselines_gap(&b, L, H, NULL));
	/* By family (a quoted family name with commas, too). */
	ck_assert_uint_eq(hw_baselines_gap(&b, L, M, "Access Control"), 28);
	ck_assert_uint_eq(hw_baselines_gap(&b, M, H, "Access Control"), 7);
	ck_assert_uint_eq(hw_baselines_gap(&b, 0, H, "Access Control"), 46);
	ck_assert_uint_eq(hw_baselines_gap(&b, L, M, "Personnel Security"),
			  0);
	ck_assert_uint_eq(hw_baselines_gap(&b, M, H, "Personnel Security"),
			  1);
	ck_assert_uint_eq(
	    hw_baselines_gap(&b, L, M,
			     "Assessment, Authorization, and Monitoring"),
	    2);
	ck_assert_uint_eq(hw_baselines_gap(&b, L, M, "No Such Family"), 0);
	/* First row, and a quoted title. */
	ck_assert_str_eq(b.controls[0].id, "ac-1");
	ck_assert_str_eq(b.controls[0].family, "Access Control");
	ck_assert_str_eq(b.controls[0].title, "Policy and Procedures");
	ck_assert_uint_eq(b.controls[0].in, (1u << L) | (1u << M) | (1u << H));
	for (i = 0; i < b.count; i++)
		if (strcmp(b.controls[i].id, "au-6") == 0)
			break;
	ck_assert_uint_lt(i, b.count);
	ck_assert_str_eq(b.controls[i].title,
			 "Audit Record Review, Analysis, and Reporting");
	hw_baselines_release(&b);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_ptr_null(b.controls);
	hw_baselines_release(NULL);
}
END_TEST

static void csv_bad(const char *text, int line, const char *needle)
{
	struct hw_baselines b;
	struct hw_error err = {0};
	const char *path = fx_write("bad.csv", text);

	ck_assert_int_eq(hw_baselines_load(&b, path, &err), -1);
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_int_eq(err.line, line);
	ck_assert_str_eq(err.source, path);
	ck_assert_msg(strstr(err.text, needle) != NULL, "%s", err.text);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_ptr_null(b.controls);
}

#define HDR "control_id,family,title,low,moderate,high\n"

START_TEST(test_baselines_malformed_rows)
{
	struct hw_baselines b;
	struct hw_error err = {0};
	const char *path;

	csv_bad("id,family,title,low,moderate,high\n", 1, "expected header");
	csv_bad(HDR "ac-1,Access Control,Policy,1,1,1\nac-2,Access Control,"
		    "Accounts,1,1\n",
		3, "expected 6 comma-separated fields");
	csv_bad(HDR "ac-1,Access Control,Policy,1,1,1,1\n", 2,
		"expected 6 comma-separated fields");
	csv_bad(HDR "ac-1,,Policy,1,1,1\n", 2, "with a control id");
	csv_bad(HDR ",Access Control,Policy,1,1,1\n", 2, "with a control id");
	csv_bad(HDR "ac-1,Access Control,\"Policy,1,1,1\n", 2,
		"expected 6 comma-separated fields");
	csv_bad(HDR "ac-1,Access Control,Policy,1,2,1\n", 2,
		"ac-1: expected 0 or 1 in column moderate");
	csv_bad(HDR "\nac-1,Access Control,Policy,yes,1,1\n", 3,
		"expected 0 or 1 in column low");
	/* A missing file. */
	ck_assert_int_eq(hw_baselines_load(&b, "/nonexistent/x.csv", &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EIO);
	/* Blank lines, CRLF, quotes with doubled quotes are fine. */
	path = fx_write("ok.csv",
			"control_id,family,title,low,moderate,high\r\n"
			"ac-1,Access Control,\"Say \"\"hi\"\", twice\",0,1,1\r\n"
			"\r\n"
			"xy-2,\"Fam, B\",T,0,0,1\r\n");
	hw_error_clear(&err);
	ck_assert_msg(hw_baselines_load(&b, path, &err) == 0, "%s", err.text);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_str_eq(b.controls[0].title, "Say \"hi\", twice");
	ck_assert_str_eq(b.controls[1].family, "Fam, B");
	ck_assert_uint_eq(b.size[L], 0);
	ck_assert_uint_eq(b.size[M], 1);
	ck_assert_uint_eq(b.size[H], 2);
	ck_assert_uint_eq(hw_baselines_gap(&b, M, H, "Fam, B"), 1);
	hw_baselines_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Protection plan actions                                             */

struct plan {
	struct hw_risk r;
	struct hw_action a[HW_ACT_COUNT];
	size_t n;
};

static struct plan plan(const struct hw_weights *w,
			const struct hw_risk_input *in,
			const struct hw_sc *own, int has_owner,
			const struct hw_baselines *b)
{
	struct plan p;

	memset(&p, 0, sizeof p);
	hw_risk_score(w, in, &p.r);
	p.n = hw_plan_actions(w, in, &p.r, own, has_owner, b, p.a);
	ck_assert_uint_le(p.n, HW_ACT_COUNT);
	return p;
}

/* The action of kind k in p, or NULL. */
static const struct hw_action *find(const struct plan *p,
				    enum hw_action_kind k)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->a[i].kind == k)
			return &p->a[i];
	return NULL;
}

/* An asset that needs nothing: categorized, owned, authorized, no open
 * vulnerabilities, patched 10 days ago, internal, supported until 2030,
 * the MODERATE baseline it requires in place. */
static struct hw_risk_input clean(void)
{
	struct hw_risk_input in = input(M, M, L);

	fset(&in.factors, "vulnerabilities", "0");
	fset(&in.factors, "worst_cvss", "9.9");
	fset(&in.factors, "last_patched", "2026-11-11");
	fset(&in.factors, "end_of_life", "2030-01-01");
	fset(&in.factors, "authorized", "yes");
	fset(&in.factors, "implemented_baseline", "moderate");
	in.factors.fragility = 0;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	in.dependents = 3;
	in.weighted = 6;
	return in;
}

START_TEST(test_plan_nothing_to_do)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_risk_input in = clean();
	struct hw_sc own = sc3(M, L, L);
	struct plan p = plan(&w, &in, &own, 1, &b);

	ck_assert_uint_eq(p.n, 0);
	/* Patched 90 days ago is not yet overdue (more than 90 is). */
	in.factors.last_patched = TODAY - 90;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 0);
	/* More baseline than required: nothing to raise. */
	fset(&in.factors, "implemented_baseline", "high");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 0);
	/* Uncategorized with no baseline recorded: categorize only, no
	 * baseline action (nothing is known to be required). */
	in.effective = sc3(N, N, N);
	fset(&in.factors, "implemented_baseline", "");
	own = sc3(N, N, N);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for confidentiality, integrity, "
			 "availability: set levels or assign information "
			 "types");
	/* Partly categorized (at least MODERATE): completing the
	 * categorization comes first, then the lower bound's baseline. */
	in.effective = sc3(N, M, L);
	own = sc3(N, M, L);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_str_eq(p.a[0].reason,
			 "partly categorized, baseline at least MODERATE: no "
			 "level for confidentiality, even inherited: set levels "
			 "or assign information types");
	ck_assert_int_eq(p.a[1].kind, HW_ACT_BASELINE);
	ck_assert_str_eq(p.a[1].reason,
			 "implemented baseline not recorded: at least MODERATE "
			 "required (287 controls); record what is in place");
	hw_baselines_release(&b);
}
END_TEST

START_TEST(test_plan_each_rule)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_sc own = sc3(M, M, L), none = sc3(N, N, N);
	struct hw_risk_input in;
	const struct hw_action *a;
	struct plan p;

	/* categorize: some own level missing (inheritance does not
	 * count); a prerequisite, gain 0. */
	in = clean();
	p = plan(&w, &in, &none, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	CLOSE(p.a[0].gain, 0);
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for confidentiality, integrity, "
			 "availability: set levels or assign information "
			 "types");
	/* owner */
	p = plan(&w, &in, &own, 0, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_OWNER);
	CLOSE(p.a[0].gain, 0);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_ptr_null(find(&p, HW_ACT_OWNER));
	/* authorize: authorized=no; not when yes or unknown */
	fset(&in.factors, "authorized", "no");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_AUTHORIZE);
	ck_assert_str_eq(p.a[0].reason, "nobody approved it into production");
	ck_assert(p.a[0].gain > 0);
	fset(&in.factors, "authorized", "");
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* patch, for open vulnerabilities, with and without a CVSS */
	in = clean();
	fset(&in.factors, "vulnerabilities", "1");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_PATCH);
	ck_assert_str_eq(p.a[0].reason,
			 "1 known vulnerability, worst CVSS 9.9");
	fset(&in.factors, "vulnerabilities", "3");
	fset(&in.factors, "worst_cvss", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_str_eq(p.a[0].reason,
			 "3 known vulnerabilities (CVSS not recorded)");
	/* patch, for age: more than plan.patch_overdue_days (90) ago */
	in = clean();
	in.factors.last_patched = TODAY - 91;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_PATCH);
	ck_assert_str_eq(p.a[0].reason, "last patched 2026-08-22, 91 days ago");
	in.factors.known &= ~HW_F_BIT(HW_F_VULNERABILITIES); /* no count */
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_ptr_nonnull(find(&p, HW_ACT_PATCH));
	in.factors.last_patched = TODAY - 31;
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	{
		struct hw_weights w2 = w;

		wset(&w2, "plan.patch_overdue_days", "30");
		p = plan(&w2, &in, &own, 1, &b);
		ck_assert_uint_eq(p.n, 1);
		ck_assert_str_eq(p.a[0].reason,
				 "last patched 2026-10-21, 31 days ago");
	}
	in.factors.known &= ~HW_F_BIT(HW_F_LAST_PATCHED); /* never */
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* exposure */
	in = clean();
	in.internet_facing = 1;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_EXPOSURE);
	ck_assert_str_eq(p.a[0].reason, "reachable from the internet");
	/* end of life: on or after the date */
	in = clean();
	fset(&in.factors, "end_of_life", "2026-11-21");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_EOL);
	ck_assert_str_eq(p.a[0].reason,
			 "end of life since 2026-11-21: no more fixes");
	fset(&in.factors, "end_of_life", "2026-11-22");
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* fragile */
	in = clean();
	in.factors.fragility = 0.4;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_FRAGILE);
	ck_assert_str_eq(p.a[0].reason,
			 "fragility 0.40 from failed changes and incidents");
	in.factors.known &= ~HW_F_BIT(HW_F_FRAGILITY);
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* raise baseline: recorded below the requirement, with the
	 * controls by family (counted from the CSV). */
	in = clean();
	in.effective = sc3(H, M, L);
	fset(&in.factors, "implemented_baseline", "low");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_BASELINE);
	ck_assert_str_eq(p.a[0].reason,
			 "from LOW to HIGH: 221 controls (AC 35, AT 1, AU 15, "
			 "CA 6, CM 23, CP 29, IA 10, IR 11, MA 8, MP 6, PE 15, "
			 "PL 1, PS 1, RA 3, SA 12, SC 20, SI 22, SR 3)");
	ck_assert(p.a[0].gain > 0);
	fset(&in.factors, "implemented_baseline", "moderate");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "from MODERATE to HIGH: 83 controls (AC 7, AU 9, CA 4, "
			 "CM 8, CP 12, IA 2, IR 5, MA 3, MP 3, PE 7, PS 1, RA 1, "
			 "SA 4, SC 5, SI 10, SR 2)");
	fset(&in.factors, "implemented_baseline", "none");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "from NONE to HIGH: 370 controls (AC 46, AT 6, AU 25, "
			 "CA 14, CM 32, CP 35, IA 26, IR 18, MA 12, MP 10, PE 25, "
			 "PL 7, PS 10, RA 11, SA 21, SC 30, SI 28, SR 14)");
	/* Without the catalogue the action still fires. */
	p = plan(&w, &in, &own, 1, NULL);
	ck_assert_ptr_nonnull(find(&p, HW_ACT_BASELINE));
	/* raise baseline, unrecorded: a gain-0 action to record it */
	fset(&in.factors, "implemented_baseline", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_BASELINE);
	CLOSE(p.a[0].gain, 0);
	ck_assert_str_eq(p.a[0].reason,
			 "implemented baseline not recorded: HIGH required "
			 "(370 controls); record what is in place");
	in.effective = sc3(L, L, L);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "implemented baseline not recorded: LOW required "
			 "(149 controls); record what is in place");
	ck_assert_str_eq(hw_action_name(HW_ACT_BASELINE), "raise baseline");
	ck_assert_str_eq(hw_action_name(HW_ACT_COUNT), "?");
	a = find(&p, HW_ACT_BASELINE);
	ck_assert_ptr_nonnull(a);
	hw_baselines_release(&b);
}
END_TEST

/* The score after the action's terms are gone: remove the factor the
 * action addresses from the input and score again. */
static double score_after(const struct hw_weights *w,
			  const struct hw_risk_input *in0,
			  enum hw_action_kind k)
{
	struct hw_risk_input in = *in0;

	switch (k) {
	case HW_ACT_AUTHORIZE:
		in.factors.authorized = 1;
		break;
	case HW_ACT_PATCH:
		in.factors.vulnerabilities = 0;
		in.factors.last_patched = in.today;
		break;
	case HW_ACT_EXPOSURE:
		in.internet_facing = 0;
		break;
	case HW_ACT_EOL:
		in.factors.known &= ~HW_F_BIT(HW_F_END_OF_LIFE);
		break;
	case HW_ACT_FRAGILE:
		in.factors.fragility = 0;
		break;
	case HW_ACT_BASELINE:
		in.factors.baseline = score(w, &in).required;
		break;
	default:
		break;
	}
	return score(w, &in).score;
}

static void expect_gains(const struct hw_weights *w,
			 const struct hw_risk_input *in, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		double want = p->a[i].kind <= HW_ACT_OWNER
				  ? 0
				  : round(10 * (p->r.score -
						score_after(w, in, p->a[i].kind))) /
					10;

		ck_assert_msg(fabs(p->a[i].gain - want) < 1e-9,
			      "%s: gain %.3f, score difference %.3f",
			      hw_action_name(p->a[i].kind), p->a[i].gain, want);
	}
}

START_TEST(test_plan_order_and_gains)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_sc own = sc3(H, N, N);
	struct hw_risk_input in = input(H, H, H);
	static const enum hw_action_kind want[] = {
	    HW_ACT_CATEGORIZE, HW_ACT_OWNER, HW_ACT_EXPOSURE, HW_ACT_AUTHORIZE,
	    HW_ACT_EOL,	       HW_ACT_PATCH, HW_ACT_BASELINE, HW_ACT_FRAGILE};
	static const double gains[] = {0, 0, 12.5, 10.0, 10.0, 6.0, 2.5, 1.5};
	struct plan p;
	size_t i;

	/* impact 1, multiplier .5: score = 50 x likelihood
	 * .1 + internet .25 + cvss .3 * 3.0/10 = .09 + 1 vulnerability .01
	 * + patched 73 days ago .02 + end of life .2 + unauthorized .2
	 * + MODERATE of HIGH .05 + fragility .15 * .2 = .03 = .95 -> 47.5
	 * gains: exposure .25 -> 12.5; authorize .2 and end of life .2 ->
	 * 10.0 each (tie: by kind, authorize first); patch .12 -> 6.0;
	 * baseline .05 -> 2.5; fragility .03 -> 1.5.  Categorize and
	 * owner first as prerequisites. */
	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "1");
	fset(&in.factors, "worst_cvss", "3.0");
	fset(&in.factors, "last_patched", "2026-09-09");
	fset(&in.factors, "end_of_life", "2026-11-11");
	fset(&in.factors, "authorized", "no");
	fset(&in.factors, "implemented_baseline", "moderate");
	in.factors.fragility = 0.2;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	p = plan(&w, &in, &own, 0, &b);
	CLOSE(p.r.likelihood, 0.95);
	SCORE(p.r, 47.5);
	ck_assert_uint_eq(p.n, 8);
	for (i = 0; i < p.n; i++) {
		ck_assert_msg(p.a[i].kind == want[i], "action %zu is %s, want %s",
			      i, hw_action_name(p.a[i].kind),
			      hw_action_name(want[i]));
		ck_assert_double_eq_tol(p.a[i].gain, gains[i], 1e-9);
	}
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for integrity, availability: set levels "
			 "or assign information types");
	ck_assert_str_eq(p.a[4].reason,
			 "end of life since 2026-11-11: no more fixes");
	ck_assert_str_eq(p.a[5].reason, "1 known vulnerability, worst CVSS 3.0");
	ck_assert_str_eq(p.a[7].reason,
			 "fragility 0.20 from failed changes and incidents");
	expect_gains(&w, &in, &p);
	/* The unrecorded baseline is worth 0: after every valued action. */
	fset(&in.factors, "implemented_baseline", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 7);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_int_eq(p.a[1].kind, HW_ACT_EXPOSURE);
	ck_assert_int_eq(p.a[5].kind, HW_ACT_FRAGILE);
	ck_assert_int_eq(p.a[6].kind, HW_ACT_BASELINE);
	CLOSE(p.a[6].gain, 0);
	/* Gains are score differences, also under the cap: with 10
	 * vulnerabilities at CVSS 10 the terms sum to .1 + .25 + .3 + .1 +
	 * .02 + .2 + .2 + .03 = 1.2, capped at 1 (score 50.0).  Removing
	 * unauthorized, end of life or fragility leaves 1 or more: gain
	 * 0; exposure leaves .95: 2.5; patch (.42) leaves .78: 11.0.
	 * Ties go by kind. */
	fset(&in.factors, "vulnerabilities", "10");
	fset(&in.factors, "worst_cvss", "10");
	p = plan(&w, &in, &own, 1, &b);
	SCORE(p.r, 50.0);
	expect_gains(&w, &in, &p);
	{
		static const enum hw_action_kind capped[] = {
		    HW_ACT_CATEGORIZE, HW_ACT_PATCH, HW_ACT_EXPOSURE,
		    HW_ACT_AUTHORIZE,  HW_ACT_EOL,   HW_ACT_FRAGILE,
		    HW_ACT_BASELINE};
		static const double cgains[] = {0, 11.0, 2.5, 0, 0, 0, 0};

		ck_assert_uint_eq(p.n, 7);
		for (i = 0; i < p.n; i++) {
			ck_assert_int_eq(p.a[i].kind, capped[i]);
			ck_assert_double_eq_tol(p.a[i].gain, cgains[i], 1e-9);
		}
	}
	for (i = 2; i + 1 < p.n; i++) {
		ck_assert(p.a[i].gain >= p.a[i + 1].gain);
		if (p.a[i].gain == p.a[i + 1].gain)
			ck_assert_int_lt(p.a[i].kind, p.a[i + 1].kind);
	}
	/* With dependents and other weights too. */
	in.weighted = 300;
	fset(&in.factors, "vulnerabilities", "2");
	fset(&in.factors, "worst_cvss", "3.0");
	fset(&in.factors, "implemented_baseline", "low");
	wset(&w, "likelihood.internet", "0.1");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert(p.r.likelihood < 1);
	expect_gains(&w, &in, &p);
	hw_baselines_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Blast radius                                                        */

/* Level weights that tell members apart: low 1, moderate 10, high 100,
 * uncategorized 1000 (not applicable is never an overall level). */
static const double lw[HW_LEVEL_HIGH + 1] = {1000, 0, 1, 10, 100};

/* A dependent's weight, worked out apart from the library: its highest
 * known level's; none known, the uncategorized weight; a lower bound
 * (some unknown, none HIGH) at least the uncategorized weight. */
static double level_weight(const struct hw_sc *e)
{
	double w = 0;
	int o, known = 0, high = 0;

	for (o = 0; o < HW_NOBJ; o++) {
		enum hw_level l = e->v[o] == HW_LEVEL_NA ? HW_LEVEL_LOW : e->v[o];

		if (l == HW_LEVEL_NONE)
			continue;
		known++;
		high |= l == HW_LEVEL_HIGH;
		if (lw[l] > w)
			w = lw[l];
	}
	if (known == 0 || (known < HW_NOBJ && !high && lw[HW_LEVEL_NONE] > w))
		w = lw[HW_LEVEL_NONE];
	return w;
}

#define build fx_graph

struct blast {
	double *count, *weighted;
	unsigned char *est;
};

static struct blast blast(const struct hw_graph *g)
{
	struct hw_error err = {0};
	size_t n = hw_graph_size(g);
	struct blast b;

	b.count = calloc(n + 1, sizeof *b.count);
	b.weighted = calloc(n + 1, sizeof *b.weighted);
	b.est = calloc(n + 1, 1);
	ck_assert(b.count && b.weighted && b.est);
	ck_assert_msg(hw_graph_blast(g, lw, b.count, b.weighted, b.est,
				     &err) == 0,
		      "%s", err.text);
	return b;
}

static void blast_free(struct blast *b)
{
	free(b->count);
	free(b->weighted);
	free(b->est);
}

static void expect_blast(const struct blast *b, uint32_t v, double count,
			 double weighted)
{
	ck_assert_msg(b->count[v] == count && b->weighted[v] == weighted &&
			  !b->est[v],
		      "v%u: %g dependents weighing %g (estimated %d), want "
		      "%g weighing %g",
		      v, b->count[v], b->weighted[v], b->est[v], count,
		      weighted);
}

START_TEST(test_blast_chain)
{
	/* v0 -> v1 -> v2 -> v3 (v0 depends on v1 ...).  Own L, M, -, H:
	 * effective L, M, M (inherited), H; overall weights 1, 10, 10,
	 * 100. */
	struct hw_sc own[4] = {sc3(L, L, L), sc3(M, M, M), sc3(N, N, N),
			       sc3(H, H, H)};
	struct hw_graph_edge e[3] = {{0, 1, CIA, RUNS}, {1, 2, CIA, RUNS},
				     {2, 3, CIA, RUNS}};
	struct hw_graph *g = build(4, own, 3, e);
	struct blast b = blast(g);

	expect_blast(&b, 0, 0, 0);
	expect_blast(&b, 1, 1, 1);	  /* v0 */
	expect_blast(&b, 2, 2, 1 + 10);	  /* v0, v1 */
	expect_blast(&b, 3, 3, 1 + 10 + 10); /* v0, v1, v2 */
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_diamond_and_disconnected)
{
	/* v0 -> v1, v0 -> v2, v1 -> v3, v2 -> v3: v3 has three dependents,
	 * v0 counted once.  v4 and v5 -> v6 are apart; v7 alone. */
	struct hw_sc own[8] = {sc3(L, L, L), sc3(L, L, L), sc3(L, M, L),
			       sc3(L, L, L), sc3(H, H, H), sc3(N, N, N),
			       sc3(L, L, L), sc3(M, M, M)};
	struct hw_graph_edge e[5] = {{0, 1, CIA, USES},
				     {0, 2, CIA, USES},
				     {1, 3, CIA, USES},
				     {2, 3, CIA, USES},
				     {5, 6, CIA, USES}};
	struct hw_graph *g = build(8, own, 5, e);
	struct blast b = blast(g);

	expect_blast(&b, 0, 0, 0);
	expect_blast(&b, 1, 1, 1);
	expect_blast(&b, 2, 1, 1);
	expect_blast(&b, 3, 3, 1 + 1 + 10); /* v0, v1, v2 (moderate) */
	expect_blast(&b, 4, 0, 0);
	expect_blast(&b, 5, 0, 0);
	expect_blast(&b, 6, 1, 1000); /* v5, uncategorized */
	expect_blast(&b, 7, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_cycles)
{
	/* 2-cycle v0 <-> v1 with v2 -> v0; 4-cycle v3 -> v4 -> v5 -> v6
	 * -> v3 with v7 -> v5 and v6 -> v8 (v8 below the cycle).
	 * Members count each other, not themselves. */
	struct hw_sc own[9] = {sc3(L, L, L), sc3(M, M, M), sc3(L, L, L),
			       sc3(L, L, L), sc3(L, L, L), sc3(L, L, L),
			       sc3(L, L, L), sc3(H, H, H), sc3(L, L, L)};
	struct hw_graph_edge e[8] = {{0, 1, CIA, USES}, {1, 0, CIA, USES},
				     {2, 0, CIA, USES}, {3, 4, CIA, USES},
				     {4, 5, CIA, USES}, {5, 6, CIA, USES},
				     {6, 3, CIA, USES}, {7, 5, CIA, USES}};
	struct hw_graph_edge e2[9];
	struct hw_graph *g = build(9, own, 8, e);
	struct blast b = blast(g);
	uint32_t v;

	/* v0, v1: effective moderate (they share); v2 low. */
	expect_blast(&b, 0, 2, 10 + 1);
	expect_blast(&b, 1, 2, 10 + 1);
	expect_blast(&b, 2, 0, 0);
	/* The 4-cycle inherits high from v7: each member has the other
	 * three and v7: 3 * 100 + 100. */
	for (v = 3; v <= 6; v++)
		expect_blast(&b, v, 4, 400);
	expect_blast(&b, 7, 0, 0);
	expect_blast(&b, 8, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
	/* v6 -> v8: v8 below the cycle gets all five. */
	memcpy(e2, e, sizeof e);
	e2[8] = (struct hw_graph_edge){6, 8, CIA, USES};
	g = build(9, own, 9, e2);
	b = blast(g);
	expect_blast(&b, 8, 5, 500);
	expect_blast(&b, 5, 4, 400);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_needs_categorize)
{
	struct hw_sc own[1] = {sc3(L, L, L)};
	struct hw_error err = {0};
	struct hw_graph *g = hw_graph_build(1, own, 0, NULL, &err);
	double c, wt;
	unsigned char est;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_graph_blast(g, lw, &c, &wt, &est, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_graph_free(g);
}
END_TEST

static unsigned rnd_state = 4242;

#define rnd(n) fx_rnd(&rnd_state, (n))

#define MAXN 90

START_TEST(test_blast_property_random)
{
	int round;

	for (round = 0; round < 300; round++) {
		static struct hw_graph_edge e[MAXN * 3];
		struct hw_sc own[MAXN];
		size_t n = 1 + rnd(MAXN), m = n > 1 ? rnd((unsigned)n * 3) : 0;
		size_t k, u, v;
		struct hw_graph *g;
		struct blast b;
		int o;

		/* Dense on small graphs, sparse on larger ones. */
		if (rnd(2))
			m = m / 3;
		for (v = 0; v < n; v++)
			for (o = 0; o < HW_NOBJ; o++)
				own[v].v[o] = rnd(4) == 0 ? N : L + rnd(3);
		for (k = 0; k < m; k++) {
			e[k].from = rnd((unsigned)n);
			e[k].to = rnd((unsigned)n);
			e[k].carries = 1 + rnd(7);
			e[k].type = (int)rnd(HW_DEP_TYPE_COUNT);
			if (e[k].from == e[k].to)
				e[k].to = (e[k].to + 1) % n;
		}
		g = build(n, own, m, e);
		b = blast(g);
		/* Brute force: breadth-first search up the edges (to the
		 * assets depending on v) from each node. */
		for (v = 0; v < n; v++) {
			unsigned char seen[MAXN] = {0};
			uint32_t queue[MAXN];
			size_t head = 0, tail = 0;
			double count = 0, weighted = 0;

			seen[v] = 1;
			queue[tail++] = (uint32_t)v;
			while (head < tail) {
				uint32_t x = queue[head++];

				for (k = 0; k < m; k++)
					if (e[k].to == x && !seen[e[k].from]) {
						seen[e[k].from] = 1;
						queue[tail++] = e[k].from;
					}
			}
			for (u = 0; u < n; u++) {
				if (u == v || !seen[u])
					continue;
				count++;
				weighted += level_weight(
				    hw_graph_effective(g, (uint32_t)u));
			}
			ck_assert_msg(b.count[v] == count &&
					  b.weighted[v] == weighted &&
					  !b.est[v],
				      "round %d, n %zu, m %zu, v%zu: %g "
				      "weighing %g, want %g weighing %g",
				      round, n, m, v, b.count[v],
				      b.weighted[v], count, weighted);
		}
		blast_free(&b);
		hw_graph_free(g);
	}
}
END_TEST

/* A star: leaves v1..vn all depend on v0 (levels low, moderate, high in
 * turn). */
static struct hw_graph *star(size_t leaves)
{
	struct hw_sc *own = calloc(leaves + 1, sizeof *own);
	struct hw_graph_edge *e = calloc(leaves, sizeof *e);
	struct hw_graph *g;
	size_t i;

	ck_assert(own && e);
	own[0] = sc3(L, L, L);
	for (i = 1; i <= leaves; i++) {
		enum hw_level l = (enum hw_level)(L + i % 3);

		own[i] = sc3(l, l, l);
		e[i - 1] = (struct hw_graph_edge){(uint32_t)i, 0, CIA, RUNS};
	}
	g = build(leaves + 1, own, leaves, e);
	free(own);
	free(e);
	return g;
}

START_TEST(test_blast_exact_limit)
{
	/* 126 dependents: exact; 127: estimated (the CLI marks "~" past
	 * 126). */
	struct hw_graph *g = star(126);
	struct blast b = blast(g);

	/* 42 of each level: 42 * (1 + 10 + 100) = 4662 */
	expect_blast(&b, 0, 126, 4662);
	expect_blast(&b, 1, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
	g = star(127);
	b = blast(g);
	ck_assert_int_eq(b.est[0], 1);
	ck_assert(fabs(b.count[0] - 127) <= 0.25 * 127);
	ck_assert_int_eq(b.est[1], 0);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_large_estimated)
{
	/* 20,000 dependents of one node: estimated within 25%. */
	size_t n = 20000, i, k;
	struct hw_graph *g = star(n);
	struct blast b = blast(g);
	double want;
	struct hw_sc *own;
	struct hw_graph_edge *e;
	size_t layer = 10000, mid = 5, m;

	/* 20000 = 3 * 6666 + 2: leaves i % 3 == 1, 2, 0 give moderate,
	 * high, low; 6667 moderate, 6667 high, 6666 low. */
	want = 6667.0 * 10 + 6667.0 * 100 + 6666.0 * 1;
	ck_assert_int_eq(b.est[0], 1);
	ck_assert_msg(fabs(b.count[0] - 20000) <= 0.25 * 20000,
		      "estimated %g dependents of 20000", b.count[0]);
	ck_assert_msg(fabs(b.weighted[0] - want) <= 0.25 * want,
		      "estimated weight %g of %g", b.weighted[0], want);
	ck_assert_int_eq(b.est[5], 0);
	ck_assert(b.count[5] == 0);
	blast_free(&b);
	hw_graph_free(g);
	/* Layers: 10,000 top nodes each depend on all 5 middle nodes,
	 * which depend on one bottom node: the bottom has 10,005 (each top
	 * node once, not five times), a middle one 10,000. */
	m = layer * mid + mid;
	own = calloc(layer + mid + 1, sizeof *own);
	e = calloc(m, sizeof *e);
	ck_assert(own && e);
	for (i = 0; i < layer + mid + 1; i++)
		own[i] = sc3(L, L, L);
	m = 0;
	for (i = 0; i < layer; i++)
		for (k = 0; k < mid; k++)
			e[m++] = (struct hw_graph_edge){
			    (uint32_t)i, (uint32_t)(layer + k), CIA, USES};
	for (k = 0; k < mid; k++)
		e[m++] = (struct hw_graph_edge){(uint32_t)(layer + k),
						(uint32_t)(layer + mid), CIA,
						RUNS};
	g = build(layer + mid + 1, own, m, e);
	b = blast(g);
	for (k = 0; k <= mid; k++) {
		double c = k < mid ? (double)layer : (double)(layer + mid);

		ck_assert_int_eq(b.est[layer + k], 1);
		ck_assert_msg(fabs(b.count[layer + k] - c) <= 0.25 * c,
			      "node %zu: estimated %g of %g", layer + k,
			      b.count[layer + k], c);
		ck_assert_msg(fabs(b.weighted[layer + k] - c) <= 0.25 * c,
			      "node %zu: estimated weight %g of %g",
			      layer + k, b.weighted[layer + k], c);
	}
	ck_assert_int_eq(b.est[0], 0);
	ck_assert(b.count[0] == 0);
	blast_free(&b);
	hw_graph_free(g);
	free(own);
	free(e);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Risk register and checks on a store                                 */

/* Assets for the register and the checks:
 *   svc      H/H/H, depends on app, store and half2
 *   app      M/M/M on vm; inherits H/H/H from svc
 *   vm       no own levels, inherits H/H/H from app and svc
 *   store    M/L/M own, inherits H/H/H from svc: integrity two steps
 *            below (under-categorized), confidentiality one (fine)
 *   half2    own C (moderate) only, inherits the rest from svc
 *            (partly, low; C one step below high is fine)
 *   web      L/L/L, depends on net through a link carrying c only
 *   net      no own levels, inherits only C (uncategorized, moderate)
 *   half     own C only, inherits I from web (partly, moderate)
 *   orphan   nothing at all, depends on leaf (uncategorized, high)
 *   leaf     L/L/L; its one dependent is uncategorized
 *   rogue    L/L/L, unauthorized, no owner
 *   adj      an information type adjusted with "tbd" (weak)
 *   adj-ok   adjusted with a real reason; plain: not adjusted
 *   b-tie, a-tie   identical: the same score, a-tie ranked first */
static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"assets\": [\n"
    "  {\"id\": \"b-tie\", \"name\": \"Tie B\", \"type\": \"server\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"low\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"low\",\n"
    "   \"internet_facing\": true, \"vulnerabilities\": 2,\n"
    "   \"worst_cvss\": 7.5},\n"
    "  {\"id\": \"svc\", \"name\": \"Service\", \"type\": "
    "\"business_service\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"high\", \"integrity\": "
    "\"high\",\n"
    "   \"availability\": \"high\", \"authorized\": true},\n"
    "  {\"id\": \"app\", \"name\": \"App\", \"type\": \"application\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"moderate\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"moderate\"},\n"
    "  {\"id\": \"vm\", \"name\": \"VM\", \"type\": \"virtual_machine\", "
    "\"owner\": \"o@x\",\n"
    "   \"last_patched\": \"2026-05-25\", \"implemented_baseline\": "
    "\"low\"},\n"
    "  {\"id\": \"store\", \"name\": \"Store\", \"type\": \"database\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"moderate\", \"integrity\": \"low\",\n"
    "   \"availability\": \"moderate\"},\n"
    "  {\"id\": \"half2\", \"name\": \"Half 2\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"moderate\"},\n"
    "  {\"id\": \"web\", \"name\": \"Web\", \"type\": \"application\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"net\", \"name\": \"Net\", \"type\": \"network_device\", "
    "\"owner\": \"o@x\"},\n"
    "  {\"id\": \"half\", \"name\": \"Half\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\"},\n"
    "  {\"id\": \"orphan\", \"name\": \"Orphan\", \"type\": \"server\", "
    "\"owner\": \"o@x\"},\n"
    "  {\"id\": \"leaf\", \"name\": \"Leaf\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"rogue\", \"name\": \"Rogue\", \"type\": \"endpoint\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\",\n"
    "   \"authorized\": false},\n"
    "  {\"id\": \"adj\", \"name\": \"Adjusted\", \"type\": "
    "\"application\", \"owner\": \"o@x\",\n"
    "   \"information_types\": [{\"id\": \"C.2.4.1\", \"confidentiality\": "
    "\"low\",\n"
    "     \"integrity\": \"moderate\", \"availability\": \"moderate\",\n"
    "     \"justification\": \"tbd\"}]},\n"
    "  {\"id\": \"adj-ok\", \"name\": \"Adjusted OK\", \"type\": "
    "\"application\",\n"
    "   \"owner\": \"o@x\", \"information_types\": [{\"id\": \"C.2.4.1\",\n"
    "     \"confidentiality\": \"low\", \"integrity\": \"moderate\",\n"
    "     \"availability\": \"moderate\",\n"
    "     \"justification\": \"Only public summaries are kept here.\"}]},\n"
    "  {\"id\": \"plain\", \"name\": \"Plain\", \"type\": \"application\", "
    "\"owner\": \"o@x\",\n"
    "   \"information_types\": [{\"id\": \"C.2.4.1\"}]},\n"
    "  {\"id\": \"a-tie\", \"name\": \"Tie A\", \"type\": \"server\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"low\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"low\",\n"
    "   \"internet_facing\": true, \"vulnerabilities\": 2,\n"
    "   \"worst_cvss\": 7.5}\n"
    " ],\n"
    " \"dependencies\": [\n"
    "  {\"from\": \"svc\", \"to\": \"app\", \"type\": \"uses\"},\n"
    "  {\"from\": \"svc\", \"to\": \"store\", \"type\": "
    "\"stores_data_in\"},\n"
    "  {\"from\": \"svc\", \"to\": \"half2\", \"type\": \"uses\"},\n"
    "  {\"from\": \"app\", \"to\": \"vm\", \"type\": \"runs_on\"},\n"
    "  {\"from\": \"web\", \"to\": \"net\", \"type\": \"connects_to\", "
    "\"carries\": \"c\"},\n"
    "  {\"from\": \"web\", \"to\": \"half\", \"type\": \"uses\", "
    "\"carries\": \"i\"},\n"
    "  {\"from\": \"orphan\", \"to\": \"leaf\", \"type\": \"uses\"}\n"
    " ]}\n";

static struct hw_graph *load_inventory(void)
{
	struct hw_error err = {0};
	struct hw_graph *g;

	ck_assert_msg(hw_import_json(fx_st, fx_write("inv.json", inventory), 0,
				     0, NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	g = hw_graph_load(fx_st, &err);
	ck_assert_msg(g != NULL, "%s", err.text);
	return g;
}

static const struct hw_risk_entry *entry(const struct hw_graph *g,
					 const struct hw_risk_entry *reg,
					 const char *id)
{
	size_t i;

	for (i = 0; i < hw_graph_size(g); i++)
		if (strcmp(hw_graph_id(g, reg[i].node), id) == 0)
			return &reg[i];
	ck_abort_msg("%s not in the register", id);
	return NULL;
}

START_TEST(test_register_order)
{
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g = load_inventory();
	struct hw_risk_entry *reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	const struct hw_risk_entry *a, *b;
	size_t n = hw_graph_size(g), i;
	unsigned char *seen = calloc(n, 1);

	ck_assert_msg(reg != NULL, "%s", err.text);
	ck_assert_ptr_nonnull(seen);
	ck_assert_uint_eq(n, 16);
	for (i = 0; i < n; i++) {
		struct hw_risk r;

		/* Every node once, ranks 1..n, by score then id. */
		ck_assert_uint_lt(reg[i].node, n);
		ck_assert_int_eq(seen[reg[i].node], 0);
		seen[reg[i].node] = 1;
		ck_assert_int_eq(reg[i].rank, (long)i + 1);
		if (i > 0) {
			ck_assert(reg[i - 1].risk.score >= reg[i].risk.score);
			if (reg[i - 1].risk.score == reg[i].risk.score)
				ck_assert_str_lt(hw_graph_id(g, reg[i - 1].node),
						 hw_graph_id(g, reg[i].node));
		}
		/* The entry is the model applied to its input. */
		hw_risk_score(&w, &reg[i].in, &r);
		ck_assert_double_eq_tol(r.score, reg[i].risk.score, 1e-9);
		ck_assert_int_eq(reg[i].in.today, TODAY);
		ck_assert_int_eq(reg[i].estimated, 0);
	}
	/* The tie: L/M/L, internet, 2 vulnerabilities at 7.5:
	 * impact (4 + 4) / 15 = 8/15; likelihood .1 + .25 + .225 + .02 =
	 * .595; no dependents; 100 * 8/15 * .595 * .5 = 15.87 -> 15.9.
	 * a-tie first though b-tie came first in the file. */
	a = entry(g, reg, "a-tie");
	b = entry(g, reg, "b-tie");
	ck_assert_double_eq_tol(a->risk.score, 15.9, 1e-9);
	ck_assert_double_eq_tol(b->risk.score, 15.9, 1e-9);
	ck_assert_int_eq(b->rank, a->rank + 1);
	ck_assert_int_eq(a->in.internet_facing, 1);
	/* svc: H/H/H, nothing depends on it: 100 * 1 * .1 * .5 = 5.0 */
	a = entry(g, reg, "svc");
	ck_assert_double_eq_tol(a->risk.score, 5.0, 1e-9);
	ck_assert(a->in.dependents == 0);
	/* vm: H/H/H inherited; app (H) and svc (H) depend on it, weighted
	 * 3 + 3 = 6; patched 180 days ago (.1 * 180/365 = .0493151);
	 * LOW of HIGH: 2 steps .1.  likelihood .2493151,
	 * blast = log10(7) / log10(10001) = .2112728,
	 * multiplier .6056364, score 100 * .2493151 * .6056364 = 15.1 */
	a = entry(g, reg, "vm");
	ck_assert(a->in.dependents == 2);
	ck_assert(a->in.weighted == 6);
	ck_assert_int_eq(a->risk.gap_steps, 2);
	CLOSE(a->risk.likelihood, 0.2 + 0.1 * 180 / 365);
	CLOSE(a->risk.blast, log10(7) / log10(10001));
	ck_assert_double_eq_tol(a->risk.score, 15.1, 1e-9);
	/* net: one low dependent (web) -> weighted 1; leaf: one
	 * uncategorized (orphan) -> impact.uncategorized, 2. */
	ck_assert(entry(g, reg, "net")->in.weighted == 1);
	ck_assert(entry(g, reg, "leaf")->in.weighted == 2);
	ck_assert_int_eq(entry(g, reg, "rogue")->risk.term[HW_T_UNAUTHORIZED] >
			     0,
			 1);
	free(reg);
	/* Another weight for uncategorized: leaf's dependent weighs 3. */
	wset(&w, "impact.uncategorized", "3");
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	ck_assert(entry(g, reg, "leaf")->in.weighted == 3);
	free(reg);
	/* Weights stored in the database are the ones read back. */
	ck_assert_int_eq(hw_store_weight_set(fx_st, "likelihood.internet",
					     "0.5", &err),
			 0);
	ck_assert_int_eq(hw_store_weights(fx_st, &w, &err), 0);
	CLOSE(w.v[HW_W_INTERNET], 0.5);
	CLOSE(w.v[HW_W_BASE], 0.1);
	ck_assert_int_eq(hw_store_weight_set(fx_st, "band.high", "10", &err),
			 -1);
	ck_assert_int_eq(hw_store_weight_set(fx_st, "nope", "1", &err), -1);
	ck_assert_int_eq(hw_store_weights(fx_st, &w, &err), 0);
	CLOSE(w.v[HW_W_BAND_HIGH], 40);
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	/* .1 + .5 + .225 + .02 = .845: 100 * 8/15 * .845 * .5 = 22.5 */
	ck_assert_double_eq_tol(entry(g, reg, "a-tie")->risk.score, 22.5, 1e-9);
	ck_assert_int_eq(entry(g, reg, "a-tie")->rank, 1);
	ck_assert_int_eq(entry(g, reg, "b-tie")->rank, 2);
	free(reg);
	free(seen);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_register_many_ties)
{
	/* 300 identical assets, inserted in reverse id order: ranks go by
	 * id. */
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g;
	struct hw_risk_entry *reg;
	char id[16];
	int i;

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	for (i = 299; i >= 0; i--) {
		struct hw_asset a;

		memset(&a, 0, sizeof a);
		snprintf(id, sizeof id, "t%03d", i);
		a.id = id;
		a.name = id;
		a.type = (char *)"server";
		a.direct = sc3(M, M, M);
		ck_assert_msg(hw_store_asset_put(fx_st, &a, 0, &err) == 0, "%s",
			      err.text);
	}
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "t%03d", i);
		ck_assert_str_eq(hw_graph_id(g, reg[i].node), id);
		ck_assert_int_eq(reg[i].rank, i + 1);
		/* M/M/M: (4 + 6) / 15 * .1 * .5 = 3.3 */
		ck_assert_double_eq_tol(reg[i].risk.score, 3.3, 1e-9);
	}
	free(reg);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_register_refuses_closure)
{
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g = load_inventory(), *part;
	struct hw_finding *f = NULL;
	const char *id = "vm";
	size_t n = 0;

	hw_graph_free(g);
	part = hw_graph_load_up(fx_st, &id, 1, 1000, &err);
	ck_assert_ptr_nonnull(part);
	ck_assert_int_eq(hw_graph_is_closure(part), 1);
	ck_assert_ptr_null(hw_risk_register(fx_st, part, &w, TODAY, &err));
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_check(fx_st, part, &f, &n, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_graph_free(part);
}
END_TEST

START_TEST(test_check_findings)
{
	static const struct {
		enum hw_severity sev;
		enum hw_finding_kind kind;
		const char *asset, *detail;
	} want[] = {
	    /* Partly categorized, at least LOW: the baseline may be two
	     * steps short. */
	    {HW_SEV_HIGH, HW_FIND_LOWER_BOUND, "half",
	     "no availability level, even inherited: partly categorized, "
	     "baseline at least LOW"},
	    {HW_SEV_HIGH, HW_FIND_LOWER_BOUND, "net",
	     "no integrity, availability level, even inherited: partly "
	     "categorized, baseline at least LOW"},
	    {HW_SEV_HIGH, HW_FIND_UNCATEGORIZED, "orphan",
	     "no own confidentiality, integrity, availability level; "
	     "nothing inherited either"},
	    {HW_SEV_HIGH, HW_FIND_UNAUTHORIZED, "rogue",
	     "nobody approved it into production"},
	    {HW_SEV_MODERATE, HW_FIND_PARTIAL, "half",
	     "no own integrity, availability level; inherits only some"},
	    {HW_SEV_MODERATE, HW_FIND_UNCATEGORIZED, "net",
	     "no own confidentiality, integrity, availability level; "
	     "inherits only some"},
	    {HW_SEV_MODERATE, HW_FIND_NO_OWNER, "rogue",
	     "nobody owns it, so nobody is notified of changes"},
	    {HW_SEV_MODERATE, HW_FIND_UNDER_CATEGORIZED, "store",
	     "own integrity low but it inherits high from svc: likely "
	     "mis-categorized"},
	    {HW_SEV_LOW, HW_FIND_WEAK_JUSTIFICATION, "adj",
	     "information type C.2.4.1 adjusted with the justification "
	     "\"tbd\""},
	    {HW_SEV_LOW, HW_FIND_PARTIAL, "half2",
	     "no own integrity, availability level; inherits all three"},
	    {HW_SEV_LOW, HW_FIND_UNCATEGORIZED, "vm",
	     "no own confidentiality, integrity, availability level; "
	     "inherits all three"},
	};
	struct hw_error err = {0};
	struct hw_graph *g = load_inventory();
	struct hw_finding *f = NULL;
	size_t n = 0, i;

	ck_assert_msg(hw_check(fx_st, g, &f, &n, &err) == 0, "%s", err.text);
	for (i = 0; i < n && i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(f[i].severity == want[i].sev &&
				  f[i].kind == want[i].kind &&
				  strcmp(hw_graph_id(g, f[i].node),
					 want[i].asset) == 0 &&
				  strcmp(f[i].detail, want[i].detail) == 0,
			      "finding %zu: %s %s %s: %s; want %s %s %s: %s", i,
			      hw_severity_name(f[i].severity),
			      hw_finding_name(f[i].kind),
			      hw_graph_id(g, f[i].node), f[i].detail,
			      hw_severity_name(want[i].sev),
			      hw_finding_name(want[i].kind), want[i].asset,
			      want[i].detail);
	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	free(f);
	hw_graph_free(g);
	ck_assert_str_eq(hw_severity_name(HW_SEV_MODERATE), "moderate");
	ck_assert_str_eq(hw_finding_name(HW_FIND_UNDER_CATEGORIZED),
			 "under-categorized");
	ck_assert_str_eq(hw_finding_name(HW_FIND_PARTIAL),
			 "incomplete levels");
	ck_assert_str_eq(hw_finding_name(HW_FIND_LOWER_BOUND),
			 "partly categorized");
}
END_TEST

START_TEST(test_check_missing_levels_severity)
{
	/* The severity of an uncategorized or partly categorized asset
	 * depends on what inheritance gives the objectives it has no own
	 * level for: nothing (high), some (moderate), all (low).  Each pN
	 * has an own confidentiality only, each uN nothing; dN (L/L/L)
	 * depends on them through a link carrying what is shown.
	 *   p0, u0   nothing depends on them            high
	 *   p1       d1 carries c: I and A get nothing  high
	 *   p2, u2   d2 carries i: I, not A             moderate
	 *   p3, u3   d3 carries cia: I and A            low */
	static const char text[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
	    " \"assets\": [\n"
	    "  {\"id\": \"p0\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p1\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"u0\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"u2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"u3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"d1\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"},\n"
	    "  {\"id\": \"d2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"},\n"
	    "  {\"id\": \"d3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"}\n"
	    " ],\n"
	    " \"dependencies\": [\n"
	    "  {\"from\": \"d1\", \"to\": \"p1\", \"type\": \"uses\", "
	    "\"carries\": \"c\"},\n"
	    "  {\"from\": \"d2\", \"to\": \"p2\", \"type\": \"uses\", "
	    "\"carries\": \"i\"},\n"
	    "  {\"from\": \"d2\", \"to\": \"u2\", \"type\": \"uses\", "
	    "\"carries\": \"i\"},\n"
	    "  {\"from\": \"d3\", \"to\": \"p3\", \"type\": \"uses\"},\n"
	    "  {\"from\": \"d3\", \"to\": \"u3\", \"type\": \"uses\"}\n"
	    " ]}\n";
	static const struct {
		const char *asset;
		enum hw_severity sev;
		const char *detail;
	} want[] = {
	    {"p0", HW_SEV_HIGH,
	     "no own integrity, availability level; nothing inherited "
	     "either"},
	    {"p1", HW_SEV_HIGH,
	     "no own integrity, availability level; nothing inherited "
	     "either"},
	    {"u0", HW_SEV_HIGH,
	     "no own confidentiality, integrity, availability level; "
	     "nothing inherited either"},
	    {"p2", HW_SEV_MODERATE,
	     "no own integrity, availability level; inherits only some"},
	    {"u2", HW_SEV_MODERATE,
	     "no own confidentiality, integrity, availability level; "
	     "inherits only some"},
	    {"p3", HW_SEV_LOW,
	     "no own integrity, availability level; inherits all three"},
	    {"u3", HW_SEV_LOW,
	     "no own confidentiality, integrity, availability level; "
	     "inherits all three"},
	};
	struct hw_error err = {0};
	struct hw_graph *g;
	struct hw_finding *f = NULL;
	size_t n = 0, i, k, bad = 0;
	char got[2048] = "", bounds[64] = "";

	ck_assert_msg(hw_import_json(fx_st, fx_write("m.json", text), 0, 0,
				     NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	/* The lower bounds (p0, p1, p2, u2: some objective without a
	 * level even inherited, LOW the highest known) apart; the rest
	 * in order. */
	for (i = k = 0; i < n; i++) {
		snprintf(got + strlen(got), sizeof got - strlen(got),
			 "\n  %s %s %s: %s", hw_severity_name(f[i].severity),
			 hw_finding_name(f[i].kind), hw_graph_id(g, f[i].node),
			 f[i].detail);
		if (f[i].kind == HW_FIND_LOWER_BOUND) {
			snprintf(bounds + strlen(bounds),
				 sizeof bounds - strlen(bounds), "%s%s",
				 bounds[0] ? " " : "",
				 hw_graph_id(g, f[i].node));
			bad |= f[i].severity != HW_SEV_HIGH;
			continue;
		}
		f[k++] = f[i];
	}
	bad |= strcmp(bounds, "p0 p1 p2 u2") != 0;
	/* Every other finding is the one wanted, in order. */
	if (k != sizeof want / sizeof want[0])
		bad = 1;
	for (i = 0; !bad && i < k; i++)
		bad = f[i].severity != want[i].sev ||
		      f[i].kind != (want[i].asset[0] == 'p'
					? HW_FIND_PARTIAL
					: HW_FIND_UNCATEGORIZED) ||
		      strcmp(hw_graph_id(g, f[i].node), want[i].asset) != 0 ||
		      strcmp(f[i].detail, want[i].detail) != 0;
	free(f);
	hw_graph_free(g);
	ck_assert_msg(!bad, "findings:%s", got);
}
END_TEST

START_TEST(test_check_weak_justifications)
{
	/* Placeholders and short texts are weak; a real reason is not. */
	static const struct {
		const char *text;
		int weak;
	} cases[] = {
	    {"tbd", 1},	       {"TODO", 1},
	    {"n/a", 1},	       {"  fixme.  ", 1},
	    {"see ticket", 0}, {"too short", 1},
	    {"Only public summaries.", 0},
	};
	struct hw_error err = {0};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[600];
		struct hw_graph *g;
		struct hw_finding *f = NULL;
		size_t n = 0, i, weak = 0;

		snprintf(text, sizeof text,
			 "{\"format\": \"highwater-inventory\", \"version\": "
			 "1, \"assets\": [{\"id\": \"a%zu\", \"name\": \"A\", "
			 "\"type\": \"application\", \"owner\": \"o\", "
			 "\"information_types\": [{\"id\": \"C.2.4.1\", "
			 "\"confidentiality\": \"high\", \"integrity\": "
			 "\"moderate\", \"availability\": \"moderate\", "
			 "\"justification\": \"%s\"}]}]}",
			 k, cases[k].text);
		ck_assert_msg(hw_import_json(fx_st, fx_write("j.json", text),
					     1, 0, NULL, NULL, NULL,
					     &err) == 0,
			      "%s", err.text);
		g = hw_graph_load(fx_st, &err);
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
		for (i = 0; i < n; i++)
			weak += f[i].kind == HW_FIND_WEAK_JUSTIFICATION;
		ck_assert_msg(weak == (size_t)cases[k].weak,
			      "\"%s\": %zu weak findings", cases[k].text,
			      weak);
		ck_assert_uint_eq(n, weak); /* nothing else is wrong */
		free(f);
		hw_graph_free(g);
	}
}
END_TEST

/* Import a two-asset inventory (replacing what is there): a (C high,
 * authorized) runs on b, whose own confidentiality is bc. */
static void two_assets(const char *bc)
{
	struct hw_error err = {0};
	char text[800];

	snprintf(text, sizeof text,
		 "{\"format\": \"highwater-inventory\", \"version\": 1, "
		 "\"assets\": [{\"id\": \"a\", \"name\": \"A\", \"type\": "
		 "\"application\", \"owner\": \"o\", \"confidentiality\": "
		 "\"high\", \"integrity\": \"low\", \"availability\": "
		 "\"low\", \"authorized\": true}, {\"id\": \"b\", \"name\": "
		 "\"B\", \"type\": \"server\", \"owner\": \"o\", "
		 "\"confidentiality\": \"%s\", \"integrity\": "
		 "\"moderate\", \"availability\": \"low\"}], "
		 "\"dependencies\": [{\"from\": \"a\", \"to\": \"b\", "
		 "\"type\": \"runs_on\"}]}",
		 bc);
	ck_assert_msg(hw_import_json(fx_st, fx_write("two.json", text), 1, 0,
				     NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
}

START_TEST(test_check_clean)
{
	struct hw_error err = {0};
	struct hw_graph *g;
	struct hw_finding *f = NULL;
	size_t n = 99;

	/* An empty inventory: no findings. */
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(f);
	hw_graph_free(g);
	/* A clean one: b's own C moderate, one step below the high it
	 * inherits, is no finding. */
	two_assets("moderate");
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	n = 99;
	f = NULL;
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(f);
	hw_graph_free(g);
	/* b's own C low: two steps, under-categorized. */
	two_assets("low");
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	n = 99;
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f[0].kind, HW_FIND_UNDER_CATEGORIZED);
	ck_assert_int_eq(f[0].severity, HW_SEV_MODERATE);
	ck_assert_str_eq(hw_graph_id(g, f[0].node), "b");
	ck_assert_str_eq(f[0].detail, "own confidentiality low but it inherits "
				      "high from a: likely mis-categorized");
	free(f);
	hw_graph_free(g);
	/* Severity names parse, in any case and short. */
	{
		enum hw_severity s = 0;

		ck_assert_int_eq(hw_severity_parse("high", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_HIGH);
		ck_assert_int_eq(hw_severity_parse("Moderate", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_MODERATE);
		ck_assert_int_eq(hw_severity_parse("l", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_LOW);
		ck_assert_int_eq(hw_severity_parse("bogus", &s, &err), -1);
		ck_assert_int_eq(hw_severity_parse("na", &s, &err), -1);
		ck_assert_int_eq(hw_severity_parse(NULL, &s, &err), -1);
		ck_assert_int_eq(s, HW_SEV_LOW);
	}
}
END_TEST

static Suite *risk_suite(void)
{
	Suite *s = suite_create("risk");
	TCase *model = tcase_create("model"), *text = tcase_create("text"),
	      *base = tcase_create("baselines"), *pl = tcase_create("plan"),
	      *bl = tcase_create("blast"), *store = tcase_create("store");

	tcase_add_test(model, test_score_levels_only);
	tcase_add_test(model, test_score_reasons);
	tcase_add_test(model, test_score_every_term);
	tcase_add_test(model, test_score_likelihood_capped);
	tcase_add_test(model, test_score_dates);
	tcase_add_test(model, test_score_baseline_gap);
	tcase_add_test(model, test_score_uncategorized);
	tcase_add_test(model, test_score_vulnerabilities);
	tcase_add_test(model, test_score_blast);
	tcase_add_test(model, test_score_bands);
	tcase_add_test(model, test_score_zero_weights);
	tcase_add_test(model, test_weights_defaults_and_names);
	tcase_add_test(model, test_weights_set_checks);
	tcase_add_test(model, test_weights_take_effect);
	tcase_add_test(text, test_dates);
	tcase_add_test(text, test_factors_set);
	tcase_add_test(text, test_factors_text_round_trip);
	tcase_add_checked_fixture(base, fx_setup, fx_teardown);
	tcase_add_test(base, test_baselines_counts);
	tcase_add_test(base, test_baselines_malformed_rows);
	tcase_add_test(pl, test_plan_nothing_to_do);
	tcase_add_test(pl, test_plan_each_rule);
	tcase_add_test(pl, test_plan_order_and_gains);
	tcase_add_test(bl, test_blast_chain);
	tcase_add_test(bl, test_blast_diamond_and_disconnected);
	tcase_add_test(bl, test_blast_cycles);
	tcase_add_test(bl, test_blast_needs_categorize);
	tcase_add_test(bl, test_blast_property_random);
	tcase_add_test(bl, test_blast_exact_limit);
	tcase_add_test(bl, test_blast_large_estimated);
	tcase_set_timeout(bl, 120);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_register_order);
	tcase_add_test(store, test_register_many_ties);
	tcase_add_test(store, test_register_refuses_closure);
	tcase_add_test(store, test_check_findings);
	tcase_add_test(store, test_check_missing_levels_severity);
	tcase_add_test(store, test_check_weak_justifications);
	tcase_add_test(store, test_check_clean);
	tcase_set_timeout(store, 60);
	suite_add_tcase(s, model);
	suite_add_tcase(s, text);
	suite_add_tcase(s, base);
	suite_add_tcase(s, pl);
	suite_add_tcase(s, bl);
	suite_add_tcase(s, store);
	return s;
}

int main(void)
{
	return fx_run(risk_suite());
}
