/*
 * store-audit.c: the hash-chained audit trail (DESIGN.md "Audit
 * record").  PLACEHOLDER until the audit work lands: appends nothing.
 */
#include "hw-private.h"

int hwp_audit(struct hw_store *st, const char *action, const char *object,
	      const char *asset_a, const char *asset_b,
	      const struct json_t *before, const struct json_t *after,
	      struct hw_error *err)
{
	(void)st, (void)action, (void)object, (void)asset_a, (void)asset_b;
	(void)before, (void)after, (void)err;
	return 0;
}

int hwp_audit_text(struct hw_store *st, const char *action, const char *object,
		   const char *asset_a, const char *asset_b, const char *before,
		   size_t before_len, const char *after, size_t after_len,
		   struct hw_error *err)
{
	(void)st, (void)action, (void)object, (void)asset_a, (void)asset_b;
	(void)before, (void)before_len, (void)after, (void)after_len;
	(void)err;
	return 0;
}
