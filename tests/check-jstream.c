/*
 * check-jstream.c: the streaming JSON writer against jansson's dump of
 * the same document, byte for byte, under every layout flag (values
 * given whole, and scalars written without jansson values, across many
 * flushes of its buffer); its refusals; and a write failure halfway
 * that never ends as a document.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>

#include "fixture.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Stream v: containers opened and closed down to levels deep, below
 * that put whole.  Keys sorted when the flags sort them. */
static int stream(struct hw_jstream *js, const char *key, json_t *v,
		  int levels, size_t flags)
{
	if (levels == 0 || !(json_is_object(v) || json_is_array(v)))
		return hw_jstream_put(js, key, json_incref(v));
	if (json_is_array(v)) {
		size_t i;
		json_t *e;

		if (hw_jstream_array(js, key) < 0)
			return -1;
		json_array_foreach(v, i, e)
			if (stream(js, NULL, e, levels - 1, flags) < 0)
				return -1;
	} else {
		const char *k, **keys;
		size_t n = 0, i;
		json_t *e;
		int rc = 0;

		keys = malloc((json_object_size(v) + 1) * sizeof *keys);
		ck_assert_ptr_nonnull(keys);
		json_object_foreach(v, k, e)
			keys[n++] = k;
		if (flags & JSON_SORT_KEYS)
			qsort(keys, n, sizeof *keys, cmp_str);
		rc = hw_jstream_object(js, key);
		for (i = 0; i < n && rc == 0; i++)
			rc = stream(js, keys[i], json_object_get(v, keys[i]),
				    levels - 1, flags);
		free(keys);
		if (rc < 0)
			return -1;
	}
	return hw_jstream_close(js);
}

static const char *const docs[] = {
    "{\"members\": [{\"id\": \"a\", \"levels\": {\"c\": \"HIGH\", \"i\": null},"
    " \"path\": [\"a\", \"b\"], \"n\": 3, \"score\": 53.7}, {\"id\": \"b\\n\\\"q\","
    " \"e\": {}, \"f\": []}], \"summary\": {\"total\": 2, \"z\": [1, [2, [3]]]},"
    " \"empty\": [], \"none\": {}, \"text\": \"caf\\u00e9 <b>\"}",
    "[]",
    "{}",
    "[1, 2.5, \"x\", null, true, false, [], {}, [[]], {\"a\": {}}]",
    "{\"b\": 1, \"a\": 2, \"c\": {\"z\": 1, \"y\": [0.1, 1e300]}}",
    "[{\"deep\": [[[[{\"x\": [1, 2, {\"y\": \"z\"}]}]]]]}]",
};

static const size_t flagsets[] = {
    JSON_INDENT(2) | JSON_SORT_KEYS | JSON_REAL_PRECISION(12),
    JSON_INDENT(2) | JSON_SORT_KEYS,
    JSON_INDENT(4),
    JSON_COMPACT | JSON_SORT_KEYS,
    0,
    JSON_INDENT(1) | JSON_ENSURE_ASCII | JSON_SORT_KEYS,
    JSON_INDENT(3) | JSON_ESCAPE_SLASH,
};

START_TEST(test_jstream_same_bytes)
{
	size_t d, f;
	int levels;

	for (d = 0; d < sizeof docs / sizeof docs[0]; d++) {
		json_error_t jerr;
		json_t *doc = json_loads(docs[d], 0, &jerr);

		ck_assert_msg(doc != NULL, "doc %zu: %s", d, jerr.text);
		for (f = 0; f < sizeof flagsets / sizeof flagsets[0]; f++) {
			char *want = json_dumps(doc, flagsets[f]);

			ck_assert_ptr_nonnull(want);
			for (levels = 0; levels < 8; levels++) {
				struct hw_jstream js;
				struct hw_error err = {0};
				char *got = NULL;
				size_t len = 0;
				FILE *fp = open_memstream(&got, &len);

				ck_assert_ptr_nonnull(fp);
				hw_jstream_init(&js, fp, flagsets[f]);
				ck_assert_int_eq(stream(&js, NULL, doc, levels,
							flagsets[f]),
						 0);
				ck_assert_int_eq(hw_jstream_end(&js, 1, &err), 0);
				fclose(fp);
				ck_assert_uint_eq(len, strlen(want) + 1);
				ck_assert_msg(strncmp(got, want, strlen(want)) == 0 &&
						  got[len - 1] == '\n',
					      "doc %zu flags %zx levels %d:\n%s\n"
					      "want:\n%s",
					      d, flagsets[f], levels, got, want);
				free(got);
			}
			free(want);
		}
		json_decref(doc);
	}
}
END_TEST

/* Strings for the scalar writers: every byte below 0x20, quotes,
 * backslashes, slashes, DEL, UTF-8 of two, three and four bytes,
 * empty. */
static const char *const strings[] = {
    "",
    "plain",
    ("\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f\x10"
     "\x11\x12\x13\x14\x15\x16\x17\x18\x19\x1a\x1b\x1c\x1d\x1e\x1f"),
    "a\"b\\c/d\\\"/\x7f",
    "\"",
    "\\",
    "/",
    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x98\x80 end",
    "\xc3\xa9/\n",
    "tab\there\r\nand\bform\ffeed",
};

