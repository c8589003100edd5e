/*
 * import-deps.c: the import engine's dependencies.  Rows are collected
 * in memory with their ends as store keys (or an ident not known yet),
 * sorted by (from, to) a chunk at a time and inserted while the file is
 * read; at the end the sorted runs are merged to find duplicates, and
 * an end that is no asset or a duplicate is reported, whichever comes
 * first in the file.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import-engine.h"

int hwp_deps_ord(struct hwp_import *im, long ord, uint32_t *out)
{
	struct dep_file *f =
	    im->ndepfiles > 0 ? &im->depfiles[im->ndepfiles - 1] : NULL;

	if (f == NULL || f->file != im->w.file) {
		if (im->ndepfiles == im->capdepfiles) {
			size_t cap = im->capdepfiles ? 2 * im->capdepfiles : 4;
			void *p = realloc(im->depfiles, cap * sizeof *f);

			if (p == NULL)
				return hwp_where_nomem(&im->w);
			im->depfiles = p;
			im->capdepfiles = cap;
		}
		f = &im->depfiles[im->ndepfiles++];
		f->file = im->w.file;
		f->offset = im->depnext;
	}
	if (ord < 0 || (unsigned long)ord >= UINT32_MAX - f->offset)
		return hwp_where_fail(&im->w, "dependency", HW_EINVAL,
				      "too many dependency lines in one "
				      "import (expected fewer than %u)",
				      UINT32_MAX);
	*out = f->offset + (uint32_t)ord;
	im->depnext = *out + 1;
	return 0;
}

/* The file row ord is in (the last whose offset is not past it). */
static const struct dep_file *dep_file_of(const struct hwp_import *im,
					  uint32_t ord)
{
	size_t lo = 0, hi = im->ndepfiles;

	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;

		if (im->depfiles[mid].offset <= ord)
			lo = mid;
		else
			hi = mid;
	}
	return &im->depfiles[lo];
}

/* Ends of rows [from, ndeps) that were not known when their dependency
 * was read and are now. */
void hwp_deps_resolve(struct hwp_import *im, size_t from)
{
	struct hwp_dep_row *d;
	size_t i;

	for (i = from; i < im->ndeps && im->nlater > 0; i++) {
		d = &im->deps[i];
		if (!(d->src & LATER) && !(d->dst & LATER))
			continue;
		if ((d->src & LATER) && LATER_IDENT(d->src)->n > 0)
			d->src = (uint64_t)LATER_IDENT(d->src)->n;
		if ((d->dst & LATER) && LATER_IDENT(d->dst)->n > 0)
			d->dst = (uint64_t)LATER_IDENT(d->dst)->n;
		im->nlater -= !(d->src & LATER) && !(d->dst & LATER);
	}
}

#define RADIX_BITS 11
#define RADIX (1u << RADIX_BITS)

/* Sort n rows by (src, dst), stably: least significant digit first,
 * through a second array; as many digits as the largest value needs. */
static int sort_rows(struct hwp_import *im, struct hwp_dep_row *rows, size_t n)
{
	struct hwp_dep_row *from = rows, *to;
	uint64_t any_src = 0, any_dst = 0, key;
	size_t count[RADIX], i;
	int shift, field;

	if (n < 2)
		return 0;
	/* The scratch array stays for the next chunk. */
	if (n > im->capsort) {
		free(im->sortbuf);
		im->sortbuf = malloc(n * sizeof *im->sortbuf);
		im->capsort = im->sortbuf != NULL ? n : 0;
		if (im->sortbuf == NULL)
			return hwp_where_nomem(&im->w);
	}
	for (i = 0; i < n; i++) {
		any_src |= from[i].src;
		any_dst |= from[i].dst;
	}
	to = im->sortbuf;
	for (field = 1; field >= 0; field--) {
		uint64_t any = field ? any_dst : any_src;

		for (shift = 0; shift < 64 && (any >> shift) != 0;
		     shift += RADIX_BITS) {
			size_t sum = 0, c;

			memset(count, 0, sizeof count);
			for (i = 0; i < n; i++) {
				key = field ? from[i].dst : from[i].src;
				count[(key >> shift) & (RADIX - 1)]++;
			}
			for (i = 0; i < RADIX; i++) {
				c = count[i];
				count[i] = sum;
				sum += c;
			}
			for (i = 0; i < n; i++) {
				key = field ? from[i].dst : from[i].src;
				to[count[(key >> shift) & (RADIX - 1)]++] =
				    from[i];
			}
			from = to;
			to = from == im->sortbuf ? rows : im->sortbuf;
		}
	}
	if (from != rows)
		memcpy(rows, from, n * sizeof *rows);
	return 0;
}

