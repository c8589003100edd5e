/*
 * fuzz-snapshot.c: libFuzzer target: the graph's snapshot file is input
 * (graph-snapshot.c).  The input is a snapshot file (the seeds: those the
 * command writes for small databases); it is mapped as a command maps
 * it, and when it is accepted the graph is read as the analyses read
 * it: counts, the impact of a node both ways, the blast radius (its
 * own, kept, and kept anew), the paths that raised each level, owners,
 * the id order.  In this build the
 * checksums and the stamp are not compared (the fuzzer could not get
 * past them to the checks behind), so that every other check is tried.
 */
#include <fcntl.h>

#include "fuzz.h"

static void read_graph(struct hw_graph *g)
{
	static const double weight[HW_LEVEL_HIGH + 1] = {1, 1, 1, 2, 3};
	struct hw_error err = {0};
	struct hw_category_counts c;
	struct hw_impact_opts opts = {-1, 0, HW_DIR_BOTH};
	struct hw_graph_order order;
	struct hw_impact *imp;
	size_t n = hw_graph_size(g), i;
	uint32_t target = 0, path[64];
	double *count = malloc((n + 1) * sizeof *count);
	double *weighted = malloc((n + 1) * sizeof *weighted);
	unsigned char *est = malloc(n + 1);
	const double *kc, *kw;
	const unsigned char *ke;
	int o;

	hw_graph_count_categories(g, &c);
	if (n > 0 && (imp = hw_graph_impact(g, &target, 1, &opts, &err))) {
		hw_impact_sort(g, imp);
		hw_impact_free(imp);
	}
	if (count != NULL && weighted != NULL && est != NULL)
		(void)hw_graph_blast(g, weight, count, weighted, est, &err);
	/* the blast radius it keeps, if any, and one kept anew (its own,
	 * freed with the mapped graph) */
	(void)hw_graph_kept_blast(g, weight, &kc, &kw, &ke);
	if (hw_graph_keep_blast(g, weight, &err) == 0 &&
	    hw_graph_kept_blast(g, weight, &kc, &kw, &ke) != 1)
		abort();
	for (i = 0; i < hw_graph_owner_count(g); i++)
		(void)strlen(hw_graph_owner_name(g, i));
	for (i = 0; i < n && i < 256; i++)
		for (o = 0; o < HW_NOBJ; o++)
			(void)hw_graph_raised_path(g, (uint32_t)i, o, path, 64);
	if (hw_graph_order_init(g, &order, &err) == 0)
		hw_graph_order_release(&order);
	if (n > 0)
		(void)hw_graph_find(g, hw_graph_id(g, 0));
	free(count);
	free(weighted);
	free(est);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hw_stamp any = {{0}, 0, {0}};
	struct hw_error err = {0};
	struct hw_graph *g;
	int fd = open(fz_write("in.db-graph", data, size), O_RDONLY);

	if (fd < 0)
		abort();
	g = hw_graph_snapshot_map(fd, &any, &err);
	close(fd);
	if (g == NULL) {
		fz_check_error(-1, &err);
		return 0;
	}
	read_graph(g);
	hw_graph_free(g);
	return 0;
}
