/* tracepoint.c - where the model's decisive events go: nowhere, unless a witness is being traced. */
#include <pinlab/tracepoint.h>

struct tracepoint_sink tracepoint_sink;
