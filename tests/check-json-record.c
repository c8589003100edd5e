/*
 * check-json-record.c: records from JSON bodies (json-record.c): an
 * asset, an assignment, an information type and a dependency with the
 * inventory format's keys, errors at their JSON paths; an asset changed
 * by an object of those keys; and the asset list's filters and page
 * (answer-inventory.c).
 */
#include <jansson.h>

#include "answer.h"
#include "fixture.h"

static json_t *parse(const char *text)
{
	json_error_t je;
	json_t *v = json_loads(text, 0, &je);

	ck_assert_msg(v != NULL, "%s: %s", text, je.text);
	return v;
}

/* hw_asset_from_json of text fails with code, source and text. */
static void asset_refused(const char *text, enum hw_errcode code,
			  const char *source, const char *msg)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	json_t *v = parse(text);

	ck_assert_int_eq(hw_asset_from_json(fx_st, v, &a, &err), -1);
	ck_assert_int_eq(err.code, code);
	ck_assert_str_eq(err.source, source);
	ck_assert_str_eq(err.text, msg);
	ck_assert_ptr_null(a.id); /* written on success only */
	json_decref(v);
}

START_TEST(test_json_record_asset)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	json_t *v = parse(
	    "{\"id\": \"db-01\", \"name\": \"DB\", \"type\": \"database\", "
	    "\"owner\": \"dba@example.org\", \"integrity\": \"high\", "
	    "\"vulnerabilities\": 3, \"x-note\": 1, "
	    "\"information_types\": [{\"id\": \"C.2.8.12\"}, "
	    "{\"id\": \"D.26.1\", \"confidentiality\": \"na\", "
	    "\"integrity\": \"low\", \"availability\": \"low\"}]}");

	ck_assert_int_eq(hw_asset_from_json(fx_st, v, &a, &err), 0);
	ck_assert_str_eq(a.id, "db-01");
	ck_assert_str_eq(a.type, "database");
	ck_assert_str_eq(a.owner, "dba@example.org");
	ck_assert_ptr_null(a.description);
	ck_assert_int_eq(a.direct.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(a.direct.v[HW_C], HW_LEVEL_NONE);
	ck_assert_int_eq(a.factors.vulnerabilities, 3);
	ck_assert_uint_eq(a.ntypes, 2);
	ck_assert_str_eq(a.types[0].type_id, "C.2.8.12");
	/* Prepared: the provisional levels are the base. */
	ck_assert_int_eq(a.types[0].base.v[HW_I], HW_LEVEL_LOW);
	ck_assert_int_eq(a.types[1].selected.v[HW_C], HW_LEVEL_NA);
	json_decref(v);
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), 0);
	hw_asset_release(&a);
}
END_TEST

START_TEST(test_json_record_asset_refused)
{
	asset_refused("[]", HW_EFORMAT, "$",
		      "expected an object, not an array");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"other\", "
		      "\"colour\": 1}",
		      HW_EFORMAT, "$.colour",
		      "unknown key \"colour\" (extensions must start with "
		      "\"x-\")");
	asset_refused("{\"id\": \"a\", \"name\": 5, \"type\": \"other\"}",
		      HW_EFORMAT, "$.name", "expected a string, not a number");
	asset_refused("{\"id\": \"a\", \"type\": \"other\"}", HW_EFORMAT, "$",
		      "missing \"name\" (expected a string)");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"toaster\"}",
		      HW_EINVAL, "$.type",
		      "unknown asset type \"toaster\" (expected "
		      "business_service, application, database, server, "
		      "virtual_machine, container, network_device, "
		      "storage_device, cloud_service, endpoint, other)");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"other\", "
		      "\"information_types\": [{\"id\": \"NOPE\"}]}",
		      HW_ENOTFOUND, "$.information_types[0].id",
		      "unknown information type 'NOPE' (hint: highwater "
		      "infotype list --search)");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"other\", "
		      "\"information_types\": [{\"id\": \"C.2.8.12\"}, "
		      "{\"id\": \"C.2.8.12\"}]}",
		      HW_EINVAL, "$.information_types[1]",
		      "information type 'C.2.8.12' is given twice");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"other\", "
		      "\"information_types\": [{\"id\": \"C.2.8.12\", "
		      "\"why\": \"x\"}]}",
		      HW_EFORMAT, "$.information_types[0].why",
		      "unknown key \"why\" (extensions must start with "
		      "\"x-\")");
	asset_refused("{\"id\": \"a\", \"name\": \"A\", \"type\": \"other\", "
		      "\"authorized_at\": \"2026-01-01T00:00:00Z\"}",
		      HW_EINVAL, "$.authorized_at",
		      "recorded by authorizing the asset, not given");
}
END_TEST

