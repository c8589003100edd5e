/*
 * csv-read.c: the CSV reader of the inventory tables.  The header row is
 * read here, on the calling thread (it tells the table); the rows go
 * through the JSON readers' pipeline: the cutter ends each batch at the
 * last line end outside quotes (quote parity from the batch's start,
 * which is a record's start), worker threads split the batches into
 * cells in place and the table layer (table.c) turns them into records.
 * Places are "FILE" line L column C, C counting characters from 1.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv-read.h"
#include "json-lines.h"

/* A record longer than this is refused (a quote left open would
 * otherwise make the rest of the file one batch). */
#define MAX_RECORD HWP_LINE_MAX

/* The cells of one record, split in place. */
struct cells {
	const char **v; /* texts */
	long *line;	/* where each starts: line (from the split's 1) */
	int *col;	/* and character column */
	size_t n, cap;
	long endline; /* where the record ends */
	int endcol;
};

static void cells_free(struct cells *c)
{
	free(c->v);
	free(c->line);
	free(c->col);
}

static int cells_add(struct cells *c, const char *s, long line, int col)
{
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		const char **v = realloc(c->v, cap * sizeof *v);
		long *l = v ? realloc(c->line, cap * sizeof *l) : NULL;
		int *k = l ? realloc(c->col, cap * sizeof *k) : NULL;

		if (v != NULL)
			c->v = v;
		if (l != NULL)
			c->line = l;
		if (k == NULL)
			return -1;
		c->col = k;
		c->cap = cap;
	}
	c->v[c->n] = s;
	c->line[c->n] = line;
	c->col[c->n] = col;
	c->n++;
	return 0;
}

/* Split the record at t + *pos (t holds len bytes and room for one
 * more) into c, in place: quotes removed, each cell NUL-terminated.
 * The record ends at a line end outside quotes (LF or CRLF, consumed)
 * or at len.  *line is the line the record starts on, advanced past
 * it.  0, or -1 with err located at (line, column) in file. */
static int split(char *t, size_t len, size_t *pos, long *line, struct cells *c,
		 const char *file, struct hw_error *err)
{
	size_t p = *pos, w;
	long ln = *line;
	int col = 1;

	c->n = 0;
	for (;;) {
		long cl = ln;
		int cc = col, odd = 0; /* a byte to check: >= 0x80 or < 0x20 */
		char *start;

		w = p;
		start = t + w;
		if (p < len && t[p] == '"') {
			p++;
			col++;
			for (;;) {
				unsigned char ch;

				if (p == len)
					return hw_error_set_at(
					    err, HW_EFORMAT, file, (int)cl, cc,
					    "a quoted field is not closed "
					    "(expected a closing '\"')");
				ch = (unsigned char)t[p];
				if (ch == '"') {
					if (p + 1 < len && t[p + 1] == '"') {
						t[w++] = '"';
						p += 2;
						col += 2;
						continue;
					}
					p++;
					col++;
					break;
				}
				if (ch == '\n') {
					ln++;
					col = 1;
				} else if ((ch & 0xc0) != 0x80) {
					col++;
				}
				odd |= ch >= 0x80 || ch < 0x20;
				t[w++] = (char)ch;
				p++;
			}
			if (p + 1 < len && t[p] == '\r' && t[p + 1] == '\n')
				p++;
			else if (p + 1 == len && t[p] == '\r')
				p++;
			if (p < len && t[p] != ',' && t[p] != '\n')
				return hw_error_set_at(
				    err, HW_EFORMAT, file, (int)ln, col,
				    "expected a comma or the end of the line "
				    "after a closing quote");
		} else {
			for (; p < len; p++) {
				unsigned char ch = (unsigned char)t[p];

				if (ch == ',' || ch == '\n')
					break;
				if (ch == '"')
					return hw_error_set_at(
					    err, HW_EFORMAT, file, (int)ln, col,
					    "a quote inside an unquoted field "
					    "(expected the whole field in "
					    "quotes, its quotes doubled)");
				/* A CR ends a line only before LF: alone it
				 * is an old Mac line end, or a stray. */
				if (ch == '\r' && p + 1 < len &&
				    t[p + 1] != '\n')
					return hw_error_set_at(
					    err, HW_EFORMAT, file, (int)ln, col,
					    "a carriage return inside an "
					    "unquoted field (expected LF or "
					    "CRLF line ends, the field in "
					    "quotes)");
				odd |= ch >= 0x80 || ch < 0x20;
				col += (ch & 0xc0) != 0x80;
			}
			w = p;
			/* CRLF: the CR ends the line, it is no text. */
			if (w > (size_t)(start - t) && t[w - 1] == '\r' &&
			    (p == len || t[p] == '\n'))
				w--;
		}
		if (odd && memchr(start, '\0', (size_t)(t + w - start)) != NULL)
			return hw_error_set_at(err, HW_EINVAL, file, (int)cl,
					       cc, "a NUL byte in a field");
		{
			char d = p < len ? t[p] : '\n';

			t[w] = '\0';
			if (odd) {
				struct hw_error e = {0};

				if (hwp_text_check(start, "the field", &e) < 0)
					return hw_error_set_at(
					    err, HW_EINVAL, file, (int)cl, cc,
					    "%s", e.text);
			}
			if (cells_add(c, start, cl, cc) < 0)
				return hw_error_set(err, HW_ENOMEM,
						    "out of memory");
			if (d == ',') {
				p++;
				col++;
				continue;
			}
			c->endline = ln;
			c->endcol = col;
			if (p < len) {
				p++;
				ln++;
			}
			break;
		}
	}
	*pos = p;
	*line = ln;
	return 0;
}

