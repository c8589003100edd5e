/*
 * check-register.c: the risk register's order and the data-quality
 * findings (register.c) on a real store.
 */
#include "fixture-risk.h"

/* ------------------------------------------------------------------ */
/* Risk register and checks on a store                                 */

/* Assets for the register and the checks:
 *   svc      H/H/H, depends on app, store and half2
 *   app      M/M/M on vm; inherits H/H/H from svc
 *   vm       no own levels, inherits H/H/H from app and svc
 *   store    M/L/M own, inherits H/H/H from svc: integrity two steps
 *            below (under-categorized), confidentiality one (fine)
 *   half2    own C (moderate) only, inherits the rest from svc
 *            (partly, low; C one step below high is fine)
 *   web      L/L/L, depends on net through a link carrying c only
 *   net      no own levels, inherits only C (uncategorized, moderate)
 *   half     own C only, inherits I from web (partly, moderate)
 *   orphan   nothing at all, depends on leaf (uncategorized, high)
 *   leaf     L/L/L; its one dependent is uncategorized
 *   rogue    L/L/L, unauthorized, no owner
 *   adj      an information type adjusted with "tbd" (weak)
 *   adj-ok   adjusted with a real reason; plain: not adjusted
 *   b-tie, a-tie   identical: the same score, a-tie ranked first */
static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
    " \"assets\": [\n"
    "  {\"id\": \"b-tie\", \"name\": \"Tie B\", \"type\": \"server\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"low\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"low\",\n"
    "   \"internet_facing\": true, \"vulnerabilities\": 2,\n"
    "   \"worst_cvss\": 7.5},\n"
    "  {\"id\": \"svc\", \"name\": \"Service\", \"type\": "
    "\"business_service\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"high\", \"integrity\": "
    "\"high\",\n"
    "   \"availability\": \"high\", \"authorized\": true},\n"
    "  {\"id\": \"app\", \"name\": \"App\", \"type\": \"application\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"moderate\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"moderate\"},\n"
    "  {\"id\": \"vm\", \"name\": \"VM\", \"type\": \"virtual_machine\", "
    "\"owner\": \"o@x\",\n"
    "   \"last_patched\": \"2026-05-25\", \"implemented_baseline\": "
    "\"low\"},\n"
    "  {\"id\": \"store\", \"name\": \"Store\", \"type\": \"database\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"moderate\", \"integrity\": \"low\",\n"
    "   \"availability\": \"moderate\"},\n"
    "  {\"id\": \"half2\", \"name\": \"Half 2\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"moderate\"},\n"
    "  {\"id\": \"web\", \"name\": \"Web\", \"type\": \"application\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"net\", \"name\": \"Net\", \"type\": \"network_device\", "
    "\"owner\": \"o@x\"},\n"
    "  {\"id\": \"half\", \"name\": \"Half\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\"},\n"
    "  {\"id\": \"orphan\", \"name\": \"Orphan\", \"type\": \"server\", "
    "\"owner\": \"o@x\"},\n"
    "  {\"id\": \"leaf\", \"name\": \"Leaf\", \"type\": \"server\", "
    "\"owner\": \"o@x\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},\n"
    "  {\"id\": \"rogue\", \"name\": \"Rogue\", \"type\": \"endpoint\",\n"
    "   \"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\",\n"
    "   \"authorized\": false},\n"
    "  {\"id\": \"adj\", \"name\": \"Adjusted\", \"type\": "
    "\"application\", \"owner\": \"o@x\",\n"
    "   \"information_types\": [{\"id\": \"C.2.4.1\", \"confidentiality\": "
    "\"low\",\n"
    "     \"integrity\": \"moderate\", \"availability\": \"moderate\",\n"
    "     \"justification\": \"tbd\"}]},\n"
    "  {\"id\": \"adj-ok\", \"name\": \"Adjusted OK\", \"type\": "
    "\"application\",\n"
    "   \"owner\": \"o@x\", \"information_types\": [{\"id\": \"C.2.4.1\",\n"
    "     \"confidentiality\": \"low\", \"integrity\": \"moderate\",\n"
    "     \"availability\": \"moderate\",\n"
    "     \"justification\": \"Only public summaries are kept here.\"}]},\n"
    "  {\"id\": \"plain\", \"name\": \"Plain\", \"type\": \"application\", "
    "\"owner\": \"o@x\",\n"
    "   \"information_types\": [{\"id\": \"C.2.4.1\"}]},\n"
    "  {\"id\": \"a-tie\", \"name\": \"Tie A\", \"type\": \"server\",\n"
    "   \"owner\": \"o@x\", \"confidentiality\": \"low\",\n"
    "   \"integrity\": \"moderate\", \"availability\": \"low\",\n"
    "   \"internet_facing\": true, \"vulnerabilities\": 2,\n"
    "   \"worst_cvss\": 7.5}\n"
    " ],\n"
    " \"dependencies\": [\n"
    "  {\"from\": \"svc\", \"to\": \"app\", \"type\": \"uses\"},\n"
    "  {\"from\": \"svc\", \"to\": \"store\", \"type\": "
    "\"stores_data_in\"},\n"
    "  {\"from\": \"svc\", \"to\": \"half2\", \"type\": \"uses\"},\n"
    "  {\"from\": \"app\", \"to\": \"vm\", \"type\": \"runs_on\"},\n"
    "  {\"from\": \"web\", \"to\": \"net\", \"type\": \"connects_to\", "
    "\"carries\": \"c\"},\n"
    "  {\"from\": \"web\", \"to\": \"half\", \"type\": \"uses\", "
    "\"carries\": \"i\"},\n"
    "  {\"from\": \"orphan\", \"to\": \"leaf\", \"type\": \"uses\"}\n"
    " ]}\n";

