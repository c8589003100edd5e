/*
 * settings.c: the settings kept in the database, with their defaults,
 * read as they are in force and written checked as a whole (the
 * thresholds of the change route must stay in order).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

const struct hw_setting hw_settings[] = {
    {"organisation", "", "the organisation's name, shown in reports", 0},
    {"route.full_cab", "high",
     "impact route: full-cab from this effective level up", 1},
    {"route.cab_review", "moderate",
     "impact route: cab-review from this effective level up", 1},
    {"change.self_approval", "refuse",
     "allow or refuse: may a change's requester approve it", 0},
    {NULL, NULL, NULL, 0},
};

#define FULL_CAB "route.full_cab"
#define CAB_REVIEW "route.cab_review"

/* The error for an unknown name, naming the known ones. */
static void unknown(const char *name, struct hw_error *err)
{
	char known[160] = "";
	const struct hw_setting *s;
	size_t len = 0;

	for (s = hw_settings; s->name != NULL && len < sizeof known; s++)
		len += (size_t)snprintf(known + len, sizeof known - len, "%s%s",
					s == hw_settings ? "" : ", ", s->name);
	hw_error_set(err, HW_EINVAL, "unknown setting \"%.64s\" (expected %s)",
		     name, known);
}

const struct hw_setting *hw_setting_find(const char *name, struct hw_error *err)
{
	const struct hw_setting *s;

	for (s = hw_settings; name != NULL && s->name != NULL; s++)
		if (strcmp(s->name, name) == 0)
			return s;
	unknown(name ? name : "", err);
	return NULL;
}

int hw_setting_value(struct hw_store *st, const struct hw_setting *s,
		     char **out, struct hw_error *err)
{
	struct hw_error e = {0};
	char *v = NULL;

	if (hw_store_setting_get(st, s->name, &v, &e) == 0) {
		*out = v;
		return 0;
	}
	if (e.code != HW_ENOTFOUND) {
		if (err != NULL && err->code == HW_OK)
			*err = e;
		return -1;
	}
	if ((v = hwp_strdup(s->fallback, err)) == NULL)
		return -1;
	*out = v;
	return 0;
}

int hw_setting_level(struct hw_store *st, const char *name, enum hw_level *out,
		     struct hw_error *err)
{
	const struct hw_setting *s = hw_setting_find(name, NULL);
	char *v = NULL;
	int rc = 0;

	if (s == NULL || !s->level)
		return hw_error_set(err, HW_EINVAL, "no level setting '%s'",
				    name);
	if (hw_setting_value(st, s, &v, err) < 0)
		return -1;
	if (hw_level_parse(v, 0, out, NULL) < 0)
		rc = hw_error_set(err, HW_EINVAL,
				  "setting %s holds \"%s\", not a level", name,
				  v);
	free(v);
	return rc;
}

/* Check one value for s: its level (the canonical name in *canon) or
 * its word. */
static int check_value(const struct hw_setting *s, const char *value,
		       const char **canon, struct hw_error *err)
{
	struct hw_error e = {0};
	enum hw_level l;

	*canon = value;
	if (strcmp(s->name, "change.self_approval") == 0 &&
	    strcmp(value, "allow") != 0 && strcmp(value, "refuse") != 0)
		return hw_error_set(err, HW_EINVAL,
				    "%s: \"%.64s\" (expected allow or refuse)",
				    s->name, value);
	if (s->level) {
		if (hw_level_parse(value, 0, &l, &e) < 0)
			return hw_error_set(err, HW_EINVAL, "%s: %s", s->name,
					    e.text);
		*canon = hw_level_name(l);
	}
	return 0;
}

int hw_setting_check(const struct hw_setting *s, const char *value,
		     struct hw_error *err)
{
	const char *canon;

	return check_value(s, value, &canon, err);
}

int hw_settings_write(struct hw_store *st, const char *const *names,
		      const char *const *values, size_t n, size_t *bad,
		      struct hw_error *err)
{
	const char **canon = NULL;
	enum hw_level full, review;
	size_t i, last = 0;
	int rc = -1, thresholds = 0;

	if (n == 0)
		return 0;
	if ((canon = calloc(n, sizeof *canon)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const struct hw_setting *s = hw_setting_find(names[i], err);

		if (s == NULL || check_value(s, values[i], &canon[i], err) < 0)
			goto fail;
		if (s->level) {
			thresholds = 1;
			last = i;
		}
	}
	/* full-cab must not be below cab-review, as they will stand */
	if (thresholds) {
		i = last;
		if (hw_setting_level(st, FULL_CAB, &full, err) < 0 ||
		    hw_setting_level(st, CAB_REVIEW, &review, err) < 0)
			goto fail;
		for (i = 0; i < n; i++)
			if (strcmp(names[i], FULL_CAB) == 0)
				hw_level_parse(canon[i], 0, &full, NULL);
			else if (strcmp(names[i], CAB_REVIEW) == 0)
				hw_level_parse(canon[i], 0, &review, NULL);
		i = last;
		if (full < review) {
			hw_error_set(err, HW_EINVAL,
				     "%s: \"%s\" would put the full-CAB "
				     "threshold below the CAB-review one",
				     names[i], canon[i]);
			goto fail;
		}
	}
	for (i = 0; i < n; i++)
		if (hw_store_setting_set(st, names[i], canon[i], err) < 0)
			goto fail;
	rc = 0;
	goto out;
fail:
	if (bad != NULL)
		*bad = i;
out:
	free(canon);
	return rc;
}
