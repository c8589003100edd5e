/*
 * risk.c: risk factors, the risk model, SP 800-53B baselines and the
 * protection plan's actions (DESIGN.md "Risk" and "Protection plan").
 *
 * The model, as the README writes it for readers who recompute a score:
 *   level value   low 1, moderate 2, high 3, uncategorized W_UNCATEGORIZED
 *   impact        (2 max(C, I, A) + C + I + A) / 15
 *   likelihood    min(1, sum of the terms of enum hw_term)
 *   blast         min(1, log10(1 + weighted dependents) / log10(1 + sat))
 *   multiplier    floor + (1 - floor) blast
 *   score         100 impact likelihood multiplier, rounded to 0.1
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
				    "%s: %g is out of range (expected %g to "
				    "%g)",
				    what, v, min, max);
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
				    "unknown weight \"%.60s\" (see risk "
				    "--weights)",
				    name);
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

/* ------------------------------------------------------------------ */
/* The model                                                           */

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

static double level_value(const struct hw_weights *w, enum hw_level l)
{
	switch (l) {
	case HW_LEVEL_NA:
	case HW_LEVEL_LOW:
		return 1;
	case HW_LEVEL_MODERATE:
		return 2;
	case HW_LEVEL_HIGH:
		return 3;
	default:
		return w->v[HW_W_UNCATEGORIZED];
	}
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
	enum hw_level overall = hw_sc_overall(&in->effective);
	int o;

	memset(out, 0, sizeof *out);
	for (o = 0; o < HW_NOBJ; o++) {
		out->level[o] = level_value(w, in->effective.v[o]);
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

/* ------------------------------------------------------------------ */
/* SP 800-53B baselines                                                */

const char *hw_control_label(const char *id, char *buf, size_t size)
{
	size_t n = 0;
	int open = 0;

	if (size == 0)
		return buf;
	for (; *id != '\0' && n + 2 < size; id++) {
		if (*id == '.' && !open) {
			buf[n++] = '(';
			open = 1;
		} else if (*id >= 'a' && *id <= 'z') {
			buf[n++] = (char)(*id - 'a' + 'A');
		} else {
			buf[n++] = *id;
		}
	}
	if (open)
		buf[n++] = ')';
	buf[n] = '\0';
	return buf;
}

void hw_baselines_release(struct hw_baselines *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < b->count; i++) {
		free(b->controls[i].id);
		free(b->controls[i].family);
		free(b->controls[i].title);
	}
	free(b->controls);
	memset(b, 0, sizeof *b);
}

int hw_baselines_load(struct hw_baselines *b, const char *path,
		      struct hw_error *err)
{
	static const char header[] = "control_id,family,title,low,moderate,high";
	char line[1024], *f[6];
	size_t cap = 0;
	int lineno = 0, col = 0, n, l;
	FILE *fp;

	memset(b, 0, sizeof *b);
	fp = fopen(path, "r");
	if (fp == NULL)
		return hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				    strerror(errno));
	while (fgets(line, sizeof line, fp) != NULL) {
		struct hw_control *c;

		lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (lineno == 1) {
			if (strcmp(line, header) != 0) {
				hw_error_set_at(err, HW_EFORMAT, path, 1, 1,
						"expected header \"%s\"",
						header);
				goto fail;
			}
			continue;
		}
		if (line[0] == '\0')
			continue;
		n = hwp_csv_split(line, f, 6, &col);
		if (n != 6 || f[0][0] == '\0' || f[1][0] == '\0') {
			hw_error_set_at(err, HW_EFORMAT, path, lineno,
					n < 0 ? col : 1,
					"expected 6 comma-separated fields "
					"with a control id and a family");
			goto fail;
		}
		if (b->count == cap) {
			size_t nc = cap ? cap * 2 : 512;
			struct hw_control *g =
			    realloc(b->controls, nc * sizeof *g);

			if (g == NULL)
				goto nomem;
			b->controls = g;
			cap = nc;
		}
		c = &b->controls[b->count];
		memset(c, 0, sizeof *c);
		for (l = HW_LEVEL_LOW; l <= HW_LEVEL_HIGH; l++) {
			const char *v = f[3 + l - HW_LEVEL_LOW];

			if (strcmp(v, "1") == 0) {
				c->in |= 1u << l;
				b->size[l]++;
			} else if (strcmp(v, "0") != 0) {
				hw_error_set_at(err, HW_EFORMAT, path, lineno,
						1,
						"%s: expected 0 or 1 in column "
						"%s",
						f[0], baseline_words[l]);
				goto fail;
			}
		}
		c->id = strdup(f[0]);
		c->family = strdup(f[1]);
		c->title = strdup(f[2]);
		b->count++;
		if (!c->id || !c->family || !c->title)
			goto nomem;
	}
	if (ferror(fp)) {
		hw_error_set(err, HW_EIO, "cannot read '%s'", path);
		goto fail;
	}
	fclose(fp);
	return 0;
nomem:
	hw_error_set(err, HW_ENOMEM, "out of memory");
fail:
	fclose(fp);
	hw_baselines_release(b);
	return -1;
}

