/*
 * check-import.c: the format-neutral import engine, through a fake
 * reader that hands it records: good ones land, a bad reference names
 * the record's place, the first error wins, nothing lands on failure.
 */
#include "fixture.h"
#include "import.h"

/* The fake source: records handed in order; fail_after >= 0 makes the
 * reader fail (as a malformed source) after that many records. */
struct fake {
	const struct hwp_rec *const *recs;
	size_t n;
	long fail_after;
};

static int fake_read(struct hwp_import *im, void *ctx)
{
	struct fake *f = ctx;
	size_t i;

	for (i = 0; i < f->n; i++) {
		if (f->fail_after >= 0 && (long)i == f->fail_after)
			return hwp_where_fail(hwp_import_where(im), "(fake)",
					      HW_EFORMAT, "the source broke");
		if (hwp_import_apply(im, f->recs[i]) < 0)
			return -1;
	}
	return 0;
}

static struct hwp_rec_asset asset(const char *id, long ord)
{
	struct hwp_rec_asset a = {{HWP_REC_ASSET, ord},
				  id,
				  id,
				  NULL,
				  NULL,
				  "server",
				  0,
				  {{0}},
				  0,
				  {0},
				  NULL,
				  0,
				  0,
				  NULL,
				  0,
				  0};

	a.hash = hwp_import_hash(id);
	return a;
}

static struct hwp_rec_dep dep(const char *from, const char *to, long ord)
{
	struct hwp_rec_dep d = {{HWP_REC_DEP, ord}, from, to, 0, 0, 0, 0, 0, 0};

	d.hfrom = hwp_import_hash(from);
	d.hto = hwp_import_hash(to);
	d.type = (unsigned char)hwp_vocab_index(hw_dep_types, "runs_on");
	d.carries = HW_CARRY_ALL;
	return d;
}

static int run(const struct hwp_rec *const *recs, size_t n, int lines,
	       long fail_after, struct hw_import_stats *stats,
	       struct hw_error *err)
{
	struct fake f = {recs, n, fail_after};
	struct hwp_reader rd = {"fake.src", lines, fake_read, &f, NULL, NULL};

	return hwp_import_run(fx_st, &rd, 0, 0, stats, err);
}

static long count_assets(void)
{
	struct hw_error err = {0};
	long n = 0;
	char *s = hw_export_json_string(fx_st, &err);
	const char *p = s;

	ck_assert_ptr_nonnull(s);
	while ((p = strstr(p, "\"type\": \"server\"")) != NULL) {
		n++;
		p++;
	}
	free(s);
	return n;
}

START_TEST(test_import_good_records_land)
{
	struct hwp_rec_asset a = asset("a", 0), b = asset("b", 1);
	struct hwp_rec_dep d = dep("a", "b", 0);
	const struct hwp_rec *recs[] = {&a.h, &b.h, &d.h};
	struct hw_import_stats stats = {0};
	struct hw_error err = {0};
	struct hw_asset got = {0};

	ck_assert_int_eq(run(recs, 3, 0, -1, &stats, &err), 0);
	ck_assert_int_eq(stats.assets, 2);
	ck_assert_int_eq(stats.dependencies, 1);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "b", &got, &err), 0);
	ck_assert_str_eq(got.name, "b");
	hw_asset_release(&got);
	ck_assert_int_eq(count_assets(), 2);
}
END_TEST

/* A dependency may name an asset the source gives later. */
START_TEST(test_import_reference_before_asset)
{
	struct hwp_rec_asset a = asset("a", 2), b = asset("b", 3);
	struct hwp_rec_dep d = dep("a", "b", 1);
	const struct hwp_rec *recs[] = {&d.h, &a.h, &b.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 3, 1, -1, NULL, &err), 0);
	ck_assert_int_eq(count_assets(), 2);
}
END_TEST

START_TEST(test_import_bad_reference_names_record)
{
	struct hwp_rec_asset a = asset("a", 0);
	struct hwp_rec_dep d0 = dep("a", "a2", 0), d1 = dep("a", "nowhere", 1);
	struct hwp_rec_asset a2 = asset("a2", 1);
	const struct hwp_rec *recs[] = {&a.h, &a2.h, &d0.h, &d1.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 4, 0, -1, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.source, "fake.src");
	ck_assert_str_eq(err.text,
			 "dependencies[1].to: unknown asset 'nowhere' (not in "
			 "the file nor the database)");
	ck_assert_int_eq(count_assets(), 0);
}
END_TEST

/* By line: the error names the line of the record. */
START_TEST(test_import_bad_reference_names_line)
{
	struct hwp_rec_asset a = asset("a", 2);
	struct hwp_rec_dep d = dep("ghost", "a", 7);
	const struct hwp_rec *recs[] = {&a.h, &d.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 2, 1, -1, NULL, &err), -1);
	ck_assert_int_eq(err.line, 7);
	ck_assert_str_eq(err.text, "dependency.from: unknown asset 'ghost' "
				   "(not in the file nor the database)");
}
END_TEST

/* Of a duplicate asset and a later duplicate dependency, the first in
 * the source is named. */
START_TEST(test_import_first_error_wins)
{
	struct hwp_rec_asset a = asset("a", 0), b = asset("b", 1),
			     a2 = asset("a", 2);
	struct hwp_rec_dep d0 = dep("a", "b", 0), d1 = dep("a", "b", 1);
	const struct hwp_rec *recs[] = {&a.h, &b.h, &d0.h, &d1.h, &a2.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 5, 1, -1, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_str_eq(err.text, "dependency: duplicate dependency 'a' -> "
				   "'b' (first at line 0)");
	ck_assert_int_eq(err.line, 1);
	ck_assert_int_eq(count_assets(), 0);
}
END_TEST

/* A reader that fails after some records leaves nothing behind, and its
 * error is the one reported. */
START_TEST(test_import_reader_failure_lands_nothing)
{
	struct hwp_rec_asset a = asset("a", 0), b = asset("b", 1);
	const struct hwp_rec *recs[] = {&a.h, &b.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 2, 0, 1, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_str_eq(err.text, "(fake): the source broke");
	ck_assert_int_eq(count_assets(), 0);
}
END_TEST

START_TEST(test_import_duplicate_asset)
{
	struct hwp_rec_asset a = asset("a", 4), a2 = asset("a", 9);
	const struct hwp_rec *recs[] = {&a.h, &a2.h};
	struct hw_error err = {0};

	ck_assert_int_eq(run(recs, 2, 0, -1, NULL, &err), -1);
	ck_assert_str_eq(err.text, "assets[9]: duplicate asset id 'a' (first "
				   "at assets index 4)");
	ck_assert_int_eq(count_assets(), 0);
}
END_TEST

static Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_test(core, test_import_good_records_land);
	tcase_add_test(core, test_import_reference_before_asset);
	tcase_add_test(errors, test_import_bad_reference_names_record);
	tcase_add_test(errors, test_import_bad_reference_names_line);
	tcase_add_test(errors, test_import_first_error_wins);
	tcase_add_test(errors, test_import_reader_failure_lands_nothing);
	tcase_add_test(errors, test_import_duplicate_asset);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(import_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
