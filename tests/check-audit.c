/*
 * check-audit.c: the audit trail: canonical JSON against hand-written
 * texts (Python's json.dumps as DESIGN.md fixes it), the chain appended
 * and verified, rollback and no-transaction writes.
 */
#include <jansson.h>
#include <stdint.h>

#include "canon.h"
#include "fixture.h"
#include "hw-private.h"
#include "store-sql.h"

/* The canonical text of the JSON text in. */
static char *canon_of(const char *in)
{
	json_error_t je;
	json_t *v = json_loads(in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &je);
	struct hw_error err = {0};
	char *out;

	ck_assert_msg(v != NULL, "%s: %s", in, je.text);
	out = hwp_canon_dump(v, NULL, &err);
	ck_assert_msg(out != NULL, "%s", err.text);
	json_decref(v);
	return out;
}

#define CANON_EQ(in, want)                                                     \
	do {                                                                   \
		char *got_ = canon_of(in);                                     \
		ck_assert_str_eq(got_, want);                                  \
		free(got_);                                                    \
	} while (0)

START_TEST(test_canon_compact_sorted)
{
	CANON_EQ("{ \"b\" : 1, \"a\" : [1, 2, {\"z\": null, \"y\": true}],"
		 " \"c\": false }",
		 "{\"a\":[1,2,{\"y\":true,\"z\":null}],\"b\":1,\"c\":false}");
	CANON_EQ("[]", "[]");
	CANON_EQ("{}", "{}");
	CANON_EQ("-9223372036854775808", "-9223372036854775808");
	/* keys by UTF-8 bytes: upper case before lower, é (c3 a9) after
	 * z, and a prefix first */
	CANON_EQ("{\"b\":1,\"B\":2,\"\\u00e9\":3,\"z\":4,\"ab\":5,\"a\":6}",
		 "{\"B\":2,\"a\":6,\"ab\":5,\"b\":1,\"z\":4,\"\xc3\xa9\":3}");
}
END_TEST

START_TEST(test_canon_strings)
{
	/* non-ASCII as itself, '/' and DEL not escaped */
	CANON_EQ("\"caf\\u00e9 \\u65e5\\u672c / \\u007f \\ud83d\\ude00\"",
		 "\"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac / \x7f "
		 "\xf0\x9f\x98\x80\"");
	/* the short escapes, the others in lower-case hex */
	CANON_EQ("\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\\u001B\"",
		 "\"q\\\" b\\\\ \\b\\f\\n\\r\\t \\u0001\\u001f\\u001b\"");
	CANON_EQ("\"nul\\u0000x\"", "\"nul\\u0000x\"");
	/* U+2028 stays as itself (ensure_ascii=False) */
	CANON_EQ("\"\\u2028\"", "\"\xe2\x80\xa8\"");
}
END_TEST

START_TEST(test_canon_reals_by_hand)
{
	CANON_EQ("[1.0, 0.1, 1e16, 1e15, 1e-05, 0.0001, -0.0, 0.0, 2.5e-7]",
		 "[1.0,0.1,1e+16,1000000000000000.0,1e-05,0.0001,-0.0,0.0,"
		 "2.5e-07]");
	CANON_EQ("[1e300, 1.7976931348623157e308, 5e-324, 0.30000000000000004,"
		 " 123456789012345678, 123456789012345678.0, 100.25]",
		 "[1e+300,1.7976931348623157e+308,5e-324,0.30000000000000004,"
		 "123456789012345678,1.2345678901234568e+17,100.25]");
}
END_TEST

/* Every real of tests/data/canon-reals.txt (its bits and Python's
 * repr, written by python3) comes out as Python wrote it. */
START_TEST(test_canon_reals_as_python)
{
	FILE *fp = fopen(fx_testdata("canon-reals.txt"), "r");
	char line[128], bits[32], want[64];
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_error err = {0};
	int n = 0;

	ck_assert_ptr_nonnull(fp);
	while (fgets(line, sizeof line, fp) != NULL) {
		uint64_t u;
		double d;

		if (line[0] == '#')
			continue;
		ck_assert_int_eq(sscanf(line, "%31s %63s", bits, want), 2);
		u = strtoull(bits, NULL, 16);
		memcpy(&d, &u, sizeof d);
		hwp_buf_reset(&b);
		ck_assert_int_eq(hwp_canon_real(&b, d, &err), 0);
		ck_assert_msg(strcmp(b.data, want) == 0, "%s: got %s, want %s",
			      bits, b.data, want);
		n++;
	}
	fclose(fp);
	hwp_buf_release(&b);
	ck_assert_int_gt(n, 2000);
}
END_TEST

