/*
 * doctor.h: a database checked as the input it is (store-doctor.c):
 * the file's pages, its schema version, its foreign keys, the values
 * the loads rely on and the audit chain, each finding said; and the
 * one repair that loses nothing, rows whose parent row is gone.
 * Included by highwater.h.
 */
#ifndef HW_DOCTOR_H
#define HW_DOCTOR_H

#include "error.h"

struct hw_store;

/* What a finding is about, in the order the checks run. */
enum hw_doctor_check {
	HW_DOCTOR_FILE,		/* a highwater database, its schema version */
	HW_DOCTOR_INTEGRITY,	/* PRAGMA quick_check or integrity_check */
	HW_DOCTOR_FOREIGN_KEYS, /* PRAGMA foreign_key_check, rows named */
	HW_DOCTOR_VALUES,	/* what the loads rely on, read by them */
	HW_DOCTOR_AUDIT,	/* the audit chain (hw_audit_verify) */
	HW_DOCTOR_NCHECKS
};

/* The check's name as shown: "file", "integrity", "foreign keys",
 * "values", "audit trail"; static. */
const char *hw_doctor_check_name(enum hw_doctor_check c);

/* hw_doctor_check's flags, or'ed with HW_OPEN_SHARED if wanted:
 * PRAGMA integrity_check (every index against its table: ten times the
 * time of quick_check at a million assets) instead of quick_check. */
#define HW_DOCTOR_FULL 0x100

/* One finding, borrowed for the call of the function it is given to. */
struct hw_doctor_finding {
	enum hw_doctor_check check;
	int ok;		    /* the check passed: text says what it read */
	int skipped;	    /* not run, or not to its end: text says why
			       (not counted as a problem) */
	int repairable;	    /* hw_doctor_repair removes it, losing nothing */
	const char *text;   /* one line, no newline */
	const char *advice; /* what to do when it is not repairable, one
			       line; NULL when ok or repairable */
};

/* What hw_doctor_check found in all. */
struct hw_doctor_result {
	long problems;	 /* findings that are not ok */
	long repairable; /* of them, repairable */
};

/* Check the database at path, opened read-only as it is (nothing is
 * written, not even a migration; a file the open would refuse, not a
 * highwater one or of another schema version, is a finding): call fn
 * for each finding, the checks in enum order, each check's passing
 * (ok) or its problems (a check stops at 20 rows).  A check that
 * cannot mean anything after an earlier one failed (values on a file
 * whose pages are damaged) says it was skipped.  Returns
 * 0 when the checks ran (out says what they found), -1 with err when
 * the file could not be opened at all (missing, not a file, refused as
 * shared) or memory ran out.  A non-zero return from fn stops the
 * checks and is returned. */
int hw_doctor_check(const char *path, int flags,
		    int (*fn)(const struct hw_doctor_finding *, void *),
		    void *ctx, struct hw_doctor_result *out,
		    struct hw_error *err);

/* What hw_doctor_repair removed: rows whose parent row is gone. */
struct hw_doctor_repaired {
	long long dependencies; /* either end's asset gone */
	long long assignments;	/* the asset gone */
	long long factors;	/* risk factors of an asset gone */
	long long user_owns;	/* owner values of a user gone */
};

/* Remove the rows hw_doctor_check calls repairable, in one transaction
 * (begun and committed here: none may be open), with one audit record
 * (action "repair", object "database", before: the rows removed, up
 * to 1000 of each table, and their counts).  Nothing removed, no
 * record.  st opened for writing. */
int hw_doctor_repair(struct hw_store *st, struct hw_doctor_repaired *out,
		     struct hw_error *err);

#endif /* HW_DOCTOR_H */

/* ------------------------------------------------------------------ */
/* Library-internal: the checks the store makes (store-doctor.c), for
 * doctor.c, which runs them and the loads above the store.            */
#if defined(HW_PRIVATE_H) && !defined(HW_DOCTOR_PRIVATE_H)
#define HW_DOCTOR_PRIVATE_H

#define HWP_DOCTOR_RESTORE                                                     \
	"restore the database from a backup ('highwater backup' makes one)"

/* A run of the checks. */
struct hwp_doctor {
	struct hw_store *st; /* opened read-only, as it is */
	int (*fn)(const struct hw_doctor_finding *, void *);
	void *ctx;
	struct hw_doctor_result *res;
	int stop;	/* fn's non-zero return: no more findings */
	long fk_rows;	/* rows PRAGMA foreign_key_check found */
	char last[256]; /* the values check's last problem (no repeats) */
	int cut;	/* a load stopped at a row named under foreign keys */
	int mendable;	/* of this schema: the repair may open it */
};

/* Tell d->fn one finding (counted in d->res): text from fmt, one line,
 * control characters shown as '?'; repairable only if d->mendable.
 * Returns d->stop. */
int hwp_doctor_say(struct hwp_doctor *d, enum hw_doctor_check c, int ok,
		   int repairable, const char *advice, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
/* A check not run, or not to its end (text says why): not a problem. */
void hwp_doctor_skipped(struct hwp_doctor *d, enum hw_doctor_check c,
			const char *text);
/* The file is a highwater database (1, its schema version in *version)
 * or not (0, said). */
int hwp_doctor_file(struct hwp_doctor *d, long long *version);
/* The schema version said; 1 if it is this highwater's. */
int hwp_doctor_version(struct hwp_doctor *d, long long version);
/* PRAGMA quick_check (integrity_check if full); 1 if it holds. */
int hwp_doctor_integrity(struct hwp_doctor *d, int full);
/* PRAGMA foreign_key_check, the rows named; d->fk_rows counts them. */
void hwp_doctor_foreign_keys(struct hwp_doctor *d);

#endif /* HW_DOCTOR_PRIVATE_H */
