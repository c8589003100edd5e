/*
 * check-outfile.c: hw_out_place, the step that gives every output file
 * its name, tested on its own (the CLI's tests meet hw_out_check first):
 * a name that appears between the check and the placing, a file, a
 * symbolic link or a dangling one, is never replaced without force, and
 * a symbolic link never even with it.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>

#include "fixture.h"

static char dir[256], tmp[512], path[512];

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/hw-check-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.json", dir);
}

static void teardown(void)
{
	char cmd[400];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* A finished temporary file beside path holding "new". */
static void temp_new(void)
{
	struct hw_error err = {0};
	struct stat st;
	int fd = hw_out_temp(path, tmp, sizeof tmp, &err);

	ck_assert_msg(fd >= 0, "%s", err.text);
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	ck_assert_int_eq(write(fd, "new", 3), 3);
	ck_assert_int_eq(close(fd), 0);
}

/* What path holds, or its link's target: "" when there is nothing. */
static const char *content(void)
{
	static char buf[64];
	struct stat st;
	ssize_t n;
	int fd;

	buf[0] = '\0';
	if (lstat(path, &st) != 0)
		return buf;
	if (S_ISLNK(st.st_mode)) {
		n = readlink(path, buf + 3, sizeof buf - 4);
		ck_assert_int_gt(n, 0);
		memcpy(buf, "-> ", 3);
		buf[n + 3] = '\0';
		return buf;
	}
	fd = open(path, O_RDONLY);
	ck_assert_int_ge(fd, 0);
	n = read(fd, buf, sizeof buf - 1);
	ck_assert_int_ge(n, 0);
	buf[n] = '\0';
	close(fd);
	return buf;
}

START_TEST(test_out_place_new)
{
	struct hw_error err = {0};

	temp_new();
	ck_assert_int_eq(hw_out_place(tmp, path, 0, &err), 0);
	ck_assert_str_eq(content(), "new");
	ck_assert_int_ne(access(tmp, F_OK), 0);
}
END_TEST

START_TEST(test_out_place_file_appeared)
{
	struct hw_error err = {0};
	FILE *fp;

	ck_assert_int_eq(hw_out_check(path, 0, &err), 0);
	temp_new();
	fp = fopen(path, "w"); /* meanwhile */
	ck_assert_ptr_nonnull(fp);
	fputs("old", fp);
	fclose(fp);
	ck_assert_int_eq(hw_out_place(tmp, path, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.text, "/out.json' already exists "
					       "(use --force to overwrite "
					       "it)"));
	ck_assert_str_eq(content(), "old");
	ck_assert_int_eq(access(tmp, F_OK), 0); /* the caller's to remove */
	hw_error_clear(&err);
	ck_assert_int_eq(hw_out_place(tmp, path, 1, &err), 0);
	ck_assert_str_eq(content(), "new");
}
END_TEST

START_TEST(test_out_place_dangling_link_appeared)
{
	struct hw_error err = {0};
	char target[300];

	snprintf(target, sizeof target, "%s/elsewhere", dir);
	ck_assert_int_eq(hw_out_check(path, 0, &err), 0);
	temp_new();
	ck_assert_int_eq(symlink(target, path), 0); /* meanwhile */
	ck_assert_int_eq(hw_out_place(tmp, path, 0, &err), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.text, "is a symbolic link"));
	hw_error_clear(&err);
	ck_assert_int_eq(hw_out_place(tmp, path, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "is a symbolic link"));
	ck_assert_int_ne(access(target, F_OK), 0);
	ck_assert_ptr_nonnull(strstr(content(), "-> /"));
	ck_assert_ptr_nonnull(strstr(content(), "/elsewhere"));
}
END_TEST

START_TEST(test_out_check)
{
	struct hw_error err = {0};

	ck_assert_int_eq(symlink("nowhere", path), 0);
	ck_assert_int_eq(hw_out_check(path, 1, &err), -1);
	ck_assert_int_eq(err.code, HW_EEXIST);
	ck_assert_ptr_nonnull(strstr(err.text, "' is a symbolic link (not "
					       "followed: remove it or "
					       "choose another name)"));
	hw_error_clear(&err);
	ck_assert_int_eq(unlink(path), 0);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	ck_assert_int_eq(hw_out_check(path, 1, &err), -1);
	ck_assert_ptr_nonnull(strstr(err.text, "is not a regular file"));
}
END_TEST

static Suite *outfile_suite(void)
{
	Suite *s = suite_create("outfile");
	TCase *core = tcase_create("core");

	tcase_add_checked_fixture(core, setup, teardown);
	tcase_add_test(core, test_out_place_new);
	tcase_add_test(core, test_out_place_file_appeared);
	tcase_add_test(core, test_out_place_dangling_link_appeared);
	tcase_add_test(core, test_out_check);
	suite_add_tcase(s, core);
	return s;
}

int main(void)
{
	return fx_run(outfile_suite());
}
