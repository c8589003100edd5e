/*
 * graph-snapshot.c: the whole graph, categorized, as a file: written
 * from a graph in memory, and mapped back read-only into one, its arrays
 * used in place, so that a command needs no load from the database.
 *
 * The file is derived data, and input like the database: reading it
 * trusts nothing.  Its header is checked (magic, version, byte order,
 * sizes, its own XXH3 checksum), then its stamp against the inventory
 * the caller reads, then an XXH3 checksum of every other byte, and then
 * every value a graph function follows: offsets, node and owner
 * numbers, levels, types, strings, the components' order, that the two
 * edge directions sum alike (a sum of their edges' hashes: a forged
 * file could still make them differ, which only gives wrong answers:
 * whatever is followed is checked value by value), that the paths that raised a
 * level end.  A damaged, truncated, stale or crafted file is refused
 * with the reason, never followed.
 *
 * Layout: a header, then each array of struct hw_graph in a section of
 * its own, 8-byte aligned, in this machine's byte order (the file never
 * leaves the machine; another byte order is refused).
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "graph-private.h"

/* The fuzzer's build (tests/fuzz) compares neither checksums nor the
 * stamp: its inputs then reach the checks behind them. */
#ifdef FUZZING_BUILD_MODE_UNSAFE_FOR_PRODUCTION
#define SUMS_CHECKED 0
#else
#define SUMS_CHECKED 1
#endif

#define SNAP_MAGIC "HWGRAPH\n"
#define SNAP_VERSION 1
/* What the file holds was computed by code: effective levels, paths,
 * components, the blast radius, type numbers.  A snapshot made by
 * another highwater is not used (raise SNAP_ALGORITHM with any change
 * to what the engine computes, between two releases too). */
#define SNAP_ALGORITHM 1
#define SNAP_ORDER 0x01020304u

enum section {
	S_ROWN,
	S_ID,
	S_NAME,
	S_OWNER,
	S_TYPE,
	S_OWN,
	S_EFF,
	S_OWNERS,
	S_STRINGS,
	S_OUT_OFF,
	S_OUT_ADJ,
	S_OUT_ATTR,
	S_IN_OFF,
	S_IN_ADJ,
	S_IN_ATTR,
	S_RAISER, /* HW_NOBJ of them */
	S_VIA = S_RAISER + HW_NOBJ,
	S_ON_CYCLE = S_VIA + HW_NOBJ,
	S_COMP,
	S_IDRANK,
	S_BLAST_COUNT, /* the three empty when the graph kept no blast */
	S_BLAST_WEIGHTED,
	S_BLAST_EST,
	NSECTIONS
};

struct snap_header {
	char magic[8];
	uint32_t version, order;
	uint64_t size;		/* of the whole file */
	uint64_t body_sum;	/* XXH3-64 of every byte after the header */
	uint64_t code;		/* code_fingerprint() of its writer */
	char database_id[40];	/* the stamp it was made at */
	int64_t generation;
	uint8_t tag[8];
	uint32_t n, m, nowners, ncomp;
	uint64_t strings;	/* bytes of the string section */
	uint32_t has_blast;	/* the blast sections hold it, at: */
	uint32_t unused;
	double blast_w[HW_LEVEL_HIGH + 1];
	struct {
		uint64_t offset, size;
	} sect[NSECTIONS];
	uint64_t header_sum;	/* XXH3-64 of the header up to here */
};

/* The engine that computed a file: this highwater's version, the
 * format's algorithm number, the vocabularies whose indexes it holds
 * and the blast radius's exactness bound. */
static uint64_t fingerprint;
static pthread_once_t fingerprint_once = PTHREAD_ONCE_INIT;