/* The same document twice: built with jansson and dumped whole, and
 * streamed with the scalar writers.  copies repeats its elements (many
 * flushes of the stream's buffer). */
static void check_scalars(size_t flags, int copies)
{
	size_t ns = sizeof strings / sizeof strings[0], i;
	json_t *doc = json_array();
	struct hw_jstream js;
	struct hw_error err = {0};
	char *want, *got = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&got, &len);
	char *longer = malloc(70001);
	int c;

	/* Longer than the buffer once escaped (as jansson writes it). */
	ck_assert_ptr_nonnull(longer);
	for (i = 0; i < 70000; i++)
		longer[i] = "ab\"\x01/\n"[i % 6];
	longer[70000] = '\0';
	ck_assert_ptr_nonnull(fp);
	hw_jstream_init(&js, fp, flags);
	ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	json_array_append_new(doc, json_string(longer));
	ck_assert_int_eq(hw_jstream_str(&js, NULL, longer), 0);
	free(longer);
	for (c = 0; c < copies; c++) {
		json_t *o = json_object();

		for (i = 0; i < ns; i++) {
			json_array_append_new(doc, json_string(strings[i]));
			ck_assert_int_eq(hw_jstream_str(&js, NULL, strings[i]), 0);
		}
		json_array_append_new(doc, json_integer(INT64_MIN));
		json_array_append_new(doc, json_integer(INT64_MAX));
		json_array_append_new(doc, json_integer(0));
		json_array_append_new(doc, json_integer(-1));
		json_array_append_new(doc, json_integer(c));
		json_array_append_new(doc, json_true());
		json_array_append_new(doc, json_false());
		json_array_append_new(doc, json_null());
		json_array_append_new(doc, json_null());
		json_array_append_new(doc, json_real(0.1 * c + 1e-7));
		ck_assert_int_eq(hw_jstream_int(&js, NULL, INT64_MIN), 0);
		ck_assert_int_eq(hw_jstream_int(&js, NULL, INT64_MAX), 0);
		ck_assert_int_eq(hw_jstream_int(&js, NULL, 0), 0);
		ck_assert_int_eq(hw_jstream_int(&js, NULL, -1), 0);
		ck_assert_int_eq(hw_jstream_int(&js, NULL, c), 0);
		ck_assert_int_eq(hw_jstream_bool(&js, NULL, 7), 0);
		ck_assert_int_eq(hw_jstream_bool(&js, NULL, 0), 0);
		ck_assert_int_eq(hw_jstream_null(&js, NULL), 0);
		ck_assert_int_eq(hw_jstream_str(&js, NULL, NULL), 0);
		ck_assert_int_eq(hw_jstream_real(&js, NULL, 0.1 * c + 1e-7), 0);
		/* The strings as keys (in sorted order: the table's order
		 * sorted), each with a scalar. */
		for (i = 0; i < ns; i++)
			json_object_set_new(o, strings[i], json_integer((json_int_t)i));
		json_array_append_new(doc, o);
		{
			const char *keys[sizeof strings / sizeof strings[0]];

			memcpy(keys, strings, sizeof keys);
			qsort(keys, ns, sizeof *keys, cmp_str);
			ck_assert_int_eq(hw_jstream_object(&js, NULL), 0);
			for (i = 0; i < ns; i++)
				ck_assert_int_eq(
				    hw_jstream_int(&js, keys[i],
						   json_integer_value(
						       json_object_get(o, keys[i]))),
				    0);
			ck_assert_int_eq(hw_jstream_close(&js), 0);
		}
	}
	ck_assert_int_eq(hw_jstream_close(&js), 0);
	ck_assert_int_eq(hw_jstream_end(&js, 0, &err), 0);
	fclose(fp);
	want = json_dumps(doc, flags | JSON_SORT_KEYS);
	ck_assert_ptr_nonnull(want);
	ck_assert_uint_eq(len, strlen(want));
	ck_assert_msg(memcmp(got, want, len) == 0,
		      "flags %zx copies %d:\n%.2000s\nwant:\n%.2000s", flags,
		      copies, got, want);
	free(want);
	free(got);
	json_decref(doc);
}

START_TEST(test_jstream_scalars_same_bytes)
{
	size_t f;

	for (f = 0; f < sizeof flagsets / sizeof flagsets[0]; f++) {
		check_scalars(flagsets[f], 1);
		check_scalars(flagsets[f] | JSON_ESCAPE_SLASH, 1);
	}
	/* Some MB: the buffer fills and is written out many times. */
	check_scalars(flagsets[0], 3000);
	check_scalars(JSON_COMPACT | JSON_ENSURE_ASCII, 3000);
}
END_TEST

/* A string not UTF-8 (value or key) fails the stream: never bad JSON.
 * Neither does a real that is not finite. */