START_TEST(test_json_record_others)
{
	struct hw_error err = {0};
	struct hw_infotype t = {0};
	struct hw_assignment g = {0};
	struct hw_dep d = {0};
	json_t *v;

	v = parse("{\"id\": \"X.1\", \"name\": \"Mine\", \"confidentiality\": "
		  "\"na\", \"integrity\": \"low\", \"availability\": \"low\"}");
	ck_assert_int_eq(hw_infotype_from_json(v, &t, &err), 0);
	ck_assert_str_eq(t.id, "X.1");
	ck_assert_int_eq(t.prov.v[HW_C], HW_LEVEL_NA);
	ck_assert_ptr_null(t.category);
	hw_infotype_release(&t);
	json_decref(v);

	v = parse("{\"from\": \"a\", \"to\": \"b\"}");
	ck_assert_int_eq(hw_dep_from_json(v, &d, &err), 0);
	ck_assert_str_eq(d.type, "other");
	ck_assert_uint_eq(d.carries, HW_CARRY_ALL);
	hw_dep_release(&d);
	json_decref(v);

	v = parse("{\"from\": \"a\", \"to\": \"a\"}");
	ck_assert_int_eq(hw_dep_from_json(v, &d, &err), -1);
	ck_assert_str_eq(err.source, "$");
	ck_assert_str_eq(err.text, "asset 'a' cannot depend on itself");
	json_decref(v);

	hw_error_clear(&err);
	v = parse("{\"id\": \"C.2.8.12\", \"integrity\": \"high\", "
		  "\"justification\": \"evidence\"}");
	ck_assert_int_eq(hw_assignment_from_json(fx_st, v, &g, &err), 0);
	ck_assert_int_eq(g.base.v[HW_I], HW_LEVEL_LOW);
	ck_assert_int_eq(g.selected.v[HW_I], HW_LEVEL_HIGH);
	ck_assert_int_eq(g.selected.v[HW_A], HW_LEVEL_LOW);
	ck_assert_str_eq(g.justification, "evidence");
	hw_assignment_release(&g);
	json_decref(v);
}
END_TEST

/* An asset to change: "a", named A, type other, owner o. */
static void asset_a(struct hw_asset *a)
{
	struct hw_error err = {0};
	json_t *v = parse("{\"id\": \"a\", \"name\": \"A\", \"type\": "
			  "\"other\", \"owner\": \"o\", \"availability\": "
			  "\"low\"}");

	ck_assert_int_eq(hw_asset_from_json(fx_st, v, a, &err), 0);
	json_decref(v);
}