static void make_fingerprint(void)
{
	XXH3_state_t *st = XXH3_createState();
	uint64_t h = 0;
	char line[64];
	size_t i;

	if (st == NULL || XXH3_64bits_reset(st) != XXH_OK) {
		XXH3_freeState(st);
		return; /* 0: written, it matches no file's code */
	}
	snprintf(line, sizeof line, "%s/%d/%d/", PACKAGE_VERSION,
		 SNAP_ALGORITHM, HW_BLAST_EXACT);
	XXH3_64bits_update(st, line, strlen(line));
	for (i = 0; hw_asset_types[i] != NULL; i++)
		XXH3_64bits_update(st, hw_asset_types[i],
				   strlen(hw_asset_types[i]) + 1);
	for (i = 0; hw_dep_types[i] != NULL; i++)
		XXH3_64bits_update(st, hw_dep_types[i],
				   strlen(hw_dep_types[i]) + 1);
	h = XXH3_64bits_digest(st);
	XXH3_freeState(st);
	fingerprint = h != 0 ? h : 1;
}

static uint64_t code_fingerprint(void)
{
	pthread_once(&fingerprint_once, make_fingerprint);
	return fingerprint;
}

/* ------------------------------------------------------------------ */
/* Writing                                                             */

struct writer {
	int fd;
	uint64_t at; /* bytes written so far */
	XXH3_state_t *sum;
	char buf[1 << 16];
	size_t used;
	int failed; /* errno of the failed write, or -1 */
};

static void w_flush(struct writer *w)
{
	size_t done = 0;

	while (!w->failed && done < w->used) {
		ssize_t k = write(w->fd, w->buf + done, w->used - done);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			w->failed = k < 0 ? errno : -1;
		else
			done += (size_t)k;
	}
	w->used = 0;
}

static void w_bytes(struct writer *w, const void *p, size_t len)
{
	const char *s = p;

	if (len > 0 && XXH3_64bits_update(w->sum, p, len) != XXH_OK)
		w->failed = -1;
	w->at += len;
	while (len > 0 && !w->failed) {
		size_t k = sizeof w->buf - w->used;

		if (k > len)
			k = len;
		memcpy(w->buf + w->used, s, k);
		w->used += k;
		s += k;
		len -= k;
		if (w->used == sizeof w->buf)
			w_flush(w);
	}
}

/* Zeros up to the next multiple of 8. */
static void w_align(struct writer *w)
{
	static const char zeros[8];

	if (w->at % 8 != 0)
		w_bytes(w, zeros, 8 - w->at % 8);
}

/* A section of count elements of size bytes: where it went in *h. */
static void w_section(struct writer *w, struct snap_header *h, int s,
		      const void *p, size_t size, size_t count)
{
	w_align(w);
	h->sect[s].offset = w->at;
	h->sect[s].size = (uint64_t)size * count;
	w_bytes(w, p, size * count);
}

/* Write strs[0..count) into the string section, their offsets in it
 * into out; -1 past 32-bit offsets. */
static int str_offsets(struct writer *w, const char *const *strs,
		       size_t count, uint32_t *out, uint64_t *size)
{
	size_t i;

	for (i = 0; i < count; i++) {
		size_t len = strs[i] != NULL ? strlen(strs[i]) : 0;

		/* offsets are 32 bits: a bigger table is not kept */
		if (*size + len + 1 > UINT32_MAX)
			return -1;
		out[i] = (uint32_t)*size;
		w_bytes(w, strs[i] != NULL ? strs[i] : "", len + 1);
		*size += len + 1;
	}
	return 0;
}

int hw_graph_snapshot_write(struct hw_graph *g,
			     const struct hw_stamp *stamp, int fd,
			     struct hw_error *err)
{
	struct snap_header h;
	struct writer *w;
	uint32_t *id = NULL, *name = NULL, *owners = NULL;
	int o, ret = -1;

