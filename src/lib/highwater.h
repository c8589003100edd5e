/*
 * highwater.h: the public API of libhighwater, a risk-centred asset and
 * configuration-item inventory with FIPS 199 categorization.
 *
 * Conventions (see STYLE.md):
 *  - A fallible function returns 0 on success and -1 on failure, or a
 *    pointer that is NULL on failure.  Its last argument is a
 *    struct hw_error * that may be NULL; the first error set is kept.
 *  - "Returns a new X" means the caller frees it with the matching _free
 *    or _release; "borrowed" means the callee keeps ownership.
 *  - Out-parameters are written only on success.
 *  - The library never prints, never exits and never reads the
 *    environment.
 */
#ifndef HIGHWATER_H
#define HIGHWATER_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "error.h"
#include "json-stream.h"

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

/* ------------------------------------------------------------------ */
/* Inventory records                                                   */

/* An information type (SP 800-60 or the organisation's own). */
struct hw_infotype {
	char *id;	   /* e.g. "C.2.4.1" */
	char *name;
	char *category;	   /* may be NULL */
	struct hw_sc prov; /* provisional levels; all NONE if SP 800-60
			      gives none */
	int builtin;	   /* 1 if from the shipped catalogue */
};

/* An asset's use of an information type. */
struct hw_assignment {
	char *type_id;
	struct hw_sc base;     /* provisional levels when assigned, or NONE */
	struct hw_sc selected; /* levels that count */
	char *justification;   /* required when selected differs from base */
};

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

/* Add the factors with data to a JSON object (a jansson json_t *),
 * under their field names, as the inventory format writes them. */
struct json_t;
int hw_factors_json_put(struct json_t *obj, const struct hw_factors *f);

/* Dates: parse YYYY-MM-DD (a real calendar date) into days since
 * 1970-01-01; format into buf (at least 11 bytes). */
int hw_date_parse(const char *s, int32_t *out, struct hw_error *err);
const char *hw_date_format(int32_t days, char buf[11]);

/* The factor's value as text, as hw_factor_set reads it ("" when not
 * known); buf holds at least 32 bytes. */
const char *hw_factor_text(const struct hw_factors *f, enum hw_factor which,
			   char buf[32]);

struct hw_asset {
	char *id;
	char *name;
	char *type;	   /* one of hw_asset_types */
	char *owner;	   /* may be NULL: nobody owns it */
	char *description; /* may be NULL */
	struct hw_sc direct; /* levels set on the asset itself; NONE = unset */
	int internet_facing;
	struct hw_factors factors;
	struct hw_assignment *types; /* owned array */
	size_t ntypes;
};

struct hw_dep {
	char *from; /* from depends on to */
	char *to;
	char *type; /* one of hw_dep_types */
	unsigned carries;
};

/* Release what the record owns (not the record itself); NULL is fine. */
void hw_infotype_release(struct hw_infotype *t);
void hw_assignment_release(struct hw_assignment *a);
void hw_asset_release(struct hw_asset *a);
void hw_dep_release(struct hw_dep *d);

/* Own categorization of an asset: per objective, the high-water mark of
 * its direct levels and its information types' selected levels, with NA
 * counted as LOW.  Objectives with neither stay HW_LEVEL_NONE. */
void hw_asset_own_sc(const struct hw_asset *a, struct hw_sc *out);

/* 1 if any selected level of the assignment differs from its base. */
int hw_assignment_adjusted(const struct hw_assignment *a);

/* ------------------------------------------------------------------ */
/* Store (SQLite)                                                      */

struct hw_store;

/* Create a new database file (mode 0600); refuses an existing file.
 * Loads the SP 800-60 catalogue from catalogue_csv (may be NULL to
 * skip).  Returns a new store, closed with hw_store_close. */
struct hw_store *hw_store_create(const char *path, const char *catalogue_csv,
				 struct hw_error *err);

/* Open an existing database; readonly selects SQLITE_OPEN_READONLY.
 * Refuses a missing file, a file that is not a highwater database, and
 * one written by a newer version. */
