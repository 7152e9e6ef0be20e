/* parser.c - litmus_parse(), litmus_parse_file() and litmus_free(): a whole test, recursive descent in parse-*.c. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include <pinlab/policy.h>

#include "parser.h"

#define LT_MAX_INPUT	(1u << 20)	/* bytes of source text */

/* ---- the whole test ---- */

/* A copy in the pool of @n elements of @size bytes: NULL if none or failed. */
static void *keep(struct parser *p, const void *src, int n, size_t size)
{
	void *mem;

	if (!n)
		return NULL;
	mem = p_alloc(p, n * size);
	if (mem)
		memcpy(mem, src, n * size);
	return mem;
}

const struct policy *litmus_policy(const struct litmus_test *t, const char *name)
{
	int i;

	for (i = 0; t && i < t->nr_policies; i++)
		if (!strcmp(t->policies[i].name, name))
			return &t->policies[i];
	return policy_find(name);
}

/* A Result: pair must name a policy pinlab check can run. */
static int check_policy(struct parser *p, const struct lt_lex_pair *pr)
{
	char name[LT_NAME_MAX];

	snprintf(name, sizeof(name), "%.*s", (int)pr->len, pr->policy);
	if (litmus_policy(p->t, name))
		return 0;
	return perr(p, pr->loc, "Result: names unknown policy '%s' (see pinlab policies)",
		    name);
}

static int keep_expect(struct parser *p)
{
	struct litmus_test *t = p->t;
	const struct lt_lex_pair *pr;
	int i, err, n = p->lx.st.nr_pairs;

	t->expect = n ? p_alloc(p, n * sizeof(*t->expect)) : NULL;
	if (n && !t->expect)
		return p->ret;
	for (i = 0; i < n; i++) {
		pr = &p->lx.pairs[i];
		err = check_policy(p, pr);
		if (err)
			return err;
		t->expect[i].policy = p_strndup(p, pr->policy, pr->len);
		if (!t->expect[i].policy)
			return p->ret;
		t->expect[i].verdict = pr->verdict;
		t->expect[i].loc = pr->loc;
	}
	t->nr_expect = n;
	if (p->lx.skip) {
		t->skip = p_strndup(p, p->lx.skip, p->lx.skip_len);
		if (!t->skip)
			return p->ret;
	}
	return 0;
}

/* Move what the parser collected into the test. */
static int finish(struct parser *p)
{
	struct litmus_test *t = p->t;

	t->files = keep(p, p->files, p->nr_files, sizeof(*p->files));
	t->vars = keep(p, p->vars, p->nr_vars, sizeof(*p->vars));
	t->threads = keep(p, p->threads, p->nr_threads, sizeof(*p->threads));
	t->locs = keep(p, p->locs, p->nr_locs, sizeof(*p->locs));
	if (p->ret || keep_expect(p))
		return p->ret;
	t->nr_files = p->nr_files;
	t->nr_vars = p->nr_vars;
	t->nr_threads = p->nr_threads;
	t->nr_locs = p->nr_locs;
	return 0;
}

static int parse_test(struct parser *p, const char *text, size_t len)
{
	struct lt_loc start = { .line = 1, .col = 1 };
	int err;

	if (len > LT_MAX_INPUT)
		return perr(p, start, "input too large (%zu bytes, max %u)", len,
			    LT_MAX_INPUT);
	p->pool = pool_create();
	if (!p->pool) {
		perr(p, start, "out of memory");
		return p->ret = -ENOMEM;
	}
	lt_lex_init(&p->lx, text, len);
	lt_lex_next(&p->lx, &p->tok);
	p->t = p_alloc(p, sizeof(*p->t));
	if (!p->t)
		return p->ret;
	p->t->pool = p->pool;
	p->t->sectors = 4;
	p->t->path = p_strndup(p, p->path, strlen(p->path));
	if (!p->t->path)
		return p->ret;
	err = parse_header(p);
	if (!err)
		err = parse_policies(p);
	if (!err)
		err = parse_init(p);
	if (!err)
		err = check_dax(p);
	if (!err)
		err = parse_threads(p);
	if (!err)
		err = check_page_args(p);
	if (!err)
		err = parse_cond(p);
	if (!err)
		err = finish(p);
	return err;
}

