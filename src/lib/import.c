/*
 * import.c: the format-neutral import engine.  Readers hand it records
 * in source order; it checks what needs the database (duplicates,
 * references, the shipped catalogue), resolves asset ids to the store's
 * keys and applies everything through the store's bulk-load interface,
 * in one transaction: the first error in source order wins and nothing
 * lands on failure (import-deps.c does the dependencies).  Each object
 * the import adds or changes gets its audit record, the import one
 * summary record; an object left as stored writes nothing: assets are
 * compared by their canonical text, a dependency looked up only when
 * both its ends were stored before, nothing when the inventory was
 * empty.  History records (changes, incidents) go to the store as the
 * file gives them.
 */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "import-engine.h"

static const char *const kind_key[K_COUNT] = {"information_types", "assets",
					      "dependencies"};

/* "asset:" id, or "dependency:" from ">" to, into im->object. */
static int object_name(struct hwp_import *im, const char *kind,
		       const char *a, const char *b)
{
	struct hw_error *err = im->w.err;

	hwp_buf_reset(&im->object);
	if (hwp_buf_adds(&im->object, kind, err) < 0 ||
	    hwp_buf_adds(&im->object, a, err) < 0 ||
	    (b != NULL && (hwp_buf_adds(&im->object, ">", err) < 0 ||
			   hwp_buf_adds(&im->object, b, err) < 0)))
		return -1;
	return 0;
}

/* Append the audit record of one object from the texts in im->before
 * (when old) and im->after. */
static int audit_texts(struct hwp_import *im, int old)
{
	return hwp_audit_text(im->st, old ? "update" : "add", im->object.data,
			      old ? im->before.data : NULL,
			      old ? im->before.len : 0, im->after.data,
			      im->after.len, im->w.err);
}

static void idmap_free(struct idmap *m)
{
	free(m->slots);
	hwp_pool_free(&m->idents);
	memset(m, 0, sizeof *m);
}

