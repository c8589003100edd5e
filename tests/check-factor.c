/*
 * check-factor.c: risk factors, dates and the model's weights as values
 * (factor.c): their defaults and names, the checks that refuse a bad
 * value and leave things as they were, and text that reads back.
 */
#include "fixture-risk.h"

/* ------------------------------------------------------------------ */
/* Weights                                                             */

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

static Suite *factor_suite(void)
{
	Suite *s = suite_create("factor");
	TCase *w = tcase_create("weights");
	TCase *text = tcase_create("text");

	tcase_add_test(w, test_weights_defaults_and_names);
	tcase_add_test(w, test_weights_set_checks);
	tcase_add_test(w, test_weights_take_effect);
	tcase_add_test(text, test_dates);
	tcase_add_test(text, test_factors_set);
	tcase_add_test(text, test_factors_text_round_trip);
	suite_add_tcase(s, w);
	suite_add_tcase(s, text);
	return s;
}

int main(void)
{
	return fx_run(factor_suite());
}
