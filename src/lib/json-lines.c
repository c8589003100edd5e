/*
 * json-lines.c: the JSON Lines reader, and the pipeline it shares with
 * the whole-document reader: worker threads take turns cutting the next
 * batch of the file (whole lines, or whole array elements) and parse it
 * into records; the calling thread hands the batches' records to the
 * import engine in file order, so that the first error in file order
 * wins, whichever thread finds it.  Only the calling thread touches the
 * store.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "json-lines.h"

/* Release what the batch's records own (history records): once, when
 * the engine is done with the batch or it is dropped. */
static void batch_release_recs(struct hwp_batch *b)
{
	size_t i;

	for (i = 0; i < b->nrecs; i++)
		if (b->recs[i]->kind >= HWP_REC_CHANGE)
			hwp_rec_release(b->recs[i]);
	b->nrecs = 0;
}

static void batch_free(struct hwp_batch *b)
{
	if (b == NULL)
		return;
	batch_release_recs(b);
	free(b->text);
	free(b->spans);
	hwp_pool_free(&b->pool);
	free(b->recs);
	free(b);
}

int hwp_json_grow(char **buf, size_t *cap, size_t need)
{
	char *p;
	size_t n = *cap ? *cap : HWP_BATCH_BYTES;

	if (need <= *cap)
		return 0;
	while (n < need)
		n *= 2;
	if ((p = realloc(*buf, n)) == NULL)
		return -1;
	*buf = p;
	*cap = n;
	return 0;
}

int hwp_json_take_carry(struct hwp_pipeline *p, struct hwp_batch *b)
{
	if (hwp_json_grow(&b->text, &b->cap, p->ncarry + HWP_BATCH_BYTES) < 0)
		return -1;
	if (p->ncarry > 0)
		memcpy(b->text, p->carry, p->ncarry);
	b->len = p->ncarry;
	p->ncarry = 0;
	return 0;
}

int hwp_json_keep_carry(struct hwp_pipeline *p, struct hwp_batch *b,
			size_t from)
{
	size_t tail = b->len - from;

	/* A batch may end exactly where a piece ends: no tail, and maybe
	 * no carry buffer yet. */
	if (tail > 0 && hwp_json_grow(&p->carry, &p->capcarry, tail) < 0)
		return -1;
	if (tail > 0)
		memcpy(p->carry, b->text + from, tail);
	p->ncarry = tail;
	b->len = from;
	return 0;
}

int hwp_json_cut(struct hwp_pipeline *p, struct hwp_batch *b,
		 size_t (*last_end)(const char *t, size_t from, size_t len,
				    void *state),
		 void *state, size_t max)
{
	size_t got, end, from = 0;

	if (hwp_json_take_carry(p, b) < 0)
		goto nomem;
	/* Read until a piece's end ends the batch: a piece longer than a
	 * batch makes the batch longer. */
	for (;;) {
		if (hwp_json_grow(&b->text, &b->cap, b->len + HWP_BATCH_BYTES) <
		    0)
			goto nomem;
		got = fread(b->text + b->len, 1, HWP_BATCH_BYTES, p->fp);
		p->offset += (long long)got;
		b->len += got;
		if (got < HWP_BATCH_BYTES) {
			if (ferror(p->fp)) {
				p->read_errno = errno ? errno : EIO;
				return -1;
			}
			p->eof = 1;
			break;
		}
		/* The carry is looked at too: it holds no end, but what it
		 * holds may matter (a quote). */
		end = last_end(b->text, from, b->len, state);
		from = b->len;
		if (end > 0) {
			if (hwp_json_keep_carry(p, b, end) < 0)
				goto nomem;
			break;
		}
		if (max > 0 && b->len > max)
			return 2;
	}
	if (b->len == 0)
		return 0;
	b->end = p->offset - (long long)p->ncarry;
	return 1;
nomem:
	p->nomem = 1;
	return -1;
}

