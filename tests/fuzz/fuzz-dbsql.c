/*
 * fuzz-dbsql.c: libFuzzer target: a crafted database.  The input is SQL
 * (SQLite's, run with sqlite3_exec) applied to a copy of a small valid
 * database, as one who edits the file with the sqlite3 shell would (the
 * seeds turn off the CHECK constraints and the foreign keys, write
 * levels, row numbers and weights out of range, dangling and looping
 * dependencies, a newer schema version); then the copy is opened
 * read-only as the read commands open it and read as they read it
 * (fz_analyse).  A byte-level mutation of a database file (fuzz-db)
 * rarely gives a file SQLite still reads; this gives one every time.
 */
#include <sqlite3.h>

#include "fuzz.h"

static const char inventory[] =
    "{\"format\": \"highwater-inventory\", \"version\": 1, "
    "\"information_types\": [{\"id\": \"X.PUB\", \"name\": \"Public\", "
    "\"category\": \"Outreach\", \"confidentiality\": \"na\", "
    "\"integrity\": \"moderate\", \"availability\": \"low\"}], "
    "\"assets\": ["
    "{\"id\": \"site\", \"name\": \"Site\", \"type\": \"application\", "
    "\"owner\": \"web@example.org\", \"internet_facing\": true, "
    "\"worst_cvss\": 9.8, \"end_of_life\": \"2026-01-31\", "
    "\"information_types\": [{\"id\": \"X.PUB\"}, {\"id\": \"C.2.4.1\", "
    "\"integrity\": \"high\", \"justification\": \"restores\"}]}, "
    "{\"id\": \"db-01\", \"name\": \"DB\", \"type\": \"database\", "
    "\"confidentiality\": \"moderate\", \"integrity\": \"high\", "
    "\"availability\": \"low\", \"vulnerabilities\": 3}, "
    "{\"id\": \"vm-01\", \"name\": \"VM\", \"type\": \"virtual_machine\"}], "
    "\"dependencies\": ["
    "{\"from\": \"site\", \"to\": \"db-01\", \"type\": \"stores_data_in\", "
    "\"carries\": \"ci\"}, "
    "{\"from\": \"db-01\", \"to\": \"vm-01\", \"type\": \"runs_on\"}]}";

static uint8_t *image; /* the valid database's bytes */
static size_t image_len;

static void make_image(void)
{
	struct hw_store *st = fz_store();
	struct hw_import_opts o = {0};
	struct hw_error err = {0};
	const char *paths[1];
	FILE *fp;
	long n;

	paths[0] = fz_write("inv.json", (const uint8_t *)inventory,
			    sizeof inventory - 1);
	if (hw_import_files(st, paths, 1, &o, NULL, &err) < 0 ||
	    hw_store_backup(st, fz_path("image.db"), 1, NULL, NULL, &err) < 0) {
		fprintf(stderr, "fuzz-dbsql: %s\n", err.text);
		abort();
	}
	fp = fopen(fz_path("image.db"), "rb");
	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (n = ftell(fp)) <= 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 || (image = malloc((size_t)n)) == NULL ||
	    fread(image, 1, (size_t)n, fp) != (size_t)n)
		abort();
	fclose(fp);
	image_len = (size_t)n;
}

/* Stop a statement that runs too long (a recursive query). */
static int too_long(void *ctx)
{
	return ++*(long *)ctx > 200000;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	sqlite3 *db;
	char *sql;
	const char *path;
	long steps = 0;

	if (image == NULL)
		make_image();
	if ((sql = malloc(size + 1)) == NULL)
		return 0;
	memcpy(sql, data, size);
	sql[size] = '\0';
	/* Only this file changes: no VACUUM INTO another, no ATTACH. */
	if (strcasestr(sql, "vacuum") != NULL ||
	    strcasestr(sql, "attach") != NULL) {
		free(sql);
		return 0;
	}
	unlink(fz_path("in.db-wal"));
	unlink(fz_path("in.db-shm"));
	unlink(fz_path("in.db-journal"));
	path = fz_write("in.db", image, image_len);
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) !=
	    SQLITE_OK)
		abort();
	sqlite3_limit(db, SQLITE_LIMIT_LENGTH, 1 << 20);
	sqlite3_limit(db, SQLITE_LIMIT_SQL_LENGTH, 1 << 16);
	sqlite3_limit(db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_progress_handler(db, 100, too_long, &steps);
	sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, NULL);
	sqlite3_exec(db, sql, NULL, NULL, NULL);
	free(sql);
	if (sqlite3_close(db) != SQLITE_OK)
		abort();
	fz_open_analyse(path);
	return 0;
}
