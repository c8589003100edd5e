/*
 * check-blast.c: the blast radius the risk model multiplies by, on
 * hand-built graphs, against a brute-force reference on random graphs
 * and estimated on large ones.
 */
#include "fixture-risk.h"

/* ------------------------------------------------------------------ */
/* Blast radius                                                        */

/* Level weights that tell members apart: low 1, moderate 10, high 100,
 * uncategorized 1000 (not applicable is never an overall level). */
static const double lw[HW_LEVEL_HIGH + 1] = {1000, 0, 1, 10, 100};

/* A dependent's weight, worked out apart from the library: its highest
 * known level's; none known, the uncategorized weight; a lower bound
 * (some unknown, none HIGH) at least the uncategorized weight. */
static double level_weight(const struct hw_sc *e)
{
	double w = 0;
	int o, known = 0, high = 0;

	for (o = 0; o < HW_NOBJ; o++) {
		enum hw_level l = e->v[o] == HW_LEVEL_NA ? HW_LEVEL_LOW : e->v[o];

		if (l == HW_LEVEL_NONE)
			continue;
		known++;
		high |= l == HW_LEVEL_HIGH;
		if (lw[l] > w)
			w = lw[l];
	}
	if (known == 0 || (known < HW_NOBJ && !high && lw[HW_LEVEL_NONE] > w))
		w = lw[HW_LEVEL_NONE];
	return w;
}

#define build fx_graph

struct blast {
	double *count, *weighted;
	unsigned char *est;
};

static struct blast blast(const struct hw_graph *g)
{
	struct hw_error err = {0};
	size_t n = hw_graph_size(g);
	struct blast b;

	b.count = calloc(n + 1, sizeof *b.count);
	b.weighted = calloc(n + 1, sizeof *b.weighted);
	b.est = calloc(n + 1, 1);
	ck_assert(b.count && b.weighted && b.est);
	ck_assert_msg(hw_graph_blast(g, lw, b.count, b.weighted, b.est,
				     &err) == 0,
		      "%s", err.text);
	return b;
}

static void blast_free(struct blast *b)
{
	free(b->count);
	free(b->weighted);
	free(b->est);
}

static void expect_blast(const struct blast *b, uint32_t v, double count,
			 double weighted)
{
	ck_assert_msg(b->count[v] == count && b->weighted[v] == weighted &&
			  !b->est[v],
		      "v%u: %g dependents weighing %g (estimated %d), want "
		      "%g weighing %g",
		      v, b->count[v], b->weighted[v], b->est[v], count,
		      weighted);
}

