/*
 * store-load-ids.c: the asset ids a load into a non-empty inventory on
 * PostgreSQL knows the table does not hold, so that asking for an
 * asset the load is about to add, or one a dependency names that
 * nothing holds, costs no round trip (hw_store_asset_get, hwp_asset_n).
 *
 * The first READS_ONE_BY_ONE lookups of a load go to the server one
 * at a time (a small merge into a big inventory reads no more); after
 * them the load reads every id the table holds at once, streamed, into
 * a set of their hashes, and adds the ids it stores itself.  An id
 * whose hash is not in the set is not stored; one whose hash is (the
 * id, or another of the same hash) is asked for as before.
 */
#include <string.h>

#include <xxhash.h>

#include "store-sql.h"

#define READS_ONE_BY_ONE 4096

static uint64_t id_hash(const char *id, size_t n)
{
	return XXH3_64bits(id, n);
}

static int note(struct load_ids *ids, const char *id, size_t n,
		struct hw_error *err)
{
	if (hwp_map_put(&ids->set, id_hash(id, n), 1) == HWP_NONE)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	return 0;
}

/* Every id of the asset table into the set (ids->all). */
static int read_all(struct hw_store *st, struct load_ids *ids,
		    struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc, ret = 0;

	if (hwp_prepare_stream(st, "SELECT id FROM asset", &s) != HWP_OK)
		return hwp_db_error(st, err, "cannot read assets");
	while (ret == 0 && (rc = hwp_step(s)) == HWP_ROW) {
		const char *id = (const char *)hwp_col_text(s, 0);
		int n = hwp_col_bytes(s, 0);

		if (id == NULL || n < 1 || n > HW_ID_MAX)
			ret = hwp_damaged(st, err, "asset",
					  "a row holds no asset id");
		else
			ret = note(ids, id, (size_t)n, err);
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read assets");
	hwp_finalize(s);
	if (ret == 0)
		ids->all = 1;
	return ret;
}

int hwp_load_id_absent(struct hw_store *st, const char *id,
		       struct hw_error *err)
{
	struct load_ids *ids = &st->load.ids;

	if (st->pg == NULL || !st->load.active || st->load.empty)
		return 0;
	if (!ids->all && ++ids->reads > READS_ONE_BY_ONE &&
	    read_all(st, ids, err) < 0)
		return -1;
	return ids->all &&
	       hwp_map_get(&ids->set, id_hash(id, strlen(id))) == HWP_NONE;
}

int hwp_load_id_stored(struct hw_store *st, const char *id,
		       struct hw_error *err)
{
	struct load_ids *ids = &st->load.ids;

	if (!ids->all)
		return 0;
	return note(ids, id, strlen(id), err);
}

void hwp_load_ids_free(struct load_ids *ids)
{
	hwp_map_free(&ids->set);
	memset(ids, 0, sizeof *ids);
}
