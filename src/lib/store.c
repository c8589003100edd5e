/*
 * store.c: opening, creating and closing a store: the SQLite connection
 * and its pragmas, the checks on open (the schema and its migrations are
 * store-schema.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "store-pg.h"

int hwp_pragma_int(struct hw_store *st, const char *sql, long long *out)
{
	struct hwp_stmt *s = NULL;
	int rc;

	rc = hwp_prepare_raw(st, sql, &s);
	if (rc == HWP_OK) {
		rc = hwp_step(s);
		if (rc == HWP_ROW) {
			*out = hwp_col_int64(s, 0);
			rc = HWP_OK;
		}
	}
	hwp_finalize(s);
	return rc;
}

static int pragma_int(struct hw_store *st, const char *sql, int *out,
		      struct hw_error *err)
{
	long long v = 0;
	int rc = hwp_pragma_int(st, sql, &v);

	if (rc == HWP_OK)
		*out = (int)v;
	if (rc == HWP_NOTADB)
		return hw_error_set(err, HW_ENOTHW,
				    "'%s' is not a highwater database",
				    st->path);
	if (rc != HWP_OK)
		return hw_error_set(err, HW_EDB, "cannot read '%s': %s",
				    st->path, hwp_errmsg(st));
	return 0;
}

/* ------------------------------------------------------------------ */
/* Opening, creating, migrating                                        */

static struct hw_store *store_alloc(const char *path, struct hw_error *err)
{
	struct hw_store *st = calloc(1, sizeof *st);

	if (st == NULL || (st->path = strdup(path)) == NULL) {
		free(st);
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	return st;
}

const char *hwp_store_path(const struct hw_store *st)
{
	return st->path;
}

int hwp_store_shared(const struct hw_store *st)
{
	return st->shared ? HW_OPEN_SHARED : 0;
}

int hw_store_close(struct hw_store *st)
{
	int i, rc = HWP_OK;

	if (st == NULL)
		return 0;
	for (i = 0; i < Q_MAX; i++)
		hwp_finalize(st->stmt[i]);
	hwp_audit_close(st);
	if (st->db != NULL)
		rc = sqlite3_close(st->db);
	hwp_pg_disconnect(st);
	free(st->path);
	free(st->actor);
	free(st);
	return rc == HWP_OK ? 0 : -1;
}

/* Connect to name (st->path, its real path, or a file: URI with
 * SQLITE_OPEN_URI in flags); messages name st->path. */
static int store_connect(struct hw_store *st, const char *name, int flags,
			 struct hw_error *err)
{
	/* One connection per store, used by one thread: no mutexes. */
	if (sqlite3_open_v2(name, &st->db, flags | SQLITE_OPEN_NOMUTEX, NULL) !=
	    HWP_OK)
		return hw_error_set(err, HW_EDB, "cannot open '%s': %s",
				    st->path,
				    st->db ? hwp_errmsg(st) : "out of memory");
	sqlite3_extended_result_codes(st->db, 1);
	/* The file is input: the SQL kept in it (a CHECK constraint, a
	 * default, an index's expression) calls no function with side
	 * effects, and no SQL writes the schema behind SQLite's back
	 * (PRAGMA writable_schema). */
	if (sqlite3_db_config(st->db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0,
			      (int *)NULL) != HWP_OK ||
	    sqlite3_db_config(st->db, SQLITE_DBCONFIG_DEFENSIVE, 1,
			      (int *)NULL) != HWP_OK)
		return hw_error_set(err, HW_EDB,
				    "cannot open '%s': SQLite refused to "
				    "distrust the file's schema",
				    st->path);
	hwp_wait_install(st);
	/* A large page cache: bulk imports and graph loads touch every
	 * page of large indexes in no particular order.  Reads through a
	 * memory map: a whole-graph load then copies no page (a tenth of
	 * its time at a million assets).  Temporary files stay files: the
	 * sorter then sorts in runs (see hwp_index_create). */
	if (sqlite3_exec(st->db,
			 "PRAGMA foreign_keys = ON; " CACHE_SIZE_SQL
			 "; PRAGMA mmap_size = 1073741824",
			 NULL, NULL, NULL) == HWP_OK)
		return 0;
	if (hwp_errcode(st) == HWP_NOTADB)
		return hw_error_set(err, HW_ENOTHW,
				    "'%s' is not a highwater database",
				    st->path);
	return hw_error_set(err, HW_EDB, "cannot read '%s': %s", st->path,
			    hwp_errmsg(st));
}

static void remove_db_files(const char *path)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char buf[4096];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", path, suffix[i]) <
		    sizeof buf)
			unlink(buf);
	}
}

