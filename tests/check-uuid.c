/*
 * check-uuid.c: version 5 UUIDs against RFC 9562's vector and Python's,
 * version 4 UUIDs' version and variant bits, the text form's checks,
 * and the database's own id (made once, kept on reopening).
 */
#include "fixture.h"

/* RFC 9562 appendix A.4: the DNS namespace and "www.example.com". */
#define NS_DNS "6ba7b810-9dad-11d1-80b4-00c04fd430c8"

START_TEST(test_uuid_v5_rfc9562_vector)
{
	char u[HW_UUID_TEXT];

	ck_assert_int_eq(hw_uuid_v5(NS_DNS, "www.example.com", u, NULL), 0);
	ck_assert_str_eq(u, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
	/* the namespace is read in any case */
	ck_assert_int_eq(hw_uuid_v5("6BA7B810-9DAD-11D1-80B4-00C04FD430C8",
				    "www.example.com", u, NULL),
			 0);
	ck_assert_str_eq(u, "2ed6657d-e927-568b-95e1-2665a8aea6a2");
}
END_TEST

START_TEST(test_uuid_v5_as_python_makes_it)
{
	char u[HW_UUID_TEXT];

	/* python3 -c 'import uuid; print(uuid.uuid5(uuid.UUID(
	 * "feca360e-9fc9-4e63-a6f3-132ffed6a718"), "component:cis-billing"))'
	 */
	ck_assert_int_eq(hw_uuid_v5("feca360e-9fc9-4e63-a6f3-132ffed6a718",
				    "component:cis-billing", u, NULL),
			 0);
	ck_assert_str_eq(u, "9f7231e2-cefb-5f0c-acac-81fa15fadd1d");
	/* and the empty name */
	ck_assert_int_eq(hw_uuid_v5(NS_DNS, "", u, NULL), 0);
	ck_assert_str_eq(u, "4ebd0208-8328-5d69-8c44-ec50939c0967");
}
END_TEST

START_TEST(test_uuid_v4_version_and_variant)
{
	char a[HW_UUID_TEXT], b[HW_UUID_TEXT];
	int i;

	for (i = 0; i < 64; i++) {
		ck_assert_int_eq(hw_uuid_v4(a, NULL), 0);
		ck_assert_int_eq(hw_uuid_v4(b, NULL), 0);
		ck_assert_str_ne(a, b);
		ck_assert_int_eq(strlen(a), 36);
		ck_assert_int_eq(a[14], '4');
		ck_assert_ptr_nonnull(strchr("89ab", a[19]));
		ck_assert_int_eq(hw_uuid_valid(a), 1);
	}
}
END_TEST

START_TEST(test_uuid_database_id_kept)
{
	char first[HW_UUID_TEXT], again[HW_UUID_TEXT];
	struct hw_error err = {0};

	ck_assert_int_eq(hw_store_database_id(fx_st, first, &err), 0);
	ck_assert_int_eq(first[14], '4');
	ck_assert_int_eq(hw_store_close(fx_st), 0);
	fx_st = hw_store_open(fx_db, 1, &err);
	ck_assert_ptr_nonnull(fx_st);
	ck_assert_int_eq(hw_store_database_id(fx_st, again, &err), 0);
	ck_assert_str_eq(again, first);
}
END_TEST

START_TEST(test_uuid_bad_namespace)
{
	static const char *const bad[] = {
	    "",
	    "6ba7b810-9dad-11d1-80b4-00c04fd430c",   /* short */
	    "6ba7b810-9dad-11d1-80b4-00c04fd430c8a", /* long */
	    "6ba7b810x9dad-11d1-80b4-00c04fd430c8",  /* no dash */
	    "6ba7b810-9dad-11d1-80b4-00c04fd430cg",  /* not hex */
	    "-6ba7b810-9dad-11d1-80b4-00c04fd430c",  /* dash moved */
	};
	char u[HW_UUID_TEXT] = "untouched";
	struct hw_error err = {0};
	size_t i;

	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hw_error_clear(&err);
		ck_assert_int_eq(hw_uuid_valid(bad[i]), 0);
		ck_assert_int_eq(hw_uuid_v5(bad[i], "x", u, &err), -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		ck_assert_str_eq(u, "untouched");
	}
	ck_assert_str_eq(err.text, "\"-6ba7b810-9dad-11d1-80b4-00c04fd430c\" "
				   "is not a UUID (expected 8-4-4-4-12 "
				   "hexadecimal digits)");
	ck_assert_int_eq(hw_uuid_valid(NULL), 0);
}
END_TEST

static Suite *uuid_suite(void)
{
	Suite *s = suite_create("uuid");
	TCase *core = tcase_create("core"), *store = tcase_create("store"),
	      *errors = tcase_create("errors");

	tcase_add_test(core, test_uuid_v5_rfc9562_vector);
	tcase_add_test(core, test_uuid_v5_as_python_makes_it);
	tcase_add_test(core, test_uuid_v4_version_and_variant);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_uuid_database_id_kept);
	tcase_add_test(errors, test_uuid_bad_namespace);
	suite_add_tcase(s, core);
	suite_add_tcase(s, store);
	suite_add_tcase(s, errors);
	return s;
}

int main(void)
{
	return fx_run(uuid_suite());
}
