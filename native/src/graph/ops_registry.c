/* Which op code runs which implementation. */
#include "graph/ops.h"

extern const voxgate_op_def voxgate_op_quantize;
extern const voxgate_op_def voxgate_op_lut;
extern const voxgate_op_def voxgate_op_softmax;
extern const voxgate_op_def voxgate_op_mul;
extern const voxgate_op_def voxgate_op_film;
extern const voxgate_op_def voxgate_op_gru;

static const voxgate_op_def* const kOps[] = {
    &voxgate_op_quantize, &voxgate_op_lut,  &voxgate_op_softmax,
    &voxgate_op_mul,      &voxgate_op_film, &voxgate_op_gru,
};

const voxgate_op_def* voxgate_op_find(uint32_t type) {
  for (size_t i = 0; i < sizeof kOps / sizeof kOps[0]; ++i)
    if (kOps[i]->type == type) return kOps[i];
  return NULL;
}