static int idmap_grow(struct idmap *m)
{
	size_t cap = m->cap ? m->cap * 2 : 4096, i, j;
	struct idslot *slots = calloc(cap, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (i = 0; i < m->cap; i++) {
		if (m->slots[i].ent == NULL)
			continue;
		for (j = m->slots[i].hash & (cap - 1); slots[j].ent != NULL;
		     j = (j + 1) & (cap - 1))
			;
		slots[j] = m->slots[i];
	}
	free(m->slots);
	m->slots = slots;
	m->cap = cap;
	return 0;
}

/* The ident of id (hash h), added when new; NULL when out of memory. */
static struct ident *idmap_get(struct idmap *m, const char *id, uint64_t h)
{
	struct ident *e;
	size_t i, len;

	if ((m->count + 1) * 2 > m->cap && idmap_grow(m) < 0)
		return NULL;
	for (i = h & (m->cap - 1); m->slots[i].ent != NULL;
	     i = (i + 1) & (m->cap - 1))
		if (m->slots[i].hash == h &&
		    strcmp(m->slots[i].ent->id, id) == 0)
			return m->slots[i].ent;
	len = strlen(id);
	e = hwp_pool_alloc(&m->idents, sizeof *e + len + 1);
	if (e == NULL)
		return NULL;
	e->n = 0;
	e->ord = -1;
	e->old = 0;
	e->file = NULL;
	memcpy(e->id, id, len + 1);
	m->slots[i].hash = h;
	m->slots[i].ent = e;
	m->count++;
	return e;
}

/* The records a batch applies next: bring their slots (stage 0) and then
 * their idents (stage 1) into the cache ahead of time, most of the cost
 * of a lookup in a map of a million ids. */
static void idmap_prefetch(const struct idmap *m, uint64_t h, int stage)
{
	const struct idslot *s;

	if (m->cap == 0)
		return;
	s = &m->slots[h & (m->cap - 1)];
	if (stage == 0)
		__builtin_prefetch(s);
	else if (s->ent != NULL)
		__builtin_prefetch(s->ent);
}

void hwp_import_prefetch(const struct hwp_import *im, const struct hwp_rec *r,
			 int stage)
{
	const struct idmap *m = &im->ids;
	const struct hwp_rec_dep *d = (const struct hwp_rec_dep *)r;

	if (r->kind == HWP_REC_DEP) {
		idmap_prefetch(m, d->hfrom, stage);
		idmap_prefetch(m, d->hto, stage);
	} else if (r->kind == HWP_REC_ASSET) {
		idmap_prefetch(m, ((const struct hwp_rec_asset *)r)->hash,
			       stage);
	}
}

/* "asset" in JSON Lines, "assets[12]" in a document. */
static const char *rec_path(const struct hwp_import *im,
			    const struct hwp_rec *r, char *buf, size_t size)
{
	static const char *const line_key[] = {
	    "information_type", "asset",  "dependency",
	    "assignment",	"change", "incident"};
	static const char *const doc_key[] = {
	    "information_types", "assets",  "dependencies",
	    "assignments",	 "changes", "incidents"};

	if (im->w.lines)
		return line_key[r->kind];
	snprintf(buf, size, "%s[%ld]", doc_key[r->kind], r->ord);
	return buf;
}

/* An organisation's information type t (old: as stored, or NULL): put
 * unless unchanged (the store audits the write, and the assets whose
 * assignments follow it). */
static int put_infotype(struct hwp_import *im, const char *path,
			const struct hw_infotype *t,
			const struct hw_infotype *old)
{
	struct hw_error e = {0};
	json_t *before = old ? hwp_infotype_json(old) : NULL,
	       *after = hwp_infotype_json(t);
	int rc = -1;

	if (after == NULL || (old != NULL && before == NULL)) {
		hwp_where_nomem(&im->w);
		goto out;
	}
	if (before != NULL && json_equal(before, after)) {
		im->stats.unchanged[K_INFOTYPE]++;
		rc = 0;
		goto out;
	}
	if (hw_store_infotype_put(im->st, t, 1, &e) < 0) {
		hwp_where_rewrap(&im->w, path, &e);
		goto out;
	}
	if (old != NULL)
		im->stats.updated[K_INFOTYPE]++;
	else
		im->stats.added[K_INFOTYPE]++;
	rc = 0;
out:
	json_decref(before);
	json_decref(after);
	return rc;
}

static int apply_infotype(struct hwp_import *im,
			  const struct hwp_rec_infotype *r)
{
	struct hw_infotype t = {0}, old;
	struct hw_error e = {0};
	int rc;
	const char *key, *diff = NULL;
	char buf[64], sub[96];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);
	uint32_t first;

	first = hwp_map_get(&im->types, (uint64_t)(uintptr_t)r->id);
	if (first != HWP_NONE)
		return hwp_where_fail(
		    &im->w, path, HW_EEXIST,
		    "duplicate information type id '%s' (first at "
		    "%s %u)",
		    r->id, im->w.lines ? "line" : "information_types index",
		    first);
	key = hwp_arena_dup(&im->type_ids, r->id);
	if (key == NULL || hwp_map_put(&im->types, (uint64_t)(uintptr_t)key,
				       (uint32_t)r->h.ord) == HWP_NONE)
		return hwp_where_nomem(&im->w);
	t.id = (char *)r->id;
	t.name = (char *)r->name;
	t.category = (char *)r->category;
	t.prov = r->prov;
	/* The shipped catalogue is reference data: a file may give a
	 * shipped type only as shipped (then nothing changes), and the
	 * error names the first member that differs. */
	if (hw_store_infotype_get(im->st, r->id, &old, &e) == 0) {
		int builtin = old.builtin;

		diff = builtin ? hw_infotype_shipped_diff(&old, &t) : NULL;
		if (diff != NULL) {
			hw_infotype_release(&old);
			snprintf(sub, sizeof sub, "%s.%s", path, diff);
			return hwp_where_fail(
			    &im->w, sub, HW_EREFUSED,
			    "information type '%s' is in the shipped "
			    "SP 800-60 catalogue: its %s cannot "
			    "change (give it as shipped, or leave it "
			    "out)",
			    r->id, diff);
		}
		if (builtin) {
			hw_infotype_release(&old);
			im->stats.unchanged[K_INFOTYPE]++;
			im->stats.infotypes++;
			return 0;
		}
		rc = put_infotype(im, path, &t, &old);
		hw_infotype_release(&old);
	} else if (e.code != HW_ENOTFOUND) {
		return hwp_where_rewrap(&im->w, path, &e);
	} else {
		rc = put_infotype(im, path, &t, NULL);
	}
	if (rc == 0)
		im->stats.infotypes++;
	return rc;
}

