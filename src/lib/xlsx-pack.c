/*
 * xlsx-pack.c: the rows of the workbooks' tables, packed fast.
 *
 * libxlsxwriter writes a cell at a time (a few allocations and a
 * printf each) and compresses the whole file on one core at zlib's
 * default level when it closes: about 3 microseconds a cell, three
 * minutes for the protection plan of a million assets.  So xlsx.c
 * writes the tables' data rows as SpreadsheetML itself and hands them
 * here in chunks, which worker threads compress (zlib's fastest level,
 * each chunk a raw deflate segment of its own ending on a byte
 * boundary, as pigz does) while the next rows are made.  libxlsxwriter
 * still writes everything else, each table worksheet with its header
 * row only; at the end the rows are spliced into those worksheets'
 * <sheetData> while the zip file is copied, the other entries as they
 * are.  Segments of deflate data put one after another form one valid
 * stream, and their CRC-32s combine, so nothing is compressed twice.
 *
 * Errors are kept (the first one) and reported by hwp_pack_finish.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "hw-private.h"
#include "hw-xlsx.h"
#include "hw-zip.h"

#define CHUNK (1u << 20) /* XML in a chunk, more only for one long row */
#define JOBS 8		 /* chunks in flight */
#define WORKERS_MAX 4
#define LEVEL Z_BEST_SPEED

enum job_state { JOB_FREE, JOB_PENDING, JOB_RUNNING, JOB_DONE };

struct job {
	struct hwp_pack_stream *stream;
	char *in;
	size_t len, cap;
	unsigned char *out;
	size_t outlen, outcap;
	uint32_t crc;
	unsigned long seq;
	enum job_state state;
	int failed;
};

struct hwp_pack_stream {
	size_t sheet;  /* the worksheet's number: xl/worksheets/sheetN.xml */
	FILE *fp;      /* its compressed segments, in order */
	uint32_t crc;  /* of the XML so far */
	uint64_t usize, csize;
	char dimension[32]; /* "A1:R115", or "" to leave libxlsxwriter's */
	struct hwp_pack_stream *next;
};

struct hwp_pack {
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t thread[WORKERS_MAX];
	int nthreads, quit;
	struct job job[JOBS];
	size_t next;	    /* the job being filled */
	unsigned long seq;  /* of the last job submitted */
	struct hwp_pack_stream *streams, **tail;
	struct hw_error err;
};

static void pack_error(struct hwp_pack *p, enum hw_errcode code,
		       const char *what)
{
	if (p->err.code == HW_OK)
		hw_error_set(&p->err, code, "cannot write the workbook: %s",
			     what);
}

/* ------------------------------------------------------------------ */
/* Compressing a chunk                                                 */

/* One raw deflate segment of the job's XML, ending with a sync flush
 * (byte-aligned, not final), and the XML's CRC-32. */
static int compress_job(z_stream *z, struct job *j)
{
	size_t need = deflateBound(z, (uLong)j->len) + 64;
	int rc;

	if (need > j->outcap) {
		unsigned char *grown = realloc(j->out, need);

		if (grown == NULL)
			return -1;
		j->out = grown;
		j->outcap = need;
	}
	if (deflateReset(z) != Z_OK)
		return -1;
	z->next_in = (Bytef *)j->in;
	z->avail_in = (uInt)j->len;
	z->next_out = j->out;
	z->avail_out = (uInt)j->outcap;
	for (;;) {
		rc = deflate(z, Z_SYNC_FLUSH);
		if (rc != Z_OK && rc != Z_BUF_ERROR)
			return -1;
		if (z->avail_in == 0 && z->avail_out > 0)
			break;
		if (z->avail_out == 0) { /* the bound was not enough */
			size_t used = j->outcap;
			unsigned char *grown = realloc(j->out, used * 2);

			if (grown == NULL)
				return -1;
			j->out = grown;
			j->outcap = used * 2;
			z->next_out = j->out + used;
			z->avail_out = (uInt)used;
		}
	}
	j->outlen = j->outcap - z->avail_out;
	j->crc = (uint32_t)crc32(0, (const Bytef *)j->in, (uInt)j->len);
	return 0;
}

static int deflater(z_stream *z)
{
	memset(z, 0, sizeof *z);
	return deflateInit2(z, LEVEL, Z_DEFLATED, -MAX_WBITS, 8,
			    Z_DEFAULT_STRATEGY) == Z_OK
		   ? 0
		   : -1;
}

/* The oldest pending job, or NULL. */
static struct job *oldest_pending(struct hwp_pack *p)
{
	struct job *best = NULL;
	size_t i;

