/*
 * incident.c: first response to an incident: the changes implemented
 * in the days before it on the asset and on everything it depends on
 * (its downward closure), newest first, with who made them: "who
 * changed this last, and when?".
 */
#include <stdlib.h>
#include <string.h>

#include "hw-private.h"

/* The scan's rows, copied. */
struct rows {
	struct row {
		long long change;
		char *title, *by, *target;
		hw_time at;
	} *v;
	size_t n, cap;
};

static int on_row(void *ctx, const void *p)
{
	const struct hwp_implemented_row *r = p;
	struct rows *rs = ctx;
	struct row *x;

	if (rs->n == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 32;
		struct row *v = realloc(rs->v, cap * sizeof *v);

		if (v == NULL)
			return -1;
		rs->v = v;
		rs->cap = cap;
	}
	x = &rs->v[rs->n];
	x->change = r->change;
	x->at = r->implemented_at;
	x->title = strdup(r->title);
	x->by = r->implemented_by ? strdup(r->implemented_by) : NULL;
	x->target = strdup(r->target);
	rs->n++;
	if (x->title == NULL || x->target == NULL ||
	    (r->implemented_by && x->by == NULL))
		return -1;
	return 0;
}

static void rows_release(struct rows *rs)
{
	size_t i;

	for (i = 0; i < rs->n; i++) {
		free(rs->v[i].title);
		free(rs->v[i].by);
		free(rs->v[i].target);
	}
	free(rs->v);
}

/* Hops from node from down to every node (-1: not reached), breadth
 * first over what each depends on.  A new array, or NULL. */
static int *down_from(const struct hw_graph *g, uint32_t from)
{
	size_t n = hw_graph_size(g), head = 0, tail = 0, i;
	uint32_t *queue = malloc((n + 1) * sizeof *queue);
	int *dist = malloc((n + 1) * sizeof *dist);

	if (queue == NULL || dist == NULL) {
		free(queue);
		free(dist);
		return NULL;
	}
	for (i = 0; i < n; i++)
		dist[i] = -1;
	dist[from] = 0;
	queue[tail++] = from;
	while (head < tail) {
		uint32_t v = queue[head++];
		const uint32_t *adj;
		const uint8_t *attr;
		size_t k, m = hw_graph_out(g, v, &adj, &attr);

		for (k = 0; k < m; k++)
			if (dist[adj[k]] < 0) {
				dist[adj[k]] = dist[v] + 1;
				queue[tail++] = adj[k];
			}
	}
	free(queue);
	return dist;
}

void hw_recent_changes_free(struct hw_recent_change *v, size_t n)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].title);
		free(v[i].implemented_by);
		free(v[i].targets);
	}
	free(v);
}

/* Append target to *list (", " between); -1 when out of memory. */
static int append(char **list, const char *target)
{
	size_t len = *list ? strlen(*list) : 0;
	char *t = realloc(*list, len + strlen(target) + 3);

	if (t == NULL)
		return -1;
	if (len)
		memcpy(t + len, ", ", 2), len += 2;
	strcpy(t + len, target);
	*list = t;
	return 0;
}

int hw_incident_recent_changes(struct hw_store *st, const char *asset,
			       hw_time until, int days,
			       struct hw_recent_change **out, size_t *n,
			       struct hw_error *err)
{
	struct rows rs = {0};
	struct hw_graph *g = NULL;
	struct hw_recent_change *v = NULL;
	int *dist = NULL, rc = -1;
	size_t i, nv = 0, others = 0;
	hw_key key;

	if (hwp_asset_n(st, asset, &key, err) < 0)
		return -1;
	if (hwp_scan_changes_implemented(st, until - (hw_time)days * 86400,
					 until, on_row, &rs, err) < 0)
		goto out;
	for (i = 0; i < rs.n; i++)
		others += strcmp(rs.v[i].target, asset) != 0;
	/* The graph only when some change touched another asset. */
	if (others > 0) {
		long self;

		if ((g = hw_graph_load(st, err)) == NULL)
			goto out;
		self = hw_graph_find(g, asset);
		if (self < 0) {
			hw_error_set(err, HW_ENOTFOUND, "no asset '%s'", asset);
			goto out;
		}
		if ((dist = down_from(g, (uint32_t)self)) == NULL) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	v = calloc(rs.n + 1, sizeof *v);
	if (v == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	/* The rows of one change are together (ordered by time, then
	 * number). */
	for (i = 0; i < rs.n; i++) {
		const struct row *r = &rs.v[i];
		int d = -1;

		if (strcmp(r->target, asset) == 0) {
			d = 0;
		} else if (g != NULL) {
			long t = hw_graph_find(g, r->target);

			d = t >= 0 ? dist[t] : -1;
		}
		if (d < 0)
			continue;
		if (nv == 0 || v[nv - 1].change != r->change) {
			struct hw_recent_change *c = &v[nv++];

			c->change = r->change;
			c->implemented_at = r->at;
			c->distance = d;
			c->title = strdup(r->title);
			c->implemented_by = r->by ? strdup(r->by) : NULL;
			if (c->title == NULL || (r->by && !c->implemented_by)) {
				hw_error_set(err, HW_ENOMEM, "out of memory");
				goto out;
			}
		} else if (d < v[nv - 1].distance) {
			v[nv - 1].distance = d;
		}
		if (append(&v[nv - 1].targets, r->target) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto out;
		}
	}
	*out = v;
	*n = nv;
	v = NULL;
	rc = 0;
out:
	hw_recent_changes_free(v, nv);
	free(dist);
	hw_graph_free(g);
	rows_release(&rs);
	return rc;
}