	if (!g->categorized || g->closure || g->m != g->in_off[g->n])
		return hw_error_set(err, HW_EINVAL,
				    "only a whole, categorized graph is kept");
	/* The id order is kept too: a mapped graph's sorts and ties then
	 * compare numbers. */
	if (hwp_graph_rank_ids(g, err) < 0)
		return -1;
	w = malloc(sizeof *w);
	id = malloc(((size_t)g->n + 1) * sizeof *id);
	name = malloc(((size_t)g->n + 1) * sizeof *name);
	owners = malloc(((size_t)g->nowners + 1) * sizeof *owners);
	if (w == NULL || id == NULL || name == NULL || owners == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	w->fd = fd;
	w->at = 0;
	w->used = 0;
	w->failed = 0;
	w->sum = XXH3_createState();
	if (w->sum == NULL || XXH3_64bits_reset(w->sum) != XXH_OK) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto out;
	}
	memset(&h, 0, sizeof h);
	/* The header's place, written last; the body's sum starts after. */
	if (lseek(fd, (off_t)sizeof h, SEEK_SET) < 0) {
		hw_error_set(err, HW_EIO, "cannot write the snapshot: %s",
			     strerror(errno));
		goto out;
	}
	w->at = sizeof h;
	/* The strings first: their offsets go in the sections after. */
	h.sect[S_STRINGS].offset = w->at;
	if (str_offsets(w, g->id, g->n, id, &h.strings) < 0 ||
	    str_offsets(w, g->name, g->n, name, &h.strings) < 0 ||
	    str_offsets(w, g->owners, g->nowners, owners, &h.strings) < 0) {
		hw_error_set(err, HW_EINVAL, "too many strings to keep");
		goto out;
	}
	/* one NUL more: the section is never empty (an empty graph) */
	w_bytes(w, "", 1);
	h.strings++;
	h.sect[S_STRINGS].size = h.strings;
	w_section(w, &h, S_ID, id, sizeof *id, g->n);
	w_section(w, &h, S_NAME, name, sizeof *name, g->n);
	w_section(w, &h, S_OWNERS, owners, sizeof *owners, g->nowners);
	w_section(w, &h, S_ROWN, g->rown, sizeof *g->rown, g->n);
	w_section(w, &h, S_OWNER, g->owner, sizeof *g->owner, g->n);
	w_section(w, &h, S_TYPE, g->type, sizeof *g->type, g->n);
	w_section(w, &h, S_OWN, g->own, sizeof *g->own, g->n);
	w_section(w, &h, S_EFF, g->eff, sizeof *g->eff, g->n);
	w_section(w, &h, S_OUT_OFF, g->out_off, sizeof *g->out_off,
		  (size_t)g->n + 1);
	w_section(w, &h, S_OUT_ADJ, g->out_adj, sizeof *g->out_adj, g->m);
	w_section(w, &h, S_OUT_ATTR, g->out_attr, 1, g->m);
	w_section(w, &h, S_IN_OFF, g->in_off, sizeof *g->in_off,
		  (size_t)g->n + 1);
	w_section(w, &h, S_IN_ADJ, g->in_adj, sizeof *g->in_adj, g->m);
	w_section(w, &h, S_IN_ATTR, g->in_attr, 1, g->m);
	for (o = 0; o < HW_NOBJ; o++) {
		w_section(w, &h, S_RAISER + o, g->raiser[o], sizeof(int32_t),
			  g->n);
		w_section(w, &h, S_VIA + o, g->via[o], sizeof(int32_t), g->n);
	}
	w_section(w, &h, S_ON_CYCLE, g->on_cycle, 1, g->n);
	w_section(w, &h, S_COMP, g->comp, sizeof *g->comp, g->n);
	w_section(w, &h, S_IDRANK, g->idrank, sizeof *g->idrank, g->n);
	h.has_blast = g->blast_count != NULL;
	if (h.has_blast)
		memcpy(h.blast_w, g->blast_w, sizeof h.blast_w);
	w_section(w, &h, S_BLAST_COUNT, g->blast_count, sizeof(double),
		  h.has_blast ? g->n : 0);
	w_section(w, &h, S_BLAST_WEIGHTED, g->blast_weighted, sizeof(double),
		  h.has_blast ? g->n : 0);
	w_section(w, &h, S_BLAST_EST, g->blast_est, 1, h.has_blast ? g->n : 0);
	w_align(w);
	w_flush(w);
	if (w->failed) {
		hw_error_set(err, HW_EIO, "cannot write the snapshot: %s",
			     w->failed > 0 ? strerror(w->failed)
					   : "short write");
		goto out;
	}
	memcpy(h.magic, SNAP_MAGIC, sizeof h.magic);
	h.version = SNAP_VERSION;
	h.code = code_fingerprint();
	h.order = SNAP_ORDER;
	h.size = w->at;
	h.body_sum = XXH3_64bits_digest(w->sum);
	memcpy(h.database_id, stamp->database_id, sizeof stamp->database_id);
	h.generation = stamp->generation;
	memcpy(h.tag, stamp->tag, sizeof h.tag);
	h.n = g->n;
	h.m = g->m;
	h.nowners = g->nowners;
	h.ncomp = g->ncomp;
	h.header_sum = XXH3_64bits(&h, offsetof(struct snap_header, header_sum));
	if (pwrite(fd, &h, sizeof h, 0) != (ssize_t)sizeof h) {
		hw_error_set(err, HW_EIO, "cannot write the snapshot: %s",
			     strerror(errno));
		goto out;
	}
	ret = 0;
out:
	if (w != NULL)
		XXH3_freeState(w->sum);
	free(w);
	free(id);
	free(name);
	free(owners);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */

static int refuse(struct hw_error *err, const char *why)
{
	return hw_error_set(err, HW_EDAMAGED, "graph snapshot refused: %s",
			    why);
}

/* Is section s where the header says, inside the file, aligned, and
 * of count elements of size bytes? */
static int section_ok(const struct snap_header *h, int s, uint64_t size,
		      uint64_t count)
{
	uint64_t off = h->sect[s].offset, len = h->sect[s].size;

	return off >= sizeof *h && off % 8 == 0 && off <= h->size &&
	       len <= h->size - off && len == size * count;
}

static int header_ok(const struct snap_header *h, uint64_t file_size,
		     struct hw_error *err)
{
	uint64_t n, m;
	int o;

