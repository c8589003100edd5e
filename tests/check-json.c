/*
 * check-json.c: the JSON inventory format: import (whole documents and
 * JSON Lines), all-or-nothing errors with JSON paths, merge and replace,
 * and export round trips that are byte-identical.
 */
#include "fixture.h"

/* Read a whole file into a new string. */
static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

/* The export as a string with the trailing newline the file form has. */
static char *export_text(struct hw_store *st)
{
	struct hw_error err = {0};
	char *s = hw_export_json_string(st, &err), *t;

	ck_assert_msg(s != NULL, "%s", err.text);
	t = malloc(strlen(s) + 2);
	ck_assert_ptr_nonnull(t);
	strcpy(t, s);
	strcat(t, "\n");
	free(s);
	return t;
}

START_TEST(test_json_demo_import_counts)
{
	struct hw_import_stats s = {0};
	struct hw_error err = {0};

	ck_assert_msg(hw_import_json(fx_st, fx_data("demo-inventory.json"), 0,
				     0, &s, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(s.infotypes, 4);
	ck_assert_int_eq(s.assets, 114);
	ck_assert_int_eq(s.dependencies, 327);
}
END_TEST

START_TEST(test_json_export_is_byte_identical)
{
	struct hw_error err = {0};
	struct hw_store *st2;
	char *want = slurp(fx_data("demo-inventory.json")), *first, *second;
	char db2[400];

	ck_assert_int_eq(hw_import_json(fx_st, fx_data("demo-inventory.json"),
					0, 0, NULL, NULL, NULL, &err),
			 0);
	first = export_text(fx_st);
	/* The demo file is itself in canonical export form. */
	ck_assert_str_eq(first, want);
	/* Export, import elsewhere, export again: the same bytes. */
	snprintf(db2, sizeof db2, "%s/two.db", fx_dir);
	st2 = hw_store_create(db2, fx_data("sp800-60-info-types.csv"), &err);
	ck_assert_ptr_nonnull(st2);
	ck_assert_int_eq(hw_import_json(st2, fx_write("first.json", first), 0,
					0, NULL, NULL, NULL, &err),
			 0);
	second = export_text(st2);
	ck_assert_str_eq(first, second);
	ck_assert_int_eq(hw_store_close(st2), 0);
	free(want);
	free(first);
	free(second);
}
END_TEST

static const char small_doc[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"information_types\": [{\"id\": \"X.1\", \"name\": \"Sensor\",\n"
    "   \"confidentiality\": \"na\", \"integrity\": \"high\",\n"
    "   \"availability\": \"high\"}],\n"
    " \"assets\": [\n"
    "  {\"id\": \"scada\", \"name\": \"SCADA\", \"type\": \"application\",\n"
    "   \"information_types\": [{\"id\": \"X.1\"}, {\"id\": \"C.2.8.12\"}],\n"
    "   \"x-note\": \"extension keys are allowed\"},\n"
    "  {\"id\": \"db\", \"name\": \"DB\", \"type\": \"database\",\n"
    "   \"owner\": \"dba@example.org\", \"integrity\": \"HIGH\"}],\n"
    " \"dependencies\": [{\"from\": \"scada\", \"to\": \"db\",\n"
    "   \"type\": \"stores_data_in\", \"carries\": \"ia\"}]}\n";

START_TEST(test_json_import_values)
{
	struct hw_error err = {0};
	struct hw_asset a;
	struct hw_sc own;
	char line[256];

	ck_assert_msg(hw_import_json(fx_st, fx_write("s.json", small_doc), 0,
				     0, NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "scada", &a, &err), 0);
	ck_assert_uint_eq(a.ntypes, 2);
	hw_asset_own_sc(&a, &own);
	hw_sc_format(a.id, &own, line, sizeof line);
	ck_assert_str_eq(line, "SC scada = {(confidentiality, LOW), "
			       "(integrity, HIGH), (availability, HIGH)}");
	hw_asset_release(&a);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "db", &a, &err), 0);
	ck_assert_str_eq(a.owner, "dba@example.org");
	ck_assert_int_eq(a.direct.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(a.direct.v[HW_C], HW_LEVEL_NONE);
	hw_asset_release(&a);
}
END_TEST

START_TEST(test_json_lines_equals_document)
{
	static const char lines[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1}\n"
	    "{\"dependency\": {\"from\": \"scada\", \"to\": \"db\", "
	    "\"type\": \"stores_data_in\", \"carries\": \"ia\"}}\n"
	    "\n"
	    "{\"information_type\": {\"id\": \"X.1\", \"name\": \"Sensor\", "
	    "\"confidentiality\": \"na\", \"integrity\": \"high\", "
	    "\"availability\": \"high\"}}\n"
	    "{\"asset\": {\"id\": \"scada\", \"name\": \"SCADA\", \"type\": "
	    "\"application\", \"information_types\": [{\"id\": \"X.1\"}, "
	    "{\"id\": \"C.2.8.12\"}], \"x-note\": \"extension keys are "
	    "allowed\"}}\n"
	    "{\"asset\": {\"id\": \"db\", \"name\": \"DB\", \"type\": "
	    "\"database\", \"owner\": \"dba@example.org\", \"integrity\": "
	    "\"HIGH\"}}\n";
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	struct hw_store *st2;
	char db2[400], *a, *b;

	ck_assert_msg(hw_import_json(fx_st, fx_write("l.jsonl", lines), 0, 0,
				     &s, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(s.assets, 2);
	ck_assert_int_eq(s.dependencies, 1);
	ck_assert_int_eq(s.infotypes, 1);
	snprintf(db2, sizeof db2, "%s/two.db", fx_dir);
	st2 = hw_store_create(db2, fx_data("sp800-60-info-types.csv"), &err);
	ck_assert_int_eq(hw_import_json(st2, fx_write("d.json", small_doc), 0,
					0, NULL, NULL, NULL, &err),
			 0);
	a = export_text(fx_st);
	b = export_text(st2);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	ck_assert_int_eq(hw_store_close(st2), 0);
}
END_TEST

START_TEST(test_json_dry_run_replace_merge)
{
	static const char merge[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1, "
	    "\"assets\": [{\"id\": \"db\", \"name\": \"Main DB\", \"type\": "
	    "\"database\", \"availability\": \"moderate\"}]}";
	struct hw_error err = {0};
	struct hw_asset a;
	long n = 0;
	char *before, *after;

	ck_assert_int_eq(hw_import_json(fx_st, fx_write("s.json", small_doc), 0,
					0, NULL, NULL, NULL, &err),
			 0);
	before = export_text(fx_st);
	ck_assert_int_eq(hw_import_json(fx_st, fx_write("m.json", merge), 0, 1,
					NULL, NULL, NULL, &err),
			 0);
	after = export_text(fx_st);
	ck_assert_str_eq(before, after); /* dry run: nothing changed */
	free(after);
	/* Merge by id: db is replaced, scada and the dependency stay. */
	ck_assert_int_eq(hw_import_json(fx_st, fx_write("m.json", merge), 0, 0,
					NULL, NULL, NULL, &err),
			 0);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "db", &a, &err), 0);
	ck_assert_str_eq(a.name, "Main DB");
	ck_assert_ptr_null(a.owner);
	ck_assert_int_eq(a.direct.v[HW_A], HW_LEVEL_MODERATE);
	hw_asset_release(&a);
	ck_assert_int_eq(hw_store_asset_count(fx_st, &n, NULL), 0);
	ck_assert_int_eq(n, 2);
	/* Replace: only what the file holds. */
	ck_assert_int_eq(hw_import_json(fx_st, fx_write("m.json", merge), 1, 0,
					NULL, NULL, NULL, &err),
			 0);
	ck_assert_int_eq(hw_store_asset_count(fx_st, &n, NULL), 0);
	ck_assert_int_eq(n, 1);
	free(before);
}
END_TEST

/* Import text that must fail: check the message and that nothing
 * changed. */
static void expect_fail(const char *text, const char *want_source,
			int want_line, const char *want_text)
{
	struct hw_error err = {0};
	char *before, *after;
	const char *path;

	before = export_text(fx_st);
	path = fx_write(want_source, text);
	ck_assert_int_eq(
	    hw_import_json(fx_st, path, 0, 0, NULL, NULL, NULL, &err), -1);
	ck_assert_str_eq(err.source, path);
	ck_assert_int_eq(err.line, want_line);
	ck_assert_msg(strstr(err.text, want_text) != NULL,
		      "error \"%s\" lacks \"%s\"", err.text, want_text);
	after = export_text(fx_st);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

#define HDR "{\"format\": \"highwater-inventory\", \"version\": 1, "
#define A1 "{\"id\": \"a\", \"name\": \"A\", \"type\": \"server\"}"

START_TEST(test_json_errors_leave_db_unchanged)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_import_json(fx_st, fx_write("s.json", small_doc), 0,
					0, NULL, NULL, NULL, &err),
			 0);
	expect_fail("{\"format\": \"highwater-inventory\",\n  \"version\": 1,"
		    "\n  \"assets\": [\n    {\"id\": }]}",
		    "syntax.json", 4, "malformed JSON");
	expect_fail("{\"format\": \"other\", \"version\": 1}", "fmt.json", 1,
		    "format: expected \"format\": \"highwater-inventory\"");
	expect_fail("{\"format\": \"highwater-inventory\", \"version\": 2}",
		    "ver.json", 1, "version: unsupported version");
	expect_fail(HDR "\"assets\": [" A1 ", {\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"integrity\": \"hihg\"}]}",
		    "lvl.json", 0,
		    "assets[1].integrity: unknown level \"hihg\" (expected low, "
		    "moderate, high)");
	expect_fail(HDR "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"confidentiality\": \"na\"}]}",
		    "na.json", 0, "assets[0].confidentiality: level \"na\" not "
				  "allowed");
	expect_fail(HDR "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"colour\": \"red\"}]}",
		    "key.json", 0, "assets[0]: unknown key \"colour\"");
	expect_fail(HDR "\"colour\": 1}", "topkey.json", 1,
		    "unknown key \"colour\"");
	expect_fail(HDR "\"assets\": [" A1 ", " A1 "]}", "dup.json", 0,
		    "assets[1]: duplicate asset id 'a' (first at assets index "
		    "0)");
	expect_fail(HDR "\"assets\": [" A1 "], \"dependencies\": [{\"from\": "
			"\"a\", \"to\": \"ghost\"}]}",
		    "dangle.json", 0,
		    "dependencies[0].to: unknown asset 'ghost'");
	expect_fail(HDR "\"assets\": [" A1 "], \"dependencies\": [{\"from\": "
			"\"a\", \"to\": \"a\"}]}",
		    "self.json", 0, "dependencies[0]: asset 'a' cannot depend "
				    "on itself");
	expect_fail(HDR "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"information_types\": [{\"id\": "
			"\"C.2.4.1\", \"integrity\": \"high\"}]}]}",
		    "why.json", 0,
		    "assets[0].information_types[0]: adjusting the provisional "
		    "levels of 'C.2.4.1' needs a justification");
	expect_fail(HDR "\"assets\": [{\"id\": \"b b\", \"name\": \"B\", "
			"\"type\": \"server\"}]}",
		    "id.json", 0, "assets[0].id: invalid asset id \"b b\"");
	expect_fail(HDR "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"internet_facing\": \"yes\"}]}",
		    "bool.json", 0,
		    "assets[0].internet_facing: expected true or false");
	/* JSON Lines errors carry the line number. */
	expect_fail("{\"format\": \"highwater-inventory\", \"version\": 1}\n"
		    "{\"asset\": " A1 "}\n"
		    "{\"asset\": {\"id\": \"c\", \"name\": \"C\", \"type\": "
		    "\"server\", \"availability\": \"hihg\"}}\n",
		    "bad.jsonl", 3, "asset.availability: unknown level");
	expect_fail("{\"format\": \"highwater-inventory\", \"version\": 1}\n"
		    "{\"asset\": " A1 "}\n{\"asset\": {\"id\": \n",
		    "broken.jsonl", 3, "malformed JSON");
	expect_fail("{\"format\": \"highwater-inventory\", \"version\": 1}\n"
		    "{\"dependency\": {\"from\": \"scada\", \"to\": \"nope\"}}\n",
		    "dangle.jsonl", 2, "dependency.to: unknown asset 'nope'");
	expect_fail("", "empty.json", 1, "malformed JSON");
}
END_TEST

START_TEST(test_json_missing_file)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_import_json(fx_st, "/nonexistent/x.json", 0, 0,
					NULL, NULL, NULL, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "No such file"));
}
END_TEST

static Suite *json_suite(void)
{
	Suite *s = suite_create("json");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_set_timeout(core, 60);
	tcase_add_test(core, test_json_demo_import_counts);
	tcase_add_test(core, test_json_export_is_byte_identical);
	tcase_add_test(core, test_json_import_values);
	tcase_add_test(core, test_json_lines_equals_document);
	tcase_add_test(core, test_json_dry_run_replace_merge);
	tcase_add_test(errors, test_json_errors_leave_db_unchanged);
	tcase_add_test(errors, test_json_missing_file);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(json_suite());
}
