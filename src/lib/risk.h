/*
 * risk.h: the risk model (risk.c) of DESIGN.md "Risk", in the README's
 * words, and a score's reasons in words (reason.c).  Included by
 * highwater.h; include highwater.h, not this.
 */
#ifndef HW_RISK_H
#define HW_RISK_H

/* Likelihood terms, in the order printed. */
enum hw_term {
	HW_T_BASE,
	HW_T_INTERNET,
	HW_T_CVSS,
	HW_T_VULNS,
	HW_T_PATCH_AGE,
	HW_T_EOL,
	HW_T_UNAUTHORIZED,
	HW_T_BASELINE_GAP,
	HW_T_FRAGILITY,
	HW_T_COUNT
};
const char *hw_term_name(enum hw_term t); /* "internet", "cvss", ... */

enum hw_band { HW_BAND_LOW, HW_BAND_MODERATE, HW_BAND_HIGH, HW_BAND_VERY_HIGH };
const char *hw_band_name(enum hw_band b); /* "low" ... "very high" */

/* What the model reads for one asset. */
struct hw_risk_input {
	struct hw_sc effective;	 /* effective levels (NONE: uncategorized) */
	int internet_facing;
	struct hw_factors factors;
	double dependents;	 /* blast radius: count and weighted sum */
	double weighted;
	int32_t today;		 /* days since 1970-01-01 */
	struct hw_fragility frag; /* what factors.fragility was made of
				    (hw_fragility_value), when known */
};

/* What it gives: every number the README's formula uses. */
struct hw_risk {
	double level[HW_NOBJ];	 /* level values used for C, I, A */
	double impact;		 /* (2 max + C + I + A) / 15 */
	double term[HW_T_COUNT]; /* likelihood contributions */
	double likelihood;	 /* min(1, sum of terms) */
	double blast;		 /* log10(1 + weighted) / log10(1 + sat) <= 1 */
	double multiplier;	 /* floor + (1 - floor) blast */
	double score;		 /* 100 impact likelihood multiplier, 0.1 */
	enum hw_band band;
	int required;		 /* baseline required: 0 unknown, or level */
	int required_exact;	 /* 0: required is a lower bound (partly
				    categorized) or unknown */
	int gap_steps;		 /* required above implemented, in steps */
};

/* The value of each level in the model (low 1, moderate 2, high 3,
 * not applicable as low, none impact.uncategorized): the impact's and
 * the blast radius's weights. */
void hw_risk_level_values(const struct hw_weights *w,
			  double value[HW_LEVEL_HIGH + 1]);

void hw_risk_score(const struct hw_weights *w, const struct hw_risk_input *in,
		   struct hw_risk *out);

/* The score r would have with the likelihood terms term instead of its
 * own (its impact and multiplier kept): what an action gains. */
double hw_risk_rescore(const struct hw_risk *r, const double term[HW_T_COUNT]);

/* The score's main reasons in words (reason.c), "; " between them:
 * internet-facing, known vulnerabilities and the worst CVSS, an overdue
 * patch, end of life, no authorization, a baseline gap, fragility, the objectives
 * at the highest level ("availability HIGH", or "uncategorized") and the
 * dependents ("about" when estimated).  Writes buf (cut to size);
 * returns it. */
const char *hw_risk_reasons(const struct hw_weights *w,
			    const struct hw_risk_input *in,
			    const struct hw_risk *r, int estimated, char *buf,
			    size_t size);

/* Fragility (fragility.c): the value in [0, 1] that frag gives under
 * the weights w, with its three parts (each already times its weight:
 * failure rate, incidents, time to repair; may be NULL); -1 when none
 * of the parts has data (fewer than fragility.min_changes changes, no
 * incident in the window, none repaired). */
double hw_fragility_value(const struct hw_weights *w,
			  const struct hw_fragility *frag, double part[3]);

/* The windows of the fragility of day today (days since 1970): each
 * ends at the end of that day (00:00Z of the next), and begins the
 * weight's number of days before. */
struct hw_fragility_windows {
	hw_time changes_since, incidents_since, repairs_since, until;
};
void hw_fragility_windows(const struct hw_weights *w, int32_t today,
			  struct hw_fragility_windows *out);

#endif /* HW_RISK_H */
