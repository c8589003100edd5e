/*
 * check-posture.c: a change's assessment and its edits applied and
 * undone (posture.c, change-apply.c) on hand-built inventories, with
 * the numbers computed by hand.
 *
 * The SP 800-53B counts (data/sp800-53b-baselines.csv): the LOW,
 * MODERATE and HIGH baselines hold 149, 287 and 370 controls; Access
 * Control 11, 39, 46; Audit and Accountability 10, 16, 25; Contingency
 * Planning 6, 23, 35.  An asset with no implemented baseline recorded
 * misses every control of its required baseline, so a server raised
 * from LOW to HIGH adds 370 - 149 = 221 controls: 35 of Access Control,
 * 15 of Audit and Accountability, 29 of Contingency Planning.
 *
 * Scores (fixture-risk.h's formula, default weights, no factors: the
 * likelihood is the base .10): a LOW server with nothing depending on
 * it has impact 5/15 and multiplier .5: 100 x .3333 x .1 x .5 = 1.7.
 * HIGH with a HIGH application depending on it: impact 1, weighted
 * dependents 3, blast log10(4) / log10(10001) = .15051, multiplier
 * .57526: 5.8.  The HIGH application with no dependents: 5.0.
 */
#include <jansson.h>

#include "fixture-risk.h"
#include "hw-private.h"
#include "posture.h"

#define AT ((hw_time)TODAY * 86400)

static void setup(void)
{
	fx_setup();
	hw_posture_set_catalogue(fx_data("sp800-53b-baselines.csv"));
}

/* An asset of type with own levels c, i, a. */
static void asset(const char *id, const char *type, enum hw_level c,
		  enum hw_level i, enum hw_level a)
{
	struct hw_asset x = {0};
	struct hw_error err = {0};

