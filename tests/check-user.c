/*
 * check-user.c: the service's users (user.h): roles, users added,
 * listed, removed, their tokens (form, rotation, lookup, refusals),
 * the audit records of their writes (never a token or its hash), damaged
 * rows, and the role policy of issue 13 in full.
 */
#include <ctype.h>
#include <jansson.h>

#include "fixture.h"

/* Raw SQL on the test's database, beside the store's connection. */
static void raw_exec(const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_msg(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK,
		      "%s: %s", sql, msg ? msg : "?");
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

static long long raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
	return v;
}

static void raw_text(const char *sql, char *out, size_t size)
{
	sqlite3 *db;
	sqlite3_stmt *s;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, size, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

/* Add a user: name, roles, up to three owner values (NULL ends). */
static int add(const char *name, unsigned roles, const char *o1, const char *o2,
	       char token[HW_TOKEN_TEXT], struct hw_error *err)
{
	char *owns[2] = {(char *)o1, (char *)o2};
	struct hw_user u = {
	    (char *)name, roles, owns, o1 ? (o2 ? 2u : 1u) : 0u, 0, 0};

	return FX_TX(hw_user_add(fx_st, &u, token, err));
}

static void assert_token_form(const char *t)
{
	size_t i;

	ck_assert_uint_eq(strlen(t), 46);
	ck_assert_int_eq(strncmp(t, "hw_", 3), 0);
	for (i = 3; i < 46; i++)
		ck_assert_msg(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmn"
				     "opqrstuvwxyz0123456789-_",
				     t[i]) != NULL,
			      "token character %zu: %c", i, t[i]);
}