int hwp_deps_sort(struct hwp_import *im)
{
	return sort_rows(im, im->deps, im->ndeps);
}

/* After hwp_deps_sort: the index of the row that repeats an earlier
 * dependency first in file order (*first its first row), or -1.  Rows
 * of a pair stay in file order: the sort is stable. */
static long first_duplicate(const struct hwp_import *im, long *first)
{
	long best = -1;
	size_t i;

	for (i = 1; i < im->ndeps; i++) {
		const struct hwp_dep_row *a = &im->deps[i - 1],
					 *b = &im->deps[i];

		if (a->src != b->src || a->dst != b->dst)
			continue;
		if (best < 0 || b->ord < im->deps[best].ord) {
			best = (long)i;
			*first = (long)i - 1;
		}
		while (i + 1 < im->ndeps && im->deps[i + 1].src == b->src &&
		       im->deps[i + 1].dst == b->dst)
			i++;
	}
	return best;
}

/* The id of a dependency end, for a message: a new string. */
static char *end_id(struct hwp_import *im, uint64_t end)
{
	char *id = NULL;

	if (end & LATER)
		return strdup(LATER_IDENT(end)->id);
	if (hwp_asset_id(im->st, (long long)end, &id, NULL) < 0)
		return NULL;
	return id;
}

