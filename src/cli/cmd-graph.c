/*
 * cmd-graph.c: "highwater graph", the dependency graph as Graphviz DOT:
 * nodes coloured by effective overall level and labelled with name and
 * C/I/A, edges styled by dependency type.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "impact-options.h"

/* Print s as the inside of a DOT double-quoted string. */
static void dot_escape(const char *s)
{
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			putchar('\\');
		if (*s == '\n')
			fputs("\\n", stdout);
		else
			putchar(*s);
	}
}

static char level_letter(enum hw_level l)
{
	return l == HW_LEVEL_HIGH ? 'H' : l == HW_LEVEL_MODERATE ? 'M'
				      : l == HW_LEVEL_LOW	? 'L'
								: '?';
}

static const char *fill(enum hw_level overall)
{
	switch (overall) {
	case HW_LEVEL_HIGH:
		return "#f4a6a6";
	case HW_LEVEL_MODERATE:
		return "#ffd98a";
	case HW_LEVEL_LOW:
		return "#b7e1a1";
	default:
		return "#e0e0e0";
	}
}

static const char *edge_style(const char *type)
{
	static const struct {
		const char *type, *style;
	} styles[] = {
	    {"runs_on", "style=bold"},
	    {"uses", "style=solid"},
	    {"stores_data_in", "style=dashed"},
	    {"connects_to", "style=dotted"},
	    {"authenticates_via", "style=dashed, color=\"#3465a4\""},
	    {"backs_up_to", "style=dotted, color=\"#777777\""},
	};
	size_t i;

	for (i = 0; i < sizeof styles / sizeof styles[0]; i++)
		if (strcmp(styles[i].type, type) == 0)
			return styles[i].style;
	return "style=solid, color=\"#999999\"";
}

/* The graph in id order, so that the output depends on the inventory
 * only, never on the order it was loaded in: nodes sorted by id (order,
 * rank[v] the place of node v) and room for one node's edges. */
struct id_order {
	uint32_t *order, *rank;
	uint64_t *edges;
};

/* 0, or -1 out of memory (release io either way). */
static int id_order_init(const struct hw_graph *g, struct id_order *io)
{
	size_t n = hw_graph_size(g), i;

	io->order = malloc((n + 1) * sizeof *io->order);
	io->rank = malloc((n + 1) * sizeof *io->rank);
	io->edges = malloc((hw_graph_edges(g) + 1) * sizeof *io->edges);
	if (!io->order || !io->rank || !io->edges)
		return -1;
	for (i = 0; i < n; i++)
		io->order[i] = (uint32_t)i;
	hw_graph_sort_by_id(g, io->order, n);
	for (i = 0; i < n; i++)
		io->rank[io->order[i]] = (uint32_t)i;
	return 0;
}