	x.id = (char *)id;
	x.name = (char *)id;
	x.type = (char *)type;
	x.direct = sc3(c, i, a);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_asset_put(fx_st, &x, 0, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
}

static void dep(const char *from, const char *to)
{
	struct hw_dep d = {(char *)from, (char *)to, (char *)"runs_on", CIA};
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_dep_add(fx_st, &d, 0, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
}

/* A change of target with up to 8 edits, borrowed strings (never
 * released). */
struct chg {
	struct hw_change c;
	struct hw_change_edit e[8];
	char *targets[2];
};

static void chg_init(struct chg *x, const char *target)
{
	memset(x, 0, sizeof *x);
	x->targets[0] = (char *)target;
	x->c.targets = x->targets;
	x->c.ntargets = 1;
	x->c.edits = x->e;
	x->c.title = (char *)"test";
}

static void add_dep(struct chg *x, const char *from, const char *to)
{
	struct hw_change_edit *e = &x->e[x->c.nedits++];

	e->kind = HW_EDIT_ADD_DEP;
	e->dep.from = (char *)from;
	e->dep.to = (char *)to;
	e->dep.type = (char *)"runs_on";
	e->dep.carries = CIA;
}

static void rm_dep(struct chg *x, const char *from, const char *to)
{
	struct hw_change_edit *e = &x->e[x->c.nedits++];

	e->kind = HW_EDIT_RM_DEP;
	e->dep.from = (char *)from;
	e->dep.to = (char *)to;
}

static void set(struct chg *x, const char *id, const char *field,
		const char *value)
{
	struct hw_change_edit *e = &x->e[x->c.nedits++];

	e->kind = HW_EDIT_SET;
	e->asset = (char *)id;
	e->field = (char *)field;
	e->value = (char *)value;
}

static void add_asset(struct chg *x, const char *id, const char *type,
		      enum hw_level l)
{
	struct hw_change_edit *e = &x->e[x->c.nedits++];

	e->kind = HW_EDIT_ADD_ASSET;
	e->add.id = (char *)id;
	e->add.name = (char *)id;
	e->add.type = (char *)type;
	e->add.direct = sc3(l, l, l);
}

static json_t *assess(const struct chg *x)
{
	struct hw_error err = {0};
	json_t *a = NULL;

	ck_assert_msg(hw_change_assess_compute(fx_st, &x->c, AT, &a, &err) ==
			  0,
		      "%s", err.text);
	return a;
}

/* The value at a path in the assessment, e.g. "delta.levels". */
static json_t *at(json_t *a, const char *path)
{
	char buf[200], *p, *save = NULL;
	json_t *v = a;

	snprintf(buf, sizeof buf, "%s", path);
	for (p = strtok_r(buf, ".", &save); p && v;
	     p = strtok_r(NULL, ".", &save))
		v = json_is_array(v) ? json_array_get(v, (size_t)atoi(p))
				     : json_object_get(v, p);
	ck_assert_msg(v != NULL, "no %s", path);
	return v;
}

static const char *str(json_t *a, const char *path)
{
	json_t *v = at(a, path);

	return json_is_null(v) ? "null" : json_string_value(v);
}

static long long num(json_t *a, const char *path)
{
	return json_integer_value(at(a, path));
}

static double real(json_t *a, const char *path)
{
	return json_real_value(at(a, path));
}

/* The family's entry in delta.gaps.families, its controls (0: none). */
static long long family(json_t *a, const char *name)
{
	json_t *f = at(a, "delta.gaps.families"), *v;
	size_t i;

	json_array_foreach(f, i, v)
		if (strcmp(json_string_value(json_object_get(v, "family")),
			   name) == 0)
			return json_integer_value(json_object_get(v, "controls"));
	return 0;
}

/* app (HIGH application) and srv (LOW server), nothing between. */
static void two(void)
{
	asset("app", "application", H, H, H);
	asset("srv", "server", L, L, L);
}

START_TEST(test_raise)
{
	struct chg x;
	json_t *a;

	two();
	chg_init(&x, "srv");
	add_dep(&x, "app", "srv");
	a = assess(&x);
	/* The three objectives of srv rise from LOW to HIGH. */
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 3);
	ck_assert_str_eq(str(a, "delta.levels.0.asset"), "srv");
	ck_assert_str_eq(str(a, "delta.levels.0.objective"), "confidentiality");
	ck_assert_str_eq(str(a, "delta.levels.0.old"), "low");
	ck_assert_str_eq(str(a, "delta.levels.0.new"), "high");
	ck_assert_str_eq(str(a, "delta.levels.2.objective"), "availability");
	ck_assert_int_eq(json_array_size(at(a, "delta.baselines")), 1);
	ck_assert_str_eq(str(a, "delta.baselines.0.asset"), "srv");
	ck_assert_str_eq(str(a, "delta.baselines.0.old"), "low");
	ck_assert_str_eq(str(a, "delta.baselines.0.new"), "high");
	ck_assert_int_eq(num(a, "delta.gaps.controls"), 221);
	ck_assert_int_eq(family(a, "Access Control"), 35);
	ck_assert_int_eq(family(a, "Audit and Accountability"), 15);
	ck_assert_int_eq(family(a, "Contingency Planning"), 29);
	ck_assert_int_eq(family(a, "Planning"), 1);
	/* Only srv's score moves: 1.7 (rank 2) to 5.8 (rank 1). */
	ck_assert_int_eq(json_array_size(at(a, "delta.risks")), 1);
	ck_assert_int_eq(num(a, "delta.risks_moved"), 1);
	ck_assert_str_eq(str(a, "delta.risks.0.asset"), "srv");
	CLOSE(real(a, "delta.risks.0.old_score"), 1.7);
	CLOSE(real(a, "delta.risks.0.new_score"), 5.8);
	ck_assert_int_eq(num(a, "delta.risks.0.old_rank"), 2);
	ck_assert_int_eq(num(a, "delta.risks.0.new_rank"), 1);
	ck_assert_int_eq(json_array_size(at(a, "delta.cycles")), 0);
	/* The impact as it stands: srv alone, LOW: standard; after the
	 * edit app depends on it, HIGH: full-cab, the route taken. */
	ck_assert_int_eq(num(a, "summary.members"), 1);
	ck_assert_int_eq(num(a, "members.0.0"), 0);
	ck_assert_str_eq(str(a, "members.0.1.0"), "srv");
	ck_assert_str_eq(str(a, "summary.route_before"), "standard");
	ck_assert_str_eq(str(a, "summary.route_after"), "full-cab");
	ck_assert_str_eq(str(a, "summary.route"), "full-cab");
	ck_assert_str_eq(str(a, "at"), "2026-11-21T00:00:00Z");
	/* The edit was rolled back: srv has no dependent. */
	{
		struct hw_error err = {0};
		struct hw_dep d = {(char *)"app", (char *)"srv",
				   (char *)"runs_on", CIA};

		ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
		ck_assert_int_eq(hw_store_dep_add(fx_st, &d, 0, &err), 0);
		hw_store_rollback(fx_st);
	}
	json_decref(a);
}
END_TEST

START_TEST(test_lower)
{
	struct chg x;
	json_t *a;

	two();
	dep("app", "srv");
	chg_init(&x, "srv");
	rm_dep(&x, "app", "srv");
	a = assess(&x);
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 3);
	ck_assert_str_eq(str(a, "delta.levels.1.objective"), "integrity");
	ck_assert_str_eq(str(a, "delta.levels.1.old"), "high");
	ck_assert_str_eq(str(a, "delta.levels.1.new"), "low");
	ck_assert_str_eq(str(a, "delta.baselines.0.old"), "high");
	ck_assert_str_eq(str(a, "delta.baselines.0.new"), "low");
	ck_assert_int_eq(num(a, "delta.gaps.controls"), -221);
	ck_assert_int_eq(family(a, "Access Control"), -35);
	CLOSE(real(a, "delta.risks.0.old_score"), 5.8);
	CLOSE(real(a, "delta.risks.0.new_score"), 1.7);
	/* As it stands srv's impact holds app (distance 1): full-cab. */
	ck_assert_int_eq(num(a, "summary.members"), 2);
	ck_assert_str_eq(str(a, "members.1.1.0"), "app");
	ck_assert_int_eq(num(a, "members.1.0"), 1);
	ck_assert_str_eq(str(a, "summary.route"), "full-cab");
	ck_assert_str_eq(str(a, "summary.route_after"), "standard");
	json_decref(a);
}
END_TEST