START_TEST(test_canon_refuses)
{
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_error err = {0};
	json_t *v = json_array(), *inner = v;
	int i;

	ck_assert_int_eq(hwp_canon_real(&b, 1.0 / 0.0, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	for (i = 0; i < 70; i++) {
		json_t *a = json_array();

		json_array_append_new(inner, a);
		inner = a;
	}
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hwp_canon_append(&b, v, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	json_decref(v);
	hwp_buf_release(&b);
}
END_TEST

START_TEST(test_canon_buffer_grows)
{
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_error err = {0};
	char *s;
	int i;

	for (i = 0; i < 10000; i++)
		ck_assert_int_eq(hwp_canon_string(&b, "ab", 2, &err), 0);
	ck_assert_uint_eq(b.len, 40000);
	ck_assert_uint_eq(strlen(b.data), 40000);
	s = hwp_buf_take(&b, &err);
	ck_assert_ptr_null(b.data);
	ck_assert_int_eq(memcmp(s, "\"ab\"\"ab\"", 8), 0);
	free(s);
}
END_TEST

/* The hash of a record against one computed by python3 (json.dumps as
 * DESIGN.md says, hashlib.sha256). */
START_TEST(test_audit_hash_known)
{
	static const char before[] = "{\"a\":1.5,\"b\":\"\\n\\u001f\","
				     "\"\xc3\xa9\":[0.1,1e+16]}";
	struct hwp_buf b = HWP_BUF_INIT;
	struct hw_error err = {0};
	unsigned char prev[32], h[32];
	char hex[65];
	int i;

	memset(prev, 0xab, sizeof prev);
	ck_assert_int_eq(hwp_audit_hash(fx_st, &b, 7, "2026-01-02T03:04:05.000006Z",
					"zo\xc3\xab", "update", "asset:x",
					before, strlen(before), NULL, 0, prev,
					h, &err),
			 0);
	ck_assert_str_eq(
	    b.data, "[1,7,\"2026-01-02T03:04:05.000006Z\",\"zo\xc3\xab\","
		    "\"update\",\"asset:x\",{\"a\":1.5,\"b\":\"\\n\\u001f\","
		    "\"\xc3\xa9\":[0.1,1e+16]},null,\"abababababababab"
		    "abababababababababababababababababababababababab\"]");
	for (i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	ck_assert_str_eq(hex, "3ea292f15f72561a8f95771b3eb864872a5f2fb5c1e1958"
			      "297c6ec04803833fc");
	hwp_buf_release(&b);
}
END_TEST

/* Put asset id (name) in its own transaction. */
static void put_asset(const char *id, const char *name)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};

	a.id = (char *)id;
	a.name = (char *)name;
	a.type = (char *)"server";
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_asset_put(fx_st, &a, 1, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
}

struct collect {
	long long n;
	char actions[512];
};

static int collect(const struct hw_audit_record *r, void *ctx)
{
	struct collect *c = ctx;
	size_t len = strlen(c->actions);

	c->n++;
	snprintf(c->actions + len, sizeof c->actions - len, "%s%s %s",
		 len ? "," : "", r->action, r->object);
	return 0;
}

static struct hw_audit_verdict verify(const char *expect)
{
	struct hw_audit_verdict v;
	struct hw_error err = {0};

	ck_assert_msg(hw_audit_verify(fx_st, expect, &v, NULL, NULL, &err) == 0,
		      "%s", err.text);
	return v;
}

START_TEST(test_audit_chain_appends)
{
	struct hw_audit_filter f = {"a1", 0, NULL};
	struct hw_error err = {0};
	struct collect c = {0};
	struct hw_audit_verdict v;
	struct hw_dep d = {(char *)"a1", (char *)"a2", (char *)"runs_on", 7};
	char head[65], *actor = NULL, *time = NULL;
	long long seq;

	ck_assert_int_eq(hw_store_set_actor(fx_st, "alice", &err), 0);
	put_asset("a1", "One");
	put_asset("a2", "Two");
	put_asset("a1", "One"); /* unchanged: no record */
	put_asset("a1", "Uno");
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_dep_add(fx_st, &d, 0, &err), 0);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), 0);
	ck_assert_str_eq(c.actions, "add asset:a1,update asset:a1,"
				    "add dependency:a1>a2");
	memset(&c, 0, sizeof c);
	f.asset = NULL;
	f.actor = "alice";
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), 0);
	ck_assert_int_eq(c.n, 4);
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 0);
	ck_assert_int_eq(v.records, 5); /* with the catalogue's */
	ck_assert_int_eq(hw_audit_head(fx_st, head, &seq, &err), 0);
	ck_assert_int_eq(seq, 5);
	ck_assert_str_eq(head, v.head);
	ck_assert_int_eq(hw_audit_last(fx_st, "a2", &actor, &time, &err), 0);
	ck_assert_str_eq(actor, "alice");
	ck_assert_int_eq(strlen(time), 27);
	free(actor);
	free(time);
	ck_assert_int_eq(hw_audit_last(fx_st, "zz", &actor, &time, &err), 0);
	ck_assert_ptr_null(actor);
}
END_TEST

