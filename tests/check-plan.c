/*
 * check-plan.c: every action rule of the protection plan (plan.c), its
 * order and its gains.
 */
#include "fixture-risk.h"

/* ------------------------------------------------------------------ */
/* Protection plan actions                                             */

struct plan {
	struct hw_risk r;
	struct hw_action a[HW_ACT_COUNT];
	size_t n;
};

static struct plan plan(const struct hw_weights *w,
			const struct hw_risk_input *in,
			const struct hw_sc *own, int has_owner,
			const struct hw_baselines *b)
{
	struct plan p;

	memset(&p, 0, sizeof p);
	hw_risk_score(w, in, &p.r);
	p.n = hw_plan_actions(w, in, &p.r, own, has_owner, b, p.a);
	ck_assert_uint_le(p.n, HW_ACT_COUNT);
	return p;
}

/* The action of kind k in p, or NULL. */
static const struct hw_action *find(const struct plan *p,
				    enum hw_action_kind k)
{
	size_t i;

	for (i = 0; i < p->n; i++)
		if (p->a[i].kind == k)
			return &p->a[i];
	return NULL;
}

/* An asset that needs nothing: categorized, owned, authorized, no open
 * vulnerabilities, patched 10 days ago, internal, supported until 2030,
 * the MODERATE baseline it requires in place. */
static struct hw_risk_input clean(void)
{
	struct hw_risk_input in = input(M, M, L);

	fset(&in.factors, "vulnerabilities", "0");
	fset(&in.factors, "worst_cvss", "9.9");
	fset(&in.factors, "last_patched", "2026-11-11");
	fset(&in.factors, "end_of_life", "2030-01-01");
	fset(&in.factors, "authorized", "yes");
	fset(&in.factors, "implemented_baseline", "moderate");
	in.factors.fragility = 0;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	in.dependents = 3;
	in.weighted = 6;
	return in;
}

START_TEST(test_plan_nothing_to_do)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_risk_input in = clean();
	struct hw_sc own = sc3(M, L, L);
	struct plan p = plan(&w, &in, &own, 1, &b);

	ck_assert_uint_eq(p.n, 0);
	/* Patched 90 days ago is not yet overdue (more than 90 is). */
	in.factors.last_patched = TODAY - 90;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 0);
	/* More baseline than required: nothing to raise. */
	fset(&in.factors, "implemented_baseline", "high");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 0);
	/* Uncategorized with no baseline recorded: categorize only, no
	 * baseline action (nothing is known to be required). */
	in.effective = sc3(N, N, N);
	fset(&in.factors, "implemented_baseline", "");
	own = sc3(N, N, N);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for confidentiality, integrity, "
			 "availability: set levels or assign information "
			 "types");
	/* Partly categorized (at least MODERATE): completing the
	 * categorization comes first, then the lower bound's baseline. */
	in.effective = sc3(N, M, L);
	own = sc3(N, M, L);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 2);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_str_eq(p.a[0].reason,
			 "partly categorized, baseline at least MODERATE: no "
			 "level for confidentiality, even inherited: set levels "
			 "or assign information types");
	ck_assert_int_eq(p.a[1].kind, HW_ACT_BASELINE);
	ck_assert_str_eq(p.a[1].reason,
			 "implemented baseline not recorded: at least MODERATE "
			 "required (287 controls); record what is in place");
	hw_baselines_release(&b);
}
END_TEST

