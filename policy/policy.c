/* policy.c - the designs as one table of knobs (print, parse, list) and the named presets. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pinlab/policy.h>

static const char *const pin_names[] = {
	[PIN_NONE]		= "none",
	[PIN_MAPCOUNT]		= "mapcount",
	[PIN_BIAS]		= "bias",
	[PIN_EXACT]		= "exact",
};

static const char *const longterm_names[] = {
	[LONGTERM_ALLOW]	= "allow",
	[LONGTERM_REFUSE]	= "refuse",
	[LONGTERM_LEASE]	= "lease",
};

static const char *const reclaim_names[] = {
	[RECLAIM_RELEASE]	= "release",
	[RECLAIM_SKIP]		= "skip",
};

static const char *const wb_names[] = {
	[WB_INPLACE]		= "inplace",
	[WB_BLOCK_BOUNCE]	= "block-bounce",
	[WB_FS_BOUNCE]		= "fs-bounce",
};

static const char *const bool_names[] = {
	[0]			= "no",
	[1]			= "yes",
};

static const char *const stable_names[] = {
	[STABLE_OFF]		= "off",
	[STABLE_FORCED]		= "forced",
};

static const char *const base_names[] = {
	[BASE_4_20]		= "4.20",
	[BASE_6_18]		= "6.18",
};

static const char *const layout_names[] = {
	[LAYOUT_IGNORE]		= "ignore",
	[LAYOUT_FAIL]		= "fail",
	[LAYOUT_BLOCK]		= "block",
	[LAYOUT_COW]		= "cow",
	[LAYOUT_LEASE_BREAK]	= "lease-break",
};

/* Every enum has a name for each of its values, and nothing more. */
BUILD_BUG_ON(ARRAY_SIZE(pin_names) != PIN_EXACT + 1);
BUILD_BUG_ON(ARRAY_SIZE(longterm_names) != LONGTERM_LEASE + 1);
BUILD_BUG_ON(ARRAY_SIZE(reclaim_names) != RECLAIM_SKIP + 1);
BUILD_BUG_ON(ARRAY_SIZE(wb_names) != WB_FS_BOUNCE + 1);
BUILD_BUG_ON(ARRAY_SIZE(stable_names) != STABLE_FORCED + 1);
BUILD_BUG_ON(ARRAY_SIZE(base_names) != BASE_6_18 + 1);
BUILD_BUG_ON(ARRAY_SIZE(layout_names) != LAYOUT_LEASE_BREAK + 1);

static const char *const dax_busy_names[] = {
	[DAX_BUSY_WAIT]		= "wait",
	[DAX_BUSY_FREE]		= "free",
};

BUILD_BUG_ON(ARRAY_SIZE(dax_busy_names) != DAX_BUSY_FREE + 1);

/**
 * struct knob - one orthogonal design choice, as a field of struct policy
 * @name:      as written in "-o name=value" and printed by policy_print()
 * @offset:    offset of its field in struct policy: an int or an enum,
 *	       read and written as an int (KNOB() checks the size)
 * @values:    the value names, indexed by the field's value
 * @nr_values: entries in @values
 * @help:      one line: what the knob decides
 */
struct knob {
	const char *name;
	size_t offset;
	const char *const *values;
	int nr_values;
	const char *help;
};

/* Zero, but fails to compile unless struct policy's @_field is int-sized. */
#define KNOB_INT_SIZED(_field)						\
	(0 * sizeof(struct {						\
		_Static_assert(sizeof(((struct policy *)0)->_field) ==	\
			       sizeof(int),				\
			       "knob " #_field " is not int-sized");	\
		int unused;						\
	}))

#define KNOB(_name, _field, _values, _help) {				\
	.name = _name,							\
	.offset = offsetof(struct policy, _field) + KNOB_INT_SIZED(_field), \
	.values = _values,						\
	.nr_values = ARRAY_SIZE(_values),				\
	.help = _help,							\
}

