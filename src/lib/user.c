/*
 * user.c: the service's users (user.h) above the store: API tokens (32
 * random bytes as "hw_" and base64url, kept only as the SHA-256 of
 * their text, compared in constant time), users added with one and
 * found by one, and the role policy of DESIGN §4 and issue 13.  The
 * record's checks are user-record.c's, the SQL store-user.c's.
 */
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "hw-private.h"

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

#define TOKEN_PREFIX "hw_"
#define TOKEN_PREFIX_LEN 3
#define TOKEN_BYTES 32
#define TOKEN_LEN (HW_TOKEN_TEXT - 2) /* "hw_" and 43 characters */

static const char b64url[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/* n bytes as base64url without padding into out (NUL-terminated). */
static void b64url_encode(const unsigned char *in, size_t n, char *out)
{
	unsigned long v = 0;
	size_t i;
	int bits = 0;

	for (i = 0; i < n; i++) {
		v = (v << 8) | in[i];
		bits += 8;
		while (bits >= 6) {
			bits -= 6;
			*out++ = b64url[(v >> bits) & 0x3f];
		}
	}
	if (bits > 0)
		*out++ = b64url[(v << (6 - bits)) & 0x3f];
	*out = '\0';
}

/* SHA-256 of the whole token text. */
static int token_hash(const char *token, unsigned char hash[32],
		      struct hw_error *err)
{
	unsigned int len = 0;

	if (EVP_Digest(token, strlen(token), hash, &len, EVP_sha256(), NULL) !=
		1 ||
	    len != 32)
		return hw_error_set(err, HW_EIO, "cannot hash a token");
	return 0;
}

/* A new token into token and its hash into hash. */
static int token_make(char token[HW_TOKEN_TEXT], unsigned char hash[32],
		      struct hw_error *err)
{
	unsigned char raw[TOKEN_BYTES];
	int rc;

	if (RAND_bytes(raw, sizeof raw) != 1)
		return hw_error_set(err, HW_EIO,
				    "cannot make a token: no random bytes");
	memcpy(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN);
	b64url_encode(raw, sizeof raw, token + TOKEN_PREFIX_LEN);
	OPENSSL_cleanse(raw, sizeof raw);
	rc = token_hash(token, hash, err);
	if (rc < 0)
		OPENSSL_cleanse(token, HW_TOKEN_TEXT);
	return rc;
}

/* 1 if token has the form of one hw_user_add makes: "hw_" and 43
 * base64url characters, the last one's unused low bits zero. */
static int token_wellformed(const char *token)
{
	size_t i;

	if (token == NULL || strnlen(token, TOKEN_LEN + 1) != TOKEN_LEN ||
	    memcmp(token, TOKEN_PREFIX, TOKEN_PREFIX_LEN) != 0)
		return 0;
	for (i = TOKEN_PREFIX_LEN; i < TOKEN_LEN; i++) {
		const char *at = strchr(b64url, token[i]);

		if (at == NULL || token[i] == '\0')
			return 0;
		/* 43 characters carry 258 bits: the last one's low two are
		 * padding */
		if (i == TOKEN_LEN - 1 && ((at - b64url) & 0x3) != 0)
			return 0;
	}
	return 1;
}

int hw_user_add(struct hw_store *st, const struct hw_user *u,
		char token[HW_TOKEN_TEXT], struct hw_error *err)
{
	struct hw_user stored = *u;
	unsigned char hash[32];
	char made[HW_TOKEN_TEXT];
	int rc;

	if (hwp_user_check(u, err) < 0)
		return -1;
	stored.created = stored.token_at = hw_time_now();
	if (token_make(made, hash, err) < 0)
		return -1;
	rc = hwp_user_insert(st, &stored, hash, err);
	if (rc == 0)
		memcpy(token, made, HW_TOKEN_TEXT);
	OPENSSL_cleanse(made, sizeof made);
	return rc;
}

int hw_user_rotate(struct hw_store *st, const char *name,
		   char token[HW_TOKEN_TEXT], struct hw_error *err)
{
	unsigned char hash[32];
	char made[HW_TOKEN_TEXT];
	int rc;

	if (token_make(made, hash, err) < 0)
		return -1;
	rc = hwp_user_set_token(st, name, hash, hw_time_now(), err);
	if (rc == 0)
		memcpy(token, made, HW_TOKEN_TEXT);
	OPENSSL_cleanse(made, sizeof made);
	return rc;
}

int hw_user_auth(struct hw_store *st, const char *token, struct hw_user *out,
		 struct hw_error *err)
{
	unsigned char hash[32];

	if (!token_wellformed(token) || token_hash(token, hash, err) < 0)
		return hw_error_set(err, HW_ENOTFOUND, "no such token");
	return hw_user_auth_hash(st, hash, out, err);
}

int hw_user_auth_hash(struct hw_store *st, const unsigned char hash[32],
		      struct hw_user *out, struct hw_error *err)
{
	unsigned char stored[32];
	struct hw_user u;
	struct hw_error e = {0};

	if (hwp_user_by_hash(st, hash, &u, stored, &e) < 0) {
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	if (CRYPTO_memcmp(hash, stored, sizeof stored) != 0) {
		hw_user_release(&u);
		return hw_error_set(err, HW_ENOTFOUND, "no such token");
	}
	*out = u;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Policy                                                              */

/* What one role alone may do. */
static enum hw_verdict role_may(unsigned role, const struct hw_user *u,
				enum hw_perm act, const char *owner)
{
	size_t i;
	int own = 0;

	if (role == HW_ROLE_ADMIN)
		return HW_ALLOW;
	for (i = 0; owner != NULL && i < u->nowns; i++)
		if (u->owns[i] != NULL && strcmp(u->owns[i], owner) == 0)
			own = 1;
	switch (act) {
	case HW_PERM_READ:
		return HW_ALLOW;
	case HW_PERM_ASSET_WRITE:
		return role == HW_ROLE_OWNER && own ? HW_ALLOW : HW_DENY;
	case HW_PERM_DEP_ONTO:
		if (role != HW_ROLE_OWNER)
			return HW_DENY;
		return own ? HW_ALLOW : HW_ALLOW_AS_CHANGE;
	case HW_PERM_CHANGE_EDIT:
		return role == HW_ROLE_OWNER || role == HW_ROLE_CAB ? HW_ALLOW
								    : HW_DENY;
	case HW_PERM_CHANGE_DECIDE:
		return role == HW_ROLE_CAB ? HW_ALLOW : HW_DENY;
	case HW_PERM_ADMIN:
		return HW_DENY;
	}
	return HW_DENY;
}

enum hw_verdict hw_user_may(const struct hw_user *u, enum hw_perm act,
			    const char *owner)
{
	enum hw_verdict best = HW_DENY;
	unsigned role;

	if (u == NULL)
		return HW_DENY;
	/* a user with several roles may what any of them may */
	for (role = 1; role & HW_ROLE_ALL; role <<= 1) {
		enum hw_verdict v;

		if (!(u->roles & role))
			continue;
		v = role_may(role, u, act, owner);
		if (v == HW_ALLOW)
			return HW_ALLOW;
		if (v == HW_ALLOW_AS_CHANGE)
			best = v;
	}
	return best;
}