START_TEST(test_plan_each_rule)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_sc own = sc3(M, M, L), none = sc3(N, N, N);
	struct hw_risk_input in;
	const struct hw_action *a;
	struct plan p;

	/* categorize: some own level missing (inheritance does not
	 * count); a prerequisite, gain 0. */
	in = clean();
	p = plan(&w, &in, &none, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	CLOSE(p.a[0].gain, 0);
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for confidentiality, integrity, "
			 "availability: set levels or assign information "
			 "types");
	/* owner */
	p = plan(&w, &in, &own, 0, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_OWNER);
	CLOSE(p.a[0].gain, 0);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_ptr_null(find(&p, HW_ACT_OWNER));
	/* authorize: authorized=no; not when yes or unknown */
	fset(&in.factors, "authorized", "no");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_AUTHORIZE);
	ck_assert_str_eq(p.a[0].reason, "nobody approved it into production");
	ck_assert(p.a[0].gain > 0);
	fset(&in.factors, "authorized", "");
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* patch, for open vulnerabilities, with and without a CVSS */
	in = clean();
	fset(&in.factors, "vulnerabilities", "1");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_PATCH);
	ck_assert_str_eq(p.a[0].reason,
			 "1 known vulnerability, worst CVSS 9.9");
	fset(&in.factors, "vulnerabilities", "3");
	fset(&in.factors, "worst_cvss", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_str_eq(p.a[0].reason,
			 "3 known vulnerabilities (CVSS not recorded)");
	/* patch, for age: more than plan.patch_overdue_days (90) ago */
	in = clean();
	in.factors.last_patched = TODAY - 91;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_PATCH);
	ck_assert_str_eq(p.a[0].reason, "last patched 2026-08-22, 91 days ago");
	in.factors.known &= ~HW_F_BIT(HW_F_VULNERABILITIES); /* no count */
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_ptr_nonnull(find(&p, HW_ACT_PATCH));
	in.factors.last_patched = TODAY - 31;
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	{
		struct hw_weights w2 = w;

		wset(&w2, "plan.patch_overdue_days", "30");
		p = plan(&w2, &in, &own, 1, &b);
		ck_assert_uint_eq(p.n, 1);
		ck_assert_str_eq(p.a[0].reason,
				 "last patched 2026-10-21, 31 days ago");
	}
	in.factors.known &= ~HW_F_BIT(HW_F_LAST_PATCHED); /* never */
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* exposure */
	in = clean();
	in.internet_facing = 1;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_EXPOSURE);
	ck_assert_str_eq(p.a[0].reason, "reachable from the internet");
	/* end of life: on or after the date */
	in = clean();
	fset(&in.factors, "end_of_life", "2026-11-21");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_EOL);
	ck_assert_str_eq(p.a[0].reason,
			 "end of life since 2026-11-21: no more fixes");
	fset(&in.factors, "end_of_life", "2026-11-22");
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* fragile */
	in = clean();
	in.factors.fragility = 0.4;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_FRAGILE);
	ck_assert_str_eq(p.a[0].reason,
			 "fragility 0.40 from failed changes and incidents; "
			 "downtime cost not recorded");
	/* with its inputs and the downtime cost */
	in.frag.changes = 4;
	in.frag.failed = 2;
	in.frag.incidents = 1;
	in.frag.repaired = 1;
	in.frag.repair_hours = 6.5;
	fset(&in.factors, "downtime_cost", "1200");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "fragility 0.40 from failed changes and incidents: 2 "
			 "of 4 changes failed or backed out, 1 incident, 6.5 h "
			 "mean time to repair; downtime costs 1200.00 an hour");
	/* 2 changes are below fragility.min_changes: no rate named */
	in.frag.changes = 2;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "fragility 0.40 from failed changes and incidents: 1 "
			 "incident, 6.5 h mean time to repair; downtime costs "
			 "1200.00 an hour");
	/* below plan.fragile (0.25): no action, though the term counts */
	in.factors.fragility = 0.24;
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 0);
	ck_assert(p.r.term[HW_T_FRAGILITY] > 0);
	in.factors.fragility = 0.25;
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 1);
	in.factors.known &= ~HW_F_BIT(HW_F_FRAGILITY);
	ck_assert_uint_eq(plan(&w, &in, &own, 1, &b).n, 0);
	/* raise baseline: recorded below the requirement, with the
	 * controls by family (counted from the CSV). */
	in = clean();
	in.effective = sc3(H, M, L);
	fset(&in.factors, "implemented_baseline", "low");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_BASELINE);
	ck_assert_str_eq(p.a[0].reason,
			 "from LOW to HIGH: 221 controls (AC 35, AT 1, AU 15, "
			 "CA 6, CM 23, CP 29, IA 10, IR 11, MA 8, MP 6, PE 15, "
			 "PL 1, PS 1, RA 3, SA 12, SC 20, SI 22, SR 3)");
	ck_assert(p.a[0].gain > 0);
	fset(&in.factors, "implemented_baseline", "moderate");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "from MODERATE to HIGH: 83 controls (AC 7, AU 9, CA 4, "
			 "CM 8, CP 12, IA 2, IR 5, MA 3, MP 3, PE 7, PS 1, RA 1, "
			 "SA 4, SC 5, SI 10, SR 2)");
	fset(&in.factors, "implemented_baseline", "none");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "from NONE to HIGH: 370 controls (AC 46, AT 6, AU 25, "
			 "CA 14, CM 32, CP 35, IA 26, IR 18, MA 12, MP 10, PE 25, "
			 "PL 7, PS 10, RA 11, SA 21, SC 30, SI 28, SR 14)");
	/* Without the catalogue the action still fires. */
	p = plan(&w, &in, &own, 1, NULL);
	ck_assert_ptr_nonnull(find(&p, HW_ACT_BASELINE));
	/* raise baseline, unrecorded: a gain-0 action to record it */
	fset(&in.factors, "implemented_baseline", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 1);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_BASELINE);
	CLOSE(p.a[0].gain, 0);
	ck_assert_str_eq(p.a[0].reason,
			 "implemented baseline not recorded: HIGH required "
			 "(370 controls); record what is in place");
	in.effective = sc3(L, L, L);
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_str_eq(p.a[0].reason,
			 "implemented baseline not recorded: LOW required "
			 "(149 controls); record what is in place");
	ck_assert_str_eq(hw_action_name(HW_ACT_BASELINE), "raise baseline");
	ck_assert_str_eq(hw_action_name(HW_ACT_COUNT), "?");
	a = find(&p, HW_ACT_BASELINE);
	ck_assert_ptr_nonnull(a);
	hw_baselines_release(&b);
}
END_TEST

