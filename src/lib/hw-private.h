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

/* The store's library-internal interface (store.h): its private part
 * is seen once HW_PRIVATE_H is defined, whatever was included first. */
#include "store.h"

/* Record validation (record.c). */
#include "record.h"

/* History's library-internal part (history.h), as store.h's above. */
#include "history.h"

/* History records as JSON objects (history-json.c), with the keys of the
 * inventory format's changes and incidents sections: a change with its
 * targets and proposed edits, one edit ({"kind": "add-dep", ...}), an
 * incident.  Keys absent when none; times as hw_time_format writes
 * them.  A new value, or NULL out of memory. */
struct json_t *hwp_change_json(const struct hw_change *c);
struct json_t *hwp_change_edit_json(const struct hw_change_edit *e);
struct json_t *hwp_incident_json(const struct hw_incident *i);
/* Read them back, strictly (HW_EFORMAT naming the member): an edit, an
 * asset as the inventory writes it (an add-asset edit's).  *out is
 * written on success only (caller releases). */
int hwp_change_edit_from_json(const struct json_t *o,
			      struct hw_change_edit *out, struct hw_error *err);
int hwp_asset_from_json(const struct json_t *o, struct hw_asset *out,
			struct hw_error *err);

/* Users in the store (store-user.c), below user.c's checks, tokens
 * and hashes: each write audited as user:NAME, never with the hash.
 * hwp_user_insert adds u (checked by the caller; its times as given)
 * with the hash of its token: HW_EEXIST for a name taken or (never in
 * practice) a hash held.  hwp_user_set_token replaces a user's hash,
 * made at time at: HW_ENOTFOUND for no such user.  hwp_user_by_hash
 * fills *out with the user whose stored hash is hash and stored with
 * that hash as read back (the caller compares them in constant time):
 * HW_ENOTFOUND for none. */
/* A user's name: 1-64 of A-Z a-z 0-9 . _ @ - (user-record.c); 0, or
 * -1 with HW_EINVAL saying what a name is.  hwp_user_check: all of a
 * user before it is written (name, roles, owner values). */
int hwp_user_name_check(const char *name, struct hw_error *err);
int hwp_user_check(const struct hw_user *u, struct hw_error *err);
#define HWP_OWNER_MAX 256 /* bytes of one owner value */
#define HWP_OWNS_MAX 100  /* owner values of one user */
int hwp_user_insert(struct hw_store *st, const struct hw_user *u,
		    const unsigned char hash[32], struct hw_error *err);
int hwp_user_set_token(struct hw_store *st, const char *name,
		       const unsigned char hash[32], hw_time at,
		       struct hw_error *err);
int hwp_user_by_hash(struct hw_store *st, const unsigned char hash[32],
		     struct hw_user *out, unsigned char stored[32],
		     struct hw_error *err);

/* Node of an asset key in a loaded graph, or UINT32_MAX. */
uint32_t hwp_graph_node(const struct hw_graph *g, long long rown);

/* Split one CSV line (RFC 4180 quotes, no embedded newlines) into at
 * most max fields, in place (csv.c).  Returns the field count or -1
 * with *col set. */
int hwp_csv_split(char *line, char **f, int max, int *col);

/* One data row of a CSV file: its fields (in place, until the next
 * row), how many (-1: a quote error at col), and its line number. */
struct hwp_csv_row {
	const char *path;
	char **f;
	int n, col, line;
};

/* Read path, a CSV file whose first line is header, splitting each
 * non-empty line after it (lines up to 1 KiB) into at most max (<= 8)
 * fields for row(ctx, ...), which sets err and returns -1 to stop
 * (csv.c). */
int hwp_csv_read(const char *path, const char *header, int max,
		 int (*row)(void *ctx, const struct hwp_csv_row *r,
			    struct hw_error *err),
		 void *ctx, struct hw_error *err);

/* An export's progress through the assets and dependencies, told to fn
 * now and then (json-write.c): _start counts them (nothing when fn is
 * NULL) and says 0; _tick after each record; _end says all. */
struct hwp_export_progress {
	void (*fn)(long long done, long long total, void *ctx);
	void *ctx;
	long long done, total;
};
int hwp_export_progress_start(struct hwp_export_progress *x,
			      struct hw_store *st,
			      void (*fn)(long long, long long, void *),
			      void *ctx, struct hw_error *err);
void hwp_export_progress_tick(struct hwp_export_progress *x);
void hwp_export_progress_end(struct hwp_export_progress *x);

/* Read the SP 800-60 catalogue CSV (catalogue.c): fn gets each type
 * (builtin, strings borrowed for the call); an error of fn without a
 * source is located at the file and line. */
int hwp_catalogue_read(const char *csv_path,
		       int (*fn)(const struct hw_infotype *, void *), void *ctx,
		       struct hw_error *err);

/* The length of the valid UTF-8 character at p (1 to 4 bytes, its code
 * point in *cp if cp is not NULL), or 0 if p starts no such character
 * (overlong forms and surrogates are not). */
size_t hwp_utf8_char(const unsigned char *p, unsigned *cp);

/* Text fields are UTF-8 without control characters (tab, newline and
 * carriage return allowed): workbooks, JSON and terminals need it.
 * NULL is fine.  what names the field in the error. */
int hwp_text_check(const char *s, const char *what, struct hw_error *err);

/* The longest text fields, in bytes: an asset's name (a long name in a
 * script of many bytes a letter, 256 of them, fits), its owner (as a
 * user's owner values, HWP_OWNER_MAX), its description.  An information
 * type's name is a name, its category an owner's length (SP 800-60's
 * longest is 50 bytes); a justification is a description. */
#define HWP_NAME_MAX 1024
#define HWP_DESCRIPTION_MAX 4096
#define HWP_CATEGORY_MAX 256

/* The inventory's size limits (store-limits.c).  Ten million assets:
 * ten times the largest inventory measured (bench/README.md), whose
 * graph every analysis loads in memory; a hundred thousand
 * dependencies of one asset (what it depends on; its dependents are not
 * bounded), far past any real system's and small enough that one
 * asset's list is always cheap to walk. */
#define HWP_ASSETS_MAX 10000000
#define HWP_DEPS_MAX 100000

/* hwp_text_check, and at most max bytes. */
int hwp_text_check_max(const char *s, const char *what, size_t max,
		       struct hw_error *err);

/* An input file opened to read, refused unless it is a regular file (a
 * FIFO would wait for a writer, /dev/zero never end, a directory fail
 * with a lost error): opened without waiting, then checked, so that
 * what is checked is what is read.  NULL with err set. */
FILE *hwp_fopen_input(const char *path, struct hw_error *err);

/* Index of s in a NULL-terminated vocabulary, or -1. */
int hwp_vocab_index(const char *const *list, const char *s);

/* The number of helper threads worth starting: the CPUs online, at
 * most 4 (util.c). */
int hwp_helper_threads(void);

/* Containers (util.c). */
#define HWP_NONE UINT32_MAX

/* Make room in the array p of *cap elements of size bytes for element
 * n (doubling, from 16): the array, moved or not; NULL when out of
 * memory (p kept). */
void *hwp_grow(void *p, size_t *cap, size_t n, size_t size);

/* size bytes for an array that grows with the inventory (free() it):
 * from 2 MiB on, in huge pages where the kernel gives them on
 * request, so that filling it takes a page fault every 2 MiB rather
 * than every 4 KiB (a million risk entries: 288 MiB).  NULL when out of
 * memory. */
void *hwp_alloc_big(size_t size);

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