struct hw_store *hw_store_open(const char *path, int readonly,
			       struct hw_error *err);

/* Close; returns 0 if SQLite closed cleanly, -1 otherwise.  NULL is fine. */
int hw_store_close(struct hw_store *st);

/* Schema version this library writes. */
int hw_store_schema_version(void);

/* Transactions: begin is BEGIN IMMEDIATE.  Nesting is not supported. */
int hw_store_begin(struct hw_store *st, struct hw_error *err);
int hw_store_commit(struct hw_store *st, struct hw_error *err);
void hw_store_rollback(struct hw_store *st);

/* Load the catalogue CSV (id,name,category,confidentiality,integrity,
 * availability) as builtin types.  Call inside a transaction. */
int hw_store_load_catalogue(struct hw_store *st, const char *csv_path,
			    struct hw_error *err);

/* Information types.  _get fills *out (caller releases); HW_ENOTFOUND if
 * absent.  _put inserts, or replaces when replace is set (HW_EEXIST
 * otherwise).  A shipped (builtin) type is replaced only by a builtin
 * one: a custom t with a shipped id is a no-op when it matches it
 * (hw_infotype_shipped_diff), else HW_EREFUSED.  Replacing a type's
 * levels moves every assignment objective that follows them (selected =
 * base) to the new levels and keeps adjusted ones; HW_EREFUSED naming
 * the asset when an assignment cannot follow (no levels left, or given
 * levels that would differ from the new ones without a justification). */
int hw_store_infotype_get(struct hw_store *st, const char *id,
			  struct hw_infotype *out, struct hw_error *err);
int hw_store_infotype_put(struct hw_store *st, const struct hw_infotype *t,
			  int replace, struct hw_error *err);

/* Does t give the shipped type shipped unchanged (the same name and
 * levels, and the same category unless t has none)?  NULL if so, else
 * the first member that differs ("name", "category", "confidentiality",
 * ...), a static string. */
const char *hw_infotype_shipped_diff(const struct hw_infotype *shipped,
				     const struct hw_infotype *t);

/* Call fn for each information type in id order; search (may be NULL)
 * keeps those whose id starts with it or whose name or category contains
 * every word of it (case-insensitive); builtin < 0 any, 0 custom only,
 * 1 catalogue only.  The record is borrowed for the call.  A non-zero
 * return from fn stops the walk and is returned. */
int hw_store_infotype_each(struct hw_store *st, const char *search,
			   int builtin,
			   int (*fn)(const struct hw_infotype *, void *),
			   void *ctx, struct hw_error *err);

/* Assets.  _get fills *out with the asset and its assignments. */
int hw_store_asset_get(struct hw_store *st, const char *id,
		       struct hw_asset *out, struct hw_error *err);

/* Insert (HW_EEXIST if present) or, with replace, insert-or-replace the
 * asset's fields and its whole list of assignments (its dependencies
 * stay).  Assignments are checked: the type must exist, adjusted levels
 * need a justification, types without provisional levels need levels. */
int hw_store_asset_put(struct hw_store *st, const struct hw_asset *a,
		       int replace, struct hw_error *err);

/* Delete an asset.  Refuses with HW_EREFUSED while other assets depend on
 * it, unless force is set, in which case those dependencies go too. */
int hw_store_asset_delete(struct hw_store *st, const char *id, int force,
			  struct hw_error *err);

/* Call fn for each asset (with assignments) in id order. */
int hw_store_asset_each(struct hw_store *st,
			int (*fn)(const struct hw_asset *, void *), void *ctx,
			struct hw_error *err);

/* Number of assets, and of assets depending directly on id. */
int hw_store_asset_count(struct hw_store *st, long *out, struct hw_error *err);

/* Fill a.base from the catalogue and check the assignment (type exists,
 * levels present where no provisional ones, justification when
 * adjusted).  Unset selected objectives take the base level. */
int hw_store_assignment_prepare(struct hw_store *st, struct hw_assignment *a,
				struct hw_error *err);

/* Dependencies.  _add inserts, or updates type and carries when replace
 * is set; both ends must exist. */