START_TEST(test_json_record_patch)
{
	struct hw_error err = {0};
	struct hw_asset a;
	json_t *v;

	asset_a(&a);
	v = parse("{\"owner\": null, \"integrity\": \"moderate\", "
		  "\"availability\": null, \"internet_facing\": true, "
		  "\"worst_cvss\": 9.5, \"x-n\": 1, \"information_types\": "
		  "[{\"id\": \"C.2.8.12\"}]}");
	ck_assert_int_eq(hw_asset_patch_json(fx_st, &a, v, &err), 0);
	ck_assert_ptr_null(a.owner);
	ck_assert_int_eq(a.direct.v[HW_I], HW_LEVEL_MODERATE);
	ck_assert_int_eq(a.direct.v[HW_A], HW_LEVEL_NONE);
	ck_assert_int_eq(a.internet_facing, 1);
	ck_assert(a.factors.worst_cvss == 9.5);
	ck_assert_uint_eq(a.ntypes, 1);
	ck_assert_int_eq(a.types[0].base.v[HW_C], HW_LEVEL_LOW);
	json_decref(v);

	v = parse("{\"vulnerabilities\": 1.5}");
	ck_assert_int_eq(hw_asset_patch_json(fx_st, &a, v, &err), -1);
	ck_assert_str_eq(err.source, "$.vulnerabilities");
	ck_assert_str_eq(err.text,
			 "expected a whole number or null, not a number");
	json_decref(v);
	hw_error_clear(&err);
	v = parse("{\"id\": \"b\"}");
	ck_assert_int_eq(hw_asset_patch_json(fx_st, &a, v, &err), -1);
	ck_assert_str_eq(err.source, "$.id");
	json_decref(v);
	hw_error_clear(&err);
	v = parse("{\"information_types\": [{\"id\": \"NOPE\"}]}");
	ck_assert_int_eq(hw_asset_patch_json(fx_st, &a, v, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.source, "$.information_types[0].id");
	ck_assert_uint_eq(a.ntypes, 1); /* the assignments stay */
	json_decref(v);
	hw_asset_release(&a);
}
END_TEST

/* Collect ids of the filtered walk into a JSON array. */
static int collect(const struct hw_asset *a, void *ctx)
{
	return json_array_append_new(ctx, json_string(a->id));
}

static char *filtered(const char *const *nv)
{
	struct hw_asset_filter f = {0};
	struct hw_error err = {0};
	json_t *ids = json_array();
	char *text;

	for (; nv[0] != NULL; nv += 2)
		ck_assert_int_eq(hw_asset_filter_set(&f, nv[0], nv[1], &err),
				 0);
	ck_assert_int_eq(hw_asset_filter_each(fx_st, &f, collect, ids, &err),
			 0);
	text = json_dumps(ids, JSON_COMPACT);
	json_decref(ids);
	return text;
}

START_TEST(test_json_record_filter_page)
{
	static const char *const ids[] = {"a1", "a2", "b1", "b2", "b3"};
	struct hw_error err = {0};
	struct hw_asset_filter f = {0};
	size_t i;
	char *got;

	for (i = 0; i < 5; i++) {
		struct hw_asset a = {0};

		a.id = (char *)ids[i];
		a.name = (char *)"N";
		a.type = (char *)(i % 2 ? "server" : "other");

		ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)),
				 0);
	}
	got = filtered((const char *const[]){"prefix", "b", NULL});
	ck_assert_str_eq(got, "[\"b1\",\"b2\",\"b3\"]");
	free(got);
	got =
	    filtered((const char *const[]){"offset", "1", "limit", "2", NULL});
	ck_assert_str_eq(got, "[\"a2\",\"b1\"]");
	free(got);
	got = filtered(
	    (const char *const[]){"type", "other", "offset", "1", NULL});
	ck_assert_str_eq(got, "[\"b1\",\"b3\"]");
	free(got);
	got = filtered((const char *const[]){"offset", "9", NULL});
	ck_assert_str_eq(got, "[]");
	free(got);
	got = filtered((const char *const[]){"limit", "0", NULL});
	ck_assert_str_eq(got, "[\"a1\",\"a2\",\"b1\",\"b2\",\"b3\"]");
	free(got);
	ck_assert_int_eq(hw_asset_filter_set(&f, "limit", "1x", &err), -1);
	ck_assert_str_eq(err.source, "limit");
	ck_assert_str_eq(err.text,
			 "limit: \"1x\" is not a count (expected 0 to "
			 "1000000000)");
	hw_error_clear(&err);
	ck_assert_int_eq(hw_asset_filter_set(&f, "offset", "10000000000", &err),
			 -1);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_asset_filter_set(&f, "colour", "red", &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_asset_filter_set(&f, "partial", "yes", &err), -1);
	ck_assert_str_eq(err.text, "partial: \"yes\" (expected true or false)");
}
END_TEST

static Suite *json_record_suite(void)
{
	Suite *s = suite_create("json-record");
	TCase *core = tcase_create("core");
	TCase *errors = tcase_create("errors");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_test(core, test_json_record_asset);
	tcase_add_test(core, test_json_record_others);
	tcase_add_test(core, test_json_record_patch);
	tcase_add_test(core, test_json_record_filter_page);
	tcase_add_test(errors, test_json_record_asset_refused);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	return fx_run(json_record_suite());
}