	for (i = 0; i < JOBS; i++)
		if (p->job[i].state == JOB_PENDING &&
		    (best == NULL || p->job[i].seq < best->seq))
			best = &p->job[i];
	return best;
}

static void *worker(void *arg)
{
	struct hwp_pack *p = arg;
	z_stream z;
	int ready = deflater(&z) == 0;
	struct job *j;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		j = oldest_pending(p);
		if (j == NULL) {
			if (p->quit)
				break;
			pthread_cond_wait(&p->work, &p->mu);
			continue;
		}
		j->state = JOB_RUNNING;
		pthread_mutex_unlock(&p->mu);
		j->failed = !ready || compress_job(&z, j) < 0;
		pthread_mutex_lock(&p->mu);
		j->state = JOB_DONE;
		pthread_cond_broadcast(&p->done);
	}
	pthread_mutex_unlock(&p->mu);
	if (ready)
		deflateEnd(&z);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* The pool                                                            */

struct hwp_pack *hwp_pack_new(void)
{
	struct hwp_pack *p = calloc(1, sizeof *p);
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	int i, want = cores < 1 ? 1 : cores > WORKERS_MAX ? WORKERS_MAX
							  : (int)cores;

	if (p == NULL)
		return NULL;
	p->tail = &p->streams;
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->work, NULL);
	pthread_cond_init(&p->done, NULL);
	/* With no thread at all the chunks are compressed in place. */
	for (i = 0; i < want; i++) {
		if (pthread_create(&p->thread[i], NULL, worker, p) != 0)
			break;
		p->nthreads++;
	}
	return p;
}

/* Write a finished job's segment to its stream; the job is free
 * again.  Called with the lock not held, on a job that is done. */
static void drain(struct hwp_pack *p, struct job *j)
{
	struct hwp_pack_stream *s = j->stream;

	if (j->failed)
		pack_error(p, HW_ENOMEM, "out of memory compressing rows");
	else if (p->err.code == HW_OK) {
		if (fwrite(j->out, 1, j->outlen, s->fp) != j->outlen)
			pack_error(p, HW_EIO, strerror(errno));
		s->crc = (uint32_t)crc32_combine(s->crc, j->crc,
						 (z_off_t)j->len);
		s->usize += j->len;
		s->csize += j->outlen;
	}
	j->len = 0;
	j->stream = NULL;
	pthread_mutex_lock(&p->mu);
	j->state = JOB_FREE;
	pthread_mutex_unlock(&p->mu);
}

/* Wait for job j (if submitted) and drain it. */
static void settle(struct hwp_pack *p, struct job *j)
{
	pthread_mutex_lock(&p->mu);
	while (j->state == JOB_PENDING || j->state == JOB_RUNNING) {
		if (p->nthreads == 0) /* nobody else will */
			break;
		pthread_cond_wait(&p->done, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	if (j->state == JOB_PENDING) { /* no threads: do it here */
		z_stream z;

		j->failed = deflater(&z) < 0 || compress_job(&z, j) < 0;
		deflateEnd(&z);
		j->state = JOB_DONE;
	}
	if (j->state == JOB_DONE)
		drain(p, j);
}

/* Hand the job being filled to the workers and make the next one
 * ready (draining it first if it is still in flight). */
static void submit(struct hwp_pack *p)
{
	struct job *j = &p->job[p->next];

	if (j->len > 0) {
		pthread_mutex_lock(&p->mu);
		j->seq = ++p->seq;
		j->state = JOB_PENDING;
		pthread_cond_signal(&p->work);
		pthread_mutex_unlock(&p->mu);
		p->next = (p->next + 1) % JOBS;
	}
	settle(p, &p->job[p->next]);
}

/* Every job in flight, oldest first. */
static void settle_all(struct hwp_pack *p)
{
	size_t i;

	submit(p);
	for (i = 0; i < JOBS; i++)
		settle(p, &p->job[(p->next + i) % JOBS]);
}

void hwp_pack_free(struct hwp_pack *p)
{
	struct hwp_pack_stream *s, *next;
	int i;

	if (p == NULL)
		return;
	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->mu);
	for (i = 0; i < p->nthreads; i++)
		pthread_join(p->thread[i], NULL);
	for (i = 0; i < JOBS; i++) {
		free(p->job[i].in);
		free(p->job[i].out);
	}
	for (s = p->streams; s != NULL; s = next) {
		next = s->next;
		if (s->fp != NULL)
			fclose(s->fp);
		free(s);
	}
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->work);
	pthread_cond_destroy(&p->done);
	free(p);
}

