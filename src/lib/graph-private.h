/*
 * graph-private.h: the dependency graph's representation (compressed
 * sparse rows, node attributes, effective levels), shared by the engine's
 * files (graph.c, graph-order.c, graph-effective.c, graph-snapshot.c,
 * impact.c, blast.c) and no others.
 */
#ifndef HW_GRAPH_PRIVATE_H
#define HW_GRAPH_PRIVATE_H

#include "hw-private.h"

#define NONE_U32 HWP_NONE

struct edge_list {
	uint32_t *src, *dst;
	uint8_t *attr; /* carries in bits 0-2, type index above */
	size_t count, cap;
};

struct hw_graph {
	uint32_t n, cap; /* nodes */
	long long *rown; /* asset row number of each node */
	const char **id, **name;
	int32_t *owner;	     /* index into owners, -1 for none */
	uint8_t *type;	     /* index into hw_asset_types */
	struct hw_sc *own;   /* own categorization */
	const char **owners; /* distinct owner strings */
	uint32_t nowners, owners_cap;
	struct hwp_arena strings;
	struct hwp_map by_rown, by_id, owner_ids;

	uint32_t m;		     /* edges */
	uint32_t *out_off, *out_adj; /* node -> what it depends on */
	uint32_t *in_off, *in_adj;   /* node -> its dependents */
	uint8_t *out_attr, *in_attr;
	struct edge_list edges; /* while loading */
	struct hw_store *st;	/* while loading: for errors */
	struct hw_error *err;

	uint32_t *dense; /* row number -> node, when row numbers are
			    dense enough (whole-graph loads) */
	long long dense_max;
	int closure;  /* loaded as the upward closure of some assets */
	int finds;    /* hw_graph_find calls before the id map */
	int scanning; /* whole-table node scan: rows are distinct */
	/* Effective categorization (after hw_graph_categorize). */
	struct hw_sc *eff;
	int32_t *raiser[HW_NOBJ]; /* node that raised it, or -1 */
	int32_t *via[HW_NOBJ];	  /* previous node on the path, or -1 */
	uint8_t *on_cycle;
	uint32_t *comp; /* strongly connected component of each node,
			   numbered dependencies first */
	uint32_t ncomp;
	int categorized;
	uint32_t *idrank; /* each node's place in id order (hw_graph_freeze),
			     or NULL: ids compared as strings */
	_Atomic size_t refs; /* holders beyond the first (hw_graph_ref) */
	/* The blast radius at the level weights blast_w, kept with the
	 * graph for the next command (hw_graph_keep_blast, the snapshot):
	 * NULL until known. */
	double *blast_count, *blast_weighted;
	uint8_t *blast_est;
	double blast_w[HW_LEVEL_HIGH + 1];
	int blast_owned; /* the three were allocated (else in the map) */
	void *map; /* a snapshot's mapping its arrays point into, or NULL
		      (graph-snapshot.c) */
	size_t map_size;
};

#define ATTR(carries, type) ((uint8_t)((carries) | ((unsigned)(type) << 3)))
#define ATTR_CARRIES(a) ((a)&7u)
#define ATTR_TYPE(a) ((a) >> 3)

/* Index the nodes' row numbers (g->dense, or g->by_rown when they are
 * sparse), as a whole-graph load does; -1 when out of memory, -2 when
 * two nodes have one row number. */
int hwp_graph_index_rows(struct hw_graph *g);

/* Each node's place in id order into g->idrank, unless it is there;
 * -1 with HW_ENOMEM. */
int hwp_graph_rank_ids(struct hw_graph *g, struct hw_error *err);

/* Is asset a's id before asset b's?  (A missing id sorts first.) */
int hwp_graph_id_before(const struct hw_graph *g, uint32_t a, uint32_t b);

/* Of two ways to reach a node at the same distance in a breadth-first
 * search from several roots, is (root_u, u) better than the node's
 * (root_w, parent_w)?  See graph.c. */
int hwp_graph_tie_better(const struct hw_graph *g, uint32_t root_u, uint32_t u,
			 uint32_t root_w, uint32_t parent_w);

/* Follow parent links from v back to a root, then write the path root
 * first into buf (up to cap nodes); returns its length. */
size_t hwp_graph_walk_back(const int32_t *parent, uint32_t v, uint32_t *buf,
			   size_t cap);

/* Sort nodes by rank[node] (none: NULL), then id. */
void hwp_graph_sort_nodes(const struct hw_graph *g, const uint32_t *rank,
			  uint32_t *nodes, size_t n);

#endif
