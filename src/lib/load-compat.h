/*
 * load-compat.h: temporary: the store provides these at merge.  The
 * store's bulk-load interface (as the store's brief fixes it), declared
 * here until store.h carries it.
 */
#ifndef HW_LOAD_COMPAT_H
#define HW_LOAD_COMPAT_H

#include "hw-private.h"

/* The store's key of an asset. */
typedef long long hw_key;

/* Begin a bulk load (outside any transaction): the store may defer
 * reference checks and secondary indexes until hwp_load_end.  With
 * replace, the inventory is emptied first. */
int hwp_load_begin(struct hw_store *st, int replace, struct hw_error *err);
/* The last asset of the load was put: build what was deferred for
 * assets (the owner index of an empty inventory). */
int hwp_load_assets_done(struct hw_store *st, struct hw_error *err);
/* About pending more dependencies will come (an estimate): the store
 * decides whether to rebuild the reverse index at the end instead. */
int hwp_load_deps_coming(struct hw_store *st, long long pending,
			 struct hw_error *err);
/* = hwp_asset_put and hwp_dep_put_rows (keys are hw_key). */
int hwp_load_asset(struct hw_store *st, const struct hw_asset *a, int replace,
		   hw_key *key, int *existed, struct hw_error *err);
int hwp_load_deps(struct hw_store *st, const struct hwp_dep_row *rows, size_t n,
		  size_t *bad, struct hw_error *err);
/* Rebuild what was deferred (threads: helper threads the rebuild may
 * use), check references, commit (or roll back when dry_run), restore
 * the connection's settings. */
int hwp_load_end(struct hw_store *st, int threads, int dry_run,
		 struct hw_error *err);
/* Roll back and restore; safe after any failure, or twice. */
void hwp_load_abort(struct hw_store *st);

#endif
