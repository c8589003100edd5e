/*
 * check-change.c: change records: their JSON (history-json.c), the
 * store's operations on them, and the life of a change (change.c).
 */
#include <jansson.h>

#include "fixture.h"
#include "hw-private.h"

/* The compact, key-sorted text of a new JSON value (released). */
static char *text_of(json_t *v)
{
	char *s;

	ck_assert_ptr_nonnull(v);
	s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(v);
	ck_assert_ptr_nonnull(s);
	return s;
}

/* A malloc'd copy: records own their strings. */
static char *S(const char *s)
{
	char *d = strdup(s);

	ck_assert_ptr_nonnull(d);
	return d;
}

/* A malloc'd array of n copies of the strings given. */
static char **list(size_t n, const char *a, const char *b)
{
	char **l = calloc(2, sizeof *l);

	ck_assert_ptr_nonnull(l);
	l[0] = S(a);
	if (n > 1)
		l[1] = S(b);
	return l;
}

static hw_time at(const char *s)
{
	struct hw_error err = {0};
	hw_time t;

	ck_assert_msg(hw_time_parse(s, &t, &err) == 0, "%s", err.text);
	return t;
}

START_TEST(test_json_change_minimal)
{
	struct hw_change c = {0};
	char *s;

	c.n = 3;
	c.title = S("patch");
	c.targets = list(1, "web", NULL);
	c.ntargets = 1;
	c.requester = S("ann");
	c.created = at("2026-01-02T03:04:05Z");
	s = text_of(hwp_change_json(&c));
	ck_assert_str_eq(s, "{\"created\":\"2026-01-02T03:04:05Z\","
			    "\"id\":\"CHG-0003\",\"requester\":\"ann\","
			    "\"state\":\"new\",\"targets\":[\"web\"],"
			    "\"title\":\"patch\"}");
	free(s);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_json_change_full)
{
	struct hw_change_edit *e = calloc(2, sizeof *e);
	struct hw_change c = {0};
	char *s;

	ck_assert_ptr_nonnull(e);
	e[0].kind = HW_EDIT_RM_DEP;
	e[0].dep.from = S("web");
	e[0].dep.to = S("db");
	e[1].kind = HW_EDIT_SET;
	e[1].asset = S("db");
	e[1].field = S("owner");
	e[1].value = S("ops");
	c.n = 12345;
	c.title = S("t");
	c.description = S("d");
	c.targets = list(2, "web", "db");
	c.ntargets = 2;
	c.edits = e;
	c.nedits = 2;
	c.state = HW_CHANGE_CLOSED;
	c.result = HW_RESULT_BACKED_OUT;
	c.requester = S("ann");
	c.created = at("2026-01-01");
	c.planned = at("2026-01-05");
	c.assessed_at = at("2026-01-02");
	c.decided_by = S("bob");
	c.chair = S("Carol");
	c.reason = S("ok");
	c.decided_at = at("2026-01-03");
	c.implemented_by = S("dan");
	c.implemented_at = at("2026-01-06T10:00:00+02:00");
	c.closed_at = at("2026-01-07");
	c.reverted_by = S("eve");
	c.reverted_at = at("2026-01-08");
	s = text_of(hwp_change_json(&c));
	ck_assert_str_eq(
	    s, "{\"assessed_at\":\"2026-01-02T00:00:00Z\",\"chair\":\"Carol\","
	       "\"closed_at\":\"2026-01-07T00:00:00Z\","
	       "\"created\":\"2026-01-01T00:00:00Z\","
	       "\"decided_at\":\"2026-01-03T00:00:00Z\","
	       "\"decided_by\":\"bob\",\"description\":\"d\","
	       "\"edits\":[{\"from\":\"web\",\"kind\":\"rm-dep\",\"to\":\"db\"},"
	       "{\"asset\":\"db\",\"field\":\"owner\",\"kind\":\"set\","
	       "\"value\":\"ops\"}],"
	       "\"id\":\"CHG-12345\",\"implemented_at\":\"2026-01-06T08:00:00Z\","
	       "\"implemented_by\":\"dan\",\"planned\":\"2026-01-05T00:00:00Z\","
	       "\"reason\":\"ok\",\"requester\":\"ann\",\"result\":\"backed-out\","
	       "\"reverted_at\":\"2026-01-08T00:00:00Z\",\"reverted_by\":\"eve\","
	       "\"state\":\"closed\",\"targets\":[\"web\",\"db\"],\"title\":\"t\"}");
	free(s);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_json_edit_kinds)
{
	struct hw_change_edit e = {0};
	char *s;

	e.kind = HW_EDIT_ADD_DEP;
	e.dep.from = S("app");
	e.dep.to = S("srv");
	s = text_of(hwp_change_edit_json(&e));
	ck_assert_str_eq(s, "{\"from\":\"app\",\"kind\":\"add-dep\","
			    "\"to\":\"srv\"}");
	free(s);
	e.dep.type = S("runs_on");
	e.dep.carries = HW_CARRY_ALL;
	s = text_of(hwp_change_edit_json(&e));
	ck_assert_str_eq(s, "{\"carries\":\"cia\",\"from\":\"app\","
			    "\"kind\":\"add-dep\",\"to\":\"srv\","
			    "\"type\":\"runs_on\"}");
	free(s);

	hw_change_edit_release(&e);
	e.kind = HW_EDIT_ADD_ASSET;
	e.add.id = S("new1");
	e.add.name = S("New one");
	e.add.type = S("server");
	s = text_of(hwp_change_edit_json(&e));
	ck_assert_str_eq(s, "{\"asset\":{\"id\":\"new1\",\"internet_facing\":"
			    "false,\"name\":\"New one\",\"type\":\"server\"},"
			    "\"kind\":\"add-asset\"}");
	free(s);
	e.kind = (enum hw_edit_kind)9;
	ck_assert_ptr_null(hwp_change_edit_json(&e));
	e.kind = HW_EDIT_ADD_ASSET;
	hw_change_edit_release(&e);
}
END_TEST

START_TEST(test_json_incident)
{
	struct hw_incident i = {0};
	char *s;

	i.n = 7;
	i.asset = S("db");
	i.title = S("down");
	i.opened = at("2026-02-01T12:00:00Z");
	i.reporter = S("ann");
	s = text_of(hwp_incident_json(&i));
	ck_assert_str_eq(s, "{\"asset\":\"db\",\"id\":\"INC-0007\","
			    "\"opened\":\"2026-02-01T12:00:00Z\","
			    "\"reporter\":\"ann\",\"title\":\"down\"}");
	free(s);
	i.resolved = at("2026-02-01T14:30:00Z");
	i.change = 2;
	s = text_of(hwp_incident_json(&i));
	ck_assert_str_eq(s, "{\"asset\":\"db\",\"change\":\"CHG-0002\","
			    "\"id\":\"INC-0007\","
			    "\"opened\":\"2026-02-01T12:00:00Z\","
			    "\"reporter\":\"ann\","
			    "\"resolved\":\"2026-02-01T14:30:00Z\","
			    "\"title\":\"down\"}");
	free(s);
	hw_incident_release(&i);
}
END_TEST

static Suite *change_suite(void)
{
	Suite *s = suite_create("change");
	TCase *json = tcase_create("json");

	tcase_add_test(json, test_json_change_minimal);
	tcase_add_test(json, test_json_change_full);
	tcase_add_test(json, test_json_edit_kinds);
	tcase_add_test(json, test_json_incident);
	suite_add_tcase(s, json);
	return s;
}

int main(void)
{
	return fx_run(change_suite());
}
