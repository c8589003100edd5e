/*
 * canon.c: the canonical JSON text of the audit trail (DESIGN.md "Audit
 * record"), byte for byte what Python's json.dumps(x, sort_keys=True,
 * separators=(",", ":"), ensure_ascii=False) writes.  jansson's own
 * dump differs (it escapes '/' on request, writes reals with %.17g and
 * control characters in upper-case hex), so the text is written here.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "canon.h"

#define MAX_DEPTH 64

/* ------------------------------------------------------------------ */
/* The buffer                                                          */

int hwp_buf_add(struct hwp_buf *b, const void *s, size_t n,
		struct hw_error *err)
{
	if (n >= b->cap - b->len || b->data == NULL) {
		size_t cap = b->cap ? b->cap : 256;
		char *p;

		while (n >= cap - b->len) {
			if (cap > ((size_t)-1) / 2)
				return hw_error_set(err, HW_ENOMEM,
						    "out of memory");
			cap *= 2;
		}
		p = realloc(b->data, cap);
		if (p == NULL)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		b->data = p;
		b->cap = cap;
	}
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int hwp_buf_adds(struct hwp_buf *b, const char *s, struct hw_error *err)
{
	return hwp_buf_add(b, s, strlen(s), err);
}

void hwp_buf_reset(struct hwp_buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

void hwp_buf_release(struct hwp_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *hwp_buf_take(struct hwp_buf *b, struct hw_error *err)
{
	char *s;

	if (b->data == NULL && hwp_buf_add(b, "", 0, err) < 0)
		return NULL;
	s = b->data;
	b->data = NULL;
	b->len = b->cap = 0;
	return s;
}

/* ------------------------------------------------------------------ */
/* Strings                                                             */

int hwp_canon_string(struct hwp_buf *b, const char *s, size_t n,
		     struct hw_error *err)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, run = 0;

	if (hwp_buf_add(b, "\"", 1, err) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[8];
		size_t k = 2;

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		esc[0] = '\\';
		switch (c) {
		case '"':
			esc[1] = '"';
			break;
		case '\\':
			esc[1] = '\\';
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[c >> 4];
			esc[5] = hex[c & 15];
			k = 6;
		}
		if (hwp_buf_add(b, s + run, i - run, err) < 0 ||
		    hwp_buf_add(b, esc, k, err) < 0)
			return -1;
		run = i + 1;
	}
	if (hwp_buf_add(b, s + run, n - run, err) < 0)
		return -1;
	return hwp_buf_add(b, "\"", 1, err);
}

/* ------------------------------------------------------------------ */
/* Reals                                                               */

/* The decimal digits (no leading zero, at most 17) and exponent of
 * "%.*e" text: value = 0.DIGITS x 10^decpt. */
static void split_e(const char *e, char *digits, int *ndig, int *decpt)
{
	const char *p = e;
	int n = 0;

	for (; *p != 'e'; p++)
		if (*p >= '0' && *p <= '9')
			digits[n++] = *p;
	*decpt = atoi(p + 1) + 1;
	while (n > 1 && digits[n - 1] == '0')
		n--;
	digits[n] = '\0';
	*ndig = n;
}

/* The p-digit decimal one unit in the last place above digits (p
 * digits) x 10^decpt, as "%.*e" text in out. */
static void next_up(const char *digits, int p, int decpt, char *out,
		    size_t size)
{
	char d[24];
	int i;

	memcpy(d, digits, (size_t)p);
	d[p] = '\0';
	for (i = p - 1; i >= 0; i--) {
		if (d[i] != '9') {
			d[i]++;
			break;
		}
		d[i] = '0';
	}
	if (i < 0) { /* all nines: 10...0 */
		d[0] = '1';
		decpt++;
	}
	snprintf(out, size, "%c.%se%d", d[0], p > 1 ? d + 1 : "0", decpt - 1);
}

/* The p digits of "%.*e" text, trailing zeros kept. */
static void all_digits(const char *e, char *out)
{
	int k = 0;

	for (; *e != 'e'; e++)
		if (*e >= '0' && *e <= '9')
			out[k++] = *e;
	out[k] = '\0';
}

/* The shortest digits that read back to d (> 0), the closest of them
 * to d when several have that length (as Python's repr). */
static void shortest(double d, char *digits, int *ndig, int *decpt)
{
	char e[40], up[40], full[24];
	int p, n, x;
	double back;

	for (p = 1; p < 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, d);
		back = strtod(e, NULL);
		if (back == d)
			break;
		/* The closest p-digit decimal is below d and out of
		 * reach: at a power of two the gap above d is twice the
		 * gap below, so the next one up may still read back. */
		if (back < d) {
			split_e(e, full, &n, &x);
			all_digits(e, full);
			next_up(full, p, x, up, sizeof up);
			if (strtod(up, NULL) == d) {
				split_e(up, digits, ndig, decpt);
				return;
			}
		}
	}
	if (p == 17)
		snprintf(e, sizeof e, "%.16e", d);
	split_e(e, digits, ndig, decpt);
}

int hwp_canon_real(struct hwp_buf *b, double d, struct hw_error *err)
{
	char digits[24], out[48];
	int ndig, decpt, n = 0, i;

	if (!isfinite(d))
		return hw_error_set(err, HW_EINVAL,
				    "a real that is not finite has no JSON "
				    "text");
	if (d == 0)
		return hwp_buf_adds(b, signbit(d) ? "-0.0" : "0.0", err);
	if (d < 0) {
		out[n++] = '-';
		d = -d;
	}
	shortest(d, digits, &ndig, &decpt);
	if (decpt <= -4 || decpt > 16) {
		/* D[.DDD]e+XX */
		out[n++] = digits[0];
		if (ndig > 1) {
			out[n++] = '.';
			memcpy(out + n, digits + 1, (size_t)ndig - 1);
			n += ndig - 1;
		}
		n += snprintf(out + n, sizeof out - (size_t)n, "e%c%02d",
			      decpt - 1 < 0 ? '-' : '+', abs(decpt - 1));
	} else if (decpt <= 0) {
		/* 0.000DDD */
		out[n++] = '0';
		out[n++] = '.';
		for (i = 0; i < -decpt; i++)
			out[n++] = '0';
		memcpy(out + n, digits, (size_t)ndig);
		n += ndig;
	} else if (decpt >= ndig) {
		/* DDD000.0 */
		memcpy(out + n, digits, (size_t)ndig);
		n += ndig;
		for (i = ndig; i < decpt; i++)
			out[n++] = '0';
		out[n++] = '.';
		out[n++] = '0';
	} else {
		/* DD.DDD */
		memcpy(out + n, digits, (size_t)decpt);
		n += decpt;
		out[n++] = '.';
		memcpy(out + n, digits + decpt, (size_t)(ndig - decpt));
		n += ndig - decpt;
	}
	return hwp_buf_add(b, out, (size_t)n, err);
}

/* ------------------------------------------------------------------ */
/* Values                                                              */

static int key_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int append(struct hwp_buf *b, const json_t *v, int depth,
		  struct hw_error *err);

static int append_object(struct hwp_buf *b, const json_t *v, int depth,
			 struct hw_error *err)
{
	const char *stack[16], **keys = stack;
	size_t n = json_object_size(v), i = 0;
	const char *key;
	json_t *val;
	int ret = -1;

