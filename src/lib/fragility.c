/*
 * fragility.c: an asset's fragility (DESIGN.md "Risk", issue 11 item
 * 4), the likelihood term from its change and incident records: the
 * share of its changes that failed or were backed out, its recent
 * incidents and its mean time to repair, each capped, weighted and
 * summed into one value from 0 to 1.
 *
 *   rate part      fragility.failure_rate x min(1, failed / changes
 *                  / fragility.failure_rate_cap), from
 *                  fragility.min_changes closed changes up
 *   incidents      fragility.incidents x min(1, incidents /
 *                  fragility.incident_cap)
 *   repair         fragility.mttr x min(1, mean hours to repair /
 *                  fragility.mttr_cap_hours), when any was resolved
 *   fragility      min(1, sum of the parts)
 *
 * A part without data adds nothing; with none, fragility is "no data"
 * (as every other factor).  The windows end at the end of the as-of
 * day: what happened that day counts.
 */
#include <math.h>

#include "hw-private.h"

static double capped(double x, double cap)
{
	return x <= 0 ? 0 : x >= cap ? 1 : x / cap;
}

double hw_fragility_value(const struct hw_weights *w,
			  const struct hw_fragility *f, double part[3])
{
	double p[3] = {0, 0, 0}, sum;
	int known = 0;

	if (f->changes > 0 && f->changes >= w->v[HW_W_FRAG_MIN_CHANGES]) {
		p[0] = w->v[HW_W_FRAG_RATE] *
		       capped((double)f->failed / f->changes,
			      w->v[HW_W_FRAG_RATE_CAP]);
		known = 1;
	}
	if (f->incidents > 0) {
		p[1] = w->v[HW_W_FRAG_INCIDENTS] *
		       capped(f->incidents, w->v[HW_W_FRAG_INCIDENT_CAP]);
		known = 1;
	}
	if (f->repaired > 0) {
		p[2] = w->v[HW_W_FRAG_MTTR] *
		       capped(f->repair_hours, w->v[HW_W_FRAG_MTTR_CAP]);
		known = 1;
	}
	if (part != NULL) {
		part[0] = p[0];
		part[1] = p[1];
		part[2] = p[2];
	}
	if (!known)
		return -1;
	sum = p[0] + p[1] + p[2];
	return sum > 1 ? 1 : sum;
}

void hw_fragility_windows(const struct hw_weights *w, int32_t today,
			  struct hw_fragility_windows *out)
{
	hw_time until = hw_time_of_day(today + 1);

	out->until = until;
	out->changes_since =
	    until - (hw_time)llround(w->v[HW_W_FRAG_CHANGE_DAYS]) * 86400;
	out->incidents_since =
	    until - (hw_time)llround(w->v[HW_W_FRAG_INCIDENT_DAYS]) * 86400;
	out->repairs_since =
	    until - (hw_time)llround(w->v[HW_W_FRAG_REPAIR_DAYS]) * 86400;
}
