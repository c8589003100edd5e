/* temporary: the store provides these at merge. */
/*
 * load-compat.c: the store's bulk-load interface over today's hwp_
 * functions, with the index policy the import used to carry: the owner
 * index of an empty inventory is built after the assets, the reverse
 * dependency index is dropped when a load adds more dependencies than
 * the store holds, and foreign keys are off during the load (the engine
 * resolves every reference itself).  One load at a time.
 */
#include <unistd.h>

#include "load-compat.h"

static struct {
	struct hw_store *st;
	int owner_index; /* asset_owner dropped, to build again */
	int index;	 /* dependency_dst: 0 undecided, 1 kept, 2 dropped */
} load;

static int sorter_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > 4 ? 4 : (int)n;
}

int hwp_load_begin(struct hw_store *st, int replace, struct hw_error *err)
{
	int any;

	load.st = st;
	load.owner_index = 0;
	load.index = 0;
	if (hwp_foreign_keys(st, 0, err) < 0 || hw_store_begin(st, err) < 0) {
		hwp_foreign_keys(st, 1, NULL);
		load.st = NULL;
		return -1;
	}
	if ((replace && hw_store_clear(st, err) < 0) ||
	    hwp_asset_any(st, &any, err) < 0)
		return -1;
	/* Into an empty inventory, the owner index is built after the
	 * assets (at the first dependency, or at the end), by one sort. */
	if (!any && hwp_index_drop(st, HWP_INDEX_ASSET_OWNER, err) < 0)
		return -1;
	load.owner_index = !any;
	return 0;
}

int hwp_load_assets_done(struct hw_store *st, struct hw_error *err)
{
	if (!load.owner_index)
		return 0;
	load.owner_index = 0;
	return hwp_index_create(st, HWP_INDEX_ASSET_OWNER, sorter_threads(),
				err);
}

int hwp_load_deps_coming(struct hw_store *st, long long pending,
			 struct hw_error *err)
{
	long long have = 0;

	if (load.index != 0)
		return 0;
	if (hwp_dep_count_upto(st, pending, &have, err) < 0)
		return -1;
	load.index = pending > have ? 2 : 1;
	return load.index == 2
		   ? hwp_index_drop(st, HWP_INDEX_DEPENDENCY_DST, err)
		   : 0;
}

int hwp_load_asset(struct hw_store *st, const struct hw_asset *a, int replace,
		   hw_key *key, int *existed, struct hw_error *err)
{
	return hwp_asset_put(st, a, replace, key, existed, err);
}

int hwp_load_deps(struct hw_store *st, const struct hwp_dep_row *rows, size_t n,
		  size_t *bad, struct hw_error *err)
{
	return hwp_dep_put_rows(st, rows, n, bad, err);
}

int hwp_load_end(struct hw_store *st, int threads, int dry_run,
		 struct hw_error *err)
{
	if (hwp_load_assets_done(st, err) < 0 ||
	    (load.index == 2 &&
	     hwp_index_create(st, HWP_INDEX_DEPENDENCY_DST, threads, err) < 0))
		return -1;
	load.index = 0;
	if (dry_run)
		hw_store_rollback(st);
	else if (hw_store_commit(st, err) < 0)
		return -1;
	hwp_foreign_keys(st, 1, NULL);
	load.st = NULL;
	return 0;
}

void hwp_load_abort(struct hw_store *st)
{
	if (load.st != st)
		return;
	hw_store_rollback(st);
	hwp_foreign_keys(st, 1, NULL);
	load.st = NULL;
	load.owner_index = 0;
	load.index = 0;
}
