/*
 * user.h: the service's users, their roles and API tokens, and what
 * each role may do (the table of DESIGN §4 and issue 13).  Users live
 * in the database (store-user.c); tokens are random, shown once, and
 * only their SHA-256 is stored; policy is user.c.  Included by
 * highwater.h.
 */
#ifndef HW_USER_H
#define HW_USER_H

#include <stddef.h>

#include "error.h"
#include "instant.h"

struct hw_store;

/* Roles, a bit set. */
#define HW_ROLE_OWNER 0x1u	/* their own assets */
#define HW_ROLE_CAB 0x2u	/* assess and decide changes */
#define HW_ROLE_MANAGER 0x4u	/* read, reports */
#define HW_ROLE_ADMIN 0x8u	/* everything */
#define HW_ROLE_ALL 0xfu

/* "owner,cab" into a bit set: 0, or HW_EINVAL naming the unknown role
 * and the known ones.  Empty or repeated names are refused too. */
int hw_role_parse(const char *list, unsigned *out, struct hw_error *err);
/* "owner,cab" (in the order above) into buf; buf returned. */
#define HW_ROLE_TEXT 32
const char *hw_role_text(unsigned roles, char buf[HW_ROLE_TEXT]);

struct hw_user {
	char *name;	/* 1-64 characters of A-Z a-z 0-9 . _ @ - */
	unsigned roles; /* HW_ROLE_* */
	char **owns;	/* the owner values of the assets they answer for */
	size_t nowns;
	hw_time created;
	hw_time token_at; /* when the current token was made */
};

void hw_user_release(struct hw_user *u);

/* A token as shown to its user once: "hw_" and 43 base64url
 * characters (32 random bytes), with the terminating NUL. */
#define HW_TOKEN_TEXT 48

/* Add user u (name, roles, owns; the times are set here) with a new
 * token written into token: HW_EEXIST for a name taken, HW_EINVAL for
 * a bad name, no role or an owner value that is empty or too long.
 * Audited ("user add"); the record names the user, roles and owner
 * values, never the token or its hash.  In the caller's transaction. */
int hw_user_add(struct hw_store *st, const struct hw_user *u,
		char token[HW_TOKEN_TEXT], struct hw_error *err);

/* Replace the user's token with a new one (the old one stops working
 * at once): HW_ENOTFOUND for an unknown user.  Audited ("user token"). */
int hw_user_rotate(struct hw_store *st, const char *name,
		   char token[HW_TOKEN_TEXT], struct hw_error *err);

/* Remove a user: HW_ENOTFOUND if none.  Audited ("user rm"). */
int hw_user_remove(struct hw_store *st, const char *name,
		   struct hw_error *err);

/* Fill *out with the user named name (HW_ENOTFOUND if none). */
int hw_user_get(struct hw_store *st, const char *name, struct hw_user *out,
		struct hw_error *err);

/* Call fn for each user in name order (stop and return its value when
 * not 0).  The record is borrowed for the call. */
int hw_user_each(struct hw_store *st,
		 int (*fn)(const struct hw_user *, void *), void *ctx,
		 struct hw_error *err);

/* Who holds token: fill *out (hw_user_release) and return 0; -1 with
 * HW_ENOTFOUND for a token nobody holds (malformed, unknown or
 * rotated away), without saying which.  The stored hash is compared in
 * constant time.  Reads only. */
int hw_user_auth(struct hw_store *st, const char *token, struct hw_user *out,
		 struct hw_error *err);

/* hw_user_auth for the token whose text's SHA-256 is hash (as stored):
 * the same answers.  A session keeps the hash of the token it was made
 * with, and ends the moment that token is rotated away or its user
 * removed, even within the second (token_at is whole seconds). */
int hw_user_auth_hash(struct hw_store *st, const unsigned char hash[32],
		      struct hw_user *out, struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Policy: what a user may do                                          */

enum hw_perm {
	HW_PERM_READ,	       /* read anything, download workbooks */
	HW_PERM_ASSET_WRITE,    /* add, edit or remove an asset; its
				  information types; dependencies from it */
	HW_PERM_DEP_ONTO,       /* add a dependency onto an asset that is
				  not the user's own */
	HW_PERM_CHANGE_EDIT,    /* new, edit, assess, cancel a change;
				  record and resolve incidents */
	HW_PERM_CHANGE_DECIDE,  /* decide, implement, close, revert a
				  change; save baselines */
	HW_PERM_ADMIN	       /* users, settings, weights, imports,
				  exports */
};

enum hw_verdict {
	HW_DENY,
	HW_ALLOW,
	HW_ALLOW_AS_CHANGE /* only as a proposed change (CHG) */
};

/* May u do act?  owner is the owner value of the asset concerned
 * (HW_PERM_ASSET_WRITE: the asset's current owner, and the caller asks
 * again for the new owner when an edit changes it; HW_PERM_DEP_ONTO:
 * the owner of the asset depended on), NULL when the asset has none or
 * the action concerns no asset.  An admin may do everything; an owner
 * may write assets whose owner is one of u->owns (never one with no
 * owner) and may add a dependency onto another's asset only as a
 * proposed change. */
enum hw_verdict hw_user_may(const struct hw_user *u, enum hw_perm act,
			    const char *owner);

#endif /* HW_USER_H */
