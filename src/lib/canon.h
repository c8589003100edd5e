/*
 * canon.h: the canonical JSON text the audit trail hashes (DESIGN.md
 * "Audit record"): exactly what Python's json.dumps(x, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False) writes, into a growable
 * buffer.  Layer 1: no store, no SQLite.
 */
#ifndef HW_CANON_H
#define HW_CANON_H

#include <stddef.h>

#include "error.h"

struct json_t;

/* A growable byte buffer.  data is NUL-terminated after every
 * successful append (the NUL is not counted in len); an empty buffer
 * may have data NULL.  Zero it (or HWP_BUF_INIT) to start; release
 * with hwp_buf_release, or keep the bytes with hwp_buf_take. */
struct hwp_buf {
	char *data;
	size_t len, cap;
};
#define HWP_BUF_INIT                                                           \
	{                                                                      \
		NULL, 0, 0                                                     \
	}

/* Append n bytes; 0, or -1 (HW_ENOMEM in err) leaving b as it was. */
int hwp_buf_add(struct hwp_buf *b, const void *s, size_t n,
		struct hw_error *err);
/* Append a NUL-terminated string. */
int hwp_buf_adds(struct hwp_buf *b, const char *s, struct hw_error *err);
/* Forget the contents, keep the memory. */
void hwp_buf_reset(struct hwp_buf *b);
/* Free the memory; b is empty again. */
void hwp_buf_release(struct hwp_buf *b);
/* The contents as a new NUL-terminated string (caller frees; "" for an
 * empty buffer); b is empty again.  NULL on ENOMEM. */
char *hwp_buf_take(struct hwp_buf *b, struct hw_error *err);

/* Append the canonical text of v (borrowed): objects with their keys
 * sorted by their UTF-8 bytes, no whitespace, strings with non-ASCII
 * characters as themselves and only '"', '\\' and the control
 * characters below 0x20 escaped (\b \f \n \r \t, others \u00xx in
 * lower case), integers in decimal, reals as Python's repr writes them
 * (hwp_canon_real), true, false, null.  0, or -1 with err (HW_ENOMEM,
 * or HW_EINVAL for a value nested over 64 deep); on failure b may hold
 * part of the text (its len can be reset by the caller). */
int hwp_canon_append(struct hwp_buf *b, const struct json_t *v,
		     struct hw_error *err);

/* Append the JSON string of the n bytes s (UTF-8, may hold NULs), as
 * hwp_canon_append writes strings. */
int hwp_canon_string(struct hwp_buf *b, const char *s, size_t n,
		     struct hw_error *err);

/* Append a finite real as Python's repr(float): the shortest decimal
 * that reads back to d; fixed notation while the decimal exponent is
 * from -5 to 15 ("0.0001", "1000000000000000.0", always with a point),
 * else scientific with a signed exponent of at least two digits
 * ("1e-05", "1e+16", "1.5e+300").  HW_EINVAL for NaN or an infinity
 * (JSON has none). */
int hwp_canon_real(struct hwp_buf *b, double d, struct hw_error *err);

/* The canonical text of v as a new string (caller frees), its length
 * in *len (may be NULL).  NULL with err on failure. */
char *hwp_canon_dump(const struct json_t *v, size_t *len, struct hw_error *err);

#endif /* HW_CANON_H */
