/*
 * check-graph.c: the graph engine: effective categorization with
 * raised-by paths, cycles, change impact (depth, types, directions,
 * several targets), checked on hand-built graphs, against a brute-force
 * reference on hundreds of random graphs, and on a million-node chain;
 * the impact's summary and route are in check-impact.c.
 */
#include <pthread.h>

#include "fixture.h"

#define L HW_LEVEL_LOW
#define M HW_LEVEL_MODERATE
#define H HW_LEVEL_HIGH
#define N HW_LEVEL_NONE

#define sc3 fx_sc3

#define build fx_graph
#define impact(...) fx_impact(__VA_ARGS__)

static void expect_sc(const struct hw_graph *g, uint32_t v, enum hw_level c,
		      enum hw_level i, enum hw_level a)
{
	const struct hw_sc *e = hw_graph_effective(g, v);

	ck_assert_msg(e->v[0] == c && e->v[1] == i && e->v[2] == a,
		      "v%u: effective %d/%d/%d, want %d/%d/%d", v, e->v[0],
		      e->v[1], e->v[2], c, i, a);
}

#define CIA HW_CARRY_ALL
#define RUNS 0 /* runs_on */
#define USES 1 /* uses */

START_TEST(test_graph_chain_inherits)
{
	/* app -> vm -> host: the app's levels flow down the chain. */
	struct hw_sc own[3] = {sc3(M, H, L), sc3(N, N, N), sc3(L, L, M)};
	struct hw_graph_edge e[2] = {{0, 1, CIA, RUNS}, {1, 2, CIA, RUNS}};
	struct hw_graph *g = build(3, own, 2, e);
	uint32_t path[8];

	expect_sc(g, 0, M, H, L);
	expect_sc(g, 1, M, H, L);
	expect_sc(g, 2, M, H, M);
	ck_assert_int_eq(hw_graph_raised_by(g, 2, HW_I), 0);
	ck_assert_int_eq(hw_graph_raised_by(g, 2, HW_A), -1); /* own */
	ck_assert_uint_eq(hw_graph_raised_path(g, 2, HW_I, path, 8), 3);
	ck_assert_str_eq(hw_graph_id(g, path[0]), "v0");
	ck_assert_str_eq(hw_graph_id(g, path[1]), "v1");
	ck_assert_str_eq(hw_graph_id(g, path[2]), "v2");
	ck_assert_int_eq(hw_graph_on_cycle(g, 1), 0);
	/* Uncategorized own levels stay visible. */
	ck_assert_int_eq(hw_sc_completeness(hw_graph_own(g, 1)), -1);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_graph_diamond_shortest_raiser)
{
	/* 0 -> 1 -> 3, 0 -> 2 -> 4 -> 3; 0 is high integrity.  The path
	 * to 3 is the short one. */
	struct hw_sc own[5] = {sc3(L, H, L), sc3(L, L, L), sc3(L, L, L),
			       sc3(N, N, N), sc3(L, L, L)};
	struct hw_graph_edge e[5] = {{0, 1, CIA, USES},
				     {0, 2, CIA, USES},
				     {1, 3, CIA, USES},
				     {2, 4, CIA, USES},
				     {4, 3, CIA, USES}};
	struct hw_graph *g = build(5, own, 5, e);
	uint32_t path[8];

	expect_sc(g, 3, L, H, L);
	ck_assert_uint_eq(hw_graph_raised_path(g, 3, HW_I, path, 8), 3);
	ck_assert_uint_eq(path[1], 1);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_graph_carries_mask)
{
	/* A backup link carries only c and i: availability stays. */
	struct hw_sc own[2] = {sc3(H, H, H), sc3(L, L, L)};
	struct hw_graph_edge e[1] = {{0, 1, HW_CARRY_C | HW_CARRY_I, 5}};
	struct hw_graph *g = build(2, own, 1, e);

	expect_sc(g, 1, H, H, L);
	ck_assert_int_eq(hw_graph_raised_by(g, 1, HW_A), -1);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_graph_cycles)
{
	/* 2-cycle 0<->1, long cycle 2->3->4->5->2 reached from 1, and 6
	 * hanging off the long cycle; 7 alone. */
	struct hw_sc own[8] = {sc3(H, L, L), sc3(L, L, L), sc3(L, M, L),
			       sc3(L, L, L), sc3(L, L, L), sc3(L, L, H),
			       sc3(N, N, N), sc3(L, L, L)};
	struct hw_graph_edge e[8] = {{0, 1, CIA, USES}, {1, 0, CIA, USES},
				     {1, 2, CIA, USES}, {2, 3, CIA, USES},
				     {3, 4, CIA, USES}, {4, 5, CIA, USES},
				     {5, 2, CIA, USES}, {5, 6, CIA, USES}};
	struct hw_graph *g = build(8, own, 8, e);
	uint32_t v;

	for (v = 0; v < 6; v++)
		ck_assert_int_eq(hw_graph_on_cycle(g, v), 1);
	ck_assert_int_eq(hw_graph_on_cycle(g, 6), 0);
	ck_assert_int_eq(hw_graph_on_cycle(g, 7), 0);
	expect_sc(g, 1, H, L, L);
	/* Everything on the long cycle shares its highs. */
	for (v = 2; v <= 6; v++)
		expect_sc(g, v, H, M, H);
	expect_sc(g, 7, L, L, L); /* disconnected */
	ck_assert_int_eq(hw_graph_raised_by(g, 6, HW_A), 5);
	hw_graph_free(g);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Property test against a brute-force reference                       */

#define MAXN 14

static unsigned rnd_state = 12345;

#define rnd(n) fx_rnd(&rnd_state, (n))

/* reach[o][u][v]: v reachable from u (u itself included) along edges
 * carrying o; dist likewise (shortest hops, -1 none). */
static void reference_dist(size_t n, size_t m, const struct hw_graph_edge *e,
			   unsigned mask, int dist[MAXN][MAXN])
{
	size_t u, k;
	int changed, x, y;

	for (x = 0; x < (int)n; x++)
		for (y = 0; y < (int)n; y++)
			dist[x][y] = x == y ? 0 : -1;
	/* Bellman-Ford style relaxation: simple and obviously right. */
	do {
		changed = 0;
		for (u = 0; u < n; u++)
			for (k = 0; k < m; k++) {
				if (!(e[k].carries & mask))
					continue;
				if (dist[u][e[k].from] < 0)
					continue;
				if (dist[u][e[k].to] < 0 ||
				    dist[u][e[k].to] > dist[u][e[k].from] + 1) {
					dist[u][e[k].to] =
					    dist[u][e[k].from] + 1;
					changed = 1;
				}
			}
	} while (changed);
}

START_TEST(test_graph_property_random)
{
	int round;

	for (round = 0; round < 400; round++) {
		struct hw_graph_edge e[MAXN * 3];
		struct hw_sc own[MAXN];
		int dist[HW_NOBJ][MAXN][MAXN], any[MAXN][MAXN];
		size_t n = 1 + rnd(MAXN), m = rnd((unsigned)n * 3), k, u, v;
		struct hw_graph *g;
		int o;

		for (v = 0; v < n; v++)
			for (o = 0; o < HW_NOBJ; o++)
				own[v].v[o] = rnd(5) == 0 ? N : L + rnd(3);
		for (k = 0; k < m; k++) {
			e[k].from = rnd((unsigned)n);
			e[k].to = rnd((unsigned)n);
			e[k].carries = 1 + rnd(7);
			e[k].type = (int)rnd(HW_DEP_TYPE_COUNT);
			if (e[k].from == e[k].to)
				e[k].to = (e[k].to + 1) % n;
			if (e[k].from == e[k].to) /* n == 1 */
				m = k;
		}
		g = build(n, own, m, e);
		for (o = 0; o < HW_NOBJ; o++)
			reference_dist(n, m, e, 1u << o, dist[o]);
		reference_dist(n, m, e, HW_CARRY_ALL, any);
		for (v = 0; v < n; v++) {
			int cyc = 0;

			for (u = 0; u < n; u++)
				cyc |= u != v && any[u][v] > 0 && any[v][u] > 0;
			ck_assert_int_eq(hw_graph_on_cycle(g, (uint32_t)v),
					 cyc);
			for (o = 0; o < HW_NOBJ; o++) {
				enum hw_level want = N;
				int best = -1;
				long r;

				for (u = 0; u < n; u++)
					if (dist[o][u][v] >= 0 &&
					    own[u].v[o] > want)
						want = own[u].v[o];
				ck_assert_int_eq(
				    hw_graph_effective(g, (uint32_t)v)->v[o],
				    want);
				r = hw_graph_raised_by(g, (uint32_t)v, o);
				if (want == own[v].v[o]) {
					ck_assert_int_eq(r, -1);
					continue;
				}
				/* Raised: by a node at that level, along a
				 * shortest path from such nodes. */
				ck_assert_int_ge(r, 0);
				ck_assert_int_eq(own[r].v[o], want);
				for (u = 0; u < n; u++)
					if (own[u].v[o] == want &&
					    dist[o][u][v] >= 0 &&
					    (best < 0 || dist[o][u][v] < best))
						best = dist[o][u][v];
				ck_assert_int_eq(
				    (int)hw_graph_raised_path(g, (uint32_t)v, o,
							      NULL, 0),
				    best + 1);
				ck_assert_int_eq(dist[o][r][v], best);
			}
		}
		/* Impact sets with distances, every direction. */
		for (o = 0; o < 3; o++) {
			enum hw_direction d = (enum hw_direction)o;
			int depth = rnd(3) == 0 ? (int)rnd(3) : -1;
			unsigned types = rnd(3) == 0 ? 1u + rnd(127) : 0;
			uint32_t t[2] = {rnd((unsigned)n), rnd((unsigned)n)};
			int ref[MAXN], changed, way;
			struct hw_impact *imp;

			/* Reference: relax each way separately; both is
			 * the nearer of the two. */
			for (v = 0; v < n; v++)
				ref[v] = -1;
			for (way = 0; way < 2; way++) {
				int r[MAXN];

				if ((way == 0 && d == HW_DIR_DOWN) ||
				    (way == 1 && d == HW_DIR_UP))
					continue;
				for (v = 0; v < n; v++)
					r[v] =
					    (v == t[0] || v == t[1]) ? 0 : -1;
				do {
					changed = 0;
					for (k = 0; k < m; k++) {
						/* up: from b to its dependent a
						 */
						uint32_t s0 =
						    way ? e[k].from : e[k].to;
						uint32_t w =
						    way ? e[k].to : e[k].from;

						if (types &&
						    !(types &
						      (1u << e[k].type)))
							continue;
						if (r[s0] < 0 ||
						    (depth >= 0 &&
						     r[s0] >= depth))
							continue;
						if (r[w] < 0 ||
						    r[w] > r[s0] + 1) {
							r[w] = r[s0] + 1;
							changed = 1;
						}
					}
				} while (changed);
				for (v = 0; v < n; v++)
					if (r[v] >= 0 &&
					    (ref[v] < 0 || r[v] < ref[v]))
						ref[v] = r[v];
			}
			imp = impact(g, t, 2, depth, types, d);
			for (v = 0; v < n; v++) {
				uint32_t p[MAXN + 1];
				size_t len, j;

				ck_assert_int_eq(imp->dist[v] == HW_NOT_MEMBER
						     ? -1
						     : (int)imp->dist[v],
						 ref[v]);
				if (ref[v] < 0)
					continue;
				/* The path runs from a target, one way. */
				len = hw_impact_path(imp, (uint32_t)v, p,
						     MAXN + 1);
				ck_assert_uint_eq(len, (size_t)ref[v] + 1);
				ck_assert(p[0] == t[0] || p[0] == t[1]);
				ck_assert_uint_eq(p[len - 1], v);
				for (j = 0; j + 1 < len; j++) {
					int found = 0;

					for (k = 0; k < m; k++)
						found |=
						    imp->down[v]
							? (e[k].from == p[j] &&
							   e[k].to == p[j + 1])
							: (e[k].to == p[j] &&
							   e[k].from ==
							       p[j + 1]);
					ck_assert(found);
				}
			}
			hw_impact_free(imp);
		}
		hw_graph_free(g);
	}
}
END_TEST

START_TEST(test_graph_million_chain)
{
	/* No recursion anywhere: a 1,000,000-node chain, one long cycle. */
	size_t n = 1000000, i;
	struct hw_sc *own = calloc(n, sizeof *own);
	struct hw_graph_edge *e = calloc(n, sizeof *e);
	struct hw_graph *g;
	struct hw_impact *imp;
	uint32_t t;

	ck_assert_ptr_nonnull(own);
	ck_assert_ptr_nonnull(e);
	own[0] = sc3(H, H, H);
	for (i = 0; i + 1 < n; i++)
		e[i] = (struct hw_graph_edge){(uint32_t)i, (uint32_t)i + 1, CIA,
					      RUNS};
	g = build(n, own, n - 1, e);
	expect_sc(g, (uint32_t)n - 1, H, H, H);
	ck_assert_uint_eq(
	    hw_graph_raised_path(g, (uint32_t)n - 1, HW_C, NULL, 0), n);
	t = (uint32_t)n - 1;
	imp = impact(g, &t, 1, -1, 0, HW_DIR_UP);
	ck_assert_uint_eq(imp->count, n);
	ck_assert_uint_eq(imp->dist[0], n - 1);
	hw_impact_free(imp);
	hw_graph_free(g);
	/* Close it into one cycle of a million. */
	e[n - 1] = (struct hw_graph_edge){(uint32_t)n - 1, 0, CIA, RUNS};
	g = build(n, own, n, e);
	ck_assert_int_eq(hw_graph_on_cycle(g, 0), 1);
	ck_assert_int_eq(hw_graph_on_cycle(g, (uint32_t)n / 2), 1);
	hw_graph_free(g);
	free(own);
	free(e);
}
END_TEST

START_TEST(test_graph_build_rejects_bad_edges)
{
	struct hw_sc own[1] = {sc3(L, L, L)};
	struct hw_graph_edge e[1] = {{0, 5, CIA, RUNS}};
	struct hw_error err = {0};

	ck_assert_ptr_null(hw_graph_build(1, own, 1, e, &err));
	ck_assert_int_eq(err.code, HW_EINVAL);
}
END_TEST

START_TEST(test_graph_closure_equals_whole_graph)
{
	/* What depends on an asset is all its effective levels and its
	 * upward impact need: loading only that must give the same
	 * answers as loading everything, for every demo asset. */
	struct hw_error err = {0};
	struct hw_impact_opts up = {-1, 0, HW_DIR_UP};
	struct hw_graph *all, *part;
	uint32_t v;

	ck_assert_msg(hw_import_json(fx_st, fx_data("demo-inventory.json"), 0,
				     0, NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	all = hw_graph_load(fx_st, &err);
	ck_assert_ptr_nonnull(all);
	ck_assert_int_eq(hw_graph_categorize(all, &err), 0);
	ck_assert_uint_eq(hw_graph_size(all), 114);
	ck_assert_uint_eq(hw_graph_edges(all), 327);
	ck_assert_int_eq(hw_graph_is_closure(all), 0);
	for (v = 0; v < hw_graph_size(all); v++) {
		const char *id = hw_graph_id(all, v);
		struct hw_impact *ia, *ip;
		long pv;
		uint32_t t;
		int o;

		part = hw_graph_load_up(fx_st, &id, 1, 1000, &err);
		ck_assert_msg(part != NULL, "%s", err.text);
		ck_assert_int_eq(hw_graph_is_closure(part), 1);
		ck_assert_int_eq(hw_graph_categorize(part, &err), 0);
		pv = hw_graph_find(part, id);
		ck_assert_int_ge(pv, 0);
		for (o = 0; o < HW_NOBJ; o++)
			ck_assert_int_eq(
			    hw_graph_effective(part, (uint32_t)pv)->v[o],
			    hw_graph_effective(all, v)->v[o]);
		ck_assert_int_eq(hw_graph_on_cycle(part, (uint32_t)pv),
				 hw_graph_on_cycle(all, v));
		ia = hw_graph_impact(all, &v, 1, &up, &err);
		t = (uint32_t)pv;
		ip = hw_graph_impact(part, &t, 1, &up, &err);
		ck_assert_uint_eq(ia->count, ip->count);
		hw_impact_free(ia);
		hw_impact_free(ip);
		hw_graph_free(part);
	}
	/* Past the limit it loads the whole graph instead. */
	{
		const char *core = "core-sw-01";

		part = hw_graph_load_up(fx_st, &core, 1, 3, &err);
		ck_assert_ptr_nonnull(part);
		ck_assert_int_eq(hw_graph_is_closure(part), 0);
		ck_assert_uint_eq(hw_graph_size(part), 114);
		hw_graph_free(part);
		/* Stopping the walk there is no error: one the caller
		 * already holds stays (it was once cleared). */
		hw_error_set(&err, HW_EIO, "an earlier error");
		part = hw_graph_load_up(fx_st, &core, 1, 3, &err);
		ck_assert_ptr_nonnull(part);
		ck_assert_int_eq(err.code, HW_EIO);
		ck_assert_str_eq(err.text, "an earlier error");
		hw_graph_free(part);
		hw_error_clear(&err);
	}
	/* The closure alone: past the limit nothing, no error, too_big;
	 * within it the closure, too_big 0. */
	{
		const char *core = "core-sw-01";
		int too_big = -1;

		ck_assert_ptr_null(
		    hw_graph_load_closure(fx_st, &core, 1, 3, &too_big, &err));
		ck_assert_int_eq(too_big, 1);
		ck_assert_int_eq(err.code, HW_OK);
		part = hw_graph_load_closure(fx_st, &core, 1, 1000, &too_big,
					     &err);
		ck_assert_ptr_nonnull(part);
		ck_assert_int_eq(too_big, 0);
		ck_assert_int_eq(hw_graph_is_closure(part), 1);
		hw_graph_free(part);
	}
	/* An unknown asset is named. */
	{
		const char *ghost = "ghost";

		ck_assert_ptr_null(
		    hw_graph_load_up(fx_st, &ghost, 1, 10, &err));
		ck_assert_int_eq(err.code, HW_ENOTFOUND);
		ck_assert_str_eq(err.text, "unknown asset 'ghost'");
	}
	hw_graph_free(all);
}
END_TEST

/* Sorting keeps no state between calls: two threads sort at once, a
 * large graph and a small one (the comparators once read a global the
 * other thread changed, and then NULL). */
struct sort_job {
	struct hw_graph *g;
	size_t n;
	int rounds, ok;
};

static void *sort_rounds(void *arg)
{
	struct sort_job *j = arg;
	uint32_t *nodes = malloc(j->n * sizeof *nodes);
	size_t i;
	int r;

	j->ok = nodes != NULL;
	for (r = 0; r < j->rounds && j->ok; r++) {
		for (i = 0; i < j->n; i++)
			nodes[i] = (uint32_t)(j->n - 1 - i);
		hw_graph_sort_by_id(j->g, nodes, j->n);
		for (i = 1; i < j->n; i++)
			if (strcmp(hw_graph_id(j->g, nodes[i - 1]),
				   hw_graph_id(j->g, nodes[i])) >= 0)
				j->ok = 0;
	}
	free(nodes);
	return NULL;
}

START_TEST(test_graph_sort_in_threads)
{
	static struct hw_sc own[40000];
	struct sort_job big = {build(40000, own, 0, NULL), 40000, 6, 0};
	struct sort_job small = {build(5, own, 0, NULL), 5, 20000, 0};
	pthread_t t;

	ck_assert_int_eq(pthread_create(&t, NULL, sort_rounds, &big), 0);
	sort_rounds(&small);
	ck_assert_int_eq(pthread_join(t, NULL), 0);
	ck_assert_int_eq(big.ok, 1);
	ck_assert_int_eq(small.ok, 1);
	hw_graph_free(big.g);
	hw_graph_free(small.g);
}
END_TEST

START_TEST(test_graph_sort_by_id)
{
	struct hw_sc own[12] = {{{0}}};
	struct hw_graph *g = build(12, own, 0, NULL);
	uint32_t nodes[12], i;

	for (i = 0; i < 12; i++)
		nodes[i] = i;
	hw_graph_sort_by_id(g, nodes, 12);
	/* "v10" < "v11" < "v2": text order, as ids are text. */
	ck_assert_str_eq(hw_graph_id(g, nodes[0]), "v0");
	ck_assert_str_eq(hw_graph_id(g, nodes[1]), "v1");
	ck_assert_str_eq(hw_graph_id(g, nodes[2]), "v10");
	ck_assert_str_eq(hw_graph_id(g, nodes[3]), "v11");
	ck_assert_str_eq(hw_graph_id(g, nodes[4]), "v2");
	hw_graph_free(g);
}
END_TEST

/* The whole graph in id order: nodes by id, each node's edges by the id
 * they lead to (text order), whatever order they were added in. */
START_TEST(test_graph_order)
{
	struct hw_sc own[12] = {{{0}}};
	struct hw_graph_edge e[4] = {{0, 2, CIA, RUNS},
				     {0, 11, CIA, USES},
				     {0, 10, CIA, USES},
				     {0, 1, CIA, USES}};
	struct hw_graph *g = build(12, own, 4, e);
	struct hw_graph_order o;
	struct hw_error err = {0};
	const uint32_t *adj, *idx;
	const uint8_t *attr;
	size_t n;

	ck_assert_int_eq(hw_graph_order_init(g, &o, &err), 0);
	ck_assert_str_eq(hw_graph_id(g, o.nodes[0]), "v0");
	ck_assert_str_eq(hw_graph_id(g, o.nodes[2]), "v10");
	ck_assert_str_eq(hw_graph_id(g, o.nodes[4]), "v2");
	ck_assert_str_eq(hw_graph_id(g, o.nodes[11]), "v9");
	hw_graph_out(g, 0, &adj, &attr);
	ck_assert_uint_eq(hw_graph_order_edges(&o, 0, &idx), 4);
	ck_assert_str_eq(hw_graph_id(g, adj[idx[0]]), "v1");
	ck_assert_str_eq(hw_graph_id(g, adj[idx[1]]), "v10");
	ck_assert_str_eq(hw_graph_id(g, adj[idx[2]]), "v11");
	ck_assert_str_eq(hw_graph_id(g, adj[idx[3]]), "v2");
	ck_assert_str_eq(hw_graph_attr_type(attr[idx[3]]), "runs_on");
	n = hw_graph_order_edges(&o, 5, &idx);
	ck_assert_uint_eq(n, 0);
	hw_graph_order_release(&o);
	hw_graph_order_release(&o);
	hw_graph_free(g);
}
END_TEST

/* The counts categorize prints: by effective overall level (a lower
 * bound at its level and apart), no own level, raised by a dependent. */
START_TEST(test_graph_category_counts)
{
	/* app (high) -> vm (none) -> host (none); part (C low only);
	 * none (nothing) alone. */
	struct hw_sc own[5] = {sc3(H, H, H), sc3(N, N, N), sc3(N, N, N),
			       sc3(L, N, N), sc3(N, N, N)};
	struct hw_graph_edge e[2] = {{0, 1, CIA, RUNS}, {1, 2, CIA, RUNS}};
	struct hw_graph *g = build(5, own, 2, e);
	struct hw_category_counts c;

	hw_graph_count_categories(g, &c);
	ck_assert_uint_eq(c.count[H], 3);
	ck_assert_uint_eq(c.count[L], 1);
	ck_assert_uint_eq(c.count[M], 0);
	ck_assert_uint_eq(c.count[N], 1);
	ck_assert_uint_eq(c.partial, 1);
	ck_assert_uint_eq(c.own_uncategorized, 3);
	ck_assert_uint_eq(c.raised, 2);
	/* One node: added to what is there. */
	memset(&c, 0, sizeof c);
	hw_graph_count_node(g, 2, &c);
	hw_graph_count_node(g, 3, &c);
	ck_assert_uint_eq(c.count[H], 1);
	ck_assert_uint_eq(c.count[L], 1);
	ck_assert_uint_eq(c.partial, 1);
	ck_assert_uint_eq(c.own_uncategorized, 1);
	ck_assert_uint_eq(c.raised, 1);
	hw_graph_free(g);
}
END_TEST

static Suite *graph_suite(void)
{
	Suite *s = suite_create("graph");
	TCase *core = tcase_create("core"), *errors = tcase_create("errors"),
	      *limits = tcase_create("limits"), *store = tcase_create("store");

	tcase_add_test(core, test_graph_chain_inherits);
	tcase_add_test(core, test_graph_diamond_shortest_raiser);
	tcase_add_test(core, test_graph_carries_mask);
	tcase_add_test(core, test_graph_cycles);
	tcase_add_test(core, test_graph_property_random);
	tcase_add_test(core, test_graph_sort_by_id);
	tcase_add_test(core, test_graph_order);
	tcase_add_test(core, test_graph_category_counts);
	tcase_add_test(core, test_graph_sort_in_threads);
	tcase_add_test(errors, test_graph_build_rejects_bad_edges);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_set_timeout(store, 60);
	tcase_add_test(store, test_graph_closure_equals_whole_graph);
	suite_add_tcase(s, store);
	tcase_set_timeout(limits, 120);
	tcase_add_test(limits, test_graph_million_chain);
	suite_add_tcase(s, core);
	suite_add_tcase(s, errors);
	suite_add_tcase(s, limits);
	return s;
}

int main(void)
{
	return fx_run(graph_suite());
}
