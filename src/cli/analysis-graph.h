/*
 * analysis-graph.h: the graph a command's analysis reads
 * (analysis-graph.c).
 */
#ifndef HW_CLI_ANALYSIS_GRAPH_H
#define HW_CLI_ANALYSIS_GRAPH_H

#include <stddef.h>

#include "highwater.h"

struct cli;

/* The graph for an analysis of the read command's inventory, into *out
 * (hw_graph_free), to pass to the library as its warm graph:
 *  - with ids (nids > 0), the assets' upward closure when it is small
 *    (what their upward impact and effective levels need);
 *  - else, and past that, the whole graph from the snapshot beside the
 *    database (DB-graph), current, or loaded and the snapshot kept;
 *    with blast, with the blast radius at the risk model's weights (for
 *    the risk register), kept in the snapshot too.
 * *out is NULL (the library loads as it did before snapshots) when
 * $HIGHWATER_GRAPH_SNAPSHOT is "off"; "trace" says on stderr where the
 * graph came from.  0, or -1 with err set. */
int cli_analysis_graph(struct cli *cli, const char *const *ids, size_t nids,
		       int blast, struct hw_graph **out, struct hw_error *err);

#endif
