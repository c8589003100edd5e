/*
 * check-fragility.c: fragility (fragility.c) computed by hand from its
 * three inputs, its windows at their edges, the store's scans of
 * changes and incidents (store-incident.c), the incidents' store
 * operations, first response's recent changes (incident.c), and the
 * term's effect on scores and ranks in the register.
 */
#include <sqlite3.h>

#include "fixture-risk.h"

#define DAY 86400LL

/* ------------------------------------------------------------------ */
/* The value from its inputs                                           */

static struct hw_fragility frag(int changes, int failed, int incidents,
				int repaired, double hours)
{
	struct hw_fragility f;

	memset(&f, 0, sizeof f);
	f.changes = changes;
	f.failed = failed;
	f.incidents = incidents;
	f.repaired = repaired;
	f.repair_hours = hours;
	return f;
}

START_TEST(test_value_by_hand)
{
	struct hw_weights w = defaults();
	struct hw_fragility f;
	double part[3];

	/* Nothing at all: no data. */
	f = frag(0, 0, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), -1);
	/* 2 changes, both failed: below fragility.min_changes (3), no
	 * rate; nothing else: no data. */
	f = frag(2, 2, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), -1);
	CLOSE(part[0], 0);
	/* 3 changes, 1 failed: rate 1/3, cap .5: .4 x (1/3)/.5 = .26667 */
	f = frag(3, 1, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), 0.4 * (1.0 / 3) / 0.5);
	CLOSE(part[0], 0.266667);
	/* 3 changes, none failed: data, fragility 0 */
	f = frag(3, 0, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, NULL), 0);
	/* 3 of 3 failed: the rate is over the cap, the part is whole */
	f = frag(3, 2, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), 0.4);
	f = frag(3, 3, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), 0.4);
	/* incidents: .4 x n / 4, whole from 4 */
	f = frag(0, 0, 1, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, part), 0.1);
	CLOSE(part[1], 0.1);
	f = frag(0, 0, 4, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, NULL), 0.4);
	f = frag(0, 0, 9, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, NULL), 0.4);
	/* time to repair: .2 x hours / 24, whole from 24 */
	f = frag(0, 0, 0, 2, 6);
	CLOSE(hw_fragility_value(&w, &f, part), 0.05);
	CLOSE(part[2], 0.05);
	f = frag(0, 0, 0, 1, 48);
	CLOSE(hw_fragility_value(&w, &f, NULL), 0.2);
	/* the three together: .26667 + .2 + .05 = .51667 */
	f = frag(3, 1, 2, 2, 6);
	CLOSE(hw_fragility_value(&w, &f, part), 0.516667);
	/* every part whole: .4 + .4 + .2 = 1 */
	f = frag(10, 10, 10, 10, 100);
	CLOSE(hw_fragility_value(&w, &f, NULL), 1);
	/* weights past 1 in all: capped at 1 */
	wset(&w, "fragility.failure_rate", "0.8");
	CLOSE(hw_fragility_value(&w, &f, part), 1);
	CLOSE(part[0], 0.8);
	/* fragility.min_changes 2: two changes give a rate */
	w = defaults();
	wset(&w, "fragility.min_changes", "2");
	f = frag(2, 1, 0, 0, 0);
	CLOSE(hw_fragility_value(&w, &f, NULL), 0.4);
}
END_TEST

START_TEST(test_term_in_score)
{
	struct hw_weights w = defaults();
	struct hw_risk_input in = input(H, H, H);
	struct hw_risk r;

	/* impact 1, multiplier .5: 50 x likelihood.  Base .1 -> 5.0;
	 * with fragility .51667: + .15 x .51667 = .0775 -> .1775 ->
	 * 8.875 -> 8.9. */
	r = score(&w, &in);
	SCORE(r, 5.0);
	in.frag = frag(3, 1, 2, 2, 6);
	in.factors.fragility = hw_fragility_value(&w, &in.frag, NULL);
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	r = score(&w, &in);
	CLOSE(r.term[HW_T_FRAGILITY], 0.0775);
	CLOSE(r.likelihood, 0.1775);
	SCORE(r, 8.9);
	/* likelihood.fragility 0: no effect */
	wset(&w, "likelihood.fragility", "0");
	r = score(&w, &in);
	SCORE(r, 5.0);
}
END_TEST