int hwp_pack_ok(const struct hwp_pack *p)
{
	return p->err.code == HW_OK;
}

/* ------------------------------------------------------------------ */
/* Streams                                                             */

struct hwp_pack_stream *hwp_pack_stream(struct hwp_pack *p, size_t sheet)
{
	struct hwp_pack_stream *s;

	if (p->err.code != HW_OK)
		return NULL;
	submit(p); /* a chunk holds one stream's rows */
	s = calloc(1, sizeof *s);
	if (s == NULL || (s->fp = tmpfile()) == NULL) {
		pack_error(p, s ? HW_EIO : HW_ENOMEM,
			   s ? strerror(errno) : "out of memory");
		free(s);
		return NULL;
	}
	s->sheet = sheet;
	*p->tail = s;
	p->tail = &s->next;
	return s;
}

void hwp_pack_write(struct hwp_pack *p, struct hwp_pack_stream *s,
		    const char *xml, size_t len)
{
	struct job *j = &p->job[p->next];

	if (s == NULL || p->err.code != HW_OK || len == 0)
		return;
	if (j->len > 0 && (j->stream != s || j->len + len > CHUNK)) {
		submit(p);
		j = &p->job[p->next];
	}
	if (j->len + len > j->cap) {
		size_t cap = j->len + len > CHUNK ? j->len + len : CHUNK;
		char *grown = realloc(j->in, cap);

		if (grown == NULL) {
			pack_error(p, HW_ENOMEM, "out of memory");
			return;
		}
		j->in = grown;
		j->cap = cap;
	}
	j->stream = s;
	memcpy(j->in + j->len, xml, len);
	j->len += len;
}

void hwp_pack_end(struct hwp_pack *p, struct hwp_pack_stream *s,
		  const char *dimension)
{
	if (s == NULL)
		return;
	snprintf(s->dimension, sizeof s->dimension, "%s", dimension);
	submit(p);
}

/* Write worksheet entry x of in with the rows of s spliced in before
 * </sheetData> and its dimension set. */
static int splice(FILE *in, FILE *out, struct hwp_zip_entry *x,
		  struct hwp_pack_stream *s)
{
	char *xml = hwp_zip_inflate(in, x), *cut, *dim, *rest, *head = NULL;
	unsigned char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0, hlen;
	int ret = -1, empty;

	if (xml == NULL)
		return -1;
	/* <sheetData/> when libxlsxwriter wrote no row. */
	cut = strstr(xml, "<sheetData/>");
	empty = cut != NULL;
	if (cut == NULL)
		cut = strstr(xml, "</sheetData>");
	dim = strstr(xml, "<dimension ref=\"");
	if (cut == NULL)
		goto out;
	rest = cut + (empty ? strlen("<sheetData/>") : 0);
	/* The head: up to the cut, with the dimension replaced. */
	hlen = (size_t)(cut - xml) + sizeof s->dimension + 64;
	head = malloc(hlen);
	if (head == NULL)
		goto out;
	if (dim != NULL && dim < cut && s->dimension[0] != '\0' &&
	    strchr(dim + 16, '"') != NULL) {
		char *end = strchr(dim + 16, '"');

		snprintf(head, hlen, "%.*s%s%.*s%s", (int)(dim + 16 - xml), xml,
			 s->dimension, (int)(cut - end), end,
			 empty ? "<sheetData>" : "");
	} else {
		snprintf(head, hlen, "%.*s%s", (int)(cut - xml), xml,
			 empty ? "<sheetData>" : "");
	}
	if (empty) {
		/* rest starts after <sheetData/>: close the element. */
		char *tail = malloc(strlen(rest) + 16);

		if (tail == NULL)
			goto out;
		sprintf(tail, "</sheetData>%s", rest);
		b = hwp_zip_segment(tail, strlen(tail), 1, &blen);
		x->usize = strlen(tail);
		x->crc = (uint32_t)crc32(0, (const Bytef *)tail,
					 (uInt)strlen(tail));
		free(tail);
	} else {
		b = hwp_zip_segment(rest, strlen(rest), 1, &blen);
		x->usize = strlen(rest);
		x->crc = (uint32_t)crc32(0, (const Bytef *)rest,
					 (uInt)strlen(rest));
	}
	a = hwp_zip_segment(head, strlen(head), 0, &alen);
	if (a == NULL || b == NULL)
		goto out;
	/* head, rows, rest: their CRCs combined in that order. */
	{
		uint32_t crc = (uint32_t)crc32(0, (const Bytef *)head,
					       (uInt)strlen(head));

		crc = (uint32_t)crc32_combine(crc, s->crc, (z_off_t)s->usize);
		x->crc = (uint32_t)crc32_combine(crc, x->crc,
						 (z_off_t)x->usize);
	}
	x->usize += strlen(head) + s->usize;
	x->csize = alen + s->csize + blen;
	x->method = 8;
	x->offset = (uint64_t)ftello(out);
	if (hwp_zip_write_local(out, x) < 0 ||
	    fwrite(a, 1, alen, out) != alen ||
	    fseeko(s->fp, 0, SEEK_SET) != 0 ||
	    hwp_zip_copy(s->fp, out, s->csize) < 0 ||
	    fwrite(b, 1, blen, out) != blen)
		goto out;
	ret = 0;
out:
	free(xml);
	free(head);
	free(a);
	free(b);
	return ret;
}