static int dep_fail(struct hwp_import *im, long ord, const char *end,
		    enum hw_errcode code, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static int dep_fail(struct hwp_import *im, long ord, const char *end,
		    enum hw_errcode code, const char *fmt, ...)
{
	char path[96], msg[256];
	va_list ap;

	const struct dep_file *f = dep_file_of(im, (uint32_t)ord);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	ord -= f->offset;
	if (im->w.lines)
		snprintf(path, sizeof path, "dependency%s", end);
	else
		snprintf(path, sizeof path, "dependencies[%ld]%s", ord, end);
	im->w.file = f->file;
	im->w.line = ord;
	return hwp_where_fail(&im->w, path, code, "%s", msg);
}

/* Report the first duplicate among the rows, if any: 1 reported, 0
 * none, -1 on error.  Needs the rows sorted. */
int hwp_deps_report_duplicate(struct hwp_import *im, long before)
{
	long first = 0, dup = first_duplicate(im, &first);
	const struct dep_file *f, *g;
	char *from, *to;

	if (dup < 0 || (before >= 0 && im->deps[dup].ord >= before))
		return 0;
	from = end_id(im, im->deps[dup].src);
	to = end_id(im, im->deps[dup].dst);
	f = dep_file_of(im, im->deps[first].ord);
	g = dep_file_of(im, im->deps[dup].ord);
	if (from == NULL || to == NULL)
		hw_error_set(im->w.err, HW_ENOMEM, "out of memory");
	else
		/* Of many files, the first's is named when it is another. */
		dep_fail(im, im->deps[dup].ord, "", HW_EEXIST,
			 "duplicate dependency '%s' -> '%s' (first at %s%s%s%s "
			 "%u)",
			 from, to, f != g ? "'" : "", f != g ? f->file : "",
			 f != g ? "' " : "",
			 im->w.lines ? "line" : "dependencies index",
			 im->deps[first].ord - f->offset);
	free(from);
	free(to);
	return 1;
}

/* Before an insert: tell the store how many dependencies the import
 * adds (or an estimate); it decides once whether to rebuild its reverse
 * index at the end. */
static int decide_index(struct hwp_import *im, long long pending)
{
	return hwp_load_deps_coming(im->st, pending, im->w.err);
}

/* Insert n rows (in this order) into the store, but those it holds as
 * they are (flag 2). */
static int put_rows(struct hwp_import *im, struct hwp_dep_row *rows, size_t n)
{
	struct hw_error e = {0};
	struct hwp_dep_row *put = rows;
	size_t bad = 0, i, m = n;

	for (i = 0; i < n && rows[i].flag != 2; i++)
		;
	if (i < n) {
		/* The sort's scratch is free: the rows to write, in
		 * order. */
		if (n > im->capsort) {
			free(im->sortbuf);
			im->sortbuf = malloc(n * sizeof *im->sortbuf);
			im->capsort = im->sortbuf != NULL ? n : 0;
			if (im->sortbuf == NULL)
				return hwp_where_nomem(&im->w);
		}
		put = im->sortbuf;
		for (i = m = 0; i < n; i++)
			if (rows[i].flag != 2)
				put[m++] = rows[i];
	}
	if (m > 0 && hwp_load_deps(im->st, put, m, &bad, &e) < 0)
		return dep_fail(im, put[bad].ord, "", e.code, "%s", e.text);
	for (i = 0; i < n; i++)
		rows[i].flag = 1;
	return 0;
}

/* Rows [nstored, ndeps) make a run: sort it and remember where it
 * starts. */
static int sort_run(struct hwp_import *im)
{
	if (im->nruns == im->capruns) {
		size_t cap = im->capruns ? im->capruns * 2 : 16;
		size_t *p = realloc(im->runs, cap * sizeof *p);

		if (p == NULL)
			return hwp_where_nomem(&im->w);
		im->runs = p;
		im->capruns = cap;
	}
	im->runs[im->nruns++] = im->nstored;
	/* No rows (a file without dependencies): maybe no array either. */
	if (im->ndeps == im->nstored)
		return 0;
	return sort_rows(im, im->deps + im->nstored, im->ndeps - im->nstored);
}

/* Two equal rows side by side in n sorted rows? */
static int run_has_duplicate(const struct hwp_dep_row *rows, size_t n)
{
	size_t i;

	for (i = 1; i < n; i++)
		if (rows[i].src == rows[i - 1].src &&
		    rows[i].dst == rows[i - 1].dst)
			return 1;
	return 0;
}

/* While reading: insert the rows read since the last chunk, sorted,
 * unless some have an end not known yet (they wait for the end). */
int hwp_deps_store_chunk(struct hwp_import *im)
{
	size_t n = im->ndeps - im->nstored;
	long long estimate = (long long)im->ndeps;

	hwp_deps_resolve(im, im->nstored);
	if (im->nlater > 0)
		return 0;
	/* Large inventories come as JSON Lines: guess the whole file's
	 * dependencies from the part read. */
	if (im->done > 0 && im->total > im->done)
		estimate = (long long)((double)im->ndeps *
				       ((double)im->total / (double)im->done));
	if (sort_run(im) < 0)
		return -1;
	/* A row twice in the run: the file is refused at its end (the
	 * first duplicate named, hwp_deps_finish); storing what follows
	 * would only be undone.  (PostgreSQL writes a batch holding a
	 * row twice a row at a time: a million duplicates took minutes.) */
	im->dup_seen =
	    im->dup_seen || run_has_duplicate(im->deps + im->nstored, n);
	if (!im->dup_seen && (decide_index(im, estimate) < 0 ||
			      put_rows(im, im->deps + im->nstored, n) < 0))
		return -1;
	im->nstored = im->ndeps;
	return 0;
}

/* At the end: insert the last run (sorted). */
static int insert_deps(struct hwp_import *im)
{
	size_t n = im->ndeps - im->nstored;

	if (n > 0 && (decide_index(im, (long long)n) < 0 ||
		      put_rows(im, im->deps + im->nstored, n) < 0))
		return -1;
	im->nstored = im->ndeps;
	return 0;
}

/* Whether the head of run a sorts before the head of run b. */
static int head_less(const struct hwp_import *im, const size_t *pos, size_t a,
		     size_t b)
{
	const struct hwp_dep_row *x = &im->deps[pos[a]], *y = &im->deps[pos[b]];

	return x->src < y->src || (x->src == y->src && x->dst < y->dst);
}

/* Restore the heap of runs (by their heads) below slot top. */
static void sift_down(const struct hwp_import *im, const size_t *pos,
		      size_t *heap, size_t n, size_t top)
{
	size_t c, t;

	for (; (c = 2 * top + 1) < n; top = c) {
		if (c + 1 < n && head_less(im, pos, heap[c + 1], heap[c]))
			c++;
		if (!head_less(im, pos, heap[c], heap[top]))
			break;
		t = heap[c];
		heap[c] = heap[top];
		heap[top] = t;
	}
}

/* With every run sorted: whether some pair is there twice, found by
 * merging the runs (a heap of their heads) and comparing each row with
 * the one before: far cheaper than sorting all the rows again. */
static int runs_duplicate(struct hwp_import *im)
{
	size_t *pos, *end, *heap, k = im->nruns, n = 0, i;
	const struct hwp_dep_row *prev = NULL, *row;
	int ret = 0;

	pos = malloc(3 * (k + 1) * sizeof *pos);
	if (pos == NULL)
		return hwp_where_nomem(&im->w);
	end = pos + k + 1;
	heap = end + k + 1;
	for (i = 0; i < k; i++) {
		pos[i] = im->runs[i];
		end[i] = i + 1 < k ? im->runs[i + 1] : im->ndeps;
		if (pos[i] < end[i])
			heap[n++] = i;
	}
	for (i = n / 2; i-- > 0;)
		sift_down(im, pos, heap, n, i);
	while (n > 0 && !ret) {
		row = &im->deps[pos[heap[0]]];
		ret = prev != NULL && prev->src == row->src &&
		      prev->dst == row->dst;
		prev = row;
		if (++pos[heap[0]] == end[heap[0]])
			heap[0] = heap[--n];
		sift_down(im, pos, heap, n, 0);
	}
	free(pos);
	return ret;
}

/* After every record: check the dependencies (ends that are no asset,
 * duplicates: whichever comes first in the file) and insert them. */
int hwp_deps_finish(struct hwp_import *im)
{
	struct hwp_dep_row bad = {0};
	int have_bad = 0, from, rc;
	size_t i;
	char *id;

	hwp_deps_resolve(im, 0);
	for (i = 0; i < im->ndeps && im->nlater > 0 && !have_bad; i++)
		if ((im->deps[i].src | im->deps[i].dst) & LATER) {
			bad = im->deps[i];
			have_bad = 1;
		}
	if (!have_bad) {
		if (sort_run(im) < 0 || (rc = runs_duplicate(im)) < 0)
			return -1;
		if (rc == 0)
			return insert_deps(im);
	}
	/* Something to report: sort all the rows to tell what. */
	if (hwp_deps_sort(im) < 0 ||
	    hwp_deps_report_duplicate(im, have_bad ? (long)bad.ord : -1) != 0 ||
	    !have_bad)
		return -1;
	from = (bad.src & LATER) != 0;
	id = end_id(im, from ? bad.src : bad.dst);
	if (id == NULL)
		return hwp_where_nomem(&im->w);
	dep_fail(im, bad.ord, from ? ".from" : ".to", HW_ENOTFOUND,
		 "unknown asset '%s' (not in the file nor the database)", id);
	free(id);
	return -1;
}