START_TEST(test_audit_rollback_leaves_nothing)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	char head[65], head2[65];
	long long seq, seq2;

	ck_assert_int_eq(hw_audit_head(fx_st, head, &seq, &err), 0);
	a.id = (char *)"gone";
	a.name = (char *)"Gone";
	a.type = (char *)"server";
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_int_eq(hw_store_asset_put(fx_st, &a, 0, &err), 0);
	hw_store_rollback(fx_st);
	ck_assert_int_eq(hw_audit_head(fx_st, head2, &seq2, &err), 0);
	ck_assert_int_eq(seq2, seq);
	ck_assert_str_eq(head2, head);
	/* the kept seq was dropped with the rollback */
	put_asset("kept", "Kept");
	ck_assert_int_eq(hw_audit_head(fx_st, head2, &seq2, &err), 0);
	ck_assert_int_eq(seq2, seq + 1);
	ck_assert_int_eq(verify(NULL).broken, 0);
}
END_TEST

START_TEST(test_audit_refuses_outside_transaction)
{
	struct hw_error err = {0};
	struct hw_asset a = {0};
	long n = -1;

	a.id = (char *)"loose";
	a.name = (char *)"Loose";
	a.type = (char *)"server";
	ck_assert_int_eq(hw_store_asset_put(fx_st, &a, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "outside a transaction"));
	ck_assert_int_eq(hw_store_asset_count(fx_st, &n, &err), 0);
	ck_assert_int_eq(n, 0);
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_store_setting_set(fx_st, "x", "y", &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
}
END_TEST

START_TEST(test_audit_ten_thousand_writes)
{
	struct hw_error err = {0};
	struct hw_audit_verdict v;
	char id[32];
	int i;

	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	for (i = 0; i < 10000; i++) {
		struct hw_asset a = {0};

		snprintf(id, sizeof id, "a%05d", i % 5000);
		a.id = id;
		a.name = i < 5000 ? (char *)"first" : (char *)"second";
		a.type = (char *)"server";
		ck_assert_int_eq(hw_store_asset_put(fx_st, &a, 1, &err), 0);
	}
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 0);
	ck_assert_int_eq(v.records, 10001);
	/* a kept head found in the chain, an unknown one not */
	ck_assert_int_eq(verify(v.head).expect_found, 1);
	v = verify("0123456789012345678901234567890123456789012345678901234567"
		   "890123");
	ck_assert_int_eq(v.broken, 10002);
}
END_TEST

