/*
 * uuid.h: UUIDs as RFC 9562 (formerly RFC 4122) makes them: version 4
 * from OpenSSL's random generator, version 5 from a namespace UUID and
 * a name (SHA-1), in their 36-character lower-case text form.
 * Included by highwater.h; include highwater.h, not this.
 */
#ifndef HW_UUID_H
#define HW_UUID_H

#include "error.h"

/* Text form and its terminating NUL. */
#define HW_UUID_TEXT 37

/* A new random (version 4) UUID into out.  HW_EIO if OpenSSL's
 * generator fails (out is then left alone). */
int hw_uuid_v4(char out[HW_UUID_TEXT], struct hw_error *err);

/* The name-based (version 5, SHA-1) UUID of name (its bytes, without
 * the NUL) in the namespace ns (a UUID's text, any case).  HW_EINVAL if
 * ns is not a UUID, HW_ENOMEM if OpenSSL cannot hash; out is then left
 * alone. */
int hw_uuid_v5(const char *ns, const char *name, char out[HW_UUID_TEXT],
	       struct hw_error *err);

/* 1 if s is a UUID in text form (8-4-4-4-12 hex digits, any case). */
int hw_uuid_valid(const char *s);

#endif /* HW_UUID_H */
