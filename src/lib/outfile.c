/*
 * outfile.c: how every output file is put in place (exports, reports,
 * the CSV export's files, backups).  The file is written under a
 * temporary name beside its place (owner-only, made with O_EXCL), then
 * given its name whole: without force never over an existing name (a
 * file, a symbolic link, even a dangling one), race-free by
 * renameat2(RENAME_NOREPLACE) or, where the file system refuses that,
 * link() then unlink(); with force over a regular file, never over a
 * symbolic link at the name itself (folders on the way may be links).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "highwater.h"

/* Why path, which is there, is not replaced. */
static int taken(const char *path, int force, const struct stat *st,
		 struct hw_error *err)
{
	if (S_ISLNK(st->st_mode))
		return hw_error_set(err, HW_EEXIST,
				    "'%s' is a symbolic link (not followed: "
				    "remove it or choose another name)",
				    path);
	if (force && !S_ISREG(st->st_mode))
		return hw_error_set(err, HW_EEXIST,
				    "'%s' is not a regular file (only a file "
				    "is overwritten)",
				    path);
	return hw_error_set(err, HW_EEXIST,
			    "'%s' already exists (use --force to overwrite "
			    "it)",
			    path);
}

int hw_out_check(const char *path, int force, struct hw_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0)
		return 0; /* not there, or the folder says why at write */
	if (!force || S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode))
		return taken(path, force, &st, err);
	return 0;
}

int hw_out_temp(const char *path, char *tmp, size_t size,
		struct hw_error *err)
{
	int fd;

	if ((size_t)snprintf(tmp, size, "%s.tmpXXXXXX", path) >= size) {
		tmp[0] = '\0';
		return hw_error_set(err, HW_EINVAL, "'%s': path too long",
				    path);
	}
	/* mkostemp: O_CREAT|O_EXCL (never through a link), mode 0600. */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		hw_error_set(err, HW_EIO, "cannot write '%s': %s", path,
			     strerror(errno));
		tmp[0] = '\0';
		return -1;
	}
	return fd;
}

/* Did the file system refuse the call itself (not the names)? */
static int unsupported(int e)
{
	return e == EINVAL || e == ENOSYS || e == ENOTSUP ||
	       e == EOPNOTSUPP || e == EPERM;
}

int hw_out_place(const char *tmp, const char *path, int force,
		 struct hw_error *err)
{
	struct stat st;

	if (force) {
		if (lstat(path, &st) == 0 &&
		    (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode)))
			return taken(path, force, &st, err);
		/* rename never follows a link at path: it would replace
		 * one that appeared since, never write through it. */
		if (rename(tmp, path) != 0)
			return hw_error_set(err, HW_EIO,
					    "cannot write '%s': %s", path,
					    strerror(errno));
		return 0;
	}
#ifdef RENAME_NOREPLACE
	if (renameat2(AT_FDCWD, tmp, AT_FDCWD, path, RENAME_NOREPLACE) == 0)
		return 0;
	if (!unsupported(errno))
		goto failed;
#endif
	if (link(tmp, path) == 0) {
		unlink(tmp);
		return 0;
	}
#ifdef RENAME_NOREPLACE
failed:
#endif
	if (errno == EEXIST && lstat(path, &st) == 0)
		return taken(path, force, &st, err);
	return hw_error_set(err, errno == EEXIST ? HW_EEXIST : HW_EIO,
			    "cannot write '%s': %s", path, strerror(errno));
}
