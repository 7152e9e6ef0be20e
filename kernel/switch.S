/* switch.S - save callee-saved registers and swap stacks: the sim back end's context switch. */

/*
 * void kctx_switch(void **save_sp, void *new_sp)
 *
 * Pushes the callee-saved registers on the current stack, stores the stack
 * pointer in *save_sp, loads new_sp and pops the other context's registers.
 * No system call, no signal mask: that is what makes it cheap.
 *
 * void kctx_trampoline(void)
 *
 * First "return address" of a new context: calls fn(arg) with fn and arg
 * taken from callee-saved registers that kctx_init() placed in the frame.
 */

#if defined(__x86_64__)

	.text
	.globl	kctx_switch
	.type	kctx_switch, @function
kctx_switch:
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	ret
	.size	kctx_switch, .-kctx_switch

	.globl	kctx_trampoline
	.type	kctx_trampoline, @function
kctx_trampoline:
	movq	%r13, %rdi
	callq	*%r12
	ud2
	.size	kctx_trampoline, .-kctx_trampoline

#elif defined(__aarch64__)

	.text
	.globl	kctx_switch
	.type	kctx_switch, %function
kctx_switch:
	sub	sp, sp, #176
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	d8, d9, [sp, #96]
	stp	d10, d11, [sp, #112]
	stp	d12, d13, [sp, #128]
	stp	d14, d15, [sp, #144]
	mov	x9, sp
	str	x9, [x0]
	mov	sp, x1
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	ldp	d8, d9, [sp, #96]
	ldp	d10, d11, [sp, #112]
	ldp	d12, d13, [sp, #128]
	ldp	d14, d15, [sp, #144]
	add	sp, sp, #176
	ret
	.size	kctx_switch, .-kctx_switch

	.globl	kctx_trampoline
	.type	kctx_trampoline, %function
kctx_trampoline:
	mov	x0, x20
	blr	x19
	brk	#0
	.size	kctx_trampoline, .-kctx_trampoline

#else
#error "pinlab's sim back end has a context switch for x86-64 and aarch64 only"
#endif

	.section .note.GNU-stack,"",%progbits
