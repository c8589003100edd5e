/*
 * error.h: the library's one error convention: a code, a position in a
 * source, and a sentence saying what went wrong and what was expected.
 */
#ifndef HW_ERROR_H
#define HW_ERROR_H

enum hw_errcode {
	HW_OK = 0,
	HW_EINVAL,    /* bad input: a value that does not parse or fit */
	HW_ENOTFOUND, /* a named object does not exist */
	HW_EEXIST,    /* an object with that id already exists */
	HW_EREFUSED,  /* operation refused (e.g. others depend on it) */
	HW_ENOMEM,    /* out of memory */
	HW_EIO,       /* file-system error */
	HW_EDB,       /* the database engine reported an error */
	HW_ENOTHW,    /* the file is not a highwater database */
	HW_ENEWER,    /* the database was written by a newer highwater */
	HW_EFORMAT,   /* malformed input file (JSON syntax, format, keys) */
	HW_EDAMAGED,  /* the database holds a value highwater never writes */
	HW_EBUSY,     /* another writer held the database past the wait */
	HW_ECODE_MAX
};

struct hw_error {
	enum hw_errcode code; /* HW_OK while no error is set */
	int line, column;     /* 1-based position in source, 0 if none */
	char source[128];     /* file name or JSON path, "" if none */
	char text[256];       /* what went wrong and what was expected */
};

/* Static text for an error code; never NULL. */
const char *hw_strerror(enum hw_errcode code);

/* Set *err (if not NULL and not already set).  Returns -1 so callers can
 * write "return hw_error_set(...)". */
int hw_error_set(struct hw_error *err, enum hw_errcode code, const char *fmt,
		 ...) __attribute__((format(printf, 3, 4)));

/* Like hw_error_set, with a source (file name or JSON path) and position. */
int hw_error_set_at(struct hw_error *err, enum hw_errcode code,
		    const char *source, int line, int column, const char *fmt,
		    ...) __attribute__((format(printf, 6, 7)));

/* Clear an error so it can be reused. */
void hw_error_clear(struct hw_error *err);

#endif
