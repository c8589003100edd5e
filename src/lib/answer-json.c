/*
 * answer-json.c: the JSON forms every answer shares, the CLI's --json
 * documents and the service's answers alike: levels, triples, overall
 * levels, an asset, a path, a node's categorization, and their streamed
 * forms.
 */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "highwater.h"
#include "answer.h"

json_t *hw_json_level(enum hw_level l)
{
	const char *s = hw_level_name(l);

	return s ? json_string(s) : json_null();
}

json_t *hw_json_sc(const struct hw_sc *sc)
{
	json_t *o = json_object();
	int x;

	for (x = 0; x < HW_NOBJ && o != NULL; x++)
		json_object_set_new(o, hw_objective_name(x),
				    hw_json_level(sc->v[x]));
	return o;
}

void hw_json_overall_put(json_t *o, const struct hw_sc *sc)
{
	enum hw_level overall = hw_sc_overall(sc);
	const char *b = hw_baseline_name(overall);
	int exact = hw_sc_overall_exact(sc);

	json_object_set_new(o, "overall", hw_json_level(overall));
	json_object_set_new(o, "overall_exact", json_boolean(exact));
	json_object_set_new(o, "baseline", b ? json_string(b) : json_null());
	json_object_set_new(o, "baseline_exact", json_boolean(exact));
}

json_t *hw_json_factors(const struct hw_factors *f)
{
	json_t *o = json_object();

	if (o != NULL && hw_factors_json_put(o, f) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

json_t *hw_json_asset(const struct hw_asset *a)
{
	json_t *o = json_object(), *types = json_array();
	struct hw_sc own;
	enum hw_level overall;
	size_t i;

	if (o == NULL || types == NULL) {
		json_decref(o);
		json_decref(types);
		return NULL;
	}
	hw_asset_own_sc(a, &own);
	overall = hw_sc_overall(&own);
	json_object_set_new(o, "id", json_string(a->id));
	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(o, "type", json_string(a->type));
	json_object_set_new(o, "owner",
			    a->owner ? json_string(a->owner) : json_null());
	json_object_set_new(o, "description",
			    a->description ? json_string(a->description)
					   : json_null());
	json_object_set_new(o, "internet_facing",
			    json_boolean(a->internet_facing));
	json_object_set_new(o, "factors", hw_json_factors(&a->factors));
	json_object_set_new(o, "direct", hw_json_sc(&a->direct));
	json_object_set_new(o, "own", hw_json_sc(&own));
	hw_json_overall_put(o, &own);
	json_object_set_new(o, "uncategorized",
			    json_boolean(overall == HW_LEVEL_NONE));
	for (i = 0; i < a->ntypes; i++) {
		const struct hw_assignment *g = &a->types[i];
		json_t *t = json_object();

		json_object_set_new(t, "id", json_string(g->type_id));
		json_object_set_new(t, "base", hw_json_sc(&g->base));
		json_object_set_new(t, "selected", hw_json_sc(&g->selected));
		json_object_set_new(t, "justification",
				    g->justification
					? json_string(g->justification)
					: json_null());
		json_array_append_new(types, t);
	}
	json_object_set_new(o, "information_types", types);
	return o;
}

char *hw_path_text(const struct hw_graph *g, const uint32_t *path,
		      size_t len, const char *sep)
{
	size_t i, size = 1, used = 0;
	char *buf;

	for (i = 0; i < len; i++)
		size += strlen(hw_graph_id(g, path[i])) + strlen(sep);
	buf = malloc(size);
	if (buf == NULL)
		return NULL;
	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		if (i > 0) {
			strcpy(buf + used, sep);
			used += strlen(sep);
		}
		strcpy(buf + used, hw_graph_id(g, path[i]));
		used += strlen(hw_graph_id(g, path[i]));
	}
	return buf;
}

/* The path by which objective o of node v was raised, a new array of
 * *len nodes, and the node that raised it in *by; NULL when o was not
 * raised (or out of memory). */
uint32_t *hw_graph_raised_path_new(const struct hw_graph *g, uint32_t v,
			     enum hw_objective o,
			     long *by, size_t *len)
{
	uint32_t *path;

	*by = hw_graph_raised_by(g, v, o);
	if (*by < 0)
		return NULL;
	*len = hw_graph_raised_path(g, v, o, NULL, 0);
	path = malloc(*len * sizeof *path);
	if (path != NULL)
		hw_graph_raised_path(g, v, o, path, *len);
	return path;
}

json_t *hw_json_path(const struct hw_graph *g, const uint32_t *path,
		      size_t len)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < len && a != NULL; i++)
		json_array_append_new(a, json_string(hw_graph_id(g, path[i])));
	return a;
}

json_t *hw_json_categorization(const struct hw_graph *g, uint32_t v)
{
	const struct hw_sc *own = hw_graph_own(g, v);
	const struct hw_sc *eff = hw_graph_effective(g, v);
	json_t *o = json_object(), *raised = json_object();
	uint32_t *path;
	int x;

	json_object_set_new(o, "id", json_string(hw_graph_id(g, v)));
	json_object_set_new(o, "own", hw_json_sc(own));
	json_object_set_new(o, "own_overall",
			    hw_json_level(hw_sc_overall(own)));
	json_object_set_new(o, "own_overall_exact",
			    json_boolean(hw_sc_overall_exact(own)));
	json_object_set_new(o, "effective", hw_json_sc(eff));
	hw_json_overall_put(o, eff);
	json_object_set_new(o, "uncategorized",
			    json_boolean(hw_sc_overall(own) == HW_LEVEL_NONE));
	json_object_set_new(o, "on_cycle",
			    json_boolean(hw_graph_on_cycle(g, v)));
	for (x = 0; x < HW_NOBJ; x++) {
		long r;
		size_t len;

		path = hw_graph_raised_path_new(g, v, x, &r, &len);
		if (path == NULL)
			continue;
		json_object_set_new(
		    raised, hw_objective_name(x),
		    json_pack("{s:s, s:o}", "asset",
			      hw_graph_id(g, (uint32_t)r), "path",
			      hw_json_path(g, path, len)));
		free(path);
	}
	json_object_set_new(o, "raised_by", raised);
	return o;
}

void hw_sort_keys(int *order, const char *const *names, int n)
{
	int i, j;

	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && strcmp(names[order[j - 1]], names[i]) > 0;
		     j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
}

void hw_jstream_sc(struct hw_jstream *js, const char *key,
		   const struct hw_sc *sc)
{
	const char *names[HW_NOBJ];
	int order[HW_NOBJ], i;

	for (i = 0; i < HW_NOBJ; i++)
		names[i] = hw_objective_name((enum hw_objective)i);
	hw_sort_keys(order, names, HW_NOBJ);
	hw_jstream_object(js, key);
	for (i = 0; i < HW_NOBJ; i++)
		hw_jstream_str(js, hw_objective_name(order[i]),
			       hw_level_name(sc->v[order[i]]));
	hw_jstream_close(js);
}

void hw_jstream_baseline(struct hw_jstream *js, const struct hw_sc *sc)
{
	hw_jstream_str(js, "baseline", hw_baseline_name(hw_sc_overall(sc)));
	hw_jstream_bool(js, "baseline_exact", hw_sc_overall_exact(sc));
}

void hw_jstream_overall(struct hw_jstream *js, const struct hw_sc *sc)
{
	hw_jstream_str(js, "overall", hw_level_name(hw_sc_overall(sc)));
	hw_jstream_bool(js, "overall_exact", hw_sc_overall_exact(sc));
}
