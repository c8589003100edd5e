/*
 * json-stream.c: a JSON document written element by element, laid out
 * exactly as jansson lays out the whole document, so that outputs that
 * grow with the inventory stream in bounded memory.
 */
#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "hw-private.h"

/* jansson keeps the indent width in the low five bits of its flags. */
#define INDENT_OF(flags) ((int)((flags) & 0x1F))

static int failed(const struct hw_jstream *js)
{
	return js->err.code != HW_OK;
}

static int write_failed(struct hw_jstream *js)
{
	return hw_error_set(&js->err, HW_EIO, "cannot write the output: %s",
			    strerror(errno ? errno : EIO));
}

/* Write out what waits in the buffer. */
static int flush_buf(struct hw_jstream *js)
{
	size_t len = js->len;

	js->len = 0;
	if (len > 0 && fwrite(js->buf, 1, len, js->fp) != len)
		return write_failed(js);
	return 0;
}

/* Room for n more bytes in the buffer (n at most its size), written
 * out first if need be: where they go, or NULL after a failure. */
static char *reserve(struct hw_jstream *js, size_t n)
{
	if (failed(js))
		return NULL;
	if (n > sizeof js->buf - js->len && flush_buf(js) < 0)
		return NULL;
	return js->buf + js->len;
}

static int put_bytes(struct hw_jstream *js, const char *s, size_t len)
{
	char *p;

	if (len >= sizeof js->buf) {
		if (failed(js) || flush_buf(js) < 0)
			return -1;
		if (fwrite(s, 1, len, js->fp) != len)
			return write_failed(js);
		return 0;
	}
	if ((p = reserve(js, len)) == NULL)
		return -1;
	memcpy(p, s, len);
	js->len += len;
	return 0;
}

/* A line break and the indentation of depth (at most HW_JSTREAM_DEPTH
 * times 31 blanks: it always fits the buffer), or the space jansson
 * puts between elements without indentation (space set). */
static int put_indent(struct hw_jstream *js, int depth, int space)
{
	size_t n = (size_t)depth * (size_t)INDENT_OF(js->flags);
	char *p;

	if (INDENT_OF(js->flags) == 0)
		return space && !(js->flags & JSON_COMPACT) ? put_bytes(js, " ", 1)
							    : 0;
	if ((p = reserve(js, n + 1)) == NULL)
		return -1;
	p[0] = '\n';
	memset(p + 1, ' ', n);
	js->len += n + 1;
	return 0;
}

/* jansson's dump of a value written at depth: each of its line breaks
 * takes the indentation of the depth it sits at.  Raw line breaks in
 * jansson's output are only layout (strings escape theirs). */
static int dump_chunk(const char *buf, size_t size, void *data)
{
	struct hw_jstream *js = data;
	const char *nl;

	while (size > 0 && (nl = memchr(buf, '\n', size)) != NULL) {
		size_t k = (size_t)(nl - buf);

		if (put_bytes(js, buf, k) < 0 ||
		    put_indent(js, js->depth, 0) < 0)
			return -1;
		buf += k + 1;
		size -= k + 1;
	}
	return put_bytes(js, buf, size);
}

static int dump_value(struct hw_jstream *js, json_t *v)
{
	if (json_dump_callback(v, dump_chunk, js,
			       js->flags | JSON_ENCODE_ANY) != 0) {
		if (!failed(js))
			hw_error_set(&js->err, HW_ENOMEM, "out of memory");
		return -1;
	}
	return 0;
}

/* s through a jansson string: refused if it is not UTF-8. */
static int put_string_jansson(struct hw_jstream *js, const char *s)
{
	json_t *v = json_string(s);
	int rc;

	if (v == NULL) {
		v = json_stringn_nocheck(s, strlen(s));
		if (v == NULL)
			return hw_error_set(&js->err, HW_ENOMEM, "out of memory");
		json_decref(v);
		return hw_error_set(&js->err, HW_EINVAL,
				    "JSON stream: a string not UTF-8");
	}
	rc = dump_value(js, v);
	json_decref(v);
	return rc;
}

/* s quoted and escaped as jansson's dump_string escapes it: \" \\ and
 * \b \f \n \r \t by name, other bytes below 0x20 as \u00XX (upper
 * case hex), straight into the buffer.  Strings with bytes from 0x80
 * up, slashes to escape, or too long to escape in the buffer go
 * through jansson. */
static int put_string(struct hw_jstream *js, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t len = strlen(s);
	int slash = (js->flags & JSON_ESCAPE_SLASH) != 0;
	const unsigned char *p;
	char *start, *o;

	if (len > (sizeof js->buf - 2) / 6)
		return put_string_jansson(js, s);
	if ((start = reserve(js, 6 * len + 2)) == NULL)
		return -1;
	o = start;
	*o++ = '"';
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		unsigned char c = *p;

		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			if (c == '/' && slash)
				break;
			*o++ = (char)c;
			continue;
		}
		if (c >= 0x80)
			break;
		*o++ = '\\';
		switch (c) {
		case '"':
		case '\\':
			*o++ = (char)c;
			break;
		case '\b':
			*o++ = 'b';
			break;
		case '\f':
			*o++ = 'f';
			break;
		case '\n':
			*o++ = 'n';
			break;
		case '\r':
			*o++ = 'r';
			break;
		case '\t':
			*o++ = 't';
			break;
		default:
			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 0xF];
			o += 5;
			break;
		}
	}
	/* Stopped early: nothing of s is counted in the buffer yet. */
	if (*p != '\0')
		return put_string_jansson(js, s);
	*o++ = '"';
	js->len += (size_t)(o - start);
	return 0;
}

