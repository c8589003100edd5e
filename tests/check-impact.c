/*
 * check-impact.c: the change impact (impact.c): the search in every
 * direction with depth and type limits, and the summary the change
 * advisory board reads: counts by level, lower bounds, the owners to
 * notify, the business services touched, and the route with its name.
 */
#include "fixture.h"

#define L HW_LEVEL_LOW
#define M HW_LEVEL_MODERATE
#define H HW_LEVEL_HIGH
#define N HW_LEVEL_NONE

#define sc3 fx_sc3
#define build fx_graph
#define impact(...) fx_impact(__VA_ARGS__)

#define CIA HW_CARRY_ALL
#define RUNS 0 /* runs_on */
#define USES 1 /* uses */

/* Summarize into sum, releasing what it held. */
static void summarize(const struct hw_graph *g, const struct hw_impact *imp,
		      enum hw_level full, enum hw_level review,
		      struct hw_impact_summary *sum)
{
	struct hw_error err = {0};

	hw_impact_summary_release(sum);
	ck_assert_msg(hw_impact_summarize(g, imp, full, review, sum, &err) == 0,
		      "%s", err.text);
}

START_TEST(test_impact_directions_depth_types)
{
	/* svc -uses-> app -runs_on-> vm -runs_on-> host; app2 -uses-> vm */
	struct hw_sc own[5] = {sc3(H, H, H), sc3(M, M, M), sc3(N, N, N),
			       sc3(N, N, N), sc3(L, L, L)};
	struct hw_graph_edge e[4] = {{0, 1, CIA, USES},
				     {1, 2, CIA, RUNS},
				     {2, 3, CIA, RUNS},
				     {4, 2, CIA, USES}};
	struct hw_graph *g = build(5, own, 4, e);
	struct hw_impact *imp;
	struct hw_impact_summary sum = {0};
	uint32_t t = 3, t2[2] = {1, 4}, path[8];

	imp = impact(g, &t, 1, -1, 0, HW_DIR_UP);
	ck_assert_uint_eq(imp->count, 5);
	ck_assert_uint_eq(imp->dist[0], 3);
	ck_assert_uint_eq(imp->dist[4], 2);
	ck_assert_uint_eq(hw_impact_path(imp, 0, path, 8), 4);
	ck_assert_uint_eq(path[0], 3);
	ck_assert_uint_eq(path[3], 0);
	summarize(g, imp, H, M, &sum);
	ck_assert_int_eq(sum.route, HW_ROUTE_FULL_CAB);
	ck_assert_uint_eq(sum.nservices, 0);
	ck_assert_uint_eq(sum.nowners, 0);
	ck_assert_uint_eq(sum.unowned.count, 5);
	ck_assert_uint_eq(sum.count[H], 4); /* host inherits high */
	hw_impact_free(imp);
	/* Depth 1: only the vm. */
	imp = impact(g, &t, 1, 1, 0, HW_DIR_UP);
	ck_assert_uint_eq(imp->count, 2);
	hw_impact_free(imp);
	/* Only runs_on: svc and app2 are reached through uses. */
	imp = impact(g, &t, 1, -1, 1u << RUNS, HW_DIR_UP);
	ck_assert_uint_eq(imp->count, 3);
	ck_assert_uint_eq(imp->dist[0], HW_NOT_MEMBER);
	hw_impact_free(imp);
	/* Down from app: vm and host. */
	t = 1;
	imp = impact(g, &t, 1, -1, 0, HW_DIR_DOWN);
	ck_assert_uint_eq(imp->count, 3);
	ck_assert_uint_eq(imp->dist[3], 2);
	hw_impact_free(imp);
	/* Both from app: what depends on it and what it relies on, but not
	 * app2, which only shares its vm. */
	imp = impact(g, &t, 1, -1, 0, HW_DIR_BOTH);
	ck_assert_uint_eq(imp->count, 4);
	ck_assert_uint_eq(imp->dist[4], HW_NOT_MEMBER);
	ck_assert_uint_eq(imp->dist[0], 1);
	ck_assert_uint_eq(imp->down[3], 1);
	ck_assert_uint_eq(hw_impact_path(imp, 3, path, 8), 3);
	ck_assert_uint_eq(path[1], 2);
	hw_impact_free(imp);
	/* Several targets: distance from the nearest. */
	imp = impact(g, t2, 2, -1, 0, HW_DIR_DOWN);
	ck_assert_uint_eq(imp->count, 4);
	ck_assert_uint_eq(imp->dist[2], 1);
	hw_impact_free(imp);
	/* Standard route when only low is touched. */
	t = 4;
	imp = impact(g, &t, 1, 0, 0, HW_DIR_UP);
	summarize(g, imp, H, M, &sum);
	ck_assert_int_eq(sum.route, HW_ROUTE_STANDARD);
	summarize(g, imp, H, L, &sum);
	ck_assert_int_eq(sum.route, HW_ROUTE_CAB_REVIEW);
	hw_impact_free(imp);
	hw_impact_summary_release(&sum);
	hw_graph_free(g);
}
END_TEST