/* Asset a as the import will store it: where the file says authorized
 * but not by whom or when, what was stored (old, may be NULL), else
 * the import's actor and time. */
static void fill_authorized(struct hwp_import *im, struct hw_asset *a,
			    const struct hw_asset *old)
{
	if (!(a->factors.known & HW_F_BIT(HW_F_AUTHORIZED)) ||
	    !a->factors.authorized)
		return;
	if (a->authorized_by == NULL)
		a->authorized_by = old && old->authorized_by
				       ? old->authorized_by
				       : (char *)hwp_actor(im->st);
	if (a->authorized_at == 0)
		a->authorized_at =
		    old && old->authorized_at ? old->authorized_at : im->now;
}

/* Put asset a (old: as stored, NULL when new) unless unchanged, with
 * its audit record; its key in *n. */
static int put_asset(struct hwp_import *im, const char *path,
		     struct hw_asset *a, const struct hw_asset *old,
		     hw_key *n)
{
	struct hw_error e = {0};
	int existed;

	fill_authorized(im, a, old);
	if (old != NULL || im->audit) {
		hwp_buf_reset(&im->after);
		if (hwp_asset_canon(&im->after, a, im->w.err) < 0)
			return -1;
	}
	if (old != NULL) {
		hwp_buf_reset(&im->before);
		if (hwp_asset_canon(&im->before, old, im->w.err) < 0)
			return -1;
		if (im->before.len == im->after.len &&
		    memcmp(im->before.data, im->after.data, im->before.len) ==
			0) {
			if (hwp_asset_n(im->st, a->id, n, &e) < 0 ||
			    hwp_load_keep(im->st, *n, &e) < 0)
				return hwp_where_rewrap(&im->w, path, &e);
			im->stats.unchanged[K_ASSET]++;
			return 0;
		}
	}
	if (hwp_load_asset(im->st, a, 1, n, &existed, &e) < 0)
		return hwp_where_rewrap(&im->w, path, &e);
	if (im->audit && (object_name(im, "asset:", a->id, NULL) < 0 ||
			  audit_texts(im, old != NULL) < 0))
		return -1;
	if (old != NULL)
		im->stats.updated[K_ASSET]++;
	else
		im->stats.added[K_ASSET]++;
	return 0;
}

int hwp_import_assignments_done(struct hwp_import *im)
{
	struct assign_table *t = &im->assign;
	size_t k;

	im->assets_in = 1;
	if (!t->given || t->done)
		return 0;
	t->done = 1;
	for (k = 0; k < t->nassets; k++) {
		struct hw_asset old, now;
		struct hw_error e = {0};
		size_t n;
		hw_key key;
		int rc;

		if (t->assets[k].applied)
			continue;
		if (hw_store_asset_get(im->st, t->assets[k].id, &old, &e) < 0)
			return hwp_assign_fail_missing(im, k, &e);
		rc = hwp_assign_for(im, t->assets[k].id, &n);
		if (rc == 0) {
			now = old;
			now.types = im->scratch;
			now.ntypes = n;
			rc = put_asset(im, "assignment", &now, &old, &key);
		}
		hw_asset_release(&old);
		if (rc < 0)
			return -1;
	}
	return 0;
}

