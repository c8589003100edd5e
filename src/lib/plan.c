/*
 * plan.c: the protection plan (DESIGN.md "Protection plan"): per asset
 * the actions that close its gap, most valuable first, and the control
 * gap between the baseline it requires and the one it has; over the
 * register, the plan's summary (assets by band, level and baseline, the
 * controls to add by family).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

const char *hw_action_name(enum hw_action_kind k)
{
	static const char *const names[HW_ACT_COUNT] = {
	    "categorize", "assign owner", "authorize or remove", "patch",
	    "reduce exposure", "replace end of life", "stabilise",
	    "raise baseline"};

	return (unsigned)k < HW_ACT_COUNT ? names[k] : "?";
}

/* Score points an action removes: the score without those terms. */
static double gain(const struct hw_risk *r, const enum hw_term *drop,
		   size_t ndrop)
{
	double t[HW_T_COUNT];
	size_t i;

	memcpy(t, r->term, sizeof t);
	for (i = 0; i < ndrop; i++)
		t[drop[i]] = 0;
	return round((r->score - hw_risk_rescore(r, t)) * 10) / 10;
}

/* The families a baseline raise brings, "AC 12, AU 9, ...", named by
 * their first control id's prefix, in catalogue order. */
static void families(const struct hw_baselines *b, int from, int to,
		     char *buf, size_t size)
{
	struct hw_baseline_pairs p = {{{0}}};
	struct hw_family_gap fam[HW_FAMILIES_MAX];
	size_t i, k, nfam, len = 0;

	buf[0] = '\0';
	p.n[from][to] = 1;
	nfam = hw_baselines_families(b, &p, fam);
	for (i = 0; i < nfam; i++) {
		char code[8];

		if (fam[i].controls == 0)
			continue;
		for (k = 0; k + 1 < sizeof code && fam[i].first[k] &&
			    fam[i].first[k] != '-';
		     k++)
			code[k] = (char)(fam[i].first[k] >= 'a' &&
						 fam[i].first[k] <= 'z'
					     ? fam[i].first[k] - 'a' + 'A'
					     : fam[i].first[k]);
		code[k] = '\0';
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %zu",
						len ? ", " : "", code,
						fam[i].controls);
	}
}

/* "fragility 0.40 from failed changes and incidents: 2 of 4 changes
 * failed or backed out, 3 incidents, 6.5 h to repair; downtime costs
 * 1200.00 an hour": the value, the inputs with data, the cost. */
static void fragile_reason(const struct hw_weights *w,
			   const struct hw_risk_input *in, char *buf,
			   size_t size)
{
	const struct hw_fragility *fr = &in->frag;
	const struct hw_factors *f = &in->factors;
	size_t len;

	len = (size_t)snprintf(buf, size,
			       "fragility %.2f from failed changes and "
			       "incidents",
			       f->fragility);
	if (fr->changes > 0 && fr->changes >= w->v[HW_W_FRAG_MIN_CHANGES] &&
	    len < size)
		len += (size_t)snprintf(buf + len, size - len,
					"%s%d of %d changes failed or backed "
					"out",
					": ", fr->failed, fr->changes);
	if (fr->incidents > 0 && len < size)
		len += (size_t)snprintf(
		    buf + len, size - len, "%s%d incident%s",
		    strchr(buf, ':') ? ", " : ": ", fr->incidents,
		    fr->incidents == 1 ? "" : "s");
	if (fr->repaired > 0 && len < size)
		len += (size_t)snprintf(buf + len, size - len,
					"%s%.1f h mean time to repair",
					strchr(buf, ':') ? ", " : ": ",
					fr->repair_hours);
	if (len < size) {
		if (f->known & HW_F_BIT(HW_F_DOWNTIME_COST))
			snprintf(buf + len, size - len,
				 "; downtime costs %.2f an hour",
				 f->downtime_cost);
		else
			snprintf(buf + len, size - len,
				 "; downtime cost not recorded");
	}
}

static int by_value(const void *a, const void *b)
{
	const struct hw_action *x = a, *y = b;
	int px = x->kind <= HW_ACT_OWNER, py = y->kind <= HW_ACT_OWNER;

	if (px != py)
		return py - px;
	if (x->gain != y->gain)
		return x->gain < y->gain ? 1 : -1;
	return (int)x->kind - (int)y->kind;
}