/* A partly categorized member counts at its lower bound and apart; it
 * calls for a review even below the review threshold, as one with no
 * level does.  One HIGH objective is no lower bound. */
START_TEST(test_impact_partial_members)
{
	/* part (C low only) <- user (I high only); none (nothing) alone */
	struct hw_sc own[3] = {sc3(L, N, N), sc3(N, H, N), sc3(N, N, N)};
	struct hw_graph_edge e[1] = {{1, 0, HW_CARRY_C, USES}};
	struct hw_graph *g = build(3, own, 1, e);
	struct hw_impact *imp;
	struct hw_impact_summary sum = {0};
	uint32_t t = 0;

	imp = impact(g, &t, 1, 0, 0, HW_DIR_UP);
	summarize(g, imp, H, H, &sum);
	ck_assert_uint_eq(sum.count[L], 1);
	ck_assert_uint_eq(sum.count[N], 0);
	ck_assert_uint_eq(sum.partial, 1);
	ck_assert_int_eq(sum.route, HW_ROUTE_CAB_REVIEW);
	ck_assert_str_eq(hw_impact_route_why(&sum, H),
			 "some touched assets are partly categorized: their "
			 "level is a lower bound");
	hw_impact_free(imp);
	/* With its HIGH dependent: HIGH counts exactly, the part still a
	 * lower bound. */
	imp = impact(g, &t, 1, -1, 0, HW_DIR_UP);
	summarize(g, imp, H, M, &sum);
	ck_assert_uint_eq(imp->count, 2);
	ck_assert_uint_eq(sum.count[H], 1);
	ck_assert_uint_eq(sum.count[L], 1);
	ck_assert_uint_eq(sum.partial, 1);
	ck_assert_int_eq(sum.route, HW_ROUTE_FULL_CAB);
	hw_impact_free(imp);
	/* No level at all: uncategorized, not partly. */
	t = 2;
	imp = impact(g, &t, 1, 0, 0, HW_DIR_UP);
	summarize(g, imp, H, M, &sum);
	ck_assert_uint_eq(sum.count[N], 1);
	ck_assert_uint_eq(sum.partial, 0);
	ck_assert_int_eq(sum.route, HW_ROUTE_CAB_REVIEW);
	hw_impact_free(imp);
	hw_impact_summary_release(&sum);
	hw_graph_free(g);
}
END_TEST

START_TEST(test_impact_route_names)
{
	ck_assert_str_eq(hw_route_name(HW_ROUTE_STANDARD), "standard");
	ck_assert_str_eq(hw_route_name(HW_ROUTE_CAB_REVIEW), "cab-review");
	ck_assert_str_eq(hw_route_name(HW_ROUTE_FULL_CAB), "full-cab");
	ck_assert_int_lt(HW_ROUTE_STANDARD, HW_ROUTE_CAB_REVIEW);
	ck_assert_int_lt(HW_ROUTE_CAB_REVIEW, HW_ROUTE_FULL_CAB);
}
END_TEST

/* Owners and business services, from a store: svc-b and svc-a (business
 * services) use app, which runs on vm; app and svc-a share an owner, vm
 * has none. */
static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1, \"assets\": ["
    "{\"id\": \"vm\", \"name\": \"VM\", \"type\": \"virtual_machine\", "
    "\"confidentiality\": \"low\", \"integrity\": \"low\", "
    "\"availability\": \"low\"},"
    "{\"id\": \"app\", \"name\": \"App\", \"type\": \"application\", "
    "\"owner\": \"zed@example.org\"},"
    "{\"id\": \"svc-b\", \"name\": \"Service B\", "
    "\"type\": \"business_service\", \"owner\": \"amy@example.org\", "
    "\"availability\": \"high\"},"
    "{\"id\": \"svc-a\", \"name\": \"Service A\", "
    "\"type\": \"business_service\", \"owner\": \"zed@example.org\", "
    "\"integrity\": \"moderate\"}],"
    "\"dependencies\": ["
    "{\"from\": \"app\", \"to\": \"vm\", \"type\": \"runs_on\"},"
    "{\"from\": \"svc-b\", \"to\": \"app\", \"type\": \"uses\"},"
    "{\"from\": \"svc-a\", \"to\": \"app\", \"type\": \"uses\"}]}";

