/*
 * check-oscal.c: the OSCAL SSP reader (oscal-read.c): the level words of
 * OSCAL files, and hw_import_oscal's result, transaction and dry run.
 */
#include "fixture.h"

START_TEST(test_oscal_level_words)
{
	static const struct {
		const char *in;
		enum hw_objective o;
		enum hw_level want;
	} cases[] = {
	    {"fips-199-low", HW_I, HW_LEVEL_LOW},
	    {"fips-199-moderate", HW_A, HW_LEVEL_MODERATE},
	    {"fips-199-high", HW_C, HW_LEVEL_HIGH},
	    {"FIPS-199-High", HW_I, HW_LEVEL_HIGH},
	    {"low", HW_C, HW_LEVEL_LOW},
	    {"Moderate", HW_I, HW_LEVEL_MODERATE},
	    {"medium", HW_A, HW_LEVEL_MODERATE}, /* NIST's IFA example */
	    {"fips-199-medium", HW_A, HW_LEVEL_MODERATE},
	    {"HIGH", HW_A, HW_LEVEL_HIGH},
	    {"fips-199-na", HW_C, HW_LEVEL_NA},
	    {"na", HW_C, HW_LEVEL_NA},
	    {"N/A", HW_C, HW_LEVEL_NA},
	    {"not-applicable", HW_C, HW_LEVEL_NA},
	    {"fips-199-not-applicable", HW_C, HW_LEVEL_NA},
	};
	enum hw_level l;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hw_error err = {0};

		l = HW_LEVEL_NONE;
		ck_assert_msg(hw_oscal_level_parse(cases[i].in, cases[i].o, &l,
						   &err) == 0,
			      "%s: %s", cases[i].in, err.text);
		ck_assert_int_eq(l, cases[i].want);
	}
}
END_TEST

START_TEST(test_oscal_level_words_refused)
{
	static const struct {
		const char *in;
		enum hw_objective o;
		const char *text;
	} cases[] = {
	    {"severe", HW_I,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"severe\""},
	    {"secret", HW_C,
	     "expected fips-199-low, fips-199-moderate, fips-199-high or "
	     "fips-199-na, got \"secret\""},
	    {"fips-199-na", HW_I,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"fips-199-na\" (not applicable is for confidentiality "
	     "alone)"},
	    {"n/a", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"n/a\" (not applicable is for confidentiality alone)"},
	    {"", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"\""},
	    {"fips-199-", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"fips-199-\""},
	    {" low", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \" low\""},
	    {"fips-199-lowx", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"fips-199-lowx\""},
	    {"l", HW_A, /* hw_level_parse's shorthand is not OSCAL's */
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"l\""},
	    {"a\nb\x7f", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"a?b?\""},
	    /* Cut at 40 bytes, never inside a character: é is 2 bytes. */
	    {"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\xc3\xa9yy", HW_A,
	     "expected fips-199-low, fips-199-moderate or fips-199-high, "
	     "got \"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...\""},
	};
	enum hw_level l;
	size_t i;

	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hw_error err = {0};

		l = HW_LEVEL_HIGH;
		ck_assert_int_eq(
		    hw_oscal_level_parse(cases[i].in, cases[i].o, &l, &err),
		    -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		ck_assert_str_eq(err.text, cases[i].text);
		ck_assert_int_eq(l, HW_LEVEL_HIGH); /* untouched */
	}
}
END_TEST

static const char ssp_two[] =
    "{\"system-security-plan\": {\"metadata\": {\"title\": \"T\"},\n"
    " \"system-characteristics\": {\"system-information\": {\n"
    "  \"information-types\": [\n"
    "   {\"title\": \"Monitoring\", \"categorizations\": [{\"system\":\n"
    "     \"https://doi.org/10.6028/NIST.SP.800-60v2r1\",\n"
    "     \"information-type-ids\": [\"C.3.5.8\"]}],\n"
    "    \"confidentiality-impact\": {\"base\": \"fips-199-moderate\"},\n"
    "    \"integrity-impact\": {\"base\": \"fips-199-moderate\",\n"
    "      \"selected\": \"fips-199-high\"}},\n"
    "   {\"title\": \"Own\", \"categorizations\": [{\"system\":\n"
    "     \"urn:example\", \"information-type-ids\": [\"X.1\"]}],\n"
    "    \"confidentiality-impact\": {\"base\": \"fips-199-na\"},\n"
    "    \"integrity-impact\": {\"base\": \"low\"},\n"
    "    \"availability-impact\": {\"base\": \"low\", \"selected\":\n"
    "      \"high\", \"adjustment-justification\": \"uptime\"}}]}}}}\n";

static void add_asset(const char *id)
{
	struct hw_asset a = {0};

	a.id = (char *)id;
	a.name = (char *)id;
	a.type = (char *)"application";
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, NULL)), 0);
}