size_t hw_plan_actions(const struct hw_weights *w,
		       const struct hw_risk_input *in, const struct hw_risk *r,
		       const struct hw_sc *own, int has_owner,
		       const struct hw_baselines *b,
		       struct hw_action out[HW_ACT_COUNT])
{
	const struct hw_factors *f = &in->factors;
	size_t n = 0;
	char d[11];
	int o;

#define ACTION(k, g, ...)                                                  \
	do {                                                               \
		out[n].kind = (k);                                         \
		out[n].gain = (g);                                         \
		snprintf(out[n].reason, sizeof out[n].reason, __VA_ARGS__); \
		n++;                                                       \
	} while (0)

	if (hw_sc_completeness(own) < 1) {
		/* Partly categorized: name what even inheritance leaves
		 * unknown, since that is what holds the baseline open. */
		int partial = hw_sc_partial(&in->effective);
		const struct hw_sc *gaps = partial ? &in->effective : own;
		char missing[64] = "";

		for (o = 0; o < HW_NOBJ; o++)
			if (gaps->v[o] == HW_LEVEL_NONE)
				snprintf(missing + strlen(missing),
					 sizeof missing - strlen(missing),
					 "%s%s", missing[0] ? ", " : "",
					 hw_objective_name(o));
		if (partial)
			ACTION(HW_ACT_CATEGORIZE, 0,
			       "partly categorized, baseline at least %s: no "
			       "level for %s, even inherited: set levels or "
			       "assign information types",
			       hw_baseline_name(hw_sc_overall(&in->effective)),
			       missing);
		else
			ACTION(HW_ACT_CATEGORIZE, 0,
			       "no own level for %s: set levels or assign "
			       "information types",
			       missing);
	}
	if (!has_owner)
		ACTION(HW_ACT_OWNER, 0, "nobody owns it: nobody to notify or to "
					"act on the rest of this plan");
	if (r->term[HW_T_UNAUTHORIZED] > 0) {
		enum hw_term t = HW_T_UNAUTHORIZED;

		ACTION(HW_ACT_AUTHORIZE, gain(r, &t, 1),
		       "nobody approved it into production");
	}
	if ((f->known & HW_F_BIT(HW_F_VULNERABILITIES)) &&
	    f->vulnerabilities > 0) {
		enum hw_term t[] = {HW_T_CVSS, HW_T_VULNS, HW_T_PATCH_AGE};

		if (f->known & HW_F_BIT(HW_F_WORST_CVSS))
			ACTION(HW_ACT_PATCH, gain(r, t, 3),
			       "%d known vulnerabilit%s, worst CVSS %.1f",
			       f->vulnerabilities,
			       f->vulnerabilities == 1 ? "y" : "ies",
			       f->worst_cvss);
		else
			ACTION(HW_ACT_PATCH, gain(r, t, 3),
			       "%d known vulnerabilit%s (CVSS not recorded)",
			       f->vulnerabilities,
			       f->vulnerabilities == 1 ? "y" : "ies");
	} else if ((f->known & HW_F_BIT(HW_F_LAST_PATCHED)) &&
		   in->today - f->last_patched > w->v[HW_W_PATCH_OVERDUE]) {
		enum hw_term t = HW_T_PATCH_AGE;

		ACTION(HW_ACT_PATCH, gain(r, &t, 1),
		       "last patched %s, %ld days ago",
		       hw_date_format(f->last_patched, d),
		       (long)(in->today - f->last_patched));
	}
	if (r->term[HW_T_INTERNET] > 0) {
		enum hw_term t = HW_T_INTERNET;

		ACTION(HW_ACT_EXPOSURE, gain(r, &t, 1),
		       "reachable from the internet");
	}
	if (r->term[HW_T_EOL] > 0) {
		enum hw_term t = HW_T_EOL;

		ACTION(HW_ACT_EOL, gain(r, &t, 1),
		       "end of life since %s: no more fixes",
		       hw_date_format(f->end_of_life, d));
	}
	if (r->term[HW_T_FRAGILITY] > 0 &&
	    f->fragility >= w->v[HW_W_PLAN_FRAGILE]) {
		enum hw_term t = HW_T_FRAGILITY;
		char why[200];

		fragile_reason(w, in, why, sizeof why);
		ACTION(HW_ACT_FRAGILE, gain(r, &t, 1), "%s", why);
	}
	if (r->required > 0 && (f->known & HW_F_BIT(HW_F_BASELINE)) &&
	    r->gap_steps > 0) {
		enum hw_term t = HW_T_BASELINE_GAP;
		char fam[200] = "";
		int from = f->baseline >= HW_LEVEL_LOW ? f->baseline : 0;

		if (b != NULL)
			families(b, from, r->required, fam, sizeof fam);
		ACTION(HW_ACT_BASELINE, gain(r, &t, 1),
		       "from %s to %s: %zu controls%s%s%s",
		       from ? hw_baseline_name((enum hw_level)from) : "NONE",
		       hw_overall_text((enum hw_level)r->required,
				       r->required_exact, 0),
		       b ? hw_baselines_gap(b, from, r->required, NULL) : 0,
		       fam[0] ? " (" : "", fam, fam[0] ? ")" : "");
	} else if (r->required > 0 && !(f->known & HW_F_BIT(HW_F_BASELINE))) {
		ACTION(HW_ACT_BASELINE, 0,
		       "implemented baseline not recorded: %s required (%zu "
		       "controls); record what is in place",
		       hw_overall_text((enum hw_level)r->required,
				       r->required_exact, 0),
		       b ? b->size[r->required] : 0);
	}
#undef ACTION
	qsort(out, n, sizeof *out, by_value);
	return n;
}

