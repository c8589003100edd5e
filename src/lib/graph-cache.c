/*
 * graph-cache.c: when the graph's snapshot beside the database is used,
 * and when it is made again.  The snapshot is derived data, never the
 * truth: it is used only when its stamp is the inventory's as the
 * caller's read transaction sees it (the database's id, the generation
 * every counted write raises, whoever wrote, and the tag that write
 * drew), and only when it is owner-only and intact (graph-snapshot.c
 * checks the rest).  Otherwise the graph is loaded, and the snapshot
 * written anew: a new file, owner-only from its creation, renamed over
 * the old one, so that a reader maps a whole file or none, and two
 * commands writing at once leave one whole file, current or not.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xxhash.h>

#include "highwater.h"

static void say(struct hw_graph_how *how, enum hw_graph_origin origin,
		const char *why)
{
	how->origin = origin;
	snprintf(how->why, sizeof how->why, "%.*s", (int)sizeof how->why - 1,
		 why);
}

/* The snapshot at path, mapped, when it is current; NULL with the reason
 * in how otherwise, and *foreign set when what is there is no snapshot
 * at all (another file, whoever's, a folder, a FIFO): not ours to
 * replace. */
static struct hw_graph *mapped(const char *path, const struct hw_stamp *stamp,
			       struct hw_graph_how *how, int *foreign)
{
	static const char magic[8] = "HWGRAPH\n";
	struct hw_error e = {0};
	struct hw_graph *g = NULL;
	char head[sizeof magic];
	struct stat sb;
	int fd;

	/* O_NONBLOCK: a FIFO put there opens without waiting. */
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		say(how, HW_GRAPH_LOADED,
		    errno == ENOENT ? "no snapshot" : strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode) ||
	    pread(fd, head, sizeof head, 0) != (ssize_t)sizeof head ||
	    memcmp(head, magic, sizeof magic) != 0) {
		*foreign = 1;
		say(how, HW_GRAPH_LOADED,
		    S_ISREG(sb.st_mode) ? "not a highwater graph snapshot"
					: "not a regular file");
	} else if (sb.st_uid != geteuid() || (sb.st_mode & 077) != 0) {
		say(how, HW_GRAPH_LOADED,
		    "the snapshot is not the user's alone");
	} else if ((g = hw_graph_snapshot_map(fd, stamp, &e)) == NULL) {
		say(how, HW_GRAPH_LOADED, e.text);
	}
	close(fd);
	return g;
}

/* Write g as the snapshot at path: a new file beside it, renamed over
 * it.  0, or -1 with the reason in how (nothing is left behind). */
static int keep(struct hw_graph *g, const struct hw_stamp *stamp,
		const char *path, struct hw_graph_how *how)
{
	struct hw_error e = {0};
	size_t len = strlen(path);
	char *tmp = malloc(len + 8);
	int fd, rc;

	if (tmp == NULL)
		return -1;
	memcpy(tmp, path, len);
	memcpy(tmp + len, ".XXXXXX", 8);
	fd = mkstemp(tmp); /* 0600, O_EXCL */
	if (fd < 0) {
		say(how, HW_GRAPH_LOADED, strerror(errno));
		free(tmp);
		return -1;
	}
	rc = hw_graph_snapshot_write(g, stamp, fd, &e);
	if (close(fd) != 0 && rc == 0)
		rc = hw_error_set(&e, HW_EIO, "cannot write the snapshot: %s",
				  strerror(errno));
	if (rc == 0 && rename(tmp, path) != 0)
		rc = hw_error_set(&e, HW_EIO, "cannot rename the snapshot: %s",
				  strerror(errno));
	if (rc < 0) {
		unlink(tmp);
		say(how, HW_GRAPH_LOADED, e.text);
	}
	free(tmp);
	return rc;
}

struct hw_graph *hw_graph_current(struct hw_store *st, const char *path,
				  const double *blast_weight,
				  struct hw_graph_how *how,
				  struct hw_error *err)
{
	const double *count, *weighted;
	const unsigned char *est;
	struct hw_graph_how local;
	struct hw_stamp stamp;
	struct hw_graph *g;
	char why[sizeof how->why + 16];
	int foreign = 0;

	if (how == NULL)
		how = &local;
	if (hw_store_stamp(st, &stamp, err) < 0)
		return NULL;
	if ((g = mapped(path, &stamp, how, &foreign)) != NULL) {
		say(how, HW_GRAPH_MAPPED, "");
		if (blast_weight == NULL ||
		    hw_graph_kept_blast(g, blast_weight, &count, &weighted,
					&est))
			return g;
		/* mapped, without the blast radius at these weights: it is
		 * computed, and kept for the next command */
		if (hw_graph_keep_blast(g, blast_weight, err) < 0) {
			hw_graph_free(g);
			return NULL;
		}
		if (keep(g, &stamp, path, how) == 0) {
			say(how, HW_GRAPH_MAPPED_KEPT, "");
		} else {
			snprintf(why, sizeof why, "its blast radius not kept: %.120s",
				 how->why);
			say(how, HW_GRAPH_MAPPED, why);
		}
		return g;
	}
	g = hw_graph_load(st, err);
	if (g == NULL || hw_graph_categorize(g, err) < 0 ||
	    (blast_weight != NULL &&
	     hw_graph_keep_blast(g, blast_weight, err) < 0)) {
		hw_graph_free(g);
		return NULL;
	}
	/* why the snapshot was not used, kept through keep's own say */
	snprintf(why, sizeof why, "%s%s", how->why,
		 foreign ? ": left alone" : "");
	if (foreign)
		say(how, HW_GRAPH_LOADED, why);
	else if (keep(g, &stamp, path, how) == 0)
		say(how, HW_GRAPH_KEPT, why);
	return g;
}

/* mkdir, owner-only, unless it is there. */
static int folder(const char *path)
{
	return mkdir(path, 0700) == 0 || errno == EEXIST ? 0 : -1;
}

char *hw_graph_snapshot_path(const char *db, struct hw_error *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
	char *out;
	size_t n;

	if (strncmp(db, "postgresql://", 13) != 0 &&
	    strncmp(db, "postgres://", 11) != 0) {
		n = strlen(db) + sizeof "-graph";
		out = malloc(n);
		if (out == NULL) {
			hw_error_set(err, HW_ENOMEM, "out of memory");
			return NULL;
		}
		snprintf(out, n, "%s-graph", db);
		return out;
	}
	/* XDG: an absolute XDG_CACHE_HOME, else ~/.cache */
	if (xdg == NULL || xdg[0] != '/') {
		if (home == NULL || home[0] != '/')
			return NULL;
		xdg = NULL;
	}
	n = strlen(xdg != NULL ? xdg : home) + 64;
	out = malloc(n);
	if (out == NULL) {
		hw_error_set(err, HW_ENOMEM, "out of memory");
		return NULL;
	}
	if (xdg != NULL) {
		/* the base folder too, as the XDG spec says (0700) */
		snprintf(out, n, "%s", xdg);
		if (folder(out) < 0)
			goto none;
		snprintf(out, n, "%s/highwater", xdg);
	} else {
		snprintf(out, n, "%s/.cache", home);
		if (folder(out) < 0)
			goto none;
		snprintf(out, n, "%s/.cache/highwater", home);
	}
	if (folder(out) < 0)
		goto none;
	snprintf(out + strlen(out), n - strlen(out), "/graph-%016llx",
		 (unsigned long long)XXH3_64bits(db, strlen(db)));
	return out;
none:
	free(out);
	if (err != NULL)
		err->code = HW_OK;
	return NULL;
}