/* Whether every cell is empty (a blank line, or ",,,"): no record. */
static int blank(const struct cells *c)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (c->v[i][0] != '\0')
			return 0;
	return 1;
}

/* Turn the split record c into *out under h (NULL for a blank one). */
static int row(const struct hwp_inv_head *h, const struct cells *c, long ord,
	       struct hwp_pool *pool, const char *file, struct hwp_rec **out,
	       struct hw_error *err)
{
	struct hw_error e = {0};
	const char *col;
	size_t bad = 0;

	*out = NULL;
	if (blank(c))
		return 0;
	if (c->n < h->ncells)
		return hw_error_set_at(err, HW_EFORMAT, file, (int)c->endline,
				       c->endcol,
				       "a short row: %zu values where the "
				       "header has %zu",
				       c->n, h->ncells);
	if (c->n > h->ncells)
		return hw_error_set_at(err, HW_EFORMAT, file,
				       (int)c->line[h->ncells],
				       c->col[h->ncells],
				       "a long row: %zu values where the "
				       "header has %zu",
				       c->n, h->ncells);
	if (hwp_inv_row(h, c->v, c->n, ord, pool, out, &bad, &e) == 0) {
		/* The engine checks ids against the store and each other
		 * later: where their cells are (each table's first two
		 * columns, all required but in information-types). */
		if ((*out)->kind == HWP_REC_ASSIGNMENT) {
			struct hwp_rec_assignment *g =
			    (struct hwp_rec_assignment *)*out;

			g->col_asset = c->col[h->at[0]];
			g->col_type = c->col[h->at[1]];
		} else if ((*out)->kind == HWP_REC_DEP) {
			struct hwp_rec_dep *d = (struct hwp_rec_dep *)*out;

			d->col_from = c->col[h->at[0]];
			d->col_to = c->col[h->at[1]];
		} else if ((*out)->kind == HWP_REC_ASSET) {
			((struct hwp_rec_asset *)*out)->col_id =
			    c->col[h->at[0]];
		}
		return 0;
	}
	if (e.code == HW_ENOMEM || bad >= c->n)
		return hw_error_set_at(err, e.code, file, (int)ord, 1, "%s",
				       e.text);
	col = hwp_inv_head_column(h, bad);
	return hw_error_set_at(err, e.code, file, (int)c->line[bad],
			       c->col[bad], "%s: %s", col ? col : "?", e.text);
}

