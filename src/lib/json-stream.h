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

/* Bytes gathered before one fwrite. */
#define HW_JSTREAM_BUFSIZE 65536

/* Writes one document byte for byte as json_dumpf(whole, fp, flags)
 * would (flags as jansson's: JSON_INDENT(n), JSON_COMPACT,
 * JSON_SORT_KEYS, JSON_REAL_PRECISION(p), ...).  With JSON_SORT_KEYS
 * the caller puts the keys of each object it opens in sorted order
 * (values given whole are sorted by jansson).  After the first failure
 * every call returns -1 and writes nothing more: a stream that failed
 * halfway never ends as a complete document.  Output is gathered in
 * the struct's own buffer and written with one fwrite when it is full
 * and at the end (nothing to free: a stream dropped unended only loses
 * what it had not written).  Fields are private; the struct is public
 * so that it can live on the stack. */
struct hw_jstream {
	FILE *fp;
	size_t flags;
	size_t len;		       /* bytes waiting in buf */
	int depth;		       /* containers open */
	int done;		       /* the document's value is written */
	char closer[HW_JSTREAM_DEPTH]; /* ']' or '}' of each open one */
	unsigned char any[HW_JSTREAM_DEPTH]; /* it has an element */
	struct hw_error err;		     /* the first failure */
	char buf[HW_JSTREAM_BUFSIZE];
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

/* Scalars written without a jansson value, as jansson writes them, as
 * member key or (key NULL) as an element or the document.  s NULL
 * writes null.  A string that is not UTF-8 fails the stream (HW_EINVAL)
 * rather than write bad JSON. */
int hw_jstream_str(struct hw_jstream *js, const char *key, const char *s);
int hw_jstream_int(struct hw_jstream *js, const char *key, long long n);
int hw_jstream_bool(struct hw_jstream *js, const char *key, int b);
int hw_jstream_null(struct hw_jstream *js, const char *key);
/* A real goes through jansson (json_real), for its exact formatting
 * under JSON_REAL_PRECISION; one that is not finite fails the stream. */
int hw_jstream_real(struct hw_jstream *js, const char *key, double d);

/* Close the container open innermost. */
int hw_jstream_close(struct hw_jstream *js);

/* After the last close: a final newline if newline is set, and a flush.
 * 0, or -1 with err set to the first failure: HW_EIO with the reason,
 * HW_ENOMEM, or HW_EINVAL for a call out of place or a document still
 * open. */
int hw_jstream_end(struct hw_jstream *js, int newline, struct hw_error *err);

#endif
