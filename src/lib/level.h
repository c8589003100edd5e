/*
 * level.h: the value types of FIPS 199 categorization (levels,
 * objectives, security category triples, the FIPS 200 overall level),
 * asset ids, the vocabularies and the objectives a dependency carries.
 */
#ifndef HW_LEVEL_H
#define HW_LEVEL_H

#include <stddef.h>

#include "error.h"

/* ------------------------------------------------------------------ */
/* Levels (FIPS 199)                                                   */

enum hw_level {
	HW_LEVEL_NONE = 0, /* not set / uncategorized */
	HW_LEVEL_NA,	   /* not applicable: information-type C only */
	HW_LEVEL_LOW,
	HW_LEVEL_MODERATE,
	HW_LEVEL_HIGH
};

enum hw_objective { HW_C = 0, HW_I, HW_A, HW_NOBJ };

/* A security category triple: levels indexed by enum hw_objective. */
struct hw_sc {
	enum hw_level v[HW_NOBJ];
};

/* Parse a level in any case: low, moderate, high, l, m, h, and, when
 * allow_na is set, na / n/a / not-applicable.  what names the value in
 * error messages (e.g. "integrity"). */
int hw_level_parse(const char *s, int allow_na, enum hw_level *out,
		   struct hw_error *err);

/* "low", "moderate", "high", "na"; NULL for HW_LEVEL_NONE. */
const char *hw_level_name(enum hw_level l);

/* "LOW", "MODERATE", "HIGH", "NOT APPLICABLE", "UNCATEGORIZED". */
const char *hw_level_upper(enum hw_level l);

/* The higher of two levels (NONE < NA < LOW < MODERATE < HIGH). */
enum hw_level hw_level_max(enum hw_level a, enum hw_level b);

/* "confidentiality", "integrity", "availability". */
const char *hw_objective_name(enum hw_objective o);

/* Per objective, the high-water mark of two triples. */
void hw_sc_max(struct hw_sc *acc, const struct hw_sc *b);

/* The level as it counts for a system: NA becomes LOW (FIPS 199 floor). */
enum hw_level hw_level_system(enum hw_level l);

/* FIPS 200 overall impact level: the maximum of the objectives that
 * have a level (NA counting as LOW); HW_LEVEL_NONE only when none has.
 * When some objective has no level and the maximum is below HIGH, it is
 * a lower bound (the asset is partly categorized): see the next two. */
enum hw_level hw_sc_overall(const struct hw_sc *sc);

/* 1 if hw_sc_overall is exact: every objective has a level, or one is
 * HIGH (nothing can raise it further); 0 for a lower bound and for no
 * level at all.  The baseline it selects is exact or not with it. */
int hw_sc_overall_exact(const struct hw_sc *sc);

/* 1 if partly categorized: some level known, the overall a lower bound. */
int hw_sc_partial(const struct hw_sc *sc);

/* The overall level (or the baseline it selects) as people read it,
 * static text: "HIGH", "at least MODERATE", "UNCATEGORIZED", or with
 * lower set "high", "at least moderate", "uncategorized".  exact is
 * hw_sc_overall_exact's answer; it is ignored for HIGH and NONE. */
const char *hw_overall_text(enum hw_level overall, int exact, int lower);
const char *hw_sc_overall_text(const struct hw_sc *sc, int lower);

/* 1 if every objective has a level, 0 if some do, -1 if none does. */
int hw_sc_completeness(const struct hw_sc *sc);

/* The SP 800-53B baseline an overall level selects: "LOW", "MODERATE",
 * "HIGH", or NULL for HW_LEVEL_NONE. */
const char *hw_baseline_name(enum hw_level overall);

/* Write "SC name = {(confidentiality, MODERATE), ...}" into buf (always
 * NUL-terminated, truncated to size).  Returns the length it needed. */
size_t hw_sc_format(const char *name, const struct hw_sc *sc, char *buf,
		    size_t size);

/* ------------------------------------------------------------------ */
/* Identifiers and vocabularies                                        */

#define HW_ID_MAX 64

/* 1 if s is a valid id: 1-64 characters of A-Za-z0-9._:- */
int hw_id_valid(const char *s);

/* Check an id, with an error naming what it is for. */
int hw_id_check(const char *s, const char *what, struct hw_error *err);

/* Asset types and dependency types: NULL-terminated static lists. */
extern const char *const hw_asset_types[];
extern const char *const hw_dep_types[];

/* 1 if s is in the NULL-terminated list. */
int hw_vocab_has(const char *const *list, const char *s);

/* Comma-separated list for messages, e.g. "runs_on, uses, ...": only
 * hw_asset_types or hw_dep_types. */
const char *hw_vocab_text(const char *const *list);

/* Dependencies carry objectives: a mask of HW_CARRY_* bits. */
#define HW_CARRY_C 1u
#define HW_CARRY_I 2u
#define HW_CARRY_A 4u
#define HW_CARRY_ALL 7u

/* Parse "cia", "ia", "c", ... (any case, any order, no repeats). */
int hw_carries_parse(const char *s, unsigned *out, struct hw_error *err);

/* Canonical text of a mask ("cia", "ia", ...); buf holds at least 4. */
const char *hw_carries_text(unsigned mask, char buf[4]);

#endif /* HW_LEVEL_H */
