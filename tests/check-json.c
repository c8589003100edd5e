/*
 * check-json.c: the JSON inventory format: import (whole documents and
 * JSON Lines), all-or-nothing errors with JSON paths, merge and replace,
 * and export round trips that are byte-identical.
 */
#include <jansson.h>

#include "canon.h"
#include "fixture.h"
#include "hw-private.h"

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

	ck_assert_msg(hw_import_json(fx_st, fx_write("s.json", small_doc), 0, 0,
				     NULL, NULL, NULL, &err) == 0,
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

/* An import of path that must fail at line with text: nothing changes,
 * the schema (indexes dropped meanwhile) included. */
static void expect_fail_at(const char *path, int line, const char *text)
{
	struct hw_error err = {0};
	char *before = export_text(fx_st), *schema = fx_schema(fx_db);
	char *after, *schema_after;

	ck_assert_int_eq(
	    hw_import_json(fx_st, path, 0, 0, NULL, NULL, NULL, &err), -1);
	ck_assert_str_eq(err.source, path);
	ck_assert_int_eq(err.line, line);
	ck_assert_msg(strstr(err.text, text) != NULL,
		      "error \"%s\" lacks \"%s\"", err.text, text);
	after = export_text(fx_st);
	schema_after = fx_schema(fx_db);
	ck_assert_str_eq(before, after);
	ck_assert_str_eq(schema, schema_after);
	free(before);
	free(after);
	free(schema);
	free(schema_after);
}

/* The same for text written to a file of the fixture. */
static void expect_fail(const char *text, const char *want_source,
			int want_line, const char *want_text)
{
	expect_fail_at(fx_write(want_source, text), want_line, want_text);
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
	expect_fail(
	    HDR "\"assets\": [" A1 ", {\"id\": \"b\", \"name\": \"B\", "
		"\"type\": \"server\", \"integrity\": \"hihg\"}]}",
	    "lvl.json", 0,
	    "assets[1].integrity: unknown level \"hihg\" (expected low, "
	    "moderate, high)");
	expect_fail(HDR "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
			"\"type\": \"server\", \"confidentiality\": \"na\"}]}",
		    "na.json", 0,
		    "assets[0].confidentiality: level \"na\" not "
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
		    "self.json", 0,
		    "dependencies[0]: asset 'a' cannot depend "
		    "on itself");
	expect_fail(HDR
		    "\"assets\": [{\"id\": \"b\", \"name\": \"B\", "
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
	expect_fail(
	    "{\"format\": \"highwater-inventory\", \"version\": 1}\n"
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

/* ------------------------------------------------------------------ */
/* JSON Lines at scale: several parsing batches, dependencies resolved,
 * sorted and checked in memory.                                       */

#define JL_HDR "{\"format\": \"highwater-inventory\", \"version\": 1}\n"

/* A JSON Lines inventory: the header, n assets a-000000.. (lines 2 to
 * n + 1), then deps dependencies, a-i on a-(i + 1 + i / n) (lines n + 2
 * on).  Line bad (if not 0) reads text instead.  Large n spans several
 * parsing batches.  Returns the path (a static buffer). */
static const char *big_lines(const char *name, int n, int deps, long bad,
			     const char *text)
{
	static char path[400];
	FILE *fp;
	long line = 1;
	int i;

	snprintf(path, sizeof path, "%s/%s", fx_dir, name);
	fp = fopen(path, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(JL_HDR, fp);
	for (i = 0; i < n + deps; i++) {
		int k = i - n; /* dependency number */

		if (++line == bad)
			fprintf(fp, "%s\n", text);
		else if (k < 0)
			fprintf(fp,
				"{\"asset\": {\"id\": \"a-%06d\", \"name\": "
				"\"Asset %d\", \"type\": \"server\", "
				"\"owner\": \"team-%d@example.org\"%s}}\n",
				i, i, i % 7,
				i % 3 ? "" : ", \"integrity\": \"high\"");
		else
			fprintf(fp,
				"{\"dependency\": {\"from\": \"a-%06d\", "
				"\"to\": \"a-%06d\", \"type\": \"runs_on\", "
				"\"carries\": \"%s\"}}\n",
				k % n, (k % n + 1 + k / n) % n,
				k % 2 ? "cia" : "a");
	}
	ck_assert_int_eq(fclose(fp), 0);
	return path;
}

/* "from -> to type carries" of the last dependency seen. */
static int find_dep(const struct hw_dep *d, void *ctx)
{
	char buf[4];

	snprintf(ctx, 128, "%s -> %s %s %s", d->from, d->to, d->type,
		 hw_carries_text(d->carries, buf));
	return 0;
}

static int count_dep(const struct hw_dep *d, void *ctx)
{
	(void)d;
	(*(long *)ctx)++;
	return 0;
}

static long dep_count(struct hw_store *st, const char *asset)
{
	long n = 0;

	ck_assert_int_eq(hw_store_dep_each(st, asset, count_dep, &n, NULL), 0);
	return n;
}

START_TEST(test_json_lines_many_batches)
{
	struct hw_import_stats st = {0};
	struct hw_error err = {0};
	struct hw_asset a;
	char *fresh = fx_schema(fx_db), *now;
	const char *path = big_lines("big.jsonl", 6000, 12000, 0, NULL);

	ck_assert_msg(
	    hw_import_json(fx_st, path, 0, 0, &st, NULL, NULL, &err) == 0, "%s",
	    err.text);
	ck_assert_int_eq(st.assets, 6000);
	ck_assert_int_eq(st.dependencies, 12000);
	ck_assert_int_eq(st.infotypes, 0);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "a-005999", &a, &err), 0);
	ck_assert_str_eq(a.name, "Asset 5999");
	ck_assert_str_eq(a.owner, "team-0@example.org");
	ck_assert_int_eq(a.direct.v[HW_I], HW_LEVEL_NONE);
	hw_asset_release(&a);
	/* a-000003 depends on a-000004 and a-000005, and a-000002 and
	 * a-000001 on it. */
	ck_assert_int_eq(dep_count(fx_st, "a-000003"), 4);
	/* Both indexes the import rebuilt are as the schema makes them. */
	now = fx_schema(fx_db);
	ck_assert_str_eq(now, fresh);
	free(fresh);
	free(now);
}
END_TEST

/* JSON Lines read in blocks of 256 KiB: one that ends exactly on a
 * newline leaves nothing to carry over (the sanitizers once caught a
 * memcpy to a NULL carry buffer there), and a file of only the header
 * line has no dependencies to sort (NULL + 0). */
START_TEST(test_json_lines_block_ends_on_newline)
{
	static const char head[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1}\n";
	const size_t block = 256u << 10;
	struct hw_import_stats st = {0};
	struct hw_error err = {0};
	size_t used = strlen(head), n = 0;
	char *text = malloc(block + 4096), line[1200];
	struct hw_asset a;

	ck_assert_ptr_nonnull(text);
	strcpy(text, head);
	while (used < block) {
		static const char fmt[] =
		    "{\"asset\": {\"id\": \"a-%06zu\", \"name\": \"A\", "
		    "\"type\": \"server\", \"description\": \"%.*s\"}}\n";
		size_t left = block - used, len;
		/* The line without its padding, then padded: the last one
		 * to end the block exactly. */
		int bare = snprintf(line, sizeof line, fmt, n, 0, "");
		int pad = left > 1100 ? 900 : (int)left - bare;

		ck_assert_int_ge(pad, 0);
		memset(line, 'x', sizeof line - 1);
		line[sizeof line - 1] = '\0';
		len = (size_t)snprintf(text + used, block + 4096 - used, fmt, n,
				       pad, line);
		ck_assert_uint_le(len, left);
		if (left <= 1100)
			ck_assert_uint_eq(len, left); /* the block ends here */
		used += len;
		n++;
	}
	ck_assert_uint_eq(used, block);
	ck_assert_int_eq(text[block - 1], '\n');
	strcat(text, "{\"asset\": {\"id\": \"last\", \"name\": \"L\", "
		     "\"type\": \"server\"}}\n");
	ck_assert_msg(hw_import_json(fx_st, fx_write("edge.jsonl", text), 0, 0,
				     &st, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(st.assets, (long)n + 1);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "last", &a, &err), 0);
	ck_assert_str_eq(a.name, "L");
	hw_asset_release(&a);
	free(text);

	memset(&st, 0, sizeof st);
	ck_assert_msg(hw_import_json(fx_st, fx_write("head.jsonl", head), 0, 0,
				     &st, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(st.assets, 0);
	ck_assert_int_eq(st.dependencies, 0);
}
END_TEST

static void count_progress(long long done, long long total, void *ctx)
{
	ck_assert_int_le(done, total);
	(*(long *)ctx)++;
}

START_TEST(test_json_lines_progress_and_dry_run)
{
	struct hw_import_stats st = {0};
	struct hw_error err = {0};
	const char *path = big_lines("big.jsonl", 20000, 60000, 0, NULL);
	char *before = export_text(fx_st), *after;
	long calls = 0;

	ck_assert_msg(hw_import_json(fx_st, path, 0, 1, &st, count_progress,
				     &calls, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(st.dependencies, 60000);
	ck_assert_int_gt(calls, 1); /* now and then, and at the end */
	after = export_text(fx_st);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}
END_TEST

START_TEST(test_json_lines_errors_deep_in_the_file)
{
	/* Errors parsing (on any worker) and applying, at their line. */
	static const struct {
		const char *file;
		int line;
		const char *text, *want;
	} bad[] = {
	    {"lvl.jsonl", 15000,
	     "{\"dependency\": {\"from\": \"a-000001\", \"to\": \"a-000009\", "
	     "\"type\": \"needs\"}}",
	     "dependency.type: unknown dependency type \"needs\""},
	    {"syntax.jsonl", 9000, "{\"dependency\": {\"from\": \"a-1\",, }}",
	     "malformed JSON"},
	    {"dup.jsonl", 5002,
	     "{\"asset\": {\"id\": \"a-000010\", \"name\": \"Again\", "
	     "\"type\": \"server\"}}",
	     "asset: duplicate asset id 'a-000010' (first at line 12)"},
	    {"ghost.jsonl", 17000,
	     "{\"dependency\": {\"from\": \"a-000001\", \"to\": \"ghost\"}}",
	     "dependency.to: unknown asset 'ghost' (not in the file nor the "
	     "database)"},
	    {"last.jsonl", 18001, "{\"asset\": {\"id\": \"z\"}}",
	     "asset: missing \"name\""},
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
		expect_fail_at(big_lines(bad[i].file, 6000, 12000, bad[i].line,
					 bad[i].text),
			       bad[i].line, bad[i].want);
}
END_TEST

START_TEST(test_json_lines_first_error_wins)
{
	const char *path = big_lines("two.jsonl", 6000, 12000, 3000,
				     "{\"asset\": {\"id\": \"x\", \"name\": "
				     "\"X\", \"type\": \"server\", \"colour\": "
				     "1}}");
	FILE *fp = fopen(path, "a");

	/* A second error, far later and in another batch. */
	ck_assert_ptr_nonnull(fp);
	fputs("{\"dependency\": {\"from\": \"a-000001\"}}\n", fp);
	ck_assert_int_eq(fclose(fp), 0);
	expect_fail_at(path, 3000, "asset: unknown key \"colour\"");
}
END_TEST

START_TEST(test_json_dependency_duplicates)
{
	/* Both ends known: found by the sort, named at the second. */
	expect_fail(JL_HDR
		    "{\"asset\": " A1 "}\n"
		    "{\"asset\": {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"dependency\": {\"from\": \"b\", \"to\": \"a\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\", "
		    "\"type\": \"uses\"}}\n",
		    "dup.jsonl", 6,
		    "dependency: duplicate dependency 'a' -> 'b' (first at "
		    "line 4)");
	/* Named before its assets, then again after them: a duplicate too
	 * (it used to be merged). */
	expect_fail(JL_HDR
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"asset\": " A1 "}\n"
		    "{\"asset\": {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n",
		    "later.jsonl", 5,
		    "duplicate dependency 'a' -> 'b' (first at line 2)");
	/* Before both ends are known, twice. */
	expect_fail(JL_HDR
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"asset\": " A1 "}\n"
		    "{\"asset\": {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}}\n",
		    "both.jsonl", 3,
		    "duplicate dependency 'a' -> 'b' (first at line 2)");
	/* A duplicate comes before a later bad line: it is the first
	 * error. */
	expect_fail(JL_HDR
		    "{\"asset\": " A1 "}\n"
		    "{\"asset\": {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"asset\": {\"id\": \"c\", \"name\": \"C\", "
		    "\"type\": \"server\", \"integrity\": \"hihg\"}}\n",
		    "first.jsonl", 5,
		    "duplicate dependency 'a' -> 'b' (first at line 4)");
	/* ... but not before an unknown end named earlier. */
	expect_fail(JL_HDR
		    "{\"asset\": " A1 "}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"x\"}}\n"
		    "{\"asset\": {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n"
		    "{\"dependency\": {\"from\": \"a\", \"to\": \"b\"}}\n",
		    "ghost.jsonl", 3, "dependency.to: unknown asset 'x'");
	/* A whole document names the array index. */
	expect_fail(HDR
		    "\"assets\": [" A1 ", {\"id\": \"b\", \"name\": \"B\", "
		    "\"type\": \"server\"}], \"dependencies\": [{\"from\": "
		    "\"a\", \"to\": \"b\"}, {\"from\": \"b\", \"to\": \"a\"}, "
		    "{\"from\": \"a\", \"to\": \"b\"}]}",
		    "dup.json", 0,
		    "dependencies[2]: duplicate dependency 'a' -> 'b' (first "
		    "at dependencies index 0)");
}
END_TEST

START_TEST(test_json_lines_dependencies_before_assets)
{
	static const char later[] =
	    JL_HDR "{\"dependency\": {\"from\": \"app\", \"to\": \"db\", "
		   "\"type\": \"stores_data_in\", \"carries\": \"ci\"}}\n"
		   "{\"dependency\": {\"from\": \"db\", \"to\": \"srv\"}}\n"
		   "{\"asset\": {\"id\": \"db\", \"name\": \"DB\", \"type\": "
		   "\"database\"}}\n"
		   "{\"asset\": {\"id\": \"app\", \"name\": \"App\", "
		   "\"type\": \"application\"}}\n";
	static const char more[] =
	    JL_HDR "{\"dependency\": {\"from\": \"web\", \"to\": \"app\"}}\n"
		   "{\"asset\": {\"id\": \"web\", \"name\": \"Web\", "
		   "\"type\": \"application\"}}\n"
		   "{\"dependency\": {\"from\": \"db\", \"to\": \"srv\", "
		   "\"type\": \"backs_up_to\", \"carries\": \"a\"}}\n";
	struct hw_import_stats st = {0};
	struct hw_error err = {0};
	struct hw_asset a = {0};
	char found[128] = "";

	/* srv is in the database already. */
	a.id = a.name = (char *)"srv";
	a.type = (char *)"server";
	ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 0, &err)), 0);
	ck_assert_msg(hw_import_json(fx_st, fx_write("later.jsonl", later), 0,
				     0, &st, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(st.dependencies, 2);
	ck_assert_int_eq(dep_count(fx_st, "db"), 2);
	/* A merge: new dependencies, and one there already is updated. */
	ck_assert_msg(hw_import_json(fx_st, fx_write("more.jsonl", more), 0, 0,
				     &st, NULL, NULL, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(dep_count(fx_st, NULL), 3);
	ck_assert_int_eq(dep_count(fx_st, "app"), 2);
	ck_assert_int_eq(
	    hw_store_dep_each(fx_st, "srv", find_dep, &found, &err), 0);
	ck_assert_str_eq(found, "db -> srv backs_up_to a");
	/* An end in neither the file nor the database. */
	expect_fail(JL_HDR "{\"dependency\": {\"from\": \"nobody\", \"to\": "
			   "\"db\"}}\n"
			   "{\"asset\": {\"id\": \"x\", \"name\": \"X\", "
			   "\"type\": \"server\"}}\n",
		    "nobody.jsonl", 2,
		    "dependency.from: unknown asset 'nobody' (not in the file "
		    "nor the database)");
}
END_TEST

/* Import path, which must succeed and leave the schema as schema. */
static void import_keeps(const char *path, int replace, const char *schema)
{
	struct hw_error err = {0};
	char *now;

	ck_assert_msg(hw_import_json(fx_st, path, replace, 0, NULL, NULL, NULL,
				     &err) == 0,
		      "%s", err.text);
	now = fx_schema(fx_db);
	ck_assert_str_eq(now, schema);
	free(now);
}

START_TEST(test_json_import_keeps_the_schema)
{
	char *fresh = fx_schema(fx_db);

	/* Into an empty inventory (indexes dropped and built again), into
	 * a full one (kept), and replacing it. */
	import_keeps(fx_write("s.json", small_doc), 0, fresh);
	import_keeps(big_lines("b.jsonl", 300, 900, 0, NULL), 0, fresh);
	import_keeps(big_lines("b.jsonl", 300, 900, 0, NULL), 1, fresh);
	ck_assert_int_eq(dep_count(fx_st, NULL), 900);
	free(fresh);
}
END_TEST

START_TEST(test_json_lines_chunks)
{
	/* More dependencies than one chunk (2^18): most are stored while
	 * the file is read, a duplicate across chunks is still found. */
	const char *dup = "{\"dependency\": {\"from\": \"a-000001\", \"to\": "
			  "\"a-000002\"}}";
	char *fresh = fx_schema(fx_db);

	expect_fail_at(big_lines("dup.jsonl", 1000, 300000, 300900, dup),
		       300900,
		       "duplicate dependency 'a-000001' -> 'a-000002' (first "
		       "at line 1003)");
	import_keeps(big_lines("ok.jsonl", 1000, 300000, 0, NULL), 0, fresh);
	ck_assert_int_eq(dep_count(fx_st, NULL), 300000);
	ck_assert_int_eq(dep_count(fx_st, "a-000500"), 600);
	free(fresh);
}
END_TEST


/* ------------------------------------------------------------------ */
/* The import's canonical text of a record equals canon of its JSON.   */

static const char *const canon_words[] = {
    "plain", "café", "日本語", "emoji \xf0\x9f\x98\x80", "quote \" back \\",
    "ctl \x01\x1f\x7f", "nl\nt\tcr\r", "slash /", "", "x-\xc3\xa9\xe2\x82\xac",
    "\xe2\x80\xa8 sep"};
#define NWORDS (sizeof canon_words / sizeof canon_words[0])

static const double canon_reals[] = {
    0.0, 0.1, 7.5, 10.0, 9.8, 1e-7, 1e16, 1e15, 123456789.123, 1e300,
    5e-324, 2.5e-5, 0.30000000000000004, 1234567.0, 99999999999999.99};
#define NREALS (sizeof canon_reals / sizeof canon_reals[0])

static char *canon_word(unsigned *rs, int may_null)
{
	if (may_null && fx_rnd(rs, 4) == 0)
		return NULL;
	return (char *)canon_words[fx_rnd(rs, NWORDS)];
}

static enum hw_level canon_level(unsigned *rs)
{
	static const enum hw_level l[] = {HW_LEVEL_NONE, HW_LEVEL_LOW,
					  HW_LEVEL_MODERATE, HW_LEVEL_HIGH};

	return l[fx_rnd(rs, 4)];
}

/* Compare the direct text with canon of the JSON value o (released). */
static void expect_same_canon(json_t *o, const struct hwp_buf *direct, int i)
{
	struct hw_error err = {0};
	char *want;

	ck_assert_ptr_nonnull(o);
	want = hwp_canon_dump(o, NULL, &err);
	ck_assert_msg(want != NULL, "%s", err.text);
	ck_assert_msg(strcmp(want, direct->data) == 0,
		      "record %d:\n  canon  %s\n  direct %s", i, want,
		      direct->data);
	free(want);
	json_decref(o);
}

START_TEST(test_json_canon_equals_canon_of_json)
{
	struct hw_assignment g[4];
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_error err = {0};
	unsigned rs = 11;
	int i, k, o;

	for (i = 0; i < 3000; i++) {
		struct hw_asset a = {0};
		struct hw_dep d = {0};
		struct hw_factors *f = &a.factors;
		char buf[4];

		a.id = (char *)(i % 7 ? "asset-1" : "a");
		a.name = canon_word(&rs, 0);
		a.type = (char *)hw_asset_types[fx_rnd(&rs, 5)];
		a.owner = canon_word(&rs, 1);
		a.description = canon_word(&rs, 1);
		for (o = 0; o < HW_NOBJ; o++)
			a.direct.v[o] = canon_level(&rs);
		a.internet_facing = (int)fx_rnd(&rs, 2);
		for (k = 0; k < HW_F_FRAGILITY; k++)
			if (fx_rnd(&rs, 2))
				f->known |= HW_F_BIT(k);
		f->vulnerabilities = (int)fx_rnd(&rs, 100000);
		f->worst_cvss = canon_reals[fx_rnd(&rs, NREALS)];
		f->downtime_cost = canon_reals[fx_rnd(&rs, NREALS)];
		f->last_patched = (int32_t)fx_rnd(&rs, 30000);
		f->end_of_life = (int32_t)fx_rnd(&rs, 30000);
		f->authorized = (int)fx_rnd(&rs, 2);
		f->baseline = fx_rnd(&rs, 2) ? 0 : (int)HW_LEVEL_MODERATE;
		a.authorized_by = canon_word(&rs, 1);
		a.authorized_at = fx_rnd(&rs, 2) ? 0 : 1700000000 + i;
		a.ntypes = fx_rnd(&rs, 5);
		a.types = g;
		for (k = 0; k < (int)a.ntypes; k++) {
			memset(&g[k], 0, sizeof g[k]);
			g[k].type_id = (char *)(k % 2 ? "C.2.8.12" : "D.9.1");
			for (o = 0; o < HW_NOBJ; o++) {
				g[k].base.v[o] = canon_level(&rs);
				g[k].selected.v[o] = fx_rnd(&rs, 3)
							 ? g[k].base.v[o]
							 : canon_level(&rs);
			}
			g[k].justification = canon_word(&rs, 1);
		}
		hwp_buf_reset(&b);
		ck_assert_msg(hwp_asset_canon(&b, &a, &err) == 0, "%s",
			      err.text);
		expect_same_canon(hwp_asset_json(&a), &b, i);

		d.from = canon_word(&rs, 0);
		d.to = canon_word(&rs, 0);
		d.type = (char *)hw_dep_types[fx_rnd(&rs, 7)];
		d.carries = 1 + fx_rnd(&rs, 7);
		hwp_buf_reset(&b);
		ck_assert_int_eq(hwp_dep_canon(&b, &d, &err), 0);
		expect_same_canon(hwp_dep_json(&d), &b, i);
		(void)buf;
	}
	hwp_buf_release(&b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* What an import did, by kind: added, updated, removed, unchanged.    */

static const char stats_doc[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1, "
    "\"information_types\": [{\"id\": \"X.1\", \"name\": \"Own\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"}], "
    "\"assets\": [{\"id\": \"app\", \"name\": \"App\", \"type\": "
    "\"application\", \"integrity\": \"high\", \"worst_cvss\": 7.5, "
    "\"information_types\": [{\"id\": \"X.1\"}, {\"id\": \"C.2.8.12\"}]}, "
    "{\"id\": \"db\", \"name\": \"DB\", \"type\": \"database\", "
    "\"authorized\": false}, "
    "{\"id\": \"vm\", \"name\": \"VM\", \"type\": \"server\", "
    "\"owner\": \"ops@example.org\"}], "
    "\"dependencies\": [{\"from\": \"app\", \"to\": \"db\"}, "
    "{\"from\": \"db\", \"to\": \"vm\", \"type\": \"runs_on\"}]}";

#define expect_counts(s, k, add, upd, rm, same)                                \
	ck_assert_msg((s)->added[k] == (add) && (s)->updated[k] == (upd) &&    \
			  (s)->removed[k] == (rm) &&                           \
			  (s)->unchanged[k] == (same),                         \
		      "kind %d: added %ld updated %ld removed %ld unchanged "  \
		      "%ld",                                                   \
		      k, (s)->added[k], (s)->updated[k], (s)->removed[k],     \
		      (s)->unchanged[k])

START_TEST(test_json_import_counts_changes)
{
	static const char change[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1, "
	    "\"assets\": [{\"id\": \"db\", \"name\": \"DB 2\", \"type\": "
	    "\"database\", \"authorized\": false}, "
	    "{\"id\": \"new\", \"name\": \"New\", \"type\": \"server\"}], "
	    "\"dependencies\": [{\"from\": \"app\", \"to\": \"db\"}, "
	    "{\"from\": \"db\", \"to\": \"vm\", \"type\": \"uses\"}, "
	    "{\"from\": \"new\", \"to\": \"vm\"}]}";
	struct hw_import_stats s = {0};
	struct hw_error err = {0};
	char path[400];

	snprintf(path, sizeof path, "%s", fx_write("s.json", stats_doc));
	ck_assert_msg(hw_import_json(fx_st, path, 0, 0, &s, NULL, NULL,
				     &err) == 0,
		      "%s", err.text);
	expect_counts(&s, 0, 1, 0, 0, 0);
	expect_counts(&s, 1, 3, 0, 0, 0);
	expect_counts(&s, 2, 2, 0, 0, 0);
	/* The same file again: everything unchanged. */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_import_json(fx_st, path, 0, 0, &s, NULL, NULL,
					&err),
			 0);
	expect_counts(&s, 0, 0, 0, 0, 1);
	expect_counts(&s, 1, 0, 0, 0, 3);
	expect_counts(&s, 2, 0, 0, 0, 2);
	ck_assert_int_eq(s.assets, 3);
	ck_assert_int_eq(s.dependencies, 2);
	/* A merge: db renamed, one new asset, one dependency retyped, one
	 * new; app and its dependency as they were. */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_import_json(fx_st, fx_write("c.json", change), 0,
					0, &s, NULL, NULL, &err),
			 0);
	expect_counts(&s, 1, 1, 1, 0, 0);
	expect_counts(&s, 2, 1, 1, 0, 1);
	/* A dry run counts the same and changes nothing. */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_import_json(fx_st, path, 0, 1, &s, NULL, NULL,
					&err),
			 0);
	expect_counts(&s, 1, 0, 1, 0, 2);
	expect_counts(&s, 2, 0, 1, 0, 1);
	/* Replace: everything stored is removed, the file's added. */
	memset(&s, 0, sizeof s);
	ck_assert_int_eq(hw_import_json(fx_st, path, 1, 0, &s, NULL, NULL,
					&err),
			 0);
	expect_counts(&s, 0, 1, 0, 1, 0);
	expect_counts(&s, 1, 3, 0, 4, 0);
	expect_counts(&s, 2, 2, 0, 3, 0);
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
	tcase_set_timeout(errors, 120);
	tcase_set_timeout(limits, 300);
	tcase_add_test(core, test_json_demo_import_counts);
	tcase_add_test(core, test_json_export_is_byte_identical);
	tcase_add_test(core, test_json_import_values);
	tcase_add_test(core, test_json_lines_equals_document);
	tcase_add_test(core, test_json_dry_run_replace_merge);
	tcase_add_test(errors, test_json_errors_leave_db_unchanged);
	tcase_add_test(errors, test_json_missing_file);
	tcase_add_test(core, test_json_lines_many_batches);
	tcase_add_test(limits, test_json_lines_block_ends_on_newline);
	tcase_add_test(core, test_json_lines_progress_and_dry_run);
	tcase_add_test(core, test_json_lines_dependencies_before_assets);
	tcase_add_test(core, test_json_import_keeps_the_schema);
	tcase_add_test(errors, test_json_lines_errors_deep_in_the_file);
	tcase_add_test(errors, test_json_lines_first_error_wins);
	tcase_add_test(errors, test_json_dependency_duplicates);
	tcase_add_test(limits, test_json_lines_chunks);
	tcase_add_test(core, test_json_canon_equals_canon_of_json);
	tcase_add_test(core, test_json_import_counts_changes);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(json_suite());
}