int hwp_pack_finish(struct hwp_pack *p, const char *zip_in,
		    const char *zip_out, struct hw_error *err)
{
	struct hwp_zip_entry *dir = NULL;
	struct hwp_pack_stream *s;
	FILE *in = NULL, *out = NULL;
	size_t n = 0, i;
	uint64_t dir_at;
	char name[64];
	int ret = -1;

	settle_all(p);
	if (p->err.code != HW_OK)
		goto done;
	in = fopen(zip_in, "rb");
	out = fopen(zip_out, "wb");
	if (in == NULL || out == NULL) {
		pack_error(p, HW_EIO, strerror(errno));
		goto done;
	}
	dir = hwp_zip_read_directory(in, &n);
	if (dir == NULL) {
		pack_error(p, HW_EIO, "cannot read the zip file written");
		goto done;
	}
	for (i = 0; i < n; i++) {
		struct hwp_zip_entry *x = &dir[i];

		for (s = p->streams; s != NULL; s = s->next) {
			snprintf(name, sizeof name, "xl/worksheets/sheet%zu.xml",
				 s->sheet);
			if (strcmp(name, x->name) == 0)
				break;
		}
		if (s != NULL && s->usize > 0) {
			if (splice(in, out, x, s) < 0) {
				pack_error(p, HW_EIO, "cannot splice the rows");
				goto done;
			}
			continue;
		}
		if (hwp_zip_seek_data(in, x) < 0) {
			pack_error(p, HW_EIO, "cannot read the zip file");
			goto done;
		}
		{
			uint64_t was = x->offset;

			x->offset = (uint64_t)ftello(out);
			if (hwp_zip_write_local(out, x) < 0 ||
			    hwp_zip_copy(in, out, x->csize) < 0) {
				x->offset = was;
				pack_error(p, HW_EIO, strerror(errno));
				goto done;
			}
		}
	}
	dir_at = (uint64_t)ftello(out);
	for (i = 0; i < n; i++)
		if (hwp_zip_write_central(out, &dir[i]) < 0)
			break;
	if (i < n || hwp_zip_write_end(out, n, dir_at,
			       (uint64_t)ftello(out) - dir_at) < 0 ||
	    fflush(out) != 0 || ferror(out)) {
		pack_error(p, HW_EIO, strerror(errno));
		goto done;
	}
	ret = 0;
done:
	if (in != NULL)
		fclose(in);
	if (out != NULL && fclose(out) != 0 && ret == 0) {
		pack_error(p, HW_EIO, strerror(errno));
		ret = -1;
	}
	free(dir);
	if (ret < 0 && err != NULL && err->code == HW_OK)
		*err = p->err;
	return ret;
}

/* ------------------------------------------------------------------ */
/* The splice's guard                                                  */

/* What the splice takes for granted about libxlsxwriter, checked on a
 * small book of its writing: worksheet number N (in the order added)
 * is the deflated entry xl/worksheets/sheetN.xml; it has a <dimension
 * ref="..."> before its <sheetData>; and the header row, row 1, ends
 * in its <sheetData> just before the one </sheetData>, where the
 * records go. */