/* hw_user_auth refuses token: -1, HW_ENOTFOUND, "no such token". */
static void assert_auth_refused(const char *token)
{
	struct hw_error err = {0};
	struct hw_user u = {0};

	ck_assert_int_eq(hw_user_auth(fx_st, token, &u, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no such token");
	ck_assert_ptr_null(u.name);
}

/* ------------------------------------------------------------------ */
/* Roles                                                               */

START_TEST(test_user_roles_parse_and_text)
{
	struct hw_error err = {0};
	char buf[HW_ROLE_TEXT];
	unsigned r = 99;

	ck_assert_int_eq(hw_role_parse("owner", &r, &err), 0);
	ck_assert_uint_eq(r, HW_ROLE_OWNER);
	ck_assert_int_eq(hw_role_parse("admin,cab", &r, &err), 0);
	ck_assert_uint_eq(r, HW_ROLE_ADMIN | HW_ROLE_CAB);
	ck_assert_int_eq(hw_role_parse("manager,owner,admin,cab", &r, &err), 0);
	ck_assert_uint_eq(r, HW_ROLE_ALL);
	ck_assert_str_eq(hw_role_text(HW_ROLE_ALL, buf),
			 "owner,cab,manager,admin");
	ck_assert_str_eq(hw_role_text(HW_ROLE_ADMIN | HW_ROLE_CAB, buf),
			 "cab,admin");
	ck_assert_str_eq(hw_role_text(HW_ROLE_MANAGER, buf), "manager");
	ck_assert_str_eq(hw_role_text(0, buf), "");
}
END_TEST

START_TEST(test_user_roles_refused)
{
	static const struct {
		const char *in, *text;
	} bad[] = {
	    {"", "no role given (expected owner, cab, manager or admin)"},
	    {"root", "unknown role \"root\" (expected owner, cab, manager or "
		     "admin)"},
	    {"Owner", "unknown role \"Owner\" (expected owner, cab, manager "
		      "or admin)"},
	    {"owner,", "empty role in \"owner,\" (expected owner, cab, "
		       "manager or admin)"},
	    {",cab", "empty role in \",cab\" (expected owner, cab, manager "
		     "or admin)"},
	    {"cab,owner,cab", "role \"cab\" given twice"},
	    {"owner cab", "unknown role \"owner cab\" (expected owner, cab, "
			  "manager or admin)"},
	};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct hw_error err = {0};
		unsigned r = 77;

		ck_assert_int_eq(hw_role_parse(bad[i].in, &r, &err), -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		ck_assert_str_eq(err.text, bad[i].text);
		ck_assert_uint_eq(r, 77);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Users and tokens                                                    */

START_TEST(test_user_add_auth_get)
{
	struct hw_error err = {0};
	struct hw_user u = {0};
	char tok[HW_TOKEN_TEXT], tok2[HW_TOKEN_TEXT];
	hw_time before = hw_time_now();

	FX_SQLITE_ONLY();
	ck_assert_int_eq(add("alice", HW_ROLE_OWNER | HW_ROLE_CAB,
			     "ops@example.org", "dba", tok, &err),
			 0);
	assert_token_form(tok);
	ck_assert_int_eq(add("bob", HW_ROLE_ADMIN, NULL, NULL, tok2, &err), 0);
	assert_token_form(tok2);
	ck_assert_str_ne(tok, tok2);

	ck_assert_int_eq(hw_user_auth(fx_st, tok, &u, &err), 0);
	ck_assert_str_eq(u.name, "alice");
	ck_assert_uint_eq(u.roles, HW_ROLE_OWNER | HW_ROLE_CAB);
	ck_assert_uint_eq(u.nowns, 2);
	/* owner values in byte order */
	ck_assert_str_eq(u.owns[0], "dba");
	ck_assert_str_eq(u.owns[1], "ops@example.org");
	ck_assert_int_ge(u.created, before);
	ck_assert_int_le(u.created, hw_time_now());
	ck_assert_int_eq(u.token_at, u.created);
	hw_user_release(&u);
	ck_assert_ptr_null(u.name);

	ck_assert_int_eq(hw_user_auth(fx_st, tok2, &u, &err), 0);
	ck_assert_str_eq(u.name, "bob");
	ck_assert_uint_eq(u.roles, HW_ROLE_ADMIN);
	ck_assert_uint_eq(u.nowns, 0);
	hw_user_release(&u);

	ck_assert_int_eq(hw_user_get(fx_st, "alice", &u, &err), 0);
	ck_assert_uint_eq(u.nowns, 2);
	hw_user_release(&u);
	ck_assert_int_eq(hw_user_get(fx_st, "Alice", &u, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no user 'Alice'");

	/* only the hash is stored: 32 bytes, not the token's text */
	ck_assert_int_eq(raw_int("SELECT count(*) FROM users WHERE "
				 "length(token_hash) = 32"),
			 2);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM user_owns"), 2);
}
END_TEST

struct names {
	char text[256];
	int stop_at, seen;
};

static int name_cb(const struct hw_user *u, void *ctx)
{
	struct names *n = ctx;
	char roles[HW_ROLE_TEXT];
	size_t i;

	n->seen++;
	strcat(n->text, u->name);
	strcat(n->text, ":");
	strcat(n->text, hw_role_text(u->roles, roles));
	for (i = 0; i < u->nowns; i++) {
		strcat(n->text, i ? "," : "=");
		strcat(n->text, u->owns[i]);
	}
	strcat(n->text, " ");
	return n->seen == n->stop_at ? 42 : 0;
}

START_TEST(test_user_each_in_name_order)
{
	struct hw_error err = {0};
	struct names n = {"", 0, 0};
	char tok[HW_TOKEN_TEXT];

	ck_assert_int_eq(hw_user_each(fx_st, name_cb, &n, &err), 0);
	ck_assert_int_eq(n.seen, 0);
	ck_assert_int_eq(add("zoe", HW_ROLE_MANAGER, NULL, NULL, tok, &err), 0);
	ck_assert_int_eq(add("Bob", HW_ROLE_OWNER, "b2", "b1", tok, &err), 0);
	ck_assert_int_eq(add("amy", HW_ROLE_OWNER, "x", NULL, tok, &err), 0);
	ck_assert_int_eq(hw_user_each(fx_st, name_cb, &n, &err), 0);
	ck_assert_str_eq(n.text, "Bob:owner=b1,b2 amy:owner=x zoe:manager ");
	/* a non-zero return stops the walk and is returned */
	memset(&n, 0, sizeof n);
	n.stop_at = 2;
	ck_assert_int_eq(hw_user_each(fx_st, name_cb, &n, &err), 42);
	ck_assert_str_eq(n.text, "Bob:owner=b1,b2 amy:owner=x ");
}
END_TEST

START_TEST(test_user_rotate_invalidates)
{
	struct hw_error err = {0};
	struct hw_user u = {0};
	char old[HW_TOKEN_TEXT], new1[HW_TOKEN_TEXT], new2[HW_TOKEN_TEXT];

	FX_SQLITE_ONLY();
	ck_assert_int_eq(add("carol", HW_ROLE_CAB, NULL, NULL, old, &err), 0);
	ck_assert_int_eq(FX_TX(hw_user_rotate(fx_st, "carol", new1, &err)), 0);
	assert_token_form(new1);
	ck_assert_str_ne(old, new1);
	assert_auth_refused(old);
	ck_assert_int_eq(hw_user_auth(fx_st, new1, &u, &err), 0);
	ck_assert_str_eq(u.name, "carol");
	ck_assert_uint_eq(u.roles, HW_ROLE_CAB);
	hw_user_release(&u);
	/* twice in one second: each one's audit record is kept */
	ck_assert_int_eq(FX_TX(hw_user_rotate(fx_st, "carol", new2, &err)), 0);
	assert_auth_refused(new1);
	ck_assert_int_eq(hw_user_auth(fx_st, new2, &u, &err), 0);
	hw_user_release(&u);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM audit WHERE action = "
				 "'token' AND object = 'user:carol'"),
			 2);

	/* an unknown user: nothing changes */
	memset(&err, 0, sizeof err);
	strcpy(new1, "unchanged");
	ck_assert_int_eq(FX_TX(hw_user_rotate(fx_st, "dave", new1, &err)), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no user 'dave'");
	ck_assert_str_eq(new1, "unchanged");
}
END_TEST

START_TEST(test_user_remove)
{
	struct hw_error err = {0};
	struct hw_user u = {0};
	char tok[HW_TOKEN_TEXT], keep[HW_TOKEN_TEXT];

	FX_SQLITE_ONLY();
	ck_assert_int_eq(add("erin", HW_ROLE_OWNER, "o1", "o2", tok, &err), 0);
	ck_assert_int_eq(add("finn", HW_ROLE_OWNER, "o1", NULL, keep, &err), 0);
	ck_assert_int_eq(FX_TX(hw_user_remove(fx_st, "erin", &err)), 0);
	assert_auth_refused(tok);
	ck_assert_int_eq(hw_user_get(fx_st, "erin", &u, &err), -1);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM user_owns"), 1);
	ck_assert_int_eq(hw_user_auth(fx_st, keep, &u, &err), 0);
	hw_user_release(&u);

	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_user_remove(fx_st, "erin", &err)), -1);
	ck_assert_int_eq(err.code, HW_ENOTFOUND);
	ck_assert_str_eq(err.text, "no user 'erin'");
}
END_TEST

/* The audit texts of the trail, concatenated, to search. */
static int audit_cat(const struct hw_audit_record *r, void *ctx)
{
	json_t *arr = ctx;

	json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s?,s:s?}", "actor",
					     r->actor, "action", r->action,
					     "object", r->object, "before",
					     r->before, "after", r->after));
	return 0;
}

