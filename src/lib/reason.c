/*
 * reason.c: a risk score's main reasons in words, for people ("internet-
 * facing; 3 known vulnerabilities, worst CVSS 9.8; availability HIGH; 35
 * dependents"): what raised the likelihood, the levels that set the
 * impact, and the dependents that multiply it.  The plan workbook's
 * Summary and Risk register say it; the CLI may.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "highwater.h"

struct words {
	char *buf;
	size_t size, len;
};

/* Append one reason, "; " between reasons; text past size is cut. */
static void say(struct words *w, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct words *w, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (w->len + 1 >= w->size)
		return;
	if (w->len > 0) {
		n = snprintf(w->buf + w->len, w->size - w->len, "; ");
		w->len += (size_t)n < w->size - w->len ? (size_t)n
						       : w->size - w->len - 1;
	}
	va_start(ap, fmt);
	n = vsnprintf(w->buf + w->len, w->size - w->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		w->len += (size_t)n < w->size - w->len ? (size_t)n
						       : w->size - w->len - 1;
}

/* "availability HIGH", "confidentiality, integrity MODERATE": the
 * objectives at the highest known level ("at least MODERATE" while
 * that is a lower bound). */
static void say_levels(struct words *w, const struct hw_sc *e)
{
	char names[64] = "";
	enum hw_level top = HW_LEVEL_NONE;
	int x;

	for (x = 0; x < HW_NOBJ; x++)
		if (e->v[x] > top)
			top = e->v[x];
	if (top == HW_LEVEL_NONE) {
		say(w, "uncategorized");
		return;
	}
	for (x = 0; x < HW_NOBJ; x++)
		if (e->v[x] == top)
			snprintf(names + strlen(names),
				 sizeof names - strlen(names), "%s%s",
				 names[0] ? ", " : "",
				 hw_objective_name((enum hw_objective)x));
	say(w, "%s %s", names, hw_sc_overall_text(e, 0));
}

const char *hw_risk_reasons(const struct hw_weights *wt,
			    const struct hw_risk_input *in,
			    const struct hw_risk *r, int estimated, char *buf,
			    size_t size)
{
	const struct hw_factors *f = &in->factors;
	struct words w = {buf, size, 0};
	int vulns = (f->known & HW_F_BIT(HW_F_VULNERABILITIES)) != 0;
	int cvss = (f->known & HW_F_BIT(HW_F_WORST_CVSS)) != 0 &&
		   f->worst_cvss > 0 && (!vulns || f->vulnerabilities > 0);
	long dependents = (long)(in->dependents + 0.5);
	char day[11];

	if (size == 0)
		return buf;
	buf[0] = '\0';
	if (in->internet_facing)
		say(&w, "internet-facing");
	if (vulns && f->vulnerabilities > 0 && cvss)
		say(&w, "%d known vulnerabilit%s, worst CVSS %.1f",
		    f->vulnerabilities, f->vulnerabilities == 1 ? "y" : "ies",
		    f->worst_cvss);
	else if (vulns && f->vulnerabilities > 0)
		say(&w, "%d known vulnerabilit%s", f->vulnerabilities,
		    f->vulnerabilities == 1 ? "y" : "ies");
	else if (cvss)
		say(&w, "worst CVSS %.1f", f->worst_cvss);
	if ((f->known & HW_F_BIT(HW_F_LAST_PATCHED)) &&
	    in->today - f->last_patched >= wt->v[HW_W_PATCH_OVERDUE])
		say(&w, "patched %ld days ago",
		    (long)(in->today - f->last_patched));
	if ((f->known & HW_F_BIT(HW_F_END_OF_LIFE)) &&
	    f->end_of_life <= in->today)
		say(&w, "end of life %s", hw_date_format(f->end_of_life, day));
	if ((f->known & HW_F_BIT(HW_F_AUTHORIZED)) && !f->authorized)
		say(&w, "not authorized");
	if (r->gap_steps > 0)
		say(&w, "baseline %d step%s short", r->gap_steps,
		    r->gap_steps == 1 ? "" : "s");
	if (r->term[HW_T_FRAGILITY] > 0)
		say(&w, "fragile (%.2f: failed changes, incidents)",
		    f->fragility);
	say_levels(&w, &in->effective);
	if (dependents > 0)
		say(&w, "%s%ld dependent%s", estimated ? "about " : "",
		    dependents, dependents == 1 ? "" : "s");
	return buf;
}
