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

/* ------------------------------------------------------------------ */
/* The zip file                                                        */

static uint16_t get16(const unsigned char *b)
{
	return (uint16_t)(b[0] | b[1] << 8);
}

static uint32_t get32(const unsigned char *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 |
	       (uint32_t)b[3] << 24;
}

static unsigned char *put16(unsigned char *b, unsigned v)
{
	b[0] = (unsigned char)v;
	b[1] = (unsigned char)(v >> 8);
	return b + 2;
}

static unsigned char *put32(unsigned char *b, uint32_t v)
{
	put16(b, v & 0xFFFF);
	return put16(b + 2, v >> 16);
}

static unsigned char *put64(unsigned char *b, uint64_t v)
{
	put32(b, (uint32_t)v);
	return put32(b + 4, (uint32_t)(v >> 32));
}

/* One entry of the central directory, as read and as rewritten. */
struct entry {
	unsigned made_by, needed, flags, method, time, date, internal;
	uint32_t crc, external;
	uint64_t csize, usize, offset;
	char name[256];
	size_t name_len;
};

/* Sizes from 4 GiB on go to a zip64 extra field.  A variable so that
 * tests can see it work on small files. */
static uint64_t zip64_from = 0xFFFFFFFFu;

void hwp_pack_zip64_from(uint64_t bytes)
{
	zip64_from = bytes ? bytes : 0xFFFFFFFFu;
}

static int wide(uint64_t v)
{
	return v >= zip64_from;
}

/* Read the central directory of a zip that libxlsxwriter wrote (no
 * zip64, no comment worth keeping).  Returns the entries (free()). */
static struct entry *read_directory(FILE *fp, size_t *n)
{
	unsigned char tail[22 + 65535], *e = NULL, rec[46];
	struct entry *out = NULL;
	long size, from, i;
	size_t got, k, count;
	uint32_t at;

	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 22)
		return NULL;
	from = size > (long)sizeof tail ? size - (long)sizeof tail : 0;
	if (fseek(fp, from, SEEK_SET) != 0 ||
	    (got = fread(tail, 1, (size_t)(size - from), fp)) < 22)
		return NULL;
	for (i = (long)got - 22; i >= 0 && e == NULL; i--)
		if (get32(tail + i) == 0x06054b50)
			e = tail + i;
	if (e == NULL)
		return NULL;
	count = get16(e + 10);
	at = get32(e + 16);
	out = calloc(count + 1, sizeof *out);
	if (out == NULL || fseek(fp, (long)at, SEEK_SET) != 0)
		goto fail;
	for (k = 0; k < count; k++) {
		struct entry *x = &out[k];
		size_t skip;

		if (fread(rec, 1, 46, fp) != 46 || get32(rec) != 0x02014b50)
			goto fail;
		x->made_by = get16(rec + 4);
		x->needed = get16(rec + 6);
		x->flags = get16(rec + 8) & ~8u; /* sizes are known */
		x->method = get16(rec + 10);
		x->time = get16(rec + 12);
		x->date = get16(rec + 14);
		x->crc = get32(rec + 16);
		x->csize = get32(rec + 20);
		x->usize = get32(rec + 24);
		x->name_len = get16(rec + 28);
		skip = (size_t)get16(rec + 30) + get16(rec + 32);
		x->internal = get16(rec + 36);
		x->external = get32(rec + 38);
		x->offset = get32(rec + 42);
		if (x->name_len >= sizeof x->name ||
		    fread(x->name, 1, x->name_len, fp) != x->name_len ||
		    fseek(fp, (long)skip, SEEK_CUR) != 0)
			goto fail;
		x->name[x->name_len] = '\0';
	}
	*n = count;
	return out;
fail:
	free(out);
	return NULL;
}

/* The fields local and central headers share, from the version needed
 * to the uncompressed size: version 4.5 for zip64, and the sizes
 * 0xFFFFFFFF when a zip64 field holds them. */
static unsigned char *put_shared(unsigned char *q, const struct entry *x,
				 int zip64, int sizes64)
{
	q = put16(q, zip64 ? 45 : x->needed);
	q = put16(q, x->flags);
	q = put16(q, x->method);
	q = put16(q, x->time);
	q = put16(q, x->date);
	q = put32(q, x->crc);
	q = put32(q, sizes64 ? 0xFFFFFFFFu : (uint32_t)x->csize);
	return put32(q, sizes64 ? 0xFFFFFFFFu : (uint32_t)x->usize);
}

