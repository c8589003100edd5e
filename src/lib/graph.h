/*
 * graph.h: the dependency graph engine's public interface: loading the
 * graph, effective (inherited) categorization and cycles, the change
 * impact with its summary and route, and the blast radius.
 */
#ifndef HW_GRAPH_H
#define HW_GRAPH_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"
#include "level.h"

struct hw_store;

/* ------------------------------------------------------------------ */
/* The graph and its loads (graph.c)                                   */

struct hw_graph;

/* Load every asset and dependency into memory.  Returns a new graph
 * (hw_graph_free). */
struct hw_graph *hw_graph_load(struct hw_store *st, struct hw_error *err);

/* Load only the given assets and everything depending on them,
 * transitively: all that their upward impact and its effective levels
 * need.  Past limit nodes it loads the whole graph instead.  Unknown ids
 * fail with HW_ENOTFOUND. */
struct hw_graph *hw_graph_load_up(struct hw_store *st, const char *const *ids,
				  size_t nids, size_t limit,
				  struct hw_error *err);

/* The same closure, but past limit nodes NULL with *too_big set and err
 * untouched (no whole load: the caller has another way); *too_big is 0
 * otherwise. */
struct hw_graph *hw_graph_load_closure(struct hw_store *st,
				       const char *const *ids, size_t nids,
				       size_t limit, int *too_big,
				       struct hw_error *err);

/* Build a graph from arrays: node i gets id "v<i>" and own levels
 * own[i]; edge from depends on to.  Returns a new graph. */
#define HW_DEP_TYPE_COUNT 7 /* entries of hw_dep_types */
struct hw_graph_edge {
	uint32_t from, to;
	unsigned carries; /* HW_CARRY_* */
	int type;	  /* index into hw_dep_types */
};
struct hw_graph *hw_graph_build(size_t n, const struct hw_sc *own, size_t m,
				const struct hw_graph_edge *edges,
				struct hw_error *err);

/* Release a holder's graph: the last one frees it. */
void hw_graph_free(struct hw_graph *g);

/* One more holder of g, which hw_graph_free releases: g itself.  Holders
 * may be threads: counted atomically. */
struct hw_graph *hw_graph_ref(struct hw_graph *g);

/* Ready g to be read by several threads at once, and many times: the id
 * index built now (hw_graph_find otherwise builds it on its ninth call)
 * and the ids ranked (sorts and a search's ties then compare numbers);
 * nothing changes g after.  Categorize it first when they need that.
 * -1 with HW_ENOMEM. */
int hw_graph_freeze(struct hw_graph *g, struct hw_error *err);

/* Sizes; whether the graph is a partial (upward closure) load. */
size_t hw_graph_size(const struct hw_graph *g);
size_t hw_graph_edges(const struct hw_graph *g);
int hw_graph_is_closure(const struct hw_graph *g);

/* Node number of an asset id, -1 if not in the graph (never fails: out
 * of memory for its index, it searches more slowly). */
long hw_graph_find(struct hw_graph *g, const char *id);

/* Order node numbers by asset id. */
void hw_graph_sort_by_id(const struct hw_graph *g, uint32_t *nodes, size_t n);

/* The whole graph in id order, so that what is printed from it depends
 * on the inventory only, never on the order it was loaded in: every
 * node by asset id, and each node's out-edges by the id they lead to. */
struct hw_graph_order {
	uint32_t *nodes;     /* hw_graph_size() nodes, by id */
	uint32_t *edges;     /* per node, see hw_graph_order_edges */
	const uint32_t *off; /* borrowed from the graph */
};

/* Fill *o (hw_graph_order_release, also after a failure); -1 with
 * HW_ENOMEM when out of memory. */
int hw_graph_order_init(const struct hw_graph *g, struct hw_graph_order *o,
			struct hw_error *err);
void hw_graph_order_release(struct hw_graph_order *o);

/* v's out-edges by the id they lead to: their count, and a borrowed
 * array of indexes into hw_graph_out's arrays for v. */
size_t hw_graph_order_edges(const struct hw_graph_order *o, uint32_t v,
			    const uint32_t **idx);

