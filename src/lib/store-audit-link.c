/*
 * store-audit-link.c: an asset's history in the audit trail, without a
 * row per asset and record.  A record of an asset ("asset:ID") or of a
 * dependency ("dependency:FROM>TO") names its assets in its object (ids
 * hold no '>'); it keeps, for each, the seq of that asset's previous
 * record (link_a for the first, link_b for a dependency's "to"), and
 * audit_last holds each asset's newest record: an asset's history is a
 * walk back from there.  A bulk load keeps the newest records in a
 * hash table and writes them once at its end, sorted by id.  A record
 * that joins an asset's history otherwise (an information type whose
 * levels the asset's assignments follow) is a row of audit_asset
 * (hwp_audit_join, store-audit.c).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "store-sql.h"

int hwp_audit_ends(const char *object, struct hwp_audit_ends *e)
{
	const char *gt;

	memset(e, 0, sizeof *e);
	if (strncmp(object, "asset:", 6) == 0) {
		e->id[0] = object + 6;
		e->len[0] = strlen(e->id[0]);
	} else if (strncmp(object, "dependency:", 11) == 0 &&
		   (gt = strchr(object + 11, '>')) != NULL) {
		e->id[0] = object + 11;
		e->len[0] = (size_t)(gt - e->id[0]);
		e->id[1] = gt + 1;
		e->len[1] = strlen(gt + 1);
		/* a dependency of an asset on itself: one end */
		if (e->len[1] == e->len[0] &&
		    memcmp(e->id[0], e->id[1], e->len[0]) == 0)
			e->id[1] = NULL;
	}
	if (e->id[0] != NULL && (e->len[0] == 0 || e->len[0] > HW_ID_MAX))
		e->id[0] = e->id[1] = NULL;
	if (e->id[1] != NULL && (e->len[1] == 0 || e->len[1] > HW_ID_MAX))
		e->id[0] = e->id[1] = NULL;
	return (e->id[0] != NULL) + (e->id[1] != NULL);
}

/* ------------------------------------------------------------------ */
/* The newest record of each asset in a load: open addressing, ids in
 * blocks of their own                                                 */

#define BLOCK (1 << 20)

static uint64_t id_hash(const char *id, size_t n)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ (unsigned char)id[i]) * 1099511628211ULL;
	return h;
}

static int links_grow(struct audit_links *m)
{
	size_t cap = m->cap ? m->cap * 2 : 4096, i, j;
	struct audit_link *slot = calloc(cap, sizeof *slot);

	if (slot == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slot[i].id == NULL)
			continue;
		j = id_hash(m->slot[i].id, strlen(m->slot[i].id)) & (cap - 1);
		while (slot[j].id != NULL)
			j = (j + 1) & (cap - 1);
		slot[j] = m->slot[i];
	}
	free(m->slot);
	m->slot = slot;
	m->cap = cap;
	return 0;
}

/* A copy of n bytes at id, NUL-terminated, in the blocks. */
static char *links_keep(struct audit_links *m, const char *id, size_t n)
{
	char *s;

	if (m->left < n + 1) {
		char *b = malloc(BLOCK);

		if (b == NULL)
			return NULL;
		/* each block begins with the one before it */
		memcpy(b, &m->block, sizeof m->block);
		m->block = b;
		m->next = b + sizeof m->block;
		m->left = BLOCK - sizeof m->block;
	}
	s = m->next;
	memcpy(s, id, n);
	s[n] = '\0';
	m->next += n + 1;
	m->left -= n + 1;
	return s;
}

void hwp_audit_links_free(struct audit_links *m)
{
	while (m->block != NULL) {
		char *b = m->block;

		memcpy(&m->block, b, sizeof m->block);
		free(b);
	}
	free(m->slot);
	memset(m, 0, sizeof *m);
}

/* The slot of id (its id NULL if absent, to be filled). */
static struct audit_link *links_find(struct audit_links *m, const char *id,
				     size_t n)
{
	size_t j = id_hash(id, n) & (m->cap - 1);

	while (m->slot[j].id != NULL &&
	       (strncmp(m->slot[j].id, id, n) != 0 || m->slot[j].id[n] != '\0'))
		j = (j + 1) & (m->cap - 1);
	return &m->slot[j];
}

/* ------------------------------------------------------------------ */
/* Linking a record                                                    */

enum { LAST_OF, LAST_SET, JOIN, LAST_ADD, LAST_SET_MANY };

/* Pairs a LAST_SET_MANY writes at once (a load's end, into a trail that
 * had newest records: on PostgreSQL a round trip each would be most of
 * a merge's time). */
#define LAST_MANY 64

