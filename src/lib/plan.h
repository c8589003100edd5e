/*
 * plan.h: the protection plan (plan.c): an asset's actions and control
 * gap, and the plan's summary over the risk register.  Included by
 * highwater.h after register.h; include highwater.h, not this.
 */
#ifndef HW_PLAN_H
#define HW_PLAN_H

/* Protection-plan actions, in the order of their kind when of equal
 * value. */
enum hw_action_kind {
	HW_ACT_CATEGORIZE,
	HW_ACT_OWNER,
	HW_ACT_AUTHORIZE,
	HW_ACT_PATCH,
	HW_ACT_EXPOSURE,
	HW_ACT_EOL,
	HW_ACT_FRAGILE,
	HW_ACT_BASELINE,
	HW_ACT_COUNT
};
const char *hw_action_name(enum hw_action_kind k); /* "patch", ... */

struct hw_action {
	enum hw_action_kind kind;
	double gain;	  /* score points it removes (0: a prerequisite) */
	char reason[320]; /* why, with the figures */
};

/* The actions that close the asset's gap, most valuable first:
 * prerequisites (categorize, owner) first, then by gain, then kind.
 * own is the asset's own categorization, has_owner whether it has one;
 * b (may be NULL) counts the controls of a baseline raise, by family.
 * Returns the number written to out (at most HW_ACT_COUNT). */
size_t hw_plan_actions(const struct hw_weights *w,
		       const struct hw_risk_input *in, const struct hw_risk *r,
		       const struct hw_sc *own, int has_owner,
		       const struct hw_baselines *b,
		       struct hw_action out[HW_ACT_COUNT]);

/* The controls between the baseline entry e requires and the one it
 * has implemented (none when not recorded); 0 when it requires none
 * or no more. */
size_t hw_plan_control_gap(const struct hw_risk_entry *e,
			   const struct hw_baselines *b);

/* The fragile artefacts to stabilise: the entries of reg whose
 * fragility reaches plan.fragile, by downtime cost (highest first; not
 * recorded last), then rank.  Their indexes into reg in a new array
 * *out (free(); NULL when none), their number in *nout.  0, or -1 when
 * out of memory.  Downtime cost orders them: it is a consequence, and
 * no part of the score. */
int hw_plan_fragile(const struct hw_weights *w,
		    const struct hw_risk_entry *reg, size_t n, size_t **out,
		    size_t *nout);

/* The plan's summary over a register: what the CLI, the workbook and
 * any other reader say about the organisation. */
struct hw_plan_summary {
	size_t assets;
	size_t band[HW_BAND_VERY_HIGH + 1]; /* assets by risk band */
	size_t overall[HW_LEVEL_HIGH + 1];  /* by overall level; [NONE]:
					       uncategorized */
	size_t required[HW_LEVEL_HIGH + 1]; /* by required baseline;
					       [NONE]: unknown */
	size_t bounds;			    /* of them, lower bounds */
	size_t recorded;		    /* implemented baseline known */
	struct hw_baseline_pairs pairs;	    /* by implemented, required */
	struct hw_family_gap family[HW_FAMILIES_MAX]; /* controls to add by
							 family, summed over
							 assets */
	size_t nfamilies;
};

/* Summarize the n entries of reg; b (may be NULL: no families) gives
 * the controls to add by family.  Strings are borrowed from b. */
void hw_plan_summarize(const struct hw_risk_entry *reg, size_t n,
		       const struct hw_baselines *b,
		       struct hw_plan_summary *out);

#endif /* HW_PLAN_H */