/* Load the catalogue in a transaction of its own. */
static int load_catalogue(struct hw_store *st, const char *catalogue_csv,
			  struct hw_error *err)
{
	if (catalogue_csv == NULL)
		return 0;
	if (hw_store_begin(st, err) < 0)
		return -1;
	if (hw_store_load_catalogue(st, catalogue_csv, err) < 0 ||
	    hw_store_commit(st, err) < 0) {
		hw_store_rollback(st);
		return -1;
	}
	return 0;
}

/* PostgreSQL: the schema into the database the URI names, which must
 * hold no table of its own yet (store-pg-schema.c), inside a write
 * transaction left open: a rollback leaves the database as it was. */
static struct hw_store *pg_create_begun(const char *uri, struct hw_error *err)
{
	struct hw_store *st = store_alloc(uri, err);

	if (st == NULL)
		return NULL;
	st->wait_ms = DEFAULT_WAIT_MS;
	if (hwp_pg_connect(st, 0, err) < 0 || hw_store_begin(st, err) < 0)
		goto fail;
	if (hwp_pg_schema_create(st, err) < 0) {
		hw_store_rollback(st);
		goto fail;
	}
	return st;
fail:
	hw_store_close(st);
	return NULL;
}

/* PostgreSQL: the schema and the catalogue in one transaction: all or
 * nothing. */
static struct hw_store *pg_create(const char *uri, const char *catalogue_csv,
				  struct hw_error *err)
{
	struct hw_store *st = pg_create_begun(uri, err);

	if (st == NULL)
		return NULL;
	if ((catalogue_csv != NULL &&
	     hw_store_load_catalogue(st, catalogue_csv, err) < 0) ||
	    hw_store_commit(st, err) < 0) {
		hw_store_rollback(st);
		hw_store_close(st);
		return NULL;
	}
	return st;
}

/* PostgreSQL: a highwater schema of this version (store-pg-schema.c). */
static struct hw_store *pg_open(const char *uri, int flags,
				struct hw_error *err)
{
	struct hw_store *st = store_alloc(uri, err);
	int version;

	if (st == NULL)
		return NULL;
	st->wait_ms = DEFAULT_WAIT_MS;
	if (hwp_pg_connect(st, (flags & HW_OPEN_READONLY) != 0, err) < 0 ||
	    (!((flags & HW_OPEN_AS_IS) && (flags & HW_OPEN_READONLY)) &&
	     hwp_pg_schema_check(st, &version, err) < 0)) {
		hw_store_close(st);
		return NULL;
	}
	return st;
}

struct hw_store *hw_store_create(const char *path, const char *catalogue_csv,
				 struct hw_error *err)
{
	struct hw_store *st;
	char sql[64];
	int fd;

	if (hwp_pg_is_uri(path))
		return pg_create(path, catalogue_csv, err);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		  0600);
	if (fd < 0) {
		if (errno == EEXIST)
			hw_error_set(err, HW_EEXIST,
				     "'%s' already exists (refusing to "
				     "overwrite it)",
				     path);
		else
			hw_error_set(err, HW_EIO, "cannot create '%s': %s",
				     path, strerror(errno));
		return NULL;
	}
	close(fd);
	st = store_alloc(path, err);
	if (st == NULL)
		goto fail;
	snprintf(sql, sizeof sql, "PRAGMA application_id = %d",
		 HW_APPLICATION_ID);
	if (store_connect(st, st->path, SQLITE_OPEN_READWRITE, err) < 0 ||
	    /* 16 KiB pages: at 1M, an import with its audit records
	     * 15% faster than with 4 KiB, reads no slower (bench/README.md) */
	    hwp_exec_sql(st, "PRAGMA page_size = 16384", err) < 0 ||
	    hwp_exec_sql(st, "PRAGMA journal_mode = WAL", err) < 0 ||
	    hwp_exec_sql(st, sql, err) < 0 || hwp_migrate(st, 0, err) < 0 ||
	    load_catalogue(st, catalogue_csv, err) < 0)
		goto fail;
	return st;
fail:
	hw_store_close(st);
	remove_db_files(path);
	return NULL;
}

struct hw_store *hwp_store_create_begun(const char *path, struct hw_error *err)
{
	struct hw_store *st;

	if (hwp_pg_is_uri(path))
		return pg_create_begun(path, err);
	st = hw_store_create(path, NULL, err);
	if (st != NULL && hw_store_begin(st, err) < 0) {
		hwp_store_create_undo(st);
		return NULL;
	}
	return st;
}