/* The score after the action's terms are gone: remove the factor the
 * action addresses from the input and score again. */
static double score_after(const struct hw_weights *w,
			  const struct hw_risk_input *in0,
			  enum hw_action_kind k)
{
	struct hw_risk_input in = *in0;

	switch (k) {
	case HW_ACT_AUTHORIZE:
		in.factors.authorized = 1;
		break;
	case HW_ACT_PATCH:
		in.factors.vulnerabilities = 0;
		in.factors.last_patched = in.today;
		break;
	case HW_ACT_EXPOSURE:
		in.internet_facing = 0;
		break;
	case HW_ACT_EOL:
		in.factors.known &= ~HW_F_BIT(HW_F_END_OF_LIFE);
		break;
	case HW_ACT_FRAGILE:
		in.factors.fragility = 0;
		break;
	case HW_ACT_BASELINE:
		in.factors.baseline = score(w, &in).required;
		break;
	default:
		break;
	}
	return score(w, &in).score;
}

static void expect_gains(const struct hw_weights *w,
			 const struct hw_risk_input *in, const struct plan *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		double want = p->a[i].kind <= HW_ACT_OWNER
				  ? 0
				  : round(10 * (p->r.score -
						score_after(w, in, p->a[i].kind))) /
					10;

		ck_assert_msg(fabs(p->a[i].gain - want) < 1e-9,
			      "%s: gain %.3f, score difference %.3f",
			      hw_action_name(p->a[i].kind), p->a[i].gain, want);
	}
}

