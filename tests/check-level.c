/*
 * check-level.c: FIPS 199 levels, triples, high-water mark, FIPS 200
 * overall level and baseline, FIPS 199 notation, ids and vocabularies,
 * and own categorization with the FIPS 199 worked examples.
 */
#include "fixture.h"

static struct hw_sc sc3(enum hw_level c, enum hw_level i, enum hw_level a)
{
	struct hw_sc sc = {{c, i, a}};
	return sc;
}

START_TEST(test_level_parse_any_case)
{
	static const struct {
		const char *in;
		enum hw_level want;
	} cases[] = {
	    {"low", HW_LEVEL_LOW},	   {"LOW", HW_LEVEL_LOW},
	    {"l", HW_LEVEL_LOW},	   {"L", HW_LEVEL_LOW},
	    {"Moderate", HW_LEVEL_MODERATE}, {"m", HW_LEVEL_MODERATE},
	    {"HIGH", HW_LEVEL_HIGH},	   {"h", HW_LEVEL_HIGH},
	    {"hIgH", HW_LEVEL_HIGH},
	};
	enum hw_level l;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		l = HW_LEVEL_NONE;
		ck_assert_int_eq(hw_level_parse(cases[i].in, 0, &l, NULL), 0);
		ck_assert_int_eq(l, cases[i].want);
	}
}
END_TEST

START_TEST(test_level_parse_na_only_when_allowed)
{
	struct hw_error err = {0};
	enum hw_level l = HW_LEVEL_HIGH;

	ck_assert_int_eq(hw_level_parse("na", 1, &l, NULL), 0);
	ck_assert_int_eq(l, HW_LEVEL_NA);
	ck_assert_int_eq(hw_level_parse("NA", 1, &l, NULL), 0);
	ck_assert_int_eq(l, HW_LEVEL_NA);
	l = HW_LEVEL_HIGH;
	ck_assert_int_eq(hw_level_parse("na", 0, &l, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_int_eq(l, HW_LEVEL_HIGH); /* untouched on failure */
	ck_assert_ptr_nonnull(strstr(err.text, "only to the confidentiality"));
}
END_TEST

START_TEST(test_level_parse_rejects_unknown)
{
	struct hw_error err = {0};
	enum hw_level l = HW_LEVEL_NONE;
	const char *bad[] = {"hihg", "", "lo", "highh", "medium", "0", " low"};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hw_error_clear(&err);
		ck_assert_int_eq(hw_level_parse(bad[i], 1, &l, &err), -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		ck_assert_ptr_nonnull(strstr(err.text, "expected low, moderate, high"));
	}
	hw_error_clear(&err);
	hw_level_parse("hihg", 0, &l, &err);
	ck_assert_str_eq(err.text, "unknown level \"hihg\" (expected low, "
				   "moderate, high)");
	ck_assert_int_eq(hw_level_parse(NULL, 0, &l, NULL), -1);
}
END_TEST

START_TEST(test_level_order_and_names)
{
	ck_assert_int_lt(HW_LEVEL_NA, HW_LEVEL_LOW);
	ck_assert_int_lt(HW_LEVEL_LOW, HW_LEVEL_MODERATE);
	ck_assert_int_lt(HW_LEVEL_MODERATE, HW_LEVEL_HIGH);
	ck_assert_int_eq(hw_level_max(HW_LEVEL_LOW, HW_LEVEL_HIGH),
			 HW_LEVEL_HIGH);
	ck_assert_int_eq(hw_level_max(HW_LEVEL_MODERATE, HW_LEVEL_NONE),
			 HW_LEVEL_MODERATE);
	ck_assert_str_eq(hw_level_name(HW_LEVEL_MODERATE), "moderate");
	ck_assert_str_eq(hw_level_name(HW_LEVEL_NA), "na");
	ck_assert_ptr_null(hw_level_name(HW_LEVEL_NONE));
	ck_assert_str_eq(hw_level_upper(HW_LEVEL_HIGH), "HIGH");
	ck_assert_str_eq(hw_level_upper(HW_LEVEL_NONE), "UNCATEGORIZED");
	ck_assert_int_eq(hw_level_system(HW_LEVEL_NA), HW_LEVEL_LOW);
	ck_assert_int_eq(hw_level_system(HW_LEVEL_HIGH), HW_LEVEL_HIGH);
}
END_TEST

START_TEST(test_level_overall_and_baseline)
{
	struct hw_sc s;

	s = sc3(HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_LOW);
	ck_assert_str_eq(hw_baseline_name(hw_sc_overall(&s)), "LOW");
	s = sc3(HW_LEVEL_LOW, HW_LEVEL_MODERATE, HW_LEVEL_LOW);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_MODERATE);
	ck_assert_str_eq(hw_baseline_name(hw_sc_overall(&s)), "MODERATE");
	s = sc3(HW_LEVEL_MODERATE, HW_LEVEL_LOW, HW_LEVEL_HIGH);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_HIGH);
	ck_assert_str_eq(hw_baseline_name(hw_sc_overall(&s)), "HIGH");
	/* NA counts as LOW for a system. */
	s = sc3(HW_LEVEL_NA, HW_LEVEL_LOW, HW_LEVEL_LOW);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_LOW);
	ck_assert_int_eq(hw_sc_overall_exact(&s), 1);
	/* FIPS 200's high-water mark: one HIGH objective makes it HIGH,
	 * whatever the unknown ones are. */
	s = sc3(HW_LEVEL_HIGH, HW_LEVEL_NONE, HW_LEVEL_LOW);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_HIGH);
	ck_assert_str_eq(hw_baseline_name(hw_sc_overall(&s)), "HIGH");
	ck_assert_int_eq(hw_sc_overall_exact(&s), 1);
	ck_assert_int_eq(hw_sc_partial(&s), 0);
	ck_assert_int_eq(hw_sc_completeness(&s), 0);
	s = sc3(HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE);
	ck_assert_int_eq(hw_sc_completeness(&s), -1);
	ck_assert_int_eq(hw_sc_overall(&s), HW_LEVEL_NONE);
	ck_assert_ptr_null(hw_baseline_name(hw_sc_overall(&s)));
	ck_assert_int_eq(hw_sc_overall_exact(&s), 0);
	ck_assert_int_eq(hw_sc_partial(&s), 0);
}
END_TEST