START_TEST(test_jstream_refuses_bad_scalars)
{
	static const char *const bad[] = {"\xff", "ok\xc3", "\xc0\xaf",
					  "\xed\xa0\x80"};
	struct hw_jstream js;
	struct hw_error err = {0};
	char *buf = NULL;
	size_t len = 0, i;
	FILE *fp = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(fp);
	for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		hw_jstream_init(&js, fp, JSON_INDENT(2));
		hw_error_clear(&err);
		ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
		ck_assert_int_eq(hw_jstream_str(&js, NULL, bad[i]), -1);
		ck_assert_int_eq(hw_jstream_close(&js), -1);
		ck_assert_int_eq(hw_jstream_end(&js, 1, &err), -1);
		ck_assert_int_eq(err.code, HW_EINVAL);
		ck_assert_ptr_nonnull(strstr(err.text, "not UTF-8"));

		hw_jstream_init(&js, fp, JSON_INDENT(2));
		hw_error_clear(&err);
		ck_assert_int_eq(hw_jstream_object(&js, NULL), 0);
		ck_assert_int_eq(hw_jstream_null(&js, bad[i]), -1);
		ck_assert_int_eq(hw_jstream_end(&js, 1, &err), -1);
		ck_assert_ptr_nonnull(strstr(err.text, "not UTF-8"));
	}
	hw_jstream_init(&js, fp, 0);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	ck_assert_int_eq(hw_jstream_real(&js, NULL, NAN), -1);
	ck_assert_int_eq(hw_jstream_end(&js, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "not finite"));
	fclose(fp);
	/* Nothing of the failed documents got out. */
	ck_assert_ptr_null(strstr(buf ? buf : "", "\xff"));
	free(buf);
}
END_TEST

START_TEST(test_jstream_refuses_misuse)
{
	struct hw_jstream js;
	struct hw_error err = {0};
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	/* A member without a key; then every call fails. */
	hw_jstream_init(&js, fp, JSON_INDENT(2));
	ck_assert_int_eq(hw_jstream_object(&js, NULL), 0);
	ck_assert_int_eq(hw_jstream_put(&js, NULL, json_integer(1)), -1);
	ck_assert_int_eq(hw_jstream_put(&js, "a", json_integer(1)), -1);
	ck_assert_int_eq(hw_jstream_close(&js), -1);
	ck_assert_int_eq(hw_jstream_end(&js, 1, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	ck_assert_ptr_nonnull(strstr(err.text, "without a key"));

	/* A key in an array. */
	hw_jstream_init(&js, fp, 0);
	ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	ck_assert_int_eq(hw_jstream_put(&js, "k", json_true()), -1);

	/* A document left open is not complete. */
	hw_jstream_init(&js, fp, 0);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	ck_assert_int_eq(hw_jstream_end(&js, 0, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "not complete"));

	/* Two documents; closing what is not open; a NULL value. */
	hw_jstream_init(&js, fp, 0);
	ck_assert_int_eq(hw_jstream_put(&js, NULL, json_true()), 0);
	ck_assert_int_eq(hw_jstream_put(&js, NULL, json_true()), -1);
	hw_jstream_init(&js, fp, 0);
	ck_assert_int_eq(hw_jstream_close(&js), -1);
	hw_jstream_init(&js, fp, 0);
	hw_error_clear(&err);
	ck_assert_int_eq(hw_jstream_put(&js, NULL, NULL), -1);
	ck_assert_int_eq(hw_jstream_end(&js, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_ENOMEM);

	/* Too deep. */
	hw_jstream_init(&js, fp, 0);
	for (int i = 0; i < HW_JSTREAM_DEPTH; i++)
		ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	ck_assert_int_eq(hw_jstream_array(&js, NULL), -1);
	fclose(fp);
	free(buf);
}
END_TEST

/* /dev/full takes nothing: a long stream fails halfway, later calls
 * write nothing, and the end reports the write error. */
START_TEST(test_jstream_write_failure)
{
	struct hw_jstream js;
	struct hw_error err = {0};
	FILE *fp = fopen("/dev/full", "w");
	int i, rc = 0;

	if (fp == NULL)
		return; /* no /dev/full here */
	hw_jstream_init(&js, fp, JSON_INDENT(2));
	ck_assert_int_eq(hw_jstream_array(&js, NULL), 0);
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = hw_jstream_put(&js, NULL, json_string("0123456789"));
	ck_assert_int_eq(rc, -1);
	ck_assert_int_lt(i, 100000);
	ck_assert_int_eq(hw_jstream_close(&js), -1);
	ck_assert_int_eq(hw_jstream_end(&js, 1, &err), -1);
	ck_assert_int_eq(err.code, HW_EIO);
	ck_assert_ptr_nonnull(strstr(err.text, "cannot write the output"));
	fclose(fp);
}
END_TEST

static Suite *jstream_suite(void)
{
	Suite *s = suite_create("jstream");
	TCase *tc = tcase_create("jstream");

	tcase_add_test(tc, test_jstream_same_bytes);
	tcase_add_test(tc, test_jstream_scalars_same_bytes);
	tcase_add_test(tc, test_jstream_refuses_bad_scalars);
	tcase_add_test(tc, test_jstream_refuses_misuse);
	tcase_add_test(tc, test_jstream_write_failure);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run(jstream_suite());
}