static int probe_sheet(FILE *in, const struct hwp_zip_entry *dir, size_t n,
		       int sheet, char *why, size_t size)
{
	char name[64], mark[32], *xml = NULL, *data, *row, *at, *end;
	size_t i;
	int ret = -1;

	snprintf(name, sizeof name, "xl/worksheets/sheet%d.xml", sheet);
	snprintf(mark, sizeof mark, ">hw-probe-%d<", sheet);
	for (i = 0; i < n && strcmp(dir[i].name, name) != 0; i++)
		;
	if (i == n) {
		snprintf(why, size, "worksheet %d is no longer %s", sheet,
			 name);
		return -1;
	}
	if (dir[i].method != 8 ||
	    (xml = hwp_zip_inflate(in, &dir[i])) == NULL) {
		snprintf(why, size, "%s is no longer deflated as before", name);
		return -1;
	}
	data = strstr(xml, "<sheetData>");
	row = strstr(xml, "<row r=\"1\"");
	at = strstr(xml, mark);
	end = strstr(xml, "</sheetData>");
	if (data == NULL || end == NULL || strstr(end + 1, "</sheetData>"))
		snprintf(why, size, "%s has no single <sheetData> element",
			 name);
	else if (strstr(xml, "<dimension ref=\"") == NULL ||
		 strstr(xml, "<dimension ref=\"") > data)
		snprintf(why, size, "%s has no <dimension ref=\"...\"> "
			 "before its <sheetData>", name);
	else if (at == NULL)
		snprintf(why, size, "%s does not hold worksheet %d (its "
			 "header row is elsewhere)", name, sheet);
	else if (row == NULL || row < data || at < row || at > end ||
		 strstr(at, "</row>") == NULL ||
		 strstr(at, "</row>") + strlen("</row>") != end)
		snprintf(why, size, "%s: the header row (row 1) no longer "
			 "ends just before </sheetData>", name);
	else
		ret = 0;
	free(xml);
	return ret;
}

int hwp_pack_probe(const char *beside, char *why, size_t size)
{
	lxw_workbook_options wo = {.constant_memory = 1};
	size_t len = strlen(beside) + 16, n = 0;
	struct hwp_zip_entry *dir = NULL;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	char *tmp = malloc(len), text[32];
	FILE *in = NULL;
	int fd, sheet, ret = -1;

	snprintf(why, size, "out of memory");
	if (tmp == NULL)
		return -1;
	snprintf(tmp, len, "%s.probeXXXXXX", beside);
	fd = mkstemp(tmp);
	if (fd < 0) {
		snprintf(why, size, "cannot write '%s': %s", tmp,
			 strerror(errno));
		free(tmp);
		return -1;
	}
	close(fd);
	wb = workbook_new_opt(tmp, &wo);
	for (sheet = 1; wb != NULL && sheet <= 2; sheet++) {
		ws = workbook_add_worksheet(wb, NULL);
		snprintf(text, sizeof text, "hw-probe-%d", sheet);
		if (ws != NULL) {
			worksheet_write_string(ws, 0, 0, "key", NULL);
			worksheet_write_string(ws, 0, 1, text, NULL);
		}
	}
	if (wb == NULL || workbook_close(wb) != LXW_NO_ERROR) {
		snprintf(why, size, "libxlsxwriter cannot write '%s'", tmp);
		goto out;
	}
	in = fopen(tmp, "rb");
	if (in == NULL || (dir = hwp_zip_read_directory(in, &n)) == NULL) {
		snprintf(why, size, "the zip file libxlsxwriter writes no "
			 "longer reads as before (zip64, or its central "
			 "directory)");
		ret = in != NULL ? 1 : -1;
		goto out;
	}
	ret = 0;
	for (sheet = 1; sheet <= 2 && ret == 0; sheet++)
		ret = probe_sheet(in, dir, n, sheet, why, size) < 0 ? 1 : 0;
	if (ret == 0)
		why[0] = '\0';
out:
	if (in != NULL)
		fclose(in);
	free(dir);
	unlink(tmp);
	free(tmp);
	return ret;
}

/* -1 until probed, then 1 when the splice holds, 0 when it does not;
 * forced: the test switch. */
static int trusted = -1, forced = -1;
static pthread_mutex_t trusted_mu = PTHREAD_MUTEX_INITIALIZER;

void hwp_pack_force_direct(int on)
{
	pthread_mutex_lock(&trusted_mu);
	forced = on ? 0 : -1;
	pthread_mutex_unlock(&trusted_mu);
}

int hwp_pack_trusted(const char *beside)
{
	char why[256];
	int ok;

	pthread_mutex_lock(&trusted_mu);
	if (forced >= 0)
		ok = forced;
	else {
		/* A probe that could not be written says nothing about
		 * libxlsxwriter: this book takes the slow path, the next
		 * probes again. */
		if (trusted < 0) {
			int rc = hwp_pack_probe(beside, why, sizeof why);

			if (rc >= 0)
				trusted = rc == 0;
			ok = rc == 0;
		} else
			ok = trusted;
	}
	pthread_mutex_unlock(&trusted_mu);
	return ok;
}
