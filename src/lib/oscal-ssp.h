/*
 * oscal-ssp.h: one system of the inventory as an OSCAL System Security
 * Plan (oscal-ssp.c).  Included by highwater.h; include highwater.h,
 * not this.
 */
#ifndef HW_OSCAL_SSP_H
#define HW_OSCAL_SSP_H

#include <stdio.h>

#include "instant.h"

/* The OSCAL version the plan declares. */
#define HW_OSCAL_VERSION "1.1.3"

struct hw_oscal_opts {
	const char *system;	   /* the system asset's id */
	int depth;		   /* hops of its boundary, -1 for no limit */
	int include_components;	   /* also the boundary's information types */
	const char *baselines_csv; /* the SP 800-53B baselines CSV */
	hw_time now;		   /* last-modified, and the day statuses
				      are read on (end of life) */
};

/* Write the OSCAL SSP (JSON, sorted keys, two-space indent) of the
 * system o->system to fp (borrowed; the caller checks and closes it).
 * The boundary is the system and what it depends on (o->depth hops);
 * each asset in it is a component and an inventory item, its owner a
 * party.  The plan's UUID is new (version 4) on every call; every other
 * UUID is version 5 from the database id (hw_store_database_id) and the
 * asset, owner or control, so a second export differs from the first in
 * the plan's UUID and last-modified only.  A system must have an
 * information type and all three effective levels: HW_EREFUSED naming
 * what is missing, before anything is written; HW_ENOTFOUND for an
 * unknown asset. */
struct hw_store;
int hw_export_oscal(struct hw_store *st, const struct hw_oscal_opts *o,
		    FILE *fp, struct hw_error *err);

#endif /* HW_OSCAL_SSP_H */