/* Where the last whole line in t[0, len) ends, looking at t[from, len)
 * (what is before has no newline), or 0. */
static size_t last_line(const char *t, size_t from, size_t len, void *state)
{
	const char *nl = memrchr(t + from, '\n', len - from);

	(void)state;
	return nl != NULL ? (size_t)(nl + 1 - t) : 0;
}

/* Fill b with the next whole lines of the file, lock held: 1, or 0 at
 * the end of the file, -1 on error (p->read_errno or p->nomem set). */
static int cut_lines(struct hwp_pipeline *p, struct hwp_batch *b)
{
	int rc = hwp_json_cut(p, b, last_line, NULL, HWP_LINE_MAX);

	if (rc != 2)
		return rc;
	/* One line since the batch's start: refused there (its line is
	 * the batch's first), and nothing after it is read. */
	b->failed = 1;
	hw_error_set_at(&b->err, HW_EFORMAT, p->file, 1, 0,
			"a line longer than %u MiB (the limit of a JSON "
			"Lines line)",
			HWP_LINE_MAX >> 20);
	p->eof = 1;
	b->end = p->offset;
	return 1;
}

long hwp_json_skip_bom(FILE *fp)
{
	unsigned char m[3];

	rewind(fp);
	if (fread(m, 1, 3, fp) == 3 && memcmp(m, "\xef\xbb\xbf", 3) == 0)
		return 3;
	rewind(fp);
	return 0;
}

long hwp_json_getline(FILE *fp, char **buf, size_t *cap)
{
	size_t n = 0;
	int c;

	flockfile(fp);
	for (;;) {
		c = getc_unlocked(fp);
		if (c == EOF)
			break;
		if (n >= HWP_LINE_MAX) {
			funlockfile(fp);
			return -2;
		}
		if (n + 2 > *cap && hwp_json_grow(buf, cap, n + 2) < 0) {
			funlockfile(fp);
			errno = ENOMEM;
			return -1;
		}
		(*buf)[n++] = (char)c;
		if (c == '\n')
			break;
	}
	funlockfile(fp);
	if (ferror(fp))
		return -1;
	if (n > 0)
		(*buf)[n] = '\0';
	return (long)n;
}

int hwp_json_keep_rec(struct hwp_batch *b, struct hwp_rec *r)
{
	if (b->nrecs == b->caprecs) {
		size_t cap = b->caprecs ? b->caprecs * 2 : 1024;
		struct hwp_rec **x = realloc(b->recs, cap * sizeof *x);

		if (x == NULL) {
			hwp_rec_release(r);
			return -1;
		}
		b->recs = x;
		b->caprecs = cap;
	}
	b->recs[b->nrecs++] = r;
	return 0;
}

/* Parse the lines of b into records, stopping at the first error.  Line
 * numbers are the batch's own (from 1): the caller, which applies the
 * batches in order, knows where it starts. */
static void parse_lines(struct hwp_pipeline *p, struct hwp_batch *b)
{
	struct hwp_json_parser ps = {{p->file, 1, 1, &b->err, 0}, &b->pool};
	const char *s = b->text, *end = b->text + b->len, *nl;
	struct hwp_rec *r;

	for (b->nlines = 0; s < end; s = nl, ps.w.line++) {
		nl = memchr(s, '\n', (size_t)(end - s));
		nl = nl ? nl + 1 : end;
		b->nlines++;
		if (hwp_json_line(&ps, s, (size_t)(nl - s), &r) < 0) {
			b->failed = 1;
			return;
		}
		if (r != NULL && hwp_json_keep_rec(b, r) < 0) {
			b->failed = 1;
			hwp_where_nomem(&ps.w);
			return;
		}
	}
}

