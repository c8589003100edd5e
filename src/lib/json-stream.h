/*
 * json-stream.h: a JSON document written element by element, so that an
 * output that grows with the inventory never sits whole in memory.
 */
#ifndef HW_JSON_STREAM_H
#define HW_JSON_STREAM_H

#include <stddef.h>
#include <stdio.h>

#include "error.h"

struct json_t; /* jansson's */

/* Containers a stream may hold open at once. */
#define HW_JSTREAM_DEPTH 32

/* Writes one document byte for byte as json_dumpf(whole, fp, flags)
 * would (flags as jansson's: JSON_INDENT(n), JSON_COMPACT,
 * JSON_SORT_KEYS, JSON_REAL_PRECISION(p), ...).  With JSON_SORT_KEYS
 * the caller puts the keys of each object it opens in sorted order
 * (values given whole are sorted by jansson).  After the first failure
 * every call returns -1 and writes nothing more: a stream that failed
 * halfway never ends as a complete document.  Fields are private; the
 * struct is public so that it can live on the stack. */
struct hw_jstream {
	FILE *fp;
	size_t flags;
	int depth;		       /* containers open */
	int done;		       /* the document's value is written */
	char closer[HW_JSTREAM_DEPTH]; /* ']' or '}' of each open one */
	unsigned char any[HW_JSTREAM_DEPTH]; /* it has an element */
	struct hw_error err;		     /* the first failure */
};

void hw_jstream_init(struct hw_jstream *js, FILE *fp, size_t flags);

/* Open an object or an array: as member key of the object open
 * innermost, or (key NULL) as the document or an element of the array
 * open innermost. */
int hw_jstream_object(struct hw_jstream *js, const char *key);
int hw_jstream_array(struct hw_jstream *js, const char *key);

/* Write v whole, as member key or (key NULL) as an element or the
 * document.  The reference is stolen: v is released whatever happens,
 * and NULL (a failed json_* constructor) counts as out of memory. */
int hw_jstream_put(struct hw_jstream *js, const char *key,
		    struct json_t *v);

/* Close the container open innermost. */
int hw_jstream_close(struct hw_jstream *js);

/* After the last close: a final newline if newline is set, and a flush.
 * 0, or -1 with err set to the first failure: HW_EIO with the reason,
 * HW_ENOMEM, or HW_EINVAL for a call out of place or a document still
 * open. */
int hw_jstream_end(struct hw_jstream *js, int newline, struct hw_error *err);

#endif