size_t hw_baselines_gap(const struct hw_baselines *b, int from, int to,
			const char *family)
{
	unsigned have = from >= HW_LEVEL_LOW && from <= HW_LEVEL_HIGH
			    ? 1u << from
			    : 0;
	unsigned need = to >= HW_LEVEL_LOW && to <= HW_LEVEL_HIGH ? 1u << to
								   : 0;
	size_t i, n = 0;

	for (i = 0; i < b->count; i++) {
		const struct hw_control *c = &b->controls[i];

		if ((c->in & need) && !(c->in & have) &&
		    (family == NULL || strcmp(c->family, family) == 0))
			n++;
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* Protection plan                                                     */

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
	double t[HW_T_COUNT], l;
	size_t i;

	memcpy(t, r->term, sizeof t);
	for (i = 0; i < ndrop; i++)
		t[drop[i]] = 0;
	return round((r->score - score_of(r->impact, t, r->multiplier, &l)) *
		     10) /
	       10;
}

/* The families a baseline raise brings, "AC 12, AU 9, ...", by the
 * control id's prefix, in catalogue order.  Linear in the controls
 * (the plan asks once an asset): a family's controls usually stand
 * together, so the last family found is tried first. */
#define PLAN_FAMILIES 64
static void families(const struct hw_baselines *b, int from, int to,
		     char *buf, size_t size)
{
	unsigned have = from >= HW_LEVEL_LOW ? 1u << from : 0,
		 need = 1u << to;
	struct {
		const char *name, *id; /* the family, its first control */
		size_t n;
	} fam[PLAN_FAMILIES];
	size_t i, k, nfam = 0, last = 0, len = 0;

	buf[0] = '\0';
	for (i = 0; i < b->count; i++) {
		const struct hw_control *c = &b->controls[i];

		if (nfam == 0 || strcmp(fam[last].name, c->family) != 0) {
			for (k = 0; k < nfam; k++)
				if (strcmp(fam[k].name, c->family) == 0)
					break;
			if (k == nfam) {
				if (nfam == PLAN_FAMILIES)
					continue;
				fam[nfam].name = c->family;
				fam[nfam].id = c->id;
				fam[nfam++].n = 0;
			}
			last = k;
		}
		fam[last].n += (c->in & need) && !(c->in & have);
	}
	for (i = 0; i < nfam; i++) {
		char code[8];

		if (fam[i].n == 0)
			continue;
		for (k = 0; k + 1 < sizeof code && fam[i].id[k] &&
			    fam[i].id[k] != '-';
		     k++)
			code[k] = (char)(fam[i].id[k] >= 'a' && fam[i].id[k] <= 'z'
					     ? fam[i].id[k] - 'a' + 'A'
					     : fam[i].id[k]);
		code[k] = '\0';
		if (len < size)
			len += (size_t)snprintf(buf + len, size - len, "%s%s %zu",
						len ? ", " : "", code, fam[i].n);
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
	if (r->term[HW_T_FRAGILITY] > 0) {
		enum hw_term t = HW_T_FRAGILITY;

		ACTION(HW_ACT_FRAGILE, gain(r, &t, 1),
		       "fragility %.2f from failed changes and incidents",
		       f->fragility);
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