/* Node attributes; strings are borrowed from the graph. */
const char *hw_graph_id(const struct hw_graph *g, uint32_t v);
const char *hw_graph_name(const struct hw_graph *g, uint32_t v);
const char *hw_graph_owner(const struct hw_graph *g, uint32_t v); /* NULL */
const char *hw_graph_type(const struct hw_graph *g, uint32_t v);
const struct hw_sc *hw_graph_own(const struct hw_graph *g, uint32_t v);

/* Owners are numbered 0..hw_graph_owner_count()-1; -1 for none. */
int hw_graph_owner_index(const struct hw_graph *g, uint32_t v);
size_t hw_graph_owner_count(const struct hw_graph *g);
const char *hw_graph_owner_name(const struct hw_graph *g, size_t i);

/* What v depends on: count, with borrowed arrays of targets and edge
 * attributes (decode with hw_graph_attr_*). */
size_t hw_graph_out(const struct hw_graph *g, uint32_t v, const uint32_t **adj,
		    const uint8_t **attr);
unsigned hw_graph_attr_carries(uint8_t attr);
const char *hw_graph_attr_type(uint8_t attr);

/* ------------------------------------------------------------------ */
/* The graph kept in a file (graph-snapshot.c, graph-cache.c)          */

struct hw_stamp;

/* Write g, a whole categorized graph, to fd (from its start) with the
 * stamp of the inventory it was loaded from (hw_store_stamp); its ids
 * are ranked first (as hw_graph_freeze ranks them). */
int hw_graph_snapshot_write(struct hw_graph *g,
			    const struct hw_stamp *stamp, int fd,
			    struct hw_error *err);

/* Map the snapshot in fd read-only as a categorized graph, when it was
 * made at stamp want by this highwater and everything in it checks out;
 * else NULL with HW_EREFUSED (made at another stamp, or by another
 * highwater), HW_ENOTHW (no snapshot at all: no magic, not a regular
 * file), HW_EDAMAGED (what is wrong with it), HW_ENOMEM or HW_EIO.  fd may be closed after; the mapping lives
 * until hw_graph_free. */
struct hw_graph *hw_graph_snapshot_map(int fd, const struct hw_stamp *want,
				       struct hw_error *err);

/* Where the snapshot of the inventory at db (a --db: a path, or a
 * PostgreSQL URI) is kept: beside a database file (DB-graph); for a
 * server's database, in this user's cache folder
 * ($XDG_CACHE_HOME/highwater, else ~/.cache/highwater, made owner-only),
 * named by a hash of the URI.  NULL with err's code 0 where there is no
 * such folder (no HOME): no snapshot then.  The caller frees it. */
char *hw_graph_snapshot_path(const char *db, struct hw_error *err);

/* Where hw_graph_current's graph came from. */
enum hw_graph_origin {
	HW_GRAPH_MAPPED, /* the snapshot, current */
	HW_GRAPH_MAPPED_KEPT, /* the same, and written again with the blast
				 radius it lacked */
	HW_GRAPH_KEPT,	 /* loaded, and the snapshot written anew */
	HW_GRAPH_LOADED	 /* loaded; no snapshot could be written */
};
struct hw_graph_how {
	enum hw_graph_origin origin;
	char why[160]; /* why the snapshot was not used, or not kept */
};

/* The whole graph, categorized, of the inventory the caller's read
 * transaction sees (hw_store_read_begin): mapped from the snapshot at
 * path when it is current (owner-only, this database, this generation
 * and tag, intact), else loaded from st and written to path for the next
 * command, atomically (a new owner-only file renamed over it; a link
 * there is replaced, never followed), or, where that cannot be done,
 * just loaded.  With blast_weight (HW_LEVEL_HIGH + 1 level weights, or
 * NULL), the graph keeps its blast radius at those weights
 * (hw_graph_kept_blast): from the snapshot when it has it, else computed
 * now and the snapshot written anew with it.  how (may be NULL) says
 * which and why. */
struct hw_graph *hw_graph_current(struct hw_store *st, const char *path,
				  const double *blast_weight,
				  struct hw_graph_how *how,
				  struct hw_error *err);

