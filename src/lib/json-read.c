/*
 * json-read.c: the whole-document JSON reader, streamed, and
 * hw_import_json, which tells a document from JSON Lines by its first
 * line and runs the import engine with the reader that fits.
 *
 * jansson has no streaming interface, so a small structural scanner
 * (strings, escapes, nesting; no values) finds the document's members
 * in a first pass, and then cuts each array (information types, assets,
 * dependencies, in that order whatever the file's) into its elements,
 * which worker threads of the JSON Lines pipeline parse with json_loadb:
 * jansson stays the parser, memory stays a few batches.  The scanner
 * only has to be right about well-formed documents: on any error the
 * document is parsed whole by jansson once more, so that malformed JSON
 * anywhere is reported exactly as jansson reports it, and before any
 * error in what was read.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "json-lines.h"

#define BLOCK (1u << 20)

static int is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* The bytes that matter outside strings. */
static const unsigned char structural[256] = {
    ['"'] = 1, ['{'] = 1, ['['] = 1, ['}'] = 1, [']'] = 1};

/* A value being scanned, resumable at any byte. */
struct vscan {
	int depth;  /* open objects and arrays */
	int instr;  /* inside a string */
	int esc;    /* after a backslash in a string */
	int scalar; /* a number or a literal: ends before a delimiter */
	int started;
};

/* Scan t[i, n) as (the rest of) one value: the index just past it with
 * *done set, or n when it goes on. */
static size_t vscan_feed(struct vscan *v, const unsigned char *t, size_t i,
			 size_t n, int *done)
{
	*done = 0;
	if (!v->started && i < n) {
		v->started = 1;
		v->scalar = t[i] != '"' && t[i] != '{' && t[i] != '[';
		if (!v->scalar) {
			v->instr = t[i] == '"';
			v->depth = t[i] != '"';
			i++;
			if (v->depth == 0 && !v->instr) {
				*done = 1;
				return i;
			}
		}
	}
	if (v->scalar) {
		for (; i < n; i++)
			if (is_ws(t[i]) || t[i] == ',' || t[i] == ']' ||
			    t[i] == '}' || t[i] == '"' || t[i] == '[' ||
			    t[i] == '{' || t[i] == ':') {
				*done = 1;
				return i;
			}
		return n;
	}
	for (; i < n; i++) {
		unsigned char c;

		/* Most bytes are none of these: skip them in a tight loop
		 * (the scanner reads every byte of the document twice). */
		if (v->instr) {
			if (v->esc) {
				v->esc = 0;
				continue;
			}
			while (i < n && t[i] != '"' && t[i] != '\\')
				i++;
			if (i == n)
				break;
			if (t[i] == '\\') {
				v->esc = 1;
				continue;
			}
			v->instr = 0;
			if (v->depth == 0) {
				*done = 1;
				return i + 1;
			}
			continue;
		}
		while (i < n && !structural[t[i]])
			i++;
		if (i == n)
			break;
		c = t[i];
		if (c == '"') {
			v->instr = 1;
		} else if (c == '{' || c == '[') {
			v->depth++;
		} else if (--v->depth == 0) {
			*done = 1;
			return i + 1;
		}
	}
	return n;
}

/* ------------------------------------------------------------------ */
/* The first pass: the document's members                              */

struct member {
	json_t *key;	      /* the decoded key, a string */
	long long start, end; /* the value's bytes in the file */
	int array;	      /* the value starts with '[' */
};

struct outline {
	struct member *m;
	size_t n, cap;
};

/* The file in blocks. */
struct blocks {
	FILE *fp;
	unsigned char *buf;
	size_t len, pos;
	long long off; /* of buf[0] */
	int eof, err;
};

static int blocks_fill(struct blocks *b)
{
	if (b->pos < b->len)
		return 1;
	if (b->eof)
		return 0;
	b->off += (long long)b->len;
	b->pos = 0;
	b->len = fread(b->buf, 1, BLOCK, b->fp);
	if (b->len < BLOCK) {
		b->eof = 1;
		b->err = ferror(b->fp) ? (errno ? errno : EIO) : 0;
	}
	return b->len > 0;
}

/* The next byte that is not white space (not taken), or -1 at the end. */
static int blocks_peek(struct blocks *b)
{
	while (blocks_fill(b)) {
		if (!is_ws(b->buf[b->pos]))
			return b->buf[b->pos];
		b->pos++;
	}
	return -1;
}

