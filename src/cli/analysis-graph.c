/*
 * analysis-graph.c: the graph a command's analysis reads: a few assets'
 * upward closure when that is small, else the whole graph from the
 * snapshot kept beside the database (graph-cache.c in the library), so
 * that a command at a million assets maps a file instead of loading the
 * inventory from SQLite every time.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analysis-graph.h"
#include "cmd.h"

/* "off" (also 0, no, false, any case), "trace", or else "on". */
static const char *mode(void)
{
	static const char *const offs[] = {"off", "0", "no", "false"};
	const char *m = getenv("HIGHWATER_GRAPH_SNAPSHOT");
	size_t i;

	if (m == NULL)
		return "on";
	for (i = 0; i < sizeof offs / sizeof offs[0]; i++)
		if (strcasecmp(m, offs[i]) == 0)
			return "off";
	return strcasecmp(m, "trace") == 0 ? "trace" : "on";
}

static void trace(const char *what, const char *why, const struct hw_graph *g)
{
	if (strcmp(mode(), "trace") != 0)
		return;
	fprintf(stderr, "highwater: graph %s%s%s (%zu assets, %zu "
			"dependencies)\n",
		what, *why ? ": " : "", why, hw_graph_size(g),
		hw_graph_edges(g));
}

int cli_analysis_graph(struct cli *cli, const char *const *ids, size_t nids,
		       int blast, struct hw_graph **out, struct hw_error *err)
{
	struct hw_weights w;
	double weight[HW_LEVEL_HIGH + 1];
	static const char *const said[] = {
	    [HW_GRAPH_MAPPED] = "snapshot mapped",
	    [HW_GRAPH_MAPPED_KEPT] = ("snapshot mapped, and written again "
				      "with its blast radius at these "
				      "weights"),
	    [HW_GRAPH_KEPT] = "loaded, snapshot written",
	    [HW_GRAPH_LOADED] = "loaded, no snapshot written",
	};
	struct hw_graph_how how;
	struct hw_graph *g;
	char *path;
	int too_big = 0;

	*out = NULL;
	/* A write's transaction may yet roll back: no stamp to keep. */
	if (strcmp(mode(), "off") == 0 || cli->writable)
		return 0;
	if (nids > 0) {
		g = hw_graph_load_closure(cli->st, ids, nids, HW_CLOSURE_LIMIT,
					  &too_big, err);
		if (g != NULL) {
			trace("closure loaded", "", g);
			*out = g;
			return 0;
		}
		if (!too_big)
			return -1;
	}
	path = hw_graph_snapshot_path(cli->db_path, err);
	if (path == NULL)
		return err->code != 0 ? -1 : 0; /* no cache folder: load */
	/* The risk model's blast radius weighs levels as the model does. */
	if (blast) {
		if (hw_store_weights(cli->st, &w, err) < 0) {
			free(path);
			return -1;
		}
		hw_risk_level_values(&w, weight);
	}
	g = hw_graph_current(cli->st, path, blast ? weight : NULL, &how, err);
	free(path);
	if (g == NULL)
		return -1;
	trace(said[how.origin], how.why, g);
	*out = g;
	return 0;
}
