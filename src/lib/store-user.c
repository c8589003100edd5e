/*
 * store-user.c: the service's users in the store (user.h): the
 * users and user_owns tables, read back checked, each write audited as
 * user:NAME with the user's name, roles and owner values (never the
 * token or its hash).  Tokens, hashes and the checks on what is written
 * are user.c's.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "answer.h"
#include "store-sql.h"

/* One row per owner value (one with owner NULL for a user with none),
 * in name and owner order: a user's rows are consecutive.  The last
 * column, the token's hash, is checked to be one highwater writes (32
 * bytes of a blob), never kept. */
#define USER_SELECT                                                            \
	"SELECT u.name, u.roles, u.created, u.token_at, o.owner,"              \
	" u.token_hash"                                                        \
	" FROM users u LEFT JOIN user_owns o ON o.\"user\" = u.name "
#define USER_ORDER " ORDER BY u.name, o.owner"

static struct hwp_stmt *prepare(struct hw_store *st, const char *sql,
			     struct hw_error *err)
{
	return hwp_prepare(st, sql, "cannot prepare statement", err);
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

/* The user of the row of s (USER_SELECT) into *u, fresh: 0, or -1 with
 * the error (a damaged row; *u released). */
static int row_user(struct hw_store *st, struct hwp_stmt *s, struct hw_user *u,
		    struct hw_error *err)
{
	const char *name = (const char *)hwp_col_text(s, 0);
	long long roles = hwp_col_int64(s, 1);
	int bad = 0;

	memset(u, 0, sizeof *u);
	if (name == NULL || hwp_user_name_check(name, NULL) < 0)
		return hwp_damaged(st, err, "users",
				   "column name holds a name highwater never "
				   "writes");
	if (hwp_col_type(s, 1) != HWP_INTEGER || roles < 1 ||
	    roles > HW_ROLE_ALL)
		return hwp_damaged(st, err, "users",
				   "user '%s': column roles is not a role set "
				   "(1 to %u)",
				   name, HW_ROLE_ALL);
	if (hwp_col_time(s, 2, &u->created) < 0 || u->created == 0 ||
	    hwp_col_time(s, 3, &u->token_at) < 0 || u->token_at == 0)
		return hwp_damaged(st, err, "users",
				   "user '%s': column created or token_at is "
				   "not YYYY-MM-DDTHH:MM:SSZ",
				   name);
	if (hwp_col_type(s, 5) != HWP_BLOB || hwp_col_bytes(s, 5) != 32)
		return hwp_damaged(st, err, "users",
				   "user '%s': column token_hash is not 32 "
				   "bytes",
				   name);
	u->roles = (unsigned)roles;
	u->name = hwp_col_dup(s, 0, &bad);
	if (bad) {
		hw_user_release(u);
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	}
	return 0;
}

/* Append the owner value of the row of s (column 4) to u's, if any. */
static int row_owner(struct hw_store *st, struct hwp_stmt *s, struct hw_user *u,
		     struct hw_error *err)
{
	const char *owner = (const char *)hwp_col_text(s, 4);
	char **grown;

