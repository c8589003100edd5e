/*
 * warm.c: the service's warm graph: the whole graph, loaded and
 * categorized once, kept with the inventory's generation it was loaded
 * at, and loaded again when a request finds the generation moved (a
 * write through the service, or from the CLI or the sqlite3 shell
 * beside it).
 */
#include "answer.h"
#include "serve-private.h"

struct hw_graph *hws_graph(struct hws_req *r, struct hw_error *err)
{
	struct hws_server *srv = hws_conn_of(r)->srv;
	long long gen;

	/* The generation first, then the graph: a write between the two
	 * leaves a graph newer than the generation kept, which the next
	 * request loads again; never one older. */
	if (hw_store_generation(r->st, &gen, err) < 0)
		return NULL;
	if (srv->warm != NULL && srv->warm_gen == gen)
		return srv->warm;
	/* Stale: loaded again on demand, the old one freed first (two
	 * whole graphs at once would double the service's memory).  A
	 * request holding the store lock waits for the load; issue 14's
	 * concurrent reads would load in the background instead, the old
	 * graph answering meanwhile (hw_graph_ref keeps it alive for the
	 * requests reading it). */
	hw_graph_free(srv->warm);
	srv->warm = hw_graph_load(r->st, err);
	if (srv->warm != NULL && hw_graph_categorize(srv->warm, err) < 0) {
		hw_graph_free(srv->warm);
		srv->warm = NULL;
	}
	srv->warm_gen = gen;
	return srv->warm;
}
