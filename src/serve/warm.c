/*
 * warm.c: the service's warm graph: the whole graph, loaded and
 * categorized once, shared by the requests, kept with the inventory's
 * generation it was read at.  A request that finds the generation moved
 * past it (a write through the service, or from the CLI or the sqlite3
 * shell beside it) has it loaded again, one load at a time: requests
 * that arrive meanwhile wait for that load, while those already holding
 * the old graph finish with it (each request holds the graph it was
 * given until it ends: the last holder frees it).  A question about
 * a few assets' upward impact does not wait for that load: it reads
 * their closure as the command line does.
 */
#include <pthread.h>

#include "answer.h"
#include "serve-private.h"

/* The whole graph as of one read snapshot, its generation into *at,
 * categorized and ready to be shared; a line in the log says what it
 * took. */
static struct hw_graph *load(const struct hws_server *srv, struct hw_store *st,
			     long long *at, struct hw_error *err)
{
	struct hw_graph *g;
	struct timespec t;
	long read_ms, cat_ms, index_ms;

	clock_gettime(CLOCK_MONOTONIC, &t);
	if (hw_store_read_begin(st, at, err) < 0)
		return NULL;
	g = hw_graph_load(st, err);
	hw_store_read_end(st);
	if (g == NULL)
		return NULL;
	read_ms = hws_ms_since(&t);
	if (hw_graph_categorize(g, err) < 0)
		goto fail;
	cat_ms = hws_ms_since(&t) - read_ms;
	if (hw_graph_freeze(g, err) < 0)
		goto fail;
	index_ms = hws_ms_since(&t) - read_ms - cat_ms;
	hws_logf(srv,
		 "graph loaded at generation %lld: %zu assets, %zu "
		 "dependencies in %ld ms (read %ld, categorize %ld, index %ld)",
		 *at, hw_graph_size(g), hw_graph_edges(g),
		 read_ms + cat_ms + index_ms, read_ms, cat_ms, index_ms);
	return g;
fail:
	hw_graph_free(g);
	return NULL;
}

/* Is the warm graph at generation gen or later (srv->warm_lock held)? */
static int fresh(const struct hws_server *srv, long long gen)
{
	return srv->warm != NULL && srv->warm_gen >= gen;
}

/* A graph at generation gen or later (srv->warm_lock held). */
static int current(struct hws_server *srv, long long gen, struct hw_store *st,
		   struct hw_error *err)
{
	struct hw_graph *g;
	long long at;

	while (!fresh(srv, gen)) {
		if (srv->warm_loading) {
			pthread_cond_wait(&srv->warm_loaded, &srv->warm_lock);
			continue;
		}
		srv->warm_loading = 1;
		pthread_mutex_unlock(&srv->warm_lock);
		g = load(srv, st, &at, err);
		pthread_mutex_lock(&srv->warm_lock);
		srv->warm_loading = 0;
		pthread_cond_broadcast(&srv->warm_loaded);
		if (g == NULL)
			return -1;
		if (srv->warm == NULL || at > srv->warm_gen) {
			/* The old one lives on in the requests holding it. */
			hw_graph_free(srv->warm);
			srv->warm = g;
			srv->warm_gen = at;
		} else
			hw_graph_free(g);
	}
	return 0;
}

/* The request's hold on g, in place of what it held. */
static struct hw_graph *hold(struct hws_conn *c, struct hw_graph *g)
{
	hws_graph_release(c);
	c->graph = g;
	return g;
}

struct hw_graph *hws_graph(struct hws_req *r, struct hw_error *err)
{
	struct hws_conn *c = hws_conn_of(r);
	struct hws_server *srv = c->srv;
	struct hw_graph *g = NULL;
	long long gen;

	/* The generation as this request finds it: every write committed
	 * before is in it. */
	if (hw_store_generation(r->st, &gen, err) < 0)
		return NULL;
	pthread_mutex_lock(&srv->warm_lock);
	if (current(srv, gen, r->st, err) == 0)
		g = hw_graph_ref(srv->warm);
	pthread_mutex_unlock(&srv->warm_lock);
	return g != NULL ? hold(c, g) : NULL;
}

struct hw_graph *hws_graph_up(struct hws_req *r, const char *const *ids,
			      size_t nids, struct hw_error *err)
{
	struct hws_conn *c = hws_conn_of(r);
	struct hws_server *srv = c->srv;
	struct hw_graph *g = NULL;
	long long gen, at;
	int too_big;

	if (hw_store_generation(r->st, &gen, err) < 0)
		return NULL;
	pthread_mutex_lock(&srv->warm_lock);
	if (fresh(srv, gen))
		g = hw_graph_ref(srv->warm);
	pthread_mutex_unlock(&srv->warm_lock);
	if (g != NULL)
		return hold(c, g);
	/* Stale: what depends on ids, read now in one snapshot, unless
	 * that is most of the graph. */
	if (hw_store_read_begin(r->st, &at, err) < 0)
		return NULL;
	g = hw_graph_load_closure(r->st, ids, nids, HW_CLOSURE_LIMIT, &too_big,
				  err);
	hw_store_read_end(r->st);
	if (g != NULL)
		return hold(c, g);
	return too_big ? hws_graph(r, err) : NULL;
}

void hws_graph_release(struct hws_conn *c)
{
	hw_graph_free(c->graph);
	c->graph = NULL;
}

void hws_warm_close(struct hws_server *srv)
{
	hw_graph_free(srv->warm);
	srv->warm = NULL;
}