static const struct knob knobs[] = {
	KNOB("pin", pin, pin_names,
	     "how FOLL_PIN is recorded in struct page"),
	KNOB("longterm", longterm, longterm_names,
	     "FOLL_LONGTERM writable pin of a dirty-tracked file mapping"),
	KNOB("reclaim", reclaim, reclaim_names,
	     "what reclaim does with a pinned file page"),
	KNOB("wb", wb, wb_names,
	     "how writeback writes a pinned page"),
	KNOB("wb_skip_cleaning", wb_skip_cleaning, bool_names,
	     "WB_SYNC_NONE leaves pinned pages dirty (WB_SYNC_ALL still writes them)"),
	KNOB("stable", stable, stable_names,
	     "whether a pinned page gets stable-page waits without AS_STABLE_WRITES"),
	KNOB("base", base, base_names,
	     "the kernel the design runs on (era-dependent behaviour: docs/eras.md)"),
	KNOB("layout", layout, layout_names,
	     "reflink, truncate or hole punch over a pinned range"),
	KNOB("dax_busy", dax_busy, dax_busy_names,
	     "truncate or punch of a DAX page still in use (fsdax, dax = on)"),
};

static const struct policy presets[] = {
	{
		.name = "placeholder",
		.summary = "the seed patch (John Hubbard, linux-mm, Dec 2018): put_user_page() is put_page()",
		.pin = PIN_NONE,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_RELEASE,
		.wb = WB_INPLACE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_OFF,
		.base = BASE_4_20,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "mapcount",
		.summary = "Jerome Glisse (linux-mm, Dec 2018): GUP raises mapcount, writeback bounces when it exceeds the mappings",
		.pin = PIN_MAPCOUNT,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_RELEASE,
		.wb = WB_BLOCK_BOUNCE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_OFF,
		.base = BASE_4_20,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "block-bounce",
		.summary = "Jan Kara (linux-mm, Dec 2018): exact pin count, the block layer bounces pinned pages",
		.pin = PIN_EXACT,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_BLOCK_BOUNCE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_OFF,
		.base = BASE_4_20,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "fs-bounce",
		.summary = "Jan Kara after Dave Chinner's btrfs objection (linux-mm, Dec 2018): clear_page_dirty_for_io() hands back a bounce copy",
		.pin = PIN_EXACT,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_FS_BOUNCE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_OFF,
		.base = BASE_4_20,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "stable-pinned",
		.summary = "Dave Chinner (linux-mm, Dec 2018): force wait_for_stable_page() on pinned pages",
		.pin = PIN_EXACT,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_INPLACE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_FORCED,
		.base = BASE_4_20,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "lease",
		.summary = "Dave Chinner (linux-mm, Dec 2018; LSFMM): long-term pins need a layout lease, broken by layout changes",
		.pin = PIN_EXACT,
		.longterm = LONGTERM_LEASE,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_INPLACE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_FORCED,
		.base = BASE_4_20,
		.layout = LAYOUT_LEASE_BREAK,
	},
	{
		.name = "mainline",
		.summary = "Linux 6.5+: FOLL_PIN bias, reclaim skips pinned folios, ext4 warns, long-term file pins refused",
		.pin = PIN_BIAS,
		.longterm = LONGTERM_REFUSE,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_INPLACE,
		.wb_skip_cleaning = 0,
		.stable = STABLE_OFF,
		.base = BASE_6_18,
		.layout = LAYOUT_IGNORE,
	},
	{
		.name = "pinlab",
		.summary = "this project's proposal: exact pins, fs bounce, cleaning writeback skips pins; a reflink COWs pinned pages, a truncate or punch over one fails",
		.pin = PIN_EXACT,
		.longterm = LONGTERM_ALLOW,
		.reclaim = RECLAIM_SKIP,
		.wb = WB_FS_BOUNCE,
		.wb_skip_cleaning = 1,
		.stable = STABLE_OFF,
		.base = BASE_6_18,
		.layout = LAYOUT_COW,
	},
};

/**
 * policy_nr_presets() - how many presets there are
 */
int policy_nr_presets(void)
{
	return ARRAY_SIZE(presets);
}

/**
 * policy_preset() - the @i-th preset, in the order `pinlab policies` lists them
 * @i: index, from 0 to policy_nr_presets() - 1
 *
 * Return: the preset, or NULL if @i is out of range.
 */
const struct policy *policy_preset(int i)
{
	if (i < 0 || i >= policy_nr_presets())
		return NULL;
	return &presets[i];
}

#define POLICY_USER_MAX	32	/* policies --policies files may define */

/* The policies registered by policy_register(), after the presets in lookups. */
static struct policy user_policies[POLICY_USER_MAX];
static int nr_user_policies;