/* A local header for x (sizes known; zip64 extra when they are wide). */
static int write_local(FILE *out, const struct entry *x)
{
	unsigned char h[30 + 20], *q = h;
	int z64 = wide(x->usize) || wide(x->csize);

	q = put32(q, 0x04034b50);
	q = put_shared(q, x, z64, z64);
	q = put16(q, (unsigned)x->name_len);
	q = put16(q, z64 ? 20 : 0);
	if (fwrite(h, 1, 30, out) != 30 ||
	    fwrite(x->name, 1, x->name_len, out) != x->name_len)
		return -1;
	if (z64) {
		q = put16(h, 1);
		q = put16(q, 16);
		q = put64(q, x->usize);
		q = put64(q, x->csize);
		if (fwrite(h, 1, 20, out) != 20)
			return -1;
	}
	return 0;
}

static int write_central(FILE *out, const struct entry *x)
{
	unsigned char h[46], ext[4 + 24], *q = h, *e = ext + 4;
	int zu = wide(x->usize) || wide(x->csize), zo = wide(x->offset);
	size_t extra;

	/* The zip64 field holds, in order, the sizes and the offset that
	 * do not fit. */
	if (zu) {
		e = put64(e, x->usize);
		e = put64(e, x->csize);
	}
	if (zo)
		e = put64(e, x->offset);
	extra = e > ext + 4 ? (size_t)(e - ext) : 0;
	put16(ext, 1);
	put16(ext + 2, (unsigned)(extra ? extra - 4 : 0));
	q = put32(q, 0x02014b50);
	q = put16(q, x->made_by);
	q = put_shared(q, x, extra > 0, zu);
	q = put16(q, (unsigned)x->name_len);
	q = put16(q, (unsigned)extra);
	q = put16(q, 0); /* comment */
	q = put16(q, 0); /* disk */
	q = put16(q, x->internal);
	q = put32(q, x->external);
	put32(q, zo ? 0xFFFFFFFFu : (uint32_t)x->offset);
	return fwrite(h, 1, 46, out) == 46 &&
		       fwrite(x->name, 1, x->name_len, out) == x->name_len &&
		       fwrite(ext, 1, extra, out) == extra
		   ? 0
		   : -1;
}

static int write_end(FILE *out, size_t count, uint64_t dir_at,
		     uint64_t dir_size)
{
	unsigned char h[56 + 20 + 22], *q = h;
	int z64 = wide(dir_at) || wide(dir_size);

	if (z64) {
		q = put32(q, 0x06064b50); /* zip64 end of central directory */
		q = put64(q, 44);
		q = put16(q, 45);
		q = put16(q, 45);
		q = put32(q, 0);
		q = put32(q, 0);
		q = put64(q, count);
		q = put64(q, count);
		q = put64(q, dir_size);
		q = put64(q, dir_at);
		q = put32(q, 0x07064b50); /* its locator */
		q = put32(q, 0);
		q = put64(q, dir_at + dir_size);
		q = put32(q, 1);
	}
	q = put32(q, 0x06054b50);
	q = put16(q, 0);
	q = put16(q, 0);
	q = put16(q, (unsigned)count);
	q = put16(q, (unsigned)count);
	q = put32(q, z64 ? 0xFFFFFFFFu : (uint32_t)dir_size);
	q = put32(q, z64 ? 0xFFFFFFFFu : (uint32_t)dir_at);
	q = put16(q, 0);
	return fwrite(h, 1, (size_t)(q - h), out) == (size_t)(q - h) ? 0 : -1;
}

/* Where entry x's data starts in the file. */
static int seek_data(FILE *fp, const struct entry *x)
{
	unsigned char h[30];

	if (fseeko(fp, (off_t)x->offset, SEEK_SET) != 0 ||
	    fread(h, 1, 30, fp) != 30 || get32(h) != 0x04034b50)
		return -1;
	return fseeko(fp, (off_t)(get16(h + 26) + get16(h + 28)), SEEK_CUR);
}