size_t hw_plan_control_gap(const struct hw_risk_entry *e,
			   const struct hw_baselines *b)
{
	int req = e->risk.required, have = hw_factors_baseline(&e->in.factors);

	return req > have ? hw_baselines_gap(b, have, req, NULL) : 0;
}

/* Fragile entries by downtime cost, highest first (unrecorded last),
 * then rank. */
struct fragile_key {
	double cost;
	int known;
	long rank;
	size_t at;
};

static int by_cost(const void *a, const void *b)
{
	const struct fragile_key *x = a, *y = b;

	if (x->known != y->known)
		return y->known - x->known;
	if (x->cost != y->cost)
		return x->cost < y->cost ? 1 : -1;
	return x->rank < y->rank ? -1 : x->rank > y->rank;
}

int hw_plan_fragile(const struct hw_weights *w,
		    const struct hw_risk_entry *reg, size_t n, size_t **out,
		    size_t *nout)
{
	struct fragile_key *k = NULL;
	size_t i, m = 0, *v;

	*out = NULL;
	*nout = 0;
	for (i = 0; i < n; i++) {
		const struct hw_factors *f = &reg[i].in.factors;

		if (!(f->known & HW_F_BIT(HW_F_FRAGILITY)) ||
		    f->fragility < w->v[HW_W_PLAN_FRAGILE] ||
		    reg[i].risk.term[HW_T_FRAGILITY] <= 0)
			continue;
		if (m % 64 == 0) {
			struct fragile_key *g =
			    realloc(k, (m + 64) * sizeof *g);

			if (g == NULL) {
				free(k);
				return -1;
			}
			k = g;
		}
		k[m].known = (f->known & HW_F_BIT(HW_F_DOWNTIME_COST)) != 0;
		k[m].cost = k[m].known ? f->downtime_cost : 0;
		k[m].rank = reg[i].rank;
		k[m].at = i;
		m++;
	}
	if (m == 0)
		return 0;
	qsort(k, m, sizeof *k, by_cost);
	v = malloc(m * sizeof *v);
	if (v == NULL) {
		free(k);
		return -1;
	}
	for (i = 0; i < m; i++)
		v[i] = k[i].at;
	free(k);
	*out = v;
	*nout = m;
	return 0;
}

void hw_plan_summarize(const struct hw_risk_entry *reg, size_t n,
		       const struct hw_baselines *b,
		       struct hw_plan_summary *out)
{
	size_t i;

	memset(out, 0, sizeof *out);
	out->assets = n;
	for (i = 0; i < n; i++) {
		const struct hw_risk *r = &reg[i].risk;
		const struct hw_factors *f = &reg[i].in.factors;

		out->band[r->band]++;
		out->overall[hw_sc_overall(&reg[i].in.effective)]++;
		out->required[r->required]++;
		out->bounds += r->required && !r->required_exact;
		out->recorded += (f->known & HW_F_BIT(HW_F_BASELINE)) != 0;
		out->pairs.n[hw_factors_baseline(f)][r->required]++;
	}
	if (b != NULL)
		out->nfamilies =
		    hw_baselines_families(b, &out->pairs, out->family);
}
