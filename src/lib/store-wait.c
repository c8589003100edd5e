/*
 * store-wait.c: how a connection waits for another's write lock (a long
 * import in another process, the service's writer): SQLite's busy
 * handler, polling with growing sleeps up to the wait set, telling its
 * notice once a second into the wait, then giving up (HW_EBUSY, see
 * hwp_db_error); or all the waits until one deadline.
 */
#include <time.h>

#include "store-sql.h"

#define NOTICE_AFTER_MS 1000
#define SLEEP_MAX_MS 50 /* a lock given up is seen within this */

long long hwp_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* SQLite's busy handler: count is 0 at a wait's first call.  Non-zero:
 * try again. */
static int on_busy(void *ctx, int count)
{
	struct hw_store *st = ctx;
	long long now = hwp_mono_ms(), waited, left;
	long nap;

	if (count == 0) {
		st->busy_since = now;
		st->busy_told = 0;
	}
	waited = now - st->busy_since;
	left = st->wait_ms - waited;
	if (st->wait_until != 0 && st->wait_until - now < left)
		left = st->wait_until - now;
	if (left <= 0)
		return 0;
	if (!st->busy_told && waited >= NOTICE_AFTER_MS &&
	    st->wait_notice != NULL) {
		st->busy_told = 1;
		st->wait_notice(st->wait_ctx, st->wait_ms);
	}
	/* 1, 2, 4, ... ms, then SLEEP_MAX_MS at a time. */
	nap = count < 6 ? 1L << count : SLEEP_MAX_MS;
	if (nap > left)
		nap = (long)left;
	sqlite3_sleep((int)nap);
	return 1;
}

void hwp_wait_install(struct hw_store *st)
{
	st->wait_ms = DEFAULT_WAIT_MS;
	sqlite3_busy_handler(st->db, on_busy, st);
}

void hw_store_set_wait(struct hw_store *st, long ms,
		       void (*notice)(void *ctx, long ms), void *ctx)
{
	st->wait_ms = ms < 0 ? 0 : ms;
	st->wait_notice = notice;
	st->wait_ctx = ctx;
	st->wait_until = 0;
}

void hw_store_set_deadline(struct hw_store *st, long ms)
{
	st->wait_ms = ms < 0 ? 0 : ms;
	st->wait_until = hwp_mono_ms() + st->wait_ms;
	if (st->wait_until == 0)
		st->wait_until = 1;
}