START_TEST(test_user_audit_never_holds_token)
{
	struct hw_error err = {0};
	struct hw_audit_verdict v = {0};
	char tok[HW_TOKEN_TEXT], tok2[HW_TOKEN_TEXT], *all;
	json_t *arr = json_array();
	const json_t *rec;
	char hex[80];
	int i;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hw_store_set_actor(fx_st, "root-admin", &err), 0);
	ck_assert_int_eq(add("gus", HW_ROLE_OWNER, "web", NULL, tok, &err), 0);
	ck_assert_int_eq(FX_TX(hw_user_rotate(fx_st, "gus", tok2, &err)), 0);
	/* the stored hash, as hex, before the user goes */
	raw_text("SELECT lower(hex(token_hash)) FROM users", hex, sizeof hex);
	ck_assert_uint_eq(strlen(hex), 64);
	ck_assert_int_eq(FX_TX(hw_user_remove(fx_st, "gus", &err)), 0);

	ck_assert_int_eq(hw_audit_each(fx_st, NULL, audit_cat, arr, &err), 0);
	/* init, then the three user records */
	ck_assert_uint_eq(json_array_size(arr), 4);
	rec = json_array_get(arr, 1);
	ck_assert_str_eq(json_string_value(json_object_get(rec, "actor")),
			 "root-admin");
	ck_assert_str_eq(json_string_value(json_object_get(rec, "action")),
			 "add");
	ck_assert_str_eq(json_string_value(json_object_get(rec, "object")),
			 "user:gus");
	ck_assert(json_is_null(json_object_get(rec, "before")));
	ck_assert_ptr_nonnull(strstr(
	    json_string_value(json_object_get(rec, "after")),
	    "\"name\":\"gus\",\"owns\":[\"web\"],\"roles\":[\"owner\"]"));
	rec = json_array_get(arr, 2);
	ck_assert_str_eq(json_string_value(json_object_get(rec, "action")),
			 "token");
	ck_assert_ptr_nonnull(strstr(
	    json_string_value(json_object_get(rec, "after")),
	    "\"name\":\"gus\",\"owns\":[\"web\"],\"roles\":[\"owner\"]"));
	rec = json_array_get(arr, 3);
	ck_assert_str_eq(json_string_value(json_object_get(rec, "action")),
			 "remove");
	ck_assert(json_is_null(json_object_get(rec, "after")));
	ck_assert_ptr_nonnull(strstr(
	    json_string_value(json_object_get(rec, "before")),
	    "\"name\":\"gus\",\"owns\":[\"web\"],\"roles\":[\"owner\"]"));

	all = json_dumps(arr, 0);
	ck_assert_ptr_null(strstr(all, tok));
	ck_assert_ptr_null(strstr(all, tok2));
	ck_assert_ptr_null(strstr(all, tok + 3));
	ck_assert_ptr_null(strstr(all, hex));
	for (i = 0; hex[i]; i++)
		hex[i] = (char)toupper((unsigned char)hex[i]);
	ck_assert_ptr_null(strstr(all, hex));
	ck_assert_ptr_null(strstr(all, "token_hash"));
	free(all);
	json_decref(arr);

	for (i = 0; i < 2; i++) {
		ck_assert_int_eq(
		    hw_audit_verify(fx_st, NULL, &v, NULL, NULL, &err), 0);
		ck_assert_int_eq(v.broken, 0);
		ck_assert_int_eq(v.records, 4);
	}
}
END_TEST

