/* test_collect.c - unit tests of litmus_collect() (litmus/collect.c), shared by pinlab and bench. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <pinlab/litmus.h>

static char root[PATH_MAX];	/* the test's scratch directory */

/* Create @rel under root: a directory when it ends in '/', else an empty file. */
static void make(const char *rel)
{
	char path[PATH_MAX * 2];
	size_t n = strlen(rel);
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (rel[n - 1] == '/') {
		assert_int_equal(mkdir(path, 0700), 0);
		return;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(fd >= 0);
	close(fd);
}

static int setup(void **state)
{
	(void)state;
	snprintf(root, sizeof(root), "%s/pinlab-collect.XXXXXX",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(root))
		return -1;
	make("t/");
	make("t/b.litmus");
	make("t/a.litmus");
	make("t/a/");
	make("t/a/z.litmus");
	make("t/.hidden.litmus");
	make("t/notes.txt");
	make("t/.git/");
	make("t/.git/x.litmus");
	make("empty/");
	return 0;
}

static int remove_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	(void)st;
	(void)type;
	(void)f;
	return remove(path);
}

static int teardown(void **state)
{
	(void)state;
	return nftw(root, remove_one, 8, FTW_DEPTH | FTW_PHYS);
}

/* The *.litmus files below a directory, sorted by path, dot names skipped. */
static void test_dir_sorted(void **state)
{
	struct lt_paths p = { 0 };
	char dir[PATH_MAX + 8], want[PATH_MAX + 32], err[256];

	(void)state;
	snprintf(dir, sizeof(dir), "%s/t", root);
	assert_int_equal(litmus_collect(&p, dir, err, sizeof(err)), 0);
	assert_int_equal(p.n, 3);
	snprintf(want, sizeof(want), "%s/a.litmus", dir);
	assert_string_equal(p.v[0], want);
	snprintf(want, sizeof(want), "%s/a/z.litmus", dir);
	assert_string_equal(p.v[1], want);
	snprintf(want, sizeof(want), "%s/b.litmus", dir);
	assert_string_equal(p.v[2], want);
	lt_paths_free(&p);
	assert_int_equal(p.n, 0);
	assert_null(p.v);
}

/* A file is taken as it is, whatever its name; arguments keep their order. */
static void test_file_and_order(void **state)
{
	struct lt_paths p = { 0 };
	char dir[PATH_MAX + 8], file[PATH_MAX + 16], err[256];

	(void)state;
	snprintf(file, sizeof(file), "%s/t/notes.txt", root);
	snprintf(dir, sizeof(dir), "%s/t/a/", root);
	assert_int_equal(litmus_collect(&p, file, err, sizeof(err)), 0);
	assert_int_equal(litmus_collect(&p, dir, err, sizeof(err)), 0);
	assert_int_equal(p.n, 2);
	assert_string_equal(p.v[0], file);
	/* no doubled slash after a DIR/ argument */
	assert_non_null(strstr(p.v[1], "/t/a/z.litmus"));
	assert_null(strstr(p.v[1], "//"));
	lt_paths_free(&p);
}

/* A directory without tests, and a missing path, fail with one line. */
static void test_errors(void **state)
{
	struct lt_paths p = { 0 };
	char path[PATH_MAX + 16], err[PATH_MAX + 64];

	(void)state;
	snprintf(path, sizeof(path), "%s/empty", root);
	assert_int_equal(litmus_collect(&p, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, "no .litmus files in this directory"));
	snprintf(path, sizeof(path), "%s/missing", root);
	assert_int_equal(litmus_collect(&p, path, err, sizeof(err)), -ENOENT);
	assert_non_null(strstr(err, strerror(ENOENT)));
	assert_int_equal(p.n, 0);
	lt_paths_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dir_sorted),
		cmocka_unit_test(test_file_and_order),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("collect", tests, setup, teardown);
}