/**
 * policy_find() - the preset, or the policy policy_register() holds, called @name
 * @name: exactly as listed ("mainline"), without overrides
 *
 * Return: the policy, or NULL if none is called @name.
 */
const struct policy *policy_find(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(presets); i++)
		if (!strcmp(presets[i].name, name))
			return &presets[i];
	for (i = 0; i < (size_t)nr_user_policies; i++)
		if (!strcmp(user_policies[i].name, name))
			return &user_policies[i];
	return NULL;
}

/*
 * The knob's field as an int.  An enum field has an int-sized compatible
 * integer type (int or unsigned int), which an int lvalue may access.
 */
static int *knob_field(struct policy *p, const struct knob *k)
{
	return (int *)((char *)p + k->offset);
}

static int knob_get(const struct policy *p, const struct knob *k)
{
	return *(const int *)((const char *)p + k->offset);
}

/* The name of @k's current value in @p; "?" if the field is out of range. */
static const char *knob_value_name(const struct policy *p, const struct knob *k)
{
	int v = knob_get(p, k);

	if (v < 0 || v >= k->nr_values)
		return "?";
	return k->values[v];
}

static const struct knob *knob_lookup(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		if (strlen(knobs[i].name) == len && !strncmp(knobs[i].name, name, len))
			return &knobs[i];
	return NULL;
}

/* Return: the index of the value called @name of @k, or -1. */
static int knob_value_lookup(const struct knob *k, const char *name)
{
	int i;

	for (i = 0; i < k->nr_values; i++)
		if (!strcmp(k->values[i], name))
			return i;
	return -1;
}

/* Append to @buf (of @size, NUL-terminated) without overflowing it. */
static __printf(3, 4) void buf_append(char *buf, size_t size, const char *fmt, ...)
{
	size_t used;
	va_list ap;

	if (!buf || !size)
		return;
	used = strnlen(buf, size);
	if (used >= size - 1)
		return;
	va_start(ap, fmt);
	vsnprintf(buf + used, size - used, fmt, ap);
	va_end(ap);
}

static int err_unknown_knob(const char *name, size_t len, char *err, size_t errlen)
{
	size_t i;

	if (err && errlen)
		err[0] = '\0';
	buf_append(err, errlen, "unknown knob '%.*s' (knobs:", (int)len, name);
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		buf_append(err, errlen, " %s", knobs[i].name);
	buf_append(err, errlen, ")");
	return -EINVAL;
}

static int err_unknown_value(const struct knob *k, const char *value,
			     char *err, size_t errlen)
{
	int i;

	if (err && errlen)
		err[0] = '\0';
	buf_append(err, errlen, "unknown value '%s' for knob '%s' (values:",
		   value, k->name);
	for (i = 0; i < k->nr_values; i++)
		buf_append(err, errlen, " %s", k->values[i]);
	buf_append(err, errlen, ")");
	return -EINVAL;
}

static int err_msg(char *err, size_t errlen, const char *msg, const char *what)
{
	if (err && errlen)
		snprintf(err, errlen, "%s '%s'", msg, what);
	return -EINVAL;
}

/*
 * Remove the ",knob=value" segment for @k from @name, if there is one, so
 * that overriding a knob twice leaves one override in the name.
 */
static void name_drop_override(char *name, const struct knob *k)
{
	size_t klen = strlen(k->name);
	char *seg = strchr(name, ',');

	while (seg) {
		char *next = strchr(seg + 1, ',');

		if (!strncmp(seg + 1, k->name, klen) && seg[1 + klen] == '=') {
			memmove(seg, next ? next : seg + strlen(seg),
				next ? strlen(next) + 1 : 1);
			return;
		}
		seg = next;
	}
}

/**
 * policy_set_knob() - override one knob: "reclaim=skip"
 * @p:      the policy to change (its name gets ",knob=value" appended)
 * @assign: "knob=value"
 * @err:    receives a one-line reason on failure (may be NULL)
 * @errlen: size of @err
 *
 * An earlier override of the same knob is removed from the name first, so
 * "mainline" with wb=fs-bounce then wb=inplace is "mainline,wb=inplace".
 * On failure @p is unchanged.
 *
 * Return: 0, or -EINVAL with a one-line reason in @err.
 */