static void *worker(void *arg)
{
	struct hwp_pipeline *p = arg;
	struct hwp_batch *b, **at;
	int rc;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		while (!p->eof && p->inflight >= HWP_MAX_INFLIGHT)
			pthread_cond_wait(&p->room, &p->lock);
		if (p->eof)
			break;
		if ((b = p->free) != NULL) {
			p->free = b->next;
		} else if ((b = calloc(1, sizeof *b)) == NULL) {
			p->nomem = p->eof = 1;
			break;
		}
		if (b->text == NULL && p->nspare > 0) {
			p->nspare--;
			b->text = p->spare[p->nspare];
			b->cap = p->sparecap[p->nspare];
		}
		b->len = 0;
		b->nspans = 0;
		b->nrecs = 0;
		b->nlines = 0;
		b->failed = 0;
		hw_error_clear(&b->err);
		hwp_pool_reset(&b->pool);
		rc = p->cut(p, b);
		if (rc <= 0) {
			b->next = p->free;
			p->free = b;
			p->eof = 1;
			break;
		}
		b->seq = p->next_seq++;
		p->inflight++;
		pthread_mutex_unlock(&p->lock);
		if (!b->failed)
			p->parse(p, b);
		pthread_mutex_lock(&p->lock);
		if (p->nspare < 2 * HWP_MAX_WORKERS) {
			p->spare[p->nspare] = b->text;
			p->sparecap[p->nspare++] = b->cap;
		} else {
			free(b->text);
		}
		b->text = NULL;
		b->cap = 0;
		for (at = &p->parsed; *at != NULL && (*at)->seq < b->seq;
		     at = &(*at)->next)
			;
		b->next = *at;
		*at = b;
		/* Nothing after a bad piece matters. */
		if (b->failed)
			p->eof = 1;
		pthread_cond_signal(&p->ready);
	}
	pthread_cond_broadcast(&p->ready);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

/* The next batch in file order, or NULL when there is none: every batch
 * read has been applied and no more will be. */
static struct hwp_batch *next_batch(struct hwp_pipeline *p, long seq)
{
	struct hwp_batch *b = NULL;

	pthread_mutex_lock(&p->lock);
	while ((p->parsed == NULL || p->parsed->seq != seq) &&
	       !(p->eof && seq == p->next_seq))
		pthread_cond_wait(&p->ready, &p->lock);
	if (p->parsed != NULL && p->parsed->seq == seq) {
		b = p->parsed;
		p->parsed = b->next;
	}
	pthread_mutex_unlock(&p->lock);
	return b;
}

static void recycle(struct hwp_pipeline *p, struct hwp_batch *b)
{
	batch_release_recs(b);
	pthread_mutex_lock(&p->lock);
	b->next = p->free;
	p->free = b;
	p->inflight--;
	pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->lock);
}