START_TEST(test_set_level)
{
	struct chg x;
	json_t *a;

	two();
	chg_init(&x, "srv");
	set(&x, "srv", "c", "high");
	a = assess(&x);
	/* Confidentiality alone rises; the baseline follows the overall
	 * level: LOW to HIGH, 221 controls. */
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 1);
	ck_assert_str_eq(str(a, "delta.levels.0.objective"), "confidentiality");
	ck_assert_str_eq(str(a, "delta.levels.0.new"), "high");
	ck_assert_str_eq(str(a, "delta.baselines.0.new"), "high");
	ck_assert_int_eq(num(a, "delta.gaps.controls"), 221);
	/* impact (2 x 3 + 3 + 1 + 1) / 15 = 11/15, x .1 x .5 = 3.7 */
	CLOSE(real(a, "delta.risks.0.new_score"), 3.7);
	json_decref(a);
}
END_TEST

START_TEST(test_add_asset)
{
	struct chg x;
	json_t *a;

	two();
	chg_init(&x, "db");
	add_asset(&x, "db", "database", M);
	add_dep(&x, "db", "srv");
	a = assess(&x);
	/* db appears at MODERATE (old null) and raises srv to MODERATE:
	 * controls 287 for db (none recorded) and 287 - 149 = 138 for
	 * srv; Access Control 39 + 28 = 67. */
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 6);
	ck_assert_str_eq(str(a, "delta.levels.0.asset"), "db");
	ck_assert_str_eq(str(a, "delta.levels.0.old"), "null");
	ck_assert_str_eq(str(a, "delta.levels.0.new"), "moderate");
	ck_assert_str_eq(str(a, "delta.levels.3.asset"), "srv");
	ck_assert_str_eq(str(a, "delta.levels.3.new"), "moderate");
	ck_assert_int_eq(json_array_size(at(a, "delta.baselines")), 2);
	ck_assert_str_eq(str(a, "delta.baselines.0.old"), "null");
	ck_assert_int_eq(num(a, "delta.gaps.controls"), 287 + 138);
	ck_assert_int_eq(family(a, "Access Control"), 39 + 28);
	/* db is new (old score null); the target is only in the graph
	 * after the edits, so the impact is taken there. */
	ck_assert_int_eq(num(a, "delta.risks_moved"), 2);
	ck_assert_int_eq(num(a, "summary.members"), 1);
	ck_assert_str_eq(str(a, "members.0.1.0"), "db");
	json_decref(a);
}
END_TEST

