/* collect.c - the litmus files named on the command line, found and parsed. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pinlab.h"

static int add_path(struct cli *c, const char *path)
{
	char **v = c->paths;
	int cap = c->max_paths;

	if (c->nr_paths == cap) {
		cap = cap ? 2 * cap : 16;
		v = cap > 0 ? reallocarray(v, cap, sizeof(*v)) : NULL;
		if (!v)
			return out_of_memory();
		c->paths = v;
		c->max_paths = cap;
	}
	v[c->nr_paths] = strdup(path);
	if (!v[c->nr_paths])
		return out_of_memory();
	c->nr_paths++;
	return 0;
}

static bool is_litmus_name(const char *name)
{
	size_t n = strlen(name), s = strlen(".litmus");

	return n > s && !strcmp(name + n - s, ".litmus");
}

static int walk_dir(struct cli *c, const char *dir, int depth);

/* One directory entry: a *.litmus file is taken, a directory walked. */
static int walk_entry(struct cli *c, const char *dir, const char *name,
		      int depth)
{
	bool slash = dir[0] && dir[strlen(dir) - 1] == '/';
	struct stat st;
	char *path;
	int ret = 0;

	if (name[0] == '.')
		return 0;
	if (asprintf(&path, "%s%s%s", dir, slash ? "" : "/", name) < 0)
		return out_of_memory();
	if (lstat(path, &st))
		ret = cli_err("%s: %s", path, strerror(errno));
	else if (S_ISDIR(st.st_mode))
		ret = walk_dir(c, path, depth + 1);
	else if (is_litmus_name(name) && !stat(path, &st) && S_ISREG(st.st_mode))
		ret = add_path(c, path);
	free(path);
	return ret;
}

/* Collect the *.litmus files under @dir; symbolic links to directories are not followed. */
static int walk_dir(struct cli *c, const char *dir, int depth)
{
	struct dirent *de;
	DIR *d;
	int ret = 0;

	if (depth > WALK_DEPTH_MAX)
		return cli_err("%s: directories nested too deep", dir);
	d = opendir(dir);
	if (!d)
		return cli_err("%s: %s", dir, strerror(errno));
	while (!ret && (de = readdir(d)))
		ret = walk_entry(c, dir, de->d_name, depth);
	closedir(d);
	return ret;
}

static int cmp_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* A FILE argument is taken as is; a DIR gives its *.litmus files, sorted. */
static int collect_arg(struct cli *c, const char *arg)
{
	int first = c->nr_paths, ret;
	struct stat st;

	if (stat(arg, &st))
		return cli_err("%s: %s", arg, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return add_path(c, arg);
	ret = walk_dir(c, arg, 0);
	if (ret)
		return ret;
	if (c->nr_paths == first)
		return cli_err("%s: no .litmus files in this directory", arg);
	qsort(c->paths + first, c->nr_paths - first, sizeof(*c->paths), cmp_path);
	return 0;
}

/**
 * collect_paths() - the litmus files of the FILE and DIR arguments
 * @c: the invocation; c->paths gets them, each directory's in path order
 *
 * Return: 0 or EXIT_USAGE, the error printed.
 */
int collect_paths(struct cli *c)
{
	int i, ret;

	for (i = 0; i < c->nr_args; i++) {
		ret = collect_arg(c, c->args[i]);
		if (ret)
			return ret;
	}
	if (c->opts.replay && c->nr_paths > 1)
		return cli_err("--replay runs one test, %d given", c->nr_paths);
	return 0;
}

/*
 * Parse path @i into c->tests[i], or leave that NULL and print why on one
 * line of stderr, also kept in @err.  Return: 0 or EXIT_USAGE.
 */
static int parse_one(struct cli *c, int i, char *err, size_t len)
{
	err[0] = '\0';
	if (!litmus_parse_file(c->paths[i], &c->tests[i], err, len) &&
	    !litmus_check_modelled(c->tests[i], err, len))
		return 0;
	litmus_free(c->tests[i]);
	c->tests[i] = NULL;
	if (!err[0])
		snprintf(err, len, "%s: cannot be read", c->paths[i]);
	one_line(err);
	fprintf(stderr, "%s\n", err);
	return EXIT_USAGE;
}

/**
 * parse_tests() - parse every path of @c into c->tests
 * @c: the invocation
 *
 * run and matrix stop at the first that does not parse (exit 2, nothing on
 * stdout); check keeps its error in c->errs for a "not ok" point.
 * Return: 0 or EXIT_USAGE.
 */
int parse_tests(struct cli *c)
{
	char err[MSG_MAX];
	int i;

	c->tests = calloc(c->nr_paths, sizeof(*c->tests));
	c->errs = calloc(c->nr_paths, sizeof(*c->errs));
	if (!c->tests || !c->errs)
		return out_of_memory();
	for (i = 0; i < c->nr_paths; i++) {
		if (!parse_one(c, i, err, sizeof(err))) {
			c->nr_tests = i + 1;
			continue;
		}
		if (c->cmd != CMD_CHECK)
			return EXIT_USAGE;
		c->errs[i] = strdup(err);
		if (!c->errs[i])
			return out_of_memory();
		c->nr_tests = i + 1;
	}
	return 0;
}
