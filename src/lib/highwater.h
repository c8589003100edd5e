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
#include "instant.h"
#include "graph.h"
#include "json-stream.h"
#include "uuid.h"
#include "level.h"

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

#include "factor.h"

/* Add the factors with data to a JSON object (a jansson json_t *),
 * under their field names, as the inventory format writes them. */
struct json_t;
int hw_factors_json_put(struct json_t *obj, const struct hw_factors *f);

struct hw_asset {
	char *id;
	char *name;
	char *type;	   /* one of hw_asset_types */
	char *owner;	   /* may be NULL: nobody owns it */
	char *description; /* may be NULL */
	struct hw_sc direct; /* levels set on the asset itself; NONE = unset */
	int internet_facing;
	struct hw_factors factors;
	char *authorized_by;	/* who authorized it (asset authorize), or NULL */
	hw_time authorized_at;	/* when; 0 if not recorded */
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

/* Does t give the shipped type shipped unchanged (the same name and
 * levels, and the same category unless t has none)?  NULL if so, else
 * the first member that differs ("name", "category", "confidentiality",
 * ...), a static string. */
const char *hw_infotype_shipped_diff(const struct hw_infotype *shipped,
				     const struct hw_infotype *t);

/* ------------------------------------------------------------------ */
/* Output files (outfile.c): every file written goes through these     */

/* Can path be written?  Refused with HW_EEXIST: a symbolic link there
 * (even dangling, even with force), something other than a regular
 * file with force, anything at all without it.  An early answer only:
 * hw_out_place is the one that holds against races. */
int hw_out_check(const char *path, int force, struct hw_error *err);

/* Make a temporary file beside path, owner-only, with O_EXCL: its name
 * into tmp (size bytes), its descriptor returned, or -1 with err. */
int hw_out_temp(const char *path, char *tmp, size_t size,
		struct hw_error *err);

/* Give the finished file tmp the name path: without force never over
 * an existing name (a file, a symbolic link, dangling or not), race
 * free; with force over a regular file only.  On failure tmp is left
 * for the caller to remove. */
int hw_out_place(const char *tmp, const char *path, int force,
		 struct hw_error *err);

/* The store (store.h): public operations; library-internal ones for
 * hw-private.h. */
#include "store.h"

#include "audit.h"    /* the audit trail */
#include "drift.h"    /* configuration baselines and their drift */
#include "history.h"  /* changes and incidents */
#include "settings.h" /* the settings kept in the database */
#include "user.h"     /* the service's users, roles and tokens */
#include "doctor.h"   /* the database checked, orphan rows removed */

#include "json-inventory.h"
#include "import-files.h" /* many files, CSV */
#include "oscal-read.h" /* an SSP's information types in */
#include "oscal-ssp.h" /* OSCAL system security plans */

/* ------------------------------------------------------------------ */
/* Risk: the model, the baselines, the register and the plan          */

#include "risk.h"
#include "baseline.h"
#include "register.h"
#include "plan.h"

/* ------------------------------------------------------------------ */
/* Excel workbooks (report.h, report-change.c, report-plan.c)          */

#include "report.h" /* the options and results every workbook shares */

/* What a change report describes: its targets (ids), the impact options
 * and the route thresholds in force. */
struct hw_change_scope {
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
		     const struct hw_change_scope *change,
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
