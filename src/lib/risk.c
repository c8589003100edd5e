/*
 * risk.c: the risk model (DESIGN.md "Risk"): an asset's impact,
 * likelihood, blast multiplier, score and band from its levels, factors
 * and dependents.
 *
 * The model, as the README writes it for readers who recompute a score:
 *   level value   low 1, moderate 2, high 3, uncategorized W_UNCATEGORIZED
 *   impact        (2 max(C, I, A) + C + I + A) / 15
 *   likelihood    min(1, sum of the terms of enum hw_term)
 *   blast         min(1, log10(1 + weighted dependents) / log10(1 + sat))
 *   multiplier    floor + (1 - floor) blast
 *   score         100 impact likelihood multiplier, rounded to 0.1
 */
#include <math.h>
#include <string.h>

#include "hw-private.h"

static const char *const term_names[HW_T_COUNT] = {
    "base",	   "internet",	   "cvss",	   "vulnerabilities",
    "patch_age", "end_of_life", "unauthorized", "baseline_gap",
    "fragility"};

const char *hw_term_name(enum hw_term t)
{
	return (unsigned)t < HW_T_COUNT ? term_names[t] : "?";
}

const char *hw_band_name(enum hw_band b)
{
	static const char *const names[] = {"low", "moderate", "high",
					    "very high"};

	return (unsigned)b <= HW_BAND_VERY_HIGH ? names[b] : "?";
}

void hw_risk_level_values(const struct hw_weights *w,
			  double value[HW_LEVEL_HIGH + 1])
{
	value[HW_LEVEL_NONE] = w->v[HW_W_UNCATEGORIZED];
	value[HW_LEVEL_NA] = value[HW_LEVEL_LOW] = 1;
	value[HW_LEVEL_MODERATE] = 2;
	value[HW_LEVEL_HIGH] = 3;
}

static double clamp01(double x)
{
	return x < 0 ? 0 : x > 1 ? 1 : x;
}

/* The likelihood terms, from the factors. */
static void terms(const struct hw_weights *w, const struct hw_risk_input *in,
		  int required, double *t, int *gap_steps)
{
	const struct hw_factors *f = &in->factors;
	double cap = w->v[HW_W_VULN_CAP], days = w->v[HW_W_PATCH_DAYS];
	int open = (f->known & HW_F_BIT(HW_F_VULNERABILITIES)) &&
		   f->vulnerabilities > 0;

	memset(t, 0, HW_T_COUNT * sizeof *t);
	t[HW_T_BASE] = w->v[HW_W_BASE];
	if (in->internet_facing)
		t[HW_T_INTERNET] = w->v[HW_W_INTERNET];
	if (open && (f->known & HW_F_BIT(HW_F_WORST_CVSS)))
		t[HW_T_CVSS] = w->v[HW_W_CVSS] * f->worst_cvss / 10;
	if (open)
		t[HW_T_VULNS] = w->v[HW_W_VULNS] *
				(f->vulnerabilities < cap ? f->vulnerabilities
							  : cap) /
				cap;
	if (f->known & HW_F_BIT(HW_F_LAST_PATCHED)) {
		double age = (double)in->today - f->last_patched;

		t[HW_T_PATCH_AGE] = w->v[HW_W_PATCH_AGE] *
				    clamp01(age / days);
	}
	if ((f->known & HW_F_BIT(HW_F_END_OF_LIFE)) &&
	    f->end_of_life <= in->today)
		t[HW_T_EOL] = w->v[HW_W_EOL];
	if ((f->known & HW_F_BIT(HW_F_AUTHORIZED)) && !f->authorized)
		t[HW_T_UNAUTHORIZED] = w->v[HW_W_UNAUTHORIZED];
	*gap_steps = 0;
	if ((f->known & HW_F_BIT(HW_F_BASELINE)) && required > 0) {
		int have = f->baseline >= HW_LEVEL_LOW
			       ? f->baseline - HW_LEVEL_LOW + 1
			       : 0;
		int need = required - HW_LEVEL_LOW + 1;

		if (need > have)
			*gap_steps = need - have;
		t[HW_T_BASELINE_GAP] = w->v[HW_W_BASELINE_GAP] * *gap_steps;
	}
	if (f->known & HW_F_BIT(HW_F_FRAGILITY))
		t[HW_T_FRAGILITY] = w->v[HW_W_FRAGILITY] *
				    clamp01(f->fragility);
}

/* Score from impact, terms and multiplier, rounded to 0.1. */
static double score_of(double impact, const double *t, double multiplier,
		       double *likelihood)
{
	double sum = 0;
	int i;

	for (i = 0; i < HW_T_COUNT; i++)
		sum += t[i];
	*likelihood = sum > 1 ? 1 : sum;
	return round(1000 * impact * *likelihood * multiplier) / 10;
}

void hw_risk_score(const struct hw_weights *w, const struct hw_risk_input *in,
		   struct hw_risk *out)
{
	double max = 0, sum = 0, sat = w->v[HW_W_BLAST_SAT];
	double value[HW_LEVEL_HIGH + 1];
	enum hw_level overall = hw_sc_overall(&in->effective);
	int o;

	memset(out, 0, sizeof *out);
	hw_risk_level_values(w, value);
	for (o = 0; o < HW_NOBJ; o++) {
		enum hw_level l = in->effective.v[o];

		out->level[o] = value[(unsigned)l <= HW_LEVEL_HIGH ? l
								 : HW_LEVEL_NONE];
		sum += out->level[o];
		if (out->level[o] > max)
			max = out->level[o];
	}
	out->impact = (2 * max + sum) / 15;
	/* A partly categorized asset's baseline is a lower bound: the gap
	 * is counted against it, the exactness travels with it. */
	out->required = overall >= HW_LEVEL_LOW ? (int)overall : 0;
	out->required_exact = out->required > 0 &&
			      hw_sc_overall_exact(&in->effective);
	terms(w, in, out->required, out->term, &out->gap_steps);
	out->blast = in->weighted > 0 ? log10(1 + in->weighted) / log10(1 + sat)
				      : 0;
	if (out->blast > 1)
		out->blast = 1;
	out->multiplier = w->v[HW_W_BLAST_FLOOR] +
			  (1 - w->v[HW_W_BLAST_FLOOR]) * out->blast;
	out->score = score_of(out->impact, out->term, out->multiplier,
			      &out->likelihood);
	out->band = out->score >= w->v[HW_W_BAND_VERY_HIGH] ? HW_BAND_VERY_HIGH
		    : out->score >= w->v[HW_W_BAND_HIGH]    ? HW_BAND_HIGH
		    : out->score >= w->v[HW_W_BAND_MODERATE]
			? HW_BAND_MODERATE
			: HW_BAND_LOW;
}

double hw_risk_rescore(const struct hw_risk *r, const double term[HW_T_COUNT])
{
	double likelihood;

	return score_of(r->impact, term, r->multiplier, &likelihood);
}
