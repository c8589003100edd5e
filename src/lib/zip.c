/*
 * zip.c: the zip container under the workbooks, as much of it as the
 * splice needs (hw-zip.h): reading the central directory of a file that
 * libxlsxwriter wrote, inflating one small entry, raw deflate segments,
 * and writing local headers, the central directory and its end, with
 * zip64 fields for sizes and offsets past 4 GiB.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <zlib.h>

#include "hw-zip.h"

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


/* Sizes from 4 GiB on go to a zip64 extra field.  A variable so that
 * tests can see it work on small files. */
static uint64_t zip64_from = 0xFFFFFFFFu;

void hwp_zip64_from(uint64_t bytes)
{
	zip64_from = bytes ? bytes : 0xFFFFFFFFu;
}

static int wide(uint64_t v)
{
	return v >= zip64_from;
}

/* Read the central directory of a zip that libxlsxwriter wrote (no
 * zip64, no comment worth keeping).  Returns the entries (free()). */
struct hwp_zip_entry *hwp_zip_read_directory(FILE *fp, size_t *n)
{
	unsigned char tail[22 + 65535], *e = NULL, rec[46];
	struct hwp_zip_entry *out = NULL;
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
		struct hwp_zip_entry *x = &out[k];
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
static unsigned char *put_shared(unsigned char *q,
				 const struct hwp_zip_entry *x,
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
int hwp_zip_write_local(FILE *out, const struct hwp_zip_entry *x)
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

int hwp_zip_write_central(FILE *out, const struct hwp_zip_entry *x)
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

int hwp_zip_write_end(FILE *out, size_t count, uint64_t dir_at,
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
int hwp_zip_seek_data(FILE *fp, const struct hwp_zip_entry *x)
{
	unsigned char h[30];

	if (fseeko(fp, (off_t)x->offset, SEEK_SET) != 0 ||
	    fread(h, 1, 30, fp) != 30 || get32(h) != 0x04034b50)
		return -1;
	return fseeko(fp, (off_t)(get16(h + 26) + get16(h + 28)), SEEK_CUR);
}

int hwp_zip_copy(FILE *in, FILE *out, uint64_t n)
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
char *hwp_zip_inflate(FILE *in, const struct hwp_zip_entry *x)
{
	unsigned char *src = NULL;
	char *dst = NULL;
	z_stream z;
	int rc = Z_DATA_ERROR;

	if (x->method != 8 || x->usize > (1u << 30) ||
	    hwp_zip_seek_data(in, x) < 0)
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
unsigned char *hwp_zip_segment(const char *text, size_t len, int last,
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