START_TEST(test_user_malformed_tokens_refused)
{
	struct hw_error err = {0};
	char tok[HW_TOKEN_TEXT], bad[64];
	static const char *const forms[] = {
	    "",
	    "hw_",
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",   /* 42 */
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", /* 44 */
	    "HW_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "hw-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+A",
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA/A",
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=A",
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA ",
	    " hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	    /* the last character's unused low bits set */
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB",
	    /* well formed, held by nobody */
	    "hw_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
	};
	size_t i;

	ck_assert_int_eq(add("hal", HW_ROLE_ADMIN, NULL, NULL, tok, &err), 0);
	assert_auth_refused(NULL);
	for (i = 0; i < sizeof forms / sizeof forms[0]; i++)
		assert_auth_refused(forms[i]);
	/* the real token changed in one place, cut, or lengthened */
	strcpy(bad, tok);
	bad[10] = bad[10] == 'A' ? 'B' : 'A';
	assert_auth_refused(bad);
	strcpy(bad, tok);
	bad[45] = '\0';
	assert_auth_refused(bad);
	snprintf(bad, sizeof bad, "%sA", tok);
	assert_auth_refused(bad);
	snprintf(bad, sizeof bad, "%s\n", tok);
	assert_auth_refused(bad);
	bad[0] = 'H';
	memcpy(bad, tok, sizeof tok);
	bad[0] = 'H';
	assert_auth_refused(bad);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Refusals: nothing written                                           */

START_TEST(test_user_add_refused)
{
	static const struct {
		const char *name;
		unsigned roles;
		const char *o1, *o2;
		enum hw_errcode code;
		const char *text;
	} bad[] = {
	    {"", HW_ROLE_ADMIN, NULL, NULL, HW_EINVAL,
	     "bad user name \"\" (expected 1 to 64 of A-Z a-z 0-9 . _ @ -)"},
	    {"a b", HW_ROLE_ADMIN, NULL, NULL, HW_EINVAL,
	     "bad user name \"a b\" (expected 1 to 64 of A-Z a-z 0-9 . _ @ "
	     "-)"},
	    {"a/b", HW_ROLE_ADMIN, NULL, NULL, HW_EINVAL,
	     "bad user name \"a/b\" (expected 1 to 64 of A-Z a-z 0-9 . _ @ "
	     "-)"},
	    {"caf\xc3\xa9", HW_ROLE_ADMIN, NULL, NULL, HW_EINVAL,
	     "bad user name \"caf\xc3\xa9\" (expected 1 to 64 of A-Z a-z 0-9 "
	     ". _ @ -)"},
	    {"ivy", 0, NULL, NULL, HW_EINVAL,
	     "user 'ivy' needs a role (owner, cab, manager or admin)"},
	    {"ivy", 0x10, NULL, NULL, HW_EINVAL,
	     "user 'ivy' needs a role (owner, cab, manager or admin)"},
	    {"ivy", HW_ROLE_OWNER, "", NULL, HW_EINVAL,
	     "user 'ivy': empty owner value"},
	    {"ivy", HW_ROLE_OWNER, "a", "a", HW_EINVAL,
	     "user 'ivy': owner value \"a\" given twice"},
	    {"ivy", HW_ROLE_OWNER, "a\x01", NULL, HW_EINVAL, NULL},
	    {"taken", HW_ROLE_CAB, NULL, NULL, HW_EEXIST,
	     "user 'taken' exists already"},
	};
	struct hw_error err = {0};
	char tok[HW_TOKEN_TEXT], name65[66], owner257[258];
	long long audits;
	size_t i;

	FX_SQLITE_ONLY();
	ck_assert_int_eq(add("taken", HW_ROLE_OWNER, "x", NULL, tok, &err), 0);
	audits = raw_int("SELECT count(*) FROM audit");
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char out[HW_TOKEN_TEXT] = "untouched";

		memset(&err, 0, sizeof err);
		ck_assert_int_eq(add(bad[i].name, bad[i].roles, bad[i].o1,
				     bad[i].o2, out, &err),
				 -1);
		ck_assert_int_eq(err.code, bad[i].code);
		if (bad[i].text != NULL)
			ck_assert_str_eq(err.text, bad[i].text);
		ck_assert_str_eq(out, "untouched");
	}
	memset(name65, 'n', 65);
	name65[65] = '\0';
	ck_assert_int_eq(add(name65, HW_ROLE_CAB, NULL, NULL, tok, &err), -1);
	name65[64] = '\0';
	memset(owner257, 'o', 257);
	owner257[257] = '\0';
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(add("ivy", HW_ROLE_OWNER, owner257, NULL, tok, &err),
			 -1);
	ck_assert_str_eq(err.text,
			 "user 'ivy': owner value longer than 256 bytes");
	ck_assert_int_eq(raw_int("SELECT count(*) FROM users"), 1);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM user_owns"), 1);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM audit"), audits);
	/* the longest name and owner value are taken */
	owner257[256] = '\0';
	ck_assert_int_eq(add(name65, HW_ROLE_OWNER, owner257, NULL, tok, &err),
			 0);
}
END_TEST

