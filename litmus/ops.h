/* ops.h - the operation tables each subsystem contributes to litmus_find_op(). */
#ifndef PINLAB_LITMUS_OPS_H
#define PINLAB_LITMUS_OPS_H

#include <pinlab/litmus.h>

/* Ended by an entry whose name is NULL. */
extern const struct lt_op mm_ops[];

#endif /* PINLAB_LITMUS_OPS_H */