static void id_order_release(struct id_order *io)
{
	free(io->order);
	free(io->rank);
	free(io->edges);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Node i in id order (*v), while i < the graph's size. */
static int id_order_at(const struct id_order *io, const struct hw_graph *g,
		       size_t i, uint32_t *v)
{
	if (i >= hw_graph_size(g))
		return 0;
	*v = io->order[i];
	return 1;
}

/* The index into hw_graph_out's arrays of v's k-th out-edge by the id
 * it leads to; k counts up from 0, where v's edges are sorted. */
static size_t sorted_edge(const struct hw_graph *g, struct id_order *io,
			  uint32_t v, size_t k)
{
	const uint32_t *adj;
	size_t i, n;

	if (k == 0) {
		n = hw_graph_out(g, v, &adj, NULL);
		for (i = 0; i < n; i++)
			io->edges[i] = (uint64_t)io->rank[adj[i]] << 32 | i;
		qsort(io->edges, n, sizeof *io->edges, cmp_u64);
	}
	return (uint32_t)io->edges[k];
}

static int cmd_graph_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"around", required_argument, NULL, 'a'},
	    {"depth", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_impact_opts o = {2, 0, HW_DIR_BOTH};
	struct hw_error err = {0};
	struct id_order io = {0};
	size_t i;
	struct hw_impact *imp = NULL;
	struct hw_graph *g;
	const char *around = NULL;
	uint32_t v, target;
	int c;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'a')
			around = optarg;
		else if (c == 'd') {
			if (cli_impact_depth(cli, optarg, &o.depth))
				return 2;
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	g = hw_graph_load(cli->st, &err);
	if (g == NULL || hw_graph_categorize(g, &err) < 0) {
		hw_graph_free(g);
		return cli_fail(cli, &err);
	}
	if (around != NULL) {
		long t = hw_graph_find(g, around);

		if (t < 0) {
			hw_graph_free(g);
			return cli_failf(cli, "unknown asset '%s'", around);
		}
		target = (uint32_t)t;
		imp = hw_graph_impact(g, &target, 1, &o, &err);
		if (imp == NULL) {
			hw_graph_free(g);
			return cli_fail(cli, &err);
		}
	}
	if (id_order_init(g, &io) < 0) {
		id_order_release(&io);
		hw_impact_free(imp);
		hw_graph_free(g);
		return cli_failf(cli, "out of memory");
	}
	if (cli->json) {
		json_t *nodes = json_array(), *edges = json_array();

		for (i = 0; id_order_at(&io, g, i, &v); i++) {
			const uint32_t *adj;
			const uint8_t *attr;
			size_t k, n;
			json_t *node;

			if (imp != NULL && imp->dist[v] == HW_NOT_MEMBER)
				continue;
			node = json_pack("{s:s, s:s, s:o}", "id",
					 hw_graph_id(g, v), "name",
					 hw_graph_name(g, v), "effective",
					 cli_sc_json(hw_graph_effective(g, v)));
			if (node != NULL)
				cli_overall_json(node,
						 hw_graph_effective(g, v));
			json_array_append_new(nodes, node);
			n = hw_graph_out(g, v, &adj, &attr);
			for (k = 0; k < n; k++) {
				char carries[4];
				size_t e = sorted_edge(g, &io, v, k);

				if (imp != NULL &&
				    imp->dist[adj[e]] == HW_NOT_MEMBER)
					continue;
				hw_carries_text(hw_graph_attr_carries(attr[e]),
						carries);
				json_array_append_new(
				    edges,
				    json_pack("{s:s, s:s, s:s, s:s}", "from",
					      hw_graph_id(g, v), "to",
					      hw_graph_id(g, adj[e]), "type",
					      hw_graph_attr_type(attr[e]),
					      "carries", carries));
			}
		}
		hw_impact_free(imp);
		id_order_release(&io);
		hw_graph_free(g);
		return cli_print_json(cli,
				      json_pack("{s:o, s:o}", "nodes", nodes,
						"edges", edges));
	}
	printf("digraph highwater {\n"
	       "  rankdir=LR;\n"
	       "  node [shape=box, style=\"rounded,filled\", "
	       "fontname=\"Helvetica\", fontsize=10];\n"
	       "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	for (i = 0; id_order_at(&io, g, i, &v); i++) {
		const struct hw_sc *e = hw_graph_effective(g, v);
		enum hw_level ov = hw_sc_overall(e);
		int partial = hw_sc_partial(e);

		if (imp != NULL && imp->dist[v] == HW_NOT_MEMBER)
			continue;
		printf("  \"%s\" [label=\"", hw_graph_id(g, v));
		dot_escape(hw_graph_name(g, v));
		/* Coloured by the known maximum; a lower bound (partly
		 * categorized) is drawn dashed and says so. */
		printf("\\n%s\\nC:%c I:%c A:%c%s%s\", fillcolor=\"%s\"%s%s%s];\n",
		       hw_graph_id(g, v), level_letter(e->v[HW_C]),
		       level_letter(e->v[HW_I]), level_letter(e->v[HW_A]),
		       partial ? "\\n" : "",
		       partial ? hw_sc_overall_text(e, 0) : "", fill(ov),
		       partial ? ", style=\"rounded,filled,dashed\"" : "",
		       ov == HW_LEVEL_NONE ? ", color=\"#888888\"" : "",
		       imp != NULL && imp->dist[v] == 0 ? ", penwidth=3" : "");
	}
	for (i = 0; id_order_at(&io, g, i, &v); i++) {
		const uint32_t *adj;
		const uint8_t *attr;
		size_t k, n = hw_graph_out(g, v, &adj, &attr);

		if (imp != NULL && imp->dist[v] == HW_NOT_MEMBER)
			continue;
		for (k = 0; k < n; k++) {
			size_t e = sorted_edge(g, &io, v, k);
			const char *type = hw_graph_attr_type(attr[e]);
			char carries[4];

			if (imp != NULL && imp->dist[adj[e]] == HW_NOT_MEMBER)
				continue;
			hw_carries_text(hw_graph_attr_carries(attr[e]),
					carries);
			printf("  \"%s\" -> \"%s\" [label=\"%s%s%s\", %s];\n",
			       hw_graph_id(g, v), hw_graph_id(g, adj[e]), type,
			       strcmp(carries, "cia") ? " " : "",
			       strcmp(carries, "cia") ? carries : "",
			       edge_style(type));
		}
	}
	printf("}\n");
	hw_impact_free(imp);
	id_order_release(&io);
	hw_graph_free(g);
	return 0;
}

const struct cmd_entry cmd_graph_entry = {
    .name = "graph",
    .usage = "[--around ASSET] [--depth N]",
    .summary = "The dependency graph as Graphviz DOT, coloured by "
	       "effective level",
    .help = "Options:\n"
	    "  --around ASSET   only the assets within --depth hops of ASSET,\n"
	    "                   either way\n"
	    "  --depth N        hops around ASSET (default 2)\n"
	    "\nNodes: red HIGH, amber MODERATE, green LOW, grey uncategorized;\n"
	    "dashed and marked \"at least\" when partly categorized (the "
	    "colour is then\n"
	    "the highest known level, a lower bound);\n"
	    "label: name, id and effective C/I/A. Edges point from the asset "
	    "that\n"
	    "depends to the one it needs, labelled with the type (and the "
	    "objectives\n"
	    "carried when not all three).\n"
	    "Example: highwater graph --around db-01 | dot -Tsvg > db-01.svg\n",
    .flags = CMD_STORE_READ,
    .exec = cmd_graph_exec,
};