void hwp_store_create_undo(struct hw_store *st)
{
	char *path;

	hw_store_rollback(st);
	path = st->pg == NULL ? strdup(st->path) : NULL;
	hw_store_close(st);
	if (path != NULL)
		remove_db_files(path);
	free(path);
}

/* The side files SQLite keeps beside a database in WAL mode. */
static const char *const side_suffix[] = {"-wal", "-shm"};

/* Make those side files of the database at real that exist and are ours
 * owner-only.  SQLite creates them with the database's mode: a 0400
 * database read once left a 0400 -shm that kept its owner from writing
 * after chmod 600, and a 0644 one leaves a -wal others may read.  By
 * name, never by opening them: closing any descriptor of a file drops
 * every POSIX lock this process holds on it, SQLite's included (another
 * connection of the service, or this one after its first reads). */
static void side_files_private(const char *real)
{
	char buf[4096];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof side_suffix / sizeof side_suffix[0]; i++) {
		if ((size_t)snprintf(buf, sizeof buf, "%s%s", real,
				     side_suffix[i]) >= sizeof buf)
			continue;
		if (lstat(buf, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_uid == geteuid() && (sb.st_mode & 07777) != 0600)
			(void)chmod(buf, 0600);
	}
}

/* 1 if a read-only open of the database at real must be immutable:
 * SQLite cannot create the -shm of a WAL database in a folder it may
 * not write, and without a -wal nothing waits to be read but the file
 * (sqlite.org/wal.html, "Read-Only Databases"). */
static int needs_immutable(const char *real)
{
	char buf[4096];
	const char *slash = strrchr(real, '/');
	size_t n;

	if (slash == NULL)
		return 0; /* realpath gives an absolute path */
	n = slash == real ? 1 : (size_t)(slash - real);
	if (n >= sizeof buf)
		return 0;
	memcpy(buf, real, n);
	buf[n] = '\0';
	if (access(buf, W_OK) == 0 || (errno != EACCES && errno != EROFS))
		return 0;
	if ((size_t)snprintf(buf, sizeof buf, "%s-wal", real) >= sizeof buf)
		return 0;
	return access(buf, F_OK) != 0 && errno == ENOENT;
}

/* "file:" URI of the absolute path real, with "?immutable=1"
 * (sqlite.org/uri.html: %HH escapes; '?', '#' and '%' must be). */
static char *immutable_uri(const char *real)
{
	static const char tail[] = "?immutable=1";
	const unsigned char *p;
	char *uri, *q;

	uri = malloc(strlen("file://") + 3 * strlen(real) + sizeof tail);
	if (uri == NULL)
		return NULL;
	q = uri + sprintf(uri, "file://");
	for (p = (const unsigned char *)real; *p != '\0'; p++) {
		if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		    (*p >= '0' && *p <= '9') || strchr("/-._~", *p) != NULL)
			*q++ = (char)*p;
		else
			q += sprintf(q, "%%%02X", *p);
	}
	memcpy(q, tail, sizeof tail);
	return uri;
}

/* Connect to the existing database st->path, whose real path is real:
 * read-only as an immutable file: URI where needs_immutable says. */