/* Run SQL on the fixture's file through a connection of its own. */
static void tamper(const char *sql)
{
	sqlite3 *db;

	ck_assert_int_eq(sqlite3_open(fx_db, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_close(db), SQLITE_OK);
}

START_TEST(test_audit_tampering_detected)
{
	struct hw_audit_verdict v;
	char head[65];
	int i;

	FX_SQLITE_ONLY();
	for (i = 0; i < 6; i++) {
		char id[16];

		snprintf(id, sizeof id, "t%d", i);
		put_asset(id, "T");
	}
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 0);
	ck_assert_int_eq(v.records, 7);
	memcpy(head, v.head, sizeof head);
	/* the newest record removed: the chain holds, the kept head
	 * shows it */
	tamper("DELETE FROM audit WHERE seq = 7");
	/* ... which left audit_last naming it as t5's newest: caught */
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 7);
	ck_assert_ptr_nonnull(strstr(v.why, "history was altered"));
	/* a careful hand mends audit_last too: only the head shows it */
	tamper("DELETE FROM audit_last WHERE asset = 't5'");
	ck_assert_int_eq(verify(NULL).broken, 0);
	v = verify(head);
	ck_assert_int_eq(v.broken, 7);
	ck_assert_ptr_nonnull(strstr(v.why, "truncated"));
	/* a record edited */
	tamper("UPDATE audit SET actor = 'mallory' WHERE seq = 4");
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 4);
	ck_assert_ptr_nonnull(strstr(v.why, "edited"));
	tamper("UPDATE audit SET actor = 'unknown' WHERE seq = 4");
	ck_assert_int_eq(verify(NULL).broken, 0);
	/* a history link altered (not in the hash): caught */
	tamper("UPDATE audit SET link_a = 2 WHERE seq = 6");
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 6);
	ck_assert_ptr_nonnull(strstr(v.why, "history of 't4'"));
	tamper("UPDATE audit SET link_a = NULL WHERE seq = 6");
	/* a record deleted */
	tamper("DELETE FROM audit WHERE seq = 3");
	v = verify(NULL);
	ck_assert_int_eq(v.broken, 4);
	ck_assert_ptr_nonnull(strstr(v.why, "from 3 on were deleted"));
}
END_TEST

/* An asset's history walks back along the links from audit_last: a
 * crafted file (a newest record that does not name the asset, a link
 * that is not older, a missing record) is damaged, never a loop. */
START_TEST(test_audit_history_damaged)
{
	struct hw_audit_filter f = {"h1", 0, NULL};
	struct hw_error err = {0};
	struct collect c = {0};
	char *actor = NULL, *time = NULL;

	FX_SQLITE_ONLY();
	put_asset("h1", "One");
	put_asset("h2", "Two");
	put_asset("h1", "Uno");
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), 0);
	ck_assert_str_eq(c.actions, "add asset:h1,update asset:h1");
	/* the newest record of h1 said to be h2's */
	tamper("UPDATE audit_last SET seq = (SELECT seq FROM audit WHERE"
	       " object = 'asset:h2') WHERE asset = 'h1'");
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_ptr_nonnull(strstr(err.text, "does not name it"));
	/* a link to itself, written past the CHECK */
	tamper("UPDATE audit_last SET seq = (SELECT max(seq) FROM audit WHERE"
	       " object = 'asset:h1') WHERE asset = 'h1';"
	       "PRAGMA ignore_check_constraints = ON;"
	       "UPDATE audit SET link_a = seq WHERE seq = (SELECT seq FROM"
	       " audit_last WHERE asset = 'h1')");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_ptr_nonnull(strstr(err.text, "which is not older"));
	/* a newest record of h2 that is not older than the next: damage,
	 * and nothing written */
	tamper("UPDATE audit_last SET seq = 1000000 WHERE asset = 'h2'");
	{
		struct hw_asset a = {0};
		long long seq;
		char head[65];

		a.id = (char *)"h2";
		a.name = (char *)"Deux";
		a.type = (char *)"server";
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(hw_audit_head(fx_st, head, &seq, &err), 0);
		ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
		ck_assert_int_eq(hw_store_asset_put(fx_st, &a, 1, &err), -1);
		ck_assert_int_eq(err.code, HW_EDAMAGED);
		ck_assert_ptr_nonnull(strstr(err.text, "not before record"));
		hw_store_rollback(fx_st);
		memset(&err, 0, sizeof err);
		ck_assert_int_eq(hw_audit_head(fx_st, head, &c.n, &err), 0);
		ck_assert_int_eq(c.n, seq);
	}
	/* the newest record gone */
	tamper("DELETE FROM audit WHERE seq = (SELECT seq FROM audit_last"
	       " WHERE asset = 'h1')");
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_ptr_nonnull(strstr(err.text, "missing"));
	memset(&err, 0, sizeof err);
	ck_assert_int_eq(hw_audit_last(fx_st, "h1", &actor, &time, &err), -1);
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_ptr_null(actor);
}
END_TEST

