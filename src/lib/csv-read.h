/*
 * csv-read.h: the CSV reader of the inventory tables (library-private):
 * RFC 4180 (quoted commas, quotes and newlines), UTF-8 with or without a
 * byte-order mark, CRLF or LF; the header row read first (it tells the
 * table), then the rows streamed through the parsing pipeline of the
 * JSON readers (json-lines.h).
 */
#ifndef HW_CSV_READ_H
#define HW_CSV_READ_H

#include <stdio.h>

#include "table.h"

/* A CSV file whose header was read.  It is closed in between (an
 * import may name more files than it may hold open) and opened again
 * at its rows when they are read. */
struct hwp_csv_source {
	FILE *fp;
	const char *path;	  /* borrowed, named in messages */
	struct hwp_inv_head head; /* the header's table and columns */
	long lines;		  /* lines the header takes */
	char *rest;		  /* while the header is read: the bytes */
	size_t nrest, caprest;
	long long offset; /* where the rows start (after the header) */
	long long size;	  /* of the file, 0 when unknown */
};

/* Read the header row of path: kind -1 tells the table by the header,
 * else it is that table; m (may be NULL) renames columns.  0 (the file
 * closed again), or -1 with err ("path" line 1 column C: ...); s is
 * closed then. */
int hwp_csv_table_open(struct hwp_csv_source *s, const char *path, int kind,
		       const struct hwp_colmap *m, struct hw_error *err);

/* Open s's file again and hand its rows to im, in order (the
 * pipeline's worker threads parse them).  progress as
 * hw_import_json's. */
int hwp_csv_table_read(struct hwp_import *im, struct hwp_csv_source *s,
		       void (*progress)(long long, long long, void *),
		       void *pctx);

void hwp_csv_table_close(struct hwp_csv_source *s);

#endif
