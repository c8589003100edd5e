/*
 * oscal-read.h: an OSCAL system security plan's information types in
 * (oscal-read.c): part of the public API, included by highwater.h.
 */
#ifndef HW_OSCAL_READ_H
#define HW_OSCAL_READ_H

#include <stddef.h>

#include "level.h"

struct hw_store;
struct hw_error;

/* The largest SSP file hw_import_oscal reads: the information types sit
 * in a document of controls and components, read whole with jansson
 * (a few times the file's size in memory).  NIST's examples are 20 KB;
 * a large FedRAMP SSP a few MB. */
#define HW_OSCAL_MAX_BYTES (32L << 20)

/* The categorization system of SP 800-60 Vol. 2 Rev. 1, as NIST's
 * examples and FedRAMP write it. */
#define HW_OSCAL_SP80060 "https://doi.org/10.6028/NIST.SP.800-60v2r1"

/* One information type as the import assigned it. */
struct hw_oscal_type {
	struct hw_assignment g; /* as stored: base the catalogue's levels */
	int added;		/* 1 if the catalogue lacked it: added with
				   the SSP's base levels */
};

/* What hw_import_oscal did. */
struct hw_oscal_import {
	char *title;		     /* the SSP's metadata.title */
	struct hw_oscal_type *types; /* in the SSP's order */
	size_t ntypes;
};

/* Release what r owns (not r itself); NULL is fine. */
void hw_oscal_import_release(struct hw_oscal_import *r);

/* A level word of an OSCAL impact (base or selected) for objective o:
 * fips-199-low, fips-199-moderate, fips-199-high and the same words
 * without "fips-199-", medium for moderate (NIST's IFA example), in any
 * case; for confidentiality also na, n/a and not-applicable, with or
 * without "fips-199-" (OSCAL has no token for FIPS 199's "not
 * applicable").  HW_EINVAL otherwise, the text saying what was expected
 * and what was got; *out untouched. */
int hw_oscal_level_parse(const char *s, enum hw_objective o, enum hw_level *out,
			 struct hw_error *err);

/* Read the OSCAL SSP (JSON, at most HW_OSCAL_MAX_BYTES) at path and
 * assign the information types of its system-characteristics to the
 * existing asset asset, in one transaction of st's (begun and committed
 * here; rolled back on any error, and when dry_run is set).
 *
 * Each information type is named by its ids under the SP 800-60
 * categorization system (HW_OSCAL_SP80060, http or https, any DOI host),
 * else by its ids under any other system, taken as the organisation's
 * own types; one with neither is refused.  Per objective the SSP's
 * selected level, else its base, is the selected level assigned; the
 * stored type's provisional levels are the base, and a level that
 * differs from them is an adjustment justified by the SSP's
 * adjustment-justification, else "imported from SSP <title>".  A type
 * the store lacks is added with the SSP's base levels as its own.  The
 * asset's assignments of other types stay; one of the same type is
 * replaced.  The writes are audited, with one "import" record.
 *
 * Errors name path and the JSON path (system-security-plan.system-
 * characteristics.system-information.information-types[2].integrity-
 * impact.selected) or the line and column of malformed JSON.  *out
 * (caller releases) is filled on success. */
int hw_import_oscal(struct hw_store *st, const char *path, const char *asset,
		    int dry_run, struct hw_oscal_import *out,
		    struct hw_error *err);

#endif /* HW_OSCAL_READ_H */