/* Below HIGH, an unknown objective makes the overall level a lower
 * bound: never silently low, never uncategorized either. */
START_TEST(test_level_overall_lower_bound)
{
	static const struct {
		enum hw_level c, i, a, overall;
		int exact, partial;
		const char *upper, *lower;
	} cases[] = {
	    {HW_LEVEL_MODERATE, HW_LEVEL_NONE, HW_LEVEL_NONE,
	     HW_LEVEL_MODERATE, 0, 1, "at least MODERATE", "at least moderate"},
	    {HW_LEVEL_NONE, HW_LEVEL_LOW, HW_LEVEL_MODERATE,
	     HW_LEVEL_MODERATE, 0, 1, "at least MODERATE", "at least moderate"},
	    {HW_LEVEL_NA, HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_LOW, 0, 1,
	     "at least LOW", "at least low"},
	    {HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_HIGH, HW_LEVEL_HIGH, 1, 0,
	     "HIGH", "high"},
	    {HW_LEVEL_LOW, HW_LEVEL_MODERATE, HW_LEVEL_LOW, HW_LEVEL_MODERATE,
	     1, 0, "MODERATE", "moderate"},
	    {HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE, HW_LEVEL_NONE, 0, 0,
	     "UNCATEGORIZED", "uncategorized"},
	};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct hw_sc s = sc3(cases[k].c, cases[k].i, cases[k].a);

		ck_assert_int_eq(hw_sc_overall(&s), cases[k].overall);
		ck_assert_int_eq(hw_sc_overall_exact(&s), cases[k].exact);
		ck_assert_int_eq(hw_sc_partial(&s), cases[k].partial);
		ck_assert_str_eq(hw_sc_overall_text(&s, 0), cases[k].upper);
		ck_assert_str_eq(hw_sc_overall_text(&s, 1), cases[k].lower);
		ck_assert_str_eq(hw_overall_text(cases[k].overall,
						 cases[k].exact, 0),
				 cases[k].upper);
	}
	/* Exactness does not matter for HIGH and for no level at all. */
	ck_assert_str_eq(hw_overall_text(HW_LEVEL_HIGH, 0, 0), "HIGH");
	ck_assert_str_eq(hw_overall_text(HW_LEVEL_NONE, 1, 1), "uncategorized");
}
END_TEST

