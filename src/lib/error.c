/*
 * error.c: error reporting for the library.  The first error set on a
 * struct hw_error is kept, so the root cause survives the unwinding.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hw-private.h"

static const char *const errtext[HW_ECODE_MAX] = {
	[HW_OK] = "no error",
	[HW_EINVAL] = "invalid input",
	[HW_ENOTFOUND] = "not found",
	[HW_EEXIST] = "already exists",
	[HW_EREFUSED] = "refused",
	[HW_ENOMEM] = "out of memory",
	[HW_EIO] = "input/output error",
	[HW_EDB] = "database error",
	[HW_ENOTHW] = "not a highwater database",
	[HW_ENEWER] = "database written by a newer highwater",
	[HW_EFORMAT] = "malformed input",
	[HW_EDAMAGED] = "damaged database",
	[HW_EBUSY] = "database busy",
};

const char *hw_strerror(enum hw_errcode code)
{
	if ((int)code < 0 || code >= HW_ECODE_MAX)
		return "unknown error";
	return errtext[code];
}

/* Control characters in s (size bytes) shown as \n, \r, \t or \xHH
 * (cut at size): a message is one line whatever text it quotes (a CSV
 * cell may hold a newline). */
static void one_line(char *s, size_t size)
{
	char out[256];
	size_t i, o = 0;

	if (size > sizeof out)
		size = sizeof out;
	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];
		char esc[5];
		size_t n;

		if (c >= 0x20 && c != 0x7f) {
			esc[0] = (char)c;
			n = 1;
		} else if (c == '\n' || c == '\r' || c == '\t') {
			esc[0] = '\\';
			esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
			n = 2;
		} else {
			snprintf(esc, sizeof esc, "\\x%02x", c);
			n = 4;
		}
		if (o + n >= size)
			break;
		memcpy(out + o, esc, n);
		o += n;
	}
	if (o == i && s[i] == '\0')
		return; /* nothing to show otherwise */
	out[o] = '\0';
	memcpy(s, out, o + 1);
}

static void error_vset(struct hw_error *err, enum hw_errcode code,
		       const char *source, int line, int column,
		       const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));

static void error_vset(struct hw_error *err, enum hw_errcode code,
		       const char *source, int line, int column,
		       const char *fmt, va_list ap)
{
	if (err == NULL || err->code != HW_OK)
		return;
	err->code = code;
	err->line = line;
	err->column = column;
	snprintf(err->source, sizeof err->source, "%s", source ? source : "");
	vsnprintf(err->text, sizeof err->text, fmt, ap);
	one_line(err->source, sizeof err->source);
	one_line(err->text, sizeof err->text);
}

int hw_error_set(struct hw_error *err, enum hw_errcode code, const char *fmt,
		 ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, NULL, 0, 0, fmt, ap);
	va_end(ap);
	return -1;
}

int hw_error_set_at(struct hw_error *err, enum hw_errcode code,
		    const char *source, int line, int column, const char *fmt,
		    ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, code, source, line, column, fmt, ap);
	va_end(ap);
	return -1;
}

void hw_error_clear(struct hw_error *err)
{
	if (err != NULL)
		memset(err, 0, sizeof *err);
}

/* Give an error a source (a JSON path, say) if it has none yet. */
void hwp_error_locate(struct hw_error *err, const char *source)
{
	if (err != NULL && err->code != HW_OK && err->source[0] == '\0')
		snprintf(err->source, sizeof err->source, "%s", source);
}
