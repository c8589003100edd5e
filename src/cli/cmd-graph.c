/*
 * cmd-graph.c: "highwater graph", the dependency graph as Graphviz DOT:
 * nodes coloured by effective overall level and labelled with name and
 * C/I/A, edges styled by dependency type.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

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
	return l == HW_LEVEL_HIGH	? 'H'
	       : l == HW_LEVEL_MODERATE ? 'M'
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

/* What the command computed: the categorized graph in id order and,
 * with --around, the assets around the centre. */
struct graph_view {
	struct hw_graph *g;
	struct hw_graph_order order;
	struct hw_impact *imp; /* NULL: the whole graph */
};

static void graph_view_release(struct graph_view *gv)
{
	hw_graph_order_release(&gv->order);
	hw_impact_free(gv->imp);
	hw_graph_free(gv->g);
}

/* Is v drawn? */
static int shown(const struct graph_view *gv, uint32_t v)
{
	return gv->imp == NULL || gv->imp->dist[v] != HW_NOT_MEMBER;
}

/* 0, or 1 after printing the error (graph_view_release either way). */
static int graph_compute(struct cli *cli, const char *around,
			 const struct hw_impact_opts *o, struct graph_view *gv)
{
	struct hw_error err = {0};
	uint32_t target;

	gv->g = hw_graph_load(cli->st, &err);
	if (gv->g == NULL || hw_graph_categorize(gv->g, &err) < 0)
		return cli_fail(cli, &err);
	if (around != NULL) {
		long t = hw_graph_find(gv->g, around);

		if (t < 0)
			return cli_failf(cli, "unknown asset '%s'", around);
		target = (uint32_t)t;
		gv->imp = hw_graph_impact(gv->g, &target, 1, o, &err);
		if (gv->imp == NULL)
			return cli_fail(cli, &err);
	}
	if (hw_graph_order_init(gv->g, &gv->order, &err) < 0)
		return cli_failf(cli, "out of memory");
	return 0;
}

static int render_json(struct cli *cli, const struct graph_view *gv)
{
	const struct hw_graph *g = gv->g;
	json_t *nodes = json_array(), *edges = json_array();
	size_t i;

	for (i = 0; i < hw_graph_size(g); i++) {
		uint32_t v = gv->order.nodes[i];
		const uint32_t *adj, *idx;
		const uint8_t *attr;
		size_t k, n;
		json_t *node;

		if (!shown(gv, v))
			continue;
		node = json_pack("{s:s, s:s, s:o}", "id", hw_graph_id(g, v),
				 "name", hw_graph_name(g, v), "effective",
				 hw_json_sc(hw_graph_effective(g, v)));
		if (node != NULL)
			hw_json_overall_put(node, hw_graph_effective(g, v));
		json_array_append_new(nodes, node);
		hw_graph_out(g, v, &adj, &attr);
		n = hw_graph_order_edges(&gv->order, v, &idx);
		for (k = 0; k < n; k++) {
			char carries[4];
			uint32_t e = idx[k];

			if (!shown(gv, adj[e]))
				continue;
			hw_carries_text(hw_graph_attr_carries(attr[e]),
					carries);
			json_array_append_new(
			    edges, json_pack("{s:s, s:s, s:s, s:s}", "from",
					     hw_graph_id(g, v), "to",
					     hw_graph_id(g, adj[e]), "type",
					     hw_graph_attr_type(attr[e]),
					     "carries", carries));
		}
	}
	return cli_print_json(
	    cli, json_pack("{s:o, s:o}", "nodes", nodes, "edges", edges));
}

static int render_dot(const struct graph_view *gv)
{
	const struct hw_graph *g = gv->g;
	size_t i;

	printf("digraph highwater {\n"
	       "  rankdir=LR;\n"
	       "  node [shape=box, style=\"rounded,filled\", "
	       "fontname=\"Helvetica\", fontsize=10];\n"
	       "  edge [fontname=\"Helvetica\", fontsize=8];\n");
	for (i = 0; i < hw_graph_size(g); i++) {
		uint32_t v = gv->order.nodes[i];
		const struct hw_sc *e = hw_graph_effective(g, v);
		enum hw_level ov = hw_sc_overall(e);
		int partial = hw_sc_partial(e);

		if (!shown(gv, v))
			continue;
		printf("  \"%s\" [label=\"", hw_graph_id(g, v));
		dot_escape(hw_graph_name(g, v));
		/* Coloured by the known maximum; a lower bound (partly
		 * categorized) is drawn dashed and says so. */
		printf(
		    "\\n%s\\nC:%c I:%c A:%c%s%s\", fillcolor=\"%s\"%s%s%s];\n",
		    hw_graph_id(g, v), level_letter(e->v[HW_C]),
		    level_letter(e->v[HW_I]), level_letter(e->v[HW_A]),
		    partial ? "\\n" : "",
		    partial ? hw_sc_overall_text(e, 0) : "", fill(ov),
		    partial ? ", style=\"rounded,filled,dashed\"" : "",
		    ov == HW_LEVEL_NONE ? ", color=\"#888888\"" : "",
		    gv->imp != NULL && gv->imp->dist[v] == 0 ? ", penwidth=3"
							     : "");
	}
	for (i = 0; i < hw_graph_size(g); i++) {
		uint32_t v = gv->order.nodes[i];
		const uint32_t *adj, *idx;
		const uint8_t *attr;
		size_t k, n;

		if (!shown(gv, v))
			continue;
		hw_graph_out(g, v, &adj, &attr);
		n = hw_graph_order_edges(&gv->order, v, &idx);
		for (k = 0; k < n; k++) {
			uint32_t e = idx[k];
			const char *type = hw_graph_attr_type(attr[e]);
			char carries[4];

			if (!shown(gv, adj[e]))
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
	return 0;
}

static int cmd_graph_exec(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
	    {"around", required_argument, NULL, 'a'},
	    {"depth", required_argument, NULL, 'd'},
	    {NULL, 0, NULL, 0},
	};
	struct hw_impact_opts o = {2, 0, HW_DIR_BOTH};
	struct graph_view gv = {0};
	const char *around = NULL;
	int c, rc;

	while ((c = cli_getopt(cli, argc, argv, "", opts)) != -1) {
		if (c == 'a')
			around = optarg;
		else if (c == 'd') {
			if (cli_depth(cli, optarg, &o.depth))
				return 2;
		} else
			return 2;
	}
	if (optind < argc)
		return cli_usage(cli, "unexpected argument '%s'", argv[optind]);
	rc = graph_compute(cli, around, &o, &gv);
	if (rc == 0)
		rc = cli->json ? render_json(cli, &gv) : render_dot(&gv);
	graph_view_release(&gv);
	return rc;
}

const struct cmd_entry cmd_graph_entry = {
    .name = "graph",
    .usage = "[--around ASSET] [--depth N]",
    .summary = "The dependency graph as Graphviz DOT, coloured by "
	       "effective level",
    .help =
	"Options:\n"
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
