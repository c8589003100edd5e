/*
 * factor.h: an asset's risk factors, dates and the risk model's weights
 * as values (factor.c).  Included by highwater.h after the levels;
 * include highwater.h, not this.
 */
#ifndef HW_FACTOR_H
#define HW_FACTOR_H

#include <stdint.h>

/* Risk factors of an asset (DESIGN.md "Risk").  A factor counts only
 * when its bit is set in known: a zeroed struct means "no data" for all
 * (and authorized).  Dates are days since 1970-01-01 (UTC). */
enum hw_factor {
	HW_F_VULNERABILITIES, /* vulnerabilities: known, unpatched */
	HW_F_WORST_CVSS,      /* worst_cvss: CVSS base score 0.0-10.0 */
	HW_F_LAST_PATCHED,    /* last_patched: date */
	HW_F_END_OF_LIFE,     /* end_of_life: date */
	HW_F_AUTHORIZED,      /* authorized: 0 = nobody approved it */
	HW_F_BASELINE,	      /* implemented_baseline: 0 none, or a level */
	HW_F_DOWNTIME_COST,   /* downtime_cost: per hour */
	HW_F_FRAGILITY,	      /* 0..1, from change and incident records */
	HW_F_COUNT
};
#define HW_F_BIT(f) (1u << (f))

struct hw_factors {
	unsigned known; /* HW_F_BIT(f) for each factor with data */
	int vulnerabilities;
	double worst_cvss;
	int32_t last_patched, end_of_life;
	int authorized;
	int baseline; /* 0 none, HW_LEVEL_LOW, _MODERATE or _HIGH */
	double downtime_cost;
	double fragility;
};

/* What an asset's fragility is made of (fragility.c), from the change
 * and incident records in windows that end with the as-of day: changes
 * count for each of their targets. */
struct hw_fragility {
	int32_t changes;	/* closed success, failed or backed-out in
				   the change window */
	int32_t failed;		/* of them, failed or backed-out */
	int32_t incidents;	/* opened in the incident window */
	int32_t repaired;	/* resolved in the repair window */
	double repair_hours;	/* their mean time to repair, hours */
};

/* The implemented baseline recorded (HW_LEVEL_LOW.._HIGH), or 0 for
 * none or not recorded. */
int hw_factors_baseline(const struct hw_factors *f);

/* It as text: "LOW", "MODERATE", "HIGH", "NONE" or "not recorded". */
const char *hw_factors_baseline_text(const struct hw_factors *f);

/* A factor's field name ("vulnerabilities", ...). */
const char *hw_factor_name(enum hw_factor f);

/* Set one factor from text, by its field name: vulnerabilities (count),
 * worst_cvss (0.0-10.0), last_patched and end_of_life (YYYY-MM-DD),
 * authorized (yes/no), implemented_baseline (none, low, moderate, high),
 * downtime_cost (per hour, >= 0).  "" clears it (no data).  Fragility
 * is not set by hand: it will come from change and incident records.
 * Returns 0, 1 if field is not a settable factor, -1 on a bad value. */
int hw_factor_set(struct hw_factors *f, const char *field, const char *value,
		  struct hw_error *err);

/* Field names for messages: "vulnerabilities, worst_cvss, ...". */
extern const char hw_factor_fields[];

/* Dates: parse YYYY-MM-DD (a real calendar date) into days since
 * 1970-01-01; format into buf (at least 11 bytes). */
int hw_date_parse(const char *s, int32_t *out, struct hw_error *err);
const char *hw_date_format(int32_t days, char buf[11]);

/* The factor's value as text, as hw_factor_set reads it ("" when not
 * known); buf holds at least 32 bytes. */
const char *hw_factor_text(const struct hw_factors *f, enum hw_factor which,
			   char buf[32]);

/* ------------------------------------------------------------------ */
/* Weights of the risk model                                           */

/* Weights and thresholds, by name; defaults in hw_weight_defs. */
enum hw_weight {
	HW_W_UNCATEGORIZED,   /* level value of an uncategorized objective */
	HW_W_BASE,	      /* likelihood every asset has */
	HW_W_INTERNET,	      /* internet-facing */
	HW_W_CVSS,	      /* x worst CVSS / 10 */
	HW_W_VULNS,	      /* x min(vulnerabilities, cap) / cap */
	HW_W_VULN_CAP,	      /* vulnerability count that saturates */
	HW_W_PATCH_AGE,	      /* x min(days since patched, days) / days */
	HW_W_PATCH_DAYS,      /* patch age that saturates */
	HW_W_EOL,	      /* past end of life */
	HW_W_UNAUTHORIZED,    /* nobody approved it into production */
	HW_W_BASELINE_GAP,    /* per baseline step implemented below needs */
	HW_W_FRAGILITY,	      /* x fragility (0-1) */
	HW_W_BLAST_FLOOR,     /* multiplier with no dependents */
	HW_W_BLAST_SAT,	      /* weighted dependents for the full multiplier */
	HW_W_BAND_MODERATE,   /* score from which the band is moderate */
	HW_W_BAND_HIGH,	      /* ... high */
	HW_W_BAND_VERY_HIGH,  /* ... very high */
	HW_W_PATCH_OVERDUE,   /* plan: days since patched that call for it */
	HW_W_FRAG_RATE,	      /* fragility: x failure rate part */
	HW_W_FRAG_RATE_CAP,   /* failure rate that gives the whole part */
	HW_W_FRAG_MIN_CHANGES, /* closed changes below which: no data */
	HW_W_FRAG_INCIDENTS,  /* fragility: x incidents part */
	HW_W_FRAG_INCIDENT_CAP, /* incidents that give the whole part */
	HW_W_FRAG_MTTR,	      /* fragility: x time to repair part */
	HW_W_FRAG_MTTR_CAP,   /* mean hours to repair for the whole part */
	HW_W_FRAG_CHANGE_DAYS, /* the change window, days */
	HW_W_FRAG_INCIDENT_DAYS, /* the incident window, days */
	HW_W_FRAG_REPAIR_DAYS, /* the repair window, days */
	HW_W_PLAN_FRAGILE,    /* plan: fragility that calls for stabilising */
	HW_W_COUNT
};

struct hw_weight_def {
	const char *name; /* "likelihood.internet" */
	double fallback, min, max;
	const char *about;
};
extern const struct hw_weight_def hw_weight_defs[HW_W_COUNT];

struct hw_weights {
	double v[HW_W_COUNT];
};

/* Defaults; the weight called name (-1 if none). */
void hw_weights_default(struct hw_weights *w);
int hw_weight_find(const char *name);

/* Set one weight from text, checking its range and that the bands stay
 * in order; w is unchanged on error. */
int hw_weight_set(struct hw_weights *w, const char *name, const char *value,
		  struct hw_error *err);

#endif /* HW_FACTOR_H */
