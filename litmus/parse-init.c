/* parse-init.c - the litmus test's header, policy lines and init block. */
#include <stdio.h>
#include <string.h>

#include <pinlab/policy.h>

#include "parser.h"

/* ---- header and init block ---- */

int parse_header(struct parser *p)
{
	u32 line = p->tok.loc.line;

	if (!tok_word(&p->tok, "PIN"))
		return unexpected(p, "'PIN'");
	p->lx.name_mode = true;
	advance(p);
	if (p->tok.kind != TK_NAME)
		return unexpected(p, "the test name after PIN");
	if (p->tok.loc.line != line)
		return perr(p, p->tok.loc,
			    "the test name must be on the line of PIN");
	p->t->name = p_strndup(p, p->tok.s, p->tok.len);
	if (!p->t->name)
		return p->ret;
	advance(p);
	if (!tok_is(p, TK_STRING))
		return 0;
	p->t->desc = p_strndup(p, p->tok.s, p->tok.len);
	if (!p->t->desc)
		return p->ret;
	advance(p);
	return 0;
}

#define LT_MAX_POLICIES	16	/* "policy" lines per test */

/*
 * "policy NAME = PRESET + knob=value ..." lines after the header: each runs
 * to the end of its line (knob values such as 4.20 and lease-break are not
 * tokens of the language), and defines a policy for this test only.
 */
static int parse_policy_line(struct parser *p)
{
	const struct lt_token *t = &p->tok;
	const char *eol = memchr(t->s, '\n', p->lx.end - t->s);
	struct lt_loc loc = t->loc;
	struct policy *v;
	char why[LT_NAME_MAX * 2];
	size_t col = 0;
	int i;

	if (!eol)
		eol = p->lx.end;
	if (p->t->nr_policies == LT_MAX_POLICIES)
		return perr(p, loc, "more than %d policy lines", LT_MAX_POLICIES);
	if (!p->t->policies) {
		p->t->policies = p_alloc(p, LT_MAX_POLICIES * sizeof(*p->t->policies));
		if (!p->t->policies)
			return p->ret;
	}
	v = &p->t->policies[p->t->nr_policies];
	if (policy_define(t->s, eol - t->s, v, &col, why, sizeof(why))) {
		loc.col += col;
		return perr(p, loc, "%s", why);
	}
	for (i = 0; i < p->t->nr_policies; i++)
		if (!strcmp(p->t->policies[i].name, v->name))
			return perr(p, loc, "policy '%s' is defined twice", v->name);
	p->t->nr_policies++;
	p->lx.st.p = eol;
	p->lx.st.loc.line = t->loc.line;
	p->lx.st.loc.col = t->loc.col + (eol - t->s);
	advance(p);
	return 0;
}

int parse_policies(struct parser *p)
{
	int err = 0;

	while (!err && tok_word(&p->tok, "policy") && next_is(p, TK_IDENT))
		err = parse_policy_line(p);
	return err;
}

/*
 * "fs = ext4;" and "dev = dif;": one of @names, each setting at most once;
 * *@loc is where the value was written.
 */
static int parse_choice(struct parser *p, bool *seen, const char *const *names,
			int nr, const char *list, int *out, struct lt_loc *loc)
{
	const struct lt_token *t = &p->tok;
	char setting[LT_NAME_MAX];
	int i, err;

	snprintf(setting, sizeof(setting), "%.*s", (int)t->len, t->s);
	if (*seen)
		return perr(p, t->loc, "duplicate setting '%s'", setting);
	*seen = true;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (err)
		return err;
	if (t->kind != TK_IDENT)
		return unexpected(p, list);
	for (i = 0; i < nr; i++) {
		if (tok_word(t, names[i])) {
			*out = i;
			*loc = t->loc;
			advance(p);
			return expect(p, TK_SEMI, "';'");
		}
	}
	return perr(p, t->loc, "unknown %s '%.*s' (expected %s)", setting,
		    (int)t->len, t->s, list);
}

static int parse_fs(struct parser *p)
{
	static const char *const names[] = {
		[LT_FS_EXT4] = "ext4",
		[LT_FS_BTRFS] = "btrfs",
		[LT_FS_XFS] = "xfs",
		[LT_FS_TMPFS] = "tmpfs",
	};

	struct lt_loc loc;
	int v = 0, err;

	err = parse_choice(p, &p->seen_fs, names, ARRAY_SIZE(names),
			   "ext4, btrfs, xfs or tmpfs", &v, &loc);
	if (!err) {
		p->t->fs = v;
		p->t->fs_loc = loc;
	}
	return err;
}

static int parse_dev(struct parser *p)
{
	static const char *const names[] = {
		[LT_DEV_PLAIN] = "plain",
		[LT_DEV_DIF] = "dif",
	};
	struct lt_loc loc;
	int v = 0, err;

	err = parse_choice(p, &p->seen_dev, names, ARRAY_SIZE(names),
			   "plain or dif", &v, &loc);
	if (!err)
		p->t->dev = v;
	return err;
}

/* "dax = on;": fsdax, for ext4 and xfs only (checked once fs is known: check_dax()). */
static int parse_dax(struct parser *p)
{
	static const char *const names[] = { "off", "on" };
	int v = 0, err;

	err = parse_choice(p, &p->seen_dax, names, ARRAY_SIZE(names), "on or off", &v,
			   &p->t->dax_loc);
	if (!err)
		p->t->dax = v;
	return err;
}

