/*
 * store-backup.c: a consistent copy of the whole database, history
 * included, taken while others read and write it (SQLite's online
 * backup), written owner-only and put in place whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store-pg.h"
#include "store-sql.h"

/* Pages copied a step: small enough that writers wait little. */
#define BACKUP_PAGES 4096

/* The same file as the database (it would copy onto itself)? */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

/* Copy st's database into the open connection dst, step by step. */
static int copy_pages(struct hw_store *st, sqlite3 *dst,
		      void (*progress)(long long, long long, void *),
		      void *pctx, struct hw_error *err)
{
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", st->db, "main");
	int rc;

	if (b == NULL)
		return hw_error_set(err, HW_EDB, "cannot start the backup: %s",
				    sqlite3_errmsg(dst));
	do {
		rc = sqlite3_backup_step(b, BACKUP_PAGES);
		if (progress != NULL)
			progress(sqlite3_backup_pagecount(b) -
				     sqlite3_backup_remaining(b),
				 sqlite3_backup_pagecount(b), pctx);
		/* A writer holds the database for a moment: wait, go on. */
		if (rc == HWP_BUSY || rc == HWP_LOCKED)
			sqlite3_sleep(20);
	} while (rc == HWP_OK || rc == HWP_BUSY || rc == HWP_LOCKED);
	sqlite3_backup_finish(b);
	if (rc != HWP_DONE)
		return hw_error_set(err, HW_EDB, "the backup failed: %s",
				    sqlite3_errstr(rc));
	return 0;
}

int hw_store_backup(struct hw_store *st, const char *path, int force,
		    void (*progress)(long long done, long long total, void *),
		    void *pctx, struct hw_error *err)
{
	char tmp[PATH_MAX];
	sqlite3 *dst = NULL;
	int fd, rc;

	/* PostgreSQL: a SQLite copy of the inventory, row by row
	 * (store-copy.c); the server's own backups are pg_dump's. */
	if (st->pg != NULL) {
		if (hwp_pg_is_uri(path))
			return hw_error_set(err, HW_EINVAL,
					    "a backup is a SQLite file, not "
					    "'%s' (highwater copy --to copies "
					    "into PostgreSQL)",
					    path);
		return hwp_store_copy(st, path, force, progress, pctx, NULL,
				      err);
	}
	if (hw_out_check(path, force, err) < 0)
		return -1;
	if (same_file(path, st->path))
		return hw_error_set(err, HW_EINVAL,
				    "'%s' is the database itself", path);
	fd = hw_out_temp(path, tmp, sizeof tmp, err); /* owner-only */
	if (fd < 0)
		return -1;
	close(fd);
	rc = sqlite3_open_v2(tmp, &dst, SQLITE_OPEN_READWRITE, NULL);
	if (rc != HWP_OK) {
		hw_error_set(err, HW_EDB, "cannot open '%s': %s", tmp,
			     dst ? sqlite3_errmsg(dst) : sqlite3_errstr(rc));
		goto fail;
	}
	if (copy_pages(st, dst, progress, pctx, err) < 0)
		goto fail;
	if (sqlite3_close(dst) != HWP_OK) {
		dst = NULL;
		hw_error_set(err, HW_EDB, "cannot close '%s'", tmp);
		goto fail;
	}
	dst = NULL;
	/* Without force, a file that appeared meanwhile is refused. */
	if (hw_out_place(tmp, path, force, err) < 0)
		goto fail;
	return 0;
fail:
	if (dst != NULL)
		sqlite3_close(dst);
	unlink(tmp);
	return -1;
}
