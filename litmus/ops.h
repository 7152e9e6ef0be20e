/* ops.h - the operation tables each subsystem contributes to litmus_find_op(). */
#ifndef PINLAB_LITMUS_OPS_H
#define PINLAB_LITMUS_OPS_H

#include <pinlab/litmus.h>

extern const struct lt_op mm_ops[];
extern const size_t nr_mm_ops;

#endif /* PINLAB_LITMUS_OPS_H */