/* fsdax exists for ext4 and xfs: btrfs and tmpfs have no DAX mode. */
int check_dax(struct parser *p)
{
	const struct litmus_test *t = p->t;

	if (!t->dax || t->fs == LT_FS_EXT4 || t->fs == LT_FS_XFS)
		return 0;
	return perr(p, t->dax_loc, "dax = on needs fs = ext4 or xfs (fsdax)");
}

static int parse_sectors(struct parser *p)
{
	int err;

	if (p->seen_sectors)
		return perr(p, p->tok.loc, "duplicate setting 'sectors'");
	p->seen_sectors = true;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (!err)
		err = parse_count(p, 1, LT_MAX_SECTORS, "sectors", &p->t->sectors);
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	return err;
}

/* An integer constant: [-]digits or -ERRNO. */
int parse_signed(struct parser *p, s64 *v)
{
	bool neg = tok_is(p, TK_MINUS);
	int e, err;

	if (neg)
		advance(p);
	if (tok_is(p, TK_INT)) {
		err = int_value(p, &p->tok, neg, v);
		if (!err)
			advance(p);
		return err;
	}
	e = errno_of(&p->tok);
	if (!neg || !e)
		return unexpected(p, neg ? "an integer or an errno name" :
				  "an integer");
	*v = -e;
	advance(p);
	return 0;
}

/* "[v0, v1, ...]": the initial page values of a file. */
static int parse_page_values(struct parser *p, struct lt_file *f)
{
	s64 v[LT_MAX_PAGES];
	struct lt_loc loc;
	int n = 0, err;

	advance(p);
	do {
		err = n ? expect(p, TK_COMMA, "',' or ']'") : 0;
		if (err)
			return err;
		if (n == LT_MAX_PAGES)
			return perr(p, p->tok.loc, "too many pages (max %d)",
				    LT_MAX_PAGES);
		loc = p->tok.loc;
		err = parse_signed(p, &v[n]);
		if (err)
			return err;
		/* A page holding one would read back as torn or eio. */
		if (v[n] == LT_VAL_TORN || v[n] == LT_VAL_EIO)
			return perr(p, loc, "the value %lld is reserved for torn and eio",
				    (long long)v[n]);
		n++;
	} while (!tok_is(p, TK_RBRACKET));
	advance(p);
	f->init = p_alloc(p, n * sizeof(*f->init));
	if (!f->init)
		return p->ret;
	memcpy(f->init, v, n * sizeof(*f->init));
	f->nr_pages = n;
	return 0;
}

/* "file A = N;" or "file A = [v0, ...];" */
static int parse_file_decl(struct parser *p)
{
	struct lt_file f = { .loc = p->tok.loc };
	int err;

	if (p->nr_files == LT_MAX_FILES)
		return perr(p, p->tok.loc, "too many files (max %d)",
			    LT_MAX_FILES);
	advance(p);
	err = check_new_name(p);
	if (err)
		return err;
	f.loc = p->tok.loc;
	f.name = p_strndup(p, p->tok.s, p->tok.len);
	if (!f.name)
		return p->ret;
	advance(p);
	err = expect(p, TK_ASSIGN, "'='");
	if (err)
		return err;
	if (tok_is(p, TK_LBRACKET)) {
		err = parse_page_values(p, &f);
	} else {
		err = parse_count(p, 1, LT_MAX_PAGES, "the number of pages",
				  &f.nr_pages);
		f.init = err ? NULL : p_alloc(p, f.nr_pages * sizeof(*f.init));
		if (!err && !f.init)
			err = p->ret;
	}
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	if (!err)
		p->files[p->nr_files++] = f;
	return err;
}

/* "x = v;" and, when @mutex, "mutex m;" */
static int parse_var_decl(struct parser *p, bool mutex)
{
	struct lt_var v = { .is_mutex = mutex };
	int err;

	if (p->nr_vars == LT_MAX_VARS)
		return perr(p, p->tok.loc,
			    "too many shared variables and mutexes (max %d)",
			    LT_MAX_VARS);
	if (mutex)
		advance(p);
	err = check_new_name(p);
	if (err)
		return err;
	v.loc = p->tok.loc;
	v.name = p_strndup(p, p->tok.s, p->tok.len);
	if (!v.name)
		return p->ret;
	advance(p);
	if (!mutex) {
		err = expect(p, TK_ASSIGN, "'='");
		if (!err)
			err = parse_signed(p, &v.init);
	}
	if (!err)
		err = expect(p, TK_SEMI, "';'");
	if (!err)
		p->vars[p->nr_vars++] = v;
	return err;
}

static int parse_setting(struct parser *p)
{
	const struct lt_token *t = &p->tok;

	if (t->kind != TK_IDENT)
		return unexpected(p, "a setting or '}'");
	if (tok_word(t, "fs"))
		return parse_fs(p);
	if (tok_word(t, "dev"))
		return parse_dev(p);
	if (tok_word(t, "dax"))
		return parse_dax(p);
	if (tok_word(t, "sectors"))
		return parse_sectors(p);
	if (tok_word(t, "file"))
		return parse_file_decl(p);
	if (tok_word(t, "mutex"))
		return parse_var_decl(p, true);
	return parse_var_decl(p, false);
}

int parse_init(struct parser *p)
{
	int err = expect(p, TK_LBRACE, "'{' (the init block)");

	while (!err && !tok_is(p, TK_RBRACE))
		err = parse_setting(p);
	if (!err)
		advance(p);
	return err;
}