	if (n > sizeof stack / sizeof stack[0] &&
	    (keys = malloc(n * sizeof *keys)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	json_object_foreach((json_t *)v, key, val) keys[i++] = key;
	qsort(keys, n, sizeof *keys, key_cmp);
	if (hwp_buf_add(b, "{", 1, err) < 0)
		goto out;
	for (i = 0; i < n; i++) {
		if ((i > 0 && hwp_buf_add(b, ",", 1, err) < 0) ||
		    hwp_canon_string(b, keys[i], strlen(keys[i]), err) < 0 ||
		    hwp_buf_add(b, ":", 1, err) < 0 ||
		    append(b, json_object_get(v, keys[i]), depth + 1, err) < 0)
			goto out;
	}
	ret = hwp_buf_add(b, "}", 1, err);
out:
	if (keys != stack)
		free(keys);
	return ret;
}

static int append(struct hwp_buf *b, const json_t *v, int depth,
		  struct hw_error *err)
{
	char num[32];
	size_t i;

	if (depth > MAX_DEPTH)
		return hw_error_set(err, HW_EINVAL,
				    "a JSON value nested over %d deep",
				    MAX_DEPTH);
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return append_object(b, v, depth, err);
	case JSON_ARRAY:
		if (hwp_buf_add(b, "[", 1, err) < 0)
			return -1;
		for (i = 0; i < json_array_size(v); i++)
			if ((i > 0 && hwp_buf_add(b, ",", 1, err) < 0) ||
			    append(b, json_array_get(v, i), depth + 1, err) < 0)
				return -1;
		return hwp_buf_add(b, "]", 1, err);
	case JSON_STRING:
		return hwp_canon_string(b, json_string_value(v),
					json_string_length(v), err);
	case JSON_INTEGER:
		snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
		return hwp_buf_adds(b, num, err);
	case JSON_REAL:
		return hwp_canon_real(b, json_real_value(v), err);
	case JSON_TRUE:
		return hwp_buf_add(b, "true", 4, err);
	case JSON_FALSE:
		return hwp_buf_add(b, "false", 5, err);
	case JSON_NULL:
	default:
		return hwp_buf_add(b, "null", 4, err);
	}
}

int hwp_canon_append(struct hwp_buf *b, const json_t *v, struct hw_error *err)
{
	if (v == NULL)
		return hwp_buf_add(b, "null", 4, err);
	return append(b, v, 0, err);
}

char *hwp_canon_dump(const json_t *v, size_t *len, struct hw_error *err)
{
	struct hwp_buf b = HWP_BUF_INIT;
	size_t n;

	if (hwp_canon_append(&b, v, err) < 0) {
		hwp_buf_release(&b);
		return NULL;
	}
	n = b.len;
	if (len != NULL)
		*len = n;
	return hwp_buf_take(&b, err);
}
