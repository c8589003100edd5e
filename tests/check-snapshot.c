/*
 * check-snapshot.c: configuration baselines through the library: a
 * snapshot saved and compared with a hand-made change of the inventory
 * (every item and field, in order), on a read-only store and twice in a
 * row; a callback that stops the walk; names refused with nothing
 * written.
 */
#include "fixture.h"

static void put_asset(const char *id, const char *owner, int authorized)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};

	a.id = (char *)id;
	a.name = (char *)id;
	a.type = (char *)"server";
	a.owner = (char *)owner;
	if (authorized >= 0) {
		a.factors.known = HW_F_BIT(HW_F_AUTHORIZED);
		a.factors.authorized = authorized;
	}
	ck_assert_msg(FX_TX(hw_store_asset_put(fx_st, &a, 1, &err)) == 0, "put: %s",
		      err.text);
}

static void put_dep(const char *from, const char *to, const char *type)
{
	struct hw_error err = {0};
	struct hw_dep d = {(char *)from, (char *)to, (char *)type,
			   HW_CARRY_ALL};

	ck_assert_msg(FX_TX(hw_store_dep_add(fx_st, &d, 1, &err)) == 0, "dep: %s",
		      err.text);
}

/* The drift written out: the counts line, then one line an item. */
struct log {
	char text[4096];
	int stop_after; /* stop (return 7) after this many items; 0 never */
	int items;
};

static void log_add(struct log *l, const char *s)
{
	strncat(l->text, s, sizeof l->text - strlen(l->text) - 1);
}

static int on_counts(const struct hw_drift_counts *c, void *ctx)
{
	char buf[128];
	int s;

	for (s = 0; s < HW_DRIFT_SECTIONS; s++) {
		snprintf(buf, sizeof buf, "%s %lld %lld %lld %lld\n",
			 hw_drift_section_name(s), c->n[s][0], c->n[s][1],
			 c->n[s][2], c->n[s][3]);
		log_add(ctx, buf);
	}
	return 0;
}

static int on_item(const struct hw_drift_item *it, void *ctx)
{
	struct log *l = ctx;
	char buf[256];
	size_t i;

	snprintf(buf, sizeof buf, "%s %s %s%s%s",
		 hw_drift_section_name(it->section),
		 hw_drift_kind_name(it->kind), it->id, it->other ? ">" : "",
		 it->other ? it->other : "");
	log_add(l, buf);
	for (i = 0; i < it->nfields; i++) {
		snprintf(buf, sizeof buf, " %s=%s/%s", it->fields[i].name,
			 it->fields[i].before ? it->fields[i].before : "-",
			 it->fields[i].after ? it->fields[i].after : "-");
		log_add(l, buf);
	}
	log_add(l, "\n");
	if (l->stop_after > 0 && ++l->items == l->stop_after)
		return 7;
	return 0;
}

/* Before: a (owner x, authorized) depends on b (authorized). */
static void before(void)
{
	struct hw_error err = {0};
	struct hw_snapshot s = {0};

	put_asset("a", "x@example.org", 1);
	put_asset("b", NULL, 1);
	put_dep("a", "b", "runs_on");
	ck_assert_msg(hw_store_snapshot_save(fx_st, "v1", 0, &s, &err) == 0,
		      "save: %s", err.text);
	ck_assert_str_eq(s.name, "v1");
	ck_assert_int_eq(s.assets, 2);
	ck_assert_int_eq(s.dependencies, 1);
	ck_assert_int_eq(s.assignments, 0);
	ck_assert_str_eq(s.actor, "unknown");
	hw_snapshot_release(&s);
}

/* After: a's owner changes, a > b becomes uses, c (authorization
 * unknown) and d (authorized) come, a > c comes. */
static void after(void)
{
	put_asset("a", "y@example.org", 1);
	put_dep("a", "b", "uses");
	put_asset("c", NULL, -1);
	put_asset("d", NULL, 1);
	put_dep("a", "c", "other");
}

#define DRIFT                                                                  \
	"assets 1 1 0 1\n"                                                     \
	"assignments 0 0 0 0\n"                                                \
	"dependencies 0 1 0 1\n"                                               \
	"assets never_authorized c name=-/c type=-/server "                    \
	"internet_facing=-/false\n"                                            \
	"assets added d name=-/d type=-/server internet_facing=-/false "       \
	"authorized=-/true\n"                                                  \
	"assets changed a owner=x@example.org/y@example.org\n"                 \
	"dependencies added a>c type=-/other carries=-/cia\n"                  \
	"dependencies changed a>b type=runs_on/uses\n"

