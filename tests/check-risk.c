/*
 * check-risk.c: the risk model (risk.c), recomputed by hand from the
 * formula (see fixture-risk.h) for several assets, and a score's main
 * reasons in words (reason.c).
 */
#include "fixture-risk.h"

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

static Suite *risk_suite(void)
{
	Suite *s = suite_create("risk");
	TCase *model = tcase_create("model");

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
	suite_add_tcase(s, model);
	return s;
}

int main(void)
{
	return fx_run(risk_suite());
}
