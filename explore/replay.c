/* replay.c - replay strings: a schedule written as run-length pids, "0x3,1,0x2". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <pinlab/explore.h>

int replay_format(const u8 *sched, u32 n, char *buf, size_t len)
{
	size_t used = 0;
	u32 i = 0;

	if (!len)
		return -ENOSPC;
	buf[0] = '\0';
	while (i < n) {
		u32 run = 1;
		int w;

		while (i + run < n && sched[i + run] == sched[i])
			run++;
		if (run > 1)
			w = snprintf(buf + used, len - used, "%s%ux%u",
				     used ? "," : "", sched[i], run);
		else
			w = snprintf(buf + used, len - used, "%s%u",
				     used ? "," : "", sched[i]);
		if (w < 0 || (size_t)w >= len - used)
			return -ENOSPC;
		used += w;
		i += run;
	}
	return (int)used;
}

/*
 * One "pid" or "pidxcount" item at *s; *s is moved past it.  Counts that
 * do not fit are left to the caller's room check: strtoul() saturates.
 * Return: 0 or -EINVAL.
 */
static int replay_item(const char **s, unsigned long *pid, unsigned long *count)
{
	char *end;

	if (**s < '0' || **s > '9')
		return -EINVAL;
	*pid = strtoul(*s, &end, 10);
	*count = 1;
	if (*end == 'x') {
		const char *c = end + 1;

		if (*c < '0' || *c > '9')
			return -EINVAL;
		*count = strtoul(c, &end, 10);
	}
	if (*pid >= NR_TASKS_MAX || *count == 0)
		return -EINVAL;
	*s = end;
	return 0;
}

int replay_parse(const char *s, u8 *sched, u32 max, u32 *n)
{
	u32 len = 0;

	while (*s) {
		unsigned long pid, count;

		if (replay_item(&s, &pid, &count) || count > max - len)
			return -EINVAL;
		while (count--)
			sched[len++] = (u8)pid;
		if (*s == ',' && s[1])
			s++;
		else if (*s)
			return -EINVAL;	/* "0,", "0;1" */
	}
	*n = len;
	return 0;
}