/* The pipeline's context. */
struct csv_ctx {
	const struct hwp_inv_head *head;
};

/* Where the last record in t[0, len) ends (a line end outside quotes),
 * looking at t[from, len), or 0; *state is whether t[from] is inside
 * quotes (the batch starts at a record's start, outside). */
static size_t last_record(const char *t, size_t from, size_t len, void *state)
{
	int *inq = state;
	size_t i, end = 0;

	for (i = from; i < len; i++) {
		if (t[i] == '"')
			*inq = !*inq;
		else if (t[i] == '\n' && !*inq)
			end = i + 1;
	}
	return end;
}

/* Fill b with the next whole records of the file, lock held: as
 * hwp_json_cut; a record longer than MAX_RECORD fails the batch. */
static int cut_records(struct hwp_pipeline *p, struct hwp_batch *b)
{
	int inq = 0, rc = hwp_json_cut(p, b, last_record, &inq, MAX_RECORD);

	if (rc != 2)
		return rc;
	/* One record since the batch's start: refused there, and nothing
	 * after it is read. */
	b->failed = 1;
	hw_error_set_at(&b->err, HW_EFORMAT, p->file, 1, 1,
			"a record longer than %u MiB (is a quote left open?)",
			MAX_RECORD >> 20);
	p->eof = 1;
	b->end = p->offset;
	return 1;
}

/* Split the records of b and turn them into records, stopping at the
 * first error; lines count from the batch's first (1). */
static void parse_records(struct hwp_pipeline *p, struct hwp_batch *b)
{
	const struct csv_ctx *cx = p->ctx;
	struct cells c = {0};
	size_t pos = 0;
	long line = 1;

	while (pos < b->len) {
		long first = line;
		struct hwp_rec *r;

		if (split(b->text, b->len, &pos, &line, &c, p->file, &b->err) <
			0 ||
		    row(cx->head, &c, first, &b->pool, p->file, &r, &b->err) <
			0) {
			b->failed = 1;
			break;
		}
		if (r != NULL && hwp_json_keep_rec(b, r) < 0) {
			hw_error_set(&b->err, HW_ENOMEM, "out of memory");
			b->failed = 1;
			break;
		}
	}
	b->nlines = line - 1;
	cells_free(&c);
}

void hwp_csv_table_close(struct hwp_csv_source *s)
{
	if (s->fp != NULL)
		fclose(s->fp);
	free(s->rest);
	hwp_inv_head_release(&s->head);
	memset(s, 0, sizeof *s);
}