static int apply_asset(struct hwp_import *im, const struct hwp_rec_asset *r)
{
	struct hw_asset a = {0}, old;
	struct hw_error e; /* ready (code HW_OK) before each call */
	char buf[64], sub[200];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);
	struct ident *x;
	hw_key n;
	size_t i, ntypes;
	int found = 0, given = 0, rc;

	/* A table of assignments in the import gives the assets it names
	 * their assignments, whatever file holds the asset (one write);
	 * else a table of assets gives none (the stored ones stay, below)
	 * and JSON its own. */
	if (hwp_assign_for(im, r->id, &ntypes) < 0)
		return -1;
	given = ntypes != HWP_NONE;
	if (!given)
		ntypes = r->keep_types ? 0 : r->ntypes;
	if (!given && !r->keep_types && r->ntypes > im->capscratch) {
		struct hw_assignment *g =
		    realloc(im->scratch, r->ntypes * sizeof *g);

		if (g == NULL)
			return hwp_where_nomem(&im->w);
		im->scratch = g;
		im->capscratch = r->ntypes;
	}
	for (i = 0; !given && !r->keep_types && i < r->ntypes; i++) {
		struct hw_assignment *g = &im->scratch[i];

		memset(g, 0, sizeof *g);
		g->type_id = (char *)r->types[i].id;
		g->selected = r->types[i].selected;
		g->justification = (char *)r->types[i].why;
		e.code = HW_OK;
		if (hw_store_assignment_prepare(im->st, g, &e) < 0) {
			snprintf(sub, sizeof sub,
				 "%.140s.information_types[%zu]%s", path, i,
				 e.code == HW_ENOTFOUND ? ".id" : "");
			return hwp_where_rewrap(&im->w, sub, &e);
		}
	}
	/* In the order the store reads them back: the audit's "after" is
	 * what a later read gives. */
	if (ntypes > 1)
		qsort(im->scratch, ntypes, sizeof *im->scratch,
		      hwp_assignment_cmp);
	x = idmap_get(&im->ids, r->id, r->hash);
	if (x == NULL)
		return hwp_where_nomem(&im->w);
	if (x->ord >= 0) {
		/* Of many files, the first's is named when it is another. */
		int other = x->file != NULL && strcmp(x->file, im->w.file) != 0;

		return hwp_where_fail_at(
		    &im->w, r->col_id, path, HW_EEXIST,
		    "duplicate asset id '%s' (first at %s%s%s%s %ld)", r->id,
		    other ? "'" : "", other ? x->file : "", other ? "' " : "",
		    im->w.lines ? "line" : "assets index", x->ord);
	}
	a.id = (char *)r->id;
	a.name = (char *)r->name;
	a.type = (char *)r->type;
	a.owner = (char *)r->owner;
	a.description = (char *)r->description;
	a.direct = r->direct;
	a.internet_facing = r->internet_facing;
	a.factors = r->factors;
	a.authorized_by = (char *)r->authorized_by;
	a.authorized_at = r->authorized_at;
	a.types = im->scratch;
	a.ntypes = ntypes;
	/* Into an empty inventory everything is new: no lookup. */
	if (!im->empty) {
		e.code = HW_OK;
		if (hw_store_asset_get(im->st, r->id, &old, &e) == 0)
			found = 1;
		else if (e.code != HW_ENOTFOUND)
			return hwp_where_rewrap(&im->w, path, &e);
	}
	if (found && r->keep_types && !given) {
		a.types = old.types;
		a.ntypes = old.ntypes;
	}
	rc = put_asset(im, path, &a, found ? &old : NULL, &n);
	if (found)
		hw_asset_release(&old);
	if (rc < 0)
		return -1;
	x->n = n;
	x->ord = r->h.ord;
	x->file = im->w.file;
	x->old = (unsigned char)found;
	im->stats.assets++;
	return 0;
}

/* The store's key of an asset named by a dependency, or LATER | its
 * ident while neither the file (so far) nor the database has it.  The
 * database is asked once per id: only this import adds assets. */
/* End id (which: "from" or "to", its cell at column col) of the
 * dependency being applied. */
static int dep_end(struct hwp_import *im, const char *id, uint64_t h,
		   const char *which, int col, uint64_t *out, int *old)
{
	struct ident *ent = idmap_get(&im->ids, id, h);
	hw_key n;

	if (ent == NULL)
		return hwp_where_nomem(&im->w);
	if (ent->n == 0 && ent->ord == -1) {
		struct hw_error e = {0};

		if (hwp_asset_n(im->st, id, &n, &e) == 0) {
			ent->n = n;
			ent->old = 1;
		}
		else if (e.code != HW_ENOTFOUND)
			return hw_error_set(im->w.err, e.code, "%s", e.text);
		else
			ent->ord = -2;
	}
	/* Only tables of dependencies come after every asset: by line. */
	if (ent->n == 0 && im->assets_in) {
		char path[32];

		snprintf(path, sizeof path, "dependency.%s", which);
		return hwp_where_fail_at(&im->w, col, path, HW_ENOTFOUND,
					 "unknown asset '%s' (in neither the "
					 "files nor the database)",
					 id);
	}
	*out = ent->n > 0 ? (uint64_t)ent->n : LATER | (uintptr_t)ent;
	*old = ent->old;
	return 0;
}

