/*
 * check-graph-snapshot.c: the graph's snapshot file (graph-snapshot.c):
 * a graph written and mapped back answers exactly as the graph it was
 * written from (every node's attributes, levels, raisers and paths,
 * edges, impacts both ways, blast radius) on random graphs with cycles;
 * another stamp is refused as stale; every truncation and every flipped
 * byte of a snapshot is refused.  The command line's use of it, and
 * damaged files in place, are tests/cli/snapshot.sh's.
 */
#include <fcntl.h>
#include <sys/stat.h>

#include "fixture.h"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/hw-snap-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *file(const char *name)
{
	static char buf[2][128];
	static int k;

	k = !k;
	snprintf(buf[k], sizeof buf[k], "%s/%s", dir, name);
	return buf[k];
}

static const struct hw_stamp stamp = {
    "0b3f3c9e-6a34-4c8e-9d4f-2f6a1e5d7c21", 42, {1, 2, 3, 4, 5, 6, 7, 8}};

/* Write g to path; its size. */
static size_t write_snapshot(struct hw_graph *g, const char *path)
{
	struct hw_error err = {0};
	struct stat sb;
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	ck_assert_int_ge(fd, 0);
	ck_assert_msg(hw_graph_snapshot_write(g, &stamp, fd, &err) == 0, "%s",
		      err.text);
	ck_assert_int_eq(fstat(fd, &sb), 0);
	close(fd);
	return (size_t)sb.st_size;
}

/* Map path with want: the graph, or NULL with *err. */
static struct hw_graph *map(const char *path, const struct hw_stamp *want,
			    struct hw_error *err)
{
	int fd = open(path, O_RDONLY);
	struct hw_graph *g;

	ck_assert_int_ge(fd, 0);
	g = hw_graph_snapshot_map(fd, want, err);
	close(fd);
	return g;
}

static void same_impact(const struct hw_graph *a, const struct hw_graph *b,
			uint32_t t, enum hw_direction d)
{
	struct hw_impact *x = fx_impact(a, &t, 1, -1, 0, d);
	struct hw_impact *y = fx_impact(b, &t, 1, -1, 0, d);
	size_t i;

	hw_impact_sort(a, x);
	hw_impact_sort(b, y);
	ck_assert_uint_eq(x->count, y->count);
	for (i = 0; i < x->count; i++) {
		ck_assert_uint_eq(x->members[i], y->members[i]);
		ck_assert_uint_eq(x->dist[x->members[i]],
				  y->dist[y->members[i]]);
	}
	hw_impact_free(x);
	hw_impact_free(y);
}

/* a and b answer alike, node by node. */
static void same_graph(const struct hw_graph *a, const struct hw_graph *b)
{
	static const double w[HW_LEVEL_HIGH + 1] = {1, 0.5, 1, 2, 4};
	size_t n = hw_graph_size(a), v, k;
	uint32_t pa[64], pb[64];
	double ca[64], cb[64], wa[64], wb[64];
	unsigned char ea[64], eb[64];
	struct hw_error err = {0};
	int o;

	ck_assert_uint_eq(hw_graph_size(b), n);
	ck_assert_uint_eq(hw_graph_edges(b), hw_graph_edges(a));
	for (v = 0; v < n; v++) {
		const uint32_t *adj_a, *adj_b;
		const uint8_t *at_a, *at_b;
		size_t da = hw_graph_out(a, (uint32_t)v, &adj_a, &at_a);
		size_t db = hw_graph_out(b, (uint32_t)v, &adj_b, &at_b);

		ck_assert_str_eq(hw_graph_id(a, v), hw_graph_id(b, v));
		ck_assert_str_eq(hw_graph_name(a, v), hw_graph_name(b, v));
		ck_assert_str_eq(hw_graph_type(a, v), hw_graph_type(b, v));
		ck_assert_int_eq(hw_graph_owner_index(a, v),
				 hw_graph_owner_index(b, v));
		ck_assert_mem_eq(hw_graph_own(a, v), hw_graph_own(b, v),
				 sizeof(struct hw_sc));
		ck_assert_mem_eq(hw_graph_effective(a, v),
				 hw_graph_effective(b, v), sizeof(struct hw_sc));
		ck_assert_int_eq(hw_graph_on_cycle(a, v),
				 hw_graph_on_cycle(b, v));
		for (o = 0; o < HW_NOBJ; o++) {
			size_t la = hw_graph_raised_path(a, v, o, pa, 64);

			ck_assert_int_eq(hw_graph_raised_by(a, v, o),
					 hw_graph_raised_by(b, v, o));
			ck_assert_uint_eq(hw_graph_raised_path(b, v, o, pb, 64),
					  la);
			ck_assert_mem_eq(pa, pb, (la < 64 ? la : 64) * 4);
		}
		ck_assert_uint_eq(da, db);
		for (k = 0; k < da; k++) {
			ck_assert_uint_eq(adj_a[k], adj_b[k]);
			ck_assert_uint_eq(at_a[k], at_b[k]);
		}
		if (v % 7 == 0) {
			same_impact(a, b, (uint32_t)v, HW_DIR_UP);
			same_impact(a, b, (uint32_t)v, HW_DIR_BOTH);
		}
	}
	ck_assert_uint_le(n, 64);
	ck_assert_int_eq(hw_graph_blast(a, w, ca, wa, ea, &err), 0);
	ck_assert_int_eq(hw_graph_blast(b, w, cb, wb, eb, &err), 0);
	ck_assert_mem_eq(ca, cb, n * sizeof *ca);
	ck_assert_mem_eq(wa, wb, n * sizeof *wa);
	ck_assert_mem_eq(ea, eb, n);
}

