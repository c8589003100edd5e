/*
 * record.c: inventory records: releasing them, checking them before they
 * are stored, and the own categorization of an asset (FIPS 199
 * high-water mark of its direct levels and of the selected levels of the
 * information types it holds).
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hw-private.h"
#include "posture.h"

void hw_infotype_release(struct hw_infotype *t)
{
	if (t == NULL)
		return;
	free(t->id);
	free(t->name);
	free(t->category);
	t->id = t->name = t->category = NULL;
}

void hw_assignment_release(struct hw_assignment *a)
{
	if (a == NULL)
		return;
	free(a->type_id);
	free(a->justification);
	a->type_id = a->justification = NULL;
}

void hw_asset_release(struct hw_asset *a)
{
	size_t i;

	if (a == NULL)
		return;
	free(a->id);
	free(a->name);
	free(a->type);
	free(a->owner);
	free(a->description);
	free(a->authorized_by);
	for (i = 0; i < a->ntypes; i++)
		hw_assignment_release(&a->types[i]);
	free(a->types);
	a->id = a->name = a->type = a->owner = a->description = NULL;
	a->authorized_by = NULL;
	a->types = NULL;
	a->ntypes = 0;
}

void hw_dep_release(struct hw_dep *d)
{
	if (d == NULL)
		return;
	free(d->from);
	free(d->to);
	free(d->type);
	d->from = d->to = d->type = NULL;
}

const char *hw_infotype_shipped_diff(const struct hw_infotype *shipped,
				     const struct hw_infotype *t)
{
	int o;

	if (t->name == NULL || strcmp(shipped->name, t->name) != 0)
		return "name";
	if (t->category != NULL &&
	    (shipped->category == NULL ||
	     strcmp(shipped->category, t->category) != 0))
		return "category";
	for (o = 0; o < HW_NOBJ; o++)
		if (shipped->prov.v[o] != t->prov.v[o])
			return hw_objective_name(o);
	return NULL;
}

int hw_assignment_adjusted(const struct hw_assignment *a)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if (a->base.v[o] != HW_LEVEL_NONE &&
		    a->selected.v[o] != a->base.v[o])
			return 1;
	return 0;
}

void hw_asset_own_sc(const struct hw_asset *a, struct hw_sc *out)
{
	struct hw_sc sc = a->direct;
	size_t i;
	int o;

	for (i = 0; i < a->ntypes; i++)
		for (o = 0; o < HW_NOBJ; o++)
			sc.v[o] = hw_level_max(
			    sc.v[o],
			    hw_level_system(a->types[i].selected.v[o]));
	*out = sc;
}

/* ------------------------------------------------------------------ */
/* Checks before storing                                               */