/* audit_last's statements, prepared once a connection, reset. */
static struct hwp_stmt *last_stmt(struct hw_store *st, int which,
				  struct hw_error *err)
{
	static const char *const sql[] = {
	    [LAST_OF] = "SELECT seq FROM audit_last WHERE asset = ?1",
	    [LAST_SET] = ("INSERT INTO audit_last (asset, seq) VALUES "
			  "(?1, ?2) ON CONFLICT (asset) DO UPDATE SET seq "
			  "= excluded.seq"),
	    [JOIN] = ("INSERT INTO audit_asset (asset, seq) VALUES (?1, "
		      "?2) ON CONFLICT DO NOTHING"),
	    /* into an empty audit_last: a plain insert (PostgreSQL's
	     * COPY takes it in a load) */
	    [LAST_ADD] = "INSERT INTO audit_last (asset, seq) VALUES (?1, ?2)",
	};
	/* LAST_SET of LAST_MANY pairs (distinct ids: one statement may
	 * not write a row twice on PostgreSQL) */
	char many[64 + LAST_MANY * 16 + 96];
	const char *text = which == LAST_SET_MANY ? many : sql[which];
	size_t at;
	int i;

	if (which == LAST_SET_MANY && st->audit.last_stmt[which] == NULL) {
		at = (size_t)snprintf(many, sizeof many,
				      "INSERT INTO audit_last (asset, seq) "
				      "VALUES ");
		for (i = 0; i < LAST_MANY; i++)
			at += (size_t)snprintf(many + at, sizeof many - at,
					       "%s(?%d, ?%d)", i ? ", " : "",
					       2 * i + 1, 2 * i + 2);
		snprintf(many + at, sizeof many - at,
			 " ON CONFLICT (asset) DO UPDATE SET seq = "
			 "excluded.seq");
	}
	return hwp_cached(st, &st->audit.last_stmt[which], text,
			  "cannot prepare the audit trail", err);
}

void hwp_audit_links_close(struct hw_store *st)
{
	hwp_finalize(st->audit.last_stmt[LAST_OF]);
	hwp_finalize(st->audit.last_stmt[LAST_SET]);
	hwp_finalize(st->audit.last_stmt[JOIN]);
	hwp_finalize(st->audit.last_stmt[LAST_ADD]);
	hwp_finalize(st->audit.last_stmt[LAST_SET_MANY]);
	hwp_audit_links_free(&st->audit.links);
}

