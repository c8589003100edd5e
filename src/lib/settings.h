/*
 * settings.h: the settings kept in the database (settings.c): their
 * names, defaults and meaning, their values in force, and a write of
 * several at once checked as a whole.  The CLI's config and the
 * service's /settings both go through here.  Included by highwater.h.
 */
#ifndef HW_SETTINGS_H
#define HW_SETTINGS_H

#include <stddef.h>

#include "error.h"
#include "level.h"

struct hw_store;

struct hw_setting {
	const char *name;     /* "route.full_cab" */
	const char *fallback; /* the value in force while unset */
	const char *about;    /* what it is for, one line */
	int level;	      /* the value is a level (low, moderate, high) */
};

/* Every setting, in the order they are shown; ends with a NULL name. */
extern const struct hw_setting hw_settings[];

/* The setting called name (borrowed), or NULL with HW_EINVAL naming the
 * known ones. */
const struct hw_setting *hw_setting_find(const char *name,
					 struct hw_error *err);

/* The value in force of s (a new string in *out): the stored one, else
 * the default. */
int hw_setting_value(struct hw_store *st, const struct hw_setting *s,
		     char **out, struct hw_error *err);

/* A level setting's value in force; HW_EINVAL when the stored value is
 * not a level ("setting NAME holds "x", not a level"). */
int hw_setting_level(struct hw_store *st, const char *name, enum hw_level *out,
		     struct hw_error *err);

/* Check value as a write of s would (allow or refuse, a level): 0, or
 * -1 with HW_EINVAL ("NAME: "x" (expected allow or refuse)").  What
 * hw_doctor_check reads the stored values with. */
int hw_setting_check(const struct hw_setting *s, const char *value,
		     struct hw_error *err);

/* Write n settings at once, in the caller's transaction, each audited:
 * names[i] takes values[i].  Checked before anything is written, as a
 * whole: HW_EINVAL for an unknown name (naming the known ones), a value
 * that is not one of the setting's (allow or refuse; a level, stored
 * lower-case) or thresholds that would put route.full_cab below
 * route.cab_review (the values given, else those in force).  On failure
 * *bad (if not NULL) is the index of the pair at fault. */
int hw_settings_write(struct hw_store *st, const char *const *names,
		      const char *const *values, size_t n, size_t *bad,
		      struct hw_error *err);

#endif /* HW_SETTINGS_H */