	if (h->version != SNAP_VERSION || h->order != SNAP_ORDER)
		return refuse(err, "another version or byte order");
	if (SUMS_CHECKED &&
	    h->header_sum !=
		XXH3_64bits(h, offsetof(struct snap_header, header_sum)))
		return refuse(err, "its header's checksum does not match");
	if (h->size != file_size)
		return refuse(err, "its size is not the size it records");
	n = h->n;
	m = h->m;
	/* node and edge numbers are 32 bits, HWP_NONE excluded */
	if (n >= HWP_NONE || m >= HWP_NONE || h->nowners > n ||
	    h->ncomp > n || (n == 0 && h->ncomp != 0))
		return refuse(err, "its counts are out of range");
	if (!section_ok(h, S_STRINGS, 1, h->strings) || h->strings == 0)
		return refuse(err, "its strings are out of place");
	if (!section_ok(h, S_ROWN, sizeof(int64_t), n) ||
	    !section_ok(h, S_ID, sizeof(uint32_t), n) ||
	    !section_ok(h, S_NAME, sizeof(uint32_t), n) ||
	    !section_ok(h, S_OWNER, sizeof(int32_t), n) ||
	    !section_ok(h, S_TYPE, 1, n) ||
	    !section_ok(h, S_OWN, sizeof(struct hw_sc), n) ||
	    !section_ok(h, S_EFF, sizeof(struct hw_sc), n) ||
	    !section_ok(h, S_OWNERS, sizeof(uint32_t), h->nowners) ||
	    !section_ok(h, S_OUT_OFF, sizeof(uint32_t), n + 1) ||
	    !section_ok(h, S_OUT_ADJ, sizeof(uint32_t), m) ||
	    !section_ok(h, S_OUT_ATTR, 1, m) ||
	    !section_ok(h, S_IN_OFF, sizeof(uint32_t), n + 1) ||
	    !section_ok(h, S_IN_ADJ, sizeof(uint32_t), m) ||
	    !section_ok(h, S_IN_ATTR, 1, m) ||
	    !section_ok(h, S_ON_CYCLE, 1, n) ||
	    !section_ok(h, S_COMP, sizeof(uint32_t), n) ||
	    !section_ok(h, S_IDRANK, sizeof(uint32_t), n) ||
	    h->has_blast > 1 ||
	    !section_ok(h, S_BLAST_COUNT, sizeof(double), h->has_blast * n) ||
	    !section_ok(h, S_BLAST_WEIGHTED, sizeof(double), h->has_blast * n) ||
	    !section_ok(h, S_BLAST_EST, 1, h->has_blast * n))
		return refuse(err, "a section is out of place");
	for (o = 0; o < HW_NOBJ; o++)
		if (!section_ok(h, S_RAISER + o, sizeof(int32_t), n) ||
		    !section_ok(h, S_VIA + o, sizeof(int32_t), n))
			return refuse(err, "a section is out of place");
	return 0;
}

/* One direction's compressed rows: offsets from 0 to m, never
 * decreasing; every neighbour a node; every edge type known. */
static int rows_ok(uint32_t n, uint32_t m, const uint32_t *off,
		   const uint32_t *adj, const uint8_t *attr)
{
	uint32_t v, e;

	if (off[0] != 0 || off[n] != m)
		return 0;
	for (v = 0; v < n; v++)
		if (off[v + 1] < off[v])
			return 0;
	for (e = 0; e < m; e++)
		if (adj[e] >= n || ATTR_TYPE(attr[e]) >= HW_DEP_TYPE_COUNT)
			return 0;
	return 1;
}

/* An edge's share of a sum that is the same whatever order the edges
 * come in (splitmix64 of the edge): the two directions must sum alike. */
static uint64_t mix64(uint64_t x)
{
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static uint64_t edge_mix(uint32_t from, uint32_t to, uint8_t attr)
{
	return mix64(mix64(((uint64_t)from << 32 | to) ^ 0x9e3779b97f4a7c15ULL) ^
		     attr);
}

static int same_edges(const struct hw_graph *g)
{
	uint64_t out = 0, in = 0;
	uint32_t v, e;

	for (v = 0; v < g->n; v++) {
		for (e = g->out_off[v]; e < g->out_off[v + 1]; e++)
			out += edge_mix(v, g->out_adj[e], g->out_attr[e]);
		for (e = g->in_off[v]; e < g->in_off[v + 1]; e++)
			in += edge_mix(g->in_adj[e], v, g->in_attr[e]);
	}
	return out == in;
}

static int level_ok(const struct hw_sc *sc)
{
	int o;

	for (o = 0; o < HW_NOBJ; o++)
		if ((unsigned)sc->v[o] > HW_LEVEL_HIGH)
			return 0;
	return 1;
}

/* Every path of via links ends (no loop): followed from each node until
 * a node already known to end, each node is walked once.  mark: n
 * bytes, zeroed: 1 on the walk now, 2 known to end. */
static int paths_end(const int32_t *via, uint32_t n, uint8_t *mark)
{
	uint32_t v;
	int32_t u;

	for (v = 0; v < n; v++) {
		for (u = (int32_t)v; u >= 0 && mark[u] == 0; u = via[u])
			mark[u] = 1;
		if (u >= 0 && mark[u] == 1)
			return 0; /* back on this walk: a loop */
		for (u = (int32_t)v; u >= 0 && mark[u] == 1; u = via[u])
			mark[u] = 2;
	}
	return 1;
}

/* The node arrays' values: owners, types, levels, raisers, cycle marks
 * and components (numbered dependencies first: an edge never leads to
 * a later component). */
static int nodes_ok(const struct hw_graph *g, struct hw_error *err)
{
	uint32_t v, e;
	size_t ntypes = 0;
	uint8_t *mark;
	int o;

	while (hw_asset_types[ntypes] != NULL)
		ntypes++;
	for (v = 0; v < g->n; v++) {
		if (g->owner[v] < -1 || g->owner[v] >= (int32_t)g->nowners ||
		    g->type[v] >= ntypes || !level_ok(&g->own[v]) ||
		    !level_ok(&g->eff[v]) || g->on_cycle[v] > 1 ||
		    g->comp[v] >= g->ncomp)
			return refuse(err, "a node's value is out of range");
		for (o = 0; o < HW_NOBJ; o++)
			if (g->raiser[o][v] < -1 ||
			    g->raiser[o][v] >= (int32_t)g->n ||
			    g->via[o][v] < -1 || g->via[o][v] >= (int32_t)g->n)
				return refuse(err,
					      "a node's raiser is out of range");
		for (e = g->out_off[v]; e < g->out_off[v + 1]; e++)
			if (g->comp[g->out_adj[e]] > g->comp[v])
				return refuse(err,
					      "its components are out of order");
	}
	/* (>= 0 is false for a NaN) */
	for (v = 0; g->blast_count != NULL && v < g->n; v++)
		if (!(g->blast_count[v] >= 0 && g->blast_count[v] <= 1e300 &&
		      g->blast_weighted[v] >= 0 &&
		      g->blast_weighted[v] <= 1e300 && g->blast_est[v] <= 1))
			return refuse(err, "a blast radius is out of range");
	mark = malloc((size_t)g->n + 1);
	if (mark == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	for (o = 0; o < HW_NOBJ; o++) {
		memset(mark, 0, (size_t)g->n + 1);
		if (!paths_end(g->via[o], g->n, mark)) {
			free(mark);
			return refuse(err, "a path that raised a level loops");
		}
	}
	free(mark);
	return 0;
}

/* Ids are ids, and names and owners text as the database's rows must
 * be (UTF-8, no control characters): what is printed from them. */
static int strings_ok(const struct hw_graph *g, struct hw_error *err)
{
	struct hw_error e = {0};
	uint32_t v;

	for (v = 0; v < g->n; v++)
		if (!hw_id_valid(g->id[v]))
			return refuse(err, "an id is not an asset id");
	for (v = 0; v < g->n; v++)
		if (hwp_text_check(g->name[v], "a name", &e) < 0)
			return refuse(err, "a name is not text");
	for (v = 0; v < g->nowners; v++)
		if (hwp_text_check(g->owners[v], "an owner", &e) < 0)
			return refuse(err, "an owner is not text");
	return 0;
}

/* The id ranks are a permutation, and ids in rank order ascend (and so
 * are distinct). */
static int ranks_ok(const struct hw_graph *g, struct hw_error *err)
{
	uint32_t *byrank, v;

	if (g->n == 0)
		return 0;
	byrank = malloc((size_t)g->n * sizeof *byrank);
	if (byrank == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	memset(byrank, 0xff, (size_t)g->n * sizeof *byrank);
	for (v = 0; v < g->n; v++) {
		if (g->idrank[v] >= g->n || byrank[g->idrank[v]] != HWP_NONE) {
			free(byrank);
			return refuse(err, "its id order is not a permutation");
		}
		byrank[g->idrank[v]] = v;
	}
	for (v = 1; v < g->n; v++)
		if (strcmp(g->id[byrank[v - 1]], g->id[byrank[v]]) >= 0) {
			free(byrank);
			return refuse(err, "its ids are out of order");
		}
	free(byrank);
	return 0;
}

/* The string pointers of the offsets in off[0..count), each inside the
 * string section (which ends with a NUL: each string ends in it). */
static int strings_of(const char *base, uint64_t size, const uint32_t *off,
		      size_t count, const char ***out)
{
	size_t i;

	*out = hwp_alloc_big((count + 1) * sizeof **out);
	if (*out == NULL)
		return -1;
	for (i = 0; i < count; i++) {
		if (off[i] >= size)
			return -2;
		(*out)[i] = base + off[i];
	}
	return 0;
}

/* The body's checksum and the strings' checks, made beside the checks
 * of the other values (in a thread of its own when one can be started:
 * the two read the mapping at once, on two cores). */
struct body_sum {
	const char *p;
	size_t len;
	uint64_t sum;
	const struct hw_graph *g; /* its strings to check, or NULL */
	int strings_rc;
	struct hw_error strings_err;
	pthread_t thread;
	int threaded, done;
};

static void *sum_body(void *arg)
{
	struct body_sum *b = arg;

	b->sum = XXH3_64bits(b->p, b->len);
	if (b->g != NULL)
		b->strings_rc = strings_ok(b->g, &b->strings_err);
	return NULL;
}

static void sum_start(struct body_sum *b, const char *base, size_t size,
		      const struct hw_graph *g)
{
	b->p = base + sizeof(struct snap_header);
	b->len = size - sizeof(struct snap_header);
	b->g = g;
	b->threaded = pthread_create(&b->thread, NULL, sum_body, b) == 0;
}

/* Wait for the thread, if there is one (always before the mapping
 * goes). */
static void sum_join(struct body_sum *b)
{
	if (b->threaded)
		pthread_join(b->thread, NULL);
	b->threaded = 0;
}

/* The sum: the thread's, or computed now when there was none (once). */
static uint64_t sum_end(struct body_sum *b)
{
	int had_thread = b->threaded;

	sum_join(b);
	if (!had_thread && !b->done)
		sum_body(b);
	b->done = 1;
	return b->sum;
}

struct hw_graph *hw_graph_snapshot_map(int fd, const struct hw_stamp *want,
					struct hw_error *err)
{
	struct stat sb;
	struct snap_header hd;
	const struct snap_header *h;
	struct body_sum body = {0};
	ssize_t got;
	struct hw_graph *g;
	const char *base;
	void *map;
	int o, rc;

	/* Everything the header says is checked before the file is
	 * mapped: a big file that is no current snapshot costs nothing. */
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		hw_error_set(err, HW_ENOTHW,
			     "graph snapshot refused: not a regular file");
		return NULL;
	}
	got = pread(fd, &hd, sizeof hd, 0);
	if (got < (ssize_t)sizeof hd.magic ||
	    memcmp(hd.magic, SNAP_MAGIC, sizeof hd.magic) != 0) {
		hw_error_set(err, HW_ENOTHW, "graph snapshot refused: not a "
					     "highwater graph snapshot");
		return NULL;
	}
	if (got != (ssize_t)sizeof hd || (uint64_t)sb.st_size < sizeof hd) {
		refuse(err, "shorter than its header");
		return NULL;
	}
	if (header_ok(&hd, (uint64_t)sb.st_size, err) < 0)
		return NULL;
	if (SUMS_CHECKED && hd.code != code_fingerprint()) {
		hw_error_set(err, HW_EREFUSED,
			     "graph snapshot stale: made by another "
			     "highwater");
		return NULL;
	}
	if (SUMS_CHECKED &&
	    (memcmp(hd.database_id, want->database_id,
		    sizeof want->database_id) != 0 ||
	     hd.generation != want->generation ||
	     memcmp(hd.tag, want->tag, sizeof hd.tag) != 0)) {
		hw_error_set(err, HW_EREFUSED,
			     "graph snapshot stale: made at another state "
			     "of the inventory");
		return NULL;
	}
	if ((uint64_t)sb.st_size > SIZE_MAX) {
		refuse(err, "too large to map");
		return NULL;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ,
		   MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED) {
		hw_error_set(err, HW_EIO, "cannot map the graph snapshot: %s",
			     strerror(errno));
		return NULL;
	}
	base = map;
	h = map;
	/* (the file's owner alone could have changed it since) */
	if (memcmp(h, &hd, sizeof hd) != 0) {
		refuse(err, "it changed while it was read");
		goto unmap;
	}
	body.p = base + sizeof *h;
	body.len = (size_t)h->size - sizeof *h;
	if (base[h->sect[S_STRINGS].offset + h->strings - 1] != '\0') {
		refuse(err, "its strings do not end");
		goto unmap;
	}
	g = calloc(1, sizeof *g);
	if (g == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto unmap;
	}
	g->owner_ids.strings = g->by_id.strings = 1;
	g->map = map;
	g->map_size = (size_t)sb.st_size;
	g->n = g->cap = h->n;
	g->m = h->m;
	g->nowners = g->owners_cap = h->nowners;
	g->ncomp = h->ncomp;
	g->categorized = 1;
#define AT(s) ((void *)(base + h->sect[s].offset))
	g->rown = AT(S_ROWN);
	g->owner = AT(S_OWNER);
	g->type = AT(S_TYPE);
	g->own = AT(S_OWN);
	g->eff = AT(S_EFF);
	g->out_off = AT(S_OUT_OFF);
	g->out_adj = AT(S_OUT_ADJ);
	g->out_attr = AT(S_OUT_ATTR);
	g->in_off = AT(S_IN_OFF);
	g->in_adj = AT(S_IN_ADJ);
	g->in_attr = AT(S_IN_ATTR);
	for (o = 0; o < HW_NOBJ; o++) {
		g->raiser[o] = AT(S_RAISER + o);
		g->via[o] = AT(S_VIA + o);
	}
	g->on_cycle = AT(S_ON_CYCLE);
	g->comp = AT(S_COMP);
	g->idrank = AT(S_IDRANK);
	if (h->has_blast) {
		g->blast_count = AT(S_BLAST_COUNT);
		g->blast_weighted = AT(S_BLAST_WEIGHTED);
		g->blast_est = AT(S_BLAST_EST);
		memcpy(g->blast_w, h->blast_w, sizeof g->blast_w);
	}
	rc = strings_of(AT(S_STRINGS), h->strings, AT(S_ID), g->n, &g->id);
	if (rc == 0)
		rc = strings_of(AT(S_STRINGS), h->strings, AT(S_NAME), g->n,
				&g->name);
	if (rc == 0)
		rc = strings_of(AT(S_STRINGS), h->strings, AT(S_OWNERS),
				g->nowners, &g->owners);
#undef AT
	if (rc == -2) {
		refuse(err, "a string is out of place");
		goto free;
	}
	if (rc == 0)
		rc = hwp_graph_index_rows(g);
	if (rc == -2) {
		refuse(err, "two nodes have one row number");
		goto free;
	}
	if (rc == -1) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		goto free;
	}
	sum_start(&body, base, (size_t)h->size, g);
	if (!rows_ok(g->n, g->m, g->out_off, g->out_adj, g->out_attr) ||
	    !rows_ok(g->n, g->m, g->in_off, g->in_adj, g->in_attr)) {
		refuse(err, "its edges are out of range");
		goto free;
	}
	if (!same_edges(g)) {
		refuse(err, "its two edge directions differ");
		goto free;
	}
	if (nodes_ok(g, err) < 0 || ranks_ok(g, err) < 0)
		goto free;
	if (sum_end(&body) != h->body_sum && SUMS_CHECKED) {
		refuse(err, "its checksum does not match");
		goto free;
	}
	if (body.strings_rc < 0) {
		hw_error_set(err, body.strings_err.code, "%s",
			     body.strings_err.text);
		goto free;
	}
	return g;
free:
	/* A file damaged by accident is said to be so, whichever value
	 * check met the damage first. */
	if (err != NULL && err->code == HW_EDAMAGED &&
	    sum_end(&body) != h->body_sum && SUMS_CHECKED) {
		hw_error_clear(err);
		refuse(err, "its checksum does not match");
	}
	sum_join(&body);
	hw_graph_free(g); /* unmaps */
	return NULL;
unmap:
	sum_join(&body);
	munmap(map, (size_t)sb.st_size);
	return NULL;
}
