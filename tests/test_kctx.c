/* test_kctx.c - unit tests of the sim back end's contexts (kernel/kctx.c) under AddressSanitizer. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../kernel/kctx.h"

#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif

#ifdef TEST_ASAN
#include <sanitizer/asan_interface.h>
#endif

#define STACK_SIZE	(64u << 10)

static struct kctx main_ctx;	/* the test's own context */
static struct kctx task_ctx;	/* the context that is abandoned, then reused */
static char *volatile escaped;	/* keeps the abandoned frame's array addressable */

/* A frame with an addressable array: ASan puts redzones around it. */
static __attribute__((noinline)) void abandon_in_frame(void)
{
	char buf[100];

	escaped = buf;
	memset(buf, 1, sizeof(buf));
	kctx_jump(&task_ctx, &main_ctx);	/* never resumed */
	escaped = NULL;
}

static void abandoned_task(void *arg)
{
	(void)arg;
	kctx_start(&main_ctx);
	abandon_in_frame();
}

/* Touches its whole frame: would trip over stale redzones. */
static void second_task(void *arg)
{
	char big[2000];

	kctx_start(&main_ctx);
	memset(big, 2, sizeof(big));
	escaped = big;
	*(int *)arg = big[1999];
	kctx_jump(NULL, &main_ctx);
}

/*
 * Issue 7: a context cut off mid-call (an execution stopped at the step
 * limit, by --max-execs, or found redundant) leaves its frames' redzones
 * poisoned; the next kctx_init() on the same stack must clear them, or the
 * new task is reported for a stack-buffer-overflow it did not commit.
 */
static void test_reused_stack_is_unpoisoned(void **state)
{
	int seen = 0;

	(void)state;
	task_ctx.stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(task_ctx.stack != MAP_FAILED);
	task_ctx.stack_size = STACK_SIZE;
	kctx_init(&task_ctx, abandoned_task, NULL);
	kctx_jump(&main_ctx, &task_ctx);
#ifdef TEST_ASAN
	/* The abandoned frame's redzones are still poisoned here... */
	assert_non_null(__asan_region_is_poisoned(task_ctx.stack, STACK_SIZE));
#endif
	kctx_init(&task_ctx, second_task, &seen);
#ifdef TEST_ASAN
	/* ...and no longer once the stack is handed to a new context. */
	assert_null(__asan_region_is_poisoned(task_ctx.stack, STACK_SIZE));
#endif
	kctx_jump(&main_ctx, &task_ctx);
	assert_int_equal(seen, 2);
	munmap(task_ctx.stack, STACK_SIZE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reused_stack_is_unpoisoned),
	};

	return cmocka_run_group_tests_name("kctx", tests, NULL, NULL);
}