START_TEST(test_blast_chain)
{
	/* v0 -> v1 -> v2 -> v3 (v0 depends on v1 ...).  Own L, M, -, H:
	 * effective L, M, M (inherited), H; overall weights 1, 10, 10,
	 * 100. */
	struct hw_sc own[4] = {sc3(L, L, L), sc3(M, M, M), sc3(N, N, N),
			       sc3(H, H, H)};
	struct hw_graph_edge e[3] = {{0, 1, CIA, RUNS}, {1, 2, CIA, RUNS},
				     {2, 3, CIA, RUNS}};
	struct hw_graph *g = build(4, own, 3, e);
	struct blast b = blast(g);

	expect_blast(&b, 0, 0, 0);
	expect_blast(&b, 1, 1, 1);	  /* v0 */
	expect_blast(&b, 2, 2, 1 + 10);	  /* v0, v1 */
	expect_blast(&b, 3, 3, 1 + 10 + 10); /* v0, v1, v2 */
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_diamond_and_disconnected)
{
	/* v0 -> v1, v0 -> v2, v1 -> v3, v2 -> v3: v3 has three dependents,
	 * v0 counted once.  v4 and v5 -> v6 are apart; v7 alone. */
	struct hw_sc own[8] = {sc3(L, L, L), sc3(L, L, L), sc3(L, M, L),
			       sc3(L, L, L), sc3(H, H, H), sc3(N, N, N),
			       sc3(L, L, L), sc3(M, M, M)};
	struct hw_graph_edge e[5] = {{0, 1, CIA, USES},
				     {0, 2, CIA, USES},
				     {1, 3, CIA, USES},
				     {2, 3, CIA, USES},
				     {5, 6, CIA, USES}};
	struct hw_graph *g = build(8, own, 5, e);
	struct blast b = blast(g);

	expect_blast(&b, 0, 0, 0);
	expect_blast(&b, 1, 1, 1);
	expect_blast(&b, 2, 1, 1);
	expect_blast(&b, 3, 3, 1 + 1 + 10); /* v0, v1, v2 (moderate) */
	expect_blast(&b, 4, 0, 0);
	expect_blast(&b, 5, 0, 0);
	expect_blast(&b, 6, 1, 1000); /* v5, uncategorized */
	expect_blast(&b, 7, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_cycles)
{
	/* 2-cycle v0 <-> v1 with v2 -> v0; 4-cycle v3 -> v4 -> v5 -> v6
	 * -> v3 with v7 -> v5 and v6 -> v8 (v8 below the cycle).
	 * Members count each other, not themselves. */
	struct hw_sc own[9] = {sc3(L, L, L), sc3(M, M, M), sc3(L, L, L),
			       sc3(L, L, L), sc3(L, L, L), sc3(L, L, L),
			       sc3(L, L, L), sc3(H, H, H), sc3(L, L, L)};
	struct hw_graph_edge e[8] = {{0, 1, CIA, USES}, {1, 0, CIA, USES},
				     {2, 0, CIA, USES}, {3, 4, CIA, USES},
				     {4, 5, CIA, USES}, {5, 6, CIA, USES},
				     {6, 3, CIA, USES}, {7, 5, CIA, USES}};
	struct hw_graph_edge e2[9];
	struct hw_graph *g = build(9, own, 8, e);
	struct blast b = blast(g);
	uint32_t v;

	/* v0, v1: effective moderate (they share); v2 low. */
	expect_blast(&b, 0, 2, 10 + 1);
	expect_blast(&b, 1, 2, 10 + 1);
	expect_blast(&b, 2, 0, 0);
	/* The 4-cycle inherits high from v7: each member has the other
	 * three and v7: 3 * 100 + 100. */
	for (v = 3; v <= 6; v++)
		expect_blast(&b, v, 4, 400);
	expect_blast(&b, 7, 0, 0);
	expect_blast(&b, 8, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
	/* v6 -> v8: v8 below the cycle gets all five. */
	memcpy(e2, e, sizeof e);
	e2[8] = (struct hw_graph_edge){6, 8, CIA, USES};
	g = build(9, own, 9, e2);
	b = blast(g);
	expect_blast(&b, 8, 5, 500);
	expect_blast(&b, 5, 4, 400);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_needs_categorize)
{
	struct hw_sc own[1] = {sc3(L, L, L)};
	struct hw_error err = {0};
	struct hw_graph *g = hw_graph_build(1, own, 0, NULL, &err);
	double c, wt;
	unsigned char est;

	ck_assert_ptr_nonnull(g);
	ck_assert_int_eq(hw_graph_blast(g, lw, &c, &wt, &est, &err), -1);
	ck_assert_int_eq(err.code, HW_EINVAL);
	hw_graph_free(g);
}
END_TEST

static unsigned rnd_state = 4242;

#define rnd(n) fx_rnd(&rnd_state, (n))

#define MAXN 90

START_TEST(test_blast_property_random)
{
	int round;

	for (round = 0; round < 300; round++) {
		static struct hw_graph_edge e[MAXN * 3];
		struct hw_sc own[MAXN];
		size_t n = 1 + rnd(MAXN), m = n > 1 ? rnd((unsigned)n * 3) : 0;
		size_t k, u, v;
		struct hw_graph *g;
		struct blast b;
		int o;

		/* Dense on small graphs, sparse on larger ones. */
		if (rnd(2))
			m = m / 3;
		for (v = 0; v < n; v++)
			for (o = 0; o < HW_NOBJ; o++)
				own[v].v[o] = rnd(4) == 0 ? N : L + rnd(3);
		for (k = 0; k < m; k++) {
			e[k].from = rnd((unsigned)n);
			e[k].to = rnd((unsigned)n);
			e[k].carries = 1 + rnd(7);
			e[k].type = (int)rnd(HW_DEP_TYPE_COUNT);
			if (e[k].from == e[k].to)
				e[k].to = (e[k].to + 1) % n;
		}
		g = build(n, own, m, e);
		b = blast(g);
		/* Brute force: breadth-first search up the edges (to the
		 * assets depending on v) from each node. */
		for (v = 0; v < n; v++) {
			unsigned char seen[MAXN] = {0};
			uint32_t queue[MAXN];
			size_t head = 0, tail = 0;
			double count = 0, weighted = 0;

			seen[v] = 1;
			queue[tail++] = (uint32_t)v;
			while (head < tail) {
				uint32_t x = queue[head++];

				for (k = 0; k < m; k++)
					if (e[k].to == x && !seen[e[k].from]) {
						seen[e[k].from] = 1;
						queue[tail++] = e[k].from;
					}
			}
			for (u = 0; u < n; u++) {
				if (u == v || !seen[u])
					continue;
				count++;
				weighted += level_weight(
				    hw_graph_effective(g, (uint32_t)u));
			}
			ck_assert_msg(b.count[v] == count &&
					  b.weighted[v] == weighted &&
					  !b.est[v],
				      "round %d, n %zu, m %zu, v%zu: %g "
				      "weighing %g, want %g weighing %g",
				      round, n, m, v, b.count[v],
				      b.weighted[v], count, weighted);
		}
		blast_free(&b);
		hw_graph_free(g);
	}
}
END_TEST

/* A star: leaves v1..vn all depend on v0 (levels low, moderate, high in
 * turn). */
static struct hw_graph *star(size_t leaves)
{
	struct hw_sc *own = calloc(leaves + 1, sizeof *own);
	struct hw_graph_edge *e = calloc(leaves, sizeof *e);
	struct hw_graph *g;
	size_t i;

	ck_assert(own && e);
	own[0] = sc3(L, L, L);
	for (i = 1; i <= leaves; i++) {
		enum hw_level l = (enum hw_level)(L + i % 3);

		own[i] = sc3(l, l, l);
		e[i - 1] = (struct hw_graph_edge){(uint32_t)i, 0, CIA, RUNS};
	}
	g = build(leaves + 1, own, leaves, e);
	free(own);
	free(e);
	return g;
}

START_TEST(test_blast_exact_limit)
{
	/* 126 dependents: exact; 127: estimated (the CLI marks "~" past
	 * 126). */
	struct hw_graph *g = star(126);
	struct blast b = blast(g);

	/* 42 of each level: 42 * (1 + 10 + 100) = 4662 */
	expect_blast(&b, 0, 126, 4662);
	expect_blast(&b, 1, 0, 0);
	blast_free(&b);
	hw_graph_free(g);
	g = star(127);
	b = blast(g);
	ck_assert_int_eq(b.est[0], 1);
	ck_assert(fabs(b.count[0] - 127) <= 0.25 * 127);
	ck_assert_int_eq(b.est[1], 0);
	blast_free(&b);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_blast_large_estimated)
{
	/* 20,000 dependents of one node: estimated within 25%. */
	size_t n = 20000, i, k;
	struct hw_graph *g = star(n);
	struct blast b = blast(g);
	double want;
	struct hw_sc *own;
	struct hw_graph_edge *e;
	size_t layer = 10000, mid = 5, m;

	/* 20000 = 3 * 6666 + 2: leaves i % 3 == 1, 2, 0 give moderate,
	 * high, low; 6667 moderate, 6667 high, 6666 low. */
	want = 6667.0 * 10 + 6667.0 * 100 + 6666.0 * 1;
	ck_assert_int_eq(b.est[0], 1);
	ck_assert_msg(fabs(b.count[0] - 20000) <= 0.25 * 20000,
		      "estimated %g dependents of 20000", b.count[0]);
	ck_assert_msg(fabs(b.weighted[0] - want) <= 0.25 * want,
		      "estimated weight %g of %g", b.weighted[0], want);
	ck_assert_int_eq(b.est[5], 0);
	ck_assert(b.count[5] == 0);
	blast_free(&b);
	hw_graph_free(g);
	/* Layers: 10,000 top nodes each depend on all 5 middle nodes,
	 * which depend on one bottom node: the bottom has 10,005 (each top
	 * node once, not five times), a middle one 10,000. */
	m = layer * mid + mid;
	own = calloc(layer + mid + 1, sizeof *own);
	e = calloc(m, sizeof *e);
	ck_assert(own && e);
	for (i = 0; i < layer + mid + 1; i++)
		own[i] = sc3(L, L, L);
	m = 0;
	for (i = 0; i < layer; i++)
		for (k = 0; k < mid; k++)
			e[m++] = (struct hw_graph_edge){
			    (uint32_t)i, (uint32_t)(layer + k), CIA, USES};
	for (k = 0; k < mid; k++)
		e[m++] = (struct hw_graph_edge){(uint32_t)(layer + k),
						(uint32_t)(layer + mid), CIA,
						RUNS};
	g = build(layer + mid + 1, own, m, e);
	b = blast(g);
	for (k = 0; k <= mid; k++) {
		double c = k < mid ? (double)layer : (double)(layer + mid);

		ck_assert_int_eq(b.est[layer + k], 1);
		ck_assert_msg(fabs(b.count[layer + k] - c) <= 0.25 * c,
			      "node %zu: estimated %g of %g", layer + k,
			      b.count[layer + k], c);
		ck_assert_msg(fabs(b.weighted[layer + k] - c) <= 0.25 * c,
			      "node %zu: estimated weight %g of %g",
			      layer + k, b.weighted[layer + k], c);
	}
	ck_assert_int_eq(b.est[0], 0);
	ck_assert(b.count[0] == 0);
	blast_free(&b);
	hw_graph_free(g);
	free(own);
	free(e);
}
END_TEST

static Suite *blast_suite(void)
{
	Suite *s = suite_create("blast");
	TCase *bl = tcase_create("blast");

	tcase_add_test(bl, test_blast_chain);
	tcase_add_test(bl, test_blast_diamond_and_disconnected);
	tcase_add_test(bl, test_blast_cycles);
	tcase_add_test(bl, test_blast_needs_categorize);
	tcase_add_test(bl, test_blast_property_random);
	tcase_add_test(bl, test_blast_exact_limit);
	tcase_add_test(bl, test_blast_large_estimated);
	tcase_set_timeout(bl, 120);
	suite_add_tcase(s, bl);
	return s;
}

int main(void)
{
	return fx_run(blast_suite());
}