int policy_set_knob(struct policy *p, const char *assign, char *err, size_t errlen)
{
	const char *eq = strchr(assign, '=');
	const struct knob *k;
	struct policy new;
	size_t len;
	int v, n;

	if (!eq)
		return err_msg(err, errlen, "expected knob=value, got", assign);
	k = knob_lookup(assign, eq - assign);
	if (!k)
		return err_unknown_knob(assign, eq - assign, err, errlen);
	v = knob_value_lookup(k, eq + 1);
	if (v < 0)
		return err_unknown_value(k, eq + 1, err, errlen);

	new = *p;
	*knob_field(&new, k) = v;
	name_drop_override(new.name, k);
	len = strlen(new.name);
	n = snprintf(new.name + len, sizeof(new.name) - len, ",%s", assign);
	if (n < 0 || (size_t)n >= sizeof(new.name) - len)
		return err_msg(err, errlen, "too many overrides for policy", p->name);
	*p = new;
	return 0;
}

/**
 * policy_print() - @p's name and summary, then every knob, one per line
 * @f: where to print
 * @p: the policy
 */
void policy_print(FILE *f, const struct policy *p)
{
	size_t i;

	fprintf(f, "%s: %s\n", p->name, p->summary ? p->summary : "");
	for (i = 0; i < ARRAY_SIZE(knobs); i++)
		fprintf(f, "  %-16s = %s\n", knobs[i].name,
			knob_value_name(p, &knobs[i]));
}

/**
 * policy_print_knobs() - every knob, its possible values and what it decides
 * @f: where to print
 */
void policy_print_knobs(FILE *f)
{
	size_t i;
	int v;

	for (i = 0; i < ARRAY_SIZE(knobs); i++) {
		const struct knob *k = &knobs[i];

		fprintf(f, "  %-16s ", k->name);
		for (v = 0; v < k->nr_values; v++)
			fprintf(f, "%s%s", v ? "|" : "", k->values[v]);
		fprintf(f, "\n  %-16s   %s\n", "", k->help);
	}
}

/**
 * policy_nr_knobs() - how many knobs a policy has
 */
int policy_nr_knobs(void)
{
	return ARRAY_SIZE(knobs);
}

/**
 * policy_knob_name() - the name of knob @k (0 <= @k < policy_nr_knobs())
 */
const char *policy_knob_name(int k)
{
	return knobs[k].name;
}

/**
 * policy_knob_nr_values() - how many values knob @k takes
 */
int policy_knob_nr_values(int k)
{
	return knobs[k].nr_values;
}

/**
 * policy_knob_value() - the name of value @v of knob @k
 */
const char *policy_knob_value(int k, int v)
{
	return knobs[k].values[v];
}

/**
 * policy_knob_get() - the value @p gives knob @k
 */
int policy_knob_get(const struct policy *p, int k)
{
	return *knob_field((struct policy *)p, &knobs[k]);
}


/* ---- policies defined by users: "policy NAME = PRESET + knob=value ..." ---- */

/* A policy name: letters, digits, '_', '-', '.'; not empty. */
static bool policy_name_ok(const char *s, size_t len)
{
	size_t i;

	if (!len || len >= sizeof(((struct policy *)0)->name))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("_-.", s[i]))
			return false;
	return true;
}

/* @s[0..@len) without the spaces at either end; *@at moves past the leading ones. */
static size_t trim(const char *s, size_t len, size_t *at)
{
	while (len && isspace((unsigned char)s[*at])) {
		(*at)++;
		len--;
	}
	while (len && isspace((unsigned char)s[*at + len - 1]))
		len--;
	return len;
}

static int def_err(size_t *col, size_t at, char *err, size_t errlen, const char *fmt,
		   const char *s, size_t len)
{
	*col = at;
	if (err && errlen)
		snprintf(err, errlen, fmt, (int)len, s);
	return -EINVAL;
}

/* "knob=value" at @s[0..@len): applied to @p. */
static int def_knob(struct policy *p, const char *s, size_t len, size_t at, size_t *col,
		    char *err, size_t errlen)
{
	char assign[96];

	if (!len || len >= sizeof(assign))
		return def_err(col, at, err, errlen, "expected knob=value after '+', got '%.*s'",
			       s, len);
	snprintf(assign, sizeof(assign), "%.*s", (int)len, s);
	snprintf(p->name, sizeof(p->name), "d");	/* room for the override's suffix */
	if (policy_set_knob(p, assign, err, errlen)) {
		*col = at;
		return -EINVAL;
	}
	return 0;
}

