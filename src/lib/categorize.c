/*
 * categorize.c: inventory records and the own categorization of an
 * asset (FIPS 199 high-water mark of its direct levels and of the
 * selected levels of the information types it holds).
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

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
	for (i = 0; i < a->ntypes; i++)
		hw_assignment_release(&a->types[i]);
	free(a->types);
	a->id = a->name = a->type = a->owner = a->description = NULL;
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
	if (t->category != NULL && (shipped->category == NULL ||
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
			    sc.v[o], hw_level_system(a->types[i].selected.v[o]));
	*out = sc;
}