static struct hw_graph *load_inventory(void)
{
	struct hw_error err = {0};
	struct hw_graph *g;

	ck_assert_msg(hw_import_json(fx_st, fx_write("inv.json", inventory), 0,
				     0, NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	g = hw_graph_load(fx_st, &err);
	ck_assert_msg(g != NULL, "%s", err.text);
	return g;
}

static const struct hw_risk_entry *
entry(const struct hw_graph *g, const struct hw_risk_entry *reg, const char *id)
{
	size_t i;

	for (i = 0; i < hw_graph_size(g); i++)
		if (strcmp(hw_graph_id(g, reg[i].node), id) == 0)
			return &reg[i];
	ck_abort_msg("%s not in the register", id);
	return NULL;
}

/* hw_check without the "authorization unknown" findings (tested on
 * their own in test_check_authorization_unknown): the other kinds. */
static int check_others(struct hw_store *st, struct hw_graph *g,
			struct hw_finding **f, size_t *n, struct hw_error *err)
{
	size_t i, k = 0;

	if (hw_check(st, g, f, n, err) < 0)
		return -1;
	for (i = 0; i < *n; i++)
		if ((*f)[i].kind != HW_FIND_AUTH_UNKNOWN)
			(*f)[k++] = (*f)[i];
	*n = k;
	return 0;
}

START_TEST(test_register_order)
{
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g = load_inventory();
	struct hw_risk_entry *reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	const struct hw_risk_entry *a, *b;
	size_t n = hw_graph_size(g), i;
	unsigned char *seen = calloc(n, 1);

	ck_assert_msg(reg != NULL, "%s", err.text);
	ck_assert_ptr_nonnull(seen);
	ck_assert_uint_eq(n, 16);
	for (i = 0; i < n; i++) {
		struct hw_risk r;

		/* Every node once, ranks 1..n, by score then id. */
		ck_assert_uint_lt(reg[i].node, n);
		ck_assert_int_eq(seen[reg[i].node], 0);
		seen[reg[i].node] = 1;
		ck_assert_int_eq(reg[i].rank, (long)i + 1);
		if (i > 0) {
			ck_assert(reg[i - 1].risk.score >= reg[i].risk.score);
			if (reg[i - 1].risk.score == reg[i].risk.score)
				ck_assert_str_lt(
				    hw_graph_id(g, reg[i - 1].node),
				    hw_graph_id(g, reg[i].node));
		}
		/* The entry is the model applied to its input. */
		hw_risk_score(&w, &reg[i].in, &r);
		ck_assert_double_eq_tol(r.score, reg[i].risk.score, 1e-9);
		ck_assert_int_eq(reg[i].in.today, TODAY);
		ck_assert_int_eq(reg[i].estimated, 0);
	}
	/* The tie: L/M/L, internet, 2 vulnerabilities at 7.5:
	 * impact (4 + 4) / 15 = 8/15; likelihood .1 + .25 + .225 + .02 =
	 * .595; no dependents; 100 * 8/15 * .595 * .5 = 15.87 -> 15.9.
	 * a-tie first though b-tie came first in the file. */
	a = entry(g, reg, "a-tie");
	b = entry(g, reg, "b-tie");
	ck_assert_double_eq_tol(a->risk.score, 15.9, 1e-9);
	ck_assert_double_eq_tol(b->risk.score, 15.9, 1e-9);
	ck_assert_int_eq(b->rank, a->rank + 1);
	ck_assert_int_eq(a->in.internet_facing, 1);
	/* svc: H/H/H, nothing depends on it: 100 * 1 * .1 * .5 = 5.0 */
	a = entry(g, reg, "svc");
	ck_assert_double_eq_tol(a->risk.score, 5.0, 1e-9);
	ck_assert(a->in.dependents == 0);
	/* vm: H/H/H inherited; app (H) and svc (H) depend on it, weighted
	 * 3 + 3 = 6; patched 180 days ago (.1 * 180/365 = .0493151);
	 * LOW of HIGH: 2 steps .1.  likelihood .2493151,
	 * blast = log10(7) / log10(10001) = .2112728,
	 * multiplier .6056364, score 100 * .2493151 * .6056364 = 15.1 */
	a = entry(g, reg, "vm");
	ck_assert(a->in.dependents == 2);
	ck_assert(a->in.weighted == 6);
	ck_assert_int_eq(a->risk.gap_steps, 2);
	CLOSE(a->risk.likelihood, 0.2 + 0.1 * 180 / 365);
	CLOSE(a->risk.blast, log10(7) / log10(10001));
	ck_assert_double_eq_tol(a->risk.score, 15.1, 1e-9);
	/* net: one low dependent (web) -> weighted 1; leaf: one
	 * uncategorized (orphan) -> impact.uncategorized, 2. */
	ck_assert(entry(g, reg, "net")->in.weighted == 1);
	ck_assert(entry(g, reg, "leaf")->in.weighted == 2);
	ck_assert_int_eq(
	    entry(g, reg, "rogue")->risk.term[HW_T_UNAUTHORIZED] > 0, 1);
	free(reg);
	/* Another weight for uncategorized: leaf's dependent weighs 3. */
	wset(&w, "impact.uncategorized", "3");
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	ck_assert(entry(g, reg, "leaf")->in.weighted == 3);
	free(reg);
	/* Weights stored in the database are the ones read back. */
	ck_assert_int_eq(FX_TX(hw_store_weight_set(fx_st, "likelihood.internet",
						   "0.5", &err)),
			 0);
	ck_assert_int_eq(hw_store_weights(fx_st, &w, &err), 0);
	CLOSE(w.v[HW_W_INTERNET], 0.5);
	CLOSE(w.v[HW_W_BASE], 0.1);
	ck_assert_int_eq(
	    FX_TX(hw_store_weight_set(fx_st, "band.high", "10", &err)), -1);
	ck_assert_int_eq(FX_TX(hw_store_weight_set(fx_st, "nope", "1", &err)),
			 -1);
	ck_assert_int_eq(hw_store_weights(fx_st, &w, &err), 0);
	CLOSE(w.v[HW_W_BAND_HIGH], 40);
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	/* .1 + .5 + .225 + .02 = .845: 100 * 8/15 * .845 * .5 = 22.5 */
	ck_assert_double_eq_tol(entry(g, reg, "a-tie")->risk.score, 22.5, 1e-9);
	ck_assert_int_eq(entry(g, reg, "a-tie")->rank, 1);
	ck_assert_int_eq(entry(g, reg, "b-tie")->rank, 2);
	free(reg);
	free(seen);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_register_many_ties)
{
	/* 300 identical assets, inserted in reverse id order: ranks go by
	 * id. */
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g;
	struct hw_risk_entry *reg;
	char id[16];
	int i;

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	for (i = 299; i >= 0; i--) {
		struct hw_asset a;

		memset(&a, 0, sizeof a);
		snprintf(id, sizeof id, "t%03d", i);
		a.id = id;
		a.name = id;
		a.type = (char *)"server";
		a.direct = sc3(M, M, M);
		ck_assert_msg(hw_store_asset_put(fx_st, &a, 0, &err) == 0, "%s",
			      err.text);
	}
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	reg = hw_risk_register(fx_st, g, &w, TODAY, &err);
	ck_assert_ptr_nonnull(reg);
	for (i = 0; i < 300; i++) {
		snprintf(id, sizeof id, "t%03d", i);
		ck_assert_str_eq(hw_graph_id(g, reg[i].node), id);
		ck_assert_int_eq(reg[i].rank, i + 1);
		/* M/M/M: (4 + 6) / 15 * .1 * .5 = 3.3 */
		ck_assert_double_eq_tol(reg[i].risk.score, 3.3, 1e-9);
	}
	free(reg);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_register_refuses_closure)
{
	struct hw_error err = {0};
	struct hw_weights w = defaults();
	struct hw_graph *g = load_inventory(), *part;
	struct hw_finding *f = NULL;
	const char *id = "vm";
	size_t n = 0;

	hw_graph_free(g);
	part = hw_graph_load_up(fx_st, &id, 1, 1000, &err);
	ck_assert_ptr_nonnull(part);
	ck_assert_int_eq(hw_graph_is_closure(part), 1);
	ck_assert_ptr_null(hw_risk_register(fx_st, part, &w, TODAY, &err));
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_check(fx_st, part, &f, &n, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_graph_free(part);
}
END_TEST

START_TEST(test_check_findings)
{
	static const struct {
		enum hw_severity sev;
		enum hw_finding_kind kind;
		const char *asset, *detail;
	} want[] = {
	    /* Partly categorized, at least LOW: the baseline may be two
	     * steps short. */
	    {HW_SEV_HIGH, HW_FIND_LOWER_BOUND, "half",
	     "no availability level, even inherited: partly categorized, "
	     "baseline at least LOW"},
	    {HW_SEV_HIGH, HW_FIND_LOWER_BOUND, "net",
	     "no integrity, availability level, even inherited: partly "
	     "categorized, baseline at least LOW"},
	    {HW_SEV_HIGH, HW_FIND_UNCATEGORIZED, "orphan",
	     "no own confidentiality, integrity, availability level; "
	     "nothing inherited either"},
	    {HW_SEV_HIGH, HW_FIND_UNAUTHORIZED, "rogue",
	     "nobody approved it into production"},
	    {HW_SEV_MODERATE, HW_FIND_PARTIAL, "half",
	     "no own integrity, availability level; inherits only some"},
	    {HW_SEV_MODERATE, HW_FIND_UNCATEGORIZED, "net",
	     "no own confidentiality, integrity, availability level; "
	     "inherits only some"},
	    {HW_SEV_MODERATE, HW_FIND_NO_OWNER, "rogue",
	     "nobody owns it, so nobody is notified of changes"},
	    {HW_SEV_MODERATE, HW_FIND_UNDER_CATEGORIZED, "store",
	     "own integrity low but it inherits high from svc: likely "
	     "mis-categorized"},
	    {HW_SEV_LOW, HW_FIND_WEAK_JUSTIFICATION, "adj",
	     "information type C.2.4.1 adjusted with the justification "
	     "\"tbd\""},
	    {HW_SEV_LOW, HW_FIND_PARTIAL, "half2",
	     "no own integrity, availability level; inherits all three"},
	    {HW_SEV_LOW, HW_FIND_UNCATEGORIZED, "vm",
	     "no own confidentiality, integrity, availability level; "
	     "inherits all three"},
	};
	struct hw_error err = {0};
	struct hw_graph *g = load_inventory();
	struct hw_finding *f = NULL;
	size_t n = 0, i;

	ck_assert_msg(check_others(fx_st, g, &f, &n, &err) == 0, "%s", err.text);
	for (i = 0; i < n && i < sizeof want / sizeof want[0]; i++)
		ck_assert_msg(
		    f[i].severity == want[i].sev && f[i].kind == want[i].kind &&
			strcmp(hw_graph_id(g, f[i].node), want[i].asset) == 0 &&
			strcmp(f[i].detail, want[i].detail) == 0,
		    "finding %zu: %s %s %s: %s; want %s %s %s: %s", i,
		    hw_severity_name(f[i].severity), hw_finding_name(f[i].kind),
		    hw_graph_id(g, f[i].node), f[i].detail,
		    hw_severity_name(want[i].sev),
		    hw_finding_name(want[i].kind), want[i].asset,
		    want[i].detail);
	ck_assert_uint_eq(n, sizeof want / sizeof want[0]);
	free(f);
	hw_graph_free(g);
	ck_assert_str_eq(hw_severity_name(HW_SEV_MODERATE), "moderate");
	ck_assert_str_eq(hw_finding_name(HW_FIND_UNDER_CATEGORIZED),
			 "under-categorized");
	ck_assert_str_eq(hw_finding_name(HW_FIND_PARTIAL), "incomplete levels");
	ck_assert_str_eq(hw_finding_name(HW_FIND_LOWER_BOUND),
			 "partly categorized");
}
END_TEST

START_TEST(test_check_missing_levels_severity)
{
	/* The severity of an uncategorized or partly categorized asset
	 * depends on what inheritance gives the objectives it has no own
	 * level for: nothing (high), some (moderate), all (low).  Each pN
	 * has an own confidentiality only, each uN nothing; dN (L/L/L)
	 * depends on them through a link carrying what is shown.
	 *   p0, u0   nothing depends on them            high
	 *   p1       d1 carries c: I and A get nothing  high
	 *   p2, u2   d2 carries i: I, not A             moderate
	 *   p3, u3   d3 carries cia: I and A            low */
	static const char text[] =
	    "{\"format\": \"highwater-inventory\", \"version\": 1,\n"
	    " \"assets\": [\n"
	    "  {\"id\": \"p0\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p1\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"p3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\"},\n"
	    "  {\"id\": \"u0\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"u2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"u3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\"},\n"
	    "  {\"id\": \"d1\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"},\n"
	    "  {\"id\": \"d2\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"},\n"
	    "  {\"id\": \"d3\", \"name\": \"x\", \"type\": \"server\", "
	    "\"owner\": \"o\", \"confidentiality\": \"low\", \"integrity\": "
	    "\"low\", \"availability\": \"low\"}\n"
	    " ],\n"
	    " \"dependencies\": [\n"
	    "  {\"from\": \"d1\", \"to\": \"p1\", \"type\": \"uses\", "
	    "\"carries\": \"c\"},\n"
	    "  {\"from\": \"d2\", \"to\": \"p2\", \"type\": \"uses\", "
	    "\"carries\": \"i\"},\n"
	    "  {\"from\": \"d2\", \"to\": \"u2\", \"type\": \"uses\", "
	    "\"carries\": \"i\"},\n"
	    "  {\"from\": \"d3\", \"to\": \"p3\", \"type\": \"uses\"},\n"
	    "  {\"from\": \"d3\", \"to\": \"u3\", \"type\": \"uses\"}\n"
	    " ]}\n";
	static const struct {
		const char *asset;
		enum hw_severity sev;
		const char *detail;
	} want[] = {
	    {"p0", HW_SEV_HIGH,
	     "no own integrity, availability level; nothing inherited "
	     "either"},
	    {"p1", HW_SEV_HIGH,
	     "no own integrity, availability level; nothing inherited "
	     "either"},
	    {"u0", HW_SEV_HIGH,
	     "no own confidentiality, integrity, availability level; "
	     "nothing inherited either"},
	    {"p2", HW_SEV_MODERATE,
	     "no own integrity, availability level; inherits only some"},
	    {"u2", HW_SEV_MODERATE,
	     "no own confidentiality, integrity, availability level; "
	     "inherits only some"},
	    {"p3", HW_SEV_LOW,
	     "no own integrity, availability level; inherits all three"},
	    {"u3", HW_SEV_LOW,
	     "no own confidentiality, integrity, availability level; "
	     "inherits all three"},
	};
	struct hw_error err = {0};
	struct hw_graph *g;
	struct hw_finding *f = NULL;
	size_t n = 0, i, k, bad = 0;
	char got[2048] = "", bounds[64] = "";

	ck_assert_msg(hw_import_json(fx_st, fx_write("m.json", text), 0, 0,
				     NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(check_others(fx_st, g, &f, &n, &err), 0);
	/* The lower bounds (p0, p1, p2, u2: some objective without a
	 * level even inherited, LOW the highest known) apart; the rest
	 * in order. */
	for (i = k = 0; i < n; i++) {
		snprintf(got + strlen(got), sizeof got - strlen(got),
			 "\n  %s %s %s: %s", hw_severity_name(f[i].severity),
			 hw_finding_name(f[i].kind), hw_graph_id(g, f[i].node),
			 f[i].detail);
		if (f[i].kind == HW_FIND_LOWER_BOUND) {
			snprintf(bounds + strlen(bounds),
				 sizeof bounds - strlen(bounds), "%s%s",
				 bounds[0] ? " " : "",
				 hw_graph_id(g, f[i].node));
			bad |= f[i].severity != HW_SEV_HIGH;
			continue;
		}
		f[k++] = f[i];
	}
	bad |= strcmp(bounds, "p0 p1 p2 u2") != 0;
	/* Every other finding is the one wanted, in order. */
	if (k != sizeof want / sizeof want[0])
		bad = 1;
	for (i = 0; !bad && i < k; i++)
		bad = f[i].severity != want[i].sev ||
		      f[i].kind != (want[i].asset[0] == 'p'
					? HW_FIND_PARTIAL
					: HW_FIND_UNCATEGORIZED) ||
		      strcmp(hw_graph_id(g, f[i].node), want[i].asset) != 0 ||
		      strcmp(f[i].detail, want[i].detail) != 0;
	free(f);
	hw_graph_free(g);
	ck_assert_msg(!bad, "findings:%s", got);
}
END_TEST

START_TEST(test_check_weak_justifications)
{
	/* Placeholders and short texts are weak; a real reason is not. */
	static const struct {
		const char *text;
		int weak;
	} cases[] = {
	    {"tbd", 1},
	    {"TODO", 1},
	    {"n/a", 1},
	    {"  fixme.  ", 1},
	    {"see ticket", 0},
	    {"too short", 1},
	    {"Only public summaries.", 0},
	};
	struct hw_error err = {0};
	size_t k;

	for (k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		char text[600];
		struct hw_graph *g;
		struct hw_finding *f = NULL;
		size_t n = 0, i, weak = 0;

		snprintf(text, sizeof text,
			 "{\"format\": \"highwater-inventory\", \"version\": "
			 "1, \"assets\": [{\"id\": \"a%zu\", \"name\": \"A\", "
			 "\"type\": \"application\", \"owner\": \"o\", "
			 "\"information_types\": [{\"id\": \"C.2.4.1\", "
			 "\"confidentiality\": \"high\", \"integrity\": "
			 "\"moderate\", \"availability\": \"moderate\", "
			 "\"justification\": \"%s\"}]}]}",
			 k, cases[k].text);
		ck_assert_msg(hw_import_json(fx_st, fx_write("j.json", text), 1,
					     0, NULL, NULL, NULL, &err) == 0,
			      "%s", err.text);
		g = hw_graph_load(fx_st, &err);
		ck_assert_ptr_nonnull(g);
		ck_assert_int_eq(check_others(fx_st, g, &f, &n, &err), 0);
		for (i = 0; i < n; i++)
			weak += f[i].kind == HW_FIND_WEAK_JUSTIFICATION;
		ck_assert_msg(weak == (size_t)cases[k].weak,
			      "\"%s\": %zu weak findings", cases[k].text, weak);
		ck_assert_uint_eq(n, weak); /* nothing else is wrong */
		free(f);
		hw_graph_free(g);
	}
}
END_TEST

/* Import a two-asset inventory (replacing what is there): a (C high,
 * authorized) runs on b, whose own confidentiality is bc. */
static void two_assets(const char *bc)
{
	struct hw_error err = {0};
	char text[800];

	snprintf(text, sizeof text,
		 "{\"format\": \"highwater-inventory\", \"version\": 1, "
		 "\"assets\": [{\"id\": \"a\", \"name\": \"A\", \"type\": "
		 "\"application\", \"owner\": \"o\", \"confidentiality\": "
		 "\"high\", \"integrity\": \"low\", \"availability\": "
		 "\"low\", \"authorized\": true}, {\"id\": \"b\", \"name\": "
		 "\"B\", \"type\": \"server\", \"owner\": \"o\", "
		 "\"confidentiality\": \"%s\", \"integrity\": "
		 "\"moderate\", \"availability\": \"low\"}], "
		 "\"dependencies\": [{\"from\": \"a\", \"to\": \"b\", "
		 "\"type\": \"runs_on\"}]}",
		 bc);
	ck_assert_msg(hw_import_json(fx_st, fx_write("two.json", text), 1, 0,
				     NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
}

START_TEST(test_check_clean)
{
	struct hw_error err = {0};
	struct hw_graph *g;
	struct hw_finding *f = NULL;
	size_t n = 99;

	/* An empty inventory: no findings. */
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(f);
	hw_graph_free(g);
	/* A clean one: b's own C moderate, one step below the high it
	 * inherits, is no finding. */
	two_assets("moderate");
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	n = 99;
	f = NULL;
	ck_assert_int_eq(check_others(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(f);
	hw_graph_free(g);
	/* b's own C low: two steps, under-categorized. */
	two_assets("low");
	g = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(g);
	n = 99;
	ck_assert_int_eq(check_others(fx_st, g, &f, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(f[0].kind, HW_FIND_UNDER_CATEGORIZED);
	ck_assert_int_eq(f[0].severity, HW_SEV_MODERATE);
	ck_assert_str_eq(hw_graph_id(g, f[0].node), "b");
	ck_assert_str_eq(f[0].detail, "own confidentiality low but it inherits "
				      "high from a: likely mis-categorized");
	free(f);
	hw_graph_free(g);
	/* Severity names parse, in any case and short. */
	{
		enum hw_severity s = 0;

		ck_assert_int_eq(hw_severity_parse("high", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_HIGH);
		ck_assert_int_eq(hw_severity_parse("Moderate", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_MODERATE);
		ck_assert_int_eq(hw_severity_parse("l", &s, &err), 0);
		ck_assert_int_eq(s, HW_SEV_LOW);
		ck_assert_int_eq(hw_severity_parse("bogus", &s, &err), -1);
		ck_assert_int_eq(hw_severity_parse("na", &s, &err), -1);
		ck_assert_int_eq(hw_severity_parse(NULL, &s, &err), -1);
		ck_assert_int_eq(s, HW_SEV_LOW);
	}
}
END_TEST

START_TEST(test_check_authorization_unknown)
{
	struct hw_error err = {0};
	struct hw_graph *g = load_inventory();
	struct hw_finding *f = NULL;
	size_t n = 0, i, unknown = 0;
	int seen_svc = 0, seen_rogue = 0, seen_vm = 0;

	/* svc says authorized: true, rogue false, vm nothing. */
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	for (i = 0; i < n; i++) {
		const char *id = hw_graph_id(g, f[i].node);

		if (f[i].kind != HW_FIND_AUTH_UNKNOWN)
			continue;
		unknown++;
		ck_assert_int_eq(f[i].severity, HW_SEV_LOW);
		ck_assert_str_eq(f[i].detail,
				 "nobody recorded whether it is authorized into "
				 "production (asset authorize)");
		seen_svc |= strcmp(id, "svc") == 0;
		seen_rogue |= strcmp(id, "rogue") == 0;
		seen_vm |= strcmp(id, "vm") == 0;
	}
	ck_assert(!seen_svc);
	ck_assert(!seen_rogue); /* authorized: false is its own finding */
	ck_assert(seen_vm);
	free(f);
	/* outside a transaction: refused, and nothing written unaudited */
	{
		struct hw_asset a;

		ck_assert_int_eq(hw_store_asset_authorize(fx_st, "vm", &err),
				 -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(hw_store_asset_get(fx_st, "vm", &a, &err), 0);
		ck_assert(!(a.factors.known & HW_F_BIT(HW_F_AUTHORIZED)));
		hw_asset_release(&a);
	}
	/* authorize vm: one finding fewer, by the actor, now */
	ck_assert_int_eq(hw_store_set_actor(fx_st, "carol", &err), 0);
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_authorize(fx_st, "vm", &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	ck_assert_int_eq(hw_check(fx_st, g, &f, &n, &err), 0);
	for (i = 0; i < n; i++) {
		ck_assert(f[i].kind != HW_FIND_AUTH_UNKNOWN ||
			  strcmp(hw_graph_id(g, f[i].node), "vm") != 0);
		unknown -= f[i].kind == HW_FIND_AUTH_UNKNOWN;
	}
	ck_assert_uint_eq(unknown, 1);
	free(f);
	{
		struct hw_asset a;
		hw_time now = hw_time_now();

		ck_assert_int_eq(hw_store_asset_get(fx_st, "vm", &a, &err), 0);
		ck_assert(a.factors.known & HW_F_BIT(HW_F_AUTHORIZED));
		ck_assert_int_eq(a.factors.authorized, 1);
		ck_assert_str_eq(a.authorized_by, "carol");
		ck_assert(a.authorized_at <= now && a.authorized_at > now - 60);
		/* asset set keeps them while authorized; no clears them */
		ck_assert_int_eq(hw_factor_set(&a.factors, "vulnerabilities",
					       "2", &err),
				 0);
		ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 1, &err)), 0);
		hw_asset_release(&a);
		ck_assert_int_eq(hw_store_asset_get(fx_st, "vm", &a, &err), 0);
		ck_assert_str_eq(a.authorized_by, "carol");
		ck_assert_int_eq(hw_factor_set(&a.factors, "authorized", "no",
					       &err),
				 0);
		ck_assert_int_eq(FX_TX(hw_store_asset_put(fx_st, &a, 1, &err)), 0);
		hw_asset_release(&a);
		ck_assert_int_eq(hw_store_asset_get(fx_st, "vm", &a, &err), 0);
		ck_assert_ptr_null(a.authorized_by);
		ck_assert_int_eq(a.authorized_at, 0);
		hw_asset_release(&a);
	}
	/* an unknown asset */
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_authorize(fx_st, "nope", &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	hw_store_rollback(fx_st);
	hw_graph_free(g);
}
END_TEST

static Suite *register_suite(void)
{
	Suite *s = suite_create("register");
	TCase *store = tcase_create("store");

	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_register_order);
	tcase_add_test(store, test_register_many_ties);
	tcase_add_test(store, test_register_refuses_closure);
	tcase_add_test(store, test_check_findings);
	tcase_add_test(store, test_check_missing_levels_severity);
	tcase_add_test(store, test_check_weak_justifications);
	tcase_add_test(store, test_check_clean);
	tcase_add_test(store, test_check_authorization_unknown);
	tcase_set_timeout(store, 60);
	suite_add_tcase(s, store);
	return s;
}

int main(void)
{
	return fx_run(register_suite());
}
