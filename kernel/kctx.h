/* kctx.h - the sim back end's saved contexts: a stack pointer and the switch that swaps it. */
#ifndef PINLAB_KERNEL_KCTX_H
#define PINLAB_KERNEL_KCTX_H

#include <pinlab/types.h>

/**
 * struct kctx - a suspended context
 * @sp:          its stack pointer; the callee-saved registers sit on its stack
 * @stack:       lowest address of its stack (NULL for the explorer's own)
 * @stack_size:  bytes of stack
 * @fake_stack:  AddressSanitizer's fake stack handle while it is switched out
 */
struct kctx {
	void *sp;
	void *stack;
	size_t stack_size;
	void *fake_stack;
};

void kctx_switch(void **save_sp, void *new_sp);
void kctx_trampoline(void);

void kctx_init(struct kctx *ctx, void (*fn)(void *), void *arg);

/**
 * kctx_jump() - switch from @from to @to
 * @from:  where the current context is saved (NULL: it is never resumed)
 * @to:    the context to run
 */
void kctx_jump(struct kctx *from, struct kctx *to);

/**
 * kctx_start() - first thing a new context's @fn does
 * @peer: the context that switched to it; under AddressSanitizer its stack
 *        bounds are learnt here, so switching back to it is understood
 */
void kctx_start(struct kctx *peer);

#endif /* PINLAB_KERNEL_KCTX_H */
