/*
 * json-lines.h: the JSON Lines reader and the parsing pipeline it shares
 * with the whole-document reader (library-private): worker threads cut
 * and parse batches of the source, the calling thread hands their
 * records to the import engine in source order.
 */
#ifndef HW_JSON_LINES_H
#define HW_JSON_LINES_H

#include <pthread.h>
#include <stdio.h>

#include "json-records.h"

/* Batches of about this many bytes (some thousands of records); at most
 * HWP_MAX_WORKERS threads parse, at most HWP_MAX_INFLIGHT batches wait
 * between reading and applying. */
#define HWP_BATCH_BYTES (256u << 10)
#define HWP_MAX_WORKERS 4
#define HWP_MAX_INFLIGHT 1024

/* A JSON Lines line (the header's too), a CSV record, an element of a
 * document's array: at most this many bytes, or the import is refused
 * (memory stays bounded whatever the file holds). */
#define HWP_LINE_MAX (16u << 20)

/* Rewind fp past a UTF-8 byte-order mark if it starts with one: the
 * bytes skipped, 0 or 3. */
long hwp_json_skip_bom(FILE *fp);

/* The next line of fp (its newline kept) into *buf, grown, at most
 * HWP_LINE_MAX bytes: its length; 0 at the end of the file; -1 on a
 * read error (errno) or no memory (errno ENOMEM); -2 when the line is
 * longer (what was read of it is dropped). */
long hwp_json_getline(FILE *fp, char **buf, size_t *cap);

/* A piece of a batch's text the cutter found: an array element. */
struct hwp_span {
	size_t off, len; /* in the batch's text */
	long ord;	 /* index in its array */
	long line, col;	 /* where it starts in the file: line from 1,
			    characters before it on the line */
};

struct hwp_batch {
	struct hwp_batch *next; /* in the parsed list (by seq) or free */
	long seq;		/* place in the file, from 0 */
	long nlines;		/* lines parsed (by line) */
	long long end;		/* bytes of the file up to its end */
	char *text;
	size_t len, cap;
	struct hwp_span *spans; /* what the cutter found, if it says */
	size_t nspans, capspans;
	struct hwp_pool pool; /* its records and their strings */
	struct hwp_rec **recs;
	size_t nrecs, caprecs;
	int failed; /* err ends the batch: records before it are good */
	struct hw_error err;
};

struct hwp_pipeline {
	pthread_mutex_t lock;
	pthread_cond_t ready; /* a batch was parsed, or a worker ended */
	pthread_cond_t room;  /* a batch was applied, or stop */
	FILE *fp;
	const char *file;
	/* Fill b with the next whole pieces of the source, lock held: 1,
	 * 0 at the end, -1 on error (read_errno or nomem set); 1 with
	 * b->failed and b->err set for an error in the source there. */
	int (*cut)(struct hwp_pipeline *p, struct hwp_batch *b);
	/* Parse b into records on a worker, stopping at the first error. */
	void (*parse)(struct hwp_pipeline *p, struct hwp_batch *b);
	void *ctx;   /* the cutter's and the parser's */
	int by_line; /* records and errors count lines from the batch's
			first line */
	char *carry; /* the start of a piece read past the last batch */
	size_t ncarry, capcarry;
	long next_seq;
	long long offset; /* bytes read from the file */
	int eof;	  /* read no more: the end, an error, or the caller
			     gave up */
	int read_errno;	  /* reading failed */
	int nomem;
	long inflight; /* batches read and not yet applied */
	struct hwp_batch *parsed, *free;
	/* Text goes back here once parsed: a batch waiting to be applied
	 * holds only its records. */
	char *spare[2 * HWP_MAX_WORKERS];
	size_t sparecap[2 * HWP_MAX_WORKERS];
	int nspare;
};

/* Grow *buf to hold need bytes (at least a batch). */
int hwp_json_grow(char **buf, size_t *cap, size_t need);

/* Start b's text with the carry (the start of a piece read past the
 * last batch); then keep b's text from from on as the carry.  -1 out of
 * memory. */
int hwp_json_take_carry(struct hwp_pipeline *p, struct hwp_batch *b);
int hwp_json_keep_carry(struct hwp_pipeline *p, struct hwp_batch *b,
			size_t from);

/* Fill b with the next whole pieces of the file, lock held (a cutter's
 * work): b starts with the carry, reads batch by batch until
 * last_end(b->text, from, len, state) tells where the last whole piece
 * in the text ends (it has seen [0, from) before, from 0 at the
 * batch's start, the carry included; 0: no end yet), and
 * keeps what follows as the carry.  1, 0 at the end of the file, -1 on
 * error (read_errno or nomem set), 2 when b holds more than max bytes
 * (max > 0) and no piece ends. */
int hwp_json_cut(struct hwp_pipeline *p, struct hwp_batch *b,
		 size_t (*last_end)(const char *t, size_t from, size_t len,
				    void *state),
		 void *state, size_t max);

/* Add r to b's records; -1 out of memory. */
int hwp_json_keep_rec(struct hwp_batch *b, struct hwp_rec *r);

/* Run p (fp, file, cut, parse, ctx, by_line, offset set): start the
 * workers, hand every record to im in order; base is the line before
 * the first batch (by line).  progress as hw_import_json's. */
int hwp_json_pipeline_run(struct hwp_pipeline *p, struct hwp_import *im,
			  long base, long long total,
			  void (*progress)(long long, long long, void *),
			  void *pctx);

/* The JSON Lines reader over fp (at its start): the header, then the
 * records. */
int hwp_json_lines_read(struct hwp_import *im, FILE *fp, long long total,
			void (*progress)(long long, long long, void *),
			void *pctx);

/* A JSON inventory over fp (at its start), whole document or JSON Lines
 * as its first line says (json-read.c); size of the file, 0 unknown. */
int hwp_json_read(struct hwp_import *im, FILE *fp, long long size,
		  void (*progress)(long long, long long, void *), void *pctx);

#endif
