/*
 * json-records.h: JSON values into import records (library-private),
 * shared by the JSON readers: the whole-document reader and the JSON
 * Lines reader.
 */
#ifndef HW_JSON_RECORDS_H
#define HW_JSON_RECORDS_H

#include <jansson.h>

#include "import.h"

#define HWP_JSON_FORMAT "highwater-inventory"
#define HWP_JSON_VERSION 1

/* Where a parse names its errors, and where its records and their
 * strings go. */
struct hwp_json_parser {
	struct hwp_where w;
	struct hwp_pool *pool;
};

/* "an object", "a number", ... for messages. */
const char *hwp_json_kind(const json_t *v);

/* jansson's message in e, in the words of ours (it names its own flag
 * for a \u0000): e->text, tidied in place. */
const char *hwp_json_error_text(json_error_t *e);

/* One record from its JSON value obj, named path in messages, at ord
 * (line or array index): *out lives in the parser's pool. */
int hwp_json_infotype(struct hwp_json_parser *ps, const char *path, json_t *obj,
		      long ord, struct hwp_rec **out);
int hwp_json_asset(struct hwp_json_parser *ps, const char *path, json_t *obj,
		   long ord, struct hwp_rec **out);
/* One of an asset's "information_types" into *g (strings in the pool). */
int hwp_json_assignment(struct hwp_json_parser *ps, const char *path,
			json_t *obj, struct hwp_rec_assign *g);
int hwp_json_dep(struct hwp_json_parser *ps, const char *path, json_t *obj,
		 long ord, struct hwp_rec **out);
int hwp_json_change(struct hwp_json_parser *ps, const char *path, json_t *obj,
		    long ord, struct hwp_rec **out);
int hwp_json_incident(struct hwp_json_parser *ps, const char *path,
		      json_t *obj, long ord, struct hwp_rec **out);

/* The header: no key but keys (NULL-terminated) and "x-" extensions,
 * format and version ours. */
int hwp_json_check_header(struct hwp_json_parser *ps, json_t *doc,
			  const char *path, const char *const *keys);

/* One line of JSON Lines after the header (len bytes, its newline
 * included): *out is its record, NULL for a blank line. */
int hwp_json_line(struct hwp_json_parser *ps, const char *line, size_t len,
		  struct hwp_rec **out);

#endif
