/*
 * audit.h: reading the audit trail (store-audit-log.c): the records,
 * the newest hash, the chain verified, and who changed an asset last.
 * Every write through the library appends records (DESIGN.md "Audit
 * record"); nothing here writes.  Included by highwater.h.
 */
#ifndef HW_AUDIT_H
#define HW_AUDIT_H

#include "error.h"
#include "instant.h"

struct hw_store;

/* One record, borrowed for the call of the function it is given to. */
struct hw_audit_record {
	long long seq;
	const char *time; /* YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC) */
	const char *actor, *action, *object;
	const char *before, *after; /* canonical JSON text, NULL for none */
	char prev[65], hash[65];    /* lower-case hex; prev "" when the
				       record before is missing */
};

/* Which records hw_audit_each gives; zero for all. */
struct hw_audit_filter {
	const char *asset; /* the asset's own writes, its assignments and
			      the dependencies it is either end of */
	hw_time since;	   /* at or after (0: any time) */
	const char *actor; /* this actor's only */
};

/* Call fn for each record the filter keeps, oldest first.  A record
 * whose hash is not 32 bytes or whose time is out of range is damaged
 * (HW_EDAMAGED naming it).  A non-zero return from fn stops the walk and is
 * returned. */
int hw_audit_each(struct hw_store *st, const struct hw_audit_filter *f,
		  int (*fn)(const struct hw_audit_record *, void *), void *ctx,
		  struct hw_error *err);

/* The newest record's hash (64 zeros for an empty trail) and seq (0). */
int hw_audit_head(struct hw_store *st, char hash[65], long long *seq,
		  struct hw_error *err);

/* Who changed an asset last, and when: new strings in *actor and *time
 * (caller frees), both NULL when the trail names the asset nowhere. */
int hw_audit_last(struct hw_store *st, const char *asset, char **actor,
		  char **time, struct hw_error *err);

/* What hw_audit_verify found. */
struct hw_audit_verdict {
	long long records; /* records read */
	long long broken;  /* seq of the first broken record, 0 if none */
	char why[256];	   /* what is wrong there: one line */
	char head[65];	   /* the newest hash as stored */
	int expect_found;  /* expect given: it is the head or in the chain */
};

/* Recompute every record's hash, oldest first, streaming: each must
 * match its stored hash (else: edited), follow the previous record's
 * hash (else: a record deleted, inserted or reordered before it) and
 * have the next seq (else: records deleted).  With expect (a hash kept
 * elsewhere from 'audit head'), it must be the head or a record's hash
 * in the chain: else the newest records were removed (truncated) or
 * the chain rebuilt.  Returns 0 when the walk ran (v says whether the
 * chain holds), -1 with err if it could not read.  progress (may be
 * NULL) is told records done and in all now and then. */
int hw_audit_verify(struct hw_store *st, const char *expect,
		    struct hw_audit_verdict *v,
		    void (*progress)(long long done, long long total, void *),
		    void *pctx, struct hw_error *err);

#endif /* HW_AUDIT_H */