/* A random graph of n nodes with cycles, categorized. */
static struct hw_graph *random_graph(unsigned *seed, size_t n)
{
	struct hw_graph_edge e[64 * 3];
	struct hw_sc own[64];
	size_t m = fx_rnd(seed, (unsigned)n * 3), k, v;
	int o;

	for (v = 0; v < n; v++)
		for (o = 0; o < HW_NOBJ; o++)
			own[v].v[o] = fx_rnd(seed, 4) == 0
					  ? HW_LEVEL_NONE
					  : HW_LEVEL_LOW + fx_rnd(seed, 3);
	for (k = 0; k < m; k++) {
		e[k].from = fx_rnd(seed, (unsigned)n);
		e[k].to = (e[k].from + 1 + fx_rnd(seed, (unsigned)n - 1)) % n;
		e[k].carries = 1 + fx_rnd(seed, 7);
		e[k].type = (int)fx_rnd(seed, HW_DEP_TYPE_COUNT);
	}
	return fx_graph(n, own, m, e);
}

START_TEST(test_snapshot_roundtrip_random)
{
	unsigned seed = 17;
	int round;

	for (round = 0; round < 200; round++) {
		struct hw_error err = {0};
		struct hw_graph *g = random_graph(&seed, 2 + fx_rnd(&seed, 60));
		struct hw_graph *s;

		write_snapshot(g, file("g"));
		s = map(file("g"), &stamp, &err);
		ck_assert_msg(s != NULL, "round %d: %s", round, err.text);
		same_graph(g, s);
		ck_assert_int_eq(hw_graph_find(s, "v1"), 1);
		ck_assert_int_eq(hw_graph_find(s, "nope"), -1);
		hw_graph_free(s);
		hw_graph_free(g);
	}
}
END_TEST

START_TEST(test_snapshot_other_stamp_is_stale)
{
	unsigned seed = 5;
	struct hw_graph *g = random_graph(&seed, 20);
	struct hw_stamp other;
	struct hw_error err = {0};
	int k;

	write_snapshot(g, file("g"));
	for (k = 0; k < 3; k++) {
		other = stamp;
		if (k == 0)
			other.generation++;
		else if (k == 1)
			other.tag[7] ^= 1;
		else
			other.database_id[0] = 'f';
		hw_error_clear(&err);
		ck_assert_ptr_null(map(file("g"), &other, &err));
		ck_assert_int_eq(err.code, HW_EREFUSED);
		ck_assert_str_eq(err.text, "graph snapshot stale: made at "
					   "another state of the inventory");
	}
	hw_graph_free(g);
}
END_TEST

/* Read path whole into a new buffer of *size bytes. */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;
	struct stat sb;

	ck_assert_ptr_nonnull(fp);
	ck_assert_int_eq(fstat(fileno(fp), &sb), 0);
	*size = (size_t)sb.st_size;
	buf = malloc(*size);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, *size, fp), *size);
	fclose(fp);
	return buf;
}

static void spit(const char *path, const unsigned char *buf, size_t size)
{
	FILE *fp = fopen(path, "wb");

	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(buf, 1, size, fp), size);
	ck_assert_int_eq(fclose(fp), 0);
}

START_TEST(test_snapshot_every_truncation_refused)
{
	unsigned seed = 9;
	struct hw_graph *g = random_graph(&seed, 30);
	struct hw_error err = {0};
	unsigned char *buf;
	size_t size, len;

	write_snapshot(g, file("g"));
	buf = slurp(file("g"), &size);
	for (len = 0; len < size; len++) {
		spit(file("t"), buf, len);
		hw_error_clear(&err);
		ck_assert_msg(map(file("t"), &stamp, &err) == NULL,
			      "truncated to %zu of %zu bytes: accepted", len,
			      size);
		/* (without all of its magic it is no snapshot at all) */
		ck_assert_int_eq(err.code, len < 8 ? HW_ENOTHW : HW_EDAMAGED);
		ck_assert_ptr_null(strchr(err.text, '\n'));
	}
	free(buf);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_snapshot_every_flipped_byte_refused)
{
	unsigned seed = 11;
	struct hw_graph *g = random_graph(&seed, 30);
	struct hw_error err = {0};
	unsigned char *buf;
	size_t size, at;

	write_snapshot(g, file("g"));
	buf = slurp(file("g"), &size);
	for (at = 0; at < size; at++) {
		buf[at] ^= 0x40;
		spit(file("t"), buf, size);
		buf[at] ^= 0x40;
		hw_error_clear(&err);
		ck_assert_msg(map(file("t"), &stamp, &err) == NULL,
			      "byte %zu of %zu flipped: accepted", at, size);
		ck_assert_int_eq(err.code, at < 8 ? HW_ENOTHW : HW_EDAMAGED);
	}
	/* and the file itself, unflipped, maps */
	spit(file("t"), buf, size);
	g = (hw_graph_free(g), map(file("t"), &stamp, &err));
	ck_assert_ptr_nonnull(g);
	hw_graph_free(g);
	free(buf);
}
END_TEST

