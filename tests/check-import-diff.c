/*
 * check-import-diff.c: what a dry run says would change (hw_import_opts'
 * diff), through hw_import_files: each changed field with its values
 * before and after, objects added and (with --replace) removed, the
 * assignments and dependencies in their own terms, nothing for what
 * stays; and the database left as it was.
 */
#include "fixture.h"

/* The differences, one a line: "asset web: integrity low -> high",
 * "asset new: added". */
struct told {
	char text[4096];
	int calls;
};

static void tell(const struct hw_import_diff *d, void *ctx)
{
	static const char *const change[] = {"added", "changed", "removed"};
	struct told *t = ctx;
	size_t n = strlen(t->text);

	t->calls++;
	if (d->change != HW_DIFF_CHANGED)
		snprintf(t->text + n, sizeof t->text - n, "%s %s: %s\n",
			 d->kind, d->id, change[d->change]);
	else
		snprintf(t->text + n, sizeof t->text - n,
			 "%s %s: %s %s -> %s\n", d->kind, d->id, d->field,
			 d->before ? d->before : "(none)",
			 d->after ? d->after : "(none)");
}

/* Write text to NAME in the fixture folder; its path. */
static const char *file(const char *name, const char *text)
{
	static char path[2][400];
	static int k;
	FILE *f;

	k ^= 1;
	snprintf(path[k], sizeof path[k], "%s/%s", fx_dir, name);
	f = fopen(path[k], "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path[k];
}

static const char before[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"information_types\": [{\"id\": \"X.1\", \"name\": \"Sensor data\","
    " \"confidentiality\": \"low\", \"integrity\": \"high\","
    " \"availability\": \"high\"}],\n"
    " \"assets\": [\n"
    "  {\"id\": \"web\", \"name\": \"Web\", \"type\": \"server\","
    " \"owner\": \"a@example.org\", \"integrity\": \"low\","
    " \"vulnerabilities\": 2,"
    " \"information_types\": [{\"id\": \"X.1\"}, {\"id\": \"C.2.4.1\"}]},\n"
    "  {\"id\": \"db\", \"name\": \"DB\", \"type\": \"database\"},\n"
    "  {\"id\": \"old\", \"name\": \"Old\", \"type\": \"server\"}],\n"
    " \"dependencies\": [{\"from\": \"web\", \"to\": \"db\"},"
    " {\"from\": \"web\", \"to\": \"old\", \"carries\": \"c\"}]}\n";

/* web: integrity, owner and a factor change, an assignment adjusted
 * and one dropped; db as it was; new added; old left out; one
 * dependency's type changes, one goes, one comes. */
static const char after[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"information_types\": [{\"id\": \"X.1\", \"name\": \"Sensor readings\","
    " \"confidentiality\": \"low\", \"integrity\": \"high\","
    " \"availability\": \"high\"}],\n"
    " \"assets\": [\n"
    "  {\"id\": \"web\", \"name\": \"Web\", \"type\": \"server\","
    " \"owner\": \"b@example.org\", \"integrity\": \"high\","
    " \"information_types\": [{\"id\": \"X.1\", \"confidentiality\":"
    " \"moderate\", \"integrity\": \"high\", \"availability\": \"high\","
    " \"justification\": \"exported\"}]},\n"
    "  {\"id\": \"db\", \"name\": \"DB\", \"type\": \"database\"},\n"
    "  {\"id\": \"new\", \"name\": \"New\", \"type\": \"server\"}],\n"
    " \"dependencies\": [{\"from\": \"web\", \"to\": \"db\", \"type\":"
    " \"uses\"}, {\"from\": \"new\", \"to\": \"db\"}]}\n";

/* What both a merge and a replace of before by after say first. */
#define CHANGED_AND_ADDED                                                      \
	"information type X.1: name Sensor data -> Sensor readings\n"          \
	"asset new: added\n"                                                   \
	"asset web: integrity low -> high\n"                                   \
	"asset web: owner a@example.org -> b@example.org\n"                    \
	"asset web: vulnerabilities 2 -> (none)\n"                             \
	"assignment web C.2.4.1: removed\n"                                    \
	"assignment web X.1: confidentiality low -> moderate\n"                \
	"assignment web X.1: justification (none) -> exported\n"

static void import(const char *path, int replace, int dry, struct told *t)
{
	struct hw_import_opts o = {0};
	struct hw_error err = {0};

	o.replace = replace;
	o.dry_run = dry;
	o.diff = t != NULL ? tell : NULL;
	o.dctx = t;
	ck_assert_msg(hw_import_files(fx_st, &path, 1, &o, NULL, &err) == 0,
		      "%s", err.text);
}

static char *export_text(void)
{
	struct hw_error err = {0};
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(hw_export_json(fx_st, f, NULL, NULL, &err), 0);
	fclose(f);
	return s;
}

START_TEST(test_import_diff_fields)
{
	struct told t = {{0}, 0};
	char *was, *now;

	import(file("before.json", before), 0, 0, NULL);
	was = export_text();
	import(file("after.json", after), 1, 1, &t);
	ck_assert_str_eq(t.text, CHANGED_AND_ADDED
			 "asset old: removed\n"
			 "dependency new -> db: added\n"
			 "dependency web -> db: type other -> uses\n"
			 "dependency web -> old: removed\n");
	now = export_text();
	ck_assert_str_eq(now, was);
	free(was);
	free(now);
}
END_TEST

START_TEST(test_import_diff_merge_keeps)
{
	struct told t = {{0}, 0};

	import(file("before.json", before), 0, 0, NULL);
	/* Without --replace what the file leaves out stays (an asset the
	 * file gives gets exactly its assignments). */
	import(file("after.json", after), 0, 1, &t);
	ck_assert_str_eq(t.text, CHANGED_AND_ADDED
			 "dependency new -> db: added\n"
			 "dependency web -> db: type other -> uses\n");
}
END_TEST

START_TEST(test_import_diff_nothing)
{
	struct told t = {{0}, 0};
	const char *path = file("before.json", before);

	import(path, 0, 0, NULL);
	import(path, 0, 1, &t);
	ck_assert_int_eq(t.calls, 0);
	import(path, 1, 1, &t);
	ck_assert_int_eq(t.calls, 0);
	/* Not a dry run: no differences are told. */
	import(file("after.json", after), 0, 0, &t);
	ck_assert_int_eq(t.calls, 0);
}
END_TEST

static Suite *import_diff_suite(void)
{
	Suite *s = suite_create("import-diff");
	TCase *core = tcase_create("core");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_test(core, test_import_diff_fields);
	tcase_add_test(core, test_import_diff_merge_keeps);
	tcase_add_test(core, test_import_diff_nothing);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return fx_run(import_diff_suite());
}
