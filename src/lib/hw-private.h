/*
 * hw-private.h: names shared between library files but not public.
 */
#ifndef HW_PRIVATE_H
#define HW_PRIVATE_H

#include "highwater.h"

/* Give an error a source (JSON path, file) if it has none yet. */
void hwp_error_locate(struct hw_error *err, const char *source);

/* strdup that tolerates NULL (returns NULL) and reports ENOMEM. */
char *hwp_strdup(const char *s, struct hw_error *err);

/* Case-insensitive substring test (ASCII). */
int hwp_contains_ci(const char *hay, const char *needle);

/* Import staging (store.c).  kinds for hwp_import_seen. */
enum { HWP_SEEN_TYPE = 1, HWP_SEEN_ASSET = 2 };

/* Create / drop the temporary staging tables. */
int hwp_import_stage(struct hw_store *st, struct hw_error *err);
void hwp_import_unstage(struct hw_store *st);

/* Record id of kind as seen at ordinal ord: 0 if new, 1 if seen before
 * (*first = the earlier ordinal), -1 on error. */
int hwp_import_seen(struct hw_store *st, int kind, const char *id, long ord,
		    long *first, struct hw_error *err);

/* Stage a dependency: 0, 1 if the pair was staged before (*first), -1. */
int hwp_import_dep(struct hw_store *st, const struct hw_dep *d, long ord,
		   long *first, struct hw_error *err);

/* Insert the staged dependencies: 0 done, 1 if one has an end that is no
 * asset (its ordinal, which end: 0 from / 1 to, and that id, a new
 * string), -1 on error. */
int hwp_import_deps_resolve(struct hw_store *st, long *bad_ord,
			    int *bad_end, char **bad_id, struct hw_error *err);

#endif