START_TEST(test_windows)
{
	struct hw_weights w = defaults();
	struct hw_fragility_windows win;

	/* The as-of day counts whole: the windows end at 00:00Z of the
	 * next day. */
	hw_fragility_windows(&w, TODAY, &win);
	ck_assert_int_eq(win.until, hw_time_of_day(TODAY + 1));
	ck_assert_int_eq(win.changes_since, win.until - 180 * DAY);
	ck_assert_int_eq(win.incidents_since, win.until - 90 * DAY);
	ck_assert_int_eq(win.repairs_since, win.until - 180 * DAY);
	wset(&w, "fragility.incident_days", "30");
	hw_fragility_windows(&w, TODAY, &win);
	ck_assert_int_eq(win.incidents_since, win.until - 30 * DAY);
}
END_TEST

/* ------------------------------------------------------------------ */
/* On a store                                                          */

/* All L/L/L, nothing depends on anything but web -> app -> db:
 *   a      3 changes counted (2 failed), others outside the window
 *   twin   as a, without history
 *   b      2 changes (no rate), 2 incidents in the window, 2 repairs
 *   c      one failed change shared with b
 *   gone   an incident, then removed */
static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"assets\": [\n"
    "  {\"id\": \"a\", \"name\": \"A\", \"type\": \"server\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"twin\", \"name\": \"Twin\", \"type\": \"server\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"b\", \"name\": \"B\", \"type\": \"server\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"c\", \"name\": \"C\", \"type\": \"server\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"gone\", \"name\": \"Gone\", \"type\": \"server\"},\n"
    "  {\"id\": \"web\", \"name\": \"Web\", \"type\": \"application\"},\n"
    "  {\"id\": \"app\", \"name\": \"App\", \"type\": \"application\"},\n"
    "  {\"id\": \"db\", \"name\": \"DB\", \"type\": \"database\"},\n"
    "  {\"id\": \"other\", \"name\": \"Other\", \"type\": \"server\"}\n"
    " ],\n"
    " \"dependencies\": [\n"
    "  {\"from\": \"web\", \"to\": \"app\", \"type\": \"uses\"},\n"
    "  {\"from\": \"app\", \"to\": \"db\", \"type\": \"uses\"}\n"
    " ]}\n";

static sqlite3 *raw;
static int has_ord; /* change_target has an ord column */

