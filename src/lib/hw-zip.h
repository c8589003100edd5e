/*
 * hw-zip.h: the zip container's reading and writing (zip.c), for the
 * splice of the workbooks' rows (xlsx-pack.c); not public.
 */
#ifndef HW_ZIP_H
#define HW_ZIP_H

#include <stdint.h>
#include <stdio.h>

/* One entry of the central directory, as read and as rewritten. */
struct hwp_zip_entry {
	unsigned made_by, needed, flags, method, time, date, internal;
	uint32_t crc, external;
	uint64_t csize, usize, offset;
	char name[256];
	size_t name_len;
};

/* Read the central directory of a zip that libxlsxwriter wrote (no
 * zip64, no comment worth keeping): a new array of *n entries (free()),
 * or NULL. */
struct hwp_zip_entry *hwp_zip_read_directory(FILE *fp, size_t *n);

/* Seek fp to where entry x's data starts; 0 or -1. */
int hwp_zip_seek_data(FILE *fp, const struct hwp_zip_entry *x);

/* Copy n bytes from in to out; 0 or -1. */
int hwp_zip_copy(FILE *in, FILE *out, uint64_t n);

/* Entry x of in (deflated, under 1 GiB) inflated into a new string
 * (free()), or NULL. */
char *hwp_zip_inflate(FILE *in, const struct hwp_zip_entry *x);

/* text compressed as a raw deflate segment: ending in a sync flush, or
 * the final block when last.  A new buffer, its size in *n; or NULL. */
unsigned char *hwp_zip_segment(const char *text, size_t len, int last,
			       size_t *n);

/* Write x's local header, its central directory record, and the end of
 * the central directory (count entries, dir_size bytes at dir_at); zip64
 * fields where sizes or offsets are wide.  0 or -1. */
int hwp_zip_write_local(FILE *out, const struct hwp_zip_entry *x);
int hwp_zip_write_central(FILE *out, const struct hwp_zip_entry *x);
int hwp_zip_write_end(FILE *out, size_t count, uint64_t dir_at,
		      uint64_t dir_size);

/* Tests: sizes from bytes on take zip64 fields (0: from 4 GiB). */
void hwp_zip64_from(uint64_t bytes);

#endif
