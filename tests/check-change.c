/*
 * check-change.c: change records: their JSON (history-json.c), the
 * store's operations on them, and the life of a change (change.c).
 */
#include <jansson.h>

#include "fixture.h"
#include "hw-private.h"
#include "change.h"
#include "posture.h"

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

/* ------------------------------------------------------------------ */
/* The store                                                           */

/* A change of title t on targets a (and b), requested by ann. */
static struct hw_change draft(const char *t, const char *a, const char *b)
{
	struct hw_change c = {0};

	c.title = S(t);
	c.targets = list(b ? 2 : 1, a, b);
	c.ntargets = b ? 2 : 1;
	c.requester = S("ann");
	c.created = at("2026-03-01T09:00:00Z");
	return c;
}

/* Append an edit to c. */
static struct hw_change_edit *more(struct hw_change *c)
{
	struct hw_change_edit *e =
	    realloc(c->edits, (c->nedits + 1) * sizeof *e);

	ck_assert_ptr_nonnull(e);
	c->edits = e;
	memset(&e[c->nedits], 0, sizeof *e);
	return &e[c->nedits++];
}

/* The change JSON, compact and sorted. */
static char *json_of(const struct hw_change *c)
{
	return text_of(hwp_change_json(c));
}

static void exec(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK,
		      "%s", msg ? msg : "");
	sqlite3_close(db);
}

/* Run a store write in a transaction of its own: committed when it
 * succeeds, rolled back when it fails; its result. */
static void tx_begin(void)
{
	ck_assert_int_eq(hw_store_begin(fx_st, NULL), 0);
}

static int tx_end(int rc)
{
	if (rc == 0)
		ck_assert_int_eq(hw_store_commit(fx_st, NULL), 0);
	else
		hw_store_rollback(fx_st);
	return rc;
}

#define TX(call) (tx_begin(), tx_end(call))

START_TEST(test_store_round_trip)
{
	struct hw_change c = draft("move db", "web", "db"), back = {0};
	struct hw_change_edit *e;
	struct hw_error err = {0};
	char *want, *got;

	e = more(&c);
	e->kind = HW_EDIT_ADD_DEP;
	e->dep.from = S("web");
	e->dep.to = S("db2");
	e->dep.type = S("uses");
	e->dep.carries = HW_CARRY_C | HW_CARRY_I;
	e = more(&c);
	e->kind = HW_EDIT_ADD_ASSET;
	e->add.id = S("db2");
	e->add.name = S("Second DB");
	e->add.type = S("database");
	e->add.owner = S("dba");
	e->add.direct.v[HW_A] = HW_LEVEL_HIGH;
	e->add.internet_facing = 1;
	ck_assert_int_eq(hw_factor_set(&e->add.factors, "worst_cvss", "7.5",
				       NULL),
			 0);
	e->add.types = calloc(1, sizeof *e->add.types);
	e->add.ntypes = 1;
	e->add.types[0].type_id = S("C.2.8.12");
	e->add.types[0].selected = fx_sc3(HW_LEVEL_LOW, HW_LEVEL_LOW,
					  HW_LEVEL_LOW);
	e = more(&c);
	e->kind = HW_EDIT_SET;
	e->asset = S("web");
	e->field = S("owner");
	e->value = S("team b");
	c.planned = at("2026-03-10");
	ck_assert_msg(TX(hw_store_change_add(fx_st, &c, &err)) == 0, "%s",
		      err.text);
	ck_assert_int_eq(c.n, 1);
	ck_assert_msg(hw_store_change_get(fx_st, 1, &back, &err) == 0, "%s",
		      err.text);
	want = json_of(&c);
	got = json_of(&back);
	ck_assert_str_eq(got, want);
	ck_assert_str_eq(back.targets[0], "web"); /* the order given */
	ck_assert_str_eq(back.targets[1], "db");
	ck_assert_int_eq(back.edits[1].add.types[0].selected.v[HW_C],
			 HW_LEVEL_LOW);
	free(want);
	free(got);
	hw_change_release(&back);

	/* The next one is CHG-0002; an unknown one is not found. */
	hw_change_release(&c);
	c = draft("second", "db", NULL);
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
	ck_assert_int_eq(c.n, 2);
	ck_assert_int_eq(hw_store_change_get(fx_st, 3, &back, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no change CHG-0003");
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_outside_transaction)
{
	struct hw_change c = draft("x", "web", NULL), d = {0};
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_change_add(fx_st, &c, &err), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_str_eq(err.text, "a write to a new change outside a "
				   "transaction (it would not be audited)");
	ck_assert_int_eq(hw_store_change_get(fx_st, 1, &d, &err), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED); /* the first error kept */
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_change_get(fx_st, 1, &d, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_assessment_put(fx_st, 1, at("2026-01-01"),
						 "{}", &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_refuses_bad_changes)
{
	struct hw_change c = draft("x", "web", NULL);
	struct hw_error err = {0};

	free(c.title);
	c.title = S("");
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), -1);
	ck_assert_str_eq(err.text, "a change needs a title");
	free(c.title);
	c.title = S("ok");
	free(c.targets[0]);
	c.targets[0] = S("no such id!");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	free(c.targets[0]);
	c.targets[0] = S("web");
	c.result = HW_RESULT_SUCCESS; /* a result while not closed */
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), -1);
	ck_assert_int_eq(c.n, 0);
	hw_change_release(&c);
}
END_TEST

