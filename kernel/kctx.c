/* kctx.c - initial frames for new contexts and sanitizer-aware switching between them. */
#include <string.h>
#include "kctx.h"

#if defined(__SANITIZE_ADDRESS__)
#define KCTX_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define KCTX_ASAN 1
#endif
#endif

#ifdef KCTX_ASAN
#include <sanitizer/asan_interface.h>
#include <sanitizer/common_interface_defs.h>

/*
 * A stack is reused by the next execution's task even when its last one was
 * abandoned mid-call (the execution was cut, or found redundant): the
 * redzones of the frames it never returned from are still poisoned, and
 * would be reported as stack-buffer-overflows in the new task's frames.
 * Nothing runs on @ctx's stack now, so all of it can be made addressable.
 */
static void kctx_unpoison(struct kctx *ctx)
{
	if (ctx->stack)
		ASAN_UNPOISON_MEMORY_REGION(ctx->stack, ctx->stack_size);
}
#else
static void kctx_unpoison(struct kctx *ctx)
{
	(void)ctx;
}
#endif

/**
 * kctx_init() - prepare @ctx to call @fn(@arg) on its stack when switched to
 * @ctx: a context not running now, with its stack set
 * @fn:  the entry; it never returns, it ends by switching away for good
 * @arg: its argument
 *
 * Under AddressSanitizer the whole stack is unpoisoned first: whatever an
 * abandoned context left on it is dead.
 */
void kctx_init(struct kctx *ctx, void (*fn)(void *), void *arg)
{
	uintptr_t top = ((uintptr_t)ctx->stack + ctx->stack_size) & ~(uintptr_t)15;
	void **frame;

	kctx_unpoison(ctx);

#if defined(__x86_64__)
	/* r15 r14 r13(arg) r12(fn) rbx rbp ret, then padding: ret lands 16-aligned. */
	frame = (void **)(top - 72);
	memset(frame, 0, 72);
	frame[2] = arg;
	frame[3] = (void *)fn;
	frame[6] = (void *)kctx_trampoline;
#elif defined(__aarch64__)
	/* x19(fn) x20(arg) ... x29 x30(lr) d8-d15, 176 bytes. */
	frame = (void **)(top - 176);
	memset(frame, 0, 176);
	frame[0] = (void *)fn;
	frame[1] = arg;
	frame[11] = (void *)kctx_trampoline;
#endif
	ctx->sp = frame;
	ctx->fake_stack = NULL;
}

#ifdef KCTX_ASAN
void kctx_start(struct kctx *peer)
{
	const void *bottom;
	size_t size;

	__sanitizer_finish_switch_fiber(NULL, &bottom, &size);
	if (!peer->stack) {
		peer->stack = (void *)bottom;
		peer->stack_size = size;
	}
}

/*
 * Where a context that is never resumed saves its stack pointer.  Not a
 * local: with detect_stack_use_after_return, locals live on the fake stack
 * that __sanitizer_start_switch_fiber(NULL, ...) has just freed.
 */
static __thread void *kctx_dead_sp;

void kctx_jump(struct kctx *from, struct kctx *to)
{
	const void *old_bottom;
	size_t old_size;

	if (!from) {
		__sanitizer_start_switch_fiber(NULL, to->stack, to->stack_size);
		kctx_switch(&kctx_dead_sp, to->sp);
		__builtin_unreachable();
	}
	__sanitizer_start_switch_fiber(&from->fake_stack, to->stack, to->stack_size);
	kctx_switch(&from->sp, to->sp);
	/* Resumed: @from runs again. */
	__sanitizer_finish_switch_fiber(from->fake_stack, &old_bottom, &old_size);
}
#else
void kctx_start(struct kctx *peer)
{
	(void)peer;
}

void kctx_jump(struct kctx *from, struct kctx *to)
{
	void *dead;

	kctx_switch(from ? &from->sp : &dead, to->sp);
}
#endif