static void load(void)
{
	struct hw_error err = {0};
	sqlite3_stmt *s;

	ck_assert_msg(hw_import_json(fx_st, fx_write("inv.json", inventory),
				     0, 0, NULL, NULL, NULL, &err) == 0,
		      "import: %s", err.text);
	ck_assert_int_eq(sqlite3_open(fx_db, &raw), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(raw,
					    "SELECT count(*) FROM "
					    "pragma_table_info('change_target')"
					    " WHERE name = 'ord'",
					    -1, &s, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	has_ord = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
}

static void unload(void)
{
	sqlite3_close(raw);
	raw = NULL;
}

/* A change as another tool's history would hold it: state closed when
 * result is given (else implemented, or state as given), targets
 * "a,b". */
static void change(long long n, const char *targets, const char *state,
		   const char *result, hw_time implemented, hw_time closed,
		   const char *by, const char *title)
{
	char at[HW_TIME_TEXT], cl[HW_TIME_TEXT], list[64], *t, *save = NULL;
	sqlite3_stmt *s;
	int ord = 0;

	ck_assert_int_eq(
	    sqlite3_prepare_v2(raw,
			       "INSERT INTO change_record (n, title, state, "
			       "result, requester, created, implemented_by, "
			       "implemented_at, closed_at) VALUES (?1, ?2, ?3,"
			       " ?4, 'req', '2026-01-01T00:00:00Z', ?5, ?6, "
			       "?7)",
			       -1, &s, NULL),
	    SQLITE_OK);
	sqlite3_bind_int64(s, 1, n);
	sqlite3_bind_text(s, 2, title, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 3, state, -1, SQLITE_STATIC);
	if (result)
		sqlite3_bind_text(s, 4, result, -1, SQLITE_STATIC);
	sqlite3_bind_text(s, 5, by, -1, SQLITE_STATIC);
	if (implemented)
		sqlite3_bind_text(s, 6, hw_time_format(implemented, at), -1,
				  SQLITE_STATIC);
	if (closed)
		sqlite3_bind_text(s, 7, hw_time_format(closed, cl), -1,
				  SQLITE_STATIC);
	ck_assert_msg(sqlite3_step(s) == SQLITE_DONE, "change %lld: %s", n,
		      sqlite3_errmsg(raw));
	sqlite3_finalize(s);
	snprintf(list, sizeof list, "%s", targets);
	for (t = strtok_r(list, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		ck_assert_int_eq(
		    sqlite3_prepare_v2(raw,
				       has_ord ? "INSERT INTO change_target "
						 "(change, asset, ord) VALUES "
						 "(?1, ?2, ?3)"
					       : "INSERT INTO change_target "
						 "(change, asset) VALUES (?1, "
						 "?2)",
				       -1, &s, NULL),
		    SQLITE_OK);
		sqlite3_bind_int64(s, 1, n);
		sqlite3_bind_text(s, 2, t, -1, SQLITE_STATIC);
		if (has_ord)
			sqlite3_bind_int(s, 3, ord++);
		ck_assert_int_eq(sqlite3_step(s), SQLITE_DONE);
		sqlite3_finalize(s);
	}
}

static void closed(long long n, const char *targets, const char *result,
		   hw_time at)
{
	change(n, targets, "closed", result, at - 3600, at, "alice",
	       "a change");
}

/* An incident through the store, in a transaction. */
static long long incident(const char *asset, hw_time opened,
			  hw_time resolved)
{
	struct hw_error err = {0};
	struct hw_incident i = {0};

	i.asset = (char *)asset;
	i.title = (char *)"down";
	i.opened = opened;
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_incident_add(fx_st, &i, &err) == 0, "add: %s",
		      err.text);
	if (resolved)
		ck_assert_msg(hw_store_incident_resolve(fx_st, i.n, resolved,
							&err) == 0,
			      "resolve: %s", err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	return i.n;
}

static const struct hw_risk_entry *entry(const struct hw_graph *g,
					 const struct hw_risk_entry *reg,
					 const char *id)
{
	size_t i;

	for (i = 0; i < hw_graph_size(g); i++)
		if (strcmp(hw_graph_id(g, reg[i].node), id) == 0)
			return &reg[i];
	ck_abort_msg("no %s in the register", id);
	return NULL;
}

START_TEST(test_register_from_history)
{
	struct hw_weights w = defaults();
	struct hw_fragility_windows win;
	struct hw_error err = {0};
	struct hw_graph *g;
	struct hw_risk_entry *reg;
	const struct hw_risk_entry *e;
	long rank_a;

	FX_SQLITE_ONLY();
	load();
	hw_fragility_windows(&w, TODAY, &win);
	/* a: counted at both edges of the change window */
	closed(1, "a", "failed", win.changes_since);
	closed(2, "a", "success", win.changes_since + DAY);
	closed(3, "a", "backed-out", win.until - 1);
	/* not counted: closed at the end, a second before the start,
	 * rejected, cancelled, implemented but not closed */
	closed(4, "a", "failed", win.until);
	closed(5, "a", "failed", win.changes_since - 1);
	change(6, "a", "closed", "rejected", 0, win.until - DAY, "x", "r");
	change(7, "a", "cancelled", NULL, 0, 0, "x", "c");
	change(8, "a", "implemented", NULL, win.until - DAY, 0, "x", "i");
	/* b: two changes (one shared with c): no rate */
	closed(9, "b,c", "failed", win.until - 2 * DAY);
	closed(10, "b", "success", win.until - 3 * DAY);
	/* b: incidents at the start of the incident window (2 h to
	 * repair), a second before it (10 h; counts only for the repair),
	 * and one open an hour before the end */
	incident("b", win.incidents_since, win.incidents_since + 2 * 3600);
	incident("b", win.incidents_since - 1,
		 win.incidents_since - 1 + 10 * 3600);
	incident("b", win.until - 3600, 0);
	/* resolved before the repair window: not in the time to repair */
	incident("b", win.repairs_since - 5 * DAY, win.repairs_since - 1);
	/* a removed asset keeps its incident, and is left out */
	incident("gone", win.until - DAY, 0);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_delete(fx_st, "gone", 0, &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);

	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_msg(reg != NULL, "register: %s", err.text);

	/* a: 3 changes, 2 failed: rate .667 over the cap .5: .4; term
	 * .15 x .4 = .06; L/L/L impact 1/3, multiplier .5:
	 * 100 x 1/3 x .16 x .5 = 2.667 -> 2.7 */
	e = entry(g, reg, "a");
	ck_assert_int_eq(e->in.frag.changes, 3);
	ck_assert_int_eq(e->in.frag.failed, 2);
	ck_assert_int_eq(e->in.frag.incidents, 0);
	ck_assert(e->in.factors.known & HW_F_BIT(HW_F_FRAGILITY));
	CLOSE(e->in.factors.fragility, 0.4);
	CLOSE(e->risk.term[HW_T_FRAGILITY], 0.06);
	SCORE(e->risk, 2.7);
	rank_a = e->rank;
	/* twin: no history, no data: 100 x 1/3 x .1 x .5 = 1.667 -> 1.7 */
	e = entry(g, reg, "twin");
	ck_assert(!(e->in.factors.known & HW_F_BIT(HW_F_FRAGILITY)));
	CLOSE(e->risk.term[HW_T_FRAGILITY], 0);
	SCORE(e->risk, 1.7);
	/* b: 2 changes (1 failed: no rate); incidents 2 -> .4 x 2/4 = .2;
	 * repaired 2, (2 h + 10 h) / 2 = 6 h -> .2 x 6/24 = .05; .25;
	 * term .0375: 100 x 1/3 x .1375 x .5 = 2.29 -> 2.3 */
	e = entry(g, reg, "b");
	ck_assert_int_eq(e->in.frag.changes, 2);
	ck_assert_int_eq(e->in.frag.failed, 1);
	ck_assert_int_eq(e->in.frag.incidents, 2);
	ck_assert_int_eq(e->in.frag.repaired, 2);
	CLOSE(e->in.frag.repair_hours, 6);
	CLOSE(e->in.factors.fragility, 0.25);
	SCORE(e->risk, 2.3);
	/* fragility moves the ranking: a, then b, then the twin (ranked
	 * by id among the L/L/L assets without history otherwise) */
	ck_assert_int_eq(e->rank, rank_a + 1);
	ck_assert_int_eq(entry(g, reg, "c")->rank, rank_a + 2);
	ck_assert_int_eq(entry(g, reg, "twin")->rank, rank_a + 3);
	/* c: one failed change, fewer than 3: no data */
	e = entry(g, reg, "c");
	ck_assert_int_eq(e->in.frag.changes, 1);
	ck_assert(!(e->in.factors.known & HW_F_BIT(HW_F_FRAGILITY)));
	SCORE(e->risk, 1.7);
	free(reg);

	/* A day later change 1 has left the window and change 4 (closed
	 * at the old end) come in: still 3.  Two days later change 2 has
	 * left too: 2 changes, no rate for a, its twin's score. */
	reg = hw_risk_register(fx_st, g, &w, TODAY + 1, &err);
	ck_assert_ptr_nonnull(reg);
	e = entry(g, reg, "a");
	ck_assert_int_eq(e->in.frag.changes, 3);
	free(reg);
	reg = hw_risk_register(fx_st, g, &w, TODAY + 2, &err);
	ck_assert_ptr_nonnull(reg);
	e = entry(g, reg, "a");
	ck_assert_int_eq(e->in.frag.changes, 2);
	ck_assert(!(e->in.factors.known & HW_F_BIT(HW_F_FRAGILITY)));
	SCORE(e->risk, 1.7);
	free(reg);
	hw_graph_free(g);
	unload();
}
END_TEST

START_TEST(test_incident_store)
{
	struct hw_error err = {0};
	struct hw_incident i = {0}, got;
	hw_time t0 = hw_time_of_day(TODAY);

	FX_SQLITE_ONLY();
	load();
	/* outside a transaction: refused, never stored unaudited */
	i.asset = (char *)"a";
	i.title = (char *)"x";
	i.opened = t0;
	ck_assert_int_eq(hw_store_incident_add(fx_st, &i, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_int_eq(hw_store_incident_resolve(fx_st, 1, t0, &err), -1);
	memset(&err, 0, sizeof err);
	/* unknown asset */
	i.asset = (char *)"nope";
	i.title = (char *)"x";
	i.opened = t0;
	ck_assert_int_eq(FX_TX(hw_store_incident_add(fx_st, &i, &err)), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	/* unknown change */
	memset(&err, 0, sizeof err);
	i.asset = (char *)"a";
	i.change = 7;
	ck_assert_int_eq(FX_TX(hw_store_incident_add(fx_st, &i, &err)), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no change CHG-0007");
	ck_assert_int_eq(incident("a", t0, 0), 1);
	ck_assert_int_eq(incident("b", t0 + 60, 0), 2);
	/* resolve before the open time; then twice */
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_store_incident_resolve(fx_st, 1, t0 - 1, &err)), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_int_eq(FX_TX(hw_store_incident_resolve(fx_st, 1, t0, &err)), 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_store_incident_resolve(fx_st, 1, t0 + 5, &err)), -1);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_store_incident_resolve(fx_st, 9, t0, &err)), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no incident INC-0009");
	ck_assert_int_eq(hw_store_incident_get(fx_st, 1, &got, &err), 0);
	ck_assert_str_eq(got.asset, "a");
	ck_assert_int_eq(got.opened, t0);
	ck_assert_int_eq(got.resolved, t0);
	ck_assert_ptr_nonnull(got.reporter);
	/* import: the same is nothing, a different one is refused, a new
	 * number is stored as given */
	ck_assert_int_eq(FX_TX(hw_store_incident_import(fx_st, &got, &err)), 0);
	got.title[0] = 'X';
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_store_incident_import(fx_st, &got, &err)), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	got.n = 40;
	ck_assert_int_eq(FX_TX(hw_store_incident_import(fx_st, &got, &err)), 0);
	hw_incident_release(&got);
	ck_assert_int_eq(incident("a", t0, 0), 41);
	unload();
}
END_TEST

START_TEST(test_recent_changes)
{
	struct hw_error err = {0};
	struct hw_recent_change *v = NULL;
	hw_time until = hw_time_of_day(TODAY) + 12 * 3600;
	size_t n = 0;

	FX_SQLITE_ONLY();
	load();
	/* web -> app -> db; other is unrelated */
	change(1, "db", "implemented", NULL, until - 2 * DAY, 0, "bob",
	       "db upgrade");
	change(2, "web,other", "closed", "success", until - 3600,
	       until - 60, "carol", "web and other");
	change(3, "other", "implemented", NULL, until - 600, 0, "dan",
	       "other only");
	change(4, "app", "implemented", NULL, until - 7 * DAY - 1, 0, "eve",
	       "too old");
	change(5, "app", "implemented", NULL, until, 0, "eve", "after");
	ck_assert_msg(hw_incident_recent_changes(fx_st, "web", until, 7, &v,
						 &n, &err) == 0,
		      "recent: %s", err.text);
	ck_assert_uint_eq(n, 2);
	ck_assert_int_eq(v[0].change, 2);
	ck_assert_str_eq(v[0].targets, "web");
	ck_assert_int_eq(v[0].distance, 0);
	ck_assert_str_eq(v[0].implemented_by, "carol");
	ck_assert_int_eq(v[1].change, 1);
	ck_assert_str_eq(v[1].targets, "db");
	ck_assert_int_eq(v[1].distance, 2);
	hw_recent_changes_free(v, n);
	/* db depends on nothing: only its own change */
	ck_assert_int_eq(hw_incident_recent_changes(fx_st, "db", until, 7, &v,
						    &n, &err),
			 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(v[0].change, 1);
	hw_recent_changes_free(v, n);
	/* unknown asset */
	ck_assert_int_eq(hw_incident_recent_changes(fx_st, "nope", until, 7,
						    &v, &n, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	unload();
}
END_TEST

START_TEST(test_damaged_incident)
{
	struct hw_weights w = defaults();
	struct hw_error err = {0};
	struct hw_incident got;
	struct hw_graph *g;
	hw_time t0 = hw_time_of_day(TODAY);

	FX_SQLITE_ONLY();
	load();
	incident("a", t0 - DAY, t0);
	/* An opened time highwater never writes, inside the windows by
	 * text order: read back, it is damage, not a silent 0. */
	ck_assert_int_eq(sqlite3_exec(raw,
				      "UPDATE incident SET opened = "
				      "'2026-11-20T25:00:00Z'",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(hw_store_incident_get(fx_st, 1, &got, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_msg(strstr(err.text, "table incident") != NULL, "%s",
		      err.text);
	memset(&err, 0, sizeof err);
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_ptr_null(hw_risk_register(fx_st, g, &w, TODAY, &err));
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_msg(strstr(err.text, "incident") != NULL, "%s", err.text);
	hw_graph_free(g);
	unload();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("fragility");
	TCase *value = tcase_create("value");
	TCase *store = tcase_create("store");

	tcase_add_test(value, test_value_by_hand);
	tcase_add_test(value, test_term_in_score);
	tcase_add_test(value, test_windows);
	suite_add_tcase(s, value);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_register_from_history);
	tcase_add_test(store, test_incident_store);
	tcase_add_test(store, test_recent_changes);
	tcase_add_test(store, test_damaged_incident);
	suite_add_tcase(s, store);
	return s;
}

int main(void)
{
	return fx_run(suite());
}