/* Before a value: check it belongs here, then write the separator, the
 * indentation and the key. */
static int begin_item(struct hw_jstream *js, const char *key)
{
	int top = js->depth - 1;

	if (failed(js))
		return -1;
	if (js->depth == 0) {
		if (js->done || key != NULL)
			return hw_error_set(&js->err, HW_EINVAL,
					    "JSON stream: a second document, or "
					    "a key outside an object");
		return 0;
	}
	if ((js->closer[top] == '}') != (key != NULL))
		return hw_error_set(&js->err, HW_EINVAL,
				    "JSON stream: %s", key ? "a key in an array"
							   : "a member without a key");
	if (js->any[top] && put_bytes(js, ",", 1) < 0)
		return -1;
	if (put_indent(js, js->depth, js->any[top]) < 0)
		return -1;
	js->any[top] = 1;
	if (key == NULL)
		return 0;
	if (put_string(js, key) < 0)
		return -1;
	return js->flags & JSON_COMPACT ? put_bytes(js, ":", 1)
					: put_bytes(js, ": ", 2);
}

/* After a value: at depth 0, the document is complete. */
static void end_item(struct hw_jstream *js)
{
	if (js->depth == 0)
		js->done = 1;
}

void hw_jstream_init(struct hw_jstream *js, FILE *fp, size_t flags)
{
	memset(js, 0, sizeof *js);
	js->fp = fp;
	js->flags = flags;
}

static int open_container(struct hw_jstream *js, const char *key,
			  char opener, char closer)
{
	if (begin_item(js, key) < 0)
		return -1;
	if (js->depth == HW_JSTREAM_DEPTH)
		return hw_error_set(&js->err, HW_EINVAL,
				    "JSON stream: more than %d levels",
				    HW_JSTREAM_DEPTH);
	if (put_bytes(js, &opener, 1) < 0)
		return -1;
	js->closer[js->depth] = closer;
	js->any[js->depth] = 0;
	js->depth++;
	return 0;
}

int hw_jstream_object(struct hw_jstream *js, const char *key)
{
	return open_container(js, key, '{', '}');
}

int hw_jstream_array(struct hw_jstream *js, const char *key)
{
	return open_container(js, key, '[', ']');
}

int hw_jstream_put(struct hw_jstream *js, const char *key, json_t *v)
{
	int rc = -1;

	if (v == NULL) {
		if (!failed(js))
			hw_error_set(&js->err, HW_ENOMEM, "out of memory");
		return -1;
	}
	if (begin_item(js, key) == 0 && dump_value(js, v) == 0) {
		end_item(js);
		rc = 0;
	}
	json_decref(v);
	return rc;
}

/* A scalar of len bytes written as is. */
static int put_scalar(struct hw_jstream *js, const char *key, const char *s,
		      size_t len)
{
	if (begin_item(js, key) < 0 || put_bytes(js, s, len) < 0)
		return -1;
	end_item(js);
	return 0;
}

int hw_jstream_str(struct hw_jstream *js, const char *key, const char *s)
{
	if (s == NULL)
		return hw_jstream_null(js, key);
	if (begin_item(js, key) < 0 || put_string(js, s) < 0)
		return -1;
	end_item(js);
	return 0;
}

int hw_jstream_int(struct hw_jstream *js, const char *key, long long n)
{
	char digits[24], *p = digits + sizeof digits;
	unsigned long long u = n < 0 ? 0 - (unsigned long long)n
				     : (unsigned long long)n;

	do
		*--p = (char)('0' + u % 10);
	while ((u /= 10) != 0);
	if (n < 0)
		*--p = '-';
	return put_scalar(js, key, p, (size_t)(digits + sizeof digits - p));
}

int hw_jstream_bool(struct hw_jstream *js, const char *key, int b)
{
	return b ? put_scalar(js, key, "true", 4)
		 : put_scalar(js, key, "false", 5);
}

int hw_jstream_null(struct hw_jstream *js, const char *key)
{
	return put_scalar(js, key, "null", 4);
}

int hw_jstream_real(struct hw_jstream *js, const char *key, double d)
{
	if (failed(js))
		return -1;
	if (!isfinite(d))
		return hw_error_set(&js->err, HW_EINVAL,
				    "JSON stream: a real that is not finite");
	return hw_jstream_put(js, key, json_real(d));
}

int hw_jstream_close(struct hw_jstream *js)
{
	int top = js->depth - 1;

	if (failed(js))
		return -1;
	if (js->depth == 0)
		return hw_error_set(&js->err, HW_EINVAL,
				    "JSON stream: nothing open to close");
	/* jansson writes an empty container as "[]" or "{}". */
	if (js->any[top] && put_indent(js, top, 0) < 0)
		return -1;
	if (put_bytes(js, &js->closer[top], 1) < 0)
		return -1;
	js->depth--;
	end_item(js);
	return 0;
}

int hw_jstream_end(struct hw_jstream *js, int newline, struct hw_error *err)
{
	if (!failed(js) && (js->depth > 0 || !js->done))
		hw_error_set(&js->err, HW_EINVAL,
			     "JSON stream: the document is not complete");
	if (!failed(js) && newline)
		put_bytes(js, "\n", 1);
	if (!failed(js))
		flush_buf(js);
	if (!failed(js) && (fflush(js->fp) != 0 || ferror(js->fp)))
		write_failed(js);
	if (!failed(js))
		return 0;
	if (err != NULL && err->code == HW_OK)
		*err = js->err;
	return -1;
}