/* ------------------------------------------------------------------ */
/* Effective levels and cycles (graph-effective.c)                     */

/* Effective (inherited) categorization of every node, and which nodes
 * sit on a dependency cycle.  Call before the functions below. */
int hw_graph_categorize(struct hw_graph *g, struct hw_error *err);
const struct hw_sc *hw_graph_effective(const struct hw_graph *g, uint32_t v);
int hw_graph_on_cycle(const struct hw_graph *g, uint32_t v);

/* How many nodes are at each effective level, counted together. */
struct hw_category_counts {
	size_t count[HW_LEVEL_HIGH + 1]; /* by effective overall level, a
					    lower bound at its level;
					    [HW_LEVEL_NONE] = no level */
	size_t partial;			 /* of those, lower bounds */
	size_t own_uncategorized;	 /* no level of their own */
	size_t raised;			 /* some level raised by a dependent */
};

/* Add node v to *c (zero it first). */
void hw_graph_count_node(const struct hw_graph *g, uint32_t v,
			 struct hw_category_counts *c);
/* Counts of every node into *c. */
void hw_graph_count_categories(const struct hw_graph *g,
			       struct hw_category_counts *c);

/* For an effective level above the own level: the node that raised it
 * (-1 if none), and a shortest path from it to v written to buf (up to
 * cap nodes, raiser first); returns the path's length. */
long hw_graph_raised_by(const struct hw_graph *g, uint32_t v,
			enum hw_objective o);
size_t hw_graph_raised_path(const struct hw_graph *g, uint32_t v,
			    enum hw_objective o, uint32_t *buf, size_t cap);

/* ------------------------------------------------------------------ */
/* Change impact, its summary and route (impact.c)                     */

enum hw_direction { HW_DIR_UP = 0, HW_DIR_DOWN, HW_DIR_BOTH };

/* The most hops a search is asked to follow (a bound for parsers). */
#define HW_IMPACT_DEPTH_MAX 1000000000

struct hw_impact_opts {
	int depth;		     /* maximum hops, -1 for no limit */
	unsigned types;		     /* bit i: follow hw_dep_types[i]; 0 all */
	enum hw_direction direction; /* up: dependents (default) */
};

#define HW_NOT_MEMBER UINT32_MAX

struct hw_impact {
	size_t count;	      /* members, the targets included */
	uint32_t *members;    /* node numbers, breadth-first order */
	uint32_t *dist;	      /* per graph node: hops, or HW_NOT_MEMBER */
	int32_t *parent;      /* per node: previous on a shortest path, -1 */
	int32_t *parent_down; /* direction both: the down search's tree,
				 for the members with down set */
	unsigned char *down;  /* per node: reached going down (relied on
				 by a target), not up */
};

/* The impact set of targets (node numbers).  Returns a new impact
 * (hw_impact_free). */
struct hw_impact *hw_graph_impact(const struct hw_graph *g,
				  const uint32_t *targets, size_t ntargets,
				  const struct hw_impact_opts *opts,
				  struct hw_error *err);
void hw_impact_free(struct hw_impact *imp);

/* Order the members by distance, then id. */
void hw_impact_sort(const struct hw_graph *g, struct hw_impact *imp);

/* Path from a target to v into buf (up to cap); returns its length. */
size_t hw_impact_path(const struct hw_impact *imp, uint32_t v, uint32_t *buf,
		      size_t cap);

/* The route a change takes to approval, lowest first. */
enum hw_route { HW_ROUTE_STANDARD = 0, HW_ROUTE_CAB_REVIEW, HW_ROUTE_FULL_CAB };

/* "standard", "cab-review", "full-cab": static text. */
const char *hw_route_name(enum hw_route r);

/* The route thresholds in force: the settings route.full_cab and
 * route.cab_review, high and moderate when unset; HW_EINVAL naming a
 * setting that holds no level. */
int hw_route_thresholds(struct hw_store *st, enum hw_level *full_cab,
			enum hw_level *cab_review, struct hw_error *err);

