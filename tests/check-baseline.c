/*
 * check-baseline.c: the SP 800-53B baselines (baseline.c): the shipped
 * file's counts and gaps, malformed rows refused with their line, and
 * the one count of controls per family.
 */
#include "fixture-risk.h"

/* ------------------------------------------------------------------ */
/* SP 800-53B baselines                                                */

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
/* Controls per family: the one count                                  */

START_TEST(test_baselines_families)
{
	/* The shipped file: 18 families, Access Control first; each
	 * family's count is its gap times the assets, summed over the
	 * pairs of implemented and required baselines. */
	struct hw_baselines b = baselines();
	struct hw_baseline_pairs p = {{{0}}};
	struct hw_family_gap fam[HW_FAMILIES_MAX];
	size_t n, i, k, total = 0, want;

	n = hw_baselines_families(&b, &p, fam);
	ck_assert_uint_eq(n, 18);
	for (i = 0; i < n; i++)
		ck_assert_uint_eq(fam[i].controls, 0);
	ck_assert_str_eq(fam[0].family, "Access Control");
	ck_assert_str_eq(fam[0].first, "ac-1");
	p.n[0][H] = 2; /* two assets with none that need HIGH */
	p.n[M][H] = 3; /* three with MODERATE that need HIGH */
	p.n[L][L] = 7; /* seven with what they need: nothing to add */
	p.n[H][M] = 5; /* five above it: nothing either */
	ck_assert_uint_eq(hw_baselines_families(&b, &p, fam), 18);
	ck_assert_uint_eq(fam[0].controls, 2 * 46 + 3 * 7);
	for (i = 0; i < n; i++) {
		want = 2 * hw_baselines_gap(&b, 0, H, fam[i].family) +
		       3 * hw_baselines_gap(&b, M, H, fam[i].family);
		ck_assert_msg(fam[i].controls == want, "%s: %zu, want %zu",
			      fam[i].family, fam[i].controls, want);
		total += fam[i].controls;
		/* Catalogue order: the family's first control comes after
		 * every control of the families before it. */
		for (k = 0; k < b.count; k++)
			if (strcmp(b.controls[k].family, fam[i].family) == 0)
				break;
		ck_assert_str_eq(fam[i].first, b.controls[k].id);
	}
	ck_assert_uint_eq(total, 2 * 370 + 3 * 83);
	/* hw_control_gap adds up to the same. */
	for (i = 0, total = 0; i < b.count; i++)
		total += hw_control_gap(&b.controls[i], &p);
	ck_assert_uint_eq(total, 2 * 370 + 3 * 83);
	hw_baselines_release(&b);
}
END_TEST

START_TEST(test_baselines_families_cap)
{
	/* 70 families of one HIGH control each: the first 64 counted, in
	 * file order, the rest left out. */
	struct hw_baselines b;
	struct hw_baseline_pairs p = {{{0}}};
	struct hw_family_gap fam[HW_FAMILIES_MAX];
	struct hw_error err = {0};
	char *text = malloc(70 * 40 + 64), name[16];
	size_t len, i;

	ck_assert_ptr_nonnull(text);
	len = (size_t)sprintf(text, HDR);
	for (i = 0; i < 70; i++)
		len += (size_t)sprintf(text + len, "f%02zu-1,Family %02zu,T,0,0,1\n",
				       i, i);
	ck_assert_msg(hw_baselines_load(&b, fx_write("many.csv", text), &err) ==
			  0,
		      "%s", err.text);
	free(text);
	p.n[0][H] = 1;
	ck_assert_uint_eq(hw_baselines_families(&b, &p, fam), HW_FAMILIES_MAX);
	ck_assert_uint_eq(HW_FAMILIES_MAX, 64);
	for (i = 0; i < HW_FAMILIES_MAX; i++) {
		snprintf(name, sizeof name, "Family %02zu", i);
		ck_assert_str_eq(fam[i].family, name);
		ck_assert_uint_eq(fam[i].controls, 1);
	}
	hw_baselines_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The controls a change engages                                       */

START_TEST(test_change_controls)
{
	struct hw_baselines b = baselines();
	struct hw_change_control *cc = NULL;
	struct hw_error err = {0};
	size_t n = 0;

	ck_assert_msg(hw_change_controls_load(
			  &b, fx_data("change-controls.csv"), &cc, &n, &err) ==
			  0,
		      "%s", err.text);
	ck_assert_uint_gt(n, 0);
	ck_assert_uint_le(n, HW_CHANGE_CONTROLS_MAX);
	ck_assert_str_eq(cc[0].c->id, "cm-2");
	ck_assert_str_eq(cc[0].why, "the baseline configuration is updated "
				    "to what the change leaves");
	hw_change_controls_free(cc, n);
	hw_change_controls_free(NULL, 0);
	/* The same reader as the baselines: header, fields, quotes, ids. */
	ck_assert_int_eq(hw_change_controls_load(
			     &b, fx_write("cc.csv", "id,why\n"), &cc, &n, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EFORMAT);
	ck_assert_int_eq(err.line, 1);
	ck_assert_str_eq(err.text,
			 "expected header \"control_id,engaged_by\"");
	hw_error_clear(&err);
	ck_assert_int_eq(
	    hw_change_controls_load(
		&b, fx_write("cc.csv", "control_id,engaged_by\n\nzz-9,x\n"),
		&cc, &n, &err),
	    -1);
	ck_assert_int_eq(err.line, 3);
	ck_assert_str_eq(err.text, "zz-9: not an SP 800-53B control");
	hw_error_clear(&err);
	ck_assert_int_eq(
	    hw_change_controls_load(
		&b, fx_write("cc.csv", "control_id,engaged_by\ncm-2,a,b\n"),
		&cc, &n, &err),
	    -1);
	ck_assert_int_eq(err.line, 2);
	ck_assert_str_eq(err.text, "expected a control id and what engages it");
	hw_error_clear(&err);
	ck_assert_int_eq(hw_change_controls_load(&b, "/nonexistent/cc.csv",
						 &cc, &n, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EIO);
	hw_baselines_release(&b);
}
END_TEST

static Suite *baseline_suite(void)
{
	Suite *s = suite_create("baseline");
	TCase *base = tcase_create("baselines");

	tcase_add_checked_fixture(base, fx_setup, fx_teardown);
	tcase_add_test(base, test_baselines_counts);
	tcase_add_test(base, test_baselines_malformed_rows);
	tcase_add_test(base, test_baselines_families);
	tcase_add_test(base, test_baselines_families_cap);
	tcase_add_test(base, test_change_controls);
	suite_add_tcase(s, base);
	return s;
}

int main(void)
{
	return fx_run(baseline_suite());
}