/* Take one value; keep: its bytes (a key) into *keep, grown. */
static int blocks_value(struct blocks *b, char **keep, size_t *nkeep,
			size_t *capkeep)
{
	struct vscan v = {0};
	size_t from, to;
	int done = 0;

	while (!done && blocks_fill(b)) {
		from = b->pos;
		to = vscan_feed(&v, b->buf, b->pos, b->len, &done);
		b->pos = to;
		if (keep == NULL)
			continue;
		if (*nkeep + (to - from) + 1 > *capkeep) {
			size_t cap = 2 * (*nkeep + (to - from) + 1);
			char *p = realloc(*keep, cap);

			if (p == NULL)
				return -1;
			*keep = p;
			*capkeep = cap;
		}
		memcpy(*keep + *nkeep, b->buf + from, to - from);
		*nkeep += to - from;
	}
	/* A scalar at the very end of the file ends there. */
	return done || (v.scalar && b->eof && !b->err) ? 0 : -1;
}

static void outline_free(struct outline *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		json_decref(o->m[i].key);
	free(o->m);
	memset(o, 0, sizeof *o);
}

/* The members of the document's object, in file order: 0, or -1 when
 * the document is not one well-formed object with distinct keys, or
 * cannot be read (*read_errno set). */
static int outline_read(FILE *fp, struct outline *o, int *read_errno)
{
	struct blocks b = {fp, NULL, 0, 0, 0, 0, 0};
	char *key = NULL;
	size_t nkey, capkey = 0, i;
	int c, ret = -1;

	*read_errno = 0;
	if ((b.buf = malloc(BLOCK)) == NULL)
		return -1;
	/* A byte-order mark is no part of the document. */
	if (blocks_fill(&b) && b.len >= 3 &&
	    memcmp(b.buf, "\xef\xbb\xbf", 3) == 0)
		b.pos = 3;
	if (blocks_peek(&b) != '{')
		goto out;
	b.pos++;
	c = blocks_peek(&b);
	while (c != '}') {
		struct member *m;

		if (c != '"')
			goto out;
		nkey = 0;
		if (blocks_value(&b, &key, &nkey, &capkey) < 0)
			goto out;
		if (o->n == o->cap) {
			size_t cap = o->cap ? 2 * o->cap : 8;

			if ((m = realloc(o->m, cap * sizeof *m)) == NULL)
				goto out;
			o->m = m;
			o->cap = cap;
		}
		m = &o->m[o->n];
		m->key = json_loadb(key, nkey, JSON_DECODE_ANY, NULL);
		if (m->key == NULL)
			goto out;
		o->n++;
		for (i = 0; i + 1 < o->n; i++)
			if (json_equal(o->m[i].key, m->key))
				goto out;
		if (blocks_peek(&b) != ':')
			goto out;
		b.pos++;
		if ((c = blocks_peek(&b)) < 0)
			goto out;
		m->start = b.off + (long long)b.pos;
		m->array = c == '[';
		if (blocks_value(&b, NULL, NULL, NULL) < 0)
			goto out;
		m->end = b.off + (long long)b.pos;
		c = blocks_peek(&b);
		if (c == ',') {
			b.pos++;
			if ((c = blocks_peek(&b)) == '}')
				goto out;
		} else if (c != '}') {
			goto out;
		}
	}
	b.pos++;
	ret = blocks_peek(&b) < 0 && !b.err ? 0 : -1;
out:
	*read_errno = b.err;
	free(key);
	free(b.buf);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The second pass: an array's elements, cut and parsed on the workers */

typedef int (*parse_fn)(struct hwp_json_parser *, const char *, json_t *, long,
			struct hwp_rec **);

struct section {
	const char *key; /* "assets" */
	parse_fn parse;
	long long start, left; /* bytes of the array still to read */
	long long len;	       /* of the array */
	long next_ord;
	int expect; /* 0: an element or the end; 1: an element; 2: ',' or
		       the end */
};

/* Add a span to b; -1 out of memory. */
static int add_span(struct hwp_batch *b, size_t off, size_t len, long ord)
{
	if (b->nspans == b->capspans) {
		size_t cap = b->capspans ? 2 * b->capspans : 1024;
		struct hwp_span *s = realloc(b->spans, cap * sizeof *s);

		if (s == NULL)
			return -1;
		b->spans = s;
		b->capspans = cap;
	}
	b->spans[b->nspans].off = off;
	b->spans[b->nspans].len = len;
	b->spans[b->nspans].ord = ord;
	b->nspans++;
	return 0;
}

/* Fill b with the next whole elements of the section, lock held. */
static int cut_elements(struct hwp_pipeline *p, struct hwp_batch *b)
{
	struct section *sec = p->ctx;
	const unsigned char *t;
	size_t i, cut, want, got;
	int expect, cut_expect, done, last;

	if (hwp_json_take_carry(p, b) < 0)
		goto nomem;
	for (;;) {
		want = sec->left < HWP_BATCH_BYTES ? (size_t)sec->left
						   : HWP_BATCH_BYTES;
		if (hwp_json_grow(&b->text, &b->cap, b->len + want) < 0)
			goto nomem;
		got = want > 0 ? fread(b->text + b->len, 1, want, p->fp) : 0;
		if (got < want) {
			p->read_errno = ferror(p->fp) && errno ? errno : EIO;
			return -1;
		}
		sec->left -= (long long)got;
		p->offset += (long long)got;
		b->len += got;
		last = sec->left == 0;
		/* Cut whole elements from the start (the carry begins
		 * right after the last element cut). */
		t = (const unsigned char *)b->text;
		expect = cut_expect = sec->expect;
		cut = 0;
		for (i = 0; i < b->len;) {
			struct vscan v = {0};
			size_t end;

			if (is_ws(t[i])) {
				i++;
				continue;
			}
			if (expect == 2) {
				if (t[i] != ',')
					goto bad;
				expect = 1;
				i++;
				continue;
			}
			end = vscan_feed(&v, t, i, b->len, &done);
			if (!done && !(last && v.scalar))
				break;
			if (add_span(b, i, end - i, sec->next_ord++) < 0)
				goto nomem;
			expect = 2;
			i = cut = end;
			cut_expect = 2;
		}
		if (last) {
			/* The scanner saw the whole array in the first
			 * pass: an element cut short or a comma at the end
			 * is malformed. */
			if (i < b->len || expect == 1)
				goto bad;
			cut = b->len;
		}
		if (b->nspans > 0 || last)
			break;
	}
	/* The carry starts where the last element ended. */
	sec->expect = cut_expect;
	if (hwp_json_keep_carry(p, b, cut) < 0)
		goto nomem;
	b->end = sec->len - sec->left - (long long)p->ncarry;
	if (last && p->ncarry == 0)
		p->eof = 1;
	return b->nspans > 0 ? 1 : 0;
bad:
	/* The error goes in order, after the elements before it. */
	b->failed = 1;
	hw_error_set_at(&b->err, HW_EFORMAT, p->file, 0, 0,
			"malformed JSON: in \"%s\"", sec->key);
	p->eof = 1;
	return 1;
nomem:
	p->nomem = 1;
	return -1;
}

/* Parse the elements of b into records, stopping at the first error. */
static void parse_elements(struct hwp_pipeline *p, struct hwp_batch *b)
{
	struct section *sec = p->ctx;
	struct hwp_json_parser ps = {{p->file, 0, 0, &b->err, 0}, &b->pool};
	struct hwp_rec *r;
	json_error_t jerr;
	char path[96];
	json_t *v;
	size_t i;
	int rc;

	for (i = 0; i < b->nspans; i++) {
		const struct hwp_span *s = &b->spans[i];

		v = json_loadb(b->text + s->off, s->len,
			       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, &jerr);
		if (v == NULL) {
			hw_error_set_at(&b->err, HW_EFORMAT, p->file, 0, 0,
					"malformed JSON: %s",
					hwp_json_error_text(&jerr));
			b->failed = 1;
			return;
		}
		snprintf(path, sizeof path, "%s[%ld]", sec->key, s->ord);
		rc = sec->parse(&ps, path, v, s->ord, &r);
		json_decref(v);
		if (rc < 0) {
			b->failed = 1;
			return;
		}
		if (hwp_json_keep_rec(b, r) < 0) {
			hwp_where_nomem(&ps.w);
			b->failed = 1;
			return;
		}
	}
}

/* A section's progress told as a part of the file's. */
struct file_progress {
	void (*fn)(long long, long long, void *); /* NULL: none */
	void *ctx;
	long long base, size; /* the section's start, the file's size */
};

static void section_progress(long long done, long long total, void *ctx)
{
	const struct file_progress *f = ctx;
	long long at = f->base + done;

	(void)total;
	/* Short of the end: stream_document tells it after the last
	 * section. */
	f->fn(at < f->size ? at : f->size - 1, f->size, f->ctx);
}

static int read_section(struct hwp_import *im, FILE *fp, const char *key,
			parse_fn parse, const struct member *m,
			struct file_progress *fprog)
{
	struct hwp_where *w = hwp_import_where(im);
	struct section sec = {0};
	struct hwp_pipeline p = {0};

	/* Inside the brackets. */
	sec.key = key;
	sec.parse = parse;
	sec.start = m->start + 1;
	sec.len = sec.left = m->end - m->start - 2;
	if (fseeko(fp, (off_t)sec.start, SEEK_SET) != 0)
		return hw_error_set(w->err, HW_EIO, "cannot read '%s': %s",
				    w->file, strerror(errno));
	p.fp = fp;
	p.file = w->file;
	p.cut = cut_elements;
	p.parse = parse_elements;
	p.ctx = &sec;
	fprog->base = (long long)sec.start;
	return hwp_json_pipeline_run(&p, im, 0, sec.len,
				     fprog->fn ? section_progress : NULL,
				     fprog);
}

/* Read the value of m whole (a member other than the arrays). */
static json_t *load_member(FILE *fp, const struct member *m)
{
	size_t len = (size_t)(m->end - m->start);
	char *buf = malloc(len ? len : 1);
	json_t *v = NULL;

	if (buf != NULL && fseeko(fp, (off_t)m->start, SEEK_SET) == 0 &&
	    fread(buf, 1, len, fp) == len)
		v = json_loadb(buf, len,
			       JSON_REJECT_DUPLICATES | JSON_DECODE_ANY, NULL);
	free(buf);
	return v;
}

static const char *const doc_keys[] = {
    "format",	    "version", "information_types", "assets",
    "dependencies", "changes", "incidents",	    NULL};
#define DOC_ARRAYS 7 /* doc_keys[2..7) are arrays of records */

/* Stream the document, telling fprog's callback (if any) the bytes
 * read of the file's: -1 on any error (the caller finds the exact one
 * when the document is malformed). */
static int stream_document(struct hwp_import *im, FILE *fp,
			   struct file_progress *fprog)
{
	static const parse_fn parse[] = {hwp_json_infotype, hwp_json_asset,
					 hwp_json_dep, hwp_json_change,
					 hwp_json_incident};
	struct hwp_where *w = hwp_import_where(im);
	struct hwp_json_parser ps = {*w, NULL};
	struct outline o = {0};
	json_t *head, *v;
	size_t i, k;
	int ret = -1, read_errno;

	head = json_object();
	if (head == NULL)
		return hwp_where_nomem(w);
	if (outline_read(fp, &o, &read_errno) < 0) {
		if (read_errno != 0)
			hw_error_set(w->err, HW_EIO, "cannot read '%s': %s",
				     w->file, strerror(read_errno));
		else
			hw_error_set_at(w->err, HW_EFORMAT, w->file, 0, 0,
					"malformed JSON");
		goto out;
	}
	/* The header as the whole document would have it, with each array
	 * empty: the same checks, in the same order. */
	for (i = 0; i < o.n; i++) {
		const char *key = json_string_value(o.m[i].key);

		for (k = 2; k < DOC_ARRAYS && strcmp(key, doc_keys[k]) != 0;
		     k++)
			;
		v = k < DOC_ARRAYS && o.m[i].array ? json_array()
					  : load_member(fp, &o.m[i]);
		if (v == NULL) {
			hw_error_set_at(w->err, HW_EFORMAT, w->file, 0, 0,
					"malformed JSON in \"%s\"", key);
			goto out;
		}
		if (json_object_set_new(head, key, v) < 0) {
			hwp_where_nomem(w);
			goto out;
		}
	}
	if (hwp_json_check_header(&ps, head, "(document)", doc_keys) < 0)
		goto out;
	for (k = 2; k < DOC_ARRAYS; k++) {
		v = json_object_get(head, doc_keys[k]);
		if (v == NULL)
			continue;
		if (!json_is_array(v)) {
			hwp_where_fail(w, doc_keys[k], HW_EFORMAT,
				       "expected an array, not %s",
				       hwp_json_kind(v));
			goto out;
		}
		for (i = 0;
		     strcmp(json_string_value(o.m[i].key), doc_keys[k]) != 0;
		     i++)
			;
		if (read_section(im, fp, doc_keys[k], parse[k - 2], &o.m[i],
				 fprog) < 0)
			goto out;
	}
	if (fprog->fn != NULL)
		fprog->fn(fprog->size, fprog->size, fprog->ctx);
	ret = 0;
out:
	outline_free(&o);
	json_decref(head);
	return ret;
}

/* After an error: whether the document is malformed, as jansson reads
 * it whole; then that is the error, exactly as it always was. */
static void exact_error(struct hwp_import *im, FILE *fp)
{
	struct hwp_where *w = hwp_import_where(im);
	json_error_t jerr;
	json_t *doc;

	hwp_json_skip_bom(fp);
	doc = json_loadf(fp, JSON_REJECT_DUPLICATES, &jerr);
	if (doc == NULL) {
		if (w->err != NULL) {
			hw_error_clear(w->err);
			hw_error_set_at(w->err, HW_EFORMAT, w->file, jerr.line,
					jerr.column, "malformed JSON: %s",
					hwp_json_error_text(&jerr));
		}
		w->syntax = 1;
		return;
	}
	if (!json_is_object(doc) && w->err != NULL) {
		hw_error_clear(w->err);
		hwp_where_fail(w, "(document)", HW_EFORMAT,
			       "expected an object, not %s",
			       hwp_json_kind(doc));
		w->syntax = 1;
	}
	json_decref(doc);
}

/* JSON Lines when the first line is a short, complete object holding the
 * format and none of the document's arrays; a whole document otherwise. */
static int sniff_lines(FILE *fp)
{
	char *line = NULL;
	size_t cap = 0;
	long len;
	json_t *v;
	int lines = 0;

	/* A first line longer than a line may be is a whole document on
	 * one line (which has no such limit). */
	hwp_json_skip_bom(fp);
	len = hwp_json_getline(fp, &line, &cap);
	if (len > 0) {
		v = json_loadb(line, (size_t)len, 0, NULL);
		lines = json_is_object(v) && json_object_get(v, "format") &&
			json_object_get(v, "assets") == NULL &&
			json_object_get(v, "dependencies") == NULL &&
			json_object_get(v, "information_types") == NULL &&
			json_object_get(v, "changes") == NULL &&
			json_object_get(v, "incidents") == NULL;
		json_decref(v);
	}
	free(line);
	rewind(fp);
	return lines;
}

struct source {
	FILE *fp;
	long long size;
	void (*progress)(long long, long long, void *);
	void *pctx;
};

static int read_lines(struct hwp_import *im, void *ctx)
{
	struct source *s = ctx;

	return hwp_json_lines_read(im, s->fp, s->size, s->progress, s->pctx);
}

static int read_document(struct hwp_import *im, void *ctx)
{
	struct source *s = ctx;
	struct hwp_where *w = hwp_import_where(im);
	struct file_progress fprog = {s->progress, s->pctx, 0,
				      s->size > 0 ? s->size : 1};

	if (stream_document(im, s->fp, &fprog) == 0)
		return 0;
	if (w->err == NULL || w->err->code != HW_ENOMEM)
		exact_error(im, s->fp);
	return -1;
}

int hwp_json_read(struct hwp_import *im, FILE *fp, long long size,
		  void (*progress)(long long, long long, void *), void *pctx)
{
	struct source src = {fp, size, progress, pctx};
	struct hwp_where *w = hwp_import_where(im);

	w->lines = sniff_lines(fp);
	return w->lines ? read_lines(im, &src) : read_document(im, &src);
}

int hw_import_json(struct hw_store *st, const char *path, int replace,
		   int dry_run, struct hw_import_stats *stats,
		   void (*progress)(long long done, long long total, void *),
		   void *pctx, struct hw_error *err)
{
	struct source src = {0};
	struct hwp_reader rd = {0};
	struct stat sb;
	int rc;

	src.fp = hwp_fopen_input(path, err);
	if (src.fp == NULL)
		return -1;
	src.size = fstat(fileno(src.fp), &sb) == 0 ? sb.st_size : 0;
	src.progress = progress;
	src.pctx = pctx;
	rd.file = path;
	rd.lines = sniff_lines(src.fp);
	rd.read = rd.lines ? read_lines : read_document;
	rd.ctx = &src;
	rc = hwp_import_run(st, &rd, replace, dry_run, stats, err);
	fclose(src.fp);
	return rc;
}