START_TEST(test_user_write_outside_transaction)
{
	struct hw_error err = {0};
	struct hw_user u = {(char *)"jo", HW_ROLE_CAB, NULL, 0, 0, 0};
	char tok[HW_TOKEN_TEXT] = "untouched";

	FX_SQLITE_ONLY();
	ck_assert_int_eq(hw_user_add(fx_st, &u, tok, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_str_eq(tok, "untouched");
	ck_assert_int_eq(raw_int("SELECT count(*) FROM users"), 0);
}
END_TEST

/* A damaged row: get, each and auth say HW_EDAMAGED naming the table
 * and column (SQL run with the CHECKs off, as a hostile editor
 * would). */
START_TEST(test_user_damaged_rows)
{
	static const struct {
		const char *sql, *text;
	} cases[] = {
	    {"UPDATE users SET roles = 99",
	     "table users: user 'kim': column roles is not a role set (1 to "
	     "15)"},
	    {"UPDATE users SET roles = 0",
	     "table users: user 'kim': column roles is not a role set (1 to "
	     "15)"},
	    {"UPDATE users SET token_hash = zeroblob(31)",
	     "table users: user 'kim': column token_hash is not 32 bytes"},
	    {"UPDATE users SET created = 'yesterday'",
	     "table users: user 'kim': column created or token_at is not "
	     "YYYY-MM-DDTHH:MM:SSZ"},
	    {"UPDATE users SET token_at = ''",
	     "table users: user 'kim': column created or token_at is not "
	     "YYYY-MM-DDTHH:MM:SSZ"},
	    {"UPDATE user_owns SET owner = ''",
	     "table user_owns: user 'kim': column owner is empty, longer "
	     "than 256 bytes, or one of more than 100"},
	    {"PRAGMA foreign_keys = OFF; UPDATE users SET name = 'k m'; "
	     "UPDATE user_owns SET user = 'k m'",
	     "table users: column name holds a name highwater never writes"},
	};
	char tok[HW_TOKEN_TEXT], sql[512];
	size_t i;

	FX_SQLITE_ONLY();
	for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct hw_error err = {0};
		struct hw_user u = {0};
		struct names n = {"", 0, 0};
		const char *name =
		    strstr(cases[i].sql, "'k m'") ? "k m" : "kim";

		raw_exec("PRAGMA foreign_keys = ON; DELETE FROM users");
		ck_assert_int_eq(add("kim", HW_ROLE_OWNER, "kim@example.org",
				     NULL, tok, &err),
				 0);
		snprintf(sql, sizeof sql,
			 "PRAGMA ignore_check_constraints = ON; %s",
			 cases[i].sql);
		raw_exec(sql);

		ck_assert_int_eq(hw_user_get(fx_st, name, &u, &err), -1);
		ck_assert_int_eq(err.code, HW_EDAMAGED);
		ck_assert_msg(strstr(err.text, cases[i].text) != NULL,
			      "case %zu: %s", i, err.text);
		ck_assert_ptr_null(u.name);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(hw_user_each(fx_st, name_cb, &n, &err), -1);
		ck_assert_int_eq(err.code, HW_EDAMAGED);
		ck_assert_int_eq(n.seen, 0);
		if (i == 2) /* the hash no longer matches any token */
			continue;
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(hw_user_auth(fx_st, tok, &u, &err), -1);
		ck_assert_int_eq(err.code, HW_EDAMAGED);
		ck_assert_ptr_null(strstr(err.text, tok + 3));
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Policy: the table of issue 13, cell by cell                         */

/* The verdict of each role alone for each permission, on an asset the
 * user owns (own), one another owns (other) and one with no owner
 * (none): D deny, A allow, C allow as a proposed change. */
static const struct {
	unsigned role;
	const char *own, *other, *none; /* by enum hw_perm, READ first */
} policy[] = {
    /*                  READ ASSET ONTO EDIT DECIDE ADMIN */
    {HW_ROLE_OWNER, "AAAADD", "ADCADD", "ADCADD"},
    {HW_ROLE_CAB, "ADDAAD", "ADDAAD", "ADDAAD"},
    {HW_ROLE_MANAGER, "ADDDDD", "ADDDDD", "ADDDDD"},
    {HW_ROLE_ADMIN, "AAAAAA", "AAAAAA", "AAAAAA"},
};

static char verdict_char(enum hw_verdict v)
{
	return v == HW_ALLOW ? 'A' : v == HW_ALLOW_AS_CHANGE ? 'C' : 'D';
}

/* The verdicts of u for owner, READ to ADMIN, into out. */
static void verdicts(const struct hw_user *u, const char *owner, char out[7])
{
	int p;

	for (p = HW_PERM_READ; p <= HW_PERM_ADMIN; p++)
		out[p] = verdict_char(hw_user_may(u, (enum hw_perm)p, owner));
	out[6] = '\0';
}

START_TEST(test_user_policy_single_roles)
{
	char *owns[] = {(char *)"ops", (char *)"dba@example.org"};
	char got[7];
	size_t i;

	for (i = 0; i < sizeof policy / sizeof policy[0]; i++) {
		struct hw_user u = {(char *)"u", policy[i].role, owns, 2, 0, 0};

		verdicts(&u, "dba@example.org", got);
		ck_assert_msg(strcmp(got, policy[i].own) == 0,
			      "role %u, own asset: %s", policy[i].role, got);
		verdicts(&u, "finance", got);
		ck_assert_msg(strcmp(got, policy[i].other) == 0,
			      "role %u, another's asset: %s", policy[i].role,
			      got);
		/* owner values match exactly: no case folding, no prefix */
		verdicts(&u, "DBA@example.org", got);
		ck_assert_str_eq(got, policy[i].other);
		verdicts(&u, "op", got);
		ck_assert_str_eq(got, policy[i].other);
		verdicts(&u, "", got);
		ck_assert_str_eq(got, policy[i].other);
		verdicts(&u, NULL, got);
		ck_assert_msg(strcmp(got, policy[i].none) == 0,
			      "role %u, no owner: %s", policy[i].role, got);
	}
}
END_TEST

/* A user with several roles may what any of them may: every pair,
 * triple and all four against the union of the single rows. */
START_TEST(test_user_policy_union_of_roles)
{
	char *owns[] = {(char *)"ops"};
	const char *owners[] = {"ops", "finance", NULL};
	unsigned set;
	int w, p;

	for (set = 1; set <= HW_ROLE_ALL; set++) {
		struct hw_user u = {(char *)"u", set, owns, 1, 0, 0};

		for (w = 0; w < 3; w++) {
			for (p = HW_PERM_READ; p <= HW_PERM_ADMIN; p++) {
				char want = 'D';
				size_t i;

				for (i = 0; i < 4; i++) {
					const char *row = w == 0 ? policy[i].own
							  : w == 1
							      ? policy[i].other
							      : policy[i].none;

					if (!(set & policy[i].role))
						continue;
					if (row[p] == 'A' ||
					    (row[p] == 'C' && want == 'D'))
						want = row[p];
				}
				ck_assert_msg(
				    verdict_char(hw_user_may(
					&u, (enum hw_perm)p, owners[w])) ==
					want,
				    "roles %u, perm %d, owner %s: want %c", set,
				    p, owners[w] ? owners[w] : "(none)", want);
			}
		}
	}
}
END_TEST

START_TEST(test_user_policy_edges)
{
	struct hw_user none = {(char *)"u", 0, NULL, 0, 0, 0};
	struct hw_user owner_no_owns = {
	    (char *)"u", HW_ROLE_OWNER, NULL, 0, 0, 0};
	int p;

	for (p = HW_PERM_READ; p <= HW_PERM_ADMIN; p++) {
		ck_assert_int_eq(hw_user_may(NULL, (enum hw_perm)p, "x"),
				 HW_DENY);
		ck_assert_int_eq(hw_user_may(&none, (enum hw_perm)p, "x"),
				 HW_DENY);
	}
	ck_assert_int_eq(hw_user_may(&owner_no_owns, HW_PERM_ASSET_WRITE, NULL),
			 HW_DENY);
	ck_assert_int_eq(hw_user_may(&owner_no_owns, HW_PERM_DEP_ONTO, "x"),
			 HW_ALLOW_AS_CHANGE);
	ck_assert_int_eq(hw_user_may(&owner_no_owns, (enum hw_perm)99, "x"),
			 HW_DENY);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Limits                                                              */

START_TEST(test_user_owner_values_limit)
{
	struct hw_error err = {0};
	char *owns[101], buf[101][8], tok[HW_TOKEN_TEXT];
	struct hw_user u = {(char *)"many", HW_ROLE_OWNER, owns, 101, 0, 0};
	struct hw_user got = {0};
	int i;

	for (i = 0; i < 101; i++) {
		snprintf(buf[i], sizeof buf[i], "o%03d", i);
		owns[i] = buf[i];
	}
	ck_assert_int_eq(FX_TX(hw_user_add(fx_st, &u, tok, &err)), -1);
	ck_assert_str_eq(err.text, "user 'many': 101 owner values (at most "
				   "100)");
	u.nowns = 100;
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(FX_TX(hw_user_add(fx_st, &u, tok, &err)), 0);
	ck_assert_int_eq(hw_user_auth(fx_st, tok, &got, &err), 0);
	ck_assert_uint_eq(got.nowns, 100);
	ck_assert_str_eq(got.owns[99], "o099");
	hw_user_release(&got);
}
END_TEST

static Suite *user_suite(void)
{
	Suite *s = suite_create("user");
	TCase *core = tcase_create("core");
	TCase *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_add_test(core, test_user_roles_parse_and_text);
	tcase_add_test(core, test_user_add_auth_get);
	tcase_add_test(core, test_user_each_in_name_order);
	tcase_add_test(core, test_user_rotate_invalidates);
	tcase_add_test(core, test_user_remove);
	tcase_add_test(core, test_user_audit_never_holds_token);
	tcase_add_test(core, test_user_policy_single_roles);
	tcase_add_test(core, test_user_policy_union_of_roles);
	tcase_add_test(core, test_user_policy_edges);
	tcase_add_test(errors, test_user_roles_refused);
	tcase_add_test(errors, test_user_malformed_tokens_refused);
	tcase_add_test(errors, test_user_add_refused);
	tcase_add_test(errors, test_user_write_outside_transaction);
	tcase_add_test(errors, test_user_damaged_rows);
	tcase_add_test(limits, test_user_owner_values_limit);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(user_suite());
}