/* Count the changes hw_store_change_each gives. */
static int count_fn(const struct hw_change *c, void *ctx)
{
	long long *sum = ctx;

	*sum = *sum * 10 + c->n;
	return 0;
}

START_TEST(test_store_each_and_update)
{
	struct hw_error err = {0};
	struct hw_change c;
	long long seen;
	int k;

	for (k = 0; k < 3; k++) {
		c = draft("c", k == 1 ? "db" : "web", k == 2 ? "db" : NULL);
		ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
		hw_change_release(&c);
	}
	seen = 0;
	ck_assert_int_eq(hw_store_change_each(fx_st, NULL, 0, count_fn, &seen,
					      &err),
			 0);
	ck_assert_int_eq(seen, 123);
	seen = 0;
	ck_assert_int_eq(hw_store_change_each(fx_st, "db", 0, count_fn, &seen,
					      &err),
			 0);
	ck_assert_int_eq(seen, 23);
	/* Close CHG-0002: no longer open. */
	ck_assert_int_eq(hw_store_change_get(fx_st, 2, &c, &err), 0);
	c.state = HW_CHANGE_CLOSED;
	c.result = HW_RESULT_REJECTED;
	c.closed_at = at("2026-03-02");
	ck_assert_msg(TX(hw_store_change_update(fx_st, &c, "close", &err)) == 0,
		      "%s", err.text);
	hw_change_release(&c);
	seen = 0;
	ck_assert_int_eq(hw_store_change_each(fx_st, "db", 1, count_fn, &seen,
					      &err),
			 0);
	ck_assert_int_eq(seen, 3);
	ck_assert_int_eq(hw_store_change_get(fx_st, 2, &c, &err), 0);
	ck_assert_int_eq(c.state, HW_CHANGE_CLOSED);
	ck_assert_int_eq(c.result, HW_RESULT_REJECTED);
	ck_assert_int_eq(c.closed_at, at("2026-03-02"));
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_undo_kept_while_edits_stay)
{
	struct hw_change c = draft("u", "web", NULL);
	char u0[] = "{\"a\":1}", u1[] = "{\"b\":2}";
	char *undo[2] = {u0, u1}, **back = NULL;
	struct hw_change_edit *e;
	struct hw_error err = {0};

	e = more(&c);
	e->kind = HW_EDIT_RM_DEP;
	e->dep.from = S("web");
	e->dep.to = S("db");
	e = more(&c);
	e->kind = HW_EDIT_SET;
	e->asset = S("web");
	e->field = S("name");
	e->value = S("Web");
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
	/* No undo yet (the implementation writes it; an imported change
	 * never has one): refused, naming why. */
	ck_assert_int_eq(hwp_change_undo_get(fx_st, 1, 2, &back, &err), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_ptr_nonnull(strstr(err.text, "revert them by hand"));
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(TX(hwp_change_undo_put(fx_st, 1, undo, 2, &err)), 0);
	c.state = HW_CHANGE_IMPLEMENTED;
	ck_assert_int_eq(TX(hw_store_change_update(fx_st, &c, "implement", &err)),
			 0);
	ck_assert_msg(hwp_change_undo_get(fx_st, 1, 2, &back, &err) == 0, "%s",
		      err.text);
	ck_assert_str_eq(back[0], "{\"a\":1}");
	ck_assert_str_eq(back[1], "{\"b\":2}");
	free(back[0]);
	free(back[1]);
	free(back);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_import)
{
	struct hw_change c = draft("old", "web", NULL), d = {0};
	struct hw_error err = {0};

	c.n = 40;
	c.state = HW_CHANGE_CLOSED;
	c.result = HW_RESULT_FAILED;
	c.closed_at = at("2025-01-01");
	ck_assert_msg(TX(hw_store_change_import(fx_st, &c, &err)) == 0, "%s",
		      err.text);
	ck_assert_int_eq(TX(hw_store_change_import(fx_st, &c, &err)), 0);
	free(c.title);
	c.title = S("other");
	ck_assert_int_eq(TX(hw_store_change_import(fx_st, &c, &err)), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_str_eq(err.text, "CHG-0040 already holds a different "
				   "change");
	ck_assert_int_eq(hw_store_change_get(fx_st, 40, &d, &err), 0);
	ck_assert_str_eq(d.title, "old");
	hw_change_release(&d);
	hw_change_release(&c);
	/* A new change numbers after it. */
	c = draft("new", "web", NULL);
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
	ck_assert_int_eq(c.n, 41);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_assessment)
{
	struct hw_change c = draft("a", "web", NULL);
	struct hw_error err = {0};
	char *body = NULL;

	ck_assert_int_eq(TX(hw_store_assessment_put(fx_st, 1, at("2026-01-01"),
						 "{}", &err)),
			 -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
	ck_assert_int_eq(hw_store_assessment_get(fx_st, 1, &body, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(TX(hw_store_assessment_put(fx_st, 1, at("2026-01-01"),
						 "{\"at\":1}", &err)),
			 0);
	ck_assert_int_eq(hw_store_assessment_get(fx_st, 1, &body, &err), 0);
	ck_assert_str_eq(body, "{\"at\":1}");
	free(body);
	ck_assert_int_eq(TX(hw_store_assessment_put(fx_st, 1, 0, NULL, &err)), 0);
	ck_assert_int_eq(hw_store_assessment_get(fx_st, 1, &body, &err), -1);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_store_damage_named)
{
	struct hw_change c = draft("d", "web", NULL), d = {0};
	struct hw_error err = {0};
	char *body = NULL;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(TX(hw_store_change_add(fx_st, &c, &err)), 0);
	ck_assert_int_eq(TX(hw_store_assessment_put(fx_st, 1, at("2026-01-01"),
						 "{}", &err)),
			 0);
	exec("UPDATE change_record SET planned = 'soon';"
	     "UPDATE change_assessment SET body = '[1';");
	ck_assert_int_eq(hw_store_change_get(fx_st, 1, &d, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_ptr_nonnull(strstr(err.text, "table change_record: "
					       "CHG-0001 has planned 'soon'"));
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_assessment_get(fx_st, 1, &body, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "table change_assessment"));
	exec("UPDATE change_record SET planned = NULL;"
	     "INSERT INTO change_edit VALUES (1, 0, 'set', '{\"kind\":"
	     "\"set\",\"asset\":\"web\"}', NULL);");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_change_get(fx_st, 1, &d, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "table change_edit: CHG-0001 "
					       "edit 1"));
	hw_change_release(&c);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The life of a change                                                */

static void life_setup(void)
{
	struct hw_error err = {0};

	fx_setup();
	hw_posture_set_catalogue(fx_data("sp800-53b-baselines.csv"));
	ck_assert_int_eq(hw_store_set_actor(fx_st, "ann", &err), 0);
}

/* An asset with own levels l (all three). */
static void put_asset(const char *id, const char *type, enum hw_level l)
{
	struct hw_asset x = {0};
	struct hw_error err = {0};

	x.id = S(id);
	x.name = S(id);
	x.type = S(type);
	x.direct = fx_sc3(l, l, l);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_asset_put(fx_st, &x, 1, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	hw_asset_release(&x);
}

static void as(const char *actor)
{
	ck_assert_int_eq(hw_store_set_actor(fx_st, actor, NULL), 0);
}

/* The inventory of the life tests: a HIGH application, a LOW server
 * and a LOW desk; a new change on the server proposes that the
 * application runs on it. */
static long long life_change(void)
{
	struct hw_change c = draft("app on srv", "srv", NULL);
	struct hw_change_edit *e;
	struct hw_error err = {0};
	long long n;

	put_asset("app", "application", HW_LEVEL_HIGH);
	put_asset("srv", "server", HW_LEVEL_LOW);
	put_asset("desk", "endpoint", HW_LEVEL_LOW);
	e = more(&c);
	e->kind = HW_EDIT_ADD_DEP;
	e->dep.from = S("app");
	e->dep.to = S("srv");
	e->dep.type = S("runs_on");
	ck_assert_msg(hw_change_new(fx_st, &c, at("2026-04-01"), &err) == 0,
		      "%s", err.text);
	n = c.n;
	ck_assert_str_eq(c.requester, "ann");
	hw_change_release(&c);
	return n;
}

static struct hw_change get(long long n)
{
	struct hw_change c = {0};
	struct hw_error err = {0};

	ck_assert_msg(hw_store_change_get(fx_st, n, &c, &err) == 0, "%s",
		      err.text);
	return c;
}

static enum hw_change_state state(long long n)
{
	struct hw_change c = get(n);
	enum hw_change_state s = c.state;

	hw_change_release(&c);
	return s;
}

/* rc and err of a refused step: its text. */
static void refused(int rc, const struct hw_error *err, const char *want)
{
	ck_assert_int_eq(rc, -1);
	ck_assert_int_eq(err->code, HW_EREFUSED);
	ck_assert_str_eq(err->text, want);
}

/* Every step but those of allowed (a string of letters: e edit, a
 * assess, d decide, i implement, c close, x cancel, r revert) is
 * refused with "CHG-0001 is STATE: it cannot be ... (allowed: list)";
 * nothing changes. */
static void only(long long n, const char *allowed, const char *label,
		 const char *list)
{
	static const char letters[] = "eadicxr";
	static const char *const done[] = {
	    "edited", "assessed", "decided", "implemented",
	    "closed", "cancelled", "reverted"};
	struct hw_change before = get(n), after;
	char want[256];
	size_t k;

	for (k = 0; k < 7; k++) {
		struct hw_error err = {0};
		int rc = 0;

		if (strchr(allowed, letters[k]) != NULL)
			continue;
		switch (letters[k]) {
		case 'e':
			rc = hw_change_amend(fx_st, &before, &err);
			break;
		case 'a':
			rc = hw_change_assess(fx_st, n, at("2026-04-02"), NULL,
					      &err);
			break;
		case 'd':
			rc = hw_change_decide(fx_st, n, 1, "r", NULL,
					      at("2026-04-02"), &err);
			break;
		case 'i':
			rc = hw_change_implement(fx_st, n, at("2026-04-02"),
						 &err);
			break;
		case 'c':
			rc = hw_change_close(fx_st, n, HW_RESULT_SUCCESS,
					     at("2026-04-02"), &err);
			break;
		case 'x':
			rc = hw_change_cancel(fx_st, n, at("2026-04-02"), &err);
			break;
		case 'r':
			rc = hw_change_revert(fx_st, n, at("2026-04-02"), &err);
			break;
		}
		snprintf(want, sizeof want,
			 "CHG-%04lld is %s: it cannot be %s (allowed: %s)", n,
			 label, done[k], list);
		refused(rc, &err, want);
	}
	after = get(n);
	{
		char *a = json_of(&before), *b = json_of(&after);

		ck_assert_str_eq(a, b);
		free(a);
		free(b);
	}
	hw_change_release(&before);
	hw_change_release(&after);
}

static void ok(int rc, const struct hw_error *err)
{
	ck_assert_msg(rc == 0, "%s", err->text);
}

/* Steps that succeed. */
static void assess(long long n)
{
	struct hw_error err = {0};

	ok(hw_change_assess(fx_st, n, at("2026-04-02"), NULL, &err), &err);
}

static void decide(long long n, int approve)
{
	struct hw_error err = {0};

	as("bob");
	ok(hw_change_decide(fx_st, n, approve, "fine", "Carol",
			    at("2026-04-03"), &err),
	   &err);
	as("ann");
}

static void implement(long long n)
{
	struct hw_error err = {0};

	ok(hw_change_implement(fx_st, n, at("2026-04-04"), &err), &err);
}

static void close_as(long long n, enum hw_change_result r)
{
	struct hw_error err = {0};

	ok(hw_change_close(fx_st, n, r, at("2026-04-05"), &err), &err);
}

struct dep_probe {
	const char *from, *to;
	int found;
};

static int probe_fn(const struct hw_dep *d, void *ctx)
{
	struct dep_probe *p = ctx;

	if (strcmp(d->from, p->from) == 0 && strcmp(d->to, p->to) == 0)
		p->found++;
	return 0;
}

/* 1 if from depends on to. */
static int has_dep(const char *from, const char *to)
{
	struct dep_probe p = {from, to, 0};
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_dep_each(fx_st, from, probe_fn, &p, &err),
			 0);
	return p.found;
}

START_TEST(test_life_new)
{
	long long n = life_change();
	struct hw_change c = get(n);
	struct hw_error err = {0};

	ck_assert_int_eq(c.state, HW_CHANGE_NEW);
	ck_assert_int_eq(c.created, at("2026-04-01"));
	only(n, "eax", "new", "edit, assess, cancel");
	/* edit: the title changes, still new */
	free(c.title);
	c.title = S("app on srv, v2");
	ok(hw_change_amend(fx_st, &c, &err), &err);
	hw_change_release(&c);
	c = get(n);
	ck_assert_str_eq(c.title, "app on srv, v2");
	ck_assert_int_eq(c.state, HW_CHANGE_NEW);
	hw_change_release(&c);
	/* cancel */
	ok(hw_change_cancel(fx_st, n, at("2026-04-09"), &err), &err);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_CANCELLED);
	ck_assert_int_eq(c.closed_at, at("2026-04-09"));
	hw_change_release(&c);
	only(n, "", "cancelled", "nothing");
	ck_assert_int_eq(has_dep("app", "srv"), 0);
}
END_TEST

START_TEST(test_life_assessed)
{
	long long n = life_change();
	struct hw_change c;
	struct hw_error err = {0};
	char *body = NULL;

	assess(n);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_ASSESSED);
	ck_assert_int_eq(c.assessed_at, at("2026-04-02"));
	only(n, "eadx", "assessed", "edit, assess, decide, cancel");
	assess(n); /* again */
	ck_assert_int_eq(state(n), HW_CHANGE_ASSESSED);
	/* edit: back to new, the assessment cleared */
	free(c.title);
	c.title = S("amended");
	ok(hw_change_amend(fx_st, &c, &err), &err);
	hw_change_release(&c);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_NEW);
	ck_assert_int_eq(c.assessed_at, 0);
	ck_assert_int_eq(hw_store_assessment_get(fx_st, n, &body, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	/* an edit that changes nothing writes nothing: still new */
	memset(&err, 0, sizeof err);
	ok(hw_change_amend(fx_st, &c, &err), &err);
	hw_change_release(&c);
	/* reject, then close with rejected */
	assess(n);
	decide(n, 0);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_REJECTED);
	ck_assert_str_eq(c.decided_by, "bob");
	ck_assert_str_eq(c.chair, "Carol");
	ck_assert_str_eq(c.reason, "fine");
	ck_assert_int_eq(c.decided_at, at("2026-04-03"));
	hw_change_release(&c);
	only(n, "c", "rejected", "close");
	refused(hw_change_close(fx_st, n, HW_RESULT_SUCCESS, at("2026-04-05"),
				&err),
		&err, "CHG-0001 was rejected: it closes with result "
		      "rejected, not success");
	close_as(n, HW_RESULT_REJECTED);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_CLOSED);
	ck_assert_int_eq(c.result, HW_RESULT_REJECTED);
	hw_change_release(&c);
	only(n, "", "closed (rejected)", "nothing");
}
END_TEST

START_TEST(test_life_approved)
{
	long long n = life_change();
	struct hw_change c;

	assess(n);
	decide(n, 1);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_APPROVED);
	hw_change_release(&c);
	only(n, "aix", "approved", "assess, implement, cancel");
	/* assess again: the approval lapses */
	assess(n);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_ASSESSED);
	ck_assert_ptr_null(c.decided_by);
	ck_assert_int_eq(c.decided_at, 0);
	hw_change_release(&c);
	decide(n, 1);
	ck_assert_int_eq(has_dep("app", "srv"), 0);
	implement(n);
	ck_assert_int_eq(has_dep("app", "srv"), 1);
	c = get(n);
	ck_assert_int_eq(c.state, HW_CHANGE_IMPLEMENTED);
	ck_assert_str_eq(c.implemented_by, "ann");
	ck_assert_int_eq(c.implemented_at, at("2026-04-04"));
	hw_change_release(&c);
}
END_TEST

START_TEST(test_life_cancel_approved)
{
	long long n = life_change();

	assess(n);
	decide(n, 1);
	{
		struct hw_error err = {0};

		ok(hw_change_cancel(fx_st, n, at("2026-04-05"), &err), &err);
	}
	ck_assert_int_eq(state(n), HW_CHANGE_CANCELLED);
	only(n, "", "cancelled", "nothing");
}
END_TEST

START_TEST(test_life_implemented_and_closed)
{
	long long n = life_change();
	struct hw_error err = {0};
	struct hw_change c;

	assess(n);
	decide(n, 1);
	implement(n);
	only(n, "cr", "implemented", "close, revert");
	refused(hw_change_close(fx_st, n, HW_RESULT_REJECTED, at("2026-04-05"),
				&err),
		&err, "CHG-0001 was implemented: it closes with success, "
		      "failed or backed-out");
	close_as(n, HW_RESULT_SUCCESS);
	c = get(n);
	ck_assert_int_eq(c.result, HW_RESULT_SUCCESS);
	ck_assert_int_eq(c.closed_at, at("2026-04-05"));
	hw_change_release(&c);
	only(n, "", "closed (success)", "nothing");
	ck_assert_int_eq(has_dep("app", "srv"), 1);
}
END_TEST

START_TEST(test_life_closed_failed_reverts_once)
{
	long long n = life_change();
	struct hw_error err = {0};
	struct hw_change c;

	assess(n);
	decide(n, 1);
	implement(n);
	close_as(n, _i == 0 ? HW_RESULT_FAILED : HW_RESULT_BACKED_OUT);
	only(n, "r", _i == 0 ? "closed (failed)" : "closed (backed-out)",
	     "revert");
	as("dan");
	ok(hw_change_revert(fx_st, n, at("2026-04-06"), &err), &err);
	ck_assert_int_eq(has_dep("app", "srv"), 0);
	c = get(n);
	ck_assert_str_eq(c.reverted_by, "dan");
	ck_assert_int_eq(c.reverted_at, at("2026-04-06"));
	ck_assert_int_eq(c.state, HW_CHANGE_CLOSED);
	hw_change_release(&c);
	only(n, "",
	     _i == 0 ? "closed (failed, reverted)"
		     : "closed (backed-out, reverted)",
	     "nothing");
}
END_TEST

START_TEST(test_life_revert_implemented)
{
	long long n = life_change();
	struct hw_error err = {0};

	assess(n);
	decide(n, 1);
	implement(n);
	ok(hw_change_revert(fx_st, n, at("2026-04-06"), &err), &err);
	ck_assert_int_eq(has_dep("app", "srv"), 0);
	/* still implemented, to be closed; no second revert */
	only(n, "c", "implemented (reverted)", "close");
	close_as(n, HW_RESULT_BACKED_OUT);
	only(n, "", "closed (backed-out, reverted)", "nothing");
}
END_TEST

START_TEST(test_life_revert_refused_after_later_write)
{
	long long n = life_change();
	struct hw_dep d = {0};
	struct hw_error err = {0};
	struct hw_change before, after;
	char *a, *b;

	assess(n);
	decide(n, 1);
	implement(n);
	/* a later write to the same dependency */
	d.from = S("app");
	d.to = S("srv");
	d.type = S("uses");
	d.carries = HW_CARRY_C;
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_dep_add(fx_st, &d, 1, &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	hw_dep_release(&d);
	before = get(n);
	ck_assert_int_eq(hw_change_revert(fx_st, n, at("2026-04-06"), &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_msg(strstr(err.text, "dependency:app>srv") != NULL, "%s",
		      err.text);
	ck_assert_int_eq(has_dep("app", "srv"), 1);
	after = get(n);
	a = json_of(&before);
	b = json_of(&after);
	ck_assert_str_eq(a, b); /* not marked reverted */
	free(a);
	free(b);
	hw_change_release(&before);
	hw_change_release(&after);
}
END_TEST

START_TEST(test_life_implement_refused_after_inventory_changed)
{
	long long n = life_change();
	struct hw_error err = {0};

	assess(n);
	decide(n, 1);
	/* the server is raised to HIGH directly: the edit no longer raises
	 * it, the stored delta does not hold */
	put_asset("srv", "server", HW_LEVEL_HIGH);
	ck_assert_int_eq(hw_change_implement(fx_st, n, at("2026-04-04"), &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_str_eq(err.text,
			 "CHG-0001: the inventory changed since its "
			 "assessment: delta.levels[0]: assessed "
			 "{\"asset\":\"srv\",\"new\":\"high\","
			 "\"objective\":\"confidentiality\",\"old\":"
			 "\"low\"}, now (none) (change assess CHG-0001 "
			 "again)");
	ck_assert_msg(strstr(err.text, "(change assess CHG-0001 again)") !=
			  NULL,
		      "%s", err.text);
	ck_assert_int_eq(state(n), HW_CHANGE_APPROVED);
	ck_assert_int_eq(has_dep("app", "srv"), 0);
	/* assessed again (the approval lapses) and approved, it goes */
	assess(n);
	decide(n, 1);
	implement(n);
	ck_assert_int_eq(has_dep("app", "srv"), 1);
}
END_TEST

START_TEST(test_life_unchanged_inventory_days_later)
{
	long long n = life_change();
	struct hw_error err = {0};

	assess(n);
	decide(n, 1);
	/* a write elsewhere that moves nothing of the delta, and a later
	 * day: it still holds */
	put_asset("desk", "endpoint", HW_LEVEL_LOW);
	ok(hw_change_implement(fx_st, n, at("2026-09-30"), &err), &err);
}
END_TEST

START_TEST(test_self_approval)
{
	long long n = life_change();
	struct hw_error err = {0};
	int allowed = 1;

	assess(n);
	ok(hw_change_self_approval(fx_st, &allowed, &err), &err);
	ck_assert_int_eq(allowed, 0);
	refused(hw_change_decide(fx_st, n, 1, "mine", NULL, at("2026-04-03"),
				 &err),
		&err, "CHG-0001 was requested by ann, who cannot approve it");
	ck_assert_int_eq(state(n), HW_CHANGE_ASSESSED);
	ck_assert_int_eq(TX(hw_store_setting_set(fx_st, "change.self_approval",
					      "allow", &err)),
			 0);
	ok(hw_change_self_approval(fx_st, &allowed, &err), &err);
	ck_assert_int_eq(allowed, 1);
	ok(hw_change_decide(fx_st, n, 1, "mine", NULL, at("2026-04-03"), &err),
	   &err);
	ck_assert_int_eq(state(n), HW_CHANGE_APPROVED);
}
END_TEST

START_TEST(test_self_reject_allowed)
{
	long long n = life_change();
	struct hw_error err = {0};

	assess(n);
	ok(hw_change_decide(fx_st, n, 0, "no", NULL, at("2026-04-03"), &err),
	   &err);
	ck_assert_int_eq(state(n), HW_CHANGE_REJECTED);
}
END_TEST

START_TEST(test_full_cab_needs_reason)
{
	long long n = life_change(); /* raises srv to HIGH: full-cab */
	struct hw_change c = draft("desk only", "desk", NULL);
	struct hw_error err = {0};

	assess(n);
	as("bob");
	refused(hw_change_decide(fx_st, n, 1, NULL, NULL, at("2026-04-03"),
				 &err),
		&err, "CHG-0001 goes to the full CAB: a decision needs "
		      "a reason");
	memset(&err, 0, sizeof err);
	refused(hw_change_decide(fx_st, n, 0, "", NULL, at("2026-04-03"),
				 &err),
		&err, "CHG-0001 goes to the full CAB: a decision needs "
		      "a reason");
	ck_assert_int_eq(state(n), HW_CHANGE_ASSESSED);
	/* a LOW desk with no edits is below the full CAB: no reason */
	as("ann");
	ok(hw_change_new(fx_st, &c, at("2026-04-01"), &err), &err);
	assess(c.n);
	as("bob");
	ok(hw_change_decide(fx_st, c.n, 1, NULL, NULL, at("2026-04-03"),
			    &err),
	   &err);
	ck_assert_int_eq(state(c.n), HW_CHANGE_APPROVED);
	hw_change_release(&c);
}
END_TEST

START_TEST(test_new_refuses_bad_edits)
{
	struct hw_change c = draft("bad", "srv", NULL);
	struct hw_change_edit *e;
	struct hw_error err = {0};

	put_asset("srv", "server", HW_LEVEL_LOW);
	e = more(&c);
	e->kind = HW_EDIT_ADD_DEP;
	e->dep.from = S("ghost");
	e->dep.to = S("srv");
	ck_assert_int_eq(hw_change_new(fx_st, &c, at("2026-04-01"), &err), -1);
	ck_assert_msg(strncmp(err.text, "edit 1, add-dep ghost,srv: ", 27) ==
			  0,
		      "%s", err.text);
	ck_assert_int_eq(c.n, 0);
	hw_change_release(&c);
	/* an unknown target */
	c = draft("bad", "nowhere", NULL);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_change_new(fx_st, &c, at("2026-04-01"), &err), -1);
	ck_assert_str_eq(err.text, "target 'nowhere' is no asset");
	hw_change_release(&c);
	/* a target the change's own add-asset edit brings is fine */
	c = draft("new box", "box", NULL);
	e = more(&c);
	e->kind = HW_EDIT_ADD_ASSET;
	e->add.id = S("box");
	e->add.name = S("Box");
	e->add.type = S("server");
	memset(&err, 0, sizeof err);
	ok(hw_change_new(fx_st, &c, at("2026-04-01"), &err), &err);
	ck_assert_int_eq(c.n, 1); /* nothing was written before */
	hw_change_release(&c);
	/* and the trial left nothing behind */
	{
		struct hw_asset a = {0};

		ck_assert_int_eq(hw_store_asset_get(fx_st, "box", &a, &err),
				 -1);
	}
}
END_TEST

START_TEST(test_unknown_change)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_change_assess(fx_st, 9, at("2026-04-02"), NULL,
					  &err),
			 -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no change CHG-0009");
}
END_TEST

static Suite *change_suite(void)
{
	Suite *s = suite_create("change");
	TCase *json = tcase_create("json"), *store = tcase_create("store"),
	      *life = tcase_create("life");

	tcase_add_test(json, test_json_change_minimal);
	tcase_add_test(json, test_json_change_full);
	tcase_add_test(json, test_json_edit_kinds);
	tcase_add_test(json, test_json_incident);
	suite_add_tcase(s, json);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_store_round_trip);
	tcase_add_test(store, test_store_refuses_bad_changes);
	tcase_add_test(store, test_store_outside_transaction);
	tcase_add_test(store, test_store_each_and_update);
	tcase_add_test(store, test_store_undo_kept_while_edits_stay);
	tcase_add_test(store, test_store_import);
	tcase_add_test(store, test_store_assessment);
	tcase_add_test(store, test_store_damage_named);
	suite_add_tcase(s, store);
	tcase_add_checked_fixture(life, life_setup, fx_teardown);
	tcase_set_timeout(life, 60);
	tcase_add_test(life, test_life_new);
	tcase_add_test(life, test_life_assessed);
	tcase_add_test(life, test_life_approved);
	tcase_add_test(life, test_life_cancel_approved);
	tcase_add_test(life, test_life_implemented_and_closed);
	tcase_add_loop_test(life, test_life_closed_failed_reverts_once, 0, 2);
	tcase_add_test(life, test_life_revert_implemented);
	tcase_add_test(life, test_life_revert_refused_after_later_write);
	tcase_add_test(life, test_life_implement_refused_after_inventory_changed);
	tcase_add_test(life, test_life_unchanged_inventory_days_later);
	tcase_add_test(life, test_self_approval);
	tcase_add_test(life, test_self_reject_allowed);
	tcase_add_test(life, test_full_cab_needs_reason);
	tcase_add_test(life, test_new_refuses_bad_edits);
	tcase_add_test(life, test_unknown_change);
	suite_add_tcase(s, life);
	return s;
}

int main(void)
{
	return fx_run(change_suite());
}