START_TEST(test_cycle)
{
	struct chg x;
	json_t *a;

	asset("a", "server", L, L, L);
	asset("b", "server", L, L, L);
	asset("c", "server", L, L, L);
	asset("x", "server", L, L, L);
	asset("y", "server", L, L, L);
	dep("a", "b");
	dep("b", "c");
	dep("x", "y");
	dep("y", "x"); /* a cycle already: not new */
	chg_init(&x, "a");
	add_dep(&x, "c", "a");
	a = assess(&x);
	ck_assert_int_eq(json_array_size(at(a, "delta.cycles")), 1);
	ck_assert_int_eq(json_array_size(at(a, "delta.cycles.0")), 3);
	ck_assert_str_eq(str(a, "delta.cycles.0.0"), "a");
	ck_assert_str_eq(str(a, "delta.cycles.0.1"), "b");
	ck_assert_str_eq(str(a, "delta.cycles.0.2"), "c");
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 0);
	json_decref(a);

	/* Removing an edge of the old cycle makes none. */
	chg_init(&x, "x");
	rm_dep(&x, "y", "x");
	a = assess(&x);
	ck_assert_int_eq(json_array_size(at(a, "delta.cycles")), 0);
	json_decref(a);
}
END_TEST

START_TEST(test_empty_and_differs)
{
	struct chg x, y;
	json_t *a, *b;
	char buf[300];

	two();
	chg_init(&x, "srv");
	a = assess(&x);
	ck_assert_int_eq(json_array_size(at(a, "delta.levels")), 0);
	ck_assert_int_eq(json_array_size(at(a, "delta.baselines")), 0);
	ck_assert_int_eq(json_array_size(at(a, "delta.risks")), 0);
	ck_assert_int_eq(json_array_size(at(a, "delta.cycles")), 0);
	ck_assert_int_eq(num(a, "delta.gaps.controls"), 0);
	ck_assert_int_eq(hw_assessment_delta_differs(a, a, buf, sizeof buf),
			 0);
	chg_init(&y, "srv");
	add_dep(&y, "app", "srv");
	b = assess(&y);
	ck_assert_int_eq(hw_assessment_delta_differs(b, b, buf, sizeof buf),
			 0);
	ck_assert_int_eq(hw_assessment_delta_differs(a, b, buf, sizeof buf),
			 1);
	ck_assert_msg(strstr(buf, "delta.") == buf, "%s", buf);
	json_decref(a);
	json_decref(b);

	/* The same edit once the inventory changed: srv's own levels. */
	a = assess(&y);
	{
		struct hw_error err = {0};
		struct hw_asset s;

		ck_assert_int_eq(hw_store_asset_get(fx_st, "srv", &s, &err), 0);
		s.direct.v[HW_A] = M;
		ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
		ck_assert_int_eq(hw_store_asset_put(fx_st, &s, 1, &err), 0);
		ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
		hw_asset_release(&s);
	}
	b = assess(&y);
	ck_assert_int_eq(hw_assessment_delta_differs(a, b, buf, sizeof buf),
			 1);
	ck_assert_msg(strstr(buf, "delta.levels[2]") == buf, "%s", buf);
	json_decref(a);
	json_decref(b);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Apply and unapply                                                   */

static int dump_asset(const struct hw_asset *a, void *ctx)
{
	json_t *o = hwp_asset_json(a);

	json_array_append_new(ctx, o);
	return 0;
}

static int dump_dep(const struct hw_dep *d, void *ctx)
{
	json_array_append_new(ctx, hwp_dep_json(d));
	return 0;
}

/* The whole inventory as text. */
static char *inventory(void)
{
	struct hw_error err = {0};
	json_t *a = json_array(), *d = json_array(), *o;
	char *s;

	ck_assert_int_eq(hw_store_asset_each(fx_st, dump_asset, a, &err), 0);
	ck_assert_int_eq(hw_store_dep_each(fx_st, NULL, dump_dep, d, &err), 0);
	o = json_pack("{s:o, s:o}", "assets", a, "deps", d);
	s = json_dumps(o, JSON_SORT_KEYS);
	json_decref(o);
	return s;
}

static void apply(const struct chg *x, char **undo)
{
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_change_apply(fx_st, &x->c, undo, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
}

static void free_undo(char **undo, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(undo[i]);
}

START_TEST(test_apply_unapply)
{
	struct hw_error err = {0};
	struct chg x;
	char *undo[8] = {0}, *before, *after, *back;
	struct hw_asset s;

	two();
	asset("old", "server", L, L, L);
	dep("app", "old");
	ck_assert_int_eq(hw_store_asset_get(fx_st, "srv", &s, &err), 0);
	fset(&s.factors, "worst_cvss", "7.3");
	fset(&s.factors, "downtime_cost", "1234.567");
	s.owner = strdup("ops@example.org");
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_put(fx_st, &s, 1, &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	hw_asset_release(&s);

	before = inventory();
	chg_init(&x, "srv");
	add_dep(&x, "app", "srv");
	rm_dep(&x, "app", "old");
	set(&x, "srv", "c", "high");
	set(&x, "srv", "owner", "");
	set(&x, "srv", "downtime_cost", "99");
	set(&x, "srv", "worst_cvss", "");
	add_asset(&x, "new", "database", M);
	apply(&x, undo);
	after = inventory();
	ck_assert_str_ne(before, after);
	ck_assert_int_eq(hw_store_asset_get(fx_st, "srv", &s, &err), 0);
	ck_assert_int_eq(s.direct.v[HW_C], H);
	ck_assert_ptr_null(s.owner);
	CLOSE(s.factors.downtime_cost, 99);
	hw_asset_release(&s);
	ck_assert_ptr_nonnull(strstr(undo[1], "\"object\":\"dependency:app>old\""));
	ck_assert_ptr_nonnull(strstr(undo[1], "\"type\":\"runs_on\""));

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_change_unapply(fx_st, &x.c, undo, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	back = inventory();
	ck_assert_str_eq(back, before);
	free(before);
	free(after);
	free(back);
	free_undo(undo, x.c.nedits);
}
END_TEST

START_TEST(test_unapply_refused)
{
	struct hw_error err = {0};
	struct chg x;
	char *undo[8] = {0}, *before, *now;
	struct hw_asset s;

	two();
	chg_init(&x, "srv");
	add_dep(&x, "app", "srv");
	set(&x, "srv", "c", "moderate");
	add_asset(&x, "new", "database", M);
	apply(&x, undo);
	/* A later write to srv. */
	ck_assert_int_eq(hw_store_asset_get(fx_st, "srv", &s, &err), 0);
	free(s.owner);
	s.owner = strdup("later@example.org");
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_put(fx_st, &s, 1, &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	hw_asset_release(&s);
	before = inventory();
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_change_unapply(fx_st, &x.c, undo, &err), -1);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(err.code, HW_EREFUSED);
	ck_assert_msg(strstr(err.text, "asset:srv") != NULL, "%s", err.text);
	ck_assert_msg(strstr(err.text, "dependency") == NULL, "%s", err.text);
	now = inventory();
	ck_assert_str_eq(now, before);
	free(before);
	free(now);
	free_undo(undo, x.c.nedits);
}
END_TEST

START_TEST(test_apply_refused)
{
	struct hw_error err = {0};
	struct chg x;
	char *undo[8] = {0};

	two();
	dep("app", "srv");
	chg_init(&x, "srv");
	set(&x, "srv", "c", "high");
	add_dep(&x, "app", "srv");
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_change_apply(fx_st, &x.c, undo, &err), -1);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_msg(strncmp(err.text, "edit 2, add-dep app,srv: ", 25) ==
			  0,
		      "%s", err.text);
	ck_assert_ptr_null(undo[0]); /* freed on failure */

	chg_init(&x, "srv");
	rm_dep(&x, "srv", "app");
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_change_apply(fx_st, &x.c, NULL, &err), -1);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text,
			 "edit 1, rm-dep srv,app: 'srv' does not depend on "
			 "'app'");

	chg_init(&x, "srv");
	set(&x, "srv", "colour", "red");
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_change_apply(fx_st, &x.c, NULL, &err), -1);
	hw_store_rollback(fx_st);
	ck_assert_msg(strncmp(err.text,
			      "edit 1, set srv,colour=red: unknown field "
			      "\"colour\"",
			      45) == 0,
		      "%s", err.text);

	chg_init(&x, "srv");
	add_asset(&x, "app", "database", M);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_change_apply(fx_st, &x.c, NULL, &err), -1);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(err.code, HW_EEXIST);

	/* An assessment of a refused edit fails the same way. */
	chg_init(&x, "srv");
	add_dep(&x, "app", "srv");
	{
		json_t *a = NULL;

		hw_error_clear(&err);
		ck_assert_int_eq(
		    hw_change_assess_compute(fx_st, &x.c, AT, &a, &err), -1);
		ck_assert_ptr_null(a);
		ck_assert_int_eq(err.code, HW_EEXIST);
	}
}
END_TEST