/* Import ssp_two into a new asset "app" (a dry run when dry). */
static void import_two(int dry, struct hw_oscal_import *r)
{
	struct hw_error err = {0};
	const char *path = fx_write("ssp.json", ssp_two);

	add_asset("app");
	ck_assert_msg(hw_import_oscal(fx_st, path, "app", dry, r, &err) == 0,
		      "%s", err.text);
	ck_assert_str_eq(r->title, "T");
	ck_assert_int_eq(r->ntypes, 2);
}

START_TEST(test_oscal_import_result)
{
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	struct hw_infotype t = {0};
	struct hw_asset a;

	import_two(0, &r);
	/* C.3.5.8: the catalogue's m/m/l the base; availability, absent,
	 * takes it; integrity high is an adjustment with no text given. */
	ck_assert_str_eq(r.types[0].g.type_id, "C.3.5.8");
	ck_assert_int_eq(r.types[0].added, 0);
	ck_assert_int_eq(r.types[0].g.base.v[HW_A], HW_LEVEL_LOW);
	ck_assert_int_eq(r.types[0].g.selected.v[HW_C], HW_LEVEL_MODERATE);
	ck_assert_int_eq(r.types[0].g.selected.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(r.types[0].g.selected.v[HW_A], HW_LEVEL_LOW);
	ck_assert_str_eq(r.types[0].g.justification, "imported from SSP T");
	/* X.1: added with the SSP's base levels, selected above them. */
	ck_assert_str_eq(r.types[1].g.type_id, "X.1");
	ck_assert_int_eq(r.types[1].added, 1);
	ck_assert_int_eq(r.types[1].g.base.v[HW_C], HW_LEVEL_NA);
	ck_assert_int_eq(r.types[1].g.base.v[HW_A], HW_LEVEL_LOW);
	ck_assert_int_eq(r.types[1].g.selected.v[HW_A], HW_LEVEL_HIGH);
	ck_assert_str_eq(r.types[1].g.justification, "uptime");
	hw_oscal_import_release(&r);
	hw_oscal_import_release(&r); /* released twice: nothing left */
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "X.1", &t, &err), 0);
	ck_assert_str_eq(t.name, "Own");
	ck_assert_int_eq(t.builtin, 0);
	ck_assert_int_eq(t.prov.v[HW_I], HW_LEVEL_LOW);
	hw_infotype_release(&t);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "app", &a, &err), 0);
	ck_assert_int_eq(a.ntypes, 2);
	hw_asset_release(&a);
}
END_TEST

START_TEST(test_oscal_import_dry_run_keeps_nothing)
{
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	struct hw_infotype t = {0};
	struct hw_asset a;

	import_two(1, &r);
	ck_assert_int_eq(r.types[1].added, 1);
	hw_oscal_import_release(&r);
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "X.1", &t, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "app", &a, NULL), 0);
	ck_assert_int_eq(a.ntypes, 0);
	hw_asset_release(&a);
	/* The store is usable: no transaction was left open. */
	ck_assert_int_eq(hw_store_begin(fx_st, NULL), 0);
	hw_store_rollback(fx_st);
}
END_TEST

START_TEST(test_oscal_import_unknown_asset)
{
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	struct hw_infotype t = {0};
	const char *path = fx_write("ssp.json", ssp_two);

	ck_assert_int_eq(hw_import_oscal(fx_st, path, "none", 0, &r, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "unknown asset 'none'");
	ck_assert_ptr_null(r.types); /* untouched */
	ck_assert_int_eq(hw_store_infotype_get(fx_st, "X.1", &t, NULL), -1);
	ck_assert_int_eq(hw_store_begin(fx_st, NULL), 0);
	hw_store_rollback(fx_st);
}
END_TEST

START_TEST(test_oscal_import_error_names_path)
{
	struct hw_oscal_import r = {0};
	struct hw_error err = {0};
	const char *path = fx_write(
	    "ssp.json",
	    "{\"system-security-plan\": {\"metadata\": {\"title\": 1}}}");

	add_asset("app");
	ck_assert_int_eq(hw_import_oscal(fx_st, path, "app", 0, &r, NULL), -1);
	ck_assert_int_eq(hw_import_oscal(fx_st, path, "app", 0, &r, &err), -1);
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_str_eq(err.source, path);
	ck_assert_str_eq(err.text, "system-security-plan.metadata.title: "
				   "expected a string, not a number");
}
END_TEST

static Suite *oscal_suite(void)
{
	Suite *s = suite_create("oscal");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_test(core, test_oscal_level_words);
	tcase_add_test(core, test_oscal_import_result);
	tcase_add_test(core, test_oscal_import_dry_run_keeps_nothing);
	tcase_add_test(errors, test_oscal_level_words_refused);
	tcase_add_test(errors, test_oscal_import_unknown_asset);
	tcase_add_test(errors, test_oscal_import_error_names_path);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	return fx_run(oscal_suite());
}