int hw_store_dep_add(struct hw_store *st, const struct hw_dep *d, int replace,
		     struct hw_error *err);
int hw_store_dep_delete(struct hw_store *st, const char *from, const char *to,
			struct hw_error *err);

/* Call fn for each dependency touching asset (either end), or all when
 * asset is NULL, ordered by from then to. */
int hw_store_dep_each(struct hw_store *st, const char *asset,
		      int (*fn)(const struct hw_dep *, void *), void *ctx,
		      struct hw_error *err);

/* Remove every asset, dependency, assignment and custom information
 * type (the catalogue stays).  Call inside a transaction. */
int hw_store_clear(struct hw_store *st, struct hw_error *err);

/* Settings: small named values (e.g. the organisation's name). */
int hw_store_setting_get(struct hw_store *st, const char *name, char **out,
			 struct hw_error *err);
int hw_store_setting_set(struct hw_store *st, const char *name,
			 const char *value, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* JSON inventory (io-json.c)                                          */

struct hw_import_stats {
	long infotypes, assets, dependencies; /* records read */
};

/* Import an inventory (DESIGN.md section 3, whole JSON or JSON Lines,
 * told apart by content) from path into st, inside one transaction that
 * is rolled back on any error and also when dry_run is set.  replace
 * clears the inventory first; otherwise records merge by id.  Errors
 * name the file, line and column (syntax) or the JSON path
 * ("assets[12].integrity").  progress (may be NULL) is called now and
 * then with bytes read and total. */
int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err);

/* Export the inventory as one JSON document (sorted keys, 2-space
 * indent, records in id order) to the stream fp (borrowed); the caller
 * checks and closes it. */
int hw_export_json(struct hw_store *st, FILE *fp, struct hw_error *err);