START_TEST(test_impact_summary_owners_services)
{
	struct hw_error err = {0};
	struct hw_impact_summary sum = {0};
	struct hw_graph *g;
	struct hw_impact *imp;
	const char *target = "vm";
	uint32_t t;
	long v;

	ck_assert_msg(hw_import_json(fx_st, fx_write("inv.json", inventory), 0,
				     0, NULL, NULL, NULL, &err) == 0,
		      "%s", err.text);
	g = hw_graph_load_up(fx_st, &target, 1, 1000, &err);
	ck_assert_msg(g != NULL, "%s", err.text);
	ck_assert_int_eq(hw_graph_categorize(g, &err), 0);
	v = hw_graph_find(g, "vm");
	ck_assert_int_ge(v, 0);
	t = (uint32_t)v;
	imp = impact(g, &t, 1, -1, 0, HW_DIR_UP);
	ck_assert_uint_eq(imp->count, 4);
	summarize(g, imp, H, M, &sum);
	/* Owners to notify: distinct, by name; the ownerless apart. */
	ck_assert_uint_eq(sum.nowners, 2);
	ck_assert_str_eq(sum.owners[0].name, "amy@example.org");
	ck_assert_uint_eq(sum.owners[0].count, 1);
	ck_assert_uint_eq(sum.owners[0].by[H], 1);
	ck_assert_str_eq(sum.owners[1].name, "zed@example.org");
	ck_assert_uint_eq(sum.owners[1].count, 2);
	ck_assert_uint_eq(sum.owners[1].by[H], 1); /* app, raised by svc-b */
	ck_assert_uint_eq(sum.owners[1].by[M], 1); /* svc-a */
	ck_assert_int_eq(
	    sum.owners[1].index,
	    hw_graph_owner_index(g, (uint32_t)hw_graph_find(g, "app")));
	ck_assert_ptr_null(sum.unowned.name);
	ck_assert_int_eq(sum.unowned.index, -1);
	ck_assert_uint_eq(sum.unowned.count, 1);
	ck_assert_uint_eq(sum.unowned.by[H], 1); /* vm inherits high */
	/* Business services: by id. */
	ck_assert_uint_eq(sum.nservices, 2);
	ck_assert_str_eq(hw_graph_id(g, sum.services[0]), "svc-a");
	ck_assert_str_eq(hw_graph_id(g, sum.services[1]), "svc-b");
	/* The route, and the thresholds it was made with. */
	ck_assert_int_eq(sum.route, HW_ROUTE_FULL_CAB);
	ck_assert_int_eq(sum.full_cab, H);
	ck_assert_int_eq(sum.cab_review, M);
	ck_assert_uint_eq(sum.count[H], 3);
	ck_assert_uint_eq(sum.count[M], 1);
	/* Depth 1 from vm: vm and app only, one owner, no service. */
	hw_impact_free(imp);
	imp = impact(g, &t, 1, 1, 0, HW_DIR_UP);
	summarize(g, imp, H, M, &sum);
	ck_assert_uint_eq(sum.nowners, 1);
	ck_assert_str_eq(sum.owners[0].name, "zed@example.org");
	ck_assert_uint_eq(sum.nservices, 0);
	/* Released twice is harmless; the counts stay. */
	hw_impact_summary_release(&sum);
	hw_impact_summary_release(&sum);
	ck_assert_ptr_null(sum.owners);
	ck_assert_ptr_null(sum.services);
	ck_assert_uint_eq(sum.count[H], 2);
	hw_impact_free(imp);
	hw_graph_free(g);
}
END_TEST

static Suite *impact_suite(void)
{
	Suite *s = suite_create("impact");
	TCase *core = tcase_create("core"), *store = tcase_create("store");

	tcase_add_test(core, test_impact_directions_depth_types);
	tcase_add_test(core, test_impact_partial_members);
	tcase_add_test(core, test_impact_route_names);
	tcase_add_checked_fixture(store, fx_setup, fx_teardown);
	tcase_add_test(store, test_impact_summary_owners_services);
	suite_add_tcase(s, core);
	suite_add_tcase(s, store);
	return s;
}

int main(void)
{
	return fx_run(impact_suite());
}
