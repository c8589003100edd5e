/*
 * factor.c: an asset's risk factors, dates and the risk model's weights
 * as values: parsing, validation and text (DESIGN.md "Risk").  The
 * store reads and checks what it holds with these; the model uses them.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* Factors                                                             */

static const char *const factor_names[HW_F_COUNT] = {
    [HW_F_VULNERABILITIES] = "vulnerabilities",
    [HW_F_WORST_CVSS] = "worst_cvss",
    [HW_F_LAST_PATCHED] = "last_patched",
    [HW_F_END_OF_LIFE] = "end_of_life",
    [HW_F_AUTHORIZED] = "authorized",
    [HW_F_BASELINE] = "implemented_baseline",
    [HW_F_DOWNTIME_COST] = "downtime_cost",
    [HW_F_FRAGILITY] = "fragility",
};

const char hw_factor_fields[] =
    "vulnerabilities, worst_cvss, last_patched, end_of_life, authorized, "
    "implemented_baseline, downtime_cost";

static const char *const baseline_words[] = {"none", NULL, "low",
					     "moderate", "high"};

int hw_factors_baseline(const struct hw_factors *f)
{
	return (f->known & HW_F_BIT(HW_F_BASELINE)) &&
		       f->baseline >= HW_LEVEL_LOW
		   ? f->baseline
		   : 0;
}

const char *hw_factors_baseline_text(const struct hw_factors *f)
{
	int have = hw_factors_baseline(f);

	if (!(f->known & HW_F_BIT(HW_F_BASELINE)))
		return "not recorded";
	return have ? hw_baseline_name((enum hw_level)have) : "NONE";
}

const char *hw_factor_name(enum hw_factor f)
{
	return (unsigned)f < HW_F_COUNT ? factor_names[f] : "?";
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static int32_t days_from_civil(int y, int m, int d)
{
	int era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int32_t)(era * 146097 + doe - 719468);
}

static void civil_from_days(int32_t z, int *y, int *m, int *d)
{
	int era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yoe + era * 400 + (*m <= 2);
}

int hw_date_parse(const char *s, int32_t *out, struct hw_error *err)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30,
				    31, 31, 30, 31, 30, 31};
	int y, m, d, n = 0, leap;

	if (s == NULL || strlen(s) != 10 ||
	    sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 ||
	    s[4] != '-' || s[7] != '-' || strspn(s, "0123456789-") != 10)
		return hw_error_set(err, HW_EINVAL,
				    "\"%.40s\" is not a date (expected "
				    "YYYY-MM-DD)",
				    s ? s : "");
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1900 || y > 9999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] || (m == 2 && d == 29 && !leap))
		return hw_error_set(err, HW_EINVAL,
				    "\"%s\" is not a calendar date (expected "
				    "YYYY-MM-DD from 1900 on)",
				    s);
	*out = days_from_civil(y, m, d);
	return 0;
}

const char *hw_date_format(int32_t days, char buf[11])
{
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, 11, "%04u-%02u-%02u", (unsigned)y % 10000u,
		 (unsigned)m % 100u, (unsigned)d % 100u);
	return buf;
}

/* A number in [min, max] from the whole of s. */
static int parse_number(const char *s, double min, double max,
			const char *what, double *out, struct hw_error *err)
{
	char *end;
	double v;

	/* Plain decimal notation only: no spaces, hex, inf or nan. */
	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(v) ||
	    s[strspn(s, "0123456789.+-eE")] != '\0')
		return hw_error_set(err, HW_EINVAL,
				    "%s: \"%.40s\" is not a number", what, s);
	if (v < min || v > max)
		return hw_error_set(err, HW_EINVAL,
				    "%s: %.40s is out of range (expected %g "
				    "to %g)",
				    what, s, min, max);
	*out = v;
	return 0;
}

int hw_factor_set(struct hw_factors *f, const char *field, const char *value,
		  struct hw_error *err)
{
	struct hw_factors t = *f;
	enum hw_factor k;
	double v;
	int i;

