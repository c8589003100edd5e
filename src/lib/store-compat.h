/*
 * store-compat.h: compat: removed at merge.  The old names the import
 * (io-json.c) calls until it moves to the hwp_load_* operations of
 * store.h; they are the SQLite switches the store interface now hides
 * (store-bulk.c implements them as thin wrappers).
 */
#ifndef HW_STORE_COMPAT_H
#define HW_STORE_COMPAT_H

int hwp_asset_put(struct hw_store *st, const struct hw_asset *a, int replace,
		  long long *n, int *existed, struct hw_error *err);
int hwp_dep_put_rows(struct hw_store *st, const struct hwp_dep_row *rows,
		     size_t n, size_t *bad, struct hw_error *err);
int hwp_foreign_keys(struct hw_store *st, int on, struct hw_error *err);
int hwp_dep_count_upto(struct hw_store *st, long long limit, long long *out,
		       struct hw_error *err);
int hwp_asset_any(struct hw_store *st, int *out, struct hw_error *err);
enum hwp_index { HWP_INDEX_ASSET_OWNER, HWP_INDEX_DEPENDENCY_DST };
int hwp_index_drop(struct hw_store *st, enum hwp_index which,
		   struct hw_error *err);
int hwp_index_create(struct hw_store *st, enum hwp_index which, int threads,
		     struct hw_error *err);

#endif /* HW_STORE_COMPAT_H */
