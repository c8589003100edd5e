/*
 * pool.c: the service's connections to the database: one writer, which
 * the requests that write take one at a time, waiting for it (and for
 * another process's write lock, an import from the command line) up to
 * --write-wait before they are answered 503; and a few read-only
 * connections the requests that read share, which never wait for a
 * write (the database is in write-ahead-log mode), only for one of them
 * to be free (as long, then 503 too).
 */
#include <pthread.h>
#include <time.h>

#include "serve-private.h"

/* pool_freed counts on the monotonic clock (hws_run sets it so). */
int hws_pool_open(struct hws_server *srv, struct hw_error *err)
{
	int shared = srv->o->allow_shared ? HW_OPEN_SHARED : 0;
	size_t i;

	srv->st = hw_store_open(srv->o->db_path, shared, err);
	if (srv->st == NULL)
		return -1;
	/* Opened after the writer, which has upgraded an older file. */
	for (i = 0; i < HWS_READERS; i++) {
		srv->readers[i] = hw_store_open(srv->o->db_path,
						HW_OPEN_READONLY | shared, err);
		if (srv->readers[i] == NULL)
			return -1;
		srv->nfree++;
	}
	return 0;
}

void hws_pool_close(struct hws_server *srv)
{
	size_t i;

	for (i = 0; i < HWS_READERS; i++)
		hw_store_close(srv->readers[i]);
}

struct hw_store *hws_reader_take(struct hws_conn *c)
{
	struct hws_server *srv = c->srv;
	struct hw_store *st = NULL;
	struct timespec until;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += (time_t)hws_write_wait(srv);
	pthread_mutex_lock(&srv->pool_lock);
	while (srv->nfree == 0 && rc == 0)
		rc = pthread_cond_timedwait(&srv->pool_freed, &srv->pool_lock,
					    &until);
	if (srv->nfree > 0)
		st = srv->readers[--srv->nfree];
	pthread_mutex_unlock(&srv->pool_lock);
	if (st == NULL)
		hws_busy(c);
	return st;
}

void hws_reader_give(struct hws_server *srv, struct hw_store *st)
{
	pthread_mutex_lock(&srv->pool_lock);
	srv->readers[srv->nfree++] = st;
	pthread_cond_signal(&srv->pool_freed);
	pthread_mutex_unlock(&srv->pool_lock);
}

int hws_writer_take(struct hws_conn *c)
{
	struct hws_server *srv = c->srv;
	unsigned secs = hws_write_wait(srv);
	long wait_ms = (long)secs * 1000, left;
	struct timespec begun, until;

	clock_gettime(CLOCK_MONOTONIC, &begun);
	/* pthread_mutex_timedlock counts on the real-time clock. */
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += (time_t)secs;
	if (pthread_mutex_timedlock(&srv->write_lock, &until) != 0)
		return hws_busy(c);
	left = wait_ms - hws_ms_since(&begun);
	if (left <= 0) {
		pthread_mutex_unlock(&srv->write_lock);
		return hws_busy(c);
	}
	/* What is left of the wait, for another process's write lock:
	 * every time the handler takes it. */
	hw_store_set_deadline(srv->st, left);
	return 0;
}

void hws_writer_give(struct hws_server *srv)
{
	pthread_mutex_unlock(&srv->write_lock);
}