/* Tell the store the assets are in (it may build the owner index then):
 * at the first dependency (inventories list their assets first, and the
 * store's sort then runs while the rest of the file is parsed), else at
 * the end.  Assets after that still load. */
static int assets_done(struct hwp_import *im)
{
	if (im->assets_done)
		return 0;
	im->assets_done = 1;
	return hwp_load_assets_done(im->st, im->w.err);
}

/* Dependency r (row d, its ends known when look) as against the store:
 * unchanged (flag 2, nothing to write), else its audit record.  Only
 * a dependency between two assets that were stored before the import
 * can be there already. */
static int audit_dep(struct hwp_import *im, const struct hwp_rec_dep *r,
		     struct hwp_dep_row *d, int look)
{
	struct hw_dep dep = {(char *)r->from, (char *)r->to,
			     (char *)hw_dep_types[r->type], r->carries};
	struct hw_error e = {0};
	unsigned carries = 0;
	int found = 0, type = 0;

	if (look && !im->empty) {
		found = hwp_load_dep_get(im->st, (hw_key)d->src,
					 (hw_key)d->dst, &type, &carries, &e);
		if (found < 0)
			return hw_error_set(im->w.err, e.code, "%s", e.text);
		if (found && type == r->type && carries == r->carries) {
			d->flag = 2;
			im->stats.unchanged[K_DEP]++;
			return 0;
		}
	}
	if (found)
		im->stats.updated[K_DEP]++;
	else
		im->stats.added[K_DEP]++;
	if (!im->audit)
		return 0;
	hwp_buf_reset(&im->after);
	if (hwp_dep_canon(&im->after, &dep, im->w.err) < 0)
		return -1;
	if (found) {
		dep.type = (char *)hw_dep_types[type];
		dep.carries = carries;
		hwp_buf_reset(&im->before);
		if (hwp_dep_canon(&im->before, &dep, im->w.err) < 0)
			return -1;
	}
	if (object_name(im, "dependency:", r->from, r->to) < 0)
		return -1;
	return audit_texts(im, found);
}

static int apply_dep(struct hwp_import *im, const struct hwp_rec_dep *r)
{
	struct hwp_dep_row *d;
	int old_from = 0, old_to = 0;

	if (assets_done(im) < 0)
		return -1;

	if (im->ndeps == im->capdeps) {
		size_t cap = im->capdeps ? im->capdeps * 2 : 4096;
		struct hwp_dep_row *p = realloc(im->deps, cap * sizeof *p);

		if (p == NULL)
			return hwp_where_nomem(&im->w);
		im->deps = p;
		im->capdeps = cap;
	}
	d = &im->deps[im->ndeps];
	if (dep_end(im, r->from, r->hfrom, "from", r->col_from, &d->src,
		    &old_from) < 0 ||
	    dep_end(im, r->to, r->hto, "to", r->col_to, &d->dst, &old_to) < 0)
		return -1;
	if (hwp_deps_ord(im, r->h.ord, &d->ord) < 0)
		return -1;
	d->type = r->type;
	d->carries = r->carries;
	d->flag = 0;
	if (audit_dep(im, r, d, old_from && old_to) < 0)
		return -1;
	im->nlater += (d->src & LATER) || (d->dst & LATER);
	im->ndeps++;
	im->stats.dependencies++;
	if (im->ndeps - im->nstored >= CHUNK)
		return hwp_deps_store_chunk(im);
	return 0;
}

/* Number n (of a change or an incident) is in the file once: 0, or -1
 * naming the first. */