	for (k = 0; k < HW_F_FRAGILITY; k++)
		if (strcmp(field, factor_names[k]) == 0)
			break;
	if (k == HW_F_FRAGILITY)
		return 1;
	if (value == NULL || value[0] == '\0') {
		f->known &= ~HW_F_BIT(k);
		return 0;
	}
	switch (k) {
	case HW_F_VULNERABILITIES:
		if (parse_number(value, 0, 1e6, field, &v, err) < 0)
			return -1;
		if (v != floor(v))
			return hw_error_set(err, HW_EINVAL,
					    "%s: \"%.40s\" is not a whole "
					    "number",
					    field, value);
		t.vulnerabilities = (int)v;
		break;
	case HW_F_WORST_CVSS:
		if (parse_number(value, 0, 10, field, &t.worst_cvss, err) < 0)
			return -1;
		/* CVSS base scores have one decimal. */
		t.worst_cvss = round(t.worst_cvss * 10) / 10;
		break;
	case HW_F_LAST_PATCHED:
	case HW_F_END_OF_LIFE: {
		struct hw_error e = {0};

		if (hw_date_parse(value, k == HW_F_LAST_PATCHED
					     ? &t.last_patched
					     : &t.end_of_life,
				  &e) < 0)
			return hw_error_set(err, HW_EINVAL, "%s: %s", field,
					    e.text);
		break;
	}
	case HW_F_AUTHORIZED:
		if (strcasecmp(value, "yes") == 0 ||
		    strcasecmp(value, "true") == 0)
			t.authorized = 1;
		else if (strcasecmp(value, "no") == 0 ||
			 strcasecmp(value, "false") == 0)
			t.authorized = 0;
		else
			return hw_error_set(err, HW_EINVAL,
					    "authorized: \"%.40s\" is not yes "
					    "or no",
					    value);
		break;
	case HW_F_BASELINE:
		for (i = 0; i <= HW_LEVEL_HIGH; i++)
			if (baseline_words[i] != NULL &&
			    strcasecmp(value, baseline_words[i]) == 0)
				break;
		if (i > HW_LEVEL_HIGH)
			return hw_error_set(err, HW_EINVAL,
					    "implemented_baseline: \"%.40s\" "
					    "is not none, low, moderate or "
					    "high",
					    value);
		t.baseline = i;
		break;
	case HW_F_DOWNTIME_COST:
		if (parse_number(value, 0, 1e12, field, &t.downtime_cost,
				 err) < 0)
			return -1;
		break;
	default:
		return 1;
	}
	t.known |= HW_F_BIT(k);
	*f = t;
	return 0;
}

const char *hw_factor_text(const struct hw_factors *f, enum hw_factor which,
			   char buf[32])
{
	buf[0] = '\0';
	if ((unsigned)which >= HW_F_COUNT || !(f->known & HW_F_BIT(which)))
		return buf;
	switch (which) {
	case HW_F_VULNERABILITIES:
		snprintf(buf, 32, "%d", f->vulnerabilities);
		break;
	case HW_F_WORST_CVSS:
		snprintf(buf, 32, "%.1f", f->worst_cvss);
		break;
	case HW_F_LAST_PATCHED:
		hw_date_format(f->last_patched, buf);
		break;
	case HW_F_END_OF_LIFE:
		hw_date_format(f->end_of_life, buf);
		break;
	case HW_F_AUTHORIZED:
		snprintf(buf, 32, "%s", f->authorized ? "yes" : "no");
		break;
	case HW_F_BASELINE:
		snprintf(buf, 32, "%s",
			 f->baseline >= 0 && f->baseline <= HW_LEVEL_HIGH &&
				 baseline_words[f->baseline]
			     ? baseline_words[f->baseline]
			     : "none");
		break;
	case HW_F_DOWNTIME_COST:
		snprintf(buf, 32, "%.2f", f->downtime_cost);
		break;
	case HW_F_FRAGILITY:
		snprintf(buf, 32, "%.2f", f->fragility);
		break;
	default:
		break;
	}
	return buf;
}

/* ------------------------------------------------------------------ */
/* Weights                                                             */