int hwp_infotype_check(const struct hw_infotype *t, struct hw_error *err)
{
	int o, set = 0;

	if (hw_id_check(t->id, "information type id", err) < 0)
		return -1;
	if (t->name == NULL || t->name[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "information type '%s' has no name", t->id);
	if (hwp_text_check_max(t->name, "name", HWP_NAME_MAX, err) < 0 ||
	    hwp_text_check_max(t->category, "category", HWP_CATEGORY_MAX, err) <
		0)
		return -1;
	for (o = 0; o < HW_NOBJ; o++) {
		if (t->prov.v[o] == HW_LEVEL_NA && o != HW_C)
			return hw_error_set(
			    err, HW_EINVAL,
			    "%s cannot be na (na applies only to "
			    "confidentiality)",
			    hw_objective_name(o));
		set += t->prov.v[o] != HW_LEVEL_NONE;
	}
	if (set != 0 && set != HW_NOBJ)
		return hw_error_set(err, HW_EINVAL,
				    "information type '%s' needs all three "
				    "levels or none",
				    t->id);
	return 0;
}

int hwp_assignment_fill(struct hw_assignment *g, const struct hw_infotype *t,
			struct hw_error *err)
{
	int o, adjusted = 0;

	g->base = t->prov;
	for (o = 0; o < HW_NOBJ; o++) {
		if (g->selected.v[o] == HW_LEVEL_NA && o != HW_C)
			return hw_error_set(err, HW_EINVAL,
					    "%s cannot be na (na applies only "
					    "to confidentiality)",
					    hw_objective_name(o));
		if (g->selected.v[o] == HW_LEVEL_NONE) {
			if (t->prov.v[o] == HW_LEVEL_NONE)
				return hw_error_set(
				    err, HW_EINVAL,
				    "information type '%s' has no "
				    "provisional levels: give "
				    "confidentiality, integrity and "
				    "availability",
				    t->id);
			g->selected.v[o] = t->prov.v[o];
		}
		if (t->prov.v[o] != HW_LEVEL_NONE &&
		    g->selected.v[o] != t->prov.v[o])
			adjusted = 1;
	}
	if (hwp_text_check_max(g->justification, "justification",
			       HWP_DESCRIPTION_MAX, err) < 0)
		return -1;
	if (adjusted &&
	    (g->justification == NULL ||
	     strspn(g->justification, " \t\r\n") == strlen(g->justification)))
		return hw_error_set(err, HW_EINVAL,
				    "adjusting the provisional levels of '%s' "
				    "needs a justification",
				    g->type_id);
	return 0;
}

int hwp_asset_check(const struct hw_asset *a, struct hw_error *err)
{
	int o;

	if (hw_id_check(a->id, "asset id", err) < 0)
		return -1;
	if (a->name == NULL || a->name[0] == '\0')
		return hw_error_set(err, HW_EINVAL, "asset '%s' has no name",
				    a->id);
	if (hwp_text_check_max(a->name, "name", HWP_NAME_MAX, err) < 0 ||
	    hwp_text_check_max(a->owner, "owner", HWP_OWNER_MAX, err) < 0 ||
	    hwp_text_check_max(a->description, "description",
			       HWP_DESCRIPTION_MAX, err) < 0)
		return -1;
	if (!hw_vocab_has(hw_asset_types, a->type))
		return hw_error_set(err, HW_EINVAL,
				    "unknown asset type \"%.40s\" (expected "
				    "%s)",
				    a->type ? a->type : "",
				    hw_vocab_text(hw_asset_types));
	if (a->owner != NULL && a->owner[0] == '\0')
		return hw_error_set(err, HW_EINVAL,
				    "empty owner (leave it out for none)");
	for (o = 0; o < HW_NOBJ; o++)
		if (a->direct.v[o] == HW_LEVEL_NA)
			return hw_error_set(err, HW_EINVAL,
					    "%s of an asset cannot be na (na "
					    "applies only to information "
					    "types; expected low, moderate, "
					    "high)",
					    hw_objective_name(o));
	return 0;
}

int hwp_dep_check(const struct hw_dep *d, struct hw_error *err)
{
	if (d->from != NULL && d->to != NULL && strcmp(d->from, d->to) == 0)
		return hw_error_set(err, HW_EINVAL,
				    "asset '%.64s' cannot depend on itself",
				    d->from);
	if (!hw_vocab_has(hw_dep_types, d->type))
		return hw_error_set(err, HW_EINVAL,
				    "unknown dependency type \"%.40s\" "
				    "(expected %s)",
				    d->type ? d->type : "",
				    hw_vocab_text(hw_dep_types));
	if (d->carries == 0 || d->carries > HW_CARRY_ALL)
		return hw_error_set(err, HW_EINVAL,
				    "a dependency must carry at least one of "
				    "c, i, a");
	return 0;
}

/* ------------------------------------------------------------------ */
/* One field of an asset from text (asset set, a change's set edit)    */

static const char set_fields[] =
    "name, type, owner, description, confidentiality (c), integrity (i), "
    "availability (a), internet_facing, vulnerabilities, worst_cvss, "
    "last_patched, end_of_life, authorized, implemented_baseline, "
    "downtime_cost";

/* Replace a string field; "" clears it when it may be empty. */
static int set_string(char **field, const char *value, int clearable,
		      const char *what, struct hw_error *err)
{
	char *copy = NULL;

	if (*value == '\0' && !clearable)
		return hw_error_set(err, HW_EINVAL, "%s cannot be empty",
				    what);
	if (*value != '\0' && (copy = strdup(value)) == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	free(*field);
	*field = copy;
	return 0;
}

int hw_asset_set_field(struct hw_asset *a, const char *field,
		       const char *value, struct hw_error *err)
{
	static const char *const lv[HW_NOBJ][2] = {
	    {"confidentiality", "c"},
	    {"integrity", "i"},
	    {"availability", "a"},
	};
	struct hw_error e = {0};
	int o, rc;

	rc = hw_factor_set(&a->factors, field, value, err);
	if (rc <= 0)
		return rc;
	if (strcmp(field, "name") == 0)
		return set_string(&a->name, value, 0, "name", err);
	if (strcmp(field, "type") == 0) {
		if (!hw_vocab_has(hw_asset_types, value))
			return hw_error_set(err, HW_EINVAL,
					    "unknown asset type \"%s\" "
					    "(expected %s)",
					    value,
					    hw_vocab_text(hw_asset_types));
		return set_string(&a->type, value, 0, "type", err);
	}
	if (strcmp(field, "owner") == 0)
		return set_string(&a->owner, value, 1, "owner", err);
	if (strcmp(field, "description") == 0)
		return set_string(&a->description, value, 1, "description",
				  err);
	for (o = 0; o < HW_NOBJ; o++) {
		if (strcmp(field, lv[o][0]) != 0 && strcmp(field, lv[o][1]))
			continue;
		if (*value == '\0' || strcasecmp(value, "none") == 0) {
			a->direct.v[o] = HW_LEVEL_NONE;
			return 0;
		}
		if (hw_level_parse(value, 0, &a->direct.v[o], &e) < 0)
			return hw_error_set(err, e.code, "%s: %s", lv[o][0],
					    e.text);
		return 0;
	}
	if (strcmp(field, "internet_facing") == 0) {
		if (!strcasecmp(value, "yes") || !strcasecmp(value, "true") ||
		    !strcmp(value, "1"))
			a->internet_facing = 1;
		else if (!strcasecmp(value, "no") ||
			 !strcasecmp(value, "false") || !strcmp(value, "0"))
			a->internet_facing = 0;
		else
			return hw_error_set(err, HW_EINVAL,
					    "internet_facing: \"%s\" is not "
					    "yes or no (expected yes, no, "
					    "true, false)",
					    value);
		return 0;
	}
	return hw_error_set(err, HW_EINVAL, "unknown field \"%s\" (expected %s)",
			    field, set_fields);
}

long hw_asset_assign(struct hw_asset *a, struct hw_assignment *g)
{
	struct hw_assignment *grown;
	size_t i;

	for (i = 0; i < a->ntypes; i++)
		if (strcmp(a->types[i].type_id, g->type_id) == 0)
			break;
	if (i == a->ntypes) {
		grown = realloc(a->types, (a->ntypes + 1) * sizeof *grown);
		if (grown == NULL)
			return -1;
		a->types = grown;
		a->ntypes++;
	} else {
		hw_assignment_release(&a->types[i]);
	}
	a->types[i] = *g;
	memset(g, 0, sizeof *g);
	return (long)i;
}
