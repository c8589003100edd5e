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

/* Bulk import (store.c). */
/* Foreign-key enforcement on or off (outside transactions only). */
int hwp_foreign_keys(struct hw_store *st, int on, struct hw_error *err);

/* How many dependencies the database holds, counting up to limit. */
int hwp_dep_count_upto(struct hw_store *st, long long limit, long long *out,
		       struct hw_error *err);

/* 1 if the store holds any asset. */
int hwp_asset_any(struct hw_store *st, int *out, struct hw_error *err);

/* Indexes an import may drop before many inserts and create again after,
 * in one transaction; threads: how many helper threads SQLite's sorter
 * may use. */
enum hwp_index { HWP_INDEX_ASSET_OWNER, HWP_INDEX_DEPENDENCY_DST };
int hwp_index_drop(struct hw_store *st, enum hwp_index which,
		   struct hw_error *err);
int hwp_index_create(struct hw_store *st, enum hwp_index which, int threads,
		     struct hw_error *err);

/* The id of the asset with row number n: a new string. */
int hwp_asset_id(struct hw_store *st, long long n, char **out,
		 struct hw_error *err);

/* Set err to "'DB' is damaged: table TABLE: ..." for a value read back
 * from the database that highwater never writes; returns -1. */
int hwp_damaged(struct hw_store *st, struct hw_error *err, const char *table,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Rows of the bulk scans (store.c) for the graph engine; strings are
 * borrowed for the duration of the callback. */
struct hwp_node {
	long long n; /* the asset's row number */
	const char *id, *name, *type, *owner;
	struct hw_sc direct;
};
struct hwp_levels {
	long long n; /* asset row number */
	struct hw_sc sc; /* selected levels of one assignment */
};
struct hwp_edge {
	long long src, dst; /* src depends on dst */
	const char *type;
	unsigned carries;
};

/* Scans call fn(ctx, row) with a struct hwp_node, hwp_levels or
 * hwp_edge; a non-zero return stops with -1 (out of memory). */
int hwp_scan_nodes(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);
int hwp_scan_levels(struct hw_store *st, int (*fn)(void *, const void *),
		    void *ctx, struct hw_error *err);
int hwp_scan_edges(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);
int hwp_node_by_n(struct hw_store *st, long long n,
		  int (*fn)(void *, const void *), void *ctx,
		  struct hw_error *err);
int hwp_levels_by_n(struct hw_store *st, long long n,
		    int (*fn)(void *, const void *), void *ctx,
		    struct hw_error *err);
int hwp_dependents_of(struct hw_store *st, long long n,
		      int (*fn)(void *, const void *), void *ctx,
		      struct hw_error *err);
int hwp_asset_n(struct hw_store *st, const char *id, long long *n,
		struct hw_error *err);

/* Risk factors of the assets that have any (or are internet-facing),
 * and assignments adjusted from their provisional levels; strings are
 * borrowed for the call. */
struct hwp_factor_row {
	long long n;
	int internet_facing;
	struct hw_factors f;
};
struct hwp_adjusted_row {
	long long n;
	const char *info_type, *justification;
};
int hwp_scan_factors(struct hw_store *st, int (*fn)(void *, const void *),
		     void *ctx, struct hw_error *err);
int hwp_scan_adjusted(struct hw_store *st, int (*fn)(void *, const void *),
		      void *ctx, struct hw_error *err);
/* Every assignment's asset and information type (a struct
 * hwp_adjusted_row with no justification), by asset then type. */
int hwp_scan_types(struct hw_store *st, int (*fn)(void *, const void *),
		   void *ctx, struct hw_error *err);

/* Node of an asset row number in a loaded graph, or UINT32_MAX. */
uint32_t hwp_graph_node(const struct hw_graph *g, long long rown);

/* hw_store_asset_put that also tells the asset's row number and whether
 * it existed before (then replaced, with its assignments). */
int hwp_asset_put(struct hw_store *st, const struct hw_asset *a, int replace,
		  long long *n, int *existed, struct hw_error *err);

/* A dependency between asset row numbers, for bulk inserts. */
struct hwp_dep_row {
	uint64_t src, dst;  /* src depends on dst */
	uint32_t ord;	    /* the caller's: where it came from */
	unsigned char type; /* index into hw_dep_types */
	unsigned char carries;
	unsigned char flag; /* the caller's */
};

/* Insert or update n dependencies, in the order given (sorted by src
 * and dst, the inserts are appends); on failure *bad is the row. */
int hwp_dep_put_rows(struct hw_store *st, const struct hwp_dep_row *rows,
		     size_t n, size_t *bad, struct hw_error *err);

/* Split one CSV line (RFC 4180 quotes, no embedded newlines) into at most
 * max fields, in place.  Returns the field count or -1 with *col set. */
int hwp_csv_split(char *line, char **f, int max, int *col);

/* Text fields are UTF-8 without control characters (tab, newline and
 * carriage return allowed): workbooks, JSON and terminals need it.
 * NULL is fine.  what names the field in the error. */
int hwp_text_check(const char *s, const char *what, struct hw_error *err);

/* Index of s in a NULL-terminated vocabulary, or -1. */
int hwp_vocab_index(const char *const *list, const char *s);

/* Containers (util.c). */
#define HWP_NONE UINT32_MAX

/* Strings copied into large blocks, freed all at once. */
struct hwp_arena {
	char **blocks;
	size_t nblocks, used, cap;
};

/* Copy s into the arena; NULL when out of memory. */
const char *hwp_arena_dup(struct hwp_arena *a, const char *s);
void hwp_arena_free(struct hwp_arena *a);

/* Memory of any size (8-byte aligned) from large blocks, freed all at
 * once, or reset to be filled again with the same blocks. */
struct hwp_pool {
	char **blocks;
	size_t *sizes;
	size_t nblocks, capblocks;
	size_t cur, used; /* block being filled, bytes used in it */
};

/* NULL when out of memory. */
void *hwp_pool_alloc(struct hwp_pool *p, size_t size);
/* A NUL-terminated copy of len bytes of s. */
char *hwp_pool_strdup(struct hwp_pool *p, const char *s, size_t len);
void hwp_pool_reset(struct hwp_pool *p);
void hwp_pool_free(struct hwp_pool *p);

/* Open addressing; keys are int64 (row numbers) or strings. */
struct hwp_map {
	uint64_t *keys; /* int keys, or string pointers */
	uint32_t *vals;
	size_t cap, count; /* cap a power of two */
	int strings;
};

/* Value of key, or HWP_NONE. */
uint32_t hwp_map_get(const struct hwp_map *m, uint64_t key);
/* Insert key -> val unless present; returns the value stored, or
 * HWP_NONE when out of memory.  String keys are borrowed. */
uint32_t hwp_map_put(struct hwp_map *m, uint64_t key, uint32_t val);
void hwp_map_free(struct hwp_map *m);

#endif