	if (hwp_col_type(s, 4) == HWP_NULL)
		return 0;
	if (owner == NULL || owner[0] == '\0' ||
	    strlen(owner) > HWP_OWNER_MAX || u->nowns >= HWP_OWNS_MAX)
		return hwp_damaged(st, err, "user_owns",
				   "user '%s': column owner is empty, longer "
				   "than %d bytes, or one of more than %d",
				   u->name, HWP_OWNER_MAX, HWP_OWNS_MAX);
	grown = realloc(u->owns, (u->nowns + 1) * sizeof *u->owns);
	if (grown == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	u->owns = grown;
	if ((u->owns[u->nowns] = strdup(owner)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	u->nowns++;
	return 0;
}

/* Step s (USER_SELECT ... USER_ORDER) through its users, each to fn
 * (borrowed for the call): fn's value when not 0, else 0 or -1. */
static int scan_users(struct hw_store *st, struct hwp_stmt *s,
		      int (*fn)(const struct hw_user *, void *), void *ctx,
		      struct hw_error *err)
{
	struct hw_user u = {0};
	int rc, have = 0, ret = 0;

	while ((rc = hwp_step(s)) == HWP_ROW) {
		const char *name = (const char *)hwp_col_text(s, 0);

		if (have && (name == NULL || strcmp(name, u.name) != 0)) {
			ret = fn(&u, ctx);
			hw_user_release(&u);
			have = 0;
			if (ret != 0)
				return ret;
		}
		if (!have) {
			if (row_user(st, s, &u, err) < 0)
				return -1;
			have = 1;
		}
		if (row_owner(st, s, &u, err) < 0) {
			hw_user_release(&u);
			return -1;
		}
	}
	if (rc != HWP_DONE) {
		hw_user_release(&u);
		return hwp_db_error(st, err, "cannot read users");
	}
	if (have) {
		ret = fn(&u, ctx);
		hw_user_release(&u);
	}
	return ret;
}

/* The one user a scan finds, taken over. */
struct user_one {
	struct hw_user u;
	int found;
};

static int take_user(const struct hw_user *u, void *ctx)
{
	struct user_one *one = ctx;
	size_t i;

	one->u = *u;
	one->u.name = strdup(u->name);
	one->u.owns = u->nowns ? calloc(u->nowns, sizeof *u->owns) : NULL;
	one->found = 1;
	if (one->u.owns == NULL)
		one->u.nowns = 0;
	if (one->u.name == NULL || (u->nowns && one->u.owns == NULL))
		return 1;
	for (i = 0; i < u->nowns; i++)
		if ((one->u.owns[i] = strdup(u->owns[i])) == NULL)
			return 1;
	return 0;
}

int hw_user_get(struct hw_store *st, const char *name, struct hw_user *out,
		struct hw_error *err)
{
	struct user_one one = {0};
	struct hwp_stmt *s;
	int rc;

	if (name == NULL)
		return hw_error_set(err, HW_EINVAL, "a user needs a name");
	s = prepare(st, USER_SELECT "WHERE u.name = ?1" USER_ORDER, err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, name);
	rc = scan_users(st, s, take_user, &one, err);
	hwp_finalize(s);
	if (rc > 0)
		rc = hw_error_set(err, HW_ENOMEM, "out of memory");
	else if (rc == 0 && !one.found)
		rc = hw_error_set(err, HW_ENOTFOUND, "no user '%s'", name);
	if (rc < 0) {
		hw_user_release(&one.u);
		return -1;
	}
	*out = one.u;
	return 0;
}

int hw_user_each(struct hw_store *st, int (*fn)(const struct hw_user *, void *),
		 void *ctx, struct hw_error *err)
{
	struct hwp_stmt *s = prepare(st, USER_SELECT USER_ORDER, err);
	int rc;

	if (s == NULL)
		return -1;
	rc = scan_users(st, s, fn, ctx, err);
	hwp_finalize(s);
	return rc;
}

int hwp_user_by_hash(struct hw_store *st, const unsigned char hash[32],
		     struct hw_user *out, unsigned char stored[32],
		     struct hw_error *err)
{
	struct hwp_stmt *s = prepare(
	    st, "SELECT name, token_hash FROM users WHERE token_hash = ?1",
	    err);
	char *name = NULL;
	int rc, bad = 0;

	if (s == NULL)
		return -1;
	hwp_bind_blob(s, 1, hash, 32, HWP_STATIC);
	rc = hwp_step(s);
	if (rc == HWP_ROW) {
		if (hwp_col_type(s, 1) != HWP_BLOB ||
		    hwp_col_bytes(s, 1) != 32) {
			hwp_finalize(s);
			return hwp_damaged(st, err, "users",
					   "column token_hash is not 32 bytes");
		}
		memcpy(stored, hwp_col_blob(s, 1), 32);
		name = hwp_col_dup(s, 0, &bad);
	}
	hwp_finalize(s);
	if (rc == HWP_DONE)
		return hw_error_set(err, HW_ENOTFOUND, "no such token");
	if (rc != HWP_ROW)
		return hwp_db_error(st, err, "cannot read users");
	if (bad || name == NULL) {
		free(name);
		return bad ? hw_error_set(err, HW_ENOMEM, "out of memory")
			   : hwp_damaged(st, err, "users",
					 "column name is NULL");
	}
	rc = hw_user_get(st, name, out, err);
	free(name);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

/* The audit record of a write to user u (before, after or both). */
static int audit(struct hw_store *st, const char *action,
		 const struct hw_user *before, const struct hw_user *after,
		 struct hw_error *err)
{
	const struct hw_user *u = after ? after : before;
	json_t *b = before ? hw_json_user(before) : NULL;
	json_t *a = after ? hw_json_user(after) : NULL;
	char object[8 + 64 + 1];

	snprintf(object, sizeof object, "user:%s", u->name);
	return hwp_audit_new(st, action, object, b, before != NULL, a,
			     after != NULL, err);
}

int hwp_user_insert(struct hw_store *st, const struct hw_user *u,
		    const unsigned char hash[32], struct hw_error *err)
{
	struct hwp_stmt *s;
	size_t i;
	int rc;

	if (hwp_audit_ready(st, "a user's write", err) < 0)
		return -1;
	s = prepare(st,
		    "INSERT INTO users (name, roles, token_hash, created, "
		    "token_at) VALUES (?1, ?2, ?3, ?4, ?5)",
		    err);
	if (s == NULL)
		return -1;
	hwp_bind_text(s, 1, u->name);
	hwp_bind_int64(s, 2, u->roles);
	hwp_bind_blob(s, 3, hash, 32, HWP_STATIC);
	hwp_bind_time(s, 4, u->created);
	hwp_bind_time(s, 5, u->token_at);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc == HWP_CONSTRAINT_PRIMARYKEY)
		return hw_error_set(err, HW_EEXIST, "user '%s' exists already",
				    u->name);
	if (rc != HWP_DONE)
		return hwp_step_error(st, rc, err, "cannot store the user");
	s = prepare(st, "INSERT INTO user_owns (\"user\", owner) VALUES (?1, ?2)",
		    err);
	if (s == NULL)
		return -1;
	for (i = 0; i < u->nowns; i++) {
		hwp_reset(s);
		hwp_bind_text(s, 1, u->name);
		hwp_bind_text(s, 2, u->owns[i]);
		if ((rc = hwp_step(s)) != HWP_DONE) {
			hwp_finalize(s);
			return hwp_step_error(st, rc, err,
					      "cannot store the user's owner "
					      "values");
		}
	}
	hwp_finalize(s);
	return audit(st, "add", NULL, u, err);
}

int hwp_user_set_token(struct hw_store *st, const char *name,
		       const unsigned char hash[32], hw_time at,
		       struct hw_error *err)
{
	struct hw_user before, after;
	struct hwp_stmt *s;
	int rc;

	if (hwp_audit_ready(st, "a user's write", err) < 0 ||
	    hw_user_get(st, name, &before, err) < 0)
		return -1;
	s = prepare(st,
		    "UPDATE users SET token_hash = ?2, token_at = ?3 "
		    "WHERE name = ?1",
		    err);
	if (s == NULL) {
		hw_user_release(&before);
		return -1;
	}
	hwp_bind_text(s, 1, name);
	hwp_bind_blob(s, 2, hash, 32, HWP_STATIC);
	hwp_bind_time(s, 3, at);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE)
		rc = hwp_step_error(st, rc, err, "cannot store the token");
	else {
		/* after alone: two tokens made in one second leave the
		 * record unchanged, and each must be in the trail */
		after = before;
		after.token_at = at;
		rc = audit(st, "token", NULL, &after, err);
	}
	hw_user_release(&before);
	return rc;
}

int hw_user_remove(struct hw_store *st, const char *name, struct hw_error *err)
{
	struct hw_user before;
	struct hwp_stmt *s;
	int rc;

	if (hwp_audit_ready(st, "a user's write", err) < 0 ||
	    hw_user_get(st, name, &before, err) < 0)
		return -1;
	s = prepare(st, "DELETE FROM users WHERE name = ?1", err);
	if (s == NULL) {
		hw_user_release(&before);
		return -1;
	}
	hwp_bind_text(s, 1, name);
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_DONE)
		rc = hwp_step_error(st, rc, err, "cannot remove the user");
	else
		rc = audit(st, "remove", &before, NULL, err);
	hw_user_release(&before);
	return rc;
}