int hwp_csv_table_open(struct hwp_csv_source *s, const char *path, int kind,
		       const struct hwp_colmap *m, struct hw_error *err)
{
	struct cells c = {0};
	struct hw_error e = {0};
	struct stat sb;
	size_t end = 0, scanned = 0, pos = 0, skip = 0, bad = 0;
	long line = 1;
	int inq = 0, found = 0;

	memset(s, 0, sizeof *s);
	hwp_inv_head_init(&s->head);
	s->path = path;
	s->fp = hwp_fopen_input(path, err);
	if (s->fp == NULL)
		return -1;
	s->size = fstat(fileno(s->fp), &sb) == 0 ? sb.st_size : 0;
	/* Read until the header's end: a line end outside quotes. */
	while (!found) {
		size_t got, i;

		if (hwp_json_grow(&s->rest, &s->caprest,
				  s->nrest + HWP_BATCH_BYTES + 1) < 0) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto fail;
		}
		got = fread(s->rest + s->nrest, 1, HWP_BATCH_BYTES, s->fp);
		s->nrest += got;
		s->offset += (long long)got;
		if (ferror(s->fp)) {
			hw_error_set(err, HW_EIO, "cannot read '%s': %s", path,
				     strerror(errno));
			goto fail;
		}
		for (i = scanned; i < s->nrest && !found; i++) {
			if (s->rest[i] == '"')
				inq = !inq;
			else if (s->rest[i] == '\n' && !inq) {
				end = i + 1;
				found = 1;
			}
		}
		scanned = s->nrest;
		if (got < HWP_BATCH_BYTES) {
			if (!found)
				end = s->nrest;
			break;
		}
		if (s->nrest > MAX_RECORD) {
			hw_error_set_at(err, HW_EFORMAT, path, 1, 1,
					"a header longer than %u MiB (is a "
					"quote left open?)",
					MAX_RECORD >> 20);
			goto fail;
		}
	}
	if (end >= 3 && memcmp(s->rest, "\xef\xbb\xbf", 3) == 0)
		skip = 3; /* the byte-order mark */
	if (end <= skip || s->rest[skip] == '\n' ||
	    (s->rest[skip] == '\r' &&
	     (end == skip + 1 || s->rest[skip + 1] == '\n'))) {
		hw_error_set_at(err, HW_EFORMAT, path, 1, 0,
				"%s (expected a header row naming the "
				"columns)",
				end <= skip ? "empty file"
					    : "an empty first line");
		goto fail;
	}
	{
		/* Split a copy: the rest stays for the rows. */
		char *hdr = malloc(end - skip + 1);

		if (hdr == NULL) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			goto fail;
		}
		memcpy(hdr, s->rest + skip, end - skip);
		pos = 0;
		if (split(hdr, end - skip, &pos, &line, &c, path, err) < 0) {
			free(hdr);
			goto fail;
		}
		/* Excel where the list separator is ';' saves "CSV" so. */
		if (c.n == 1 && strchr(c.v[0], ';') != NULL) {
			hw_error_set_at(err, HW_EFORMAT, path, 1, 1,
					"a header of one column holding ';' "
					"(expected commas between the columns: "
					"save with ',' as the separator)");
			free(hdr);
			goto fail;
		}
		if (hwp_inv_head_read(&s->head, kind, m, c.v, c.n, &bad, &e) <
		    0) {
			if (e.code != HW_OK)
				hw_error_set_at(
				    err, e.code, path,
				    bad < c.n ? (int)c.line[bad] : 1,
				    bad < c.n ? c.col[bad] : 0, "%s", e.text);
			free(hdr);
			goto fail;
		}
		free(hdr);
	}
	s->lines = line - 1 > 0 ? line - 1 : 1;
	s->offset = (long long)end;
	fclose(s->fp);
	s->fp = NULL;
	free(s->rest);
	s->rest = NULL;
	s->nrest = s->caprest = 0;
	cells_free(&c);
	return 0;
fail:
	cells_free(&c);
	hwp_csv_table_close(s);
	return -1;
}

int hwp_csv_table_read(struct hwp_import *im, struct hwp_csv_source *s,
		       void (*progress)(long long, long long, void *),
		       void *pctx)
{
	struct csv_ctx cx = {&s->head};
	struct hwp_pipeline p = {0};
	int rc;

	s->fp = fopen(s->path, "rb");
	if (s->fp == NULL || fseeko(s->fp, (off_t)s->offset, SEEK_SET) != 0)
		return hw_error_set(hwp_import_where(im)->err, HW_EIO,
				    "cannot read '%s': %s", s->path,
				    strerror(errno));
	p.fp = s->fp;
	p.file = s->path;
	p.offset = s->offset;
	p.cut = cut_records;
	p.parse = parse_records;
	p.ctx = &cx;
	p.by_line = 1;
	rc = hwp_json_pipeline_run(&p, im, s->lines, s->size, progress, pctx);
	fclose(s->fp);
	s->fp = NULL;
	return rc;
}