int hwp_json_pipeline_run(struct hwp_pipeline *p, struct hwp_import *im,
			  long base, long long total,
			  void (*progress)(long long, long long, void *),
			  void *pctx)
{
	struct hwp_where *w = hwp_import_where(im);
	pthread_t tid[HWP_MAX_WORKERS];
	struct hwp_batch *b;
	size_t i;
	long seq;
	long long last_tick = 0;
	int nthreads = 0, want, ret = -1, rc = 0;

	if (pthread_mutex_init(&p->lock, NULL) != 0)
		return hw_error_set(w->err, HW_ENOMEM,
				    "cannot start parsing threads");
	pthread_cond_init(&p->ready, NULL);
	pthread_cond_init(&p->room, NULL);
	/* Set what jansson and the messages share before any thread. */
	json_object_seed(0);
	hw_vocab_text(hw_asset_types);
	want = hwp_helper_threads();
	while (nthreads < want &&
	       pthread_create(&tid[nthreads], NULL, worker, p) == 0)
		nthreads++;
	if (nthreads == 0) {
		hw_error_set(w->err, HW_ENOMEM, "cannot start parsing threads");
		goto out;
	}
	for (seq = 0; (b = next_batch(p, seq)) != NULL; seq++) {
		hwp_import_progress(im, b->end, total);
		for (i = 0; i < b->nrecs && rc == 0; i++) {
			if (i + 16 < b->nrecs)
				hwp_import_prefetch(im, b->recs[i + 16], 0);
			if (i + 8 < b->nrecs)
				hwp_import_prefetch(im, b->recs[i + 8], 1);
			if (p->by_line)
				b->recs[i]->ord += base;
			rc = hwp_import_apply(im, b->recs[i]);
		}
		if (rc == 0 && b->failed) {
			if (p->by_line && b->err.line > 0)
				b->err.line += (int)base;
			rc = hwp_import_fail(im, &b->err);
		}
		base += b->nlines;
		if (progress != NULL && b->end - last_tick >= (1 << 22)) {
			progress(b->end, total, pctx);
			last_tick = b->end;
		}
		recycle(p, b);
		if (rc < 0)
			goto out;
	}
	if (p->nomem) {
		hwp_where_nomem(w);
		goto out;
	}
	if (p->read_errno != 0) {
		hw_error_set(w->err, HW_EIO, "cannot read '%s': %s", w->file,
			     strerror(p->read_errno));
		goto out;
	}
	if (progress != NULL)
		progress(total, total, pctx);
	ret = 0;
out:
	pthread_mutex_lock(&p->lock);
	p->eof = 1;
	pthread_cond_broadcast(&p->room);
	pthread_mutex_unlock(&p->lock);
	while (nthreads > 0)
		pthread_join(tid[--nthreads], NULL);
	while ((b = p->parsed) != NULL) {
		p->parsed = b->next;
		batch_free(b);
	}
	while ((b = p->free) != NULL) {
		p->free = b->next;
		batch_free(b);
	}
	while (p->nspare > 0)
		free(p->spare[--p->nspare]);
	free(p->carry);
	p->carry = NULL;
	pthread_cond_destroy(&p->ready);
	pthread_cond_destroy(&p->room);
	pthread_mutex_destroy(&p->lock);
	return ret;
}

int hwp_json_lines_read(struct hwp_import *im, FILE *fp, long long total,
			void (*progress)(long long, long long, void *),
			void *pctx)
{
	static const char *const hkeys[] = {"format", "version", NULL};
	struct hwp_where *w = hwp_import_where(im);
	struct hwp_pipeline p = {0};
	struct hwp_json_parser ps = {*w, NULL};
	json_error_t jerr;
	json_t *hdr;
	char *line = NULL;
	size_t cap = 0;
	long len, bom;
	int rc;

	/* The header is line 1 (that is how the file was told apart),
	 * after a byte-order mark if any. */
	bom = hwp_json_skip_bom(fp);
	len = hwp_json_getline(fp, &line, &cap);
	if (len == -2) {
		free(line);
		return hw_error_set_at(w->err, HW_EFORMAT, w->file, 1, 0,
				       "a line longer than %u MiB (the "
				       "limit of a JSON Lines line)",
				       HWP_LINE_MAX >> 20);
	}
	if (len <= 0) {
		free(line);
		return hw_error_set(w->err, HW_EIO, "cannot read '%s': %s",
				    w->file, strerror(len == 0 ? EIO : errno));
	}
	ps.w.line = 1;
	hdr = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &jerr);
	free(line);
	if (hdr == NULL)
		return hw_error_set_at(w->err, HW_EFORMAT, w->file, 1,
				       jerr.column, "malformed JSON: %s",
				       hwp_json_error_text(&jerr));
	rc = hwp_json_check_header(&ps, hdr, "(header)", hkeys);
	json_decref(hdr);
	if (rc < 0)
		return -1;
	p.fp = fp;
	p.file = w->file;
	p.offset = bom + len;
	p.cut = cut_lines;
	p.parse = parse_lines;
	p.by_line = 1;
	return hwp_json_pipeline_run(&p, im, 1, total, progress, pctx);
}
