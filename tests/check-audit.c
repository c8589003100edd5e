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
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(audit_suite());
}