START_TEST(test_snapshot_foreign_file_refused)
{
	struct hw_error err = {0};
	static const unsigned char text[] = "HWGRAPH\nnot a snapshot at all, "
					    "though it starts like one";

	spit(file("t"), text, sizeof text);
	ck_assert_ptr_null(map(file("t"), &stamp, &err));
	ck_assert_int_eq(err.code, HW_EDAMAGED);
	ck_assert_str_eq(err.text, "graph snapshot refused: shorter than its "
				   "header");
	spit(file("t"), (const unsigned char *)"", 0);
	hw_error_clear(&err);
	ck_assert_ptr_null(map(file("t"), &stamp, &err));
	ck_assert_int_eq(err.code, HW_ENOTHW);
	ck_assert_str_eq(err.text, "graph snapshot refused: not a highwater "
				   "graph snapshot");
}
END_TEST

START_TEST(test_snapshot_empty_graph)
{
	struct hw_error err = {0};
	struct hw_graph *g = fx_graph(0, NULL, 0, NULL), *s;

	write_snapshot(g, file("g"));
	s = map(file("g"), &stamp, &err);
	ck_assert_msg(s != NULL, "%s", err.text);
	ck_assert_uint_eq(hw_graph_size(s), 0);
	ck_assert_uint_eq(hw_graph_edges(s), 0);
	hw_graph_free(s);
	hw_graph_free(g);
}
END_TEST

/* The blast radius a graph keeps at some weights goes into its snapshot
 * and comes back at those weights only; one computed on a mapped graph
 * (hw_graph_keep_blast) is its own, freed with it. */
START_TEST(test_snapshot_keeps_blast)
{
	static const double w1[HW_LEVEL_HIGH + 1] = {2, 1, 1, 2, 3};
	static const double w2[HW_LEVEL_HIGH + 1] = {3, 1, 1, 2, 3};
	unsigned seed = 23;
	struct hw_graph *g = random_graph(&seed, 50), *s;
	struct hw_error err = {0};
	const double *c, *w;
	const unsigned char *e;
	double cnt[64], wt[64];
	unsigned char est[64];
	size_t n = hw_graph_size(g);

	ck_assert_int_eq(hw_graph_kept_blast(g, w1, &c, &w, &e), 0);
	ck_assert_int_eq(hw_graph_keep_blast(g, w1, &err), 0);
	ck_assert_int_eq(hw_graph_kept_blast(g, w1, &c, &w, &e), 1);
	ck_assert_int_eq(hw_graph_kept_blast(g, w2, &c, &w, &e), 0);
	write_snapshot(g, file("g"));
	s = map(file("g"), &stamp, &err);
	ck_assert_msg(s != NULL, "%s", err.text);
	ck_assert_int_eq(hw_graph_kept_blast(s, w2, &c, &w, &e), 0);
	ck_assert_int_eq(hw_graph_kept_blast(s, w1, &c, &w, &e), 1);
	ck_assert_int_eq(hw_graph_blast(g, w1, cnt, wt, est, &err), 0);
	ck_assert_mem_eq(c, cnt, n * sizeof *cnt);
	ck_assert_mem_eq(w, wt, n * sizeof *wt);
	ck_assert_mem_eq(e, est, n);
	/* other weights on the mapped graph: computed, its own */
	ck_assert_int_eq(hw_graph_keep_blast(s, w2, &err), 0);
	ck_assert_int_eq(hw_graph_kept_blast(s, w2, &c, &w, &e), 1);
	ck_assert_int_eq(hw_graph_blast(g, w2, cnt, wt, est, &err), 0);
	ck_assert_mem_eq(w, wt, n * sizeof *wt);
	hw_graph_free(s);
	hw_graph_free(g);
}
END_TEST

static Suite *snapshot_suite(void)
{
	Suite *s = suite_create("graph-snapshot");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_snapshot_roundtrip_random);
	tcase_add_test(tc, test_snapshot_other_stamp_is_stale);
	tcase_add_test(tc, test_snapshot_every_truncation_refused);
	tcase_add_test(tc, test_snapshot_every_flipped_byte_refused);
	tcase_add_test(tc, test_snapshot_foreign_file_refused);
	tcase_add_test(tc, test_snapshot_empty_graph);
	tcase_add_test(tc, test_snapshot_keeps_blast);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return fx_run(snapshot_suite());
}