START_TEST(test_snapshot_drift_items)
{
	struct hw_error err = {0};
	struct log l = {0};

	before();
	after();
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", NULL, on_counts, on_item, &l, &err), 0);
	ck_assert_str_eq(l.text, DRIFT);
}
END_TEST

START_TEST(test_snapshot_removed_keeps_id)
{
	struct hw_error err = {0};
	struct log l = {0};

	before();
	ck_assert_int_eq(FX_TX(hw_store_asset_delete(fx_st, "b", 1, &err)), 0);
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", NULL, NULL, on_item, &l, &err), 0);
	ck_assert_str_eq(l.text, "assets removed b name=b/- type=server/- "
				 "internet_facing=false/- authorized=true/-\n"
				 "dependencies removed a>b type=runs_on/- "
				 "carries=cia/-\n");
}
END_TEST

START_TEST(test_snapshot_two_baselines_read_only)
{
	struct hw_error err = {0};
	struct hw_snapshot s = {0};
	struct log l = {0}, m = {0};

	before();
	after();
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "v2", 0, NULL, &err), 0);
	ck_assert_int_eq(hw_store_close(fx_st), 0);
	fx_st = hw_store_open(fx_db, 1, &err);
	ck_assert_msg(fx_st != NULL, "open: %s", err.text);
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", "v2", on_counts, on_item, &l, &err), 0);
	ck_assert_str_eq(l.text, DRIFT);
	/* Again: the first left no temporary table or transaction. */
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v2", NULL, on_counts, on_item, &m, &err), 0);
	ck_assert_str_eq(m.text, "assets 0 0 0 0\nassignments 0 0 0 0\n"
				 "dependencies 0 0 0 0\n");
	ck_assert_int_eq(hw_store_snapshot_get(fx_st, "v2", &s, &err), 0);
	ck_assert_int_eq(s.assets, 4);
	ck_assert_int_eq(s.dependencies, 2);
	hw_snapshot_release(&s);
}
END_TEST

START_TEST(test_snapshot_callback_stops)
{
	struct hw_error err = {0};
	struct log l = {.stop_after = 2}, m = {0};

	before();
	after();
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", NULL, NULL, on_item, &l, &err), 7);
	ck_assert_int_eq(l.items, 2);
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", NULL, on_counts, on_item, &m, &err), 0);
	ck_assert_str_eq(m.text, DRIFT);
	/* And the store still writes. */
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "v3", 0, NULL, &err), 0);
}
END_TEST

static int count_cb(const struct hw_snapshot *s, void *ctx)
{
	(void)s;
	++*(int *)ctx;
	return 0;
}

START_TEST(test_snapshot_names_refused)
{
	struct hw_error err = {0};
	char long_name[80];
	int n = 0;

	before();
	memset(long_name, 'x', 65);
	long_name[65] = '\0';
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "v1", 0, NULL, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "", 0, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(
	    hw_store_snapshot_save(fx_st, long_name, 0, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "a/b", 0, NULL, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_int_eq(hw_store_snapshot_each(fx_st, count_cb, &n, &err), 0);
	ck_assert_int_eq(n, 1);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "nope", NULL, NULL, on_item, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no baseline \"nope\"");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(
	    hw_drift_run(fx_st, "v1", "nope", NULL, on_item, NULL, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
}
END_TEST

START_TEST(test_snapshot_at_time)
{
	struct hw_error err = {0};
	struct hw_snapshot s = {0};
	hw_time at;

	ck_assert_int_eq(hw_time_parse("2026-10-01T12:30:00+02:00", &at, &err),
			 0);
	ck_assert_int_eq(hw_store_set_actor(fx_st, "cab-chair", &err), 0);
	ck_assert_int_eq(hw_store_snapshot_save(fx_st, "dated", at, &s, &err),
			 0);
	ck_assert_str_eq(s.created, "2026-10-01T10:30:00Z");
	ck_assert_str_eq(s.actor, "cab-chair");
	ck_assert_int_eq(s.assets, 0);
	hw_snapshot_release(&s);
}
END_TEST

static Suite *snapshot_suite(void)
{
	Suite *s = suite_create("snapshot");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_test(core, test_snapshot_drift_items);
	tcase_add_test(core, test_snapshot_removed_keeps_id);
	tcase_add_test(core, test_snapshot_at_time);
	tcase_add_test(limits, test_snapshot_two_baselines_read_only);
	tcase_add_test(errors, test_snapshot_callback_stops);
	tcase_add_test(errors, test_snapshot_names_refused);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(snapshot_suite());
}