START_TEST(test_set_field)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};

	a.name = strdup("n");
	ck_assert_int_eq(hw_asset_set_field(&a, "i", "moderate", &err), 0);
	ck_assert_int_eq(a.direct.v[HW_I], M);
	ck_assert_int_eq(hw_asset_set_field(&a, "integrity", "none", &err), 0);
	ck_assert_int_eq(a.direct.v[HW_I], N);
	ck_assert_int_eq(hw_asset_set_field(&a, "internet_facing", "yes", &err),
			 0);
	ck_assert_int_eq(a.internet_facing, 1);
	ck_assert_int_eq(hw_asset_set_field(&a, "vulnerabilities", "4", &err),
			 0);
	ck_assert_int_eq(a.factors.vulnerabilities, 4);
	ck_assert_int_eq(hw_asset_set_field(&a, "name", "", &err), -1);
	ck_assert_str_eq(err.text, "name cannot be empty");
	hw_error_clear(&err);
	ck_assert_int_eq(hw_asset_set_field(&a, "type", "toaster", &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_asset_set_field(&a, "c", "huge", &err), -1);
	ck_assert_msg(strncmp(err.text, "confidentiality: ", 17) == 0, "%s",
		      err.text);
	hw_asset_release(&a);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The workbook of a stored assessment                                 */

static const char workbook_py[] =
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "assert wb.sheetnames[:4] == ['Summary', 'Affected CIs', 'Owners', "
    "'Posture delta'], wb.sheetnames\n"
    "s = {}\n"
    "for r in wb['Summary'].iter_rows(values_only=True):\n"
    "    if r[0] is not None and r[0] not in s: s[r[0]] = r[1]\n"
    "assert s['Change'] == 'CHG-0007', s\n"
    "assert s['Title'] == 'Move app onto srv', s\n"
    "assert s['State'] == 'approved', s\n"
    "assert s['Requester'] == 'alice', s\n"
    "assert s['Decision'] == 'approved', s\n"
    "assert s['Decided by'] == 'bob', s\n"
    "assert s['Assessed at'] == '2026-11-21T00:00:00Z', s\n"
    "assert s['Recommended route'] == 'full-cab', s\n"
    "assert s['Effective levels that rise'] == 3, s\n"
    "assert s['Required baselines that rise'] == 1, s\n"
    "assert s['Controls to add (net, over assets)'] == 221, s\n"
    "assert s['Risk scores that move'] == 1, s\n"
    "assert s['New cycles'] == 0, s\n"
    "a = list(wb['Affected CIs'].iter_rows(values_only=True))\n"
    "assert a == [('Asset', 'Distance'), ('srv', 0)], a\n"
    "d = list(wb['Posture delta'].iter_rows(values_only=True))\n"
    "assert d[0][:5] == ('Kind', 'Asset', 'What', 'Old', 'New'), d[0]\n"
    "lv = [r for r in d if r[0] == 'level']\n"
    "assert lv[0][1:5] == ('srv', 'confidentiality', 'LOW', 'HIGH'), lv\n"
    "assert len(lv) == 3, lv\n"
    "bl = [r for r in d if r[0] == 'baseline']\n"
    "assert bl[0][1] == 'srv' and bl[0][3:5] == ('LOW', 'HIGH'), bl\n"
    "gaps = dict((r[2], r[5]) for r in d if r[0] == 'control gap')\n"
    "assert gaps['Access Control'] == 35, gaps\n"
    "assert gaps['Contingency Planning'] == 29, gaps\n"
    "assert sum(gaps.values()) == 221, gaps\n"
    "rk = [r for r in d if r[0] == 'risk score']\n"
    "assert rk == [('risk score', 'srv', 'rises', None, None, None, 1.7, "
    "5.8, 2, 1)], rk\n"
    "print('read back')\n";

START_TEST(test_workbook)
{
	struct hw_report_opts o = {0};
	struct hw_report_info info;
	struct hw_error err = {0};
	struct chg x;
	json_t *a;
	char cmd[1200];
	FILE *fp;

	two();
	chg_init(&x, "srv");
	add_dep(&x, "app", "srv");
	a = assess(&x);
	/* Later writes do not reach the workbook: it reads a. */
	dep("app", "srv");
	x.c.n = 7;
	x.c.title = (char *)"Move app onto srv";
	x.c.state = HW_CHANGE_APPROVED;
	x.c.requester = (char *)"alice";
	x.c.decided_by = (char *)"bob";
	x.c.reason = (char *)"planned window";
	x.c.decided_at = AT + 3600;
	x.c.created = AT - 3600;
	o.now = (time_t)AT;
	snprintf(cmd, sizeof cmd, "%s/chg.xlsx", fx_dir);
	ck_assert_msg(hw_report_change_record(&x.c, a, 0, &o, cmd, &info,
					      &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(info.rows, 1);
	/* Refused onto an existing file, and a damaged assessment. */
	ck_assert_int_eq(hw_report_change_record(&x.c, a, 0, &o, cmd, &info,
						 &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	hw_error_clear(&err);
	o.force = 1;
	ck_assert_int_eq(hw_report_change_record(&x.c, json_object_get(a,
								       "delta"),
						 0, &o, cmd, &info, &err),
			 -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	json_decref(a);
	if (access("/usr/bin/python3", X_OK) != 0)
		return;
	snprintf(cmd, sizeof cmd, "%s/read.py", fx_dir);
	fp = fopen(cmd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(workbook_py, fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 '%s/read.py' '%s/chg.xlsx'",
		 fx_dir, fx_dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

/* Through the store: the assessment stored, the inventory changed
 * since, the workbook still shows what was assessed. */
static const char stored_py[] =
    "import sys, openpyxl\n"
    "wb = openpyxl.load_workbook(sys.argv[1])\n"
    "s = {}\n"
    "for r in wb['Summary'].iter_rows(values_only=True):\n"
    "    if r[0] is not None and r[0] not in s: s[r[0]] = r[1]\n"
    "assert s['Change'] == 'CHG-0001', s\n"
    "assert s['State'] == 'new', s\n"
    "assert s['Requester'] == 'alice', s\n"
    "assert s['Decision'] == 'not decided yet', s\n"
    "assert s['Assessed at'] == '2026-11-21T00:00:00Z', s\n"
    "assert s['Controls to add (net, over assets)'] == 221, s\n"
    "assert s['Recommended route'] == 'full-cab', s\n"
    "d = list(wb['Posture delta'].iter_rows(values_only=True))\n"
    "rk = [r for r in d if r[0] == 'risk score']\n"
    "assert rk == [('risk score', 'srv', 'rises', None, None, None, 1.7, "
    "5.8, 2, 1)], rk\n";

START_TEST(test_stored)
{
	struct hw_report_opts o = {0};
	struct hw_report_info info;
	struct hw_error err = {0};
	struct hw_change c = {0}, got = {0};
	json_t *a, *back;
	char *text = NULL, cmd[1200];
	FILE *fp;

	two();
	c.title = strdup("Move app onto srv");
	c.targets = calloc(1, sizeof *c.targets);
	c.targets[0] = strdup("srv");
	c.ntargets = 1;
	c.edits = calloc(1, sizeof *c.edits);
	c.edits[0].kind = HW_EDIT_ADD_DEP;
	c.edits[0].dep.from = strdup("app");
	c.edits[0].dep.to = strdup("srv");
	c.edits[0].dep.type = strdup("runs_on");
	c.edits[0].dep.carries = CIA;
	c.nedits = 1;
	c.requester = strdup("alice");
	c.created = AT - 3600;
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_change_add(fx_st, &c, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	ck_assert_msg(hw_change_assess_compute(fx_st, &c, AT, &a, &err) == 0,
		      "%s", err.text);
	text = json_dumps(a, JSON_COMPACT);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_assessment_put(fx_st, c.n, AT, text, &err) == 0,
		      "%s", err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	free(text);
	text = NULL;
	/* A later write: the edit done by hand.  The stored assessment
	 * stands; a fresh one is refused (the dependency exists). */
	dep("app", "srv");
	{
		json_t *fresh = NULL;

		ck_assert_int_eq(
		    hw_change_assess_compute(fx_st, &c, AT, &fresh, &err), -1);
		ck_assert_int_eq(err.code, HW_EEXIST);
		hw_error_clear(&err);
	}
	ck_assert_int_eq(hw_store_assessment_get(fx_st, c.n, &text, &err), 0);
	back = json_loads(text, 0, NULL);
	ck_assert_ptr_nonnull(back);
	ck_assert_int_eq(json_equal(a, back), 1);
	ck_assert_int_eq(hw_store_change_get(fx_st, c.n, &got, &err), 0);
	o.now = (time_t)AT;
	snprintf(cmd, sizeof cmd, "%s/stored.xlsx", fx_dir);
	ck_assert_msg(hw_report_change_record(&got, back, 0, &o, cmd, &info,
					      &err) == 0,
		      "%s", err.text);
	json_decref(a);
	json_decref(back);
	free(text);
	hw_change_release(&c);
	hw_change_release(&got);
	if (access("/usr/bin/python3", X_OK) != 0)
		return;
	snprintf(cmd, sizeof cmd, "%s/stored.py", fx_dir);
	fp = fopen(cmd, "w");
	ck_assert_ptr_nonnull(fp);
	fputs(stored_py, fp);
	fclose(fp);
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 '%s/stored.py' '%s/stored.xlsx'", fx_dir,
		 fx_dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("posture");
	TCase *t = tcase_create("assess");
	TCase *u = tcase_create("apply");

	tcase_add_checked_fixture(t, setup, fx_teardown);
	tcase_add_test(t, test_raise);
	tcase_add_test(t, test_lower);
	tcase_add_test(t, test_set_level);
	tcase_add_test(t, test_add_asset);
	tcase_add_test(t, test_cycle);
	tcase_add_test(t, test_empty_and_differs);
	suite_add_tcase(s, t);
	tcase_add_checked_fixture(u, setup, fx_teardown);
	tcase_add_test(u, test_apply_unapply);
	tcase_add_test(u, test_unapply_refused);
	tcase_add_test(u, test_apply_refused);
	tcase_add_test(u, test_set_field);
	tcase_add_test(u, test_workbook);
	tcase_add_test(u, test_stored);
	suite_add_tcase(s, u);
	return s;
}

int main(void)
{
	return fx_run(suite());
}