/* A type whose levels change: its record, and an update of each asset
 * whose assignment followed the new levels. */
START_TEST(test_audit_type_levels_followed)
{
	struct hw_audit_filter f = {NULL, 0, NULL};
	struct hw_infotype t = {0};
	struct hw_assignment g = {0};
	struct hw_asset a = {0};
	struct hw_error err = {0};
	struct collect c = {0};
	char head[65];
	long long seq;

	t.id = (char *)"X.OWN.1";
	t.name = (char *)"Own";
	t.prov = fx_sc3(HW_LEVEL_LOW, HW_LEVEL_LOW, HW_LEVEL_LOW);
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 0, &err)), 0);
	g.type_id = (char *)"X.OWN.1";
	a.id = (char *)"holder";
	a.name = (char *)"Holder";
	a.type = (char *)"server";
	a.types = &g;
	a.ntypes = 1;
	ck_assert_int_eq(hw_store_begin(fx_st, &err), 0);
	ck_assert_msg(hw_store_assignment_prepare(fx_st, &g, &err) == 0, "%s",
		      err.text);
	ck_assert_msg(hw_store_asset_put(fx_st, &a, 0, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(hw_store_commit(fx_st, &err), 0);
	ck_assert_int_eq(hw_audit_head(fx_st, head, &seq, &err), 0);
	/* the same type again: nothing; new levels: the type and the
	 * asset */
	ck_assert_int_eq(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)), 0);
	t.prov = fx_sc3(HW_LEVEL_HIGH, HW_LEVEL_LOW, HW_LEVEL_LOW);
	ck_assert_msg(FX_TX(hw_store_infotype_put(fx_st, &t, 1, &err)) == 0,
		      "%s", err.text);
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), 0);
	ck_assert_int_eq(c.n, seq + 1);
	ck_assert_ptr_nonnull(strstr(c.actions,
				     "add asset:holder,update "
				     "information_type:X.OWN.1"));
	/* the holder's JSON names the type, not its levels: the type's
	 * record is in the holder's history */
	memset(&c, 0, sizeof c);
	f.asset = "holder";
	ck_assert_int_eq(hw_audit_each(fx_st, &f, collect, &c, &err), 0);
	ck_assert_str_eq(c.actions,
			 "add asset:holder,update information_type:X.OWN.1");
}
END_TEST

static Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *core = tcase_create("core");
	TCase *errors = tcase_create("errors");
	TCase *limits = tcase_create("limits");

	tcase_add_test(core, test_canon_compact_sorted);
	tcase_add_test(core, test_canon_strings);
	tcase_add_test(core, test_canon_reals_by_hand);
	tcase_add_test(limits, test_canon_reals_as_python);
	tcase_add_test(errors, test_canon_refuses);
	tcase_add_test(limits, test_canon_buffer_grows);
	tcase_add_checked_fixture(core, fx_setup, fx_teardown);
	tcase_add_checked_fixture(errors, fx_setup, fx_teardown);
	tcase_add_checked_fixture(limits, fx_setup, fx_teardown);
	tcase_set_timeout(limits, 120);
	tcase_add_test(core, test_audit_hash_known);
	tcase_add_test(core, test_audit_chain_appends);
	tcase_add_test(core, test_audit_rollback_leaves_nothing);
	tcase_add_test(core, test_audit_type_levels_followed);
	tcase_add_test(errors, test_audit_refuses_outside_transaction);
	tcase_add_test(errors, test_audit_tampering_detected);
	tcase_add_test(errors, test_audit_history_damaged);
	tcase_add_test(limits, test_audit_ten_thousand_writes);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(audit_suite());
}