/**
 * policy_define() - parse "policy NAME = PRESET + knob=value + ..." into @out
 * @text:   the definition (not NUL-terminated), without its end of line
 * @len:    its length
 * @out:    the policy: PRESET's knobs with the overrides, called NAME
 * @col:    on error, the offset in @text of what is wrong
 * @err:    on error, the reason
 * @errlen: size of @err
 *
 * NAME may not be a preset's.  A '#' ends the definition (a comment).
 *
 * Return: 0, or -EINVAL.
 */
int policy_define(const char *text, size_t len, struct policy *out, size_t *col,
		  char *err, size_t errlen)
{
	const char *hash = memchr(text, '#', len);
	const struct policy *base;
	size_t at = 0, n, name_at, name_len, end;
	char name[sizeof(out->name)], preset[sizeof(out->name)];
	const char *eq, *plus;

	if (hash)
		len = hash - text;
	n = trim(text, len, &at);
	if (n < 7 || strncmp(text + at, "policy", 6) || !isspace((unsigned char)text[at + 6]))
		return def_err(col, at, err, errlen, "expected 'policy NAME = PRESET + knob=value', got '%.*s'",
			       text + at, n);
	end = at + n;
	at += 6;
	eq = memchr(text + at, '=', end - at);
	if (!eq)
		return def_err(col, at, err, errlen, "expected '=' after 'policy%.*s'", text + at,
			       end - at);
	name_at = at;
	name_len = trim(text, eq - text - at, &name_at);
	if (!policy_name_ok(text + name_at, name_len))
		return def_err(col, name_at, err, errlen,
			       "bad policy name '%.*s' (letters, digits, '_', '-', '.')",
			       text + name_at, name_len);
	snprintf(name, sizeof(name), "%.*s", (int)name_len, text + name_at);
	if (policy_find(name))
		return def_err(col, name_at, err, errlen, "policy '%.*s' is already defined",
			       name, name_len);
	at = eq - text + 1;
	plus = memchr(text + at, '+', end - at);
	n = (plus ? (size_t)(plus - text) : end) - at;
	n = trim(text, n, &at);
	snprintf(preset, sizeof(preset), "%.*s", (int)min_t(size_t, n, sizeof(preset) - 1), text + at);
	base = n < sizeof(preset) ? policy_find(preset) : NULL;
	if (!base)
		return def_err(col, at, err, errlen, "unknown preset '%.*s' (see pinlab policies)",
			       text + at, n);
	*out = *base;
	while (plus) {
		at = plus - text + 1;
		plus = memchr(text + at, '+', end - at);
		n = (plus ? (size_t)(plus - text) : end) - at;
		n = trim(text, n, &at);
		if (def_knob(out, text + at, n, at, col, err, errlen))
			return -EINVAL;
	}
	snprintf(out->name, sizeof(out->name), "%s", name);
	return 0;
}

/**
 * policy_register() - make @p findable by policy_find() and listed after the presets
 * @p: a policy from policy_define()
 *
 * Return: 0, -EEXIST if its name is taken, -ENOSPC past POLICY_USER_MAX.
 */
int policy_register(const struct policy *p)
{
	if (policy_find(p->name))
		return -EEXIST;
	if (nr_user_policies >= POLICY_USER_MAX)
		return -ENOSPC;
	user_policies[nr_user_policies++] = *p;
	return 0;
}

/**
 * policy_nr_user() - how many policies policy_register() holds
 */
int policy_nr_user(void)
{
	return nr_user_policies;
}

/**
 * policy_user() - the i-th registered policy
 */
const struct policy *policy_user(int i)
{
	return i >= 0 && i < nr_user_policies ? &user_policies[i] : NULL;
}

/**
 * policy_nr_listed() - the presets and the registered policies: how many
 */
int policy_nr_listed(void)
{
	return (int)ARRAY_SIZE(presets) + nr_user_policies;
}

/**
 * policy_listed() - the i-th of the presets, then of the registered policies
 */
const struct policy *policy_listed(int i)
{
	if (i < (int)ARRAY_SIZE(presets))
		return policy_preset(i);
	return policy_user(i - (int)ARRAY_SIZE(presets));
}