START_TEST(test_plan_order_and_gains)
{
	struct hw_weights w = defaults();
	struct hw_baselines b = baselines();
	struct hw_sc own = sc3(H, N, N);
	struct hw_risk_input in = input(H, H, H);
	static const enum hw_action_kind want[] = {
	    HW_ACT_CATEGORIZE, HW_ACT_OWNER, HW_ACT_EXPOSURE, HW_ACT_AUTHORIZE,
	    HW_ACT_EOL,	       HW_ACT_PATCH, HW_ACT_BASELINE, HW_ACT_FRAGILE};
	static const double gains[] = {0, 0, 12.5, 10.0, 10.0, 6.0, 2.5, 1.5};
	struct plan p;
	size_t i;

	/* impact 1, multiplier .5: score = 50 x likelihood
	 * .1 + internet .25 + cvss .3 * 3.0/10 = .09 + 1 vulnerability .01
	 * + patched 73 days ago .02 + end of life .2 + unauthorized .2
	 * + MODERATE of HIGH .05 + fragility .15 * .2 = .03 = .95 -> 47.5
	 * gains: exposure .25 -> 12.5; authorize .2 and end of life .2 ->
	 * 10.0 each (tie: by kind, authorize first); patch .12 -> 6.0;
	 * baseline .05 -> 2.5; fragility .03 -> 1.5.  Categorize and
	 * owner first as prerequisites. */
	in.internet_facing = 1;
	fset(&in.factors, "vulnerabilities", "1");
	fset(&in.factors, "worst_cvss", "3.0");
	fset(&in.factors, "last_patched", "2026-09-09");
	fset(&in.factors, "end_of_life", "2026-11-11");
	fset(&in.factors, "authorized", "no");
	fset(&in.factors, "implemented_baseline", "moderate");
	in.factors.fragility = 0.2;
	in.factors.known |= HW_F_BIT(HW_F_FRAGILITY);
	w.v[HW_W_PLAN_FRAGILE] = 0.2; /* stabilise from 0.2 */
	p = plan(&w, &in, &own, 0, &b);
	CLOSE(p.r.likelihood, 0.95);
	SCORE(p.r, 47.5);
	ck_assert_uint_eq(p.n, 8);
	for (i = 0; i < p.n; i++) {
		ck_assert_msg(p.a[i].kind == want[i], "action %zu is %s, want %s",
			      i, hw_action_name(p.a[i].kind),
			      hw_action_name(want[i]));
		ck_assert_double_eq_tol(p.a[i].gain, gains[i], 1e-9);
	}
	ck_assert_str_eq(p.a[0].reason,
			 "no own level for integrity, availability: set levels "
			 "or assign information types");
	ck_assert_str_eq(p.a[4].reason,
			 "end of life since 2026-11-11: no more fixes");
	ck_assert_str_eq(p.a[5].reason, "1 known vulnerability, worst CVSS 3.0");
	ck_assert_str_eq(p.a[7].reason,
			 "fragility 0.20 from failed changes and incidents; "
			 "downtime cost not recorded");
	expect_gains(&w, &in, &p);
	/* The unrecorded baseline is worth 0: after every valued action. */
	fset(&in.factors, "implemented_baseline", "");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert_uint_eq(p.n, 7);
	ck_assert_int_eq(p.a[0].kind, HW_ACT_CATEGORIZE);
	ck_assert_int_eq(p.a[1].kind, HW_ACT_EXPOSURE);
	ck_assert_int_eq(p.a[5].kind, HW_ACT_FRAGILE);
	ck_assert_int_eq(p.a[6].kind, HW_ACT_BASELINE);
	CLOSE(p.a[6].gain, 0);
	/* Gains are score differences, also under the cap: with 10
	 * vulnerabilities at CVSS 10 the terms sum to .1 + .25 + .3 + .1 +
	 * .02 + .2 + .2 + .03 = 1.2, capped at 1 (score 50.0).  Removing
	 * unauthorized, end of life or fragility leaves 1 or more: gain
	 * 0; exposure leaves .95: 2.5; patch (.42) leaves .78: 11.0.
	 * Ties go by kind. */
	fset(&in.factors, "vulnerabilities", "10");
	fset(&in.factors, "worst_cvss", "10");
	p = plan(&w, &in, &own, 1, &b);
	SCORE(p.r, 50.0);
	expect_gains(&w, &in, &p);
	{
		static const enum hw_action_kind capped[] = {
		    HW_ACT_CATEGORIZE, HW_ACT_PATCH, HW_ACT_EXPOSURE,
		    HW_ACT_AUTHORIZE,  HW_ACT_EOL,   HW_ACT_FRAGILE,
		    HW_ACT_BASELINE};
		static const double cgains[] = {0, 11.0, 2.5, 0, 0, 0, 0};

		ck_assert_uint_eq(p.n, 7);
		for (i = 0; i < p.n; i++) {
			ck_assert_int_eq(p.a[i].kind, capped[i]);
			ck_assert_double_eq_tol(p.a[i].gain, cgains[i], 1e-9);
		}
	}
	for (i = 2; i + 1 < p.n; i++) {
		ck_assert(p.a[i].gain >= p.a[i + 1].gain);
		if (p.a[i].gain == p.a[i + 1].gain)
			ck_assert_int_lt(p.a[i].kind, p.a[i + 1].kind);
	}
	/* With dependents and other weights too. */
	in.weighted = 300;
	fset(&in.factors, "vulnerabilities", "2");
	fset(&in.factors, "worst_cvss", "3.0");
	fset(&in.factors, "implemented_baseline", "low");
	wset(&w, "likelihood.internet", "0.1");
	p = plan(&w, &in, &own, 1, &b);
	ck_assert(p.r.likelihood < 1);
	expect_gains(&w, &in, &p);
	hw_baselines_release(&b);
}
END_TEST

static Suite *plan_suite(void)
{
	Suite *s = suite_create("plan");
	TCase *pl = tcase_create("plan");

	tcase_add_test(pl, test_plan_nothing_to_do);
	tcase_add_test(pl, test_plan_each_rule);
	tcase_add_test(pl, test_plan_order_and_gains);
	suite_add_tcase(s, pl);
	return s;
}

int main(void)
{
	return fx_run(plan_suite());
}