/**
 * litmus_parse() - parse litmus source text
 * @path:   file name used in error messages (NULL: "<input>")
 * @text:   the source (need not be NUL-terminated)
 * @len:    its length
 * @out:    the test, on success; NULL on failure
 * @err:    on failure, "path:line:col: error: message" (one line, no newline)
 * @errlen: size of @err (may be 0)
 *
 * Only the first error is reported.  The test and everything it points to
 * live in one pool that litmus_free() releases.
 *
 * Return: 0, -EINVAL with @err filled in, or -ENOMEM.
 */
int litmus_parse(const char *path, const char *text, size_t len,
		 struct litmus_test **out, char *err, size_t errlen)
{
	struct parser *p;
	int ret;

	*out = NULL;
	if (!path)
		path = "<input>";
	if (err && errlen)
		err[0] = '\0';
	p = calloc(1, sizeof(*p));
	if (!p) {
		if (err && errlen)
			snprintf(err, errlen, "%s: error: out of memory", path);
		return -ENOMEM;
	}
	p->path = path;
	ret = parse_test(p, text, len);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s:%u:%u: error: %s", path,
				 p->err_loc.line, p->err_loc.col, p->msg);
		pool_destroy(p->pool);
	} else {
		*out = p->t;
	}
	free(p);
	return ret;
}

/*
 * Open @path for reading if it is a regular file.  O_NONBLOCK keeps open()
 * from waiting for a writer when @path is a FIFO.
 * Return: the descriptor, -EMEDIUMTYPE when @path is not a regular file, or -errno.
 */
static int open_regular(const char *path)
{
	struct stat st;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		close(fd);
		return ret;
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return -EMEDIUMTYPE;
	}
	return fd;
}

/*
 * Read all of @path into a malloc'ed buffer, stopping one byte past
 * LT_MAX_INPUT so that litmus_parse() reports the file as too large.
 */
static int read_all(const char *path, char **bufp, size_t *lenp)
{
	size_t len = 0, size = 0;
	char *buf = NULL, *nbuf;
	ssize_t n;
	int fd, ret;

	fd = open_regular(path);
	if (fd < 0)
		return fd;
	for (;;) {
		if (len == size) {
			size = size ? 2 * size : 4096;
			nbuf = realloc(buf, size);
			if (!nbuf) {
				ret = -ENOMEM;
				goto out_free;
			}
			buf = nbuf;
		}
		n = read(fd, buf + len, size - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			goto out_free;
		}
		len += n;
		if (!n || len > LT_MAX_INPUT)
			break;
	}
	close(fd);
	*bufp = buf;
	*lenp = len;
	return 0;

out_free:
	free(buf);
	close(fd);
	return ret;
}

/**
 * litmus_parse_file() - read @path and litmus_parse() it
 * @path:   the file
 * @out:    the test, on success; NULL on failure
 * @err:    on failure, the message: "path: error: not a regular file" for a
 *	    FIFO, directory or device, "path: error: <strerror>" when reading
 *	    failed, else as for litmus_parse()
 * @errlen: size of @err (may be 0)
 *
 * Return: 0, -EINVAL (parse error), -EMEDIUMTYPE (not a regular file) or -errno
 * from reading.
 */
int litmus_parse_file(const char *path, struct litmus_test **out,
		      char *err, size_t errlen)
{
	size_t len = 0;
	char *buf = NULL;
	int ret;

	*out = NULL;
	ret = read_all(path, &buf, &len);
	if (ret) {
		if (err && errlen)
			snprintf(err, errlen, "%s: error: %s", path,
				 ret == -EMEDIUMTYPE ? "not a regular file" :
				 strerror(-ret));
		return ret;
	}
	ret = litmus_parse(path, buf, len, out, err, errlen);
	free(buf);
	return ret;
}

/**
 * litmus_free() - free a parsed test and everything it points to
 * @t: the test, or NULL
 */
void litmus_free(struct litmus_test *t)
{
	if (t)
		pool_destroy(t->pool);
}