static int history_once(struct hwp_import *im, struct hwp_map *seen,
			const char *path, const char *id, long long n,
			long ord, const char *section)
{
	uint32_t first = hwp_map_get(seen, (uint64_t)n);

	if (first != HWP_NONE)
		return hwp_where_fail(&im->w, path, HW_EEXIST,
				      "%s is in the file twice (first at %s "
				      "%u)",
				      id, im->w.lines ? "line" : section,
				      first);
	if (hwp_map_put(seen, (uint64_t)n, (uint32_t)ord) == HWP_NONE)
		return hwp_where_nomem(&im->w);
	return 0;
}

static int apply_change(struct hwp_import *im,
			const struct hwp_rec_change *r)
{
	struct hw_error e = {0};
	char buf[64], sub[96], id[HW_CHANGE_ID_TEXT];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);

	hw_change_id(r->c.n, id);
	snprintf(sub, sizeof sub, "%s.id", path);
	if (history_once(im, &im->changes, sub, id, r->c.n, r->h.ord,
			 "changes index") < 0)
		return -1;
	if (hw_store_change_import(im->st, &r->c, &e) < 0)
		return hwp_where_rewrap(&im->w, path, &e);
	im->stats.changes++;
	return 0;
}

static int apply_incident(struct hwp_import *im,
			  const struct hwp_rec_incident *r)
{
	struct hw_change c;
	struct hw_error e = {0};
	char buf[64], sub[96], id[HW_CHANGE_ID_TEXT];
	const char *path = rec_path(im, &r->h, buf, sizeof buf);

	hw_incident_id(r->i.n, id);
	snprintf(sub, sizeof sub, "%s.id", path);
	if (history_once(im, &im->incidents, sub, id, r->i.n, r->h.ord,
			 "incidents index") < 0)
		return -1;
	/* The change it names: stored, or earlier in the file. */
	if (r->i.change > 0) {
		snprintf(sub, sizeof sub, "%s.change", path);
		if (hw_store_change_get(im->st, r->i.change, &c, &e) == 0)
			hw_change_release(&c);
		else if (e.code == HW_ENOTFOUND)
			return hwp_where_fail(
			    &im->w, sub, HW_ENOTFOUND,
			    "unknown change %s (in neither the database nor "
			    "the file before this incident)",
			    hw_change_id(r->i.change, id));
		else
			return hwp_where_rewrap(&im->w, sub, &e);
	}
	hw_error_clear(&e);
	if (hw_store_incident_import(im->st, &r->i, &e) < 0)
		return hwp_where_rewrap(&im->w, path, &e);
	im->stats.incidents++;
	return 0;
}

int hwp_import_apply(struct hwp_import *im, const struct hwp_rec *r)
{
	im->w.line = r->ord;
	switch (r->kind) {
	case HWP_REC_INFOTYPE:
		return apply_infotype(im, (const struct hwp_rec_infotype *)r);
	case HWP_REC_ASSET:
		return apply_asset(im, (const struct hwp_rec_asset *)r);
	case HWP_REC_CHANGE:
		return apply_change(im, (const struct hwp_rec_change *)r);
	case HWP_REC_INCIDENT:
		return apply_incident(im, (const struct hwp_rec_incident *)r);
	case HWP_REC_ASSIGNMENT:
		return hwp_assign_add(im,
				      (const struct hwp_rec_assignment *)r);
	default:
		return apply_dep(im, (const struct hwp_rec_dep *)r);
	}
}

struct hwp_where *hwp_import_where(struct hwp_import *im)
{
	return &im->w;
}

int hwp_import_fail(struct hwp_import *im, const struct hw_error *e)
{
	if (im->w.err != NULL && im->w.err->code == HW_OK)
		*im->w.err = *e;
	return -1;
}

void hwp_import_progress(struct hwp_import *im, long long done, long long total)
{
	im->done = done;
	im->total = total;
}

static void importer_release(struct hwp_import *im)
{
	idmap_free(&im->ids);
	hwp_map_free(&im->types);
	hwp_map_free(&im->changes);
	hwp_map_free(&im->incidents);
	hwp_arena_free(&im->type_ids);
	free(im->deps);
	free(im->sortbuf);
	free(im->runs);
	free(im->depfiles);
	free(im->scratch);
	hwp_buf_release(&im->before);
	hwp_buf_release(&im->after);
	hwp_buf_release(&im->object);
	hwp_assign_release(&im->assign);
}