static int copy_bytes(FILE *in, FILE *out, uint64_t n)
{
	char buf[1 << 16];

	while (n > 0) {
		size_t want = n < sizeof buf ? (size_t)n : sizeof buf;

		if (fread(buf, 1, want, in) != want ||
		    fwrite(buf, 1, want, out) != want)
			return -1;
		n -= want;
	}
	return 0;
}

/* Inflate entry x of in (a small worksheet) into a new string. */
static char *inflate_entry(FILE *in, const struct entry *x)
{
	unsigned char *src = NULL;
	char *dst = NULL;
	z_stream z;
	int rc = Z_DATA_ERROR;

	if (x->method != 8 || x->usize > (1u << 30) || seek_data(in, x) < 0)
		return NULL;
	src = malloc(x->csize + 1);
	dst = malloc(x->usize + 1);
	memset(&z, 0, sizeof z);
	if (src != NULL && dst != NULL &&
	    fread(src, 1, x->csize, in) == x->csize &&
	    inflateInit2(&z, -MAX_WBITS) == Z_OK) {
		z.next_in = src;
		z.avail_in = (uInt)x->csize;
		z.next_out = (Bytef *)dst;
		z.avail_out = (uInt)x->usize;
		rc = inflate(&z, Z_FINISH);
		inflateEnd(&z);
	}
	free(src);
	if (rc != Z_STREAM_END || z.total_out != x->usize) {
		free(dst);
		return NULL;
	}
	dst[x->usize] = '\0';
	return dst;
}

/* Compress text as a raw deflate segment: a sync flush, or the final
 * block when last.  Returns a new buffer and its size in *n. */
static unsigned char *segment(const char *text, size_t len, int last,
			      size_t *n)
{
	z_stream z;
	unsigned char *out;
	size_t cap;
	int rc;

	memset(&z, 0, sizeof z);
	if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8,
			 Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&z, (uLong)len) + 64;
	out = malloc(cap);
	if (out != NULL) {
		z.next_in = (Bytef *)text;
		z.avail_in = (uInt)len;
		z.next_out = out;
		z.avail_out = (uInt)cap;
		rc = deflate(&z, last ? Z_FINISH : Z_SYNC_FLUSH);
		if ((last ? rc != Z_STREAM_END : rc != Z_OK) ||
		    z.avail_in != 0) {
			free(out);
			out = NULL;
		}
		*n = cap - z.avail_out;
	}
	deflateEnd(&z);
	return out;
}

/* Write worksheet entry x of in with the rows of s spliced in before
 * </sheetData> and its dimension set. */
static int splice(FILE *in, FILE *out, struct entry *x,
		  struct hwp_pack_stream *s)
{
	char *xml = inflate_entry(in, x), *cut, *dim, *rest, *head = NULL;
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
		b = segment(tail, strlen(tail), 1, &blen);
		x->usize = strlen(tail);
		x->crc = (uint32_t)crc32(0, (const Bytef *)tail,
					 (uInt)strlen(tail));
		free(tail);
	} else {
		b = segment(rest, strlen(rest), 1, &blen);
		x->usize = strlen(rest);
		x->crc = (uint32_t)crc32(0, (const Bytef *)rest,
					 (uInt)strlen(rest));
	}
	a = segment(head, strlen(head), 0, &alen);
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
	if (write_local(out, x) < 0 || fwrite(a, 1, alen, out) != alen ||
	    fseeko(s->fp, 0, SEEK_SET) != 0 ||
	    copy_bytes(s->fp, out, s->csize) < 0 ||
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
	struct entry *dir = NULL;
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
	dir = read_directory(in, &n);
	if (dir == NULL) {
		pack_error(p, HW_EIO, "cannot read the zip file written");
		goto done;
	}
	for (i = 0; i < n; i++) {
		struct entry *x = &dir[i];

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
		if (seek_data(in, x) < 0) {
			pack_error(p, HW_EIO, "cannot read the zip file");
			goto done;
		}
		{
			uint64_t was = x->offset;

			x->offset = (uint64_t)ftello(out);
			if (write_local(out, x) < 0 ||
			    copy_bytes(in, out, x->csize) < 0) {
				x->offset = was;
				pack_error(p, HW_EIO, strerror(errno));
				goto done;
			}
		}
	}
	dir_at = (uint64_t)ftello(out);
	for (i = 0; i < n; i++)
		if (write_central(out, &dir[i]) < 0)
			break;
	if (i < n || write_end(out, n, dir_at,
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