static int store_connect_existing(struct hw_store *st, const char *real,
				  int readonly, struct hw_error *err)
{
	char *uri;
	int rc;

	if (!readonly)
		return store_connect(st, real, SQLITE_OPEN_READWRITE, err);
	if (!needs_immutable(real))
		return store_connect(st, real, SQLITE_OPEN_READONLY, err);
	uri = immutable_uri(real);
	if (uri == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc =
	    store_connect(st, uri, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, err);
	free(uri);
	return rc;
}

struct hw_store *hw_store_open(const char *path, int flags,
			       struct hw_error *err)
{
	struct hw_store *st;
	struct stat sb;
	int appid = 0, version = 0, rc, ours = hw_store_schema_version();
	int readonly = (flags & HW_OPEN_READONLY) != 0;
	char *real = NULL, problem[256];

	if (hwp_pg_is_uri(path))
		return pg_open(path, flags, err);
	if (stat(path, &sb) < 0) {
		if (errno == ENOENT)
			hw_error_set(err, HW_ENOTFOUND,
				     "database '%s' does not exist (hint: "
				     "highwater init)",
				     path);
		else
			hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
				     strerror(errno));
		return NULL;
	}
	if (!S_ISREG(sb.st_mode)) {
		hw_error_set(err, HW_ENOTHW,
			     "'%s' is not a highwater database (not a file)",
			     path);
		return NULL;
	}
	/* Others who may write the database may change what it says
	 * (or empty it) behind the owner's back: only when meant. */
	if (!(flags & HW_OPEN_SHARED) && (sb.st_mode & (S_IWGRP | S_IWOTH))) {
		hw_error_set(err, HW_EREFUSED,
			     "'%s' is writable by %s (mode %04o): chmod 600 "
			     "'%s', or --allow-shared if that is meant",
			     path,
			     sb.st_mode & S_IWOTH ? "others" : "its group",
			     (unsigned)(sb.st_mode & 07777), path);
		return NULL;
	}
	/* A symbolic link is followed: its side files are beside the
	 * file it names. */
	real = realpath(path, NULL);
	if (real == NULL) {
		hw_error_set(err, HW_EIO, "cannot open '%s': %s", path,
			     strerror(errno));
		return NULL;
	}
	st = store_alloc(path, err);
	if (st == NULL) {
		free(real);
		return NULL;
	}
	st->shared = (flags & HW_OPEN_SHARED) != 0;
	if (!st->shared)
		side_files_private(real); /* left by an older highwater */
	if (store_connect_existing(st, real, readonly, err) < 0)
		goto fail;
	if ((flags & HW_OPEN_AS_IS) && readonly)
		goto opened;
	if (pragma_int(st, "PRAGMA application_id", &appid, err) < 0 ||
	    pragma_int(st, "PRAGMA user_version", &version, err) < 0)
		goto fail;
	if (appid != HW_APPLICATION_ID) {
		hw_error_set(err, HW_ENOTHW, "'%s' is not a highwater database",
			     path);
		goto fail;
	}
	if (version > ours) {
		hw_error_set(err, HW_ENEWER,
			     "'%s' was written by a newer highwater (schema "
			     "%d, this one knows up to %d): upgrade highwater",
			     path, version, ours);
		goto fail;
	}
	/* The version indexes the migrations: a damaged or crafted one
	 * must not pick SQL from outside the array. */
	if (version < 1) {
		hw_error_set(err, HW_ENOTHW,
			     "'%s' is damaged: its schema version (PRAGMA "
			     "user_version) is %d, expected 1 to %d",
			     path, version, ours);
		goto fail;
	}
	/* Before anything is written (a migration included): a crafted
	 * trigger would run inside highwater's own writes. */
	rc = hwp_schema_code_problem(st, version, problem, sizeof problem, err);
	if (rc != 0) {
		if (rc > 0)
			hw_error_set(err, HW_ENOTHW, "'%s' is damaged: %s",
				     path, problem);
		goto fail;
	}
	if (version < ours) {
		/* A read-only open never writes, not even to upgrade. */
		if (readonly) {
			hw_error_set(err, HW_EREFUSED,
				     "'%s' has schema version %d, this "
				     "highwater needs %d: upgrade it first "
				     "with 'highwater upgrade' (read commands "
				     "do not write)",
				     path, version, ours);
			goto fail;
		}
		if (hwp_migrate(st, version, err) < 0)
			goto fail;
	}
opened:
	/* The reads above made the side files SQLite needed. */
	if (!st->shared)
		side_files_private(real);
	free(real);
	return st;
fail:
	hw_store_close(st);
	free(real);
	return NULL;
}

/* The catalogue's records go in as builtin information types. */
struct catalogue_load {
	struct hw_store *st;
	struct hw_error *err;
	long long n;
};

static int put_catalogue_type(const struct hw_infotype *t, void *ctx)
{
	struct catalogue_load *c = ctx;

	c->n++;
	return hw_store_infotype_put(c->st, t, 1, c->err);
}

int hw_store_load_catalogue(struct hw_store *st, const char *csv_path,
			    struct hw_error *err)
{
	struct catalogue_load c = {st, err, 0};
	json_t *after;
	int rc;

	/* One audit record for the catalogue, not one per type. */
	st->audit.mute = 1;
	rc = hwp_catalogue_read(csv_path, put_catalogue_type, &c, err);
	st->audit.mute = 0;
	if (rc < 0)
		return -1;
	after = json_pack("{s:s,s:I}", "catalogue", "SP 800-60",
			  "information_types", (json_int_t)c.n);
	if (after == NULL)
		return hw_error_set(err, HW_ENOMEM, "out of memory");
	rc = hwp_audit(st, "init", "catalogue", NULL, after, err);
	json_decref(after);
	return rc;
}
