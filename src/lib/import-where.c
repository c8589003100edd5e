/*
 * import-where.c: where an import's errors point (the file, the line or
 * the JSON path) and the hash its ids are keyed by: what the readers
 * and the engine's parts share.
 */
#include <stdarg.h>
#include <stdio.h>

#include "import.h"

static int where_vfail(struct hwp_where *w, int column, const char *path,
		       enum hw_errcode code, const char *fmt, va_list ap)
    __attribute__((format(printf, 5, 0)));

static int where_vfail(struct hwp_where *w, int column, const char *path,
		       enum hw_errcode code, const char *fmt, va_list ap)
{
	char msg[256];

	vsnprintf(msg, sizeof msg, fmt, ap);
	return hw_error_set_at(w->err, code, w->file,
			       w->lines ? (int)w->line : 0,
			       w->lines ? column : 0, "%s: %s", path, msg);
}

int hwp_where_fail(struct hwp_where *w, const char *path, enum hw_errcode code,
		   const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = where_vfail(w, 0, path, code, fmt, ap);
	va_end(ap);
	return rc;
}

int hwp_where_fail_at(struct hwp_where *w, int column, const char *path,
		      enum hw_errcode code, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = where_vfail(w, column, path, code, fmt, ap);
	va_end(ap);
	return rc;
}

int hwp_where_rewrap(struct hwp_where *w, const char *path,
		     const struct hw_error *e)
{
	return hwp_where_fail(w, path, e->code == HW_OK ? HW_EINVAL : e->code,
			      "%s", e->text);
}

int hwp_where_nomem(struct hwp_where *w)
{
	return hw_error_set(w->err, HW_ENOMEM, "out of memory");
}

uint64_t hwp_import_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