/* The summary record: object "import:FILE", after = what the import
 * did, by kind. */
static int audit_summary(struct hwp_import *im, int replace)
{
	const struct hw_import_stats *s = &im->stats;
	json_t *after = json_object(), *k;
	int i, rc = after == NULL;

	for (i = 0; i < K_COUNT && rc == 0; i++) {
		k = json_pack("{s:I, s:I, s:I, s:I}", "added",
			      (json_int_t)s->added[i], "updated",
			      (json_int_t)s->updated[i], "removed",
			      (json_int_t)s->removed[i], "unchanged",
			      (json_int_t)s->unchanged[i]);
		rc = k == NULL || json_object_set_new(after, kind_key[i], k);
	}
	rc = rc || json_object_set_new(after, "replace", json_boolean(replace));
	rc = rc || json_object_set_new(after, "changes",
				       json_integer(s->changes));
	rc = rc || json_object_set_new(after, "incidents",
				       json_integer(s->incidents));
	if (rc) {
		json_decref(after);
		return hwp_where_nomem(&im->w);
	}
	rc = object_name(im, "import:", im->name, NULL) < 0
		 ? -1
		 : hwp_audit(im->st, "import", im->object.data, NULL, after,
			     im->w.err);
	json_decref(after);
	return rc;
}

/* The inventory as the import leaves it is within the limits: an error
 * naming the file(s). */
static int limits(struct hwp_import *im)
{
	struct hw_error e = {0};

	if (hwp_limit_assets(im->st, &e) == 0 &&
	    hwp_limit_deps(im->st, &e) == 0)
		return 0;
	return hw_error_set_at(im->w.err, e.code, im->w.file, 0, 0, "%s",
			       e.text);
}

int hwp_import_run(struct hw_store *st, const struct hwp_reader *rd,
		   int replace, int dry_run, struct hw_import_stats *stats,
		   struct hw_error *err)
{
	struct hwp_import im = {0};
	struct hwp_load_removed rm = {0};
	struct hw_error e = {0};

	im.st = st;
	im.types.strings = 1;
	im.w.file = im.name = rd->file;
	im.w.err = &e;
	im.w.lines = rd->lines;
	/* A dry run is rolled back: it writes no audit record. */
	im.audit = !dry_run;
	im.now = hw_time_now();
	if (hwp_load_begin(st, replace, dry_run, im.audit ? &rm : NULL, &e) < 0)
		goto fail;
	im.empty = hwp_load_empty(st);
	im.stats.removed[K_INFOTYPE] = rm.infotypes;
	im.stats.removed[K_ASSET] = rm.assets;
	im.stats.removed[K_DEP] = rm.dependencies;
	if (rd->read(&im, rd->ctx) < 0) {
		/* A duplicate dependency before the bad record is the first
		 * error in the file. */
		if (!im.w.syntax &&
		    (e.code == HW_EINVAL || e.code == HW_EFORMAT ||
		     e.code == HW_EEXIST || e.code == HW_ENOTFOUND)) {
			struct hw_error dup = {0};

			im.w.err = &dup;
			hwp_deps_resolve(&im, 0);
			if (hwp_deps_sort(&im) == 0 &&
			    hwp_deps_report_duplicate(&im, -1) > 0 &&
			    dup.code != HW_ENOMEM)
				e = dup;
			im.w.err = &e;
		}
		goto fail;
	}
	if (hwp_import_assignments_done(&im) < 0 || assets_done(&im) < 0 ||
	    hwp_deps_finish(&im) < 0 || limits(&im) < 0 ||
	    (im.audit && audit_summary(&im, replace) < 0) ||
	    (dry_run && rd->diff != NULL &&
	     hwp_import_diff(st, rd->diff, rd->dctx, &e) < 0) ||
	    hwp_load_end(st, hwp_helper_threads(), dry_run, &e) < 0)
		goto fail;
	importer_release(&im);
	if (stats != NULL)
		*stats = im.stats;
	return 0;
fail:
	if (err != NULL && err->code == HW_OK)
		*err = e;
	hwp_load_abort(st);
	importer_release(&im);
	return -1;
}