static int last_read(struct hw_store *st, const char *id, size_t n,
		     long long *seq, struct hw_error *err)
{
	struct hwp_stmt *s;
	int rc;

	if ((s = last_stmt(st, LAST_OF, err)) == NULL)
		return -1;
	hwp_bind_textn(s, 1, id, (int)n, HWP_STATIC);
	rc = hwp_step(s);
	*seq = rc == HWP_ROW ? hwp_col_int64(s, 0) : 0;
	hwp_reset(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_step_error(st, rc, err,
				      "cannot read the audit trail");
	if (*seq < 0)
		return hwp_damaged(st, err, "audit_last",
				   "asset '%.*s' has a newest record %lld",
				   (int)n, id, *seq);
	return 0;
}

/* Run a bound write of audit_last or audit_asset. */
static int write_step(struct hw_store *st, struct hwp_stmt *s,
		      struct hw_error *err)
{
	int rc = hwp_step(s);

	hwp_reset(s);
	return rc == HWP_DONE ? 0
			      : hwp_step_error(st, rc, err,
					       "cannot write the audit trail");
}

/* Statement which (LAST_SET or JOIN) with asset id (n bytes) and seq. */
static int put_pair(struct hw_store *st, int which, const char *id, size_t n,
		    long long seq, struct hw_error *err)
{
	struct hwp_stmt *s;

	if ((s = last_stmt(st, which, err)) == NULL)
		return -1;
	hwp_bind_textn(s, 1, id, (int)n, HWP_STATIC);
	hwp_bind_int64(s, 2, seq);
	return write_step(st, s, err);
}

static int last_write(struct hw_store *st, const char *id, size_t n,
		      long long seq, struct hw_error *err)
{
	return put_pair(st, LAST_SET, id, n, seq, err);
}

int hwp_audit_join(struct hw_store *st, const char *asset, long long seq,
		   struct hw_error *err)
{
	return put_pair(st, JOIN, asset, strlen(asset), seq, err);
}

/* 2 if audit_last has a row, 1 if not, -1 on error. */
static int any_stored(struct hw_store *st, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc;

	if (hwp_prepare_raw(st, "SELECT 1 FROM audit_last LIMIT 1", &s) !=
	    HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	rc = hwp_step(s);
	hwp_finalize(s);
	if (rc != HWP_ROW && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	return rc == HWP_ROW ? 2 : 1;
}

/* PostgreSQL: a merge reads audit_last a row at a time, a round trip
 * each, until this many; then the rest of it at once, streamed. */
#define READS_ONE_BY_ONE 4096

/* The whole of audit_last into the load's table (m->stored 3): the ids
 * the load holds keep theirs. */
static int read_all(struct hw_store *st, struct audit_links *m,
		    struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	int rc, ret = 0;

	if (hwp_prepare_stream(st, "SELECT asset, seq FROM audit_last", &s) !=
	    HWP_OK)
		return hwp_db_error(st, err, "cannot read the audit trail");
	while (ret == 0 && (rc = hwp_step(s)) == HWP_ROW) {
		const char *id = (const char *)hwp_col_text(s, 0);
		int n = hwp_col_bytes(s, 0);
		long long seq = hwp_col_int64(s, 1);
		struct audit_link *l;

		if (id == NULL || n < 1 || n > HW_ID_MAX || seq < 1) {
			ret = hwp_damaged(
			    st, err, "audit_last", "a row holds %s",
			    seq < 1 ? "no newest record" : "no asset id");
			break;
		}
		if ((m->n + 1) * 2 > m->cap && links_grow(m) < 0) {
			ret = hw_error_set(err, HW_ENOMEM, "out of memory");
			break;
		}
		l = links_find(m, id, (size_t)n);
		if (l->id != NULL)
			continue;
		if ((l->id = links_keep(m, id, (size_t)n)) == NULL) {
			ret = hw_error_set(err, HW_ENOMEM, "out of memory");
			break;
		}
		l->seq = l->was = seq;
		m->n++;
	}
	if (ret == 0 && rc != HWP_DONE)
		ret = hwp_db_error(st, err, "cannot read the audit trail");
	hwp_finalize(s);
	if (ret == 0)
		m->stored = 3;
	return ret;
}

/* The newest record of asset id (n bytes) in *before: in the load's
 * table when a load is on (the slot kept in *slot, added if new), else
 * in audit_last. */
static int newest_of(struct hw_store *st, const char *id, size_t n,
		     long long *before, struct audit_link **slot,
		     struct hw_error *err)
{
	struct audit_links *m = &st->audit.links;
	struct audit_link *l;

	*slot = NULL;
	if (!st->load.active)
		return last_read(st, id, n, before, err);
	/* A first load has no newest records to look up. */
	if (m->stored == 0 && (m->stored = any_stored(st, err)) < 0) {
		m->stored = 0;
		return -1;
	}
	l = links_find(m, id, n);
	if (l->id == NULL) {
		long long seq = 0;

		if (m->stored == 2) {
			m->reads++;
			if (last_read(st, id, n, &seq, err) < 0)
				return -1;
		}
		if ((l->id = links_keep(m, id, n)) == NULL)
			return hw_error_set(err, HW_ENOMEM, "out of memory");
		l->seq = l->was = seq;
		m->n++;
	}
	*before = l->seq;
	*slot = l;
	return 0;
}

int hwp_audit_links(struct hw_store *st, const char *object, long long seq,
		    long long link[2], struct hw_error *err)
{
	struct audit_links *m = &st->audit.links;
	struct hwp_audit_ends e;
	int i;

	link[0] = link[1] = 0;
	m->now[0] = m->now[1] = NULL;
	if (hwp_audit_ends(object, &e) == 0)
		return 0;
	/* (before the slots are taken: read_all grows the table) */
	if (st->load.active && m->stored == 2 && st->pg != NULL &&
	    m->reads >= READS_ONE_BY_ONE && read_all(st, m, err) < 0)
		return -1;
	/* room for both ends first: a grow moves the slots */
	if (st->load.active && (m->n + 2) * 2 > m->cap && links_grow(m) < 0)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (i = 0; i < 2; i++) {
		if (e.id[i] == NULL)
			continue;
		if (newest_of(st, e.id[i], e.len[i], &link[i], &m->now[i],
			      err) < 0)
			return -1;
		if (link[i] >= seq)
			return hwp_damaged(st, err, "audit_last",
					   "the newest record of '%.*s' is "
					   "%lld, not before record %lld",
					   (int)e.len[i], e.id[i], link[i],
					   seq);
	}
	return 0;
}

int hwp_audit_linked(struct hw_store *st, const char *object, long long seq,
		     struct hw_error *err)
{
	struct audit_links *m = &st->audit.links;
	struct hwp_audit_ends e;
	int i;

	if (st->load.active) {
		for (i = 0; i < 2; i++)
			if (m->now[i] != NULL)
				m->now[i]->seq = seq;
		m->now[0] = m->now[1] = NULL;
		return 0;
	}
	hwp_audit_ends(object, &e);
	for (i = 0; i < 2; i++)
		if (e.id[i] != NULL &&
		    last_write(st, e.id[i], e.len[i], seq, err) < 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Verifying the links (audit verify): the newest record of each asset
 * as the trail itself gives them, in a table of the verifier's        */

int hwp_audit_links_check(struct audit_links *m, const char *object,
			  long long seq, const long long link[2],
			  char bad[HW_ID_MAX + 1])
{
	struct hwp_audit_ends e;
	struct audit_link *l;
	int i;

	if (hwp_audit_ends(object, &e) == 0)
		return link[0] == 0 && link[1] == 0 ? 1 : 0;
	if ((m->n + 2) * 2 > m->cap && links_grow(m) < 0)
		return -1;
	for (i = 0; i < 2; i++) {
		if (e.id[i] == NULL) {
			if (link[i] != 0)
				return 0;
			continue;
		}
		l = links_find(m, e.id[i], e.len[i]);
		if (l->id == NULL) {
			if ((l->id = links_keep(m, e.id[i], e.len[i])) == NULL)
				return -1;
			l->seq = 0;
			m->n++;
		}
		if (l->seq != link[i]) {
			memcpy(bad, e.id[i], e.len[i]);
			bad[e.len[i]] = '\0';
			return 0;
		}
		l->seq = seq;
	}
	return 1;
}

int hwp_audit_last_check(struct hw_store *st, struct audit_links *m,
			 char bad[HW_ID_MAX + 1], long long *want,
			 long long *got, struct hw_error *err)
{
	struct hwp_stmt *s = NULL;
	long long rows = 0;
	size_t i;
	int rc = HWP_DONE, ret = 1;

	if ((s = hwp_prepare(st, "SELECT asset, seq FROM audit_last",
			     "cannot read the audit trail", err)) == NULL)
		return -1;
	while (ret == 1 && (rc = hwp_step(s)) == HWP_ROW) {
		const char *id = (const char *)hwp_col_text(s, 0);
		size_t n = id ? strlen(id) : 0;
		struct audit_link *l;

		rows++;
		*got = hwp_col_int64(s, 1);
		*want = 0;
		l = m->cap && n > 0 && n <= HW_ID_MAX ? links_find(m, id, n)
						      : NULL;
		if (l != NULL && l->id != NULL)
			*want = l->seq;
		if (*want == 0 || *want != *got) {
			snprintf(bad, HW_ID_MAX + 1, "%s", id ? id : "");
			ret = 0;
		}
	}
	hwp_finalize(s);
	if (ret == 1 && rc != HWP_DONE)
		return hwp_db_error(st, err, "cannot read the audit trail");
	if (ret == 1 && (size_t)rows != m->n)
		/* an asset of the trail with no newest record */
		for (i = 0; i < m->cap && ret == 1; i++)
			if (m->slot[i].id != NULL) {
				long long seq;

				if (last_read(st, m->slot[i].id,
					      strlen(m->slot[i].id), &seq,
					      err) < 0)
					return -1;
				if (seq == 0) {
					snprintf(bad, HW_ID_MAX + 1, "%s",
						 m->slot[i].id);
					*want = m->slot[i].seq;
					*got = 0;
					ret = 0;
				}
			}
	return ret;
}

static int by_id(const void *x, const void *y)
{
	return strcmp(((const struct audit_link *)x)->id,
		      ((const struct audit_link *)y)->id);
}

/* LAST_MANY slots' pairs in one upsert. */
static int put_many(struct hw_store *st, const struct audit_link *l,
		    struct hw_error *err)
{
	struct hwp_stmt *s = last_stmt(st, LAST_SET_MANY, err);
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < LAST_MANY; i++) {
		hwp_bind_textn(s, 2 * i + 1, l[i].id, (int)strlen(l[i].id),
			       HWP_STATIC);
		hwp_bind_int64(s, 2 * i + 2, l[i].seq);
	}
	return write_step(st, s, err);
}

int hwp_audit_links_flush(struct hw_store *st, struct hw_error *err)
{
	struct audit_links *m = &st->audit.links;
	size_t i, k = 0;
	int ret = 0;

	/* The slots the load moved (each record it appended gave a new
	 * seq; those read_all added and the load left alone keep theirs)
	 * to the front, then sorted: writes in key order. */
	for (i = 0; i < m->cap; i++)
		if (m->slot[i].id != NULL && m->slot[i].seq != m->slot[i].was)
			m->slot[k++] = m->slot[i];
	if (k > 0)
		qsort(m->slot, k, sizeof *m->slot, by_id);
	/* over newest records already there: LAST_MANY at a time */
	for (i = 0; m->stored >= 2 && i + LAST_MANY <= k && ret == 0;
	     i += LAST_MANY)
		ret = put_many(st, &m->slot[i], err);
	for (; i < k && ret == 0; i++)
		ret = put_pair(st, m->stored == 1 ? LAST_ADD : LAST_SET,
			       m->slot[i].id, strlen(m->slot[i].id),
			       m->slot[i].seq, err);
	hwp_audit_links_free(m);
	return ret;
}