/* An owner of some members of an impact. */
struct hw_impact_owner {
	const char *name;	      /* borrowed from the graph; NULL: none */
	int index;		      /* hw_graph_owner_index, -1 for none */
	size_t count;		      /* members it owns */
	size_t by[HW_LEVEL_HIGH + 1]; /* of those, by effective overall level */
};

struct hw_impact_summary {
	struct hw_sc highest;		    /* per objective, over members */
	enum hw_level top;		    /* highest of the three */
	size_t count[HW_LEVEL_HIGH + 1];    /* members by effective overall
					       level, a partly categorized
					       one at its lower bound;
					       [HW_LEVEL_NONE] = no level */
	size_t partial;			    /* of those, lower bounds */
	size_t on_cycle;		    /* members on a cycle */
	enum hw_route route;		    /* recommended route */
	enum hw_level full_cab, cab_review; /* the thresholds it used */
	struct hw_impact_owner *owners;	    /* owners to notify, by name */
	size_t nowners;
	struct hw_impact_owner unowned; /* the members with no owner */
	uint32_t *services;		/* business services touched:
					   node numbers, by id */
	size_t nservices;
};

/* Summarize imp (after hw_graph_categorize).  The route is full-cab
 * when the highest level reaches full_cab, cab-review when it reaches
 * cab_review or some member has no level or only a lower bound (partly
 * categorized), else standard.  Fills *sum, whose owners and services
 * are new arrays (hw_impact_summary_release, also after a failure);
 * -1 with HW_ENOMEM when out of memory. */
int hw_impact_summarize(const struct hw_graph *g, const struct hw_impact *imp,
			enum hw_level full_cab, enum hw_level cab_review,
			struct hw_impact_summary *sum, struct hw_error *err);
void hw_impact_summary_release(struct hw_impact_summary *sum);

/* ------------------------------------------------------------------ */
/* Blast radius (blast.c)                                              */

/* Blast radius (after hw_graph_categorize): per node, how many assets
 * depend on it directly or transitively (count) and the sum of their
 * level weights (weighted; weight[l] for effective overall level l,
 * weight[HW_LEVEL_NONE] for uncategorized, the higher of the two for a
 * lower bound l).  Exact while a node has
 * fewer than HW_BLAST_EXACT dependents; beyond, estimated from a
 * k-minimum-values sample (about 9% error) and estimated[v] is set.
 * Linear in the graph times HW_BLAST_EXACT at worst; cycles are fine.
 * Arrays have hw_graph_size() entries. */
#define HW_BLAST_EXACT 127
int hw_graph_blast(const struct hw_graph *g,
		   const double weight[HW_LEVEL_HIGH + 1], double *count,
		   double *weighted, unsigned char *estimated,
		   struct hw_error *err);

/* Compute the blast radius at weight into g itself, before g is shared
 * (hw_graph_current does it for a command that scores risk), so that
 * it is kept in g's snapshot; -1 with HW_ENOMEM. */
int hw_graph_keep_blast(struct hw_graph *g,
			const double weight[HW_LEVEL_HIGH + 1],
			struct hw_error *err);

/* The blast radius g keeps, when it was computed at weight: 1 with the
 * arrays borrowed from g, else 0. */
int hw_graph_kept_blast(const struct hw_graph *g,
			const double weight[HW_LEVEL_HIGH + 1],
			const double **count, const double **weighted,
			const unsigned char **estimated);

/* Why sum's route was chosen, for people: static text.  cab_review is
 * the threshold the summary was made with. */
const char *hw_impact_route_why(const struct hw_impact_summary *sum,
				enum hw_level cab_review);

/* The same at length, for the change report: the level that decided
 * the route, the threshold it met or missed, and the touched assets at
 * that level (the first three in imp's order, "+N more").  Writes buf
 * (cut to size); returns it. */
const char *hw_impact_route_reason(const struct hw_graph *g,
				   const struct hw_impact *imp,
				   const struct hw_impact_summary *sum,
				   enum hw_level full_cab,
				   enum hw_level cab_review, char *buf,
				   size_t size);

#endif /* HW_GRAPH_H */