/* Return the export as a new string (caller frees with free()). */
char *hw_export_json_string(struct hw_store *st, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Dependency graph (graph.c)                                          */

struct hw_graph;

/* Load every asset and dependency into memory.  Returns a new graph
 * (hw_graph_free). */
struct hw_graph *hw_graph_load(struct hw_store *st, struct hw_error *err);

/* Load only the given assets and everything depending on them,
 * transitively: all that their upward impact and its effective levels
 * need.  Past limit nodes it loads the whole graph instead.  Unknown ids
 * fail with HW_ENOTFOUND. */
struct hw_graph *hw_graph_load_up(struct hw_store *st, const char *const *ids,
				  size_t nids, size_t limit,
				  struct hw_error *err);

/* Build a graph from arrays: node i gets id "v<i>" and own levels
 * own[i]; edge from depends on to.  Returns a new graph. */
#define HW_DEP_TYPE_COUNT 7 /* entries of hw_dep_types */
struct hw_graph_edge {
	uint32_t from, to;
	unsigned carries; /* HW_CARRY_* */
	int type;	  /* index into hw_dep_types */
};
struct hw_graph *hw_graph_build(size_t n, const struct hw_sc *own, size_t m,
				const struct hw_graph_edge *edges,
				struct hw_error *err);

void hw_graph_free(struct hw_graph *g);

/* Sizes; whether the graph is a partial (upward closure) load. */
size_t hw_graph_size(const struct hw_graph *g);
size_t hw_graph_edges(const struct hw_graph *g);
int hw_graph_is_closure(const struct hw_graph *g);

/* Node number of an asset id, -1 if not in the graph (never fails: out
 * of memory for its index, it searches more slowly). */
long hw_graph_find(struct hw_graph *g, const char *id);

/* Order node numbers by asset id. */
void hw_graph_sort_by_id(const struct hw_graph *g, uint32_t *nodes, size_t n);

/* Node attributes; strings are borrowed from the graph. */
const char *hw_graph_id(const struct hw_graph *g, uint32_t v);
const char *hw_graph_name(const struct hw_graph *g, uint32_t v);
const char *hw_graph_owner(const struct hw_graph *g, uint32_t v); /* NULL */
const char *hw_graph_type(const struct hw_graph *g, uint32_t v);
const struct hw_sc *hw_graph_own(const struct hw_graph *g, uint32_t v);

/* Owners are numbered 0..hw_graph_owner_count()-1; -1 for none. */
int hw_graph_owner_index(const struct hw_graph *g, uint32_t v);
size_t hw_graph_owner_count(const struct hw_graph *g);
const char *hw_graph_owner_name(const struct hw_graph *g, size_t i);

/* What v depends on: count, with borrowed arrays of targets and edge
 * attributes (decode with hw_graph_attr_*). */
size_t hw_graph_out(const struct hw_graph *g, uint32_t v,
		    const uint32_t **adj, const uint8_t **attr);
unsigned hw_graph_attr_carries(uint8_t attr);
const char *hw_graph_attr_type(uint8_t attr);

/* Effective (inherited) categorization of every node, and which nodes
 * sit on a dependency cycle.  Call before the functions below. */
int hw_graph_categorize(struct hw_graph *g, struct hw_error *err);
const struct hw_sc *hw_graph_effective(const struct hw_graph *g, uint32_t v);
int hw_graph_on_cycle(const struct hw_graph *g, uint32_t v);

/* For an effective level above the own level: the node that raised it
 * (-1 if none), and a shortest path from it to v written to buf (up to
 * cap nodes, raiser first); returns the path's length. */
long hw_graph_raised_by(const struct hw_graph *g, uint32_t v,
			enum hw_objective o);
size_t hw_graph_raised_path(const struct hw_graph *g, uint32_t v,
			    enum hw_objective o, uint32_t *buf, size_t cap);

/* Change impact. */
enum hw_direction { HW_DIR_UP = 0, HW_DIR_DOWN, HW_DIR_BOTH };

struct hw_impact_opts {
	int depth;		     /* maximum hops, -1 for no limit */
	unsigned types;		     /* bit i: follow hw_dep_types[i]; 0 all */
	enum hw_direction direction; /* up: dependents (default) */
};

#define HW_NOT_MEMBER UINT32_MAX

struct hw_impact {
	size_t count;	   /* members, the targets included */
	uint32_t *members; /* node numbers, breadth-first order */
	uint32_t *dist;	   /* per graph node: hops, or HW_NOT_MEMBER */
	int32_t *parent;   /* per node: previous on a shortest path, -1 */
	int32_t *parent_down; /* direction both: the down search's tree,
				 for the members with down set */
	unsigned char *down; /* per node: reached going down (relied on
				by a target), not up */
};

/* The impact set of targets (node numbers).  Returns a new impact
 * (hw_impact_free). */
struct hw_impact *hw_graph_impact(const struct hw_graph *g,
				  const uint32_t *targets, size_t ntargets,
				  const struct hw_impact_opts *opts,
				  struct hw_error *err);
void hw_impact_free(struct hw_impact *imp);

/* Order the members by distance, then id. */
void hw_impact_sort(const struct hw_graph *g, struct hw_impact *imp);

/* Path from a target to v into buf (up to cap); returns its length. */
size_t hw_impact_path(const struct hw_impact *imp, uint32_t v, uint32_t *buf,
		      size_t cap);

struct hw_impact_summary {
	struct hw_sc highest;		  /* per objective, over members */
	enum hw_level top;		  /* highest of the three */
	size_t count[HW_LEVEL_HIGH + 1];  /* members by effective overall
					     level, a partly categorized
					     one at its lower bound;
					     [HW_LEVEL_NONE] = no level */
	size_t partial;			  /* of those, lower bounds */
	size_t services;		  /* business services touched */
	size_t on_cycle;		  /* members on a cycle */
	const char *route;		  /* full-cab, cab-review, standard */
};

/* Summarize (after hw_graph_categorize).  The route is full-cab when
 * the highest level reaches full_cab, cab-review when it reaches
 * cab_review or some member has no level or only a lower bound (partly
 * categorized), else standard. */
int hw_impact_summarize(const struct hw_graph *g, const struct hw_impact *imp,
			enum hw_level full_cab, enum hw_level cab_review,
			struct hw_impact_summary *sum);

/* Blast radius (after hw_graph_categorize): per node, how many assets
 * depend on it directly or transitively (count) and the sum of their
 * level weights (weighted; weight[l] for effective overall level l,
 * weight[HW_LEVEL_NONE] for uncategorized, the higher of the two for a
 * lower bound l).  Exact while a node has
 * fewer than HW_BLAST_EXACT dependents; beyond, estimated from a
 * k-minimum-values sample (about 9% error) and estimated[v] is set.
 * Linear in the graph times HW_BLAST_EXACT at worst; cycles are fine.
 * Arrays have hw_graph_size() entries. */
#define HW_BLAST_EXACT 127
int hw_graph_blast(const struct hw_graph *g,
		   const double weight[HW_LEVEL_HIGH + 1], double *count,
		   double *weighted, unsigned char *estimated,
		   struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Risk (risk.c): the model of DESIGN.md "Risk", in the README's words  */

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

/* Weights in the database: the defaults overridden by stored values;
 * store one (checked as hw_weight_set does against the others). */
int hw_store_weights(struct hw_store *st, struct hw_weights *out,
		     struct hw_error *err);
int hw_store_weight_set(struct hw_store *st, const char *name,
			const char *value, struct hw_error *err);

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

void hw_risk_score(const struct hw_weights *w, const struct hw_risk_input *in,
		   struct hw_risk *out);

/* The score's main reasons in words (reason.c), "; " between them:
 * internet-facing, known vulnerabilities and the worst CVSS, an overdue
 * patch, end of life, no authorization, a baseline gap, the objectives
 * at the highest level ("availability HIGH", or "uncategorized") and the
 * dependents ("about" when estimated).  Writes buf (cut to size);
 * returns it. */
const char *hw_risk_reasons(const struct hw_weights *w,
			    const struct hw_risk_input *in,
			    const struct hw_risk *r, int estimated, char *buf,
			    size_t size);

/* SP 800-53B baselines (data/sp800-53b-baselines.csv). */
struct hw_control {
	char *id, *family, *title;
	unsigned in; /* bit l set: in the baseline of level l */
};
struct hw_baselines {
	struct hw_control *controls;
	size_t count;
	size_t size[HW_LEVEL_HIGH + 1]; /* controls per baseline level */
};

/* A control id as NIST writes it: "ac-2.1" as "AC-2(1)", "cm-3" as
 * "CM-3".  Writes buf (cut to size); returns it. */
const char *hw_control_label(const char *id, char *buf, size_t size);

/* Load the CSV (control_id,family,title,low,moderate,high). */
int hw_baselines_load(struct hw_baselines *b, const char *path,
		      struct hw_error *err);
void hw_baselines_release(struct hw_baselines *b);

/* Controls in the baseline of level to but not in that of from (0 =
 * none); with family (may be NULL) only that family's. */
size_t hw_baselines_gap(const struct hw_baselines *b, int from, int to,
			const char *family);

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

/* ------------------------------------------------------------------ */
/* Assessment (assess.c): the risk register and data-quality checks    */

struct hw_risk_entry {
	uint32_t node;		 /* in the graph */
	long rank;		 /* 1-based: score, then id */
	unsigned char estimated; /* dependents estimated (a large set) */
	struct hw_risk_input in;
	struct hw_risk risk;
};

/* Score every asset of g, a whole-graph load (categorized here if it is
 * not yet), with its factors from st, as of today.  Returns a new array
 * of hw_graph_size() entries in rank order (free()). */
struct hw_risk_entry *hw_risk_register(struct hw_store *st, struct hw_graph *g,
				       const struct hw_weights *w,
				       int32_t today, struct hw_error *err);

enum hw_severity { HW_SEV_LOW = 1, HW_SEV_MODERATE, HW_SEV_HIGH };
const char *hw_severity_name(enum hw_severity s); /* "low" ... */
int hw_severity_parse(const char *s, enum hw_severity *out,
		      struct hw_error *err);

enum hw_finding_kind {
	HW_FIND_UNAUTHORIZED,	  /* high */
	HW_FIND_UNCATEGORIZED,	  /* no own level at all; and partly */
	HW_FIND_PARTIAL,	  /* categorized: high if nothing is inherited
				     either, moderate if part, low if all */
	HW_FIND_NO_OWNER,	  /* moderate */
	HW_FIND_UNDER_CATEGORIZED, /* moderate: own two steps below needs */
	HW_FIND_WEAK_JUSTIFICATION, /* low: adjusted with a placeholder */
	HW_FIND_LOWER_BOUND,	  /* partly categorized: the overall level
				     is a lower bound; high below MODERATE,
				     else moderate */
	HW_FIND_COUNT
};
const char *hw_finding_name(enum hw_finding_kind k);

struct hw_finding {
	enum hw_finding_kind kind;
	enum hw_severity severity;
	uint32_t node;	  /* the asset, in the graph */
	char detail[200]; /* what exactly, with the figures */
};

/* Data-quality findings of the inventory in g (a whole-graph load,
 * categorized here if it is not yet): most severe first, then by asset
 * id, then kind, in a new array *out (free(); may be NULL when *n is
 * 0). */
int hw_check(struct hw_store *st, struct hw_graph *g, struct hw_finding **out,
	     size_t *n, struct hw_error *err);
/* ------------------------------------------------------------------ */
/* Impact route (impact.c)                                             */

/* Why sum's route was chosen, for people: static text.  cab_review is
 * the threshold the summary was made with. */
const char *hw_impact_route_why(const struct hw_impact_summary *sum,
				enum hw_level cab_review);

/* The same at length, for the change report: the level that decided
 * the route, the threshold it met or missed, and the touched assets at
 * that level (the first three in imp's order, "+N more").  Writes buf
 * (cut to size); returns it. */
const char *hw_impact_route_reason(const struct hw_graph *g,
				   const struct hw_impact *imp,
				   const struct hw_impact_summary *sum,
				   enum hw_level full_cab,
				   enum hw_level cab_review, char *buf,
				   size_t size);

/* ------------------------------------------------------------------ */
/* Excel workbooks (report.h, report-change.c, report-plan.c)          */

#include "report.h" /* the options and results every workbook shares */

/* What a change report describes: its targets (ids), the impact options
 * and the route thresholds in force. */
struct hw_change {
	const char *const *targets;
	size_t ntargets;
	const struct hw_impact_opts *opts;
	enum hw_level full_cab, cab_review;
};

/* Write the change advisory board's workbook to path: Summary, Affected
 * CIs, Owners, Controls to re-check.  imp's members are listed in their
 * order (call hw_impact_sort first); sum is hw_impact_summarize's for the
 * same thresholds.  The file appears whole or not at all (a temporary
 * file beside it is renamed at the end); an existing file is refused
 * with HW_EEXIST unless o->force.  info (may be NULL) is filled on
 * success. */
int hw_report_change(const struct hw_graph *g, const struct hw_impact *imp,
		     const struct hw_impact_summary *sum,
		     const struct hw_change *change,
		     const struct hw_report_opts *o, const char *path,
		     struct hw_report_info *info, struct hw_error *err);

/* Write the managers' workbook, the protection plan, for the whole
 * graph g (categorized here if it is not yet) with the factors and
 * findings of st, scored with w as of today: Summary (counts by risk
 * band, overall level and required baseline, the ten highest risks,
 * controls to add by family, data-quality counts, two charts), Risk
 * register (every asset in rank order with every factor and its
 * contribution), Protection plan (baselines, control gap and actions
 * per asset), Categorization (own and effective levels, what raised
 * them and how, information types), Controls (SP 800-53B, with the
 * assets each baseline control is needed by) and Data quality
 * (hw_check's findings).  o->baselines_csv is the SP 800-53B CSV.
 * Same file handling as hw_report_change; info->rows counts assets. */
int hw_report_plan(struct hw_store *st, struct hw_graph *g,
		   const struct hw_weights *w, int32_t today,
		   const struct hw_report_opts *o, const char *path,
		   struct hw_report_info *info, struct hw_error *err);

#endif /* HIGHWATER_H */