START_TEST(test_level_sc_max_per_objective)
{
	struct hw_sc a = sc3(HW_LEVEL_LOW, HW_LEVEL_HIGH, HW_LEVEL_NONE);
	struct hw_sc b = sc3(HW_LEVEL_MODERATE, HW_LEVEL_LOW, HW_LEVEL_LOW);

	hw_sc_max(&a, &b);
	ck_assert_int_eq(a.v[HW_C], HW_LEVEL_MODERATE);
	ck_assert_int_eq(a.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(a.v[HW_A], HW_LEVEL_LOW);
}
END_TEST

START_TEST(test_level_fips199_notation)
{
	struct hw_sc s = sc3(HW_LEVEL_MODERATE, HW_LEVEL_HIGH, HW_LEVEL_LOW);
	char buf[256], small[10];

	hw_sc_format("payroll", &s, buf, sizeof buf);
	ck_assert_str_eq(buf, "SC payroll = {(confidentiality, MODERATE), "
			      "(integrity, HIGH), (availability, LOW)}");
	/* Truncates safely and says how much it needed. */
	ck_assert_uint_eq(hw_sc_format("payroll", &s, small, sizeof small),
			  strlen(buf));
	ck_assert_str_eq(small, "SC payrol");
}
END_TEST

/* Build an asset holding information types with the given selected
 * levels (no catalogue needed for own categorization). */
static void own_of(struct hw_sc *out, const struct hw_sc *direct,
		   const struct hw_sc *types, size_t n)
{
	struct hw_assignment g[4];
	struct hw_asset a = {0};
	size_t i;

	memset(g, 0, sizeof g);
	for (i = 0; i < n; i++)
		g[i].selected = types[i];
	if (direct)
		a.direct = *direct;
	a.types = g;
	a.ntypes = n;
	hw_asset_own_sc(&a, out);
}

START_TEST(test_level_fips199_scada_example)
{
	/* FIPS 199: sensor data {NA, HIGH, HIGH} + administrative {LOW,
	 * LOW, LOW} = {(C, LOW), (I, HIGH), (A, HIGH)}. */
	struct hw_sc types[2] = {
	    sc3(HW_LEVEL_NA, HW_LEVEL_HIGH, HW_LEVEL_HIGH),
	    sc3(HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW)};
	struct hw_sc own, raised;
	char buf[256];

	own_of(&own, NULL, types, 2);
	hw_sc_format("SCADA", &own, buf, sizeof buf);
	ck_assert_str_eq(buf, "SC SCADA = {(confidentiality, LOW), "
			      "(integrity, HIGH), (availability, HIGH)}");
	ck_assert_str_eq(hw_baseline_name(hw_sc_overall(&own)), "HIGH");
	/* Sensor data alone: NA confidentiality becomes LOW at system
	 * level (the low-water mark). */
	own_of(&own, NULL, types, 1);
	ck_assert_int_eq(own.v[HW_C], HW_LEVEL_LOW);
	/* Management raises confidentiality to MODERATE directly. */
	raised = sc3(HW_LEVEL_MODERATE, HW_LEVEL_NONE, HW_LEVEL_NONE);
	own_of(&own, &raised, types, 2);
	hw_sc_format("SCADA", &own, buf, sizeof buf);
	ck_assert_str_eq(buf, "SC SCADA = {(confidentiality, MODERATE), "
			      "(integrity, HIGH), (availability, HIGH)}");
}
END_TEST

START_TEST(test_level_fips199_acquisition_example)
{
	/* Contract information {MODERATE, MODERATE, LOW} + administrative
	 * {LOW, LOW, LOW} = {(C, MODERATE), (I, MODERATE), (A, LOW)}. */
	struct hw_sc types[2] = {
	    sc3(HW_LEVEL_MODERATE, HW_LEVEL_MODERATE, HW_LEVEL_LOW),
	    sc3(HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW)};
	struct hw_sc own;
	char buf[256];

	own_of(&own, NULL, types, 2);
	hw_sc_format("acquisition", &own, buf, sizeof buf);
	ck_assert_str_eq(buf, "SC acquisition = {(confidentiality, MODERATE), "
			      "(integrity, MODERATE), (availability, LOW)}");
	ck_assert_int_eq(hw_sc_overall(&own), HW_LEVEL_MODERATE);
}
END_TEST

START_TEST(test_level_uncategorized_asset_stays_so)
{
	struct hw_sc own, direct;

	own_of(&own, NULL, NULL, 0);
	ck_assert_int_eq(hw_sc_completeness(&own), -1);
	ck_assert_int_eq(hw_sc_overall(&own), HW_LEVEL_NONE);
	direct = sc3(HW_LEVEL_NONE, HW_LEVEL_HIGH, HW_LEVEL_NONE);
	own_of(&own, &direct, NULL, 0);
	ck_assert_int_eq(own.v[HW_C], HW_LEVEL_NONE);
	ck_assert_int_eq(own.v[HW_I], HW_LEVEL_HIGH);
	/* One HIGH objective: HIGH exactly, not uncategorized. */
	ck_assert_int_eq(hw_sc_overall(&own), HW_LEVEL_HIGH);
	ck_assert_int_eq(hw_sc_overall_exact(&own), 1);
}
END_TEST

START_TEST(test_level_ids)
{
	char long_id[80];

	ck_assert_int_eq(hw_id_valid("db-01"), 1);
	ck_assert_int_eq(hw_id_valid("C.2.4.1"), 1);
	ck_assert_int_eq(hw_id_valid("a_b:c-d.e"), 1);
	ck_assert_int_eq(hw_id_valid(""), 0);
	ck_assert_int_eq(hw_id_valid("has space"), 0);
	ck_assert_int_eq(hw_id_valid("semi;colon"), 0);
	ck_assert_int_eq(hw_id_valid("caf\xc3\xa9"), 0);
	ck_assert_int_eq(hw_id_valid(NULL), 0);
	memset(long_id, 'x', 64);
	long_id[64] = '\0';
	ck_assert_int_eq(hw_id_valid(long_id), 1);
	long_id[64] = 'x';
	long_id[65] = '\0';
	ck_assert_int_eq(hw_id_valid(long_id), 0);
}
END_TEST

START_TEST(test_level_carries)
{
	struct hw_error err = {0};
	unsigned m = 0;
	char buf[4];

	ck_assert_int_eq(hw_carries_parse("cia", &m, NULL), 0);
	ck_assert_uint_eq(m, HW_CARRY_ALL);
	ck_assert_int_eq(hw_carries_parse("AI", &m, NULL), 0);
	ck_assert_uint_eq(m, HW_CARRY_I | HW_CARRY_A);
	ck_assert_str_eq(hw_carries_text(m, buf), "ia");
	ck_assert_int_eq(hw_carries_parse("cix", &m, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "cix"));
	ck_assert_int_eq(hw_carries_parse("cc", &m, NULL), -1);
	ck_assert_int_eq(hw_carries_parse("", &m, NULL), -1);
}
END_TEST

START_TEST(test_level_vocabularies)
{
	ck_assert_int_eq(hw_vocab_has(hw_asset_types, "virtual_machine"), 1);
	ck_assert_int_eq(hw_vocab_has(hw_asset_types, "vm"), 0);
	ck_assert_int_eq(hw_vocab_has(hw_dep_types, "runs_on"), 1);
	ck_assert_int_eq(hw_vocab_has(hw_dep_types, "runs-on"), 0);
	ck_assert_str_eq(hw_vocab_text(hw_dep_types),
			 "runs_on, uses, stores_data_in, connects_to, "
			 "authenticates_via, backs_up_to, other");
}
END_TEST

START_TEST(test_level_error_first_kept)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_error_set(&err, HW_EINVAL, "first %d", 1), -1);
	hw_error_set(&err, HW_EDB, "second");
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_str_eq(err.text, "first 1");
	ck_assert_str_eq(hw_strerror(HW_ENOTHW), "not a highwater database");
	ck_assert_str_eq(hw_strerror((enum hw_errcode)999), "unknown error");
	/* NULL error pointers are allowed everywhere. */
	ck_assert_int_eq(hw_error_set(NULL, HW_EINVAL, "x"), -1);
}
END_TEST

static Suite *level_suite(void)
{
	Suite *s = suite_create("level");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_test(core, test_level_parse_any_case);
	tcase_add_test(core, test_level_order_and_names);
	tcase_add_test(core, test_level_overall_and_baseline);
	tcase_add_test(core, test_level_overall_lower_bound);
	tcase_add_test(core, test_level_sc_max_per_objective);
	tcase_add_test(core, test_level_fips199_notation);
	tcase_add_test(core, test_level_fips199_scada_example);
	tcase_add_test(core, test_level_fips199_acquisition_example);
	tcase_add_test(core, test_level_uncategorized_asset_stays_so);
	tcase_add_test(core, test_level_carries);
	tcase_add_test(core, test_level_vocabularies);
	tcase_add_test(errors, test_level_parse_na_only_when_allowed);
	tcase_add_test(errors, test_level_parse_rejects_unknown);
	tcase_add_test(errors, test_level_error_first_kept);
	tcase_add_test(limits, test_level_ids);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(level_suite());
}
