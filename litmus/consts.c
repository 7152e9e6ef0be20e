/* consts.c - litmus constants: FOLL_* flags, WB_SYNC_* modes, booleans and errno names. */
#include <errno.h>
#include <string.h>

#include <pinlab/litmus.h>
#include <pinlab/mm_flags.h>

static const struct lt_const lt_consts[] = {
	{ "FOLL_WRITE",		'F', FOLL_WRITE },
	{ "FOLL_GET",		'F', FOLL_GET },
	{ "FOLL_PIN",		'F', FOLL_PIN },
	{ "FOLL_LONGTERM",	'F', FOLL_LONGTERM },
	{ "WB_SYNC_NONE",	'w', WB_SYNC_NONE },
	{ "WB_SYNC_ALL",	'w', WB_SYNC_ALL },
	{ "true",		'b', 1 },
	{ "false",		'b', 0 },
};

/**
 * struct lt_errno - an errno name
 * @name: "EFAULT"
 * @err:  its positive value from <errno.h>
 */
struct lt_errno {
	const char *name;
	int err;
};

/* Aliases (EWOULDBLOCK, ENOTSUP, EDEADLOCK) follow the name they alias. */
static const struct lt_errno lt_errnos[] = {
	{ "EPERM", EPERM },		{ "ENOENT", ENOENT },
	{ "ESRCH", ESRCH },		{ "EINTR", EINTR },
	{ "EIO", EIO },			{ "ENXIO", ENXIO },
	{ "E2BIG", E2BIG },		{ "ENOEXEC", ENOEXEC },
	{ "EBADF", EBADF },		{ "ECHILD", ECHILD },
	{ "EAGAIN", EAGAIN },		{ "EWOULDBLOCK", EWOULDBLOCK },
	{ "ENOMEM", ENOMEM },		{ "EACCES", EACCES },
	{ "EFAULT", EFAULT },		{ "EBUSY", EBUSY },
	{ "EEXIST", EEXIST },		{ "EXDEV", EXDEV },
	{ "ENODEV", ENODEV },		{ "ENOTDIR", ENOTDIR },
	{ "EISDIR", EISDIR },		{ "EINVAL", EINVAL },
	{ "ENFILE", ENFILE },		{ "EMFILE", EMFILE },
	{ "ENOTTY", ENOTTY },		{ "ETXTBSY", ETXTBSY },
	{ "EFBIG", EFBIG },		{ "ENOSPC", ENOSPC },
	{ "ESPIPE", ESPIPE },		{ "EROFS", EROFS },
	{ "EMLINK", EMLINK },		{ "EPIPE", EPIPE },
	{ "EDOM", EDOM },		{ "ERANGE", ERANGE },
	{ "EDEADLK", EDEADLK },		{ "EDEADLOCK", EDEADLOCK },
	{ "ENAMETOOLONG", ENAMETOOLONG }, { "ENOLCK", ENOLCK },
	{ "ENOSYS", ENOSYS },		{ "ENOTEMPTY", ENOTEMPTY },
	{ "ELOOP", ELOOP },		{ "ENODATA", ENODATA },
	{ "ETIME", ETIME },		{ "EOVERFLOW", EOVERFLOW },
	{ "EBADMSG", EBADMSG },		{ "EOPNOTSUPP", EOPNOTSUPP },
	{ "ENOTSUP", ENOTSUP },		{ "ENOBUFS", ENOBUFS },
	{ "ETIMEDOUT", ETIMEDOUT },	{ "ESTALE", ESTALE },
	{ "EDQUOT", EDQUOT },		{ "ECANCELED", ECANCELED },
	{ "ENOMEDIUM", ENOMEDIUM },	{ "EREMOTEIO", EREMOTEIO },
	{ "EHWPOISON", EHWPOISON },
};

static bool name_is(const char *name, size_t len, const char *s)
{
	return strlen(s) == len && !memcmp(name, s, len);
}

/**
 * litmus_find_const() - the constant called @name
 * @name: the name, need not be NUL-terminated
 * @len:  its length
 *
 * Return: the constant, or NULL if none is called @name.
 */
const struct lt_const *litmus_find_const(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lt_consts); i++)
		if (name_is(name, len, lt_consts[i].name))
			return &lt_consts[i];
	return NULL;
}

/**
 * litmus_errno_value() - the value of an errno name: "EFAULT" -> 14
 * @name: the name without the minus sign, need not be NUL-terminated
 * @len:  its length
 *
 * Return: the positive errno, or 0 if @name is not one.
 */
int litmus_errno_value(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lt_errnos); i++)
		if (name_is(name, len, lt_errnos[i].name))
			return lt_errnos[i].err;
	return 0;
}

/**
 * litmus_errno_name() - the name of an errno: 14 -> "EFAULT"
 * @err: the positive errno
 *
 * Where several names share a value, the first listed wins (EAGAIN, not
 * EWOULDBLOCK; EOPNOTSUPP, not ENOTSUP; EDEADLK, not EDEADLOCK).
 *
 * Return: the name, or NULL if @err has none here.
 */
const char *litmus_errno_name(int err)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(lt_errnos); i++)
		if (lt_errnos[i].err == err)
			return lt_errnos[i].name;
	return NULL;
}
