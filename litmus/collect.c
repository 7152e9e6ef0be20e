/* collect.c - the litmus files of FILE and DIR arguments, in path order, for every front end. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <pinlab/litmus.h>

#define WALK_DEPTH_MAX	32	/* directory levels walked below an argument */

/* "out of memory" in @err. Return: -ENOMEM */
static int no_memory(char *err, size_t len)
{
	snprintf(err, len, "out of memory");
	return -ENOMEM;
}

/* "@path: strerror(@e)" in @err. Return: -@e */
static int path_error(const char *path, int e, char *err, size_t len)
{
	snprintf(err, len, "%s: %s", path, strerror(e));
	return -e;
}

static int add_path(struct lt_paths *p, const char *path, char *err, size_t len)
{
	char **v = p->v;
	int cap = p->cap;

	if (p->n == cap) {
		cap = cap ? 2 * cap : 16;
		v = cap > 0 ? reallocarray(v, cap, sizeof(*v)) : NULL;
		if (!v)
			return no_memory(err, len);
		p->v = v;
		p->cap = cap;
	}
	v[p->n] = strdup(path);
	if (!v[p->n])
		return no_memory(err, len);
	p->n++;
	return 0;
}

static bool is_litmus_name(const char *name)
{
	size_t n = strlen(name), s = strlen(".litmus");

	return n > s && !strcmp(name + n - s, ".litmus");
}

static int walk_dir(struct lt_paths *p, const char *dir, int depth, char *err, size_t len);

/* One directory entry: a *.litmus file is taken, a directory walked. */
static int walk_entry(struct lt_paths *p, const char *dir, const char *name, int depth,
		      char *err, size_t len)
{
	bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
	struct stat st;
	char *path;
	int ret = 0;

	if (name[0] == '.')
		return 0;
	if (asprintf(&path, "%s%s%s", dir, slash ? "" : "/", name) < 0)
		return no_memory(err, len);
	if (lstat(path, &st))
		ret = path_error(path, errno, err, len);
	else if (S_ISDIR(st.st_mode))
		ret = walk_dir(p, path, depth + 1, err, len);
	else if (is_litmus_name(name) && !stat(path, &st) && S_ISREG(st.st_mode))
		ret = add_path(p, path, err, len);
	free(path);
	return ret;
}

/* Collect the *.litmus files under @dir; symbolic links to directories are not followed. */
static int walk_dir(struct lt_paths *p, const char *dir, int depth, char *err, size_t len)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (depth > WALK_DEPTH_MAX) {
		snprintf(err, len, "%s: directories nested too deep", dir);
		return -ELOOP;
	}
	d = opendir(dir);
	if (!d)
		return path_error(dir, errno, err, len);
	while (!ret && (de = readdir(d)))
		ret = walk_entry(p, dir, de->d_name, depth, err, len);
	closedir(d);
	return ret;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/**
 * litmus_collect() - add the litmus files of one FILE or DIR argument to @p
 * @p:   the paths so far (zeroed at first); lt_paths_free() frees them
 * @arg: a file, taken as it is, or a directory: the *.litmus files below
 *       it, walked to WALK_DEPTH_MAX levels, skipping names that start with
 *       '.' and symbolic links to directories, added sorted by strcmp() of
 *       their paths
 * @err: on failure, the one-line reason ("PATH: strerror", "out of memory")
 * @len: size of @err
 *
 * Return: 0; -ENOENT for a directory without litmus files, -ELOOP for one
 * nested too deep, -ENOMEM, or -errno of stat(), lstat() or opendir().
 * On failure @p keeps what was added before, for lt_paths_free().
 */
int litmus_collect(struct lt_paths *p, const char *arg, char *err, size_t len)
{
	int first = p->n, ret;
	struct stat st;

	if (stat(arg, &st))
		return path_error(arg, errno, err, len);
	if (!S_ISDIR(st.st_mode))
		return add_path(p, arg, err, len);
	ret = walk_dir(p, arg, 0, err, len);
	if (ret)
		return ret;
	if (p->n == first) {
		snprintf(err, len, "%s: no .litmus files in this directory", arg);
		return -ENOENT;
	}
	qsort(p->v + first, p->n - first, sizeof(*p->v), cmp_path);
	return 0;
}

/**
 * lt_paths_free() - free the paths litmus_collect() found, and empty @p
 * @p: the paths
 */
void lt_paths_free(struct lt_paths *p)
{
	int i;

	for (i = 0; i < p->n; i++)
		free(p->v[i]);
	free(p->v);
	memset(p, 0, sizeof(*p));
}