const struct hw_weight_def hw_weight_defs[HW_W_COUNT] = {
    [HW_W_UNCATEGORIZED] = {"impact.uncategorized", 2, 1, 3,
			    "level value of an uncategorized objective "
			    "(low 1, moderate 2, high 3)"},
    [HW_W_BASE] = {"likelihood.base", 0.10, 0, 1,
		   "likelihood every asset has"},
    [HW_W_INTERNET] = {"likelihood.internet", 0.25, 0, 1,
		       "internet-facing"},
    [HW_W_CVSS] = {"likelihood.cvss", 0.30, 0, 1,
		   "times worst CVSS / 10, with open vulnerabilities"},
    [HW_W_VULNS] = {"likelihood.vulnerabilities", 0.10, 0, 1,
		    "times min(vulnerabilities, cap) / cap"},
    [HW_W_VULN_CAP] = {"likelihood.vulnerability_cap", 10, 1, 1e6,
		       "vulnerability count that gives the whole weight"},
    [HW_W_PATCH_AGE] = {"likelihood.patch_age", 0.10, 0, 1,
			"times min(days since patched, days) / days"},
    [HW_W_PATCH_DAYS] = {"likelihood.patch_days", 365, 1, 36500,
			 "patch age in days that gives the whole weight"},
    [HW_W_EOL] = {"likelihood.end_of_life", 0.20, 0, 1,
		  "past its end-of-life date"},
    [HW_W_UNAUTHORIZED] = {"likelihood.unauthorized", 0.20, 0, 1,
			   "not authorized into production"},
    [HW_W_BASELINE_GAP] = {"likelihood.baseline_gap", 0.05, 0, 1,
			   "per baseline step implemented below the one "
			   "required (recorded baselines only)"},
    [HW_W_FRAGILITY] = {"likelihood.fragility", 0.15, 0, 1,
			"times fragility (0-1) from changes and incidents"},
    [HW_W_BLAST_FLOOR] = {"blast.floor", 0.5, 0, 1,
			  "multiplier of an asset nothing depends on"},
    [HW_W_BLAST_SAT] = {"blast.saturation", 10000, 1, 1e12,
			"weighted dependents that give the full multiplier"},
    [HW_W_BAND_MODERATE] = {"band.moderate", 20, 0, 100,
			    "score from which the risk is moderate"},
    [HW_W_BAND_HIGH] = {"band.high", 40, 0, 100,
			"score from which the risk is high"},
    [HW_W_BAND_VERY_HIGH] = {"band.very_high", 60, 0, 100,
			     "score from which the risk is very high"},
    [HW_W_PATCH_OVERDUE] = {"plan.patch_overdue_days", 90, 1, 36500,
			    "days since patched that call for patching"},
    [HW_W_FRAG_RATE] = {"fragility.failure_rate", 0.4, 0, 1,
			"times min(1, failed or backed-out share of closed "
			"changes / cap)"},
    [HW_W_FRAG_RATE_CAP] = {"fragility.failure_rate_cap", 0.5, 0.01, 1,
			    "failure rate that gives the whole part"},
    [HW_W_FRAG_MIN_CHANGES] = {"fragility.min_changes", 3, 1, 1000,
			       "closed changes needed for a failure rate "
			       "(fewer: no data)"},
    [HW_W_FRAG_INCIDENTS] = {"fragility.incidents", 0.4, 0, 1,
			     "times min(incidents, cap) / cap"},
    [HW_W_FRAG_INCIDENT_CAP] = {"fragility.incident_cap", 4, 1, 1e6,
				"incidents in the window that give the whole "
				"part"},
    [HW_W_FRAG_MTTR] = {"fragility.mttr", 0.2, 0, 1,
			"times min(mean hours to repair, cap) / cap"},
    [HW_W_FRAG_MTTR_CAP] = {"fragility.mttr_cap_hours", 24, 0.01, 1e6,
			    "mean time to repair that gives the whole part"},
    [HW_W_FRAG_CHANGE_DAYS] = {"fragility.change_days", 180, 1, 36500,
			       "changes closed in the last N days count"},
    [HW_W_FRAG_INCIDENT_DAYS] = {"fragility.incident_days", 90, 1, 36500,
				 "incidents opened in the last N days count"},
    [HW_W_FRAG_REPAIR_DAYS] = {"fragility.repair_days", 180, 1, 36500,
			       "incidents resolved in the last N days give "
			       "the time to repair"},
    [HW_W_PLAN_FRAGILE] = {"plan.fragile", 0.25, 0, 1,
			   "fragility from which the plan calls for "
			   "stabilising"},
};

void hw_weights_default(struct hw_weights *w)
{
	int i;

	for (i = 0; i < HW_W_COUNT; i++)
		w->v[i] = hw_weight_defs[i].fallback;
}

int hw_weight_find(const char *name)
{
	int i;

	for (i = 0; i < HW_W_COUNT; i++)
		if (strcmp(name, hw_weight_defs[i].name) == 0)
			return i;
	return -1;
}

int hw_weight_set(struct hw_weights *w, const char *name, const char *value,
		  struct hw_error *err)
{
	struct hw_weights t = *w;
	int i = hw_weight_find(name);

	if (i < 0)
		return hw_error_set(err, HW_ENOTFOUND,
				    "unknown weight \"%.60s\"", name);
	if (parse_number(value, hw_weight_defs[i].min, hw_weight_defs[i].max,
			 name, &t.v[i], err) < 0)
		return -1;
	if (!(t.v[HW_W_BAND_MODERATE] < t.v[HW_W_BAND_HIGH] &&
	      t.v[HW_W_BAND_HIGH] < t.v[HW_W_BAND_VERY_HIGH]))
		return hw_error_set(err, HW_EINVAL,
				    "%s: bands must rise: band.moderate < "
				    "band.high < band.very_high (would be "
				    "%g, %g, %g)",
				    name, t.v[HW_W_BAND_MODERATE],
				    t.v[HW_W_BAND_HIGH],
				    t.v[HW_W_BAND_VERY_HIGH]);
	*w = t;
	return 0;
}
